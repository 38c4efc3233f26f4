//! The returns and refunds export read into one [`Return`] per return: the rows of a
//! return (one per SKU line) are merged, the description row under the header skipped
//! when there is one, and the file's day/month order decided from all its dates before any
//! of them is used (as for the order export).

use std::collections::HashMap;
use std::path::Path;

use super::cells::{self, DateEvidence, DateOrder, RawStamp, Stamp};
use super::columns::{normalise, Column, OrderCol, ORDER_COLUMNS};
use super::table::{Row, Table};
use crate::error::{InputError, Kind, Problem};

/// The returns export's columns `fit` reads, in the order of [`RETURN_COLUMNS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
enum Col {
    ReturnId,
    OrderId,
    Reason,
    Requested,
    Type,
    Status,
    Quantity,
}

/// The columns of the returns export `fit` reads (Seller SKU, Product Name and the unit
/// price are not read).
const RETURN_COLUMNS: [Column; 7] = [
    Column {
        name: "Return Order ID",
        aliases: &["return id", "return order no"],
        required: true,
    },
    Column {
        name: "Order ID",
        aliases: &["orderid"],
        required: true,
    },
    Column {
        name: "Return Reason",
        aliases: &["reason", "return reasons"],
        required: true,
    },
    Column {
        name: "Time Requested",
        aliases: &["requested time", "request time", "return request time"],
        required: false,
    },
    Column {
        name: "Return Type",
        aliases: &[],
        required: false,
    },
    Column {
        name: "Return Status",
        aliases: &[],
        required: false,
    },
    Column {
        name: "Return Quantity",
        aliases: &["return qty"],
        required: false,
    },
];

/// One return (its SKU lines merged).
#[derive(Clone, Debug, PartialEq)]
pub struct Return {
    /// Return Order ID.
    pub id: String,
    /// Order ID (joins the order export and the settlement).
    pub order_id: String,
    /// Return Reason, as written (the first line's that is not empty).
    pub reason: String,
    /// Time Requested (`None`: column missing or cell empty).
    pub requested: Option<Stamp>,
    /// Return Type, as written (empty when not given).
    pub kind: String,
    /// Return Status, as written (empty when not given).
    pub status: String,
    /// Σ Return Quantity over its lines (0 when not given).
    pub units: u32,
    /// Rows of the export it takes (SKU lines).
    pub lines: u32,
}

/// A returns export, read.
#[derive(Clone, Debug)]
pub struct Returns {
    /// The file.
    pub origin: String,
    /// Its returns, in the order of their first row.
    pub returns: Vec<Return>,
    /// Rows read (SKU lines; without the header and the description row).
    pub lines: usize,
    /// The day/month order of its dates.
    pub date_order: DateOrder,
    /// Optional columns it does not have.
    pub missing: Vec<&'static str>,
    /// Whether the description row was skipped.
    pub skipped_description: bool,
}

/// What a header says a file is, when it is one of the exports `fit` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Export {
    Orders,
    Returns,
    Settlement,
}

/// Which export a header belongs to, if it is one `fit` knows.
pub(crate) fn export_of(header: &[String]) -> Option<Export> {
    let has = |name: &str| header.iter().any(|h| normalise(h) == name);
    if has("return order id") {
        Some(Export::Returns)
    } else if has("statement date")
        || has("order/adjustment id")
        || has("total settlement amount")
        || has("order settled time(utc)")
    {
        Some(Export::Settlement)
    } else if ORDER_COLUMNS[OrderCol::Status as usize]
        .find(header)
        .is_some()
        && ORDER_COLUMNS[OrderCol::Created as usize]
            .find(header)
            .is_some()
    {
        Some(Export::Orders)
    } else {
        None
    }
}

/// How to give a file of another kind, for the refusals of a reader expecting `wanted`.
pub(crate) fn give_it_as(found: Export, wanted: &str) -> String {
    match found {
        Export::Orders => format!(
            "this is an order export, not {wanted}: give it as ORDERS (the first argument of `shopsim fit`)"
        ),
        Export::Returns => {
            format!("this is a returns export, not {wanted}: give it with --returns")
        }
        Export::Settlement => {
            format!("this is a settlement statement, not {wanted}: give it with --settlement")
        }
    }
}

/// Problems reported before stopping.
const MAX_PROBLEMS: usize = 12;

