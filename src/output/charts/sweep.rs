//! The charts of a sweep: an output against one swept key (mean with its 95% interval and
//! the p5-p95 band of trials, per variant), P(A beats B) against it, and for two swept
//! keys heatmaps of the mean per variant and of P(A beats B) per pair.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{err, grid_shape, padded_range, tick_font, Chart, Coords, DrawResult, MAX_LEGEND};
use crate::format::{fmt_number, fmt_percent, fmt_significant};

/// One point of a variant's curve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CurvePoint {
    /// The swept key's value.
    pub x: f64,
    /// The mean.
    pub mean: f64,
    /// Its 95% interval.
    pub ci_low: f64,
    /// Its 95% interval.
    pub ci_high: f64,
    /// The 5th percentile of trials (band; NaN: none).
    pub p5: f64,
    /// The 95th percentile of trials (band; NaN: none).
    pub p95: f64,
}

/// Which edge of a band a point gives.
type Edge = fn(&CurvePoint) -> f64;

/// One line of a sweep chart: a variant (or a pair) over the swept values.
pub struct Curve {
    /// Legend text.
    pub name: String,
    /// Its colour.
    pub colour: RGBColor,
    /// Its points, by increasing x.
    pub points: Vec<CurvePoint>,
}

/// What a line chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// An output's mean (line, interval bars) and p5-p95 band, per variant.
    Metric,
    /// P(A beats B) with its Wilson interval (band), per pair.
    Beats,
    /// P(A beats B) for one pair, with the target probability and the crossing found
    /// (`shopsim threshold`).
    Threshold,
}

/// Where a threshold search found the crossing, for the chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Crossing {
    /// The probability searched for.
    pub target: f64,
    /// The value where P(A beats B) crosses it, if it does.
    pub value: Option<f64>,
    /// The ends of its 95% interval (`None`: beyond the searched interval on that side).
    pub low: Option<f64>,
    /// The ends of its 95% interval.
    pub high: Option<f64>,
    /// For a whole-number parameter, the side of the value where the target holds
    /// (`and up`, `and down`): the value is where it holds first or last, not a crossing.
    pub whole_side: Option<&'static str>,
}

/// An output (or P(A beats B)) against one swept key.
pub struct SweepLineChart {
    /// Which chart.
    pub kind: LineKind,
    /// The study's name.
    pub study: String,
    /// The swept key, as the x axis says it.
    pub x_label: String,
    /// The output and its unit, as the y axis says it.
    pub y_label: String,
    /// One per variant or pair.
    pub curves: Vec<Curve>,
    /// For [`LineKind::Threshold`]: the target and the crossing.
    pub crossing: Option<Crossing>,
}

