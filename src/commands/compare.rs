//! `shopsim compare`: the same variants across earlier runs, matched by name.

use std::path::PathBuf;

use anyhow::Result;

use crate::cli::{ChartFormatArg, CompareArgs};
use crate::compare::Comparison;
use crate::error::InputError;
use crate::output::{self, FolderKind, Input, StagedFolder};

pub(crate) fn compare_runs(args: CompareArgs) -> Result<()> {
    let runs = args
        .runs
        .iter()
        .map(|d| crate::compare::load::load_run(d, &args.metric))
        .collect::<Result<Vec<_>, InputError>>()?;
    let comparison = crate::compare::compare(runs, &args.metric)?;
    for note in &comparison.notes {
        super::terminal::note(note);
    }
    let (parent, name) = match (args.out.parent(), args.out.file_name()) {
        (Some(p), Some(n)) => (p.to_path_buf(), n.to_string_lossy().into_owned()),
        _ => {
            return Err(InputError::new(
                crate::error::Kind::Output,
                format!(
                    "--out '{}' must name a folder to create",
                    crate::error::printable_path(&args.out)
                ),
            )
            .into())
        }
    };
    let parent = if parent.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        parent
    };
    let compared: Vec<Input> = args
        .runs
        .iter()
        .map(|r| Input::new(r, "the compared folder"))
        .collect();
    let staged = StagedFolder::create(
        &parent,
        &name,
        FolderKind::COMPARISON,
        args.force,
        &compared,
    )?;
    let command = reproduce(&args);
    let dir = output::write_comparison(staged, &comparison, args.chart_format.format(), &command)?;
    super::terminal::files_written(&dir);
    let mut text = format!(
        "compared {} runs on `{}` ({} variants matched) → {}\n",
        comparison.runs.len(),
        comparison.metric,
        comparison.matched.len(),
        crate::error::printable_path(&dir)
    );
    text.push_str(&changes_text(&comparison));
    // Differences, negative ones in red.
    let cell = |v: f64, width: usize| {
        super::terminal::money(v, format!("{:>width$}", crate::format::fixed_or_na(v, 2)))
    };
    let mut last = None;
    for d in &comparison.diffs {
        let (la, lb) = (
            &comparison.runs[d.run_a].label,
            &comparison.runs[d.run_b].label,
        );
        if last != Some((d.run_a, d.run_b)) {
            text.push_str(&format!(
                "{}, mean difference [95% interval]:\n",
                comparison.metric
            ));
            last = Some((d.run_a, d.run_b));
        }
        // Independent runs with the same mean to the last bit: the interval is what two
        // samples would give, the result is the same.
        let same = if d.method == crate::compare::DiffMethod::Independent && d.mean_a == d.mean_b {
            "; the same mean"
        } else {
            ""
        };
        text.push_str(&format!(
            "  {:<24} {lb} − {la}: {} [{}, {}] ({}{same})\n",
            crate::error::escaped(&d.variant),
            cell(d.diff.point, 10),
            cell(d.diff.ci_low, 0),
            cell(d.diff.ci_high, 0),
            d.method.name()
        ));
    }
    super::terminal::answer(&text)?;
    if args.open {
        super::terminal::open_page(&dir.join("report.html"));
    }
    Ok(())
}

/// At most this many characters of a source on the terminal (`changes.csv` and the
/// report have them whole).
const SOURCE_CHARS: usize = 48;

/// What changed between the runs, grouped by run settings, events, all variants and each
/// variant; "nothing differs" for runs of the same inputs.
fn changes_text(c: &Comparison) -> String {
    let cut = |s: &str| match s.char_indices().nth(SOURCE_CHARS) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    };
    let mut text = String::new();
    for pair in &c.changes {
        let (la, lb) = (&c.runs[pair.run_a].label, &c.runs[pair.run_b].label);
        if pair.is_empty() {
            let both = if pair.not_compared.is_empty() {
                ""
            } else {
                " that both record"
            };
            text.push_str(&format!(
                "nothing differs in the inputs of {la} and {lb}{both}\n"
            ));
        } else {
            text.push_str(&format!("what changed, {la} → {lb}:\n"));
        }
        for (scope, changes) in pair.groups() {
            text.push_str(&format!("  {}\n", scope.heading()));
            for ch in changes {
                let sources = match (ch.source_a.as_str(), ch.source_b.as_str()) {
                    ("", "") => String::new(),
                    (a, b) if a == b || b.is_empty() => format!("  ({})", cut(a)),
                    ("", b) => format!("  ({})", cut(b)),
                    (a, b) => format!("  ({} → {})", cut(a), cut(b)),
                };
                text.push_str(&format!(
                    "    {:<32} {}{sources}\n",
                    ch.key,
                    ch.said(la, lb)
                ));
            }
        }
        for note in &pair.not_compared {
            text.push_str(&format!("  not compared: {note}\n"));
        }
    }
    crate::error::escaped(&text)
}

/// The command that makes this comparison again, as a shell would read it.
fn reproduce(args: &CompareArgs) -> String {
    let word = |p: &std::path::Path| output::report::shell_word(&p.display().to_string());
    let mut command = String::from("shopsim compare");
    for r in &args.runs {
        command.push(' ');
        command.push_str(&word(r));
    }
    command.push_str(" --out ");
    command.push_str(&word(&args.out));
    if args.metric != "profit" {
        command.push_str(" --metric ");
        command.push_str(&output::report::shell_word(&args.metric));
    }
    match args.chart_format {
        ChartFormatArg::Png => {}
        ChartFormatArg::Svg => command.push_str(" --chart-format svg"),
        ChartFormatArg::Both => command.push_str(" --chart-format both"),
    }
    command
}
