//! `report.html` of a comparison folder (`shopsim compare`): the question, the answer in
//! words, the runs, what changed in their inputs, what could not be matched or compared,
//! the differences of the output, the charts, and the commands that make it again. One
//! self-contained page like a study's report, built with maud (every text escaped).

use maud::{html, Markup};

use super::charts::Rendered;
use super::page::{page, swatch, typeset};
use super::report::{chart_figure, shell_word};
use crate::compare::answer::answer;
use crate::compare::changes::Changes;
use crate::compare::load::Run;
use crate::compare::{run_letter, Comparison};
use crate::format::{fmt_number, fmt_value};
use crate::sim::Metric;

/// The names a text of this comparison may quote (its variants, runs and events), so a
/// name holding a backtick is still one code span.
fn quoted_names(c: &Comparison) -> Vec<&str> {
    let mut names: Vec<&str> = c.runs.iter().map(|r| r.label.as_str()).collect();
    for r in &c.runs {
        names.extend(r.variants.iter().map(String::as_str));
        names.extend(r.record.events.iter().map(|e| e.name.as_str()));
    }
    names
}

/// The question a comparison answers.
fn question(c: &Comparison) -> String {
    let labels: Vec<&str> = c.runs.iter().map(|r| r.label.as_str()).collect();
    match labels.as_slice() {
        [a, b] => format!(
            "What differs between run A ({a}) and run B ({b}), and what does it change in `{}`?",
            c.metric
        ),
        _ => format!(
            "What differs between run A ({}) and each later run ({}), and what does it change in `{}`?",
            labels[0],
            labels[1..].join(", "),
            c.metric
        ),
    }
}

/// The runs: where each is, what it is, and the command that makes it again.
fn runs_table(c: &Comparison) -> Markup {
    html! {
        h2 id="runs" { "Runs" }
        div class="scroll" {
            table id="runs-table" {
                tr {
                    th { "run" } th class="l" { "name" } th class="l" { "folder" } th class="l" { "study" }
                    th { "seed" } th { "trials" } th { "days" } th class="l" { "as of" } th class="l" { "currency" }
                    th class="l" { "variants" } th class="l" { "made by" }
                }
                @for (i, r) in c.runs.iter().enumerate() {
                    tr {
                        td { (swatch(i)) (run_letter(i)) }
                        td class="l" { (r.label) }
                        td class="l" { code { (r.dir.display().to_string()) } }
                        td class="l" { (r.study) }
                        td { (r.seed) }
                        td { (r.trials) }
                        td { (r.record.horizon_days) }
                        td class="l" { @if r.record.as_of.is_empty() { "not recorded" } @else { (r.record.as_of) } }
                        td class="l" { (r.currency) }
                        td class="l" { (r.variants.join(", ")) }
                        td class="l" { code { (run_command(r)) } br; span class="src" { "shopsim " (r.record.version_and_build()) } }
                    }
                }
            }
        }
    }
}

/// The command that makes a compared run again, from its record: its scenario (paths as
/// they were given, from the folder it was run in), seed, trials and `--params`.
fn run_command(r: &Run) -> String {
    let rec = &r.record;
    let mut command = if rec.scenario == crate::scenario::BUILT_IN_NAME {
        "shopsim run".to_string()
    } else if rec.scenario == crate::scenario::STDIN_NAME {
        // Read from standard input: the study folder keeps the copy.
        let copy = r.dir.join(super::folder::STDIN_SCENARIO);
        format!(
            "shopsim run - < {}",
            shell_word(&copy.display().to_string())
        )
    } else {
        format!("shopsim run {}", shell_word(&rec.scenario))
    };
    command.push_str(&format!(" --seed {} --trials {}", rec.seed, rec.trials));
    if let Some(p) = &rec.params_csv {
        command.push_str(&format!(" --params {}", shell_word(p)));
    }
    if let Some(out) = r.dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        command.push_str(&format!(
            " --out {}",
            shell_word(&out.display().to_string())
        ));
    }
    command
}

