//! Chart 1: the variants' profit distributions overlaid, with mean and p5/p95 markers and
//! the probability of loss in the legend.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{err, padded_range, tick_font, Chart, DrawResult, MAX_LEGEND};
use crate::format::{fmt_number, fmt_percent};

/// One variant's trial profits.
pub struct ProfitSeries {
    /// Variant name (legend).
    pub name: String,
    /// The variant's colour, the same in every chart.
    pub colour: RGBColor,
    /// The trials' profits, each with how many trials it stands for.
    pub values: Vec<(f64, u64)>,
    /// Mean profit (solid line).
    pub mean: f64,
    /// 5th percentile (dashed line).
    pub p5: f64,
    /// 95th percentile (dashed line).
    pub p95: f64,
    /// P(profit < 0) (legend).
    pub p_loss: f64,
}

/// The distribution of profit over trials, per variant.
pub struct ProfitChart {
    /// The study's name, shown in the caption.
    pub study: String,
    /// Currency of the money axes.
    pub currency: String,
    /// One per variant.
    pub series: Vec<ProfitSeries>,
}

/// Values each standing for one trial.
pub fn one_each(values: &[f64]) -> Vec<(f64, u64)> {
    values.iter().map(|&v| (v, 1)).collect()
}

/// Bins of a histogram over `range` as shares of all trials (`values` hold a value and how
/// many trials it stands for).
pub fn shares(values: &[(f64, u64)], range: &std::ops::Range<f64>, bins: usize) -> Vec<f64> {
    let mut counts = vec![0u64; bins];
    let width = (range.end - range.start) / bins as f64;
    for &(v, n) in values {
        if v.is_finite() && v >= range.start && v <= range.end && width > 0.0 {
            let i = (((v - range.start) / width) as usize).min(bins - 1);
            counts[i] += n;
        }
    }
    let total = values.iter().map(|&(_, n)| n).sum::<u64>().max(1) as f64;
    counts.into_iter().map(|c| c as f64 / total).collect()
}

/// The 1st and 99th percentiles over all series: extreme trials do not squash the rest.
pub fn common_range<'a>(all: impl Iterator<Item = &'a [(f64, u64)]>) -> std::ops::Range<f64> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for values in all {
        let mut v: Vec<(f64, u64)> = values
            .iter()
            .copied()
            .filter(|(x, n)| x.is_finite() && *n > 0)
            .collect();
        if v.is_empty() {
            continue;
        }
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        let total: u64 = v.iter().map(|&(_, n)| n).sum();
        // Nearest rank: the value of rank round((n - 1) q).
        let at = |q: f64| {
            let rank = ((total - 1) as f64 * q).round() as u64;
            let mut below = 0;
            for &(x, n) in &v {
                below += n;
                if rank < below {
                    return x;
                }
            }
            v[v.len() - 1].0
        };
        lo = lo.min(at(0.01));
        hi = hi.max(at(0.99));
    }
    padded_range(lo, hi, 0.04)
}

/// Step outline of a histogram: (x, share) corners.
pub fn step_points(shares: &[f64], range: &std::ops::Range<f64>) -> Vec<(f64, f64)> {
    let width = (range.end - range.start) / shares.len().max(1) as f64;
    let mut pts = vec![(range.start, 0.0)];
    for (i, &s) in shares.iter().enumerate() {
        let x0 = range.start + i as f64 * width;
        pts.push((x0, s));
        pts.push((x0 + width, s));
    }
    pts.push((range.end, 0.0));
    pts
}

