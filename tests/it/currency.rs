//! A study in another currency than the defaults' (USD): its money defaults are converted
//! at the rate it gives (`fx.THB`), the values it sets itself are not, and without a rate
//! it is refused before any work.
//!
//! The model is linear in money when every amount scales together: prices, costs, fees,
//! the late-dispatch fee, the customs processing fee's minimum and maximum, the price under
//! which returns are refunded without the item and the available capital all move by the
//! rate, and every comparison between two amounts (price against that threshold, the
//! processing fee against its bounds, the working capital against the capital) keeps its
//! answer. So a THB study on the same seed is the USD study with every amount times the
//! rate — in every trial, up to rounding — and every count the same.

use std::fs;

use shopsim::scenario::parse;
use shopsim::sim::{self, DrawMethod, Metric, Unit};
use tempfile::TempDir;

use crate::common::{read_json, run_study, shopsim_in, write, Printed};

/// THB per USD.
const RATE: f64 = 36.5;

/// A US study that sets no amount of money itself: every route that charges something
/// different (parcel duty and entry fee, bulk duty with the customs processing fee's
/// minimum and maximum, FBT storage by volume, the late-dispatch fee of seller-dispatched
/// routes, a fully managed supplier), with a campaign. `{top}` goes under `seed`.
fn study(top: &str) -> String {
    format!(
        r#"name = "fx"
trials = 64
horizon_days = 90
seed = 11
{top}
[base]
market = "us"
category = "beauty"
[[events]]
name = "campaign"
start_day = 30
end_day = 36
demand_multiplier = 2.5
campaign_price_cut = 0.1
campaign_coupon_share = 0.05
[[variant]]
name = "labels"
model = "self_operated"
route = "platform_shipping"
[[variant]]
name = "us_3pl"
model = "self_operated"
route = "overseas_3pl"
[[variant]]
name = "fbt"
model = "self_operated"
route = "fbt"
[[variant]]
name = "managed"
model = "fully_managed"
"#
    )
}

const THB_TOP: &str = "currency = \"THB\"\nfx.THB = 36.5";

/// Every trial of every variant of a study given as text.
fn trials(text: &str) -> Vec<Vec<sim::Outputs>> {
    let scenario = parse(text, "fx.toml", None).unwrap();
    sim::study::run(scenario.spec(), DrawMethod::PerDay, &|_| {})
        .variants
        .into_iter()
        .map(|v| v.outputs)
        .collect()
}

#[test]
fn a_thb_study_is_the_usd_study_with_every_amount_times_the_rate() {
    let usd = trials(&study(""));
    let thb = trials(&study(THB_TOP));
    let names = ["labels", "us_3pl", "fbt", "managed"];
    let mut late_fees = 0.0;
    for (v, (u_trials, t_trials)) in usd.iter().zip(&thb).enumerate() {
        for (i, (u, t)) in u_trials.iter().zip(t_trials).enumerate() {
            // Amounts are sums and differences of products: exact to their rounding,
            // relative to the trial's scale (its GMV), not to each (possibly near-zero)
            // difference.
            let scale = RATE * (u[Metric::Gmv].abs() + u[Metric::WorkingCapitalNeeded] + 1.0);
            for &m in Metric::ALL {
                let (a, b) = (t[m], u[m]);
                let what = format!("{} trial {i}: {}", names[v], m.name());
                if a.is_nan() || b.is_nan() {
                    assert!(a.is_nan() && b.is_nan(), "{what}: {a} vs {b}");
                    continue;
                }
                match m.unit() {
                    Unit::Currency => {
                        assert!(
                            (a - RATE * b).abs() <= 1e-9 * scale,
                            "{what}: {a} vs {RATE} × {b}"
                        )
                    }
                    // A ratio of two amounts (margin, ROI) has no currency.
                    Unit::Fraction => {
                        assert!(
                            (a - b).abs() <= 1e-9 * (1.0 + b.abs()),
                            "{what}: {a} vs {b}"
                        )
                    }
                    // Counts, days and indicators: the same draws give the same numbers.
                    _ => assert_eq!(a, b, "{what}"),
                }
            }
            if names[v] != "fbt" && names[v] != "managed" {
                late_fees += u[Metric::LateDispatchFees];
            }
        }
    }
    // The identity is tested on the amounts that need converting, not on zeros.
    assert!(late_fees > 0.0, "no late-dispatch fee was charged");
    let mean = |runs: &[Vec<sim::Outputs>], v: usize, m: Metric| {
        let defined: Vec<f64> = runs[v]
            .iter()
            .map(|o| o[m])
            .filter(|x| !x.is_nan())
            .collect();
        defined.iter().sum::<f64>() / defined.len() as f64
    };
    for v in 0..names.len() {
        for m in [
            Metric::DutiesAndTaxes,
            Metric::ProfitPerOrder,
            Metric::Profit,
        ] {
            let (a, b) = (mean(&thb, v, m), RATE * mean(&usd, v, m));
            assert!(
                (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                "{}: {a} vs {b}",
                m.name()
            );
        }
    }
}

#[test]
fn a_study_in_thb_without_a_rate_is_refused_before_any_work() {
    let dir = TempDir::new().unwrap();
    let path = write(dir.path(), "thb.toml", &study("currency = \"THB\""));
    let out = dir.path().join("out");
    let printed = run_study(&path, &out).assert().code(2).stderr_text();
    assert!(
        printed.contains("thb.toml:5: key `currency`: `THB` needs an exchange rate: add `fx.THB = <THB per USD>`"),
        "{printed}"
    );
    assert!(!out.exists(), "a refused study wrote {}", out.display());
    // `check` refuses it the same way.
    shopsim_in(dir.path())
        .args(["check", "thb.toml"])
        .assert()
        .code(2);
}

/// The parameter `key` of variant `v` in a run.json.
fn parameter<'j>(json: &'j serde_json::Value, v: usize, key: &str) -> &'j serde_json::Value {
    &json["variants"][v]["parameters"][key]
}

