//! A hostile user's inputs against every command (issue 21): names from files never reach a
//! path outside `--out`, `--force` never deletes an input, and what cannot act is said.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use tempfile::TempDir;

use crate::common::{run_study, shopsim, shopsim_in, write};

/// Every file under `dir` with its bytes (to show what a command changed).
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let meta = fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), fs::read(&p).unwrap_or_default());
            }
        }
    }
    out
}

/// The paths that appeared or changed between two [`tree`]s.
fn changed(
    before: &BTreeMap<PathBuf, Vec<u8>>,
    after: &BTreeMap<PathBuf, Vec<u8>>,
) -> Vec<PathBuf> {
    after
        .iter()
        .filter(|(p, bytes)| before.get(*p) != Some(bytes))
        .map(|(p, _)| p.clone())
        .chain(before.keys().filter(|p| !after.contains_key(*p)).cloned())
        .collect()
}

/// A two-variant study whose variant names are `a` and `b`, and events as given.
fn study(name: &str, a: &str, b: &str, events: &str) -> String {
    format!(
        r#"name = "{name}"
trials = 40
horizon_days = 20
seed = 5
[base]
market = "us"
category = "beauty"
{events}
[[variant]]
name = "{a}"
model = "self_operated"
loop = "semi_closed"
[[variant]]
name = "{b}"
model = "fully_managed"
loop = "full_closed"
"#
    )
}

const PEAK: &str = "[[events]]\nname = \"peak\"\nstart_day = 5\nend_day = 8\ndemand_multiplier = 2";

#[test]
fn names_that_are_paths_are_refused_with_their_line() {
    let dir = TempDir::new().unwrap();
    for (a, event, why) in [
        ("../../../../victim", "peak", "holds `/`"),
        ("charts/sub", "peak", "holds `/`"),
        ("a\\\\b", "peak", "holds `/` or `\\`"),
        ("x..y", "peak", "holds `..`"),
        ("CON", "peak", "device name"),
        ("ok", "../peak", "holds `/`"),
        ("ok", "nul", "device name"),
    ] {
        let events = PEAK.replace("\"peak\"", &format!("\"{event}\""));
        let file = write(dir.path(), "s.toml", &study("s", a, "b", &events));
        // `check` refuses what `sensitivity` would have written outside --out.
        for command in ["check", "sensitivity"] {
            let mut c = shopsim();
            c.current_dir(dir.path()).arg(command).arg(&file);
            if command == "sensitivity" {
                c.args(["--out", "out", "--trials", "8", "--sobol", "0"]);
            }
            c.assert()
                .code(2)
                .stderr(predicate::str::contains(why).and(predicate::str::contains("key `name`")));
        }
        assert!(
            !dir.path().join("out").exists(),
            "{a} / {event}: wrote output"
        );
    }
    // The line of the bad name is named.
    let file = write(dir.path(), "s.toml", &study("s", "../x", "b", PEAK));
    shopsim()
        .arg("check")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("s.toml:14: variant: key `name`"));
}

