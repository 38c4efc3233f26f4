//! A threshold's `report.html`: where A starts to beat B, with the interval the Monte
//! Carlo error leaves (or that it does not cross, with P at both ends), the chart, every
//! value run (`threshold.csv`), and the command that reproduces it. Every figure is the
//! one `threshold.json` and `threshold.csv` hold.

use maud::html;

use super::record::ThresholdRecord;
use super::search::Direction;
use super::{Question, Run};
use crate::format::{fmt_percent, fmt_significant, fmt_value};
use crate::output::analysis_page::{analysis_html, full_table, AnalysisPage, Answer, Section};
use crate::output::charts::Rendered;
use crate::scenario::Scenario;

/// The answer in words, from the record: the headline, then P at the interval's ends.
/// `integer`: the parameter takes whole numbers, so the threshold is the first value the
/// target holds at ("at 3 and up"), or the last when P falls ("at 3 and down"), not a
/// point it crosses.
pub fn answer(r: &ThresholdRecord, integer: bool) -> Answer {
    let on =
        r.on.as_ref()
            .map(|v| format!(" (moved on `{v}` only)"))
            .unwrap_or_default();
    let target = fmt_percent(r.prob);
    let ends = format!(
        "P(`{}` beats `{}` on {}) is {} at `{}` = {} and {} at {}.",
        r.a,
        r.b,
        r.metric,
        fmt_percent(r.p_at_ends[0]),
        r.param,
        fmt_significant(r.between[0]),
        fmt_percent(r.p_at_ends[1]),
        fmt_significant(r.between[1])
    );
    let mut answer = Answer::default();
    match r.value {
        Some(v) => {
            let at = format!("`{}` = {}", r.param, fmt_significant(v));
            let (side, other) = Direction::named(r.direction.as_deref()).sides(&at, integer);
            answer.headline = format!(
                "`{}` beats `{}` on {} with probability {target} or more {side}{on} (95% interval {} to {}); {other} it, less often.",
                r.a,
                r.b,
                r.metric,
                r.value_low
                    .map_or("below the interval searched".to_string(), fmt_significant),
                r.value_high
                    .map_or("above the interval searched".to_string(), fmt_significant),
            );
            answer.details.push(ends);
            if r.crossings > 1 {
                answer.notes.push(format!(
                    "P crosses {target} {} times between {} and {}; this is the first (see the chart and every value below).",
                    r.crossings,
                    fmt_significant(r.between[0]),
                    fmt_significant(r.between[1])
                ));
            }
        }
        None => {
            answer.headline = format!(
                "P(`{}` beats `{}` on {}) does not cross {target} between `{}` = {} and {}{on}.",
                r.a,
                r.b,
                r.metric,
                r.param,
                fmt_significant(r.between[0]),
                fmt_significant(r.between[1])
            );
            answer.details.push(ends);
        }
    }
    answer
}

/// How to read the threshold chart.
fn chart_caption(r: &ThresholdRecord) -> String {
    format!(
        "P({} beats {} on {}) at every value run, from paired trials (the band: its 95% interval). The line across is the target, {}; where the curve crosses it is the threshold, shaded over its 95% interval.",
        r.a,
        r.b,
        r.metric,
        fmt_percent(r.prob)
    )
}

/// Builds the page. `scenario` is the study as given (its warnings, currency).
pub fn threshold_html(
    scenario: &Scenario,
    q: &Question<'_>,
    runs: &[Run],
    record: &ThresholdRecord,
    charts: &[Rendered],
) -> String {
    let r = record;
    let on =
        r.on.as_ref()
            .map(|v| format!(", moved on `{v}` only"))
            .unwrap_or_default();
    let how_often = if r.prob == 0.5 {
        "more often than not".to_string()
    } else {
        format!("with probability {} or more", fmt_percent(r.prob))
    };
    let question = format!(
        "At what `{}` (between {} and {}{on}) does `{}` start to beat `{}` on {} {how_often}?",
        r.param,
        fmt_significant(r.between[0]),
        fmt_significant(r.between[1]),
        r.a,
        r.b,
        r.metric
    );
    let mut answer = answer(r, q.param.integer());
    answer
        .notes
        .extend(scenario.warnings().iter().map(|w| w.to_string()));
    let facts = format!(
        "{} values of `{}` run, each a study of `{}` and `{}` with {} trials over {} days on the same seed {} (common random numbers: A and B share every trial); scenario `{}`{}; all money in {}. A beats B in a trial when it is better on {}.",
        r.values_run,
        r.param,
        r.a,
        r.b,
        r.header.trials,
        q.base.scenario.spec().horizon_days(),
        r.header.seed,
        r.header.scenario,
        r.header
            .params_csv
            .as_ref()
            .map_or(String::new(), |p| format!(" with `--params {p}`")),
        scenario.currency(),
        r.metric
    );
    let metric = q.metric;
    let head_a = format!("mean {} of {}", r.metric, r.a);
    let head_b = format!("mean {} of {}", r.metric, r.b);
    let table = html! {
        p { "Every value the search ran, in order: P(A beats B) with its 95% interval, the paired mean difference A − B with its interval, and each variant's mean." }
        div class="scroll" {
            table id="values-table" class="cards" {
                thead {
                    tr {
                        th { code { (r.param) } }
                        th { "P(" (r.a) " beats " (r.b) ")" span class="sub" { "[95% CI]" } }
                        th { "mean " (r.a) " − " (r.b) span class="sub" { "[95% CI]" } }
                        th { (head_a) }
                        th { (head_b) }
                    }
                }
                tbody {
                    @for run in runs {
                        @let (p, low, high) = crate::points::beats(&run.result, q.a, q.b, metric);
                        @let d = run.result.analysis.pair(q.a, q.b).and_then(|x| x.of(metric));
                        @let vs = &run.result.analysis.variants;
                        tr class=[(r.value == Some(run.value)).then_some("threshold")] {
                            td class="wide" data-label=(r.param) { b { (fmt_significant(run.value)) } }
                            td class="nowrap" data-label="P(A beats B)" {
                                (fmt_percent(p)) span class="sub" { "[" (fmt_percent(low)) ", " (fmt_percent(high)) "]" }
                            }
                            td class="nowrap" data-label="mean A − B" {
                                @match d {
                                    Some(d) => {
                                        span class=[(d.diff.point < 0.0).then_some("neg")] { (fmt_value(metric, d.diff.point)) }
                                        span class="sub" { "[" (fmt_value(metric, d.diff.ci_low)) ", " (fmt_value(metric, d.diff.ci_high)) "]" }
                                    },
                                    None => "n/a",
                                }
                            }
                            td data-label=(head_a) { (fmt_value(metric, vs[q.a].mean(metric))) }
                            td data-label=(head_b) { (fmt_value(metric, vs[q.b].mean(metric))) }
                        }
                    }
                }
            }
        }
        (full_table(&["threshold.csv"]))
    };
    let mut names = vec![
        r.a.clone(),
        r.b.clone(),
        r.param.clone(),
        r.header.scenario.clone(),
    ];
    names.extend(r.on.clone());
    names.extend(r.header.params_csv.clone());
    let page = AnalysisPage {
        kind: "threshold",
        name: &r.header.study,
        question,
        answer,
        facts,
        charts: charts.iter().map(|c| (c, chart_caption(r))).collect(),
        no_charts: None,
        sections: vec![Section {
            id: "values",
            title: "Values run".to_string(),
            body: table,
        }],
        command: r.command.clone(),
        names,
    };
    analysis_html(&page)
}
