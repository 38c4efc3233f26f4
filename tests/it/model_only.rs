//! Keys of one operating model (`src/params/model_only.rs`): the declaration is true (each
//! key, set on a variant of the other model, changes none of its outputs, bit for bit),
//! and a file that sets one where it cannot act is warned, at its line, and still runs.

use predicates::prelude::*;
use shopsim::params::model_only::{self, Blocker, ModelOnly, Needs};
use shopsim::params::{Freight, Model, Route, Setting, P};
use shopsim::scenario::{self, Overrides, BUILT_IN, BUILT_IN_NAME};
use shopsim::sim::{study, DrawMethod, StudyResults};
use tempfile::TempDir;

use crate::common::{self, repo, shopsim, shopsim_in, Printed};

/// Trials of each run: one Latin hypercube block.
const TRIALS: u64 = 64;

/// The built-in study's variants of `model`.
fn variants_of(model: Model) -> Vec<String> {
    variants_where(BUILT_IN, |s| s.model == model)
}

/// The variants of the study `text` whose setting passes `keep`.
fn variants_where(text: &str, keep: impl Fn(&Setting) -> bool) -> Vec<String> {
    let s = scenario::parse(text, BUILT_IN_NAME, None).unwrap();
    s.spec()
        .variants()
        .iter()
        .filter(|v| keep(&v.setting()))
        .map(|v| v.name().to_string())
        .collect()
}

/// Every number the built-in study's run gives, as bits: each trial's outputs, daily
/// profit and cash paths and delay histogram, of every variant, with `p` set to `value`
/// on `variants` (a `--params` row each).
fn run_with(p: P, value: &str, variants: &[String]) -> Vec<u64> {
    run_in(BUILT_IN, p, value, variants)
}

/// [`run_with`] for the study `text`.
fn run_in(text: &str, p: P, value: &str, variants: &[String]) -> Vec<u64> {
    let rows: Vec<(P, &str, &str)> = variants.iter().map(|v| (p, value, v.as_str())).collect();
    run_rows(text, &rows)
}

/// Every number the study `text` gives with each `(key, value, variant)` row set (a
/// `--params` file of them).
fn run_rows(text: &str, rows: &[(P, &str, &str)]) -> Vec<u64> {
    let p = rows[0].0;
    let mut csv = String::from("key,value,variant\n");
    for (key, value, v) in rows {
        csv.push_str(&format!("{},\"{value}\",{v}\n", key.key()));
    }
    let o = Overrides::parse(&csv, "p.csv").unwrap_or_else(|e| panic!("{}: {e}", p.key()));
    let mut s = scenario::parse(text, BUILT_IN_NAME, Some(&o))
        .unwrap_or_else(|e| panic!("{}: {e}", p.key()));
    s.override_run(Some(TRIALS), None).unwrap();
    bits(&study::run(s.spec(), DrawMethod::PerDay, &|_| {}))
}

fn bits(r: &StudyResults) -> Vec<u64> {
    let mut out = Vec::new();
    for v in &r.variants {
        out.extend(v.outputs.iter().flat_map(|o| o.0.map(f64::to_bits)));
        out.extend(v.cumulative_profit.iter().map(|x| u64::from(x.to_bits())));
        out.extend(v.cash.iter().map(|x| u64::from(x.to_bits())));
        out.extend(v.delay_histogram.iter().copied());
    }
    out
}

/// Two valid values of `p`, far apart: its smallest, and 37% of the way to the smaller of
/// its largest and its smallest + 100 (a rate: 0.37; money or days: 37), whole for a
/// whole-number key.
fn two_values(p: P) -> (f64, f64) {
    let s = p.spec();
    let far = s.min + 0.37 * (s.max.min(s.min + 100.0) - s.min);
    (s.min, if s.integer { far.round() } else { far })
}