#[test]
fn every_command_writes_only_inside_its_out_folder() {
    let root = TempDir::new().unwrap();
    let work = root.path().join("work");
    fs::create_dir(&work).unwrap();
    // Names as odd as the rules allow: spaces, brackets, a percent sign, a dot first.
    let (a, b) = ("FBT (US) - 25% duty", ".managed");
    let text = study("odd", a, b, PEAK);
    write(&work, "odd.toml", &text);
    write(
        &work,
        "grid.csv",
        &format!("name,variant,price.retail\ncheap one,{a},15\ndear,,40\n"),
    );
    write(&work, "swings.csv", "key,low,high\nprice.retail,10,30\n");
    let before = tree(root.path());
    let scratch = root.path().join("tmp");
    fs::create_dir(&scratch).unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["check", "odd.toml"],
        vec![
            "run",
            "odd.toml",
            "--out",
            "out/run",
            "--chart-format",
            "both",
            "--write-trials",
        ],
        vec![
            "run",
            "odd.toml",
            "--out",
            "out/parts",
            "--shard",
            "1/1",
            "--write-trials",
        ],
        vec!["merge", "out/parts/odd.shard-1-of-1", "--out", "out/merged"],
        vec![
            "compare",
            "out/run/odd",
            "out/merged/odd",
            "--out",
            "out/compare",
        ],
        vec!["params", "odd.toml"],
        vec![
            "sweep",
            "odd.toml",
            "--grid",
            "grid.csv",
            "--out",
            "out/sweep",
            "--chart-format",
            "both",
        ],
        vec![
            "threshold",
            "odd.toml",
            "--param",
            "price.retail",
            "--between",
            "10",
            "60",
            "--a",
            a,
            "--b",
            b,
            "--out",
            "out/threshold",
            "--trials",
            "40",
        ],
        vec![
            "sensitivity",
            "odd.toml",
            "--swings",
            "swings.csv",
            "--sobol",
            "50",
            "--trials",
            "16",
            "--out",
            "out/sens",
            "--chart-format",
            "both",
        ],
        vec![
            "sensitivity",
            "odd.toml",
            "--a",
            a,
            "--b",
            b,
            "--sobol",
            "0",
            "--trials",
            "16",
            "--out",
            "out/sens-ab",
        ],
        vec!["bench", "--trials", "64", "--study-only"],
    ];
    for args in &commands {
        shopsim()
            .current_dir(&work)
            .env("TMPDIR", &scratch)
            .args(args)
            .assert()
            .success();
    }
    let after = tree(root.path());
    let outside: Vec<PathBuf> = changed(&before, &after)
        .into_iter()
        .filter(|p| !p.starts_with(work.join("out")))
        .collect();
    assert!(outside.is_empty(), "written outside --out: {outside:?}");
    // The tornado of the odd variant is where it belongs.
    let charts = work.join("out/sens/odd-sensitivity/charts");
    assert!(charts.join("tornado_FBT (US)-25% duty.svg").is_file());
    assert!(charts.join(format!("tornado_{b}.png")).is_file());
    // The bench's scratch folder is gone.
    assert_eq!(fs::read_dir(&scratch).unwrap().count(), 0);
}

/// `--force` on a folder that holds the command's own inputs is refused, and they stay.
#[test]
fn force_never_deletes_an_input() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let result = out.join("s");
    fs::create_dir_all(&result).unwrap();
    let scenario = write(&result, "s.toml", &study("s", "a", "b", PEAK));
    let params = write(&result, "p.csv", "key,value\nprice.retail,20\n");
    fs::create_dir_all(out.join("s-sweep")).unwrap();
    let grid = write(&out.join("s-sweep"), "g.csv", "price.retail\n10\n20\n");
    fs::create_dir_all(out.join("s-sensitivity")).unwrap();
    let swings = write(
        &out.join("s-sensitivity"),
        "w.csv",
        "key,low,high\nprice.retail,10,30\n",
    );
    fs::create_dir_all(out.join("s.shard-1-of-1")).unwrap();
    let shard_params = write(
        &out.join("s.shard-1-of-1"),
        "p.csv",
        "key,value\nprice.retail,20\n",
    );
    fs::create_dir_all(out.join("s-threshold")).unwrap();
    let threshold_params = write(
        &out.join("s-threshold"),
        "p.csv",
        "key,value\nprice.retail,20\n",
    );
    let before = tree(dir.path());
    let refused = |args: &[&std::ffi::OsStr], what: &str| {
        shopsim()
            .args(args)
            .args(["--out".as_ref(), out.as_os_str(), "--force".as_ref()])
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains(what)
                    .and(predicate::str::contains("refused even with --force")),
            );
    };
    let run: &std::ffi::OsStr = "run".as_ref();
    refused(&[run, scenario.as_os_str()], "contains the scenario");
    let other = write(dir.path(), "s.toml", &study("s", "a", "b", PEAK));
    refused(
        &[
            run,
            other.as_os_str(),
            "--params".as_ref(),
            params.as_os_str(),
        ],
        "contains the --params CSV",
    );
    refused(
        &[
            run,
            other.as_os_str(),
            "--shard".as_ref(),
            "1/1".as_ref(),
            "--params".as_ref(),
            shard_params.as_os_str(),
        ],
        "contains the --params CSV",
    );
    refused(
        &[
            "sweep".as_ref(),
            other.as_os_str(),
            "--grid".as_ref(),
            grid.as_os_str(),
        ],
        "contains the grid",
    );
    refused(
        &[
            "threshold".as_ref(),
            other.as_os_str(),
            "--param".as_ref(),
            "price.retail".as_ref(),
            "--between".as_ref(),
            "10".as_ref(),
            "30".as_ref(),
            "--a".as_ref(),
            "a".as_ref(),
            "--b".as_ref(),
            "b".as_ref(),
            "--params".as_ref(),
            threshold_params.as_os_str(),
        ],
        "the --params CSV",
    );
    refused(
        &[
            "sensitivity".as_ref(),
            other.as_os_str(),
            "--swings".as_ref(),
            swings.as_os_str(),
        ],
        "contains the --swings CSV",
    );
    let mut after = tree(dir.path());
    after.remove(&other);
    assert!(changed(&before, &after).is_empty(), "an input was changed");

    // Merge: an --out whose study folder holds the parts, or that lies inside a part.
    let parts = dir.path().join("parts");
    shopsim()
        .args([
            "run".as_ref(),
            other.as_os_str(),
            "--shard".as_ref(),
            "1/1".as_ref(),
            "--no-charts".as_ref(),
            "--out".as_ref(),
            parts.join("s").as_os_str(),
        ])
        .assert()
        .success();
    let part = parts.join("s/s.shard-1-of-1");
    let before = tree(&parts);
    for out in [parts.clone(), part.clone()] {
        shopsim()
            .arg("merge")
            .arg(&part)
            .arg("--out")
            .arg(&out)
            .arg("--force")
            .assert()
            .code(2)
            .stderr(predicate::str::contains("the part"));
    }
    assert_eq!(tree(&parts), before, "merge changed a part");
}

