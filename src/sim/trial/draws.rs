//! Count draws that never fail: the degenerate cases (no trials, certain or impossible
//! events, a zero mean) are answered without a sampler.

use rand::Rng;
use rand_distr::{Binomial, Distribution, Poisson};

/// Binomial(n, p), with p outside (0, 1) taken as certain or impossible.
#[inline]
pub(super) fn binomial<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    if n == 0 || p <= 0.0 {
        0
    } else if p >= 1.0 {
        n
    } else {
        Binomial::new(n, p).map_or(0, |b| b.sample(rng))
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
