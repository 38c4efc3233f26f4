//! `shopsim bench`: how fast the engine is on this machine, measured the way users run it.
//!
//! The benchmark study is the built-in US beauty study (four variants) over 365 days. Its
//! time is taken twice: the simulation alone (workers only count their trials), and end
//! to end (simulation with the streaming statistics, the analysis, and the CSV tables
//! written to a scratch folder; charts excluded). A second table runs the
//! same study at fixed order volumes (100 to 100,000 orders a day) to show that the cost
//! of a trial-day does not grow with the orders in it. Timing is wall-clock: one run per
//! figure, so expect a few per cent of noise between runs.
//!
//! Next to the study's figures stands the exact-draw floor ([`crate::sim::trial::floor`],
//! the loop `cargo bench --bench samplers -- variant_day` times): as many variant-days as
//! the study's trial-days, each of its variant's draw pattern, run on the same number of
//! threads at once (each thread a share of the days, as the study's workers share its
//! batches), so that the end-to-end rate is set against a floor measured the same way and
//! on the same cores, not against one core's figure multiplied.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::cli::BenchArgs;
use crate::format::plural;
use crate::output::{self, FolderKind, RunFacts, StagedFolder, WriteOptions};
use crate::scenario::{self, Overrides, Scenario};
use crate::sim::study::{self, BatchOutputs, Fold};
use crate::sim::trial::floor::{Floor, Pattern};
use crate::sim::{DrawMethod, Metric};
use crate::stats;

/// The benchmark study's horizon (the built-in study runs 120 days).
pub const HORIZON_DAYS: usize = 365;
/// Order volumes of the volume table.
pub const VOLUMES: [u64; 4] = [100, 1_000, 10_000, 100_000];

/// What to measure.
#[derive(Clone, Copy, Debug)]
pub struct BenchOptions {
    /// Trials per variant.
    pub trials: u64,
    /// Worker threads.
    pub threads: usize,
    /// Whether to measure one thread too (for the speed-up).
    pub single_thread_too: bool,
    /// Only the study end to end (no simulation-alone run, no one-thread run, no volume
    /// table): the peak memory is then that of one run.
    pub study_only: bool,
}

/// One timed study.
#[derive(Clone, Debug, Serialize)]
pub struct Timing {
    /// Trials × variants × days.
    pub trial_days: u64,
    /// Seconds of the simulation alone, when measured.
    pub simulation_seconds: Option<f64>,
    /// Seconds end to end: simulating with the streaming statistics, then the analysis
    /// and the tables.
    pub end_to_end_seconds: f64,
    /// Of which the analysis and the tables, after the trials.
    pub analysis_seconds: f64,
    /// Trial-days per second of the simulation alone, when measured.
    pub simulation_rate: Option<f64>,
    /// Trial-days per second end to end.
    pub end_to_end_rate: f64,
    /// Bytes the study's merged accumulators hold (sketches; independent of trials).
    pub accumulator_bytes: u64,
    /// The exact-draw floor of the same trial-days on the same threads, when measured.
    pub floor: Option<FloorTiming>,
    /// End-to-end rate over the floor's rate (1: as fast as the draws alone).
    pub end_to_end_floor_ratio: Option<f64>,
    /// Simulation-alone rate over the floor's rate, when both are measured.
    pub simulation_floor_ratio: Option<f64>,
}

/// The exact-draw floor ([`crate::sim::trial::floor`]) of a study's trial-days.
#[derive(Clone, Debug, Serialize)]
pub struct FloorTiming {
    /// Variant-days drawn: the study's trial-days (trials × variants × days).
    pub variant_days: u64,
    /// Count draws a day of each variant, in the study's order (8, 7 or 5).
    pub draws_per_variant: Vec<u32>,
    /// Threads that drew them at once.
    pub threads: usize,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Variant-days per second, all threads.
    pub rate: f64,
    /// Nanoseconds a variant-day costs one thread (threads × seconds / variant-days).
    pub ns_per_variant_day: f64,
}

/// One row of the volume table.
#[derive(Clone, Debug, Serialize)]
pub struct VolumeRow {
    /// Orders a day asked for.
    pub orders_per_day: u64,
    /// Orders a day the trials sold on average (all variants).
    pub sold_per_day: f64,
    /// The run's timing.
    pub timing: Timing,
    /// End-to-end seconds relative to the first row.
    pub relative_time: f64,
}

