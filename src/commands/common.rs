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

use super::terminal;

/// Expands folders into their `*.toml` files (sorted) and checks that paths exist.
pub(crate) fn scenario_paths(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    for input in inputs {
        if is_stdin(input) {
            if out.iter().any(|p: &PathBuf| is_stdin(p)) {
                return Err(InputError::new(
                    crate::error::Kind::Conflict,
                    "`-` (standard input) is named twice; it holds one scenario".to_string(),
                ));
            }
            out.push(input.clone());
        } else if input.is_dir() {
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
                terminal::note(format!(
                    "{}: skipped {} (only *.toml files are read; sub-folders are not searched)",
                    crate::error::printable_path(input),
                    names.join(", ")
                ));
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

/// `-`: standard input, where a path is expected.
pub(crate) fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// `inputs` without `-`: what the output folder is checked against (standard input is no
/// file a folder could hold).
pub(crate) fn files_only<'a>(paths: impl IntoIterator<Item = &'a PathBuf>) -> Vec<&'a PathBuf> {
    paths.into_iter().filter(|p| !is_stdin(p)).collect()
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
        if is_stdin(path) && std::io::stdin().is_terminal() {
            terminal::note("reading the scenario from standard input (end it with Ctrl-D)");
        }
        match scenario::load_file(path, overrides) {
            Ok(s) => scenarios.push(s),
            Err(e) => problems.extend(e.into_problems()),
        }
    }
    if let Some(o) = overrides {
        for name in o.variant_names() {
            // A study with worlds knows an option by its name too (the row applies in
            // every world).
            let known = scenarios.iter().any(|s| {
                s.spec().variants().iter().any(|v| v.name() == name)
                    || s.spec()
                        .worlds()
                        .is_some_and(|w| w.options().iter().any(|o| o == name))
            });
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
            terminal::warning(w);
        }
    }
}

/// Why `p` cannot act on variant `v`: its model or route, a gate closed at the variant's
/// value (unless the command moves the gate itself: `moved`), or a market without the rule
/// on the study's date; `None` if it can.
fn why_idle_on(
    p: crate::params::P,
    v: &crate::sim::VariantSpec,
    moved: &[crate::params::P],
    as_of: crate::params::rules::Date,
) -> Option<&'static str> {
    let fixed = |gate| (!moved.contains(&gate)).then(|| v.params().dist(gate).support().1);
    crate::params::model_only::idle_reason(p, &v.setting(), fixed, as_of).map(|r| r.why())
}

/// [`why_idle_on`] for any input: an event's number idles on a variant outside the
/// event's markets or of the other operating model (`EventField::idle_on`).
fn why_key_idle_on(
    key: &crate::points::key::InputKey,
    events: &[crate::sim::EventSpec],
    v: &crate::sim::VariantSpec,
    moved: &[crate::params::P],
    as_of: crate::params::rules::Date,
) -> Option<&'static str> {
    match key {
        crate::points::key::InputKey::Param(p) => why_idle_on(*p, v, moved, as_of),
        crate::points::key::InputKey::Event(k) => events
            .iter()
            .find(|e| e.name() == k.event)
            .and_then(|e| k.field.idle_on(e, &v.setting())),
    }
}

/// Warns about a `--swing` (or `--swings` row) that moves none of the analysed variants
/// (its model, route, a closed gate or a market without the rule): its bar is zero, which
/// a user who asked for it should hear why.
pub(crate) fn warn_idle_swings(
    study: &crate::scenario::Scenario,
    analysed: &[usize],
    given: &[(crate::points::key::InputKey, f64, f64)],
) {
    use crate::params::model_only::named_reasons;
    let variants = study.spec().variants();
    let reached: Vec<_> = analysed.iter().map(|&i| &variants[i]).collect();
    let events = study.spec().events();
    for (key, _, _) in given {
        let idle: Option<Vec<&'static str>> = reached
            .iter()
            .map(|v| why_key_idle_on(key, events, v, &[], study.as_of()))
            .collect();
        let Some(whys) = idle.filter(|w| !w.is_empty()) else {
            continue;
        };
        let why = if whys.iter().all(|w| *w == whys[0]) {
            whys[0].to_string()
        } else {
            named_reasons(reached.iter().map(|v| v.name()).zip(whys))
        };
        let names: Vec<String> = reached.iter().map(|v| format!("`{}`", v.name())).collect();
        terminal::warning(format!(
            "sensitivity: the swing of `{key}` has no effect on the variants analysed ({}): {why}; its bar is zero",
            names.join(", ")
        ));
    }
}

