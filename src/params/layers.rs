//! Default layers: market → team location → category → operating model → delivery route
//! (with the market's figures for that route) → freight mode. Each layer replaces some
//! catalog defaults with figures for its setting, naming the source of each: the undated
//! modelling figures (prices, costs, returns, transit). What the platform or the state
//! charges changes by date, so it is dated data, not a layer here: fees, VAT/GST and the
//! FBT rate card (`data/fees.toml`, [`super::fees`], applied with the layer their row
//! names) and import duties (`data/duties.toml`, [`super::duties`]).
//! SEA figures are converted to USD at approximate 2024 rates (an assumption).

use super::catalog::P;
use super::choices::{Category, Freight, Market, Model, Route, Team};

/// One override in a layer: parameter, value as written in a scenario file, source.
pub type Override = (P, &'static str, &'static str);

/// The overrides of a market.
pub fn market(m: Market) -> &'static [Override] {
    use P::*;
    const LIVE_MY: &str = "cited: research December 2026: live hosts in Malaysia are paid RM15-50 an hour as beginners, RM100 as pros (Kosmo! Xpose 2026-01-23, quoting a social-media user; Willow's Choice host terms, a 2-hour minimum; L): RM30-300 for 2-3 hours at MYR 4.5 per USD, $7-67; crew 0-1 times the host's fee an assumption";
    const LIVE_AS_MY: &str = "assumption: as Malaysia (no source for this market's live hosts; Malaysia's: RM15-100 an hour, Kosmo! Xpose 2026-01-23, L; crew 0-1 times the host's fee)";
    const LIVE_AS_US: &str = "assumption: as the US (no source for UK live hosts; the US: $100-250 per live, DOMAIN 2026 update, L)";
    const COD_REFUSALS: &str = "DOMAIN December 2026 review (correction: cash on delivery): refusals 18-25% of COD orders, not of all orders (10100.com; chinatinyfinds; L-M)";
    match m {
        // The team's cost a day is the team location's layer ([`team`]).
        Market::Us => &[(
            LiveCost,
            "100..250",
            "DOMAIN 2026 update: staff, lives: $100-250 per US live (L)",
        )],
        Market::Sa => &[],
        Market::Uk => &[(LiveCost, "100..250", LIVE_AS_US)],
        Market::Sg => &[(
            LiveCost,
            "730..1750",
            "cited: research December 2026: an experienced full-time host in Singapore is paid SG$500-800 an hour, plus 15-30% commission on sales (not modelled), SG$1,000-3,000 for a 2-hour session with it (Business Insider as-told-to essay, earnings checked by BI, 2023-12; L-M): the fee for 2-3 hours at USD 0.73 per SGD, host only (no crew); the top of the market, no source for a junior host",
        )],
        Market::My => &[(LiveCost, "7..130", LIVE_MY)],
        Market::Th => &[
            (
                CodShare,
                "0.7..0.8",
                "DOMAIN December 2026 review (correction: cash on delivery): COD is about 70-80% of orders in TH (10100.com; chinatinyfinds; L-M)",
            ),
            (CodRefusalRate, "0.18..0.25", COD_REFUSALS),
            (LiveCost, "7..130", LIVE_AS_MY),
        ],
        Market::Vn => &[
            (
                CodShare,
                "0.7..0.8",
                "assumption: as Thailand (DOMAIN gives the TH figure only: COD about 70-80% of orders, December 2026 review, L-M); from 2025-09-08 cross-border orders have no COD (data/market_rules.toml)",
            ),
            (CodRefusalRate, "0.18..0.25", COD_REFUSALS),
            (
                LiveCost,
                "5..35",
                "cited: research December 2026: part-time live hosts in Vietnam are paid VND 70,000-150,000 an hour, VND 250,000-300,000 for a 2-hour session (vietbao.vn 2024-09, from job posts; L-M): VND 140,000-450,000 for 2-3 hours at VND 25,500 per USD, $5.5-18; crew 0-1 times the host's fee an assumption",
            ),
        ],
        Market::Ph => &[
            (
                CodShare,
                "0.7..0.8",
                "assumption: as Thailand (DOMAIN gives the TH figure only: COD about 70-80% of orders, December 2026 review, L-M)",
            ),
            (CodRefusalRate, "0.18..0.25", COD_REFUSALS),
            (LiveCost, "7..130", LIVE_AS_MY),
        ],
    }
}

