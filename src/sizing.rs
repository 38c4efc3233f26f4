//! Will a study fit, and how long will it take? Checked before anything is simulated or
//! written, so an impossible size is a clear refusal instead of an abort while allocating.
//!
//! Memory does not grow with the number of trials: each worker thread keeps one
//! accumulator (per variant, a sketch of every output and of each day's cumulative profit
//! and cash) and one batch of trials, and the run merges the accumulators at the end. It
//! grows with variants × days × threads. The constants below were measured on the 2-core
//! development machine (the built-in study at 365 days: 1,000,000 trials peaked at
//! 157 MB with 2 threads) and rounded up.

use crate::error::{InputError, Kind, Problem};
use crate::sim::study::BATCH_SIZE;
use crate::sim::{StudySpec, METRIC_COUNT};

/// A day's sketch of one path of one variant (dense counts over the values' range).
const DAILY_SKETCH_BYTES: f64 = 16e3;
/// One variant's output sketches (sparse, over the buckets their values occupy).
const OUTPUT_SKETCHES_BYTES: f64 = 8e6;
/// A batch's trials in flight: both daily paths as `f32`, and the outputs.
const BATCH_BYTES_PER_TRIAL_DAY: f64 = 8.0;
/// A trial's outputs as `f64`.
const BYTES_PER_TRIAL: f64 = (METRIC_COUNT * 8) as f64;
/// Batches of rows a writer of `trials.csv` may hold waiting for an earlier one, per thread.
const ROWS_AHEAD_PER_THREAD: f64 = 4.0;
/// Peak over the estimate (allocator slack, merging), a margin.
const PEAK_FACTOR: f64 = 1.5;
/// Program, charts and tables besides the accumulators.
const BASE_BYTES: f64 = 64e6;
/// Trial-days one thread simulates per second (measured, rounded down).
pub const TRIAL_DAYS_PER_THREAD_SECOND: f64 = 2.5e6;
/// Runs estimated to take longer than this get a warning with the estimate.
pub const WARN_SECONDS: f64 = 60.0;

/// What a study will cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// Trial-days the study simulates (trials × variants × days).
    pub trial_days: f64,
    /// Estimated peak memory in bytes.
    pub peak_bytes: f64,
    /// Of which the study's merged accumulator, held until its files are written.
    pub held_bytes: f64,
}

/// Estimates a study's peak memory on `threads` threads and its work; `f64` so absurd
/// sizes cannot overflow.
pub fn estimate(spec: &StudySpec, threads: usize, write_trials: bool) -> Estimate {
    let variants = spec.variants().len() as f64;
    let days = spec.horizon_days() as f64;
    let threads = threads.max(1) as f64;
    // Pairs are at most every ordered pair up to 20 variants, else twice the variants.
    let pairs = if spec.variants().len() <= crate::stats::analysis::MAX_ALL_PAIRS_VARIANTS {
        variants * (variants - 1.0)
    } else {
        2.0 * variants
    };
    let accumulator = variants * (2.0 * days * DAILY_SKETCH_BYTES + OUTPUT_SKETCHES_BYTES)
        + pairs * OUTPUT_SKETCHES_BYTES / METRIC_COUNT as f64;
    let batch_trials = BATCH_SIZE as f64 * variants;
    let mut batches = threads * batch_trials * (days * BATCH_BYTES_PER_TRIAL_DAY + BYTES_PER_TRIAL);
    if write_trials {
        batches += ROWS_AHEAD_PER_THREAD * threads * batch_trials * BYTES_PER_TRIAL;
    }
    Estimate {
        trial_days: spec.trials() as f64 * variants * days,
        peak_bytes: BASE_BYTES + PEAK_FACTOR * ((threads + 1.0) * accumulator + batches),
        held_bytes: PEAK_FACTOR * accumulator,
    }
}

/// The machine's memory: (total, available) bytes, when the system says.
pub fn machine_memory() -> Option<(f64, f64)> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map(|kb| kb * 1024.0)
    };
    Some((field("MemTotal:")?, field("MemAvailable:")?))
}

fn limit(memory: Option<(f64, f64)>) -> (f64, String) {
    match memory {
        Some((total, available)) => (
            available,
            format!(
                "this machine has {} available ({} in all)",
                bytes(available),
                bytes(total)
            ),
        ),
        None => (2f64.powi(48), "no machine has that much".to_string()),
    }
}

