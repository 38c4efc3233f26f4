//! Variance-based sensitivity: first-order and total Sobol indices by the Saltelli (2010)
//! and Jansen (1999) estimators, with bootstrap intervals.
//!
//! The simulator is stochastic: besides its uncertain inputs, each trial has its own
//! day-by-day randomness. That randomness is one more "input" here (its stream is the
//! trial number): matrix A's rows run trials 0..N, B's rows trials N..2N, and a row of
//! AB_i takes A's trial number and inputs except input i, taken from B. So the index of
//! the trial's own randomness says how much of the spread no input explains.

use rand::Rng;
use rayon::prelude::*;

use crate::params::P;
use crate::sim::inputs::{self, Sampling, TrialInputs};

const MONTE_CARLO: Sampling = Sampling::MonteCarlo;
use crate::sim::rng::{stream, Purpose};
use crate::sim::trial::{self, Calendar, DailyPaths};
use crate::sim::{DrawMethod, Metric, StudySpec};

/// What an index is about: a catalog input, every event multiplier together, or the
/// trial's own randomness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Factor {
    /// A catalog parameter.
    Param(P),
    /// Every uncertain event multiplier, duty and campaign term, as one group.
    Events,
    /// The trial's day-by-day randomness (demand, deliveries, returns…).
    TrialNoise,
}

impl Factor {
    /// How the factor is named in tables.
    pub fn name(self) -> String {
        match self {
            Factor::Param(p) => p.key().to_string(),
            Factor::Events => "events (every uncertain event value)".to_string(),
            Factor::TrialNoise => "trial randomness (demand, deliveries, returns…)".to_string(),
        }
    }
}

/// A Sobol index with its bootstrap 95% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Index {
    /// The estimate.
    pub value: f64,
    /// 2.5th percentile of the bootstrap estimates.
    pub low: f64,
    /// 97.5th percentile.
    pub high: f64,
}

/// One factor's first-order and total indices.
#[derive(Clone, Debug, PartialEq)]
pub struct Indices {
    /// The factor.
    pub factor: Factor,
    /// First-order index S_i: the share of variance it explains alone.
    pub first: Index,
    /// Total index S_Ti: its share with all its interactions.
    pub total: Index,
}

/// Estimates from evaluations: `fa`, `fb` (N each) and `fab[i]` (N each, per factor).
/// Saltelli 2010 for S_i (with f(B) centred), Jansen for S_Ti, the variance from A and B
/// together.
fn estimate(fa: &[f64], fb: &[f64], fab: &[f64], rows: &[usize]) -> (f64, f64) {
    let n = rows.len() as f64;
    let mean = rows.iter().map(|&j| fa[j] + fb[j]).sum::<f64>() / (2.0 * n);
    let var = rows
        .iter()
        .map(|&j| (fa[j] - mean).powi(2) + (fb[j] - mean).powi(2))
        .sum::<f64>()
        / (2.0 * n - 1.0);
    if var <= 0.0 {
        return (f64::NAN, f64::NAN);
    }
    // B centred on the mean: the same expectation (E[f(AB_i) − f(A)] = 0), far less
    // variance when the output's mean is large against its spread (profit often is).
    let first = rows
        .iter()
        .map(|&j| (fb[j] - mean) * (fab[j] - fa[j]))
        .sum::<f64>()
        / n;
    let total = rows.iter().map(|&j| (fa[j] - fab[j]).powi(2)).sum::<f64>() / (2.0 * n);
    (first / var, total / var)
}

/// The indices of every factor, with intervals from `resamples` bootstrap resamples of the
/// rows (drawn from `seed`'s own stream).
pub fn indices(
    factors: &[Factor],
    fa: &[f64],
    fb: &[f64],
    fab: &[Vec<f64>],
    resamples: usize,
    seed: u64,
) -> Vec<Indices> {
    let n = fa.len();
    let all: Vec<usize> = (0..n).collect();
    let mut rng = stream(seed, u64::MAX, Purpose::Parameters, 0x5_0B01);
    let draws: Vec<Vec<usize>> = (0..resamples)
        .map(|_| (0..n).map(|_| rng.random_range(0..n)).collect())
        .collect();
    factors
        .iter()
        .zip(fab)
        .map(|(&factor, fab)| {
            let (first, total) = estimate(fa, fb, fab, &all);
            let (mut firsts, mut totals): (Vec<f64>, Vec<f64>) =
                draws.iter().map(|rows| estimate(fa, fb, fab, rows)).unzip();
            let interval = |v: &mut Vec<f64>, point: f64| {
                v.retain(|x| x.is_finite());
                v.sort_by(f64::total_cmp);
                let at = |q: f64| {
                    if v.is_empty() {
                        f64::NAN
                    } else {
                        v[((v.len() - 1) as f64 * q).round() as usize]
                    }
                };
                Index {
                    value: point,
                    low: at(0.025),
                    high: at(0.975),
                }
            };
            Indices {
                factor,
                first: interval(&mut firsts, first),
                total: interval(&mut totals, total),
            }
        })
        .collect()
}

