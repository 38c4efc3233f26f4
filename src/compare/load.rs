//! Reads a study folder written by `shopsim run`: its summary.csv (required), run.json
//! (required: it marks a complete study) and trials.csv (optional, for distributions),
//! with the row and record types the writer uses ([`crate::formats::rows`],
//! [`crate::formats::record::RunRecord`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::InputError;
use crate::formats::record::{RunRecord, FORMAT_VERSION};
use crate::formats::rows::{trials_header, Num, SummaryRow, TrialRow};
use crate::stats::estimate::degrees_of_freedom_of;
use crate::stats::replicates::mean_degrees_of_freedom;
use crate::stats::Estimate;

/// The summary statistics of one variant and output, as written in summary.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantSummary {
    /// Mean over the trials where the output is defined.
    pub mean: f64,
    /// Standard error of the mean.
    pub se: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 25th percentile (lower quartile).
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile (upper quartile).
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Trials where the output is defined.
    pub n: usize,
    /// The degrees of freedom of the standard error, recovered from the interval the run
    /// wrote (`mean + t · se`: the run's own, `n − 1`, or blocks − 1 for a Latin
    /// hypercube); where it cannot be (no spread), `n − 1` or ⌈n / 64⌉ − 1
    /// ([`mean_degrees_of_freedom`]).
    pub df: f64,
}

impl VariantSummary {
    /// The mean as an estimate (its interval rebuilt from the standard error, on `df`
    /// degrees of freedom).
    pub fn mean_estimate(&self) -> Estimate {
        Estimate::t_interval(self.mean, self.se, self.df, self.n)
    }
}

/// (variant, metric) → a run's statistics.
pub type SummaryByVariant = BTreeMap<(String, String), VariantSummary>;

/// (variant, metric) → per-trial values.
pub type TrialsByVariant = BTreeMap<(String, String), Vec<f64>>;

/// One earlier run of a study.
#[derive(Clone, Debug)]
pub struct Run {
    /// How the run is named in charts and tables (its folder, shortened).
    pub label: String,
    /// The study folder.
    pub dir: PathBuf,
    /// The study's name (from run.json).
    pub study: String,
    /// The seed the run used.
    pub seed: u64,
    /// Trials per variant.
    pub trials: u64,
    /// Currency of its money figures.
    pub currency: String,
    /// Variants in the order of the file.
    pub variants: Vec<String>,
    /// (variant, metric) → statistics.
    pub summary: SummaryByVariant,
    /// (variant, metric) → per-trial values, when trials.csv was written.
    pub trials_by_variant: Option<TrialsByVariant>,
    /// Its `run.json`: the settings, events and parameters it was run with.
    pub record: RunRecord,
}

fn not_a_study(dir: &Path, missing: &str) -> InputError {
    InputError::new(crate::error::Kind::Missing, format!(
        "'{}' is not a shopsim study folder: it has no {missing}. Pass folders written by `shopsim run`, such as output/<study name>",
        dir.display()
    ))
}

/// The last `parts` components of `dir`, joined by `/`.
pub fn label_of(dir: &Path, parts: usize) -> String {
    let parts: Vec<String> = dir
        .components()
        .rev()
        .take(parts)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    // Shown on the terminal too: a control character in a folder name is escaped.
    crate::error::escaped(&parts.into_iter().rev().collect::<Vec<_>>().join("/"))
}

fn read_text(path: &Path) -> Result<String, InputError> {
    std::fs::read_to_string(path).map_err(|e| {
        InputError::new(
            crate::error::Kind::Unreadable,
            format!("cannot read '{}': {e}", path.display()),
        )
    })
}

/// serde's "missing field `x`" in this project's words.
fn plain(message: String) -> String {
    match message.strip_prefix("missing field ") {
        Some(rest) => {
            let key = rest.split('`').nth(1).unwrap_or(rest);
            format!("key `{key}` is missing")
        }
        None => message,
    }
}

/// Reads `run.json`.
fn read_record(path: &Path) -> Result<RunRecord, InputError> {
    let record: RunRecord = serde_json::from_str(&read_text(path)?).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                format!("not valid JSON: {e}")
            }
            _ => plain(
                e.to_string()
                    .split(" at line")
                    .next()
                    .unwrap_or("")
                    .to_string(),
            ),
        };
        InputError::new(
            crate::error::Kind::Syntax,
            format!("{}:{}: {what}", path.display(), e.line()),
        )
    })?;
    if record.format_version > FORMAT_VERSION {
        return Err(InputError::new(crate::error::Kind::Unreadable, format!(
            "{}: written by a newer shopsim (format {}, this one reads up to {FORMAT_VERSION}); compare it with that version",
            path.display(),
            record.format_version
        )));
    }
    Ok(record)
}

