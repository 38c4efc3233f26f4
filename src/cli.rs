//! The command line: argument types (clap) and the three commands, each a thin layer
//! over `scenario`, `sim`, `stats` and `output`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::{printable, InputError, Kind, Problem};
use crate::formats::record::PrecisionRecord;
use crate::interrupts;
use crate::output::catalog::{catalog_csv, CatalogBlock};
use crate::output::charts::ChartFormat;
use crate::output::format::whole_or_na;
use crate::output::{self, FolderKind, Input, RunFacts, StagedFolder, WriteOptions};
use crate::params::{Category, LoopType, Market, Model, Resolved, Route, Setting};
use crate::scenario::{self, Overrides, Scenario};
use crate::sim::{self, DrawMethod, Metric};
use crate::stats;

/// Monte Carlo simulator: which way of selling on TikTok Shop pays off.
#[derive(Debug, Parser)]
#[command(name = "shopsim", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate scenario files (or the built-in US beauty study) and write the results.
    Run(RunArgs),
    /// Validate scenario files without simulating.
    Check {
        /// Scenario files or folders of them.
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
        /// Also validate against this parameter CSV.
        #[arg(long, value_name = "CSV")]
        params: Option<PathBuf>,
    },
    /// Print the resolved parameter catalog as CSV (edit it, pass it back with --params).
    Params(ParamsArgs),
    /// Compare studies written earlier: the same variants across runs, side by side.
    Compare(CompareArgs),
    /// Measure the engine on this machine: trial-days per second (simulation alone and
    /// end to end), the speed-up over one thread, the cost at order volumes of 100 to
    /// 100,000 a day, and peak memory. Writes nothing but a scratch folder it removes.
    Bench(BenchArgs),
    /// Merge the part folders of `shopsim run --shard K/N` into the study one run would
    /// have written (the same tables, byte for byte).
    Merge(MergeArgs),
    /// Run a scenario at many points of its parameters (a grid CSV, or ranges), every
    /// point on the same seeds, and chart how the answer moves.
    Sweep(SweepArgs),
    /// Find the value of a parameter at which variant A starts to beat variant B with a
    /// given probability (paired trials on the same seeds, with a Monte Carlo interval).
    Threshold(ThresholdArgs),
    /// What drives the result: rank correlations of every uncertain input with an output,
    /// one-at-a-time swings of every input on the same seeds (tornado), a spider of the
    /// top inputs, and Sobol indices; for each variant, or for the difference of two.
    Sensitivity(SensitivityArgs),
}

/// Arguments of `shopsim sensitivity`.
#[derive(Debug, clap::Args)]
pub struct SensitivityArgs {
    /// Scenario file; none uses the built-in study.
    pub scenario: Option<PathBuf>,
    /// Only this variant (repeatable; default: every variant, each its own target).
    #[arg(long = "variant", value_name = "V", conflicts_with_all = ["a", "b"])]
    pub variants: Vec<String>,
    /// With --b: the sensitivity of the difference A − B (which inputs decide the choice).
    #[arg(long, value_name = "V", requires = "b")]
    pub a: Option<String>,
    /// See --a.
    #[arg(long, value_name = "V", requires = "a")]
    pub b: Option<String>,
    /// The output (default profit).
    #[arg(long, default_value = "profit", value_parser = metric_name)]
    pub metric: crate::sim::Metric,
    /// KEY=LO..HI: swing this input over this range instead of p10-p90 or ±20%
    /// (repeatable).
    #[arg(long = "swing", value_name = "KEY=LO..HI")]
    pub swing: Vec<String>,
    /// A CSV of swings: columns `key`, `low`, `high`.
    #[arg(long, value_name = "CSV")]
    pub swings: Option<PathBuf>,
    /// Inputs in the spider (the widest swings of each target).
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u64).range(1..=20))]
    pub top: u64,
    /// Rows of the Sobol design (each runs one trial per uncertain input, plus three);
    /// 0 skips the variance-based indices; otherwise 50 to 50,000.
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = sobol_rows)]
    pub sobol: u64,
    /// What every analysis takes: parameters, trials, seed, threads, output.
    #[command(flatten)]
    pub common: AnalysisArgs,
}

/// Arguments of `shopsim threshold`.
#[derive(Debug, clap::Args)]
pub struct ThresholdArgs {
    /// Scenario file; none uses the built-in study.
    pub scenario: Option<PathBuf>,
    /// The parameter to move (a numeric catalog key, e.g. tax.duty_rate).
    #[arg(long, value_name = "KEY")]
    pub param: String,
    /// The interval to search: LO HI.
    #[arg(long, num_args = 2, value_names = ["LO", "HI"], required = true, allow_negative_numbers = true)]
    pub between: Vec<f64>,
    /// Variant A: the value found is where A starts to beat B.
    #[arg(long, value_name = "V")]
    pub a: String,
    /// Variant B.
    #[arg(long, value_name = "V")]
    pub b: String,
    /// The probability of A beating B to find (0.5: more likely than not; 0.8: with 80%).
    #[arg(long, default_value_t = 0.5, value_parser = share_between_0_and_1)]
    pub prob: f64,
    /// The output compared (A beats B when it is better on it: more profit, fewer returns…).
    #[arg(long, default_value = "profit", value_parser = metric_name)]
    pub metric: crate::sim::Metric,
    /// Move the parameter on this variant only (default: on every variant).
    #[arg(long, value_name = "V")]
    pub on: Option<String>,
    /// Values in the first scan of the interval (ends included).
    #[arg(long, default_value_t = 9, value_parser = clap::value_parser!(u64).range(3..=101))]
    pub scan: u64,
    /// What every analysis takes: parameters, trials, seed, threads, output.
    #[command(flatten)]
    pub common: AnalysisArgs,
}

/// Arguments of `shopsim sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Scenario file; none sweeps the built-in study.
    pub scenario: Option<PathBuf>,
    /// Grid CSV: one point per row; columns are parameter keys (a cell is a number or a
    /// distribution; empty keeps the scenario's value), optional `name` and `variant` (the
    /// point changes that variant only).
    #[arg(long, value_name = "GRID.csv")]
    pub grid: Option<PathBuf>,
    /// KEY=LO:HI:STEPS: STEPS evenly spaced values from LO to HI (repeatable; several make
    /// a full grid, the first varying slowest; with --grid, every row at every step).
    #[arg(long = "range", value_name = "KEY=LO:HI:STEPS")]
    pub ranges: Vec<crate::sweep::grid::Range>,
    /// Run only this variant (repeatable; default: every variant).
    #[arg(long = "variant", value_name = "V")]
    pub variants: Vec<String>,
    /// The output the charts show (every output is in sweep.csv).
    #[arg(long, default_value = "profit", value_parser = metric_name)]
    pub metric: crate::sim::Metric,
    /// What every analysis takes: parameters, trials, seed, threads, output.
    #[command(flatten)]
    pub common: AnalysisArgs,
}

