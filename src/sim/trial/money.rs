//! The money of one day (MODEL.md section 6), per operating model: what buyers paid, what
//! the seller keeps, and what each cost is. Accrual: a day's costs are the day's.

use super::delivery::DayDelivery;
use super::stock::Stock;
use crate::params::{DutyBasis, Model, P};
use crate::sim::inputs::TrialInputs;
use crate::sim::spec::VariantSpec;

/// One day's money.
pub(super) struct DayMoney {
    /// Retail value sold (self-operated) or supply-price value (fully managed).
    pub gmv: f64,
    /// GMV less refunds and lost parcels (self-operated) or return liability (managed).
    pub net_revenue: f64,
    pub cogs: f64,
    pub fees: f64,
    /// Fulfilment, packaging, storage and inbound freight.
    pub logistics: f64,
    /// Of which storage.
    pub storage: f64,
    /// Ads, affiliates, live streams and product refreshes.
    pub marketing: f64,
    /// Of which affiliate commission.
    pub affiliates: f64,
    pub fixed: f64,
    pub returns_cost: f64,
    /// Import duty, customs entry fees and VAT/GST.
    pub taxes: f64,
    pub profit: f64,
    /// Goods paid for today: units bought (with stock) or the goods sold (without).
    pub goods_paid: f64,
}

/// A day's storage and inbound costs (kept apart so they add up in a fixed order).
#[derive(Clone, Copy)]
struct StockCosts {
    storage: f64,
    inbound: f64,
}

/// What a day's sales bring and cost, by operating model.
struct Sales {
    gmv: f64,
    net_revenue: f64,
    fees: f64,
    logistics: f64,
    marketing: f64,
    affiliates: f64,
    taxes: f64,
}

/// The trial's prices and rates, fixed for the trial.
pub(super) struct MoneyModel {
    self_operated: bool,
    duty_basis: DutyBasis,
    retail_price: f64,
    unit_cost: f64,
    /// Commission plus payment processing, as a share of GMV.
    fee_rate: f64,
    fee_per_order: f64,
    fee_refund_on_return: f64,
    fixed_per_day: f64,
    refresh_every: usize,
    refresh_cost: f64,
    storage_per_unit_day: f64,
    /// Inbound freight plus placement per unit bought.
    inbound_per_unit: f64,
    packaging: f64,
    fulfilment_per_order: f64,
    entry_fee_per_parcel: f64,
    /// VAT/GST as a share of a VAT-inclusive price: rate / (1 + rate).
    vat_share: f64,
    affiliate_rate: f64,
    ad_spend_per_day: f64,
    /// Creator samples a day, at unit cost plus the cost of sending one.
    samples_per_day: f64,
    live_cost: f64,
    /// The opening supply price, the factor of a revision (1 − cut), the days between
    /// revisions (0: none) and the floor the cuts stop at.
    supply_price: f64,
    supply_keep: f64,
    supply_cut_every: usize,
    supply_floor: f64,
    return_liability: f64,
    return_shipping_cost: f64,
    /// Self-operated: the seller's share of a change-of-mind return label and of a
    /// change-of-mind refund without return (platform rules; the rest the platform pays).
    change_of_mind_shipping_share: f64,
    refund_without_return_share: f64,
    complaint_cost: f64,
}

/// What a day's money depends on besides the trial's prices.
pub(super) struct DayActivity<'d> {
    pub day: usize,
    pub live: bool,
    /// The day's supply-price multiplier (fully managed promotions).
    pub supply_price_multiplier: f64,
    /// The day's import duty rate (a tariff event may change it).
    pub duty_rate: f64,
    /// Self-operated campaigns joined today: factor on the price; coupons and campaign
    /// fees as a share of GMV.
    pub campaign_price_factor: f64,
    pub campaign_fee_rate: f64,
    /// Share of the day's orders that are repeat orders: they come back to the shop, not
    /// through a creator, so they pay no affiliate commission.
    pub repeat_share: f64,
    pub sold: u64,
    pub delivery: &'d DayDelivery,
    pub stock: &'d Stock,
}

