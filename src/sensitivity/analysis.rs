//! A sensitivity analysis as a computation: a checked [`Plan`] in, [`Findings`] out, with
//! no files and no flags. `commands::sensitivity` turns flags into a plan and findings
//! into files.

use anyhow::{Context, Result};

use super::paired::{self, BaseValues};
use super::sobol::{self, Indices};
use super::{
    base_run, correlations, swing_point, swings, BaseRun, Correlation, Effect, Swing, Target,
};
use crate::error::{printable, InputError, Kind, Problem};
use crate::metric::Metric;
use crate::points::key::InputKey;
use crate::points::{self, Base};
use crate::scenario::Scenario;

/// What to analyse, checked: every swing can act and runs at both of its ends.
pub struct Plan {
    /// The study: its kept variants, with the run's trials and seed.
    pub study: Scenario,
    /// What effects are measured on.
    pub targets: Vec<Target>,
    /// The output.
    pub metric: Metric,
    /// The inputs swung, in catalog order, events last.
    pub swings: Vec<Swing>,
    /// Inputs not swung because an end breaks a rule between parameters: `key (why)`.
    pub skipped: Vec<String>,
    /// The widest swings of each target drawn on the spider.
    pub top: usize,
    /// Rows of the Sobol design (0: none).
    pub sobol_rows: u64,
    /// How precise each swing must be: the standard error of its effects within this
    /// share of the target's widest bar (0: every swing on all the study's trials).
    pub tolerance: f64,
    /// A Sobol factor's design stops adding rows once its 95% intervals are at most this
    /// wide (or at `sobol_rows`).
    pub sobol_width: f64,
}

/// The variants to keep and the targets: with `a` and `b`, their difference; otherwise
/// every variant named in `variants` (all when empty). Every unknown name and a difference
/// of a variant with itself are reported at once.
pub fn targets(
    scenario: &Scenario,
    a: Option<&str>,
    b: Option<&str>,
    variants: &[String],
) -> Result<(Vec<String>, Vec<Target>), InputError> {
    let wanted: Vec<(&str, &str)> = match (a, b) {
        (Some(a), Some(b)) => vec![("--a", a), ("--b", b)],
        _ => variants.iter().map(|v| ("--variant", v.as_str())).collect(),
    };
    let mut problems: Vec<Problem> = wanted
        .iter()
        .flat_map(|(flag, name)| scenario.unknown_variant(flag, name))
        .collect();
    if a.is_some() && a == b {
        problems.push(Problem::general(
            Kind::Conflict,
            "--a and --b name the same variant: a difference needs two".to_string(),
        ));
    }
    if let Some(e) = InputError::from_problems(problems) {
        return Err(e);
    }
    let kept: Vec<String> = scenario
        .spec()
        .variant_names()
        .into_iter()
        .filter(|n| wanted.is_empty() || wanted.iter().any(|(_, w)| w == n))
        .collect();
    let index = |n: &str| kept.iter().position(|k| k == n).expect("checked");
    let targets = match (a, b) {
        (Some(a), Some(b)) => vec![Target::Difference {
            a: index(a),
            b: index(b),
        }],
        _ => (0..kept.len()).map(Target::Variant).collect(),
    };
    Ok((kept, targets))
}

/// The plan for `study` (its kept variants): every input that can swing, with `given`
/// ranges (`--swing`). A given swing that cannot act is refused, saying why; a swing whose
/// end breaks a rule between parameters (a reorder point above the order-up-to level
/// after −20%, say) is left out with the reason: the input cannot move that far alone.
pub fn plan(
    study: Scenario,
    base: &Base<'_>,
    targets: Vec<Target>,
    metric: Metric,
    given: &[(InputKey, f64, f64)],
    (top, sobol_rows): (usize, u64),
    (tolerance, sobol_width): (f64, f64),
) -> Result<Plan, InputError> {
    let all_variants: Vec<usize> = (0..study.spec().variants().len()).collect();
    let swung = swings(&study, &all_variants, given);
    let idle: Vec<Problem> = given
        .iter()
        .filter(|(key, _, _)| !swung.iter().any(|s| &s.param == key))
        .map(|(key, lo, hi)| {
            Problem::general(
                Kind::Conflict,
                format!(
                    "swing {}={lo}..{hi} cannot act: {}",
                    key.key(),
                    why_idle(&study, key)
                ),
            )
        })
        .collect();
    if let Some(e) = InputError::from_problems(idle) {
        return Err(e);
    }
    let mut skipped = Vec::new();
    let swings = swung
        .into_iter()
        .filter(|sw| {
            let ends = [0, 4].map(|k| swing_point(&study, sw, k)).to_vec();
            match points::prepare(base, ends) {
                Ok(_) => true,
                Err(e) => {
                    let why = e
                        .problems()
                        .first()
                        .map(|p| p.message.clone())
                        .unwrap_or_default();
                    skipped.push(format!("{} ({why})", sw.param.key()));
                    false
                }
            }
        })
        .collect();
    Ok(Plan {
        study,
        targets,
        metric,
        swings,
        skipped,
        top,
        sobol_rows,
        tolerance,
        sobol_width,
    })
}

/// Why a swing asked for moves nothing in the study.
fn why_idle(study: &Scenario, key: &InputKey) -> String {
    let events = study.spec().events();
    match key {
        InputKey::Event(e) if !events.iter().any(|ev| ev.name() == e.event) => format!(
            "the study has no event `{}`{}",
            printable(&e.event),
            crate::suggest::hint(&e.event, events.iter().map(|ev| ev.name()))
        ),
        InputKey::Event(e) => format!(
            "event `{}` applies to none of the variants analysed (its `markets`)",
            printable(&e.event)
        ),
        _ if key.is_switch() => {
            "it is an on/off switch: it has no range to swing (compare its two settings with `sweep`)"
                .to_string()
        }
        _ => "it moves none of the variants analysed".to_string(),
    }
}

