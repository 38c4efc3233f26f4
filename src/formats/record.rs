//! `run.json` and `compare.json`: what was run (or compared), as serde records written by
//! `output` and read back by `compare`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Version of the study folder's file formats (summary, comparison, daily, trials CSVs and
/// this manifest): bumped when a column or key changes meaning or disappears, so a reader
/// such as `compare` can tell an old folder from a new one. 2: five outputs added
/// (`profit_per_order`, `contribution`, `contribution_margin`, `closing_stock_value`,
/// `campaigns_missed`) and the key `as_of`. 3: delivery routes (a `route` column and key),
/// the output `duties_and_taxes`, the full closed loop's volume tiers removed, events
/// record `min_on_time_rate`, `duty_rate` and the campaign terms. 4: `trials.csv` rows
/// in trial order (each trial's variants together); shard parts hold streaming
/// accumulators (`accumulators.json`) instead of raw trials (`part.bin`); summary
/// quantiles come from sketches (see `docs/model.md`). 5: `run.json` key `merged_parts`.
/// 6: `run.json` variants record their `correlations`. 8: `part.json` records the size
/// and SHA-256 of each of the part's data files (`files`), which the merge checks.
/// 9: `run.json` variants record the goods' `origin` and `tariff_line` (their duty rows).
/// 10: the output `stock_write_down` (a delisted product's stock written down), a cost in
/// `profit`.
pub const FORMAT_VERSION: u32 = 10;

/// The sampling of records written before it was recorded: simple Monte Carlo.
fn monte_carlo() -> String {
    crate::sim::inputs::Sampling::MonteCarlo.name().to_string()
}

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
    /// The build that wrote it (`shopsim::BUILD`: a commit, `-modified`, or `unknown`);
    /// absent in files written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    /// The study's name.
    pub study: String,
    /// The scenario file (or the built-in scenario's name).
    pub scenario: String,
    /// The scenario's question, if it has one.
    pub description: Option<String>,
    /// Currency of every money figure.
    pub currency: String,
    /// A study not in USD: the rate its money defaults (in USD) were converted at; the
    /// converted parameters' sources say so too. Absent for a study in USD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_rate: Option<ExchangeRateRecord>,
    /// The seed every random stream derives from.
    pub seed: u64,
    /// The date the study is about (`YYYY-MM-DD`): which platform rules applied. Empty in
    /// folders written before it was recorded.
    #[serde(default)]
    pub as_of: String,
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
    /// How the uncertain inputs were sampled: `mc` (simple Monte Carlo) or `lhs` (Latin
    /// hypercube). `mc` in folders written before it was recorded.
    #[serde(default = "monte_carlo")]
    pub sampling: String,
    /// The `--params` CSV, if any.
    pub params_csv: Option<String>,
    /// Warnings given when the scenario was read.
    pub warnings: Vec<String>,
    /// The peak events.
    pub events: Vec<EventRecord>,
    /// The variants with every final parameter value.
    pub variants: Vec<VariantRecord>,
    /// A precision-targeted run (`--precision`): what was asked and reached; absent for
    /// a run of a fixed number of trials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<PrecisionRecord>,
    /// A study written by `shopsim merge`: how many shard parts it was merged from
    /// (`threads` is then 1 and `elapsed_seconds` the parts' simulation time summed);
    /// absent for a single run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_parts: Option<usize>,
    /// A study with states of the world: its options, its worlds and which of each every
    /// variant is; absent for a study without worlds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worlds: Option<WorldsRecord>,
}

impl RunRecord {
    /// The version with the build that wrote it, where recorded: `0.1.0 (build …)`.
    pub fn version_and_build(&self) -> String {
        with_build(&self.version, self.build.as_deref())
    }

    /// Whether the run sampled its inputs by Latin hypercube (its standard errors then
    /// come from blocks of trials).
    pub fn latin_hypercube(&self) -> bool {
        crate::sim::inputs::Sampling::parse(&self.sampling)
            == Some(crate::sim::inputs::Sampling::LatinHypercube)
    }
}

