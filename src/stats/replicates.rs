//! The standard error of a mean from independent replicates (batch means).
//!
//! With Latin hypercube sampling the trials of a block are not independent — each input's
//! slices are shared out among them — so the spread of single trials overstates the
//! error of their mean (for a Latin hypercube it can only overstate it, up to a factor
//! n/(n − 1): Owen 1997). The blocks themselves are independent: each has its own
//! permutations and jitter. So the error of the mean is estimated from the spread of the
//! blocks' means, with a Student t on (blocks − 1) degrees of freedom.
//!
//! A block whose output is undefined in some trials, or the last block of a run whose
//! trial count is not a multiple of the block, holds fewer trials: the mean is then the
//! ratio Σ sum_b / Σ n_b and its variance the ratio estimator's,
//! Σ (sum_b − mean · n_b)² / (B (B − 1) n̄²), n̄ = Σ n_b / B (Cochran 1977, §6.4; with
//! equal blocks it is the plain variance of the block means over B).

use serde::{Deserialize, Serialize};

use super::estimate::Estimate;
use super::exact_sum::ExactSum;
use crate::sim::inputs::LHS_BLOCK;

/// What the blocks' sums of one output add up to: enough for the ratio estimator's
/// variance, merged exactly in any order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Replicates {
    /// Blocks with at least one defined value (B).
    pub blocks: u64,
    /// Σ sum_b².
    pub sum_squares: ExactSum,
    /// Σ sum_b · n_b.
    pub sum_by_count: ExactSum,
    /// Σ n_b².
    pub count_squares: u64,
}

impl Replicates {
    /// Adds one block: the sum of its `n` defined values.
    pub fn add(&mut self, sum: f64, n: u64) {
        if n == 0 {
            return;
        }
        self.blocks += 1;
        self.sum_squares.add(sum * sum);
        self.sum_by_count.add(sum * n as f64);
        self.count_squares += n * n;
    }

    /// Adds another part's blocks.
    pub fn merge(&mut self, other: &Replicates) {
        self.blocks += other.blocks;
        self.sum_squares.merge(&other.sum_squares);
        self.sum_by_count.merge(&other.sum_by_count);
        self.count_squares += other.count_squares;
    }

    /// The mean of `n` values summing to `total`, with the standard error and interval
    /// from the blocks (`constant`: every value is the same, the error exactly 0). No
    /// interval with fewer than two blocks.
    pub fn estimate(&self, total: f64, n: u64, constant: bool) -> Estimate {
        let mean = if n == 0 { f64::NAN } else { total / n as f64 };
        let b = self.blocks as f64;
        if self.blocks < 2 {
            return Estimate::t_interval(mean, f64::NAN, 0.0, n as usize);
        }
        if constant {
            return Estimate::t_interval(mean, 0.0, b - 1.0, n as usize);
        }
        let deviations = self.sum_squares.value() - 2.0 * mean * self.sum_by_count.value()
            + mean * mean * self.count_squares as f64;
        let per_block = n as f64 / b;
        let variance = deviations.max(0.0) / (b * (b - 1.0) * per_block * per_block);
        Estimate::t_interval(mean, variance.sqrt(), b - 1.0, n as usize)
    }
}

/// The mean of `values` (trial `i`'s value at `i`; `NaN` where undefined) with its error
/// from Latin hypercube blocks: trial `i` is in block `i / LHS_BLOCK`, as in a run.
pub fn block_mean(values: &[f64]) -> Estimate {
    let mut replicates = Replicates::default();
    let (mut total, mut n) = (0.0, 0u64);
    let mut defined = values.iter().copied().filter(|v| !v.is_nan());
    let first = defined.next();
    let constant = first.is_some_and(|x| defined.all(|v| v == x));
    for block in values.chunks(LHS_BLOCK as usize) {
        let (mut sum, mut count) = (0.0, 0u64);
        for &v in block.iter().filter(|v| !v.is_nan()) {
            sum += v;
            count += 1;
        }
        replicates.add(sum, count);
        total += sum;
        n += count;
    }
    replicates.estimate(total, n, constant)
}

