//! One dated table for every file of platform rules under `data/` (embedded with
//! `include_str!`): rows in force from a date (inclusive) until another (exclusive), for
//! the settings their filters name, each with its source. Platform fees, duties, penalties
//! and rules change by market and date, so they are data read here once, checked at load
//! (every key, every date, no two rows of a kind in force at once for one setting unless
//! the kind stacks), and looked up by the study's setting and date. A broken row is an
//! error that names the file, the row, its line and the key ([`DataError`]); a test loads
//! every embedded file ([`super::data::check`]), so a broken file cannot ship.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use toml_edit::{ImDocument, Item, Table as TomlTable, Value};

use super::date::{Date, InForce};
use super::fx::Native;
use super::{check_value, Category, CheckedValue, Dispatcher, DutyBasis, LoopType, Market};
use super::{Model, Route, Setting, P, SPECS};
use super::{Origin, TariffLine};
use crate::error::LineIndex;

/// Where a row stands in its file: `[[duty]] #3 (line 27)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowAt {
    /// Its kind, the name of its `[[...]]` tables.
    pub kind: &'static str,
    /// 1-based position among the rows of its kind.
    pub index: usize,
    /// 1-based line of its header (or of the key at fault, in an error).
    pub line: usize,
}

impl fmt::Display for RowAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[[{}]] #{} (line {})", self.kind, self.index, self.line)
    }
}

/// A data file that does not load: what, where, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DataError {
    /// Not valid TOML.
    #[error("{file}: line {line}: {message}")]
    Syntax {
        /// The file, as `data/name.toml`.
        file: &'static str,
        /// 1-based line of the fault.
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// A top-level name that is no kind of row of this file, or not written as rows.
    #[error("{file}: line {line}: {message}")]
    Kind {
        /// The file.
        file: &'static str,
        /// 1-based line of the name.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A key of a row: missing, of the wrong type, unknown, or a value that does not read.
    #[error("{file}: {row}: key `{key}`: {message}")]
    Key {
        /// The file.
        file: &'static str,
        /// The row (its line: the key's, when the row has the key).
        row: RowAt,
        /// The key at fault.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// Two rows of a kind that does not stack, in force at once for the same setting.
    #[error(
        "{file}: {row}: in force on {day} together with {other}, for the same setting ({what}); \
         end the earlier row with `until` (the first day it no longer applies) or narrow a filter"
    )]
    Overlap {
        /// The file.
        file: &'static str,
        /// The later row.
        row: RowAt,
        /// The row it overlaps.
        other: RowAt,
        /// The first day both are in force.
        day: Date,
        /// The setting both are about.
        what: String,
    },
}

/// A column that narrows the settings a row is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    /// `market`: where it sells.
    Market,
    /// `model`: self-operated or fully managed.
    Model,
    /// `loop`: semi-closed or full closed.
    Loop,
    /// `route`: the delivery route.
    Route,
    /// `category`: the product category.
    Category,
    /// `basis`: what imports are valued at for duty (from the route).
    Basis,
    /// `dispatch`: who dispatches orders (from the route).
    Dispatch,
    /// `origin`: where the goods were made.
    Origin,
    /// `hs`: the first digits of the tariff lines a row is about (`3304`, `61`).
    TariffLine,
}

impl Filter {
    /// The column's name in the files.
    pub fn column(self) -> &'static str {
        match self {
            Filter::Market => "market",
            Filter::Model => "model",
            Filter::Loop => "loop",
            Filter::Route => "route",
            Filter::Category => "category",
            Filter::Basis => "basis",
            Filter::Dispatch => "dispatch",
            Filter::Origin => "origin",
            Filter::TariffLine => "hs",
        }
    }
}

/// The settings a row is about: every filter it leaves out matches any setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// Where it sells.
    pub market: Option<Market>,
    /// The operating model.
    pub model: Option<Model>,
    /// The loop type.
    pub loop_type: Option<LoopType>,
    /// The delivery route.
    pub route: Option<Route>,
    /// The product category.
    pub category: Option<Category>,
    /// The duty valuation basis of the route.
    pub basis: Option<DutyBasis>,
    /// Who dispatches on the route.
    pub dispatch: Option<Dispatcher>,
    /// Where the goods were made.
    pub origin: Option<Origin>,
    /// The tariff lines: every line that starts with these digits.
    pub hs: Option<TariffLine>,
}

