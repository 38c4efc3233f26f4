//! An estimate with its 95% interval, and the one place a Student-t interval is computed.

use serde::{Deserialize, Serialize};

/// z for a two-sided 95% interval.
pub const Z_975: f64 = 1.959_963_984_540_054;

/// The 97.5% quantile of Student's t with `df` degrees of freedom: the multiplier of a
/// standard error for a 95% interval (NaN with no degrees of freedom, where no interval
/// exists). Tends to [`Z_975`] as `df` grows.
pub fn t_975(df: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    if df.is_nan() || df < 1.0 {
        f64::NAN
    } else if df > 100_000.0 {
        Z_975
    } else {
        StudentsT::new(0.0, 1.0, df).map_or(Z_975, |t| t.inverse_cdf(0.975))
    }
}

/// The degrees of freedom `df` whose [`t_975`] is `t` (at least 1; `None` when `t` is not
/// a t quantile above the normal's): what a written interval `mean ± t · se` was made
/// with, recovered from the interval itself.
pub fn degrees_of_freedom_of(t: f64) -> Option<f64> {
    if !(t.is_finite() && t >= Z_975) || t > t_975(1.0) * (1.0 + 1e-9) {
        return None;
    }
    if t <= t_975(100_000.0) {
        return Some(f64::INFINITY);
    }
    // t_975 falls as df grows: bisect on ln df.
    let (mut low, mut high) = (0.0f64, 100_000f64.ln());
    for _ in 0..80 {
        let mid = 0.5 * (low + high);
        if t_975(mid.exp()) > t {
            low = mid;
        } else {
            high = mid;
        }
    }
    Some((0.5 * (low + high)).exp())
}

/// A quantity estimated from trials (a mean, a difference of means), its standard error and
/// 95% interval, and how many trials it rests on.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The estimate itself.
    pub point: f64,
    /// Its standard error.
    pub se: f64,
    /// The 95% interval (NaN when it cannot be computed, e.g. from one trial).
    pub ci_low: f64,
    /// Upper end of the 95% interval.
    pub ci_high: f64,
    /// Trials (or pairs of trials) used.
    pub n: usize,
}

impl Estimate {
    /// `point ± t₀.₉₇₅(df) · se`: the Student-t interval every estimate of shopsim uses.
    pub fn t_interval(point: f64, se: f64, df: f64, n: usize) -> Estimate {
        let t = t_975(df);
        Estimate {
            point,
            se,
            ci_low: point - t * se,
            ci_high: point + t * se,
            n,
        }
    }

    /// The mean of `n` values with sample standard deviation `sd` (n − 1 degrees of freedom).
    pub fn mean(mean: f64, sd: f64, n: usize) -> Estimate {
        Estimate::t_interval(mean, sd / (n as f64).sqrt(), n as f64 - 1.0, n)
    }

    /// The mean of `values` (every value must be defined).
    pub fn mean_of(values: &[f64]) -> Estimate {
        let (mean, sd) = mean_sd(values);
        Estimate::mean(mean, sd, values.len())
    }

    /// `b − a` for independent estimates of two means (Welch: Satterthwaite's degrees of
    /// freedom for unequal variances). `n` is the smaller of the two counts.
    pub fn welch_difference(a: &Estimate, b: &Estimate) -> Estimate {
        let df_of = |e: &Estimate| (e.n.max(2) - 1) as f64;
        Estimate::welch_difference_df(a, df_of(a), b, df_of(b))
    }

    /// [`Estimate::welch_difference`] of estimates whose standard errors have `df_a` and
    /// `df_b` degrees of freedom (a Latin hypercube's: its blocks − 1).
    pub fn welch_difference_df(a: &Estimate, df_a: f64, b: &Estimate, df_b: f64) -> Estimate {
        let (va, vb) = (a.se * a.se, b.se * b.se);
        let df = (va + vb).powi(2) / (va * va / df_a.max(1.0) + vb * vb / df_b.max(1.0));
        // Both standard errors zero: the difference is exact, the interval a point.
        let df = if df.is_finite() { df } else { f64::INFINITY };
        Estimate::t_interval(b.point - a.point, (va + vb).sqrt(), df, a.n.min(b.n))
    }
}

