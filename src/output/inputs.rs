//! A command never deletes or changes its own inputs: before it claims a result folder,
//! every file and folder it reads (scenario, parameter CSV, grid, swings, the folders it
//! compares or merges) is checked against the folder it would replace. A folder holding
//! an input is refused even with `--force` (which deletes the old folder's contents), and
//! so is a result folder inside an input folder (writing there changes the input).

use std::path::{Path, PathBuf};

use crate::error::{InputError, Kind, Problem};

/// One thing a command reads, and how the user knows it (`the scenario`, `the --params
/// CSV`, `the compared folder`, `the part`).
#[derive(Clone, Debug)]
pub struct Input {
    /// The path as given.
    pub path: PathBuf,
    /// What it is, for the message.
    pub what: &'static str,
}

impl Input {
    /// `path`, known to the user as `what`.
    pub fn new(path: impl Into<PathBuf>, what: &'static str) -> Input {
        Input {
            path: path.into(),
            what,
        }
    }
}

/// Refuses (exit 2) a `target` folder that is, holds, or lies inside one of `inputs`.
pub fn refuse_replacing_inputs(target: &Path, inputs: &[Input]) -> Result<(), InputError> {
    let target_abs = absolute_resolved(target);
    for input in inputs {
        let input_abs = absolute_resolved(&input.path);
        let why = if target_abs == input_abs {
            "is"
        } else if input_abs.starts_with(&target_abs) {
            "contains"
        } else if target_abs.starts_with(&input_abs) {
            "is inside"
        } else {
            continue;
        };
        return Err(InputError::one(Problem::general(
            Kind::Output,
            format!(
                "the result folder '{}' {why} {} '{}'; writing there would replace or change an input, so it is refused even with --force. Choose another --out",
                crate::error::printable_path(target),
                input.what,
                crate::error::printable_path(&input.path)
            ),
        )));
    }
    Ok(())
}

/// `path` made absolute with links resolved as far as it exists (the rest appended), so
/// `a/../b`, `./b` and a link to `b` all compare equal to `b`.
pub fn absolute_resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |acc, part| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_holding_or_inside_an_input_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("study")).unwrap();
        std::fs::write(out.join("study/s.toml"), "x").unwrap();
        let scenario = [Input::new(out.join("study/./s.toml"), "the scenario")];
        let e = refuse_replacing_inputs(&out.join("study"), &scenario).unwrap_err();
        assert!(e.to_string().contains("contains the scenario"), "{e}");
        // Another folder beside it is fine.
        assert!(refuse_replacing_inputs(&out.join("other"), &scenario).is_ok());
        // A result folder inside a folder it reads.
        let part = [Input::new(&out, "the part")];
        let e = refuse_replacing_inputs(&out.join("study"), &part).unwrap_err();
        assert!(e.to_string().contains("is inside the part"), "{e}");
        let e = refuse_replacing_inputs(&out, &part).unwrap_err();
        assert!(e.to_string().contains(" is the part"), "{e}");
    }

    #[test]
    fn links_and_dots_are_resolved() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        std::fs::write(real.join("p.csv"), "x").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&real, dir.path().join("link")).unwrap();
            let csv = [Input::new(real.join("p.csv"), "the --params CSV")];
            assert!(refuse_replacing_inputs(&dir.path().join("link"), &csv).is_err());
        }
        let csv = [Input::new(
            dir.path().join("real/../real/./p.csv"),
            "the --params CSV",
        )];
        assert!(refuse_replacing_inputs(&real, &csv).is_err());
    }
}
