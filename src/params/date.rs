//! Calendar days and the span a dated row of the data files is in force: the study's date
//! (`as_of`) picks the rows whose span covers it.

use std::fmt;
use std::str::FromStr;

/// The date a scenario is about when it does not say (`as_of`): when the rules were last
/// reviewed, so results do not depend on the day the program runs.
pub const DEFAULT_AS_OF: Date = Date {
    year: 2026,
    month: 11,
    day: 1,
};

/// A calendar day, written `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Days since 1970-01-01 (negative before) of a civil date: the proleptic Gregorian
/// calendar's day count (H. Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let (month, day) = (i64::from(month), i64::from(day));
    let year = year - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

impl Date {
    /// The first representable day: where a row starts whose source gives no start date.
    pub const EARLIEST: Date = Date {
        year: 1,
        month: 1,
        day: 1,
    };

    /// Days since 1970-01-01 (negative before).
    pub fn day_count(self) -> i64 {
        days_from_civil(i64::from(self.year), self.month, self.day)
    }

    /// The day of a study dated `self` that `date` falls on: the study's date is day 1
    /// (days are counted from 1, as events count them); a date before it gives 0 or less.
    pub fn study_day(self, date: Date) -> i64 {
        date.day_count() - self.day_count() + 1
    }
}

impl FromStr for Date {
    type Err = String;

    fn from_str(text: &str) -> Result<Date, String> {
        let bad = || format!("`{text}` is not a date written YYYY-MM-DD (e.g. 2026-11-01)");
        let parts: Vec<&str> = text.trim().split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let (year, month, day): (u16, u8, u8) = (
            y.parse().map_err(|_| bad())?,
            m.parse().map_err(|_| bad())?,
            d.parse().map_err(|_| bad())?,
        );
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(bad()),
        };
        if day == 0 || day > days_in_month {
            return Err(bad());
        }
        Ok(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// When a dated row of the data files is in force: from `from` (inclusive) until the day
/// before `until` (exclusive), if it ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InForce {
    /// First day it applies.
    pub from: Date,
    /// First day it no longer applies, if it ended.
    pub until: Option<Date>,
}

impl InForce {
    /// Whether it applies on `as_of`.
    pub fn covers(&self, as_of: Date) -> bool {
        self.from <= as_of && self.until.is_none_or(|u| as_of < u)
    }

    /// Whether it ends before `other` starts or starts after `other` ends.
    pub fn disjoint(&self, other: &InForce) -> bool {
        self.until.is_some_and(|u| u <= other.from) || other.until.is_some_and(|u| u <= self.from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(t: &str) -> Date {
        t.parse().unwrap()
    }

    #[test]
    fn study_days_count_from_one_across_months_years_and_leap_days() {
        let as_of = day("2026-11-01");
        assert_eq!(as_of.study_day(day("2026-11-01")), 1);
        assert_eq!(as_of.study_day(day("2026-11-27")), 27);
        assert_eq!(as_of.study_day(day("2027-01-01")), 62);
        assert_eq!(as_of.study_day(day("2026-10-31")), 0);
        // 2028 is a leap year, 2100 is not, 2000 was.
        assert_eq!(day("2028-02-28").study_day(day("2028-03-01")), 3);
        assert_eq!(day("2100-02-28").study_day(day("2100-03-01")), 2);
        assert_eq!(day("2000-02-28").study_day(day("2000-03-01")), 3);
        assert_eq!(day("1970-01-01").day_count(), 0);
        assert_eq!(day("2026-07-24").day_count(), 20_658);
    }

    #[test]
    fn dates_are_checked_and_ordered() {
        assert!(day("2025-12-15") < day("2026-02-01"));
        assert_eq!(day("2024-02-29").to_string(), "2024-02-29");
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-1-01",
            "25-01-01",
            "2025-04-31",
            "soon",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn from_is_inclusive_and_until_exclusive() {
        let span = InForce {
            from: day("2026-02-24"),
            until: Some(day("2026-07-24")),
        };
        assert!(!span.covers(day("2026-02-23")));
        assert!(span.covers(day("2026-02-24")));
        assert!(span.covers(day("2026-07-23")));
        assert!(!span.covers(day("2026-07-24")));
        let next = InForce {
            from: day("2026-07-24"),
            until: None,
        };
        assert!(span.disjoint(&next) && next.disjoint(&span));
        let early = InForce {
            from: Date::EARLIEST,
            until: Some(day("2026-07-25")),
        };
        assert!(!early.disjoint(&next));
    }
}
