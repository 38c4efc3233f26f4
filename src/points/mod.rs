//! The point engine under sweep, threshold and sensitivity: the same study run at many
//! points of its inputs, every point on the same seeds (common random numbers), so that
//! curves are smooth and the difference between two points is a paired difference.
//!
//! A point is a scenario with extra override rows ([`point::Point`]), validated as any
//! scenario is; the points run on every thread and come back in point order, with
//! results that do not depend on the thread count.

pub mod key;
pub mod point;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{Context, Result};

use crate::error::{printable, InputError, Problem};
use crate::scenario::{self, Overrides, Scenario};
use crate::sim::{DrawMethod, Metric};
use crate::stats::accumulate::NonFiniteAt;
use crate::stats::{self, StudyAccumulator, StudyAnalysis};
use point::Point;

/// A point ready to run: its values and the study they make.
#[derive(Clone, Debug)]
pub struct PreparedPoint {
    /// What the point sets.
    pub point: Point,
    /// The study at this point (the chosen variants only).
    pub scenario: Scenario,
}

/// What every point shares: the scenario as read, the `--params` CSV, the variants kept,
/// and the run's `--trials` and `--seed`.
pub struct Base<'a> {
    /// The scenario (with the CSV applied).
    pub scenario: &'a Scenario,
    /// The `--params` CSV, if any: a point's rows are applied after it.
    pub csv: Option<&'a Overrides>,
    /// Variants to run (empty: all).
    pub variants: &'a [String],
    /// `--trials`.
    pub trials: Option<u64>,
    /// `--seed`.
    pub seed: Option<u64>,
}

/// Builds every point's study, checking each as a scenario file is checked (a value that
/// contradicts another, a variant that does not exist), before any runs.
pub fn prepare(base: &Base<'_>, points: Vec<Point>) -> Result<Vec<PreparedPoint>, InputError> {
    let names: Vec<&str> = base
        .scenario
        .spec()
        .variants()
        .iter()
        .map(|v| v.name())
        .collect();
    let empty = Overrides::default();
    let csv = base.csv.unwrap_or(&empty);
    let mut problems = Vec::new();
    let mut prepared = Vec::new();
    for (i, point) in points.into_iter().enumerate() {
        let at = format!("sweep point {} (`{}`): ", i + 1, printable(&point.name));
        if let Some(v) = &point.variant {
            if !names.contains(&v.as_str()) {
                let source = point.values.first().map_or("", |v| v.source.as_str());
                problems.push(Problem::general(
                    crate::error::Kind::UnknownKey,
                    format!(
                        "{}{at}column `variant`: the study has no variant `{}`{}",
                        if source.is_empty() {
                            String::new()
                        } else {
                            format!("{source}: ")
                        },
                        printable(v),
                        crate::suggest::hint(v, names.iter().copied())
                    ),
                ));
                continue;
            }
            if !base.variants.is_empty() && !base.variants.contains(v) {
                problems.push(Problem::general(
                    crate::error::Kind::Conflict,
                    format!(
                        "{at}it changes variant `{}`, which --variant leaves out",
                        printable(v)
                    ),
                ));
                continue;
            }
        }
        // An event belongs to the study: a point changing one variant cannot move it.
        if let Some(v) = &point.variant {
            if let Some(e) = point
                .values
                .iter()
                .find(|x| matches!(x.param, key::InputKey::Event(_)))
            {
                problems.push(Problem::general(
                    crate::error::Kind::Conflict,
                    format!(
                        "{at}it changes variant `{}` only, but `{}` is an event's number, which every variant shares",
                        printable(v),
                        e.param
                    ),
                ));
                continue;
            }
        }
        // With some variants kept, a value for every variant is set on the kept ones
        // only: the file is validated whole, and a value the others cannot take (a rule
        // between their parameters) must not stop a study they are not in.
        let (param_rows, event_rows) = point.overrides();
        let rows: Vec<crate::scenario::overrides::Override> = param_rows
            .into_iter()
            .flat_map(|row| {
                if row.variant.is_some() || base.variants.is_empty() {
                    vec![row]
                } else {
                    base.variants
                        .iter()
                        .map(|v| crate::scenario::overrides::Override {
                            variant: Some(v.clone()),
                            ..row.clone()
                        })
                        .collect()
                }
            })
            .collect();
        let mut overrides = csv.then(&rows, &event_rows);
        if point.moves_alone {
            overrides = overrides.moving_alone(&rows);
        }
        let mut s = match scenario::parse(
            base.scenario.text(),
            base.scenario.origin(),
            Some(&overrides),
        ) {
            Ok(s) => s,
            Err(e) => {
                problems.extend(e.into_problems().into_iter().map(|mut p| {
                    p.message = format!("{at}{}", p.message);
                    p
                }));
                continue;
            }
        };
        s.override_run(base.trials, base.seed)?;
        // A point samples as the study it varies does (`--sampling` included).
        s.override_sampling(Some(base.scenario.spec().sampling()))?;
        s.keep_variants(base.variants)?;
        s.forget_history();
        prepared.push(PreparedPoint { point, scenario: s });
    }
    match InputError::from_problems(problems) {
        Some(e) => Err(e),
        None => Ok(prepared),
    }
}

