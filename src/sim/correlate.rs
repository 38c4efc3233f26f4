//! Rank correlations between uncertain inputs, induced on each batch's samples by the
//! Iman–Conover method (1982): the samples of each correlated input are re-paired across
//! the batch's trials so that their ranks follow a matrix of normal scores with the target
//! correlations. Every input keeps exactly the values it drew (its marginal distribution is
//! untouched); only which trial gets which value changes. The re-pairing is drawn from the
//! batch's own streams, so it depends on the seed and the batch, never on threads or shards.

use rand::Rng;

use super::rng::{stream, Purpose};
use crate::params::P;

/// A target rank correlation between two inputs of a variant.
#[derive(Clone, Debug, PartialEq)]
pub struct InputCorrelation {
    /// One input.
    pub a: P,
    /// The other input.
    pub b: P,
    /// Spearman's rank correlation to induce, in [−1, 1].
    pub rho: f64,
    /// Where it was set (`file.toml:12`, `c.csv:3`).
    pub source: String,
}

/// The Cholesky factor L (lower triangular, L·Lᵀ = `m`) of a symmetric matrix, or `None`
/// when it is not positive definite.
pub fn cholesky(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let k = m.len();
    let mut l = vec![vec![0.0; k]; k];
    for i in 0..k {
        for j in 0..=i {
            let sum: f64 = (0..j).map(|t| l[i][t] * l[j][t]).sum();
            if i == j {
                let d = m[i][i] - sum;
                if d <= 1e-12 || !d.is_finite() {
                    return None;
                }
                l[i][i] = d.sqrt();
            } else {
                l[i][j] = (m[i][j] - sum) / l[j][j];
            }
        }
    }
    Some(l)
}

/// The inverse of a lower-triangular matrix with a non-zero diagonal.
fn invert_lower(l: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let k = l.len();
    let mut inv = vec![vec![0.0; k]; k];
    for i in 0..k {
        inv[i][i] = 1.0 / l[i][i];
        let row: Vec<f64> = (0..i)
            .map(|j| -(j..i).map(|t| l[i][t] * inv[t][j]).sum::<f64>() / l[i][i])
            .collect();
        inv[i][..i].copy_from_slice(&row);
    }
    inv
}

/// The Pearson correlation of normal scores that gives rank correlation `rho`:
/// 2·sin(π·ρ/6), the inverse of Spearman's ρ = (6/π)·asin(r/2) for a bivariate normal.
pub fn normal_correlation(rho: f64) -> f64 {
    2.0 * (std::f64::consts::PI * rho / 6.0).sin()
}

/// The target matrix of normal-score correlations for `keys` from `pairs` (1 on the
/// diagonal, 0 where no pair is given).
pub fn target_matrix(keys: &[P], pairs: &[InputCorrelation]) -> Vec<Vec<f64>> {
    let k = keys.len();
    let mut m = vec![vec![0.0; k]; k];
    for (i, row) in m.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for c in pairs {
        let (Some(i), Some(j)) = (
            keys.iter().position(|&p| p == c.a),
            keys.iter().position(|&p| p == c.b),
        ) else {
            continue;
        };
        let r = normal_correlation(c.rho);
        m[i][j] = r;
        m[j][i] = r;
    }
    m
}

