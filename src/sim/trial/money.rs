//! The money of one day (MODEL.md section 6), per operating model: what buyers paid, what
//! the seller keeps, and what each cost is. Accrual: a day's costs are the day's.

use super::delivery::DayDelivery;
use super::stock::Stock;
use crate::params::{LoopType, Model, Tier, P};
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
    pub profit: f64,
    /// Goods paid for today: units bought (with stock) or the goods sold (without).
    pub goods_paid: f64,
}

/// The trial's prices and rates, fixed for the trial.
pub(super) struct MoneyModel<'a> {
    self_operated: bool,
    semi_closed: bool,
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
    inbound_per_unit: f64,
    packaging: f64,
    semi_cost_per_order: f64,
    tiers: &'a [Tier],
    tier_fees: &'a [f64],
    affiliate_rate: f64,
    ad_spend_per_day: f64,
    live_cost: f64,
    supply_price: f64,
    return_liability: f64,
    return_shipping_cost: f64,
    complaint_cost: f64,
}

/// What a day's money depends on besides the trial's prices.
pub(super) struct DayActivity<'d> {
    pub day: usize,
    pub live: bool,
    /// The day's supply-price multiplier (fully managed promotions).
    pub supply_price_multiplier: f64,
    pub sold: u64,
    pub delivery: &'d DayDelivery,
    pub stock: &'d Stock,
    /// Orders of the 30 days before this one, for the full-closed fee tier.
    pub trailing_orders: u64,
}

impl<'a> MoneyModel<'a> {
    pub fn new(variant: &'a VariantSpec, v: &'a TrialInputs) -> MoneyModel<'a> {
        let self_operated = variant.setting.model == Model::SelfOperated;
        let semi_closed = variant.setting.loop_type == LoopType::SemiClosed;
        MoneyModel {
            self_operated,
            semi_closed,
            retail_price: v[P::RetailPrice],
            unit_cost: v[P::UnitCost],
            fee_rate: v[P::CommissionRate] + v[P::PaymentRate],
            fee_per_order: v[P::FeePerOrder],
            fee_refund_on_return: v[P::FeeRefundOnReturn],
            fixed_per_day: v[P::StaffCostPerDay]
                + v[P::ToolsCostPerDay]
                + if !self_operated {
                    0.0
                } else if semi_closed {
                    v[P::ErpCostPerDay]
                } else {
                    v[P::ProgrammeFeePerDay]
                },
            refresh_every: v[P::RefreshEveryDays] as usize,
            refresh_cost: v[P::RefreshCost],
            storage_per_unit_day: v[P::StorageCostPerUnitDay],
            inbound_per_unit: v[P::InboundCostPerUnit],
            packaging: v[P::Packaging],
            semi_cost_per_order: v[P::CostPerOrder],
            tiers: &variant.params.tiers.tiers,
            tier_fees: &v.tier_fees,
            affiliate_rate: v[P::AffiliateShare] * v[P::AffiliateCommission],
            ad_spend_per_day: v[P::AdSpendPerDay],
            live_cost: v[P::LiveCost],
            supply_price: v[P::SupplyPrice],
            return_liability: v[P::ReturnLiability],
            return_shipping_cost: v[P::ReturnShippingCost],
            complaint_cost: v[P::ComplaintCost],
        }
    }

    /// The full-closed fee per order of the tier reached by `trailing_orders`.
    fn tier_fee(&self, trailing_orders: u64) -> f64 {
        let tier = self
            .tiers
            .iter()
            .rposition(|t| t.min_monthly_orders <= trailing_orders)
            .unwrap_or(0);
        self.tier_fees.get(tier).copied().unwrap_or(0.0)
    }

    /// The money of one day.
    pub fn day(&self, a: &DayActivity<'_>) -> DayMoney {
        let d = a.delivery;
        let (sold_f, returned_f, lost_f) = (a.sold as f64, d.returned as f64, d.lost as f64);
        let storage = a
            .stock
            .on_hand()
            .map_or(0.0, |units| units as f64 * self.storage_per_unit_day);
        let inbound_today = a.stock.bought_today() as f64 * self.inbound_per_unit;
        let refresh =
            if self.refresh_every > 0 && a.day > 0 && a.day.is_multiple_of(self.refresh_every) {
                self.refresh_cost
            } else {
                0.0
            };
        let cogs = (a.sold - d.resold) as f64 * self.unit_cost;
        let returns_cost =
            returned_f * self.return_shipping_cost + d.complained as f64 * self.complaint_cost;
        let (gmv, net_revenue, fees, logistics, marketing, affiliates) = if self.self_operated {
            let price = self.retail_price;
            let gmv = sold_f * price;
            let fees = self.fee_rate * gmv + self.fee_per_order * sold_f
                - self.fee_refund_on_return
                    * (self.fee_rate * price + self.fee_per_order)
                    * returned_f;
            let fulfilment = if self.semi_closed {
                self.semi_cost_per_order
            } else {
                self.tier_fee(a.trailing_orders)
            };
            let affiliates = self.affiliate_rate * gmv;
            let marketing = self.ad_spend_per_day
                + affiliates
                + if a.live { self.live_cost } else { 0.0 }
                + refresh;
            (
                gmv,
                gmv - (returned_f + lost_f) * price,
                fees,
                (fulfilment + self.packaging) * sold_f + storage + inbound_today,
                marketing,
                affiliates,
            )
        } else {
            let supply = self.supply_price * a.supply_price_multiplier;
            let gmv = sold_f * supply;
            (
                gmv,
                gmv - self.return_liability * supply * returned_f,
                0.0,
                self.packaging * sold_f + storage + inbound_today,
                refresh,
                0.0,
            )
        };
        let fixed = self.fixed_per_day;
        DayMoney {
            gmv,
            net_revenue,
            cogs,
            fees,
            logistics,
            storage,
            marketing,
            affiliates,
            fixed,
            returns_cost,
            profit: net_revenue - cogs - fees - logistics - marketing - fixed - returns_cost,
            goods_paid: if a.stock.enabled() {
                a.stock.bought_today() as f64 * self.unit_cost
            } else {
                cogs
            },
        }
    }
}

