//! Quantiles of a stream of values in bounded memory: a histogram whose buckets are
//! fixed by the values' binary representation, so two sketches merge by adding counts and
//! the result does not depend on the order values or sketches came in (any thread count,
//! any sharding, the same bits).
//!
//! A bucket holds the values that share their sign, exponent and first `bits` mantissa
//! bits: it spans a relative width of at most 2^-bits. Values closer to zero than
//! `floor` share one bucket around zero. A quantile is found by exact rank among the
//! buckets (R type 7, as [`super::summary::quantile_sorted`]), so its only error is where
//! in its bucket the value lies:
//!
//! - a sketch that keeps each bucket's smallest and largest value (`with_extents`; the
//!   per-trial outputs) places a rank between them, so its error is at most the bucket's
//!   spread, below 2^-bits of the value, and is exact when the bucket holds one value
//!   (every integer-valued output: days, counts, 0/1);
//! - a sketch without (the daily paths, 730 sketches per variant) answers the bucket's
//!   middle, clamped to the smallest and largest value seen, so its error is at most
//!   2^-(bits + 1) of the value.
//!
//! Both add at most twice `floor` of absolute error for values closer to zero than `floor`.
//!
//! In rank terms the answer lies between the exact quantiles of ranks `r - c` and
//! `r + c`, where `c` is its bucket's count: only values of the same bucket can be
//! misplaced.

use serde::{Deserialize, Serialize};

/// Serialises an `f64` as its bits: exact, and infinities (an empty minimum) survive a
/// JSON round trip, where they would become `null`.
pub mod float_bits {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the bits.
    pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(x.to_bits())
    }

    /// Reads the bits.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        u64::deserialize(d).map(f64::from_bits)
    }
}

/// Smallest and largest value in one bucket.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Extent {
    /// Smallest value seen in the bucket.
    #[serde(with = "float_bits")]
    pub min: f64,
    /// Largest value seen in the bucket.
    #[serde(with = "float_bits")]
    pub max: f64,
}

/// A mergeable histogram sketch of a stream of finite values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sketch {
    /// Mantissa bits kept in a bucket key.
    bits: u32,
    /// Values with `|x| < floor` share the bucket of key 0.
    floor: f64,
    /// Key of `counts[0]`.
    first_key: i64,
    /// Values per bucket, from `first_key` up.
    counts: Vec<u64>,
    /// Per bucket, its smallest and largest value (empty unless kept).
    extents: Vec<Extent>,
    /// Whether bucket extents are kept.
    keep_extents: bool,
    /// Values added.
    total: u64,
    /// Smallest value added.
    #[serde(with = "float_bits")]
    min: f64,
    /// Largest value added.
    #[serde(with = "float_bits")]
    max: f64,
}

