//! Swings on paired trials: a swing's end is the base run's mean plus the mean paired
//! difference between the trials at that end and the same trials of the base run.
//!
//! On common random numbers trial *j* at a swing's end and trial *j* of the base run share
//! every stream, so the difference `Y_end(j) − Y_base(j)` carries only what the input
//! changes, not the trial's own spread. Its mean over the first *n* trials estimates the
//! swing's effect with standard error `sd(difference) / √n`: for an input that enters
//! the output linearly the difference is the same in every trial (standard error 0),
//! for one that interacts with the trial's randomness it varies. So a swing runs in
//! rounds of [`ROUND`] trials and stops once the standard errors of its effects (each end
//! against the base, and the bar's width) are within `tolerance` of the target's widest
//! bar, or at the study's trials (where the old estimate, a full study per end, stopped
//! too: it is the same estimate then, and with fewer trials it is that estimate's
//! precision the tolerance states). A swing only runs the variants its values change:
//! the others are the base run, trial by trial.
//!
//! The rounds, the stopping and the estimates depend only on the trials' results, never
//! on the thread count.

use std::ops::Range;

use anyhow::Result;
use rayon::prelude::*;

use super::{swing_point, Effect, Swing, Target};
use crate::error::InputError;
use crate::metric::Metric;
use crate::points::{self, Base};
use crate::scenario::Scenario;
use crate::sim::inputs;
use crate::sim::trial::{self, Calendar, DailyPaths, SharedDraws};
use crate::sim::{DrawMethod, Outputs, StudySpec};
use crate::stats::accumulate::NonFiniteAt;

/// Trials a swing adds per round (a quarter of a batch: inputs are sampled as the base
/// run samples them whatever the range, correlated ones a whole batch at a time).
pub const ROUND: u64 = 64;

/// The default tolerance: a bar's standard error within 1% of the target's widest bar.
pub const DEFAULT_TOLERANCE: f64 = 0.01;

/// One position of one swing, ready to run: the point's study and the variants it changes.
struct Position {
    /// The study at this position (its events, seed and horizon).
    spec: StudySpec,
    /// The variants whose spec (or event) the position changes.
    changed: Vec<usize>,
    /// Each variant's calendar at this position.
    calendars: Vec<Calendar>,
}

/// The metric in each trial run at a position, per changed variant.
#[derive(Default, Clone)]
struct Runs {
    /// Per changed variant (in `Position::changed` order), its value in trials `0..n`.
    values: Vec<Vec<f64>>,
}

/// The base run's metric per variant and trial, and each target's base mean.
pub struct BaseValues<'a> {
    /// Per variant of the study, the metric in each trial (NaN where undefined).
    pub by_variant: &'a [Vec<f64>],
    /// Each target's mean in the base run.
    pub means: &'a [f64],
}

/// What the paired swings found: per target and swing, its [`Effect`]; per swing, the
/// trials it ran.
pub struct PairedSwings {
    /// Per target, per swing.
    pub effects: Vec<Vec<Effect>>,
    /// Variant-trials run in all (for the record).
    pub variant_trials: u64,
}

/// Builds the study at each position of each swing and finds the variants it changes.
fn positions(
    base: &Base<'_>,
    study: &Scenario,
    swings: &[Swing],
    at: &[usize],
) -> Result<Vec<Vec<Position>>, InputError> {
    let spec = study.spec();
    let mut out = Vec::with_capacity(swings.len());
    for sw in swings {
        let points: Vec<_> = at.iter().map(|&k| swing_point(study, sw, k)).collect();
        let prepared = points::prepare(base, points)?;
        out.push(
            prepared
                .into_iter()
                .zip(at)
                .map(|(p, &k)| {
                    let s = p.scenario.spec().clone();
                    debug_assert_eq!(s.seed(), spec.seed());
                    let events_moved = s.events() != spec.events();
                    let changed = (0..spec.variants().len())
                        .filter(|&v| {
                            s.variants()[v] != spec.variants()[v]
                                || (events_moved && sw.values[k][v].is_some())
                        })
                        .collect();
                    let calendars = s
                        .variants()
                        .iter()
                        .map(|v| Calendar::new(s.events(), s.horizon_days(), v.setting().market))
                        .collect();
                    Position {
                        spec: s,
                        changed,
                        calendars,
                    }
                })
                .collect(),
        );
    }
    Ok(out)
}

