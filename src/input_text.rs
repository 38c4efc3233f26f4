//! Text files from the user as editors and spreadsheets save them: the CSV files every
//! command reads (`--params`, correlations, `--grid`, `--swings`) share one way of being
//! read here, so they agree on separators, decimal commas and line numbers.
//!
//! Line numbers: the csv crate's `Position::line()` counts a record from the end of the
//! record before it, so a CRLF line end (Excel's), a blank line or a `#` comment line
//! before a record put the record one line (or more) too early
//! (BurntSushi/rust-csv#395). A record's line is found instead from its byte offset: past
//! the line ends and comment lines the parser skips, at the record's first byte.
//!
//! Encodings: every text file the user gives (scenario TOML files, every CSV) is read
//! through [`read_text`], which decodes it to UTF-8 by one rule:
//! 1. a UTF-8 byte order mark: UTF-8 (the mark dropped); a UTF-16 one (`FF FE`, `FE FF`):
//!    UTF-16 little- or big-endian;
//! 2. no mark, but NUL bytes in at least a quarter of the odd (even) positions of the first
//!    4 KiB (two at least) and at most a tenth as many in the others: UTF-16 little-
//!    (big-)endian without a mark (the high byte of every ASCII character is NUL);
//! 3. valid UTF-8: as it is;
//! 4. otherwise Windows-1252 (Excel's "ANSI" in Western Europe and the Americas), but only
//!    when that is no guess: no part of the file is valid UTF-8 beyond ASCII (a file that
//!    mixes two encodings), every byte beyond ASCII is a letter or a common sign in
//!    Windows-1252 (`é`, `ß`, `€`, `£`, `°`, `–`, `’` …), and at most two such bytes stand
//!    in a row (text in another alphabet saved in a local code page — Thai, Cyrillic,
//!    Greek, Chinese — makes longer runs, which Windows-1252 would turn into nonsense);
//! 5. anything else is refused, naming the file, the line of the first byte that is not
//!    UTF-8, and the fix: save it as UTF-8. A spreadsheet workbook (`.xlsx`, `.xls`) is
//!    refused as such.
//!
//! Every decoding keeps the lines, so line numbers in messages are the file's.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::error::{InputError, Kind, Problem};

/// What a text file is, for the fix a refusal suggests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A CSV file (often saved by a spreadsheet).
    Csv,
    /// A scenario file (TOML, saved by a text editor).
    Scenario,
}

impl FileKind {
    fn fix(self) -> &'static str {
        match self {
            FileKind::Csv => "save it as CSV UTF-8: in Excel, File › Save As › CSV UTF-8",
            FileKind::Scenario => "save it as UTF-8: in Notepad, File › Save As, Encoding UTF-8",
        }
    }
}

/// Reads a text file (or standard input for `-`, named `<stdin>`) and decodes it
/// ([`decode`]). `what` names it in the message when it cannot be read ("scenario",
/// "parameter CSV").
pub fn read_text(path: &Path, what: &str, kind: FileKind) -> Result<String, InputError> {
    let cannot = |from: String, e: std::io::Error| {
        InputError::one(Problem::general(
            Kind::Unreadable,
            format!("cannot read {what} {from}: {e}"),
        ))
    };
    // Read at most one byte past the cap: `/dev/zero` or a wrong multi-gigabyte file is
    // refused at once instead of filling the memory.
    let read_capped = |reader: &mut dyn Read, from: String| {
        let mut bytes = Vec::new();
        reader
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| cannot(from.clone(), e))?;
        if bytes.len() as u64 > MAX_INPUT_BYTES {
            return Err(InputError::one(Problem::general(
                Kind::TooLarge,
                format!(
                    "{what} {from} is larger than {} MB: no scenario or CSV shopsim reads is that large (a 10,000-point grid is a few MB); is it the right file?",
                    MAX_INPUT_BYTES >> 20
                ),
            )));
        }
        Ok(bytes)
    };
    if path.as_os_str() == "-" {
        let bytes = read_capped(&mut std::io::stdin(), "from standard input".to_string())?;
        return decode(&bytes, "<stdin>", kind);
    }
    let from = format!("'{}'", path.display());
    let mut file = std::fs::File::open(path).map_err(|e| cannot(from.clone(), e))?;
    let bytes = read_capped(&mut file, from)?;
    decode(&bytes, &path.display().to_string(), kind)
}

