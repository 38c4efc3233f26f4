//! The points of a sweep: rows of a grid CSV (`--grid`) and the steps of `--range`
//! flags, combined into one list in a fixed order.
//!
//! A grid's columns are parameter keys, an optional `name` and an optional `variant` (the
//! point changes that variant only). A cell is a number or a distribution, read as a
//! `--params` cell is (spreadsheet separators, decimal commas, TRUE/FALSE); an empty cell
//! leaves the key as the scenario has it. `--range KEY=LO:HI:STEPS` gives STEPS evenly
//! spaced values from LO to HI. Several ranges make a full grid (the first flag varies
//! slowest); with a grid file too, every grid row is combined with every range step.

use std::collections::BTreeSet;
use std::path::Path;

use crate::error::{printable, InputError, Kind, Problem};
use crate::input_text::{delimiter_name, describe_csv_error, read_text, CsvText, FileKind};
use crate::params::Dist;
use crate::points::key::{BetweenError, InputKey};
use crate::points::point::{round_to_12_digits, Point, PointValue};

/// The most points one sweep runs: every point is a full study.
pub const MAX_POINTS: usize = 10_000;

/// A `--range KEY=LO:HI:STEPS` flag.
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    /// The parameter, or an event's number.
    pub param: InputKey,
    /// Its values, LO to HI.
    pub values: Vec<f64>,
}

impl std::str::FromStr for Range {
    type Err = String;

    /// Parses `KEY=LO:HI:STEPS`.
    fn from_str(text: &str) -> Result<Range, String> {
        let form = "write it as KEY=LO:HI:STEPS, e.g. price.retail=15:25:5";
        let (key, spec) = text
            .split_once('=')
            .ok_or_else(|| format!("`{}` has no `=`: {form}", printable(text)))?;
        let key = key.trim();
        let param = InputKey::parse(key).map_err(|e| e.to_string())?;
        let parts: Vec<&str> = spec.split(':').map(str::trim).collect();
        let [lo, hi, steps] = parts[..] else {
            return Err(format!(
                "key `{key}`: `{}` is not LO:HI:STEPS: {form}",
                printable(spec)
            ));
        };
        let number = |what: &str, t: &str| {
            t.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("key `{key}`: {what} `{}` is not a number", printable(t)))
        };
        let (lo, hi) = (number("LO", lo)?, number("HI", hi)?);
        let steps: usize = steps.parse().map_err(|_| {
            format!(
                "key `{key}`: STEPS `{}` is not a whole number",
                printable(steps)
            )
        })?;
        if steps < 2 {
            return Err(format!(
                "key `{key}`: STEPS is {steps}; a range needs at least 2 steps (LO and HI)"
            ));
        }
        // Checked before the values are made: a sweep runs at most MAX_POINTS points.
        if steps > MAX_POINTS {
            return Err(format!(
                "key `{key}`: STEPS is {steps}; at most {MAX_POINTS} points run in one sweep (each is a full study)"
            ));
        }
        // The ends as typed, in range, and for a count two whole numbers between them at
        // least: as `threshold --between` and `sensitivity --swing` check theirs.
        param.check_between(lo, hi).map_err(|e| match e {
            BetweenError::Reversed { .. } | BetweenError::NotNumbers => format!("key `{key}`: {e}"),
            _ => e.to_string(),
        })?;
        let integer = param.integer();
        // A whole-number parameter runs the whole numbers inside LO..HI.
        let (first, last) = param.ends(lo, hi);
        let mut values: Vec<f64> = (0..steps)
            .map(|i| {
                // The ends exactly, the steps between by interpolation.
                let t = i as f64 / (steps - 1) as f64;
                let v = if i + 1 == steps {
                    last
                } else {
                    round_to_12_digits(first + t * (last - first))
                };
                if integer {
                    v.round()
                } else {
                    v
                }
            })
            .collect();
        values.dedup();
        // A range too narrow for the steps asked: values are kept to 12 significant digits.
        if !integer && values.len() < steps {
            return Err(format!(
                "key `{key}`: {steps} steps from {} to {} are closer together than the 12 significant digits values keep; widen the range or ask for fewer steps",
                crate::params::dist::compact_number(lo),
                crate::params::dist::compact_number(hi)
            ));
        }
        // Steps that round to the same whole number would silently run fewer points.
        if values.len() < steps {
            let shown: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            return Err(format!(
                "key `{key}` takes whole numbers: {steps} steps from {lo} to {hi} round to {} distinct values ({}); ask for {} steps",
                values.len(),
                shown.join(", "),
                values.len()
            ));
        }
        for &v in &values {
            let dist = Dist::fixed(v).map_err(|e| format!("key `{key}`: {e}"))?;
            param.check(dist).map_err(|e| format!("key `{key}`: {e}"))?;
        }
        Ok(Range { param, values })
    }
}

