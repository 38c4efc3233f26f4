//! Parameters that act on one operating model only: what a self-operated shop does and
//! pays that a fully managed supplier does not (ads, live streams, creators, platform
//! fees, its own price and buyers), and the terms of a fully managed supply deal that a
//! self-operated shop never meets (the supply price and its cuts, the return liability).
//!
//! Read off the engine (`sim/trial`): a key is listed for a model only if no step of a
//! trial of the other model reads it. The scenario validator warns when a file sets one
//! where it cannot act (a value a user asked for is never silently ignored), and a test
//! (`tests/it/model_only.rs`) runs the built-in study with each key at two values on a
//! variant of the other model and finds every output bit for bit the same: the warning
//! never says "no effect" of a key that has one.
//!
//! Left out because they act on both models: `price.retail` (on a fully managed variant,
//! the base of the contribution margin) and the import duty's parts (the platform passes
//! its share of a new duty back through the supply price). The customs costs of a batch
//! of stock (`tax.broker_fee_per_entry`, the processing, harbour and bond fees) are a
//! self-operated importer's: the engine charges them on a self-operated shop's stock only.
//!
//! Only the operating model is declared here, not the route: `tax.entry_fee_per_parcel`
//! on a route that imports in bulk, or `logistics.late_dispatch_rate` on Fulfilled by
//! TikTok, are not (yet) warned about.

use super::{Model, P};

/// A parameter that acts on one operating model only.
#[derive(Debug)]
pub struct ModelOnly {
    /// The parameter.
    pub param: P,
    /// The only model it acts on.
    pub acts_on: Model,
    /// Why it cannot act on the other model, in a seller's words; it follows "has no
    /// effect on a … variant:".
    pub why: &'static str,
}

/// Reasons shared by several keys.
const PLATFORM_MARKETS: &str = "the platform markets a fully managed product, so you buy no ads, run no live streams and pay no creators";
const PLATFORM_SELLS: &str = "the platform sells a fully managed product and pays you its supply price, so you pay none of a seller's platform fees";
const PLATFORM_TRAFFIC: &str = "the platform's traffic brings a fully managed product its orders (`demand.managed_orders_per_day`), not your accounts' content";
const PLATFORM_RETURNS: &str = "on a fully managed product you pay the return service fee of every return (`returns.shipping_cost`) and a share of its supply price (`returns.liability`); the platform's split of return labels and its refunds without return are a self-operated shop's";
const NO_OWN_SHOP: &str = "a fully managed supplier has no shop of its own on the platform, so no new-shop probation holds back its payouts";
const PLATFORM_PRICE: &str = "the platform sets the price of a fully managed product: no price of yours against the market's moves its demand";
const PLATFORM_BUYERS: &str =
    "the platform owns a fully managed product's buyers: none come back to a shop of yours";
const PLATFORM_PAYMENT: &str = "the platform takes the buyer's payment for a fully managed product: no cash-on-delivery parcel is refused at your cost";
const PLATFORM_IMPORTS: &str = "the platform imports a fully managed product (you deliver it to its warehouse in the country of origin): the customs entry of the stock, its broker, fees and bond, are the platform's";
const NO_RESERVE: &str =
    "the platform holds no rolling reserve back from a fully managed supplier's payouts";
const SUPPLY_PRICE: &str = "a self-operated shop sells at its own price (`price.retail`); only a fully managed supplier is paid a supply price by the platform";
const PLATFORM_DEMAND: &str = "a self-operated shop's orders come from its accounts, live streams and ads; the platform's traffic to a listing is a fully managed product's";

macro_rules! only {
    ($model:ident: $($id:ident => $why:expr),* $(,)?) => {
        [$(ModelOnly { param: P::$id, acts_on: Model::$model, why: $why }),*]
    };
}

const SELF_OPERATED: [ModelOnly; 46] = only!(SelfOperated:
    ReferencePrice => PLATFORM_PRICE,
    CommissionRate => PLATFORM_SELLS,
    PaymentRate => PLATFORM_SELLS,
    FeePerOrder => PLATFORM_SELLS,
    FeeRefundOnReturn => PLATFORM_SELLS,
    EntryFeePerParcel => "the platform imports a fully managed product: you send no parcels through customs",
    BrokerFeePerEntry => PLATFORM_IMPORTS,
    ProcessingFeeRate => PLATFORM_IMPORTS,
    ProcessingFeeMin => PLATFORM_IMPORTS,
    ProcessingFeeMax => PLATFORM_IMPORTS,
    HarborFeeRate => PLATFORM_IMPORTS,
    CustomsBondPerYear => PLATFORM_IMPORTS,
    VatRate => "the platform sells a fully managed product to the buyer: the VAT/GST in the retail price is its to pay",
    OrdersPerAccountDay => PLATFORM_TRAFFIC,
    ChannelAccounts => PLATFORM_TRAFFIC,
    InspectionDays => PLATFORM_TRAFFIC,
    LivesPerWeek => PLATFORM_MARKETS,
    OrdersPerLive => PLATFORM_MARKETS,
    PriceElasticity => PLATFORM_PRICE,
    RepeatShare => PLATFORM_BUYERS,
    RepeatMeanDays => PLATFORM_BUYERS,
    RepeatLatePenalty => PLATFORM_BUYERS,
    AdSpendPerDay => PLATFORM_MARKETS,
    Roas => PLATFORM_MARKETS,
    PositioningDays => PLATFORM_MARKETS,
    EarlyAdEfficiency => PLATFORM_MARKETS,
    AffiliateShare => PLATFORM_MARKETS,
    AffiliateCommission => PLATFORM_MARKETS,
    LiveCost => PLATFORM_MARKETS,
    SamplesPerMonth => PLATFORM_MARKETS,
    ShopPerformanceScore => "a fully managed supplier has no shop of its own on the platform: no shop score turns it away from a campaign or lowers its return labels",
    ErpCostPerDay => "the platform ships fully managed orders: you connect no store or ERP to a carrier or warehouse",
    LateDispatchRate => "the platform dispatches fully managed orders: the late-dispatch rules are about merchants who dispatch their own",
    CostPerOrder => "the platform ships fully managed orders: you pay no fulfilment or shipping per order (your packaging and inbound costs still count)",
    CodShare => PLATFORM_PAYMENT,
    CodRefusalRate => PLATFORM_PAYMENT,
    ChangeOfMindShippingShare => PLATFORM_RETURNS,
    TopShopShippingShare => PLATFORM_RETURNS,
    TopShopMinScore => PLATFORM_RETURNS,
    RefundWithoutReturnMaxPrice => PLATFORM_RETURNS,
    RefundWithoutReturnShare => PLATFORM_RETURNS,
    ReserveShare => NO_RESERVE,
    ReserveDays => NO_RESERVE,
    ProbationSettlementDays => NO_OWN_SHOP,
    ProbationMinDays => NO_OWN_SHOP,
    ProbationMinOrders => NO_OWN_SHOP,
);

