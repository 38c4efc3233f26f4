//! Comparing runs made earlier (`shopsim compare`): the same variant across runs, matched
//! by name, from the runs' CSV files only (the simulator is not involved).

pub mod answer;
pub mod changes;
pub mod load;

use changes::{Changes, Named};
use load::Run;

use crate::error::InputError;
use crate::metric::{Metric, Unit};
use crate::stats::replicates::block_mean;
use crate::stats::Estimate;

/// How the run at `index` (from 0, in the order given) is called in tables and charts: `A`,
/// `B`, … `Z`, then `run 27`….
pub fn run_letter(index: usize) -> String {
    match u8::try_from(index) {
        Ok(i) if i < 26 => char::from(b'A' + i).to_string(),
        _ => format!("run {}", index + 1),
    }
}

/// How a difference's interval was computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffMethod {
    /// Both runs kept their trials and share seed and trial count: trial i of one run is
    /// paired with trial i of the other (common random numbers across runs).
    Paired,
    /// From each run's mean and standard error, as independent samples.
    Independent,
}

impl DiffMethod {
    /// How the method is named in tables.
    pub fn name(self) -> &'static str {
        match self {
            DiffMethod::Paired => "paired trials",
            DiffMethod::Independent => "independent runs",
        }
    }
}

/// Run `b` against run `a` for one variant.
#[derive(Clone, Debug, PartialEq)]
pub struct Diff {
    /// The variant compared.
    pub variant: String,
    /// Index of the earlier run (A).
    pub run_a: usize,
    /// Index of the later run (B).
    pub run_b: usize,
    /// The output's mean in run A.
    pub mean_a: f64,
    /// The output's mean in run B.
    pub mean_b: f64,
    /// Mean of b − a, with its interval.
    pub diff: Estimate,
    /// Paired trials or independent runs.
    pub method: DiffMethod,
}

/// A variant found in two or more runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Matched {
    /// The variant name.
    pub variant: String,
    /// Indices of the runs that have it, in the order given.
    pub runs: Vec<usize>,
}

/// Earlier runs compared on one output: the runs, the variants matched by name, and the differences.
pub struct Comparison {
    /// The output compared (a metric name).
    pub metric: String,
    /// The runs, in the order given.
    pub runs: Vec<Run>,
    /// Variants found in two or more runs.
    pub matched: Vec<Matched>,
    /// Each later run against the first that has the variant.
    pub diffs: Vec<Diff>,
    /// What could not be matched, one sentence each.
    pub notes: Vec<String>,
    /// What differs in the inputs: each later run against the first, and any other pair
    /// a difference is taken between.
    pub changes: Vec<Changes>,
}

impl Comparison {
    /// What differs in the inputs between runs `a` and `b`.
    pub fn changes_between(&self, a: usize, b: usize) -> Option<&Changes> {
        self.changes.iter().find(|c| c.run_a == a && c.run_b == b)
    }

    /// Per-trial values of a variant in a run, when that run wrote trials.csv.
    pub fn trials(&self, run: usize, variant: &str) -> Option<&Vec<f64>> {
        self.runs[run]
            .trials_by_variant
            .as_ref()?
            .get(&(variant.to_string(), self.metric.clone()))
    }
}

