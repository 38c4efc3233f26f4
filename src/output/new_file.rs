//! One file written on its own, outside a result folder (`shopsim init`'s scenario): never
//! over an existing file unless asked, never a half-written file under its name.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::error::{printable_path, InputError, Kind, Problem};

/// Writes `bytes` to `path`, creating its folder. An existing file is refused (exit 2,
/// naming it) unless `replace`; a folder of that name always is. A replaced file is
/// written under a temporary name beside it and renamed over it, so it holds the old text
/// or the new, never part of either.
pub fn write_new_file(path: &Path, bytes: &[u8], replace: bool) -> Result<()> {
    let refuse = |why: String| -> anyhow::Error {
        InputError::one(Problem::general(Kind::Output, why)).into()
    };
    if path.is_dir() {
        return Err(refuse(format!(
            "'{}' is a folder; choose another name or --out",
            printable_path(path)
        )));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        // As for a result folder (`unwritable-output`): the user's to fix, exit 2.
        std::fs::create_dir_all(parent).map_err(|e| {
            refuse(format!(
                "cannot create the output folder '{}': {e}",
                printable_path(parent)
            ))
        })?;
    }
    if !replace {
        // `create_new` fails when the file exists, at the moment of creating it: no
        // window in which another program's file could be replaced.
        let mut file = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(refuse(format!(
                    "'{}' exists; it is not replaced (choose another name or --out, or pass --force to replace it)",
                    printable_path(path)
                )))
            }
            Err(e) => {
                return Err(refuse(format!(
                    "cannot create '{}': {e}",
                    printable_path(path)
                )))
            }
        };
        if let Err(e) = file.write_all(bytes).and_then(|_| file.sync_all()) {
            drop(file);
            let _ = std::fs::remove_file(path);
            return Err(e).with_context(|| format!("writing '{}'", printable_path(path)));
        }
        return Ok(());
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let written = std::fs::File::create(&temporary)
        .and_then(|mut f| f.write_all(bytes).and_then(|_| f.sync_all()))
        .and_then(|_| std::fs::rename(&temporary, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(e).with_context(|| format!("writing '{}'", printable_path(path)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/x.toml");
        write_new_file(&path, b"one", false).unwrap();
        let e = write_new_file(&path, b"two", false).unwrap_err();
        assert!(e.chain().any(|c| c.is::<InputError>()), "{e:#}");
        assert!(format!("{e:#}").contains("exists"), "{e:#}");
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_new_file(&path, b"three", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"three");
        // No temporary file is left beside it.
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
        let e = write_new_file(dir.path(), b"x", true).unwrap_err();
        assert!(format!("{e:#}").contains("is a folder"), "{e:#}");
        // A file where the folder should be: exit 2, as for a result folder.
        let e = write_new_file(&path.join("y.toml"), b"x", false).unwrap_err();
        assert!(e.chain().any(|c| c.is::<InputError>()), "{e:#}");
        assert!(
            format!("{e:#}").contains("cannot create the output folder"),
            "{e:#}"
        );
    }
}