/// The degrees of freedom of the t interval of a mean of `n` defined values a run wrote
/// (in `summary.csv`) with its standard error: `n − 1` for simple Monte Carlo; for a
/// Latin hypercube, blocks − 1, where the blocks holding a defined value are at least
/// ⌈n / 64⌉ (all of them when every trial is defined; fewer degrees of freedom when
/// some are not: a wider interval, on the safe side).
pub fn mean_degrees_of_freedom(latin_hypercube: bool, n: usize) -> f64 {
    if latin_hypercube {
        (n as u64).div_ceil(LHS_BLOCK) as f64 - 1.0
    } else {
        n as f64 - 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::estimate::mean_sd;

    #[test]
    fn a_paired_run_of_blocks_is_estimated_from_its_blocks() {
        // Three full blocks of 64 (block means 1, 2, 6) and a last one of two values (mean
        // 4): the ratio estimator on 4 blocks, as a run's accumulator gives it.
        let mut values: Vec<f64> = Vec::new();
        for (mean, len) in [(1.0, 64), (2.0, 64), (6.0, 64), (4.0, 2)] {
            for i in 0..len {
                values.push(mean + if i % 2 == 0 { 0.5 } else { -0.5 });
            }
        }
        values[5] = f64::NAN;
        values[6] = f64::NAN;
        let e = block_mean(&values);
        let mut r = Replicates::default();
        let mut total = 0.0;
        let mut n = 0;
        for block in values.chunks(64) {
            let defined: Vec<f64> = block.iter().copied().filter(|v| !v.is_nan()).collect();
            r.add(defined.iter().sum(), defined.len() as u64);
            total += defined.iter().sum::<f64>();
            n += defined.len() as u64;
        }
        assert_eq!(e, r.estimate(total, n, false));
        assert_eq!(e.n, 192);
        // t on 3 degrees of freedom (4 blocks), not on the trials' 191.
        let t = (e.ci_high - e.point) / e.se;
        assert!((t - 3.182).abs() < 1e-3, "{t}");
        // A constant difference is exact.
        let constant = block_mean(&[2.5; 130]);
        assert_eq!((constant.point, constant.se), (2.5, 0.0));
    }

    #[test]
    fn a_summarys_mean_has_its_blocks_degrees_of_freedom() {
        assert_eq!(mean_degrees_of_freedom(false, 4000), 3999.0);
        assert_eq!(mean_degrees_of_freedom(true, 4000), 62.0);
        assert_eq!(mean_degrees_of_freedom(true, 4096), 63.0);
        assert_eq!(mean_degrees_of_freedom(true, 64), 0.0);
    }

    #[test]
    fn equal_blocks_give_the_t_interval_of_their_means() {
        // Four blocks of three values: block means 2, 5, 3, 6.
        let blocks = [
            [1.0, 2.0, 3.0],
            [4.0, 5.0, 6.0],
            [3.0, 3.0, 3.0],
            [5.0, 6.0, 7.0],
        ];
        let mut r = Replicates::default();
        let mut total = 0.0;
        for b in &blocks {
            let sum: f64 = b.iter().sum();
            r.add(sum, 3);
            total += sum;
        }
        let got = r.estimate(total, 12, false);
        let means: Vec<f64> = blocks.iter().map(|b| b.iter().sum::<f64>() / 3.0).collect();
        let (m, sd) = mean_sd(&means);
        assert!((got.point - m).abs() < 1e-12);
        assert!(
            (got.se - sd / 2.0).abs() < 1e-12,
            "{} vs {}",
            got.se,
            sd / 2.0
        );
        // t with 3 degrees of freedom: 3.182446.
        assert!((got.ci_high - m - 3.182_446 * sd / 2.0).abs() < 1e-5);
        assert_eq!(got.n, 12);
    }

    #[test]
    fn unequal_blocks_use_the_ratio_estimator_and_merge_in_any_order() {
        let blocks: [(f64, u64); 5] = [(10.0, 4), (3.0, 2), (12.0, 4), (7.5, 3), (0.0, 0)];
        let (total, n): (f64, u64) = (32.5, 13);
        let mean = total / n as f64;
        let nbar = n as f64 / 4.0;
        let dev: f64 = blocks
            .iter()
            .filter(|b| b.1 > 0)
            .map(|&(s, k)| (s - mean * k as f64).powi(2))
            .sum();
        let expected = (dev / (4.0 * 3.0 * nbar * nbar)).sqrt();
        let mut one = Replicates::default();
        for &(s, k) in &blocks {
            one.add(s, k);
        }
        let (mut a, mut b) = (Replicates::default(), Replicates::default());
        for (i, &(s, k)) in blocks.iter().enumerate() {
            if i % 2 == 0 { &mut a } else { &mut b }.add(s, k);
        }
        b.merge(&a);
        assert_eq!(one, b);
        let got = one.estimate(total, n, false);
        assert_eq!(one.blocks, 4, "an empty block is not a replicate");
        assert!(
            (got.se - expected).abs() < 1e-12,
            "{} vs {expected}",
            got.se
        );
    }

    #[test]
    fn one_block_has_no_interval_and_a_constant_has_no_error() {
        let mut r = Replicates::default();
        r.add(6.0, 3);
        assert!(r.estimate(6.0, 3, false).ci_low.is_nan());
        r.add(6.0, 3);
        let e = r.estimate(12.0, 6, true);
        assert_eq!((e.se, e.ci_low, e.ci_high), (0.0, 2.0, 2.0));
    }
}
