//! Count draws that never fail: the degenerate cases (no trials, certain or impossible
//! events, a zero mean) are answered without a sampler.

use rand::Rng;
use rand_distr::{Distribution, Poisson};

/// Below this mean (`n · min(p, 1 − p)`) a binomial is drawn by inversion (BINV), above
/// it by Hörmann's transformed rejection (BTRS), whose cost does not grow with the mean.
const BINV_THRESHOLD: f64 = 10.0;

/// Below this mean a Poisson is drawn by inversion, above it by `rand_distr`'s PD
/// (Ahrens & Dieter 1982), which `rand_distr` itself takes from this mean on; below it
/// `rand_distr` multiplies a uniform per unit of the mean (Knuth), which inversion beats
/// with one uniform.
const POISSON_INVERSION_THRESHOLD: f64 = 12.0;

/// Binomial(n, p), with p outside (0, 1) taken as certain or impossible.
///
/// Small means use inversion with the start probability `q^n` taken by repeated squaring
/// (`powi`) instead of `powf`: the same algorithm as `rand_distr`'s BINV, about twice as
/// fast here, where most draws are small (a day's lost parcels, returns, complaints).
/// Larger means use BTRS ([`btrs`]). A probability used for many draws is better prepared once as a [`Chance`].
#[inline]
pub fn binomial<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    let (p_small, flipped) = rarer(p);
    let q = 1.0 - p_small;
    let rarer_outcome = Rarer {
        p,
        p_small,
        flipped,
        odds: p_small / q,
    };
    let none_of = || match i32::try_from(n) {
        Ok(k) => powi(q, k),
        Err(_) => none_of_many(n, p_small),
    };
    rarer_outcome.draw(rng, n, (n as f64) * p_small >= BINV_THRESHOLD, none_of)
}

/// min(p, 1 − p) and whether it is 1 − p: binomials draw the rarer outcome.
fn rarer(p: f64) -> (f64, bool) {
    let flipped = p > 0.5;
    (if flipped { 1.0 - p } else { p }, flipped)
}

/// `(1 − p_small)^n` for an `n` past `powi`'s range.
fn none_of_many(n: u64, p_small: f64) -> f64 {
    ((n as f64) * (-p_small).ln_1p()).exp()
}

/// What a binomial draw needs of its probability, however it was obtained.
#[derive(Clone, Debug)]
struct Rarer {
    /// The probability as given.
    p: f64,
    /// The rarer outcome's probability, min(p, 1 − p), and whether that is failure.
    p_small: f64,
    flipped: bool,
    /// `p_small / (1 − p_small)`.
    odds: f64,
}

impl Rarer {
    /// Binomial(n, p): BTRS when `rejection` (n · p_small at least [`BINV_THRESHOLD`]),
    /// else BINV from `none_of()` = `(1 − p_small)^n`. A NaN probability passes every
    /// test and draws 0.
    #[inline(always)]
    fn draw<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        n: u64,
        rejection: bool,
        none_of: impl FnOnce() -> f64,
    ) -> u64 {
        if n == 0 || self.p <= 0.0 {
            return 0;
        }
        if self.p >= 1.0 {
            return n;
        }
        let x = if rejection {
            btrs(rng, n, self.p_small)
        } else {
            binv(rng, n, self.odds, none_of())
        };
        if self.flipped {
            n - x
        } else {
            x
        }
    }
}

/// A success probability prepared for many binomial draws of different sizes: a day's
/// lost parcels, returns or complaints draw with the same probability all through a
/// regime, and most of these draws have means under 1, so the set-up (`q^n`, `p/q`)
/// weighed more than the draw. [`Chance::draw`] gives exactly what [`binomial`] gives
/// for the same generator state, bit for bit: `q^n` is the same product of the same
/// squares, only the squares are taken once.
#[derive(Clone, Debug)]
pub struct Chance {
    rarer: Rarer,
    /// The smallest n with `(n as f64) · p_small ≥ BINV_THRESHOLD` (u64::MAX: none): the
    /// same test as `binomial`'s, as one integer comparison (a u64 to f64 conversion is
    /// a sequence of instructions on x86-64).
    rejection_from: u64,
    /// Powers of `1 − p_small`.
    q: Powers,
}

