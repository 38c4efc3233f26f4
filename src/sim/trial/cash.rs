//! Cash (MODEL.md section 7): costs leave when incurred and goods when bought; the day's
//! takings (net of platform fees) arrive `settlement_days` after delivery, spread over the
//! delivery delays in proportion to their probabilities.

use super::money::DayMoney;
use super::regimes::DelayRegime;
use crate::params::P;
use crate::sim::inputs::TrialInputs;

/// The cash position over one trial.
pub(super) struct CashFlow {
    settlement_days: usize,
    /// Payouts due on each day of the horizon (later ones fall outside it).
    payouts: Vec<f64>,
    cash: f64,
    lowest: f64,
}

impl CashFlow {
    pub fn new(v: &TrialInputs, horizon: usize) -> CashFlow {
        CashFlow {
            settlement_days: v[P::SettlementDays] as usize,
            payouts: vec![0.0; horizon],
            cash: 0.0,
            lowest: 0.0,
        }
    }

    /// Books `day`'s money: schedules its payout and pays its costs; returns the cash
    /// position at the end of the day.
    pub fn day(&mut self, day: usize, money: &DayMoney, delays: &DelayRegime) -> f64 {
        let payable = money.net_revenue - money.fees;
        if payable != 0.0 {
            for bin in delays.first..=delays.last {
                let when = day + bin + self.settlement_days;
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
}
