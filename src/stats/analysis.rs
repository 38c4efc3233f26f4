//! The statistics of a study, computed once (as criterion's `analysis/` does) and handed
//! to every exporter — tables, charts, report, terminal verdict — so no two of them can
//! compute a figure differently.
//!
//! Each figure is built per variant or per pair from the study's streaming accumulators
//! ([`StudyAccumulator`]): nothing here holds every trial.

use serde::Serialize;

use super::accumulate::{OutputAccumulator, StudyAccumulator, VariantAccumulator};
use super::compare::{paired, Paired};
use super::daily::{bands, Band};
use super::summary::{cvar, proportion, summarize, Proportion, Summary};
use super::worlds::{analyze_worlds, WorldsAnalysis};
use crate::sim::{Metric, StudySpec};

/// Above this many variants, pairwise figures compare each variant with the baseline only:
/// all ordered pairs grow with the square of the count (300 variants would make 89,700
/// pairs × every output).
pub const MAX_ALL_PAIRS_VARIANTS: usize = 20;

/// Everything shopsim reports about a study.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StudyAnalysis {
    /// One per variant, in the study's order.
    pub variants: Vec<VariantAnalysis>,
    /// Paired comparisons of every output for the pairs [`table_pairs`] chooses.
    pub pairs: Vec<PairAnalysis>,
    /// The variant others are compared with when there are too many for all pairs.
    pub baseline: usize,
    /// Options across states of the world, when the study has worlds.
    pub worlds: Option<WorldsAnalysis>,
}

/// One variant's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VariantAnalysis {
    /// Variant name.
    pub name: String,
    /// Per output, in [`Metric::ALL`] order; `None` where no trial defines it.
    pub metrics: Vec<MetricSummary>,
    /// P(profit < 0) with a Wilson interval.
    pub p_loss: Proportion,
    /// Mean profit of the worst 5% of trials.
    pub cvar5: f64,
    /// Share of trials in which this variant makes the most profit (ties shared).
    pub p_best: f64,
    /// Median break-even day, trials that never break even counting as later than the
    /// horizon; `None` when fewer than half the trials break even.
    pub median_break_even: Option<f64>,
    /// Share of trials that break even within the horizon.
    pub break_even_share: f64,
    /// Per day: bands of cumulative profit over trials.
    pub daily_profit: Vec<Band>,
    /// Per day: bands of the cash position.
    pub daily_cash: Vec<Band>,
}

/// One output's summary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MetricSummary {
    /// The output.
    pub metric: &'static str,
    /// Its summary; `None` where no trial defines it.
    pub summary: Option<Summary>,
}

/// A pair of variants (A, B) compared trial by trial on every output.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairAnalysis {
    /// Index of variant A.
    pub a: usize,
    /// Index of variant B.
    pub b: usize,
    /// Per output in [`Metric::ALL`] order; `None` where no trial defines both values.
    pub metrics: Vec<Option<Paired>>,
}

impl VariantAnalysis {
    /// The summary of one output, if any trial defines it.
    pub fn summary(&self, m: Metric) -> Option<&Summary> {
        self.metrics[m as usize].summary.as_ref()
    }

    /// The mean of one output; NaN when no trial defines it.
    pub fn mean(&self, m: Metric) -> f64 {
        self.summary(m).map_or(f64::NAN, |s| s.mean.point)
    }

    /// The median of one output; NaN when no trial defines it.
    pub fn median(&self, m: Metric) -> f64 {
        self.summary(m).map_or(f64::NAN, |s| s.p50)
    }
}

impl PairAnalysis {
    /// The paired comparison of one output.
    pub fn of(&self, m: Metric) -> Option<&Paired> {
        self.metrics[m as usize].as_ref()
    }
}

impl StudyAnalysis {
    /// The comparison of A with B, when the analysis holds that pair.
    pub fn pair(&self, a: usize, b: usize) -> Option<&PairAnalysis> {
        self.pairs.iter().find(|p| p.a == a && p.b == b)
    }

    /// Variant indices by mean profit, best first (undefined means last).
    pub fn ranked_by_profit(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.variants.len()).collect();
        let key = |i: usize| {
            let m = self.variants[i].mean(Metric::Profit);
            if m.is_nan() {
                f64::NEG_INFINITY
            } else {
                m
            }
        };
        order.sort_by(|&a, &b| key(b).total_cmp(&key(a)));
        order
    }
}

