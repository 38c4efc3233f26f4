//! The estimates as the model's parameters: rows of a parameter CSV (the format `params`
//! writes and `--params` reads), each value a distribution that carries the estimate's
//! uncertainty, each source naming the file, its orders and its dates. What cannot be
//! estimated keeps the catalog default and says why; what the model has no parameter
//! for is listed, not dropped.
//!
//! Values land on the model's final parameters of each variant ([`Target`]): the shop's
//! daily orders become the organic orders per account that, with the variant's own live
//! streams, ads, route factor, freshness and repeat buyers, give the fitted level at full
//! ramp-up; a return rate measured on the data's route is divided by that route's loop
//! factor, so each variant's own factor applies; delivery times land only on the
//! variants of the data's route.

use super::estimate::fees::{FaultFit, FeeFit};
use super::estimate::{Estimate, Z_975};
use super::read::cells::DayText;
use super::shop::{RouteFit, ShopFit};
use crate::params::{Model, Resolved, Route, P};

/// An order of the export holds more than one unit on average above this: the model's
/// order is one unit, so the basket is priced as one.
pub const BASKET_UNITS: f64 = 1.05;

/// A variant the values land on: its route and model, and its final parameters.
#[derive(Clone, Copy, Debug)]
pub struct Target<'a> {
    /// The variant (`None`: the catalog for one setting, no scenario).
    pub variant: Option<&'a str>,
    /// Self-operated or fully managed.
    pub model: Model,
    /// Its route.
    pub route: Route,
    /// Its final parameters (scenario and all).
    pub params: &'a Resolved,
    /// The defaults of the data's route in the variant's market and category: the route
    /// and loop factors the data were measured under.
    pub data_route_params: &'a Resolved,
    /// Days the study simulates: its repeat buyers build up over them.
    pub horizon_days: f64,
}

impl Target<'_> {
    /// Whether it can pay Thailand's growth fee (its rate can be above 0).
    fn pays_growth_fee(&self) -> bool {
        self.params.dist(P::GrowthFeeRate).support().1 > 0.0
    }
}

/// One parameter row.
#[derive(Clone, Debug, PartialEq)]
pub struct Landed {
    /// The variant it is for (`None`: every variant, or the catalog).
    pub variant: Option<String>,
    /// The catalog parameter.
    pub key: P,
    /// Its value, as `--params` reads it.
    pub value: String,
    /// Where it comes from.
    pub source: String,
}

/// What the settlement and returns exports add, when given.
#[derive(Clone, Copy, Debug, Default)]
pub struct Extras<'a> {
    /// Fees and settlement timing.
    pub fees: Option<&'a FeeFit>,
    /// The at-fault share of returns.
    pub faults: Option<&'a FaultFit>,
    /// The settlement file's name, for the sources.
    pub settlement_file: Option<&'a str>,
}

/// The parameter rows, and what was not landed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Landing {
    /// Rows for the CSV.
    pub rows: Vec<Landed>,
    /// Parameters left at their default (for a variant, or all), and why.
    pub kept: Vec<(Option<String>, P, String)>,
    /// Estimates the model has no parameter for, and what they say.
    pub not_landed: Vec<(String, String)>,
    /// Variants whose fitted commission may hold a fee the model also charges apart
    /// (Thailand's growth fee): the export's columns do not say.
    pub growth_fee_overlap: Vec<Option<String>>,
}

