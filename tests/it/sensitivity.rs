//! `shopsim sensitivity` from the command line: its files, thread independence, the
//! difference of two variants, and refusals.

use std::fs;

use predicates::prelude::*;
use tempfile::TempDir;

use crate::common::{assert_same_files, shopsim, two_variant_study, write};

#[test]
fn writes_tables_and_charts_the_same_for_any_thread_count() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "s.toml", &two_variant_study("sens", 200, 30));
    for (threads, out) in [("1", "one"), ("2", "two")] {
        shopsim()
            .arg("sensitivity")
            .arg(&file)
            .args([
                "--threads",
                threads,
                "--swing",
                "price.retail=15..25",
                "--out",
            ])
            .arg(dir.path().join(out))
            .assert()
            .success()
            .stdout(predicate::str::contains("the widest swings"));
    }
    let one = dir.path().join("one/sens-sensitivity");
    let two = dir.path().join("two/sens-sensitivity");
    assert_same_files(&one, &two, &["sensitivity.csv", "spider.csv"]);
    for f in [
        "charts/tornado_a.png",
        "charts/spider_b.png",
        "sensitivity.json",
    ] {
        assert!(two.join(f).is_file(), "{f}");
    }
    let table = fs::read_to_string(two.join("sensitivity.csv")).unwrap();
    // The given swing is used as given.
    let price = table
        .lines()
        .find(|l| l.starts_with("a,price.retail,"))
        .unwrap();
    assert!(price.contains(",given,"), "{price}");
    assert!(price.contains(",15,25,"), "{price}");
}

#[test]
fn the_difference_of_two_variants_is_one_target() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "s.toml", &two_variant_study("sens", 200, 30));
    shopsim()
        .arg("sensitivity")
        .arg(&file)
        .args(["--a", "a", "--b", "b", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success()
        .stdout(predicate::str::contains("a - b (mean profit"));
    assert!(dir
        .path()
        .join("out/sens-sensitivity/charts/tornado_a-b.png")
        .is_file());
    let table =
        fs::read_to_string(dir.path().join("out/sens-sensitivity/sensitivity.csv")).unwrap();
    assert!(table.lines().skip(1).all(|l| l.starts_with("a - b,")));
}

#[test]
fn bad_questions_are_refused_with_exit_2_and_nothing_written() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "s.toml", &two_variant_study("sens", 200, 30));
    let out = dir.path().join("out");
    for (args, message) in [
        (
            vec!["--variant", "c"],
            "--variant: the study has no variant `c`",
        ),
        (vec!["--a", "a", "--b", "a"], "name the same variant"),
        (vec!["--swing", "price.retail=25..15"], "must be below HI"),
        (
            vec!["--swing", "price.retial=15..25"],
            "did you mean `price.retail`",
        ),
        (vec!["--swing", "price.retail"], "KEY=LO..HI"),
    ] {
        shopsim()
            .arg("sensitivity")
            .arg(&file)
            .args(&args)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
        assert!(!out.exists(), "{args:?}");
    }
}

#[test]
fn a_swing_that_breaks_a_rule_between_parameters_is_left_out_with_a_note() {
    // order_up_to 900 − 20% = 720 is below the reorder point 800 of a variant holding
    // stock: that end cannot be run, so the input is not swung (and the run goes on). Sensitivity of one variant of two
    // sets only that variant.
    let dir = TempDir::new().unwrap();
    let study = two_variant_study("sens", 100, 20).replace(
        "category = \"beauty\"\n",
        "category = \"beauty\"\ninventory.enabled = 1\ninventory.reorder_point = 800\ninventory.order_up_to = 900\n",
    );
    let file = write(dir.path(), "s.toml", &study);
    shopsim()
        .arg("sensitivity")
        .arg(&file)
        .args(["--variant", "a", "--sobol", "0", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "note: not swung, because an end breaks a rule between parameters: inventory.reorder_point",
        ))
        .stdout(predicate::str::contains("inventory.order_up_to ("));
}
