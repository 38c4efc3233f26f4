//! Performance penalties: a self-operated shop that dispatches too many orders late has its
//! daily orders capped (`data/penalties.toml`, DOMAIN December 2026 review, correction).
//! The late-dispatch rate is the share of the orders of the last `rate_days` days
//! dispatched late; while it is in a band (10-20%, 20-40%, ...) the shop may take at most
//! the band's share of its highest 28-day average of daily orders over the last 28 days;
//! once the rate is back under `lift_below` (4%) the cap is lifted, and between the two the
//! cap in force stays. Where the rule has them, each late order on a day in a band costs a
//! fee and the day's sales settle later. The rate is judged from the first full rate
//! window on, so a new shop's first few orders cannot trigger it (an assumption: the
//! sources give no minimum); a window without orders counts as nothing late.

use super::draws::Chance;
use super::shared::SharedDraws;
use crate::params::penalties::LateDispatchPenalty;
use crate::params::P;
use crate::sim::inputs::TrialInputs;
use crate::sim::rng::Purpose;

/// What a day's dispatch brought.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct DispatchDay {
    /// Orders dispatched late.
    pub late: u64,
    /// The rule's fee on them (0 outside a band).
    pub fee: f64,
    /// The settlement days the day's sales are held to (a band's; `None`: the standard).
    pub settlement_days: Option<usize>,
}

/// The rule's record of a shop's dispatch: counts in, the cap out. No randomness, so the
/// rule can be checked exactly.
struct Record<'t> {
    terms: &'t LateDispatchPenalty,
    /// Orders sold and dispatched late on each of the last days, by `day % len`.
    sold: Vec<u64>,
    late: Vec<u64>,
    /// The 28-day average of each of the last `average_days` days, by `day % average_days`.
    averages: Vec<f64>,
    sold_in_rate_window: u64,
    late_in_rate_window: u64,
    sold_in_average_window: u64,
    days: usize,
    /// `days % len` and `days % average_days`.
    slot: usize,
    average_slot: usize,
    /// The cap in force, as a share of the highest average; `None`: no cap.
    cap_share: Option<f64>,
}

impl<'t> Record<'t> {
    fn new(terms: &'t LateDispatchPenalty) -> Record<'t> {
        let len = terms.rate_days.max(terms.average_days);
        Record {
            terms,
            sold: vec![0; len],
            late: vec![0; len],
            averages: vec![0.0; terms.average_days],
            sold_in_rate_window: 0,
            late_in_rate_window: 0,
            sold_in_average_window: 0,
            days: 0,
            slot: 0,
            average_slot: 0,
            cap_share: None,
        }
    }

    /// Adds a day's counts; returns whether the day's rate is in a band.
    fn add(&mut self, sold: u64, late: u64) -> bool {
        let t = self.terms;
        let len = self.sold.len();
        let n = self.days;
        // Today's slot, `n % len`, kept as a running index (a division a day less).
        let slot = self.slot;
        // The slot `days` back, `(n - days) % len` for n ≥ days (days ≤ len).
        let back = |days: usize| {
            if slot >= days {
                slot - days
            } else {
                slot + len - days
            }
        };
        // Days leaving the windows, read before today's slot is written.
        if n >= t.rate_days {
            let out = back(t.rate_days);
            self.sold_in_rate_window -= self.sold[out];
            self.late_in_rate_window -= self.late[out];
        }
        if n >= t.average_days {
            self.sold_in_average_window -= self.sold[back(t.average_days)];
        }
        self.sold[slot] = sold;
        self.late[slot] = late;
        self.sold_in_rate_window += sold;
        self.late_in_rate_window += late;
        self.sold_in_average_window += sold;
        self.days += 1;
        self.slot = if slot + 1 == len { 0 } else { slot + 1 };
        self.averages[self.average_slot] =
            self.sold_in_average_window as f64 / t.average_days as f64;
        self.average_slot = if self.average_slot + 1 == t.average_days {
            0
        } else {
            self.average_slot + 1
        };
        if self.days < t.rate_days {
            return false;
        }
        let rate = if self.sold_in_rate_window > 0 {
            self.late_in_rate_window as f64 / self.sold_in_rate_window as f64
        } else {
            0.0
        };
        let band = t.band_cap(rate);
        if band.is_some() {
            self.cap_share = band;
        } else if rate < t.lift_below {
            self.cap_share = None;
        }
        band.is_some()
    }

    /// The most orders the shop may take next: `u64::MAX` without a cap. The highest
    /// average of the last `average_days` days is looked up only while capped.
    fn cap(&self) -> u64 {
        self.cap_share.map_or(u64::MAX, |share| {
            let highest = self.averages.iter().copied().fold(0.0, f64::max);
            (share * highest).floor() as u64
        })
    }
}

/// A trial's late dispatches and the cap and charges they earn.
pub(super) struct DispatchPenalty<'t> {
    record: Option<Record<'t>>,
    /// Probability that an order is dispatched late.
    late_dispatch: Chance,
}

