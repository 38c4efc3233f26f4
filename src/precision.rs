//! Precision-targeted runs (`shopsim run --precision`): trials run in rounds of
//! [`ROUND_TRIALS`] until every variant's mean profit and every compared pair's
//! P(A beats B) are known as precisely as asked, or a trial limit is reached.
//!
//! The rounds are fixed blocks of trials (the first round is trials 0-1023, the next
//! 1024-2047, …), and the decision to stop looks only at the trials' results, so the
//! number of trials a run takes — and every figure it writes — is the same for any
//! thread count, and the same as a plain run of that many trials.

pub use crate::formats::record::{PrecisionRecord, Reached};
use crate::sim::inputs::Sampling;
use crate::sim::study::Rows;
use crate::sim::{self, DrawMethod, Metric, StudySpec};
use crate::stats::accumulate::StudyAccumulator;
use crate::stats::summary::proportion;
use crate::stats::Estimate;

/// Trials per round: four batches.
pub const ROUND_TRIALS: u64 = 4 * sim::study::BATCH_SIZE;

/// What a run must reach.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    /// The 95% interval of each variant's mean profit within this share of |mean|…
    pub relative: Option<f64>,
    /// …or within this amount of money (for means near zero).
    pub absolute: Option<f64>,
    /// Every compared pair's P(A beats B) known within ± this (95% Wilson interval).
    pub probability: f64,
    /// Stop here even when the targets are not met.
    pub max_trials: u64,
}

/// How wide a study's intervals are: per variant the half-width of its 95% interval of
/// mean profit and the mean, and the widest P(A beats B) half-width over the pairs.
struct Widths {
    trials: u64,
    means: Vec<(f64, f64)>,
    p_beats: Option<f64>,
}

impl Widths {
    /// The widths of `results` for the compared `pairs` of variants.
    fn of(results: &StudyAccumulator, pairs: &[(usize, usize)]) -> Widths {
        let p_beats = pairs
            .iter()
            .map(|&(a, b)| {
                let (wins, n) = results.pair(a, b).map_or((0, 0), |p| {
                    let profit = &p.outputs[Metric::Profit as usize];
                    (profit.wins, profit.pairs)
                });
                let p = proportion(wins as usize, n as usize);
                (p.ci_high - p.ci_low) / 2.0
            })
            .reduce(f64::max);
        Widths {
            trials: results.trials,
            means: results
                .variants
                .iter()
                .map(|v| half_width(&v.output(Metric::Profit).mean_estimate()))
                .collect(),
            p_beats,
        }
    }

    /// Whether every variant's mean is within the relative or the absolute target and
    /// every pair's P(A beats B) within its target.
    fn meet(&self, target: &Target) -> bool {
        let means_ok = self.means.iter().all(|&(half, mean)| {
            let relative_ok = target
                .relative
                .is_some_and(|r| mean.is_finite() && half <= r * mean.abs());
            let absolute_ok = target.absolute.is_some_and(|a| half <= a);
            relative_ok || absolute_ok
        });
        means_ok && self.p_beats.is_none_or(|w| w <= target.probability)
    }

    /// The widest intervals, as recorded.
    fn reached(&self) -> Reached {
        let mut mean_relative = Some(0.0_f64);
        let mut mean_absolute = 0.0_f64;
        for &(half, mean) in &self.means {
            mean_absolute = mean_absolute.max(half);
            mean_relative = match mean_relative {
                Some(worst) if mean != 0.0 && half.is_finite() => {
                    Some(worst.max(half / mean.abs()))
                }
                _ => None,
            };
        }
        Reached {
            trials: self.trials,
            mean_relative,
            mean_absolute,
            p_beats: self.p_beats,
        }
    }
}

/// The precision of `results` for the compared `pairs` of variants.
pub fn reached(results: &StudyAccumulator, pairs: &[(usize, usize)]) -> Reached {
    Widths::of(results, pairs).reached()
}

/// Half-width of a mean's 95% interval, and the mean (infinite with no interval: one
/// trial, or one Latin hypercube block).
fn half_width(e: &Estimate) -> (f64, f64) {
    let half = (e.ci_high - e.ci_low) / 2.0;
    if e.n < 2 || half.is_nan() {
        return (f64::INFINITY, f64::NAN);
    }
    (half, e.point)
}

