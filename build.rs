//! Records which build of shopsim this is, so that two runs' `run.json` (and `compare`,
//! which reads them) can tell builds apart: every build of the same version says 0.1.0,
//! while the model may differ between them. The build is the commit the sources were
//! built from (12 hex digits), with `-modified` when tracked files differed from it, or
//! `unknown` outside a git checkout (a source archive) or without git. Never fails the
//! build: the identifier is provenance, not a dependency.

use std::path::Path;
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

fn main() {
    // Rerun when the commit moves or a source changes (its modified flag then may too).
    let refs = [".git/HEAD", ".git/refs/heads", ".git/packed-refs"];
    for path in refs.iter().chain(&SOURCES) {
        if Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    println!("cargo:rustc-env=SHOPSIM_BUILD={}", build_id());
}

fn build_id() -> String {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git").args(args).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
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
