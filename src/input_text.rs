//! Text files from the user as editors and spreadsheets save them: the CSV files every
//! command reads (`--params`, correlations, `--grid`, `--swings`) share one way of being
//! read here, so they agree on separators, decimal commas and line numbers.
//!
//! Line numbers: the csv crate's `Position::line()` counts a record from the end of the
//! record before it, so a CRLF line end (Excel's), a blank line or a `#` comment line
//! before a record put the record one line (or more) too early
//! (BurntSushi/rust-csv#395). A record's line is found instead from its byte offset: past
//! the line ends and comment lines the parser skips, at the record's first byte.

use std::borrow::Cow;

/// The comment character of every CSV the program reads (`# note` lines are skipped).
const COMMENT: u8 = b'#';

/// A CSV text ready to read: its column separator, and the line of each record.
pub struct CsvText<'t> {
    text: &'t str,
    /// Where each line starts: after `\n`, `\r\n` or a lone `\r` (old Mac files).
    starts: Vec<usize>,
    /// The column separator ([`sniff_delimiter`]).
    pub delimiter: u8,
}

impl<'t> CsvText<'t> {
    /// The text (a leading byte order mark dropped) and its separator.
    pub fn new(text: &'t str) -> CsvText<'t> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        CsvText {
            text,
            starts: line_starts(text.as_bytes()),
            delimiter: sniff_delimiter(text),
        }
    }

    /// The text as read (without a byte order mark).
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// A reader of the records: the header first, cells trimmed, `#` lines skipped, every
    /// row as wide as the header.
    pub fn reader(&self) -> csv::Reader<&'t [u8]> {
        csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .trim(csv::Trim::All)
            .comment(Some(COMMENT))
            .flexible(false)
            .from_reader(self.text.as_bytes())
    }

    /// The 1-based line a record starts on, from its position (line 1 without one).
    pub fn line(&self, position: Option<&csv::Position>) -> usize {
        let bytes = self.text.as_bytes();
        let mut at = position.map_or(0, |p| p.byte() as usize).min(bytes.len());
        // What the parser skips before a record: line ends, and comment lines.
        loop {
            match bytes.get(at) {
                Some(b'\r' | b'\n') => at += 1,
                Some(&COMMENT) => {
                    at = bytes[at..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(bytes.len(), |n| at + n + 1)
                }
                _ => break,
            }
        }
        self.starts.partition_point(|&s| s <= at)
    }

    /// The 1-based line of the header (after any comment and blank lines).
    pub fn header_line(&self) -> usize {
        self.line(None)
    }

    /// The 1-based line of a record the parser could not read.
    pub fn error_line(&self, e: &csv::Error) -> usize {
        self.line(e.position())
    }
}

/// Where each line of `bytes` starts.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    starts
}

/// What is wrong with a record the parser could not read, without the parser's own
/// position (its line is wrong with CRLF line ends; the caller gives the right one).
pub fn describe_csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "the row has {len} cell{}, the header {expected_len}",
            if *len == 1 { "" } else { "s" }
        ),
        _ => e.to_string(),
    }
}

/// The column separator: `;` or tab when the header line has one of them and no comma.
pub fn sniff_delimiter(text: &str) -> u8 {
    let header = text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .unwrap_or("");
    let count = |c: char| header.matches(c).count();
    if count(',') > 0 {
        b','
    } else if count(';') > 0 {
        b';'
    } else if count('\t') > 0 {
        b'\t'
    } else {
        b','
    }
}

/// How a separator is named in messages.
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b';' => "`;`",
        b'\t' => "tabs",
        _ => "`,`",
    }
}

/// A cell with its decimal commas read as decimal points when the columns are not
/// separated by commas (`;` or tabs, as Excel saves in many locales): `0,15` → `0.15`,
/// `1,5..2,5` → `1.5..2.5`. Every CSV reader takes numbers through here, so `0,5` means
/// the same in a parameter, correlations, grid or swings file. A distribution's argument
/// list (`normal(5, 1)`) is left alone: there the comma separates arguments.
pub fn decimal_point(cell: &str, delimiter: u8) -> Cow<'_, str> {
    if delimiter == b',' {
        return Cow::Borrowed(cell);
    }
    let plain = |s: &str| {
        let s = s.trim().trim_start_matches('-');
        let mut parts = s.split(',');
        matches!(
            (parts.next(), parts.next(), parts.next()),
            (Some(a), Some(b), None) if !a.is_empty() && !b.is_empty()
                && a.chars().all(|c| c.is_ascii_digit())
                && b.chars().all(|c| c.is_ascii_digit())
        )
    };
    if let Some((lo, hi)) = cell.split_once("..") {
        if plain(lo) || plain(hi) {
            return Cow::Owned(format!(
                "{}..{}",
                lo.replace(',', "."),
                hi.replace(',', ".")
            ));
        }
    }
    if plain(cell) {
        return Cow::Owned(cell.replace(',', "."));
    }
    Cow::Borrowed(cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line of every record of `text`, and of the problem of every bad record.
    fn lines(text: &str) -> Vec<usize> {
        let csv = CsvText::new(text);
        let mut reader = csv.reader();
        reader
            .records()
            .map(|r| match r {
                Ok(r) => csv.line(r.position()),
                Err(e) => csv.error_line(&e),
            })
            .collect()
    }

    #[test]
    fn records_are_on_their_own_lines_whatever_the_line_ends() {
        let lf = "key,value\na,1\n# note\n\nb,2\n\"c\nd\",3\ne,4,5\nf,6\n";
        assert_eq!(lines(lf), [2, 5, 6, 8, 9]);
        assert_eq!(lines(&lf.replace('\n', "\r\n")), [2, 5, 6, 8, 9]);
        // A comment line and blank lines before the header, a byte order mark, old Mac
        // line ends.
        assert_eq!(lines("\u{feff}# c\r\n\r\nkey,value\r\na,1\r\n"), [4]);
        assert_eq!(lines("key,value\ra,1\r\rb,2"), [2, 4]);
    }

    #[test]
    fn decimal_commas_are_points_unless_commas_separate_the_columns() {
        for d in [b';', b'\t'] {
            assert_eq!(decimal_point("0,5", d), "0.5");
            assert_eq!(decimal_point("-0,5", d), "-0.5");
            assert_eq!(decimal_point("18,5..22", d), "18.5..22");
            assert_eq!(decimal_point("normal(5, 1)", d), "normal(5, 1)");
            assert_eq!(decimal_point("1,000,5", d), "1,000,5");
        }
        assert_eq!(decimal_point("0,5", b','), "0,5");
    }

    #[test]
    fn the_parsers_message_loses_its_position() {
        let csv = CsvText::new("key,value\r\na,1,2\r\n");
        let e = csv.reader().records().next().unwrap().unwrap_err();
        assert_eq!(describe_csv_error(&e), "the row has 3 cells, the header 2");
        assert_eq!(csv.error_line(&e), 2);
    }
}
