//! `shopsim threshold`: checks the question, claims the output folder, runs the search
//! and writes `threshold.csv`, the chart and `threshold.json` (last).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};

use super::common;
use crate::cli::ThresholdArgs;
use crate::error::{InputError, Problem};
use crate::format::{fmt_percent, fmt_significant, num};
use crate::formats::record::AnalysisHeader;
use crate::output::charts::sweep::{Crossing, Curve, CurvePoint, LineKind, SweepLineChart};
use crate::output::charts::{render, variant_colour};
use crate::output::tables::into_bytes;
use crate::output::{self, StagedFolder};
use crate::points::Base;
use crate::threshold::record::ThresholdRecord;
use crate::threshold::search::{search, Direction, End, Outcome, Search};
use crate::threshold::{check_finite, compared_variants, threshold_param, Question, Run};

/// Runs `shopsim threshold`.
pub fn threshold(args: ThresholdArgs) -> Result<()> {
    let param = threshold_param(&args.param)?;
    let (lo, hi) = (args.between[0], args.between[1]);
    param.check_between(lo, hi).map_err(|e| {
        InputError::one(Problem::general(
            e.kind(),
            format!(
                "--between {} {}: {e}",
                crate::params::dist::compact_number(lo),
                crate::params::dist::compact_number(hi)
            ),
        ))
    })?;
    // The search runs the values the interval holds (whole numbers for a count).
    let (lo, hi) = param.ends(lo, hi);
    let (scenario, overrides) = args
        .common
        .load_one(args.scenario.as_deref(), "threshold")?;
    let kept = compared_variants(&scenario, (&args.a, &args.b), args.on.as_deref(), &param)?;
    let index = |n: &str| kept.iter().position(|k| k == n).expect("checked above");
    let question = Question {
        base: Base {
            scenario: &scenario,
            csv: overrides.as_ref(),
            variants: &kept,
            trials: args.common.trials,
            seed: args.common.seed,
        },
        param: param.clone(),
        on: args.on.clone(),
        a: index(&args.a),
        b: index(&args.b),
        metric: args.metric,
    };
    // Both ends are checked as points before anything is written.
    let ends = vec![question.point_at(lo), question.point_at(hi)];
    let prepared = crate::points::prepare(&question.base, ends)?;
    let shown = common::warn_points("threshold", &scenario, &prepared);
    let threads = args.common.thread_count();
    common::check_sizes(std::slice::from_ref(&prepared[0].scenario), false, threads)?;
    let spec = prepared[0].scenario.spec().clone();
    let staged = StagedFolder::create(
        &args.common.out,
        &crate::threshold::FOLDER.folder_name(spec.name()),
        crate::threshold::FOLDER,
        args.common.force,
        &args.common.inputs(args.scenario.as_deref(), &[]),
    )?;

    let start = Instant::now();
    let plan = Search {
        lo,
        hi,
        integer: question.param.integer(),
        target: args.prob,
        scan_points: args.scan as usize,
        // A thousandth of the interval: finer than the Monte Carlo interval of any
        // study of a few thousand trials, so more rounds would only move the point
        // within it.
        tolerance: 1e-3,
    };
    let bar = common::counting_bar(0, "values");
    let done = AtomicU64::new(0);
    let tick = || bar.set_position(done.fetch_add(1, Ordering::Relaxed) + 1);
    let mut runs: Vec<Run> = Vec::new();
    let mut evaluate = |xs: &[f64]| {
        bar.inc_length(xs.len() as u64);
        question.evaluate(xs, threads, &mut runs, &tick)
    };
    let (outcome, _) = search(&plan, &mut evaluate)?;
    bar.finish_and_clear();
    let elapsed = start.elapsed().as_secs_f64();
    runs.sort_by(|x, y| x.value.total_cmp(&y.value));
    check_finite(&runs, &param, &spec)?;

    staged.write("threshold.csv", &threshold_csv(&question, &runs)?)?;
    let estimate_at = |v: f64| {
        runs.iter().find(|r| r.value == v).map_or(f64::NAN, |r| {
            crate::points::beats(&r.result, question.a, question.b, args.metric).0
        })
    };
    let p_at_ends = [estimate_at(lo), estimate_at(hi)];
    let mut charts = Vec::new();
    if !args.common.charts.no_charts {
        let chart = chart(&args, &question, &runs, &outcome, spec.name());
        let rendered = render(&chart, args.common.charts.chart_format.format())
            .map_err(|e| anyhow::anyhow!("drawing the threshold chart: {e}"))?;
        output::write_charts(&staged, std::slice::from_ref(&rendered))?;
        charts.push(rendered);
    }
    let record = threshold_record(
        &args,
        &question,
        &outcome,
        (&runs, [lo, hi], p_at_ends),
        &spec,
        scenario.origin(),
        (threads, elapsed),
    );
    let page = crate::threshold::page::threshold_html(&shown, &question, &runs, &record, &charts);
    staged.write("report.html", page.as_bytes())?;
    let json = serde_json::to_string_pretty(&record).context("writing threshold.json")?;
    staged.write(crate::threshold::FOLDER.marker, json.as_bytes())?;
    let dir = staged.commit()?;
    if args.common.open {
        super::terminal::open_page(&dir.join("report.html"));
    }

    super::terminal::files_written(&dir);
    super::terminal::answer(&answer(&record, plan.integer, &dir, elapsed))
}

