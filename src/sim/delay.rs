//! Delivery delay: the log-normal transit time discretised into whole days, once per
//! trial and delay regime, so that no per-order work is ever needed.

use std::f64::consts::SQRT_2;

/// P(delay = d days) for d in `0..=max_days`, where delay = handling + ⌈transit⌉ and
/// transit ~ LogNormal(ln(median), sigma). Mass beyond `max_days` is counted at
/// `max_days` (a parcel that slow is as late as the model can say).
pub fn pmf(handling_days: usize, transit_median: f64, sigma: f64, max_days: usize) -> Vec<f64> {
    let mut cdfs = TransitCdfs::default();
    pmf_with(handling_days, transit_median, sigma, max_days, &mut cdfs)
}

/// [`pmf`], taking the transit time's CDF at whole days from `cdfs` (and adding what it
/// works out to them): the variants of a trial whose routes share a transit distribution
/// work out its CDF once. The same values either way, to the bit.
pub fn pmf_with(
    handling_days: usize,
    transit_median: f64,
    sigma: f64,
    max_days: usize,
    cdfs: &mut TransitCdfs,
) -> Vec<f64> {
    let mut out = vec![0.0; max_days + 1];
    let at = |d: usize| d.min(max_days);
    // Also catches NaN.
    if transit_median.is_nan() || transit_median <= 0.0 {
        out[at(handling_days)] = 1.0;
        return out;
    }
    if sigma == 0.0 {
        out[at(handling_days + transit_median.ceil() as usize)] = 1.0;
        return out;
    }
    let cdf = |x: f64| -> f64 {
        if x <= 0.0 {
            0.0
        } else {
            0.5 * libm::erfc(-(x / transit_median).ln() / (sigma * SQRT_2))
        }
    };
    // F(k) for k = 1, 2, …, as far as worked out yet.
    let known = cdfs.of(transit_median, sigma);
    // ⌈T⌉ = k for k ≥ 1 with probability F(k) − F(k − 1).
    let mut previous = 0.0;
    for k in 1.. {
        let d = handling_days + k;
        if d >= max_days {
            out[max_days] += 1.0 - previous;
            break;
        }
        if known.len() < k {
            known.push(cdf(k as f64));
        }
        let now = known[k - 1];
        out[d] += now - previous;
        previous = now;
    }
    out
}

/// Transit-time CDFs at whole days (F(1), F(2), …), by transit median and spread: one
/// trial's, kept from variant to variant (a log and an error function a day each, most of
/// a trial's set-up). Cleared between trials; its memory is kept.
#[derive(Debug, Default)]
pub struct TransitCdfs {
    /// (median bits, sigma bits, F(1), F(2), …); the first `used` are this trial's.
    rows: Vec<(u64, u64, Vec<f64>)>,
    used: usize,
}

impl TransitCdfs {
    /// Forgets the CDFs (another trial draws other transit times).
    pub fn clear(&mut self) {
        self.used = 0;
    }

    /// The CDF values of transit median `median` and spread `sigma` worked out so far.
    fn of(&mut self, median: f64, sigma: f64) -> &mut Vec<f64> {
        let key = (median.to_bits(), sigma.to_bits());
        let found = self.rows[..self.used]
            .iter()
            .position(|(m, s, _)| (*m, *s) == key);
        let at = found.unwrap_or_else(|| {
            if self.used == self.rows.len() {
                self.rows.push((0, 0, Vec::new()));
            }
            let row = &mut self.rows[self.used];
            (row.0, row.1) = key;
            row.2.clear();
            self.used += 1;
            self.used - 1
        });
        &mut self.rows[at].2
    }
}

/// Σ_d pmf(d) · f(d): the mean of a per-delay probability.
pub fn expect(pmf: &[f64], f: impl Fn(usize) -> f64) -> f64 {
    pmf.iter().enumerate().map(|(d, p)| p * f(d)).sum()
}

/// Days late when delivered after `d` days.
#[inline]
pub fn late_days(d: usize, promise_days: usize) -> f64 {
    d.saturating_sub(promise_days) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bins_match_the_lognormal_cdf() {
        let p = pmf(2, 5.0, 0.4, 60);
        // P(delay ≤ 2 + 5) = P(T ≤ 5) = 0.5 exactly at the median.
        let up_to_7: f64 = p[..=7].iter().sum();
        assert!((up_to_7 - 0.5).abs() < 1e-12, "{up_to_7}");
        assert_eq!(p[0] + p[1] + p[2], 0.0);
    }

    #[test]
    fn degenerate_transit_is_a_point_mass() {
        assert_eq!(pmf(1, 2.5, 0.0, 10)[4], 1.0);
        assert_eq!(pmf(3, 0.0, 0.5, 10)[3], 1.0);
        assert_eq!(pmf(30, 5.0, 0.5, 10)[10], 1.0);
    }

    proptest! {
        #[test]
        fn shared_cdfs_give_the_same_pmfs(h in 0usize..5, median in 0.1f64..30.0, sigma in 0.0f64..2.0, max in 1usize..80, h2 in 0usize..5, max2 in 1usize..80) {
            // Two routes of one transit distribution (another handling and longest delay),
            // then another distribution, all on one set of CDFs, as a trial's variants are.
            let mut cdfs = TransitCdfs::default();
            prop_assert_eq!(pmf_with(h, median, sigma, max, &mut cdfs), pmf(h, median, sigma, max));
            prop_assert_eq!(pmf_with(h2, median, sigma, max2, &mut cdfs), pmf(h2, median, sigma, max2));
            prop_assert_eq!(pmf_with(h, median * 1.3, sigma, max, &mut cdfs), pmf(h, median * 1.3, sigma, max));
            cdfs.clear();
            prop_assert_eq!(pmf_with(h2, median, sigma, max2, &mut cdfs), pmf(h2, median, sigma, max2));
        }

        #[test]
        fn mass_sums_to_one(h in 0usize..5, median in 0.1f64..30.0, sigma in 0.0f64..2.0, max in 1usize..80) {
            let p = pmf(h, median, sigma, max);
            prop_assert_eq!(p.len(), max + 1);
            prop_assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            prop_assert!(p.iter().all(|&x| x >= 0.0));
        }
    }
}
