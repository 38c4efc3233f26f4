//! A command never deletes or overwrites what it did not write: the real binary against
//! folders it must not touch, concurrent runs, Ctrl-C and `kill -9`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::*;
use tempfile::TempDir;

use crate::common::{self, shopsim, write};

fn scenario(name: &str, trials: u64, horizon: u64) -> String {
    common::two_variant_study(name, trials, horizon)
}

/// Every file under `dir` with its bytes, sorted (to show a folder is untouched).
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn run_study(file: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    common::run_study(file, out).args(extra).assert()
}

fn hidden_entries(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]
fn compare_out_never_replaces_a_folder_it_did_not_write() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "s.toml", &scenario("s", 50, 20));
    let runs = dir.path().join("runs");
    run_study(&file, &runs.join("one"), &[]).success();
    run_study(&file, &runs.join("two"), &["--seed", "9"]).success();
    let (one, two) = (runs.join("one/s"), runs.join("two/s"));

    // A user's folder: refused, exit 2, every file kept.
    let precious = dir.path().join("precious");
    fs::create_dir(&precious).unwrap();
    write(&precious, "thesis.tex", "years of work");
    let before = snapshot(&precious);
    shopsim()
        .arg("compare")
        .args([&one, &two])
        .arg("--out")
        .arg(&precious)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("is not a shopsim comparison folder")
                .and(predicate::str::contains("--force")),
        );
    assert_eq!(snapshot(&precious), before);
    assert!(hidden_entries(dir.path()).is_empty());

    // The folder holding both inputs, or an input itself, or a folder inside one: refused
    // even with --force.
    for out in [runs.clone(), one.clone(), one.join("charts/x")] {
        let before = snapshot(&runs);
        shopsim()
            .arg("compare")
            .args([&one, &two])
            .arg("--out")
            .arg(&out)
            .arg("--force")
            .assert()
            .code(2)
            .stderr(predicate::str::contains("the compared folder"));
        assert_eq!(snapshot(&runs), before, "{}", out.display());
    }

    // An earlier comparison is replaced; --force replaces a user's folder.
    let cmp = dir.path().join("cmp");
    for _ in 0..2 {
        shopsim()
            .arg("compare")
            .args([&one, &two])
            .arg("--out")
            .arg(&cmp)
            .assert()
            .success();
    }
    assert!(cmp.join("compare.json").exists() && cmp.join("comparison.csv").exists());
    shopsim()
        .arg("compare")
        .args([&one, &two])
        .arg("--out")
        .arg(&precious)
        .arg("--force")
        .assert()
        .success();
    assert!(!precious.join("thesis.tex").exists());
}

#[test]
fn run_never_replaces_a_folder_that_is_not_the_same_study() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let docs = out.join("docs");
    fs::create_dir_all(&docs).unwrap();
    write(&docs, "letter.txt", "keep me");
    let file = write(dir.path(), "docs.toml", &scenario("docs", 50, 20));
    let before = snapshot(&out);
    run_study(&file, &out, &[]).code(2).stderr(
        predicate::str::contains("docs")
            .and(predicate::str::contains("not a shopsim study folder")),
    );
    assert_eq!(snapshot(&out), before);

    // A study folder of another study under that name is refused too.
    let other = write(dir.path(), "other.toml", &scenario("other", 50, 20));
    run_study(&other, &out, &[]).success();
    fs::remove_dir_all(&docs).unwrap();
    fs::rename(out.join("other"), &docs).unwrap();
    run_study(&file, &out, &[])
        .code(2)
        .stderr(predicate::str::contains("another study (`other`)"));

    // An earlier run of the same study is replaced; --force replaces anything.
    run_study(&file, &out, &["--force"]).success();
    run_study(&file, &out, &["--seed", "4"]).success();
    let manifest = fs::read_to_string(docs.join("run.json")).unwrap();
    assert!(manifest.contains("\"seed\": 4"), "{manifest}");
    assert!(hidden_entries(&out).is_empty());
}

