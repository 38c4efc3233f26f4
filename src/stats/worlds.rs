//! Options across states of the world: in each world the best option and how sure that is,
//! what each option loses against that world's best (its regret), and the options that
//! hold up across worlds — best in every one (robust), the smallest worst-case regret
//! (minimax regret), or, when the scenario weighs the worlds, the highest expected profit.
//!
//! "Best in a world" is the highest mean profit there: the option whose choice loses
//! nothing on average if that world comes. P(best) (the share of trials where it makes the
//! most profit among that world's options) says how sure the ranking is. Regret is a
//! difference of mean profits, estimated trial by trial on common random numbers (its
//! interval is the paired one).

use serde::Serialize;

use super::analysis::StudyAnalysis;
use super::estimate::Estimate;
use crate::sim::{Metric, Worlds};

/// What a study with states of the world found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorldsAnalysis {
    /// The options' names.
    pub options: Vec<String>,
    /// One per world, in the scenario's order.
    pub worlds: Vec<WorldAnalysis>,
    /// One per option: how it does across the worlds.
    pub across: Vec<OptionAcross>,
    /// The option best in every world, if one is.
    pub robust: Option<usize>,
    /// The option whose largest regret over the worlds is smallest.
    pub minimax_regret: Option<usize>,
    /// With weighted worlds: the option with the highest expected profit over them.
    pub weighted_best: Option<usize>,
}

/// One world.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorldAnalysis {
    /// Its name.
    pub name: String,
    /// Its weight (normalised to add to 1 over the worlds), if the scenario gives them.
    pub weight: Option<f64>,
    /// The option with the highest mean profit here (`None` when no option has one).
    pub best: Option<usize>,
    /// Per option, its cell here; `None` when the study does not have it.
    pub cells: Vec<Option<WorldCell>>,
}

/// One option in one world.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorldCell {
    /// The study's variant this cell is.
    pub variant: usize,
    /// Its mean profit with its interval.
    pub mean_profit: Estimate,
    /// Share of trials where it makes the most profit among this world's options.
    pub p_best: f64,
    /// Share of trials where it loses money.
    pub p_loss: f64,
    /// What choosing it loses against the world's best: best's mean profit minus its own,
    /// with the paired interval (exactly 0 for the best itself).
    pub regret: Estimate,
}

/// One option across the worlds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OptionAcross {
    /// Its name.
    pub name: String,
    /// The worlds it is best in (indices).
    pub best_in: Vec<usize>,
    /// Its largest regret over the worlds it is simulated in (NaN with none).
    pub max_regret: f64,
    /// With weights: its expected profit over the worlds.
    pub weighted_profit: Option<f64>,
    /// With weights: its expected regret over the worlds.
    pub weighted_regret: Option<f64>,
}

impl WorldsAnalysis {
    /// Whether the scenario weighs its worlds.
    pub fn weighted(&self) -> bool {
        self.worlds.iter().all(|w| w.weight.is_some())
    }

    /// The cell of `option` in `world`, if the study has it.
    pub fn cell(&self, option: usize, world: usize) -> Option<&WorldCell> {
        self.worlds[world].cells[option].as_ref()
    }

    /// Whether the best option of `world` is a near tie with another: the regret interval
    /// of the runner-up reaches 0.
    pub fn close_in(&self, world: usize) -> Option<usize> {
        let w = &self.worlds[world];
        let best = w.best?;
        (0..self.options.len())
            .filter(|&o| o != best)
            .filter_map(|o| w.cells[o].as_ref().map(|c| (o, c)))
            .filter(|(_, c)| c.regret.ci_low.is_nan() || c.regret.ci_low <= 0.0)
            .min_by(|a, b| a.1.regret.point.total_cmp(&b.1.regret.point))
            .map(|(o, _)| o)
    }
}

