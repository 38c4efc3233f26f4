//! The streaming analysis against the exact one: the built-in study's trials are run
//! twice, once held in memory (every trial, in trial order) and once through the
//! streaming accumulators a run uses, and every figure of the analysis is checked against
//! the figure computed directly from the held trials: exact where the accumulators are
//! exact (counts, means, intervals, P(A beats B), P(best)), within the sketches' stated
//! error where they are not (quantiles, CVaR, daily bands).

use shopsim::scenario;
use shopsim::sim::{study, DrawMethod, Metric, StudyResults};
use shopsim::stats::analysis::table_pairs;
use shopsim::stats::summary::quantile_sorted;
use shopsim::stats::{analyze, mean_sd, StudyAccumulator};

/// Sorted defined values of one output of one variant.
fn sorted(results: &StudyResults, variant: usize, m: Metric) -> Vec<f64> {
    let mut v: Vec<f64> = results.variants[variant]
        .outputs
        .iter()
        .map(|o| o[m])
        .filter(|x| !x.is_nan())
        .collect();
    v.sort_by(f64::total_cmp);
    v
}

/// The sketch bound for the R-7 quantile `q` of `sorted`: `relative` of the larger of the
/// two order statistics interpolated, plus the absolute floor near zero.
fn bound(sorted: &[f64], q: f64, relative: f64, floor: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    relative * sorted[lo].abs().max(sorted[hi].abs()) + 2.0 * floor
}

#[test]
fn every_streamed_figure_matches_the_figure_from_all_trials() {
    let s = scenario::parse(scenario::BUILT_IN, scenario::BUILT_IN_NAME, None).unwrap();
    let spec = s.spec().clone().with_trials(1_500).unwrap();
    let held = study::run(&spec, DrawMethod::PerDay, &|_| {});
    let pairs = table_pairs(spec.variants().len(), None);
    let streamed = StudyAccumulator::run_all(&spec, DrawMethod::PerDay, &pairs, &|_| {});
    let analysis = analyze(&spec, &streamed, None);
    let horizon = spec.horizon_days();
    let output_error = 2f64.powi(-10);
    let daily_error = 2f64.powi(-8);

    for (v, a) in analysis.variants.iter().enumerate() {
        for &m in Metric::ALL {
            let values = sorted(&held, v, m);
            let Some(summary) = a.summary(m) else {
                assert!(values.is_empty(), "{} {}", a.name, m.name());
                continue;
            };
            // Exact: count, extremes; the mean to rounding.
            assert_eq!(summary.mean.n, values.len(), "{} {}", a.name, m.name());
            assert_eq!(
                (summary.min, summary.max),
                (values[0], values[values.len() - 1])
            );
            let (mean, sd) = mean_sd(&values);
            let scale = mean.abs().max(sd).max(1e-300);
            assert!(
                (summary.mean.point - mean).abs() <= 1e-12 * scale,
                "{} {} mean {} vs {mean}",
                a.name,
                m.name(),
                summary.mean.point
            );
            // One defined value has no sd (NaN on both sides).
            assert!(
                (summary.sd - sd).abs() <= 1e-6 * sd.max(1e-300)
                    || summary.sd == sd
                    || (summary.sd.is_nan() && sd.is_nan()),
                "{} {} sd {} vs {sd}",
                a.name,
                m.name(),
                summary.sd
            );
            // Quantiles within the sketch's bound.
            for (q, got) in [
                (0.05, summary.p5),
                (0.25, summary.p25),
                (0.5, summary.p50),
                (0.75, summary.p75),
                (0.95, summary.p95),
            ] {
                let exact = quantile_sorted(&values, q);
                let allowed = bound(&values, q, output_error, 2f64.powi(-30)) * (1.0 + 1e-12);
                assert!(
                    (got - exact).abs() <= allowed,
                    "{} {} p{q}: {got} vs {exact}",
                    a.name,
                    m.name()
                );
            }
        }
        // P(loss) is an exact count; CVaR within the sketch's relative error.
        let profit = sorted(&held, v, Metric::Profit);
        let losses = profit.iter().filter(|&&p| p < 0.0).count();
        assert_eq!(a.p_loss.p, losses as f64 / profit.len() as f64);
        let k = ((0.05 * profit.len() as f64).ceil() as usize).max(1);
        let tail = profit[..k].iter().sum::<f64>() / k as f64;
        assert!((a.cvar5 - tail).abs() <= output_error * tail.abs());
        // Daily bands within 2^-8 (and one unit of currency near zero).
        let r = &held.variants[v];
        for (bands, path) in [
            (&a.daily_profit, &r.cumulative_profit),
            (&a.daily_cash, &r.cash),
        ] {
            for (day, band) in bands.iter().enumerate() {
                let mut column: Vec<f64> = path
                    .iter()
                    .skip(day)
                    .step_by(horizon)
                    .map(|&x| f64::from(x))
                    .collect();
                column.sort_by(f64::total_cmp);
                for (q, got) in [(0.05, band.p5), (0.5, band.p50), (0.95, band.p95)] {
                    let exact = quantile_sorted(&column, q);
                    let allowed = bound(&column, q, daily_error, 1.0) * (1.0 + 1e-12);
                    assert!(
                        (got - exact).abs() <= allowed,
                        "{} day {day} p{q}: {got} vs {exact}",
                        a.name
                    );
                }
            }
        }
    }
    // Pairs: P(A beats B) is an exact count, the mean difference exact to rounding.
    for p in &analysis.pairs {
        let (a, b) = (&held.variants[p.a].outputs, &held.variants[p.b].outputs);
        let diffs: Vec<f64> = a
            .iter()
            .zip(b)
            .map(|(x, y)| x[Metric::Profit] - y[Metric::Profit])
            .collect();
        let wins = diffs.iter().filter(|&&d| d > 0.0).count();
        let paired = p.of(Metric::Profit).unwrap();
        assert_eq!(paired.p_a_better, wins as f64 / diffs.len() as f64);
        let (mean, _) = mean_sd(&diffs);
        assert!((paired.diff.point - mean).abs() <= 1e-12 * mean.abs().max(1.0));
    }
    // P(best): exact shares (ties counted in halves, thirds, ...).
    let mut best = vec![0.0; spec.variants().len()];
    for t in 0..spec.trials() as usize {
        let profits: Vec<f64> = held
            .variants
            .iter()
            .map(|v| v.outputs[t][Metric::Profit])
            .collect();
        let top = profits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let winners = profits.iter().filter(|&&p| p == top).count() as f64;
        for (share, &p) in best.iter_mut().zip(&profits) {
            if p == top {
                *share += 1.0 / winners;
            }
        }
    }
    for (a, share) in analysis.variants.iter().zip(best) {
        assert!((a.p_best - share / spec.trials() as f64).abs() < 1e-12);
    }
}