/// Runs trials `trials` of the changed variants at a position, each trial's variants on
/// one set of shared draws; the first value no trial should produce is an error.
fn run_trials(
    p: &Position,
    which: &[usize],
    trials: Range<u64>,
    metric: Metric,
) -> Result<Vec<Vec<f64>>, NonFiniteAt> {
    let spec = &p.spec;
    let seed = spec.seed();
    let sampled: Vec<Vec<inputs::TrialInputs>> = which
        .iter()
        .map(|&v| {
            let variant = &spec.variants()[v];
            inputs::sample_batch(
                variant,
                spec.events(),
                seed,
                trials.clone(),
                spec.sampling(),
            )
        })
        .collect();
    let days = which
        .iter()
        .map(|&v| p.calendars[v].horizon())
        .max()
        .unwrap_or(0);
    let horizon = spec.horizon_days().max(1);
    let (mut profit, mut cash, mut histogram) =
        (vec![0.0f32; horizon], vec![0.0f32; horizon], Vec::new());
    let mut shared = SharedDraws::new(seed, trials.start, days);
    let mut out: Vec<Vec<f64>> = which
        .iter()
        .map(|_| Vec::with_capacity((trials.end - trials.start) as usize))
        .collect();
    for (i, t) in trials.clone().enumerate() {
        shared.reset(seed, t, days);
        for (c, &v) in which.iter().enumerate() {
            histogram.clear();
            let paths = DailyPaths {
                cumulative_profit: &mut profit,
                cash: &mut cash,
                delay_histogram: &mut histogram,
            };
            let o = trial::run_shared(
                &spec.variants()[v],
                &p.calendars[v],
                &sampled[c][i],
                &mut shared,
                DrawMethod::PerDay,
                paths,
            );
            if let Some(bad) = non_finite(&o, &profit, &cash, v, t) {
                return Err(bad);
            }
            out[c].push(o[metric]);
        }
    }
    Ok(out)
}

/// The first value of one trial that no trial should produce (as a study's run reports
/// it: outputs first, then the daily paths).
fn non_finite(
    o: &Outputs,
    profit: &[f32],
    cash: &[f32],
    variant: usize,
    trial: u64,
) -> Option<NonFiniteAt> {
    for &m in Metric::ALL {
        let value = o[m];
        if value.is_infinite() || (value.is_nan() && !m.may_be_undefined()) {
            return Some(NonFiniteAt {
                variant,
                kind: 0,
                trial,
                day: 0,
                metric: m as usize,
                value,
            });
        }
    }
    for (m, path) in [
        (Metric::Profit, profit),
        (Metric::WorkingCapitalNeeded, cash),
    ] {
        if let Some(day) = path.iter().position(|x| !x.is_finite()) {
            return Some(NonFiniteAt {
                variant,
                kind: 1,
                trial,
                day,
                metric: m as usize,
                value: f64::from(path[day]),
            });
        }
    }
    None
}

/// A mean and its standard error over the finite values of `x`.
fn mean_se(x: impl Iterator<Item = f64>) -> (f64, f64, usize) {
    let (mut n, mut mean, mut m2) = (0usize, 0.0f64, 0.0f64);
    for v in x.filter(|v| v.is_finite()) {
        n += 1;
        let d = v - mean;
        mean += d / n as f64;
        m2 += d * (v - mean);
    }
    match n {
        0 => (f64::NAN, f64::NAN, 0),
        1 => (mean, f64::NAN, 1),
        _ => (mean, (m2 / (n - 1) as f64 / n as f64).sqrt(), n),
    }
}

/// One target's value in trial `j` at a position: the changed variants from `runs`, the
/// others from the base run.
fn target_value(
    target: &Target,
    base: &BaseValues<'_>,
    pos: &Position,
    runs: &Runs,
    j: usize,
) -> f64 {
    let value = |v: usize| match pos.changed.iter().position(|&c| c == v) {
        Some(c) => runs.values[c][j],
        None => base.by_variant[v][j],
    };
    match *target {
        Target::Variant(i) => value(i),
        Target::Difference { a, b } => value(a) - value(b),
    }
}