/// The options `sweep`, `threshold` and `sensitivity` share.
#[derive(Debug, clap::Args)]
pub struct AnalysisArgs {
    /// Parameter overrides (or correlations) applied first, as `run --params`.
    #[arg(long, value_name = "CSV")]
    pub params: Option<PathBuf>,
    /// Trials per variant of every study run (overrides the scenario's `trials`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub trials: Option<u64>,
    /// Random seed, the same for every study run (overrides the scenario's `seed`).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u64).range(1..))]
    pub threads: Option<u64>,
    /// Folder to write the result into (<study>-sweep, -threshold or -sensitivity). An
    /// earlier result of the same kind and study there is replaced; a folder of that name
    /// holding anything else is refused (see --force).
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Replace the result folder even when shopsim did not write it (its contents are
    /// deleted).
    #[arg(long)]
    pub force: bool,
    /// Chart files to write in the result's charts/.
    #[arg(long, value_enum, default_value_t = ChartFormatArg::Png)]
    pub chart_format: ChartFormatArg,
    /// Skip the charts.
    #[arg(long)]
    pub no_charts: bool,
}

impl AnalysisArgs {
    /// The worker threads to use: `--threads`, or every core.
    pub fn thread_count(&self) -> usize {
        match self.threads {
            Some(t) => t as usize,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }

    /// What the analysis reads (its scenario, when one is named, and `--params`), plus
    /// `extra`: the folder it writes may not hold any of them.
    pub fn inputs(&self, scenario: Option<&Path>, extra: &[Input]) -> Vec<Input> {
        let mut inputs: Vec<Input> = scenario
            .map(|p| Input::new(p, "the scenario"))
            .into_iter()
            .chain(
                self.params
                    .as_ref()
                    .map(|p| Input::new(p, "the --params CSV")),
            )
            .collect();
        inputs.extend_from_slice(extra);
        inputs
    }

    /// The one scenario an analysis runs (the built-in study when none is named), with the
    /// `--params` CSV applied, and the CSV.
    pub fn load_one(
        &self,
        scenario: Option<&Path>,
        command: &str,
    ) -> Result<(Scenario, Option<Overrides>), InputError> {
        let overrides = load_overrides(self.params.as_deref())?;
        let named: Vec<PathBuf> = scenario.map(Path::to_path_buf).into_iter().collect();
        let paths = scenario_paths(&named)?;
        if paths.len() > 1 {
            return Err(InputError::new(format!(
                "{command} runs one scenario; '{}' holds {} (name one file)",
                crate::error::printable_path(scenario.unwrap_or(Path::new(""))),
                paths.len()
            )));
        }
        let scenario = load_all(&paths, overrides.as_ref())?.remove(0);
        Ok((scenario, overrides))
    }
}

/// A trial output's name (`profit`, `margin`, …), with a suggestion when it is not one.
fn metric_name(text: &str) -> Result<crate::sim::Metric, String> {
    crate::sim::Metric::from_name(text).ok_or_else(|| {
        format!(
            "no output is called `{}`{}",
            printable(text),
            crate::suggest::hint(text, crate::sim::Metric::ALL.iter().map(|m| m.name()))
        )
    })
}

/// Arguments of `shopsim merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Every part folder of the study (<study>.shard-K-of-N), in any order.
    #[arg(required = true)]
    pub parts: Vec<PathBuf>,
    /// Folder to write the study folder into (as `shopsim run --out`).
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Replace <out>/<study> even when it is not an earlier run of that study.
    #[arg(long)]
    pub force: bool,
    /// Chart files to write in <study>/charts/.
    #[arg(long, value_enum, default_value_t = ChartFormatArg::Png)]
    pub chart_format: ChartFormatArg,
    /// Skip the charts (tables and run.json only).
    #[arg(long)]
    pub no_charts: bool,
}

/// Arguments of `shopsim bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Trials per variant of the benchmark study.
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub trials: u64,
    /// Worker threads (default: all cores); with more than one, one thread is measured
    /// too, for the speed-up.
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u64).range(1..))]
    pub threads: Option<u64>,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
    /// Only the benchmark study end to end, once (no one-thread run, no volume table): its
    /// peak memory is that run's (e.g. `--study-only --trials 1000000`).
    #[arg(long)]
    pub study_only: bool,
}

/// Arguments of `shopsim compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Study folders written by `shopsim run` (e.g. before/us_beauty_2026_routes).
    #[arg(required = true, num_args = 2..)]
    pub runs: Vec<PathBuf>,
    /// Folder to write the comparison into. An earlier comparison there is replaced;
    /// anything else is refused (see --force). Never one of the compared folders.
    #[arg(long, default_value = "output/compare", value_name = "DIR")]
    pub out: PathBuf,
    /// Replace --out even when it is not an earlier shopsim comparison (its contents are
    /// deleted). It still never replaces or writes inside a compared folder.
    #[arg(long)]
    pub force: bool,
    /// Trial output to compare.
    #[arg(long, default_value = "profit")]
    pub metric: String,
    /// Chart files to write in <out>/charts/.
    #[arg(long, value_enum, default_value_t = ChartFormatArg::Png)]
    pub chart_format: ChartFormatArg,
}