/// The rows of a CSV file with a header, each with its line, as `R`.
fn read_rows<R: DeserializeOwned>(path: &Path) -> Result<Vec<(u64, R)>, InputError> {
    let text = read_text(path)?;
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            InputError::new(
                crate::error::Kind::Syntax,
                format!("{}:1: cannot read the header: {e}", path.display()),
            )
        })?
        .clone();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_problem(path, &headers, None, &e)),
        }
        let line = record.position().map_or(0, |p| p.line());
        let row = record
            .deserialize(Some(&headers))
            .map_err(|e| csv_problem(path, &headers, Some(&record), &e))?;
        rows.push((line, row));
    }
    Ok(rows)
}

/// A CSV error as `file:line: column 'name': what`. A cell's own error (a number that is
/// not one) carries no column, so the cell is found in `record` by its text.
fn csv_problem(
    path: &Path,
    headers: &csv::StringRecord,
    record: Option<&csv::StringRecord>,
    e: &csv::Error,
) -> InputError {
    let line = e.position().map_or(0, |p| p.line());
    let text = match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => {
            let message = plain(err.kind().to_string());
            let quoted = message.split('`').nth(1);
            let field = err.field().map(|f| f as usize).or_else(|| {
                let cells = record?;
                cells.iter().position(|cell| Some(cell) == quoted)
            });
            let column = field
                .and_then(|f| headers.get(f))
                .map(|h| format!("column '{h}': "))
                .unwrap_or_default();
            if message.starts_with("key `") {
                let key = message.split('`').nth(1).unwrap_or_default();
                return InputError::new(
                    crate::error::Kind::Missing,
                    format!(
                        "{}:1: column '{key}' is missing; is this a file written by shopsim?",
                        path.display()
                    ),
                );
            }
            format!("{column}{message}")
        }
        _ => format!("malformed row: {e}"),
    };
    InputError::new(
        crate::error::Kind::Syntax,
        format!("{}:{line}: {text}", path.display()),
    )
}

/// A summary.csv cut at a line end still parses: compare it with run.json (every variant
/// there, and every variant with as many rows as the first).
fn check_complete_summary(
    path: &Path,
    record: &RunRecord,
    variants: &[String],
    summary: &SummaryByVariant,
) -> Result<(), InputError> {
    let incomplete = |why: String| {
        InputError::new(
            crate::error::Kind::Conflict,
            format!(
                "{}: {why}; the file is incomplete or was edited (rerun the study)",
                path.display()
            ),
        )
    };
    for v in &record.variants {
        if !variants.contains(&v.name) {
            return Err(incomplete(format!(
                "variant `{}` of run.json has no rows",
                v.name
            )));
        }
    }
    let rows_of = |v: &str| summary.keys().filter(|(x, _)| x == v).count();
    let expected = rows_of(&variants[0]);
    for v in variants {
        let n = rows_of(v);
        if n != expected {
            return Err(incomplete(format!(
                "variant `{v}` has {n} rows, `{}` has {expected}",
                variants[0]
            )));
        }
    }
    Ok(())
}

/// Reads summary.csv: the variants in file order and each row's statistics.
fn read_summary(path: &Path) -> Result<(Vec<String>, SummaryByVariant), InputError> {
    let mut summary = BTreeMap::new();
    let mut variants: Vec<String> = Vec::new();
    for (_, row) in read_rows::<SummaryRow>(path)? {
        if !variants.contains(&row.variant) {
            variants.push(row.variant.clone());
        }
        summary.insert(
            (row.variant, row.metric),
            VariantSummary {
                mean: row.mean.0,
                se: row.se.0,
                p5: row.p5.0,
                p25: row.p25.0,
                p50: row.p50.0,
                p75: row.p75.0,
                p95: row.p95.0,
                n: row.n,
                // NaN until the run's record says its method (see `load`).
                df: degrees_of_freedom_of((row.ci_high.0 - row.mean.0) / row.se.0)
                    .unwrap_or(f64::NAN),
            },
        );
    }
    if variants.is_empty() {
        return Err(InputError::new(
            crate::error::Kind::Missing,
            format!("{}: has no rows", path.display()),
        ));
    }
    Ok((variants, summary))
}

