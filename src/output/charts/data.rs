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
use crate::sim::{Metric, VariantSpec};
use crate::stats::accumulate::{StudyAccumulator, VariantAccumulator};
use crate::stats::{StudyAnalysis, VariantAnalysis};

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

/// What every chart builder reads: the study, its results and its analysis.
struct Study<'a> {
    scenario: &'a Scenario,
    results: &'a StudyAccumulator,
    analysis: &'a StudyAnalysis,
}

/// One variant as the charts see it: its index (for its colour), spec, trials and figures.
type VariantView<'a> = (
    usize,
    (
        &'a VariantSpec,
        (&'a VariantAccumulator, &'a VariantAnalysis),
    ),
);

impl<'a> Study<'a> {
    fn name(&self) -> String {
        self.scenario.spec().name().to_string()
    }

    fn currency(&self) -> String {
        self.scenario.currency().to_string()
    }

    fn variants(&self) -> impl Iterator<Item = VariantView<'a>> + 'a {
        self.scenario
            .spec()
            .variants()
            .iter()
            .zip(self.results.variants.iter().zip(&self.analysis.variants))
            .enumerate()
    }

    fn profit(&self) -> ProfitChart {
        ProfitChart {
            study: self.name(),
            currency: self.currency(),
            series: self
                .variants()
                .map(|(i, (v, (r, a)))| {
                    let s = a.summary(Metric::Profit);
                    ProfitSeries {
                        name: v.name().to_string(),
                        colour: variant_colour(i),
                        mean: a.mean(Metric::Profit),
                        p5: s.map_or(f64::NAN, |s| s.p5),
                        p95: s.map_or(f64::NAN, |s| s.p95),
                        p_loss: a.p_loss.p,
                        values: r.output(Metric::Profit).sketch.buckets().collect(),
                    }
                })
                .collect(),
        }
    }

    fn margin(&self) -> MarginChart {
        MarginChart {
            study: self.name(),
            boxes: self
                .variants()
                .map(|(i, (v, (_, a)))| MarginBox {
                    name: v.name().to_string(),
                    colour: variant_colour(i),
                    summary: a.summary(Metric::Margin).cloned(),
                })
                .collect(),
        }
    }

    fn delay(&self) -> DelayChart {
        DelayChart {
            study: self.name(),
            series: self
                .variants()
                .map(|(i, (v, (r, a)))| DelaySeries {
                    name: v.name().to_string(),
                    colour: variant_colour(i),
                    cdf: cdf(&r.delay_histogram),
                    on_time_rate: a.mean(Metric::OnTimeRate),
                    promise_days: v.params().dist(P::PromiseDays).mean().round().max(0.0) as usize,
                })
                .collect(),
        }
    }

    fn rates(&self) -> RatesChart {
        RatesChart {
            study: self.name(),
            series: self
                .variants()
                .map(|(i, (v, (_, a)))| RateSeries {
                    name: v.name().to_string(),
                    colour: variant_colour(i),
                    returns: a.summary(Metric::ReturnRate).cloned(),
                    complaints: a.summary(Metric::ComplaintRate).cloned(),
                })
                .collect(),
        }
    }

    /// The peak events as shaded spans (days from 1; markets named when limited).
    fn event_spans(&self) -> Vec<EventSpan> {
        self.scenario
            .spec()
            .events()
            .iter()
            .map(|e| EventSpan {
                name: if e.markets().is_empty() {
                    e.name().to_string()
                } else {
                    let m: Vec<&str> = e.markets().iter().map(|m| m.name()).collect();
                    format!("{} ({})", e.name(), m.join(", "))
                },
                start_day: e.start_day() + 1,
                end_day: e.end_day() + 1,
            })
            .collect()
    }

    fn fan(&self, kind: FanKind) -> FanChart {
        FanChart {
            kind,
            study: self.name(),
            currency: self.currency(),
            events: self.event_spans(),
            series: self
                .variants()
                .map(|(i, (v, (_, a)))| FanSeries {
                    name: v.name().to_string(),
                    colour: variant_colour(i),
                    bands: match kind {
                        FanKind::CumulativeProfit => a.daily_profit.clone(),
                        FanKind::Cash => a.daily_cash.clone(),
                    },
                    median_break_even: a.median_break_even,
                    break_even_share: a.break_even_share,
                    available_capital: v.params().dist(P::AvailableCapital).mean(),
                    p_shortfall: a.mean(Metric::CapitalShortfall),
                })
                .collect(),
        }
    }

