//! The answer in plain words: which option is most likely best and how likely, its chance
//! of a loss, the cash it needs, and the caveats that matter. Plain text, so the report and
//! the terminal say the same thing.

use super::analysis_page::shell_word;
use crate::format::{fmt_number, fmt_percent};
use crate::metric::Metric;
use crate::scenario::Scenario;
use crate::stats::StudyAnalysis;

/// Below this many trials a run is called a quick look.
pub(super) const FEW_TRIALS: u64 = 200;

/// A study's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// The one sentence to read if nothing else is read.
    pub headline: String,
    /// What the best option costs and risks.
    pub details: Vec<String>,
    /// Why the best option is ahead of the runner-up: the money lines that make the
    /// difference of their mean profits, largest first.
    pub drivers: Option<String>,
    /// What could make the answer wrong or hard to act on, most important first.
    pub caveats: Vec<String>,
    /// The command that would settle a close or losing answer, when there is one.
    pub next_step: Option<String>,
}

/// The verdict of a study.
pub fn verdict(scenario: &Scenario, analysis: &StudyAnalysis) -> Verdict {
    if let Some(worlds) = &analysis.worlds {
        return super::worlds::verdict(scenario, worlds);
    }
    let currency = scenario.currency();
    let variants = &analysis.variants;
    let best = best_option(analysis);
    let b = &variants[best];
    let profit = b.summary(Metric::Profit);
    let runner = runner_up(analysis, best);
    let tie = runner.filter(|&r| tied(analysis, best, r));
    let near_tie = runner
        .filter(|_| tie.is_none())
        .and_then(|r| near_tie(analysis, best, r).map(|p| (r, p)));
    let all_lose = variants.len() > 1 && tie.is_none() && variants.iter().all(|v| v.p_loss.p > 0.5);
    // The headline says one thing first: that nothing makes money, else that it is close.
    let near_tie = near_tie.filter(|_| !all_lose);
    let headline = match (variants.len(), profit, tie) {
        (1, _, _) => format!("`{}` is the only option studied.", b.name),
        (_, Some(p), None) if all_lose => format!(
            "No option makes money here: every one loses money in more than half of the trials. `{}` loses least: it does best in {} of trials, with a mean profit of {} {currency} (95% interval {} to {}) and a loss in {} of them.",
            b.name,
            fmt_percent(b.p_best),
            fmt_number(p.mean.point),
            fmt_number(p.mean.ci_low),
            fmt_number(p.mean.ci_high),
            fmt_percent(b.p_loss.p)
        ),
        (_, Some(_), None) if near_tie.is_some() => {
            let (r, pair) = near_tie.clone().expect("checked");
            format!(
                "`{}` and `{}` are a near tie: `{}` makes more profit in {} of trials, {} {currency} more on average (95% interval {} to {}), too close to choose on profit alone.",
                b.name,
                variants[r].name,
                b.name,
                fmt_percent(pair.p_a_better),
                fmt_number(pair.diff.point),
                fmt_number(pair.diff.ci_low),
                fmt_number(pair.diff.ci_high)
            )
        }
        (_, Some(p), Some(r)) => format!(
            "`{}` and `{}` tie: they make the same profit in every trial, a mean of {} {currency} (95% interval {} to {}); they may be one option under two names.",
            b.name,
            variants[r].name,
            fmt_number(p.mean.point),
            fmt_number(p.mean.ci_low),
            fmt_number(p.mean.ci_high)
        ),
        (_, Some(p), None) => format!(
            "`{}` is most likely the best option: it makes the most profit in {} of trials, with a mean profit of {} {currency} (95% interval {} to {}).",
            b.name,
            fmt_percent(b.p_best),
            fmt_number(p.mean.point),
            fmt_number(p.mean.ci_low),
            fmt_number(p.mean.ci_high)
        ),
        (_, None, _) => format!("`{}` is most likely the best option.", b.name),
    };
    let mut details = vec![format!(
        "Its chance of a loss over the {} days is {}; it needs {} {currency} of working capital on average, and runs out of the available capital in {} of trials.",
        scenario.spec().horizon_days(),
        fmt_percent(b.p_loss.p),
        fmt_number(b.mean(Metric::WorkingCapitalNeeded)),
        fmt_percent(b.mean(Metric::CapitalShortfall)),
    )];
    details.push(match b.median_break_even {
        Some(day) => format!("Half of its trials have broken even by day {day:.0}."),
        None => format!(
            "It breaks even within the horizon in only {} of trials.",
            fmt_percent(b.break_even_share)
        ),
    });
    let file = command_file(scenario);
    let mut next_step = None;
    if let Some((r, _)) = near_tie {
        next_step = Some(format!(
            "What would settle it: `shopsim sensitivity{file} --a {} --b {}` ranks the inputs that decide which of the two makes more; `shopsim threshold{file} --param KEY --between LOW HIGH --a {} --b {}` finds the value of one of them where the answer flips.",
            shell_word(&b.name),
            shell_word(&variants[r].name),
            shell_word(&b.name),
            shell_word(&variants[r].name)
        ));
    } else if all_lose {
        next_step = Some(format!(
            "What would change that: `shopsim sensitivity{file} --variant {}` ranks the inputs that move its profit most; `shopsim sweep{file} --variant {} --range KEY=LOW:HIGH:STEPS` over one of them shows where it breaks even.",
            shell_word(&b.name),
            shell_word(&b.name)
        ));
    }
    Verdict {
        headline,
        details,
        drivers: runner
            .filter(|_| tie.is_none())
            .map(|r| drivers_text(analysis, best, r, currency)),
        caveats: caveats(scenario, analysis, best)
            .into_iter()
            // What the headline says is not repeated as a caveat.
            .filter(|c| !(all_lose && c.starts_with(EVERY_OPTION_LOSES)))
            .filter(|c| !(near_tie.is_some() && c.starts_with(CLOSE_CHOICE)))
            .collect(),
        next_step,
    }
}