/// The rows of a grid CSV, in file order.
pub fn read_grid(path: &Path) -> Result<Vec<Point>, InputError> {
    let text = read_text(path, "the sweep grid", FileKind::Csv)?;
    parse_grid(&text, &path.display().to_string())
}

/// What a grid column holds.
#[derive(Clone, Debug, PartialEq)]
enum Column {
    Name,
    Variant,
    Param(InputKey),
}

/// Parses grid text; `origin` names it in messages. Every bad cell is reported.
pub fn parse_grid(text: &str, origin: &str) -> Result<Vec<Point>, InputError> {
    let csv = CsvText::new(text);
    let grid = GridFile {
        origin,
        delimiter: csv.delimiter,
    };
    let mut reader = csv.reader();
    let header = csv.header_line();
    let headers = reader.headers().map_err(|e| {
        InputError::one(grid.problem(
            Kind::Syntax,
            header,
            format!("cannot read the grid's header: {e}"),
        ))
    })?;
    let columns = grid.columns(headers, header)?;
    let mut points = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = csv.line(record.position());
                points.push(grid.point(&record, line, &columns, &mut problems));
            }
            Err(e) => problems.push(grid.problem(
                Kind::Syntax,
                csv.error_line(&e),
                format!(
                    "malformed grid row ({} between columns): {}",
                    delimiter_name(grid.delimiter),
                    describe_csv_error(&e)
                ),
            )),
        }
    }
    if let Some(e) = InputError::from_problems(problems) {
        return Err(e);
    }
    if points.is_empty() {
        return Err(InputError::one(grid.problem(
            Kind::Missing,
            header,
            "the grid has a header but no rows: each row below it is one point to run".to_string(),
        )));
    }
    Ok(points)
}

/// A grid being read: its name (in messages, and in each value's source) and the
/// separator its cells are read with (a decimal comma depends on it).
#[derive(Clone, Copy)]
struct GridFile<'a> {
    origin: &'a str,
    delimiter: u8,
}

