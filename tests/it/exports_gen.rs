//! Synthetic TikTok Shop Seller Center exports written from KNOWN shop parameters, so
//! that tests can check that `shopsim fit` recovers them.
//!
//! One seeded simulation ([`simulate`]) draws a shop's whole history (orders, lines,
//! cancellations, shipping, delivery, returns, settlement); every export is rendered from
//! it, so the orders, returns and settlement files of one seed agree with each other. The
//! files follow `shared/SELLER_EXPORTS.md`: the real column names (spelling included) and
//! the quirks of the real files ([`Quirks`], all on by default, as in a US export).
//!
//! Self-contained (std, rand, rand_distr, rand_xoshiro, csv, zip and nothing of shopsim):
//! an example program includes this file with `#[path = "../tests/it/exports_gen.rs"]`.
//!
//! Times are local wall-clock times with no time zone, kept as whole seconds since
//! 1970-01-01 00:00 ([`Stamp`]): the exports show whole seconds, so the numbers a reader
//! recovers from the files are exactly the ones drawn here.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::f64::consts::{PI, SQRT_2};
use std::io::{Cursor, Write};

use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Gamma, Poisson, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

// ---------------------------------------------------------------------------------------
// The truth
// ---------------------------------------------------------------------------------------

/// A calendar date: (year, month 1-12, day 1-31).
pub type Date = (i32, u32, u32);

/// A local wall-clock time: whole seconds since 1970-01-01 00:00:00 (no time zone).
pub type Stamp = i64;

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;

/// `Fulfillment Type` of a parcel the seller ships.
pub const FULFILLMENT_BY_SELLER: &str = "Fulfillment by seller";
/// `Fulfillment Type` of a parcel TikTok ships from its warehouse (FBT): charged the FBT fee.
pub const FULFILLMENT_BY_TIKTOK: &str = "Fulfillment by TikTok Shop";

/// One way a parcel travels (the route columns of the orders export), drawn per order
/// with probability proportional to `weight`.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// `Fulfillment Type`: [`FULFILLMENT_BY_SELLER`] or [`FULFILLMENT_BY_TIKTOK`].
    pub fulfillment_type: String,
    /// `Delivery Option Type`, e.g. "Shipped by seller".
    pub delivery_option_type: String,
    /// `Delivery Option`, e.g. "Standard shipping".
    pub delivery_option: String,
    /// `Shipping Provider Name`, e.g. "USPS".
    pub shipping_provider: String,
    pub weight: f64,
    /// (median days, sigma) of this route's transit time, replacing the shop's
    /// `transit_median_days` / `transit_sigma`.
    pub transit: Option<(f64, f64)>,
}

impl Route {
    /// A route with the shop's transit time.
    pub fn new(
        fulfillment_type: &str,
        delivery_option_type: &str,
        delivery_option: &str,
        shipping_provider: &str,
        weight: f64,
    ) -> Route {
        Route {
            fulfillment_type: fulfillment_type.to_string(),
            delivery_option_type: delivery_option_type.to_string(),
            delivery_option: delivery_option.to_string(),
            shipping_provider: shipping_provider.to_string(),
            weight,
            transit: None,
        }
    }

    /// The same route with its own transit time (median days, log-sigma).
    pub fn with_transit(mut self, median_days: f64, sigma: f64) -> Route {
        self.transit = Some((median_days, sigma));
        self
    }

    /// Whether TikTok fulfils it (the settlement then charges the FBT fulfillment fee).
    pub fn is_fbt(&self) -> bool {
        self.fulfillment_type == FULFILLMENT_BY_TIKTOK
    }
}

/// How money cells are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoneyStyle {
    /// `$1,234.50`: thousands comma, decimal point.
    Us,
    /// `BRL 1.234,50`: thousands point, decimal comma (Brazil, Vietnam, much of Europe).
    CommaDecimal,
}

/// How time cells are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateStyle {
    /// `03/01/2026 01:05:09 PM`: month first, 12-hour clock, zero-padded.
    Us,
    /// `01/03/2026 13:05:09`: day first, 24-hour clock (several SEA exports).
    DayFirst,
}

/// Which header set the orders export has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// The US column list of SELLER_EXPORTS.md, then `Order Channel`, `Creator Handle`.
    Us,
    /// `Province`, `District`, `Commune` in place of `State`, `City`, `Zipcode`, and
    /// `Checked Status`, `Checked Marked by` after `Shipping Information`.
    Vietnam,
}

/// The parameters a shop's exports are drawn from: what `fit` should recover.
#[derive(Clone, Debug, PartialEq)]
pub struct ShopTruth {
    /// The first day of Created Times.
    pub start: Date,
    /// How many days of Created Times the orders export spans.
    pub days: u32,
    /// The export is taken this many hours after midnight at the end of the last day.
    pub export_lag_hours: f64,

    /// Mean orders a day at full ramp, on a weekday of weight 1, outside peaks.
    pub level: f64,
    /// Coefficient of variation of the day's Gamma demand factor (0: pure Poisson).
    pub daily_cv: f64,
    /// Days for demand to ramp up linearly to `level` (0: no ramp).
    pub ramp_days: u32,
    /// Demand multiplier by weekday, Monday first.
    pub weekday: [f64; 7],
    /// A date and its demand multiplier (a sales event).
    pub peaks: Vec<(Date, f64)>,

    /// Probability that an order is cancelled before shipping, by the buyer.
    pub cancel_buyer: f64,
    /// ... by the seller.
    pub cancel_seller: f64,
    /// ... by the system.
    pub cancel_system: f64,

    /// Median hours from Paid to Shipped (log-normal).
    pub handling_median_hours: f64,
    /// Log-sigma of the handling time.
    pub handling_sigma: f64,
    /// Dispatch is late after this many days (see [`ShopTruth::late_dispatch_rate`]).
    pub dispatch_deadline_days: f64,

    /// Probability that a shipped parcel is lost.
    pub lost_rate: f64,
    /// Median days from Shipped to Delivered (log-normal), unless the route overrides it.
    pub transit_median_days: f64,
    /// Log-sigma of the transit time.
    pub transit_sigma: f64,
    /// Days from payment the delivery is promised within.
    pub promise_days: u32,

    /// Return probability of a delivered order that arrived on time.
    pub return_base: f64,
    /// Added return probability per day late.
    pub return_late_per_day: f64,
    /// Share of returns whose reason puts the seller at fault.
    pub return_at_fault_share: f64,
    /// Probability that a delivered order that is not returned is refunded without return.
    pub refund_only: f64,

    /// Mean number of SKU lines beyond the first (Poisson).
    pub extra_lines: f64,
    /// (Seller SKU, unit original price) of the catalogue, picked uniformly per line.
    pub skus: Vec<(String, f64)>,
    /// Fraction of a line's subtotal the seller discounts when it does.
    pub seller_discount: f64,
    /// Probability that a line carries the seller discount.
    pub seller_discount_share: f64,
    /// Probability that a line carries a 5% platform discount.
    pub platform_discount_share: f64,

    /// The routes orders are shipped by.
    pub routes: Vec<Route>,
    /// Probability that an order is attributed to a creator (affiliate).
    pub creator_share: f64,

    /// What money cells start with: "$", or a code and a space such as "BRL ".
    pub currency_symbol: String,
    /// Decimal and thousands separators of money cells.
    pub money_style: MoneyStyle,

    /// Whole days from delivery to the statement date, drawn uniformly (inclusive).
    pub settle_days_range: (u32, u32),
    /// Referral fee as a fraction of net sales (after seller discounts).
    pub referral_rate: f64,
    /// Transaction fee as a fraction of net sales.
    pub transaction_rate: f64,
    /// Affiliate commission as a fraction of net sales, on creator orders.
    pub affiliate_rate: f64,
    /// FBT fulfillment fee per FBT order, in currency units.
    pub fbt_fee: f64,
    /// Return shipping label fee per returned order, in currency units.
    pub return_label: f64,
}

impl Default for ShopTruth {
    fn default() -> Self {
        ShopTruth {
            start: (2026, 3, 1),
            days: 92,
            export_lag_hours: 0.0,
            level: 40.0,
            daily_cv: 0.3,
            ramp_days: 0,
            weekday: [1.0; 7],
            peaks: Vec::new(),
            cancel_buyer: 0.03,
            cancel_seller: 0.005,
            cancel_system: 0.01,
            handling_median_hours: 30.0,
            handling_sigma: 0.5,
            dispatch_deadline_days: 3.0,
            lost_rate: 0.004,
            transit_median_days: 4.0,
            transit_sigma: 0.35,
            promise_days: 8,
            return_base: 0.06,
            return_late_per_day: 0.01,
            return_at_fault_share: 0.3,
            refund_only: 0.01,
            extra_lines: 0.25,
            skus: vec![
                ("SERUM-30".to_string(), 24.0),
                ("CREAM-50".to_string(), 32.0),
                ("MASK-5".to_string(), 12.0),
            ],
            seller_discount: 0.10,
            seller_discount_share: 0.4,
            platform_discount_share: 0.2,
            routes: vec![Route::new(
                FULFILLMENT_BY_SELLER,
                "Shipped by seller",
                "Standard shipping",
                "USPS",
                1.0,
            )],
            creator_share: 0.35,
            currency_symbol: "$".to_string(),
            money_style: MoneyStyle::Us,
            settle_days_range: (7, 15),
            referral_rate: 0.06,
            transaction_rate: 0.0,
            affiliate_rate: 0.15,
            fbt_fee: 3.58,
            return_label: 6.5,
        }
    }
}

impl ShopTruth {
    /// The truth's late-dispatch rate: P(handling > 24 · deadline hours) of the
    /// log-normal handling time, 1 − Φ((ln(24·deadline) − ln(median)) / sigma).
    pub fn late_dispatch_rate(&self) -> f64 {
        let deadline = 24.0 * self.dispatch_deadline_days;
        if self.handling_sigma == 0.0 {
            return if self.handling_median_hours > deadline {
                1.0
            } else {
                0.0
            };
        }
        let z = (deadline.ln() - self.handling_median_hours.ln()) / self.handling_sigma;
        // Φ(−z) rather than 1 − Φ(z): no cancellation in the far tail.
        normal_cdf(-z)
    }

    /// When the export is taken: midnight after the last day plus `export_lag_hours`.
    pub fn export_at(&self) -> Stamp {
        let end = day_start(self.start) + i64::from(self.days) * DAY;
        end + (self.export_lag_hours * HOUR as f64).round() as i64
    }