impl Sketch {
    /// A sketch keeping `bits` mantissa bits (relative bucket width 2^-bits), merging
    /// values closer to zero than `floor`, without bucket extents.
    pub fn new(bits: u32, floor: f64) -> Sketch {
        debug_assert!((1..=30).contains(&bits) && floor > 0.0 && floor.is_finite());
        Sketch {
            bits,
            floor,
            first_key: 0,
            counts: Vec::new(),
            extents: Vec::new(),
            keep_extents: false,
            total: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    /// As [`Sketch::new`], keeping each bucket's smallest and largest value.
    pub fn with_extents(bits: u32, floor: f64) -> Sketch {
        Sketch {
            keep_extents: true,
            ..Sketch::new(bits, floor)
        }
    }

    /// Values added.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// Smallest value added (`+inf` when empty).
    pub fn min(&self) -> f64 {
        self.min
    }

    /// Largest value added (`-inf` when empty).
    pub fn max(&self) -> f64 {
        self.max
    }

    /// Largest relative error of a quantile away from zero: the bucket width, or half of
    /// it without extents.
    pub fn relative_error(&self) -> f64 {
        let width = 2f64.powi(-(self.bits as i32));
        if self.keep_extents {
            width
        } else {
            width / 2.0
        }
    }

    /// The magnitude key of `|x| >= floor`: 1 for the floor's bucket, increasing.
    fn magnitude_key(&self, magnitude: f64) -> i64 {
        let shift = 52 - self.bits;
        ((magnitude.to_bits() >> shift) as i64) - ((self.floor.to_bits() >> shift) as i64) + 1
    }

    /// The bucket key of a finite value: monotone in the value.
    fn key(&self, x: f64) -> i64 {
        let magnitude = x.abs();
        if magnitude < self.floor {
            0
        } else if x > 0.0 {
            self.magnitude_key(magnitude)
        } else {
            -self.magnitude_key(magnitude)
        }
    }

    /// The values a key stands for: `[low, high)` in magnitude, signed.
    fn bounds(&self, key: i64) -> (f64, f64) {
        if key == 0 {
            return (-self.floor, self.floor);
        }
        let shift = 52 - self.bits;
        let base = (self.floor.to_bits() >> shift) as i64 - 1;
        let magnitude = |k: i64| f64::from_bits(((k + base) as u64) << shift);
        let (low, high) = (magnitude(key.abs()), magnitude(key.abs() + 1));
        if key > 0 {
            (low, high)
        } else {
            (-high, -low)
        }
    }

    /// Makes room for `key` and returns its index in `counts`.
    fn slot(&mut self, key: i64) -> usize {
        if self.counts.is_empty() {
            self.first_key = key;
            self.counts.push(0);
            if self.keep_extents {
                self.extents.push(empty_extent());
            }
            return 0;
        }
        if key < self.first_key {
            let grow = (self.first_key - key) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            if self.keep_extents {
                self.extents
                    .splice(0..0, std::iter::repeat_n(empty_extent(), grow));
            }
            self.first_key = key;
            return 0;
        }
        let index = (key - self.first_key) as usize;
        if index >= self.counts.len() {
            self.counts.resize(index + 1, 0);
            if self.keep_extents {
                self.extents.resize(index + 1, empty_extent());
            }
        }
        index
    }

    /// Adds `count` copies of a finite value.
    pub fn add_n(&mut self, x: f64, count: u64) {
        debug_assert!(x.is_finite());
        if count == 0 {
            return;
        }
        let i = self.slot(self.key(x));
        self.counts[i] += count;
        if self.keep_extents {
            let e = &mut self.extents[i];
            e.min = e.min.min(x);
            e.max = e.max.max(x);
        }
        self.total += count;
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// Adds a finite value.
    pub fn add(&mut self, x: f64) {
        self.add_n(x, 1);
    }

    /// Adds every value of `other` (which must have the same `bits`, `floor` and extents
    /// setting).
    pub fn merge(&mut self, other: &Sketch) {
        debug_assert!(
            self.bits == other.bits
                && self.floor == other.floor
                && self.keep_extents == other.keep_extents
        );
        if other.counts.is_empty() {
            return;
        }
        let last = other.first_key + other.counts.len() as i64 - 1;
        self.slot(other.first_key);
        let end = self.slot(last);
        let start = (other.first_key - self.first_key) as usize;
        debug_assert_eq!(end - start + 1, other.counts.len());
        for (mine, theirs) in self.counts[start..=end].iter_mut().zip(&other.counts) {
            *mine += theirs;
        }
        if self.keep_extents {
            for (mine, theirs) in self.extents[start..=end].iter_mut().zip(&other.extents) {
                mine.min = mine.min.min(theirs.min);
                mine.max = mine.max.max(theirs.max);
            }
        }
        self.total += other.total;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Buckets in order: (index in `counts`, count), skipping empty ones.
    fn occupied(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(i, &c)| (i, c))
    }

    /// The estimate of the value of rank `offset` (0-based) within bucket `index` holding
    /// `count` values.
    fn value_in(&self, index: usize, offset: u64, count: u64) -> f64 {
        if self.keep_extents {
            let e = self.extents[index];
            if count <= 1 || e.min == e.max {
                return e.min;
            }
            e.min + (e.max - e.min) * offset as f64 / (count - 1) as f64
        } else {
            let (low, high) = self.bounds(self.first_key + index as i64);
            let middle = if low.is_finite() && high.is_finite() {
                0.5 * (low + high)
            } else {
                low
            };
            middle.clamp(self.min, self.max)
        }
    }

    /// The estimate of the `rank`-th smallest value (0-based); NaN when empty.
    pub fn value_at_rank(&self, rank: u64) -> f64 {
        let mut below = 0;
        for (i, c) in self.occupied() {
            if rank < below + c {
                return self.value_in(i, rank - below, c);
            }
            below += c;
        }
        if self.total > 0 {
            self.max
        } else {
            f64::NAN
        }
    }

    /// The `q` quantile, R type 7 (linear between the order statistics around
    /// `(n - 1) q`); NaN when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        match self.total {
            0 => f64::NAN,
            1 => self.value_at_rank(0),
            n => {
                let h = (n - 1) as f64 * q;
                let lo = h.floor() as u64;
                let below = self.value_at_rank(lo);
                let frac = h - lo as f64;
                if frac == 0.0 || lo + 1 >= n {
                    below
                } else {
                    below + frac * (self.value_at_rank(lo + 1) - below)
                }
            }
        }
    }

    /// The mean of the `k` smallest values (as the sketch places them); NaN when empty.
    pub fn mean_of_smallest(&self, k: u64) -> f64 {
        let k = k.min(self.total);
        if k == 0 {
            return f64::NAN;
        }
        let mut left = k;
        let mut sum = 0.0;
        for (i, c) in self.occupied() {
            let take = left.min(c);
            sum += (0..take).map(|o| self.value_in(i, o, c)).sum::<f64>();
            left -= take;
            if left == 0 {
                break;
            }
        }
        sum / k as f64
    }

    /// Counts by bucket in order, each with its value estimate (the bucket's middle rank),
    /// for histograms.
    pub fn buckets(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        self.occupied()
            .map(|(i, c)| (self.value_in(i, (c - 1) / 2, c), c))
    }

    /// Whether a sketch read from a file is one `like` would make: the same settings,
    /// extents for every bucket when kept, and counts that add up to its total.
    pub fn fits(&self, like: &Sketch) -> bool {
        let extents_fit = if like.keep_extents {
            self.extents.len() == self.counts.len()
        } else {
            self.extents.is_empty()
        };
        let total = self.counts.iter().try_fold(0u64, |t, &c| t.checked_add(c));
        self.bits == like.bits
            && self.floor == like.floor
            && self.keep_extents == like.keep_extents
            && extents_fit
            && total == Some(self.total)
    }

    /// The parts needed to store the sketch and rebuild it with [`Sketch::from_parts`].
    pub fn parts(&self) -> (i64, &[u64], &[Extent]) {
        (self.first_key, &self.counts, &self.extents)
    }

    /// Rebuilds a sketch made by `like`'s settings from stored parts; `None` when they do
    /// not fit those settings.
    pub fn from_parts(
        like: &Sketch,
        first_key: i64,
        counts: Vec<u64>,
        extents: Vec<Extent>,
        min: f64,
        max: f64,
    ) -> Option<Sketch> {
        let fits = if like.keep_extents {
            extents.len() == counts.len()
        } else {
            extents.is_empty()
        };
        if !fits {
            return None;
        }
        let total = counts.iter().try_fold(0u64, |t, &c| t.checked_add(c))?;
        Some(Sketch {
            first_key,
            total,
            counts,
            extents,
            min: if total > 0 { min } else { f64::INFINITY },
            max: if total > 0 { max } else { f64::NEG_INFINITY },
            ..like.clone()
        })
    }
}

fn empty_extent() -> Extent {
    Extent {
        min: f64::INFINITY,
        max: f64::NEG_INFINITY,
    }
}

#[cfg(test)]
mod tests {
    use super::super::summary::quantile_sorted;
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand_distr::{Distribution, Normal};

