//! The command line's conventions: shell completions, `--quiet` and `--verbose`, colour
//! (`--color`, `NO_COLOR`), `--open`, `run -` (a scenario on standard input), `init`, the
//! examples in `--help`, thousands separators on the terminal.

use std::fs;
use std::path::{Path, PathBuf};

use clap::{CommandFactory, Parser};
use predicates::prelude::*;
use shopsim::cli::Cli;
use shopsim::formats::rows::SummaryRow;
use tempfile::TempDir;

use crate::common::{self, read_json, repo, shopsim_in, Printed};

/// The built-in study written by `init` into `dir/scenarios/NAME.toml`.
fn init(dir: &Path, name: &str) -> PathBuf {
    shopsim_in(dir).args(["init", name]).assert().success();
    dir.join("scenarios").join(format!("{name}.toml"))
}

/// `shopsim run FILE --trials 100 --no-charts --out out` in `dir`, to add flags to.
fn run_small(dir: &Path, file: &str) -> assert_cmd::Command {
    let mut c = shopsim_in(dir);
    c.args([
        "run",
        file,
        "--trials",
        "100",
        "--no-charts",
        "--out",
        "out",
    ]);
    c
}

/// Every file under `dir`.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

const ESC: char = '\u{1b}';

// --- completions ---------------------------------------------------------------------

#[test]
fn completion_scripts_name_every_subcommand() {
    let names: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    assert!(names.contains(&"init".to_string()) && names.len() >= 12);
    let dir = TempDir::new().unwrap();
    let bash = shopsim_in(dir.path())
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout_text();
    assert!(bash.contains("complete -F _shopsim"), "{bash}");
    // Each subcommand is offered after `shopsim`, and has its own completions.
    let offered = bash
        .lines()
        .find(|l| l.contains("opts=\"-q -v"))
        .expect("the top level's options");
    for n in &names {
        assert!(
            offered
                .split_whitespace()
                .any(|w| w == n || w == format!("{n}\"")),
            "`{n}`"
        );
        assert!(bash.contains(&format!("shopsim,{n})")), "`{n}`");
    }
    // The global flags complete after any subcommand.
    assert!(bash.contains("--quiet") && bash.contains("--color"));
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let script = shopsim_in(dir.path())
            .args(["completions", shell])
            .assert()
            .success()
            .stdout_text();
        assert!(names.iter().all(|n| script.contains(n.as_str())), "{shell}");
    }
    shopsim_in(dir.path())
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

// --- quiet and verbose ---------------------------------------------------------------

