//! `report.html`: one self-contained page per study (charts inline, no scripts, no network):
//! the answer in plain words first, then the verdict table, the charts, the pairwise
//! comparisons, the events, every parameter's final value with its source, and how the run
//! was made. Built with maud, which escapes every interpolated text.

pub use super::analysis_page::shell_word;
use maud::{html, Markup};

use super::charts::Rendered;
use super::manifest::RunFacts;
use super::page::{breakable, page, swatch, typeset};
use super::tables::{pairs_note, report_pairs};
use super::verdict::verdict;
use crate::format::{fmt_number, fmt_percent, fmt_value};
use crate::params::SPECS;
use crate::scenario::Scenario;
use crate::sim::{EventFactor, Metric};
use crate::stats::StudyAnalysis;

/// How to read each chart, shown under it (and in the README).
pub fn chart_caption(stem: &str) -> &'static str {
    match stem {
        "profit_distribution" => "Each variant's profit over the horizon across trials. Solid lines are means, dashed lines the 5th and 95th percentiles; the legend gives the probability of a loss. Overlap means the choice is uncertain.",
        "margin" => "Profit as a share of net revenue per trial: the box holds the middle half of trials, the black line is the median, whiskers reach the 5th and 95th percentiles.",
        "delivery_delay" => "Share of parcels delivered within a number of days. The dashed line is the promise date; the legend gives the on-time rate. Variants on the same loop type share their delays.",
        "returns_complaints" => "Return and complaint rates per order: dots are means over trials, bars span the 5th to 95th percentile.",
        "cumulative_profit" => "Cumulative profit by day: the band holds 90% of trials, the line is the median. Shaded days are peak events; a dot marks the median break-even day where at least half the trials break even.",
        "cash" => "Cash position by day (stock bought, costs paid, payouts received after delivery and settlement). Where the band crosses the red line, the seller needs more than the available capital.",
        "where_the_money_goes" => "Mean GMV (left bar) against its costs (right bar, stacked by kind). GMV minus all costs is the profit printed on top.",
        "compare_boxes" => "The same variant in each run: boxes from each run's summary (25th-75th percentile, whiskers 5th-95th, black dot the mean), one colour per run.",
        "compare_distributions" => "Per-trial distributions of each variant, overlaid run by run (only for runs written with --write-trials).",
        "head_to_head" => "Per-trial profit of A minus B on the same random trials (common random numbers). Right of the black line A wins; the title gives P(A beats B).",
        _ => "",
    }
}

/// A chart with its caption (the figure and its full-size view are the page's).
pub(super) fn chart_figure(chart: &Rendered) -> Markup {
    super::page::chart_figure(chart, chart_caption(&chart.stem))
}

/// A money cell labelled `label` (shown on a card), red when negative.
fn money_cell(v: f64, label: &str) -> Markup {
    html! { td class=[(v < 0.0).then_some("neg")] data-label=(label) { (fmt_number(v)) } }
}

/// The names a text of this study may quote: its variants' and its own, for [`typeset`].
fn quoted_names(scenario: &Scenario) -> Vec<&str> {
    let spec = scenario.spec();
    spec.variants()
        .iter()
        .map(|v| v.name())
        .chain([spec.name()])
        .collect()
}

/// The answer in plain words, typeset (the verdict's `names` in code).
fn answer(scenario: &Scenario, analysis: &StudyAnalysis) -> Markup {
    let v = verdict(scenario, analysis);
    let names = quoted_names(scenario);
    let text = |t: &str| typeset(t, &names);
    html! {
        section class="answer" id="answer" {
            p class="headline" { (text(&v.headline)) }
            @for d in &v.details { p { (text(d)) } }
            @if let Some(why) = &v.drivers { p { (text(why)) } }
            @if let Some(next) = &v.next_step { p { (text(next)) } }
            @if !v.caveats.is_empty() {
                p { b { "Caveats:" } }
                ul { @for c in &v.caveats { li { (text(c)) } } }
            }
        }
    }
}

