//! Repeat buyers (issue 8, point 6): a self-operated shop's base of buyers who may buy
//! again. Fully managed shops have none: the platform owns the buyers.
//!
//! Every buyer in the base, each day, buys again with probability `λ = share / mean_days`
//! or drifts away with probability `μ = (1 − share) / mean_days`, so a buyer buys again
//! before leaving with probability `share` after `mean_days` on average. The base is kept
//! as its expected size given the trial's realised orders (repeat orders are a Poisson draw
//! on it): the day costs the same at any volume.

use super::delivery::DayDelivery;
use super::draws::poisson;
use super::shared::SharedDraws;
use crate::params::{Model, P};
use crate::sim::inputs::TrialInputs;
use crate::sim::rng::Purpose;

/// The buyer base of one trial.
pub(super) struct Buyers {
    /// Daily probability that a buyer in the base orders again.
    repeat_hazard: f64,
    /// Daily probability that a buyer in the base leaves it.
    leave_hazard: f64,
    late_penalty: f64,
    /// Expected buyers in the base.
    base: f64,
}

impl Buyers {
    pub fn new(v: &TrialInputs, model: Model) -> Buyers {
        let (share, mean_days) = if model == Model::SelfOperated {
            (v[P::RepeatShare], v[P::RepeatMeanDays])
        } else {
            (0.0, 1.0)
        };
        Buyers {
            repeat_hazard: share / mean_days,
            leave_hazard: (1.0 - share) / mean_days,
            late_penalty: v[P::RepeatLatePenalty],
            base: 0.0,
        }
    }

    /// `day`'s repeat orders, from their own stream.
    pub fn repeat_orders(&self, shared: &SharedDraws, day: usize) -> u64 {
        let mean = self.repeat_hazard * self.base;
        if mean <= 0.0 {
            return 0;
        }
        poisson(&mut shared.stream(Purpose::Repeat, day), mean)
    }

    /// The base after `day`: buyers who ordered again (`repeat`) left it to order, the
    /// rest drift away at the leave hazard, and every satisfied buyer of the day's parcels
    /// (delivered, not returned, no complaint) joins — those of a late parcel (a share
    /// `late_share` of deliveries) only if the lateness did not put them off.
    pub fn update(&mut self, repeat: u64, delivery: &DayDelivery, late_share: f64) {
        let satisfied = delivery
            .delivered
            .saturating_sub(delivery.returned + delivery.complained) as f64;
        let joining = satisfied * (1.0 - late_share * self.late_penalty);
        self.base = (self.base * (1.0 - self.leave_hazard) - repeat as f64).max(0.0) + joining;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery(delivered: u64, returned: u64, complained: u64) -> DayDelivery {
        DayDelivery {
            lost: 0,
            delivered,
            returned,
            refused: 0,
            changed_mind: 0,
            returnless: false,
            complained,
            resold: 0,
        }
    }

    #[test]
    fn the_base_gains_satisfied_buyers_and_loses_leavers_and_reorderers() {
        // share 0.25 over 50 days: reorder 0.005 a day, leave 0.015 a day.
        let mut b = Buyers {
            repeat_hazard: 0.25 / 50.0,
            leave_hazard: 0.75 / 50.0,
            late_penalty: 0.5,
            base: 0.0,
        };
        // 85 satisfied, a fifth of them late, half of those put off: 85 × 0.9.
        b.update(0, &delivery(100, 10, 5), 0.2);
        assert!((b.base - 76.5).abs() < 1e-12);
        b.update(1, &delivery(0, 0, 0), 0.0);
        assert!((b.base - (76.5 * 0.985 - 1.0)).abs() < 1e-12);
        // More returns and complaints than deliveries cannot make the base shrink.
        let before = b.base;
        b.update(0, &delivery(3, 3, 3), 0.0);
        assert!((b.base - before * 0.985).abs() < 1e-12);
        // An empty base orders nothing.
        let empty = Buyers { base: 0.0, ..b };
        assert_eq!(empty.repeat_orders(&SharedDraws::new(1, 2, 5), 3), 0);
    }
}
