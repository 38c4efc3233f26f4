//! Running totals of a trial and the outputs worked out from them at its end.

use super::delivery::DayDelivery;
use super::demand::DayDemand;
use super::money::DayMoney;
use super::penalty::DispatchDay;
use crate::sim::outputs::{Metric, Outputs, METRIC_COUNT};

/// What a trial has added up so far.
pub(super) struct Totals {
    out: Outputs,
    demanded: u64,
    delivered: u64,
    cumulative_profit: f64,
    /// First day (1-based) with cumulative profit above zero; NaN until then.
    break_even_day: f64,
}

/// The end-of-trial figures besides the totals.
pub(super) struct TrialEnd<'h> {
    /// Parcels by days from order to delivery.
    pub histogram: &'h [u64],
    pub promise_days: usize,
    /// The deepest cash position.
    pub lowest_cash: f64,
    pub available_capital: f64,
    /// Retail price per unit: the common base of the contribution margin.
    pub retail_price: f64,
    /// Units on the shelf or on their way at the end, at landed cost.
    pub closing_stock_value: f64,
    /// Campaigns the shop could not join.
    pub campaigns_missed: usize,
    /// First day (1-based) out of probation; NaN if never.
    pub probation_end_day: f64,
    /// First day (1-based) a fully managed product was off the catalogue; NaN if never.
    pub delisted_day: f64,
}

impl Totals {
    pub fn new() -> Totals {
        Totals {
            out: Outputs([0.0; METRIC_COUNT]),
            demanded: 0,
            delivered: 0,
            cumulative_profit: 0.0,
            break_even_day: f64::NAN,
        }
    }

    /// Adds one day; returns the cumulative profit at its end.
    pub fn add(
        &mut self,
        day: usize,
        demand: &DayDemand,
        sold: u64,
        delivery: &DayDelivery,
        dispatch: &DispatchDay,
        money: &DayMoney,
    ) -> f64 {
        self.demanded += demand.wanted;
        self.delivered += delivery.delivered;
        let out = &mut self.out;
        if demand.capped > 0 {
            out[Metric::CappedDays] += 1.0;
        }
        // A stock-out day: stock, not an order cap, turned buyers away.
        if sold < demand.wanted - demand.capped {
            out[Metric::StockoutDays] += 1.0;
        }
        out[Metric::Orders] += sold as f64;
        out[Metric::RepeatOrders] += demand.repeat as f64;
        out[Metric::LostSales] += (demand.wanted - sold) as f64;
        out[Metric::Gmv] += money.gmv;
        out[Metric::NetRevenue] += money.net_revenue;
        out[Metric::Cogs] += money.cogs;
        out[Metric::PlatformFees] += money.fees;
        out[Metric::LogisticsCost] += money.logistics;
        out[Metric::MarketingCost] += money.marketing;
        out[Metric::AffiliateCost] += money.affiliates;
        out[Metric::FixedCost] += money.fixed;
        out[Metric::ReturnsCost] += money.returns_cost;
        out[Metric::DutiesAndTaxes] += money.taxes;
        out[Metric::StockWriteDown] += money.write_down;
        out[Metric::Refunds] += money.gmv - money.net_revenue;
        out[Metric::StorageCost] += money.storage;
        out[Metric::LateDispatches] += dispatch.late as f64;
        out[Metric::LateDispatchFees] += dispatch.fee;
        out[Metric::Profit] += money.profit;
        out[Metric::Returns] += delivery.returned as f64;
        out[Metric::Complaints] += delivery.complained as f64;
        out[Metric::LostParcels] += delivery.lost as f64;
        self.cumulative_profit += money.profit;
        if self.break_even_day.is_nan() && self.cumulative_profit > 0.0 {
            self.break_even_day = (day + 1) as f64;
        }
        self.cumulative_profit
    }

    /// Rates, delay statistics and cash figures from the totals.
    pub fn finish(self, end: TrialEnd<'_>) -> Outputs {
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
        let mut out = self.out;
        let orders = out[Metric::Orders];
        out[Metric::FillRate] = ratio(orders, self.demanded as f64);
        out[Metric::Margin] = if out[Metric::NetRevenue] != 0.0 {
            out[Metric::Profit] / out[Metric::NetRevenue]
        } else {
            f64::NAN
        };
        // Contribution: what the orders leave before ads, live streams, refreshes and fixed
        // costs (affiliate commission is paid per sale, and duties per parcel or per unit
        // imported, so they are variable costs here).
        let contribution = out[Metric::NetRevenue]
            - out[Metric::Cogs]
            - out[Metric::PlatformFees]
            - out[Metric::LogisticsCost]
            - out[Metric::ReturnsCost]
            - out[Metric::DutiesAndTaxes]
            - out[Metric::AffiliateCost];
        out[Metric::Contribution] = contribution;
        out[Metric::ProfitPerOrder] = ratio(out[Metric::Profit], orders);
        out[Metric::ContributionMargin] = ratio(contribution, orders * end.retail_price);
        out[Metric::ClosingStockValue] = end.closing_stock_value;
        out[Metric::CampaignsMissed] = end.campaigns_missed as f64;
        out[Metric::ReturnRate] = ratio(out[Metric::Returns], orders);
        out[Metric::ComplaintRate] = ratio(out[Metric::Complaints], orders);
        let delivered = self.delivered as f64;
        let on_time: u64 = end.histogram.iter().take(end.promise_days + 1).sum();
        out[Metric::OnTimeRate] = ratio(on_time as f64, delivered);
        let delay_sum: f64 = end
            .histogram
            .iter()
            .enumerate()
            .map(|(d, &n)| d as f64 * n as f64)
            .sum();
        out[Metric::MeanDelayDays] = ratio(delay_sum, delivered);
        out[Metric::P95DelayDays] = p95_delay(end.histogram, self.delivered);
        let needed = if end.lowest_cash < 0.0 {
            -end.lowest_cash
        } else {
            0.0
        };
        out[Metric::WorkingCapitalNeeded] = needed;
        out[Metric::BreakEvenDay] = self.break_even_day;
        out[Metric::ProbationEndDay] = end.probation_end_day;
        out[Metric::DelistedDay] = end.delisted_day;
        out[Metric::Roi] = ratio(out[Metric::Profit], needed);
        out[Metric::CapitalShortfall] = if needed > end.available_capital {
            1.0
        } else {
            0.0
        };
        out
    }
}

/// The smallest delay within which 95% of the `delivered` parcels arrived.
fn p95_delay(histogram: &[u64], delivered: u64) -> f64 {
    if delivered == 0 {
        return f64::NAN;
    }
    let target = (0.95 * delivered as f64).ceil() as u64;
    let mut seen = 0;
    histogram
        .iter()
        .position(|&n| {
            seen += n;
            seen >= target
        })
        .unwrap_or(histogram.len() - 1) as f64
}
