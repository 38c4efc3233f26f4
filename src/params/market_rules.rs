//! Platform rules that set a parameter's default by market and date
//! (`data/market_rules.toml`, embedded): what the platform charges or pays by its own rules,
//! such as its share of return labels. Rules change by date, so they are data with their
//! source, not a layer in code.

use std::sync::OnceLock;

use serde::Deserialize;

use super::rules::{Date, InForce};
use super::{Dist, Market, P};

/// The market rules file, embedded in the binary.
pub const MARKET_RULES_TOML: &str = include_str!("../../data/market_rules.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    market: String,
    key: String,
    value: String,
    from: Option<String>,
    until: Option<String>,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    rule: Vec<RawRule>,
}

/// One dated default of one parameter in one market (self-operated variants).
#[derive(Clone, Debug, PartialEq)]
pub struct MarketRule {
    /// The market it applies in.
    pub market: Market,
    /// The parameter it sets.
    pub param: P,
    /// The value while in force.
    pub value: Dist,
    /// When it applies (from the first representable day when the source gives no start).
    pub in_force: InForce,
    /// Where it comes from.
    pub source: String,
}

fn parse_rules(text: &str) -> Result<Vec<MarketRule>, String> {
    let raw: RawRules = toml::from_str(text).map_err(|e| e.to_string())?;
    raw.rule
        .into_iter()
        .map(|r| {
            let param = P::from_key(&r.key).ok_or_else(|| format!("unknown key `{}`", r.key))?;
            Ok(MarketRule {
                market: r.market.parse()?,
                param,
                value: Dist::parse(&r.value).map_err(|e| format!("{}: {e}", r.key))?,
                in_force: InForce::parse(
                    r.from.as_deref().unwrap_or("0001-01-01"),
                    r.until.as_deref(),
                )?,
                source: r.source,
            })
        })
        .collect()
}

/// Every row of the embedded file (checked by a test; a broken file yields none).
pub fn all() -> &'static [MarketRule] {
    static RULES: OnceLock<Vec<MarketRule>> = OnceLock::new();
    RULES.get_or_init(|| parse_rules(MARKET_RULES_TOML).unwrap_or_default())
}

/// The rules in force in `market` on `as_of`, in file order.
pub fn in_force(market: Market, as_of: Date) -> impl Iterator<Item = &'static MarketRule> {
    all()
        .iter()
        .filter(move |r| r.market == market && r.in_force.covers(as_of))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::check_value;

    #[test]
    fn the_market_rules_file_reads_and_every_row_is_a_valid_sourced_value() {
        let rows = parse_rules(MARKET_RULES_TOML).unwrap();
        assert!(!rows.is_empty());
        assert_eq!(all().len(), rows.len());
        for r in &rows {
            assert!(r.source.starts_with("DOMAIN"), "{}", r.source);
            check_value(r.param, r.value.clone()).unwrap();
        }
    }

    #[test]
    fn rows_of_a_market_and_key_do_not_overlap() {
        let rows = all();
        for (i, a) in rows.iter().enumerate() {
            for b in &rows[i + 1..] {
                if a.market == b.market && a.param == b.param {
                    assert!(a.in_force.disjoint(&b.in_force), "{}", a.source);
                }
            }
        }
    }

    #[test]
    fn us_return_rules_apply_and_other_markets_have_none() {
        let day: Date = "2026-11-01".parse().unwrap();
        let us: Vec<P> = in_force(Market::Us, day).map(|r| r.param).collect();
        assert!(us.contains(&P::ChangeOfMindShippingShare));
        assert!(us.contains(&P::RefundWithoutReturnMaxPrice));
        assert_eq!(in_force(Market::Th, day).count(), 0);
    }
}
