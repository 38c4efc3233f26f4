//! The cells of an export as written by Seller Center: timestamps whose day/month order
//! depends on the region (`03/01/2026 01:05:09 PM` in the US, `01/03/2026 13:05:09` in
//! several SEA shops), and money with currency signs and local separators (`$1,234.50`,
//! `BRL 35,91`, `VND 1.234.000`).
//!
//! A slash date is kept as written ([`SlashStamp`]) until the whole file has been read:
//! the order of day and month is a property of the file, decided from every date in it
//! ([`DateEvidence`]), never guessed from the first row.

use std::fmt;

/// Seconds since 1970-01-01 00:00 of the shop's local wall clock (exports carry no zone).
pub type Stamp = i64;

/// Seconds in a day.
pub const DAY: f64 = 86_400.0;

/// Which number comes first in `NN/NN/YYYY`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    /// `MM/DD/YYYY` (US exports).
    MonthFirst,
    /// `DD/MM/YYYY` (several SEA exports).
    DayFirst,
}

impl DateOrder {
    /// The `--date-format` spelling.
    pub fn name(self) -> &'static str {
        match self {
            DateOrder::MonthFirst => "mm/dd/yyyy",
            DateOrder::DayFirst => "dd/mm/yyyy",
        }
    }
}

impl std::str::FromStr for DateOrder {
    type Err = String;
    fn from_str(text: &str) -> Result<DateOrder, String> {
        match text.to_ascii_lowercase().as_str() {
            "mm/dd/yyyy" | "us" | "month-first" => Ok(DateOrder::MonthFirst),
            "dd/mm/yyyy" | "day-first" => Ok(DateOrder::DayFirst),
            _ => Err(format!(
                "`{text}` is not a date format: write mm/dd/yyyy (US exports) or dd/mm/yyyy"
            )),
        }
    }
}

/// A timestamp as read, before the file's day/month order is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawStamp {
    /// `YYYY-MM-DD[ T]HH:MM[:SS]`, `YYYY/MM/DD[ HH:MM[:SS]]` or a spreadsheet date:
    /// unambiguous.
    Exact(Stamp),
    /// `A/B/YYYY HH:MM[:SS][ AM|PM]`: A and B are a month and a day in an order the file
    /// decides.
    Slash(SlashStamp),
}

/// `A/B/YYYY` and the time of day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlashStamp {
    /// The first number.
    pub first: u8,
    /// The second number.
    pub second: u8,
    /// The year.
    pub year: u16,
    /// Seconds into the day (after AM/PM).
    pub seconds: u32,
    /// Written with AM or PM (a US export's clock).
    pub twelve_hour: bool,
}

impl RawStamp {
    /// The timestamp once the file's order is known; `None` for a day that does not exist
    /// in that order (31/02).
    pub fn resolve(self, order: DateOrder) -> Option<Stamp> {
        match self {
            RawStamp::Exact(s) => Some(s),
            RawStamp::Slash(s) => {
                let (month, day) = match order {
                    DateOrder::MonthFirst => (s.first, s.second),
                    DateOrder::DayFirst => (s.second, s.first),
                };
                civil_stamp(i64::from(s.year), month, day, s.seconds)
            }
        }
    }
}

/// What the dates of a file say about its day/month order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DateEvidence {
    /// A date whose first number is above 12 (so it is a day), as written.
    pub day_first: Option<(u8, u8, u16)>,
    /// A date whose second number is above 12.
    pub month_first: Option<(u8, u8, u16)>,
    /// Slash dates seen.
    pub slash_dates: u64,
    /// Dates written with AM/PM.
    pub twelve_hour: u64,
}

impl DateEvidence {
    /// Counts one timestamp.
    pub fn see(&mut self, stamp: RawStamp) {
        if let RawStamp::Slash(s) = stamp {
            self.slash_dates += 1;
            self.twelve_hour += u64::from(s.twelve_hour);
            if s.first > 12 && self.day_first.is_none() {
                self.day_first = Some((s.first, s.second, s.year));
            }
            if s.second > 12 && self.month_first.is_none() {
                self.month_first = Some((s.first, s.second, s.year));
            }
        }
    }

