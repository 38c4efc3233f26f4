//! What every command shares: finding and loading scenarios and `--params`, size and
//! finiteness checks before anything is written, progress bars, writing to standard output.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::AnalysisArgs;
use crate::error::{printable, InputError, Kind, Problem};
use crate::output::Input;
use crate::scenario::{self, Overrides, Scenario};
use crate::sim::{self};
use crate::stats;

/// Expands folders into their `*.toml` files (sorted) and checks that paths exist.
pub(crate) fn scenario_paths(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries: Vec<PathBuf> = std::fs::read_dir(input)
                .map_err(|e| {
                    InputError::new(
                        crate::error::Kind::Unreadable,
                        format!(
                            "cannot read folder '{}': {e}",
                            crate::error::printable_path(input)
                        ),
                    )
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
                return Err(InputError::new(
                    crate::error::Kind::Missing,
                    format!(
                        "folder '{}' holds no scenario files (*.toml)",
                        crate::error::printable_path(input)
                    ),
                ));
            }
            out.extend(files);
        } else if input.exists() {
            out.push(input.clone());
        } else {
            return Err(InputError::new(
                crate::error::Kind::Unreadable,
                format!(
                    "scenario file '{}' does not exist",
                    crate::error::printable_path(input)
                ),
            ));
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
                .any(|s| s.spec().variants().iter().any(|v| v.name() == name));
            if !known && problems.is_empty() {
                let all: Vec<&str> = scenarios
                    .iter()
                    .flat_map(|s| s.spec().variants().iter().map(|v| v.name()))
                    .collect();
                // Every name of `variant_names` is on a row (or a correlation row).
                let line = o.variant_line(name).unwrap_or_default();
                problems.push(
                    Problem::new(
                        Kind::Conflict,
                        o.origin().to_string(),
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
                    bad.describe(s.spec().variants()[bad.variant].name())
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

pub(crate) fn write_out(out: &mut impl Write, text: &str) -> Result<()> {
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => other.context("writing to standard output"),
    }
}

impl AnalysisArgs {
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
            return Err(InputError::new(
                crate::error::Kind::Conflict,
                format!(
                    "{command} runs one scenario; '{}' holds {} (name one file)",
                    crate::error::printable_path(scenario.unwrap_or(Path::new(""))),
                    paths.len()
                ),
            ));
        }
        let scenario = load_all(&paths, overrides.as_ref())?.remove(0);
        Ok((scenario, overrides))
    }
}

/// The first words of the command line that reproduces an analysis: `shopsim <command>`
/// and the scenario as given (none for the built-in study).
pub fn command_words(command: &str, scenario: Option<&Path>) -> Vec<String> {
    let mut words = vec!["shopsim".to_string(), command.to_string()];
    words.extend(scenario.map(|p| p.display().to_string()));
    words
}

/// The words every analysis's reproducing command line ends with: the `--params` CSV,
/// the seed and trials the studies ran with (so a later change of the scenario's own is
/// seen), and the chart flags when not the default.
pub fn analysis_words(common: &AnalysisArgs, spec: &crate::sim::StudySpec) -> Vec<String> {
    let mut words = Vec::new();
    if let Some(p) = &common.params {
        words.extend(["--params".to_string(), p.display().to_string()]);
    }
    words.extend([
        "--seed".to_string(),
        spec.seed().to_string(),
        "--trials".to_string(),
        spec.trials().to_string(),
    ]);
    words.extend(chart_words(&common.charts));
    words
}

/// `--no-charts` or `--chart-format F` when not the default (PNG).
pub fn chart_words(charts: &crate::cli::ChartArgs) -> Vec<String> {
    use clap::ValueEnum;
    if charts.no_charts {
        return vec!["--no-charts".to_string()];
    }
    match charts.chart_format {
        crate::cli::ChartFormatArg::Png => Vec::new(),
        other => other
            .to_possible_value()
            .map(|v| vec!["--chart-format".to_string(), v.get_name().to_string()])
            .unwrap_or_default(),
    }
}
