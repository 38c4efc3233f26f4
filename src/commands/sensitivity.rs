//! `shopsim sensitivity`: flags to a checked plan ([`analysis::plan`]), the output folder
//! claimed, the analysis run ([`analysis::run`]), and `sensitivity.csv`, `spider.csv`, the
//! charts and `sensitivity.json` (last) written.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::points::key::InputKey;
use anyhow::{Context, Result};

use super::common;
use crate::cli::SensitivityArgs;
use crate::error::{printable, InputError, Kind, Problem};
use crate::format::fmt_number;
use crate::formats::record::AnalysisHeader;
use crate::input_text::{delimiter_name, describe_csv_error, read_text, CsvText, FileKind};
use crate::output::charts::render;
use crate::output::{self, StagedFolder};
use crate::points::Base;
use crate::sensitivity::analysis::{self, Findings, Plan};
use crate::sensitivity::charts::{Bar, SpiderChart, SpiderPanel, TornadoChart, TornadoPanel};
use crate::sensitivity::record::SensitivityRecord;
use crate::sensitivity::sobol::Indices;
use crate::sensitivity::tables::{sensitivity_csv, spider_csv};
use crate::sensitivity::{widest, Target, FIXED_POSITIONS, UNCERTAIN_POSITIONS};

/// Runs `shopsim sensitivity`: flags to a checked plan (every problem at once), the
/// folder claimed, the analysis run, its files written, a summary printed.
pub fn sensitivity(args: SensitivityArgs) -> Result<()> {
    let given = given_swings(&args)?;
    let (scenario, overrides) = args
        .common
        .load_one(args.scenario.as_deref(), "sensitivity")?;
    let (kept, targets) = analysis::targets(
        &scenario,
        args.a.as_deref(),
        args.b.as_deref(),
        &args.variants,
    )?;
    let mut study = scenario.clone();
    study.override_run(args.common.trials, args.common.seed)?;
    study.keep_variants(&kept)?;
    common::warn(std::slice::from_ref(&study));
    let threads = args.common.thread_count();
    common::check_sizes(std::slice::from_ref(&study), false, threads)?;
    let base = Base {
        scenario: &scenario,
        csv: overrides.as_ref(),
        variants: &kept,
        trials: args.common.trials,
        seed: args.common.seed,
    };
    // Every swing's study is checked before anything is written or run.
    let plan = analysis::plan(
        study,
        &base,
        targets,
        args.metric,
        &given,
        (args.top as usize, args.sobol),
        (args.swing_tolerance, args.sobol_width),
    )?;
    let mut analysed: Vec<usize> = plan
        .targets
        .iter()
        .flat_map(|t| match *t {
            Target::Variant(i) => vec![i],
            Target::Difference { a, b } => vec![a, b],
        })
        .collect();
    analysed.sort_unstable();
    analysed.dedup();
    common::warn_idle_swings(&plan.study, &analysed, &given);
    let swings_csv: Vec<output::Input> = args
        .swings
        .iter()
        .map(|s| output::Input::new(s, "the --swings CSV"))
        .collect();
    let staged = StagedFolder::create(
        &args.common.out,
        &crate::sensitivity::FOLDER.folder_name(plan.study.spec().name()),
        crate::sensitivity::FOLDER,
        args.common.force,
        &args.common.inputs(args.scenario.as_deref(), &swings_csv),
    )?;

    let start = Instant::now();
    let bar = common::counting_bar(0, "trials");
    let done = AtomicU64::new(0);
    let tick = |n: u64| bar.set_position(done.fetch_add(n, Ordering::Relaxed) + n);
    let more = |n: u64| bar.inc_length(n);
    let progress = analysis::Progress {
        done: &tick,
        more: &more,
    };
    let findings = analysis::run(&plan, &base, threads, &progress)?;
    bar.finish_and_clear();
    let elapsed = start.elapsed().as_secs_f64();

    write_tables(&staged, &plan, &findings)?;
    let mut charts = Vec::new();
    if !args.common.charts.no_charts {
        charts = draw_charts(&plan, &findings, args.common.charts.chart_format.format())?;
        output::write_charts(&staged, &charts)?;
    }
    let record = SensitivityRecord {
        header: AnalysisHeader::new(
            crate::sensitivity::FOLDER.what,
            plan.study.spec(),
            scenario.origin(),
            args.common.params.as_ref().map(|p| p.display().to_string()),
            threads,
            elapsed,
        ),
        targets: target_names(&plan),
        metric: args.metric.name().to_string(),
        swings_given: given
            .iter()
            .map(|(p, lo, hi)| format!("{}={lo}..{hi}", p.key()))
            .collect(),
        inputs_swung: plan.swings.len(),
        trials_run: findings.variant_trials,
        swing_tolerance: plan.tolerance,
        sobol_rows: args.sobol,
        sobol_width: args.sobol_width,
        command: command(&args, plan.study.spec()),
    };
    let page = crate::sensitivity::page::sensitivity_html(
        &plan,
        &findings,
        &target_names(&plan),
        &record,
        &charts,
    );
    staged.write("report.html", page.as_bytes())?;
    let json = serde_json::to_string_pretty(&record).context("writing sensitivity.json")?;
    staged.write(crate::sensitivity::FOLDER.marker, json.as_bytes())?;
    let dir = staged.commit()?;
    if args.common.open {
        super::terminal::open_page(&dir.join("report.html"));
    }

    super::terminal::files_written(&dir);
    super::terminal::answer(&summary(&plan, &findings, &dir, elapsed))
}