/// Lands a shop's estimates on each target. `file` names the export in the sources;
/// `data_route` is the route the export's main route is in the model (`None`: unknown,
/// so no delivery time lands).
pub fn land(
    fit: &ShopFit,
    file: &str,
    data_route: Option<Route>,
    targets: &[Target<'_>],
    extras: Extras<'_>,
) -> Landing {
    let mut landing = Landing::default();
    let about = format!(
        "fit: {file}, {} orders, {}..{}",
        thousands(fit.orders),
        DayText(fit.first_day),
        DayText(fit.last_day)
    );
    shop_notes(&mut landing, fit);
    extra_notes(&mut landing, extras);
    for target in targets {
        let mut to = Rows {
            landing: &mut landing,
            variant: target.variant.map(str::to_string),
            about: &about,
            variant_layer: target
                .params
                .entries()
                .filter(|(_, e)| e.layer == crate::params::Layer::Variant)
                .map(|(p, _)| p)
                .collect(),
        };
        if target.model == Model::SelfOperated {
            let (price, what) = if fit.units_per_order > BASKET_UNITS {
                (
                    &fit.seller_basket,
                    format!(
                        "price of an order after the seller's discounts ({} units an order: the model's order is one unit, so a basket is priced as one; the reference too)",
                        short(fit.units_per_order)
                    ),
                )
            } else {
                (
                    &fit.seller_price,
                    "price per unit after the seller's discounts (the reference too: the data are at this price)".to_string(),
                )
            };
            match price {
                Some(price) => {
                    for key in ["price.retail", "price.reference"] {
                        to.put(
                            key,
                            format!("normal({}, {})", short(price.value), short(se(price))),
                            price,
                            &what,
                        );
                    }
                }
                None => to.keep("price.retail", "fewer than 100 orders with prices"),
            }
        }
        if target.model == Model::SelfOperated && fit.units_per_order > BASKET_UNITS {
            land_basket_costs(&mut to, fit.units_per_order, target);
        }
        // After the price: the demand's ads are bought at it.
        land_demand(&mut to, fit, target);
        land_returns(&mut to, fit, target);
        if let (Some(fees), Some(settlement)) = (extras.fees, extras.settlement_file) {
            land_fees(&mut to, fees, settlement, target);
        }
        match (fit.routes.first(), data_route) {
            (Some(route), Some(r)) if r == target.route => land_route(&mut to, route, fit),
            (Some(_), Some(r)) => to.keep(
                "logistics.transit_median_days",
                &format!("the export's orders went by route `{r}`, this variant's by `{}`: its delivery times are its defaults", target.route),
            ),
            (Some(route), None) => to.keep(
                "logistics.transit_median_days",
                &format!("the export's route `{}` is not one the model can name (give --route)", route.name),
            ),
            (None, _) => {}
        }
    }
    landing
}

/// Rows for one target.
struct Rows<'l> {
    landing: &'l mut Landing,
    variant: Option<String>,
    about: &'l str,
    /// Parameters the variant's own table sets.
    variant_layer: Vec<P>,
}

impl Rows<'_> {
    fn source(&self, e: &Estimate, what: &str) -> String {
        format!(
            "{}; {what}: {} (95% interval {}..{}, n = {}; {})",
            self.about,
            short(e.value),
            short(e.lo),
            short(e.hi),
            thousands(e.n),
            e.method
        )
    }

    fn put(&mut self, key: &str, value: String, e: &Estimate, what: &str) {
        let source = self.source(e, what);
        self.put_with(key, value, source);
    }

    fn put_with(&mut self, key: &str, value: String, source: String) {
        let p = P::from_key(key).expect("catalog key");
        // A value the variant itself sets is what the study compares (a price ladder, a
        // route's promise): it stays, and the record says so.
        if self.variant_layer.contains(&p) {
            self.landing.kept.push((
                self.variant.clone(),
                p,
                "the variant sets it itself: the study compares it, so the fit leaves it"
                    .to_string(),
            ));
            return;
        }
        self.landing.rows.push(Landed {
            variant: self.variant.clone(),
            key: P::from_key(key).expect("catalog key"),
            value,
            source,
        });
    }

    fn keep(&mut self, key: &str, why: &str) {
        self.landing.kept.push((
            self.variant.clone(),
            P::from_key(key).expect("catalog key"),
            why.to_string(),
        ));
    }
}

fn mean(params: &Resolved, key: &str) -> f64 {
    params.dist(P::from_key(key).expect("catalog key")).mean()
}

