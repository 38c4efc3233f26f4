//! `shopsim fit`: reads an order export, fits the shop, and writes `<name>-fit/` with the
//! parameter CSV (`params.csv`, for `--params`) and `fit.json` (every estimate, written
//! last: its presence marks a complete folder).

use std::time::Instant;

use anyhow::{Context, Result};
use serde::Serialize;

use super::common;
use crate::cli::FitArgs;
use crate::error::{InputError, Kind, Problem};
use crate::fit::estimate::demand::DemandFit;
use crate::fit::estimate::fees::{fit_at_fault, fit_fees, order_facts, FaultFit, FeeFit};
use crate::fit::estimate::Estimate;
use crate::fit::land::{self, short, thousands, Extras, Landing, Target};
use crate::fit::read::cells::DayText;
use crate::fit::read::orders::{read_orders, Orders};
use crate::fit::read::returns::read_returns;
use crate::fit::read::settlement::{read_settlement, Settlement};
use crate::fit::shop::{fit_shop, RouteFit, Settings, ShopFit};
use crate::output::inputs::Input;
use crate::output::{FolderKind, StagedFolder};
use crate::params::{Model, Resolved, Route, Setting, P};

/// The folder of a fit, `<name>-fit`, marked by `fit.json`.
pub const FOLDER: FolderKind = FolderKind::analysis(
    "fit",
    "-fit",
    "fit.json",
    "a fit",
    &[
        "params.csv",
        "fit.json",
        "scenario.toml",
        "charts",
        "report.html",
    ],
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
    // Everything is read and fitted before the output folder is claimed: a refused
    // export or scenario leaves nothing behind.
    let scenario = args
        .scenario
        .as_deref()
        .map(|path| crate::scenario::load_file(path, None))
        .transpose()?;
    let orders = read_orders(&args.orders, args.date_format)?;
    let returns = args
        .returns
        .as_deref()
        .map(|path| read_returns(path, Some(orders.date_order)))
        .transpose()?;
    let settlement = args
        .settlement
        .as_deref()
        .map(read_settlement)
        .transpose()?;
    let fees = settlement
        .as_ref()
        .map(|s| fit_fees(s, &order_facts(&orders)));
    let faults = returns
        .as_ref()
        .map(|r| fit_at_fault(r.returns.iter().map(|x| x.reason.as_str())));
    // The export's main route (most orders), as the model names it.
    let mut per_route = vec![0u64; orders.routes.len()];
    for o in &orders.orders {
        per_route[o.route] += 1;
    }
    let main_route = (0..orders.routes.len()).max_by_key(|&i| (per_route[i], std::cmp::Reverse(i)));
    let inferred = main_route.and_then(|i| infer_route(&orders.routes[i]));
    if args.route == Some(Route::Managed) {
        return Err(InputError::one(Problem::general(
            Kind::Conflict,
            "--route managed: a seller's own order export is a self-operated shop's (fully managed orders are the platform's); give the route its orders went by: direct_mail, overseas_3pl, platform_shipping or fbt",
        ))
        .into());
    }
    let data_route = args.route.or(inferred);
    let mut early_warnings = Vec::new();
    if let (Some(given), Some(said)) = (args.route, inferred) {
        if given != said {
            early_warnings.push(format!(
                "--route {given}: the export's columns say `{said}` (`{}`); the fit follows --route",
                main_route.map_or("", |i| orders.routes[i].as_str())
            ));
        }
    }
    if let Some(s) = &scenario {
        check_market(
            &orders,
            s,
            args.scenario.as_deref().unwrap_or(std::path::Path::new("")),
        )?;
    }
    let file = args
        .orders
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| args.orders.display().to_string());

    // The variants the values land on, with the defaults of the data's route in each
    // variant's market and category (the factors the data were measured under).
    let catalog;
    let mut data_defaults = Vec::new();
    let as_of = scenario
        .as_ref()
        .map_or(crate::params::rules::DEFAULT_AS_OF, |s| s.as_of());
    let settings_of: Vec<(Option<&str>, Setting, &Resolved)> = match &scenario {
        Some(s) => s
            .spec()
            .variants()
            .iter()
            .map(|v| (Some(v.name()), v.setting(), v.params()))
            .collect(),
        None => {
            let setting = Setting {
                market: args.market,
                category: args.category,
                model: Model::SelfOperated,
                route: data_route.unwrap_or(Route::Fbt),
                freight: crate::params::Freight::Sea,
                team: crate::params::Team::China,
                origin: crate::params::Origin::China,
                tariff_line: args.category.default_tariff_line(),
            };
            catalog = Resolved::defaults(setting, as_of);
            vec![(None, setting, &catalog)]
        }
    };
    for (_, setting, _) in &settings_of {
        let measured = Setting {
            model: Model::SelfOperated,
            route: data_route.unwrap_or(if setting.route == Route::Managed {
                Route::Fbt
            } else {
                setting.route
            }),
            ..*setting
        };
        data_defaults.push(Resolved::defaults(measured, as_of));
    }
    // The horizon the repeat buyers build up over: the scenario's, or the export's span.
    let horizon_days = scenario.as_ref().map_or_else(
        || {
            let span =
                |day: fn(&crate::fit::read::orders::Order) -> i64| orders.orders.iter().map(day);
            let first = span(|o| o.created.div_euclid(86_400)).min().unwrap_or(0);
            let last = span(|o| o.created.div_euclid(86_400)).max().unwrap_or(0);
            (last - first + 1) as f64
        },
        |s| s.spec().horizon_days() as f64,
    );
    let targets: Vec<Target<'_>> = settings_of
        .iter()
        .zip(&data_defaults)
        .map(|((variant, setting, params), data)| Target {
            variant: *variant,
            model: setting.model,
            route: setting.route,
            params,
            data_route_params: data,
            horizon_days,
        })
        .collect();
    // The promise the data are judged against: the flag, else the data route's variant's
    // (or the catalog's for that route).
    let promise_days = args.promise_days.unwrap_or_else(|| {
        let on_route = targets
            .iter()
            .position(|t| Some(t.route) == data_route)
            .map_or(
                data_defaults[0].dist(P::from_key("logistics.promise_days").expect("catalog key")),
                |i| {
                    targets[i]
                        .params
                        .dist(P::from_key("logistics.promise_days").expect("catalog key"))
                },
            );
        on_route.mean().round().max(1.0) as u32
    });
    let settings = Settings {
        promise_days,
        dispatch_business_days: args.dispatch_days,
        return_window_days: args.return_window_days,
        seed: args.seed,
        peaks: scenario.as_ref().map(peaks).unwrap_or_default(),
    };
    let shop = fit_shop(&orders, &settings);
    let settlement_file = args
        .settlement
        .as_deref()
        .and_then(|p| p.file_name())
        .map(|f| f.to_string_lossy().into_owned());
    let extras = Extras {
        fees: fees.as_ref(),
        faults: faults.as_ref(),
        settlement_file: settlement_file.as_deref(),
    };
    let landing = land::land(&shop, &file, data_route, &targets, extras);
    let mut warnings = early_warnings;
    warnings.extend(self::warnings(&orders, &shop, &settings));
    warnings.extend(growth_fee_warning(&landing.growth_fee_overlap));
    if let Some(s) = &settlement {
        warnings.extend(gross_sales_warning(s, &shop));
    }
    if let Some(s) = &scenario {
        warnings.extend(scenario_warnings(s, &shop, data_route, &targets));
    } else {
        if data_route.is_none() {
            warnings.push(no_route_warning(&shop));
        }
        warnings.push(format!(
            "without --scenario, params.csv is for one variant: {} {} on route `{}`; with `run --params` it sets every variant's values, the delivery times included; give --scenario to land each value on the variants it belongs to",
            args.market,
            args.category,
            data_route.map_or("(unknown)", |r| r.name())
        ));
    }
    for w in &warnings {
        super::terminal::warning(w);
    }
    let copy = match (&scenario, &args.scenario) {
        (Some(s), Some(path)) => {
            let header = format!(
                "# Fitted by `shopsim fit` from {file}{} ({} orders, {}..{}) on the scenario {}.\n# Each fitted value sits in its variant with its source above it; every estimate\n# and its interval is in fit.json, the same values as a parameter CSV in params.csv.\n# The comments below are the original scenario's: they describe its defaults, not\n# the fitted shop.\n\n",
                [&args.returns, &args.settlement]
                    .iter()
                    .filter_map(|p| p.as_deref().and_then(|p| p.file_name()))
                    .map(|f| format!(", {}", f.to_string_lossy()))
                    .collect::<String>(),
                thousands(shop.orders),
                DayText(shop.first_day),
                DayText(shop.last_day),
                path.display()
            );
            Some(
                crate::fit::scenario_copy::fitted_scenario(
                    s.text(),
                    &landing,
                    &shop.peak_lifts,
                    &header,
                )
                .map_err(|why| {
                    InputError::one(Problem::new(Kind::Syntax, path.display().to_string(), why))
                })?,
            )
        }
        _ => None,
    };

    let mut inputs = vec![Input::new(&args.orders, "order export")];
    if let Some(path) = &args.returns {
        inputs.push(Input::new(path, "returns export"));
    }
    if let Some(path) = &args.settlement {
        inputs.push(Input::new(path, "settlement statement"));
    }
    if let Some(path) = &args.scenario {
        inputs.push(Input::new(path, "scenario"));
    }
    let staged = StagedFolder::create(
        &args.out,
        &FOLDER.folder_name(&args.name),
        FOLDER,
        args.force,
        &inputs,
    )?;
    staged.write("params.csv", &params_csv(&landing, scenario.is_some())?)?;
    if let Some(copy) = &copy {
        staged.write("scenario.toml", copy.as_bytes())?;
    }
    let mut charts = crate::fit::charts::FitCharts {
        rendered: Vec::new(),
        skipped: Vec::new(),
    };
    if let Some(format) = args.charts.format() {
        charts =
            crate::fit::charts::fit_charts(&orders, &shop, &settings, returns.as_ref(), format)
                .map_err(|e| anyhow::anyhow!("drawing the charts of the fit: {e}"))?;
        crate::output::write_charts(&staged, &charts.rendered)?;
        for why in &charts.skipped {
            super::terminal::note(format!("no chart {why}"));
        }
    }
    let mut record = record(
        &args,
        &orders,
        &shop,
        &landing,
        &settings,
        &warnings,
        started.elapsed().as_secs_f64(),
    );
    record.data_route = data_route.map(|r| r.name());
    record.inputs = input_digests(&args)?;
    record.fees = fees.as_ref();
    record.returns_export = faults.as_ref();
    record.command = command(&args);
    let page = crate::fit::page::fit_html(&crate::fit::page::FitPage {
        name: &args.name,
        shop: &shop,
        settings: &settings,
        landing: &landing,
        fees: fees.as_ref(),
        faults: faults.as_ref(),
        warnings: &warnings,
        inputs: record
            .inputs
            .iter()
            .map(|i| crate::fit::page::FileRead {
                role: i.role,
                file: i.file.clone(),
                bytes: i.digest.bytes,
                sha256: i.digest.sha256.clone(),
            })
            .collect(),
        data_route,
        currency: orders.currency.as_deref(),
        date_format: orders.date_order.name(),
        scenario_copy: copy.is_some(),
        command: record.command.clone(),
        charts: &charts.rendered,
        skipped_charts: &charts.skipped,
    });
    staged.write("report.html", page.as_bytes())?;
    let json = serde_json::to_string_pretty(&record).context("writing fit.json")?;
    staged.write(FOLDER.marker, json.as_bytes())?;
    let dir = staged.commit()?;
    if args.open {
        super::terminal::open_page(&dir.join("report.html"));
    }
    super::terminal::files_written(&dir);
    super::terminal::answer(&summary(
        &orders,
        &settings,
        &shop,
        &landing,
        extras,
        &dir,
        copy.is_some(),
    ))
}