    fn filled(values: &[f64], extents: bool) -> Sketch {
        let mut s = if extents {
            Sketch::with_extents(10, 1e-9)
        } else {
            Sketch::new(7, 1e-9)
        };
        values.iter().for_each(|&v| s.add(v));
        s
    }

    /// The bound a sketch promises for the R-7 quantile at `q` of `sorted`: relative to
    /// the larger of the two order statistics it interpolates, plus the floor.
    fn bound(s: &Sketch, sorted: &[f64], q: f64) -> f64 {
        let h = (sorted.len() - 1) as f64 * q;
        let lo = h.floor() as usize;
        let hi = (lo + 1).min(sorted.len() - 1);
        s.relative_error() * sorted[lo].abs().max(sorted[hi].abs()) + 2.0 * s.floor
    }

    #[test]
    fn quantiles_of_200_000_normal_values_are_within_the_stated_error() {
        // Profit-like values crossing zero: N(-5,000, 15,000).
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
        let normal = Normal::new(-5_000.0, 15_000.0).unwrap();
        let values: Vec<f64> = (0..200_000).map(|_| normal.sample(&mut rng)).collect();
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        for extents in [true, false] {
            let s = filled(&values, extents);
            for q in [0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0] {
                let exact = quantile_sorted(&sorted, q);
                let got = s.quantile(q);
                assert!(
                    (got - exact).abs() <= bound(&s, &sorted, q),
                    "extents {extents} q {q}: {got} vs {exact}"
                );
            }
            // The worst 5%: its mean within the same relative error of the exact one.
            let k = 10_000;
            let exact_tail = sorted[..k].iter().sum::<f64>() / k as f64;
            let tail = s.mean_of_smallest(k as u64);
            assert!((tail - exact_tail).abs() <= s.relative_error() * exact_tail.abs());
        }
    }

