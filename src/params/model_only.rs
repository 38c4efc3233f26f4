//! Parameters that act on one operating model only: what a self-operated shop does and
//! pays that a fully managed supplier does not (ads, live streams, creators, platform
//! fees, its own price and buyers), and the terms of a fully managed supply deal that a
//! self-operated shop never meets (the supply price and its cuts, the return liability);
//! and, among a self-operated shop's keys, those that act only on some of its routes or
//! freight modes (an entry fee per parcel on a route that imports in bulk, a late-dispatch
//! rate where the platform dispatches, a harbour fee on stock flown in).
//!
//! Read off the engine (`sim/trial`): a key is listed for a model only if no step of a
//! trial of the other model reads it, and for some routes or a freight mode only if the
//! engine reads it under that condition alone. The scenario validator warns when a file
//! sets one where it cannot act (a value a user asked for is never silently ignored), and
//! a test (`tests/it/model_only.rs`) runs a study with each key at two values on variants
//! where it cannot act and finds every output bit for bit the same: the warning never says
//! "no effect" of a key that has one.
//!
//! Left out because they act on both models: `price.retail` (on a fully managed variant,
//! the base of the contribution margin) and the import duty's parts (the platform passes
//! its share of a new duty back through the supply price). The customs costs of a batch
//! of stock (`tax.broker_fee_per_entry`, the processing, harbour and bond fees) are a
//! self-operated importer's: the engine charges them on a self-operated shop's stock only.
//!
//! Left out of the route-level list because what decides them is a value, not a setting:
//! the stock keys (`inventory.*`, storage) act on any self-operated route whose
//! `inventory.enabled` is 1, and a route's layer only sets its default; they are declared
//! [`Gated`] by that value instead (and the cash-on-delivery refusal rate by
//! `returns.cod_share`). The customs entry costs of a batch are gated by it too, and act
//! only on the routes that import stock in bulk (a parcel route's stock waits at the
//! origin: each order enters as a parcel). The inbound freight
//! (`logistics.freight_per_kg`) also prices the creator samples sent from stock on every
//! route.

use super::{Freight, Model, Route, Setting, P};

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

