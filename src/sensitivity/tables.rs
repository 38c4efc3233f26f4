//! `sensitivity.csv` and `spider.csv`, built as bytes without I/O.

use anyhow::Result;

use super::sobol::{Factor, Indices};
use super::{widest, Correlation, Effect, InputKind, Swing, FIXED_POSITIONS, UNCERTAIN_POSITIONS};
use crate::format::num;
use crate::output::tables::into_bytes;

/// The columns of `sensitivity.csv`: the input, its rank correlation, its swing (the
/// input's ends, in a second variant too, and the target's mean at each), its rank by
/// swing width, and its Sobol indices.
const SENSITIVITY_COLUMNS: [&str; 25] = [
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
    "mean_at_low_se",
    "mean_at_high_se",
    "swing_width",
    "swing_width_se",
    "swing_trials",
    "rank",
    "sobol_first",
    "sobol_first_low",
    "sobol_first_high",
    "sobol_total",
    "sobol_total_low",
    "sobol_total_high",
];

/// The Sobol columns (first and total index, each with its interval).
const SOBOL_CELLS: usize = 6;

/// A row of `sensitivity.csv` and the key it is sorted by, largest first: the swing's
/// width, then inputs with a correlation only (-1), then the Sobol groups (-2).
type Row = (f64, Vec<String>);

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
    w.write_record(SENSITIVITY_COLUMNS)?;
    for (t, name) in targets.iter().enumerate() {
        let target = TargetRows {
            t,
            name,
            base_mean: base_means[t],
            variants: &targets_variants[t],
            ranks,
            effects: &effects[t],
            order: widest(&effects[t], usize::MAX),
            sobol: sobol.get(t).map(Vec::as_slice),
        };
        let mut rows: Vec<Row> = swung
            .iter()
            .enumerate()
            .map(|(i, sw)| target.swing_row(i, sw))
            .collect();
        rows.extend(target.correlation_rows(swung));
        rows.extend(target.group_rows());
        rows.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (_, row) in rows {
            w.write_record(&row)?;
        }
    }
    into_bytes(w)
}

/// What the rows of one target share: its name and base mean, the variants it reads,
/// and its correlations, swing effects and Sobol indices.
struct TargetRows<'a> {
    /// The target's index (correlations name their target by it).
    t: usize,
    name: &'a str,
    base_mean: f64,
    /// The variants the target reads (two for a difference).
    variants: &'a [usize],
    /// Every target's rank correlations.
    ranks: &'a [Correlation],
    /// The target's mean at each position of each swung input, in the inputs' order.
    effects: &'a [Effect],
    /// The swung inputs that move the target, widest swing first.
    order: Vec<usize>,
    /// The target's Sobol indices, if they were estimated.
    sobol: Option<&'a [Indices]>,
}

impl TargetRows<'_> {
    /// The row of swung input `i`: its correlation (if uncertain), its swing and what it
    /// does to the target, its rank by width, and its own Sobol indices.
    fn swing_row(&self, i: usize, sw: &Swing) -> Row {
        let e = &self.effects[i];
        let rank = self
            .order
            .iter()
            .position(|&k| k == i)
            .map(|r| (r + 1).to_string());
        let rho = self
            .ranks
            .iter()
            .find(|c| c.target == self.t && sw.is_input_of(c));
        let [low, high, low_b, high_b] = self.swing_ends(sw);
        let mut row = vec![
            self.name.to_string(),
            sw.param.key().to_string(),
            match sw.kind {
                InputKind::Uncertain => "uncertain",
                InputKind::Fixed if sw.given => "given",
                InputKind::Fixed => "fixed",
            }
            .to_string(),
            num(self.base_mean),
            rho.map_or(String::new(), |c| num(c.rank.rho)),
            rho.map_or(String::new(), |c| num(c.rank.low)),
            rho.map_or(String::new(), |c| num(c.rank.high)),
            low,
            high,
            low_b,
            high_b,
            num(e.at[0]),
            num(e.at[4]),
            num(e.ends_se[0]),
            num(e.ends_se[1]),
            num(e.width()),
            num(e.width_se),
            e.trials.to_string(),
            rank.unwrap_or_default(),
        ];
        // Sobol indices are per catalog parameter; the events form one group (below).
        row.extend(match sw.param.param() {
            Some(p) => self.sobol_cells(Factor::Param(p)),
            None => vec![String::new(); SOBOL_CELLS],
        });
        (e.width(), row)
    }

    /// The swing's ends (low, high) in the target's first variant that swings, and (for a
    /// difference whose second variant swings over another range) in the second; empty
    /// where there is none.
    fn swing_ends(&self, sw: &Swing) -> [String; 4] {
        let swinging: Vec<usize> = self
            .variants
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
        [at(first, 0), at(first, 4), at(second, 0), at(second, 4)]
    }

    /// Uncertain inputs not swung (none today: every uncertain event multiplier is):
    /// their correlation only.
    fn correlation_rows(&self, swung: &[Swing]) -> Vec<Row> {
        self.ranks
            .iter()
            .filter(|c| c.target == self.t && c.param.is_none())
            .filter(|c| !swung.iter().any(|sw| sw.is_input_of(c)))
            .map(|c| {
                let mut row = vec![
                    self.name.to_string(),
                    c.input.clone(),
                    "uncertain".to_string(),
                    num(self.base_mean),
                    num(c.rank.rho),
                    num(c.rank.low),
                    num(c.rank.high),
                ];
                row.extend(vec![String::new(); 18]);
                (-1.0, row)
            })
            .collect()
    }

    /// The Sobol groups that are not one input: every event value, the trial's own
    /// randomness (a group without indices has no row).
    fn group_rows(&self) -> Vec<Row> {
        [Factor::Events, Factor::TrialNoise]
            .into_iter()
            .filter_map(|factor| {
                let cells = self.sobol_cells(factor);
                if cells[0].is_empty() && cells[3].is_empty() {
                    return None;
                }
                let mut row = vec![
                    self.name.to_string(),
                    factor.name(),
                    "group".to_string(),
                    num(self.base_mean),
                ];
                row.extend(vec![String::new(); 15]);
                row.extend(cells);
                Some((-2.0, row))
            })
            .collect()
    }

    /// The Sobol columns of `factor` for the target, empty when it has no indices.
    fn sobol_cells(&self, factor: Factor) -> Vec<String> {
        match self
            .sobol
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
            None => vec![String::new(); SOBOL_CELLS],
        }
    }
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
