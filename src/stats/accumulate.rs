//! Streaming statistics: what a study keeps of its trials, batch by batch, in memory that
//! does not grow with the number of trials.
//!
//! Every part merges without regard to order — counts and exact sums add, sketches add
//! their buckets, smallest and largest values compare — so the figures are the same bits
//! for any thread count, any batch order and any sharding. Within a batch (a fixed set of
//! trials, always added in trial order) sums are plain `f64`; the batches' sums are added
//! exactly ([`ExactSum`]).

use serde::{Deserialize, Serialize};

use super::estimate::Estimate;
use super::exact_sum::ExactSum;
use super::replicates::Replicates;
use super::sketch::{float_bits, Sketch};
use crate::sim::inputs::{Sampling, LHS_BLOCK};
use crate::sim::study::{self, BatchOutputs, Fold, Rows};
use crate::sim::{Better, DrawMethod, Metric, StudySpec, METRIC_COUNT};

/// Mantissa bits of the per-trial output sketches: buckets 2^-10 wide, so a quantile is
/// within 0.1% of its exact value (exact for integer-valued outputs).
pub const OUTPUT_BITS: u32 = 10;
/// Outputs closer to zero than this share the bucket at zero.
pub const OUTPUT_FLOOR: f64 = 1.0 / (1u64 << 30) as f64;
/// Mantissa bits of the daily path sketches: a band is within 2^-8 (0.4%) of its exact
/// value. Coarser than the outputs': a study holds two sketches per variant and day.
pub const DAILY_BITS: u32 = 7;
/// Daily money values closer to zero than one unit of currency share the bucket at zero
/// (a band there is within one unit of its exact value).
pub const DAILY_FLOOR: f64 = 1.0;

/// Exact sums of values and of their squares: the mean and variance of a stream.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    /// Sum of the values.
    pub sum: ExactSum,
    /// Sum of their squares.
    pub sum_squares: ExactSum,
    /// The Latin hypercube blocks' sums, when the inputs were sampled so: the error of
    /// the mean then comes from them ([`Replicates`]), not from the spread of the values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocks: Option<Replicates>,
}

impl Moments {
    /// Adds one batch's sums (of its values in trial order, and of their squares).
    fn add_batch(&mut self, sum: f64, squares: f64) {
        self.sum.add(sum);
        self.sum_squares.add(squares);
    }

    fn merge(&mut self, other: &Moments) {
        self.sum.merge(&other.sum);
        self.sum_squares.merge(&other.sum_squares);
        if let (Some(mine), Some(theirs)) = (&mut self.blocks, &other.blocks) {
            mine.merge(theirs);
        }
    }

    /// Moments that also keep Latin hypercube blocks' sums, when `blocks`.
    fn with_blocks(blocks: bool) -> Moments {
        Moments {
            blocks: blocks.then(Replicates::default),
            ..Moments::default()
        }
    }

    /// The mean of `n` values with its standard error and 95% interval: from the blocks
    /// when they are kept (Latin hypercube), otherwise from the values' spread (the t
    /// interval on n − 1 degrees of freedom). `constant`: every value is the same.
    pub fn estimate(&self, n: u64, constant: bool) -> Estimate {
        match &self.blocks {
            Some(blocks) => blocks.estimate(self.sum.value(), n, constant),
            None => {
                let (mean, sd) = self.mean_sd(n, constant);
                Estimate::mean(mean, sd, n as usize)
            }
        }
    }

    /// Mean and sample standard deviation of `n` values; `constant` when every value is
    /// the same (the variance is then exactly 0, not a rounding residue). NaN without
    /// values; the deviation NaN with one.
    pub fn mean_sd(&self, n: u64, constant: bool) -> (f64, f64) {
        if n == 0 {
            return (f64::NAN, f64::NAN);
        }
        let nf = n as f64;
        let total = self.sum.value();
        let mean = total / nf;
        if n < 2 {
            return (mean, f64::NAN);
        }
        if constant {
            return (mean, 0.0);
        }
        let ss = (self.sum_squares.value() - total * mean).max(0.0);
        (mean, (ss / (nf - 1.0)).sqrt())
    }
}

