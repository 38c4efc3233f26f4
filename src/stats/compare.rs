//! Paired comparison of two variants: trial i of A and trial i of B share their random
//! numbers, so the difference is estimated from per-trial differences.

use serde::Serialize;

use super::accumulate::PairOutput;
use super::estimate::Estimate;

#[derive(Clone, Debug, PartialEq, Serialize)]
/// A paired comparison of A with B on one output.
pub struct Paired {
    /// Mean of A − B over the trials where both values are defined, with its interval.
    pub diff: Estimate,
    /// Standard deviation of the per-trial differences.
    pub sd_diff: f64,
    /// Share of trials where A is strictly better than B (ties count for neither).
    pub p_a_better: f64,
}

/// A with B compared trial by trial on one output; `None` when no trial has both values
/// defined.
pub fn paired(acc: &PairOutput) -> Option<Paired> {
    if acc.pairs == 0 {
        return None;
    }
    let constant = acc.min == acc.max;
    let (_, sd) = acc.moments.mean_sd(acc.pairs, constant);
    Some(Paired {
        diff: acc.moments.estimate(acc.pairs, constant),
        sd_diff: sd,
        p_a_better: acc.wins as f64 / acc.pairs as f64,
    })
}
