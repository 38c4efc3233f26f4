//! Parameter overrides from CSV (`--params`): columns `key,value` and optionally
//! `variant`; any other column (the catalog's `unit`, `description`, `source`) is ignored,
//! so an exported catalog can be edited and passed back as it is.
//!
//! Spreadsheets are met where they are: a file saved with `;` or tab between columns (Excel
//! in many locales) is read as such, and then a decimal comma in a plain number (`0,15`) is
//! a decimal point; `TRUE`/`FALSE`/`yes`/`no` set on/off switches; `15%` is refused (a
//! percentage sign in a cell is too easy to misread silently): for a rate with the hint to
//! write `0.15`, for any other key (a price, a count) saying it is not a rate.
//!
//! Precedence: a row naming a variant wins over a row for every variant, whatever their
//! order in the file.

use std::collections::BTreeSet;
use std::path::Path;

use super::event_keys::{EventKey, EventOverride, KeyError};
use crate::error::{printable, InputError, Kind, Problem};
use crate::input_text::{
    decimal_point, delimiter_name, describe_csv_error, read_text, CsvText, FileKind,
};
use crate::params::{check_value, CheckedValue, Dist, Layer, Resolved, P};

/// One override row.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// The parameter and its checked value.
    pub value: CheckedValue,
    /// Applies to this variant only; `None` means every variant.
    pub variant: Option<String>,
    /// Line in the CSV file, for messages and provenance.
    pub line: u64,
    /// The layer it sets: [`Layer::Csv`] for a `--params` row, [`Layer::Point`] for a
    /// sweep, tornado or threshold point (applied after every CSV row).
    pub layer: Layer,
    /// Where the value comes from, as `run.json` and the report show it (`p.csv:7`).
    pub source: String,
}

/// The rows of one CSV file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    /// The file (or `standard input`).
    pub(super) origin: String,
    /// The rows, in file order.
    pub(super) rows: Vec<Override>,
    /// The CSV text as read (a shard records it so that a merge can rebuild the study).
    pub(super) text: String,
    /// Rank correlations, when the file is a correlations CSV (columns `key_a`, `key_b`,
    /// `rank_correlation` and optionally `variant`) instead of a parameter CSV.
    pub(super) correlations: Vec<CsvCorrelation>,
    /// Rows setting an event's number (`event.<name>.<field>`), in file order.
    pub(super) events: Vec<EventOverride>,
    /// Inputs a sensitivity swing moves alone, on one variant (or, with `None`, every
    /// variant): their rank correlations are left out at that point, so the swing sets
    /// the input and leaves every other input's distribution as the study has it.
    pub(super) moved_alone: Vec<(P, Option<String>)>,
}

/// A row of a correlations CSV.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvCorrelation {
    /// One input.
    pub a: P,
    /// The other.
    pub b: P,
    /// The rank correlation, in [−1, 1].
    pub rho: f64,
    /// Applies to this variant only; `None`: every variant.
    pub variant: Option<String>,
    /// Line in the CSV file.
    pub line: u64,
    /// `file:line`.
    pub source: String,
}