impl Chart for ProfitChart {
    fn file_stem(&self) -> &'static str {
        "profit_distribution"
    }

    fn title(&self) -> &'static str {
        "Profit distribution"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        const BINS: usize = 60;
        let range = common_range(self.series.iter().map(|s| s.values.as_slice()));
        let histograms: Vec<Vec<f64>> = self
            .series
            .iter()
            .map(|s| shares(&s.values, &range, BINS))
            .collect();
        // The tallest bin; the mean's line rises a little above it, the percentiles' to it.
        let peak = histograms
            .iter()
            .flatten()
            .copied()
            .fold(0.0, f64::max)
            .max(1e-9);
        let (mean_top, quantile_top) = (peak * 1.06, peak);
        let title = super::caption_with_legend_note(
            format!("{}: profit over the horizon", self.study),
            self.series.len(),
        );
        let body = super::layout::draw_title(area, &title, super::layout::TITLE_SIZE)?;
        // A strip at the bottom for the note on the lines.
        let (body, note_strip) = body.split_vertically(body.dim_in_pixel().1.saturating_sub(26));
        let labels: Vec<String> = self
            .series
            .iter()
            .take(MAX_LEGEND)
            .map(|s| {
                format!(
                    "{}: mean {}, P(loss) {}",
                    s.name,
                    fmt_number(s.mean),
                    fmt_percent(s.p_loss)
                )
            })
            .collect();
        let clip = |x: f64| x.clamp(range.start, range.end);
        let (mut chart, legend_at) = super::layout::chart_with_legend(
            |y| {
                ChartBuilder::on(&body)
                    .margin(20)
                    .x_label_area_size(60)
                    .y_label_area_size(80)
                    .build_cartesian_2d(range.clone(), y)
                    .map_err(err)
            },
            0.0..peak * 1.15,
            true,
            |o| {
                if range.start < 0.0 && range.end > 0.0 {
                    o.line(&[(0.0, 0.0), (0.0, mean_top)]);
                }
                let width = (range.end - range.start) / BINS as f64;
                for (s, h) in self.series.iter().zip(&histograms) {
                    for (i, &share) in h.iter().enumerate() {
                        if share > 0.0 {
                            let x0 = range.start + i as f64 * width;
                            o.rect((x0, 0.0), (x0 + width, share));
                        }
                    }
                    o.line(&[(clip(s.mean), 0.0), (clip(s.mean), mean_top)]);
                    for q in [s.p5, s.p95] {
                        o.line(&[(clip(q), 0.0), (clip(q), quantile_top)]);
                    }
                }
            },
            &labels,
            &super::legend_font(self.series.len()),
        )?;
        super::styled_mesh(&mut chart)
            .x_desc(format!("Profit over the horizon ({})", self.currency))
            .y_desc("Share of trials per bin")
            .x_label_formatter(&|v| fmt_number(*v))
            .y_label_formatter(&|v| fmt_percent(*v))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        if range.start < 0.0 && range.end > 0.0 {
            chart
                .draw_series(LineSeries::new(
                    [(0.0, 0.0), (0.0, mean_top)],
                    BLACK.stroke_width(1),
                ))
                .map_err(err)?;
        }
        for (i, (s, h)) in self.series.iter().zip(&histograms).enumerate() {
            let colour = s.colour;
            let label = labels.get(i).cloned();
            super::draw_histogram(&mut chart, h, &range, colour, 0.12, label)?;
            chart
                .draw_series(LineSeries::new(
                    [(clip(s.mean), 0.0), (clip(s.mean), mean_top)],
                    colour.stroke_width(2),
                ))
                .map_err(err)?;
            for q in [s.p5, s.p95] {
                if q.is_finite() {
                    chart
                        .draw_series(DashedLineSeries::new(
                            [(clip(q), 0.0), (clip(q), quantile_top)],
                            6,
                            5,
                            colour.stroke_width(1),
                        ))
                        .map_err(err)?;
                }
            }
        }
        super::draw_legend(&mut chart, legend_at, self.series.len())?;
        let note = "solid line: mean; dashed: 5th and 95th percentiles; x axis spans the 1st-99th percentiles";
        note_strip
            .draw_text(note, &tick_font().color(&BLACK.mix(0.6)), (100, 2))
            .map_err(err)?;
        Ok(())
    }
}