/// Arguments of `shopsim run`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("precision_target").args(["precision", "precision_abs"]).multiple(true)))]
pub struct RunArgs {
    /// Scenario files or folders of them; none runs the built-in study.
    pub scenarios: Vec<PathBuf>,
    /// Folder to write the study folders into. An earlier run of the same study there
    /// is replaced; a folder of that name holding anything else is refused (see --force).
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Replace <out>/<study> even when it is not an earlier run of that study (its
    /// contents are deleted).
    #[arg(long)]
    pub force: bool,
    /// Trials per variant (overrides the scenario's `trials`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub trials: Option<u64>,
    /// Random seed (overrides the scenario's `seed`).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u64).range(1..))]
    pub threads: Option<u64>,
    /// Parameter overrides: CSV with `key,value` and an optional `variant` column.
    #[arg(long, value_name = "CSV")]
    pub params: Option<PathBuf>,
    /// Also write every trial's outputs to trials.csv.
    #[arg(long)]
    pub write_trials: bool,
    /// How returns, complaints and delays are drawn (both exact; per-day is faster).
    #[arg(long, value_enum, default_value_t = MethodArg::PerDay)]
    pub method: MethodArg,
    /// Chart files to write in <study>/charts/.
    #[arg(long, value_enum, default_value_t = ChartFormatArg::Png)]
    pub chart_format: ChartFormatArg,
    /// Skip the charts (tables and run.json only).
    #[arg(long)]
    pub no_charts: bool,
    /// Run rounds of 1,024 trials until every variant's 95% interval of mean profit is
    /// within this share of |mean| (0.01: ±1%) and every compared P(A beats B) within
    /// --precision-prob, or --max-trials is reached (instead of a fixed --trials).
    #[arg(long, value_name = "SHARE", value_parser = share_between_0_and_1, conflicts_with = "trials")]
    pub precision: Option<f64>,
    /// Like --precision, in money: a mean within ± this amount also counts as precise
    /// (for means near zero, where a share of |mean| is out of reach).
    #[arg(long, value_name = "AMOUNT", value_parser = positive_amount, conflicts_with = "trials")]
    pub precision_abs: Option<f64>,
    /// With --precision: how closely every P(A beats B) must be known (± this).
    #[arg(long, value_name = "P", default_value_t = 0.01, value_parser = share_between_0_and_1, requires = "precision_target")]
    pub precision_prob: f64,
    /// Run only shard K of N of the study's trials and write a part folder
    /// (<out>/<study>.shard-K-of-N); `shopsim merge` puts the parts together.
    #[arg(long, value_name = "K/N", conflicts_with_all = ["precision", "precision_abs"])]
    pub shard: Option<crate::shard::Shard>,
    /// With --precision: stop after this many trials even when not precise enough.
    #[arg(long, value_name = "N", default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..=sim::MAX_TRIALS), requires = "precision_target")]
    pub max_trials: u64,
}

/// Fewest rows of a Sobol design worth reading: with fewer, the estimates' noise swamps
/// them (a total index above 1 is no share of the variance).
pub const MIN_SOBOL_ROWS: u64 = 50;
/// Most rows: each keeps its inputs, its outputs and 500 bootstrap indices (about 8 kB for
/// the built-in study), so 50,000 stay under half a gigabyte; the intervals the indices
/// are printed with are already narrow at a few thousand.
pub const MAX_SOBOL_ROWS: u64 = 50_000;

/// `--sobol`: 0, or [`MIN_SOBOL_ROWS`] to [`MAX_SOBOL_ROWS`].
fn sobol_rows(text: &str) -> Result<u64, String> {
    let n: u64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{}` is not a whole number of rows", printable(text)))?;
    if n == 0 || (MIN_SOBOL_ROWS..=MAX_SOBOL_ROWS).contains(&n) {
        Ok(n)
    } else if n < MIN_SOBOL_ROWS {
        Err(format!(
            "{n} rows are too few for indices worth reading (their noise can exceed the variance they share out); use at least {MIN_SOBOL_ROWS} (the default is 1000), or 0 to skip them"
        ))
    } else {
        Err(format!(
            "{n} rows are more than the {} the design keeps in memory (each holds its inputs, outputs and bootstrap draws); the default 1000 already gives narrow intervals",
            output::format::fmt_number(MAX_SOBOL_ROWS as f64)
        ))
    }
}

/// A number strictly between 0 and 1.
fn share_between_0_and_1(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x > 0.0 && x < 1.0 => Ok(x),
        _ => Err(format!(
            "`{text}` is not a share strictly between 0 and 1 (e.g. 0.01 for 1%)"
        )),
    }
}

/// A positive, finite amount.
fn positive_amount(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x > 0.0 && x.is_finite() => Ok(x),
        _ => Err(format!("`{text}` is not a positive amount (e.g. 500)")),
    }
}

impl RunArgs {
    /// The precision target, when the run has one.
    fn precision_target(&self) -> Option<crate::precision::Target> {
        (self.precision.is_some() || self.precision_abs.is_some()).then_some(
            crate::precision::Target {
                relative: self.precision,
                absolute: self.precision_abs,
                probability: self.precision_prob,
                max_trials: self.max_trials,
            },
        )
    }
}

/// `--chart-format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ChartFormatArg {
    /// PNG images (1280 × 800).
    Png,
    /// SVG drawings.
    Svg,
    /// Both.
    Both,
}

impl ChartFormatArg {
    pub(crate) fn format(self) -> ChartFormat {
        match self {
            ChartFormatArg::Png => ChartFormat::Png,
            ChartFormatArg::Svg => ChartFormat::Svg,
            ChartFormatArg::Both => ChartFormat::Both,
        }
    }
}

/// `--method`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MethodArg {
    /// Returns and complaints from the day's mean probabilities (fast; the default).
    PerDay,
    /// Deliveries split over delay bins, returns drawn per bin (exact jointly; slower).
    PerBin,
}

impl MethodArg {
    fn method(self) -> DrawMethod {
        match self {
            MethodArg::PerDay => DrawMethod::PerDay,
            MethodArg::PerBin => DrawMethod::PerBin,
        }
    }

    fn name(self) -> &'static str {
        match self {
            MethodArg::PerDay => "per-day",
            MethodArg::PerBin => "per-bin",
        }
    }
}

/// Arguments of `shopsim params`.
#[derive(Debug, clap::Args)]
pub struct ParamsArgs {
    /// A scenario: print every variant's final values (with a `variant` column). The
    /// scenario sets its own market, category, model and loop: the flags below are for the
    /// catalog without a scenario and cannot be combined with one.
    pub scenario: Option<PathBuf>,
    /// Market for the defaults.
    #[arg(long, ignore_case = true, conflicts_with = "scenario", default_value = "us", value_parser = choice_parser!(Market))]
    pub market: Market,
    /// Product category for the defaults.
    #[arg(long, ignore_case = true, conflicts_with = "scenario", default_value = "beauty", value_parser = choice_parser!(Category))]
    pub category: Category,
    /// Operating model: self_operated or fully_managed.
    #[arg(long, ignore_case = true, conflicts_with = "scenario", default_value = "self_operated", value_parser = choice_parser!(Model))]
    pub model: Model,
    /// Loop type: semi_closed (route direct_mail) or full_closed (route fbt); fully
    /// managed is always full_closed.
    #[arg(long = "loop", ignore_case = true, conflicts_with = "scenario", value_parser = choice_parser!(LoopType))]
    pub loop_type: Option<LoopType>,
    /// Delivery route (implies the loop): direct_mail, overseas_3pl, platform_shipping,
    /// fbt (self-operated; the default) or managed (fully managed, always).
    #[arg(long, ignore_case = true, conflicts_with = "scenario", value_parser = choice_parser!(Route))]
    pub route: Option<Route>,
    /// The date the defaults are for (YYYY-MM-DD): picks the import duty in force
    /// (data/duties.toml). Default: the day the rules were last reviewed.
    #[arg(long = "as-of", conflicts_with = "scenario", value_parser = |s: &str| s.parse::<crate::params::rules::Date>())]
    pub as_of: Option<crate::params::rules::Date>,
    /// Explain one key: every layer that set it (global, market, category, model, route,
    /// dated rules and duties, scenario base, variant, CSV), with its value and source.
    #[arg(long, value_name = "KEY")]
    pub explain: Option<String>,
    /// With a scenario: apply this parameter CSV too (as `run --params`).
    #[arg(long, value_name = "CSV", requires = "scenario")]
    pub params: Option<PathBuf>,
}

