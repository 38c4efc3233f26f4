//! `shopsim fit` against what a hostile or unlucky user gives it: broken and rounded
//! files, files of another market, flags that contradict the export. Each refusal exits 2,
//! names the file, prints no personal value and writes nothing.

use std::fs;
use std::path::Path;

use crate::common::{shopsim_in, Printed};
use crate::exports_gen::{self as gen, Quirks, ShopTruth};

fn export(dir: &Path) -> (gen::Shop, String) {
    let shop = gen::simulate(&ShopTruth::default(), 13);
    let text = String::from_utf8(gen::render_orders_csv(
        &shop,
        &Quirks {
            crlf: false,
            ..Quirks::default()
        },
    ))
    .unwrap();
    fs::write(dir.join("orders.csv"), &text).unwrap();
    (shop, text)
}

fn refused(dir: &Path, args: &[&str]) -> String {
    let message = shopsim_in(dir)
        .arg("fit")
        .args(args)
        .assert()
        .code(2)
        .stderr_text();
    assert!(!message.contains("panicked"), "{message}");
    assert!(
        !message.contains(gen::CANARY) && !message.contains("555-0100"),
        "personal data in: {message}"
    );
    assert!(
        !dir.join("output").exists(),
        "a refusal wrote output: {message}"
    );
    message
}

#[test]
fn broken_files_are_refused_without_showing_personal_values() {
    let dir = tempfile::tempdir().unwrap();
    let (_, text) = export(dir.path());
    // Cut mid-row, as an interrupted download.
    fs::write(dir.path().join("cut.csv"), &text[..text.len() / 2]).unwrap();
    let message = refused(dir.path(), &["cut.csv"]);
    assert!(
        message.contains("cut.csv") && message.contains("cut short"),
        "{message}"
    );
    // An unquoted comma in a personal cell shifts the row.
    let lines: Vec<&str> = text.lines().collect();
    let last = lines.len() - 1;
    let shifted: String = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == last {
                l.replacen("CANARY-Recipient", "CANARY, Recipient", 1)
            } else {
                l.to_string()
            }
        })
        .map(|l| l + "\n")
        .collect();
    fs::write(dir.path().join("shifted.csv"), shifted).unwrap();
    let message = refused(dir.path(), &["shifted.csv"]);
    assert!(
        message.contains(&format!("shifted.csv:{}", last + 1)),
        "{message}"
    );
    // A device is not an export (and is never read to its end).
    refused(dir.path(), &["/dev/zero"]);
}

#[test]
fn ids_a_spreadsheet_rounded_or_two_orders_sharing_one_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_, text) = export(dir.path());
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let id = lines[2].split(',').next().unwrap().to_string();
    lines[2] = lines[2].replacen(&id, "5.76E+17", 1);
    fs::write(dir.path().join("rounded.csv"), lines.join("\n")).unwrap();
    let message = refused(dir.path(), &["rounded.csv"]);
    assert!(message.contains("rounded number"), "{message}");
    // The same ID on an order created at another time.
    let (_, text) = export(dir.path());
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let other = lines[40].split(',').next().unwrap().to_string();
    let first = lines[2].split(',').next().unwrap().to_string();
    lines[40] = lines[40].replacen(&other, &first, 1);
    fs::write(dir.path().join("dup.csv"), lines.join("\n")).unwrap();
    let message = refused(dir.path(), &["dup.csv"]);
    assert!(message.contains("two orders share one ID"), "{message}");
}

#[test]
fn flags_and_scenarios_that_contradict_the_export_are_refused_or_named() {
    let dir = tempfile::tempdir().unwrap();
    export(dir.path());
    let message = refused(dir.path(), &["orders.csv", "--route", "managed"]);
    assert!(message.contains("self-operated"), "{message}");
    // A US export on the Thai study.
    let thai = crate::common::repo("scenarios/th_apparel_2026.toml");
    let message = refused(
        dir.path(),
        &["orders.csv", "--scenario", thai.to_str().unwrap()],
    );
    assert!(
        message.contains("United States") && message.contains("`th`"),
        "{message}"
    );
}

#[test]
fn a_price_the_study_compares_is_left_and_baskets_are_priced_as_one_order() {
    let dir = tempfile::tempdir().unwrap();
    export(dir.path());
    let study = "name = \"ladder\"\ntrials = 100\nhorizon_days = 120\nseed = 1\nas_of = 2026-03-01\n\n[base]\nmarket = \"us\"\ncategory = \"beauty\"\n\n[[variant]]\nname = \"at_20\"\nmodel = \"self_operated\"\nroute = \"platform_shipping\"\nprice.retail = 20\n\n[[variant]]\nname = \"at_30\"\nmodel = \"self_operated\"\nroute = \"platform_shipping\"\nprice.retail = 30\n";
    fs::write(dir.path().join("ladder.toml"), study).unwrap();
    let out = shopsim_in(dir.path())
        .args([
            "fit",
            "orders.csv",
            "--scenario",
            "ladder.toml",
            "--route",
            "platform_shipping",
        ])
        .assert()
        .success();
    let warnings = out.stderr_text();
    // The default truth has 1.25 SKU lines an order, 10% of them two units.
    assert!(
        warnings.contains("units on average") && warnings.contains("costs.unit_cost"),
        "{warnings}"
    );
    let params = fs::read_to_string(dir.path().join("output/shop-fit/params.csv")).unwrap();
    assert!(
        !params.contains("at_20,price.retail") && !params.contains("at_30,price.retail"),
        "{params}"
    );
    assert!(params.contains("at_20,price.reference"), "{params}");
    assert!(
        params.contains("# kept at its value: at_30: price.retail (the variant sets it itself"),
        "{params}"
    );
    // Thailand's growth-fee cap is per item: a basket's is the cap times its units.
    let thai = study
        .replace("market = \"us\"", "market = \"th\"")
        .replace("ladder", "thai")
        + "\n[[variant]]\nname = \"no_fee\"\nmodel = \"self_operated\"\nroute = \"platform_shipping\"\nfees.growth_fee_rate = 0\n";
    fs::write(dir.path().join("thai.toml"), thai).unwrap();
    let orders = fs::read_to_string(dir.path().join("orders.csv")).unwrap();
    assert!(orders.contains("United States"));
    let thai_orders = orders.replace("United States", "Thailand");
    fs::write(dir.path().join("orders_th.csv"), thai_orders).unwrap();
    let out = shopsim_in(dir.path())
        .args(["fit", "orders_th.csv", "--scenario", "thai.toml"])
        .args(["--route", "platform_shipping", "--name", "thai"])
        .assert()
        .success();
    let warnings = out.stderr_text();
    let units: f64 = warnings
        .split("orders carry ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{warnings}"));
    assert!(warnings.contains("fees.growth_fee_cap"), "{warnings}");
    let params = fs::read_to_string(dir.path().join("output/thai-fit/params.csv")).unwrap();
    let cap: f64 = params
        .lines()
        .find(|l| l.starts_with("at_20,fees.growth_fee_cap,"))
        .and_then(|l| l.split(',').nth(2))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{params}"));
    // Not where no growth fee is charged: the cap would act on nothing.
    assert!(!params.contains("no_fee,fees.growth_fee_cap"), "{params}");
    assert!(params.contains("no_fee,costs.unit_cost"), "{params}");
    let expected = 199.0 / 36.5 * units;
    // Both are written to four significant digits.
    assert!(
        (cap - expected).abs() <= 2e-3 * expected,
        "{cap} vs {expected}"
    );
}