const SELF_OPERATED: [ModelOnly; 48] = only!(SelfOperated:
    ReferencePrice => PLATFORM_PRICE,
    CommissionRate => PLATFORM_SELLS,
    PaymentRate => PLATFORM_SELLS,
    FeePerOrder => PLATFORM_SELLS,
    GrowthFeeRate => PLATFORM_SELLS,
    GrowthFeeCap => PLATFORM_SELLS,
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

const FULLY_MANAGED: [ModelOnly; 8] = only!(FullyManaged:
    SupplyMarkup => SUPPLY_PRICE,
    SupplyCutEveryDays => SUPPLY_PRICE,
    SupplyCut => SUPPLY_PRICE,
    TariffPassback => "a self-operated shop imports its goods (or sends them as parcels) and pays the duty itself; the platform passes a duty back only through a fully managed supply price",
    ManagedOrdersPerDay => PLATFORM_DEMAND,
    ManagedListings => PLATFORM_DEMAND,
    ReturnLiability => "a self-operated shop refunds the whole price of a return; the share of the supply price charged back is a fully managed supplier's",
    DelistedRecovery => "a self-operated shop sells at its own price and is never delisted; only a fully managed supplier's product leaves the catalogue when it declines a supply-price cut",
);

/// What a key of a self-operated shop needs of its variant's setting, besides the model,
/// to act.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    /// One of these (self-operated) routes.
    Routes(&'static [Route]),
    /// This freight mode.
    Freight(Freight),
}

/// A self-operated shop's parameter that acts on some of its routes or freight modes only.
#[derive(Debug)]
pub struct SettingOnly {
    /// The parameter (also declared self-operated: on a fully managed variant the model's
    /// reason is given).
    pub param: P,
    /// The routes or freight mode it acts on.
    pub acts_on: Needs,
    /// Why it cannot act on the others, in a seller's words; it follows "has no effect on
    /// route `…`:" (or "freight `…`:").
    pub why: &'static str,
}

/// The routes whose parcels go through customs one by one (duty basis `parcel`).
const PARCEL_ROUTES: &[Route] = &[Route::DirectMail, Route::PlatformShipping];
/// The routes whose orders the merchant dispatches ([`Route::dispatcher`]).
const MERCHANT_ROUTES: &[Route] = &[
    Route::DirectMail,
    Route::Overseas3pl,
    Route::PlatformShipping,
];

/// The routes that import a self-operated shop's stock in bulk ([`Route::imports_stock`]):
/// each batch is one customs entry.
const BULK_ROUTES: &[Route] = &[Route::Overseas3pl, Route::Fbt];
/// Why a batch's customs entry costs do nothing on a route that ships parcels.
const NO_BULK_ENTRY: &str = "the route imports no stock in bulk: any stock it holds waits at the origin, and each order enters the market as a parcel (`tax.entry_fee_per_parcel`), so no batch goes through customs";

/// One declaration per route or freight condition, in catalog order; a key with two
/// (the harbour fee: a bulk route and sea freight) is idle by the first it fails.
const SETTING_ONLY: [SettingOnly; 9] = [
    SettingOnly {
        param: P::EntryFeePerParcel,
        acts_on: Needs::Routes(PARCEL_ROUTES),
        why: "the route imports your stock in bulk, which pays its duty and customs entry costs once per batch (`tax.broker_fee_per_entry`, the processing and harbour fees); no parcel of yours goes through customs on its own",
    },
    SettingOnly {
        param: P::BrokerFeePerEntry,
        acts_on: Needs::Routes(BULK_ROUTES),
        why: NO_BULK_ENTRY,
    },
    SettingOnly {
        param: P::ProcessingFeeRate,
        acts_on: Needs::Routes(BULK_ROUTES),
        why: NO_BULK_ENTRY,
    },
    SettingOnly {
        param: P::ProcessingFeeMin,
        acts_on: Needs::Routes(BULK_ROUTES),
        why: NO_BULK_ENTRY,
    },
    SettingOnly {
        param: P::ProcessingFeeMax,
        acts_on: Needs::Routes(BULK_ROUTES),
        why: NO_BULK_ENTRY,
    },
    SettingOnly {
        param: P::HarborFeeRate,
        acts_on: Needs::Routes(BULK_ROUTES),
        why: NO_BULK_ENTRY,
    },
    SettingOnly {
        param: P::HarborFeeRate,
        acts_on: Needs::Freight(Freight::Sea),
        why: "the harbour maintenance fee is charged on goods that arrive by ship; stock that comes by air or express pays none",
    },
    SettingOnly {
        param: P::CustomsBondPerYear,
        acts_on: Needs::Routes(BULK_ROUTES),
        why: "the route imports no stock in bulk: each order enters the market as a parcel, and the bond is an importer's of bulk stock",
    },
    SettingOnly {
        param: P::LateDispatchRate,
        acts_on: Needs::Routes(MERCHANT_ROUTES),
        why: "the platform dispatches the orders from its warehouse (Fulfilled by TikTok): the late-dispatch rules are about merchants who dispatch their own",
    },
];

/// Every self-operated parameter that acts on some routes or freight modes only, in
/// catalog order.
pub fn setting_only() -> impl Iterator<Item = &'static SettingOnly> {
    SETTING_ONLY.iter()
}

/// A parameter that acts only while another parameter's value lets it: what a seller
/// sets about cash-on-delivery refusals does nothing where no order is paid on delivery,
/// a stock policy nothing where the variant holds no stock. The gate is judged on the
/// largest value the variant's final distribution of it can take: an uncertain gate that
/// can open opens in some trials.
#[derive(Debug)]
pub struct Gated {
    /// The parameter.
    pub param: P,
    /// The parameter whose value decides.
    pub gate: P,
    /// The least value of the gate at which `param` acts: below it, it cannot (the
    /// engine's own test: stock is held from `inventory.enabled` 0.5, refusals happen
    /// from any share above 0).
    pub open_from: f64,
    /// Why, in a seller's words; it follows "has no effect on variant `x`:".
    pub why: &'static str,
    /// What to set to make it act, after "set": "`inventory.enabled = 1`".
    pub opens_with: &'static str,
}

