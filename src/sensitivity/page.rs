//! A sensitivity analysis's `report.html`: which inputs move each target most, by their
//! one-at-a-time swing (tornado) and by their share of the variance (Sobol indices, with
//! intervals), the charts, the top rows of `sensitivity.csv`, and the command that
//! reproduces it. Every figure is the one `sensitivity.csv` holds.

use maud::{html, Markup};

use super::analysis::{Findings, Plan};
use super::record::SensitivityRecord;
use super::sobol::Indices;
use super::{widest, InputKind, Target};
use crate::format::{fmt_value, signed_or_na};
use crate::output::analysis_page::{analysis_html, AnalysisPage, Answer, Section};
use crate::output::charts::Rendered;

/// The answer names this many of each target's widest swings.
const ANSWER_SWINGS: usize = 3;
/// And this many of its largest total Sobol indices (as the terminal).
const ANSWER_SOBOL: usize = 4;
/// The table lists this many of each target's widest swings (`sensitivity.csv` has all).
const TABLE_SWINGS: usize = 12;
/// And this many of its largest total Sobol indices.
const TABLE_SOBOL: usize = 10;

/// A Sobol index as `0.45 [0.40, 0.50]`.
fn index(i: &super::sobol::Index) -> String {
    format!("{:.2} [{:.2}, {:.2}]", i.value, i.low, i.high)
}

/// A factor as the answer names it: a parameter's key in code, a group in words.
fn factor_name(f: super::sobol::Factor) -> String {
    match f {
        super::sobol::Factor::Param(p) => format!("`{}`", p.key()),
        other => other.name(),
    }
}

/// A target's factors by total Sobol index, largest first (undefined ones left out).
fn by_total(all: &[Indices]) -> Vec<&Indices> {
    let mut out: Vec<&Indices> = all.iter().filter(|i| i.total.value.is_finite()).collect();
    out.sort_by(|a, b| b.total.value.total_cmp(&a.total.value));
    out
}

/// How to read a chart of the analysis (`tornado_<target>`, `spider_<target>`).
fn chart_caption(stem: &str, target: &str, metric: &str) -> String {
    if stem.starts_with("tornado") {
        format!("What moves the mean {metric} of {target}: each bar is one input swung alone (an uncertain input from its 10th to its 90th percentile, a fixed one by ±20%, or the range given), all else as the scenario has it; the line is the base mean.")
    } else {
        format!("The mean {metric} of {target} at five positions of each of its widest-swinging inputs (p10, p30, p50, p70, p90 or −20% to +20%).")
    }
}

