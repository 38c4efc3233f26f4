//! A study with states of the world, as people read it: the verdict across worlds (the
//! best option in each, whether one option wins in all, what choosing wrongly costs), the
//! terminal's options × worlds tables, the report's section and `worlds.csv`.

use maud::{html, Markup};

use super::tables::csv_bytes;
use super::verdict::{Verdict, FEW_TRIALS};
use crate::format::{fmt_number, fmt_percent};
use crate::formats::rows::Num;
use crate::scenario::Scenario;
use crate::stats::worlds::WorldsAnalysis;
use crate::stats::StudyAnalysis;

/// Names in running text: `a`, `a` and `b`, `a`, `b` and `c`.
fn listed(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    and_list(&quoted)
}

/// The verdict of a study with states of the world.
pub fn verdict(scenario: &Scenario, w: &WorldsAnalysis) -> Verdict {
    let currency = scenario.currency();
    let world_names: Vec<String> = w.worlds.iter().map(|x| x.name.clone()).collect();
    let cells = || {
        (0..w.worlds.len())
            .flat_map(move |wi| (0..w.options.len()).filter_map(move |o| w.cell(o, wi)))
    };
    let all_lose = cells().all(|c| c.p_loss > 0.5);
    let headline = if let Some(o) = w.robust {
        let shares: Vec<String> = (0..w.worlds.len())
            .filter_map(|wi| w.cell(o, wi).map(|c| fmt_percent(c.p_best)))
            .collect();
        if all_lose {
            format!(
                "No option makes money in any state of the world: every one loses money in more than half of the trials in each. `{}` loses least in every world ({}).",
                w.options[o],
                listed(&world_names)
            )
        } else {
            format!(
                "`{}` is the best option in every state of the world ({}): it makes the most profit there in {} of trials.",
                w.options[o],
                listed(&world_names),
                and_list(&shares)
            )
        }
    } else if let Some(o) = w.weighted_best {
        let others: Vec<String> = (0..w.options.len())
            .filter(|&x| x != o)
            .filter_map(|x| {
                w.across[x]
                    .weighted_profit
                    .map(|p| format!("`{}` {}", w.options[x], fmt_number(p)))
            })
            .collect();
        format!(
            "No option is best in every state of the world. Weighing the worlds as the scenario does ({}), `{}` has the highest expected profit: {} {currency} (against {}).",
            w.worlds
                .iter()
                .map(|x| format!("`{}` {}", x.name, fmt_percent(x.weight.unwrap_or(f64::NAN))))
                .collect::<Vec<_>>()
                .join(", "),
            w.options[o],
            fmt_number(w.across[o].weighted_profit.unwrap_or(f64::NAN)),
            others.join(", ")
        )
    } else {
        let winners: Vec<String> = (0..w.options.len())
            .filter(|&o| !w.across[o].best_in.is_empty())
            .map(|o| {
                let names: Vec<String> = w.across[o]
                    .best_in
                    .iter()
                    .map(|&wi| w.worlds[wi].name.clone())
                    .collect();
                format!("`{}` in {}", w.options[o], listed(&names))
            })
            .collect();
        let mut text = format!(
            "No option is best in every state of the world: the best is {}.",
            winners.join("; ")
        );
        if let Some(m) = w.minimax_regret {
            text.push_str(&format!(
                " If you cannot say which world is likelier, `{}` has the smallest worst case: it makes at most {} {currency} less than the best option in any world.",
                w.options[m],
                fmt_number(w.across[m].max_regret)
            ));
        }
        text
    };
    let mut details = Vec::new();
    for (wi, world) in w.worlds.iter().enumerate() {
        let Some(best) = world.best else { continue };
        let Some(cell) = w.cell(best, wi) else {
            continue;
        };
        let weight = world
            .weight
            .map(|x| format!(" (weight {})", fmt_percent(x)))
            .unwrap_or_default();
        let mut line = format!(
            "In `{}`{weight}: `{}` is best, with a mean profit of {} {currency} (95% interval {} to {}), best in {} of trials and a loss in {}.",
            world.name,
            w.options[best],
            fmt_number(cell.mean_profit.point),
            fmt_number(cell.mean_profit.ci_low),
            fmt_number(cell.mean_profit.ci_high),
            fmt_percent(cell.p_best),
            fmt_percent(cell.p_loss)
        );
        for o in (0..w.options.len()).filter(|&o| o != best) {
            if let Some(c) = w.cell(o, wi) {
                line.push_str(&format!(
                    " `{}` would make {} {currency} less ({} to {}).",
                    w.options[o],
                    fmt_number(c.regret.point),
                    fmt_number(c.regret.ci_low),
                    fmt_number(c.regret.ci_high)
                ));
            }
        }
        if let Some(close) = w.close_in(wi) {
            line.push_str(&format!(
                " That is a near tie with `{}`: the interval of the difference reaches 0.",
                w.options[close]
            ));
        }
        details.push(line);
    }
    let mut caveats = Vec::new();
    if !w.weighted() && w.robust.is_none() {
        caveats.push("The scenario gives the worlds no weights: give each `[[world]]` a `weight` (how likely it is) for an expected profit over them.".to_string());
    }
    let missing = (0..w.worlds.len())
        .flat_map(|wi| (0..w.options.len()).map(move |o| (o, wi)))
        .filter(|&(o, wi)| w.cell(o, wi).is_none())
        .count();
    if missing > 0 {
        caveats.push(format!(
            "{} of the option × world cells were not simulated (--variant kept only some): an option's worst case counts only where it ran, and only options simulated in every world compete on it.",
            missing
        ));
    }
    let trials = scenario.spec().trials();
    if trials < FEW_TRIALS {
        caveats.push(format!(
            "Only {}: a quick look; rerun with more (e.g. --trials 4000) before deciding.",
            crate::format::plural(trials, "trial")
        ));
    }
    Verdict {
        headline,
        details,
        drivers: None,
        caveats,
        next_step: None,
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

/// The terminal's tables: mean profit and P(best) of each option in each world, then the
/// regret table.
pub fn terminal_tables(w: &WorldsAnalysis, currency: &str) -> String {
    let name_width = w
        .options
        .iter()
        .map(|o| o.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    let col = w
        .worlds
        .iter()
        .map(|x| x.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(17);
    let mut text =
        format!("  options × worlds: mean profit ({currency}) and P(best) in each world\n");
    text.push_str(&format!("  {:<name_width$}", "option"));
    for world in &w.worlds {
        text.push_str(&format!(" {:>col$}", world.name));
    }
    text.push('\n');
    for (o, name) in w.options.iter().enumerate() {
        text.push_str(&format!("  {name:<name_width$}"));
        for wi in 0..w.worlds.len() {
            let cell = w.cell(o, wi).map_or("—".to_string(), |c| {
                let mark = if w.worlds[wi].best == Some(o) {
                    "*"
                } else {
                    " "
                };
                format!(
                    "{}{mark} {:>6}",
                    fmt_number(c.mean_profit.point),
                    fmt_percent(c.p_best)
                )
            });
            text.push_str(&format!(" {cell:>col$}"));
        }
        text.push('\n');
    }
    text.push_str(&format!(
        "  regret: what each option makes less than the world's best (*), {currency}\n"
    ));
    text.push_str(&format!("  {:<name_width$}", "option"));
    for world in &w.worlds {
        text.push_str(&format!(" {:>col$}", world.name));
    }
    text.push_str(&format!(" {:>12}", "worst case"));
    if w.weighted() {
        text.push_str(&format!(" {:>12}", "expected"));
    }
    text.push('\n');
    for (o, name) in w.options.iter().enumerate() {
        text.push_str(&format!("  {name:<name_width$}"));
        for wi in 0..w.worlds.len() {
            let cell = w
                .cell(o, wi)
                .map_or("—".to_string(), |c| fmt_number(c.regret.point));
            text.push_str(&format!(" {cell:>col$}"));
        }
        text.push_str(&format!(" {:>12}", fmt_number(w.across[o].max_regret)));
        if let Some(r) = w.across[o].weighted_regret {
            text.push_str(&format!(" {:>12}", fmt_number(r)));
        }
        text.push('\n');
    }
    text
}

/// The report's section on the worlds.
pub fn report_section(w: &WorldsAnalysis, currency: &str) -> Markup {
    html! {
        section id="worlds" {
            h2 { "Options across states of the world" }
            p {
                "Each option is simulated in each state of the world on the same random trials. "
                "In each world the best option is the one with the highest mean profit (marked ★); "
                "P(best) is the share of trials where it makes the most profit among that world's options. "
                "Regret is what an option makes less than that world's best, with the paired 95% interval."
            }
            div class="scroll" {
                table {
                    tr {
                        th class="l" { "option" }
                        @for world in &w.worlds {
                            th {
                                (world.name)
                                @if let Some(weight) = world.weight { br; span class="src" { "weight " (fmt_percent(weight)) } }
                            }
                        }
                    }
                    @for (o, name) in w.options.iter().enumerate() {
                        tr {
                            td class="l" { code { (name) } }
                            @for wi in 0..w.worlds.len() {
                                @match w.cell(o, wi) {
                                    Some(c) => td class=[(c.mean_profit.point < 0.0).then_some("neg")] {
                                        @if w.worlds[wi].best == Some(o) { "★ " }
                                        (fmt_number(c.mean_profit.point)) " " (currency)
                                        br; span class="src" { "(" (fmt_number(c.mean_profit.ci_low)) " to " (fmt_number(c.mean_profit.ci_high)) ")" }
                                        br; "P(best) " (fmt_percent(c.p_best)) ", P(loss) " (fmt_percent(c.p_loss))
                                    },
                                    None => td { "—" },
                                }
                            }
                        }
                    }
                }
            }
            h3 { "Regret: what choosing each option costs in each world (" (currency) ")" }
            div class="scroll" {
                table {
                    tr {
                        th class="l" { "option" }
                        @for world in &w.worlds { th { (world.name) } }
                        th { "worst case" }
                        @if w.weighted() { th { "expected" } }
                    }
                    @for (o, name) in w.options.iter().enumerate() {
                        tr {
                            td class="l" { code { (name) } }
                            @for wi in 0..w.worlds.len() {
                                @match w.cell(o, wi) {
                                    Some(c) => td {
                                        (fmt_number(c.regret.point))
                                        @if c.regret.point != 0.0 {
                                            br; span class="src" { "(" (fmt_number(c.regret.ci_low)) " to " (fmt_number(c.regret.ci_high)) ")" }
                                        }
                                    },
                                    None => td { "—" },
                                }
                            }
                            td { (fmt_number(w.across[o].max_regret)) }
                            @if let Some(r) = w.across[o].weighted_regret { td { (fmt_number(r)) } }
                        }
                    }
                }
            }
        }
    }
}

/// One row of `worlds.csv`: an option in a world.
#[derive(serde::Serialize)]
struct WorldRow<'a> {
    option: &'a str,
    world: &'a str,
    weight: Num,
    variant: &'a str,
    best_in_world: bool,
    mean_profit: Num,
    mean_profit_ci_low: Num,
    mean_profit_ci_high: Num,
    p_best: Num,
    p_loss: Num,
    regret: Num,
    regret_ci_low: Num,
    regret_ci_high: Num,
}

/// `worlds.csv`: one row per option in each world (the cells the study ran).
pub fn worlds_csv(w: &WorldsAnalysis, analysis: &StudyAnalysis) -> anyhow::Result<Vec<u8>> {
    let rows = (0..w.worlds.len()).flat_map(|wi| {
        (0..w.options.len()).filter_map(move |o| {
            let c = w.cell(o, wi)?;
            Some(WorldRow {
                option: &w.options[o],
                world: &w.worlds[wi].name,
                weight: Num(w.worlds[wi].weight.unwrap_or(f64::NAN)),
                variant: &analysis.variants[c.variant].name,
                best_in_world: w.worlds[wi].best == Some(o),
                mean_profit: Num(c.mean_profit.point),
                mean_profit_ci_low: Num(c.mean_profit.ci_low),
                mean_profit_ci_high: Num(c.mean_profit.ci_high),
                p_best: Num(c.p_best),
                p_loss: Num(c.p_loss),
                regret: Num(c.regret.point),
                regret_ci_low: Num(c.regret.ci_low),
                regret_ci_high: Num(c.regret.ci_high),
            })
        })
    });
    csv_bytes(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse;
    use crate::sim::{BatchOutputs, Metric, Outputs, VariantBatch};
    use crate::stats::analysis::study_pairs;
    use crate::stats::{analyze, StudyAccumulator};

    /// Two options (`a`, `b`) in the worlds `worlds` (`name = weight` or no weight).
    fn scenario_text(worlds: &[(&str, Option<f64>)]) -> String {
        let mut text = String::from(
            "name = \"w\"\ntrials = 10\nhorizon_days = 30\nseed = 1\n\
             [[variant]]\nname = \"a\"\nmodel = \"self_operated\"\nroute = \"fbt\"\n\
             [[variant]]\nname = \"b\"\nmodel = \"self_operated\"\nroute = \"overseas_3pl\"\n",
        );
        for (i, (name, weight)) in worlds.iter().enumerate() {
            text.push_str(&format!(
                "[[world]]\nname = \"{name}\"\ndemand.daily_cv = {}\n",
                0.1 + 0.1 * i as f64
            ));
            if let Some(w) = weight {
                text.push_str(&format!("weight = {w}\n"));
            }
        }
        text
    }

    /// The analysis of a study whose variant `i` makes `profits[i][t]` in trial `t`
    /// (cells option by option: a@w1, a@w2, …, b@w1, …).
    fn analysed(text: &str, profits: &[Vec<f64>]) -> (Scenario, StudyAnalysis) {
        let mut scenario = parse(text, "w.toml", None).unwrap();
        scenario
            .override_run(Some(profits[0].len() as u64), None)
            .unwrap();
        // Made-up trials, not a Latin hypercube's: their errors are those of independent
        // trials.
        let mc = crate::sim::inputs::Sampling::MonteCarlo;
        scenario.override_sampling(Some(mc)).unwrap();
        let spec = scenario.spec();
        assert_eq!(spec.variants().len(), profits.len());
        let horizon = spec.horizon_days();
        let batch = BatchOutputs {
            first: 0,
            variants: profits
                .iter()
                .map(|p| VariantBatch {
                    outputs: p
                        .iter()
                        .map(|&x| {
                            let mut o = Outputs([0.0; crate::sim::METRIC_COUNT]);
                            o[Metric::Profit] = x;
                            o
                        })
                        .collect(),
                    cumulative_profit: vec![0.0; p.len() * horizon],
                    cash: vec![0.0; p.len() * horizon],
                    delay_histogram: Vec::new(),
                })
                .collect(),
        };
        let pairs = study_pairs(spec, None);
        let mut results = StudyAccumulator::for_study(spec, &pairs);
        results.add_batch(&batch);
        let analysis = analyze(spec, &results, None);
        (scenario, analysis)
    }

    fn series(n: usize, f: impl Fn(usize) -> f64) -> Vec<f64> {
        (0..n).map(f).collect()
    }

    #[test]
    fn p_best_counts_the_options_of_one_world_and_regret_is_the_gap_to_its_best() {
        // World `low`: a wins 3 trials in 4; world `high`: b always wins.
        let n = 400;
        let profits = vec![
            series(n, |t| if t % 4 < 3 { 100.0 } else { 0.0 }), // a@low
            series(n, |_| 10.0),                                // a@high
            series(n, |_| 50.0),                                // b@low
            series(n, |t| 20.0 + (t % 2) as f64),               // b@high
        ];
        let text = scenario_text(&[("low", None), ("high", None)]);
        let (scenario, analysis) = analysed(&text, &profits);
        let p: Vec<f64> = analysis.variants.iter().map(|v| v.p_best).collect();
        // Each world's P(best) adds to 1 (not the whole study's).
        assert!(
            (p[0] - 0.75).abs() < 1e-12 && (p[2] - 0.25).abs() < 1e-12,
            "{p:?}"
        );
        assert!(p[1] == 0.0 && p[3] == 1.0, "{p:?}");
        let w = analysis.worlds.as_ref().unwrap();
        assert_eq!(w.worlds[0].best, Some(0)); // a: mean 75 against 50
        assert_eq!(w.worlds[1].best, Some(1)); // b: mean 20.5 against 10
        assert_eq!(w.robust, None);
        let regret_b_low = w.cell(1, 0).unwrap().regret;
        assert!((regret_b_low.point - 25.0).abs() < 1e-9, "{regret_b_low:?}");
        // The paired interval: the per-trial differences are 50 or -50 (3 to 1).
        assert!(regret_b_low.ci_low < 25.0 && regret_b_low.ci_high > 25.0);
        let regret_a_high = w.cell(0, 1).unwrap().regret;
        assert!((regret_a_high.point - 10.5).abs() < 1e-9);
        assert_eq!(w.cell(0, 0).unwrap().regret.point, 0.0);
        // Worst cases: a 10.5, b 25: a has the smallest.
        assert_eq!(w.minimax_regret, Some(0));
        assert!((w.across[1].max_regret - 25.0).abs() < 1e-9);
        let v = verdict(&scenario, w);
        assert!(
            v.headline
                .starts_with("No option is best in every state of the world")
                && v.headline.contains("`a` in `low`; `b` in `high`")
                && v.headline.contains("`a` has the smallest worst case")
                && v.headline.contains("at most 10 USD less"),
            "{}",
            v.headline
        );
        assert!(v.caveats.iter().any(|c| c.contains("no weights")));
    }

    #[test]
    fn weights_give_the_expected_profit_and_its_best() {
        let n = 100;
        let profits = vec![
            series(n, |_| 100.0), // a@low
            series(n, |_| 0.0),   // a@high
            series(n, |_| 60.0),  // b@low
            series(n, |_| 30.0),  // b@high
        ];
        // Weights 1 and 3: a expects 25, b 37.5.
        let text = scenario_text(&[("low", Some(1.0)), ("high", Some(3.0))]);
        let (scenario, analysis) = analysed(&text, &profits);
        let w = analysis.worlds.as_ref().unwrap();
        assert_eq!(w.worlds[0].weight, Some(0.25));
        assert!((w.across[0].weighted_profit.unwrap() - 25.0).abs() < 1e-9);
        assert!((w.across[1].weighted_profit.unwrap() - 37.5).abs() < 1e-9);
        // Expected regret: a 0.25·0 + 0.75·30 = 22.5; b 0.25·40 + 0 = 10.
        assert!((w.across[0].weighted_regret.unwrap() - 22.5).abs() < 1e-9);
        assert!((w.across[1].weighted_regret.unwrap() - 10.0).abs() < 1e-9);
        assert_eq!(w.weighted_best, Some(1));
        let v = verdict(&scenario, w);
        assert!(
            v.headline
                .contains("`b` has the highest expected profit: 38 USD"),
            "{}",
            v.headline
        );
    }

    #[test]
    fn one_option_best_everywhere_is_called_robust_and_losses_everywhere_are_said_first() {
        let n = 50;
        let profits = vec![
            series(n, |_| 5.0),
            series(n, |_| 6.0),
            series(n, |_| 1.0),
            series(n, |_| 2.0),
        ];
        let text = scenario_text(&[("low", None), ("high", None)]);
        let (scenario, analysis) = analysed(&text, &profits);
        let w = analysis.worlds.as_ref().unwrap();
        assert_eq!(w.robust, Some(0));
        let v = verdict(&scenario, w);
        assert!(
            v.headline
                .starts_with("`a` is the best option in every state of the world"),
            "{}",
            v.headline
        );
        let losing: Vec<Vec<f64>> = profits
            .iter()
            .map(|p| p.iter().map(|x| -x).collect())
            .collect();
        let (scenario, analysis) = analysed(&text, &losing);
        let w = analysis.worlds.as_ref().unwrap();
        assert_eq!(w.robust, Some(1));
        let v = verdict(&scenario, w);
        assert!(
            v.headline
                .starts_with("No option makes money in any state of the world")
                && v.headline.contains("`b` loses least in every world"),
            "{}",
            v.headline
        );
    }

    #[test]
    fn the_tables_and_csv_have_a_cell_per_option_and_world() {
        let n = 20;
        let profits: Vec<Vec<f64>> = (0..4).map(|i| series(n, |_| i as f64)).collect();
        let text = scenario_text(&[("low", None), ("high", None)]);
        let (_, analysis) = analysed(&text, &profits);
        let w = analysis.worlds.as_ref().unwrap();
        let csv = String::from_utf8(worlds_csv(w, &analysis).unwrap()).unwrap();
        assert_eq!(csv.lines().count(), 5, "{csv}");
        assert!(csv.contains("b,high,,b@high,true"), "{csv}");
        let table = terminal_tables(w, "USD");
        assert!(
            table.contains("worst case") && table.contains("3.0*"),
            "{table}"
        );
    }
}