/// The inputs the pairs name, in catalog order.
pub fn correlated_keys(pairs: &[InputCorrelation]) -> Vec<P> {
    let mut keys: Vec<P> = pairs.iter().flat_map(|c| [c.a, c.b]).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Whether the pairs make a valid correlation matrix (positive definite).
pub fn is_positive_definite(pairs: &[InputCorrelation]) -> bool {
    let keys = correlated_keys(pairs);
    cholesky(&target_matrix(&keys, pairs)).is_some()
}

/// Van der Waerden scores Φ⁻¹(i / (n + 1)), i = 1..n.
fn normal_scores(n: usize) -> Vec<f64> {
    use statrs::distribution::{ContinuousCDF, Normal};
    let normal = Normal::new(0.0, 1.0).expect("the standard normal");
    (1..=n)
        .map(|i| normal.inverse_cdf(i as f64 / (n as f64 + 1.0)))
        .collect()
}

/// The stream of batch `batch`'s scores for input `key` (not a trial's stream: the trial
/// coordinate is counted down from the top, far from any trial number).
fn score_stream(seed: u64, batch: u64, key: P) -> super::rng::StreamRng {
    stream(
        seed,
        u64::MAX - batch,
        Purpose::Parameters,
        super::rng::param_stream(key),
    )
}

/// Re-pairs the columns of `samples` (one column per key in `keys`, one row per trial of
/// batch `batch`) so that their rank correlations approach the targets. Each column keeps
/// its values. Does nothing with fewer than three trials or when the batch's scores are
/// degenerate (then the columns stay independent).
pub fn induce(
    samples: &mut [Vec<f64>],
    keys: &[P],
    pairs: &[InputCorrelation],
    seed: u64,
    batch: u64,
) {
    let k = keys.len();
    let n = samples.first().map_or(0, Vec::len);
    if k < 2 || n < 3 || n <= k {
        return;
    }
    let Some(target) = cholesky(&target_matrix(keys, pairs)) else {
        return;
    };
    // Scores: each column a random permutation of the normal scores.
    let base = normal_scores(n);
    let scores: Vec<Vec<f64>> = keys
        .iter()
        .map(|&key| {
            let mut rng = score_stream(seed, batch, key);
            let mut col = base.clone();
            for i in (1..n).rev() {
                let j = rng.random_range(0..=i);
                col.swap(i, j);
            }
            col
        })
        .collect();
    // Their sample correlation E, and its factor: T = P·Q⁻¹·s has correlation C exactly.
    let norm: Vec<f64> = scores
        .iter()
        .map(|c| c.iter().map(|v| v * v).sum::<f64>().sqrt())
        .collect();
    let e: Vec<Vec<f64>> = (0..k)
        .map(|i| {
            (0..k)
                .map(|j| {
                    let dot: f64 = scores[i].iter().zip(&scores[j]).map(|(a, b)| a * b).sum();
                    dot / (norm[i] * norm[j])
                })
                .collect()
        })
        .collect();
    let Some(q) = cholesky(&e) else {
        return;
    };
    let q_inv = invert_lower(&q);
    // M = P · Q⁻¹ (both lower triangular).
    let m: Vec<Vec<f64>> = (0..k)
        .map(|i| {
            (0..k)
                .map(|j| (j..=i).map(|t| target[i][t] * q_inv[t][j]).sum())
                .collect()
        })
        .collect();
    for (i, column) in samples.iter_mut().enumerate() {
        let t: Vec<f64> = (0..n)
            .map(|row| (0..=i).map(|j| m[i][j] * scores[j][row]).sum())
            .collect();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| t[a].total_cmp(&t[b]));
        let mut sorted = column.clone();
        sorted.sort_by(f64::total_cmp);
        for (rank, &row) in order.iter().enumerate() {
            column[row] = sorted[rank];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::rank::spearman;

    fn pair(a: P, b: P, rho: f64) -> InputCorrelation {
        InputCorrelation {
            a,
            b,
            rho,
            source: String::new(),
        }
    }

    #[test]
    fn cholesky_factors_and_refuses_what_is_not_positive_definite() {
        let m = vec![vec![4.0, 2.0], vec![2.0, 3.0]];
        let l = cholesky(&m).unwrap();
        for i in 0..2 {
            for j in 0..2 {
                let back: f64 = (0..2).map(|t| l[i][t] * l[j][t]).sum();
                assert!((back - m[i][j]).abs() < 1e-12);
            }
        }
        // Three inputs pairwise at −0.9 cannot all be so.
        let keys = [P::RetailPrice, P::UnitCost, P::DailyCv];
        let bad = [
            pair(keys[0], keys[1], -0.9),
            pair(keys[0], keys[2], -0.9),
            pair(keys[1], keys[2], -0.9),
        ];
        assert!(!is_positive_definite(&bad));
        assert!(is_positive_definite(&bad[..1]));
        let inv = invert_lower(&l);
        let id: f64 = (0..2).map(|t| l[1][t] * inv[t][0]).sum();
        assert!(id.abs() < 1e-12);
    }

    #[test]
    fn induced_rank_correlations_reach_their_targets_and_keep_the_values() {
        use rand::SeedableRng;
        use rand_distr::{Distribution, Exp};
        let keys = [P::RetailPrice, P::UnitCost, P::DailyCv];
        let pairs = [pair(keys[0], keys[1], -0.5), pair(keys[1], keys[2], 0.7)];
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
        let exp = Exp::new(1.0).unwrap();
        let n = 256;
        let (mut r01, mut r12, mut r02) = (Vec::new(), Vec::new(), Vec::new());
        for batch in 0..40 {
            let mut cols: Vec<Vec<f64>> = (0..3)
                .map(|_| (0..n).map(|_| exp.sample(&mut rng)).collect())
                .collect();
            let before = cols.clone();
            induce(&mut cols, &keys, &pairs, 9, batch);
            for (a, b) in cols.iter().zip(&before) {
                let (mut x, mut y) = (a.clone(), b.clone());
                x.sort_by(f64::total_cmp);
                y.sort_by(f64::total_cmp);
                assert_eq!(x, y, "a column's values changed");
            }
            r01.push(spearman(&cols[0], &cols[1]).rho);
            r12.push(spearman(&cols[1], &cols[2]).rho);
            r02.push(spearman(&cols[0], &cols[2]).rho);
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        // Each batch's ρ has a standard error of about (1 − ρ²)/√256 ≈ 0.05; over 40
        // batches the mean is within 0.02 of the target (the implied ρ(0, 2) too).
        assert!((mean(&r01) + 0.5).abs() < 0.02, "{}", mean(&r01));
        assert!((mean(&r12) - 0.7).abs() < 0.02, "{}", mean(&r12));
        // Unspecified pairs are 0 in the target matrix.
        assert!(mean(&r02).abs() < 0.03, "{}", mean(&r02));
    }
}
