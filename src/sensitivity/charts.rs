//! The charts of `shopsim sensitivity`: a tornado (each input's one-at-a-time swing, as
//! a bar from the output at its low end to the output at its high end, widest first) and
//! a spider (the output against each top input's position from p10 to p90), one panel per
//! target (a variant, or the difference of two).

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::format::fmt_number;
use crate::output::charts::layout::{chart_with_legend, draw_title, draw_title_in, TITLE_SIZE};
use crate::output::charts::{
    err, grid_shape, padded_range, styled_mesh, tick_font, variant_colour, Chart, DrawResult,
};

/// `text` with its first letter in capitals (an axis description).
fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One input's bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// The input and its swing (`price.retail 16 → 24`).
    pub label: String,
    /// The output's mean with the input at its low end.
    pub at_low: f64,
    /// The output's mean with the input at its high end.
    pub at_high: f64,
}

/// One target's tornado.
pub struct TornadoPanel {
    /// The target (a variant, or `a - b`); the panel's caption when a chart has several.
    pub name: String,
    /// The output's mean in the base run.
    pub base: f64,
    /// The bars, widest first.
    pub bars: Vec<Bar>,
}

/// Tornado charts, one panel per target.
pub struct TornadoChart {
    /// The study's name.
    pub study: String,
    /// What the bars measure, with its unit (`mean profit of v (USD)`, or for a difference
    /// `difference in mean profit, a − b (USD)`: see `Target::value_label`).
    pub value_label: String,
    /// The panels.
    pub panels: Vec<TornadoPanel>,
}

/// The low end's colour (blue) and the high end's (orange), in every panel.
const LOW: RGBColor = RGBColor(31, 119, 180);
const HIGH: RGBColor = RGBColor(255, 127, 14);

impl Chart for TornadoChart {
    fn file_stem(&self) -> &'static str {
        "tornado"
    }

    fn title(&self) -> &'static str {
        "What moves the output: one input at a time"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let titled = draw_title(
            area,
            &format!(
                "{}: {}, each input moved alone",
                self.study, self.value_label
            ),
            TITLE_SIZE,
        )?;
        let titled = draw_title_in(
            &titled,
            "blue: the input at its low end; orange: at its high end; black line: the base run",
            16,
            RGBColor(90, 90, 90),
        )?;
        let (rows, cols) = grid_shape(self.panels.len());
        let cells = titled.split_evenly((rows, cols));
        for (panel, cell) in self.panels.iter().zip(&cells) {
            // Top to bottom widest first: the chart's rows count up from the bottom.
            let names: Vec<String> = panel.bars.iter().rev().map(|b| b.label.clone()).collect();
            let lo = panel
                .bars
                .iter()
                .flat_map(|b| [b.at_low, b.at_high])
                .chain([panel.base])
                .filter(|v| v.is_finite())
                .fold(f64::INFINITY, f64::min);
            let hi = panel
                .bars
                .iter()
                .flat_map(|b| [b.at_low, b.at_high])
                .chain([panel.base])
                .filter(|v| v.is_finite())
                .fold(f64::NEG_INFINITY, f64::max);
            // Room on the left for the longest label, up to half the panel.
            let longest = names.iter().map(|s| s.chars().count()).max().unwrap_or(4) as u32;
            let label_area = (longest * 9 + 24).clamp(80, cell.dim_in_pixel().0 / 2);
            // One panel's target is named in the chart's title already.
            let body = if self.panels.len() > 1 {
                draw_title(cell, &panel.name, 24)?
            } else {
                cell.clone()
            };
            let mut chart = ChartBuilder::on(&body)
                .margin(20)
                .x_label_area_size(60)
                .y_label_area_size(label_area)
                .build_cartesian_2d(
                    padded_range(lo, hi, 0.05),
                    -0.6..(names.len().max(1) as f64 - 0.4),
                )
                .map_err(err)?;
            let rows = names.len().max(1);
            crate::output::charts::styled_mesh(&mut chart)
                .x_desc(sentence_case(&self.value_label))
                .x_labels(5)
                .x_label_formatter(&|v| fmt_number(*v))
                .y_labels(rows.min(60) * 2 + 1)
                .y_label_formatter(&|v| crate::output::charts::margin::category_label(&names, *v))
                .disable_y_mesh()
                .draw()
                .map_err(err)?;
            let n = names.len();
            for (i, bar) in panel.bars.iter().enumerate() {
                let y = (n - 1 - i) as f64;
                for (end, colour) in [(bar.at_low, LOW), (bar.at_high, HIGH)] {
                    if !end.is_finite() || !panel.base.is_finite() {
                        continue;
                    }
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(panel.base, y - 0.35), (end, y + 0.35)],
                            colour.mix(0.8).filled(),
                        )))
                        .map_err(err)?;
                }
            }
            if panel.base.is_finite() {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(panel.base, -0.6), (panel.base, n as f64 - 0.4)],
                        BLACK.stroke_width(2),
                    )))
                    .map_err(err)?;
            }
        }
        Ok(())
    }
}