/// The mean of freshness `0.5^(age / half_life)` over a refresh cycle (or over `days`
/// when the shop never refreshes): what the level measured over weeks already holds.
pub fn mean_freshness(half_life: f64, refresh_every: f64, days: f64) -> f64 {
    let cycle = if refresh_every > 0.0 {
        refresh_every
    } else {
        days.max(1.0)
    };
    if half_life <= 0.0 {
        return 1.0;
    }
    let k = std::f64::consts::LN_2 / half_life;
    (1.0 - (-k * cycle).exp()) / (k * cycle)
}

/// The organic orders one account brings a day (`demand.orders_per_account_day`) that
/// give `level` orders a day at full ramp-up with the variant's other sources (live
/// streams, ads, repeat buyers as they build up over the horizon, viral days, route
/// factor and freshness), and what lives and ads bring (a value at or below 0: they alone bring the
/// level or more).
pub fn organic_per_account(
    level: f64,
    params: &Resolved,
    data_route: &Resolved,
    return_rate: f64,
    days: f64,
    horizon_days: f64,
    price: Option<f64>,
) -> (f64, f64) {
    let route_factor = mean(data_route, "demand.route_factor");
    let freshness = mean_freshness(
        mean(params, "demand.freshness_half_life_days"),
        mean(params, "demand.refresh_every_days"),
        days,
    );
    // In a shop with a steady base, a share `repeat.share` of satisfied buyers buy again:
    // the data's level holds them, the model adds its own. Its base starts empty and
    // fills as B(t) = S·τ·(1 − e^(−t/τ)) (τ = repeat.mean_days), so over a horizon H its
    // repeat orders average a share g = 1 − (τ/H)(1 − e^(−H/τ)) of their steady state:
    // the simulated orders then average the data's level over the study.
    let tau = mean(params, "repeat.mean_days").max(1e-9);
    let horizon = horizon_days.max(1.0);
    let built_up = 1.0 - tau / horizon * (1.0 - (-horizon / tau).exp());
    let new_buyers = level * (1.0 - mean(params, "repeat.share") * (1.0 - return_rate) * built_up);
    let lives =
        mean(params, "demand.lives_per_week") / 7.0 * mean(params, "demand.orders_per_live");
    // Ads bring less in their first `positioning_days` (at `early_ad_efficiency`): their
    // average over the horizon.
    let positioning = mean(params, "marketing.positioning_days").min(horizon) / horizon;
    let ads = mean(params, "marketing.ad_spend_per_day") * mean(params, "marketing.roas")
        / price
            .unwrap_or_else(|| mean(params, "price.retail"))
            .max(1e-9)
        * (1.0 - positioning * (1.0 - mean(params, "marketing.early_ad_efficiency")));
    let accounts = 1.0 + mean(params, "demand.channel_accounts");
    // A viral day multiplies a day's demand by a log-normal draw: on average by
    // 1 + rate · (E[multiplier] − 1).
    let viral_sigma = mean(params, "demand.viral_sigma");
    let viral = 1.0
        + mean(params, "demand.viral_rate")
            * (mean(params, "demand.viral_median") * (0.5 * viral_sigma * viral_sigma).exp() - 1.0);
    let scale = 1.0 / (route_factor * freshness * viral).max(1e-9);
    (
        (new_buyers * scale - lives - ads) / accounts,
        (lives + ads) / scale,
    )
}