/// The factors of `variants` (indices into the study): every catalog input uncertain in
/// one of them, the events when any event value is uncertain, and the trial's randomness.
pub fn factors(spec: &StudySpec, variants: &[usize]) -> Vec<Factor> {
    let mut out: Vec<Factor> = crate::params::SPECS
        .iter()
        .map(|s| s.id)
        .filter(|&p| {
            variants
                .iter()
                .any(|&v| !spec.variants()[v].params().get(p).dist.is_fixed())
        })
        .map(Factor::Param)
        .collect();
    let events_vary = spec.events().iter().any(|e| {
        e.multipliers().iter().any(|d| !d.is_fixed())
            || e.duty_rate().is_some_and(|d| !d.is_fixed())
            || e.campaign().iter().any(|d| !d.is_fixed())
    });
    if events_vary {
        out.push(Factor::Events);
    }
    out.push(Factor::TrialNoise);
    out
}

/// Row `j` of matrix AB for `factor`: A's inputs and trial with the factor from B.
fn mixed(a: &TrialInputs, b: &TrialInputs, factor: Factor) -> TrialInputs {
    let mut row = a.clone();
    match factor {
        Factor::Param(p) => row.values[p as usize] = b.values[p as usize],
        Factor::Events => {
            row.event_multipliers = b.event_multipliers.clone();
            row.event_duty_rates = b.event_duty_rates.clone();
            row.event_campaign = b.event_campaign.clone();
        }
        Factor::TrialNoise => {}
    }
    row
}

/// A variant's outputs over a Saltelli design: at A's rows, at B's, and at AB_i's per
/// factor.
pub type Evaluations = (Vec<f64>, Vec<f64>, Vec<Vec<f64>>);