/// The options and states of the world of a study (`[[world]]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorldsRecord {
    /// The options' names, in the scenario's order.
    pub options: Vec<String>,
    /// The worlds, in the scenario's order.
    pub worlds: Vec<WorldRecord>,
    /// Per variant, in the study's order: its option and its world.
    pub cells: Vec<CellRecord>,
}

/// One state of the world.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorldRecord {
    /// Its name.
    pub name: String,
    /// Its weight, normalised over the worlds; absent when the scenario gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// What it stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Which option in which world a variant is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellRecord {
    /// The variant's name (`option@world`).
    pub variant: String,
    /// Its option.
    pub option: String,
    /// Its world.
    pub world: String,
}

/// The exchange rate of a study not in USD.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExchangeRateRecord {
    /// The study's currency.
    pub currency: String,
    /// Units of it per USD (the scenario's `fx.<currency>`).
    pub per_usd: f64,
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
    /// A campaign's on-time rate threshold for self-operated shops (format 3).
    #[serde(default)]
    pub min_on_time_rate: Option<f64>,
    /// A campaign's shop performance score threshold (format 3, newer files).
    #[serde(default)]
    pub min_shop_score: Option<f64>,
    /// A tariff change: the duty rate on the event's days (format 3).
    #[serde(default)]
    pub duty_rate: Option<String>,
    /// Campaign term key → its distribution (format 3).
    #[serde(default)]
    pub campaign: BTreeMap<String, String>,
    /// Keys set from outside the scenario file (`--params` rows `event.<name>.<field>`,
    /// sweep and threshold points) → where the value came from (format 7; absent when
    /// none was).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set_by: BTreeMap<String, String>,
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
    /// Delivery route (format 3; empty when read from an older folder).
    #[serde(default)]
    pub route: String,
    /// Market.
    pub market: String,
    /// Product category.
    pub category: String,
    /// Where the goods were made (format 9; empty when read from an older folder).
    #[serde(default)]
    pub origin: String,
    /// The product's tariff line (format 9; empty when read from an older folder).
    #[serde(default)]
    pub tariff_line: String,
    /// Parameter key → its final value and source.
    pub parameters: BTreeMap<String, ParamRecord>,
    /// Rank correlations induced between its uncertain inputs (format 6).
    #[serde(default)]
    pub correlations: Vec<CorrelationRecord>,
}

/// A rank correlation between two inputs, as run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CorrelationRecord {
    /// One input.
    pub key_a: String,
    /// The other.
    pub key_b: String,
    /// Spearman's rank correlation induced.
    pub rank_correlation: f64,
    /// Where it was set (`file:line`).
    pub source: String,
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

/// How precisely a run's trials know its answers (also written to `run.json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reached {
    /// Trials per variant.
    pub trials: u64,
    /// The widest half-width of a variant's 95% interval of mean profit, as a share of
    /// that variant's |mean|; `None` when a mean is 0 or undefined.
    pub mean_relative: Option<f64>,
    /// The widest half-width of a variant's 95% interval of mean profit, in money.
    pub mean_absolute: f64,
    /// The widest half-width of a compared pair's 95% interval of P(A beats B) on profit;
    /// `None` with a single variant.
    pub p_beats: Option<f64>,
}

/// A precision-targeted run's record: what was asked and what was reached.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrecisionRecord {
    /// `--precision`.
    pub target_relative: Option<f64>,
    /// `--precision-abs`.
    pub target_absolute: Option<f64>,
    /// `--precision-prob`.
    pub target_probability: f64,
    /// `--max-trials`.
    pub max_trials: u64,
    /// Whether every target was met (otherwise the run stopped at `max_trials`).
    pub met: bool,
    /// What the trials reached.
    pub reached: Reached,
}

