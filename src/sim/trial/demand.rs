//! Demand: expected daily orders (MODEL.md section 2) and the day's draws around them.

use rand::Rng;
use rand_distr::{Distribution, Gamma, StandardNormal};

use super::draws::{poisson, Powers};
use super::regimes::Regime;
use super::shared::{DemandStart, DrawKey, SharedDraws};
use crate::params::{Model, P};
use crate::sim::inputs::TrialInputs;
use crate::sim::rng::{Purpose, StreamRng};

/// The most orders a day's demand may expect. Every count the simulation keeps (orders,
/// parcels, units) is an integer summed over at most [`crate::scenario::MAX_HORIZON_DAYS`]
/// days into `f64` totals, which are exact below 2^53 ≈ 9·10^15: 10^9 a day over ten
/// years stays a thousand times below that. Far above any real shop (the largest sell
/// millions a day), so a day that expects more comes from inputs multiplied past sense
/// (overlapping ×100 events over a large base) and its trial is refused, not saturated.
pub const MAX_DAILY_ORDERS: f64 = 1e9;

/// Expected daily orders (MODEL.md section 2), with everything that is fixed for the
/// trial worked out once, so a day costs a few multiplications and no `pow`.
#[derive(Clone, Debug)]
pub struct DemandModel {
    managed_orders: Option<f64>,
    early_accounts_orders: f64,
    later_accounts_orders: f64,
    inspection_days: usize,
    orders_per_live: f64,
    ad_spend_over_price: f64,
    roas: f64,
    early_ad_efficiency: f64,
    positioning_days: usize,
    price_factor: f64,
    ramp_days: f64,
    route_factor: f64,
    /// Freshness kept per day without a refresh: 0.5^(1/half-life); 1 without decay.
    daily_decay: f64,
    /// Its powers, for the freshness at any age.
    decay_powers: Powers,
    refresh_every: usize,
}

impl DemandModel {
    /// The demand of a variant with operating `model`, from a trial's inputs.
    pub fn new(v: &TrialInputs, model: Model) -> DemandModel {
        let price = v[P::RetailPrice];
        let half_life = v[P::FreshnessHalfLife];
        let daily_decay = if half_life > 0.0 {
            0.5f64.powf(1.0 / half_life)
        } else {
            1.0
        };
        DemandModel {
            // The platform's traffic comes to each listing a supplier supplies.
            managed_orders: (model == Model::FullyManaged)
                .then_some(v[P::ManagedOrdersPerDay] * v[P::ManagedListings]),
            early_accounts_orders: v[P::OrdersPerAccountDay],
            later_accounts_orders: (1.0 + v[P::ChannelAccounts]) * v[P::OrdersPerAccountDay],
            inspection_days: v[P::InspectionDays] as usize,
            orders_per_live: v[P::OrdersPerLive],
            ad_spend_over_price: v[P::AdSpendPerDay] / price,
            roas: v[P::Roas],
            early_ad_efficiency: v[P::EarlyAdEfficiency],
            positioning_days: v[P::PositioningDays] as usize,
            price_factor: (price / v[P::ReferencePrice]).powf(-v[P::PriceElasticity]),
            ramp_days: v[P::RampDays],
            route_factor: v[P::RouteFactor],
            daily_decay,
            decay_powers: Powers::new(daily_decay),
            refresh_every: v[P::RefreshEveryDays] as usize,
        }
    }

    /// Product freshness on `day` (0-based): decays from the last refresh.
    #[inline]
    pub fn freshness(&self, day: usize) -> f64 {
        if self.daily_decay == 1.0 {
            return 1.0;
        }
        let age = if self.refresh_every > 0 {
            day % self.refresh_every
        } else {
            day
        };
        self.decay_powers.powi(age.min(i32::MAX as usize) as u32)
    }