/// Whether `target` reads a variant the position changes.
fn moves(target: &Target, pos: &Position) -> bool {
    target.variants().iter().any(|v| pos.changed.contains(v))
}

/// Paired statistics of one swing for one target over trials `0..n`: the mean shift of
/// each end from the base and the bar's width, with their standard errors.
#[derive(Clone, Copy)]
struct EndStats {
    low: (f64, f64),
    high: (f64, f64),
    width: (f64, f64),
}

/// The target's value in the base run's trial `j`.
fn base_value(target: &Target, base: &BaseValues<'_>, j: usize) -> f64 {
    match *target {
        Target::Variant(i) => base.by_variant[i][j],
        Target::Difference { a, b } => base.by_variant[a][j] - base.by_variant[b][j],
    }
}

fn end_stats(
    target: &Target,
    base: &BaseValues<'_>,
    ends: &[Position],
    runs: &[Runs],
    n: usize,
) -> EndStats {
    let (lo, hi) = (&ends[0], &ends[1]);
    if !moves(target, lo) && !moves(target, hi) {
        return EndStats {
            low: (0.0, 0.0),
            high: (0.0, 0.0),
            width: (0.0, 0.0),
        };
    }
    let at_low = |j: usize| target_value(target, base, lo, &runs[0], j);
    let at_high = |j: usize| target_value(target, base, hi, &runs[1], j);
    let (l, lse, _) = mean_se((0..n).map(|j| at_low(j) - base_value(target, base, j)));
    let (h, hse, _) = mean_se((0..n).map(|j| at_high(j) - base_value(target, base, j)));
    let (w, wse, _) = mean_se((0..n).map(|j| at_high(j) - at_low(j)));
    EndStats {
        low: (l, lse),
        high: (h, hse),
        width: (w, wse),
    }
}

/// The bars a target's chart shows (and whose order the ranking must keep).
const CHART_BARS: usize = 12;

/// Whether target `t`'s estimate of swing `i` is precise enough to stop (see the module):
/// the standard errors of its width within `tolerance` of the widest bar and of its ends
/// within twice that; and, among the chart's widest bars (and the next), its width's 95%
/// interval apart from its neighbours' in the current order — a pair that cannot be told
/// apart runs on to the study's trials, as the estimate with every trial did.
fn precise(stats: &[EndStats], i: usize, tolerance: f64) -> bool {
    let w = |e: &EndStats| e.width.0.abs();
    let widest = stats
        .iter()
        .map(w)
        .filter(|x| x.is_finite())
        .fold(0.0, f64::max);
    let e = &stats[i];
    let ends = e.low.1.max(e.high.1);
    // NaN (one trial): not known yet.
    if !(e.width.1 <= tolerance * widest && ends <= 2.0 * tolerance * widest) {
        return false;
    }
    let mut order: Vec<usize> = (0..stats.len()).filter(|&k| w(&stats[k]) > 0.0).collect();
    order.sort_by(|&a, &b| w(&stats[b]).total_cmp(&w(&stats[a])).then(a.cmp(&b)));
    let Some(rank) = order.iter().position(|&k| k == i) else {
        return true;
    };
    if rank > CHART_BARS {
        return true;
    }
    let apart = |k: usize| {
        let o = &stats[k];
        let gap = (w(e) - w(o)).abs();
        let se = (e.width.1.powi(2) + o.width.1.powi(2)).sqrt();
        // Two exact bars (every trial alike) are ordered exactly, even when equal.
        se == 0.0 || gap > 1.96 * se
    };
    (rank == 0 || apart(order[rank - 1])) && order.get(rank + 1).is_none_or(|&k| apart(k))
}

