//! Which charts a sweep draws, from its points and results: with one swept key, the
//! chosen output against it and P(A beats B) against it; with two keys on a full grid,
//! heatmaps of the output's mean and of P(A beats B). Other shapes get a note instead.

use super::grid::swept_keys;
use crate::metric::{Metric, Unit};
use crate::output::charts::sweep::{
    Curve, CurvePoint, HeatKind, HeatPanel, LineKind, SweepHeatmap, SweepLineChart,
};
use crate::output::charts::{render, variant_colour, ChartFormat, Rendered};
use crate::points::key::InputKey;
use crate::points::{PointResult, PreparedPoint};

/// The charts drawn, or none and the note saying why.
type Charts = (Vec<Rendered>, Option<String>);

/// The charts to draw for a sweep, or why there are none.
pub fn sweep_charts(
    points: &[PreparedPoint],
    results: &[PointResult],
    metric: Metric,
    format: ChartFormat,
) -> Result<(Vec<Rendered>, Option<String>), String> {
    let keys = swept_keys(points.iter().map(|p| &p.point));
    let Some(sweep) = Sweep::new(points, results, metric) else {
        return Ok((Vec::new(), None));
    };
    match keys.as_slice() {
        [key] => sweep.lines(key, format),
        [kx, ky] => sweep.heatmaps(kx, ky, format),
        _ => Ok((
            Vec::new(),
            Some(format!(
                "no charts: the sweep varies {} keys; charts show one key (lines) or two (heatmaps)",
                keys.len()
            )),
        )),
    }
}

/// What every chart of one sweep shares: its points and their results, the output
/// charted, and the labels taken from the study (every point runs the same study).
struct Sweep<'a> {
    points: &'a [PreparedPoint],
    results: &'a [PointResult],
    metric: Metric,
    /// The study's name, in each chart's caption.
    study: String,
    /// The variants in the study's order: one curve or panel each.
    names: Vec<String>,
    /// The output and its unit, as the value axis says it.
    y_label: String,
}

/// The full grid of two swept keys: their values, and the point at each pair of values
/// (rows follow the y values, columns the x values).
struct Grid {
    xs: Vec<f64>,
    ys: Vec<f64>,
    cell: Vec<Vec<Option<usize>>>,
}

/// A point's value of `key` on a chart's axis: its distribution's mean.
fn axis_value(p: &PreparedPoint, key: &InputKey) -> Option<f64> {
    p.point.value(key).map(|d| d.mean())
}

impl<'a> Sweep<'a> {
    /// The sweep's shared parts, from its first point (`None` without points: no charts
    /// and nothing to note).
    fn new(
        points: &'a [PreparedPoint],
        results: &'a [PointResult],
        metric: Metric,
    ) -> Option<Self> {
        let first = points.first()?;
        let currency = first.scenario.currency().to_string();
        let y_label = match metric.unit() {
            Unit::Currency => format!("{} ({currency})", metric.name()),
            unit => format!("{} ({})", metric.name(), unit.name()),
        };
        Some(Sweep {
            points,
            results,
            metric,
            study: first.scenario.spec().name().to_string(),
            names: first.scenario.spec().variant_names(),
            y_label,
        })
    }

    /// `key` as an axis names it: when some point gives it a spread, the axis shows the
    /// mean of each point's distribution, and says so.
    fn label(&self, key: &InputKey) -> String {
        let spread = self
            .points
            .iter()
            .any(|p| p.point.value(key).is_some_and(|d| !d.is_fixed()));
        if spread {
            format!("{} (mean of the point's distribution)", key.key())
        } else {
            key.key().to_string()
        }
    }

    /// One swept key: the output against it, then P(A beats B) against it when the study
    /// has a pair.
    fn lines(&self, key: &InputKey, format: ChartFormat) -> Result<Charts, String> {
        let order = match self.line_order(key) {
            Ok(order) => order,
            Err(note) => return Ok((Vec::new(), Some(note))),
        };
        let mut rendered = vec![render(&self.metric_lines(key, &order), format)?];
        let pairs = unordered_pairs(self.names.len());
        if !pairs.is_empty() {
            rendered.push(render(&self.beats_lines(key, &order, &pairs), format)?);
        }
        Ok((rendered, None))
    }

