//! The one place that writes result folders (a study's, or a comparison's), under four
//! rules:
//!
//! 1. Files go into a hidden staging folder beside the target (`.NAME.partial-PID-N`),
//!    which is moved into place only when every file is written, so a failed or
//!    interrupted command never leaves a half-written folder that looks complete.
//! 2. A folder is replaced only when it is recognisably this program's own output of the
//!    same kind ([`FolderKind`], declared by the command that writes it): a folder holding
//!    that kind's record (the same study's, for a study or an analysis), and nothing else
//!    but the files shopsim writes there. Anything else is refused (exit 2) unless the user passes `--force`.
//! 3. The final step is one atomic rename: on Linux the new folder and the old one are
//!    exchanged (`renameat2(RENAME_EXCHANGE)`), so readers see the old results or the new
//!    ones, never a gap. Elsewhere (or on a file system without it) the old folder is moved
//!    aside first. Either way commits into one output folder are serialised by a lock on
//!    that folder, so two runs of the same study end with one complete result.
//! 4. Leftovers are swept only when provably dead: a staging folder is locked by its
//!    process for as long as it lives (the lock goes with the process, even on `kill -9`),
//!    so another run removes only staging folders whose lock it can take. An `.old-*`
//!    folder (a kill between the two renames of the fallback) is put back when the target
//!    is missing, and removed otherwise.
//!
//! Interrupts (Ctrl-C, SIGTERM) are handled by [`abandon_live_and_exit`], which removes
//! every live staging folder while no file is being written and no commit is under way.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use anyhow::{Context, Result};

use crate::error::{InputError, Kind, Problem};

/// What a folder holds, for the ownership rule: declared by the command that writes it
/// (its record, the files it owns), so a new kind of result needs no change here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FolderKind {
    /// Its name in messages ("a shopsim sweep folder").
    pub what: &'static str,
    /// The record that marks a complete folder of this kind (written last).
    pub marker: &'static str,
    /// The `kind` the record holds; `None`: the record has no `kind` (a study's
    /// `run.json`), so `program` and `study` recognise it.
    pub marker_kind: Option<&'static str>,
    /// The folder is named `<study><suffix>` and its record names the study: a folder of
    /// the same kind for another study is refused. `None`: any folder of the kind may be
    /// replaced.
    pub study_suffix: Option<&'static str>,
    /// What it holds, for "holds … of another study".
    pub contents: &'static str,
    /// The files and folders shopsim writes at the top of such a folder.
    pub own_entries: &'static [&'static str],
}

impl FolderKind {
    /// `shopsim run`: `run.json` names the study.
    pub const STUDY: FolderKind = FolderKind {
        what: "study",
        marker: "run.json",
        marker_kind: None,
        study_suffix: Some(""),
        contents: "the results",
        own_entries: &[
            "summary.csv",
            "comparison.csv",
            "daily.csv",
            "worlds.csv",
            "trials.csv",
            "run.json",
            "report.html",
            "charts",
            STDIN_SCENARIO,
        ],
    };

    /// `shopsim compare`: `compare.json` marks it.
    pub const COMPARISON: FolderKind = FolderKind {
        what: "comparison",
        marker: COMPARISON_MARKER,
        marker_kind: Some("comparison"),
        study_suffix: None,
        contents: "a comparison",
        own_entries: &[
            "comparison.csv",
            "changes.csv",
            "report.html",
            "charts",
            COMPARISON_MARKER,
        ],
    };

    /// `shopsim run --shard K/N`: `part.json` marks it (`part.bin`: the raw trials of
    /// parts written before the accumulators).
    pub const SHARD: FolderKind = FolderKind {
        what: "shard",
        marker: SHARD_MARKER,
        marker_kind: Some("shard"),
        study_suffix: None,
        contents: "a shard",
        own_entries: &["accumulators.json", "trials.csv", "part.bin", SHARD_MARKER],
    };

    /// An analysis's folder, `<study><suffix>`, marked by `marker` (recording `kind`
    /// and the study) and holding `files` besides it and `charts/`.
    pub const fn analysis(
        kind: &'static str,
        suffix: &'static str,
        marker: &'static str,
        contents: &'static str,
        own_entries: &'static [&'static str],
    ) -> FolderKind {
        FolderKind {
            what: kind,
            marker,
            marker_kind: Some(kind),
            study_suffix: Some(suffix),
            contents,
            own_entries,
        }
    }

    /// The folder this kind of result of `study` is written to.
    pub fn folder_name(&self, study: &str) -> String {
        format!("{study}{}", self.study_suffix.unwrap_or_default())
    }
}