/// The scenario as a command's argument: nothing for the built-in study (every command's
/// default), else its path with a leading space.
pub fn command_file(scenario: &Scenario) -> String {
    if scenario.origin() == crate::scenario::BUILT_IN_NAME {
        String::new()
    } else if scenario.origin() == crate::scenario::STDIN_NAME {
        // Read from standard input: the study folder keeps it as scenario.toml.
        format!(" {}", super::folder::STDIN_SCENARIO)
    } else {
        format!(" {}", shell_word(scenario.origin()))
    }
}

/// Whether the best option and the runner-up are too close to choose between on profit:
/// the best makes more in fewer than [`CLOSE_SHARE`] of trials, or the paired interval of
/// the difference of their mean profits reaches 0. Returns that comparison.
fn near_tie(analysis: &StudyAnalysis, best: usize, runner: usize) -> Option<crate::stats::Paired> {
    let pair = analysis.pair(best, runner)?.of(Metric::Profit)?;
    (pair.p_a_better < CLOSE_SHARE || pair.diff.ci_low.is_nan() || pair.diff.ci_low <= 0.0)
        .then(|| pair.clone())
}

/// Below this share of trials won head to head, the best option is not clearly better
/// than the runner-up.
const CLOSE_SHARE: f64 = 0.6;
/// How the caveat that every option loses money begins.
const EVERY_OPTION_LOSES: &str = "Every option loses money";
/// How the caveat of a close choice begins.
const CLOSE_CHOICE: &str = "The choice is close";

/// The option most likely to make the most profit: the highest P(best); equal chances
/// go to the higher mean profit, then to the name first in alphabetical order (so the
/// answer does not depend on the order the file lists the options in).
fn best_option(analysis: &StudyAnalysis) -> usize {
    let variants = &analysis.variants;
    (0..variants.len())
        .max_by(|&a, &b| {
            variants[a]
                .p_best
                .total_cmp(&variants[b].p_best)
                .then_with(|| by_mean_profit(analysis, a, b))
        })
        .unwrap_or(0)
}

