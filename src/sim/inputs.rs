//! A trial's inputs: every uncertain parameter sampled once, from its own stream.
//!
//! Sampling is kept apart from the day loop and done per batch of trials, so that later
//! steps (rank-correlating inputs, Latin hypercube) can rework a batch's samples before
//! any trial runs.

use std::ops::Range;

use super::correlate;
use super::rng::{param_stream, stream, Purpose, BATCH_SIZE};
use super::spec::{EventFactor, EventSpec, VariantSpec};
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

/// Draws `dist` from the stream `(seed, trial, Parameters, index)`. The stream depends only
/// on the parameter, so two variants with the same distribution see the same value.
fn draw(dist: &Dist, seed: u64, trial: u64, index: u64) -> f64 {
    match dist.fixed_value() {
        Some(v) => v,
        None => dist.sample(&mut stream(seed, trial, Purpose::Parameters, index)),
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

/// Samples one trial's inputs.
pub fn sample(variant: &VariantSpec, events: &[EventSpec], seed: u64, trial: u64) -> TrialInputs {
    let mut values = [0.0; COUNT];
    for (p, entry) in variant.params().entries() {
        values[p as usize] = fit(p, draw(&entry.dist, seed, trial, param_stream(p)));
    }
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
                m[f] = draw(dist, seed, trial, EVENT_STREAM_BASE + (5 * e + f) as u64).max(floor);
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
                draw(rate, seed, trial, EVENT_DUTY_STREAM_BASE + e as u64),
            ))
        })
        .collect();
    let event_campaign = events
        .iter()
        .enumerate()
        .map(|(e, ev)| {
            std::array::from_fn(|k| {
                let stream = EVENT_CAMPAIGN_STREAM_BASE + (3 * e + k) as u64;
                draw(&ev.campaign()[k], seed, trial, stream).clamp(0.0, 1.0)
            })
        })
        .collect();
    TrialInputs {
        values,
        event_multipliers,
        event_duty_rates,
        event_campaign,
    }
}

/// Samples the inputs of trials `trials`. Without correlations each trial's inputs are
/// its own draws. With them, the inputs of every batch of [`BATCH_SIZE`] trials the range
/// touches are drawn whole and re-paired ([`correlate::induce`]), so a trial's inputs
/// depend only on the seed and its batch, not on which trials are asked for.
pub fn sample_batch(
    variant: &VariantSpec,
    events: &[EventSpec],
    seed: u64,
    trials: Range<u64>,
) -> Vec<TrialInputs> {
    if variant.correlations().is_empty() || trials.is_empty() {
        return trials.map(|t| sample(variant, events, seed, t)).collect();
    }
    let keys = correlate::correlated_keys(variant.correlations());
    let mut out = Vec::with_capacity((trials.end - trials.start) as usize);
    for batch in trials.start / BATCH_SIZE..=(trials.end - 1) / BATCH_SIZE {
        let first = batch * BATCH_SIZE;
        let mut all: Vec<TrialInputs> = (first..first + BATCH_SIZE)
            .map(|t| sample(variant, events, seed, t))
            .collect();
        let mut columns: Vec<Vec<f64>> = keys
            .iter()
            .map(|&p| all.iter().map(|t| t[p]).collect())
            .collect();
        correlate::induce(&mut columns, &keys, variant.correlations(), seed, batch);
        for (&p, column) in keys.iter().zip(&columns) {
            for (t, &v) in all.iter_mut().zip(column) {
                t.values[p as usize] = v;
            }
        }
        out.extend(
            all.into_iter()
                .zip(first..)
                .filter(|(_, t)| trials.contains(t))
                .map(|(inputs, _)| inputs),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