/// The copy of a scenario read from standard input (`run -`) in its study folder: the only
/// copy there is of what ran.
pub const STDIN_SCENARIO: &str = "scenario.toml";

/// The marker file of a shard folder.
pub const SHARD_MARKER: &str = "part.json";

/// The marker file of a comparison folder.
pub const COMPARISON_MARKER: &str = "compare.json";

/// Staging folders alive in this process. Its lock is also held while a file is written or
/// a folder committed, so an interrupt never races with either.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Removes every staging folder of this process and exits with `code`, without waiting for
/// the simulation: called from the interrupt handler. Holding the lock until the process
/// ends means no file write or commit can start after the clean-up.
pub fn abandon_live_and_exit(code: i32) -> ! {
    let guard = live();
    for staging in guard.iter() {
        let _ = fs::remove_dir_all(staging);
    }
    std::process::exit(code)
}

/// Registers a scratch folder of this process (the benchmark's) to be removed, like the
/// staging folders, when the process is interrupted; [`forget_scratch`] when it is gone.
pub fn register_scratch(path: &Path) {
    live().push(path.to_path_buf());
}

/// Undoes [`register_scratch`].
pub fn forget_scratch(path: &Path) {
    live().retain(|p| p != path);
}

/// A result folder being written.
pub struct StagedFolder {
    out_dir: PathBuf,
    staging: PathBuf,
    target: PathBuf,
    name: String,
    kind: FolderKind,
    force: bool,
    /// Holds the lock on the staging folder while this process may still write it.
    _owner: Option<File>,
    done: bool,
}

impl StagedFolder {
    /// Claims `out_dir/name` for a folder of `kind`: creates `out_dir` if needed, sweeps dead
    /// leftovers, refuses (exit 2) a target that is not this program's own output of that kind
    /// (unless `force`), and creates the staging folder. Failing to create or write
    /// `out_dir` is also the user's input to fix (exit 2).
    /// `inputs` are what the command reads: a target holding one, or inside one, is
    /// refused even with `force` ([`super::inputs::refuse_replacing_inputs`]).
    pub fn create(
        out_dir: &Path,
        name: &str,
        kind: FolderKind,
        force: bool,
        inputs: &[super::inputs::Input],
    ) -> Result<StagedFolder> {
        let shown = if out_dir == Path::new(".") {
            PathBuf::from(name)
        } else {
            out_dir.join(name)
        };
        super::inputs::refuse_replacing_inputs(&shown, inputs)?;
        fs::create_dir_all(out_dir).map_err(|e| {
            // A link to nowhere reads as "File exists": say what it is.
            let why = match fs::read_link(out_dir) {
                Ok(to) if fs::metadata(out_dir).is_err() => format!(
                    "it is a symbolic link to '{}', which does not exist; create that folder, or choose another --out",
                    crate::error::printable_path(&to)
                ),
                _ => e.to_string(),
            };
            InputError::one(Problem::general(
                Kind::Output,
                format!(
                    "cannot create the output folder '{}': {why}",
                    crate::error::printable_path(out_dir)
                ),
            ))
        })?;
        let target = out_dir.join(name);
        {
            let _commits = lock_folder(out_dir);
            sweep_stale(out_dir, name);
        }
        if !force {
            check_replaceable(&target, name, kind)?;
        }
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let staging = out_dir.join(format!(".{name}.partial-{}-{id}", std::process::id()));
        let mut registry = live();
        fs::create_dir(&staging).map_err(|e| {
            InputError::one(Problem::general(
                Kind::Output,
                format!(
                    "cannot write in the output folder '{}': {e}",
                    crate::error::printable_path(out_dir)
                ),
            ))
        })?;
        let owner = File::open(&staging).ok().filter(|f| f.try_lock().is_ok());
        registry.push(staging.clone());
        Ok(StagedFolder {
            out_dir: out_dir.to_path_buf(),
            staging,
            target,
            name: name.to_string(),
            kind,
            force,
            _owner: owner,
            done: false,
        })
    }

