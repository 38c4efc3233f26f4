//! `docs/errors.md` is true: every entry's message is what the program prints for the
//! entry's example, with the exit code it gives, and every entry has a case here (and
//! every case an entry).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

use crate::common::{read_json, repo, shopsim_in};

const STUDY: &str = r#"name = "demo"
trials = 50
horizon_days = 30
seed = 1
[base]
market = "us"
category = "beauty"
demand.daily_cv = 0.3
[[events]]
name = "peak"
start_day = 10
end_day = 12
demand_multiplier = 2
[[variant]]
name = "self"
model = "self_operated"
loop = "semi_closed"
[[variant]]
name = "managed"
model = "fully_managed"
loop = "full_closed"
"#;

/// An entry of docs/errors.md: its id, exit code and message.
struct Entry {
    code: i32,
    message: String,
}

/// Reads the entries: a `### id` heading, an `exit N` in its text, and the first fenced
/// `text` block after it (the message; `…` lines in it are left out of the comparison).
fn entries() -> BTreeMap<String, Entry> {
    let doc = fs::read_to_string(repo("docs/errors.md")).expect("docs/errors.md exists");
    let mut out = BTreeMap::new();
    for section in doc.split("\n### ").skip(1) {
        let id = section
            .lines()
            .next()
            .unwrap()
            .split(':')
            .next()
            .unwrap()
            .trim()
            .to_string();
        let code = section
            .split("exit ")
            .nth(1)
            .and_then(|t| t.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("entry `{id}` gives no exit code"));
        let message = section
            .split("```text\n")
            .nth(1)
            .and_then(|t| t.split("\n```").next())
            .unwrap_or_else(|| panic!("entry `{id}` has no message block"))
            .to_string();
        assert!(
            out.insert(id.clone(), Entry { code, message }).is_none(),
            "`{id}` twice"
        );
    }
    out
}

fn file(dir: &Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).unwrap();
}

/// Runs `scenario` as `bad.toml` with `shopsim run bad.toml --out out`.
fn run_scenario(dir: &Path, scenario: &str) -> Command {
    file(dir, "bad.toml", scenario);
    let mut c = shopsim_in(dir);
    c.args(["run", "bad.toml", "--no-charts", "--out", "out"]);
    c
}

/// Runs STUDY with `--params p.csv` holding `csv`.
fn run_csv(dir: &Path, csv: &str) -> Command {
    file(dir, "demo.toml", STUDY);
    file(dir, "p.csv", csv);
    let mut c = shopsim_in(dir);
    c.args([
        "run",
        "demo.toml",
        "--params",
        "p.csv",
        "--no-charts",
        "--out",
        "out",
    ]);
    c
}

/// Runs STUDY with `--params p.csv` holding `bytes` (not UTF-8).
fn run_csv_bytes(dir: &Path, bytes: &[u8]) -> Command {
    let c = run_csv(dir, "");
    fs::write(dir.join("p.csv"), bytes).unwrap();
    c
}

/// Sweeps STUDY with the grid `g.csv` holding `grid`, when given, and `extra` flags.
fn sweep(dir: &Path, grid: Option<&str>, extra: &[&str]) -> Command {
    file(dir, "demo.toml", STUDY);
    let mut c = shopsim_in(dir);
    c.args(["sweep", "demo.toml", "--no-charts", "--out", "out"]);
    if let Some(g) = grid {
        file(dir, "g.csv", g);
        c.args(["--grid", "g.csv"]);
    }
    c.args(extra);
    c
}

/// A threshold search of STUDY's `self` against `managed` with `extra` flags.
fn threshold(dir: &Path, extra: &[&str]) -> Command {
    file(dir, "demo.toml", STUDY);
    let mut c = shopsim_in(dir);
    c.args([
        "threshold",
        "demo.toml",
        "--a",
        "self",
        "--b",
        "managed",
        "--no-charts",
        "--out",
        "out",
    ]);
    c.args(extra);
    c
}

/// Writes a study folder `runs/demo` to compare.
fn study_folder(dir: &Path) {
    file(dir, "demo.toml", STUDY);
    shopsim_in(dir)
        .args(["run", "demo.toml", "--no-charts", "--out", "runs"])
        .assert()
        .success();
}

fn replace(from: &str, to: &str) -> String {
    assert!(STUDY.contains(from), "{from}");
    STUDY.replacen(from, to, 1)
}