/// The command line that reproduces the analysis: the flags as given, the seed and trials
/// the studies ran with.
fn command(args: &SensitivityArgs, spec: &crate::sim::StudySpec) -> String {
    let mut words = common::command_words("sensitivity", args.scenario.as_deref());
    for v in &args.variants {
        words.extend(["--variant".to_string(), v.clone()]);
    }
    if let (Some(a), Some(b)) = (&args.a, &args.b) {
        words.extend(["--a".to_string(), a.clone(), "--b".to_string(), b.clone()]);
    }
    words.extend(["--metric".to_string(), args.metric.name().to_string()]);
    for s in &args.swing {
        words.extend(["--swing".to_string(), s.clone()]);
    }
    if let Some(p) = &args.swings {
        words.extend(["--swings".to_string(), p.display().to_string()]);
    }
    words.extend([
        "--top".to_string(),
        args.top.to_string(),
        "--sobol".to_string(),
        args.sobol.to_string(),
        "--swing-tolerance".to_string(),
        args.swing_tolerance.to_string(),
        "--sobol-width".to_string(),
        args.sobol_width.to_string(),
    ]);
    words.extend(common::analysis_words(&args.common, spec));
    crate::output::analysis_page::command_line(&words)
}

/// The targets' names: variants, or `a - b`.
fn target_names(plan: &Plan) -> Vec<String> {
    plan.targets.iter().map(|t| t.name(&plan.study)).collect()
}

/// `sensitivity.csv` and `spider.csv`.
fn write_tables(staged: &StagedFolder, plan: &Plan, findings: &Findings) -> Result<()> {
    let names = target_names(plan);
    staged.write(
        "sensitivity.csv",
        &sensitivity_csv(
            &names,
            &plan
                .targets
                .iter()
                .map(Target::variants)
                .collect::<Vec<_>>(),
            &findings.base_means,
            &findings.ranks,
            &plan.swings,
            &findings.effects,
            &findings.sobol,
        )?,
    )?;
    staged.write(
        "spider.csv",
        &spider_csv(&names, &plan.swings, &findings.effects, &findings.spider)?,
    )
}

