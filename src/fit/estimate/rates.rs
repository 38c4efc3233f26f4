//! Returns against lateness, and what a return reason says about who is at fault.

use super::{share, Estimate, Z_975};

/// Fewest orders a share is estimated from: below it the catalog default is kept.
pub const MIN_ORDERS: u64 = 100;

/// Who a return reason puts the return on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The buyer changed their mind (the model's change-of-mind return).
    ChangeOfMind,
    /// The seller or the parcel: damaged, wrong, not as described, late.
    AtFault,
    /// The reason does not say.
    Unknown,
}

/// Classifies a return reason as written by Seller Center (in English; the exports'
/// reasons are English in every region).
pub fn fault_of(reason: &str) -> Fault {
    let r = reason.to_lowercase();
    const AT_FAULT: [&str; 14] = [
        "damage",
        "broken",
        "defect",
        "wrong",
        "not as described",
        "missing",
        "fake",
        "counterfeit",
        "expired",
        "late",
        "not received",
        "didn't receive",
        "quality",
        "doesn't work",
    ];
    const CHANGE_OF_MIND: [&str; 9] = [
        "no longer",
        "changed my mind",
        "change of mind",
        "mistake",
        "don't want",
        "do not want",
        "better price",
        "not needed",
        "size",
    ];
    if AT_FAULT.iter().any(|k| r.contains(k)) {
        Fault::AtFault
    } else if CHANGE_OF_MIND.iter().any(|k| r.contains(k)) {
        Fault::ChangeOfMind
    } else {
        Fault::Unknown
    }
}

/// The model's return probability `base + late_per_day · late_days`, fitted on delivered
/// orders whose return window has closed: `base` is the share returned among on-time
/// orders, `late_per_day` the least-squares slope of the late orders' returns over their
/// days late (through `base`), with a delta-method interval.
#[derive(Clone, Debug, PartialEq)]
pub struct ReturnFit {
    /// Returns of on-time orders.
    pub base: Estimate,
    /// Extra return probability per day late; `None` with too few late orders.
    pub late_per_day: Option<Estimate>,
}

/// `orders`: (days late, returned) of delivered orders with a closed window.
pub fn fit_returns(orders: &[(u32, bool)]) -> Option<ReturnFit> {
    let on_time: Vec<bool> = orders
        .iter()
        .filter(|(l, _)| *l == 0)
        .map(|(_, r)| *r)
        .collect();
    let n = on_time.len() as u64;
    if n < MIN_ORDERS {
        return None;
    }
    let k = on_time.iter().filter(|r| **r).count() as u64;
    let mut base = share(k, n)?;
    base.method = "returns among on-time delivered orders with a closed window, Jeffreys interval";
    let late: Vec<(f64, f64)> = orders
        .iter()
        .filter(|(l, _)| *l > 0)
        .map(|(l, r)| (f64::from(*l), f64::from(u8::from(*r))))
        .collect();
    let late_per_day = (late.len() as u64 >= MIN_ORDERS / 4).then(|| {
        let sll: f64 = late.iter().map(|(l, _)| l * l).sum();
        let sl: f64 = late.iter().map(|(l, _)| l).sum();
        let slope = late.iter().map(|(l, r)| l * (r - base.value)).sum::<f64>() / sll;
        let var_terms: f64 = late
            .iter()
            .map(|(l, _)| {
                let p = (base.value + slope * l).clamp(1e-6, 1.0 - 1e-6);
                l * l * p * (1.0 - p)
            })
            .sum::<f64>()
            / (sll * sll);
        let base_var = base.value * (1.0 - base.value) / n as f64;
        let se = (var_terms + base_var * (sl / sll).powi(2)).sqrt();
        Estimate {
            value: slope,
            lo: slope - Z_975 * se,
            hi: slope + Z_975 * se,
            n: late.len() as u64,
            method: "least-squares slope of late orders' returns over days late, through the on-time rate",
        }
    });
    Some(ReturnFit { base, late_per_day })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn reasons_are_classified() {
        assert_eq!(fault_of("Damaged product"), Fault::AtFault);
        assert_eq!(fault_of("Wrong item"), Fault::AtFault);
        assert_eq!(fault_of("Changed my mind"), Fault::ChangeOfMind);
        assert_eq!(fault_of("No longer needed"), Fault::ChangeOfMind);
        assert_eq!(fault_of("Other"), Fault::Unknown);
    }

    #[test]
    fn base_and_slope_cover_the_truth() {
        // 200 shops of 3,000 delivered orders, 20% late by 1-8 days.
        let (base, slope) = (0.06, 0.01);
        let (mut base_hits, mut slope_hits) = (0, 0);
        let samples = 200;
        for seed in 0..samples {
            let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
            let orders: Vec<(u32, bool)> = (0..3000)
                .map(|_| {
                    let late = if rng.random::<f64>() < 0.2 {
                        rng.random_range(1..=8)
                    } else {
                        0
                    };
                    (late, rng.random::<f64>() < base + slope * f64::from(late))
                })
                .collect();
            let fit = fit_returns(&orders).unwrap();
            base_hits += usize::from(fit.base.covers(base));
            slope_hits += usize::from(fit.late_per_day.unwrap().covers(slope));
        }
        let se = (0.95f64 * 0.05 / samples as f64).sqrt();
        for (what, hits) in [("base", base_hits), ("slope", slope_hits)] {
            let rate = hits as f64 / samples as f64;
            assert!((rate - 0.95).abs() < 3.5 * se, "{what}: {rate}");
        }
    }

    #[test]
    fn too_few_orders_keep_the_default() {
        assert!(fit_returns(&vec![(0, false); (MIN_ORDERS - 1) as usize]).is_none());
    }
}
