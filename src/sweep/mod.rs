//! Sweeps: the same study run at many points of its parameters, every point on the same
//! seeds (common random numbers), so that the curves are smooth and the difference
//! between two points is a paired difference.
//!
//! A point is a scenario with extra override rows ([`grid::Point`]), validated as any
//! scenario is; the points run on every thread and come back in point order, with
//! results that do not depend on the thread count.

pub mod charts;
pub mod command;
pub mod grid;
pub mod key;
pub mod tables;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{Context, Result};

use crate::error::{printable, InputError, Problem};
use crate::scenario::{self, Overrides, Scenario};
use crate::sim::{DrawMethod, Metric};
use crate::stats::accumulate::NonFiniteAt;
use crate::stats::{self, StudyAccumulator, StudyAnalysis};
use grid::Point;

/// A point ready to run: its values and the study they make.
#[derive(Clone, Debug)]
pub struct PreparedPoint {
    /// What the point sets.
    pub point: Point,
    /// The study at this point (the chosen variants only).
    pub scenario: Scenario,
}

/// What every point shares: the scenario as read, the `--params` CSV, the variants kept,
/// and the run's `--trials` and `--seed`.
pub struct Base<'a> {
    /// The scenario (with the CSV applied).
    pub scenario: &'a Scenario,
    /// The `--params` CSV, if any: a point's rows are applied after it.
    pub csv: Option<&'a Overrides>,
    /// Variants to run (empty: all).
    pub variants: &'a [String],
    /// `--trials`.
    pub trials: Option<u64>,
    /// `--seed`.
    pub seed: Option<u64>,
}

/// Builds every point's study, checking each as a scenario file is checked (a value that
/// contradicts another, a variant that does not exist), before any runs.
pub fn prepare(base: &Base<'_>, points: Vec<Point>) -> Result<Vec<PreparedPoint>, InputError> {
    let names: Vec<&str> = base
        .scenario
        .spec()
        .variants()
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    let empty = Overrides::default();
    let csv = base.csv.unwrap_or(&empty);
    let mut problems = Vec::new();
    let mut prepared = Vec::new();
    for (i, point) in points.into_iter().enumerate() {
        let at = format!("sweep point {} (`{}`): ", i + 1, printable(&point.name));
        if let Some(v) = &point.variant {
            if !names.contains(&v.as_str()) {
                let source = point.values.first().map_or("", |v| v.source.as_str());
                problems.push(Problem::general(
                    crate::error::Kind::UnknownKey,
                    format!(
                        "{}{at}column `variant`: the study has no variant `{}`{}",
                        if source.is_empty() {
                            String::new()
                        } else {
                            format!("{source}: ")
                        },
                        printable(v),
                        crate::suggest::hint(v, names.iter().copied())
                    ),
                ));
                continue;
            }
            if !base.variants.is_empty() && !base.variants.contains(v) {
                problems.push(Problem::general(
                    crate::error::Kind::Conflict,
                    format!(
                        "{at}it changes variant `{}`, which --variant leaves out",
                        printable(v)
                    ),
                ));
                continue;
            }
        }
        // An event belongs to the study: a point changing one variant cannot move it.
        if let Some(v) = &point.variant {
            if let Some(e) = point
                .values
                .iter()
                .find(|x| matches!(x.param, key::SweepKey::Event(_)))
            {
                problems.push(Problem::general(
                    crate::error::Kind::Conflict,
                    format!(
                        "{at}it changes variant `{}` only, but `{}` is an event's number, which every variant shares",
                        printable(v),
                        e.param
                    ),
                ));
                continue;
            }
        }
        // With some variants kept, a value for every variant is set on the kept ones
        // only: the file is validated whole, and a value the others cannot take (a rule
        // between their parameters) must not stop a study they are not in.
        let (param_rows, event_rows) = point.overrides();
        let rows: Vec<crate::scenario::overrides::Override> = param_rows
            .into_iter()
            .flat_map(|row| {
                if row.variant.is_some() || base.variants.is_empty() {
                    vec![row]
                } else {
                    base.variants
                        .iter()
                        .map(|v| crate::scenario::overrides::Override {
                            variant: Some(v.clone()),
                            ..row.clone()
                        })
                        .collect()
                }
            })
            .collect();
        let mut overrides = csv.then(&rows, &event_rows);
        if point.moves_alone {
            overrides.moved_alone = rows
                .iter()
                .map(|r| (r.value.param(), r.variant.clone()))
                .collect();
        }
        let mut s = match scenario::parse(
            base.scenario.text(),
            base.scenario.origin(),
            Some(&overrides),
        ) {
            Ok(s) => s,
            Err(e) => {
                problems.extend(e.into_problems().into_iter().map(|mut p| {
                    p.message = format!("{at}{}", p.message);
                    p
                }));
                continue;
            }
        };
        s.override_run(base.trials, base.seed)?;
        s.keep_variants(base.variants)?;
        s.forget_history();
        prepared.push(PreparedPoint { point, scenario: s });
    }
    match InputError::from_problems(problems) {
        Some(e) => Err(e),
        None => Ok(prepared),
    }
}

