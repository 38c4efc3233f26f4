//! The validator every part of a scenario's checking shares: where the text is, the
//! problems and warnings found so far, and the checks of single values (a whole number, a
//! date, a name, a choice) that report at the value's line and key. The parts (`validate`
//! for the study and variants, `events`, `correlations`, `event_keys`) extend it.

use std::ops::Range;

use super::raw::RawValue;
use crate::error::{printable, Kind, LineIndex, Problem, Warning};
use crate::params::dist::DistError;
use crate::params::rules::{Date, DEFAULT_AS_OF};
use crate::params::{Dist, ExchangeRate};

/// What validation has found so far, and where in the text.
pub(super) struct Validator<'a> {
    pub(super) origin: &'a str,
    pub(super) lines: LineIndex,
    pub(super) problems: Vec<Problem>,
    pub(super) warnings: Vec<Warning>,
    /// `[base]` applies to every variant; its problems are reported for the first only.
    pub(super) base_reported: bool,
    /// Unknown keys seen so far: past [`HINTED_UNKNOWN_KEYS`], no "did you mean" search
    /// (only the first problems are printed), so a huge file stays linear and fast.
    pub(super) unknown_keys: usize,
    /// The date the study is about: which platform rules apply.
    pub(super) as_of: Date,
    /// The study's length in days (once read): how far its dated rows must reach.
    pub(super) horizon_days: u32,
    /// A study not in USD: its exchange rate and where the file gives it (`fx.THB`).
    pub(super) exchange: Option<(ExchangeRate, Range<usize>)>,
    /// A rate that converts a default out of its range is reported for the first
    /// variant only (the rate is to blame, not each variant).
    pub(super) exchange_reported: bool,
    /// The event being read (its `name`), for the warnings about its values.
    pub(super) event_name: String,
    /// Warnings about an event's values whose draws would be clamped, with the key and the
    /// value each is about: said once the `--params` rows and a command's points are
    /// applied, and only of a value they left in place (`warn_clamped_event_values`).
    pub(super) event_clamps: Vec<(super::event_keys::EventKey, Dist, Warning)>,
}

pub(super) const HINTED_UNKNOWN_KEYS: usize = 2 * crate::error::MAX_SHOWN;

/// How a value is described in a message: its type and the value.
pub(super) fn describe(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("the text \"{}\"", printable(s)),
        toml::Value::Integer(i) => format!("the number {i}"),
        toml::Value::Float(f) => format!("the number {f}"),
        toml::Value::Boolean(b) => format!("`{b}`"),
        toml::Value::Datetime(d) => format!("the date {d}"),
        toml::Value::Array(_) => "a list".to_string(),
        toml::Value::Table(_) => "a table".to_string(),
    }
}