/// One tornado and one spider per target, named after it (`tornado_self_fbt.png`,
/// `tornado_a-b.png` for a difference).
fn draw_charts(
    plan: &Plan,
    findings: &Findings,
    format: crate::output::charts::ChartFormat,
) -> Result<Vec<crate::output::charts::Rendered>> {
    let (study, metric, effects) = (&plan.study, plan.metric, &findings.effects);
    let names = target_names(plan);
    // `a - b` as `a-b`; never two targets in one file, whatever the file system.
    let dashed: Vec<String> = names.iter().map(|n| n.replace(" - ", "-")).collect();
    let files = output::chart_stems(dashed.iter().map(String::as_str));
    let mut rendered = Vec::new();
    for (t, name) in names.iter().enumerate() {
        // What this target's charts plot: a variant's mean, or a difference of two.
        let value_label = plan.targets[t].value_label(study, metric);
        let tornado = TornadoChart {
            study: study.spec().name().to_string(),
            value_label: value_label.clone(),
            panels: vec![TornadoPanel {
                name: name.clone(),
                base: findings.base_means[t],
                bars: widest(&effects[t], 12)
                    .into_iter()
                    .map(|i| Bar {
                        label: plan.swings[i].label(&plan.targets[t]),
                        at_low: effects[t][i].at[0],
                        at_high: effects[t][i].at[4],
                    })
                    .collect(),
            }],
        };
        let spider = SpiderChart {
            study: study.spec().name().to_string(),
            value_label: value_label.clone(),
            positions: UNCERTAIN_POSITIONS
                .iter()
                .zip(FIXED_POSITIONS)
                .map(|(u, f)| format!("{u} / {f}"))
                .collect(),
            panels: vec![SpiderPanel {
                name: name.clone(),
                lines: widest(&effects[t], plan.top)
                    .into_iter()
                    .map(|i| {
                        let key = plan.swings[i].param.key().to_string();
                        (key, effects[t][i].at.to_vec())
                    })
                    .collect(),
            }],
        };
        let file = &files[t];
        let mut one =
            render(&tornado, format).map_err(|e| anyhow::anyhow!("drawing the tornado: {e}"))?;
        one.stem = format!("tornado_{file}");
        rendered.push(one);
        let mut one =
            render(&spider, format).map_err(|e| anyhow::anyhow!("drawing the spider: {e}"))?;
        one.stem = format!("spider_{file}");
        rendered.push(one);
    }
    Ok(rendered)
}

/// What the terminal shows: each target's widest swings with their rank correlations, the
/// largest Sobol totals, and what was left out.
fn summary(plan: &Plan, findings: &Findings, dir: &std::path::Path, elapsed: f64) -> String {
    let (metric, effects) = (plan.metric, &findings.effects);
    let names = target_names(plan);
    let mut out = format!(
        "{}: sensitivity of {} to {} inputs ({} trials: a run of {}, the swings paired with it) in {elapsed:.2} s → {}\n",
        plan.study.spec().name(),
        metric.name(),
        plan.swings.len(),
        crate::format::fmt_count(findings.variant_trials),
        crate::format::fmt_count(plan.study.spec().trials()),
        crate::error::printable_path(dir)
    );
    for (t, name) in names.iter().enumerate() {
        out.push_str(&format!(
            "  {name} (mean {} {}): the widest swings\n",
            metric.name(),
            fmt_number(findings.base_means[t])
        ));
        for i in widest(&effects[t], 5) {
            let e = &effects[t][i];
            let rho = findings
                .ranks
                .iter()
                .find(|c| c.target == t && plan.swings[i].is_input_of(c))
                .map(|c| {
                    format!(
                        "; rank correlation {}",
                        crate::format::signed_or_na(c.rank.rho)
                    )
                })
                .unwrap_or_default();
            out.push_str(&format!(
                "    {:<44} {:>12} → {:>12}{rho}\n",
                plan.swings[i].label(&plan.targets[t]),
                fmt_number(e.at[0]),
                fmt_number(e.at[4])
            ));
        }
    }
    for (t, name) in names.iter().enumerate() {
        let Some(all) = findings.sobol.get(t) else {
            continue;
        };
        let mut by_total: Vec<&Indices> =
            all.iter().filter(|i| i.total.value.is_finite()).collect();
        by_total.sort_by(|a, b| b.total.value.total_cmp(&a.total.value));
        let top: Vec<String> = by_total
            .iter()
            .take(4)
            .map(|i| {
                format!(
                    "{} {:.2} [{:.2}, {:.2}]",
                    i.factor.name(),
                    i.total.value,
                    i.total.low,
                    i.total.high
                )
            })
            .collect();
        out.push_str(&format!(
            "  {name}: share of variance (total Sobol index): {}\n",
            top.join("; ")
        ));
    }
    if !plan.skipped.is_empty() {
        out.push_str(&format!(
            "  note: not swung, because an end breaks a rule between parameters: {}\n",
            plan.skipped.join("; ")
        ));
    }
    if let Some(note) = &findings.sobol_note {
        out.push_str(&format!("  note: {note}\n"));
    }
    out.push_str(
        "  (every input, its swing, rank correlation and Sobol indices in sensitivity.csv)\n",
    );
    out
}

