//! The money of one day (MODEL.md section 6), per operating model: what buyers paid, what
//! the seller keeps, and what each cost is. Accrual: a day's costs are the day's.

use super::delivery::DayDelivery;
use super::landed::{LandedStock, LandedValue};
use super::stock::Stock;
use crate::params::{DutyBasis, Freight, Model, P};
use crate::sim::inputs::TrialInputs;
use crate::sim::spec::VariantSpec;

/// One day's money.
pub(super) struct DayMoney {
    /// Retail value sold (self-operated) or supply-price value (fully managed).
    pub gmv: f64,
    /// GMV less refunds and lost parcels (self-operated) or return liability (managed).
    pub net_revenue: f64,
    /// The goods of the units sold, at factory cost (less resold returns).
    pub cogs: f64,
    pub fees: f64,
    /// Fulfilment, packaging, storage, and the inbound freight of the units sold.
    pub logistics: f64,
    /// Of which storage.
    pub storage: f64,
    /// Ads, affiliates, live streams and product refreshes.
    pub marketing: f64,
    /// Of which affiliate commission.
    pub affiliates: f64,
    pub fixed: f64,
    pub returns_cost: f64,
    /// Import duty, customs entry costs and VAT/GST (of stock: those of the units sold).
    pub taxes: f64,
    /// A delisted product's stock written down to what it can still fetch (the day it is
    /// delisted).
    pub write_down: f64,
    pub profit: f64,
    /// Everything paid today: the stock bought at its landed cost (with stock) or the
    /// goods sold (without), and the day's other costs. Landed costs are paid when the
    /// stock is bought and reach profit when it sells.
    pub paid_out: f64,
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
    /// The growth fee on an item's price, and its cap per item (`INFINITY`: none).
    growth_fee_rate: f64,
    growth_fee_cap: f64,
    fixed_per_day: f64,
    refresh_every: usize,
    refresh_cost: f64,
    storage_per_unit_day: f64,
    /// Inbound freight (by weight), other inbound costs and placement per unit bought.
    inbound_per_unit: f64,
    /// Customs costs of an import entry of stock: broker, processing fee (a share of the
    /// entered value between a minimum and a maximum, 0 = none) and harbour fee (sea).
    broker_fee_per_entry: f64,
    processing_fee_rate: f64,
    processing_fee_min: f64,
    processing_fee_max: f64,
    harbor_fee_rate: f64,
    packaging: f64,
    fulfilment_per_order: f64,
    entry_fee_per_parcel: f64,
    /// VAT/GST as a share of a VAT-inclusive price: rate / (1 + rate).
    vat_share: f64,
    affiliate_rate: f64,
    ad_spend_per_day: f64,
    /// Creator samples a day, at unit cost and inbound freight plus the cost of sending one.
    samples_per_day: f64,
    live_cost: f64,
    /// The opening supply price, the factor of a revision (1 − cut), the days between
    /// revisions (0: none), the floor below which the supplier declines (its full cost to
    /// the platform's warehouse) and the share of the platform's duty passed back.
    supply_price: f64,
    supply_keep: f64,
    supply_cut_every: usize,
    supply_floor: f64,
    tariff_passback: f64,
    /// The share of its landed cost a delisted product's stock can still fetch.
    delisted_recovery: f64,
    /// The duty already priced into the negotiated supply price: the base and origin parts
    /// (MFN and Section 301 on Chinese goods date from 2019 or earlier); the platform
    /// passes back only its share of the duty above them (a surcharge, a tariff event).
    settled_duty: f64,
    return_liability: f64,
    return_shipping_cost: f64,
    /// Self-operated: the seller's share of a change-of-mind return label and of a
    /// change-of-mind refund without return (platform rules; the rest the platform pays).
    change_of_mind_shipping_share: f64,
    refund_without_return_share: f64,
    complaint_cost: f64,
}

/// A fully managed supplier's full cost of a unit delivered to the platform's warehouse
/// at the origin: the goods, their packaging and the domestic inbound leg.
fn supply_full_cost(v: &TrialInputs) -> f64 {
    v[P::UnitCost] + v[P::Packaging] + v[P::InboundCostPerUnit]
}

