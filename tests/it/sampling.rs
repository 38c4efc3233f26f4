//! `--sampling lhs|mc`: a Latin hypercube of the uncertain inputs, per block of 64 trials.
//! A Latin hypercube is the default; simple Monte Carlo's results stay what they were
//! (`value_stability.rs` pins them). A Latin hypercube run is the same for any thread count
//! and any sharding, records its method, and its intervals — from the blocks, not from the
//! spread of single trials — cover the truth 95% of the time in the real model.

use std::fs;

use predicates::prelude::*;
use tempfile::TempDir;

use crate::common::{self, assert_same_files, read_json, run_study, shopsim_in};
use shopsim::scenario;
use shopsim::sim::inputs::Sampling;
use shopsim::sim::{DrawMethod, Metric};
use shopsim::stats::StudyAccumulator;

/// The result files that hold numbers.
const NUMBERS: [&str; 3] = ["summary.csv", "comparison.csv", "daily.csv"];

fn small(dir: &TempDir, trials: u64, extra: &str) -> std::path::PathBuf {
    let text = common::two_variant_study("small", trials, 30).replacen(
        "seed = 3\n",
        &format!("seed = 3\n{extra}"),
        1,
    );
    common::write(dir.path(), "small.toml", &text)
}

#[test]
fn a_latin_hypercube_is_the_default_and_the_method_is_recorded_and_reproduced() {
    let dir = TempDir::new().unwrap();
    let file = small(&dir, 600, "");
    let out = |name: &str| dir.path().join(name);
    run_study(&file, &out("plain")).assert().success();
    run_study(&file, &out("mc"))
        .args(["--sampling", "mc"])
        .assert()
        .success();
    run_study(&file, &out("lhs"))
        .args(["--sampling", "lhs"])
        .assert()
        .success();
    let study = |name: &str| out(name).join("small");
    assert_same_files(&study("plain"), &study("lhs"), &NUMBERS);
    let sampling = |name: &str| read_json(&study(name).join("run.json"))["sampling"].clone();
    assert_eq!(sampling("plain"), "lhs");
    assert_eq!(sampling("mc"), "mc");
    let summary = |name: &str| fs::read_to_string(study(name).join("summary.csv")).unwrap();
    assert_ne!(summary("plain"), summary("mc"));
    // The report's reproducing command names the method when it is not the default.
    let report = |name: &str| fs::read_to_string(study(name).join("report.html")).unwrap();
    assert!(report("mc").contains("--trials 600 --sampling mc"));
    assert!(report("plain").contains("--trials 600 --sampling lhs"));
    // And `compare` lists the change of method.
    shopsim_in(dir.path())
        .args(["compare", "plain/small", "mc/small", "--out", "cmp"])
        .assert()
        .success()
        .stdout(predicate::str::contains("sampling"));
}