impl<'t> DispatchPenalty<'t> {
    pub fn new(v: &TrialInputs, terms: Option<&'t LateDispatchPenalty>) -> DispatchPenalty<'t> {
        DispatchPenalty {
            record: terms.map(Record::new),
            late_dispatch: Chance::new(v[P::LateDispatchRate]),
        }
    }

    /// The most orders the shop may take today; `u64::MAX` without a cap.
    pub fn cap(&self) -> u64 {
        self.record.as_ref().map_or(u64::MAX, Record::cap)
    }

    /// Records the day's sales: draws how many were dispatched late (from the day's own
    /// stream; only where a rule applies, so exempt routes draw nothing) and what they cost.
    pub fn record(&mut self, shared: &SharedDraws, day: usize, sold: u64) -> DispatchDay {
        let Some(record) = self.record.as_mut() else {
            return DispatchDay::default();
        };
        // No sales or no late rate draw 0 without touching the stream.
        let late = self
            .late_dispatch
            .draw(&mut shared.stream(Purpose::Dispatch, day), sold);
        let t = record.terms;
        if !record.add(sold, late) {
            return DispatchDay {
                late,
                ..DispatchDay::default()
            };
        }
        DispatchDay {
            late,
            fee: t.fee_per_late_order * late as f64,
            settlement_days: (t.settlement_days > 0).then_some(t.settlement_days),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::penalties::LateDispatchBand;

    fn us_rule() -> &'static LateDispatchPenalty {
        Box::leak(Box::new(LateDispatchPenalty {
            rate_days: 7,
            average_days: 28,
            bands: [(0.10, 0.5), (0.20, 0.3), (0.40, 0.2), (0.60, 0.1)]
                .map(|(from_rate, cap)| LateDispatchBand { from_rate, cap })
                .to_vec(),
            lift_below: 0.04,
            fee_per_late_order: 5.0,
            settlement_days: 31,
        }))
    }

    /// 28 days of 100 orders, none late: a highest average of 100.
    fn established() -> Record<'static> {
        let mut r = Record::new(us_rule());
        for _ in 0..28 {
            assert!(!r.add(100, 0));
        }
        assert_eq!(r.cap(), u64::MAX);
        r
    }

    #[test]
    fn the_cap_is_the_band_share_of_the_highest_average_at_each_band_edge() {
        // A week of 100 orders a day with `late` of them late each day: a rate of late%,
        // and an average that stays 100.
        for (late, cap) in [
            (9, u64::MAX),
            (10, 50),
            (19, 50),
            (20, 30),
            (39, 30),
            (40, 20),
            (59, 20),
            (60, 10),
            (100, 10),
        ] {
            let mut r = established();
            let in_band = (0..7).map(|_| r.add(100, late)).last().unwrap();
            assert_eq!(in_band, cap != u64::MAX, "{late}% late");
            assert_eq!(r.cap(), cap, "{late}% late");
        }
    }

    #[test]
    fn the_cap_holds_until_the_rate_is_under_four_percent_then_is_lifted() {
        let mut r = established();
        assert!(r.add(100, 100)); // 100 / 700 = 14.3%: capped at 50% of 100
        assert_eq!(r.cap(), 50);
        for _ in 0..6 {
            assert!(r.add(100, 0)); // the bad day is still in the week
            assert_eq!(r.cap(), 50);
        }
        // The bad day leaves; 30 late of the week's 700: 4.3%, under the bands but not
        // under 4%: the cap stays, with no fee or settlement hold (not in a band).
        assert!(!r.add(100, 30));
        assert_eq!(r.cap(), 50);
        for _ in 0..6 {
            assert!(!r.add(100, 0));
            assert_eq!(r.cap(), 50);
        }
        // The day with 30 late leaves: 0% late, lifted.
        assert!(!r.add(100, 0));
        assert_eq!(r.cap(), u64::MAX);
    }

    #[test]
    fn the_base_is_the_highest_average_so_capped_days_do_not_tighten_it_for_28_days() {
        let mut r = established();
        // Every order late from now on: the 60% band, 10% of the highest average (100).
        r.add(100, 100);
        for day in 0..27 {
            r.add(r.cap().min(100), r.cap().min(100));
            assert!(r.cap() >= 10, "day {day}: {}", r.cap());
        }
        // A week without orders counts as nothing late: the cap is lifted, no shut-down.
        let mut r = established();
        r.add(100, 100);
        for _ in 0..7 {
            r.add(0, 0);
        }
        assert_eq!(r.cap(), u64::MAX);
    }

    #[test]
    fn a_new_shop_is_judged_from_its_first_full_week() {
        let mut r = Record::new(us_rule());
        for day in 0..6 {
            assert!(!r.add(10, 10), "day {day}");
            assert_eq!(r.cap(), u64::MAX);
        }
        assert!(r.add(10, 10));
        // Average over 28 days: 70 / 28 = 2.5 a day; 10% of it floors to 0.
        assert_eq!(r.cap(), 0);
    }
}
