//! `shopsim merge`: parts of a sharded study, checked against each other, into one study.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;

use super::common::check_finite;
use super::summary::verdict_text;
use crate::cli::MergeArgs;
use crate::error::InputError;
use crate::output::{self, FolderKind, Input, RunFacts, StagedFolder, WriteOptions};
use crate::scenario::{self, Overrides};
use crate::stats;

/// Writes the parts' `trials.csv` files, in shard order, as the study's (one header),
/// checking each against its part on the way (see [`crate::shard::Part::copy_trials`]).
pub(crate) fn concatenate_trials(
    staged: &StagedFolder,
    parts: &[(PathBuf, crate::shard::Part)],
) -> Result<()> {
    let (path, file) = staged.create_file("trials.csv")?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let fail = |e: std::io::Error| {
        anyhow::anyhow!("writing '{}': {e}", crate::error::printable_path(&path))
    };
    let mut problems = Vec::new();
    for (index, (_, part)) in parts.iter().enumerate() {
        problems.extend(part.copy_trials(&mut out, index == 0).map_err(fail)?);
    }
    out.flush().map_err(fail)?;
    match InputError::from_problems(problems) {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// `shopsim merge`: the study from every part of it.
pub(crate) fn merge(args: MergeArgs) -> Result<()> {
    let merge_start = Instant::now();
    let mut parts = read_parts(&args.parts)?;
    crate::shard::check_complete(&mut parts)?;
    let record = parts[0].1.record.clone();
    let overrides = match (&record.params_text, &record.params_csv) {
        (Some(text), Some(origin)) => Some(Overrides::parse(text, origin)?),
        _ => None,
    };
    let mut scenario =
        scenario::parse(&record.scenario_text, &record.scenario, overrides.as_ref())?;
    scenario.override_run(Some(record.trials), Some(record.seed))?;
    scenario.override_sampling(crate::sim::inputs::Sampling::parse(&record.sampling))?;
    let names: Vec<String> = scenario
        .spec()
        .variants()
        .iter()
        .map(|v| v.name().to_string())
        .collect();
    let spec = scenario.spec();
    crate::shard::check_study(&parts, spec.name(), spec.horizon_days(), &names)?;
    let pairs = stats::analysis::study_pairs(spec, scenario.baseline());
    let with_trials = parts.iter().filter(|(_, p)| p.trials_csv.is_some()).count();
    if with_trials != 0 && with_trials != parts.len() {
        return Err(InputError::new(crate::error::Kind::Conflict,
            "some parts were run with --write-trials and some without: trials.csv would be incomplete; run the shards the same way".to_string(),
        )
        .into());
    }
    let parts_read: Vec<Input> = args
        .parts
        .iter()
        .map(|p| Input::new(p, "the part"))
        .collect();
    // Never inside a part, nor over one (not even --force may delete an input): checked
    // before the parts' data are read.
    crate::output::inputs::refuse_replacing_inputs(
        &args.out.join(scenario.spec().name()),
        &parts_read,
    )?;
    let (results, elapsed) = add_up(&parts, names.len(), scenario.spec().horizon_days(), &pairs)?;
    let staged = StagedFolder::create(
        &args.out,
        scenario.spec().name(),
        FolderKind::STUDY,
        args.force,
        &parts_read,
    )?;
    if with_trials == parts.len() {
        concatenate_trials(&staged, &parts)?;
    }
    check_finite(std::slice::from_ref(&scenario), [&results])?;
    let (elapsed, results) = (&elapsed, &results);
    let method = if record.draw_method == "per-bin" {
        "per-bin"
    } else {
        "per-day"
    };
    let facts = RunFacts {
        threads: 1,
        elapsed_seconds: *elapsed,
        draw_method: method,
        params_csv: record.params_csv.as_deref(),
        precision: None,
        merged_parts: Some(parts.len()),
    };
    let options = WriteOptions {
        charts: args.charts.format(),
    };
    let analysis = stats::analyze(scenario.spec(), results, scenario.baseline());
    let dir = output::write_study(staged, &scenario, results, &analysis, &facts, options)?;
    super::terminal::files_written(&dir);
    // The time printed is the merge's; the shards' simulation time is said apart.
    let shards = format!(
        "merged from {} parts, which simulated for {elapsed:.2} s in all",
        parts.len()
    );
    // As after a run: a note when the merged trials are far from `--precision 0.01`.
    let reached = crate::precision::reached(
        results,
        &stats::analysis::study_pairs(scenario.spec(), scenario.baseline()),
    );
    let last = match crate::precision::line(None, &reached, scenario.spec().sampling()) {
        Some(note) => format!("{shards}\n  {note}"),
        None => shards,
    };
    let merged_in = merge_start.elapsed().as_secs_f64();
    super::terminal::answer(&verdict_text(
        &scenario,
        &analysis,
        &dir,
        merged_in,
        Some(&last),
    ))?;
    if args.open {
        super::terminal::open_page(&dir.join("report.html"));
    }
    Ok(())
}

/// Every part folder read, every part's problems reported together.
fn read_parts(dirs: &[PathBuf]) -> Result<Vec<(PathBuf, crate::shard::Part)>, InputError> {
    let mut parts = Vec::new();
    let mut problems = Vec::new();
    for dir in dirs {
        match crate::shard::read(dir) {
            Ok(p) => parts.push((dir.clone(), p)),
            Err(e) => problems.extend(e.into_problems()),
        }
    }
    match InputError::from_problems(problems) {
        Some(e) => Err(e),
        None => Ok(parts),
    }
}

/// The study's accumulators and the shards' simulation seconds: one part's accumulators
/// at a time, added to the total (the merge is exact and does not depend on order); every
/// part's problems are reported together.
fn add_up(
    parts: &[(PathBuf, crate::shard::Part)],
    variants: usize,
    horizon_days: usize,
    pairs: &[(usize, usize)],
) -> Result<(stats::StudyAccumulator, f64), InputError> {
    let sampling = parts.first().map_or(Default::default(), |(_, p)| {
        crate::sim::inputs::Sampling::parse(&p.record.sampling).unwrap_or_default()
    });
    let mut results = stats::StudyAccumulator::sampled(variants, horizon_days, pairs, sampling);
    let mut elapsed = 0.0;
    let mut problems = Vec::new();
    for (_, part) in parts {
        match part.accumulators(pairs) {
            Ok(acc) => results.merge(&acc),
            Err(e) => problems.extend(e.into_problems()),
        }
        elapsed += part.record.elapsed_seconds;
    }
    match InputError::from_problems(problems) {
        Some(e) => Err(e),
        None => Ok((results, elapsed)),
    }
}