/// What a day's money depends on besides the trial's prices.
pub(super) struct DayActivity<'d> {
    pub day: usize,
    pub live: bool,
    /// The day's supply-price multiplier (fully managed promotions).
    pub supply_price_multiplier: f64,
    /// The day's import duty rate (a tariff event may change it).
    pub duty_rate: f64,
    /// Self-operated campaigns joined today: factor on the price; campaign fees as a
    /// share of GMV.
    pub campaign_price_factor: f64,
    pub campaign_fee_rate: f64,
    /// The coupons the shop funds, as a share of the price (a discount to the buyer).
    pub campaign_coupon_share: f64,
    /// Share of the day's orders creators are paid on: first orders (not repeat orders,
    /// which come back to the shop) brought by content (not ads or live streams).
    pub creator_order_share: f64,
    pub sold: u64,
    /// The day (0-based) a fully managed product left the catalogue, if it has: its stock
    /// is written down that day, and the supplier has taken it back, so the platform
    /// stores none of it from then on.
    pub delisted_on: Option<usize>,
    /// The platform's fee on the day's late dispatches (self-operated, in a band).
    pub late_dispatch_fee: f64,
    pub delivery: &'d DayDelivery,
    pub stock: &'d Stock,
}

impl MoneyModel {
    pub fn new(variant: &VariantSpec, v: &TrialInputs) -> MoneyModel {
        let self_operated = variant.setting().model == Model::SelfOperated;
        // The customs entry of a batch of stock (broker, processing, harbour, bond) is the
        // importer's: a self-operated shop's on a route that imports its stock in bulk;
        // the platform imports a fully managed supplier's goods, delivered to its
        // warehouse in the country of origin (DOMAIN December 2026 review), and stock a
        // parcel route holds waits at the origin, each order entering as a parcel
        // (`tax.entry_fee_per_parcel`). 1 or 0: a bulk route's figures stay bit for bit.
        let imports = if self_operated && variant.setting().route.imports_stock() {
            1.0
        } else {
            0.0
        };
        let vat = v[P::VatRate];
        MoneyModel {
            self_operated,
            duty_basis: variant.setting().route.duty_basis(),
            retail_price: v[P::RetailPrice],
            unit_cost: v[P::UnitCost],
            fee_rate: v[P::CommissionRate] + v[P::PaymentRate],
            fee_per_order: v[P::FeePerOrder],
            fee_refund_on_return: v[P::FeeRefundOnReturn],
            growth_fee_rate: v[P::GrowthFeeRate],
            growth_fee_cap: if v[P::GrowthFeeCap] > 0.0 {
                v[P::GrowthFeeCap]
            } else {
                f64::INFINITY
            },
            fixed_per_day: v[P::StaffCostPerDay]
                + v[P::ToolsCostPerDay]
                + if self_operated {
                    v[P::ErpCostPerDay]
                } else {
                    0.0
                }
                + imports * v[P::CustomsBondPerYear] / 365.0,
            refresh_every: v[P::RefreshEveryDays] as usize,
            // Each listing is its own product to refresh (samples, photos, listing work per
            // product: docs/model.md, "Volume"); a self-operated shop has one.
            refresh_cost: v[P::RefreshCost]
                * if self_operated {
                    1.0
                } else {
                    v[P::ManagedListings]
                },
            storage_per_unit_day: v[P::StorageCostPerUnitDay]
                + v[P::StoragePerCuftDay] * v[P::UnitVolumeCuft],
            inbound_per_unit: v[P::FreightPerKg] * v[P::UnitWeightKg]
                + v[P::InboundCostPerUnit]
                + v[P::PlacementPerUnit],
            broker_fee_per_entry: imports * v[P::BrokerFeePerEntry],
            processing_fee_rate: imports * v[P::ProcessingFeeRate],
            processing_fee_min: imports * v[P::ProcessingFeeMin],
            processing_fee_max: imports * v[P::ProcessingFeeMax],
            // The harbour fee is paid on goods that arrive by ship.
            harbor_fee_rate: if variant.setting().freight == Freight::Sea {
                imports * v[P::HarborFeeRate]
            } else {
                0.0
            },
            packaging: v[P::Packaging],
            fulfilment_per_order: v[P::CostPerOrder],
            entry_fee_per_parcel: v[P::EntryFeePerParcel],
            vat_share: vat / (1.0 + vat),
            affiliate_rate: v[P::AffiliateShare] * v[P::AffiliateCommission],
            ad_spend_per_day: v[P::AdSpendPerDay],
            samples_per_day: v[P::SamplesPerMonth] * 12.0 / 365.0,
            live_cost: v[P::LiveCost],
            supply_price: supply_full_cost(v) * v[P::SupplyMarkup],
            supply_keep: 1.0 - v[P::SupplyCut],
            supply_cut_every: v[P::SupplyCutEveryDays] as usize,
            // A supplier declines a price below its full cost (DOMAIN December 2026
            // review); an opening price already below it is its own choice and is kept.
            supply_floor: supply_full_cost(v).min(supply_full_cost(v) * v[P::SupplyMarkup]),
            tariff_passback: v[P::TariffPassback],
            delisted_recovery: v[P::DelistedRecovery],
            settled_duty: v[P::DutyBaseRate] + v[P::DutyOriginRate],
            return_liability: v[P::ReturnLiability],
            return_shipping_cost: v[P::ReturnShippingCost],
            change_of_mind_shipping_share: super::delivery::change_of_mind_shipping_share(v),
            refund_without_return_share: v[P::RefundWithoutReturnShare],
            complaint_cost: v[P::ComplaintCost],
        }
    }

