//! The columns `fit` reads, by their names in Seller Center's exports (with the spellings
//! regions and versions use), and the kind of export a header belongs to.

/// How a header name is compared: trimmed, lower case, runs of spaces as one (some
/// exports carry trailing spaces: `Affiliate commission `).
pub fn normalise(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A column of an export: the names it goes by, and whether the file is refused without
/// it.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    /// The name in the US export (for messages).
    pub name: &'static str,
    /// Other spellings (lower case, normalised).
    pub aliases: &'static [&'static str],
    /// Refused without it.
    pub required: bool,
}

impl Column {
    const fn required(name: &'static str, aliases: &'static [&'static str]) -> Column {
        Column {
            name,
            aliases,
            required: true,
        }
    }

    const fn optional(name: &'static str, aliases: &'static [&'static str]) -> Column {
        Column {
            name,
            aliases,
            required: false,
        }
    }

    /// Its index in a header, if the header has it.
    pub fn find(&self, header: &[String]) -> Option<usize> {
        let own = normalise(self.name);
        header.iter().position(|h| {
            let h = normalise(h);
            h == own || self.aliases.contains(&h.as_str())
        })
    }
}

/// The order export's columns `fit` reads, in the order of [`ORDER_COLUMNS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum OrderCol {
    /// Order ID.
    OrderId,
    /// Order Status.
    Status,
    /// Cancelation/Return Type (one l, as the export spells it).
    CancelReturnType,
    /// Quantity.
    Quantity,
    /// Sku Quantity of return.
    ReturnQuantity,
    /// SKU Unit Original Price.
    UnitOriginalPrice,
    /// SKU Subtotal Before Discount.
    SubtotalBefore,
    /// SKU Platform Discount.
    PlatformDiscount,
    /// SKU Seller Discount.
    SellerDiscount,
    /// SKU Subtotal After Discount.
    SubtotalAfter,
    /// Order Amount (order level: repeated on each line).
    OrderAmount,
    /// Order Refund Amount (order level).
    RefundAmount,
    /// Created Time.
    Created,
    /// Paid Time.
    Paid,
    /// RTS Time.
    Rts,
    /// Shipped Time.
    Shipped,
    /// Delivered Time.
    Delivered,
    /// Cancelled Time.
    Cancelled,
    /// Cancel By.
    CancelBy,
    /// Cancel Reason.
    CancelReason,
    /// Fulfillment Type.
    FulfillmentType,
    /// Delivery Option.
    DeliveryOption,
    /// Shipping Provider Name.
    ShippingProvider,
    /// Country.
    Country,
    /// Creator Handle (newer exports).
    CreatorHandle,
    /// Order Channel (newer exports).
    OrderChannel,
}

/// The columns of [`OrderCol`], in its order. The personal columns (Buyer Username,
/// Recipient, Phone #, the address columns, Buyer Message, Tracking ID…) are not here:
/// they are never read.
pub const ORDER_COLUMNS: [Column; 26] = [
    Column::required("Order ID", &["order id", "orderid"]),
    Column::required("Order Status", &[]),
    Column::optional(
        "Cancelation/Return Type",
        &[
            "cancellation/return type",
            "cancelation / return type",
            "cancellation / return type",
        ],
    ),
    Column::optional("Quantity", &["sku quantity"]),
    Column::optional("Sku Quantity of return", &["sku quantity of return"]),
    Column::optional("SKU Unit Original Price", &[]),
    Column::optional("SKU Subtotal Before Discount", &[]),
    Column::optional("SKU Platform Discount", &[]),
    Column::optional("SKU Seller Discount", &[]),
    Column::optional("SKU Subtotal After Discount", &[]),
    Column::optional("Order Amount", &[]),
    Column::optional("Order Refund Amount", &[]),
    Column::required("Created Time", &["order created time", "create time"]),
    Column::optional("Paid Time", &["payment time"]),
    Column::optional("RTS Time", &["ready to ship time"]),
    Column::required("Shipped Time", &["ship time"]),
    Column::required("Delivered Time", &["delivery time"]),
    Column::optional("Cancelled Time", &["canceled time", "cancel time"]),
    Column::optional("Cancel By", &["cancelled by", "canceled by"]),
    Column::optional(
        "Cancel Reason",
        &["cancellation reason", "cancelation reason"],
    ),
    Column::optional("Fulfillment Type", &["fulfilment type"]),
    Column::optional("Delivery Option", &[]),
    Column::optional("Shipping Provider Name", &["shipping provider"]),
    Column::optional("Country", &[]),
    Column::optional("Creator Handle", &["creator username"]),
    Column::optional("Order Channel", &[]),
];

/// Where a file's header has each of `columns`, and which optional ones it lacks.
pub struct Located {
    /// The index of each column in the header, in the order of `columns`.
    pub at: Vec<Option<usize>>,
    /// The names of the optional columns the header lacks.
    pub missing: Vec<&'static str>,
}

/// Finds `columns` in `header`; refuses (exit 2, naming the header's line) a header
/// without a required one: the file is not `what` ("an order export from Seller Center
/// (Orders › Export)").
pub fn locate(
    columns: &[Column],
    header: &[String],
    origin: &str,
    header_line: usize,
    what: &str,
) -> Result<Located, crate::error::InputError> {
    use crate::error::{InputError, Kind, Problem};
    let at: Vec<Option<usize>> = columns.iter().map(|c| c.find(header)).collect();
    let lacking = |required: bool| {
        columns
            .iter()
            .zip(&at)
            .filter(move |(c, at)| c.required == required && at.is_none())
            .map(|(c, _)| c.name)
    };
    let missing_required: Vec<String> = lacking(true).map(|n| format!("`{n}`")).collect();
    if !missing_required.is_empty() {
        return Err(InputError::one(
            Problem::new(
                Kind::Missing,
                origin,
                format!(
                    "this is not {what}: it has no column {} (its header has {} columns, starting `{}`)",
                    missing_required.join(", "),
                    header.len(),
                    header.iter().take(4).cloned().collect::<Vec<_>>().join("`, `")
                ),
            )
            .at_line(header_line),
        ));
    }
    Ok(Located {
        missing: lacking(false).collect(),
        at,
    })
}

/// A cell that cannot be read: the file, line and column, and why.
pub fn cell_problem(
    origin: &str,
    line: usize,
    column: &Column,
    why: &str,
) -> crate::error::Problem {
    crate::error::Problem::new(
        crate::error::Kind::WrongType,
        origin,
        format!("column `{}`: {why}", column.name),
    )
    .at_line(line)
    .with_key(column.name)
}

/// Names that mark an export of another kind, for "this is not an order export".
pub fn other_kind(header: &[String]) -> Option<&'static str> {
    let has = |name: &str| header.iter().any(|h| normalise(h) == name);
    if has("return order id") {
        Some("a returns export: give it with --returns")
    } else if has("statement date") || has("order/adjustment id") || has("total settlement amount")
    {
        Some("a settlement statement: give it with --settlement")
    } else if has("key") && has("value") && has("source") {
        Some("a shopsim parameter CSV: give it to `run --params`")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn columns_are_found_by_any_spelling() {
        let h = header(&["Order ID", "Cancellation/Return Type ", "  Created   Time"]);
        assert_eq!(
            ORDER_COLUMNS[OrderCol::CancelReturnType as usize].find(&h),
            Some(1)
        );
        assert_eq!(ORDER_COLUMNS[OrderCol::Created as usize].find(&h), Some(2));
        let one_l = header(&["Cancelation/Return Type"]);
        assert_eq!(
            ORDER_COLUMNS[OrderCol::CancelReturnType as usize].find(&one_l),
            Some(0)
        );
        assert_eq!(ORDER_COLUMNS[OrderCol::Shipped as usize].find(&h), None);
    }

    #[test]
    fn the_enum_and_the_table_agree() {
        assert_eq!(
            ORDER_COLUMNS[OrderCol::OrderChannel as usize].name,
            "Order Channel"
        );
        assert_eq!(
            ORDER_COLUMNS[OrderCol::Cancelled as usize].name,
            "Cancelled Time"
        );
    }

    #[test]
    fn other_exports_are_named() {
        assert!(other_kind(&header(&["Return Order ID", "Order ID"]))
            .unwrap()
            .contains("--returns"));
        assert!(other_kind(&header(&["Statement date", "Type"]))
            .unwrap()
            .contains("--settlement"));
        assert!(other_kind(&header(&["Order ID", "Order Status"])).is_none());
    }
}