/// Demand inside every parameter's bounds can still multiply past what the counts hold
/// (overlapping ×100 events over a million orders a day): the run is refused naming the
/// variant and the day, where it used to saturate and then report 0 orders. At the bound
/// itself (10^9 expected orders a day) it runs.
#[test]
fn demand_beyond_the_counts_bounds_is_refused_with_its_day() {
    let dir = TempDir::new().unwrap();
    let text = |second: u32| {
        format!(
            r#"name = "ov"
trials = 20
horizon_days = 10
seed = 1
[base]
market = "us"
category = "beauty"
demand.managed_orders_per_day = 1e6
demand.orders_per_account_day = 1e5
demand.daily_cv = 0
demand.viral_rate = 0
demand.ramp_days = 0
demand.freshness_half_life_days = 0
[[events]]
name = "one"
start_day = 5
end_day = 6
demand_multiplier = 100
[[events]]
name = "two"
start_day = 6
end_day = 7
demand_multiplier = {second}
[[variant]]
name = "managed"
model = "fully_managed"
loop = "full_closed"
[[variant]]
name = "self"
model = "self_operated"
route = "fbt"
"#
        )
    };
    // 10^6 × 100 × 10 = 10^9 on day 6: the most allowed.
    let file = write(dir.path(), "ok.toml", &text(10));
    run_study(&file, &dir.path().join("out")).assert().success();
    // 10^6 × 100 × 100 on day 6.
    let file = write(dir.path(), "over.toml", &text(100));
    run_study(&file, &dir.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "variant `managed`: on day 6 of trial 1 the expected orders exceed 1,000,000,000 a day",
        ));
    assert!(
        !dir.path().join("out/ov/summary.csv").exists() || {
            // The first run's folder is still the first run's.
            fs::read_to_string(dir.path().join("out/ov/run.json"))
                .unwrap()
                .contains("ok.toml")
        }
    );
}

/// An event limited to markets no variant sells in changes nothing: said, not silent.
#[test]
fn an_event_that_touches_no_variant_is_warned_about() {
    let dir = TempDir::new().unwrap();
    let events = format!("{PEAK}\nmarkets = [\"uk\", \"th\"]");
    write(dir.path(), "s.toml", &study("s", "a", "b", &events));
    for command in ["check", "run"] {
        shopsim_in(dir.path())
            .args([command, "s.toml"])
            .args(if command == "run" { &["--no-charts", "--out", "out"][..] } else { &[] })
            .assert()
            .success()
            .stderr(predicate::str::contains(
                "s.toml:8: event `peak` applies to markets uk, th and no variant sells there (us): it changes nothing",
            ));
    }
}

