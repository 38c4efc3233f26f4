//! `shopsim merge` checks its parts before it trusts them: each data file against the
//! digest its `part.json` records, each record against itself and its scenario text, the
//! parts against each other, and it never writes inside (or over) a part. Each refusal
//! exits 2, names the part folder and the shard to rerun, and writes no study.

use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use sha2::{Digest, Sha256};
use tempfile::TempDir;

use crate::common::{self, assert_same_files, read_json, shopsim_in};

/// A folder holding `small.toml`: 600 trials (three batches) over 30 days.
fn study() -> TempDir {
    let dir = TempDir::new().unwrap();
    common::write(
        dir.path(),
        "small.toml",
        &common::two_variant_study("small", 600, 30),
    );
    dir
}

/// Runs shard `k` of `n` of `small.toml` into `out` with `extra` flags.
fn shard(dir: &Path, k: u64, n: u64, out: &str, extra: &[&str]) {
    shopsim_in(dir)
        .args(["run", "small.toml", "--no-charts", "--shard"])
        .arg(format!("{k}/{n}"))
        .args(["--out", out])
        .args(extra)
        .assert()
        .success();
}

/// Runs every shard of `n` with `--write-trials` into `out`.
fn shards(dir: &Path, n: u64, out: &str, extra: &[&str]) {
    for k in 1..=n {
        shard(dir, k, n, out, &[&["--write-trials"], extra].concat());
    }
}

/// The folder of shard `k` of `n` in `out`.
fn part(out: &str, k: u64, n: u64) -> String {
    format!("{out}/small.shard-{k}-of-{n}")
}

fn merge(dir: &Path, parts: &[String], extra: &[&str]) -> assert_cmd::assert::Assert {
    shopsim_in(dir)
        .arg("merge")
        .args(parts)
        .args(["--no-charts"])
        .args(extra)
        .assert()
}

