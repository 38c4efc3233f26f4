//! Files as spreadsheets and Windows editors save them: CRLF line ends, `;` between
//! columns with decimal commas, percentages, and text in UTF-16 or Windows-1252. Each
//! reader of the program (parameter CSV, correlations CSV, sweep grid, swings CSV,
//! scenario files) reads them alike, and its messages point at the right line.

use std::fs;
use std::path::Path;

use assert_cmd::assert::Assert;
use predicates::prelude::*;
use tempfile::TempDir;

use crate::common::{read_json, shopsim_in, two_variant_study, write, Printed};

/// Writes `bytes` to `dir/name`.
fn write_bytes(dir: &Path, name: &str, bytes: &[u8]) {
    fs::write(dir.join(name), bytes).unwrap();
}

/// `text` in UTF-16, little- or big-endian, with or without a byte order mark.
fn utf16(text: &str, little: bool, bom: bool) -> Vec<u8> {
    let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
    units
        .flat_map(|u| {
            if little {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            }
        })
        .collect()
}

/// `text` in Windows-1252 (Latin-1, `€` and `–` only).
fn cp1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '–' => 0x96,
            c if (c as u32) < 0x80 || (0xA0..=0xFF).contains(&(c as u32)) => c as u8,
            c => panic!("{c} is not in this test's Windows-1252"),
        })
        .collect()
}

/// `text` with Windows line ends.
fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

/// `shopsim check s.toml --params CSV` (a file in `dir`) fails with exit 2: its standard
/// error.
fn check_fails(dir: &Path, csv: &str) -> String {
    write(dir, "s.toml", &two_variant_study("sheet", 20, 20));
    shopsim_in(dir)
        .args(["check", "s.toml", "--params", csv])
        .assert()
        .code(2)
        .stderr_text()
}

/// What `shopsim params s.toml --explain KEY --params p.csv` (files in `dir`) prints.
fn explained(dir: &Path, key: &str) -> String {
    shopsim_in(dir)
        .args(["params", "s.toml", "--explain", key, "--params", "p.csv"])
        .assert()
        .success()
        .stdout_text()
}

/// `shopsim sweep s.toml --grid g.csv` (files in `dir`) fails with exit 2.
fn sweep_with_grid_fails(dir: &Path) -> Assert {
    shopsim_in(dir)
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
}

/// `shopsim sensitivity s.toml --swings w.csv` (files in `dir`) fails with exit 2.
fn sensitivity_with_swings_fails(dir: &Path) -> Assert {
    shopsim_in(dir)
        .args(["sensitivity", "s.toml", "--swings", "w.csv", "--out", "out"])
        .assert()
        .code(2)
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
    let text = explained(dir.path(), "fees.commission_rate");
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
    let record = read_json(&dir.path().join("out/sheet/run.json"));
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
    sweep_with_grid_fails(dir.path()).stderr(predicate::str::starts_with(
        "Error: g.csv:3: column 2 (`price.retail`): cannot read `abc`",
    ));
    write(
        dir.path(),
        "w.csv",
        &crlf("key,low,high\nprice.retail,15,25\ncosts.unit_cost,9,3\n"),
    );
    sensitivity_with_swings_fails(dir.path())
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
    let record = read_json(&dir.path().join("out/sheet/run.json"));
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
    sensitivity_with_swings_fails(dir.path())
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
    sweep_with_grid_fails(dir.path())
        .stderr("Error: g.csv:2: column 1 (`price.retail`): `15%` is a percentage, but this key is not a rate (its unit is currency/unit): write a plain number, without `%`\n");
}

/// The two-variant study with variant `a` renamed `café` (and a description in
/// Windows-1252's signs), as UTF-8 text.
fn cafe_study() -> String {
    two_variant_study("sheet", 20, 20)
        .replace("name = \"a\"", "name = \"café\"")
        .replace(
            "seed = 3\n",
            "seed = 3\ndescription = \"Größe 5 € – 10 £\"\n",
        )
}

#[test]
fn a_windows_1252_csv_is_decoded_with_its_lines() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "s.toml", &cafe_study());
    write_bytes(
        dir.path(),
        "p.csv",
        &cp1252(&crlf(
            "key;value;variant\n# prix en €\nprice.retail;25,5;café\n",
        )),
    );
    let text = explained(dir.path(), "price.retail");
    let cafe = text.split("variant `b`").next().unwrap();
    assert!(cafe.contains("\nvariant `café` (us, beauty"), "{text}");
    assert!(
        cafe.contains("= [csv override]       25.5  p.csv:3\n"),
        "{text}"
    );
    // An error names its own line.
    write_bytes(
        dir.path(),
        "p.csv",
        &cp1252(&crlf(
            "key;value;variant\n# prix en €\nprice.retail;abc;café\n",
        )),
    );
    let e = check_fails(dir.path(), "p.csv");
    assert!(
        e.starts_with("Error: p.csv:3: column 'value', key `price.retail`: cannot read `abc`"),
        "{e}"
    );
}

