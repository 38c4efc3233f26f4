//! Paired comparison of two variants: trial i of A and trial i of B share their random
//! numbers, so the difference is estimated from per-trial differences.

use serde::Serialize;

use super::estimate::{mean_sd, Estimate};
use crate::sim::Better;

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

/// Compares A with B trial by trial; `None` when no trial has both values defined.
pub fn paired(a: &[f64], b: &[f64], better: Better) -> Option<Paired> {
    let pairs: Vec<(f64, f64)> = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (x, y))
        .filter(|(x, y)| !x.is_nan() && !y.is_nan())
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let diffs: Vec<f64> = pairs.iter().map(|(x, y)| x - y).collect();
    let (mean, sd) = mean_sd(&diffs);
    let n = diffs.len();
    let wins = pairs
        .iter()
        .filter(|(x, y)| match better {
            Better::Higher => x > y,
            Better::Lower => x < y,
        })
        .count();
    Some(Paired {
        diff: Estimate::mean(mean, sd, n),
        sd_diff: sd,
        p_a_better: wins as f64 / n as f64,
    })
}

/// P(best): per variant, the share of trials in which it has the best value among all
/// variants (ties share the trial). Trials where any value is undefined are skipped.
pub fn p_best(columns: &[&[f64]], better: Better) -> Vec<f64> {
    let k = columns.len();
    let trials = columns.iter().map(|c| c.len()).min().unwrap_or(0);
    let mut wins = vec![0.0; k];
    let mut counted = 0usize;
    for t in 0..trials {
        let values: Vec<f64> = columns.iter().map(|c| c[t]).collect();
        if values.iter().any(|v| v.is_nan()) {
            continue;
        }
        let best = match better {
            Better::Higher => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            Better::Lower => values.iter().copied().fold(f64::INFINITY, f64::min),
        };
        let winners: Vec<usize> = (0..k).filter(|&i| values[i] == best).collect();
        for &i in &winners {
            wins[i] += 1.0 / winners.len() as f64;
        }
        counted += 1;
    }
    wins.into_iter()
        .map(|w| {
            if counted > 0 {
                w / counted as f64
            } else {
                f64::NAN
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_best_shares_ties_and_sums_to_one() {
        let cols: [&[f64]; 3] = [
            &[1.0, 5.0, 2.0, 2.0],
            &[2.0, 1.0, 2.0, f64::NAN],
            &[0.0, 0.0, 1.0, 9.0],
        ];
        let p = p_best(&cols, Better::Higher);
        // Trials 0..3 count (trial 3 has an undefined value): winners b, a, a/b tie.
        assert!(
            (p[0] - 1.5 / 3.0).abs() < 1e-12 && (p[1] - 1.5 / 3.0).abs() < 1e-12 && p[2] == 0.0
        );
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn direction_decides_what_better_means() {
        let a = [1.0, 5.0, 3.0, f64::NAN];
        let b = [2.0, 4.0, 3.0, 1.0];
        let hi = paired(&a, &b, Better::Higher).unwrap();
        assert_eq!(hi.diff.n, 3);
        assert_eq!(hi.diff.point, 0.0);
        assert!((hi.p_a_better - 1.0 / 3.0).abs() < 1e-12);
        let lo = paired(&a, &b, Better::Lower).unwrap();
        assert!((lo.p_a_better - 1.0 / 3.0).abs() < 1e-12);
    }
}
