//! `report.html`: one self-contained page per study (charts inline, no scripts, no network):
//! the answer in plain words first, then the verdict table, the charts, the pairwise
//! comparisons, the events, every parameter's final value with its source, and how the run
//! was made. Built with maud, which escapes every interpolated text.

use base64::Engine;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::charts::{variant_colour, Rendered};
use super::manifest::RunFacts;
use super::tables::{pairs_note, report_pairs};
use super::verdict::verdict;
use crate::compare::Comparison;
use crate::format::{fmt_number, fmt_percent, fmt_value};
use crate::params::SPECS;
use crate::scenario::Scenario;
use crate::sim::{EventFactor, Metric};
use crate::stats::StudyAnalysis;

/// The page's style: a readable column with margins; wide tables scroll inside their box
/// so the page itself never scrolls sideways, down to a phone's width.
pub const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:0 auto;padding:1em 1.25em 3em;max-width:72em;color:#222;line-height:1.45}\
h1{font-size:1.7em;margin-top:.5em}h2{margin-top:2em;border-bottom:1px solid #ccc}\
h1,h2,p,li{overflow-wrap:anywhere}\
p,li{max-width:48em}\
.answer{background:#f4f7fb;border-left:4px solid #3465a4;padding:.8em 1.2em;margin:1.2em 0}\
.answer .headline{font-size:1.15em;font-weight:bold}\
.scroll{overflow-x:auto;max-width:100%}\
table{border-collapse:collapse;margin:1em 0;font-size:.92em}\
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right;vertical-align:top}\
th{background:#f2f2f2}td.l,th.l{text-align:left}\
code{overflow-wrap:anywhere}\
.swatch{display:inline-block;width:.9em;height:.9em;margin-right:.4em;vertical-align:middle}\
figure{margin:1.5em 0}figure img,figure svg{max-width:100%;height:auto;border:1px solid #ddd;box-sizing:border-box}\
figcaption{color:#555;font-size:.95em}.src{color:#666;font-size:.8em}.warn{color:#a30}\
.neg{color:#b00}";

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

/// The page around `body`: doctype, viewport for phones, title and style.
fn page(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { (body) }
        }
    }
    .into_string()
}

/// A chart inline: PNG as a data URL, or the SVG itself.
fn chart_figure(chart: &Rendered) -> Markup {
    html! {
        figure id=(chart.stem) {
            @if let Some(png) = &chart.png {
                img alt=(chart.title) width="1280" height="800"
                    src={ "data:image/png;base64," (base64::engine::general_purpose::STANDARD.encode(png)) };
            } @else if let Some(svg) = &chart.svg {
                // Our own plotters output (its texts escaped by plotters), without the XML prolog.
                (PreEscaped(&svg[svg.find("<svg").unwrap_or(0)..]))
            }
            figcaption { b { (chart.title) "." } " " (chart_caption(&chart.stem)) }
        }
    }
}

fn swatch(i: usize) -> Markup {
    let (r, g, b) = {
        let c = variant_colour(i);
        (c.0, c.1, c.2)
    };
    html! { span class="swatch" style={ "background:rgb(" (r) "," (g) "," (b) ")" } {} }
}

/// A money cell, red when negative.
fn money_cell(v: f64) -> Markup {
    html! { td class=[(v < 0.0).then_some("neg")] { (fmt_number(v)) } }
}

/// The answer in plain words.
fn answer(scenario: &Scenario, analysis: &StudyAnalysis) -> Markup {
    let v = verdict(scenario, analysis);
    html! {
        section class="answer" id="answer" {
            p class="headline" { (v.headline) }
            @for d in &v.details { p { (d) } }
            @if let Some(why) = &v.drivers { p { (why) } }
            @if !v.caveats.is_empty() {
                p { b { "Caveats:" } }
                ul { @for c in &v.caveats { li { (c) } } }
            }
        }
    }
}

/// The verdict table, ranked by mean profit.
fn verdict_table(scenario: &Scenario, analysis: &StudyAnalysis) -> Markup {
    let cur = scenario.currency();
    let spec = scenario.spec();
    html! {
        h2 id="verdict" { "Verdict" }
        div class="scroll" {
            table id="verdict-table" {
                tr {
                    th { "rank" } th class="l" { "variant" } th class="l" { "model / loop / route / market" }
                    th { "mean profit (" (cur) ") [95% CI]" } th { "P(best)" } th { "P(loss)" }
                    th { "CVaR 5% (" (cur) ")" } th { "working capital needed, mean (" (cur) ")" }
                    th { "P(running out of cash)" } th { "median break-even day" }
                    th { "profit per order, mean (" (cur) ")" } th { "contribution margin, median" }
                    th { "median margin" } th { "return rate" } th { "on-time rate" }
                }
                @for (rank, &i) in analysis.ranked_by_profit().iter().enumerate() {
                    @let v = &spec.variants()[i];
                    @let a = &analysis.variants[i];
                    tr {
                        td { (rank + 1) }
                        td class="l" { (swatch(i)) (v.name()) }
                        td class="l" { (v.setting().model) " / " (v.setting().loop_type()) " / " (v.setting().route) " / " (v.setting().market) }
                        @match a.summary(Metric::Profit) {
                            Some(p) => td { (fmt_number(p.mean.point)) " [" (fmt_number(p.mean.ci_low)) ", " (fmt_number(p.mean.ci_high)) "]" },
                            None => td { "n/a" },
                        }
                        td { (fmt_percent(a.p_best)) }
                        td { (fmt_percent(a.p_loss.p)) }
                        (money_cell(a.cvar5))
                        (money_cell(a.mean(Metric::WorkingCapitalNeeded)))
                        td { (fmt_percent(a.mean(Metric::CapitalShortfall))) }
                        td { (a.median_break_even.map_or("not within horizon".to_string(), |d| format!("{d:.0}"))) }
                        (money_cell(a.mean(Metric::ProfitPerOrder)))
                        td { (fmt_percent(a.median(Metric::ContributionMargin))) }
                        td { (fmt_percent(a.median(Metric::Margin))) }
                        td { (fmt_percent(a.mean(Metric::ReturnRate))) }
                        td { (fmt_percent(a.mean(Metric::OnTimeRate))) }
                    }
                }
            }
        }
        p class="src" { "P(best): share of trials in which the variant makes the most profit. CVaR 5%: mean profit of the worst 5% of trials. Working capital: the deepest cash position. Break-even day: the median over all trials, counting trials that never break even as later than the horizon. Compare options by profit per order and contribution margin: the contribution margin is what the orders leave before ads, live streams and fixed costs, as a share of their retail value, the same base for every operating model. The margin column is profit over net revenue, whose base differs by model (retail for self-operated, the supply price for fully managed), so it does not compare across models." }
    }
}

/// Pairwise comparisons of profit and a few other outputs, from paired trials.
fn comparisons(scenario: &Scenario, analysis: &StudyAnalysis) -> Markup {
    const SHOWN: [Metric; 4] = [
        Metric::Profit,
        Metric::WorkingCapitalNeeded,
        Metric::ReturnRate,
        Metric::OnTimeRate,
    ];
    let variants = scenario.spec().variants();
    html! {
        h2 id="comparisons" { "Pairwise comparisons" }
        p { "From paired trials (the same random numbers for both variants). An interval that excludes 0 is a difference the trials can see." }
        div class="scroll" {
            table id="comparison-table" {
                tr { th class="l" { "A" } th class="l" { "B" } th class="l" { "output" } th { "mean A − B" } th { "95% CI" } th { "P(A better)" } }
                @for (i, j) in report_pairs(analysis) {
                    @for m in SHOWN {
                        @if let Some(p) = analysis.pair(i, j).and_then(|pair| pair.of(m)) {
                            tr {
                                td class="l" { (variants[i].name()) }
                                td class="l" { (variants[j].name()) }
                                td class="l" { (m.name()) }
                                td { (fmt_value(m, p.diff.point)) }
                                td { "[" (fmt_value(m, p.diff.ci_low)) ", " (fmt_value(m, p.diff.ci_high)) "]" }
                                td { (fmt_percent(p.p_a_better)) }
                            }
                        }
                    }
                }
            }
        }
        @match pairs_note(scenario) {
            Some(note) => p class="src" { (note) ". Every output of these pairs is in " code { "comparison.csv" } "." },
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
                table {
                    tr { th class="l" { "event" } th { "days" } th class="l" { "markets" } th class="l" { "multipliers" } }
                    @for e in events {
                        @let markets: Vec<&str> = e.markets().iter().map(|m| m.name()).collect();
                        @let mults: Vec<String> = EventFactor::ALL.iter().map(|f| format!("{} = {}", f.key(), e.multipliers()[*f as usize])).collect();
                        tr {
                            td class="l" { (e.name()) }
                            td { (e.start_day() + 1) "-" (e.end_day() + 1) }
                            td class="l" { @if markets.is_empty() { "all" } @else { (markets.join(", ")) } }
                            td class="l" {
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

/// Every parameter's final value per variant, with the layer and source it came from.
fn parameters(scenario: &Scenario) -> Markup {
    let variants = scenario.spec().variants();
    html! {
        h2 id="parameters" { "Parameters" }
        p { "Each variant's final value of every parameter; under it, the layer it came from and its source (a row of the project's sourced figures, or an assumption)." }
        div class="scroll" {
            table id="parameter-table" {
                tr { th class="l" { "key" } th class="l" { "unit" } @for v in variants { th class="l" { (v.name()) } } }
                @for (k, s) in SPECS.iter().enumerate() {
                    tr {
                        td class="l" { code { (s.key) } }
                        td class="l" { (s.unit) }
                        @for v in variants {
                            @if let Some((_, e)) = v.params().entries().nth(k) {
                                td class="l" { (e.dist) br; span class="src" { "[" (e.layer.name()) "] " (e.source) } }
                            }
                        }
                    }
                }
            }
        }
        @if variants.iter().any(|v| !v.correlations().is_empty()) {
            h3 id="correlations" { "Correlated inputs" }
            p { "Rank correlations induced between uncertain inputs (Iman-Conover, per batch of trials; each input keeps its distribution)." }
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

/// Builds a study's report page.
pub fn report_html(
    scenario: &Scenario,
    analysis: &StudyAnalysis,
    charts: &[Rendered],
    facts: &RunFacts<'_>,
) -> String {
    let spec = scenario.spec();
    let body = html! {
        h1 { (spec.name()) }
        @if let Some(d) = scenario.description() {
            p { b { "Question:" } " " (d) }
        }
        (answer(scenario, analysis))
        p {
            (spec.trials()) " trials per variant over " (spec.horizon_days()) " days; seed " (spec.seed())
            "; scenario " code { (scenario.origin()) } "; shopsim " (env!("CARGO_PKG_VERSION")) "; "
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
            p class="warn" { "Warning: " (w.to_string()) }
        }
        (verdict_table(scenario, analysis))
        h2 id="charts" { "Charts" }
        @if charts.is_empty() {
            p { "Charts were not drawn for this run (" code { "--no-charts" } ")." }
        }
        @for c in charts { (chart_figure(c)) }
        (comparisons(scenario, analysis))
        (events(scenario))
        (parameters(scenario))
        p class="src" {
            "Reproduce: " code { (run_command(scenario)) " --seed " (spec.seed()) " --trials " (spec.trials()) }
            @if let Some(p) = facts.params_csv { " with " code { "--params " (p) } }
            @if scenario.origin() == crate::scenario::STDIN_NAME {
                " (" code { (super::folder::STDIN_SCENARIO) } ", in this folder, is the scenario as it was read from standard input)"
            }
            @if let Some(n) = facts.merged_parts {
                " (one run gives these results exactly; this study ran as " (n) " shards: "
                code { (run_command(scenario)) " --seed " (spec.seed()) " --trials " (spec.trials()) " --shard K/" (n) " --out parts" }
                " for K = 1 to " (n) ", then " code { "shopsim merge parts/" (spec.name()) ".shard-* --out DIR" } ")"
            }
            ". Made by shopsim " (env!("CARGO_PKG_VERSION")) "."
        }
    };
    page(&format!("{} - shopsim report", spec.name()), body)
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
    let plain = origin
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._/-+:=,@".contains(c));
    if plain {
        format!("shopsim run {origin}")
    } else {
        format!("shopsim run '{}'", origin.replace('\'', "'\\''"))
    }
}

/// The page of `shopsim compare`: runs, what could not be matched, the table of
/// differences, and the charts.
pub fn compare_html(c: &Comparison, charts: &[Rendered]) -> String {
    let show = |x: f64| match Metric::from_name(&c.metric) {
        Some(m) => fmt_value(m, x),
        None => fmt_number(x),
    };
    let body = html! {
        h1 { "Comparison of runs: " (c.metric) }
        h2 id="runs" { "Runs" }
        div class="scroll" {
            table id="runs-table" {
                tr { th { "run" } th class="l" { "folder" } th class="l" { "study" } th { "seed" } th { "trials" } th class="l" { "variants" } }
                @for (i, r) in c.runs.iter().enumerate() {
                    tr {
                        td { (swatch(i)) (i + 1) }
                        td class="l" { code { (r.dir.display().to_string()) } }
                        td class="l" { (r.study) }
                        td { (r.seed) }
                        td { (r.trials) }
                        td class="l" { (r.variants.join(", ")) }
                    }
                }
            }
        }
        @if !c.notes.is_empty() {
            h2 id="unmatched" { "Not compared" }
            ul { @for n in &c.notes { li class="warn" { (n) } } }
        }
        h2 id="differences" { "Differences" }
        p { "Each later run against the first run that has the variant. Runs with the same seed that kept their trials are compared trial by trial (paired); otherwise as independent samples." }
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
                        td { (show(d.diff.point)) }
                        td { "[" (show(d.diff.ci_low)) ", " (show(d.diff.ci_high)) "]" }
                        td class="l" { (d.method.name()) }
                    }
                }
            }
        }
        h2 id="charts" { "Charts" }
        @for chart in charts { (chart_figure(chart)) }
        p class="src" { "Made by shopsim " (env!("CARGO_PKG_VERSION")) "." }
    };
    page(&format!("Comparison of runs: {} - shopsim", c.metric), body)
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
