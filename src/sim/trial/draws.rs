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
    let x = binv(rng, n, p_small);
    if flipped {
        n - x
    } else {
        x
    }
}

/// Inversion for Binomial(n, p) with `n · p` < [`BINV_THRESHOLD`] and p ≤ 0.5: walk the
/// probabilities P(0), P(1), … (each from the last by the ratio `(n − x + 1)/x · p/q`)
/// until the uniform draw is used up.
fn binv<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    // A draw past this restarts, as in GSL and rand_distr: with a mean under 10 it is more
    // than 30 standard deviations out, so this only guards against rounding loops.
    const MAX_X: u64 = 110;
    let q = 1.0 - p;
    let s = p / q;
    let a = (n as f64 + 1.0) * s;
    let start = match i32::try_from(n) {
        Ok(k) => powi(q, k),
        Err(_) => ((n as f64) * (-p).ln_1p()).exp(),
    };
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
            r *= a / (x as f64) - s;
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
