//! Problems with the user's input (exit code 2), as opposed to failures of the program or
//! the machine (exit code 1), and warnings that do not stop a run.
//!
//! Every problem is a [`Problem`]: where (origin, line, key), what kind, what is wrong,
//! and how to fix it. An [`InputError`] holds every problem found, so a file's problems are
//! reported together, ordered by file and line, and tests can count them by kind.

use std::fmt;

/// What kind of problem: for tests, for the error table in `docs/errors.md`, and so the
/// problems of a file can be counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The file is not valid TOML, CSV or JSON.
    Syntax,
    /// A key or column the program does not know.
    UnknownKey,
    /// A value of the wrong type (text where a number belongs, …).
    WrongType,
    /// A required key, column or value is missing.
    Missing,
    /// A value outside its valid range, or a distribution that cannot be drawn.
    OutOfRange,
    /// Values that contradict each other (a duplicate, s > S, two studies in one folder).
    Conflict,
    /// A study or variant name that cannot be used (length, characters).
    Name,
    /// A file or folder that does not exist or cannot be read.
    Unreadable,
    /// A run that cannot fit in this machine's memory.
    TooLarge,
    /// An output folder that cannot be written, or that shopsim will not replace.
    Output,
}

/// One problem with the input.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Problem {
    /// The file (or flag, or `built-in …`) the problem is in; empty when it is not in one.
    pub origin: String,
    /// 1-based line in `origin`, when known.
    pub line: Option<usize>,
    /// The key or column concerned, when there is one.
    pub key: Option<String>,
    /// What kind of problem it is (see docs/errors.md).
    pub kind: Kind,
    /// What is wrong, in the user's words (it may name the key again).
    pub message: String,
    /// How to fix it, when the message does not already say.
    pub hint: Option<String>,
}

impl Problem {
    /// A problem at `origin` (a file, a flag), no line.
    pub fn new(kind: Kind, origin: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            origin: origin.into(),
            line: None,
            key: None,
            kind,
            message: message.into(),
            hint: None,
        }
    }

    /// A problem that is not in any file (a missing path, an unusable folder).
    pub fn general(kind: Kind, message: impl Into<String>) -> Problem {
        Problem::new(kind, "", message)
    }

    /// The same problem at a 1-based line of its file.
    pub fn at_line(mut self, line: usize) -> Problem {
        self.line = Some(line);
        self
    }

    /// The same problem about a key.
    pub fn with_key(mut self, key: impl Into<String>) -> Problem {
        self.key = Some(key.into());
        self
    }

    /// The same problem with a hint on how to fix it.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.origin.is_empty(), self.line) {
            (true, _) => {}
            (false, Some(line)) => write!(f, "{}:{line}: ", self.origin)?,
            (false, None) => write!(f, "{}: ", self.origin)?,
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// How many problems are printed; the rest are counted.
pub const MAX_SHOWN: usize = 50;

/// Bad input: every problem found, in file and line order, duplicates removed.
#[derive(Clone, Debug, PartialEq)]
pub struct InputError(Vec<Problem>);

impl InputError {
    /// One problem of `kind` with no file and no line (a missing path, a flag that
    /// contradicts another, a folder that is not a study's).
    pub fn new(kind: Kind, message: impl Into<String>) -> InputError {
        InputError(vec![Problem::general(kind, message)])
    }

    /// An error of one problem.
    pub fn one(problem: Problem) -> InputError {
        InputError(vec![problem])
    }

    /// Collects problems (`None` when there are none), sorted by origin and line (a
    /// problem with no line first), duplicates removed.
    pub fn from_problems(mut problems: Vec<Problem>) -> Option<InputError> {
        if problems.is_empty() {
            return None;
        }
        // Stable: problems on one line keep the order they were found in.
        problems.sort_by(|a, b| (&a.origin, a.line).cmp(&(&b.origin, b.line)));
        let mut seen = std::collections::HashSet::new();
        problems.retain(|p| seen.insert(p.clone()));
        Some(InputError(problems))
    }

    /// The problems, in line order.
    pub fn problems(&self) -> &[Problem] {
        &self.0
    }

    /// The problems, by value.
    pub fn into_problems(self) -> Vec<Problem> {
        self.0
    }