/// One target's spider: the output at five positions of each top input.
pub struct SpiderPanel {
    /// The target; the panel's caption when a chart has several.
    pub name: String,
    /// Per input: its name and the output's mean at each position.
    pub lines: Vec<(String, Vec<f64>)>,
}

/// Spider charts, one panel per target.
pub struct SpiderChart {
    /// The study's name.
    pub study: String,
    /// What the lines measure, with its unit (the y axis; see [`TornadoChart::value_label`]).
    pub value_label: String,
    /// Names of the five positions (`p10 / -20%`, …).
    pub positions: Vec<String>,
    /// The panels.
    pub panels: Vec<SpiderPanel>,
}

impl Chart for SpiderChart {
    fn file_stem(&self) -> &'static str {
        "spider"
    }

    fn title(&self) -> &'static str {
        "The output against each top input's position"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let titled = draw_title(
            area,
            &format!(
                "{}: {}, as each top input moves from its low end to its high end",
                self.study, self.value_label
            ),
            TITLE_SIZE,
        )?;
        let (rows, cols) = grid_shape(self.panels.len());
        let cells = titled.split_evenly((rows, cols));
        let k = self.positions.len().max(2);
        for (panel, cell) in self.panels.iter().zip(&cells) {
            let values = || {
                panel
                    .lines
                    .iter()
                    .flat_map(|l| l.1.iter())
                    .filter(|v| v.is_finite())
            };
            let lo = values().fold(f64::INFINITY, |m, v| m.min(*v));
            let hi = values().fold(f64::NEG_INFINITY, |m, v| m.max(*v));
            let body = if self.panels.len() > 1 {
                draw_title(cell, &panel.name, 20)?
            } else {
                cell.clone()
            };
            let x_range = -0.2..(k as f64 - 0.8);
            let points = |line: &[f64]| -> Vec<(f64, f64)> {
                line.iter()
                    .enumerate()
                    .filter(|(_, v)| v.is_finite())
                    .map(|(x, &v)| (x as f64, v))
                    .collect()
            };
            let labels: Vec<String> = panel.lines.iter().map(|l| l.0.clone()).collect();
            let (mut chart, legend_at) = chart_with_legend(
                |y| {
                    ChartBuilder::on(&body)
                        .margin(12)
                        .x_label_area_size(60)
                        .y_label_area_size(100)
                        .build_cartesian_2d(x_range.clone(), y)
                        .map_err(err)
                },
                padded_range(lo, hi, 0.06),
                true,
                |o| {
                    for (_, line) in &panel.lines {
                        o.line(&points(line));
                    }
                },
                &labels,
                &tick_font(),
            )?;
            let positions = &self.positions;
            styled_mesh(&mut chart)
                .x_desc("The input's position: its percentile if uncertain, its change if fixed")
                .y_desc(sentence_case(&self.value_label))
                .x_labels(k)
                .x_label_formatter(&|v| {
                    let i = v.round();
                    if (v - i).abs() < 1e-9 && i >= 0.0 && (i as usize) < positions.len() {
                        positions[i as usize].clone()
                    } else {
                        String::new()
                    }
                })
                .y_label_formatter(&|v| fmt_number(*v))
                .draw()
                .map_err(err)?;
            for (i, (name, line)) in panel.lines.iter().enumerate() {
                let colour = variant_colour(i);
                let points = points(line);
                chart
                    .draw_series(points.iter().map(|&p| Circle::new(p, 4, colour.filled())))
                    .map_err(err)?;
                chart
                    .draw_series(LineSeries::new(points, colour.stroke_width(2)))
                    .map_err(err)?
                    .label(name.clone())
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(3))
                    });
            }
            chart
                .configure_series_labels()
                .position(legend_at)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.4))
                .label_font(tick_font())
                .draw()
                .map_err(err)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_draw_with_odd_data() {
        let tornado = TornadoChart {
            study: "s".into(),
            value_label: "profit (USD)".into(),
            panels: vec![
                TornadoPanel {
                    name: "a".into(),
                    base: 10.0,
                    bars: vec![
                        Bar {
                            label: "price.retail 16 → 24".into(),
                            at_low: 5.0,
                            at_high: 20.0,
                        },
                        Bar {
                            label: "x".into(),
                            at_low: f64::NAN,
                            at_high: 10.0,
                        },
                    ],
                },
                TornadoPanel {
                    name: "empty".into(),
                    base: f64::NAN,
                    bars: Vec::new(),
                },
            ],
        };
        assert!(crate::output::charts::render_png(&tornado, (800, 500)).is_ok());
        let spider = SpiderChart {
            study: "s".into(),
            value_label: "profit".into(),
            positions: vec!["p10".into(), "p50".into(), "p90".into()],
            panels: vec![SpiderPanel {
                name: "a".into(),
                lines: vec![("k".into(), vec![1.0, f64::NAN, 3.0])],
            }],
        };
        assert!(crate::output::charts::render_png(&spider, (800, 500)).is_ok());
    }
}
