//! `shopsim run`: simulate the scenarios (a fixed number of trials, or until a precision
//! target), write each study's folder and print a short verdict.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};

use super::common::{
    check_finite, check_sizes, files_only, is_stdin, load_all, load_overrides, progress_bar,
    scenario_paths, warn,
};
use super::shard::run_shard;
use super::simulate::{simulate, Simulation};
use super::summary::verdict_text;
use super::terminal;
use crate::cli::RunArgs;
use crate::error::{InputError, Kind};
use crate::formats::record::PrecisionRecord;
use crate::output::{self, FolderKind, Input, RunFacts, StagedFolder, WriteOptions};
use crate::scenario::Scenario;
use crate::stats;

/// What `run` reads: every scenario file and the `--params` CSV (not standard input, `-`:
/// no folder can hold it).
pub(crate) fn run_inputs(args: &RunArgs, paths: &[PathBuf]) -> Vec<Input> {
    files_only(paths)
        .into_iter()
        .map(|p| Input::new(p, "the scenario"))
        .chain(
            files_only(&args.params)
                .into_iter()
                .map(|p| Input::new(p, "the --params CSV")),
        )
        .collect()
}

pub(crate) fn run_studies(args: RunArgs) -> Result<()> {
    let started = Instant::now();
    if args.params.as_deref().is_some_and(is_stdin) && args.scenarios.iter().any(|p| is_stdin(p)) {
        return Err(InputError::new(
            Kind::Conflict,
            "the scenario (`-`) and --params - both read standard input; give one of them as a file"
                .to_string(),
        )
        .into());
    }
    let overrides = load_overrides(args.params.as_deref())?;
    let paths = scenario_paths(&args.scenarios)?;
    let mut scenarios = load_all(&paths, overrides.as_ref())?;
    terminal::info(format!(
        "read {} in {:.2} s",
        crate::format::plural(scenarios.len() as u64, "scenario"),
        started.elapsed().as_secs_f64()
    ));
    let target = args.precision_target();
    // A precision run may take up to --max-trials: size it for that.
    let trials = target.map(|t| t.max_trials).or(args.trials);
    for s in &mut scenarios {
        s.override_run(trials, args.seed)?;
        s.override_sampling(args.sampling.map(crate::cli::SamplingArg::sampling))?;
    }
    warn(&scenarios);
    for note in scenarios
        .iter()
        .filter_map(crate::output::tables::pairs_note)
    {
        super::terminal::note(note);
    }
    let threads = crate::cli::threads_or_every_core(args.threads);
    check_sizes(&scenarios, args.write_trials, threads)?;

    if let Some(shard) = args.shard {
        let inputs = run_inputs(&args, &paths);
        return run_shard(
            &args,
            shard,
            &scenarios,
            overrides.as_ref(),
            threads,
            &inputs,
        );
    }
    // Claim the output folders before simulating: an unwritable folder fails at once.
    let inputs = run_inputs(&args, &paths);
    let staged: Vec<StagedFolder> = scenarios
        .iter()
        .map(|s| {
            StagedFolder::create(
                &args.out,
                s.spec().name(),
                FolderKind::STUDY,
                args.force,
                &inputs,
            )
        })
        .collect::<Result<_>>()?;

    let runs = simulate_all(&mut scenarios, &staged, &args, target.as_ref(), threads)?;
    check_finite(&scenarios, runs.iter().map(|(r, _, _)| r))?;
    write_and_print(&scenarios, runs, staged, &args, threads)
}

/// One study's run: its accumulators, seconds and precision record (with a target).
type StudyRun = (stats::StudyAccumulator, f64, Option<PrecisionRecord>);

/// Runs the studies one after another, each on every thread. With a precision target a
/// study becomes what ran: as many trials as the rounds took.
fn simulate_all(
    scenarios: &mut [Scenario],
    staged: &[StagedFolder],
    args: &RunArgs,
    target: Option<&crate::precision::Target>,
    threads: usize,
) -> Result<Vec<StudyRun>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting the worker threads")?;
    let total: u64 = scenarios.iter().map(|s| s.spec().trials()).sum();
    let bar = progress_bar(total);
    let done = AtomicU64::new(0);
    let tick = |n: u64| {
        let now = done.fetch_add(n, Ordering::Relaxed) + n;
        bar.set_position(now);
    };
    let mut runs = Vec::new();
    for (s, folder) in scenarios.iter_mut().zip(staged) {
        let start = Instant::now();
        let plan = Simulation {
            first: 0,
            count: s.spec().trials(),
            method: args.method.method(),
            target,
            trials_into: args.write_trials.then_some(folder),
        };
        let (r, record) = pool.install(|| simulate(s, &plan, &tick))?;
        if let Some(rec) = &record {
            s.override_run(Some(rec.reached.trials), None)?;
        }
        let seconds = start.elapsed().as_secs_f64();
        terminal::info(format!(
            "simulated `{}`: {} trials × {} variants × {} days, seed {}, on {} in {seconds:.2} s",
            s.spec().name(),
            crate::format::fmt_count(s.spec().trials()),
            s.spec().variants().len(),
            s.spec().horizon_days(),
            s.spec().seed(),
            crate::format::plural(threads as u64, "thread"),
        ));
        runs.push((r, seconds, record));
    }
    bar.finish_and_clear();
    Ok(runs)
}

/// Writes each study's folder and prints its verdict.
fn write_and_print(
    scenarios: &[Scenario],
    runs: Vec<StudyRun>,
    staged: Vec<StagedFolder>,
    args: &RunArgs,
    threads: usize,
) -> Result<()> {
    let params_csv = args.params.as_ref().map(|p| p.display().to_string());
    for ((scenario, (results, elapsed, record)), folder) in scenarios.iter().zip(runs).zip(staged) {
        let facts = RunFacts {
            threads,
            elapsed_seconds: elapsed,
            draw_method: args.method.name(),
            params_csv: params_csv.as_deref(),
            precision: record.as_ref(),
            merged_parts: None,
        };
        let options = WriteOptions {
            charts: args.charts.format(),
        };
        let writing = Instant::now();
        let analysis = stats::analyze(scenario.spec(), &results, scenario.baseline());
        let dir = output::write_study(folder, scenario, &results, &analysis, &facts, options)?;
        terminal::info(format!(
            "wrote {} in {:.2} s",
            crate::error::printable_path(&dir),
            writing.elapsed().as_secs_f64()
        ));
        terminal::files_written(&dir);
        let reached = match &record {
            Some(r) => r.reached.clone(),
            None => crate::precision::reached(
                &results,
                &stats::analysis::study_pairs(scenario.spec(), scenario.baseline()),
            ),
        };
        let sampling = scenario.spec().sampling();
        let precision_line = crate::precision::line(record.as_ref(), &reached, sampling);
        terminal::answer(&verdict_text(
            scenario,
            &analysis,
            &dir,
            elapsed,
            precision_line.as_deref(),
        ))?;
        if args.open {
            terminal::open_page(&dir.join("report.html"));
        }
    }
    Ok(())
}