/// Everything `shopsim bench` prints.
#[derive(Clone, Debug, Serialize)]
pub struct BenchReport {
    /// shopsim's version.
    pub version: String,
    /// Logical cores the machine offers.
    pub cores: usize,
    /// Worker threads used.
    pub threads: usize,
    /// Trials per variant.
    pub trials: u64,
    /// Variants × days of the benchmark study.
    pub variants: usize,
    /// Days.
    pub horizon_days: usize,
    /// The benchmark study with `threads` threads.
    pub study: Timing,
    /// The same with one thread, when measured.
    pub single_thread: Option<Timing>,
    /// End-to-end speed-up of `threads` threads over one.
    pub speed_up: Option<f64>,
    /// The study at fixed order volumes.
    pub volumes: Vec<VolumeRow>,
    /// Time to `--precision 0.01` on the built-in study with each sampling method (`mc`,
    /// then `lhs`); empty with `--study-only`.
    pub time_to_precision: Vec<super::bench_precision::TimeToPrecision>,
    /// Peak resident memory of the process (kernel's VmHWM), bytes; `None` off Linux.
    pub peak_rss_bytes: Option<u64>,
}

/// The benchmark study: the built-in study over [`HORIZON_DAYS`] days, with `overrides`.
pub fn study(trials: u64, overrides: Option<&Overrides>) -> Result<Scenario> {
    let text = scenario::BUILT_IN.replacen(
        "horizon_days = 120",
        &format!("horizon_days = {HORIZON_DAYS}"),
        1,
    );
    let mut s = scenario::parse(&text, "benchmark study (built-in, 365 days)", overrides)?;
    s.override_run(Some(trials), None)?;
    Ok(s)
}

/// Parameter overrides that make every variant sell about `orders` a day from the first
/// day: one account of `orders` organic orders (fully managed: `orders` from the
/// platform), no lives, ads or ramp-up, no probation caps, and stock for two months.
pub fn volume_overrides(orders: u64) -> Result<Overrides> {
    let rows = [
        ("demand.orders_per_account_day", orders),
        ("demand.managed_orders_per_day", orders),
        ("demand.channel_accounts", 0),
        ("demand.lives_per_week", 0),
        ("demand.ramp_days", 0),
        ("demand.inspection_days", 0),
        ("marketing.ad_spend_per_day", 0),
        ("cash.probation_min_days", 0),
        ("cash.probation_min_orders", 0),
        ("inventory.initial", orders * 60),
        ("inventory.reorder_point", orders * 30),
        ("inventory.order_up_to", orders * 90),
    ];
    let mut text = String::from("key,value\n");
    for (key, value) in rows {
        text.push_str(&format!("{key},{value}\n"));
    }
    Ok(Overrides::parse(&text, "bench volume")?)
}

/// Times the exact-draw floor of `s`'s trial-days on `threads` threads at once: each
/// thread draws an equal share of the days, every day one variant-day of each variant's
/// draw pattern.
pub fn time_floor(s: &Scenario, threads: usize) -> FloorTiming {
    let spec = s.spec();
    let patterns: Vec<Pattern> = spec
        .variants()
        .iter()
        .map(|v| Pattern::of(&v.setting()))
        .collect();
    let days = spec.trials() * spec.horizon_days() as u64;
    let threads = threads.max(1);
    let floor = Floor::new();
    let share = days.div_ceil(threads as u64);
    let start = Instant::now();
    let checksum = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads as u64)
            .map(|t| {
                let (floor, patterns) = (&floor, &patterns);
                let first = t * share;
                let count = share.min(days.saturating_sub(first));
                scope.spawn(move || floor.days(patterns, first, count))
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .fold(0u64, u64::wrapping_add)
    });
    let seconds = start.elapsed().as_secs_f64().max(1e-9);
    std::hint::black_box(checksum);
    let variant_days = days * patterns.len() as u64;
    FloorTiming {
        variant_days,
        draws_per_variant: patterns.iter().map(|p| p.draws()).collect(),
        threads,
        seconds,
        rate: variant_days as f64 / seconds,
        ns_per_variant_day: threads as f64 * seconds * 1e9 / (variant_days.max(1) as f64),
    }
}

