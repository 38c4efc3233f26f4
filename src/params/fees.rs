//! Platform fees and taxes by market, route and date (`data/fees.toml`, embedded):
//! commissions, payment and per-order fees, VAT/GST, and the Fulfilled by TikTok rate
//! card. Fee schedules change by date, so they are data with their source; the default
//! layers (`layers.rs`) keep only the undated modelling figures. A row reports as the
//! layer its most specific filter names (route, else category, else market), so a
//! figure's provenance reads as it did when it was a literal of that layer. One value at a
//! time for a key in a setting: rows of the same key and filters do not stack.

use super::dated::Table;
use super::dated::{DataError, DataFile, Embedded, Filter, Kind, ParamValue, Row, Stacking};
use super::rules::Date;
use super::{Layer, Setting};

/// The fees file, embedded in the binary.
pub static FILE: Embedded<Table<ParamValue>> =
    Embedded::new("data/fees.toml", include_str!("../../data/fees.toml"), read);

/// `[[fee]]`: a catalog key's value for a market, a route or a category (at least a
/// market or a route); without `from`, the source gives no start date.
const FEE: Kind = Kind {
    name: "fee",
    required: &[],
    optional: &[Filter::Market, Filter::Category, Filter::Route],
    open_start: true,
    stacking: Stacking::Forbidden,
};

fn read(file: &mut DataFile) -> Result<Table<ParamValue>, DataError> {
    let table = file.rows(&FEE, ParamValue::read)?;
    if let Some(row) = table
        .rows()
        .iter()
        .find(|r| r.scope.market.is_none() && r.scope.route.is_none())
    {
        return Err(DataError::Key {
            file: FILE.file(),
            row: row.at,
            key: "market".to_string(),
            message: "missing: a fee is about a market or a route (or both)".to_string(),
        });
    }
    Ok(table)
}

/// The layer a row reports as: its most specific filter's.
pub fn layer(row: &Row<ParamValue>) -> Layer {
    if row.scope.route.is_some() {
        Layer::Route
    } else if row.scope.category.is_some() {
        Layer::Category
    } else {
        Layer::Market
    }
}