    /// Expected orders on `day` (0-based) before over-dispersion, given the day's event
    /// multipliers and whether it has a live stream.
    #[inline]
    pub fn expected(
        &self,
        day: usize,
        demand_multiplier: f64,
        ad_cost_multiplier: f64,
        live: bool,
    ) -> f64 {
        self.expected_with_content_share(day, demand_multiplier, ad_cost_multiplier, live)
            .0
    }

    /// [`DemandModel::expected`], and the share of it the shop's content brings (its
    /// accounts' organic orders, where creators sell too) rather than its ads or live
    /// streams: the orders creators can be paid on. 1 for fully managed (unused).
    #[inline]
    pub fn expected_with_content_share(
        &self,
        day: usize,
        demand_multiplier: f64,
        ad_cost_multiplier: f64,
        live: bool,
    ) -> (f64, f64) {
        // Past the ramp the quotient is at least 1 (division rounds monotonically), so the
        // division is skipped: the same 1.0 either way.
        let days_in = (day + 1) as f64;
        let ramp = if self.ramp_days <= 0.0 || days_in >= self.ramp_days {
            1.0
        } else {
            (days_in / self.ramp_days).min(1.0)
        };
        let m = ramp * demand_multiplier * self.route_factor * self.freshness(day);
        if let Some(managed) = self.managed_orders {
            return (managed * m, 1.0);
        }
        let organic = if day < self.inspection_days {
            self.early_accounts_orders
        } else {
            self.later_accounts_orders
        };
        // x / 1 is x: most days have no event on ad costs.
        let mut roas = if ad_cost_multiplier == 1.0 {
            self.roas
        } else {
            self.roas / ad_cost_multiplier
        };
        if day < self.positioning_days {
            roas *= self.early_ad_efficiency;
        }
        let lives = if live { self.orders_per_live } else { 0.0 };
        let all = organic + lives + self.ad_spend_over_price * roas;
        let content_share = if all > 0.0 { organic / all } else { 1.0 };
        (all * self.price_factor * m, content_share)
    }
}

/// Expected orders of one day (see [`DemandModel::expected`]).
pub fn expected_orders(
    v: &TrialInputs,
    model: Model,
    day: usize,
    demand_multiplier: f64,
    ad_cost_multiplier: f64,
    live: bool,
) -> f64 {
    DemandModel::new(v, model).expected(day, demand_multiplier, ad_cost_multiplier, live)
}

/// What buyers want on one day.
pub(super) struct DayDemand {
    /// Orders buyers place (before stock limits them), repeat orders included.
    pub wanted: u64,
    /// Of which repeat orders from the shop's buyer base.
    pub repeat: u64,
    /// Of which turned away by a late-dispatch order cap.
    pub capped: u64,
    /// The day expected more than [`MAX_DAILY_ORDERS`]: its counts are not drawn (0) and
    /// the trial is refused.
    pub beyond_bounds: bool,
    /// Whether the day has a live stream (self-operated only).
    pub live: bool,
    /// Share of the day's first orders the shop's content brought (not its ads or live
    /// streams): where creators are paid.
    pub content_share: f64,
}

impl DayDemand {
    /// Share of the day's orders creators are paid on: the first orders content brought
    /// (repeat orders come back to the shop on their own).
    pub fn creator_order_share(&self) -> f64 {
        if self.wanted > 0 {
            self.content_share * (1.0 - self.repeat as f64 / self.wanted as f64)
        } else {
            0.0
        }
    }
}

/// The day's demand draws: a live stream or not, the over-dispersion noise, the orders.
pub(super) struct DemandDraws {
    model: DemandModel,
    /// Gamma(1/cv², cv²) noise of mean 1; `None` without over-dispersion.
    noise: Option<Gamma<f64>>,
    /// What the day's live draw and noise depend on besides the stream: the noise's cv.
    noise_key: DrawKey,
    live_probability: f64,
    self_operated: bool,
    viral: Viral,
    /// Whether the trial's shared draws ([`SharedDraws`]) hold this variant's live draws
    /// and noise, and its viral multipliers (see [`DemandDraws::share`]).
    shared_demand: bool,
    shared_viral: bool,
}

