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

/// A fully managed variant's own `team` cannot act (its model has its own small team):
/// a warning names it; in `[base]` it is for the self-operated variants and warns no one.
#[test]
fn a_team_on_a_fully_managed_variant_is_warned_about() {
    shopsim()
        .args(["params", "--model", "fully_managed", "--team", "market"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "`team = \"market\"` has no effect on a fully managed variant",
        ));
    let dir = TempDir::new().unwrap();
    let study = two_variant_study("tm", 50, 20);
    let managed = "name = \"b\"\nmodel = \"fully_managed\"\n";
    assert!(study.contains(managed));
    for (from, to, warned) in [
        (managed, format!("{managed}team = \"market\"\n"), true),
        ("[base]\n", "[base]\nteam = \"market\"\n".to_string(), false),
    ] {
        let file = write(dir.path(), "s.toml", &study.replacen(from, &to, 1));
        let out = shopsim().args(["params"]).arg(&file).assert().success();
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert_eq!(
            stderr.contains(
                "variant `b`: `team = \"market\"` has no effect on a fully managed variant"
            ),
            warned,
            "{from}: {stderr}"
        );
    }
}

/// The final `staff.cost_per_day` line of `params --explain` (the one marked `=`).
fn final_staff_line(args: &[&str]) -> String {
    let text = shopsim()
        .args(["params", "--explain", "staff.cost_per_day"])
        .args(args)
        .assert()
        .success()
        .stdout_text();
    text.lines()
        .find(|l| l.trim_start().starts_with('='))
        .unwrap_or_else(|| panic!("no final line:\n{text}"))
        .to_string()
}

#[test]
fn the_team_sits_in_china_by_default_and_in_the_market_on_request() {
    // A US self-operated study (FBT by default): the China team's $40-150 a day, from the
    // team location's layer with its sources.
    let china = final_staff_line(&[]);
    assert!(
        china.contains("[team location]")
            && china.contains("40..150")
            && china.contains("research December 2026")
            && china.contains("lianlianpay"),
        "{china}"
    );
    assert_eq!(final_staff_line(&["--team", "china"]), china);
    // A team in the US: the DOMAIN figure the market's layer used to set.
    let us = final_staff_line(&["--team", "market"]);
    assert!(
        us.contains("[team location]") && us.contains("120..250") && us.contains("DOMAIN"),
        "{us}"
    );
    // A team in a market without a source: marked as an assumption.
    let th = final_staff_line(&["--market", "th", "--team", "market"]);
    assert!(
        th.contains("60..200") && th.contains("assumption: no source"),
        "{th}"
    );
    // Fully managed keeps its smaller team wherever the team sits: the model's layer
    // comes after the team location's.
    for team in ["china", "market"] {
        let managed = final_staff_line(&["--model", "fully_managed", "--team", team]);
        assert!(
            managed.contains("[model]") && managed.contains(" 20 "),
            "{team}: {managed}"
        );
    }
}

#[test]
fn a_scenario_sets_the_team_in_its_base_or_a_variant() {
    let dir = TempDir::new().unwrap();
    let study = two_variant_study("tm", 50, 20);
    let in_base = study.replacen("[base]\n", "[base]\nteam = \"market\"\n", 1);
    // (scenario, staff cost of variants a, b and, where there is one, c)
    let cases = [
        (study.clone(), ["40..150", "20", ""]),
        (in_base.clone(), ["120..250", "20", ""]),
        (
            study.replacen(
                "loop = \"semi_closed\"\n",
                "loop = \"semi_closed\"\nteam = \"market\"\n",
                1,
            ),
            ["120..250", "20", ""],
        ),
        // A variant's own team wins over the base's.
        (
            format!("{in_base}[[variant]]\nname = \"c\"\nmodel = \"self_operated\"\nroute = \"fbt\"\nteam = \"china\"\n"),
            ["120..250", "20", "40..150"],
        ),
    ];
    for (text, expected) in cases {
        let file = write(dir.path(), "s.toml", &text);
        let csv = shopsim()
            .args(["params"])
            .arg(&file)
            .assert()
            .success()
            .stdout_text();
        for (variant, value) in ["a", "b", "c"].iter().zip(expected) {
            let row = csv
                .lines()
                .find(|l| l.starts_with(&format!("{variant},staff.cost_per_day,")));
            match row {
                Some(row) => assert!(row.contains(&format!(",{value},")), "{text}\n{row}"),
                None => assert!(value.is_empty(), "{variant}: no staff row:\n{csv}"),
            }
        }
    }
}