    /// The return labels the seller pays for today's returns: every at-fault return's label
    /// and its share of every change-of-mind one's; when returns are refunded without the
    /// item, only the refused parcels' return leg (a refused parcel is on its way back
    /// already: the carrier brings it back and the seller pays). Fully managed: the return
    /// service fee on every return.
    fn return_labels(&self, d: &DayDelivery) -> f64 {
        if !self.self_operated {
            return d.returned as f64;
        }
        if d.returnless {
            return d.refused as f64;
        }
        let changed_mind = d.changed_mind as f64;
        (d.returned as f64 - changed_mind) + self.change_of_mind_shipping_share * changed_mind
    }

    /// Import duty and entry fees of direct parcels: on the price each parcel's buyer paid
    /// (customs values the transaction: after a campaign's cut and its coupons), when sold
    /// (not refunded on a return). Bulk stock pays its duty as part of its landed cost
    /// ([`MoneyModel::batch`]); none when the platform imports (fully managed).
    fn parcel_duties(&self, a: &DayActivity<'_>) -> f64 {
        match self.duty_basis {
            DutyBasis::ParcelPricePaid => {
                let paid =
                    self.retail_price * a.campaign_price_factor * (1.0 - a.campaign_coupon_share);
                a.sold as f64 * (a.duty_rate * paid + self.entry_fee_per_parcel)
            }
            DutyBasis::BulkFactory | DutyBasis::PlatformImports => 0.0,
        }
    }

    /// The landed cost of a batch of `units` bought on a day with import duty `duty_rate`:
    /// the goods, inbound freight and placement, and, as one import entry, bulk duty on the
    /// factory value and the customs entry costs.
    fn batch(&self, units: u64, duty_rate: f64) -> LandedValue {
        if units == 0 {
            return LandedValue::default();
        }
        let entered = units as f64 * self.unit_cost;
        let duty = if self.duty_basis == DutyBasis::BulkFactory {
            duty_rate * entered
        } else {
            0.0
        };
        let mut processing = (self.processing_fee_rate * entered).max(self.processing_fee_min);
        if self.processing_fee_max > 0.0 {
            processing = processing.min(self.processing_fee_max);
        }
        LandedValue {
            goods: entered,
            freight: units as f64 * self.inbound_per_unit,
            customs: duty + self.broker_fee_per_entry + processing + self.harbor_fee_rate * entered,
        }
    }

    /// The landed cost of the day's sales net of resold returns, and what the day's stock
    /// purchases cost. With stock, in the day's order: the opening stock arrives, the day's
    /// sales leave at the moving average, resold returns go back, a reorder is bought.
    /// Without stock, the goods are bought as they sell.
    fn stock_flows(&self, a: &DayActivity<'_>, held: &mut LandedStock) -> (LandedValue, f64) {
        let resold = a.delivery.resold;
        if !a.stock.enabled() {
            let goods = (a.sold - resold) as f64 * self.unit_cost;
            let sold = LandedValue {
                goods,
                ..LandedValue::default()
            };
            return (sold, goods);
        }
        let opening = self.batch(a.stock.opening_today(), a.duty_rate);
        held.receive(a.stock.opening_today(), opening);
        let sold = held.issue(a.sold);
        let back = held.put_back(resold);
        let reorder = self.batch(a.stock.reordered_today(), a.duty_rate);
        held.receive(a.stock.reordered_today(), reorder);
        (sold - back, opening.total() + reorder.total())
    }

    /// The fully managed supply price the platform asks for on `day` (0-based) before
    /// promotions: the opening price cut by `supply_cut` at every revision so far (days
    /// `every`, `2·every`, …), less the share it passes back of the day's duty rate above
    /// the settled duty (the base and origin parts, already in the negotiated price).
    fn supply_price_on(&self, day: usize, duty_rate: f64) -> f64 {
        let revisions = day
            .checked_div(self.supply_cut_every)
            .map_or(0, |r| r.min(i32::MAX as usize) as i32);
        let new_duty = (duty_rate - self.settled_duty).max(0.0);
        self.supply_price
            * self.supply_keep.powi(revisions)
            * (1.0 - self.tariff_passback * new_duty).max(0.0)
    }