impl Scope {
    /// Whether the row is about `setting`.
    pub fn covers(&self, s: &Setting) -> bool {
        fn fits<T: PartialEq>(filter: Option<T>, value: T) -> bool {
            filter.is_none_or(|f| f == value)
        }
        fits(self.market, s.market)
            && fits(self.model, s.model)
            && fits(self.loop_type, s.loop_type())
            && fits(self.route, s.route)
            && fits(self.category, s.category)
            && fits(self.basis, s.route.duty_basis())
            && fits(self.dispatch, s.route.dispatcher())
            && fits(self.origin, s.origin)
            && self.hs.is_none_or(|h| h.contains(s.tariff_line))
    }

    /// The filters it sets, as written: `market = "us", basis = "parcel"`.
    fn describe(&self) -> String {
        let names = [
            (Filter::Market, self.market.map(|m| m.name())),
            (Filter::Model, self.model.map(|m| m.name())),
            (Filter::Loop, self.loop_type.map(|l| l.name())),
            (Filter::Route, self.route.map(|r| r.name())),
            (Filter::Category, self.category.map(|c| c.name())),
            (Filter::Basis, self.basis.map(|b| b.name())),
            (Filter::Dispatch, self.dispatch.map(|d| d.name())),
            (Filter::Origin, self.origin.map(|o| o.name())),
        ];
        let mut set: Vec<String> = names
            .iter()
            .filter_map(|(f, v)| v.map(|v| format!("{} = \"{v}\"", f.column())))
            .collect();
        if let Some(hs) = self.hs {
            set.push(format!("{} = \"{hs}\"", Filter::TariffLine.column()));
        }
        if set.is_empty() {
            "every setting".to_string()
        } else {
            set.join(", ")
        }
    }
}

/// Whether rows of a kind may be in force at once for the same setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stacking {
    /// One row at a time (a rate, a penalty): two that overlap are a load error.
    Forbidden,
    /// Rows add up (rules that each forbid something): any number at once.
    Allowed,
}

/// What the rows of one kind (`[[name]]` tables) carry besides their own values.
#[derive(Clone, Copy, Debug)]
pub struct Kind {
    /// The name of its tables.
    pub name: &'static str,
    /// Filters every row must set.
    pub required: &'static [Filter],
    /// Filters a row may set.
    pub optional: &'static [Filter],
    /// Whether `from` may be left out (the source gives no start date: in force from the
    /// earliest day up to `until`).
    pub open_start: bool,
    /// Whether rows stack.
    pub stacking: Stacking,
}

/// The value of a row that can clash with another row's: rows of a kind that does not
/// stack clash only when their filters are the same and their slots are the same.
pub trait Slot {
    /// Whether `self` and `other` set the same thing (by default, every two rows do).
    fn same_slot(&self, _other: &Self) -> bool {
        true
    }
}

/// One dated row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row<T> {
    /// Where it stands in its file.
    pub at: RowAt,
    /// When it applies.
    pub in_force: InForce,
    /// The settings it is about.
    pub scope: Scope,
    /// Where it comes from (shown in `params --explain` and run.json).
    pub source: String,
    /// What it says.
    pub value: T,
}

/// The rows of one kind, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Table<T> {
    rows: Vec<Row<T>>,
}

impl<T> Table<T> {
    /// Every row, in file order.
    pub fn rows(&self) -> &[Row<T>] {
        &self.rows
    }

    /// The rows about `setting` on any date, in file order.
    pub fn about(&self, setting: Setting) -> impl Iterator<Item = &Row<T>> {
        self.rows.iter().filter(move |r| r.scope.covers(&setting))
    }

    /// The rows in force for `setting` on `as_of`, in file order.
    pub fn in_force(&self, setting: Setting, as_of: Date) -> impl Iterator<Item = &Row<T>> {
        self.about(setting)
            .filter(move |r| r.in_force.covers(as_of))
    }
}

impl<T: Slot> Table<T> {
    /// The rows, refused when two of a kind that does not stack are in force at once for
    /// the same setting and slot.
    fn checked(file: &'static str, kind: &Kind, rows: Vec<Row<T>>) -> Result<Table<T>, DataError> {
        if kind.stacking == Stacking::Forbidden {
            for (j, b) in rows.iter().enumerate() {
                let clash = rows[..j].iter().find(|a| {
                    a.scope == b.scope
                        && a.value.same_slot(&b.value)
                        && !a.in_force.disjoint(&b.in_force)
                });
                if let Some(a) = clash {
                    return Err(DataError::Overlap {
                        file,
                        row: b.at,
                        other: a.at,
                        day: a.in_force.from.max(b.in_force.from),
                        what: a.scope.describe(),
                    });
                }
            }
        }
        Ok(Table { rows })
    }
}

