//! What a shop's exports say about it: each quantity with a 95% interval that says how
//! sure the data are, its sample size and the method (pure: orders in, estimates out).
//! `docs/model.md` ("Calibration") gives each estimator and why it was chosen.

pub mod delays;
pub mod demand;
pub mod fees;
pub mod rates;

use serde::Serialize;
use statrs::distribution::{Beta, ContinuousCDF, Normal};

/// z of a two-sided 95% interval.
pub const Z_975: f64 = 1.959_963_984_540_054;

/// One estimate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// The point estimate.
    pub value: f64,
    /// Lower end of the 95% interval.
    pub lo: f64,
    /// Upper end of the 95% interval.
    pub hi: f64,
    /// How many observations it rests on (orders, days, parcels).
    pub n: u64,
    /// How it was computed, in a few words.
    pub method: &'static str,
}

impl Estimate {
    /// Whether `x` is inside the interval.
    pub fn covers(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }
}

/// A share `k / n` with the Jeffreys interval (the Beta(k + ½, n − k + ½) posterior's
/// 2.5% and 97.5% quantiles): close to nominal coverage even for rare events, where the
/// normal interval collapses to a point at k = 0. `None` when `n` is 0.
pub fn share(k: u64, n: u64) -> Option<Estimate> {
    if n == 0 {
        return None;
    }
    let posterior = jeffreys(k, n);
    Some(Estimate {
        value: k as f64 / n as f64,
        lo: if k == 0 {
            0.0
        } else {
            posterior.inverse_cdf(0.025)
        },
        hi: if k == n {
            1.0
        } else {
            posterior.inverse_cdf(0.975)
        },
        n,
        method: "share with Jeffreys interval",
    })
}

/// The Jeffreys posterior of a share: what the parameter CSV writes, `beta(a, b)`.
pub fn jeffreys(k: u64, n: u64) -> Beta {
    Beta::new(k as f64 + 0.5, (n - k) as f64 + 0.5).expect("positive shapes")
}

/// The standard normal quantile.
pub fn normal_quantile(p: f64) -> f64 {
    Normal::new(0.0, 1.0).expect("unit normal").inverse_cdf(p)
}

/// The standard normal CDF.
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// Upper tail of a chi-square with `df` degrees of freedom.
pub fn chi_square_tail(x: f64, df: f64) -> f64 {
    statrs::distribution::ChiSquared::new(df)
        .map(|c| 1.0 - c.cdf(x))
        .unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jeffreys_matches_published_values() {
        // Brown, Cai & DasGupta (2001), table: x = 3, n = 20 → Jeffreys (0.0422, 0.3437)
        // to the printed digits... checked here against the beta quantiles directly.
        let e = share(3, 20).unwrap();
        assert!((e.value - 0.15).abs() < 1e-12);
        let b = Beta::new(3.5, 17.5).unwrap();
        assert!((e.lo - b.inverse_cdf(0.025)).abs() < 1e-9);
        assert!(
            e.lo > 0.03 && e.lo < 0.06 && e.hi > 0.3 && e.hi < 0.4,
            "{e:?}"
        );
        let none = share(0, 50).unwrap();
        assert_eq!(none.lo, 0.0);
        assert!(none.hi > 0.0 && none.hi < 0.06);
        assert!(share(0, 0).is_none());
    }

    #[test]
    fn normal_helpers_agree() {
        assert!((normal_quantile(0.975) - Z_975).abs() < 1e-6);
        assert!((normal_cdf(Z_975) - 0.975).abs() < 1e-9);
        assert!((chi_square_tail(3.841_458_820_694_124, 1.0) - 0.05).abs() < 1e-6);
    }

    #[test]
    fn jeffreys_coverage_is_near_nominal() {
        // Exact coverage by summing the binomial pmf over k: for p = 0.05, n = 200 the
        // Jeffreys interval covers in 93-97% of samples (Brown, Cai & DasGupta 2001).
        let (n, p) = (200u64, 0.05f64);
        let mut coverage = 0.0;
        let mut ln_choose = 0.0f64;
        for k in 0..=n {
            if k > 0 {
                ln_choose += ((n - k + 1) as f64).ln() - (k as f64).ln();
            }
            let pmf = (ln_choose + k as f64 * p.ln() + (n - k) as f64 * (1.0 - p).ln()).exp();
            if share(k, n).unwrap().covers(p) {
                coverage += pmf;
            }
        }
        assert!((0.93..=0.975).contains(&coverage), "{coverage}");
    }
}