impl MoneyModel {
    pub fn new(variant: &VariantSpec, v: &TrialInputs) -> MoneyModel {
        let self_operated = variant.setting().model == Model::SelfOperated;
        let vat = v[P::VatRate];
        MoneyModel {
            self_operated,
            duty_basis: variant.setting().route.duty_basis(),
            retail_price: v[P::RetailPrice],
            unit_cost: v[P::UnitCost],
            fee_rate: v[P::CommissionRate] + v[P::PaymentRate],
            fee_per_order: v[P::FeePerOrder],
            fee_refund_on_return: v[P::FeeRefundOnReturn],
            fixed_per_day: v[P::StaffCostPerDay]
                + v[P::ToolsCostPerDay]
                + if self_operated {
                    v[P::ErpCostPerDay]
                } else {
                    0.0
                },
            refresh_every: v[P::RefreshEveryDays] as usize,
            refresh_cost: v[P::RefreshCost],
            storage_per_unit_day: v[P::StorageCostPerUnitDay],
            inbound_per_unit: v[P::InboundCostPerUnit] + v[P::PlacementPerUnit],
            packaging: v[P::Packaging],
            fulfilment_per_order: v[P::CostPerOrder],
            entry_fee_per_parcel: v[P::EntryFeePerParcel],
            vat_share: vat / (1.0 + vat),
            affiliate_rate: v[P::AffiliateShare] * v[P::AffiliateCommission],
            ad_spend_per_day: v[P::AdSpendPerDay],
            samples_per_day: v[P::SamplesPerMonth] * 12.0 / 365.0,
            live_cost: v[P::LiveCost],
            supply_price: v[P::UnitCost] * v[P::SupplyMarkup],
            supply_keep: 1.0 - v[P::SupplyCut],
            supply_cut_every: v[P::SupplyCutEveryDays] as usize,
            // A merchant takes cuts down to its unit cost, not below (an assumption); an
            // opening price already below cost is kept.
            supply_floor: v[P::UnitCost].min(v[P::UnitCost] * v[P::SupplyMarkup]),
            return_liability: v[P::ReturnLiability],
            return_shipping_cost: v[P::ReturnShippingCost],
            change_of_mind_shipping_share: v[P::ChangeOfMindShippingShare],
            refund_without_return_share: v[P::RefundWithoutReturnShare],
            complaint_cost: v[P::ComplaintCost],
        }
    }

    /// The return labels the seller pays for today's returns: none when they are refunded
    /// without the item; otherwise every at-fault return's label and its share of every
    /// change-of-mind one's (fully managed: the return service fee on every return).
    fn return_labels(&self, d: &DayDelivery) -> f64 {
        if !self.self_operated {
            return d.returned as f64;
        }
        if d.returnless {
            return 0.0;
        }
        let changed_mind = d.changed_mind as f64;
        (d.returned as f64 - changed_mind) + self.change_of_mind_shipping_share * changed_mind
    }

    /// Import duty and entry fees of the day, by the route's valuation basis: a direct
    /// parcel on its retail value when sold (not refunded on a return), bulk stock on its
    /// factory value when bought; none when the platform imports (fully managed).
    fn duties(&self, a: &DayActivity<'_>) -> f64 {
        match self.duty_basis {
            DutyBasis::ParcelRetail => {
                a.sold as f64 * (a.duty_rate * self.retail_price + self.entry_fee_per_parcel)
            }
            DutyBasis::BulkFactory => a.stock.bought_today() as f64 * a.duty_rate * self.unit_cost,
            DutyBasis::PlatformImports => 0.0,
        }
    }

    /// The fully managed supply price on `day` (0-based) before promotions: the opening
    /// price cut by `supply_cut` at every revision so far (days `every`, `2·every`, …),
    /// never below the floor.
    fn supply_price_on(&self, day: usize) -> f64 {
        if self.supply_cut_every == 0 {
            return self.supply_price;
        }
        let revisions = (day / self.supply_cut_every).min(i32::MAX as usize) as i32;
        (self.supply_price * self.supply_keep.powi(revisions)).max(self.supply_floor)
    }

    /// The money of one day.
    pub fn day(&self, a: &DayActivity<'_>) -> DayMoney {
        let d = a.delivery;
        let storage = a
            .stock
            .on_hand()
            .map_or(0.0, |units| units as f64 * self.storage_per_unit_day);
        // Storage and inbound freight (with placement) are paid on either model.
        let stock_costs = StockCosts {
            storage,
            inbound: a.stock.bought_today() as f64 * self.inbound_per_unit,
        };
        let refresh =
            if self.refresh_every > 0 && a.day > 0 && a.day.is_multiple_of(self.refresh_every) {
                self.refresh_cost
            } else {
                0.0
            };
        let cogs = (a.sold - d.resold) as f64 * self.unit_cost;
        let returns_cost = self.return_labels(d) * self.return_shipping_cost
            + d.complained as f64 * self.complaint_cost;
        let sales = if self.self_operated {
            self.self_operated_sales(a, stock_costs, refresh)
        } else {
            self.managed_sales(a, stock_costs, refresh)
        };
        let fixed = self.fixed_per_day;
        DayMoney {
            gmv: sales.gmv,
            net_revenue: sales.net_revenue,
            cogs,
            fees: sales.fees,
            logistics: sales.logistics,
            storage,
            marketing: sales.marketing,
            affiliates: sales.affiliates,
            fixed,
            returns_cost,
            taxes: sales.taxes,
            profit: sales.net_revenue
                - cogs
                - sales.fees
                - sales.logistics
                - sales.marketing
                - fixed
                - returns_cost
                - sales.taxes,
            goods_paid: if a.stock.enabled() {
                a.stock.bought_today() as f64 * self.unit_cost
            } else {
                cogs
            },
        }
    }