/// Viral spikes: on a day that goes viral (probability `rate`), demand is multiplied by a
/// log-normal draw of median `median` and log-sd `sigma`.
struct Viral {
    rate: f64,
    median: f64,
    sigma: f64,
}

impl Viral {
    /// What the multipliers depend on besides the stream.
    fn key(&self) -> DrawKey {
        [self.rate, self.median, self.sigma].map(f64::to_bits)
    }

    /// A day's multiplier, from the day's viral stream `rng`: every variant of a trial
    /// sees the same viral days (as it sees the same demand noise), whatever its
    /// parameters.
    fn multiplier(&self, mut rng: StreamRng) -> f64 {
        if self.rate <= 0.0 {
            return 1.0;
        }
        let u: f64 = rng.random();
        if u >= self.rate {
            return 1.0;
        }
        let z: f64 = StandardNormal.sample(&mut rng);
        self.median * (self.sigma * z).exp()
    }
}

impl DemandDraws {
    pub fn new(v: &TrialInputs, model: Model) -> DemandDraws {
        let cv = v[P::DailyCv];
        DemandDraws {
            model: DemandModel::new(v, model),
            noise: (cv > 0.0)
                .then(|| Gamma::new(1.0 / (cv * cv), cv * cv).ok())
                .flatten(),
            noise_key: [cv.to_bits(), 0, 0],
            live_probability: v[P::LivesPerWeek] / 7.0,
            self_operated: model == Model::SelfOperated,
            viral: Viral {
                rate: v[P::ViralRate],
                median: v[P::ViralMedian],
                sigma: v[P::ViralSigma],
            },
            shared_demand: false,
            shared_viral: false,
        }
    }

    /// Takes the trial's shared live draws, noise and viral multipliers where they are
    /// this variant's (the first variant of a trial draws them for the others).
    /// `horizon` is the variant's.
    pub fn share(&mut self, shared: &mut SharedDraws, horizon: usize) {
        self.shared_demand = shared.share_demand(horizon, self.noise_key, |rng| self.start(rng));
        let viral_key = self.viral.key();
        self.shared_viral =
            shared.share_viral(horizon, viral_key, |rng| self.viral.multiplier(rng));
    }

    /// The draws at the start of a day's demand stream `rng`: the live draw, then the
    /// noise.
    fn start(&self, mut rng: StreamRng) -> DemandStart {
        let live_draw: f64 = rng.random();
        let noise = self.noise.map_or(1.0, |g| g.sample(&mut rng));
        DemandStart {
            live_draw,
            noise,
            rng,
        }
    }

    /// Draws `day`'s demand from its own stream: the live draw, then the noise, then the
    /// orders, always in this order and for every model, so that variants stay aligned on
    /// the day's stream (common random numbers).
    #[inline]
    pub fn day(&self, shared: &SharedDraws, day: usize, regime: &Regime) -> DayDemand {
        let DemandStart {
            live_draw,
            noise,
            mut rng,
        } = if self.shared_demand {
            shared.demand(day).clone()
        } else {
            self.start(shared.stream(Purpose::Demand, day))
        };
        let live = self.self_operated && live_draw < self.live_probability;
        let viral = if self.shared_viral {
            shared.viral(day)
        } else {
            self.viral.multiplier(shared.stream(Purpose::Viral, day))
        };
        let (expected, content_share) =
            self.model
                .expected_with_content_share(day, regime.demand, regime.ad_cost, live);
        let mean = expected * viral * noise;
        let beyond_bounds = mean.is_nan() || mean > MAX_DAILY_ORDERS;
        DayDemand {
            wanted: if beyond_bounds {
                0
            } else {
                poisson(&mut rng, mean)
            },
            repeat: 0,
            capped: 0,
            live,
            beyond_bounds,
            content_share,
        }
    }
}
