//! The command line's argument types (clap) and the parsers of their values: what each
//! command takes, checked as far as a flag alone can be. The work is in `commands`.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};

use crate::error::printable;
use crate::output::charts::ChartFormat;
use crate::params::{Category, Freight, LoopType, Market, Model, Origin, Route, Team};
use crate::sim::{self, DrawMethod};

/// Monte Carlo simulator: which way of selling on TikTok Shop pays off.
#[derive(Debug, Parser)]
#[command(name = "shopsim", version = crate::VERSION_AND_BUILD, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// How much the terminal is told, and in colour or not (every command).
    #[command(flatten)]
    pub terminal: TerminalArgs,
}

/// The flags every command takes: how much it prints, and in colour or not.
#[derive(Debug, clap::Args)]
pub struct TerminalArgs {
    /// Print nothing but warnings and errors: no progress bar, no notes, no summary of
    /// what was written (the files, the exit code and what a command prints as its
    /// product — `params`' CSV, `bench`'s figures, a completion script — are unchanged).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more, on standard error: how long each step took, the seed and threads of
    /// each study, and the path of every file written.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Colour on the terminal: auto (when the stream is a terminal and NO_COLOR is not
    /// set to a non-empty value), always, or never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour when the stream is a terminal and NO_COLOR is unset or empty.
    Auto,
    /// Colour always, even into a pipe or a file, and whatever NO_COLOR says.
    Always,
    /// No colour.
    Never,
}

/// The `--color` of a command line before clap parses it, so that help and clap's own
/// messages honour it too (the last one wins, as clap would take it; nothing after `--`).
pub fn color_before_parsing<I, T>(args: I) -> Option<ColorArg>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString>,
{
    let mut found = None;
    let mut args = args.into_iter().map(Into::into);
    while let Some(arg) = args.next() {
        let Some(arg) = arg.to_str().map(str::to_string) else {
            continue;
        };
        let value = if arg == "--" {
            break;
        } else if arg == "--color" {
            args.next().and_then(|v| v.to_str().map(str::to_string))
        } else if let Some(v) = arg.strip_prefix("--color=") {
            Some(v.to_string())
        } else {
            continue;
        };
        if let Some(choice) = value.and_then(|v| ColorArg::from_str(&v, false).ok()) {
            found = Some(choice);
        }
    }
    found
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate scenario files (or the built-in US beauty study) and write the results.
    #[command(after_long_help = examples::RUN)]
    Run(RunArgs),
    /// Validate scenario files without simulating.
    #[command(after_long_help = examples::CHECK)]
    Check {
        /// Scenario files or folders of them (`-`: the scenario on standard input).
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
        /// Also validate against this parameter CSV.
        #[arg(long, value_name = "CSV")]
        params: Option<PathBuf>,
    },
    /// Print the resolved parameter catalog as CSV (edit it, pass it back with --params).
    #[command(after_long_help = examples::PARAMS)]
    Params(ParamsArgs),
    /// Compare studies written earlier: the same variants across runs, side by side.
    #[command(after_long_help = examples::COMPARE)]
    Compare(CompareArgs),
    /// Measure the engine on this machine: trial-days per second (simulation alone and
    /// end to end) and their share of the exact-draw floor on the same threads, the
    /// speed-up over one thread, the cost at order volumes of 100 to 100,000 a day, and
    /// peak memory. Writes nothing but a scratch folder it removes.
    #[command(after_long_help = examples::BENCH)]
    Bench(BenchArgs),
    /// Merge the part folders of `shopsim run --shard K/N` into the study one run would
    /// have written (the same tables, byte for byte).
    #[command(after_long_help = examples::MERGE)]
    Merge(MergeArgs),
    /// Run a scenario at many points of its parameters (a grid CSV, or ranges), every
    /// point on the same seeds, and chart how the answer moves.
    #[command(after_long_help = examples::SWEEP)]
    Sweep(SweepArgs),
    /// Find the value of a parameter at which variant A starts to beat variant B with a
    /// given probability (paired trials on the same seeds, with a Monte Carlo interval).
    #[command(after_long_help = examples::THRESHOLD)]
    Threshold(ThresholdArgs),
    /// What drives the result: rank correlations of every uncertain input with an output,
    /// one-at-a-time swings of every input on the same seeds (tornado), a spider of the
    /// top inputs, and Sobol indices; for each variant, or for the difference of two.
    #[command(after_long_help = examples::SENSITIVITY)]
    Sensitivity(SensitivityArgs),
    /// Calibrate from your shop's own Seller Center order export (CSV or XLSX): daily
    /// orders, handling and transit times by route, cancellations, returns and prices,
    /// each with a 95% interval; writes a parameter CSV for `--params` and `fit.json`.
    ///
    /// `shopsim fit orders.csv --name myshop` writes `output/myshop-fit/`.
    #[command(after_long_help = examples::FIT)]
    Fit(FitArgs),
    /// Write the built-in study (US beauty over Black Friday, the four ways of selling)
    /// as a scenario file to start from: scenarios/NAME.toml, its `name` set to NAME.
    #[command(after_long_help = examples::INIT)]
    Init(InitArgs),
    /// Print a completion script for a shell (to standard output; see the examples for
    /// where each shell reads it).
    #[command(after_long_help = examples::COMPLETIONS)]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Arguments of `shopsim init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The study's name: it names the file (NAME.toml) and, when run, the output folder;
    /// letters, digits, `_`, `-` and `.` (not first).
    #[arg(default_value = "my_shop")]
    pub name: String,
    /// Folder to write NAME.toml into (created if missing).
    #[arg(long, default_value = "scenarios", value_name = "DIR")]
    pub out: PathBuf,
    /// Replace NAME.toml when it exists.
    #[arg(long)]
    pub force: bool,
}

