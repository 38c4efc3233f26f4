//! The CSV files of a study, built as bytes without I/O.

use anyhow::Result;

use crate::scenario::Scenario;
use crate::sim::{Metric, StudyResults, VariantSpec};
use crate::stats::{self, daily};

/// A number for CSV: shortest round-trip text; empty when undefined.
pub fn num(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        format!("{v}")
    }
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().from_writer(Vec::new())
}

/// The bytes written; an error (a row of the wrong length, …) is returned, never an empty
/// file.
pub(crate) fn finish(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>> {
    w.into_inner()
        .map_err(|e| anyhow::anyhow!("building a CSV table: {}", e.error()))
}

/// Values of one metric over a variant's trials.
pub fn column(results: &crate::sim::VariantResults, m: Metric) -> Vec<f64> {
    results.outputs.iter().map(|o| o[m]).collect()
}

const SUMMARY_HEADER: [&str; 17] = [
    "variant", "model", "loop", "metric", "mean", "sd", "se", "ci_low", "ci_high", "p5", "p25",
    "p50", "p75", "p95", "min", "max", "n",
];

/// `summary.csv`: one row per variant and output, plus `p_loss` and `cvar5` for profit.
/// `n` (the last column) counts the trials where the output is defined.
pub fn summary_csv(scenario: &Scenario, results: &StudyResults) -> Result<Vec<u8>> {
    let mut w = writer();
    w.write_record(SUMMARY_HEADER)?;
    for (variant, res) in scenario.spec.variants.iter().zip(&results.variants) {
        let lead = lead(variant);
        for &m in Metric::ALL {
            let values = column(res, m);
            let mut row = lead.clone();
            row.push(m.name().to_string());
            match stats::summarize(&values) {
                Some(s) => row.extend(
                    [
                        s.mean, s.sd, s.se, s.ci_low, s.ci_high, s.p5, s.p25, s.p50, s.p75, s.p95,
                        s.min, s.max,
                    ]
                    .map(num),
                ),
                None => row.extend(std::iter::repeat_n(String::new(), 12)),
            }
            row.push(values.iter().filter(|v| !v.is_nan()).count().to_string());
            w.write_record(&row)?;
        }
        let profit = column(res, Metric::Profit);
        let loss = stats::p_loss(&profit);
        let mut row = lead.clone();
        row.push("p_loss".into());
        row.extend([loss.p, f64::NAN, loss.se, loss.ci_low, loss.ci_high].map(num));
        row.extend(std::iter::repeat_n(String::new(), 7));
        row.push(loss.n.to_string());
        w.write_record(&row)?;
        let mut row = lead;
        row.push("cvar5".into());
        row.push(num(stats::cvar(&profit, 0.05)));
        row.extend(std::iter::repeat_n(String::new(), 11));
        row.push(profit.len().to_string());
        w.write_record(&row)?;
    }
    finish(w)
}

fn lead(v: &VariantSpec) -> Vec<String> {
    vec![
        v.name.clone(),
        v.setting.model.name().to_string(),
        v.setting.loop_type.name().to_string(),
    ]
}

/// Above this many variants, pairwise tables (comparison.csv, the report) compare each
/// variant with the baseline only: all ordered pairs grow with the square of the count
/// (300 variants would write 89,700 pairs × every output).
pub const MAX_ALL_PAIRS_VARIANTS: usize = 20;

/// The ordered pairs (a, b) the pairwise tables hold: every ordered pair up to
/// [`MAX_ALL_PAIRS_VARIANTS`] variants, else each variant against the baseline (the
/// scenario's `baseline`, or the first variant) in both directions.
pub fn table_pairs(n: usize, baseline: Option<usize>) -> Vec<(usize, usize)> {
    if n <= MAX_ALL_PAIRS_VARIANTS {
        return (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .collect();
    }
    let base = baseline.unwrap_or(0);
    (0..n)
        .filter(|&i| i != base)
        .flat_map(|i| [(i, base), (base, i)])
        .collect()
}

/// The pairs of the report's table: one row per unordered pair (a before b), or, above
/// [`MAX_ALL_PAIRS_VARIANTS`], each variant against the baseline.
pub fn report_pairs(n: usize, baseline: Option<usize>) -> Vec<(usize, usize)> {
    let base = baseline.unwrap_or(0);
    table_pairs(n, baseline)
        .into_iter()
        .filter(|&(i, j)| {
            if n > MAX_ALL_PAIRS_VARIANTS {
                j == base
            } else {
                i < j
            }
        })
        .collect()
}

/// The sentence that says the tables were cut to the baseline, when they were.
pub fn pairs_note(scenario: &Scenario) -> Option<String> {
    let n = scenario.spec.variants.len();
    (n > MAX_ALL_PAIRS_VARIANTS).then(|| {
        let base = &scenario.spec.variants[scenario.baseline.unwrap_or(0)].name;
        format!(
            "study `{}` has {n} variants (more than {MAX_ALL_PAIRS_VARIANTS}): comparison.csv and the report compare each variant with the baseline `{base}` only{}",
            scenario.spec.name,
            if scenario.baseline.is_none() { " (the first variant; name another with `baseline`)" } else { "" }
        )
    })
}

/// `comparison.csv`: ordered pairs of variants ([`table_pairs`]), every output, from
/// paired trials.
pub fn comparison_csv(scenario: &Scenario, results: &StudyResults) -> Result<Vec<u8>> {
    let mut w = writer();
    w.write_record([
        "variant_a",
        "variant_b",
        "metric",
        "mean_diff",
        "ci_low",
        "ci_high",
        "p_a_better",
        "n",
    ])?;
    let variants = &scenario.spec.variants;
    let columns: Vec<Vec<Vec<f64>>> = results
        .variants
        .iter()
        .map(|r| Metric::ALL.iter().map(|&m| column(r, m)).collect())
        .collect();
    for (i, j) in table_pairs(variants.len(), scenario.baseline) {
        let (a, b) = (&variants[i], &variants[j]);
        {
            for &m in Metric::ALL {
                let (ca, cb) = (&columns[i][m as usize], &columns[j][m as usize]);
                let mut row = vec![a.name.clone(), b.name.clone(), m.name().to_string()];
                match stats::paired(ca, cb, m.better()) {
                    Some(p) => {
                        row.extend([p.mean_diff, p.ci_low, p.ci_high, p.p_a_better].map(num));
                        row.push(p.n.to_string());
                    }
                    None => row.extend(["", "", "", "", "0"].map(String::from)),
                }
                w.write_record(&row)?;
            }
        }
    }
    finish(w)
}

/// `daily.csv`: p5/p50/p95 of cumulative profit and of cash, per variant and day (days
/// counted from 1).
pub fn daily_csv(scenario: &Scenario, results: &StudyResults) -> Result<Vec<u8>> {
    let mut w = writer();
    w.write_record(["variant", "day", "metric", "p5", "p50", "p95"])?;
    let horizon = scenario.spec.horizon_days;
    for (variant, res) in scenario.spec.variants.iter().zip(&results.variants) {
        for (metric, paths) in [
            ("cumulative_profit", &res.cumulative_profit),
            ("cash", &res.cash),
        ] {
            for (day, band) in daily::bands(paths, horizon).iter().enumerate() {
                w.write_record([
                    variant.name.clone(),
                    (day + 1).to_string(),
                    metric.to_string(),
                    num(band.p5),
                    num(band.p50),
                    num(band.p95),
                ])?;
            }
        }
    }
    finish(w)
}

/// `trials.csv`: every trial's outputs (with `--write-trials`).
pub fn trials_csv(scenario: &Scenario, results: &StudyResults) -> Result<Vec<u8>> {
    let mut w = writer();
    let mut header = vec!["variant".to_string(), "trial".to_string()];
    header.extend(Metric::ALL.iter().map(|m| m.name().to_string()));
    w.write_record(&header)?;
    for (variant, res) in scenario.spec.variants.iter().zip(&results.variants) {
        for (t, out) in res.outputs.iter().enumerate() {
            let mut row = vec![variant.name.clone(), t.to_string()];
            row.extend(out.0.iter().map(|&v| num(v)));
            w.write_record(&row)?;
        }
    }
    finish(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_all_ordered_pairs_up_to_the_limit_then_the_baseline() {
        assert_eq!(table_pairs(3, None).len(), 6);
        assert_eq!(report_pairs(3, None), [(0, 1), (0, 2), (1, 2)]);
        let n = MAX_ALL_PAIRS_VARIANTS + 1;
        let table = table_pairs(n, Some(2));
        assert_eq!(table.len(), 2 * (n - 1));
        assert!(table.iter().all(|&(a, b)| a == 2 || b == 2));
        let report = report_pairs(n, Some(2));
        assert_eq!(report.len(), n - 1);
        assert!(report.iter().all(|&(a, b)| b == 2 && a != 2));
    }

    #[test]
    fn numbers_round_trip_and_undefined_is_empty() {
        assert_eq!(num(0.1 + 0.2).parse::<f64>().unwrap(), 0.1 + 0.2);
        assert_eq!(num(f64::NAN), "");
        assert_eq!(num(3.0), "3");
    }
}