    /// Where the folder will be once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes one file into the staging folder (`name` may hold a subfolder: `charts/a.png`).
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let registry = live();
        if !registry.contains(&self.staging) {
            anyhow::bail!(
                "the output of '{}' was abandoned",
                crate::error::printable_path(&self.target)
            );
        }
        let path = self.inside(name)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("creating '{}'", crate::error::printable_path(parent)))?;
        }
        fs::write(&path, bytes)
            .with_context(|| format!("writing '{}'", crate::error::printable_path(&path)))
    }

    /// Opens a new file in the staging folder for writing as results come (a large
    /// `trials.csv`); it is part of the folder only when the folder is committed.
    pub fn create_file(&self, name: &str) -> Result<(PathBuf, fs::File)> {
        let registry = live();
        if !registry.contains(&self.staging) {
            anyhow::bail!(
                "the output of '{}' was abandoned",
                crate::error::printable_path(&self.target)
            );
        }
        let path = self.inside(name)?;
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("creating '{}'", crate::error::printable_path(&path)))?;
        Ok((path, file))
    }

    /// The path of `name` in the staging folder. Names of files can come from names in
    /// a scenario (a variant names its sensitivity charts), which are checked when read;
    /// this is the last guard: a relative path of plain parts, so nothing is written
    /// outside the folder whatever a caller passes.
    fn inside(&self, name: &str) -> Result<PathBuf> {
        let relative = Path::new(name);
        let plain = relative.components().count() > 0
            && relative
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
            && !name.chars().any(char::is_control);
        if !plain {
            anyhow::bail!(
                "refusing to write '{}' into '{}': a file name must stay inside the output folder",
                crate::error::printable(name),
                crate::error::printable_path(&self.target)
            );
        }
        Ok(self.staging.join(relative))
    }

    /// Opens a file already written into the staging folder, to read it back (the digest
    /// of a large `trials.csv`).
    pub fn open_file(&self, name: &str) -> Result<fs::File> {
        let path = self.inside(name)?;
        fs::File::open(&path)
            .with_context(|| format!("reading '{}'", crate::error::printable_path(&path)))
    }

    /// Moves the finished folder into place, replacing an earlier result of the same kind.
    pub fn commit(mut self) -> Result<PathBuf> {
        let _commits = lock_folder(&self.out_dir);
        let mut registry = live();
        // Something may have appeared at the target while this command was running.
        if !self.force {
            check_replaceable(&self.target, &self.name, self.kind)?;
        }
        if fs::symlink_metadata(&self.target).is_ok() {
            if exchange(&self.staging, &self.target).is_ok() {
                // The staging path now holds the previous result.
                remove_any(&self.staging);
            } else {
                let old = self.out_dir.join(format!(
                    ".{}.old-{}-{}",
                    self.name,
                    std::process::id(),
                    NEXT_ID.fetch_add(1, Ordering::Relaxed)
                ));
                fs::rename(&self.target, &old).with_context(|| {
                    format!(
                        "moving the previous '{}' aside",
                        crate::error::printable_path(&self.target)
                    )
                })?;
                fs::rename(&self.staging, &self.target).with_context(|| {
                    format!(
                        "moving the results into '{}'",
                        crate::error::printable_path(&self.target)
                    )
                })?;
                remove_any(&old);
            }
        } else {
            fs::rename(&self.staging, &self.target).with_context(|| {
                format!(
                    "moving the results into '{}'",
                    crate::error::printable_path(&self.target)
                )
            })?;
        }
        registry.retain(|p| p != &self.staging);
        self.done = true;
        Ok(self.target.clone())
    }
}

impl Drop for StagedFolder {
    /// An abandoned folder (error, panic) is removed.
    fn drop(&mut self) {
        if !self.done {
            let mut registry = live();
            let _ = fs::remove_dir_all(&self.staging);
            registry.retain(|p| p != &self.staging);
        }
    }
}

/// Why `target` is not shopsim's own output of `kind` (named `name`), if it is not.
fn not_own_kind(target: &Path, name: &str, kind: FolderKind) -> Option<String> {
    let shopsim = |m: &serde_json::Value| m["program"] == "shopsim";
    let record = read_json(&target.join(kind.marker)).filter(|m| {
        shopsim(m)
            && match kind.marker_kind {
                Some(k) => m["kind"] == k,
                None => m["kind"].is_null() && m["study"].is_string(),
            }
    });
    let Some(record) = record else {
        // Another kind's folder is named as such.
        return Some(match other_kind(target) {
            Some(other) if other != kind.what => {
                format!("is a shopsim {other} folder, not a {} folder", kind.what)
            }
            _ => format!(
                "is not a shopsim {} folder (it has no {})",
                kind.what, kind.marker
            ),
        });
    };
    let suffix = kind.study_suffix?;
    let study = name.strip_suffix(suffix).unwrap_or(name);
    (record["study"] != study).then(|| {
        format!(
            "holds {} of another study (`{}`)",
            kind.contents,
            crate::error::printable(record["study"].as_str().unwrap_or_default())
        )
    })
}