/// `threshold.json`: the question asked and what the search found.
fn threshold_record(
    args: &ThresholdArgs,
    question: &Question<'_>,
    outcome: &Outcome,
    (runs, ends, p_at_ends): (&[Run], [f64; 2], [f64; 2]),
    spec: &crate::sim::StudySpec,
    origin: &str,
    (threads, elapsed): (usize, f64),
) -> ThresholdRecord {
    let end = |e: End| match e {
        End::At(v) => Some(v),
        End::Beyond => None,
    };
    let (value, direction, value_low, value_high, crossings) = match *outcome {
        Outcome::Crosses {
            value,
            direction,
            low,
            high,
            crossings,
        } => (Some(value), Some(direction), end(low), end(high), crossings),
        Outcome::Never => (None, None, None, None, 0),
    };
    let mut words = common::command_words("threshold", args.scenario.as_deref());
    words.extend(["--param".to_string(), question.param.key().to_string()]);
    words.extend([
        "--between".to_string(),
        args.between[0].to_string(),
        args.between[1].to_string(),
    ]);
    words.extend([
        "--a".to_string(),
        args.a.clone(),
        "--b".to_string(),
        args.b.clone(),
    ]);
    if let Some(on) = &args.on {
        words.extend(["--on".to_string(), on.clone()]);
    }
    words.extend([
        "--prob".to_string(),
        args.prob.to_string(),
        "--metric".to_string(),
        args.metric.name().to_string(),
        "--scan".to_string(),
        args.scan.to_string(),
    ]);
    words.extend(common::analysis_words(&args.common, spec));
    ThresholdRecord {
        header: AnalysisHeader::new(
            crate::threshold::FOLDER.what,
            spec,
            origin,
            args.common.params.as_ref().map(|p| p.display().to_string()),
            threads,
            elapsed,
        ),
        param: question.param.key().to_string(),
        on: args.on.clone(),
        // The values searched: a count's whole numbers inside `--between`.
        between: ends,
        a: args.a.clone(),
        b: args.b.clone(),
        metric: args.metric.name().to_string(),
        prob: args.prob,
        outcome: if value.is_some() { "crosses" } else { "never" }.to_string(),
        value,
        direction: direction.map(|d| {
            match d {
                Direction::Rising => "rising",
                Direction::Falling => "falling",
            }
            .to_string()
        }),
        value_low,
        value_high,
        crossings,
        p_at_ends,
        values_run: runs.len(),
        command: crate::output::analysis_page::command_line(&words),
    }
}

/// `threshold.csv`: every value run, in order, with P(A beats B) and its 95% interval,
/// the paired mean difference A − B with its interval, and each variant's mean.
fn threshold_csv(q: &Question<'_>, runs: &[Run]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        q.param.key().as_str(),
        "metric",
        "p_a_beats_b",
        "p_low",
        "p_high",
        "mean_diff",
        "diff_ci_low",
        "diff_ci_high",
        "mean_a",
        "mean_b",
        "n",
    ])?;
    for r in runs {
        let (p, low, high) = crate::points::beats(&r.result, q.a, q.b, q.metric);
        let d = r
            .result
            .analysis
            .pair(q.a, q.b)
            .and_then(|x| x.of(q.metric));
        let at = |f: fn(&crate::stats::Paired) -> f64| num(d.map_or(f64::NAN, f));
        let variants = &r.result.analysis.variants;
        w.write_record([
            num(r.value),
            q.metric.name().to_string(),
            num(p),
            num(low),
            num(high),
            at(|d| d.diff.point),
            at(|d| d.diff.ci_low),
            at(|d| d.diff.ci_high),
            num(variants[q.a].mean(q.metric)),
            num(variants[q.b].mean(q.metric)),
            d.map_or(0, |d| d.diff.n).to_string(),
        ])?;
    }
    into_bytes(w)
}