/// The common body of rows that set a parameter's default: `key` and `value` (checked
/// against the parameter's range at load). A money figure its source gives in a market's
/// own currency is written in it, with the rate that converts it for studies in any
/// other currency: `value = "199"`, `currency = "THB"`, `per_usd = 36.5`.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamValue {
    /// The value, with the parameter it is for, in USD (the defaults' currency).
    pub checked: CheckedValue,
    /// The value as its source gives it, where that is not in USD.
    pub native: Option<Native>,
}

impl ParamValue {
    /// Reads `key` and `value`.
    pub fn read(row: &mut RowReader) -> Result<ParamValue, DataError> {
        let key = row.text("key")?;
        let param = P::from_key(key).ok_or_else(|| {
            row.key_error(
                "key",
                format!(
                    "unknown parameter `{key}`{}",
                    crate::suggest::hint(key, SPECS.iter().map(|s| s.key))
                ),
            )
        })?;
        let currency = match row.get("currency") {
            Some(_) => Some(row.text("currency")?),
            None => None,
        };
        let Some(currency) = currency else {
            if row.get("per_usd").is_some() {
                return Err(row.key_error(
                    "per_usd",
                    "a rate without `currency`: `per_usd` converts a value written in another currency (`currency = \"THB\"`)".to_string(),
                ));
            }
            let checked = row.checked("value", param)?;
            return Ok(ParamValue {
                checked,
                native: None,
            });
        };
        if !param.spec().is_money() {
            return Err(row.key_error(
                "currency",
                format!(
                    "`{}` is not an amount of money: only money is written in a currency",
                    param.key()
                ),
            ));
        }
        let per_usd = row.number("per_usd")?;
        let in_native = row.checked("value", param)?;
        let native = Native::new(currency, per_usd, in_native.dist().clone())
            .map_err(|e| row.key_error("currency", e.to_string()))?;
        let checked = check_value(param, native.in_usd().clone())
            .map_err(|e| row.key_error("value", format!("{e} (for `{}`, in USD)", param.key())))?;
        Ok(ParamValue {
            checked,
            native: Some(native),
        })
    }

    /// The value as the row writes it: `0.06`, or `199 THB (5.45205479452055 USD at 36.5
    /// THB/USD)`.
    pub fn as_written(&self) -> String {
        match &self.native {
            None => self.checked.dist().to_string(),
            Some(n) => format!(
                "{} {} ({} USD{})",
                n.dist(),
                n.currency(),
                self.checked.dist(),
                n.rate_note()
            ),
        }
    }

    /// The parameter it sets.
    pub fn param(&self) -> P {
        self.checked.param()
    }
}

impl Slot for ParamValue {
    fn same_slot(&self, other: &Self) -> bool {
        self.param() == other.param()
    }
}

/// One data file, parsed, its kinds read one by one.
pub struct DataFile<'a> {
    file: &'static str,
    doc: ImDocument<&'a str>,
    lines: LineIndex,
    kinds: Vec<&'static str>,
}