/// The largest JSON file read as a possible record: records are a few kilobytes, while a
/// part's `accumulators.json` can take megabytes and is no record.
const RECORD_BYTES: u64 = 1 << 20;

/// The kind of shopsim result a folder holds, read from a record at its top: its `kind`,
/// or "study" for a `run.json`.
fn other_kind(target: &Path) -> Option<String> {
    let entries = fs::read_dir(target).ok()?;
    entries
        .flatten()
        .filter(|e| {
            e.metadata()
                .is_ok_and(|m| m.is_file() && m.len() <= RECORD_BYTES)
        })
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| read_json(&p).map(|m| (p, m)))
        .filter(|(_, m)| m["program"] == "shopsim")
        .find_map(|(p, m)| match m["kind"].as_str() {
            Some(k) => Some(k.to_string()),
            None if p.file_name().is_some_and(|n| n == "run.json") => Some("study".to_string()),
            None => None,
        })
}

/// The files in `target` (and its `charts/`) shopsim does not write there, said in a few
/// words, if there are any.
fn foreign_entries(target: &Path, entries: &[String], kind: FolderKind) -> Option<String> {
    let mut foreign: Vec<String> = entries
        .iter()
        .filter(|e| !kind.own_entries.contains(&e.as_str()))
        .cloned()
        .collect();
    if let Ok(charts) = fs::read_dir(target.join("charts")) {
        foreign.extend(
            charts
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|f| !(f.ends_with(".png") || f.ends_with(".svg")))
                .map(|f| format!("charts/{f}")),
        );
    }
    if foreign.is_empty() {
        return None;
    }
    foreign.sort();
    let shown: Vec<&str> = foreign.iter().take(5).map(String::as_str).collect();
    let more = foreign.len().saturating_sub(shown.len());
    Some(format!(
        "holds files shopsim did not write ({}{})",
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    ))
}

/// Checks that `target` may be replaced by a folder of `kind` named `name`: it does not
/// exist, is empty, or is this program's own output of that kind and nothing more.
pub fn check_replaceable(target: &Path, name: &str, kind: FolderKind) -> Result<(), InputError> {
    let Ok(meta) = fs::symlink_metadata(target) else {
        return Ok(());
    };
    let refuse = |why: String| {
        Err(InputError::one(Problem::general(Kind::Output, format!(
            "'{}' already exists and {why}; shopsim replaces only its own earlier {} folders. Move it away, choose another --out, or pass --force to replace it (its contents will be deleted)",
            crate::error::printable_path(target),
            kind.what
        ))))
    };
    if meta.file_type().is_symlink() {
        return refuse("is a symbolic link".to_string());
    }
    if !meta.is_dir() {
        return refuse("is a file, not a folder".to_string());
    }
    let entries: Vec<String> = match fs::read_dir(target) {
        Ok(list) => list
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(e) => return refuse(format!("cannot be read ({e})")),
    };
    if entries.is_empty() {
        return Ok(());
    }
    if let Some(why) = not_own_kind(target, name, kind) {
        return refuse(why);
    }
    match foreign_entries(target, &entries, kind) {
        Some(why) => refuse(why),
        None => Ok(()),
    }
}

fn read_json(path: &Path) -> Option<serde_json::Value> {
    serde_json::from_str(&fs::read_to_string(path).ok()?).ok()
}

/// An exclusive lock on a folder, held until the returned file is dropped. Commits and
/// sweeps into one output folder take it; without lock support (a platform or file system
/// without `flock`) they proceed unlocked.
fn lock_folder(dir: &Path) -> Option<File> {
    let f = File::open(dir).ok()?;
    f.lock().ok()?;
    Some(f)
}

