//! The files of a comparison folder (`shopsim compare`): charts, `comparison.csv`, the
//! report, and the `compare.json` marker written last.

use std::path::PathBuf;

use anyhow::Result;

use super::charts::{self, compare::CompareBoxes, compare::CompareDistributions, ChartFormat};
use super::tables::csv_bytes;
use super::{folder, manifest, report, write_charts, StagedFolder};
use crate::compare::Comparison;
use crate::formats::rows::{Num, RunDiffRow};

/// `comparison.csv` of a comparison: each later run against the first with the variant.
pub fn comparison_csv(c: &Comparison) -> Result<Vec<u8>> {
    csv_bytes(c.diffs.iter().map(|d| RunDiffRow {
        variant: d.variant.clone(),
        metric: c.metric.clone(),
        run_a: c.runs[d.run_a].label.clone(),
        run_b: c.runs[d.run_b].label.clone(),
        mean_a: Num(d.mean_a),
        mean_b: Num(d.mean_b),
        mean_diff: Num(d.diff.point),
        ci_low: Num(d.diff.ci_low),
        ci_high: Num(d.diff.ci_high),
        method: d.method.name().to_string(),
    }))
}

/// Writes a comparison's files into its staged folder and moves it into place.
pub fn write_comparison(
    staged: StagedFolder,
    comparison: &Comparison,
    format: ChartFormat,
) -> Result<PathBuf> {
    let boxes = CompareBoxes(comparison);
    let dists = CompareDistributions(comparison);
    let mut rendered = vec![charts::render(&boxes, format).map_err(anyhow::Error::msg)?];
    if !dists.drawable().is_empty() {
        rendered.push(charts::render(&dists, format).map_err(anyhow::Error::msg)?);
    }
    write_charts(&staged, &rendered)?;
    staged.write("comparison.csv", &comparison_csv(comparison)?)?;
    staged.write(
        "report.html",
        report::compare_html(comparison, &rendered).as_bytes(),
    )?;
    // The marker goes last: its presence marks a complete comparison folder.
    staged.write(
        folder::COMPARISON_MARKER,
        &manifest::comparison_marker_json(comparison)?,
    )?;
    staged.commit()
}
