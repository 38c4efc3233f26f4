//! Import duties by market, valuation basis and date (`data/duties.toml`, embedded): the
//! default of `tax.duty_rate` and `tax.entry_fee_per_parcel` for the scenario's date.
//! Duties change by date, so they are data with their source, not a layer in code. One
//! duty at a time for a market and basis: rows of a basis do not stack.

use super::dated::{DataError, DataFile, Embedded, Filter, Kind, Row, Slot, Stacking, Table};
use super::rules::Date;
use super::{CheckedValue, Model, Setting, P};

/// The duties file, embedded in the binary.
pub static FILE: Embedded<Table<Duty>> = Embedded::new(
    "data/duties.toml",
    include_str!("../../data/duties.toml"),
    read,
);

/// `[[duty]]`: a market and a valuation basis (`parcel` or `bulk`, from the route).
const DUTY: Kind = Kind {
    name: "duty",
    required: &[Filter::Market, Filter::Basis],
    optional: &[Filter::Category],
    open_start: false,
    stacking: Stacking::Forbidden,
};

/// What a dated duty row charges.
#[derive(Clone, Debug, PartialEq)]
pub struct Duty {
    /// The duty rate on the basis's value (`tax.duty_rate`).
    pub rate: CheckedValue,
    /// The entry fee per parcel, parcels only (`tax.entry_fee_per_parcel`).
    pub entry_fee: CheckedValue,
}

impl Slot for Duty {}

fn read(file: &mut DataFile) -> Result<Table<Duty>, DataError> {
    file.rows(&DUTY, |row| {
        Ok(Duty {
            rate: row.checked("rate", P::DutyRate)?,
            entry_fee: row.checked("entry_fee", P::EntryFeePerParcel)?,
        })
    })
}

/// What the file says about a setting's imports on a date.
pub enum Lookup {
    /// The row in force.
    Found(&'static Row<Duty>),
    /// The file has rows for this market and basis, but none in force on that date.
    NotOnThatDate,
    /// The file has nothing for this market and basis.
    NoData,
}

/// The duty row for a setting's imports on `as_of`. Fully managed: the platform imports
/// the merchant's stock in bulk and pays the bulk rate; it reaches the merchant only
/// through the supply price (`price.tariff_passback_share`).
pub fn lookup(setting: &Setting, as_of: Date) -> Lookup {
    let importer = match setting.model {
        Model::SelfOperated => *setting,
        Model::FullyManaged => Setting {
            model: Model::SelfOperated,
            route: super::Route::Fbt,
            ..*setting
        },
    };
    let mut rows = FILE.get().about(importer).peekable();
    if rows.peek().is_none() {
        return Lookup::NoData;
    }
    // A row for the product's category wins over the market's row for every category.
    rows.filter(|d| d.in_force.covers(as_of))
        .min_by_key(|d| d.scope.category.is_none())
        .map_or(Lookup::NotOnThatDate, Lookup::Found)
}

/// The warning a self-operated setting gets when the duties file has no row in force for
/// its market and valuation basis on `as_of` (it then pays no duty by default): either the
/// file covers the market but not that date, or the sources give no duty for the market.
pub fn missing_duty(setting: &Setting, as_of: Date) -> Option<String> {
    if setting.model != Model::SelfOperated {
        return None;
    }
    let market = setting.market;
    let why = match lookup(setting, as_of) {
        Lookup::Found(_) => return None,
        Lookup::NotOnThatDate => format!(
            "no import duty for market `{market}` in force on {as_of} (the study's date, key `as_of`)"
        ),
        Lookup::NoData => format!(
            "no import duty for market `{market}` (the sources give no rate for goods from China)"
        ),
    };
    Some(format!(
        "{} has {why}, so `tax.duty_rate` defaults to 0 (set it to the rate you expect)",
        FILE.file()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{Category, DutyBasis, Market, Route};

    fn day(t: &str) -> Date {
        t.parse().unwrap()
    }

    fn self_operated(market: Market, route: Route) -> Setting {
        Setting {
            market,
            category: Category::Beauty,
            model: Model::SelfOperated,
            route,
            freight: crate::params::Freight::Sea,
            team: crate::params::Team::China,
        }
    }

    #[test]
    fn every_duty_row_names_a_source_and_ships_a_range() {
        for r in FILE.load().unwrap().rows() {
            assert!(
                r.source.starts_with("DOMAIN") || r.source.starts_with("assumption"),
                "{}",
                r.source
            );
            // Uncertain figures ship as ranges; a US parcel row carries an entry fee (the
            // Thai sources give none: 0).
            assert!(!r.value.rate.dist().is_fixed(), "{}", r.source);
            if r.scope.market == Some(Market::Us) {
                assert_eq!(
                    r.scope.basis == Some(DutyBasis::ParcelPricePaid),
                    !r.value.entry_fee.dist().is_fixed()
                );
            }
        }
    }

    #[test]
    fn the_row_in_force_is_found_by_date() {
        let parcel = self_operated(Market::Us, Route::DirectMail);
        let rate = |d: &str| match lookup(&parcel, day(d)) {
            Lookup::Found(row) => Some(row.value.rate.dist().to_string()),
            _ => None,
        };
        assert_eq!(rate("2026-03-01").as_deref(), Some("0.1..0.15"));
        assert_eq!(rate("2026-07-23").as_deref(), Some("0.1..0.15"));
        assert_eq!(rate("2026-07-24").as_deref(), Some("0..0.25"));
        assert!(matches!(
            lookup(&self_operated(Market::Us, Route::Fbt), day("2025-01-01")),
            Lookup::NotOnThatDate
        ));
        assert!(matches!(
            lookup(
                &self_operated(Market::Vn, Route::DirectMail),
                day("2026-11-01")
            ),
            Lookup::NoData
        ));
        let managed = Setting {
            model: Model::FullyManaged,
            route: Route::Managed,
            ..parcel
        };
        // Fully managed: the platform imports in bulk and pays the bulk rate (passed back
        // through the supply price); the merchant gets no warning about it.
        let Lookup::Found(row) = lookup(&managed, day("2026-03-01")) else {
            panic!("the platform's bulk duty");
        };
        assert!(row.source.contains("bulk stock"), "{}", row.source);
        assert!(missing_duty(&managed, day("2026-03-01")).is_none());
    }

    #[test]
    fn thai_parcels_pay_duty_by_category_from_2026_and_stock_has_no_row() {
        let th = |category, route, on: &str| {
            let setting = Setting {
                category,
                ..self_operated(Market::Th, route)
            };
            match lookup(&setting, day(on)) {
                Lookup::Found(r) => Some(r.value.rate.dist().to_string()),
                Lookup::NotOnThatDate | Lookup::NoData => None,
            }
        };
        // The category's row wins over the row for every category.
        for c in [Category::Apparel, Category::Shoes] {
            assert_eq!(
                th(c, Route::PlatformShipping, "2026-03-01").as_deref(),
                Some("0.25..0.35")
            );
        }
        assert_eq!(
            th(Category::Beauty, Route::DirectMail, "2026-03-01").as_deref(),
            Some("0.1..0.2")
        );
        // Before 2026 and for bulk stock the sources give no Thai duty: none, and a warning.
        assert_eq!(
            th(Category::Apparel, Route::PlatformShipping, "2025-12-31"),
            None
        );
        assert_eq!(th(Category::Apparel, Route::Fbt, "2026-03-01"), None);
        let setting = Setting {
            category: Category::Apparel,
            ..self_operated(Market::Th, Route::Fbt)
        };
        assert!(missing_duty(&setting, day("2026-03-01")).is_some());
    }
}
