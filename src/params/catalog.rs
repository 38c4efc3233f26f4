//! The parameter catalog: every key the model reads, with its unit, valid range, global
//! default and the source of that default. Market, category, model and loop layers
//! (`layers.rs`) refine the defaults; this table is the single list of what exists.
//!
//! Money defaults are in USD ([`super::fx::DEFAULTS_CURRENCY`]); a study in another
//! currency converts them at its exchange rate (`fx.THB = 36.5`). A `source` begins with `DOMAIN` (a
//! row of the project's sourced figures), `MODEL.md`, `cited:` (a page outside DOMAIN,
//! named with its date and confidence) or `assumption`. A `source` beginning with
//! "assumption" has no sourced figure behind it: such defaults ship as ranges where the
//! uncertainty matters, and users should replace them with their own numbers.

/// One catalog entry.
#[derive(Debug)]
pub struct ParamSpec {
    /// The parameter.
    pub id: P,
    /// Its key in files (`section.name`).
    pub key: &'static str,
    /// Its unit.
    pub unit: &'static str,
    /// Smallest valid value (inclusive).
    pub min: f64,
    /// Largest valid value (inclusive).
    pub max: f64,
    /// Sampled values are rounded to whole numbers (days, counts, switches).
    pub integer: bool,
    /// Global default, written as in a scenario file.
    pub default: &'static str,
    /// Where the default comes from (a DOMAIN row or an assumption).
    pub source: &'static str,
    /// What it means, in one sentence.
    pub description: &'static str,
}

// Upper bounds of sanity, not economic claims: they stop typing mistakes (an extra zero
// run, `1e308`) from overflowing to infinity and silently dropping a variant from the
// verdict. Wide enough for currencies with large units (VND, IDR).
/// Money per unit, order, return, complaint, live or refresh.
const MONEY_PER_UNIT: f64 = 1e9;
/// Money per day.
const MONEY_PER_DAY: f64 = 1e10;
/// Capital.
const CAPITAL: f64 = 1e15;
/// Orders per day (or per live).
const ORDERS_PER_DAY: f64 = 1e6;
/// Days (ten years, the longest horizon).
const DAYS: f64 = 3650.0;
/// Units of stock.
const UNITS: f64 = 1e9;
/// GMV per currency of ads.
const ROAS: f64 = 1000.0;

