//! A sweep's `report.html`: how the options' means move with the swept inputs, where the
//! best option changes (per world, when the study has worlds), the charts, the points'
//! table, and the command that reproduces it. Every figure is the one `sweep.csv` holds.

use maud::{html, Markup};

use super::grid::{swept_keys, value_name};
use super::record::SweepRecord;
use crate::format::{fmt_percent, fmt_value};
use crate::metric::Metric;
use crate::output::analysis_page::{analysis_html, AnalysisPage, Answer, Section};
use crate::output::charts::Rendered;
use crate::output::page::swatch;
use crate::points::key::InputKey;
use crate::points::{PointResult, PreparedPoint};
use crate::scenario::Scenario;

/// The table lists at most this many points (`sweep.csv` has all).
const SHOWN_POINTS: usize = 200;

/// The answer names at most this many stretches of one best option.
const SHOWN_STRETCHES: usize = 8;

/// How to read each chart of a sweep, shown under it.
pub fn chart_caption(stem: &str, metric: Metric) -> String {
    let m = metric.name();
    match stem {
        "sweep_mean" => format!("Each variant's {m} against the swept input: the line is the mean, bars its 95% interval, the band the 5th to 95th percentile of the trials."),
        "sweep_p_beats" => format!("P(A beats B) on {m} against the swept input, from paired trials (the band: its 95% interval); above 50%, A is better more often than not."),
        "sweep_heatmap_mean" => format!("Mean {m} of each variant over the grid of the two swept inputs, a panel per variant."),
        "sweep_heatmap_p_beats" => format!("P(A beats B) on {m} over the grid of the two swept inputs, a panel per pair."),
        _ => String::new(),
    }
}

/// A point as words: its swept values (`price.retail = 16`), on one variant when it
/// moves only that one, or its name when it sets no swept key.
fn point_label(p: &PreparedPoint, keys: &[InputKey]) -> String {
    let values: Vec<String> = keys
        .iter()
        .filter_map(|k| p.point.value(k).map(|d| format!("`{}` = {d}", k.key())))
        .collect();
    let mut label = if values.is_empty() {
        format!("point `{}`", p.point.name)
    } else {
        values.join(", ")
    };
    if let Some(only) = &p.point.variant {
        label.push_str(&format!(" on `{only}` only"));
    }
    label
}

/// Consecutive points with the same best option: `(best, first point, last point)`.
fn stretches(best: &[Option<usize>]) -> Vec<(Option<usize>, usize, usize)> {
    let mut out: Vec<(Option<usize>, usize, usize)> = Vec::new();
    for (i, &b) in best.iter().enumerate() {
        match out.last_mut() {
            Some(last) if last.0 == b => last.2 = i,
            _ => out.push((b, i, i)),
        }
    }
    out
}

/// Where the best option changes along the points, as a sentence (`who` names an option).
fn changes(
    best: &[Option<usize>],
    labels: &[String],
    who: &dyn Fn(usize) -> String,
    among: &str,
) -> String {
    let runs = stretches(best);
    let name = |b: Option<usize>| b.map_or("no option".to_string(), |b| format!("`{}`", who(b)));
    if runs.len() == 1 {
        return format!(
            "{} has the highest mean profit{among} at every one of the {} points.",
            name(runs[0].0),
            best.len()
        );
    }
    let parts: Vec<String> = runs
        .iter()
        .take(SHOWN_STRETCHES)
        .map(|&(b, from, to)| {
            if from == to {
                format!("{} at {}", name(b), labels[from])
            } else {
                format!("{} from {} to {}", name(b), labels[from], labels[to])
            }
        })
        .collect();
    let more = if runs.len() > SHOWN_STRETCHES {
        format!(
            " … and {} more changes (every point below)",
            runs.len() - SHOWN_STRETCHES
        )
    } else {
        String::new()
    };
    format!(
        "The option with the highest mean profit{among} changes {} along the points: {}{more}.",
        match runs.len() - 1 {
            1 => "once".to_string(),
            n => format!("{n} times"),
        },
        parts.join("; ")
    )
}

/// The best variant (highest mean profit) at a point, as the terminal and `sweep.csv`
/// rank them.
fn best_variant(r: &PointResult) -> Option<usize> {
    r.analysis.ranked_by_profit().first().copied()
}

