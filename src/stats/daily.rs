//! Per-day bands over trials (fan charts): p5, p50 and p95 of a daily path.

/// The same quantile as [`super::summary::quantile_sorted`] (R type 7) without sorting:
/// two selections, linear time. Reorders `values`.
pub fn quantile_unsorted(values: &mut [f64], q: f64) -> f64 {
    let n = values.len();
    match n {
        0 => f64::NAN,
        1 => values[0],
        _ => {
            let h = (n - 1) as f64 * q;
            let lo = h.floor() as usize;
            let (_, &mut below, above) = values.select_nth_unstable_by(lo, f64::total_cmp);
            let next = above.iter().copied().fold(f64::INFINITY, f64::min);
            if lo + 1 >= n {
                below
            } else {
                below + (h - lo as f64) * (next - below)
            }
        }
    }
}

/// One day's band: the 5th, 50th and 95th percentiles over trials.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Band {
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
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
            Band {
                p5: quantile_unsorted(&mut column, 0.05),
                p50: quantile_unsorted(&mut column, 0.5),
                p95: quantile_unsorted(&mut column, 0.95),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::summary::quantile_sorted;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn selection_gives_the_sorted_quantile(v in proptest::collection::vec(-1e3f64..1e3, 1..300), q in 0.0f64..1.0) {
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            let mut work = v.clone();
            prop_assert_eq!(quantile_unsorted(&mut work, q), quantile_sorted(&sorted, q));
        }
    }

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