/// The ordered pairs (a, b) compared: every ordered pair up to [`MAX_ALL_PAIRS_VARIANTS`]
/// variants, else each variant against the baseline (or the first) in both directions.
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

/// The pairs a study compares: [`table_pairs`], except that a study with states of the
/// world and too many variants for all pairs compares every two options within each
/// world (what its regret table needs) instead of each variant with the baseline.
pub fn study_pairs(spec: &StudySpec, baseline: Option<usize>) -> Vec<(usize, usize)> {
    let n = spec.variants().len();
    match spec.worlds() {
        Some(worlds) if n > MAX_ALL_PAIRS_VARIANTS => {
            let world_of = worlds.world_of();
            (0..n)
                .flat_map(|i| {
                    let world_of = &world_of;
                    (0..n)
                        .filter(move |&j| j != i && world_of[j] == world_of[i])
                        .map(move |j| (i, j))
                })
                .collect()
        }
        _ => table_pairs(n, baseline),
    }
}

/// The median of break-even days where trials that never break even (undefined) count as
/// infinitely late: defined only when at least half the trials break even.
pub fn median_break_even(days: &OutputAccumulator) -> Option<f64> {
    let defined = days.defined();
    let n = defined + days.undefined;
    if n == 0 {
        return None;
    }
    // The median's ranks (R type 7 at 0.5); a rank among the undefined is "never".
    let (lo, hi) = ((n - 1) / 2, n / 2);
    if hi >= defined {
        return None;
    }
    let (a, b) = (days.sketch.value_at_rank(lo), days.sketch.value_at_rank(hi));
    Some(if lo == hi { a } else { 0.5 * (a + b) })
}

/// Analyses a study's accumulated trials; `baseline` is the variant named as such, if
/// any. The pairs compared are the accumulator's.
pub fn analyze(
    spec: &StudySpec,
    results: &StudyAccumulator,
    baseline: Option<usize>,
) -> StudyAnalysis {
    let best = results.p_best();
    let variants = spec
        .variants()
        .iter()
        .zip(&results.variants)
        .zip(best)
        .map(|((v, r), p_best)| analyze_variant(v.name(), r, p_best))
        .collect();
    let pairs = results
        .pairs
        .iter()
        .map(|p| PairAnalysis {
            a: p.a,
            b: p.b,
            metrics: p.outputs.iter().map(paired).collect(),
        })
        .collect();
    let mut analysis = StudyAnalysis {
        variants,
        pairs,
        baseline: baseline.unwrap_or(0),
        worlds: None,
    };
    analysis.worlds = spec.worlds().map(|w| analyze_worlds(w, &analysis));
    analysis
}

fn analyze_variant(name: &str, results: &VariantAccumulator, p_best: f64) -> VariantAnalysis {
    let profit = results.output(Metric::Profit);
    let break_even = results.output(Metric::BreakEvenDay);
    VariantAnalysis {
        name: name.to_string(),
        metrics: Metric::ALL
            .iter()
            .map(|&m| MetricSummary {
                metric: m.name(),
                summary: summarize(results.output(m)),
            })
            .collect(),
        p_loss: proportion(results.losses as usize, profit.defined() as usize),
        cvar5: cvar(profit, 0.05),
        p_best,
        median_break_even: median_break_even(break_even),
        break_even_share: break_even.defined() as f64
            / (break_even.defined() + break_even.undefined).max(1) as f64,
        daily_profit: bands(&results.daily_profit),
        daily_cash: bands(&results.daily_cash),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_all_ordered_pairs_up_to_the_limit_then_the_baseline() {
        assert_eq!(table_pairs(3, None).len(), 6);
        let n = MAX_ALL_PAIRS_VARIANTS + 1;
        let table = table_pairs(n, Some(2));
        assert_eq!(table.len(), 2 * (n - 1));
        assert!(table.iter().all(|&(a, b)| a == 2 || b == 2));
    }

    #[test]
    fn break_even_median_counts_never_as_late() {
        let median = |days: &[f64]| median_break_even(&OutputAccumulator::of(days));
        assert_eq!(median(&[10.0, 20.0, 30.0]), Some(20.0));
        assert_eq!(median(&[10.0, f64::NAN, f64::NAN]), None);
        assert_eq!(median(&[10.0, 12.0, f64::NAN]), Some(12.0));
        assert_eq!(median(&[10.0, 12.0, f64::NAN, f64::NAN]), None);
        assert_eq!(median(&[10.0, 12.0, 14.0, f64::NAN]), Some(13.0));
    }
}
