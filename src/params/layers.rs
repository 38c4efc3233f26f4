//! Default layers: market → category → operating model → loop type. Each layer replaces
//! some catalog defaults with figures for its setting, naming the source of each.
//! SEA figures are converted to USD at approximate 2024 rates (an assumption).

use super::catalog::P;
use super::choices::{Category, LoopType, Market, Model};

/// One override in a layer: parameter, value as written in a scenario file, source.
pub type Override = (P, &'static str, &'static str);

/// The overrides of a market.
pub fn market(m: Market) -> &'static [Override] {
    use P::*;
    match m {
        Market::Us => &[],
        Market::Uk => &[(
            CommissionRate,
            "0.09",
            "DOMAIN Platform fees: UK commission 9% incl. VAT since 2024-09 (M)",
        )],
        Market::Sa => &[(
            CommissionRate,
            "0.05..0.12",
            "DOMAIN Platform fees: SA no fee schedule found (L); range an assumption",
        )],
        Market::Sg => &[
            (
                CommissionRate,
                "0.06",
                "DOMAIN Platform fees: SG commission ~6% (M)",
            ),
            (
                PaymentRate,
                "0.0327",
                "DOMAIN Platform fees: SG transaction fee 3.27% (M)",
            ),
        ],
        Market::Th => &[
            (
                CommissionRate,
                "0.105..0.14",
                "DOMAIN Platform fees: TH commission 5-7.5% + growth fee 5.35-6.42% (M)",
            ),
            (
                PaymentRate,
                "0.0321",
                "DOMAIN Platform fees: TH transaction fee 3.21% (M)",
            ),
            (
                FeeRefundOnReturn,
                "0.5",
                "DOMAIN Platform fees: TH growth fee not refunded (M); share an assumption",
            ),
        ],
        Market::Vn => &[
            (
                CommissionRate,
                "0.04",
                "DOMAIN Platform fees: VN commission 4% (M)",
            ),
            (
                PaymentRate,
                "0.05",
                "DOMAIN Platform fees: VN transaction fee 5% (M)",
            ),
        ],
        Market::My => &[
            (
                CommissionRate,
                "0.02..0.05",
                "DOMAIN Platform fees: MY ~2%, Mall higher (L)",
            ),
            (
                PaymentRate,
                "0.0216",
                "DOMAIN Platform fees: MY transaction fee 2.16% (L)",
            ),
        ],
        Market::Ph => &[
            (
                CommissionRate,
                "0.07",
                "DOMAIN Platform fees: PH commission ~7% (M)",
            ),
            (
                PaymentRate,
                "0.0224",
                "DOMAIN Platform fees: PH transaction fee 2.24% (M)",
            ),
            (
                FeePerOrder,
                "0.09",
                "DOMAIN Platform fees: PH PHP 5 per order (M), at ~56 PHP/USD",
            ),
        ],
    }
}

/// The overrides of a product category.
pub fn category(c: Category) -> &'static [Override] {
    use P::*;
    const PRICE: &str = "assumption: typical TikTok Shop price point for the category";
    const COST: &str = "assumption: landed goods cost for the category";
    const SUPPLY: &str =
        "DOMAIN Fully managed terms: supply/retail 40-65% (L), times the retail price";
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
            (SupplyPrice, "8.8..14.3", SUPPLY),
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
            (SupplyPrice, "18..29", SUPPLY),
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
            (SupplyPrice, "8..13", SUPPLY),
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
        ],
        Category::Electronics => &[
            (RetailPrice, "35", PRICE),
            (ReferencePrice, "35", PRICE),
            (SupplyPrice, "14..22.75", SUPPLY),
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
            (SupplyPrice, "10..16.25", SUPPLY),
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
            (SupplyPrice, "12..19.5", SUPPLY),
            (UnitCost, "10", COST),
            (ReturnBaseRate, "0.03..0.10", RET_OTHER),
            (AffiliateCommission, "0.10..0.18", AFF_OTHER),
        ],
        Category::Food => &[
            (RetailPrice, "15", PRICE),
            (ReferencePrice, "15", PRICE),
            (SupplyPrice, "6..9.75", SUPPLY),
            (UnitCost, "5", COST),
            (ReturnBaseRate, "0.02..0.06", RET_OTHER),
            (AffiliateCommission, "0.10..0.18", AFF_OTHER),
        ],
        Category::Jewelry => &[
            (RetailPrice, "25", PRICE),
            (ReferencePrice, "25", PRICE),
            (SupplyPrice, "10..16.25", SUPPLY),
            (UnitCost, "6", COST),
            (ReturnBaseRate, "0.08..0.20", RET_OTHER),
            (AffiliateCommission, "0.12..0.20", AFF_OTHER),
        ],
        Category::PersonalCare => &[
            (RetailPrice, "15", PRICE),
            (ReferencePrice, "15", PRICE),
            (SupplyPrice, "6..9.75", SUPPLY),
            (UnitCost, "4", COST),
            (ReturnBaseRate, "0.03..0.10", RET_OTHER),
            (AffiliateCommission, "0.15..0.20", AFF_BEAUTY),
        ],
        Category::Fmcg => &[
            (RetailPrice, "10", PRICE),
            (ReferencePrice, "10", PRICE),
            (SupplyPrice, "4..6.5", SUPPLY),
            (UnitCost, "3.5", COST),
            (ReturnBaseRate, "0.02..0.06", RET_OTHER),
            (AffiliateCommission, "0.10..0.15", AFF_OTHER),
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
            (ReturnShippingCost, "2..5", "DOMAIN Fully managed terms: return service fee 100% merchant (M); level an assumption"),
            (ComplaintCost, "1", "assumption: complaints passed on by the platform"),
            (SettlementDays, "15..60", "DOMAIN 2026 update: fully managed settlement 15-60+ days after sale (L-M; supplier reports), counted here from delivery"),
        ],
    }
}

