//! `shopsim fit`: reads an order export, fits the shop, and writes `<name>-fit/` with the
//! parameter CSV (`params.csv`, for `--params`) and `fit.json` (every estimate, written
//! last: its presence marks a complete folder).

use std::io::Write;
use std::time::Instant;

use anyhow::{Context, Result};
use serde::Serialize;

use super::common;
use crate::cli::FitArgs;
use crate::error::{InputError, Kind, Problem};
use crate::fit::estimate::demand::DemandFit;
use crate::fit::estimate::Estimate;
use crate::fit::land::{self, short, thousands, Landing};
use crate::fit::read::cells::DayText;
use crate::fit::read::orders::{read_orders, Orders};
use crate::fit::shop::{fit_shop, RouteFit, Settings, ShopFit};
use crate::output::inputs::Input;
use crate::output::{FolderKind, StagedFolder};

/// The folder of a fit, `<name>-fit`, marked by `fit.json`.
pub const FOLDER: FolderKind = FolderKind::analysis(
    "fit",
    "-fit",
    "fit.json",
    "a fit",
    &["params.csv", "fit.json", "charts"],
);

/// Runs `shopsim fit`.
pub fn fit(args: FitArgs) -> Result<()> {
    let started = Instant::now();
    if let Some(why) = crate::scenario::name_rules::why_not_a_study_name(&args.name) {
        return Err(InputError::one(Problem::general(
            Kind::Name,
            format!("--name `{}`: {why}", crate::error::printable(&args.name)),
        ))
        .into());
    }
    let settings = Settings {
        promise_days: args.promise_days,
        dispatch_business_days: args.dispatch_days,
        return_window_days: args.return_window_days,
        seed: args.seed,
    };
    // Everything is read and fitted before the output folder is claimed: a refused
    // export leaves nothing behind.
    let orders = read_orders(&args.orders, args.date_format)?;
    let shop = fit_shop(&orders, &settings);
    let file = args
        .orders
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| args.orders.display().to_string());
    let landing = land::land(&shop, &file);
    let warnings = warnings(&orders, &shop, &settings);
    for w in &warnings {
        eprintln!("warning: {w}");
    }

    let staged = StagedFolder::create(
        &args.out,
        &FOLDER.folder_name(&args.name),
        FOLDER,
        args.force,
        &[Input::new(&args.orders, "order export")],
    )?;
    staged.write("params.csv", &params_csv(&landing)?)?;
    let record = record(
        &args,
        &orders,
        &shop,
        &landing,
        &settings,
        &warnings,
        started.elapsed().as_secs_f64(),
    );
    let json = serde_json::to_string_pretty(&record).context("writing fit.json")?;
    staged.write(FOLDER.marker, json.as_bytes())?;
    let dir = staged.commit()?;

    let mut stdout = std::io::stdout().lock();
    common::write_out(&mut stdout, &summary(&orders, &shop, &landing, &dir))?;
    stdout.flush().ok();
    Ok(())
}

