//! Precision-targeted runs (`shopsim run --precision`): trials run in rounds of
//! [`ROUND_TRIALS`] until every variant's mean profit and every compared pair's
//! P(A beats B) are known as precisely as asked, or a trial limit is reached.
//!
//! The rounds are fixed blocks of trials (the first round is trials 0-1023, the next
//! 1024-2047, …), and the decision to stop looks only at the trials' results, so the
//! number of trials a run takes — and every figure it writes — is the same for any
//! thread count, and the same as a plain run of that many trials.

pub use crate::formats::record::{PrecisionRecord, Reached};
use crate::sim::{self, DrawMethod, Metric, StudyResults, StudySpec};
use crate::stats::summary::proportion;
use crate::stats::{column, Estimate};

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
    /// The widths of `results` (every variant's trials, in trial order) for the compared
    /// `pairs` of variants.
    fn of(results: &StudyResults, pairs: &[(usize, usize)]) -> Widths {
        let profits: Vec<Vec<f64>> = results
            .variants
            .iter()
            .map(|v| column(v, Metric::Profit))
            .collect();
        let p_beats = pairs
            .iter()
            .map(|&(a, b)| {
                let wins = profits[a]
                    .iter()
                    .zip(&profits[b])
                    .filter(|(x, y)| x > y)
                    .count();
                let p = proportion(wins, profits[a].len());
                (p.ci_high - p.ci_low) / 2.0
            })
            .reduce(f64::max);
        Widths {
            trials: profits.first().map_or(0, |v| v.len() as u64),
            means: profits.iter().map(|v| half_width(v)).collect(),
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

/// The precision of `results` (every variant's trials, in trial order) for the compared
/// `pairs` of variants.
pub fn reached(results: &StudyResults, pairs: &[(usize, usize)]) -> Reached {
    Widths::of(results, pairs).reached()
}

/// Half-width of the 95% t interval of the mean of `values`, and the mean.
fn half_width(values: &[f64]) -> (f64, f64) {
    if values.len() < 2 {
        return (f64::INFINITY, f64::NAN);
    }
    let e = Estimate::mean_of(values);
    ((e.ci_high - e.ci_low) / 2.0, e.point)
}

/// Whether `results` meet `target`: every variant's mean within the relative or the
/// absolute target, and every pair's P(A beats B) within its target.
pub fn met(results: &StudyResults, pairs: &[(usize, usize)], target: &Target) -> bool {
    Widths::of(results, pairs).meet(target)
}

/// Runs `spec` in rounds until `target` is met or `target.max_trials` trials have run;
/// returns the results of every trial run and the record of the run.
pub fn run_until(
    spec: &StudySpec,
    method: DrawMethod,
    pairs: &[(usize, usize)],
    target: &Target,
    progress: &(dyn Fn(u64) + Sync),
) -> (StudyResults, PrecisionRecord) {
    let mut results = StudyResults {
        variants: vec![sim::VariantResults::default(); spec.variants().len()],
    };
    let mut done = 0;
    let (met_now, widths) = loop {
        let count = ROUND_TRIALS.min(target.max_trials - done);
        let round = sim::study::run_trials(spec, done, count, method, progress);
        for (all, part) in results.variants.iter_mut().zip(round.variants) {
            all.merge(part);
        }
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
    (results, record)
}

/// One line on how precise a run's answers are. For a run with a fixed number of trials,
/// `None` unless it is far from the precision `--precision 0.01` would reach (a mean
/// known only within ±5% or a P(A beats B) within ±0.02).
pub fn line(record: Option<&PrecisionRecord>, reached: &Reached) -> Option<String> {
    let means = match reached.mean_relative {
        Some(r) => format!(
            "mean profit within ±{:.1}% (±{:.0})",
            100.0 * r,
            reached.mean_absolute
        ),
        None => format!("mean profit within ±{:.0}", reached.mean_absolute),
    };
    let beats = reached
        .p_beats
        .map_or(String::new(), |w| format!(", P(A beats B) within ±{w:.3}"));
    match record {
        Some(r) => {
            let asked = match (r.target_relative, r.target_absolute) {
                (Some(rel), Some(abs)) => format!("±{:.1}% or ±{abs:.0}", 100.0 * rel),
                (Some(rel), None) => format!("±{:.1}%", 100.0 * rel),
                (None, Some(abs)) => format!("±{abs:.0}"),
                (None, None) => "—".to_string(),
            };
            let outcome = if r.met {
                format!("reached after {} trials", reached.trials)
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
                    "note: with {} trials, {means}{beats}; `--precision 0.01` runs until ±1% and ±0.01",
                    reached.trials
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

    #[test]
    fn rounds_give_the_same_trials_as_one_run() {
        let one = sim::study::run(&spec(2048), DrawMethod::PerDay, &|_| {});
        let target = Target {
            relative: Some(0.0),
            absolute: None,
            probability: 0.0,
            max_trials: 2048,
        };
        let (rounds, record) = run_until(&spec(1), DrawMethod::PerDay, &[(0, 1)], &target, &|_| {});
        // Bit for bit (NaN outputs, such as a break-even day never reached, included).
        let bits = |r: &StudyResults| -> Vec<Vec<u64>> {
            r.variants
                .iter()
                .map(|v| {
                    let outputs = v
                        .outputs
                        .iter()
                        .flat_map(|o| o.0.iter().map(|x| x.to_bits()));
                    let paths = v
                        .cumulative_profit
                        .iter()
                        .chain(&v.cash)
                        .map(|x| u64::from(x.to_bits()));
                    outputs
                        .chain(paths)
                        .chain(v.delay_histogram.iter().copied())
                        .collect()
                })
                .collect()
        };
        assert_eq!(bits(&rounds), bits(&one));
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
        let (r, record) = run_until(&spec(1), DrawMethod::PerDay, &pairs, &target, &|_| {});
        assert!(record.met);
        let trials = r.variants[0].outputs.len() as u64;
        assert_eq!(trials % ROUND_TRIALS, 0);
        assert!(record.reached.mean_relative.unwrap() <= 0.2);
        assert!(record.reached.p_beats.unwrap() <= 0.1);
        // One round fewer would not have met it (or this is the first round).
        if trials > ROUND_TRIALS {
            let fewer = sim::study::run(&spec(trials - ROUND_TRIALS), DrawMethod::PerDay, &|_| {});
            assert!(!met(&fewer, &pairs, &target));
        }
    }

    #[test]
    fn the_half_width_of_a_known_sample_is_the_t_interval() {
        // Values 1..=5: mean 3, sd sqrt(2.5), t(4) = 2.776: half-width 1.963.
        let (half, mean) = half_width(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert!((mean - 3.0).abs() < 1e-12);
        assert!((half - 2.776_445 * (2.5_f64).sqrt() / 5.0_f64.sqrt()).abs() < 1e-4);
    }
}