/// The option the best is compared with: the next-highest mean profit, equal means going
/// to the name first in alphabetical order.
fn runner_up(analysis: &StudyAnalysis, best: usize) -> Option<usize> {
    (0..analysis.variants.len())
        .filter(|&i| i != best)
        .max_by(|&a, &b| by_mean_profit(analysis, a, b))
}

/// Orders `a` against `b` by mean profit (an undefined mean lowest), then by name with
/// the alphabetically first as the greater.
fn by_mean_profit(analysis: &StudyAnalysis, a: usize, b: usize) -> std::cmp::Ordering {
    let mean = |i: usize| {
        let m = analysis.variants[i].mean(Metric::Profit);
        if m.is_nan() {
            f64::NEG_INFINITY
        } else {
            m
        }
    };
    mean(a)
        .total_cmp(&mean(b))
        .then_with(|| analysis.variants[b].name.cmp(&analysis.variants[a].name))
}

/// Whether `a` and `b` are a tie: the same profit in every trial (when the pair is
/// compared), or else the same mean profit and the same chance of being best.
fn tied(analysis: &StudyAnalysis, a: usize, b: usize) -> bool {
    let (va, vb) = (&analysis.variants[a], &analysis.variants[b]);
    match analysis.pair(a, b).and_then(|p| p.of(Metric::Profit)) {
        Some(p) => p.diff.point == 0.0 && p.sd_diff == 0.0,
        None => va.p_best == vb.p_best && va.mean(Metric::Profit) == vb.mean(Metric::Profit),
    }
}

/// The money lines of profit: revenue counts up, every cost down.
const PROFIT_LINES: [(Metric, &str, bool); 9] = [
    (Metric::NetRevenue, "net revenue", true),
    (Metric::Cogs, "goods", false),
    (Metric::PlatformFees, "platform fees", false),
    (Metric::LogisticsCost, "logistics", false),
    (
        Metric::MarketingCost,
        "ads, lives, creators and refreshes",
        false,
    ),
    (Metric::FixedCost, "fixed costs", false),
    (Metric::ReturnsCost, "returns and complaints", false),
    (Metric::DutiesAndTaxes, "duties and taxes", false),
    (Metric::StockWriteDown, "stock write-down", false),
];

/// How each money line moves `a`'s mean profit against `b`'s, largest first: the effects
/// add up to the difference of the two mean profits (profit is the sum of its lines in
/// every trial).
pub fn profit_drivers(analysis: &StudyAnalysis, a: usize, b: usize) -> Vec<(Metric, f64)> {
    let (va, vb) = (&analysis.variants[a], &analysis.variants[b]);
    let mut effects: Vec<(Metric, f64)> = PROFIT_LINES
        .iter()
        .map(|&(m, _, revenue)| {
            let difference = va.mean(m) - vb.mean(m);
            (m, if revenue { difference } else { -difference })
        })
        .collect();
    effects.sort_by(|x, y| y.1.abs().total_cmp(&x.1.abs()));
    effects
}

fn drivers_text(analysis: &StudyAnalysis, a: usize, b: usize, currency: &str) -> String {
    let (va, vb) = (&analysis.variants[a], &analysis.variants[b]);
    let gap = va.mean(Metric::Profit) - vb.mean(Metric::Profit);
    let lines: Vec<String> = profit_drivers(analysis, a, b)
        .into_iter()
        .take(4)
        .filter(|(_, effect)| effect.abs() >= 0.005 * gap.abs().max(1.0))
        .map(|(m, effect)| {
            let (_, label, revenue) = PROFIT_LINES
                .iter()
                .find(|(line, _, _)| *line == m)
                .copied()
                .unwrap_or((m, "other", false));
            let higher = (effect > 0.0) == revenue;
            format!(
                "{} {label} ({}{})",
                if higher { "higher" } else { "lower" },
                if effect >= 0.0 { "+" } else { "" },
                fmt_number(effect)
            )
        })
        .collect();
    format!(
        "Against `{}`, `{}` makes {} {currency} {} mean profit; the lines that make the difference (effect on profit): {}.",
        vb.name,
        va.name,
        fmt_number(gap.abs()),
        if gap >= 0.0 { "more" } else { "less" },
        lines.join(", ")
    )
}

