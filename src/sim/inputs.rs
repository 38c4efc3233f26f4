//! A trial's inputs: every uncertain parameter sampled once, from its own stream.
//!
//! Sampling is kept apart from the day loop and done per batch of trials, so that later
//! steps (rank-correlating inputs, Latin hypercube) can rework a batch's samples before
//! any trial runs.

use std::ops::Range;

use super::correlate;
use super::rng::{param_stream, stream, Purpose, BATCH_SIZE};
use super::spec::{CampaignTerm, EventFactor, EventSpec, VariantSpec};
use crate::params::{Dist, COUNT, P, SPECS};

/// Parameter stream indices: a catalog parameter's stream is named by its key
/// ([`param_stream`]), so adding or moving a parameter leaves every other parameter's
/// draws as they were; events use small indices, which a 64-bit key hash does not hit in
/// practice (checked by a test for the catalog).
const EVENT_STREAM_BASE: u64 = 2_000;
const EVENT_DUTY_STREAM_BASE: u64 = 3_000;
const EVENT_CAMPAIGN_STREAM_BASE: u64 = 4_000;

/// One trial's sampled inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct TrialInputs {
    /// Every catalog parameter, indexed by `P`.
    pub values: [f64; COUNT],
    /// Per event, its multipliers indexed by `EventFactor`.
    pub event_multipliers: Vec<[f64; 5]>,
    /// Per event, the duty rate it sets (a tariff change), if any.
    pub event_duty_rates: Vec<Option<f64>>,
    /// Per event, what joining it costs a self-operated shop, indexed by `CampaignTerm`.
    pub event_campaign: Vec<[f64; 3]>,
}

impl std::ops::Index<P> for TrialInputs {
    type Output = f64;
    #[inline]
    fn index(&self, p: P) -> &f64 {
        &self.values[p as usize]
    }
}

/// How a study samples its uncertain inputs. A Latin hypercube by default: its intervals
/// cover as they should (tested) and it needs several times fewer trials for the same
/// precision (the README's table).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sampling {
    /// Simple Monte Carlo: every trial draws each input independently.
    MonteCarlo,
    /// Latin hypercube: within each block of [`LHS_BLOCK`] trials, each input's range is cut
    /// into that many slices of equal probability and every slice is drawn exactly once
    /// (McKay, Beckman & Conover 1979), the pairing of slices across inputs random. Blocks
    /// are independent replicates, which is what their standard errors rest on.
    #[default]
    LatinHypercube,
}

impl Sampling {
    /// Every method, by name.
    pub const ALL: [Sampling; 2] = [Sampling::MonteCarlo, Sampling::LatinHypercube];

    /// How it is written in a scenario, on the command line and in `run.json`.
    pub fn name(self) -> &'static str {
        match self {
            Sampling::MonteCarlo => "mc",
            Sampling::LatinHypercube => "lhs",
        }
    }

    /// The command-line words that ask for it (`--sampling lhs`): every reproduce command
    /// names its method.
    pub fn flag(self) -> [&'static str; 2] {
        ["--sampling", self.name()]
    }

    /// The method named `name` (`mc` or `lhs`).
    pub fn parse(name: &str) -> Option<Sampling> {
        Sampling::ALL.into_iter().find(|s| s.name() == name)
    }
}

impl std::str::FromStr for Sampling {
    type Err = String;

    fn from_str(text: &str) -> Result<Sampling, String> {
        Sampling::parse(text).ok_or_else(|| {
            format!("`{text}` is not a sampling method; use \"lhs\" (Latin hypercube) or \"mc\" (simple Monte Carlo)")
        })
    }
}

/// Trials per Latin hypercube block: a block is one independent replicate of the design.
/// 64 keeps nearly all of the variance reduction of a larger block (what a Latin hypercube
/// removes, the additive part of the spread, shrinks with the block's size faster than
/// 1/n) while a run of 1,024 trials already holds 16 replicates for its standard errors.
/// It divides [`BATCH_SIZE`], so a block never spans two batches, two threads or two shards.
pub const LHS_BLOCK: u64 = 64;