/// One output of one variant over the trials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutputAccumulator {
    /// Trials where the output is undefined (NaN).
    pub undefined: u64,
    /// Sums of the defined values and their squares.
    pub moments: Moments,
    /// Their distribution.
    pub sketch: Sketch,
}

impl OutputAccumulator {
    fn new(blocks: bool) -> OutputAccumulator {
        OutputAccumulator {
            undefined: 0,
            moments: Moments::with_blocks(blocks),
            sketch: Sketch::with_extents(OUTPUT_BITS, OUTPUT_FLOOR),
        }
    }

    /// The accumulator of `values` (NaN is undefined), as one batch.
    pub fn of(values: &[f64]) -> OutputAccumulator {
        let mut acc = OutputAccumulator::new(false);
        acc.add_batch(values.iter().copied());
        acc
    }

    /// Trials where the output is defined.
    pub fn defined(&self) -> u64 {
        self.sketch.count()
    }

    /// Adds one batch's values (in trial order, from a batch's first trial; NaN is
    /// undefined).
    fn add_batch(&mut self, values: impl Iterator<Item = f64>) {
        let (mut sum, mut squares) = (0.0, 0.0);
        let mut defined = Vec::with_capacity(values.size_hint().0);
        let mut block = BlockSums::default();
        for (i, v) in values.enumerate() {
            if v.is_nan() {
                self.undefined += 1;
            } else if v.is_finite() {
                sum += v;
                squares += v * v;
                defined.push(v);
                block.add(v);
            }
            block.end_of_trial(i, &mut self.moments.blocks);
        }
        block.finish(&mut self.moments.blocks);
        self.moments.add_batch(sum, squares);
        // Sorted, the batch's values reach the sketch's buckets in key order.
        defined.sort_unstable_by(f64::total_cmp);
        self.sketch.add_sorted(&defined);
    }

    fn merge(&mut self, other: &OutputAccumulator) {
        self.undefined += other.undefined;
        self.moments.merge(&other.moments);
        self.sketch.merge(&other.sketch);
    }

    /// Mean and sample standard deviation of the defined values.
    pub fn mean_sd(&self) -> (f64, f64) {
        let constant = self.sketch.min() == self.sketch.max();
        self.moments.mean_sd(self.defined(), constant)
    }

    /// The mean of the defined values with its standard error and 95% interval (see
    /// [`Moments::estimate`]).
    pub fn mean_estimate(&self) -> Estimate {
        let constant = self.sketch.min() == self.sketch.max();
        self.moments.estimate(self.defined(), constant)
    }
}

/// One Latin hypercube block's running sum, as a batch's values go by in trial order.
#[derive(Default)]
struct BlockSums {
    sum: f64,
    n: u64,
}

impl BlockSums {
    fn add(&mut self, v: f64) {
        self.sum += v;
        self.n += 1;
    }

    /// After the batch's trial `i` (from 0): a block ends every [`LHS_BLOCK`] trials (a
    /// batch starts at a multiple of the block).
    fn end_of_trial(&mut self, i: usize, blocks: &mut Option<Replicates>) {
        if (i as u64 + 1).is_multiple_of(LHS_BLOCK) {
            self.finish(blocks);
        }
    }

    /// Adds the block so far (if any) to `blocks`, when they are kept.
    fn finish(&mut self, blocks: &mut Option<Replicates>) {
        if let Some(blocks) = blocks {
            blocks.add(self.sum, self.n);
        }
        *self = BlockSums::default();
    }
}

/// One variant's outputs and daily paths over the trials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantAccumulator {
    /// Per output, in [`Metric::ALL`] order.
    pub outputs: Vec<OutputAccumulator>,
    /// Trials with a defined profit below zero.
    pub losses: u64,
    /// Per day, cumulative profit over the trials.
    pub daily_profit: Vec<Sketch>,
    /// Per day, the cash position over the trials.
    pub daily_cash: Vec<Sketch>,
    /// Delivered parcels by delay in days, summed over the trials.
    pub delay_histogram: Vec<u64>,
}

