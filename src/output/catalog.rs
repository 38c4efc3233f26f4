//! The parameter catalog as CSV (`shopsim params`): the file users edit and pass back with
//! `--params`.

use crate::params::Resolved;

/// One block of rows: a variant name (or none) and its resolved parameters.
pub struct CatalogBlock<'a> {
    /// The variant the rows belong to; `None` for the catalog without a scenario.
    pub variant: Option<&'a str>,
    /// The variant's final parameter values.
    pub params: &'a Resolved,
}

/// `[variant,]key,value,unit,description,source`; the `variant` column appears when any
/// block names a variant.
pub fn catalog_csv(blocks: &[CatalogBlock<'_>]) -> anyhow::Result<Vec<u8>> {
    let with_variant = blocks.iter().any(|b| b.variant.is_some());
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["key", "value", "unit", "description", "source"];
    if with_variant {
        header.insert(0, "variant");
    }
    w.write_record(&header)?;
    for block in blocks {
        for (p, entry) in block.params.entries() {
            let spec = p.spec();
            let source = format!("[{}] {}", entry.layer.name(), entry.source);
            let mut row = vec![
                spec.key.to_string(),
                entry.dist.to_string(),
                spec.unit.to_string(),
                format!("{} [valid: {}]", spec.description, valid_range(spec)),
                source,
            ];
            if with_variant {
                row.insert(0, block.variant.unwrap_or("").to_string());
            }
            w.write_record(&row)?;
        }
    }
    crate::output::tables::into_bytes(w)
}

/// The valid range as users read it: `0 to 1`, `0 or more`, whole numbers marked.
fn valid_range(spec: &crate::params::ParamSpec) -> String {
    let whole = if spec.integer { ", whole number" } else { "" };
    if spec.max.is_infinite() {
        format!("{} or more{whole}", spec.min)
    } else {
        format!("{} to {}{whole}", spec.min, spec.max)
    }
}
