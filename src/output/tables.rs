//! The CSV files of a study, built as bytes without I/O from the study's analysis, and
//! `trials.csv`, written row by row as the trials come. Row types are in [`crate::formats::rows`].

use anyhow::{Context, Result};
use serde::Serialize;

use crate::formats::rows::{trials_header, ComparisonRow, DailyRow, Num, SummaryRow, TrialRow};
use crate::scenario::Scenario;
use crate::sim::{Metric, Outputs};
use crate::stats::analysis::MAX_ALL_PAIRS_VARIANTS;
use crate::stats::{StudyAnalysis, Summary};

/// Serialises `rows` as CSV with a header from the row type's fields. An error (a row of
/// the wrong length, …) is returned, never an empty file.
pub(crate) fn csv_bytes<R: Serialize>(rows: impl IntoIterator<Item = R>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.serialize(row)?;
    }
    into_bytes(w)
}

/// The bytes a CSV writer built.
pub(crate) fn into_bytes(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>> {
    w.into_inner()
        .map_err(|e| anyhow::anyhow!("building a CSV table: {}", e.error()))
}

/// `summary.csv`: one row per variant and output, plus `p_loss` and `cvar5` for profit.
/// `n` (the last column) counts the trials where the output is defined.
pub fn summary_csv(scenario: &Scenario, analysis: &StudyAnalysis) -> Result<Vec<u8>> {
    let mut rows = Vec::new();
    for (variant, a) in scenario.spec().variants().iter().zip(&analysis.variants) {
        let row = |metric: &str, s: Option<&Summary>| {
            let [mean, sd, se, ci_low, ci_high, p5, p25, p50, p75, p95, min, max] = s
                .map_or([f64::NAN; 12], |s| {
                    [
                        s.mean.point,
                        s.sd,
                        s.mean.se,
                        s.mean.ci_low,
                        s.mean.ci_high,
                        s.p5,
                        s.p25,
                        s.p50,
                        s.p75,
                        s.p95,
                        s.min,
                        s.max,
                    ]
                })
                .map(Num);
            SummaryRow {
                variant: variant.name().to_string(),
                model: variant.setting().model.name().to_string(),
                loop_type: variant.setting().loop_type().name().to_string(),
                route: variant.setting().route.name().to_string(),
                metric: metric.to_string(),
                mean,
                sd,
                se,
                ci_low,
                ci_high,
                p5,
                p25,
                p50,
                p75,
                p95,
                min,
                max,
                n: s.map_or(0, |s| s.mean.n),
            }
        };
        for &m in Metric::ALL {
            rows.push(row(m.name(), a.summary(m)));
        }
        let loss = &a.p_loss;
        rows.push(SummaryRow {
            mean: Num(loss.p),
            se: Num(loss.se),
            ci_low: Num(loss.ci_low),
            ci_high: Num(loss.ci_high),
            n: loss.n,
            ..row("p_loss", None)
        });
        rows.push(SummaryRow {
            mean: Num(a.cvar5),
            n: scenario.spec().trials() as usize,
            ..row("cvar5", None)
        });
    }
    csv_bytes(rows)
}

/// The pairs of the report's table: one row per unordered pair (a before b), or, above
/// [`MAX_ALL_PAIRS_VARIANTS`], each variant against the baseline.
pub fn report_pairs(analysis: &StudyAnalysis) -> Vec<(usize, usize)> {
    let n = analysis.variants.len();
    analysis
        .pairs
        .iter()
        .map(|p| (p.a, p.b))
        .filter(|&(i, j)| {
            if n > MAX_ALL_PAIRS_VARIANTS {
                j == analysis.baseline
            } else {
                i < j
            }
        })
        .collect()
}

/// The sentence that says the tables were cut to the baseline, when they were.
pub fn pairs_note(scenario: &Scenario) -> Option<String> {
    let n = scenario.spec().variants().len();
    (n > MAX_ALL_PAIRS_VARIANTS).then(|| {
        let base = scenario.spec().variants()[scenario.baseline().unwrap_or(0)].name();
        format!(
            "study `{}` has {n} variants (more than {MAX_ALL_PAIRS_VARIANTS}): comparison.csv and the report compare each variant with the baseline `{base}` only{}",
            scenario.spec().name(),
            if scenario.baseline().is_none() { " (the first variant; name another with `baseline`)" } else { "" }
        )
    })
}

/// `comparison.csv`: the analysis's ordered pairs of variants, every output, from paired
/// trials.
pub fn comparison_csv(scenario: &Scenario, analysis: &StudyAnalysis) -> Result<Vec<u8>> {
    let variants = scenario.spec().variants();
    let rows = analysis.pairs.iter().flat_map(|pair| {
        Metric::ALL.iter().map(move |&m| {
            let p = pair.of(m);
            let at = |f: fn(&crate::stats::Paired) -> f64| Num(p.map_or(f64::NAN, f));
            ComparisonRow {
                variant_a: variants[pair.a].name().to_string(),
                variant_b: variants[pair.b].name().to_string(),
                metric: m.name().to_string(),
                mean_diff: at(|p| p.diff.point),
                ci_low: at(|p| p.diff.ci_low),
                ci_high: at(|p| p.diff.ci_high),
                p_a_better: at(|p| p.p_a_better),
                n: p.map_or(0, |p| p.diff.n),
            }
        })
    });
    csv_bytes(rows)
}

/// `daily.csv`: p5/p50/p95 of cumulative profit and of cash, per variant and day (days
/// counted from 1).
pub fn daily_csv(scenario: &Scenario, analysis: &StudyAnalysis) -> Result<Vec<u8>> {
    let mut rows = Vec::new();
    for (variant, a) in scenario.spec().variants().iter().zip(&analysis.variants) {
        for (metric, bands) in [
            ("cumulative_profit", &a.daily_profit),
            ("cash", &a.daily_cash),
        ] {
            for (day, band) in bands.iter().enumerate() {
                rows.push(DailyRow {
                    variant: variant.name().to_string(),
                    day: day + 1,
                    metric: metric.to_string(),
                    p5: Num(band.p5),
                    p50: Num(band.p50),
                    p95: Num(band.p95),
                });
            }
        }
    }
    csv_bytes(rows)
}

/// `trials.csv` (with `--write-trials`), written as the trials come: a row per trial and
/// variant, in trial order and, within a trial, in the study's variant order.
pub struct TrialsCsv<W: std::io::Write> {
    writer: csv::Writer<W>,
    variants: Vec<String>,
    /// Where the rows go, for error messages.
    path: String,
}

impl<W: std::io::Write> TrialsCsv<W> {
    /// Starts the file with its header.
    pub fn new(scenario: &Scenario, out: W, path: &str) -> Result<TrialsCsv<W>> {
        let mut writer = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(out);
        writer
            .write_record(trials_header())
            .with_context(|| format!("writing '{path}'"))?;
        Ok(TrialsCsv {
            writer,
            variants: scenario
                .spec()
                .variants()
                .iter()
                .map(|v| v.name().to_string())
                .collect(),
            path: path.to_string(),
        })
    }

    /// Writes one batch of trials starting at trial `first` (one `Vec` per variant).
    pub fn write_batch(&mut self, first: u64, outputs: &[Vec<Outputs>]) -> Result<()> {
        let count = outputs.first().map_or(0, Vec::len);
        for t in 0..count {
            for (name, trials) in self.variants.iter().zip(outputs) {
                self.writer
                    .serialize(TrialRow {
                        variant: name.clone(),
                        trial: first + t as u64,
                        outputs: trials[t].0.iter().map(|&v| Num(v)).collect(),
                    })
                    .with_context(|| format!("writing '{}'", self.path))?;
            }
        }
        Ok(())
    }

    /// Flushes the rows and returns the destination.
    pub fn finish(self) -> Result<W> {
        let path = self.path;
        self.writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("writing '{path}': {}", e.error()))
    }
}