    /// The number of problems of a kind.
    pub fn count(&self, kind: Kind) -> usize {
        self.0.iter().filter(|p| p.kind == kind).count()
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().take(MAX_SHOWN).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        let more = self.0.len().saturating_sub(MAX_SHOWN);
        if more > 0 {
            write!(
                f,
                "\n… and {more} more problem{} ({} in all; fix these first)",
                if more == 1 { "" } else { "s" },
                self.0.len()
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// A problem that does not stop the run (a model not offered in a market, a long run).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The file (or other origin) the warning is about.
    pub origin: String,
    /// Its 1-based line, when known.
    pub line: Option<usize>,
    /// What to know, in one sentence.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.origin, self.message),
            None if self.origin.is_empty() => write!(f, "{}", self.message),
            None => write!(f, "{}: {}", self.origin, self.message),
        }
    }
}

/// Line numbers of byte offsets in one text, in O(log n) each (one pass to build), so
/// reporting many problems stays linear in the file's size.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// The index of `text`: where each line starts.
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|&(_, b)| b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        LineIndex { starts }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// The text of a 1-based line of `text` (the text this index was built from), without
    /// its line break.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).map_or(text.len(), |&next| next - 1);
        text.get(start..end.max(start))
            .unwrap_or("")
            .trim_end_matches('\r')
    }
}

/// 1-based line of a byte offset in `text` (one look-up; use [`LineIndex`] for many).
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// How many characters of a user's text a message shows: more than any name may hold
/// (100), few enough that a 10 MB cell does not fill the terminal.
pub const SHOWN_CHARS: usize = 160;

/// Shows text that came from the user in a message without letting it drive the terminal:
/// control characters (NUL, escape sequences) are written as `\u{..}` escapes, and text
/// longer than [`SHOWN_CHARS`] is cut, saying how long it is.
pub fn printable(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        None => escaped(text),
        Some((cut, _)) => format!(
            "{}… ({} characters in all)",
            escaped(&text[..cut]),
            crate::format::fmt_number(text.chars().count() as f64)
        ),
    }
}

/// A path for a message or the terminal, with control characters escaped as in
/// [`printable`] but never cut (a folder name holding an escape sequence must not drive
/// the terminal; a long path is still the path).
pub fn printable_path(path: &std::path::Path) -> String {
    escaped(&path.display().to_string())
}

/// A whole message for the terminal: control characters escaped as in [`printable`],
/// nothing cut (the user's text in it was cut where it was put in).
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_index_agrees_with_counting() {
        let text = "a\nbb\n\nccc\n";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() {
            assert_eq!(index.line(offset), line_of(text, offset), "offset {offset}");
        }
        let lines: Vec<&str> = (1..=5).map(|l| index.line_text(text, l)).collect();
        assert_eq!(lines, ["a", "bb", "", "ccc", ""]);
    }

    #[test]
    fn problems_are_sorted_by_line_deduplicated_and_capped() {
        let p =
            |line| Problem::new(Kind::UnknownKey, "f.toml", format!("bad {line}")).at_line(line);
        let mut list: Vec<Problem> = (1..=60).rev().map(p).collect();
        list.push(p(7));
        list.push(Problem::new(Kind::Missing, "f.toml", "no trials"));
        let e = InputError::from_problems(list).unwrap();
        assert_eq!(e.problems().len(), 61);
        assert_eq!(e.count(Kind::UnknownKey), 60);
        let text = e.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "f.toml: no trials");
        assert_eq!(lines[1], "f.toml:1: bad 1");
        assert_eq!(
            lines[50],
            "… and 11 more problems (61 in all; fix these first)"
        );
        assert_eq!(lines.len(), 51);
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("a\u{1b}[31mb\0"), "a\\u{1b}[31mb\\u{0}");
        assert_eq!(printable("ünï\tcode"), "ünï\tcode");
    }

    #[test]
    fn long_text_is_cut_saying_how_long_it_was() {
        let cell = "A".repeat(5_000_000);
        let shown = printable(&cell);
        assert!(shown.starts_with(&"A".repeat(SHOWN_CHARS)), "{shown}");
        assert!(
            shown.ends_with("… (5,000,000 characters in all)"),
            "{shown}"
        );
        assert!(shown.len() < 250);
        let name = "é".repeat(SHOWN_CHARS);
        assert_eq!(printable(&name), name, "text at the limit is whole");
    }
}
