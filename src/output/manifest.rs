//! `run.json`: what was run, with every parameter's final value and where it came from,
//! so a result can be traced and reproduced.

use crate::formats::record::{
    CellRecord, ComparisonMarker, CorrelationRecord, EventRecord, ExchangeRateRecord, ParamRecord,
    RunRecord, VariantRecord, WorldRecord, WorldsRecord, FORMAT_VERSION,
};
use crate::scenario::Scenario;
use crate::sim::{CampaignTerm, EventFactor};

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
    /// A precision-targeted run's record.
    pub precision: Option<&'a crate::formats::record::PrecisionRecord>,
    /// For a merged study, the number of shard parts it was merged from.
    pub merged_parts: Option<usize>,
}

/// The run record of a study as run.
pub fn run_record(scenario: &Scenario, facts: &RunFacts<'_>) -> RunRecord {
    let spec = scenario.spec();
    RunRecord {
        program: env!("CARGO_PKG_NAME").to_string(),
        format_version: FORMAT_VERSION,
        version: env!("CARGO_PKG_VERSION").to_string(),
        build: Some(crate::BUILD.to_string()),
        study: spec.name().to_string(),
        scenario: scenario.origin().to_string(),
        description: scenario.description().map(str::to_string),
        currency: scenario.currency().to_string(),
        exchange_rate: scenario.exchange_rate().map(|r| ExchangeRateRecord {
            currency: r.currency().to_string(),
            per_usd: r.per_usd(),
        }),
        seed: spec.seed(),
        as_of: scenario.as_of().to_string(),
        trials: spec.trials(),
        horizon_days: spec.horizon_days(),
        threads: facts.threads,
        elapsed_seconds: facts.elapsed_seconds,
        draw_method: facts.draw_method.to_string(),
        sampling: spec.sampling().name().to_string(),
        params_csv: facts.params_csv.map(str::to_string),
        precision: facts.precision.cloned(),
        merged_parts: facts.merged_parts,
        worlds: spec.worlds().map(|w| WorldsRecord {
            options: w.options().to_vec(),
            worlds: w
                .worlds()
                .iter()
                .map(|x| WorldRecord {
                    name: x.name.clone(),
                    weight: x.weight,
                    description: x.description.clone(),
                })
                .collect(),
            cells: w
                .cells()
                .iter()
                .zip(spec.variants())
                .map(|(c, v)| CellRecord {
                    variant: v.name().to_string(),
                    option: w.options()[c.option].clone(),
                    world: w.worlds()[c.world].name.clone(),
                })
                .collect(),
        }),
        warnings: scenario
            .warnings()
            .iter()
            .map(ToString::to_string)
            .collect(),
        events: spec
            .events()
            .iter()
            .map(|e| EventRecord {
                name: e.name().to_string(),
                start_day: e.start_day() + 1,
                end_day: e.end_day() + 1,
                multipliers: EventFactor::ALL
                    .iter()
                    .map(|f| {
                        (
                            f.key().to_string(),
                            e.multipliers()[*f as usize].to_string(),
                        )
                    })
                    .collect(),
                markets: e.markets().iter().map(|m| m.name().to_string()).collect(),
                min_on_time_rate: e.min_on_time_rate(),
                min_shop_score: e.min_shop_score(),
                duty_rate: e.duty_rate().map(ToString::to_string),
                campaign: CampaignTerm::ALL
                    .iter()
                    .map(|t| (t.key().to_string(), e.campaign()[*t as usize].to_string()))
                    .collect(),
                set_by: e.sources().clone(),
            })
            .collect(),
        variants: spec
            .variants()
            .iter()
            .map(|v| VariantRecord {
                name: v.name().to_string(),
                model: v.setting().model.name().to_string(),
                loop_type: v.setting().loop_type().name().to_string(),
                route: v.setting().route.name().to_string(),
                market: v.setting().market.name().to_string(),
                category: v.setting().category.name().to_string(),
                origin: v.setting().origin.name().to_string(),
                tariff_line: v.setting().tariff_line.to_string(),
                parameters: v
                    .params()
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
                correlations: v
                    .correlations()
                    .iter()
                    .map(|c| CorrelationRecord {
                        key_a: c.a.key().to_string(),
                        key_b: c.b.key().to_string(),
                        rank_correlation: c.rho,
                        source: c.source.clone(),
                    })
                    .collect(),
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