#[test]
fn a_misspelt_team_is_refused_with_the_allowed_values_and_a_suggestion() {
    let dir = TempDir::new().unwrap();
    let study = two_variant_study("tm", 50, 20).replacen(
        "loop = \"semi_closed\"\n",
        "loop = \"semi_closed\"\nteam = \"chna\"\n",
        1,
    );
    let file = write(dir.path(), "s.toml", &study);
    shopsim()
        .args(["params"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "s.toml:18: variant `a`: key `team`: unknown team `chna` (did you mean `china`?); expected one of: china, market",
        ));
    // On the command line too.
    shopsim()
        .args(["params", "--team", "chna"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("china").and(predicate::str::contains("market")));
}

#[test]
fn explaining_a_key_with_no_effect_on_the_flags_setting_says_so() {
    // Without a scenario the setting is self-operated on FBT: a fully managed key's
    // defaults are listed with a warning that they do not count there; under
    // `--model fully_managed` they do, and nothing is said.
    shopsim()
        .args(["params", "--explain", "inventory.delisted_recovery"])
        .assert()
        .success()
        .stdout(predicate::str::contains("pert(0.1, 0.5, 0.9)"))
        .stderr(predicate::str::contains(
            "`inventory.delisted_recovery` has no effect on a self-operated variant on route `fbt`",
        ))
        .stderr(predicate::str::contains(
            "(it acts on a fully managed variant",
        ));
    shopsim()
        .args([
            "params",
            "--explain",
            "inventory.delisted_recovery",
            "--model",
            "fully_managed",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("no effect").not());
    // A route-level key: the entry fee per parcel acts only where parcels go through
    // customs one by one, not on FBT (the default route), which imports in bulk.
    shopsim()
        .args(["params", "--explain", "tax.entry_fee_per_parcel"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "`tax.entry_fee_per_parcel` has no effect on a self-operated variant on route `fbt`: the route imports your stock in bulk",
        ));
    // A freight-level key names the freight that keeps it idle, not only the route.
    shopsim()
        .args(["params", "--explain", "tax.harbor_fee_rate", "--freight", "air"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "`tax.harbor_fee_rate` has no effect on a self-operated variant on route `fbt` with freight `air`: the harbour maintenance fee is charged on goods that arrive by ship",
        ));
}

#[test]
fn explaining_a_key_a_default_gate_or_a_missing_rule_keeps_idle_says_so() {
    // The setting's own defaults close the gate: direct mail holds no stock, the US has
    // no growth fee, and no order is paid on delivery there.
    for (key, route, says) in [
        (
            "inventory.reorder_point",
            "direct_mail",
            "it holds no stock",
        ),
        (
            "fees.growth_fee_cap",
            "fbt",
            "no growth fee is charged there",
        ),
        (
            "returns.cod_refusal_rate",
            "fbt",
            "no order is paid cash on delivery",
        ),
    ] {
        shopsim()
            .args(["params", "--explain", key, "--route", route])
            .assert()
            .success()
            .stderr(predicate::str::contains(format!(
                "`{key}` has no effect on a self-operated variant on route `{route}` with its defaults: {says}"
            )));
    }
    // Where the defaults open it, nothing is said: stock on FBT, the growth fee in
    // Thailand.
    for args in [
        &["--explain", "inventory.reorder_point", "--route", "fbt"][..],
        &["--explain", "fees.growth_fee_cap", "--market", "th"][..],
    ] {
        shopsim()
            .arg("params")
            .args(args)
            .assert()
            .success()
            .stderr(predicate::str::contains("no effect").not());
    }
    // A late-dispatch rate where the market has no late-dispatch rule (Thailand), and
    // where it has one (the US), on a route the merchant dispatches.
    shopsim()
        .args(["params", "--explain", "logistics.late_dispatch_rate"])
        .args(["--route", "platform_shipping", "--market", "th", "--as-of", "2026-11-01"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "has no effect on a self-operated variant on route `platform_shipping` in market `th` on 2026-11-01: no late-dispatch rule",
        ));
    shopsim()
        .args(["params", "--explain", "logistics.late_dispatch_rate"])
        .args(["--route", "platform_shipping", "--market", "us"])
        .assert()
        .success()
        .stderr(predicate::str::contains("no effect").not());
}
