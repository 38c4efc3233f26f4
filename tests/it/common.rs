//! What several test modules share: the binary (and what it printed), a small two-variant
//! study, writing a file, reading a JSON file and a CSV by its header with the row types
//! the program writes.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::assert::Assert;
use assert_cmd::Command;
use serde::de::DeserializeOwned;

/// The `shopsim` binary.
pub fn shopsim() -> Command {
    Command::cargo_bin("shopsim").unwrap()
}

/// The `shopsim` binary run in `dir`, where files are named as the messages name them.
pub fn shopsim_in(dir: &Path) -> Command {
    let mut c = shopsim();
    c.current_dir(dir);
    c
}

/// What a command that ran printed, as text (which must be UTF-8):
/// `shopsim().arg("params").assert().success().stdout_text()`.
pub trait Printed {
    fn stdout_text(&self) -> String;
    fn stderr_text(&self) -> String;
}

impl Printed for Assert {
    fn stdout_text(&self) -> String {
        String::from_utf8(self.get_output().stdout.clone()).unwrap()
    }

    fn stderr_text(&self) -> String {
        String::from_utf8(self.get_output().stderr.clone()).unwrap()
    }
}

/// Variant names that look like HTML and Markdown: a page must show them as written.
pub const HOSTILE_NAMES: [&str; 2] = ["<script>alert(`1`)", "`<img src=x onerror=alert(2)>"];

/// `shopsim run FILE --no-charts --out OUT`, to add flags to and run.
pub fn run_study(file: &Path, out: &Path) -> Command {
    let mut c = shopsim();
    c.arg("run")
        .arg(file)
        .args(["--no-charts", "--out"])
        .arg(out);
    c
}

/// Each of `files` is the same, byte for byte, in folder `a` and in folder `b`.
pub fn assert_same_files(a: &Path, b: &Path, files: &[&str]) {
    let read = |p: PathBuf| fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    for f in files {
        assert!(
            read(a.join(f)) == read(b.join(f)),
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

/// `path` in this repository (a shipped scenario, a document).
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A JSON file shopsim wrote (run.json, part.json, sensitivity.json …).
pub fn read_json(path: &Path) -> serde_json::Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, text).unwrap();
    p
}

/// A small US beauty study (`tests/fixtures/two_variant.toml`): a self-operated
/// semi-closed variant `a` and a fully managed full-closed variant `b`, with a four-day
/// peak at twice the demand in the middle of the horizon; `name`, `trials` and
/// `horizon_days` as given (the file has "small", 300 and 40). Line numbers matter to the
/// tests of error messages: `trials` is on line 3, `horizon_days` on 4, `market` on 7,
/// `end_day` on 12.
pub fn two_variant_study(name: &str, trials: u64, horizon: u64) -> String {
    let start = horizon / 2;
    with_values(
        include_str!("../fixtures/two_variant.toml"),
        &[
            ("name", format!("\"{name}\"")),
            ("trials", trials.to_string()),
            ("horizon_days", horizon.to_string()),
            ("start_day", start.to_string()),
            ("end_day", (start + 3).to_string()),
        ],
    )
}

/// `text` with the first line `key = …` of each key made `key = value` (every other line,
/// and so every line number, unchanged).
pub fn with_values(text: &str, values: &[(&str, String)]) -> String {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(String::from).collect();
    for (key, value) in values {
        let line = lines
            .iter_mut()
            .find(|l| l.starts_with(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("no line `{key} = …` in\n{text}"));
        *line = format!("{key} = {value}\n");
    }
    lines.concat()
}

/// The rows of a CSV table written by shopsim, read by header name into `T` (one of
/// `shopsim::formats::rows`).
pub fn csv_rows<T: DeserializeOwned>(text: &str) -> Vec<T> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// The rows of a CSV file written by shopsim (see [`csv_rows`]).
pub fn csv_file_rows<T: DeserializeOwned>(path: &Path) -> Vec<T> {
    csv_rows(&fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// Every number a variant's results hold, as bits (an undefined output, NaN, equals
/// itself): outputs per trial, daily paths and the delay histogram.
pub fn result_bits(v: &shopsim::sim::VariantResults) -> Vec<u64> {
    v.outputs
        .iter()
        .flat_map(|o| o.0.iter().map(|x| x.to_bits()))
        .chain(v.cumulative_profit.iter().map(|x| u64::from(x.to_bits())))
        .chain(v.cash.iter().map(|x| u64::from(x.to_bits())))
        .chain(v.delay_histogram.iter().copied())
        .collect()
}

/// A run of format 9 (before `stock_write_down`), as it was written: the output missing
/// from its summary and its trials.
pub fn as_format_9(dir: &Path) {
    let path = dir.join("run.json");
    let mut record: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    record["format_version"] = 9.into();
    fs::write(&path, serde_json::to_string_pretty(&record).unwrap()).unwrap();
    let summary = fs::read_to_string(dir.join("summary.csv")).unwrap();
    let kept: Vec<&str> = summary
        .lines()
        .filter(|l| !l.contains(",stock_write_down,"))
        .collect();
    assert!(kept.len() < summary.lines().count());
    fs::write(dir.join("summary.csv"), kept.join("\n") + "\n").unwrap();
    let trials = fs::read_to_string(dir.join("trials.csv")).unwrap();
    let column = trials
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|c| c == "stock_write_down")
        .unwrap();
    let cut: Vec<String> = trials
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.remove(column);
            cells.join(",")
        })
        .collect();
    fs::write(dir.join("trials.csv"), cut.join("\n") + "\n").unwrap();
}
