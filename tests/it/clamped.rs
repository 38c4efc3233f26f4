//! Values whose draws often leave their key's valid range (`clamped_note`): each draw
//! outside is taken as the nearer bound, so the trials hold a point mass the value as
//! written does not show. Every command that reads the study warns at the value's line,
//! with the share the engine really puts there; the shipped studies hold none.

use predicates::prelude::*;
use shopsim::params::P;
use shopsim::scenario::{self, Overrides};
use shopsim::sim::inputs;
use tempfile::TempDir;

use crate::common::{self, repo, shopsim, two_variant_study};

/// The small two-variant study with `[base]` setting `returns.base_rate` to a normal
/// whose draws fall below 0 in Φ(-1.25) = 10.6% of the trials (line 9), variant `b`
/// setting `returns.liability = "0.2..1.3"` (11.8% above 1; line 24) and the event's
/// demand multiplier a normal below 0 in 6.7% (line 14).
fn study() -> String {
    let text = two_variant_study("clamps", 200, 30)
        .replace(
            "demand_multiplier = 2",
            "demand_multiplier = \"normal(1.5, 1)\"",
        )
        .replace(
            "category = \"beauty\"\n",
            "category = \"beauty\"\nreturns.base_rate = \"normal(0.05, 0.04)\"\n",
        );
    format!("{text}\nreturns.liability = \"0.2..1.3\"\n")
}

#[test]
fn a_value_clamped_in_more_than_one_trial_in_a_hundred_is_warned_once_at_its_line() {
    let dir = TempDir::new().unwrap();
    let file = common::write(dir.path(), "s.toml", &study());
    let out = shopsim().arg("check").arg(&file).assert().success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let at = |line: usize, text: &str| {
        stderr
            .lines()
            .filter(|l| l.contains(&format!("s.toml:{line}: ")) && l.contains(text))
            .count()
    };
    // `[base]` reaches both variants: said once.
    assert_eq!(
        at(
            9,
            "key `returns.base_rate`: `normal(0.05, 0.04)` puts 10.6% of its draws below 0"
        ),
        1,
        "{stderr}"
    );
    assert_eq!(at(24, "key `returns.liability`: `0.2..1.3` puts 11.8% of its draws above 1, the most this key can be, and each is taken as 1"), 1, "{stderr}");
    assert_eq!(at(14, "event `peak`: key `demand_multiplier`: `normal(1.5, 1)` puts 6.7% of its draws below 0"), 1, "{stderr}");
    assert_eq!(stderr.matches("a point mass").count(), 3, "{stderr}");
    // The table is named: `[base]` and the variant.
    assert_eq!(at(9, "[base]: key `returns.base_rate`"), 1, "{stderr}");
    assert_eq!(
        at(24, "variant `b`: key `returns.liability`"),
        1,
        "{stderr}"
    );
}

#[test]
fn a_key_with_no_effect_is_not_also_warned_for_its_clamped_draws() {
    // `returns.liability` is fully managed only: on variant `a` (self-operated) it is
    // said to have no effect, and nothing more.
    let dir = TempDir::new().unwrap();
    let text = two_variant_study("idle", 200, 30).replace(
        "loop = \"semi_closed\"\n",
        "loop = \"semi_closed\"\nreturns.liability = \"0.2..1.3\"\n",
    );
    let file = common::write(dir.path(), "s.toml", &text);
    checked(&file)
        .stderr(predicate::str::contains("`returns.liability`"))
        .stderr(predicate::str::contains("point mass").not());
    // Nor a key a closed gate keeps idle: no order is paid on delivery in the US
    // (`returns.cod_share` 0), so a refusal rate refuses nothing; alone it would be
    // warned (15.9% of its draws below 0).
    let text = two_variant_study("gated", 200, 30).replace(
        "category = \"beauty\"\n",
        "category = \"beauty\"\nreturns.cod_refusal_rate = \"normal(0.1, 0.1)\"\n",
    );
    checked(&common::write(dir.path(), "g.toml", &text))
        .stderr(predicate::str::contains(
            "g.toml:9: [base]: key `returns.cod_refusal_rate` has no effect",
        ))
        .stderr(predicate::str::contains("point mass").not());
    let opened = text.replace(
        "returns.cod_refusal_rate",
        "returns.cod_share = 0.5\nreturns.cod_refusal_rate",
    );
    checked(&common::write(dir.path(), "o.toml", &opened)).stderr(predicate::str::contains(
        "o.toml:10: [base]: key `returns.cod_refusal_rate`: `normal(0.1, 0.1)` puts 15.9% of its draws below 0",
    ));
}

