//! Charts of a study, drawn with plotters into memory (PNG or SVG bytes); files are
//! written elsewhere. Text uses plotters' pure-Rust `ab_glyph` renderer with DejaVu Sans
//! embedded in the binary, so no system font library is needed.
//!
//! One file per chart kind: a small data struct in, a drawing out, an error instead of a
//! panic on odd data (one trial, all-equal values, no orders, a hundred variants).

pub mod compare;
pub mod data;
pub mod delay;
pub mod fan;
pub mod head_to_head;
pub mod layout;
pub mod margin;
pub mod money;
pub mod profit;
pub mod rates;
pub mod sweep;

use std::sync::Once;

use crate::format::fmt_percent;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Default size: readable on a laptop screen and in the report.
pub const SIZE: (u32, u32) = (1280, 800);

/// The font every chart uses, registered once under this family name.
pub const FONT: &str = "sans-serif";
static FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static REGISTER: Once = Once::new();

pub(crate) fn ensure_font() {
    REGISTER.call_once(|| {
        // The embedded file is a valid TrueType font; a failure would show as missing text.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES);
    });
}

/// Errors while drawing, as text (plotters' error types are backend-generic).
pub type DrawResult = Result<(), String>;

/// Turns any drawing error into text.
pub fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// A chart that can draw itself on any plotters backend.
pub trait Chart {
    /// File name without extension (`profit_distribution`).
    fn file_stem(&self) -> &'static str;
    /// Human title of the chart kind (the study name is added).
    fn title(&self) -> &'static str;
    /// Draws the chart on `area`.
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult;
}

/// Draws a chart's series legend in the common style.
pub fn draw_legend<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
    entries: usize,
) -> DrawResult {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .label_font(legend_font(entries))
        .draw()
        .map_err(err)
}

/// Cartesian coordinates over two `f64` ranges, as every chart here uses.
pub type Coords = Cartesian2d<RangedCoordf64, RangedCoordf64>;

/// Draws a step histogram (shares per bin over `range`): a light fill and an outline,
/// with a legend entry when `label` is given.
pub fn draw_histogram<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Coords>,
    shares: &[f64],
    range: &std::ops::Range<f64>,
    colour: RGBColor,
    fill: f64,
    label: Option<String>,
) -> DrawResult {
    let pts = profit::step_points(shares, range);
    chart
        .draw_series(std::iter::once(Polygon::new(pts.clone(), colour.mix(fill))))
        .map_err(err)?;
    let series = chart
        .draw_series(LineSeries::new(pts, colour.stroke_width(2)))
        .map_err(err)?;
    if let Some(label) = label {
        series.label(label).legend(move |(x, y)| {
            PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(4))
        });
    }
    Ok(())
}

/// Rows and columns of a grid of `panels` small charts (at most three columns).
pub fn grid_shape(panels: usize) -> (usize, usize) {
    let k = panels.max(1);
    let cols = match k {
        1 => 1,
        2 | 4 => 2,
        _ => 3,
    };
    (k.div_ceil(cols), cols)
}

/// A chart with one row per name on the y axis (positions 0..n) and `x_range` across,
/// with room on the left for the longest name (its title drawn above `area` already, by
/// [`layout::draw_title`]).
pub fn category_rows_chart<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    x_range: std::ops::Range<f64>,
    names: &[String],
) -> Result<ChartContext<'a, DB, Coords>, String> {
    category_rows_chart_over(area, x_range, category_rows(names), names)
}

/// The y range of a [`category_rows_chart`]: its rows and a little room around them.
pub fn category_rows(names: &[String]) -> std::ops::Range<f64> {
    -0.6..(names.len().max(1) as f64 - 0.4)
}

/// A [`category_rows_chart`] over a given y range (raised above [`category_rows`] to make
/// room for a legend).
pub fn category_rows_chart_over<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    x_range: std::ops::Range<f64>,
    y_range: std::ops::Range<f64>,
    names: &[String],
) -> Result<ChartContext<'a, DB, Coords>, String> {
    let longest = names.iter().map(|s| s.chars().count()).max().unwrap_or(4);
    ChartBuilder::on(area)
        .margin(20)
        .x_label_area_size(60)
        .y_label_area_size((longest as u32 * 10 + 20).clamp(80, 320))
        .build_cartesian_2d(x_range, y_range)
        .map_err(err)
}

