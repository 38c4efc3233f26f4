//! Event numbers as keys (`event.<name>.<field>`): a `--params` row sets an event's value
//! exactly as writing it in the scenario file does, says where it came from, and bad rows
//! are refused with the row, the key and the reason.

use std::fs;

use predicates::prelude::*;
use tempfile::TempDir;

use crate::common::{assert_same_files, read_json, run_study, shopsim, two_variant_study, write};

#[test]
fn a_csv_row_sets_an_event_as_the_scenario_file_would() {
    let dir = TempDir::new().unwrap();
    let study = two_variant_study("ev", 300, 40);
    let file = write(dir.path(), "ev.toml", &study);
    // The same study with the peak's demand multiplier and a campaign term edited in
    // the file.
    let edited = study.replace(
        "demand_multiplier = 2",
        "demand_multiplier = \"3..5\"\ncampaign_price_cut = 0.1",
    );
    assert_ne!(edited, study);
    let edited_file = write(dir.path(), "edited.toml", &edited);
    let csv = write(
        dir.path(),
        "p.csv",
        "key,value\nevent.peak.demand_multiplier,3..5\nevent.peak.campaign_price_cut,0.1\n",
    );
    let run = |scenario: &std::path::Path, out: &str, params: bool| {
        let mut c = shopsim();
        c.arg("run").arg(scenario).args(["--no-charts", "--out"]);
        c.arg(dir.path().join(out));
        if params {
            c.arg("--params").arg(&csv);
        }
        c.assert().success();
        dir.path().join(out).join("ev")
    };
    let by_csv = run(&file, "csv", true);
    let by_file = run(&edited_file, "file", false);
    let plain = run(&file, "plain", false);
    for table in ["summary.csv", "comparison.csv", "daily.csv"] {
        let (a, b) = (
            fs::read(by_csv.join(table)).unwrap(),
            fs::read(by_file.join(table)).unwrap(),
        );
        assert_eq!(a, b, "{table}");
        assert_ne!(a, fs::read(plain.join(table)).unwrap(), "{table}");
    }
    let record = read_json(&by_csv.join("run.json"));
    let event = &record["events"][0];
    assert_eq!(event["multipliers"]["demand_multiplier"], "3..5");
    let source = format!("{}:2", csv.display());
    assert_eq!(event["set_by"]["demand_multiplier"], source.as_str());
    assert_eq!(
        event["set_by"]["campaign_price_cut"],
        format!("{}:3", csv.display()).as_str()
    );
    // Set in the file, the value has no outside source.
    let record = read_json(&by_file.join("run.json"));
    assert!(record["events"][0].get("set_by").is_none());
    let report = fs::read_to_string(by_csv.join("report.html")).unwrap();
    assert!(report.contains("set outside the scenario file: campaign_price_cut from"));
}

#[test]
fn bad_event_rows_are_refused_with_their_line_and_reason() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "ev.toml", &two_variant_study("ev", 50, 40));
    let refuse = |rows: &str, messages: &[&str]| {
        let csv = write(dir.path(), "bad.csv", rows);
        let out = dir.path().join("out");
        let mut assert = shopsim()
            .arg("run")
            .arg(&file)
            .arg("--params")
            .arg(&csv)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2);
        for m in messages {
            assert = assert.stderr(predicate::str::contains(*m));
        }
        assert!(!out.exists());
    };
    refuse(
        "key,value\nevent.peek.demand_multiplier,3\n",
        &[
            "bad.csv:2: key `event.peek.demand_multiplier`: the study has no event `peek` (did you mean `peak`?)",
        ],
    );
    refuse(
        "key,value\nevent.peak.demand_multiplyer,3\n",
        &[
            "bad.csv:2:",
            "an event has no field `demand_multiplyer` (did you mean `demand_multiplier`?)",
        ],
    );
    refuse(
        "key,value\nevent.peak.demand_multiplier,-1\n",
        &[
            "bad.csv:2:",
            "`-1` must be ≥ 0 (a multiplier; 1 = no change)",
        ],
    );
    refuse(
        "key,value\nevent.peak.campaign_fee_rate,15%\n",
        &["bad.csv:2:", "is a percentage"],
    );
    refuse(
        "key,value,variant\nevent.peak.demand_multiplier,3,a\n",
        &[
            "bad.csv:2:",
            "an event belongs to the study, not to variant `a`",
        ],
    );
    refuse(
        "key,value\nevent.peak.duty_rate,0.1\nevent.peak.duty_rate,0.2\n",
        &["bad.csv:3:", "key `event.peak.duty_rate` is set twice"],
    );
}

/// Shards record their `--params` text and the merge rebuilds the study from it: an event
/// row must reach the merged study as it reached a single run.
#[test]
fn shards_with_an_event_row_merge_into_the_single_run() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "ev.toml", &two_variant_study("ev", 600, 40));
    let csv = write(
        dir.path(),
        "p.csv",
        "key,value\nevent.peak.demand_multiplier,2.5..4\n",
    );
    let run = |extra: &[&str], out: &str| {
        run_study(&file, &dir.path().join(out))
            .arg("--params")
            .arg(&csv)
            .args(extra)
            .assert()
            .success();
    };
    run(&[], "single");
    for k in ["1/2", "2/2"] {
        run(&["--shard", k], "parts");
    }
    shopsim()
        .arg("merge")
        .arg(dir.path().join("parts/ev.shard-1-of-2"))
        .arg(dir.path().join("parts/ev.shard-2-of-2"))
        .args(["--no-charts", "--out"])
        .arg(dir.path().join("merged"))
        .assert()
        .success();
    assert_same_files(
        &dir.path().join("single/ev"),
        &dir.path().join("merged/ev"),
        &["summary.csv", "comparison.csv", "daily.csv"],
    );
    let record = read_json(&dir.path().join("merged/ev/run.json"));
    assert_eq!(
        record["events"][0]["multipliers"]["demand_multiplier"],
        "2.5..4"
    );
}