/// Refuses a study that cannot fit in `available` bytes of memory (or, when the machine's
/// memory is unknown, in 2^48 bytes, which no machine has) on `threads` threads; `source`
/// is the scenario file.
pub fn check_fits(
    spec: &StudySpec,
    threads: usize,
    write_trials: bool,
    memory: Option<(f64, f64)>,
    source: &str,
) -> Result<(), InputError> {
    let e = estimate(spec, threads, write_trials);
    let (limit, machine) = limit(memory);
    if e.peak_bytes <= limit {
        return Ok(());
    }
    let one_thread = estimate(spec, 1, write_trials).peak_bytes <= limit;
    Err(InputError::one(Problem::general(Kind::TooLarge, format!(
        "{source}: study `{}`: {} variants × {} days would need about {} of memory on {threads} thread{} (each thread keeps a sketch of every variant's every day; the number of trials does not matter); {machine}. {}",
        spec.name(),
        spec.variants().len(),
        spec.horizon_days(),
        bytes(e.peak_bytes),
        if threads == 1 { "" } else { "s" },
        if one_thread {
            "Run it with fewer threads (--threads 1 fits)".to_string()
        } else {
            "Split the variants over several scenario files, or shorten the horizon".to_string()
        },
    ))))
}

/// Several studies given to one `run` are simulated one after the other and their
/// results held until all are written: refuses a set that fits study by study but not
/// in all.
pub fn check_fits_together(
    specs: &[&StudySpec],
    threads: usize,
    write_trials: bool,
    memory: Option<(f64, f64)>,
) -> Result<(), InputError> {
    let Some((_, available)) = memory else {
        return Ok(());
    };
    let estimates: Vec<Estimate> = specs
        .iter()
        .map(|s| estimate(s, threads, write_trials))
        .collect();
    let running = estimates
        .iter()
        .map(|e| e.peak_bytes - e.held_bytes)
        .fold(0.0, f64::max);
    let total: f64 = running + estimates.iter().map(|e| e.held_bytes).sum::<f64>();
    if specs.len() < 2 || total <= available {
        return Ok(());
    }
    Err(InputError::one(Problem::general(
        Kind::TooLarge,
        format!(
            "the {} studies of this run are held together until they are written and would need about {} of memory; this machine has {} available. Run them one at a time",
            specs.len(),
            bytes(total),
            bytes(available)
        ),
    )))
}

/// What an analysis keeps per point and variant until it writes its tables: the point's
/// study (final parameter values) and its analysis (summaries of every output and pair).
/// Measured: a 3000-point sweep of a two-variant study peaked at 226 MB, about 36 kB a
/// variant-point; rounded up.
const POINT_BYTES_PER_VARIANT: f64 = 48e3;

/// Refuses an analysis of `points` points of `spec` (each run on up to `threads`
/// threads, one point per thread at a time) that cannot fit in the machine's memory;
/// `what` names the command for the message.
pub fn check_points(
    spec: &StudySpec,
    points: usize,
    threads: usize,
    memory: Option<(f64, f64)>,
    what: &str,
) -> Result<(), InputError> {
    let running = estimate(spec, threads, false).peak_bytes;
    let held = points as f64 * spec.variants().len() as f64 * POINT_BYTES_PER_VARIANT;
    let (limit, machine) = limit(memory);
    if running + held <= limit {
        return Ok(());
    }
    Err(InputError::one(Problem::general(
        Kind::TooLarge,
        format!(
            "{what}: {points} points × {} variants would need about {} of memory (each point's study and summaries are kept until the tables are written); {machine}. Sweep fewer points at a time (split the grid or the ranges)",
            spec.variants().len(),
            bytes(running + held),
        ),
    )))
}

/// A warning when a study will take more than [`WARN_SECONDS`] on `threads` threads.
pub fn slow_warning(spec: &StudySpec, threads: usize) -> Option<String> {
    let e = estimate(spec, threads, false);
    let seconds = e.trial_days / (TRIAL_DAYS_PER_THREAD_SECOND * threads.max(1) as f64);
    (seconds > WARN_SECONDS).then(|| {
        format!(
            "study `{}`: {} trials × {} variants × {} days is {} trial-days, about {} on {threads} thread{} (at roughly {} trial-days a second per thread); fewer trials (--trials) finish sooner, and several runs with different --seed values can run on several machines",
            spec.name(),
            spec.trials(),
            spec.variants().len(),
            spec.horizon_days(),
            whole(e.trial_days),
            duration(seconds),
            if threads == 1 { "" } else { "s" },
            whole(TRIAL_DAYS_PER_THREAD_SECOND),
        )
    })
}