/// Refuses an export of another market or currency than the scenario's: its prices and
/// rates would be read as the scenario's.
fn check_market(
    orders: &Orders,
    scenario: &crate::scenario::Scenario,
    path: &std::path::Path,
) -> Result<(), InputError> {
    let shown = orders.origin.clone();
    let scenario_file = path.display().to_string();
    if let Some(country) = &orders.country {
        if let Some(market) = market_of_country(country) {
            let mut sold_in: Vec<crate::params::Market> = scenario
                .spec()
                .variants()
                .iter()
                .map(|v| v.setting().market)
                .collect();
            sold_in.sort();
            sold_in.dedup();
            if !sold_in.contains(&market) {
                return Err(InputError::one(Problem::new(
                    Kind::Conflict,
                    &shown,
                    format!(
                        "its orders are from {country} (market `{market}`), the variants of {scenario_file} sell in {}: fit a scenario of the export's market",
                        sold_in.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
                    ),
                )));
            }
        }
    }
    if let Some(currency) = &orders.currency {
        let theirs = scenario.currency();
        let same = currency == theirs || (currency == "USD" && theirs == "USD");
        if !same && currency.chars().all(|c| c.is_ascii_uppercase()) && currency.len() == 3 {
            return Err(InputError::one(Problem::new(
                Kind::Conflict,
                &shown,
                format!(
                    "its money is in {currency}, {scenario_file}'s in {theirs}: fit a scenario in the export's currency (`currency = \"{currency}\"` with its `fx` rate)"
                ),
            )));
        }
    }
    Ok(())
}

