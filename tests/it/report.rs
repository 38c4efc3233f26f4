//! Charts and the HTML report: every file exists, decodes, has the expected size and is
//! not blank; the report holds every chart and table; odd data never panics.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use scraper::{Html, Selector};
use shopsim::formats::rows::{RunDiffRow, SummaryRow};
use tempfile::TempDir;

use crate::common::{self, shopsim};

const CHARTS: [&str; 8] = [
    "profit_distribution",
    "margin",
    "delivery_delay",
    "returns_complaints",
    "cumulative_profit",
    "cash",
    "where_the_money_goes",
    "head_to_head",
];

fn run(args: &[&str], out: &Path) {
    shopsim()
        .arg("run")
        .args(args)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

/// Decodes a PNG, checks its size and that it is a real picture, not a blank page.
fn check_png(path: &Path) {
    let img = image::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgb8();
    assert_eq!(img.dimensions(), (1280, 800), "{}", path.display());
    let colours: HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    assert!(
        colours.len() > 20,
        "{} has only {} colours",
        path.display(),
        colours.len()
    );
    let non_white = img.pixels().filter(|p| p.0 != [255, 255, 255]).count();
    assert!(
        non_white > 1280 * 800 / 50,
        "{} is nearly blank",
        path.display()
    );
}

fn study_dir(out: &Path, name: &str) -> PathBuf {
    out.join(name)
}

#[test]
fn the_built_in_study_gets_eight_charts_and_a_report() {
    let out = TempDir::new().unwrap();
    run(&["--trials", "200"], out.path());
    let dir = study_dir(out.path(), "us_beauty_2026_routes");
    for c in CHARTS {
        check_png(&dir.join("charts").join(format!("{c}.png")));
        assert!(!dir.join("charts").join(format!("{c}.svg")).exists());
    }
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    let doc = Html::parse_document(&html);
    // Well-formed: the HTML5 parser reports no error at all.
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let sel = |s: &str| Selector::parse(s).unwrap();
    assert_eq!(doc.select(&sel("title")).count(), 1);
    // The answer in words comes first, before any table.
    let headline: String = doc
        .select(&sel("#answer .headline"))
        .flat_map(|e| e.text())
        .collect();
    // The built-in study loses money on every option in most trials: the first sentence
    // says so (issue 26), and names the option that loses least.
    assert!(
        headline.starts_with("No option makes money here")
            && headline.contains("managed loses least"),
        "{headline}"
    );
    assert!(html.find("id=\"answer\"").unwrap() < html.find("<table").unwrap());
    // Verdict: a header row and one row per variant.
    assert_eq!(doc.select(&sel("#verdict-table tr")).count(), 1 + 4);
    let header: String = doc
        .select(&sel("#verdict-table tr th"))
        .map(|t| t.text().collect::<String>())
        .collect();
    for needle in [
        "P(best)",
        "P(loss)",
        "CVaR 5%",
        "working capital",
        "P(running out of cash)",
        "break-even",
        "profit per order",
        "contribution margin",
        "margin",
        "return rate",
        "on-time rate",
    ] {
        assert!(
            header.contains(needle),
            "{needle} missing from the verdict header"
        );
    }
    // Every chart, inline.
    for c in CHARTS {
        let fig = doc
            .select(&sel(&format!("figure#{c} img")))
            .next()
            .unwrap_or_else(|| panic!("{c} missing"));
        assert!(fig
            .value()
            .attr("src")
            .unwrap()
            .starts_with("data:image/png;base64,"));
    }
    // Typeset, not Markdown: the answer quotes names in <code>, never in backticks.
    let answer_text: String = doc.select(&sel("#answer")).flat_map(|e| e.text()).collect();
    assert!(!answer_text.contains('`'), "{answer_text}");
    assert!(doc.select(&sel("#answer .headline code")).next().is_some());
    // Pairwise: a header and a row per unordered pair (6), a cell per output (4).
    assert_eq!(doc.select(&sel("#comparison-table tr")).count(), 1 + 6);
    assert_eq!(
        doc.select(&sel("#comparison-table tbody td")).count(),
        6 * (2 + 4)
    );
    // Every parameter, once, under a heading of its section (the key before its first dot).
    let keys: Vec<String> = doc
        .select(&sel("#parameter-table tr.param td.key"))
        .map(|td| td.text().collect())
        .collect();
    assert_eq!(keys.len(), shopsim::params::COUNT);
    let sections: Vec<String> = doc
        .select(&sel("#parameter-table tr.section h3"))
        .map(|h| h.text().collect())
        .collect();
    let mut expected: Vec<&str> = Vec::new();
    for spec in shopsim::params::SPECS.iter() {
        let section = spec.key.split('.').next().unwrap();
        if !expected.contains(&section) {
            expected.push(section);
        }
    }
    assert_eq!(sections, expected);
    for (spec, key) in shopsim::params::SPECS.iter().zip(&keys) {
        assert_eq!(key, spec.key);
    }
    // Folded away: the parameters are long.
    assert!(doc
        .select(&sel("details#parameter-details #parameter-table"))
        .next()
        .is_some());
    assert!(html.contains("DOMAIN Platform fees"));
    assert!(html.contains("seed 20261127"));
    // Self-contained: nothing fetched from elsewhere.
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"));
}

#[test]
fn svg_and_both_formats_write_the_requested_files() {
    let out = TempDir::new().unwrap();
    run(&["--trials", "50", "--chart-format", "both"], out.path());
    let charts = study_dir(out.path(), "us_beauty_2026_routes").join("charts");
    for c in CHARTS {
        check_png(&charts.join(format!("{c}.png")));
        let svg = fs::read_to_string(charts.join(format!("{c}.svg"))).unwrap();
        assert!(
            svg.contains("<svg") && svg.trim_end().ends_with("</svg>"),
            "{c}.svg"
        );
        assert!(svg.contains("<text"), "{c}.svg has no text");
    }
    let out = TempDir::new().unwrap();
    run(&["--trials", "50", "--chart-format", "svg"], out.path());
    let dir = study_dir(out.path(), "us_beauty_2026_routes");
    assert!(!dir.join("charts/profit_distribution.png").exists());
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    assert_eq!(
        html.matches("<svg").count(),
        8,
        "SVG charts are inlined in the report"
    );
}

#[test]
fn no_charts_still_writes_a_report() {
    let out = TempDir::new().unwrap();
    run(&["--trials", "50", "--no-charts"], out.path());
    let dir = study_dir(out.path(), "us_beauty_2026_routes");
    assert!(!dir.join("charts").exists());
    assert!(fs::read_to_string(dir.join("report.html"))
        .unwrap()
        .contains("--no-charts"));
}

fn odd_study(dir: &TempDir, name: &str, body: &str) -> PathBuf {
    let p = dir.path().join(format!("{name}.toml"));
    fs::write(&p, format!("name = \"{name}\"\n{body}")).unwrap();
    p
}

fn variants(n: usize) -> String {
    (0..n)
        .map(|i| {
            let (model, route) = match i % 4 {
                0 => ("self_operated", "direct_mail"),
                1 => ("self_operated", "fbt"),
                2 => ("self_operated", "platform_shipping"),
                _ => ("fully_managed", "managed"),
            };
            format!("[[variant]]\nname = \"v{i}\"\nmodel = \"{model}\"\nroute = \"{route}\"\nprice.retail = {}\n", 10 + i)
        })
        .collect()
}

#[test]
fn odd_data_draws_without_panicking() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let cases = [
        // No orders at all: zero GMV, undefined margin, no deliveries, all-equal profits.
        odd_study(&dir, "no_orders", &format!(
            "trials = 30\nhorizon_days = 30\nseed = 1\n[base]\ndemand.orders_per_account_day = 0\ndemand.orders_per_live = 0\n\
             marketing.ad_spend_per_day = 0\ndemand.managed_orders_per_day = 0\ndemand.daily_cv = 0\ninventory.enabled = 0\n\
             demand.lives_per_week = 0\nstaff.cost_per_day = 60\nmarketing.samples_per_month = 0\n{}", variants(2))),
        // One day, one trial.
        odd_study(&dir, "one_day", &format!("trials = 1\nhorizon_days = 1\nseed = 1\n{}", variants(3))),
        // A hundred variants.
        odd_study(&dir, "hundred", &format!("trials = 20\nhorizon_days = 20\nseed = 1\n{}", variants(100))),
        // Extreme but finite values.
        odd_study(&dir, "extreme", &format!(
            "trials = 20\nhorizon_days = 60\nseed = 1\n[base]\ndemand.orders_per_account_day = 5000\ndemand.managed_orders_per_day = 20000\n\
             staff.cost_per_day = 1000000\n[[events]]\nname = \"e\"\nstart_day = 1\nend_day = 60\ndemand_multiplier = 50\ndelay_multiplier = 20\n{}", variants(2))),
    ];
    for case in &cases {
        shopsim()
            .arg("run")
            .arg(case)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
    }
    // No orders and no random costs: every trial's profit is the same number.
    let summary = fs::read_to_string(study_dir(&out, "no_orders").join("summary.csv")).unwrap();
    let profit = common::csv_rows::<SummaryRow>(&summary)
        .into_iter()
        .find(|r| r.variant == "v0" && r.metric == "profit")
        .unwrap();
    assert_eq!(profit.min, profit.max, "min equals max: {profit:?}");
    for name in ["no_orders", "one_day", "hundred", "extreme"] {
        let d = study_dir(&out, name);
        for c in CHARTS {
            let png = d.join("charts").join(format!("{c}.png"));
            let img = image::open(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
            assert_eq!((img.width(), img.height()), (1280, 800));
        }
        let html = fs::read_to_string(d.join("report.html")).unwrap();
        assert_eq!(html.matches("<figure").count(), 8, "{name}");
    }
}

#[test]
fn names_that_look_like_html_or_markdown_are_shown_as_written() {
    let dir = TempDir::new().unwrap();
    let names = common::HOSTILE_NAMES;
    let study = odd_study(
        &dir,
        "hostile",
        &format!(
            "trials = 60\nhorizon_days = 30\nseed = 3\n\
             [[variant]]\nname = '{}'\nmodel = \"self_operated\"\nroute = \"fbt\"\n\
             [[variant]]\nname = '{}'\nmodel = \"fully_managed\"\nroute = \"managed\"\n",
            names[0], names[1]
        ),
    );
    let out = dir.path().join("out");
    shopsim()
        .arg("run")
        .arg(&study)
        .args(["--chart-format", "svg", "--out"])
        .arg(&out)
        .assert()
        .success();
    let html = fs::read_to_string(study_dir(&out, "hostile").join("report.html")).unwrap();
    let doc = Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let sel = |s: &str| Selector::parse(s).unwrap();
    // No name became markup: no script, no image, no handler.
    assert_eq!(doc.select(&sel("script, img, [onerror]")).count(), 0);
    // The headline quotes the best option's whole name, backticks and all, in one <code>.
    let quoted: Vec<String> = doc
        .select(&sel("#answer .headline code"))
        .map(|c| c.text().collect())
        .collect();
    assert!(
        !quoted.is_empty() && quoted.iter().all(|q| names.contains(&q.as_str())),
        "{quoted:?}"
    );
    // Both names, as text, in the verdict.
    let verdict: String = doc
        .select(&sel("#verdict-table"))
        .flat_map(|e| e.text())
        .collect();
    for name in names {
        assert!(verdict.contains(name), "{name} missing from {verdict}");
    }
}

/// Two runs of a small study, the second with a dearer price, both keeping their trials.
fn two_runs(dir: &TempDir) -> (PathBuf, PathBuf) {
    let body = "trials = 200\nhorizon_days = 40\nseed = 5\n[base]\nmarket = \"us\"\n";
    let variants = "[[variant]]\nname = \"a\"\nmodel = \"self_operated\"\nloop = \"semi_closed\"\n\
                    [[variant]]\nname = \"b\"\nmodel = \"fully_managed\"\nloop = \"full_closed\"\n";
    for (out, price) in [("before", ""), ("after", "price.retail = 24\n")] {
        let study = odd_study(dir, "study", &format!("{body}{price}{variants}"));
        shopsim()
            .arg("run")
            .arg(&study)
            .args(["--write-trials", "--out"])
            .arg(dir.path().join(out))
            .assert()
            .success();
    }
    (
        dir.path().join("before/study"),
        dir.path().join("after/study"),
    )
}

/// `shopsim compare before after --out out`.
fn compare(before: &Path, after: &Path, out: &Path) -> assert_cmd::Command {
    let mut c = shopsim();
    c.arg("compare")
        .arg(before)
        .arg(after)
        .arg("--out")
        .arg(out);
    c
}

#[test]
fn compare_draws_two_runs_side_by_side() {
    let dir = TempDir::new().unwrap();
    let (before, after) = two_runs(&dir);
    let out = dir.path().join("cmp");
    compare(&before, &after, &out).assert().success();
    for c in ["compare_boxes", "compare_distributions"] {
        check_png(&out.join("charts").join(format!("{c}.png")));
    }
    let rows: Vec<RunDiffRow> = common::csv_file_rows(&out.join("comparison.csv"));
    assert_eq!(rows.len(), 2);
    // The price only moves the self-operated variant; the managed one is identical trial by trial.
    let a = rows.iter().find(|r| r.variant == "a").unwrap();
    let b = rows.iter().find(|r| r.variant == "b").unwrap();
    assert_ne!(a.mean_diff.0, 0.0);
    assert_eq!(b.mean_diff.0, 0.0);
    assert_eq!(a.method, "paired trials");
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    let doc = Html::parse_document(&html);
    let sel = Selector::parse("#differences-table tr").unwrap();
    assert_eq!(doc.select(&sel).count(), 3);
    assert_eq!(html.matches("<figure").count(), 2);
}

#[test]
fn compare_matches_by_name_and_says_what_it_cannot_match() {
    let dir = TempDir::new().unwrap();
    let (before, after) = two_runs(&dir);
    // Rename variant b in the second run: only a can be matched.
    for file in ["summary.csv", "trials.csv"] {
        let p = after.join(file);
        let text = fs::read_to_string(&p).unwrap().replace("\nb,", "\nb2,");
        fs::write(&p, text).unwrap();
    }
    // run.json lists the variants too (compare checks the files against it).
    let p = after.join("run.json");
    let text = fs::read_to_string(&p)
        .unwrap()
        .replace("\"name\": \"b\"", "\"name\": \"b2\"");
    fs::write(&p, text).unwrap();
    compare(&before, &after, &dir.path().join("cmp"))
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "variant `b` is only in before/study",
        ));
    // A metric that does not exist.
    compare(&before, &after, &dir.path().join("cmp2"))
        .args(["--metric", "proft"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "unknown metric `proft` (did you mean `profit`?)",
        ));
}

#[test]
fn compare_rejects_folders_that_are_not_studies_and_corrupt_files() {
    let dir = TempDir::new().unwrap();
    let (before, after) = two_runs(&dir);
    let out = dir.path().join("cmp");
    compare(&before, dir.path(), &out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "is not a shopsim study folder: it has no summary.csv",
        ));
    let p = after.join("summary.csv");
    let mut text = fs::read_to_string(&p).unwrap();
    text = text.replacen(",profit,", ",profit,abc", 1);
    fs::write(&p, text).unwrap();
    compare(&before, &after, &out).assert().code(2).stderr(
        predicates::str::contains("summary.csv:").and(predicates::str::contains("column 'mean'")),
    );
    assert!(!out.exists());
}
