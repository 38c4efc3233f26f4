//! Everything written to disk: CSV tables, the run manifest, the catalog export, and the
//! staged study folder. Builders return bytes; only `folder.rs` touches files.

pub mod catalog;
pub mod folder;
pub mod manifest;
pub mod tables;

use std::path::PathBuf;

use anyhow::Result;

pub use folder::StagedFolder;
pub use manifest::RunFacts;

use crate::scenario::Scenario;
use crate::sim::StudyResults;

/// Writes a study's files into its staged folder and moves it into place.
pub fn write_study(
    staged: StagedFolder,
    scenario: &Scenario,
    results: &StudyResults,
    facts: &RunFacts<'_>,
    write_trials: bool,
) -> Result<PathBuf> {
    staged.write("summary.csv", &tables::summary_csv(scenario, results))?;
    staged.write("comparison.csv", &tables::comparison_csv(scenario, results))?;
    staged.write("daily.csv", &tables::daily_csv(scenario, results))?;
    if write_trials {
        staged.write("trials.csv", &tables::trials_csv(scenario, results))?;
    }
    // The manifest goes last: its presence marks a complete study.
    staged.write("run.json", &manifest::manifest_json(scenario, facts))?;
    staged.commit()
}
