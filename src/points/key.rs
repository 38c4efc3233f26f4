//! An input a point can set, i.e. what a sweep, a threshold search or a swing can move: a catalog parameter
//! (`price.retail`) or an event's number (`event.black_friday_peak.demand_multiplier`).

use std::fmt;

use crate::error::{printable, Kind};
use crate::params::{check_value, Dist, Layer, P};
use crate::scenario::event_keys::{EventKey, EventOverride, KeyError, ValueError};
use crate::scenario::overrides::{cell_dist, cell_value, Override, Takes};

/// Why an interval `LO..HI` cannot be moved over (`--between`, `--swing`); it reads as the
/// bare reason (the caller names the flag).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum BetweenError {
    /// An end that is not a finite number.
    #[error("both ends must be numbers")]
    NotNumbers,
    /// LO not below HI.
    #[error("LO ({lo}) must be below HI ({hi})")]
    Reversed {
        /// The interval's low end.
        lo: f64,
        /// Its high end.
        hi: f64,
    },
    /// An end the key cannot take.
    #[error("key `{key}`: {source}")]
    Value {
        /// The key.
        key: String,
        /// Why not.
        source: ValueError,
    },
    /// A whole-number key over an interval holding fewer than two whole numbers.
    #[error("`{key}` takes whole numbers: give an interval holding at least two")]
    TooFewWholeValues {
        /// The key.
        key: String,
    },
}

impl BetweenError {
    /// The kind of problem it is: an end that is no number is of the wrong type; the
    /// others are outside what the key can take.
    pub fn kind(&self) -> Kind {
        match self {
            BetweenError::NotNumbers => Kind::WrongType,
            BetweenError::Reversed { .. }
            | BetweenError::Value { .. }
            | BetweenError::TooFewWholeValues { .. } => Kind::OutOfRange,
        }
    }
}

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
    pub fn check_between(&self, lo: f64, hi: f64) -> Result<(), BetweenError> {
        if !(lo.is_finite() && hi.is_finite()) {
            return Err(BetweenError::NotNumbers);
        }
        if lo >= hi {
            return Err(BetweenError::Reversed { lo, hi });
        }
        for v in [lo, hi] {
            let dist = Dist::fixed(v).expect("a finite number is a value");
            // An end need not be whole: a whole-number parameter's values are the whole
            // numbers inside the interval.
            let checked = match self {
                InputKey::Param(p) => crate::params::check_range(*p, &dist).map_err(Into::into),
                InputKey::Event(_) => self.check(dist).map(|_| ()),
            };
            checked.map_err(|source| BetweenError::Value {
                key: self.key(),
                source,
            })?;
        }
        let (lo, hi) = self.ends(lo, hi);
        if self.integer() && hi - lo < 1.0 {
            return Err(BetweenError::TooFewWholeValues { key: self.key() });
        }
        Ok(())
    }

    /// The ends of the values an interval holds: for a whole-number parameter, the first
    /// and last whole numbers inside it (`10.5..40.3` holds 11 to 40); else the interval.
    pub fn ends(&self, lo: f64, hi: f64) -> (f64, f64) {
        if self.integer() {
            (lo.ceil(), hi.floor())
        } else {
            (lo, hi)
        }
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
    pub fn check(&self, d: Dist) -> Result<Dist, ValueError> {
        match self {
            InputKey::Param(p) => Ok(check_value(*p, d)?.dist().clone()),
            InputKey::Event(e) => e.field.check(d),
        }
    }

    /// A spreadsheet cell's value for this key, read as a `--params` cell is.
    pub fn cell(&self, cell: &str, delimiter: u8) -> Result<Dist, (Kind, String)> {
        let dist = self.read_cell(cell, delimiter)?;
        self.check(dist)
            .map_err(|e| (Kind::OutOfRange, e.to_string()))
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

impl InputKey {
    /// What the engine's clamping does to `dist` as this input's value, when it moves more
    /// than 1% of the draws (`crate::params::clamped_note_for`,
    /// `EventField::clamped_note`).
    pub fn clamped_note(&self, dist: &Dist) -> Option<String> {
        match self {
            InputKey::Param(p) => crate::params::clamped_note_for(*p, dist),
            InputKey::Event(key) => key.field.clamped_note(dist),
        }
    }
}

impl fmt::Display for InputKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::RangeError;

    #[test]
    fn intervals_say_what_is_wrong_by_variant() {
        let price = InputKey::Param(P::RetailPrice);
        assert_eq!(price.check_between(15.0, 25.0), Ok(()));
        let e = price.check_between(f64::NAN, 25.0).unwrap_err();
        assert_eq!(e, BetweenError::NotNumbers);
        assert_eq!(e.kind(), Kind::WrongType);
        assert_eq!(e.to_string(), "both ends must be numbers");
        let e = price.check_between(25.0, 15.0).unwrap_err();
        assert_eq!(e, BetweenError::Reversed { lo: 25.0, hi: 15.0 });
        assert_eq!(e.kind(), Kind::OutOfRange);
        assert_eq!(e.to_string(), "LO (25) must be below HI (15)");
        let e = price.check_between(-5.0, 10.0).unwrap_err();
        assert!(
            matches!(&e, BetweenError::Value { key, source: ValueError::OutOfRange(RangeError::Outside { .. }) } if key == "price.retail"),
            "{e:?}"
        );
        assert!(
            e.to_string()
                .starts_with("key `price.retail`: value -5 is outside"),
            "{e}"
        );
        let event = InputKey::parse("event.peak.campaign_price_cut").unwrap();
        let e = event.check_between(0.5, 2.0).unwrap_err();
        assert!(
            matches!(&e, BetweenError::Value { source: ValueError::NotAShare { value }, .. } if value == "2"),
            "{e:?}"
        );
        let whole = InputKey::Param(P::ChannelAccounts);
        let e = whole.check_between(1.2, 1.4).unwrap_err();
        assert!(
            matches!(&e, BetweenError::TooFewWholeValues { key } if key == "demand.channel_accounts"),
            "{e:?}"
        );
        assert_eq!(e.kind(), Kind::OutOfRange);
        assert!(
            e.to_string()
                .ends_with("takes whole numbers: give an interval holding at least two"),
            "{e}"
        );
    }
}