    /// Whether a fully managed supplier declines the price asked on `day`: below its full
    /// cost (its floor), so the product leaves the catalogue from that day.
    pub fn supplier_declines(&self, day: usize, duty_rate: f64) -> bool {
        // A relative tolerance: a price equal to the floor in exact arithmetic is taken.
        !self.self_operated
            && self.supply_price_on(day, duty_rate) < self.supply_floor * (1.0 - 1e-12)
    }

    /// The money of one day; `held` is the stock at landed cost.
    pub fn day(&self, a: &DayActivity<'_>, held: &mut LandedStock) -> DayMoney {
        let d = a.delivery;
        // A delisted product's stock is taken back (what it costs to take back and sell is
        // inside its recovery, `inventory.delisted_recovery`): no more storage.
        let storage = match a.stock.on_hand() {
            Some(units) if a.delisted_on.is_none() => units as f64 * self.storage_per_unit_day,
            _ => 0.0,
        };
        let (landed, stock_paid) = self.stock_flows(a, held);
        // The stock as it stands at the end of the day's flows; a write-down moves no cash.
        let write_down = if a.delisted_on == Some(a.day) {
            held.write_down(self.delisted_recovery).total()
        } else {
            0.0
        };
        // A delisted product is off the catalogue: nothing is refreshed from that day.
        let refresh = if self.refresh_every > 0
            && a.day > 0
            && a.day.is_multiple_of(self.refresh_every)
            && a.delisted_on.is_none()
        {
            self.refresh_cost
        } else {
            0.0
        };
        let cogs = landed.goods;
        let returns_cost = self.return_labels(d) * self.return_shipping_cost
            + d.complained as f64 * self.complaint_cost;
        let sales = if self.self_operated {
            self.self_operated_sales(a, storage, refresh)
        } else {
            self.managed_sales(a, storage, refresh)
        };
        // Storage is paid on either model; the freight and customs of the units sold are
        // the landed cost's (paid when the stock was bought).
        let logistics = sales.logistics + landed.freight;
        let taxes = sales.taxes + landed.customs;
        let fixed = self.fixed_per_day;
        DayMoney {
            gmv: sales.gmv,
            net_revenue: sales.net_revenue,
            cogs,
            fees: sales.fees,
            logistics,
            storage,
            marketing: sales.marketing,
            affiliates: sales.affiliates,
            fixed,
            returns_cost,
            taxes,
            write_down,
            profit: sales.net_revenue
                - cogs
                - sales.fees
                - logistics
                - sales.marketing
                - fixed
                - returns_cost
                - taxes
                - write_down,
            paid_out: stock_paid
                + sales.logistics
                + sales.marketing
                + fixed
                + returns_cost
                + sales.taxes,
        }
    }

    /// A self-operated shop's platform fees on a day's orders at `price`: the fees, coupons
    /// and campaign fee on every order, less what comes back on its returns.
    ///
    /// Coupons and the campaign fee are taken from the settlement like platform fees. The
    /// campaign fee is not refunded on a return; of the fees, `fees.refund_on_return`
    /// comes back; a coupon is the order's own discount, so an order refunded (returned
    /// or lost) costs its coupon nothing: its buyer gets back what they paid. A parcel
    /// refused at the door (cash on delivery) never settles: the buyer never paid, so
    /// nothing is taken from it (TH: the growth fee and the commission are charged on
    /// delivered orders only; Seller Center TH kid 4831419884979969, H, and the commission
    /// notice, M).
    fn self_operated_fees(
        &self,
        price: f64,
        sold: f64,
        d: &DayDelivery,
        campaign: (f64, f64),
    ) -> f64 {
        let (campaign_fee_rate, coupon_share) = campaign;
        let (returned, refused, lost) = (d.returned as f64, d.refused as f64, d.lost as f64);
        let delivered = (sold - refused - lost).max(0.0);
        // The platform's own fees are a share of what the order brings after the seller's
        // coupons (US: "6% of (Customer Payment + Platform Discount - Tax)", Seller Center
        // US kid 5982454398175018, H; TH: "(Item Price - Seller Discount) x Fee rate" for
        // the commission and the growth fee, H), so on a campaign day they are charged on
        // the price less its coupons; the coupons and the campaign fee are a share of the
        // day's GMV. Without coupons the base is the price, bit for bit.
        let fee_base = price * (1.0 - coupon_share);
        let coupon = coupon_share * price;
        let charged = self.fee_rate * fee_base + (campaign_fee_rate * price + coupon);
        // The fixed fee per order (VN, MY, PH) is charged per delivered order and not
        // refunded on a return (VN: per successfully delivered order, not refunded, danviet,
        // kenh14, dantri 2025-10, M; MY: on every successful sale, not refunded after
        // delivery, bigseller 2026-02-05; PH: per successfully delivered order, not refunded
        // on a return after delivery, keyouyun 27968). Where it is 0 (the US) the sum is
        // the one before, bit for bit.
        let fees = charged * sold + self.fee_per_order * delivered
            - self.fee_refund_on_return * (self.fee_rate * fee_base) * (returned - refused)
            - charged * refused
            - coupon * (returned - refused + lost);
        if self.growth_fee_rate == 0.0 {
            return fees;
        }
        // The growth fee is charged per item on delivered orders only (not on a lost or a
        // refused parcel), capped per item, and not refunded on a return (Seller Center TH
        // kid 4831419884979969, H).
        fees + (self.growth_fee_rate * fee_base).min(self.growth_fee_cap) * delivered
    }