/// The market of a Country cell.
fn market_of_country(country: &str) -> Option<crate::params::Market> {
    use crate::params::Market;
    let c = country.trim().to_lowercase();
    Some(match c.as_str() {
        "united states" | "us" | "usa" => Market::Us,
        "united kingdom" | "uk" | "gb" | "great britain" => Market::Uk,
        "saudi arabia" | "sa" => Market::Sa,
        "singapore" | "sg" => Market::Sg,
        "thailand" | "th" => Market::Th,
        "vietnam" | "viet nam" | "vn" => Market::Vn,
        "malaysia" | "my" => Market::My,
        "philippines" | "ph" => Market::Ph,
        _ => return None,
    })
}

/// The model's route for an export's route name, when its columns say: Fulfilled by
/// TikTok, or the platform's shipping labels.
pub fn infer_route(name: &str) -> Option<Route> {
    let n = name.to_lowercase();
    if crate::fit::shop::platform_fulfilled(name) {
        Some(Route::Fbt)
    } else if n.contains("tiktok shipping")
        || n.contains("via platform")
        || n.contains("shipped by platform")
    {
        Some(Route::PlatformShipping)
    } else {
        None
    }
}

fn no_route_warning(shop: &ShopFit) -> String {
    format!(
        "the export's main route `{}` does not say which of the model's routes it is (seller-shipped orders may be direct_mail, overseas_3pl or platform_shipping): its delivery times are in fit.json but not in params.csv; give --route",
        shop.routes.first().map_or("", |r| r.name.as_str())
    )
}