    #[test]
    fn integer_values_come_back_exactly_with_extents() {
        let values: Vec<f64> = (0..1000).map(|i| f64::from(i % 7)).collect();
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let s = filled(&values, true);
        for q in [0.05, 0.25, 0.5, 0.75, 0.95] {
            assert_eq!(s.quantile(q), quantile_sorted(&sorted, q), "q {q}");
        }
        let constant = filled(&[42.5; 10], false);
        assert_eq!(constant.quantile(0.3), 42.5);
        assert!(Sketch::new(7, 1.0).quantile(0.5).is_nan());
    }

    proptest! {
        /// Any split into two sketches, merged either way, is the sketch of all values;
        /// every quantile lies within the stated error of the exact one.
        #[test]
        fn merged_sketches_equal_one_and_stay_within_the_error(
            values in proptest::collection::vec(prop_oneof![-1e7f64..1e7, -1.0f64..1.0, Just(0.0)], 1..400),
            cut in 0usize..400,
            q in 0.0f64..1.0,
            extents in any::<bool>(),
        ) {
            let cut = cut % (values.len() + 1);
            let whole = filled(&values, extents);
            let (a, b) = values.split_at(cut);
            let mut ab = filled(a, extents);
            ab.merge(&filled(b, extents));
            let mut ba = filled(b, extents);
            ba.merge(&filled(a, extents));
            prop_assert_eq!(&ab, &whole);
            prop_assert_eq!(&ba, &whole);
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let exact = quantile_sorted(&sorted, q);
            prop_assert!((whole.quantile(q) - exact).abs() <= bound(&whole, &sorted, q) * (1.0 + 1e-12));
            let (first, counts, ext) = whole.parts();
            let back = Sketch::from_parts(&whole, first, counts.to_vec(), ext.to_vec(), whole.min(), whole.max()).unwrap();
            prop_assert_eq!(back, whole);
        }
    }
}
