//! The order export ("All orders") read into one [`Order`] per order: the lines of an
//! order are merged (units and SKU amounts summed, order-level amounts taken once), the
//! platform's description row under the header skipped, and the file's day/month order
//! decided from all its dates before any timestamp is used.

use std::collections::HashMap;

use super::cells::{self, DateEvidence, DateOrder, RawStamp, Stamp};
use super::columns::{other_kind, OrderCol, ORDER_COLUMNS};
use super::table::{Row, Table};
use crate::error::{InputError, Kind, Problem};

/// Who cancelled an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CancelBy {
    /// The buyer.
    Buyer,
    /// The seller.
    Seller,
    /// The platform or its systems (payment timeout, failed checks, lost parcels).
    System,
}

/// What became of an order, as far as the export knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing went back: not cancelled, returned or refunded (yet).
    Kept,
    /// Cancelled (before or after shipping; a lost parcel is [`Order::lost`] too).
    Cancelled(CancelBy),
    /// Returned for a refund.
    Returned,
    /// Refunded without a return.
    RefundOnly,
}

/// One order, with only what `fit` needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Order {
    /// Order ID (joins the returns export and the settlement statement).
    pub id: String,
    /// Created Time.
    pub created: Stamp,
    /// Paid Time (Created Time when the export has none).
    pub paid: Stamp,
    /// Shipped Time (RTS Time when only that is given).
    pub shipped: Option<Stamp>,
    /// Delivered Time.
    pub delivered: Option<Stamp>,
    /// Cancelled Time.
    pub cancelled: Option<Stamp>,
    /// What became of it.
    pub outcome: Outcome,
    /// Cancelled because the parcel was lost (Cancel Reason names a loss).
    pub lost: bool,
    /// Index into [`Orders::routes`].
    pub route: usize,
    /// Units over its lines.
    pub units: u32,
    /// SKU lines.
    pub lines: u32,
    /// Σ SKU Subtotal Before Discount (or unit price × quantity).
    pub list_value: f64,
    /// Σ SKU Seller Discount.
    pub seller_discount: f64,
    /// Σ SKU Platform Discount.
    pub platform_discount: f64,
    /// Credited to a creator (Creator Handle set, or Order Channel names an affiliate).
    pub creator: bool,
}

/// An order export, read.
#[derive(Clone, Debug)]
pub struct Orders {
    /// The file.
    pub origin: String,
    /// Its orders, in the file's order.
    pub orders: Vec<Order>,
    /// SKU lines read (rows, without the header and the description row).
    pub lines: usize,
    /// The delivery routes as the export names them: `Fulfillment Type · Delivery Option ·
    /// Shipping Provider Name`.
    pub routes: Vec<String>,
    /// The day/month order of its dates.
    pub date_order: DateOrder,
    /// The currency its money cells carry, if they carry one.
    pub currency: Option<String>,
    /// The country column's value, if the export has one.
    pub country: Option<String>,
    /// Columns that are optional and missing (for the estimates they leave out).
    pub missing: Vec<&'static str>,
    /// Whether the description row was skipped.
    pub skipped_description: bool,
    /// Lines of unpaid orders, left out.
    pub unpaid_lines: usize,
}

/// What is read from a line before the file's date order is known.
struct Pending {
    stamps: [Option<RawStamp>; 6],
    line: usize,
    order: Order,
}

const STAMP_COLUMNS: [OrderCol; 6] = [
    OrderCol::Created,
    OrderCol::Paid,
    OrderCol::Rts,
    OrderCol::Shipped,
    OrderCol::Delivered,
    OrderCol::Cancelled,
];

/// Problems reported before stopping: enough to see a pattern, not a wall of text.
const MAX_PROBLEMS: usize = 12;

