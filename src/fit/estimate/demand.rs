//! Daily orders: the level at full ramp-up, the day-to-day noise beyond Poisson
//! (`demand.daily_cv`, the model's gamma-Poisson: variance = λ + cv²·λ²), a linear ramp
//! when the data show one, and the weekday pattern and trend the model does not have
//! (reported, so a user sees when the model's flat demand does not fit the shop).

use rand::{Rng, SeedableRng};
use serde::Serialize;

use super::{chi_square_tail, Estimate, Z_975};

/// Fewest days a demand fit is made from.
pub const MIN_DAYS: usize = 14;

/// Significance at which a ramp, a weekday pattern or a trend is reported as present.
pub const ALPHA: f64 = 0.01;

/// Orders per calendar day from the first day of the export.
#[derive(Clone, Debug, PartialEq)]
pub struct DailyOrders {
    /// Day count (since 1970) of `counts[0]`.
    pub first_day: i64,
    /// Orders created each day.
    pub counts: Vec<u64>,
    /// Days left out of the level (peak days the scenario names).
    pub excluded: Vec<bool>,
}

/// The demand a shop's orders show.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DemandFit {
    /// Orders a day at full ramp-up (peak days left out).
    pub level: Estimate,
    /// Noise beyond Poisson: the coefficient of variation of the daily gamma factor.
    pub daily_cv: Estimate,
    /// Days to full demand of a linear ramp from the first day (0: none found).
    pub ramp_days: Estimate,
    /// p-value of "no ramp" (quasi-likelihood ratio).
    pub ramp_p_value: f64,
    /// Orders a weekday against the week's mean, Monday first.
    pub weekday_factors: [f64; 7],
    /// p-value of "every weekday alike".
    pub weekday_p_value: f64,
    /// Relative change of the level over 30 days (linear trend on full-ramp days).
    pub trend_per_30_days: Estimate,
}