impl VariantAccumulator {
    fn new(horizon: usize, blocks: bool) -> VariantAccumulator {
        VariantAccumulator {
            outputs: (0..METRIC_COUNT)
                .map(|_| OutputAccumulator::new(blocks))
                .collect(),
            losses: 0,
            daily_profit: vec![Sketch::new(DAILY_BITS, DAILY_FLOOR); horizon],
            daily_cash: vec![Sketch::new(DAILY_BITS, DAILY_FLOOR); horizon],
            delay_histogram: Vec::new(),
        }
    }

    /// The accumulator of one output.
    pub fn output(&self, m: Metric) -> &OutputAccumulator {
        &self.outputs[m as usize]
    }

    fn merge(&mut self, other: &VariantAccumulator) {
        for (mine, theirs) in self.outputs.iter_mut().zip(&other.outputs) {
            mine.merge(theirs);
        }
        self.losses += other.losses;
        for (mine, theirs) in self
            .daily_profit
            .iter_mut()
            .chain(self.daily_cash.iter_mut())
            .zip(other.daily_profit.iter().chain(&other.daily_cash))
        {
            mine.merge(theirs);
        }
        add_histogram(&mut self.delay_histogram, &other.delay_histogram);
    }
}

fn add_histogram(total: &mut Vec<u64>, more: &[u64]) {
    if total.len() < more.len() {
        total.resize(more.len(), 0);
    }
    for (t, n) in total.iter_mut().zip(more) {
        *t += n;
    }
}

/// A pair (A, B) compared trial by trial on one output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairOutput {
    /// Sums of A − B and of (A − B)² over trials where both are defined.
    pub moments: Moments,
    /// Trials where both are defined.
    pub pairs: u64,
    /// Trials where A is strictly better.
    pub wins: u64,
    /// Smallest and largest difference (equal: the variance is exactly 0).
    #[serde(with = "float_bits")]
    pub min: f64,
    /// Largest difference.
    #[serde(with = "float_bits")]
    pub max: f64,
}

/// A pair of variants compared on every output, and the distribution of the profit
/// difference (for the head-to-head chart).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairAccumulator {
    /// Index of variant A.
    pub a: usize,
    /// Index of variant B.
    pub b: usize,
    /// Per output in [`Metric::ALL`] order.
    pub outputs: Vec<PairOutput>,
    /// A − B in profit.
    pub profit_difference: Sketch,
}

impl PairAccumulator {
    fn new(a: usize, b: usize, blocks: bool) -> PairAccumulator {
        PairAccumulator {
            a,
            b,
            outputs: (0..METRIC_COUNT)
                .map(|_| PairOutput {
                    moments: Moments::with_blocks(blocks),
                    pairs: 0,
                    wins: 0,
                    min: f64::INFINITY,
                    max: f64::NEG_INFINITY,
                })
                .collect(),
            profit_difference: Sketch::with_extents(OUTPUT_BITS, OUTPUT_FLOOR),
        }
    }

    fn add_batch(&mut self, batch: &BatchOutputs) {
        let (a, b) = (&batch.variants[self.a], &batch.variants[self.b]);
        let mut profit_differences = Vec::with_capacity(a.outputs.len());
        for (&m, acc) in Metric::ALL.iter().zip(&mut self.outputs) {
            let (mut sum, mut squares) = (0.0, 0.0);
            let mut block = BlockSums::default();
            for (i, (x, y)) in a.outputs.iter().zip(&b.outputs).enumerate() {
                let (x, y) = (x[m], y[m]);
                let d = x - y;
                if x.is_nan() || y.is_nan() || !d.is_finite() {
                    block.end_of_trial(i, &mut acc.moments.blocks);
                    continue;
                }
                block.add(d);
                block.end_of_trial(i, &mut acc.moments.blocks);
                sum += d;
                squares += d * d;
                acc.pairs += 1;
                acc.min = acc.min.min(d);
                acc.max = acc.max.max(d);
                let better = match m.better() {
                    Better::Higher => x > y,
                    Better::Lower => x < y,
                };
                acc.wins += u64::from(better);
                if m == Metric::Profit {
                    profit_differences.push(d);
                }
            }
            block.finish(&mut acc.moments.blocks);
            acc.moments.add_batch(sum, squares);
        }
        profit_differences.sort_unstable_by(f64::total_cmp);
        self.profit_difference.add_sorted(&profit_differences);
    }