/// Runs `s` with `threads` threads: the simulation alone when `simulation_too`, then end
/// to end (the simulation with its streaming statistics, the analysis, the tables into a
/// scratch folder under `scratch`); then the exact-draw floor of its trial-days on the
/// same threads when `floor_too`.
fn time_study(
    s: &Scenario,
    threads: usize,
    scratch: &Path,
    simulation_too: bool,
    floor_too: bool,
) -> Result<(Timing, stats::StudyAccumulator)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting the worker threads")?;
    let spec = s.spec();
    let trial_days = spec.trials() * spec.variants().len() as u64 * spec.horizon_days() as u64;
    let simulation_seconds = simulation_too.then(|| {
        let start = Instant::now();
        let new = || 0u64;
        let add = |n: &mut u64, batch: &BatchOutputs| {
            *n += batch.variants.first().map_or(0, |v| v.outputs.len() as u64)
        };
        let fold = Fold {
            new: &new,
            add: &add,
        };
        let run = study::run_batches::<u64, std::convert::Infallible>;
        let _ = pool.install(|| {
            run(
                spec,
                0,
                spec.trials(),
                DrawMethod::PerDay,
                &|_| {},
                fold,
                None,
            )
        });
        start.elapsed().as_secs_f64()
    });
    let start = Instant::now();
    let pairs = stats::analysis::study_pairs(spec, s.baseline());
    let results = pool
        .install(|| stats::StudyAccumulator::run_all(spec, DrawMethod::PerDay, &pairs, &|_| {}));
    let streaming_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    pool.install(|| -> Result<()> {
        let analysis = stats::analyze(spec, &results, s.baseline());
        let staged = StagedFolder::create(scratch, spec.name(), FolderKind::STUDY, true, &[])?;
        let facts = RunFacts {
            threads,
            elapsed_seconds: streaming_seconds,
            draw_method: "per-day",
            params_csv: None,
            precision: None,
            merged_parts: None,
        };
        let options = WriteOptions { charts: None };
        output::write_study(staged, s, &results, &analysis, &facts, options)?;
        Ok(())
    })?;
    let analysis_seconds = start.elapsed().as_secs_f64();
    let rate = |seconds: f64| trial_days as f64 / seconds.max(1e-9);
    let end_to_end_seconds = streaming_seconds + analysis_seconds;
    let floor = floor_too.then(|| time_floor(s, threads));
    let of_floor = |rate: f64| floor.as_ref().map(|f| rate / f.rate);
    let simulation_rate = simulation_seconds.map(rate);
    Ok((
        Timing {
            trial_days,
            simulation_seconds,
            end_to_end_seconds,
            analysis_seconds,
            simulation_rate,
            end_to_end_rate: rate(end_to_end_seconds),
            accumulator_bytes: results.heap_bytes() as u64,
            end_to_end_floor_ratio: of_floor(rate(end_to_end_seconds)),
            simulation_floor_ratio: simulation_rate.and_then(of_floor),
            floor,
        },
        results,
    ))
}

/// A scratch folder of this process under the system's temporary folder; removed by
/// [`Scratch::drop`] (it holds only what the benchmark wrote).
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Scratch> {
        let path = std::env::temp_dir().join(format!("shopsim-bench-{}", std::process::id()));
        std::fs::create_dir(&path).with_context(|| {
            format!(
                "creating the scratch folder '{}'",
                crate::error::printable_path(&path)
            )
        })?;
        // Ctrl-C removes it too (the interrupt handler exits without running `drop`).
        crate::output::folder::register_scratch(&path);
        Ok(Scratch(path))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
        crate::output::folder::forget_scratch(&self.0);
    }
}

