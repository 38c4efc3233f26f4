//! What the simulator needs to know about a study: validated values only, no files.

use crate::params::{Dist, Market, Resolved, Setting};

/// The multipliers a peak event applies for its days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum EventFactor {
    /// Scales expected orders.
    Demand,
    /// Scales transit times (carriers congest).
    Delay,
    /// Divides the ads' return (the same spend buys fewer views).
    AdCost,
    /// Scales the fully managed supply price (the platform's promotion cuts).
    SupplyPrice,
    /// Scales the lost-parcel rate.
    Lost,
}

impl EventFactor {
    pub const ALL: [EventFactor; 5] = [
        EventFactor::Demand,
        EventFactor::Delay,
        EventFactor::AdCost,
        EventFactor::SupplyPrice,
        EventFactor::Lost,
    ];

    /// The key in a scenario file.
    pub fn key(self) -> &'static str {
        match self {
            EventFactor::Demand => "demand_multiplier",
            EventFactor::Delay => "delay_multiplier",
            EventFactor::AdCost => "ad_cost_multiplier",
            EventFactor::SupplyPrice => "supply_price_multiplier",
            EventFactor::Lost => "lost_multiplier",
        }
    }
}

/// A peak event over days `start_day..=end_day` (0-based here; files count from 1).
#[derive(Clone, Debug, PartialEq)]
pub struct EventSpec {
    pub name: String,
    pub start_day: usize,
    pub end_day: usize,
    /// Indexed by [`EventFactor`].
    pub multipliers: [Dist; 5],
    /// Markets the event happens in; empty means every market.
    pub markets: Vec<Market>,
}

impl EventSpec {
    pub fn covers(&self, day: usize) -> bool {
        (self.start_day..=self.end_day).contains(&day)
    }

    /// Whether the event touches a variant selling in `market`.
    pub fn applies_to(&self, market: Market) -> bool {
        self.markets.is_empty() || self.markets.contains(&market)
    }
}

/// One option to compare: a model, a loop type and its resolved parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantSpec {
    pub name: String,
    pub setting: Setting,
    pub params: Resolved,
}

/// A study: the variants simulated on common random numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct StudySpec {
    pub name: String,
    pub seed: u64,
    pub trials: u64,
    pub horizon_days: usize,
    pub events: Vec<EventSpec>,
    pub variants: Vec<VariantSpec>,
}
