//! The short verdict `run` and `merge` print on the terminal; the files hold the rest.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use super::common::write_out;
use crate::format::whole_or_na;
use crate::output::{self};
use crate::scenario::Scenario;
use crate::sim::Metric;
use crate::stats;

/// Variants listed in the terminal verdict; the files hold every one.
pub(crate) const VERDICT_ROWS: usize = 30;

/// A short verdict on the terminal, then `last_line` (a precision note, what a merge put
/// together); the files hold the rest.
pub(crate) fn print_result(
    out: &mut impl Write,
    scenario: &Scenario,
    analysis: &stats::StudyAnalysis,
    dir: &Path,
    elapsed: f64,
    last_line: Option<&str>,
) -> Result<()> {
    let spec = scenario.spec();
    let mut text = format!(
        "{}: {} trials × {} variants × {} days in {:.2} s → {}\n",
        spec.name(),
        spec.trials(),
        spec.variants().len(),
        spec.horizon_days(),
        elapsed,
        crate::error::printable_path(dir)
    );
    text.push_str(&format!(
        "  {:<24} {:>26} {:>8} {:>12}\n",
        format!("variant"),
        format!("mean profit ({}) [95% CI]", scenario.currency()),
        "P(loss)",
        "margin p50"
    ));
    for a in analysis.variants.iter().take(VERDICT_ROWS) {
        let Some(p) = a.summary(Metric::Profit) else {
            continue;
        };
        let margin = a
            .summary(Metric::Margin)
            .map_or("n/a".to_string(), |m| format!("{:.1}%", 100.0 * m.p50));
        text.push_str(&format!(
            "  {:<24} {:>10.0} [{:>6}, {:>6}] {:>7.1}% {:>12}\n",
            a.name,
            p.mean.point,
            whole_or_na(p.mean.ci_low),
            whole_or_na(p.mean.ci_high),
            100.0 * a.p_loss.p,
            margin
        ));
    }
    if spec.variants().len() > VERDICT_ROWS {
        text.push_str(&format!(
            "  … and {} more variants (summary.csv and report.html have them all)\n",
            spec.variants().len() - VERDICT_ROWS
        ));
    }
    if let Some(w) = &analysis.worlds {
        text.push_str(&output::worlds::terminal_tables(w, scenario.currency()));
    }
    let verdict = output::verdict::verdict(scenario, analysis);
    text.push_str(&format!("  {}\n", verdict.headline));
    if let Some(why) = &verdict.drivers {
        text.push_str(&format!("  {why}\n"));
    }
    for c in &verdict.caveats {
        text.push_str(&format!("  caveat: {c}\n"));
    }
    if let Some(line) = last_line {
        text.push_str(&format!("  {line}\n"));
    }
    write_out(out, &text)
}