impl Overrides {
    /// Reads a CSV file, or standard input for `-` (in any encoding
    /// [`crate::input_text::decode`] reads).
    pub fn from_file(path: &Path) -> Result<Overrides, InputError> {
        let text = read_text(path, "parameter CSV", FileKind::Csv)?;
        let origin = if path.as_os_str() == "-" {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        Overrides::parse(&text, &origin)
    }

    /// Parses CSV text; every bad row is reported, not just the first.
    pub fn parse(text: &str, origin: &str) -> Result<Overrides, InputError> {
        let csv = CsvText::new(text);
        let (text, delimiter) = (csv.text(), csv.delimiter);
        let mut reader = csv.reader();
        let problem = |kind, line: u64, message: String| {
            Problem::new(kind, origin, message).at_line(line as usize)
        };
        if reader
            .headers()
            .is_ok_and(|h| h.iter().any(|c| c.eq_ignore_ascii_case("key_a")))
        {
            return parse_correlations(reader, &csv, origin);
        }
        let columns = header_columns(&mut reader, &csv, origin)?;
        let mut rows = Vec::new();
        let mut events = Vec::new();
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        let mut seen_events = BTreeSet::new();
        for record in reader.records() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    problems.push(problem(
                        Kind::Syntax,
                        csv.error_line(&e) as u64,
                        format!(
                            "malformed CSV row ({} between columns): {}",
                            delimiter_name(delimiter),
                            describe_csv_error(&e)
                        ),
                    ));
                    continue;
                }
            };
            let line = csv.line(record.position()) as u64;
            let key_cell = record.get(columns.key).unwrap_or("");
            if let Some(key) = EventKey::parse(key_cell) {
                match read_event_row(&record, key, columns, delimiter, origin, line) {
                    Ok(row) if seen_events.contains(&row.key.key()) => problems.push(
                        problem(
                            Kind::Conflict,
                            line,
                            format!("key `{}` is set twice", row.key),
                        )
                        .with_key(row.key.key()),
                    ),
                    Ok(row) => {
                        seen_events.insert(row.key.key());
                        events.push(row);
                    }
                    Err((kind, message)) => {
                        problems.push(problem(kind, line, message).with_key(key_cell))
                    }
                }
                continue;
            }
            let row = match read_row(&record, columns, delimiter) {
                Ok(row) => row,
                Err((kind, key, message)) => {
                    let p = problem(kind, line, message);
                    problems.push(if key.is_empty() { p } else { p.with_key(key) });
                    continue;
                }
            };
            let (key, param, variant) = (row.value.param().key(), row.value.param(), &row.variant);
            if !seen.insert((param, variant.clone())) {
                problems.push(
                    problem(
                        Kind::Conflict,
                        line,
                        format!(
                            "key `{key}` is set twice{}",
                            variant
                                .as_ref()
                                .map(|v| format!(" for variant `{}`", printable(v)))
                                .unwrap_or_default()
                        ),
                    )
                    .with_key(key),
                );
                continue;
            }
            rows.push(Override {
                line,
                source: format!("{origin}:{line}"),
                ..row
            });
        }
        match InputError::from_problems(problems) {
            Some(e) => Err(e),
            None => Ok(Overrides {
                origin: origin.to_string(),
                rows,
                text: text.to_string(),
                correlations: Vec::new(),
                events,
                moved_alone: Vec::new(),
            }),
        }
    }

    /// The file (or `<stdin>`).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The CSV text as read (a shard records it so that a merge can rebuild the study).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// These rows, with the inputs `rows` set moved alone: their rank correlations are
    /// left out on the variants the rows name (a sensitivity swing's point).
    pub fn moving_alone(mut self, rows: &[Override]) -> Overrides {
        self.moved_alone = rows
            .iter()
            .map(|r| (r.value.param(), r.variant.clone()))
            .collect();
        self
    }

    /// The line of the first row (or correlation row) naming `variant`.
    pub fn variant_line(&self, variant: &str) -> Option<u64> {
        let rows = self.rows.iter().map(|r| (r.variant.as_deref(), r.line));
        let pairs = self
            .correlations
            .iter()
            .map(|c| (c.variant.as_deref(), c.line));
        rows.chain(pairs)
            .filter(|&(v, _)| v == Some(variant))
            .map(|(_, line)| line)
            .min()
    }

    /// Variant names the rows (and correlation rows) refer to.
    pub fn variant_names(&self) -> BTreeSet<&str> {
        self.rows
            .iter()
            .filter_map(|r| r.variant.as_deref())
            .chain(
                self.correlations
                    .iter()
                    .filter_map(|c| c.variant.as_deref()),
            )
            .collect()
    }

    /// Applies the rows to one variant's parameters, layer by layer (CSV rows, then
    /// points); within a layer rows for every variant first, then the rows naming this
    /// variant, so a variant row wins whatever the order in the file.
    pub fn apply_to(&self, params: &mut Resolved, variant: &str) {
        self.apply_to_any(params, &[variant]);
    }

    /// As [`Overrides::apply_to`], for a variant known by any of `names` (an option in a
    /// world is known by its option's name and by its cell's, `option@world`).
    pub fn apply_to_any(&self, params: &mut Resolved, names: &[&str]) {
        let mut applying: Vec<&Override> = self
            .rows
            .iter()
            .filter(|r| r.variant.as_deref().is_none_or(|v| names.contains(&v)))
            .collect();
        // A stable sort keeps file order within a layer and scope.
        applying.sort_by_key(|r| (r.layer, r.variant.is_some()));
        for row in applying {
            params.set(row.value.clone(), row.layer, row.source.clone());
        }
    }

    /// These rows followed by `point`'s parameter and event rows (which win: they are
    /// applied after every row here). The text stays this file's.
    pub fn then(&self, point: &[Override], point_events: &[EventOverride]) -> Overrides {
        let mut all = self.clone();
        all.rows.extend_from_slice(point);
        all.events.extend_from_slice(point_events);
        all
    }
}

