//! Delivery times in the model's own family: transit (shipped → delivered) is log-normal
//! (`logistics.transit_median_days`, `logistics.transit_sigma`); parcels still in transit
//! when the export was taken are right-censored at the time they have been travelling,
//! not dropped (that would keep only the fast ones) and not counted as delivered.

use super::{Estimate, Z_975};

/// Durations in days: the ones that ended and the ones still running at the export.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Durations {
    /// Completed durations (> 0).
    pub observed: Vec<f64>,
    /// Running durations at the export (> 0): the true one is longer.
    pub censored: Vec<f64>,
}

/// A censored log-normal fit: ln T ~ N(mu, sigma²).
#[derive(Clone, Debug, PartialEq)]
pub struct LogNormalFit {
    /// The median exp(mu), with its interval exp(mu ± z·se).
    pub median: Estimate,
    /// sigma, with its interval exp(ln sigma ± z·se).
    pub sigma: Estimate,
    /// Maximum-likelihood mu.
    pub mu: f64,
    /// Its standard error (observed information).
    pub se_mu: f64,
    /// Standard error of ln sigma.
    pub se_log_sigma: f64,
    /// Durations still running, counted as censored.
    pub censored: u64,
}

/// Fewest completed durations a fit is made from.
pub const MIN_OBSERVED: usize = 30;

/// Maximum likelihood of a log-normal with right-censoring, by expectation-maximisation
/// on ln T (a censored normal: the E-step replaces each censored value by its conditional
/// moments above the censoring point), then standard errors from the observed
/// information (the numerical Hessian of the log-likelihood in (mu, ln sigma)). `None`
/// with fewer than [`MIN_OBSERVED`] completed durations.
pub fn fit_lognormal(d: &Durations) -> Option<LogNormalFit> {
    if d.observed.len() < MIN_OBSERVED {
        return None;
    }
    let x: Vec<f64> = d.observed.iter().map(|t| t.max(1e-4).ln()).collect();
    let c: Vec<f64> = d.censored.iter().map(|t| t.max(1e-4).ln()).collect();
    let n = (x.len() + c.len()) as f64;
    let mut mu = x.iter().sum::<f64>() / x.len() as f64;
    let mut var = (x.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / x.len() as f64).max(1e-6);
    for _ in 0..2000 {
        let sigma = var.sqrt();
        let (mut s1, mut s2) = (0.0, 0.0);
        for v in &x {
            s1 += v;
            s2 += v * v;
        }
        for &ci in &c {
            let z = (ci - mu) / sigma;
            let lambda = mills(z);
            // E[X | X > c] and E[X² | X > c] of a normal.
            s1 += mu + sigma * lambda;
            s2 += mu * mu + var * (1.0 + z * lambda) + 2.0 * mu * sigma * lambda;
        }
        let new_mu = s1 / n;
        let new_var = (s2 / n - new_mu * new_mu).max(1e-8);
        let done = (new_mu - mu).abs() < 1e-10 && (new_var - var).abs() < 1e-10;
        mu = new_mu;
        var = new_var;
        if done {
            break;
        }
    }
    let log_sigma = 0.5 * var.ln();
    let loglik = |m: f64, ls: f64| log_likelihood(&x, &c, m, ls.exp());
    let (se_mu, se_log_sigma) = standard_errors(loglik, mu, log_sigma)?;
    let sigma = log_sigma.exp();
    Some(LogNormalFit {
        median: Estimate {
            value: mu.exp(),
            lo: (mu - Z_975 * se_mu).exp(),
            hi: (mu + Z_975 * se_mu).exp(),
            n: d.observed.len() as u64 + d.censored.len() as u64,
            method: "censored log-normal maximum likelihood (EM), Wald interval on ln",
        },
        sigma: Estimate {
            value: sigma,
            lo: (log_sigma - Z_975 * se_log_sigma).exp(),
            hi: (log_sigma + Z_975 * se_log_sigma).exp(),
            n: d.observed.len() as u64 + d.censored.len() as u64,
            method: "censored log-normal maximum likelihood (EM), Wald interval on ln",
        },
        mu,
        se_mu,
        se_log_sigma,
        censored: d.censored.len() as u64,
    })
}

/// φ(z) / (1 − Φ(z)), the inverse Mills ratio; its asymptote for large z.
fn mills(z: f64) -> f64 {
    let tail = 0.5 * libm::erfc(z / std::f64::consts::SQRT_2);
    if tail < 1e-300 {
        return z + 1.0 / z;
    }
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt() / tail
}

fn log_likelihood(x: &[f64], c: &[f64], mu: f64, sigma: f64) -> f64 {
    let observed: f64 = x
        .iter()
        .map(|v| {
            let z = (v - mu) / sigma;
            -0.5 * z * z - sigma.ln()
        })
        .sum();
    let censored: f64 = c
        .iter()
        .map(|v| {
            let tail = 0.5 * libm::erfc((v - mu) / sigma / std::f64::consts::SQRT_2);
            tail.max(1e-300).ln()
        })
        .sum();
    observed + censored
}

