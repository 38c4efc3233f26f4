//! The statistics of a study, computed once (as criterion's `analysis/` does) and handed
//! to every exporter — tables, charts, report, terminal verdict — so no two of them can
//! compute a figure differently.
//!
//! Each figure is built per variant or per pair from that variant's trial columns. The
//! streaming step planned for large runs replaces these columns by accumulators merged
//! batch by batch; the shape of [`StudyAnalysis`] does not depend on which is used.

use serde::Serialize;

use super::compare::{p_best, paired, Paired};
use super::daily::{bands, Band};
use super::summary::{cvar, p_loss, summarize, Proportion, Summary};
use crate::sim::{Metric, StudyResults, StudySpec, VariantResults};

/// Above this many variants, pairwise figures compare each variant with the baseline only:
/// all ordered pairs grow with the square of the count (300 variants would make 89,700
/// pairs × every output).
pub const MAX_ALL_PAIRS_VARIANTS: usize = 20;

/// Everything shopsim reports about a study.
#[derive(Clone, Debug, Serialize)]
pub struct StudyAnalysis {
    /// One per variant, in the study's order.
    pub variants: Vec<VariantAnalysis>,
    /// Paired comparisons of every output for the pairs [`table_pairs`] chooses.
    pub pairs: Vec<PairAnalysis>,
    /// The variant others are compared with when there are too many for all pairs.
    pub baseline: usize,
}

/// One variant's figures.
#[derive(Clone, Debug, Serialize)]
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
#[derive(Clone, Debug, Serialize)]
pub struct MetricSummary {
    /// The output.
    pub metric: &'static str,
    /// Its summary; `None` where no trial defines it.
    pub summary: Option<Summary>,
}

/// A pair of variants (A, B) compared trial by trial on every output.
#[derive(Clone, Debug, Serialize)]
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

/// Values of one metric over a variant's trials.
pub fn column(results: &VariantResults, m: Metric) -> Vec<f64> {
    results.outputs.iter().map(|o| o[m]).collect()
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

/// The median of break-even days where trials that never break even (NaN) count as
/// infinitely late: defined only when at least half the trials break even.
pub fn median_break_even(days: &[f64]) -> Option<f64> {
    if days.is_empty() {
        return None;
    }
    let mut sorted: Vec<f64> = days
        .iter()
        .map(|d| if d.is_nan() { f64::INFINITY } else { *d })
        .collect();
    sorted.sort_by(f64::total_cmp);
    // Not `quantile_sorted`: its interpolation would compute 0 × ∞.
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
    };
    median.is_finite().then_some(median)
}

/// Analyses a study's results; `baseline` is the variant named as such, if any.
pub fn analyze(spec: &StudySpec, results: &StudyResults, baseline: Option<usize>) -> StudyAnalysis {
    // Columns by variant, then metric: each is read by several figures.
    let columns: Vec<Vec<Vec<f64>>> = results
        .variants
        .iter()
        .map(|r| Metric::ALL.iter().map(|&m| column(r, m)).collect())
        .collect();
    let profits: Vec<&[f64]> = columns
        .iter()
        .map(|c| c[Metric::Profit as usize].as_slice())
        .collect();
    let best = p_best(&profits, Metric::Profit.better());
    let variants = spec
        .variants()
        .iter()
        .zip(&results.variants)
        .zip(&columns)
        .zip(best)
        .map(|(((v, r), c), p_best)| analyze_variant(&v.name, r, c, p_best, spec.horizon_days()))
        .collect();
    let pairs = table_pairs(spec.variants().len(), baseline)
        .into_iter()
        .map(|(a, b)| PairAnalysis {
            a,
            b,
            metrics: Metric::ALL
                .iter()
                .map(|&m| paired(&columns[a][m as usize], &columns[b][m as usize], m.better()))
                .collect(),
        })
        .collect();
    StudyAnalysis {
        variants,
        pairs,
        baseline: baseline.unwrap_or(0),
    }
}

fn analyze_variant(
    name: &str,
    results: &VariantResults,
    columns: &[Vec<f64>],
    p_best: f64,
    horizon: usize,
) -> VariantAnalysis {
    let profit = &columns[Metric::Profit as usize];
    let break_even = &columns[Metric::BreakEvenDay as usize];
    VariantAnalysis {
        name: name.to_string(),
        metrics: Metric::ALL
            .iter()
            .map(|&m| MetricSummary {
                metric: m.name(),
                summary: summarize(&columns[m as usize]),
            })
            .collect(),
        p_loss: p_loss(profit),
        cvar5: cvar(profit, 0.05),
        p_best,
        median_break_even: median_break_even(break_even),
        break_even_share: break_even.iter().filter(|d| !d.is_nan()).count() as f64
            / break_even.len().max(1) as f64,
        daily_profit: bands(&results.cumulative_profit, horizon),
        daily_cash: bands(&results.cash, horizon),
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
        assert_eq!(median_break_even(&[10.0, 20.0, 30.0]), Some(20.0));
        assert_eq!(median_break_even(&[10.0, f64::NAN, f64::NAN]), None);
        assert_eq!(median_break_even(&[10.0, 12.0, f64::NAN]), Some(12.0));
        assert_eq!(median_break_even(&[10.0, 12.0, f64::NAN, f64::NAN]), None);
        assert_eq!(median_break_even(&[10.0, 12.0, 14.0, f64::NAN]), Some(13.0));
    }
}
