//! Options × states of the world (`[[world]]`): the study `us_tariff_shock` is two routes in
//! three duty worlds. Its cells are the same trials as the six variants written out by
//! hand (common random numbers across every cell), its folder has `worlds.csv` and the
//! report's section, and the terminal says which route wins in each world.

use std::fs;

use tempfile::TempDir;

use super::common::{repo, run_study, write, Printed};

/// `us_tariff_shock.toml` with its worlds written out as six plain variants.
fn written_out() -> String {
    let text = fs::read_to_string(repo("scenarios/us_tariff_shock.toml")).unwrap();
    let head = &text[..text.find("[[variant]]").unwrap()];
    let mut out = head.to_string();
    let worlds = [
        ("duty_25", "tax.duty_surcharge_rate = 0\n"),
        ("duty_35", "tax.duty_surcharge_rate = 0.10\n"),
        (
            "duty_60",
            "tax.duty_origin_rate = 0.50\ntax.duty_surcharge_rate = 0.10\n",
        ),
    ];
    for (option, route) in [("labels", "platform_shipping"), ("fbt", "fbt")] {
        for (world, keys) in worlds {
            out.push_str(&format!(
                "[[variant]]\nname = \"{option}_{world}\"\nmodel = \"self_operated\"\nroute = \"{route}\"\n{keys}\n"
            ));
        }
    }
    out
}

