//! Parameter overrides from CSV (`--params`): columns `key,value` and optionally
//! `variant`; any other column (the catalog's `unit`, `description`, `source`) is ignored,
//! so an exported catalog can be edited and passed back as it is.

use std::collections::BTreeSet;
use std::path::Path;

use crate::error::InputError;
use crate::params::{check_value, Dist, P};

/// One override row.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    pub param: P,
    pub dist: Dist,
    /// Applies to this variant only; `None` means every variant.
    pub variant: Option<String>,
    /// Line in the CSV file, for messages and provenance.
    pub line: u64,
}

/// The rows of one CSV file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    pub origin: String,
    pub rows: Vec<Override>,
}

impl Overrides {
    /// Reads a CSV file (`-` for standard input is handled by the caller).
    pub fn from_file(path: &Path) -> Result<Overrides, InputError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            InputError::new(format!(
                "cannot read parameter CSV '{}': {e}",
                path.display()
            ))
        })?;
        Overrides::parse(&text, &path.display().to_string())
    }

    /// Parses CSV text; every bad row is reported, not just the first.
    pub fn parse(text: &str, origin: &str) -> Result<Overrides, InputError> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| InputError::new(format!("{origin}: cannot read the CSV header: {e}")))?
            .clone();
        let column = |name: &str| headers.iter().position(|h| h == name);
        let (Some(key_col), Some(value_col)) = (column("key"), column("value")) else {
            return Err(InputError::new(format!(
                "{origin}:1: the header needs columns `key` and `value` (and optionally `variant`); found: {}",
                headers.iter().collect::<Vec<_>>().join(", ")
            )));
        };
        let variant_col = column("variant");
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        for record in reader.records() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    problems.push(format!("{origin}:{line}: malformed CSV row: {e}"));
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| p.line());
            let key = record.get(key_col).unwrap_or("");
            let value = record.get(value_col).unwrap_or("");
            let variant = variant_col
                .and_then(|c| record.get(c))
                .filter(|v| !v.is_empty())
                .map(str::to_string);
            if key.is_empty() {
                problems.push(format!("{origin}:{line}: column 'key' is empty"));
                continue;
            }
            let Some(param) = P::from_key(key) else {
                let hint = if key == "logistics.tiers" {
                    " (tier tables are set in the scenario file, not in CSV)".to_string()
                } else {
                    crate::suggest::hint(key, crate::params::catalog::keys())
                };
                problems.push(format!(
                    "{origin}:{line}: column 'key': unknown parameter `{key}`{hint}"
                ));
                continue;
            };
            let dist = match Dist::parse(value) {
                Ok(d) => d,
                Err(e) => {
                    problems.push(format!("{origin}:{line}: column 'value', key `{key}`: {e}"));
                    continue;
                }
            };
            if let Err(e) = check_value(param, &dist) {
                problems.push(format!("{origin}:{line}: column 'value', key `{key}`: {e}"));
                continue;
            }
            if !seen.insert((param, variant.clone())) {
                problems.push(format!(
                    "{origin}:{line}: key `{key}` is set twice{}",
                    variant
                        .as_ref()
                        .map(|v| format!(" for variant `{v}`"))
                        .unwrap_or_default()
                ));
                continue;
            }
            rows.push(Override {
                param,
                dist,
                variant,
                line,
            });
        }
        match InputError::from_list(problems) {
            Some(e) => Err(e),
            None => Ok(Overrides {
                origin: origin.to_string(),
                rows,
            }),
        }
    }

    /// Variant names the rows refer to.
    pub fn variant_names(&self) -> BTreeSet<&str> {
        self.rows
            .iter()
            .filter_map(|r| r.variant.as_deref())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_catalog_exports_and_ignores_extra_columns() {
        let text = "key,value,unit,description,source\ndemand.daily_cv,0.2,cv,noise,me\nprice.retail,18..22,USD,p,me\n";
        let o = Overrides::parse(text, "p.csv").unwrap();
        assert_eq!(o.rows.len(), 2);
        assert_eq!(o.rows[0].param, P::DailyCv);
        assert_eq!(o.rows[1].line, 3);
    }

    #[test]
    fn reports_every_bad_row_with_its_line_and_column() {
        let text = "variant,key,value\n,demand.dayly_cv,0.2\nA,fees.commission_rate,8\n,price.retail,abc\n";
        let e = Overrides::parse(text, "p.csv").unwrap_err().to_string();
        assert!(e.contains("p.csv:2: column 'key': unknown parameter `demand.dayly_cv` (did you mean `demand.daily_cv`?)"), "{e}");
        assert!(
            e.contains("p.csv:3: column 'value', key `fees.commission_rate`"),
            "{e}"
        );
        assert!(e.contains("p.csv:4:"), "{e}");
    }

    #[test]
    fn a_header_without_key_and_value_is_an_error() {
        assert!(Overrides::parse("name,amount\nx,1\n", "p.csv").is_err());
    }
}
