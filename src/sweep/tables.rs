//! `sweep.csv` and `sweep_pairs.csv`, built as bytes without I/O.
//!
//! Both start with the point's columns: `point` (from 1, in grid order), `name`,
//! `point_variant` (the variant the point changes; empty: all) and one column per swept
//! key holding the point's value (empty where the point leaves the key as the scenario
//! has it).

use anyhow::Result;

use super::grid::swept_keys;
use crate::format::num;
use crate::metric::Metric;
use crate::output::tables::into_bytes;
use crate::points::{PointResult, PreparedPoint};

/// The columns after the point's in `sweep.csv`.
pub const SWEEP_COLUMNS: [&str; 9] = [
    "variant", "metric", "mean", "ci_low", "ci_high", "p5", "p50", "p95", "n",
];

/// The columns after the point's in `sweep_pairs.csv`.
pub const PAIR_COLUMNS: [&str; 10] = [
    "variant_a",
    "variant_b",
    "metric",
    "mean_diff",
    "ci_low",
    "ci_high",
    "p_a_better",
    "p_a_better_low",
    "p_a_better_high",
    "n",
];

/// The point's columns: header, then one row's cells.
fn point_header(points: &[PreparedPoint]) -> Vec<String> {
    let mut h: Vec<String> = ["point", "name", "point_variant"]
        .map(String::from)
        .to_vec();
    h.extend(
        swept_keys(points.iter().map(|p| &p.point))
            .iter()
            .map(|k| k.key().to_string()),
    );
    h
}

fn point_cells(
    index: usize,
    p: &PreparedPoint,
    keys: &[crate::points::key::InputKey],
) -> Vec<String> {
    let mut cells = vec![
        (index + 1).to_string(),
        p.point.name.clone(),
        p.point.variant.clone().unwrap_or_default(),
    ];
    cells.extend(
        keys.iter()
            .map(|k| p.point.value(k).map(|d| d.to_string()).unwrap_or_default()),
    );
    cells
}

/// `sweep.csv`: per point, variant and output (and `p_loss`: the probability of a loss
/// with its Wilson interval), the mean with its 95% interval, p5, p50, p95 and n.
pub fn sweep_csv(points: &[PreparedPoint], results: &[PointResult]) -> Result<Vec<u8>> {
    let keys = swept_keys(points.iter().map(|p| &p.point));
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = point_header(points);
    header.extend(SWEEP_COLUMNS.map(String::from));
    w.write_record(&header)?;
    for (i, (p, r)) in points.iter().zip(results).enumerate() {
        let lead = point_cells(i, p, &keys);
        for (v, a) in p
            .scenario
            .spec()
            .variants()
            .iter()
            .zip(&r.analysis.variants)
        {
            for &m in Metric::ALL {
                let s = a.summary(m);
                let at = |f: fn(&crate::stats::Summary) -> f64| num(s.map_or(f64::NAN, f));
                let mut row = lead.clone();
                row.extend([
                    v.name().to_string(),
                    m.name().to_string(),
                    at(|s| s.mean.point),
                    at(|s| s.mean.ci_low),
                    at(|s| s.mean.ci_high),
                    at(|s| s.p5),
                    at(|s| s.p50),
                    at(|s| s.p95),
                    s.map_or(0, |s| s.mean.n).to_string(),
                ]);
                w.write_record(&row)?;
            }
            let loss = &a.p_loss;
            let mut row = lead.clone();
            row.extend([
                v.name().to_string(),
                "p_loss".to_string(),
                num(loss.p),
                num(loss.ci_low),
                num(loss.ci_high),
                String::new(),
                String::new(),
                String::new(),
                loss.n.to_string(),
            ]);
            w.write_record(&row)?;
        }
    }
    into_bytes(w)
}

/// `sweep_pairs.csv`: per point, ordered pair of variants and output, the paired mean
/// difference A − B with its 95% interval and P(A beats B) with its Wilson interval.
pub fn pairs_csv(points: &[PreparedPoint], results: &[PointResult]) -> Result<Vec<u8>> {
    let keys = swept_keys(points.iter().map(|p| &p.point));
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = point_header(points);
    header.extend(PAIR_COLUMNS.map(String::from));
    w.write_record(&header)?;
    for (i, (p, r)) in points.iter().zip(results).enumerate() {
        let lead = point_cells(i, p, &keys);
        let variants = p.scenario.spec().variants();
        for pair in &r.analysis.pairs {
            for &m in Metric::ALL {
                let d = pair.of(m);
                let at = |f: fn(&crate::stats::Paired) -> f64| num(d.map_or(f64::NAN, f));
                let n = d.map_or(0, |d| d.diff.n);
                let (_, beats_low, beats_high) = crate::points::beats(r, pair.a, pair.b, m);
                let mut row = lead.clone();
                row.extend([
                    variants[pair.a].name().to_string(),
                    variants[pair.b].name().to_string(),
                    m.name().to_string(),
                    at(|d| d.diff.point),
                    at(|d| d.diff.ci_low),
                    at(|d| d.diff.ci_high),
                    at(|d| d.p_a_better),
                    num(beats_low),
                    num(beats_high),
                    n.to_string(),
                ]);
                w.write_record(&row)?;
            }
        }
    }
    into_bytes(w)
}