    /// The date of day `t` (0 = `start`).
    pub fn date(&self, t: u32) -> Date {
        civil_from_days(days_from_civil(self.start) + i64::from(t))
    }

    /// Mean orders on day `t` before the day's Gamma factor:
    /// `level · ramp_t · weekday[t] · peak_t`.
    pub fn lambda(&self, t: u32) -> f64 {
        let ramp = if self.ramp_days == 0 {
            1.0
        } else {
            (f64::from(t + 1) / f64::from(self.ramp_days)).min(1.0)
        };
        let date = self.date(t);
        let weekday = self.weekday[weekday_of(date)];
        let peak: f64 = self
            .peaks
            .iter()
            .filter(|(d, _)| *d == date)
            .map(|(_, m)| m)
            .product();
        self.level * ramp * weekday * peak
    }
}

// ---------------------------------------------------------------------------------------
// The quirks
// ---------------------------------------------------------------------------------------

/// The ways the real files differ from a plain table. `Default` is a real US export:
/// every quirk on.
#[derive(Clone, Debug, PartialEq)]
pub struct Quirks {
    /// A UTF-8 byte order mark starts the CSV files.
    pub bom: bool,
    /// Row 2 (under the header) holds the platform's description of each field.
    pub description_row: bool,
    /// The header set of the orders export.
    pub layout: Layout,
    /// Columns a reader does not know and must ignore, placed after `Taxes` (in the
    /// middle, so a reader must go by name, not by position). Default: none.
    pub extra_unknown_columns: Vec<String>,
    /// Spell the column "Cancellation/Return Type" (an alias) instead of the real
    /// "Cancelation/Return Type". Default: false (the real spelling).
    pub cancellation_alias: bool,
    /// How time cells are written.
    pub date_style: DateStyle,
    /// Money cells carry the currency symbol and thousands separators of the truth's
    /// [`MoneyStyle`]; off: plain `1234.50`.
    pub money_symbols: bool,
    /// Orders newest first (as Seller Center lists them); off: oldest first. The rows of
    /// one order are adjacent either way.
    pub newest_first: bool,
    /// The XLSX sheets declare `<dimension ref="A1:A1"/>` whatever their size.
    pub stale_dimension: bool,
    /// CSV rows end with CRLF (the file was made for Excel); off: LF.
    pub crlf: bool,
    /// Every cell of the orders CSV's data rows ends with a tab (a trick some exports use
    /// so that Excel keeps long IDs as text). Not confirmed for TikTok: default off.
    pub tab_suffix: bool,
    /// XLSX text in a shared-strings table (`t="s"`) instead of inline strings.
    /// Default off (inline strings).
    pub xlsx_shared_strings: bool,
    /// Settlement money as text cells in the XLSX; off: numeric cells.
    pub settlement_text_cells: bool,
}

impl Default for Quirks {
    fn default() -> Self {
        Quirks {
            bom: true,
            description_row: true,
            layout: Layout::Us,
            extra_unknown_columns: Vec::new(),
            cancellation_alias: false,
            date_style: DateStyle::Us,
            money_symbols: true,
            newest_first: true,
            stale_dimension: true,
            crlf: true,
            tab_suffix: false,
            xlsx_shared_strings: false,
            settlement_text_cells: false,
        }
    }
}

impl Quirks {
    /// As plain a file as can be: no BOM, no description row, plain money (`1234.50`),
    /// oldest first, a true sheet dimension, LF (dates stay in the US style).
    pub fn none() -> Quirks {
        Quirks {
            bom: false,
            description_row: false,
            layout: Layout::Us,
            extra_unknown_columns: Vec::new(),
            cancellation_alias: false,
            date_style: DateStyle::Us,
            money_symbols: false,
            newest_first: false,
            stale_dimension: false,
            crlf: false,
            tab_suffix: false,
            xlsx_shared_strings: false,
            settlement_text_cells: false,
        }
    }
}

// ---------------------------------------------------------------------------------------
// The exact strings written
// ---------------------------------------------------------------------------------------

pub const STATUS_UNPAID: &str = "Unpaid";
pub const STATUS_AWAITING_SHIPMENT: &str = "Awaiting shipment";
pub const STATUS_IN_TRANSIT: &str = "In transit";
pub const STATUS_DELIVERED: &str = "Delivered";
pub const STATUS_COMPLETED: &str = "Completed";
pub const STATUS_CANCELED: &str = "Canceled";

/// `Cancelation/Return Type` values (empty for an order with neither).
pub const TYPE_CANCEL: &str = "Cancel";
pub const TYPE_RETURN_REFUND: &str = "Return/Refund";
pub const TYPE_REFUND_ONLY: &str = "Refund only";

pub const CANCEL_BY_BUYER: &str = "Buyer";
pub const CANCEL_BY_SELLER: &str = "Seller";
pub const CANCEL_BY_SYSTEM: &str = "System";

/// Cancel reasons by who cancels (one is drawn uniformly).
pub const BUYER_CANCEL_REASONS: [&str; 3] = [
    "No longer needed",
    "Need to change delivery address",
    "Found a better price",
];
pub const SELLER_CANCEL_REASONS: [&str; 2] = ["Out of stock", "Pricing error"];
pub const SYSTEM_CANCEL_REASONS: [&str; 1] = ["Payment timeout"];
/// The cancel reason of a lost parcel (Cancel By "System").
pub const LOST_REASON: &str = "Package lost";

/// Return reasons that put the seller at fault.
pub const AT_FAULT_REASONS: [&str; 4] = [
    "Damaged product",
    "Wrong item",
    "Not as described",
    "Missing parts",
];
/// Return reasons of a buyer's change of mind.
pub const CHANGE_OF_MIND_REASONS: [&str; 3] =
    ["No longer needed", "Changed my mind", "Ordered by mistake"];

/// `Return Type` and `Return Status` values of the returns export.
pub const RETURN_TYPE: &str = "Return and refund";
pub const RETURN_STATUS_DONE: &str = "Completed";
pub const RETURN_STATUS_OPEN: &str = "Awaiting return";

/// `Order Channel` values.
pub const CHANNEL_AFFILIATE: &str = "Affiliate";
pub const CHANNEL_SHOP: &str = "Shop";

/// Order-level shipping: the buyer pays none of the 5.99 (the platform's discount).
const ORIGINAL_SHIPPING_CENTS: i64 = 599;
const SHIPPING_AFTER_DISCOUNT_CENTS: i64 = 0;
const TAX_RATE: f64 = 0.07;
const PLATFORM_DISCOUNT_RATE: f64 = 0.05;
/// A lost parcel is cancelled this many days after it was shipped.
const LOST_AFTER_DAYS: i64 = 10;
/// A delivered order shows "Completed" once delivered more than this many days ago.
const COMPLETED_AFTER_DAYS: i64 = 15;
/// A return shows "Completed" in the returns export this many days after it was requested.
const RETURN_DONE_AFTER_DAYS: i64 = 5;

// ---------------------------------------------------------------------------------------
// Personal data canaries
// ---------------------------------------------------------------------------------------

/// Every personal text value written contains this (phones and zip codes use the
/// prefixes below instead, as they must look like phones and zip codes).
pub const CANARY: &str = "CANARY";
/// Every `Phone #` is this followed by the order's index.
pub const PHONE_PREFIX: &str = "+1-555-0100-";
/// Every `Zipcode` is this followed by the order's index.
pub const ZIP_PREFIX: &str = "99999-";

/// The substrings of which none may appear in anything `fit` writes.
pub fn canary_prefixes() -> Vec<&'static str> {
    vec![CANARY, PHONE_PREFIX, ZIP_PREFIX]
}

/// The personal columns of the orders export (both layouts) and how a value is tagged.
const PERSONAL_COLUMNS: [(&str, &str); 12] = [
    ("Tracking ID", "TrackingID"),
    ("Buyer Message", "BuyerMessage"),
    ("Buyer Username", "BuyerUsername"),
    ("Recipient", "Recipient"),
    ("Phone #", ""),
    ("Zipcode", ""),
    ("Commune", "Commune"),
    ("Detail Address", "DetailAddress"),
    ("Additional address information", "AdditionalAddress"),
    ("House Name or Number", "HouseName"),
    ("Delivery Instruction", "DeliveryInstruction"),
    ("Shipping Information", "ShippingInformation"),
];

/// The personal value of column `col` for the order of index `i`, if `col` is personal.
fn personal_value(col: &str, i: usize) -> Option<String> {
    match col {
        "Phone #" => Some(format!("{PHONE_PREFIX}{i}")),
        "Zipcode" => Some(format!("{ZIP_PREFIX}{i}")),
        _ => PERSONAL_COLUMNS
            .iter()
            .find(|(c, _)| *c == col)
            .map(|(_, tag)| format!("{CANARY}-{tag}-{i}")),
    }
}

/// Every personal value the shop's exports can hold, exactly: a test asserts that none
/// of them appears in any file `fit` writes.
pub fn personal_markers(shop: &Shop) -> Vec<String> {
    let mut out = Vec::new();
    for o in &shop.orders {
        for (col, _) in PERSONAL_COLUMNS {
            out.extend(personal_value(col, o.index));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// The simulated shop
// ---------------------------------------------------------------------------------------

/// Who cancelled an order before it shipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Canceller {
    Buyer,
    Seller,
    System,
}

/// Where an order stands at the export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Created but paid after the export was taken (only in the last minutes).
    Unpaid,
    /// Cancelled before shipping.
    Cancelled(Canceller),
    /// Paid, not shipped yet.
    AwaitingShipment,
    /// Shipped and lost; cancelled by the system 10 days after shipping.
    Lost,
    /// Shipped and lost, but not cancelled yet: shows as in transit.
    LostInTransit,
    /// Shipped, not delivered yet (censored).
    InTransit,
    /// Delivered (status Delivered or Completed).
    Delivered,
}

/// One SKU line of an order (money in cents).
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Index into the truth's `skus`.
    pub sku: usize,
    pub quantity: u32,
    pub subtotal_before: i64,
    pub seller_discount: i64,
    pub platform_discount: i64,
    pub subtotal_after: i64,
}

/// A return the export shows (requested before the export was taken).
#[derive(Clone, Debug, PartialEq)]
pub struct Return {
    pub id: String,
    pub requested: Stamp,
    pub reason: &'static str,
    pub at_fault: bool,
}

