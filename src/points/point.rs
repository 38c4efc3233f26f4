//! A point: a study's inputs set to given values (a sweep's grid row or range step, a
//! threshold's candidate value, a sensitivity swing's end), as override rows applied after
//! every `--params` row.

use super::key::InputKey;
use crate::params::Dist;
use crate::scenario::event_keys::EventOverride;
use crate::scenario::overrides::Override;

/// One value a point sets.
#[derive(Clone, Debug, PartialEq)]
pub struct PointValue {
    /// The parameter, or an event's number.
    pub param: InputKey,
    /// Its value at this point.
    pub dist: Dist,
    /// Where it was set, for `run.json`-style provenance (`grid.csv:4`, `--range price.retail`).
    pub source: String,
    /// The variant it is set on; `None`: the point's (see [`Point::variant`]).
    pub variant: Option<String>,
}

/// One point of a sweep: the values it sets, on one variant or on all.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// The grid's `name` cell, or the values it sets (`price.retail=18`).
    pub name: String,
    /// The values, in column order (grid columns, then ranges).
    pub values: Vec<PointValue>,
    /// The variant the point changes; `None`: every variant.
    pub variant: Option<String>,
    /// Whether its values move their inputs alone (a sensitivity swing): a value given to
    /// a correlated input drops that input's rank correlations at this point. Otherwise
    /// (a sweep or threshold point) fixing a correlated input is refused, naming the pair.
    pub moves_alone: bool,
}

impl Point {
    /// The point's values as override rows, applied after every `--params` row: the
    /// parameter rows and the event rows.
    pub fn overrides(&self) -> (Vec<Override>, Vec<EventOverride>) {
        let (mut params, mut events) = (Vec::new(), Vec::new());
        for v in &self.values {
            let variant = v.variant.clone().or_else(|| self.variant.clone());
            let (param, event) = v.param.rows(&v.dist, variant, &v.source);
            params.extend(param);
            events.extend(event);
        }
        (params, events)
    }

    /// The value the point sets for `key`, if it sets one.
    pub fn value(&self, key: &InputKey) -> Option<&Dist> {
        self.values
            .iter()
            .find(|v| v.param == *key)
            .map(|v| &v.dist)
    }
}

/// `v` to 12 significant digits: a step of 0.3 / 3 is 0.1 as the user wrote the range,
/// not 0.09999999999999999 (the difference is far below any parameter's precision).
pub fn round_to_12_digits(v: f64) -> f64 {
    format!("{v:.11e}").parse().unwrap_or(v)
}