/// A clap parser for one of the model's named choices: `--help` lists the values and a
/// wrong one gets clap's suggestion (the core types stay free of clap).
macro_rules! choice_parser {
    ($t:ty) => {
        clap::builder::TypedValueParser::map(
            clap::builder::PossibleValuesParser::new(<$t>::ALL.iter().map(|c| c.name())),
            |s| s.parse::<$t>().expect("a listed value parses"),
        )
    };
}
use choice_parser;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    interrupts::install();
    match cli.command {
        Command::Run(args) => run_studies(args),
        Command::Check { scenarios, params } => check(&scenarios, params.as_deref()),
        Command::Params(args) => params(args),
        Command::Compare(args) => compare_runs(args),
        Command::Bench(args) => bench(args),
        Command::Merge(args) => merge(args),
        Command::Sweep(args) => crate::sweep::command::sweep(args),
        Command::Threshold(args) => crate::threshold::command::threshold(args),
        Command::Sensitivity(args) => crate::sensitivity::command::sensitivity(args),
    }
}

/// What `run` reads: every scenario file and the `--params` CSV.
fn run_inputs(args: &RunArgs, paths: &[PathBuf]) -> Vec<Input> {
    paths
        .iter()
        .map(|p| Input::new(p, "the scenario"))
        .chain(
            args.params
                .iter()
                .map(|p| Input::new(p, "the --params CSV")),
        )
        .collect()
}

/// `shopsim run --shard K/N`: runs the shard's trials of every scenario and writes one
/// part folder each.
fn run_shard(
    args: &RunArgs,
    shard: crate::shard::Shard,
    scenarios: &[Scenario],
    overrides: Option<&Overrides>,
    threads: usize,
    inputs: &[Input],
) -> Result<()> {
    let mut plans = Vec::new();
    for s in scenarios {
        let trials = s.spec().trials();
        let range = shard.trials(trials).ok_or_else(|| {
            InputError::new(format!(
                "--shard {}/{}: study `{}` has {} batches of {} trials ({trials} trials); use at most that many shards",
                shard.index,
                shard.count,
                s.spec().name(),
                trials.div_ceil(sim::study::BATCH_SIZE),
                sim::study::BATCH_SIZE
            ))
        })?;
        let folder = shard.folder_name(s.spec().name());
        plans.push((
            range,
            StagedFolder::create(&args.out, &folder, FolderKind::Shard, args.force, inputs)?,
        ));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting the worker threads")?;
    let method = args.method.method();
    let mut stdout = std::io::stdout().lock();
    for (s, ((first, count), staged)) in scenarios.iter().zip(plans) {
        let start = Instant::now();
        let plan = Simulation {
            first,
            count,
            method,
            target: None,
            trials_into: args.write_trials.then_some(&staged),
        };
        let (results, _) = pool.install(|| simulate(s, &plan, &|_| {}))?;
        check_finite(std::slice::from_ref(s), [&results])?;
        let elapsed = start.elapsed().as_secs_f64();
        let mut record = crate::shard::PartRecord {
            program: "shopsim".to_string(),
            kind: "shard".to_string(),
            format_version: crate::formats::record::FORMAT_VERSION,
            version: env!("CARGO_PKG_VERSION").to_string(),
            study: s.spec().name().to_string(),
            scenario: s.origin().to_string(),
            scenario_text: s.text().to_string(),
            params_csv: overrides.map(|o| o.origin.clone()),
            params_text: overrides.map(|o| o.text.clone()),
            seed: s.spec().seed(),
            trials: s.spec().trials(),
            horizon_days: s.spec().horizon_days(),
            draw_method: args.method.name().to_string(),
            shard: shard.index,
            shards: shard.count,
            first_trial: first,
            trial_count: count,
            variants: s.spec().variants().iter().map(|v| v.name.clone()).collect(),
            elapsed_seconds: elapsed,
            files: std::collections::BTreeMap::new(),
        };
        let data = crate::shard::encode(&results);
        staged.write(crate::shard::PART_DATA, &data)?;
        // What the merge checks the files against. trials.csv is read back a block at a
        // time (it can be GBs).
        record.files.insert(
            crate::shard::PART_DATA.to_string(),
            crate::shard::digest_bytes(&data),
        );
        if args.write_trials {
            let trials = crate::shard::PART_TRIALS;
            let digest = crate::shard::digest_reader(staged.open_file(trials)?)
                .with_context(|| format!("reading back {trials}"))?;
            record.files.insert(trials.to_string(), digest);
        }
        let json = serde_json::to_string_pretty(&record).context("writing part.json")?;
        // The marker goes last: its presence marks a complete part.
        staged.write(output::SHARD_MARKER, json.as_bytes())?;
        let dir = staged.commit()?;
        write_out(
            &mut stdout,
            &format!(
                "{}: shard {} of {}: trials {}..{} of {} in {elapsed:.2} s → {}\n",
                s.spec().name(),
                shard.index,
                shard.count,
                first,
                first + count,
                s.spec().trials(),
                crate::error::printable_path(&dir)
            ),
        )?;
    }
    Ok(())
}

/// What [`simulate`] runs.
struct Simulation<'a> {
    /// First trial (a multiple of the batch size).
    first: u64,
    /// Trials to run (with a precision target: at most this many, from trial 0).
    count: u64,
    method: DrawMethod,
    target: Option<&'a crate::precision::Target>,
    /// Write `trials.csv` into this folder as the trials come.
    trials_into: Option<&'a StagedFolder>,
}

/// Runs one study's trials (a fixed number, or rounds until a precision target) into
/// its accumulators, writing `trials.csv` as they come when asked.
fn simulate(
    s: &Scenario,
    plan: &Simulation<'_>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(stats::StudyAccumulator, Option<PrecisionRecord>)> {
    let pairs = stats::analysis::table_pairs(s.spec().variants().len(), s.baseline());
    let mut writer = match plan.trials_into {
        Some(folder) => {
            let (path, file) = folder.create_file("trials.csv")?;
            let out = std::io::BufWriter::with_capacity(1 << 20, file);
            Some(output::tables::TrialsCsv::new(
                s,
                out,
                &path.display().to_string(),
            )?)
        }
        None => None,
    };
    let mut write = |first: u64, outputs: &[Vec<sim::Outputs>]| -> Result<()> {
        match writer.as_mut() {
            Some(w) => w.write_batch(first, outputs),
            None => Ok(()),
        }
    };
    let rows: Option<sim::study::Rows<'_, anyhow::Error>> =
        plan.trials_into.is_some().then_some(&mut write);
    let outcome = match plan.target {
        None => (
            stats::StudyAccumulator::run(
                s.spec(),
                plan.first,
                plan.count,
                plan.method,
                &pairs,
                progress,
                rows,
            )?,
            None,
        ),
        Some(t) => {
            let (r, record) =
                crate::precision::run_until(s.spec(), plan.method, &pairs, t, progress, rows)?;
            (r, Some(record))
        }
    };
    if let Some(w) = writer {
        w.finish()?.flush().context("writing trials.csv")?;
    }
    Ok(outcome)
}

