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
