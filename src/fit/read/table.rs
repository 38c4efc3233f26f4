//! An export as a stream of rows, from CSV or XLSX alike: its header, then each row's
//! cells in the columns asked for and no others. A row is read, used and dropped; the
//! personal columns of an export (buyer, recipient, phone, address) are never copied out
//! of the row being read.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use calamine::{open_workbook_from_rs, DataRef, Reader, Xlsx};

use crate::error::{InputError, Kind, Problem};

/// Where a file's rows come from.
enum Source {
    Csv(csv::Reader<Box<dyn Read>>),
    /// A workbook and the sheet read.
    Xlsx(Box<Xlsx<BufReader<File>>>, String),
}

/// A file being read row by row.
pub struct Table {
    origin: String,
    header: Vec<String>,
    /// The header's line (1-based: the sheet's row or the CSV line).
    header_line: usize,
    source: Source,
}

/// Largest export read, in bytes (2 GiB): a million SKU lines of the US export are about
/// 800 MB; a row is read whole, so no file can take more memory than this.
pub const MAX_EXPORT_BYTES: u64 = 2 << 30;

/// One row: its line in the file and the cells asked for (empty when the column is
/// missing or the cell blank).
pub struct Row {
    /// 1-based line (CSV) or row number (XLSX).
    pub line: usize,
    /// The cells of the wanted columns, in the order asked.
    pub cells: Vec<String>,
}