/// Builds the page. `names` are the targets' names as the tables and charts give them;
/// `charts` come in the command's order: a tornado and a spider per target.
pub fn sensitivity_html(
    plan: &Plan,
    findings: &Findings,
    names: &[String],
    record: &SensitivityRecord,
    charts: &[Rendered],
) -> String {
    let spec = plan.study.spec();
    let metric = plan.metric;
    let m = metric.name();
    let effects = &findings.effects;
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    let question = match plan.targets.first() {
        Some(Target::Difference { .. }) => format!(
            "Which inputs move the difference in {m} {} most: which decide the choice between them?",
            quoted.join(", ")
        ),
        _ => format!("Which inputs move the {m} of {} most?", quoted.join(", ")),
    };

    let mut answer = Answer::default();
    let mut headline = Vec::new();
    for (t, name) in names.iter().enumerate() {
        let top = widest(&effects[t], ANSWER_SWINGS);
        let swing = |i: usize| {
            let sw = &plan.swings[i];
            let e = &effects[t][i];
            format!(
                "`{}` {} ({m} from {} to {})",
                sw.param.key(),
                sw.range(&plan.targets[t]),
                fmt_value(metric, e.at[0]),
                fmt_value(metric, e.at[4])
            )
        };
        if let Some(&first) = top.first() {
            headline.push(format!(
                "`{}` moves `{name}` most",
                plan.swings[first].param.key()
            ));
        }
        let mut text = format!(
            "`{name}` (mean {m} {}): ",
            fmt_value(metric, findings.base_means[t])
        );
        if top.is_empty() {
            text.push_str("no input swung moves it.");
        } else {
            text.push_str(&format!(
                "the widest swings are {}.",
                top.iter().map(|&i| swing(i)).collect::<Vec<_>>().join("; ")
            ));
        }
        if let Some(all) = findings.sobol.get(t) {
            let top: Vec<String> = by_total(all)
                .iter()
                .take(ANSWER_SOBOL)
                .map(|i| format!("{} {}", factor_name(i.factor), index(&i.total)))
                .collect();
            if !top.is_empty() {
                text.push_str(&format!(
                    " By share of the variance (total Sobol index, 95% interval): {}.",
                    top.join("; ")
                ));
            }
        }
        answer.details.push(text);
    }
    answer.headline = if headline.is_empty() {
        "No input swung moves the targets.".to_string()
    } else {
        format!("{}.", headline.join("; "))
    };
    if !plan.skipped.is_empty() {
        answer.notes.push(format!(
            "Not swung, because an end breaks a rule between parameters: {}.",
            plan.skipped.join("; ")
        ));
    }
    if let Some(note) = &findings.sobol_note {
        answer.notes.push(note.clone());
    }
    answer
        .notes
        .extend(plan.study.warnings().iter().map(|w| w.to_string()));

    let facts = format!(
        "{} inputs swung one at a time (a run of {} trials over {} days, and each swing on the same trials, all on seed {}: common random numbers, so a swing's effect is paired trial by trial and its standard error is shown; a swing stops adding trials once that is within {}% of the widest bar; {} trials in all){}; scenario `{}`{}; all money in {}.",
        record.inputs_swung,
        spec.trials(),
        spec.horizon_days(),
        spec.seed(),
        record.swing_tolerance * 100.0,
        crate::format::fmt_count(record.trials_run),
        if record.sobol_rows > 0 {
            format!(
                "; Sobol indices from a design of up to {} rows per input (fewer once its 95% intervals are at most {} wide), first-order indices of inputs from the run's own trials",
                record.sobol_rows, record.sobol_width
            )
        } else {
            String::new()
        },
        record.header.scenario,
        record
            .header
            .params_csv
            .as_ref()
            .map_or(String::new(), |p| format!(" with `--params {p}`")),
        plan.study.currency()
    );

    // The charts come as a tornado and a spider per target, in the targets' order.
    let captioned: Vec<(&Rendered, String)> = charts
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let target = names.get(k / 2).map_or("", String::as_str);
            (c, chart_caption(&c.stem, target, m))
        })
        .collect();
    let sections = vec![
        Section {
            id: "swings",
            title: "Widest swings".to_string(),
            body: swings_tables(plan, findings, names),
        },
        Section {
            id: "sobol",
            title: "Share of the variance".to_string(),
            body: sobol_tables(findings, names, record.sobol_rows),
        },
    ];
    let mut quotable: Vec<String> = names.to_vec();
    quotable.extend(spec.variant_names());
    quotable.extend(plan.swings.iter().map(|s| s.param.key().to_string()));
    quotable.push(record.header.scenario.clone());
    quotable.extend(record.header.params_csv.clone());
    let page = AnalysisPage {
        kind: "sensitivity",
        name: spec.name(),
        question,
        answer,
        facts,
        charts: captioned,
        no_charts: None,
        sections,
        command: record.command.clone(),
        names: quotable,
    };
    analysis_html(&page)
}