/// Peak resident memory of this process, from `/proc/self/status` (Linux).
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Measures everything; `progress` is told what is running.
pub fn run(options: BenchOptions, progress: &dyn Fn(&str)) -> Result<BenchReport> {
    let base = study(options.trials, None)?;
    // Every size first: the threads' accumulators must fit (each keeps a sketch of every
    // variant's every day), and the trials must be a study's.
    crate::sizing::check_fits(
        base.spec(),
        options.threads,
        false,
        crate::sizing::machine_memory(),
        "bench",
    )?;
    let scratch = Scratch::new()?;
    progress(&format!("benchmark study, {} threads", options.threads));
    let (timing, _) = time_study(
        &base,
        options.threads,
        &scratch.0,
        !options.study_only,
        true,
    )?;
    let single_thread = if options.single_thread_too && options.threads > 1 && !options.study_only {
        progress("benchmark study, 1 thread");
        Some(time_study(&base, 1, &scratch.0, true, true)?.0)
    } else {
        None
    };
    let speed_up = single_thread
        .as_ref()
        .map(|one| one.end_to_end_seconds / timing.end_to_end_seconds);
    let mut volumes: Vec<VolumeRow> = Vec::new();
    let volume_list: &[u64] = if options.study_only { &[] } else { &VOLUMES };
    for &orders in volume_list {
        progress(&format!("{orders} orders a day"));
        let s = study(options.trials, Some(&volume_overrides(orders)?))?;
        let (t, results) = time_study(&s, options.threads, &scratch.0, false, false)?;
        let sold: f64 = results
            .variants
            .iter()
            .map(|v| v.output(Metric::Orders).moments.sum.value())
            .sum::<f64>()
            / (t.trial_days as f64);
        let seconds = t.end_to_end_seconds;
        let relative_time = volumes
            .first()
            .map_or(1.0, |first| seconds / first.timing.end_to_end_seconds);
        volumes.push(VolumeRow {
            orders_per_day: orders,
            sold_per_day: sold,
            timing: t,
            relative_time,
        });
    }
    let mut time_to_precision = Vec::new();
    if !options.study_only {
        use crate::sim::inputs::Sampling;
        for sampling in [Sampling::MonteCarlo, Sampling::LatinHypercube] {
            progress(&format!(
                "built-in study to --precision 0.01, --sampling {}",
                sampling.name()
            ));
            time_to_precision.push(super::bench_precision::time_to_precision(
                sampling,
                options.threads,
            )?);
        }
    }
    Ok(BenchReport {
        version: env!("CARGO_PKG_VERSION").to_string(),
        cores: crate::cli::threads_or_every_core(None),
        threads: options.threads,
        trials: options.trials,
        variants: base.spec().variants().len(),
        horizon_days: HORIZON_DAYS,
        study: timing,
        single_thread,
        speed_up,
        volumes,
        time_to_precision,
        peak_rss_bytes: peak_rss_bytes(),
    })
}

/// Millions, one decimal.
fn millions(x: f64) -> String {
    format!("{:.1} M", x / 1e6)
}

