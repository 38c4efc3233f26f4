//! `report.html`: one self-contained page per study (charts inline, no scripts, no network)
//! with the question, a verdict table, the charts, the pairwise comparisons, every
//! parameter's final value with its source, and how the run was made.

use std::fmt::Write;

use base64::Engine;

use super::charts::Rendered;
use super::format::{fmt_number, fmt_percent, fmt_value};
use super::manifest::RunFacts;
use crate::params::SPECS;
use crate::scenario::Scenario;
use crate::sim::Metric;
use crate::stats::StudyAnalysis;

/// Escapes text for HTML.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:2em auto;max-width:1320px;color:#222;line-height:1.45}\
h1{font-size:1.7em}h2{margin-top:2em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;margin:1em 0;font-size:.92em}\
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right;vertical-align:top}\
th{background:#f2f2f2}td.l,th.l{text-align:left}\
.swatch{display:inline-block;width:.9em;height:.9em;margin-right:.4em;vertical-align:middle}\
figure{margin:1.5em 0}figure img,figure svg{max-width:100%;height:auto;border:1px solid #ddd}\
figcaption{color:#555;font-size:.95em}.src{color:#666;font-size:.8em}.warn{color:#a30}\
.neg{color:#b00}";

fn money_cell(v: f64) -> String {
    let class = if v < 0.0 { " class=\"neg\"" } else { "" };
    format!("<td{class}>{}</td>", esc(&fmt_number(v)))
}

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

fn chart_html(chart: &Rendered) -> String {
    let body = match (&chart.png, &chart.svg) {
        (Some(png), _) => format!(
            "<img alt=\"{}\" src=\"data:image/png;base64,{}\" width=\"1280\" height=\"800\">",
            esc(chart.title),
            base64::engine::general_purpose::STANDARD.encode(png)
        ),
        (None, Some(svg)) => {
            // Inline SVG: drop the XML prolog if any.
            let start = svg.find("<svg").unwrap_or(0);
            svg[start..].to_string()
        }
        (None, None) => String::new(),
    };
    format!(
        "<figure id=\"{}\">{body}<figcaption><b>{}.</b> {}</figcaption></figure>\n",
        chart.stem,
        esc(chart.title),
        esc(chart_caption(chart.stem))
    )
}

/// Builds the report page.
pub fn report_html(
    scenario: &Scenario,
    analysis: &StudyAnalysis,
    charts: &[Rendered],
    facts: &RunFacts<'_>,
) -> String {
    let spec = &scenario.spec;
    let cur = esc(&scenario.currency);
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} - shopsim report</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        esc(spec.name())
    );
    let _ = writeln!(h, "<h1>{}</h1>", esc(spec.name()));
    if let Some(d) = &scenario.description {
        let _ = writeln!(h, "<p><b>Question:</b> {}</p>", esc(d));
    }
    let _ = writeln!(
        h,
        "<p>{} trials per variant over {} days; seed {}; scenario <code>{}</code>; shopsim {}; {} threads; {:.2} s. All money in {cur}.</p>",
        spec.trials(),
        spec.horizon_days(),
        spec.seed(),
        esc(&scenario.origin),
        env!("CARGO_PKG_VERSION"),
        facts.threads,
        facts.elapsed_seconds
    );
    for w in &scenario.warnings {
        let _ = writeln!(h, "<p class=\"warn\">Warning: {}</p>", esc(&w.to_string()));
    }

    // Verdict table, ranked by mean profit.
    let order = analysis.ranked_by_profit();
    h.push_str("<h2 id=\"verdict\">Verdict</h2>\n<table id=\"verdict-table\">\n<tr><th>rank</th><th class=\"l\">variant</th><th class=\"l\">model / loop / market</th>");
    let _ = writeln!(
        h,
        "<th>mean profit ({cur}) [95% CI]</th><th>P(best)</th><th>P(loss)</th><th>CVaR 5% ({cur})</th><th>working capital needed, mean ({cur})</th><th>P(running out of cash)</th><th>median break-even day</th><th>median margin</th><th>return rate</th><th>on-time rate</th></tr>"
    );
    for (rank, &i) in order.iter().enumerate() {
        let v = &spec.variants()[i];
        let a = &analysis.variants[i];
        let profit = a.summary(Metric::Profit);
        let colour = super::charts::variant_colour(i);
        let be = a
            .median_break_even
            .map_or("not within horizon".to_string(), |d| format!("{d:.0}"));
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"l\"><span class=\"swatch\" style=\"background:rgb({},{},{})\"></span>{}</td><td class=\"l\">{} / {} / {}</td>",
            rank + 1,
            colour.0,
            colour.1,
            colour.2,
            esc(&v.name),
            v.setting.model,
            v.setting.loop_type,
            v.setting.market
        );
        match profit {
            Some(p) => {
                let _ = write!(
                    h,
                    "<td>{} [{}, {}]</td>",
                    esc(&fmt_number(p.mean.point)),
                    esc(&fmt_number(p.mean.ci_low)),
                    esc(&fmt_number(p.mean.ci_high))
                );
            }
            None => h.push_str("<td>n/a</td>"),
        }
        let _ = writeln!(
            h,
            "<td>{}</td><td>{}</td>{}{}<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            fmt_percent(a.p_best),
            fmt_percent(a.p_loss.p),
            money_cell(a.cvar5),
            money_cell(a.mean(Metric::WorkingCapitalNeeded)),
            fmt_percent(a.mean(Metric::CapitalShortfall)),
            be,
            fmt_percent(a.median(Metric::Margin)),
            fmt_percent(a.mean(Metric::ReturnRate)),
            fmt_percent(a.mean(Metric::OnTimeRate)),
        );
    }
    h.push_str("</table>\n<p class=\"src\">P(best): share of trials in which the variant makes the most profit. CVaR 5%: mean profit of the worst 5% of trials. Working capital: the deepest cash position. Break-even day: the median over all trials, counting trials that never break even as later than the horizon.</p>\n");

    // Charts.
    h.push_str("<h2 id=\"charts\">Charts</h2>\n");
    if charts.is_empty() {
        h.push_str("<p>Charts were not drawn for this run (<code>--no-charts</code>).</p>\n");
    }
    for c in charts {
        h.push_str(&chart_html(c));
    }

    // Pairwise comparisons of profit (and a few other outputs) from paired trials.
    h.push_str("<h2 id=\"comparisons\">Pairwise comparisons</h2>\n<p>From paired trials (the same random numbers for both variants). An interval that excludes 0 is a difference the trials can see.</p>\n<table id=\"comparison-table\">\n<tr><th class=\"l\">A</th><th class=\"l\">B</th><th class=\"l\">output</th><th>mean A − B</th><th>95% CI</th><th>P(A better)</th></tr>\n");
    let metrics = [
        Metric::Profit,
        Metric::WorkingCapitalNeeded,
        Metric::ReturnRate,
        Metric::OnTimeRate,
    ];
    for (i, j) in crate::output::tables::report_pairs(analysis) {
        let (a, b) = (&spec.variants()[i], &spec.variants()[j]);
        let Some(pair) = analysis.pair(i, j) else {
            continue;
        };
        for m in metrics {
            let Some(p) = pair.of(m) else {
                continue;
            };
            let show = |x: f64| fmt_value(m, x);
            let _ = writeln!(
                h,
                "<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}</td><td>[{}, {}]</td><td>{}</td></tr>",
                esc(&a.name),
                esc(&b.name),
                m.name(),
                esc(&show(p.diff.point)),
                esc(&show(p.diff.ci_low)),
                esc(&show(p.diff.ci_high)),
                fmt_percent(p.p_a_better)
            );
        }
    }
    h.push_str("</table>\n");
    match crate::output::tables::pairs_note(scenario) {
        Some(note) => {
            let _ = writeln!(h, "<p class=\"src\">{}. Every output of these pairs is in <code>comparison.csv</code>.</p>", esc(&note));
        }
        None => h.push_str("<p class=\"src\">Every output and ordered pair is in <code>comparison.csv</code>.</p>\n"),
    }

    // Events.
    if !spec.events().is_empty() {
        h.push_str("<h2 id=\"events\">Events</h2>\n<table>\n<tr><th class=\"l\">event</th><th>days</th><th class=\"l\">markets</th><th class=\"l\">multipliers</th></tr>\n");
        for e in spec.events() {
            let markets: Vec<&str> = e.markets.iter().map(|m| m.name()).collect();
            let mults: Vec<String> = crate::sim::EventFactor::ALL
                .iter()
                .map(|f| format!("{} = {}", f.key(), e.multipliers[*f as usize]))
                .collect();
            let _ = writeln!(
                h,
                "<tr><td class=\"l\">{}</td><td>{}-{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td></tr>",
                esc(&e.name),
                e.start_day + 1,
                e.end_day + 1,
                if markets.is_empty() { "all".to_string() } else { markets.join(", ") },
                esc(&mults.join("; "))
            );
        }
        h.push_str("</table>\n");
    }

    // Parameters: every final value with its source.
    h.push_str("<h2 id=\"parameters\">Parameters</h2>\n<p>Each variant's final value of every parameter; under it, the layer it came from and its source (a row of the project's sourced figures, or an assumption).</p>\n<table id=\"parameter-table\">\n<tr><th class=\"l\">key</th><th class=\"l\">unit</th>");
    for v in spec.variants() {
        let _ = write!(h, "<th class=\"l\">{}</th>", esc(&v.name));
    }
    h.push_str("</tr>\n");
    for (k, s) in SPECS.iter().enumerate() {
        let _ = write!(
            h,
            "<tr><td class=\"l\"><code>{}</code></td><td class=\"l\">{}</td>",
            s.key,
            esc(s.unit)
        );
        for v in spec.variants() {
            let (_, e) = v
                .params
                .entries()
                .nth(k)
                .expect("every variant has every parameter");
            let _ = write!(
                h,
                "<td class=\"l\">{}<br><span class=\"src\">[{}] {}</span></td>",
                esc(&e.dist.to_string()),
                e.layer.name(),
                esc(&e.source)
            );
        }
        h.push_str("</tr>\n");
    }
    h.push_str("<tr><td class=\"l\"><code>logistics.tiers</code></td><td class=\"l\">min monthly orders: fee per order</td>");
    for v in spec.variants() {
        let tiers: Vec<String> = v
            .params
            .tiers
            .tiers
            .iter()
            .map(|t| format!("{}: {}", t.min_monthly_orders, t.fee_per_order))
            .collect();
        let _ = write!(
            h,
            "<td class=\"l\">{}<br><span class=\"src\">[{}] {}</span></td>",
            esc(&tiers.join("; ")),
            v.params.tiers.layer.name(),
            esc(&v.params.tiers.source)
        );
    }
    h.push_str("</tr>\n</table>\n");
    let _ = writeln!(
        h,
        "<p class=\"src\">Reproduce: <code>shopsim run {} --seed {} --trials {}</code>{}. Made by shopsim {}.</p>\n</body>\n</html>",
        esc(&scenario.origin),
        spec.seed(),
        spec.trials(),
        facts.params_csv.map(|p| format!(" with <code>--params {}</code>", esc(p))).unwrap_or_default(),
        env!("CARGO_PKG_VERSION")
    );
    h
}

/// The page of `shopsim compare`: runs, charts, the table of differences, and what could
/// not be matched.
pub fn compare_html(c: &crate::compare::Comparison, charts: &[Rendered]) -> String {
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Comparison of runs: {} - shopsim</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        esc(&c.metric)
    );
    let _ = writeln!(h, "<h1>Comparison of runs: {}</h1>", esc(&c.metric));
    h.push_str("<h2 id=\"runs\">Runs</h2>\n<table id=\"runs-table\">\n<tr><th>run</th><th class=\"l\">folder</th><th class=\"l\">study</th><th>seed</th><th>trials</th><th class=\"l\">variants</th></tr>\n");
    for (i, r) in c.runs.iter().enumerate() {
        let colour = super::charts::variant_colour(i);
        let _ = writeln!(
            h,
            "<tr><td><span class=\"swatch\" style=\"background:rgb({},{},{})\"></span>{}</td><td class=\"l\"><code>{}</code></td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td class=\"l\">{}</td></tr>",
            colour.0,
            colour.1,
            colour.2,
            i + 1,
            esc(&r.dir.display().to_string()),
            esc(&r.study),
            r.seed,
            r.trials,
            esc(&r.variants.join(", "))
        );
    }
    h.push_str("</table>\n");
    if !c.notes.is_empty() {
        h.push_str("<h2 id=\"unmatched\">Not compared</h2>\n<ul>\n");
        for n in &c.notes {
            let _ = writeln!(h, "<li class=\"warn\">{}</li>", esc(n));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("<h2 id=\"differences\">Differences</h2>\n<p>Each later run against the first run that has the variant. Runs with the same seed that kept their trials are compared trial by trial (paired); otherwise as independent samples.</p>\n<table id=\"differences-table\">\n<tr><th class=\"l\">variant</th><th class=\"l\">run A</th><th class=\"l\">run B</th><th>mean A</th><th>mean B</th><th>B − A</th><th>95% CI</th><th class=\"l\">method</th></tr>\n");
    let show = |x: f64| match Metric::from_name(&c.metric) {
        Some(m) => fmt_value(m, x),
        None => fmt_number(x),
    };
    for d in &c.diffs {
        let _ = writeln!(
            h,
            "<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>[{}, {}]</td><td class=\"l\">{}</td></tr>",
            esc(&d.variant),
            esc(&c.runs[d.run_a].label),
            esc(&c.runs[d.run_b].label),
            esc(&show(d.mean_a)),
            esc(&show(d.mean_b)),
            esc(&show(d.diff.point)),
            esc(&show(d.diff.ci_low)),
            esc(&show(d.diff.ci_high)),
            d.method.name()
        );
    }
    h.push_str("</table>\n<h2 id=\"charts\">Charts</h2>\n");
    for chart in charts {
        h.push_str(&chart_html(chart));
    }
    let _ = writeln!(
        h,
        "<p class=\"src\">Made by shopsim {}.</p>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
