//! A shop's orders turned into its estimates: which orders enter each estimate, and how
//! orders the export caught mid-way (not yet shipped, in transit, inside their return
//! window) are counted.

use super::estimate::delays::{self, Durations, LogNormalFit};
use super::estimate::demand::{self, DailyOrders, DemandFit};
use super::estimate::rates::{self, ReturnFit, MIN_ORDERS};
use super::estimate::{share, Estimate, Z_975};
use super::read::cells::{Stamp, DAY};
use super::read::orders::{CancelBy, Order, Orders, Outcome};

/// What the estimates assume about the shop's rules.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Promised delivery, in days from payment (`logistics.promise_days`).
    pub promise_days: u32,
    /// Dispatch deadline in business days after payment (DOMAIN: 2 business days).
    pub dispatch_business_days: u32,
    /// Days after delivery a return can still be requested: only orders whose window has
    /// closed enter the return rates.
    pub return_window_days: u32,
    /// Seeds the bootstrap intervals.
    pub seed: u64,
    /// Peaks the scenario names (its events with a demand multiplier): name, first and
    /// last day (day counts since 1970). Their days are left out of the level, and their
    /// lift over it is measured where the export covers them.
    pub peaks: Vec<(String, i64, i64)>,
}

/// One delivery route of the export.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteFit {
    /// As the export names it.
    pub name: String,
    /// Orders on it.
    pub orders: u64,
    /// Whether the platform fulfils it (Fulfilled by TikTok: no seller dispatch).
    pub platform_fulfilled: bool,
    /// The model's handling days: whole days that, with the fitted transit's whole days,
    /// give the data's median days from payment to delivery (`delay = handling + ⌈T⌉`).
    pub handling_days: Option<Estimate>,
    /// Whole days from payment day to dispatch day, as the data show them.
    pub dispatch_days: Option<Estimate>,
    /// Transit, shipped → delivered, in days.
    pub transit: Option<LogNormalFit>,
    /// Delivered within the promise (orders whose promise has passed).
    pub on_time: Option<Estimate>,
    /// Dispatched after the deadline (orders whose deadline has passed).
    pub late_dispatch: Option<Estimate>,
    /// Shipped parcels lost.
    pub lost: Option<Estimate>,
    /// Orders whose Delivered Time is before their Shipped Time (left out of transit).
    pub delivered_before_shipped: u64,
}

/// Everything the order export says about the shop.
#[derive(Clone, Debug, PartialEq)]
pub struct ShopFit {
    /// First and last day with orders (day counts since 1970).
    pub first_day: i64,
    /// Last day with orders.
    pub last_day: i64,
    /// When the export was taken: the latest time in it.
    pub exported_at: Stamp,
    /// Orders and SKU lines.
    pub orders: u64,
    /// SKU lines.
    pub lines: u64,
    /// Orders delivered.
    pub delivered: u64,
    /// Daily orders (orders not cancelled before shipping).
    pub demand: Option<DemandFit>,
    /// The daily counts behind it.
    pub daily: DailyOrders,
    /// Per route, most orders first.
    pub routes: Vec<RouteFit>,
    /// Cancelled before shipping, by who, as shares of all orders.
    pub cancelled_by_buyer: Option<Estimate>,
    /// By the seller.
    pub cancelled_by_seller: Option<Estimate>,
    /// By the platform's systems.
    pub cancelled_by_system: Option<Estimate>,
    /// Returns against days late.
    pub returns: Option<ReturnFit>,
    /// Refunds without a return, among delivered orders with a closed window.
    pub refund_only: Option<Estimate>,
    /// Price per unit before discounts.
    pub list_price: Option<Estimate>,
    /// Price per unit after the seller's discounts (what the seller sells at).
    pub seller_price: Option<Estimate>,
    /// Price of an order (all its units) after the seller's discounts.
    pub seller_basket: Option<Estimate>,
    /// Seller-funded discounts as a share of the list value.
    pub seller_discount_share: Option<Estimate>,
    /// Platform-funded discounts as a share of the list value.
    pub platform_discount_share: Option<Estimate>,
    /// Orders credited to a creator.
    pub creator_share: Option<Estimate>,
    /// Units per order.
    pub units_per_order: f64,
    /// Each named peak the export covers: its orders over the level.
    pub peak_lifts: Vec<(String, Estimate)>,
}

