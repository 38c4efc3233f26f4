//! Rank statistics: average ranks (ties share the mean of their positions) and
//! Spearman's rank correlation with a Fisher-z interval.

use super::estimate::Z_975;

/// The rank of each value (1 = smallest), ties sharing the average of their positions.
/// Values must not be NaN.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        // Positions i..=j (0-based) share rank (i + j) / 2 + 1.
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            out[k] = rank;
        }
        i = j + 1;
    }
    out
}

/// Pearson's correlation of two equally long series; NaN when either is constant or
/// there are fewer than two values.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    if n < 2 {
        return f64::NAN;
    }
    let mean = |v: &[f64]| v[..n].iter().sum::<f64>() / n as f64;
    let (mx, my) = (mean(x), mean(y));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x[..n].iter().zip(&y[..n]) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return f64::NAN;
    }
    (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0)
}

/// Spearman's rank correlation with its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RankCorrelation {
    /// ρ: Pearson's correlation of the ranks.
    pub rho: f64,
    /// Lower end of the 95% interval.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// Pairs used.
    pub n: usize,
}

/// Spearman's ρ of `x` and `y` (pairs where either is NaN are left out), with the
/// interval from Fisher's z and the standard error √(1.06 / (n − 3)) of Fieller, Hartley
/// and Pearson (1957) for rank correlations.
pub fn spearman(x: &[f64], y: &[f64]) -> RankCorrelation {
    let (xs, ys): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(a, b)| (*a, *b))
        .unzip();
    let n = xs.len();
    let rho = pearson(&ranks(&xs), &ranks(&ys));
    if !rho.is_finite() || n < 4 {
        return RankCorrelation {
            rho,
            low: f64::NAN,
            high: f64::NAN,
            n,
        };
    }
    let z = rho.clamp(-0.999_999_999, 0.999_999_999).atanh();
    let half = Z_975 * (1.06 / (n as f64 - 3.0)).sqrt();
    RankCorrelation {
        rho,
        low: (z - half).tanh(),
        high: (z + half).tanh(),
        n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::{Distribution, StandardNormal};

    #[test]
    fn ties_share_their_average_rank() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
        assert_eq!(ranks(&[5.0, 5.0, 5.0]), vec![2.0, 2.0, 2.0]);
        assert!(ranks(&[]).is_empty());
    }

    #[test]
    fn monotone_relations_have_rank_correlation_one() {
        let x: Vec<f64> = (0..50).map(f64::from).collect();
        let y: Vec<f64> = x.iter().map(|v| v.exp()).collect();
        assert!((spearman(&x, &y).rho - 1.0).abs() < 1e-12);
        let down: Vec<f64> = x.iter().map(|v| -v * v * v).collect();
        assert!((spearman(&x, &down).rho + 1.0).abs() < 1e-12);
        assert!(spearman(&x, &[1.0; 50]).rho.is_nan());
    }

    #[test]
    fn bivariate_normal_gives_the_closed_form_and_its_interval_covers_it() {
        // For a bivariate normal with correlation r, Spearman's ρ is (6/π)·asin(r/2).
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(8);
        let n = 20_000;
        for r in [0.0, 0.3, -0.6, 0.9] {
            let (mut x, mut y) = (Vec::new(), Vec::new());
            for _ in 0..n {
                let a: f64 = StandardNormal.sample(&mut rng);
                let b: f64 = StandardNormal.sample(&mut rng);
                x.push(a);
                y.push(r * a + (1.0f64 - r * r).sqrt() * b);
            }
            let truth = 6.0 / std::f64::consts::PI * (r / 2.0f64).asin();
            let c = spearman(&x, &y);
            assert!(
                c.low <= truth && truth <= c.high,
                "r={r}: {truth} not in {c:?}"
            );
            // The interval's width is what n resolves (about 2·1.96·√(1.06/n)·(1-ρ²)).
            let expected = 2.0 * 1.96 * (1.06 / n as f64).sqrt() * (1.0 - truth * truth);
            assert!(((c.high - c.low) / expected - 1.0).abs() < 0.1, "{c:?}");
        }
    }

    /// The interval stays honest on a Latin hypercube run's trials (the default sampling),
    /// whose inputs are stratified rather than independent: Y = X1 + X2 + ε with X1, X2
    /// standard normals sampled by Latin hypercube (blocks of 64) and ε independent
    /// standard normal noise (the trial's own draws), so (X1, Y) is bivariate normal with
    /// r = 1/√3 and Spearman's ρ = (6/π)·asin(r/2). 600 runs of 256 trials: the coverage's
    /// standard error is 0.0089 and the bound four of them below 95% (stratification can
    /// only narrow the estimate's spread, so the interval may over-cover).
    #[test]
    fn the_interval_covers_on_latin_hypercube_trials() {
        let truth = 6.0 / std::f64::consts::PI * (1.0 / (2.0 * 3f64.sqrt())).asin();
        let runs = 600u64;
        let mut covered = 0;
        for run in 0..runs {
            let x = crate::sim::inputs::latin_hypercube_normals(run, 256, 2);
            let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1_000 + run);
            let y: Vec<f64> = x
                .iter()
                .map(|x| {
                    let noise: f64 = StandardNormal.sample(&mut rng);
                    x[0] + x[1] + noise
                })
                .collect();
            let x1: Vec<f64> = x.iter().map(|x| x[0]).collect();
            let c = spearman(&x1, &y);
            covered += u32::from(c.low <= truth && truth <= c.high);
        }
        let coverage = f64::from(covered) / runs as f64;
        assert!(coverage >= 0.95 - 4.0 * 0.0089, "coverage {coverage}");
        eprintln!("rank correlation coverage on Latin hypercube trials: {coverage}");
    }

    #[test]
    fn pairs_with_an_undefined_value_are_left_out() {
        let c = spearman(
            &[1.0, 2.0, f64::NAN, 4.0, 5.0],
            &[2.0, 3.0, 9.0, 5.0, f64::NAN],
        );
        assert_eq!(c.n, 3);
        assert!((c.rho - 1.0).abs() < 1e-12);
    }
}