/// Reads an order export (CSV or XLSX). `date_order` is `--date-format`, if given.
pub fn read_orders(
    path: &std::path::Path,
    date_order: Option<DateOrder>,
) -> Result<Orders, InputError> {
    let table = Table::open(path, &["OrderSKUList", "Orders", "Order"])?;
    let origin = table.origin().to_string();
    let header = table.header().to_vec();
    if let Some(kind) = other_kind(&header) {
        return Err(InputError::one(
            Problem::new(
                Kind::WrongType,
                &origin,
                format!("this is not an order export but {kind}"),
            )
            .at_line(table.header_line()),
        ));
    }
    let super::columns::Located { at, missing } = super::columns::locate(
        &ORDER_COLUMNS,
        &header,
        &origin,
        table.header_line(),
        "an order export from Seller Center (Orders › Export)",
    )?;
    let mut reader = LineReader {
        origin: origin.clone(),
        pending: Vec::new(),
        by_id: HashMap::new(),
        routes: Vec::new(),
        route_ids: HashMap::new(),
        evidence: DateEvidence::default(),
        currencies: HashMap::new(),
        countries: HashMap::new(),
        problems: Vec::new(),
        lines: 0,
        first_row: true,
        skipped_description: false,
        unpaid_lines: 0,
    };
    table.rows(&at, |row| {
        reader.line(row);
        Ok(reader.problems.len() < MAX_PROBLEMS)
    })?;
    if let Some(error) = InputError::from_problems(std::mem::take(&mut reader.problems)) {
        return Err(error);
    }
    reader.finish(date_order, missing)
}

struct LineReader {
    origin: String,
    pending: Vec<Pending>,
    by_id: HashMap<String, usize>,
    routes: Vec<String>,
    route_ids: HashMap<String, usize>,
    evidence: DateEvidence,
    /// Currency → the first line it appears on.
    currencies: HashMap<String, usize>,
    countries: HashMap<String, usize>,
    problems: Vec<Problem>,
    lines: usize,
    first_row: bool,
    skipped_description: bool,
    unpaid_lines: usize,
}

impl LineReader {
    fn problem(&mut self, line: usize, column: OrderCol, why: String) {
        self.problems.push(super::columns::cell_problem(
            &self.origin,
            line,
            &ORDER_COLUMNS[column as usize],
            &why,
        ));
    }