impl Chart for SweepLineChart {
    fn file_stem(&self) -> &'static str {
        match self.kind {
            LineKind::Metric => "sweep_mean",
            LineKind::Beats => "sweep_p_beats",
            LineKind::Threshold => "threshold",
        }
    }

    fn title(&self) -> &'static str {
        match self.kind {
            LineKind::Metric => "An output against the swept parameter",
            LineKind::Beats => "P(A beats B) against the swept parameter",
            LineKind::Threshold => "Where P(A beats B) crosses the target",
        }
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let all = || self.curves.iter().flat_map(|c| c.points.iter());
        let finite = |v: f64| v.is_finite().then_some(v);
        let x_lo = all()
            .filter_map(|p| finite(p.x))
            .fold(f64::INFINITY, f64::min);
        let x_hi = all()
            .filter_map(|p| finite(p.x))
            .fold(f64::NEG_INFINITY, f64::max);
        let (y_range, caption) = match self.kind {
            LineKind::Metric => {
                let lo = all()
                    .flat_map(|p| [p.p5, p.ci_low, p.mean])
                    .filter_map(finite)
                    .fold(f64::INFINITY, f64::min);
                let hi = all()
                    .flat_map(|p| [p.p95, p.ci_high, p.mean])
                    .filter_map(finite)
                    .fold(f64::NEG_INFINITY, f64::max);
                (
                    padded_range(lo, hi, 0.06),
                    format!("{}: {} against {}", self.study, self.y_label, self.x_label),
                )
            }
            LineKind::Beats => (
                -0.02..1.02,
                format!("{}: P(A beats B) against {}", self.study, self.x_label),
            ),
            LineKind::Threshold => (
                -0.02..1.02,
                format!(
                    "{}: {} against {}",
                    self.study,
                    self.curves
                        .first()
                        .map_or("P(A beats B)", |c| c.name.as_str()),
                    self.x_label
                ),
            ),
        };
        let body = super::layout::draw_title(
            area,
            &super::caption_with_legend_note(caption, self.curves.len()),
            super::layout::TITLE_SIZE,
        )?;
        let x_range = padded_range(x_lo, x_hi, 0.03);
        let level = match (self.kind, self.crossing) {
            (LineKind::Metric, _) => 0.0,
            (_, Some(c)) => c.target,
            _ => 0.5,
        };
        let (band_hi, band_lo): (Edge, Edge) = match self.kind {
            LineKind::Metric => (|p| p.p95, |p| p.p5),
            LineKind::Beats | LineKind::Threshold => (|p| p.ci_high, |p| p.ci_low),
        };
        // The crossing's note, drawn at the top of the data, left of the line.
        let crossing_note = self.crossing.and_then(|c| {
            c.value.map(|x| {
                (
                    x,
                    format!(
                        " {} {} at {}{} (95% interval {} to {})",
                        if c.whole_side.is_some() {
                            "reaches"
                        } else {
                            "crosses"
                        },
                        fmt_percent(c.target),
                        fmt_significant(x),
                        c.whole_side.map(|s| format!(" {s}")).unwrap_or_default(),
                        c.low.map_or("below the range".to_string(), fmt_significant),
                        c.high
                            .map_or("above the range".to_string(), fmt_significant)
                    ),
                )
            })
        });
        let note_size = |text: &str| (super::layout::text_width(text, 16), 20u32);
        // The note reads rightwards from the line, or leftwards when it would run off the
        // plot (its width in x units is known once the chart is built).
        let note_left = |chart: &ChartContext<'_, DB, Coords>, x: f64, text: &str| {
            let plot_w = chart.plotting_area().dim_in_pixel().0.max(1) as f64;
            let w = note_size(text).0 as f64 / plot_w * (x_range.end - x_range.start);
            if x + w > x_range.end {
                x - w
            } else {
                x
            }
        };
        let labels: Vec<String> = self
            .curves
            .iter()
            .take(MAX_LEGEND)
            .map(|c| c.name.clone())
            .collect();
        let (mut chart, legend_at) = super::layout::chart_with_legend(
            |y| {
                ChartBuilder::on(&body)
                    .margin(20)
                    .x_label_area_size(60)
                    .y_label_area_size(100)
                    .build_cartesian_2d(x_range.clone(), y)
                    .map_err(err)
            },
            y_range.clone(),
            true,
            |o| {
                for c in &self.curves {
                    let band: Vec<(f64, f64, f64)> = c
                        .points
                        .iter()
                        .filter(|p| band_lo(p).is_finite() && band_hi(p).is_finite())
                        .map(|p| (p.x, band_lo(p), band_hi(p)))
                        .collect();
                    o.band(&band);
                    let line: Vec<(f64, f64)> = c
                        .points
                        .iter()
                        .filter(|p| p.mean.is_finite())
                        .map(|p| (p.x, p.mean))
                        .collect();
                    o.line(&line);
                    if self.kind == LineKind::Metric {
                        for p in &c.points {
                            o.line(&[(p.x, p.ci_low), (p.x, p.ci_high)]);
                        }
                    }
                }
                if let Some(c) = self.crossing {
                    if let Some(x) = c.value {
                        let (x0, x1) = (
                            c.low.unwrap_or(x_range.start),
                            c.high.unwrap_or(x_range.end),
                        );
                        o.rect((x0, y_range.start), (x1, y_range.end));
                        o.line(&[(x, y_range.start), (x, y_range.end)]);
                    }
                }
                if let Some((x, text)) = &crossing_note {
                    let w = o.x_span_of(note_size(text).0);
                    let left = if x + w > x_range.end { x - w } else { *x };
                    o.text_box((left, y_range.end - 0.06), note_size(text));
                }
            },
            &labels,
            &super::legend_font(self.curves.len()),
        )?;
        let y_desc = match self.kind {
            LineKind::Metric => format!(
                "{} (line: mean, bars: its 95% interval; band: 5th-95th percentile of trials)",
                self.y_label
            ),
            LineKind::Beats | LineKind::Threshold => {
                "P(A beats B) in paired trials (band: its 95% interval)".to_string()
            }
        };
        super::styled_mesh(&mut chart)
            .x_desc(self.x_label.clone())
            .y_desc(y_desc)
            .x_label_formatter(&|v| fmt_number(*v))
            .y_label_formatter(&|v| match self.kind {
                LineKind::Metric => fmt_number(*v),
                // Room made above 100% for the legend has no ticks.
                LineKind::Beats | LineKind::Threshold if *v > 1.0 + 1e-9 => String::new(),
                LineKind::Beats | LineKind::Threshold => fmt_percent(*v),
            })
            .draw()
            .map_err(err)?;
        if let Some(c) = self.crossing {
            // The crossing's 95% interval, shaded, and the crossing itself, over the data's
            // range (room made above it for the legend stays clear).
            let (x0, x1) = (
                c.low.unwrap_or(x_range.start),
                c.high.unwrap_or(x_range.end),
            );
            if c.value.is_some() {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x0, y_range.start), (x1, y_range.end)],
                        BLACK.mix(0.08).filled(),
                    )))
                    .map_err(err)?;
            }
            if let Some(x) = c.value {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(x, y_range.start), (x, y_range.end)],
                        BLACK.stroke_width(2),
                    )))
                    .map_err(err)?;
            }
        }
        if let Some((x, text)) = crossing_note {
            let left = note_left(&chart, x, &text);
            chart
                .draw_series(std::iter::once(Text::new(
                    text,
                    (left, y_range.end - 0.06),
                    tick_font(),
                )))
                .map_err(err)?;
        }
        if y_range.contains(&level) {
            chart
                .draw_series(DashedLineSeries::new(
                    [(x_range.start, level), (x_range.end, level)],
                    8,
                    6,
                    BLACK.mix(0.6).stroke_width(1),
                ))
                .map_err(err)?;
        }
        for (i, c) in self.curves.iter().enumerate() {
            let colour = c.colour;
            let mut band: Vec<(f64, f64)> = c
                .points
                .iter()
                .filter(|p| band_hi(p).is_finite())
                .map(|p| (p.x, band_hi(p)))
                .collect();
            band.extend(
                c.points
                    .iter()
                    .rev()
                    .filter(|p| band_lo(p).is_finite())
                    .map(|p| (p.x, band_lo(p))),
            );
            if band.len() >= 3 {
                chart
                    .draw_series(std::iter::once(Polygon::new(band, colour.mix(0.12))))
                    .map_err(err)?;
            }
            let line: Vec<(f64, f64)> = c
                .points
                .iter()
                .filter(|p| p.mean.is_finite())
                .map(|p| (p.x, p.mean))
                .collect();
            if self.kind == LineKind::Metric {
                chart
                    .draw_series(c.points.iter().filter(|p| p.ci_low.is_finite()).map(|p| {
                        PathElement::new(
                            vec![(p.x, p.ci_low), (p.x, p.ci_high)],
                            colour.stroke_width(2),
                        )
                    }))
                    .map_err(err)?;
            }
            chart
                .draw_series(line.iter().map(|&p| Circle::new(p, 5, colour.filled())))
                .map_err(err)?;
            let series = chart
                .draw_series(LineSeries::new(line, colour.stroke_width(3)))
                .map_err(err)?;
            if i < MAX_LEGEND {
                series.label(c.name.clone()).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(4))
                });
            }
        }
        super::draw_legend(&mut chart, legend_at, self.curves.len())
    }
}