/// Orders of the last 30 days, for the full-closed fee tier of the next day.
pub(super) struct TrailingOrders {
    by_slot: [u64; 30],
    sum: u64,
}

impl TrailingOrders {
    pub fn new() -> TrailingOrders {
        TrailingOrders {
            by_slot: [0; 30],
            sum: 0,
        }
    }

    pub fn sum(&self) -> u64 {
        self.sum
    }

    /// Records `day`'s orders, replacing those of 30 days before.
    pub fn push(&mut self, day: usize, orders: u64) {
        let slot = day % 30;
        self.sum = self.sum - self.by_slot[slot] + orders;
        self.by_slot[slot] = orders;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{parse, BUILT_IN, BUILT_IN_NAME};
    use crate::sim::inputs;

    #[test]
    fn the_tier_fee_follows_the_trailing_orders_exactly() {
        let s = parse(BUILT_IN, BUILT_IN_NAME, None).unwrap();
        let variant = &s.spec().variants()[1];
        let v = inputs::sample(variant, &[], 1, 0);
        let money = MoneyModel::new(variant, &v);
        // The default tiers: 4.80 from 0, 4.20 from 600, 3.58 from 1,500, 2.86 from 4,500.
        for (trailing, fee) in [
            (0, 4.80),
            (599, 4.80),
            (600, 4.20),
            (1_499, 4.20),
            (1_500, 3.58),
            (4_500, 2.86),
            (1_000_000, 2.86),
        ] {
            assert_eq!(money.tier_fee(trailing), fee, "{trailing} orders");
        }
    }

    #[test]
    fn trailing_orders_keep_exactly_the_last_30_days() {
        let mut t = TrailingOrders::new();
        for day in 0..100 {
            t.push(day, day as u64);
            let first = day.saturating_sub(29) as u64;
            assert_eq!(t.sum(), (first..=day as u64).sum::<u64>(), "day {day}");
        }
    }
}
