//! Cash (MODEL.md section 7): costs leave when incurred and stock (at its landed cost) when bought; the day's
//! takings (net of platform fees) arrive `settlement_days` after delivery, spread over the
//! delivery delays in proportion to their probabilities (later while a new shop is in
//! probation: the caller passes the day's settlement days).

use super::money::DayMoney;
use super::regimes::DelayRegime;
use crate::params::{Model, P};
use crate::sim::inputs::TrialInputs;

/// The cash position over one trial.
pub(super) struct CashFlow {
    settlement_days: usize,
    /// Share of each payout held back, and for how long (self-operated rolling reserve).
    reserve_share: f64,
    reserve_days: usize,
    /// Payouts due on each day of the horizon (later ones fall outside it).
    payouts: Vec<f64>,
    cash: f64,
    lowest: f64,
}

impl CashFlow {
    pub fn new(v: &TrialInputs, model: Model, horizon: usize) -> CashFlow {
        let self_operated = model == Model::SelfOperated;
        CashFlow {
            settlement_days: v[P::SettlementDays] as usize,
            reserve_share: if self_operated {
                v[P::ReserveShare]
            } else {
                0.0
            },
            reserve_days: v[P::ReserveDays] as usize,
            payouts: vec![0.0; horizon],
            cash: 0.0,
            lowest: 0.0,
        }
    }

    /// Books `day`'s money: schedules its payout and pays its costs; returns the cash
    /// position at the end of the day. `probation_settlement`: the settlement days of a
    /// shop in probation today, which replace the standard ones.
    pub fn day(
        &mut self,
        day: usize,
        money: &DayMoney,
        delays: &DelayRegime,
        probation_settlement: Option<usize>,
    ) -> f64 {
        let settlement = probation_settlement.unwrap_or(self.settlement_days);
        let payable = money.net_revenue - money.fees;
        if payable != 0.0 {
            self.schedule(
                day + settlement,
                payable * (1.0 - self.reserve_share),
                delays,
            );
            if self.reserve_share > 0.0 {
                let released = day + settlement + self.reserve_days;
                self.schedule(released, payable * self.reserve_share, delays);
            }
        }
        self.cash += self.payouts[day] - money.paid_out;
        self.lowest = self.lowest.min(self.cash);
        self.cash
    }

    /// Pays `amount` out `from` days after each delivery delay, in proportion to the
    /// delays' probabilities (what falls after the horizon is not counted).
    fn schedule(&mut self, from: usize, amount: f64, delays: &DelayRegime) {
        let start = from + delays.first;
        if start >= self.payouts.len() {
            return;
        }
        // Slices, not indices: no bounds checks, so the loop vectorises (same sums).
        let due = &mut self.payouts[start..];
        let shares = &delays.pmf[delays.first..=delays.last];
        for (payout, share) in due.iter_mut().zip(shares) {
            *payout += amount * share;
        }
    }

    /// The deepest cash position of the trial (0 when cash never went below zero).
    pub fn lowest(&self) -> f64 {
        self.lowest
    }
}
