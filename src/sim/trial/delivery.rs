//! Delivery (MODEL.md section 5): lost parcels, delays, returns, complaints, and which
//! returns go back on the shelf.

use super::draws::{binomial, Chance};
use super::regimes::{share, Regime, TrialRegimes};
use super::shared::SharedDraws;
use super::DrawMethod;
use crate::params::P;
use crate::sim::inputs::TrialInputs;
use crate::sim::rng::{stream, Purpose};

/// What happened to one day's sold parcels.
pub(super) struct DayDelivery {
    pub lost: u64,
    pub delivered: u64,
    pub returned: u64,
    /// Of the returns, the parcels refused at the door (cash on delivery, self-operated):
    /// the seller's fault, never resold.
    pub refused: u64,
    /// Of the other returns, those for a change of mind (not the seller's fault); counted
    /// only where a platform rule makes them cost less (otherwise 0, as if all were at
    /// fault).
    pub changed_mind: u64,
    /// Whether today's returns are refunded without the item coming back.
    pub returnless: bool,
    /// Complaints of delivered parcels plus one per lost parcel.
    pub complained: u64,
    /// Returned units fit to sell again (never a refused one).
    pub resold: u64,
}

/// A trial's deliveries: the delay histogram and, with [`DrawMethod::PerDay`], the
/// deliveries per delay regime whose histogram is drawn at the end of the trial.
pub(super) struct Deliveries {
    method: DrawMethod,
    /// A returned unit's probability of being fit to sell again.
    resellable: Chance,
    /// Whether returns are split into change of mind and at fault (a self-operated shop
    /// where a platform rule treats them differently).
    split_returns: bool,
    /// A self-operated shop's retail price and the price at or under which returns are
    /// refunded without the item (0: never; fully managed: never).
    retail_price: f64,
    returnless_max_price: f64,
    histogram: Vec<u64>,
    delivered_by_delay: Vec<u64>,
}

impl Deliveries {
    pub fn new(
        method: DrawMethod,
        regimes: &TrialRegimes,
        v: &TrialInputs,
        self_operated: bool,
    ) -> Deliveries {
        let returnless_max_price = if self_operated {
            v[P::RefundWithoutReturnMaxPrice]
        } else {
            0.0
        };
        Deliveries {
            method,
            resellable: Chance::new(v[P::ResellableFraction]),
            split_returns: self_operated
                && (change_of_mind_shipping_share(v) != 1.0 || returnless_max_price > 0.0),
            retail_price: v[P::RetailPrice],
            returnless_max_price,
            histogram: vec![0; v[P::MaxDelayDays] as usize + 1],
            delivered_by_delay: vec![0; regimes.delays.len()],
        }
    }

    /// Draws the fate of `sold` parcels of `day`: losses and delays from the day's
    /// logistics stream, returns and complaints from its returns stream.
    pub fn day(
        &mut self,
        shared: &SharedDraws,
        day: usize,
        sold: u64,
        regime: &Regime,
        regimes: &TrialRegimes,
    ) -> DayDelivery {
        let delays = &regimes.delays[regime.delay];
        let mut logistics_rng = shared.stream(Purpose::Logistics, day);
        let lost = regime.lost.draw(&mut logistics_rng, sold);
        let delivered = sold - lost;
        let mut returns_rng = shared.stream(Purpose::Returns, day);
        let split = self.split_returns;
        let change_of_mind = regimes.change_of_mind;
        // Refusals are drawn among the returns, and only where there are any (q > 0): a
        // study without cash on delivery draws exactly the numbers it drew before.
        let refusals = regimes.refusal > 0.0;
        let (returned, complained, refused, mut changed_mind) = match self.method {
            DrawMethod::PerDay => {
                self.delivered_by_delay[regime.delay] += delivered;
                let returned = delays.return_chance.draw(&mut returns_rng, delivered);
                let complained = delays.complaint_chance.draw(&mut returns_rng, delivered);
                // A return is a refusal with probability q / r̄ (refusals do not depend
                // on the delay).
                let refused = if refusals {
                    delays.refusal_chance.draw(&mut returns_rng, returned)
                } else {
                    0
                };
                (returned, complained, refused, 0)
            }
            DrawMethod::PerBin => {
                let histogram = &mut self.histogram;
                let (mut returned, mut complained, mut refused, mut changed_mind) = (0, 0, 0, 0);
                delays.split_over_bins(&mut logistics_rng, delivered, |bin, n| {
                    histogram[bin] += n;
                    let p_return = regimes.return_by_delay[bin];
                    let r = binomial(&mut returns_rng, n, p_return);
                    returned += r;
                    complained += binomial(&mut returns_rng, n, regimes.complaint_by_delay[bin]);
                    // Of the bin's returns, refusals with probability q / p(d); of the
                    // others, changes of mind with probability cm / r(d).
                    let f = if refusals {
                        binomial(&mut returns_rng, r, share(regimes.refusal, p_return))
                    } else {
                        0
                    };
                    refused += f;
                    if split {
                        let p_ordinary = regimes.ordinary_return_by_delay[bin];
                        changed_mind +=
                            binomial(&mut returns_rng, r - f, share(change_of_mind, p_ordinary));
                    }
                });
                (returned, complained, refused, changed_mind)
            }
        };
        // Items at or under the platform's price limit are refunded where they are: none
        // comes back to sell again. A refused parcel goes back to the origin and is written
        // off: only the other returns can go back on the shelf.
        let returnless =
            self.retail_price * regime.campaign_price_factor <= self.returnless_max_price;
        let resold = if returnless {
            0
        } else {
            self.resellable.draw(&mut returns_rng, returned - refused)
        };
        if split && self.method == DrawMethod::PerDay {
            // A return other than a refusal is a change of mind with probability (its part
            // of the return rate) / (the day's mean rate of such returns): the
            // change-of-mind rate is the same at every delay, the at-fault part grows with
            // lateness.
            changed_mind = delays
                .change_of_mind_chance
                .draw(&mut returns_rng, returned - refused);
        }
        DayDelivery {
            lost,
            delivered,
            returned,
            refused,
            changed_mind,
            returnless,
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
/// The seller's share of a change-of-mind return label: the market's split, or the
/// smaller share of a shop whose performance score reaches the platform's subsidy line
/// (US: 20% instead of 50% from a score of 4).
pub(super) fn change_of_mind_shipping_share(v: &TrialInputs) -> f64 {
    let share = v[P::ChangeOfMindShippingShare];
    if v[P::ShopPerformanceScore] >= v[P::TopShopMinScore] {
        share.min(v[P::TopShopShippingShare])
    } else {
        share
    }
}