/// Draws `dist` from the stream `(seed, trial, Parameters, index)`. The stream depends only
/// on the parameter, so two variants with the same distribution see the same value.
fn draw(dist: &Dist, seed: u64, trial: u64, index: u64) -> f64 {
    match dist.fixed_value() {
        Some(v) => v,
        None => dist.sample(&mut stream(seed, trial, Purpose::Parameters, index)),
    }
}

/// The trial coordinate of block `block`'s slice permutations: counted down from far
/// below the top (where the Iman–Conover score streams count down from), far above any
/// trial number.
const LHS_STREAM_TOP: u64 = u64::MAX - (1 << 40);

/// A Latin hypercube block: per input (by its stream index), which slice each of the
/// block's trials draws from.
struct Block {
    seed: u64,
    /// The inputs' stream indices, ascending; `slices[i]` is the permutation of `indices[i]`.
    indices: Vec<u64>,
    slices: Vec<[u8; LHS_BLOCK as usize]>,
}

impl Block {
    /// Block `block` of a study with `seed`: each input's permutation of the slices is
    /// drawn from its own stream, so it depends on the seed, the block and the input,
    /// never on the variant (common random numbers) or on which trials are asked for.
    fn new(seed: u64, block: u64, indices: impl Iterator<Item = u64>) -> Block {
        use rand::Rng;
        let mut indices: Vec<u64> = indices.collect();
        indices.sort_unstable();
        indices.dedup();
        let slices = indices
            .iter()
            .map(|&index| {
                let mut rng = stream(seed, LHS_STREAM_TOP - block, Purpose::Parameters, index);
                let mut order: [u8; LHS_BLOCK as usize] = std::array::from_fn(|i| i as u8);
                for i in (1..order.len()).rev() {
                    order.swap(i, rng.random_range(0..=i));
                }
                order
            })
            .collect();
        Block {
            seed,
            indices,
            slices,
        }
    }

    /// Trial `trial`'s draw of `dist` (stream `index`): the inverse CDF at a uniform point
    /// of its slice, the point within the slice from the trial's own stream.
    fn draw(&self, dist: &Dist, trial: u64, index: u64) -> f64 {
        use rand::Rng;
        if let Some(v) = dist.fixed_value() {
            return v;
        }
        let at = self
            .indices
            .binary_search(&index)
            .expect("a block holds every input its trials draw");
        let slice = self.slices[at][(trial % LHS_BLOCK) as usize];
        let within: f64 = stream(self.seed, trial, Purpose::Parameters, index).random();
        // Strictly inside (0, 1): the ends of an unbounded distribution are infinite.
        let u = ((f64::from(slice) + within) / LHS_BLOCK as f64).max(f64::EPSILON);
        dist.quantile(u)
    }
}

/// Clamps a draw to the parameter's valid range (unbounded distributions such as a normal
/// for a rate can stray outside it) and rounds whole-number parameters.
fn fit(p: P, value: f64) -> f64 {
    let spec = &SPECS[p as usize];
    let v = value.clamp(spec.min, spec.max);
    if spec.integer {
        v.round()
    } else {
        v
    }
}

/// Samples one trial's inputs (simple Monte Carlo).
pub fn sample(variant: &VariantSpec, events: &[EventSpec], seed: u64, trial: u64) -> TrialInputs {
    let plan = Plan::new(std::slice::from_ref(variant), 0);
    plan.row(events, &[], &|dist, index| draw(dist, seed, trial, index))
}

/// The stream index of every input `variant` and `events` sample: catalog parameters,
/// then events' multipliers, duty rates and campaign terms.
fn stream_indices(variant: &VariantSpec, events: &[EventSpec]) -> Vec<u64> {
    let mut out: Vec<u64> = variant
        .params()
        .entries()
        .filter(|(_, entry)| !entry.dist.is_fixed())
        .map(|(p, _)| param_stream(p))
        .collect();
    for (e, ev) in events.iter().enumerate() {
        let varies = |d: &Dist| !d.is_fixed();
        out.extend(
            (0..5)
                .filter(|&f| varies(&ev.multipliers()[f]))
                .map(|f| EVENT_STREAM_BASE + (5 * e + f) as u64),
        );
        if ev.duty_rate().is_some_and(varies) {
            out.push(EVENT_DUTY_STREAM_BASE + e as u64);
        }
        out.extend(
            (0..3)
                .filter(|&k| varies(&ev.campaign()[k]))
                .map(|k| EVENT_CAMPAIGN_STREAM_BASE + (3 * e + k) as u64),
        );
    }
    out
}

