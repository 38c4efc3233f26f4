//! What the commands say on the terminal, and how: how much (`--quiet`, `--verbose`), in
//! colour or not (`--color`, `NO_COLOR`), warnings and notes on standard error, the
//! command's answer on standard output, and opening a page it wrote (`--open`).
//!
//! The levels, as the README states them:
//! - **quiet**: warnings and errors only (on standard error), and the exit code. No
//!   progress bar, no notes, no summary of what a command wrote. What a command prints
//!   as its product (`params`' CSV, `bench`'s figures, a completion script) is printed
//!   still: it is what the user asked for, not a report about it.
//! - **normal**: as quiet, plus the progress bar (on a terminal), notes and the summary.
//! - **verbose**: as normal, plus `info:` lines on standard error: how long each step
//!   took, each study's seed and threads, and the path of every file written.
//!
//! Colour is applied by writing styled text through an `anstream` stream, which strips
//! the escapes when colour is off (`--color never`; with `auto`, when the stream is not a
//! terminal or `NO_COLOR` is set to a non-empty value), so the texts are built once.

use std::ffi::OsString;
use std::fmt::Display;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};

use anstyle::{AnsiColor, Style};
use anyhow::Result;

use crate::cli::{ColorArg, TerminalArgs};
use crate::error::printable_path;

/// How much the terminal is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// `--quiet`: warnings and errors only.
    Quiet = 0,
    /// The default.
    Normal = 1,
    /// `--verbose`: `info:` lines too.
    Verbose = 2,
}

static VERBOSITY: AtomicU8 = AtomicU8::new(Verbosity::Normal as u8);

/// The variable that replaces the system's opener for `--open` (a program and its
/// arguments, split at white space; the page's path is added last).
pub const OPENER_VARIABLE: &str = "SHOPSIM_OPENER";

/// The headline of a verdict.
pub const HEADLINE: Style = Style::new().bold();
/// A loss: negative money.
pub const LOSS: Style = AnsiColor::Red.on_default();
/// The `warning:` and `caveat:` labels.
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
/// The `Error:` label.
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
/// The `note:` and `info:` labels.
const NOTE: Style = AnsiColor::Cyan.on_default();

/// Sets the colour choice for every stream (before clap parses, so help honours it).
pub fn set_color(color: ColorArg) {
    anstream::ColorChoice::write_global(match color {
        ColorArg::Auto => anstream::ColorChoice::Auto,
        ColorArg::Always => anstream::ColorChoice::Always,
        ColorArg::Never => anstream::ColorChoice::Never,
    });
}

/// Applies the command line's `--quiet`, `--verbose` and `--color`.
pub fn set_up(args: &TerminalArgs) {
    set_color(args.color);
    let level = if args.quiet {
        Verbosity::Quiet
    } else if args.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    VERBOSITY.store(level as u8, Ordering::Relaxed);
}

/// The verbosity set by [`set_up`].
pub fn verbosity() -> Verbosity {
    match VERBOSITY.load(Ordering::Relaxed) {
        0 => Verbosity::Quiet,
        2 => Verbosity::Verbose,
        _ => Verbosity::Normal,
    }
}

/// `--quiet`.
pub fn quiet() -> bool {
    verbosity() == Verbosity::Quiet
}

/// `text` in `style` (the escapes are stripped on the way out when colour is off).
pub fn paint(style: Style, text: impl Display) -> String {
    format!("{}{text}{}", style.render(), style.render_reset())
}

/// `text`, red when `value` is negative (a loss).
pub fn money(value: f64, text: impl Display) -> String {
    if value < 0.0 {
        paint(LOSS, text)
    } else {
        text.to_string()
    }
}

/// A line on standard error, through the colour-aware stream.
fn to_stderr(line: &str) {
    let mut err = anstream::stderr().lock();
    // Nothing to do when standard error is closed.
    let _ = writeln!(err, "{line}");
}

