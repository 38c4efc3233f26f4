//! An event's numbers as keys, `event.<name>.<field>` (e.g.
//! `event.black_friday_peak.demand_multiplier`): set from a `--params` CSV row, or moved
//! by a sweep, a threshold search or a sensitivity swing, like a catalog parameter.
//! Events belong to the study, not to a variant, so such a key applies to every variant
//! the event touches. The value is checked by the rules the scenario file's own key
//! follows (a multiplier from 0 to 100, a share from 0 to 1, a duty rate as `tax.duty_rate`).

use crate::error::printable;
use crate::params::{check_value, Dist, Layer, Model, Setting, P};
use crate::sim::{CampaignTerm, EventFactor, EventSpec};

pub use super::events::ValueError;
use super::events::{check_multiplier, check_share, MAX_EVENT_MULTIPLIER};

/// What every event key starts with.
pub const PREFIX: &str = "event.";

/// A number of an `[[events]]` table that a key can set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventField {
    /// One of the event's multipliers.
    Factor(EventFactor),
    /// A tariff change's duty rate.
    DutyRate,
    /// One of a campaign's terms.
    Campaign(CampaignTerm),
}

impl EventField {
    /// Every field, in the order the scenario documentation lists them.
    pub const ALL: [EventField; 9] = [
        EventField::Factor(EventFactor::Demand),
        EventField::Factor(EventFactor::Delay),
        EventField::Factor(EventFactor::AdCost),
        EventField::Factor(EventFactor::SupplyPrice),
        EventField::Factor(EventFactor::Lost),
        EventField::DutyRate,
        EventField::Campaign(CampaignTerm::PriceCut),
        EventField::Campaign(CampaignTerm::CouponShare),
        EventField::Campaign(CampaignTerm::FeeRate),
    ];

    /// The key in a scenario's `[[events]]` table.
    pub fn key(self) -> &'static str {
        match self {
            EventField::Factor(f) => f.key(),
            EventField::DutyRate => "duty_rate",
            EventField::Campaign(t) => t.key(),
        }
    }

    /// The field a scenario's `[[events]]` key names.
    pub(super) fn from_key(key: &str) -> Option<EventField> {
        EventField::ALL.into_iter().find(|f| f.key() == key)
    }

    /// Its unit, as the catalog writes units: a duty rate is the `tax.duty_*` parts', a
    /// campaign's terms are fractions.
    pub fn unit(self) -> &'static str {
        match self {
            EventField::Factor(_) => "multiplier",
            EventField::DutyRate => P::DutyBaseRate.spec().unit,
            EventField::Campaign(_) => "fraction",
        }
    }

    /// The range a fixed value may take.
    pub fn bounds(self) -> (f64, f64) {
        match self {
            EventField::Factor(_) => (0.0, MAX_EVENT_MULTIPLIER),
            EventField::DutyRate => {
                let spec = P::DutyBaseRate.spec();
                (spec.min, spec.max)
            }
            EventField::Campaign(_) => (0.0, 1.0),
        }
    }

    /// What the engine's clamping does to a value of this field, when it moves more than
    /// 1% of the draws (`crate::params::clamped_note`): the engine keeps a draw in the
    /// field's drawn range (`sim::inputs::sample_events`), taking one outside as the
    /// nearer end.
    pub fn clamped_note(self, d: &Dist) -> Option<String> {
        let (min, max) = match self {
            EventField::Factor(_) => EventFactor::DRAWN_RANGE,
            EventField::DutyRate => {
                let spec = P::DutyBaseRate.spec();
                (spec.min, spec.max)
            }
            EventField::Campaign(_) => CampaignTerm::DRAWN_RANGE,
        };
        crate::params::clamped_note(d, min, max, false)
    }

    /// Why the field cannot act on a variant of `setting` in `event`: the event does not
    /// apply to the variant's market, or the field is one operating model's (a campaign's
    /// terms and the ad cost a self-operated shop's, which fully managed never pays; the
    /// supply price fully managed's). `None` where it acts.
    pub fn idle_on(self, event: &EventSpec, setting: &Setting) -> Option<&'static str> {
        if !event.markets().is_empty() && !event.markets().contains(&setting.market) {
            return Some("the event applies to other markets than the variant's");
        }
        match (self, setting.model) {
            (EventField::Factor(EventFactor::SupplyPrice), Model::SelfOperated) => Some(
                "the supply price is a fully managed merchant's: a self-operated shop sets its own price",
            ),
            (EventField::Factor(EventFactor::AdCost), Model::FullyManaged) => {
                Some("the platform markets a fully managed product, so you buy no ads")
            }
            (EventField::Campaign(_), Model::FullyManaged) => Some(
                "the platform funds a fully managed product's promotions: a campaign's price cut, coupons and fee are a self-operated shop's",
            ),
            _ => None,
        }
    }

    /// `d` if the scenario file would accept it for this field, else why not.
    pub fn check(self, d: Dist) -> Result<Dist, ValueError> {
        match self {
            EventField::Factor(f) => check_multiplier(&d, f).map(|()| d),
            EventField::DutyRate => Ok(check_value(P::DutyBaseRate, d)?.dist().clone()),
            EventField::Campaign(_) => check_share(&d).map(|()| d),
        }
    }

    /// The field's value in `event`; `None` for a duty rate the event does not change.
    pub fn get(self, event: &EventSpec) -> Option<&Dist> {
        match self {
            EventField::Factor(f) => Some(&event.multipliers()[f as usize]),
            EventField::DutyRate => event.duty_rate(),
            EventField::Campaign(t) => Some(&event.campaign()[t as usize]),
        }
    }

    /// Sets the field of `event` to `value`, checked by [`EventField::check`].
    fn set(self, event: &mut EventSpec, value: Dist) {
        match self {
            EventField::Factor(f) => event.set_multiplier(f, value),
            EventField::DutyRate => event.set_duty_rate(value),
            EventField::Campaign(t) => event.set_campaign_term(t, value),
        }
    }
}