/// Runs the jobs `(swing, position, variants, trials)` on the pool and appends their
/// values to `runs`; returns the variant-trials run.
fn run_jobs(
    pool: &rayon::ThreadPool,
    at: &[Vec<Position>],
    runs: &mut [Vec<Runs>],
    jobs: &[(usize, usize, Vec<usize>, Range<u64>)],
    metric: Metric,
    study: &Scenario,
    progress: &super::analysis::Progress<'_>,
) -> Result<u64> {
    let count: u64 = jobs
        .iter()
        .map(|(_, _, w, r)| (r.end - r.start) * w.len() as u64)
        .sum();
    (progress.more)(count);
    let results: Vec<Result<Vec<Vec<f64>>, NonFiniteAt>> = pool.install(|| {
        jobs.par_iter()
            .map(|(i, k, which, r)| {
                let out = run_trials(&at[*i][*k], which, r.clone(), metric);
                (progress.done)((r.end - r.start) * which.len() as u64);
                out
            })
            .collect()
    });
    for ((i, k, which, r), result) in jobs.iter().zip(results) {
        let values = result.map_err(|b| out_of_range(&b, study))?;
        let pos = &at[*i][*k];
        for (v, new) in which.iter().zip(values) {
            let c = pos
                .changed
                .iter()
                .position(|x| x == v)
                .expect("a changed variant");
            debug_assert_eq!(runs[*i][*k].values[c].len() as u64, r.start);
            runs[*i][*k].values[c].extend(new);
        }
    }
    Ok(count)
}

/// Empty runs for every position.
fn no_runs(at: &[Vec<Position>]) -> Vec<Vec<Runs>> {
    at.iter()
        .map(|p| {
            p.iter()
                .map(|p| Runs {
                    values: vec![Vec::new(); p.changed.len()],
                })
                .collect()
        })
        .collect()
}

