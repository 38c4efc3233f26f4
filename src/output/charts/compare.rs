//! Charts of `shopsim compare`: the same variant across runs side by side, as boxes from
//! each run's summary (always) and as overlaid distributions (when the runs kept trials).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::profit::{common_range, one_each, shares};
use super::{err, padded_range, tick_font, variant_colour, Chart, DrawResult};
use crate::compare::Comparison;
use crate::format::{fmt_number, fmt_percent};

fn fmt_value(fraction: bool, v: f64) -> String {
    if fraction {
        fmt_percent(v)
    } else {
        fmt_number(v)
    }
}

fn is_fraction(metric: &str) -> bool {
    crate::sim::Metric::from_name(metric).is_some_and(|m| m.unit() == crate::sim::Unit::Fraction)
}

/// Boxes (p5, p25, p50, p75, p95, mean) per matched variant, one per run.
pub struct CompareBoxes<'a>(pub &'a Comparison);

impl Chart for CompareBoxes<'_> {
    fn file_stem(&self) -> &'static str {
        "compare_boxes"
    }

    fn title(&self) -> &'static str {
        "Runs side by side"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let c = self.0;
        let fraction = is_fraction(&c.metric);
        let rows: Vec<_> = c
            .matched
            .iter()
            .map(|m| {
                let stats: Vec<_> = m
                    .runs
                    .iter()
                    .map(|&r| {
                        (
                            r,
                            &c.runs[r].summary[&(m.variant.clone(), c.metric.clone())],
                        )
                    })
                    .collect();
                (m.variant.clone(), stats)
            })
            .collect();
        let all = rows.iter().flat_map(|(_, s)| s.iter().map(|(_, x)| *x));
        let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), s| {
            (lo.min(s.p5).min(s.mean), hi.max(s.p95).max(s.mean))
        });
        let x_range = padded_range(lo, hi, 0.06);
        let names: Vec<String> = rows.iter().map(|(n, _)| n.clone()).collect();
        let runs = c.runs.len().max(1);
        let body = super::layout::draw_title(
            area,
            &format!("{} by variant, run by run", c.metric),
            super::layout::TITLE_SIZE,
        )?;
        let slot = 0.8 / runs as f64;
        // Each run's box: its row, its y and its half-height.
        let at = |i: usize, r: usize| (i as f64 - 0.4 + slot * (r as f64 + 0.5), slot * 0.35);
        let labels: Vec<String> = c
            .runs
            .iter()
            .enumerate()
            .map(|(r, run)| format!("{}: {}", crate::compare::run_letter(r), run.label))
            .collect();
        let (mut chart, legend_at) = super::layout::chart_with_legend(
            |y| super::category_rows_chart_over(&body, x_range.clone(), y, &names),
            super::category_rows(&names),
            true,
            |o| {
                for (i, (_, stats)) in rows.iter().enumerate() {
                    for (r, s) in stats {
                        let (y, half) = at(i, *r);
                        o.rect((s.p5.min(s.mean), y - half), (s.p95.max(s.mean), y + half));
                    }
                }
            },
            &labels,
            &super::legend_font(labels.len()),
        )?;
        let currency = &c.runs[0].currency;
        super::draw_category_rows_mesh(
            &mut chart,
            format!(
                "{} ({}; box: 25th-75th percentile, whiskers: 5th-95th, dot: mean)",
                c.metric,
                if fraction { "share" } else { currency.as_str() }
            ),
            &|v| fmt_value(fraction, *v),
            &names,
        )?;
        for (i, (_, stats)) in rows.iter().enumerate() {
            for (r, s) in stats {
                let colour = variant_colour(*r);
                let (y, half) = at(i, *r);
                let stats = super::BoxStats {
                    p5: s.p5,
                    p25: s.p25,
                    p50: s.p50,
                    p75: s.p75,
                    p95: s.p95,
                };
                super::draw_box(&mut chart, stats, y, half, colour)?;
                chart
                    .draw_series(std::iter::once(Circle::new((s.mean, y), 5, BLACK.filled())))
                    .map_err(err)?;
            }
        }
        for (r, label) in labels.iter().enumerate() {
            let colour = variant_colour(r);
            chart
                .draw_series(std::iter::once(Circle::new(
                    (x_range.start, -10.0),
                    0,
                    colour.filled(),
                )))
                .map_err(err)?
                .label(label.clone())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 20, y + 6)], colour.filled())
                });
        }
        super::draw_legend(&mut chart, legend_at, c.runs.len())?;
        Ok(())
    }
}

/// A variant and, per run that kept them, its per-trial values.
pub type RunTrials<'a> = (String, Vec<(usize, &'a Vec<f64>)>);

/// Overlaid per-trial distributions of each matched variant, one panel per variant.
pub struct CompareDistributions<'a>(pub &'a Comparison);

impl CompareDistributions<'_> {
    /// Variants with trials in at least two runs (only those can be drawn).
    pub fn drawable(&self) -> Vec<RunTrials<'_>> {
        let c = self.0;
        c.matched
            .iter()
            .filter_map(|m| {
                let with: Vec<(usize, &Vec<f64>)> = m
                    .runs
                    .iter()
                    .filter_map(|&r| c.trials(r, &m.variant).map(|t| (r, t)))
                    .collect();
                (with.len() >= 2).then(|| (m.variant.clone(), with))
            })
            .collect()
    }
}

impl Chart for CompareDistributions<'_> {
    fn file_stem(&self) -> &'static str {
        "compare_distributions"
    }

    fn title(&self) -> &'static str {
        "Distributions across runs"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let c = self.0;
        let fraction = is_fraction(&c.metric);
        let body = super::layout::draw_title(
            area,
            &format!("{}: per-trial distributions, run by run", c.metric),
            super::layout::TITLE_SIZE,
        )?;
        let panels_data = self.drawable();
        let k = panels_data.len().clamp(1, 12);
        let (rows, cols) = super::grid_shape(k);
        let panels = body.split_evenly((rows, cols));
        for ((variant, runs), panel) in panels_data.iter().take(12).zip(panels.iter()) {
            let counted: Vec<Vec<(f64, u64)>> = runs.iter().map(|(_, t)| one_each(t)).collect();
            let range = common_range(counted.iter().map(|c| c.as_slice()));
            let hs: Vec<Vec<f64>> = counted.iter().map(|c| shares(c, &range, 40)).collect();
            let top = hs.iter().flatten().copied().fold(0.0, f64::max).max(1e-9) * 1.2;
            let panel = super::layout::draw_title(panel, variant, 18)?;
            let mut chart = super::histogram_panel(&panel, 30, range.clone(), top)?;
            super::draw_histogram_panel_mesh(&mut chart, &|v| fmt_value(fraction, *v), None)?;
            for ((r, _), h) in runs.iter().zip(&hs) {
                let colour = variant_colour(*r);
                let label = Some(format!(
                    "{}: {}",
                    crate::compare::run_letter(*r),
                    c.runs[*r].label
                ));
                super::draw_histogram(&mut chart, h, &range, colour, 0.15, label)?;
            }
            super::draw_legend(&mut chart, SeriesLabelPosition::UpperRight, runs.len())?;
        }
        if panels_data.is_empty() {
            body.draw_text(
                "no variant has per-trial data in two runs (run with --write-trials to keep it)",
                &tick_font(),
                (40, 40),
            )
            .map_err(err)?;
        }
        Ok(())
    }
}
