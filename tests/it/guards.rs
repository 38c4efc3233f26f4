//! Guards against sizes and inputs that would abort, hang or silently mislead: the real
//! binary, its exit code, its message, and what it (does not) write.

use std::fs;
use std::path::Path;

use predicates::prelude::*;
use shopsim::formats::rows::{ComparisonRow, RunDiffRow};
use tempfile::TempDir;

use crate::common::{self, read_json, run_study, shopsim, write, Printed};

/// A study with `variants` self-operated variants that differ in price.
fn study(name: &str, trials: &str, variants: usize) -> String {
    let mut s = format!(
        "name = \"{name}\"\ntrials = {trials}\nhorizon_days = 20\nseed = 1\n[base]\nmarket = \"us\"\ncategory = \"beauty\"\n"
    );
    for i in 0..variants {
        s.push_str(&format!(
            "[[variant]]\nname = \"v{i}\"\nmodel = \"self_operated\"\nloop = \"semi_closed\"\nprice.retail = {}\n",
            18 + i
        ));
    }
    s
}

#[test]
fn a_study_that_cannot_fit_in_memory_is_refused_before_anything_is_written() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    // Ten years of days on a thousand threads: each thread keeps its own sketches.
    let file = write(
        dir.path(),
        "long.toml",
        &study("long", "10", 2).replace("horizon_days = 20", "horizon_days = 3650"),
    );
    shopsim()
        .arg("run")
        .arg(&file)
        .args(["--threads", "1000", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("long.toml: study `long`: 2 variants × 3650 days")
                .and(predicate::str::contains("of memory on 1000 threads"))
                .and(predicate::str::contains("--threads 1 fits")),
        );
    assert!(!out.exists(), "nothing is written, not even the folder");
    // More trials than a study runs: refused by `run` and by `check`, naming the key.
    shopsim()
        .args(["run", "--trials", "18446744073709551615", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--trials: 18446744073709551615 trials is more than the 1000000000 a study can run",
        ));
    assert!(!out.exists());
    let file = write(
        dir.path(),
        "huge.toml",
        &study("huge", "9223372036854775807", 2),
    );
    shopsim().arg("check").arg(&file).assert().code(2).stderr(
        predicate::str::contains("huge.toml:2: key `trials`")
            .and(predicate::str::contains("at most 1000000000 can run")),
    );
}

#[test]
fn many_variants_are_compared_with_the_baseline_only() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "many.toml", &study("many", "30", 25));
    run_study(&file, dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "has 25 variants (more than 20): comparison.csv and the report compare each variant with the baseline `v0` only",
        ));
    let comparison = fs::read_to_string(dir.path().join("many/comparison.csv")).unwrap();
    let rows: Vec<ComparisonRow> = common::csv_rows(&comparison);
    // 24 variants × both directions × every output.
    assert_eq!(rows.len(), 24 * 2 * shopsim::sim::METRIC_COUNT);
    assert!(rows
        .iter()
        .all(|r| r.variant_a == "v0" || r.variant_b == "v0"));
    let report = fs::read_to_string(dir.path().join("many/report.html")).unwrap();
    // Typeset: the name quoted in code.
    assert!(report.contains("with the baseline <code>v0</code> only"));

    // At the limit every ordered pair is still written.
    let file = write(dir.path(), "twenty.toml", &study("twenty", "30", 20));
    run_study(&file, dir.path()).assert().success();
    let comparison = fs::read_to_string(dir.path().join("twenty/comparison.csv")).unwrap();
    assert_eq!(
        comparison.lines().count(),
        1 + 20 * 19 * shopsim::sim::METRIC_COUNT
    );
}

/// [`study`] of 2 variants with `lines` added to its `[base]`.
fn study_with_base(name: &str, lines: &str) -> String {
    study(name, "30", 2).replace(
        "category = \"beauty\"\n",
        &format!("category = \"beauty\"\n{lines}"),
    )
}

/// Runs `file` with `extra` flags into `dir/out`, which must be refused (exit 2) with
/// nothing written; its message.
fn refused(dir: &Path, file: &Path, extra: &[&str]) -> String {
    let said = shopsim()
        .arg("run")
        .arg(file)
        .args(extra)
        .arg("--out")
        .arg(dir.join("out"))
        .assert()
        .code(2)
        .stderr_text();
    assert!(!dir.join("out").exists(), "a refused run wrote output");
    said
}

#[test]
fn absurd_money_values_are_refused_instead_of_overflowing() {
    let dir = TempDir::new().unwrap();
    let text = study_with_base("absurd", "price.retail = 1e308\nprice.reference = 1e308\n");
    let said = refused(dir.path(), &write(dir.path(), "absurd.toml", &text), &[]);
    for says in [
        "absurd.toml:8: key `price.retail`",
        "absurd.toml:9: key `price.reference`",
        "typing mistakes",
    ] {
        assert!(said.contains(says), "{says}: {said}");
    }
}

