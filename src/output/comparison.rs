//! The files of a comparison folder (`shopsim compare`): charts, `comparison.csv`,
//! `changes.csv` (what differs in the inputs), the report, and the `compare.json` marker
//! written last.

use std::path::PathBuf;

use anyhow::Result;

use super::charts::{self, compare::CompareBoxes, compare::CompareDistributions, ChartFormat};
use super::tables::csv_bytes;
use super::{compare_report, folder, manifest, write_charts, StagedFolder};
use crate::compare::Comparison;
use crate::formats::rows::{ChangeRow, Num, RunDiffRow};

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

/// `changes.csv` of a comparison: every input that differs, per pair of runs compared.
pub fn changes_csv(c: &Comparison) -> Result<Vec<u8>> {
    if c.changes.iter().all(|pair| pair.changes.is_empty()) {
        // Nothing differs: the header alone (serde writes it with the first row).
        let one = csv_bytes([ChangeRow::default()])?;
        let end = one
            .iter()
            .position(|&b| b == b'\n')
            .map_or(one.len(), |i| i + 1);
        return Ok(one[..end].to_vec());
    }
    csv_bytes(c.changes.iter().flat_map(|pair| {
        pair.changes.iter().map(|ch| ChangeRow {
            run_a: c.runs[pair.run_a].label.clone(),
            run_b: c.runs[pair.run_b].label.clone(),
            variant: ch.scope.column().to_string(),
            key: ch.key.clone(),
            value_a: ch.value_a.clone().unwrap_or_default(),
            value_b: ch.value_b.clone().unwrap_or_default(),
            source_a: ch.source_a.clone(),
            source_b: ch.source_b.clone(),
        })
    }))
}

/// Writes a comparison's files into its staged folder and moves it into place; `command`
/// makes it again (shown in the report).
pub fn write_comparison(
    staged: StagedFolder,
    comparison: &Comparison,
    format: ChartFormat,
    command: &str,
) -> Result<PathBuf> {
    let boxes = CompareBoxes(comparison);
    let dists = CompareDistributions(comparison);
    let mut rendered = vec![charts::render(&boxes, format).map_err(anyhow::Error::msg)?];
    if !dists.drawable().is_empty() {
        rendered.push(charts::render(&dists, format).map_err(anyhow::Error::msg)?);
    }
    write_charts(&staged, &rendered)?;
    staged.write("comparison.csv", &comparison_csv(comparison)?)?;
    staged.write("changes.csv", &changes_csv(comparison)?)?;
    staged.write(
        "report.html",
        compare_report::compare_html(comparison, &rendered, command).as_bytes(),
    )?;
    // The marker goes last: its presence marks a complete comparison folder.
    staged.write(
        folder::COMPARISON_MARKER,
        &manifest::comparison_marker_json(comparison)?,
    )?;
    staged.commit()
}