    /// The file's order: the one its dates prove, or the one given. `Err` says why it
    /// cannot be decided (for the refusal).
    pub fn decide(&self, given: Option<DateOrder>) -> Result<DateOrder, String> {
        let shown = |(a, b, y): (u8, u8, u16)| format!("{a:02}/{b:02}/{y}");
        match (self.day_first, self.month_first, given) {
            (Some(d), Some(m), _) => Err(format!(
                "its dates mix two orders: {} has a day first, {} a month first; export the file again from Seller Center",
                shown(d),
                shown(m)
            )),
            (Some(d), None, Some(DateOrder::MonthFirst)) => Err(format!(
                "--date-format mm/dd/yyyy, but {} cannot be month/day (there is no month above 12): the file writes the day first",
                shown(d)
            )),
            (None, Some(m), Some(DateOrder::DayFirst)) => Err(format!(
                "--date-format dd/mm/yyyy, but {} cannot be day/month (there is no month above 12): the file writes the month first",
                shown(m)
            )),
            (_, _, Some(order)) => Ok(order),
            (Some(_), None, None) => Ok(DateOrder::DayFirst),
            (None, Some(_), None) => Ok(DateOrder::MonthFirst),
            (None, None, None) if self.slash_dates == 0 => Ok(DateOrder::MonthFirst),
            (None, None, None) => Err(format!(
                "none of its {} dates has a day above 12, so 03/04 could be 3 April or 4 March{}; give the order with --date-format mm/dd/yyyy (US exports) or dd/mm/yyyy",
                self.slash_dates,
                if self.twelve_hour > 0 {
                    " (its AM/PM clock suggests a US export, mm/dd/yyyy, but does not prove it)"
                } else {
                    ""
                }
            )),
        }
    }
}

/// Reads a timestamp cell; `Ok(None)` for an empty cell (a step not reached yet).
pub fn parse_stamp(text: &str) -> Result<Option<RawStamp>, String> {
    let text = text.trim();
    if text.is_empty() || text == "-" || text == "--" {
        return Ok(None);
    }
    let bad = || {
        format!("`{text}` is not a date and time (expected e.g. `03/01/2026 01:05:09 PM`, `01/03/2026 13:05:09` or `2026-03-01 13:05:09`)")
    };
    let (date, time) = match text.split_once([' ', 'T']) {
        Some((d, t)) => (d, t.trim()),
        None => (text, ""),
    };
    let (seconds, twelve_hour) = parse_time(time).ok_or_else(bad)?;
    if date.contains('-') {
        let mut parts = date.split('-');
        let year: i64 = number(parts.next()).ok_or_else(bad)?;
        let month: u8 = number(parts.next()).ok_or_else(bad)?;
        let day: u8 = number(parts.next()).ok_or_else(bad)?;
        if parts.next().is_some() || twelve_hour {
            return Err(bad());
        }
        return civil_stamp(year, month, day, seconds)
            .map(|s| Some(RawStamp::Exact(s)))
            .ok_or_else(bad);
    }
    // `YYYY/MM/DD`: the settlement statement's dates, year first and so unambiguous.
    if date.split('/').next().is_some_and(|y| y.trim().len() == 4) {
        let mut parts = date.split('/');
        let year: i64 = number(parts.next()).ok_or_else(bad)?;
        let month: u8 = number(parts.next()).ok_or_else(bad)?;
        let day: u8 = number(parts.next()).ok_or_else(bad)?;
        if parts.next().is_some() {
            return Err(bad());
        }
        return civil_stamp(year, month, day, seconds)
            .map(|s| Some(RawStamp::Exact(s)))
            .ok_or_else(bad);
    }
    let mut parts = date.split('/');
    let first: u8 = number(parts.next()).ok_or_else(bad)?;
    let second: u8 = number(parts.next()).ok_or_else(bad)?;
    let year: u16 = number(parts.next()).ok_or_else(bad)?;
    if parts.next().is_some()
        || !(1..=31).contains(&first)
        || !(1..=31).contains(&second)
        || (first > 12 && second > 12)
        || !(1970..=9999).contains(&year)
    {
        return Err(bad());
    }
    Ok(Some(RawStamp::Slash(SlashStamp {
        first,
        second,
        year,
        seconds,
        twelve_hour,
    })))
}

fn number<T: std::str::FromStr>(part: Option<&str>) -> Option<T> {
    let part = part?.trim();
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// `HH:MM[:SS][.fff][ AM|PM]` → seconds into the day and whether AM/PM was written; an
/// empty time is midnight.
fn parse_time(time: &str) -> Option<(u32, bool)> {
    if time.is_empty() {
        return Some((0, false));
    }
    let upper = time.to_ascii_uppercase();
    let (clock, meridiem) = if let Some(c) = upper.strip_suffix("AM") {
        (c.trim(), Some(false))
    } else if let Some(c) = upper.strip_suffix("PM") {
        (c.trim(), Some(true))
    } else {
        (upper.as_str(), None)
    };
    let clock = clock.split('.').next()?;
    let mut parts = clock.split(':');
    let mut hour: u32 = number(parts.next())?;
    let minute: u32 = number(parts.next())?;
    let second: u32 = match parts.next() {
        Some(s) => number(Some(s))?,
        None => 0,
    };
    if parts.next().is_some() || minute > 59 || second > 60 {
        return None;
    }
    match meridiem {
        Some(pm) => {
            if !(1..=12).contains(&hour) {
                return None;
            }
            hour = hour % 12 + if pm { 12 } else { 0 };
        }
        None if hour > 23 => return None,
        None => {}
    }
    Some((hour * 3600 + minute * 60 + second, meridiem.is_some()))
}

/// Seconds since 1970 of a civil date and time; `None` for a day that does not exist.
pub fn civil_stamp(year: i64, month: u8, day: u8, seconds: u32) -> Option<Stamp> {
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + i64::from(seconds))
}

fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

pub use crate::params::date::days_from_civil;

/// The civil date of a day count (Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    (year_of_era + era * 400 + i64::from(month <= 2), month, day)
}

/// A day count written `YYYY-MM-DD`.
pub struct DayText(pub i64);

impl fmt::Display for DayText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.0);
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// Reads a money cell: a currency code or sign anywhere (`$`, `USD`, `BRL`, `₫`), spaces,
/// thousands separators and a decimal point or comma; a minus sign or parentheses for a
/// negative amount. `Ok(None)` for an empty cell. Returns the amount and the currency
/// written, if any (for the mixed-currency refusal).
pub fn parse_money(text: &str) -> Result<Option<(f64, Option<String>)>, String> {
    let text = text.trim();
    if text.is_empty() || text == "-" || text == "--" {
        return Ok(None);
    }
    let bad = || {
        format!("`{text}` is not an amount of money (expected e.g. `12.50`, `$1,234.50` or `BRL 35,91`)")
    };
    let mut negative = false;
    let mut currency = String::new();
    let mut digits = String::new();
    for c in text.chars() {
        match c {
            '0'..='9' | '.' | ',' => digits.push(c),
            '-' | '−' if digits.is_empty() => negative = true,
            '(' | ')' => negative = true,
            ' ' | '\u{a0}' | '\u{202f}' | '\'' => {}
            c if c.is_alphabetic() || is_currency_sign(c) => currency.push(c),
            _ => return Err(bad()),
        }
    }
    if digits.is_empty() {
        return Err(bad());
    }
    let value = plain_number(&digits).ok_or_else(bad)?;
    let currency = (!currency.is_empty()).then(|| currency.to_uppercase());
    Ok(Some((if negative { -value } else { value }, currency)))
}

fn is_currency_sign(c: char) -> bool {
    matches!(
        c,
        '$' | '€' | '£' | '¥' | '₫' | '฿' | '₱' | '₩' | '₹' | '﷼' | '₺'
    )
}