/// The report as text.
pub fn text(r: &BenchReport) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "shopsim {} bench: built-in study, {} variants × {} days × {} trials, {} of {} cores\n",
        r.version,
        r.variants,
        r.horizon_days,
        r.trials,
        plural(r.threads as u64, "thread"),
        r.cores
    ));
    let line = |label: &str, t: &Timing| {
        let simulation = match (t.simulation_rate, t.simulation_seconds) {
            (Some(rate), Some(seconds)) => format!(
                "simulation {:>9} trial-days/s ({seconds:.2} s); ",
                millions(rate)
            ),
            _ => String::new(),
        };
        format!(
            "  {label:<10} {simulation}end to end {:>9} trial-days/s ({:.2} s, of which {:.2} s analysis and tables)\n",
            millions(t.end_to_end_rate),
            t.end_to_end_seconds,
            t.analysis_seconds
        )
    };
    let floor_line = |t: &Timing| match (&t.floor, t.end_to_end_floor_ratio) {
        (Some(f), Some(ratio)) => {
            let simulation = t
                .simulation_floor_ratio
                .map_or(String::new(), |s| format!("simulation {:.0}%, ", 100.0 * s));
            format!(
                "  {:<10} exact-draw floor {:>9} trial-days/s ({:.1} ns a variant-day a thread, {:.2} s): {simulation}end to end {:.0}% of it\n",
                "",
                millions(f.rate),
                f.ns_per_variant_day,
                f.seconds,
                100.0 * ratio
            )
        }
        _ => String::new(),
    };
    out.push_str(&line(&plural(r.threads as u64, "thread"), &r.study));
    out.push_str(&floor_line(&r.study));
    if let Some(one) = &r.single_thread {
        out.push_str(&line("1 thread", one));
        out.push_str(&floor_line(one));
    }
    if let Some(s) = r.speed_up {
        out.push_str(&format!(
            "  speed-up of {} over 1: {s:.2}×\n",
            plural(r.threads as u64, "thread")
        ));
    }
    if !r.volumes.is_empty() {
        out.push_str("  by order volume (one account, no ads or lives; end to end):\n");
        out.push_str("    orders/day asked   sold/day   trial-days/s   seconds   × time at 100\n");
    }
    for v in &r.volumes {
        out.push_str(&format!(
            "    {:>16}   {:>8.0}   {:>12}   {:>7.2}   {:>13.2}\n",
            v.orders_per_day,
            v.sold_per_day,
            millions(v.timing.end_to_end_rate),
            v.timing.end_to_end_seconds,
            v.relative_time
        ));
    }
    if !r.time_to_precision.is_empty() {
        out.push_str(&super::bench_precision::text(&r.time_to_precision));
    }
    out.push_str(&format!(
        "  statistics held (sketches; they do not grow with trials): {:.0} MB\n",
        r.study.accumulator_bytes as f64 / 1e6
    ));
    match r.peak_rss_bytes {
        Some(b) => out.push_str(&format!(
            "  peak resident memory: {:.0} MB\n",
            b as f64 / 1e6
        )),
        None => out.push_str("  peak resident memory: not available on this system\n"),
    }
    out
}

pub(crate) fn bench(args: BenchArgs) -> Result<()> {
    let threads = crate::cli::threads_or_every_core(args.threads);
    let options = BenchOptions {
        trials: args.trials,
        threads,
        single_thread_too: true,
        study_only: args.study_only,
    };
    let quiet = args.json || !std::io::stderr().is_terminal() || super::terminal::quiet();
    let report = run(options, &|what| {
        if !quiet {
            eprintln!("measuring: {what}");
        }
    })?;
    let text = if args.json {
        serde_json::to_string_pretty(&report).context("writing the figures as JSON")? + "\n"
    } else {
        text(&report)
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .context("writing to standard output")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_volume_overrides_make_every_variant_sell_about_the_volume_asked() {
        // 100 orders a day with stock for two months: mean orders a day over the year
        // within 25% of 100 for every variant (the route factor, viral days and repeat
        // buyers move it a little).
        let s = study(32, Some(&volume_overrides(100).unwrap())).unwrap();
        let r = stats::StudyAccumulator::run_all(s.spec(), DrawMethod::PerDay, &[], &|_| {});
        for (v, res) in s.spec().variants().iter().zip(&r.variants) {
            let per_day = res.output(Metric::Orders).moments.sum.value()
                / (r.trials as usize * HORIZON_DAYS) as f64;
            assert!((75.0..125.0).contains(&per_day), "{}: {per_day}", v.name());
        }
    }

    #[test]
    fn the_floor_draws_every_variant_day_of_the_study_by_its_route() {
        // Labels and a 3PL dispatch themselves (8 draws), FBT does not (7), fully managed
        // neither draws repeat orders nor splits returns (5).
        let s = study(2, None).unwrap();
        let f = time_floor(&s, 2);
        assert_eq!(f.variant_days, 2 * 4 * HORIZON_DAYS as u64);
        let mut draws = f.draws_per_variant.clone();
        draws.sort_unstable();
        assert_eq!(draws, [5, 7, 8, 8]);
        assert_eq!(f.threads, 2);
        assert!(f.rate > 0.0 && f.ns_per_variant_day > 0.0);
        let expected = f.threads as f64 * f.seconds * 1e9 / f.variant_days as f64;
        assert!((f.ns_per_variant_day - expected).abs() <= 1e-9 * expected);
    }

    #[test]
    fn the_benchmark_study_runs_a_year() {
        let s = study(10, None).unwrap();
        assert_eq!(s.spec().horizon_days(), HORIZON_DAYS);
        assert_eq!(s.spec().variants().len(), 4);
    }
}
