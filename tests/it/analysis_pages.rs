//! The `report.html` of each analysis (sweep, threshold, sensitivity, fit): well-formed,
//! self-contained, stating the answer its record and tables hold, showing every chart of
//! its folder inline, and giving the command that reproduces the folder — which, run
//! again, writes the same tables. Names that look like HTML or Markdown stay text.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use scraper::{ElementRef, Html, Selector};
use shopsim::format::{fmt_number, fmt_percent, fmt_significant};
use tempfile::TempDir;

use crate::common::{read_json, shopsim_in, two_variant_study, write, HOSTILE_NAMES};
use crate::exports_gen::{self as gen, Quirks, Route, ShopTruth};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: ElementRef<'_>) -> String {
    e.text().collect()
}

/// The text of the first element `css` selects (empty when none).
fn text_of(doc: &Html, css: &str) -> String {
    doc.select(&sel(css)).next().map(text).unwrap_or_default()
}

/// The page of `folder`, checked as every analysis page must be: well-formed (the HTML5
/// parser reports nothing), no script, nothing fetched from elsewhere, the answer before
/// any table, every chart file of the folder inline once (no other figure), and the
/// command the record holds in its reproduce section. Returns the page's text and tree.
fn checked_page(folder: &Path, record: &str) -> (String, Html) {
    let html = fs::read_to_string(folder.join("report.html"))
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()));
    let doc = Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    assert_eq!(doc.select(&sel("script, [onerror], iframe")).count(), 0);
    // Nothing fetched (an inline SVG names its namespace by URL, which fetches nothing).
    for fetch in ["src=\"http", "href=\"http", "url(", "@import", "<link"] {
        assert!(!html.contains(fetch), "{fetch}");
    }
    assert!(html.find("id=\"answer\"").unwrap() < html.find("<table").unwrap_or(usize::MAX));
    assert!(!text_of(&doc, "#question").is_empty());
    assert!(!text_of(&doc, "#answer .headline").is_empty());
    // The answer is typeset: names in <code>, never in Markdown backticks (the hostile
    // names' own backticks are inside their code spans).
    let answer_outside_code: String = doc
        .select(&sel("#answer p, #answer li"))
        .flat_map(|p| {
            p.children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(!answer_outside_code.contains('`'), "{answer_outside_code}");

    // Every chart file, inline: a figure per stem, each holding its picture.
    let mut stems: BTreeSet<String> = BTreeSet::new();
    if let Ok(entries) = fs::read_dir(folder.join("charts")) {
        for e in entries {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            let stem = name.rsplit_once('.').unwrap().0.to_string();
            stems.insert(stem);
        }
    }
    let figures: Vec<ElementRef<'_>> = doc.select(&sel("figure")).collect();
    let ids: BTreeSet<String> = figures
        .iter()
        .map(|f| f.value().id().unwrap().to_string())
        .collect();
    assert_eq!(ids, stems, "the figures are not the folder's charts");
    assert_eq!(figures.len(), stems.len());
    for f in &figures {
        assert!(
            f.select(&sel(".chart > a > img, .chart > a > svg"))
                .next()
                .is_some(),
            "figure {:?} holds no chart",
            f.value().id()
        );
    }

    // The command that reproduces it, as the record holds it.
    let recorded = read_json(&folder.join(record))["command"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(recorded.starts_with("shopsim "), "{recorded}");
    assert_eq!(text_of(&doc, "#reproduce ~ div code#command"), recorded);
    (html, doc)
}

/// The words of a command line as a POSIX shell reads them (`sh` splits and unquotes).
fn shell_words(command: &str) -> Vec<String> {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("set -- {command}; printf '%s\\0' \"$@\""))
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_terminator('\0')
        .map(String::from)
        .collect()
}

/// Runs the command a page gives (in `dir`, writing into `out`) and returns the folder
/// it wrote.
fn rerun(dir: &Path, command: &str, out: &str) {
    let words = shell_words(command);
    assert_eq!(words[0], "shopsim");
    shopsim_in(dir)
        .args(&words[1..])
        .args(["--out", out])
        .assert()
        .success();
}

/// The rows of a CSV as maps from column to cell.
fn csv_maps(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
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

/// Runs `shopsim sweep s.toml ARGS --out OUT` in `dir` and checks its page against
/// `sweep.csv`: the best option at each point (the highest mean profit), where the
/// headline says it changes, each variant's range of mean profit; then reruns the
/// page's command and finds the same files. Returns the headline.
fn sweep_page_matches_sweep_csv(dir: &Path, args: &[&str], out: &str, points: usize) -> String {
    shopsim_in(dir)
        .args(["sweep", "s.toml"])
        .args(args)
        .args(["--out", out])
        .assert()
        .success();
    let folder = dir.join(out).join("sw-sweep");
    let (_, doc) = checked_page(&folder, "sweep.json");
    let table = csv_maps(&folder.join("sweep.csv"));

    // The best option at each point: the highest mean profit in sweep.csv.
    let mut best: BTreeMap<usize, (f64, String)> = BTreeMap::new();
    for row in table.iter().filter(|r| r["metric"] == "profit") {
        let point: usize = row["point"].parse().unwrap();
        let mean: f64 = row["mean"].parse().unwrap();
        let entry = best
            .entry(point)
            .or_insert((f64::NEG_INFINITY, String::new()));
        if mean > entry.0 {
            *entry = (mean, row["variant"].clone());
        }
    }
    assert_eq!(best.len(), points);
    let rows: Vec<ElementRef<'_>> = doc.select(&sel("#points-table tbody tr")).collect();
    assert_eq!(rows.len(), points);
    for (row, (point, (_, name))) in rows.iter().zip(&best) {
        let first = text(row.select(&sel("td")).next().unwrap());
        assert!(first.starts_with(&point.to_string()), "{first}");
        let shown = text(row.select(&sel("td.best b")).next().unwrap());
        assert_eq!(&shown, name, "point {point}");
    }
    // The headline says where the best changes, naming each best in order.
    let mut order: Vec<&String> = Vec::new();
    for (_, n) in best.values() {
        if order.last() != Some(&n) {
            order.push(n);
        }
    }
    let headline = text_of(&doc, "#answer .headline");
    if order.len() == 1 {
        assert_eq!(
            headline,
            format!(
                "{} has the highest mean profit at every one of the {points} points.",
                order[0]
            )
        );
    } else {
        assert!(
            headline.contains(&match order.len() - 1 {
                1 => "changes once".to_string(),
                n => format!("changes {n} times"),
            }),
            "{headline}"
        );
        let mut at = 0;
        for n in order {
            let found = headline[at..]
                .find(&format!("{n} "))
                .unwrap_or_else(|| panic!("{n} not in order in {headline}"));
            at += found + n.len();
        }
    }
    // Each variant's range of mean profit, as sweep.csv has it.
    let answer = text_of(&doc, "#answer");
    for v in ["a", "b"] {
        let means: Vec<f64> = table
            .iter()
            .filter(|r| r["metric"] == "profit" && r["variant"] == v)
            .map(|r| r["mean"].parse().unwrap())
            .collect();
        let lo = fmt_number(means.iter().copied().fold(f64::MAX, f64::min));
        let hi = fmt_number(means.iter().copied().fold(f64::MIN, f64::max));
        let expected = if lo == hi {
            format!("Mean profit of {v}: {lo} at every point.")
        } else {
            format!("Mean profit of {v}: from {lo} (at ")
        };
        assert!(answer.contains(&expected), "{expected} not in {answer}");
        if lo != hi {
            assert!(
                answer.contains(&format!(" to {hi} (at")),
                "{hi} not in {answer}"
            );
        }
    }

    // The command reproduces the sweep: the same tables and page.
    let command = text_of(&doc, "code#command");
    let seed = read_json(&folder.join("sweep.json"))["seed"].clone();
    assert!(
        command.starts_with(&format!("shopsim sweep s.toml {}", args.join(" ")))
            && command.ends_with(&format!(
                "--metric profit --seed {seed} --trials 300 --sampling lhs"
            )),
        "{command}"
    );
    let again = format!("{out}-again");
    rerun(dir, &command, &again);
    crate::common::assert_same_files(
        &folder,
        &dir.join(again).join("sw-sweep"),
        &["sweep.csv", "sweep_pairs.csv", "report.html"],
    );
    headline
}

#[test]
fn a_sweep_page_names_the_best_option_at_each_point_as_sweep_csv_does() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "s.toml", &two_variant_study("sw", 300, 30));
    // The price moves the self-operated `a` only; the managed `b` stays best.
    let headline =
        sweep_page_matches_sweep_csv(dir.path(), &["--range", "price.retail=8:60:5"], "range", 5);
    assert!(headline.starts_with("b has"), "{headline}");
    assert!(!headline.contains("changes"));
    // A dearer staff on `b` alone, point by point: `a` becomes the best at the last.
    write(
        dir.path(),
        "grid.csv",
        "name,variant,staff.cost_per_day\ncheap,b,0\nmid,b,200\ndear,b,400\n",
    );
    let headline = sweep_page_matches_sweep_csv(dir.path(), &["--grid", "grid.csv"], "grid", 3);
    assert!(headline.contains("changes once"), "{headline}");
}