impl GridFile<'_> {
    /// A problem at `line` of the grid.
    fn problem(&self, kind: Kind, line: usize, message: String) -> Problem {
        Problem::new(kind, self.origin, message).at_line(line)
    }

    /// What each header column holds (`None`: a column that is not understood). Every
    /// problem of the header is reported at once, and stops the rows from being read: a
    /// row's cells mean nothing without their columns.
    fn columns(
        &self,
        headers: &csv::StringRecord,
        line: usize,
    ) -> Result<Vec<Option<Column>>, InputError> {
        let mut problems = Vec::new();
        let mut columns = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, h) in headers.iter().enumerate() {
            let column = match h.to_ascii_lowercase().as_str() {
                "name" => Some(Column::Name),
                "variant" => Some(Column::Variant),
                _ => match InputKey::parse(h) {
                    Ok(p) => Some(Column::Param(p)),
                    Err(e) => {
                        problems.push(
                            self.problem(Kind::UnknownKey, line, format!("column {}: {e}", i + 1))
                                .with_key(h),
                        );
                        None
                    }
                },
            };
            if let Some(c) = &column {
                if !seen.insert(format!("{c:?}")) {
                    problems.push(
                        self.problem(
                            Kind::Conflict,
                            line,
                            format!("column {}: `{}` is a column twice", i + 1, printable(h)),
                        )
                        .with_key(h),
                    );
                }
            }
            columns.push(column);
        }
        if !columns.iter().any(|c| matches!(c, Some(Column::Param(_)))) && problems.is_empty() {
            problems.push(self.problem(
                Kind::Missing,
                line,
                format!(
                    "the grid has no parameter column (found: {}; read with {} between columns): its header names the keys to sweep, e.g. `name,price.retail,fees.affiliate_rate`",
                    headers.iter().map(printable).collect::<Vec<_>>().join(", "),
                    delimiter_name(self.delimiter)
                ),
            ));
        }
        match InputError::from_problems(problems) {
            Some(e) => Err(e),
            None => Ok(columns),
        }
    }

    /// One row at `line`, a point: its name, its variant and the values of its non-empty
    /// cells. The row's problems are added to `problems` (the point made is then not
    /// used), so every bad row is reported, not just the first.
    fn point(
        &self,
        record: &csv::StringRecord,
        line: usize,
        columns: &[Option<Column>],
        problems: &mut Vec<Problem>,
    ) -> Point {
        let mut point = Point {
            name: String::new(),
            values: Vec::new(),
            variant: None,
            moves_alone: false,
        };
        for ((i, column), cell) in columns.iter().enumerate().zip(record.iter()) {
            match column {
                Some(Column::Name) if !cell.is_empty() => {
                    // Names are data, never paths, and never terminal escapes.
                    match crate::scenario::name_rules::why_not_a_name(cell) {
                        None => point.name = cell.to_string(),
                        Some(why) => problems.push(
                            self.problem(
                                Kind::Name,
                                line,
                                format!(
                                    "column {} (`name`): `{}` cannot be used: {why}",
                                    i + 1,
                                    printable(cell)
                                ),
                            )
                            .with_key("name"),
                        ),
                    }
                }
                Some(Column::Variant) => {
                    point.variant = (!cell.is_empty()).then(|| cell.to_string())
                }
                Some(Column::Param(p)) if !cell.is_empty() => {
                    let key = p.key();
                    match p.cell(cell, self.delimiter) {
                        Ok(value) => point.values.push(PointValue {
                            param: p.clone(),
                            dist: value,
                            source: format!("{}:{line}", self.origin),
                            variant: None,
                        }),
                        Err((kind, e)) => problems.push(
                            self.problem(kind, line, format!("column {} (`{key}`): {e}", i + 1))
                                .with_key(&key),
                        ),
                    }
                }
                _ => {}
            }
        }
        self.check_events(&point, line, problems);
        point
    }

    /// Events in a row that changes one variant: an event happens to the whole study, so
    /// it cannot be set for one variant.
    fn check_events(&self, point: &Point, line: usize, problems: &mut Vec<Problem>) {
        let Some(variant) = &point.variant else {
            return;
        };
        for v in &point.values {
            if let InputKey::Event(e) = &v.param {
                problems.push(
                    self.problem(
                        Kind::Conflict,
                        line,
                        format!(
                            "column `{e}`: an event belongs to the study, not to variant `{}`: put event keys in rows without a variant",
                            printable(variant)
                        ),
                    )
                    .with_key(e.key()),
                );
            }
        }
    }
}

/// Every grid row (or one empty point without a grid) combined with every step of the
/// ranges, the first range varying slowest. Unnamed points are named by their values.
pub fn combine(grid: Option<Vec<Point>>, ranges: &[Range]) -> Result<Vec<Point>, InputError> {
    let mut points = grid.unwrap_or_else(|| {
        vec![Point {
            name: String::new(),
            values: Vec::new(),
            variant: None,
            moves_alone: false,
        }]
    });
    let size = ranges
        .iter()
        .try_fold(points.len(), |n, r| n.checked_mul(r.values.len()))
        .unwrap_or(usize::MAX);
    if size > MAX_POINTS {
        return Err(InputError::new(crate::error::Kind::TooLarge, format!(
            "the sweep has {} points; at most {MAX_POINTS} run in one sweep (each is a full study): use fewer steps or split the grid",
            if size == usize::MAX { "too many".to_string() } else { size.to_string() }
        )));
    }
    for (i, range) in ranges.iter().enumerate() {
        if ranges[..i].iter().any(|r| r.param == range.param) {
            return Err(InputError::one(Problem::general(
                Kind::Conflict,
                format!(
                    "--range {0}: the key is given twice; give one --range per key (as many steps as you like: {0}=LO:HI:STEPS)",
                    range.param.key()
                ),
            )));
        }
        if points.iter().any(|p| p.value(&range.param).is_some()) {
            return Err(InputError::new(
                crate::error::Kind::Conflict,
                format!(
                    "--range {}: the grid also sets this key; sweep it in one place",
                    range.param.key()
                ),
            ));
        }
        points = points
            .iter()
            .flat_map(|p| {
                range.values.iter().map(move |&v| {
                    let mut q = p.clone();
                    q.values.push(PointValue {
                        param: range.param.clone(),
                        dist: Dist::fixed(v).expect("range values are finite"),
                        source: format!("--range {}", range.param.key()),
                        variant: None,
                    });
                    q
                })
            })
            .collect();
    }
    for p in &mut points {
        if p.name.is_empty() {
            p.name = value_name(&p.values);
        }
    }
    if ranges.is_empty() && points.iter().all(|p| p.values.is_empty()) {
        return Err(InputError::new(
            crate::error::Kind::Missing,
            "the sweep changes nothing: give --grid GRID.csv or --range KEY=LO:HI:STEPS",
        ));
    }
    Ok(points)
}

