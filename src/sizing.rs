//! Will a study fit, and how long will it take? Checked before anything is simulated or
//! written, so an impossible size is a clear refusal instead of an abort while allocating.
//!
//! Today every trial's outputs and its daily profit and cash paths are held until the
//! study is written, so memory grows with trials × variants × days. The constants below
//! were measured on the 2-core development machine (the built-in study at 365 days,
//! 40,000 trials: 535 MB peak, 13.7 s with 2 threads): peak memory is about 1.06 × the
//! held results, and one thread simulates about 2 million trial-days a second.

use crate::error::{InputError, Kind, Problem};
use crate::sim::{StudySpec, METRIC_COUNT};

/// Held bytes per trial, variant and day: cumulative profit and cash as `f32`.
const BYTES_PER_TRIAL_DAY: f64 = 8.0;
/// Held bytes per trial and variant: the outputs as `f64`.
const BYTES_PER_TRIAL: f64 = (METRIC_COUNT * 8) as f64;
/// `trials.csv` is built in memory before it is written: about this many bytes per row.
const TRIALS_CSV_BYTES_PER_ROW: f64 = 40.0 * METRIC_COUNT as f64;
/// Peak over held results (sorting copies, merging), with a margin over the measured 1.06.
const PEAK_FACTOR: f64 = 1.25;
/// Program, charts and tables besides the results.
const BASE_BYTES: f64 = 64e6;
/// Trial-days one thread simulates per second (measured, rounded down).
pub const TRIAL_DAYS_PER_THREAD_SECOND: f64 = 2.0e6;
/// Runs estimated to take longer than this get a warning with the estimate.
pub const WARN_SECONDS: f64 = 60.0;

/// What a study will cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// Trial-days the study simulates (trials × variants × days).
    pub trial_days: f64,
    /// Estimated peak memory in bytes.
    pub peak_bytes: f64,
}

/// Estimates a study's peak memory and work; `f64` so absurd sizes cannot overflow.
pub fn estimate(spec: &StudySpec, write_trials: bool) -> Estimate {
    let per_trial = per_trial_bytes(spec, write_trials);
    Estimate {
        trial_days: spec.trials() as f64
            * spec.variants().len() as f64
            * spec.horizon_days() as f64,
        peak_bytes: BASE_BYTES + spec.trials() as f64 * per_trial,
    }
}

