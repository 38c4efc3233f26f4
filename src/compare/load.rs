//! Reads a study folder written by `shopsim run`: its summary.csv (required), run.json
//! (required: it marks a complete study) and trials.csv (optional, for distributions).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::InputError;

/// The summary statistics of one variant and metric, as written in summary.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct SummaryRow {
    pub mean: f64,
    pub se: f64,
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
    pub n: usize,
}

/// One earlier run of a study.
#[derive(Clone, Debug)]
pub struct Run {
    /// How the run is named in charts and tables (its folder, shortened).
    pub label: String,
    pub dir: PathBuf,
    pub study: String,
    pub seed: u64,
    pub trials: u64,
    pub currency: String,
    /// Variants in the order of the file.
    pub variants: Vec<String>,
    /// (variant, metric) → statistics.
    pub summary: BTreeMap<(String, String), SummaryRow>,
    /// (variant, metric) → per-trial values, when trials.csv was written.
    pub trials_by_variant: Option<BTreeMap<(String, String), Vec<f64>>>,
}

fn not_a_study(dir: &Path, missing: &str) -> InputError {
    InputError::new(format!(
        "'{}' is not a shopsim study folder: it has no {missing}. Pass folders written by `shopsim run`, such as output/<study name>",
        dir.display()
    ))
}

fn label_of(dir: &Path) -> String {
    let parts: Vec<String> = dir
        .components()
        .rev()
        .take(2)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.into_iter().rev().collect::<Vec<_>>().join("/")
}

/// A CSV file's header and its rows with their line numbers.
type CsvTable = (Vec<String>, Vec<(u64, csv::StringRecord)>);

/// Reads the CSV at `path`, checking the required columns and reporting bad lines.
fn read_csv(path: &Path, required: &[&str]) -> Result<CsvTable, InputError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::new(format!("cannot read '{}': {e}", path.display())))?;
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| InputError::new(format!("{}:1: cannot read the header: {e}", path.display())))?
        .iter()
        .map(str::to_string)
        .collect();
    for r in required {
        if !headers.iter().any(|h| h == r) {
            return Err(InputError::new(format!(
                "{}:1: column '{r}' is missing; is this a file written by shopsim?",
                path.display()
            )));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => rows.push((r.position().map_or(0, |p| p.line()), r)),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(InputError::new(format!(
                    "{}:{line}: malformed row: {e}",
                    path.display()
                )));
            }
        }
    }
    Ok((headers, rows))
}

fn number(path: &Path, line: u64, column: &str, text: &str) -> Result<f64, InputError> {
    if text.is_empty() {
        return Ok(f64::NAN);
    }
    text.parse::<f64>().map_err(|_| {
        InputError::new(format!(
            "{}:{line}: column '{column}': `{text}` is not a number",
            path.display()
        ))
    })
}

