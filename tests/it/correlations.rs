//! Correlated inputs end to end: the same numbers for any thread count, recorded in
//! run.json and the report.

use std::fs;

use tempfile::TempDir;

use crate::common::{run_study, shopsim, write};

const STUDY: &str = r#"name = "corr"
trials = 600
horizon_days = 30
seed = 8
[base]
market = "us"
category = "beauty"
price.retail = "18..24"
costs.unit_cost = "4..6"
[correlations]
"price.retail,costs.unit_cost" = 0.7
[[variant]]
name = "self"
model = "self_operated"
route = "fbt"
[[variant]]
name = "managed"
model = "fully_managed"
"#;

#[test]
fn correlated_runs_are_the_same_for_any_thread_count_and_say_what_they_used() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "c.toml", STUDY);
    for (threads, out) in [("1", "one"), ("2", "two")] {
        shopsim()
            .arg("run")
            .arg(&file)
            .args(["--no-charts", "--threads", threads, "--out"])
            .arg(dir.path().join(out))
            .assert()
            .success();
    }
    let read = |out: &str, f: &str| fs::read(dir.path().join(out).join("corr").join(f)).unwrap();
    assert_eq!(read("one", "summary.csv"), read("two", "summary.csv"));
    let record: serde_json::Value = serde_json::from_slice(&read("two", "run.json")).unwrap();
    let c = &record["variants"][0]["correlations"][0];
    assert_eq!(c["key_a"], "price.retail");
    assert_eq!(c["rank_correlation"], 0.7);
    assert!(c["source"].as_str().unwrap().ends_with("c.toml:11"), "{c}");
    let report = String::from_utf8(read("two", "report.html")).unwrap();
    assert!(report.contains("Correlated inputs"));

    // The correlation changes the trials (same marginals, other pairings): without it the
    // summary differs.
    let plain = write(
        dir.path(),
        "p.toml",
        &STUDY.replace(
            "[correlations]\n\"price.retail,costs.unit_cost\" = 0.7\n",
            "",
        ),
    );
    run_study(&plain, &dir.path().join("plain"))
        .assert()
        .success();
    assert_ne!(read("plain", "summary.csv"), read("two", "summary.csv"));
}
