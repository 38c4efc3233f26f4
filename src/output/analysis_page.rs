//! The frame of an analysis's `report.html` (sweep, sensitivity, threshold, fit): the
//! question, the answer in words first, what was run, the charts, the tables, and the
//! command that reproduces it — one self-contained page like a run's report, laid out by
//! [`super::page`]. Each analysis composes its own answer and tables (in its `page`
//! module); this module only arranges them and quotes the command line for a shell.

use maud::{html, Markup};

use super::charts::Rendered;
use super::page::{breakable, chart_figure, page, typeset};

/// The answer in words: a headline, then sentences, then notes a reader should know
/// before trusting it. Texts may quote names in backticks (typeset as code).
#[derive(Clone, Debug, Default)]
pub struct Answer {
    /// The first sentence: what the analysis found.
    pub headline: String,
    /// What follows from it, a paragraph each.
    pub details: Vec<String>,
    /// Caveats and notes (a rule left out, a chart not drawn, a warning).
    pub notes: Vec<String>,
}

/// One section of tables under its heading.
pub struct Section {
    /// Its anchor (`id`), for the contents line.
    pub id: &'static str,
    /// Its heading.
    pub title: String,
    /// Its content.
    pub body: Markup,
}

/// Everything an analysis page shows, in order.
pub struct AnalysisPage<'a> {
    /// The analysis, as a word: "sweep", "sensitivity", "threshold", "fit".
    pub kind: &'static str,
    /// The study (or fit) name, the page's title.
    pub name: &'a str,
    /// The question, in words.
    pub question: String,
    /// The answer, in words.
    pub answer: Answer,
    /// What was run: trials, seed, scenario, version (one line, plain text).
    pub facts: String,
    /// The charts of the folder, each with its caption.
    pub charts: Vec<(&'a Rendered, String)>,
    /// Why there are no charts, when there are none.
    pub no_charts: Option<String>,
    /// The tables, in order.
    pub sections: Vec<Section>,
    /// The command line that reproduces the folder.
    pub command: String,
    /// Names the texts may quote (variants, keys, files), matched whole when typeset.
    pub names: Vec<String>,
}

/// Builds the page.
pub fn analysis_html(p: &AnalysisPage<'_>) -> String {
    let names: Vec<&str> = p.names.iter().map(String::as_str).collect();
    let text = |t: &str| typeset(t, &names);
    let body = html! {
        h1 { (breakable(p.name)) ": " (p.kind) }
        p id="question" { b { "Question:" } " " (text(&p.question)) }
        section class="answer" id="answer" {
            p class="headline" { (text(&p.answer.headline)) }
            @for d in &p.answer.details { p { (text(d)) } }
            @if !p.answer.notes.is_empty() {
                p { b { "Notes:" } }
                ul { @for n in &p.answer.notes { li { (text(n)) } } }
            }
        }
        p class="src" id="facts" { (text(&p.facts)) }
        nav class="toc" {
            a href="#charts" { "Charts" } " "
            @for s in &p.sections { a href={ "#" (s.id) } { (s.title) } " " }
            a href="#reproduce" { "Reproduce" }
        }
        h2 id="charts" { "Charts" }
        @if p.charts.is_empty() {
            p { (text(p.no_charts.as_deref().unwrap_or("No charts were drawn (`--no-charts`)."))) }
        } @else {
            p class="src" { "Tap or click a chart to see it at full size." }
        }
        div class="charts" {
            @for (chart, caption) in &p.charts { (chart_figure(chart, caption)) }
        }
        @for s in &p.sections {
            h2 id=(s.id) { (s.title) }
            (s.body)
        }
        h2 id="reproduce" { "Reproduce" }
        p { "The same command gives the same numbers (on any number of threads; add " code { "--out DIR" } " to write elsewhere):" }
        div class="scroll" { p { code id="command" { (p.command) } } }
        p class="src" { "Made by shopsim " (crate::VERSION_AND_BUILD) "." }
    };
    page(&format!("{}: {} - shopsim", p.name, p.kind), body)
}

/// A cell of a card table: its value, labelled `label` on a phone's card.
pub fn cell(label: &str, value: Markup) -> Markup {
    html! { td data-label=(label) { (value) } }
}

/// "Every row is in `file`" under a table: the CSV the table is taken from.
pub fn full_table(files: &[&str]) -> Markup {
    html! {
        p class="src" {
            "Every row and column in "
            @for (i, f) in files.iter().enumerate() {
                @if i > 0 { @if i + 1 == files.len() { " and " } @else { ", " } }
                code { (f) }
            }
            "."
        }
    }
}

/// `word` as a shell reads it: as is when it holds only characters no shell splits or
/// expands, else in single quotes (a quote inside as `'\''`).
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/-+:=,@%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// A command line from its words, each quoted for a shell as needed.
pub fn command_line<S: AsRef<str>>(words: &[S]) -> String {
    words
        .iter()
        .map(|w| shell_word(w.as_ref()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_only_when_a_shell_would_change_them() {
        assert_eq!(
            command_line(&[
                "shopsim",
                "sweep",
                "s.toml",
                "--range",
                "price.retail=1:2:3"
            ]),
            "shopsim sweep s.toml --range price.retail=1:2:3"
        );
        assert_eq!(
            command_line(&["--a", "<script>alert(`1`)", "it's $x", ""]),
            r"--a '<script>alert(`1`)' 'it'\''s $x' ''"
        );
    }

    #[test]
    fn a_page_escapes_every_text_and_lists_its_sections() {
        let p = AnalysisPage {
            kind: "sweep",
            name: "a_b",
            question: "Does `<b>` win?".to_string(),
            answer: Answer {
                headline: "`<b>` wins & more".to_string(),
                details: vec!["x < y".to_string()],
                notes: vec![],
            },
            facts: "100 trials".to_string(),
            charts: vec![],
            no_charts: None,
            sections: vec![Section {
                id: "points",
                title: "Points".to_string(),
                body: html! { p { "t" } },
            }],
            command: "shopsim sweep '<b>'".to_string(),
            names: vec!["<b>".to_string()],
        };
        let html = analysis_html(&p);
        assert!(
            html.contains("<code>&lt;b&gt;</code> wins &amp; more"),
            "{html}"
        );
        assert!(!html.contains("<b>`"));
        assert!(html.contains("href=\"#points\""));
        assert!(html.contains("shopsim sweep '&lt;b&gt;'"));
        assert!(html.contains("<code>--no-charts</code>"));
    }
}
