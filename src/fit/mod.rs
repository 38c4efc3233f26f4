//! `shopsim fit`: a shop's own Seller Center exports in, its parameters out. `read` turns
//! the files into orders (the only I/O below the command), `shop` and `estimate` compute
//! the estimates (pure), `land` writes them as the model's parameters, `charts` draws the
//! data against the fit, `page` composes its `report.html`.

pub mod charts;
pub mod estimate;
pub mod land;
pub mod page;
pub mod read;
pub mod scenario_copy;
pub mod shop;