fn land_demand(to: &mut Rows<'_>, fit: &ShopFit, target: &Target<'_>) {
    let Some(d) = &fit.demand else {
        for key in [
            "demand.orders_per_account_day",
            "demand.daily_cv",
            "demand.ramp_days",
        ] {
            to.keep(
                key,
                &format!(
                    "fewer than {} days of orders",
                    super::estimate::demand::MIN_DAYS
                ),
            );
        }
        return;
    };
    if target.model == Model::FullyManaged {
        to.keep(
            "demand.managed_orders_per_day",
            "a fully managed listing sells on the platform's traffic, not the shop's: its demand (level, noise, ramp-up) is not the export's",
        );
        return;
    }
    to.put(
        "demand.daily_cv",
        positive(&d.daily_cv),
        &d.daily_cv,
        "day-to-day noise beyond Poisson",
    );
    let days = (fit.last_day - fit.first_day + 1) as f64;
    let established = target.model == Model::SelfOperated
        && days >= mean(target.params, "cash.probation_min_days")
        && fit.delivered as f64 >= mean(target.params, "cash.probation_min_orders");
    if d.ramp_days.value > 0.0 {
        to.put(
            "demand.ramp_days",
            whole_days(&d.ramp_days),
            &d.ramp_days,
            "ramp to full demand",
        );
    } else if established {
        to.put_with(
            "demand.ramp_days",
            "0".into(),
            format!(
                "{}; the orders show no ramp-up (p = {:.2}): the shop sells at its full level",
                to.about, d.ramp_p_value
            ),
        );
    } else {
        to.keep(
            "demand.ramp_days",
            &format!("the orders show no ramp-up (p = {:.2}): the export starts after it, or the shop had none", d.ramp_p_value),
        );
    }
    if established {
        let past = format!(
            "{}; the export shows {} days of selling and {} delivered orders: an established shop, past probation ({} days, {} orders) and the new-store inspection",
            to.about,
            days,
            thousands(fit.delivered),
            short(mean(target.params, "cash.probation_min_days")),
            short(mean(target.params, "cash.probation_min_orders"))
        );
        for key in [
            "cash.probation_min_days",
            "cash.probation_min_orders",
            "demand.inspection_days",
        ] {
            to.put_with(key, "0".into(), past.clone());
        }
    }
    let return_rate = fit.returns.as_ref().map_or(0.0, |r| r.base.value);
    // The price ads are bought at: the fitted one when it lands on this variant.
    let landed_price = to
        .landing
        .rows
        .iter()
        .rev()
        .find(|r| r.variant == to.variant && r.key.key() == "price.retail")
        .and_then(|r| crate::params::Dist::parse(&r.value).ok())
        .map(|d| d.mean());
    let per_account_at = |level: f64| {
        organic_per_account(
            level,
            target.params,
            target.data_route_params,
            return_rate,
            days,
            target.horizon_days,
            landed_price,
        )
    };
    let (per_account, others) = per_account_at(d.level.value);
    if per_account <= 0.0 {
        to.keep(
            "demand.orders_per_account_day",
            &format!(
                "the variant's live streams and ads alone bring about {} orders a day, the shop {}: lower them, or the demand cannot match",
                short(others),
                short(d.level.value)
            ),
        );
        return;
    }
    let (per_lo, _) = per_account_at(d.level.lo);
    let (per_hi, _) = per_account_at(d.level.hi);
    let estimate = Estimate {
        value: per_account,
        lo: per_lo.max(0.0),
        hi: per_hi,
        n: d.level.n,
        method: "the level at full ramp-up less the variant's live and ad orders and repeat buyers, over its accounts, route factor and freshness",
    };
    let source = format!(
        "{}; {} orders a day at full ramp-up (95% interval {}..{}) give {} organic orders per account",
        to.about,
        short(d.level.value),
        short(d.level.lo),
        short(d.level.hi),
        short(per_account)
    );
    to.put_with(
        "demand.orders_per_account_day",
        non_negative(&estimate),
        source,
    );
}

fn land_returns(to: &mut Rows<'_>, fit: &ShopFit, target: &Target<'_>) {
    let Some(r) = &fit.returns else {
        for key in ["returns.base_rate", "returns.late_per_day"] {
            to.keep(
                key,
                "fewer than 100 on-time delivered orders whose return window has closed",
            );
        }
        return;
    };
    let loop_factor = mean(target.data_route_params, "returns.loop_factor").max(1e-9);
    let base = Estimate {
        value: (r.base.value / loop_factor).min(1.0),
        lo: (r.base.lo / loop_factor).min(1.0),
        hi: (r.base.hi / loop_factor).min(1.0),
        ..r.base.clone()
    };
    let value = if loop_factor == 1.0 {
        share_dist(&r.base)
    } else {
        format!(
            "pert({}, {}, {})",
            short(base.lo),
            short(base.value),
            short(base.hi)
        )
    };
    let what = if loop_factor == 1.0 {
        "returns of on-time orders".to_string()
    } else {
        format!(
            "returns of on-time orders over the data route's loop factor {}",
            short(loop_factor)
        )
    };
    to.put("returns.base_rate", value, &base, &what);
    match &r.late_per_day {
        Some(late) => to.put(
            "returns.late_per_day",
            non_negative(late),
            late,
            "extra returns per day late",
        ),
        None => to.keep(
            "returns.late_per_day",
            "too few late orders with a closed return window",
        ),
    }
}