    /// A self-operated shop's takings and selling costs: the (campaign) price, fees with
    /// coupons and campaign fees, fulfilment, marketing, VAT and duty.
    fn self_operated_sales(&self, a: &DayActivity<'_>, storage: f64, refresh: f64) -> Sales {
        let d = a.delivery;
        let (sold, returned, lost) = (a.sold as f64, d.returned as f64, d.lost as f64);
        let price = self.retail_price * a.campaign_price_factor;
        let gmv = sold * price;
        let fees = self.self_operated_fees(
            price,
            sold,
            d,
            (a.campaign_fee_rate, a.campaign_coupon_share),
        ) + a.late_dispatch_fee;
        // Creators are paid on the orders attributed to them, and nothing on refunded
        // ones (returned or lost: DOMAIN December 2026 review, kid 6837836318361346, H),
        // on the price the buyer paid: after the seller's coupons (VN "product price -
        // platform coupon - merchant coupon - product tax", kid 6837840205842177, H).
        let kept = (sold - returned - lost).max(0.0);
        let paid = price * (1.0 - a.campaign_coupon_share);
        let affiliates = self.affiliate_rate * a.creator_order_share * kept * paid;
        // In a refund without return the platform pays its share of a change-of-mind refund:
        // of what the buyer paid, after the coupons (the coupon itself comes back with the
        // order, `self_operated_fees`).
        let platform_refund = if d.returnless {
            (1.0 - self.refund_without_return_share) * d.changed_mind as f64 * paid
        } else {
            0.0
        };
        let net_revenue = gmv - (returned + lost) * price + platform_refund;
        Sales {
            gmv,
            net_revenue,
            fees,
            logistics: (self.fulfilment_per_order + self.packaging) * sold + storage,
            marketing: self.ad_spend_per_day
                + self.samples_per_day
                    * (self.unit_cost + self.inbound_per_unit + self.fulfilment_per_order)
                + affiliates
                + if a.live { self.live_cost } else { 0.0 }
                + refresh,
            affiliates,
            // VAT is in the price: it is paid on what the buyers keep, after the coupons
            // the shop funds (a discount lowers the taxable amount).
            taxes: self.vat_share * net_revenue * (1.0 - a.campaign_coupon_share)
                + self.parcel_duties(a),
        }
    }