/// What the analysis found.
pub struct Findings {
    /// Each target's mean in the base run.
    pub base_means: Vec<f64>,
    /// Rank correlations of every uncertain input with each target, from the base run.
    pub ranks: Vec<Correlation>,
    /// Per target and swing, the means at the positions run, with the standard error of
    /// the bar's width and the trials it ran.
    pub effects: Vec<Vec<Effect>>,
    /// The swings drawn on the spider (indices into the plan's swings), in order.
    pub spider: Vec<usize>,
    /// Per target, the Sobol indices of every factor (empty: none computed).
    pub sobol: Vec<Vec<Indices>>,
    /// Why there are no Sobol indices, when they were asked for and are not computed.
    pub sobol_note: Option<String>,
    /// Trials run in all, each variant's trial counted once: the base run's, the swings'
    /// and the Sobol design's.
    pub variant_trials: u64,
}

/// How a run reports progress: `done(n)` after `n` variant-trials; `more(n)` when `n`
/// more are planned (the rounds of swings and rows are planned as they go).
pub struct Progress<'a> {
    /// `n` variant-trials done.
    pub done: &'a (dyn Fn(u64) + Sync),
    /// `n` more to come.
    pub more: &'a (dyn Fn(u64) + Sync),
}

/// Runs the plan: the base run (rank correlations), both ends of every swing on paired
/// trials (tornado), the middles of the widest (spider) and the Sobol designs, on
/// `threads` threads.
pub fn run(
    plan: &Plan,
    base: &Base<'_>,
    threads: usize,
    progress: &Progress<'_>,
) -> Result<Findings> {
    let (study, targets, metric) = (&plan.study, &plan.targets, plan.metric);
    let spec = study.spec();
    let base_trials = spec.trials() * spec.variants().len() as u64;
    (progress.more)(base_trials);
    let base_results = base_run(study, targets, metric)?;
    (progress.done)(base_trials);
    let ranks = correlations(study, targets, &base_results);
    let base_means: Vec<f64> = targets
        .iter()
        .map(|t| t.mean(&base_results.analysis, metric))
        .collect();
    let (swung, spider) = paired::run(
        base,
        study,
        &plan.swings,
        targets,
        metric,
        &BaseValues {
            by_variant: &base_results.by_variant,
            means: &base_means,
        },
        (plan.tolerance, plan.top),
        threads,
        progress,
    )?;
    let (sobol, sobol_note, sobol_trials) = sobol_indices(plan, &base_results, threads, progress)?;
    Ok(Findings {
        base_means,
        ranks,
        effects: swung.effects,
        spider,
        sobol,
        sobol_note,
        variant_trials: base_trials + swung.variant_trials + sobol_trials,
    })
}

/// Variance-based indices: one adaptive design per target ([`sobol::design`]) on the
/// study's seed, first-order indices of catalog inputs from the base run's trials; none
/// when not asked for, or (with a note) when the study correlates inputs. Returns the
/// indices, the note and the trials run.
fn sobol_indices(
    plan: &Plan,
    base: &BaseRun,
    threads: usize,
    progress: &Progress<'_>,
) -> Result<(Vec<Vec<Indices>>, Option<String>, u64)> {
    let study = &plan.study;
    let spec = study.spec();
    let correlated = spec.variants().iter().any(|v| !v.correlations().is_empty());
    if plan.sobol_rows == 0 {
        return Ok((Vec::new(), None, 0));
    }
    if correlated {
        let note =
            "no Sobol indices: they assume independent inputs, and this study correlates some";
        return Ok((Vec::new(), Some(note.to_string()), 0));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting the worker threads")?;
    let max_rows = plan.sobol_rows.max(2);
    let counts = sobol::bootstrap_counts(spec.trials() as usize, 500, spec.seed());
    let mut trials = 0;
    let mut indices = Vec::new();
    for (t, target) in plan.targets.iter().enumerate() {
        let variants = target.variants();
        let factors = sobol::factors(spec, &variants);
        let series = super::input_series(study, &variants, spec.trials());
        let y = &base.values[t];
        let params: Vec<&[f64]> = factors
            .iter()
            .filter_map(|f| match f {
                sobol::Factor::Param(p) => series
                    .iter()
                    .find(|s| s.param == Some(*p))
                    .map(|s| s.values.as_slice()),
                _ => None,
            })
            .collect();
        let firsts = pool.install(|| sobol::given_data_first(&params, y, &counts));
        let mut firsts = firsts.into_iter();
        let given: Vec<Option<sobol::Index>> = factors
            .iter()
            .map(|f| match f {
                sobol::Factor::Param(_) => firsts.next(),
                _ => None,
            })
            .collect();
        let run_values: Vec<&[f64]> = variants
            .iter()
            .map(|&v| base.by_variant[v].as_slice())
            .collect();
        let value = |outs: &[f64]| match target {
            Target::Variant(_) => outs[0],
            Target::Difference { .. } => outs[0] - outs[1],
        };
        let design = pool.install(|| {
            sobol::design(
                spec,
                &variants,
                &factors,
                &given,
                &run_values,
                &value,
                (max_rows, plan.sobol_width),
                plan.metric,
                progress.done,
            )
        });
        trials += design.trials;
        indices.push(design.indices);
    }
    Ok((indices, None, trials))
}
