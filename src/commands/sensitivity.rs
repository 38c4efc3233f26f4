//! `shopsim sensitivity`: checks the question, claims the output folder, runs the study
//! once (rank correlations) and every swing (tornado, spider), and writes
//! `sensitivity.csv`, `spider.csv`, the charts and `sensitivity.json` (last).

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::points::key::InputKey;
use anyhow::{Context, Result};

use super::common as cli;
use crate::cli::SensitivityArgs;
use crate::error::{printable, InputError, Kind, Problem};
use crate::format::{fmt_number, fmt_significant};
use crate::formats::record::{AnalysisHeader, SensitivityRecord};
use crate::input_text::{delimiter_name, describe_csv_error, read_text, CsvText, FileKind};
use crate::output::charts::render;
use crate::output::charts::sensitivity::{
    Bar, SpiderChart, SpiderPanel, TornadoChart, TornadoPanel,
};
use crate::output::{self, FolderKind, StagedFolder};
use crate::points::{Base, PointResult};
use crate::sensitivity::sobol::{self, Indices};
use crate::sensitivity::tables::{sensitivity_csv, spider_csv};
use crate::sensitivity::{
    base_run, correlations, run_swings, swings, widest, Effect, Swing, Target, FIXED_POSITIONS,
    UNCERTAIN_POSITIONS,
};
use crate::sim::Unit;