/// `event.<name>.<field>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventKey {
    /// The event's `name`.
    pub event: String,
    /// What it sets.
    pub field: EventField,
}

/// Why a key names no input: it reads as the message users see (the caller adds where).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Neither a catalog parameter nor an event key; `hint` suggests one or says why a
    /// key was removed.
    #[error("unknown parameter `{key}`{hint}")]
    UnknownParameter {
        /// The key as written (printable).
        key: String,
        /// ` (did you mean …?)`, `: <why it was removed>`, or empty.
        hint: String,
    },
    /// `event.` without a name and a field.
    #[error("`{key}` is not an event key: write event.NAME.FIELD, e.g. event.black_friday.demand_multiplier")]
    NotAnEventKey {
        /// The key as written (printable).
        key: String,
    },
    /// An event key whose field no event has.
    #[error("`{key}`: an event has no field `{field}`{hint}; the fields are {fields}")]
    UnknownEventField {
        /// The key as written (printable).
        key: String,
        /// The field as written (printable).
        field: String,
        /// ` (did you mean …?)` or empty.
        hint: String,
        /// Every field, comma-separated.
        fields: String,
    },
}

impl EventKey {
    /// `None` for a key that is not an event key (no `event.` prefix); otherwise the key,
    /// or why it is not one.
    pub fn parse(key: &str) -> Option<Result<EventKey, KeyError>> {
        let rest = key.strip_prefix(PREFIX)?;
        let fields = EventField::ALL.map(EventField::key);
        let Some((event, field)) = rest.rsplit_once('.').filter(|(e, _)| !e.is_empty()) else {
            return Some(Err(KeyError::NotAnEventKey {
                key: printable(key),
            }));
        };
        Some(match EventField::from_key(field) {
            Some(field) => Ok(EventKey {
                event: event.to_string(),
                field,
            }),
            None => Err(KeyError::UnknownEventField {
                key: printable(key),
                field: printable(field),
                hint: crate::suggest::hint(field, fields.iter().copied()),
                fields: fields.join(", "),
            }),
        })
    }

    /// The key as written.
    pub fn key(&self) -> String {
        format!("{PREFIX}{}.{}", self.event, self.field.key())
    }
}

impl std::fmt::Display for EventKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.key())
    }
}

/// A value set on an event from outside the scenario file.
#[derive(Clone, Debug, PartialEq)]
pub struct EventOverride {
    /// What it sets.
    pub key: EventKey,
    /// The value, already checked against the field's rules.
    pub value: Dist,
    /// [`Layer::Csv`] for a `--params` row, [`Layer::Point`] for a sweep, threshold or
    /// sensitivity point (applied after every CSV row).
    pub layer: Layer,
    /// Where it comes from (`p.csv:7`, `--range event.bf.demand_multiplier`).
    pub source: String,
}