/// `part.json`: what a part folder holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartRecord {
    /// Always "shopsim".
    pub program: String,
    /// Always "shard".
    pub kind: String,
    /// The file formats' version of the writer.
    pub format_version: u32,
    /// shopsim's version: parts of different versions (or builds) are not merged.
    pub version: String,
    /// The build that wrote it (`shopsim::BUILD`: a commit, `-modified`, or `unknown`);
    /// absent in files written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    /// The study's name.
    pub study: String,
    /// The scenario file (or the built-in scenario's name) and its text.
    pub scenario: String,
    /// The scenario's text as read.
    pub scenario_text: String,
    /// The `--params` CSV (origin and text), if any.
    pub params_csv: Option<String>,
    /// The CSV's text.
    pub params_text: Option<String>,
    /// The seed.
    pub seed: u64,
    /// Trials of the whole study.
    pub trials: u64,
    /// Days.
    pub horizon_days: usize,
    /// `per-day` or `per-bin`.
    pub draw_method: String,
    /// `mc` or `lhs` (`mc` in parts written before it was recorded).
    #[serde(default = "monte_carlo")]
    pub sampling: String,
    /// This shard (1-based) and how many there are.
    pub shard: u64,
    /// How many shards.
    pub shards: u64,
    /// This shard's first trial and how many it ran.
    pub first_trial: u64,
    /// Trials in this part.
    pub trial_count: u64,
    /// The variants, in the study's order.
    pub variants: Vec<String>,
    /// Simulation seconds of this part.
    pub elapsed_seconds: f64,
    /// The part's data files (`accumulators.json`, and `trials.csv` when it was run with
    /// `--write-trials`) by name, as the shard wrote them: the merge refuses a file cut
    /// short, edited or copied in from another run.
    pub files: BTreeMap<String, FileDigest>,
}

impl PartRecord {
    /// The version with the build that wrote the part, where recorded.
    pub fn version_and_build(&self) -> String {
        with_build(&self.version, self.build.as_deref())
    }
}

/// `0.1.0 (build 0123456789ab)`, or `0.1.0 (build not recorded)` for a file that has none.
fn with_build(version: &str, build: Option<&str>) -> String {
    match build.filter(|b| !b.is_empty()) {
        Some(build) => format!("{version} (build {build})"),
        // Written before builds were recorded (or with the field emptied).
        None => format!("{version} (build not recorded)"),
    }
}

/// A file as it was written: its size and its SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDigest {
    /// Its size in bytes.
    pub bytes: u64,
    /// The SHA-256 of its bytes, 64 lowercase hex digits.
    pub sha256: String,
}

/// What every analysis record (`sweep.json`, `threshold.json`, `sensitivity.json`: each
/// in its analysis's `record` module) starts
/// with. `program`, `kind` and `study` mark the folder as shopsim's own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnalysisHeader {
    /// Always "shopsim".
    pub program: String,
    /// The analysis: its folder kind's name ("sweep", "threshold", "sensitivity").
    pub kind: String,
    /// The file formats' version.
    pub format_version: u32,
    /// shopsim's version.
    pub version: String,
    /// The build that wrote it (`shopsim::BUILD`: a commit, `-modified`, or `unknown`);
    /// absent in files written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    /// The study's name.
    pub study: String,
    /// The scenario file (or the built-in scenario's name).
    pub scenario: String,
    /// The `--params` CSV applied first, if any.
    pub params_csv: Option<String>,
    /// Seed, the same for every study run.
    pub seed: u64,
    /// Trials per variant of every study run.
    pub trials: u64,
    /// Worker threads (results do not depend on them).
    pub threads: usize,
    /// Wall-clock seconds.
    pub elapsed_seconds: f64,
}

impl AnalysisHeader {
    /// The header of an analysis of `kind` on `spec` (as run), read from `scenario`.
    pub fn new(
        kind: &str,
        spec: &crate::sim::StudySpec,
        scenario: &str,
        params_csv: Option<String>,
        threads: usize,
        elapsed_seconds: f64,
    ) -> AnalysisHeader {
        AnalysisHeader {
            program: "shopsim".to_string(),
            kind: kind.to_string(),
            format_version: FORMAT_VERSION,
            version: env!("CARGO_PKG_VERSION").to_string(),
            build: Some(crate::BUILD.to_string()),
            study: spec.name().to_string(),
            scenario: scenario.to_string(),
            params_csv,
            seed: spec.seed(),
            trials: spec.trials(),
            threads,
            elapsed_seconds,
        }
    }
}