/// Reads a correlations CSV: `key_a,key_b,rank_correlation[,variant]`; every bad row is
/// reported.
fn parse_correlations(
    mut reader: csv::Reader<&[u8]>,
    csv: &CsvText,
    origin: &str,
) -> Result<Overrides, InputError> {
    let headers = reader.headers().cloned().unwrap_or_default();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(ka), Some(kb), Some(kr)) =
        (column("key_a"), column("key_b"), column("rank_correlation"))
    else {
        return Err(InputError::one(
            Problem::new(
                Kind::Missing,
                origin,
                "a correlations CSV needs columns `key_a`, `key_b` and `rank_correlation` (and optionally `variant`)",
            )
            .at_line(csv.header_line()),
        ));
    };
    // Rows of both kinds in one file would lose the parameter rows: refuse it whole.
    if let Some(both) = ["key", "value"].into_iter().find(|c| column(c).is_some()) {
        return Err(InputError::one(
            Problem::new(
                Kind::Conflict,
                origin,
                format!(
                    "the header has the correlation columns `key_a`, `key_b` and `rank_correlation` and the parameter column `{both}`: a --params file is either a parameter CSV (`key,value[,variant]`) or a correlations CSV (`key_a,key_b,rank_correlation[,variant]`), and parameter rows here would be ignored; put the correlations in the scenario's [correlations] table and keep the parameters in the CSV"
                ),
            )
            .at_line(csv.header_line()),
        ));
    }
    let kv = column("variant");
    let mut correlations = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(
                    Problem::new(
                        Kind::Syntax,
                        origin,
                        format!(
                            "malformed CSV row ({} between columns): {}",
                            delimiter_name(csv.delimiter),
                            describe_csv_error(&e)
                        ),
                    )
                    .at_line(csv.error_line(&e)),
                );
                continue;
            }
        };
        let line = csv.line(record.position());
        let at = |kind, message: String| Problem::new(kind, origin, message).at_line(line);
        let get = |i: usize| record.get(i).unwrap_or("").trim();
        let (a, b) = (get(ka), get(kb));
        let pair = format!("`{},{}`", printable(a), printable(b));
        let key = |k: &str| {
            P::from_key(k).ok_or_else(|| {
                at(
                    Kind::UnknownKey,
                    format!(
                        "correlation {pair}: unknown parameter `{}`{}",
                        printable(k),
                        crate::suggest::hint(k, crate::params::catalog::keys())
                    ),
                )
                .with_key(k)
            })
        };
        let (pa, pb) = match (key(a), key(b)) {
            (Ok(pa), Ok(pb)) => (pa, pb),
            (Err(e), _) | (_, Err(e)) => {
                problems.push(e);
                continue;
            }
        };
        let rho = match decimal_point(get(kr), csv.delimiter).parse::<f64>() {
            Ok(r) if (-1.0..=1.0).contains(&r) => r,
            _ => {
                problems.push(at(
                    Kind::OutOfRange,
                    format!(
                        "correlation {pair}: column 'rank_correlation' must be a number from -1 to 1; found `{}`",
                        printable(get(kr))
                    ),
                ));
                continue;
            }
        };
        correlations.push(CsvCorrelation {
            a: pa,
            b: pb,
            rho,
            variant: kv.map(get).filter(|v| !v.is_empty()).map(str::to_string),
            line: line as u64,
            source: format!("{origin}:{line}"),
        });
    }
    match InputError::from_problems(problems) {
        Some(e) => Err(e),
        None => Ok(Overrides {
            origin: origin.to_string(),
            rows: Vec::new(),
            text: csv.text().to_string(),
            correlations,
            events: Vec::new(),
            moved_alone: Vec::new(),
        }),
    }
}

/// Where the columns of an overrides file are.
#[derive(Clone, Copy)]
struct Columns {
    key: usize,
    value: usize,
    variant: Option<usize>,
}

/// Finds the `key`, `value` and optional `variant` columns in the header.
fn header_columns(
    reader: &mut csv::Reader<&[u8]>,
    csv: &CsvText,
    origin: &str,
) -> Result<Columns, InputError> {
    let at_header = |kind, message: String| {
        InputError::one(Problem::new(kind, origin, message).at_line(csv.header_line()))
    };
    let headers = reader
        .headers()
        .map_err(|e| at_header(Kind::Syntax, format!("cannot read the CSV header: {e}")))?;
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    match (column("key"), column("value")) {
        (Some(key), Some(value)) => Ok(Columns {
            key,
            value,
            variant: column("variant"),
        }),
        _ => Err(at_header(
            Kind::Missing,
            format!(
                "the header needs columns `key` and `value` (and optionally `variant`); found: {} (read with {} between columns)",
                headers.iter().map(printable).collect::<Vec<_>>().join(", "),
                delimiter_name(csv.delimiter)
            ),
        )),
    }
}