/// The overrides of a loop type.
pub fn loop_type(l: LoopType) -> &'static [Override] {
    use P::*;
    match l {
        LoopType::SemiClosed => &[
            (TransitMedianDays, "5..9", "DOMAIN Delivery: China-origin dedicated lines 7-15 d, SEA 5-10 (L-M)"),
            (TransitSigma, "0.5", "assumption: uncertified carriers, wide spread"),
            (PromiseDays, "12", "assumption: cross-border listings carry a longer promise than the 6 business days standard"),
            (LostRate, "0.003..0.02", "DOMAIN Delivery: up to 0.7% potentially lost (M); certified 98.2% vs ~81% success (L)"),
            (ReturnLoopFactor, "1.1..1.3", "assumption: no tracking and a wider promise gap raise returns (DOMAIN Delay -> behaviour, M-H)"),
            (UntrackedComplaintRate, "0.01..0.04", "assumption: 'where is my parcel' contacts without tracking"),
            (ErpCostPerDay, "5", "assumption: independent store / ERP subscription"),
        ],
        LoopType::FullClosed => &[
            (HandlingDays, "1", "DOMAIN Fulfilment cost: Fulfilled by TikTok ships from a local warehouse (H)"),
            (TransitMedianDays, "2..4", "DOMAIN Delivery: 3-day express, 6 business days standard (H)"),
            (TransitSigma, "0.3", "assumption"),
            (LostRate, "0.0003..0.002", "DOMAIN Delivery: 0.06% confirmed lost (M)"),
            (ProgrammeFeePerDay, "20", "assumption: platform logistics programme and onboarding, spread per day"),
            (InventoryEnabled, "1", "DOMAIN Fulfilment cost: FBT holds stock in the platform's warehouse (H)"),
        ],
    }
}

/// The full closed loop's volume tiers: (minimum trailing-30-day orders, fee per order).
pub fn full_closed_tiers() -> &'static [(u64, &'static str)] {
    &[(0, "4.80"), (600, "4.20"), (1500, "3.58"), (4500, "2.86")]
}

/// Where the default fee tiers come from.
pub const TIERS_SOURCE: &str = "DOMAIN Fulfilment cost: FBT from $3.58 single unit, $2.86 multi-unit (H); lower tiers and thresholds an assumption";

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
        }
        for m in Model::ALL {
            all.extend(model(*m));
        }
        for l in LoopType::ALL {
            all.extend(loop_type(*l));
        }
        for (p, text, source) in all {
            let d = Dist::parse(text).unwrap_or_else(|e| panic!("{}: {e}", p.key()));
            let spec = p.spec();
            assert!(d.mean() >= spec.min && d.mean() <= spec.max, "{}", p.key());
            assert!(!source.is_empty());
        }
        for (_, fee) in full_closed_tiers() {
            assert!(Dist::parse(fee).is_ok());
        }
    }
}
