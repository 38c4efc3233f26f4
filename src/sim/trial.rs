//! One trial: a possible history of the horizon, day by day (MODEL.md sections 2-7).
//!
//! The work per day does not depend on the number of orders: every count is a Poisson,
//! gamma or binomial draw. Two exact ways of drawing a day's returns and complaints are
//! implemented ([`DrawMethod`]); `PerDay` is the default because it costs a fixed three
//! draws a day where `PerBin` costs about three per non-empty delay bin (see the `trials`
//! benchmark), and a test shows both give the same means.

use rand::Rng;
use rand_distr::{Binomial, Distribution, Gamma, Poisson, StandardNormal};

use super::delay::{self, late_days};
use super::inputs::TrialInputs;
use super::outputs::{Metric, Outputs};
use super::rng::{stream, Purpose, StreamRng};
use super::spec::{EventFactor, EventSpec, VariantSpec};
use crate::params::{LoopType, Market, Model, P};

/// How a day's returns, complaints and delays are drawn (MODEL.md "Implementation notes").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DrawMethod {
    /// Returns and complaints from the day's mean probabilities (three draws a day); the
    /// delay histogram is one multinomial draw per delay regime at the end of the trial.
    #[default]
    PerDay,
    /// Split each day's deliveries over the delay bins, then draw per bin: exact jointly.
    PerBin,
}

/// Which events are active on each day: days with the same set share a regime.
#[derive(Clone, Debug, PartialEq)]
pub struct Calendar {
    /// Regime of each day.
    pub day_regime: Vec<u16>,
    /// The events active in each regime.
    pub regimes: Vec<Vec<usize>>,
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
        }
    }
}

/// Where [`run`] writes a trial's paths: caller-owned slices (one value per day) and a
/// delivery-delay histogram the trial adds its parcels to (grown as needed).
pub struct DailyPaths<'a> {
    pub cumulative_profit: &'a mut [f32],
    pub cash: &'a mut [f32],
    pub delay_histogram: &'a mut Vec<u64>,
}

/// Everything about delivery that depends on a delay multiplier, computed once per trial.
struct DelayRegime {
    delay_multiplier: f64,
    pmf: Vec<f64>,
    /// First and last bins with mass.
    first: usize,
    last: usize,
    mean_return: f64,
    mean_complaint: f64,
}

/// The per-trial values of one event regime.
struct Regime {
    demand: f64,
    ad_cost: f64,
    supply_price: f64,
    lost_rate: f64,
    delay: usize,
}

#[inline]
fn binomial<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    if n == 0 || p <= 0.0 {
        0
    } else if p >= 1.0 {
        n
    } else {
        Binomial::new(n, p).map_or(0, |b| b.sample(rng))
    }
}

#[inline]
fn poisson<R: Rng + ?Sized>(rng: &mut R, mean: f64) -> u64 {
    if mean > 0.0 {
        Poisson::new(mean).map_or(0, |d: Poisson<f64>| d.sample(rng) as u64)
    } else {
        0
    }
}

/// Splits `parcels` over the delay bins: a multinomial draw as a chain of conditional
/// binomials, calling `each(bin, count)` for every bin that gets parcels.
fn split_over_bins<R: Rng + ?Sized>(
    rng: &mut R,
    parcels: u64,
    regime: &DelayRegime,
    mut each: impl FnMut(usize, u64),
) {
    let (mut left, mut mass_left) = (parcels, 1.0f64);
    for (bin, &p) in regime
        .pmf
        .iter()
        .enumerate()
        .take(regime.last + 1)
        .skip(regime.first)
    {
        if left == 0 {
            break;
        }
        let n = if bin == regime.last {
            left
        } else {
            binomial(rng, left, (p / mass_left).min(1.0))
        };
        mass_left -= p;
        left -= n;
        if n > 0 {
            each(bin, n);
        }
    }
}

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
    loop_factor: f64,
    /// Freshness kept per day without a refresh: 0.5^(1/half-life); 1 without decay.
    daily_decay: f64,
    refresh_every: usize,
}

