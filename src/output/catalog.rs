//! The parameter catalog as CSV (`shopsim params`): the file users edit and pass back with
//! `--params`.

use crate::params::Resolved;
use crate::scenario::event_keys::{EventField, EventKey};
use crate::sim::EventSpec;

/// One block of rows: a variant name (or none) and its resolved parameters.
pub struct CatalogBlock<'a> {
    /// The variant the rows belong to; `None` for the catalog without a scenario.
    pub variant: Option<&'a str>,
    /// The variant's final parameter values.
    pub params: &'a Resolved,
}

/// `[variant,]key,value,unit,description,source`; the `variant` column appears when any
/// block names a variant. Then one row per number of each of `events` (a scenario's;
/// empty for the bare catalog), with no variant: events are the study's, and a row
/// `event.<name>.<field>` passed back sets the event as the file does.
pub fn catalog_csv(blocks: &[CatalogBlock<'_>], events: &[EventSpec]) -> anyhow::Result<Vec<u8>> {
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
    for event in events {
        for field in EventField::ALL {
            let Some(dist) = field.get(event) else {
                continue;
            };
            let key = EventKey {
                event: event.name().to_string(),
                field,
            };
            let (min, max) = field.bounds();
            let (unit, what) = match field {
                EventField::Factor(_) => ("multiplier", "a multiplier (1 = no change)"),
                EventField::DutyRate => ("fraction", "the import duty rate on its days"),
                EventField::Campaign(_) => ("fraction", "what joining costs, a share"),
            };
            let source = match event.sources().get(field.key()) {
                Some(from) => format!("[event] {from}"),
                None => "[event] scenario [[events]]".to_string(),
            };
            let mut row = vec![
                key.key(),
                dist.to_string(),
                unit.to_string(),
                format!(
                    "Event `{}` (days {}-{}): `{}`, {what} [valid: {min} to {max}]",
                    event.name(),
                    event.start_day() + 1,
                    event.end_day() + 1,
                    field.key()
                ),
                source,
            ];
            if with_variant {
                row.insert(0, String::new());
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