#[test]
fn a_world_cell_is_the_same_trials_as_the_variant_written_out() {
    let dir = TempDir::new().unwrap();
    let flat = write(dir.path(), "flat.toml", &written_out());
    let out = dir.path().join("out");
    let worlds = run_study(&repo("scenarios/us_tariff_shock.toml"), &out)
        .args(["--trials", "120"])
        .assert()
        .success();
    let text = worlds.stdout_text();
    assert!(
        text.contains("options × worlds") && text.contains("regret"),
        "{text}"
    );
    assert!(
        text.contains("`fbt` is the best option in every state of the world (`duty_25`, `duty_35` and `duty_60`)"),
        "{text}"
    );
    run_study(&flat, &dir.path().join("flat"))
        .args(["--trials", "120"])
        .assert()
        .success();
    let mean_profits = |path: std::path::PathBuf| -> Vec<String> {
        fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|l| l.contains(",profit,"))
            .map(|l| l.split(',').skip(2).take(3).collect::<Vec<_>>().join(","))
            .collect()
    };
    let a = mean_profits(out.join("us_tariff_shock/summary.csv"));
    let b = mean_profits(dir.path().join("flat/us_tariff_shock/summary.csv"));
    assert_eq!(a.len(), 6);
    assert_eq!(a, b, "the cells are not the written-out variants' trials");

    let csv = fs::read_to_string(out.join("us_tariff_shock/worlds.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 6, "{csv}");
    // FBT is best in each world, and its regret there is 0; the labels' is positive.
    for row in &rows {
        let (option, best, regret) = (row[0], row[4], row[10].parse::<f64>().unwrap());
        assert_eq!(best == "true", option == "fbt", "{row:?}");
        assert_eq!(regret == 0.0, option == "fbt", "{row:?}");
    }
    let html = fs::read_to_string(out.join("us_tariff_shock/report.html")).unwrap();
    assert!(
        html.contains("id=\"worlds\"") && html.contains("Regret"),
        "no worlds section"
    );
}

#[test]
fn an_option_in_every_world_is_one_sweep_variant_and_a_cell_is_named_for_a_pair() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    // `--variant fbt` keeps the option in its three worlds.
    let sweep = super::common::shopsim()
        .arg("sweep")
        .arg(repo("scenarios/us_tariff_shock.toml"))
        .args([
            "--variant",
            "fbt",
            "--range",
            "price.retail=18:22:2",
            "--trials",
            "40",
            "--no-charts",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let text = sweep.stdout_text();
    assert!(
        text.contains("fbt@duty_25") && text.contains("fbt@duty_60"),
        "{text}"
    );
    assert!(!text.contains("labels@"), "{text}");
    // A difference needs one cell on each side: an option alone is refused, with its cells.
    let refused = super::common::shopsim()
        .arg("sensitivity")
        .arg(repo("scenarios/us_tariff_shock.toml"))
        .args(["--a", "fbt", "--b", "labels@duty_25", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    let err = refused.stderr_text();
    assert!(
        err.contains("`fbt` is an option simulated in each state of the world")
            && err.contains("`fbt@duty_25`, `fbt@duty_35`, `fbt@duty_60`"),
        "{err}"
    );
}

#[test]
fn a_params_row_may_name_an_option_and_then_applies_in_every_world() {
    let dir = TempDir::new().unwrap();
    let csv = write(
        dir.path(),
        "p.csv",
        "variant,key,value\nfbt,price.retail,33\nlabels@duty_60,price.retail,31\n",
    );
    let out = dir.path().join("out");
    run_study(&repo("scenarios/us_tariff_shock.toml"), &out)
        .args(["--trials", "20", "--params"])
        .arg(&csv)
        .assert()
        .success();
    let record = super::common::read_json(&out.join("us_tariff_shock/run.json"));
    let text = record.to_string();
    let retail = |variant: &str| -> f64 {
        let variants = record["variants"].as_array().expect("variants");
        let v = variants
            .iter()
            .find(|v| v["name"] == variant)
            .unwrap_or_else(|| panic!("{variant} not in {text}"));
        v["parameters"]["price.retail"]["mean"].as_f64().unwrap()
    };
    for world in ["duty_25", "duty_35", "duty_60"] {
        assert_eq!(retail(&format!("fbt@{world}")), 33.0);
    }
    assert_eq!(retail("labels@duty_60"), 31.0);
    assert_eq!(retail("labels@duty_25"), 20.0);
    // A name that is neither a variant nor an option is still refused.
    let bad = write(
        dir.path(),
        "bad.csv",
        "variant,key,value\nfbtt,price.retail,33\n",
    );
    run_study(
        &repo("scenarios/us_tariff_shock.toml"),
        &dir.path().join("o2"),
    )
    .args(["--trials", "20", "--params"])
    .arg(&bad)
    .assert()
    .code(2);
}

#[test]
fn run_json_records_the_worlds_and_compare_lists_a_change_of_them() {
    let dir = TempDir::new().unwrap();
    let text = fs::read_to_string(repo("scenarios/us_tariff_shock.toml")).unwrap();
    let weighted = text.replacen(
        "name = \"duty_25\"\n",
        "name = \"duty_25\"\nweight = 2\n",
        1,
    );
    let weighted = weighted
        .replacen(
            "name = \"duty_35\"\n",
            "name = \"duty_35\"\nweight = 1\n",
            1,
        )
        .replacen(
            "name = \"duty_60\"\n",
            "name = \"duty_60\"\nweight = 1\n",
            1,
        );
    let file = write(dir.path(), "weighted.toml", &weighted);
    run_study(
        &repo("scenarios/us_tariff_shock.toml"),
        &dir.path().join("a"),
    )
    .args(["--trials", "20"])
    .assert()
    .success();
    run_study(&file, &dir.path().join("b"))
        .args(["--trials", "20"])
        .assert()
        .success();
    let record = super::common::read_json(&dir.path().join("b/us_tariff_shock/run.json"));
    let worlds = &record["worlds"];
    assert_eq!(worlds["options"], serde_json::json!(["labels", "fbt"]));
    assert_eq!(worlds["worlds"][0]["weight"].as_f64(), Some(0.5));
    assert_eq!(worlds["cells"].as_array().unwrap().len(), 6);
    assert_eq!(worlds["cells"][5]["variant"], "fbt@duty_60");
    assert_eq!(worlds["cells"][5]["world"], "duty_60");
    super::common::shopsim()
        .arg("compare")
        .arg(dir.path().join("a/us_tariff_shock"))
        .arg(dir.path().join("b/us_tariff_shock"))
        .arg("--out")
        .arg(dir.path().join("cmp"))
        .assert()
        .success();
    let changes = fs::read_to_string(dir.path().join("cmp/changes.csv")).unwrap();
    let row = changes
        .lines()
        .find(|l| l.contains(",worlds,"))
        .unwrap_or_else(|| panic!("no worlds change in {changes}"));
    assert!(
        row.contains("\"labels, fbt in duty_25, duty_35, duty_60\"")
            && row.contains("\"labels, fbt in duty_25 (0.5), duty_35 (0.25), duty_60 (0.25)\""),
        "{row}"
    );
}
