//! A pre-pass over the spanned TOML document that finds every unknown name (a top-level
//! key, a section of `[base]` or a `[[variant]]`, a key of an `[[events]]` table) and every
//! section that is not a table, with its line — serde's `deny_unknown_fields` stops at the
//! first. The lines of what it found are then blanked (line numbers kept), so the serde
//! pass and the validator still report every other problem of the file. Where blanking is
//! not safe (an unknown key inside an inline table shares its line with known ones), only
//! the pre-pass's problems are reported.

use std::collections::BTreeSet;
use std::ops::Range;

use toml_edit::{ImDocument, Item, TableLike};

use crate::error::{printable, Kind, LineIndex, Problem};

/// Top-level keys of a scenario (raw::RawStudy).
const TOP: &[&str] = &[
    "name",
    "description",
    "currency",
    "fx",
    "trials",
    "horizon_days",
    "seed",
    "sampling",
    "as_of",
    "baseline",
    "base",
    "events",
    "variant",
    "world",
    "correlations",
];
/// Keys of `[base]` besides the parameter sections (raw::RawSettings).
const BASE: &[&str] = &[
    "market",
    "category",
    "freight",
    "team",
    "origin",
    "tariff_line",
];
/// Keys of a `[[variant]]` besides the parameter sections and those of `[base]`, which a
/// variant takes too (raw::RawVariant).
const VARIANT_ONLY: &[&str] = &["name", "model", "loop", "route"];
/// Keys of a `[[world]]` besides the parameter sections (raw::RawWorld): a world sets
/// parameters only.
const WORLD: &[&str] = &["name", "weight", "description"];

/// Keys of a `[[variant]]` besides the parameter sections.
fn variant_keys() -> Vec<&'static str> {
    [VARIANT_ONLY, BASE].concat()
}
/// Keys of an `[[events]]` table (raw::RawEvent).
const EVENT: &[&str] = &[
    "name",
    "start_day",
    "end_day",
    "markets",
    "demand_multiplier",
    "delay_multiplier",
    "ad_cost_multiplier",
    "supply_price_multiplier",
    "lost_multiplier",
    "min_on_time_rate",
    "min_shop_score",
    "duty_rate",
    "campaign_price_cut",
    "campaign_coupon_share",
    "campaign_fee_rate",
];

/// What the pre-pass found: problems, and the text with their lines blanked (`None` when
/// there is nothing to blank or blanking is not safe).
pub(super) struct Found {
    pub problems: Vec<Problem>,
    pub blanked: Option<String>,
}

/// Finds unknown names and non-table sections. A file that does not parse is left to the
/// serde pass (which reports the syntax error).
pub(super) fn check(text: &str, origin: &str) -> Found {
    let Ok(doc) = ImDocument::parse(text) else {
        return Found {
            problems: Vec::new(),
            blanked: None,
        };
    };
    let mut walk = Walk {
        text,
        origin,
        lines: LineIndex::new(text),
        problems: Vec::new(),
        removed: Vec::new(),
        kept: Vec::new(),
        safe: true,
    };
    let root = doc.as_table();
    walk.table(root, TOP, &[], "the file's top level");
    for (key, item) in root.iter() {
        match key {
            "base" => {
                if let Some(t) = item.as_table_like() {
                    walk.settings(t, BASE, "[base]");
                }
            }
            "variant" | "events" | "world" => {
                if let Some(list) = item.as_array_of_tables() {
                    for t in list.iter() {
                        if key == "variant" {
                            walk.settings(t, &variant_keys(), "[[variant]]");
                        } else if key == "world" {
                            walk.settings(t, WORLD, "[[world]]");
                        } else {
                            walk.table(t, EVENT, &[], "[[events]]");
                        }
                    }
                }
            }
            _ => {}
        }
    }
    walk.finish()
}

struct Walk<'a> {
    text: &'a str,
    origin: &'a str,
    lines: LineIndex,
    problems: Vec<Problem>,
    /// Spans of what is reported (to blank).
    removed: Vec<Range<usize>>,
    /// Spans of everything else that is a key-value or a header (must not be blanked).
    kept: Vec<Range<usize>>,
    safe: bool,
}

