//! A new self-operated shop's probation (issue 8, point 7): it is paid later
//! (`cash.probation_settlement_days` after delivery) and, where the market has order caps
//! (`data/penalties.toml`), may take only so many orders a day, until it has sold for
//! `cash.probation_min_days` and delivered `cash.probation_min_orders`.

use crate::params::penalties::ProbationCaps;
use crate::params::{Model, P};
use crate::sim::inputs::TrialInputs;

/// A trial's probation.
pub(super) struct Probation {
    settlement_days: usize,
    min_days: usize,
    min_orders: u64,
    caps: Option<&'static ProbationCaps>,
    delivered: u64,
    /// First day (1-based) out of probation; NaN while in it.
    end_day: f64,
}

impl Probation {
    pub fn new(v: &TrialInputs, model: Model, caps: Option<&'static ProbationCaps>) -> Probation {
        let (min_days, min_orders) = if model == Model::SelfOperated {
            (
                v[P::ProbationMinDays] as usize,
                v[P::ProbationMinOrders] as u64,
            )
        } else {
            (0, 0)
        };
        Probation {
            settlement_days: v[P::ProbationSettlementDays] as usize,
            min_days,
            min_orders,
            caps,
            delivered: 0,
            end_day: if min_days == 0 && min_orders == 0 {
                1.0
            } else {
                f64::NAN
            },
        }
    }

    /// Starts `day` (0-based): whether the shop is still in probation. It leaves on the
    /// first day that is at least `min_days` after it started and follows a day with
    /// `min_orders` delivered.
    pub fn start_day(&mut self, day: usize) -> bool {
        if !self.end_day.is_nan() {
            return false;
        }
        if day >= self.min_days && self.delivered >= self.min_orders {
            self.end_day = (day + 1) as f64;
            return false;
        }
        true
    }

    /// The settlement days of a shop in probation.
    pub fn settlement_days(&self) -> usize {
        self.settlement_days
    }

    /// The most orders a shop in probation may take on `day` (its tier's cap; no cap
    /// where the market has none).
    pub fn order_cap(&self, day: usize) -> u64 {
        self.caps.map_or(u64::MAX, |c| c.cap(day, self.delivered))
    }

    /// Counts the day's delivered orders towards the tiers and graduation.
    pub fn record(&mut self, delivered: u64) {
        self.delivered += delivered;
    }

    /// The first day (1-based) out of probation: 1 when there was none (fully managed, or
    /// an established shop), NaN when the shop is still in it at the end.
    pub fn end_day(&self) -> f64 {
        self.end_day
    }
}
