//! `threshold.json`, the threshold search's record.

use serde::{Deserialize, Serialize};

use crate::formats::record::AnalysisHeader;

/// `threshold.json`: what a threshold search asked and found. Written last: its presence
/// marks a complete folder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThresholdRecord {
    /// What ran, where and when (`kind` "threshold").
    #[serde(flatten)]
    pub header: AnalysisHeader,
    /// The parameter moved.
    pub param: String,
    /// The variant it was moved on (`None`: every variant).
    pub on: Option<String>,
    /// The interval searched.
    pub between: [f64; 2],
    /// Variant A.
    pub a: String,
    /// Variant B.
    pub b: String,
    /// The output compared.
    pub metric: String,
    /// The probability of A beating B searched for.
    pub prob: f64,
    /// `crosses` or `never`.
    pub outcome: String,
    /// Where P(A beats B) crosses `prob` (when it does).
    pub value: Option<f64>,
    /// `rising` (A beats B more often above the value) or `falling`.
    pub direction: Option<String>,
    /// The 95% interval's lower end; `None`: below the interval searched.
    pub value_low: Option<f64>,
    /// The 95% interval's upper end; `None`: above the interval searched.
    pub value_high: Option<f64>,
    /// How many scan steps pass the target (above 1, the first is reported).
    pub crossings: usize,
    /// P(A beats B) at the interval's ends.
    pub p_at_ends: [f64; 2],
    /// Values run (each a full study of A and B).
    pub values_run: usize,
    /// The command line that reproduces the search (as `report.html` shows it).
    pub command: String,
}