#[test]
fn an_events_params_row_and_a_grid_cell_are_warned_at_their_lines() {
    let dir = TempDir::new().unwrap();
    let file = common::write(dir.path(), "s.toml", &two_variant_study("rows", 64, 30));
    checked_with_params(dir.path(), &file, "key,value\nevent.peak.campaign_price_cut,\"normal(0.05, 0.1)\"\n", "p.csv:2: key `event.peak.campaign_price_cut`: `normal(0.05, 0.1)` puts 30.9% of its draws below 0");
    let grid = common::write(
        dir.path(),
        "grid.csv",
        "returns.resellable_fraction\n\"normal(0.9, 0.1)\"\n0.5\n",
    );
    shopsim()
        .arg("sweep")
        .arg(&file)
        .arg("--grid")
        .arg(&grid)
        .arg("--out")
        .arg(dir.path().join("out"))
        .arg("--no-charts")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "grid.csv:2: key `returns.resellable_fraction`: `normal(0.9, 0.1)` puts 15.9% of its draws above 1",
        ));
}

/// The warnings `shopsim sweep` prints for `study()` with `ranges`, and on its page.
fn swept(dir: &std::path::Path, ranges: &[&str]) -> (String, String) {
    let file = common::write(dir, "s.toml", &study());
    let out = dir.join(format!("out{}", ranges.join("_").len()));
    let mut cmd = shopsim();
    cmd.arg("sweep").arg(&file);
    for r in ranges {
        cmd.arg("--range").arg(r);
    }
    let said = cmd
        .arg("--out")
        .arg(&out)
        .arg("--no-charts")
        .assert()
        .success();
    let stderr = String::from_utf8(said.get_output().stderr.clone()).unwrap();
    let page = std::fs::read_to_string(out.join("clamps-sweep/report.html")).unwrap();
    (stderr, page)
}