/// Builds the page. `base` is the scenario as given (its warnings), `points` and
/// `results` the sweep, `metric` the output charted, `record` what `sweep.json` holds.
pub fn sweep_html(
    base: &Scenario,
    points: &[PreparedPoint],
    results: &[PointResult],
    metric: Metric,
    record: &SweepRecord,
    charts: &[Rendered],
) -> String {
    let spec = points[0].scenario.spec();
    let variants: Vec<&str> = spec.variants().iter().map(|v| v.name()).collect();
    let keys = swept_keys(points.iter().map(|p| &p.point));
    let labels: Vec<String> = points.iter().map(|p| point_label(p, &keys)).collect();
    let quoted = |names: &[&str]| -> String {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };

    // The question.
    let moved = if keys.is_empty() {
        format!("across the {} points of the grid", points.len())
    } else {
        let spans: Vec<String> = keys
            .iter()
            .map(|k| {
                let mut values: Vec<(f64, String)> = points
                    .iter()
                    .filter_map(|p| p.point.value(k).map(|d| (d.mean(), d.to_string())))
                    .collect();
                values.sort_by(|a, b| a.0.total_cmp(&b.0));
                match (values.first(), values.last()) {
                    (Some(lo), Some(hi)) if lo.1 != hi.1 => {
                        format!("`{}` goes from {} to {}", k.key(), lo.1, hi.1)
                    }
                    (Some(lo), _) => format!("`{}` is {}", k.key(), lo.1),
                    _ => format!("`{}` moves", k.key()),
                }
            })
            .collect();
        format!("as {} ({} points)", spans.join(" and "), points.len())
    };
    let worlds = results[0].analysis.worlds.as_ref();
    let question = match worlds {
        None => format!(
            "How does the mean {} of {} move {moved}, and which option makes the most profit where?",
            metric.name(),
            quoted(&variants)
        ),
        Some(w) => {
            let options: Vec<&str> = w.options.iter().map(String::as_str).collect();
            let states: Vec<&str> = w.worlds.iter().map(|x| x.name.as_str()).collect();
            format!(
                "How does the mean {} of the options {} in each state of the world ({}) move {moved}, and which option makes the most profit in each world where?",
                metric.name(),
                quoted(&options),
                quoted(&states)
            )
        }
    };

    // The answer: where the best option changes, then each variant's range.
    let mut answer = Answer::default();
    match worlds {
        None => {
            let best: Vec<Option<usize>> = results.iter().map(best_variant).collect();
            answer.headline = changes(&best, &labels, &|b| variants[b].to_string(), "");
        }
        Some(w0) => {
            let robust: Vec<Option<usize>> = results
                .iter()
                .map(|r| r.analysis.worlds.as_ref().and_then(|w| w.robust))
                .collect();
            let everywhere = robust[0].filter(|&o| robust.iter().all(|&r| r == Some(o)));
            answer.headline = match everywhere {
                Some(o) => format!(
                    "`{}` makes the most mean profit in every world at every one of the {} points.",
                    w0.options[o],
                    points.len()
                ),
                None => "Which option makes the most profit depends on the world or the point:"
                    .to_string(),
            };
            for (wi, world) in w0.worlds.iter().enumerate() {
                if everywhere.is_some() {
                    break;
                }
                let best: Vec<Option<usize>> = results
                    .iter()
                    .map(|r| r.analysis.worlds.as_ref().and_then(|w| w.worlds[wi].best))
                    .collect();
                let among = format!(" in world `{}`", world.name);
                answer
                    .details
                    .push(changes(&best, &labels, &|o| w0.options[o].clone(), &among));
            }
        }
    }
    for (v, name) in variants.iter().enumerate() {
        let means: Vec<(usize, f64)> = results
            .iter()
            .enumerate()
            .map(|(i, r)| (i, r.analysis.variants[v].mean(metric)))
            .filter(|(_, m)| m.is_finite())
            .collect();
        let lo = means.iter().min_by(|a, b| a.1.total_cmp(&b.1));
        let hi = means.iter().max_by(|a, b| a.1.total_cmp(&b.1));
        if let (Some(&(_, lo)), Some(&(_, hi))) = (lo, hi) {
            if fmt_value(metric, lo) == fmt_value(metric, hi) {
                answer.details.push(format!(
                    "Mean {} of `{name}`: {} at every point.",
                    metric.name(),
                    fmt_value(metric, lo)
                ));
                continue;
            }
        }
        if let (Some(&(ilo, lo)), Some(&(ihi, hi))) = (lo, hi) {
            answer.details.push(format!(
                "Mean {} of `{name}`: from {} (at {}) to {} (at {}).",
                metric.name(),
                fmt_value(metric, lo),
                labels[ilo],
                fmt_value(metric, hi),
                labels[ihi]
            ));
        }
    }
    if let Some(note) = &record.chart_note {
        answer.notes.push(note.clone());
    }
    answer
        .notes
        .extend(base.warnings().iter().map(|w| w.to_string()));

    let facts = format!(
        "{} points × {} trials per variant over {} days, on common random numbers (every point uses the same seed {}); scenario `{}`{}; all money in {}. The best option at a point is the one with the highest mean profit there.",
        points.len(),
        spec.trials(),
        spec.horizon_days(),
        spec.seed(),
        record.header.scenario,
        record
            .header
            .params_csv
            .as_ref()
            .map_or(String::new(), |p| format!(" with `--params {p}`")),
        points[0].scenario.currency()
    );

    let table = points_table(points, results, metric, &keys, &variants);
    let mut names: Vec<String> = variants.iter().map(|v| v.to_string()).collect();
    names.extend(keys.iter().map(|k| k.key().to_string()));
    names.extend(points.iter().map(|p| p.point.name.clone()));
    if let Some(w) = worlds {
        names.extend(w.options.iter().cloned());
        names.extend(w.worlds.iter().map(|x| x.name.clone()));
    }
    names.push(record.header.scenario.clone());
    names.extend(record.header.params_csv.clone());
    let page = AnalysisPage {
        kind: "sweep",
        name: spec.name(),
        question,
        answer,
        facts,
        charts: charts
            .iter()
            .map(|c| (c, chart_caption(&c.stem, metric)))
            .collect(),
        no_charts: record.chart_note.clone(),
        sections: vec![Section {
            id: "points",
            title: "Points".to_string(),
            body: table,
        }],
        command: record.command.clone(),
        names,
    };
    analysis_html(&page)
}