fn per_trial_bytes(spec: &StudySpec, write_trials: bool) -> f64 {
    let variants = spec.variants().len() as f64;
    let mut bytes = variants * (BYTES_PER_TRIAL + BYTES_PER_TRIAL_DAY * spec.horizon_days() as f64);
    if write_trials {
        bytes += variants * TRIALS_CSV_BYTES_PER_ROW;
    }
    bytes * PEAK_FACTOR
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

/// Refuses a study that cannot fit in `available` bytes of memory (or, when the machine's
/// memory is unknown, in 2^48 bytes, which no machine has); `source` says where the trial
/// count came from (`key `trials`` or `--trials`).
pub fn check_fits(
    spec: &StudySpec,
    write_trials: bool,
    memory: Option<(f64, f64)>,
    source: &str,
) -> Result<(), InputError> {
    let e = estimate(spec, write_trials);
    let (limit, machine) = match memory {
        Some((total, available)) => (
            available,
            format!(
                "this machine has {} available ({} in all)",
                bytes(available),
                bytes(total)
            ),
        ),
        None => (2f64.powi(48), "no machine has that much".to_string()),
    };
    if e.peak_bytes <= limit {
        return Ok(());
    }
    let fit = ((limit - BASE_BYTES) / per_trial_bytes(spec, write_trials))
        .floor()
        .max(0.0);
    Err(InputError::one(Problem::new(Kind::TooLarge, source, format!(
        "study `{}`: {} trials × {} variants × {} days would need about {} of memory; {machine}. At most about {} trials fit: pass --trials {} or fewer{}. To go further, split the trials over several runs with different --seed values (each run is a valid sample on its own)",
        spec.name(),
        spec.trials(),
        spec.variants().len(),
        spec.horizon_days(),
        bytes(e.peak_bytes),
        whole(fit),
        fit as u64,
        if write_trials { " (or drop --write-trials)" } else { "" },
    ))))
}

/// Several studies given to one `run` are simulated at once and held together: refuses a
/// set that fits study by study but not in all.
pub fn check_fits_together(
    specs: &[&StudySpec],
    write_trials: bool,
    memory: Option<(f64, f64)>,
) -> Result<(), InputError> {
    let Some((_, available)) = memory else {
        return Ok(());
    };
    let total: f64 = BASE_BYTES
        + specs
            .iter()
            .map(|s| estimate(s, write_trials).peak_bytes - BASE_BYTES)
            .sum::<f64>();
    if specs.len() < 2 || total <= available {
        return Ok(());
    }
    Err(InputError::one(Problem::general(
        Kind::TooLarge,
        format!(
            "the {} studies of this run are simulated together and would need about {} of memory; this machine has {} available. Run them one at a time, or with fewer trials",
            specs.len(),
            bytes(total),
            bytes(available)
        ),
    )))
}

/// A warning when a study will take more than [`WARN_SECONDS`] on `threads` threads.
pub fn slow_warning(spec: &StudySpec, threads: usize) -> Option<String> {
    let e = estimate(spec, false);
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
    crate::output::format::fmt_number(n)
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
    fn the_estimate_follows_the_held_results() {
        // 40,000 trials × 4 variants × 365 days held 504 MB and peaked at 535 MB measured.
        let e = estimate(&spec(40_000, 365), false);
        let held = 40_000.0 * 4.0 * (365.0 * 8.0 + METRIC_COUNT as f64 * 8.0);
        assert!(
            e.peak_bytes > 1.06 * held && e.peak_bytes < 2.0 * held,
            "{e:?}"
        );
        assert_eq!(e.trial_days, 40_000.0 * 4.0 * 365.0);
    }

    #[test]
    fn an_impossible_size_is_refused_with_what_fits() {
        let gib = 1024.0 * 1024.0 * 1024.0;
        let memory = Some((24.0 * gib, 20.0 * gib));
        let e = check_fits(&spec(u64::MAX, 120), false, memory, "--trials")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("--trials: study `us_beauty_2026_routes`: 18446744073709551615 trials"),
            "{e}"
        );
        assert!(
            e.contains("ZB of memory") && e.contains("21.5 GB available"),
            "{e}"
        );
        // The count said to fit does fit, and one more trial per thousand does not.
        let fit: u64 = e
            .split("--trials ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(check_fits(&spec(fit, 120), false, memory, "x").is_ok());
        assert!(check_fits(&spec(fit + fit / 1000 + 1, 120), false, memory, "x").is_err());
        assert!(check_fits(&spec(4000, 120), false, memory, "x").is_ok());
        // Unknown memory: only what no machine has is refused.
        assert!(check_fits(&spec(u64::MAX, 120), false, None, "x").is_err());
        assert!(check_fits(&spec(1_000_000, 120), false, None, "x").is_ok());
    }

    #[test]
    fn studies_run_together_must_fit_together() {
        let memory = Some((24e9, 20e9));
        // Each fits alone (about 18 GB), two do not.
        let big = spec(3_000_000, 120);
        assert!(check_fits(&big, false, memory, "x").is_ok());
        assert!(check_fits_together(&[&big], false, memory).is_ok());
        let e = check_fits_together(&[&big, &big], false, memory)
            .unwrap_err()
            .to_string();
        assert!(e.contains("the 2 studies of this run"), "{e}");
    }

    #[test]
    fn long_runs_warn_with_an_estimate() {
        assert!(slow_warning(&spec(4000, 120), 2).is_none());
        let w = slow_warning(&spec(1_000_000, 365), 2).unwrap();
        // 1.46 billion trial-days at 4 million a second: about 6 minutes.
        assert!(
            w.contains("1,460,000,000 trial-days, about 6 min on 2 threads"),
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
