//! Chart 7: where the money goes. Per variant, a GMV bar beside a stacked bar of its mean
//! cost parts; what is left on top is the mean profit (or the loss below GMV's top).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::margin::category_label;
use super::{axis_font, cost_colour, err, legend_font, tick_font, Chart, DrawResult};
use crate::format::fmt_number;

/// The cost parts, in stacking order; each is drawn in its own colour
/// ([`super::cost_colour`]), never a variant's: the parts must read the same in every
/// variant, and apart from the variants' GMV bars.
pub const PARTS: [&str; 11] = [
    "refunds",
    "goods",
    "platform fees",
    "affiliates",
    "logistics",
    "storage",
    "ads, lives, samples, refreshes",
    "fixed (staff, tools)",
    "returns and complaints",
    "duties and taxes",
    "stock write-down",
];

/// One variant's GMV and cost bars.
pub struct MoneyBar {
    /// Variant name (axis label).
    pub name: String,
    /// The variant's colour, the same in every chart.
    pub colour: RGBColor,
    /// Mean GMV.
    pub gmv: f64,
    /// Mean of each part, in [`PARTS`] order.
    pub parts: [f64; 11],
    /// Mean profit (printed on top).
    pub profit: f64,
}

/// Where the money goes: mean GMV against its costs, per variant.
pub struct MoneyChart {
    /// The study's name, shown in the caption.
    pub study: String,
    /// Currency of the money axes.
    pub currency: String,
    /// One per variant.
    pub bars: Vec<MoneyBar>,
}

impl Chart for MoneyChart {
    fn file_stem(&self) -> &'static str {
        "where_the_money_goes"
    }

    fn title(&self) -> &'static str {
        "Where the money goes"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let n = self.bars.len().max(1);
        let top = self
            .bars
            .iter()
            .map(|b| b.gmv.max(b.parts.iter().map(|p| p.max(0.0)).sum()))
            .fold(1.0f64, f64::max)
            * 1.12;
        let names: Vec<String> = self.bars.iter().map(|b| b.name.clone()).collect();
        let (left, right) = area.split_horizontally(area.dim_in_pixel().0 as i32 - 300);
        let body = super::layout::draw_title(
            &left,
            &format!("{}: where the money goes (means over trials)", self.study),
            super::layout::TITLE_SIZE,
        )?;
        let mut chart = ChartBuilder::on(&body)
            .margin(20)
            .x_label_area_size(70)
            .y_label_area_size(100)
            .build_cartesian_2d(-0.6..(n as f64 - 0.4), 0.0..top)
            .map_err(err)?;
        super::styled_mesh(&mut chart)
            .y_desc(format!(
                "Mean over the horizon ({}); left bar GMV, right bar its costs",
                self.currency
            ))
            .x_labels(n.min(60) * 2 + 1)
            .x_label_formatter(&|v| category_label(&names, *v))
            .y_label_formatter(&|v| fmt_number(*v))
            .disable_x_mesh()
            .draw()
            .map_err(err)?;
        let w = 0.18;
        for (i, b) in self.bars.iter().enumerate() {
            let x = i as f64;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x - 2.0 * w, 0.0), (x, b.gmv.max(0.0))],
                    b.colour.filled(),
                )))
                .map_err(err)?;
            let mut base = 0.0;
            for (k, &value) in b.parts.iter().enumerate() {
                let value = value.max(0.0);
                if value <= 0.0 {
                    continue;
                }
                let corners = [(x + 0.01, base), (x + 2.0 * w, base + value)];
                chart
                    .draw_series([
                        Rectangle::new(corners, cost_colour(k).filled()),
                        // A thin edge keeps pale parts apart from each other and the page.
                        Rectangle::new(corners, BLACK.mix(0.35).stroke_width(1)),
                    ])
                    .map_err(err)?;
                base += value;
            }
            let label_y = b.gmv.max(base) + top * 0.02;
            let text = format!("profit {}", fmt_number(b.profit));
            let colour = if b.profit < 0.0 { RED } else { BLACK };
            chart
                .draw_series(std::iter::once(Text::new(
                    text,
                    (x - 2.0 * w, label_y),
                    tick_font().color(&colour),
                )))
                .map_err(err)?;
        }
        // Key of the cost parts on the right.
        let key_font = legend_font(PARTS.len());
        let mut y = 90;
        right
            .draw_text("Cost parts (right bars)", &axis_font(), (10, y - 40))
            .map_err(err)?;
        for (k, label) in PARTS.iter().enumerate().rev() {
            right
                .draw(&Rectangle::new(
                    [(10, y), (34, y + 20)],
                    cost_colour(k).filled(),
                ))
                .map_err(err)?;
            right
                .draw(&Rectangle::new(
                    [(10, y), (34, y + 20)],
                    BLACK.mix(0.35).stroke_width(1),
                ))
                .map_err(err)?;
            right
                .draw_text(label, &key_font, (42, y + 2))
                .map_err(err)?;
            y += 34;
        }
        right
            .draw_text("Left bars: GMV (variant colour).", &key_font, (10, y + 20))
            .map_err(err)?;
        right
            .draw_text("GMV minus all costs = profit.", &key_font, (10, y + 44))
            .map_err(err)?;
        Ok(())
    }
}