    fn money(&self) -> MoneyChart {
        MoneyChart {
            study: self.name(),
            currency: self.currency(),
            bars: self
                .variants()
                .map(|(i, (v, (_, a)))| {
                    let m = |x: Metric| a.mean(x);
                    MoneyBar {
                        name: v.name().to_string(),
                        colour: variant_colour(i),
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
                            m(Metric::DutiesAndTaxes),
                            m(Metric::StockWriteDown),
                        ],
                        profit: m(Metric::Profit),
                    }
                })
                .collect(),
        }
    }

    fn head_to_head(&self) -> HeadToHeadChart {
        let variants = self.scenario.spec().variants();
        let all_pairs = chosen_pairs(variants.len(), self.scenario.baseline());
        HeadToHeadChart {
            study: self.name(),
            currency: self.currency(),
            omitted: all_pairs.len().saturating_sub(MAX_PANELS),
            pairs: all_pairs
                .iter()
                .take(MAX_PANELS)
                .filter_map(|&(a, b)| {
                    let p = self.analysis.pair(a, b)?.of(Metric::Profit)?;
                    let diffs = &self.results.pair(a, b)?.profit_difference;
                    Some(Pair {
                        a: variants[a].name().to_string(),
                        b: variants[b].name().to_string(),
                        colour: variant_colour(a),
                        diffs: diffs.buckets().collect(),
                        p_a_better: p.p_a_better,
                        mean: p.diff.point,
                    })
                })
                .collect(),
        }
    }
}

/// Every chart of a study, rendered: figures from the analysis, and from `results` only
/// what shows every trial (distributions, per-trial differences, delay histograms).
pub fn study_charts(
    scenario: &Scenario,
    results: &StudyAccumulator,
    analysis: &StudyAnalysis,
    format: ChartFormat,
) -> Result<Vec<Rendered>, String> {
    let study = Study {
        scenario,
        results,
        analysis,
    };
    Ok(vec![
        render(&study.profit(), format)?,
        render(&study.margin(), format)?,
        render(&study.delay(), format)?,
        render(&study.rates(), format)?,
        render(&study.fan(FanKind::CumulativeProfit), format)?,
        render(&study.fan(FanKind::Cash), format)?,
        render(&study.money(), format)?,
        render(&study.head_to_head(), format)?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_money_parts_add_up_to_gmv_less_profit() {
        // Every cost is in exactly one part: a missing or doubled one breaks the chart's
        // "what is left on top is the profit".
        let scenario = crate::scenario::parse(
            crate::scenario::BUILT_IN,
            crate::scenario::BUILT_IN_NAME,
            None,
        )
        .unwrap();
        let spec = scenario.spec().clone().with_trials(50).unwrap();
        let pairs = crate::stats::analysis::table_pairs(spec.variants().len(), None);
        let results =
            StudyAccumulator::run_all(&spec, crate::sim::DrawMethod::PerDay, &pairs, &|_| {});
        let analysis = crate::stats::analyze(&spec, &results, None);
        let study = Study {
            scenario: &scenario,
            results: &results,
            analysis: &analysis,
        };
        for bar in study.money().bars {
            let costs: f64 = bar.parts.iter().sum();
            let scale = bar.gmv.abs().max(1.0);
            assert!(
                (bar.gmv - costs - bar.profit).abs() < 1e-9 * scale,
                "{}: gmv {} costs {costs} profit {}",
                bar.name,
                bar.gmv,
                bar.profit
            );
        }
    }

    #[test]
    fn pairs_follow_the_baseline_or_fit_the_panels() {
        assert_eq!(chosen_pairs(3, None), vec![(0, 1), (0, 2), (1, 2)]);
        assert_eq!(chosen_pairs(3, Some(1)), vec![(0, 1), (2, 1)]);
        assert_eq!(chosen_pairs(10, None).len(), 9);
        assert!(chosen_pairs(1, None).is_empty());
    }
}