#[test]
fn quiet_prints_warnings_only_and_still_writes_everything() {
    let dir = TempDir::new().unwrap();
    init(dir.path(), "q");
    let normal = run_small(dir.path(), "scenarios/q.toml").assert().success();
    let files_normal: Vec<PathBuf> = files_under(&dir.path().join("out/q"))
        .into_iter()
        .map(|p| p.strip_prefix(dir.path()).unwrap().to_path_buf())
        .collect();
    assert!(normal.stdout_text().contains("mean profit"));
    let warnings_normal: Vec<String> = normal
        .stderr_text()
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .map(str::to_string)
        .collect();
    // The built-in study warns about platform labels by invitation: quiet keeps that.
    assert!(!warnings_normal.is_empty());

    let quiet = run_small(dir.path(), "scenarios/q.toml")
        .arg("--quiet")
        .assert()
        .success();
    assert_eq!(quiet.stdout_text(), "");
    let stderr = quiet.stderr_text();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines, warnings_normal, "quiet stderr: {stderr}");
    let files_quiet: Vec<PathBuf> = files_under(&dir.path().join("out/q"))
        .into_iter()
        .map(|p| p.strip_prefix(dir.path()).unwrap().to_path_buf())
        .collect();
    assert_eq!(files_quiet.len(), files_normal.len());

    // A note (a folder's skipped file) is dropped too; a check says nothing; -q is global.
    fs::write(dir.path().join("scenarios/README.txt"), "x").unwrap();
    let check = shopsim_in(dir.path())
        .args(["-q", "check", "scenarios"])
        .assert()
        .success();
    assert_eq!(check.stdout_text(), "");
    assert!(
        !check.stderr_text().contains("note:"),
        "{}",
        check.stderr_text()
    );
    let noted = shopsim_in(dir.path())
        .args(["check", "scenarios"])
        .assert()
        .success();
    assert!(noted.stderr_text().contains("note:"));
    assert!(noted.stdout_text().contains("ok: "));

    // What a command prints as its product is printed still.
    let params = shopsim_in(dir.path())
        .args(["params", "-q"])
        .assert()
        .success()
        .stdout_text();
    assert!(params.starts_with("key,value,"), "{params}");
    // And errors.
    shopsim_in(dir.path())
        .args(["run", "-q", "missing.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("Error: "));
}

#[test]
fn verbose_names_every_file_written_and_the_time_of_each_step() {
    let dir = TempDir::new().unwrap();
    init(dir.path(), "v");
    let done = run_small(dir.path(), "scenarios/v.toml")
        .arg("-v")
        .assert()
        .success();
    let stderr = done.stderr_text();
    let files = files_under(&dir.path().join("out/v"));
    assert!(files.len() >= 5);
    for f in &files {
        let shown = f.strip_prefix(dir.path()).unwrap().display().to_string();
        assert!(
            stderr.contains(&format!("info: wrote {shown} (")),
            "{shown} not listed:\n{stderr}"
        );
    }
    assert!(stderr.contains("info: read 1 scenario in "), "{stderr}");
    assert!(
        stderr.contains("info: simulated `v`: 100 trials × 4 variants × 120 days, seed 20261127"),
        "{stderr}"
    );
    assert!(stderr.contains("info: finished in "), "{stderr}");
    // The answer on standard output is the same as without -v.
    assert!(done.stdout_text().contains("mean profit"));
    // Not both.
    shopsim_in(dir.path())
        .args(["run", "-q", "-v"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}

// --- colour --------------------------------------------------------------------------

/// `text` without its ANSI escape sequences (`ESC [ … letter`).
fn strip_escapes(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == ESC {
            assert_eq!(chars.next(), Some('['));
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The verdict without its first line (which holds the time the run took).
fn without_timing(text: &str) -> String {
    text.lines().skip(1).collect::<Vec<_>>().join("\n")
}

#[test]
fn colour_follows_the_flag_the_terminal_and_no_color() {
    let dir = TempDir::new().unwrap();
    init(dir.path(), "c");
    let run = |flags: &[&str], no_color: Option<&str>| {
        let mut c = run_small(dir.path(), "scenarios/c.toml");
        c.args(flags)
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE");
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        let a = c.assert().success();
        (a.stdout_text(), a.stderr_text())
    };
    let (always, always_err) = run(&["--color", "always"], None);
    assert!(always.contains(ESC), "{always}");
    // Losses in red (SGR 31) and the headline in bold (SGR 1).
    assert!(always.contains("\u{1b}[31m"), "{always:?}");
    assert!(always.contains("\u{1b}[1m"), "{always:?}");
    assert!(always_err.contains(&format!("{ESC}[")), "{always_err:?}");
    // Piped (these tests' streams are pipes): none, on either stream.
    let (piped, piped_err) = run(&[], None);
    assert!(!piped.contains(ESC) && !piped_err.contains(ESC));
    // The colours are the only difference.
    assert_eq!(
        without_timing(&strip_escapes(&always)),
        without_timing(&piped)
    );
    // NO_COLOR with a value turns colour off; the flag overrides it; an empty one is unset.
    let (no_color, no_color_err) = run(&["--color", "auto"], Some("1"));
    assert!(!no_color.contains(ESC) && !no_color_err.contains(ESC));
    let (forced, _) = run(&["--color=always"], Some("1"));
    assert!(forced.contains(ESC));
    let (never, never_err) = run(&["--color", "never"], None);
    assert!(!never.contains(ESC) && !never_err.contains(ESC));
    // The error line is coloured too, when asked.
    let e = shopsim_in(dir.path())
        .args(["--color", "always", "run", "missing.toml"])
        .assert()
        .code(2)
        .stderr_text();
    assert!(
        e.starts_with(ESC) && strip_escapes(&e).starts_with("Error: "),
        "{e:?}"
    );
}

// --- --open --------------------------------------------------------------------------

/// An opener script that records, in `dir/opened.txt`, each page it is given and whether
/// the study folder beside it was complete (its run.json or compare.json present).
#[cfg(unix)]
fn recording_opener(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("opener.sh");
    let log = dir.join("opened.txt");
    fs::write(
        &script,
        format!(
            "#!/bin/sh\nd=$(dirname \"$1\")\nif [ -f \"$d/run.json\" ] || [ -f \"$d/compare.json\" ] || [ -f \"$d/sweep.json\" ]; then c=complete; else c=incomplete; fi\nprintf '%s %s\\n' \"$c\" \"$1\" >> '{}'\n",
            log.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    script
}

#[cfg(unix)]
#[test]
fn open_hands_the_written_report_to_the_opener() {
    let dir = TempDir::new().unwrap();
    let opener = recording_opener(dir.path());
    init(dir.path(), "o");
    run_small(dir.path(), "scenarios/o.toml")
        .arg("--open")
        .env("SHOPSIM_OPENER", &opener)
        .assert()
        .success();
    let report = fs::canonicalize(dir.path().join("out/o/report.html")).unwrap();
    let log = fs::read_to_string(dir.path().join("opened.txt")).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 1, "{log}");
    let (state, page) = lines[0].split_once(' ').unwrap();
    assert_eq!(state, "complete");
    assert_eq!(fs::canonicalize(page).unwrap(), report);
    assert!(Path::new(page).is_absolute());

    // compare --open opens the comparison's page.
    fs::rename(dir.path().join("out"), dir.path().join("before")).unwrap();
    run_small(dir.path(), "scenarios/o.toml").assert().success();
    shopsim_in(dir.path())
        .args(["compare", "before/o", "out/o", "--out", "cmp", "--open"])
        .env("SHOPSIM_OPENER", &opener)
        .assert()
        .success();
    let log = fs::read_to_string(dir.path().join("opened.txt")).unwrap();
    let last = log.lines().last().unwrap();
    assert_eq!(
        fs::canonicalize(last.split_once(' ').unwrap().1).unwrap(),
        fs::canonicalize(dir.path().join("cmp/report.html")).unwrap()
    );
    assert!(last.starts_with("complete "));
}

#[test]
fn an_analysis_opens_its_own_page() {
    let dir = TempDir::new().unwrap();
    let opener = recording_opener(dir.path());
    init(dir.path(), "s");
    shopsim_in(dir.path())
        .args([
            "sweep",
            "scenarios/s.toml",
            "--range",
            "price.retail=18:22:2",
            "--trials",
            "30",
            "--no-charts",
            "--out",
            "out",
            "--open",
        ])
        .env("SHOPSIM_OPENER", &opener)
        .assert()
        .success();
    let log = fs::read_to_string(dir.path().join("opened.txt")).unwrap();
    let (state, page) = log.lines().last().unwrap().split_once(' ').unwrap();
    assert_eq!(state, "complete");
    assert_eq!(
        fs::canonicalize(page).unwrap(),
        fs::canonicalize(dir.path().join("out/s-sweep/report.html")).unwrap()
    );
}

#[test]
fn an_opener_that_fails_is_a_warning_never_an_error() {
    let dir = TempDir::new().unwrap();
    init(dir.path(), "f");
    for opener in ["false", "/no/such/opener"] {
        let a = run_small(dir.path(), "scenarios/f.toml")
            .args(["--open", "-q"])
            .env("SHOPSIM_OPENER", opener)
            .assert()
            .success();
        let err = a.stderr_text();
        assert!(
            err.lines()
                .any(|l| l.starts_with("warning: --open: `") && l.contains("report.html")),
            "{opener}: {err}"
        );
        assert!(dir.path().join("out/f/report.html").is_file());
    }
    // A shard writes no report: --open is refused with it.
    run_small(dir.path(), "scenarios/f.toml")
        .args(["--open", "--shard", "1/2"])
        .assert()
        .code(2);
}

// --- run - ---------------------------------------------------------------------------

#[test]
fn a_scenario_on_standard_input_runs_and_is_kept_beside_its_results() {
    let dir = TempDir::new().unwrap();
    let text = common::two_variant_study("piped", 50, 20);
    let out = shopsim_in(dir.path())
        .args(["run", "-", "--no-charts", "--out", "out"])
        .write_stdin(text.clone())
        .assert()
        .success()
        .stdout_text();
    assert!(out.starts_with("piped: 50 trials"), "{out}");
    let folder = dir.path().join("out/piped");
    assert_eq!(read_json(&folder.join("run.json"))["scenario"], "<stdin>");
    // The only copy of what ran, and the report says how to rerun it.
    assert_eq!(
        fs::read_to_string(folder.join("scenario.toml")).unwrap(),
        text
    );
    let report = fs::read_to_string(folder.join("report.html")).unwrap();
    assert!(report.contains("shopsim run - &lt; scenario.toml --seed"));
    // Rerunning from the copy, as the report says, replaces the folder with the same
    // results (the copy is one of the study's own files).
    let copy = fs::read_to_string(folder.join("scenario.toml")).unwrap();
    let before = fs::read_to_string(folder.join("summary.csv")).unwrap();
    shopsim_in(dir.path())
        .args(["run", "-", "--no-charts", "--out", "out"])
        .write_stdin(copy)
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(folder.join("summary.csv")).unwrap(),
        before
    );
    // `check -` too.
    shopsim_in(dir.path())
        .args(["check", "-"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("ok: <stdin> (study `piped`"));
}

#[test]
fn a_bad_scenario_on_standard_input_is_named_stdin_with_its_line_and_key() {
    let dir = TempDir::new().unwrap();
    let text = common::two_variant_study("piped", 50, 20).replacen(
        "horizon_days = 20",
        "horizon_days = \"long\"",
        1,
    );
    let line = text
        .lines()
        .position(|l| l.starts_with("horizon_days"))
        .unwrap()
        + 1;
    shopsim_in(dir.path())
        .args(["run", "-", "--no-charts", "--out", "out"])
        .write_stdin(text)
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(format!(
            "Error: <stdin>:{line}: key `horizon_days` "
        )));
    assert!(!dir.path().join("out").exists());
    // Standard input is one stream: not twice, not for both the scenario and --params.
    shopsim_in(dir.path())
        .args(["run", "-", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("named twice"));
    shopsim_in(dir.path())
        .args(["run", "-", "--params", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("both read standard input"));
}

// --- init ----------------------------------------------------------------------------

#[test]
fn init_writes_a_template_that_runs_and_never_overwrites() {
    let dir = TempDir::new().unwrap();
    let written = shopsim_in(dir.path())
        .arg("init")
        .assert()
        .success()
        .stdout_text();
    let path = dir.path().join("scenarios/my_shop.toml");
    assert!(written.contains("scenarios/my_shop.toml"), "{written}");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("name = \"my_shop\""));
    // It runs, as its own study.
    run_small(dir.path(), "scenarios/my_shop.toml")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "my_shop: 100 trials × 4 variants",
        ));
    assert_eq!(
        read_json(&dir.path().join("out/my_shop/run.json"))["study"],
        "my_shop"
    );

    // Never over an existing file: exit 2 naming it, the file unchanged.
    fs::write(&path, "# mine\n").unwrap();
    shopsim_in(dir.path())
        .args(["init", "my_shop"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("'scenarios/my_shop.toml' exists"));
    assert_eq!(fs::read_to_string(&path).unwrap(), "# mine\n");
    shopsim_in(dir.path())
        .args(["init", "my_shop", "--force"])
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&path).unwrap(), text);

    // A name is data, never a path.
    for bad in ["../x", "a/b", ".x", "con"] {
        shopsim_in(dir.path())
            .args(["init", bad, "--out", "drafts"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("cannot name a study"));
    }
    assert!(!dir.path().join("x.toml").exists());
    assert!(!dir.path().join("drafts").exists());

    // --out elsewhere.
    shopsim_in(dir.path())
        .args(["init", "uk", "--out", "drafts/2026"])
        .assert()
        .success();
    assert!(fs::read_to_string(dir.path().join("drafts/2026/uk.toml"))
        .unwrap()
        .contains("name = \"uk\""));
}

// --- examples in --help --------------------------------------------------------------

/// The command lines of a `shopsim …` example: split at `&&`, each without its
/// redirections (`< FILE`, `> FILE`, `>> FILE`).
fn command_lines(example: &str) -> Vec<Vec<String>> {
    example
        .split("&&")
        .map(|part| {
            let mut words = Vec::new();
            let mut tokens = part.split_whitespace();
            while let Some(t) = tokens.next() {
                if matches!(t, "<" | ">" | ">>") {
                    tokens.next();
                } else {
                    words.push(t.to_string());
                }
            }
            words
        })
        .collect()
}

#[test]
fn every_help_example_parses_and_names_files_that_exist() {
    let mut cli = Cli::command();
    cli.build();
    let mut checked = 0;
    for sub in cli.get_subcommands_mut() {
        let mut runs_itself = false;
        let name = sub.get_name().to_string();
        if name == "help" {
            continue;
        }
        let help = sub.render_long_help().to_string();
        let (_, tail) = help
            .rsplit_once("Examples:\n")
            .unwrap_or_else(|| panic!("`{name} --help` has no examples"));
        let examples: Vec<&str> = tail
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert!(
            (2..=4).contains(&examples.len()),
            "`{name}`: {} examples",
            examples.len()
        );
        // They end the help.
        assert!(help.trim_end().ends_with(examples.last().unwrap()));
        for example in examples {
            assert!(example.starts_with("shopsim "), "{example}");
            let lines = command_lines(example);
            runs_itself |= lines.iter().any(|w| w.get(1) == Some(&name));
            for words in lines {
                if let Err(e) = Cli::try_parse_from(&words) {
                    panic!("`{example}` does not parse: {e}");
                }
                // A shipped scenario an example names exists.
                for w in &words {
                    if w.starts_with("scenarios/") && w.ends_with(".toml") {
                        let made_by_init = example.contains("shopsim init");
                        assert!(made_by_init || repo(w).is_file(), "{example}: {w}");
                    }
                    if w.starts_with("examples/") {
                        assert!(repo(w).is_file(), "{example}: {w}");
                    }
                }
                checked += 1;
            }
        }
        assert!(runs_itself, "no example of `{name}` runs it");
    }
    assert!(checked >= 30, "{checked}");
}

// --- thousands separators ------------------------------------------------------------

#[test]
fn terminal_money_has_thousands_separators_and_files_exact_numbers() {
    let dir = TempDir::new().unwrap();
    init(dir.path(), "t");
    let out = run_small(dir.path(), "scenarios/t.toml")
        .assert()
        .success()
        .stdout_text();
    let summary = fs::read_to_string(dir.path().join("out/t/summary.csv")).unwrap();
    assert!(out.starts_with("t: 100 trials"));
    let mut seen = 0;
    for row in common::csv_rows::<SummaryRow>(&summary)
        .into_iter()
        .filter(|r| r.metric == "profit")
    {
        let mean = row.mean.0;
        // The file keeps the exact number: no separator, more than a whole number.
        assert!(mean.abs() >= 1000.0, "{}: {mean}", row.variant);
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{} ", row.variant)))
            .unwrap();
        let cell = line.split_whitespace().nth(1).unwrap();
        assert!(cell.contains(','), "{line}");
        let plain: f64 = cell.replace(',', "").parse().unwrap();
        assert_eq!(plain, mean.round(), "{line}");
        seen += 1;
    }
    assert_eq!(seen, 4);
    assert!(!summary.lines().skip(1).any(|l| l.contains("\"")));
}
