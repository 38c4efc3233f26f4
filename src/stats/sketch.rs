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
//!   per-trial outputs, kept as a sparse map of the occupied buckets) places a rank between them, so its error is at most the bucket's
//!   spread, below 2^-bits of the value, and is exact when the bucket holds one value
//!   (every integer-valued output: days, counts, 0/1);
//! - a sketch without (the daily paths, 730 sketches per variant, kept as dense counts)
//!   answers the bucket's middle, clamped to the smallest and largest value seen, so its
//!   error is at most 2^-(bits + 1) of the value.
//!
//! Both add at most twice `floor` of absolute error for values closer to zero than `floor`.
//!
//! In rank terms the answer lies between the exact quantiles of ranks `r - c` and
//! `r + c`, where `c` is its bucket's count: only values of the same bucket can be
//! misplaced.

use std::collections::BTreeMap;

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

/// A bucket of a sketch that keeps extents.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// Values in the bucket.
    pub count: u32,
    /// Their smallest and largest.
    pub extent: Extent,
}

/// Where a sketch keeps its counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Buckets {
    /// Every bucket from `first_key` up, empty or not: the fastest to add to, for values
    /// that fill a narrow range (a day's cumulative profit).
    Dense {
        /// Key of `counts[0]`.
        first_key: i64,
        /// Values per bucket (`u32`: half the memory of `u64`; a study has at most
        /// [`crate::sim::MAX_TRIALS`] trials, so no bucket can overflow).
        counts: Vec<u32>,
    },
    /// Only the buckets that hold values, each with its extent: for outputs whose values
    /// spread over many orders of magnitude (a profit near zero in some trials).
    Sparse(BTreeMap<i64, Bucket>),
}