impl Table {
    /// Opens `path` (XLSX by its signature, CSV otherwise) and reads its header; for a
    /// workbook, the sheet whose name is one of `sheets` (ignoring case), else the first.
    pub fn open(path: &Path, sheets: &[&str]) -> Result<Table, InputError> {
        let origin = path.display().to_string();
        let unreadable =
            |why: String| InputError::one(Problem::new(Kind::Unreadable, &origin, why));
        let mut file = File::open(path).map_err(|e| unreadable(format!("cannot read it: {e}")))?;
        // A device (`/dev/zero`) or a pipe has no end a reader can trust, and a file far
        // larger than any export is the wrong file: both are refused before reading.
        let meta = file
            .metadata()
            .map_err(|e| unreadable(format!("cannot read it: {e}")))?;
        if !meta.is_file() {
            return Err(unreadable(
                "it is not a regular file (a folder, a device or a pipe): give the export file Seller Center wrote"
                    .into(),
            ));
        }
        if meta.len() > MAX_EXPORT_BYTES {
            return Err(InputError::one(Problem::new(
                Kind::TooLarge,
                &origin,
                format!(
                    "it is {} MB, larger than any export shopsim reads ({} MB: about two million SKU lines); is it the right file?",
                    meta.len() >> 20,
                    MAX_EXPORT_BYTES >> 20
                ),
            )));
        }
        let mut magic = [0u8; 4];
        let got = file
            .read(&mut magic)
            .map_err(|e| unreadable(format!("cannot read it: {e}")))?;
        file.rewind()
            .map_err(|e| unreadable(format!("cannot read it: {e}")))?;
        if got == 4 && magic == [0xD0, 0xCF, 0x11, 0xE0] {
            return Err(unreadable(
                "it is an old Excel file (.xls); open it in Excel and save it as .xlsx or CSV UTF-8"
                    .into(),
            ));
        }
        let empty = || {
            InputError::one(Problem::new(
                Kind::Missing,
                &origin,
                "the file is empty: it has no header row (is it an export from Seller Center?)",
            ))
        };
        if got == 4 && &magic == b"PK\x03\x04" {
            let mut book: Xlsx<_> = open_workbook_from_rs(BufReader::new(file))
                .map_err(|e| unreadable(format!("it is not a readable XLSX workbook: {e}")))?;
            let names = book.sheet_names();
            let sheet = names
                .iter()
                .find(|n| sheets.iter().any(|s| n.trim().eq_ignore_ascii_case(s)))
                .or_else(|| names.first())
                .cloned()
                .ok_or_else(|| unreadable("the workbook has no sheet".into()))?;
            let mut header = None;
            sheet_rows(&mut book, &sheet, None, |line, cells| {
                header = Some((line, cells));
                Ok(false)
            })
            .map_err(|why| InputError::one(Problem::new(Kind::Syntax, &origin, why)))?;
            let (header_line, header) = header.ok_or_else(empty)?;
            return Ok(Table {
                origin,
                header: header.into_iter().map(|c| c.trim().to_string()).collect(),
                header_line,
                source: Source::Xlsx(Box::new(book), sheet),
            });
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            // Every row as wide as the header: a row cut short (a truncated download) or
            // shifted by an unquoted comma is refused, never read into the wrong columns.
            .flexible(false)
            .delimiter(sniff_delimiter(path))
            .from_reader(Box::new(SkipBom::new(BufReader::new(file))) as Box<dyn Read>);
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(true) if record.iter().all(|c| c.trim().is_empty()) => continue,
                Ok(true) => break,
                Ok(false) => return Err(empty()),
                Err(e) => return Err(csv_problem(&origin, &e)),
            }
        }
        Ok(Table {
            header: record.iter().map(|c| c.trim().to_string()).collect(),
            header_line: record.position().map_or(1, |p| p.line() as usize),
            origin,
            source: Source::Csv(reader),
        })
    }

    /// The file as messages name it.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The header's names, trimmed, as written.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The header's line.
    pub fn header_line(&self) -> usize {
        self.header_line
    }

    /// Calls `each` with every non-blank row after the header, holding only the `wanted`
    /// columns (indexes into the header; `None`: a column the file does not have, read as
    /// empty). `each` returns `Ok(false)` to stop early.
    pub fn rows(
        mut self,
        wanted: &[Option<usize>],
        mut each: impl FnMut(Row) -> Result<bool, InputError>,
    ) -> Result<(), InputError> {
        let pick = |cell: &dyn Fn(usize) -> Option<String>| -> Vec<String> {
            wanted
                .iter()
                .map(|at| {
                    at.and_then(cell)
                        .map(|c| c.trim().to_string())
                        .unwrap_or_default()
                })
                .collect()
        };
        match &mut self.source {
            Source::Csv(reader) => {
                let mut record = csv::StringRecord::new();
                loop {
                    match reader.read_record(&mut record) {
                        Ok(false) => return Ok(()),
                        Ok(true) if record.iter().all(|c| c.trim().is_empty()) => continue,
                        Ok(true) => {
                            let line = record.position().map_or(1, |p| p.line() as usize);
                            let cells = pick(&|i| record.get(i).map(str::to_string));
                            // The record (personal cells included) is overwritten by the
                            // next read: nothing else of the row is kept.
                            if !each(Row { line, cells })? {
                                return Ok(());
                            }
                        }
                        Err(e) => return Err(csv_problem(&self.origin, &e)),
                    }
                }
            }
            Source::Xlsx(book, sheet) => {
                let origin = self.origin.clone();
                let mut failure = None;
                let header_line = self.header_line;
                sheet_rows(book, sheet, Some(wanted), |line, cells| {
                    if line <= header_line {
                        return Ok(true);
                    }
                    let cells = pick(&|i| cells.get(i).cloned());
                    match each(Row { line, cells }) {
                        Ok(go_on) => Ok(go_on),
                        Err(e) => {
                            failure = Some(e);
                            Ok(false)
                        }
                    }
                })
                .map_err(|why| InputError::one(Problem::new(Kind::Syntax, &origin, why)))?;
                failure.map_or(Ok(()), Err)
            }
        }
    }
}

fn csv_problem(origin: &str, e: &csv::Error) -> InputError {
    let line = e.position().map_or(0, |p| p.line() as usize);
    let why = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "a cell is not UTF-8 text: Seller Center writes UTF-8; if the file was saved again by a spreadsheet, save it as CSV UTF-8".to_string(),
        csv::ErrorKind::UnequalLengths { .. } => format!(
            "{}: the download was cut short, or a cell holds the separator without quotes; export the file again from Seller Center",
            crate::input_text::describe_csv_error(e)
        ),
        _ => crate::input_text::describe_csv_error(e),
    };
    let problem = Problem::new(Kind::Syntax, origin, why);
    InputError::one(if line > 0 {
        problem.at_line(line)
    } else {
        problem
    })
}