/// The part folder of a study run as one shard.
const ONE_PART: &str = "parts/demo.shard-1-of-1";

/// Runs STUDY as shard 1/1 into `parts`, with `extra` flags.
fn one_part(dir: &Path, extra: &[&str]) {
    file(dir, "demo.toml", STUDY);
    shopsim_in(dir)
        .args(["run", "demo.toml", "--shard", "1/1", "--out", "parts"])
        .args(extra)
        .assert()
        .success();
}

fn part_json(dir: &Path) -> serde_json::Value {
    read_json(&dir.join(ONE_PART).join("part.json"))
}

fn set_part_json(dir: &Path, json: &serde_json::Value) {
    fs::write(
        dir.join(ONE_PART).join("part.json"),
        serde_json::to_string(json).unwrap(),
    )
    .unwrap();
}

/// `shopsim merge` of the part [`one_part`] wrote.
fn merge_one_part(dir: &Path) -> Command {
    let mut c = shopsim_in(dir);
    c.args(["merge", ONE_PART, "--no-charts", "--out", "merged"]);
    c
}

/// The command that provokes each entry, by id.
fn case(id: &str, dir: &Path) -> Command {
    match id {
        "toml-syntax" => run_scenario(dir, &replace("trials = 50", "trials = [")),
        "unknown-field" => run_scenario(dir, &replace("seed = 1", "seed = 1\nhorizon = 5")),
        "unknown-parameter" => {
            run_scenario(dir, &replace("demand.daily_cv", "demand.dayly_cv"))
        }
        "wrong-type" => run_scenario(dir, &replace("trials = 50", "trials = \"many\"")),
        "missing-key" => run_scenario(dir, &replace("seed = 1\n", "")),
        "rate-not-fraction" => run_scenario(
            dir,
            &replace("demand.daily_cv = 0.3", "fees.commission_rate = 6"),
        ),
        "beyond-sanity-bound" => {
            run_scenario(dir, &replace("demand.daily_cv = 0.3", "price.retail = 1e308"))
        }
        "impossible-distribution" => run_scenario(
            dir,
            &replace("demand.daily_cv = 0.3", "demand.daily_cv = \"uniform(0.5, 0.1)\""),
        ),
        "unknown-choice" => run_scenario(dir, &replace("market = \"us\"", "market = \"mars\"")),
        "currency-without-rate" => {
            run_scenario(dir, &replace("seed = 1\n", "seed = 1\ncurrency = \"THB\"\n"))
        }
        "not-a-currency" => {
            run_scenario(dir, &replace("seed = 1\n", "seed = 1\ncurrency = \"baht\"\n"))
        }
        "managed-semi-closed" => run_scenario(
            dir,
            &replace("loop = \"full_closed\"", "loop = \"semi_closed\""),
        ),
        "removed-key" => run_scenario(
            dir,
            &replace("demand.daily_cv = 0.3", "logistics.tiers = 1"),
        ),
        "duplicate-variant" => {
            run_scenario(dir, &replace("name = \"managed\"", "name = \"self\""))
        }
        "too-few-variants" => run_scenario(dir, STUDY.split("[[variant]]\nname = \"managed\"").next().unwrap()),
        "reorder-above-order-up-to" => run_scenario(
            dir,
            &replace(
                "loop = \"full_closed\"",
                "loop = \"full_closed\"\ninventory.reorder_point = 500\ninventory.order_up_to = 100",
            ),
        ),
        "event-outside-horizon" => run_scenario(dir, &replace("end_day = 12", "end_day = 31")),
        "event-multiplier" => run_scenario(
            dir,
            &replace("demand_multiplier = 2", "demand_multiplier = 2000"),
        ),
        "bad-study-name" => run_scenario(dir, &replace("name = \"demo\"", "name = \"q3/demo\"")),
        "name-is-a-path" => {
            run_scenario(dir, &replace("name = \"self\"", "name = \"../../victim\""))
        }
        "duplicate-event" => run_scenario(
            dir,
            &replace("[[variant]]", "[[events]]\nname = \"peak\"\nstart_day = 1\nend_day = 2\n[[variant]]"),
        ),
        "event-markets-empty" => run_scenario(
            dir,
            &replace("demand_multiplier = 2", "demand_multiplier = 2\nmarkets = []"),
        ),
        "demand-beyond-bounds" => run_scenario(
            dir,
            &replace(
                "demand.daily_cv = 0.3",
                "demand.daily_cv = 0\ndemand.managed_orders_per_day = 1e6\ndemand.viral_rate = 0\ndemand.ramp_days = 0",
            )
            .replace("demand_multiplier = 2", "demand_multiplier = 100")
            .replacen("[[variant]]", "[[events]]\nname = \"second\"\nstart_day = 10\nend_day = 10\ndemand_multiplier = 100\n[[variant]]", 1),
        ),
        "control-characters" => run_scenario(
            dir,
            &replace("name = \"self\"", "name = \"self\\u001b[2J\""),
        ),
        "unknown-baseline" => {
            run_scenario(dir, &replace("seed = 1", "seed = 1\nbaseline = \"managd\""))
        }
        "csv-unknown-key" => run_csv(dir, "key,value\ndemand.dayly_cv,0.2\n"),
        "csv-percentage" => run_csv(dir, "key,value\nfees.commission_rate,6%\n"),
        "csv-percentage-not-rate" => run_csv(dir, "key,value\nprice.retail,15%\n"),
        "csv-unknown-variant" => run_csv(dir, "variant,key,value\nsef,price.retail,25\n"),
        "csv-header" => run_csv(dir, "name;amount\nprice.retail;25\n"),
        "stdout-closed" => {
            // A shell closes standard output; the program finds /dev/null there.
            let bin = assert_cmd::cargo::cargo_bin("shopsim");
            let mut c = Command::new("sh");
            c.current_dir(dir)
                .args(["-c", &format!("'{}' params >&-", bin.display())]);
            c
        }
        "csv-both-kinds" => run_csv(
            dir,
            "key_a,key_b,rank_correlation,key,value\n,,,price.retail,25\n",
        ),
        "csv-set-twice" => run_csv(dir, "key,value\nprice.retail,25\nprice.retail,26\n"),
        "csv-row-width" => run_csv(dir, "key,value\r\nprice.retail,25\r\nprice.retail,26,x\r\n"),
        "csv-unknown-event" => run_csv(dir, "key,value\nevent.peek.demand_multiplier,3\n"),
        "csv-event-variant" => run_csv(
            dir,
            "key,value,variant\nevent.peak.demand_multiplier,3,self\n",
        ),
        "not-utf8" => run_csv_bytes(
            dir,
            b"key,value\nprice.retail,20\n# \xCA\xC7\xD1\xCA\xB4\xD5\n",
        ),
        "broken-utf16" => run_csv_bytes(dir, b"\xFF\xFEk\x00,\x00\n\x00x"),
        "workbook-not-text" => run_csv_bytes(dir, b"PK\x03\x04\x14\x00\x06\x00"),
        "stdin-twice" => {
            file(dir, "demo.toml", STUDY);
            let mut c = shopsim_in(dir);
            c.args(["run", "-", "--params", "-"]).write_stdin(STUDY);
            c
        }
        "init-exists" => {
            fs::create_dir(dir.join("scenarios")).unwrap();
            file(dir, "scenarios/my_shop.toml", "# mine\n");
            let mut c = shopsim_in(dir);
            c.args(["init"]);
            c
        }
        "init-bad-name" => {
            let mut c = shopsim_in(dir);
            c.args(["init", "../x"]);
            c
        }
        "missing-file" => {
            let mut c = shopsim_in(dir);
            c.args(["run", "nope.toml"]);
            c
        }
        "empty-folder" => {
            fs::create_dir(dir.join("empty")).unwrap();
            let mut c = shopsim_in(dir);
            c.args(["check", "empty"]);
            c
        }
        "too-large" => {
            file(dir, "demo.toml", &replace("horizon_days = 30", "horizon_days = 3650"));
            let mut c = shopsim_in(dir);
            c.args(["run", "demo.toml", "--threads", "1000"]);
            c
        }
        "too-many-trials" => {
            file(dir, "demo.toml", STUDY);
            let mut c = shopsim_in(dir);
            c.args(["run", "demo.toml", "--trials", "18446744073709551615"]);
            c
        }
        "not-own-folder" => {
            fs::create_dir_all(dir.join("out/demo")).unwrap();
            file(dir, "out/demo/notes.txt", "mine");
            file(dir, "demo.toml", STUDY);
            let mut c = shopsim_in(dir);
            c.args(["run", "demo.toml", "--out", "out"]);
            c
        }
        "unwritable-output" => {
            file(dir, "blocker", "a file where the folder should be");
            file(dir, "demo.toml", STUDY);
            let mut c = shopsim_in(dir);
            c.args(["run", "demo.toml", "--out", "blocker/out"]);
            c
        }
        "compare-not-a-study" => {
            study_folder(dir);
            fs::create_dir(dir.join("notes")).unwrap();
            let mut c = shopsim_in(dir);
            c.args(["compare", "runs/demo", "notes"]);
            c
        }
        "compare-out-is-input" => {
            study_folder(dir);
            let mut c = shopsim_in(dir);
            c.args(["compare", "runs/demo", "runs/demo", "--out", "runs"]);
            c
        }
        "out-holds-input" => {
            fs::create_dir_all(dir.join("out/demo")).unwrap();
            file(dir, "out/demo/demo.toml", STUDY);
            let mut c = shopsim_in(dir);
            c.args([
                "run",
                "out/demo/demo.toml",
                "--no-charts",
                "--out",
                "out",
                "--force",
            ]);
            c
        }
        "sensitivity-swing-idle" => {
            file(dir, "demo.toml", STUDY);
            let mut c = shopsim_in(dir);
            c.args([
                "sensitivity",
                "demo.toml",
                "--swing",
                "event.peek.demand_multiplier=1..3",
                "--sobol",
                "0",
                "--out",
                "out",
            ]);
            c
        }
        "compare-out-not-a-comparison" => {
            study_folder(dir);
            fs::create_dir(dir.join("precious")).unwrap();
            file(dir, "precious/thesis.tex", "years of work");
            let mut c = shopsim_in(dir);
            c.args(["compare", "runs/demo", "runs/demo", "--out", "precious"]);
            c
        }
        "compare-unknown-metric" => {
            study_folder(dir);
            let mut c = shopsim_in(dir);
            c.args(["compare", "runs/demo", "runs/demo", "--metric", "proft"]);
            c
        }
        "compare-currencies" => {
            study_folder(dir);
            let thb = replace("seed = 1\n", "seed = 1\ncurrency = \"THB\"\nfx.THB = 36.5\n");
            file(dir, "demo.toml", &thb);
            shopsim_in(dir)
                .args(["run", "demo.toml", "--no-charts", "--out", "thb"])
                .assert()
                .success();
            let mut c = shopsim_in(dir);
            c.args(["compare", "runs/demo", "thb/demo"]);
            c
        }
        "compare-incomplete" => {
            study_folder(dir);
            let path = dir.join("runs/demo/summary.csv");
            let text = fs::read_to_string(&path).unwrap();
            // The header, every row of `self`, and two of `managed`.
            let per_variant = (text.lines().count() - 1) / 2;
            let kept: Vec<&str> = text.lines().take(1 + per_variant + 2).collect();
            fs::write(&path, kept.join("\n") + "\n").unwrap();
            let mut c = shopsim_in(dir);
            c.args(["compare", "runs/demo", "runs/demo"]);
            c
        }
        "compare-older-run" => {
            file(dir, "demo.toml", STUDY);
            for out in ["old", "runs"] {
                shopsim_in(dir)
                    .args(["run", "demo.toml", "--no-charts", "--write-trials", "--out", out])
                    .assert()
                    .success();
            }
            crate::common::as_format_9(&dir.join("old/demo"));
            let mut c = shopsim_in(dir);
            c.args(["compare", "old/demo", "runs/demo"]);
            c
        }
        "shard-too-many" => {
            file(dir, "demo.toml", STUDY);
            let mut c = shopsim_in(dir);
            c.args(["run", "demo.toml", "--shard", "2/2", "--out", "parts"]);
            c
        }
        "merge-missing-shard" => {
            file(dir, "demo.toml", STUDY);
            shopsim_in(dir)
                .args(["run", "demo.toml", "--trials", "300", "--shard", "1/2", "--out", "parts"])
                .assert()
                .success();
            let mut c = shopsim_in(dir);
            c.args(["merge", "parts/demo.shard-1-of-2"]);
            c
        }
        "merge-old-format" => {
            one_part(dir, &[]);
            let mut json = part_json(dir);
            json["format_version"] = 7.into();
            json["version"] = "0.0.9".into();
            json.as_object_mut().unwrap().remove("files");
            set_part_json(dir, &json);
            merge_one_part(dir)
        }
        "merge-damaged-file" => {
            one_part(dir, &["--write-trials"]);
            // One digit changed, in place: the same size, another digest.
            let path = dir.join(ONE_PART).join("trials.csv");
            let mut bytes = fs::read(&path).unwrap();
            let at = bytes.iter().rposition(u8::is_ascii_digit).unwrap();
            bytes[at] = if bytes[at] == b'1' { b'2' } else { b'1' };
            fs::write(&path, bytes).unwrap();
            merge_one_part(dir)
        }
        "merge-parts-differ" => {
            file(dir, "demo.toml", STUDY);
            for (k, seed) in [("1/2", "1"), ("2/2", "5")] {
                shopsim_in(dir)
                    .args(["run", "demo.toml", "--trials", "300", "--shard", k, "--seed", seed])
                    .args(["--out", "parts"])
                    .assert()
                    .success();
            }
            let mut c = shopsim_in(dir);
            c.args(["merge", "parts/demo.shard-1-of-2", "parts/demo.shard-2-of-2"]);
            c
        }
        "merge-part-edited" => {
            one_part(dir, &[]);
            let mut json = part_json(dir);
            let text = json["scenario_text"].as_str().unwrap().to_string();
            json["scenario_text"] = text.replace("horizon_days = 30", "horizon_days = 40").into();
            set_part_json(dir, &json);
            merge_one_part(dir)
        }
        "merge-trials-rows" => {
            one_part(dir, &["--write-trials"]);
            // The first two rows swapped, and the digest rewritten to match.
            let path = dir.join(ONE_PART).join("trials.csv");
            let text = fs::read_to_string(&path).unwrap();
            let mut lines: Vec<&str> = text.lines().collect();
            lines.swap(1, 2);
            let forged = lines.join("\n") + "\n";
            fs::write(&path, &forged).unwrap();
            let mut json = part_json(dir);
            json["files"]["trials.csv"] =
                serde_json::to_value(shopsim::shard::digest_bytes(forged.as_bytes())).unwrap();
            set_part_json(dir, &json);
            merge_one_part(dir)
        }
        "merge-out-is-input" => {
            one_part(dir, &[]);
            let mut c = shopsim_in(dir);
            c.args(["merge", ONE_PART, "--out", ONE_PART, "--force"]);
            c
        }
        "merge-not-a-shard" => {
            study_folder(dir);
            let mut c = shopsim_in(dir);
            c.args(["merge", "runs/demo"]);
            c
        }
        "sweep-grid-unknown-column" => sweep(dir, Some("name,price.retial\nx,20\n"), &[]),
        "sweep-grid-value" => sweep(dir, Some("name,price.retail\nx,20\ny,-3\n"), &[]),
        "sweep-grid-empty" => sweep(dir, Some("name,price.retail\n"), &[]),
        "sweep-range" => sweep(dir, None, &["--range", "price.retail=20:10:3"]),
        "sweep-range-twice" => sweep(
            dir,
            None,
            &["--range", "price.retail=10:20:3", "--range", "price.retail=15:25:3"],
        ),
        "sweep-nothing" => sweep(dir, None, &[]),
        "sweep-unknown-variant" => sweep(
            dir,
            None,
            &["--range", "price.retail=20:30:3", "--variant", "slef"],
        ),
        "threshold-unknown-param" => threshold(dir, &["--param", "price.retial", "--between", "10", "30"]),
        "threshold-switch" => threshold(dir, &["--param", "inventory.enabled", "--between", "0", "1"]),
        "threshold-between" => threshold(dir, &["--param", "price.retail", "--between", "30", "10"]),
        "threshold-variants" => {
            let mut c = shopsim_in(dir);
            file(dir, "demo.toml", STUDY);
            c.args([
                "threshold", "demo.toml", "--param", "price.retail", "--between", "10", "30",
                "--a", "self", "--b", "slef", "--out", "out",
            ]);
            c
        }
        "sensitivity-swing" => {
            file(dir, "demo.toml", STUDY);
            let mut c = shopsim_in(dir);
            c.args([
                "sensitivity", "demo.toml", "--swing", "price.retail=25..15", "--out", "out",
            ]);
            c
        }
        "sensitivity-swings-header" => {
            file(dir, "demo.toml", STUDY);
            file(dir, "w.csv", "name;from;to\nprice.retail;15;25\n");
            let mut c = shopsim_in(dir);
            c.args(["sensitivity", "demo.toml", "--swings", "w.csv", "--out", "out"]);
            c
        }
        "correlation-fixed-input" => run_scenario(
            dir,
            &format!(
                "{}[correlations]\n\"demand.daily_cv,price.retail\" = 0.5\n",
                replace("demand.daily_cv = 0.3", "demand.daily_cv = \"0.2..0.4\"")
            ),
        ),
        "correlation-range" => run_scenario(
            dir,
            &format!(
                "{}[correlations]\n\"demand.daily_cv,price.retail\" = 1.5\n",
                replace("demand.daily_cv = 0.3", "demand.daily_cv = \"0.2..0.4\"\nprice.retail = \"18..22\"")
            ),
        ),
        "correlation-not-positive-definite" => run_scenario(
            dir,
            &format!(
                "{}[correlations]\n\"demand.daily_cv,price.retail\" = -0.9\n\"demand.daily_cv,costs.unit_cost\" = -0.9\n\"price.retail,costs.unit_cost\" = -0.9\n",
                replace(
                    "demand.daily_cv = 0.3",
                    "demand.daily_cv = \"0.2..0.4\"\nprice.retail = \"18..22\"\ncosts.unit_cost = \"4..6\""
                )
            ),
        ),
        "fit-not-an-export" => {
            file(dir, "notes.csv", "name,notes\nx,y\n");
            fit(dir, &["notes.csv"])
        }
        "fit-other-export" => {
            file(dir, "statement.csv", "Statement date,Type,Order/adjustment ID,Gross sales\n2026/03/01,Order,1,10\n");
            fit(dir, &["statement.csv"])
        }
        "fit-ambiguous-dates" => {
            file(dir, "o.csv", &format!("{FIT_HEADER}\n1001,Delivered,03/04/2026 10:00:00,03/05/2026 10:00:00,03/09/2026 10:00:00\n"));
            fit(dir, &["o.csv"])
        }
        "fit-row-cut-short" => {
            file(dir, "cut.csv", &format!("{FIT_HEADER}\n1001,Delivered,03/24/2026 10:00:00,03/25/2026 10:00:00\n"));
            fit(dir, &["cut.csv"])
        }
        "fit-other-market" => {
            file(dir, "us.csv", &format!("{FIT_HEADER},Country\n1001,Delivered,03/24/2026 10:00:00,03/25/2026 10:00:00,03/29/2026 10:00:00,United States\n"));
            file(dir, "thai.toml", &fs::read_to_string(repo("scenarios/th_apparel_2026.toml")).unwrap());
            fit(dir, &["us.csv", "--scenario", "thai.toml"])
        }
        other => panic!("docs/errors.md has entry `{other}` but this test has no case for it"),
    }
}