/// `--swing KEY=LO..HI` flags and the `--swings` CSV, checked.
fn given_swings(args: &SensitivityArgs) -> Result<Vec<(InputKey, f64, f64)>, InputError> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    // `delimiter`: the CSV's separator (cells read as a `--params` cell is: decimal commas
    // with `;` or tabs, a hint for `15%`); `None` for a flag (plain numbers).
    let add = |origin: &str,
               key: &str,
               (lo, hi): (&str, &str),
               delimiter: Option<u8>,
               out: &mut Vec<(InputKey, f64, f64)>| {
        let fail = |kind: Kind, m: String| Problem::general(kind, format!("{origin}: {m}"));
        let p = match InputKey::parse(key) {
            Ok(p) => p,
            Err(e) => return Some(fail(Kind::UnknownKey, e.to_string())),
        };
        let number = |cell: &str| match delimiter {
            None => cell.trim().parse::<f64>().ok().ok_or(None),
            Some(d) => match p.read_cell(cell, d) {
                Ok(dist) => dist.fixed_value().ok_or(None),
                Err(e) => Err(Some(e)),
            },
        };
        let (lo, hi) = match (number(lo), number(hi)) {
            (Ok(lo), Ok(hi)) => (lo, hi),
            (Err(Some((kind, e))), _) | (_, Err(Some((kind, e)))) => {
                return Some(fail(kind, format!("key `{key}`: {e}")))
            }
            _ => {
                return Some(fail(
                    Kind::WrongType,
                    format!("key `{key}`: LO and HI must be numbers"),
                ))
            }
        };
        if p.is_switch() {
            return Some(fail(
                Kind::OutOfRange,
                format!("key `{key}`: it is an on/off switch: it has no range to swing (compare its two settings with `sweep`)"),
            ));
        }
        if let Err(e) = p.check_between(lo, hi) {
            return Some(fail(e.kind(), e.to_string()));
        }
        if out.iter().any(|g: &(InputKey, f64, f64)| g.0 == p) {
            return Some(fail(Kind::Conflict, format!("key `{key}` has two swings")));
        }
        out.push((p, lo, hi));
        None
    };
    for flag in &args.swing {
        let origin = format!("--swing {flag}");
        let parsed = flag
            .split_once('=')
            .and_then(|(k, r)| r.split_once("..").map(|(lo, hi)| (k.trim(), lo, hi)));
        match parsed {
            Some((k, lo, hi)) => problems.extend(add(&origin, k, (lo, hi), None, &mut out)),
            None => problems.push(Problem::general(
                Kind::Syntax,
                format!("{origin}: write it as KEY=LO..HI, e.g. price.retail=15..25"),
            )),
        }
    }
    if let Some(path) = &args.swings {
        let text = read_text(path, "the swings CSV", FileKind::Csv)?;
        let csv = CsvText::new(&text);
        let mut reader = csv.reader();
        let origin = path.display().to_string();
        let headers = reader.headers().cloned().unwrap_or_default();
        let col = |n: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(n));
        let (Some(k), Some(l), Some(h)) = (col("key"), col("low"), col("high")) else {
            return Err(InputError::one(
                Problem::new(
                    Kind::Missing,
                    origin,
                    format!(
                        "the header needs columns `key`, `low` and `high`; found: {} (read with {} between columns)",
                        headers.iter().map(printable).collect::<Vec<_>>().join(", "),
                        delimiter_name(csv.delimiter)
                    ),
                )
                .at_line(csv.header_line()),
            ));
        };
        for record in reader.records() {
            match record {
                Ok(r) => {
                    let at = format!("{origin}:{}", csv.line(r.position()));
                    let get = |i: usize| r.get(i).unwrap_or("");
                    let ends = (get(l), get(h));
                    problems.extend(add(&at, get(k), ends, Some(csv.delimiter), &mut out));
                }
                Err(e) => problems.push(
                    Problem::new(
                        Kind::Syntax,
                        origin.clone(),
                        format!(
                            "malformed CSV row ({} between columns): {}",
                            delimiter_name(csv.delimiter),
                            describe_csv_error(&e)
                        ),
                    )
                    .at_line(csv.error_line(&e)),
                ),
            }
        }
    }
    match InputError::from_problems(problems) {
        Some(e) => Err(e),
        None => Ok(out),
    }
}
