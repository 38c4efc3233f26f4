#![warn(missing_docs)]
//! shopsim: a Monte Carlo simulator comparing ways of selling on TikTok Shop
//! (self-operated or fully managed, semi-closed or full closed loop).
//!
//! Data flows `scenario` (files in, validated values out) → `params` (catalog,
//! distributions, default layers) → `sim` (trials, pure) → `stats` (summaries and
//! comparisons, pure) → `output` (every file written) → `cli`.

#![forbid(unsafe_code)]

pub mod cli;
pub mod commands;
pub mod compare;
pub mod error;
pub mod fit;
pub mod format;
pub mod formats;
pub mod input_text;
pub mod interrupts;
pub mod metric;
pub mod output;
pub mod params;
pub mod points;
pub mod precision;
pub mod scenario;
pub mod sensitivity;
pub mod shard;
pub mod sim;
pub mod sizing;
pub mod stats;
pub mod suggest;
pub mod sweep;
pub mod threshold;

/// The build of this binary: the commit its sources were built from, `-modified` when
/// tracked sources differed from it, or `unknown` (build.rs). Every build of a version
/// shares the version; the build tells two of them apart in `run.json` and `compare`.
pub const BUILD: &str = env!("SHOPSIM_BUILD");

/// The version with its build, as `--version`, the reports and `compare` show it:
/// `0.1.0 (build 0123456789ab)`.
pub const VERSION_AND_BUILD: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (build ",
    env!("SHOPSIM_BUILD"),
    ")"
);
