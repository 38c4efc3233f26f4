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
    /// Trials run, each variant's counted once: the base run's, the swings' (paired with
    /// the base run's, stopped when precise enough) and the Sobol design's.
    pub trials_run: u64,
    /// A swing stops adding trials once the standard errors of its effects are within
    /// this share of the target's widest bar (or at the study's trials).
    pub swing_tolerance: f64,
    /// Most rows of the Sobol design per factor (0: none).
    pub sobol_rows: u64,
    /// A factor's design stops once its 95% intervals are at most this wide.
    pub sobol_width: f64,
    /// The command line that reproduces the analysis (as `report.html` shows it).
    pub command: String,
}
