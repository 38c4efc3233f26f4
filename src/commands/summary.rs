//! The short verdict `run` and `merge` print on the terminal; the files hold the rest.

use std::path::Path;

use super::terminal::{money, paint, HEADLINE, WARNING};
use crate::format::{fmt_count, whole_or_na};
use crate::output::{self};
use crate::scenario::Scenario;
use crate::sim::Metric;
use crate::stats;

/// Variants listed in the terminal verdict; the files hold every one.
pub(crate) const VERDICT_ROWS: usize = 30;

/// A short verdict for the terminal, then `last_line` (a precision note, what a merge put
/// together); the files hold the rest. Money is written with thousands separators, losses
/// in red and the headline in bold (the styles are stripped when colour is off).
pub(crate) fn verdict_text(
    scenario: &Scenario,
    analysis: &stats::StudyAnalysis,
    dir: &Path,
    elapsed: f64,
    last_line: Option<&str>,
) -> String {
    let spec = scenario.spec();
    let mut text = format!(
        "{}: {} trials × {} variants × {} days in {:.2} s → {}\n",
        spec.name(),
        fmt_count(spec.trials()),
        spec.variants().len(),
        spec.horizon_days(),
        elapsed,
        crate::error::printable_path(dir)
    );
    text.push_str(&format!(
        "  {:<24} {:>29} {:>8} {:>12}\n",
        "variant",
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
        let cell = |v: f64, width: usize| money(v, format!("{:>width$}", whole_or_na(v)));
        text.push_str(&format!(
            "  {:<24} {} [{}, {}] {:>7.1}% {:>12}\n",
            a.name,
            cell(p.mean.point, 10),
            cell(p.mean.ci_low, 7),
            cell(p.mean.ci_high, 7),
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
    text.push_str(&format!("  {}\n", paint(HEADLINE, &verdict.headline)));
    if let Some(why) = &verdict.drivers {
        text.push_str(&format!("  {why}\n"));
    }
    for c in &verdict.caveats {
        text.push_str(&format!("  {} {c}\n", paint(WARNING, "caveat:")));
    }
    if let Some(next) = &verdict.next_step {
        text.push_str(&format!("  {next}\n"));
    }
    if let Some(line) = last_line {
        text.push_str(&format!("  {line}\n"));
    }
    text
}
