//! `fit --scenario` then `run` on the fitted copy: the simulated shop's daily orders,
//! return rate and on-time rate match the export's within their intervals (widened by
//! the simulation's own Monte Carlo error and by what the model's whole days cannot
//! show).

use std::fs;

use crate::common::{csv_file_rows, read_json, shopsim_in, Printed};
use crate::exports_gen::{self as gen, Quirks, ShopTruth};

const SCENARIO: &str = r#"
name = "roundtrip"
trials = 300
horizon_days = 240
seed = 5
as_of = 2026-03-01

[base]
market = "us"
category = "beauty"
# The fit lands a steady base of repeat buyers; the model's base starts empty, so
# without repeat buyers the simulated level is the fitted one from day 1.
repeat.share = 0

[[variant]]
name = "labels"
model = "self_operated"
route = "platform_shipping"

[[variant]]
name = "managed"
model = "fully_managed"
"#;

#[derive(serde::Deserialize)]
struct SummaryRow {
    variant: String,
    metric: String,
    mean: Option<f64>,
    se: Option<f64>,
}

#[test]
fn a_fitted_scenario_simulates_the_shop_it_was_fitted_on() {
    let dir = tempfile::tempdir().unwrap();
    // A shop that dispatches on time (the default truth's late dispatches, 9%, would put
    // the simulated shop under the platform's order caps, which the generator does not
    // model).
    let truth = ShopTruth {
        days: 120,
        handling_median_hours: 20.0,
        handling_sigma: 0.4,
        ..ShopTruth::default()
    };
    let shop = gen::simulate(&truth, 77);
    fs::write(
        dir.path().join("orders.csv"),
        gen::render_orders_csv(&shop, &Quirks::default()),
    )
    .unwrap();
    fs::write(dir.path().join("study.toml"), SCENARIO).unwrap();
    let fitted = shopsim_in(dir.path())
        .args([
            "fit",
            "orders.csv",
            "--scenario",
            "study.toml",
            "--route",
            "platform_shipping",
            "--name",
            "rt",
        ])
        .assert()
        .success();
    let printed = fitted.stdout_text();
    assert!(printed.contains("scenario.toml"), "{printed}");
    let folder = dir.path().join("output/rt-fit");
    let fit = read_json(&folder.join("fit.json"));
    let copy = fs::read_to_string(folder.join("scenario.toml")).unwrap();
    assert!(copy.contains("name = \"roundtrip_fitted\""), "{copy}");
    // Demand and price land on the self-operated variant only; delivery times on the
    // variant of the export's route.
    let params = fs::read_to_string(folder.join("params.csv")).unwrap();
    assert!(params.starts_with("variant,key,"), "{params}");
    assert!(
        params.contains("labels,demand.orders_per_account_day"),
        "{params}"
    );
    assert!(
        !params.contains("managed,demand.orders_per_account_day"),
        "{params}"
    );
    assert!(
        params.contains("labels,logistics.transit_median_days"),
        "{params}"
    );
    assert!(
        !params.contains("managed,logistics.transit_median_days"),
        "{params}"
    );

    shopsim_in(dir.path())
        .args(["run", "output/rt-fit/scenario.toml", "--out", "sim"])
        .assert()
        .success();
    let summary: Vec<SummaryRow> =
        csv_file_rows(&dir.path().join("sim/roundtrip_fitted/summary.csv"));
    let metric = |name: &str| {
        summary
            .iter()
            .find(|r| r.variant == "labels" && r.metric == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let interval = |v: &serde_json::Value| {
        (
            v["value"].as_f64().unwrap(),
            v["lo"].as_f64().unwrap(),
            v["hi"].as_f64().unwrap(),
        )
    };

    // Orders a day: the fitted shop is established (no ramp-up, inspection or
    // probation), so every day of the horizon is at the fitted level.
    let orders = metric("orders");
    let lost = metric("lost_sales").mean.unwrap();
    let horizon = 240.0;
    let simulated = orders.mean.unwrap() / horizon;
    let se = orders.se.unwrap() / horizon;
    let (level, lo, hi) = interval(&fit["demand"]["level"]);
    assert!(
        lost < 0.01 * orders.mean.unwrap(),
        "{lost} orders lost to caps ({:?} capped days) or stock ({:?} stock-out days)\n{params}",
        metric("capped_days").mean,
        metric("stockout_days").mean
    );
    assert!(
        simulated >= lo - 3.0 * se && simulated <= hi + 3.0 * se,
        "simulated {simulated:.2} orders a day (se {se:.2}) against the fitted level {level:.2} ({lo:.2}..{hi:.2})"
    );

    // The return rate: every return over every order, as the data's closed-window share.
    let data_returns = fit["return_base_rate"]["value"].as_f64().unwrap();
    let (_, r_lo, r_hi) = interval(&fit["return_base_rate"]);
    let returns = metric("return_rate");
    let (mean, se) = (returns.mean.unwrap(), returns.se.unwrap());
    let slack = 3.0 * se + 0.01;
    assert!(
        mean >= r_lo - slack && mean <= r_hi + slack,
        "simulated return rate {mean} against the data's {data_returns} ({r_lo}..{r_hi})"
    );

    // On time: the model's whole handling days and ⌈transit⌉ against the data's clock
    // times cost up to a couple of points.
    let route = &fit["routes"][0];
    let (on_time, o_lo, o_hi) = interval(&route["on_time"]);
    let simulated = metric("on_time_rate");
    let (mean, se) = (simulated.mean.unwrap(), simulated.se.unwrap());
    let slack = 3.0 * se + 0.03;
    assert!(
        mean >= o_lo - slack && mean <= o_hi + slack,
        "simulated on-time rate {mean} against the data's {on_time} ({o_lo}..{o_hi})"
    );
}

#[test]
fn the_scenario_flags_are_checked_and_a_peak_the_export_covers_is_measured() {
    let dir = tempfile::tempdir().unwrap();
    let truth = ShopTruth {
        days: 90,
        peaks: vec![((2026, 4, 10), 2.5), ((2026, 4, 11), 2.5)],
        ..ShopTruth::default()
    };
    let shop = gen::simulate(&truth, 3);
    fs::write(
        dir.path().join("orders.csv"),
        gen::render_orders_csv(&shop, &Quirks::default()),
    )
    .unwrap();
    // Day 1 is 2026-03-01: the peak is days 41-42; a second event lies past the export.
    let scenario = format!(
        "{SCENARIO}\n[[events]]\nname = \"spring_sale\"\nstart_day = 41\nend_day = 42\ndemand_multiplier = 2\n\n[[events]]\nname = \"black_friday\"\nstart_day = 230\nend_day = 232\ndemand_multiplier = 3\n"
    );
    fs::write(dir.path().join("study.toml"), scenario).unwrap();
    let out = shopsim_in(dir.path())
        .args([
            "fit",
            "orders.csv",
            "--scenario",
            "study.toml",
            "--name",
            "peaks",
        ])
        .assert()
        .success();
    let warnings = out.stderr_text();
    assert!(
        warnings.contains("`black_friday` falls outside"),
        "{warnings}"
    );
    assert!(warnings.contains("give --route"), "{warnings}");
    let fit = read_json(&dir.path().join("output/peaks-fit/fit.json"));
    let lift = &fit["peak_lifts"][0];
    assert_eq!(lift["what"], "spring_sale");
    let (lo, hi) = (
        lift["estimate"]["lo"].as_f64().unwrap(),
        lift["estimate"]["hi"].as_f64().unwrap(),
    );
    assert!(lo <= 2.5 && 2.5 <= hi, "{lift}");
    let copy = fs::read_to_string(dir.path().join("output/peaks-fit/scenario.toml")).unwrap();
    assert!(copy.contains("demand_multiplier = \"lognormal("), "{copy}");
    // The copy is a scenario shopsim reads.
    shopsim_in(dir.path())
        .args(["check", "output/peaks-fit/scenario.toml"])
        .assert()
        .success();
    // --market with --scenario contradicts it.
    shopsim_in(dir.path())
        .args([
            "fit",
            "orders.csv",
            "--scenario",
            "study.toml",
            "--market",
            "uk",
        ])
        .assert()
        .code(2);
}