/// Per target, its widest swings: the input, how it swings, the mean at each end, the
/// swing's width and the input's rank correlation with the target (uncertain inputs).
fn swings_tables(plan: &Plan, findings: &Findings, names: &[String]) -> Markup {
    let metric = plan.metric;
    let at_low = format!("mean {} at low", metric.name());
    let at_high = format!("mean {} at high", metric.name());
    html! {
        p { "Each input swung alone, all else as the scenario has it: an uncertain input from its 10th to its 90th percentile, a fixed one by ±20% (or the range given with " code { "--swing" } "). Each end is the base run's mean plus the mean difference of the same trials at that end (paired: common random numbers); a swing adds trials until its width's standard error is within " (format!("{}%", plan.tolerance * 100.0)) " of the widest bar and its order against its neighbours is settled, or the study's trials run out: the width's 95% margin and the trials are shown. The rank correlation is Spearman's, of the input with the target over the base run's trials, with its 95% interval." }
        @for (t, name) in names.iter().enumerate() {
            @let effects = &findings.effects[t];
            @let order = widest(effects, TABLE_SWINGS);
            h3 { code { (name) } " (mean " (metric.name()) " " (fmt_value(metric, findings.base_means[t])) ")" }
            @if order.is_empty() {
                p { "No input swung moves it." }
            } @else {
                div class="scroll" {
                    table class="cards swings" data-target=(name) {
                        thead {
                            tr {
                                th { "rank" } th class="l" { "input" } th class="l" { "swing" }
                                th { (at_low) } th { (at_high) } th { "width" span class="sub" { "± 95%, trials paired" } } th { "rank correlation" span class="sub" { "[95% CI]" } }
                            }
                        }
                        tbody {
                            @for (rank, &i) in order.iter().enumerate() {
                                @let sw = &plan.swings[i];
                                @let e = &effects[i];
                                @let rho = findings.ranks.iter().find(|c| c.target == t && sw.is_input_of(c));
                                tr {
                                    td data-label="rank" { (rank + 1) }
                                    td class="l wide input" data-label="input" { code { (sw.param.key()) } }
                                    td class="l" data-label="swing" {
                                        (sw.range(&plan.targets[t]))
                                        span class="sub" {
                                            @match (sw.given, sw.kind) {
                                                (true, _) => "as given",
                                                (false, InputKind::Uncertain) => "p10 → p90",
                                                (false, InputKind::Fixed) => "−20% → +20%",
                                            }
                                        }
                                    }
                                    td data-label=(at_low) { (fmt_value(metric, e.at[0])) }
                                    td data-label=(at_high) { (fmt_value(metric, e.at[4])) }
                                    td class="nowrap" data-label="width" {
                                        (fmt_value(metric, e.width()))
                                        span class="sub" { "± " (fmt_value(metric, 1.96 * e.width_se)) " (" (e.trials) " trials)" }
                                    }
                                    td class="nowrap" data-label="rank correlation" {
                                        @match rho {
                                            Some(c) => {
                                                (signed_or_na(c.rank.rho))
                                                span class="sub" { "[" (signed_or_na(c.rank.low)) ", " (signed_or_na(c.rank.high)) "]" }
                                            },
                                            None => "—",
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        p class="src" { "Every input of every target, its swing, rank correlation and Sobol indices, in " code { "sensitivity.csv" } "; each target's mean at the five positions of its widest swings in " code { "spider.csv" } "." }
    }
}

/// Per target, its factors by total Sobol index with the first-order index, each with its
/// bootstrap 95% interval.
fn sobol_tables(findings: &Findings, names: &[String], rows: u64) -> Markup {
    html! {
        @if findings.sobol.iter().all(Vec::is_empty) {
            p {
                @if rows == 0 { "Not estimated (" code { "--sobol 0" } ")." }
                @else { "Not estimated: " (findings.sobol_note.as_deref().unwrap_or("see the notes above")) }
            }
        } @else {
            p { "The share of the target's variance over trials each uncertain input explains: alone (first-order index) and with all its interactions (total index), each with its bootstrap 95% interval (an input's first-order index from the run's own trials, binned by the input's value; totals, and the groups' first-order indices, from a Saltelli design that adds rows until the intervals are narrow enough); the " (TABLE_SOBOL) " largest by total index (every factor in " code { "sensitivity.csv" } "). The trial's own randomness (demand, deliveries, returns) is one more factor: what no input explains." }
            @for (t, name) in names.iter().enumerate() {
                @if let Some(all) = findings.sobol.get(t) {
                    h3 { code { (name) } }
                    div class="scroll" {
                        table class="cards sobol" data-target=(name) {
                            thead { tr { th class="l" { "input" } th { "total index" span class="sub" { "[95% CI]" } } th { "first-order index" span class="sub" { "[95% CI]" } } } }
                            tbody {
                                @for i in by_total(all).into_iter().take(TABLE_SOBOL) {
                                    tr {
                                        td class="l wide" data-label="input" {
                                            @match i.factor {
                                                super::sobol::Factor::Param(p) => code { (p.key()) },
                                                other => (other.name()),
                                            }
                                        }
                                        td class="nowrap" data-label="total index" { (index(&i.total)) }
                                        td class="nowrap" data-label="first-order index" { (index(&i.first)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