/// Fits the level, noise, ramp, weekday pattern and trend; `None` with fewer than
/// [`MIN_DAYS`] days. `seed` drives the bootstrap of the noise's interval.
pub fn fit_demand(daily: &DailyOrders, seed: u64) -> Option<DemandFit> {
    let n = daily.counts.len();
    if n < MIN_DAYS {
        return None;
    }
    let y: Vec<f64> = daily.counts.iter().map(|&c| c as f64).collect();
    let kept: Vec<usize> = (0..n)
        .filter(|&t| !daily.excluded.get(t).copied().unwrap_or(false))
        .collect();
    if kept.len() < MIN_DAYS {
        return None;
    }
    // Over-dispersion of all kept days, for the quasi-likelihood tests.
    let (mean_all, var_all) = moments(kept.iter().map(|&t| y[t]));
    let phi = (var_all / mean_all.max(1e-9)).max(1.0);

    // Ramp: the Poisson profile log-likelihood of λ_t = L·min(1, (t+1)/R) over R.
    let profile = |ramp: usize| -> f64 {
        let shape = |t: usize| {
            if ramp == 0 {
                1.0
            } else {
                ((t + 1) as f64 / ramp as f64).min(1.0)
            }
        };
        let level =
            kept.iter().map(|&t| y[t]).sum::<f64>() / kept.iter().map(|&t| shape(t)).sum::<f64>();
        kept.iter()
            .map(|&t| {
                let mu = level * shape(t);
                if y[t] > 0.0 {
                    y[t] * mu.ln() - mu
                } else {
                    -mu
                }
            })
            .sum()
    };
    let max_ramp = n / 2;
    let lls: Vec<f64> = (0..=max_ramp).map(profile).collect();
    let (best, best_ll) = lls
        .iter()
        .enumerate()
        .fold((0, f64::NEG_INFINITY), |acc, (r, &ll)| {
            if ll > acc.1 {
                (r, ll)
            } else {
                acc
            }
        });
    let lr = 2.0 * (best_ll - lls[0]) / phi;
    let ramp_p_value = if best == 0 {
        1.0
    } else {
        chi_square_tail(lr, 1.0)
    };
    let ramp = if ramp_p_value < ALPHA { best } else { 0 };
    let within: Vec<usize> = (0..=max_ramp)
        .filter(|&r| 2.0 * (best_ll - lls[r]) / phi < 3.841_458_820_694_124)
        .collect();
    let ramp_days = Estimate {
        value: ramp as f64,
        lo: if ramp == 0 {
            0.0
        } else {
            *within.first().unwrap_or(&ramp) as f64
        },
        hi: if ramp == 0 {
            0.0
        } else {
            *within.last().unwrap_or(&ramp) as f64
        },
        n: kept.len() as u64,
        method: "linear ramp by profile quasi-likelihood; kept when p < 0.01",
    };

    // Level and noise on the days at full demand.
    let full: Vec<usize> = kept.iter().copied().filter(|&t| t + 1 >= ramp).collect();
    let full = if full.len() >= MIN_DAYS {
        full
    } else {
        kept.clone()
    };
    let values: Vec<f64> = full.iter().map(|&t| y[t]).collect();
    let (mean, var) = moments(values.iter().copied());
    let se = (var / values.len() as f64).sqrt();
    let level = Estimate {
        value: mean,
        lo: (mean - Z_975 * se).max(0.0),
        hi: mean + Z_975 * se,
        n: values.len() as u64,
        method: "mean orders a day at full ramp-up, normal interval",
    };
    let cv_of = |v: &[f64]| -> f64 {
        let (m, s2) = moments(v.iter().copied());
        if m <= 0.0 {
            0.0
        } else {
            ((s2 - m) / (m * m)).max(0.0).sqrt()
        }
    };
    let cv = cv_of(&values);
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut boot: Vec<f64> = (0..1000)
        .map(|_| {
            let resample: Vec<f64> = (0..values.len())
                .map(|_| values[rng.random_range(0..values.len())])
                .collect();
            cv_of(&resample)
        })
        .collect();
    boot.sort_by(f64::total_cmp);
    let daily_cv = Estimate {
        value: cv,
        lo: boot[24],
        hi: boot[974],
        n: values.len() as u64,
        method: "method of moments (variance = mean + cv²·mean²), bootstrap percentile interval over days",
    };

    // Weekdays: means per weekday against the overall mean, a chi-square on 6 df.
    let mut sums = [0.0; 7];
    let mut days = [0usize; 7];
    for &t in &full {
        let weekday = weekday(daily.first_day + t as i64);
        sums[weekday] += y[t];
        days[weekday] += 1;
    }
    let mut weekday_factors = [1.0; 7];
    let mut statistic = 0.0;
    let mut groups = 0;
    for d in 0..7 {
        if days[d] > 0 && mean > 0.0 {
            let m = sums[d] / days[d] as f64;
            weekday_factors[d] = m / mean;
            statistic += days[d] as f64 * (m - mean).powi(2) / var.max(1e-9);
            groups += 1;
        }
    }
    let weekday_p_value = if groups > 1 {
        chi_square_tail(statistic, (groups - 1) as f64)
    } else {
        1.0
    };

    // Trend: least squares of orders on the day, relative to the level, per 30 days.
    let tm = full.iter().map(|&t| t as f64).sum::<f64>() / full.len() as f64;
    let sxx: f64 = full.iter().map(|&t| (t as f64 - tm).powi(2)).sum();
    let sxy: f64 = full.iter().map(|&t| (t as f64 - tm) * (y[t] - mean)).sum();
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let residual: f64 = full
        .iter()
        .map(|&t| (y[t] - mean - slope * (t as f64 - tm)).powi(2))
        .sum::<f64>()
        / (full.len() as f64 - 2.0).max(1.0);
    let slope_se = if sxx > 0.0 {
        (residual / sxx).sqrt()
    } else {
        0.0
    };
    let relative = |s: f64| if mean > 0.0 { 30.0 * s / mean } else { 0.0 };
    let trend_per_30_days = Estimate {
        value: relative(slope),
        lo: relative(slope - Z_975 * slope_se),
        hi: relative(slope + Z_975 * slope_se),
        n: full.len() as u64,
        method: "least-squares slope of daily orders, relative to the level",
    };
    Some(DemandFit {
        level,
        daily_cv,
        ramp_days,
        ramp_p_value,
        weekday_factors,
        weekday_p_value,
        trend_per_30_days,
    })
}

/// Mean and unbiased variance.
fn moments(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let n = values.clone().count() as f64;
    let mean = values.clone().sum::<f64>() / n;
    let var = values.map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, var)
}

/// Monday = 0 of a day count since 1970-01-01 (a Thursday).
pub fn weekday(day: i64) -> usize {
    (day + 3).rem_euclid(7) as usize
}