/// Largest scenario or CSV file read, in bytes (64 MiB): far above any real one.
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// The text of a file's bytes, by the rule in the module's documentation; `origin` names
/// the file in a refusal.
pub fn decode(bytes: &[u8], origin: &str, kind: FileKind) -> Result<String, InputError> {
    let refuse = |line: Option<usize>, message: String| {
        let p = Problem::new(Kind::Unreadable, origin, message).with_hint(kind.fix());
        InputError::one(match line {
            Some(line) => p.at_line(line),
            None => p,
        })
    };
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(refuse(
            None,
            "this is a spreadsheet workbook (.xlsx or .xls) or another binary file, not text"
                .to_string(),
        ));
    }
    let (utf16, body) = match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => (None, rest),
        [0xFF, 0xFE, rest @ ..] => (Some(UTF_16LE), rest),
        [0xFE, 0xFF, rest @ ..] => (Some(UTF_16BE), rest),
        _ => (utf16_without_bom(bytes), bytes),
    };
    if let Some(encoding) = utf16 {
        let (text, malformed) = encoding.decode_without_bom_handling(body);
        if malformed {
            let at = text.find('\u{fffd}').unwrap_or(text.len());
            return Err(refuse(
                Some(crate::error::line_of(&text, at)),
                format!(
                    "the file is {} text with a broken character on this line",
                    encoding.name()
                ),
            ));
        }
        return Ok(text.into_owned());
    }
    let bad = match std::str::from_utf8(body) {
        Ok(text) => return Ok(text.to_string()),
        Err(e) => e.valid_up_to(),
    };
    if bytes.len() == body.len() && is_plain_windows_1252(body) {
        return Ok(WINDOWS_1252
            .decode_without_bom_handling(body)
            .0
            .into_owned());
    }
    let line = body[..bad].iter().filter(|&&b| b == b'\n').count() + 1;
    Err(refuse(
        Some(line),
        format!(
            "the file is not UTF-8 text (byte 0x{:02X} on this line), and reading it as Windows-1252 (Western European) would be a guess: it may be in another code page (Thai, Cyrillic, Chinese …) or mix two encodings",
            body[bad]
        ),
    ))
}

