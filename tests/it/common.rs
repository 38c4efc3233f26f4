//! What several test modules share: the binary, a small two-variant study, writing a file,
//! and reading a CSV by its header with the row types the program writes.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde::de::DeserializeOwned;

/// The `shopsim` binary.
pub fn shopsim() -> Command {
    Command::cargo_bin("shopsim").unwrap()
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, text).unwrap();
    p
}

/// A small US beauty study: a self-operated semi-closed variant `a` and a fully managed
/// full-closed variant `b`, with a four-day peak at twice the demand in the middle of the
/// horizon. Line numbers matter to the tests of error messages: `trials` is on line 3,
/// `horizon_days` on 4, `market` on 7, `end_day` on 12.
pub fn two_variant_study(name: &str, trials: u64, horizon: u64) -> String {
    let start = horizon / 2;
    format!(
        r#"
name = "{name}"
trials = {trials}
horizon_days = {horizon}
seed = 3
[base]
market = "us"
category = "beauty"
[[events]]
name = "peak"
start_day = {start}
end_day = {end}
demand_multiplier = 2
[[variant]]
name = "a"
model = "self_operated"
loop = "semi_closed"
[[variant]]
name = "b"
model = "fully_managed"
loop = "full_closed"
"#,
        end = start + 3
    )
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
