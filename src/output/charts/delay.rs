//! Chart 3: cumulative distribution of delivery days per variant, with the promise date
//! and the on-time rate in the legend.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{err, tick_font, Chart, DrawResult, MAX_LEGEND};
use crate::format::fmt_percent;

/// One variant's delivery delays.
pub struct DelaySeries {
    /// Variant name (legend).
    pub name: String,
    /// The variant's colour, the same in every chart.
    pub colour: RGBColor,
    /// Share of delivered parcels within `d` days, for d = 0, 1, ...
    pub cdf: Vec<f64>,
    /// Mean on-time rate over trials (legend).
    pub on_time_rate: f64,
    /// The promise date in days (the dashed line).
    pub promise_days: usize,
}

/// The share of parcels delivered within a number of days, per variant.
pub struct DelayChart {
    /// The study's name, shown in the caption.
    pub study: String,
    /// One per variant.
    pub series: Vec<DelaySeries>,
}

/// The CDF of a histogram of counts (empty when nothing was delivered).
pub fn cdf(histogram: &[u64]) -> Vec<f64> {
    let total: u64 = histogram.iter().sum();
    if total == 0 {
        return Vec::new();
    }
    let mut seen = 0;
    histogram
        .iter()
        .map(|&n| {
            seen += n;
            seen as f64 / total as f64
        })
        .collect()
}

impl Chart for DelayChart {
    fn file_stem(&self) -> &'static str {
        "delivery_delay"
    }

    fn title(&self) -> &'static str {
        "Delivery delay"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        // Show days up to where every variant has delivered 99.9%, and the promise dates.
        let last = self
            .series
            .iter()
            .map(|s| {
                s.cdf
                    .iter()
                    .position(|&c| c >= 0.999)
                    .unwrap_or(s.cdf.len())
            })
            .chain(self.series.iter().map(|s| s.promise_days + 1))
            .max()
            .unwrap_or(10)
            .max(5) as f64
            + 1.0;
        let body = super::layout::draw_title(
            area,
            &super::caption_with_legend_note(
                format!("{}: delivery delay", self.study),
                self.series.len(),
            ),
            super::layout::TITLE_SIZE,
        )?;
        let mut chart = ChartBuilder::on(&body)
            .margin(20)
            .x_label_area_size(60)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0..last, 0.0..1.02)
            .map_err(err)?;
        super::styled_mesh(&mut chart)
            .x_desc("Days from order to delivery")
            .y_desc("Share of delivered parcels")
            .y_label_formatter(&|v| fmt_percent(*v))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        let mut promises: Vec<usize> = self.series.iter().map(|s| s.promise_days).collect();
        promises.sort_unstable();
        promises.dedup();
        for (k, p) in promises.into_iter().enumerate() {
            let x = p as f64 + 0.5;
            chart
                .draw_series(DashedLineSeries::new(
                    [(x, 0.0), (x, 1.02)],
                    8,
                    6,
                    BLACK.stroke_width(2),
                ))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("promise: {p} days"),
                    (x + 0.15, 0.06 + 0.06 * k as f64),
                    tick_font(),
                )))
                .map_err(err)?;
        }
        let n = self.series.len();
        for (i, s) in self.series.iter().enumerate() {
            if s.cdf.is_empty() {
                continue;
            }
            // Variants on the same loop share their delays (common random numbers), so
            // their lines coincide: earlier ones are drawn wider to stay visible beneath.
            let width = 3 + 3 * (n.min(6) - 1 - i.min(5)) as u32;
            let colour = s.colour;
            let mut pts = vec![(0.0, 0.0)];
            let mut previous = 0.0;
            for (d, &c) in s.cdf.iter().enumerate() {
                pts.push((d as f64, previous));
                pts.push((d as f64, c));
                previous = c;
            }
            pts.push((last, previous));
            let series = chart
                .draw_series(LineSeries::new(pts, colour.stroke_width(width)))
                .map_err(err)?;
            if i < MAX_LEGEND {
                series
                    .label(format!(
                        "{}: on time {}",
                        s.name,
                        fmt_percent(s.on_time_rate)
                    ))
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(4))
                    });
            }
        }
        super::draw_legend(
            &mut chart,
            SeriesLabelPosition::LowerRight,
            self.series.len(),
        )?;
        Ok(())
    }
}
