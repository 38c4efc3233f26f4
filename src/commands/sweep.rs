//! `shopsim sweep`: reads the scenario, the grid and the ranges, checks every point,
//! claims the output folder, runs the points and writes `sweep.csv`, `sweep_pairs.csv`,
//! the charts and `sweep.json` (last).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};

use super::common;
use crate::cli::SweepArgs;
use crate::error::{InputError, Problem};
use crate::format::fmt_number;
use crate::formats::record::AnalysisHeader;
use crate::output::{self, StagedFolder};
use crate::points::point::Point;
use crate::points::{prepare, run_points, Base, PointResult, PreparedPoint};
use crate::sim::{DrawMethod, Metric};
use crate::sweep::grid;
use crate::sweep::record::{SweepPointRecord, SweepRecord, SweepValueRecord};

/// The terminal lists at most this many points (the CSV has all).
const SHOWN_POINTS: usize = 30;

/// Runs `shopsim sweep`.
pub fn sweep(args: SweepArgs) -> Result<()> {
    let (base_scenario, overrides) = args.common.load_one(args.scenario.as_deref(), "sweep")?;
    let grid_points = args.grid.as_deref().map(grid::read_grid).transpose()?;
    let points: Vec<Point> = grid::combine(grid_points, &args.ranges)?;
    let base = Base {
        scenario: &base_scenario,
        csv: overrides.as_ref(),
        variants: &args.variants,
        trials: args.common.trials,
        seed: args.common.seed,
    };
    // Every variant name, every point's values: checked before anything is written.
    base_scenario.clone().keep_variants(&args.variants)?;
    let prepared = prepare(&base, points)?;
    let shown = common::warn_points("sweep", &base_scenario, &prepared);
    let threads = args.common.thread_count();
    common::check_sizes(std::slice::from_ref(&prepared[0].scenario), false, threads)?;
    crate::sizing::check_points(
        prepared[0].scenario.spec(),
        prepared.len(),
        threads,
        crate::sizing::machine_memory(),
        "sweep",
    )?;
    let study = prepared[0].scenario.spec().name().to_string();
    let staged = StagedFolder::create(
        &args.common.out,
        &crate::sweep::FOLDER.folder_name(&study),
        crate::sweep::FOLDER,
        args.common.force,
        &args.common.inputs(
            args.scenario.as_deref(),
            &args
                .grid
                .iter()
                .map(|g| output::Input::new(g, "the grid"))
                .collect::<Vec<_>>(),
        ),
    )?;

    let start = Instant::now();
    let bar = common::counting_bar(prepared.len() as u64, "points");
    let done = AtomicU64::new(0);
    let tick = || bar.set_position(done.fetch_add(1, Ordering::Relaxed) + 1);
    let results = run_points(&prepared, DrawMethod::PerDay, threads, &tick)?;
    bar.finish_and_clear();
    let elapsed = start.elapsed().as_secs_f64();
    check_finite(&prepared, &results)?;

    staged.write(
        "sweep.csv",
        &crate::sweep::tables::sweep_csv(&prepared, &results)?,
    )?;
    staged.write(
        "sweep_pairs.csv",
        &crate::sweep::tables::pairs_csv(&prepared, &results)?,
    )?;
    let mut chart_note = None;
    let mut rendered = Vec::new();
    if !args.common.charts.no_charts {
        let (charts, note) = crate::sweep::charts::sweep_charts(
            &prepared,
            &results,
            args.metric,
            args.common.charts.chart_format.format(),
        )
        .map_err(|e| anyhow::anyhow!("drawing the sweep charts: {e}"))?;
        output::write_charts(&staged, &charts)?;
        chart_note = note;
        rendered = charts;
    }
    let record = record(
        &args,
        &base_scenario,
        &prepared,
        threads,
        elapsed,
        chart_note.clone(),
    );
    let page = crate::sweep::page::sweep_html(
        &shown,
        &prepared,
        &results,
        args.metric,
        &record,
        &rendered,
    );
    staged.write("report.html", page.as_bytes())?;
    let json = serde_json::to_string_pretty(&record).context("writing sweep.json")?;
    staged.write(crate::sweep::FOLDER.marker, json.as_bytes())?;
    let dir = staged.commit()?;
    if args.common.open {
        super::terminal::open_page(&dir.join("report.html"));
    }
    super::terminal::files_written(&dir);
    super::terminal::answer(&terminal_table(
        &prepared,
        &results,
        args.metric,
        elapsed,
        &dir,
        chart_note,
    ))
}