/// A warning of `command` itself (not of a file's line): "sweep: …" when shown.
fn command_warning(command: &str, message: String) -> crate::error::Warning {
    crate::error::Warning {
        origin: command.to_string(),
        line: None,
        message,
    }
}

/// The warnings about each input the points of `command` set that none of the variants
/// it reaches can use (`crate::params::model_only`): every point would give the same
/// results for it, which a user asking for them should hear before waiting on them.
pub(crate) fn idle_points(
    command: &str,
    points: &[crate::points::PreparedPoint],
) -> Vec<crate::error::Warning> {
    use crate::params::model_only::named_reasons;
    let mut warnings = Vec::new();
    let Some(first) = points.first() else {
        return warnings;
    };
    let variants = first.scenario.spec().variants();
    let events = first.scenario.spec().events();
    // A gate the points move themselves (a grid of `inventory.enabled` and the stock
    // policy) is not judged on the first point's value.
    let moved: Vec<crate::params::P> = points
        .iter()
        .flat_map(|p| &p.point.values)
        .filter_map(|v| v.param.param())
        .collect();
    let mut said: Vec<(&crate::points::key::InputKey, Option<String>)> = Vec::new();
    for point in points.iter().map(|p| &p.point) {
        for value in &point.values {
            let key = &value.param;
            let on = value.variant.clone().or_else(|| point.variant.clone());
            if said.contains(&(key, on.clone())) {
                continue;
            }
            said.push((key, on.clone()));
            // A variant named in a study with worlds reaches its cells `name@world`.
            let reached: Vec<_> = variants
                .iter()
                .filter(|v| {
                    on.as_deref().is_none_or(|n| {
                        v.name() == n
                            || v.name()
                                .strip_prefix(n)
                                .is_some_and(|rest| rest.starts_with('@'))
                    })
                })
                .collect();
            // Why it idles on each variant reached, if it idles on all of them.
            let idle: Option<Vec<&'static str>> = reached
                .iter()
                .map(|v| why_key_idle_on(key, events, v, &moved, first.scenario.as_of()))
                .collect();
            let Some(whys) = idle.filter(|w| !w.is_empty()) else {
                continue;
            };
            let whom = match &on {
                Some(n) => format!("variant `{}`", crate::error::printable(n)),
                None => "any variant it runs".to_string(),
            };
            // One reason is said once; several name each variant with its own.
            let why = if whys.iter().all(|w| *w == whys[0]) {
                whys[0].to_string()
            } else {
                named_reasons(reached.iter().map(|v| v.name()).zip(whys))
            };
            warnings.push(command_warning(
                command,
                format!(
                    "`{key}` has no effect on {whom}: {why}; every value gives the same results"
                ),
            ));
        }
    }
    warnings
}

/// How many places a warning about many lists by name before "and N more".
const NAMED_PLACES: usize = 3;