/// Fits a shop from its orders.
pub fn fit_shop(read: &Orders, settings: &Settings) -> ShopFit {
    let orders = &read.orders;
    let exported_at = orders
        .iter()
        .flat_map(|o| {
            [
                Some(o.created),
                Some(o.paid),
                o.shipped,
                o.delivered,
                o.cancelled,
            ]
        })
        .flatten()
        .max()
        .unwrap_or(0);
    let day = |s: Stamp| s.div_euclid(86_400);
    let first_day = orders.iter().map(|o| day(o.created)).min().unwrap_or(0);
    let last_day = orders.iter().map(|o| day(o.created)).max().unwrap_or(0);
    let span = (last_day - first_day + 1) as usize;
    let mut counts = vec![0u64; span];
    for o in orders.iter().filter(|o| !cancelled_before_shipping(o)) {
        counts[(day(o.created) - first_day) as usize] += 1;
    }
    let in_span = |d: i64| {
        (first_day..=last_day)
            .contains(&d)
            .then(|| (d - first_day) as usize)
    };
    let mut excluded = vec![false; span];
    let peak_days: Vec<(String, Vec<usize>)> = settings
        .peaks
        .iter()
        .map(|(name, from, to)| (name.clone(), (*from..=*to).filter_map(in_span).collect()))
        .collect();
    for (_, days) in &peak_days {
        for &t in days {
            excluded[t] = true;
        }
    }
    let daily = DailyOrders {
        first_day,
        counts,
        excluded,
    };
    let demand = demand::fit_demand(&daily, settings.seed);
    let peak_lifts = match &demand {
        Some(d) => peak_days
            .iter()
            .filter(|(_, days)| !days.is_empty())
            .filter_map(|(name, days)| Some((name.clone(), demand::lift(&daily, days, &d.level)?)))
            .collect(),
        None => Vec::new(),
    };

    let mut routes: Vec<RouteFit> = read
        .routes
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let on_route: Vec<&Order> = orders.iter().filter(|o| o.route == index).collect();
            route_fit(name, &on_route, exported_at, settings)
        })
        .collect();
    routes.sort_by(|a, b| b.orders.cmp(&a.orders).then(a.name.cmp(&b.name)));

    let total = orders.len() as u64;
    let cancelled = |by: CancelBy| {
        let k = orders
            .iter()
            .filter(|o| o.outcome == Outcome::Cancelled(by) && !o.lost)
            .count() as u64;
        (total >= MIN_ORDERS).then(|| share(k, total)).flatten()
    };

    // Returns: delivered orders whose return window closed before the export.
    let closed = closed_window(orders, exported_at, settings);
    let returns = rates::fit_returns(&return_outcomes(orders, exported_at, settings));
    let refund_only = (closed.len() as u64 >= MIN_ORDERS)
        .then(|| {
            let k = closed
                .iter()
                .filter(|o| o.outcome == Outcome::RefundOnly)
                .count() as u64;
            share(k, closed.len() as u64)
        })
        .flatten();

    let sold: Vec<&Order> = orders
        .iter()
        .filter(|o| !cancelled_before_shipping(o))
        .collect();
    let per_unit = |value: fn(&Order) -> f64, method| {
        mean_interval(sold.iter().map(|o| value(o) / f64::from(o.units)), method)
    };
    let list_price = per_unit(
        |o| o.list_value,
        "mean list price per unit, normal interval",
    );
    let seller_price = per_unit(
        |o| o.list_value - o.seller_discount,
        "mean price per unit after seller discounts, normal interval",
    );
    let seller_basket = mean_interval(
        sold.iter().map(|o| o.list_value - o.seller_discount),
        "mean price of an order after seller discounts, normal interval",
    );
    let value_share = |part: fn(&Order) -> f64, method| {
        ratio_interval(sold.iter().map(|o| (part(o), o.list_value)), method)
    };
    let seller_discount_share = value_share(
        |o| o.seller_discount,
        "seller discounts over list value (ratio estimator)",
    );
    let platform_discount_share = value_share(
        |o| o.platform_discount,
        "platform discounts over list value (ratio estimator)",
    );
    let creator_share = (!read.missing.contains(&"Creator Handle")
        || !read.missing.contains(&"Order Channel"))
    .then(|| {
        let k = sold.iter().filter(|o| o.creator).count() as u64;
        (sold.len() as u64 >= MIN_ORDERS)
            .then(|| share(k, sold.len() as u64))
            .flatten()
    })
    .flatten();
    let units: u64 = sold.iter().map(|o| u64::from(o.units)).sum();
    ShopFit {
        first_day,
        last_day,
        exported_at,
        orders: total,
        lines: read.lines as u64,
        delivered: orders.iter().filter(|o| o.delivered.is_some()).count() as u64,
        demand,
        daily,
        routes,
        cancelled_by_buyer: cancelled(CancelBy::Buyer),
        cancelled_by_seller: cancelled(CancelBy::Seller),
        cancelled_by_system: cancelled(CancelBy::System),
        returns,
        refund_only,
        list_price,
        seller_price,
        seller_basket,
        seller_discount_share,
        platform_discount_share,
        creator_share,
        units_per_order: units as f64 / sold.len().max(1) as f64,
        peak_lifts,
    }
}

