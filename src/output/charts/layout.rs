//! Layout shared by every chart: titles that fit the image (measured with the font they are
//! drawn in, shrunk and wrapped as needed) and legends placed where they cover no data
//! (the emptiest corner or spot of the plot, else room made above the data).

use std::ops::Range;

use plotters::coord::Shift;
use plotters::element::MultiLineText;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ensure_font, err, Coords, FONT};

/// The largest size a chart title is drawn at.
pub const TITLE_SIZE: u32 = 30;
/// The smallest size a chart title shrinks to before it wraps onto more lines.
const TITLE_ONE_LINE_MIN: u32 = 22;
/// The smallest size a title is ever drawn at.
const TITLE_MIN: u32 = 16;
/// Space left free on each side of a title (an SVG viewer's font may run a little wider).
const TITLE_SIDE_PAD: u32 = 16;
/// Space above a title (the chart below keeps its own margin).
const TITLE_V_PAD: u32 = 8;
/// A line's height as a share of the font size.
const LINE_HEIGHT: f64 = 1.25;

/// The width of `text` in pixels at `size`, in the charts' font.
pub fn text_width(text: &str, size: u32) -> u32 {
    ensure_font();
    let font = (FONT, size).into_font();
    match font.box_size(text) {
        Ok((w, _)) => w,
        // The font is embedded; were it missing, a generous estimate keeps text inside.
        Err(_) => (text.chars().count() as f64 * size as f64 * 0.65).ceil() as u32,
    }
}

/// A text fitted to a width: its lines and the font size they are drawn at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FittedText {
    /// The lines, top to bottom.
    pub lines: Vec<String>,
    /// The font size, in pixels.
    pub size: u32,
}

impl FittedText {
    /// The height the lines take, in pixels.
    pub fn height(&self) -> u32 {
        (self.lines.len() as f64 * self.size as f64 * LINE_HEIGHT).ceil() as u32
    }
}

/// Fits `text` into `width` pixels: on one line at the largest size from `max` down to a
/// readable floor; else wrapped at spaces onto two balanced lines from `max` down to the
/// smallest size; else onto as many lines as it takes at the smallest size, a word too
/// wide for a line broken between characters. Every line is at most `width` wide as the
/// font measures it (unless one character is wider).
pub fn fit_text(text: &str, width: u32, max: u32) -> FittedText {
    let min = TITLE_MIN.min(max);
    let one_line_min = TITLE_ONE_LINE_MIN.clamp(min, max);
    for size in (one_line_min..=max).rev() {
        if text_width(text, size) <= width {
            return FittedText {
                lines: vec![text.to_string()],
                size,
            };
        }
    }
    for size in (min..=max).rev() {
        if let Some(lines) = balanced_lines(text, width, size, 2) {
            return FittedText { lines, size };
        }
    }
    FittedText {
        lines: wrap(text, width, min),
        size: min,
    }
}

/// `text` wrapped into at most `count` lines no wider than `width`, as even as they can be
/// (the narrowest limit under which greedy wrapping still needs no more lines), if it can.
fn balanced_lines(text: &str, width: u32, size: u32, count: usize) -> Option<Vec<String>> {
    let fits = |limit: u32| {
        let lines = wrap(text, limit, size);
        (lines.len() <= count && lines.iter().all(|l| text_width(l, size) <= limit))
            .then_some(lines)
    };
    let mut best = fits(width)?;
    let (mut lo, mut hi) = (0, width);
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        match fits(mid) {
            Some(lines) => {
                best = lines;
                hi = mid;
            }
            None => lo = mid,
        }
    }
    Some(best)
}