/// The overrides of a team location in a market: the team's cost a day
/// (`staff.cost_per_day`). Applied after the market's layer and before the model's, so
/// fully managed keeps its own smaller team.
pub fn team(t: Team, m: Market) -> &'static [Override] {
    use P::*;
    match (t, m) {
        // Salaries in China do not depend on the market sold to.
        (Team::China, _) => &[(
            StaffCostPerDay,
            "40..150",
            "cited: research December 2026: cross-border operators in China earn CNY 6-12k a month (lianlianpay article_train 16-25735, M; xhjyxxw 2025-07, L) plus about 25-35% employer social insurance and housing fund (playroll China 2026, M; asiabriefing, M); 1-2 people at CNY 7.2 per USD over 30 days: about $40-150 a day",
        )],
        (Team::Market, Market::Us) => &[(
            StaffCostPerDay,
            "120..250",
            "DOMAIN 2026 update: staff, lives: $120-250 a day for a small US-facing team (L); fully managed keeps its smaller team (model layer)",
        )],
        (Team::Market, _) => &[(
            StaffCostPerDay,
            "60..200",
            "assumption: no source for a team in this market; a small local team",
        )],
    }
}

/// The overrides of a product category.
pub fn category(c: Category) -> &'static [Override] {
    use P::*;
    const PRICE: &str = "assumption: typical TikTok Shop price point for the category";
    const COST: &str = "assumption: landed goods cost for the category";
    const AFF_BEAUTY: &str = "DOMAIN Marketing: creator commission, beauty 15-20% (M-L)";
    const AFF_FASHION: &str = "DOMAIN Marketing: creator commission, fashion 12-18% (M-L)";
    const AFF_HOME: &str = "DOMAIN Marketing: creator commission, home 12-15% (M-L)";
    const AFF_ELEC: &str = "DOMAIN Marketing: creator commission, electronics 8-12% (M-L)";
    const AFF_OTHER: &str = "assumption: between the categories DOMAIN lists (8-20%)";
    const RET_OTHER: &str = "assumption: DOMAIN lists no figure for this category";
    match c {
        Category::Apparel => &[
            (RetailPrice, "22", PRICE),
            (ReferencePrice, "22", PRICE),
            (UnitCost, "7", COST),
            (
                ReturnBaseRate,
                "0.20..0.40",
                "DOMAIN Returns: apparel 20-40% (L-M)",
            ),
            (AffiliateCommission, "0.12..0.18", AFF_FASHION),
        ],
        Category::Shoes => &[
            (RetailPrice, "45", PRICE),
            (ReferencePrice, "45", PRICE),
            (UnitCost, "16", COST),
            (
                ReturnBaseRate,
                "0.25..0.35",
                "DOMAIN Returns: shoes 25-35% (L-M)",
            ),
            (AffiliateCommission, "0.12..0.18", AFF_FASHION),
        ],
        Category::Beauty => &[
            (RetailPrice, "20", PRICE),
            (ReferencePrice, "20", PRICE),
            (UnitCost, "5", COST),
            (
                ReturnBaseRate,
                "0.05..0.12",
                "DOMAIN Returns: beauty 5-12% (L-M)",
            ),
            (
                ResellableFraction,
                "0.1..0.3",
                "DOMAIN 2026 update: resellable returns (beauty) 10-30%, hygiene rules (L)",
            ),
            (AffiliateCommission, "0.15..0.20", AFF_BEAUTY),
            (
                AffiliateShare,
                "0.3..0.6",
                "DOMAIN 2026 update: affiliate share of GMV 30-60% for self-operated beauty (US; L), read here as a share of the orders content brings (not ads, lives or repeat buyers): an assumption",
            ),
        ],
        Category::Electronics => &[
            (RetailPrice, "35", PRICE),
            (ReferencePrice, "35", PRICE),
            (UnitCost, "15", COST),
            (
                ReturnBaseRate,
                "0.08..0.15",
                "DOMAIN Returns: electronics 8-15% (L-M)",
            ),
            (AffiliateCommission, "0.08..0.12", AFF_ELEC),
        ],
        Category::Home => &[
            (RetailPrice, "25", PRICE),
            (ReferencePrice, "25", PRICE),
            (UnitCost, "9", COST),
            (
                ReturnBaseRate,
                "0.05..0.15",
                "DOMAIN Returns: home 5-15% (L-M)",
            ),
            (AffiliateCommission, "0.12..0.15", AFF_HOME),
        ],
        Category::Collectibles => &[
            (RetailPrice, "30", PRICE),
            (ReferencePrice, "30", PRICE),
            (UnitCost, "10", COST),
            (ReturnBaseRate, "0.03..0.10", RET_OTHER),
            (AffiliateCommission, "0.10..0.18", AFF_OTHER),
        ],
        Category::Food => &[
            (RetailPrice, "15", PRICE),
            (ReferencePrice, "15", PRICE),
            (UnitCost, "5", COST),
            (ReturnBaseRate, "0.02..0.06", RET_OTHER),
            (AffiliateCommission, "0.10..0.18", AFF_OTHER),
        ],
        Category::Jewelry => &[
            (RetailPrice, "25", PRICE),
            (ReferencePrice, "25", PRICE),
            (UnitCost, "6", COST),
            (ReturnBaseRate, "0.08..0.20", RET_OTHER),
            (AffiliateCommission, "0.12..0.20", AFF_OTHER),
        ],
        Category::PersonalCare => &[
            (RetailPrice, "15", PRICE),
            (ReferencePrice, "15", PRICE),
            (UnitCost, "4", COST),
            (ReturnBaseRate, "0.03..0.10", RET_OTHER),
            (AffiliateCommission, "0.15..0.20", AFF_BEAUTY),
        ],
        Category::Fmcg => &[
            (RetailPrice, "10", PRICE),
            (ReferencePrice, "10", PRICE),
            (UnitCost, "3.5", COST),
            (ReturnBaseRate, "0.02..0.06", RET_OTHER),
            (AffiliateCommission, "0.10..0.15", AFF_OTHER),
        ],
    }
}