/// Sets `rows` on the study's `events`, CSV rows before points and otherwise in order (a
/// later row wins), recording each row's source on its event; returns the rows that name
/// no event of the study, as messages.
pub fn apply(events: &mut [EventSpec], rows: &[EventOverride]) -> Vec<String> {
    let mut ordered: Vec<&EventOverride> = rows.iter().collect();
    ordered.sort_by_key(|r| r.layer);
    let names: Vec<String> = events.iter().map(|e| e.name().to_string()).collect();
    let mut problems = Vec::new();
    for row in ordered {
        match events.iter_mut().find(|e| e.name() == row.key.event) {
            Some(event) => {
                row.key.field.set(event, row.value.clone());
                event.set_source(row.key.field.key(), row.source.clone());
            }
            None => problems.push(format!(
                "{}: key `{}`: the study has no event `{}`{}",
                row.source,
                row.key,
                printable(&row.key.event),
                if names.is_empty() {
                    " (it has no [[events]])".to_string()
                } else {
                    crate::suggest::hint(&row.key.event, names.iter().map(String::as_str))
                }
            )),
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::RangeError;

    #[test]
    fn keys_read_back_and_bad_ones_say_why() {
        let key = EventKey::parse("event.black_friday.peak.demand_multiplier")
            .unwrap()
            .unwrap();
        // The field is after the last dot: an event name may hold dots.
        assert_eq!(key.event, "black_friday.peak");
        assert_eq!(key.field, EventField::Factor(EventFactor::Demand));
        assert_eq!(key.key(), "event.black_friday.peak.demand_multiplier");
        assert!(EventKey::parse("price.retail").is_none());
        let e = EventKey::parse("event.bf.demand_multiplyer")
            .unwrap()
            .unwrap_err();
        assert!(
            matches!(&e, KeyError::UnknownEventField { field, .. } if field == "demand_multiplyer"),
            "{e:?}"
        );
        assert!(
            e.to_string().contains("did you mean `demand_multiplier`"),
            "{e}"
        );
        let e = EventKey::parse("event.demand_multiplier")
            .unwrap()
            .unwrap_err();
        assert!(matches!(e, KeyError::NotAnEventKey { .. }), "{e:?}");
        assert!(e.to_string().contains("write event.NAME.FIELD"), "{e}");
        for field in EventField::ALL {
            let key = format!("event.x.{}", field.key());
            assert_eq!(EventKey::parse(&key).unwrap().unwrap().field, field);
        }
    }

    #[test]
    fn values_follow_the_scenario_files_rules() {
        let check = |field: EventField, text: &str| field.check(Dist::parse(text).unwrap());
        let demand = EventField::Factor(EventFactor::Demand);
        assert!(check(demand, "2..3").is_ok());
        let e = check(demand, "-1").unwrap_err();
        assert!(
            matches!(&e, ValueError::BadMultiplier { value, positive: false } if value == "-1"),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "`-1` must be ≥ 0 (a multiplier; 1 = no change)"
        );
        let e = check(demand, "101").unwrap_err();
        assert!(
            matches!(e, ValueError::TooLarge { highest, .. } if highest == 101.0),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "`101` reaches 101; a multiplier above 100 is not accepted (1 = no change, 3 = three times the usual)"
        );
        // The ad-cost multiplier divides: 0 is refused, a log-normal (never 0) is not.
        let ad_cost = EventField::Factor(EventFactor::AdCost);
        let e = check(ad_cost, "0").unwrap_err();
        assert!(
            matches!(e, ValueError::BadMultiplier { positive: true, .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("> 0"), "{e}");
        assert!(check(ad_cost, "lognormal(1, 0.3)").is_ok());
        let cut = EventField::Campaign(CampaignTerm::PriceCut);
        assert!(check(cut, "0.2").is_ok());
        let e = check(cut, "1.5").unwrap_err();
        assert!(
            matches!(&e, ValueError::NotAShare { value } if value == "1.5"),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "`1.5` must lie from 0 to 1 (a share: write 0.1 for 10%)"
        );
        assert!(check(EventField::DutyRate, "0.25").is_ok());
        let e = check(EventField::DutyRate, "-0.1").unwrap_err();
        assert!(
            matches!(e, ValueError::OutOfRange(RangeError::Outside { .. })),
            "{e:?}"
        );
        // It reads as the catalog's own message.
        let range = check_value(P::DutyBaseRate, Dist::parse("-0.1").unwrap()).unwrap_err();
        assert_eq!(e.to_string(), range.to_string());
    }
}