/// The per-unit costs of an order of `units` units: the model's order is one unit, so
/// when the fitted price is a basket's, so are its cost, weight and volume, the stock
/// costs per unit (stock is then counted in orders too) and, where a growth fee is
/// charged, its cap per item (a basket of equal items pays `min(rate × price, cap ×
/// units)`).
pub const PER_UNIT_COSTS: [&str; 7] = [
    "costs.unit_cost",
    "costs.unit_weight_kg",
    "costs.unit_volume_cuft",
    "inventory.placement_per_unit",
    "inventory.storage_cost_per_unit_day",
    "inventory.inbound_cost_per_unit",
    "fees.growth_fee_cap",
];

fn land_basket_costs(to: &mut Rows<'_>, units: f64, target: &Target<'_>) {
    for key in PER_UNIT_COSTS {
        let p = P::from_key(key).expect("catalog key");
        let dist = target.params.dist(p);
        if dist.fixed_value() == Some(0.0) || (p == P::GrowthFeeCap && !target.pays_growth_fee()) {
            continue;
        }
        let Ok(scaled) = dist.scaled(units) else {
            continue;
        };
        let source = format!(
            "{}; the variant's {} per unit × {} units an order (the model's order is one unit, priced as the export's baskets)",
            to.about,
            round_numbers(&dist.to_string()),
            short(units)
        );
        to.put_with(key, round_numbers(&scaled.to_string()), source);
    }
}

/// The settlement's fee rates and timing, on a variant: rates on the self-operated
/// (fully managed pays no platform fees), the FBT fee on FBT variants.
fn land_fees(to: &mut Rows<'_>, fees: &FeeFit, settlement: &str, target: &Target<'_>) {
    let about = format!(
        "fit: {settlement}, {} settled orders",
        thousands(fees.orders)
    );
    let put = |to: &mut Rows<'_>, key: &str, value: String, e: &Estimate, what: &str| {
        let source = format!(
            "{about}; {what}: {} (95% interval {}..{}, n = {}; {})",
            short(e.value),
            short(e.lo),
            short(e.hi),
            thousands(e.n),
            e.method
        );
        to.put_with(key, value, source);
    };
    if target.model != Model::SelfOperated {
        return;
    }
    for (key, estimate, what) in [
        (
            "fees.commission_rate",
            &fees.referral_rate,
            format!("referral fee over {}", fees.sales),
        ),
        (
            "fees.payment_rate",
            &fees.transaction_rate,
            format!("transaction fee over {}", fees.sales),
        ),
        (
            "marketing.affiliate_commission",
            &fees.affiliate_rate,
            format!("affiliate commission over creator orders' {}", fees.sales),
        ),
    ] {
        match estimate {
            Some(e) => put(to, key, rate(e), e, &what),
            None => to.keep(key, "too few settled orders carrying it (at least 100)"),
        }
    }
    // The statement's columns (SELLER_EXPORTS.md: the US's) have no growth fee of their
    // own; whether a Thai statement's referral fee holds it is not in the sources, so
    // the variant that pays one apart is named rather than guessed at.
    if fees.referral_rate.is_some() && target.pays_growth_fee() {
        to.landing.growth_fee_overlap.push(to.variant.clone());
    }
    if target.route == Route::Fbt {
        match &fees.fbt_fee {
            Some(e) => put(
                to,
                "logistics.cost_per_order",
                non_negative(e),
                e,
                "FBT fulfillment fee per FBT order",
            ),
            None => to.keep(
                "logistics.cost_per_order",
                "too few settled FBT orders (at least 30)",
            ),
        }
    }
    match &fees.settlement_days {
        Some(e) => put(
            to,
            "cash.settlement_days",
            whole_days(e),
            e,
            "days from delivery to the statement",
        ),
        None => to.keep(
            "cash.settlement_days",
            "too few settled orders found in the order export",
        ),
    }
}