impl DemandModel {
    pub fn new(v: &TrialInputs, model: Model, loop_type: LoopType) -> DemandModel {
        let price = v[P::RetailPrice];
        let half_life = v[P::FreshnessHalfLife];
        DemandModel {
            managed_orders: (model == Model::FullyManaged).then_some(v[P::ManagedOrdersPerDay]),
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
            loop_factor: match loop_type {
                LoopType::SemiClosed => v[P::SemiClosedFactor],
                LoopType::FullClosed => 1.0,
            },
            daily_decay: if half_life > 0.0 {
                0.5f64.powf(1.0 / half_life)
            } else {
                1.0
            },
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
        self.daily_decay.powi(age as i32)
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
        let ramp = if self.ramp_days <= 0.0 {
            1.0
        } else {
            ((day + 1) as f64 / self.ramp_days).min(1.0)
        };
        let m = ramp * demand_multiplier * self.loop_factor * self.freshness(day);
        if let Some(managed) = self.managed_orders {
            return managed * m;
        }
        let organic = if day < self.inspection_days {
            self.early_accounts_orders
        } else {
            self.later_accounts_orders
        };
        let mut roas = self.roas / ad_cost_multiplier;
        if day < self.positioning_days {
            roas *= self.early_ad_efficiency;
        }
        let lives = if live { self.orders_per_live } else { 0.0 };
        (organic + lives + self.ad_spend_over_price * roas) * self.price_factor * m
    }
}

/// Expected orders of one day (see [`DemandModel::expected`]).
pub fn expected_orders(
    v: &TrialInputs,
    model: Model,
    loop_type: LoopType,
    day: usize,
    demand_multiplier: f64,
    ad_cost_multiplier: f64,
    live: bool,
) -> f64 {
    DemandModel::new(v, model, loop_type).expected(day, demand_multiplier, ad_cost_multiplier, live)
}

/// Return and complaint probabilities by delay (MODEL.md section 5).
fn behaviour_by_delay(
    v: &TrialInputs,
    loop_type: LoopType,
    max_days: usize,
) -> (Vec<f64>, Vec<f64>) {
    let promise = v[P::PromiseDays] as usize;
    let loop_return = v[P::ReturnBaseRate] * v[P::ReturnLoopFactor];
    let untracked = match loop_type {
        LoopType::SemiClosed => v[P::UntrackedComplaintRate],
        LoopType::FullClosed => 0.0,
    };
    let complaint = v[P::ComplaintBaseRate] + untracked;
    (0..=max_days)
        .map(|d| {
            let late = late_days(d, promise);
            (
                (loop_return + v[P::ReturnLatePerDay] * late).min(1.0),
                (complaint + v[P::ComplaintLatePerDay] * late).min(1.0),
            )
        })
        .unzip()
}

/// Runs one trial and returns its outputs; the daily paths go into `daily`.
pub fn run(
    variant: &VariantSpec,
    calendar: &Calendar,
    v: &TrialInputs,
    seed: u64,
    trial: u64,
    method: DrawMethod,
    daily: DailyPaths<'_>,
) -> Outputs {
    let model = variant.setting.model;
    let loop_type = variant.setting.loop_type;
    let self_operated = model == Model::SelfOperated;
    let semi = loop_type == LoopType::SemiClosed;
    let horizon = calendar.day_regime.len();
    let max_delay = v[P::MaxDelayDays] as usize;
    let promise = v[P::PromiseDays] as usize;
    let settle = v[P::SettlementDays] as usize;

    // --- per-trial set-up: event regimes and their delay distributions ---------------
    let (return_by_delay, complaint_by_delay) = behaviour_by_delay(v, loop_type, max_delay);
    let mut delays: Vec<DelayRegime> = Vec::new();
    let regimes: Vec<Regime> = calendar
        .regimes
        .iter()
        .map(|active| {
            let mut f = [1.0; 5];
            for &e in active {
                for (k, m) in v.event_multipliers[e].iter().enumerate() {
                    f[k] *= m;
                }
            }
            let delay_multiplier = f[EventFactor::Delay as usize];
            let delay = delays
                .iter()
                .position(|d| d.delay_multiplier == delay_multiplier)
                .unwrap_or_else(|| {
                    let pmf = delay::pmf(
                        v[P::HandlingDays] as usize,
                        v[P::TransitMedianDays] * delay_multiplier,
                        v[P::TransitSigma],
                        max_delay,
                    );
                    let first = pmf.iter().position(|&p| p > 0.0).unwrap_or(0);
                    let last = pmf.iter().rposition(|&p| p > 0.0).unwrap_or(0);
                    delays.push(DelayRegime {
                        delay_multiplier,
                        mean_return: delay::expect(&pmf, |d| return_by_delay[d]),
                        mean_complaint: delay::expect(&pmf, |d| complaint_by_delay[d]),
                        pmf,
                        first,
                        last,
                    });
                    delays.len() - 1
                });
            Regime {
                demand: f[EventFactor::Demand as usize],
                ad_cost: f[EventFactor::AdCost as usize],
                supply_price: f[EventFactor::SupplyPrice as usize],
                lost_rate: (v[P::LostRate] * f[EventFactor::Lost as usize]).min(1.0),
                delay,
            }
        })
        .collect();

    // Deliveries per delay regime (per-day method: the histogram is drawn at the end).
    let mut delivered_by_delay = vec![0u64; delays.len()];
    let demand_noise = {
        let cv = v[P::DailyCv];
        (cv > 0.0)
            .then(|| Gamma::new(1.0 / (cv * cv), cv * cv).ok())
            .flatten()
    };
    let live_probability = v[P::LivesPerWeek] / 7.0;
    let demand = DemandModel::new(v, model, loop_type);

    // --- money set-up ------------------------------------------------------------------
    let price = v[P::RetailPrice];
    let unit_cost = v[P::UnitCost];
    let fee_rate = v[P::CommissionRate] + v[P::PaymentRate];
    let fixed_per_day = v[P::StaffCostPerDay]
        + v[P::ToolsCostPerDay]
        + if !self_operated {
            0.0
        } else if semi {
            v[P::ErpCostPerDay]
        } else {
            v[P::ProgrammeFeePerDay]
        };
    let tiers = &variant.params.tiers.tiers;
    let refresh_every = v[P::RefreshEveryDays] as usize;

    // --- stock -----------------------------------------------------------------------
    let inventory = v[P::InventoryEnabled] >= 0.5;
    let reorder_point = v[P::ReorderPoint] as u64;
    let order_up_to = v[P::OrderUpTo] as u64;
    let inbound = v[P::InboundCostPerUnit];
    let mut on_hand: u64 = 0;
    let mut on_order: u64 = 0;
    let mut pending: Vec<(usize, u64)> = Vec::new();
    let mut inventory_rng = stream(seed, trial, Purpose::Inventory, 0);

    // --- running state -----------------------------------------------------------------
    let mut out = Outputs([0.0; crate::sim::outputs::METRIC_COUNT]);
    let mut demanded: u64 = 0;
    let mut delivered_total: u64 = 0;
    let mut histogram = vec![0u64; max_delay + 1];
    let mut trailing = [0u64; 30];
    let mut trailing_sum: u64 = 0;
    let mut payouts = vec![0.0f64; horizon];
    let (mut cum_profit, mut cash, mut lowest_cash) = (0.0f64, 0.0f64, 0.0f64);
    let mut break_even = f64::NAN;

    for day in 0..horizon {
        let regime = &regimes[calendar.day_regime[day] as usize];
        let delays_here = &delays[regime.delay];

        // Demand: live draw, then the day's noise, then orders, always in this order so
        // that variants stay aligned on the day's stream (common random numbers).
        let mut demand_rng: StreamRng = stream(seed, trial, Purpose::Demand, day as u64);
        // Drawn for every model, so fully managed variants stay aligned with the others.
        let live_draw: f64 = demand_rng.random();
        let live = self_operated && live_draw < live_probability;
        let noise = demand_noise.map_or(1.0, |g| g.sample(&mut demand_rng));
        let lambda = demand.expected(day, regime.demand, regime.ad_cost, live);
        let wanted = poisson(&mut demand_rng, lambda * noise);
        demanded += wanted;

        // Stock: receive due batches, sell what is on hand.
        let mut bought_units: u64 = 0;
        let sold = if inventory {
            if day == 0 {
                on_hand = v[P::InitialStock] as u64;
                bought_units += on_hand;
            }
            pending.retain(|&(arrival, units)| {
                if arrival <= day {
                    on_hand += units;
                    on_order -= units;
                    false
                } else {
                    true
                }
            });
            let sold = wanted.min(on_hand);
            on_hand -= sold;
            sold
        } else {
            wanted
        };
        if sold < wanted {
            out[Metric::StockoutDays] += 1.0;
        }

        // Delivery, returns, complaints.
        let mut logistics_rng = stream(seed, trial, Purpose::Logistics, day as u64);
        let lost = binomial(&mut logistics_rng, sold, regime.lost_rate);
        let delivered = sold - lost;
        let mut returns_rng = stream(seed, trial, Purpose::Returns, day as u64);
        let (returned, complained) = match method {
            DrawMethod::PerDay => {
                delivered_by_delay[regime.delay] += delivered;
                (
                    binomial(&mut returns_rng, delivered, delays_here.mean_return),
                    binomial(&mut returns_rng, delivered, delays_here.mean_complaint),
                )
            }
            DrawMethod::PerBin => {
                let d = delays_here;
                let (mut returned, mut complained) = (0, 0);
                split_over_bins(&mut logistics_rng, delivered, d, |bin, n| {
                    histogram[bin] += n;
                    returned += binomial(&mut returns_rng, n, return_by_delay[bin]);
                    complained += binomial(&mut returns_rng, n, complaint_by_delay[bin]);
                });
                (returned, complained)
            }
        };
        let resold = binomial(&mut returns_rng, returned, v[P::ResellableFraction]);
        delivered_total += delivered;
        if inventory {
            on_hand += resold;
        }

        // Reorder (s, S) at the end of the day; the batch is paid when ordered.
        if inventory {
            let position = on_hand + on_order;
            if position <= reorder_point && order_up_to > position {
                let units = order_up_to - position;
                let z: f64 = inventory_rng.sample(StandardNormal);
                let lead = (v[P::LeadTimeDays] * (v[P::LeadTimeSigma] * z).exp()).round();
                pending.push((day + (lead as usize).max(1), units));
                on_order += units;
                bought_units += units;
            }
        }

        // Money (accrual).
        let (sold_f, returned_f, lost_f) = (sold as f64, returned as f64, lost as f64);
        let storage = if inventory {
            on_hand as f64 * v[P::StorageCostPerUnitDay]
        } else {
            0.0
        };
        let inbound_today = bought_units as f64 * inbound;
        let refresh = if refresh_every > 0 && day > 0 && day % refresh_every == 0 {
            v[P::RefreshCost]
        } else {
            0.0
        };
        let cogs = (sold - resold) as f64 * unit_cost;
        let returns_cost =
            returned_f * v[P::ReturnShippingCost] + complained as f64 * v[P::ComplaintCost];
        let (gmv, net_revenue, fees, logistics, marketing) = if self_operated {
            let gmv = sold_f * price;
            let fees = fee_rate * gmv + v[P::FeePerOrder] * sold_f
                - v[P::FeeRefundOnReturn] * (fee_rate * price + v[P::FeePerOrder]) * returned_f;
            let fulfilment = if semi {
                v[P::CostPerOrder]
            } else {
                let tier = tiers
                    .iter()
                    .rposition(|t| t.min_monthly_orders <= trailing_sum)
                    .unwrap_or(0);
                v.tier_fees.get(tier).copied().unwrap_or(0.0)
            };
            let affiliates = v[P::AffiliateShare] * v[P::AffiliateCommission] * gmv;
            out[Metric::AffiliateCost] += affiliates;
            let marketing = v[P::AdSpendPerDay]
                + affiliates
                + if live { v[P::LiveCost] } else { 0.0 }
                + refresh;
            (
                gmv,
                gmv - (returned_f + lost_f) * price,
                fees,
                (fulfilment + v[P::Packaging]) * sold_f + storage + inbound_today,
                marketing,
            )
        } else {
            let supply = v[P::SupplyPrice] * regime.supply_price;
            let gmv = sold_f * supply;
            (
                gmv,
                gmv - v[P::ReturnLiability] * supply * returned_f,
                0.0,
                v[P::Packaging] * sold_f + storage + inbound_today,
                refresh,
            )
        };
        let profit =
            net_revenue - cogs - fees - logistics - marketing - fixed_per_day - returns_cost;

        out[Metric::Orders] += sold_f;
        out[Metric::LostSales] += (wanted - sold) as f64;
        out[Metric::Gmv] += gmv;
        out[Metric::NetRevenue] += net_revenue;
        out[Metric::Cogs] += cogs;
        out[Metric::PlatformFees] += fees;
        out[Metric::LogisticsCost] += logistics;
        out[Metric::MarketingCost] += marketing;
        out[Metric::FixedCost] += fixed_per_day;
        out[Metric::ReturnsCost] += returns_cost;
        out[Metric::Refunds] += gmv - net_revenue;
        out[Metric::StorageCost] += storage;
        out[Metric::Profit] += profit;
        out[Metric::Returns] += returned_f;
        out[Metric::Complaints] += complained as f64;
        out[Metric::LostParcels] += lost_f;

        // Cash: costs leave when incurred, goods when bought, and the day's takings
        // (net of platform fees) arrive `settle` days after delivery, spread over the
        // delivery delays in proportion to their probabilities.
        let goods_paid = if inventory {
            bought_units as f64 * unit_cost
        } else {
            cogs
        };
        let payable = net_revenue - fees;
        if payable != 0.0 {
            for bin in delays_here.first..=delays_here.last {
                let when = day + bin + settle;
                if when >= horizon {
                    break;
                }
                payouts[when] += payable * delays_here.pmf[bin];
            }
        }
        cash += payouts[day] - goods_paid - (logistics + marketing + fixed_per_day + returns_cost);
        lowest_cash = lowest_cash.min(cash);
        cum_profit += profit;
        if break_even.is_nan() && cum_profit > 0.0 {
            break_even = (day + 1) as f64;
        }
        daily.cumulative_profit[day] = cum_profit as f32;
        daily.cash[day] = cash as f32;

        // Trailing 30-day orders for tomorrow's fulfilment tier.
        let slot = day % 30;
        trailing_sum = trailing_sum - trailing[slot] + sold;
        trailing[slot] = sold;
    }

    // Delivery histogram (per-day method): one multinomial draw per delay regime.
    if method == DrawMethod::PerDay {
        for (r, d) in delays.iter().enumerate() {
            let mut rng = stream(seed, trial, Purpose::Logistics, (horizon + r) as u64);
            split_over_bins(&mut rng, delivered_by_delay[r], d, |bin, n| {
                histogram[bin] += n
            });
        }
    }

    if daily.delay_histogram.len() < histogram.len() {
        daily.delay_histogram.resize(histogram.len(), 0);
    }
    for (total, n) in daily.delay_histogram.iter_mut().zip(&histogram) {
        *total += n;
    }
    finish(
        &mut out,
        &histogram,
        delivered_total,
        demanded,
        promise,
        lowest_cash,
        break_even,
        v,
    );
    out
}

/// Rates, delay statistics and cash figures from the trial's totals.
#[allow(clippy::too_many_arguments)]
fn finish(
    out: &mut Outputs,
    histogram: &[u64],
    delivered: u64,
    demanded: u64,
    promise: usize,
    lowest_cash: f64,
    break_even: f64,
    v: &TrialInputs,
) {
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
    let orders = out[Metric::Orders];
    out[Metric::FillRate] = ratio(orders, demanded as f64);
    out[Metric::Margin] = if out[Metric::NetRevenue] != 0.0 {
        out[Metric::Profit] / out[Metric::NetRevenue]
    } else {
        f64::NAN
    };
    out[Metric::ReturnRate] = ratio(out[Metric::Returns], orders);
    out[Metric::ComplaintRate] = ratio(out[Metric::Complaints], orders);
    let total = delivered as f64;
    let on_time: u64 = histogram.iter().take(promise + 1).sum();
    out[Metric::OnTimeRate] = ratio(on_time as f64, total);
    let delay_sum: f64 = histogram
        .iter()
        .enumerate()
        .map(|(d, &n)| d as f64 * n as f64)
        .sum();
    out[Metric::MeanDelayDays] = ratio(delay_sum, total);
    out[Metric::P95DelayDays] = if delivered == 0 {
        f64::NAN
    } else {
        let target = (0.95 * total).ceil() as u64;
        let mut seen = 0;
        histogram
            .iter()
            .position(|&n| {
                seen += n;
                seen >= target
            })
            .unwrap_or(histogram.len() - 1) as f64
    };
    let needed = if lowest_cash < 0.0 { -lowest_cash } else { 0.0 };
    out[Metric::WorkingCapitalNeeded] = needed;
    out[Metric::BreakEvenDay] = break_even;
    out[Metric::Roi] = ratio(out[Metric::Profit], needed);
    out[Metric::CapitalShortfall] = if needed > v[P::AvailableCapital] {
        1.0
    } else {
        0.0
    };
}
