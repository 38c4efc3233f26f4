//! Warnings about values whose draws often leave their key's valid range. An unbounded
//! distribution (a normal, a log-normal, a `lo..hi` interval) is accepted when its mean
//! lies inside the range, and each draw outside is taken as the nearest bound: a share
//! `0.2..1.3` then puts 6.9% of the trials at exactly 1, a point mass the value as written
//! does not show. Said once per place a value is set, with the share at each end.

use super::model_keys::{location, set_by_a_file};
use super::validator::Validator;
use crate::error::Warning;
use crate::params::{clamped_note, P};
use crate::sim::VariantSpec;

impl Validator<'_> {
    /// Warns about each value a file sets (the scenario's `[base]`, a variant's table or a
    /// `[[world]]`, a `--params` row) whose draws fall outside its key's valid range more
    /// than [`crate::params::CLAMPED_WARN_SHARE`] of the time at one end. The defaults are
    /// checked by a test to hold none.
    pub(super) fn warn_clamped_values(&mut self, variants: &[VariantSpec]) {
        let mut seen: Vec<(&str, P)> = Vec::new();
        for v in variants {
            for (p, _) in v.params().entries() {
                let Some(setter) = set_by_a_file(v, p) else {
                    continue;
                };
                if seen.contains(&(setter.source.as_str(), p)) {
                    continue;
                }
                seen.push((setter.source.as_str(), p));
                let spec = p.spec();
                let Some(note) = clamped_note(&setter.dist, spec.min, spec.max) else {
                    continue;
                };
                let (origin, line) = location(&setter.source);
                self.warnings.push(Warning {
                    origin,
                    line,
                    message: format!("key `{}`: {note}", p.key()),
                });
            }
        }
    }
}