/// `1,234.50`, `1.234,50`, `35,91`, `1.234.000`, `1234.5` → the number. One separator kind
/// written more than once is thousands; both kinds: the last is the decimal mark; one
/// separator once is thousands when exactly three digits follow and decimal otherwise
/// (`35,91`, `12.5`); exports give cents as two digits.
fn plain_number(digits: &str) -> Option<f64> {
    let dots = digits.matches('.').count();
    let commas = digits.matches(',').count();
    let last = |sep: char| digits.len() - digits.rfind(sep).map_or(digits.len(), |i| i + 1);
    let decimal = match (dots, commas) {
        (0, 0) => None,
        (_, 0) if dots > 1 => None,
        (0, _) if commas > 1 => None,
        (1, 0) => (last('.') != 3).then_some('.'),
        (0, 1) => (last(',') != 3).then_some(','),
        _ => Some(if digits.rfind('.') > digits.rfind(',') {
            '.'
        } else {
            ','
        }),
    };
    let mut plain = String::with_capacity(digits.len());
    for c in digits.chars() {
        match c {
            '0'..='9' => plain.push(c),
            c if Some(c) == decimal => plain.push('.'),
            _ => {}
        }
    }
    if plain.is_empty() || plain == "." {
        return None;
    }
    plain.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Reads a count cell (`1`, `2.0`); `Ok(None)` when empty.
pub fn parse_count(text: &str) -> Result<Option<u32>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || format!("`{text}` is not a number of units (a whole number, 0 or more)");
    if !text
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return Err(bad());
    }
    let value: f64 = plain_number(text).ok_or_else(bad)?;
    if value < 0.0 || value.fract() != 0.0 || value > 1e6 {
        return Err(bad());
    }
    Ok(Some(value as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slash(text: &str) -> SlashStamp {
        match parse_stamp(text).unwrap().unwrap() {
            RawStamp::Slash(s) => s,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn us_twelve_hour_clock_reads_noon_and_midnight() {
        let noon = slash("03/01/2026 12:00:00 PM");
        let midnight = slash("03/01/2026 12:00:00 AM");
        let late = slash("03/01/2026 11:59:59 PM");
        assert_eq!(noon.seconds, 12 * 3600);
        assert_eq!(midnight.seconds, 0);
        assert_eq!(late.seconds, 86_399);
        assert!(noon.twelve_hour);
        let stamp = RawStamp::Slash(noon)
            .resolve(DateOrder::MonthFirst)
            .unwrap();
        assert_eq!(stamp, days_from_civil(2026, 3, 1) * 86_400 + 43_200);
        let day_first = RawStamp::Slash(noon).resolve(DateOrder::DayFirst).unwrap();
        assert_eq!(day_first, days_from_civil(2026, 1, 3) * 86_400 + 43_200);
    }

    #[test]
    fn iso_and_empty_cells() {
        assert_eq!(parse_stamp("").unwrap(), None);
        assert_eq!(
            parse_stamp("2026-03-01 13:05:09").unwrap(),
            Some(RawStamp::Exact(
                days_from_civil(2026, 3, 1) * 86_400 + 13 * 3600 + 5 * 60 + 9
            ))
        );
        for bad in [
            "13/13/2026 10:00:00",
            "03/01/2026 13:00:00 PM",
            "yesterday",
            "2026-02-30 10:00",
        ] {
            assert!(parse_stamp(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn year_first_slash_dates_are_exact() {
        // The settlement statement's `Statement date`.
        assert_eq!(
            parse_stamp("2026/03/15").unwrap(),
            Some(RawStamp::Exact(days_from_civil(2026, 3, 15) * 86_400))
        );
        assert_eq!(
            parse_stamp("2026/12/01 08:30:00").unwrap(),
            Some(RawStamp::Exact(
                days_from_civil(2026, 12, 1) * 86_400 + 8 * 3600 + 30 * 60
            ))
        );
        for bad in ["2026/13/01", "2026/02/30", "2026/03", "2026/03/15/2"] {
            assert!(parse_stamp(bad).is_err(), "{bad}");
        }
        // A year-first date says nothing about the file's day/month order.
        let mut evidence = DateEvidence::default();
        evidence.see(parse_stamp("2026/03/15").unwrap().unwrap());
        assert_eq!(evidence.slash_dates, 0);
    }

    #[test]
    fn the_file_decides_the_order_or_says_why_not() {
        let mut evidence = DateEvidence::default();
        evidence.see(parse_stamp("03/04/2026 10:00:00").unwrap().unwrap());
        let why = evidence.decide(None).unwrap_err();
        assert!(why.contains("--date-format"), "{why}");
        assert_eq!(
            evidence.decide(Some(DateOrder::DayFirst)),
            Ok(DateOrder::DayFirst)
        );
        evidence.see(parse_stamp("25/04/2026 10:00:00").unwrap().unwrap());
        assert_eq!(evidence.decide(None), Ok(DateOrder::DayFirst));
        assert!(evidence.decide(Some(DateOrder::MonthFirst)).is_err());
        evidence.see(parse_stamp("04/25/2026 10:00:00").unwrap().unwrap());
        assert!(evidence.decide(None).unwrap_err().contains("mix"));
    }

    #[test]
    fn civil_days_round_trip() {
        for days in [-1000, 0, 59, 60, 20_000, 20_513, 40_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(
            DayText(days_from_civil(2026, 3, 1)).to_string(),
            "2026-03-01"
        );
    }

    #[test]
    fn money_in_the_styles_exports_use() {
        let value = |t: &str| parse_money(t).unwrap().unwrap().0;
        assert_eq!(value("$1,234.50"), 1234.5);
        assert_eq!(value("BRL 35,91"), 35.91);
        assert_eq!(value("VND 1.234.000"), 1_234_000.0);
        assert_eq!(value("1.234,50 €"), 1234.5);
        assert_eq!(value("-3.58"), -3.58);
        assert_eq!(value("($6.50)"), -6.5);
        assert_eq!(value("12"), 12.0);
        assert_eq!(value("12.5"), 12.5);
        assert_eq!(value("฿ 1,299"), 1299.0);
        assert_eq!(
            parse_money("$1,234.50").unwrap().unwrap().1.as_deref(),
            Some("$")
        );
        assert_eq!(parse_money("").unwrap(), None);
        for bad in ["abc", "12/03", "1.2.3,4,5x"] {
            assert!(parse_money(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn counts_are_whole() {
        assert_eq!(parse_count("2").unwrap(), Some(2));
        assert_eq!(parse_count("2.0").unwrap(), Some(2));
        assert!(parse_count("1.5").is_err());
        assert!(parse_count("-1").is_err());
    }
}