/// Runs `shopsim sensitivity`.
pub fn sensitivity(args: SensitivityArgs) -> Result<()> {
    let given = given_swings(&args)?;
    let (scenario, overrides) = args
        .common
        .load_one(args.scenario.as_deref(), "sensitivity")?;
    let names = scenario.spec().variant_names();
    let wanted: Vec<String> = match (&args.a, &args.b) {
        (Some(a), Some(b)) => vec![a.clone(), b.clone()],
        _ => args.variants.clone(),
    };
    let mut problems = Vec::new();
    for (flag, n) in wanted.iter().enumerate().map(|(i, n)| {
        let flag = match (&args.a, i) {
            (Some(_), 0) => "--a",
            (Some(_), _) => "--b",
            _ => "--variant",
        };
        (flag, n)
    }) {
        problems.extend(scenario.unknown_variant(flag, n));
    }
    if args.a.is_some() && args.a == args.b {
        problems.push(Problem::general(
            Kind::Conflict,
            "--a and --b name the same variant: a difference needs two".to_string(),
        ));
    }
    if let Some(e) = InputError::from_problems(problems) {
        return Err(e.into());
    }
    let kept: Vec<String> = names
        .iter()
        .filter(|n| wanted.is_empty() || wanted.contains(n))
        .cloned()
        .collect();
    let mut study = scenario.clone();
    study.override_run(args.common.trials, args.common.seed)?;
    study.keep_variants(&kept)?;
    let index = |n: &str| kept.iter().position(|k| k == n).expect("checked");
    let targets: Vec<Target> = match (&args.a, &args.b) {
        (Some(a), Some(b)) => vec![Target::Difference {
            a: index(a),
            b: index(b),
        }],
        _ => (0..kept.len()).map(Target::Variant).collect(),
    };
    cli::warn(std::slice::from_ref(&study));
    let threads = args.common.thread_count();
    cli::check_sizes(std::slice::from_ref(&study), false, threads)?;
    let all_variants: Vec<usize> = (0..kept.len()).collect();
    let swung = swings(&study, &all_variants, &given);
    // A swing asked for that cannot act is refused, never dropped.
    let idle: Vec<Problem> = given
        .iter()
        .filter(|(key, _, _)| !swung.iter().any(|s| &s.param == key))
        .map(|(key, lo, hi)| {
            let events = study.spec().events();
            let why = match key {
                InputKey::Event(e) if !events.iter().any(|ev| ev.name == e.event) => format!(
                    "the study has no event `{}`{}",
                    crate::error::printable(&e.event),
                    crate::suggest::hint(&e.event, events.iter().map(|ev| ev.name.as_str()))
                ),
                InputKey::Event(e) => format!(
                    "event `{}` applies to none of the variants analysed (its `markets`)",
                    crate::error::printable(&e.event)
                ),
                _ if key.is_switch() => {
                    "it is an on/off switch: it has no range to swing (compare its two settings with `sweep`)".to_string()
                }
                _ => "it moves none of the variants analysed".to_string(),
            };
            Problem::general(
                Kind::Conflict,
                format!("swing {}={lo}..{hi} cannot act: {why}", key.key()),
            )
        })
        .collect();
    if let Some(e) = InputError::from_problems(idle) {
        return Err(e.into());
    }
    let base = Base {
        scenario: &scenario,
        csv: overrides.as_ref(),
        variants: &kept,
        trials: args.common.trials,
        seed: args.common.seed,
    };
    // Every swing's study is checked before anything is written or run. A swing whose
    // end breaks a rule across parameters (a reorder point above the order-up-to level
    // after −20%, say) is left out, with a note: the input cannot move that far alone.
    let mut skipped: Vec<String> = Vec::new();
    let swung: Vec<Swing> = swung
        .into_iter()
        .filter(|sw| {
            let ends = [0, 4]
                .map(|k| crate::sensitivity::swing_point(&study, sw, k))
                .to_vec();
            match crate::points::prepare(&base, ends) {
                Ok(_) => true,
                Err(e) => {
                    let why = e
                        .problems()
                        .first()
                        .map(|p| p.message.clone())
                        .unwrap_or_default();
                    skipped.push(format!("{} ({why})", sw.param.key()));
                    false
                }
            }
        })
        .collect();
    let staged = StagedFolder::create(
        &args.common.out,
        &output::sensitivity_folder_name(study.spec().name()),
        FolderKind::Sensitivity,
        args.common.force,
        &args.common.inputs(
            args.scenario.as_deref(),
            &args
                .swings
                .iter()
                .map(|s| output::Input::new(s, "the --swings CSV"))
                .collect::<Vec<_>>(),
        ),
    )?;

    let start = Instant::now();
    let bar = cli::counting_bar(1 + 2 * swung.len() as u64, "studies");
    let done = AtomicU64::new(0);
    let tick = || bar.set_position(done.fetch_add(1, Ordering::Relaxed) + 1);
    let base_results = base_run(&study, &targets, args.metric)?;
    tick();
    let ranks = correlations(&study, &targets, &base_results);
    let ends = run_swings(&base, &study, &swung, &[0, 4], threads, &tick)?;
    let mut effects: Vec<Vec<Effect>> = targets
        .iter()
        .map(|t| {
            ends.iter()
                .map(|r| {
                    let mut at = [f64::NAN; 5];
                    at[0] = t.mean(&r[0].analysis, args.metric);
                    at[4] = t.mean(&r[1].analysis, args.metric);
                    Effect { at }
                })
                .collect()
        })
        .collect();
    // The spider: the widest swings of each target, at p30, p50, p70 too.
    let mut top: Vec<usize> = Vec::new();
    for effect in &effects {
        for i in widest(effect, args.top as usize) {
            if !top.contains(&i) {
                top.push(i);
            }
        }
    }
    top.sort_unstable();
    bar.inc_length(3 * top.len() as u64);
    let top_swings: Vec<Swing> = top.iter().map(|&i| swung[i].clone()).collect();
    let middles = run_swings(&base, &study, &top_swings, &[1, 2, 3], threads, &tick)?;
    for (t, target) in targets.iter().enumerate() {
        for (&i, r) in top.iter().zip(&middles) {
            for (k, result) in [1, 2, 3].iter().zip(r) {
                effects[t][i].at[*k] = target.mean(&result.analysis, args.metric);
            }
        }
    }
    // Variance-based indices: one Saltelli design per target, on the study's seed.
    let correlated = study
        .spec()
        .variants()
        .iter()
        .any(|v| !v.correlations.is_empty());
    let mut sobol_note = None;
    let sobol: Vec<Vec<Indices>> = if args.sobol == 0 {
        Vec::new()
    } else if correlated {
        sobol_note = Some(
            "no Sobol indices: they assume independent inputs, and this study correlates some"
                .to_string(),
        );
        Vec::new()
    } else {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .context("starting the worker threads")?;
        let n = args.sobol.max(2);
        targets
            .iter()
            .map(|t| {
                let variants = t.variants();
                let factors = sobol::factors(study.spec(), &variants);
                let runs = pool
                    .install(|| sobol::evaluate(study.spec(), &variants, &factors, n, args.metric));
                let (fa, fb, fab) = match t {
                    Target::Variant(_) => runs.into_iter().next().expect("one variant"),
                    Target::Difference { .. } => {
                        let mut it = runs.into_iter();
                        let (a, b) = (it.next().expect("a"), it.next().expect("b"));
                        let minus = |x: &[f64], y: &[f64]| -> Vec<f64> {
                            x.iter().zip(y).map(|(x, y)| x - y).collect()
                        };
                        (
                            minus(&a.0, &b.0),
                            minus(&a.1, &b.1),
                            a.2.iter().zip(&b.2).map(|(x, y)| minus(x, y)).collect(),
                        )
                    }
                };
                sobol::indices(&factors, &fa, &fb, &fab, 500, study.spec().seed())
            })
            .collect()
    };
    bar.finish_and_clear();
    let elapsed = start.elapsed().as_secs_f64();
    check_finite(&ends, &middles, study.spec().variants())?;

    let target_names: Vec<String> = targets.iter().map(|t| t.name(&study)).collect();
    let base_means: Vec<f64> = targets
        .iter()
        .map(|t| t.mean(&base_results.analysis, args.metric))
        .collect();
    staged.write(
        "sensitivity.csv",
        &sensitivity_csv(
            &target_names,
            &targets.iter().map(Target::variants).collect::<Vec<_>>(),
            &base_means,
            &ranks,
            &swung,
            &effects,
            &sobol,
        )?,
    )?;
    staged.write(
        "spider.csv",
        &spider_csv(&target_names, &swung, &effects, &top)?,
    )?;
    let value_label = match args.metric.unit() {
        Unit::Currency => format!("{} ({})", args.metric.name(), study.currency()),
        unit => format!("{} ({})", args.metric.name(), unit.name()),
    };
    if !args.common.no_charts {
        // One tornado and one spider per target, named after it (`tornado_self_fbt.png`,
        // `tornado_a-b.png` for a difference).
        let format = args.common.chart_format.format();
        let mut rendered = Vec::new();
        // `a - b` as `a-b`; never two targets in one file, whatever the file system.
        let dashed: Vec<String> = target_names.iter().map(|n| n.replace(" - ", "-")).collect();
        let files = output::chart_stems(dashed.iter().map(String::as_str));
        for (t, name) in target_names.iter().enumerate() {
            let tornado = TornadoChart {
                study: study.spec().name().to_string(),
                value_label: value_label.clone(),
                panels: vec![TornadoPanel {
                    name: name.clone(),
                    base: base_means[t],
                    bars: widest(&effects[t], 12)
                        .into_iter()
                        .map(|i| Bar {
                            label: swing_label(&swung[i], &targets[t]),
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
                    lines: widest(&effects[t], args.top as usize)
                        .into_iter()
                        .map(|i| (swung[i].param.key().to_string(), effects[t][i].at.to_vec()))
                        .collect(),
                }],
            };
            let file = &files[t];
            let mut one = render(&tornado, format)
                .map_err(|e| anyhow::anyhow!("drawing the tornado: {e}"))?;
            one.stem = format!("tornado_{file}");
            rendered.push(one);
            let mut one =
                render(&spider, format).map_err(|e| anyhow::anyhow!("drawing the spider: {e}"))?;
            one.stem = format!("spider_{file}");
            rendered.push(one);
        }
        output::write_charts(&staged, &rendered)?;
    }
    let record = SensitivityRecord {
        header: AnalysisHeader::new(
            "sensitivity",
            study.spec(),
            scenario.origin(),
            args.common.params.as_ref().map(|p| p.display().to_string()),
            threads,
            elapsed,
        ),
        targets: target_names.clone(),
        metric: args.metric.name().to_string(),
        swings_given: given
            .iter()
            .map(|(p, lo, hi)| format!("{}={lo}..{hi}", p.key()))
            .collect(),
        inputs_swung: swung.len(),
        studies_run: 1 + 2 * swung.len() + 3 * top.len(),
        sobol_rows: args.sobol,
    };
    let json = serde_json::to_string_pretty(&record).context("writing sensitivity.json")?;
    staged.write(output::SENSITIVITY_MARKER, json.as_bytes())?;
    let dir = staged.commit()?;

    let mut out = format!(
        "{}: sensitivity of {} to {} inputs ({} studies × {} trials) in {elapsed:.2} s → {}\n",
        study.spec().name(),
        args.metric.name(),
        swung.len(),
        record.studies_run,
        study.spec().trials(),
        crate::error::printable_path(&dir)
    );
    for (t, name) in target_names.iter().enumerate() {
        out.push_str(&format!(
            "  {name} (mean {} {}): the widest swings\n",
            args.metric.name(),
            fmt_number(base_means[t])
        ));
        for i in widest(&effects[t], 5) {
            let e = &effects[t][i];
            let rho = ranks
                .iter()
                .find(|c| c.target == t && swung[i].is_input_of(c))
                .map(|c| {
                    format!(
                        "; rank correlation {}",
                        crate::format::signed_or_na(c.rank.rho)
                    )
                })
                .unwrap_or_default();
            out.push_str(&format!(
                "    {:<44} {:>12} → {:>12}{rho}\n",
                swing_label(&swung[i], &targets[t]),
                fmt_number(e.at[0]),
                fmt_number(e.at[4])
            ));
        }
    }
    for (t, name) in target_names.iter().enumerate() {
        let Some(all) = sobol.get(t) else { continue };
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
    if !skipped.is_empty() {
        out.push_str(&format!(
            "  note: not swung, because an end breaks a rule between parameters: {}\n",
            skipped.join("; ")
        ));
    }
    if let Some(note) = sobol_note {
        out.push_str(&format!("  note: {note}\n"));
    }
    out.push_str(
        "  (every input, its swing, rank correlation and Sobol indices in sensitivity.csv)\n",
    );
    let mut stdout = std::io::stdout().lock();
    cli::write_out(&mut stdout, &out)?;
    stdout.flush().ok();
    Ok(())
}

/// `price.retail 16 → 24` (the first variant of the target that swings).
fn swing_label(sw: &Swing, target: &Target) -> String {
    let range = |v: usize| match (sw.values[0][v], sw.values[4][v]) {
        (Some(lo), Some(hi)) => Some(format!("{} → {}", fmt_significant(lo), fmt_significant(hi))),
        _ => None,
    };
    let ranges: Vec<String> = match *target {
        Target::Variant(i) => range(i).into_iter().collect(),
        // A difference whose variants swing over different ranges shows both (A's first):
        // a fixed input of one (±20%) against an uncertain one of the other (p10-p90).
        Target::Difference { a, b } => {
            let (ra, rb) = (range(a), range(b));
            if ra == rb {
                ra.into_iter().collect()
            } else {
                [ra.unwrap_or("—".to_string()), rb.unwrap_or("—".to_string())].to_vec()
            }
        }
    };
    if ranges.is_empty() {
        sw.param.key().to_string()
    } else {
        format!("{} {}", sw.param.key(), ranges.join(" / "))
    }
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
        let fail = |m: String| Problem::general(Kind::OutOfRange, format!("{origin}: {m}"));
        let p = match InputKey::parse(key) {
            Ok(p) => p,
            Err(e) => return Some(fail(e)),
        };
        let number = |cell: &str| match delimiter {
            None => cell.trim().parse::<f64>().ok().ok_or(None),
            Some(d) => match p.read_cell(cell, d) {
                Ok(dist) => dist.fixed_value().ok_or(None),
                Err((_, e)) => Err(Some(e)),
            },
        };
        let (lo, hi) = match (number(lo), number(hi)) {
            (Ok(lo), Ok(hi)) => (lo, hi),
            (Err(Some(e)), _) | (_, Err(Some(e))) => {
                return Some(fail(format!("key `{key}`: {e}")))
            }
            _ => return Some(fail(format!("key `{key}`: LO and HI must be numbers"))),
        };
        if let Err(e) = p.check_between(lo, hi) {
            return Some(fail(e));
        }
        if out.iter().any(|g: &(InputKey, f64, f64)| g.0 == p) {
            return Some(fail(format!("key `{key}` has two swings")));
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

/// A non-finite output in any swing's study is an error.
fn check_finite(
    ends: &[Vec<PointResult>],
    middles: &[Vec<PointResult>],
    variants: &[crate::sim::VariantSpec],
) -> Result<(), InputError> {
    let bad = ends
        .iter()
        .chain(middles)
        .flatten()
        .find_map(|r| r.non_finite.as_ref());
    match bad {
        Some(b) => Err(InputError::new(format!(
            "a swing went beyond what the model computes: {}",
            b.describe(variants.get(b.variant).map_or("?", |v| v.name.as_str()))
        ))),
        None => Ok(()),
    }
}