/// A rate on [0, 1]: the estimate when its interval is a point, else uniform over it.
fn rate(e: &Estimate) -> String {
    if e.hi - e.lo < 1e-9 {
        short(e.value)
    } else {
        format!(
            "uniform({}, {})",
            short(e.lo.max(0.0)),
            short(e.hi.min(1.0))
        )
    }
}

/// What the settlement and returns exports say that lands nowhere.
fn extra_notes(landing: &mut Landing, extras: Extras<'_>) {
    if let Some(e) = extras.fees.and_then(|f| f.return_label_fee.as_ref()) {
        landing.not_landed.push((
            "return label fee".into(),
            format!(
                "{} a returned order that carries one ({}..{}): what the seller was charged, after the platform's split by cause; returns.shipping_cost is the whole label, which the model splits itself (returns.change_of_mind_shipping_share)",
                short(e.value),
                short(e.lo),
                short(e.hi)
            ),
        ));
    }
    if let Some(e) = extras.faults.and_then(|f| f.at_fault.as_ref()) {
        landing.not_landed.push((
            "returns at the seller's fault".into(),
            format!(
                "{:.1}% of returns whose reason says ({:.1}%..{:.1}%): the model counts a return of an on-time parcel as change of mind and a late one as the seller's fault; fully managed's returns.liability is a share of the supply price, which the platform's rules, not the reasons, decide",
                100.0 * e.value,
                100.0 * e.lo,
                100.0 * e.hi
            ),
        ));
    }
    if extras.fees.is_some() {
        landing.not_landed.push((
            "rolling reserve".into(),
            "not estimated: the Order Details sheet has no reserve column, the Reserve Details sheet's columns are in none of shopsim's sources, and the US Reserve Policy (2025-01-22) publishes no reserve levels; cash.reserve_share and cash.reserve_days keep their values: set them to the reserve percentage and period Seller Center shows you (Finance › Statements › Finances summary › On hold)".into(),
        ));
    }
}

