//! `shopsim`: parse arguments, run, print the error and pick the exit code
//! (0 success, 2 bad input, 1 anything else).

use std::process::ExitCode;

use clap::Parser;
use shopsim::cli::{self, Cli};
use shopsim::error::{escaped, InputError};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Names and keys come from the user's files: never let them drive the terminal.
            eprintln!("Error: {}", escaped(&format!("{e:#}")));
            if e.chain().any(|c| c.is::<InputError>()) {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