/// One panel of a heatmap: a variant's means, or a pair's P(A beats B).
pub struct HeatPanel {
    /// Panel title.
    pub name: String,
    /// Values by row (y value) then column (x value); NaN: undefined.
    pub values: Vec<Vec<f64>>,
}

/// What a heatmap shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeatKind {
    /// An output's mean, per variant (colours diverge at 0).
    Metric,
    /// P(A beats B), per pair (colours diverge at 50%).
    Beats,
}

/// Heatmaps over two swept keys, one panel per variant or pair, on one colour scale.
pub struct SweepHeatmap {
    /// Which heatmap.
    pub kind: HeatKind,
    /// The study's name.
    pub study: String,
    /// What the cells hold (`mean profit (USD)`).
    pub value_label: String,
    /// The first swept key (columns).
    pub x_label: String,
    /// Its values, left to right.
    pub xs: Vec<f64>,
    /// The second swept key (rows).
    pub y_label: String,
    /// Its values, bottom to top.
    pub ys: Vec<f64>,
    /// The panels.
    pub panels: Vec<HeatPanel>,
}

/// A diverging colour: blue above `centre`, red below, white at it; `scale` is the
/// distance from the centre that gets the full colour.
fn diverging(v: f64, centre: f64, scale: f64) -> RGBColor {
    if !v.is_finite() {
        return RGBColor(200, 200, 200);
    }
    let t = if scale > 0.0 {
        ((v - centre) / scale).clamp(-1.0, 1.0)
    } else {
        0.0
    };
    let (r, g, b) = if t >= 0.0 {
        (33, 102, 172)
    } else {
        (178, 24, 43)
    };
    let a = t.abs();
    let mix = |c: u8| (255.0 + (f64::from(c) - 255.0) * a).round() as u8;
    RGBColor(mix(r), mix(g), mix(b))
}