/// The columns an order export cannot do without.
const FIT_HEADER: &str = "Order ID,Order Status,Created Time,Shipped Time,Delivered Time";

fn fit(dir: &Path, args: &[&str]) -> Command {
    let mut c = shopsim_in(dir);
    c.arg("fit").args(args);
    c
}

/// Entries that cannot be provoked from the command line, with the test that covers them.
const COVERED_ELSEWHERE: &[(&str, &str)] = &[
    (
        "non-finite-output",
        "stats::accumulate::tests::the_first_non_finite_value_is_found_whatever_the_order",
    ),
    (
        "interrupted",
        "output_safety::ctrl_c_stops_at_once_removes_the_staging_folder_and_exits_130",
    ),
];

#[test]
fn every_documented_error_is_what_the_program_prints() {
    let entries = entries();
    assert!(entries.len() >= 30, "only {} entries", entries.len());
    for (id, entry) in &entries {
        if COVERED_ELSEWHERE.iter().any(|(e, _)| e == id) {
            continue;
        }
        let dir = TempDir::new().unwrap();
        let output = case(id, dir.path()).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(entry.code), "`{id}`: {stderr}");
        for line in entry.message.lines().filter(|l| !l.starts_with('…')) {
            assert!(
                stderr.contains(line),
                "`{id}`: docs/errors.md says\n  {line}\nbut the program printed\n{stderr}"
            );
        }
        assert!(!stderr.contains("panicked"), "`{id}`: {stderr}");
    }
    for (id, _) in COVERED_ELSEWHERE {
        assert!(entries.contains_key(*id), "`{id}` is not in docs/errors.md");
    }
}
