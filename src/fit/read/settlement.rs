//! The settlement statement (Finance › Statements › Export; its `Order Details` sheet, or
//! that sheet saved as CSV) read into one [`SettlementRow`] per order row: the statement
//! date, the gross sales and the fees `fit` estimates. Rows of other types (adjustments,
//! reimbursements) are counted and left out. Columns are found by name, with the spellings
//! of other regions and older exports (`TikTok Shop commission fee`, `Affiliate commission `
//! with its trailing space, `Order settled time(UTC)`).

use std::collections::HashMap;
use std::path::Path;

use super::cells::{self, DateEvidence, RawStamp};
use super::columns::Column;
use super::returns::{export_of, give_it_as, Export};
use super::table::{Row, Table};
use crate::error::{InputError, Kind, Problem};

/// The statement's columns `fit` reads, in the order of [`SETTLEMENT_COLUMNS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
enum Col {
    Statement,
    Type,
    OrderId,
    RelatedId,
    Gross,
    Referral,
    Transaction,
    Affiliate,
    Fbt,
    ReturnLabel,
    Total,
    SellerDiscount,
}

const fn column(name: &'static str, aliases: &'static [&'static str], required: bool) -> Column {
    Column {
        name,
        aliases,
        required,
    }
}

/// The columns read (every other one, the customer payment included, is not).
const SETTLEMENT_COLUMNS: [Column; 12] = [
    column(
        "Statement date",
        &[
            "order settled time(utc)",
            "order settled time (utc)",
            "order settled time",
            "settled time",
        ],
        true,
    ),
    column("Type", &["transaction type"], false),
    column(
        "Order/adjustment ID",
        &["order / adjustment id", "order id"],
        true,
    ),
    column("Related order ID", &[], false),
    column("Gross sales", &["gross sale"], true),
    column(
        "Referral fee",
        &["tiktok shop commission fee", "commission fee"],
        false,
    ),
    column("Transaction fee", &[], false),
    column("Affiliate Commission", &["affiliate commission fee"], false),
    column("FBT fulfillment fee", &["fbt fulfilment fee"], false),
    column("Return shipping label fee", &["return label fee"], false),
    column("Total settlement amount", &["settlement amount"], false),
    // US statements: Gross sales is before the seller's discounts, written here
    // (Net sales = Gross sales + Gross sales refund + Seller discount(+refund)); the fees
    // are charged after them.
    column(
        "Seller discount(+refund)",
        &[
            "seller discount (+refund)",
            "seller discount",
            "seller discounts",
            "seller discounts(+refund)",
        ],
        false,
    ),
];

/// The fee columns, in the order of [`SettlementRow::fees`].
const FEE_COLUMNS: [Col; 5] = [
    Col::Referral,
    Col::Transaction,
    Col::Affiliate,
    Col::Fbt,
    Col::ReturnLabel,
];

/// One order row of the statement. Fees are magnitudes (the file writes them negative);
/// an empty cell, or a column the file does not have, is 0 (see [`Settlement::missing`]).
#[derive(Clone, Debug, PartialEq)]
pub struct SettlementRow {
    /// The order (Order/adjustment ID, else Related order ID).
    pub order_id: String,
    /// Its line in the file.
    pub line: usize,
    /// Statement date, as days since 1970-01-01.
    pub statement_day: i64,
    /// Gross sales (US: before the seller's discounts).
    pub gross_sales: f64,
    /// Seller discount(+refund), a magnitude: the seller's discounts off the gross sales.
    pub seller_discount: f64,
    /// Referral fee (Brazil: TikTok Shop commission fee).
    pub referral_fee: f64,
    /// Transaction fee.
    pub transaction_fee: f64,
    /// Affiliate Commission.
    pub affiliate_commission: f64,
    /// FBT fulfillment fee.
    pub fbt_fee: f64,
    /// Return shipping label fee.
    pub return_label_fee: f64,
    /// Total settlement amount, signed as written.
    pub total: f64,
}

/// A settlement statement, read.
#[derive(Clone, Debug)]
pub struct Settlement {
    /// The file.
    pub origin: String,
    /// Its order rows, in the file's order.
    pub rows: Vec<SettlementRow>,
    /// Rows of other types (adjustments…): each type as written, and how many, in the
    /// order first seen. Not used.
    pub other_rows: Vec<(String, usize)>,
    /// Rows read (without the header and the description row).
    pub lines: usize,
    /// The currency its money cells carry, if they carry one.
    pub currency: Option<String>,
    /// The step its amounts are written in (0.01 for cents, 1 for whole units): fees are
    /// rounded to it, which the fee rates' intervals allow for.
    pub unit: f64,
    /// Optional columns it does not have (their fees are not estimated).
    pub missing: Vec<&'static str>,
    /// Whether a description row under the header was skipped.
    pub skipped_description: bool,
}

impl Settlement {
    /// Whether the file has the column of this name (as [`Settlement::missing`] names it).
    pub fn has(&self, column: &str) -> bool {
        !self.missing.contains(&column)
    }
}

/// Problems reported before stopping.
const MAX_PROBLEMS: usize = 12;

/// Reads a settlement statement: XLSX (the sheet `Order Details`, else the first) or CSV.
pub fn read_settlement(path: &Path) -> Result<Settlement, InputError> {
    let table = Table::open(path, &["Order Details", "Order details"])?;
    let origin = table.origin().to_string();
    let header = table.header().to_vec();
    match export_of(&header) {
        Some(Export::Settlement) | None => {}
        Some(other) => {
            return Err(InputError::one(
                Problem::new(
                    Kind::WrongType,
                    &origin,
                    give_it_as(other, "a settlement statement"),
                )
                .at_line(table.header_line()),
            ))
        }
    }
    let super::columns::Located { at, missing } = super::columns::locate(
        &SETTLEMENT_COLUMNS,
        &header,
        &origin,
        table.header_line(),
        "a settlement statement from Seller Center (Finance › Statements › Export, sheet Order Details)",
    )?;
    let mut reader = Reader {
        origin: origin.clone(),
        has_type: at[Col::Type as usize].is_some(),
        pending: Vec::new(),
        other_rows: Vec::new(),
        evidence: DateEvidence::default(),
        currencies: HashMap::new(),
        amounts: Vec::new(),
        problems: Vec::new(),
        lines: 0,
        first_row: true,
        skipped_description: false,
    };
    table.rows(&at, |row| {
        reader.line(row);
        Ok(reader.problems.len() < MAX_PROBLEMS)
    })?;
    if let Some(error) = InputError::from_problems(std::mem::take(&mut reader.problems)) {
        return Err(error);
    }
    reader.finish(missing)
}

/// An order row before the file's date order is known (only when its statement dates
/// are `A/B/YYYY`).
struct Pending {
    statement: RawStamp,
    row: SettlementRow,
}

struct Reader {
    origin: String,
    has_type: bool,
    pending: Vec<Pending>,
    other_rows: Vec<(String, usize)>,
    evidence: DateEvidence,
    /// Currency → the first line it appears on.
    currencies: HashMap<String, usize>,
    /// Every amount read that is not 0, for the step they are written in.
    amounts: Vec<f64>,
    problems: Vec<Problem>,
    lines: usize,
    first_row: bool,
    skipped_description: bool,
}

impl Reader {
    fn problem(&mut self, line: usize, column: Col, why: String) {
        self.problems.push(super::columns::cell_problem(
            &self.origin,
            line,
            &SETTLEMENT_COLUMNS[column as usize],
            &why,
        ));
    }

    fn line(&mut self, row: Row) {
        let cell = |c: Col| row.cells[c as usize].as_str();
        let first_row = std::mem::replace(&mut self.first_row, false);
        let statement = statement_date(cell(Col::Statement));
        // A description of each field under the header, as in the order export.
        if first_row && statement.is_err() {
            self.skipped_description = true;
            return;
        }
        self.lines += 1;
        if self.has_type {
            let kind = cell(Col::Type);
            if !(kind.eq_ignore_ascii_case("order") || kind.eq_ignore_ascii_case("orders")) {
                let kind = if kind.is_empty() { "(no type)" } else { kind };
                match self.other_rows.iter_mut().find(|(k, _)| k == kind) {
                    Some((_, n)) => *n += 1,
                    None => self.other_rows.push((kind.to_string(), 1)),
                }
                return;
            }
        }
        let statement = match statement {
            Ok(Some(s)) => s,
            Ok(None) => {
                self.problem(
                    row.line,
                    Col::Statement,
                    "the order row has no statement date".into(),
                );
                return;
            }
            Err(why) => {
                self.problem(row.line, Col::Statement, why);
                return;
            }
        };
        self.evidence.see(statement);
        let order_id = [cell(Col::OrderId), cell(Col::RelatedId)]
            .into_iter()
            .find(|c| !c.is_empty())
            .unwrap_or_default()
            .to_string();
        if order_id.is_empty() {
            self.problem(row.line, Col::OrderId, "the order row has no ID".into());
            return;
        }
        let mut money = |column: Col| -> f64 {
            match cells::parse_money(cell(column)) {
                Ok(Some((value, currency))) => {
                    if let Some(c) = currency {
                        self.currencies
                            .entry(normalise_currency(&c))
                            .or_insert(row.line);
                    }
                    if value != 0.0 {
                        self.amounts.push(value);
                    }
                    value
                }
                Ok(None) => 0.0,
                Err(why) => {
                    let name = SETTLEMENT_COLUMNS[column as usize].name;
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
        let gross_sales = money(Col::Gross);
        let seller_discount = money(Col::SellerDiscount).abs();
        let [referral_fee, transaction_fee, affiliate_commission, fbt_fee, return_label_fee] =
            FEE_COLUMNS.map(|c| money(c).abs());
        let total = money(Col::Total);
        self.pending.push(Pending {
            statement,
            row: SettlementRow {
                order_id,
                line: row.line,
                statement_day: 0,
                gross_sales,
                seller_discount,
                referral_fee,
                transaction_fee,
                affiliate_commission,
                fbt_fee,
                return_label_fee,
                total,
            },
        });
    }

    fn finish(self, missing: Vec<&'static str>) -> Result<Settlement, InputError> {
        let origin = self.origin;
        if self.pending.is_empty() {
            let why = if self.other_rows.is_empty() {
                "the statement is empty (only a header): export a period with settled orders"
                    .to_string()
            } else {
                format!(
                    "the statement has no order rows, only {}: export a period with settled orders",
                    self.other_rows
                        .iter()
                        .map(|(kind, n)| format!("{n} of type `{kind}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            return Err(InputError::one(Problem::new(Kind::Missing, &origin, why)));
        }
        if self.currencies.len() > 1 {
            let mut firsts: Vec<(&String, &usize)> = self.currencies.iter().collect();
            firsts.sort_by_key(|(_, line)| **line);
            return Err(InputError::one(Problem::new(
                Kind::Conflict,
                &origin,
                format!(
                    "it mixes currencies: {} (first on line {}) and {} (line {}); one shop is fitted in one currency: export each shop or market on its own",
                    firsts[0].0, firsts[0].1, firsts[1].0, firsts[1].1
                ),
            )));
        }
        // Statement dates are year first (`2026/03/15`) or spreadsheet dates; a file that
        // writes them `A/B/YYYY` is read in the order its dates prove.
        let order = self.evidence.decide(None).map_err(|why| {
            let key = SETTLEMENT_COLUMNS[Col::Statement as usize].name;
            InputError::one(
                Problem::new(
                    Kind::WrongType,
                    &origin,
                    format!("column `{key}`: cannot read its statement dates: {why}"),
                )
                .with_key(key),
            )
        })?;
        let mut problems = Vec::new();
        let mut rows = Vec::with_capacity(self.pending.len());
        for Pending { statement, mut row } in self.pending {
            match statement.resolve(order) {
                Some(stamp) => {
                    row.statement_day = stamp.div_euclid(86_400);
                    rows.push(row);
                }
                None => {
                    let key = SETTLEMENT_COLUMNS[Col::Statement as usize].name;
                    problems.push(
                        Problem::new(
                            Kind::WrongType,
                            &origin,
                            format!(
                                "column `{key}`: its date is not a day of the calendar when read {}",
                                order.name()
                            ),
                        )
                        .at_line(row.line)
                        .with_key(key),
                    );
                    if problems.len() >= MAX_PROBLEMS {
                        break;
                    }
                }
            }
        }
        if let Some(e) = InputError::from_problems(problems) {
            return Err(e);
        }
        Ok(Settlement {
            origin,
            rows,
            other_rows: self.other_rows,
            lines: self.lines,
            currency: self.currencies.into_keys().next(),
            unit: money_unit(&self.amounts),
            missing,
            skipped_description: self.skipped_description,
        })
    }
}

/// A statement date: what [`cells::parse_stamp`] reads (`2026/03/15`, `2026-03-15`, a
/// spreadsheet date as the table writes it), or a spreadsheet's day number left unformatted
/// (`46096`, days since 1899-12-30).
fn statement_date(text: &str) -> Result<Option<RawStamp>, String> {
    let plain = text.trim();
    if !plain.is_empty() && plain.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        if let Ok(serial) = plain.parse::<f64>() {
            // 1954-10-03 to 2119-01-08: a date, not some other number.
            if (20_000.0..=80_000.0).contains(&serial) {
                let days = serial.floor() as i64 + cells::days_from_civil(1899, 12, 30);
                return Ok(Some(RawStamp::Exact(days * 86_400)));
            }
        }
    }
    cells::parse_stamp(text).map_err(|_| {
        format!("`{plain}` is not a date (expected e.g. `2026/03/15`, as the statement writes it)")
    })
}

/// The coarsest of 1000, 100, …, 0.001 that every amount is a whole multiple of: the step
/// the file's amounts are written in (0.01 when there is none to tell).
fn money_unit(amounts: &[f64]) -> f64 {
    if amounts.is_empty() {
        return 0.01;
    }
    [1000.0, 100.0, 10.0, 1.0, 0.1, 0.01]
        .into_iter()
        .find(|step: &f64| {
            amounts.iter().all(|a| {
                let k = a / step;
                (k - k.round()).abs() <= 1e-6 + 1e-12 * k.abs()
            })
        })
        .unwrap_or(0.001)
}

/// `$` and `USD` are one currency; other signs are kept as written.
fn normalise_currency(written: &str) -> String {
    match written {
        "$" | "US$" | "USD" => "USD".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::read::cells::days_from_civil;

    fn write(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn order_rows_are_read_and_other_types_counted() {
        let text = "Statement date,Type,Order/adjustment ID,Related order ID,Total settlement amount,Gross sales,Seller discount(+refund),FBT fulfillment fee,Return shipping label fee,Transaction fee,Referral fee,Affiliate Commission \n\
                    2026/03/15,Order,O1,O1,80.00,110.00,-10.00,-3.58,0.00,-2.90,-6.00,-15.00\n\
                    2026/03/16,Adjustment,A1,O1,-5.00,0.00,0,0,0,0,0,0\n\
                    46097,Order,,O2,20.00,24.00,,0,-6.50,0,-1.44,0\n";
        let (_dir, path) = write("s.csv", text);
        let read = read_settlement(&path).unwrap();
        assert_eq!(read.lines, 3);
        assert_eq!(read.other_rows, vec![("Adjustment".to_string(), 1)]);
        assert_eq!(read.rows.len(), 2);
        let o1 = &read.rows[0];
        assert_eq!(o1.order_id, "O1");
        assert_eq!(o1.statement_day, days_from_civil(2026, 3, 15));
        assert_eq!(
            (o1.gross_sales, o1.seller_discount, o1.referral_fee),
            (110.0, 10.0, 6.0)
        );
        assert_eq!(o1.transaction_fee, 2.9);
        assert_eq!((o1.affiliate_commission, o1.fbt_fee), (15.0, 3.58));
        let o2 = &read.rows[1];
        // The related order ID when the row's own is empty; a spreadsheet day number.
        assert_eq!(o2.order_id, "O2");
        assert_eq!(o2.statement_day, days_from_civil(2026, 3, 16));
        assert_eq!((o2.return_label_fee, o2.seller_discount), (6.5, 0.0));
        assert_eq!(read.unit, 0.01);
        assert!(read.missing.is_empty(), "{:?}", read.missing);
    }

    #[test]
    fn brazilian_names_and_whole_unit_amounts() {
        let text = "Order settled time(UTC),Order/adjustment ID,Gross sales,TikTok Shop commission fee,Affiliate commission \n\
                    2026-03-15 10:00:00,O1,BRL 35000,BRL -2100,BRL -5250\n\
                    2026-03-15 11:00:00,O2,BRL 12000,BRL -720,0\n";
        let (_dir, path) = write("br.csv", text);
        let read = read_settlement(&path).unwrap();
        assert_eq!(read.rows.len(), 2);
        assert_eq!(read.rows[0].referral_fee, 2100.0);
        assert_eq!(read.rows[0].affiliate_commission, 5250.0);
        assert_eq!(read.currency.as_deref(), Some("BRL"));
        assert!(read.has("Referral fee") && !read.has("FBT fulfillment fee"));
    }

    #[test]
    fn the_step_amounts_are_written_in() {
        assert_eq!(money_unit(&[1.44, 6.0, 3.58, 100.0]), 0.01);
        assert_eq!(money_unit(&[1234.0, 73_441.0]), 1.0);
        assert_eq!(money_unit(&[35_000.0, 2_100.0, 12_000.0]), 100.0);
        assert_eq!(money_unit(&[12.5, 0.5]), 0.1);
        assert_eq!(money_unit(&[0.125]), 0.001);
        assert_eq!(money_unit(&[]), 0.01);
    }

    #[test]
    fn refusals_name_the_file_and_what_to_do() {
        let (_dir, path) = write("o.csv", "Order ID,Order Status,Created Time\n1,Shipped,x\n");
        let e = read_settlement(&path).unwrap_err().to_string();
        assert!(
            e.contains("o.csv") && e.contains("give it as ORDERS"),
            "{e}"
        );
        let (_dir, path) = write("r.csv", "Return Order ID,Order ID,Return Reason\nR,O,x\n");
        let e = read_settlement(&path).unwrap_err().to_string();
        assert!(e.contains("--returns"), "{e}");
        let (_dir, path) = write(
            "e.csv",
            "Statement date,Type,Order/adjustment ID,Gross sales\n",
        );
        let e = read_settlement(&path).unwrap_err();
        assert_eq!(e.count(Kind::Missing), 1);
        assert!(e.to_string().contains("empty"), "{e}");
        let (_dir, path) = write(
            "a.csv",
            "Statement date,Type,Order/adjustment ID,Gross sales\n2026/03/01,Adjustment,A,0\n",
        );
        let e = read_settlement(&path).unwrap_err().to_string();
        assert!(e.contains("1 of type `Adjustment`"), "{e}");
        let (_dir, path) = write(
            "m.csv",
            "Statement date,Type,Order/adjustment ID,Gross sales\n2026/03/01,Order,A,$1.00\n2026/03/01,Order,B,BRL 1\n",
        );
        let e = read_settlement(&path).unwrap_err();
        assert_eq!(e.count(Kind::Conflict), 1, "{e}");
        let (_dir, path) = write(
            "d.csv",
            "Statement date,Type,Order/adjustment ID,Gross sales\n2026/03/01,Order,A,1\n2026/03/41,Order,B,1\n",
        );
        let e = read_settlement(&path).unwrap_err().to_string();
        assert!(e.contains("d.csv:3: column `Statement date`"), "{e}");
    }
}
