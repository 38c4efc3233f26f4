//! A fit's `report.html`: what the Seller Center exports say about the shop — its daily
//! orders, delivery, returns, prices and fees with their 95% intervals — what landed in
//! `params.csv`, what was kept at its default and what the model has no parameter for,
//! the warnings, the charts of data against fit, and the command that reproduces it with
//! the files' SHA-256. Every figure is one `fit.json` holds.

use maud::{html, Markup};

use super::estimate::fees::{FaultFit, FeeFit};
use super::estimate::Estimate;
use super::land::{short, thousands, Landing};
use super::read::cells::DayText;
use super::shop::{Settings, ShopFit};
use crate::format::fmt_percent;
use crate::output::analysis_page::{analysis_html, full_table, AnalysisPage, Answer, Section};
use crate::output::charts::Rendered;
use crate::params::Route;

/// A file the fit read, as `fit.json` records it.
pub struct FileRead {
    /// What it is: `orders`, `returns`, `settlement`, `scenario`.
    pub role: &'static str,
    /// Its path as given.
    pub file: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its SHA-256, 64 hex digits.
    pub sha256: String,
}

/// Everything a fit's page shows.
pub struct FitPage<'a> {
    /// The fit's name (`--name`).
    pub name: &'a str,
    /// The shop as the order export shows it.
    pub shop: &'a ShopFit,
    /// The settings it was fitted with.
    pub settings: &'a Settings,
    /// What landed on the model's parameters.
    pub landing: &'a Landing,
    /// From the settlement statement, when given.
    pub fees: Option<&'a FeeFit>,
    /// From the returns export, when given.
    pub faults: Option<&'a FaultFit>,
    /// The warnings the command printed.
    pub warnings: &'a [String],
    /// The files read.
    pub inputs: Vec<FileRead>,
    /// The model's route of the export's main route (`None`: unknown).
    pub data_route: Option<Route>,
    /// The export's currency, when it says.
    pub currency: Option<&'a str>,
    /// How its dates were read (`mm/dd/yyyy`…).
    pub date_format: &'a str,
    /// Whether `scenario.toml` (the scenario with the fitted values) was written.
    pub scenario_copy: bool,
    /// The command line that reproduces the fit.
    pub command: String,
    /// The charts drawn.
    pub charts: &'a [Rendered],
    /// The charts not drawn, and why.
    pub skipped_charts: &'a [String],
}

/// How an estimate reads: a share as a percentage, else a number.
#[derive(Clone, Copy)]
enum Unit<'u> {
    Share,
    Number(&'u str),
}

fn value(u: Unit<'_>, x: f64) -> String {
    match u {
        Unit::Share => fmt_percent(x),
        Unit::Number("") => short(x),
        Unit::Number(unit) => format!("{} {unit}", short(x)),
    }
}

/// `23.4 days (95% interval 21 to 25.9)`: the unit once.
fn with_interval(u: Unit<'_>, e: &Estimate) -> String {
    let bare = match u {
        Unit::Share => u,
        Unit::Number(_) => Unit::Number(""),
    };
    format!(
        "{} (95% interval {} to {})",
        value(u, e.value),
        value(bare, e.lo),
        value(bare, e.hi)
    )
}

/// One row of the estimates' table.
struct Row<'a> {
    group: String,
    what: String,
    unit: Unit<'a>,
    e: &'a Estimate,
}

