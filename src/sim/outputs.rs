//! What one trial produces: every output of MODEL.md plus `capital_shortfall`.

/// Which direction of a metric is better, for "P(A better than B)".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
}

macro_rules! metrics {
    ($( $id:ident $name:literal $better:ident $unit:literal; )*) => {
        /// A trial output, by position.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(usize)]
        pub enum Metric { $($id),* }

        impl Metric {
            pub const ALL: &'static [Metric] = &[$(Metric::$id),*];

            pub fn name(self) -> &'static str {
                match self { $(Metric::$id => $name),* }
            }

            pub fn better(self) -> Better {
                match self { $(Metric::$id => Better::$better),* }
            }

            /// Unit, for documentation and charts ("currency" is the study's currency).
            pub fn unit(self) -> &'static str {
                match self { $(Metric::$id => $unit),* }
            }
        }
    };
}

metrics! {
    Orders "orders" Higher "orders";
    LostSales "lost_sales" Lower "orders";
    FillRate "fill_rate" Higher "fraction";
    Gmv "gmv" Higher "currency";
    NetRevenue "net_revenue" Higher "currency";
    Cogs "cogs" Lower "currency";
    PlatformFees "platform_fees" Lower "currency";
    LogisticsCost "logistics_cost" Lower "currency";
    MarketingCost "marketing_cost" Lower "currency";
    FixedCost "fixed_cost" Lower "currency";
    ReturnsCost "returns_cost" Lower "currency";
    // "Of which" parts for the money breakdown: refunds = gmv − net_revenue,
    // affiliate_cost is inside marketing_cost, storage_cost inside logistics_cost.
    Refunds "refunds" Lower "currency";
    AffiliateCost "affiliate_cost" Lower "currency";
    StorageCost "storage_cost" Lower "currency";
    Profit "profit" Higher "currency";
    Margin "margin" Higher "fraction";
    Returns "returns" Lower "orders";
    ReturnRate "return_rate" Lower "fraction";
    Complaints "complaints" Lower "orders";
    ComplaintRate "complaint_rate" Lower "fraction";
    OnTimeRate "on_time_rate" Higher "fraction";
    MeanDelayDays "mean_delay_days" Lower "days";
    P95DelayDays "p95_delay_days" Lower "days";
    LostParcels "lost_parcels" Lower "orders";
    StockoutDays "stockout_days" Lower "days";
    WorkingCapitalNeeded "working_capital_needed" Lower "currency";
    BreakEvenDay "break_even_day" Lower "day";
    Roi "roi" Higher "fraction";
    CapitalShortfall "capital_shortfall" Lower "0/1";
}

/// Number of metrics.
pub const METRIC_COUNT: usize = Metric::ALL.len();

impl Metric {
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
                | Metric::ReturnRate
                | Metric::ComplaintRate
                | Metric::OnTimeRate
                | Metric::MeanDelayDays
                | Metric::P95DelayDays
                | Metric::BreakEvenDay
                | Metric::Roi
        )
    }
}

/// One trial's outputs, indexed by [`Metric`]. `NaN` marks an undefined value (margin
/// with zero net revenue, break-even day of a trial that never breaks even, ...).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outputs(pub [f64; METRIC_COUNT]);

impl Outputs {
    pub fn get(&self, m: Metric) -> f64 {
        self.0[m as usize]
    }
}

impl Default for Outputs {
    fn default() -> Self {
        Outputs([f64::NAN; METRIC_COUNT])
    }
}

impl std::ops::Index<Metric> for Outputs {
    type Output = f64;
    fn index(&self, m: Metric) -> &f64 {
        &self.0[m as usize]
    }
}

impl std::ops::IndexMut<Metric> for Outputs {
    fn index_mut(&mut self, m: Metric) -> &mut f64 {
        &mut self.0[m as usize]
    }
}