#[test]
fn a_scenario_asks_for_a_method_and_a_wrong_one_is_named_with_its_line() {
    let dir = TempDir::new().unwrap();
    let file = small(&dir, 300, "sampling = \"mc\"\n");
    run_study(&file, &dir.path().join("out")).assert().success();
    let run = read_json(&dir.path().join("out/small/run.json"));
    assert_eq!(run["sampling"], "mc");
    // The flag overrides the file.
    run_study(&file, &dir.path().join("lhs"))
        .args(["--sampling", "lhs"])
        .assert()
        .success();
    assert_eq!(
        read_json(&dir.path().join("lhs/small/run.json"))["sampling"],
        "lhs"
    );
    // And the report's command says so, or rerunning it would go back to the file's.
    let report = fs::read_to_string(dir.path().join("lhs/small/report.html")).unwrap();
    assert!(
        report.contains("--sampling lhs"),
        "the reproduce line names the flag"
    );
    let bad = small(&dir, 300, "sampling = \"sobol\"\n");
    run_study(&bad, &dir.path().join("bad"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("small.toml:6"))
        .stderr(predicate::str::contains("`sobol` is not a sampling method"))
        .stderr(predicate::str::contains("panicked").not());
    shopsim_in(dir.path())
        .args(["run", "--sampling", "qmc"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("lhs"));
}

#[test]
fn a_latin_hypercube_run_is_the_same_for_any_thread_count_and_any_sharding() {
    let dir = TempDir::new().unwrap();
    // 600 trials: three batches, the last one partial, and a partial last block.
    small(&dir, 600, "");
    let run = |out: &str, extra: &[&str]| {
        shopsim_in(dir.path())
            .args(["run", "small.toml", "--no-charts", "--out", out])
            .args(extra)
            .assert()
            .success();
    };
    run("one", &["--threads", "1"]);
    run("two", &["--threads", "2"]);
    for k in 1..=3 {
        run("parts", &["--shard", &format!("{k}/3")]);
    }
    let parts: Vec<String> = (1..=3)
        .map(|k| format!("parts/small.shard-{k}-of-3"))
        .collect();
    let part = read_json(&dir.path().join(&parts[0]).join("part.json"));
    assert_eq!(part["sampling"], "lhs");
    shopsim_in(dir.path())
        .arg("merge")
        .args(&parts)
        .args(["--no-charts", "--out", "merged"])
        .assert()
        .success();
    let study = |name: &str| dir.path().join(name).join("small");
    assert_same_files(&study("one"), &study("two"), &NUMBERS);
    assert_same_files(
        &study("one"),
        &study("merged"),
        &["summary.csv", "comparison.csv"],
    );
    assert_eq!(
        read_json(&study("merged").join("run.json"))["sampling"],
        "lhs"
    );
}

#[test]
fn parts_of_two_sampling_methods_are_not_merged() {
    let dir = TempDir::new().unwrap();
    small(&dir, 600, "");
    let shard = |k: u64, sampling: &str| {
        shopsim_in(dir.path())
            .args(["run", "small.toml", "--no-charts", "--out", "parts"])
            .args(["--shard", &format!("{k}/2"), "--sampling", sampling])
            .assert()
            .success();
    };
    shard(1, "lhs");
    shard(2, "mc");
    let merge = || {
        let mut command = shopsim_in(dir.path());
        command
            .args([
                "merge",
                "parts/small.shard-1-of-2",
                "parts/small.shard-2-of-2",
            ])
            .args(["--no-charts", "--out", "merged"]);
        command
    };
    merge().assert().code(2).stderr(
        predicate::str::contains("its sampling differs")
            .and(predicate::str::contains("(mc here, lhs there)")),
    );
    assert!(!dir.path().join("merged/small").exists());
    // A method of the wrong type is said with where it is in part.json.
    let json = dir.path().join("parts/small.shard-2-of-2/part.json");
    let mut record = read_json(&json);
    record["sampling"] = serde_json::json!(1);
    fs::write(&json, serde_json::to_string_pretty(&record).unwrap()).unwrap();
    merge().assert().code(2).stderr(predicate::str::contains(
        "invalid type: integer `1`, expected a string at line",
    ));
}

/// In the model itself: 200 Latin hypercube runs of 1,024 trials (16 blocks) on seeds
/// 1..=200 of the two-variant study (one self-operated, one fully managed variant, the
/// catalog's uncertain defaults). Their 95% intervals of each variant's mean profit and
/// of the paired difference are checked against the mean of all 204,800 trials (whose
/// own error is 1/√200 of a run's, too small to move the coverage). Of the 600
/// intervals, 95% should hold it: each run's three intervals are correlated, so the
/// coverage's standard error is at most √3 times the independent 0.0089, 0.015; the
/// bound is 0.045, three of them. An interval from the spread of single trials — right
/// for simple Monte Carlo, too wide here — would hold it nearly always and fail.
#[test]
fn latin_hypercube_intervals_of_the_model_cover_the_mean_95_percent_of_the_time() {
    let text = common::two_variant_study("cover", 1024, 30);
    let s = scenario::parse(&text, "cover.toml", None).unwrap();
    let pairs = [(0, 1)];
    let runs: Vec<StudyAccumulator> = (1..=200)
        .map(|seed| {
            let spec = s
                .spec()
                .clone()
                .with_seed(seed)
                .with_sampling(Sampling::LatinHypercube)
                .unwrap();
            StudyAccumulator::run_all(&spec, DrawMethod::PerDay, &pairs, &|_| {})
        })
        .collect();
    let estimates = |r: &StudyAccumulator| {
        let profit = |v: usize| r.variants[v].output(Metric::Profit).mean_estimate();
        let diff = r.pairs[0].outputs[Metric::Profit as usize]
            .moments
            .estimate(r.pairs[0].outputs[Metric::Profit as usize].pairs, false);
        [profit(0), profit(1), diff]
    };
    let all: Vec<[shopsim::stats::Estimate; 3]> = runs.iter().map(estimates).collect();
    let truth: Vec<f64> = (0..3)
        .map(|k| all.iter().map(|e| e[k].point).sum::<f64>() / all.len() as f64)
        .collect();
    let mut covered = 0;
    let mut narrower = 0;
    for (r, e) in runs.iter().zip(&all) {
        for k in 0..3 {
            covered += u32::from(e[k].ci_low <= truth[k] && truth[k] <= e[k].ci_high);
        }
        // Intervals from the blocks are narrower than simple Monte Carlo's would be.
        let (_, sd) = r.variants[0].output(Metric::Profit).mean_sd();
        let plain = sd / (r.trials as f64).sqrt();
        narrower += u32::from(e[0].se < plain);
    }
    let coverage = f64::from(covered) / 600.0;
    assert!((coverage - 0.95).abs() < 0.045, "coverage {coverage}");
    assert!(
        narrower >= 190,
        "{narrower} of 200 runs narrower than plain"
    );
}

/// A variant may correlate at most 62 inputs (a Latin hypercube block of 64 trials must
/// re-pair them): 63 are refused with either method, naming the pairs' lines; 62 run.
#[test]
fn sixty_three_correlated_inputs_are_refused_with_either_method_and_sixty_two_run() {
    let dir = TempDir::new().unwrap();
    let text = include_str!("../fixtures/correlates_63.toml");
    let file = common::write(dir.path(), "c63.toml", text);
    for sampling in ["lhs", "mc"] {
        run_study(&file, &dir.path().join("out"))
            .args(["--sampling", sampling, "--trials", "100"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("63 inputs are correlated"))
            .stderr(predicate::str::contains("c63.toml:"))
            .stderr(predicate::str::contains("at most 62"))
            .stderr(predicate::str::contains("panicked").not());
    }
    assert!(!dir.path().join("out/small_seller").exists());
    // Without the last pair, 62 inputs: they run.
    let last = text.trim_end().rfind('\n').unwrap();
    let file = common::write(dir.path(), "c62.toml", &text[..last]);
    run_study(&file, &dir.path().join("out62"))
        .args(["--trials", "128"])
        .assert()
        .success();
}