/// The worlds' figures from a study's analysis.
pub fn analyze_worlds(worlds: &Worlds, analysis: &StudyAnalysis) -> WorldsAnalysis {
    let options = worlds.options().to_vec();
    let world_list: Vec<WorldAnalysis> = worlds
        .worlds()
        .iter()
        .enumerate()
        .map(|(w, world)| {
            let present: Vec<Option<usize>> =
                (0..options.len()).map(|o| worlds.variant(o, w)).collect();
            let mean = |v: usize| analysis.variants[v].mean(Metric::Profit);
            let best = (0..options.len())
                .filter_map(|o| present[o].map(|v| (o, mean(v))))
                .filter(|(_, m)| !m.is_nan())
                // The first listed option wins an exact tie.
                .fold(None::<(usize, f64)>, |acc, (o, m)| match acc {
                    Some((_, best)) if best >= m => acc,
                    _ => Some((o, m)),
                })
                .map(|(o, _)| o);
            let cells = present
                .iter()
                .map(|&v| {
                    v.map(|v| {
                        let a = &analysis.variants[v];
                        WorldCell {
                            variant: v,
                            mean_profit: a
                                .summary(Metric::Profit)
                                .map_or(nan_estimate(), |s| s.mean),
                            p_best: a.p_best,
                            p_loss: a.p_loss.p,
                            regret: regret(analysis, best.and_then(|b| present[b]), v),
                        }
                    })
                })
                .collect();
            WorldAnalysis {
                name: world.name.clone(),
                weight: world.weight,
                best,
                cells,
            }
        })
        .collect();
    let weighted = worlds.weighted();
    let across: Vec<OptionAcross> = (0..options.len())
        .map(|o| {
            let cells: Vec<(usize, &WorldCell)> = world_list
                .iter()
                .enumerate()
                .filter_map(|(w, world)| world.cells[o].as_ref().map(|c| (w, c)))
                .collect();
            let complete = cells.len() == world_list.len();
            let weighted_sum = |f: &dyn Fn(&WorldCell) -> f64| {
                (weighted && complete).then(|| {
                    cells
                        .iter()
                        .map(|(w, c)| world_list[*w].weight.unwrap_or(0.0) * f(c))
                        .sum()
                })
            };
            OptionAcross {
                name: options[o].clone(),
                best_in: (0..world_list.len())
                    .filter(|&w| world_list[w].best == Some(o))
                    .collect(),
                max_regret: cells
                    .iter()
                    .map(|(_, c)| c.regret.point)
                    .fold(f64::NAN, f64::max),
                weighted_profit: weighted_sum(&|c| c.mean_profit.point),
                weighted_regret: weighted_sum(&|c| c.regret.point),
            }
        })
        .collect();
    let robust = (0..options.len()).find(|&o| across[o].best_in.len() == world_list.len());
    let lowest = |key: &dyn Fn(&OptionAcross) -> Option<f64>| {
        (0..options.len())
            .filter_map(|o| key(&across[o]).filter(|k| !k.is_nan()).map(|k| (o, k)))
            .fold(None::<(usize, f64)>, |acc, (o, k)| match acc {
                Some((_, best)) if best <= k => acc,
                _ => Some((o, k)),
            })
            .map(|(o, _)| o)
    };
    // Only options simulated in every world compete on their worst case.
    let minimax_regret =
        lowest(&|a| options_complete(&world_list, &a.name, &options).then_some(a.max_regret));
    let weighted_best = lowest(&|a| a.weighted_profit.map(|p| -p));
    WorldsAnalysis {
        options,
        worlds: world_list,
        across,
        robust,
        minimax_regret,
        weighted_best,
    }
}

/// Whether the option named `name` has a cell in every world.
fn options_complete(worlds: &[WorldAnalysis], name: &str, options: &[String]) -> bool {
    options
        .iter()
        .position(|o| o == name)
        .is_some_and(|o| worlds.iter().all(|w| w.cells[o].is_some()))
}

/// What choosing variant `v` loses against `best` (both in one world): the paired
/// difference of their profits when the analysis compared them, else the difference of
/// their means without an interval.
fn regret(analysis: &StudyAnalysis, best: Option<usize>, v: usize) -> Estimate {
    let Some(best) = best else {
        return nan_estimate();
    };
    if best == v {
        let n = analysis.variants[v]
            .summary(Metric::Profit)
            .map_or(0, |s| s.mean.n);
        return Estimate {
            point: 0.0,
            se: 0.0,
            ci_low: 0.0,
            ci_high: 0.0,
            n,
        };
    }
    match analysis.pair(best, v).and_then(|p| p.of(Metric::Profit)) {
        Some(p) => p.diff,
        None => Estimate {
            point: analysis.variants[best].mean(Metric::Profit)
                - analysis.variants[v].mean(Metric::Profit),
            se: f64::NAN,
            ci_low: f64::NAN,
            ci_high: f64::NAN,
            n: 0,
        },
    }
}

fn nan_estimate() -> Estimate {
    Estimate {
        point: f64::NAN,
        se: f64::NAN,
        ci_low: f64::NAN,
        ci_high: f64::NAN,
        n: 0,
    }
}
