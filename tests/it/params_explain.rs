//! `shopsim params --explain`: every layer that set a key, in order, with the file and
//! line of the scenario's and the CSV's values; and run.json records those lines.

use predicates::prelude::*;
use tempfile::TempDir;

use crate::common::{read_json, run_study, shopsim, two_variant_study, write, Printed};

#[test]
fn explain_lists_every_layer_with_its_file_and_line() {
    let dir = TempDir::new().unwrap();
    let study = two_variant_study("ex", 50, 20).replace(
        "category = \"beauty\"\n",
        "category = \"beauty\"\nprice.retail = \"18..22\"\n",
    );
    let file = write(dir.path(), "s.toml", &study);
    let csv = write(
        dir.path(),
        "p.csv",
        "key,value,variant\nprice.retail,25,a\n",
    );
    let text = shopsim()
        .args(["params"])
        .arg(&file)
        .args(["--explain", "price.retail", "--params"])
        .arg(&csv)
        .assert()
        .success()
        .stdout_text();
    let a = text.split("variant `b`").next().unwrap();
    let b = text.split("variant `b`").nth(1).unwrap();
    // Variant a: global, category, the scenario's base at its line, then the CSV row.
    let order: Vec<usize> = [
        "[global]",
        "[category]",
        "[scenario base]",
        "[csv override]",
    ]
    .iter()
    .map(|l| a.find(l).unwrap_or_else(|| panic!("{l} missing:\n{a}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{a}");
    assert!(a.contains("s.toml:9 (scenario [base])"), "{a}");
    assert!(a.contains("= [csv override]       25"), "{a}");
    assert!(a.contains("p.csv:2"), "{a}");
    // Variant b has no CSV row: its final value is the scenario's.
    assert!(b.contains("= [scenario base]"), "{b}");
    assert!(!b.contains("[csv override]"), "{b}");

    // run.json records the same sources.
    run_study(&file, &dir.path().join("out"))
        .arg("--params")
        .arg(&csv)
        .assert()
        .success();
    let record = read_json(&dir.path().join("out/ex/run.json"));
    let source = |v: usize| {
        record["variants"][v]["parameters"]["price.retail"]["source"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(source(0).ends_with("p.csv:2"), "{}", source(0));
    assert!(
        source(1).ends_with("s.toml:9 (scenario [base])"),
        "{}",
        source(1)
    );
}

#[test]
fn explain_names_an_unknown_key_with_a_suggestion() {
    shopsim()
        .args(["params", "--explain", "price.retial"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `price.retail`"));
}

#[test]
fn explain_of_an_event_key_says_where_event_numbers_are() {
    shopsim()
        .args([
            "params",
            "--explain",
            "event.black_friday_peak.demand_multiplier",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is an event's number, not a catalog parameter",
        ));
}

#[test]
fn the_freight_mode_sets_the_cost_per_kg_and_lead_time_and_warns_where_it_cannot_act() {
    // `params --route fbt --freight air`: air freight's $3-8/kg and 7-12 days, as the
    // freight mode's layer.
    let text = shopsim()
        .args(["params", "--route", "fbt", "--freight", "air"])
        .args(["--explain", "inventory.lead_time_days"])
        .assert()
        .success()
        .stdout_text();
    assert!(
        text.contains("freight mode") && text.contains("7..12"),
        "{text}"
    );
    let csv = shopsim()
        .args(["params", "--route", "fbt"])
        .assert()
        .success()
        .stdout_text();
    let row = csv
        .lines()
        .find(|l| l.starts_with("inventory.freight_per_kg,"))
        .unwrap();
    assert!(row.contains("1..2") && row.contains("sea"), "{row}");
    // A route that imports no stock: the mode cannot act, and says so.
    shopsim()
        .args(["params", "--route", "platform_shipping", "--freight", "air"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "`freight = \"air\"` has no effect on route `platform_shipping`",
        ));
    // In a scenario: the first variant (semi-closed: direct mail) imports nothing; a base
    // mode is for the variants that import stock, so it warns no one.
    let dir = TempDir::new().unwrap();
    let study = two_variant_study("fr", 50, 20);
    for (from, to, warned) in [
        (
            "[[variant]]\n",
            "[[variant]]\nfreight = \"express\"\n",
            true,
        ),
        ("[base]\n", "[base]\nfreight = \"express\"\n", false),
    ] {
        let file = write(dir.path(), "s.toml", &study.replacen(from, to, 1));
        let out = shopsim().args(["params"]).arg(&file).assert().success();
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert_eq!(
            stderr.contains("`freight = \"express\"` has no effect on route `direct_mail`"),
            warned,
            "{from}: {stderr}"
        );
    }
}
