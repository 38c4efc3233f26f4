//! The command line as a user meets it: outputs, exit codes and error texts.

use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use shopsim::formats::rows::SummaryRow;
use tempfile::TempDir;

use crate::common::{self, assert_same_files, read_json, repo, shopsim, shopsim_in, Printed};

/// The shared two-variant study as the tests here use it (300 trials, 40 days).
fn small() -> String {
    common::two_variant_study("small", 300, 40)
}

fn write(dir: &TempDir, name: &str, text: &str) -> PathBuf {
    common::write(dir.path(), name, text)
}

/// Mean of a metric for a variant in a summary.csv.
fn summary_mean(summary: &str, variant: &str, metric: &str) -> f64 {
    common::csv_rows::<SummaryRow>(summary)
        .into_iter()
        .find(|r| r.variant == variant && r.metric == metric)
        .map(|r| r.mean.0)
        .unwrap()
}

#[test]
fn run_without_scenario_writes_the_built_in_study() {
    let out = TempDir::new().unwrap();
    shopsim()
        .args(["run", "--trials", "300", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(
            predicate::str::contains("us_beauty_2026_routes")
                .and(predicate::str::contains("self_fbt"))
                .and(predicate::str::contains("managed")),
        );
    let study = out.path().join("us_beauty_2026_routes");
    let summary = fs::read_to_string(study.join("summary.csv")).unwrap();
    assert!(summary.starts_with(
        "variant,model,loop,route,metric,mean,sd,se,ci_low,ci_high,p5,p25,p50,p75,p95,min,max,n\n"
    ));
    for metric in [
        "profit",
        "p_loss",
        "cvar5",
        "capital_shortfall",
        "on_time_rate",
        "roi",
    ] {
        assert!(
            summary.contains(&format!(
                "self_labels,self_operated,full_closed,platform_shipping,{metric},"
            )),
            "{metric}"
        );
    }
    let comparison = fs::read_to_string(study.join("comparison.csv")).unwrap();
    assert!(
        comparison.starts_with("variant_a,variant_b,metric,mean_diff,ci_low,ci_high,p_a_better")
    );
    // 4 variants → 12 ordered pairs × every metric, plus the header.
    assert_eq!(
        comparison.lines().count(),
        1 + 12 * shopsim::sim::METRIC_COUNT
    );
    let daily = fs::read_to_string(study.join("daily.csv")).unwrap();
    assert_eq!(daily.lines().count(), 1 + 4 * 2 * 120);
    let manifest = read_json(&study.join("run.json"));
    assert_eq!(manifest["trials"], 300);
    assert_eq!(
        manifest["format_version"],
        shopsim::formats::record::FORMAT_VERSION
    );
    assert_eq!(manifest["seed"], 20261127);
    assert_eq!(
        manifest["variants"][0]["parameters"]["fees.commission_rate"]["value"],
        "0.06"
    );
    assert!(!study.join("trials.csv").exists());
    // No staging folders left behind.
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 1);
}

#[test]
fn write_trials_adds_one_row_per_variant_and_trial() {
    let dir = TempDir::new().unwrap();
    let s = write(&dir, "s.toml", &small());
    shopsim()
        .arg("run")
        .arg(&s)
        .arg("--out")
        .arg(dir.path())
        .arg("--write-trials")
        .assert()
        .success();
    let trials = fs::read_to_string(dir.path().join("small/trials.csv")).unwrap();
    assert_eq!(trials.lines().count(), 1 + 2 * 300);
    assert!(trials.starts_with("variant,trial,orders,lost_sales,"));
}

#[test]
fn one_and_two_threads_give_byte_identical_summaries() {
    let dir = TempDir::new().unwrap();
    let s = write(
        &dir,
        "s.toml",
        &small().replace("trials = 300", "trials = 900"),
    );
    for t in ["1", "2"] {
        shopsim()
            .arg("run")
            .arg(&s)
            .args(["--threads", t, "--write-trials", "--out"])
            .arg(dir.path().join(t))
            .assert()
            .success();
    }
    assert_same_files(
        &dir.path().join("1/small"),
        &dir.path().join("2/small"),
        &["summary.csv", "comparison.csv", "daily.csv", "trials.csv"],
    );
}

#[test]
fn seed_and_trials_flags_override_the_file() {
    let dir = TempDir::new().unwrap();
    let s = write(&dir, "s.toml", &small());
    shopsim()
        .arg("run")
        .arg(&s)
        .args(["--seed", "99", "--trials", "50", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let m = read_json(&dir.path().join("small/run.json"));
    assert_eq!(m["seed"], 99);
    assert_eq!(m["trials"], 50);
}

#[test]
fn check_accepts_every_shipped_scenario() {
    shopsim()
        .arg("check")
        .arg(repo("scenarios"))
        .assert()
        .success()
        .stdout(predicate::str::contains("ok: ").count(6));
}

#[test]
fn params_takes_a_route_and_a_date_and_warns_as_a_scenario_would() {
    // Before the first dated US duty row, on a route the US no longer allows.
    shopsim()
        .args(["params", "--route", "direct_mail", "--as-of", "2025-12-20"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("tax.duty_base_rate,0,")
                .and(predicate::str::contains("tax.duty_origin_rate,0,"))
                .and(predicate::str::contains("tax.duty_surcharge_rate,0,")),
        )
        .stderr(
            predicate::str::contains("no base, origin and surcharge duty of market `us` for tariff line 3304 from china, parcel imports, on 2025-12-20").and(
                predicate::str::contains("not allowed any more: since 2025-12-15"),
            ),
        );
    // The dated duty of 2026-03 on a bulk route, without warnings.
    shopsim()
        .args(["params", "--route", "fbt", "--as-of", "2026-03-01"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("tax.duty_base_rate,0,")
                .and(predicate::str::contains("tax.duty_origin_rate,0.25,"))
                .and(predicate::str::contains(
                    "tax.duty_surcharge_rate,0.1..0.15,",
                )),
        )
        .stderr(predicate::str::is_empty());
    // A fully managed shop on a semi-closed loop is refused.
    shopsim()
        .args([
            "params",
            "--model",
            "fully_managed",
            "--loop",
            "semi_closed",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--loop: a fully managed shop cannot use a semi-closed loop",
        ));
}

#[test]
fn params_prints_the_catalog_with_sources() {
    let text = shopsim()
        .args([
            "params",
            "--market",
            "uk",
            "--category",
            "apparel",
            "--model",
            "fully_managed",
            "--loop",
            "full_closed",
        ])
        .assert()
        .success()
        .stdout_text();
    assert!(text.starts_with("key,value,unit,description,source\n"));
    assert!(text.contains("fees.commission_rate,0.09,"));
    assert!(text.contains("returns.base_rate,0.2..0.4,"));
    assert!(text.contains("[model]"));
    shopsim()
        .args(["params", "--market", "fr"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("invalid value 'fr' for '--market <MARKET>'")
                .and(predicate::str::contains("[possible values: us, uk, sa")),
        );
}

#[test]
fn csv_round_trip_changes_only_what_was_edited() {
    let dir = TempDir::new().unwrap();
    let s = write(&dir, "s.toml", &small());
    let export = shopsim()
        .arg("params")
        .arg(&s)
        .assert()
        .success()
        .stdout_text();
    assert!(export.starts_with("variant,key,value,unit,description,source\n"));
    let csv = write(&dir, "params.csv", &export);

    let run = |params: Option<&Path>, out: &str| {
        let mut cmd = shopsim();
        cmd.arg("run")
            .arg(&s)
            .arg("--out")
            .arg(dir.path().join(out));
        if let Some(p) = params {
            cmd.arg("--params").arg(p);
        }
        cmd.assert().success();
        fs::read_to_string(dir.path().join(out).join("small/summary.csv")).unwrap()
    };
    let plain = run(None, "plain");
    // The unchanged export reproduces the run exactly, the event's rows included.
    assert!(export.contains("\n,event.peak.demand_multiplier,2,multiplier,"));
    assert_eq!(run(Some(&csv), "same"), plain);
    // Editing the event's row moves both variants.
    let peak = export.replace(
        "\n,event.peak.demand_multiplier,2,",
        "\n,event.peak.demand_multiplier,6,",
    );
    let csv_peak = write(&dir, "peak.csv", &peak);
    let busier = run(Some(&csv_peak), "peak");
    for v in ["a", "b"] {
        assert!(summary_mean(&busier, v, "orders") > summary_mean(&plain, v, "orders"));
    }

    // Raise variant a's price: its numbers move, b's do not.
    let edited = export
        .lines()
        .map(|l| {
            if l.starts_with("a,price.retail,") {
                l.replacen("a,price.retail,20,", "a,price.retail,26,", 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(edited, export.trim_end());
    let csv = write(&dir, "edited.csv", &edited);
    let changed = run(Some(&csv), "edited");
    assert_ne!(
        summary_mean(&changed, "a", "gmv"),
        summary_mean(&plain, "a", "gmv")
    );
    assert_eq!(
        summary_mean(&changed, "b", "gmv"),
        summary_mean(&plain, "b", "gmv")
    );
    let m = fs::read_to_string(dir.path().join("edited/small/run.json")).unwrap();
    assert!(m.contains("csv override"));
}

/// Runs with bad input and checks exit code 2, the message, and that nothing was written.
fn rejects(scenario: &str, expected: &[&str]) {
    let dir = TempDir::new().unwrap();
    let s = write(&dir, "bad.toml", scenario);
    let out = dir.path().join("out");
    let assert = shopsim()
        .arg("run")
        .arg(&s)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let stderr = assert.stderr_text();
    for e in expected {
        assert!(stderr.contains(e), "expected `{e}` in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "bad input must write nothing");
}

#[test]
fn unknown_keys_are_named_with_line_and_suggestion() {
    rejects(
        &small().replace(
            "category = \"beauty\"",
            "category = \"beauty\"\ndemand.dayly_cv = 0.2",
        ),
        &["bad.toml:9: unknown parameter `demand.dayly_cv` (did you mean `demand.daily_cv`?)"],
    );
    rejects(
        &small().replace("trials = 300", "trials = 300\nhorizon = 5"),
        &["unknown field `horizon`", "did you mean `horizon_days`"],
    );
}

#[test]
fn wrong_types_and_values_are_rejected() {
    rejects(
        &small().replace("trials = 300", "trials = \"many\""),
        &["bad.toml:3: key `trials` must be a whole number; found the text \"many\""],
    );
    rejects(
        &small().replace(
            "category = \"beauty\"",
            "category = \"beauty\"\nfees.commission_rate = 6",
        ),
        &["bad.toml:9: key `fees.commission_rate`", "[0, 1]"],
    );
    rejects(
        &small().replace(
            "category = \"beauty\"",
            "category = \"beauty\"\nprice.retail = -3",
        ),
        &["bad.toml:9: key `price.retail`", "outside the valid range"],
    );
    rejects(
        &small().replace(
            "category = \"beauty\"",
            "category = \"beauty\"\nprice.retail = nan",
        ),
        &["bad.toml:9: key `price.retail`", "not a finite number"],
    );
    rejects(
        &small().replace(
            "category = \"beauty\"",
            "category = \"beauty\"\ndemand.daily_cv = \"uniform(0.5, 0.1)\"",
        ),
        &["bad.toml:9: key `demand.daily_cv`", "impossible arguments"],
    );
    rejects(
        &small().replace("market = \"us\"", "market = \"mars\""),
        &["bad.toml:7: key `market`: unknown market `mars`"],
    );
}

#[test]
fn structural_problems_are_rejected() {
    rejects(
        &small().replace("name = \"b\"", "name = \"a\""),
        &["variant name `a` is used twice"],
    );
    let one = small()
        .split("[[variant]]")
        .take(2)
        .collect::<Vec<_>>()
        .join("[[variant]]");
    rejects(&one, &["at least two [[variant]]"]);
    rejects(
        &small().replace("trials = 300", "trials = 0"),
        &["bad.toml:3: key `trials`"],
    );
    rejects(
        &small().replace("horizon_days = 40", "horizon_days = 0"),
        &["bad.toml:4: key `horizon_days`"],
    );
    rejects(
        &small().replace("end_day = 23", "end_day = 41"),
        &["bad.toml:12: event `peak`: key `end_day` = 41"],
    );
    rejects("name = \"x\"\ntrials = [", &["bad.toml:2: key `trials`"]);
}

/// `shopsim check` on `text` as bad.toml: exit 2; its standard error.
fn check_fails(text: &str) -> String {
    let dir = TempDir::new().unwrap();
    let file = write(&dir, "bad.toml", text);
    shopsim()
        .arg("check")
        .arg(&file)
        .assert()
        .code(2)
        .stderr_text()
}

/// Each of `expected` appears in `text`, in this order.
fn assert_in_order(text: &str, expected: &[&str]) {
    let mut at = 0;
    for e in expected {
        let found = text[at..]
            .find(e)
            .unwrap_or_else(|| panic!("`{e}` not found in order in:\n{text}"));
        at += found + e.len();
    }
}

#[test]
fn every_problem_of_a_file_is_reported_at_once_in_line_order() {
    // A bad model, an unknown key in that variant, a missing route elsewhere, a wrong type
    // and a missing top-level key: all in one message, by line.
    let text = small()
        .replace("seed = 3\n", "")
        .replace("horizon_days = 40", "horizon_days = \"forty\"")
        .replace(
            "model = \"self_operated\"",
            "model = \"self_run\"\ndemand.dayly_cv = 0.2",
        )
        .replace(
            "model = \"fully_managed\"\nloop = \"full_closed\"\n",
            "model = \"self_operated\"\n",
        );
    let err = check_fails(&text);
    let expected = [
        "bad.toml: key `seed` is missing",
        "bad.toml:4: key `horizon_days` must be a whole number",
        "bad.toml:15: variant `a`: key `model`: unknown model",
        "bad.toml:16: unknown parameter `demand.dayly_cv` (did you mean `demand.daily_cv`?)",
        "bad.toml:18: variant `b`: key `route` is missing (add e.g. `route = \"fbt\"`)",
    ];
    assert_in_order(&err, &expected);
}

#[test]
fn every_unknown_name_is_reported_with_the_other_problems() {
    // Two unknown top-level keys, a misspelt section in [base], an unknown key in a
    // variant and in an event, a section that is not a table, and a value out of range.
    let text = small()
        .replace("seed = 3", "seed = 3\nhorizn = 5\ncolour = \"red\"")
        .replace(
            "category = \"beauty\"",
            "category = \"beauty\"\ndemnd.daily_cv = 0.2\nprice = 3",
        )
        .replace(
            "demand_multiplier = 2",
            "demand_multiplier = 2\ndemand_multiplyer = 3",
        )
        .replace(
            "loop = \"semi_closed\"",
            "loop = \"semi_closed\"\nmodle = 1\nfees.commission_rate = 6",
        );
    let err = check_fails(&text);
    let expected = [
        "bad.toml:6: key `horizn`: unknown field `horizn` in the file's top level",
        "bad.toml:7: key `colour`: unknown field `colour`",
        "bad.toml:11: key `demnd.daily_cv`: unknown field `demnd` in [base]",
        "(did you mean `demand`?)",
        "bad.toml:12: key `price`: `price` must be a table of parameters",
        "bad.toml:18: key `demand_multiplyer`: unknown field `demand_multiplyer` in [[events]]",
        "bad.toml:23: key `modle`: unknown field `modle` in [[variant]]",
        "bad.toml:24: key `fees.commission_rate`",
    ];
    assert_in_order(&err, &expected);
}

#[test]
fn names_that_cannot_name_a_folder_or_would_drive_the_terminal_are_refused() {
    let long = "x".repeat(300);
    rejects(
        &small().replace("name = \"small\"", &format!("name = \"{long}\"")),
        &["bad.toml:2: key `name`", "300 characters; at most 100"],
    );
    rejects(
        &small().replace("name = \"small\"", "name = \"my study/2\""),
        &["bad.toml:2: key `name`", "use letters, digits"],
    );
    // A terminal escape in a variant name: refused, and echoed escaped, never raw.
    let dir = TempDir::new().unwrap();
    let file = write(
        &dir,
        "bad.toml",
        &small().replace("name = \"a\"", "name = \"a\\u001b[31mred\""),
    );
    let err = shopsim()
        .arg("check")
        .arg(&file)
        .assert()
        .code(2)
        .stderr_text();
    assert!(!err.contains('\u{1b}'), "raw escape echoed: {err:?}");
    assert!(
        err.contains("a\\u{1b}[31mred") && err.contains("control characters"),
        "{err}"
    );
}

#[test]
fn missing_files_and_bad_csv_are_input_errors() {
    let dir = TempDir::new().unwrap();
    shopsim()
        .args(["run", "does/not/exist.toml", "--out"])
        .arg(dir.path().join("o"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "scenario file 'does/not/exist.toml' does not exist",
        ));
    let s = write(&dir, "s.toml", &small());
    let csv = write(&dir, "p.csv", "variant,key,value\nz,price.retail,3\n");
    shopsim()
        .arg("run")
        .arg(&s)
        .arg("--params")
        .arg(&csv)
        .arg("--out")
        .arg(dir.path().join("o"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "p.csv:2: column 'variant': no study has a variant named `z`",
        ));
    let csv = write(&dir, "q.csv", "key,value\nfees.commission_rate,-1\n");
    shopsim()
        .arg("check")
        .arg(&s)
        .arg("--params")
        .arg(&csv)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "q.csv:2: column 'value', key `fees.commission_rate`",
        ));
    shopsim()
        .args(["run", "--params", "nope.csv", "--out"])
        .arg(dir.path().join("o"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read parameter CSV 'nope.csv'",
        ));
    assert!(!dir.path().join("o").exists());
}

#[test]
fn an_unwritable_output_folder_is_an_input_error() {
    let dir = TempDir::new().unwrap();
    let blocker = write(&dir, "file", "not a folder");
    shopsim()
        .args(["run", "--trials", "10", "--out"])
        .arg(&blocker)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot create the output folder"));
    shopsim()
        .args(["run", "--trials", "10", "--out"])
        .arg(blocker.join("sub"))
        .assert()
        .code(2);
}

#[test]
fn a_model_not_offered_in_a_market_warns_but_runs() {
    let dir = TempDir::new().unwrap();
    let s = write(
        &dir,
        "s.toml",
        &small().replace("market = \"us\"", "market = \"uk\""),
    );
    shopsim()
        .arg("run")
        .arg(&s)
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success()
        .stderr(
            predicate::str::contains("warning:")
                .and(predicate::str::contains("not offered in market `uk`")),
        );
}

#[test]
fn bench_prints_its_figures_as_json_and_leaves_nothing_behind() {
    // A tiny benchmark: every figure is there and consistent (rates = trial-days over
    // seconds, four volumes in order, one thread measured for the speed-up), and the
    // working folder is left as it was.
    let dir = tempfile::tempdir().unwrap();
    let bench = |args: &[&str]| -> serde_json::Value {
        let out = shopsim_in(dir.path())
            .args(["bench", "--trials", "8", "--json"])
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).unwrap()
    };
    let r = bench(&["--threads", "2"]);
    let study = &r["study"];
    let trial_days = study["trial_days"].as_f64().unwrap();
    assert_eq!(trial_days, 8.0 * 4.0 * 365.0);
    let seconds = study["simulation_seconds"].as_f64().unwrap();
    let rate = study["simulation_rate"].as_f64().unwrap();
    assert!((rate * seconds - trial_days).abs() < 1e-6 * trial_days);
    let whole = study["end_to_end_seconds"].as_f64().unwrap();
    let whole_rate = study["end_to_end_rate"].as_f64().unwrap();
    assert!((whole_rate * whole - trial_days).abs() < 1e-6 * trial_days);
    assert!(study["analysis_seconds"].as_f64().unwrap() <= whole);
    assert!(study["accumulator_bytes"].as_u64().unwrap() > 0);
    assert_eq!(r["threads"], 2);
    assert!(r["single_thread"].is_object() && r["speed_up"].as_f64().unwrap() > 0.0);
    let volumes: Vec<u64> = r["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["orders_per_day"].as_u64().unwrap())
        .collect();
    assert_eq!(volumes, [100, 1_000, 10_000, 100_000]);
    if cfg!(target_os = "linux") {
        assert!(r["peak_rss_bytes"].as_u64().unwrap() > 1_000_000);
    }
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    // --study-only: the study end to end, once.
    let r = bench(&["--study-only"]);
    assert!(r["study"]["simulation_seconds"].is_null() && r["single_thread"].is_null());
    assert_eq!(r["volumes"].as_array().unwrap().len(), 0);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_precision_run_stops_when_precise_and_does_not_depend_on_threads() {
    // Loose targets on the built-in study: the run stops after whole rounds of 1,024
    // trials, run.json says what was reached, every variant's interval of mean profit in
    // summary.csv is within 5% of |mean|, and 1 or 2 threads write the same tables.
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str, out: &str| {
        shopsim_in(dir.path())
            .args([
                "run",
                "--precision",
                "0.05",
                "--precision-prob",
                "0.05",
                "--no-charts",
                "--threads",
                threads,
                "--out",
                out,
            ])
            .assert()
            .success()
            .stdout(predicate::str::contains("precision: reached after"));
    };
    run("1", "one");
    run("2", "two");
    let study = |out: &str| dir.path().join(out).join("us_beauty_2026_routes");
    assert_same_files(
        &study("one"),
        &study("two"),
        &["summary.csv", "comparison.csv", "daily.csv"],
    );
    let manifest = read_json(&study("one").join("run.json"));
    let trials = manifest["trials"].as_u64().unwrap();
    assert_eq!(trials % 1024, 0);
    assert_eq!(manifest["precision"]["met"], true);
    assert_eq!(manifest["precision"]["reached"]["trials"], trials);
    let summary = fs::read_to_string(study("one").join("summary.csv")).unwrap();
    for row in common::csv_rows::<SummaryRow>(&summary)
        .into_iter()
        .filter(|r| r.metric == "profit")
    {
        let (low, high, mean) = (row.ci_low.0, row.ci_high.0, row.mean.0);
        assert!((high - low) / 2.0 <= 0.05 * mean.abs(), "{row:?}");
        assert_eq!(row.n, trials as usize);
    }
}

#[test]
fn a_precision_run_that_cannot_get_there_stops_at_max_trials_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    shopsim_in(dir.path())
        .args([
            "run",
            "--precision",
            "0.0001",
            "--max-trials",
            "1500",
            "--no-charts",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "precision: NOT reached: stopped at --max-trials 1500",
        ));
    let manifest = read_json(&dir.path().join("output/us_beauty_2026_routes/run.json"));
    assert_eq!(manifest["trials"], 1500);
    assert_eq!(manifest["precision"]["met"], false);
    // --precision and --trials do not go together; a share must be a share.
    for args in [
        vec!["run", "--precision", "0.01", "--trials", "100"],
        vec!["run", "--precision", "1.5"],
        vec!["run", "--precision-abs", "-3"],
    ] {
        shopsim_in(dir.path()).args(&args).assert().code(2);
    }
}

#[test]
fn shards_merged_equal_one_run_byte_for_byte_and_bad_sets_are_refused() {
    // The deploy/ recipe on one machine: three shard processes, then a merge, against one
    // run of the same study and seed: the tables are byte-identical.
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        shopsim_in(dir.path()).args(args).assert().success();
    };
    let single = shopsim_in(dir.path())
        .args(["run", "--trials", "600", "--no-charts", "--write-trials"])
        .args(["--out", "single"])
        .assert()
        .success();
    // Whether 600 trials are far from `--precision 0.01` depends on the study's spread: the
    // merge says what the single run says (a note, or none).
    let note = String::from_utf8_lossy(&single.get_output().stdout)
        .lines()
        .find(|l| l.trim_start().starts_with("note: with 600 trials"))
        .map(str::to_string);
    for k in ["1/3", "2/3", "3/3"] {
        run(&[
            "run",
            "--trials",
            "600",
            "--shard",
            k,
            "--write-trials",
            "--out",
            "parts",
        ]);
    }
    let part = |k: u32| format!("parts/us_beauty_2026_routes.shard-{k}-of-3");
    // Given in any order; the verdict says what was merged.
    shopsim_in(dir.path())
        .args(["merge", &part(3), &part(1), &part(2)])
        .args(["--out", "merged", "--no-charts"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "merged from 3 parts, which simulated for",
        ))
        .stdout(match &note {
            Some(note) => predicate::str::contains(note.as_str()).boxed(),
            None => predicate::str::contains("note: with").not().boxed(),
        });
    assert_same_files(
        &dir.path().join("single/us_beauty_2026_routes"),
        &dir.path().join("merged/us_beauty_2026_routes"),
        &["summary.csv", "comparison.csv", "daily.csv", "trials.csv"],
    );
    // The merged study says it was merged, and how to run it as shards again; one run
    // says neither.
    let read = |path: &str| fs::read_to_string(dir.path().join(path)).unwrap();
    let merged_json: serde_json::Value =
        serde_json::from_str(&read("merged/us_beauty_2026_routes/run.json")).unwrap();
    assert_eq!(merged_json["merged_parts"], 3);
    let single_json: serde_json::Value =
        serde_json::from_str(&read("single/us_beauty_2026_routes/run.json")).unwrap();
    assert!(single_json.get("merged_parts").is_none());
    let report = read("merged/us_beauty_2026_routes/report.html");
    assert!(report.contains("merged from 3 shard parts"), "{report}");
    assert!(report.contains("--shard K/3 --out parts"));
    assert!(report.contains("shopsim merge parts/us_beauty_2026_routes.shard-* --out DIR"));
    let single_report = read("single/us_beauty_2026_routes/report.html");
    assert!(!single_report.contains("shard"));
    // The built-in study is run without a file: its name in the report is not one.
    assert!(
        single_report.contains("shopsim run --seed 20261127 --trials 600"),
        "{single_report}"
    );
    // A missing shard, a shard twice, a shard of another seed: exit 2, a clear message,
    // and no study folder written.
    run(&[
        "run", "--trials", "600", "--seed", "5", "--shard", "2/3", "--out", "other",
    ]);
    let other = "other/us_beauty_2026_routes.shard-2-of-3".to_string();
    run(&[
        "run", "--trials", "600", "--shard", "2/3", "--out", "rowless",
    ]);
    let rowless = "rowless/us_beauty_2026_routes.shard-2-of-3".to_string();
    for (parts, says) in [
        (
            vec![part(1), rowless, part(3)],
            "some parts were run with --write-trials and some without",
        ),
        (vec![part(1), part(3)], "missing: 2"),
        (vec![part(1), part(1), part(2), part(3)], "is given twice"),
        (vec![part(1), other, part(3)], "its seed differs"),
        (vec!["single".to_string()], "is not a shopsim shard folder"),
    ] {
        shopsim_in(dir.path())
            .arg("merge")
            .args(&parts)
            .args(["--out", "refused"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
        assert!(!dir.path().join("refused/us_beauty_2026_routes").exists());
    }
    // More shards than batches is refused before anything runs.
    shopsim_in(dir.path())
        .args(["run", "--trials", "600", "--shard", "4/4", "--out", "few"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("use at most that many shards"));
}

#[test]
fn params_rows_lists_the_dated_rows_in_force_with_dates_and_sources() {
    let rows = |as_of: &str| {
        let out = shopsim()
            .args([
                "params",
                "--rows",
                "--market",
                "th",
                "--category",
                "apparel",
                "--route",
                "platform_shipping",
                "--as-of",
                as_of,
            ])
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let after = rows("2026-03-01");
    assert!(after.starts_with("variant,file,row,line,from,until,sets,value,source\n"));
    // The Thai duty on clothing from 2026-01-01, with its date and source; the fees and
    // VAT with theirs (no start date in their sources: an empty `from`).
    assert!(
        after.contains(",data/duties.toml,[[duty]] #7,")
            && after.contains(
                ",2026-01-01,,tax.duty_base_rate,0.25..0.35,\"DOMAIN December 2026 review"
            ),
        "{after}"
    );
    assert!(after.contains(",,,tax.vat_rate,0.07,DOMAIN"), "{after}");
    // Before the duty's first day it is not in force: not listed.
    let before = rows("2025-12-31");
    assert!(!before.contains("tax.duty_base_rate"), "{before}");
    assert!(before.contains("tax.vat_rate"));
    // With a scenario: one block per variant.
    let out = shopsim()
        .args(["params", "--rows"])
        .arg(repo("scenarios/th_apparel_2026.toml"))
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for v in ["labels_12usd", "labels_15usd", "labels_18usd"] {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("{v},data/duties.toml,"))),
            "{v}: {text}"
        );
    }
}