fn chart(
    args: &ThresholdArgs,
    q: &Question<'_>,
    runs: &[Run],
    outcome: &Outcome,
    study: &str,
) -> SweepLineChart {
    let end = |e: End| match e {
        End::At(v) => Some(v),
        End::Beyond => None,
    };
    let crossing = match *outcome {
        Outcome::Crosses {
            value,
            low,
            high,
            direction,
            ..
        } => Crossing {
            target: args.prob,
            value: Some(value),
            low: end(low),
            high: end(high),
            whole_side: q.param.integer().then_some(direction.whole_side()),
        },
        Outcome::Never => Crossing {
            target: args.prob,
            value: None,
            low: None,
            high: None,
            whole_side: None,
        },
    };
    SweepLineChart {
        kind: LineKind::Threshold,
        study: study.to_string(),
        x_label: match &args.on {
            Some(v) => format!("{} (on {v} only)", q.param.key()),
            None => q.param.key().to_string(),
        },
        y_label: String::new(),
        curves: vec![Curve {
            name: format!("P({} beats {} on {})", args.a, args.b, args.metric.name()),
            colour: variant_colour(0),
            points: runs
                .iter()
                .map(|r| {
                    let (p, low, high) = crate::points::beats(&r.result, q.a, q.b, q.metric);
                    CurvePoint {
                        x: r.value,
                        mean: p,
                        ci_low: low,
                        ci_high: high,
                        p5: f64::NAN,
                        p95: f64::NAN,
                    }
                })
                .collect(),
        }],
        crossing: Some(crossing),
    }
}

/// The answer in words, for the terminal. `integer`: the parameter takes whole numbers,
/// so the threshold is a value the target holds at (not a point it crosses).
fn answer(r: &ThresholdRecord, integer: bool, dir: &std::path::Path, elapsed: f64) -> String {
    let mut out = format!(
        "{}: threshold of {} for P({} beats {} on {}) = {}: {} values × {} trials in {elapsed:.2} s → {}\n",
        r.header.study,
        r.param,
        r.a,
        r.b,
        r.metric,
        fmt_percent(r.prob),
        r.values_run,
        crate::format::fmt_count(r.header.trials),
        crate::error::printable_path(dir)
    );
    let on =
        r.on.as_ref()
            .map(|v| format!(" (moved on {v} only)"))
            .unwrap_or_default();
    let ends = format!(
        "P({} beats {}) is {} at {} = {} and {} at {}",
        r.a,
        r.b,
        fmt_percent(r.p_at_ends[0]),
        r.param,
        fmt_significant(r.between[0]),
        fmt_percent(r.p_at_ends[1]),
        fmt_significant(r.between[1])
    );
    match r.value {
        Some(v) => {
            let at = format!("{} = {}", r.param, fmt_significant(v));
            let (side, other) = Direction::named(r.direction.as_deref()).sides(&at, integer);
            out.push_str(&format!(
                "  `{}` beats `{}` with probability {} or more {side}{on} (95% interval {} to {}); {other} it, less often.\n",
                r.a,
                r.b,
                fmt_percent(r.prob),
                r.value_low.map_or("below the interval searched".to_string(), fmt_significant),
                r.value_high.map_or("above the interval searched".to_string(), fmt_significant),
            ));
            out.push_str(&format!("  {ends}.\n"));
            if r.crossings > 1 {
                out.push_str(&format!(
                    "  note: P crosses {} {} times between {} and {}; this is the first (see threshold.csv and the chart)\n",
                    fmt_percent(r.prob),
                    r.crossings,
                    fmt_significant(r.between[0]),
                    fmt_significant(r.between[1])
                ));
            }
        }
        None => out.push_str(&format!(
            "  P({} beats {}) does not cross {} between {} and {}{on}: {ends}.\n",
            r.a,
            r.b,
            fmt_percent(r.prob),
            fmt_significant(r.between[0]),
            fmt_significant(r.between[1])
        )),
    }
    out
}