/// A problem that does not stop the command: printed at every level.
pub fn warning(message: impl Display) {
    to_stderr(&format!("{} {message}", paint(WARNING, "warning:")));
}

/// Something worth knowing that is not a problem (a folder's skipped files): not with
/// `--quiet`.
pub fn note(message: impl Display) {
    if !quiet() {
        to_stderr(&format!("{} {message}", paint(NOTE, "note:")));
    }
}

/// A detail for `--verbose` only.
pub fn info(message: impl Display) {
    if verbosity() == Verbosity::Verbose {
        to_stderr(&format!("{} {message}", paint(NOTE, "info:")));
    }
}

/// The error that ends the command (printed by `main`, at every level).
pub fn error(message: impl Display) {
    to_stderr(&format!("{} {message}", paint(ERROR, "Error:")));
}

/// What a command says about the work it did (a verdict, a table, "ok"): on standard
/// output, not with `--quiet`.
/// Its styles are kept or stripped as `--color` says. A closed pipe (`| head`) ends the
/// program with success.
pub fn answer(text: &str) -> Result<()> {
    if quiet() {
        return Ok(());
    }
    super::common::write_out(&mut anstream::stdout().lock(), text)
}

/// What a command prints as its product (a CSV, a script, figures): on standard output at
/// every level, byte for byte (no styles). A closed pipe ends the program with success.
pub fn product(text: &str) -> Result<()> {
    super::common::write_out(&mut std::io::stdout().lock(), text)
}

/// With `--verbose`: every file under `dir` (a folder just written), one line each, in
/// order.
pub fn files_written(dir: &Path) {
    if verbosity() < Verbosity::Verbose {
        return;
    }
    let mut files = Vec::new();
    collect_files(dir, &mut files);
    files.sort();
    for f in files {
        let bytes = std::fs::metadata(&f).map_or(0, |m| m.len());
        info(format!(
            "wrote {} ({} bytes)",
            printable_path(&f),
            crate::format::fmt_count(bytes)
        ));
    }
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Opens `page` with the system's opener (or [`OPENER_VARIABLE`]'s), waiting for the
/// opener to return. Any failure is a warning: the page was written, and the exit code
/// says so.
pub fn open_page(page: &Path) {
    let page = std::path::absolute(page).unwrap_or_else(|_| page.to_path_buf());
    let (program, mut args) = opener();
    args.push(page.clone().into_os_string());
    let shown = program.to_string_lossy().into_owned();
    let status = std::process::Command::new(&program)
        .args(&args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .status();
    let why = match status {
        Ok(s) if s.success() => {
            info(format!("opened {} with {shown}", printable_path(&page)));
            return;
        }
        Ok(s) => format!("`{shown}` ended with {s}"),
        Err(e) => format!("`{shown}` could not be started: {e}"),
    };
    warning(format!(
        "--open: {why}; the page is written, open it yourself: {} (set {OPENER_VARIABLE} to the program that opens a web page)",
        printable_path(&page)
    ));
}

/// The program that opens a page, and its arguments before the page's path.
fn opener() -> (OsString, Vec<OsString>) {
    if let Some(value) = std::env::var_os(OPENER_VARIABLE).filter(|v| !v.is_empty()) {
        let text = value.to_string_lossy().into_owned();
        let mut words = text.split_whitespace().map(OsString::from);
        if let Some(program) = words.next() {
            return (program, words.collect());
        }
    }
    if cfg!(target_os = "macos") {
        ("open".into(), Vec::new())
    } else if cfg!(windows) {
        // `start` is built into cmd; its first quoted argument is a window title.
        ("cmd".into(), vec!["/c".into(), "start".into(), "".into()])
    } else {
        ("xdg-open".into(), Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn painted_text_is_the_text_between_escapes() {
        let red = money(-5.0, "-5");
        assert!(red.starts_with("\u{1b}["), "{red:?}");
        assert!(red.contains("-5"));
        assert_eq!(money(5.0, "5"), "5");
        assert_eq!(paint(Style::new(), "x"), "x");
    }
}