/// The packed size of a product category: weight (bulk freight is priced by the kg) and
/// volume (storage is charged by the cubic foot on FBT). Part of the category's layer.
pub fn category_size(c: Category) -> &'static [Override] {
    use P::*;
    const WEIGHT: &str = "assumption: packed shipping weight typical of the category";
    const VOLUME: &str = "assumption: packed volume typical of the category";
    match c {
        Category::Apparel => &[
            (UnitVolumeCuft, "0.05..0.15", VOLUME),
            (UnitWeightKg, "0.2..0.4", WEIGHT),
        ],
        Category::Shoes => &[
            (UnitVolumeCuft, "0.2..0.4", VOLUME),
            (UnitWeightKg, "0.8..1.3", WEIGHT),
        ],
        Category::Beauty => &[
            (UnitVolumeCuft, "0.02..0.05", "DOMAIN December 2026 review, FBT storage: a 0.02-0.05 cubic-foot beauty item (luminushub, L)"),
            (UnitWeightKg, "0.1..0.2", "DOMAIN Fulfilment cost: 0.1-0.2 kg per unit for a beauty item (L)"),
        ],
        Category::Electronics => &[
            (UnitVolumeCuft, "0.02..0.2", VOLUME),
            (UnitWeightKg, "0.2..0.6", WEIGHT),
        ],
        Category::Home => &[
            (UnitVolumeCuft, "0.1..0.5", VOLUME),
            (UnitWeightKg, "0.3..1.0", WEIGHT),
        ],
        Category::Collectibles => &[
            (UnitVolumeCuft, "0.02..0.15", VOLUME),
            (UnitWeightKg, "0.1..0.4", WEIGHT),
        ],
        Category::Food => &[
            (UnitVolumeCuft, "0.02..0.1", VOLUME),
            (UnitWeightKg, "0.2..0.5", WEIGHT),
        ],
        Category::Jewelry => &[
            (UnitVolumeCuft, "0.005..0.02", VOLUME),
            (UnitWeightKg, "0.02..0.1", WEIGHT),
        ],
        Category::PersonalCare => &[
            (UnitVolumeCuft, "0.02..0.08", VOLUME),
            (UnitWeightKg, "0.1..0.3", WEIGHT),
        ],
        Category::Fmcg => &[
            (UnitVolumeCuft, "0.03..0.15", VOLUME),
            (UnitWeightKg, "0.2..0.6", WEIGHT),
        ],
    }
}

