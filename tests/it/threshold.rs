//! `shopsim threshold` from the command line: the answer, its files, thread independence
//! and refusals.

use std::fs;
use std::path::Path;

use predicates::prelude::*;
use tempfile::TempDir;

use crate::common::{self, assert_same_files, read_json, repo, shopsim, write, Printed};

/// A's ERP cost is the parameter; B's is uniform(10, 30) per trial; on common random
/// numbers P(A beats B) = (30 − x) / 20, so it crosses 50% at 20.
const STUDY: &str = r#"name = "erp"
trials = 1000
horizon_days = 30
seed = 4
[base]
market = "us"
category = "beauty"
[[variant]]
name = "a"
model = "self_operated"
route = "fbt"
[[variant]]
name = "b"
model = "self_operated"
route = "fbt"
tools.erp_cost_per_day = "uniform(10, 30)"
"#;

fn search(dir: &Path, out: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    let file = write(dir, "erp.toml", STUDY);
    shopsim()
        .arg("threshold")
        .arg(&file)
        .args(["--param", "tools.erp_cost_per_day", "--between", "0", "40"])
        .args(["--a", "a", "--b", "b", "--on", "a", "--out"])
        .arg(dir.join(out))
        .args(extra)
        .assert()
}

#[test]
fn finds_the_crossing_writes_its_files_and_ignores_the_thread_count() {
    let dir = TempDir::new().unwrap();
    search(dir.path(), "one", &["--threads", "1"])
        .success()
        .stdout(predicate::str::contains(
            "`a` beats `b` with probability 50.0% or more below tools.erp_cost_per_day = ",
        ));
    search(dir.path(), "two", &["--threads", "2"]).success();
    let one = dir.path().join("one/erp-threshold");
    let two = dir.path().join("two/erp-threshold");
    assert_same_files(&one, &two, &["threshold.csv"]);
    assert!(two.join("charts/threshold.png").is_file());
    let record = read_json(&two.join("threshold.json"));
    assert_eq!(record["outcome"], "crosses");
    assert_eq!(record["direction"], "falling");
    let (value, low, high) = (
        record["value"].as_f64().unwrap(),
        record["value_low"].as_f64().unwrap(),
        record["value_high"].as_f64().unwrap(),
    );
    assert!(low <= 20.0 && 20.0 <= high, "20 not in [{low}, {high}]");
    assert!(low <= value && value <= high);
}

#[test]
fn bad_questions_are_refused_with_exit_2_and_nothing_written() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "erp.toml", STUDY);
    let out = dir.path().join("out");
    let refuse = |args: &[&str], message: &str| {
        shopsim()
            .arg("threshold")
            .arg(&file)
            .args(args)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
        assert!(!out.exists());
    };
    let base = ["--a", "a", "--b", "b"];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        base.iter().copied().chain(extra.iter().copied()).collect()
    };
    refuse(
        &with(&["--param", "price.retial", "--between", "1", "2"]),
        "did you mean `price.retail`",
    );
    refuse(
        &with(&["--param", "price.retail", "--between", "30", "10"]),
        "must be below HI",
    );
    refuse(
        &with(&["--param", "inventory.enabled", "--between", "0", "1"]),
        "on/off switch",
    );
    // A probability of 1 (or 0) cannot be crossed: P never exceeds it.
    refuse(
        &with(&[
            "--param",
            "price.retail",
            "--between",
            "10",
            "30",
            "--prob",
            "1",
        ]),
        "`1` is not a share strictly between 0 and 1",
    );
    refuse(
        &[
            "--a",
            "a",
            "--b",
            "c",
            "--param",
            "price.retail",
            "--between",
            "10",
            "30",
        ],
        "--b: the study has no variant `c`",
    );
    refuse(
        &[
            "--a",
            "a",
            "--b",
            "a",
            "--param",
            "price.retail",
            "--between",
            "10",
            "30",
        ],
        "name the same variant",
    );
}