impl<'a> DataFile<'a> {
    /// Parses `text`, the content of `file`.
    pub fn parse(file: &'static str, text: &'a str) -> Result<DataFile<'a>, DataError> {
        let lines = LineIndex::new(text);
        let doc = ImDocument::parse(text).map_err(|e| DataError::Syntax {
            file,
            line: e.span().map_or(1, |s| lines.line(s.start)),
            message: e.message().trim().replace('\n', "; "),
        })?;
        Ok(DataFile {
            file,
            doc,
            lines,
            kinds: Vec::new(),
        })
    }

    /// The rows of `kind` (none when the file has no such tables), each read by `read`
    /// after its dates, filters and source.
    pub fn rows<T: Slot>(
        &mut self,
        kind: &Kind,
        read: impl Fn(&mut RowReader) -> Result<T, DataError>,
    ) -> Result<Table<T>, DataError> {
        self.kinds.push(kind.name);
        let Some(item) = self.doc.get(kind.name) else {
            return Ok(Table { rows: Vec::new() });
        };
        let Some(tables) = item.as_array_of_tables() else {
            return Err(DataError::Kind {
                file: self.file,
                line: self.line_of(self.doc.as_table().key(kind.name).and_then(|k| k.span())),
                message: format!("`{0}` must be rows written as [[{0}]] tables", kind.name),
            });
        };
        let mut rows = Vec::new();
        for (i, table) in tables.iter().enumerate() {
            let mut row = RowReader {
                file: self.file,
                at: RowAt {
                    kind: kind.name,
                    index: i + 1,
                    line: self.line_of(table.span()),
                },
                table,
                lines: &self.lines,
                read: Vec::new(),
            };
            rows.push(row.dated(kind, &read)?);
        }
        Table::checked(self.file, kind, rows)
    }

    /// Refuses top-level names that no kind read (a misspelt `[[dutty]]`).
    pub fn finish(self) -> Result<(), DataError> {
        let root = self.doc.as_table();
        for (name, _) in root.iter() {
            if !self.kinds.contains(&name) {
                return Err(DataError::Kind {
                    file: self.file,
                    line: self.line_of(root.key(name).and_then(|k| k.span())),
                    message: format!(
                        "`{name}` is not a kind of row of this file{}; expected {}",
                        crate::suggest::hint(name, self.kinds.iter().copied()),
                        self.kinds
                            .iter()
                            .map(|k| format!("[[{k}]]"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
        }
        Ok(())
    }

    fn line_of(&self, span: Option<std::ops::Range<usize>>) -> usize {
        span.map_or(1, |s| self.lines.line(s.start))
    }
}

/// Reads `text` as `file` with `read`, then refuses names no kind read.
pub fn read_file<T>(
    file: &'static str,
    text: &str,
    read: fn(&mut DataFile) -> Result<T, DataError>,
) -> Result<T, DataError> {
    let mut data = DataFile::parse(file, text)?;
    let out = read(&mut data)?;
    data.finish()?;
    Ok(out)
}

/// One row's keys, read one at a time; every error names the file, the row and the key.
pub struct RowReader<'a> {
    file: &'static str,
    at: RowAt,
    table: &'a TomlTable,
    lines: &'a LineIndex,
    read: Vec<&'static str>,
}

impl<'a> RowReader<'a> {
    /// Reads the dates, filters and source of `kind`, the row's own keys with `read`, and
    /// refuses keys nobody read.
    fn dated<T>(
        &mut self,
        kind: &Kind,
        read: &impl Fn(&mut RowReader) -> Result<T, DataError>,
    ) -> Result<Row<T>, DataError> {
        let from = if kind.open_start {
            self.optional::<Date>("from")?.unwrap_or(Date::EARLIEST)
        } else {
            self.parsed::<Date>("from")?
        };
        let until = self.optional::<Date>("until")?;
        if let Some(u) = until.filter(|&u| u <= from) {
            return Err(self.key_error(
                "until",
                format!("{u} is not after `from` ({from}): `until` is the first day the row no longer applies"),
            ));
        }
        let mut scope = Scope::default();
        for &filter in kind.required.iter().chain(kind.optional) {
            let column = filter.column();
            if kind.required.contains(&filter) && self.get(column).is_none() {
                return Err(self.key_error(column, "missing".to_string()));
            }
            match filter {
                Filter::Market => scope.market = self.optional(column)?,
                Filter::Model => scope.model = self.optional(column)?,
                Filter::Loop => scope.loop_type = self.optional(column)?,
                Filter::Route => scope.route = self.optional(column)?,
                Filter::Category => scope.category = self.optional(column)?,
                Filter::Basis => scope.basis = self.optional(column)?,
                Filter::Dispatch => scope.dispatch = self.optional(column)?,
                Filter::Origin => scope.origin = self.optional(column)?,
                Filter::TariffLine => scope.hs = self.optional(column)?,
            }
        }
        let source = self.text("source")?.trim().to_string();
        if source.is_empty() {
            return Err(self.key_error(
                "source",
                "empty: every row names where its figure comes from".to_string(),
            ));
        }
        let value = read(self)?;
        self.finish()?;
        Ok(Row {
            at: self.at,
            in_force: InForce { from, until },
            scope,
            source,
            value,
        })
    }

    /// An error about `key` (at its line when the row has it).
    pub fn key_error(&self, key: &str, message: String) -> DataError {
        let line = self
            .table
            .key(key)
            .and_then(|k| k.span())
            .map_or(self.at.line, |s| self.lines.line(s.start));
        DataError::Key {
            file: self.file,
            row: RowAt { line, ..self.at },
            key: key.to_string(),
            message,
        }
    }

    /// The value of `key`, marked as read.
    pub fn get(&mut self, key: &'static str) -> Option<&'a Value> {
        if !self.read.contains(&key) {
            self.read.push(key);
        }
        self.table.get(key).and_then(Item::as_value)
    }

    /// A required text (or a bare TOML date, read as its text).
    pub fn text(&mut self, key: &'static str) -> Result<&'a str, DataError> {
        match self.get(key) {
            Some(v) => v
                .as_str()
                .ok_or_else(|| self.wrong_type(key, v, "a string")),
            None => Err(self.key_error(key, "missing".to_string())),
        }
    }

    /// A required value read from its text.
    pub fn parsed<T: FromStr<Err = String>>(&mut self, key: &'static str) -> Result<T, DataError> {
        match self.optional(key)? {
            Some(v) => Ok(v),
            None => Err(self.key_error(key, "missing".to_string())),
        }
    }

    /// An optional value read from its text (a bare TOML date reads as its text).
    pub fn optional<T: FromStr<Err = String>>(
        &mut self,
        key: &'static str,
    ) -> Result<Option<T>, DataError> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let text = match (v.as_str(), v.as_datetime()) {
            (Some(t), _) => t.to_string(),
            (None, Some(d)) => d.to_string(),
            _ => return Err(self.wrong_type(key, v, "a string")),
        };
        text.parse().map(Some).map_err(|e| self.key_error(key, e))
    }

    /// A value of `param`, written as in a scenario, checked against its range.
    pub fn checked(&mut self, key: &'static str, param: P) -> Result<CheckedValue, DataError> {
        let text = self.text(key)?;
        let dist = super::Dist::parse(text).map_err(|e| self.key_error(key, e.to_string()))?;
        check_value(param, dist)
            .map_err(|e| self.key_error(key, format!("{e} (for `{}`)", param.key())))
    }

    /// A number (an integer reads as a float).
    pub fn number(&mut self, key: &'static str) -> Result<f64, DataError> {
        match self.get(key) {
            Some(v) => number(v).ok_or_else(|| self.wrong_type(key, v, "a number")),
            None => Err(self.key_error(key, "missing".to_string())),
        }
    }

    /// A whole number of at least 0.
    pub fn count(&mut self, key: &'static str) -> Result<u64, DataError> {
        match self.get(key) {
            Some(v) => {
                count(v).ok_or_else(|| self.wrong_type(key, v, "a whole number of at least 0"))
            }
            None => Err(self.key_error(key, "missing".to_string())),
        }
    }

    /// A list of numbers.
    pub fn numbers(&mut self, key: &'static str) -> Result<Vec<f64>, DataError> {
        let Some(v) = self.get(key) else {
            return Err(self.key_error(key, "missing".to_string()));
        };
        v.as_array()
            .and_then(|a| a.iter().map(number).collect::<Option<Vec<f64>>>())
            .ok_or_else(|| self.wrong_type(key, v, "a list of numbers"))
    }

    fn wrong_type(&self, key: &str, v: &Value, expected: &str) -> DataError {
        self.key_error(key, format!("expected {expected}, found {}", v.type_name()))
    }

    /// Refuses keys nobody read.
    fn finish(&self) -> Result<(), DataError> {
        for (key, _) in self.table.iter() {
            if !self.read.contains(&key) {
                return Err(self.key_error(
                    key,
                    format!(
                        "unknown key{}; expected one of: {}",
                        crate::suggest::hint(key, self.read.iter().copied()),
                        self.read.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// A TOML number as a float.
pub fn number(v: &Value) -> Option<f64> {
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

/// A TOML integer of at least 0.
pub fn count(v: &Value) -> Option<u64> {
    v.as_integer().and_then(|i| u64::try_from(i).ok())
}

/// A data file embedded in the binary, read once on first use.
pub struct Embedded<T> {
    file: &'static str,
    text: &'static str,
    read: fn(&mut DataFile) -> Result<T, DataError>,
    loaded: OnceLock<Result<T, DataError>>,
}

impl<T> Embedded<T> {
    /// The file `file` with content `text` (its `include_str!`), read by `read`.
    pub const fn new(
        file: &'static str,
        text: &'static str,
        read: fn(&mut DataFile) -> Result<T, DataError>,
    ) -> Embedded<T> {
        Embedded {
            file,
            text,
            read,
            loaded: OnceLock::new(),
        }
    }

    /// The file's name, as `data/name.toml`.
    pub fn file(&self) -> &'static str {
        self.file
    }

    /// Reads `text` as if it were this file's content (tests feed broken texts).
    pub fn read_text(&self, text: &str) -> Result<T, DataError> {
        read_file(self.file, text, self.read)
    }

    /// The file read, or why it does not read.
    pub fn load(&self) -> Result<&T, DataError> {
        self.loaded
            .get_or_init(|| read_file(self.file, self.text, self.read))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The file read. The embedded files are checked by a test
    /// ([`super::data::check`]), so this cannot fail in a build whose tests pass; if it
    /// does, it stops with the file, the row and the key rather than run without them.
    pub fn get(&self) -> &T {
        self.load()
            .unwrap_or_else(|e| panic!("embedded data file is broken: {e}"))
    }
}
