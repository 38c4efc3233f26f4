//! Charts 5 and 6: fan charts over the horizon (p5-p95 band and median line per variant)
//! of cumulative profit, with the median break-even day marked, and of cash, with the
//! available capital drawn. Event days are shaded.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{err, padded_range, tick_font, Chart, DrawResult, MAX_LEGEND};
use crate::format::{fmt_number, fmt_percent};
use crate::stats::daily::Band;

/// Which fan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FanKind {
    /// Cumulative profit by day.
    CumulativeProfit,
    /// Cash position by day.
    Cash,
}

/// One variant's band and markers.
pub struct FanSeries {
    /// Variant name (legend).
    pub name: String,
    /// The variant's colour, the same in every chart.
    pub colour: RGBColor,
    /// One band per day (day 1 first).
    pub bands: Vec<Band>,
    /// Median break-even day over all trials (trials that never break even count as
    /// later than any day): `None` when fewer than half break even.
    pub median_break_even: Option<f64>,
    /// Share of trials that break even within the horizon.
    pub break_even_share: f64,
    /// Mean available capital (the red line of the cash chart).
    pub available_capital: f64,
    /// P(working capital needed > available capital).
    pub p_shortfall: f64,
}

/// An event's name and days (1-based, inclusive).
#[derive(Clone, Debug)]
pub struct EventSpan {
    /// Event name (and markets, when limited).
    pub name: String,
    /// First day, counted from 1.
    pub start_day: usize,
    /// Last day, counted from 1.
    pub end_day: usize,
}

/// A daily path (cumulative profit or cash) as bands over trials, per variant, with the peak events shaded.
pub struct FanChart {
    /// Which path.
    pub kind: FanKind,
    /// The study's name, shown in the caption.
    pub study: String,
    /// Currency of the money axes.
    pub currency: String,
    /// One per variant.
    pub series: Vec<FanSeries>,
    /// Peak events, shaded.
    pub events: Vec<EventSpan>,
}

