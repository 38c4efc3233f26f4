//! Summaries of one variant's trials: moments, interval of the mean, quantiles, and the
//! tail figures of profit (probability of loss, CVaR), from the streaming accumulators.

use serde::Serialize;

use super::accumulate::OutputAccumulator;
use super::estimate::{Estimate, Z_975};

/// Distribution summary of one output over the trials where it is defined.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// The mean with its 95% interval (Student t; empty with a single trial); its `n`
    /// counts the trials where the value is defined (margin is undefined with zero net
    /// revenue, etc.).
    pub mean: Estimate,
    /// Sample standard deviation.
    pub sd: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 25th percentile (lower quartile).
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile (upper quartile).
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

/// Quantile of sorted data by linear interpolation between order statistics (R type 7,
/// the default of R and NumPy).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * q;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// Summarises an output's defined (non-NaN) values: exact moments, quantiles from the
/// sketch (see [`super::sketch`] for their error); `None` when no trial defines it.
pub fn summarize(acc: &OutputAccumulator) -> Option<Summary> {
    let n = acc.defined();
    if n == 0 {
        return None;
    }
    let (_, sd) = acc.mean_sd();
    let q = |p| acc.sketch.quantile(p);
    Some(Summary {
        mean: acc.mean_estimate(),
        sd,
        p5: q(0.05),
        p25: q(0.25),
        p50: q(0.5),
        p75: q(0.75),
        p95: q(0.95),
        min: acc.sketch.min(),
        max: acc.sketch.max(),
    })
}

/// A probability estimated from trials, with a Wilson 95% interval (sound near 0 and 1,
/// where P(loss) often sits).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Proportion {
    /// Trials counted.
    pub n: usize,
    /// The estimated probability.
    pub p: f64,
    /// Its standard error.
    pub se: f64,
    /// Lower end of the 95% interval.
    pub ci_low: f64,
    /// Upper end of the 95% interval.
    pub ci_high: f64,
}

/// The proportion `hits / n` with a Wilson 95% interval.
pub fn proportion(hits: usize, n: usize) -> Proportion {
    let nf = n as f64;
    let p = hits as f64 / nf;
    let z2 = Z_975 * Z_975;
    let centre = (p + z2 / (2.0 * nf)) / (1.0 + z2 / nf);
    let half = Z_975 / (1.0 + z2 / nf) * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    Proportion {
        n,
        p,
        se: (p * (1.0 - p) / nf).sqrt(),
        ci_low: (centre - half).max(0.0),
        ci_high: (centre + half).min(1.0),
    }
}

/// Conditional value at risk: the mean of the worst `alpha` share of the defined values
/// (at least one value); NaN when none is defined.
pub fn cvar(acc: &OutputAccumulator, alpha: f64) -> f64 {
    let n = acc.defined();
    if n == 0 {
        return f64::NAN;
    }
    let k = ((alpha * n as f64).ceil() as u64).clamp(1, n);
    acc.sketch.mean_of_smallest(k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quantiles_match_r_type_7() {
        let s = [1.0, 2.0, 3.0, 4.0];
        // R: quantile(1:4, c(.05, .5, .95)) = 1.15 2.5 3.85
        assert!((quantile_sorted(&s, 0.05) - 1.15).abs() < 1e-12);
        assert!((quantile_sorted(&s, 0.5) - 2.5).abs() < 1e-12);
        assert!((quantile_sorted(&s, 0.95) - 3.85).abs() < 1e-12);
    }

    fn of(values: &[f64]) -> Option<Summary> {
        summarize(&OutputAccumulator::of(values))
    }

    #[test]
    fn summary_skips_undefined_values() {
        let s = of(&[1.0, f64::NAN, 3.0]).unwrap();
        assert_eq!(s.mean.n, 2);
        assert_eq!(s.mean.point, 2.0);
        assert!((s.sd - 2f64.sqrt()).abs() < 1e-12);
        assert!(of(&[f64::NAN]).is_none());
        // A constant output has no spread at all, not a rounding residue.
        assert_eq!(of(&[0.1; 7]).unwrap().sd, 0.0);
    }

    #[test]
    fn cvar_is_the_mean_of_the_worst_tail() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(cvar(&OutputAccumulator::of(&v), 0.05), 3.0);
    }

    #[test]
    fn wilson_interval_stays_inside_zero_one_and_covers_p() {
        let p = proportion(0, 50);
        assert_eq!(p.p, 0.0);
        assert!(p.ci_low == 0.0 && p.ci_high > 0.0 && p.ci_high < 0.1);
        let p = proportion(30, 100);
        assert!(p.ci_low < 0.3 && p.ci_high > 0.3);
    }

    proptest! {
        #[test]
        fn quantiles_are_ordered_and_bounded(mut v in proptest::collection::vec(-1e6f64..1e6, 1..200)) {
            let s = of(&v).unwrap();
            v.sort_by(f64::total_cmp);
            prop_assert!(s.min <= s.p5 && s.p5 <= s.p25 && s.p25 <= s.p50);
            prop_assert!(s.p50 <= s.p75 && s.p75 <= s.p95 && s.p95 <= s.max);
            prop_assert!(s.min <= s.mean.point + 1e-6 && s.mean.point <= s.max + 1e-6);
        }
    }
}