/// What the user should know about the data before trusting the estimates.
fn warnings(orders: &Orders, shop: &ShopFit, settings: &Settings) -> Vec<String> {
    let mut out = Vec::new();
    let days = shop.last_day - shop.first_day + 1;
    if days < 28 {
        out.push(format!(
            "the export covers {days} days: a month or more gives intervals a seller can act on, and a ramp-up longer than the export cannot be seen"
        ));
    }
    for route in shop.routes.iter().filter(|r| r.transit.is_none()) {
        out.push(format!(
            "route `{}` has {} orders: too few delivered parcels to fit its transit time (at least {}); its times are not in params.csv",
            route.name,
            route.orders,
            crate::fit::estimate::delays::MIN_OBSERVED
        ));
    }
    if shop.routes.len() > 1 {
        out.push(format!(
            "the export has {} delivery routes: params.csv carries the times of the one with the most orders (`{}`); fit.json has every route's",
            shop.routes.len(),
            shop.routes[0].name
        ));
    }
    if shop.returns.is_none() {
        out.push(format!(
            "too few orders delivered more than {} days before the export to fit returns (their return window must have closed): the catalog's return rates are kept",
            settings.return_window_days
        ));
    }
    let unused: Vec<&str> = orders
        .missing
        .iter()
        .copied()
        .filter(|c| {
            matches!(
                *c,
                "Cancel By" | "Creator Handle" | "SKU Unit Original Price" | "SKU Seller Discount"
            )
        })
        .collect();
    if !unused.is_empty() {
        out.push(format!(
            "the export has no column {}: what they tell is not estimated",
            unused
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

fn params_csv(landing: &Landing) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["key", "value", "unit", "description", "source"])?;
    for row in &landing.rows {
        let spec = row.key.spec();
        w.write_record([
            spec.key,
            &row.value,
            spec.unit,
            spec.description,
            &row.source,
        ])?;
    }
    Ok(w.into_inner()?)
}

/// `fit.json`.
#[derive(Serialize)]
struct FitRecord<'a> {
    program: &'static str,
    kind: &'static str,
    version: &'static str,
    study: &'a str,
    orders_file: String,
    lines: u64,
    orders: u64,
    first_day: String,
    last_day: String,
    date_format: &'static str,
    currency: Option<&'a str>,
    country: Option<&'a str>,
    description_row_skipped: bool,
    settings: SettingsRecord,
    demand: Option<&'a DemandFit>,
    routes: Vec<RouteRecord<'a>>,
    cancelled_by_buyer: Option<&'a Estimate>,
    cancelled_by_seller: Option<&'a Estimate>,
    cancelled_by_system: Option<&'a Estimate>,
    return_base_rate: Option<&'a Estimate>,
    return_late_per_day: Option<&'a Estimate>,
    refund_only: Option<&'a Estimate>,
    list_price: Option<&'a Estimate>,
    seller_price: Option<&'a Estimate>,
    seller_discount_share: Option<&'a Estimate>,
    platform_discount_share: Option<&'a Estimate>,
    creator_share: Option<&'a Estimate>,
    units_per_order: f64,
    parameters: Vec<ParamRecord<'a>>,
    kept_defaults: Vec<KeptRecord<'a>>,
    not_landed: Vec<KeptRecord<'a>>,
    warnings: &'a [String],
    elapsed_seconds: f64,
}

#[derive(Serialize)]
struct SettingsRecord {
    promise_days: u32,
    dispatch_business_days: u32,
    return_window_days: u32,
    seed: u64,
}

#[derive(Serialize)]
struct RouteRecord<'a> {
    name: &'a str,
    orders: u64,
    platform_fulfilled: bool,
    handling_days: Option<&'a Estimate>,
    transit_median_days: Option<&'a Estimate>,
    transit_sigma: Option<&'a Estimate>,
    transit_censored: Option<u64>,
    on_time: Option<&'a Estimate>,
    late_dispatch: Option<&'a Estimate>,
    lost: Option<&'a Estimate>,
}

#[derive(Serialize)]
struct ParamRecord<'a> {
    key: &'static str,
    value: &'a str,
    source: &'a str,
}

#[derive(Serialize)]
struct KeptRecord<'a> {
    what: &'a str,
    why: &'a str,
}

fn route_record(r: &RouteFit) -> RouteRecord<'_> {
    RouteRecord {
        name: &r.name,
        orders: r.orders,
        platform_fulfilled: r.platform_fulfilled,
        handling_days: r.handling_days.as_ref(),
        transit_median_days: r.transit.as_ref().map(|t| &t.median),
        transit_sigma: r.transit.as_ref().map(|t| &t.sigma),
        transit_censored: r.transit.as_ref().map(|t| t.censored),
        on_time: r.on_time.as_ref(),
        late_dispatch: r.late_dispatch.as_ref(),
        lost: r.lost.as_ref(),
    }
}