    fn merge(&mut self, other: &PairAccumulator) {
        for (mine, theirs) in self.outputs.iter_mut().zip(&other.outputs) {
            mine.moments.merge(&theirs.moments);
            mine.pairs += theirs.pairs;
            mine.wins += theirs.wins;
            mine.min = mine.min.min(theirs.min);
            mine.max = mine.max.max(theirs.max);
        }
        self.profit_difference.merge(&other.profit_difference);
    }
}

/// Everything a study keeps of its trials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StudyAccumulator {
    /// Trials added.
    pub trials: u64,
    /// Days per trial.
    pub horizon: usize,
    /// One per variant, in the study's order.
    pub variants: Vec<VariantAccumulator>,
    /// The compared pairs, in the order they were asked for.
    pub pairs: Vec<PairAccumulator>,
    /// `best_shares[v][k - 1]`: trials where variant `v` had the most profit together
    /// with `k - 1` others (ties share the trial).
    pub best_shares: Vec<Vec<u64>>,
    /// Trials where every variant's profit is defined (those P(best) counts).
    pub best_counted: u64,
    /// Per variant, the group P(best) compares it within (its state of the world); empty
    /// when every variant is one group (a study without worlds, or a shard part written
    /// before worlds existed).
    #[serde(default)]
    pub best_groups: Vec<usize>,
    /// The first value no trial should produce, by variant, kind and trial.
    pub non_finite: Option<NonFiniteAt>,
}

/// Where a value no trial should produce was found, ordered as a 1-thread run would find
/// it first: by variant, then outputs before daily paths, then trial.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NonFiniteAt {
    /// Index of the variant.
    pub variant: usize,
    /// 0 for a trial output, 1 for a daily path.
    pub kind: u8,
    /// The trial (from 0).
    pub trial: u64,
    /// For a daily path, the day (from 0).
    #[serde(default)]
    pub day: usize,
    /// Position of the output in [`Metric::ALL`].
    pub metric: usize,
    /// The value.
    #[serde(with = "float_bits")]
    pub value: f64,
}

impl NonFiniteAt {
    fn key(&self) -> (usize, u8, u64, usize) {
        (self.variant, self.kind, self.trial, self.metric)
    }

    /// The output (the daily cumulative profit path counts as profit, cash as working
    /// capital).
    pub fn output(&self) -> Metric {
        Metric::ALL[self.metric]
    }

    /// What went wrong, for a message about variant `variant`: a day whose expected
    /// orders were beyond [`crate::sim::trial::MAX_DAILY_ORDERS`] (the only source of an
    /// undefined daily profit whose trial outputs are finite: those are checked first),
    /// or an output that is not finite.
    pub fn describe(&self, variant: &str) -> String {
        let variant = crate::error::printable(variant);
        if self.kind == 1 && self.value.is_nan() && self.output() == Metric::Profit {
            format!(
                "variant `{variant}`: on day {} of trial {} the expected orders exceed {} a day, the most the simulation counts exactly; events multiply demand where they overlap: check their `demand_multiplier`s and the volume parameters (orders per account-day, managed orders per day, viral spikes) for an extra zero",
                self.day + 1,
                self.trial + 1,
                crate::format::fmt_number(crate::sim::trial::MAX_DAILY_ORDERS)
            )
        } else {
            format!(
                "variant `{variant}`: `{}` is {} in trial {}; the inputs are too extreme for the model (check money and volume parameters for an extra zero)",
                self.output().name(),
                if self.value.is_nan() {
                    "undefined (NaN)"
                } else {
                    "infinite"
                },
                self.trial + 1
            )
        }
    }
}

impl StudyAccumulator {
    /// An empty accumulator for `variants` variants over `horizon` days comparing `pairs`.
    pub fn new(variants: usize, horizon: usize, pairs: &[(usize, usize)]) -> StudyAccumulator {
        StudyAccumulator::sampled(variants, horizon, pairs, Sampling::MonteCarlo)
    }