/// Whole powers `x^k` of one `x`, bit for bit as `powi` (the runtime's `__powidf2`)
/// computes them, with its squares `x^(2^i)` taken once instead of at every call.
#[derive(Clone, Debug)]
pub struct Powers {
    squares: [f64; 31],
}

impl Powers {
    /// The powers of `x`.
    pub fn new(x: f64) -> Powers {
        let mut squares = [0.0; 31];
        let mut square = x;
        for s in &mut squares {
            *s = square;
            square *= square;
        }
        Powers { squares }
    }

    /// `x^k`: `powi`'s product, bit for bit: the squares of the set bits of `k`, lowest
    /// first.
    #[inline]
    pub fn powi(&self, k: u32) -> f64 {
        debug_assert!(k <= i32::MAX as u32);
        let mut bits = k;
        let mut product = 1.0;
        while bits != 0 {
            product *= self.squares[bits.trailing_zeros() as usize];
            bits &= bits - 1;
        }
        product
    }
}

impl Chance {
    /// Prepares `p` (outside (0, 1) it is certain or impossible, as in [`binomial`]).
    pub fn new(p: f64) -> Chance {
        let (p_small, flipped) = rarer(p);
        let q = 1.0 - p_small;
        Chance {
            rarer: Rarer {
                p,
                p_small,
                flipped,
                odds: p_small / q,
            },
            rejection_from: first_n_reaching(p_small, BINV_THRESHOLD),
            q: Powers::new(q),
        }
    }

    /// The probability as given.
    #[cfg(test)]
    pub fn p(&self) -> f64 {
        self.rarer.p
    }

    /// `(1 − p_small)^n`: the probability that none of `n` has the rarer outcome.
    #[inline]
    fn none_of(&self, n: u64) -> f64 {
        if n <= i32::MAX as u64 {
            self.q.powi(n as u32)
        } else {
            none_of_many(n, self.rarer.p_small)
        }
    }

    /// Binomial(n, p): the same draw as `binomial(rng, n, p)`.
    #[inline(always)]
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R, n: u64) -> u64 {
        self.rarer
            .draw(rng, n, n >= self.rejection_from, || self.none_of(n))
    }
}

/// The smallest n with `(n as f64) · p ≥ threshold`, or u64::MAX when no n reaches it
/// (p not positive, or NaN). The product is non-decreasing in n, so a search from the
/// estimate `threshold / p` finds it.
fn first_n_reaching(p: f64, threshold: f64) -> u64 {
    let reaches = |n: u64| (n as f64) * p >= threshold;
    if !reaches(u64::MAX) {
        return u64::MAX;
    }
    if reaches(0) {
        return 0;
    }
    // Bisection keeps `below` short of the threshold and `above` at or past it; starting
    // next to the estimate makes it short, and any p gets an exact answer.
    let estimate = (threshold / p).clamp(0.0, u64::MAX as f64) as u64;
    let (mut below, mut above) = (0u64, u64::MAX);
    for guess in [estimate.saturating_sub(2), estimate.saturating_add(2)] {
        if reaches(guess) {
            above = above.min(guess);
        } else {
            below = below.max(guess);
        }
    }
    while above - below > 1 {
        let mid = below + (above - below) / 2;
        if reaches(mid) {
            above = mid;
        } else {
            below = mid;
        }
    }
    above
}