/// The verdict table, ranked by mean profit: every column fits a desktop's width (the
/// variant's setting and the profit's interval sit under their values); on a phone each
/// variant is a card whose cells carry their header as a label.
fn verdict_table(scenario: &Scenario, analysis: &StudyAnalysis) -> Markup {
    let cur = scenario.currency();
    let spec = scenario.spec();
    let profit_head = format!("mean profit ({cur}) [95% CI]");
    let cvar_head = format!("CVaR 5% ({cur})");
    let capital_head = format!("working capital needed, mean ({cur})");
    let per_order_head = format!("profit per order, mean ({cur})");
    let heads: [&str; 11] = [
        "P(best)",
        "P(loss)",
        &cvar_head,
        &capital_head,
        "P(running out of cash)",
        "median break-even day",
        &per_order_head,
        "contribution margin, median",
        "median margin",
        "return rate",
        "on-time rate",
    ];
    html! {
        h2 id="verdict" { "Verdict" }
        p class="src" { "Ranked by mean profit, best first." }
        div class="scroll" {
            table id="verdict-table" class="cards" {
                thead {
                    tr {
                        th class="l" { "rank, variant" span class="sub" { "model / loop / route / market" } }
                        th { (profit_head) }
                        @for h in heads { th { (h) } }
                    }
                }
                tbody {
                    @for (rank, &i) in analysis.ranked_by_profit().iter().enumerate() {
                        @let v = &spec.variants()[i];
                        @let a = &analysis.variants[i];
                        @let s = v.setting();
                        tr {
                            td class="l wide name" {
                                span class="nowrap" { (swatch(i)) (rank + 1) ". " b { (v.name()) } }
                                span class="sub" { (s.model) " / " (s.loop_type()) " / " (s.route) " / " (s.market) }
                            }
                            @match a.summary(Metric::Profit) {
                                Some(p) => td class="wide profit" data-label=(profit_head) {
                                    span class=[(p.mean.point < 0.0).then_some("neg")] { (fmt_number(p.mean.point)) }
                                    span class="sub" { "[" (fmt_number(p.mean.ci_low)) ", " (fmt_number(p.mean.ci_high)) "]" }
                                },
                                None => td class="wide profit" data-label=(profit_head) { "n/a" },
                            }
                            td data-label=(heads[0]) { (fmt_percent(a.p_best)) }
                            td data-label=(heads[1]) { (fmt_percent(a.p_loss.p)) }
                            (money_cell(a.cvar5, heads[2]))
                            (money_cell(a.mean(Metric::WorkingCapitalNeeded), heads[3]))
                            td data-label=(heads[4]) { (fmt_percent(a.mean(Metric::CapitalShortfall))) }
                            td data-label=(heads[5]) { (a.median_break_even.map_or("not within horizon".to_string(), |d| format!("{d:.0}"))) }
                            (money_cell(a.mean(Metric::ProfitPerOrder), heads[6]))
                            td data-label=(heads[7]) { (fmt_percent(a.median(Metric::ContributionMargin))) }
                            td data-label=(heads[8]) { (fmt_percent(a.median(Metric::Margin))) }
                            td data-label=(heads[9]) { (fmt_percent(a.mean(Metric::ReturnRate))) }
                            td data-label=(heads[10]) { (fmt_percent(a.mean(Metric::OnTimeRate))) }
                        }
                    }
                }
            }
        }
        p class="src" { "P(best): share of trials in which the variant makes the most profit. CVaR 5%: mean profit of the worst 5% of trials. Working capital: the deepest cash position. Break-even day: the median over all trials, counting trials that never break even as later than the horizon. Compare options by profit per order and contribution margin: the contribution margin is what the orders leave before ads, live streams and fixed costs (and before a delisted product's stock is written down), as a share of their retail value, the same base for every operating model. The margin column is profit over net revenue, whose base differs by model (retail for self-operated, the supply price for fully managed), so it does not compare across models." }
    }
}

/// Above this many pairs the comparison table is folded away (open it to read it).
const OPEN_PAIRS: usize = 12;

