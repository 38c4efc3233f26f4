//! `shopsim check`: validate scenario files (and a `--params` CSV) without running them.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::common::{check_sizes, load_all, load_overrides, scenario_paths, warn};

pub(crate) fn check(inputs: &[PathBuf], params: Option<&Path>) -> Result<()> {
    let overrides = load_overrides(params)?;
    let paths = scenario_paths(inputs)?;
    let scenarios = load_all(&paths, overrides.as_ref())?;
    warn(&scenarios);
    let threads = crate::cli::threads_or_every_core(None);
    check_sizes(&scenarios, false, threads)?;
    let mut text = String::new();
    for s in &scenarios {
        // A study with worlds: its options and worlds, then the variants they make.
        let variants = match s.spec().worlds() {
            Some(w) => format!(
                "{} options × {} worlds = {} variants",
                w.options().len(),
                w.worlds().len(),
                s.spec().variants().len()
            ),
            None => format!("{} variants", s.spec().variants().len()),
        };
        text.push_str(&format!(
            "ok: {} (study `{}`: {variants}, {} event{}, {} trials × {} days)\n",
            s.origin(),
            s.spec().name(),
            s.spec().events().len(),
            if s.spec().events().len() == 1 {
                ""
            } else {
                "s"
            },
            crate::format::fmt_count(s.spec().trials()),
            s.spec().horizon_days()
        ));
    }
    super::terminal::answer(&text)
}