    /// As [`StudyAccumulator::new`], for trials whose inputs were sampled by `sampling`: a
    /// Latin hypercube's means keep their blocks' sums for their standard errors.
    pub fn sampled(
        variants: usize,
        horizon: usize,
        pairs: &[(usize, usize)],
        sampling: Sampling,
    ) -> StudyAccumulator {
        let blocks = sampling == Sampling::LatinHypercube;
        StudyAccumulator {
            trials: 0,
            horizon,
            variants: (0..variants)
                .map(|_| VariantAccumulator::new(horizon, blocks))
                .collect(),
            pairs: pairs
                .iter()
                .map(|&(a, b)| PairAccumulator::new(a, b, blocks))
                .collect(),
            best_shares: vec![vec![0; variants]; variants],
            best_counted: 0,
            best_groups: Vec::new(),
            non_finite: None,
        }
    }

    /// An empty accumulator for `spec`'s trials comparing `pairs`: P(best) compares the
    /// variants of one state of the world when the study has worlds.
    pub fn for_study(spec: &StudySpec, pairs: &[(usize, usize)]) -> StudyAccumulator {
        let (variants, horizon) = (spec.variants().len(), spec.horizon_days());
        let mut acc = StudyAccumulator::sampled(variants, horizon, pairs, spec.sampling());
        if spec.worlds().is_some() {
            acc.best_groups = spec.best_groups();
        }
        acc
    }

    /// Runs trials `first..first + count` of a study (see [`study::run_batches`]) and
    /// accumulates them, comparing `pairs`; `rows`, when given, receives every batch's
    /// outputs in trial order.
    pub fn run<E: Send>(
        spec: &StudySpec,
        first: u64,
        count: u64,
        method: DrawMethod,
        pairs: &[(usize, usize)],
        progress: &(dyn Fn(u64) + Sync),
        rows: Option<Rows<'_, E>>,
    ) -> Result<StudyAccumulator, E> {
        let empty = || StudyAccumulator::for_study(spec, pairs);
        let add = |acc: &mut StudyAccumulator, batch: &BatchOutputs| acc.add_batch(batch);
        let fold = Fold {
            new: &empty,
            add: &add,
        };
        let parts = study::run_batches(spec, first, count, method, progress, fold, rows)?;
        let mut parts = parts.into_iter();
        let mut total = parts.next().unwrap_or_else(empty);
        for p in parts {
            total.merge(&p);
        }
        Ok(total)
    }

    /// Every trial of a study, accumulated (nothing written).
    pub fn run_all(
        spec: &StudySpec,
        method: DrawMethod,
        pairs: &[(usize, usize)],
        progress: &(dyn Fn(u64) + Sync),
    ) -> StudyAccumulator {
        let run = StudyAccumulator::run::<std::convert::Infallible>;
        match run(spec, 0, spec.trials(), method, pairs, progress, None) {
            Ok(acc) => acc,
            Err(never) => match never {},
        }
    }

    /// Adds one batch of trials (every variant's).
    pub fn add_batch(&mut self, batch: &BatchOutputs) {
        let count = batch.variants.first().map_or(0, |v| v.outputs.len());
        self.trials += count as u64;
        for (index, (acc, v)) in self.variants.iter_mut().zip(&batch.variants).enumerate() {
            for (&m, out) in Metric::ALL.iter().zip(&mut acc.outputs) {
                out.add_batch(v.outputs.iter().map(|o| o[m]));
            }
            acc.losses += v.outputs.iter().filter(|o| o[Metric::Profit] < 0.0).count() as u64;
            let horizon = self.horizon.max(1);
            for (path, sketches) in [
                (&v.cumulative_profit, &mut acc.daily_profit),
                (&v.cash, &mut acc.daily_cash),
            ] {
                for trial in path.chunks_exact(horizon) {
                    for (sketch, &x) in sketches.iter_mut().zip(trial) {
                        if x.is_finite() {
                            sketch.add(f64::from(x));
                        }
                    }
                }
            }
            add_histogram(&mut acc.delay_histogram, &v.delay_histogram);
            if let Some(found) = first_non_finite(index, batch.first, v, self.horizon) {
                if self
                    .non_finite
                    .as_ref()
                    .is_none_or(|seen| found.key() < seen.key())
                {
                    self.non_finite = Some(found);
                }
            }
        }
        for pair in &mut self.pairs {
            pair.add_batch(batch);
        }
        self.add_best(batch, count);
    }

