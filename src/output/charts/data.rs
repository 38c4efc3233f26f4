//! From a study's results to each chart's data (pure; no drawing, no files).

use super::delay::{cdf, DelayChart, DelaySeries};
use super::fan::{EventSpan, FanChart, FanKind, FanSeries};
use super::head_to_head::{HeadToHeadChart, Pair, MAX_PANELS};
use super::margin::{MarginBox, MarginChart};
use super::money::{MoneyBar, MoneyChart};
use super::profit::{ProfitChart, ProfitSeries};
use super::rates::{RateSeries, RatesChart};
use super::{render, variant_colour, ChartFormat, Rendered};
use crate::params::P;
use crate::scenario::Scenario;
use crate::sim::{Metric, StudyResults};
use crate::stats::{column, StudyAnalysis};

/// Which pairs the head-to-head chart shows: each variant against the baseline when the
/// scenario names one; otherwise every pair when they fit, else each against the first.
pub fn chosen_pairs(n: usize, baseline: Option<usize>) -> Vec<(usize, usize)> {
    match baseline {
        Some(b) => (0..n).filter(|&i| i != b).map(|i| (i, b)).collect(),
        None if n * n.saturating_sub(1) / 2 <= MAX_PANELS => (0..n)
            .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
            .collect(),
        None => (1..n).map(|i| (i, 0)).collect(),
    }
}

/// Every chart of a study, rendered: figures from the analysis, and from `results` only
/// what shows every trial (distributions, per-trial differences, delay histograms).
pub fn study_charts(
    scenario: &Scenario,
    results: &StudyResults,
    analysis: &StudyAnalysis,
    format: ChartFormat,
) -> Result<Vec<Rendered>, String> {
    let spec = &scenario.spec;
    let study = spec.name().to_string();
    let currency = scenario.currency.clone();
    let variants: Vec<_> = spec
        .variants()
        .iter()
        .zip(results.variants.iter().zip(&analysis.variants))
        .enumerate()
        .collect();

    let profit = ProfitChart {
        study: study.clone(),
        currency: currency.clone(),
        series: variants
            .iter()
            .map(|(i, (v, (r, a)))| {
                let s = a.summary(Metric::Profit);
                ProfitSeries {
                    name: v.name.clone(),
                    colour: variant_colour(*i),
                    mean: a.mean(Metric::Profit),
                    p5: s.map_or(f64::NAN, |s| s.p5),
                    p95: s.map_or(f64::NAN, |s| s.p95),
                    p_loss: a.p_loss.p,
                    values: column(r, Metric::Profit),
                }
            })
            .collect(),
    };
    let margin = MarginChart {
        study: study.clone(),
        boxes: variants
            .iter()
            .map(|(i, (v, (_, a)))| MarginBox {
                name: v.name.clone(),
                colour: variant_colour(*i),
                summary: a.summary(Metric::Margin).cloned(),
            })
            .collect(),
    };
    let delay = DelayChart {
        study: study.clone(),
        series: variants
            .iter()
            .map(|(i, (v, (r, a)))| DelaySeries {
                name: v.name.clone(),
                colour: variant_colour(*i),
                cdf: cdf(&r.delay_histogram),
                on_time_rate: a.mean(Metric::OnTimeRate),
                promise_days: v.params.dist(P::PromiseDays).mean().round().max(0.0) as usize,
            })
            .collect(),
    };
    let rates = RatesChart {
        study: study.clone(),
        series: variants
            .iter()
            .map(|(i, (v, (_, a)))| RateSeries {
                name: v.name.clone(),
                colour: variant_colour(*i),
                returns: a.summary(Metric::ReturnRate).cloned(),
                complaints: a.summary(Metric::ComplaintRate).cloned(),
            })
            .collect(),
    };
    let events: Vec<EventSpan> = spec
        .events()
        .iter()
        .map(|e| EventSpan {
            name: if e.markets.is_empty() {
                e.name.clone()
            } else {
                let m: Vec<&str> = e.markets.iter().map(|m| m.name()).collect();
                format!("{} ({})", e.name, m.join(", "))
            },
            start_day: e.start_day + 1,
            end_day: e.end_day + 1,
        })
        .collect();
    let fan = |kind: FanKind| FanChart {
        kind,
        study: study.clone(),
        currency: currency.clone(),
        events: events.clone(),
        series: variants
            .iter()
            .map(|(i, (v, (_, a)))| FanSeries {
                name: v.name.clone(),
                colour: variant_colour(*i),
                bands: match kind {
                    FanKind::CumulativeProfit => a.daily_profit.clone(),
                    FanKind::Cash => a.daily_cash.clone(),
                },
                median_break_even: a.median_break_even,
                break_even_share: a.break_even_share,
                available_capital: v.params.dist(P::AvailableCapital).mean(),
                p_shortfall: a.mean(Metric::CapitalShortfall),
            })
            .collect(),
    };
    let money = MoneyChart {
        study: study.clone(),
        currency: currency.clone(),
        bars: variants
            .iter()
            .map(|(i, (v, (_, a)))| {
                let m = |x: Metric| a.mean(x);
                MoneyBar {
                    name: v.name.clone(),
                    colour: variant_colour(*i),
                    gmv: m(Metric::Gmv),
                    parts: [
                        m(Metric::Refunds),
                        m(Metric::Cogs),
                        m(Metric::PlatformFees),
                        m(Metric::AffiliateCost),
                        m(Metric::LogisticsCost) - m(Metric::StorageCost),
                        m(Metric::StorageCost),
                        m(Metric::MarketingCost) - m(Metric::AffiliateCost),
                        m(Metric::FixedCost),
                        m(Metric::ReturnsCost),
                    ],
                    profit: m(Metric::Profit),
                }
            })
            .collect(),
    };
    let all_pairs = chosen_pairs(spec.variants().len(), scenario.baseline);
    let omitted = all_pairs.len().saturating_sub(MAX_PANELS);
    let head = HeadToHeadChart {
        study: study.clone(),
        currency: currency.clone(),
        omitted,
        pairs: all_pairs
            .iter()
            .take(MAX_PANELS)
            .filter_map(|&(a, b)| {
                let (pa, pb) = (
                    column(&results.variants[a], Metric::Profit),
                    column(&results.variants[b], Metric::Profit),
                );
                let p = analysis.pair(a, b)?.of(Metric::Profit)?;
                Some(Pair {
                    a: spec.variants()[a].name.clone(),
                    b: spec.variants()[b].name.clone(),
                    colour: variant_colour(a),
                    diffs: pa
                        .iter()
                        .zip(&pb)
                        .map(|(x, y)| x - y)
                        .filter(|d| d.is_finite())
                        .collect(),
                    p_a_better: p.p_a_better,
                    mean: p.diff.point,
                })
            })
            .collect(),
    };
    Ok(vec![
        render(&profit, format)?,
        render(&margin, format)?,
        render(&delay, format)?,
        render(&rates, format)?,
        render(&fan(FanKind::CumulativeProfit), format)?,
        render(&fan(FanKind::Cash), format)?,
        render(&money, format)?,
        render(&head, format)?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_follow_the_baseline_or_fit_the_panels() {
        assert_eq!(chosen_pairs(3, None), vec![(0, 1), (0, 2), (1, 2)]);
        assert_eq!(chosen_pairs(3, Some(1)), vec![(0, 1), (2, 1)]);
        assert_eq!(chosen_pairs(10, None).len(), 9);
        assert!(chosen_pairs(1, None).is_empty());
    }
}