/// One order as drawn, with what its export rows show.
#[derive(Clone, Debug, PartialEq)]
pub struct Order {
    /// Position in creation order (0 = the oldest), also the number in its canaries.
    pub index: usize,
    pub id: String,
    /// Day of its Created Time (0 = `start`).
    pub day: u32,
    pub created: Stamp,
    /// The times the export shows (None: empty cell).
    pub paid: Option<Stamp>,
    pub rts: Option<Stamp>,
    pub shipped: Option<Stamp>,
    pub delivered: Option<Stamp>,
    pub cancelled: Option<Stamp>,
    pub fate: Fate,
    pub status: &'static str,
    pub cancel_by: &'static str,
    pub cancel_reason: &'static str,
    /// Drawn handling hours (Paid → Shipped), whether or not it shipped by the export.
    pub handling_hours: f64,
    /// Drawn transit days (Shipped → Delivered), whether or not it was delivered.
    pub transit_days: f64,
    /// Whole days delivered after the promise (0 unless delivered).
    pub late_days: u32,
    /// The return the export shows.
    pub ret: Option<Return>,
    /// Drawn to be returned, but requested after the export (the export shows none).
    pub return_pending: bool,
    pub refund_only: bool,
    /// Index into the truth's `routes`.
    pub route: usize,
    /// N of "@creator_N" for a creator-attributed order.
    pub creator: Option<u32>,
    pub lines: Vec<Line>,
    /// Statement date in the settlement (delivered orders settled by the export).
    pub statement: Option<Date>,
}

impl Order {
    /// Σ SKU Subtotal After Discount (cents).
    pub fn subtotal_after(&self) -> i64 {
        self.lines.iter().map(|l| l.subtotal_after).sum()
    }

    /// Σ SKU Platform Discount (cents).
    pub fn platform_discount(&self) -> i64 {
        self.lines.iter().map(|l| l.platform_discount).sum()
    }

    /// Order Amount: Σ after-discount subtotals + shipping after discount (cents).
    pub fn order_amount(&self) -> i64 {
        self.subtotal_after() + SHIPPING_AFTER_DISCOUNT_CENTS
    }

    /// Taxes: 7% of Σ after-discount subtotals (cents).
    pub fn taxes(&self) -> i64 {
        round_cents(self.subtotal_after() as f64 * TAX_RATE)
    }

    /// Order Refund Amount: the Order Amount when returned or refunded only, else 0.
    pub fn refund_amount(&self) -> i64 {
        if self.ret.is_some() || self.refund_only {
            self.order_amount()
        } else {
            0
        }
    }

    /// The `Cancelation/Return Type` cell.
    pub fn cancel_return_type(&self) -> &'static str {
        match self.fate {
            Fate::Cancelled(_) | Fate::Lost => TYPE_CANCEL,
            _ if self.ret.is_some() => TYPE_RETURN_REFUND,
            _ if self.refund_only => TYPE_REFUND_ONLY,
            _ => "",
        }
    }

    /// Σ SKU Seller Discount (cents).
    pub fn seller_discount(&self) -> i64 {
        self.lines.iter().map(|l| l.seller_discount).sum()
    }

    /// Settlement Gross sales: Σ subtotals before any discount (cents).
    pub fn gross_sales(&self) -> i64 {
        self.lines.iter().map(|l| l.subtotal_before).sum()
    }

    /// Settlement Net sales: Gross sales less the seller's discounts, i.e. Σ after-discount
    /// subtotals + platform discounts (cents): what the platform's fees are charged on
    /// ("Customer Payment + Platform Discount - Tax", with no shipping paid by the buyer).
    pub fn net_sales(&self) -> i64 {
        self.gross_sales() - self.seller_discount()
    }
}

/// One day of demand as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Day {
    pub date: Date,
    /// λ_t before the day's factor.
    pub lambda: f64,
    /// The day's Gamma factor G_t (1 when `daily_cv` = 0).
    pub factor: f64,
    /// Orders created that day.
    pub orders: u32,
}

/// A shop's whole history, drawn once; each export is rendered from it.
#[derive(Clone, Debug, PartialEq)]
pub struct Shop {
    pub truth: ShopTruth,
    pub seed: u64,
    pub export_at: Stamp,
    pub days: Vec<Day>,
    /// In creation order.
    pub orders: Vec<Order>,
}

/// What was actually drawn, for tests to compare `fit`'s estimates against (counts are
/// orders unless named lines; "shown" means as the export shows it).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Realised {
    /// Orders created per day (cancelled ones included).
    pub orders_per_day: Vec<u32>,
    /// λ_t per day and the Gamma factor G_t drawn for it.
    pub lambda_per_day: Vec<f64>,
    pub factor_per_day: Vec<f64>,
    pub orders: usize,
    /// SKU lines (rows of the orders export, without header or description).
    pub lines: usize,
    pub units: u64,
    pub unpaid: usize,
    pub cancelled_buyer: usize,
    pub cancelled_seller: usize,
    pub cancelled_system: usize,
    pub awaiting_shipment: usize,
    /// Orders with a Shipped Time.
    pub shipped: usize,
    /// Shipped orders whose handling exceeded the dispatch deadline.
    pub late_dispatch: usize,
    /// Lost parcels shown as cancelled ("Package lost").
    pub lost: usize,
    /// Lost parcels not cancelled yet (shown in transit, counted in `in_transit` too).
    pub lost_in_transit: usize,
    /// Orders shown "In transit" (censored).
    pub in_transit: usize,
    /// Orders with a Delivered Time (status Delivered or Completed).
    pub delivered: usize,
    pub completed: usize,
    /// Delivered orders later than the promise (late_days > 0).
    pub delivered_late: usize,
    /// Returns shown (Return/Refund).
    pub returned: usize,
    pub returned_at_fault: usize,
    /// SKU lines of the returns shown (rows of the returns export).
    pub returned_lines: usize,
    /// Returns drawn but requested after the export (not shown).
    pub returns_pending: usize,
    pub refund_only: usize,
    pub creator_orders: usize,
    /// Orders per route (index into the truth's routes).
    pub orders_by_route: Vec<usize>,
    /// Rows of the settlement's Order Details.
    pub settled: usize,
}

/// The counts of a simulated shop.
pub fn realise(shop: &Shop) -> Realised {
    let t = &shop.truth;
    let deadline = 24.0 * t.dispatch_deadline_days;
    let mut r = Realised {
        orders_per_day: shop.days.iter().map(|d| d.orders).collect(),
        lambda_per_day: shop.days.iter().map(|d| d.lambda).collect(),
        factor_per_day: shop.days.iter().map(|d| d.factor).collect(),
        orders: shop.orders.len(),
        orders_by_route: vec![0; t.routes.len()],
        ..Realised::default()
    };
    for o in &shop.orders {
        r.lines += o.lines.len();
        r.units += o.lines.iter().map(|l| u64::from(l.quantity)).sum::<u64>();
        r.orders_by_route[o.route] += 1;
        match o.fate {
            Fate::Unpaid => r.unpaid += 1,
            Fate::Cancelled(Canceller::Buyer) => r.cancelled_buyer += 1,
            Fate::Cancelled(Canceller::Seller) => r.cancelled_seller += 1,
            Fate::Cancelled(Canceller::System) => r.cancelled_system += 1,
            Fate::AwaitingShipment => r.awaiting_shipment += 1,
            Fate::Lost => r.lost += 1,
            Fate::LostInTransit => {
                r.lost_in_transit += 1;
                r.in_transit += 1;
            }
            Fate::InTransit => r.in_transit += 1,
            Fate::Delivered => r.delivered += 1,
        }
        if o.shipped.is_some() {
            r.shipped += 1;
            if o.handling_hours > deadline {
                r.late_dispatch += 1;
            }
        }
        if o.status == STATUS_COMPLETED {
            r.completed += 1;
        }
        if o.fate == Fate::Delivered && o.late_days > 0 {
            r.delivered_late += 1;
        }
        if let Some(ret) = &o.ret {
            r.returned += 1;
            r.returned_lines += o.lines.len();
            if ret.at_fault {
                r.returned_at_fault += 1;
            }
        }
        if o.return_pending {
            r.returns_pending += 1;
        }
        if o.refund_only {
            r.refund_only += 1;
        }
        if o.creator.is_some() {
            r.creator_orders += 1;
        }
        if o.statement.is_some() {
            r.settled += 1;
        }
    }
    r
}

/// Draws the shop's whole history from `truth` with `seed`.
///
/// Days are drawn in order; each order draws the same fixed set of numbers whatever
/// becomes of it (then its lines), so changing one rate (say, cancellations) leaves the
/// other draws of every order as they were: common random numbers for comparisons.
pub fn simulate(truth: &ShopTruth, seed: u64) -> Shop {
    assert!(
        truth.export_lag_hours >= 0.0,
        "the export is taken after the last day"
    );
    assert!(!truth.skus.is_empty() && !truth.routes.is_empty());
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let export_at = truth.export_at();
    let mut days = Vec::with_capacity(truth.days as usize);
    let mut orders = Vec::new();
    for t in 0..truth.days {
        let date = truth.date(t);
        let lambda = truth.lambda(t);
        let factor = if truth.daily_cv > 0.0 {
            let cv2 = truth.daily_cv * truth.daily_cv;
            Gamma::new(1.0 / cv2, cv2).unwrap().sample(&mut rng)
        } else {
            1.0
        };
        let n = poisson(&mut rng, lambda * factor) as u32;
        // Created Times uniform within the day, in creation order.
        let midnight = day_start(date);
        let mut created: Vec<Stamp> = (0..n)
            .map(|_| midnight + rng.random_range(0..DAY))
            .collect();
        created.sort_unstable();
        for c in created {
            let index = orders.len();
            orders.push(draw_order(&mut rng, truth, export_at, index, t, c));
        }
        days.push(Day {
            date,
            lambda,
            factor,
            orders: n,
        });
    }
    Shop {
        truth: truth.clone(),
        seed,
        export_at,
        days,
        orders,
    }
}

/// A Poisson count of mean `mean` (0 for a mean of 0, which rand_distr refuses).
fn poisson(rng: &mut Xoshiro256PlusPlus, mean: f64) -> u64 {
    if mean > 0.0 {
        Poisson::new(mean).unwrap().sample(rng) as u64
    } else {
        0
    }
}

/// `median · exp(sigma · z)`, z standard normal: a log-normal with that median.
fn log_normal(rng: &mut Xoshiro256PlusPlus, median: f64, sigma: f64) -> f64 {
    let z: f64 = StandardNormal.sample(rng);
    median * (sigma * z).exp()
}

/// Uniform in [lo, hi).
fn uniform(rng: &mut Xoshiro256PlusPlus, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.random::<f64>()
}

/// Index drawn with probability proportional to its weight.
fn pick_weighted(u: f64, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    for (i, w) in weights.iter().enumerate() {
        acc += w / total;
        if u < acc {
            return i;
        }
    }
    weights.len() - 1
}