/// Reads a returns export (CSV or XLSX). `date_order`: the order of day and month in its
/// dates when known (`--date-format`, or the order export's: a shop's exports share it);
/// otherwise decided from the file's dates, as for the order export.
pub fn read_returns(path: &Path, date_order: Option<DateOrder>) -> Result<Returns, InputError> {
    let table = Table::open(path, &["Returns", "Return", "Refunds", "Return Orders"])?;
    let origin = table.origin().to_string();
    let header = table.header().to_vec();
    let wrong = |why: String| {
        InputError::one(Problem::new(Kind::WrongType, &origin, why).at_line(table.header_line()))
    };
    match export_of(&header) {
        Some(Export::Returns) | None => {}
        Some(other) => return Err(wrong(give_it_as(other, "a returns export"))),
    }
    let super::columns::Located { at, missing } = super::columns::locate(
        &RETURN_COLUMNS,
        &header,
        &origin,
        table.header_line(),
        "a returns export from Seller Center (Returns › Export)",
    )?;
    let mut reader = Reader {
        origin: origin.clone(),
        has_requested: at[Col::Requested as usize].is_some(),
        has_quantity: at[Col::Quantity as usize].is_some(),
        pending: Vec::new(),
        by_id: HashMap::new(),
        evidence: DateEvidence::default(),
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
    reader.finish(date_order, missing)
}

/// A return before the file's date order is known.
struct Pending {
    requested: Option<RawStamp>,
    line: usize,
    ret: Return,
}

struct Reader {
    origin: String,
    has_requested: bool,
    has_quantity: bool,
    pending: Vec<Pending>,
    by_id: HashMap<String, usize>,
    evidence: DateEvidence,
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
            &RETURN_COLUMNS[column as usize],
            &why,
        ));
    }

    fn line(&mut self, row: Row) {
        let cell = |c: Col| row.cells[c as usize].as_str();
        let first_row = std::mem::replace(&mut self.first_row, false);
        let requested = cells::parse_stamp(cell(Col::Requested));
        // A description of each field under the header (as in the order export):
        // recognised on the first row only, by a date or a quantity that is not one.
        if first_row {
            let description = if self.has_requested {
                requested.is_err()
            } else {
                self.has_quantity && cells::parse_count(cell(Col::Quantity)).is_err()
            };
            if description {
                self.skipped_description = true;
                return;
            }
        }
        self.lines += 1;
        let id = cell(Col::ReturnId).to_string();
        if id.is_empty() {
            self.problem(row.line, Col::ReturnId, "the return has no ID".into());
            return;
        }
        let order_id = cell(Col::OrderId).to_string();
        if order_id.is_empty() {
            self.problem(row.line, Col::OrderId, "the return names no order".into());
            return;
        }
        let requested = match requested {
            Ok(stamp) => {
                if let Some(s) = stamp {
                    self.evidence.see(s);
                }
                stamp
            }
            Err(why) => {
                self.problem(row.line, Col::Requested, why);
                return;
            }
        };
        // The quantity is informational: a cell that is not a count is read as none.
        let units = cells::parse_count(cell(Col::Quantity))
            .ok()
            .flatten()
            .unwrap_or(0);
        let reason = cell(Col::Reason);
        if let Some(&at) = self.by_id.get(&id) {
            let (first, first_order) = (self.pending[at].line, &self.pending[at].ret.order_id);
            if *first_order != order_id {
                let why = format!(
                    "return {id} names order {order_id} here but {first_order} on line {first}; export the returns again from Seller Center"
                );
                self.problem(row.line, Col::OrderId, why);
                return;
            }
            let pending = &mut self.pending[at];
            let ret = &mut pending.ret;
            ret.units += units;
            ret.lines += 1;
            if ret.reason.is_empty() {
                ret.reason = reason.to_string();
            }
            if pending.requested.is_none() {
                pending.requested = requested;
            }
            return;
        }
        self.by_id.insert(id.clone(), self.pending.len());
        self.pending.push(Pending {
            requested,
            line: row.line,
            ret: Return {
                id,
                order_id,
                reason: reason.to_string(),
                requested: None,
                kind: cell(Col::Type).to_string(),
                status: cell(Col::Status).to_string(),
                units,
                lines: 1,
            },
        });
    }

    fn finish(
        self,
        given: Option<DateOrder>,
        missing: Vec<&'static str>,
    ) -> Result<Returns, InputError> {
        let origin = self.origin;
        if self.pending.is_empty() {
            return Err(InputError::one(Problem::new(
                Kind::Missing,
                &origin,
                "the returns export has no returns (only a header): export a period with returns, or leave the returns export out",
            )));
        }
        let date_order = self.evidence.decide(given).map_err(|why| {
            InputError::one(
                Problem::new(
                    Kind::WrongType,
                    &origin,
                    format!("cannot read its dates: {why}"),
                )
                .with_key("Time Requested"),
            )
        })?;
        let mut problems = Vec::new();
        let mut returns = Vec::with_capacity(self.pending.len());
        for Pending {
            requested,
            line,
            mut ret,
        } in self.pending
        {
            match requested.map(|s| s.resolve(date_order)) {
                Some(None) => {
                    let name = RETURN_COLUMNS[Col::Requested as usize].name;
                    problems.push(
                        Problem::new(
                            Kind::WrongType,
                            &origin,
                            format!(
                                "column `{name}`: its date is not a day of the calendar when read {}",
                                date_order.name()
                            ),
                        )
                        .at_line(line)
                        .with_key(name),
                    );
                    if problems.len() >= MAX_PROBLEMS {
                        break;
                    }
                }
                resolved => {
                    ret.requested = resolved.flatten();
                    returns.push(ret);
                }
            }
        }
        if let Some(e) = InputError::from_problems(problems) {
            return Err(e);
        }
        Ok(Returns {
            origin,
            returns,
            lines: self.lines,
            date_order,
            missing,
            skipped_description: self.skipped_description,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::read::cells::days_from_civil;

    fn write(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("returns.csv");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    const HEADER: &str = "Return Order ID,Order ID,Seller SKU,Product Name,Time Requested,Return Quantity,Return Reason,Return unit price,Return Type,Return Status\n";

    #[test]
    fn lines_of_a_return_are_merged_and_dates_decided_by_the_file() {
        let text = format!(
            "{HEADER}\
             Return order ID,Order ID,SKU,Name,Time the buyer asked,Units,Why,Price,Type,Status\n\
             R1,O1,A,a,03/04/2026 10:00:00,1,Damaged product,$1.00,Return and refund,Completed\n\
             R1,O1,B,b,03/04/2026 10:00:00,2,Damaged product,$1.00,Return and refund,Completed\n\
             R2,O2,A,a,25/04/2026 09:30:00,1,Changed my mind,$1.00,Return and refund,Awaiting return\n"
        );
        let (_dir, path) = write(&text);
        let read = read_returns(&path, None).unwrap();
        assert!(read.skipped_description);
        assert_eq!(read.lines, 3);
        assert_eq!(read.date_order, DateOrder::DayFirst);
        assert_eq!(read.returns.len(), 2);
        let r1 = &read.returns[0];
        assert_eq!((r1.id.as_str(), r1.order_id.as_str()), ("R1", "O1"));
        assert_eq!((r1.units, r1.lines), (3, 2));
        assert_eq!(r1.reason, "Damaged product");
        assert_eq!(
            r1.requested,
            Some(days_from_civil(2026, 4, 3) * 86_400 + 10 * 3600)
        );
        assert_eq!(read.returns[1].status, "Awaiting return");
    }

    #[test]
    fn ambiguous_dates_take_the_order_given() {
        let text = format!("{HEADER}R1,O1,A,a,03/04/2026 10:00:00,1,Wrong item,1,T,S\n");
        let (_dir, path) = write(&text);
        let refused = read_returns(&path, None).unwrap_err().to_string();
        assert!(refused.contains("--date-format"), "{refused}");
        let read = read_returns(&path, Some(DateOrder::MonthFirst)).unwrap();
        assert_eq!(
            read.returns[0].requested,
            Some(days_from_civil(2026, 3, 4) * 86_400 + 10 * 3600)
        );
    }

    #[test]
    fn a_bad_date_names_the_line_and_column() {
        let text = format!(
            "{HEADER}R1,O1,A,a,03/14/2026 10:00:00,1,Wrong item,1,T,S\nR2,O2,A,a,soon,1,Wrong item,1,T,S\n"
        );
        let (_dir, path) = write(&text);
        let message = read_returns(&path, None).unwrap_err().to_string();
        assert!(
            message.contains("returns.csv:3: column `Time Requested`: `soon`"),
            "{message}"
        );
    }

    #[test]
    fn other_exports_and_empty_files_are_refused() {
        let (_dir, path) = write("Order ID,Order Status,Created Time\n1,Shipped,03/14/2026\n");
        let e = read_returns(&path, None).unwrap_err();
        assert_eq!(e.count(Kind::WrongType), 1);
        assert!(e.to_string().contains("give it as ORDERS"), "{e}");
        let (_dir, path) = write("Statement date,Type,Order/adjustment ID\n2026/03/01,Order,1\n");
        assert!(read_returns(&path, None)
            .unwrap_err()
            .to_string()
            .contains("--settlement"));
        let (_dir, path) = write(HEADER);
        let e = read_returns(&path, None).unwrap_err();
        assert_eq!(e.count(Kind::Missing), 1);
        assert!(e.to_string().contains("no returns"), "{e}");
        let (_dir, path) = write("Return Order ID,Order ID\nR1,O1\n");
        let e = read_returns(&path, None).unwrap_err().to_string();
        assert!(e.contains("no column `Return Reason`"), "{e}");
    }
}