/// Every estimate the fit made, in `fit.json`'s order, with how it reads.
fn estimates<'a>(p: &'a FitPage<'a>) -> Vec<Row<'a>> {
    let mut rows = Vec::new();
    let mut add = |group: &str, what: &str, unit: Unit<'a>, e: Option<&'a Estimate>| {
        if let Some(e) = e {
            rows.push(Row {
                group: group.to_string(),
                what: what.to_string(),
                unit,
                e,
            });
        }
    };
    let shop = p.shop;
    if let Some(d) = &shop.demand {
        add(
            "demand",
            "orders a day (at full ramp-up, peaks left out)",
            Unit::Number(""),
            Some(&d.level),
        );
        add(
            "demand",
            "day-to-day noise (coefficient of variation)",
            Unit::Number(""),
            Some(&d.daily_cv),
        );
        add(
            "demand",
            "ramp-up",
            Unit::Number("days"),
            Some(&d.ramp_days),
        );
        add(
            "demand",
            "trend of the level over 30 days",
            Unit::Share,
            Some(&d.trend_per_30_days),
        );
    }
    for (what, e) in &shop.peak_lifts {
        add(
            "demand",
            &format!("lift of `{what}` over the level"),
            Unit::Number("×"),
            Some(e),
        );
    }
    for r in &shop.routes {
        let g = format!("route `{}`", r.name);
        add(
            &g,
            "days to dispatch (median)",
            Unit::Number("days"),
            r.dispatch_days.as_ref(),
        );
        add(
            &g,
            "handling days (model)",
            Unit::Number("days"),
            r.handling_days.as_ref(),
        );
        add(
            &g,
            "transit, median",
            Unit::Number("days"),
            r.transit.as_ref().map(|t| &t.median),
        );
        add(
            &g,
            "transit, spread (log-normal σ)",
            Unit::Number(""),
            r.transit.as_ref().map(|t| &t.sigma),
        );
        add(
            &g,
            &format!("on time (promise {} days)", p.settings.promise_days),
            Unit::Share,
            r.on_time.as_ref(),
        );
        add(&g, "dispatched late", Unit::Share, r.late_dispatch.as_ref());
        add(&g, "parcels lost", Unit::Share, r.lost.as_ref());
    }
    add(
        "orders",
        "cancelled by the buyer",
        Unit::Share,
        shop.cancelled_by_buyer.as_ref(),
    );
    add(
        "orders",
        "cancelled by the seller",
        Unit::Share,
        shop.cancelled_by_seller.as_ref(),
    );
    add(
        "orders",
        "cancelled by the platform",
        Unit::Share,
        shop.cancelled_by_system.as_ref(),
    );
    if let Some(r) = &shop.returns {
        add(
            "returns",
            "returns of on-time orders",
            Unit::Share,
            Some(&r.base),
        );
        add(
            "returns",
            "extra returns per day late",
            Unit::Share,
            r.late_per_day.as_ref(),
        );
    }
    add(
        "returns",
        "refunds without a return",
        Unit::Share,
        shop.refund_only.as_ref(),
    );
    if let Some(f) = p.faults {
        add(
            "returns",
            "returns at the seller's fault",
            Unit::Share,
            f.at_fault.as_ref(),
        );
    }
    let money = Unit::Number(p.currency.unwrap_or(""));
    add(
        "prices",
        "list price per unit",
        money,
        shop.list_price.as_ref(),
    );
    add(
        "prices",
        "price per unit after seller discounts",
        money,
        shop.seller_price.as_ref(),
    );
    add(
        "prices",
        "price of an order after seller discounts",
        money,
        shop.seller_basket.as_ref(),
    );
    add(
        "prices",
        "seller-funded discounts (share of list value)",
        Unit::Share,
        shop.seller_discount_share.as_ref(),
    );
    add(
        "prices",
        "platform-funded discounts (share of list value)",
        Unit::Share,
        shop.platform_discount_share.as_ref(),
    );
    add(
        "prices",
        "orders credited to a creator",
        Unit::Share,
        shop.creator_share.as_ref(),
    );
    if let Some(f) = p.fees {
        add(
            "fees",
            &format!("referral fee over {}", f.sales),
            Unit::Share,
            f.referral_rate.as_ref(),
        );
        add(
            "fees",
            &format!("transaction fee over {}", f.sales),
            Unit::Share,
            f.transaction_rate.as_ref(),
        );
        add(
            "fees",
            "affiliate commission (creator orders)",
            Unit::Share,
            f.affiliate_rate.as_ref(),
        );
        add("fees", "FBT fee per order", money, f.fbt_fee.as_ref());
        add(
            "fees",
            "return label fee per returned order",
            money,
            f.return_label_fee.as_ref(),
        );
        add(
            "fees",
            "days from delivery to statement",
            Unit::Number("days"),
            f.settlement_days.as_ref(),
        );
    }
    rows
}

