//! `shopsim compare` says what changed between runs: the inputs that differ (and only
//! those), both runs named in every row, a `changes.csv`, and a report page with the
//! change table; runs in different currencies and older records.

use std::fs;
use std::path::Path;

use scraper::{Html, Selector};
use shopsim::formats::rows::{ChangeRow, RunDiffRow, SummaryRow};
use shopsim::stats::Estimate;
use tempfile::TempDir;

use crate::common::{self, csv_file_rows, shopsim, shopsim_in, write};

const STUDY: &str = r#"name = "s"
trials = 150
horizon_days = 30
seed = 5
[base]
market = "us"
category = "beauty"
[[events]]
name = "peak"
start_day = 10
end_day = 12
demand_multiplier = 2
[[variant]]
name = "a"
model = "self_operated"
loop = "semi_closed"
[[variant]]
name = "b"
model = "fully_managed"
loop = "full_closed"
"#;

/// Runs `text` as `s.toml` (the same file name every time) into `out`, keeping trials.
fn run(dir: &Path, text: &str, out: &str, extra: &[&str]) {
    write(dir, "s.toml", text);
    shopsim_in(dir)
        .args([
            "run",
            "s.toml",
            "--write-trials",
            "--no-charts",
            "--out",
            out,
        ])
        .args(extra)
        .assert()
        .success();
}

/// `shopsim compare before/s after/s --out cmp` in `dir`: its standard output.
fn compare(dir: &Path, extra: &[&str]) -> String {
    let done = shopsim_in(dir)
        .args(["compare", "before/s", "after/s", "--out", "cmp"])
        .args(extra)
        .assert()
        .success();
    String::from_utf8(done.get_output().stdout.clone()).unwrap()
}

fn text_of(doc: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>())
        .collect()
}

#[test]
fn a_scenario_key_an_event_and_the_seed_are_listed_and_nothing_else() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    run(d, STUDY, "before", &[]);
    // The same file, edited: variant a's price, the event's lift; and another seed.
    let edited = STUDY
        .replace("demand_multiplier = 2", "demand_multiplier = 3")
        .replace(
            "loop = \"semi_closed\"",
            "loop = \"semi_closed\"\nprice.retail = 24",
        );
    run(d, &edited, "after", &["--seed", "6"]);
    let said = compare(d, &[]);

    let rows: Vec<ChangeRow> = csv_file_rows(&d.join("cmp/changes.csv"));
    let got: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r.variant.as_str(),
                r.key.as_str(),
                r.value_a.as_str(),
                r.value_b.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("", "seed", "5", "6"),
            ("", "event.peak.demand_multiplier", "2", "3"),
            ("a", "price.retail", "20", "24"),
        ]
    );
    for r in &rows {
        assert_eq!(
            (r.run_a.as_str(), r.run_b.as_str()),
            ("before/s", "after/s")
        );
    }
    // The price's sources: a default before, the variant's line of the file after.
    let price = &rows[2];
    assert!(price.source_a.starts_with("[category]"), "{price:?}");
    assert!(price.source_b.starts_with("[variant] s.toml:"), "{price:?}");

    // The terminal lists the same three, grouped, and names both runs in every row.
    let listed: Vec<&str> = said
        .lines()
        .filter(|l| l.starts_with("    "))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        listed,
        ["seed", "event.peak.demand_multiplier", "price.retail"],
        "{said}"
    );
    for heading in ["  run settings", "  event `peak`", "  variant `a`"] {
        assert!(said.lines().any(|l| l == heading), "{heading} in {said}");
    }
    assert!(!said.contains("nothing differs"), "{said}");
    for v in ["a", "b"] {
        let row = said
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{v} ")) && l.contains('['))
            .unwrap_or_else(|| panic!("no row for {v} in {said}"));
        assert!(row.contains("after/s − before/s:"), "{row}");
        assert!(!row.contains("run 2"), "{row}");
    }

    // The page: the question, the change table with the three rows, the answer naming
    // the one input that changed for `b` (the event; the seed moves no expected value).
    let html = fs::read_to_string(d.join("cmp/report.html")).unwrap();
    let doc = Html::parse_document(&html);
    let keys = text_of(&doc, "#changes-table td:first-child");
    assert_eq!(
        keys,
        ["seed", "event.peak.demand_multiplier", "price.retail"]
    );
    let question = text_of(&doc, "p")
        .into_iter()
        .find(|p| p.starts_with("Question:"))
        .unwrap();
    assert!(
        question.contains("run A (before/s) and run B (after/s)"),
        "{question}"
    );
    let answer = text_of(&doc, "#answer").concat();
    assert!(
        answer.contains("3 inputs differ between before/s and after/s"),
        "{answer}"
    );
    let b = answer
        .split("b: profit goes from")
        .nth(1)
        .unwrap_or_else(|| panic!("no sentence for b in {answer}"));
    assert!(
        b.contains("The only input that changed for it is event.peak.demand_multiplier (2 → 3)"),
        "{answer}"
    );
    assert!(answer.contains("use different seeds (5 and 6)"), "{answer}");
    assert!(!html.contains('`'), "backticks are typeset, not shown");
    let reproduce = text_of(&doc, "#reproduce + p").concat();
    assert!(
        reproduce.contains("shopsim compare before/s after/s --out cmp"),
        "{reproduce}"
    );
}