/// Delivered orders whose return window closed before the export: the ones returns and
/// refunds are counted on.
fn closed_window<'a>(
    orders: &'a [Order],
    exported_at: Stamp,
    settings: &Settings,
) -> Vec<&'a Order> {
    let window = f64::from(settings.return_window_days) * DAY;
    orders
        .iter()
        .filter(|o| {
            o.delivered
                .is_some_and(|d| (exported_at - d) as f64 >= window)
        })
        .collect()
}

/// (days late, returned) of each delivered order whose return window closed before the
/// export: what [`rates::fit_returns`] fits (and the returns chart shows).
pub fn return_outcomes(
    orders: &[Order],
    exported_at: Stamp,
    settings: &Settings,
) -> Vec<(u32, bool)> {
    closed_window(orders, exported_at, settings)
        .iter()
        .map(|o| {
            (
                late_days(o, settings.promise_days),
                o.outcome == Outcome::Returned,
            )
        })
        .collect()
}

/// Whether an export's route (Fulfillment Type · Delivery Option · Provider) is
/// Fulfilled by TikTok: the platform dispatches, so there is no seller late dispatch.
pub fn platform_fulfilled(route: &str) -> bool {
    let n = route.to_lowercase();
    n.contains("by tiktok") || n.contains("fbt")
}

/// Cancelled without ever being shipped: not an order the model fulfils.
pub fn cancelled_before_shipping(o: &Order) -> bool {
    matches!(o.outcome, Outcome::Cancelled(_)) && o.shipped.is_none()
}

/// Whole days late against the promise, as the model counts them: delivery day minus
/// payment day, over `promise_days`.
fn late_days(o: &Order, promise_days: u32) -> u32 {
    let days = o
        .delivered
        .map_or(0, |d| d.div_euclid(86_400) - o.paid.div_euclid(86_400));
    (days - i64::from(promise_days)).max(0) as u32
}

/// The dispatch deadline: `business_days` weekdays after the payment, at the same time
/// (a payment on a weekend counts from the Monday).
pub fn dispatch_deadline(paid: Stamp, business_days: u32) -> Stamp {
    let mut day = paid.div_euclid(86_400);
    let time = paid.rem_euclid(86_400);
    let mut left = business_days;
    let mut weekend_start = false;
    while demand::weekday(day) >= 5 {
        day += 1;
        weekend_start = true;
    }
    // From a weekend, the first business day counts from its start.
    let time = if weekend_start { 0 } else { time };
    while left > 0 {
        day += 1;
        if demand::weekday(day) < 5 {
            left -= 1;
        }
    }
    day * 86_400 + time
}