/// The fees in force for `setting` on `as_of`, with the layer each reports as.
pub fn in_force(
    setting: &Setting,
    as_of: Date,
) -> impl Iterator<Item = (Layer, &'static Row<ParamValue>)> {
    FILE.get()
        .in_force(*setting, as_of)
        .map(|row| (layer(row), row))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{Category, Market, Model, Route, P};

    fn day(t: &str) -> Date {
        t.parse().unwrap()
    }

    fn fee(market: Market, route: Route, p: P, on: &str) -> Option<(Layer, String, String)> {
        let setting = Setting {
            market,
            category: Category::Beauty,
            model: if route == Route::Managed {
                Model::FullyManaged
            } else {
                Model::SelfOperated
            },
            route,
            freight: crate::params::Freight::Sea,
            team: crate::params::Team::China,
            origin: crate::params::Origin::China,
            tariff_line: Category::Beauty.default_tariff_line(),
        };
        in_force(&setting, day(on))
            .find(|(_, r)| r.value.param() == p)
            .map(|(l, r)| (l, r.value.as_written(), r.source.clone()))
    }

    #[test]
    fn a_fee_documented_since_a_date_starts_then_and_is_assumed_before() {
        let uk = |on| fee(Market::Uk, Route::Managed, P::CommissionRate, on).unwrap();
        let (layer, value, source) = uk("2024-09-01");
        assert_eq!((layer, value.as_str()), (Layer::Market, "0.09"));
        assert!(source.contains("since 2024-09"), "{source}");
        let (_, value, source) = uk("2023-06-01");
        assert_eq!(value, "0.09");
        assert!(source.starts_with("assumption"), "{source}");
    }

    #[test]
    fn the_fbt_rate_card_is_a_route_row_in_every_market() {
        for &m in Market::ALL {
            let (layer, value, _) = fee(m, Route::Fbt, P::CostPerOrder, "2026-11-01").unwrap();
            assert_eq!((layer, value.as_str()), (Layer::Route, "3.58"));
            assert!(fee(m, Route::DirectMail, P::CostPerOrder, "2026-11-01").is_none());
        }
        let (_, _, before) =
            fee(Market::Us, Route::Fbt, P::PlacementPerUnit, "2025-06-15").unwrap();
        assert!(before.starts_with("assumption"), "{before}");
    }

    #[test]
    fn december_2026_fee_and_tax_rows_start_on_their_dates() {
        let at = |m, p, on| fee(m, Route::PlatformShipping, p, on).map(|(_, v, _)| v);
        // Vietnam: commission by category from 2025-07-18, a per-order fee from
        // 2025-10-27; VAT from 2025-02-18.
        assert_eq!(
            at(Market::Vn, P::CommissionRate, "2025-07-17").as_deref(),
            Some("0.04")
        );
        assert_eq!(
            at(Market::Vn, P::CommissionRate, "2025-07-18").as_deref(),
            Some("0.08..0.108")
        );
        assert_eq!(at(Market::Vn, P::FeePerOrder, "2025-10-26"), None);
        assert_eq!(
            at(Market::Vn, P::FeePerOrder, "2025-10-27").as_deref(),
            Some("3000 VND (0.12 USD at 25000 VND/USD)")
        );
        assert_eq!(
            at(Market::Vn, P::FeePerOrder, "2026-11-01").as_deref(),
            Some("3000 VND (0.12 USD at 25000 VND/USD)")
        );
        // Its transaction fee: 5%, then 5-6% from 2026-05-09 (reported, not confirmed).
        assert_eq!(
            at(Market::Vn, P::PaymentRate, "2026-05-08").as_deref(),
            Some("0.05")
        );
        assert_eq!(
            at(Market::Vn, P::PaymentRate, "2026-05-09").as_deref(),
            Some("uniform(0.05, 0.06)")
        );
        assert_eq!(at(Market::Vn, P::VatRate, "2025-02-17"), None);
        assert_eq!(
            at(Market::Vn, P::VatRate, "2025-02-18").as_deref(),
            Some("0.1")
        );
        // Malaysia: commission by category from 2024-09-05, RM0.54 an order from
        // 2026-02-15, the low-value goods tax from 2024-01-01.
        assert_eq!(
            at(Market::My, P::CommissionRate, "2024-09-04").as_deref(),
            Some("0.02..0.05")
        );
        assert_eq!(
            at(Market::My, P::CommissionRate, "2024-09-05").as_deref(),
            Some("0.06..0.1")
        );
        // Its transaction fee rose with the commission.
        assert_eq!(
            at(Market::My, P::PaymentRate, "2024-09-04").as_deref(),
            Some("0.0216")
        );
        assert_eq!(
            at(Market::My, P::PaymentRate, "2024-09-05").as_deref(),
            Some("0.0378")
        );
        // The Philippines: an order-processing fee from 2025-12-01, none before.
        assert_eq!(at(Market::Ph, P::FeePerOrder, "2025-11-30"), None);
        assert_eq!(
            at(Market::Ph, P::FeePerOrder, "2025-12-01").as_deref(),
            Some("uniform(3, 5) PHP (uniform(0.0535714285714286, 0.0892857142857143) USD at 56 PHP/USD)")
        );
        assert_eq!(at(Market::My, P::FeePerOrder, "2026-02-14"), None);
        assert_eq!(
            at(Market::My, P::FeePerOrder, "2026-02-15").as_deref(),
            Some("0.54 MYR (0.12 USD at 4.5 MYR/USD)")
        );
        assert_eq!(
            at(Market::My, P::VatRate, "2024-01-01").as_deref(),
            Some("0.1")
        );
        // Every market but the US has a VAT/GST row for a parcel (the US platform collects
        // sales tax); the Philippines' is 0 under its PHP 10,000 de minimis, for parcels
        // only (no row for stock imported in bulk).
        for &m in Market::ALL {
            let vat = at(m, P::VatRate, "2026-11-01");
            assert_eq!(vat.is_some(), m != Market::Us, "{m:?}: {vat:?}");
        }
        assert_eq!(
            at(Market::Ph, P::VatRate, "2026-11-01").as_deref(),
            Some("0")
        );
        let ph_stock = fee(Market::Ph, Route::Fbt, P::VatRate, "2026-11-01");
        assert!(ph_stock.is_none(), "{ph_stock:?}");
        assert_eq!(
            at(Market::Sa, P::VatRate, "2026-11-01").as_deref(),
            Some("0.15")
        );
        assert_eq!(
            at(Market::Sg, P::VatRate, "2026-11-01").as_deref(),
            Some("0.09")
        );
    }
}
