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

/// The charts to draw for a sweep, or why there are none.
pub fn sweep_charts(
    points: &[PreparedPoint],
    results: &[PointResult],
    metric: Metric,
    format: ChartFormat,
) -> Result<(Vec<Rendered>, Option<String>), String> {
    let keys = swept_keys(points.iter().map(|p| &p.point));
    let Some(first) = points.first() else {
        return Ok((Vec::new(), None));
    };
    let study = first.scenario.spec().name().to_string();
    let currency = first.scenario.currency().to_string();
    let names = first.scenario.spec().variant_names();
    let y_label = match metric.unit() {
        Unit::Currency => format!("{} ({currency})", metric.name()),
        unit => format!("{} ({})", metric.name(), unit.name()),
    };
    let x_of = |p: &PreparedPoint, key: &InputKey| p.point.value(key).map(|d| d.mean());
    let label = |key: &InputKey| {
        let spread = points
            .iter()
            .any(|p| p.point.value(key).is_some_and(|d| !d.is_fixed()));
        if spread {
            format!("{} (mean of the point's distribution)", key.key())
        } else {
            key.key().to_string()
        }
    };
    match keys.as_slice() {
        [key] => {
            let mut order: Vec<usize> = (0..points.len())
                .filter(|&i| x_of(&points[i], key).is_some())
                .collect();
            order.sort_by(|&a, &b| {
                x_of(&points[a], key)
                    .unwrap_or(0.0)
                    .total_cmp(&x_of(&points[b], key).unwrap_or(0.0))
            });
            let xs: Vec<f64> = order.iter().filter_map(|&i| x_of(&points[i], key)).collect();
            if xs.windows(2).any(|w| w[0] == w[1]) || order.len() < 2 {
                return Ok((
                    Vec::new(),
                    Some(format!(
                        "no charts: the points do not give one value of `{}` each (repeated values, or fewer than two)",
                        key.key()
                    )),
                ));
            }
            let curves = names
                .iter()
                .enumerate()
                .map(|(v, name)| Curve {
                    name: name.clone(),
                    colour: variant_colour(v),
                    points: order
                        .iter()
                        .map(|&i| {
                            let s = results[i].analysis.variants[v].summary(metric);
                            let at = |f: fn(&crate::stats::Summary) -> f64| s.map_or(f64::NAN, f);
                            CurvePoint {
                                x: x_of(&points[i], key).unwrap_or(f64::NAN),
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
            let mean_chart = SweepLineChart {
                kind: LineKind::Metric,
                study: study.clone(),
                x_label: label(key),
                y_label: y_label.clone(),
                curves,
                crossing: None,
            };
            let mut rendered = vec![render(&mean_chart, format)?];
            let pairs = unordered_pairs(names.len());
            if !pairs.is_empty() {
                let curves = pairs
                    .iter()
                    .enumerate()
                    .map(|(k, &(a, b))| Curve {
                        name: format!("{} beats {} on {}", names[a], names[b], metric.name()),
                        colour: variant_colour(k),
                        points: order
                            .iter()
                            .map(|&i| {
                                let (p, lo, hi) = crate::points::beats(&results[i], a, b, metric);
                                CurvePoint {
                                    x: x_of(&points[i], key).unwrap_or(f64::NAN),
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
                let beats_chart = SweepLineChart {
                    kind: LineKind::Beats,
                    study,
                    x_label: label(key),
                    y_label,
                    curves,
                    crossing: None,
                };
                rendered.push(render(&beats_chart, format)?);
            }
            Ok((rendered, None))
        }
        [kx, ky] => {
            let values = |key: &InputKey| {
                let mut v: Vec<f64> = points.iter().filter_map(|p| x_of(p, key)).collect();
                v.sort_by(f64::total_cmp);
                v.dedup();
                v
            };
            let (xs, ys) = (values(kx), values(ky));
            let mut cell = vec![vec![None; xs.len()]; ys.len()];
            let mut full = points.len() == xs.len() * ys.len();
            for (i, p) in points.iter().enumerate() {
                let (Some(x), Some(y)) = (x_of(p, kx), x_of(p, ky)) else {
                    full = false;
                    break;
                };
                let ix = xs.iter().position(|&v| v == x).unwrap_or(0);
                let iy = ys.iter().position(|&v| v == y).unwrap_or(0);
                if cell[iy][ix].replace(i).is_some() {
                    full = false;
                }
            }
            if !full {
                return Ok((
                    Vec::new(),
                    Some(format!(
                        "no heatmaps: the points are not a full grid of `{}` × `{}` (each pair of values once)",
                        kx.key(),
                        ky.key()
                    )),
                ));
            }
            let grid = |f: &dyn Fn(&PointResult) -> f64| -> Vec<Vec<f64>> {
                cell.iter()
                    .map(|row| {
                        row.iter()
                            .map(|c| c.map_or(f64::NAN, |i| f(&results[i])))
                            .collect()
                    })
                    .collect()
            };
            let means = SweepHeatmap {
                kind: HeatKind::Metric,
                study: study.clone(),
                value_label: format!("mean {y_label}"),
                x_label: label(kx),
                xs: xs.clone(),
                y_label: label(ky),
                ys: ys.clone(),
                panels: names
                    .iter()
                    .enumerate()
                    .map(|(v, name)| HeatPanel {
                        name: name.clone(),
                        values: grid(&|r| r.analysis.variants[v].mean(metric)),
                    })
                    .collect(),
            };
            let mut rendered = vec![render(&means, format)?];
            let pairs = unordered_pairs(names.len());
            if !pairs.is_empty() {
                let beats_map = SweepHeatmap {
                    kind: HeatKind::Beats,
                    study,
                    value_label: metric.name().to_string(),
                    x_label: label(kx),
                    xs,
                    y_label: label(ky),
                    ys,
                    panels: pairs
                        .iter()
                        .map(|&(a, b)| HeatPanel {
                            name: format!("P({} beats {})", names[a], names[b]),
                            values: grid(&|r| crate::points::beats(r, a, b, metric).0),
                        })
                        .collect(),
                };
                rendered.push(render(&beats_map, format)?);
            }
            Ok((rendered, None))
        }
        _ => Ok((
            Vec::new(),
            Some(format!(
                "no charts: the sweep varies {} keys; charts show one key (lines) or two (heatmaps)",
                keys.len()
            )),
        )),
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
