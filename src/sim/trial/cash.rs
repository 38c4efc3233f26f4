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
    /// position at the end of the day. `held_to`: the settlement days a shop is held to
    /// today (probation, late dispatch); never sooner than the standard ones.
    pub fn day(
        &mut self,
        day: usize,
        money: &DayMoney,
        delays: &DelayRegime,
        held_to: Option<usize>,
    ) -> f64 {
        let settlement = held_to.map_or(self.settlement_days, |d| d.max(self.settlement_days));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{parse, BUILT_IN, BUILT_IN_NAME};
    use crate::sim::inputs;

    /// A self-operated shop paid 7 days after delivery, every parcel delivered on day 3.
    fn cash_and_delays() -> (CashFlow, DelayRegime) {
        let s = parse(BUILT_IN, BUILT_IN_NAME, None).unwrap();
        let variant = &s.spec().variants()[0];
        let mut v = inputs::sample(variant, &[], 1, 0);
        for (p, x) in [
            (P::SettlementDays, 7.0),
            (P::ReserveShare, 0.0),
            (P::HandlingDays, 3.0),
            (P::TransitMedianDays, 0.0),
            (P::MaxDelayDays, 40.0),
        ] {
            v.values[p as usize] = x;
        }
        let none = vec![0.0; 41];
        let delays = DelayRegime::new(&v, 1.0, &none, &none, 0.0, 0.0);
        (CashFlow::new(&v, Model::SelfOperated, 60), delays)
    }

    fn sale(payable: f64) -> DayMoney {
        DayMoney {
            gmv: payable,
            net_revenue: payable,
            cogs: 0.0,
            fees: 0.0,
            logistics: 0.0,
            storage: 0.0,
            marketing: 0.0,
            affiliates: 0.0,
            fixed: 0.0,
            returns_cost: 0.0,
            taxes: 0.0,
            write_down: 0.0,
            profit: payable,
            paid_out: 0.0,
        }
    }

    /// The first day (0-based) a payout is due, and the total due.
    fn first_payout(cash: &CashFlow) -> (usize, f64) {
        let first = cash.payouts.iter().position(|&p| p > 0.0).unwrap();
        (first, cash.payouts.iter().sum())
    }

    #[test]
    fn a_hold_delays_the_payout_and_never_brings_it_forward() {
        let (mut standard, delays) = cash_and_delays();
        assert_eq!(delays.first, delays.last, "one delivery day");
        let delivered = delays.first;
        standard.day(0, &sale(100.0), &delays, None);
        assert_eq!(first_payout(&standard), (7 + delivered, 100.0));
        // Late dispatch in a band (or probation): 31 days after delivery.
        let (mut held, _) = cash_and_delays();
        held.day(0, &sale(100.0), &delays, Some(31));
        assert_eq!(first_payout(&held), (31 + delivered, 100.0));
        // A hold shorter than the standard settlement does not pay sooner.
        let (mut short, _) = cash_and_delays();
        short.day(0, &sale(100.0), &delays, Some(2));
        assert_eq!(first_payout(&short), (7 + delivered, 100.0));
    }
}