    /// Counts, per trial, the variants with the most profit in their group (ties share).
    fn add_best(&mut self, batch: &BatchOutputs, count: usize) {
        let k = batch.variants.len();
        let group = |v: usize| self.best_groups.get(v).copied().unwrap_or(0);
        let groups = (0..k).map(group).max().map_or(0, |g| g + 1);
        let mut winners = Vec::with_capacity(k);
        for t in 0..count {
            let profit = |v: usize| batch.variants[v].outputs[t][Metric::Profit];
            if (0..k).any(|v| !profit(v).is_finite()) {
                continue;
            }
            for g in 0..groups {
                let best = (0..k)
                    .filter(|&v| group(v) == g)
                    .map(profit)
                    .fold(f64::NEG_INFINITY, f64::max);
                winners.clear();
                winners.extend((0..k).filter(|&v| group(v) == g && profit(v) == best));
                for &v in &winners {
                    self.best_shares[v][winners.len() - 1] += 1;
                }
            }
            self.best_counted += 1;
        }
    }

    /// Adds another accumulator of the same study (other trials).
    pub fn merge(&mut self, other: &StudyAccumulator) {
        self.trials += other.trials;
        for (mine, theirs) in self.variants.iter_mut().zip(&other.variants) {
            mine.merge(theirs);
        }
        for (mine, theirs) in self.pairs.iter_mut().zip(&other.pairs) {
            mine.merge(theirs);
        }
        for (mine, theirs) in self.best_shares.iter_mut().zip(&other.best_shares) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                *m += t;
            }
        }
        self.best_counted += other.best_counted;
        if self.best_groups.is_empty() {
            self.best_groups.clone_from(&other.best_groups);
        }
        if let Some(found) = &other.non_finite {
            if self
                .non_finite
                .as_ref()
                .is_none_or(|seen| found.key() < seen.key())
            {
                self.non_finite = Some(found.clone());
            }
        }
    }

    /// Whether an accumulator read from a file has the shape of one made by
    /// [`StudyAccumulator::new`] with these arguments (so merging it cannot go wrong).
    pub fn fits(&self, variants: usize, horizon: usize, pairs: &[(usize, usize)]) -> bool {
        let output_like = Sketch::with_extents(OUTPUT_BITS, OUTPUT_FLOOR);
        let daily_like = Sketch::new(DAILY_BITS, DAILY_FLOOR);
        let variant_fits = |v: &VariantAccumulator| {
            v.outputs.len() == METRIC_COUNT
                && v.outputs.iter().all(|o| o.sketch.fits(&output_like))
                && v.daily_profit.len() == horizon
                && v.daily_cash.len() == horizon
                && v.daily_profit
                    .iter()
                    .chain(&v.daily_cash)
                    .all(|d| d.fits(&daily_like))
        };
        let kept: Vec<(usize, usize)> = self.pairs.iter().map(|p| (p.a, p.b)).collect();
        self.horizon == horizon
            && self.variants.len() == variants
            && self.variants.iter().all(variant_fits)
            && kept == pairs
            && self
                .pairs
                .iter()
                .all(|p| p.outputs.len() == METRIC_COUNT && p.profit_difference.fits(&output_like))
            && self.best_shares.len() == variants
            && self.best_shares.iter().all(|s| s.len() == variants)
            && (self.best_groups.is_empty() || self.best_groups.len() == variants)
            && self.sampling().is_some()
    }

    /// How the trials' inputs were sampled, as the means tell: every mean keeps its
    /// blocks' sums with a Latin hypercube, none with simple Monte Carlo; `None` when
    /// some do and some do not (an accumulator no run writes).
    pub fn sampling(&self) -> Option<Sampling> {
        let variant_means = self
            .variants
            .iter()
            .flat_map(|v| &v.outputs)
            .map(|o| &o.moments);
        let pair_means = self
            .pairs
            .iter()
            .flat_map(|p| &p.outputs)
            .map(|o| &o.moments);
        let mut kept = variant_means.chain(pair_means).map(|m| m.blocks.is_some());
        let first = kept.next().unwrap_or(false);
        kept.all(|k| k == first).then_some(if first {
            Sampling::LatinHypercube
        } else {
            Sampling::MonteCarlo
        })
    }

    /// Bytes the accumulator's sketches hold on the heap (what grows with the spread of
    /// the values, not with the number of trials).
    pub fn heap_bytes(&self) -> usize {
        let variants: usize = self
            .variants
            .iter()
            .map(|v| {
                v.outputs
                    .iter()
                    .map(|o| o.sketch.heap_bytes())
                    .sum::<usize>()
                    + v.daily_profit
                        .iter()
                        .chain(&v.daily_cash)
                        .map(Sketch::heap_bytes)
                        .sum::<usize>()
            })
            .sum();
        variants
            + self
                .pairs
                .iter()
                .map(|p| p.profit_difference.heap_bytes())
                .sum::<usize>()
    }

    /// Per variant, the share of trials in which it makes the most profit (ties shared).
    pub fn p_best(&self) -> Vec<f64> {
        self.best_shares
            .iter()
            .map(|shares| {
                if self.best_counted == 0 {
                    return f64::NAN;
                }
                let wins: f64 = shares
                    .iter()
                    .enumerate()
                    .map(|(k, &n)| n as f64 / (k + 1) as f64)
                    .sum();
                wins / self.best_counted as f64
            })
            .collect()
    }

    /// The comparison of A with B, when it is kept.
    pub fn pair(&self, a: usize, b: usize) -> Option<&PairAccumulator> {
        self.pairs.iter().find(|p| p.a == a && p.b == b)
    }
}

