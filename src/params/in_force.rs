//! Every dated row of the data files in force for a setting on a date, with its dates and
//! source (`shopsim params --rows`): the fees, taxes, duties, platform rules and penalties
//! a study of that setting rests on, as the files say them, so a seller can check each
//! against its source before trusting a verdict.

use super::date::InForce;
use super::dated::{Row, RowAt};
use super::rules::Date;
use super::{duties, fees, market_rules, penalties, rules, Setting};

/// One row in force.
#[derive(Clone, Debug, PartialEq)]
pub struct RowInForce {
    /// The file, as `data/name.toml`.
    pub file: &'static str,
    /// Where the row stands in it.
    pub at: RowAt,
    /// When it applies.
    pub in_force: InForce,
    /// What it sets: a catalog key, or the rule or penalty it is.
    pub sets: String,
    /// Its value, as written (a distribution, a rule's text, a penalty's terms).
    pub value: String,
    /// Where it comes from.
    pub source: String,
}

fn entry<T>(file: &'static str, row: &Row<T>, sets: String, value: String) -> RowInForce {
    RowInForce {
        file,
        at: row.at,
        in_force: row.in_force,
        sets,
        value,
        source: row.source.clone(),
    }
}

/// Every row in force for `setting` on `as_of`, file by file in the order a variant's
/// parameters are resolved (fees, market rules, duties), then penalties and route rules.
pub fn rows(setting: &Setting, as_of: Date) -> Vec<RowInForce> {
    let mut out = Vec::new();
    for (_, row) in fees::in_force(setting, as_of) {
        let sets = row.value.param().key().to_string();
        out.push(entry(fees::FILE.file(), row, sets, row.value.as_written()));
    }
    for row in market_rules::in_force(setting, as_of) {
        let sets = row.value.param().key().to_string();
        let value = row.value.as_written();
        out.push(entry(market_rules::FILE.file(), row, sets, value));
    }
    for part in duties::Part::ALL {
        if let duties::Lookup::Found(row) = duties::lookup(setting, part, as_of) {
            let sets = part.param().key().to_string();
            let value = row.value.rate.dist().to_string();
            out.push(entry(duties::FILE.file(), row, sets, value));
        }
    }
    if let Some(row) = duties::entry_fee(setting, as_of) {
        let sets = row.value.fee.param().key().to_string();
        let value = row.value.fee.dist().to_string();
        out.push(entry(duties::FILE.file(), row, sets, value));
    }
    let file = penalties::FILE.get();
    for row in file.late_dispatch.in_force(*setting, as_of) {
        let p = &row.value;
        let bands: Vec<String> = p
            .bands
            .iter()
            .map(|b| format!("{}%: {}%", b.from_rate * 100.0, b.cap * 100.0))
            .collect();
        let value = format!(
            "late rate over {} days → cap of the highest {}-day average: {}; lifted under {}%; {} a late order; settlement {} days while in a band",
            p.rate_days,
            p.average_days,
            bands.join(", "),
            p.lift_below * 100.0,
            p.fee_per_late_order,
            p.settlement_days
        );
        let sets = "late-dispatch order caps".to_string();
        out.push(entry(penalties::FILE.file(), row, sets, value));
    }
    for row in file.probation.in_force(*setting, as_of) {
        let tiers: Vec<String> = row
            .value
            .tiers
            .iter()
            .map(|t| {
                format!(
                    "{} a day from day {} and {} orders",
                    t.orders_per_day, t.from_day, t.from_orders
                )
            })
            .collect();
        let sets = "probation order caps".to_string();
        out.push(entry(penalties::FILE.file(), row, sets, tiers.join("; ")));
    }
    for row in rules::applying(setting, as_of) {
        let sets = if row.value.invitation {
            "route by invitation only"
        } else {
            "route not allowed"
        };
        let value = row.value.says.clone();
        out.push(entry(rules::FILE.file(), row, sets.to_string(), value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{Category, Layer, Market, Model, Route, P};

    fn setting(market: Market, category: Category, route: Route) -> Setting {
        Setting {
            market,
            category,
            model: Model::SelfOperated,
            route,
            freight: crate::params::Freight::Sea,
            team: crate::params::Team::China,
            origin: crate::params::Origin::China,
            tariff_line: category.default_tariff_line(),
        }
    }

    fn day(t: &str) -> Date {
        t.parse().unwrap()
    }

    #[test]
    fn every_row_that_sets_a_default_is_listed_with_its_date_and_source() {
        // Each listed row that sets a key is one of the values the defaults went through
        // (its layer's history), and each default that came from a dated file is listed.
        for (market, category, route) in [
            (Market::Us, Category::Beauty, Route::PlatformShipping),
            (Market::Us, Category::Apparel, Route::Fbt),
            (Market::Th, Category::Apparel, Route::DirectMail),
            (Market::Vn, Category::Home, Route::PlatformShipping),
        ] {
            let s = setting(market, category, route);
            let on = day("2026-11-01");
            let listed = rows(&s, on);
            let defaults = crate::params::Resolved::defaults(s, on);
            for row in &listed {
                assert!(row.in_force.covers(on), "{row:?}");
                assert!(!row.source.is_empty());
                if let Some(p) = P::from_key(&row.sets) {
                    // A figure written in a market's currency says so after its source.
                    let from_row = |e: &crate::params::Entry| match &e.native {
                        None => e.source == row.source,
                        Some(n) => e.source == format!("{}{}", row.source, n.usd_note()),
                    };
                    assert!(
                        defaults.history(p).iter().any(from_row),
                        "{market} {}",
                        row.sets
                    );
                }
            }
            for (p, e) in defaults.entries() {
                let dated = matches!(e.layer, Layer::MarketRules | Layer::Duties);
                if dated {
                    assert!(
                        listed.iter().any(|r| r.sets == p.key()
                            && e.source.starts_with(&r.source)
                            && (e.native.is_some() || e.source == r.source)),
                        "{market} {} not listed",
                        p.key()
                    );
                }
            }
            // Every market lists its fees; the US and Thailand their duties.
            assert!(
                listed.iter().any(|r| r.file == "data/fees.toml"),
                "{market}"
            );
            let duty = listed.iter().any(|r| r.file == "data/duties.toml");
            assert_eq!(duty, matches!(market, Market::Us | Market::Th), "{market}");
        }
    }

    #[test]
    fn a_rule_is_listed_from_its_first_day_only() {
        let labels = setting(Market::Us, Category::Beauty, Route::PlatformShipping);
        let invitation = |on: &str| {
            rows(&labels, day(on))
                .iter()
                .any(|r| r.sets == "route by invitation only")
        };
        assert!(!invitation("2026-01-31"));
        assert!(invitation("2026-02-01"));
        // The 2026-01-26 late-dispatch row (a $5 fee) replaces the 2024 row.
        let fee = |on: &str| {
            rows(&labels, day(on))
                .into_iter()
                .find(|r| r.sets == "late-dispatch order caps")
                .map(|r| r.value.contains("; 5 a late order"))
        };
        assert_eq!(fee("2026-01-25"), Some(false));
        assert_eq!(fee("2026-01-26"), Some(true));
    }
}