/// The examples at the end of each command's `--help`. Every line that starts with
/// `shopsim` is parsed by a test (`every_help_example_parses`), so none can rot.
pub mod examples {
    /// `shopsim run`.
    pub const RUN: &str = "Examples:
  shopsim run
  shopsim run scenarios/small_seller.toml --trials 20000 --seed 7 --open
  shopsim run scenarios --out results --quiet
  shopsim init my_shop && shopsim run - < scenarios/my_shop.toml";
    /// `shopsim check`.
    pub const CHECK: &str = "Examples:
  shopsim check scenarios/small_seller.toml
  shopsim check scenarios --params p.csv
  shopsim check - < scenarios/large_seller.toml";
    /// `shopsim params`.
    pub const PARAMS: &str = "Examples:
  shopsim params --market uk --category apparel --model fully_managed
  shopsim params scenarios/small_seller.toml > p.csv
  shopsim params scenarios/small_seller.toml --explain price.retail --params p.csv
  shopsim params scenarios/us_tariff_shock.toml --rows";
    /// `shopsim compare`.
    pub const COMPARE: &str = "Examples:
  shopsim compare before/us_beauty_2026_routes after/us_beauty_2026_routes
  shopsim compare before/small_seller after/small_seller --metric margin --out output/margins --open";
    /// `shopsim bench`.
    pub const BENCH: &str = "Examples:
  shopsim bench
  shopsim bench --threads 1 --json
  shopsim bench --study-only --trials 1000000";
    /// `shopsim merge`.
    pub const MERGE: &str = "Examples:
  shopsim run scenarios/small_seller.toml --shard 1/2 --out parts
  shopsim merge parts/small_seller.shard-1-of-2 parts/small_seller.shard-2-of-2 --open";
    /// `shopsim sweep`.
    pub const SWEEP: &str = "Examples:
  shopsim sweep scenarios/us_tariff_shock.toml --range tax.duty_surcharge_rate=0:0.3:7
  shopsim sweep scenarios/small_seller.toml --grid grid.csv --metric margin
  shopsim sweep --range event.black_friday_peak.demand_multiplier=1:5:5 --variant managed";
    /// `shopsim threshold`.
    pub const THRESHOLD: &str = "Examples:
  shopsim threshold scenarios/us_tariff_shock.toml --param logistics.cost_per_order --on fbt_301 --between 3 20 --a labels_301 --b fbt_301
  shopsim threshold --param price.retail --between 10 150 --a self_fbt --b managed --prob 0.8";
    /// `shopsim sensitivity`.
    pub const SENSITIVITY: &str = "Examples:
  shopsim sensitivity --trials 1000
  shopsim sensitivity scenarios/us_tariff_shock.toml --a labels_301 --b fbt_301
  shopsim sensitivity scenarios/small_seller.toml --swing price.retail=15..30 --sobol 0";
    /// `shopsim fit`.
    pub const FIT: &str = "Examples:
  shopsim fit orders.csv --name myshop
  shopsim fit examples/synthetic-shop/orders.csv --returns examples/synthetic-shop/returns.csv --scenario scenarios/us_beauty_2026_routes.toml --name synthetic_shop
  shopsim fit orders.xlsx --route platform_shipping --date-format dd/mm/yyyy";
    /// `shopsim init`.
    pub const INIT: &str = "Examples:
  shopsim init
  shopsim init uk_shop && shopsim run scenarios/uk_shop.toml
  shopsim init trial --out drafts --force";
    /// `shopsim completions`.
    pub const COMPLETIONS: &str = "Examples:
  shopsim completions bash > ~/.local/share/bash-completion/completions/shopsim
  shopsim completions zsh > ~/.zfunc/_shopsim
  shopsim completions fish > ~/.config/fish/completions/shopsim.fish
  shopsim completions powershell >> $PROFILE";
}