/// Where one catalog parameter of a variant's trial comes from.
enum Source<'a> {
    /// Drawn from `dist` on the parameter's stream `index`.
    Draw { dist: &'a Dist, index: u64 },
    /// The same value as variant `from` of the same trial (an earlier variant with the same
    /// distribution: the same stream gives it the same draw).
    Copy { from: usize },
}

/// How one variant's trial inputs are made, worked out once per call: a study's variants
/// mostly share their uncertain inputs, and an input two variants give the same
/// distribution is drawn from the same stream, so its value is the same; it is drawn once
/// and copied (exactly the value the variant would draw itself), as are the events'
/// inputs, which every variant shares.
struct Plan<'a> {
    params: Vec<(P, Source<'a>)>,
    /// Whether the events' inputs are copied from the trial's first variant.
    events_copied: bool,
}

impl<'a> Plan<'a> {
    /// The plan of `variants[k]`, copying from `variants[..k]`.
    fn new(variants: &'a [VariantSpec], k: usize) -> Plan<'a> {
        let earlier = &variants[..k];
        let params = variants[k]
            .params()
            .entries()
            .map(|(p, entry)| {
                let donor = earlier
                    .iter()
                    .position(|v| v.params().get(p).dist == entry.dist);
                let source = match donor {
                    Some(from) => Source::Copy { from },
                    None => Source::Draw {
                        dist: &entry.dist,
                        index: param_stream(p),
                    },
                };
                (p, source)
            })
            .collect();
        Plan {
            params,
            events_copied: k > 0,
        }
    }

    /// One trial's inputs, each drawn by `draw(dist, stream index)` or copied from
    /// `earlier`, the same trial's inputs of the variants before this one.
    fn row(
        &self,
        events: &[EventSpec],
        earlier: &[TrialInputs],
        draw: &dyn Fn(&Dist, u64) -> f64,
    ) -> TrialInputs {
        let mut values = [0.0; COUNT];
        for (p, source) in &self.params {
            values[*p as usize] = match *source {
                Source::Draw { dist, index } => fit(*p, draw(dist, index)),
                Source::Copy { from } => earlier[from].values[*p as usize],
            };
        }
        if self.events_copied {
            let first = &earlier[0];
            return TrialInputs {
                values,
                event_multipliers: first.event_multipliers.clone(),
                event_duty_rates: first.event_duty_rates.clone(),
                event_campaign: first.event_campaign.clone(),
            };
        }
        let mut inputs = sample_events(events, draw);
        inputs.values = values;
        inputs
    }
}

/// The events' inputs of one trial (catalog values left 0), each drawn by `draw(dist,
/// stream index)`.
fn sample_events(events: &[EventSpec], draw: &dyn Fn(&Dist, u64) -> f64) -> TrialInputs {
    let event_multipliers = events
        .iter()
        .enumerate()
        .map(|(e, ev)| {
            let mut m = [1.0; 5];
            for (f, dist) in ev.multipliers().iter().enumerate() {
                // Multipliers cannot be negative; the ad-cost one divides, so keep it > 0.
                let floor = if f == EventFactor::AdCost as usize {
                    1e-6
                } else {
                    0.0
                };
                let (lo, hi) = EventFactor::DRAWN_RANGE;
                m[f] = draw(dist, EVENT_STREAM_BASE + (5 * e + f) as u64)
                    .clamp(lo, hi)
                    .max(floor);
            }
            m
        })
        .collect();
    let event_duty_rates = events
        .iter()
        .enumerate()
        .map(|(e, ev)| {
            let rate = ev.duty_rate()?;
            // An event's rate is the whole duty (every part): checked as the base part is.
            Some(fit(
                P::DutyBaseRate,
                draw(rate, EVENT_DUTY_STREAM_BASE + e as u64),
            ))
        })
        .collect();
    let event_campaign = events
        .iter()
        .enumerate()
        .map(|(e, ev)| {
            std::array::from_fn(|k| {
                let stream = EVENT_CAMPAIGN_STREAM_BASE + (3 * e + k) as u64;
                let (lo, hi) = CampaignTerm::DRAWN_RANGE;
                draw(&ev.campaign()[k], stream).clamp(lo, hi)
            })
        })
        .collect();
    TrialInputs {
        values: [0.0; COUNT],
        event_multipliers,
        event_duty_rates,
        event_campaign,
    }
}

/// Samples the inputs of trials `trials` by `sampling`. Without correlations each trial's
/// inputs are its own draws (from its Latin hypercube block's slices with `lhs`). With
/// them, the inputs of every batch of [`BATCH_SIZE`] trials the range touches (every
/// block with `lhs`) are drawn whole and re-paired ([`correlate::induce`]): re-pairing a
/// block's values keeps each input's slices, so a block stays a Latin hypercube. Either
/// way a trial's inputs depend only on the seed and its batch or block, not on which
/// trials are asked for.
pub fn sample_batch(
    variant: &VariantSpec,
    events: &[EventSpec],
    seed: u64,
    trials: Range<u64>,
    sampling: Sampling,
) -> Vec<TrialInputs> {
    let variants = std::slice::from_ref(variant);
    let mut all = sample_batches(variants, events, seed, trials, sampling);
    all.pop().unwrap_or_default()
}

/// [`sample_batch`] of every variant of `variants` (one list each, in their order), with
/// the work they share done once: each variant's inputs are exactly those
/// [`sample_batch`] gives it alone.
pub fn sample_batches(
    variants: &[VariantSpec],
    events: &[EventSpec],
    seed: u64,
    trials: Range<u64>,
    sampling: Sampling,
) -> Vec<Vec<TrialInputs>> {
    let wanted = (trials.end.saturating_sub(trials.start)) as usize;
    let mut out: Vec<Vec<TrialInputs>> = variants
        .iter()
        .map(|_| Vec::with_capacity(wanted))
        .collect();
    if trials.is_empty() {
        return out;
    }
    let plans: Vec<Plan> = (0..variants.len())
        .map(|k| Plan::new(variants, k))
        .collect();
    let correlated = variants.iter().any(|v| !v.correlations().is_empty());
    let unit = match sampling {
        Sampling::MonteCarlo => BATCH_SIZE,
        Sampling::LatinHypercube => LHS_BLOCK,
    };
    let indices: Vec<u64> = match sampling {
        Sampling::MonteCarlo => Vec::new(),
        Sampling::LatinHypercube => variants
            .iter()
            .flat_map(|v| stream_indices(v, events))
            .collect(),
    };
    for number in trials.start / unit..=(trials.end - 1) / unit {
        let first = number * unit;
        // A correlated variant re-pairs a whole batch (block), so its every row is drawn.
        let rows = if correlated {
            first..first + unit
        } else {
            first.max(trials.start)..(first + unit).min(trials.end)
        };
        let mut all: Vec<Vec<TrialInputs>> = variants
            .iter()
            .map(|_| Vec::with_capacity(rows.clone().count()))
            .collect();
        let design = match sampling {
            Sampling::MonteCarlo => None,
            Sampling::LatinHypercube => Some(Block::new(seed, number, indices.iter().copied())),
        };
        let mut trial_rows: Vec<TrialInputs> = Vec::with_capacity(variants.len());
        for t in rows.clone() {
            let draw = |dist: &Dist, index: u64| match &design {
                None => draw(dist, seed, t, index),
                Some(design) => design.draw(dist, t, index),
            };
            trial_rows.clear();
            for plan in &plans {
                let row = plan.row(events, &trial_rows, &draw);
                trial_rows.push(row);
            }
            for (rows_k, row) in all.iter_mut().zip(trial_rows.drain(..)) {
                rows_k.push(row);
            }
        }
        for ((variant, mut rows_k), out_k) in variants.iter().zip(all).zip(&mut out) {
            if !variant.correlations().is_empty() {
                correlate_rows(variant, &mut rows_k, seed, number);
            }
            keep_wanted(out_k, rows_k, rows.start, &trials);
        }
    }
    out
}

/// Re-pairs the correlated inputs of `rows` (a whole batch or block, `unit` its number)
/// toward their target rank correlations.
fn correlate_rows(variant: &VariantSpec, rows: &mut [TrialInputs], seed: u64, unit: u64) {
    let keys = correlate::correlated_keys(variant.correlations());
    let mut columns: Vec<Vec<f64>> = keys
        .iter()
        .map(|&p| rows.iter().map(|t| t[p]).collect())
        .collect();
    correlate::induce(&mut columns, &keys, variant.correlations(), seed, unit);
    for (&p, column) in keys.iter().zip(&columns) {
        for (t, &v) in rows.iter_mut().zip(column) {
            t.values[p as usize] = v;
        }
    }
}

/// Appends the rows of `all` (trials from `first` on) that `wanted` asks for.
fn keep_wanted(out: &mut Vec<TrialInputs>, all: Vec<TrialInputs>, first: u64, wanted: &Range<u64>) {
    out.extend(
        all.into_iter()
            .zip(first..)
            .filter(|(_, t)| wanted.contains(t))
            .map(|(inputs, _)| inputs),
    );
}

/// `rows` trials of `inputs` independent standard normals, sampled as the study samples
/// its inputs by Latin hypercube (blocks of [`LHS_BLOCK`] from trial 0, the same design
/// code): for tests of estimators fed a Latin hypercube run's trials.
#[cfg(test)]
pub(crate) fn latin_hypercube_normals(seed: u64, rows: u64, inputs: u64) -> Vec<Vec<f64>> {
    let normal = Dist::parse("normal(0, 1)").expect("a valid distribution");
    (0..rows.div_ceil(LHS_BLOCK))
        .flat_map(|block| {
            let design = Block::new(seed, block, 0..inputs);
            let first = block * LHS_BLOCK;
            (first..(first + LHS_BLOCK).min(rows))
                .map(|trial| {
                    (0..inputs)
                        .map(|i| design.draw(&normal, trial, i))
                        .collect::<Vec<f64>>()
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two variants of a study with uniform inputs (their slices are plain to see), one of
    /// them also with a normal and a log-normal one, and an event with an uncertain
    /// demand multiplier.
    fn study(extra: &str) -> crate::scenario::Scenario {
        let text = format!(
            r#"name = "lhs"
trials = 256
horizon_days = 30
seed = 5
{extra}
[base]
market = "us"
category = "beauty"
tools.cost_per_day = "uniform(0, 20)"
staff.cost_per_day = "uniform(10, 50)"
demand.daily_cv = "0.2..0.4"
[[events]]
name = "peak"
start_day = 10
end_day = 12
demand_multiplier = "uniform(1.5, 2.5)"
[[variant]]
name = "a"
model = "self_operated"
route = "fbt"
[[variant]]
name = "b"
model = "self_operated"
route = "fbt"
costs.unit_cost = "normal(5, 1)"
"#
        );
        crate::scenario::parse(&text, "lhs.toml", None).unwrap()
    }

    /// The slice of [`LHS_BLOCK`] a uniform(lo, hi) value falls in.
    fn slice(x: f64, lo: f64, hi: f64) -> usize {
        ((x - lo) / (hi - lo) * LHS_BLOCK as f64).floor() as usize
    }

    #[test]
    fn a_latin_hypercube_block_draws_every_slice_of_every_input_once() {
        let s = study("");
        let spec = s.spec();
        let (a, b) = (&spec.variants()[0], &spec.variants()[1]);
        let lhs = Sampling::LatinHypercube;
        let rows = sample_batch(a, spec.events(), 5, 0..256, lhs);
        for block in rows.chunks(LHS_BLOCK as usize) {
            for (column, lo, hi) in [
                (
                    block
                        .iter()
                        .map(|t| t[P::ToolsCostPerDay])
                        .collect::<Vec<_>>(),
                    0.0,
                    20.0,
                ),
                (
                    block.iter().map(|t| t[P::StaffCostPerDay]).collect(),
                    10.0,
                    50.0,
                ),
                (
                    block.iter().map(|t| t.event_multipliers[0][0]).collect(),
                    1.5,
                    2.5,
                ),
            ] {
                let mut slices: Vec<usize> = column.iter().map(|&x| slice(x, lo, hi)).collect();
                slices.sort_unstable();
                assert_eq!(slices, (0..LHS_BLOCK as usize).collect::<Vec<_>>());
            }
        }
        // Blocks are not copies of one another: their pairings differ.
        let first: Vec<f64> = rows[..64].iter().map(|t| t[P::ToolsCostPerDay]).collect();
        let second: Vec<f64> = rows[64..128]
            .iter()
            .map(|t| t[P::ToolsCostPerDay])
            .collect();
        assert_ne!(first, second);
        // Common random numbers: the other variant draws the same values of the inputs
        // they share (the same distributions), whatever else it samples.
        let other = sample_batch(b, spec.events(), 5, 0..256, lhs);
        for (x, y) in rows.iter().zip(&other) {
            assert_eq!(x[P::ToolsCostPerDay], y[P::ToolsCostPerDay]);
            assert_eq!(x[P::DailyCv], y[P::DailyCv]);
            assert_eq!(x.event_multipliers, y.event_multipliers);
        }
        // A trial's inputs do not depend on which trials are asked for.
        let some = sample_batch(a, spec.events(), 5, 70..130, lhs);
        assert_eq!(some, rows[70..130].to_vec());
        // And another seed draws another design.
        let reseeded = sample_batch(a, spec.events(), 6, 0..64, lhs);
        assert_ne!(reseeded[..], rows[..64]);
    }

    /// Sampling every variant at once (the shared inputs drawn once and copied) gives each
    /// variant exactly the inputs it draws alone: with either method, for ranges that
    /// start and end inside a block or batch, with and without correlations.
    #[test]
    fn variants_sampled_together_get_the_inputs_each_draws_alone() {
        let correlated = "[correlations]\n\"tools.cost_per_day,staff.cost_per_day\" = 0.7\n";
        for extra in ["", correlated] {
            let s = study(extra);
            let spec = s.spec();
            for sampling in Sampling::ALL {
                for range in [0..256, 70..300, 3..4] {
                    let together =
                        sample_batches(spec.variants(), spec.events(), 5, range.clone(), sampling);
                    assert_eq!(together.len(), 2);
                    for (variant, rows) in spec.variants().iter().zip(&together) {
                        let alone =
                            sample_batch(variant, spec.events(), 5, range.clone(), sampling);
                        assert_eq!(rows, &alone, "{extra} {sampling:?} {range:?}");
                    }
                    // The variants differ where their distributions do.
                    let differ = together[0]
                        .iter()
                        .zip(&together[1])
                        .any(|(a, b)| a[P::UnitCost] != b[P::UnitCost]);
                    assert!(differ, "{sampling:?} {range:?}");
                }
            }
        }
    }

    #[test]
    fn correlated_inputs_keep_their_slices_and_reach_their_rank_correlation() {
        let s = study("[correlations]\n\"tools.cost_per_day,staff.cost_per_day\" = 0.7\n");
        let spec = s.spec().clone();
        let v = &spec.variants()[0];
        assert_eq!(v.correlations().len(), 1);
        let rows = sample_batch(v, spec.events(), 5, 0..64 * 40, Sampling::LatinHypercube);
        let mut rhos = Vec::new();
        for block in rows.chunks(LHS_BLOCK as usize) {
            let tools: Vec<f64> = block.iter().map(|t| t[P::ToolsCostPerDay]).collect();
            let staff: Vec<f64> = block.iter().map(|t| t[P::StaffCostPerDay]).collect();
            for (column, lo, hi) in [(&tools, 0.0, 20.0), (&staff, 10.0, 50.0)] {
                let mut slices: Vec<usize> = column.iter().map(|&x| slice(x, lo, hi)).collect();
                slices.sort_unstable();
                assert_eq!(slices, (0..LHS_BLOCK as usize).collect::<Vec<_>>());
            }
            rhos.push(crate::stats::rank::spearman(&tools, &staff).rho);
        }
        // A block's ρ has a standard error of about (1 − ρ²)/√64 ≈ 0.064; the mean of 40
        // is within 0.04 of the target (four of its standard errors, 0.01).
        let mean = rhos.iter().sum::<f64>() / rhos.len() as f64;
        assert!((mean - 0.7).abs() < 0.04, "{mean}");
    }

    /// A Latin hypercube mean is unbiased and its interval from the blocks covers the true
    /// mean 95% of the time, for a function with interactions and a heavy tail (so not
    /// all of its spread is removed): f = X₁ + X₂² + X₁·X₃ with X₁ ~ U(0, 1), X₂ ~ N(0, 1),
    /// X₃ ~ log-normal(median 1, σ 0.5), whose mean is 0.5 + 1 + 0.5·e^(1/8). 600 runs of
    /// 16 blocks: the coverage's standard error is 0.0089; the bound is four of them. The
    /// variance of the mean is also far below simple Monte Carlo's (the same function, the
    /// same trials): that is the point of the design.
    #[test]
    fn block_intervals_of_a_latin_hypercube_mean_cover_the_truth() {
        use crate::stats::replicates::Replicates;
        let inputs = [
            Dist::parse("uniform(0, 1)").unwrap(),
            Dist::parse("normal(0, 1)").unwrap(),
            Dist::parse("lognormal(1, 0.5)").unwrap(),
        ];
        let f = |x: &[f64]| x[0] + x[1] * x[1] + x[0] * x[2];
        let truth = 1.5 + 0.5 * (0.125f64).exp();
        let (runs, blocks) = (600u64, 16u64);
        let (mut covered, mut lhs_var, mut mc_var) = (0, 0.0, 0.0);
        for run in 0..runs {
            let mut reps = Replicates::default();
            let mut total = 0.0;
            let mut mc = Vec::new();
            for block in 0..blocks {
                let design = Block::new(run, block, 0..3);
                let mut sum = 0.0;
                for i in 0..LHS_BLOCK {
                    let trial = block * LHS_BLOCK + i;
                    let x: Vec<f64> = (0..3u64)
                        .map(|k| design.draw(&inputs[k as usize], trial, k))
                        .collect();
                    sum += f(&x);
                    let y: Vec<f64> = (0..3u64)
                        .map(|k| draw(&inputs[k as usize], run, trial, k))
                        .collect();
                    mc.push(f(&y));
                }
                reps.add(sum, LHS_BLOCK);
                total += sum;
            }
            let e = reps.estimate(total, blocks * LHS_BLOCK, false);
            covered += u32::from(e.ci_low <= truth && truth <= e.ci_high);
            lhs_var += (e.point - truth).powi(2) / runs as f64;
            let mc_mean = mc.iter().sum::<f64>() / mc.len() as f64;
            mc_var += (mc_mean - truth).powi(2) / runs as f64;
        }
        let coverage = f64::from(covered) / runs as f64;
        assert!(
            (coverage - 0.95).abs() < 4.0 * 0.0089,
            "coverage {coverage}"
        );
        // Here the additive part is most of the spread: well under half the variance.
        assert!(lhs_var < 0.5 * mc_var, "lhs {lhs_var} mc {mc_var}");
    }

    #[test]
    fn parameter_streams_are_distinct_and_clear_of_the_event_streams() {
        let mut streams: Vec<u64> = SPECS.iter().map(|s| param_stream(s.id)).collect();
        assert!(streams.iter().all(|&s| s > 1_000_000));
        streams.sort_unstable();
        streams.dedup();
        assert_eq!(streams.len(), SPECS.len());
        // Named by the key, not the position: a known value.
        assert_eq!(param_stream(P::DailyCv), {
            let mut h = 0xcbf2_9ce4_8422_2325u64;
            for b in b"demand.daily_cv" {
                h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
            }
            h
        });
    }
}
