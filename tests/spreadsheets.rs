//! Files as spreadsheets and Windows editors save them: CRLF line ends, `;` between
//! columns with decimal commas, percentages, and text in UTF-16 or Windows-1252. Each
//! reader of the program (parameter CSV, correlations CSV, sweep grid, swings CSV,
//! scenario files) reads them alike, and its messages point at the right line.

mod common;

use std::fs;
use std::path::Path;

use common::{shopsim, two_variant_study, write};
use predicates::prelude::*;
use tempfile::TempDir;

/// `text` with Windows line ends.
fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

/// `shopsim` run in `dir`, where files are named as the messages name them.
fn shopsim_in(dir: &Path) -> assert_cmd::Command {
    let mut c = shopsim();
    c.current_dir(dir);
    c
}

/// `shopsim check s.toml --params CSV` (a file in `dir`) fails with exit 2: its standard
/// error.
fn check_fails(dir: &Path, csv: &str) -> String {
    write(dir, "s.toml", &two_variant_study("sheet", 20, 20));
    let out = shopsim_in(dir)
        .args(["check", "s.toml", "--params", csv])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn crlf_parameter_csv_errors_name_their_own_lines() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "p.csv",
        &crlf("key,value\nprice.retail,20\n# a note\n\nfees.commission_rate,abc\nprice.retail,21\nprice.retail,1,2\n"),
    );
    let e = check_fails(dir.path(), "p.csv");
    let lines: Vec<&str> = e.lines().collect();
    assert!(
        lines[0].starts_with(
            "Error: p.csv:5: column 'value', key `fees.commission_rate`: cannot read `abc`"
        ),
        "{e}"
    );
    assert_eq!(lines[1], "p.csv:6: key `price.retail` is set twice", "{e}");
    assert_eq!(
        lines[2],
        "p.csv:7: malformed CSV row (`,` between columns): the row has 3 cells, the header 2",
        "{e}"
    );
    assert_eq!(lines.len(), 3, "{e}");
}

#[test]
fn crlf_parameter_csv_sources_in_explain_and_run_json() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "s.toml", &two_variant_study("sheet", 20, 20));
    write(
        dir.path(),
        "p.csv",
        &crlf("key,value,variant\nprice.retail,25,a\nfees.commission_rate,0.1,\n"),
    );
    let out = shopsim_in(dir.path())
        .args(["params", "s.toml", "--explain", "fees.commission_rate"])
        .args(["--params", "p.csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(
        text.matches("= [csv override]       0.1   p.csv:3\n")
            .count(),
        2,
        "{text}"
    );
    shopsim_in(dir.path())
        .args([
            "run",
            "s.toml",
            "--params",
            "p.csv",
            "--no-charts",
            "--out",
            "out",
        ])
        .assert()
        .success();
    let record: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("out/sheet/run.json")).unwrap())
            .unwrap();
    let source = |key: &str| record["variants"][0]["parameters"][key]["source"].clone();
    assert_eq!(source("price.retail"), "p.csv:2");
    assert_eq!(source("fees.commission_rate"), "p.csv:3");
}

#[test]
fn a_correlations_csv_names_the_line_of_an_unknown_variant_and_of_a_bad_row() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "c.csv",
        "key_a,key_b,rank_correlation,variant\n# note\nprice.retail,costs.unit_cost,0.5,zz\n",
    );
    let e = check_fails(dir.path(), "c.csv");
    assert_eq!(
        e.trim_end(),
        "Error: c.csv:3: column 'variant': no study has a variant named `zz`; variants: a, b"
    );
    write(
        dir.path(),
        "c.csv",
        &crlf("key_a,key_b,rank_correlation\nprice.retail,costs.unit_cost,0.5\nprice.retail,costs.unit_cost,2\n"),
    );
    let e = check_fails(dir.path(), "c.csv");
    assert_eq!(
        e.trim_end(),
        "Error: c.csv:3: correlation `price.retail,costs.unit_cost`: column 'rank_correlation' must be a number from -1 to 1; found `2`"
    );
}