/// Writes the parts' `trials.csv` files, in shard order, as the study's (one header),
/// checking each against its part on the way (see [`crate::shard::Part::copy_trials`]).
fn concatenate_trials(
    staged: &StagedFolder,
    parts: &[(PathBuf, crate::shard::Part)],
) -> Result<()> {
    let (path, file) = staged.create_file("trials.csv")?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let fail = |e: std::io::Error| {
        anyhow::anyhow!("writing '{}': {e}", crate::error::printable_path(&path))
    };
    let mut problems = Vec::new();
    for (index, (_, part)) in parts.iter().enumerate() {
        problems.extend(part.copy_trials(&mut out, index == 0).map_err(fail)?);
    }
    out.flush().map_err(fail)?;
    match InputError::from_problems(problems) {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// `shopsim merge`: the study from every part of it.
fn merge(args: MergeArgs) -> Result<()> {
    let merge_start = Instant::now();
    let mut parts = Vec::new();
    let mut problems = Vec::new();
    for dir in &args.parts {
        match crate::shard::read(dir) {
            Ok(p) => parts.push((dir.clone(), p)),
            Err(e) => problems.extend(e.into_problems()),
        }
    }
    if let Some(e) = InputError::from_problems(problems) {
        return Err(e.into());
    }
    crate::shard::check_complete(&mut parts)?;
    let record = parts[0].1.record.clone();
    let overrides = match (&record.params_text, &record.params_csv) {
        (Some(text), Some(origin)) => Some(Overrides::parse(text, origin)?),
        _ => None,
    };
    let mut scenario =
        scenario::parse(&record.scenario_text, &record.scenario, overrides.as_ref())?;
    scenario.override_run(Some(record.trials), Some(record.seed))?;
    let names: Vec<String> = scenario
        .spec()
        .variants()
        .iter()
        .map(|v| v.name.clone())
        .collect();
    let spec = scenario.spec();
    crate::shard::check_study(&parts, spec.name(), spec.horizon_days(), &names)?;
    let pairs = stats::analysis::table_pairs(names.len(), scenario.baseline());
    let with_trials = parts.iter().filter(|(_, p)| p.trials_csv.is_some()).count();
    if with_trials != 0 && with_trials != parts.len() {
        return Err(InputError::new(
            "some parts were run with --write-trials and some without: trials.csv would be incomplete; run the shards the same way".to_string(),
        )
        .into());
    }
    let parts_read: Vec<Input> = args
        .parts
        .iter()
        .map(|p| Input::new(p, "the part"))
        .collect();
    // Never inside a part, nor over one (not even --force may delete an input): checked
    // before the parts' data are read.
    crate::output::inputs::refuse_replacing_inputs(
        &args.out.join(scenario.spec().name()),
        &parts_read,
    )?;
    // One part's accumulators at a time, added to the total (the merge is exact and does
    // not depend on order); every part's problems are reported together.
    let mut results =
        stats::StudyAccumulator::new(names.len(), scenario.spec().horizon_days(), &pairs);
    let mut elapsed = 0.0;
    let mut problems = Vec::new();
    for (_, part) in &parts {
        match part.accumulators(&pairs) {
            Ok(acc) => results.merge(&acc),
            Err(e) => problems.extend(e.into_problems()),
        }
        elapsed += part.record.elapsed_seconds;
    }
    if let Some(e) = InputError::from_problems(problems) {
        return Err(e.into());
    }
    let staged = StagedFolder::create(
        &args.out,
        scenario.spec().name(),
        FolderKind::Study,
        args.force,
        &parts_read,
    )?;
    if with_trials == parts.len() {
        concatenate_trials(&staged, &parts)?;
    }
    check_finite(std::slice::from_ref(&scenario), [&results])?;
    let elapsed = &elapsed;
    let results = &results;
    let method = if record.draw_method == "per-bin" {
        "per-bin"
    } else {
        "per-day"
    };
    let facts = RunFacts {
        threads: 1,
        elapsed_seconds: *elapsed,
        draw_method: method,
        params_csv: record.params_csv.as_deref(),
        precision: None,
        merged_parts: Some(parts.len()),
    };
    let options = WriteOptions {
        charts: (!args.no_charts).then(|| args.chart_format.format()),
    };
    let analysis = stats::analyze(scenario.spec(), results, scenario.baseline());
    let dir = output::write_study(staged, &scenario, results, &analysis, &facts, options)?;
    let mut stdout = std::io::stdout().lock();
    // The time printed is the merge's; the shards' simulation time is said apart.
    let shards = format!(
        "merged from {} parts, which simulated for {elapsed:.2} s in all",
        parts.len()
    );
    // As after a run: a note when the merged trials are far from `--precision 0.01`.
    let reached = crate::precision::reached(
        results,
        &stats::analysis::table_pairs(scenario.spec().variants().len(), scenario.baseline()),
    );
    let last = match crate::precision::line(None, &reached) {
        Some(note) => format!("{shards}\n  {note}"),
        None => shards,
    };
    let merged_in = merge_start.elapsed().as_secs_f64();
    print_result(
        &mut stdout,
        &scenario,
        &analysis,
        &dir,
        merged_in,
        Some(&last),
    )
}

fn bench(args: BenchArgs) -> Result<()> {
    let threads = match args.threads {
        Some(t) => t as usize,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let options = crate::bench::BenchOptions {
        trials: args.trials,
        threads,
        single_thread_too: true,
        study_only: args.study_only,
    };
    let quiet = args.json || !std::io::stderr().is_terminal();
    let report = crate::bench::run(options, &|what| {
        if !quiet {
            eprintln!("measuring: {what}");
        }
    })?;
    let text = if args.json {
        serde_json::to_string_pretty(&report).context("writing the figures as JSON")? + "\n"
    } else {
        crate::bench::text(&report)
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .context("writing to standard output")?;
    Ok(())
}

/// Expands folders into their `*.toml` files (sorted) and checks that paths exist.
pub(crate) fn scenario_paths(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries: Vec<PathBuf> = std::fs::read_dir(input)
                .map_err(|e| {
                    InputError::new(format!(
                        "cannot read folder '{}': {e}",
                        crate::error::printable_path(input)
                    ))
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            let (mut files, mut skipped): (Vec<PathBuf>, Vec<PathBuf>) = entries
                .into_iter()
                .partition(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"));
            files.sort();
            skipped.sort();
            // Hidden files (editor back-ups, .DS_Store) are skipped without a word.
            skipped.retain(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            });
            if !skipped.is_empty() {
                let names: Vec<String> = skipped
                    .iter()
                    .map(|p| {
                        let name = p
                            .file_name()
                            .map_or(String::new(), |n| printable(&n.to_string_lossy()));
                        if p.is_dir() {
                            format!("{name}/")
                        } else {
                            name
                        }
                    })
                    .collect();
                eprintln!(
                    "note: {}: skipped {} (only *.toml files are read; sub-folders are not searched)",
                    crate::error::printable_path(input),
                    names.join(", ")
                );
            }
            if files.is_empty() {
                return Err(InputError::new(format!(
                    "folder '{}' holds no scenario files (*.toml)",
                    crate::error::printable_path(input)
                )));
            }
            out.extend(files);
        } else if input.exists() {
            out.push(input.clone());
        } else {
            return Err(InputError::new(format!(
                "scenario file '{}' does not exist",
                crate::error::printable_path(input)
            )));
        }
    }
    Ok(out)
}

/// Loads every scenario, reporting the problems of all files together.
pub(crate) fn load_all(
    paths: &[PathBuf],
    overrides: Option<&Overrides>,
) -> Result<Vec<Scenario>, InputError> {
    let mut scenarios = Vec::new();
    let mut problems = Vec::new();
    if paths.is_empty() {
        scenarios.push(scenario::parse(
            scenario::BUILT_IN,
            scenario::BUILT_IN_NAME,
            overrides,
        )?);
    }
    for path in paths {
        match scenario::load_file(path, overrides) {
            Ok(s) => scenarios.push(s),
            Err(e) => problems.extend(e.into_problems()),
        }
    }
    if let Some(o) = overrides {
        for name in o.variant_names() {
            let known = scenarios
                .iter()
                .any(|s| s.spec().variants().iter().any(|v| v.name == name));
            if !known && problems.is_empty() {
                let all: Vec<&str> = scenarios
                    .iter()
                    .flat_map(|s| s.spec().variants().iter().map(|v| v.name.as_str()))
                    .collect();
                // Every name of `variant_names` is on a row (or a correlation row).
                let line = o.variant_line(name).unwrap_or_default();
                problems.push(
                    Problem::new(
                        Kind::Conflict,
                        o.origin.clone(),
                        format!(
                            "column 'variant': no study has a variant named `{}`{}; variants: {}",
                            printable(name),
                            crate::suggest::hint(name, all.iter().copied()),
                            all.join(", ")
                        ),
                    )
                    .at_line(line as usize)
                    .with_key("variant"),
                );
            }
        }
    }
    for (i, s) in scenarios.iter().enumerate() {
        if let Some(other) = scenarios[..i]
            .iter()
            .find(|o| o.spec().name() == s.spec().name())
        {
            problems.push(Problem::general(
                Kind::Conflict,
                format!(
                    "{} and {} both name their study `{}`; they would write the same output folder",
                    other.origin(),
                    s.origin(),
                    s.spec().name()
                ),
            ));
        }
    }
    match InputError::from_problems(problems) {
        Some(e) => Err(e),
        None => Ok(scenarios),
    }
}

pub(crate) fn load_overrides(path: Option<&Path>) -> Result<Option<Overrides>, InputError> {
    path.map(Overrides::from_file).transpose()
}

pub(crate) fn warn(scenarios: &[Scenario]) {
    for s in scenarios {
        for w in s.warnings() {
            eprintln!("warning: {w}");
        }
    }
}

fn run_studies(args: RunArgs) -> Result<()> {
    let overrides = load_overrides(args.params.as_deref())?;
    let paths = scenario_paths(&args.scenarios)?;
    let mut scenarios = load_all(&paths, overrides.as_ref())?;
    let target = args.precision_target();
    // A precision run may take up to --max-trials: size it for that.
    let trials = target.map(|t| t.max_trials).or(args.trials);
    for s in &mut scenarios {
        s.override_run(trials, args.seed)?;
    }
    warn(&scenarios);
    for note in scenarios
        .iter()
        .filter_map(crate::output::tables::pairs_note)
    {
        eprintln!("note: {note}");
    }
    let threads = match args.threads {
        Some(t) => t as usize,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    check_sizes(&scenarios, args.write_trials, threads)?;

    if let Some(shard) = args.shard {
        let inputs = run_inputs(&args, &paths);
        return run_shard(
            &args,
            shard,
            &scenarios,
            overrides.as_ref(),
            threads,
            &inputs,
        );
    }
    // Claim the output folders before simulating: an unwritable folder fails at once.
    let inputs = run_inputs(&args, &paths);
    let staged: Vec<StagedFolder> = scenarios
        .iter()
        .map(|s| {
            StagedFolder::create(
                &args.out,
                s.spec().name(),
                FolderKind::Study,
                args.force,
                &inputs,
            )
        })
        .collect::<Result<_>>()?;

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting the worker threads")?;

    let total: u64 = scenarios.iter().map(|s| s.spec().trials()).sum();
    let bar = progress_bar(total);
    let done = AtomicU64::new(0);
    let tick = |n: u64| {
        let now = done.fetch_add(n, Ordering::Relaxed) + n;
        bar.set_position(now);
    };
    let method = args.method.method();
    // One study after another, each on every thread.
    let mut runs: Vec<(stats::StudyAccumulator, f64)> = Vec::new();
    let mut records: Vec<Option<PrecisionRecord>> = Vec::new();
    for (s, folder) in scenarios.iter_mut().zip(&staged) {
        let start = Instant::now();
        let plan = Simulation {
            first: 0,
            count: s.spec().trials(),
            method,
            target: target.as_ref(),
            trials_into: args.write_trials.then_some(folder),
        };
        let (r, record) = pool.install(|| simulate(s, &plan, &tick))?;
        if let Some(rec) = &record {
            // The study is what ran: as many trials as the rounds took.
            s.override_run(Some(rec.reached.trials), None)?;
        }
        runs.push((r, start.elapsed().as_secs_f64()));
        records.push(record);
    }
    bar.finish_and_clear();
    check_finite(&scenarios, runs.iter().map(|(r, _)| r))?;

    let params_csv = args.params.as_ref().map(|p| p.display().to_string());
    let mut stdout = std::io::stdout().lock();
    for (((scenario, (results, elapsed)), folder), record) in
        scenarios.iter().zip(&runs).zip(staged).zip(&records)
    {
        let facts = RunFacts {
            threads,
            elapsed_seconds: *elapsed,
            draw_method: args.method.name(),
            params_csv: params_csv.as_deref(),
            precision: record.as_ref(),
            merged_parts: None,
        };
        let options = WriteOptions {
            charts: (!args.no_charts).then(|| args.chart_format.format()),
        };
        let analysis = stats::analyze(scenario.spec(), results, scenario.baseline());
        let dir = output::write_study(folder, scenario, results, &analysis, &facts, options)?;
        let reached = match record {
            Some(r) => r.reached.clone(),
            None => crate::precision::reached(
                results,
                &stats::analysis::table_pairs(
                    scenario.spec().variants().len(),
                    scenario.baseline(),
                ),
            ),
        };
        let precision_line = crate::precision::line(record.as_ref(), &reached);
        print_result(
            &mut stdout,
            scenario,
            &analysis,
            &dir,
            *elapsed,
            precision_line.as_deref(),
        )?;
    }
    Ok(())
}

/// Refuses studies that cannot fit in memory (exit 2, before anything is written) and
/// warns about long ones.
pub(crate) fn check_sizes(
    scenarios: &[Scenario],
    write_trials: bool,
    threads: usize,
) -> Result<(), InputError> {
    let memory = crate::sizing::machine_memory();
    let problems: Vec<Problem> = scenarios
        .iter()
        .filter_map(|s| {
            crate::sizing::check_fits(s.spec(), threads, write_trials, memory, s.origin()).err()
        })
        .flat_map(InputError::into_problems)
        .collect();
    if let Some(e) = InputError::from_problems(problems) {
        return Err(e);
    }
    let specs: Vec<&sim::StudySpec> = scenarios.iter().map(|s| s.spec()).collect();
    crate::sizing::check_fits_together(&specs, threads, write_trials, memory)?;
    for s in scenarios {
        if let Some(w) = crate::sizing::slow_warning(s.spec(), threads) {
            eprintln!("warning: {w}");
        }
    }
    Ok(())
}

/// A non-finite output is an error naming the variant and metric, never a table cell.
pub(crate) fn check_finite<'a>(
    scenarios: &[Scenario],
    runs: impl IntoIterator<Item = &'a stats::StudyAccumulator>,
) -> Result<(), InputError> {
    check_non_finite(scenarios, runs.into_iter().map(|r| r.non_finite.as_ref()))
}

/// [`check_finite`] from each study's first non-finite value, if any.
pub(crate) fn check_non_finite<'a>(
    scenarios: &[Scenario],
    found: impl IntoIterator<Item = Option<&'a stats::accumulate::NonFiniteAt>>,
) -> Result<(), InputError> {
    let problems: Vec<Problem> = scenarios
        .iter()
        .zip(found)
        .filter_map(|(s, bad)| {
            let bad = bad?;
            Some(Problem::new(
                Kind::OutOfRange,
                s.origin(),
                format!(
                    "study `{}`: {}; nothing was written",
                    s.spec().name(),
                    bad.describe(&s.spec().variants()[bad.variant].name)
                ),
            ))
        })
        .collect();
    match InputError::from_problems(problems) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

pub(crate) fn progress_bar(total: u64) -> ProgressBar {
    counting_bar(total, "trials")
}

/// A progress bar on standard error (hidden when it is not a terminal) counting `unit`.
pub(crate) fn counting_bar(total: u64, unit: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(&format!(
        "{{spinner}} {{bar:40}} {{pos}}/{{len}} {unit} ({{eta}} left)"
    )) {
        bar.set_style(style);
    }
    bar
}

/// A short verdict on the terminal, then `last_line` (a precision note, what a merge put
/// together); the files hold the rest.
fn print_result(
    out: &mut impl Write,
    scenario: &Scenario,
    analysis: &stats::StudyAnalysis,
    dir: &Path,
    elapsed: f64,
    last_line: Option<&str>,
) -> Result<()> {
    let spec = scenario.spec();
    let mut text = format!(
        "{}: {} trials × {} variants × {} days in {:.2} s → {}\n",
        spec.name(),
        spec.trials(),
        spec.variants().len(),
        spec.horizon_days(),
        elapsed,
        crate::error::printable_path(dir)
    );
    text.push_str(&format!(
        "  {:<24} {:>26} {:>8} {:>12}\n",
        format!("variant"),
        format!("mean profit ({}) [95% CI]", scenario.currency()),
        "P(loss)",
        "margin p50"
    ));
    for a in analysis.variants.iter().take(VERDICT_ROWS) {
        let Some(p) = a.summary(Metric::Profit) else {
            continue;
        };
        let margin = a
            .summary(Metric::Margin)
            .map_or("n/a".to_string(), |m| format!("{:.1}%", 100.0 * m.p50));
        text.push_str(&format!(
            "  {:<24} {:>10.0} [{:>6}, {:>6}] {:>7.1}% {:>12}\n",
            a.name,
            p.mean.point,
            whole_or_na(p.mean.ci_low),
            whole_or_na(p.mean.ci_high),
            100.0 * a.p_loss.p,
            margin
        ));
    }
    if spec.variants().len() > VERDICT_ROWS {
        text.push_str(&format!(
            "  … and {} more variants (summary.csv and report.html have them all)\n",
            spec.variants().len() - VERDICT_ROWS
        ));
    }
    let verdict = output::verdict::verdict(scenario, analysis);
    text.push_str(&format!("  {}\n", verdict.headline));
    if let Some(why) = &verdict.drivers {
        text.push_str(&format!("  {why}\n"));
    }
    for c in &verdict.caveats {
        text.push_str(&format!("  caveat: {c}\n"));
    }
    if let Some(line) = last_line {
        text.push_str(&format!("  {line}\n"));
    }
    write_out(out, &text)
}

/// Variants listed in the terminal verdict; the files hold every one.
const VERDICT_ROWS: usize = 30;

/// Writes to stdout; a closed pipe (`shopsim params | head`) is not an error.
/// Whether standard output was closed when the program started (`>&-`). The Rust
/// runtime then puts /dev/null, opened for reading and writing, in its place, so writes
/// succeed into nothing; a shell's `> /dev/null` opens it for writing only, which stays
/// allowed. Read from /proc (Linux); elsewhere `false`.
fn stdout_was_closed() -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        let null = |m: &std::fs::Metadata| m.file_type().is_char_device();
        let is_null = match (
            std::fs::metadata("/proc/self/fd/1"),
            std::fs::metadata("/dev/null"),
        ) {
            (Ok(out), Ok(dev_null)) => null(&out) && out.rdev() == dev_null.rdev(),
            _ => false,
        };
        // `flags:` in fdinfo is octal; the access mode is its low two bits (2: O_RDWR).
        is_null
            && std::fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| {
                info.lines()
                    .find_map(|l| l.strip_prefix("flags:"))
                    .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
                    .is_some_and(|flags| flags & 0o3 == 0o2)
            })
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

pub(crate) fn write_out(out: &mut impl Write, text: &str) -> Result<()> {
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => other.context("writing to standard output"),
    }
}

fn check(inputs: &[PathBuf], params: Option<&Path>) -> Result<()> {
    let overrides = load_overrides(params)?;
    let paths = scenario_paths(inputs)?;
    let scenarios = load_all(&paths, overrides.as_ref())?;
    warn(&scenarios);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    check_sizes(&scenarios, false, threads)?;
    let mut text = String::new();
    for s in &scenarios {
        text.push_str(&format!(
            "ok: {} (study `{}`: {} variants, {} event{}, {} trials × {} days)\n",
            s.origin(),
            s.spec().name(),
            s.spec().variants().len(),
            s.spec().events().len(),
            if s.spec().events().len() == 1 {
                ""
            } else {
                "s"
            },
            s.spec().trials(),
            s.spec().horizon_days()
        ));
    }
    write_out(&mut std::io::stdout().lock(), &text)
}

fn params(args: ParamsArgs) -> Result<()> {
    // Its product is standard output: with none, say so rather than export into nothing.
    if stdout_was_closed() {
        return Err(InputError::one(Problem::general(
            Kind::Conflict,
            "standard output is closed (`>&-`): `params` writes the catalog there; redirect it to a file instead (`shopsim params > catalog.csv`)",
        ))
        .into());
    }
    let explain = args
        .explain
        .as_deref()
        .map(|key| {
            crate::params::P::from_key(key).ok_or_else(|| {
                let message = if key.starts_with(crate::scenario::event_keys::PREFIX) {
                    format!(
                        "--explain: `{}` is an event's number, not a catalog parameter: it is set in the scenario's [[events]] table or by a --params row, and `run.json` lists each event's values with `set_by`",
                        printable(key)
                    )
                } else {
                    format!(
                        "--explain: unknown parameter `{}`{}",
                        printable(key),
                        crate::suggest::hint(key, crate::params::catalog::keys())
                    )
                };
                InputError::one(Problem::general(Kind::UnknownKey, message))
            })
        })
        .transpose()?;
    let overrides = load_overrides(args.params.as_deref())?;
    let bytes = match &args.scenario {
        Some(path) => {
            let paths = scenario_paths(std::slice::from_ref(path))?;
            let scenarios = load_all(&paths, overrides.as_ref())?;
            warn(&scenarios);
            if let Some(p) = explain {
                let blocks: Vec<(String, &Resolved)> = scenarios
                    .iter()
                    .flat_map(|s| s.spec().variants().iter())
                    .map(|v| {
                        (
                            format!(
                                "variant `{}` ({}, {}, {}, {})",
                                v.name,
                                v.setting.market.name(),
                                v.setting.category.name(),
                                v.setting.model.name(),
                                v.setting.route.name()
                            ),
                            &v.params,
                        )
                    })
                    .collect();
                return write_out(&mut std::io::stdout().lock(), &explanation(p, &blocks));
            }
            let blocks: Vec<CatalogBlock<'_>> = scenarios
                .iter()
                .flat_map(|s| s.spec().variants().iter())
                .map(|v| CatalogBlock {
                    variant: Some(&v.name),
                    params: &v.params,
                })
                .collect();
            // One scenario's events, for the round trip; from a folder of several, whose
            // events may share names, none.
            let events = match scenarios.as_slice() {
                [one] => one.spec().events(),
                _ => &[],
            };
            catalog_csv(&blocks, events)
        }
        None => {
            if !crate::params::choices::offered(args.model, args.market) {
                eprintln!(
                    "warning: {}; these are the defaults it would have",
                    crate::params::choices::not_offered(args.model, args.market)
                );
            }
            let route =
                crate::params::choices::resolve_route(args.model, args.route, args.loop_type)
                    .map_err(|(key, why)| InputError::new(format!("--{key}: {why}")))?
                    .unwrap_or(Route::Fbt);
            let setting = Setting {
                market: args.market,
                category: args.category,
                model: args.model,
                route,
            };
            let as_of = args.as_of.unwrap_or(crate::params::rules::DEFAULT_AS_OF);
            if let Some(message) = crate::params::duties::missing_duty(&setting, as_of) {
                eprintln!("warning: {message}");
            }
            for rule in crate::params::rules::applying(&setting, as_of) {
                eprintln!("warning: {}", rule.warning());
            }
            let params = Resolved::defaults(setting, as_of);
            if let Some(p) = explain {
                let what = format!(
                    "defaults for {}, {}, {}, {} on {as_of}",
                    setting.market.name(),
                    setting.category.name(),
                    setting.model.name(),
                    setting.route.name()
                );
                return write_out(
                    &mut std::io::stdout().lock(),
                    &explanation(p, &[(what, &params)]),
                );
            }
            catalog_csv(
                &[CatalogBlock {
                    variant: None,
                    params: &params,
                }],
                &[],
            )
        }
    };
    write_out(
        &mut std::io::stdout().lock(),
        &String::from_utf8_lossy(&bytes?),
    )
}

/// `params --explain`: every layer that set `p`, per block of parameters, in order.
fn explanation(p: crate::params::P, blocks: &[(String, &Resolved)]) -> String {
    let spec = p.spec();
    let mut out = format!(
        "{} ({}; valid {} to {}): {}\n",
        spec.key, spec.unit, spec.min, spec.max, spec.description
    );
    for (what, params) in blocks {
        out.push_str(&format!("{what}:\n"));
        let history = params.history(p);
        let width = history
            .iter()
            .map(|e| e.dist.to_string().chars().count())
            .max()
            .unwrap_or(1);
        for (i, e) in history.iter().enumerate() {
            let mark = if i + 1 == history.len() { "=" } else { " " };
            out.push_str(&format!(
                "  {mark} {:<20} {:<width$}  {}\n",
                format!("[{}]", e.layer.name()),
                e.dist.to_string(),
                e.source
            ));
        }
    }
    out.push_str("(`=` marks the final value: each layer replaces the one above it)\n");
    out
}

fn compare_runs(args: CompareArgs) -> Result<()> {
    let runs = args
        .runs
        .iter()
        .map(|d| crate::compare::load::load_run(d, &args.metric))
        .collect::<Result<Vec<_>, InputError>>()?;
    let comparison = crate::compare::compare(runs, &args.metric)?;
    for note in &comparison.notes {
        eprintln!("note: {note}");
    }
    let (parent, name) = match (args.out.parent(), args.out.file_name()) {
        (Some(p), Some(n)) => (p.to_path_buf(), n.to_string_lossy().into_owned()),
        _ => {
            return Err(InputError::new(format!(
                "--out '{}' must name a folder to create",
                crate::error::printable_path(&args.out)
            ))
            .into())
        }
    };
    let parent = if parent.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        parent
    };
    let compared: Vec<Input> = args
        .runs
        .iter()
        .map(|r| Input::new(r, "the compared folder"))
        .collect();
    let staged = StagedFolder::create(
        &parent,
        &name,
        FolderKind::Comparison,
        args.force,
        &compared,
    )?;
    let dir = output::write_comparison(staged, &comparison, args.chart_format.format())?;
    let mut text = format!(
        "compared {} runs on `{}` ({} variants matched) → {}\n",
        comparison.runs.len(),
        comparison.metric,
        comparison.matched.len(),
        crate::error::printable_path(&dir)
    );
    for d in &comparison.diffs {
        text.push_str(&format!(
            "  {:<24} run {} − run {}: {:>10} [{}, {}] ({})\n",
            d.variant,
            d.run_b + 1,
            d.run_a + 1,
            output::format::fixed_or_na(d.diff.point, 2),
            output::format::fixed_or_na(d.diff.ci_low, 2),
            output::format::fixed_or_na(d.diff.ci_high, 2),
            d.method.name()
        ));
    }
    write_out(&mut std::io::stdout().lock(), &text)
}