/// The scenario's events with a demand multiplier, as calendar days.
fn peaks(scenario: &crate::scenario::Scenario) -> Vec<(String, i64, i64)> {
    let first = scenario.as_of().day_count();
    scenario
        .spec()
        .events()
        .iter()
        .filter(|e| {
            e.multipliers()[crate::sim::EventFactor::Demand as usize].fixed_value() != Some(1.0)
        })
        .map(|e| {
            (
                e.name().to_string(),
                first + e.start_day() as i64 - 1,
                first + e.end_day() as i64 - 1,
            )
        })
        .collect()
}

fn scenario_warnings(
    scenario: &crate::scenario::Scenario,
    shop: &ShopFit,
    data_route: Option<Route>,
    targets: &[Target<'_>],
) -> Vec<String> {
    let mut out = Vec::new();
    let days = shop.last_day - shop.first_day + 1;
    let ramp = targets
        .iter()
        .map(|t| {
            t.params
                .dist(P::from_key("demand.ramp_days").expect("catalog key"))
                .mean()
        })
        .fold(0.0, f64::max);
    if (days as f64) < ramp {
        out.push(format!(
            "the export covers {days} days, shorter than the {ramp:.0}-day ramp-up the scenario assumes: the level may still be rising"
        ));
    }
    match data_route {
        None => out.push(no_route_warning(shop)),
        Some(route) if !targets.iter().any(|t| t.route == route) => out.push(format!(
            "the export's orders went by route `{route}`, which no variant of {} uses: no variant gets the fitted delivery times",
            scenario.spec().name()
        )),
        Some(_) => {}
    }
    let covered: Vec<&str> = shop.peak_lifts.iter().map(|(n, _)| n.as_str()).collect();
    for (name, ..) in peaks(scenario) {
        if !covered.contains(&name.as_str()) {
            out.push(format!(
                "the event `{name}` falls outside the export's dates: its demand multiplier stays the scenario's"
            ));
        }
    }
    out
}

/// The variants whose fitted commission may already hold the growth fee they also pay
/// apart, named once.
fn growth_fee_warning(variants: &[Option<String>]) -> Option<String> {
    let first = variants.first()?;
    let names = || {
        variants
            .iter()
            .flatten()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let who = match (first, variants.len()) {
        (None, _) => "the study pays".to_string(),
        (Some(_), 1) => format!("variant {} pays", names()),
        (Some(_), _) => format!("variants {} pay", names()),
    };
    Some(format!(
        "the statement's Referral fee lands as `fees.commission_rate`, and {who} Thailand's growth fee apart too (`fees.growth_fee_rate`, at most `fees.growth_fee_cap` an item): the statement's columns read here have no growth fee of their own, and whether a Thai statement counts it inside the referral fee is not known; if yours does, set `fees.growth_fee_rate` to 0 in params.csv, or the fee is counted twice"
    ))
}

/// A statement without the seller's discounts: its rates are over gross sales, which a US
/// statement writes before those discounts, while the platform charges after them.
fn gross_sales_warning(settlement: &Settlement, shop: &ShopFit) -> Option<String> {
    if settlement.has("Seller discount(+refund)") {
        return None;
    }
    let share = shop
        .seller_discount_share
        .as_ref()
        .filter(|e| e.value > 0.0)
        .map_or(String::new(), |e| {
            format!(
                "; the order export's seller discounts are {:.1}% of list value, so the rates may be understated by about that share",
                100.0 * e.value
            )
        });
    Some(format!(
        "{}: the statement has no `Seller discount(+refund)` column, so the fee rates are over its Gross sales, which a US statement writes before the seller's discounts, while the platform charges its fees after them{share}",
        settlement.origin
    ))
}

/// What the user should know about the data before trusting the estimates.
fn warnings(orders: &Orders, shop: &ShopFit, settings: &Settings) -> Vec<String> {
    let mut out = Vec::new();
    let days = shop.last_day - shop.first_day + 1;
    let quiet = shop.daily.counts.iter().filter(|&&c| c == 0).count();
    if days >= 28 && quiet * 2 > days as usize {
        out.push(format!(
            "{quiet} of the export's {days} days have no order: is it two periods in one file, or a few orders with wrong dates? The level is the average over every day"
        ));
    }
    if shop.units_per_order > crate::fit::land::BASKET_UNITS {
        out.push(format!(
            "orders carry {} units on average; the model's order is one unit, so price.retail is an order's price, and the variants' per-unit costs, weights and volumes are scaled to an order's (× {}; {}, the last where a growth fee is charged); stock counts (inventory.*) are then in orders",
            short(shop.units_per_order),
            short(shop.units_per_order),
            crate::fit::land::PER_UNIT_COSTS.join(", ")
        ));
    }
    let inconsistent: u64 = shop.routes.iter().map(|r| r.delivered_before_shipped).sum();
    if inconsistent > 0 {
        out.push(format!(
            "{inconsistent} orders were delivered before they were shipped: left out of the transit times"
        ));
    }
    if settings.return_window_days < 7 {
        out.push(format!(
            "--return-window-days {}: returns asked for later than that are missed, so the return rates come out low",
            settings.return_window_days
        ));
    }
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

/// The parameter CSV, with a `variant` column when the values are for a scenario's
/// variants.
fn params_csv(landing: &Landing, with_variant: bool) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["key", "value", "unit", "description", "source"];
    if with_variant {
        header.insert(0, "variant");
    }
    w.write_record(&header)?;
    for row in &landing.rows {
        let spec = row.key.spec();
        let mut cells = vec![
            spec.key,
            &row.value,
            spec.unit,
            spec.description,
            &row.source,
        ];
        if with_variant {
            cells.insert(0, row.variant.as_deref().unwrap_or(""));
        }
        w.write_record(&cells)?;
    }
    let mut bytes = w.into_inner()?;
    // What stays at its default, and why, as comment lines `--params` skips.
    for (variant, p, why) in &landing.kept {
        let whose = variant
            .as_deref()
            .map_or(String::new(), |v| format!("{v}: "));
        let line = format!("# kept at its value: {whose}{} ({why})\n", p.key());
        bytes.extend(line.replace(['\r'], "").as_bytes());
    }
    for (what, why) in &landing.not_landed {
        bytes.extend(
            format!("# not a parameter of the model: {what}: {why}\n")
                .replace('\r', "")
                .as_bytes(),
        );
    }
    Ok(bytes)
}

/// `fit.json`.
#[derive(Serialize)]
struct FitRecord<'a> {
    program: &'static str,
    kind: &'static str,
    version: &'static str,
    study: &'a str,
    orders_file: String,
    /// Every file read, with its size and SHA-256: which exports this fit is of.
    inputs: Vec<InputDigest>,
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
    data_route: Option<&'static str>,
    fees: Option<&'a FeeFit>,
    returns_export: Option<&'a FaultFit>,
    peak_lifts: Vec<KeptRecordOwned>,
    parameters: Vec<ParamRecord<'a>>,
    kept_defaults: Vec<KeptRecord<'a>>,
    not_landed: Vec<KeptRecord<'a>>,
    warnings: &'a [String],
    /// The command line that reproduces the fit (as `report.html` shows it).
    command: String,
    elapsed_seconds: f64,
}

#[derive(Serialize)]
struct InputDigest {
    role: &'static str,
    file: String,
    #[serde(flatten)]
    digest: crate::shard::FileDigest,
}

/// The size and SHA-256 of each file the fit read.
fn input_digests(args: &FitArgs) -> Result<Vec<InputDigest>> {
    let files = [
        ("orders", Some(&args.orders)),
        ("returns", args.returns.as_ref()),
        ("settlement", args.settlement.as_ref()),
        ("scenario", args.scenario.as_ref()),
    ];
    files
        .into_iter()
        .filter_map(|(role, path)| path.map(|p| (role, p)))
        .map(|(role, path)| {
            let again = || format!("reading '{}' again to record its digest", path.display());
            let file = std::fs::File::open(path).with_context(again)?;
            let digest =
                crate::shard::digest_reader(std::io::BufReader::new(file)).with_context(again)?;
            Ok(InputDigest {
                role,
                file: path.display().to_string(),
                digest,
            })
        })
        .collect()
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
    dispatch_days: Option<&'a Estimate>,
    transit_median_days: Option<&'a Estimate>,
    transit_sigma: Option<&'a Estimate>,
    transit_censored: Option<u64>,
    on_time: Option<&'a Estimate>,
    late_dispatch: Option<&'a Estimate>,
    lost: Option<&'a Estimate>,
}

#[derive(Serialize)]
struct KeptRecordOwned {
    what: String,
    estimate: Estimate,
}

#[derive(Serialize)]
struct ParamRecord<'a> {
    variant: Option<&'a str>,
    key: &'static str,
    value: &'a str,
    source: &'a str,
}