#[test]
fn crlf_grid_and_swings_errors_name_their_own_lines() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "s.toml", &two_variant_study("sheet", 20, 20));
    write(
        dir.path(),
        "g.csv",
        &crlf("name,price.retail\nlow,15\nhigh,abc\n"),
    );
    shopsim_in(dir.path())
        .args([
            "sweep",
            "s.toml",
            "--grid",
            "g.csv",
            "--no-charts",
            "--out",
            "out",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "Error: g.csv:3: column 2 (`price.retail`): cannot read `abc`",
        ));
    write(
        dir.path(),
        "w.csv",
        &crlf("key,low,high\nprice.retail,15,25\ncosts.unit_cost,9,3\n"),
    );
    shopsim_in(dir.path())
        .args(["sensitivity", "s.toml", "--swings", "w.csv", "--out", "out"])
        .assert()
        .code(2)
        .stderr("Error: w.csv:3: LO (9) must be below HI (3)\n");
}

/// The two-variant study with the price and the unit cost uncertain (so they can be
/// correlated).
fn uncertain_study() -> String {
    two_variant_study("sheet", 20, 20).replace(
        "category = \"beauty\"\n",
        "category = \"beauty\"\nprice.retail = \"18..22\"\ncosts.unit_cost = \"4..6\"\n",
    )
}

#[test]
fn decimal_commas_are_read_in_a_semicolon_correlations_csv() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "s.toml", &uncertain_study());
    write(
        dir.path(),
        "c.csv",
        &crlf("key_a;key_b;rank_correlation;variant\nprice.retail;costs.unit_cost;0,5;\nprice.retail;costs.unit_cost;-0,25;b\n"),
    );
    shopsim_in(dir.path())
        .args([
            "run",
            "s.toml",
            "--params",
            "c.csv",
            "--no-charts",
            "--out",
            "out",
        ])
        .assert()
        .success();
    let record: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("out/sheet/run.json")).unwrap())
            .unwrap();
    let c = |v: usize| record["variants"][v]["correlations"][0].clone();
    assert_eq!(c(0)["rank_correlation"], 0.5);
    assert_eq!(c(0)["source"], "c.csv:2");
    assert_eq!(c(1)["rank_correlation"], -0.25);
    assert_eq!(c(1)["source"], "c.csv:3");
}

#[test]
fn decimal_commas_are_read_in_a_semicolon_swings_csv() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "s.toml", &uncertain_study());
    write(
        dir.path(),
        "w.csv",
        &crlf("key;low;high\nprice.retail;15,5;24,5\n"),
    );
    shopsim_in(dir.path())
        .args([
            "sensitivity",
            "s.toml",
            "--swings",
            "w.csv",
            "--no-charts",
            "--out",
            "out",
        ])
        .assert()
        .success();
    let table =
        fs::read_to_string(dir.path().join("out/sheet-sensitivity/sensitivity.csv")).unwrap();
    let row = table
        .lines()
        .find(|l| l.starts_with("a,price.retail,"))
        .unwrap();
    assert!(row.starts_with("a,price.retail,given,"), "{row}");
    assert!(row.contains(",15.5,24.5,"), "{row}");
    write(
        dir.path(),
        "w.csv",
        "key;low;high\nprice.retail;15,5;24,5\ncosts.unit_cost;9,5;3,25\n",
    );
    shopsim_in(dir.path())
        .args(["sensitivity", "s.toml", "--swings", "w.csv", "--out", "out"])
        .assert()
        .code(2)
        .stderr("Error: w.csv:3: LO (9.5) must be below HI (3.25)\n");
}

#[test]
fn a_percentage_gets_a_hint_that_fits_its_key() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "p.csv",
        "key;value\nfees.commission_rate;15%\nprice.retail;15%\n",
    );
    let e = check_fails(dir.path(), "p.csv");
    assert_eq!(
        e,
        "Error: p.csv:2: column 'value', key `fees.commission_rate`: `15%` is a percentage: rates are fractions here (write 0.15 instead)\n\
         p.csv:3: column 'value', key `price.retail`: `15%` is a percentage, but this key is not a rate (its unit is currency/unit): write a plain number, without `%`\n"
    );
    write(dir.path(), "s.toml", &two_variant_study("sheet", 20, 20));
    write(dir.path(), "g.csv", "price.retail\n15%\n");
    shopsim_in(dir.path())
        .args(["sweep", "s.toml", "--grid", "g.csv", "--no-charts", "--out", "out"])
        .assert()
        .code(2)
        .stderr("Error: g.csv:2: column 1 (`price.retail`): `15%` is a percentage, but this key is not a rate (its unit is currency/unit): write a plain number, without `%`\n");
}