#[test]
fn a_value_the_scenario_sets_is_in_its_currency_and_a_default_says_it_was_converted() {
    let dir = TempDir::new().unwrap();
    // 730 THB is the $20 default at 36.5: set by the file, it must stay 730 (converting
    // it would make 26,645).
    let text = study(THB_TOP).replace(
        "category = \"beauty\"",
        "category = \"beauty\"\nprice.retail = 730",
    );
    let path = write(dir.path(), "thb.toml", &text);
    let out = dir.path().join("out");
    run_study(&path, &out)
        .args(["--trials", "20"])
        .assert()
        .success();
    let json = read_json(&out.join("fx/run.json"));
    let report = fs::read_to_string(out.join("fx/report.html")).unwrap();
    assert!(
        report.contains(
            "All money in THB; the defaults, which are in USD, converted at 36.5 THB/USD."
        ),
        "the report does not say the defaults were converted"
    );
    assert_eq!(json["currency"], "THB");
    assert_eq!(json["exchange_rate"]["currency"], "THB");
    assert_eq!(json["exchange_rate"]["per_usd"], RATE);
    let retail = parameter(&json, 0, "price.retail");
    assert_eq!(retail["value"], "730");
    let source = retail["source"].as_str().unwrap();
    assert!(
        source.ends_with("thb.toml:10 (scenario [base])"),
        "{source}"
    );
    let unit_cost = parameter(&json, 0, "costs.unit_cost");
    assert_eq!(unit_cost["value"], "182.5");
    assert!(
        unit_cost["source"]
            .as_str()
            .unwrap()
            .ends_with(" (converted at 36.5 THB/USD)"),
        "{unit_cost}"
    );
    // A rate is not money.
    let commission = parameter(&json, 0, "fees.commission_rate");
    assert_eq!(commission["value"], "0.06");
    assert!(!commission["source"].as_str().unwrap().contains("converted"));

    // A --params row is in the study's currency too; `params --explain` shows every
    // layer's value converted, and the row's as written.
    write(
        dir.path(),
        "p.csv",
        "variant,key,value\nlabels,costs.packaging,12\n",
    );
    let explained = shopsim_in(dir.path())
        .args([
            "params",
            "thb.toml",
            "--params",
            "p.csv",
            "--explain",
            "costs.packaging",
        ])
        .assert()
        .success()
        .stdout_text();
    let labels = explained
        .split("variant `us_3pl`")
        .next()
        .unwrap_or_default();
    assert!(
        labels.contains("[global]")
            && labels.contains("14.6  ")
            && labels.contains("(converted at 36.5 THB/USD)"),
        "{explained}"
    );
    assert!(
        labels.contains("= [csv override]") && labels.contains(" 12 "),
        "{explained}"
    );
}

#[test]
fn a_usd_study_is_not_converted_and_takes_no_rate() {
    let dir = TempDir::new().unwrap();
    let path = write(dir.path(), "usd.toml", &study(""));
    let out = dir.path().join("out");
    run_study(&path, &out)
        .args(["--trials", "5"])
        .assert()
        .success();
    let json = read_json(&out.join("fx/run.json"));
    assert!(
        json.get("exchange_rate").is_none(),
        "{}",
        json["exchange_rate"]
    );
    let all = json.to_string();
    assert!(!all.contains("converted at"));
    let path = write(dir.path(), "usd_fx.toml", &study("fx.THB = 36.5"));
    let printed = run_study(&path, &out).assert().code(2).stderr_text();
    assert!(
        printed.contains("usd_fx.toml:5: key `fx.THB`: the study is in USD"),
        "{printed}"
    );
}

#[test]
fn params_shows_the_defaults_in_another_currency() {
    let dir = TempDir::new().unwrap();
    let explained = shopsim_in(dir.path())
        .args(["params", "--fx", "THB=36.5", "--explain", "costs.unit_cost"])
        .assert()
        .success()
        .stdout_text();
    assert!(
        explained.contains("on 2026-11-01, in THB:")
            && explained.contains("182.5")
            && explained.contains("(converted at 36.5 THB/USD)"),
        "{explained}"
    );
    let catalog = shopsim_in(dir.path())
        .args(["params", "--fx", "THB=36.5"])
        .assert()
        .success()
        .stdout_text();
    let row = |key: &str| {
        catalog
            .lines()
            .find(|l| l.starts_with(&format!("{key},")))
            .unwrap_or_else(|| panic!("{key} in {catalog}"))
            .to_string()
    };
    assert!(
        row("price.retail").starts_with("price.retail,730,"),
        "{}",
        row("price.retail")
    );
    assert!(row("fees.commission_rate").starts_with("fees.commission_rate,0.06,"));
    for (bad, says) in [
        ("thb=36.5", "(write `THB`)"),
        ("THB=0", "a positive number of THB per USD"),
        ("THB", "write CODE=RATE"),
        ("USD=1", "needs no exchange rate"),
    ] {
        let printed = shopsim_in(dir.path())
            .args(["params", "--fx", bad])
            .assert()
            .code(2)
            .stderr_text();
        assert!(printed.contains(says), "{bad}: {printed}");
    }
}
