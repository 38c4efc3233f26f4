//! Performance penalties (issue 8, point 5): a self-operated shop that dispatches too many
//! orders late has its daily orders capped (`data/penalties.toml`). The late-dispatch
//! share and the average daily orders are taken over a rolling window; every `step_days`
//! over the threshold moves the cap one tier down; back under it, the cap is lifted. The
//! share is judged only over full windows (from the window's last day on), so a handful
//! of a new shop's first orders cannot trigger it (an assumption: the source gives no
//! minimum).

use super::draws::Chance;
use super::shared::SharedDraws;
use crate::params::penalties::LateDispatchPenalty;
use crate::params::P;
use crate::sim::inputs::TrialInputs;
use crate::sim::rng::Purpose;

/// A trial's late-dispatch record and the cap it earns.
pub(super) struct DispatchPenalty {
    terms: Option<&'static LateDispatchPenalty>,
    /// Probability that an order is dispatched late.
    late_dispatch: Chance,
    /// Orders sold and dispatched late on each day of the window, by `day % window`.
    sold: Vec<u64>,
    late: Vec<u64>,
    sold_sum: u64,
    late_sum: u64,
    days_recorded: usize,
    /// Consecutive days over the threshold.
    days_over: usize,
}

impl DispatchPenalty {
    pub fn new(v: &TrialInputs, terms: Option<&'static LateDispatchPenalty>) -> DispatchPenalty {
        let window = terms.map_or(0, |t| t.window_days);
        DispatchPenalty {
            terms,
            late_dispatch: Chance::new(v[P::LateDispatchRate]),
            sold: vec![0; window],
            late: vec![0; window],
            sold_sum: 0,
            late_sum: 0,
            days_recorded: 0,
            days_over: 0,
        }
    }

    /// The most orders the shop may take today: a share of its average daily orders over
    /// the window, by how long it has been over the threshold; `u64::MAX` without a cap.
    pub fn cap(&self) -> u64 {
        let Some(t) = self.terms else {
            return u64::MAX;
        };
        if self.days_over == 0 {
            return u64::MAX;
        }
        let tier = ((self.days_over - 1) / t.step_days).min(t.caps.len() - 1);
        let average = self.sold_sum as f64 / t.window_days as f64;
        (t.caps[tier] * average).floor() as u64
    }

    /// Records the day's sales: draws how many were dispatched late (from the day's own
    /// stream) and updates the window and the days over the threshold.
    pub fn record(&mut self, shared: &SharedDraws, day: usize, sold: u64) {
        let Some(t) = self.terms else { return };
        // No sales or no late rate draw 0 without touching the stream.
        let late = self
            .late_dispatch
            .draw(&mut shared.stream(Purpose::Dispatch, day), sold);
        let slot = day % t.window_days;
        self.sold_sum = self.sold_sum - self.sold[slot] + sold;
        self.late_sum = self.late_sum - self.late[slot] + late;
        self.sold[slot] = sold;
        self.late[slot] = late;
        self.days_recorded += 1;
        let full_window = self.days_recorded >= t.window_days;
        let over = full_window
            && self.sold_sum > 0
            && self.late_sum as f64 >= t.threshold * self.sold_sum as f64;
        self.days_over = if over { self.days_over + 1 } else { 0 };
    }
}