/// One point's result.
#[derive(Clone, Debug)]
pub struct PointResult {
    /// The first value no trial should produce, if any (see [`StudyAccumulator`]).
    pub non_finite: Option<NonFiniteAt>,
    /// The point's analysis (every ordered pair of the kept variants, as a run's). The
    /// accumulators it came from (sketches of every output and day: megabytes a point)
    /// are dropped once it is made, so a sweep's memory does not grow with its points
    /// beyond a few kilobytes each.
    pub analysis: StudyAnalysis,
}

/// Runs every point on `threads` threads and returns their results in point order.
/// With at least as many points as threads, points run side by side, each on one
/// thread; with fewer, one after another, each on every thread. Either way a point's
/// result is that of a run of its study: the same for any thread count.
/// `done` is called after each point.
pub fn run_points(
    points: &[PreparedPoint],
    method: DrawMethod,
    threads: usize,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<PointResult>> {
    let threads = threads.max(1);
    let side_by_side = points.len().min(threads);
    let per_point = (threads / side_by_side.max(1)).max(1);
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<PointResult>>> = points.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| -> Result<()> {
        let workers: Vec<_> = (0..side_by_side)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    let pool = rayon::ThreadPoolBuilder::new()
                        .num_threads(per_point)
                        .build()
                        .context("starting the worker threads")?;
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(p) = points.get(i) else {
                            return Ok(());
                        };
                        let result = pool.install(|| run_point(&p.scenario, method));
                        *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                        done();
                    }
                })
            })
            .collect();
        for w in workers {
            w.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        }
        Ok(())
    })?;
    Ok(slots
        .into_iter()
        .map(|s| {
            s.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every point ran")
        })
        .collect())
}

/// Runs one point's study on the current thread pool.
pub fn run_point(s: &Scenario, method: DrawMethod) -> PointResult {
    let spec = s.spec();
    let pairs = stats::analysis::study_pairs(spec, s.baseline());
    let results = StudyAccumulator::run_all(spec, method, &pairs, &|_| {});
    let mut analysis = stats::analyze(spec, &results, s.baseline());
    // No analysis charts or tables a day's bands: dropped, they are most of its size.
    for v in &mut analysis.variants {
        v.daily_profit = Vec::new();
        v.daily_cash = Vec::new();
    }
    PointResult {
        non_finite: results.non_finite,
        analysis,
    }
}

/// P(a beats b) on `metric` at a point, with its Wilson 95% interval (NaN when the pair
/// has no defined trials or is not among the point's pairs).
pub fn beats(r: &PointResult, a: usize, b: usize, metric: Metric) -> (f64, f64, f64) {
    let Some(d) = r.analysis.pair(a, b).and_then(|p| p.of(metric)) else {
        return (f64::NAN, f64::NAN, f64::NAN);
    };
    let n = d.diff.n;
    let wins = (d.p_a_better * n as f64).round() as usize;
    let w = stats::summary::proportion(wins, n);
    (d.p_a_better, w.ci_low, w.ci_high)
}