/// The mesh every chart starts from: axis descriptions and tick labels in the charts'
/// fonts. Callers add their descriptions, label formats and grid, then `draw`.
pub fn styled_mesh<'a, 'b, DB: DrawingBackend>(
    chart: &'b mut ChartContext<'a, DB, Coords>,
) -> plotters::chart::MeshStyle<'a, 'b, RangedCoordf64, RangedCoordf64, DB> {
    let mut mesh = chart.configure_mesh();
    mesh.axis_desc_style(axis_font()).label_style(tick_font());
    mesh
}

/// The mesh of a [`category_rows_chart`]: `x_desc` and `x_label` across, the names down
/// the side at whole positions, no horizontal grid.
pub fn draw_category_rows_mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Coords>,
    x_desc: String,
    x_label: &dyn Fn(&f64) -> String,
    names: &[String],
) -> DrawResult {
    let rows = names.len().max(1);
    styled_mesh(chart)
        .x_desc(x_desc)
        .x_label_formatter(x_label)
        .y_labels(rows.min(60) * 2 + 1)
        .y_label_formatter(&|v| margin::category_label(names, *v))
        .disable_y_mesh()
        .draw()
        .map_err(err)
}

/// A small histogram panel of a grid (its caption drawn above `panel` already, by
/// [`layout::draw_title`]): `range` across and shares from 0 to `top` up the side.
pub fn histogram_panel<'a, DB: DrawingBackend + 'a>(
    panel: &'a DrawingArea<DB, Shift>,
    x_label_area: u32,
    range: std::ops::Range<f64>,
    top: f64,
) -> Result<ChartContext<'a, DB, Coords>, String> {
    ChartBuilder::on(panel)
        .margin(8)
        .x_label_area_size(x_label_area)
        .y_label_area_size(50)
        .build_cartesian_2d(range, 0.0..top)
        .map_err(err)
}

/// The mesh of a [`histogram_panel`]: five x labels by `x_label` (with `x_desc` under them,
/// if any, in a small font), four y labels as percentages, no minor grid.
pub fn draw_histogram_panel_mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Coords>,
    x_label: &dyn Fn(&f64) -> String,
    x_desc: Option<String>,
) -> DrawResult {
    let mut mesh = styled_mesh(chart);
    if let Some(desc) = x_desc {
        mesh.x_desc(desc).axis_desc_style((FONT, 14).into_font());
    }
    mesh.x_labels(5)
        .y_labels(4)
        .x_label_formatter(x_label)
        .y_label_formatter(&|v| fmt_percent(*v))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)
}

/// The five numbers of a horizontal box plot.
#[derive(Clone, Copy, Debug)]
pub struct BoxStats {
    /// 5th percentile.
    pub p5: f64,
    /// 25th percentile (lower quartile).
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile (upper quartile).
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// Draws a horizontal box (p25-p75), median line and whiskers (p5, p95) centred on `y`.
pub fn draw_box<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Coords>,
    s: BoxStats,
    y: f64,
    half: f64,
    colour: RGBColor,
) -> DrawResult {
    chart
        .draw_series([
            Rectangle::new(
                [(s.p25, y - half), (s.p75, y + half)],
                colour.mix(0.35).filled(),
            ),
            Rectangle::new(
                [(s.p25, y - half), (s.p75, y + half)],
                colour.stroke_width(2),
            ),
        ])
        .map_err(err)?;
    chart
        .draw_series([
            PathElement::new(
                vec![(s.p50, y - half), (s.p50, y + half)],
                BLACK.stroke_width(3),
            ),
            PathElement::new(vec![(s.p5, y), (s.p25, y)], colour.stroke_width(2)),
            PathElement::new(vec![(s.p75, y), (s.p95, y)], colour.stroke_width(2)),
            PathElement::new(
                vec![(s.p5, y - half / 2.0), (s.p5, y + half / 2.0)],
                colour.stroke_width(2),
            ),
            PathElement::new(
                vec![(s.p95, y - half / 2.0), (s.p95, y + half / 2.0)],
                colour.stroke_width(2),
            ),
        ])
        .map_err(err)?;
    Ok(())
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartFormat {
    /// PNG only.
    Png,
    /// SVG only.
    Svg,
    /// PNG and SVG.
    Both,
}

impl ChartFormat {
    /// Whether PNGs are drawn.
    pub fn png(self) -> bool {
        matches!(self, ChartFormat::Png | ChartFormat::Both)
    }
    /// Whether SVGs are drawn.
    pub fn svg(self) -> bool {
        matches!(self, ChartFormat::Svg | ChartFormat::Both)
    }
}

/// Renders a chart as PNG bytes.
pub fn render_png<C: Chart>(chart: &C, (w, h): (u32, u32)) -> Result<Vec<u8>, String> {
    ensure_font();
    let mut buf = vec![255u8; (w * h * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        area.fill(&WHITE).map_err(err)?;
        chart.draw(&area)?;
        area.present().map_err(err)?;
    }
    let mut png = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut png),
        &buf,
        w,
        h,
        image::ExtendedColorType::Rgb8,
    )
    .map_err(err)?;
    Ok(png)
}