/// One row: its parameter, checked value and variant (its line is set by the caller), or
/// the problem's kind, key (empty when unknown) and message.
fn read_row(
    record: &csv::StringRecord,
    columns: Columns,
    delimiter: u8,
) -> Result<Override, (Kind, String, String)> {
    let key = record.get(columns.key).unwrap_or("");
    let raw_value = record.get(columns.value).unwrap_or("");
    let variant = columns
        .variant
        .and_then(|c| record.get(c))
        .filter(|v| !v.is_empty())
        .map(str::to_string);
    if key.is_empty() {
        return Err((
            Kind::Missing,
            String::new(),
            "column 'key' is empty".to_string(),
        ));
    }
    let Some(param) = P::from_key(key) else {
        let hint = if let Some(why) = crate::params::catalog::removed(key) {
            format!(": {why}")
        } else {
            crate::suggest::hint(key, crate::params::catalog::keys())
        };
        let message = format!("column 'key': unknown parameter `{}`{hint}", printable(key));
        return Err((Kind::UnknownKey, key.to_string(), message));
    };
    let bad_value = |kind, e: String| {
        (
            kind,
            key.to_string(),
            format!("column 'value', key `{key}`: {e}"),
        )
    };
    let dist = cell_value(param, raw_value, delimiter).map_err(|(kind, e)| bad_value(kind, e))?;
    let value = check_value(param, dist).map_err(|e| bad_value(Kind::OutOfRange, e.to_string()))?;
    Ok(Override {
        value,
        variant,
        line: 0,
        layer: Layer::Csv,
        source: String::new(),
    })
}

/// Reads a row whose key is an event key (`event.<name>.<field>`): events belong to the
/// study, so the row names no variant.
fn read_event_row(
    record: &csv::StringRecord,
    key: Result<EventKey, KeyError>,
    columns: Columns,
    delimiter: u8,
    origin: &str,
    line: u64,
) -> Result<EventOverride, (Kind, String)> {
    let key = key.map_err(|e| (Kind::UnknownKey, format!("column 'key': {e}")))?;
    if let Some(variant) = columns
        .variant
        .and_then(|c| record.get(c))
        .filter(|v| !v.is_empty())
    {
        return Err((
            Kind::Conflict,
            format!(
                "key `{key}`: an event belongs to the study, not to variant `{}`: leave column 'variant' empty",
                printable(variant)
            ),
        ));
    }
    let cell = record.get(columns.value).unwrap_or("");
    let value = cell_dist(cell, delimiter, Takes::number(key.field.unit()))
        .map_err(|(kind, e)| (kind, format!("column 'value', key `{key}`: {e}")))?;
    let value = key.field.check(value).map_err(|e| {
        (
            Kind::OutOfRange,
            format!("column 'value', key `{key}`: {e}"),
        )
    })?;
    Ok(EventOverride {
        key,
        value,
        layer: Layer::Csv,
        source: format!("{origin}:{line}"),
    })
}

/// What a key takes, so that a cell is read as a spreadsheet user meant it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Takes {
    /// An on/off switch: `TRUE`/`FALSE`/`yes`/`no` are 1 and 0.
    pub switch: bool,
    /// A rate (a fraction): a spreadsheet may show it as a percentage.
    pub rate: bool,
    /// Its unit, for messages.
    pub unit: &'static str,
}

impl Takes {
    /// What a catalog parameter takes (the catalog marks rates by their unit).
    pub fn of(param: P) -> Takes {
        let spec = param.spec();
        Takes {
            switch: spec.integer && spec.min == 0.0 && spec.max == 1.0,
            rate: spec.is_rate(),
            unit: spec.unit,
        }
    }

    /// A number in `unit` that is not a switch.
    pub fn number(unit: &'static str) -> Takes {
        Takes {
            switch: false,
            rate: crate::params::catalog::is_rate_unit(unit),
            unit,
        }
    }
}