    /// A fully managed merchant's takings: the supply price of the units sold, less the
    /// supply price of returned units charged back; the platform ships and markets.
    fn managed_sales(&self, a: &DayActivity<'_>, storage: f64, refresh: f64) -> Sales {
        let supply = self.supply_price_on(a.day, a.duty_rate) * a.supply_price_multiplier;
        let gmv = a.sold as f64 * supply;
        Sales {
            gmv,
            net_revenue: gmv - self.return_liability * supply * a.delivery.returned as f64,
            fees: 0.0,
            logistics: self.packaging * a.sold as f64 + storage,
            marketing: refresh,
            affiliates: 0.0,
            taxes: self.parcel_duties(a),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{parse, BUILT_IN, BUILT_IN_NAME};
    use crate::sim::inputs;

    /// The built-in study's first variant of `model` and its first trial's inputs.
    fn built_in(model: Model) -> (VariantSpec, TrialInputs) {
        let s = parse(BUILT_IN, BUILT_IN_NAME, None).unwrap();
        let variant = s
            .spec()
            .variants()
            .iter()
            .find(|v| v.setting().model == model)
            .unwrap()
            .clone();
        let v = inputs::sample(&variant, &[], 1, 0);
        (variant, v)
    }

    /// The built-in study's fully managed variant with its inputs set by hand: a full cost
    /// of $5 (goods $4.50, packaging $0.30, inbound $0.20), no tariff pass-back and no
    /// settled duty.
    fn managed_money(markup: f64, cut: f64, every: f64) -> MoneyModel {
        let (variant, mut v) = built_in(Model::FullyManaged);
        v.values[P::DutyBaseRate as usize] = 0.0;
        v.values[P::DutyOriginRate as usize] = 0.0;
        v.values[P::UnitCost as usize] = 4.5;
        v.values[P::Packaging as usize] = 0.3;
        v.values[P::InboundCostPerUnit as usize] = 0.2;
        v.values[P::TariffPassback as usize] = 0.0;
        v.values[P::SupplyMarkup as usize] = markup;
        v.values[P::SupplyCut as usize] = cut;
        v.values[P::SupplyCutEveryDays as usize] = every;
        MoneyModel::new(&variant, &v)
    }

    #[test]
    fn the_supply_price_is_full_cost_plus_cut_at_each_revision_until_the_supplier_declines() {
        let m = managed_money(1.4, 0.1, 45.0);
        let opening = 5.0 * 1.4;
        for (day, price) in [
            (0, opening),
            (44, opening),
            (45, opening * 0.9),
            (89, opening * 0.9),
            (90, opening * 0.81),
            (135, opening * 0.729),
        ] {
            assert!(
                (m.supply_price_on(day, 0.0) - price).abs() < 1e-12,
                "day {day}"
            );
            assert!(!m.supplier_declines(day, 0.0), "day {day}");
        }
        // 7 × 0.9^4 = 4.59 < 5, the full cost: declined from the fourth revision on.
        assert!(m.supplier_declines(180, 0.0));
        assert!(m.supplier_declines(3000, 0.0));
        // Never revised: the opening price all along.
        assert_eq!(
            managed_money(1.4, 0.1, 0.0).supply_price_on(400, 0.0),
            opening
        );
        // An opening price below cost is the merchant's choice: kept, cuts declined.
        let below = managed_money(0.9, 0.5, 10.0);
        assert!(!below.supplier_declines(9, 0.0));
        assert!(below.supplier_declines(10, 0.0));
    }

    #[test]
    fn the_platform_passes_its_share_of_the_duty_back_through_the_supply_price() {
        let mut m = managed_money(1.2, 0.0, 0.0);
        m.tariff_passback = 0.5;
        // 25% duty, half passed back: 6 × (1 − 0.125) = 5.25, above the $5 floor.
        assert!((m.supply_price_on(0, 0.25) - 5.25).abs() < 1e-12);
        assert!(!m.supplier_declines(0, 0.25));
        // 40% duty: 6 × 0.8 = 4.80 < 5: declined.
        assert!(m.supplier_declines(0, 0.4));
        // With 25% of settled duty (Section 301, in the negotiated price) only the 15%
        // above it is passed back: 6 × (1 − 0.075) = 5.55, taken.
        m.settled_duty = 0.25;
        assert!((m.supply_price_on(0, 0.4) - 5.55).abs() < 1e-12);
        assert!(!m.supplier_declines(0, 0.4));
        // A duty at or below the settled one passes nothing back.
        assert!((m.supply_price_on(0, 0.1) - 6.0).abs() < 1e-12);
    }

    #[test]
    fn a_shop_scoring_at_least_four_pays_a_fifth_of_a_change_of_mind_label_in_the_us() {
        let (_, mut v) = built_in(Model::SelfOperated);
        let share = |v: &TrialInputs| super::super::delivery::change_of_mind_shipping_share(v);
        // The US rows: 50% split, 20% from a score of 4 (the default score is 4).
        assert_eq!(v[P::ChangeOfMindShippingShare], 0.5);
        assert_eq!(share(&v), 0.2);
        v.values[P::ShopPerformanceScore as usize] = 3.99;
        assert_eq!(share(&v), 0.5);
        v.values[P::ShopPerformanceScore as usize] = 4.5;
        assert_eq!(share(&v), 0.2);
        // A subsidy never raises the seller's share.
        v.values[P::TopShopShippingShare as usize] = 0.8;
        assert_eq!(share(&v), 0.5);
    }

    /// A day of 100 orders: `lost` lost, `returned` of the others returned, `refused` of
    /// those refused at the door.
    fn hundred_orders(lost: u64, returned: u64, refused: u64) -> DayDelivery {
        DayDelivery {
            lost,
            delivered: 100 - lost,
            returned,
            refused,
            changed_mind: 0,
            returnless: false,
            complained: 0,
            resold: 0,
        }
    }

    #[test]
    fn a_refused_parcel_pays_no_platform_fees_and_other_returns_get_their_share_back() {
        let (variant, v) = built_in(Model::SelfOperated);
        let mut m = MoneyModel::new(&variant, &v);
        m.fee_rate = 0.1;
        m.fee_per_order = 0.5;
        m.fee_refund_on_return = 0.8;
        let day = |lost, returned, refused| hundred_orders(lost, returned, refused);
        // 100 orders at $20 with a 5% campaign fee: (0.15 × 20 + 0.5) × 100 = 350.
        let fees = |lost, returned, refused| {
            m.self_operated_fees(20.0, 100.0, &day(lost, returned, refused), (0.05, 0.0))
        };
        assert!((fees(0, 0, 0) - 350.0).abs() < 1e-9);
        // 10 returns: 80% of 0.1 × 20 = 1.6 each comes back (not the campaign fee, nor
        // the fee per order: it is charged per delivered order and not refunded).
        assert!((fees(0, 10, 0) - 334.0).abs() < 1e-9);
        // 3 of them refused at the door: they pay nothing (3.5 each), the 7 others get
        // 1.6 back: 350 − 10.5 − 11.2.
        assert!((fees(0, 10, 3) - 328.3).abs() < 1e-9);
        // 5 parcels lost: never delivered, so no fee per order on them (2.5 less).
        assert!((fees(5, 0, 0) - 347.5).abs() < 1e-9);
    }

    #[test]
    fn the_growth_fee_is_charged_per_delivered_item_up_to_its_cap_and_never_refunded() {
        let (variant, v) = built_in(Model::SelfOperated);
        let mut m = MoneyModel::new(&variant, &v);
        m.fee_rate = 0.0;
        m.fee_per_order = 0.0;
        m.fee_refund_on_return = 0.8;
        m.growth_fee_rate = 0.0642;
        // 100 orders: 5 lost, 10 returned of which 4 refused at the door.
        let day = hundred_orders(5, 10, 4);
        // No cap: 6.42% of $20 on the 91 delivered items, the 6 returned ones included.
        let fees = |m: &MoneyModel, price| m.self_operated_fees(price, 100.0, &day, (0.0, 0.0));
        assert!((fees(&m, 20.0) - 0.0642 * 20.0 * 91.0).abs() < 1e-9);
        // A cap of $5.45 binds from a price of about $85: $5.45 an item at $200.
        m.growth_fee_cap = 5.45;
        assert!((fees(&m, 20.0) - 0.0642 * 20.0 * 91.0).abs() < 1e-9);
        assert!((fees(&m, 200.0) - 5.45 * 91.0).abs() < 1e-9);
        // Without the fee, nothing of it.
        m.growth_fee_rate = 0.0;
        assert_eq!(fees(&m, 200.0), 0.0);
    }

    /// Day 4 of 100 orders of `delivery` at the full price with `coupon_share` coupons, no
    /// campaign fee, creators, duty or late dispatch.
    fn campaign_day<'d>(
        delivery: &'d DayDelivery,
        stock: &'d Stock,
        coupon_share: f64,
    ) -> DayActivity<'d> {
        DayActivity {
            day: 3,
            live: false,
            supply_price_multiplier: 1.0,
            duty_rate: 0.0,
            campaign_price_factor: 1.0,
            campaign_fee_rate: 0.0,
            campaign_coupon_share: coupon_share,
            creator_order_share: 0.0,
            sold: 100,
            delisted_on: None,
            late_dispatch_fee: 0.0,
            delivery,
            stock,
        }
    }