/// The overrides of an operating model.
pub fn model(m: Model) -> &'static [Override] {
    use P::*;
    match m {
        Model::SelfOperated => &[],
        Model::FullyManaged => &[
            (StaffCostPerDay, "20", "assumption: a smaller team (supply and stock only)"),
            (ToolsCostPerDay, "2", "assumption"),
            (InventoryEnabled, "1", "MODEL.md: stock sits in the platform's warehouse"),
            (ReturnShippingCost, "0", "DOMAIN December 2026 review (correction): the 2023-11 return service fee concerns stock returned to the merchant, not customer returns; a customer return costs the merchant its liability share of the supply price (returns.liability)"),
            (ComplaintCost, "1", "assumption: complaints passed on by the platform"),
            (SettlementDays, "1..25", "DOMAIN December 2026 review: fully managed settlement, sources conflict: T+1 after delivery (tt123) to 20+ days (chwang) (L)"),
        ],
    }
}

/// The overrides of a delivery route (DOMAIN 2026 update). US figures where a market
/// changes them: see [`market_route`].
pub fn route(r: Route) -> &'static [Override] {
    use P::*;
    const CROSS_BORDER_TRANSIT: &str =
        "DOMAIN Delivery: China-origin dedicated lines 7-15 d, SEA 5-10 (L-M)";
    const CROSS_BORDER_PROMISE: &str =
        "assumption: cross-border listings carry a longer promise than the 6 business days standard";
    const DOMESTIC_TRANSIT: &str = "DOMAIN Delivery: 3-day express, 6 business days standard (H)";
    const DOMESTIC_LOST: &str = "DOMAIN Delivery: 0.06% confirmed lost (M)";
    const THIRD_PARTY_ERP: &str =
        "assumption: independent store / ERP integration with the carrier or warehouse";
    // No measured late-dispatch rate was found, only the platform's targets (US: at most
    // 4%, seller-us kid 3668989549299511, H; caps from 10%, DOMAIN December 2026 review).
    const LATE_FROM_CHINA: &str = "assumption: no measured rate found, only the platform's targets (US: at most 4%, kid 3668989549299511, H; caps from 10%); orders handed over from China mostly near the 4% target, a tail over 10%";
    const LATE_3PL: &str = "assumption: no measured rate found; a market 3PL dispatching under the 4% target (kid 3668989549299511, H), rarely over it";
    match r {
        Route::DirectMail => &[
            (InventoryEnabled, "0", "DOMAIN 2026 update: direct mail ships each order from the origin, no stock"),
            (CostPerOrder, "4..6", "DOMAIN 2026 update: direct mail freight $4-6 per parcel (L-M)"),
            (TransitMedianDays, "5..9", CROSS_BORDER_TRANSIT),
            (TransitSigma, "0.5", "assumption: carriers outside the platform, wide spread"),
            (PromiseDays, "12", CROSS_BORDER_PROMISE),
            (LostRate, "0.003..0.02", "DOMAIN Delivery: up to 0.7% potentially lost (M); certified 98.2% vs ~81% success (L)"),
            (ReturnLoopFactor, "1.1..1.3", "assumption: no tracking and a wider promise gap raise returns (DOMAIN Delay -> behaviour, M-H)"),
            (UntrackedComplaintRate, "0.01..0.04", "assumption: 'where is my parcel' contacts without platform tracking"),
            (RouteFactor, "0.88..0.96", "DOMAIN Delay -> behaviour: +1.5% sales per business day faster (H), 3-5 days slower and untracked"),
            (ErpCostPerDay, "5", THIRD_PARTY_ERP),
            (LateDispatchRate, "pert(0.01, 0.04, 0.12)", LATE_FROM_CHINA),
        ],
        Route::Overseas3pl => &[
            (InventoryEnabled, "1", "DOMAIN 2026 update: stock in a market warehouse run by a third party"),
            (CostPerOrder, "4..6", "DOMAIN 2026 update: overseas 3PL $4-6 pick/pack/ship per order (L)"),
            (TransitMedianDays, "2..4", DOMESTIC_TRANSIT),
            (TransitSigma, "0.3", "assumption: domestic carriers"),
            (LostRate, "0.0003..0.002", DOMESTIC_LOST),
            (ErpCostPerDay, "5", THIRD_PARTY_ERP),
            (LateDispatchRate, "pert(0.005, 0.02, 0.06)", LATE_3PL),
        ],
        Route::PlatformShipping => &[
            (InventoryEnabled, "0", "DOMAIN 2026 update: platform labels from the origin, no stock"),
            (CostPerOrder, "4..6", "DOMAIN 2026 update: direct mail freight $4-6 (L-M); platform labels ride the same whitelisted lines (assumption)"),
            (TransitMedianDays, "5..9", CROSS_BORDER_TRANSIT),
            (TransitSigma, "0.4", "assumption: whitelisted carriers, narrower than direct mail"),
            (PromiseDays, "12", CROSS_BORDER_PROMISE),
            (LostRate, "0.0006..0.007", "DOMAIN Delivery: 0.06% confirmed, up to 0.7% potentially lost (M)"),
            (RouteFactor, "0.91..0.95", "DOMAIN Delay -> behaviour: +1.5% sales per business day faster (H); 4-6 business days slower than a market warehouse, tracked"),
            (LateDispatchRate, "pert(0.01, 0.04, 0.12)", LATE_FROM_CHINA),
        ],
        Route::Fbt => &[
            (InventoryEnabled, "1", "DOMAIN Fulfilment cost: FBT holds stock in the platform's warehouse (H)"),
            (HandlingDays, "1", "DOMAIN Fulfilment cost: Fulfilled by TikTok ships from a local warehouse (H)"),
            (TransitMedianDays, "2..4", DOMESTIC_TRANSIT),
            (TransitSigma, "0.3", "assumption"),
            (LostRate, "0.0003..0.002", DOMESTIC_LOST),
        ],
        Route::Managed => &[
            (InventoryEnabled, "1", "MODEL.md: stock sits in the platform's warehouse"),
            (InboundCostPerUnit, "0.1..0.3", "DOMAIN 2026 update: fully managed inbound to the platform's warehouse in China $0.1-0.3 per unit (L)"),
            (FreightPerKg, "0", "DOMAIN December 2026 review: the platform imports and carries fully managed stock abroad; the merchant pays only the domestic leg (inventory.inbound_cost_per_unit)"),
            (StorageCostPerUnitDay, "0", "DOMAIN December 2026 review: no overseas storage or logistics for a fully managed merchant (tt123, M)"),
            (LeadTimeDays, "3..10", "DOMAIN 2026 update: fully managed inbound lead time 3-10 days (L)"),
            (InitialStock, "600", "assumption: about a lead time and a half plus two weeks of sales at 25 orders a day, for a 3-10 day inbound lead time"),
            (ReorderPoint, "400", "assumption: covers a ~10-day inbound lead time at ~25 orders a day plus safety stock"),
            (OrderUpTo, "900", "assumption: about 20 days of sales above the reorder point"),
            (HandlingDays, "1", "assumption: the platform dispatches from its own warehouse"),
            (TransitMedianDays, "5..9", CROSS_BORDER_TRANSIT),
            (TransitSigma, "0.4", "assumption: the platform's contracted lines"),
            (PromiseDays, "12", CROSS_BORDER_PROMISE),
            (LostRate, "0.0006..0.007", "DOMAIN Delivery: 0.06% confirmed, up to 0.7% potentially lost (M)"),
        ],
    }
}

