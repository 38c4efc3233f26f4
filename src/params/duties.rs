//! Import duties by market, valuation basis and date (`data/duties.toml`, embedded): the
//! default of `tax.duty_rate` and `tax.entry_fee_per_parcel` for the scenario's date.
//! Duties change by date, so they are data with their source, not a layer in code.

use std::sync::OnceLock;

use serde::Deserialize;

use super::rules::{Date, InForce};
use super::{Dist, DutyBasis, Market};

/// The duties file, embedded in the binary.
pub const DUTIES_TOML: &str = include_str!("../../data/duties.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDuty {
    market: String,
    basis: String,
    from: String,
    until: Option<String>,
    rate: String,
    entry_fee: String,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDuties {
    duty: Vec<RawDuty>,
}

/// One dated duty row.
#[derive(Clone, Debug, PartialEq)]
pub struct Duty {
    /// The importing market.
    pub market: Market,
    /// Direct parcels or bulk stock.
    pub basis: DutyBasis,
    /// When it applies.
    pub in_force: InForce,
    /// The duty rate on the basis's value.
    pub rate: Dist,
    /// The entry fee per parcel (parcels only).
    pub entry_fee: Dist,
    /// Where it comes from.
    pub source: String,
}

impl Duty {
    /// Whether the row is in force on `as_of`.
    pub fn in_force(&self, as_of: Date) -> bool {
        self.in_force.covers(as_of)
    }
}

fn parse_basis(text: &str) -> Result<DutyBasis, String> {
    match text {
        "parcel" => Ok(DutyBasis::ParcelRetail),
        "bulk" => Ok(DutyBasis::BulkFactory),
        other => Err(format!("unknown basis `{other}`; expected parcel or bulk")),
    }
}

fn parse_duties(text: &str) -> Result<Vec<Duty>, String> {
    let raw: RawDuties = toml::from_str(text).map_err(|e| e.to_string())?;
    raw.duty
        .into_iter()
        .map(|d| {
            Ok(Duty {
                market: d.market.parse()?,
                basis: parse_basis(&d.basis)?,
                in_force: InForce::parse(&d.from, d.until.as_deref())?,
                rate: Dist::parse(&d.rate).map_err(|e| e.to_string())?,
                entry_fee: Dist::parse(&d.entry_fee).map_err(|e| e.to_string())?,
                source: d.source,
            })
        })
        .collect()
}

/// Every row of the embedded file (checked by a test; a broken file yields none).
pub fn all() -> &'static [Duty] {
    static DUTIES: OnceLock<Vec<Duty>> = OnceLock::new();
    DUTIES.get_or_init(|| parse_duties(DUTIES_TOML).unwrap_or_default())
}

/// What the file says about imports into `market` on `basis` on `as_of`.
pub enum Lookup {
    /// The row in force.
    Found(&'static Duty),
    /// The file has rows for this market and basis, but none in force on that date.
    NotOnThatDate,
    /// The file has nothing for this market and basis.
    NoData,
}

/// The duty row for imports into `market` on `basis` on `as_of`.
pub fn lookup(market: Market, basis: DutyBasis, as_of: Date) -> Lookup {
    let mut rows = all()
        .iter()
        .filter(|d| d.market == market && d.basis == basis)
        .peekable();
    if rows.peek().is_none() {
        return Lookup::NoData;
    }
    rows.find(|d| d.in_force(as_of))
        .map_or(Lookup::NotOnThatDate, Lookup::Found)
}

/// The warning a self-operated setting gets when the duties file has no row in force for
/// its market and valuation basis on `as_of` (it then pays no duty by default): either the
/// file covers the market but not that date, or the sources give no duty for the market.
pub fn missing_duty(setting: &super::Setting, as_of: Date) -> Option<String> {
    if setting.model != super::Model::SelfOperated {
        return None;
    }
    let market = setting.market;
    let why = match lookup(market, setting.route.duty_basis(), as_of) {
        Lookup::Found(_) => return None,
        Lookup::NotOnThatDate => format!(
            "no import duty for market `{market}` in force on {as_of} (the study's date, key `as_of`)"
        ),
        Lookup::NoData => format!(
            "no import duty for market `{market}` (the sources give no rate for goods from China)"
        ),
    };
    Some(format!(
        "data/duties.toml has {why}, so `tax.duty_rate` defaults to 0 (set it to the rate you expect)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(t: &str) -> Date {
        t.parse().unwrap()
    }

    #[test]
    fn the_duties_file_reads_and_every_row_names_a_source() {
        let rows = parse_duties(DUTIES_TOML).unwrap();
        assert_eq!(all().len(), rows.len());
        for r in &rows {
            assert!(
                r.source.starts_with("DOMAIN") || r.source.starts_with("assumption"),
                "{}",
                r.source
            );
            // Uncertain figures ship as ranges; a parcel row carries an entry fee.
            assert!(!r.rate.is_fixed(), "{}", r.source);
            assert_eq!(r.basis == DutyBasis::ParcelRetail, !r.entry_fee.is_fixed());
        }
    }

    #[test]
    fn rows_of_a_market_and_basis_do_not_overlap() {
        let rows = all();
        for (i, a) in rows.iter().enumerate() {
            for b in &rows[i + 1..] {
                if a.market == b.market && a.basis == b.basis {
                    assert!(
                        a.in_force.disjoint(&b.in_force),
                        "{} / {}",
                        a.source,
                        b.source
                    );
                }
            }
        }
    }

    #[test]
    fn the_row_in_force_is_found_by_date() {
        let rate = |d: &str| match lookup(Market::Us, DutyBasis::ParcelRetail, day(d)) {
            Lookup::Found(row) => Some(row.rate.to_string()),
            _ => None,
        };
        assert_eq!(rate("2026-03-01").as_deref(), Some("0.1..0.15"));
        assert_eq!(rate("2026-07-23").as_deref(), Some("0.1..0.15"));
        assert_eq!(rate("2026-07-24").as_deref(), Some("0..0.25"));
        assert!(matches!(
            lookup(Market::Us, DutyBasis::BulkFactory, day("2025-01-01")),
            Lookup::NotOnThatDate
        ));
        assert!(matches!(
            lookup(Market::Th, DutyBasis::ParcelRetail, day("2026-11-01")),
            Lookup::NoData
        ));
    }
}
