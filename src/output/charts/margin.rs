//! Chart 2: margin per variant as box and whiskers (p5, p25, p50, p75, p95).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{err, padded_range, tick_font, Chart, DrawResult};
use crate::format::fmt_percent;
use crate::stats::Summary;

/// One variant's margin box.
pub struct MarginBox {
    /// Variant name (row label).
    pub name: String,
    /// The variant's colour, the same in every chart.
    pub colour: RGBColor,
    /// `None` when margin is undefined in every trial (no net revenue).
    pub summary: Option<Summary>,
}

/// Margin per trial as a box per variant.
pub struct MarginChart {
    /// The study's name, shown in the caption.
    pub study: String,
    /// One per variant.
    pub boxes: Vec<MarginBox>,
}

/// Labels for category positions 0..n on an axis; empty between them.
pub fn category_label(names: &[String], v: f64) -> String {
    let i = v.round();
    if (v - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    names.get(i as usize).cloned().unwrap_or_default()
}

impl Chart for MarginChart {
    fn file_stem(&self) -> &'static str {
        "margin"
    }

    fn title(&self) -> &'static str {
        "Margin"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let n = self.boxes.len().max(1);
        let defined: Vec<&Summary> = self
            .boxes
            .iter()
            .filter_map(|b| b.summary.as_ref())
            .collect();
        let lo = defined
            .iter()
            .map(|s| s.p5)
            .fold(f64::INFINITY, f64::min)
            .min(0.0);
        let hi = defined
            .iter()
            .map(|s| s.p95)
            .fold(f64::NEG_INFINITY, f64::max)
            .max(0.0);
        let x_range = padded_range(lo, hi, 0.06);
        let names: Vec<String> = self.boxes.iter().map(|b| b.name.clone()).collect();
        let body = super::layout::draw_title(
            area,
            &format!("{}: margin (profit / net revenue)", self.study),
            super::layout::TITLE_SIZE,
        )?;
        let mut chart = super::category_rows_chart(&body, x_range.clone(), &names)?;
        super::draw_category_rows_mesh(
            &mut chart,
            "Margin per trial (box: 25th-75th percentile, line: median, whiskers: 5th-95th)"
                .to_string(),
            &|v| fmt_percent(*v),
            &names,
        )?;
        if x_range.start < 0.0 && x_range.end > 0.0 {
            chart
                .draw_series(LineSeries::new(
                    [(0.0, -0.6), (0.0, n as f64 - 0.4)],
                    BLACK.stroke_width(1),
                ))
                .map_err(err)?;
        }
        let half = 0.3f64.min(0.45);
        for (i, b) in self.boxes.iter().enumerate() {
            let y = i as f64;
            let Some(s) = &b.summary else {
                chart
                    .draw_series(std::iter::once(Text::new(
                        "no margin: no net revenue in any trial",
                        (x_range.start + (x_range.end - x_range.start) * 0.02, y),
                        tick_font(),
                    )))
                    .map_err(err)?;
                continue;
            };
            let stats = super::BoxStats {
                p5: s.p5,
                p25: s.p25,
                p50: s.p50,
                p75: s.p75,
                p95: s.p95,
            };
            super::draw_box(&mut chart, stats, y, half, b.colour)?;
        }
        Ok(())
    }
}