/// Mean and sample standard deviation (two passes, for accuracy). With one value the
/// standard deviation is undefined (`NaN`), not 0: one trial says nothing about spread.
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    if values.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return (mean, f64::NAN);
    }
    let ss: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
    (mean, (ss / (n - 1.0)).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degrees_of_freedom_are_recovered_from_the_t_quantile() {
        for df in [1.0, 3.0, 55.0, 61.0, 3999.0] {
            let got = degrees_of_freedom_of(t_975(df)).unwrap();
            assert!((got / df - 1.0).abs() < 1e-6, "{df}: {got}");
        }
        assert_eq!(degrees_of_freedom_of(Z_975), Some(f64::INFINITY));
        assert_eq!(degrees_of_freedom_of(1.5), None);
        assert_eq!(degrees_of_freedom_of(f64::NAN), None);
        assert_eq!(degrees_of_freedom_of(100.0), None);
    }

    #[test]
    fn t_quantiles_match_tables_and_tend_to_z() {
        // Standard t tables: df 4 → 2.776, df 29 → 2.045.
        assert!((t_975(4.0) - 2.776_445).abs() < 1e-4);
        assert!((t_975(29.0) - 2.045_230).abs() < 1e-4);
        assert!((t_975(9_999.0) - Z_975).abs() < 1e-3);
        assert!(t_975(0.0).is_nan());
        assert_eq!(t_975(f64::INFINITY), Z_975);
    }

    #[test]
    fn mean_interval_is_t_times_the_standard_error() {
        // 1..=5: mean 3, sd √2.5, se √0.5, t(4) = 2.776445.
        let e = Estimate::mean_of(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!((e.point, e.n), (3.0, 5));
        assert!((e.se - 0.5f64.sqrt()).abs() < 1e-12);
        assert!((e.ci_high - 3.0 - 2.776_445 * 0.5f64.sqrt()).abs() < 1e-5);
        assert!((e.ci_low + e.ci_high - 6.0).abs() < 1e-12);
        let one = Estimate::mean_of(&[4.0]);
        assert!(one.point == 4.0 && one.ci_low.is_nan() && one.ci_high.is_nan());
    }

    /// Intervals hold the true value in 95% of repetitions: a mean of 5 normal values, and
    /// a Welch difference of samples with unequal sizes and spreads (where a pooled or z
    /// interval would not). 4,000 repetitions: the coverage's standard error is 0.0034, the
    /// bound is four of them.
    #[test]
    fn intervals_cover_the_truth_95_percent_of_the_time() {
        use rand::SeedableRng;
        use rand_distr::{Distribution, Normal};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(11);
        let (a_dist, b_dist) = (
            Normal::new(10.0, 1.0).unwrap(),
            Normal::new(12.0, 5.0).unwrap(),
        );
        let reps = 4_000;
        let (mut mean_hits, mut welch_hits) = (0, 0);
        for _ in 0..reps {
            let small: Vec<f64> = (0..5).map(|_| a_dist.sample(&mut rng)).collect();
            let m = Estimate::mean_of(&small);
            mean_hits += usize::from(m.ci_low <= 10.0 && 10.0 <= m.ci_high);
            let a: Vec<f64> = (0..8).map(|_| a_dist.sample(&mut rng)).collect();
            let b: Vec<f64> = (0..30).map(|_| b_dist.sample(&mut rng)).collect();
            let d = Estimate::welch_difference(&Estimate::mean_of(&a), &Estimate::mean_of(&b));
            welch_hits += usize::from(d.ci_low <= 2.0 && 2.0 <= d.ci_high);
        }
        let bound = 4.0 * (0.95f64 * 0.05 / reps as f64).sqrt();
        for hits in [mean_hits, welch_hits] {
            let coverage = hits as f64 / reps as f64;
            assert!((coverage - 0.95).abs() < bound, "coverage {coverage}");
        }
    }

    #[test]
    fn welch_matches_a_textbook_case() {
        // Means 20 and 22, se² 4/10 and 9/12: df = (0.4 + 0.75)² / (0.16/9 + 0.5625/11)
        // = 19.19…; the interval is 2 ± t(19.19)·√1.15.
        let a = Estimate::t_interval(20.0, 0.4f64.sqrt(), 9.0, 10);
        let b = Estimate::t_interval(22.0, 0.75f64.sqrt(), 11.0, 12);
        let d = Estimate::welch_difference(&a, &b);
        let df = 1.15f64.powi(2) / (0.16 / 9.0 + 0.5625 / 11.0);
        assert!((df - 19.1905).abs() < 1e-4, "{df}");
        assert!((d.point - 2.0).abs() < 1e-12 && d.n == 10);
        assert!((d.ci_high - 2.0 - t_975(df) * 1.15f64.sqrt()).abs() < 1e-9);
        // t(19.19) lies between the table's t(19) = 2.093 and t(20) = 2.086.
        assert!(t_975(df) < 2.0931 && t_975(df) > 2.0859);
        let exact = Estimate::t_interval(1.0, 0.0, 5.0, 6);
        let d = Estimate::welch_difference(&exact, &exact);
        assert_eq!((d.point, d.ci_low, d.ci_high), (0.0, 0.0, 0.0));
    }
}
