//! Delivery (MODEL.md section 5): lost parcels, delays, returns, complaints, and which
//! returns go back on the shelf.

use super::draws::binomial;
use super::regimes::{Regime, TrialRegimes};
use super::DrawMethod;
use crate::params::P;
use crate::sim::inputs::TrialInputs;
use crate::sim::rng::{stream, Purpose};

/// What happened to one day's sold parcels.
pub(super) struct DayDelivery {
    pub lost: u64,
    pub delivered: u64,
    pub returned: u64,
    /// Complaints of delivered parcels plus one per lost parcel.
    pub complained: u64,
    /// Returned units fit to sell again.
    pub resold: u64,
}

/// A trial's deliveries: the delay histogram and, with [`DrawMethod::PerDay`], the
/// deliveries per delay regime whose histogram is drawn at the end of the trial.
pub(super) struct Deliveries {
    method: DrawMethod,
    resellable_fraction: f64,
    histogram: Vec<u64>,
    delivered_by_delay: Vec<u64>,
}

impl Deliveries {
    pub fn new(method: DrawMethod, regimes: &TrialRegimes, v: &TrialInputs) -> Deliveries {
        Deliveries {
            method,
            resellable_fraction: v[P::ResellableFraction],
            histogram: vec![0; v[P::MaxDelayDays] as usize + 1],
            delivered_by_delay: vec![0; regimes.delays.len()],
        }
    }

    /// Draws the fate of `sold` parcels of `day`: losses and delays from the day's
    /// logistics stream, returns and complaints from its returns stream.
    pub fn day(
        &mut self,
        seed: u64,
        trial: u64,
        day: usize,
        sold: u64,
        regime: &Regime,
        regimes: &TrialRegimes,
    ) -> DayDelivery {
        let delays = &regimes.delays[regime.delay];
        let mut logistics_rng = stream(seed, trial, Purpose::Logistics, day as u64);
        let lost = binomial(&mut logistics_rng, sold, regime.lost_rate);
        let delivered = sold - lost;
        let mut returns_rng = stream(seed, trial, Purpose::Returns, day as u64);
        let (returned, complained) = match self.method {
            DrawMethod::PerDay => {
                self.delivered_by_delay[regime.delay] += delivered;
                (
                    binomial(&mut returns_rng, delivered, delays.mean_return),
                    binomial(&mut returns_rng, delivered, delays.mean_complaint),
                )
            }
            DrawMethod::PerBin => {
                let histogram = &mut self.histogram;
                let (mut returned, mut complained) = (0, 0);
                delays.split_over_bins(&mut logistics_rng, delivered, |bin, n| {
                    histogram[bin] += n;
                    returned += binomial(&mut returns_rng, n, regimes.return_by_delay[bin]);
                    complained += binomial(&mut returns_rng, n, regimes.complaint_by_delay[bin]);
                });
                (returned, complained)
            }
        };
        let resold = binomial(&mut returns_rng, returned, self.resellable_fraction);
        DayDelivery {
            lost,
            delivered,
            returned,
            // Every lost parcel is a complaint too ("where is my parcel"), besides its refund.
            complained: complained + lost,
            resold,
        }
    }

    /// The trial's delay histogram (parcels by days from order to delivery). With
    /// [`DrawMethod::PerDay`] it is drawn here: one multinomial per delay regime, each from
    /// its own logistics stream numbered after the horizon's days.
    pub fn histogram(
        mut self,
        seed: u64,
        trial: u64,
        horizon: usize,
        regimes: &TrialRegimes,
    ) -> Vec<u64> {
        if self.method == DrawMethod::PerDay {
            for (r, d) in regimes.delays.iter().enumerate() {
                let mut rng = stream(seed, trial, Purpose::Logistics, (horizon + r) as u64);
                let histogram = &mut self.histogram;
                d.split_over_bins(&mut rng, self.delivered_by_delay[r], |bin, n| {
                    histogram[bin] += n
                });
            }
        }
        self.histogram
    }
}
