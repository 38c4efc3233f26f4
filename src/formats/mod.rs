//! The files shopsim writes and reads back, defined once: the rows of the study folder's
//! CSV files and the `run.json` / `compare.json` records. `output` writes them, `compare`
//! reads them; neither depends on the other for a format.

pub mod record;
pub mod rows;