#[test]
fn a_value_every_point_replaces_is_not_warned_about() {
    let dir = TempDir::new().unwrap();
    // Sweeping `returns.base_rate` replaces the `[base]` normal on every variant: no trial
    // draws it, so neither the terminal nor the page warns of it. The event's
    // multiplier and variant `b`'s liability are drawn at every point: still warned.
    let (stderr, page) = swept(dir.path(), &["returns.base_rate=0.02:0.1:2"]);
    assert!(!stderr.contains("normal(0.05, 0.04)"), "{stderr}");
    assert!(!page.contains("normal(0.05, 0.04)"), "the page still warns");
    assert!(
        stderr.contains("s.toml:14: event `peak`: key `demand_multiplier`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("s.toml:24: variant `b`: key `returns.liability`"),
        "{stderr}"
    );
    assert!(
        page.contains("normal(1.5, 1)"),
        "the page lost a warning that holds"
    );
    // Sweeping the event's multiplier replaces the event's value: not warned; the
    // `[base]` value is drawn again.
    let (stderr, _) = swept(dir.path(), &["event.peak.demand_multiplier=1:3:2"]);
    assert!(!stderr.contains("normal(1.5, 1)"), "{stderr}");
    assert!(
        stderr.contains("s.toml:9: [base]: key `returns.base_rate`"),
        "{stderr}"
    );
    // A `--params` row replacing the event's value: its own row is warned, not the
    // scenario's; a row repeating the scenario's value: the scenario's line, once.
    let file = dir.path().join("s.toml");
    for (rows, at, not_at) in [
        (
            "normal(1, 1)",
            "p.csv:2: key `event.peak.demand_multiplier`: `normal(1, 1)` puts 15.9%",
            "s.toml:14:",
        ),
        (
            "normal(1.5, 1)",
            "s.toml:14: event `peak`: key `demand_multiplier`: `normal(1.5, 1)` puts 6.7%",
            "p.csv:2:",
        ),
    ] {
        let csv = common::write(
            dir.path(),
            "p.csv",
            &format!("key,value\nevent.peak.demand_multiplier,\"{rows}\"\n"),
        );
        shopsim()
            .arg("check")
            .arg(&file)
            .arg("--params")
            .arg(&csv)
            .assert()
            .success()
            .stderr(predicate::str::contains(at))
            .stderr(predicate::str::contains(not_at).not());
    }
}

#[test]
fn an_ad_cost_multiplier_that_can_draw_zero_is_refused() {
    // It divides the return on ads: a draw near 0 made ads almost free (a normal(1.5, 1)
    // gave a mean loss of millions on the built-in study).
    let dir = TempDir::new().unwrap();
    for value in ["\"normal(1.5, 1)\"", "\"-0.5..3\""] {
        let text = two_variant_study("adc", 64, 30).replace(
            "demand_multiplier = 2",
            &format!("ad_cost_multiplier = {value}"),
        );
        let file = common::write(dir.path(), "s.toml", &text);
        shopsim()
            .arg("check")
            .arg(&file)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("s.toml:13"))
            .stderr(predicate::str::contains("must be > 0 in every draw"));
    }
    // A log-normal never reaches 0: taken.
    let text = two_variant_study("adc", 64, 30)
        .replace("demand_multiplier = 2", "ad_cost_multiplier = \"0.5..3\"");
    let file = common::write(dir.path(), "s.toml", &text);
    shopsim().arg("check").arg(&file).assert().success();
}

#[test]
fn the_share_warned_is_the_share_of_trials_the_engine_puts_at_the_bound() {
    // The draws of `returns.base_rate` in variant `a`, trial by trial: the share at
    // exactly 0 is Φ(-1.25) = 0.1056 within 4 standard errors of a binomial share.
    let s = scenario::parse(&study(), "s.toml", None).unwrap();
    let variant = &s.spec().variants()[0];
    let trials = 20_000u64;
    let at_zero = (0..trials)
        .filter(|&t| {
            inputs::sample(variant, s.spec().events(), 7, t).values[P::ReturnBaseRate as usize]
                == 0.0
        })
        .count() as f64
        / trials as f64;
    let expected = 0.105_649_773_666_855_3;
    let se = (expected * (1.0 - expected) / trials as f64).sqrt();
    assert!(
        (at_zero - expected).abs() < 4.0 * se,
        "{at_zero} against {expected} ± {se}"
    );
    // And none below it.
    assert!(
        (0..500).all(|t| inputs::sample(variant, s.spec().events(), 7, t).values
            [P::ReturnBaseRate as usize]
            >= 0.0)
    );
}

#[test]
fn a_params_row_is_warned_at_its_own_line_and_an_exported_catalog_at_the_scenarios() {
    let dir = TempDir::new().unwrap();
    let file = common::write(dir.path(), "s.toml", &study());
    checked_with_params(dir.path(), &file, "key,value,variant\nreturns.resellable_fraction,\"normal(0.9, 0.1)\",a\n", "p.csv:2: key `returns.resellable_fraction`: `normal(0.9, 0.1)` puts 15.9% of its draws above 1");
    // The scenario's own values passed back in a CSV (as `params` exports them): the
    // warning stays at the scenario's line, not the row's.
    let text = study();
    let o = Overrides::parse(
        "key,value\nreturns.base_rate,\"normal(0.05, 0.04)\"\n",
        "back.csv",
    )
    .unwrap();
    let s = scenario::parse(&text, "s.toml", Some(&o)).unwrap();
    let said: Vec<String> = s
        .warnings()
        .iter()
        .filter(|w| w.message.contains("`returns.base_rate`"))
        .map(|w| format!("{}:{:?}", w.origin, w.line))
        .collect();
    assert_eq!(said, ["s.toml:Some(9)"]);
}