#[derive(Serialize)]
struct KeptRecord<'a> {
    variant: Option<&'a str>,
    what: &'a str,
    why: &'a str,
}

fn route_record(r: &RouteFit) -> RouteRecord<'_> {
    RouteRecord {
        name: &r.name,
        orders: r.orders,
        platform_fulfilled: r.platform_fulfilled,
        handling_days: r.handling_days.as_ref(),
        dispatch_days: r.dispatch_days.as_ref(),
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
        inputs: Vec::new(),
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
        data_route: None,
        fees: None,
        returns_export: None,
        peak_lifts: shop
            .peak_lifts
            .iter()
            .map(|(what, estimate)| KeptRecordOwned {
                what: what.clone(),
                estimate: estimate.clone(),
            })
            .collect(),
        parameters: landing
            .rows
            .iter()
            .map(|r| ParamRecord {
                variant: r.variant.as_deref(),
                key: r.key.key(),
                value: &r.value,
                source: &r.source,
            })
            .collect(),
        kept_defaults: landing
            .kept
            .iter()
            .map(|(variant, p, why)| KeptRecord {
                variant: variant.as_deref(),
                what: p.key(),
                why,
            })
            .collect(),
        not_landed: landing
            .not_landed
            .iter()
            .map(|(what, why)| KeptRecord {
                variant: None,
                what,
                why,
            })
            .collect(),
        warnings,
        command: String::new(),
        elapsed_seconds,
    }
}

