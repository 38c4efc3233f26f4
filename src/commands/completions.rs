//! `shopsim completions SHELL`: a completion script generated from the same clap
//! definitions the program parses with, so it offers every subcommand, flag and choice
//! there is and nothing else.

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::Cli;

pub(crate) fn completions(shell: clap_complete::Shell) -> Result<()> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "shopsim", &mut script);
    // The script is the command's product: printed whatever the verbosity.
    super::terminal::product(&String::from_utf8_lossy(&script))
}