impl<'a> Validator<'a> {
    /// A validator of `text` (read from `origin`), with nothing found yet.
    pub(super) fn new(text: &str, origin: &'a str) -> Validator<'a> {
        Validator {
            origin,
            lines: LineIndex::new(text),
            problems: Vec::new(),
            warnings: Vec::new(),
            base_reported: false,
            unknown_keys: 0,
            as_of: DEFAULT_AS_OF,
            horizon_days: 1,
            exchange: None,
            exchange_reported: false,
            event_name: String::new(),
            event_clamps: Vec::new(),
        }
    }

    /// The line of a byte offset of the file.
    pub(super) fn line_of(&self, offset: usize) -> usize {
        self.lines.line(offset)
    }

    /// Records a warning about the text at `offset` (or the whole file).
    pub(super) fn warning(&mut self, offset: Option<usize>, message: String) {
        self.warnings.push(Warning {
            origin: self.origin.to_string(),
            line: offset.map(|o| self.lines.line(o)),
            message,
        });
    }

    /// The file (or built-in name) being validated.
    pub(super) fn origin(&self) -> &str {
        self.origin
    }

    /// Records a problem at the line of `span`.
    pub(super) fn problem(&mut self, span: Range<usize>, kind: Kind, key: &str, message: String) {
        let line = self.lines.line(span.start);
        let mut p = Problem::new(kind, self.origin, message).at_line(line);
        if !key.is_empty() {
            p = p.with_key(key);
        }
        self.problems.push(p);
    }

    /// A required key: reported as missing (at `table`'s line, if any) when absent.
    pub(super) fn required<'v>(
        &mut self,
        value: Option<&'v RawValue>,
        key: &str,
        table: Option<(Range<usize>, &str)>,
        example: &str,
    ) -> Option<&'v RawValue> {
        if value.is_none() {
            let (message, line) = match &table {
                Some((span, what)) => (
                    format!("{what}: key `{key}` is missing (add e.g. `{example}`)"),
                    Some(self.lines.line(span.start)),
                ),
                None => (
                    format!("key `{key}` is missing (add e.g. `{example}` at the top of the file)"),
                    None,
                ),
            };
            let mut p = Problem::new(Kind::Missing, self.origin, message).with_key(key);
            p.line = line;
            self.problems.push(p);
        }
        value
    }

    /// Reports that `key` holds the wrong type of value: "{what}key `k` must be {expected};
    /// found {what was found}".
    pub(super) fn wrong_type(&mut self, value: &RawValue, key: &str, what: &str, expected: &str) {
        let found = describe(value.get_ref());
        self.problem(
            value.span(),
            Kind::WrongType,
            key,
            format!("{what}key `{key}` must be {expected}; found {found}"),
        );
    }

    /// A whole number (an integer, or a float with no fraction such as `1e4`).
    pub(super) fn whole(&mut self, value: &RawValue, key: &str, what: &str) -> Option<i64> {
        match value.get_ref() {
            toml::Value::Integer(i) => Some(*i),
            toml::Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Some(*f as i64),
            _ => {
                self.wrong_type(value, key, what, "a whole number");
                None
            }
        }
    }

    /// A date `YYYY-MM-DD`, quoted or as a TOML date.
    pub(super) fn date(&mut self, value: &RawValue, key: &str) -> Option<Date> {
        let text = match value.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(d) => d.to_string(),
            _ => {
                self.wrong_type(value, key, "", "a date such as \"2026-11-01\"");
                return None;
            }
        };
        match text.parse::<Date>() {
            Ok(d) => Some(d),
            Err(e) => {
                self.problem(
                    value.span(),
                    Kind::OutOfRange,
                    key,
                    format!("key `{key}`: {e}"),
                );
                None
            }
        }
    }

    /// Text in quotes.
    pub(super) fn text(&mut self, value: &RawValue, key: &str, what: &str) -> Option<String> {
        match value.get_ref() {
            toml::Value::String(s) => Some(s.trim().to_string()),
            _ => {
                let expected = format!("text in quotes (e.g. {key} = \"...\")");
                self.wrong_type(value, key, what, &expected);
                None
            }
        }
    }

    /// One of a fixed set of words (market, category, model, loop).
    pub(super) fn choice<T: std::str::FromStr<Err = String>>(
        &mut self,
        value: Option<&RawValue>,
        key: &str,
        what: &str,
    ) -> Option<T> {
        let value = value?;
        let word = self.text(value, key, what)?;
        match word.parse::<T>() {
            Ok(v) => Some(v),
            Err(e) => {
                self.problem(
                    value.span(),
                    Kind::OutOfRange,
                    key,
                    format!("{what}key `{key}`: {e}"),
                );
                None
            }
        }
    }

    /// A study, variant or event name (see [`super::name_rules`]): a study's names its
    /// output folder, so only plain characters.
    pub(super) fn name(&mut self, value: &RawValue, what: &str, is_study: bool) -> Option<String> {
        let name = self.text(value, "name", what)?;
        let why = if is_study {
            super::name_rules::why_not_a_study_name(&name)
        } else {
            super::name_rules::why_not_a_name(&name)
        };
        match why {
            Some(why) => {
                self.problem(
                    value.span(),
                    Kind::Name,
                    "name",
                    format!(
                        "{what}key `name`: `{}` cannot be used: {why}",
                        printable(&name)
                    ),
                );
                None
            }
            None => Some(name),
        }
    }

    /// A required top-level whole number; `invalid` says what is wrong with a value, if
    /// anything. Returns the value when it is a whole number (valid or not).
    pub(super) fn top_level_whole(
        &mut self,
        value: Option<&RawValue>,
        key: &str,
        example: &str,
        invalid: impl Fn(i64) -> Option<String>,
    ) -> Option<(RawValue, i64)> {
        let value = self.required(value, key, None, example)?;
        let n = self.whole(value, key, "")?;
        if let Some(why) = invalid(n) {
            self.problem(
                value.span(),
                Kind::OutOfRange,
                key,
                format!("key `{key}`: {why}"),
            );
        }
        Some((value.clone(), n))
    }
}

/// A TOML value as a number or distribution.
pub(super) fn value_to_dist(value: &toml::Value) -> Result<Dist, DistError> {
    match value {
        toml::Value::Integer(i) => Dist::fixed(*i as f64),
        toml::Value::Float(f) if f.is_finite() => Dist::fixed(*f),
        toml::Value::Float(f) => Err(DistError::NotFinite(f.to_string())),
        toml::Value::String(s) => Dist::parse(s),
        other => Err(DistError::NotAValue(describe(other))),
    }
}