/// Pairwise comparisons of profit and a few other outputs, from paired trials: one row
/// per pair, one column per output (a card per pair on a phone).
fn comparisons(scenario: &Scenario, analysis: &StudyAnalysis) -> Markup {
    const SHOWN: [(Metric, &str); 4] = [
        (Metric::Profit, "profit"),
        (Metric::WorkingCapitalNeeded, "working capital needed"),
        (Metric::ReturnRate, "return rate"),
        (Metric::OnTimeRate, "on-time rate"),
    ];
    let variants = scenario.spec().variants();
    let pairs = report_pairs(analysis);
    let table = html! {
        div class="scroll" {
            table id="comparison-table" class="cards" {
                thead {
                    tr {
                        th class="l" { "A" } th class="l" { "B" }
                        @for (_, label) in SHOWN { th { (label) ": mean A − B" span class="sub" { "[95% CI] P(A better)" } } }
                    }
                }
                tbody {
                    @for &(i, j) in &pairs {
                        tr {
                            td class="l" data-label="A" { (swatch(i)) (variants[i].name()) }
                            td class="l" data-label="B" { (swatch(j)) (variants[j].name()) }
                            @for (m, label) in SHOWN {
                                @match analysis.pair(i, j).and_then(|pair| pair.of(m)) {
                                    Some(p) => td class="nowrap" data-label={ (label) ": A − B" } {
                                        (fmt_value(m, p.diff.point))
                                        span class="sub" { "[" (fmt_value(m, p.diff.ci_low)) ", " (fmt_value(m, p.diff.ci_high)) "]" }
                                        span class="sub" { "P(A better) " (fmt_percent(p.p_a_better)) }
                                    },
                                    None => td data-label=(label) { "n/a" },
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    html! {
        h2 id="comparisons" { "Pairwise comparisons" }
        p { "From paired trials (the same random numbers for both variants): each output's mean difference A − B, its 95% interval, and the share of trials in which A is better. An interval that excludes 0 is a difference the trials can see." }
        @if pairs.len() > OPEN_PAIRS {
            details id="comparison-details" {
                summary { (pairs.len()) " pairs" }
                (table)
            }
        } @else {
            (table)
        }
        @match pairs_note(scenario) {
            Some(note) => p class="src" { (typeset(&note, &quoted_names(scenario))) ". Every output of these pairs is in " code { "comparison.csv" } "." },
            None => p class="src" { "Every output and ordered pair is in " code { "comparison.csv" } "." },
        }
    }
}

fn events(scenario: &Scenario) -> Markup {
    let events = scenario.spec().events();
    html! {
        @if !events.is_empty() {
            h2 id="events" { "Events" }
            div class="scroll" {
                table id="event-table" class="cards" {
                    thead { tr { th class="l" { "event" } th { "days" } th class="l" { "markets" } th class="l" { "multipliers" } } }
                    tbody {
                        @for e in events {
                            @let markets: Vec<&str> = e.markets().iter().map(|m| m.name()).collect();
                            @let mults: Vec<String> = EventFactor::ALL.iter().map(|f| format!("{} = {}", f.key(), e.multipliers()[*f as usize])).collect();
                            tr {
                                td class="l wide" { b { (e.name()) } }
                                td data-label="days" { (e.start_day() + 1) "-" (e.end_day() + 1) }
                                td class="l" data-label="markets" { @if markets.is_empty() { "all" } @else { (markets.join(", ")) } }
                                td class="l wide" data-label="multipliers" {
                                    (mults.join("; "))
                                    @if !e.sources().is_empty() {
                                        @let set: Vec<String> = e.sources().iter().map(|(k, src)| format!("{k} from {src}")).collect();
                                        br; span class="src" { "set outside the scenario file: " (set.join("; ")) }
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

/// The parameters' sections in catalog order: the part of each key before its first dot
/// (`demand`, `cash`, `tax`…), with the catalog indexes of its keys.
fn parameter_sections() -> Vec<(&'static str, Vec<usize>)> {
    let mut sections: Vec<(&'static str, Vec<usize>)> = Vec::new();
    for (k, s) in SPECS.iter().enumerate() {
        let name = s.key.split('.').next().unwrap_or(s.key);
        match sections.iter_mut().find(|(n, _)| *n == name) {
            Some((_, keys)) => keys.push(k),
            None => sections.push((name, vec![k])),
        }
    }
    sections
}

/// A parameter's value, and under it the layer it came from and its source.
fn parameter_value(e: &crate::params::Entry) -> Markup {
    html! { (e.dist) span class="sub src" { "[" (e.layer.name()) "] " (e.source) } }
}

/// Every parameter's final value per variant, with the layer and source it came from,
/// grouped by section and folded away (it is long); a value every variant shares is
/// shown once.
fn parameters(scenario: &Scenario) -> Markup {
    let variants = scenario.spec().variants();
    let entries: Vec<Vec<&crate::params::Entry>> = variants
        .iter()
        .map(|v| v.params().entries().map(|(_, e)| e).collect())
        .collect();
    let sections = parameter_sections();
    let columns = variants.len();
    html! {
        h2 id="parameters" { "Parameters" }
        p { "Each variant's final value of every parameter, by section; under it, the layer it came from and its source (a row of the project's sourced figures, or an assumption). A value every variant shares is shown once." }
        details id="parameter-details" {
            summary { (SPECS.len()) " parameters in " (sections.len()) " sections" }
            nav class="toc" {
                @for (name, keys) in &sections {
                    a href={ "#params-" (name) } { (name) " (" (keys.len()) ")" } " "
                }
            }
            div class="scroll" {
                table id="parameter-table" class="params cards" {
                    thead {
                        tr { th class="l" { "key" } th class="l" { "unit" } @for v in variants { th class="l" { (v.name()) } } }
                    }
                    @for (name, keys) in &sections {
                        tbody {
                            tr class="section" { th class="l" colspan=(2 + columns) { h3 id={ "params-" (name) } { (name) } } }
                            @for &k in keys {
                                @let s = &SPECS[k];
                                @let values: Vec<&crate::params::Entry> = entries.iter().filter_map(|e| e.get(k).copied()).collect();
                                tr class="param" {
                                    td class="l key wide" title=(s.description) { code { (breakable(s.key)) } }
                                    td class="l unit" data-label="unit" { (s.unit) }
                                    @if columns > 1 && values.len() == columns && values.windows(2).all(|w| w[0] == w[1]) {
                                        td class="l wide" colspan=(columns) data-label="every variant" { (parameter_value(values[0])) }
                                    } @else {
                                        @for (v, e) in variants.iter().zip(&values) {
                                            td class="l wide" data-label=(v.name()) { (parameter_value(e)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if variants.iter().any(|v| !v.correlations().is_empty()) {
            h3 id="correlations" { "Correlated inputs" }
            p { "Rank correlations induced between uncertain inputs (Iman-Conover, per batch of trials; each input keeps its distribution)." }
            div class="scroll" {
                table id="correlation-table" {
                    tr { th class="l" { "variant" } th class="l" { "inputs" } th { "rank correlation" } th class="l" { "set in" } }
                    @for v in variants {
                        @for c in v.correlations() {
                            tr {
                                td class="l" { (v.name()) }
                                td class="l" { code { (c.a.key()) } ", " code { (c.b.key()) } }
                                td { (c.rho) }
                                td class="l" { span class="src" { (c.source) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Builds a study's report page.
pub fn report_html(
    scenario: &Scenario,
    analysis: &StudyAnalysis,
    charts: &[Rendered],
    facts: &RunFacts<'_>,
) -> String {
    let spec = scenario.spec();
    let names = quoted_names(scenario);
    let body = html! {
        h1 { (breakable(spec.name())) }
        @if let Some(d) = scenario.description() {
            p { b { "Question:" } " " (typeset(d, &names)) }
        }
        (answer(scenario, analysis))
        p {
            (spec.trials()) " trials per variant over " (spec.horizon_days()) " days; seed " (spec.seed())
            "; scenario " code { (scenario.origin()) } "; shopsim " (crate::VERSION_AND_BUILD) "; "
            @if let Some(n) = facts.merged_parts {
                "merged from " (n) " shard parts, which simulated for " (format!("{:.2}", facts.elapsed_seconds)) " s in all"
            } @else {
                (facts.threads) " threads; " (format!("{:.2}", facts.elapsed_seconds)) " s"
            }
            ". All money in " (scenario.currency())
            @if let Some(rate) = scenario.exchange_rate() {
                "; the defaults, which are in " (crate::params::fx::DEFAULTS_CURRENCY)
                ", converted at " (crate::params::dist::compact_number(rate.per_usd())) " "
                (rate.currency()) "/" (crate::params::fx::DEFAULTS_CURRENCY)
            }
            "."
        }
        @for w in scenario.warnings() {
            p class="warn" { "Warning: " (typeset(&w.to_string(), &names)) }
        }
        nav class="toc" {
            a href="#verdict" { "Verdict" } " " a href="#charts" { "Charts" } " "
            a href="#comparisons" { "Comparisons" } " "
            @if !spec.events().is_empty() { a href="#events" { "Events" } " " }
            a href="#parameters" { "Parameters" } " " a href="#reproduce" { "Reproduce" }
        }
        (verdict_table(scenario, analysis))
        @if let Some(w) = &analysis.worlds { (super::worlds::report_section(w, scenario.currency())) }
        h2 id="charts" { "Charts" }
        @if charts.is_empty() {
            p { "Charts were not drawn for this run (" code { "--no-charts" } ")." }
        } @else {
            p class="src" { "Tap or click a chart to see it at full size." }
        }
        div class="charts" {
            @for c in charts { (chart_figure(c)) }
        }
        (comparisons(scenario, analysis))
        (events(scenario))
        (parameters(scenario))
        p class="src" id="reproduce" {
            "Reproduce: " code { (run_command(scenario)) " --seed " (spec.seed()) " --trials " (spec.trials()) (sampling_flag(spec)) }
            @if let Some(p) = facts.params_csv { " with " code { "--params " (p) } }
            @if scenario.origin() == crate::scenario::STDIN_NAME {
                " (" code { (super::folder::STDIN_SCENARIO) } ", in this folder, is the scenario as it was read from standard input)"
            }
            @if let Some(n) = facts.merged_parts {
                " (one run gives these results exactly; this study ran as " (n) " shards: "
                code { (run_command(scenario)) " --seed " (spec.seed()) " --trials " (spec.trials()) (sampling_flag(spec)) " --shard K/" (n) " --out parts" }
                " for K = 1 to " (n) ", then " code { "shopsim merge parts/" (spec.name()) ".shard-* --out DIR" } ")"
            }
            ". Made by shopsim " (crate::VERSION_AND_BUILD) "."
        }
    };
    page(&format!("{} - shopsim report", spec.name()), body)
}

/// ` --sampling METHOD`, always: the scenario file may name another method than the
/// default, and the flag wins over both.
fn sampling_flag(spec: &crate::sim::StudySpec) -> String {
    format!(" {}", spec.sampling().flag().join(" "))
}

/// `shopsim run` with the scenario as a shell argument: nothing for the built-in study
/// (its name is not a file), a path quoted when the shell would split or expand it.
fn run_command(scenario: &Scenario) -> String {
    let origin = scenario.origin();
    if origin == crate::scenario::BUILT_IN_NAME {
        return "shopsim run".to_string();
    }
    if origin == crate::scenario::STDIN_NAME {
        // Read from standard input: the study folder keeps the copy.
        return format!("shopsim run - < {}", super::folder::STDIN_SCENARIO);
    }
    format!("shopsim run {}", shell_word(origin))
}

#[cfg(test)]
mod tests {
    use super::run_command;
    use crate::scenario::{parse, BUILT_IN, BUILT_IN_NAME};

    #[test]
    fn the_reproduce_command_runs_as_written_in_a_shell() {
        let command = |origin: &str| run_command(&parse(BUILT_IN, origin, None).unwrap());
        assert_eq!(command(BUILT_IN_NAME), "shopsim run");
        assert_eq!(
            command(crate::scenario::STDIN_NAME),
            "shopsim run - < scenario.toml"
        );
        assert_eq!(
            command("scenarios/a-1.toml"),
            "shopsim run scenarios/a-1.toml"
        );
        assert_eq!(
            command("my dir/it's $x.toml"),
            r"shopsim run 'my dir/it'\''s $x.toml'"
        );
    }
}