#[test]
fn concurrent_runs_of_one_study_leave_one_complete_result() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "c.toml", &scenario("c", 2000, 60));
    // (seed, trials, extra flags): a long run that draws charts in both formats, and two
    // short ones that start while it is writing its files.
    let runs: [(&str, &str, &[&str]); 3] = [
        ("1", "2000", &["--chart-format", "both"]),
        ("2", "200", &["--no-charts"]),
        ("3", "200", &["--no-charts"]),
    ];
    let spawn = |out: &Path, (seed, trials, extra): (&str, &str, &[&str])| {
        Process::new(assert_cmd::cargo::cargo_bin("shopsim"))
            .arg("run")
            .arg(&file)
            .args(["--threads", "1", "--seed", seed, "--trials", trials])
            .args(extra)
            .arg("--out")
            .arg(out)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let finish = |child: Child| {
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    // What each run alone writes.
    let references: Vec<Vec<u8>> = runs
        .iter()
        .map(|&run| {
            let out = dir.path().join(format!("ref{}", run.0));
            finish(spawn(&out, run));
            fs::read(out.join("c/summary.csv")).unwrap()
        })
        .collect();
    let out = dir.path().join("shared");
    for round in 0..2 {
        let long = spawn(&out, runs[0]);
        // Wait until the long run is writing: its staging folder holds summary.csv.
        let start = Instant::now();
        loop {
            let writing = fs::read_dir(&out).into_iter().flatten().flatten().any(|e| {
                e.file_name().to_string_lossy().starts_with(".c.partial-")
                    && e.path().join("summary.csv").exists()
            });
            if writing {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "round {round}: no staging"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        let short: Vec<Child> = runs[1..].iter().map(|&r| spawn(&out, r)).collect();
        short.into_iter().for_each(finish);
        finish(long);
        let study = out.join("c");
        for f in [
            "summary.csv",
            "comparison.csv",
            "daily.csv",
            "run.json",
            "report.html",
        ] {
            assert!(study.join(f).exists(), "round {round}: {f} missing");
        }
        let summary = fs::read(study.join("summary.csv")).unwrap();
        assert!(
            references.contains(&summary),
            "round {round}: a mixed result"
        );
        assert!(hidden_entries(&out).is_empty(), "round {round}: leftovers");
    }
}

/// A run slow enough to interrupt, into `out` where an earlier result already is.
fn start_slow_run(dir: &Path, out: &Path) -> (Child, Vec<(PathBuf, Vec<u8>)>) {
    let quick = write(dir, "slow.toml", &scenario("slow", 50, 20));
    run_study(&quick, out, &[]).success();
    let before = snapshot(&out.join("slow"));
    let slow = write(dir, "slow.toml", &scenario("slow", 400_000, 365));
    let child = Process::new(assert_cmd::cargo::cargo_bin("shopsim"))
        .arg("run")
        .arg(&slow)
        .args(["--no-charts", "--out"])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it has claimed its staging folder and is simulating.
    let start = Instant::now();
    while hidden_entries(out).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no staging folder appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    (child, before)
}

fn signal(child: &Child, name: &str) {
    let status = Process::new("kill")
        .args([name, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_at_once_removes_the_staging_folder_and_exits_130() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let (child, before) = start_slow_run(dir.path(), &out);
    let sent = Instant::now();
    signal(&child, "-INT");
    let output = child.wait_with_output().unwrap();
    let took = sent.elapsed();
    assert_eq!(
        output.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // "Within a second" is the target; the bound leaves room for a loaded CI machine.
    assert!(took < Duration::from_secs(5), "took {took:?}");
    eprintln!("stopped {took:?} after SIGINT");
    assert!(hidden_entries(&out).is_empty(), "staging folder left");
    assert_eq!(
        snapshot(&out.join("slow")),
        before,
        "earlier results changed"
    );
}

#[cfg(unix)]
#[test]
fn after_kill_9_the_earlier_results_stand_and_the_next_run_sweeps_the_leftovers() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let (mut child, before) = start_slow_run(dir.path(), &out);
    child.kill().unwrap(); // SIGKILL: no clean-up is possible
    child.wait().unwrap();
    assert_eq!(
        snapshot(&out.join("slow")),
        before,
        "earlier results changed"
    );
    assert!(
        !hidden_entries(&out).is_empty(),
        "a killed run cannot clean up"
    );
    let quick = write(dir.path(), "slow.toml", &scenario("slow", 50, 20));
    run_study(&quick, &out, &["--seed", "8"]).success();
    assert!(hidden_entries(&out).is_empty(), "leftovers not swept");
    assert!(fs::read_to_string(out.join("slow/run.json"))
        .unwrap()
        .contains("\"seed\": 8"));
}

/// Ctrl-C during `bench` removes its scratch folder (the interrupt handler exits without
/// running destructors, so the folder is registered with it).
#[cfg(unix)]
#[test]
fn ctrl_c_during_bench_removes_its_scratch_folder() {
    let tmp = TempDir::new().unwrap();
    let child = Process::new(assert_cmd::cargo::cargo_bin("shopsim"))
        .args([
            "bench",
            "--study-only",
            "--trials",
            "100000000",
            "--threads",
            "1",
        ])
        .env("TMPDIR", tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let scratch = tmp.path().join(format!("shopsim-bench-{}", child.id()));
    let waited = Instant::now();
    while !scratch.exists() {
        assert!(
            waited.elapsed() < Duration::from_secs(60),
            "no scratch folder appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, "-INT");
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!scratch.exists(), "scratch folder left");
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}