/// Inversion for Binomial(n, p) with `n · p` < [`BINV_THRESHOLD`] and p ≤ 0.5, given
/// `odds` = p/q and `start` = P(0) = q^n: walk the probabilities P(0), P(1), … (each from
/// the last by the ratio `(n − x + 1)/x · p/q`) until the uniform draw is used up.
#[inline]
fn binv<R: Rng + ?Sized>(rng: &mut R, n: u64, odds: f64, start: f64) -> u64 {
    // A draw past 110 restarts, as in GSL and rand_distr: with a mean under 10 it is more
    // than 30 standard deviations out, so this only guards against rounding loops.
    let a = (n as f64 + 1.0) * odds;
    sequential_search(rng, start, 110, |x| a / (x as f64) - odds)
}

/// Inversion by sequential search: one uniform, used up by P(0) = `start`, P(1), …, each
/// P(k) from the last by the ratio `next(k)`; the k where it runs out is the draw. A draw
/// past `max_k` starts again with a new uniform (only rounding could get there).
#[inline(always)]
fn sequential_search<R: Rng + ?Sized>(
    rng: &mut R,
    start: f64,
    max_k: u64,
    next: impl Fn(u64) -> f64,
) -> u64 {
    'draw: loop {
        let mut p = start;
        let mut u: f64 = rng.random();
        let mut k = 0;
        while u > p {
            u -= p;
            k += 1;
            if k > max_k {
                continue 'draw;
            }
            p *= next(k);
        }
        return k;
    }
}

/// `x^k` for `k >= 0` by repeated squaring, in the same order of operations as the
/// compiler runtime's `__powidf2` behind `f64::powi` (so the same bits as before). Written
/// out because `f64::powi` is not bit-stable across optimisation contexts: in a test loop
/// LLVM computed it differently (thousands of ulps apart for large `k`); an explicit loop
/// cannot be rewritten without fast-math. (Inlining it did not measurably change speed.)
#[inline]
fn powi(mut x: f64, mut k: i32) -> f64 {
    debug_assert!(k >= 0);
    let mut r = 1.0;
    loop {
        if k & 1 != 0 {
            r *= x;
        }
        k /= 2;
        if k == 0 {
            return r;
        }
        x *= x;
    }
}

/// Binomial(n, p) for p ≤ 0.5 and n·p ≥ [`BINV_THRESHOLD`]: Hörmann's BTRS, transformed
/// rejection with squeeze (W. Hörmann, "The generation of binomial random variates",
/// J. Statist. Comput. Simul. 46, 1993; the form TensorFlow uses). Two uniforms per
/// attempt, about 1.2 attempts a draw, and most draws are accepted by the squeeze without
/// a logarithm: the cost does not grow with n, where BTPE's explicit evaluation walks up
/// to 20 steps of a recursion on many draws near the mode.
fn btrs<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    let count = n as f64;
    let q = 1.0 - p;
    let spq = (count * p * q).sqrt();
    let b = 1.15 + 2.53 * spq;
    let a = -0.0873 + 0.0248 * b + 0.01 * p;
    let c = count * p + 0.5;
    let v_r = 0.92 - 4.2 / b;
    loop {
        let u = rng.random::<f64>() - 0.5;
        let v: f64 = rng.random();
        let us = 0.5 - u.abs();
        let k = ((2.0 * a / us + b) * u + c).floor();
        // Outside 0..=n the density is zero: reject (even in the squeeze region, where
        // it cannot happen for n·p ≥ 10, so that no rounding can return an impossible k).
        if !(0.0..=count).contains(&k) {
            continue;
        }
        if us >= 0.07 && v <= v_r {
            return k as u64;
        }
        // The acceptance test in logs: the hat at k against the density ratio f(k)/f(m)
        // to the mode m, with the factorials by Stirling's series.
        let alpha = (2.83 + 5.1 / b) * spq;
        let r = p / q;
        let m = ((count + 1.0) * p).floor();
        let hat = (v * alpha / (a / (us * us) + b)).ln();
        // (n+1)·ln((n−m+1)/(n−k+1)) by ln_1p: the ratio is near 1 and n may be large.
        let gap = (k - m) / (count - k + 1.0);
        let bound = (m + 0.5) * ((m + 1.0) / (r * (count - m + 1.0))).ln()
            + (count + 1.0) * gap.ln_1p()
            + (k + 0.5) * (r * (count - k + 1.0) / (k + 1.0)).ln()
            + stirling_tail(m)
            + stirling_tail(count - m)
            - stirling_tail(k)
            - stirling_tail(count - k);
        if hat <= bound {
            return k as u64;
        }
    }
}