    /// The points that set `key`, by increasing value; or the note saying why no line can
    /// be drawn: a line needs one point per value, and at least two.
    fn line_order(&self, key: &InputKey) -> Result<Vec<usize>, String> {
        let x_of = |i: usize| axis_value(&self.points[i], key);
        let mut order: Vec<usize> = (0..self.points.len())
            .filter(|&i| x_of(i).is_some())
            .collect();
        order.sort_by(|&a, &b| x_of(a).unwrap_or(0.0).total_cmp(&x_of(b).unwrap_or(0.0)));
        let xs: Vec<f64> = order.iter().filter_map(|&i| x_of(i)).collect();
        if xs.windows(2).any(|w| w[0] == w[1]) || order.len() < 2 {
            return Err(format!(
                "no charts: the points do not give one value of `{}` each (repeated values, or fewer than two)",
                key.key()
            ));
        }
        Ok(order)
    }

    /// The output against `key`: per variant, the mean with its interval and the p5-p95
    /// band of trials (NaN where a point has no summary).
    fn metric_lines(&self, key: &InputKey, order: &[usize]) -> SweepLineChart {
        let curves = self
            .names
            .iter()
            .enumerate()
            .map(|(v, name)| Curve {
                name: name.clone(),
                colour: variant_colour(v),
                points: order
                    .iter()
                    .map(|&i| {
                        let s = self.results[i].analysis.variants[v].summary(self.metric);
                        let at = |f: fn(&crate::stats::Summary) -> f64| s.map_or(f64::NAN, f);
                        CurvePoint {
                            x: axis_value(&self.points[i], key).unwrap_or(f64::NAN),
                            mean: at(|s| s.mean.point),
                            ci_low: at(|s| s.mean.ci_low),
                            ci_high: at(|s| s.mean.ci_high),
                            p5: at(|s| s.p5),
                            p95: at(|s| s.p95),
                        }
                    })
                    .collect(),
            })
            .collect();
        SweepLineChart {
            kind: LineKind::Metric,
            study: self.study.clone(),
            x_label: self.label(key),
            y_label: self.y_label.clone(),
            curves,
            crossing: None,
        }
    }

    /// P(A beats B) on the output against `key`: per pair, the probability with its
    /// Wilson interval as the band (no trial band).
    fn beats_lines(
        &self,
        key: &InputKey,
        order: &[usize],
        pairs: &[(usize, usize)],
    ) -> SweepLineChart {
        let names = &self.names;
        let curves = pairs
            .iter()
            .enumerate()
            .map(|(k, &(a, b))| Curve {
                name: format!("{} beats {} on {}", names[a], names[b], self.metric.name()),
                colour: variant_colour(k),
                points: order
                    .iter()
                    .map(|&i| {
                        let (p, lo, hi) = crate::points::beats(&self.results[i], a, b, self.metric);
                        CurvePoint {
                            x: axis_value(&self.points[i], key).unwrap_or(f64::NAN),
                            mean: p,
                            ci_low: lo,
                            ci_high: hi,
                            p5: f64::NAN,
                            p95: f64::NAN,
                        }
                    })
                    .collect(),
            })
            .collect();
        SweepLineChart {
            kind: LineKind::Beats,
            study: self.study.clone(),
            x_label: self.label(key),
            y_label: self.y_label.clone(),
            curves,
            crossing: None,
        }
    }