/// The command line that reproduces the fit: the files and flags as given, and every
/// setting that changes an estimate at the value it had.
fn command(args: &FitArgs) -> String {
    let path = |p: &std::path::Path| p.display().to_string();
    let mut words = vec!["shopsim".to_string(), "fit".to_string(), path(&args.orders)];
    for (flag, file) in [
        ("--returns", &args.returns),
        ("--settlement", &args.settlement),
        ("--scenario", &args.scenario),
    ] {
        if let Some(f) = file {
            words.extend([flag.to_string(), path(f)]);
        }
    }
    if let Some(route) = args.route {
        words.extend(["--route".to_string(), route.name().to_string()]);
    }
    if args.scenario.is_none() {
        words.extend([
            "--market".to_string(),
            args.market.to_string(),
            "--category".to_string(),
            args.category.to_string(),
        ]);
    }
    words.extend(["--name".to_string(), args.name.clone()]);
    if let Some(order) = args.date_format {
        words.extend(["--date-format".to_string(), order.name().to_string()]);
    }
    if let Some(days) = args.promise_days {
        words.extend(["--promise-days".to_string(), days.to_string()]);
    }
    words.extend([
        "--dispatch-days".to_string(),
        args.dispatch_days.to_string(),
        "--return-window-days".to_string(),
        args.return_window_days.to_string(),
        "--seed".to_string(),
        args.seed.to_string(),
    ]);
    words.extend(common::chart_words(&args.charts));
    crate::output::analysis_page::command_line(&words)
}