/// Reads one output's column of trials.csv, per variant; `None` when the file does not have
/// that output. Checks the header and that every variant has `trials` rows.
fn read_trials(
    path: &Path,
    metric: &str,
    variants: &[String],
    record: &RunRecord,
) -> Result<Option<TrialsByVariant>, InputError> {
    let trials = record.trials;
    let text = read_text(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(csv_problem(path, &csv::StringRecord::new(), None, &e)),
        None => {
            return Err(InputError::new(
                crate::error::Kind::Missing,
                format!("{}: is empty", path.display()),
            ))
        }
    };
    let expected = trials_header();
    let mismatch = header.iter().ne(expected.iter().copied());
    if mismatch && record.format_version < FORMAT_VERSION {
        return Err(InputError::new(crate::error::Kind::Conflict, format!(
            "{}:1: written by an older shopsim (format {}, this one reads trials of format {FORMAT_VERSION}), whose outputs differ (format 10 added `stock_write_down`, a cost in profit); rerun the study with this version and --write-trials to compare its trials (or move its trials.csv aside to compare it as an independent run)",
            path.display(),
            record.format_version,
        )));
    }
    if mismatch {
        return Err(InputError::new(crate::error::Kind::Syntax, format!(
            "{}:1: the columns are not those this shopsim writes ({}); rerun the study with --write-trials",
            path.display(),
            expected.join(",")
        )));
    }
    let Some(column) = expected.iter().skip(2).position(|h| *h == metric) else {
        return Ok(None);
    };
    let mut map = TrialsByVariant::new();
    for record in records {
        let record = record.map_err(|e| csv_problem(path, &header, None, &e))?;
        let row: TrialRow = record
            .deserialize(None)
            .map_err(|e| csv_problem(path, &header, Some(&record), &e))?;
        let value = row.outputs.get(column).copied().unwrap_or(Num(f64::NAN));
        map.entry((row.variant, metric.to_string()))
            .or_default()
            .push(value.0);
    }
    // A file cut short (a full disk, a copy interrupted) has fewer trials than run.json
    // says: pairing on it would silently use the wrong trials.
    for variant in variants {
        let n = map
            .get(&(variant.clone(), metric.to_string()))
            .map_or(0, Vec::len);
        if n as u64 != trials {
            return Err(InputError::new(crate::error::Kind::Conflict, format!(
                "{}: variant `{variant}` has {n} rows but run.json says {trials} trials; the file is incomplete (rerun the study with --write-trials)",
                path.display()
            )));
        }
    }
    Ok(Some(map))
}

/// Loads a study folder; `metric` selects which per-trial column to keep from trials.csv.
pub fn load_run(dir: &Path, metric: &str) -> Result<Run, InputError> {
    if !dir.is_dir() {
        return Err(InputError::new(
            crate::error::Kind::Unreadable,
            format!("'{}' is not a folder", dir.display()),
        ));
    }
    let summary_path = dir.join("summary.csv");
    let record_path = dir.join("run.json");
    if !summary_path.exists() {
        return Err(not_a_study(dir, "summary.csv"));
    }
    if !record_path.exists() {
        return Err(not_a_study(dir, "run.json"));
    }
    let record = read_record(&record_path)?;
    let (variants, mut summary) = read_summary(&summary_path)?;
    // A Latin hypercube run's standard errors come from its blocks: how many held a
    // defined value, the interval it wrote says.
    for s in summary.values_mut() {
        if s.df.is_nan() {
            s.df = mean_degrees_of_freedom(record.latin_hypercube(), s.n);
        }
    }
    check_complete_summary(&summary_path, &record, &variants, &summary)?;
    let trials_path = dir.join("trials.csv");
    let trials_by_variant = if trials_path.exists() {
        read_trials(&trials_path, metric, &variants, &record)?
    } else {
        None
    };
    Ok(Run {
        label: label_of(dir, 2),
        dir: dir.to_path_buf(),
        study: record.study.clone(),
        seed: record.seed,
        trials: record.trials,
        currency: record.currency.clone(),
        variants,
        summary,
        trials_by_variant,
        record,
    })
}