/// `1.5 GB`, `12.3 EB`: decimal units, as `free -h` users read them.
fn bytes(b: f64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut value = b;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < units.len() {
        value /= 1000.0;
        unit += 1;
    }
    if value >= 1000.0 {
        return format!("{b:.1e} B");
    }
    format!("{value:.1} {}", units[unit])
}

/// A count with thousands separators (`1,234,567`), or in scientific form when huge.
fn whole(n: f64) -> String {
    if n >= 1e15 {
        return format!("{n:.2e}");
    }
    if n < 1000.0 {
        return format!("{n:.0}");
    }
    // The charts' thousands grouping (`1,234,567`).
    crate::format::fmt_number(n)
}

fn duration(seconds: f64) -> String {
    if seconds < 120.0 {
        format!("{seconds:.0} s")
    } else if seconds < 7200.0 {
        format!("{:.0} min", seconds / 60.0)
    } else if seconds < 172_800.0 {
        format!("{:.1} h", seconds / 3600.0)
    } else {
        format!("{:.0} days", seconds / 86_400.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(trials: u64, horizon: usize) -> StudySpec {
        let s = crate::scenario::parse(crate::scenario::BUILT_IN, "built-in", None)
            .unwrap()
            .spec()
            .clone();
        StudySpec::new(
            s.name().to_string(),
            s.seed(),
            trials,
            horizon,
            Vec::new(),
            s.variants().to_vec(),
        )
        .unwrap()
    }

    #[test]
    fn the_estimate_does_not_grow_with_trials_and_covers_the_measured_peak() {
        let (few, many) = (
            estimate(&spec(1_000, 365), 2, false),
            estimate(&spec(1_000_000, 365), 2, false),
        );
        assert_eq!(few.peak_bytes, many.peak_bytes);
        assert_eq!(many.trial_days, 1_000_000.0 * 4.0 * 365.0);
        // Measured: 1,000,000 trials × 4 variants × 365 days peaked at 157 MB; the
        // estimate covers it without refusing studies that would fit many times over.
        assert!(many.peak_bytes > 157e6 && many.peak_bytes < 1e9, "{many:?}");
        // Threads and days cost memory.
        assert!(estimate(&spec(10, 365), 8, false).peak_bytes > many.peak_bytes);
        assert!(estimate(&spec(10, 730), 2, false).peak_bytes > many.peak_bytes);
    }

    #[test]
    fn an_impossible_size_is_refused_with_what_to_change() {
        let gib = 1024.0 * 1024.0 * 1024.0;
        let memory = Some((24.0 * gib, 20.0 * gib));
        // 20,000 days: about 2.6 GB of sketches a thread.
        let long = spec(10, 20_000);
        let e = check_fits(&long, 16, false, memory, "s.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("s.toml: study `us_beauty_2026_routes`: 4 variants × 20000 days"),
            "{e}"
        );
        assert!(
            e.contains("on 16 threads") && e.contains("21.5 GB available"),
            "{e}"
        );
        assert!(e.contains("--threads 1 fits"), "{e}");
        assert!(check_fits(&long, 1, false, memory, "x").is_ok());
        assert!(check_fits(&spec(crate::sim::MAX_TRIALS, 120), 2, false, memory, "x").is_ok());
        // Unknown memory: only what no machine has is refused.
        assert!(check_fits(&spec(10, 100_000), 2, false, None, "x").is_ok());
    }

    #[test]
    fn studies_held_together_must_fit_together() {
        let memory = Some((24e9, 3e9));
        // Each fits alone; eight are held together until written, and do not.
        let year = spec(10, 3_000);
        assert!(check_fits(&year, 2, false, memory, "x").is_ok());
        assert!(check_fits_together(&[&year], 2, false, memory).is_ok());
        let e = check_fits_together(&[&year; 8], 2, false, memory)
            .unwrap_err()
            .to_string();
        assert!(e.contains("the 8 studies of this run"), "{e}");
    }

    #[test]
    fn long_runs_warn_with_an_estimate() {
        assert!(slow_warning(&spec(4000, 120), 2).is_none());
        let w = slow_warning(&spec(1_000_000, 365), 2).unwrap();
        // 1.46 billion trial-days at 5 million a second: about 5 minutes.
        assert!(
            w.contains("1,460,000,000 trial-days, about 5 min on 2 threads"),
            "{w}"
        );
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(bytes(535e6), "535.0 MB");
        assert_eq!(bytes(1.2e19), "12.0 EB");
        assert_eq!(whole(1234567.0), "1,234,567");
        assert_eq!(whole(7.0), "7");
        assert_eq!(whole(0.0), "0");
        assert_eq!(duration(90.0), "90 s");
        assert_eq!(duration(4000.0), "67 min");
    }
}
