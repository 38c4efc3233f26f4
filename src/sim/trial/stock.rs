//! Stock held in a warehouse (MODEL.md section 4): receive due batches, sell what is on
//! hand, take back resellable returns, reorder by an (s, S) policy at the end of the day.

use rand::Rng;
use rand_distr::StandardNormal;

use crate::params::{Model, P};
use crate::sim::inputs::TrialInputs;
use crate::sim::rng::{stream, Purpose, StreamRng};

/// A variant's stock over one trial. Without stock (`inventory_enabled` off) every wanted
/// order is sold and nothing is bought ahead.
pub(super) struct Stock {
    enabled: bool,
    initial: u64,
    reorder_point: u64,
    order_up_to: u64,
    lead_time_days: f64,
    lead_time_sigma: f64,
    on_hand: u64,
    on_order: u64,
    /// Batches on their way: (arrival day, units).
    pending: Vec<(usize, u64)>,
    /// Units bought today before the day's sales (the opening stock) and after them (a
    /// reorder at the end of the day): paid when ordered. Each is one import entry.
    opening_today: u64,
    reordered_today: u64,
    rng: StreamRng,
}

impl Stock {
    /// A fully managed supplier stocks each of its listings by the policy; a
    /// self-operated shop its one product.
    pub fn new(v: &TrialInputs, model: Model, seed: u64, trial: u64) -> Stock {
        let listings = match model {
            Model::FullyManaged => v[P::ManagedListings] as u64,
            Model::SelfOperated => 1,
        };
        Stock {
            enabled: v[P::InventoryEnabled] >= 0.5,
            initial: v[P::InitialStock] as u64 * listings,
            reorder_point: v[P::ReorderPoint] as u64 * listings,
            order_up_to: v[P::OrderUpTo] as u64 * listings,
            lead_time_days: v[P::LeadTimeDays],
            lead_time_sigma: v[P::LeadTimeSigma],
            on_hand: 0,
            on_order: 0,
            pending: Vec::new(),
            opening_today: 0,
            reordered_today: 0,
            rng: stream(seed, trial, Purpose::Inventory, 0),
        }
    }

    /// Whether the variant holds stock at all.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Opens `day` (the first day buys the opening stock), receives the batches due and
    /// sells up to `wanted` units; returns the units sold.
    pub fn sell(&mut self, day: usize, wanted: u64) -> u64 {
        self.opening_today = 0;
        self.reordered_today = 0;
        if !self.enabled {
            return wanted;
        }
        if day == 0 {
            self.on_hand = self.initial;
            self.opening_today = self.on_hand;
        }
        let (on_hand, on_order) = (&mut self.on_hand, &mut self.on_order);
        self.pending.retain(|&(arrival, units)| {
            if arrival <= day {
                *on_hand += units;
                *on_order -= units;
                false
            } else {
                true
            }
        });
        let sold = wanted.min(self.on_hand);
        self.on_hand -= sold;
        sold
    }

    /// Buys nothing more (a delisted product): no reorder from now on.
    pub fn stop_buying(&mut self) {
        // Declined before the first day's sales: not even the opening stock is bought.
        self.initial = 0;
        self.order_up_to = 0;
        self.reorder_point = 0;
    }

    /// Puts resellable returns back on the shelf.
    pub fn put_back(&mut self, units: u64) {
        if self.enabled {
            self.on_hand += units;
        }
    }

    /// End of `day`: when the stock position is at or below the reorder point, orders up to
    /// the order-up-to level with a log-normal lead time of at least one day.
    pub fn reorder(&mut self, day: usize) {
        if !self.enabled {
            return;
        }
        let position = self.on_hand + self.on_order;
        if position <= self.reorder_point && self.order_up_to > position {
            let units = self.order_up_to - position;
            let z: f64 = self.rng.sample(StandardNormal);
            let lead = (self.lead_time_days * (self.lead_time_sigma * z).exp()).round();
            self.pending.push((day + (lead as usize).max(1), units));
            self.on_order += units;
            self.reordered_today = units;
        }
    }

    /// Units on the shelf at the end of the day (`None` without stock).
    pub fn on_hand(&self) -> Option<u64> {
        self.enabled.then_some(self.on_hand)
    }

    /// Units bought today before the day's sales (the opening stock on day 1).
    pub fn opening_today(&self) -> u64 {
        self.opening_today
    }

    /// Units reordered at the end of today.
    pub fn reordered_today(&self) -> u64 {
        self.reordered_today
    }
}