const NO_COD: &str = "no order is paid cash on delivery there (`returns.cod_share` is 0), so none can be refused at the door";
const NO_REFUSALS: &str = "no cash-on-delivery parcel is refused there (`returns.cod_refusal_rate` is 0), and the share of orders paid on delivery acts only through refusals";
const NO_STOCK: &str = "it holds no stock (`inventory.enabled` is off): each order ships from the origin as it comes, so no stock is ordered, stored or entered through customs in bulk";

macro_rules! gated {
    ($gate:ident >= $open:expr, $why:expr, $opens:expr => $($id:ident),* $(,)?) => {
        [$(Gated {
            param: P::$id,
            gate: P::$gate,
            open_from: $open,
            why: $why,
            opens_with: $opens,
        }),*]
    };
}

/// The refusal probability is `cod_share × cod_refusal_rate` (`sim/trial/regimes.rs`):
/// each does nothing while the other is 0.
const COD_GATED: [Gated; 1] =
    gated!(CodShare >= f64::MIN_POSITIVE, NO_COD, "`returns.cod_share` above 0" => CodRefusalRate);
const REFUSAL_GATED: [Gated; 1] = gated!(CodRefusalRate >= f64::MIN_POSITIVE, NO_REFUSALS, "`returns.cod_refusal_rate` above 0" => CodShare);
const NO_GROWTH_FEE: &str = "no growth fee is charged there (`fees.growth_fee_rate` is 0: only Thailand has one), so there is nothing to cap";
/// The cap bounds the growth fee per item (`money.rs`).
const GROWTH_GATED: [Gated; 1] = gated!(GrowthFeeRate >= f64::MIN_POSITIVE, NO_GROWTH_FEE, "`fees.growth_fee_rate` above 0" => GrowthFeeCap);
/// Read by the engine through the stock (`sim/trial/stock.rs`: the policy, the lead time)
/// and the batches it brings in (`money.rs`: storage on the units held, by count or by
/// volume, the customs entry of each batch, the write-down of a delisted product's stock).
/// Left out: the inbound freight and placement
/// (they also price the creator samples) and the customs bond (a yearly cost of an
/// importer, held or not).
const STOCK_GATED: [Gated; 14] = gated!(
    InventoryEnabled >= 0.5, NO_STOCK, "`inventory.enabled = 1`" =>
    InitialStock, ReorderPoint, OrderUpTo, LeadTimeDays, LeadTimeSigma,
    StorageCostPerUnitDay, StoragePerCuftDay, UnitVolumeCuft, BrokerFeePerEntry,
    ProcessingFeeRate, ProcessingFeeMin, ProcessingFeeMax, HarborFeeRate, DelistedRecovery,
);

/// Every parameter that acts only while another's value lets it.
pub fn gated() -> impl Iterator<Item = &'static Gated> {
    COD_GATED
        .iter()
        .chain(REFUSAL_GATED.iter())
        .chain(GROWTH_GATED.iter())
        .chain(STOCK_GATED.iter())
}

/// Whether a gate whose largest value is `most` (`None`: not known) keeps `gated` from
/// acting in every trial.
pub fn is_closed(gated: &Gated, most: Option<f64>) -> bool {
    most.is_some_and(|v| v < gated.open_from)
}

/// Why `param` cannot act on a variant whose gates can take at most the values
/// `gate_most` gives (`None`: not known), if it cannot: the declaration.
pub fn closed_gate(param: P, gate_most: impl Fn(P) -> Option<f64>) -> Option<&'static Gated> {
    gated().find(|g| g.param == param && is_closed(g, gate_most(g.gate)))
}

/// Whether `param` lacks a platform rule it needs on `as_of`: the late-dispatch rate counts
/// and costs only where the market has a late-dispatch rule in force
/// (`data/penalties.toml`: the US).
pub fn lacks_its_rule(param: P, setting: &Setting, as_of: super::rules::Date) -> bool {
    param == P::LateDispatchRate && super::penalties::late_dispatch(setting, as_of).is_none()
}

