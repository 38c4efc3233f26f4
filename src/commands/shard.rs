//! `shopsim run --shard K/N`: one share of a study's trial batches, written as a part
//! folder for `merge`.

use std::time::Instant;

use anyhow::{Context, Result};

use super::common::check_finite;
use super::simulate::{simulate, Simulation};
use crate::cli::RunArgs;
use crate::error::InputError;
use crate::format::fmt_count;
use crate::output::{self, FolderKind, Input, StagedFolder};
use crate::scenario::{Overrides, Scenario};
use crate::sim::{self};

/// `shopsim run --shard K/N`: runs the shard's trials of every scenario and writes one
/// part folder each.
pub(crate) fn run_shard(
    args: &RunArgs,
    shard: crate::shard::Shard,
    scenarios: &[Scenario],
    overrides: Option<&Overrides>,
    threads: usize,
    inputs: &[Input],
) -> Result<()> {
    let mut plans = Vec::new();
    for s in scenarios {
        let trials = s.spec().trials();
        let range = shard.trials(trials).ok_or_else(|| {
            InputError::new(crate::error::Kind::OutOfRange, format!(
                "--shard {}/{}: study `{}` has {} batches of {} trials ({trials} trials); use at most that many shards",
                shard.index,
                shard.count,
                s.spec().name(),
                trials.div_ceil(sim::study::BATCH_SIZE),
                sim::study::BATCH_SIZE
            ))
        })?;
        let folder = shard.folder_name(s.spec().name());
        plans.push((
            range,
            StagedFolder::create(&args.out, &folder, FolderKind::SHARD, args.force, inputs)?,
        ));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting the worker threads")?;
    let method = args.method.method();
    for (s, ((first, count), staged)) in scenarios.iter().zip(plans) {
        let start = Instant::now();
        let plan = Simulation {
            first,
            count,
            method,
            target: None,
            trials_into: args.write_trials.then_some(&staged),
        };
        let (results, _) = pool.install(|| simulate(s, &plan, &|_| {}))?;
        check_finite(std::slice::from_ref(s), [&results])?;
        let elapsed = start.elapsed().as_secs_f64();
        let mut record = crate::shard::PartRecord {
            program: "shopsim".to_string(),
            kind: "shard".to_string(),
            format_version: crate::formats::record::FORMAT_VERSION,
            version: env!("CARGO_PKG_VERSION").to_string(),
            build: Some(crate::BUILD.to_string()),
            study: s.spec().name().to_string(),
            scenario: s.origin().to_string(),
            scenario_text: s.text().to_string(),
            params_csv: overrides.map(|o| o.origin().to_string()),
            params_text: overrides.map(|o| o.text().to_string()),
            seed: s.spec().seed(),
            trials: s.spec().trials(),
            horizon_days: s.spec().horizon_days(),
            draw_method: args.method.name().to_string(),
            sampling: s.spec().sampling().name().to_string(),
            shard: shard.index,
            shards: shard.count,
            first_trial: first,
            trial_count: count,
            variants: s
                .spec()
                .variants()
                .iter()
                .map(|v| v.name().to_string())
                .collect(),
            elapsed_seconds: elapsed,
            files: std::collections::BTreeMap::new(),
        };
        let data = crate::shard::encode(&results);
        staged.write(crate::shard::PART_DATA, &data)?;
        // What the merge checks the files against. trials.csv is read back a block at a
        // time (it can be GBs).
        record.files.insert(
            crate::shard::PART_DATA.to_string(),
            crate::shard::digest_bytes(&data),
        );
        if args.write_trials {
            let trials = crate::shard::PART_TRIALS;
            let digest = crate::shard::digest_reader(staged.open_file(trials)?)
                .with_context(|| format!("reading back {trials}"))?;
            record.files.insert(trials.to_string(), digest);
        }
        let json = serde_json::to_string_pretty(&record).context("writing part.json")?;
        // The marker goes last: its presence marks a complete part.
        staged.write(output::SHARD_MARKER, json.as_bytes())?;
        let dir = staged.commit()?;
        super::terminal::files_written(&dir);
        super::terminal::answer(&format!(
            "{}: shard {} of {}: trials {}..{} of {} in {elapsed:.2} s → {}\n",
            s.spec().name(),
            shard.index,
            shard.count,
            fmt_count(first),
            fmt_count(first + count),
            fmt_count(s.spec().trials()),
            crate::error::printable_path(&dir)
        ))?;
    }
    Ok(())
}