/// The answer in words: the level, delivery, returns and fees with their intervals, what
/// landed and what did not, the warnings.
fn answer(p: &FitPage<'_>) -> Answer {
    let shop = p.shop;
    let span = format!(
        "{} orders from {} to {}",
        thousands(shop.orders),
        DayText(shop.first_day),
        DayText(shop.last_day)
    );
    let mut a = Answer {
        headline: match &shop.demand {
            Some(d) => format!(
                "`{}` sells {} orders a day at full ramp-up (95% interval {} to {}; {span}).",
                p.name,
                short(d.level.value),
                short(d.level.lo),
                short(d.level.hi)
            ),
            None => format!(
                "`{}`: {span}, too few days to fit its daily orders.",
                p.name
            ),
        },
        ..Answer::default()
    };
    for r in &shop.routes {
        let mut parts = Vec::new();
        if let Some(t) = &r.transit {
            parts.push(format!(
                "transit {}",
                with_interval(Unit::Number("days"), &t.median)
            ));
        }
        if let Some(o) = &r.on_time {
            parts.push(format!(
                "on time (promise {} days) {}",
                p.settings.promise_days,
                with_interval(Unit::Share, o)
            ));
        }
        if let Some(l) = &r.late_dispatch {
            parts.push(format!("dispatched late {}", with_interval(Unit::Share, l)));
        }
        if parts.is_empty() {
            parts.push("too few delivered parcels to fit its times".to_string());
        }
        a.details.push(format!(
            "Route `{}` ({} orders): {}.",
            r.name,
            thousands(r.orders),
            parts.join("; ")
        ));
    }
    let mut money = Vec::new();
    match &shop.returns {
        Some(r) => money.push(format!(
            "returns of on-time orders {}",
            with_interval(Unit::Share, &r.base)
        )),
        None => money.push(
            "returns: too few orders with a closed return window (the catalog's rates are kept)"
                .to_string(),
        ),
    }
    if let Some(e) = p.faults.and_then(|f| f.at_fault.as_ref()) {
        money.push(format!(
            "at the seller's fault {}",
            with_interval(Unit::Share, e)
        ));
    }
    if let Some(e) = &shop.seller_price {
        money.push(format!(
            "price per unit after seller discounts {}",
            with_interval(Unit::Number(p.currency.unwrap_or("")), e)
        ));
    }
    if let Some(f) = p.fees {
        for (what, unit, e) in [
            ("referral fee", Unit::Share, &f.referral_rate),
            ("affiliate commission", Unit::Share, &f.affiliate_rate),
            (
                "FBT fee per order",
                Unit::Number(p.currency.unwrap_or("")),
                &f.fbt_fee,
            ),
            (
                "days from delivery to statement",
                Unit::Number("days"),
                &f.settlement_days,
            ),
        ] {
            if let Some(e) = e {
                money.push(format!("{what} {}", with_interval(unit, e)));
            }
        }
    }
    a.details
        .push(format!("{}.", capitalise(&money.join("; "))));
    let mut landed = format!(
        "{} values landed on the model's parameters in `params.csv` (use it with `shopsim run --params`)",
        p.landing.rows.len()
    );
    if p.scenario_copy {
        landed.push_str(", and in `scenario.toml`, a copy of the scenario using them");
    }
    landed.push_str(&format!(
        "; {} kept at their values, {} estimates the model has no parameter for (both listed below).",
        p.landing.kept.len(),
        p.landing.not_landed.len()
    ));
    a.details.push(landed);
    a.notes.extend(p.warnings.iter().cloned());
    a.notes.extend(
        p.skipped_charts
            .iter()
            .map(|why| format!("No chart {why}.")),
    );
    a
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// How to read each chart of a fit (`transit_<n>`: the n-th route of the shop).
fn chart_caption(stem: &str, shop: &ShopFit) -> String {
    if let Some(n) = stem.strip_prefix("transit_") {
        let route = n
            .parse::<usize>()
            .ok()
            .and_then(|n| shop.routes.get(n.wrapping_sub(1)));
        return format!(
            "Days from shipping to delivery{}: the data's distribution against the fitted log-normal.",
            route.map_or(String::new(), |r| format!(" on route {}", r.name))
        );
    }
    match stem {
        "daily_orders" => "Orders each day in the export against the fitted level (and ramp-up, where one was found); peak days are left out of the level.",
        "returns" => "The share of orders returned by how many days late they arrived: the data against the fitted rate.",
        "return_reasons" => "Returns by reason, as the returns export gives them: at the seller's fault, a change of mind, or not said.",
        _ => "",
    }
    .to_string()
}

/// Builds the page.
pub fn fit_html(p: &FitPage<'_>) -> String {
    let files: Vec<String> = p
        .inputs
        .iter()
        .filter(|f| f.role != "scenario")
        .map(|f| format!("`{}`", file_name(&f.file)))
        .collect();
    let question = format!(
        "What do these Seller Center exports ({}) say about this shop: how many orders a day, how fast they arrive, how many come back, what it is paid, and what that sets in the model?",
        files.join(", ")
    );
    let facts = format!(
        "{} SKU lines, {} orders, {} delivered; dates read as {}; the export's main route is the model's {}; on time means delivered within {} days of payment, dispatch is late after {} business days, and returns count among orders whose {}-day return window has closed; bootstrap intervals on seed {}.",
        thousands(p.shop.lines),
        thousands(p.shop.orders),
        thousands(p.shop.delivered),
        p.date_format,
        p.data_route.map_or("— unknown (see the notes)".to_string(), |r| format!("`{}`", r.name())),
        p.settings.promise_days,
        p.settings.dispatch_business_days,
        p.settings.return_window_days,
        p.settings.seed
    );
    let mut names: Vec<String> = vec![p.name.to_string()];
    names.extend(p.inputs.iter().map(|f| file_name(&f.file).to_string()));
    names.extend(p.shop.routes.iter().map(|r| r.name.clone()));
    names.extend(p.shop.peak_lifts.iter().map(|(n, _)| n.clone()));
    names.extend(p.landing.rows.iter().filter_map(|r| r.variant.clone()));
    let sections = vec![
        Section {
            id: "estimates",
            title: "Estimates".to_string(),
            body: estimates_table(p),
        },
        Section {
            id: "parameters",
            title: "Parameters for the model".to_string(),
            body: parameters_table(p),
        },
        Section {
            id: "files",
            title: "Files read".to_string(),
            body: files_table(p),
        },
    ];
    let page = AnalysisPage {
        kind: "fit",
        name: p.name,
        question,
        answer: answer(p),
        facts,
        charts: p
            .charts
            .iter()
            .map(|c| (c, chart_caption(&c.stem, p.shop)))
            .collect(),
        no_charts: (!p.skipped_charts.is_empty())
            .then(|| format!("No charts were drawn: {}.", p.skipped_charts.join("; "))),
        sections,
        command: p.command.clone(),
        names,
    };
    analysis_html(&page)
}

/// The last part of a path as given.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn estimates_table(p: &FitPage<'_>) -> Markup {
    let rows = estimates(p);
    html! {
        p { "Every estimate with its 95% interval, how many observations it rests on, and how it was computed." }
        div class="scroll" {
            table id="estimates-table" class="cards" {
                thead { tr { th class="l" { "estimate" } th { "value" } th { "95% interval" } th { "n" } th class="l" { "method" } } }
                tbody {
                    @for r in &rows {
                        tr {
                            td class="l wide" { (crate::output::page::typeset(&format!("{}: {}", r.group, r.what), &[])) }
                            td data-label="value" { b { (value(r.unit, r.e.value)) } }
                            td data-label="95% interval" { span class="nowrap" { (value(r.unit, r.e.lo)) } " to " span class="nowrap" { (value(r.unit, r.e.hi)) } }
                            td data-label="n" { (thousands(r.e.n)) }
                            td class="l wide" data-label="method" { span class="src" { (r.e.method) } }
                        }
                    }
                }
            }
        }
        p class="src" { "Every estimate, every route's, in " code { "fit.json" } "." }
    }
}