/// Matches variants across runs by name and computes each later run's difference from the
/// first run that has the variant.
pub fn compare(mut runs: Vec<Run>, metric: &str) -> Result<Comparison, InputError> {
    if runs.len() < 2 {
        return Err(InputError::new(
            crate::error::Kind::Missing,
            "compare needs at least two study folders".to_string(),
        ));
    }
    let Some(output) = Metric::from_name(metric) else {
        let names = Metric::ALL.iter().map(|m| m.name());
        return Err(InputError::new(
            crate::error::Kind::UnknownKey,
            format!(
                "unknown metric `{metric}`{}; metrics: {}",
                crate::suggest::hint(metric, names.clone()),
                names.collect::<Vec<_>>().join(", ")
            ),
        ));
    };
    distinct_labels(&mut runs);
    check_metric_written(&runs, output)?;
    let mut notes = currency_notes(&runs, output)?;
    notes.extend(run_notes(&runs));
    notes.extend(definition_note(&runs, output));
    let matched = match_variants(&runs, metric, &mut notes);
    if matched.is_empty() {
        let lists: Vec<String> = runs
            .iter()
            .map(|r| format!("{}: {}", r.label, r.variants.join(", ")))
            .collect();
        return Err(InputError::new(
            crate::error::Kind::Conflict,
            format!(
                "nothing to compare: no variant name appears in two of the runs ({})",
                lists.join("; ")
            ),
        ));
    }
    let mut comparison = Comparison {
        metric: metric.to_string(),
        runs,
        matched,
        diffs: Vec::new(),
        notes,
        changes: Vec::new(),
    };
    comparison.diffs = comparison
        .matched
        .iter()
        .flat_map(|m| m.runs[1..].iter().map(move |&b| (m, b)))
        .map(|(m, b)| difference(&comparison, &m.variant, m.runs[0], b))
        .collect();
    let mut pairs: Vec<(usize, usize)> = (1..comparison.runs.len()).map(|b| (0, b)).collect();
    for d in &comparison.diffs {
        if !pairs.contains(&(d.run_a, d.run_b)) {
            pairs.push((d.run_a, d.run_b));
        }
    }
    comparison.changes = pairs
        .into_iter()
        .map(|(a, b)| {
            let runs = &comparison.runs;
            changes::changes(a, named(&runs[a]), b, named(&runs[b]))
        })
        .collect();
    Ok(comparison)
}

fn named(r: &Run) -> Named<'_> {
    Named {
        label: &r.label,
        record: &r.record,
    }
}

/// Makes the runs' labels tell them apart: a label two runs share grows by one folder at a
/// time until they differ (`x/before/s`, `y/before/s`); the same folder given twice is
/// told apart by its place (`runs/s (run 2)`).
fn distinct_labels(runs: &mut [Run]) {
    let mut parts = 2;
    loop {
        let clashing: Vec<usize> = (0..runs.len())
            .filter(|&i| {
                runs.iter()
                    .enumerate()
                    .any(|(j, o)| j != i && o.label == runs[i].label)
            })
            .collect();
        if clashing.is_empty() {
            return;
        }
        parts += 1;
        let mut grew = false;
        for &i in &clashing {
            let longer = load::label_of(&runs[i].dir, parts);
            if longer != runs[i].label {
                runs[i].label = longer;
                grew = true;
            }
        }
        if !grew {
            for &i in &clashing {
                runs[i].label = format!("{} (run {})", runs[i].label, i + 1);
            }
            return;
        }
    }
}

/// Runs in different currencies: their money figures cannot be subtracted, so comparing a
/// money output is refused; another output is compared, with a note.
fn currency_notes(runs: &[Run], output: Metric) -> Result<Vec<String>, InputError> {
    let first = &runs[0].currency;
    if runs.iter().all(|r| &r.currency == first) {
        return Ok(Vec::new());
    }
    let list: Vec<String> = runs
        .iter()
        .map(|r| format!("{} in {}", r.label, r.currency))
        .collect();
    if output.unit() == Unit::Currency {
        return Err(InputError::new(
            crate::error::Kind::Conflict,
            format!(
                "the runs are in different currencies ({}): their `{}` cannot be subtracted. Rerun one study in the other's currency (its `currency` and `fx.<currency>`), or compare an output that is not money (--metric orders, return_rate, on_time_rate…)",
                list.join(", "),
                output.name()
            ),
        ));
    }
    Ok(vec![format!(
        "the runs are in different currencies ({}): `{}` is not money, so it is compared, but every money parameter differs by the conversion too",
        list.join(", "),
        output.name()
    )])
}

/// The first format whose profit counts the write-down of a delisted product's stock (the
/// output `stock_write_down`).
const FORMAT_WRITE_DOWN: u32 = 10;

/// An output no summary of a run holds: written before it existed (or edited out).
fn check_metric_written(runs: &[Run], metric: Metric) -> Result<(), InputError> {
    let lacking: Vec<String> = runs
        .iter()
        .filter(|r| !r.summary.keys().any(|(_, m)| m == metric.name()))
        .map(|r| format!("{} (format {})", r.label, r.record.format_version))
        .collect();
    if lacking.is_empty() {
        return Ok(());
    }
    Err(InputError::new(
        crate::error::Kind::Missing,
        format!(
            "{} {} no output `{}`: written by an older shopsim, before it existed; rerun {} with this version to compare it",
            lacking.join(" and "),
            if lacking.len() > 1 { "have" } else { "has" },
            metric.name(),
            if lacking.len() > 1 { "them" } else { "it" },
        ),
    ))
}