/// A's ERP cost is the parameter; B's is uniform(10, 30) per trial: P(A beats B) crosses
/// 50% at 20 (the threshold tests' study).
const ERP: &str = r#"name = "erp"
trials = 600
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

#[test]
fn a_threshold_page_states_the_value_and_interval_of_its_record_or_p_at_both_ends() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "erp.toml", ERP);
    let search = |between: [&str; 2], out: &str| {
        shopsim_in(dir.path())
            .args(["threshold", "erp.toml", "--param", "tools.erp_cost_per_day"])
            .args([
                "--between",
                between[0],
                between[1],
                "--a",
                "a",
                "--b",
                "b",
                "--on",
                "a",
            ])
            .args(["--threads", "1", "--out", out])
            .assert()
            .success();
        dir.path().join(out).join("erp-threshold")
    };
    let folder = search(["0", "40"], "out");
    let (_, doc) = checked_page(&folder, "threshold.json");
    let record = read_json(&folder.join("threshold.json"));
    assert_eq!(record["outcome"], "crosses");
    let value = record["value"].as_f64().unwrap();
    let low = record["value_low"].as_f64().unwrap();
    let high = record["value_high"].as_f64().unwrap();
    let headline = text_of(&doc, "#answer .headline");
    let expected = format!(
        "a beats b on profit with probability 50.0% or more below tools.erp_cost_per_day = {} (moved on a only) (95% interval {} to {})",
        fmt_significant(value),
        fmt_significant(low),
        fmt_significant(high)
    );
    assert!(
        headline.starts_with(&expected),
        "{headline}\nexpected {expected}"
    );
    let answer = text_of(&doc, "#answer");
    let ends = record["p_at_ends"].as_array().unwrap();
    for p in ends {
        assert!(
            answer.contains(&fmt_percent(p.as_f64().unwrap())),
            "{answer}"
        );
    }
    // Every value run, in threshold.csv's order.
    let csv = csv_maps(&folder.join("threshold.csv"));
    let rows: Vec<String> = doc
        .select(&sel("#values-table tbody tr td:first-child"))
        .map(text)
        .collect();
    assert_eq!(rows.len(), csv.len());
    assert_eq!(rows.len(), record["values_run"].as_u64().unwrap() as usize);
    for (shown, row) in rows.iter().zip(&csv) {
        let v: f64 = row["tools.erp_cost_per_day"].parse().unwrap();
        assert_eq!(shown, &fmt_significant(v));
    }
    // Reproduced: the same values and probabilities.
    let command = text_of(&doc, "code#command");
    rerun(dir.path(), &command, "again");
    crate::common::assert_same_files(
        &folder,
        &dir.path().join("again/erp-threshold"),
        &["threshold.csv", "report.html"],
    );

    // Above 30, A never beats B half the time: the page says so, with P at both ends.
    let never = search(["31", "40"], "never");
    let (_, doc) = checked_page(&never, "threshold.json");
    let record = read_json(&never.join("threshold.json"));
    assert_eq!(record["outcome"], "never");
    let headline = text_of(&doc, "#answer .headline");
    assert!(
        headline.starts_with("P(a beats b on profit) does not cross 50.0% between tools.erp_cost_per_day = 31 and 40"),
        "{headline}"
    );
    let answer = text_of(&doc, "#answer");
    let ends = record["p_at_ends"].as_array().unwrap();
    assert!(
        answer.contains(&format!(
            "is {} at tools.erp_cost_per_day = 31 and {} at 40",
            fmt_percent(ends[0].as_f64().unwrap()),
            fmt_percent(ends[1].as_f64().unwrap())
        )),
        "{answer}"
    );
}

