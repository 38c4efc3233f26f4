//! Everything written to disk: CSV tables, the run manifest, the catalog export, and the
//! staged study folder. Builders return bytes; only `folder.rs` touches files.

pub mod analysis_page;
pub mod catalog;
pub mod charts;
pub mod compare_report;
pub mod comparison;
pub mod folder;

pub mod inputs;
pub mod manifest;
pub mod new_file;
pub mod page;
pub mod report;
pub mod tables;
pub mod verdict;
pub mod worlds;

use std::path::PathBuf;

use anyhow::Result;

pub use comparison::write_comparison;
pub use folder::{FolderKind, StagedFolder, SHARD_MARKER};
pub use inputs::Input;
pub use manifest::RunFacts;

use crate::scenario::Scenario;
use crate::stats::accumulate::StudyAccumulator;
use crate::stats::StudyAnalysis;

/// What to write besides the tables (`trials.csv` is written while the trials run).
#[derive(Clone, Copy, Debug)]
pub struct WriteOptions {
    /// `None`: no charts.
    pub charts: Option<charts::ChartFormat>,
}

/// Writes a study's files into its staged folder and moves it into place. `analysis` is
/// the study's [`crate::stats::analyze`]; `results` are needed only for the charts that
/// show every trial.
pub fn write_study(
    staged: StagedFolder,
    scenario: &Scenario,
    results: &StudyAccumulator,
    analysis: &StudyAnalysis,
    facts: &RunFacts<'_>,
    options: WriteOptions,
) -> Result<PathBuf> {
    staged.write("summary.csv", &tables::summary_csv(scenario, analysis)?)?;
    staged.write(
        "comparison.csv",
        &tables::comparison_csv(scenario, analysis)?,
    )?;
    staged.write("daily.csv", &tables::daily_csv(scenario, analysis)?)?;
    if let Some(w) = &analysis.worlds {
        staged.write("worlds.csv", &worlds::worlds_csv(w, analysis)?)?;
    }
    if scenario.origin() == crate::scenario::STDIN_NAME {
        // Read from standard input, the scenario exists nowhere else: keep it beside its
        // results, so that the report's reproduce line can use it.
        staged.write(folder::STDIN_SCENARIO, scenario.text().as_bytes())?;
    }
    let rendered = match options.charts {
        Some(format) => {
            charts::data::study_charts(scenario, results, analysis, format).map_err(|e| {
                anyhow::anyhow!("drawing the charts of `{}`: {e}", scenario.spec().name())
            })?
        }
        None => Vec::new(),
    };
    write_charts(&staged, &rendered)?;
    staged.write(
        "report.html",
        report::report_html(scenario, analysis, &rendered, facts).as_bytes(),
    )?;
    // The manifest goes last: its presence marks a complete study.
    staged.write("run.json", &manifest::manifest_json(scenario, facts)?)?;
    staged.commit()
}

/// Writes rendered charts into `charts/` of a staged folder.
pub fn write_charts(staged: &StagedFolder, charts: &[charts::Rendered]) -> Result<()> {
    for chart in charts {
        if let Some(png) = &chart.png {
            staged.write(&format!("charts/{}.png", chart.stem), png)?;
        }
        if let Some(svg) = &chart.svg {
            staged.write(&format!("charts/{}.svg", chart.stem), svg.as_bytes())?;
        }
    }
    Ok(())
}

/// File stems for charts named after variants or targets, one per name: characters that
/// a Windows file name cannot hold (`<>:"|?*`) become `_`, and names that would be one
/// file on a file system that ignores case (macOS, Windows: `Self` and `self`), or that
/// become equal so, get `_2`, `_3`… in order, so no chart replaces another.
pub fn chart_stems<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    names
        .into_iter()
        .map(|name| {
            let plain: String = name
                .chars()
                .map(|c| if "<>:\"|?*".contains(c) { '_' } else { c })
                .collect();
            let mut stem = plain.clone();
            let mut n = 1;
            while !taken.insert(stem.to_lowercase()) {
                n += 1;
                stem = format!("{plain}_{n}");
            }
            stem
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::chart_stems;

    #[test]
    fn chart_stems_never_name_one_file_twice() {
        assert_eq!(
            chart_stems(["Self", "self", "SELF", "self_2", "a:b", "a|b"]),
            ["Self", "self_2", "SELF_3", "self_2_2", "a_b", "a_b_2"]
        );
        assert_eq!(chart_stems(["fbt", "labels"]), ["fbt", "labels"]);
    }
}
