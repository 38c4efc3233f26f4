//! `sensitivity.json`, the sensitivity analysis's record.

use serde::{Deserialize, Serialize};

use crate::formats::record::AnalysisHeader;

/// `sensitivity.json`: what a sensitivity analysis ran. Written last: its presence marks a
/// complete folder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SensitivityRecord {
    /// What ran, where and when (`kind` "sensitivity").
    #[serde(flatten)]
    pub header: AnalysisHeader,
    /// The targets: variants, or `a - b`.
    pub targets: Vec<String>,
    /// The output.
    pub metric: String,
    /// The `--swing` ranges given.
    pub swings_given: Vec<String>,
    /// Inputs swung.
    pub inputs_swung: usize,
    /// Studies run (the base run and every swing's).
    pub studies_run: usize,
    /// Rows of the Sobol design (0: none).
    pub sobol_rows: u64,
    /// The command line that reproduces the analysis (as `report.html` shows it).
    pub command: String,
}