macro_rules! catalog {
    ($( $id:ident $key:literal [$unit:literal, $min:expr, $max:expr, $int:literal] = $default:literal,
        $source:literal, $desc:literal; )*) => {
        /// A parameter, by position in the catalog (cheap to index per trial).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(usize)]
        pub enum P { $(#[doc = $desc] $id),* }

        /// Every parameter, in `P` order.
        pub const SPECS: &[ParamSpec] = &[ $( ParamSpec {
            id: P::$id, key: $key, unit: $unit, min: $min, max: $max, integer: $int,
            default: $default, source: $source, description: $desc,
        } ),* ];
    };
}

catalog! {
    // --- price ---------------------------------------------------------------------
    RetailPrice "price.retail" ["currency/unit", 0.01, MONEY_PER_UNIT, false] = "20",
        "assumption: typical TikTok Shop beauty price point; refined per category",
        "Retail price the buyer pays (self-operated; the platform sets it when fully managed)";
    ReferencePrice "price.reference" ["currency/unit", 0.01, MONEY_PER_UNIT, false] = "20",
        "assumption: equal to the retail price, so the price factor is 1",
        "Market reference price the demand rates are calibrated at (price factor = (retail/reference)^-elasticity)";
    SupplyMarkup "price.supply_markup" ["× full cost", 0.0, 100.0, false] = "1.1..1.4",
        "assumption: DOMAIN December 2026 review: the supplier quotes over its full cost to the platform's China warehouse (goods, packaging, domestic inbound); no markup figure is published (L-M); 10-40%",
        "Fully managed: the opening supply price (what the platform pays per unit sold) as a multiple of the full cost delivered to the platform's warehouse (unit cost + packaging + inbound per unit)";
    SupplyCutEveryDays "price.supply_cut_every_days" ["days", 0.0, DAYS, true] = "45",
        "DOMAIN 2026 update: on Temu prices are revisited about every 45 days, most changes forced (L-M)",
        "Fully managed: days between the platform's supply-price revisions (0 = never revised)";
    SupplyCut "price.supply_cut" ["fraction per revision", 0.0, 1.0, false] = "uniform(0, 0.05)",
        "assumption: the size of a forced cut is not in the sources (DOMAIN 2026 update: cuts are frequent and mostly forced); from none to 5% per revision",
        "Fully managed: share the supply price is cut at each revision (a cut below the full cost is declined: the product is delisted)";
    TariffPassback "price.tariff_passback_share" ["fraction of the duty", 0.0, 1.0, false] = "uniform(0, 0.5)",
        "assumption: DOMAIN December 2026 review: the platform imports, pays the duty and passes tariff costs back through supply-price pressure; the share is not published (from none to half, flat: no value is more likely)",
        "Fully managed: share of the platform's new import duty it takes off the supply price: the duty above the base and origin parts (`tax.duty_surcharge_rate`, or a tariff event's rate above them), since the base and origin duties (MFN, Section 301 since 2019) are already in the negotiated price";
    // --- costs ---------------------------------------------------------------------
    UnitCost "costs.unit_cost" ["currency/unit", 0.0, MONEY_PER_UNIT, false] = "5",
        "assumption: landed goods cost about a quarter of retail for beauty",
        "Cost of goods per unit (bought from the factory)";
    Packaging "costs.packaging" ["currency/order", 0.0, MONEY_PER_UNIT, false] = "0.4",
        "assumption",
        "Packaging and labelling per order shipped";
    UnitWeightKg "costs.unit_weight_kg" ["kg/unit", 0.0, 1000.0, false] = "0.1..0.5",
        "assumption: a small-parcel item; refined per category",
        "Shipping weight of one unit, packed (prices bulk inbound freight by the kg)";
    UnitVolumeCuft "costs.unit_volume_cuft" ["cubic feet/unit", 0.0, 1000.0, false] = "0.02..0.2",
        "assumption: a small packed item; refined per category",
        "Packed volume of one unit (prices storage charged by volume)";
    // --- fees ----------------------------------------------------------------------
    CommissionRate "fees.commission_rate" ["fraction of GMV", 0.0, 1.0, false] = "0.06",
        "fallback where no dated row of data/fees.toml applies: the US referral fee, 6% since 2024-04 (DOMAIN Platform fees, H)",
        "Platform commission (referral fee) on GMV after the seller's coupons, self-operated";
    PaymentRate "fees.payment_rate" ["fraction of GMV", 0.0, 1.0, false] = "0",
        "DOMAIN Platform fees: US referral fee covers all platform fees (H)",
        "Payment/transaction fee on GMV after the seller's coupons, self-operated";
    FeePerOrder "fees.per_order" ["currency/order", 0.0, MONEY_PER_UNIT, false] = "0",
        "DOMAIN Platform fees: no per-order fee in the US (H)",
        "Fixed platform fee per delivered order, self-operated: not charged on a lost or refused parcel, not refunded on a return";
    GrowthFeeRate "fees.growth_fee_rate" ["fraction of the item price", 0.0, 1.0, false] = "0",
        "DOMAIN Platform fees: no growth fee where no dated row of data/fees.toml sets one (Thailand's commerce growth fee, H)",
        "Self-operated: a fee per item on the price (after the seller's coupons) of delivered orders (Thailand's commerce growth fee), capped per item at `fees.growth_fee_cap`, never refunded on a return";
    GrowthFeeCap "fees.growth_fee_cap" ["currency/unit", 0.0, MONEY_PER_UNIT, false] = "0",
        "DOMAIN Platform fees: 0 = no cap where no dated row of data/fees.toml sets one",
        "Self-operated: the most the growth fee takes from one item (0: no cap)";
    FeeRefundOnReturn "fees.refund_on_return" ["fraction", 0.0, 1.0, false] = "0.8",
        "DOMAIN Platform fees: US refund admin fee keeps 20% of the referral fee (H)",
        "Share of an order's platform fees refunded when it is returned";
    // --- tax -----------------------------------------------------------------------
    DutyBaseRate "tax.duty_base_rate" ["fraction of the valued amount", 0.0, 10.0, false] = "0",
        "assumption: no base duty unless a dated row of data/duties.toml applies to the market, tariff line and date",
        "Import duty, base part: the market's general rate for the product's tariff line (US: the MFN rate; Thailand: the low-value import duty), on the route's valuation basis (the price paid for a direct parcel, the factory value of stock imported in bulk); none when fully managed (the platform imports). The duty is the sum of the base, origin and surcharge parts";
    DutyOriginRate "tax.duty_origin_rate" ["fraction of the valued amount", 0.0, 10.0, false] = "0",
        "assumption: no origin duty unless a dated row of data/duties.toml applies to the market, tariff line, origin and date",
        "Import duty, origin part: duties on goods of the product's origin only, on top of the base rate (US: Section 301 on goods made in China, by tariff line), on the same basis";
    DutySurchargeRate "tax.duty_surcharge_rate" ["fraction of the valued amount", 0.0, 10.0, false] = "0",
        "assumption: no surcharge unless a dated row of data/duties.toml applies to the market and date",
        "Import duty, surcharge part: a temporary duty on imports of every origin, on top of the base and origin parts (US: the Section 122 surcharge, 2026-02-24 to 2026-07-24), on the same basis";
    EntryFeePerParcel "tax.entry_fee_per_parcel" ["currency/parcel", 0.0, MONEY_PER_UNIT, false] = "0",
        "assumption: none unless a dated row of data/duties.toml applies",
        "Customs entry/clearance fee per direct parcel (direct mail and platform shipping)";
    BrokerFeePerEntry "tax.broker_fee_per_entry" ["currency/entry", 0.0, MONEY_PER_UNIT, false] = "0",
        "assumption: none unless a dated row of data/fees.toml applies (US: a customs broker per formal entry)",
        "Customs broker fee per import entry of bulk stock (one entry per batch bought)";
    ProcessingFeeRate "tax.processing_fee_rate" ["fraction of entered value", 0.0, 1.0, false] = "0",
        "assumption: none unless a dated row of data/fees.toml applies (US: merchandise processing fee)",
        "Customs processing fee per entry of bulk stock, as a share of its entered (factory) value, between its minimum and maximum";
    ProcessingFeeMin "tax.processing_fee_min" ["currency/entry", 0.0, MONEY_PER_UNIT, false] = "0",
        "assumption: none unless a dated row of data/fees.toml applies",
        "Smallest customs processing fee of an entry";
    ProcessingFeeMax "tax.processing_fee_max" ["currency/entry", 0.0, MONEY_PER_UNIT, false] = "0",
        "assumption: none unless a dated row of data/fees.toml applies",
        "Largest customs processing fee of an entry (0 = no maximum)";
    HarborFeeRate "tax.harbor_fee_rate" ["fraction of entered value", 0.0, 1.0, false] = "0",
        "assumption: none unless a dated row of data/fees.toml applies (US: harbor maintenance fee)",
        "Port fee on the entered value of stock that arrives by sea (freight = \"sea\")";
    CustomsBondPerYear "tax.customs_bond_per_year" ["currency/year", 0.0, MONEY_PER_DAY, false] = "0",
        "assumption: none unless a dated row of data/fees.toml applies (US: a continuous bond)",
        "Customs bond of an importer of bulk stock, per year (a fixed cost, by the day)";
    VatRate "tax.vat_rate" ["fraction", 0.0, 1.0, false] = "0",
        "assumption: prices carry no VAT/GST unless the market's layer says so",
        "Self-operated: VAT/GST included in the retail price, paid out of GMV (refunded with a return)";
    // --- demand --------------------------------------------------------------------
    OrdersPerAccountDay "demand.orders_per_account_day" ["orders/day", 0.0, ORDERS_PER_DAY, false] = "2..6",
        "assumption: organic orders of one established account",
        "Self-operated: organic orders per content account per day";
    ChannelAccounts "demand.channel_accounts" ["accounts", 0.0, 4.0, true] = "2",
        "MODEL.md: official account plus at most 4 channel accounts",
        "Self-operated: channel accounts opened after the inspection period (0-4)";
    InspectionDays "demand.inspection_days" ["days", 0.0, DAYS, true] = "14",
        "assumption: new-store inspection period",
        "Self-operated: days a new store runs only its official account";
    LivesPerWeek "demand.lives_per_week" ["lives/week", 0.0, 7.0, false] = "3",
        "assumption",
        "Self-operated: live streams per week (a day has a live with probability lives_per_week/7)";
    OrdersPerLive "demand.orders_per_live" ["orders/live", 0.0, ORDERS_PER_DAY, false] = "8..30",
        "DOMAIN Marketing: < 2% of viewers buy (L); viewer counts an assumption",
        "Self-operated: orders a live stream brings";
    ManagedOrdersPerDay "demand.managed_orders_per_day" ["orders/day", 0.0, ORDERS_PER_DAY, false] = "10..40",
        "assumption: platform-driven traffic for one listed SKU family",
        "Fully managed: orders per day the platform's traffic brings to one listing at full ramp-up";
    ManagedListings "demand.managed_listings" ["listings", 1.0, 1000.0, true] = "1",
        "assumption: one product family; a bulk supplier lists many, each drawing the platform's traffic as if alone (no cannibalisation) with the same small team",
        "Fully managed: listings (product families) the supplier supplies; the platform's demand and the stock policy scale with them";
    DailyCv "demand.daily_cv" ["coefficient of variation", 0.0, 5.0, false] = "0.3",
        "assumption: day-to-day over-dispersion (gamma-Poisson)",
        "Day-to-day demand noise beyond Poisson (0 = pure Poisson)";
    RampDays "demand.ramp_days" ["days", 0.0, DAYS, true] = "30",
        "assumption: new listings build up over about a month",
        "Days for demand to ramp linearly from 0 to full";
    PriceElasticity "demand.price_elasticity" ["-", 0.0, 10.0, false] = "1.5",
        "assumption: typical e-commerce own-price elasticity",
        "Own-price elasticity of demand (self-operated price factor)";
    RouteFactor "demand.route_factor" ["factor", 0.0, 1.0, false] = "1",
        "DOMAIN Delay -> behaviour: +1.5% sales per business day faster (H); set per route",
        "Conversion multiplier of the delivery route (slower or untracked delivery sells less)";
    FreshnessHalfLife "demand.freshness_half_life_days" ["days", 0.0, DAYS, false] = "60..180",
        "assumption",
        "Days for an unrefreshed product's demand to halve (0 = no decay)";
    RefreshEveryDays "demand.refresh_every_days" ["days", 0.0, DAYS, true] = "30",
        "assumption",
        "Days between product refreshes that restore freshness (0 = never refresh)";
    ViralRate "demand.viral_rate" ["spikes/day", 0.0, 1.0, false] = "0.01",
        "assumption: about one day in a hundred a post or live goes viral (DOMAIN has no figure)",
        "Probability that a day's demand is hit by a viral spike (0 = never)";
    ViralMedian "demand.viral_median" ["multiplier", 1.0, 100.0, false] = "3",
        "assumption: a viral day sells about three times a usual day, with a heavy tail",
        "Median demand multiplier of a viral day (log-normal)";
    ViralSigma "demand.viral_sigma" ["log-sd", 0.0, 3.0, false] = "0.7",
        "assumption: heavy tail (one spike in twenty is above about 9x at the defaults)",
        "Spread of a viral day's multiplier (sigma of the log-normal)";
    // --- repeat buyers --------------------------------------------------------------
    RepeatShare "repeat.share" ["fraction of buyers", 0.0, 0.99, false] = "0.1..0.3",
        "cited: e-commerce repeat purchase rates 20-30% on own stores (opensend 2025; byradiant; beauty retention 23%, Metrilo via impmarketing) (L); the lower end an assumption for TikTok Shop, where sellers cannot email buyers",
        "Self-operated: share of satisfied buyers who buy again (before they drift away)";
    RepeatMeanDays "repeat.mean_days" ["days", 1.0, DAYS, false] = "60..120",
        "assumption: a replenishment cycle of two to four months",
        "Self-operated: mean days a buyer stays in the base before buying again or leaving";
    RepeatLatePenalty "repeat.late_penalty" ["fraction", 0.0, 1.0, false] = "0.3..0.58",
        "DOMAIN Delay -> behaviour: 58% of US buyers unlikely to reorder after a missed date (M, stated intent, which overstates: lower end an assumption)",
        "Self-operated: share of buyers of a late parcel who will not buy again";
    // --- marketing -----------------------------------------------------------------
    RefreshCost "marketing.refresh_cost" ["currency/refresh", 0.0, MONEY_PER_UNIT, false] = "150",
        "assumption: new photos, samples and listing work",
        "Cost of one product refresh (photos, samples, listing work), every demand.refresh_every_days; fully managed: per listing";
    AdSpendPerDay "marketing.ad_spend_per_day" ["currency/day", 0.0, MONEY_PER_DAY, false] = "50",
        "assumption",
        "Self-operated: ad spend per day";
    Roas "marketing.roas" ["GMV per currency of ads", 0.0, ROAS, false] = "2..5",
        "DOMAIN Marketing: in-app shop ROAS 3.5-5x, platform-reported figures overstate (L)",
        "Self-operated: return on ad spend once positioning is clear";
    PositioningDays "marketing.positioning_days" ["days", 0.0, DAYS, true] = "30",
        "assumption: the account's positioning settles in about a month",
        "Self-operated: days before ads reach full efficiency";
    EarlyAdEfficiency "marketing.early_ad_efficiency" ["fraction", 0.0, 1.0, false] = "0.5",
        "assumption: 'do not advertise before the positioning is clear'",
        "Self-operated: ROAS multiplier before positioning_days";
    AffiliateShare "marketing.affiliate_share" ["fraction of content orders", 0.0, 1.0, false] = "0.3",
        "assumption",
        "Self-operated: share of the orders content brings (not ads, live streams or repeat buyers) that creators sell and are paid commission on";
    AffiliateCommission "marketing.affiliate_commission" ["fraction", 0.0, 1.0, false] = "0.15..0.20",
        "DOMAIN Marketing: creator commission, beauty 15-20% (M-L)",
        "Self-operated: commission paid on affiliate GMV after the seller's coupons, none on refunded orders";
    LiveCost "marketing.live_cost" ["currency/live", 0.0, MONEY_PER_UNIT, false] = "60",
        "assumption: host and crew for one session, in Saudi Arabia only, where no source prices a live (TikTok paused LIVE there from December 2023: equalocean 2024-04-08, M; whether it is back is not in the sources); every other market sets its own (market layer: sourced in the US, SG, MY, VN; as the US or Malaysia elsewhere)",
        "Self-operated: cost of one live stream";
    SamplesPerMonth "marketing.samples_per_month" ["units/month", 0.0, UNITS, false] = "5..20",
        "assumption: DOMAIN December 2026 review: the seller pays the product and shipping of creators' free samples (kid 5694209038927617, H); how many is not in the sources: 5-20 a month",
        "Self-operated: free samples sent to creators a month, each at unit cost and inbound freight plus the route's cost per order";
    ShopPerformanceScore "shop.performance_score" ["score from 0 to 5", 0.0, 5.0, false] = "4",
        "assumption: a shop in good standing (the platform's score weighs six metrics against the category's other shops by a formula it does not publish, so it is an input, not computed)",
        "Self-operated: the shop performance score; a campaign with `min_shop_score` (BFCM 2025: 3.5) turns the shop away below it";
    // --- fixed costs ---------------------------------------------------------------
    StaffCostPerDay "staff.cost_per_day" ["currency/day", 0.0, MONEY_PER_DAY, false] = "60",
        "assumption: one operator; the team location's layer replaces it (a team in China, the default, or in the market: `team`), the model's refines it",
        "Staff cost per day";
    ToolsCostPerDay "tools.cost_per_day" ["currency/day", 0.0, MONEY_PER_DAY, false] = "5",
        "assumption: software subscriptions",
        "Tools and software per day";
    ErpCostPerDay "tools.erp_cost_per_day" ["currency/day", 0.0, MONEY_PER_DAY, false] = "0",
        "assumption; set by the third-party routes",
        "Self-operated: independent store / ERP integration with a third-party carrier or warehouse, per day";
    // --- logistics -----------------------------------------------------------------
    HandlingDays "logistics.handling_days" ["days", 0.0, DAYS, true] = "2",
        "DOMAIN Delivery: dispatch within 2 business days (H)",
        "Days from order to dispatch";
    TransitMedianDays "logistics.transit_median_days" ["days", 0.0, DAYS, false] = "4",
        "assumption; set per route",
        "Median transit time (log-normal)";
    TransitSigma "logistics.transit_sigma" ["log-sd", 0.0, 3.0, false] = "0.35",
        "assumption; set per route",
        "Spread of transit time (sigma of the log-normal)";
    PromiseDays "logistics.promise_days" ["days", 0.0, DAYS, true] = "8",
        "DOMAIN Delivery: deliver within 6 business days standard (H), about 8 calendar days",
        "Promised delivery days; later deliveries are late";
    LateDispatchRate "logistics.late_dispatch_rate" ["fraction of orders", 0.0, 1.0, false] = "0",
        "assumption: a shop that dispatches within the deadline; the routes dispatched by the seller set an assumed range",
        "Self-operated, seller-dispatched routes: share of orders dispatched after the deadline (feeds the order caps of data/penalties.toml)";
    MaxDelayDays "logistics.max_delay_days" ["days", 1.0, 365.0, true] = "40",
        "DOMAIN Delivery: postal 15-40 days (L-M)",
        "Longest delivery delay modelled; longer delays are counted at this value";
    LostRate "logistics.lost_rate" ["fraction of orders", 0.0, 1.0, false] = "0.0006",
        "DOMAIN Delivery: 0.06% lost confirmed (M); set per route",
        "Share of parcels lost (refunded and written off)";
    CostPerOrder "logistics.cost_per_order" ["currency/order", 0.0, MONEY_PER_UNIT, false] = "4..6",
        "DOMAIN 2026 update: direct mail freight $4-6 (L-M); set per route",
        "Self-operated: outbound fulfilment and shipping per order on the route (carrier parcel, 3PL pick/pack/ship, platform label or FBT fee)";
    // --- returns -------------------------------------------------------------------
    ReturnBaseRate "returns.base_rate" ["fraction of orders", 0.0, 1.0, false] = "0.05..0.12",
        "DOMAIN Returns: beauty 5-12% (L-M); set per category",
        "Return probability of an on-time order";
    ReturnLoopFactor "returns.loop_factor" ["factor", 0.0, 10.0, false] = "1",
        "assumption; set per route",
        "Multiplier of the base return rate for the loop type";
    CodShare "returns.cod_share" ["fraction of orders", 0.0, 1.0, false] = "0",
        "DOMAIN December 2026 review (correction: cash on delivery): COD is about 70-80% of orders in TH (10100.com; chinatinyfinds; L-M); none elsewhere; set per market",
        "Self-operated: share of orders paid cash on delivery (only these can be refused at the door)";
    CodRefusalRate "returns.cod_refusal_rate" ["fraction of COD orders", 0.0, 1.0, false] = "0",
        "DOMAIN December 2026 review (correction: cash on delivery): refusals 18-25% of COD orders, not of all orders (TH, VN, PH; 10100.com; chinatinyfinds; L-M); none elsewhere; set per market",
        "Self-operated: share of cash-on-delivery orders refused at the door: no payment, counted as returns (the seller pays the return leg; the unit is written off, never resold)";
    ReturnLatePerDay "returns.late_per_day" ["fraction per late day", 0.0, 1.0, false] = "0.005..0.03",
        "DOMAIN Delay -> behaviour: promise gap raises returns (M-H); size an assumption",
        "Extra return probability per day late";
    ReturnShippingCost "returns.shipping_cost" ["currency/return", 0.0, MONEY_PER_UNIT, false] = "3..8",
        "DOMAIN Returns: free US return label; ~17% of prime cost (M)",
        "Cost per return: return shipping (self-operated) or the return service fee (fully managed)";
    ChangeOfMindShippingShare "returns.change_of_mind_shipping_share" ["fraction", 0.0, 1.0, false] = "1",
        "assumption: the seller pays every return label where no platform rule splits it; set per market (data/market_rules.toml)",
        "Self-operated: the seller's share of the return label of a change-of-mind return (the returns of an on-time parcel); late returns are the seller's fault and it pays the whole label";
    TopShopShippingShare "returns.top_shop_shipping_share" ["fraction", 0.0, 1.0, false] = "1",
        "assumption: no subsidy of return labels where no platform rule gives one; set per market (data/market_rules.toml)",
        "Self-operated: the seller's share of a change-of-mind return label when its shop performance score is at least `returns.top_shop_min_score` (a subsidy: never more than `returns.change_of_mind_shipping_share`)";
    TopShopMinScore "returns.top_shop_min_score" ["score from 0 to 5", 0.0, 5.0, false] = "5",
        "assumption: no subsidy where no platform rule gives one (with the default share of 1 it changes nothing); set per market (data/market_rules.toml)",
        "Self-operated: the shop performance score (`shop.performance_score`) from which the seller pays `returns.top_shop_shipping_share` of a change-of-mind return label";
    RefundWithoutReturnMaxPrice "returns.refund_without_return_max_price" ["currency/unit", 0.0, MONEY_PER_UNIT, false] = "0",
        "assumption: no platform-mandated refunds without return where no rule says so; set per market (data/market_rules.toml)",
        "Self-operated: at or under this price a return is refunded without sending the item back: no return label, nothing back on the shelf";
    RefundWithoutReturnShare "returns.refund_without_return_share" ["fraction", 0.0, 1.0, false] = "1",
        "assumption: the seller pays the whole refund where no rule says so; set per market (data/market_rules.toml)",
        "Self-operated: the seller's share of a change-of-mind refund without return (the platform pays the rest); late ones it pays in full";
    ResellableFraction "returns.resellable_fraction" ["fraction", 0.0, 1.0, false] = "0.4",
        "DOMAIN Returns: < 50% resold at full price (L)",
        "Share of returned units that go back to stock";
    ReturnLiability "returns.liability" ["fraction", 0.0, 1.0, false] = "uniform(0.3, 1)",
        "DOMAIN December 2026 review: the split of customer returns by cause is not published; about 0.3-1.0 of the supply price (vh455 repost; L): flat over it, the whole price being the most it can be",
        "Fully managed: share of a returned unit's supply price charged to the merchant";
    // --- complaints ----------------------------------------------------------------
    ComplaintBaseRate "complaints.base_rate" ["fraction of orders", 0.0, 1.0, false] = "0.02",
        "assumption",
        "Complaint probability of an on-time tracked order";
    UntrackedComplaintRate "complaints.untracked_rate" ["fraction of orders", 0.0, 1.0, false] = "0",
        "assumption; set by the routes without platform tracking",
        "Extra complaint probability without real-time tracking (direct mail)";
    ComplaintLatePerDay "complaints.late_per_day" ["fraction per late day", 0.0, 1.0, false] = "0.01..0.04",
        "DOMAIN Delay -> behaviour: 58-76% unlikely to reorder after a missed date (M); size an assumption",
        "Extra complaint probability per day late";
    ComplaintCost "complaints.cost" ["currency/complaint", 0.0, MONEY_PER_UNIT, false] = "2",
        "assumption: about 15 minutes of service time",
        "Cost of handling one complaint";
    // --- inventory -----------------------------------------------------------------
    InventoryEnabled "inventory.enabled" ["0/1", 0.0, 1.0, true] = "0",
        "MODEL.md: on by default for fully managed and platform warehouses",
        "Track stock with an (s, S) policy (1) or ship to order (0)";
    InitialStock "inventory.initial" ["units", 0.0, UNITS, true] = "1200",
        "assumption: about a lead time and a half of expected sales at 25 orders a day (air or express; the sea freight layer sets its own)",
        "Units in stock on day 1 (bought on day 1)";
    ReorderPoint "inventory.reorder_point" ["units", 0.0, UNITS, true] = "800",
        "assumption: covers an air or express lead time (5-12 days, up to 25 with delays) at ~25 orders a day plus safety stock (the sea freight layer sets its own)",
        "Reorder when on-hand plus on-order falls to this level (s)";
    OrderUpTo "inventory.order_up_to" ["units", 0.0, UNITS, true] = "1800",
        "assumption: about 40 days of sales above the reorder point",
        "Order up to this level (S)";
    PlacementPerUnit "inventory.placement_per_unit" ["currency/unit", 0.0, MONEY_PER_UNIT, false] = "0",
        "DOMAIN 2026 update: FBT hub placement from $0.31 per unit, none direct to a fulfilment centre (H); set per route",
        "Placement fee per unit sent into the warehouse (FBT inbound via hubs)";
    LeadTimeDays "inventory.lead_time_days" ["days", 0.0, DAYS, false] = "15..35",
        "DOMAIN Delivery: China-origin lines 7-15 d plus inbound processing (L-M)",
        "Typical inbound lead time of a stock order in this trial";
    LeadTimeSigma "inventory.lead_time_sigma" ["log-sd", 0.0, 3.0, false] = "0.2",
        "assumption",
        "Batch-to-batch spread of the lead time around the trial's typical value";
    StorageCostPerUnitDay "inventory.storage_cost_per_unit_day" ["currency/unit/day", 0.0, MONEY_PER_UNIT, false] = "0.01",
        "DOMAIN Fulfilment cost: FBT storage fees after 30 days (H); level an assumption",
        "Warehouse storage per unit on hand per day (added to the storage by volume)";
    StoragePerCuftDay "inventory.storage_per_cuft_day" ["currency/cubic foot/day", 0.0, MONEY_PER_UNIT, false] = "0",
        "assumption: storage charged per unit (inventory.storage_cost_per_unit_day); FBT charges by volume (its rows in data/fees.toml)",
        "Warehouse storage per cubic foot on hand per day (times costs.unit_volume_cuft)";
    FreightPerKg "inventory.freight_per_kg" ["currency/kg", 0.0, MONEY_PER_UNIT, false] = "1..2",
        "DOMAIN December 2026 review: bulk sea freight China -> US about $1-2/kg (M); set by the freight mode",
        "Bulk inbound freight per kg of stock shipped to the market's warehouse (times costs.unit_weight_kg)";
    InboundCostPerUnit "inventory.inbound_cost_per_unit" ["currency/unit", 0.0, MONEY_PER_UNIT, false] = "0",
        "assumption: no inbound charge beyond the freight by weight; set per route (fully managed: the domestic leg to the platform's warehouse)",
        "Inbound costs per unit stocked besides the freight by weight (domestic legs, receiving)";
    DelistedRecovery "inventory.delisted_recovery" ["fraction of landed cost", 0.0, 1.0, false] = "pert(0.1, 0.5, 0.9)",
        "assumption: no TikTok rule for a delisted product's stock was found; it stays the supplier's, in China (consignment, paid on sale: Momentum Works 2023-05, M); liquidators pay about 10-30% of wholesale cost for new overstock (closo 2026, L-M), Chinese surplus lots of new goods 15-20% of the tag price (fumuyu 2025, L-M: near cost at a tag of 2.5-5 times cost), and a supplier's own channels more, after time and selling costs; docs/model.md",
        "Fully managed: what the stock left when the product is delisted can still fetch (taken back and sold elsewhere, net of the costs of doing so), as a share of its landed cost; the rest is written down that day (IAS 2: lower of cost and net realisable value)";
    // --- cash ----------------------------------------------------------------------
    SettlementDays "cash.settlement_days" ["days", 0.0, DAYS, true] = "7",
        "DOMAIN Money timing: US payout 7 days after delivery (H)",
        "Days from delivery to payout";
    ReserveShare "cash.reserve_share" ["fraction of payouts", 0.0, 1.0, false] = "0",
        "DOMAIN Money timing: payouts carry a rolling reserve (H); its share is not in the sources: 0 (set yours)",
        "Self-operated: share of each payout the platform holds back as a rolling reserve";
    ReserveDays "cash.reserve_days" ["days", 0.0, DAYS, true] = "0",
        "DOMAIN Money timing: rolling reserve (H); how long it is held is not in the sources: 0 (set yours)",
        "Self-operated: days the reserve is held after the payout it was taken from";
    ProbationSettlementDays "cash.probation_settlement_days" ["days", 0.0, DAYS, true] = "0",
        "DOMAIN December 2026 review: the 31-day probation settlement is a US rule (its row in data/market_rules.toml), not applied elsewhere",
        "Self-operated: days from delivery to payout while the shop is in probation (never sooner than cash.settlement_days; 0: no later)";
    ProbationMinDays "cash.probation_min_days" ["days", 0.0, DAYS, true] = "60",
        "cited: 4seller.com 'Guidelines for New TikTok Shop Probation Period' 2024-12: graduation after at least 60 days of selling and 300 mature orders (L); 0 = an established shop",
        "Self-operated: a shop leaves probation no sooner than this many days after it starts selling";
    ProbationMinOrders "cash.probation_min_orders" ["orders", 0.0, UNITS, true] = "300",
        "cited: 4seller.com 'Guidelines for New TikTok Shop Probation Period' 2024-12: graduation after at least 60 days of selling and 300 mature orders (L); 0 = an established shop",
        "Self-operated: delivered orders a shop needs before it leaves probation";
    AvailableCapital "cash.available_capital" ["currency", 0.0, CAPITAL, false] = "10000",
        "assumption: a small seller's working capital",
        "Cash the seller can put in; a trial that needs more has a capital shortfall";
}

/// Number of parameters.
pub const COUNT: usize = SPECS.len();

/// Whether a unit is a rate's: a fraction (of GMV, of orders, …), which a spreadsheet may
/// show as a percentage. The catalog marks every rate by a unit beginning `fraction`.
pub fn is_rate_unit(unit: &str) -> bool {
    unit.starts_with("fraction")
}

/// Whether a unit is an amount of money (`currency`, `currency/unit`, `currency/day`, …):
/// what a study in another currency than the defaults' converts ([`super::fx`]). A ratio
/// of two amounts (ROAS: GMV per currency of ads) has no currency and is not one.
pub fn is_money_unit(unit: &str) -> bool {
    unit == "currency" || unit.starts_with("currency/")
}

impl ParamSpec {
    /// A rate: its unit is a fraction (see [`is_rate_unit`]).
    pub fn is_rate(&self) -> bool {
        is_rate_unit(self.unit)
    }

    /// An amount of money: its unit is the currency's (see [`is_money_unit`]).
    pub fn is_money(&self) -> bool {
        is_money_unit(self.unit)
    }
}

impl P {
    /// The parameter's catalog entry.
    pub fn spec(self) -> &'static ParamSpec {
        &SPECS[self as usize]
    }

    /// The parameter's key in files.
    pub fn key(self) -> &'static str {
        self.spec().key
    }

    /// Looks a key up (`demand.daily_cv`).
    pub fn from_key(key: &str) -> Option<P> {
        SPECS.iter().find(|s| s.key == key).map(|s| s.id)
    }
}