#[test]
fn identical_runs_say_nothing_differs() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    run(d, STUDY, "before", &[]);
    run(d, STUDY, "after", &["--threads", "1"]);
    let said = compare(d, &[]);
    assert!(
        said.contains("nothing differs in the inputs of before/s and after/s"),
        "{said}"
    );
    assert!(!said.contains("what changed"), "{said}");
    // Only the header: no change.
    let table = fs::read_to_string(d.join("cmp/changes.csv")).unwrap();
    assert_eq!(
        table,
        "run_a,run_b,variant,key,value_a,value_b,source_a,source_b\n"
    );
    // The same inputs and seed: every paired difference is exactly zero.
    for row in csv_file_rows::<RunDiffRow>(&d.join("cmp/comparison.csv")) {
        assert_eq!(
            (row.mean_diff.0, row.method.as_str()),
            (0.0, "paired trials"),
            "{row:?}"
        );
    }
    let html = fs::read_to_string(d.join("cmp/report.html")).unwrap();
    let doc = Html::parse_document(&html);
    assert!(text_of(&doc, "#changes-table").is_empty());
    let answer = text_of(&doc, "#answer").concat();
    assert!(
        answer.starts_with("Nothing differs in the inputs of before/s and after/s."),
        "{answer}"
    );
}