/// Every size a user can ask for is checked before work starts: no panic, no abort, no
/// hidden partial folder; flags that cannot act are refused.
#[test]
fn sizes_and_flags_that_cannot_act_are_refused_before_work() {
    let dir = TempDir::new().unwrap();
    let refused =
        |args: &[&str], says: &str| {
            shopsim_in(dir.path()).args(args).assert().code(2).stderr(
                predicate::str::contains(says).and(predicate::str::contains("panicked").not()),
            );
        };
    refused(
        &[
            "sensitivity",
            "--sobol",
            "18446744073709551615",
            "--out",
            "o",
        ],
        "more than the 50,000",
    );
    refused(
        &["sensitivity", "--sobol", "100000000", "--out", "o"],
        "more than the 50,000",
    );
    refused(&["sensitivity", "--sobol", "1", "--out", "o"], "too few");
    refused(
        &["bench", "--threads", "100000"],
        "of memory on 100000 threads",
    );
    refused(
        &[
            "sweep",
            "--range",
            "demand.channel_accounts=1:2:5",
            "--out",
            "o",
        ],
        "5 steps from 1 to 2 round to 2 distinct values (1, 2)",
    );
    refused(
        &[
            "sweep",
            "--range",
            "price.retail=1:2:50000000000",
            "--out",
            "o",
        ],
        "at most 10000 points",
    );
    refused(
        &["run", "--max-trials", "5000", "--out", "o"],
        "--precision",
    );
    refused(
        &["run", "--precision-prob", "0.05", "--out", "o"],
        "--precision",
    );
    refused(
        &[
            "run",
            "--precision",
            "0.01",
            "--max-trials",
            "2000000000",
            "--out",
            "o",
        ],
        "--max-trials",
    );
    // Nothing was written, not even a hidden folder.
    assert!(!dir.path().join("o").exists());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// A grid point's name is a name like any other: a terminal escape or a path is refused
/// at its line, never printed raw.
#[test]
fn grid_point_names_follow_the_name_rules() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "g.csv",
        "name,price.retail\n\"a\u{1b}[2Jb\",10\n../x,20\nfine one,30\n",
    );
    shopsim_in(dir.path())
        .args(["sweep", "--grid", "g.csv", "--out", "o", "--trials", "8"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("g.csv:2: column 1 (`name`): `a\\u{1b}[2Jb` cannot be used")
                .and(predicate::str::contains(
                    "g.csv:3: column 1 (`name`): `../x` cannot be used",
                ))
                .and(predicate::str::contains("\u{1b}").not()),
        );
    assert!(!dir.path().join("o").exists());
}

/// A `--swing` that cannot act (an unknown event, an on/off switch) is refused, not
/// dropped from the tornado.
#[test]
fn swings_that_cannot_act_are_refused() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "s.toml", &study("s", "a", "b", PEAK));
    for (swing, says) in [
        (
            "event.peek.demand_multiplier=1..3",
            "the study has no event `peek` (did you mean `peak`?)",
        ),
        ("inventory.enabled=0..1", "it is an on/off switch"),
        // Said before the interval's whole numbers are counted.
        ("inventory.enabled=0.2..0.8", "it is an on/off switch"),
    ] {
        shopsim_in(dir.path())
            .args([
                "sensitivity",
                "s.toml",
                "--swing",
                swing,
                "--sobol",
                "0",
                "--trials",
                "8",
                "--out",
                "o",
            ])
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains(format!("swing {}", swing.split('=').next().unwrap()))
                    .and(predicate::str::contains(says)),
            );
    }
    assert!(!dir.path().join("o").exists());
}

/// Errors that pointed wrong: a dangling link as `--out` said "File exists"; a tiny
/// `--between` printed hundreds of digits.
#[test]
fn errors_say_what_is_wrong_in_a_readable_way() {
    let dir = TempDir::new().unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("dangling"))
            .unwrap();
        shopsim_in(dir.path())
            .args(["run", "--trials", "8", "--no-charts", "--out", "dangling"])
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains("'dangling': it is a symbolic link to")
                    .and(predicate::str::contains("which does not exist")),
            );
    }
    let out = shopsim_in(dir.path())
        .args([
            "threshold",
            "--param",
            "price.retail",
            "--between",
            "1e-300",
            "50",
            "--a",
            "self_fbt",
            "--b",
            "managed",
            "--trials",
            "8",
            "--out",
            "o",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--between 1e-300 50: key `price.retail`: value 1e-300 is outside",
        ));
    assert!(out.get_output().stderr.len() < 400);
}