/// The points' table: per point its values, each variant's mean of `metric` with its 95%
/// interval, and the best option by mean profit with its P(best).
fn points_table(
    points: &[PreparedPoint],
    results: &[PointResult],
    metric: Metric,
    keys: &[InputKey],
    variants: &[&str],
) -> Markup {
    let named = points
        .iter()
        .any(|p| keys.is_empty() || p.point.name != value_name(&p.point.values));
    let mean_head = |v: &str| format!("{v}: mean {} [95% CI]", metric.name());
    html! {
        p { "Each variant's mean " (metric.name()) " at every point with its 95% interval, and the option with the highest mean profit there (its P(best): the share of trials in which it makes the most profit)." }
        div class="scroll" {
            table id="points-table" class="cards" {
                thead {
                    tr {
                        th { "point" }
                        @if named { th class="l" { "name" } }
                        @for k in keys { th { code { (k.key()) } } }
                        @for v in variants { th { (mean_head(v)) } }
                        th class="l" {
                            @if results[0].analysis.worlds.is_some() { "best (mean profit) in each world" } @else { "best (mean profit)" }
                            span class="sub" { "P(best)" }
                        }
                    }
                }
                tbody {
                    @for (i, (p, r)) in points.iter().zip(results).enumerate().take(SHOWN_POINTS) {
                        tr {
                            td class="wide" data-label="point" {
                                b { (i + 1) }
                                @if let Some(only) = &p.point.variant { " (on " code { (only) } " only)" }
                            }
                            @if named { td class="l" data-label="name" { (p.point.name) } }
                            @for k in keys {
                                td data-label=(k.key()) { (p.point.value(k).map(|d| d.to_string()).unwrap_or_default()) }
                            }
                            @for (v, name) in variants.iter().enumerate() {
                                @let s = r.analysis.variants[v].summary(metric);
                                td class="nowrap" data-label=(mean_head(name)) {
                                    @match s {
                                        Some(s) => {
                                            span class=[(s.mean.point < 0.0).then_some("neg")] { (fmt_value(metric, s.mean.point)) }
                                            span class="sub" { "[" (fmt_value(metric, s.mean.ci_low)) ", " (fmt_value(metric, s.mean.ci_high)) "]" }
                                        },
                                        None => "n/a",
                                    }
                                }
                            }
                            @match &r.analysis.worlds {
                                // Per world: its best option and P(best) among that world's options.
                                Some(w) => td class="l best wide" data-label="best (mean profit) in each world" {
                                    @for world in &w.worlds {
                                        span class="sub" {
                                            (world.name) ": "
                                            @match world.best.and_then(|o| world.cells[o].as_ref().map(|c| (o, c))) {
                                                Some((o, c)) => { b { (w.options[o]) } " (P(best) " (fmt_percent(c.p_best)) ")" },
                                                None => "n/a",
                                            }
                                        }
                                    }
                                },
                                None => @match best_variant(r) {
                                    Some(b) => td class="l best" data-label="best (mean profit)" {
                                        (swatch(b)) b { (variants[b]) }
                                        span class="sub" { "P(best) " (fmt_percent(r.analysis.variants[b].p_best)) }
                                    },
                                    None => td class="l best" data-label="best (mean profit)" { "n/a" },
                                },
                            }
                        }
                    }
                }
            }
        }
        @if points.len() > SHOWN_POINTS {
            p class="src" { "The first " (SHOWN_POINTS) " of " (points.len()) " points." }
        }
        p class="src" { code { "sweep.csv" } ": every output of every variant at every point (mean, its 95% interval, p5, p50, p95, n; and P(loss)); " code { "sweep_pairs.csv" } ": every pair's paired difference and P(A beats B)." }
    }
}

#[cfg(test)]
mod tests {
    use super::stretches;

    #[test]
    fn stretches_join_consecutive_points_with_the_same_best() {
        assert_eq!(
            stretches(&[Some(0), Some(0), Some(1), None, Some(1)]),
            vec![
                (Some(0), 0, 1),
                (Some(1), 2, 2),
                (None, 3, 3),
                (Some(1), 4, 4)
            ]
        );
        assert_eq!(stretches(&[Some(2)]), vec![(Some(2), 0, 0)]);
    }
}