/// A fixed fraction for a count or a switch would be rounded without a word (a switch at
/// 0.4, read as a probability, would hold no stock at all): refused, in the file and in a
/// `--params` row, while a distribution of it (whose draws are rounded) is taken.
#[test]
fn a_fixed_fraction_of_a_whole_number_parameter_is_refused() {
    let dir = TempDir::new().unwrap();
    let text = study_with_base("frac", "inventory.enabled = 0.4\ndemand.ramp_days = 30.5\n");
    let said = refused(dir.path(), &write(dir.path(), "frac.toml", &text), &[]);
    for says in [
        "frac.toml:8: key `inventory.enabled`: value 0.4 is neither 0 nor 1: this parameter is an off/on switch, not a probability",
        "frac.toml:9: key `demand.ramp_days`: value 30.5 is not a whole number of days: write 30 or 31",
    ] {
        assert!(said.contains(says), "{says}: {said}");
    }
    let csv = write(dir.path(), "p.csv", "key,value\ndemand.ramp_days,7.5\n");
    let plain = write(dir.path(), "plain.toml", &study("plain", "30", 2));
    let said = refused(dir.path(), &plain, &["--params", csv.to_str().unwrap()]);
    assert!(
        said.contains("p.csv:2: column 'value', key `demand.ramp_days`: value 7.5 is not a whole number of days"),
        "{said}"
    );
    let ranged = study_with_base("ranged", "demand.ramp_days = \"uniform(20.5, 40.5)\"\n");
    shopsim()
        .args(["run", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .arg(write(dir.path(), "ranged.toml", &ranged))
        .assert()
        .success();
}

/// Runs `study` (2 variants) into `out` with extra flags.
fn run_into(file: &Path, out: &Path, extra: &[&str]) {
    run_study(file, out).args(extra).assert().success();
}

#[test]
fn compare_says_how_it_pairs_and_refuses_cut_files() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "s.toml", &study("s", "300", 2));
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    run_into(&file, &a, &["--write-trials"]);
    run_into(&file, &b, &["--write-trials", "--trials", "200"]);
    let (a, b) = (a.join("s"), b.join("s"));
    let cmp = dir.path().join("cmp");
    shopsim()
        .arg("compare")
        .args([&a, &b])
        .arg("--out")
        .arg(&cmp)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "share seed 1 but have 300 and 200 trials: the first 200 trials of each (the same random numbers) are paired",
        ))
        .stdout(predicate::str::contains("(paired trials)"));
    // The first 200 trials are the same trials: every paired difference is exactly 0.
    let table = fs::read_to_string(cmp.join("comparison.csv")).unwrap();
    for row in common::csv_rows::<RunDiffRow>(&table) {
        assert_eq!(row.mean_diff.0, 0.0, "{row:?}");
    }

    // The same folder twice is said.
    shopsim()
        .arg("compare")
        .args([&a, &a])
        .arg("--out")
        .arg(&cmp)
        .assert()
        .success()
        .stderr(predicate::str::contains("are the same folder"));

    // A summary.csv cut at a line end, a trials.csv cut short, a run.json without seed.
    let cut = |name: &str, keep: usize| {
        let path = b.join(name);
        let text = fs::read_to_string(&path).unwrap();
        let kept: Vec<&str> = text.lines().take(keep).collect();
        fs::write(&path, kept.join("\n") + "\n").unwrap();
    };
    let compare_fails = |expected: &str| {
        shopsim()
            .arg("compare")
            .args([&a, &b])
            .arg("--out")
            .arg(dir.path().join("cmp2"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
    };
    let trials_csv = fs::read_to_string(b.join("trials.csv")).unwrap();
    cut("trials.csv", 300);
    // Rows are trial-major: 299 rows hold 150 trials of the first variant.
    compare_fails("has 150 rows but run.json says 200 trials");
    fs::write(b.join("trials.csv"), trials_csv).unwrap();
    cut("summary.csv", 40);
    compare_fails("the file is incomplete");
    let manifest = fs::read_to_string(b.join("run.json")).unwrap();
    fs::write(b.join("run.json"), manifest.replace("\"seed\": 1,", "")).unwrap();
    compare_fails("key `seed` is missing");
}

#[test]
fn one_trial_leaves_spread_and_intervals_undefined_not_zero_or_nan() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "one.toml", &study("one", "1", 2));
    let out = run_study(&file, dir.path()).assert().success();
    let stdout = out.stdout_text();
    assert!(
        stdout.contains("[    n/a,     n/a]") && !stdout.contains("NaN"),
        "{stdout}"
    );
    let summary = fs::read_to_string(dir.path().join("one/summary.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(summary.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    for row in reader.records().map(Result::unwrap) {
        if &row[col("metric")] == "profit" {
            assert_eq!(&row[col("sd")], "");
            assert_eq!(&row[col("se")], "");
            assert_eq!(&row[col("ci_low")], "");
            assert!(row[col("mean")].parse::<f64>().unwrap().is_finite());
        }
    }
    for f in ["summary.csv", "comparison.csv", "report.html"] {
        let text = fs::read_to_string(dir.path().join("one").join(f)).unwrap();
        assert!(!text.contains("NaN") && !text.contains("inf"), "{f}");
    }
}

#[test]
fn params_dash_reads_the_csv_from_standard_input() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "s.toml", &study("s", "20", 2));
    shopsim()
        .arg("run")
        .arg(&file)
        .args(["--no-charts", "--params", "-", "--out"])
        .arg(dir.path())
        .write_stdin("key;value\nfees.commission_rate;0,07\n")
        .assert()
        .success();
    let manifest = read_json(&dir.path().join("s/run.json"));
    let rate = &manifest["variants"][0]["parameters"]["fees.commission_rate"];
    assert_eq!(rate["value"], "0.07");
    assert_eq!(rate["source"], "<stdin>:2");
}

#[test]
fn a_folder_argument_says_what_it_skipped() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.toml", &study("a", "20", 2));
    write(dir.path(), "notes.txt", "not a scenario");
    write(dir.path(), ".hidden.toml~", "editor back-up");
    fs::create_dir(dir.path().join("old")).unwrap();
    shopsim()
        .arg("check")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("ok: "))
        .stderr(
            predicate::str::contains("skipped notes.txt, old/ (only *.toml files are read; sub-folders are not searched)")
                .and(predicate::str::contains("hidden").not()),
        );
}