/// Poisson(mean); zero for a mean that is not positive or not finite (or beyond
/// 1.8·10^19, more than a count holds).
#[inline]
pub fn poisson<R: Rng + ?Sized>(rng: &mut R, mean: f64) -> u64 {
    if !(mean > 0.0 && mean <= 1.844e19) {
        return 0;
    }
    if mean < POISSON_INVERSION_THRESHOLD {
        poisson_inversion(rng, mean)
    } else {
        // PD's set-up is a few divisions and a square root, and its draw about one
        // normal: Hörmann's PTRS, also tried here, took 1.3-2× its time at means of 15-100.
        Poisson::new(mean).map_or(0, |d: Poisson<f64>| d.sample(rng) as u64)
    }
}

/// Poisson by inversion for a mean under [`POISSON_INVERSION_THRESHOLD`]: one uniform,
/// walked down P(0) = e^−mean, P(1), … (each from the last by `mean / k`).
fn poisson_inversion<R: Rng + ?Sized>(rng: &mut R, mean: f64) -> u64 {
    // A draw past 150 restarts: with a mean under 12 it is more than 35 standard
    // deviations out, so this only guards against rounding loops.
    sequential_search(rng, (-mean).exp(), 150, |k| mean / k as f64)
}

/// The tail of Stirling's series, ln k! − [(k + ½)·ln(k + 1) − (k + 1) + ½·ln(2π)]: from
/// a table for k ≤ 9 (as in Hörmann's papers and TensorFlow), and above by the series
/// 1/(12n) − 1/(360n³) + 1/(1260n⁵) − 1/(1680n⁷) in n = k + 1, whose first omitted term,
/// 1/(1188n⁹), is under 1e-12 there (one term more than TensorFlow and NumPy take).
fn stirling_tail(k: f64) -> f64 {
    const TABLE: [f64; 10] = [
        0.081_061_466_795_327_2,
        0.041_340_695_955_409_2,
        0.027_677_925_684_998_3,
        0.020_790_672_103_765_09,
        0.016_644_691_189_821_1,
        0.013_876_128_823_070_7,
        0.011_896_709_945_891_7,
        0.010_411_265_261_972_0,
        0.009_255_462_182_712_73,
        0.008_330_563_433_362_87,
    ];
    if k <= 9.0 {
        return TABLE[k as usize];
    }
    let n = k + 1.0;
    let n2 = n * n;
    (1.0 / 12.0 - (1.0 / 360.0 - (1.0 / 1260.0 - 1.0 / 1680.0 / n2) / n2) / n2) / n
}