/// `shopsim check file`, which succeeds (its warnings to be read).
fn checked(file: &std::path::Path) -> assert_cmd::assert::Assert {
    shopsim().arg("check").arg(file).assert().success()
}

/// `shopsim check file --params p.csv` with `rows` as p.csv: it succeeds and warns
/// `says` on standard error.
fn checked_with_params(dir: &std::path::Path, file: &std::path::Path, rows: &str, says: &str) {
    let csv = common::write(dir, "p.csv", rows);
    shopsim()
        .arg("check")
        .arg(file)
        .arg("--params")
        .arg(&csv)
        .assert()
        .success()
        .stderr(predicate::str::contains(says));
}

#[test]
fn no_shipped_study_holds_a_clamped_value() {
    for entry in std::fs::read_dir(repo("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            shopsim()
                .arg("check")
                .arg(&path)
                .assert()
                .success()
                .stderr(predicate::str::contains("point mass").not());
        }
    }
}

/// Two self-operated variants in the US (no cash on delivery): `a` on platform labels,
/// `c` on FBT, `[base]` setting a refusal rate whose draws fall below 0 in 15.9% of the
/// trials (line 7), and an event whose demand multiplier falls below 0 in 6.7% (line 12).
const TWO_SELF_OPERATED: &str = "name = \"points\"\ntrials = 64\nhorizon_days = 30\nseed = 3\n\
[base]\nmarket = \"us\"\nreturns.cod_refusal_rate = \"normal(0.1, 0.1)\"\n\
[[events]]\nname = \"peak\"\nstart_day = 10\nend_day = 12\ndemand_multiplier = \"normal(1.5, 1)\"\n\
[[variant]]\nname = \"a\"\nmodel = \"self_operated\"\nroute = \"platform_shipping\"\n\
[[variant]]\nname = \"c\"\nmodel = \"self_operated\"\nroute = \"fbt\"\n";

/// `shopsim sweep points.toml` with `args`: its standard error and its page.
fn swept_points(dir: &std::path::Path, out: &str, args: &[&str]) -> (String, String) {
    let file = common::write(dir, "points.toml", TWO_SELF_OPERATED);
    let said = shopsim()
        .arg("sweep")
        .arg(&file)
        .args(args)
        .arg("--out")
        .arg(dir.join(out))
        .arg("--no-charts")
        .assert()
        .success();
    let stderr = String::from_utf8(said.get_output().stderr.clone()).unwrap();
    let page = std::fs::read_to_string(dir.join(out).join("points-sweep/report.html")).unwrap();
    (stderr, page)
}