fn caveats(scenario: &Scenario, analysis: &StudyAnalysis, best: usize) -> Vec<String> {
    let variants = &analysis.variants;
    let mut out = Vec::new();
    if variants.iter().all(|v| v.p_loss.p > 0.5) {
        out.push(format!("{EVERY_OPTION_LOSES} in more than half of the trials: the question may be which loses least, or whether to sell this way at all."));
    }
    if variants.iter().all(|v| v.median_break_even.is_none()) {
        out.push("No option breaks even within the horizon in most trials.".to_string());
    }
    // The runner-up by mean profit, and how often the best beats it head to head.
    if let Some(r) = runner_up(analysis, best).filter(|&r| !tied(analysis, best, r)) {
        let head_to_head = analysis
            .pair(best, r)
            .and_then(|p| p.of(Metric::Profit))
            .map(|p| p.p_a_better);
        if let Some(p) = head_to_head.filter(|&p| p < CLOSE_SHARE) {
            out.push(format!(
                "{CLOSE_CHOICE}: `{}` beats `{}` in only {} of trials.",
                variants[best].name,
                variants[r].name,
                fmt_percent(p)
            ));
        }
    }
    let trials = scenario.spec().trials();
    if trials < FEW_TRIALS {
        out.push(format!(
            "Only {}: a quick look; rerun with more (e.g. --trials 4000) before deciding.",
            crate::format::plural(trials, "trial")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{parse, BUILT_IN, BUILT_IN_NAME};
    use crate::sim::{BatchOutputs, DrawMethod, Outputs, VariantBatch};
    use crate::stats::analysis::table_pairs;
    use crate::stats::{analyze, StudyAccumulator};

    fn run_all(scenario: &Scenario) -> StudyAccumulator {
        let pairs = table_pairs(scenario.spec().variants().len(), scenario.baseline());
        StudyAccumulator::run_all(scenario.spec(), DrawMethod::PerDay, &pairs, &|_| {})
    }

    /// Results where variant `i` makes profit `profits[i][t]` in trial `t`.
    fn analysed(profits: &[Vec<f64>]) -> (Scenario, StudyAnalysis) {
        let mut scenario = parse(BUILT_IN, BUILT_IN_NAME, None).unwrap();
        scenario
            .override_run(Some(profits[0].len() as u64), None)
            .unwrap();
        let horizon = scenario.spec().horizon_days();
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
                            o[Metric::BreakEvenDay] = if x > 0.0 { 30.0 } else { f64::NAN };
                            o
                        })
                        .collect(),
                    cumulative_profit: vec![0.0; p.len() * horizon],
                    cash: vec![0.0; p.len() * horizon],
                    delay_histogram: Vec::new(),
                })
                .collect(),
        };
        let pairs = table_pairs(profits.len(), None);
        let mut results = StudyAccumulator::new(profits.len(), horizon, &pairs);
        results.add_batch(&batch);
        let analysis = analyze(scenario.spec(), &results, None);
        (scenario, analysis)
    }

    #[test]
    fn the_profit_drivers_add_up_to_the_gap_and_name_the_runner_up() {
        let mut scenario = parse(BUILT_IN, BUILT_IN_NAME, None).unwrap();
        scenario.override_run(Some(60), None).unwrap();
        let results = run_all(&scenario);
        let analysis = analyze(scenario.spec(), &results, None);
        let n = analysis.variants.len();
        for a in 0..n {
            for b in (0..n).filter(|&b| b != a) {
                let effects = profit_drivers(&analysis, a, b);
                let total: f64 = effects.iter().map(|(_, e)| e).sum();
                let gap = analysis.variants[a].mean(Metric::Profit)
                    - analysis.variants[b].mean(Metric::Profit);
                let scale = analysis.variants[a].mean(Metric::Gmv).abs().max(1.0);
                assert!((total - gap).abs() < 1e-9 * scale, "{total} vs {gap}");
                // Largest first.
                assert!(effects.windows(2).all(|w| w[0].1.abs() >= w[1].1.abs()));
            }
        }
        let v = verdict(&scenario, &analysis);
        let why = v.drivers.unwrap();
        assert!(
            why.starts_with("Against `") && why.contains("mean profit"),
            "{why}"
        );
    }

    #[test]
    fn the_best_is_the_most_often_best_and_losses_are_called_out() {
        // Four variants (the built-in study's), 250 trials: the second wins 3 trials in 5.
        let n = 250;
        let p = |f: &dyn Fn(usize) -> f64| (0..n).map(f).collect::<Vec<f64>>();
        let profits = vec![
            p(&|t| if t % 5 < 3 { -10.0 } else { 50.0 }),
            p(&|t| if t % 5 < 3 { 40.0 } else { -5.0 }),
            p(&|_| -100.0),
            p(&|_| -200.0),
        ];
        let (scenario, analysis) = analysed(&profits);
        let v = verdict(&scenario, &analysis);
        let second = scenario.spec().variants()[1].name();
        assert!(
            v.headline
                .starts_with(&format!("`{second}` is most likely the best")),
            "{}",
            v.headline
        );
        assert!(v.headline.contains("60.0% of trials"), "{}", v.headline);
        // It beats the first in 60% of trials: not called close; not every option loses.
        assert!(
            v.caveats
                .iter()
                .all(|c| !c.contains("close") && !c.contains("Every option")),
            "{:?}",
            v.caveats
        );

        let losing = vec![
            p(&|_| -1.0),
            p(&|t| if t % 2 == 0 { -2.0 } else { -0.5 }),
            p(&|_| -3.0),
            p(&|_| -4.0),
        ];
        let (scenario, analysis) = analysed(&losing);
        let v = verdict(&scenario, &analysis);
        // Said first, in the headline, not as a caveat further down.
        let first = scenario.spec().variants()[0].name();
        assert!(
            v.headline.starts_with(&format!(
                "No option makes money here: every one loses money in more than half of the trials. `{first}` loses least"
            )),
            "{}",
            v.headline
        );
        assert!(v.caveats.iter().all(|c| !c.starts_with("Every option")));
        assert!(
            v.next_step.as_deref().is_some_and(
                |d| d.starts_with("What would change that: `shopsim sensitivity --variant")
            ),
            "{:?}",
            v.next_step
        );
        assert!(
            v.caveats[0].starts_with("No option breaks even"),
            "{:?}",
            v.caveats
        );
        assert!(
            v.caveats[1].contains("beats") && v.caveats[1].contains("50.0%"),
            "{:?}",
            v.caveats
        );
        assert!(
            v.details[1].contains("breaks even within the horizon in only 0.0%"),
            "{:?}",
            v.details
        );
    }

    #[test]
    fn a_close_choice_is_called_a_near_tie_in_the_headline() {
        // The second beats the first in 11 trials of 20 (55%), both make money.
        let n = 200;
        let p = |f: &dyn Fn(usize) -> f64| (0..n).map(f).collect::<Vec<f64>>();
        let profits = vec![
            p(&|t| if t % 20 < 11 { 100.0 } else { 130.0 }),
            p(&|t| if t % 20 < 11 { 120.0 } else { 110.0 }),
            p(&|_| -100.0),
            p(&|_| -200.0),
        ];
        let (scenario, analysis) = analysed(&profits);
        let names = scenario.spec().variant_names();
        let v = verdict(&scenario, &analysis);
        assert!(
            v.headline.starts_with(&format!(
                "`{}` and `{}` are a near tie: `{}` makes more profit in 55.0% of trials",
                names[1], names[0], names[1]
            )),
            "{}",
            v.headline
        );
        assert!(v
            .caveats
            .iter()
            .all(|c| !c.starts_with("The choice is close")));
        assert!(
            v.next_step.as_deref().is_some_and(|d| d.contains(&format!(
                "`shopsim sensitivity --a {} --b {}`",
                names[1], names[0]
            ))),
            "{:?}",
            v.next_step
        );
        // A clear win is not called a near tie.
        let clear = vec![p(&|_| 100.0), p(&|_| 200.0), p(&|_| -100.0), p(&|_| -200.0)];
        let (scenario, analysis) = analysed(&clear);
        let v = verdict(&scenario, &analysis);
        assert!(
            v.headline.contains("is most likely the best option"),
            "{}",
            v.headline
        );
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("scenarios/a.toml"), "scenarios/a.toml");
        assert_eq!(shell_word("fbt@duty_25"), "fbt@duty_25");
        assert_eq!(shell_word("my shop's.toml"), "'my shop'\\''s.toml'");
    }

    #[test]
    fn the_runner_up_is_the_next_highest_mean_profit_whatever_the_order() {
        let n = 100;
        let p = |f: &dyn Fn(usize) -> f64| (0..n).map(f).collect::<Vec<f64>>();
        // The second always wins; the others never do, and the worst is listed first and
        // last: the runner-up is the third, with the next-highest mean.
        let profits = vec![
            p(&|_| -300.0),
            p(&|t| 100.0 + t as f64),
            p(&|_| -50.0),
            p(&|_| -400.0),
        ];
        let (scenario, analysis) = analysed(&profits);
        let names: Vec<&str> = scenario
            .spec()
            .variants()
            .iter()
            .map(|v| v.name())
            .collect();
        let v = verdict(&scenario, &analysis);
        let why = v.drivers.unwrap();
        assert!(
            why.starts_with(&format!("Against `{}`, `{}`", names[2], names[1])),
            "{why}"
        );
    }

    #[test]
    fn identical_options_are_called_a_tie() {
        let n = 100;
        let p = |f: &dyn Fn(usize) -> f64| (0..n).map(f).collect::<Vec<f64>>();
        let same = p(&|t| (t % 7) as f64 * 10.0);
        let profits = vec![p(&|_| -10.0), same.clone(), same, p(&|_| -20.0)];
        let (scenario, analysis) = analysed(&profits);
        let names: Vec<&str> = scenario
            .spec()
            .variants()
            .iter()
            .map(|v| v.name())
            .collect();
        let v = verdict(&scenario, &analysis);
        // The alphabetically first of the two is named first.
        let (first, second) = if names[1] < names[2] {
            (names[1], names[2])
        } else {
            (names[2], names[1])
        };
        assert!(
            v.headline.starts_with(&format!(
                "`{first}` and `{second}` tie: they make the same profit in every trial"
            )),
            "{}",
            v.headline
        );
        assert_eq!(v.drivers, None);
        assert!(
            v.caveats.iter().all(|c| !c.contains("close")),
            "{:?}",
            v.caveats
        );
    }

    #[test]
    fn a_quick_run_says_so() {
        let mut scenario = parse(BUILT_IN, BUILT_IN_NAME, None).unwrap();
        scenario.override_run(Some(20), None).unwrap();
        let results = run_all(&scenario);
        let analysis = analyze(scenario.spec(), &results, scenario.baseline());
        let v = verdict(&scenario, &analysis);
        assert!(
            v.caveats.iter().any(|c| c.starts_with("Only 20 trials")),
            "{:?}",
            v.caveats
        );
    }
}
