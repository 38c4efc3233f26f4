//! `shopsim init [NAME]`: the built-in study written out as a scenario to start from.

use anyhow::Result;

use super::terminal;
use crate::cli::InitArgs;
use crate::error::printable_path;

pub(crate) fn init(args: InitArgs) -> Result<()> {
    // The name is checked before it is used in a path: `../x` never leaves --out.
    let text = crate::scenario::template(&args.name)?;
    let path = args.out.join(format!("{}.toml", args.name));
    crate::output::new_file::write_new_file(&path, text.as_bytes(), args.force)?;
    terminal::info(format!(
        "{} ({} bytes): the {}, its name set to `{}`",
        printable_path(&path),
        crate::format::fmt_count(text.len() as u64),
        crate::scenario::BUILT_IN_NAME,
        args.name
    ));
    terminal::answer(&format!(
        "wrote {}: edit it, then `shopsim run {}`\n",
        printable_path(&path),
        printable_path(&path)
    ))
}