impl Chart for FanChart {
    fn file_stem(&self) -> &'static str {
        match self.kind {
            FanKind::CumulativeProfit => "cumulative_profit",
            FanKind::Cash => "cash",
        }
    }

    fn title(&self) -> &'static str {
        match self.kind {
            FanKind::CumulativeProfit => "Cumulative profit over time",
            FanKind::Cash => "Cash",
        }
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let horizon = self
            .series
            .iter()
            .map(|s| s.bands.len())
            .max()
            .unwrap_or(1)
            .max(1);
        let mut lo = self
            .series
            .iter()
            .flat_map(|s| s.bands.iter().map(|b| b.p5))
            .fold(f64::INFINITY, f64::min);
        let mut hi = self
            .series
            .iter()
            .flat_map(|s| s.bands.iter().map(|b| b.p95))
            .fold(f64::NEG_INFINITY, f64::max);
        lo = lo.min(0.0);
        hi = hi.max(0.0);
        if self.kind == FanKind::Cash {
            // Show the capital line only when it is near the band, else it flattens the fan.
            for s in &self.series {
                if -s.available_capital >= lo - (hi - lo) {
                    lo = lo.min(-s.available_capital);
                }
            }
        }
        let y_range = padded_range(lo, hi, 0.06);
        let x_end = horizon as f64 + 0.5;
        let (caption, y_desc) = match self.kind {
            FanKind::CumulativeProfit => (
                format!("{}: cumulative profit over time", self.study),
                format!("Cumulative profit ({})", self.currency),
            ),
            FanKind::Cash => (
                format!("{}: cash position over time", self.study),
                format!("Cash position ({}; below 0 = money put in)", self.currency),
            ),
        };
        let body = super::layout::draw_title(
            area,
            &super::caption_with_legend_note(caption, self.series.len()),
            super::layout::TITLE_SIZE,
        )?;
        let mut chart = ChartBuilder::on(&body)
            .margin(20)
            .x_label_area_size(60)
            .y_label_area_size(100)
            .build_cartesian_2d(0.5..x_end, y_range.clone())
            .map_err(err)?;
        super::styled_mesh(&mut chart)
            .x_desc("Day (band: 5th-95th percentile of trials; line: median)")
            .y_desc(y_desc)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| fmt_number(*v))
            .draw()
            .map_err(err)?;

        // Event days, shaded, names at the top (staggered so neighbours do not collide).
        for (i, e) in self.events.iter().enumerate() {
            let (x0, x1) = (e.start_day as f64 - 0.5, e.end_day as f64 + 0.5);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x0, y_range.start), (x1, y_range.end)],
                    BLACK.mix(0.07).filled(),
                )))
                .map_err(err)?;
            let y = y_range.end - (y_range.end - y_range.start) * (0.03 + 0.04 * (i % 3) as f64);
            chart
                .draw_series(std::iter::once(Text::new(
                    e.name.clone(),
                    (x0, y),
                    tick_font(),
                )))
                .map_err(err)?;
        }
        chart
            .draw_series(LineSeries::new(
                [(0.5, 0.0), (x_end, 0.0)],
                BLACK.stroke_width(1),
            ))
            .map_err(err)?;

        for (i, s) in self.series.iter().enumerate() {
            let c = s.colour;
            let days = |f: fn(&Band) -> f64| -> Vec<(f64, f64)> {
                s.bands
                    .iter()
                    .enumerate()
                    .map(|(d, b)| ((d + 1) as f64, f(b)))
                    .collect()
            };
            let mut band = days(|b| b.p95);
            band.extend(days(|b| b.p5).into_iter().rev());
            chart
                .draw_series(std::iter::once(Polygon::new(band, c.mix(0.13))))
                .map_err(err)?;
            let median = days(|b| b.p50);
            let mut label = s.name.clone();
            match self.kind {
                FanKind::CumulativeProfit => match s.median_break_even {
                    Some(day) => {
                        label.push_str(&format!(
                            ": median break-even day {day:.0} ({} of trials break even)",
                            fmt_percent(s.break_even_share)
                        ));
                        let at = median
                            .get((day as usize).saturating_sub(1))
                            .map_or(0.0, |p| p.1);
                        chart
                            .draw_series([PathElement::new(
                                vec![(day, y_range.start), (day, at)],
                                c.stroke_width(1),
                            )])
                            .map_err(err)?;
                        chart
                            .draw_series(std::iter::once(Circle::new((day, at), 7, c.filled())))
                            .map_err(err)?;
                    }
                    None => label.push_str(&format!(
                        ": the median trial does not break even ({} do)",
                        fmt_percent(s.break_even_share)
                    )),
                },
                FanKind::Cash => label.push_str(&format!(
                    ": P(runs out of cash) {}",
                    fmt_percent(s.p_shortfall)
                )),
            }
            let series = chart
                .draw_series(LineSeries::new(median, c.stroke_width(3)))
                .map_err(err)?;
            if i < MAX_LEGEND {
                series.label(label).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], c.stroke_width(4))
                });
            }
        }

        if self.kind == FanKind::Cash {
            let mut capitals: Vec<f64> = self.series.iter().map(|s| s.available_capital).collect();
            capitals.sort_by(f64::total_cmp);
            capitals.dedup();
            for cap in capitals {
                let y = -cap;
                if y < y_range.start {
                    continue;
                }
                chart
                    .draw_series(DashedLineSeries::new(
                        [(0.5, y), (x_end, y)],
                        10,
                        6,
                        RED.stroke_width(2),
                    ))
                    .map_err(err)?;
                chart
                    .draw_series(std::iter::once(Text::new(
                        format!(
                            "- available capital {}: below this line the seller runs out of cash",
                            fmt_number(cap)
                        ),
                        // Right half, above the line: clear of the legend in the lower left.
                        (
                            0.5 + (x_end - 0.5) * 0.45,
                            y + (y_range.end - y_range.start) * 0.025,
                        ),
                        tick_font().color(&RED),
                    )))
                    .map_err(err)?;
            }
        }
        super::draw_legend(
            &mut chart,
            SeriesLabelPosition::LowerLeft,
            self.series.len(),
        )?;
        Ok(())
    }
}
