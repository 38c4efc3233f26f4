//! Records which build of shopsim this is, so that two runs' `run.json` (and `compare`,
//! which reads them) can tell builds apart: every build of the same version says 0.1.0,
//! while the model may differ between them. The build is the commit the sources were
//! built from (12 hex digits), with `-modified` when tracked files differed from it, or
//! `unknown` outside a git checkout of shopsim itself (a source archive, even one
//! unpacked inside another repository) or without git. Never fails the build: the
//! identifier is provenance, not a dependency.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What the binary is built from (the scenarios and data are embedded in it).
const SOURCES: [&str; 6] = [
    "src",
    "data",
    "scenarios",
    "assets",
    "Cargo.toml",
    "Cargo.lock",
];

/// `git ARGS` in the package's folder: its trimmed output, if it ran and succeeded.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn main() {
    // Rerun when a source changes (its modified flag then may too) or the commit moves:
    // the repository's own HEAD and refs, wherever git keeps them (a worktree's `.git` is
    // a file naming another folder).
    let mut watched: Vec<PathBuf> = SOURCES.iter().map(PathBuf::from).collect();
    let checkout = checkout_of_this_package();
    if checkout {
        for what in ["HEAD", "refs/heads", "packed-refs"] {
            if let Some(path) = git(&["rev-parse", "--git-path", what]) {
                watched.push(PathBuf::from(path));
            }
        }
    }
    for path in watched.iter().filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let build = if checkout {
        build_id()
    } else {
        "unknown".to_string()
    };
    println!("cargo:rustc-env=SHOPSIM_BUILD={build}");
}

/// Whether the package's folder is the top of a git checkout: not a source archive
/// unpacked somewhere inside another repository, whose commit is not this one's.
fn checkout_of_this_package() -> bool {
    let here = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let top = git(&["rev-parse", "--show-toplevel"]).map(PathBuf::from);
    match (here, top) {
        (Some(here), Some(top)) => same_place(&here, &top),
        _ => false,
    }
}

fn same_place(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The commit of the checkout the package is the top of, with `-modified` when its
/// sources differ from it.
fn build_id() -> String {
    let Some(commit) = git(&["rev-parse", "--short=12", "HEAD"]).filter(|c| !c.is_empty()) else {
        return "unknown".to_string();
    };
    // Only the sources the binary is built from count (not untracked files, not output/).
    let mut status = vec![
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        "build.rs",
    ];
    status.extend(SOURCES);
    let modified = git(&status).is_some_and(|s| !s.is_empty());
    if modified {
        format!("{commit}-modified")
    } else {
        commit
    }
}