    #[test]
    fn the_platform_fees_are_charged_on_the_price_less_the_sellers_coupons() {
        let (variant, v) = built_in(Model::SelfOperated);
        let mut m = MoneyModel::new(&variant, &v);
        m.fee_rate = 0.1;
        m.fee_per_order = 0.0;
        m.fee_refund_on_return = 0.8;
        m.growth_fee_rate = 0.0;
        // 100 orders at $20 on a campaign day with 4% coupons and a 1% fee: the coupons
        // and the fee are 0.05 × 20 × 100 = 100, the commission 0.1 × (20 × 0.96) × 100 =
        // 192 (200 before the coupons).
        let fees =
            |m: &MoneyModel, d: &DayDelivery| m.self_operated_fees(20.0, 100.0, d, (0.01, 0.04));
        assert!((fees(&m, &hundred_orders(0, 0, 0)) - 292.0).abs() < 1e-9);
        // 10 returns, 3 refused: the 7 others get 80% of their commission on $19.20 back
        // (1.536 each) and cost no coupon (0.80 each: their buyers are refunded what they
        // paid); the refused pay nothing (1.92 + 1.0 each). The campaign fee stays.
        let expected = 292.0 - 7.0 * (1.536 + 0.8) - 3.0 * 2.92;
        assert!((fees(&m, &hundred_orders(0, 10, 3)) - expected).abs() < 1e-9);
        // 2 lost parcels: refunded, so no coupon either.
        let expected = 292.0 - 2.0 * 0.8;
        assert!((fees(&m, &hundred_orders(2, 0, 0)) - expected).abs() < 1e-9);
        // The growth fee too: 6.42% of $19.20 on the 100 delivered items.
        m.fee_rate = 0.0;
        m.growth_fee_rate = 0.0642;
        let growth = 0.0642 * 19.2 * 100.0;
        assert!((fees(&m, &hundred_orders(0, 0, 0)) - (100.0 + growth)).abs() < 1e-9);
    }