/// A non-finite output at any point is an error naming the point.
fn check_finite(points: &[PreparedPoint], results: &[PointResult]) -> Result<(), InputError> {
    let mut problems: Vec<Problem> = Vec::new();
    for (i, (p, r)) in points.iter().zip(results).enumerate() {
        if let Err(e) =
            common::check_non_finite(std::slice::from_ref(&p.scenario), [r.non_finite.as_ref()])
        {
            problems.extend(e.into_problems().into_iter().map(|mut q| {
                q.message = format!("sweep point {} (`{}`): {}", i + 1, p.point.name, q.message);
                q
            }));
        }
    }
    match InputError::from_problems(problems) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn record(
    args: &SweepArgs,
    base: &crate::scenario::Scenario,
    points: &[PreparedPoint],
    threads: usize,
    elapsed: f64,
    chart_note: Option<String>,
) -> SweepRecord {
    let spec = points[0].scenario.spec();
    let ranges: Vec<String> = args
        .ranges
        .iter()
        .map(|r| {
            format!(
                "{}={}:{}:{}",
                r.param.key(),
                r.values[0],
                r.values[r.values.len() - 1],
                r.values.len()
            )
        })
        .collect();
    let mut words = common::command_words("sweep", args.scenario.as_deref());
    if let Some(g) = &args.grid {
        words.extend(["--grid".to_string(), g.display().to_string()]);
    }
    for r in &ranges {
        words.extend(["--range".to_string(), r.clone()]);
    }
    for v in &args.variants {
        words.extend(["--variant".to_string(), v.clone()]);
    }
    words.extend(["--metric".to_string(), args.metric.name().to_string()]);
    words.extend(common::analysis_words(&args.common, spec));
    SweepRecord {
        header: AnalysisHeader::new(
            crate::sweep::FOLDER.what,
            spec,
            base.origin(),
            args.common.params.as_ref().map(|p| p.display().to_string()),
            threads,
            elapsed,
        ),
        grid: args.grid.as_ref().map(|p| p.display().to_string()),
        ranges,
        variants: spec.variant_names(),
        horizon_days: spec.horizon_days(),
        chart_metric: args.metric.name().to_string(),
        chart_note,
        points: points
            .iter()
            .enumerate()
            .map(|(i, p)| SweepPointRecord {
                point: i + 1,
                name: p.point.name.clone(),
                variant: p.point.variant.clone(),
                values: p
                    .point
                    .values
                    .iter()
                    .map(|v| SweepValueRecord {
                        key: v.param.key().to_string(),
                        value: v.dist.to_string(),
                        source: v.source.clone(),
                    })
                    .collect(),
            })
            .collect(),
        command: crate::output::analysis_page::command_line(&words),
    }
}

/// The terminal's summary: per point, each variant's mean of `metric` and the variant
/// with the highest mean profit.
fn terminal_table(
    points: &[PreparedPoint],
    results: &[PointResult],
    metric: Metric,
    elapsed: f64,
    dir: &std::path::Path,
    chart_note: Option<String>,
) -> String {
    let spec = points[0].scenario.spec();
    let names: Vec<&str> = spec.variants().iter().map(|v| v.name()).collect();
    let mut out = format!(
        "{}: sweep of {} × {} × {} × {} in {elapsed:.2} s → {}\n",
        spec.name(),
        crate::format::plural(points.len() as u64, "point"),
        crate::format::plural(spec.trials(), "trial"),
        crate::format::plural(names.len() as u64, "variant"),
        crate::format::plural(spec.horizon_days() as u64, "day"),
        crate::error::printable_path(dir)
    );
    // A column per swept key (its values as the point sets them), and the grid's names
    // when it gives any.
    let plain: Vec<&Point> = points.iter().map(|p| &p.point).collect();
    let keys = grid::swept_keys(plain.iter().copied());
    let named = plain.iter().any(|p| p.name != auto_name(p));
    let mut columns: Vec<(String, Vec<String>)> = Vec::new();
    if named || keys.is_empty() {
        columns.push((
            "point".to_string(),
            plain.iter().map(|p| truncate(&p.name, 32)).collect(),
        ));
    }
    for k in &keys {
        columns.push((
            k.key().to_string(),
            plain
                .iter()
                .map(|p| {
                    let v = p.value(k).map(|d| d.to_string()).unwrap_or_default();
                    match &p.variant {
                        Some(only) if !v.is_empty() => truncate(&format!("{v} ({only})"), 32),
                        _ => truncate(&v, 32),
                    }
                })
                .collect(),
        ));
    }
    let widths: Vec<usize> = columns
        .iter()
        .map(|(h, cells)| {
            cells
                .iter()
                .take(SHOWN_POINTS)
                .map(|c| c.chars().count())
                .chain([h.chars().count()])
                .max()
                .unwrap_or(5)
        })
        .collect();
    out.push(' ');
    for ((h, _), w) in columns.iter().zip(&widths) {
        out.push_str(&format!(" {h:>w$}"));
    }
    for n in &names {
        out.push_str(&format!(" {:>14}", truncate(n, 14)));
    }
    out.push_str(&format!(
        "  best ({}), P(best), lead on the next\n",
        Metric::Profit.name()
    ));
    for (i, r) in results.iter().enumerate().take(SHOWN_POINTS) {
        out.push(' ');
        for ((_, cells), w) in columns.iter().zip(&widths) {
            out.push_str(&format!(" {:>w$}", cells[i]));
        }
        for v in &r.analysis.variants {
            out.push_str(&format!(" {:>14}", fmt_number(v.mean(metric))));
        }
        out.push_str(&format!("  {}\n", best_at_point(&r.analysis, &names)));
    }
    if points.len() > SHOWN_POINTS {
        out.push_str(&format!(
            "  … {} more points in sweep.csv\n",
            points.len() - SHOWN_POINTS
        ));
    }
    out.push_str(&format!(
        "  (mean {} per variant; every output, its 95% interval and p5-p95 in sweep.csv; P(A beats B) in sweep_pairs.csv)\n",
        metric.name()
    ));
    if let Some(note) = chart_note {
        out.push_str(&format!("  note: {note}\n"));
    }
    out
}

/// The best at one point, as the sweep's table says it: the variant with the highest mean
/// profit, its P(best) and its lead on the next; in a study with states of the world, the
/// best option of each world (a point of a state key is a world of its own).
fn best_at_point(analysis: &crate::stats::StudyAnalysis, names: &[&str]) -> String {
    if let Some(w) = &analysis.worlds {
        let present: Vec<usize> = (0..w.worlds.len())
            .filter(|&i| w.worlds[i].best.is_some())
            .collect();
        let best_of = |i: usize| {
            let best = w.worlds[i].best.expect("present");
            let cell = w.cell(best, i).expect("the best has a cell");
            let lead = (0..w.options.len())
                .filter(|&o| o != best)
                .filter_map(|o| w.cell(o, i).map(|c| c.regret.point))
                .fold(f64::NAN, f64::min);
            let lead = if lead.is_nan() {
                String::new()
            } else {
                format!(" +{}", fmt_number(lead))
            };
            format!(
                "{} {}{lead}",
                w.options[best],
                crate::format::fmt_percent(cell.p_best)
            )
        };
        return match present.as_slice() {
            [one] => best_of(*one),
            _ => present
                .iter()
                .map(|&i| format!("{}: {}", w.worlds[i].name, best_of(i)))
                .collect::<Vec<_>>()
                .join("; "),
        };
    }
    let ranked = analysis.ranked_by_profit();
    let best = ranked[0];
    let lead = ranked.get(1).map_or(String::new(), |&next| {
        let gap = analysis.variants[best].mean(Metric::Profit)
            - analysis.variants[next].mean(Metric::Profit);
        format!(" {:>8}", format!("+{}", fmt_number(gap)))
    });
    format!(
        "{} {:>7}{lead}",
        names[best],
        crate::format::fmt_percent(analysis.variants[best].p_best)
    )
}

/// The name a point gets when the grid gives none (see [`grid::combine`]).
fn auto_name(p: &Point) -> String {
    grid::value_name(&p.values)
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
