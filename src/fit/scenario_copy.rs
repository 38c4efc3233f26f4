//! `fit --scenario`: a copy of the scenario whose variants carry the fitted values, ready
//! to run. The copy keeps the scenario's text and comments; each fitted value is written
//! into its variant's table with a comment giving its source, and the study is renamed so
//! its results do not replace the original's.

use toml_edit::{value, DocumentMut, Item, Table};

use super::estimate::Estimate;
use super::land::{short, Landing};

/// The fitted copy of `text` (a scenario that has already been read and checked).
pub fn fitted_scenario(
    text: &str,
    landing: &Landing,
    peak_lifts: &[(String, Estimate)],
    header: &str,
) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("the scenario cannot be edited: {e}"))?;
    if let Some(name) = doc.get("name").and_then(Item::as_str).map(str::to_string) {
        let fitted = format!("{name}_fitted");
        let fitted = if crate::scenario::name_rules::why_not_a_study_name(&fitted).is_none() {
            fitted
        } else {
            "fitted".to_string()
        };
        doc["name"] = value(fitted);
    }
    let variants = doc
        .get_mut("variant")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or("the scenario has no [[variant]] tables")?;
    for table in variants.iter_mut() {
        let Some(name) = table.get("name").and_then(Item::as_str).map(str::to_string) else {
            continue;
        };
        for row in landing
            .rows
            .iter()
            .filter(|r| r.variant.as_deref().is_none_or(|v| v == name))
        {
            set_dotted(table, row.key.key(), &row.value, &row.source);
        }
    }
    if let Some(events) = doc.get_mut("events").and_then(Item::as_array_of_tables_mut) {
        for table in events.iter_mut() {
            let name = table.get("name").and_then(Item::as_str).map(str::to_string);
            if let Some((_, lift)) = peak_lifts.iter().find(|(n, _)| Some(n) == name.as_ref()) {
                let sigma = (lift.hi / lift.lo.max(1e-9)).ln() / (2.0 * super::estimate::Z_975);
                set_dotted(
                    table,
                    "demand_multiplier",
                    &format!("lognormal({}, {})", short(lift.value), short(sigma)),
                    &format!(
                        "fit: orders on the event's days over the level: {} (95% interval {}..{}, {} days)",
                        short(lift.value),
                        short(lift.lo),
                        short(lift.hi),
                        lift.n
                    ),
                );
            }
        }
    }
    Ok(format!("{header}{doc}"))
}

/// Sets `a.b = value` in `table` as a dotted key, with `# source` above it.
fn set_dotted(table: &mut Table, key: &str, text: &str, source: &str) {
    let item = match text.parse::<f64>() {
        Ok(number) if number.fract() == 0.0 && number.abs() < 1e15 => value(number as i64),
        Ok(number) => value(number),
        Err(_) => value(text),
    };
    let (section, leaf) = match key.split_once('.') {
        Some((section, leaf)) => (Some(section), leaf),
        None => (None, key),
    };
    let target = match section {
        Some(section) => {
            let entry = table.entry(section).or_insert_with(|| {
                let mut t = Table::new();
                t.set_implicit(true);
                t.set_dotted(true);
                Item::Table(t)
            });
            match entry.as_table_like_mut() {
                Some(t) => t,
                None => return,
            }
        }
        None => table as &mut dyn toml_edit::TableLike,
    };
    target.insert(leaf, item);
    if let Some(mut k) = target.key_mut(leaf) {
        let comment: String = source
            .chars()
            .filter(|c| *c != '\n' && *c != '\r')
            .collect();
        k.leaf_decor_mut().set_prefix(format!("\n# {comment}\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::land::Landed;
    use crate::params::P;

    #[test]
    fn values_go_into_their_variants_and_the_copy_reads_back() {
        let text = "# my study\nname = \"s\"\n\n[base]\nmarket = \"us\"\n\n[[variant]]\nname = \"a\"\nroute = \"fbt\"\n\n[[variant]]\nname = \"b\"\n";
        let landing = Landing {
            rows: vec![
                Landed {
                    variant: Some("a".into()),
                    key: P::from_key("logistics.transit_median_days").unwrap(),
                    value: "lognormal(4, 0.02)".into(),
                    source: "fit: o.csv".into(),
                },
                Landed {
                    variant: None,
                    key: P::from_key("demand.ramp_days").unwrap(),
                    value: "30".into(),
                    source: "fit: o.csv".into(),
                },
            ],
            ..Landing::default()
        };
        let copy = fitted_scenario(text, &landing, &[], "# fitted\n").unwrap();
        assert!(copy.starts_with("# fitted\n# my study"), "{copy}");
        let parsed: toml::Value = toml::from_str(&copy).unwrap();
        assert_eq!(parsed["name"].as_str(), Some("s_fitted"));
        let variants = parsed["variant"].as_array().unwrap();
        assert_eq!(
            variants[0]["logistics"]["transit_median_days"].as_str(),
            Some("lognormal(4, 0.02)")
        );
        assert_eq!(variants[0]["demand"]["ramp_days"].as_integer(), Some(30));
        assert_eq!(variants[1]["demand"]["ramp_days"].as_integer(), Some(30));
        assert!(variants[1].get("logistics").is_none());
        assert!(
            copy.contains("# fit: o.csv\nlogistics.transit_median_days"),
            "{copy}"
        );
    }
}
