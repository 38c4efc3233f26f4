//! The integration tests, as one test binary (one link after a change in `src/`, where a
//! binary per file linked twenty). Each module is one area of the program, tested through
//! its library or its command line; `common` holds what several of them share, and the
//! scenario files they share are in `tests/fixtures/`.
//!
//! One area: `cargo test --test it sweep::`. The browser test, ignored by `cargo test`
//! (it needs Chromium): `cargo test --test it browser:: -- --ignored`.
//!
//! proptest keeps the cases that failed `model.rs`'s property tests in
//! `tests/proptest-regressions/model.txt`: the place it derives from this `main.rs` (a
//! folder `proptest-regressions` beside the folder of `main.rs`, the module's file name
//! with `.txt`), and replays them first.

mod analysis_pages;
mod browser;
mod clamped;
mod cli;
mod cli_conventions;
mod common;
mod compare;
mod correlations;
mod currency;
mod errors_table;
mod event_keys;
mod exports_gen;
mod fit;
mod fit_hostile;
mod fit_round_trip;
mod formats;
mod guards;
mod hardening;
mod merge;
mod model;
mod model_only;
mod output_safety;
mod params_explain;
mod report;
mod sampling;
mod sensitivity;
mod spreadsheets;
mod streaming;
mod sweep;
mod threshold;
mod value_stability;
mod worlds;