/// Standard errors of the two parameters from the inverse of the negative Hessian of
/// `loglik` at its maximum (central differences).
fn standard_errors(loglik: impl Fn(f64, f64) -> f64, a: f64, b: f64) -> Option<(f64, f64)> {
    let h = 1e-4;
    let f = |da: f64, db: f64| loglik(a + da, b + db);
    let f0 = f(0.0, 0.0);
    let haa = (f(h, 0.0) - 2.0 * f0 + f(-h, 0.0)) / (h * h);
    let hbb = (f(0.0, h) - 2.0 * f0 + f(0.0, -h)) / (h * h);
    let hab = (f(h, h) - f(h, -h) - f(-h, h) + f(-h, -h)) / (4.0 * h * h);
    // Information = −Hessian; its inverse's diagonal.
    let (iaa, ibb, iab) = (-haa, -hbb, -hab);
    let det = iaa * ibb - iab * iab;
    if !(det > 0.0 && iaa > 0.0) {
        return None;
    }
    Some(((ibb / det).sqrt(), (iaa / det).sqrt()))
}

/// The median of whole-day counts with the order-statistic 95% interval (the ranks
/// n/2 ∓ z·√n/2 of the sorted counts).
pub fn median_days(days: &mut [u32]) -> Option<Estimate> {
    if days.len() < MIN_OBSERVED {
        return None;
    }
    days.sort_unstable();
    let n = days.len() as f64;
    let rank = |r: f64| days[(r.round().max(0.0) as usize).min(days.len() - 1)] as f64;
    Some(Estimate {
        value: rank((n - 1.0) / 2.0),
        lo: rank(n / 2.0 - Z_975 * n.sqrt() / 2.0 - 1.0),
        hi: rank(n / 2.0 + Z_975 * n.sqrt() / 2.0),
        n: days.len() as u64,
        method: "median of whole days, order-statistic interval",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::{Distribution, LogNormal};

    fn draw(median: f64, sigma: f64, n: usize, censor_at: Option<f64>, seed: u64) -> Durations {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        let dist = LogNormal::new(median.ln(), sigma).unwrap();
        let mut d = Durations::default();
        for i in 0..n {
            let t: f64 = dist.sample(&mut rng);
            // Staggered entry: parcel i has been travelling censor_at · (i / n) days.
            match censor_at.map(|c| c * (i as f64 + 1.0) / n as f64) {
                Some(c) if t > c => d.censored.push(c),
                _ => d.observed.push(t),
            }
        }
        d
    }

    #[test]
    fn uncensored_fit_is_the_sample_log_moments() {
        let d = draw(4.0, 0.35, 2000, None, 1);
        let fit = fit_lognormal(&d).unwrap();
        let logs: Vec<f64> = d.observed.iter().map(|t| t.ln()).collect();
        let mean = logs.iter().sum::<f64>() / logs.len() as f64;
        let sd = (logs.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / logs.len() as f64).sqrt();
        assert!((fit.mu - mean).abs() < 1e-8);
        assert!((fit.sigma.value - sd).abs() < 1e-6);
        // The observed information of a normal: se(mu) = sigma/√n, se(ln sigma) = 1/√(2n).
        assert!((fit.se_mu - sd / 2000f64.sqrt()).abs() / fit.se_mu < 1e-3);
        assert!((fit.se_log_sigma - (1.0 / 4000f64).sqrt()).abs() / fit.se_log_sigma < 1e-3);
    }

    #[test]
    fn censored_fit_covers_the_truth_in_about_95_percent_of_samples() {
        // 200 samples of 400 parcels, a third of them censored: the Wald intervals of the
        // median and sigma cover the truth in 95% ± 3.1% (3 binomial standard errors).
        let (median, sigma) = (4.0, 0.35);
        let (mut hit_median, mut hit_sigma, mut censored) = (0, 0, 0);
        let samples = 200;
        for seed in 0..samples {
            let d = draw(median, sigma, 400, Some(8.0), 100 + seed);
            censored += d.censored.len();
            let fit = fit_lognormal(&d).unwrap();
            hit_median += usize::from(fit.median.covers(median));
            hit_sigma += usize::from(fit.sigma.covers(sigma));
        }
        assert!(censored > samples as usize * 400 / 5, "{censored}");
        let se = (0.95f64 * 0.05 / samples as f64).sqrt();
        for (what, hits) in [("median", hit_median), ("sigma", hit_sigma)] {
            let rate = hits as f64 / samples as f64;
            assert!((rate - 0.95).abs() < 3.0 * se, "{what}: {rate}");
        }
    }

    #[test]
    fn dropping_censored_parcels_would_be_biased() {
        let d = draw(6.0, 0.5, 3000, Some(8.0), 7);
        let fit = fit_lognormal(&d).unwrap();
        let naive = fit_lognormal(&Durations {
            observed: d.observed.clone(),
            censored: vec![],
        })
        .unwrap();
        assert!(fit.median.covers(6.0), "{:?}", fit.median);
        assert!(naive.median.hi < 6.0, "{:?}", naive.median);
    }

    #[test]
    fn too_few_parcels_are_not_fitted() {
        assert!(fit_lognormal(&draw(4.0, 0.3, MIN_OBSERVED - 1, None, 3)).is_none());
    }

    #[test]
    fn median_of_days_and_its_ranks() {
        let mut days: Vec<u32> = (0..101).map(|i| i / 20).collect();
        let m = median_days(&mut days).unwrap();
        assert_eq!(m.value, 2.0);
        assert!(m.lo <= 2.0 && m.hi >= 2.0);
    }
}