/// Removes this name's leftovers from killed runs (the caller holds the folder lock).
fn sweep_stale(out_dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(out_dir) else {
        return;
    };
    let partial = format!(".{name}.partial-");
    let old = format!(".{name}.old-");
    let target = out_dir.join(name);
    // Only what shopsim names so: `<prefix><pid>-<n>` (or `<prefix><pid>` from earlier
    // versions), and only real folders, never links or a user's look-alike.
    let ours = |file_name: &str, prefix: &str, path: &Path| {
        file_name.strip_prefix(prefix).is_some_and(|tail| {
            let mut parts = tail.split('-');
            let numeric = |p: Option<&str>| {
                p.is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            };
            let first = parts.next();
            let second = parts.next();
            numeric(first) && (second.is_none() || numeric(second)) && parts.next().is_none()
        }) && fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if ours(&file_name, &partial, &path) {
            // A live run holds the lock on its staging folder; a dead one's lock is gone.
            let dead = File::open(&path).is_ok_and(|f| f.try_lock().is_ok());
            if dead {
                remove_any(&path);
            }
        } else if ours(&file_name, &old, &path) {
            // Killed between "move the old result aside" and "move the new one in": the
            // old result is the latest complete one.
            if fs::symlink_metadata(&target).is_err() && fs::rename(&path, &target).is_ok() {
                continue;
            }
            remove_any(&path);
        }
    }
}

fn remove_any(path: &Path) {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            let _ = fs::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = fs::remove_file(path);
        }
        Err(_) => {}
    }
}