/// A point's name made of its values: `price.retail=18 fees.commission_rate=0.06`.
pub fn value_name(values: &[PointValue]) -> String {
    values
        .iter()
        .map(|v| format!("{}={}", v.param.key(), v.dist))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The keys some point sets, in first-seen order: the sweep's parameter columns.
pub fn swept_keys<'a>(points: impl IntoIterator<Item = &'a Point>) -> Vec<InputKey> {
    let mut keys: Vec<InputKey> = Vec::new();
    for v in points.into_iter().flat_map(|p| &p.values) {
        if !keys.contains(&v.param) {
            keys.push(v.param.clone());
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::P;

    #[test]
    fn a_range_runs_from_lo_to_hi_in_even_steps() {
        let r: Range = "price.retail=10:20:5".parse().unwrap();
        assert_eq!(r.param, InputKey::Param(P::RetailPrice));
        assert_eq!(r.values, vec![10.0, 12.5, 15.0, 17.5, 20.0]);
        let r: Range = "marketing.affiliate_commission=0:0.3:4".parse().unwrap();
        assert_eq!(r.values, vec![0.0, 0.1, 0.2, 0.3]);
    }

    #[test]
    fn a_count_runs_the_whole_numbers_inside_lo_hi() {
        let r: Range = "demand.ramp_days=10.5:20.5:3".parse().unwrap();
        assert_eq!(r.values, vec![11.0, 16.0, 20.0]);
        let err = |t: &str| t.parse::<Range>().unwrap_err();
        for one_or_none in [
            "demand.channel_accounts=3.6:4:2",
            "demand.channel_accounts=1.2:1.8:2",
        ] {
            let e = err(one_or_none);
            assert!(e.contains("give an interval holding at least two"), "{e}");
        }
        // An end outside the valid range is refused as typed, as `--between` does.
        for (range, end) in [
            ("demand.channel_accounts=-0.5:2:3", "-0.5"),
            ("demand.channel_accounts=2:4.9:3", "4.9"),
            ("logistics.max_delay_days=0.5:3:3", "0.5"),
        ] {
            let e = err(range);
            assert!(
                e.contains(&format!("value {end} is outside the valid range")),
                "{e}"
            );
        }
    }

    #[test]
    fn bad_ranges_say_what_is_wrong() {
        let err = |t: &str| t.parse::<Range>().unwrap_err();
        assert!(err("price.retail=10:20:1").contains("at least 2 steps"));
        assert!(err("price.retail=20:10:3").contains("must be below HI"));
        assert!(err("price.retail=10:10:3").contains("must be below HI"));
        assert!(err("price.retial=10:20:3").contains("did you mean `price.retail`"));
        assert!(err("price.retail=10:20").contains("not LO:HI:STEPS"));
        assert!(err("price.retail").contains("no `=`"));
        assert!(err("price.retail=a:20:3").contains("LO `a` is not a number"));
        assert!(err("price.retail=-5:20:3").contains("outside the valid range"));
        // A range narrower than values are kept to is not a whole-number problem.
        let narrow = err("price.retail=10:10.000000000000002:3");
        assert!(!narrow.contains("whole numbers"), "{narrow}");
        assert!(
            narrow.contains("from 10 to 10.000000000000002 are closer together"),
            "{narrow}"
        );
    }

    #[test]
    fn grid_rows_keep_their_order_names_and_variants() {
        let text = "name,variant,price.retail,demand.daily_cv\ncheap,,15,0.2\n,self,25,\n";
        let points = parse_grid(text, "g.csv").unwrap();
        assert_eq!(points.len(), 2);
        assert_eq!(points[0].name, "cheap");
        assert_eq!(points[0].values.len(), 2);
        assert_eq!(points[0].values[0].source, "g.csv:2");
        assert_eq!(points[1].variant.as_deref(), Some("self"));
        // An empty cell leaves the key alone.
        assert_eq!(points[1].values.len(), 1);
        let named = combine(Some(points), &[]).unwrap();
        assert_eq!(named[1].name, "price.retail=25");
    }

    #[test]
    fn crlf_grid_rows_keep_their_lines() {
        let points = parse_grid("# sweep\r\nname,price.retail\r\n\r\na,15\r\n", "g.csv").unwrap();
        assert_eq!(points[0].values[0].source, "g.csv:4");
        let e = parse_grid("# sweep\r\nprice.retial\r\n1\r\n", "g.csv")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("g.csv:2: column 1: unknown parameter"), "{e}");
    }

    #[test]
    fn grid_problems_name_file_line_and_column() {
        let e = parse_grid("price.retial,x\n1,2\n", "g.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("g.csv:1: column 1: unknown parameter `price.retial` (did you mean `price.retail`?)"), "{e}");
        let e = parse_grid("name,price.retail\na,abc\nb,-3\n", "g.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("g.csv:2: column 2 (`price.retail`)"), "{e}");
        assert!(e.contains("g.csv:3: column 2 (`price.retail`)"), "{e}");
        let e = parse_grid("name,price.retail\n", "g.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no rows"), "{e}");
        let e = parse_grid("name\na\n", "g.csv").unwrap_err().to_string();
        assert!(e.contains("no parameter column"), "{e}");
    }

    #[test]
    fn a_key_given_twice_as_a_range_is_named_as_such() {
        let a: Range = "price.retail=10:20:2".parse().unwrap();
        let b: Range = "price.retail=15:25:3".parse().unwrap();
        let e = combine(None, &[a.clone(), b]).unwrap_err();
        assert_eq!(e.count(Kind::Conflict), 1);
        assert_eq!(
            e.to_string(),
            "--range price.retail: the key is given twice; give one --range per key (as many steps as you like: price.retail=LO:HI:STEPS)"
        );
        // A grid column and a range on one key is the grid's conflict.
        let grid = parse_grid("price.retail\n12\n", "g.csv").unwrap();
        let e = combine(Some(grid), &[a]).unwrap_err().to_string();
        assert!(e.contains("the grid also sets this key"), "{e}");
    }

    #[test]
    fn ranges_make_a_full_grid_first_range_slowest() {
        let a: Range = "price.retail=10:20:2".parse().unwrap();
        let b: Range = "demand.daily_cv=0.1:0.3:3".parse().unwrap();
        let points = combine(None, &[a, b]).unwrap();
        assert_eq!(points.len(), 6);
        let pairs: Vec<(f64, f64)> = points
            .iter()
            .map(|p| {
                (
                    p.value(&InputKey::Param(P::RetailPrice)).unwrap().mean(),
                    p.value(&InputKey::Param(P::DailyCv)).unwrap().mean(),
                )
            })
            .collect();
        assert_eq!(pairs[0], (10.0, 0.1));
        assert_eq!(pairs[2].0, 10.0);
        assert!((pairs[2].1 - 0.3).abs() < 1e-12);
        assert_eq!(pairs[3], (20.0, 0.1));
        assert_eq!(points[0].name, "price.retail=10 demand.daily_cv=0.1");
        assert_eq!(
            swept_keys(&points),
            vec![InputKey::Param(P::RetailPrice), InputKey::Param(P::DailyCv)]
        );
    }
}