    #[test]
    fn creators_and_vat_are_paid_on_the_kept_orders_at_the_price_less_the_sellers_coupons() {
        let (variant, v) = built_in(Model::SelfOperated);
        let mut m = MoneyModel::new(&variant, &v);
        m.affiliate_rate = 0.1;
        m.retail_price = 25.0;
        let stock = Stock::new(&v, Model::SelfOperated, 1, 0);
        // 100 orders at $20 (a 20% cut off $25), 10 returned, half of them by creators.
        let delivery = hundred_orders(0, 10, 0);
        let affiliates = |m: &MoneyModel, coupon_share| {
            let a = DayActivity {
                campaign_price_factor: 0.8,
                campaign_fee_rate: 0.01,
                creator_order_share: 0.5,
                ..campaign_day(&delivery, &stock, coupon_share)
            };
            let sales = m.self_operated_sales(&a, 0.0, 0.0);
            (sales.affiliates, sales.taxes - m.parcel_duties(&a))
        };
        // 10% of $20 on 45 kept creator orders, then of $19.20 with 4% coupons.
        assert!((affiliates(&m, 0.0).0 - 0.1 * 0.5 * 90.0 * 20.0).abs() < 1e-9);
        assert!((affiliates(&m, 0.04).0 - 0.1 * 0.5 * 90.0 * 19.2).abs() < 1e-9);
        // VAT in the price is paid on what the 90 buyers who kept their orders paid.
        m.vat_share = 0.2 / 1.2;
        assert!((affiliates(&m, 0.0).1 - 90.0 * 20.0 / 6.0).abs() < 1e-9);
        assert!((affiliates(&m, 0.04).1 - 90.0 * 19.2 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn the_platforms_share_of_a_refund_without_return_is_of_what_the_buyer_paid() {
        let (variant, v) = built_in(Model::SelfOperated);
        let mut m = MoneyModel::new(&variant, &v);
        m.retail_price = 20.0;
        m.refund_without_return_share = 0.5;
        let stock = Stock::new(&v, Model::SelfOperated, 1, 0);
        // 100 orders at $20, 10 changes of mind refunded in place.
        let delivery = DayDelivery {
            changed_mind: 10,
            returnless: true,
            ..hundred_orders(0, 10, 0)
        };
        let net_revenue = |coupon_share| {
            let a = campaign_day(&delivery, &stock, coupon_share);
            m.self_operated_sales(&a, 0.0, 0.0).net_revenue
        };
        // 90 kept at $20, and the platform pays half of each refund: $10, or $9.60 of
        // the $19.20 a buyer paid with a 4% coupon.
        assert!((net_revenue(0.0) - (90.0 * 20.0 + 10.0 * 10.0)).abs() < 1e-9);
        assert!((net_revenue(0.04) - (90.0 * 20.0 + 10.0 * 9.6)).abs() < 1e-9);
    }

    #[test]
    fn a_refused_parcel_pays_a_whole_return_leg_even_where_returns_are_refunded_in_place() {
        let (variant, v) = built_in(Model::SelfOperated);
        let mut m = MoneyModel::new(&variant, &v);
        m.change_of_mind_shipping_share = 0.5;
        // 10 returns: 3 refused at the door, 4 changes of mind, 3 other at-fault returns.
        let d = |returnless| DayDelivery {
            lost: 0,
            delivered: 100,
            returned: 10,
            refused: 3,
            changed_mind: 4,
            returnless,
            complained: 0,
            resold: 0,
        };
        // Refunded in place: only the refused parcels come back, at the seller's cost.
        assert_eq!(m.return_labels(&d(true)), 3.0);
        // Otherwise: 6 at-fault labels (refusals among them) and half of 4.
        assert_eq!(m.return_labels(&d(false)), 8.0);
    }
}