/// The overrides of a freight mode, on the routes that import stock in bulk
/// ([`Route::imports_stock`]).
pub fn freight(f: Freight) -> &'static [Override] {
    use P::*;
    // One review row gives the three modes' cost and door-to-door time together.
    const SEA: &str = "DOMAIN December 2026 review: bulk sea freight China -> US (LCL/FCL) about $1-2/kg, 25-40 days door to door (M); China -> US figures, used for every market (an assumption elsewhere)";
    const AIR: &str = "DOMAIN December 2026 review: air freight China -> US about $3-8/kg, 7-12 days (M); China -> US figures, used for every market (an assumption elsewhere)";
    const SEA_STOCK: &str = "assumption: (s, S) for about 25 orders a day by sea: s covers a 40-day lead time plus safety stock (a 99% fill rate on the built-in study), S adds about 50 days";
    const EXPRESS: &str = "DOMAIN December 2026 review: express China -> US about $8-15/kg, 5-8 days (M); China -> US figures, used for every market (an assumption elsewhere)";
    match f {
        Freight::Sea => &[
            (FreightPerKg, "1..2", SEA),
            (LeadTimeDays, "25..40", SEA),
            // The catalog's stock policy covers an air lead time; by sea a reorder must
            // cover up to 40 days.
            (InitialStock, "2400", SEA_STOCK),
            (ReorderPoint, "1400", SEA_STOCK),
            (OrderUpTo, "2800", SEA_STOCK),
        ],
        Freight::Air => &[(FreightPerKg, "3..8", AIR), (LeadTimeDays, "7..12", AIR)],
        Freight::Express => &[
            (FreightPerKg, "8..15", EXPRESS),
            (LeadTimeDays, "5..8", EXPRESS),
        ],
    }
}