/// The lift of some days over the level: their mean orders over the level, with a delta
/// interval from both means' standard errors.
pub fn lift(daily: &DailyOrders, days: &[usize], level: &Estimate) -> Option<Estimate> {
    let values: Vec<f64> = days
        .iter()
        .filter_map(|&t| daily.counts.get(t))
        .map(|&c| c as f64)
        .collect();
    if values.is_empty() || level.value <= 0.0 {
        return None;
    }
    let (mean, var) = moments(values.iter().copied());
    let ratio = mean / level.value;
    let level_se = (level.hi - level.lo) / (2.0 * Z_975);
    let rel_se = ((var / values.len() as f64) / (mean * mean).max(1e-9)
        + (level_se / level.value).powi(2))
    .sqrt();
    Some(Estimate {
        value: ratio,
        lo: ratio * (-Z_975 * rel_se).exp(),
        hi: ratio * (Z_975 * rel_se).exp(),
        n: values.len() as u64,
        method: "mean orders on the days over the level, delta-method interval on ln",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_distr::{Distribution, Gamma, Poisson};

    fn shop(level: f64, cv: f64, ramp: usize, days: usize, seed: u64) -> DailyOrders {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        let gamma = Gamma::new(1.0 / (cv * cv), cv * cv).unwrap();
        let counts = (0..days)
            .map(|t| {
                let shape = if ramp == 0 {
                    1.0
                } else {
                    ((t + 1) as f64 / ramp as f64).min(1.0)
                };
                let lambda: f64 = level * shape * gamma.sample(&mut rng);
                Poisson::new(lambda.max(1e-9)).unwrap().sample(&mut rng) as u64
            })
            .collect();
        DailyOrders {
            first_day: 20_513,
            counts,
            excluded: vec![false; days],
        }
    }

    #[test]
    fn level_and_noise_cover_the_truth_in_about_95_percent_of_shops() {
        let samples = 200;
        let (mut level_hits, mut cv_hits) = (0, 0);
        for seed in 0..samples {
            let fit = fit_demand(&shop(40.0, 0.3, 0, 120, seed), seed).unwrap();
            level_hits += usize::from(fit.level.covers(40.0));
            cv_hits += usize::from(fit.daily_cv.covers(0.3));
        }
        let se = (0.95f64 * 0.05 / samples as f64).sqrt();
        for (what, hits) in [("level", level_hits), ("cv", cv_hits)] {
            let rate = hits as f64 / samples as f64;
            // Bootstrap and t-free intervals run a little short at n = 120: 4 SE.
            assert!((rate - 0.95).abs() < 4.0 * se, "{what}: {rate}");
        }
    }

    #[test]
    fn a_ramp_is_found_when_there_is_one_and_not_otherwise() {
        let ramped = fit_demand(&shop(40.0, 0.2, 30, 120, 1), 1).unwrap();
        assert!(ramped.ramp_days.covers(30.0), "{:?}", ramped.ramp_days);
        assert!(ramped.level.covers(40.0), "{:?}", ramped.level);
        let mut false_ramps = 0;
        for seed in 0..100 {
            let flat = fit_demand(&shop(40.0, 0.3, 0, 90, 1000 + seed), seed).unwrap();
            false_ramps += usize::from(flat.ramp_days.value > 0.0);
        }
        // At α = 0.01 over 100 flat shops: a handful at most.
        assert!(false_ramps <= 5, "{false_ramps}");
    }

    #[test]
    fn a_weekday_pattern_is_detected() {
        let mut daily = shop(40.0, 0.1, 0, 140, 3);
        for (t, c) in daily.counts.iter_mut().enumerate() {
            if weekday(daily.first_day + t as i64) >= 5 {
                *c *= 2;
            }
        }
        let fit = fit_demand(&daily, 3).unwrap();
        assert!(fit.weekday_p_value < 1e-6, "{}", fit.weekday_p_value);
        assert!(
            fit.weekday_factors[5] > 1.4 && fit.weekday_factors[0] < 0.9,
            "{:?}",
            fit.weekday_factors
        );
        let flat = fit_demand(&shop(40.0, 0.1, 0, 140, 4), 4).unwrap();
        assert!(flat.weekday_p_value > ALPHA, "{}", flat.weekday_p_value);
    }

    #[test]
    fn weekday_of_a_known_date() {
        // 2026-03-01 was a Sunday.
        assert_eq!(
            weekday(crate::fit::read::cells::days_from_civil(2026, 3, 1)),
            6
        );
    }

    #[test]
    fn too_few_days_are_not_fitted() {
        assert!(fit_demand(&shop(40.0, 0.3, 0, MIN_DAYS - 1, 1), 1).is_none());
    }
}
