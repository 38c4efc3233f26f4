//! Count draws that never fail: the degenerate cases (no trials, certain or impossible
//! events, a zero mean) are answered without a sampler.

use rand::Rng;
use rand_distr::{Binomial, Distribution, Poisson};

/// Below this mean (`n · min(p, 1 − p)`) a binomial is drawn by inversion (BINV), above
/// it by `rand_distr`'s BTPE, as `rand_distr` itself does (Kachitvichyanukul & Schmeiser
/// 1988).
const BINV_THRESHOLD: f64 = 10.0;

/// Binomial(n, p), with p outside (0, 1) taken as certain or impossible.
///
/// Small means use inversion with the start probability `q^n` taken by repeated squaring
/// (`powi`) instead of `powf`: the same algorithm as `rand_distr`'s BINV, about twice as
/// fast here, where most draws are small (a day's lost parcels, returns, complaints).
/// A probability used for many draws is better prepared once as a [`Chance`].
#[inline]
pub(super) fn binomial<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    // Symmetry: draw the rarer outcome.
    let flipped = p > 0.5;
    let p_small = if flipped { 1.0 - p } else { p };
    if (n as f64) * p_small >= BINV_THRESHOLD {
        return Binomial::new(n, p).map_or(0, |b| b.sample(rng));
    }
    let q = 1.0 - p_small;
    let start = match i32::try_from(n) {
        Ok(k) => powi(q, k),
        Err(_) => ((n as f64) * (-p_small).ln_1p()).exp(),
    };
    let x = binv(rng, n, p_small / q, start);
    if flipped {
        n - x
    } else {
        x
    }
}

/// A success probability prepared for many binomial draws of different sizes: a day's
/// lost parcels, returns or complaints draw with the same probability all through a
/// regime, and most of these draws have means under 1, so the set-up (`q^n`, `p/q`)
/// weighed more than the draw. [`Chance::draw`] gives exactly what [`binomial`] gives
/// for the same generator state, bit for bit: `q^n` is the same product of the same
/// squares, only the squares are taken once.
#[derive(Clone, Debug)]
pub(super) struct Chance {
    /// The probability as given (BTPE takes it as it is).
    p: f64,
    /// The rarer outcome's probability, min(p, 1 − p), and whether that is failure.
    p_small: f64,
    flipped: bool,
    /// `p_small / (1 − p_small)`.
    odds: f64,
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
    pub fn new(p: f64) -> Chance {
        let flipped = p > 0.5;
        let p_small = if flipped { 1.0 - p } else { p };
        let q = 1.0 - p_small;
        Chance {
            p,
            p_small,
            flipped,
            odds: p_small / q,
            q: Powers::new(q),
        }
    }

    /// The probability as given.
    #[cfg(test)]
    pub fn p(&self) -> f64 {
        self.p
    }

    /// `(1 − p_small)^n`: the probability that none of `n` has the rarer outcome.
    #[inline]
    fn none_of(&self, n: u64) -> f64 {
        if n <= i32::MAX as u64 {
            self.q.powi(n as u32)
        } else {
            ((n as f64) * (-self.p_small).ln_1p()).exp()
        }
    }

    /// Binomial(n, p): the same draw as `binomial(rng, n, p)`.
    #[inline(always)]
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R, n: u64) -> u64 {
        // A NaN probability passes every test below and draws 0, as in `binomial`.
        if n == 0 || self.p <= 0.0 {
            return 0;
        }
        if self.p >= 1.0 {
            return n;
        }
        if (n as f64) * self.p_small >= BINV_THRESHOLD {
            return Binomial::new(n, self.p).map_or(0, |b| b.sample(rng));
        }
        let x = binv(rng, n, self.odds, self.none_of(n));
        if self.flipped {
            n - x
        } else {
            x
        }
    }
}

/// Inversion for Binomial(n, p) with `n · p` < [`BINV_THRESHOLD`] and p ≤ 0.5, given
/// `odds` = p/q and `start` = P(0) = q^n: walk the probabilities P(0), P(1), … (each from
/// the last by the ratio `(n − x + 1)/x · p/q`) until the uniform draw is used up.
#[inline]
fn binv<R: Rng + ?Sized>(rng: &mut R, n: u64, odds: f64, start: f64) -> u64 {
    // A draw past this restarts, as in GSL and rand_distr: with a mean under 10 it is more
    // than 30 standard deviations out, so this only guards against rounding loops.
    const MAX_X: u64 = 110;
    let a = (n as f64 + 1.0) * odds;
    'draw: loop {
        let mut r = start;
        let mut u: f64 = rng.random();
        let mut x = 0;
        while u > r {
            u -= r;
            x += 1;
            if x > MAX_X {
                continue 'draw;
            }
            r *= a / (x as f64) - odds;
        }
        return x;
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

/// Poisson(mean); zero for a mean that is not positive.
#[inline]
pub(super) fn poisson<R: Rng + ?Sized>(rng: &mut R, mean: f64) -> u64 {
    if mean > 0.0 {
        Poisson::new(mean).map_or(0, |d: Poisson<f64>| d.sample(rng) as u64)
    } else {
        0
    }
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

    /// Pearson's chi-square of `draws` samples of Binomial(n, p) against the exact pmf,
    /// cells with expected count under 5 pooled into their neighbours; returns the
    /// statistic and its degrees of freedom.
    fn chi_square(n: u64, p: f64, draws: usize) -> (f64, usize) {
        let mut rng = stream(1, 2, Purpose::Returns, n ^ p.to_bits());
        let mut counts = vec![0usize; n as usize + 1];
        for _ in 0..draws {
            counts[binomial(&mut rng, n, p) as usize] += 1;
        }
        let exact = Exact::new(p, n).unwrap();
        let (mut stat, mut cells) = (0.0, 0usize);
        let (mut observed, mut expected) = (0.0, 0.0);
        for (k, &c) in counts.iter().enumerate() {
            observed += c as f64;
            expected += exact.pmf(k as u64) * draws as f64;
            if expected >= 5.0 {
                stat += (observed - expected).powi(2) / expected;
                cells += 1;
                observed = 0.0;
                expected = 0.0;
            }
        }
        // What is left joins the last cell (its expected count is under 5).
        if expected > 0.0 {
            stat += (observed - expected).powi(2) / expected.max(1e-300);
            cells += 1;
        }
        (stat, cells.saturating_sub(1))
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
                let q = 1.0 - chance.p_small;
                proptest::prop_assert_eq!(chance.none_of(n).to_bits(), powi(q, n as i32).to_bits());
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
