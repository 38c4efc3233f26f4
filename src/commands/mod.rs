//! The commands: each reads its checked arguments, runs the pure parts below (scenario,
//! sim, stats, points, the analyses) and writes through `output`. Nothing below this layer
//! imports it; `cli` holds the argument types only.

pub mod bench;
pub mod bench_precision;
pub mod check;
pub mod common;
pub mod compare;
pub mod completions;
pub mod fit;
pub mod init;
pub mod merge;
pub mod params;
pub mod run;
pub mod sensitivity;
pub mod shard;
pub mod simulate;
pub mod summary;
pub mod sweep;
pub mod terminal;
pub mod threshold;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::interrupts;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    interrupts::install();
    terminal::set_up(&cli.terminal);
    let started = std::time::Instant::now();
    let outcome = dispatch(cli.command);
    terminal::info(format!(
        "finished in {:.2} s",
        started.elapsed().as_secs_f64()
    ));
    outcome
}

fn dispatch(command: Command) -> Result<()> {
    match command {
        Command::Run(args) => run::run_studies(args),
        Command::Check { scenarios, params } => check::check(&scenarios, params.as_deref()),
        Command::Params(args) => params::params(args),
        Command::Compare(args) => compare::compare_runs(args),
        Command::Bench(args) => bench::bench(args),
        Command::Merge(args) => merge::merge(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Threshold(args) => threshold::threshold(args),
        Command::Sensitivity(args) => sensitivity::sensitivity(args),
        Command::Fit(args) => fit::fit(args),
        Command::Init(args) => init::init(args),
        Command::Completions { shell } => completions::completions(shell),
    }
}