#[test]
fn the_build_each_run_was_made_by_is_recorded_and_a_different_one_is_listed() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    run(d, STUDY, "before", &[]);
    run(d, STUDY, "after", &[]);
    // The build `--version` names is the one run.json records: a commit of 12 hex
    // digits (with `-modified` when the sources differed from it), or `unknown`.
    let version = shopsim().arg("--version").output().unwrap();
    let version = String::from_utf8(version.stdout).unwrap();
    let build = common::read_json(&d.join("before/s/run.json"))["build"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(version.trim(), format!("shopsim 0.1.0 (build {build})"));
    let commit = build.strip_suffix("-modified").unwrap_or(&build);
    assert!(
        build == "unknown" || (commit.len() == 12 && commit.bytes().all(|b| b.is_ascii_hexdigit())),
        "{build}"
    );
    // Runs of one build: no version row. Another build: listed, with both.
    assert!(!compare(d, &[]).contains("shopsim_version"));
    let path = d.join("after/s/run.json");
    // `run.json` at `path` with its build set (`None`: removed, as before builds were kept).
    let set_build = |build: Option<&str>| {
        let mut json = common::read_json(&path);
        match build {
            Some(b) => json["build"] = b.into(),
            None => drop(json.as_object_mut().unwrap().remove("build")),
        }
        fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    };
    // The compare page's answer.
    let answer_of = || {
        let html = fs::read_to_string(d.join("cmp/report.html")).unwrap();
        text_of(&Html::parse_document(&html), "#answer").concat()
    };
    set_build(Some("0123456789ab"));
    let said = compare(d, &["--force"]);
    assert!(
        said.contains(&format!(
            "0.1.0 (build {build}) → 0.1.0 (build 0123456789ab)"
        )),
        "{said}"
    );
    // The page's runs table names each run's build; the answer does not say the build
    // moved a result it left the same in every trial (same seed, same model).
    let html = fs::read_to_string(d.join("cmp/report.html")).unwrap();
    let doc = Html::parse_document(&html);
    let made_by = text_of(&doc, "#runs-table td:last-child").concat();
    assert!(made_by.contains("(build 0123456789ab)"), "{made_by}");
    assert!(made_by.contains(&format!("(build {build})")), "{made_by}");
    let answer = answer_of();
    assert!(
        answer.contains("The only input that changed for it is shopsim_version"),
        "{answer}"
    );
    assert!(answer.contains("it changed nothing here"), "{answer}");
    assert!(!answer.contains("what moved it"), "{answer}");
    // Two changes that move nothing (the build, and a refusal rate where nothing is paid
    // on delivery): not "two runs cannot separate their effects", since there are none.
    let idle = write(d, "idle.csv", "key,value\nreturns.cod_refusal_rate,0.3\n");
    run(
        d,
        STUDY,
        "after",
        &["--force", "--params", idle.to_str().unwrap()],
    );
    set_build(Some("0123456789ab"));
    compare(d, &["--force"]);
    let answer = answer_of();
    assert!(
        answer.contains("2 inputs that can move it changed for it")
            && answer.contains("together they changed nothing here"),
        "{answer}"
    );
    assert!(!answer.contains("cannot separate"), "{answer}");
    // A run written before the build was recorded says so.
    set_build(None);
    let said = compare(d, &["--force"]);
    assert!(
        said.contains(&format!(
            "0.1.0 (build {build}) → 0.1.0 (build not recorded)"
        )),
        "{said}"
    );
    // Two such runs are of unknown builds, not of one: not "nothing differs" alone.
    let mut before = common::read_json(&d.join("before/s/run.json"));
    before.as_object_mut().unwrap().remove("build");
    fs::write(
        d.join("before/s/run.json"),
        serde_json::to_string_pretty(&before).unwrap(),
    )
    .unwrap();
    let said = compare(d, &["--force"]);
    assert!(
        said.contains("the build: not compared, before/s (format")
            && said.contains("do not record it"),
        "{said}"
    );
}

#[test]
fn runs_with_the_same_means_compared_without_their_trials_are_said_to_be_the_same() {
    // Without trials the differences are independent ones, whose interval two samples
    // of the same numbers still give; means equal to the last bit are the same result.
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    write(d, "s.toml", STUDY);
    for out in ["before", "after"] {
        shopsim_in(d)
            .args(["run", "s.toml", "--no-charts", "--out", out])
            .assert()
            .success();
    }
    let said = compare(d, &[]);
    assert!(said.contains("(independent runs; the same mean)"), "{said}");
    let html = fs::read_to_string(d.join("cmp/report.html")).unwrap();
    let answer = text_of(&Html::parse_document(&html), "#answer").concat();
    assert!(
        answer.contains("has the same mean in every variant in both runs")
            && answer.contains("the same mean in both runs")
            && !answer.contains("cannot tell"),
        "{answer}"
    );
}

