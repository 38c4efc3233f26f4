//! Cash (MODEL.md section 7): costs leave when incurred and goods when bought; the day's
//! takings (net of platform fees) arrive `settlement_days` after delivery, spread over the
//! delivery delays in proportion to their probabilities. A new self-operated shop is paid
//! later while in probation (`probation_settlement_days`), until it has sold for
//! `probation_min_days` and delivered `probation_min_orders`.

use super::money::DayMoney;
use super::regimes::DelayRegime;
use crate::params::{Model, P};
use crate::sim::inputs::TrialInputs;

/// The cash position over one trial.
pub(super) struct CashFlow {
    settlement_days: usize,
    probation: Probation,
    /// Payouts due on each day of the horizon (later ones fall outside it).
    payouts: Vec<f64>,
    cash: f64,
    lowest: f64,
}

impl CashFlow {
    pub fn new(v: &TrialInputs, model: Model, horizon: usize) -> CashFlow {
        CashFlow {
            settlement_days: v[P::SettlementDays] as usize,
            probation: Probation::new(v, model),
            payouts: vec![0.0; horizon],
            cash: 0.0,
            lowest: 0.0,
        }
    }

    /// Books `day`'s money: schedules its payout and pays its costs; returns the cash
    /// position at the end of the day. `delivered` (the day's deliveries) counts towards
    /// leaving probation from the next day on.
    pub fn day(
        &mut self,
        day: usize,
        money: &DayMoney,
        delays: &DelayRegime,
        delivered: u64,
    ) -> f64 {
        let settlement = self
            .probation
            .settlement_days(day)
            .unwrap_or(self.settlement_days);
        self.probation.record(delivered);
        let payable = money.net_revenue - money.fees;
        if payable != 0.0 {
            for bin in delays.first..=delays.last {
                let when = day + bin + settlement;
                if when >= self.payouts.len() {
                    break;
                }
                self.payouts[when] += payable * delays.pmf[bin];
            }
        }
        self.cash += self.payouts[day]
            - money.goods_paid
            - (money.logistics + money.marketing + money.fixed + money.returns_cost + money.taxes);
        self.lowest = self.lowest.min(self.cash);
        self.cash
    }

    /// The deepest cash position of the trial (0 when cash never went below zero).
    pub fn lowest(&self) -> f64 {
        self.lowest
    }

    /// The first day (1-based) out of probation: 1 when there was none (fully managed, or
    /// an established shop), NaN when the shop is still in it at the end.
    pub fn probation_end_day(&self) -> f64 {
        self.probation.end_day
    }
}

/// A new self-operated shop's probation: longer settlement until it has sold for a
/// minimum number of days and delivered a minimum number of orders.
struct Probation {
    settlement_days: usize,
    min_days: usize,
    min_orders: u64,
    delivered: u64,
    /// First day (1-based) out of probation; NaN while in it.
    end_day: f64,
}

impl Probation {
    fn new(v: &TrialInputs, model: Model) -> Probation {
        let applies = model == Model::SelfOperated;
        let (min_days, min_orders) = if applies {
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
            delivered: 0,
            end_day: if min_days == 0 && min_orders == 0 {
                1.0
            } else {
                f64::NAN
            },
        }
    }

    /// The settlement days of `day` (0-based) while in probation; `None` once out of it.
    /// A shop leaves probation on the first day that is at least `min_days` after it
    /// started and follows a day with `min_orders` delivered.
    fn settlement_days(&mut self, day: usize) -> Option<usize> {
        if !self.end_day.is_nan() {
            return None;
        }
        if day >= self.min_days && self.delivered >= self.min_orders {
            self.end_day = (day + 1) as f64;
            return None;
        }
        Some(self.settlement_days)
    }

    fn record(&mut self, delivered: u64) {
        self.delivered += delivered;
    }
}