/// Arguments of `shopsim fit`.
#[derive(Debug, clap::Args)]
pub struct FitArgs {
    /// The order export ("All orders": Orders › Export in Seller Center), CSV or XLSX.
    pub orders: PathBuf,
    /// The returns export (Returns › Export): its return reasons give the share of
    /// returns at the seller's fault.
    #[arg(long, value_name = "FILE")]
    pub returns: Option<PathBuf>,
    /// The settlement statement (Finance › Statements › Export, CSV or XLSX): referral,
    /// transaction and affiliate fee rates, the FBT fee per order and the days from
    /// delivery to settlement.
    #[arg(long, value_name = "FILE")]
    pub settlement: Option<PathBuf>,
    /// A scenario: the values land on each of its variants' final parameters (demand
    /// through its accounts, lives, ads and route; delivery times on the variants of the
    /// export's route), and `<name>-fit/scenario.toml` is a copy of it using them.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// The model's route for the export's main route when its columns do not say
    /// (Fulfilled by TikTok is recognised; seller-shipped orders may be direct_mail,
    /// overseas_3pl or platform_shipping).
    #[arg(long, ignore_case = true, value_parser = choice_parser!(Route))]
    pub route: Option<Route>,
    /// Market of the catalog the values land on, without --scenario.
    #[arg(long, ignore_case = true, conflicts_with = "scenario", default_value = "us", value_parser = choice_parser!(Market))]
    pub market: Market,
    /// Product category of the catalog the values land on, without --scenario.
    #[arg(long, ignore_case = true, conflicts_with = "scenario", default_value = "beauty", value_parser = choice_parser!(Category))]
    pub category: Category,
    /// The fit's name: its results go to `<out>/<name>-fit/`.
    #[arg(long, default_value = "shop", value_name = "NAME")]
    pub name: String,
    /// Day and month order of the export's dates when the file cannot tell (no day above
    /// 12): mm/dd/yyyy (US exports) or dd/mm/yyyy.
    #[arg(long, value_name = "FORMAT")]
    pub date_format: Option<crate::fit::read::cells::DateOrder>,
    /// Promised delivery in days from payment, for the on-time rate and days late;
    /// default: logistics.promise_days of the export's route (the scenario's variant on
    /// it, or the catalog's: 8 for Fulfilled by TikTok, 12 for platform shipping labels).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=120))]
    pub promise_days: Option<u32>,
    /// Dispatch deadline in business days after payment, for the late-dispatch rate
    /// (DOMAIN: orders in transit within 2 business days).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=30))]
    pub dispatch_days: u32,
    /// Days after delivery a buyer can still ask for a return: only orders delivered
    /// longer ago enter the return rates (DOMAIN: US return label free within 30 days).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(0..=365))]
    pub return_window_days: u32,
    /// Seed of the bootstrap intervals.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Folder the results folder is written in.
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Replace the results folder even if it does not look like an earlier fit.
    #[arg(long)]
    pub force: bool,
    /// When the folder is written, open its report.html with the system's opener
    /// (xdg-open, open, start; the SHOPSIM_OPENER variable overrides it). A page that
    /// cannot be opened is a warning, never an error.
    #[arg(long)]
    pub open: bool,
    /// Charts of the data against the fit.
    #[command(flatten)]
    pub charts: ChartArgs,
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
    /// A swing adds trials (paired with the run's) until the standard errors of its
    /// effects are within this share of the target's widest bar, or the study's trials
    /// run out; 0 runs every swing on all the study's trials.
    #[arg(long, value_name = "SHARE", default_value_t = crate::sensitivity::paired::DEFAULT_TOLERANCE, value_parser = swing_tolerance)]
    pub swing_tolerance: f64,
    /// A Sobol factor adds design rows until its indices' 95% intervals are at most this
    /// wide, or --sobol rows have run; 0 runs every factor on all --sobol rows.
    #[arg(long, value_name = "WIDTH", default_value_t = crate::sensitivity::sobol::DEFAULT_WIDTH, value_parser = sobol_width)]
    pub sobol_width: f64,
    /// What every analysis takes: parameters, trials, seed, threads, output.
    #[command(flatten)]
    pub common: AnalysisArgs,
}

