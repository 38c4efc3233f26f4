//! Runs a study: every variant on the same trials, in fixed-size batches seeded by trial
//! index, on worker threads that each fold the batches they run into their own
//! accumulator. Nothing holds every trial: memory does not grow with the trial count. The
//! caller merges the workers' accumulators with an order-independent merge, so the result
//! is the same for any thread count and batches could come from several machines.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};

use super::inputs;
use super::inputs::TrialInputs;
use super::outputs::Outputs;
use super::spec::StudySpec;
use super::trial::{self, Calendar, DailyPaths, DrawMethod, SharedDraws};

pub use super::rng::BATCH_SIZE;

/// One variant's trials of one batch.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VariantBatch {
    /// Every trial's outputs, in trial order.
    pub outputs: Vec<Outputs>,
    /// Cumulative profit per trial and day, trial-major (`trial * horizon + day`).
    pub cumulative_profit: Vec<f32>,
    /// Cash position per trial and day, trial-major.
    pub cash: Vec<f32>,
    /// Delivered parcels by delay in days, summed over the batch's trials.
    pub delay_histogram: Vec<u64>,
}

/// Every variant's results for one batch of trials.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BatchOutputs {
    /// The batch's first trial.
    pub first: u64,
    /// One per variant, in the study's order.
    pub variants: Vec<VariantBatch>,
}

impl BatchOutputs {
    /// Runs trials `first..first + count` of every variant into this buffer (reused from
    /// batch to batch, so a worker allocates its buffers once). Each trial runs its
    /// variants one after another on one [`SharedDraws`], so the draws they share are made
    /// once.
    fn run(
        &mut self,
        study: &StudySpec,
        calendars: &[Calendar],
        first: u64,
        count: usize,
        method: DrawMethod,
        shared: &mut SharedDraws,
    ) {
        let horizon = study.horizon_days().max(1);
        self.first = first;
        self.variants
            .resize_with(study.variants().len(), VariantBatch::default);
        let batch_inputs: Vec<Vec<TrialInputs>> = inputs::sample_batches(
            study.variants(),
            study.events(),
            study.seed(),
            first..first + count as u64,
            study.sampling(),
        );
        for out in &mut self.variants {
            out.outputs
                .resize(count, Outputs([0.0; super::METRIC_COUNT]));
            out.cumulative_profit.resize(count * horizon, 0.0);
            out.cash.resize(count * horizon, 0.0);
            out.delay_histogram.clear();
        }
        let days = calendars.iter().map(Calendar::horizon).max().unwrap_or(0);
        for i in 0..count {
            shared.reset(study.seed(), first + i as u64, days);
            let rows = i * horizon..(i + 1) * horizon;
            for (((variant, calendar), out), inputs) in study
                .variants()
                .iter()
                .zip(calendars)
                .zip(&mut self.variants)
                .zip(&batch_inputs)
            {
                let paths = DailyPaths {
                    cumulative_profit: &mut out.cumulative_profit[rows.clone()],
                    cash: &mut out.cash[rows.clone()],
                    delay_histogram: &mut out.delay_histogram,
                };
                out.outputs[i] =
                    trial::run_shared(variant, calendar, &inputs[i], shared, method, paths);
            }
        }
    }
}

/// What a worker does with each batch it runs: folds it into its own accumulator.
pub struct Fold<'a, A> {
    /// A worker's empty accumulator.
    pub new: &'a (dyn Fn() -> A + Sync),
    /// Adds one batch to it.
    pub add: &'a (dyn Fn(&mut A, &BatchOutputs) + Sync),
}

/// Receives every batch's outputs in trial order (one `Vec<Outputs>` per variant), on the
/// calling thread: for writing rows as they come. An error stops the run.
pub type Rows<'a, E> = &'a mut dyn FnMut(u64, &[Vec<Outputs>]) -> Result<(), E>;

