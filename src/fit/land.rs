//! The estimates as the model's parameters: rows of a parameter CSV (the format `params`
//! writes and `--params` reads), each value a distribution that carries the estimate's
//! uncertainty, each source naming the file, its orders and its dates. What cannot be
//! estimated keeps the catalog default and says why; what the model has no parameter
//! for is listed, not dropped.

use super::estimate::{Estimate, Z_975};
use super::read::cells::DayText;
use super::shop::{RouteFit, ShopFit};
use crate::params::P;

/// One parameter row.
#[derive(Clone, Debug, PartialEq)]
pub struct Landed {
    /// The catalog parameter.
    pub key: P,
    /// Its value, as `--params` reads it.
    pub value: String,
    /// Where it comes from.
    pub source: String,
}

/// The parameter rows, and what was not landed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Landing {
    /// Rows for the CSV.
    pub rows: Vec<Landed>,
    /// Parameters left at their catalog default, and why.
    pub kept: Vec<(P, String)>,
    /// Estimates the model has no parameter for, and what they say.
    pub not_landed: Vec<(String, String)>,
}

/// Lands a shop's estimates. `file` names the export in the sources.
pub fn land(fit: &ShopFit, file: &str) -> Landing {
    let mut landing = Landing::default();
    let about = format!(
        "fit: {file}, {} orders, {}..{}",
        thousands(fit.orders),
        DayText(fit.first_day),
        DayText(fit.last_day)
    );
    let source = |e: &Estimate, what: &str| {
        format!(
            "{about}; {what}: {} (95% interval {}..{}, n = {}; {})",
            short(e.value),
            short(e.lo),
            short(e.hi),
            thousands(e.n),
            e.method
        )
    };
    let put = |landing: &mut Landing, key: P, value: String, src: String| {
        landing.rows.push(Landed {
            key,
            value,
            source: src,
        })
    };
    let keep = |landing: &mut Landing, key: P, why: &str| landing.kept.push((key, why.to_string()));

    match &fit.demand {
        Some(d) => {
            put(
                &mut landing,
                P::from_key("demand.daily_cv").expect("catalog key"),
                positive(&d.daily_cv),
                source(&d.daily_cv, "day-to-day noise beyond Poisson"),
            );
            if d.ramp_days.value > 0.0 {
                put(
                    &mut landing,
                    P::from_key("demand.ramp_days").expect("catalog key"),
                    whole_days(&d.ramp_days),
                    source(&d.ramp_days, "ramp to full demand"),
                );
            } else {
                keep(
                    &mut landing,
                    P::from_key("demand.ramp_days").expect("catalog key"),
                    &format!("the orders show no ramp-up (p = {:.2}): the export starts after it, or the shop had none", d.ramp_p_value),
                );
            }
            landing.not_landed.push((
                "demand level".into(),
                format!(
                    "{} orders a day ({}..{}): the model builds demand from accounts, live streams, ads and repeat buyers; the level is not yet turned into those (a later version lands it through a scenario)",
                    short(d.level.value),
                    short(d.level.lo),
                    short(d.level.hi)
                ),
            ));
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
        None => {
            for key in ["demand.daily_cv", "demand.ramp_days"] {
                keep(
                    &mut landing,
                    P::from_key(key).expect("catalog key"),
                    &format!(
                        "fewer than {} days of orders",
                        super::estimate::demand::MIN_DAYS
                    ),
                );
            }
        }
    }

    if let Some(route) = fit.routes.first() {
        land_route(&mut landing, route, fit, &about);
    }

    match &fit.returns {
        Some(r) => {
            put(
                &mut landing,
                P::from_key("returns.base_rate").expect("catalog key"),
                share_dist(&r.base),
                source(&r.base, "returns of on-time orders"),
            );
            put(
                &mut landing,
                P::from_key("returns.loop_factor").expect("catalog key"),
                "1".into(),
                format!("{about}; the fitted return rate is already the shop's route's"),
            );
            match &r.late_per_day {
                Some(late) => put(
                    &mut landing,
                    P::from_key("returns.late_per_day").expect("catalog key"),
                    non_negative(late),
                    source(late, "extra returns per day late"),
                ),
                None => keep(
                    &mut landing,
                    P::from_key("returns.late_per_day").expect("catalog key"),
                    "too few late orders with a closed return window",
                ),
            }
        }
        None => {
            for key in ["returns.base_rate", "returns.late_per_day"] {
                keep(
                    &mut landing,
                    P::from_key(key).expect("catalog key"),
                    "fewer than 100 on-time delivered orders whose return window has closed",
                );
            }
        }
    }

    match &fit.seller_price {
        Some(price) => {
            for key in ["price.retail", "price.reference"] {
                put(
                    &mut landing,
                    P::from_key(key).expect("catalog key"),
                    format!("normal({}, {})", short(price.value), short(se(price))),
                    source(price, "price per unit after the seller's discounts"),
                );
            }
        }
        None => keep(
            &mut landing,
            P::from_key("price.retail").expect("catalog key"),
            "fewer than 100 orders with prices",
        ),
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
    landing
}

fn land_route(landing: &mut Landing, route: &RouteFit, fit: &ShopFit, about: &str) {
    let about = if fit.routes.len() > 1 {
        format!(
            "{about}; route {} ({} orders, the most of {} routes)",
            route.name,
            thousands(route.orders),
            fit.routes.len()
        )
    } else {
        format!("{about}; route {}", route.name)
    };
    let source = |e: &Estimate, what: &str| {
        format!(
            "{about}; {what}: {} (95% interval {}..{}, n = {}; {})",
            short(e.value),
            short(e.lo),
            short(e.hi),
            thousands(e.n),
            e.method
        )
    };
    let key = |k: &str| P::from_key(k).expect("catalog key");
    let mut row = |k: &str, value: String, src: String| {
        landing.rows.push(Landed {
            key: key(k),
            value,
            source: src,
        })
    };
    let mut kept = Vec::new();
    match &route.handling_days {
        Some(h) => row(
            "logistics.handling_days",
            whole_days(h),
            source(h, "days from payment to dispatch"),
        ),
        None => kept.push((
            "logistics.handling_days",
            "fewer than 30 shipped orders on the route",
        )),
    }
    match &route.transit {
        Some(t) => {
            row(
                "logistics.transit_median_days",
                format!("lognormal({}, {})", short(t.median.value), short(t.se_mu)),
                source(
                    &t.median,
                    &format!(
                        "median transit days ({} parcels still in transit counted as censored)",
                        t.censored
                    ),
                ),
            );
            row(
                "logistics.transit_sigma",
                format!(
                    "lognormal({}, {})",
                    short(t.sigma.value),
                    short(t.se_log_sigma)
                ),
                source(&t.sigma, "log-sd of transit"),
            );
        }
        None => {
            kept.push((
                "logistics.transit_median_days",
                "fewer than 30 delivered parcels on the route",
            ));
            kept.push((
                "logistics.transit_sigma",
                "fewer than 30 delivered parcels on the route",
            ));
        }
    }
    match &route.late_dispatch {
        Some(l) => row(
            "logistics.late_dispatch_rate",
            share_dist(l),
            source(l, "dispatched after the deadline"),
        ),
        None if route.platform_fulfilled => kept.push((
            "logistics.late_dispatch_rate",
            "the platform dispatches on this route",
        )),
        None => kept.push((
            "logistics.late_dispatch_rate",
            "fewer than 100 orders whose dispatch deadline has passed",
        )),
    }
    match &route.lost {
        Some(l) => row(
            "logistics.lost_rate",
            share_dist(l),
            source(l, "shipped parcels lost"),
        ),
        None => kept.push(("logistics.lost_rate", "fewer than 100 shipped parcels")),
    }
    for (k, why) in kept {
        landing.kept.push((key(k), why.to_string()));
    }
    if let Some(on_time) = &route.on_time {
        landing.not_landed.push((
            "on-time rate".into(),
            format!(
                "{:.1}% of orders delivered within the promise ({:.1}%..{:.1}%, route {}): it follows from the fitted handling and transit; compare it with the simulated on-time rate",
                100.0 * on_time.value,
                100.0 * on_time.lo,
                100.0 * on_time.hi,
                route.name
            ),
        ));
    }
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
    if e.lo > 0.0 {
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
    fn numbers_read_well() {
        assert_eq!(short(4.123456), "4.123");
        assert_eq!(short(0.0123456), "0.01235");
        assert_eq!(short(1234.6), "1235");
        assert_eq!(thousands(4212), "4,212");
        assert_eq!(thousands(100000), "100,000");
        assert_eq!(thousands(12), "12");
    }
}
