//! Runs a study: every variant on the same trials, in fixed-size batches seeded by trial
//! index, in parallel with rayon. Batch results are merged in batch order, so the output
//! is the same for any thread count and batches could come from several machines.

use rayon::prelude::*;

use super::inputs;
use super::outputs::Outputs;
use super::spec::StudySpec;
use super::trial::{self, Calendar, DailyPaths, DrawMethod};

/// Trials per batch: the unit of parallel work, of input sampling and of merging.
pub const BATCH_SIZE: u64 = 256;

/// All trials of one variant, in trial order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VariantResults {
    /// Every trial's outputs, in trial order.
    pub outputs: Vec<Outputs>,
    /// Cumulative profit per trial and day, trial-major (`trial * horizon + day`).
    pub cumulative_profit: Vec<f32>,
    /// Cash position per trial and day, trial-major.
    pub cash: Vec<f32>,
    /// Delivered parcels by delay in days, summed over the trials.
    pub delay_histogram: Vec<u64>,
}

impl VariantResults {
    /// Appends another batch's trials (which must follow these).
    pub fn merge(&mut self, mut later: VariantResults) {
        self.outputs.append(&mut later.outputs);
        self.cumulative_profit.append(&mut later.cumulative_profit);
        self.cash.append(&mut later.cash);
        if self.delay_histogram.len() < later.delay_histogram.len() {
            self.delay_histogram.resize(later.delay_histogram.len(), 0);
        }
        for (total, n) in self.delay_histogram.iter_mut().zip(&later.delay_histogram) {
            *total += n;
        }
    }
}

/// The results of a study, one entry per variant in the study's order.
#[derive(Clone, Debug, PartialEq)]
pub struct StudyResults {
    /// One per variant, in the study's order.
    pub variants: Vec<VariantResults>,
}

/// A value no trial should produce: infinite anywhere, or undefined where the output is
/// always defined.
#[derive(Clone, Debug, PartialEq)]
pub struct NonFinite {
    /// Index of the variant.
    pub variant: usize,
    /// The output.
    pub metric: super::Metric,
    /// Index of the trial.
    pub trial: usize,
    /// The value found.
    pub value: f64,
}

impl StudyResults {
    /// The first value that is not a finite number where one is expected, if any: extreme
    /// inputs must not turn into `inf` table cells or a variant silently missing from the
    /// verdict.
    pub fn first_non_finite(&self) -> Option<NonFinite> {
        let may_be_undefined: Vec<bool> = super::Metric::ALL
            .iter()
            .map(|m| m.may_be_undefined())
            .collect();
        for (variant, r) in self.variants.iter().enumerate() {
            for (trial, outputs) in r.outputs.iter().enumerate() {
                // Most trials are fine: one branch-free pass, then the search if not.
                let fine = outputs
                    .0
                    .iter()
                    .zip(&may_be_undefined)
                    .fold(true, |ok, (v, &nan_ok)| {
                        ok & (v.is_finite() | (nan_ok & v.is_nan()))
                    });
                if fine {
                    continue;
                }
                for &metric in super::Metric::ALL {
                    let value = outputs[metric];
                    let bad = value.is_infinite() || (value.is_nan() && !metric.may_be_undefined());
                    if bad {
                        return Some(NonFinite {
                            variant,
                            metric,
                            trial,
                            value,
                        });
                    }
                }
            }
            // Daily paths are trial-major: `trial * horizon + day`.
            let horizon = (r.cumulative_profit.len() / r.outputs.len().max(1)).max(1);
            for (metric, path) in [
                (super::Metric::Profit, &r.cumulative_profit),
                (super::Metric::WorkingCapitalNeeded, &r.cash),
            ] {
                // A branch-free pass over the whole path (it vectorises), then the search.
                if path.iter().fold(true, |ok, v| ok & v.is_finite()) {
                    continue;
                }
                if let Some(i) = path.iter().position(|v| !v.is_finite()) {
                    return Some(NonFinite {
                        variant,
                        metric,
                        trial: i / horizon,
                        value: f64::from(path[i]),
                    });
                }
            }
        }
        None
    }
}

/// Where one batch writes one variant's trials: its rows of the study's buffers.
struct BatchRows<'a> {
    outputs: &'a mut [Outputs],
    cumulative_profit: &'a mut [f32],
    cash: &'a mut [f32],
}

/// Runs trials `first..first + rows.outputs.len()` of `variant` into `rows` and returns
/// their delay histogram.
fn run_batch(
    study: &StudySpec,
    variant_index: usize,
    calendar: &Calendar,
    first: u64,
    rows: BatchRows<'_>,
    method: DrawMethod,
) -> Vec<u64> {
    let horizon = study.horizon_days().max(1);
    let variant = &study.variants()[variant_index];
    let count = rows.outputs.len() as u64;
    let batch_inputs =
        inputs::sample_batch(variant, study.events(), study.seed(), first..first + count);
    let mut delay_histogram = Vec::new();
    for (i, ((v, out), (profit_row, cash_row))) in batch_inputs
        .iter()
        .zip(rows.outputs.iter_mut())
        .zip(
            rows.cumulative_profit
                .chunks_mut(horizon)
                .zip(rows.cash.chunks_mut(horizon)),
        )
        .enumerate()
    {
        let paths = DailyPaths {
            cumulative_profit: profit_row,
            cash: cash_row,
            delay_histogram: &mut delay_histogram,
        };
        *out = trial::run(
            variant,
            calendar,
            v,
            study.seed(),
            first + i as u64,
            method,
            paths,
        );
    }
    delay_histogram
}