#[test]
fn a_sensitivity_page_names_the_widest_swings_and_sobol_indices_of_its_table() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "s.toml", &two_variant_study("sens", 200, 30));
    shopsim_in(dir.path())
        .args(["sensitivity", "s.toml", "--swing", "price.retail=15..25"])
        .args(["--sobol", "60", "--chart-format", "svg", "--out", "out"])
        .assert()
        .success();
    let folder = dir.path().join("out/sens-sensitivity");
    let (html, doc) = checked_page(&folder, "sensitivity.json");
    assert_eq!(
        html.matches("<svg").count(),
        4,
        "a tornado and a spider per variant"
    );
    let table = csv_maps(&folder.join("sensitivity.csv"));
    let headline = text_of(&doc, "#answer .headline");
    for target in ["a", "b"] {
        // The widest swing (rank 1) leads the headline and the target's table.
        let top = table
            .iter()
            .find(|r| r["target"] == target && r["rank"] == "1")
            .unwrap();
        assert!(
            headline.contains(&format!("{} moves {target} most", top["input"])),
            "{headline}"
        );
        let first_row = doc
            .select(&sel(&format!(
                "table.swings[data-target=\"{target}\"] tbody tr"
            )))
            .next()
            .unwrap();
        assert_eq!(
            text(first_row.select(&sel("td.input")).next().unwrap()),
            top["input"]
        );
        // The largest total Sobol index, with its interval, in the answer.
        let sobol = table
            .iter()
            .filter(|r| r["target"] == target && !r["sobol_total"].is_empty())
            .max_by(|x, y| {
                let t = |r: &BTreeMap<String, String>| r["sobol_total"].parse::<f64>().unwrap();
                t(x).total_cmp(&t(y))
            })
            .unwrap();
        let f = |k: &str| format!("{:.2}", sobol[k].parse::<f64>().unwrap());
        let expected = format!(
            "{} [{}, {}]",
            f("sobol_total"),
            f("sobol_total_low"),
            f("sobol_total_high")
        );
        let answer = text_of(&doc, "#answer");
        assert!(answer.contains(&expected), "{expected} not in {answer}");
    }
    let command = text_of(&doc, "code#command");
    assert!(command.contains("--swing price.retail=15..25"), "{command}");
    rerun(dir.path(), &command, "again");
    crate::common::assert_same_files(
        &folder,
        &dir.path().join("again/sens-sensitivity"),
        &["sensitivity.csv", "spider.csv", "report.html"],
    );
}