/// Why a late-dispatch rate does nothing where no late-dispatch rule is in force
/// ([`lacks_its_rule`]); it follows "has no effect on …:".
pub const NO_LATE_DISPATCH_RULE: &str = "no late-dispatch rule of the platform is in force in its market on the study's date (key `as_of`; data/penalties.toml), so late dispatches are neither counted nor charged";

/// Why a key cannot act on a variant, whatever the reason: its setting (model, route,
/// freight), a gate closed at the variant's value, or a platform rule missing on the
/// study's date.
#[derive(Clone, Copy, Debug)]
pub enum IdleReason {
    /// Its model, route or freight mode ([`cannot_act_on`]).
    Setting(Idle),
    /// A gate closed at every value the variant's distribution of it can take.
    Gate(&'static Gated),
    /// No platform rule it needs is in force ([`lacks_its_rule`]).
    NoRule,
}

impl IdleReason {
    /// Why, in a seller's words; it follows "has no effect on …:".
    pub fn why(self) -> &'static str {
        match self {
            IdleReason::Setting(idle) => idle.why,
            IdleReason::Gate(g) => g.why,
            IdleReason::NoRule => NO_LATE_DISPATCH_RULE,
        }
    }
}

/// Why `param` cannot act on a variant of `setting` on `as_of`, if it cannot: its model or
/// route first, then a gate closed at the largest value `gate_most` gives it (`None`: not
/// known, or moved by the command itself, so not judged), then a missing platform rule.
/// The one reading of "idle" the scenario's warnings, the commands' and `params
/// --explain` share.
pub fn idle_reason(
    param: P,
    setting: &Setting,
    gate_most: impl Fn(P) -> Option<f64>,
    as_of: super::rules::Date,
) -> Option<IdleReason> {
    if let Some(idle) = cannot_act_on(param, setting) {
        return Some(IdleReason::Setting(idle));
    }
    if let Some(g) = closed_gate(param, gate_most) {
        return Some(IdleReason::Gate(g));
    }
    lacks_its_rule(param, setting, as_of).then_some(IdleReason::NoRule)
}

/// What keeps a key from acting on a variant: its model, its route or its freight mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocker {
    /// Its operating model.
    Model(Model),
    /// Its route.
    Route(Route),
    /// Its freight mode.
    Freight(Freight),
}

impl Blocker {
    /// "a fully managed variant", "route `fbt`", "freight `air`": follows "has no effect on".
    pub fn words(self) -> String {
        match self {
            Blocker::Model(m) => format!("a {} variant", words(m)),
            Blocker::Route(r) => format!("route `{r}`"),
            Blocker::Freight(f) => format!("freight `{f}`"),
        }
    }
}

/// Why a key cannot act on a variant: what keeps it from acting, and the reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Idle {
    /// What keeps it from acting.
    pub blocker: Blocker,
    /// Why, in a seller's words.
    pub why: &'static str,
}

/// Why `param` cannot act on a variant of `setting`, if it cannot: its model first (the
/// route-level keys are all a self-operated shop's), then its route or freight mode.
pub fn cannot_act_on(param: P, setting: &Setting) -> Option<Idle> {
    if let Some(why) = cannot_act(param, setting.model) {
        return Some(Idle {
            blocker: Blocker::Model(setting.model),
            why,
        });
    }
    SETTING_ONLY
        .iter()
        .filter(|s| s.param == param)
        .find_map(|s| {
            let blocker = match s.acts_on {
                Needs::Routes(routes) if !routes.contains(&setting.route) => {
                    Blocker::Route(setting.route)
                }
                Needs::Freight(f) if f != setting.freight => Blocker::Freight(setting.freight),
                _ => return None,
            };
            Some(Idle {
                blocker,
                why: s.why,
            })
        })
}