#[test]
fn a_sweep_warns_of_what_holds_at_its_points() {
    let dir = TempDir::new().unwrap();
    // The study alone: the refusal rate is idle (no cash on delivery), said once; its
    // clamped draws are not added.
    let (stderr, _) = swept_points(dir.path(), "o1", &["--range", "price.retail=20:30:2"]);
    assert!(stderr.contains("points.toml:7: [base]: key `returns.cod_refusal_rate` has no effect on any variant it applies to"), "{stderr}");
    assert!(!stderr.contains("15.9%"), "{stderr}");
    // A sweep that opens the gate: the value is drawn at every point, and its clamping
    // is warned of (the study alone never says so).
    let (stderr, page) = swept_points(
        dir.path(),
        "o2",
        &["--range", "returns.cod_share=0.2:0.4:2"],
    );
    assert!(stderr.contains("points.toml:7: [base]: key `returns.cod_refusal_rate`: `normal(0.1, 0.1)` puts 15.9% of its draws below 0"), "{stderr}");
    assert!(
        !stderr.contains("`returns.cod_refusal_rate` has no effect"),
        "{stderr}"
    );
    assert!(page.contains("15.9%"), "the page lost it");
    // Points that replace the value on `a` only: on `c` the `[base]` value still does
    // nothing, and the warning names `c` alone.
    let grid = common::write(
        dir.path(),
        "grid.csv",
        "variant,returns.cod_refusal_rate\na,0.1\na,0.2\n",
    );
    let (stderr, _) = swept_points(dir.path(), "o3", &["--grid", grid.to_str().unwrap()]);
    assert!(
        stderr.contains(
            "points.toml:7: [base]: key `returns.cod_refusal_rate` has no effect on variant `c`"
        ),
        "{stderr}"
    );
    // A grid cell repeating the event's own value: warned once, at the cell; the page
    // shows the command's own warnings too.
    let grid = common::write(
        dir.path(),
        "ev.csv",
        "event.peak.demand_multiplier\n2\n\"normal(1.5, 1)\"\n",
    );
    let (stderr, page) = swept_points(dir.path(), "o4", &["--grid", grid.to_str().unwrap()]);
    assert_eq!(stderr.matches("puts 6.7%").count(), 1, "{stderr}");
    assert!(
        stderr.contains("sweep: ")
            && stderr.contains("ev.csv:3: key `event.peak.demand_multiplier`"),
        "{stderr}"
    );
    assert!(
        page.contains("ev.csv:3"),
        "the page lacks the command's warning"
    );
}

#[test]
fn an_event_that_changes_nothing_is_not_warned_for_its_values_draws() {
    // The event applies to Thailand only, the study sells in the US: said to change
    // nothing, and nothing about its multiplier's draws (here or in a `--params` row).
    let dir = TempDir::new().unwrap();
    let text = study().replace(
        "demand_multiplier = \"normal(1.5, 1)\"\n",
        "demand_multiplier = \"normal(1.5, 1)\"\nmarkets = [\"th\"]\n",
    );
    let file = common::write(dir.path(), "s.toml", &text);
    let csv = common::write(
        dir.path(),
        "p.csv",
        "key,value\nevent.peak.demand_multiplier,\"normal(1, 1)\"\n",
    );
    shopsim()
        .arg("check")
        .arg(&file)
        .arg("--params")
        .arg(&csv)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "event `peak` applies to markets th",
        ))
        .stderr(predicate::str::contains("demand_multiplier`: `normal").not())
        // The row is said to change nothing too, and nothing about its draws.
        .stderr(predicate::str::contains(
            "p.csv:2: key `event.peak.demand_multiplier` has no effect: event `peak` applies to markets th and no variant sells there; remove the row",
        ))
        .stderr(predicate::str::contains("p.csv:2: key `event.peak.demand_multiplier`: ").not());
}