/// What differs between two runs, grouped by run settings, events, all variants and
/// each variant, with both values and sources.
fn changes_section(c: &Comparison, pair: &Changes, index: usize) -> Markup {
    let (la, lb) = (&c.runs[pair.run_a].label, &c.runs[pair.run_b].label);
    let names = quoted_names(c);
    let typeset = |text: &str| typeset(text, &names);
    let id = if index == 0 {
        "changes-table".to_string()
    } else {
        format!("changes-table-{}", index + 1)
    };
    html! {
        @if c.changes.len() > 1 {
            h3 { (la) " → " (lb) }
        }
        @if pair.is_empty() {
            p class="no-changes" {
                "Nothing differs in the inputs of " (la) " and " (lb)
                ": the same settings, events, variants and parameter values."
            }
        } @else {
            div class="scroll" {
                table id=(id) class="changes" {
                    tr {
                        th class="l" { "key" } th class="l" { "in " (la) } th class="l" { "in " (lb) }
                        th class="l" { "source in " (la) } th class="l" { "source in " (lb) }
                    }
                    @for (scope, changes) in pair.groups() {
                        tr { th class="l" colspan="5" { (typeset(&scope.heading())) } }
                        @for ch in changes {
                            tr {
                                td class="l" { code { (ch.key) } }
                                td class="l" { (ch.value_a.as_deref().unwrap_or("(none)")) }
                                td class="l" { (ch.value_b.as_deref().unwrap_or("(none)")) }
                                td class="l" { span class="src" { (typeset(&ch.source_a)) } }
                                td class="l" { span class="src" { (typeset(&ch.source_b)) } }
                            }
                        }
                    }
                }
            }
        }
        @if !pair.not_compared.is_empty() {
            p { "Not compared (the runs' records do not hold the same fields):" }
            ul { @for n in &pair.not_compared { li class="warn" { (typeset(n)) } } }
        }
    }
}

/// The page of `shopsim compare`; `command` makes it again.
pub fn compare_html(c: &Comparison, charts: &[Rendered], command: &str) -> String {
    let metric = Metric::from_name(&c.metric);
    let show = |x: f64| match metric {
        Some(m) => fmt_value(m, x),
        None => fmt_number(x),
    };
    let said = answer(c);
    let labels: Vec<&str> = c.runs.iter().map(|r| r.label.as_str()).collect();
    let names = quoted_names(c);
    let typeset = |text: &str| typeset(text, &names);
    let body = html! {
        h1 { "Comparison of runs: " (labels.join(" and ")) }
        p { b { "Question:" } " " (typeset(&question(c))) }
        section class="answer" id="answer" {
            p class="headline" { (typeset(&said.headline)) }
            @for d in &said.details { p { (typeset(d)) } }
        }
        p {
            "Output compared: " code { (c.metric) } "; " (c.matched.len()) " variants matched by name. "
            "Money in " (c.runs[0].currency) ". Read from the runs' files; nothing was simulated again."
        }
        (runs_table(c))
        h2 id="changes" { "What changed" }
        p {
            "Every input whose value differs: the run's settings, the peak events, and each variant's setting and final parameter values, with the layer and file each value came from. "
            "A change the same in every variant both runs have is listed once, under all variants. "
            "Sources are shown, not compared: a value that moved to another line of its file is not a change. "
            "The same rows are in " code { "changes.csv" } "."
        }
        @for (i, pair) in c.changes.iter().enumerate() { (changes_section(c, pair, i)) }
        @if !c.notes.is_empty() {
            h2 id="unmatched" { "Notes" }
            ul { @for n in &c.notes { li class="warn" { (typeset(n)) } } }
        }
        h2 id="differences" { "Differences" }
        p { "Each later run against the first run that has the variant. Runs with the same seed that kept their trials are compared trial by trial (paired); otherwise as independent samples. An interval that excludes 0 is a difference the trials can see." }
        div class="scroll" {
            table id="differences-table" {
                tr { th class="l" { "variant" } th class="l" { "run A" } th class="l" { "run B" } th { "mean A" } th { "mean B" } th { "B − A" } th { "95% CI" } th class="l" { "method" } }
                @for d in &c.diffs {
                    tr {
                        td class="l" { (d.variant) }
                        td class="l" { (c.runs[d.run_a].label) }
                        td class="l" { (c.runs[d.run_b].label) }
                        td { (show(d.mean_a)) }
                        td { (show(d.mean_b)) }
                        td class=[(d.diff.point < 0.0).then_some("neg")] { (show(d.diff.point)) }
                        td { "[" (show(d.diff.ci_low)) ", " (show(d.diff.ci_high)) "]" }
                        td class="l" { (d.method.name()) }
                    }
                }
            }
        }
        p class="src" { "Every difference is in " code { "comparison.csv" } "." }
        h2 id="charts" { "Charts" }
        p class="src" { "Tap or click a chart to see it at full size." }
        div class="charts" {
            @for chart in charts { (chart_figure(chart)) }
        }
        h2 id="reproduce" { "Reproduce" }
        p { "This comparison, from the folder it was made in: " code { (command) } }
        p { "Each run, from the folder it was run in (its scenario and " code { "--params" } " file as they were then): the commands in the runs table above." }
        p class="src" { "Made by shopsim " (crate::VERSION_AND_BUILD) "." }
    };
    page(
        &format!("Comparison of runs: {} - shopsim", labels.join(" and ")),
        body,
    )
}