/// Calls `each(row number, cells)` for every row of a sheet holding a non-empty cell, in
/// order, until it returns `Ok(false)`. Reads every cell the sheet holds, whatever size it
/// declares (some exports declare `A1:A1`). With `wanted`, only those columns' cells are
/// turned into text (the others, personal ones included, are skipped as they stream by).
fn sheet_rows(
    book: &mut Xlsx<BufReader<File>>,
    sheet: &str,
    wanted: Option<&[Option<usize>]>,
    mut each: impl FnMut(usize, Vec<String>) -> Result<bool, String>,
) -> Result<(), String> {
    let keep = |column: usize| wanted.is_none_or(|w| w.contains(&Some(column)));
    let mut reader = book
        .worksheet_cells_reader(sheet)
        .map_err(|e| format!("cannot read its sheet '{sheet}': {e}"))?;
    let mut current: Option<(usize, Vec<String>)> = None;
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| format!("cannot read its sheet '{sheet}': {e}"))?
    {
        let (row, column) = cell.get_position();
        let (line, column) = (row as usize + 1, column as usize);
        if current.as_ref().is_some_and(|(l, _)| *l != line) {
            let (l, cells) = current.take().expect("checked");
            if !each(l, cells)? {
                return Ok(());
            }
        }
        if !keep(column) {
            continue;
        }
        let text = cell_text(cell.get_value());
        if text.trim().is_empty() {
            continue;
        }
        let cells = &mut current.get_or_insert_with(|| (line, Vec::new())).1;
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
    }
    if let Some((l, cells)) = current {
        each(l, cells)?;
    }
    Ok(())
}

/// The separator of a CSV export: a comma, or a semicolon or tab where the first line has
/// more of those (exports re-saved by a spreadsheet in a comma-decimal locale).
fn sniff_delimiter(path: &Path) -> u8 {
    let mut first = Vec::new();
    if let Ok(file) = File::open(path) {
        let _ = BufReader::new(file).take(64 * 1024).read_to_end(&mut first);
    }
    let line = first.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |sep: u8| line.iter().filter(|&&b| b == sep).count();
    [b';', b'\t']
        .into_iter()
        .find(|&sep| count(sep) > count(b','))
        .unwrap_or(b',')
}

/// A reader that drops a UTF-8 byte order mark at the start.
struct SkipBom<R> {
    inner: R,
    checked: bool,
}

impl<R: Read> SkipBom<R> {
    fn new(inner: R) -> SkipBom<R> {
        SkipBom {
            inner,
            checked: false,
        }
    }
}

impl<R: std::io::BufRead> Read for SkipBom<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.checked {
            self.checked = true;
            let start = self.inner.fill_buf()?;
            if start.starts_with(b"\xEF\xBB\xBF") {
                self.inner.consume(3);
            }
        }
        self.inner.read(buf)
    }
}

/// A cell as the CSV export would write it: text as is, numbers in full, spreadsheet
/// dates as `YYYY-MM-DD HH:MM:SS` (the 1900 date system, days since 1899-12-30).
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty | DataRef::Error(_) => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        // A number too long to be exact (an 18-digit order ID Excel turned into a
        // number) keeps the look Excel gives it, so the reader can say what happened.
        DataRef::Float(f) if f.abs() >= 9_007_199_254_740_992.0 => format!("{f:E}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => {
            let serial = d.as_f64();
            let seconds = (serial * 86_400.0).round() as i64;
            let days = seconds.div_euclid(86_400) + super::cells::days_from_civil(1899, 12, 30);
            let in_day = seconds.rem_euclid(86_400);
            format!(
                "{} {:02}:{:02}:{:02}",
                super::cells::DayText(days),
                in_day / 3600,
                in_day / 60 % 60,
                in_day % 60
            )
        }
    }
}