/// A mergeable histogram sketch of a stream of finite values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sketch {
    /// Mantissa bits kept in a bucket key.
    bits: u32,
    /// Values with `|x| < floor` share the bucket of key 0.
    floor: f64,
    /// The counts.
    buckets: Buckets,
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
    /// values closer to zero than `floor`, without bucket extents (dense counts).
    pub fn new(bits: u32, floor: f64) -> Sketch {
        debug_assert!((1..=30).contains(&bits) && floor > 0.0 && floor.is_finite());
        Sketch {
            bits,
            floor,
            buckets: Buckets::Dense {
                first_key: 0,
                counts: Vec::new(),
            },
            total: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    /// As [`Sketch::new`], keeping each bucket's smallest and largest value (sparse
    /// buckets).
    pub fn with_extents(bits: u32, floor: f64) -> Sketch {
        Sketch {
            buckets: Buckets::Sparse(BTreeMap::new()),
            ..Sketch::new(bits, floor)
        }
    }

    fn keeps_extents(&self) -> bool {
        matches!(self.buckets, Buckets::Sparse(_))
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
        if self.keeps_extents() {
            width
        } else {
            width / 2.0
        }
    }

    /// The magnitude key of `|x| >= floor`: 1 for the floor's bucket, increasing.
    #[inline]
    fn magnitude_key(&self, magnitude: f64) -> i64 {
        let shift = 52 - self.bits;
        ((magnitude.to_bits() >> shift) as i64) - ((self.floor.to_bits() >> shift) as i64) + 1
    }

    /// The bucket key of a finite value: monotone in the value.
    #[inline]
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

    /// Adds `count` values in the bucket of `key`, whose extent is `extent`.
    fn add_to(&mut self, key: i64, count: u32, extent: Extent) {
        match &mut self.buckets {
            Buckets::Dense { first_key, counts } => {
                if counts.is_empty() {
                    *first_key = key;
                }
                if key < *first_key {
                    let grow = (*first_key - key) as usize;
                    counts.splice(0..0, std::iter::repeat_n(0, grow));
                    *first_key = key;
                }
                let index = (key - *first_key) as usize;
                if index >= counts.len() {
                    counts.resize(index + 1, 0);
                }
                counts[index] += count;
            }
            Buckets::Sparse(map) => {
                let b = map.entry(key).or_insert(Bucket {
                    count: 0,
                    extent: empty_extent(),
                });
                b.count += count;
                b.extent.min = b.extent.min.min(extent.min);
                b.extent.max = b.extent.max.max(extent.max);
            }
        }
    }

    /// Adds a finite value.
    #[inline]
    pub fn add(&mut self, x: f64) {
        debug_assert!(x.is_finite());
        let key = self.key(x);
        // The common case of a dense sketch, inline: the bucket exists already.
        let counted = match &mut self.buckets {
            Buckets::Dense { first_key, counts } => usize::try_from(key - *first_key)
                .ok()
                .and_then(|i| counts.get_mut(i))
                .map(|count| *count += 1)
                .is_some(),
            Buckets::Sparse(_) => false,
        };
        if !counted {
            self.add_to(key, 1, Extent { min: x, max: x });
        }
        self.total += 1;
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// Adds finite values given in ascending order: one bucket update per run of values
    /// that share a bucket, visited in key order (far fewer cache misses in a sparse
    /// sketch than adding them one by one).
    pub fn add_sorted(&mut self, sorted: &[f64]) {
        let (Some(&first), Some(&last)) = (sorted.first(), sorted.last()) else {
            return;
        };
        debug_assert!(sorted.windows(2).all(|w| w[0] <= w[1]));
        let mut start = 0;
        while start < sorted.len() {
            let key = self.key(sorted[start]);
            let mut end = start + 1;
            while end < sorted.len() && self.key(sorted[end]) == key {
                end += 1;
            }
            let extent = Extent {
                min: sorted[start],
                max: sorted[end - 1],
            };
            self.add_to(key, (end - start) as u32, extent);
            start = end;
        }
        self.total += sorted.len() as u64;
        self.min = self.min.min(first);
        self.max = self.max.max(last);
    }

    /// Adds every value of `other` (which must have the same `bits`, `floor` and extents
    /// setting).
    pub fn merge(&mut self, other: &Sketch) {
        debug_assert!(
            self.bits == other.bits
                && self.floor == other.floor
                && self.keeps_extents() == other.keeps_extents()
        );
        for (key, count, extent) in other.occupied() {
            self.add_to(key, count as u32, extent.unwrap_or_else(empty_extent));
        }
        self.total += other.total;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Occupied buckets in order: (key, count, extent when kept).
    fn occupied(&self) -> Box<dyn Iterator<Item = (i64, u64, Option<Extent>)> + '_> {
        match &self.buckets {
            Buckets::Dense { first_key, counts } => Box::new(
                counts
                    .iter()
                    .enumerate()
                    .filter(|(_, &c)| c > 0)
                    .map(move |(i, &c)| (first_key + i as i64, u64::from(c), None)),
            ),
            Buckets::Sparse(map) => Box::new(
                map.iter()
                    .map(|(&k, b)| (k, u64::from(b.count), Some(b.extent))),
            ),
        }
    }

    /// The estimate of the value of rank `offset` (0-based) within the bucket of `key`
    /// holding `count` values.
    fn value_in(&self, key: i64, extent: Option<Extent>, offset: u64, count: u64) -> f64 {
        match extent {
            Some(e) => {
                if count <= 1 || e.min == e.max {
                    return e.min;
                }
                e.min + (e.max - e.min) * offset as f64 / (count - 1) as f64
            }
            None => {
                let (low, high) = self.bounds(key);
                let middle = if low.is_finite() && high.is_finite() {
                    0.5 * (low + high)
                } else {
                    low
                };
                middle.clamp(self.min, self.max)
            }
        }
    }

    /// The estimate of the `rank`-th smallest value (0-based); NaN when empty.
    pub fn value_at_rank(&self, rank: u64) -> f64 {
        let mut below = 0;
        for (key, c, extent) in self.occupied() {
            if rank < below + c {
                return self.value_in(key, extent, rank - below, c);
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
        for (key, c, extent) in self.occupied() {
            let take = left.min(c);
            sum += (0..take)
                .map(|o| self.value_in(key, extent, o, c))
                .sum::<f64>();
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
            .map(|(key, c, extent)| (self.value_in(key, extent, (c - 1) / 2, c), c))
    }

    /// Bytes the sketch holds on the heap (a sparse bucket counted with the tree's
    /// overhead, about twice its size).
    pub fn heap_bytes(&self) -> usize {
        match &self.buckets {
            Buckets::Dense { counts, .. } => counts.capacity() * std::mem::size_of::<u32>(),
            Buckets::Sparse(map) => {
                map.len() * 2 * (std::mem::size_of::<i64>() + std::mem::size_of::<Bucket>())
            }
        }
    }

    /// Whether a sketch read from a file is one `like` would make: the same settings and
    /// storage, and counts that add up to its total.
    pub fn fits(&self, like: &Sketch) -> bool {
        let total: u64 = self.occupied().map(|(_, c, _)| c).sum();
        self.bits == like.bits
            && self.floor == like.floor
            && self.keeps_extents() == like.keeps_extents()
            && total == self.total
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
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let mut at_once = if extents {
                Sketch::with_extents(10, 1e-9)
            } else {
                Sketch::new(7, 1e-9)
            };
            at_once.add_sorted(&sorted);
            prop_assert_eq!(&at_once, &whole);
            prop_assert_eq!(&ab, &whole);
            prop_assert_eq!(&ba, &whole);
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let exact = quantile_sorted(&sorted, q);
            prop_assert!((whole.quantile(q) - exact).abs() <= bound(&whole, &sorted, q) * (1.0 + 1e-12));
            let back: Sketch = serde_json::from_str(&serde_json::to_string(&whole).unwrap()).unwrap();
            prop_assert!(back.fits(&whole));
            prop_assert_eq!(back, whole);
        }
    }
}
