//! A sum of floating-point numbers that does not depend on the order they are added in.
//!
//! Streaming statistics add trials batch by batch, on whichever thread or machine ran
//! them. Plain `f64` addition rounds at every step, so the total would depend on the
//! order and the tables of a 2-thread run, or of a sharded one, would differ in the last
//! digits from a 1-thread run. This keeps the sum exactly, as a short list of
//! non-overlapping partial sums (Shewchuk's algorithm, the one behind Python's
//! `math.fsum`), and rounds once, correctly, when the value is read: any order of the same
//! numbers gives the same bits.

use serde::{Deserialize, Serialize};

/// The exact sum of the values added so far. Two sums are equal when they round to the
/// same value: the partials of one exact total depend on the order it was added in.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ExactSum {
    /// Non-overlapping partial sums, smallest magnitude first; their exact sum is the
    /// total.
    partials: Vec<f64>,
}

impl PartialEq for ExactSum {
    fn eq(&self, other: &ExactSum) -> bool {
        self.value().to_bits() == other.value().to_bits()
    }
}

impl ExactSum {
    /// An empty sum (zero).
    pub fn new() -> ExactSum {
        ExactSum::default()
    }

    /// Adds `x` exactly. `x` must be finite (a non-finite value makes the sum meaningless,
    /// as it would a plain one).
    pub fn add(&mut self, mut x: f64) {
        let mut kept = 0;
        for i in 0..self.partials.len() {
            let mut y = self.partials[i];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            // Two-sum: hi + lo == x + y exactly, |lo| <= ulp(hi) / 2.
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                self.partials[kept] = lo;
                kept += 1;
            }
            x = hi;
        }
        self.partials.truncate(kept);
        self.partials.push(x);
    }

    /// Adds every partial of `other`: the result is the exact sum of both.
    pub fn merge(&mut self, other: &ExactSum) {
        for &p in &other.partials {
            self.add(p);
        }
    }

    /// The exact total rounded once to the nearest `f64` (ties to even): the same bits for
    /// any order of the same values.
    pub fn value(&self) -> f64 {
        // CPython's `math.fsum` final step: add the partials from the largest down until
        // the running sum becomes inexact, then correct a half-way case using the sign of
        // what remains.
        let p = &self.partials;
        let mut n = p.len();
        if n == 0 {
            return 0.0;
        }
        n -= 1;
        let mut hi = p[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = p[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
        hi
    }

    /// The partial sums, for storing a part's accumulators.
    pub fn partials(&self) -> &[f64] {
        &self.partials
    }

    /// A sum from stored partials (as [`ExactSum::partials`] gave them).
    pub fn from_partials(partials: &[f64]) -> ExactSum {
        let mut s = ExactSum::new();
        for &p in partials {
            s.add(p);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cancellation_that_plain_addition_loses_is_kept() {
        let mut s = ExactSum::new();
        for x in [1e100, 1.0, -1e100, 1e-100] {
            s.add(x);
        }
        // Plain left-to-right addition gives 1e-100: the 1.0 is absorbed by 1e100.
        assert_eq!(s.value(), 1.0);
        let mut t = ExactSum::new();
        for _ in 0..10 {
            t.add(0.1);
        }
        // The exact sum of ten copies of the double nearest 0.1, correctly rounded.
        assert_eq!(t.value(), 1.0);
        assert_eq!(ExactSum::new().value(), 0.0);
    }

    #[test]
    fn half_way_cases_round_to_even() {
        // 1 + 2^-53 is exactly half-way between 1 and its successor: ties go to even (1);
        // a further tiny positive part makes it round up.
        let half_ulp = f64::EPSILON / 2.0;
        let mut s = ExactSum::new();
        s.add(1.0);
        s.add(half_ulp);
        assert_eq!(s.value(), 1.0);
        s.add(1e-300);
        assert_eq!(s.value(), 1.0 + f64::EPSILON);
    }

    /// Integers scaled by a power of two are added exactly by i128: the reference.
    fn exact_reference(values: &[i64], scale: i32) -> f64 {
        let total: i128 = values.iter().map(|&v| v as i128).sum();
        // An i128 that fits in 2^80 converts with one correct rounding.
        (total as f64) * 2f64.powi(scale)
    }

    proptest! {
        #[test]
        fn any_order_gives_the_same_correctly_rounded_sum(
            ints in proptest::collection::vec(-(1i64 << 60)..(1i64 << 60), 1..60),
            scale in -40i32..40,
            rotate in 0usize..60,
        ) {
            let values: Vec<f64> = ints.iter().map(|&v| (v as f64) * 2f64.powi(scale)).collect();
            // Exactly representable: v has at most 60 bits, but as f64 it was rounded to
            // 53; the reference uses the rounded values too.
            let rounded: Vec<i64> = values.iter().map(|&x| (x / 2f64.powi(scale)) as i64).collect();
            let mut forward = ExactSum::new();
            values.iter().for_each(|&x| forward.add(x));
            let mut backward = ExactSum::new();
            values.iter().rev().for_each(|&x| backward.add(x));
            let mut rotated = values.clone();
            let k = rotate % rotated.len();
            rotated.rotate_left(k);
            // Split in two and merged, as two threads' sums would be.
            let (a, b) = rotated.split_at(rotated.len() / 2);
            let (mut left, mut right) = (ExactSum::new(), ExactSum::new());
            a.iter().for_each(|&x| left.add(x));
            b.iter().for_each(|&x| right.add(x));
            right.merge(&left);
            let expected = exact_reference(&rounded, scale);
            prop_assert_eq!(forward.value().to_bits(), expected.to_bits());
            prop_assert_eq!(backward.value().to_bits(), expected.to_bits());
            prop_assert_eq!(right.value().to_bits(), expected.to_bits());
            let stored = ExactSum::from_partials(forward.partials());
            prop_assert_eq!(stored.value().to_bits(), expected.to_bits());
        }
    }
}
