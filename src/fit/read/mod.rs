//! Reading Seller Center's exports: their cells, columns and rows, with the quirks of the
//! real files (`../shared/SELLER_EXPORTS.md`).

pub mod cells;
pub mod columns;
pub mod orders;
pub mod returns;
pub mod settlement;
pub mod table;
