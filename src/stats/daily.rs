//! Per-day bands over trials (fan charts): p5, p50 and p95 of a daily path, from the
//! per-day sketches (within 2^-8 of the exact values; see [`super::accumulate::DAILY_BITS`]).

use super::sketch::Sketch;

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

/// Bands per day.
pub fn bands(days: &[Sketch]) -> Vec<Band> {
    days.iter()
        .map(|s| Band {
            p5: s.quantile(0.05),
            p50: s.quantile(0.5),
            p95: s.quantile(0.95),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_follow_each_day() {
        // Three trials, two days.
        let mut days = vec![Sketch::new(7, 1.0 / 128.0); 2];
        for (day, values) in [[1.0, 2.0, 3.0], [10.0, 20.0, 30.0]].iter().enumerate() {
            values.iter().for_each(|&v| days[day].add(v));
        }
        let b = bands(&days);
        // Within half a bucket (2^-8) of the exact medians 2 and 20.
        assert!((b[0].p50 - 2.0).abs() <= 2.0 / 256.0);
        assert!((b[1].p50 - 20.0).abs() <= 20.0 / 256.0);
        assert!(b[1].p5 < b[1].p50 && b[1].p95 > b[1].p50);
    }
}