#[test]
fn a_fit_page_gives_the_estimates_of_fit_json_and_the_files_it_is_of() {
    let dir = TempDir::new().unwrap();
    let truth = ShopTruth {
        routes: vec![Route::new(
            gen::FULFILLMENT_BY_TIKTOK,
            "Shipped via platform",
            "Standard shipping",
            "TikTok Shipping",
            1.0,
        )],
        ..ShopTruth::default()
    };
    let shop = gen::simulate(&truth, 31);
    let quirks = Quirks::default();
    fs::write(
        dir.path().join("orders.csv"),
        gen::render_orders_csv(&shop, &quirks),
    )
    .unwrap();
    fs::write(
        dir.path().join("returns.csv"),
        gen::render_returns_csv(&shop, &quirks),
    )
    .unwrap();
    shopsim_in(dir.path())
        .args([
            "fit",
            "orders.csv",
            "--returns",
            "returns.csv",
            "--name",
            "myshop",
        ])
        .assert()
        .success();
    let folder = dir.path().join("output/myshop-fit");
    let (_, doc) = checked_page(&folder, "fit.json");
    let record = read_json(&folder.join("fit.json"));
    let short = |v: &serde_json::Value| shopsim::fit::land::short(v.as_f64().unwrap());
    let level = &record["demand"]["level"];
    let headline = text_of(&doc, "#answer .headline");
    assert!(
        headline.contains(&format!(
            "sells {} orders a day at full ramp-up (95% interval {} to {}",
            short(&level["value"]),
            short(&level["lo"]),
            short(&level["hi"])
        )),
        "{headline}"
    );
    let answer = text_of(&doc, "#answer");
    let transit = &record["routes"][0]["transit_median_days"];
    assert!(
        answer.contains(&format!(
            "transit {} days (95% interval {} to {})",
            short(&transit["value"]),
            short(&transit["lo"]),
            short(&transit["hi"])
        )),
        "{answer}"
    );
    let returns = record["return_base_rate"]["value"].as_f64().unwrap();
    assert!(answer.contains(&format!(
        "Returns of on-time orders {}",
        fmt_percent(returns)
    )));
    // Every warning of the record is a note; what landed, was kept and did not land is
    // counted in the answer and listed below it.
    for w in record["warnings"].as_array().unwrap() {
        let w = w.as_str().unwrap().replace('`', "");
        assert!(text_of(&doc, "#answer ul").contains(&w), "{w}");
    }
    let landed = record["parameters"].as_array().unwrap().len();
    let kept = record["kept_defaults"].as_array().unwrap().len();
    assert!(
        answer.contains(&format!("{landed} values landed")),
        "{answer}"
    );
    assert!(
        answer.contains(&format!("{kept} kept at their values")),
        "{answer}"
    );
    assert_eq!(
        doc.select(&sel("#parameters-table tbody tr")).count(),
        landed
    );
    assert_eq!(doc.select(&sel("#kept-list li")).count(), kept);
    // The files it is of, by SHA-256.
    let files = text_of(&doc, "#files-table");
    for input in record["inputs"].as_array().unwrap() {
        assert!(files.contains(input["sha256"].as_str().unwrap()), "{files}");
    }
    let command = text_of(&doc, "code#command");
    assert!(
        command.starts_with("shopsim fit orders.csv --returns returns.csv --market us --category beauty --name myshop"),
        "{command}"
    );
    rerun(dir.path(), &command, "again");
    crate::common::assert_same_files(
        &folder,
        &dir.path().join("again/myshop-fit"),
        &["params.csv", "report.html"],
    );
}