/// Renders a chart as an SVG document.
pub fn render_svg<C: Chart>(chart: &C, (w, h): (u32, u32)) -> Result<String, String> {
    ensure_font();
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        area.fill(&WHITE).map_err(err)?;
        chart.draw(&area)?;
        area.present().map_err(err)?;
    }
    Ok(svg)
}

/// A rendered chart: its file stem and bytes per format.
pub struct Rendered {
    /// File name without extension (the chart's own, or one given per variant).
    pub stem: String,
    /// Title (figure caption in the report).
    pub title: &'static str,
    /// PNG bytes, when drawn.
    pub png: Option<Vec<u8>>,
    /// SVG text, when drawn.
    pub svg: Option<String>,
}

/// Renders a chart in the requested formats.
pub fn render<C: Chart>(chart: &C, format: ChartFormat) -> Result<Rendered, String> {
    Ok(Rendered {
        stem: chart.file_stem().to_string(),
        title: chart.title(),
        png: if format.png() {
            Some(render_png(chart, SIZE).map_err(|e| format!("{}: {e}", chart.file_stem()))?)
        } else {
            None
        },
        svg: if format.svg() {
            Some(render_svg(chart, SIZE).map_err(|e| format!("{}: {e}", chart.file_stem()))?)
        } else {
            None
        },
    })
}

/// Tableau 10: distinct, colour-blind-aware hues; a variant keeps its colour everywhere.
const PALETTE: [(u8, u8, u8); 10] = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
];

/// The colour of the variant at `index` (beyond ten, hues are spread by the golden angle,
/// at a middle lightness).
pub fn variant_colour(index: usize) -> RGBColor {
    if let Some(&(r, g, b)) = PALETTE.get(index) {
        return RGBColor(r, g, b);
    }
    let hue = (index as f64 * 137.508) % 360.0;
    let hsl = HSLColor(hue / 360.0, 0.6, 0.45);
    let (r, g, b) = hsl.rgb();
    RGBColor(r, g, b)
}

/// The colours of the kinds of cost, in [`money::PARTS`] order, the same in every chart
/// that shows costs. Pale tints and dark tones, never a variant's saturated middle tones:
/// a cost never reads as a variant (a test keeps every one far from every variant colour
/// and from each other).
const COST_PALETTE: [(u8, u8, u8); 11] = [
    (215, 190, 240), // refunds: lavender
    (50, 50, 60),    // goods: dark slate
    (160, 205, 245), // platform fees: pale blue
    (250, 190, 150), // affiliates: peach
    (170, 225, 185), // logistics: mint
    (190, 240, 240), // storage: pale cyan
    (250, 230, 140), // ads, lives, samples, refreshes: pale yellow
    (75, 35, 90),    // fixed (staff, tools): dark plum
    (250, 180, 205), // returns and complaints: pink
    (70, 40, 20),    // duties and taxes: dark brown
    (60, 80, 0),     // stock write-down: dark olive (apart from goods for deuteranopes too)
];

/// The colour of the kind of cost at `part` (an index into [`money::PARTS`]).
pub fn cost_colour(part: usize) -> RGBColor {
    let (r, g, b) = COST_PALETTE[part % COST_PALETTE.len()];
    RGBColor(r, g, b)
}

