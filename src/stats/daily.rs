//! Per-day bands over trials (fan charts): p5, p50 and p95 of a daily path.

use super::summary::quantile_sorted;

/// One day's band.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
}

/// Bands per day of trial-major paths (`trial * horizon + day`).
pub fn bands(paths: &[f32], horizon: usize) -> Vec<Band> {
    if horizon == 0 {
        return Vec::new();
    }
    let trials = paths.len() / horizon;
    let mut column = Vec::with_capacity(trials);
    (0..horizon)
        .map(|day| {
            column.clear();
            column.extend((0..trials).map(|t| paths[t * horizon + day] as f64));
            column.sort_by(f64::total_cmp);
            Band {
                p5: quantile_sorted(&column, 0.05),
                p50: quantile_sorted(&column, 0.5),
                p95: quantile_sorted(&column, 0.95),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_follow_each_day_column() {
        // Three trials, two days.
        let paths = [1.0, 10.0, 2.0, 20.0, 3.0, 30.0];
        let b = bands(&paths, 2);
        assert_eq!(b[0].p50, 2.0);
        assert_eq!(b[1].p50, 20.0);
        assert!(b[1].p5 < b[1].p50 && b[1].p95 > b[1].p50);
    }
}