/// Estimates of the shop the model has no parameter for, or that it does not use.
fn shop_notes(landing: &mut Landing, fit: &ShopFit) {
    if let Some(d) = &fit.demand {
        if d.weekday_p_value < super::estimate::demand::ALPHA {
            landing.not_landed.push((
                "weekday pattern".into(),
                format!(
                    "orders differ by weekday (p = {:.1e}; Monday first: {}); the model's days are alike, so the level is the week's average",
                    d.weekday_p_value,
                    d.weekday_factors.iter().map(|f| format!("{f:.2}")).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        let t = &d.trend_per_30_days;
        if t.lo > 0.0 || t.hi < 0.0 {
            landing.not_landed.push((
                "trend".into(),
                format!(
                    "the level moves by {:+.0}% a month ({:+.0}%..{:+.0}%); the model holds demand flat apart from freshness decay",
                    100.0 * t.value,
                    100.0 * t.lo,
                    100.0 * t.hi
                ),
            ));
        }
    }
    for (what, e) in [
        (
            "cancelled by the buyer before shipping",
            &fit.cancelled_by_buyer,
        ),
        (
            "cancelled by the seller before shipping",
            &fit.cancelled_by_seller,
        ),
        (
            "cancelled by the platform before shipping",
            &fit.cancelled_by_system,
        ),
        ("refunded without a return", &fit.refund_only),
        ("credited to a creator", &fit.creator_share),
    ] {
        if let Some(e) = e {
            landing.not_landed.push((
                what.to_string(),
                format!(
                    "{:.1}% of orders ({:.1}%..{:.1}%): {}",
                    100.0 * e.value,
                    100.0 * e.lo,
                    100.0 * e.hi,
                    match what {
                        w if w.starts_with("cancelled") => "the model has no cancellations: its orders are the ones not cancelled before shipping, as the fitted demand counts them",
                        "refunded without a return" => "the model's refunds without a return follow returns.refund_without_return_share on cheap items",
                        _ => "marketing.affiliate_share is a share of the orders content brings (not ads, lives or repeat buyers), which the export does not separate",
                    }
                ),
            ));
        }
    }
    for route in &fit.routes {
        if let Some(on_time) = &route.on_time {
            landing.not_landed.push((
                format!("on-time rate, route {}", route.name),
                format!(
                    "{:.1}% delivered within the promise ({:.1}%..{:.1}%): it follows from handling and transit; compare it with the simulated on-time rate",
                    100.0 * on_time.value,
                    100.0 * on_time.lo,
                    100.0 * on_time.hi
                ),
            ));
        }
    }
}

fn land_route(to: &mut Rows<'_>, route: &RouteFit, fit: &ShopFit) {
    let about = if fit.routes.len() > 1 {
        format!(
            "route {} ({} orders, the most of {} routes)",
            route.name,
            thousands(route.orders),
            fit.routes.len()
        )
    } else {
        format!("route {}", route.name)
    };
    match &route.handling_days {
        Some(h) => to.put(
            "logistics.handling_days",
            whole_days(h),
            h,
            &format!("{about}: handling days of the model's delay (handling + whole transit days)"),
        ),
        None => to.keep(
            "logistics.handling_days",
            "fewer than 30 shipped orders on the route",
        ),
    }
    match &route.transit {
        Some(t) => {
            to.put(
                "logistics.transit_median_days",
                format!("lognormal({}, {})", short(t.median.value), short(t.se_mu)),
                &t.median,
                &format!("{about}: median transit days ({} parcels still in transit counted as censored)", t.censored),
            );
            to.put(
                "logistics.transit_sigma",
                format!(
                    "lognormal({}, {})",
                    short(t.sigma.value),
                    short(t.se_log_sigma)
                ),
                &t.sigma,
                &format!("{about}: log-sd of transit"),
            );
        }
        None => {
            to.keep(
                "logistics.transit_median_days",
                "fewer than 30 delivered parcels on the route",
            );
            to.keep(
                "logistics.transit_sigma",
                "fewer than 30 delivered parcels on the route",
            );
        }
    }
    match &route.late_dispatch {
        Some(l) => to.put(
            "logistics.late_dispatch_rate",
            share_dist(l),
            l,
            &format!("{about}: dispatched after the deadline"),
        ),
        None if route.platform_fulfilled => to.keep(
            "logistics.late_dispatch_rate",
            "the platform dispatches on this route",
        ),
        None => to.keep(
            "logistics.late_dispatch_rate",
            "fewer than 100 orders whose dispatch deadline has passed",
        ),
    }
    match &route.lost {
        Some(l) => to.put(
            "logistics.lost_rate",
            share_dist(l),
            l,
            &format!("{about}: shipped parcels lost"),
        ),
        None => to.keep("logistics.lost_rate", "fewer than 100 shipped parcels"),
    }
}

/// Every number in a distribution's text to four significant digits (`6.89464285714286`
/// → `6.895`): a scaled value carries no more precision than the one it was scaled from.
pub fn round_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut number = String::new();
    let flush = |number: &mut String, out: &mut String| {
        if !number.is_empty() {
            match number.parse::<f64>() {
                Ok(v) => out.push_str(&short(v)),
                Err(_) => out.push_str(number),
            }
            number.clear();
        }
    };
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        // A dot belongs to a number unless it is part of `..` (an interval).
        let dot_in_number = c == '.'
            && chars.get(i + 1).is_some_and(char::is_ascii_digit)
            && !number.contains('.')
            && chars.get(i.wrapping_sub(1)) != Some(&'.');
        if c.is_ascii_digit() || dot_in_number || (matches!(c, 'e' | 'E') && !number.is_empty()) {
            number.push(c);
        } else {
            flush(&mut number, &mut out);
            out.push(c);
        }
    }
    flush(&mut number, &mut out);
    out
}

/// A share as the Jeffreys posterior `beta(k + ½, n − k + ½)`.
fn share_dist(e: &Estimate) -> String {
    let k = (e.value * e.n as f64).round();
    format!("beta({}, {})", short(k + 0.5), short(e.n as f64 - k + 0.5))
}

/// A positive quantity: log-normal around the estimate with the interval's spread.
fn positive(e: &Estimate) -> String {
    if e.value <= 0.0 {
        return "0".into();
    }
    let sigma = ((e.hi.max(e.value * 1.0001)) / e.lo.max(e.value * 1e-3)).ln() / (2.0 * Z_975);
    format!("lognormal({}, {})", short(e.value), short(sigma))
}

/// A quantity that cannot be negative: normal when the interval is clear of 0, else a
/// PERT from 0 through the estimate to the interval's top.
fn non_negative(e: &Estimate) -> String {
    if e.hi - e.lo < 1e-12 {
        short(e.value.max(0.0))
    } else if e.lo > 0.0 {
        format!("normal({}, {})", short(e.value), short(se(e)))
    } else {
        let top = e.hi.max(1e-6);
        format!(
            "pert(0, {}, {})",
            short(e.value.clamp(0.0, top)),
            short(top)
        )
    }
}

/// Whole days: the estimate, or equal weight on each day of its interval.
fn whole_days(e: &Estimate) -> String {
    if e.lo == e.hi {
        short(e.value)
    } else {
        format!("uniform({}, {})", short(e.lo - 0.5), short(e.hi + 0.5))
    }
}

fn se(e: &Estimate) -> f64 {
    (e.hi - e.lo) / (2.0 * Z_975)
}

/// A number with four significant digits, as a CSV cell (no thousands separator: it
/// sits inside a distribution's arguments).
pub fn short(x: f64) -> String {
    if !x.is_finite() {
        return "0".into();
    }
    if x.abs() >= 1000.0 {
        return format!("{x:.0}");
    }
    crate::format::fmt_significant(x)
}

/// 4212 → "4,212".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Dist;

    #[test]
    fn every_value_shape_is_a_distribution_shopsim_reads() {
        let e = Estimate {
            value: 0.06,
            lo: 0.05,
            hi: 0.07,
            n: 3000,
            method: "",
        };
        for text in [
            share_dist(&e),
            positive(&e),
            non_negative(&e),
            whole_days(&e),
        ] {
            assert!(Dist::parse(&text).is_ok(), "{text}");
        }
        let crossing = Estimate {
            value: 0.001,
            lo: -0.002,
            hi: 0.004,
            n: 100,
            method: "",
        };
        assert!(non_negative(&crossing).starts_with("pert(0,"));
        assert!(Dist::parse(&non_negative(&crossing)).is_ok());
    }

    #[test]
    fn beta_of_a_share_has_the_jeffreys_shapes() {
        let e = Estimate {
            value: 0.06,
            lo: 0.0,
            hi: 1.0,
            n: 1000,
            method: "",
        };
        assert_eq!(share_dist(&e), "beta(60.5, 940.5)");
    }

    #[test]
    fn scaled_values_are_rounded_and_stay_readable() {
        assert_eq!(round_numbers("6.89464285714286"), "6.895");
        assert_eq!(
            round_numbers("0.137892857142857..0.275785714285714"),
            "0.1379..0.2758"
        );
        assert_eq!(
            round_numbers("lognormal(5.51571, 0.4)"),
            "lognormal(5.516, 0.4)"
        );
        for text in ["0.1379..0.2758", "lognormal(5.516, 0.4)", "6.895"] {
            assert!(Dist::parse(&round_numbers(text)).is_ok(), "{text}");
        }
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(short(4.123456), "4.123");
        assert_eq!(short(0.0123456), "0.01235");
        assert_eq!(short(1234.6), "1235");
        assert_eq!(thousands(4212), "4,212");
        assert_eq!(thousands(100000), "100,000");
        assert_eq!(thousands(12), "12");
    }
}