/// The first non-finite value of one variant's batch, as [`NonFiniteAt`].
fn first_non_finite(
    variant: usize,
    first: u64,
    v: &crate::sim::study::VariantBatch,
    horizon: usize,
) -> Option<NonFiniteAt> {
    for (t, outputs) in v.outputs.iter().enumerate() {
        // Most trials are fine: one branch-free pass, then the search if not.
        let fine = Metric::ALL.iter().fold(true, |ok, &m| {
            let x = outputs[m];
            ok & (x.is_finite() | (m.may_be_undefined() & x.is_nan()))
        });
        if fine {
            continue;
        }
        for &m in Metric::ALL {
            let value = outputs[m];
            if value.is_infinite() || (value.is_nan() && !m.may_be_undefined()) {
                return Some(NonFiniteAt {
                    variant,
                    kind: 0,
                    trial: first + t as u64,
                    day: 0,
                    metric: m as usize,
                    value,
                });
            }
        }
    }
    let horizon = horizon.max(1);
    for (m, path) in [
        (Metric::Profit, &v.cumulative_profit),
        (Metric::WorkingCapitalNeeded, &v.cash),
    ] {
        if path.iter().fold(true, |ok, x| ok & x.is_finite()) {
            continue;
        }
        if let Some(i) = path.iter().position(|x| !x.is_finite()) {
            return Some(NonFiniteAt {
                variant,
                kind: 1,
                trial: first + (i / horizon) as u64,
                day: i % horizon,
                metric: m as usize,
                value: f64::from(path[i]),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::study::VariantBatch;
    use crate::sim::Outputs;

    /// A batch whose variants' profit (and every other output) are the given columns.
    fn batch(first: u64, columns: &[&[f64]]) -> BatchOutputs {
        BatchOutputs {
            first,
            variants: columns
                .iter()
                .map(|c| VariantBatch {
                    outputs: c.iter().map(|&v| Outputs([v; METRIC_COUNT])).collect(),
                    cumulative_profit: c.iter().map(|&v| v as f32).collect(),
                    cash: vec![0.0; c.len()],
                    delay_histogram: vec![1, 2],
                })
                .collect(),
        }
    }

    fn accumulate(batches: &[BatchOutputs], variants: usize) -> StudyAccumulator {
        let pairs = crate::stats::analysis::table_pairs(variants, None);
        let mut acc = StudyAccumulator::new(variants, 1, &pairs);
        batches.iter().for_each(|b| acc.add_batch(b));
        acc
    }

    #[test]
    fn p_best_shares_ties_and_sums_to_one() {
        let acc = accumulate(
            &[batch(
                0,
                &[
                    &[1.0, 5.0, 2.0, 2.0],
                    &[2.0, 1.0, 2.0, f64::NAN],
                    &[0.0, 0.0, 1.0, 9.0],
                ],
            )],
            3,
        );
        let p = acc.p_best();
        // Trials 0..3 count (trial 3 has an undefined value): winners b, a, a/b tie.
        assert_eq!(acc.best_counted, 3);
        assert!((p[0] - 0.5).abs() < 1e-12 && (p[1] - 0.5).abs() < 1e-12 && p[2] == 0.0);
    }

    #[test]
    fn direction_decides_what_better_means_and_undefined_pairs_are_skipped() {
        let acc = accumulate(
            &[batch(
                0,
                &[&[1.0, 5.0, 3.0, f64::NAN], &[2.0, 4.0, 3.0, 1.0]],
            )],
            2,
        );
        let pair = acc.pair(0, 1).unwrap();
        let profit = crate::stats::paired(&pair.outputs[Metric::Profit as usize]).unwrap();
        assert_eq!((profit.diff.n, profit.diff.point), (3, 0.0));
        assert!((profit.p_a_better - 1.0 / 3.0).abs() < 1e-12);
        // A lower-is-better output: A better where it is smaller (trial 0 only).
        let cost = crate::stats::paired(&pair.outputs[Metric::Cogs as usize]).unwrap();
        assert!((cost.p_a_better - 1.0 / 3.0).abs() < 1e-12);
        // Differences -1, 1, 0: sd 1.
        assert!((profit.sd_diff - 1.0).abs() < 1e-12);
    }

    #[test]
    fn batches_in_any_order_or_split_between_workers_give_the_same_bits() {
        // Values whose plain running sums depend on the order.
        let values = |k: u64| -> Vec<f64> {
            (0..50)
                .map(|i| ((i * 7919 + k * 104_729) % 1000) as f64 * 0.1 + 1e6 * (k as f64))
                .collect()
        };
        let batches: Vec<BatchOutputs> = (0..8u64)
            .map(|k| batch(k * 50, &[&values(k), &values(k + 3)]))
            .collect();
        let forward = accumulate(&batches, 2);
        let mut reversed: Vec<BatchOutputs> = batches.clone();
        reversed.reverse();
        let backward = accumulate(&reversed, 2);
        let mut split = accumulate(&batches[5..], 2);
        split.merge(&accumulate(&batches[..5], 2));
        assert_eq!(forward, backward);
        assert_eq!(forward, split);
        // And the moments are the exact ones (two-pass on all values).
        let all: Vec<f64> = (0..8).flat_map(values).collect();
        let (mean, sd) = crate::stats::mean_sd(&all);
        let (m, s) = forward.variants[0].output(Metric::Profit).mean_sd();
        assert!((m - mean).abs() <= 1e-12 * mean.abs());
        assert!((s - sd).abs() <= 1e-9 * sd);
        assert_eq!(forward.variants[0].delay_histogram, vec![8, 16]);
    }

    #[test]
    fn the_first_non_finite_value_is_found_whatever_the_order() {
        let mut late = batch(50, &[&[1.0, f64::INFINITY]]);
        late.variants[0].outputs[1][Metric::Margin] = f64::NAN;
        let early = batch(0, &[&[f64::NEG_INFINITY, 1.0]]);
        let mut a = accumulate(&[late.clone()], 1);
        a.merge(&accumulate(std::slice::from_ref(&early), 1));
        let b = accumulate(&[early, late], 1);
        let found = a.non_finite.clone().unwrap();
        assert_eq!(a.non_finite, b.non_finite);
        assert_eq!((found.variant, found.trial, found.kind), (0, 0, 0));
        // An undefined margin is allowed; an undefined profit is not.
        let fine = accumulate(&[batch(0, &[&[1.0]])], 1);
        assert!(fine.non_finite.is_none());
    }
}