    fn line(&mut self, row: Row) {
        let cell = |c: OrderCol| row.cells[c as usize].as_str();
        let first_row = std::mem::replace(&mut self.first_row, false);
        let created = cells::parse_stamp(cell(OrderCol::Created));
        // Row 2 of an export describes each field ("Time when the order was created"):
        // recognised by a Created Time that is not a time, on the first row only.
        if first_row && !matches!(created, Ok(Some(_))) {
            self.skipped_description = true;
            return;
        }
        self.lines += 1;
        // Not paid yet: not an order the shop has to fulfil (the platform cancels it if
        // it stays unpaid).
        if cell(OrderCol::Status).eq_ignore_ascii_case("unpaid") {
            self.unpaid_lines += 1;
            return;
        }
        let id = cell(OrderCol::OrderId).to_string();
        if id.is_empty() {
            self.problem(row.line, OrderCol::OrderId, "the order has no ID".into());
            return;
        }
        if id.contains(['E', 'e']) && id.contains('+') {
            self.problem(
                row.line,
                OrderCol::OrderId,
                format!("`{id}` is an ID a spreadsheet turned into a rounded number (Order IDs have 18 digits): export the file again, or format the column as text before saving"),
            );
            return;
        }
        let mut stamps = [None; 6];
        for (slot, column) in stamps.iter_mut().zip(STAMP_COLUMNS) {
            match cells::parse_stamp(cell(column)) {
                Ok(stamp) => {
                    if let Some(s) = stamp {
                        self.evidence.see(s);
                    }
                    *slot = stamp;
                }
                Err(why) => self.problem(row.line, column, why),
            }
        }
        if stamps[0].is_none() && cell(OrderCol::Created).is_empty() {
            self.problem(
                row.line,
                OrderCol::Created,
                "the order has no Created Time".into(),
            );
            return;
        }
        let mut money = |column: OrderCol| -> f64 {
            match cells::parse_money(cell(column)) {
                Ok(Some((value, currency))) => {
                    if let Some(c) = currency {
                        self.currencies
                            .entry(normalise_currency(&c))
                            .or_insert(row.line);
                    }
                    value
                }
                Ok(None) => 0.0,
                Err(why) => {
                    let name = ORDER_COLUMNS[column as usize].name;
                    self.problems.push(
                        Problem::new(
                            Kind::WrongType,
                            &self.origin,
                            format!("column `{name}`: {why}"),
                        )
                        .at_line(row.line)
                        .with_key(name),
                    );
                    0.0
                }
            }
        };
        let unit_price = money(OrderCol::UnitOriginalPrice);
        let before = money(OrderCol::SubtotalBefore);
        let seller_discount = money(OrderCol::SellerDiscount).abs();
        let platform_discount = money(OrderCol::PlatformDiscount).abs();
        for (column, value) in [
            (OrderCol::UnitOriginalPrice, unit_price),
            (OrderCol::SubtotalBefore, before),
        ] {
            if value < 0.0 {
                let name = ORDER_COLUMNS[column as usize].name;
                self.problems.push(
                    Problem::new(
                        Kind::OutOfRange,
                        &self.origin,
                        format!("column `{name}`: a price cannot be negative"),
                    )
                    .at_line(row.line)
                    .with_key(name),
                );
            }
        }
        let quantity = match cells::parse_count(cell(OrderCol::Quantity)) {
            Ok(q) => q.unwrap_or(1).max(1),
            Err(why) => {
                self.problem(row.line, OrderCol::Quantity, why);
                1
            }
        };
        let returned_units = cells::parse_count(cell(OrderCol::ReturnQuantity))
            .ok()
            .flatten()
            .unwrap_or(0);
        let list_value = if before > 0.0 {
            before
        } else {
            unit_price * f64::from(quantity)
        };
        if let Some(&at) = self.by_id.get(&id) {
            if self.pending[at].stamps[0] != stamps[0] {
                let first = self.pending[at].line;
                self.problem(
                    row.line,
                    OrderCol::OrderId,
                    format!("order `{id}` is also on line {first} with another Created Time: two orders share one ID (two exports joined, or IDs rounded by a spreadsheet)"),
                );
                return;
            }
            let order = &mut self.pending[at].order;
            order.units += quantity;
            order.lines += 1;
            order.list_value += list_value;
            order.seller_discount += seller_discount;
            order.platform_discount += platform_discount;
            if returned_units > 0 && order.outcome == Outcome::Kept {
                order.outcome = Outcome::Returned;
            }
            return;
        }
        let country = cell(OrderCol::Country);
        if !country.is_empty() {
            self.countries
                .entry(country.to_string())
                .or_insert(row.line);
        }
        let route_name = [
            OrderCol::FulfillmentType,
            OrderCol::DeliveryOption,
            OrderCol::ShippingProvider,
        ]
        .map(cell)
        .iter()
        .filter(|c| !c.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" · ");
        let route_name = if route_name.is_empty() {
            "(route not given)".to_string()
        } else {
            route_name
        };
        let next_route = self.routes.len();
        let route = *self
            .route_ids
            .entry(route_name.clone())
            .or_insert(next_route);
        if route == next_route {
            self.routes.push(route_name);
        }
        let kind = cell(OrderCol::CancelReturnType).to_lowercase();
        let status = cell(OrderCol::Status).to_lowercase();
        let reason = cell(OrderCol::CancelReason).to_lowercase();
        let cancelled_status = status.starts_with("cancel") || kind.contains("cancel");
        let lost = reason.contains("lost");
        let outcome = if kind.contains("return") || returned_units > 0 {
            Outcome::Returned
        } else if kind.contains("refund") {
            Outcome::RefundOnly
        } else if cancelled_status || stamps[5].is_some() {
            let by = cell(OrderCol::CancelBy).to_lowercase();
            Outcome::Cancelled(if by.contains("buyer") || by.contains("customer") {
                CancelBy::Buyer
            } else if by.contains("seller") {
                CancelBy::Seller
            } else {
                CancelBy::System
            })
        } else {
            Outcome::Kept
        };
        let creator = !cell(OrderCol::CreatorHandle).is_empty()
            || cell(OrderCol::OrderChannel)
                .to_lowercase()
                .contains("affiliate");
        self.by_id.insert(id.clone(), self.pending.len());
        self.pending.push(Pending {
            stamps,
            line: row.line,
            order: Order {
                id,
                created: 0,
                paid: 0,
                shipped: None,
                delivered: None,
                cancelled: None,
                outcome,
                lost: lost && matches!(outcome, Outcome::Cancelled(_)),
                route,
                units: quantity,
                lines: 1,
                list_value,
                seller_discount,
                platform_discount,
                creator,
            },
        });
    }