/// One point's result.
#[derive(Clone, Debug)]
pub struct PointResult {
    /// The first value no trial should produce, if any (see [`StudyAccumulator`]).
    pub non_finite: Option<NonFiniteAt>,
    /// The point's analysis (every ordered pair of the kept variants, as a run's). The
    /// accumulators it came from (sketches of every output and day: megabytes a point)
    /// are dropped once it is made, so a sweep's memory does not grow with its points
    /// beyond a few kilobytes each.
    pub analysis: StudyAnalysis,
}

/// Runs every point on `threads` threads and returns their results in point order.
/// With at least as many points as threads, points run side by side, each on one
/// thread; with fewer, one after another, each on every thread. Either way a point's
/// result is that of a run of its study: the same for any thread count.
/// `done` is called after each point.
pub fn run_points(
    points: &[PreparedPoint],
    method: DrawMethod,
    threads: usize,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<PointResult>> {
    let threads = threads.max(1);
    let side_by_side = points.len().min(threads);
    let per_point = (threads / side_by_side.max(1)).max(1);
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<PointResult>>> = points.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| -> Result<()> {
        let workers: Vec<_> = (0..side_by_side)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    let pool = rayon::ThreadPoolBuilder::new()
                        .num_threads(per_point)
                        .build()
                        .context("starting the worker threads")?;
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(p) = points.get(i) else {
                            return Ok(());
                        };
                        let result = pool.install(|| run_point(&p.scenario, method));
                        *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                        done();
                    }
                })
            })
            .collect();
        for w in workers {
            w.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        }
        Ok(())
    })?;
    Ok(slots
        .into_iter()
        .map(|s| {
            s.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every point ran")
        })
        .collect())
}

/// Runs one point's study on the current thread pool.
pub fn run_point(s: &Scenario, method: DrawMethod) -> PointResult {
    let spec = s.spec();
    let pairs = stats::analysis::table_pairs(spec.variants().len(), s.baseline());
    let results = StudyAccumulator::run_all(spec, method, &pairs, &|_| {});
    let mut analysis = stats::analyze(spec, &results, s.baseline());
    // No analysis charts or tables a day's bands: dropped, they are most of its size.
    for v in &mut analysis.variants {
        v.daily_profit = Vec::new();
        v.daily_cash = Vec::new();
    }
    PointResult {
        non_finite: results.non_finite,
        analysis,
    }
}

