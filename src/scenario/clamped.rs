//! Warnings about values whose draws often leave their key's valid range. An unbounded
//! distribution (a normal, a log-normal, a `lo..hi` interval) is accepted when its mean
//! lies inside the range, and each draw outside is taken as the nearest bound: a share
//! `0.2..1.3` then puts 11.8% of the trials at exactly 1, a point mass the value as
//! written does not show. Said once per place a value is set, with the share at each end.

use super::model_keys::{location, set_by_a_file};
use super::validator::Validator;
use crate::error::Warning;
use crate::params::{clamped_note_for, Dist, Layer, P};
use crate::sim::{EventSpec, VariantSpec};

use super::event_keys::EventKey;

/// The table a value's source names, for the message: "variant `a`: ", "[base]: ",
/// "world `w`: " (a `--params` row's source names only its file and line).
pub(super) fn table_of(source: &str) -> String {
    source
        .split_once(" (scenario ")
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .map_or(String::new(), |table| format!("{table}: "))
}

impl Validator<'_> {
    /// Warns about each value a file sets (the scenario's `[base]`, a variant's table or a
    /// `[[world]]`, a `--params` row) whose draws fall outside its key's valid range more
    /// than [`crate::params::CLAMPED_WARN_SHARE`] of the time at one end. A key that has
    /// no effect on any variant it reaches (its model, route, a closed gate or a missing
    /// rule: `closed_on`) is left to the warning that says so. The
    /// defaults are checked by a test to hold none.
    pub(super) fn warn_clamped_values(&mut self, variants: &[VariantSpec]) {
        // Each place a value is set, its value, and whether a variant it reaches can use it.
        let mut places: Vec<(&str, P, &Dist, bool)> = Vec::new();
        for v in variants {
            for (p, _) in v.params().entries() {
                let Some(setter) = set_by_a_file(v, p) else {
                    continue;
                };
                let acts = self.closed_on(p, v).is_none();
                match places
                    .iter_mut()
                    .find(|(source, key, ..)| *source == setter.source && *key == p)
                {
                    Some((.., any)) => *any |= acts,
                    None => places.push((setter.source.as_str(), p, &setter.dist, acts)),
                }
            }
        }
        for (source, p, dist, acts) in places {
            let Some(note) = acts.then(|| clamped_note_for(p, dist)).flatten() else {
                continue;
            };
            let (origin, line) = location(source);
            self.warnings.push(Warning {
                origin,
                line,
                message: format!("{}key `{}`: {note}", table_of(source), p.key()),
            });
        }
    }

    /// Warns about each event value whose draws the engine clamps more than 1% of the
    /// time ([`super::event_keys::EventField::clamped_note`]) and that the trials draw:
    /// the scenario's own, at its line, unless a `--params` row or a command's point
    /// replaces it; a `--params` row's (`event.<name>.<field>`), at the row's line, when
    /// it is the value the events end with (`scenario`: the events as the file sets them;
    /// `applied`: with the rows and points applied). A row that sets the scenario's own
    /// value is warned at the scenario's line, as a parameter's is; a command's point
    /// (`Layer::Point`) is the command's to warn about.
    pub(super) fn warn_clamped_event_values(
        &mut self,
        overrides: Option<&super::overrides::Overrides>,
        (scenario, applied): (&[EventSpec], &[EventSpec]),
        settings: &[crate::params::Setting],
    ) {
        // A value that acts on no variant (an event in none of the variants' markets, a
        // campaign's term where every variant it reaches is fully managed…) changes
        // nothing: it is warned of as such (`warn_idle_events`, `warn_idle_event_fields`),
        // its draws are not.
        let value_in = |events: &[EventSpec], key: &EventKey| -> Option<Dist> {
            let event = events.iter().find(|e| e.name() == key.event)?;
            let idle = settings
                .iter()
                .all(|s| key.field.idle_on(event, s).is_some());
            (!idle).then(|| key.field.get(event).cloned()).flatten()
        };
        let rows = overrides.map_or(&[][..], |o| o.events.as_slice());
        for (key, dist, warning) in std::mem::take(&mut self.event_clamps) {
            // A command's point sets it (even to the same value): the command warns of
            // its own cells.
            let by_a_point = rows.iter().any(|r| r.layer == Layer::Point && r.key == key);
            if !by_a_point && value_in(applied, &key).as_ref() == Some(&dist) {
                self.warnings.push(warning);
            }
        }
        for row in rows.iter().filter(|r| r.layer == Layer::Csv) {
            let last = value_in(applied, &row.key).as_ref() == Some(&row.value);
            let the_scenarios = value_in(scenario, &row.key).as_ref() == Some(&row.value);
            if !last || the_scenarios {
                continue;
            }
            if let Some(note) = row.key.field.clamped_note(&row.value) {
                let (origin, line) = location(&row.source);
                self.warnings.push(Warning {
                    origin,
                    line,
                    message: format!("key `{}`: {note}", row.key),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::table_of;

    #[test]
    fn a_value_names_the_table_it_was_set_in() {
        assert_eq!(table_of("s.toml:9 (scenario [base])"), "[base]: ");
        assert_eq!(
            table_of("s.toml:12 (scenario variant `a (b)`)"),
            "variant `a (b)`: "
        );
        assert_eq!(
            table_of("s.toml:30 (scenario world `high`)"),
            "world `high`: "
        );
        assert_eq!(table_of("p.csv:4"), "");
    }
}