/// Keys that existed in earlier versions, with what replaced them: a file that still
/// uses one gets this explanation instead of a bare "unknown parameter".
const REMOVED: &[(&str, &str)] = &[
    ("logistics.tiers", "FBT's rate card has no volume discount (DOMAIN 2026 update, kid 5080349546170155, H): the volume tiers were removed; the route's fee per order is `logistics.cost_per_order` (route `fbt`: $3.58, the lightest single-unit band)"),
    ("logistics.programme_fee_per_day", "FBT has no programme fee (DOMAIN 2026 update, H): the key was removed"),
    ("demand.semi_closed_factor", "renamed `demand.route_factor` (it belongs to the delivery route now)"),
    ("tax.duty_rate", "the import duty is now three parts that add up (DOMAIN December 2026 review: Section 301 duties come on top of the base rate and of any surcharge): `tax.duty_base_rate` (the market's general rate for the tariff line), `tax.duty_origin_rate` (duties on the goods' origin only, such as Section 301 on goods made in China) and `tax.duty_surcharge_rate` (a temporary duty on every origin, such as Section 122); for one total rate, set `tax.duty_base_rate` to it and the other two to 0"),
    ("price.supply", "the fully managed supply price is now cost-plus with revisions (DOMAIN 2026 update, L-M): set `price.supply_markup` (supply price ÷ unit cost; for a quoted price, the quote divided by `costs.unit_cost`), `price.supply_cut_every_days` and `price.supply_cut`"),
];