/// Transit durations (shipped → delivered, in days) of the shipped parcels among
/// `orders`, as the route's transit fit takes them: delivered ones observed, ones still
/// travelling at the export censored; lost parcels, and cancelled ones never delivered,
/// left out.
pub fn transit_durations<'a>(
    orders: impl IntoIterator<Item = &'a Order>,
    exported_at: Stamp,
) -> Durations {
    let mut transit = Durations::default();
    for o in orders.into_iter().filter(|o| !o.lost) {
        let Some(from) = o.shipped else { continue };
        match o.delivered {
            // Delivered before it was shipped: the clock of one step is wrong (counted
            // by the route and left out).
            Some(d) if d < from => {}
            Some(d) => transit
                .observed
                .push(((d - from) as f64 / DAY).max(1.0 / 1440.0)),
            // Still travelling at the export (a cancelled parcel left the model's path).
            None if !matches!(o.outcome, Outcome::Cancelled(_)) => transit
                .censored
                .push(((exported_at - from) as f64 / DAY).max(1.0 / 1440.0)),
            None => {}
        }
    }
    transit
}

fn route_fit(name: &str, orders: &[&Order], exported_at: Stamp, settings: &Settings) -> RouteFit {
    let platform_fulfilled = platform_fulfilled(name);
    let shipped: Vec<&&Order> = orders.iter().filter(|o| o.shipped.is_some()).collect();
    let mut dispatched: Vec<u32> = shipped
        .iter()
        .map(|o| {
            (o.shipped.expect("filtered").div_euclid(86_400) - o.paid.div_euclid(86_400)).max(0)
                as u32
        })
        .collect();
    let dispatch_days = delays::median_days(&mut dispatched);

    let transit = delays::fit_lognormal(&transit_durations(orders.iter().copied(), exported_at));

    // Days from payment to delivery of orders paid long enough before the export that
    // nearly all have arrived (three promises); one still travelling counts as the
    // slowest, which the median tolerates.
    let settled_before = exported_at - 3 * i64::from(settings.promise_days) * 86_400;
    let mut totals: Vec<u32> = orders
        .iter()
        .filter(|o| o.paid <= settled_before && !o.lost && o.shipped.is_some())
        .filter_map(|o| match o.delivered {
            Some(d) => Some((d.div_euclid(86_400) - o.paid.div_euclid(86_400)).max(0) as u32),
            None if matches!(o.outcome, Outcome::Cancelled(_)) => None,
            None => Some(u32::MAX),
        })
        .collect();
    let handling_days = match (delays::median_days(&mut totals), &transit) {
        (Some(total), Some(t)) => {
            // The median of ⌈T⌉ is ⌈median T⌉ (⌈·⌉ is monotone).
            let whole = |x: f64| x.ceil();
            let less = |x: f64| (x - whole(t.median.value)).max(0.0);
            Some(Estimate {
                value: less(total.value),
                lo: less(total.lo),
                hi: less(total.hi),
                n: total.n,
                method: "median whole days from payment to delivery less the fitted transit's median whole days",
            })
        }
        _ => None,
    };

    // On time: orders whose promise has passed; undelivered ones by then are late.
    let promise = i64::from(settings.promise_days);
    let judged: Vec<bool> = orders
        .iter()
        .filter(|o| !cancelled_before_shipping(o) && !o.lost)
        .filter(|o| (o.paid.div_euclid(86_400) + promise + 1) * 86_400 <= exported_at)
        .filter_map(|o| match o.delivered {
            Some(d) => Some(d.div_euclid(86_400) - o.paid.div_euclid(86_400) <= promise),
            None if matches!(o.outcome, Outcome::Cancelled(_)) => None,
            None => Some(false),
        })
        .collect();
    let on_time = (judged.len() as u64 >= MIN_ORDERS)
        .then(|| {
            share(
                judged.iter().filter(|x| **x).count() as u64,
                judged.len() as u64,
            )
        })
        .flatten();

    // Late dispatch: orders whose deadline has passed, not cancelled before it.
    let dispatch: Vec<bool> = orders
        .iter()
        .filter_map(|o| {
            let deadline = dispatch_deadline(o.paid, settings.dispatch_business_days);
            if deadline > exported_at {
                return None;
            }
            match o.shipped {
                Some(s) => Some(s > deadline),
                None if o.cancelled.is_some_and(|c| c <= deadline) => None,
                None if matches!(o.outcome, Outcome::Cancelled(_)) => Some(true),
                None => Some(true),
            }
        })
        .collect();
    let late_dispatch = (!platform_fulfilled && dispatch.len() as u64 >= MIN_ORDERS)
        .then(|| {
            share(
                dispatch.iter().filter(|x| **x).count() as u64,
                dispatch.len() as u64,
            )
        })
        .flatten();
    let lost = (shipped.len() as u64 >= MIN_ORDERS)
        .then(|| {
            share(
                shipped.iter().filter(|o| o.lost).count() as u64,
                shipped.len() as u64,
            )
        })
        .flatten();
    RouteFit {
        name: name.to_string(),
        orders: orders.len() as u64,
        platform_fulfilled,
        handling_days,
        dispatch_days,
        transit,
        on_time,
        late_dispatch,
        lost,
        delivered_before_shipped: orders
            .iter()
            .filter(|o| matches!((o.shipped, o.delivered), (Some(s), Some(d)) if d < s))
            .count() as u64,
    }
}