fn record<'a>(
    args: &'a FitArgs,
    orders: &'a Orders,
    shop: &'a ShopFit,
    landing: &'a Landing,
    settings: &Settings,
    warnings: &'a [String],
    elapsed_seconds: f64,
) -> FitRecord<'a> {
    FitRecord {
        program: "shopsim",
        kind: "fit",
        version: env!("CARGO_PKG_VERSION"),
        study: &args.name,
        orders_file: args.orders.display().to_string(),
        lines: shop.lines,
        orders: shop.orders,
        first_day: DayText(shop.first_day).to_string(),
        last_day: DayText(shop.last_day).to_string(),
        date_format: orders.date_order.name(),
        currency: orders.currency.as_deref(),
        country: orders.country.as_deref(),
        description_row_skipped: orders.skipped_description,
        settings: SettingsRecord {
            promise_days: settings.promise_days,
            dispatch_business_days: settings.dispatch_business_days,
            return_window_days: settings.return_window_days,
            seed: settings.seed,
        },
        demand: shop.demand.as_ref(),
        routes: shop.routes.iter().map(route_record).collect(),
        cancelled_by_buyer: shop.cancelled_by_buyer.as_ref(),
        cancelled_by_seller: shop.cancelled_by_seller.as_ref(),
        cancelled_by_system: shop.cancelled_by_system.as_ref(),
        return_base_rate: shop.returns.as_ref().map(|r| &r.base),
        return_late_per_day: shop.returns.as_ref().and_then(|r| r.late_per_day.as_ref()),
        refund_only: shop.refund_only.as_ref(),
        list_price: shop.list_price.as_ref(),
        seller_price: shop.seller_price.as_ref(),
        seller_discount_share: shop.seller_discount_share.as_ref(),
        platform_discount_share: shop.platform_discount_share.as_ref(),
        creator_share: shop.creator_share.as_ref(),
        units_per_order: shop.units_per_order,
        parameters: landing
            .rows
            .iter()
            .map(|r| ParamRecord {
                key: r.key.key(),
                value: &r.value,
                source: &r.source,
            })
            .collect(),
        kept_defaults: landing
            .kept
            .iter()
            .map(|(p, why)| KeptRecord { what: p.key(), why })
            .collect(),
        not_landed: landing
            .not_landed
            .iter()
            .map(|(what, why)| KeptRecord { what, why })
            .collect(),
        warnings,
        elapsed_seconds,
    }
}

/// The terminal summary: what was read, the main estimates, where they went.
fn summary(orders: &Orders, shop: &ShopFit, landing: &Landing, dir: &std::path::Path) -> String {
    let mut out = format!(
        "{}: {} orders on {} lines, {}..{} (dates {})\n",
        orders.origin,
        thousands(shop.orders),
        thousands(shop.lines),
        DayText(shop.first_day),
        DayText(shop.last_day),
        orders.date_order.name()
    );
    let line = |what: &str, e: &Estimate, unit: &str| {
        format!(
            "  {what:<34} {:>9} {unit}  (95%: {}..{}, n = {})\n",
            short(e.value),
            short(e.lo),
            short(e.hi),
            thousands(e.n)
        )
    };
    if let Some(d) = &shop.demand {
        out += &line("orders a day", &d.level, "");
        out += &line("day-to-day noise (cv)", &d.daily_cv, "");
    }
    for r in &shop.routes {
        out += &format!("  route {} ({} orders)\n", r.name, thousands(r.orders));
        if let Some(h) = &r.handling_days {
            out += &line("  days to dispatch (median)", h, "days");
        }
        if let Some(t) = &r.transit {
            out += &line("  transit (median)", &t.median, "days");
        }
        if let Some(o) = &r.on_time {
            out += &line("  on time", o, "");
        }
        if let Some(l) = &r.late_dispatch {
            out += &line("  dispatched late", l, "");
        }
    }
    if let Some(r) = &shop.returns {
        out += &line("returns of on-time orders", &r.base, "");
    }
    if let Some(p) = &shop.seller_price {
        out += &line("price per unit after seller discounts", p, "");
    }
    out += &format!(
        "{} parameters in {}/params.csv (use with --params); {} kept at their defaults; every estimate in fit.json\n",
        landing.rows.len(),
        dir.display(),
        landing.kept.len()
    );
    out
}