#[test]
fn runs_in_two_currencies_compare_no_money_and_say_the_currency_changed() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    run(d, STUDY, "before", &[]);
    let thb = STUDY.replace(
        "seed = 5\n",
        "seed = 5\ncurrency = \"THB\"\nfx.THB = 36.5\n",
    );
    run(d, &thb, "after", &[]);
    shopsim_in(d)
        .args(["compare", "before/s", "after/s", "--out", "cmp"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "the runs are in different currencies (before/s in USD, after/s in THB): their `profit` cannot be subtracted",
        ));
    assert!(!d.join("cmp").exists());
    let said = compare(d, &["--metric", "orders"]);
    let rows: Vec<ChangeRow> = csv_file_rows(&d.join("cmp/changes.csv"));
    let currency = rows.iter().find(|r| r.key == "currency").unwrap();
    assert_eq!(
        (currency.value_a.as_str(), currency.value_b.as_str()),
        ("USD", "THB")
    );
    let fx = rows.iter().find(|r| r.key == "exchange_rate").unwrap();
    assert_eq!(fx.value_b, "36.5 THB/USD");
    // The converted money defaults differ in every variant: said once.
    let cost = rows.iter().find(|r| r.key == "costs.unit_cost").unwrap();
    assert_eq!(cost.variant, "*", "{cost:?}");
    assert!(said.contains("currency"), "{said}");
}

#[test]
fn an_older_record_says_what_it_cannot_compare() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    run(d, STUDY, "before", &[]);
    run(d, STUDY, "after", &[]);
    // Make run A's record as an old shopsim wrote it: format 2, no route, origin,
    // tariff line, correlations, campaign terms or as_of.
    let path = d.join("before/s/run.json");
    let mut record: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    record["format_version"] = 2.into();
    record.as_object_mut().unwrap().remove("as_of");
    for v in record["variants"].as_array_mut().unwrap() {
        let v = v.as_object_mut().unwrap();
        for key in ["route", "origin", "tariff_line", "correlations"] {
            v.remove(key);
        }
        v["parameters"]
            .as_object_mut()
            .unwrap()
            .remove("price.retail");
    }
    for e in record["events"].as_array_mut().unwrap() {
        let e = e.as_object_mut().unwrap();
        for key in [
            "min_on_time_rate",
            "min_shop_score",
            "duty_rate",
            "campaign",
        ] {
            e.remove(key);
        }
    }
    fs::write(&path, serde_json::to_string_pretty(&record).unwrap()).unwrap();
    let said = compare(d, &[]);
    // Nothing is taken for a change; each missing field is said.
    assert!(said.contains("nothing differs in the inputs"), "{said}");
    for missing in [
        "the study date (`as_of`): not compared, before/s (format 2) does not record it",
        "the variants' `route`",
        "the variants' `origin`",
        "the variants' `tariff_line`",
        "the variants' rank correlations",
        "event `peak`'s campaign terms",
        "parameters `price.retail` are recorded in after/s",
    ] {
        assert!(said.contains(missing), "{missing} in {said}");
    }
    let rows: Vec<ChangeRow> = csv_file_rows(&d.join("cmp/changes.csv"));
    assert!(rows.is_empty(), "{rows:?}");
    let html = fs::read_to_string(d.join("cmp/report.html")).unwrap();
    assert!(html.contains("does not record it"));
}

