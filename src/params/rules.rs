//! Platform rules by market and date (`data/platform_rules.toml`, embedded): what a market
//! no longer allows, from when, with its source. Rules are data, not code, so a change of
//! the platform's rules is a new row.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::Deserialize;

use super::{LoopType, Market, Model, Route, Setting};

/// The rules file, embedded in the binary.
pub const RULES_TOML: &str = include_str!("../../data/platform_rules.toml");

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

/// When a dated row of the data files is in force: from `from` until the day before
/// `until` (if it ended).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InForce {
    /// First day it applies.
    pub from: Date,
    /// First day it no longer applies, if it ended.
    pub until: Option<Date>,
}

impl InForce {
    /// Reads `from` and `until` as written in a data file.
    pub fn parse(from: &str, until: Option<&str>) -> Result<InForce, String> {
        Ok(InForce {
            from: from.parse()?,
            until: until.map(str::parse).transpose()?,
        })
    }

    /// Whether it applies on `as_of`.
    pub fn covers(&self, as_of: Date) -> bool {
        self.from <= as_of && self.until.is_none_or(|u| as_of < u)
    }

    /// Whether it ends before `other` starts or starts after `other` ends.
    pub fn disjoint(&self, other: &InForce) -> bool {
        self.until.is_some_and(|u| u <= other.from) || other.until.is_some_and(|u| u <= self.from)
    }
}

/// One rule as written in the rules file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    market: String,
    model: Option<String>,
    #[serde(rename = "loop")]
    loop_type: Option<String>,
    route: Option<String>,
    from: String,
    until: Option<String>,
    says: String,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    rule: Vec<RawRule>,
}

/// A rule of the platform: in `market` (for `model` and `loop_type` when given), from
/// `from` (until `until`), what it says and where that comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// The market it applies to.
    pub market: Market,
    /// The operating model it is about; `None`: every model.
    pub model: Option<Model>,
    /// The loop type it is about; `None`: every loop type.
    pub loop_type: Option<LoopType>,
    /// The delivery route it is about; `None`: every route.
    pub route: Option<Route>,
    /// When it applies.
    pub in_force: InForce,
    /// What it says, as a clause ("cross-border sellers must ...").
    pub says: String,
    /// Where it comes from.
    pub source: String,
}

impl Rule {
    /// Whether the rule is about `setting` on `as_of`.
    pub fn applies(&self, setting: &Setting, as_of: Date) -> bool {
        self.market == setting.market
            && self.model.is_none_or(|m| m == setting.model)
            && self.loop_type.is_none_or(|l| l == setting.loop_type())
            && self.route.is_none_or(|r| r == setting.route)
            && self.in_force.covers(as_of)
    }

    /// The warning a variant gets: the rule, its date and its source.
    pub fn warning(&self) -> String {
        format!(
            "not allowed any more: since {} in market `{}`, {} ({})",
            self.in_force.from, self.market, self.says, self.source
        )
    }
}

fn parse_rules(text: &str) -> Result<Vec<Rule>, String> {
    let raw: RawRules = toml::from_str(text).map_err(|e| e.to_string())?;
    raw.rule
        .into_iter()
        .map(|r| {
            Ok(Rule {
                market: r.market.parse()?,
                model: r.model.map(|m| m.parse()).transpose()?,
                loop_type: r.loop_type.map(|l| l.parse()).transpose()?,
                route: r.route.map(|l| l.parse()).transpose()?,
                in_force: InForce::parse(&r.from, r.until.as_deref())?,
                says: r.says,
                source: r.source,
            })
        })
        .collect()
}

/// Every rule of the embedded file (checked by a test; a broken file yields none).
pub fn all() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| parse_rules(RULES_TOML).unwrap_or_default())
}

/// The rules about `setting` on `as_of`.
pub fn applying(setting: &Setting, as_of: Date) -> impl Iterator<Item = &'static Rule> + '_ {
    all().iter().filter(move |r| r.applies(setting, as_of))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Category;

    #[test]
    fn the_rules_file_reads_and_every_rule_names_a_source() {
        let rules = parse_rules(RULES_TOML).unwrap();
        assert!(!rules.is_empty());
        assert!(rules.iter().all(|r| r.source.starts_with("DOMAIN")));
        assert_eq!(all().len(), rules.len());
    }

    #[test]
    fn dates_are_checked_and_ordered() {
        assert!("2025-12-15".parse::<Date>().unwrap() < "2026-02-01".parse::<Date>().unwrap());
        assert_eq!(
            "2024-02-29".parse::<Date>().unwrap().to_string(),
            "2024-02-29"
        );
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
    fn a_rule_applies_from_its_date_to_its_setting_only() {
        let setting = |model, route| Setting {
            market: Market::Us,
            category: Category::Beauty,
            model,
            route,
        };
        let self_semi = setting(Model::SelfOperated, Route::DirectMail);
        let self_full = setting(Model::SelfOperated, Route::Fbt);
        let self_3pl = setting(Model::SelfOperated, Route::Overseas3pl);
        let self_labels = setting(Model::SelfOperated, Route::PlatformShipping);
        let day = |t: &str| t.parse::<Date>().unwrap();
        let says = |s: &Setting, d: &str| applying(s, day(d)).count();
        assert_eq!(says(&self_semi, "2025-12-14"), 0);
        assert_eq!(says(&self_semi, "2025-12-15"), 1);
        assert_eq!(says(&self_semi, "2026-11-01"), 1);
        assert_eq!(says(&self_full, "2026-11-01"), 0);
        // A 3PL warehouse shipping on platform labels and platform labels from the origin
        // are platform logistics: allowed.
        assert_eq!(says(&self_3pl, "2026-11-01"), 0);
        assert_eq!(says(&self_labels, "2026-11-01"), 0);
        let uk = Setting {
            market: Market::Uk,
            ..self_semi
        };
        assert_eq!(says(&uk, "2026-11-01"), 0);
    }
}