/// The terminal summary: what was read, the main estimates, where they went.
fn summary(
    orders: &Orders,
    settings: &Settings,
    shop: &ShopFit,
    landing: &Landing,
    extras: Extras<'_>,
    dir: &std::path::Path,
    copy: bool,
) -> String {
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
            "  {what:<40} {:>9} {unit}  (95%: {}..{}, n = {})\n",
            short(e.value),
            short(e.lo),
            short(e.hi),
            thousands(e.n)
        )
    };
    if let Some(d) = &shop.demand {
        out += &line("orders a day", &d.level, "");
        out += &line("day-to-day noise (cv)", &d.daily_cv, "");
        if d.weekday_p_value < crate::fit::estimate::demand::ALPHA {
            out += &format!(
                "  orders by weekday, Mon..Sun, over the mean: {} (p = {:.1e}; the model's days are alike)\n",
                d.weekday_factors.iter().map(|f| format!("{f:.2}")).collect::<Vec<_>>().join(" "),
                d.weekday_p_value
            );
        }
    }
    for r in &shop.routes {
        out += &format!("  route {} ({} orders)\n", r.name, thousands(r.orders));
        if let Some(h) = &r.dispatch_days {
            out += &line(
                "  days to dispatch (median)",
                h,
                if h.value == 1.0 { "day" } else { "days" },
            );
        }
        if let Some(t) = &r.transit {
            out += &line("  transit (median)", &t.median, "days");
        }
        if let Some(o) = &r.on_time {
            out += &line(
                &format!("  on time (promise {} days)", settings.promise_days),
                o,
                "",
            );
        }
        if let Some(l) = &r.late_dispatch {
            out += &line("  dispatched late", l, "");
        }
    }
    for (what, e) in [
        ("cancelled by the buyer", &shop.cancelled_by_buyer),
        ("cancelled by the seller", &shop.cancelled_by_seller),
        ("cancelled by the platform", &shop.cancelled_by_system),
    ] {
        if let Some(e) = e {
            out += &line(what, e, "");
        }
    }
    if let Some(r) = &shop.returns {
        out += &line("returns of on-time orders", &r.base, "");
    }
    if let Some(p) = &shop.seller_price {
        out += &line("price per unit after seller discounts", p, "");
    }
    if shop.units_per_order > crate::fit::land::BASKET_UNITS {
        if let Some(p) = &shop.seller_basket {
            out += &line(
                &format!("price of an order ({} units)", short(shop.units_per_order)),
                p,
                "",
            );
        }
    }
    if let Some(fees) = extras.fees {
        let referral = format!("referral fee over {}", fees.sales);
        for (what, e) in [
            (referral.as_str(), &fees.referral_rate),
            ("affiliate commission", &fees.affiliate_rate),
            ("FBT fee per order", &fees.fbt_fee),
            ("days from delivery to statement", &fees.settlement_days),
        ] {
            if let Some(e) = e {
                out += &line(what, e, "");
            }
        }
    }
    if let Some(e) = extras.faults.and_then(|f| f.at_fault.as_ref()) {
        out += &line("returns at the seller's fault", e, "");
    }
    out += &format!(
        "{} parameters in {}/params.csv (use with --params); {} kept at their defaults; every estimate in fit.json\n",
        landing.rows.len(),
        dir.display(),
        landing.kept.len()
    );
    if copy {
        out += &format!(
            "the scenario with the fitted values: shopsim run {}/scenario.toml\n",
            dir.display()
        );
    }
    out
}