/// Index drawn uniformly from `n` with the uniform number `u`.
fn pick_uniform(u: f64, n: usize) -> usize {
    ((u * n as f64) as usize).min(n - 1)
}

/// Cents of an amount in currency units, rounded half away from zero.
fn round_cents(cents: f64) -> i64 {
    cents.round() as i64
}

fn hours(h: f64) -> i64 {
    (h * HOUR as f64).round() as i64
}

fn days_secs(d: f64) -> i64 {
    (d * DAY as f64).round() as i64
}

/// One order: its fixed set of draws, then its lines, then what the export shows.
fn draw_order(
    rng: &mut Xoshiro256PlusPlus,
    truth: &ShopTruth,
    export_at: Stamp,
    index: usize,
    day: u32,
    created: Stamp,
) -> Order {
    // The fixed draws, in a fixed order.
    let paid = created + rng.random_range(0..=600);
    let u_cancel: f64 = rng.random();
    let cancel_after = hours(uniform(rng, 0.1, 24.0));
    let u_cancel_reason: f64 = rng.random();
    let handling_hours = log_normal(rng, truth.handling_median_hours, truth.handling_sigma);
    let rts_before = hours(uniform(rng, 1.0, 6.0));
    let route_weights: Vec<f64> = truth.routes.iter().map(|r| r.weight).collect();
    let route = pick_weighted(rng.random(), &route_weights);
    let (transit_median, transit_sigma) = truth.routes[route]
        .transit
        .unwrap_or((truth.transit_median_days, truth.transit_sigma));
    let transit_days = log_normal(rng, transit_median, transit_sigma);
    let u_lost: f64 = rng.random();
    let u_return: f64 = rng.random();
    let u_fault: f64 = rng.random();
    let u_reason: f64 = rng.random();
    let request_after = days_secs(uniform(rng, 0.5, 10.0));
    let u_refund_only: f64 = rng.random();
    let (lo, hi) = truth.settle_days_range;
    let settle_days = rng.random_range(lo..=hi);
    let u_creator: f64 = rng.random();
    let creator_n = rng.random_range(1..=20u32);
    let creator = (u_creator < truth.creator_share).then_some(creator_n);

    let lines = draw_lines(rng, truth);

    let mut o = Order {
        index,
        id: format!("576{:015}", 100_000_000_000 + index as u64),
        day,
        created,
        paid: None,
        rts: None,
        shipped: None,
        delivered: None,
        cancelled: None,
        fate: Fate::Unpaid,
        status: STATUS_UNPAID,
        cancel_by: "",
        cancel_reason: "",
        handling_hours,
        transit_days,
        late_days: 0,
        ret: None,
        return_pending: false,
        refund_only: false,
        route,
        creator,
        lines,
        statement: None,
    };
    if paid > export_at {
        return o;
    }
    o.paid = Some(paid);

    // Cancellation before shipping (exclusive: buyer, seller, system), unless it would
    // come after the export.
    let (buyer, seller, system) = (truth.cancel_buyer, truth.cancel_seller, truth.cancel_system);
    let canceller = if u_cancel < buyer {
        Some(Canceller::Buyer)
    } else if u_cancel < buyer + seller {
        Some(Canceller::Seller)
    } else if u_cancel < buyer + seller + system {
        Some(Canceller::System)
    } else {
        None
    };
    if let Some(by) = canceller {
        let at = paid + cancel_after;
        if at <= export_at {
            let (name, reasons): (&'static str, &[&'static str]) = match by {
                Canceller::Buyer => (CANCEL_BY_BUYER, &BUYER_CANCEL_REASONS),
                Canceller::Seller => (CANCEL_BY_SELLER, &SELLER_CANCEL_REASONS),
                Canceller::System => (CANCEL_BY_SYSTEM, &SYSTEM_CANCEL_REASONS),
            };
            o.fate = Fate::Cancelled(by);
            o.status = STATUS_CANCELED;
            o.cancelled = Some(at);
            o.cancel_by = name;
            o.cancel_reason = reasons[pick_uniform(u_cancel_reason, reasons.len())];
            return o;
        }
    }

    // Handling.
    let shipped = paid + hours(handling_hours);
    if shipped > export_at {
        o.fate = Fate::AwaitingShipment;
        o.status = STATUS_AWAITING_SHIPMENT;
        return o;
    }
    o.shipped = Some(shipped);
    o.rts = Some((shipped - rts_before).max(paid));

    // Lost parcels: cancelled by the system 10 days after shipping.
    if u_lost < truth.lost_rate {
        let at = shipped + LOST_AFTER_DAYS * DAY;
        if at <= export_at {
            o.fate = Fate::Lost;
            o.status = STATUS_CANCELED;
            o.cancelled = Some(at);
            o.cancel_by = CANCEL_BY_SYSTEM;
            o.cancel_reason = LOST_REASON;
        } else {
            o.fate = Fate::LostInTransit;
            o.status = STATUS_IN_TRANSIT;
        }
        return o;
    }

    // Transit (censored at the export).
    let delivered = shipped + days_secs(transit_days);
    if delivered > export_at {
        o.fate = Fate::InTransit;
        o.status = STATUS_IN_TRANSIT;
        return o;
    }
    o.fate = Fate::Delivered;
    o.delivered = Some(delivered);
    o.status = if delivered < export_at - COMPLETED_AFTER_DAYS * DAY {
        STATUS_COMPLETED
    } else {
        STATUS_DELIVERED
    };
    let whole_days = (delivered - paid + DAY - 1).div_euclid(DAY);
    o.late_days = (whole_days - i64::from(truth.promise_days)).max(0) as u32;

    // Returns, more likely the later the parcel.
    let p_return =
        (truth.return_base + truth.return_late_per_day * f64::from(o.late_days)).min(1.0);
    if u_return < p_return {
        let requested = delivered + request_after;
        if requested <= export_at {
            let at_fault = u_fault < truth.return_at_fault_share;
            let reasons: &[&'static str] = if at_fault {
                &AT_FAULT_REASONS
            } else {
                &CHANGE_OF_MIND_REASONS
            };
            o.ret = Some(Return {
                id: format!("4{:017}", 200_000_000_000 + index as u64),
                requested,
                reason: reasons[pick_uniform(u_reason, reasons.len())],
                at_fault,
            });
        } else {
            o.return_pending = true;
        }
    } else if u_refund_only < truth.refund_only {
        o.refund_only = true;
    }

    // Settlement: a whole number of days after the delivery date, if issued by the export.
    let statement = civil_from_days(delivered.div_euclid(DAY) + i64::from(settle_days));
    if day_start(statement) <= export_at {
        o.statement = Some(statement);
    }
    o
}