const FULLY_MANAGED: [ModelOnly; 7] = only!(FullyManaged:
    SupplyMarkup => SUPPLY_PRICE,
    SupplyCutEveryDays => SUPPLY_PRICE,
    SupplyCut => SUPPLY_PRICE,
    TariffPassback => "a self-operated shop imports its goods (or sends them as parcels) and pays the duty itself; the platform passes a duty back only through a fully managed supply price",
    ManagedOrdersPerDay => PLATFORM_DEMAND,
    ManagedListings => PLATFORM_DEMAND,
    ReturnLiability => "a self-operated shop refunds the whole price of a return; the share of the supply price charged back is a fully managed supplier's",
);

/// Every parameter that acts on one model only: the self-operated ones, then the fully
/// managed ones, each in catalog order.
pub fn all() -> impl Iterator<Item = &'static ModelOnly> {
    SELF_OPERATED.iter().chain(FULLY_MANAGED.iter())
}

/// Why `param` cannot act on a variant of `model`, if it cannot.
pub fn cannot_act(param: P, model: Model) -> Option<&'static str> {
    all()
        .find(|m| m.param == param && m.acts_on != model)
        .map(|m| m.why)
}

/// A model in a seller's words: "self-operated", "fully managed".
pub fn words(model: Model) -> &'static str {
    match model {
        Model::SelfOperated => "self-operated",
        Model::FullyManaged => "fully managed",
    }
}

/// The other operating model.
pub fn other(model: Model) -> Model {
    match model {
        Model::SelfOperated => Model::FullyManaged,
        Model::FullyManaged => Model::SelfOperated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::SPECS;

    #[test]
    fn each_key_is_listed_once_in_catalog_order() {
        for list in [&SELF_OPERATED[..], &FULLY_MANAGED[..]] {
            assert!(list.windows(2).all(|w| w[0].param < w[1].param));
        }
        assert!(!SELF_OPERATED
            .iter()
            .any(|s| FULLY_MANAGED.iter().any(|f| f.param == s.param)));
    }

    /// The catalog says "Self-operated: …" or "Fully managed: …" of a key that is one
    /// model's: each such key is listed for its model (a new key of one model is
    /// declared here, or the catalog's words are wrong).
    #[test]
    fn the_catalog_keys_of_one_model_are_listed() {
        for s in SPECS {
            for (prefix, model) in [
                ("Self-operated", Model::SelfOperated),
                ("Fully managed:", Model::FullyManaged),
            ] {
                if s.description.starts_with(prefix) {
                    assert!(
                        all().any(|m| m.param == s.id && m.acts_on == model),
                        "{} is described as {prefix} but not listed",
                        s.key
                    );
                }
            }
        }
        assert_eq!(
            cannot_act(P::SupplyMarkup, Model::SelfOperated),
            Some(SUPPLY_PRICE)
        );
        assert_eq!(cannot_act(P::SupplyMarkup, Model::FullyManaged), None);
        assert_eq!(cannot_act(P::UnitCost, Model::SelfOperated), None);
        assert_eq!(cannot_act(P::UnitCost, Model::FullyManaged), None);
    }

    /// `logistics.late_dispatch_rate` acts only through a late-dispatch rule of
    /// `data/penalties.toml`: none may apply to a fully managed variant, in any market on
    /// any date.
    #[test]
    fn no_late_dispatch_rule_applies_to_a_fully_managed_variant() {
        use crate::params::{penalties, Category, Freight, Market, Origin, Route, Setting, Team};
        for &market in Market::ALL {
            let setting = Setting {
                market,
                category: Category::Beauty,
                model: Model::FullyManaged,
                route: Route::Managed,
                freight: Freight::Sea,
                team: Team::China,
                origin: Origin::China,
                tariff_line: Category::Beauty.default_tariff_line(),
            };
            for date in ["2024-01-01", "2026-01-26", "2026-11-01", "2030-01-01"] {
                let date = date.parse().unwrap();
                assert!(
                    penalties::late_dispatch(&setting, date).is_none(),
                    "{market}"
                );
                assert!(
                    penalties::probation_caps(&setting, date).is_none(),
                    "{market}"
                );
            }
        }
    }
}
