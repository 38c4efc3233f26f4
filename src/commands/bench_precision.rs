//! `shopsim bench`'s time to an answer: how many trials, and how many seconds, the
//! built-in study (as `shopsim run` runs it, 120 days) takes to reach `--precision 0.01`
//! with each sampling method, on the same seed and threads.

use std::time::Instant;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::precision::{self, Target};
use crate::scenario::{self, Scenario};
use crate::sim::inputs::Sampling;
use crate::sim::{study::Rows, DrawMethod};
use crate::stats;

/// The precision asked: every mean profit within ±1%, every P(A beats B) within ±0.01,
/// as `shopsim run --precision 0.01`.
pub const TARGET: Target = Target {
    relative: Some(0.01),
    absolute: None,
    probability: 0.01,
    max_trials: 100_000,
};

/// One sampling method's time to the target.
#[derive(Clone, Debug, Serialize)]
pub struct TimeToPrecision {
    /// `lhs` or `mc`.
    pub sampling: String,
    /// Trials the run took (a multiple of 1,024, or the trial limit).
    pub trials: u64,
    /// Whether the target was met within the limit.
    pub met: bool,
    /// Wall-clock seconds of the run (simulation and streaming statistics, no files).
    pub seconds: f64,
}

/// The built-in study, as `shopsim run` runs it.
fn built_in() -> Result<Scenario> {
    Ok(scenario::parse(
        scenario::BUILT_IN,
        scenario::BUILT_IN_NAME,
        None,
    )?)
}

/// Runs the built-in study to [`TARGET`] with `sampling` on `threads` threads.
pub fn time_to_precision(sampling: Sampling, threads: usize) -> Result<TimeToPrecision> {
    let mut s = built_in()?;
    s.override_sampling(Some(sampling))?;
    let spec = s.spec();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting the worker threads")?;
    let pairs = stats::analysis::study_pairs(spec, s.baseline());
    let start = Instant::now();
    let outcome = pool.install(|| {
        let rows: Option<Rows<'_, std::convert::Infallible>> = None;
        precision::run_until(spec, DrawMethod::PerDay, &pairs, &TARGET, &|_| {}, rows)
    });
    let seconds = start.elapsed().as_secs_f64();
    let (_, record) = match outcome {
        Ok(done) => done,
        Err(never) => match never {},
    };
    Ok(TimeToPrecision {
        sampling: sampling.name().to_string(),
        trials: record.reached.trials,
        met: record.met,
        seconds,
    })
}

/// The rows of the report's table, `mc` first.
pub fn text(rows: &[TimeToPrecision]) -> String {
    let mut out = String::from(
        "  time to --precision 0.01 (built-in study, 120 days; every mean ±1%, P(A beats B) ±0.01):\n",
    );
    for r in rows {
        let reached = if r.met { "" } else { " (not reached)" };
        out.push_str(&format!(
            "    {:<4} {:>7} trials{reached}  {:>6.2} s\n",
            r.sampling,
            crate::format::fmt_count(r.trials),
            r.seconds
        ));
    }
    if let [mc, lhs] = rows {
        if lhs.trials > 0 && lhs.seconds > 0.0 {
            out.push_str(&format!(
                "    lhs needs {:.1}× fewer trials and {:.1}× less time\n",
                mc.trials as f64 / lhs.trials as f64,
                mc.seconds / lhs.seconds
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_gives_each_method_and_the_ratios() {
        let row = |sampling: &str, trials, met, seconds| TimeToPrecision {
            sampling: sampling.to_string(),
            trials,
            met,
            seconds,
        };
        let text = text(&[row("mc", 30_720, true, 9.0), row("lhs", 6_144, true, 2.0)]);
        assert!(text.contains("mc    30,720 trials    9.00 s"), "{text}");
        assert!(
            text.contains("lhs needs 5.0× fewer trials and 4.5× less time"),
            "{text}"
        );
        let short = super::text(&[row("mc", 100_000, false, 30.0)]);
        assert!(short.contains("100,000 trials (not reached)"), "{short}");
        assert!(!short.contains("fewer"), "{short}");
    }
}
