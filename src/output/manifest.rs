//! `run.json`: what was run, with every parameter's final value and where it came from,
//! so a result can be traced and reproduced.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::scenario::Scenario;
use crate::sim::EventFactor;

/// Version of the study folder's file formats (summary, comparison, daily, trials CSVs and
/// this manifest): bumped when a column or key changes meaning or disappears, so a reader
/// such as `compare` can tell an old folder from a new one.
pub const FORMAT_VERSION: u32 = 1;

/// `run.json`: written by `run`, read back by `compare` with the same type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Always "shopsim".
    pub program: String,
    /// [`FORMAT_VERSION`] of the writer; 0 for folders written before it existed.
    #[serde(default)]
    pub format_version: u32,
    /// shopsim's version.
    pub version: String,
    /// The study's name.
    pub study: String,
    /// The scenario file (or the built-in scenario's name).
    pub scenario: String,
    /// The scenario's question, if it has one.
    pub description: Option<String>,
    /// Currency of every money figure.
    pub currency: String,
    /// The seed every random stream derives from.
    pub seed: u64,
    /// Trials per variant.
    pub trials: u64,
    /// Days simulated.
    pub horizon_days: usize,
    /// Worker threads used (results do not depend on it).
    pub threads: usize,
    /// Wall-clock seconds of the simulation.
    pub elapsed_seconds: f64,
    /// How returns and delays were drawn (`per-day` or `per-bin`).
    pub draw_method: String,
    /// The `--params` CSV, if any.
    pub params_csv: Option<String>,
    /// Warnings given when the scenario was read.
    pub warnings: Vec<String>,
    /// The peak events.
    pub events: Vec<EventRecord>,
    /// The variants with every final parameter value.
    pub variants: Vec<VariantRecord>,
}

/// A peak event as run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    /// Event name.
    pub name: String,
    /// Days counted from 1, inclusive.
    pub start_day: usize,
    /// Last day.
    pub end_day: usize,
    /// Multiplier key → its distribution, as written in a scenario.
    pub multipliers: BTreeMap<String, String>,
    /// Markets the event happens in; empty means all.
    pub markets: Vec<String>,
}

/// A variant as run: its setting and every parameter's final value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantRecord {
    /// Variant name.
    pub name: String,
    /// Operating model.
    pub model: String,
    #[serde(rename = "loop")]
    /// Loop type.
    pub loop_type: String,
    /// Market.
    pub market: String,
    /// Product category.
    pub category: String,
    /// Parameter key → its final value and source.
    pub parameters: BTreeMap<String, ParamRecord>,
    /// The full closed loop fee tiers.
    pub logistics_tiers: TiersRecord,
}

/// A parameter's final value, its mean, and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParamRecord {
    /// The distribution as written in a scenario.
    pub value: String,
    /// The distribution's mean.
    pub mean: f64,
    /// The layer that set it last.
    pub layer: String,
    /// Where the figure comes from (a DOMAIN row or an assumption).
    pub source: String,
}

/// The full closed loop's fee tiers as run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TiersRecord {
    /// (minimum monthly orders, fee per order).
    pub tiers: Vec<(u64, String)>,
    /// The layer that set the tiers last.
    pub layer: String,
    /// Where the tiers come from.
    pub source: String,
}

/// Run facts that are not in the scenario.
pub struct RunFacts<'a> {
    /// Worker threads used.
    pub threads: usize,
    /// Wall-clock seconds of the simulation.
    pub elapsed_seconds: f64,
    /// How returns and delays were drawn.
    pub draw_method: &'static str,
    /// The `--params` file, if any.
    pub params_csv: Option<&'a str>,
}

/// The run record of a study as run.
pub fn run_record(scenario: &Scenario, facts: &RunFacts<'_>) -> RunRecord {
    let spec = &scenario.spec;
    RunRecord {
        program: env!("CARGO_PKG_NAME").to_string(),
        format_version: FORMAT_VERSION,
        version: env!("CARGO_PKG_VERSION").to_string(),
        study: spec.name().to_string(),
        scenario: scenario.origin.clone(),
        description: scenario.description.clone(),
        currency: scenario.currency.clone(),
        seed: spec.seed(),
        trials: spec.trials(),
        horizon_days: spec.horizon_days(),
        threads: facts.threads,
        elapsed_seconds: facts.elapsed_seconds,
        draw_method: facts.draw_method.to_string(),
        params_csv: facts.params_csv.map(str::to_string),
        warnings: scenario.warnings.iter().map(ToString::to_string).collect(),
        events: spec
            .events()
            .iter()
            .map(|e| EventRecord {
                name: e.name.clone(),
                start_day: e.start_day + 1,
                end_day: e.end_day + 1,
                multipliers: EventFactor::ALL
                    .iter()
                    .map(|f| (f.key().to_string(), e.multipliers[*f as usize].to_string()))
                    .collect(),
                markets: e.markets.iter().map(|m| m.name().to_string()).collect(),
            })
            .collect(),
        variants: spec
            .variants()
            .iter()
            .map(|v| VariantRecord {
                name: v.name.clone(),
                model: v.setting.model.name().to_string(),
                loop_type: v.setting.loop_type.name().to_string(),
                market: v.setting.market.name().to_string(),
                category: v.setting.category.name().to_string(),
                parameters: v
                    .params
                    .entries()
                    .map(|(p, e)| {
                        (
                            p.key().to_string(),
                            ParamRecord {
                                value: e.dist.to_string(),
                                mean: e.dist.mean(),
                                layer: e.layer.name().to_string(),
                                source: e.source.clone(),
                            },
                        )
                    })
                    .collect(),
                logistics_tiers: TiersRecord {
                    tiers: v
                        .params
                        .tiers
                        .tiers
                        .iter()
                        .map(|t| (t.min_monthly_orders, t.fee_per_order.to_string()))
                        .collect(),
                    layer: v.params.tiers.layer.name().to_string(),
                    source: v.params.tiers.source.clone(),
                },
            })
            .collect(),
    }
}

/// `run.json` as bytes: the pretty-printed [`RunRecord`] and a final newline.
pub fn manifest_json(scenario: &Scenario, facts: &RunFacts<'_>) -> serde_json::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(&run_record(scenario, facts))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// `compare.json`'s record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComparisonMarker {
    /// Always "shopsim".
    pub program: String,
    /// shopsim's version.
    pub version: String,
    /// Always "comparison".
    pub kind: String,
    /// The output compared.
    pub metric: String,
    /// The study folders compared, in order.
    pub runs: Vec<String>,
}

/// `compare.json`: marks a folder as a shopsim comparison (so a later `compare --out` may
/// replace it) and records what was compared.
pub fn comparison_marker_json(
    comparison: &crate::compare::Comparison,
) -> serde_json::Result<Vec<u8>> {
    let marker = ComparisonMarker {
        program: env!("CARGO_PKG_NAME").to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        kind: "comparison".to_string(),
        metric: comparison.metric.clone(),
        runs: comparison
            .runs
            .iter()
            .map(|r| r.dir.display().to_string())
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&marker)?;
    bytes.push(b'\n');
    Ok(bytes)
}