/// The mean with a normal interval; `None` with fewer than [`MIN_ORDERS`] values.
pub fn mean_interval(values: impl Iterator<Item = f64>, method: &'static str) -> Option<Estimate> {
    let v: Vec<f64> = values.filter(|x| x.is_finite()).collect();
    if (v.len() as u64) < MIN_ORDERS {
        return None;
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let se = sd / n.sqrt();
    Some(Estimate {
        value: mean,
        lo: mean - Z_975 * se,
        hi: mean + Z_975 * se,
        n: v.len() as u64,
        method,
    })
}

/// Σ part / Σ whole with the ratio estimator's linearised standard error; `None` with
/// fewer than [`MIN_ORDERS`] pairs.
pub fn ratio_interval(
    pairs: impl Iterator<Item = (f64, f64)>,
    method: &'static str,
) -> Option<Estimate> {
    let v: Vec<(f64, f64)> = pairs
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .collect();
    let n = v.len() as f64;
    let whole: f64 = v.iter().map(|(_, b)| b).sum();
    if (v.len() as u64) < MIN_ORDERS || whole <= 0.0 {
        return None;
    }
    let ratio = v.iter().map(|(a, _)| a).sum::<f64>() / whole;
    let mean_whole = whole / n;
    let s2 = v.iter().map(|(a, b)| (a - ratio * b).powi(2)).sum::<f64>() / (n - 1.0);
    let se = (s2 / n).sqrt() / mean_whole;
    Some(Estimate {
        value: ratio,
        lo: (ratio - Z_975 * se).max(0.0),
        hi: (ratio + Z_975 * se).min(1.0),
        n: v.len() as u64,
        method,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::read::cells::days_from_civil;

    #[test]
    fn dispatch_deadline_skips_weekends() {
        // 2026-03-02 is a Monday.
        let monday = days_from_civil(2026, 3, 2) * 86_400 + 10 * 3600;
        assert_eq!(dispatch_deadline(monday, 2), monday + 2 * 86_400);
        let thursday = monday + 3 * 86_400;
        assert_eq!(dispatch_deadline(thursday, 2), thursday + 4 * 86_400);
        let saturday = monday + 5 * 86_400;
        // From Saturday: Monday counts as the start, Tuesday 00:00 + 1 more day.
        assert_eq!(
            dispatch_deadline(saturday, 2),
            days_from_civil(2026, 3, 11) * 86_400
        );
    }
}
