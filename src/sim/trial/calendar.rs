//! Which events are active on each day of the horizon.

use crate::params::Market;
use crate::sim::spec::EventSpec;

/// Which events are active on each day: days with the same set share a regime.
#[derive(Clone, Debug, PartialEq)]
pub struct Calendar {
    /// Regime of each day.
    pub day_regime: Vec<u16>,
    /// The events active in each regime.
    pub regimes: Vec<Vec<usize>>,
    /// Per event: the on-time rate a self-operated shop needs to join it, if any.
    pub min_on_time_rate: Vec<Option<f64>>,
    /// Per event: the shop performance score a self-operated shop needs to join it, if any.
    pub min_shop_score: Vec<Option<f64>>,
}

impl Calendar {
    /// The calendar of a variant selling in `market` (events of other markets are left out).
    pub fn new(events: &[EventSpec], horizon_days: usize, market: Market) -> Calendar {
        let mut regimes: Vec<Vec<usize>> = vec![Vec::new()];
        let day_regime = (0..horizon_days)
            .map(|day| {
                let active: Vec<usize> = (0..events.len())
                    .filter(|&e| events[e].covers(day) && events[e].applies_to(market))
                    .collect();
                let index = regimes
                    .iter()
                    .position(|r| *r == active)
                    .unwrap_or_else(|| {
                        regimes.push(active);
                        regimes.len() - 1
                    });
                index as u16
            })
            .collect();
        Calendar {
            day_regime,
            regimes,
            min_on_time_rate: events.iter().map(|e| e.min_on_time_rate()).collect(),
            min_shop_score: events.iter().map(|e| e.min_shop_score()).collect(),
        }
    }

    /// Days in the horizon.
    pub fn horizon(&self) -> usize {
        self.day_regime.len()
    }
}