impl Walk<'_> {
    /// `[base]` or a `[[variant]]`: its own keys plus the parameter sections, each of which
    /// must be a table.
    fn settings(&mut self, t: &dyn TableLike, own: &[&str], what: &str) {
        let sections: Vec<&str> = crate::params::catalog::sections().to_vec();
        self.table(t, own, &sections, what);
        for (key, item) in t.iter() {
            if sections.contains(&key) && item.as_table_like().is_none() {
                let span = self.span_to_remove(t, key, item);
                self.report(
                    span.clone(),
                    Kind::WrongType,
                    key,
                    format!("`{key}` must be a table of parameters, such as `{key}.<name> = <value>` lines; found a single value"),
                );
                self.remove(item, span);
            }
        }
    }

    /// Reports the keys of `t` outside `own` and `sections`; records the rest as kept.
    fn table(&mut self, t: &dyn TableLike, own: &[&str], sections: &[&str], what: &str) {
        for (key, item) in t.iter() {
            if sections.contains(&key) && item.as_table_like().is_none() {
                continue; // `settings` reports a section that is not a table
            }
            if own.contains(&key) || sections.contains(&key) {
                // A value's line(s), or a table's header line (its key), not its contents.
                self.kept.extend(Self::key_span(t, key, item));
                continue;
            }
            let span = self.span_to_remove(t, key, item);
            let expected: Vec<&str> = own.iter().chain(sections).copied().collect();
            // Past the first problems (only 50 are printed) skip the "did you mean" search.
            let hint = if self.problems.len() < 2 * crate::error::MAX_SHOWN {
                crate::suggest::hint(key, expected.iter().copied())
            } else {
                String::new()
            };
            let list = expected
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let message = if what == "[[world]]" && variant_keys().contains(&key) {
                format!(
                    "`{key}` in [[world]]: a world is a state of the world, which the seller does not choose; `{key}` is an option's choice: set it on each [[variant]] (a world takes `name`, `weight`, `description` and parameter sections such as `tax.duty_surcharge_rate`)"
                )
            } else {
                format!(
                    "unknown field `{}` in {what}, expected one of {list}{hint}",
                    printable(key)
                )
            };
            self.report(span.clone(), Kind::UnknownKey, key, message);
            self.remove(item, span);
        }
    }

    /// Where a key-value starts (its key) and ends (its value), or a table's header.
    fn key_span(t: &dyn TableLike, key: &str, item: &Item) -> Option<Range<usize>> {
        let key_span = t.key(key).and_then(|k| k.span());
        match (key_span, item.span()) {
            (Some(k), Some(v)) if item.is_value() => Some(k.start..v.end.max(k.end)),
            (Some(k), _) => Some(k),
            (None, v) => v,
        }
    }

    /// As [`Self::key_span`], for something to report and blank: without a span, blanking
    /// is not safe.
    fn span_to_remove(&mut self, t: &dyn TableLike, key: &str, item: &Item) -> Range<usize> {
        Self::key_span(t, key, item).unwrap_or_else(|| {
            self.safe = false;
            0..0
        })
    }

    fn report(&mut self, span: Range<usize>, kind: Kind, key: &str, message: String) {
        let line = self.lines.line(span.start);
        let source_line = self.lines.line_text(self.text, line).trim();
        let message = match source_line.split_once('=') {
            Some((k, _)) if !source_line.starts_with('[') => {
                format!("key `{}`: {message}", printable(k.trim()))
            }
            _ => format!("{message} (in `{}`)", printable(source_line)),
        };
        self.problems.push(
            Problem::new(kind, self.origin, message)
                .at_line(line)
                .with_key(key),
        );
    }

    /// Records the spans of `item` (and everything under it) for blanking.
    fn remove(&mut self, item: &Item, span: Range<usize>) {
        self.removed.push(span);
        match item {
            Item::Table(t) => self.remove_children(t),
            Item::ArrayOfTables(list) => {
                for t in list.iter() {
                    match t.span() {
                        Some(h) => self.removed.push(h),
                        None => self.safe = false,
                    }
                    self.remove_children(t);
                }
            }
            _ => {}
        }
    }

    fn remove_children(&mut self, t: &dyn TableLike) {
        for (key, item) in t.iter() {
            let span = self.span_to_remove(t, key, item);
            self.remove(item, span);
        }
    }

    fn finish(self) -> Found {
        if self.problems.is_empty() {
            return Found {
                problems: Vec::new(),
                blanked: None,
            };
        }
        let lines_of = |spans: &[Range<usize>]| -> BTreeSet<usize> {
            spans
                .iter()
                .flat_map(|s| {
                    self.lines.line(s.start)..=self.lines.line(s.end.max(s.start + 1) - 1)
                })
                .collect()
        };
        let blank = lines_of(&self.removed);
        let shared = lines_of(&self.kept).intersection(&blank).next().is_some();
        let blanked = (self.safe && !shared).then(|| {
            self.text
                .split('\n')
                .enumerate()
                .map(|(i, line)| if blank.contains(&(i + 1)) { "" } else { line })
                .collect::<Vec<_>>()
                .join("\n")
        });
        Found {
            problems: self.problems,
            blanked,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "name = \"s\"\nhorizn = 5\n[base]\nmarket = \"us\"\ndemnd.daily_cv = 0.2\nprice = 3\n[[events]]\nname = \"p\"\nx = 1\n[[variant]]\nname = \"a\"\nmodle = 1\nfees.commission_rate = 6\n";

    #[test]
    fn unknown_names_are_found_and_only_their_lines_blanked() {
        let f = check(TEXT, "t.toml");
        let lines: Vec<usize> = f.problems.iter().filter_map(|p| p.line).collect();
        assert_eq!(lines, [2, 5, 6, 9, 12]);
        let blanked = f.blanked.unwrap();
        let kept: Vec<&str> = blanked.lines().collect();
        assert_eq!(kept.len(), TEXT.lines().count(), "line numbers are kept");
        for (i, line) in TEXT.lines().enumerate() {
            let expected = if lines.contains(&(i + 1)) { "" } else { line };
            assert_eq!(kept[i], expected, "line {}", i + 1);
        }
    }

    #[test]
    fn an_unknown_key_in_an_inline_table_is_reported_without_blanking() {
        let f = check(
            "name = \"s\"\nbase = { market = \"us\", bogus = 1 }\n",
            "t.toml",
        );
        assert_eq!(f.problems.len(), 1);
        assert!(f.blanked.is_none());
    }

    /// The names serde's raw structs accept, read from its own "expected one of" list.
    fn serde_names(toml_text: &str) -> BTreeSet<String> {
        let e = toml::from_str::<super::super::raw::RawStudy>(toml_text).unwrap_err();
        let message = e.message().to_string();
        let list = message
            .split("expected one of")
            .nth(1)
            .unwrap_or_else(|| panic!("{message}"));
        list.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn the_name_lists_match_the_raw_structs() {
        let set = |names: &[&str], sections: bool| -> BTreeSet<String> {
            let mut out: BTreeSet<String> = names.iter().map(|n| n.to_string()).collect();
            if sections {
                out.extend(
                    crate::params::catalog::sections()
                        .iter()
                        .map(|s| s.to_string()),
                );
            }
            out
        };
        assert_eq!(serde_names("bogus = 1"), set(TOP, false));
        assert_eq!(serde_names("[base]\nbogus = 1"), set(BASE, true));
        assert_eq!(
            serde_names("[[variant]]\nbogus = 1"),
            set(&variant_keys(), true)
        );
        assert_eq!(serde_names("[[events]]\nbogus = 1"), set(EVENT, false));
    }

    #[test]
    fn a_clean_file_has_nothing_to_report() {
        let f = check(super::super::BUILT_IN, "built-in");
        assert!(f.problems.is_empty() && f.blanked.is_none());
    }
}