impl Chart for SweepHeatmap {
    fn file_stem(&self) -> &'static str {
        match self.kind {
            HeatKind::Metric => "sweep_heatmap_mean",
            HeatKind::Beats => "sweep_heatmap_p_beats",
        }
    }

    fn title(&self) -> &'static str {
        match self.kind {
            HeatKind::Metric => "Mean over two swept parameters",
            HeatKind::Beats => "P(A beats B) over two swept parameters",
        }
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let (centre, scale) = match self.kind {
            HeatKind::Metric => {
                let largest = self
                    .panels
                    .iter()
                    .flat_map(|p| p.values.iter().flatten())
                    .filter(|v| v.is_finite())
                    .fold(0.0f64, |m, v| m.max(v.abs()));
                (0.0, largest)
            }
            HeatKind::Beats => (0.5, 0.5),
        };
        let caption = match self.kind {
            HeatKind::Metric => format!(
                "{}: {} (blue above 0, red below)",
                self.study, self.value_label
            ),
            HeatKind::Beats => format!(
                "{}: P(A beats B) on {} (blue: A more likely better)",
                self.study, self.value_label
            ),
        };
        let titled = super::layout::draw_title(area, &caption, super::layout::TITLE_SIZE)?;
        let (rows, cols) = grid_shape(self.panels.len());
        let cells = titled.split_evenly((rows, cols));
        let (nx, ny) = (self.xs.len(), self.ys.len());
        let annotate = nx * ny * self.panels.len() <= 400;
        for (panel, cell) in self.panels.iter().zip(&cells) {
            let cell = super::layout::draw_title(cell, &panel.name, 20)?;
            let mut chart = ChartBuilder::on(&cell)
                .margin(12)
                .x_label_area_size(50)
                .y_label_area_size(80)
                .build_cartesian_2d(-0.5..(nx as f64 - 0.5), -0.5..(ny as f64 - 0.5))
                .map_err(err)?;
            let xs = &self.xs;
            let ys = &self.ys;
            chart
                .configure_mesh()
                .disable_mesh()
                .x_labels(nx.min(8))
                .y_labels(ny.min(8))
                .x_desc(self.x_label.clone())
                .y_desc(self.y_label.clone())
                .axis_desc_style(tick_font())
                .label_style(tick_font())
                .x_label_formatter(&|v| {
                    let i = v.round();
                    if (v - i).abs() < 1e-9 && i >= 0.0 && (i as usize) < xs.len() {
                        fmt_number(xs[i as usize])
                    } else {
                        String::new()
                    }
                })
                .y_label_formatter(&|v| {
                    let i = v.round();
                    if (v - i).abs() < 1e-9 && i >= 0.0 && (i as usize) < ys.len() {
                        fmt_number(ys[i as usize])
                    } else {
                        String::new()
                    }
                })
                .draw()
                .map_err(err)?;
            for (iy, row) in panel.values.iter().enumerate() {
                for (ix, &v) in row.iter().enumerate() {
                    let (x, y) = (ix as f64, iy as f64);
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                            diverging(v, centre, scale).filled(),
                        )))
                        .map_err(err)?;
                    if annotate {
                        let text = match self.kind {
                            _ if !v.is_finite() => "n/a".to_string(),
                            HeatKind::Metric => fmt_number(v),
                            HeatKind::Beats => fmt_percent(v),
                        };
                        // White on the darker cells, black on the lighter ones.
                        let strong =
                            v.is_finite() && scale > 0.0 && ((v - centre) / scale).abs() > 0.55;
                        let colour = if strong { WHITE } else { BLACK };
                        chart
                            .draw_series(std::iter::once(Text::new(
                                text,
                                (x - 0.3, y),
                                tick_font().color(&colour),
                            )))
                            .map_err(err)?;
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diverging_colours_are_white_at_the_centre_and_saturate() {
        assert_eq!(diverging(0.0, 0.0, 10.0), RGBColor(255, 255, 255));
        assert_eq!(diverging(10.0, 0.0, 10.0), RGBColor(33, 102, 172));
        assert_eq!(diverging(-50.0, 0.0, 10.0), RGBColor(178, 24, 43));
        assert_eq!(diverging(f64::NAN, 0.0, 10.0), RGBColor(200, 200, 200));
    }

    #[test]
    fn charts_draw_with_odd_data() {
        let line = SweepLineChart {
            kind: LineKind::Metric,
            study: "s".into(),
            x_label: "price.retail".into(),
            y_label: "profit (USD)".into(),
            crossing: None,
            curves: vec![Curve {
                name: "a".into(),
                colour: RED,
                points: vec![CurvePoint {
                    x: 1.0,
                    mean: f64::NAN,
                    ci_low: f64::NAN,
                    ci_high: f64::NAN,
                    p5: f64::NAN,
                    p95: f64::NAN,
                }],
            }],
        };
        assert!(super::super::render_png(&line, (640, 400)).is_ok());
        let heat = SweepHeatmap {
            kind: HeatKind::Beats,
            study: "s".into(),
            value_label: "profit".into(),
            x_label: "a".into(),
            xs: vec![1.0, 2.0],
            y_label: "b".into(),
            ys: vec![3.0],
            panels: vec![HeatPanel {
                name: "x beats y".into(),
                values: vec![vec![0.2, f64::NAN]],
            }],
        };
        assert!(super::super::render_png(&heat, (640, 400)).is_ok());
    }
}