/// An endless or huge input (here `/dev/zero`) is refused at once, not read into memory.
#[cfg(unix)]
#[test]
fn endless_inputs_are_refused_before_they_fill_the_memory() {
    for args in [
        vec!["run", "/dev/zero", "--out", "o"],
        vec!["sweep", "--grid", "/dev/zero", "--out", "o"],
        vec!["run", "--params", "/dev/zero", "--out", "o"],
    ] {
        shopsim()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("is larger than 64 MB"));
    }
}

/// Where a CSV leaves a cell empty (one trial has no interval and no rank correlation),
/// the terminal says "n/a", never "NaN".
#[test]
fn undefined_figures_read_n_a_in_the_terminal() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "s.toml", &study("s", "a", "b", ""));
    let sensitivity = shopsim_in(dir.path())
        .args(["sensitivity", "s.toml", "--trials", "1", "--sobol", "0"])
        .args(["--out", "sens"])
        .assert()
        .success();
    let said = String::from_utf8_lossy(&sensitivity.get_output().stdout).to_string();
    assert!(said.contains("rank correlation n/a"), "{said}");
    assert!(!said.contains("NaN"), "{said}");
    for seed in ["1", "2"] {
        shopsim_in(dir.path())
            .args(["run", "s.toml", "--trials", "1", "--seed", seed])
            .args(["--out", &format!("r{seed}")])
            .assert()
            .success();
    }
    let compared = shopsim_in(dir.path())
        .args(["compare", "r1/s", "r2/s", "--out", "c"])
        .assert()
        .success();
    let said = String::from_utf8_lossy(&compared.get_output().stdout).to_string();
    assert!(said.contains("[n/a, n/a]"), "{said}");
    assert!(!said.contains("NaN"), "{said}");
}

/// A folder name holding a terminal escape is shown escaped, never sent to the terminal.
#[test]
fn an_out_folder_with_an_escape_is_shown_escaped() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "s.toml", &study("s", "a", "b", ""));
    let ran = shopsim_in(dir.path())
        .args(["run", "s.toml", "--trials", "2", "--out", "o\u{1b}[2J"])
        .assert()
        .success();
    let said = String::from_utf8_lossy(&ran.get_output().stdout).to_string();
    assert!(!said.contains('\u{1b}'), "{said:?}");
    assert!(said.contains("o\\u{1b}[2J"), "{said:?}");
}

/// A cell of megabytes is cut in the message, which says how long it was: the terminal
/// is not filled with it.
#[test]
fn a_huge_cell_is_cut_in_its_error() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "s.toml", &study("s", "a", "b", ""));
    let cell = "A".repeat(2_000_000);
    write(
        dir.path(),
        "p.csv",
        &format!("key,value\nprice.retail,{cell}\n"),
    );
    write(dir.path(), "k.csv", &format!("key,value\n{cell},3\n"));
    for csv in ["p.csv", "k.csv"] {
        let refused = shopsim_in(dir.path())
            .args(["run", "s.toml", "--params", csv, "--out", "o"])
            .assert()
            .code(2);
        let said = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
        assert!(said.len() < 1_000, "{} bytes", said.len());
        assert!(said.contains(&format!("{csv}:2")), "{said}");
        assert!(said.contains("(2,000,000 characters in all)"), "{said}");
    }
}

/// An invalid argument holding a terminal escape is not echoed raw, even where clap would
/// colour its message (a terminal; forced here with CLICOLOR_FORCE).
#[test]
fn an_invalid_argument_cannot_drive_the_terminal() {
    let refused = shopsim()
        .env("CLICOLOR_FORCE", "1")
        .args(["run", "--trials", "1\u{1b}[31mred"])
        .assert()
        .code(2);
    let said = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(!said.contains('\u{1b}'), "{said:?}");
    assert!(said.contains("--trials"), "{said:?}");
}