/// Where `param` acts, to follow "set it on", "add" or "name": "a self-operated variant",
/// "a variant of route `direct_mail` or `platform_shipping`", "a self-operated variant
/// with freight `sea`", "a variant of route `overseas_3pl` or `fbt` with freight `sea`".
/// Nothing for a key that acts on every variant.
pub fn acts_on_words(param: P) -> Option<String> {
    let model = all().find(|m| m.param == param)?.acts_on;
    let needs = || SETTING_ONLY.iter().filter(|s| s.param == param);
    let routes = needs().find_map(|s| match s.acts_on {
        Needs::Routes(routes) => Some(routes),
        Needs::Freight(_) => None,
    });
    let freight = needs().find_map(|s| match s.acts_on {
        Needs::Freight(f) => Some(f),
        Needs::Routes(_) => None,
    });
    let with_freight = freight.map_or(String::new(), |f| format!(" with freight `{f}`"));
    Some(match routes {
        Some(routes) => format!(
            "a variant of route {}{with_freight}",
            one_of(routes.iter().map(|r| format!("`{r}`")))
        ),
        None => format!("a {} variant{with_freight}", words(model)),
    })
}

/// "`a`", "`a` or `b`", "`a`, `b` or `c`".
pub fn one_of(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

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

/// Variants with what keeps a key from acting on each, grouped by reason in the order
/// first met: "`a`, `b`: <why>; `c`: <why>".
pub fn named_reasons<'a>(reached: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for (name, why) in reached {
        let name = format!("`{}`", crate::error::printable(name));
        match groups.iter_mut().find(|(seen, _)| *seen == why) {
            Some((_, names)) => names.push(name),
            None => groups.push((why, vec![name])),
        }
    }
    groups
        .iter()
        .map(|(why, names)| format!("{}: {why}", names.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::params::{Market, SPECS};

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

    /// A beauty product from China, its team in China, with these choices.
    pub(crate) fn setting(market: Market, model: Model, route: Route, freight: Freight) -> Setting {
        use crate::params::{Category, Origin, Team};
        Setting {
            market,
            category: Category::Beauty,
            model,
            route,
            freight,
            team: Team::China,
            origin: Origin::China,
            tariff_line: Category::Beauty.default_tariff_line(),
        }
    }

    /// `logistics.late_dispatch_rate` acts only through a late-dispatch rule of
    /// `data/penalties.toml`: none may apply to a fully managed variant, or to a route the
    /// platform dispatches, in any market on any date.
    #[test]
    fn a_gate_is_closed_only_while_it_cannot_reach_its_opening_value() {
        // Stock is held from `inventory.enabled` 0.5, as the engine reads it.
        for (most, closed) in [(Some(0.0), true), (Some(0.45), true), (Some(0.5), false)] {
            assert_eq!(
                closed_gate(P::InitialStock, |_| most).is_some(),
                closed,
                "{most:?}"
            );
        }
        // A gate whose largest value is not known never closes.
        assert!(closed_gate(P::InitialStock, |_| None).is_none());
        // Any refusal rate above 0 opens the COD share; the cap needs a growth fee.
        assert!(closed_gate(P::CodShare, |_| Some(0.0)).is_some());
        assert!(closed_gate(P::CodShare, |_| Some(1e-9)).is_none());
        assert_eq!(
            closed_gate(P::GrowthFeeCap, |_| Some(0.0)).map(|g| g.gate),
            Some(P::GrowthFeeRate)
        );
        // A key no gate declares.
        assert!(closed_gate(P::UnitCost, |_| Some(0.0)).is_none());
    }

    #[test]
    fn no_late_dispatch_rule_applies_where_the_platform_dispatches() {
        use crate::params::{penalties, Dispatcher};
        for &market in Market::ALL {
            for &route in Route::ALL {
                let model = if route == Route::Managed {
                    Model::FullyManaged
                } else {
                    Model::SelfOperated
                };
                let setting = setting(market, model, route, Freight::Sea);
                let platform = route.dispatcher() == Dispatcher::Platform;
                assert_eq!(
                    !platform && model == Model::SelfOperated,
                    MERCHANT_ROUTES.contains(&route)
                );
                for date in ["2024-01-01", "2026-01-26", "2026-11-01", "2030-01-01"] {
                    let date = date.parse().unwrap();
                    if platform {
                        assert!(
                            penalties::late_dispatch(&setting, date).is_none(),
                            "{market} {route}"
                        );
                    }
                    if model == Model::FullyManaged {
                        assert!(
                            penalties::probation_caps(&setting, date).is_none(),
                            "{market}"
                        );
                    }
                }
            }
        }
    }

    /// The route-level keys are a self-operated shop's (so a fully managed variant gets the
    /// model's reason), listed once in catalog order; the routes they name are the
    /// self-operated routes of the engine's conditions.
    #[test]
    fn the_route_level_keys_are_self_operated_and_follow_the_engine_conditions() {
        use crate::params::DutyBasis;
        assert!(SETTING_ONLY.windows(2).all(|w| w[0].param <= w[1].param));
        for s in setting_only() {
            assert!(
                SELF_OPERATED.iter().any(|m| m.param == s.param),
                "{}",
                s.param.key()
            );
            if let Needs::Routes(routes) = s.acts_on {
                assert!(routes.iter().all(|r| r.fits(Model::SelfOperated)));
            }
        }
        for &route in Route::ALL {
            assert_eq!(
                PARCEL_ROUTES.contains(&route),
                route.duty_basis() == DutyBasis::ParcelPricePaid
            );
            assert_eq!(
                BULK_ROUTES.contains(&route),
                route.imports_stock() && route.fits(Model::SelfOperated)
            );
        }
    }

    #[test]
    fn a_key_is_idle_by_its_model_first_then_by_its_route_or_freight() {
        let at = |model, route, freight| setting(Market::Us, model, route, freight);
        let so = Model::SelfOperated;
        let idle = |p, s: Setting| cannot_act_on(p, &s).map(|i| i.blocker);
        assert_eq!(
            idle(P::EntryFeePerParcel, at(so, Route::Fbt, Freight::Sea)),
            Some(Blocker::Route(Route::Fbt))
        );
        assert_eq!(
            idle(
                P::EntryFeePerParcel,
                at(so, Route::DirectMail, Freight::Sea)
            ),
            None
        );
        assert_eq!(
            idle(
                P::EntryFeePerParcel,
                at(Model::FullyManaged, Route::Managed, Freight::Sea)
            ),
            Some(Blocker::Model(Model::FullyManaged))
        );
        assert_eq!(
            idle(P::HarborFeeRate, at(so, Route::Overseas3pl, Freight::Air)),
            Some(Blocker::Freight(Freight::Air))
        );
        assert_eq!(
            idle(P::HarborFeeRate, at(so, Route::Overseas3pl, Freight::Sea)),
            None
        );
        assert_eq!(
            idle(P::LateDispatchRate, at(so, Route::Fbt, Freight::Sea)),
            Some(Blocker::Route(Route::Fbt))
        );
        assert_eq!(idle(P::UnitCost, at(so, Route::Fbt, Freight::Air)), None);
        assert_eq!(
            acts_on_words(P::EntryFeePerParcel).unwrap(),
            "a variant of route `direct_mail` or `platform_shipping`"
        );
        assert_eq!(
            acts_on_words(P::LateDispatchRate).unwrap(),
            "a variant of route `direct_mail`, `overseas_3pl` or `platform_shipping`"
        );
        assert_eq!(
            acts_on_words(P::HarborFeeRate).unwrap(),
            "a variant of route `overseas_3pl` or `fbt` with freight `sea`"
        );
        // Two conditions: idle by the first it fails (a parcel route whatever its
        // freight; a bulk route by air).
        assert_eq!(
            idle(P::HarborFeeRate, at(so, Route::DirectMail, Freight::Air)),
            Some(Blocker::Route(Route::DirectMail))
        );
        assert_eq!(
            idle(P::HarborFeeRate, at(so, Route::Fbt, Freight::Air)),
            Some(Blocker::Freight(Freight::Air))
        );
        assert_eq!(
            idle(
                P::BrokerFeePerEntry,
                at(so, Route::PlatformShipping, Freight::Sea)
            ),
            Some(Blocker::Route(Route::PlatformShipping))
        );
        assert_eq!(
            acts_on_words(P::SupplyMarkup).unwrap(),
            "a fully managed variant"
        );
        assert_eq!(acts_on_words(P::UnitCost), None);
    }
}