#[test]
fn an_exported_catalog_passed_back_keeps_the_duty_assumption_warning() {
    // The US surcharge after 2026-07-24 is an assumption of data/duties.toml: said of
    // each variant that takes it, and still said when the study's own catalog is passed
    // back (it sets the same value); a row setting another value makes it the user's.
    let dir = TempDir::new().unwrap();
    let file = common::write(dir.path(), "s.toml", &two_variant_study("duty", 64, 30));
    let said = |csv: Option<&std::path::Path>| {
        let mut cmd = shopsim();
        cmd.arg("check").arg(&file);
        if let Some(csv) = csv {
            cmd.arg("--params").arg(csv);
        }
        let out = cmd.assert().success();
        String::from_utf8(out.get_output().stderr.clone())
            .unwrap()
            .matches("`tax.duty_surcharge_rate` defaults to uniform(0, 0.25), an assumption")
            .count()
    };
    let alone = said(None);
    assert!(alone >= 1);
    let exported = shopsim().arg("params").arg(&file).output().unwrap();
    assert!(exported.status.success());
    let catalog = common::write(
        dir.path(),
        "catalog.csv",
        &String::from_utf8(exported.stdout).unwrap(),
    );
    assert_eq!(said(Some(&catalog)), alone);
    let set = common::write(
        dir.path(),
        "set.csv",
        "key,value\ntax.duty_surcharge_rate,0.1\n",
    );
    assert_eq!(said(Some(&set)), 0);
    // A study that sets the surcharge itself is not warned, and its catalog passed back
    // (the same value, from `[base]` below the row) is not either.
    let own = two_variant_study("duty", 64, 30).replace(
        "category = \"beauty\"\n",
        "category = \"beauty\"\ntax.duty_surcharge_rate = 0.1\n",
    );
    let file = common::write(dir.path(), "s.toml", &own);
    assert_eq!(said(None), 0);
    let exported = shopsim().arg("params").arg(&file).output().unwrap();
    let catalog = common::write(
        dir.path(),
        "own.csv",
        &String::from_utf8(exported.stdout).unwrap(),
    );
    assert_eq!(said(Some(&catalog)), 0);
}

