//! `shopsim`: parse arguments, run, print the error and pick the exit code
//! (0 success, 2 bad input, 1 anything else).

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;
use shopsim::cli::{color_before_parsing, Cli};
use shopsim::commands::{self, terminal};
use shopsim::error::{escaped, InputError};

fn main() -> ExitCode {
    // `--color` is read before clap parses, so help honours it as well.
    if let Some(color) = color_before_parsing(std::env::args_os().skip(1)) {
        terminal::set_color(color);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version go out as clap writes them.
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            e.exit()
        }
        Err(e) => {
            // An invalid value is echoed in the message: plain text, with its control
            // characters escaped, so an argument cannot drive the terminal.
            eprint!("{}", escaped(&e.render().to_string()));
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Names and keys come from the user's files: never let them drive the terminal.
            terminal::error(escaped(&format!("{e:#}")));
            if e.chain().any(|c| c.is::<InputError>()) {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