/// Runs the Saltelli design with `n` rows for the variants of a target and returns, per
/// variant in `variants`, the metric at A, at B and at each AB_i. Rows run in parallel on
/// the current thread pool; each evaluation is one trial, so results do not depend on the
/// thread count.
pub fn evaluate(
    spec: &StudySpec,
    variants: &[usize],
    factors: &[Factor],
    n: u64,
    metric: Metric,
) -> Vec<Evaluations> {
    variants
        .iter()
        .map(|&v| {
            let variant = &spec.variants()[v];
            let calendar =
                Calendar::new(spec.events(), spec.horizon_days(), variant.setting().market);
            let seed = spec.seed();
            // Independent draws for A (trials 0..n) and B (n..2n): no correlations here
            // (the caller refuses them: the indices assume independent inputs), and simple
            // Monte Carlo whatever the study's sampling (the bootstrap resamples rows as
            // independent).
            let a = inputs::sample_batch(variant, spec.events(), seed, 0..n, MONTE_CARLO);
            let b = inputs::sample_batch(variant, spec.events(), seed, n..2 * n, MONTE_CARLO);
            let run = |row: &TrialInputs, trial_number: u64| -> f64 {
                let horizon = spec.horizon_days();
                let (mut profit, mut cash, mut histogram) =
                    (vec![0.0f32; horizon], vec![0.0f32; horizon], Vec::new());
                let paths = DailyPaths {
                    cumulative_profit: &mut profit,
                    cash: &mut cash,
                    delay_histogram: &mut histogram,
                };
                let out = trial::run(
                    variant,
                    &calendar,
                    row,
                    seed,
                    trial_number,
                    DrawMethod::PerDay,
                    paths,
                );
                out[metric]
            };
            let fa: Vec<f64> = (0..n as usize)
                .into_par_iter()
                .map(|j| run(&a[j], j as u64))
                .collect();
            let fb: Vec<f64> = (0..n as usize)
                .into_par_iter()
                .map(|j| run(&b[j], n + j as u64))
                .collect();
            let fab: Vec<Vec<f64>> = factors
                .iter()
                .map(|&factor| {
                    (0..n as usize)
                        .into_par_iter()
                        .map(|j| {
                            let trial_number = match factor {
                                Factor::TrialNoise => n + j as u64,
                                _ => j as u64,
                            };
                            run(&mixed(&a[j], &b[j], factor), trial_number)
                        })
                        .collect()
                })
                .collect();
            (fa, fb, fab)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Evaluations of an additive function Y = Σ c_i X_i of independent uniforms, where
    /// S_i = S_Ti = c_i² Var(X_i) / Σ c_k² Var(X_k).
    #[test]
    fn additive_functions_get_their_analytic_indices() {
        use rand::SeedableRng;
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(4);
        let c = [1.0, 2.0, 0.0, 3.0];
        let n = 4000;
        let draw = |rng: &mut rand_xoshiro::Xoshiro256PlusPlus| -> Vec<f64> {
            (0..c.len()).map(|_| rng.random::<f64>()).collect()
        };
        let a: Vec<Vec<f64>> = (0..n).map(|_| draw(&mut rng)).collect();
        let b: Vec<Vec<f64>> = (0..n).map(|_| draw(&mut rng)).collect();
        let f = |x: &[f64]| x.iter().zip(&c).map(|(x, c)| x * c).sum::<f64>();
        let fa: Vec<f64> = a.iter().map(|x| f(x)).collect();
        let fb: Vec<f64> = b.iter().map(|x| f(x)).collect();
        let fab: Vec<Vec<f64>> = (0..c.len())
            .map(|i| {
                a.iter()
                    .zip(&b)
                    .map(|(x, y)| {
                        let mut m = x.clone();
                        m[i] = y[i];
                        f(&m)
                    })
                    .collect()
            })
            .collect();
        let factors: Vec<Factor> = (0..c.len()).map(|_| Factor::TrialNoise).collect();
        let got = indices(&factors, &fa, &fb, &fab, 300, 1);
        let total: f64 = c.iter().map(|c| c * c).sum();
        for (i, s) in got.iter().enumerate() {
            let truth = c[i] * c[i] / total;
            for (what, idx) in [("first", s.first), ("total", s.total)] {
                assert!(
                    idx.low <= truth && truth <= idx.high,
                    "input {i} {what}: {truth} not in {idx:?}"
                );
                assert!(
                    idx.high - idx.low < 0.15,
                    "input {i} {what}: {idx:?} too wide"
                );
            }
        }
        // The input that does not enter: exactly 0 total (its AB rows equal A's).
        assert_eq!(got[2].total.value, 0.0);
    }

    #[test]
    fn a_constant_output_has_no_indices() {
        let f = vec![5.0; 10];
        let got = indices(
            &[Factor::TrialNoise],
            &f,
            &f,
            std::slice::from_ref(&f),
            20,
            1,
        );
        assert!(got[0].first.value.is_nan());
    }
}

#[cfg(test)]
mod model_tests {
    use super::*;
    use crate::scenario;

    /// A shop that sells nothing (and pays no duty or inbound cost on its first stock): its
    /// profit is minus its fixed costs over 30 days, an
    /// additive function of the two uncertain daily costs, so S = S_T = Var_i / ΣVar:
    /// tools U(0, 20) has variance 400/12, staff U(0, 40) 1600/12, so 0.2 and 0.8; the
    /// managed orders (which a self-operated shop does not get) and the trial's own
    /// randomness explain nothing.
    #[test]
    fn sobol_indices_of_the_model_match_an_additive_case() {
        let text = r#"name = "sobol"
trials = 10
horizon_days = 30
seed = 3
[base]
market = "us"
category = "beauty"
demand.orders_per_account_day = 0
demand.lives_per_week = 0
marketing.ad_spend_per_day = 0
tools.cost_per_day = "uniform(0, 20)"
staff.cost_per_day = "uniform(0, 40)"
demand.managed_orders_per_day = "uniform(5, 50)"
tax.duty_base_rate = 0
tax.duty_origin_rate = 0
tax.duty_surcharge_rate = 0
inventory.inbound_cost_per_unit = 0
inventory.storage_per_cuft_day = 0
[[variant]]
name = "quiet"
model = "self_operated"
route = "fbt"
[[variant]]
name = "managed"
model = "fully_managed"
"#;
        let s = scenario::parse(text, "s.toml", None).unwrap();
        let factors = factors(s.spec(), &[0]);
        let runs = evaluate(s.spec(), &[0], &factors, 1500, Metric::Profit);
        let (fa, fb, fab) = &runs[0];
        let got = indices(&factors, fa, fb, fab, 300, 9);
        let find = |f: Factor| got.iter().find(|i| i.factor == f).unwrap();
        for (f, truth) in [
            (Factor::Param(P::ToolsCostPerDay), 0.2),
            (Factor::Param(P::StaffCostPerDay), 0.8),
        ] {
            let i = find(f);
            for idx in [i.first, i.total] {
                assert!(
                    idx.low <= truth && truth <= idx.high,
                    "{f:?}: {truth} not in {idx:?}"
                );
            }
        }
        for f in [Factor::Param(P::ManagedOrdersPerDay), Factor::TrialNoise] {
            let i = find(f);
            assert_eq!(i.total.value, 0.0, "{f:?}: {i:?}");
            assert!(i.first.low <= 0.0 && 0.0 <= i.first.high, "{f:?}: {i:?}");
        }
    }
}