    fn finish(
        self,
        given: Option<DateOrder>,
        missing: Vec<&'static str>,
    ) -> Result<Orders, InputError> {
        let origin = self.origin;
        if self.pending.is_empty() {
            return Err(InputError::one(Problem::new(
                Kind::Missing,
                &origin,
                "the export has no orders (only a header); export a period with orders",
            )));
        }
        let date_order = self.evidence.decide(given).map_err(|why| {
            InputError::one(
                Problem::new(
                    Kind::WrongType,
                    &origin,
                    format!("cannot read its dates: {why}"),
                )
                .with_key("Created Time"),
            )
        })?;
        let mixed = |what: &str, seen: &HashMap<String, usize>| -> Option<InputError> {
            if seen.len() < 2 {
                return None;
            }
            let mut firsts: Vec<(&String, &usize)> = seen.iter().collect();
            firsts.sort_by_key(|(_, line)| **line);
            Some(InputError::one(Problem::new(
                Kind::Conflict,
                &origin,
                format!(
                    "it mixes {what}: {} (first on line {}) and {} (line {}); one shop is fitted in one {what_one}: export each shop or market on its own",
                    firsts[0].0, firsts[0].1, firsts[1].0, firsts[1].1,
                    what_one = if what == "currencies" { "currency" } else { "market" }
                ),
            )))
        };
        if let Some(e) = mixed("currencies", &self.currencies) {
            return Err(e);
        }
        if let Some(e) = mixed("markets", &self.countries) {
            return Err(e);
        }
        let mut problems = Vec::new();
        let mut orders = Vec::with_capacity(self.pending.len());
        for Pending {
            stamps,
            line,
            mut order,
        } in self.pending
        {
            let resolved = stamps.map(|s| s.map(|s| s.resolve(date_order)));
            if let Some(at) = resolved.iter().position(|s| matches!(s, Some(None))) {
                problems.push(
                    Problem::new(
                        Kind::WrongType,
                        &origin,
                        format!(
                            "column `{}`: its date is not a day of the calendar when read {}",
                            ORDER_COLUMNS[STAMP_COLUMNS[at] as usize].name,
                            date_order.name()
                        ),
                    )
                    .at_line(line)
                    .with_key(ORDER_COLUMNS[STAMP_COLUMNS[at] as usize].name),
                );
                if problems.len() >= MAX_PROBLEMS {
                    break;
                }
                continue;
            }
            let [created, paid, rts, shipped, delivered, cancelled] = resolved.map(Option::flatten);
            order.created = created.expect("checked on reading");
            order.paid = paid.unwrap_or(order.created);
            order.shipped = shipped.or(rts);
            order.delivered = delivered;
            order.cancelled = cancelled;
            orders.push(order);
        }
        if let Some(e) = InputError::from_problems(problems) {
            return Err(e);
        }
        Ok(Orders {
            origin,
            orders,
            lines: self.lines,
            routes: self.routes,
            date_order,
            currency: self.currencies.into_keys().next(),
            country: self.countries.into_keys().next(),
            missing,
            skipped_description: self.skipped_description,
            unpaid_lines: self.unpaid_lines,
        })
    }
}

/// `$` and `USD` are one currency; other signs are kept as written.
fn normalise_currency(written: &str) -> String {
    match written {
        "$" | "US$" | "USD" => "USD".to_string(),
        "€" | "EUR" => "EUR".to_string(),
        "£" | "GBP" => "GBP".to_string(),
        "₫" | "VND" | "Đ" => "VND".to_string(),
        "฿" | "THB" => "THB".to_string(),
        "₱" | "PHP" => "PHP".to_string(),
        "RM" | "MYR" => "MYR".to_string(),
        "S$" | "SGD" => "SGD".to_string(),
        other => other.to_string(),
    }
}