/// Runs trials `first..first + count` of every variant on `rayon::current_num_threads()`
/// worker threads and returns the workers' accumulators (in no meaningful order: merge
/// them with an order-independent merge). `first` must be a multiple of [`BATCH_SIZE`],
/// so that the batches are those of a run of every trial: trials `0..n` run in rounds or
/// in shards are the trials of one run of `n`. `progress` is called with the number of
/// trials just finished (from worker threads).
pub fn run_batches<A: Send, E: Send>(
    study: &StudySpec,
    first: u64,
    count: u64,
    method: DrawMethod,
    progress: &(dyn Fn(u64) + Sync),
    fold: Fold<'_, A>,
    rows: Option<Rows<'_, E>>,
) -> Result<Vec<A>, E> {
    debug_assert_eq!(first % BATCH_SIZE, 0);
    let calendars: Vec<Calendar> = study
        .variants()
        .iter()
        .map(|v| Calendar::new(study.events(), study.horizon_days(), v.setting().market))
        .collect();
    let batch_count = count.div_ceil(BATCH_SIZE);
    let threads = (rayon::current_num_threads() as u64).clamp(1, batch_count.max(1)) as usize;
    // Batches are taken in order; with rows to write, a worker waits rather than run more
    // than this many batches ahead of the oldest unwritten one (bounded memory).
    let max_ahead = 4 * threads as u64;
    let next = AtomicU64::new(0);
    let abort = AtomicBool::new(false);
    let written = (Mutex::new(0u64), Condvar::new());
    let ordered = rows.is_some();
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::channel::<(u64, Vec<Vec<Outputs>>)>();
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let sender = sender.clone();
                let (calendars, next, abort, written) = (&calendars, &next, &abort, &written);
                let fold = &fold;
                scope.spawn(move || {
                    let mut acc = (fold.new)();
                    let mut buffer = BatchOutputs::default();
                    let mut shared = SharedDraws::new(study.seed(), first, 0);
                    while !abort.load(Ordering::Relaxed) {
                        let b = next.fetch_add(1, Ordering::Relaxed);
                        if b >= batch_count {
                            break;
                        }
                        if ordered {
                            let (lock, turn) = written;
                            let mut done = lock.lock().unwrap_or_else(|e| e.into_inner());
                            while b >= *done + max_ahead && !abort.load(Ordering::Relaxed) {
                                done = turn.wait(done).unwrap_or_else(|e| e.into_inner());
                            }
                        }
                        let start = first + b * BATCH_SIZE;
                        let n = BATCH_SIZE.min(first + count - start);
                        buffer.run(study, calendars, start, n as usize, method, &mut shared);
                        (fold.add)(&mut acc, &buffer);
                        progress(n);
                        if ordered {
                            let outputs = buffer.variants.iter().map(|v| v.outputs.clone());
                            // The receiver outlives the workers; a send cannot fail.
                            let _ = sender.send((b, outputs.collect()));
                        }
                    }
                    acc
                })
            })
            .collect();
        drop(sender);
        let mut result = Ok(());
        if let Some(rows) = rows {
            let mut pending = BTreeMap::new();
            let mut want = 0u64;
            for (b, outputs) in receiver {
                pending.insert(b, outputs);
                while let Some(outputs) = pending.remove(&want) {
                    if result.is_ok() {
                        if let Err(e) = rows(first + want * BATCH_SIZE, &outputs) {
                            result = Err(e);
                            abort.store(true, Ordering::Relaxed);
                        }
                    }
                    want += 1;
                    let (lock, turn) = &written;
                    *lock.lock().unwrap_or_else(|e| e.into_inner()) = want;
                    turn.notify_all();
                }
            }
        }
        let accumulators: Vec<A> = workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect();
        result.map(|()| accumulators)
    })
}

/// Every trial of a study held in memory, in trial order: for tests and checks on small
/// studies. A run itself streams ([`run_batches`]) and never holds this.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StudyResults {
    /// One per variant, in the study's order: all its trials as one batch.
    pub variants: Vec<VariantResults>,
}

/// All trials of one variant, in trial order: one batch of every trial.
pub type VariantResults = VariantBatch;

/// Runs every trial of `study` and keeps them all (see [`StudyResults`]).
pub fn run(study: &StudySpec, method: DrawMethod, progress: &(dyn Fn(u64) + Sync)) -> StudyResults {
    let new = Vec::new;
    let add = |kept: &mut Vec<BatchOutputs>, batch: &BatchOutputs| kept.push(batch.clone());
    let fold = Fold {
        new: &new,
        add: &add,
    };
    let run = run_batches::<Vec<BatchOutputs>, std::convert::Infallible>;
    let mut batches: Vec<BatchOutputs> =
        match run(study, 0, study.trials(), method, progress, fold, None) {
            Ok(kept) => kept.into_iter().flatten().collect(),
            Err(never) => match never {},
        };
    batches.sort_by_key(|b| b.first);
    let mut results = StudyResults {
        variants: vec![VariantResults::default(); study.variants().len()],
    };
    for batch in batches {
        for (all, v) in results.variants.iter_mut().zip(batch.variants) {
            all.outputs.extend(v.outputs);
            all.cumulative_profit.extend(v.cumulative_profit);
            all.cash.extend(v.cash);
            if all.delay_histogram.len() < v.delay_histogram.len() {
                all.delay_histogram.resize(v.delay_histogram.len(), 0);
            }
            for (t, n) in all.delay_histogram.iter_mut().zip(&v.delay_histogram) {
                *t += n;
            }
        }
    }
    results
}
