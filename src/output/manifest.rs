//! `run.json`: what was run, with every parameter's final value and where it came from,
//! so a result can be traced and reproduced.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::scenario::Scenario;
use crate::sim::EventFactor;

/// Version of the study folder's file formats (summary, comparison, daily, trials CSVs and
/// this manifest): bumped when a column or key changes meaning or disappears, so a reader
/// such as `compare` can tell an old folder from a new one.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
pub struct Manifest<'a> {
    pub program: &'static str,
    pub format_version: u32,
    pub version: &'static str,
    pub study: &'a str,
    pub scenario: &'a str,
    pub description: Option<&'a str>,
    pub currency: &'a str,
    pub seed: u64,
    pub trials: u64,
    pub horizon_days: usize,
    pub threads: usize,
    pub elapsed_seconds: f64,
    pub draw_method: &'static str,
    pub params_csv: Option<&'a str>,
    pub warnings: Vec<String>,
    pub events: Vec<EventRecord<'a>>,
    pub variants: Vec<VariantRecord<'a>>,
}

#[derive(Serialize)]
pub struct EventRecord<'a> {
    pub name: &'a str,
    /// Days counted from 1, inclusive.
    pub start_day: usize,
    pub end_day: usize,
    pub multipliers: BTreeMap<&'static str, String>,
    /// Markets the event happens in; empty means all.
    pub markets: Vec<&'static str>,
}

#[derive(Serialize)]
pub struct VariantRecord<'a> {
    pub name: &'a str,
    pub model: &'static str,
    #[serde(rename = "loop")]
    pub loop_type: &'static str,
    pub market: &'static str,
    pub category: &'static str,
    pub parameters: BTreeMap<&'static str, ParamRecord>,
    pub logistics_tiers: TiersRecord,
}

#[derive(Serialize)]
pub struct ParamRecord {
    pub value: String,
    pub mean: f64,
    pub layer: &'static str,
    pub source: String,
}

#[derive(Serialize)]
pub struct TiersRecord {
    pub tiers: Vec<(u64, String)>,
    pub layer: &'static str,
    pub source: String,
}

/// Run facts that are not in the scenario.
pub struct RunFacts<'a> {
    pub threads: usize,
    pub elapsed_seconds: f64,
    pub draw_method: &'static str,
    pub params_csv: Option<&'a str>,
}

pub fn manifest_json(scenario: &Scenario, facts: &RunFacts<'_>) -> serde_json::Result<Vec<u8>> {
    let spec = &scenario.spec;
    let m = Manifest {
        program: env!("CARGO_PKG_NAME"),
        format_version: FORMAT_VERSION,
        version: env!("CARGO_PKG_VERSION"),
        study: &spec.name,
        scenario: &scenario.origin,
        description: scenario.description.as_deref(),
        currency: &scenario.currency,
        seed: spec.seed,
        trials: spec.trials,
        horizon_days: spec.horizon_days,
        threads: facts.threads,
        elapsed_seconds: facts.elapsed_seconds,
        draw_method: facts.draw_method,
        params_csv: facts.params_csv,
        warnings: scenario.warnings.iter().map(ToString::to_string).collect(),
        events: spec
            .events
            .iter()
            .map(|e| EventRecord {
                name: &e.name,
                start_day: e.start_day + 1,
                end_day: e.end_day + 1,
                multipliers: EventFactor::ALL
                    .iter()
                    .map(|f| (f.key(), e.multipliers[*f as usize].to_string()))
                    .collect(),
                markets: e.markets.iter().map(|m| m.name()).collect(),
            })
            .collect(),
        variants: spec
            .variants
            .iter()
            .map(|v| VariantRecord {
                name: &v.name,
                model: v.setting.model.name(),
                loop_type: v.setting.loop_type.name(),
                market: v.setting.market.name(),
                category: v.setting.category.name(),
                parameters: v
                    .params
                    .entries()
                    .map(|(p, e)| {
                        (
                            p.key(),
                            ParamRecord {
                                value: e.dist.to_string(),
                                mean: e.dist.mean(),
                                layer: e.layer.name(),
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
                    layer: v.params.tiers.layer.name(),
                    source: v.params.tiers.source.clone(),
                },
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&m)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// `compare.json`: marks a folder as a shopsim comparison (so a later `compare --out` may
/// replace it) and records what was compared.
pub fn comparison_marker_json(
    comparison: &crate::compare::Comparison,
) -> serde_json::Result<Vec<u8>> {
    let marker = serde_json::json!({
        "program": env!("CARGO_PKG_NAME"),
        "version": env!("CARGO_PKG_VERSION"),
        "kind": "comparison",
        "metric": comparison.metric,
        "runs": comparison
            .runs
            .iter()
            .map(|r| r.dir.display().to_string())
            .collect::<Vec<_>>(),
    });
    let mut bytes = serde_json::to_vec_pretty(&marker)?;
    bytes.push(b'\n');
    Ok(bytes)
}