/// Whether `results` meet `target`: every variant's mean within the relative or the
/// absolute target, and every pair's P(A beats B) within its target.
pub fn met(results: &StudyAccumulator, pairs: &[(usize, usize)], target: &Target) -> bool {
    Widths::of(results, pairs).meet(target)
}

/// Runs `spec` in rounds until `target` is met or `target.max_trials` trials have run;
/// returns every trial run, accumulated (comparing `pairs`), and the record of the run.
/// `rows`, when given, receives every trial's outputs in trial order.
pub fn run_until<E: Send>(
    spec: &StudySpec,
    method: DrawMethod,
    pairs: &[(usize, usize)],
    target: &Target,
    progress: &(dyn Fn(u64) + Sync),
    mut rows: Option<Rows<'_, E>>,
) -> Result<(StudyAccumulator, PrecisionRecord), E> {
    let mut results = StudyAccumulator::for_study(spec, pairs);
    let mut done = 0;
    let (met_now, widths) = loop {
        let count = ROUND_TRIALS.min(target.max_trials - done);
        let round = StudyAccumulator::run(
            spec,
            done,
            count,
            method,
            pairs,
            progress,
            rows.as_mut().map(|r| &mut **r as Rows<'_, E>),
        )?;
        results.merge(&round);
        done += count;
        let widths = Widths::of(&results, pairs);
        let ok = widths.meet(target);
        if ok || done >= target.max_trials {
            break (ok, widths);
        }
    };
    let record = PrecisionRecord {
        target_relative: target.relative,
        target_absolute: target.absolute,
        target_probability: target.probability,
        max_trials: target.max_trials,
        met: met_now,
        reached: widths.reached(),
    };
    Ok((results, record))
}

/// One line on how precise a run's answers are. For a run with a fixed number of trials,
/// `None` unless it is far from the precision `--precision 0.01` would reach (a mean
/// known only within ±5% or a P(A beats B) within ±0.02).
pub fn line(
    record: Option<&PrecisionRecord>,
    reached: &Reached,
    sampling: Sampling,
) -> Option<String> {
    let means = match reached.mean_relative {
        // One trial (one Latin hypercube block) has no spread, so no interval: say so
        // rather than print ±inf.
        _ if !reached.mean_absolute.is_finite() => match sampling {
            Sampling::MonteCarlo => {
                "mean profit's interval unknown (it needs 2 trials or more)".to_string()
            }
            Sampling::LatinHypercube => format!(
                "mean profit's interval unknown (with Latin hypercube sampling it needs two blocks of {}: {} trials or more)",
                crate::sim::inputs::LHS_BLOCK,
                crate::sim::inputs::LHS_BLOCK + 1
            ),
        },
        Some(r) => format!(
            "mean profit within ±{:.1}% (±{})",
            100.0 * r,
            crate::format::whole_or_na(reached.mean_absolute)
        ),
        None => format!(
            "mean profit within ±{}",
            crate::format::whole_or_na(reached.mean_absolute)
        ),
    };
    let beats = reached
        .p_beats
        .map_or(String::new(), |w| format!(", P(A beats B) within ±{w:.3}"));
    match record {
        Some(r) => {
            let asked = match (r.target_relative, r.target_absolute) {
                (Some(rel), Some(abs)) => format!(
                    "±{:.1}% or ±{}",
                    100.0 * rel,
                    crate::format::whole_or_na(abs)
                ),
                (Some(rel), None) => format!("±{:.1}%", 100.0 * rel),
                (None, Some(abs)) => format!("±{}", crate::format::whole_or_na(abs)),
                (None, None) => "—".to_string(),
            };
            let outcome = if r.met {
                format!(
                    "reached after {} trials",
                    crate::format::fmt_count(reached.trials)
                )
            } else {
                format!("NOT reached: stopped at --max-trials {}", r.max_trials)
            };
            Some(format!(
                "precision: {outcome} (asked: means {asked}, P(A beats B) ±{}): {means}{beats}",
                r.target_probability
            ))
        }
        None => {
            let far = reached.mean_relative.is_none_or(|x| x > 0.05)
                || reached.p_beats.is_some_and(|w| w > 0.02);
            far.then(|| {
                format!(
                    "note: with {}, {means}{beats}; `--precision 0.01` runs until ±1% and ±0.01",
                    crate::format::plural(reached.trials, "trial")
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;

    fn spec(trials: u64) -> StudySpec {
        let text = scenario::BUILT_IN.replacen("horizon_days = 120", "horizon_days = 62", 1);
        let s = scenario::parse(&text, "t", None).unwrap();
        s.spec().clone().with_trials(trials).unwrap()
    }

    fn run_all(spec: &StudySpec, pairs: &[(usize, usize)]) -> StudyAccumulator {
        StudyAccumulator::run_all(spec, DrawMethod::PerDay, pairs, &|_| {})
    }

    fn until(target: &Target, pairs: &[(usize, usize)]) -> (StudyAccumulator, PrecisionRecord) {
        let rows: Option<Rows<'_, std::convert::Infallible>> = None;
        match run_until(&spec(1), DrawMethod::PerDay, pairs, target, &|_| {}, rows) {
            Ok(r) => r,
            Err(never) => match never {},
        }
    }

    #[test]
    fn rounds_give_the_same_trials_as_one_run() {
        let one = run_all(&spec(2048), &[(0, 1)]);
        let target = Target {
            relative: Some(0.0),
            absolute: None,
            probability: 0.0,
            max_trials: 2048,
        };
        let (rounds, record) = until(&target, &[(0, 1)]);
        // Bit for bit: every sum, count and sketch.
        assert_eq!(rounds, one);
        assert!(!record.met);
        assert_eq!(record.reached.trials, 2048);
    }

    #[test]
    fn a_run_stops_at_the_first_round_that_meets_the_target() {
        // A loose target is met after one round; the record says what was reached, and
        // the reached precision is within what was asked.
        let target = Target {
            relative: Some(0.2),
            absolute: None,
            probability: 0.1,
            max_trials: 100_000,
        };
        let pairs = crate::stats::analysis::table_pairs(4, None);
        let (r, record) = until(&target, &pairs);
        assert!(record.met);
        let trials = r.trials;
        assert_eq!(trials % ROUND_TRIALS, 0);
        assert!(record.reached.mean_relative.unwrap() <= 0.2);
        assert!(record.reached.p_beats.unwrap() <= 0.1);
        // One round fewer would not have met it (or this is the first round).
        if trials > ROUND_TRIALS {
            let fewer = run_all(&spec(trials - ROUND_TRIALS), &pairs);
            assert!(!met(&fewer, &pairs, &target));
        }
    }

    #[test]
    fn one_trial_has_no_interval_and_says_so_in_the_singular() {
        let reached = Reached {
            trials: 1,
            mean_relative: None,
            mean_absolute: f64::INFINITY,
            p_beats: Some(0.4),
        };
        let note = line(None, &reached, Sampling::MonteCarlo).unwrap();
        let lhs = line(None, &reached, Sampling::LatinHypercube).unwrap();
        assert!(lhs.contains("two blocks of 64: 65 trials or more"), "{lhs}");
        assert!(note.starts_with("note: with 1 trial, mean profit's interval unknown"));
        assert!(!note.contains("inf"), "{note}");
        let two = Reached {
            trials: 2,
            mean_relative: Some(0.5),
            mean_absolute: 100.0,
            p_beats: None,
        };
        assert!(line(None, &two, Sampling::MonteCarlo)
            .unwrap()
            .starts_with("note: with 2 trials, mean profit within ±50.0% (±100)"));
    }

    #[test]
    fn the_half_width_of_a_known_sample_is_the_t_interval() {
        // Values 1..=5: mean 3, sd sqrt(2.5), t(4) = 2.776: half-width 1.963.
        let (half, mean) = half_width(&Estimate::mean(3.0, 2.5_f64.sqrt(), 5));
        assert!((mean - 3.0).abs() < 1e-12);
        assert!((half - 2.776_445 * (2.5_f64).sqrt() / 5.0_f64.sqrt()).abs() < 1e-4);
    }
}
