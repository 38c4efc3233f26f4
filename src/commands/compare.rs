//! `shopsim compare`: the same variants across earlier runs, matched by name.

use std::path::PathBuf;

use anyhow::Result;

use crate::cli::CompareArgs;
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
    let dir = output::write_comparison(staged, &comparison, args.chart_format.format())?;
    super::terminal::files_written(&dir);
    let mut text = format!(
        "compared {} runs on `{}` ({} variants matched) → {}\n",
        comparison.runs.len(),
        comparison.metric,
        comparison.matched.len(),
        crate::error::printable_path(&dir)
    );
    // Differences with thousands separators, negative ones in red.
    let cell = |v: f64, width: usize| {
        super::terminal::money(v, format!("{:>width$}", crate::format::fixed_or_na(v, 2)))
    };
    for d in &comparison.diffs {
        text.push_str(&format!(
            "  {:<24} run {} − run {}: {} [{}, {}] ({})\n",
            d.variant,
            d.run_b + 1,
            d.run_a + 1,
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
