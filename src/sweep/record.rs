//! `sweep.json`, the sweep's record.

use serde::{Deserialize, Serialize};

use crate::formats::record::AnalysisHeader;

/// `sweep.json`: what a sweep ran. Written last: its presence marks a complete sweep
/// folder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepRecord {
    /// What ran, where and when (`kind` "sweep").
    #[serde(flatten)]
    pub header: AnalysisHeader,
    /// The `--grid` CSV, if any.
    pub grid: Option<String>,
    /// The `--range` flags, as given.
    pub ranges: Vec<String>,
    /// The variants run, in order.
    pub variants: Vec<String>,
    /// Days simulated.
    pub horizon_days: usize,
    /// The output the charts show.
    pub chart_metric: String,
    /// Why there are no charts, when there are none.
    pub chart_note: Option<String>,
    /// The points, in order.
    pub points: Vec<SweepPointRecord>,
    /// The command line that reproduces the sweep (as `report.html` shows it).
    pub command: String,
}

/// One point of `sweep.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPointRecord {
    /// From 1, as in `sweep.csv`.
    pub point: usize,
    /// Its name.
    pub name: String,
    /// The variant it changes; `None`: all.
    pub variant: Option<String>,
    /// What it sets.
    pub values: Vec<SweepValueRecord>,
}

/// One value a point sets, and where it was set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepValueRecord {
    /// The parameter key.
    pub key: String,
    /// Its value (a number or a distribution).
    pub value: String,
    /// The grid file and line, or the `--range` flag.
    pub source: String,
}