/// UTF-16 without a byte order mark: NUL bytes (the high byte of ASCII characters) in at
/// least a quarter of the odd positions of the first 4 KiB (two at least) and at most a
/// tenth as many in the even ones (little-endian), or the other way round (big-endian).
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let units = sample.len() / 2;
    let nuls = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nuls(0), nuls(1));
    if even.max(odd) < 2 {
        None
    } else if odd * 4 >= units && even * 10 <= odd {
        Some(UTF_16LE)
    } else if even * 4 >= units && odd * 10 <= even {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Whether bytes that are not UTF-8 read as Windows-1252 without guessing (rule 4 of the
/// module's documentation).
fn is_plain_windows_1252(bytes: &[u8]) -> bool {
    // A file that mixes encodings: some of it is UTF-8 beyond ASCII.
    if bytes.utf8_chunks().any(|c| !c.valid().is_ascii()) {
        return false;
    }
    // Latin letters with accents (À to ɏ: Windows-1252's Š, Œ, Ž, ƒ too), and the signs
    // Western text uses; not the rarer ones (ˆ ‰ ‹ † ¦ ¨ ¬ ¯ ´ ¸ …), nor the bytes
    // Windows-1252 leaves undefined.
    let common = |c: char| {
        ('\u{c0}'..='\u{24f}').contains(&c)
            || "€£¥¢°§±–—‘’‚“”„…•·©®™«»ªºµ²³¹½¼¾¿¡\u{a0}".contains(c)
    };
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
    let mut run = 0;
    // Windows-1252 is one byte a character: the characters are the bytes, in order.
    for c in text.chars() {
        if c.is_ascii() {
            run = 0;
            continue;
        }
        run += 1;
        if run > 2 || !common(c) {
            return false;
        }
    }
    true
}

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

    fn read(bytes: &[u8]) -> Result<String, String> {
        decode(bytes, "f.csv", FileKind::Csv).map_err(|e| e.to_string())
    }

    #[test]
    fn utf8_and_utf16_are_decoded_with_or_without_a_mark() {
        assert_eq!(read("a,é\n".as_bytes()).unwrap(), "a,é\n");
        assert_eq!(read(b"\xEF\xBB\xBFa,1").unwrap(), "a,1");
        let text = "key,value\r\nก,0,5\r\n";
        let units: Vec<u16> = text.encode_utf16().collect();
        let le: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
        for (bytes, mark) in [(&le, [0xFF, 0xFE]), (&be, [0xFE, 0xFF])] {
            assert_eq!(read(bytes).unwrap(), text);
            assert_eq!(read(&[&mark[..], bytes].concat()).unwrap(), text);
        }
        // An odd byte at the end of UTF-16 is a broken character, on its line.
        let e = read(&[&le[..], b"x"].concat()).unwrap_err();
        assert!(
            e.starts_with("f.csv:3: the file is UTF-16LE text with a broken character"),
            "{e}"
        );
        // A stray NUL in UTF-8 text does not make it UTF-16.
        assert_eq!(read(b"a,b\n\0c,d\n").unwrap(), "a,b\n\0c,d\n");
    }

    #[test]
    fn windows_1252_is_read_only_when_it_is_no_guess() {
        // Western text: letters with accents, `€`, `£`, `’`, two in a row at most.
        assert_eq!(
            read(b"# Gr\xF6\xDFe, caf\xE9, \x805, \xA3 \x92\nk,v\n").unwrap(),
            "# Größe, café, €5, £ ’\nk,v\n"
        );
        let refused = |bytes: &[u8]| read(bytes).unwrap_err();
        // Cyrillic (Windows-1251 "Привет") and Thai (Windows-874): long runs.
        let e = refused(b"k,v\n# \xCF\xF0\xE8\xE2\xE5\xF2\n");
        assert!(
            e.starts_with("f.csv:2: the file is not UTF-8 text (byte 0xCF on this line)"),
            "{e}"
        );
        assert!(
            e.ends_with("(save it as CSV UTF-8: in Excel, File › Save As › CSV UTF-8)"),
            "{e}"
        );
        refused(b"# \xCA\xC7\xD1\xCA\xB4\xD5\n");
        // A byte Windows-1252 leaves undefined, and a sign no Western text needs.
        refused(b"# a\x81b\n");
        refused(b"# a\x88b\n");
        // UTF-8 and Windows-1252 in one file; invalid bytes after a UTF-8 mark.
        refused(
            "# café caf"
                .as_bytes()
                .iter()
                .chain(b"\xE9")
                .copied()
                .collect::<Vec<u8>>()
                .as_slice(),
        );
        refused(b"\xEF\xBB\xBF# caf\xE9\n");
        // A workbook.
        let e = refused(b"PK\x03\x04rest");
        assert!(
            e.starts_with("f.csv: this is a spreadsheet workbook"),
            "{e}"
        );
        let e = decode(b"\xD0\xCF\x11\xE0", "s.toml", FileKind::Scenario)
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("(save it as UTF-8: in Notepad, File › Save As, Encoding UTF-8)"),
            "{e}"
        );
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