#[test]
fn names_that_look_like_html_or_markdown_stay_text_on_every_analysis_page() {
    let dir = TempDir::new().unwrap();
    let [a, b] = HOSTILE_NAMES;
    write(
        dir.path(),
        "h.toml",
        &format!(
            "name = \"hostile\"\ntrials = 60\nhorizon_days = 20\nseed = 3\n\
             [[variant]]\nname = '{a}'\nmodel = \"self_operated\"\nroute = \"fbt\"\n\
             [[variant]]\nname = '{b}'\nmodel = \"fully_managed\"\nroute = \"managed\"\n"
        ),
    );
    let run = |args: &[&str]| {
        shopsim_in(dir.path())
            .arg(args[0])
            .arg("h.toml")
            .args(&args[1..])
            .args(["--chart-format", "svg", "--out", "out"])
            .assert()
            .success();
    };
    run(&["sweep", "--range", "price.retail=16:24:3"]);
    run(&[
        "threshold",
        "--param",
        "price.retail",
        "--between",
        "5",
        "60",
        "--a",
        a,
        "--b",
        b,
    ]);
    run(&["sensitivity", "--a", a, "--b", b, "--sobol", "0"]);
    for (kind, record) in [
        ("sweep", "sweep.json"),
        ("threshold", "threshold.json"),
        ("sensitivity", "sensitivity.json"),
    ] {
        let folder = dir.path().join(format!("out/hostile-{kind}"));
        let (html, doc) = checked_page(&folder, record);
        // No name became markup, and both are shown as written.
        assert_eq!(
            doc.select(&sel("script, img, [onerror]")).count(),
            0,
            "{kind}"
        );
        assert!(!html.contains("<script>alert"), "{kind}");
        let page_text: String = doc.root_element().text().collect();
        for name in HOSTILE_NAMES {
            assert!(page_text.contains(name), "{kind}: {name} missing");
        }
        // A quoted name is one code span, backticks and all.
        let quoted: Vec<String> = doc.select(&sel("#answer code")).map(text).collect();
        assert!(
            quoted.iter().any(|q| HOSTILE_NAMES.contains(&q.as_str())),
            "{kind}: {quoted:?}"
        );
        // The command quotes the names for a shell: it reads back as the same words.
        let command = text_of(&doc, "code#command");
        if kind != "sweep" {
            let words = shell_words(&command);
            assert!(
                words.iter().any(|w| w == a) && words.iter().any(|w| w == b),
                "{kind}: {words:?}"
            );
        }
    }
    // The threshold's command runs as written and finds the same.
    let folder = dir.path().join("out/hostile-threshold");
    let command = text_of(&checked_page(&folder, "threshold.json").1, "code#command");
    rerun(dir.path(), &command, "again");
    crate::common::assert_same_files(
        &folder,
        &dir.path().join("again/hostile-threshold"),
        &["threshold.csv"],
    );
}