#[test]
fn a_warning_at_some_points_names_them_and_a_repeated_cell_is_said_once() {
    let dir = TempDir::new().unwrap();
    // The refusal rate does nothing at the first point (no cash on delivery) and is
    // drawn, clamped, at the other two: each warning says where it holds.
    let (stderr, _) = swept_points(dir.path(), "o1", &["--range", "returns.cod_share=0:0.4:3"]);
    assert!(
        stderr.contains("no order is paid cash on delivery")
            && stderr.contains("(at 1 of 3 points: `returns.cod_share=0`)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("puts 15.9% of its draws below 0")
            && stderr
                .contains("(at 2 of 3 points: `returns.cod_share=0.2`, `returns.cod_share=0.4`)"),
        "{stderr}"
    );
    // Five rows repeating one clamped value: one warning naming the first three cells.
    let rows = "event.peak.demand_multiplier\n".to_string() + &"\"normal(1, 1)\"\n".repeat(5);
    let grid = common::write(dir.path(), "rep.csv", &rows);
    let (stderr, _) = swept_points(dir.path(), "o2", &["--grid", grid.to_str().unwrap()]);
    assert_eq!(stderr.matches("puts 15.9%").count(), 1, "{stderr}");
    assert!(
        stderr.contains("rep.csv:2, ")
            && stderr.contains("rep.csv:4 and 2 more: key `event.peak.demand_multiplier`"),
        "{stderr}"
    );
}

#[test]
fn an_event_number_no_variant_it_reaches_can_use_is_warned_of_and_its_draws_are_not() {
    let dir = TempDir::new().unwrap();
    let base = two_variant_study("idle_fields", 100, 30);
    let with_event = |text: &str, lines: &str| {
        text.replace(
            "demand_multiplier = 2\n",
            &format!("demand_multiplier = 2\n{lines}"),
        )
    };
    let idle = |key: &str, why: &str| {
        format!("event `peak`: key `{key}` has no effect on any variant the event reaches: {why}")
    };
    // Two self-operated variants: a supply-price multiplier (whose normal draws would be
    // clamped at 0 in 3.6% of trials) changes nothing, at its line and in a row; the
    // demand multiplier's row is not warned of.
    let self_only = with_event(
        &base.replace("model = \"fully_managed\"", "model = \"self_operated\""),
        "supply_price_multiplier = \"normal(0.9, 0.5)\"\n",
    );
    let file = common::write(dir.path(), "self.toml", &self_only);
    let said = checked(&file).get_output().stderr.clone();
    let said = String::from_utf8(said).unwrap();
    assert!(
        said.contains(&format!(
            "self.toml:14: {}",
            idle(
                "supply_price_multiplier",
                "the supply price is a fully managed merchant's"
            )
        )) && !said.contains("`normal(0.9, 0.5)`"),
        "{said}"
    );
    checked_with_params(
        dir.path(),
        &file,
        "key,value\nevent.peak.demand_multiplier,3\nevent.peak.supply_price_multiplier,0.8\n",
        "p.csv:3: key `event.peak.supply_price_multiplier` has no effect",
    );
    shopsim()
        .args(["check", file.to_str().unwrap(), "--params"])
        .arg(dir.path().join("p.csv"))
        .assert()
        .success()
        .stderr(predicate::str::contains("p.csv:2").not());
    // A row that sets the file's own value (an exported catalog passed back) is not.
    let same = common::write(
        dir.path(),
        "same.csv",
        "key,value\nevent.peak.supply_price_multiplier,\"normal(0.9, 0.5)\"\n",
    );
    shopsim()
        .args(["check", file.to_str().unwrap(), "--params"])
        .arg(&same)
        .assert()
        .success()
        .stderr(predicate::str::contains("same.csv:2").not())
        .stderr(predicate::str::contains("self.toml:14"));
    // A sweep over it says so before running its points.
    shopsim()
        .args(["sweep", file.to_str().unwrap(), "--trials", "50", "--no-charts"])
        .args(["--range", "event.peak.supply_price_multiplier=0.8:1:3", "--out"])
        .arg(dir.path().join("sweep"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "`event.peak.supply_price_multiplier` has no effect on any variant it runs: the supply price is a fully managed merchant's",
        ));
    // Fully managed only: a campaign's terms and the ad cost change nothing.
    let managed_only = with_event(
        &base
            .replace("model = \"self_operated\"", "model = \"fully_managed\"")
            .replace("loop = \"semi_closed\"", "loop = \"full_closed\""),
        "campaign_coupon_share = 0.03\ncampaign_fee_rate = 0.01\nad_cost_multiplier = 1.5\n",
    );
    let file = common::write(dir.path(), "managed.toml", &managed_only);
    checked(&file)
        .stderr(predicate::str::contains(idle(
            "campaign_coupon_share",
            "the platform funds a fully managed product's promotions",
        )))
        .stderr(predicate::str::contains(idle(
            "campaign_fee_rate",
            "the platform funds a fully managed product's promotions",
        )))
        .stderr(predicate::str::contains(idle(
            "ad_cost_multiplier",
            "the platform markets a fully managed product, so you buy no ads",
        )));
    // A swing of a coupon share gives a bar of zero, and says why.
    shopsim()
        .args(["sensitivity", file.to_str().unwrap(), "--trials", "50", "--sobol", "0"])
        .args(["--no-charts", "--swing", "event.peak.campaign_coupon_share=0..0.05", "--out"])
        .arg(dir.path().join("sens"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "the swing of `event.peak.campaign_coupon_share` has no effect on the variants analysed (`a`, `b`): the platform funds a fully managed product's promotions",
        ));
    // The fully managed variant sells in the UK, the event is the US's: the variants it
    // reaches are self-operated.
    let elsewhere = with_event(
        &base.replace(
            "model = \"fully_managed\"",
            "model = \"fully_managed\"\nmarket = \"uk\"",
        ),
        "markets = [\"us\"]\nsupply_price_multiplier = 0.9\n",
    );
    let file = common::write(dir.path(), "elsewhere.toml", &elsewhere);
    checked(&file).stderr(predicate::str::contains(idle(
        "supply_price_multiplier",
        "the supply price is a fully managed merchant's",
    )));
    // Both models reached: every number acts on one of them.
    let both = with_event(
        &base,
        "supply_price_multiplier = 0.9\ncampaign_coupon_share = 0.03\nad_cost_multiplier = 1.5\n",
    );
    let file = common::write(dir.path(), "both.toml", &both);
    checked(&file).stderr(predicate::str::contains("has no effect").not());
}