/// 1 + Poisson(extra_lines) SKU lines, each of quantity 1 (90%) or 2, a SKU drawn
/// uniformly, and its discounts.
fn draw_lines(rng: &mut Xoshiro256PlusPlus, truth: &ShopTruth) -> Vec<Line> {
    let n = 1 + poisson(rng, truth.extra_lines) as usize;
    (0..n)
        .map(|_| {
            let quantity = if rng.random::<f64>() < 0.9 { 1 } else { 2 };
            let sku = pick_uniform(rng.random(), truth.skus.len());
            let u_seller: f64 = rng.random();
            let u_platform: f64 = rng.random();
            let price = round_cents(truth.skus[sku].1 * 100.0);
            let before = price * i64::from(quantity);
            let seller_discount = if u_seller < truth.seller_discount_share {
                round_cents(before as f64 * truth.seller_discount)
            } else {
                0
            };
            let platform_discount = if u_platform < truth.platform_discount_share {
                round_cents(before as f64 * PLATFORM_DISCOUNT_RATE)
            } else {
                0
            };
            Line {
                sku,
                quantity,
                subtotal_before: before,
                seller_discount,
                platform_discount,
                subtotal_after: before - seller_discount - platform_discount,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Dates, money, the normal CDF
// ---------------------------------------------------------------------------------------

/// Days since 1970-01-01 of a civil date (proleptic Gregorian; H. Hinnant's algorithm).
pub fn days_from_civil((y, m, d): Date) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((yoe + era * 400 + i64::from(m <= 2)) as i32, m, d)
}

/// Midnight at the start of `date`.
pub fn day_start(date: Date) -> Stamp {
    days_from_civil(date) * DAY
}

/// The date a time falls on.
pub fn date_of(t: Stamp) -> Date {
    civil_from_days(t.div_euclid(DAY))
}

/// Weekday of a date, Monday = 0 (1970-01-01 was a Thursday).
pub fn weekday_of(date: Date) -> usize {
    (days_from_civil(date) + 3).rem_euclid(7) as usize
}

/// A time cell: `03/01/2026 01:05:09 PM` (US) or `01/03/2026 13:05:09` (day first).
pub fn fmt_date(t: Stamp, style: DateStyle) -> String {
    let (y, mo, d) = date_of(t);
    let secs = t.rem_euclid(DAY);
    let (h, mi, s) = (secs / HOUR, secs % HOUR / 60, secs % 60);
    match style {
        DateStyle::Us => {
            let h12 = if h % 12 == 0 { 12 } else { h % 12 };
            let ampm = if h < 12 { "AM" } else { "PM" };
            format!("{mo:02}/{d:02}/{y:04} {h12:02}:{mi:02}:{s:02} {ampm}")
        }
        DateStyle::DayFirst => format!("{d:02}/{mo:02}/{y:04} {h:02}:{mi:02}:{s:02}"),
    }
}

/// An optional time cell: empty for a step not reached.
fn fmt_opt_date(t: Option<Stamp>, style: DateStyle) -> String {
    t.map(|t| fmt_date(t, style)).unwrap_or_default()
}

/// A statement date as the settlement writes it: `2026/03/15`.
pub fn fmt_statement_date((y, m, d): Date) -> String {
    format!("{y:04}/{m:02}/{d:02}")
}

/// A money cell of the orders and returns exports: `$1,234.50` or `BRL 1.234,50`
/// (the symbol before any minus sign's digits: `-$3.58`), or plain `1234.50`.
pub fn fmt_money(cents: i64, symbol: &str, style: MoneyStyle, decorated: bool) -> String {
    if !decorated {
        return fmt_plain(cents);
    }
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let (units, frac) = (abs / 100, abs % 100);
    let (thousands, decimal) = match style {
        MoneyStyle::Us => (',', '.'),
        MoneyStyle::CommaDecimal => ('.', ','),
    };
    let digits = units.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(thousands);
        }
        grouped.push(ch);
    }
    format!("{sign}{symbol}{grouped}{decimal}{frac:02}")
}

/// A plain amount with two decimals: `-1.44`, `0.00`, `1234.50` (the settlement's).
pub fn fmt_plain(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// The standard normal CDF Φ(z), to about 1e-14 (std has no erf).
pub fn normal_cdf(z: f64) -> f64 {
    let x = z / SQRT_2;
    if x >= 0.0 {
        1.0 - 0.5 * erfc(x)
    } else {
        0.5 * erfc(-x)
    }
}

/// erfc(x) for x ≥ 0: a series of positive terms below 3, a continued fraction above.
fn erfc(x: f64) -> f64 {
    if x < 3.0 {
        // erf(x) = 2/√π · e^(−x²) · Σ_n (2x²)^n · x / (1·3·…·(2n+1)).
        let (mut term, mut sum, mut n) = (x, x, 0.0);
        while term > sum * 1e-17 {
            n += 1.0;
            term *= 2.0 * x * x / (2.0 * n + 1.0);
            sum += term;
        }
        1.0 - 2.0 / PI.sqrt() * (-x * x).exp() * sum
    } else {
        // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + (2/2)/(x + (3/2)/(x + …)))),
        // evaluated from a deep level back up.
        let mut f = x;
        for k in (1..=60).rev() {
            f = x + (f64::from(k) / 2.0) / f;
        }
        (-x * x).exp() / PI.sqrt() / f
    }
}

// ---------------------------------------------------------------------------------------
// The orders export
// ---------------------------------------------------------------------------------------

/// The US column list of SELLER_EXPORTS.md, in order.
const US_COLUMNS: [&str; 57] = [
    "Order ID",
    "Order Status",
    "Order Substatus",
    "Cancelation/Return Type",
    "Normal or Pre-order",
    "SKU ID",
    "Seller SKU",
    "Product Name",
    "Variation",
    "Quantity",
    "Sku Quantity of return",
    "SKU Unit Original Price",
    "SKU Subtotal Before Discount",
    "SKU Platform Discount",
    "SKU Seller Discount",
    "SKU Subtotal After Discount",
    "Shipping Fee After Discount",
    "Original Shipping Fee",
    "Shipping Fee Seller Discount",
    "Shipping Fee Platform Discount",
    "Payment platform discount",
    "Retail Delivery Fee",
    "Taxes",
    "Order Amount",
    "Order Refund Amount",
    "Created Time",
    "Paid Time",
    "RTS Time",
    "Shipped Time",
    "Delivered Time",
    "Cancelled Time",
    "Cancel By",
    "Cancel Reason",
    "Fulfillment Type",
    "Warehouse Name",
    "Tracking ID",
    "Delivery Option Type",
    "Delivery Option",
    "Shipping Provider Name",
    "Buyer Message",
    "Buyer Username",
    "Recipient",
    "Phone #",
    "Country",
    "State",
    "City",
    "Zipcode",
    "Detail Address",
    "Additional address information",
    "House Name or Number",
    "Delivery Instruction",
    "Payment Method",
    "Weight(kg)",
    "Product Category",
    "Package ID",
    "Seller Note",
    "Shipping Information",
];

const CANCEL_RETURN_TYPE: &str = "Cancelation/Return Type";
const CANCEL_RETURN_TYPE_ALIAS: &str = "Cancellation/Return Type";

/// The header of the orders export under `quirks`.
pub fn order_columns(quirks: &Quirks) -> Vec<String> {
    let mut cols = Vec::new();
    for &c in &US_COLUMNS {
        let c = match (c, quirks.layout) {
            (CANCEL_RETURN_TYPE, _) if quirks.cancellation_alias => CANCEL_RETURN_TYPE_ALIAS,
            ("State", Layout::Vietnam) => "Province",
            ("City", Layout::Vietnam) => "District",
            ("Zipcode", Layout::Vietnam) => "Commune",
            (c, _) => c,
        };
        cols.push(c.to_string());
        if c == "Taxes" {
            cols.extend(quirks.extra_unknown_columns.iter().cloned());
        }
        if c == "Shipping Information" && quirks.layout == Layout::Vietnam {
            cols.push("Checked Status".to_string());
            cols.push("Checked Marked by".to_string());
        }
    }
    cols.push("Order Channel".to_string());
    cols.push("Creator Handle".to_string());
    cols
}

/// Row 2 of the export: the platform's description of a field (never an order's value;
/// the time columns' descriptions are sentences a date parser must not take).
pub fn describe(col: &str) -> String {
    let known = match col {
        "Order ID" => "Platform unique order ID.",
        "Order Status" => "Current status of the order.",
        "Order Substatus" => "Sub-status of the order.",
        CANCEL_RETURN_TYPE | CANCEL_RETURN_TYPE_ALIAS => {
            "Whether the order was canceled, returned or refunded."
        }
        "Normal or Pre-order" => "Normal order or pre-order.",
        "SKU ID" => "Platform unique SKU ID.",
        "Seller SKU" => "SKU code set by the seller.",
        "Product Name" => "Name of the product.",
        "Variation" => "Variation of the SKU.",
        "Quantity" => "Number of items of this SKU in the order.",
        "Sku Quantity of return" => "Number of items of this SKU returned.",
        "SKU Unit Original Price" => "Original price of one item of this SKU.",
        "SKU Subtotal Before Discount" => "Unit original price multiplied by the quantity.",
        "SKU Platform Discount" => "Discount on this SKU funded by the platform.",
        "SKU Seller Discount" => "Discount on this SKU funded by the seller.",
        "SKU Subtotal After Discount" => "SKU subtotal after platform and seller discounts.",
        "Shipping Fee After Discount" => "Shipping fee paid by the buyer.",
        "Original Shipping Fee" => "Shipping fee before discounts.",
        "Shipping Fee Seller Discount" => "Shipping fee discount funded by the seller.",
        "Shipping Fee Platform Discount" => "Shipping fee discount funded by the platform.",
        "Payment platform discount" => "Discount from the payment platform.",
        "Retail Delivery Fee" => "Retail delivery fee charged by some states.",
        "Taxes" => "Taxes paid by the buyer.",
        "Order Amount" => "Total amount paid by the buyer for the order.",
        "Order Refund Amount" => "Total amount refunded to the buyer.",
        "Created Time" => "Time when the order was created",
        "Paid Time" => "Time when the order was paid",
        "RTS Time" => "Time when the order was ready to ship",
        "Shipped Time" => "Time when the order was handed to the carrier",
        "Delivered Time" => "Time when the order was delivered",
        "Cancelled Time" => "Time when the order was canceled",
        "Cancel By" => "Who canceled the order.",
        "Cancel Reason" => "Reason for the cancellation.",
        "Fulfillment Type" => "Who fulfils the order.",
        "Warehouse Name" => "Warehouse the order ships from.",
        "Tracking ID" => "Tracking number of the package.",
        "Delivery Option Type" => "Type of the delivery option.",
        "Delivery Option" => "Delivery option chosen by the buyer.",
        "Shipping Provider Name" => "Carrier of the package.",
        "Buyer Message" => "Message left by the buyer.",
        "Buyer Username" => "Username of the buyer.",
        "Recipient" => "Name of the recipient.",
        "Phone #" => "Phone number of the recipient.",
        "Country" => "Country of the shipping address.",
        "State" => "State of the shipping address.",
        "City" => "City of the shipping address.",
        "Zipcode" => "Zip code of the shipping address.",
        "Province" => "Province of the shipping address.",
        "District" => "District of the shipping address.",
        "Commune" => "Commune of the shipping address.",
        "Detail Address" => "Street address.",
        "Additional address information" => "Apartment, suite, unit.",
        "House Name or Number" => "House name or number.",
        "Delivery Instruction" => "Delivery instructions from the buyer.",
        "Payment Method" => "How the buyer paid.",
        "Weight(kg)" => "Weight of the package in kilograms.",
        "Product Category" => "Category of the product.",
        "Package ID" => "Platform unique package ID.",
        "Seller Note" => "Note added by the seller.",
        "Shipping Information" => "Shipping label information.",
        "Checked Status" => "Whether the order was checked.",
        "Checked Marked by" => "Who marked the order as checked.",
        "Order Channel" => "Channel the order came from.",
        "Creator Handle" => "Creator the order is attributed to.",
        _ => "",
    };
    if known.is_empty() {
        format!("Description of {col}.")
    } else {
        known.to_string()
    }
}

/// The SKU ID of catalogue entry `k`.
fn sku_id(k: usize) -> String {
    format!("1729{:015}", 382_000_000 + k as u64)
}

/// One cell of the orders export: column `col` of line `line` of order `o`.
fn order_cell(col: &str, o: &Order, line: &Line, shop: &Shop, quirks: &Quirks) -> String {
    let t = &shop.truth;
    let money = |c: i64| fmt_money(c, &t.currency_symbol, t.money_style, quirks.money_symbols);
    let date = |s: Option<Stamp>| fmt_opt_date(s, quirks.date_style);
    let route = &t.routes[o.route];
    let (sku, price) = &t.skus[line.sku];
    if let Some(v) = personal_value(col, o.index) {
        // A tracking number exists once the parcel is handed over.
        let shown = col != "Tracking ID" || o.rts.is_some();
        return if shown { v } else { String::new() };
    }
    match col {
        "Order ID" => o.id.clone(),
        "Order Status" | "Order Substatus" => o.status.to_string(),
        CANCEL_RETURN_TYPE | CANCEL_RETURN_TYPE_ALIAS => o.cancel_return_type().to_string(),
        "Normal or Pre-order" => "Normal".to_string(),
        "SKU ID" => sku_id(line.sku),
        "Seller SKU" => sku.clone(),
        "Product Name" => format!("Product {sku}"),
        "Variation" => "Default".to_string(),
        "Quantity" => line.quantity.to_string(),
        "Sku Quantity of return" => if o.ret.is_some() { line.quantity } else { 0 }.to_string(),
        "SKU Unit Original Price" => money(round_cents(price * 100.0)),
        "SKU Subtotal Before Discount" => money(line.subtotal_before),
        "SKU Platform Discount" => money(line.platform_discount),
        "SKU Seller Discount" => money(line.seller_discount),
        "SKU Subtotal After Discount" => money(line.subtotal_after),
        // Order-level amounts: the same on every line of the order, never split.
        "Shipping Fee After Discount" => money(SHIPPING_AFTER_DISCOUNT_CENTS),
        "Original Shipping Fee" => money(ORIGINAL_SHIPPING_CENTS),
        "Shipping Fee Seller Discount" => money(0),
        "Shipping Fee Platform Discount" => {
            money(ORIGINAL_SHIPPING_CENTS - SHIPPING_AFTER_DISCOUNT_CENTS)
        }
        "Payment platform discount" | "Retail Delivery Fee" => money(0),
        "Taxes" => money(o.taxes()),
        "Order Amount" => money(o.order_amount()),
        "Order Refund Amount" => money(o.refund_amount()),
        "Created Time" => date(Some(o.created)),
        "Paid Time" => date(o.paid),
        "RTS Time" => date(o.rts),
        "Shipped Time" => date(o.shipped),
        "Delivered Time" => date(o.delivered),
        "Cancelled Time" => date(o.cancelled),
        "Cancel By" => o.cancel_by.to_string(),
        "Cancel Reason" => o.cancel_reason.to_string(),
        "Fulfillment Type" => route.fulfillment_type.clone(),
        "Warehouse Name" => "Main warehouse".to_string(),
        "Delivery Option Type" => route.delivery_option_type.clone(),
        "Delivery Option" => route.delivery_option.clone(),
        "Shipping Provider Name" => route.shipping_provider.clone(),
        "Country" => match quirks.layout {
            Layout::Us => "United States",
            Layout::Vietnam => "Vietnam",
        }
        .to_string(),
        "State" => "California".to_string(),
        "City" => "Los Angeles".to_string(),
        "Province" => "Ho Chi Minh".to_string(),
        "District" => "District 1".to_string(),
        "Payment Method" => "Credit card".to_string(),
        "Weight(kg)" => "0.2".to_string(),
        "Product Category" => "Beauty & Personal Care".to_string(),
        "Package ID" => {
            if o.rts.is_some() {
                format!("11{:016}", 300_000_000_000 + o.index as u64)
            } else {
                String::new()
            }
        }
        "Seller Note" | "Checked Marked by" => String::new(),
        "Checked Status" => "Unchecked".to_string(),
        "Order Channel" => if o.creator.is_some() {
            CHANNEL_AFFILIATE
        } else {
            CHANNEL_SHOP
        }
        .to_string(),
        "Creator Handle" => o
            .creator
            .map(|n| format!("@creator_{n}"))
            .unwrap_or_default(),
        // A column this generator does not know: an unknown new column of the platform.
        _ => "n/a".to_string(),
    }
}

/// The orders export as a table of text: header, description row (if on), then one row
/// per SKU line, the lines of an order adjacent, orders newest first (if on).
pub fn order_table(shop: &Shop, quirks: &Quirks) -> Vec<Vec<String>> {
    let cols = order_columns(quirks);
    let mut rows = vec![cols.clone()];
    if quirks.description_row {
        rows.push(cols.iter().map(|c| describe(c)).collect());
    }
    let mut orders: Vec<&Order> = shop.orders.iter().collect();
    if quirks.newest_first {
        orders.sort_by_key(|o| std::cmp::Reverse((o.created, o.index)));
    }
    for o in orders {
        for line in &o.lines {
            rows.push(
                cols.iter()
                    .map(|c| order_cell(c, o, line, shop, quirks))
                    .collect(),
            );
        }
    }
    rows
}

/// The orders CSV of a simulated shop.
pub fn render_orders_csv(shop: &Shop, quirks: &Quirks) -> Vec<u8> {
    let mut rows = order_table(shop, quirks);
    if quirks.tab_suffix {
        let first_data = if quirks.description_row { 2 } else { 1 };
        for row in rows.iter_mut().skip(first_data) {
            for cell in row.iter_mut() {
                cell.push('\t');
            }
        }
    }
    write_csv(&rows, quirks.bom, quirks.crlf)
}

/// The orders export as CSV ("All orders" → Export → CSV) and what was drawn.
pub fn orders_csv(truth: &ShopTruth, quirks: &Quirks, seed: u64) -> (Vec<u8>, Realised) {
    let shop = simulate(truth, seed);
    (render_orders_csv(&shop, quirks), realise(&shop))
}

/// The orders XLSX of a simulated shop: one sheet "OrderSKUList", every cell text.
pub fn render_orders_xlsx(shop: &Shop, quirks: &Quirks) -> Vec<u8> {
    let rows: Vec<Vec<Cell>> = order_table(shop, quirks)
        .into_iter()
        .map(|r| r.into_iter().map(Cell::Text).collect())
        .collect();
    write_xlsx(&[("OrderSKUList", rows)], quirks)
}

/// The orders export as XLSX and what was drawn.
pub fn orders_xlsx(truth: &ShopTruth, quirks: &Quirks, seed: u64) -> (Vec<u8>, Realised) {
    let shop = simulate(truth, seed);
    (render_orders_xlsx(&shop, quirks), realise(&shop))
}

// ---------------------------------------------------------------------------------------
// The returns export
// ---------------------------------------------------------------------------------------

/// The columns of the returns and refunds export.
pub const RETURN_COLUMNS: [&str; 10] = [
    "Return Order ID",
    "Order ID",
    "Seller SKU",
    "Product Name",
    "Time Requested",
    "Return Quantity",
    "Return Reason",
    "Return unit price",
    "Return Type",
    "Return Status",
];

/// The returns CSV of a simulated shop: one row per SKU line of each return shown,
/// newest request first (if on); the unit price is what the buyer paid per item.
pub fn render_returns_csv(shop: &Shop, quirks: &Quirks) -> Vec<u8> {
    let t = &shop.truth;
    let mut returns: Vec<(&Order, &Return)> = shop
        .orders
        .iter()
        .filter_map(|o| o.ret.as_ref().map(|r| (o, r)))
        .collect();
    if quirks.newest_first {
        returns.sort_by_key(|(o, r)| std::cmp::Reverse((r.requested, o.index)));
    } else {
        returns.sort_by_key(|(o, r)| (r.requested, o.index));
    }
    let mut rows = vec![RETURN_COLUMNS
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()];
    for (o, r) in returns {
        let status = if r.requested + RETURN_DONE_AFTER_DAYS * DAY <= shop.export_at {
            RETURN_STATUS_DONE
        } else {
            RETURN_STATUS_OPEN
        };
        for line in &o.lines {
            let sku = &t.skus[line.sku].0;
            let unit = round_cents(line.subtotal_after as f64 / f64::from(line.quantity));
            rows.push(vec![
                r.id.clone(),
                o.id.clone(),
                sku.clone(),
                format!("Product {sku}"),
                fmt_date(r.requested, quirks.date_style),
                line.quantity.to_string(),
                r.reason.to_string(),
                fmt_money(
                    unit,
                    &t.currency_symbol,
                    t.money_style,
                    quirks.money_symbols,
                ),
                RETURN_TYPE.to_string(),
                status.to_string(),
            ]);
        }
    }
    write_csv(&rows, quirks.bom, quirks.crlf)
}

/// The returns and refunds export as CSV and what was drawn.
pub fn returns_csv(truth: &ShopTruth, quirks: &Quirks, seed: u64) -> (Vec<u8>, Realised) {
    let shop = simulate(truth, seed);
    (render_returns_csv(&shop, quirks), realise(&shop))
}

// ---------------------------------------------------------------------------------------
// The settlement statement
// ---------------------------------------------------------------------------------------

/// The US columns of the settlement's Order Details sheet.
pub const SETTLEMENT_COLUMNS: [&str; 45] = [
    "Statement date",
    "Type",
    "Order/adjustment ID",
    "Related order ID",
    "Total settlement amount",
    "Net sales",
    "Gross sales",
    "Gross sales refund",
    "Seller discount(+refund)",
    "Shipping",
    "TikTok Shop shipping fee",
    "Fulfilled by TikTok Shop shipping fee",
    "Customer-paid shipping fee(+refund)",
    "TikTok Shop shipping incentive(+refund)",
    "Shipping fee subsidy",
    "Return shipping fee",
    "FBT fulfillment fee",
    "Customer shipping fee offset",
    "Shipping fee discount",
    "Return shipping label fee",
    "FBT fulfillment fee reimbursement",
    "Fees",
    "Transaction fee",
    "Referral fee",
    "Refund administration fee",
    "Affiliate Commission",
    "Affiliate partner commission",
    "Affiliate Shop Ads commission",
    "Affiliate Partner shop ads commission",
    "TikTok Shop Partner commission",
    "Co-funded promotion (seller-funded)",
    "Campaign service fee",
    "Smart Promotion fee",
    "Marketing benefits package fee",
    "Adjustment amount",
    "Logistics reimbursement",
    "GMV deduction for FBT warehouse service fee",
    "TikTok Shop reimbursement",
    "Adjustment reason",
    "Customer payment",
    "Customer refund",
    "Seller co-funded voucher discount(+refund)",
    "Platform discounts(+refund)",
    "Sales tax payment",
    "Sales tax refund",
];

/// The settlement row type of an order.
pub const SETTLEMENT_TYPE_ORDER: &str = "Order";

/// One settled order's amounts (cents; fees negative).
#[derive(Clone, Debug, PartialEq)]
pub struct Settlement {
    pub gross_sales: i64,
    /// Seller discount(+refund): negative, as the statement writes it.
    pub seller_discount: i64,
    pub net_sales: i64,
    pub fbt_fee: i64,
    pub return_label_fee: i64,
    pub shipping: i64,
    pub transaction_fee: i64,
    pub referral_fee: i64,
    pub affiliate_commission: i64,
    pub fees: i64,
    pub total: i64,
    pub customer_payment: i64,
    pub platform_discounts: i64,
    pub sales_tax_payment: i64,
}

/// The settlement of one delivered order. Net sales = Gross sales + Seller discount (no
/// refund column); the fees are rates of the net sales; Shipping = FBT fee + return
/// label fee; Fees = transaction + referral + affiliate; Total = Net sales + Shipping +
/// Fees. Customer payment + Platform discounts + Sales tax payment = Net sales.
pub fn settle(o: &Order, truth: &ShopTruth) -> Settlement {
    let net = o.net_sales();
    let fee = |rate: f64| -round_cents(net as f64 * rate);
    let fbt_fee = if truth.routes[o.route].is_fbt() {
        -round_cents(truth.fbt_fee * 100.0)
    } else {
        0
    };
    let return_label_fee = if o.ret.is_some() {
        -round_cents(truth.return_label * 100.0)
    } else {
        0
    };
    let transaction_fee = fee(truth.transaction_rate);
    let referral_fee = fee(truth.referral_rate);
    let affiliate_commission = if o.creator.is_some() {
        fee(truth.affiliate_rate)
    } else {
        0
    };
    let shipping = fbt_fee + return_label_fee;
    let fees = transaction_fee + referral_fee + affiliate_commission;
    Settlement {
        gross_sales: o.gross_sales(),
        seller_discount: -o.seller_discount(),
        net_sales: net,
        fbt_fee,
        return_label_fee,
        shipping,
        transaction_fee,
        referral_fee,
        affiliate_commission,
        fees,
        total: net + shipping + fees,
        customer_payment: o.order_amount() + o.taxes(),
        platform_discounts: o.platform_discount(),
        sales_tax_payment: -o.taxes(),
    }
}

/// The settled orders, by statement date then order.
fn settled_orders(shop: &Shop) -> Vec<&Order> {
    let mut v: Vec<&Order> = shop
        .orders
        .iter()
        .filter(|o| o.statement.is_some())
        .collect();
    v.sort_by_key(|o| (o.statement, o.index));
    v
}

/// The Order Details rows: (text cells, which cells are money).
fn settlement_rows(shop: &Shop) -> Vec<Vec<(String, bool)>> {
    let t = &shop.truth;
    settled_orders(shop)
        .into_iter()
        .map(|o| {
            let s = settle(o, t);
            SETTLEMENT_COLUMNS
                .iter()
                .map(|&col| {
                    let m = |c: i64| (fmt_plain(c), true);
                    let text = |v: &str| (v.to_string(), false);
                    match col {
                        "Statement date" => text(&fmt_statement_date(o.statement.unwrap())),
                        "Type" => text(SETTLEMENT_TYPE_ORDER),
                        "Order/adjustment ID" | "Related order ID" => text(&o.id),
                        "Total settlement amount" => m(s.total),
                        "Net sales" => m(s.net_sales),
                        "Gross sales" => m(s.gross_sales),
                        "Seller discount(+refund)" => m(s.seller_discount),
                        "Shipping" => m(s.shipping),
                        "FBT fulfillment fee" => m(s.fbt_fee),
                        "Return shipping label fee" => m(s.return_label_fee),
                        "Fees" => m(s.fees),
                        "Transaction fee" => m(s.transaction_fee),
                        "Referral fee" => m(s.referral_fee),
                        "Affiliate Commission" => m(s.affiliate_commission),
                        "Customer payment" => m(s.customer_payment),
                        "Platform discounts(+refund)" => m(s.platform_discounts),
                        "Sales tax payment" => m(s.sales_tax_payment),
                        "Adjustment reason" => text(""),
                        _ => m(0),
                    }
                })
                .collect()
        })
        .collect()
}

/// The settlement's Order Details sheet alone as CSV (plain numbers, two decimals).
pub fn render_settlement_csv(shop: &Shop, quirks: &Quirks) -> Vec<u8> {
    let mut rows = vec![SETTLEMENT_COLUMNS
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()];
    for r in settlement_rows(shop) {
        rows.push(r.into_iter().map(|(v, _)| v).collect());
    }
    write_csv(&rows, false, quirks.crlf)
}

/// The settlement's Order Details as CSV and what was drawn.
pub fn settlement_csv(truth: &ShopTruth, quirks: &Quirks, seed: u64) -> (Vec<u8>, Realised) {
    let shop = simulate(truth, seed);
    (render_settlement_csv(&shop, quirks), realise(&shop))
}

/// The settlement workbook: Order Details, Summary, Reserve Details, Adjustments.
pub fn render_settlement_xlsx(shop: &Shop, quirks: &Quirks) -> Vec<u8> {
    let money = |v: String| {
        if quirks.settlement_text_cells {
            Cell::Text(v)
        } else {
            Cell::Number(v)
        }
    };
    let header = |cols: &[&str]| cols.iter().map(|c| Cell::Text(c.to_string())).collect();
    let mut details: Vec<Vec<Cell>> = vec![header(&SETTLEMENT_COLUMNS)];
    for r in settlement_rows(shop) {
        details.push(
            r.into_iter()
                .map(|(v, is_money)| if is_money { money(v) } else { Cell::Text(v) })
                .collect(),
        );
    }
    // The Summary: the sums of the main columns over the statement's orders.
    let settled: Vec<Settlement> = settled_orders(shop)
        .into_iter()
        .map(|o| settle(o, &shop.truth))
        .collect();
    let sum = |f: fn(&Settlement) -> i64| settled.iter().map(f).sum::<i64>();
    let mut summary: Vec<Vec<Cell>> = vec![header(&["Item", "Amount"])];
    for (name, cents) in [
        ("Total settlement amount", sum(|s| s.total)),
        ("Net sales", sum(|s| s.net_sales)),
        ("Gross sales", sum(|s| s.gross_sales)),
        ("Shipping", sum(|s| s.shipping)),
        ("Fees", sum(|s| s.fees)),
        ("Adjustment amount", 0),
    ] {
        summary.push(vec![Cell::Text(name.to_string()), money(fmt_plain(cents))]);
    }
    let reserve = vec![header(&[
        "Statement date",
        "Reserve ID",
        "Reserve amount",
        "Status",
    ])];
    let adjustments = vec![header(&[
        "Statement date",
        "Adjustment ID",
        "Adjustment type",
        "Adjustment amount",
        "Adjustment reason",
    ])];
    write_xlsx(
        &[
            ("Order Details", details),
            ("Summary", summary),
            ("Reserve Details", reserve),
            ("Adjustments", adjustments),
        ],
        quirks,
    )
}

/// The settlement statement as XLSX and what was drawn.
pub fn settlement_xlsx(truth: &ShopTruth, quirks: &Quirks, seed: u64) -> (Vec<u8>, Realised) {
    let shop = simulate(truth, seed);
    (render_settlement_xlsx(&shop, quirks), realise(&shop))
}

// ---------------------------------------------------------------------------------------
// CSV and XLSX writers
// ---------------------------------------------------------------------------------------

/// Rows as CSV (quoted where needed), with a BOM and CRLF if asked.
fn write_csv(rows: &[Vec<String>], bom: bool, crlf: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let term = if crlf {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut w = csv::WriterBuilder::new().terminator(term).from_writer(out);
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.into_inner().unwrap()
}

/// An XLSX cell: text, or a number written as it is (e.g. `-1.44`).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(String),
}

/// The column letters of a 0-based column index: A, ..., Z, AA, ...
pub fn column_letters(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// `<t>` of a text, keeping leading and trailing spaces.
fn xml_text(s: &str) -> String {
    let space = if s.trim() != s {
        " xml:space=\"preserve\""
    } else {
        ""
    };
    format!("<t{space}>{}</t>", xml_escape(s))
}

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// One worksheet's XML. Empty text cells are left out (as spreadsheet writers do), so a
/// reader must place cells by their `r` reference.
fn sheet_xml(rows: &[Vec<Cell>], stale_dimension: bool, sst: &mut SharedStrings) -> String {
    let width = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let dimension = if stale_dimension || rows.is_empty() {
        "A1:A1".to_string()
    } else {
        format!("A1:{}{}", column_letters(width - 1), rows.len())
    };
    let mut x = format!("{XML_DECL}<worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\">");
    x.push_str(&format!("<dimension ref=\"{dimension}\"/><sheetData>"));
    for (r, row) in rows.iter().enumerate() {
        let rn = r + 1;
        x.push_str(&format!("<row r=\"{rn}\">"));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{rn}", column_letters(c));
            match cell {
                Cell::Text(s) if s.is_empty() => {}
                Cell::Text(s) => match sst {
                    SharedStrings::Off => x.push_str(&format!(
                        "<c r=\"{at}\" t=\"inlineStr\"><is>{}</is></c>",
                        xml_text(s)
                    )),
                    SharedStrings::On(..) => {
                        let i = sst.index(s);
                        x.push_str(&format!("<c r=\"{at}\" t=\"s\"><v>{i}</v></c>"));
                    }
                },
                Cell::Number(v) => x.push_str(&format!("<c r=\"{at}\"><v>{v}</v></c>")),
            }
        }
        x.push_str("</row>");
    }
    x.push_str("</sheetData></worksheet>");
    x
}

/// The shared-strings table, when text goes there.
enum SharedStrings {
    Off,
    On(Vec<String>, BTreeMap<String, usize>),
}

impl SharedStrings {
    fn index(&mut self, s: &str) -> usize {
        match self {
            SharedStrings::Off => unreachable!(),
            SharedStrings::On(list, map) => *map.entry(s.to_string()).or_insert_with(|| {
                list.push(s.to_string());
                list.len() - 1
            }),
        }
    }
}

/// A minimal workbook: the sheets in order, as OOXML parts in a zip. Entries carry a
/// fixed time, so the bytes depend only on the content.
pub fn write_xlsx(sheets: &[(&str, Vec<Vec<Cell>>)], quirks: &Quirks) -> Vec<u8> {
    let mut sst = if quirks.xlsx_shared_strings {
        SharedStrings::On(Vec::new(), BTreeMap::new())
    } else {
        SharedStrings::Off
    };
    let sheet_xmls: Vec<String> = sheets
        .iter()
        .map(|(_, rows)| sheet_xml(rows, quirks.stale_dimension, &mut sst))
        .collect();
    let shared = match &sst {
        SharedStrings::Off => None,
        SharedStrings::On(list, _) => {
            let mut x = format!(
                "{XML_DECL}<sst xmlns=\"{MAIN_NS}\" count=\"{0}\" uniqueCount=\"{0}\">",
                list.len()
            );
            for s in list {
                x.push_str(&format!("<si>{}</si>", xml_text(s)));
            }
            x.push_str("</sst>");
            Some(x)
        }
    };

    let ct_sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
    let mut content_types = format!(
        "{XML_DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    );
    let mut workbook =
        format!("{XML_DECL}<workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><sheets>");
    let mut workbook_rels = format!("{XML_DECL}<Relationships xmlns=\"{PKG_REL_NS}\">");
    for (i, (name, _)) in sheets.iter().enumerate() {
        let n = i + 1;
        content_types.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"{ct_sheet}\"/>"
        ));
        workbook.push_str(&format!(
            "<sheet name=\"{}\" sheetId=\"{n}\" r:id=\"rId{n}\"/>",
            xml_escape(name)
        ));
        workbook_rels.push_str(&format!(
            "<Relationship Id=\"rId{n}\" Type=\"{REL_NS}/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"
        ));
    }
    if shared.is_some() {
        content_types.push_str(
            "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>",
        );
        workbook_rels.push_str(&format!(
            "<Relationship Id=\"rId{}\" Type=\"{REL_NS}/sharedStrings\" Target=\"sharedStrings.xml\"/>",
            sheets.len() + 1
        ));
    }
    content_types.push_str("</Types>");
    workbook.push_str("</sheets></workbook>");
    workbook_rels.push_str("</Relationships>");
    let root_rels = format!(
        "{XML_DECL}<Relationships xmlns=\"{PKG_REL_NS}\">\
         <Relationship Id=\"rId1\" Type=\"{REL_NS}/officeDocument\" Target=\"xl/workbook.xml\"/>\
         </Relationships>"
    );

    let mut parts: Vec<(String, String)> = vec![
        ("[Content_Types].xml".into(), content_types),
        ("_rels/.rels".into(), root_rels),
        ("xl/workbook.xml".into(), workbook),
        ("xl/_rels/workbook.xml.rels".into(), workbook_rels),
    ];
    for (i, x) in sheet_xmls.into_iter().enumerate() {
        parts.push((format!("xl/worksheets/sheet{}.xml", i + 1), x));
    }
    if let Some(x) = shared {
        parts.push(("xl/sharedStrings.xml".into(), x));
    }

    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body) in parts {
        z.start_file(name, options).unwrap();
        z.write_all(body.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

// ---------------------------------------------------------------------------------------
// The generator's own tests
// ---------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};
    use std::io::Read;

    /// The records of a CSV (BOM stripped), header first.
    fn records(bytes: &[u8]) -> Vec<Vec<String>> {
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(bytes)
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    fn col(header: &[String], name: &str) -> usize {
        header.iter().position(|h| h == name).unwrap()
    }

    #[test]
    fn orders_csv_has_the_real_layout_and_agrees_with_what_was_drawn() {
        let truth = ShopTruth::default();
        let (bytes, real) = orders_csv(&truth, &Quirks::default(), 7);
        assert!(bytes.starts_with("\u{feff}Order ID,".as_bytes()));
        let rows = records(&bytes);
        let header = &rows[0];
        assert_eq!(header.len(), US_COLUMNS.len() + 2);
        assert_eq!(&header[..US_COLUMNS.len()], &US_COLUMNS[..]);
        assert_eq!(header[header.len() - 1], "Creator Handle");
        assert!(rows.iter().all(|r| r.len() == header.len()));
        // Row 2 is the description row, not an order.
        assert_eq!(rows[1][0], "Platform unique order ID.");
        assert_eq!(
            rows[1][col(header, "Created Time")],
            "Time when the order was created"
        );
        let data = &rows[2..];
        assert_eq!(data.len(), real.lines);

        let id = col(header, "Order ID");
        let amount = col(header, "Order Amount");
        let created = col(header, "Created Time");
        // Rows of an order are adjacent and its order-level amount repeats on each.
        let mut seen = HashSet::new();
        let mut amounts: HashMap<&str, &str> = HashMap::new();
        let mut prev: Option<&str> = None;
        for r in data {
            if prev != Some(r[id].as_str()) {
                assert!(seen.insert(r[id].as_str()), "order {} split", r[id]);
            }
            prev = Some(&r[id]);
            assert_eq!(*amounts.entry(&r[id]).or_insert(&r[amount]), r[amount]);
            assert!(r[amount].starts_with('$'));
        }
        assert_eq!(seen.len(), real.orders);
        assert_eq!(
            real.orders_per_day.iter().sum::<u32>() as usize,
            real.orders
        );
        // Newest first: Created Times in the file descend (compare as stamps).
        let shop = simulate(&truth, 7);
        let firsts: Vec<&str> = data.iter().map(|r| r[created].as_str()).collect();
        let newest = shop.orders.iter().map(|o| o.created).max().unwrap();
        assert_eq!(firsts[0], fmt_date(newest, DateStyle::Us));
        // Statuses agree with the counts.
        let status = col(header, "Order Status");
        let canceled: HashSet<&str> = data
            .iter()
            .filter(|r| r[status] == STATUS_CANCELED)
            .map(|r| r[id].as_str())
            .collect();
        let c = real.cancelled_buyer + real.cancelled_seller + real.cancelled_system;
        assert_eq!(canceled.len(), c + real.lost);
        // Not one personal value is missing from the markers' list.
        let markers: HashSet<String> = personal_markers(&shop).into_iter().collect();
        let phone = col(header, "Phone #");
        assert!(data.iter().all(|r| markers.contains(&r[phone])));
    }

    #[test]
    fn draws_are_deterministic_and_close_to_the_truth() {
        let truth = ShopTruth::default();
        let q = Quirks::default();
        assert_eq!(orders_csv(&truth, &q, 3).0, orders_csv(&truth, &q, 3).0);
        assert_ne!(orders_csv(&truth, &q, 3).0, orders_csv(&truth, &q, 4).0);
        let real = realise(&simulate(&truth, 3));
        let per_day = real.orders as f64 / f64::from(truth.days);
        assert!(
            (per_day - truth.level).abs() < 4.0,
            "{per_day} orders a day"
        );
        let late = real.late_dispatch as f64 / real.shipped as f64;
        assert!((late - truth.late_dispatch_rate()).abs() < 0.015, "{late}");
        assert!(real.returned > 0 && real.in_transit > 0 && real.completed > 0);
        assert!(real.settled > 0 && real.settled < real.delivered);

        // Ramp, weekday and peak multiply into λ_t.
        let mut shaped = ShopTruth {
            ramp_days: 10,
            ..ShopTruth::default()
        };
        shaped.weekday[0] = 2.0; // 2026-03-02 (t = 1) is a Monday
        shaped.peaks = vec![((2026, 3, 2), 3.0)];
        assert!((shaped.lambda(0) - 4.0).abs() < 1e-12);
        assert!((shaped.lambda(1) - 40.0 * 0.2 * 2.0 * 3.0).abs() < 1e-12);
        assert!((shaped.lambda(20) - 40.0).abs() < 1e-12);
    }

    #[test]
    fn formats_and_normal_cdf() {
        let t = day_start((2026, 3, 1)) + 13 * HOUR + 5 * 60 + 9;
        assert_eq!(fmt_date(t, DateStyle::Us), "03/01/2026 01:05:09 PM");
        assert_eq!(fmt_date(t, DateStyle::DayFirst), "01/03/2026 13:05:09");
        assert_eq!(
            fmt_date(day_start((2026, 3, 1)), DateStyle::Us),
            "03/01/2026 12:00:00 AM"
        );
        assert_eq!(weekday_of((2026, 3, 2)), 0, "2026-03-02 is a Monday");
        assert_eq!(
            civil_from_days(days_from_civil((2028, 2, 29))),
            (2028, 2, 29)
        );
        assert_eq!(fmt_money(123_450, "$", MoneyStyle::Us, true), "$1,234.50");
        assert_eq!(
            fmt_money(3591, "BRL ", MoneyStyle::CommaDecimal, true),
            "BRL 35,91"
        );
        assert_eq!(fmt_money(-358, "$", MoneyStyle::Us, true), "-$3.58");
        assert_eq!(
            fmt_money(123_450_000, "VND ", MoneyStyle::CommaDecimal, true),
            "VND 1.234.500,00"
        );
        assert_eq!(fmt_plain(-144), "-1.44");
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(58), "BG");
        assert!((normal_cdf(1.96) - 0.975_002_104_851_779_5).abs() < 1e-13);
        assert!((normal_cdf(-3.5) / 2.326_290_790_355_250_3e-4 - 1.0).abs() < 1e-10);
        let rate = ShopTruth::default().late_dispatch_rate();
        assert!((rate - normal_cdf(-(72f64 / 30.0).ln() / 0.5)).abs() < 1e-15);
        assert!((rate - 0.04).abs() < 0.001, "{rate}");
    }

    #[test]
    fn xlsx_is_a_zip_with_a_stale_dimension_and_the_header() {
        let (bytes, _) = orders_xlsx(&ShopTruth::default(), &Quirks::default(), 5);
        let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut read = |name: &str| {
            let mut s = String::new();
            z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
            s
        };
        assert!(read("xl/workbook.xml").contains("name=\"OrderSKUList\""));
        read("[Content_Types].xml");
        read("_rels/.rels");
        read("xl/_rels/workbook.xml.rels");
        let sheet = read("xl/worksheets/sheet1.xml");
        assert!(sheet.contains("<dimension ref=\"A1:A1\"/>"));
        assert!(sheet.contains("<c r=\"A1\" t=\"inlineStr\"><is><t>Order ID</t></is></c>"));
        assert!(sheet.contains("<row r=\"100\">"));
    }

    #[test]
    fn returns_and_settlement_agree_with_the_orders() {
        let truth = ShopTruth {
            routes: vec![
                Route::new(
                    FULFILLMENT_BY_SELLER,
                    "Shipped by seller",
                    "Standard shipping",
                    "USPS",
                    1.0,
                ),
                Route::new(
                    FULFILLMENT_BY_TIKTOK,
                    "Shipped via platform",
                    "Standard shipping",
                    "UPS",
                    1.0,
                )
                .with_transit(3.0, 0.3),
            ],
            ..ShopTruth::default()
        };
        let q = Quirks::default();
        let shop = simulate(&truth, 11);
        let real = realise(&shop);
        let returned: HashSet<&str> = shop
            .orders
            .iter()
            .filter(|o| o.ret.is_some())
            .map(|o| o.id.as_str())
            .collect();
        let rows = records(&render_returns_csv(&shop, &q));
        assert_eq!(rows[0], RETURN_COLUMNS);
        assert_eq!(rows.len() - 1, real.returned_lines);
        assert!(rows[1..].iter().all(|r| returned.contains(r[1].as_str())));

        let rows = records(&render_settlement_csv(&shop, &q));
        assert_eq!(rows[0], SETTLEMENT_COLUMNS);
        assert_eq!(rows.len() - 1, real.settled);
        let h = &rows[0];
        let cents = |s: &str| (s.parse::<f64>().unwrap() * 100.0).round() as i64;
        let mut fbt = 0;
        for r in &rows[1..] {
            let total = cents(&r[col(h, "Total settlement amount")]);
            let parts = ["Net sales", "Shipping", "Fees", "Adjustment amount"];
            assert_eq!(
                total,
                parts.iter().map(|p| cents(&r[col(h, p)])).sum::<i64>()
            );
            if r[col(h, "FBT fulfillment fee")] == "-3.58" {
                fbt += 1;
            }
        }
        assert!(fbt > 0 && real.orders_by_route[1] > 0);
        let book = render_settlement_xlsx(&shop, &q);
        let mut z = zip::ZipArchive::new(Cursor::new(book)).unwrap();
        assert!(z.by_name("xl/worksheets/sheet4.xml").is_ok());
    }
}
