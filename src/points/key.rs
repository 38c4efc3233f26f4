//! An input a point can set, i.e. what a sweep, a threshold search or a swing can move: a catalog parameter
//! (`price.retail`) or an event's number (`event.black_friday_peak.demand_multiplier`).

use std::fmt;

use crate::error::{printable, Kind};
use crate::params::{check_value, Dist, Layer, P};
use crate::scenario::event_keys::{EventKey, EventOverride, KeyError};
use crate::scenario::overrides::{cell_dist, cell_value, Override, Takes};

/// A key a point can set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputKey {
    /// A catalog parameter, per variant.
    Param(P),
    /// An event's number, for the whole study.
    Event(EventKey),
}

impl InputKey {
    /// Checks an interval `lo..hi` of a parameter (`--between`, `--swing`): both ends
    /// numbers in the parameter's valid range, `lo` below `hi`, two whole values at least for
    /// a whole-number parameter. The error is the bare reason (the caller names the flag).
    pub fn check_between(&self, lo: f64, hi: f64) -> Result<(), String> {
        if !(lo.is_finite() && hi.is_finite()) {
            return Err("both ends must be numbers".to_string());
        }
        if lo >= hi {
            return Err(format!("LO ({lo}) must be below HI ({hi})"));
        }
        for v in [lo, hi] {
            let dist = Dist::fixed(v).map_err(|e| e.to_string())?;
            self.check(dist).map_err(|e| format!("key `{self}`: {e}"))?;
        }
        if self.integer() && (hi.round() - lo.round()) < 1.0 {
            return Err(format!(
                "`{}` takes whole numbers: give an interval holding at least two",
                self.key()
            ));
        }
        Ok(())
    }

    /// The key named `key`, or why there is none (with a suggestion).
    pub fn parse(key: &str) -> Result<InputKey, KeyError> {
        if let Some(event) = EventKey::parse(key) {
            return event.map(InputKey::Event);
        }
        P::from_key(key)
            .map(InputKey::Param)
            .ok_or_else(|| KeyError::UnknownParameter {
                key: printable(key),
                hint: match crate::params::catalog::removed(key) {
                    Some(why) => format!(": {why}"),
                    None => crate::suggest::hint(key, crate::params::catalog::keys()),
                },
            })
    }

    /// The key as written.
    pub fn key(&self) -> String {
        match self {
            InputKey::Param(p) => p.key().to_string(),
            InputKey::Event(e) => e.key(),
        }
    }

    /// The catalog parameter, if it is one.
    pub fn param(&self) -> Option<P> {
        match self {
            InputKey::Param(p) => Some(*p),
            InputKey::Event(_) => None,
        }
    }

    /// Whether it takes whole numbers only.
    pub fn integer(&self) -> bool {
        match self {
            InputKey::Param(p) => p.spec().integer,
            InputKey::Event(_) => false,
        }
    }

    /// Whether it is an on/off switch (0 or 1).
    pub fn is_switch(&self) -> bool {
        let (min, max) = self.bounds();
        self.integer() && min == 0.0 && max == 1.0
    }

    /// The range a fixed value may take.
    pub fn bounds(&self) -> (f64, f64) {
        match self {
            InputKey::Param(p) => (p.spec().min, p.spec().max),
            InputKey::Event(e) => e.field.bounds(),
        }
    }

    /// `d` if the key may take it (the catalog's rules, or the scenario file's for an
    /// event's number), else why not.
    pub fn check(&self, d: Dist) -> Result<Dist, String> {
        match self {
            InputKey::Param(p) => check_value(*p, d)
                .map(|c| c.dist().clone())
                .map_err(|e| e.to_string()),
            InputKey::Event(e) => e.field.check(d),
        }
    }

    /// A spreadsheet cell's value for this key, read as a `--params` cell is.
    pub fn cell(&self, cell: &str, delimiter: u8) -> Result<Dist, (Kind, String)> {
        let dist = self.read_cell(cell, delimiter)?;
        self.check(dist).map_err(|e| (Kind::OutOfRange, e))
    }

    /// [`InputKey::cell`] before the key's range is checked.
    pub fn read_cell(&self, cell: &str, delimiter: u8) -> Result<Dist, (Kind, String)> {
        match self {
            InputKey::Param(p) => cell_value(*p, cell, delimiter),
            InputKey::Event(e) => cell_dist(cell, delimiter, Takes::number(e.field.unit())),
        }
    }

    /// The rows that set `value` at a point: a parameter row (on `variant`, or on every
    /// variant) or an event row.
    pub fn rows(
        &self,
        value: &Dist,
        variant: Option<String>,
        source: &str,
    ) -> (Option<Override>, Option<EventOverride>) {
        match self {
            InputKey::Param(p) => (
                Some(Override {
                    value: check_value(*p, value.clone())
                        .expect("point values are checked when read"),
                    variant,
                    line: 0,
                    layer: Layer::Point,
                    source: source.to_string(),
                }),
                None,
            ),
            InputKey::Event(e) => (
                None,
                Some(EventOverride {
                    key: e.clone(),
                    value: value.clone(),
                    layer: Layer::Point,
                    source: source.to_string(),
                }),
            ),
        }
    }
}

impl fmt::Display for InputKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}