#[cfg(test)]
mod tests {
    #[test]
    fn powers_give_the_bits_of_f64_powi() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(6);
        for _ in 0..2_000 {
            let x: f64 = rng.random_range(0.0..1.5);
            let powers = Powers::new(x);
            for _ in 0..100 {
                let k: i32 = rng.random_range(0..=i32::MAX);
                let k = k >> rng.random_range(0..31);
                let reference = std::hint::black_box(x).powi(std::hint::black_box(k));
                assert_eq!(
                    powers.powi(k as u32).to_bits(),
                    reference.to_bits(),
                    "{x} {k}"
                );
            }
        }
    }

    #[test]
    fn inlined_powi_gives_the_bits_of_f64_powi() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(5);
        for _ in 0..200_000 {
            let q: f64 = rng.random_range(0.5..1.0);
            let k: i32 = rng.random_range(0..5_000_000);
            // black_box: the reference must be the runtime's `powi`, not something the
            // optimiser derived from the loop around it.
            let reference = std::hint::black_box(q).powi(std::hint::black_box(k));
            assert_eq!(super::powi(q, k).to_bits(), reference.to_bits(), "{q} {k}");
        }
        for (q, k) in [(0.9_f64, 0), (0.9, 1), (1.0 - 1e-12, i32::MAX), (0.5, 1100)] {
            let reference = std::hint::black_box(q).powi(std::hint::black_box(k));
            assert_eq!(super::powi(q, k).to_bits(), reference.to_bits());
        }
    }

    use super::*;
    use crate::sim::rng::{stream, Purpose};
    use statrs::distribution::{Binomial as Exact, Discrete};

    /// Pearson's chi-square of `draws` samples from `sample` against the pmf `pmf` on
    /// 0, 1, 2, …, cells with expected count under 5 pooled into their neighbours; returns
    /// the statistic and its degrees of freedom.
    fn chi_square_of(
        mut sample: impl FnMut() -> u64,
        pmf: impl Fn(u64) -> f64,
        draws: usize,
    ) -> (f64, usize) {
        let mut counts: Vec<usize> = Vec::new();
        for _ in 0..draws {
            let k = sample() as usize;
            if k >= counts.len() {
                counts.resize(k + 1, 0);
            }
            counts[k] += 1;
        }
        // Far enough that what is left of the pmf is negligible (checked below).
        let (mut stat, mut cells) = (0.0, 0usize);
        let (mut observed, mut expected, mut mass) = (0.0, 0.0, 0.0);
        let mut k = 0u64;
        while mass < 1.0 - 1e-12 || (k as usize) < counts.len() {
            let p = pmf(k);
            mass += p;
            observed += counts.get(k as usize).copied().unwrap_or(0) as f64;
            expected += p * draws as f64;
            if expected >= 5.0 {
                stat += (observed - expected).powi(2) / expected;
                cells += 1;
                observed = 0.0;
                expected = 0.0;
            }
            k += 1;
            if p == 0.0 && mass > 0.5 && (k as usize) >= counts.len() {
                break;
            }
        }
        // What is left joins a last cell (its expected count is under 5).
        if expected > 0.0 || observed > 0.0 {
            stat += (observed - expected).powi(2) / expected.max(1e-300);
            cells += 1;
        }
        (stat, cells.saturating_sub(1))
    }

    fn chi_square(n: u64, p: f64, draws: usize) -> (f64, usize) {
        let mut rng = stream(1, 2, Purpose::Returns, n ^ p.to_bits());
        let exact = Exact::new(p, n).unwrap();
        chi_square_of(|| binomial(&mut rng, n, p), |k| exact.pmf(k), draws)
    }

    /// The 99.9% point of chi-square with `df` degrees of freedom (Wilson-Hilferty).
    fn chi_square_999(df: usize) -> f64 {
        let k = df as f64;
        let z = 3.090_232;
        k * (1.0 - 2.0 / (9.0 * k) + z * (2.0 / (9.0 * k)).sqrt()).powi(3)
    }

    #[test]
    fn small_mean_draws_follow_the_binomial_pmf() {
        // Inversion cases (n·p < 10), both sides of p = 0.5, and the BTPE hand-over.
        for (n, p) in [
            (1, 0.3),
            (5, 0.02),
            (40, 0.1),
            (25, 0.35),
            (30, 0.8),
            (19, 0.5),
            (200, 0.045),
            (1000, 0.0006),
            (60, 0.2),
        ] {
            let (stat, df) = chi_square(n, p, 40_000);
            if df > 0 {
                assert!(stat < chi_square_999(df), "n {n}, p {p}: {stat} on {df} df");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn a_prepared_chance_draws_what_binomial_draws(
            seed in 0u64..1_000_000,
            n in proptest::prop_oneof![0u64..40, 0u64..5_000, (i32::MAX as u64 - 2)..(i32::MAX as u64 + 2), proptest::strategy::Just(1u64 << 40)],
            p in proptest::prop_oneof![
                proptest::num::f64::ANY,
                0.0f64..=1.0,
                0.0f64..1e-6,
                (1.0 - 1e-6)..=1.0f64,
                proptest::sample::select(vec![0.0, 1.0, 0.5, -0.25, 1.25, f64::NAN, f64::INFINITY]),
            ],
        ) {
            let chance = Chance::new(p);
            let mut a = stream(seed, 1, Purpose::Returns, 0);
            let mut b = a.clone();
            for _ in 0..4 {
                proptest::prop_assert_eq!(chance.draw(&mut a, n), binomial(&mut b, n, chance.p()));
            }
            // And the generators are left in the same state.
            proptest::prop_assert_eq!(a.random::<u64>(), b.random::<u64>());
            // The start probability is `powi`'s to the bit (draws alone could hide an ulp).
            if n <= i32::MAX as u64 {
                let q = 1.0 - chance.rarer.p_small;
                proptest::prop_assert_eq!(chance.none_of(n).to_bits(), powi(q, n as i32).to_bits());
            }
        }
    }

    #[test]
    fn large_mean_draws_follow_the_binomial_pmf() {
        // BTRS from its threshold (mean 10) up, both sides of p = 0.5, and a prepared
        // chance (same sampler).
        for (n, p) in [
            (100, 0.1),
            (40, 0.25),
            (30, 0.5),
            (200, 0.93),
            (1000, 0.3),
            (10_000, 0.5),
            (1_000_000, 0.002),
            (50_000, 0.8),
        ] {
            let (stat, df) = chi_square(n, p, 60_000);
            assert!(stat < chi_square_999(df), "n {n}, p {p}: {stat} on {df} df");
            let chance = Chance::new(p);
            let mut rng = stream(9, 2, Purpose::Returns, n);
            let exact = Exact::new(p, n).unwrap();
            let (stat, df) = chi_square_of(|| chance.draw(&mut rng, n), |k| exact.pmf(k), 30_000);
            assert!(
                stat < chi_square_999(df),
                "chance n {n}, p {p}: {stat} on {df} df"
            );
        }
    }

    #[test]
    fn poisson_draws_follow_the_poisson_pmf() {
        use statrs::distribution::Poisson as ExactPoisson;
        // Inversion below 12, PD from 12 up (both sides of the hand-over), up to a mean
        // whose draws spread over thousands of values.
        for mean in [
            0.001f64, 0.3, 2.5, 9.99, 11.99, 12.0, 17.3, 120.0, 4_000.0, 250_000.0,
        ] {
            let mut rng = stream(4, 5, Purpose::Demand, mean.to_bits());
            let exact = ExactPoisson::new(mean).unwrap();
            let (stat, df) = chi_square_of(|| poisson(&mut rng, mean), |k| exact.pmf(k), 60_000);
            if df > 0 {
                assert!(stat < chi_square_999(df), "mean {mean}: {stat} on {df} df");
            }
        }
    }

    #[test]
    fn poisson_means_and_variances_match_including_the_edges() {
        let mut rng = stream(3, 4, Purpose::Demand, 0);
        for mean in [0.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e20] {
            assert_eq!(poisson(&mut rng, mean), 0, "mean {mean}");
        }
        for mean in [1e-9, 0.5, 11.999, 12.0, 1e6, 1e12, 1e17] {
            let draws = 20_000;
            let xs: Vec<f64> = (0..draws).map(|_| poisson(&mut rng, mean) as f64).collect();
            let m = xs.iter().sum::<f64>() / draws as f64;
            let var = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (draws - 1) as f64;
            let se_mean = (mean / draws as f64).sqrt();
            assert!(
                (m - mean).abs() <= 5.0 * se_mean + 1e-12,
                "mean {mean}: sample mean {m}"
            );
            // The variance's standard error: sqrt((2σ⁴ + κ₄)/(draws−1)), κ₄ = mean.
            let se_var = ((2.0 * mean * mean + mean) / (draws - 1) as f64).sqrt();
            if mean > 0.5 {
                assert!(
                    (var - mean).abs() <= 5.0 * se_var,
                    "mean {mean}: variance {var}"
                );
            }
        }
    }

    #[test]
    fn stirling_tail_matches_the_log_factorial() {
        // ln k! summed exactly in f64 (small rounding) against the series, on both sides
        // of the table.
        let mut ln_factorial = 0.0f64;
        for k in 0..200u32 {
            if k > 0 {
                ln_factorial += f64::from(k).ln();
            }
            let kf = f64::from(k);
            let stirling =
                (kf + 0.5) * (kf + 1.0).ln() - (kf + 1.0) + 0.5 * (2.0 * std::f64::consts::PI).ln();
            let err = (stirling + stirling_tail(kf) - ln_factorial).abs();
            assert!(err < 1e-12 * ln_factorial.max(1.0), "k {k}: {err}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_hand_over_point_is_the_first_n_past_the_threshold(
            p in proptest::prop_oneof![
                0.0f64..=0.5,
                1e-300f64..1e-6,
                proptest::sample::select(vec![0.0, -1.0, f64::NAN, 0.5, 0.1, 1e-19, 5e-324]),
            ],
        ) {
            let n = first_n_reaching(p, BINV_THRESHOLD);
            let reaches = |n: u64| (n as f64) * p >= BINV_THRESHOLD;
            if n == u64::MAX {
                proptest::prop_assert!(!reaches(u64::MAX));
            } else {
                proptest::prop_assert!(reaches(n));
                proptest::prop_assert!(n == 0 || !reaches(n - 1));
            }
        }
    }

    #[test]
    fn means_and_variances_match_including_the_edges() {
        // Mean n·p and variance n·p·q within 5 standard errors, from tiny p to p near 1
        // and from n = 1 to a mean far into BTPE; n = 0, p = 0 and p = 1 are exact.
        let mut rng = stream(3, 4, Purpose::Returns, 0);
        assert_eq!(binomial(&mut rng, 0, 0.3), 0);
        assert_eq!(binomial(&mut rng, 50, 0.0), 0);
        assert_eq!(binomial(&mut rng, 50, 1.0), 50);
        assert_eq!(binomial(&mut rng, 50, -0.1), 0);
        assert_eq!(binomial(&mut rng, 50, 1.5), 50);
        for (n, p) in [
            (1u64, 1e-9),
            (3_000_000_000u64, 1e-9),
            (10, 0.999_999),
            (1_000_000, 0.5),
            (9, 0.999),
            (100_000, 1e-4),
        ] {
            let draws = 20_000;
            let xs: Vec<f64> = (0..draws)
                .map(|_| binomial(&mut rng, n, p) as f64)
                .collect();
            let mean = xs.iter().sum::<f64>() / draws as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (draws - 1) as f64;
            let (m, v) = (n as f64 * p, n as f64 * p * (1.0 - p));
            let se_mean = (v / draws as f64).sqrt();
            assert!(
                (mean - m).abs() <= 5.0 * se_mean + 1e-12,
                "n {n}, p {p}: mean {mean} vs {m}"
            );
            // The variance's standard error for a near-normal count: v·sqrt(2/(draws−1)).
            let se_var = v * (2.0 / (draws - 1) as f64).sqrt() + 1e-9;
            if v > 0.5 {
                assert!(
                    (var - v).abs() <= 5.0 * se_var,
                    "n {n}, p {p}: var {var} vs {v}"
                );
            }
        }
    }
}
