//! Chart 8: head to head. For each pair of variants (or each against the baseline), the
//! distribution of the paired profit difference A − B over trials, with P(A beats B).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::profit::{common_range, shares};
use super::{err, tick_font, Chart, DrawResult};
use crate::format::{fmt_number, fmt_percent};

/// One panel: variant A against B.
pub struct Pair {
    /// Name of variant A.
    pub a: String,
    /// Name of variant B.
    pub b: String,
    /// Variant A's colour.
    pub colour: RGBColor,
    /// Per-trial profit of A minus profit of B, each with how many trials it stands for.
    pub diffs: Vec<(f64, u64)>,
    /// Share of trials in which A makes more profit than B.
    pub p_a_better: f64,
    /// Mean of the per-trial differences.
    pub mean: f64,
}

/// Per-trial profit differences of pairs of variants, a panel per pair.
pub struct HeadToHeadChart {
    /// The study's name, shown in the caption.
    pub study: String,
    /// Currency of the money axes.
    pub currency: String,
    /// The panels shown.
    pub pairs: Vec<Pair>,
    /// Pairs not drawn (too many panels); the report lists them all.
    pub omitted: usize,
}

/// Most panels one chart holds legibly.
pub const MAX_PANELS: usize = 12;

impl Chart for HeadToHeadChart {
    fn file_stem(&self) -> &'static str {
        "head_to_head"
    }

    fn title(&self) -> &'static str {
        "Head to head"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let mut caption = format!(
            "{}: paired profit differences ({})",
            self.study, self.currency
        );
        if self.omitted > 0 {
            caption.push_str(&format!(" — {} more pairs in the report", self.omitted));
        }
        let body = super::layout::draw_title(area, &caption, super::layout::TITLE_SIZE)?;
        let k = self.pairs.len().max(1);
        let (rows, cols) = super::grid_shape(k);
        let panels = body.split_evenly((rows, cols));
        for (pair, panel) in self.pairs.iter().zip(panels.iter()) {
            let range = common_range(std::iter::once(pair.diffs.as_slice()));
            let range = (range.start.min(0.0))..(range.end.max(0.0));
            let h = shares(&pair.diffs, &range, 40);
            let top = h.iter().copied().fold(0.0, f64::max).max(1e-9) * 1.2;
            let panel = super::layout::draw_title(
                panel,
                &format!(
                    "{} − {}: P(A beats B) {}",
                    pair.a,
                    pair.b,
                    fmt_percent(pair.p_a_better)
                ),
                if k > 6 { 14 } else { 18 },
            )?;
            let mut chart = super::histogram_panel(&panel, 42, range.clone(), top)?;
            super::draw_histogram_panel_mesh(
                &mut chart,
                &|v| fmt_number(*v),
                Some(format!("profit A − B ({})", self.currency)),
            )?;
            super::draw_histogram(&mut chart, &h, &range, pair.colour, 0.25, None)?;
            chart
                .draw_series(LineSeries::new(
                    [(0.0, 0.0), (0.0, top)],
                    BLACK.stroke_width(2),
                ))
                .map_err(err)?;
            let mean = pair.mean.clamp(range.start, range.end);
            chart
                .draw_series(DashedLineSeries::new(
                    [(mean, 0.0), (mean, top)],
                    6,
                    4,
                    pair.colour.stroke_width(2),
                ))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("mean {}", fmt_number(pair.mean)),
                    (mean, top * 0.93),
                    TextStyle::from((super::FONT, 14).into_font()),
                )))
                .map_err(err)?;
        }
        if self.pairs.is_empty() {
            body.draw_text(
                "fewer than two variants: nothing to compare",
                &tick_font(),
                (40, 40),
            )
            .map_err(err)?;
        }
        Ok(())
    }
}
