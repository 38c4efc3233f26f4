//! `sensitivity.csv` and `spider.csv`, built as bytes without I/O.

use anyhow::Result;

use super::sobol::{Factor, Indices};
use super::{widest, Correlation, Effect, InputKind, Swing, FIXED_POSITIONS, UNCERTAIN_POSITIONS};
use crate::format::num;
use crate::output::tables::into_bytes;

/// `sensitivity.csv`: per target and input, the rank correlation (uncertain inputs) and
/// the one-at-a-time swing (every input that moves), widest swing first.
pub fn sensitivity_csv(
    targets: &[String],
    targets_variants: &[Vec<usize>],
    base_means: &[f64],
    ranks: &[Correlation],
    swung: &[Swing],
    effects: &[Vec<Effect>],
    sobol: &[Vec<Indices>],
) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "target",
        "input",
        "kind",
        "base_mean",
        "spearman",
        "spearman_low",
        "spearman_high",
        "swing_low",
        "swing_high",
        "swing_low_b",
        "swing_high_b",
        "mean_at_low",
        "mean_at_high",
        "swing_width",
        "rank",
        "sobol_first",
        "sobol_first_low",
        "sobol_first_high",
        "sobol_total",
        "sobol_total_low",
        "sobol_total_high",
    ])?;
    let sobol_cells = |t: usize, factor: Factor| -> Vec<String> {
        match sobol
            .get(t)
            .and_then(|all| all.iter().find(|i| i.factor == factor))
        {
            Some(i) => [
                i.first.value,
                i.first.low,
                i.first.high,
                i.total.value,
                i.total.low,
                i.total.high,
            ]
            .map(num)
            .to_vec(),
            None => vec![String::new(); 6],
        }
    };
    for (t, target) in targets.iter().enumerate() {
        let mut rows: Vec<(f64, Vec<String>)> = Vec::new();
        let order = widest(&effects[t], usize::MAX);
        for (i, sw) in swung.iter().enumerate() {
            let e = &effects[t][i];
            let rank = order
                .iter()
                .position(|&k| k == i)
                .map(|r| (r + 1).to_string());
            let rho = ranks.iter().find(|c| c.target == t && sw.is_input_of(c));
            // The swing's ends in the target's first variant that swings, and (for a
            // difference whose second variant swings over another range) in the second.
            let variants = targets_variants[t].as_slice();
            let swinging: Vec<usize> = variants
                .iter()
                .copied()
                .filter(|&v| sw.values[0][v].is_some())
                .collect();
            let at = |v: Option<usize>, k: usize| {
                v.and_then(|v| sw.values[k][v]).map(num).unwrap_or_default()
            };
            let first = swinging.first().copied();
            let range = |v: usize| (sw.values[0][v], sw.values[4][v]);
            let second = swinging
                .get(1)
                .copied()
                .filter(|&v| first.is_some_and(|f| range(v) != range(f)));
            let ends = |k: usize| at(first, k);
            let mut row = vec![
                target.clone(),
                sw.param.key().to_string(),
                match sw.kind {
                    InputKind::Uncertain => "uncertain",
                    InputKind::Fixed if sw.given => "given",
                    InputKind::Fixed => "fixed",
                }
                .to_string(),
                num(base_means[t]),
                rho.map_or(String::new(), |c| num(c.rank.rho)),
                rho.map_or(String::new(), |c| num(c.rank.low)),
                rho.map_or(String::new(), |c| num(c.rank.high)),
                ends(0),
                ends(4),
                at(second, 0),
                at(second, 4),
                num(e.at[0]),
                num(e.at[4]),
                num(e.width()),
                rank.unwrap_or_default(),
            ];
            // Sobol indices are per catalog parameter; the events form one group (below).
            row.extend(match sw.param.param() {
                Some(p) => sobol_cells(t, Factor::Param(p)),
                None => vec![String::new(); 6],
            });
            rows.push((e.width(), row));
        }
        // Uncertain inputs not swung (none today: every uncertain event multiplier is): ρ only.
        for c in ranks
            .iter()
            .filter(|c| c.target == t && c.param.is_none())
            .filter(|c| !swung.iter().any(|sw| sw.is_input_of(c)))
        {
            let mut row = vec![
                target.clone(),
                c.input.clone(),
                "uncertain".to_string(),
                num(base_means[t]),
                num(c.rank.rho),
                num(c.rank.low),
                num(c.rank.high),
            ];
            row.extend(vec![String::new(); 14]);
            rows.push((-1.0, row));
        }
        // The Sobol groups that are not one input: every event value, the trial's own
        // randomness.
        for factor in [Factor::Events, Factor::TrialNoise] {
            let cells = sobol_cells(t, factor);
            if cells[0].is_empty() && cells[3].is_empty() {
                continue;
            }
            let mut row = vec![
                target.clone(),
                factor.name(),
                "group".to_string(),
                num(base_means[t]),
            ];
            row.extend(vec![String::new(); 11]);
            row.extend(cells);
            rows.push((-2.0, row));
        }
        rows.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (_, row) in rows {
            w.write_record(&row)?;
        }
    }
    into_bytes(w)
}

/// `spider.csv`: per target, top input and position, the input's value and the mean.
pub fn spider_csv(
    targets: &[String],
    swung: &[Swing],
    effects: &[Vec<Effect>],
    top: &[usize],
) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["target", "input", "position", "value", "mean"])?;
    for (t, target) in targets.iter().enumerate() {
        for &i in top {
            let sw = &swung[i];
            let first = sw.values[0].iter().position(Option::is_some);
            let names = match sw.kind {
                InputKind::Uncertain => UNCERTAIN_POSITIONS,
                InputKind::Fixed => FIXED_POSITIONS,
            };
            for (k, name) in names.iter().enumerate() {
                let value = first
                    .and_then(|v| sw.values[k][v])
                    .map(num)
                    .unwrap_or_default();
                w.write_record([
                    target.clone(),
                    sw.param.key().to_string(),
                    if sw.given {
                        format!("{}%", k * 25)
                    } else {
                        (*name).to_string()
                    },
                    value,
                    num(effects[t][i].at[k]),
                ])?;
            }
        }
    }
    into_bytes(w)
}
