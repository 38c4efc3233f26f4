//! Chart 4: return rate and complaint rate per variant, mean with the 90% range
//! (5th-95th percentile over trials).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::margin::category_label;
use super::{err, tick_font, Chart, DrawResult};
use crate::format::fmt_percent;
use crate::stats::Summary;

/// One variant's return and complaint rates.
pub struct RateSeries {
    /// Variant name (axis label).
    pub name: String,
    /// The variant's colour, the same in every chart.
    pub colour: RGBColor,
    /// Return rate over trials.
    pub returns: Option<Summary>,
    /// Complaint rate over trials.
    pub complaints: Option<Summary>,
}

/// Return and complaint rates per variant.
pub struct RatesChart {
    /// The study's name, shown in the caption.
    pub study: String,
    /// One per variant.
    pub series: Vec<RateSeries>,
}

impl Chart for RatesChart {
    fn file_stem(&self) -> &'static str {
        "returns_complaints"
    }

    fn title(&self) -> &'static str {
        "Returns and complaints"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let n = self.series.len().max(1);
        let top = self
            .series
            .iter()
            .flat_map(|s| [s.returns.as_ref(), s.complaints.as_ref()])
            .flatten()
            .map(|s| s.p95)
            .fold(0.0f64, f64::max)
            .max(0.01)
            * 1.15;
        let names: Vec<String> = self.series.iter().map(|s| s.name.clone()).collect();
        let body = super::layout::draw_title(
            area,
            &format!("{}: return and complaint rates", self.study),
            super::layout::TITLE_SIZE,
        )?;
        let mut chart = ChartBuilder::on(&body)
            .margin(20)
            .x_label_area_size(70)
            .y_label_area_size(80)
            .build_cartesian_2d(-0.6..(n as f64 - 0.4), 0.0..top)
            .map_err(err)?;
        super::styled_mesh(&mut chart)
            .y_desc("Share of orders (dot: mean over trials; bar: 5th-95th percentile)")
            .x_labels(n.min(60) * 2 + 1)
            .x_label_formatter(&|v| category_label(&names, *v))
            .y_label_formatter(&|v| fmt_percent(*v))
            .disable_x_mesh()
            .draw()
            .map_err(err)?;
        let offset = 0.15;
        for (i, s) in self.series.iter().enumerate() {
            let c = s.colour;
            for (kind, summary) in [(0, &s.returns), (1, &s.complaints)] {
                let Some(q) = summary else { continue };
                let x = i as f64 + if kind == 0 { -offset } else { offset };
                chart
                    .draw_series([
                        PathElement::new(vec![(x, q.p5), (x, q.p95)], c.stroke_width(3)),
                        PathElement::new(
                            vec![(x - 0.05, q.p5), (x + 0.05, q.p5)],
                            c.stroke_width(2),
                        ),
                        PathElement::new(
                            vec![(x - 0.05, q.p95), (x + 0.05, q.p95)],
                            c.stroke_width(2),
                        ),
                    ])
                    .map_err(err)?;
                let dot = if kind == 0 {
                    Circle::new((x, q.mean.point), 8, c.filled())
                } else {
                    Circle::new((x, q.mean.point), 8, c.stroke_width(3))
                };
                chart.draw_series(std::iter::once(dot)).map_err(err)?;
                chart
                    .draw_series(std::iter::once(Text::new(
                        fmt_percent(q.mean.point),
                        (x + 0.04, q.mean.point),
                        tick_font(),
                    )))
                    .map_err(err)?;
            }
        }
        // Legend for the two marker kinds (variant colours are on the axis).
        let grey = BLACK.mix(0.7);
        chart
            .draw_series(std::iter::once(Circle::new(
                (-10.0, -10.0),
                0,
                grey.filled(),
            )))
            .map_err(err)?
            .label("return rate (filled dot, left)")
            .legend(move |(x, y)| Circle::new((x + 10, y), 7, grey.filled()));
        chart
            .draw_series(std::iter::once(Circle::new(
                (-10.0, -10.0),
                0,
                grey.stroke_width(2),
            )))
            .map_err(err)?
            .label("complaint rate (open dot, right)")
            .legend(move |(x, y)| Circle::new((x + 10, y), 7, grey.stroke_width(3)));
        super::draw_legend(&mut chart, SeriesLabelPosition::UpperRight, 2)?;
        Ok(())
    }
}