/// Arguments of `shopsim threshold`.
#[derive(Debug, clap::Args)]
pub struct ThresholdArgs {
    /// Scenario file; none uses the built-in study.
    pub scenario: Option<PathBuf>,
    /// The parameter to move (a numeric catalog key, e.g. tax.duty_surcharge_rate).
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
    /// How the uncertain inputs are sampled (overrides the scenario's `sampling`): lhs,
    /// Latin hypercube in blocks of 64 trials (the default: fewer trials for the same
    /// precision; intervals from the blocks), or mc, simple Monte Carlo.
    #[arg(long, value_enum, value_name = "METHOD")]
    pub sampling: Option<SamplingArg>,
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
    /// When the folder is written, open its report.html with the system's opener
    /// (xdg-open, open, start; the SHOPSIM_OPENER variable overrides it). A page that
    /// cannot be opened is a warning, never an error.
    #[arg(long)]
    pub open: bool,
    /// Which charts to write.
    #[command(flatten)]
    pub charts: ChartArgs,
}

impl AnalysisArgs {
    /// The worker threads to use: `--threads`, or every core.
    pub fn thread_count(&self) -> usize {
        threads_or_every_core(self.threads)
    }
}

/// `--threads` as given, or every core of this machine (1 when that cannot be told).
pub fn threads_or_every_core(threads: Option<u64>) -> usize {
    match threads {
        Some(t) => t as usize,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
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

/// `--fx THB=36.5`: a currency code and its units per USD.
fn exchange_rate(text: &str) -> Result<crate::params::ExchangeRate, String> {
    let (code, rate) = text.split_once('=').ok_or_else(|| {
        format!(
            "`{}`: write CODE=RATE, e.g. THB=36.5 (THB per USD)",
            printable(text)
        )
    })?;
    let rate: f64 = rate.trim().parse().map_err(|_| {
        format!(
            "`{}` is not a number of {} per USD",
            printable(rate),
            printable(code.trim())
        )
    })?;
    crate::params::ExchangeRate::new(code.trim(), rate).map_err(|e| e.to_string())
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
    /// When the folder is written, open its report.html with the system's opener
    /// (xdg-open, open, start; the SHOPSIM_OPENER variable overrides it). A page that
    /// cannot be opened is a warning, never an error.
    #[arg(long)]
    pub open: bool,
    /// Which charts to write.
    #[command(flatten)]
    pub charts: ChartArgs,
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
    /// When the folder is written, open its report.html with the system's opener
    /// (xdg-open, open, start; the SHOPSIM_OPENER variable overrides it). A page that
    /// cannot be opened is a warning, never an error.
    #[arg(long)]
    pub open: bool,
}

/// Arguments of `shopsim run`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("precision_target").args(["precision", "precision_abs"]).multiple(true)))]
pub struct RunArgs {
    /// Scenario files or folders of them; none runs the built-in study; `-` reads one
    /// from standard input (named `<stdin>` in messages, kept as scenario.toml in its
    /// study folder).
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
    /// How the uncertain inputs are sampled (overrides the scenario's `sampling`): lhs,
    /// Latin hypercube in blocks of 64 trials (the default: fewer trials for the same
    /// precision; intervals from the blocks), or mc, simple Monte Carlo.
    #[arg(long, value_enum, value_name = "METHOD")]
    pub sampling: Option<SamplingArg>,
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
    /// When each study folder is written, open its report.html with the system's opener
    /// (xdg-open, open, start; the SHOPSIM_OPENER variable overrides it). A page that
    /// cannot be opened is a warning, never an error.
    #[arg(long, conflicts_with = "shard")]
    pub open: bool,
    /// With --precision: stop after this many trials even when not precise enough.
    #[arg(long, value_name = "N", default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..=sim::MAX_TRIALS), requires = "precision_target")]
    pub max_trials: u64,
    /// Which charts to write.
    #[command(flatten)]
    pub charts: ChartArgs,
}

/// Fewest rows of a Sobol design worth reading: with fewer, the estimates' noise swamps
/// them (a total index above 1 is no share of the variance).
pub const MIN_SOBOL_ROWS: u64 = 50;
/// Most rows: each keeps its inputs, its outputs and 500 bootstrap indices (about 8 kB for
/// the built-in study), so 50,000 stay under half a gigabyte; the intervals the indices
/// are printed with are already narrow at a few thousand.
pub const MAX_SOBOL_ROWS: u64 = 50_000;

/// `--sobol`: 0, or [`MIN_SOBOL_ROWS`] to [`MAX_SOBOL_ROWS`].
fn swing_tolerance(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if (0.0..=0.5).contains(&x) => Ok(x),
        _ => Err(format!(
            "`{}` is not a share from 0 to 0.5 (0.005: each swing's standard error within 0.5% of the widest bar; 0: every swing on all the study's trials)",
            printable(text)
        )),
    }
}

fn sobol_width(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!(
            "`{}` is not an interval width from 0 to 1 (0.02: each index known to within ±0.01; 0: every factor on all --sobol rows)",
            printable(text)
        )),
    }
}

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
            crate::format::fmt_number(MAX_SOBOL_ROWS as f64)
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
    pub fn precision_target(&self) -> Option<crate::precision::Target> {
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

/// The chart flags every command that writes charts shares.
#[derive(Debug, clap::Args)]
pub struct ChartArgs {
    /// Chart files to write in the result's charts/.
    #[arg(long, value_enum, default_value_t = ChartFormatArg::Png)]
    pub chart_format: ChartFormatArg,
    /// Skip the charts (tables and the record only).
    #[arg(long)]
    pub no_charts: bool,
}

impl ChartArgs {
    /// The charts to write: `None` with `--no-charts`.
    pub fn format(&self) -> Option<ChartFormat> {
        (!self.no_charts).then(|| self.chart_format.format())
    }
}

/// `--sampling`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SamplingArg {
    /// Latin hypercube, in blocks of 64 trials.
    Lhs,
    /// Simple Monte Carlo.
    Mc,
}

