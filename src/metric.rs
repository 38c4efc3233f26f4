//! The outputs a trial produces, by name: every output of MODEL.md plus
//! `capital_shortfall`, with its unit and which way is better. A leaf: the simulation,
//! the statistics, comparisons and every table and chart name outputs through it.

/// Which direction of a metric is better, for "P(A better than B)".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    /// More is better (profit, on-time rate).
    Higher,
    /// Less is better (costs, returns, delays).
    Lower,
}

/// What an output is measured in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A count of orders or parcels.
    Orders,
    /// A share between 0 and 1 (shown as a percentage).
    Fraction,
    /// The study's currency.
    Currency,
    /// A number of days.
    Days,
    /// A day of the horizon, counted from 1.
    Day,
    /// 1 when something happened in a trial, else 0 (its mean is a probability).
    Indicator,
    /// A number of events (campaigns).
    Events,
}

impl Unit {
    /// How the unit is written in documentation and tables.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Orders => "orders",
            Unit::Fraction => "fraction",
            Unit::Currency => "currency",
            Unit::Days => "days",
            Unit::Day => "day",
            Unit::Indicator => "0/1",
            Unit::Events => "events",
        }
    }
}

macro_rules! metrics {
    ($( $id:ident $name:literal $better:ident $unit:ident; )*) => {
        /// A trial output, by position.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(usize)]
        pub enum Metric { $(#[doc = concat!("`", $name, "` (see docs/model.md).")] $id),* }

        impl Metric {
            /// Every output, in the order of the files' columns.
            pub const ALL: &'static [Metric] = &[$(Metric::$id),*];

            /// The output's name in files.
            pub fn name(self) -> &'static str {
                match self { $(Metric::$id => $name),* }
            }

            /// Which direction is better, for P(A better than B).
            pub fn better(self) -> Better {
                match self { $(Metric::$id => Better::$better),* }
            }

            /// What the output is measured in.
            pub fn unit(self) -> Unit {
                match self { $(Metric::$id => Unit::$unit),* }
            }
        }
    };
}

metrics! {
    Orders "orders" Higher Orders;
    LostSales "lost_sales" Lower Orders;
    RepeatOrders "repeat_orders" Higher Orders;
    FillRate "fill_rate" Higher Fraction;
    Gmv "gmv" Higher Currency;
    NetRevenue "net_revenue" Higher Currency;
    Cogs "cogs" Lower Currency;
    PlatformFees "platform_fees" Lower Currency;
    LogisticsCost "logistics_cost" Lower Currency;
    MarketingCost "marketing_cost" Lower Currency;
    FixedCost "fixed_cost" Lower Currency;
    ReturnsCost "returns_cost" Lower Currency;
    DutiesAndTaxes "duties_and_taxes" Lower Currency;
    // A delisted product's stock written down to what it can still fetch elsewhere.
    StockWriteDown "stock_write_down" Lower Currency;
    // "Of which" parts for the money breakdown: refunds = gmv − net_revenue,
    // affiliate_cost is inside marketing_cost, storage_cost inside logistics_cost.
    Refunds "refunds" Lower Currency;
    AffiliateCost "affiliate_cost" Lower Currency;
    StorageCost "storage_cost" Lower Currency;
    // Inside platform_fees: the platform's fee on late dispatches (US from 2026-01-26).
    LateDispatchFees "late_dispatch_fees" Lower Currency;
    Profit "profit" Higher Currency;
    Margin "margin" Higher Fraction;
    // Comparable across operating models (margin is not: its base is retail net revenue for
    // self-operated and supply-price revenue for fully managed).
    ProfitPerOrder "profit_per_order" Higher Currency;
    Contribution "contribution" Higher Currency;
    ContributionMargin "contribution_margin" Higher Fraction;
    Returns "returns" Lower Orders;
    ReturnRate "return_rate" Lower Fraction;
    Complaints "complaints" Lower Orders;
    ComplaintRate "complaint_rate" Lower Fraction;
    OnTimeRate "on_time_rate" Higher Fraction;
    MeanDelayDays "mean_delay_days" Lower Days;
    P95DelayDays "p95_delay_days" Lower Days;
    LostParcels "lost_parcels" Lower Orders;
    StockoutDays "stockout_days" Lower Days;
    CappedDays "capped_days" Lower Days;
    LateDispatches "late_dispatches" Lower Orders;
    // Less is better: capital still tied up in stock at the end.
    ClosingStockValue "closing_stock_value" Lower Currency;
    CampaignsMissed "campaigns_missed" Lower Events;
    WorkingCapitalNeeded "working_capital_needed" Lower Currency;
    BreakEvenDay "break_even_day" Lower Day;
    ProbationEndDay "probation_end_day" Lower Day;
    // Later is better; never (undefined) is best: the product stayed listed.
    DelistedDay "delisted_day" Higher Day;
    Roi "roi" Higher Fraction;
    CapitalShortfall "capital_shortfall" Lower Indicator;
}

/// Number of metrics.
pub const METRIC_COUNT: usize = Metric::ALL.len();

impl Metric {
    /// The metric of a name in files.
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.iter().copied().find(|m| m.name() == name)
    }

    /// Whether a trial may leave this output undefined (`NaN`): a ratio with nothing to
    /// divide by, or a day that never comes. Every other output is always a finite number.
    pub fn may_be_undefined(self) -> bool {
        matches!(
            self,
            Metric::FillRate
                | Metric::Margin
                | Metric::ProfitPerOrder
                | Metric::ContributionMargin
                | Metric::ReturnRate
                | Metric::ComplaintRate
                | Metric::OnTimeRate
                | Metric::MeanDelayDays
                | Metric::P95DelayDays
                | Metric::BreakEvenDay
                | Metric::ProbationEndDay
                | Metric::DelistedDay
                | Metric::Roi
        )
    }
}