fn parameters_table(p: &FitPage<'_>) -> Markup {
    let l = p.landing;
    let with_variant = l.rows.iter().any(|r| r.variant.is_some());
    html! {
        p { "The values the model takes from the fit, as " code { "shopsim run --params params.csv" } " reads them, each with its source." }
        details id="parameters-details" {
            summary { (l.rows.len()) " values" }
            div class="scroll" {
                table id="parameters-table" class="cards" {
                    thead { tr { @if with_variant { th class="l" { "variant" } } th class="l" { "key" } th class="l" { "value" } th class="l" { "source" } } }
                    tbody {
                        @for r in &l.rows {
                            tr {
                                @if with_variant { td class="l" data-label="variant" { (r.variant.as_deref().unwrap_or("every variant")) } }
                                td class="l wide" { code { (crate::output::page::breakable(r.key.key())) } }
                                td class="l" data-label="value" { (r.value) }
                                td class="l wide" data-label="source" { span class="src" { (r.source) } }
                            }
                        }
                    }
                }
            }
        }
        (full_table(&["params.csv"]))
        @if !l.kept.is_empty() {
            h3 id="kept" { "Kept at their values" }
            ul id="kept-list" {
                @for (variant, key, why) in &l.kept {
                    li {
                        @if let Some(v) = variant { code { (v) } ": " }
                        code { (key.key()) } ": " (why)
                    }
                }
            }
        }
        @if !l.not_landed.is_empty() {
            h3 id="not-landed" { "Not a parameter of the model" }
            ul id="not-landed-list" {
                @for (what, why) in &l.not_landed { li { b { (what) } ": " (why) } }
            }
        }
    }
}

fn files_table(p: &FitPage<'_>) -> Markup {
    html! {
        p { "The files this fit is of: a file whose SHA-256 differs is another export." }
        div class="scroll" {
            table id="files-table" class="cards" {
                thead { tr { th class="l" { "file" } th class="l" { "path" } th { "bytes" } th class="l" { "SHA-256" } } }
                tbody {
                    @for f in &p.inputs {
                        tr {
                            td class="l" data-label="file" { (f.role) }
                            td class="l wide" data-label="path" { code { (f.file) } }
                            td data-label="bytes" { (thousands(f.bytes)) }
                            td class="l wide sha" data-label="SHA-256" { code style="overflow-wrap:anywhere" { (f.sha256) } }
                        }
                    }
                }
            }
        }
    }
}