/// A market's figures for a route, applied after the route's layer.
pub fn market_route(m: Market, r: Route) -> &'static [Override] {
    use P::*;
    let sea = matches!(
        m,
        Market::Sg | Market::Th | Market::Vn | Market::My | Market::Ph
    );
    match r {
        Route::PlatformShipping if sea => &[(
            CostPerOrder,
            "1.5..3",
            "DOMAIN 2026 update: SEA platform shipping from China $1.5-3 a parcel (L-M)",
        )],
        Route::DirectMail if sea => &[(
            CostPerOrder,
            "1.5..3",
            "assumption: third-party lines priced like SEA platform shipping from China, $1.5-3 a parcel (DOMAIN 2026 update, L-M)",
        )],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::dist::Dist;

    #[test]
    fn every_layer_value_parses_and_fits_the_catalog_range() {
        let mut all: Vec<Override> = Vec::new();
        for m in Market::ALL {
            all.extend(market(*m));
        }
        for c in Category::ALL {
            all.extend(category(*c));
            all.extend(category_size(*c));
        }
        for t in Team::ALL {
            for m in Market::ALL {
                all.extend(team(*t, *m));
            }
        }
        for m in Model::ALL {
            all.extend(model(*m));
        }
        for f in Freight::ALL {
            all.extend(freight(*f));
        }
        for r in Route::ALL {
            all.extend(route(*r));
            for m in Market::ALL {
                all.extend(market_route(*m, *r));
            }
        }
        for (p, text, source) in all {
            let d = Dist::parse(text).unwrap_or_else(|e| panic!("{}: {e}", p.key()));
            let spec = p.spec();
            assert!(d.mean() >= spec.min && d.mean() <= spec.max, "{}", p.key());
            assert!(!source.is_empty());
        }
    }
}