impl SamplingArg {
    /// The sampling method it names.
    pub fn sampling(self) -> crate::sim::inputs::Sampling {
        match self {
            SamplingArg::Lhs => crate::sim::inputs::Sampling::LatinHypercube,
            SamplingArg::Mc => crate::sim::inputs::Sampling::MonteCarlo,
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
    /// The draw method it names.
    pub fn method(self) -> DrawMethod {
        match self {
            MethodArg::PerDay => DrawMethod::PerDay,
            MethodArg::PerBin => DrawMethod::PerBin,
        }
    }

    /// Its name in `run.json`.
    pub fn name(self) -> &'static str {
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
    /// How imported stock travels to the market: sea (the default), air or express (routes
    /// that import stock: overseas_3pl, fbt).
    #[arg(long, ignore_case = true, conflicts_with = "scenario", value_parser = choice_parser!(Freight))]
    pub freight: Option<Freight>,
    /// Where the team sits: china (the default: goods come from China) or market (a team
    /// in the market sold to). Sets staff.cost_per_day; fully managed keeps its smaller
    /// team.
    #[arg(long, ignore_case = true, conflicts_with = "scenario", value_parser = choice_parser!(Team))]
    pub team: Option<Team>,
    /// Where the goods were made: china (the default) or other. Picks the duties of one
    /// origin (US Section 301 on goods made in China).
    #[arg(long, ignore_case = true, conflicts_with = "scenario", value_parser = choice_parser!(Origin))]
    pub origin: Option<Origin>,
    /// The product's tariff line (HS code, 2 to 10 digits: `3304`, `6109.10`); default:
    /// the category's (beauty 3304, apparel 61, ...). Picks the duty rows.
    #[arg(long = "tariff-line", conflicts_with = "scenario", value_parser = |s: &str| s.parse::<crate::params::TariffLine>())]
    pub tariff_line: Option<crate::params::TariffLine>,
    /// The date the defaults are for (YYYY-MM-DD): picks the import duty in force
    /// (data/duties.toml). Default: the day the rules were last reviewed.
    #[arg(long = "as-of", conflicts_with = "scenario", value_parser = |s: &str| s.parse::<crate::params::rules::Date>())]
    pub as_of: Option<crate::params::rules::Date>,
    /// The defaults in another currency: CODE=RATE, in units of CODE per USD (`--fx
    /// THB=36.5`). The defaults are USD; every money default is shown converted, as a
    /// scenario with `currency = "THB"` and `fx.THB = 36.5` converts them.
    #[arg(long, value_name = "CODE=RATE", conflicts_with = "scenario", value_parser = exchange_rate)]
    pub fx: Option<crate::params::ExchangeRate>,
    /// Explain one key: every layer that set it (global, market, category, model, route,
    /// dated rules and duties, scenario base, variant, CSV), with its value and source.
    #[arg(long, value_name = "KEY")]
    pub explain: Option<String>,
    /// List every dated row of the data files in force instead (fees, taxes, duties,
    /// platform rules, penalties; data/*.toml), with its dates and source, as CSV:
    /// `variant,file,row,line,from,until,sets,value,source`.
    #[arg(long, conflicts_with = "explain")]
    pub rows: bool,
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

#[cfg(test)]
mod tests {
    /// clap's own checks of the definitions (unique names, groups, defaults), which it
    /// otherwise makes only when a command is first parsed.
    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }

    #[test]
    fn color_is_found_before_parsing_as_clap_would_take_it() {
        use super::{color_before_parsing as color, ColorArg};
        assert_eq!(color(["run", "--color", "never"]), Some(ColorArg::Never));
        assert_eq!(color(["--color=always", "run"]), Some(ColorArg::Always));
        assert_eq!(color(["--color=ALWAYS"]), None);
        // The last one wins; a bad value is clap's to refuse; nothing after `--`.
        assert_eq!(
            color(["--color", "never", "run", "--color", "always"]),
            Some(ColorArg::Always)
        );
        assert_eq!(color(["--color", "blue"]), None);
        assert_eq!(color(["run", "--", "--color", "never"]), None);
        assert_eq!(color(["run", "x.toml"]), None);
    }
}