/// A summary.csv cut at a line end still parses: compare it with run.json (every variant
/// there, and every variant with as many rows as the first).
fn check_complete_summary(
    path: &Path,
    manifest: &serde_json::Value,
    variants: &[String],
    summary: &BTreeMap<(String, String), SummaryRow>,
) -> Result<(), InputError> {
    let incomplete = |why: String| {
        InputError::new(format!(
            "{}: {why}; the file is incomplete or was edited (rerun the study)",
            path.display()
        ))
    };
    if let Some(listed) = manifest.get("variants").and_then(|v| v.as_array()) {
        for v in listed {
            let name = v.get("name").and_then(|n| n.as_str()).unwrap_or_default();
            if !variants.iter().any(|x| x == name) {
                return Err(incomplete(format!(
                    "variant `{name}` of run.json has no rows"
                )));
            }
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

/// Loads a study folder; `metric` selects which per-trial column to keep from trials.csv.
pub fn load_run(dir: &Path, metric: &str) -> Result<Run, InputError> {
    if !dir.is_dir() {
        return Err(InputError::new(format!(
            "'{}' is not a folder",
            dir.display()
        )));
    }
    let summary_path = dir.join("summary.csv");
    let manifest_path = dir.join("run.json");
    if !summary_path.exists() {
        return Err(not_a_study(dir, "summary.csv"));
    }
    if !manifest_path.exists() {
        return Err(not_a_study(dir, "run.json"));
    }
    let manifest: serde_json::Value = std::fs::read_to_string(&manifest_path)
        .map_err(|e| InputError::new(format!("cannot read '{}': {e}", manifest_path.display())))
        .and_then(|t| {
            serde_json::from_str(&t).map_err(|e| {
                InputError::new(format!(
                    "{}:{}: not valid JSON: {e}",
                    manifest_path.display(),
                    e.line()
                ))
            })
        })?;
    let field = |k: &str| {
        manifest.get(k).ok_or_else(|| {
            InputError::new(format!("{}: key `{k}` is missing", manifest_path.display()))
        })
    };
    let study = field("study")?.as_str().unwrap_or_default().to_string();
    let whole = |k: &str| -> Result<u64, InputError> {
        field(k)?.as_u64().ok_or_else(|| {
            InputError::new(format!(
                "{}: key `{k}` is not a whole number",
                manifest_path.display()
            ))
        })
    };
    let seed = whole("seed")?;
    let trials = whole("trials")?;
    let currency = manifest
        .get("currency")
        .and_then(|c| c.as_str())
        .unwrap_or("USD")
        .to_string();

    let cols = [
        "variant", "metric", "mean", "se", "p5", "p25", "p50", "p75", "p95",
    ];
    let (headers, rows) = read_csv(&summary_path, &cols)?;
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap_or(0);
    let mut summary = BTreeMap::new();
    let mut variants: Vec<String> = Vec::new();
    for (line, r) in &rows {
        let get = |c: &str| r.get(at(c)).unwrap_or("");
        let num = |c: &str| number(&summary_path, *line, c, get(c));
        let variant = get("variant").to_string();
        if !variants.contains(&variant) {
            variants.push(variant.clone());
        }
        let n = r
            .get(headers.iter().position(|h| h == "n").unwrap_or(usize::MAX))
            .and_then(|t| t.parse().ok())
            .unwrap_or(trials as usize);
        summary.insert(
            (variant, get("metric").to_string()),
            SummaryRow {
                mean: num("mean")?,
                se: num("se")?,
                p5: num("p5")?,
                p25: num("p25")?,
                p50: num("p50")?,
                p75: num("p75")?,
                p95: num("p95")?,
                n,
            },
        );
    }
    if variants.is_empty() {
        return Err(InputError::new(format!(
            "{}: has no rows",
            summary_path.display()
        )));
    }
    check_complete_summary(&summary_path, &manifest, &variants, &summary)?;

    let trials_path = dir.join("trials.csv");
    let trials_by_variant = if trials_path.exists() {
        let (headers, rows) = read_csv(&trials_path, &["variant", "trial"])?;
        let column = headers.iter().position(|h| h == metric);
        match column {
            None => None,
            Some(c) => {
                let mut map: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
                for (line, r) in &rows {
                    let v = number(&trials_path, *line, metric, r.get(c).unwrap_or(""))?;
                    map.entry((r.get(0).unwrap_or("").to_string(), metric.to_string()))
                        .or_default()
                        .push(v);
                }
                // A file cut short (a full disk, a copy interrupted) has fewer trials than
                // run.json says: pairing on it would silently use the wrong trials.
                for variant in &variants {
                    let n = map
                        .get(&(variant.clone(), metric.to_string()))
                        .map_or(0, Vec::len);
                    if n as u64 != trials {
                        return Err(InputError::new(format!(
                            "{}: variant `{variant}` has {n} rows but run.json says {trials} trials; the file is incomplete (rerun the study with --write-trials)",
                            trials_path.display()
                        )));
                    }
                }
                Some(map)
            }
        }
    } else {
        None
    };
    Ok(Run {
        label: label_of(dir),
        dir: dir.to_path_buf(),
        study,
        seed,
        trials,
        currency,
        variants,
        summary,
        trials_by_variant,
    })
}