/// `a`, `a, b`, `a, b, c and 4 more`: the first [`NAMED_PLACES`] of `names`, of `total`.
fn first_places(names: &[String], total: usize) -> String {
    let shown = names.iter().take(NAMED_PLACES).cloned().collect::<Vec<_>>();
    match total.saturating_sub(shown.len()) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// The warnings about each value the points of `command` set (a sweep grid's cells may
/// be distributions) whose draws the engine clamps to the input's range more than 1% of
/// the time (`crate::params::clamped_note_for`): one per key and value, at the cells that
/// hold it (`grid.csv:4`, or `grid.csv:2, grid.csv:3, grid.csv:4 and 47 more` for a
/// value many rows repeat).
pub(crate) fn clamped_points(
    command: &str,
    points: &[crate::points::PreparedPoint],
) -> Vec<crate::error::Warning> {
    // Each key and value met: the note when its draws are clamped, and its cells.
    type Met<'a> = (String, &'a crate::params::Dist, Option<String>, Vec<String>);
    let mut met: Vec<Met<'_>> = Vec::new();
    for value in points.iter().flat_map(|p| &p.point.values) {
        if value.dist.is_fixed() {
            continue;
        }
        let key = value.param.to_string();
        match met.iter_mut().find(|m| m.0 == key && *m.1 == value.dist) {
            // A grid row's cells share its source (`grid.csv:4`): one place per cell.
            Some(m) if !m.3.contains(&value.source) => m.3.push(value.source.clone()),
            Some(_) => {}
            None => met.push((
                key,
                &value.dist,
                value.param.clamped_note(&value.dist),
                vec![value.source.clone()],
            )),
        }
    }
    met.into_iter()
        .filter_map(|(key, _, note, places)| {
            let at = first_places(&places, places.len());
            note.map(|note| command_warning(command, format!("{at}: key `{key}`: {note}")))
        })
        .collect()
}

/// What a command that runs `points` of the study `base` warns about, on the terminal
/// (now) and on its page (the study it returns, whose warnings they are): the study's
/// warnings that hold at one point at least, in reading order, then the command's own
/// about the points' values ([`idle_points`], [`clamped_points`]). Each point's study is
/// validated as the base is, with its values on a layer no file-level warning reads
/// ([`crate::params::Layer::Point`]): a warning about a value every point replaces (the
/// `[base]` value of the key a sweep moves) is in none of them, one that a point's value
/// brings about (a clamped value a swept gate opens) in some, and one naming the variants
/// a file's value still reaches names them as they are at that point.
pub(crate) fn warn_points(
    command: &str,
    base: &Scenario,
    points: &[crate::points::PreparedPoint],
) -> Scenario {
    let mut shown = base.clone();
    // Each warning, the points it holds at, and their names.
    let mut held: Vec<(crate::error::Warning, usize, Vec<String>)> = Vec::new();
    for p in points {
        for w in p.scenario.warnings() {
            match held.iter_mut().find(|(seen, ..)| seen == w) {
                Some((_, n, names)) => {
                    *n += 1;
                    if names.len() < NAMED_PLACES {
                        names.push(format!("`{}`", crate::error::printable(&p.point.name)));
                    }
                }
                None => held.push((
                    w.clone(),
                    1,
                    vec![format!("`{}`", crate::error::printable(&p.point.name))],
                )),
            }
        }
    }
    // One that holds at some points only says which (a gate a swept key opens from its
    // second value: "no effect" at the first point only).
    let at_points = held.into_iter().map(|(mut w, n, names)| {
        if n < points.len() {
            w.message = format!(
                "{} (at {n} of {} points: {})",
                w.message,
                points.len(),
                first_places(&names, n)
            );
        }
        w
    });
    let mut warnings = crate::scenario::in_reading_order(at_points.collect(), base.origin());
    warnings.extend(idle_points(command, points));
    warnings.extend(clamped_points(command, points));
    shown.set_warnings(warnings);
    warn(std::slice::from_ref(&shown));
    shown
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
            terminal::warning(w);
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

/// A progress bar on standard error counting `unit` (hidden when standard error is not a
/// terminal, and with `--quiet`).
pub(crate) fn counting_bar(total: u64, unit: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() || terminal::quiet() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(&format!(
        "{{spinner}} {{bar:40}} {{human_pos}}/{{human_len}} {unit} ({{left}})"
    )) {
        bar.set_style(style.with_key(
            "left",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&time_left(state.elapsed(), state.pos(), state.len()));
            },
        ));
    }
    bar
}