/// Why a key of an earlier version is not accepted any more, if it is one.
pub fn removed(key: &str) -> Option<&'static str> {
    REMOVED.iter().find(|(k, _)| *k == key).map(|(_, why)| *why)
}

/// All keys, for "did you mean" hints.
pub fn keys() -> impl Iterator<Item = &'static str> {
    SPECS.iter().map(|s| s.key)
}

/// The sections keys are grouped in (`price`, `demand`, ...).
pub fn sections() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for s in SPECS {
        let section = s.key.split_once('.').map_or(s.key, |(a, _)| a);
        if !out.contains(&section) {
            out.push(section);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::dist::Dist;

    #[test]
    fn catalog_is_in_enum_order_with_unique_keys() {
        for (i, s) in SPECS.iter().enumerate() {
            assert_eq!(s.id as usize, i, "{}", s.key);
            assert_eq!(P::from_key(s.key), Some(s.id));
        }
        let mut keys: Vec<_> = keys().collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), COUNT);
    }

    #[test]
    fn every_default_parses_and_fits_its_range() {
        for s in SPECS {
            let d = Dist::parse(s.default).unwrap_or_else(|e| panic!("{}: {e}", s.key));
            let mean = d.mean();
            assert!(mean >= s.min && mean <= s.max, "{} default {mean}", s.key);
            assert!(!s.source.is_empty() && !s.description.is_empty());
        }
    }
}