/// A whole-number parameter's threshold is the first whole value where the target holds:
/// the answer says "at … and up", P there reaches the target and P one below does not.
#[test]
fn a_whole_number_threshold_is_the_first_value_reaching_the_target() {
    let dir = TempDir::new().unwrap();
    // The tariff study with storage charged per unit on hand ($0.01 a day, as a 3PL might):
    // stock then costs FBT every day, and past some opening stock platform labels with
    // Section 301 alone (25%) beat FBT with Section 301 raised (60%). (FBT's own storage
    // by volume is too cheap to cross.)
    let text = fs::read_to_string(repo("scenarios/us_tariff_shock.toml"))
        .unwrap()
        .replacen(
            "[base]\n",
            "[base]\ninventory.storage_cost_per_unit_day = 0.01\n",
            1,
        );
    assert!(text.contains("storage_cost_per_unit_day = 0.01"));
    let scenario = write(dir.path(), "us_tariff_shock.toml", &text);
    let out = dir.path().join("out");
    shopsim()
        .arg("threshold")
        .arg(&scenario)
        .args([
            "--param",
            "inventory.initial",
            "--between",
            "10000",
            "60000",
        ])
        .args([
            "--a",
            "labels@duty_25",
            "--b",
            "fbt@duty_60",
            "--trials",
            "300",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "with probability 50.0% or more at inventory.initial = ",
        ))
        .stdout(predicate::str::contains(" and up"));
    let folder = out.join("us_tariff_shock-threshold");
    let record = read_json(&folder.join("threshold.json"));
    assert_eq!(record["direction"], "rising");
    let value = record["value"].as_f64().unwrap();
    assert_eq!(value, value.round());
    let text = fs::read_to_string(folder.join("threshold.csv")).unwrap();
    let p_at = |x: f64| -> f64 {
        text.lines()
            .skip(1)
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|cells| cells[0].parse::<f64>().unwrap() == x)
            .map(|cells| cells[2].parse().unwrap())
            .unwrap_or_else(|| panic!("no row for {x} in\n{text}"))
    };
    assert!(p_at(value) >= 0.5, "P at {value} is {}", p_at(value));
    assert!(
        p_at(value - 1.0) < 0.5,
        "P at {} reaches the target",
        value - 1.0
    );
}

/// A count's interval may have fractional ends: the search runs the whole numbers inside
/// it and reports its ends as those (each run, so each end has its probability).
#[test]
fn a_whole_number_interval_with_fractional_ends_searches_the_whole_numbers_inside() {
    let dir = TempDir::new().unwrap();
    let file = write(
        dir.path(),
        "s.toml",
        &common::two_variant_study("s", 100, 40),
    );
    let out = dir.path().join("out");
    let said = shopsim()
        .arg("threshold")
        .arg(&file)
        .args(["--param", "demand.ramp_days", "--between", "10.5", "20.4"])
        .args(["--a", "a", "--b", "b", "--scan", "3", "--no-charts"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout_text();
    assert!(said.contains("between 11 and 20"), "{said}");
    let record = read_json(&out.join("s-threshold/threshold.json"));
    assert_eq!(record["between"], serde_json::json!([11.0, 20.0]));
    for p in record["p_at_ends"].as_array().unwrap() {
        assert!(p.as_f64().is_some_and(f64::is_finite), "{record}");
    }
    // Holding no whole number is refused before anything runs.
    let said = shopsim()
        .arg("threshold")
        .arg(&file)
        .args(["--param", "demand.ramp_days", "--between", "10.2", "10.8"])
        .args(["--a", "a", "--b", "b"])
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr_text();
    assert!(said.contains("takes whole numbers"), "{said}");
}

/// An event's number can be the threshold's parameter: it moves for every variant, its
/// values stay in the field's range, and `--on` is refused for it.
#[test]
fn an_event_number_can_be_searched_but_not_on_one_variant() {
    let dir = TempDir::new().unwrap();
    let file = write(
        dir.path(),
        "ev.toml",
        &common::two_variant_study("ev", 200, 40),
    );
    let out = dir.path().join("out");
    let search = |extra: &[&str]| {
        let mut c = shopsim();
        c.arg("threshold").arg(&file);
        c.args([
            "--param",
            "event.peak.demand_multiplier",
            "--a",
            "a",
            "--b",
            "b",
        ]);
        c.arg("--out").arg(&out).args(extra);
        c.assert()
    };
    search(&["--between", "1", "9"]).success();
    let text = fs::read_to_string(out.join("ev-threshold/threshold.csv")).unwrap();
    assert!(
        text.starts_with("event.peak.demand_multiplier,metric,"),
        "{text}"
    );
    let values: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert!(values.len() >= 9 && values.iter().all(|v| (1.0..=9.0).contains(v)));
    search(&["--between", "1", "200", "--force"])
        .code(2)
        .stderr(predicate::str::contains(
            "a multiplier above 100 is not accepted",
        ));
    search(&["--between", "1", "9", "--on", "a", "--force"])
        .code(2)
        .stderr(predicate::str::contains(
            "`event.peak.demand_multiplier` is an event's number, which every variant shares",
        ));
}