#[test]
fn utf16_csvs_with_and_without_a_byte_order_mark_are_decoded() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "s.toml", &uncertain_study());
    for (little, bom) in [(true, true), (false, true), (true, false), (false, false)] {
        let case = format!("little-endian {little}, mark {bom}");
        // A parameter CSV (Excel's "Unicode Text" is UTF-16LE with a mark and tabs).
        write_bytes(
            dir.path(),
            "p.csv",
            &utf16(
                &crlf("key\tvalue\n\nfees.commission_rate\t0,125\n"),
                little,
                bom,
            ),
        );
        let text = explained(dir.path(), "fees.commission_rate");
        assert_eq!(
            text.matches("= [csv override]       0.125  p.csv:3\n")
                .count(),
            2,
            "{case}: {text}"
        );
        // A correlations CSV.
        write_bytes(
            dir.path(),
            "c.csv",
            &utf16(
                &crlf("key_a;key_b;rank_correlation\nprice.retail;costs.unit_cost;2\n"),
                little,
                bom,
            ),
        );
        assert_eq!(
            check_fails(dir.path(), "c.csv"),
            "Error: c.csv:2: correlation `price.retail,costs.unit_cost`: column 'rank_correlation' must be a number from -1 to 1; found `2`\n",
            "{case}"
        );
        // A sweep grid.
        write_bytes(
            dir.path(),
            "g.csv",
            &utf16(&crlf("name,price.retail\nlow,15\nhigh,abc\n"), little, bom),
        );
        sweep_with_grid_fails(dir.path()).stderr(predicate::str::starts_with(
            "Error: g.csv:3: column 2 (`price.retail`): cannot read `abc`",
        ));
        // A swings CSV.
        write_bytes(
            dir.path(),
            "w.csv",
            &utf16(&crlf("key,low,high\ncosts.unit_cost,9,3\n"), little, bom),
        );
        sensitivity_with_swings_fails(dir.path())
            .stderr("Error: w.csv:2: LO (9) must be below HI (3)\n");
    }
}

#[test]
fn scenario_files_in_windows_1252_and_utf16_are_decoded_with_their_lines() {
    let dir = TempDir::new().unwrap();
    let study = crlf(&cafe_study());
    let encoded = [
        ("cp1252", cp1252(&study)),
        ("utf16le", utf16(&study, true, true)),
        ("utf16be", utf16(&study, false, false)),
    ];
    for (name, bytes) in &encoded {
        write_bytes(dir.path(), "s.toml", bytes);
        let out = format!("out-{name}");
        shopsim_in(dir.path())
            .args(["run", "s.toml", "--no-charts", "--out", &out])
            .assert()
            .success();
        let record = read_json(&dir.path().join(&out).join("sheet/run.json"));
        assert_eq!(record["description"], "Größe 5 € – 10 £", "{name}");
        assert_eq!(record["variants"][0]["name"], "café", "{name}");
        // `trials` is on line 3.
        let bad = study.replace("trials = 20", "trials = \"x\"");
        let bytes = match *name {
            "cp1252" => cp1252(&bad),
            "utf16le" => utf16(&bad, true, true),
            _ => utf16(&bad, false, false),
        };
        write_bytes(dir.path(), "s.toml", &bytes);
        shopsim_in(dir.path())
            .args(["check", "s.toml"])
            .assert()
            .code(2)
            .stderr(predicate::str::starts_with(
                "Error: s.toml:3: key `trials` must be a whole number",
            ));
    }
}

#[test]
fn text_that_is_not_plainly_western_is_refused_with_its_line_and_the_fix() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "s.toml", &two_variant_study("sheet", 20, 20));
    // "สวัสดี" (Thai) saved as Windows-874: Windows-1252 would read "ÊÇÑÊ´Õ".
    let mut thai = b"key,value\r\nprice.retail,20\r\n# ".to_vec();
    thai.extend_from_slice(&[0xCA, 0xC7, 0xD1, 0xCA, 0xB4, 0xD5]);
    thai.extend_from_slice(b"\r\n");
    write_bytes(dir.path(), "p.csv", &thai);
    assert_eq!(
        check_fails(dir.path(), "p.csv"),
        "Error: p.csv:3: the file is not UTF-8 text (byte 0xCA on this line), and reading it as Windows-1252 (Western European) would be a guess: it may be in another code page (Thai, Cyrillic, Chinese …) or mix two encodings (save it as CSV UTF-8: in Excel, File › Save As › CSV UTF-8)\n"
    );
    // A scenario file that mixes UTF-8 (`é`) and Windows-1252 (`é`).
    let mut mixed = "name = \"café\"\n# ".as_bytes().to_vec();
    mixed.extend_from_slice(&[b'c', b'a', b'f', 0xE9, b'\n']);
    write_bytes(dir.path(), "m.toml", &mixed);
    shopsim_in(dir.path())
        .args(["check", "m.toml"])
        .assert()
        .code(2)
        .stderr("Error: m.toml:2: the file is not UTF-8 text (byte 0xE9 on this line), and reading it as Windows-1252 (Western European) would be a guess: it may be in another code page (Thai, Cyrillic, Chinese …) or mix two encodings (save it as UTF-8: in Notepad, File › Save As, Encoding UTF-8)\n");
    // A workbook instead of its CSV.
    write_bytes(dir.path(), "book.csv", b"PK\x03\x04\x14\x00\x06\x00");
    assert_eq!(
        check_fails(dir.path(), "book.csv"),
        "Error: book.csv: this is a spreadsheet workbook (.xlsx or .xls) or another binary file, not text (save it as CSV UTF-8: in Excel, File › Save As › CSV UTF-8)\n"
    );
}