    /// Two swept keys: a heatmap of the output's mean per variant, then one of P(A beats
    /// B) per pair when the study has a pair.
    fn heatmaps(
        &self,
        kx: &InputKey,
        ky: &InputKey,
        format: ChartFormat,
    ) -> Result<Charts, String> {
        let Some(grid) = self.grid(kx, ky) else {
            return Ok((
                Vec::new(),
                Some(format!(
                    "no heatmaps: the points are not a full grid of `{}` × `{}` (each pair of values once)",
                    kx.key(),
                    ky.key()
                )),
            ));
        };
        let mut rendered = vec![render(&self.metric_heatmap(kx, ky, &grid), format)?];
        let pairs = unordered_pairs(self.names.len());
        if !pairs.is_empty() {
            rendered.push(render(&self.beats_heatmap(kx, ky, &grid, &pairs), format)?);
        }
        Ok((rendered, None))
    }

    /// The points placed on the grid of `kx` × `ky` values, or `None` when they are not
    /// a full grid: a point without both keys, a pair of values twice, or one missing.
    fn grid(&self, kx: &InputKey, ky: &InputKey) -> Option<Grid> {
        let values = |key: &InputKey| {
            let mut v: Vec<f64> = self
                .points
                .iter()
                .filter_map(|p| axis_value(p, key))
                .collect();
            v.sort_by(f64::total_cmp);
            v.dedup();
            v
        };
        let (xs, ys) = (values(kx), values(ky));
        let mut cell = vec![vec![None; xs.len()]; ys.len()];
        let mut full = self.points.len() == xs.len() * ys.len();
        for (i, p) in self.points.iter().enumerate() {
            let (Some(x), Some(y)) = (axis_value(p, kx), axis_value(p, ky)) else {
                full = false;
                break;
            };
            let ix = xs.iter().position(|&v| v == x).unwrap_or(0);
            let iy = ys.iter().position(|&v| v == y).unwrap_or(0);
            if cell[iy][ix].replace(i).is_some() {
                full = false;
            }
        }
        full.then_some(Grid { xs, ys, cell })
    }

    /// `f` of the result at each cell of the grid (NaN for an empty cell).
    fn on_grid(&self, grid: &Grid, f: &dyn Fn(&PointResult) -> f64) -> Vec<Vec<f64>> {
        grid.cell
            .iter()
            .map(|row| {
                row.iter()
                    .map(|c| c.map_or(f64::NAN, |i| f(&self.results[i])))
                    .collect()
            })
            .collect()
    }

    /// The output's mean over the grid, a panel per variant.
    fn metric_heatmap(&self, kx: &InputKey, ky: &InputKey, grid: &Grid) -> SweepHeatmap {
        SweepHeatmap {
            kind: HeatKind::Metric,
            study: self.study.clone(),
            value_label: format!("mean {}", self.y_label),
            x_label: self.label(kx),
            xs: grid.xs.clone(),
            y_label: self.label(ky),
            ys: grid.ys.clone(),
            panels: self
                .names
                .iter()
                .enumerate()
                .map(|(v, name)| HeatPanel {
                    name: name.clone(),
                    values: self.on_grid(grid, &|r| r.analysis.variants[v].mean(self.metric)),
                })
                .collect(),
        }
    }

    /// P(A beats B) on the output over the grid, a panel per pair.
    fn beats_heatmap(
        &self,
        kx: &InputKey,
        ky: &InputKey,
        grid: &Grid,
        pairs: &[(usize, usize)],
    ) -> SweepHeatmap {
        let names = &self.names;
        SweepHeatmap {
            kind: HeatKind::Beats,
            study: self.study.clone(),
            value_label: self.metric.name().to_string(),
            x_label: self.label(kx),
            xs: grid.xs.clone(),
            y_label: self.label(ky),
            ys: grid.ys.clone(),
            panels: pairs
                .iter()
                .map(|&(a, b)| HeatPanel {
                    name: format!("P({} beats {})", names[a], names[b]),
                    values: self.on_grid(grid, &|r| crate::points::beats(r, a, b, self.metric).0),
                })
                .collect(),
        }
    }
}

/// The pairs (a, b) with a before b, at most 12 (the charts' legibility; every pair is
/// in `sweep_pairs.csv`).
fn unordered_pairs(n: usize) -> Vec<(usize, usize)> {
    (0..n)
        .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
        .take(12)
        .collect()
}