/// `merge parts --out refused` exits 2 saying each of `says`, and writes no study.
fn refused(dir: &Path, parts: &[String], says: &[&str]) {
    let assert = merge(dir, parts, &["--out", "refused"]).code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    for s in says {
        assert!(stderr.contains(s), "expected `{s}` in\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!dir.join("refused/small").exists());
}

fn part_json(dir: &Path, part: &str) -> serde_json::Value {
    read_json(&dir.join(part).join("part.json"))
}

fn set_part_json(dir: &Path, part: &str, json: &serde_json::Value) {
    fs::write(
        dir.join(part).join("part.json"),
        serde_json::to_string_pretty(json).unwrap(),
    )
    .unwrap();
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Rewrites `file` of `part` and records its new size and digest in part.json, as a
/// writer with a bug (or a forger) would: only the checks of the rows can tell.
fn forge(dir: &Path, part: &str, file: &str, bytes: &[u8]) {
    fs::write(dir.join(part).join(file), bytes).unwrap();
    let mut json = part_json(dir, part);
    json["files"][file] = serde_json::json!({"bytes": bytes.len(), "sha256": sha256_hex(bytes)});
    set_part_json(dir, part, &json);
}

fn all(out: &str, n: u64) -> Vec<String> {
    (1..=n).map(|k| part(out, k, n)).collect()
}

#[test]
fn part_json_records_the_size_and_sha256_of_each_data_file() {
    let dir = study();
    shard(dir.path(), 1, 2, "parts", &["--write-trials"]);
    shard(dir.path(), 1, 2, "rowless", &[]);
    let json = part_json(dir.path(), &part("parts", 1, 2));
    assert_eq!(
        json["format_version"],
        shopsim::formats::record::FORMAT_VERSION
    );
    let files = json["files"].as_object().unwrap();
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        ["accumulators.json", "trials.csv"]
    );
    for (name, recorded) in files {
        let bytes = fs::read(dir.path().join(part("parts", 1, 2)).join(name)).unwrap();
        assert_eq!(recorded["bytes"], bytes.len(), "{name}");
        assert_eq!(recorded["sha256"], sha256_hex(&bytes), "{name}");
    }
    // Without --write-trials: the accumulators only (the same ones, on the same seed).
    let rowless = part_json(dir.path(), &part("rowless", 1, 2));
    let rowless_files = rowless["files"].as_object().unwrap();
    assert_eq!(
        rowless_files.keys().collect::<Vec<_>>(),
        ["accumulators.json"]
    );
    assert_eq!(
        rowless_files["accumulators.json"],
        files["accumulators.json"]
    );
}

#[test]
fn a_trials_csv_cut_mid_row_is_refused() {
    let dir = study();
    shards(dir.path(), 2, "parts", &[]);
    let path = dir.path().join(part("parts", 2, 2)).join("trials.csv");
    let bytes = fs::read(&path).unwrap();
    let cut = bytes.len() - 10;
    assert_ne!(bytes[cut - 1], b'\n', "the cut falls inside a row");
    fs::write(&path, &bytes[..cut]).unwrap();
    refused(
        dir.path(),
        &all("parts", 2),
        &[&format!(
            "{}: trials.csv is not the file shard 2/2 wrote (it has {cut} bytes where part.json records {}): it was cut short, edited or copied in from another run; rerun shard 2/2",
            part("parts", 2, 2),
            bytes.len()
        )],
    );
    // Put back, the same parts merge.
    fs::write(&path, &bytes).unwrap();
    merge(dir.path(), &all("parts", 2), &["--out", "merged"]).success();
}

#[test]
fn data_files_copied_in_from_another_seeds_shard_are_refused() {
    let dir = study();
    shards(dir.path(), 2, "parts", &[]);
    shards(dir.path(), 2, "other", &["--seed", "5"]);
    for file in ["accumulators.json", "trials.csv"] {
        let mine = dir.path().join(part("parts", 1, 2)).join(file);
        let kept = fs::read(&mine).unwrap();
        fs::copy(dir.path().join(part("other", 1, 2)).join(file), &mine).unwrap();
        refused(
            dir.path(),
            &all("parts", 2),
            &[
                &format!(
                    "{}: {file} is not the file shard 1/2 wrote (",
                    part("parts", 1, 2)
                ),
                "copied in from another run; rerun shard 1/2",
            ],
        );
        fs::write(&mine, kept).unwrap();
    }
    // The parts as written merge into the study of their own seed.
    merge(dir.path(), &all("parts", 2), &["--out", "merged"]).success();
    let run = read_json(&dir.path().join("merged/small/run.json"));
    assert_eq!(run["seed"], 3);
}

#[test]
fn a_part_json_whose_scenario_text_runs_other_days_than_its_data_is_refused() {
    let dir = study();
    shards(dir.path(), 1, "parts", &[]);
    let p = part("parts", 1, 1);
    let written = part_json(dir.path(), &p);
    let text = written["scenario_text"].as_str().unwrap();
    assert!(text.contains("horizon_days = 30"));
    // The scenario text says 40 days over 30-day data.
    let mut json = written.clone();
    json["scenario_text"] = text
        .replace("horizon_days = 30", "horizon_days = 40")
        .into();
    set_part_json(dir.path(), &p, &json);
    refused(
        dir.path(),
        std::slice::from_ref(&p),
        &[&format!(
            "{p}: part.json's scenario text runs 40 days but its record says 30: part.json was edited or mixes two runs; rerun shard 1/1"
        )],
    );
    // The record says 40 days too: the accumulators hold 30.
    json["horizon_days"] = 40.into();
    set_part_json(dir.path(), &p, &json);
    refused(
        dir.path(),
        std::slice::from_ref(&p),
        &[&format!(
            "{p}: accumulators.json holds 30 days where part.json says 40: it does not hold the trials part.json describes (part.json was edited or mixes two runs); rerun shard 1/1"
        )],
    );
    set_part_json(dir.path(), &p, &written);
    merge(dir.path(), std::slice::from_ref(&p), &["--out", "merged"]).success();
}

#[test]
fn merge_never_writes_inside_or_over_a_part_even_with_force() {
    let dir = study();
    shards(dir.path(), 2, "parts", &[]);
    let intact = |p: &str| {
        let folder = dir.path().join(p);
        let mut names: Vec<String> = fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["accumulators.json", "part.json", "trials.csv"],
            "{p}"
        );
    };
    let refused_out = |parts: &[String], out: &str, says: &str| {
        for force in [false, true] {
            let mut args = vec!["--out", out];
            if force {
                args.push("--force");
            }
            merge(dir.path(), parts, &args)
                .code(2)
                .stderr(predicate::str::contains(says))
                .stderr(predicate::str::contains(
                    "writing there would replace or change an input, so it is refused even with --force",
                ));
            for p in parts {
                intact(p);
            }
        }
    };
    // --out inside a part: the study would go inside it.
    let first = part("parts", 1, 2);
    refused_out(
        &all("parts", 2),
        &first,
        &format!("the result folder '{first}/small' is inside the part '{first}'"),
    );
    assert!(!dir.path().join(&first).join("small").exists());
    // The study folder would hold the parts (and --force would delete them).
    shards(dir.path(), 2, "work/small", &[]);
    refused_out(
        &all("work/small", 2),
        "work",
        "the result folder 'work/small' contains the part 'work/small/small.shard-1-of-2'",
    );
    // The study folder would be a part (and --force would replace it).
    fs::create_dir(dir.path().join("x")).unwrap();
    fs::rename(dir.path().join(&first), dir.path().join("x/small")).unwrap();
    let parts = vec!["x/small".to_string(), part("parts", 2, 2)];
    refused_out(
        &parts,
        "x",
        "the result folder 'x/small' is the part 'x/small'",
    );
    // Beside the parts is fine: the study is `parts/small`, the parts `parts/small.shard-*`.
    merge(dir.path(), &parts, &["--out", "parts"]).success();
    assert!(dir.path().join("parts/small/summary.csv").is_file());
    intact("x/small");
}

#[test]
fn parts_of_an_older_format_are_refused_with_the_fix() {
    let dir = study();
    shards(dir.path(), 1, "parts", &[]);
    let p = part("parts", 1, 1);
    let mut json = part_json(dir.path(), &p);
    // As format 7 wrote it: no digests.
    json["format_version"] = 7.into();
    json["version"] = "0.0.9".into();
    json.as_object_mut().unwrap().remove("files");
    set_part_json(dir.path(), &p, &json);
    refused(
        dir.path(),
        std::slice::from_ref(&p),
        &[&format!(
            "{p}: the part is of format 7 (written by shopsim 0.0.9); this shopsim merges only parts of its own format, {}: an older part holds other outputs, or no digests of its files (before format 8); rerun the shards with this version",
            shopsim::formats::record::FORMAT_VERSION
        )],
    );
}

#[test]
fn parts_that_disagree_name_the_part_and_the_shard_to_rerun() {
    let dir = study();
    shard(dir.path(), 1, 2, "parts", &[]);
    shard(dir.path(), 2, 2, "parts", &["--method", "per-bin"]);
    let parts = all("parts", 2);
    refused(
        dir.path(),
        &parts,
        &[&format!(
            "{}: its draw method differs from {}'s (per-bin here, per-day there): parts of different runs cannot be merged; pass the parts of one run, or rerun shard 2/2 as the others were run",
            parts[1], parts[0]
        )],
    );
    // A record that moves its own trials.
    shard(dir.path(), 2, 2, "parts", &["--force"]);
    let mut json = part_json(dir.path(), &parts[1]);
    json["first_trial"] = 0.into();
    set_part_json(dir.path(), &parts[1], &json);
    refused(
        dir.path(),
        &parts,
        &[&format!(
            "{}: part.json says shard 2/2 holds trials 0..344, but shard 2/2 of 600 trials is trials 256..600: part.json was edited or mixes two runs; rerun shard 2/2",
            parts[1]
        )],
    );
}

#[test]
fn parts_of_another_build_are_refused_naming_both_builds() {
    // Two builds of one version and format may simulate differently (a default moved):
    // their parts are not merged.
    let dir = study();
    shards(dir.path(), 2, "parts", &[]);
    let parts = all("parts", 2);
    let mine = part_json(dir.path(), &parts[0])["build"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(mine, shopsim::BUILD);
    let mut json = part_json(dir.path(), &parts[1]);
    json["build"] = "0123456789ab".into();
    set_part_json(dir.path(), &parts[1], &json);
    refused(
        dir.path(),
        &parts,
        &[&format!(
            "{}: the part was written by build 0123456789ab, and this shopsim is build {mine}: merge with the binary that ran the shards, or rerun them with this one",
            parts[1]
        )],
    );
    // A part from before builds were recorded.
    json.as_object_mut().unwrap().remove("build");
    set_part_json(dir.path(), &parts[1], &json);
    refused(
        dir.path(),
        &parts,
        &["the part was written by a build that did not record itself (before December 2026)"],
    );
}

#[test]
fn the_rows_of_trials_csv_are_checked_against_the_record() {
    let dir = study();
    shards(dir.path(), 2, "parts", &[]);
    let p = part("parts", 1, 2);
    let path = dir.path().join(&p).join("trials.csv");
    let written = fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = written.lines().collect();
    // 256 trials of two variants and the header; trial 0 of `a`, then of `b`.
    assert_eq!(lines.len(), 1 + 2 * 256);
    assert!(lines[1].starts_with("a,0,") && lines[2].starts_with("b,0,"));
    let text = |lines: &[&str]| lines.join("\n") + "\n";
    let mut swapped = lines.clone();
    swapped.swap(1, 2);
    forge(dir.path(), &p, "trials.csv", text(&swapped).as_bytes());
    refused(
        dir.path(),
        &all("parts", 2),
        &[&format!(
            "{p}: trials.csv line 2 is not trial 0 of `a` (the shard's trials are 0..256, each with the study's variants in order): it does not hold the trials part.json describes; rerun shard 1/2"
        )],
    );
    forge(
        dir.path(),
        &p,
        "trials.csv",
        text(&lines[..lines.len() - 2]).as_bytes(),
    );
    refused(
        dir.path(),
        &all("parts", 2),
        &[&format!(
            "{p}: trials.csv has 510 rows where part.json's 256 trials of 2 variants make 512"
        )],
    );
    forge(dir.path(), &p, "trials.csv", text(&lines).as_bytes());
    merge(dir.path(), &all("parts", 2), &["--out", "merged"]).success();
    // A listed trials.csv that is gone; one the record does not list.
    fs::remove_file(&path).unwrap();
    refused(
        dir.path(),
        &all("parts", 2),
        &[&format!(
            "{p}: trials.csv is missing (part.json lists it: the shard was run with --write-trials); rerun shard 1/2"
        )],
    );
    shard(dir.path(), 1, 2, "parts", &["--force"]);
    fs::write(&path, &written).unwrap();
    refused(
        dir.path(),
        &all("parts", 2),
        &[&format!(
            "{p}: holds a trials.csv that part.json does not list (the shard was run without --write-trials): it comes from another run; remove it, or rerun shard 1/2 with --write-trials"
        )],
    );
}

/// Every refusal is one problem per part, reported together.
#[test]
fn every_damaged_part_is_named_at_once() {
    let dir = study();
    shards(dir.path(), 3, "parts", &[]);
    let parts = all("parts", 3);
    for p in [&parts[0], &parts[2]] {
        let path: PathBuf = dir.path().join(p).join("accumulators.json");
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 2;
        bytes[last] = if bytes[last] == b'1' { b'2' } else { b'1' };
        fs::write(&path, bytes).unwrap();
    }
    refused(
        dir.path(),
        &parts,
        &[
            &format!("{}: accumulators.json is not the file shard 1/3 wrote (its SHA-256 is not the one part.json records)", parts[0]),
            &format!("{}: accumulators.json is not the file shard 3/3 wrote (its SHA-256 is not the one part.json records)", parts[2]),
        ],
    );
}

/// The rows are checked as the writer writes them: a variant name with a comma and
/// quotes is quoted in `trials.csv`, and the merge still matches the single run's file.
#[test]
fn a_variant_name_the_csv_quotes_merges_byte_for_byte() {
    let dir = study();
    let text = common::two_variant_study("small", 600, 30)
        .replace("name = \"b\"", "name = 'b, \"managed\"'");
    common::write(dir.path(), "small.toml", &text);
    shards(dir.path(), 2, "parts", &[]);
    let trials =
        fs::read_to_string(dir.path().join(part("parts", 2, 2)).join("trials.csv")).unwrap();
    assert!(
        trials.contains("\n\"b, \"\"managed\"\"\",256,"),
        "{}",
        &trials[..300]
    );
    merge(dir.path(), &all("parts", 2), &["--out", "merged"]).success();
    shopsim_in(dir.path())
        .args([
            "run",
            "small.toml",
            "--no-charts",
            "--write-trials",
            "--out",
            "single",
        ])
        .assert()
        .success();
    assert_same_files(
        &dir.path().join("merged/small"),
        &dir.path().join("single/small"),
        &["trials.csv", "summary.csv", "daily.csv"],
    );
}