/// Runs with a fully managed variant, of formats before and after a delisted product's
/// stock was written down (and stopped paying storage): their outputs differ by that where
/// a product was delisted.
fn definition_note(runs: &[Run], metric: Metric) -> Option<String> {
    // Everything the write-down or the storage it no longer pays reaches.
    let moved = matches!(
        metric,
        Metric::Profit
            | Metric::Margin
            | Metric::ProfitPerOrder
            | Metric::Roi
            | Metric::ClosingStockValue
            | Metric::BreakEvenDay
            | Metric::StorageCost
            | Metric::LogisticsCost
            | Metric::Contribution
            | Metric::ContributionMargin
            | Metric::WorkingCapitalNeeded
            | Metric::CapitalShortfall
    );
    let managed = runs.iter().any(|r| {
        r.record
            .variants
            .iter()
            .any(|v| v.model == crate::params::Model::FullyManaged.name())
    });
    let older: Vec<&str> = runs
        .iter()
        .filter(|r| r.record.format_version < FORMAT_WRITE_DOWN)
        .map(|r| r.label.as_str())
        .collect();
    if !moved || !managed || older.is_empty() || older.len() == runs.len() {
        return None;
    }
    Some(format!(
        "`{}` of {} (format before {FORMAT_WRITE_DOWN}) does not count the write-down of a delisted fully managed product's stock (`stock_write_down`), and kept charging that stock's storage, which later runs do not: where a product was delisted, part of a difference is that; rerun {} with this version to compare like with like",
        metric.name(),
        older.join(" and "),
        if older.len() > 1 { "them" } else { "it" },
    ))
}

/// What to know about the runs themselves: different studies, the same folder twice, how
/// pairs of runs are paired.
fn run_notes(runs: &[Run]) -> Vec<String> {
    let mut notes = Vec::new();
    let mut studies: Vec<&str> = runs.iter().map(|r| r.study.as_str()).collect();
    studies.dedup();
    if studies.len() > 1 {
        notes.push(format!(
            "the runs are of different studies ({}); variants are matched by name",
            studies.join(", ")
        ));
    }
    let same = |a: &Run, b: &Run| match (a.dir.canonicalize(), b.dir.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a.dir == b.dir,
    };
    for (i, r) in runs.iter().enumerate() {
        if let Some(first) = runs[..i].iter().find(|o| same(o, r)) {
            notes.push(format!(
                "{} and {} are the same folder: their differences are zero",
                first.dir.display(),
                r.dir.display()
            ));
        }
    }
    for (i, a) in runs.iter().enumerate() {
        notes.extend(runs[i + 1..].iter().filter_map(|b| pairing_note(a, b)));
    }
    notes
}

/// The variants found (with the metric) in two or more runs, in order of first
/// appearance; what cannot be matched goes to `notes`.
fn match_variants(runs: &[Run], metric: &str, notes: &mut Vec<String>) -> Vec<Matched> {
    let mut names: Vec<&String> = Vec::new();
    for v in runs.iter().flat_map(|r| &r.variants) {
        if !names.contains(&v) {
            names.push(v);
        }
    }
    let label = |i: usize| runs[i].label.as_str();
    let mut matched = Vec::new();
    for name in names {
        let key = (name.clone(), metric.to_string());
        let with: Vec<usize> = (0..runs.len())
            .filter(|&i| runs[i].variants.contains(name))
            .collect();
        let (with_metric, without): (Vec<usize>, Vec<usize>) = with
            .iter()
            .partition(|&&i| runs[i].summary.contains_key(&key));
        for i in without {
            notes.push(format!(
                "variant `{name}`: run {} has no `{metric}` row",
                label(i)
            ));
        }
        if with_metric.len() < 2 {
            let only: Vec<&str> = with.iter().map(|&i| label(i)).collect();
            notes.push(format!(
                "variant `{name}` is only in {}: nothing to compare it with",
                if only.is_empty() {
                    "no run".to_string()
                } else {
                    only.join(", ")
                }
            ));
            continue;
        }
        let missing: Vec<&str> = (0..runs.len())
            .filter(|i| !with.contains(i))
            .map(label)
            .collect();
        if !missing.is_empty() {
            notes.push(format!("variant `{name}` is not in {}", missing.join(", ")));
        }
        matched.push(Matched {
            variant: name.clone(),
            runs: with_metric,
        });
    }
    matched
}

