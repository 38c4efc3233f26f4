//! A sensitivity analysis as a computation: a checked [`Plan`] in, [`Findings`] out, with
//! no files and no flags. `commands::sensitivity` turns flags into a plan and findings
//! into files.

use anyhow::{Context, Result};

use super::sobol::{self, Indices};
use super::{
    base_run, correlations, run_swings, swing_point, swings, widest, Correlation, Effect, Swing,
    Target,
};
use crate::error::{printable, InputError, Kind, Problem};
use crate::metric::Metric;
use crate::points::key::InputKey;
use crate::points::{self, Base, PointResult};
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
    /// Per target and swing, the means at the positions run.
    pub effects: Vec<Vec<Effect>>,
    /// The swings drawn on the spider (indices into the plan's swings), in order.
    pub spider: Vec<usize>,
    /// Per target, the Sobol indices of every factor (empty: none computed).
    pub sobol: Vec<Vec<Indices>>,
    /// Why there are no Sobol indices, when they were asked for and are not computed.
    pub sobol_note: Option<String>,
}

impl Findings {
    /// Studies run: the base run, both ends of every swing, three middles of each spider
    /// swing.
    pub fn studies_run(&self, plan: &Plan) -> usize {
        1 + 2 * plan.swings.len() + 3 * self.spider.len()
    }
}

/// How a run reports progress: `done` after each study; `more(n)` when n more studies
/// turn out to be needed (the spider's, once the widest swings are known).
pub struct Progress<'a> {
    /// One study done.
    pub done: &'a (dyn Fn() + Sync),
    /// `n` more studies to come.
    pub more: &'a dyn Fn(u64),
}

/// Runs the plan: the base run (rank correlations), both ends of every swing (tornado),
/// the middles of the widest (spider) and the Sobol designs, on `threads` threads.
pub fn run(
    plan: &Plan,
    base: &Base<'_>,
    threads: usize,
    progress: &Progress<'_>,
) -> Result<Findings> {
    let (study, targets, metric) = (&plan.study, &plan.targets, plan.metric);
    let base_results = base_run(study, targets, metric)?;
    (progress.done)();
    let ranks = correlations(study, targets, &base_results);
    let ends = run_swings(base, study, &plan.swings, &[0, 4], threads, progress.done)?;
    let mut effects: Vec<Vec<Effect>> = targets
        .iter()
        .map(|t| {
            ends.iter()
                .map(|r| {
                    let mut at = [f64::NAN; 5];
                    at[0] = t.mean(&r[0].analysis, metric);
                    at[4] = t.mean(&r[1].analysis, metric);
                    Effect { at }
                })
                .collect()
        })
        .collect();
    // The spider: the widest swings of each target, at p30, p50, p70 too.
    let mut spider: Vec<usize> = Vec::new();
    for effect in &effects {
        for i in widest(effect, plan.top) {
            if !spider.contains(&i) {
                spider.push(i);
            }
        }
    }
    spider.sort_unstable();
    (progress.more)(3 * spider.len() as u64);
    let spider_swings: Vec<Swing> = spider.iter().map(|&i| plan.swings[i].clone()).collect();
    let middles = run_swings(
        base,
        study,
        &spider_swings,
        &[1, 2, 3],
        threads,
        progress.done,
    )?;
    for (t, target) in targets.iter().enumerate() {
        for (&i, r) in spider.iter().zip(&middles) {
            for (k, result) in [1, 2, 3].iter().zip(r) {
                effects[t][i].at[*k] = target.mean(&result.analysis, metric);
            }
        }
    }
    check_finite(&ends, &middles, study.spec().variants())?;
    let (sobol, sobol_note) = sobol_indices(plan, threads)?;
    Ok(Findings {
        base_means: targets
            .iter()
            .map(|t| t.mean(&base_results.analysis, metric))
            .collect(),
        ranks,
        effects,
        spider,
        sobol,
        sobol_note,
    })
}

/// Variance-based indices: one Saltelli design per target, on the study's seed; none
/// when not asked for, or (with a note) when the study correlates inputs.
fn sobol_indices(plan: &Plan, threads: usize) -> Result<(Vec<Vec<Indices>>, Option<String>)> {
    let study = &plan.study;
    let correlated = study
        .spec()
        .variants()
        .iter()
        .any(|v| !v.correlations().is_empty());
    if plan.sobol_rows == 0 {
        return Ok((Vec::new(), None));
    }
    if correlated {
        let note =
            "no Sobol indices: they assume independent inputs, and this study correlates some";
        return Ok((Vec::new(), Some(note.to_string())));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting the worker threads")?;
    let n = plan.sobol_rows.max(2);
    let indices = plan
        .targets
        .iter()
        .map(|t| {
            let variants = t.variants();
            let factors = sobol::factors(study.spec(), &variants);
            let runs =
                pool.install(|| sobol::evaluate(study.spec(), &variants, &factors, n, plan.metric));
            let (fa, fb, fab) = match t {
                Target::Variant(_) => runs.into_iter().next().expect("one variant"),
                Target::Difference { .. } => {
                    let mut it = runs.into_iter();
                    let (a, b) = (it.next().expect("a"), it.next().expect("b"));
                    let minus = |x: &[f64], y: &[f64]| -> Vec<f64> {
                        x.iter().zip(y).map(|(x, y)| x - y).collect()
                    };
                    (
                        minus(&a.0, &b.0),
                        minus(&a.1, &b.1),
                        a.2.iter().zip(&b.2).map(|(x, y)| minus(x, y)).collect(),
                    )
                }
            };
            sobol::indices(&factors, &fa, &fb, &fab, 500, study.spec().seed())
        })
        .collect();
    Ok((indices, None))
}

/// A non-finite output in any swing's study is an error.
fn check_finite(
    ends: &[Vec<PointResult>],
    middles: &[Vec<PointResult>],
    variants: &[crate::sim::VariantSpec],
) -> Result<(), InputError> {
    let bad = ends
        .iter()
        .chain(middles)
        .flatten()
        .find_map(|r| r.non_finite.as_ref());
    match bad {
        Some(b) => Err(InputError::new(
            crate::error::Kind::OutOfRange,
            format!(
                "a swing went beyond what the model computes: {}",
                b.describe(variants.get(b.variant).map_or("?", |v| v.name()))
            ),
        )),
        None => Ok(()),
    }
}