/// Work done before the time left is shown: 5% of it, or 2 seconds of it.
const ETA_AFTER_SHARE: f64 = 0.05;
const ETA_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

/// The time left on a progress bar, "estimating…" until it means something.
///
/// indicatif's own `{eta}` follows a moving average of the recent steps, which in the
/// first moments holds a handful of ticks: the first batches pay for starting the
/// threads and arrive together (each thread hands in 256 trials at once), so it opened
/// at hours for a run of seconds. Every batch of trials (every point, every study) costs
/// about the same, so the whole run's average, elapsed × left / done, is the better
/// estimate; it is shown once it rests on enough of the work to have paid off the start:
/// 5% of the work, or 2 seconds of it (whichever comes first, so a long run still gets
/// an estimate early). A bar of unknown length (a search that finds its own end) shows
/// the time elapsed instead.
pub(crate) fn time_left(elapsed: std::time::Duration, pos: u64, len: Option<u64>) -> String {
    let len = match len {
        Some(len) if len > 0 => len,
        _ => return format!("{} so far", human_duration(elapsed.as_secs_f64())),
    };
    let done = pos.min(len) as f64 / len as f64;
    if pos == 0 || (done < ETA_AFTER_SHARE && elapsed < ETA_AFTER) {
        return "estimating time left…".to_string();
    }
    let left = elapsed.as_secs_f64() * (len - pos.min(len)) as f64 / pos as f64;
    format!("{} left", human_duration(left))
}

/// `42s`, `3m 05s`, `2h 10m`: a duration at the precision a person reads it.
fn human_duration(seconds: f64) -> String {
    let s = seconds.round() as u64;
    if s < 60 {
        format!("{s}s")
    } else if s < 3600 {
        format!("{}m {:02}s", s / 60, s % 60)
    } else {
        format!("{}h {:02}m", s / 3600, (s % 3600) / 60)
    }
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
            .filter(|p| !is_stdin(p))
            .map(|p| Input::new(p, "the scenario"))
            .into_iter()
            .chain(
                self.params
                    .as_ref()
                    .filter(|p| !is_stdin(p))
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
        let mut scenario = load_all(&paths, overrides.as_ref())?.remove(0);
        scenario.override_sampling(self.sampling.map(crate::cli::SamplingArg::sampling))?;
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
    words.extend(sampling_words(spec));
    words.extend(chart_words(&common.charts));
    words
}

/// `--sampling METHOD`, always: the scenario file may name another method than the
/// default, and the flag wins over both.
pub fn sampling_words(spec: &crate::sim::StudySpec) -> Vec<String> {
    spec.sampling().flag().map(String::from).to_vec()
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::time_left;

    #[test]
    fn the_time_left_waits_for_enough_of_the_work() {
        // One batch in after 0.1 s: far too little to say.
        assert_eq!(
            time_left(Duration::from_millis(100), 256, Some(100_000)),
            "estimating time left…"
        );
        assert_eq!(
            time_left(Duration::from_secs(5), 0, Some(100)),
            "estimating time left…"
        );
        // 5% done in 1 s: 19 s left at the whole run's average.
        assert_eq!(
            time_left(Duration::from_secs(1), 50, Some(1000)),
            "19s left"
        );
        // 2 s in, 1% done: shown, 198 s.
        assert_eq!(
            time_left(Duration::from_secs(2), 10, Some(1000)),
            "3m 18s left"
        );
        assert_eq!(
            time_left(Duration::from_secs(3600), 1, Some(4)),
            "3h 00m left"
        );
        assert_eq!(time_left(Duration::from_secs(7), 4, Some(4)), "0s left");
        // Unknown length: the time so far.
        assert_eq!(
            time_left(Duration::from_secs(75), 3, Some(0)),
            "1m 15s so far"
        );
        assert_eq!(time_left(Duration::from_secs(75), 3, None), "1m 15s so far");
    }
}
