//! The rows of the study folder's CSV files, defined once as serde types: the writers in
//! [`super::tables`] serialise them and `compare` reads them back with the same types, so
//! a column cannot be renamed on one side only. Bump [`super::manifest::FORMAT_VERSION`]
//! when a column changes.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::sim::Metric;

/// A number in a CSV cell: written as the shortest text that reads back to the same `f64`,
/// an undefined value (NaN) as an empty cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Num(pub f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_nan() {
            s.serialize_str("")
        } else {
            s.collect_str(&self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        let text = String::deserialize(d)?;
        if text.is_empty() {
            return Ok(Num(f64::NAN));
        }
        text.parse::<f64>()
            .map(Num)
            .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a number")))
    }
}

/// A row of `summary.csv`: one output of one variant (or its `p_loss` / `cvar5` row).
/// `n` counts the trials where the output is defined.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SummaryRow {
    pub variant: String,
    pub model: String,
    #[serde(rename = "loop")]
    pub loop_type: String,
    pub metric: String,
    pub mean: Num,
    pub sd: Num,
    pub se: Num,
    pub ci_low: Num,
    pub ci_high: Num,
    pub p5: Num,
    pub p25: Num,
    pub p50: Num,
    pub p75: Num,
    pub p95: Num,
    pub min: Num,
    pub max: Num,
    pub n: usize,
}

/// A row of a study's `comparison.csv`: variant A against B on one output, paired trials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComparisonRow {
    pub variant_a: String,
    pub variant_b: String,
    pub metric: String,
    pub mean_diff: Num,
    pub ci_low: Num,
    pub ci_high: Num,
    pub p_a_better: Num,
    pub n: usize,
}

/// A row of `daily.csv`: the band of one daily path of one variant on one day (from 1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DailyRow {
    pub variant: String,
    pub day: usize,
    pub metric: String,
    pub p5: Num,
    pub p50: Num,
    pub p95: Num,
}

/// A row of `trials.csv`: one trial of one variant, then every output in [`Metric::ALL`]
/// order. The outputs are a sequence, so the header is [`trials_header`] and rows are read
/// by position after checking it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrialRow {
    pub variant: String,
    pub trial: u64,
    pub outputs: Vec<Num>,
}

/// The header of `trials.csv`.
pub fn trials_header() -> Vec<&'static str> {
    let mut header = vec!["variant", "trial"];
    header.extend(Metric::ALL.iter().map(|m| m.name()));
    header
}

/// A row of a comparison folder's `comparison.csv`: a variant in run B against run A.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunDiffRow {
    pub variant: String,
    pub metric: String,
    pub run_a: String,
    pub run_b: String,
    pub mean_a: Num,
    pub mean_b: Num,
    pub mean_diff: Num,
    pub ci_low: Num,
    pub ci_high: Num,
    pub method: String,
}