/// Runs the whole study. `progress` is called with the number of trials just finished
/// (from worker threads).
///
/// Every trial writes straight into the study's buffers (allocated once, in trial order),
/// so nothing is copied when batches finish; the delay histograms, sums of counts, are
/// added up afterwards.
pub fn run(study: &StudySpec, method: DrawMethod, progress: &(dyn Fn(u64) + Sync)) -> StudyResults {
    run_trials(study, 0, study.trials(), method, progress)
}

/// Runs trials `first..first + count` of every variant (the study's own trial count is
/// not used). `first` must be a multiple of [`BATCH_SIZE`], so that the batches are those
/// of a run of every trial: trials `0..n` run in rounds give the same results as one run
/// of `n` trials.
pub fn run_trials(
    study: &StudySpec,
    first: u64,
    count: u64,
    method: DrawMethod,
    progress: &(dyn Fn(u64) + Sync),
) -> StudyResults {
    debug_assert_eq!(first % BATCH_SIZE, 0);
    let calendars: Vec<Calendar> = study
        .variants()
        .iter()
        .map(|v| Calendar::new(study.events(), study.horizon_days(), v.setting.market))
        .collect();
    let trials = count as usize;
    let horizon = study.horizon_days().max(1);
    let batch = BATCH_SIZE as usize;
    let mut variants: Vec<VariantResults> = study
        .variants()
        .iter()
        .map(|_| VariantResults {
            outputs: vec![Outputs([0.0; super::METRIC_COUNT]); trials],
            cumulative_profit: vec![0.0; trials * study.horizon_days()],
            cash: vec![0.0; trials * study.horizon_days()],
            delay_histogram: Vec::new(),
        })
        .collect();
    // One unit of work per (batch, variant): the variant's rows of the batch's trials.
    let mut work: Vec<(usize, u64, BatchRows<'_>)> = Vec::new();
    for (index, v) in variants.iter_mut().enumerate() {
        let rows = v
            .outputs
            .chunks_mut(batch)
            .zip(v.cumulative_profit.chunks_mut(batch * horizon))
            .zip(v.cash.chunks_mut(batch * horizon));
        for (b, ((outputs, cumulative_profit), cash)) in rows.enumerate() {
            work.push((
                index,
                first + (b * batch) as u64,
                BatchRows {
                    outputs,
                    cumulative_profit,
                    cash,
                },
            ));
        }
    }
    // Batch-major, so that the first trials of every variant finish first.
    work.sort_by_key(|(index, first, _)| (*first, *index));
    let variant_count = study.variants().len().max(1) as u64;
    let histograms: Vec<(usize, Vec<u64>)> = work
        .into_par_iter()
        .map(|(index, first, rows)| {
            let count = rows.outputs.len() as u64;
            let h = run_batch(study, index, &calendars[index], first, rows, method);
            // Progress counts trials of every variant: a batch of one variant is a share.
            if index as u64 == variant_count - 1 {
                progress(count);
            }
            (index, h)
        })
        .collect();
    for (index, h) in histograms {
        let total = &mut variants[index].delay_histogram;
        if total.len() < h.len() {
            total.resize(h.len(), 0);
        }
        for (t, n) in total.iter_mut().zip(&h) {
            *t += n;
        }
    }
    StudyResults { variants }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Metric, Outputs};

    fn results(profit: f64, margin: f64, path: f32) -> StudyResults {
        let mut o = Outputs([1.0; crate::sim::METRIC_COUNT]);
        o[Metric::Profit] = profit;
        o[Metric::Margin] = margin;
        StudyResults {
            variants: vec![
                VariantResults::default(),
                VariantResults {
                    outputs: vec![o, o],
                    cumulative_profit: vec![0.0, 0.0, 0.0, path],
                    cash: vec![0.0; 4],
                    delay_histogram: Vec::new(),
                },
            ],
        }
    }

    #[test]
    fn non_finite_outputs_are_found_and_undefined_ratios_are_not() {
        assert_eq!(results(5.0, f64::NAN, 1.0).first_non_finite(), None);
        let bad = results(f64::INFINITY, 0.1, 1.0).first_non_finite().unwrap();
        assert_eq!((bad.variant, bad.metric, bad.trial), (1, Metric::Profit, 0));
        let bad = results(f64::NAN, 0.1, 1.0).first_non_finite().unwrap();
        assert_eq!(bad.metric, Metric::Profit);
        // A daily path: horizon 2, the fourth value is trial 2's second day.
        let bad = results(1.0, 0.1, f32::INFINITY).first_non_finite().unwrap();
        assert_eq!((bad.metric, bad.trial), (Metric::Profit, 1));
    }
}