/// Swaps two paths atomically (Linux); an error means "fall back to two renames".
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn study_json(name: &str) -> String {
        format!("{{\"program\": \"shopsim\", \"study\": \"{name}\"}}")
    }

    /// Each kind recognises its own record, names another kind's folder as such, and
    /// refuses a folder of its kind for another study.
    #[test]
    fn folders_of_another_kind_or_study_are_named() {
        const SWEEP: FolderKind =
            FolderKind::analysis("sweep", "-sweep", "sweep.json", "a sweep", &["sweep.json"]);
        let dir = tempfile::tempdir().unwrap();
        let study = dir.path().join("s");
        fs::create_dir(&study).unwrap();
        fs::write(study.join("run.json"), study_json("s")).unwrap();
        assert_eq!(not_own_kind(&study, "s", FolderKind::STUDY), None);
        assert_eq!(
            not_own_kind(&study, "t", FolderKind::STUDY).as_deref(),
            Some("holds the results of another study (`s`)")
        );
        assert_eq!(
            not_own_kind(&study, "s", FolderKind::COMPARISON).as_deref(),
            Some("is a shopsim study folder, not a comparison folder")
        );
        let sweep = dir.path().join("s-sweep");
        fs::create_dir(&sweep).unwrap();
        let record = "{\"program\": \"shopsim\", \"kind\": \"sweep\", \"study\": \"s\"}";
        fs::write(sweep.join("sweep.json"), record).unwrap();
        assert_eq!(not_own_kind(&sweep, "s-sweep", SWEEP), None);
        assert_eq!(
            not_own_kind(&sweep, "u-sweep", SWEEP).as_deref(),
            Some("holds a sweep of another study (`s`)")
        );
        assert_eq!(
            not_own_kind(&sweep, "s-sweep", FolderKind::SHARD).as_deref(),
            Some("is a shopsim sweep folder, not a shard folder")
        );
        let empty_record = dir.path().join("x");
        fs::create_dir(&empty_record).unwrap();
        assert_eq!(
            not_own_kind(&empty_record, "x", SWEEP).as_deref(),
            Some("is not a shopsim sweep folder (it has no sweep.json)")
        );
    }

    #[test]
    fn nothing_appears_until_commit_and_abandoned_folders_vanish() {
        let dir = tempfile::tempdir().unwrap();
        let staged = StagedFolder::create(dir.path(), "s", FolderKind::STUDY, false, &[]).unwrap();
        staged.write("a.csv", b"x").unwrap();
        assert!(!dir.path().join("s").exists());
        let target = staged.commit().unwrap();
        assert_eq!(fs::read(target.join("a.csv")).unwrap(), b"x");

        let staged = StagedFolder::create(dir.path(), "t", FolderKind::STUDY, false, &[]).unwrap();
        staged.write("a.csv", b"x").unwrap();
        drop(staged);
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "only the committed study remains");
    }

    #[test]
    fn a_live_staging_folder_is_not_swept_but_a_dead_one_is() {
        let dir = tempfile::tempdir().unwrap();
        let live = StagedFolder::create(dir.path(), "t", FolderKind::STUDY, false, &[]).unwrap();
        // A second claim of the same study (another run) must leave the live one alone.
        let other = StagedFolder::create(dir.path(), "t", FolderKind::STUDY, false, &[]).unwrap();
        assert!(live.staging.exists(), "a live staging folder was swept");
        drop(other);
        // A folder nobody holds a lock on is a dead run's; a look-alike name is not ours.
        fs::create_dir(dir.path().join(".t.partial-1-0")).unwrap();
        fs::create_dir(dir.path().join(".t.partial-drafts")).unwrap();
        fs::write(dir.path().join(".t.partial-7"), "a file").unwrap();
        let again = StagedFolder::create(dir.path(), "t", FolderKind::STUDY, false, &[]).unwrap();
        assert!(!dir.path().join(".t.partial-1-0").exists());
        assert!(dir.path().join(".t.partial-drafts").exists());
        assert!(dir.path().join(".t.partial-7").exists());
        assert!(live.staging.exists());
        drop(again);
        drop(live);
    }

    #[test]
    fn an_old_folder_left_by_a_kill_is_restored_or_removed() {
        let dir = tempfile::tempdir().unwrap();
        // The target is missing: the .old folder is the latest result and comes back.
        let old = dir.path().join(".t.old-1-0");
        fs::create_dir(&old).unwrap();
        fs::write(old.join("run.json"), study_json("t")).unwrap();
        let staged = StagedFolder::create(dir.path(), "t", FolderKind::STUDY, false, &[]).unwrap();
        assert!(!old.exists());
        assert!(dir.path().join("t/run.json").exists());
        staged.commit().unwrap();
        // The target exists: the .old folder is removed.
        fs::create_dir(&old).unwrap();
        StagedFolder::create(dir.path(), "t", FolderKind::STUDY, false, &[]).unwrap();
        assert!(!old.exists());
    }

    #[test]
    fn only_own_output_of_the_same_kind_is_replaceable() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("x");
        assert!(
            check_replaceable(&t, "x", FolderKind::STUDY).is_ok(),
            "missing"
        );
        fs::create_dir(&t).unwrap();
        assert!(
            check_replaceable(&t, "x", FolderKind::STUDY).is_ok(),
            "empty"
        );
        fs::write(t.join("notes.txt"), "mine").unwrap();
        let e = check_replaceable(&t, "x", FolderKind::STUDY)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("is not a shopsim study folder") && e.contains("--force"),
            "{e}"
        );
        fs::write(t.join("run.json"), study_json("x")).unwrap();
        let e = check_replaceable(&t, "x", FolderKind::STUDY)
            .unwrap_err()
            .to_string();
        assert!(e.contains("did not write (notes.txt)"), "{e}");
        fs::remove_file(t.join("notes.txt")).unwrap();
        fs::create_dir(t.join("charts")).unwrap();
        fs::write(t.join("charts/a.png"), "").unwrap();
        assert!(check_replaceable(&t, "x", FolderKind::STUDY).is_ok());
        let e = check_replaceable(&t, "y", FolderKind::STUDY)
            .unwrap_err()
            .to_string();
        assert!(e.contains("another study (`x`)"), "{e}");
        let e = check_replaceable(&t, "x", FolderKind::COMPARISON)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("is a shopsim study folder, not a comparison"),
            "{e}"
        );
        fs::write(t.join("charts/keep.xlsx"), "").unwrap();
        let e = check_replaceable(&t, "x", FolderKind::STUDY)
            .unwrap_err()
            .to_string();
        assert!(e.contains("charts/keep.xlsx"), "{e}");
    }

    #[test]
    fn refusing_keeps_the_folder_and_force_replaces_it() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("docs");
        fs::create_dir(&t).unwrap();
        fs::write(t.join("thesis.tex"), "years of work").unwrap();
        assert!(StagedFolder::create(dir.path(), "docs", FolderKind::STUDY, false, &[]).is_err());
        assert_eq!(
            fs::read_to_string(t.join("thesis.tex")).unwrap(),
            "years of work"
        );
        let staged =
            StagedFolder::create(dir.path(), "docs", FolderKind::STUDY, true, &[]).unwrap();
        staged
            .write("run.json", study_json("docs").as_bytes())
            .unwrap();
        staged.commit().unwrap();
        assert!(!t.join("thesis.tex").exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_commit_replaces_an_earlier_result_in_one_step() {
        let dir = tempfile::tempdir().unwrap();
        for content in ["first", "second"] {
            let staged =
                StagedFolder::create(dir.path(), "s", FolderKind::STUDY, false, &[]).unwrap();
            staged
                .write("run.json", study_json("s").as_bytes())
                .unwrap();
            staged.write("summary.csv", content.as_bytes()).unwrap();
            staged.commit().unwrap();
        }
        assert_eq!(
            fs::read_to_string(dir.path().join("s/summary.csv")).unwrap(),
            "second"
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no leftovers");
    }
}
