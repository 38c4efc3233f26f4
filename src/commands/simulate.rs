//! One study's trials, a fixed number or rounds until a precision target, into its
//! accumulators (and `trials.csv` as they come): what `run` and `run --shard` share.

use std::io::Write;

use anyhow::{Context, Result};

use crate::formats::record::PrecisionRecord;
use crate::output::{self, StagedFolder};
use crate::scenario::Scenario;
use crate::sim::{self, DrawMethod};
use crate::stats;

/// What [`simulate`] runs.
pub(crate) struct Simulation<'a> {
    /// First trial (a multiple of the batch size).
    pub(crate) first: u64,
    /// Trials to run (with a precision target: at most this many, from trial 0).
    pub(crate) count: u64,
    pub(crate) method: DrawMethod,
    pub(crate) target: Option<&'a crate::precision::Target>,
    /// Write `trials.csv` into this folder as the trials come.
    pub(crate) trials_into: Option<&'a StagedFolder>,
}

/// Runs one study's trials (a fixed number, or rounds until a precision target) into
/// its accumulators, writing `trials.csv` as they come when asked.
pub(crate) fn simulate(
    s: &Scenario,
    plan: &Simulation<'_>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(stats::StudyAccumulator, Option<PrecisionRecord>)> {
    let pairs = stats::analysis::study_pairs(s.spec(), s.baseline());
    let mut writer = match plan.trials_into {
        Some(folder) => {
            let (path, file) = folder.create_file("trials.csv")?;
            let out = std::io::BufWriter::with_capacity(1 << 20, file);
            Some(output::tables::TrialsCsv::new(
                s,
                out,
                &path.display().to_string(),
            )?)
        }
        None => None,
    };
    let mut write = |first: u64, outputs: &[Vec<sim::Outputs>]| -> Result<()> {
        match writer.as_mut() {
            Some(w) => w.write_batch(first, outputs),
            None => Ok(()),
        }
    };
    let rows: Option<sim::study::Rows<'_, anyhow::Error>> =
        plan.trials_into.is_some().then_some(&mut write);
    let outcome = match plan.target {
        None => (
            stats::StudyAccumulator::run(
                s.spec(),
                plan.first,
                plan.count,
                plan.method,
                &pairs,
                progress,
                rows,
            )?,
            None,
        ),
        Some(t) => {
            let (r, record) =
                crate::precision::run_until(s.spec(), plan.method, &pairs, t, progress, rows)?;
            (r, Some(record))
        }
    };
    if let Some(w) = writer {
        w.finish()?.flush().context("writing trials.csv")?;
    }
    Ok(outcome)
}