#[test]
fn a_key_of_one_model_changes_nothing_on_a_variant_of_the_other() {
    let on = |m: &ModelOnly| variants_of(model_only::other(m.acts_on));
    let mut checked = 0;
    for m in model_only::all() {
        let variants = on(m);
        assert!(!variants.is_empty(), "{}", m.param.key());
        let (lo, hi) = two_values(m.param);
        assert!(lo < hi, "{}", m.param.key());
        let at_lo = run_with(m.param, &lo.to_string(), &variants);
        // A fixed value, and a draw per trial across both (the key's own stream).
        for value in [hi.to_string(), format!("uniform({lo}, {hi})")] {
            assert!(
                run_with(m.param, &value, &variants) == at_lo,
                "{} = {value} changed a result of {variants:?}, which are {:?}: it is not inert there",
                m.param.key(),
                model_only::other(m.acts_on)
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 56);
}

/// The comparison above can fail: the same two values of a key on a variant of the model
/// it acts on change its results.
#[test]
fn the_same_change_on_a_variant_of_its_own_model_shows() {
    for (p, model) in [
        (P::SupplyMarkup, Model::FullyManaged),
        (P::AdSpendPerDay, Model::SelfOperated),
        (P::CommissionRate, Model::SelfOperated),
    ] {
        let variants = variants_of(model);
        let (lo, hi) = two_values(p);
        assert!(
            run_with(p, &lo.to_string(), &variants) != run_with(p, &hi.to_string(), &variants),
            "{}",
            p.key()
        );
    }
}

/// The built-in study with every variant's freight mode `freight` (its variants on
/// `platform_shipping`, `overseas_3pl`, `fbt` and `managed` have sea freight).
fn built_in_by(freight: Freight) -> String {
    let text = BUILT_IN.replacen(
        "[base]\nmarket = \"us\"\n",
        &format!("[base]\nmarket = \"us\"\nfreight = \"{freight}\"\n"),
        1,
    );
    assert_ne!(text, BUILT_IN);
    text
}

/// The built-in study with every self-operated variant holding stock
/// (`inventory.enabled = 1`), its platform-labels variant on `route` instead: a parcel
/// route's stock waits at the origin, so a batch's customs entry costs must not act there.
fn stocked_built_in(route: Route) -> String {
    let text = BUILT_IN
        .replacen(
            "[base]\nmarket = \"us\"\n",
            "[base]\nmarket = \"us\"\ninventory.enabled = 1\n",
            1,
        )
        .replacen(
            "route = \"platform_shipping\"",
            &format!("route = \"{route}\""),
            1,
        );
    assert!(text.contains("inventory.enabled = 1") && text.contains(&format!("\"{route}\"")));
    text
}

/// Each route-level key, set on the variants of a route or freight mode where it is
/// declared idle, changes none of the study's outputs (a fixed value, another, and a draw
/// across both); every route and freight mode of a self-operated shop it is declared idle
/// on is covered, with stock held on every route (a batch's costs are otherwise idle for
/// want of a batch). The same change on the variants where it acts shows.
#[test]
fn a_route_level_key_changes_nothing_on_a_route_or_freight_mode_it_does_not_act_on() {
    let studies = [
        BUILT_IN.to_string(),
        built_in_by(Freight::Air),
        built_in_by(Freight::Express),
        stocked_built_in(Route::PlatformShipping),
        stocked_built_in(Route::DirectMail),
    ];
    let mut checked = 0;
    for d in model_only::setting_only() {
        let p = d.param;
        let (lo, hi) = two_values(p);
        assert!(lo < hi, "{}", p.key());
        let mut covered: Vec<Blocker> = Vec::new();
        for text in &studies {
            let idle_on = |s: &Setting| {
                model_only::cannot_act_on(p, s)
                    .map(|i| i.blocker)
                    .filter(|b| !matches!(b, Blocker::Model(_)))
            };
            let variants = variants_where(text, |s| idle_on(s).is_some());
            if variants.is_empty() {
                continue;
            }
            let s = scenario::parse(text, BUILT_IN_NAME, None).unwrap();
            for v in s.spec().variants() {
                if let Some(b) = idle_on(&v.setting()) {
                    if !covered.contains(&b) {
                        covered.push(b);
                    }
                }
            }
            let at_lo = run_in(text, p, &lo.to_string(), &variants);
            for value in [hi.to_string(), format!("uniform({lo}, {hi})")] {
                assert!(
                    run_in(text, p, &value, &variants) == at_lo,
                    "{} = {value} changed a result of {variants:?}: it is not inert there",
                    p.key()
                );
            }
            checked += 1;
        }
        // Every self-operated route or freight mode it is declared idle on was run.
        let declared: Vec<Blocker> = match d.acts_on {
            Needs::Routes(routes) => Route::ALL
                .iter()
                .filter(|r| r.fits(Model::SelfOperated) && !routes.contains(r))
                .map(|&r| Blocker::Route(r))
                .collect(),
            Needs::Freight(f) => Freight::ALL
                .iter()
                .filter(|&&m| m != f)
                .map(|&m| Blocker::Freight(m))
                .collect(),
        };
        for b in declared {
            assert!(covered.contains(&b), "{}: {b:?} not run", p.key());
        }
        // The control: on the built-in study's self-operated variants where it acts.
        let acting = variants_where(BUILT_IN, |s| {
            s.model == Model::SelfOperated && model_only::cannot_act_on(p, s).is_none()
        });
        assert!(!acting.is_empty(), "{}", p.key());
        assert!(
            run_with(p, &lo.to_string(), &acting) != run_with(p, &hi.to_string(), &acting),
            "{} on {acting:?}",
            p.key()
        );
    }
    // Each of the nine declarations in each of the five studies: each study has a
    // variant on a route or freight mode of each declaration's idle ones (the parcel-route
    // labels for the batch costs, FBT and the 3PL for the entry fee, FBT for late
    // dispatch, and the harbour fee's freight entry idle by route on labels in the sea
    // studies).
    assert_eq!(checked, 45);
}

/// Keys left out of the declaration because the engine reads them on a fully managed
/// variant too, though a fully managed supplier neither sets a price nor imports: the
/// retail price is the base of its contribution margin, and a new duty comes back through
/// the supply price. Should one stop acting there, this fails and it belongs in the
/// declaration.
#[test]
fn the_keys_left_out_act_on_a_fully_managed_variant() {
    let managed = variants_of(Model::FullyManaged);
    for p in [P::RetailPrice, P::DutySurchargeRate] {
        assert!(model_only::all().all(|m| m.param != p), "{}", p.key());
        let (lo, hi) = two_values(p);
        assert!(
            run_with(p, &lo.to_string(), &managed) != run_with(p, &hi.to_string(), &managed),
            "{}",
            p.key()
        );
    }
}

/// The small two-variant study (`a` self-operated, `b` fully managed) with `extra` lines
/// added to `[base]`, to variant `a` and to variant `b`.
fn study(base: &str, a: &str, b: &str) -> String {
    common::two_variant_study("small", 50, 30)
        .replacen(
            "category = \"beauty\"\n",
            &format!("category = \"beauty\"\n{base}"),
            1,
        )
        .replacen(
            "loop = \"semi_closed\"\n",
            &format!("loop = \"semi_closed\"\n{a}"),
            1,
        )
        .replacen(
            "loop = \"full_closed\"\n",
            &format!("loop = \"full_closed\"\n{b}"),
            1,
        )
}

/// What a successful `shopsim ARGS` in `dir` says on standard error (its warnings).
fn stderr_of(dir: &std::path::Path, args: &[&str]) -> String {
    shopsim_in(dir).args(args).assert().success().stderr_text()
}

/// The 1-based line of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn a_key_set_on_a_variant_of_the_wrong_model_is_warned_at_its_line_and_the_study_runs() {
    let dir = TempDir::new().unwrap();
    let text = study(
        "",
        "price.supply_markup = 1.3\n",
        "marketing.ad_spend_per_day = 20\nprice.supply_cut = 0.02\n",
    );
    common::write(dir.path(), "s.toml", &text);
    let run = shopsim_in(dir.path())
        .args(["run", "s.toml", "--no-charts", "--out", "out"])
        .assert()
        .success();
    let err = run.stderr_text();
    let markup = line_of(&text, "price.supply_markup");
    let ads = line_of(&text, "marketing.ad_spend_per_day");
    assert!(
        err.contains(&format!("warning: s.toml:{markup}: variant `a`: key `price.supply_markup` has no effect on a self-operated variant: a self-operated shop sells at its own price (`price.retail`)")),
        "{err}"
    );
    assert!(
        err.contains(&format!("warning: s.toml:{ads}: variant `b`: key `marketing.ad_spend_per_day` has no effect on a fully managed variant: the platform markets a fully managed product")),
        "{err}"
    );
    // Each once; a key of the variant's own model is said nothing of.
    assert_eq!(err.matches("has no effect").count(), 2, "{err}");
    assert!(dir.path().join("out/small/summary.csv").exists());
}

#[test]
fn a_base_key_one_variant_can_use_is_not_warned_and_one_none_can_use_is() {
    let dir = TempDir::new().unwrap();
    // `a` is self-operated: it uses the ads; `b` the supply price.
    let both = study(
        "price.supply_markup = 1.3\nmarketing.ad_spend_per_day = 20\n",
        "",
        "",
    );
    common::write(dir.path(), "both.toml", &both);
    shopsim_in(dir.path())
        .args(["check", "both.toml"])
        .assert()
        .success()
        .stderr(predicate::str::contains("has no effect").not());
    // Both variants self-operated: nobody is paid a supply price.
    let none = study("price.supply_markup = 1.3\n", "", "")
        .replace("model = \"fully_managed\"", "model = \"self_operated\"");
    common::write(dir.path(), "none.toml", &none);
    let line = line_of(&none, "price.supply_markup");
    let err = stderr_of(dir.path(), &["check", "none.toml"]);
    assert!(
        err.contains(&format!("warning: none.toml:{line}: [base]: key `price.supply_markup` has no effect on any variant of the study: every variant is self-operated")),
        "{err}"
    );
    assert_eq!(err.matches("has no effect").count(), 1, "{err}");
}

#[test]
fn a_csv_row_that_cannot_act_is_warned_at_its_line() {
    let dir = TempDir::new().unwrap();
    common::write(dir.path(), "s.toml", &study("", "", ""));
    // Row 2 names the self-operated variant; row 3 is for every variant, and `b` uses it.
    common::write(
        dir.path(),
        "p.csv",
        "key,value,variant\nreturns.liability,0.5,a\nreturns.liability,0.6,\nfees.commission_rate,0.1,b\n",
    );
    let err = stderr_of(dir.path(), &["check", "s.toml", "--params", "p.csv"]);
    assert!(
        err.contains("warning: p.csv:2: key `returns.liability` has no effect on variant `a` of study `small` (s.toml): it is self-operated, and a self-operated shop refunds the whole price of a return"),
        "{err}"
    );
    assert!(
        err.contains("warning: p.csv:4: key `fees.commission_rate` has no effect on variant `b` of study `small` (s.toml): it is fully managed"),
        "{err}"
    );
    assert_eq!(err.matches("has no effect").count(), 2, "{err}");
    // Without a `variant` column, a row no variant can use.
    common::write(dir.path(), "q.csv", "key,value\nmarketing.roas,4\n");
    let managed =
        study("", "", "").replace("model = \"self_operated\"", "model = \"fully_managed\"");
    common::write(
        dir.path(),
        "m.toml",
        &managed.replace("loop = \"semi_closed\"", "loop = \"full_closed\""),
    );
    let err = stderr_of(dir.path(), &["check", "m.toml", "--params", "q.csv"]);
    assert!(
        err.contains("warning: q.csv:2: key `marketing.roas` has no effect on any variant of study `small` (m.toml): every variant is fully managed"),
        "{err}"
    );
}

#[test]
fn the_shipped_scenarios_set_no_key_where_it_cannot_act() {
    shopsim()
        .arg("check")
        .arg(repo("scenarios"))
        .assert()
        .success()
        .stderr(predicate::str::contains("has no effect").not());
}

/// `shopsim params SCENARIO` exports every key of every variant; passed back unchanged,
/// its rows set nothing new and are said nothing of, though half the keys are of one
/// model.
#[test]
fn an_exported_catalog_passes_back_without_a_warning() {
    let dir = TempDir::new().unwrap();
    let exported = shopsim_in(dir.path())
        .args(["params"])
        .arg(repo("scenarios/us_beauty_2026_routes.toml"))
        .assert()
        .success()
        .stdout_text();
    common::write(dir.path(), "p.csv", &exported);
    shopsim_in(dir.path())
        .arg("check")
        .arg(repo("scenarios/us_beauty_2026_routes.toml"))
        .args(["--params", "p.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains("has no effect").not());
    // One cell changed to a value that cannot act is warned at its line.
    let (line, edited) = exported
        .lines()
        .enumerate()
        .find(|(_, l)| l.starts_with("managed,marketing.roas,"))
        .unwrap();
    let value = edited.split(',').nth(2).unwrap();
    let changed = exported.replace(
        edited,
        &edited.replacen(&format!("roas,{value},"), "roas,7,", 1),
    );
    assert_ne!(changed, exported);
    common::write(dir.path(), "p.csv", &changed);
    let err = shopsim_in(dir.path())
        .arg("check")
        .arg(repo("scenarios/us_beauty_2026_routes.toml"))
        .args(["--params", "p.csv"])
        .assert()
        .success()
        .stderr_text();
    assert!(
        err.contains(&format!(
            "p.csv:{}: key `marketing.roas` has no effect on variant `managed`",
            line + 1
        )),
        "{err}"
    );
    assert_eq!(err.matches("has no effect").count(), 1, "{err}");
}

/// A correlation with an input none of the variants it reaches can use changes nothing
/// but the pairing of the other input: warned at the pair's line; a pair a variant can
/// use is not.
#[test]
fn a_correlation_with_an_input_no_variant_can_use_is_warned_at_its_line() {
    let dir = TempDir::new().unwrap();
    let pair = "\"price.supply_markup,costs.unit_cost\" = 0.5\n";
    let with_pair = |text: String| format!("{text}[correlations]\n{pair}");
    let unit_cost = "costs.unit_cost = \"4..6\"\n";
    // One variant is fully managed: it is paid a supply price, the pair acts there.
    let mixed = with_pair(study(unit_cost, "", ""));
    common::write(dir.path(), "mixed.toml", &mixed);
    shopsim_in(dir.path())
        .args(["check", "mixed.toml"])
        .assert()
        .success()
        .stderr(predicate::str::contains("correlation").not());
    let none = with_pair(
        study(unit_cost, "", "").replace("model = \"fully_managed\"", "model = \"self_operated\""),
    );
    common::write(dir.path(), "none.toml", &none);
    let line = line_of(&none, "price.supply_markup,costs.unit_cost");
    let err = stderr_of(dir.path(), &["check", "none.toml"]);
    assert!(
        err.contains(&format!("warning: none.toml:{line}: correlation `price.supply_markup,costs.unit_cost`: `price.supply_markup` has no effect on the self-operated variants it applies to")),
        "{err}"
    );
    assert!(
        err.contains("only changes which trials get which values of `costs.unit_cost`"),
        "{err}"
    );
    assert_eq!(err.matches("correlation `").count(), 1, "{err}");
}

/// A pair neither of whose inputs any of its variants can use: one warning saying so.
#[test]
fn a_correlation_of_two_idle_inputs_is_warned_once() {
    let dir = TempDir::new().unwrap();
    let text = format!(
        "{}[correlations]\n\"price.supply_markup,demand.managed_orders_per_day\" = 0.5\n",
        study("", "", "").replace("model = \"fully_managed\"", "model = \"self_operated\"")
    );
    common::write(dir.path(), "s.toml", &text);
    let line = line_of(&text, "price.supply_markup,demand.managed_orders_per_day");
    let err = stderr_of(dir.path(), &["check", "s.toml"]);
    assert!(
        err.contains(&format!("warning: s.toml:{line}: correlation `price.supply_markup,demand.managed_orders_per_day`: neither input has an effect on the self-operated variants it applies to")),
        "{err}"
    );
    assert_eq!(err.matches("correlation `").count(), 1, "{err}");
}

/// A sweep or a threshold search that moves an input none of the variants it reaches can
/// use is warned about before the work: every value would give the same results.
/// A swing asked for on analysed variants it cannot move is warned about (its bar is
/// zero); on a variant it moves, or with another variant it moves among those analysed,
/// it is not.
#[test]
fn a_swing_of_an_idle_input_is_warned_about() {
    let dir = TempDir::new().unwrap();
    let swing = |variants: &[&str], out: &str| {
        let mut args = vec![
            "sensitivity",
            "--swing",
            "inventory.delisted_recovery=0..1",
            "--trials",
            "64",
            "--sobol",
            "0",
            "--no-charts",
            "--out",
            out,
        ];
        for v in variants {
            args.extend(["--variant", v]);
        }
        stderr_of(dir.path(), &args)
    };
    let err = swing(&["self_fbt"], "s1");
    assert!(
        err.contains("warning: sensitivity: the swing of `inventory.delisted_recovery` has no effect on the variants analysed (`self_fbt`): a self-operated shop sells at its own price and is never delisted"),
        "{err}"
    );
    assert!(!swing(&["managed"], "s2").contains("the swing of"));
    assert!(!swing(&["self_fbt", "managed"], "s3").contains("the swing of"));
}

#[test]
fn a_sweep_or_threshold_of_an_idle_input_is_warned_about() {
    let dir = TempDir::new().unwrap();
    let err = stderr_of(
        dir.path(),
        &[
            "sweep",
            "--range",
            "marketing.ad_spend_per_day=1:3:3",
            "--variant",
            "managed",
            "--trials",
            "64",
            "--no-charts",
            "--out",
            "sw",
        ],
    );
    assert!(
        err.contains("warning: sweep: `marketing.ad_spend_per_day` has no effect on any variant it runs: the platform markets a fully managed product"),
        "{err}"
    );
    // The same range over every variant: the self-operated ones use it.
    let err = stderr_of(
        dir.path(),
        &[
            "sweep",
            "--range",
            "marketing.ad_spend_per_day=1:3:3",
            "--trials",
            "64",
            "--no-charts",
            "--out",
            "sw2",
        ],
    );
    assert!(!err.contains("warning: sweep:"), "{err}");
    let err = shopsim_in(dir.path())
        .args([
            "threshold",
            "--param",
            "marketing.ad_spend_per_day",
            "--between",
            "1",
            "100",
            "--a",
            "self_fbt",
            "--b",
            "managed",
            "--on",
            "managed",
            "--trials",
            "64",
            "--no-charts",
            "--out",
            "th",
        ])
        .assert()
        .stderr_text();
    assert!(
        err.contains("warning: threshold: `marketing.ad_spend_per_day` has no effect on variant `managed`: the platform markets a fully managed product"),
        "{err}"
    );
    // A gated key on a variant whose gate is closed; not when the points open the gate.
    let sweep = |ranges: &[&str], out: &str| {
        let mut args = vec!["sweep"];
        for r in ranges {
            args.extend(["--range", r]);
        }
        args.extend([
            "--variant",
            "self_labels",
            "--trials",
            "64",
            "--no-charts",
            "--out",
            out,
        ]);
        stderr_of(dir.path(), &args)
    };
    // Idle on every variant for reasons of two kinds: each variant named with its own.
    let err = stderr_of(
        dir.path(),
        &[
            "sweep",
            "--range",
            "returns.cod_refusal_rate=0.1:0.3:2",
            "--trials",
            "64",
            "--no-charts",
            "--out",
            "sw_cod",
        ],
    );
    assert!(
        err.contains("warning: sweep: `returns.cod_refusal_rate` has no effect on any variant it runs: `self_labels`, `self_3pl`, `self_fbt`: no order is paid cash on delivery there (`returns.cod_share` is 0), so none can be refused at the door; `managed`: the platform takes the buyer's payment"),
        "{err}"
    );
    let err = sweep(&["inventory.reorder_point=100:300:2"], "sw3");
    assert!(
        err.contains("warning: sweep: `inventory.reorder_point` has no effect on any variant it runs: it holds no stock (`inventory.enabled` is off)"),
        "{err}"
    );
    let err = sweep(
        &[
            "inventory.enabled=0:1:2",
            "inventory.reorder_point=100:300:2",
        ],
        "sw4",
    );
    assert!(!err.contains("warning: sweep:"), "{err}");
}

/// The small study with variant `a` on route `route_a` and variant `b` self-operated on
/// route `route_b`, each with `extra` lines, and `base` lines in `[base]`.
fn route_study(base: &str, route_a: &str, a: &str, route_b: &str, b: &str) -> String {
    let text = study(base, a, "").replacen(
        "loop = \"semi_closed\"\n",
        &format!("route = \"{route_a}\"\n"),
        1,
    );
    text.replacen(
        "model = \"fully_managed\"\nloop = \"full_closed\"\n",
        &format!("model = \"self_operated\"\nroute = \"{route_b}\"\n{b}"),
        1,
    )
}

#[test]
fn a_key_set_on_a_route_or_freight_mode_where_it_cannot_act_is_warned_at_its_line() {
    let dir = TempDir::new().unwrap();
    let text = route_study(
        "",
        "direct_mail",
        "tax.entry_fee_per_parcel = 1\nlogistics.late_dispatch_rate = 0.05\n",
        "fbt",
        "freight = \"air\"\ntax.entry_fee_per_parcel = 2\ntax.harbor_fee_rate = 0.001\nlogistics.late_dispatch_rate = 0.06\n",
    );
    common::write(dir.path(), "s.toml", &text);
    let run = shopsim_in(dir.path())
        .args(["run", "s.toml", "--no-charts", "--out", "out"])
        .assert()
        .success();
    let err = run.stderr_text();
    let fee = line_of(&text, "tax.entry_fee_per_parcel = 2");
    let harbor = line_of(&text, "tax.harbor_fee_rate");
    let late = line_of(&text, "logistics.late_dispatch_rate = 0.06");
    for expected in [
        format!("warning: s.toml:{fee}: variant `b`: key `tax.entry_fee_per_parcel` has no effect on route `fbt`: the route imports your stock in bulk"),
        "customs on its own; remove it, or set it on a variant of route `direct_mail` or `platform_shipping`".to_string(),
        format!("warning: s.toml:{harbor}: variant `b`: key `tax.harbor_fee_rate` has no effect on freight `air`: the harbour maintenance fee is charged on goods that arrive by ship"),
        "remove it, or set it on a variant of route `overseas_3pl` or `fbt` with freight `sea`".to_string(),
        format!("warning: s.toml:{late}: variant `b`: key `logistics.late_dispatch_rate` has no effect on route `fbt`: the platform dispatches the orders"),
        "remove it, or set it on a variant of route `direct_mail`, `overseas_3pl` or `platform_shipping`".to_string(),
    ] {
        assert!(err.contains(&expected), "{expected}\n{err}");
    }
    // Each once; the direct-mail variant's are said nothing of.
    assert_eq!(err.matches("has no effect").count(), 3, "{err}");
    assert!(dir.path().join("out/small/summary.csv").exists());
    // A `--params` row naming the FBT variant.
    common::write(
        dir.path(),
        "t.toml",
        &route_study("", "direct_mail", "", "fbt", ""),
    );
    common::write(
        dir.path(),
        "p.csv",
        "key,value,variant\ntax.entry_fee_per_parcel,2,a\ntax.entry_fee_per_parcel,2,b\n",
    );
    let err = stderr_of(dir.path(), &["check", "t.toml", "--params", "p.csv"]);
    assert!(
        err.contains("warning: p.csv:3: key `tax.entry_fee_per_parcel` has no effect on variant `b` of study `small` (t.toml): it is on route `fbt`, and the route imports"),
        "{err}"
    );
    assert!(
        err.contains("remove the row, or name a variant of route `direct_mail` or `platform_shipping` in its `variant` column"),
        "{err}"
    );
    assert_eq!(err.matches("has no effect").count(), 1, "{err}");
}

#[test]
fn a_base_key_no_variant_route_can_use_is_warned_and_one_a_route_can_use_is_not() {
    let dir = TempDir::new().unwrap();
    let base = "tax.entry_fee_per_parcel = 1\nlogistics.late_dispatch_rate = 0.05\n";
    // Direct mail pays the entry fee; the 3PL dispatches late or not: nothing to say.
    let used = route_study(base, "direct_mail", "", "fbt", "");
    common::write(dir.path(), "used.toml", &used);
    shopsim_in(dir.path())
        .args(["check", "used.toml"])
        .assert()
        .success()
        .stderr(predicate::str::contains("has no effect").not());
    // Both import in bulk: no parcel pays an entry fee; the 3PL's dispatch is the shop's.
    let bulk = route_study(base, "overseas_3pl", "", "fbt", "");
    common::write(dir.path(), "bulk.toml", &bulk);
    let line = line_of(&bulk, "tax.entry_fee_per_parcel");
    let err = stderr_of(dir.path(), &["check", "bulk.toml"]);
    assert!(
        err.contains(&format!("warning: bulk.toml:{line}: [base]: key `tax.entry_fee_per_parcel` has no effect on any variant of the study: every variant is on route `fbt` or `overseas_3pl`, and the route imports your stock in bulk")),
        "{err}"
    );
    assert!(
        err.contains(
            "; remove it, or add a variant of route `direct_mail` or `platform_shipping` it is for"
        ),
        "{err}"
    );
    assert_eq!(err.matches("has no effect").count(), 1, "{err}");
    // An FBT variant and a fully managed one: each its own reason.
    let mixed = study(base, "", "").replacen("loop = \"semi_closed\"", "route = \"fbt\"", 1);
    common::write(dir.path(), "mixed.toml", &mixed);
    let line = line_of(&mixed, "logistics.late_dispatch_rate");
    let err = stderr_of(dir.path(), &["check", "mixed.toml"]);
    assert!(
        err.contains(&format!("warning: mixed.toml:{line}: [base]: key `logistics.late_dispatch_rate` has no effect on any variant of the study: every variant is on route `fbt` or is fully managed: the platform dispatches the orders from its warehouse")),
        "{err}"
    );
    assert_eq!(err.matches("has no effect").count(), 2, "{err}");
}

/// The built-in study's variants where `gated`'s gate is closed (its final value fixed at
/// the closed one) and its model and route let it act.
fn variants_with_closed_gate(gated: &model_only::Gated) -> Vec<String> {
    variants_it_could_act_on(gated, |v| {
        model_only::is_closed(gated, Some(v.params().dist(gated.gate).support().1))
    })
}

/// The built-in study's variants whose model and route let `gated` act and that pass
/// `keep`.
fn variants_it_could_act_on(
    gated: &model_only::Gated,
    keep: impl Fn(&shopsim::sim::VariantSpec) -> bool,
) -> Vec<String> {
    let s = scenario::parse(BUILT_IN, BUILT_IN_NAME, None).unwrap();
    s.spec()
        .variants()
        .iter()
        .filter(|v| keep(v) && model_only::cannot_act_on(gated.param, &v.setting()).is_none())
        .map(|v| v.name().to_string())
        .collect()
}

/// Each key declared gated, set on the built-in study's variants where its gate is closed
/// (no cash on delivery in the US; no stock on platform labels), changes none of the
/// study's outputs: a fixed value, another, and a draw across both. Where the built-in
/// study leaves the gate open on every variant the key could act on (a fully managed
/// product holds stock), a row closes it there (0 closes every gate).
#[test]
fn a_gated_key_changes_nothing_where_its_gate_is_closed() {
    let mut checked = 0;
    for g in model_only::gated() {
        let mut variants = variants_with_closed_gate(g);
        let closed_by_a_row = variants.is_empty();
        if closed_by_a_row {
            variants = variants_it_could_act_on(g, |_| true);
            assert!(model_only::is_closed(g, Some(0.0)), "{}", g.gate.key());
        }
        assert!(!variants.is_empty(), "{}", g.param.key());
        let run = |value: &str| {
            let mut rows: Vec<(P, &str, &str)> = variants
                .iter()
                .map(|v| (g.param, value, v.as_str()))
                .collect();
            if closed_by_a_row {
                rows.extend(variants.iter().map(|v| (g.gate, "0", v.as_str())));
            }
            run_rows(BUILT_IN, &rows)
        };
        let (lo, hi) = two_values(g.param);
        let at_lo = run(&lo.to_string());
        for value in [hi.to_string(), format!("uniform({lo}, {hi})")] {
            assert!(
                run(&value) == at_lo,
                "{} = {value} changed a result of {variants:?}, where `{}` is below {}",
                g.param.key(),
                g.gate.key(),
                g.open_from
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 17);
}

/// The comparison above can fail: with the gate opened on the same variants (a row
/// setting it), the same change shows.
#[test]
fn the_same_change_shows_once_the_gate_is_open() {
    for (p, gate, open) in [
        (P::CodRefusalRate, P::CodShare, "0.5"),
        (P::CodShare, P::CodRefusalRate, "0.2"),
        (P::InitialStock, P::InventoryEnabled, "1"),
        (P::StorageCostPerUnitDay, P::InventoryEnabled, "1"),
    ] {
        let g = model_only::gated().find(|g| g.param == p).unwrap();
        assert_eq!(g.gate, gate);
        let variants = variants_with_closed_gate(g);
        let run = |value: f64| {
            let mut csv = String::from("key,value,variant\n");
            for v in &variants {
                csv.push_str(&format!("{},{open},{v}\n", gate.key()));
                csv.push_str(&format!("{},{value},{v}\n", p.key()));
            }
            let o = Overrides::parse(&csv, "p.csv").unwrap();
            let mut s = scenario::parse(BUILT_IN, BUILT_IN_NAME, Some(&o)).unwrap();
            s.override_run(Some(TRIALS), None).unwrap();
            bits(&study::run(s.spec(), DrawMethod::PerDay, &|_| {}))
        };
        let (lo, hi) = two_values(p);
        assert!(run(lo) != run(hi), "{}", p.key());
    }
}

#[test]
fn a_gated_key_is_warned_where_it_is_set_and_only_where_no_variant_it_reaches_can_use_it() {
    let dir = TempDir::new().unwrap();
    // Variant `a` ships on platform labels without stock, `b` is on FBT with stock; the
    // study is in the US, where no order is paid on delivery.
    let text = route_study(
        "returns.cod_refusal_rate = 0.2\ninventory.lead_time_days = 20\n",
        "platform_shipping",
        "inventory.reorder_point = 500\ntax.broker_fee_per_entry = 30\n",
        "fbt",
        "inventory.order_up_to = 2000\n",
    );
    common::write(dir.path(), "s.toml", &text);
    let err = stderr_of(dir.path(), &["check", "s.toml"]);
    let refusal = line_of(&text, "returns.cod_refusal_rate");
    let reorder = line_of(&text, "inventory.reorder_point");
    let broker = line_of(&text, "tax.broker_fee_per_entry");
    for expected in [
        format!("warning: s.toml:{refusal}: [base]: key `returns.cod_refusal_rate` has no effect on any variant it applies to: `a`, `b`: no order is paid cash on delivery there (`returns.cod_share` is 0), so none can be refused at the door; set `returns.cod_share` above 0 too, or remove it"),
        format!("warning: s.toml:{reorder}: key `inventory.reorder_point` has no effect on variant `a`: it holds no stock (`inventory.enabled` is off)"),
        // A parcel route: a batch's entry costs are idle there by the route, stock or not.
        format!("warning: s.toml:{broker}: variant `a`: key `tax.broker_fee_per_entry` has no effect on route `platform_shipping`: the route imports no stock in bulk"),
        "set `inventory.enabled = 1` too, or remove it".to_string(),
    ] {
        assert!(err.contains(&expected), "{expected}\n{err}");
    }
    // The lead time in `[base]` acts on `b`, the order-up-to level on `b`'s own stock.
    assert_eq!(err.matches("has no effect").count(), 3, "{err}");
    // The study's own catalog passed back sets nothing new: the same warnings, at the
    // scenario's lines.
    let exported = shopsim_in(dir.path())
        .args(["params", "s.toml"])
        .assert()
        .success()
        .stdout_text();
    common::write(dir.path(), "all.csv", &exported);
    let again = stderr_of(dir.path(), &["check", "s.toml", "--params", "all.csv"]);
    let warnings = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.contains("has no effect"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(warnings(&again), warnings(&err), "{again}");
    // A correlation pair with the idle refusal rate: warned at its line.
    let paired =
        format!("{text}[correlations]\n\"returns.cod_refusal_rate,costs.unit_cost\" = 0.5\n")
            .replace(
                "returns.cod_refusal_rate = 0.2\n",
                "returns.cod_refusal_rate = \"0.1..0.3\"\ncosts.unit_cost = \"4..6\"\n",
            );
    common::write(dir.path(), "k.toml", &paired);
    let err = stderr_of(dir.path(), &["check", "k.toml"]);
    let line = line_of(&paired, "\"returns.cod_refusal_rate,costs.unit_cost\"");
    assert!(
        err.contains(&format!("warning: k.toml:{line}: correlation `returns.cod_refusal_rate,costs.unit_cost`: `returns.cod_refusal_rate` has no effect on the variants it applies to: `a`, `b`: no order is paid cash on delivery there")),
        "{err}"
    );
    // A `[base]` key idle on one variant by its gate (a 3PL holding no stock) and on the
    // other by its freight: both named, each with its reason.
    let mixed = route_study(
        "tax.harbor_fee_rate = 0.001\n",
        "overseas_3pl",
        "inventory.enabled = 0\n",
        "fbt",
        "freight = \"air\"\n",
    );
    common::write(dir.path(), "h.toml", &mixed);
    let err = stderr_of(dir.path(), &["check", "h.toml"]);
    assert!(
        err.contains("key `tax.harbor_fee_rate` has no effect on any variant it applies to: `a`: it holds no stock"),
        "{err}"
    );
    assert!(
        err.contains("; `b`: it has freight `air`, and the harbour maintenance fee"),
        "{err}"
    );
    // Opened in the variant's table, the stock keys act: nothing to say of them; the
    // batch's entry cost stays idle on a parcel route, stock or not.
    let opened = text.replace(
        "inventory.reorder_point = 500\n",
        "inventory.reorder_point = 500\ninventory.enabled = 1\n",
    );
    common::write(dir.path(), "o.toml", &opened);
    let err = stderr_of(dir.path(), &["check", "o.toml"]);
    assert_eq!(err.matches("has no effect").count(), 2, "{err}");
    assert!(
        !err.contains("`inventory.reorder_point` has no effect"),
        "{err}"
    );
    assert!(
        err.contains("key `tax.broker_fee_per_entry` has no effect on route `platform_shipping`"),
        "{err}"
    );
    // A `--params` row: warned at its line when it changes a value; one that sets the
    // value the variant has anyway is not.
    common::write(
        dir.path(),
        "t.toml",
        &route_study("", "platform_shipping", "", "fbt", ""),
    );
    let default = shopsim_in(dir.path())
        .args(["params", "t.toml"])
        .assert()
        .success()
        .stdout_text()
        .lines()
        .find(|l| l.starts_with("a,inventory.initial,"))
        .unwrap()
        .split(',')
        .nth(2)
        .unwrap()
        .to_string();
    common::write(
        dir.path(),
        "p.csv",
        &format!("key,value,variant\ninventory.initial,{default},a\n"),
    );
    let err = stderr_of(dir.path(), &["check", "t.toml", "--params", "p.csv"]);
    assert_eq!(err.matches("has no effect").count(), 0, "{err}");
    common::write(
        dir.path(),
        "q.csv",
        "key,value,variant\nreturns.cod_share,0,b\ninventory.initial,900,a\n",
    );
    let err = stderr_of(dir.path(), &["check", "t.toml", "--params", "q.csv"]);
    assert!(
        err.contains("warning: q.csv:3: key `inventory.initial` has no effect on variant `a`: it holds no stock"),
        "{err}"
    );
    assert_eq!(err.matches("has no effect").count(), 1, "{err}");
}

/// The late-dispatch rate counts and costs only where a late-dispatch rule is in force
/// (the US): in Thailand it changes nothing, and setting it is warned at its line.
#[test]
fn a_late_dispatch_rate_in_a_market_without_the_rule_changes_nothing_and_is_warned() {
    let thai = BUILT_IN.replacen("[base]\nmarket = \"us\"\n", "[base]\nmarket = \"th\"\n", 1);
    assert_ne!(thai, BUILT_IN);
    let merchant = variants_where(&thai, |s| {
        s.model == Model::SelfOperated && s.route != Route::Fbt
    });
    assert!(!merchant.is_empty());
    let p = P::LateDispatchRate;
    let (lo, hi) = two_values(p);
    let at_lo = run_in(&thai, p, &lo.to_string(), &merchant);
    assert!(run_in(&thai, p, &hi.to_string(), &merchant) == at_lo);
    // In the US the same change shows.
    assert!(run_with(p, &lo.to_string(), &merchant) != run_with(p, &hi.to_string(), &merchant));

    let dir = TempDir::new().unwrap();
    let text = route_study(
        "",
        "direct_mail",
        "logistics.late_dispatch_rate = 0.05\n",
        "fbt",
        "",
    );
    common::write(dir.path(), "us.toml", &text);
    let err = stderr_of(dir.path(), &["check", "us.toml"]);
    assert_eq!(err.matches("has no effect").count(), 0, "{err}");
    let th = text.replacen("market = \"us\"", "market = \"th\"", 1);
    assert_ne!(th, text);
    common::write(dir.path(), "th.toml", &th);
    let err = stderr_of(dir.path(), &["check", "th.toml"]);
    let line = line_of(&th, "logistics.late_dispatch_rate");
    assert!(
        err.contains(&format!("warning: th.toml:{line}: key `logistics.late_dispatch_rate` has no effect on variant `a`: no late-dispatch rule of the platform is in force in market `th`")),
        "{err}"
    );
    assert_eq!(err.matches("has no effect").count(), 1, "{err}");
    // A sweep of it there: every point gives the same results, said before the work.
    let sweep = |file: &str, out: &str| {
        let args = [
            "sweep",
            file,
            "--range",
            "logistics.late_dispatch_rate=0:0.5:3",
        ];
        let rest = [
            "--variant",
            "a",
            "--trials",
            "64",
            "--no-charts",
            "--out",
            out,
        ];
        stderr_of(dir.path(), &[&args[..], &rest[..]].concat())
    };
    assert!(
        sweep("th.toml", "sw_th").contains("warning: sweep: `logistics.late_dispatch_rate` has no effect on any variant it runs: no late-dispatch rule"),
        "th"
    );
    assert!(!sweep("us.toml", "sw_us").contains("warning: sweep:"), "us");
}

#[test]
fn a_gated_key_set_in_a_world_names_the_world() {
    // A world sets a refusal rate where no order is paid on delivery: the warning names
    // the table it was set in, as the warning about a key no variant's model can use
    // does, and the cells it reaches.
    let dir = TempDir::new().unwrap();
    let text = "name = \"worlds\"\ntrials = 50\nhorizon_days = 20\nseed = 3\n[base]\nmarket = \"us\"\n\
[[world]]\nname = \"low\"\nreturns.cod_refusal_rate = 0.2\n[[world]]\nname = \"high\"\nreturns.liability = 0.9\n\
[[variant]]\nname = \"a\"\nmodel = \"self_operated\"\nroute = \"overseas_3pl\"\n\
[[variant]]\nname = \"b\"\nmodel = \"self_operated\"\nroute = \"fbt\"\n";
    common::write(dir.path(), "w.toml", text);
    let err = stderr_of(dir.path(), &["check", "w.toml"]);
    for expected in [
        "warning: w.toml:9: world `low`: key `returns.cod_refusal_rate` has no effect on any variant it applies to: `a@low`, `b@low`: no order is paid cash on delivery",
        "warning: w.toml:12: world `high`: key `returns.liability` has no effect on any variant of the study",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
}