    /// A self-operated shop's takings and selling costs: the (campaign) price, fees with
    /// coupons and campaign fees, fulfilment, marketing, VAT and duty.
    fn self_operated_sales(&self, a: &DayActivity<'_>, stock: StockCosts, refresh: f64) -> Sales {
        let d = a.delivery;
        let (sold, returned, lost) = (a.sold as f64, d.returned as f64, d.lost as f64);
        let price = self.retail_price * a.campaign_price_factor;
        let gmv = sold * price;
        // Coupons and the campaign fee are taken from the settlement like platform fees,
        // and not refunded on a return.
        let fees = (self.fee_rate + a.campaign_fee_rate) * gmv + self.fee_per_order * sold
            - self.fee_refund_on_return * (self.fee_rate * price + self.fee_per_order) * returned;
        let affiliates = self.affiliate_rate * gmv * (1.0 - a.repeat_share);
        // In a refund without return the platform pays its share of a change-of-mind refund.
        let platform_refund = if d.returnless {
            (1.0 - self.refund_without_return_share) * d.changed_mind as f64 * price
        } else {
            0.0
        };
        let net_revenue = gmv - (returned + lost) * price + platform_refund;
        Sales {
            gmv,
            net_revenue,
            fees,
            logistics: (self.fulfilment_per_order + self.packaging) * sold
                + stock.storage
                + stock.inbound,
            marketing: self.ad_spend_per_day
                + self.samples_per_day * (self.unit_cost + self.fulfilment_per_order)
                + affiliates
                + if a.live { self.live_cost } else { 0.0 }
                + refresh,
            affiliates,
            // VAT is in the price: it is paid on what the buyers keep.
            taxes: self.vat_share * net_revenue + self.duties(a),
        }
    }

    /// A fully managed merchant's takings: the supply price of the units sold, less the
    /// supply price of returned units charged back; the platform ships and markets.
    fn managed_sales(&self, a: &DayActivity<'_>, stock: StockCosts, refresh: f64) -> Sales {
        let supply = self.supply_price_on(a.day) * a.supply_price_multiplier;
        let gmv = a.sold as f64 * supply;
        Sales {
            gmv,
            net_revenue: gmv - self.return_liability * supply * a.delivery.returned as f64,
            fees: 0.0,
            logistics: self.packaging * a.sold as f64 + stock.storage + stock.inbound,
            marketing: refresh,
            affiliates: 0.0,
            taxes: self.duties(a),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{parse, BUILT_IN, BUILT_IN_NAME};
    use crate::sim::inputs;

    /// The built-in study's fully managed variant with its inputs set by hand.
    fn managed_money(markup: f64, cut: f64, every: f64) -> MoneyModel {
        let s = parse(BUILT_IN, BUILT_IN_NAME, None).unwrap();
        let variant = s
            .spec()
            .variants()
            .iter()
            .find(|v| v.setting().model == Model::FullyManaged)
            .unwrap();
        let mut v = inputs::sample(variant, &[], 1, 0);
        v.values[P::UnitCost as usize] = 5.0;
        v.values[P::SupplyMarkup as usize] = markup;
        v.values[P::SupplyCut as usize] = cut;
        v.values[P::SupplyCutEveryDays as usize] = every;
        MoneyModel::new(variant, &v)
    }

    #[test]
    fn the_supply_price_is_cost_plus_cut_at_each_revision_down_to_the_unit_cost() {
        let m = managed_money(1.4, 0.1, 45.0);
        let opening = 5.0 * 1.4;
        for (day, price) in [
            (0, opening),
            (44, opening),
            (45, opening * 0.9),
            (89, opening * 0.9),
            (90, opening * 0.81),
            (135, opening * 0.729),
            // 7 × 0.9^4 = 4.59 < 5: the floor.
            (180, 5.0),
            (3000, 5.0),
        ] {
            assert!((m.supply_price_on(day) - price).abs() < 1e-12, "day {day}");
        }
        // Never revised: the opening price all along.
        assert_eq!(managed_money(1.4, 0.1, 0.0).supply_price_on(400), opening);
        // An opening price below cost is the merchant's choice: cuts stop there.
        let below = managed_money(0.9, 0.5, 10.0);
        assert!((below.supply_price_on(10) - 4.5).abs() < 1e-12);
    }
}