/// Reads a value cell: a number or distribution; booleans for switches; a decimal comma
/// when columns are not comma-separated; a percentage is refused with a hint that fits
/// the key (the fraction for a rate; that it is no value for a price or a count).
pub(crate) fn cell_value(param: P, cell: &str, delimiter: u8) -> Result<Dist, (Kind, String)> {
    cell_dist(cell, delimiter, Takes::of(param))
}

/// [`cell_value`] for a key that takes `takes`.
pub(crate) fn cell_dist(cell: &str, delimiter: u8, takes: Takes) -> Result<Dist, (Kind, String)> {
    let lower = cell.to_ascii_lowercase();
    if matches!(lower.as_str(), "true" | "false" | "yes" | "no") {
        return if takes.switch {
            Dist::fixed(if matches!(lower.as_str(), "true" | "yes") {
                1.0
            } else {
                0.0
            })
            .map_err(|e| (Kind::OutOfRange, e.to_string()))
        } else {
            Err((
                Kind::WrongType,
                format!("`{cell}` is a yes/no answer, but this key takes a number"),
            ))
        };
    }
    if let Some(number) = cell.strip_suffix('%') {
        let cell = printable(cell);
        if !takes.rate {
            return Err((
                Kind::WrongType,
                format!(
                    "`{cell}` is a percentage, but this key is not a rate (its unit is {}): write a plain number, without `%`",
                    takes.unit
                ),
            ));
        }
        let as_fraction = number
            .trim()
            .replace(',', ".")
            .parse::<f64>()
            .map(|p| format!("write {} instead", p / 100.0))
            .unwrap_or_else(|_| "write the fraction instead".to_string());
        return Err((
            Kind::WrongType,
            format!(
                "`{}` is a percentage: rates are fractions here ({as_fraction})",
                printable(&cell)
            ),
        ));
    }
    Dist::parse(&decimal_point(cell, delimiter)).map_err(|e| {
        let hint = if delimiter == b',' && cell.contains(',') {
            " (a decimal comma? in a comma-separated file write 0.15, or save the file with `;` between columns)"
        } else {
            ""
        };
        (Kind::WrongType, format!("{e}{hint}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_catalog_exports_and_ignores_extra_columns() {
        let text = "key,value,unit,description,source\ndemand.daily_cv,0.2,cv,noise,me\nprice.retail,18..22,USD,p,me\n";
        let o = Overrides::parse(text, "p.csv").unwrap();
        assert_eq!(o.rows.len(), 2);
        assert_eq!(o.rows[0].value.param(), P::DailyCv);
        assert_eq!(o.rows[1].line, 3);
    }

    #[test]
    fn reports_every_bad_row_with_its_line_and_column() {
        let text = "variant,key,value\n,demand.dayly_cv,0.2\nA,fees.commission_rate,8\n,price.retail,abc\n";
        let e = Overrides::parse(text, "p.csv").unwrap_err();
        assert_eq!(e.problems().len(), 3);
        assert_eq!(e.count(Kind::UnknownKey), 1);
        let e = e.to_string();
        assert!(e.contains("p.csv:2: column 'key': unknown parameter `demand.dayly_cv` (did you mean `demand.daily_cv`?)"), "{e}");
        assert!(
            e.contains("p.csv:3: column 'value', key `fees.commission_rate`"),
            "{e}"
        );
        assert!(e.contains("p.csv:4:"), "{e}");
    }

    #[test]
    fn crlf_rows_and_correlations_keep_their_lines() {
        let o = Overrides::parse(
            "key,value,variant\r\n# note\r\n\r\nprice.retail,20,a\r\n",
            "p.csv",
        )
        .unwrap();
        assert_eq!((o.rows[0].line, o.rows[0].source.as_str()), (4, "p.csv:4"));
        assert_eq!(o.variant_line("a"), Some(4));
        let text =
            "key_a,key_b,rank_correlation,variant\r\n\r\nprice.retail,costs.unit_cost,0.5,b\r\n";
        let o = Overrides::parse(text, "c.csv").unwrap();
        let c = &o.correlations[0];
        assert_eq!((c.line, c.source.as_str()), (3, "c.csv:3"));
        assert_eq!(o.variant_line("b"), Some(3));
        assert_eq!(o.variant_line("a"), None);
    }

    #[test]
    fn a_header_without_key_and_value_is_an_error() {
        assert!(Overrides::parse("name,amount\nx,1\n", "p.csv").is_err());
    }

    #[test]
    fn spreadsheet_booleans_set_switches_only() {
        let o = Overrides::parse("key,value\ninventory.enabled,TRUE\n", "p.csv").unwrap();
        assert_eq!(o.rows[0].value.dist(), &Dist::fixed(1.0).unwrap());
        let o = Overrides::parse("key,value\ninventory.enabled,no\n", "p.csv").unwrap();
        assert_eq!(o.rows[0].value.dist(), &Dist::fixed(0.0).unwrap());
        let e = Overrides::parse("key,value\nprice.retail,TRUE\n", "p.csv").unwrap_err();
        assert_eq!(e.count(Kind::WrongType), 1);
        assert!(e.to_string().contains("yes/no answer"), "{e}");
    }

    #[test]
    fn semicolon_and_tab_files_with_decimal_commas_are_read() {
        for sep in [";", "\t"] {
            let text = format!(
                "key{sep}value\nfees.commission_rate{sep}0,15\nprice.retail{sep}18,5..22,5\nprice.unit_cost{sep}normal(5, 1)\n"
            )
            .replace("price.unit_cost", "costs.unit_cost");
            let o = Overrides::parse(&text, "p.csv").unwrap();
            assert_eq!(o.rows[0].value.dist(), &Dist::fixed(0.15).unwrap());
            assert_eq!(o.rows[1].value.dist(), &Dist::parse("18.5..22.5").unwrap());
            assert_eq!(
                o.rows[2].value.dist(),
                &Dist::parse("normal(5, 1)").unwrap()
            );
        }
        // In a comma-separated file a decimal comma splits the cell: the message says so.
        let e = Overrides::parse("key,value\nfees.commission_rate,\"0,15\"\n", "p.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("decimal comma"), "{e}");
    }

    #[test]
    fn a_percentage_gets_a_hint_that_fits_the_key() {
        let e = |text: &str| Overrides::parse(text, "p.csv").unwrap_err().to_string();
        assert_eq!(
            e("key;value\nfees.commission_rate;14,5%\n"),
            "p.csv:2: column 'value', key `fees.commission_rate`: `14,5%` is a percentage: rates are fractions here (write 0.145 instead)"
        );
        assert_eq!(
            e("key,value\nprice.retail,15%\n"),
            "p.csv:2: column 'value', key `price.retail`: `15%` is a percentage, but this key is not a rate (its unit is currency/unit): write a plain number, without `%`"
        );
        // An event's numbers: a campaign's fee is a rate, a multiplier is not.
        assert!(
            e("key,value\nevent.peak.campaign_fee_rate,5%\n").contains("(write 0.05 instead)"),
            "{}",
            e("key,value\nevent.peak.campaign_fee_rate,5%\n")
        );
        assert!(
            e("key,value\nevent.peak.demand_multiplier,150%\n")
                .ends_with("`150%` is a percentage, but this key is not a rate (its unit is multiplier): write a plain number, without `%`"),
            "{}",
            e("key,value\nevent.peak.demand_multiplier,150%\n")
        );
    }

    #[test]
    fn the_catalog_marks_rates_by_their_unit() {
        assert!(P::CommissionRate.spec().is_rate());
        assert!(P::DutyBaseRate.spec().is_rate());
        assert!(!P::RetailPrice.spec().is_rate());
        assert!(!P::DailyCv.spec().is_rate());
    }

    #[test]
    fn a_variant_row_wins_over_an_all_variants_row_in_any_order() {
        for text in [
            "variant,key,value\nb,price.retail,30\n,price.retail,25\n",
            "variant,key,value\n,price.retail,25\nb,price.retail,30\n",
        ] {
            let o = Overrides::parse(text, "p.csv").unwrap();
            let setting = crate::params::Setting {
                market: crate::params::Market::Us,
                category: crate::params::Category::Beauty,
                model: crate::params::Model::SelfOperated,
                route: crate::params::Route::DirectMail,
                freight: crate::params::Freight::Sea,
                team: crate::params::Team::China,
                origin: crate::params::Origin::China,
                tariff_line: crate::params::Category::Beauty.default_tariff_line(),
            };
            let mut b = Resolved::defaults(setting, crate::params::rules::DEFAULT_AS_OF);
            o.apply_to(&mut b, "b");
            assert_eq!(
                b.dist(P::RetailPrice),
                &Dist::fixed(30.0).unwrap(),
                "{text}"
            );
            let mut a = Resolved::defaults(setting, crate::params::rules::DEFAULT_AS_OF);
            o.apply_to(&mut a, "a");
            assert_eq!(
                a.dist(P::RetailPrice),
                &Dist::fixed(25.0).unwrap(),
                "{text}"
            );
        }
    }
}