/// P(a beats b) on `metric` at a point, with its Wilson 95% interval (NaN when the pair
/// has no defined trials or is not among the point's pairs).
pub fn beats(r: &PointResult, a: usize, b: usize, metric: Metric) -> (f64, f64, f64) {
    let Some(d) = r.analysis.pair(a, b).and_then(|p| p.of(metric)) else {
        return (f64::NAN, f64::NAN, f64::NAN);
    };
    let n = d.diff.n;
    let wins = (d.p_a_better * n as f64).round() as usize;
    let w = stats::summary::proportion(wins, n);
    (d.p_a_better, w.ci_low, w.ci_high)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::P;
    use crate::sim::Metric;

    const STUDY: &str = r#"name = "sweep_demo"
trials = 300
horizon_days = 40
seed = 5
[base]
market = "us"
category = "beauty"
[[variant]]
name = "managed"
model = "fully_managed"
[[variant]]
name = "self"
model = "self_operated"
route = "fbt"
"#;

    fn base_scenario() -> Scenario {
        scenario::parse(STUDY, "demo.toml", None).unwrap()
    }

    fn run(points: Vec<Point>, variants: &[String], threads: usize) -> Vec<PointResult> {
        let s = base_scenario();
        let base = Base {
            scenario: &s,
            csv: None,
            variants,
            trials: None,
            seed: None,
        };
        let prepared = prepare(&base, points).unwrap();
        run_points(&prepared, DrawMethod::PerDay, threads, &|| {}).unwrap()
    }

    fn mean_profit(r: &PointResult, v: usize) -> f64 {
        r.analysis.variants[v].mean(Metric::Profit)
    }

    #[test]
    fn a_daily_cost_enters_profit_linearly_on_common_random_numbers() {
        // Tools are paid every day whatever happens: profit falls by exactly the extra
        // cost times the horizon, trial by trial, so the mean response is linear with the
        // closed-form slope -40 (no Monte Carlo error: the points are paired).
        let range: grid::Range = "tools.cost_per_day=0:30:4".parse().unwrap();
        let points = grid::combine(None, &[range]).unwrap();
        let results = run(points, &[], 2);
        for v in 0..2 {
            let means: Vec<f64> = results.iter().map(|r| mean_profit(r, v)).collect();
            for w in means.windows(2) {
                let slope = (w[1] - w[0]) / 10.0;
                assert!(
                    (slope + 40.0).abs() < 1e-6,
                    "variant {v}: slope {slope}, expected -40"
                );
            }
        }
    }

    #[test]
    fn results_do_not_depend_on_threads_and_keep_point_order() {
        let range: grid::Range = "price.retail=14:30:3".parse().unwrap();
        let points = grid::combine(None, &[range]).unwrap();
        let one = run(points.clone(), &[], 1);
        let two = run(points.clone(), &[], 2);
        let four = run(points, &[], 4);
        for ((a, b), c) in one.iter().zip(&two).zip(&four) {
            assert_eq!(a.analysis, b.analysis);
            assert_eq!(a.analysis, c.analysis);
        }
        // The price rises along the points: self-operated revenue per order with it.
        let gmv_per_order = |r: &PointResult| {
            let v = &r.analysis.variants[1];
            v.mean(Metric::Gmv) / v.mean(Metric::Orders)
        };
        assert!(gmv_per_order(&one[0]) < gmv_per_order(&one[1]));
        assert!(gmv_per_order(&one[1]) < gmv_per_order(&one[2]));
    }

    #[test]
    fn a_point_on_one_variant_leaves_the_other_exactly_as_it_was() {
        let text = "name,variant,price.retail\nbase,,\ncheap_self,self,12\n";
        let points = grid::parse_grid(text, "g.csv").unwrap();
        let r = run(points, &[], 2);
        // The managed variant is the same trial by trial (same seeds, same values).
        assert_eq!(r[0].analysis.variants[0], r[1].analysis.variants[0]);
        assert_ne!(mean_profit(&r[0], 1), mean_profit(&r[1], 1));
    }

    #[test]
    fn a_kept_variant_gives_what_it_gives_among_all() {
        let range: grid::Range = "price.retail=16:20:2".parse().unwrap();
        let points = grid::combine(None, &[range]).unwrap();
        let all = run(points.clone(), &[], 2);
        let only_self = run(points, &["self".to_string()], 2);
        for (a, s) in all.iter().zip(&only_self) {
            assert_eq!(s.analysis.variants.len(), 1);
            assert_eq!(
                a.analysis.variants[1].metrics,
                s.analysis.variants[0].metrics
            );
        }
    }

    #[test]
    fn unknown_variants_are_named_with_a_suggestion() {
        let s = base_scenario();
        let points = grid::parse_grid("variant,price.retail\nslef,12\n", "g.csv").unwrap();
        let base = Base {
            scenario: &s,
            csv: None,
            variants: &[],
            trials: None,
            seed: None,
        };
        let e = prepare(&base, points).unwrap_err().to_string();
        assert!(e.contains("g.csv:2: sweep point 1"), "{e}");
        assert!(
            e.contains("no variant `slef` (did you mean `self`?)"),
            "{e}"
        );
    }

    #[test]
    fn a_value_the_left_out_variants_cannot_take_does_not_stop_the_sweep() {
        // The self-operated variant's reorder point of 800 is above 500, so a point at 500
        // for every variant fails its check; managed's default reorder point is lower.
        // Running only `managed`, the point sets `managed` only.
        let text = STUDY.replace(
            "route = \"fbt\"\n",
            "route = \"fbt\"\ninventory.reorder_point = 800\ninventory.order_up_to = 900\n",
        );
        let s = scenario::parse(&text, "demo.toml", None).unwrap();
        let managed_reorder = s.spec().variants()[0]
            .params
            .get(P::ReorderPoint)
            .dist
            .mean();
        assert!(managed_reorder <= 500.0, "{managed_reorder}");
        let range: grid::Range = "inventory.order_up_to=500:900:2".parse().unwrap();
        let points = grid::combine(None, &[range]).unwrap();
        let all = Base {
            scenario: &s,
            csv: None,
            variants: &[],
            trials: None,
            seed: None,
        };
        assert!(prepare(&all, points.clone()).is_err());
        let managed = ["managed".to_string()];
        let only = Base {
            variants: &managed,
            ..all
        };
        let prepared = prepare(&only, points).unwrap();
        assert_eq!(prepared[0].scenario.spec().variants().len(), 1);
    }
}