/// The jobs that bring each changed variant a target of `targets` reads up to `n[t]`
/// trials at every position of swing `i`, in rounds of [`ROUND`] trials.
fn catch_up(
    i: usize,
    at: &[Position],
    runs: &[Runs],
    targets: &[Target],
    n: &[u64],
) -> Vec<(usize, usize, Vec<usize>, Range<u64>)> {
    let mut jobs = Vec::new();
    for (k, pos) in at.iter().enumerate() {
        // Per changed variant, the trials its targets need.
        let need: Vec<u64> = pos
            .changed
            .iter()
            .map(|v| {
                targets
                    .iter()
                    .zip(n)
                    .filter(|(t, _)| t.variants().contains(v))
                    .map(|(_, &n)| n)
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let from = |c: usize| runs[k].values[c].len() as u64;
        let mut start = (0..pos.changed.len()).map(from).min().unwrap_or(0);
        let end = need.iter().copied().max().unwrap_or(0);
        while start < end {
            let stop = ((start / ROUND + 1) * ROUND).min(end);
            let which: Vec<usize> = (0..pos.changed.len())
                .filter(|&c| from(c) <= start && need[c] >= stop)
                .map(|c| pos.changed[c])
                .collect();
            if !which.is_empty() {
                jobs.push((i, k, which, start..stop));
            }
            start = stop;
        }
    }
    jobs
}

/// Runs every swing's two ends on paired trials until each target's estimate is precise
/// enough (see the module and [`precise`]), then the middles (p30, p50, p70) of the
/// `top` widest swings of each target on the same trials as their ends.
#[allow(clippy::too_many_arguments)]
pub fn run(
    base: &Base<'_>,
    study: &Scenario,
    swings: &[Swing],
    targets: &[Target],
    metric: Metric,
    base_values: &BaseValues<'_>,
    (tolerance, top): (f64, usize),
    threads: usize,
    progress: &super::analysis::Progress<'_>,
) -> Result<(PairedSwings, Vec<usize>)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()?;
    let trials = study.spec().trials();
    let ends = positions(base, study, swings, &[0, 4])?;
    let mut runs = no_runs(&ends);
    // Per swing and target: trials so far, and whether it still runs.
    let mut n: Vec<Vec<u64>> = vec![vec![0; targets.len()]; swings.len()];
    let mut active: Vec<Vec<bool>> = ends
        .iter()
        .map(|p| {
            targets
                .iter()
                .map(|t| p.iter().any(|p| moves(t, p)))
                .collect()
        })
        .collect();
    let mut variant_trials = 0u64;
    let mut stats: Vec<Vec<EndStats>> = targets
        .iter()
        .map(|t| {
            (0..swings.len())
                .map(|i| end_stats(t, base_values, &ends[i], &runs[i], 0))
                .collect()
        })
        .collect();
    while active.iter().flatten().any(|&a| a) {
        // One round: every active swing and target on the next trials.
        for i in 0..swings.len() {
            for t in 0..targets.len() {
                if active[i][t] {
                    n[i][t] = (n[i][t] + ROUND).min(trials);
                }
            }
        }
        let jobs: Vec<_> = (0..swings.len())
            .filter(|&i| active[i].iter().any(|&a| a))
            .flat_map(|i| catch_up(i, &ends[i], &runs[i], targets, &n[i]))
            .collect();
        variant_trials += run_jobs(&pool, &ends, &mut runs, &jobs, metric, study, progress)?;
        for i in 0..swings.len() {
            for (t, target) in targets.iter().enumerate() {
                if active[i][t] {
                    stats[t][i] =
                        end_stats(target, base_values, &ends[i], &runs[i], n[i][t] as usize);
                }
            }
        }
        for i in 0..swings.len() {
            for t in 0..targets.len() {
                if active[i][t]
                    && (n[i][t] >= trials || (tolerance > 0.0 && precise(&stats[t], i, tolerance)))
                {
                    active[i][t] = false;
                }
            }
        }
    }
    let mut effects: Vec<Vec<Effect>> = (0..targets.len())
        .map(|t| {
            (0..swings.len())
                .map(|i| {
                    let e = &stats[t][i];
                    let mut at = [f64::NAN; 5];
                    at[0] = base_values.means[t] + e.low.0;
                    at[4] = base_values.means[t] + e.high.0;
                    Effect {
                        at,
                        width_se: e.width.1,
                        ends_se: [e.low.1, e.high.1],
                        trials: n[i][t],
                    }
                })
                .collect()
        })
        .collect();
    // The spider: the widest swings of each target, at p30, p50, p70 too, on the trials
    // their ends ran for that target.
    let mut spider: Vec<usize> = Vec::new();
    for effect in &effects {
        for i in super::widest(effect, top) {
            if !spider.contains(&i) {
                spider.push(i);
            }
        }
    }
    spider.sort_unstable();
    let spider_swings: Vec<Swing> = spider.iter().map(|&i| swings[i].clone()).collect();
    let middles = positions(base, study, &spider_swings, &[1, 2, 3])?;
    let mut mids = no_runs(&middles);
    // A middle's shift from the base is precise enough as an end's is (its standard
    // error within twice the tolerance of the widest bar), on at most its ends' trials.
    let widest: Vec<f64> = stats
        .iter()
        .map(|s| {
            s.iter()
                .map(|e| e.width.0.abs())
                .filter(|x| x.is_finite())
                .fold(0.0, f64::max)
        })
        .collect();
    let mut m: Vec<Vec<u64>> = vec![vec![0; targets.len()]; spider.len()];
    let mut going: Vec<Vec<bool>> = spider
        .iter()
        .enumerate()
        .map(|(s, _)| {
            targets
                .iter()
                .map(|t| middles[s].iter().any(|p| moves(t, p)))
                .collect()
        })
        .collect();
    let shifts = |s: usize, t: usize, count: usize, mids: &[Vec<Runs>]| -> [(f64, f64); 3] {
        let target = &targets[t];
        std::array::from_fn(|k| {
            let pos = &middles[s][k];
            if !moves(target, pos) {
                return (0.0, 0.0);
            }
            let (mean, se, _) = mean_se((0..count).map(|j| {
                target_value(target, base_values, pos, &mids[s][k], j)
                    - base_value(target, base_values, j)
            }));
            (mean, se)
        })
    };
    let mut found: Vec<Vec<[(f64, f64); 3]>> =
        vec![vec![[(0.0, 0.0); 3]; targets.len()]; spider.len()];
    while going.iter().flatten().any(|&g| g) {
        for (s, &i) in spider.iter().enumerate() {
            for t in 0..targets.len() {
                if going[s][t] {
                    m[s][t] = (m[s][t] + ROUND).min(n[i][t]);
                }
            }
        }
        let jobs: Vec<_> = (0..spider.len())
            .filter(|&s| going[s].iter().any(|&g| g))
            .flat_map(|s| catch_up(s, &middles[s], &mids[s], targets, &m[s]))
            .collect();
        variant_trials += run_jobs(&pool, &middles, &mut mids, &jobs, metric, study, progress)?;
        for (s, &i) in spider.iter().enumerate() {
            for t in 0..targets.len() {
                if !going[s][t] {
                    continue;
                }
                found[s][t] = shifts(s, t, m[s][t] as usize, &mids);
                let se = found[s][t].iter().map(|x| x.1).fold(0.0, f64::max);
                if m[s][t] >= n[i][t] || (tolerance > 0.0 && se <= 2.0 * tolerance * widest[t]) {
                    going[s][t] = false;
                }
            }
        }
    }
    for t in 0..targets.len() {
        for (s, &i) in spider.iter().enumerate() {
            for (k, shift) in found[s][t].iter().enumerate() {
                effects[t][i].at[k + 1] = base_values.means[t] + shift.0;
            }
        }
    }
    Ok((
        PairedSwings {
            effects,
            variant_trials,
        },
        spider,
    ))
}

/// A swing whose trial produced a value no trial should: the error a study's run gives.
fn out_of_range(b: &NonFiniteAt, study: &Scenario) -> anyhow::Error {
    let variants = study.spec().variants();
    InputError::new(
        crate::error::Kind::OutOfRange,
        format!(
            "a swing went beyond what the model computes: {}",
            b.describe(variants.get(b.variant).map_or("?", |v| v.name()))
        ),
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::P;
    use crate::points::key::InputKey;
    use crate::scenario;
    use crate::sensitivity::{base_run, run_swings, swings};

    /// The sensitivity tests' study (a self-operated variant and a managed one, both with
    /// an uncertain ERP cost, which enters only self-operated profit: −ERP × 60 days,
    /// exactly), at 512 trials.
    fn study_text() -> String {
        crate::sensitivity::tests::STUDY.replacen("trials = 1500", "trials = 512", 1)
    }

    fn noop() -> super::super::analysis::Progress<'static> {
        super::super::analysis::Progress {
            done: &|_| {},
            more: &|_| {},
        }
    }

    /// Runs the paired swings of `keys` with `tolerance` on every target.
    fn paired(
        s: &Scenario,
        keys: &[P],
        tolerance: f64,
        threads: usize,
    ) -> (Vec<Swing>, PairedSwings) {
        let targets = [Target::Variant(0), Target::Variant(1)];
        let all: Vec<Swing> = swings(s, &[0, 1], &[])
            .into_iter()
            .filter(|w| keys.iter().any(|&p| w.param == InputKey::Param(p)))
            .collect();
        let base = base_run(s, &targets, Metric::Profit).unwrap();
        let means: Vec<f64> = targets
            .iter()
            .map(|t| t.mean(&base.analysis, Metric::Profit))
            .collect();
        let b = Base {
            scenario: s,
            csv: None,
            variants: &[],
            trials: None,
            seed: None,
        };
        let values = BaseValues {
            by_variant: &base.by_variant,
            means: &means,
        };
        let (found, _) = run(
            &b,
            s,
            &all,
            &targets,
            Metric::Profit,
            &values,
            (tolerance, 6),
            threads,
            &noop(),
        )
        .unwrap();
        (all, found)
    }

    #[test]
    fn on_every_trial_the_paired_ends_are_the_means_of_full_studies() {
        // Tolerance 0: every swing on all the study's trials, which is the old estimate
        // (a full study per end): base mean + mean paired difference = the end's mean.
        let s = scenario::parse(&study_text(), "p.toml", None).unwrap();
        let (all, found) = paired(&s, &[P::ErpCostPerDay, P::DailyCv, P::RetailPrice], 0.0, 2);
        let b = Base {
            scenario: &s,
            csv: None,
            variants: &[],
            trials: None,
            seed: None,
        };
        let full = run_swings(&b, &s, &all, &[0, 4], 2, &|| {}).unwrap();
        for (i, ends) in full.iter().enumerate() {
            for v in 0..2 {
                let e = &found.effects[v][i];
                assert_eq!(e.trials, 512, "{}", all[i].param);
                for (k, r) in [0, 4].iter().zip(ends) {
                    let want = Target::Variant(v).mean(&r.analysis, Metric::Profit);
                    let got = e.at[*k];
                    assert!(
                        (got - want).abs() <= 1e-9 * want.abs().max(1.0),
                        "{} variant {v} end {k}: {got} against {want}",
                        all[i].param
                    );
                }
            }
        }
    }

    #[test]
    fn an_input_that_shifts_every_trial_alike_stops_after_one_round_with_no_error() {
        // A fixed daily staff cost of 50: ±20% moves self-operated profit by exactly
        // ∓10 × 60 in every trial, at both ends: no error, one round.
        let text = study_text().replace(
            "[[variant]]\nname = \"self\"",
            "staff.cost_per_day = 50\n[[variant]]\nname = \"self\"",
        );
        let s = scenario::parse(&text, "p.toml", None).unwrap();
        let (all, found) = paired(
            &s,
            &[P::StaffCostPerDay, P::ErpCostPerDay],
            DEFAULT_TOLERANCE,
            2,
        );
        let at = |p: P| {
            all.iter()
                .position(|w| w.param == InputKey::Param(p))
                .unwrap()
        };
        let staff = &found.effects[0][at(P::StaffCostPerDay)];
        assert!(
            (staff.width() - 20.0 * 60.0).abs() < 1e-6,
            "{}",
            staff.width()
        );
        assert!(staff.width_se < 1e-9 && staff.ends_se.iter().all(|&se| se < 1e-9));
        assert_eq!(staff.trials, ROUND);
        // The ERP cost is uncertain: its width is exact (−ERP × 60: p10 4, p90 36 of
        // uniform(0, 40)), but its ends vary, as the base run draws it and an end fixes
        // it: the difference from the base is (x − 4) × 60 per trial, whose standard
        // error has the closed form sd(x) × 60 / √n, sd of uniform(0, 40) = 40 / √12. It
        // runs until that is within 2% of the widest bar (32 × 60), about 330 trials.
        let erp = &found.effects[0][at(P::ErpCostPerDay)];
        assert!((erp.width() - 32.0 * 60.0).abs() < 1e-6, "{}", erp.width());
        assert!(erp.width_se < 1e-9, "{}", erp.width_se);
        assert!((256..=512).contains(&erp.trials), "{}", erp.trials);
        let closed = 40.0 / 12f64.sqrt() * 60.0 / (erp.trials as f64).sqrt();
        for se in erp.ends_se {
            assert!((se / closed - 1.0).abs() < 0.15, "{se} against {closed}");
            assert!(se <= 2.0 * DEFAULT_TOLERANCE * 32.0 * 60.0);
        }
        // The managed shop does not pay it: exactly no effect, after one round.
        let m = &found.effects[1][at(P::ErpCostPerDay)];
        assert_eq!((m.width(), m.width_se, m.trials), (0.0, 0.0, ROUND));
    }

    #[test]
    fn the_stopping_does_not_depend_on_the_thread_count() {
        let s = scenario::parse(&study_text(), "p.toml", None).unwrap();
        let keys = [P::DailyCv, P::RetailPrice, P::ErpCostPerDay];
        let (_, one) = paired(&s, &keys, DEFAULT_TOLERANCE, 1);
        let (_, two) = paired(&s, &keys, DEFAULT_TOLERANCE, 2);
        for (a, b) in one
            .effects
            .iter()
            .flatten()
            .zip(two.effects.iter().flatten())
        {
            assert_eq!(format!("{:?}", a.at), format!("{:?}", b.at));
            assert_eq!(a.trials, b.trials);
        }
        assert_eq!(one.variant_trials, two.variant_trials);
    }

    #[test]
    fn a_mean_and_its_standard_error_match_their_closed_forms() {
        // 1, 2, …, 10: mean 5.5, sample variance 55/6, standard error √(55/6/10).
        let (m, se, n) = mean_se((1..=10).map(f64::from).chain([f64::NAN]));
        assert_eq!(n, 10);
        assert!((m - 5.5).abs() < 1e-12);
        assert!((se - (55.0 / 6.0 / 10.0f64).sqrt()).abs() < 1e-12);
    }
}
