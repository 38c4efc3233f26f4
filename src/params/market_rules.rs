//! Platform rules that set a parameter's default by market and date
//! (`data/market_rules.toml`, embedded): what the platform charges or pays by its own rules,
//! such as its share of return labels. Rules change by date, so they are data with their
//! source, not a layer in code. One value at a time for a parameter in a setting: rows of
//! the same key do not stack.

use super::dated::Table;
use super::dated::{DataError, DataFile, Embedded, Filter, Kind, ParamValue, Row, Stacking};
use super::rules::Date;
use super::Setting;

/// The market rules file, embedded in the binary.
pub static FILE: Embedded<Table<ParamValue>> = Embedded::new(
    "data/market_rules.toml",
    include_str!("../../data/market_rules.toml"),
    read,
);

/// `[[rule]]`: a catalog key's value in a market (for a model, when given); without
/// `from`, the source gives no start date.
const RULE: Kind = Kind {
    name: "rule",
    required: &[Filter::Market],
    optional: &[Filter::Model],
    open_start: true,
    stacking: Stacking::Forbidden,
};

fn read(file: &mut DataFile) -> Result<Table<ParamValue>, DataError> {
    file.rows(&RULE, ParamValue::read)
}

/// The rules in force for `setting` on `as_of`, in file order.
pub fn in_force(setting: &Setting, as_of: Date) -> impl Iterator<Item = &'static Row<ParamValue>> {
    FILE.get().in_force(*setting, as_of)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{Category, Market, Model, Route, P};

    #[test]
    fn every_market_rule_names_a_source() {
        let rows = FILE.load().unwrap().rows();
        assert!(!rows.is_empty());
        assert!(rows.iter().all(|r| ["DOMAIN", "cited: ", "assumption:"]
            .iter()
            .any(|s| r.source.starts_with(s))));
    }

    #[test]
    fn us_return_and_probation_rules_apply_to_us_self_operated_shops_only() {
        let day: Date = "2026-11-01".parse().unwrap();
        let setting = |market, model, route| Setting {
            market,
            category: Category::Beauty,
            model,
            route,
            freight: crate::params::Freight::Sea,
            team: crate::params::Team::China,
            origin: crate::params::Origin::China,
            tariff_line: Category::Beauty.default_tariff_line(),
        };
        let us = setting(Market::Us, Model::SelfOperated, Route::Fbt);
        let keys: Vec<P> = in_force(&us, day).map(|r| r.value.param()).collect();
        assert!(keys.contains(&P::ChangeOfMindShippingShare));
        assert!(keys.contains(&P::RefundWithoutReturnMaxPrice));
        let managed = setting(Market::Us, Model::FullyManaged, Route::Managed);
        assert_eq!(in_force(&managed, day).count(), 0);
        assert!(keys.contains(&P::ProbationSettlementDays));
        // Elsewhere: only the settlement after the after-sales window (SEA), no US rule.
        for market in [Market::Th, Market::Uk, Market::Sg] {
            let keys: Vec<P> = in_force(&setting(market, Model::SelfOperated, Route::Fbt), day)
                .map(|r| r.value.param())
                .collect();
            assert!(
                keys.iter().all(|&k| k == P::SettlementDays),
                "{market:?}: {keys:?}"
            );
            assert_eq!(keys.len(), usize::from(market != Market::Uk), "{market:?}");
        }
    }

    #[test]
    fn vietnam_has_no_cash_on_delivery_for_cross_border_orders_from_september_2025() {
        let setting = |market| Setting {
            market,
            category: Category::Beauty,
            model: Model::SelfOperated,
            route: Route::PlatformShipping,
            freight: crate::params::Freight::Sea,
            team: crate::params::Team::China,
            origin: crate::params::Origin::China,
            tariff_line: Category::Beauty.default_tariff_line(),
        };
        let cod = |market, day: &str| {
            let params = crate::params::Resolved::defaults(setting(market), day.parse().unwrap());
            params.dist(P::CodShare).to_string()
        };
        assert_eq!(cod(Market::Vn, "2025-09-08"), "0");
        assert_eq!(cod(Market::Vn, "2026-11-01"), "0");
        // Before the page's date, and in Thailand, the market's layer stands.
        assert_eq!(cod(Market::Vn, "2025-09-07"), "0.7..0.8");
        assert_eq!(cod(Market::Th, "2026-11-01"), "0.7..0.8");
    }
}