/// Caption style.
pub fn caption_font() -> TextStyle<'static> {
    (FONT, 30).into_font().into()
}

/// Axis description style.
pub fn axis_font() -> TextStyle<'static> {
    (FONT, 20).into_font().into()
}

/// Tick label style.
pub fn tick_font() -> TextStyle<'static> {
    (FONT, 16).into_font().into()
}

/// Legend style, smaller when there are many entries.
pub fn legend_font(entries: usize) -> TextStyle<'static> {
    let size = if entries > 12 { 12 } else { 16 };
    (FONT, size).into_font().into()
}

/// Legends list at most this many variants; the rest are named in the report.
pub const MAX_LEGEND: usize = 20;

/// A caption, noting when the legend cannot list every variant.
pub fn caption_with_legend_note(caption: String, variants: usize) -> String {
    if variants > MAX_LEGEND {
        format!("{caption} (legend: first {MAX_LEGEND} of {variants} variants)")
    } else {
        caption
    }
}

/// A range that is never empty or inverted, with some padding.
pub fn padded_range(lo: f64, hi: f64, pad_share: f64) -> std::ops::Range<f64> {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (0.0, 1.0)
    };
    let width = hi - lo;
    let pad = if width > 0.0 {
        width * pad_share
    } else {
        (lo.abs() * 0.05).max(1.0)
    };
    (lo - pad)..(hi + pad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_hold_every_panel_in_at_most_three_columns() {
        assert_eq!(grid_shape(1), (1, 1));
        assert_eq!(grid_shape(4), (2, 2));
        assert_eq!(grid_shape(6), (2, 3));
        assert_eq!(grid_shape(12), (4, 3));
    }

    #[test]
    fn ranges_are_never_empty() {
        let r = padded_range(5.0, 5.0, 0.05);
        assert!(r.start < 5.0 && r.end > 5.0);
        let r = padded_range(f64::NAN, 1.0, 0.05);
        assert!(r.start < r.end);
    }

    /// CIELAB coordinates of an sRGB colour (D65), for colour differences as seen.
    fn lab(c: RGBColor) -> [f64; 3] {
        let lin = |u: u8| {
            let u = u as f64 / 255.0;
            if u > 0.04045 {
                ((u + 0.055) / 1.055).powf(2.4)
            } else {
                u / 12.92
            }
        };
        let (r, g, b) = (lin(c.0), lin(c.1), lin(c.2));
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        let f = |t: f64| {
            if t > 0.008856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        let (fx, fy, fz) = (f(x), f(y), f(z));
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    }

    /// The CIE76 colour difference (about 2.3 is just noticeable; 20 reads as another colour).
    fn delta_e(a: RGBColor, b: RGBColor) -> f64 {
        let (a, b) = (lab(a), lab(b));
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    }

    #[test]
    fn cost_colours_are_never_variant_colours() {
        let costs: Vec<RGBColor> = (0..money::PARTS.len()).map(cost_colour).collect();
        assert_eq!(costs.len(), COST_PALETTE.len());
        for (k, &c) in costs.iter().enumerate() {
            for v in 0..200 {
                let vc = variant_colour(v);
                assert!(
                    delta_e(c, vc) >= 20.0,
                    "cost `{}` {c:?} looks like variant {v}'s {vc:?} (ΔE {:.1})",
                    money::PARTS[k],
                    delta_e(c, vc)
                );
            }
        }
    }

    #[test]
    fn cost_colours_differ_from_each_other_and_the_background() {
        let costs: Vec<RGBColor> = (0..money::PARTS.len()).map(cost_colour).collect();
        for (i, &a) in costs.iter().enumerate() {
            assert!(delta_e(a, WHITE) >= 15.0, "{a:?} vanishes on white");
            for &b in &costs[i + 1..] {
                assert!(
                    delta_e(a, b) >= 20.0,
                    "{a:?} and {b:?} (ΔE {:.1})",
                    delta_e(a, b)
                );
            }
        }
    }

    #[test]
    fn colours_are_distinct_for_many_variants() {
        let colours: std::collections::HashSet<_> = (0..100)
            .map(|i| {
                let c = variant_colour(i);
                (c.0, c.1, c.2)
            })
            .collect();
        assert!(colours.len() > 90);
    }
}