/// Why two runs are or are not compared trial by trial, when it is not the plain case
/// (same seed, same trial count, both kept their trials).
fn pairing_note(a: &Run, b: &Run) -> Option<String> {
    let both_kept = a.trials_by_variant.is_some() && b.trials_by_variant.is_some();
    let (la, lb) = (&a.label, &b.label);
    if !both_kept {
        return None; // the common case: summaries only, said in the method column
    }
    if a.seed != b.seed {
        return Some(format!(
            "{la} and {lb} kept their trials but used different seeds ({} and {}): their trials are not paired, so they are compared as independent runs",
            a.seed, b.seed
        ));
    }
    let mut notes = Vec::new();
    if a.trials != b.trials {
        notes.push(format!(
            "{la} and {lb} share seed {} but have {} and {} trials: the first {} trials of each (the same random numbers) are paired",
            a.seed,
            a.trials,
            b.trials,
            a.trials.min(b.trials)
        ));
    }
    if a.record.latin_hypercube() != b.record.latin_hypercube() {
        notes.push(format!(
            "{la} and {lb} sampled their inputs by different methods ({} and {}): their trials share the day-to-day random numbers but not the inputs' draws, so their pairs are looser and the interval comes from the single trials' spread",
            a.record.sampling, b.record.sampling
        ));
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}

fn difference(c: &Comparison, variant: &str, a: usize, b: usize) -> Diff {
    let key = (variant.to_string(), c.metric.clone());
    let (sa, sb) = (&c.runs[a].summary[&key], &c.runs[b].summary[&key]);
    let paired = match (c.trials(a, variant), c.trials(b, variant)) {
        // Trial i draws from streams of (seed, i), whatever the trial count: with the same
        // seed, the trials both runs have are paired.
        // An output defined in a trial of one run and not of the other (a break-even day
        // reached in one only): the trials both define are not the runs' trials, and
        // their mean difference is not the difference of the means shown beside it; the
        // runs are compared by their means instead.
        (Some(ta), Some(tb))
            if c.runs[a].seed == c.runs[b].seed
                && ta.iter().zip(tb).all(|(x, y)| x.is_nan() == y.is_nan()) =>
        {
            let d: Vec<f64> = ta.iter().zip(tb).map(|(x, y)| y - x).collect();
            let defined: Vec<f64> = d.iter().copied().filter(|d| !d.is_nan()).collect();
            // Two Latin hypercube runs of one seed share their blocks (trial i is in block
            // i / 64 in both): the error comes from the blocks' differences, as a run's
            // own does; the spread of single trials would overstate it.
            let blocks = c.runs[a].record.latin_hypercube() && c.runs[b].record.latin_hypercube();
            (!defined.is_empty()).then(|| {
                if blocks {
                    block_mean(&d)
                } else {
                    Estimate::mean_of(&defined)
                }
            })
        }
        _ => None,
    };
    let (diff, method) = match paired {
        Some(d) => (d, DiffMethod::Paired),
        None => (
            Estimate::welch_difference_df(&sa.mean_estimate(), sa.df, &sb.mean_estimate(), sb.df),
            DiffMethod::Independent,
        ),
    };
    Diff {
        variant: variant.to_string(),
        run_a: a,
        run_b: b,
        mean_a: sa.mean,
        mean_b: sb.mean,
        diff,
        method,
    }
}

#[cfg(test)]
mod tests {
    use super::load::{Run, VariantSummary};
    use super::*;
    use std::collections::BTreeMap;

    fn run(label: &str, seed: u64, mean: f64, se: f64, trials: Option<Vec<f64>>) -> Run {
        let key = ("v".to_string(), "profit".to_string());
        let summary = VariantSummary {
            mean,
            se,
            p5: mean,
            p25: mean,
            p50: mean,
            p75: mean,
            p95: mean,
            n: 50,
            df: 49.0,
        };
        let mut record: crate::formats::record::RunRecord = serde_json::from_str(
            r#"{"program": "shopsim", "version": "0.1.0", "study": "s", "scenario": "s.toml",
                "description": null, "currency": "USD", "seed": 0, "trials": 50,
                "horizon_days": 10, "threads": 1, "elapsed_seconds": 0,
                "draw_method": "per-day", "params_csv": null, "warnings": [], "events": [],
                "variants": []}"#,
        )
        .unwrap();
        record.seed = seed;
        Run {
            label: label.to_string(),
            dir: label.into(),
            study: "s".to_string(),
            seed,
            trials: 50,
            currency: "USD".to_string(),
            variants: vec!["v".to_string()],
            summary: BTreeMap::from([(key.clone(), summary)]),
            trials_by_variant: trials.map(|t| BTreeMap::from([(key, t)])),
            record,
        }
    }

    /// Two Latin hypercube runs of one seed: trial by trial, the error of the mean
    /// difference comes from the blocks' differences (t on blocks − 1), not from the
    /// spread of single trials; from summaries, each mean's degrees of freedom are its
    /// run's blocks − 1.
    #[test]
    fn latin_hypercube_runs_are_compared_on_their_blocks() {
        // 256 trials, 4 blocks; the differences are 1 plus a pattern that repeats in every
        // block (what stratification removes) plus a small block effect.
        let a: Vec<f64> = (0..256).map(|i| (i % 64) as f64).collect();
        let b: Vec<f64> = (0..256)
            .map(|i| 2.0 * (i % 64) as f64 + 1.0 + (i / 64) as f64 * 0.1)
            .collect();
        let lhs = |mut r: Run| {
            r.record.sampling = "lhs".to_string();
            r
        };
        let runs = vec![
            lhs(run("a", 1, 31.5, 1.0, Some(a.clone()))),
            lhs(run("b", 1, 64.15, 1.0, Some(b.clone()))),
        ];
        let c = compare(runs, "profit").unwrap();
        let d: Vec<f64> = a.iter().zip(&b).map(|(x, y)| y - x).collect();
        assert_eq!(c.diffs[0].method, DiffMethod::Paired);
        assert_eq!(c.diffs[0].diff, block_mean(&d));
        assert!(c.diffs[0].diff.se < Estimate::mean_of(&d).se / 10.0);
        // Simple Monte Carlo runs keep the trials' spread.
        let runs = vec![
            run("a", 1, 31.5, 1.0, Some(a.clone())),
            run("b", 1, 64.15, 1.0, Some(b.clone())),
        ];
        assert_eq!(
            compare(runs, "profit").unwrap().diffs[0].diff,
            Estimate::mean_of(&d)
        );
        // From summaries: the degrees of freedom each summary carries.
        let mut runs = vec![run("a", 1, 100.0, 4.0, None), run("b", 2, 110.0, 3.0, None)];
        for r in &mut runs {
            for s in r.summary.values_mut() {
                s.df = 3.0;
            }
        }
        let c = compare(runs, "profit").unwrap();
        let (ea, eb) = (
            Estimate::t_interval(100.0, 4.0, 3.0, 50),
            Estimate::t_interval(110.0, 3.0, 3.0, 50),
        );
        assert_eq!(
            c.diffs[0].diff,
            Estimate::welch_difference_df(&ea, 3.0, &eb, 3.0)
        );
        // (16 + 9)² / ((256 + 81) / 3) = 5.56 degrees of freedom: t ≈ 2.51, not 1.99.
        let t = (c.diffs[0].diff.ci_high - 10.0) / 5.0;
        assert!((t - 2.51).abs() < 0.02, "{t}");
    }

    /// An output one run defines in a trial and the other does not: the trials both
    /// define are not the runs' trials, so the runs are compared by their means (Welch),
    /// whose difference is the one shown beside them.
    #[test]
    fn outputs_defined_in_other_trials_are_compared_by_their_means() {
        let a: Vec<f64> = (0..100).map(f64::from).collect();
        let mut b: Vec<f64> = a.iter().map(|x| x + 1.0).collect();
        b[7] = f64::NAN;
        let runs = vec![
            run("a", 1, 49.5, 1.0, Some(a.clone())),
            run("b", 1, 50.4, 1.0, Some(b)),
        ];
        let d = &compare(runs, "profit").unwrap().diffs[0];
        assert_eq!(d.method, DiffMethod::Independent);
        assert!((d.diff.point - 0.9).abs() < 1e-12, "{:?}", d.diff);
        // Undefined in the same trials of both: still paired.
        let mut a2 = a.clone();
        a2[7] = f64::NAN;
        let mut b2: Vec<f64> = a.iter().map(|x| x + 1.0).collect();
        b2[7] = f64::NAN;
        let runs = vec![
            run("a", 1, 49.5, 1.0, Some(a2)),
            run("b", 1, 50.5, 1.0, Some(b2)),
        ];
        assert_eq!(
            compare(runs, "profit").unwrap().diffs[0].method,
            DiffMethod::Paired
        );
    }

    #[test]
    fn runs_without_shared_trials_are_compared_by_welch() {
        let c = compare(
            vec![run("a", 1, 100.0, 4.0, None), run("b", 2, 110.0, 3.0, None)],
            "profit",
        )
        .unwrap();
        let d = &c.diffs[0];
        assert_eq!(d.method, DiffMethod::Independent);
        let a = c.runs[0].summary.values().next().unwrap().mean_estimate();
        let b = c.runs[1].summary.values().next().unwrap().mean_estimate();
        assert_eq!(d.diff, Estimate::welch_difference(&a, &b));
        // Equal counts: df = (16 + 9)² / ((256 + 81) / 49) = 90.87, t ≈ 1.986, se = 5.
        assert!((d.diff.point - 10.0).abs() < 1e-12);
        assert!(
            (d.diff.ci_high - 10.0 - 1.986 * 5.0).abs() < 0.01,
            "{:?}",
            d.diff
        );
    }

    #[test]
    fn labels_two_runs_share_grow_until_they_differ() {
        let mut runs = vec![
            run("a", 1, 0.0, 1.0, None),
            run("b", 1, 0.0, 1.0, None),
            run("c", 1, 0.0, 1.0, None),
        ];
        runs[0].dir = "x/before/s".into();
        runs[1].dir = "y/before/s".into();
        runs[2].dir = "x/before/s".into();
        for r in &mut runs {
            r.label = load::label_of(&r.dir, 2);
        }
        distinct_labels(&mut runs);
        let labels: Vec<&str> = runs.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            labels,
            ["x/before/s (run 1)", "y/before/s", "x/before/s (run 3)"]
        );
    }

    #[test]
    fn money_is_not_subtracted_across_currencies() {
        let mut thb = run("b", 2, 110.0, 3.0, None);
        thb.currency = "THB".to_string();
        thb.record.currency = "THB".to_string();
        let runs = || vec![run("a", 1, 100.0, 4.0, None), thb.clone()];
        let refused = compare(runs(), "profit").err().unwrap().to_string();
        assert!(refused.contains("a in USD, b in THB"), "{refused}");
        // An output that is not money is compared, with a note.
        let mut runs = runs();
        for r in &mut runs {
            let s = r
                .summary
                .remove(&("v".to_string(), "profit".to_string()))
                .unwrap();
            r.summary.insert(("v".to_string(), "orders".to_string()), s);
        }
        let c = compare(runs, "orders").unwrap();
        assert!(c.notes[0].contains("different currencies"), "{:?}", c.notes);
        let said: Vec<String> = c.changes[0]
            .changes
            .iter()
            .map(|ch| ch.said("a", "b"))
            .collect();
        let keys: Vec<&str> = c.changes[0]
            .changes
            .iter()
            .map(|ch| ch.key.as_str())
            .collect();
        assert_eq!(keys, ["currency", "seed"]);
        assert_eq!(said[0], "USD → THB");
    }

    #[test]
    fn runs_with_the_same_seed_and_trials_are_paired() {
        let before: Vec<f64> = (0..50).map(f64::from).collect();
        let after: Vec<f64> = before.iter().map(|x| x + 3.0).collect();
        let c = compare(
            vec![
                run("a", 7, 24.5, 2.0, Some(before)),
                run("b", 7, 27.5, 2.0, Some(after)),
            ],
            "profit",
        )
        .unwrap();
        let d = &c.diffs[0];
        assert_eq!(d.method, DiffMethod::Paired);
        // Every trial moved by exactly 3: the paired interval is the point.
        assert_eq!(
            (d.diff.point, d.diff.ci_low, d.diff.ci_high),
            (3.0, 3.0, 3.0)
        );
    }
}