/// Two Latin hypercube runs of other seeds (256 trials: 4 blocks each) are compared from
/// their summaries with each mean's standard error on its blocks − 1 = 3 degrees of
/// freedom (read from run.json's `sampling`), not on its trials − 1 = 255.
#[test]
fn latin_hypercube_summaries_are_compared_on_their_blocks_degrees_of_freedom() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    for (out, seed) in [("before", "1"), ("after", "2")] {
        run(
            d,
            STUDY,
            out,
            &["--sampling", "lhs", "--trials", "256", "--seed", seed],
        );
    }
    compare(d, &[]);
    let profit = |study: &str| {
        csv_file_rows::<SummaryRow>(&d.join(study).join("summary.csv"))
            .into_iter()
            .find(|r| r.variant == "a" && r.metric == "profit")
            .unwrap()
    };
    let (a, b) = (profit("before/s"), profit("after/s"));
    let row = csv_file_rows::<RunDiffRow>(&d.join("cmp/comparison.csv"))
        .into_iter()
        .find(|r| r.variant == "a" && r.metric == "profit")
        .unwrap();
    assert_eq!(row.method, "independent runs");
    let estimate = |r: &SummaryRow, df: f64| Estimate::t_interval(r.mean.0, r.se.0, df, 256);
    let blocks = Estimate::welch_difference_df(&estimate(&a, 3.0), 3.0, &estimate(&b, 3.0), 3.0);
    let trials =
        Estimate::welch_difference_df(&estimate(&a, 255.0), 255.0, &estimate(&b, 255.0), 255.0);
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * y.abs().max(1.0);
    assert!(
        close(row.ci_low.0, blocks.ci_low) && close(row.ci_high.0, blocks.ci_high),
        "{row:?} against {blocks:?}"
    );
    // The trials' degrees of freedom would give a narrower interval: Welch's degrees of
    // freedom are about 6 here (t 2.45) against about 510 (t 1.96).
    assert!(trials.ci_high - trials.ci_low < 0.85 * (blocks.ci_high - blocks.ci_low));
}

#[test]
fn a_run_before_the_write_down_says_so() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    run(d, STUDY, "before", &[]);
    run(d, STUDY, "after", &[]);
    common::as_format_9(&d.join("before/s"));
    let refused = |extra: &[&str]| {
        let out = shopsim_in(d)
            .args(["compare", "before/s", "after/s", "--out", "cmp"])
            .args(extra)
            .assert()
            .code(2);
        assert!(!d.join("cmp").exists());
        String::from_utf8(out.get_output().stderr.clone()).unwrap()
    };
    // Its trials have other columns: the format is named, not "rerun with --write-trials".
    let err = refused(&[]);
    assert!(
        err.contains("trials.csv:1: written by an older shopsim (format 9, this one reads trials of format 10)"),
        "{err}"
    );
    // Without its trials, profit is compared as independent runs, with a note that the
    // older one does not count the write-down.
    fs::remove_file(d.join("before/s/trials.csv")).unwrap();
    let noted = |metric: &str| {
        let out = shopsim_in(d)
            .args(["compare", "before/s", "after/s", "--out", metric])
            .args(["--metric", metric])
            .assert()
            .success();
        String::from_utf8(out.get_output().stderr.clone()).unwrap()
    };
    let said = noted("profit");
    assert!(
        said.contains("`profit` of before/s (format before 10) does not count the write-down of a delisted fully managed product's stock (`stock_write_down`), and kept charging that stock's storage"),
        "{said}"
    );
    assert!(!noted("orders").contains("does not count the write-down"));
    // A study with no fully managed variant has nothing delisted: no note.
    let own = STUDY.replace(
        "model = \"fully_managed\"\nloop = \"full_closed\"",
        "model = \"self_operated\"\nloop = \"full_closed\"",
    );
    assert_ne!(own, STUDY);
    run(d, &own, "own_before", &[]);
    run(d, &own, "own_after", &[]);
    common::as_format_9(&d.join("own_before/s"));
    fs::remove_file(d.join("own_before/s/trials.csv")).unwrap();
    let out = shopsim_in(d)
        .args(["compare", "own_before/s", "own_after/s", "--out", "own_cmp"])
        .assert()
        .success();
    let said = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(!said.contains("does not count the write-down"), "{said}");
    // The output itself is not in the older run.
    let err = refused(&["--metric", "stock_write_down"]);
    assert!(
        err.contains("before/s (format 9) has no output `stock_write_down`: written by an older shopsim, before it existed"),
        "{err}"
    );
}
