//! `shopsim sweep` from the command line: what it writes, that its numbers do not depend
//! on the thread count and agree with `run`, and its refusals of bad input.

use std::fs;
use std::path::Path;

use predicates::prelude::*;
use tempfile::TempDir;

use crate::common::{assert_same_files, read_json, shopsim, two_variant_study, write};

fn study(dir: &Path) -> std::path::PathBuf {
    write(dir, "s.toml", &two_variant_study("sw", 300, 30))
}

/// The rows of a CSV as maps from column to cell.
fn rows(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .map(String::from)
                .zip(rec.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn a_sweep_writes_its_tables_charts_and_record_the_same_for_any_thread_count() {
    let dir = TempDir::new().unwrap();
    let file = study(dir.path());
    let run = |threads: &str, out: &str| {
        shopsim()
            .args(["sweep"])
            .arg(&file)
            .args([
                "--range",
                "price.retail=16:24:3",
                "--threads",
                threads,
                "--out",
            ])
            .arg(dir.path().join(out))
            .assert()
            .success()
            .stdout(predicate::str::contains("sweep of 3 points × 300 trials"));
        dir.path().join(out).join("sw-sweep")
    };
    let one = run("1", "one");
    let two = run("2", "two");
    assert_same_files(&one, &two, &["sweep.csv", "sweep_pairs.csv"]);
    for f in [
        "charts/sweep_mean.png",
        "charts/sweep_p_beats.png",
        "sweep.json",
    ] {
        assert!(two.join(f).is_file(), "{f} missing");
    }
    let table = rows(&fs::read_to_string(two.join("sweep.csv")).unwrap());
    let profit: Vec<_> = table
        .iter()
        .filter(|r| r["metric"] == "profit" && r["variant"] == "a")
        .collect();
    assert_eq!(profit.len(), 3);
    let prices: Vec<&str> = profit.iter().map(|r| r["price.retail"].as_str()).collect();
    assert_eq!(prices, ["16", "20", "24"]);
    let points: Vec<&str> = profit.iter().map(|r| r["point"].as_str()).collect();
    assert_eq!(points, ["1", "2", "3"]);
}

#[test]
fn a_point_gives_what_run_gives_with_the_same_value_in_a_params_csv() {
    // A sweep point is the study with one more override: its summary must be the run's.
    point_matches_run(
        "name,price.retail\nlow,17\n",
        "key,value\nprice.retail,17\n",
    );
}

#[test]
fn an_event_number_sweeps_as_a_parameter_does() {
    // `event.<name>.<field>` in a grid: the point is the run with that `--params` row.
    point_matches_run(
        "name,event.peak.demand_multiplier\nbig,3.5\n",
        "key,value\nevent.peak.demand_multiplier,3.5\n",
    );
    // And from a range: more demand on the peak's days, more orders.
    let dir = TempDir::new().unwrap();
    let file = study(dir.path());
    shopsim()
        .arg("sweep")
        .arg(&file)
        .args([
            "--range",
            "event.peak.demand_multiplier=1:5:3",
            "--no-charts",
        ])
        .arg("--out")
        .arg(dir.path().join("sw"))
        .assert()
        .success();
    let sweep = rows(&fs::read_to_string(dir.path().join("sw/sw-sweep/sweep.csv")).unwrap());
    let orders: Vec<f64> = sweep
        .iter()
        .filter(|r| r["variant"] == "b" && r["metric"] == "orders")
        .map(|r| r["mean"].parse().unwrap())
        .collect();
    assert_eq!(orders.len(), 3);
    assert!(orders[0] < orders[1] && orders[1] < orders[2], "{orders:?}");
    let record = read_json(&dir.path().join("sw/sw-sweep/sweep.json"));
    assert!(record.to_string().contains("event.peak.demand_multiplier"));
}

/// Runs `grid` as a sweep (one point) and `run --params params`, and compares every
/// summary cell of the run with the point's.
fn point_matches_run(grid: &str, params: &str) {
    let dir = TempDir::new().unwrap();
    let file = study(dir.path());
    let grid = write(dir.path(), "g.csv", grid);
    shopsim()
        .args(["sweep"])
        .arg(&file)
        .arg("--grid")
        .arg(&grid)
        .arg("--out")
        .arg(dir.path().join("sw"))
        .args(["--no-charts"])
        .assert()
        .success();
    let params = write(dir.path(), "p.csv", params);
    shopsim()
        .args(["run"])
        .arg(&file)
        .arg("--params")
        .arg(&params)
        .arg("--out")
        .arg(dir.path().join("run"))
        .args(["--no-charts"])
        .assert()
        .success();
    let sweep = rows(&fs::read_to_string(dir.path().join("sw/sw-sweep/sweep.csv")).unwrap());
    let summary = rows(&fs::read_to_string(dir.path().join("run/sw/summary.csv")).unwrap());
    let mut checked = 0;
    for s in &summary {
        let Some(w) = sweep
            .iter()
            .find(|w| w["variant"] == s["variant"] && w["metric"] == s["metric"])
        else {
            continue;
        };
        for col in ["mean", "ci_low", "ci_high", "p5", "p50", "p95", "n"] {
            if s.contains_key(col) && !(s["metric"] == "p_loss" && col.starts_with('p')) {
                assert_eq!(w[col], s[col], "{} {} {col}", s["variant"], s["metric"]);
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} cells compared");
}

#[test]
fn bad_sweeps_are_refused_with_exit_2_and_nothing_written() {
    let dir = TempDir::new().unwrap();
    let file = study(dir.path());
    let out = dir.path().join("out");
    let refuse = |extra: &[&str], message: &str| {
        shopsim()
            .args(["sweep"])
            .arg(&file)
            .args(extra)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
        assert!(!out.exists(), "{extra:?} wrote {}", out.display());
    };
    refuse(&["--range", "price.retail=10:20:1"], "at least 2 steps");
    refuse(&["--range", "price.retail=20:10:3"], "must be below HI");
    refuse(
        &["--range", "price.retial=10:20:3"],
        "did you mean `price.retail`",
    );
    refuse(
        &["--range", "price.retail=10:20:3", "--variant", "c"],
        "no variant `c`",
    );
    refuse(&[], "the sweep changes nothing");
    let empty = write(dir.path(), "empty.csv", "name,price.retail\n");
    refuse(&["--grid", empty.to_str().unwrap()], "no rows");
    let bad = write(
        dir.path(),
        "bad.csv",
        "name,price.retail,fees.comission_rate\nx,abc,0.1\n",
    );
    refuse(
        &["--grid", bad.to_str().unwrap()],
        "bad.csv:1: column 3: unknown parameter `fees.comission_rate` (did you mean `fees.commission_rate`?)",
    );
    let bad_value = write(dir.path(), "v.csv", "name,price.retail\nx,abc\n");
    refuse(
        &["--grid", bad_value.to_str().unwrap()],
        "v.csv:2: column 2 (`price.retail`)",
    );
    refuse(
        &["--range", "price.retail=10:20:3", "--metric", "proft"],
        "did you mean `profit`",
    );
    // Event numbers: a misspelt field, an event the study lacks, a row of one variant.
    refuse(
        &["--range", "event.peak.demand_multiplyer=1:3:2"],
        "did you mean `demand_multiplier`",
    );
    refuse(
        &["--range", "event.peek.demand_multiplier=1:3:2"],
        "the study has no event `peek` (did you mean `peak`?)",
    );
    let one_variant = write(
        dir.path(),
        "ev.csv",
        "variant,event.peak.demand_multiplier\na,3\n",
    );
    refuse(
        &["--grid", one_variant.to_str().unwrap()],
        "ev.csv:2: column `event.peak.demand_multiplier`: an event belongs to the study, not to variant `a`",
    );
}

#[test]
fn a_sweep_never_replaces_a_folder_it_did_not_write() {
    let dir = TempDir::new().unwrap();
    let file = study(dir.path());
    let out = dir.path().join("out");
    let mine = out.join("sw-sweep");
    fs::create_dir_all(&mine).unwrap();
    fs::write(mine.join("notes.txt"), "keep me").unwrap();
    shopsim()
        .args(["sweep"])
        .arg(&file)
        .args(["--range", "price.retail=16:24:2", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a shopsim sweep folder"));
    assert_eq!(
        fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "keep me"
    );
    // Its own earlier sweep is replaced.
    fs::remove_dir_all(&mine).unwrap();
    for _ in 0..2 {
        shopsim()
            .args(["sweep"])
            .arg(&file)
            .args(["--range", "price.retail=16:24:2", "--no-charts", "--out"])
            .arg(&out)
            .assert()
            .success();
    }
}
