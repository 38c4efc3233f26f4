//! The one place that writes a study's files: into a hidden temporary folder beside the
//! target, renamed into place only when every file is written, so a failed or interrupted
//! run never leaves a half-written study folder that looks complete.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::error::InputError;

/// A study folder being written.
pub struct StagedFolder {
    staging: PathBuf,
    target: PathBuf,
    done: bool,
}

impl StagedFolder {
    /// Creates `out_dir` if needed and a staging folder in it. Failing here means the
    /// output folder is unusable: that is the user's input to fix (exit code 2).
    pub fn create(out_dir: &Path, study: &str) -> Result<StagedFolder> {
        fs::create_dir_all(out_dir).map_err(|e| {
            InputError::new(format!(
                "cannot create the output folder '{}': {e}",
                out_dir.display()
            ))
        })?;
        // A run killed outright (SIGKILL, power loss) cannot clean up; its hidden folder
        // never looks like a result, and the next run of the same study sweeps it away.
        sweep_stale(out_dir, &format!(".{study}.partial-"));
        let staging = out_dir.join(format!(".{study}.partial-{}", std::process::id()));
        fs::create_dir(&staging).map_err(|e| {
            InputError::new(format!(
                "cannot write in the output folder '{}': {e}",
                out_dir.display()
            ))
        })?;
        Ok(StagedFolder {
            staging,
            target: out_dir.join(study),
            done: false,
        })
    }

    /// Writes one file into the staging folder (`name` may hold a subfolder: `charts/a.png`).
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let path = self.staging.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("creating '{}'", parent.display()))?;
        }
        fs::write(&path, bytes).with_context(|| format!("writing '{}'", path.display()))
    }

    /// Moves the finished folder into place, replacing an earlier run of the same study.
    pub fn commit(mut self) -> Result<PathBuf> {
        if self.target.exists() {
            let old = self.target.with_file_name(format!(
                ".{}.old-{}",
                file_name(&self.target),
                std::process::id()
            ));
            fs::rename(&self.target, &old).with_context(|| {
                format!("moving the previous '{}' aside", self.target.display())
            })?;
            fs::rename(&self.staging, &self.target)
                .with_context(|| format!("moving the results into '{}'", self.target.display()))?;
            let _ = fs::remove_dir_all(&old);
        } else {
            fs::rename(&self.staging, &self.target)
                .with_context(|| format!("moving the results into '{}'", self.target.display()))?;
        }
        self.done = true;
        Ok(self.target.clone())
    }
}

fn sweep_stale(out_dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(out_dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(prefix) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned())
}

impl Drop for StagedFolder {
    /// An abandoned folder (error, panic) is removed.
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_appears_until_commit_and_abandoned_folders_vanish() {
        let dir = tempfile::tempdir().unwrap();
        let staged = StagedFolder::create(dir.path(), "s").unwrap();
        staged.write("a.csv", b"x").unwrap();
        assert!(!dir.path().join("s").exists());
        let target = staged.commit().unwrap();
        assert_eq!(fs::read(target.join("a.csv")).unwrap(), b"x");

        let staged = StagedFolder::create(dir.path(), "t").unwrap();
        staged.write("a.csv", b"x").unwrap();
        drop(staged);
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "only the committed study remains");

        // A killed run's leftovers are swept by the next run of that study.
        fs::create_dir(dir.path().join(".t.partial-1")).unwrap();
        let staged = StagedFolder::create(dir.path(), "t").unwrap();
        assert!(!dir.path().join(".t.partial-1").exists());
        staged.commit().unwrap();
    }
}