/// Greedy wrapping at spaces into lines no wider than `width`; a word wider than a line is
/// broken between characters.
fn wrap(text: &str, width: u32, size: u32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let joined = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&joined, size) <= width {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // The word starts a line; break it if it is wider than one.
        for c in word.chars() {
            let mut longer = line.clone();
            longer.push(c);
            if !line.is_empty() && text_width(&longer, size) > width {
                lines.push(std::mem::replace(&mut line, c.to_string()));
            } else {
                line = longer;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Draws `text` as a title across the top of `area` (at most `max` pixels high a line,
/// fitted to the width by [`fit_text`]) and returns the area below it.
pub fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    max: u32,
) -> Result<DrawingArea<DB, Shift>, String> {
    draw_title_in(area, text, max, BLACK)
}

/// [`draw_title`] in a colour.
pub fn draw_title_in<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    max: u32,
    colour: RGBColor,
) -> Result<DrawingArea<DB, Shift>, String> {
    let (w, _) = area.dim_in_pixel();
    let fitted = fit_text(text, w.saturating_sub(2 * TITLE_SIDE_PAD).max(1), max);
    let style = TextStyle::from((FONT, fitted.size).into_font())
        .color(&colour)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let line_height = fitted.size as f64 * LINE_HEIGHT;
    for (i, line) in fitted.lines.iter().enumerate() {
        let y = TITLE_V_PAD as f64 + i as f64 * line_height;
        area.draw_text(line, &style, ((w / 2) as i32, y.round() as i32))
            .map_err(err)?;
    }
    Ok(area.split_vertically(fitted.height() + TITLE_V_PAD).1)
}

/// Where drawn data lies on a plot, on a grid of cells over its x and y ranges: what a
/// legend must not cover. Row 0 is the top of the plot.
#[derive(Clone, Debug)]
pub struct Occupancy {
    x: Range<f64>,
    y: Range<f64>,
    cells: Vec<bool>,
    top: f64,
    plot: (u32, u32),
}

/// Columns and rows of an [`Occupancy`] grid (cells of about 16 pixels on a 1280×800 chart).
const COLS: usize = 72;
const ROWS: usize = 45;

impl Occupancy {
    /// An empty plot over these ranges, `plot` pixels wide and high.
    pub fn new(x: Range<f64>, y: Range<f64>, plot: (u32, u32)) -> Self {
        Occupancy {
            x,
            y,
            cells: vec![false; COLS * ROWS],
            top: f64::NEG_INFINITY,
            plot: (plot.0.max(1), plot.1.max(1)),
        }
    }

    /// An empty plot over a chart's ranges and plotting area.
    pub fn of<DB: DrawingBackend>(chart: &ChartContext<'_, DB, Coords>) -> Self {
        Self::new(
            chart.x_range(),
            chart.y_range(),
            chart.plotting_area().dim_in_pixel(),
        )
    }

    /// Whether `y` lies on the plot, both ends included.
    fn in_y(&self, y: f64) -> bool {
        self.y.start <= y && y <= self.y.end
    }

    /// Fractions of the way across and down (0 at the top) of a point.
    fn fraction(&self, (x, y): (f64, f64)) -> (f64, f64) {
        let fx = (x - self.x.start) / (self.x.end - self.x.start);
        let fy = (self.y.end - y) / (self.y.end - self.y.start);
        (fx, fy)
    }

    fn mark_fraction(&mut self, fx: f64, fy: f64) {
        if !(0.0..=1.0).contains(&fx) || !(0.0..=1.0).contains(&fy) {
            return;
        }
        let c = ((fx * COLS as f64) as usize).min(COLS - 1);
        let r = ((fy * ROWS as f64) as usize).min(ROWS - 1);
        self.cells[r * COLS + c] = true;
    }

    /// Marks a point.
    pub fn point(&mut self, p: (f64, f64)) {
        if !(p.0.is_finite() && p.1.is_finite()) {
            return;
        }
        if self.in_y(p.1) {
            self.top = self.top.max(p.1);
        }
        let (fx, fy) = self.fraction(p);
        self.mark_fraction(fx, fy);
    }

    /// Marks a polyline: every cell its segments pass through.
    pub fn line(&mut self, points: &[(f64, f64)]) {
        for p in points {
            self.point(*p);
        }
        for w in points.windows(2) {
            let (a, b) = (w[0], w[1]);
            if !(a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite()) {
                continue;
            }
            let (fa, fb) = (self.fraction(a), self.fraction(b));
            // Steps of half a cell along the segment, in the grid's own units.
            let cells = ((fb.0 - fa.0).abs() * COLS as f64).max((fb.1 - fa.1).abs() * ROWS as f64);
            let steps = (cells * 2.0).ceil().clamp(1.0, 10_000.0) as usize;
            for s in 0..=steps {
                let t = s as f64 / steps as f64;
                self.point((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t));
            }
        }
    }

    /// Marks a filled rectangle between two corners.
    pub fn rect(&mut self, (x0, y0): (f64, f64), (x1, y1): (f64, f64)) {
        if ![x0, y0, x1, y1].iter().all(|v| v.is_finite()) {
            return;
        }
        let (fa, fb) = (self.fraction((x0, y0)), self.fraction((x1, y1)));
        let (c0, c1) = (fa.0.min(fb.0).max(0.0), fa.0.max(fb.0).min(1.0));
        let (r0, r1) = (fa.1.min(fb.1).max(0.0), fa.1.max(fb.1).min(1.0));
        if c0 > c1 || r0 > r1 {
            return;
        }
        let col = |f: f64| ((f * COLS as f64) as usize).min(COLS - 1);
        let row = |f: f64| ((f * ROWS as f64) as usize).min(ROWS - 1);
        for r in row(r0)..=row(r1) {
            for c in col(c0)..=col(c1) {
                self.cells[r * COLS + c] = true;
            }
        }
        for y in [y0, y1] {
            if self.in_y(y) {
                self.top = self.top.max(y);
            }
        }
    }

    /// Marks the region between two edges over the same x values, `(x, low, high)` by
    /// increasing x (a band, filled between its points).
    pub fn band(&mut self, points: &[(f64, f64, f64)]) {
        for w in points.windows(2) {
            let ((x0, lo0, hi0), (x1, lo1, hi1)) = (w[0], w[1]);
            let cells = ((x1 - x0) / (self.x.end - self.x.start)).abs() * COLS as f64;
            let steps = (cells * 2.0).ceil().clamp(1.0, 10_000.0) as usize;
            for s in 0..=steps {
                let t = s as f64 / steps as f64;
                let x = x0 + (x1 - x0) * t;
                self.line(&[(x, lo0 + (lo1 - lo0) * t), (x, hi0 + (hi1 - hi0) * t)]);
            }
        }
        if let [(x, lo, hi)] = points {
            self.line(&[(*x, *lo), (*x, *hi)]);
        }
    }

    /// How far along the x axis `pixels` reach.
    pub fn x_span_of(&self, pixels: u32) -> f64 {
        pixels as f64 / self.plot.0 as f64 * (self.x.end - self.x.start)
    }

    /// Marks a box of `size` pixels with its top-left corner at `at` (text drawn there).
    pub fn text_box(&mut self, at: (f64, f64), size: (u32, u32)) {
        let dx = size.0 as f64 / self.plot.0 as f64 * (self.x.end - self.x.start);
        let dy = size.1 as f64 / self.plot.1 as f64 * (self.y.end - self.y.start);
        self.rect(at, (at.0 + dx, at.1 - dy));
    }

    /// The highest y value marked inside the y range (None: nothing marked).
    pub fn top(&self) -> Option<f64> {
        self.top.is_finite().then_some(self.top)
    }

    /// How many marked cells a box covers; the box is given as fractions of the plot
    /// (left, top, width, height), 0 at the top-left corner.
    pub fn covered(&self, (left, top, w, h): (f64, f64, f64, f64)) -> usize {
        let c0 = (left * COLS as f64).floor().max(0.0) as usize;
        let c1 = (((left + w) * COLS as f64).ceil() as usize).min(COLS);
        let r0 = (top * ROWS as f64).floor().max(0.0) as usize;
        let r1 = (((top + h) * ROWS as f64).ceil() as usize).min(ROWS);
        (r0..r1)
            .flat_map(|r| (c0..c1).map(move |c| (r, c)))
            .filter(|&(r, c)| self.cells[r * COLS + c])
            .count()
    }

    /// The place for a legend of `legend` pixels on a plot of `plot` pixels that covers the
    /// fewest marked cells: the four corners first (upper right, upper left, lower right,
    /// lower left), then any spot on a grid over the plot, higher first. Returns the
    /// legend's top-left corner in pixels from the plot's and how many cells it covers.
    pub fn legend_spot(&self, legend: (u32, u32)) -> ((i32, i32), usize) {
        let (pw, ph) = (self.plot.0 as i32, self.plot.1 as i32);
        let (lw, lh) = (legend.0 as i32, legend.1 as i32);
        const INSET: i32 = 5;
        let right = (pw - lw - INSET).max(0);
        let bottom = (ph - lh - INSET).max(0);
        let mut spots = vec![
            (right, INSET),
            (INSET, INSET),
            (right, bottom),
            (INSET, bottom),
        ];
        const STEPS: i32 = 24;
        for j in 0..=STEPS {
            for i in 0..=STEPS {
                spots.push((
                    INSET + (right - INSET).max(0) * i / STEPS,
                    INSET + (bottom - INSET).max(0) * j / STEPS,
                ));
            }
        }
        let score = |&(x, y): &(i32, i32)| {
            self.covered((
                x as f64 / pw as f64,
                y as f64 / ph as f64,
                lw as f64 / pw as f64,
                lh as f64 / ph as f64,
            ))
        };
        let mut best = (spots[0], score(&spots[0]));
        for s in &spots[1..] {
            let n = score(s);
            if n < best.1 {
                best = (*s, n);
            }
            if best.1 == 0 {
                break;
            }
        }
        best
    }
}

/// The size in pixels of the legend plotters draws for `labels` in `font` (its text, the
/// 30-pixel sample and 10-pixel margins, as `configure_series_labels` lays them out).
pub fn legend_size(labels: &[String], font: &TextStyle) -> (u32, u32) {
    ensure_font();
    let mut text = MultiLineText::<_, &str>::new((0, 0), font);
    for l in labels {
        text.push_line(l.as_str());
    }
    let (w, h) = text.estimate_dimension().unwrap_or_else(|_| {
        let size = font.font.get_size();
        let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        (
            (longest as f64 * size * 0.65) as i32,
            (labels.len() as f64 * size * LINE_HEIGHT) as i32,
        )
    });
    ((w.max(0) + 30 + 20) as u32, (h.max(0) + 20) as u32)
}

/// The top of a y range that leaves room above `data_top` for a legend of `legend_h`
/// pixels at the top of a plot `plot_h` pixels high (with a gap under it), keeping the
/// bottom at `bottom`. Never lower than `top`.
pub fn headroom_top(bottom: f64, top: f64, data_top: f64, plot_h: u32, legend_h: u32) -> f64 {
    // The legend's box and the gaps above and below it, as a share of the plot's height.
    let taken = (legend_h as f64 + 30.0) / plot_h.max(1) as f64;
    if !(data_top.is_finite() && taken < 0.9) || data_top <= bottom {
        return top;
    }
    let needed = bottom + (data_top - bottom) / (1.0 - taken);
    needed.max(top)
}

/// Builds a chart by `build` over `y` and finds where a legend of `labels` in `font`
/// covers no data that `mark` draws: the emptiest spot of the plot when one is free; else,
/// when `y_can_grow`, the chart rebuilt with its y range raised until the legend fits above
/// the data. Returns the chart and the legend's position.
pub fn chart_with_legend<'a, DB, B, M>(
    build: B,
    y: Range<f64>,
    y_can_grow: bool,
    mark: M,
    labels: &[String],
    font: &TextStyle,
) -> Result<(ChartContext<'a, DB, Coords>, SeriesLabelPosition), String>
where
    DB: DrawingBackend + 'a,
    B: Fn(Range<f64>) -> Result<ChartContext<'a, DB, Coords>, String>,
    M: Fn(&mut Occupancy),
{
    let chart = build(y.clone())?;
    let plot = chart.plotting_area().dim_in_pixel();
    let legend = legend_size(labels, font);
    let mut occupancy = Occupancy::of(&chart);
    mark(&mut occupancy);
    let ((x, top), covered) = occupancy.legend_spot(legend);
    if covered == 0 || !y_can_grow {
        return Ok((chart, SeriesLabelPosition::Coordinate(x, top)));
    }
    let data_top = occupancy.top().unwrap_or(y.end);
    let raised = headroom_top(y.start, y.end, data_top, plot.1, legend.1);
    let chart = build(y.start..raised)?;
    let mut occupancy = Occupancy::of(&chart);
    mark(&mut occupancy);
    let ((x, top), _) = occupancy.legend_spot(legend);
    Ok((chart, SeriesLabelPosition::Coordinate(x, top)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_title_stays_whole_at_full_size() {
        let f = fit_text("Profit", 1000, TITLE_SIZE);
        assert_eq!(f.lines, vec!["Profit".to_string()]);
        assert_eq!(f.size, TITLE_SIZE);
    }

    #[test]
    fn a_long_title_fits_the_width_the_font_measures() {
        let title = "us_beauty_2026_routes_with_a_long_name: profit (USD) as each top input \
                     moves from its low end to its high end";
        let width = 600;
        assert!(
            text_width(title, TITLE_SIZE) > width,
            "the case must need fitting"
        );
        let f = fit_text(title, width, TITLE_SIZE);
        for line in &f.lines {
            assert!(
                text_width(line, f.size) <= width,
                "`{line}` is {} px at {} px, wider than {width}",
                text_width(line, f.size),
                f.size
            );
        }
        // Nothing is lost: the words are the title's, in order.
        assert_eq!(
            f.lines.join(" ").split_whitespace().collect::<Vec<_>>(),
            title.split_whitespace().collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_word_wider_than_the_image_is_broken_not_clipped() {
        let word = "x".repeat(200);
        let f = fit_text(&word, 300, TITLE_SIZE);
        assert!(f.lines.len() > 1);
        assert!(f.lines.iter().all(|l| text_width(l, f.size) <= 300));
        assert_eq!(f.lines.concat(), word);
    }

    #[test]
    fn two_lines_are_balanced() {
        let title = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll";
        let width = text_width(title, TITLE_SIZE) * 6 / 10;
        let f = fit_text(title, width, TITLE_SIZE);
        assert_eq!(f.lines.len(), 2);
        let (a, b) = (
            text_width(&f.lines[0], f.size),
            text_width(&f.lines[1], f.size),
        );
        assert!(a.abs_diff(b) < a.max(b) / 3, "{:?}", f.lines);
    }

    #[test]
    fn the_legend_avoids_an_occupied_top_right() {
        // A peak in the top-right quarter; the rest of the top is empty.
        let mut o = Occupancy::new(0.0..100.0, 0.0..1.0, (1000, 600));
        o.line(&[(70.0, 0.0), (70.0, 0.95), (95.0, 0.95), (95.0, 0.0)]);
        o.rect((72.0, 0.0), (93.0, 0.9));
        let ((x, y), covered) = o.legend_spot((300, 120));
        assert_eq!(covered, 0);
        // Its box lies left of the peak.
        assert!(x + 300 <= 700, "legend at x {x}..{}", x + 300);
        assert!(y < 300, "a free upper spot is taken first, got y {y}");
        // The default corner would have covered the peak.
        assert!(o.covered((0.695, 5.0 / 600.0, 0.3, 0.2)) > 0);
    }

    #[test]
    fn the_legend_sits_over_nothing_when_a_line_crosses_every_corner() {
        // Diagonals through all four corners: the free spots are mid-left and mid-right
        // between them.
        let mut o = Occupancy::new(0.0..1.0, 0.0..1.0, (1000, 600));
        o.line(&[(0.0, 0.0), (1.0, 1.0)]);
        o.line(&[(0.0, 1.0), (1.0, 0.0)]);
        let ((x, y), covered) = o.legend_spot((200, 100));
        assert_eq!(covered, 0);
        assert!(!(x < 200 && y < 100), "not the upper-left corner");
    }

    #[test]
    fn headroom_puts_the_data_below_the_legend() {
        // A plot 600 px high, data up to 10 on a 0..10 axis, a legend 100 px high.
        let top = headroom_top(0.0, 10.0, 10.0, 600, 100);
        // The data's top, in pixels from the plot's top, lies below the legend.
        let data_px = 600.0 * (top - 10.0) / top;
        assert!(data_px >= 100.0 + 5.0, "data top at {data_px} px");
        // Never lowered, and nothing to do without data.
        assert_eq!(headroom_top(0.0, 10.0, 2.0, 600, 100), 10.0);
        assert_eq!(headroom_top(0.0, 10.0, f64::NAN, 600, 100), 10.0);
    }

    #[test]
    fn a_full_plot_is_raised_until_the_legend_sits_above_its_data() {
        let (w, h) = (800u32, 500u32);
        let mut buf = vec![255u8; (w * h * 3) as usize];
        let area = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        let font: TextStyle = (FONT, 16).into_font().into();
        let labels = vec!["one series".to_string(), "another series".to_string()];
        // Data fills the whole plot: no spot is free at the first y range.
        let fill = |o: &mut Occupancy| o.rect((0.0, 0.0), (10.0, 1.0));
        let (chart, at) = chart_with_legend(
            |y| {
                ChartBuilder::on(&area)
                    .margin(10)
                    .build_cartesian_2d(0.0..10.0, y)
                    .map_err(err)
            },
            0.0..1.0,
            true,
            fill,
            &labels,
            &font,
        )
        .unwrap();
        let top = chart.y_range().end;
        assert!(top > 1.0, "the y range was raised, to {top}");
        let SeriesLabelPosition::Coordinate(_, y) = at else {
            panic!("a position in pixels")
        };
        let (_, legend_h) = legend_size(&labels, &font);
        let plot_h = chart.plotting_area().dim_in_pixel().1 as f64;
        let data_top_px = plot_h * (top - 1.0) / top;
        assert!(
            (y + legend_h as i32) as f64 <= data_top_px,
            "legend {y}..{} px, data from {data_top_px} px",
            y + legend_h as i32
        );
        // Where the range may not grow, the legend goes to the least covered spot as it is.
        let (chart, _) = chart_with_legend(
            |y| {
                ChartBuilder::on(&area)
                    .margin(10)
                    .build_cartesian_2d(0.0..10.0, y)
                    .map_err(err)
            },
            0.0..1.0,
            false,
            fill,
            &labels,
            &font,
        )
        .unwrap();
        assert_eq!(chart.y_range().end, 1.0);
    }

    #[test]
    fn the_measured_legend_grows_with_its_labels() {
        let font: TextStyle = (FONT, 16).into_font().into();
        let short = legend_size(&["a".to_string()], &font);
        let long = legend_size(&["a".repeat(40), "b".to_string()], &font);
        assert!(long.0 > short.0 + 200 && long.1 > short.1);
    }
}
