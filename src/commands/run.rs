//! `shopsim run`: simulate the scenarios (a fixed number of trials, or until a precision
//! target), write each study's folder and print a short verdict.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};

use super::common::*;
use super::shard::run_shard;
use crate::cli::*;
use crate::formats::record::PrecisionRecord;
use crate::output::format::whole_or_na;
use crate::output::{self, FolderKind, Input, RunFacts, StagedFolder, WriteOptions};
use crate::scenario::Scenario;
use crate::sim::{self, DrawMethod, Metric};
use crate::stats;

/// What `run` reads: every scenario file and the `--params` CSV.
pub(crate) fn run_inputs(args: &RunArgs, paths: &[PathBuf]) -> Vec<Input> {
    paths
        .iter()
        .map(|p| Input::new(p, "the scenario"))
        .chain(
            args.params
                .iter()
                .map(|p| Input::new(p, "the --params CSV")),
        )
        .collect()
}

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
    let pairs = stats::analysis::table_pairs(s.spec().variants().len(), s.baseline());
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

pub(crate) fn run_studies(args: RunArgs) -> Result<()> {
    let overrides = load_overrides(args.params.as_deref())?;
    let paths = scenario_paths(&args.scenarios)?;
    let mut scenarios = load_all(&paths, overrides.as_ref())?;
    let target = args.precision_target();
    // A precision run may take up to --max-trials: size it for that.
    let trials = target.map(|t| t.max_trials).or(args.trials);
    for s in &mut scenarios {
        s.override_run(trials, args.seed)?;
    }
    warn(&scenarios);
    for note in scenarios
        .iter()
        .filter_map(crate::output::tables::pairs_note)
    {
        eprintln!("note: {note}");
    }
    let threads = match args.threads {
        Some(t) => t as usize,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
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
                FolderKind::Study,
                args.force,
                &inputs,
            )
        })
        .collect::<Result<_>>()?;

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
    let method = args.method.method();
    // One study after another, each on every thread.
    let mut runs: Vec<(stats::StudyAccumulator, f64)> = Vec::new();
    let mut records: Vec<Option<PrecisionRecord>> = Vec::new();
    for (s, folder) in scenarios.iter_mut().zip(&staged) {
        let start = Instant::now();
        let plan = Simulation {
            first: 0,
            count: s.spec().trials(),
            method,
            target: target.as_ref(),
            trials_into: args.write_trials.then_some(folder),
        };
        let (r, record) = pool.install(|| simulate(s, &plan, &tick))?;
        if let Some(rec) = &record {
            // The study is what ran: as many trials as the rounds took.
            s.override_run(Some(rec.reached.trials), None)?;
        }
        runs.push((r, start.elapsed().as_secs_f64()));
        records.push(record);
    }
    bar.finish_and_clear();
    check_finite(&scenarios, runs.iter().map(|(r, _)| r))?;

    let params_csv = args.params.as_ref().map(|p| p.display().to_string());
    let mut stdout = std::io::stdout().lock();
    for (((scenario, (results, elapsed)), folder), record) in
        scenarios.iter().zip(&runs).zip(staged).zip(&records)
    {
        let facts = RunFacts {
            threads,
            elapsed_seconds: *elapsed,
            draw_method: args.method.name(),
            params_csv: params_csv.as_deref(),
            precision: record.as_ref(),
            merged_parts: None,
        };
        let options = WriteOptions {
            charts: (!args.no_charts).then(|| args.chart_format.format()),
        };
        let analysis = stats::analyze(scenario.spec(), results, scenario.baseline());
        let dir = output::write_study(folder, scenario, results, &analysis, &facts, options)?;
        let reached = match record {
            Some(r) => r.reached.clone(),
            None => crate::precision::reached(
                results,
                &stats::analysis::table_pairs(
                    scenario.spec().variants().len(),
                    scenario.baseline(),
                ),
            ),
        };
        let precision_line = crate::precision::line(record.as_ref(), &reached);
        print_result(
            &mut stdout,
            scenario,
            &analysis,
            &dir,
            *elapsed,
            precision_line.as_deref(),
        )?;
    }
    Ok(())
}

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

/// Variants listed in the terminal verdict; the files hold every one.
pub(crate) const VERDICT_ROWS: usize = 30;
