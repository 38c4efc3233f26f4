//! Peak events (`[[events]]`): days inside the horizon, multipliers that are multipliers
//! (≥ 0, at most [`MAX_EVENT_MULTIPLIER`]), markets by name.

use toml::Spanned;

use super::raw::RawEvent;
use super::validator::{describe, value_to_dist, Validator};
use crate::error::{printable, Kind, Warning};
use crate::params::dist::{IntervalForm, Shape};
use crate::params::{check_value, Dist, Market, Model, RangeError, P};
use crate::sim::{CampaignTerm, EventFactor, EventSpec};

/// Largest event multiplier accepted: a peak a hundred times the usual day is already far
/// beyond the Black Friday uplifts on record; larger values are typing mistakes.
pub const MAX_EVENT_MULTIPLIER: f64 = 100.0;

/// An event's optional terms, checked.
struct EventTerms {
    min_on_time_rate: Option<f64>,
    min_shop_score: Option<f64>,
    duty_rate: Option<Dist>,
    campaign: [Dist; 3],
}

impl Validator<'_> {
    pub(super) fn events(&mut self, raw: &[Spanned<RawEvent>], horizon: usize) -> Vec<EventSpec> {
        let mut events: Vec<EventSpec> = Vec::new();
        for ev in raw {
            let Some(event) = self.event(ev, horizon) else {
                continue;
            };
            // An `event.<name>.<field>` row and the `params` export address an event by
            // its name: two of one name would make the row change only the first.
            if events.iter().any(|other| other.name() == event.name()) {
                let span = ev.get_ref().name.as_ref().map_or(ev.span(), |n| n.span());
                self.problem(
                    span,
                    Kind::Conflict,
                    "name",
                    format!(
                        "event name `{}` is used twice; names must be unique (an `event.<name>.<field>` row addresses one event)",
                        printable(event.name())
                    ),
                );
                continue;
            }
            events.push(event);
        }
        events
    }

    /// Warns about each event that applies to none of the variants' markets: its numbers
    /// change nothing, and a `--params` row setting them would look as if it did.
    pub(super) fn warn_idle_events(
        &mut self,
        raw: &[Spanned<RawEvent>],
        events: &[EventSpec],
        markets: &[Market],
    ) {
        for event in events {
            if event.markets().is_empty() || markets.iter().any(|m| event.markets().contains(m)) {
                continue;
            }
            let line = table_named(raw, event.name()).map(|ev| ev.span().start);
            let listed: Vec<&str> = event.markets().iter().map(|m| m.name()).collect();
            let ours: std::collections::BTreeSet<&str> = markets.iter().map(|m| m.name()).collect();
            self.warning(
                line,
                format!(
                    "event `{}` applies to markets {} and no variant sells there ({}): it changes nothing",
                    printable(event.name()),
                    listed.join(", "),
                    ours.into_iter().collect::<Vec<_>>().join(", ")
                ),
            );
        }
    }

    /// Warns about each event number set in the scenario or by a `--params` row that
    /// acts on none of the variants the event reaches (`EventField::idle_on`: a campaign's
    /// terms where every such variant is fully managed, a supply-price multiplier where
    /// every one is self-operated): the file's at its key's line, a row at the row
    /// unless it sets the file's own value (an exported catalog passed back sets nothing
    /// new). An event in none of the variants' markets is warned of whole
    /// (`warn_idle_events`), and a command's point by the command. `scenario`: the events
    /// as the file sets them.
    pub(super) fn warn_idle_event_fields(
        &mut self,
        raw: &[Spanned<RawEvent>],
        rows: &[super::event_keys::EventOverride],
        (scenario, events): (&[EventSpec], &[EventSpec]),
        settings: &[crate::params::Setting],
    ) {
        use super::event_keys::EventField;
        for event in events {
            let reached: Vec<&crate::params::Setting> = settings
                .iter()
                .filter(|s| event.markets().is_empty() || event.markets().contains(&s.market))
                .collect();
            let name = printable(event.name());
            let files_value = |field: super::event_keys::EventField| {
                scenario
                    .iter()
                    .find(|e| e.name() == event.name())
                    .and_then(|e| field.get(e))
            };
            let new_rows = |field| {
                rows.iter().filter(move |r| {
                    r.layer == crate::params::Layer::Csv
                        && r.key.event == event.name()
                        && r.key.field == field
                        && files_value(field) != Some(&r.value)
                })
            };
            if reached.is_empty() {
                // The event is warned of whole at its table; a row setting one of its
                // numbers is warned at the row.
                let listed: Vec<&str> = event.markets().iter().map(|m| m.name()).collect();
                for field in EventField::ALL {
                    for row in new_rows(field) {
                        self.warnings.push(at_row(
                            row,
                            format!(
                                "key `{}` has no effect: event `{name}` applies to markets {} and no variant sells there; remove the row",
                                row.key,
                                listed.join(", ")
                            ),
                        ));
                    }
                }
                continue;
            }
            let table = table_named(raw, event.name());
            for field in EventField::ALL {
                // Every variant the event reaches is of the other model: one reason.
                let Some(why) = reached
                    .iter()
                    .map(|s| field.idle_on(event, s))
                    .reduce(|a, b| a.and(b))
                    .flatten()
                else {
                    continue;
                };
                let given = table.and_then(|t| raw_field(t.get_ref(), field));
                if let Some(value) = given {
                    self.warning(
                        Some(value.span().start),
                        format!(
                            "event `{name}`: key `{}` has no effect on any variant the event reaches: {why}; remove it",
                            field.key()
                        ),
                    );
                }
                for row in new_rows(field) {
                    self.warnings.push(at_row(
                        row,
                        format!(
                            "key `{}` has no effect on any variant the event reaches: {why}; remove the row",
                            row.key
                        ),
                    ));
                }
            }
        }
    }

    /// Warns where two or more campaigns that overlap in a self-operated variant's market
    /// can fund coupons worth more than the price between them (each share at its 99th
    /// percentile, at most 1, as the engine draws it): the engine charges at most the
    /// whole price in coupons on such a day, and a user who wrote them should hear that
    /// the rest does nothing. Once per set of events, at the last one's coupon share: a
    /// `--params` row's line where a row set it, else the file's.
    pub(super) fn warn_coupons_over_the_price(
        &mut self,
        raw: &[Spanned<RawEvent>],
        rows: &[super::event_keys::EventOverride],
        events: &[EventSpec],
        settings: &[crate::params::Setting],
    ) {
        use super::event_keys::EventField;
        let coupons = EventField::Campaign(CampaignTerm::CouponShare);
        let high = |e: &EventSpec| {
            e.campaign()[CampaignTerm::CouponShare as usize]
                .quantile(0.99)
                .clamp(0.0, 1.0)
        };
        let Some(last) = events.iter().map(EventSpec::end_day).max() else {
            return;
        };
        let mut said: Vec<Vec<usize>> = Vec::new();
        for setting in settings.iter().filter(|s| s.model == Model::SelfOperated) {
            for day in 0..=last {
                let active: Vec<usize> = (0..events.len())
                    .filter(|&e| events[e].covers(day) && events[e].applies_to(setting.market))
                    .filter(|&e| high(&events[e]) > 0.0)
                    .collect();
                let most: f64 = active.iter().map(|&e| high(&events[e])).sum();
                if active.len() < 2 || most <= 1.0 || said.contains(&active) {
                    continue;
                }
                said.push(active.clone());
                let names: Vec<String> = active
                    .iter()
                    .map(|&e| format!("`{}`", printable(events[e].name())))
                    .collect();
                let names = match names.split_last() {
                    Some((last, [])) => last.clone(),
                    Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                    None => String::new(),
                };
                let message = format!(
                    "events {names} overlap on day {} and, at their 99th percentiles, their coupons add to {} of the price: a shop that joins them all is charged at most the whole price in coupons there",
                    day + 1,
                    crate::format::fmt_number(most)
                );
                let named = events[*active.last().expect("two or more")].name();
                let row = rows.iter().rev().find(|r| {
                    r.layer == crate::params::Layer::Csv
                        && r.key.event == named
                        && r.key.field == coupons
                });
                match row {
                    Some(row) => self.warnings.push(at_row(row, message)),
                    None => {
                        let line = table_named(raw, named)
                            .and_then(|ev| ev.get_ref().campaign_coupon_share.as_ref())
                            .map(|v| v.span().start);
                        self.warning(line, message);
                    }
                }
            }
        }
    }

    fn event(&mut self, raw: &Spanned<RawEvent>, horizon: usize) -> Option<EventSpec> {
        let table = raw.span();
        let ev = raw.get_ref();
        let mut ok = true;
        let name = match &ev.name {
            Some(v) => match self.name(v, "event: ", false) {
                Some(name) => name,
                None => {
                    ok = false;
                    String::new()
                }
            },
            None => {
                self.problem(
                    table.clone(),
                    Kind::Missing,
                    "name",
                    "[[events]]: key `name` is missing (add e.g. `name = \"black_friday\"`)"
                        .to_string(),
                );
                ok = false;
                String::new()
            }
        };
        let what = format!("event `{}`: ", printable(&name));
        self.event_name = name.clone();
        let day = |v: &mut Self, value: &Option<super::raw::RawValue>, key: &str| match value {
            Some(value) => v.whole(value, key, &what).map(|d| (value.span(), d)),
            None => {
                v.problem(
                    table.clone(),
                    Kind::Missing,
                    key,
                    format!("{what}key `{key}` is missing (days count from 1)"),
                );
                None
            }
        };
        let start = day(self, &ev.start_day, "start_day");
        let end = day(self, &ev.end_day, "end_day");
        if let Some((span, s)) = &start {
            if *s < 1 || *s > horizon as i64 {
                self.problem(
                    span.clone(),
                    Kind::OutOfRange,
                    "start_day",
                    format!(
                        "{what}key `start_day` = {s} is outside the horizon (days 1 to {horizon})"
                    ),
                );
                ok = false;
            }
        }
        if let (Some((span, e)), Some((_, s))) = (&end, &start) {
            if e < s || *e > horizon as i64 {
                self.problem(
                    span.clone(),
                    Kind::OutOfRange,
                    "end_day",
                    format!("{what}key `end_day` = {e} must be from start_day ({s}) to the horizon ({horizon})"),
                );
                ok = false;
            }
        }
        let multipliers = self.multipliers(ev, &what);
        ok &= multipliers.is_some();
        let multipliers = multipliers.unwrap_or_else(|| std::array::from_fn(|_| Dist::ONE));
        let markets = match &ev.markets {
            None => Some(Vec::new()),
            Some(value) => self.markets(value, &what),
        };
        ok &= markets.is_some();
        let terms = self.event_terms(ev, &what);
        let ((_, start), (_, end)) = (start?, end?);
        let terms = terms?;
        if !ok {
            return None;
        }
        let mut event = EventSpec::new(name, (start - 1) as usize, (end - 1) as usize)
            .expect("start_day ≤ end_day is checked above");
        for (factor, value) in EventFactor::ALL.into_iter().zip(multipliers) {
            event.set_multiplier(factor, value);
        }
        event.set_markets(markets.unwrap_or_default());
        event.set_thresholds(terms.min_on_time_rate, terms.min_shop_score);
        if let Some(rate) = terms.duty_rate {
            event.set_duty_rate(rate);
        }
        for (term, value) in CampaignTerm::ALL.into_iter().zip(terms.campaign) {
            event.set_campaign_term(term, value);
        }
        Some(event)
    }

    /// The event's optional terms: a campaign's on-time threshold, a tariff's duty rate
    /// and what joining the campaign costs; `None` (with the problems reported) when any
    /// is invalid.
    fn event_terms(&mut self, ev: &RawEvent, what: &str) -> Option<EventTerms> {
        let min_on_time_rate = ev
            .min_on_time_rate
            .as_ref()
            .map(|value| self.fraction(value, "min_on_time_rate", what));
        let min_shop_score = ev.min_shop_score.as_ref().map(|value| {
            self.number_up_to(value, "min_shop_score", what, 5.0, "a score, e.g. 3.5")
        });
        let duty_rate = ev
            .duty_rate
            .as_ref()
            .map(|value| self.event_duty_rate(value, what));
        let campaign = self.campaign_terms(ev, what);
        // `Some(None)`: given but invalid.
        if matches!(min_on_time_rate, Some(None))
            || matches!(min_shop_score, Some(None))
            || matches!(duty_rate, Some(None))
        {
            return None;
        }
        Some(EventTerms {
            min_on_time_rate: min_on_time_rate.flatten(),
            min_shop_score: min_shop_score.flatten(),
            duty_rate: duty_rate.flatten(),
            campaign: campaign?,
        })
    }

    /// The campaign's terms by [`CampaignTerm`] (0 where not given): shares from 0 to 1,
    /// possibly distributions; `None` (with the problems reported) when any is invalid.
    fn campaign_terms(&mut self, ev: &RawEvent, what: &str) -> Option<[Dist; 3]> {
        let fields = [
            &ev.campaign_price_cut,
            &ev.campaign_coupon_share,
            &ev.campaign_fee_rate,
        ];
        let zero = Dist::fixed(0.0).expect("0 is a valid value");
        let mut terms: [Dist; 3] = std::array::from_fn(|_| zero.clone());
        let mut ok = true;
        for (term, field) in CampaignTerm::ALL.iter().zip(fields) {
            let Some(value) = field else { continue };
            match self.share(value, term.key(), what) {
                Some(d) => terms[*term as usize] = d,
                None => ok = false,
            }
        }
        ok.then_some(terms)
    }

    /// A share from 0 to 1, fixed or a distribution (an unbounded one by its mean; its
    /// draws are clamped to [0, 1]).
    fn share(&mut self, value: &super::raw::RawValue, key: &str, what: &str) -> Option<Dist> {
        let d = self.event_value(value, key, what)?;
        if let Err(e) = check_share(&d) {
            self.problem(
                value.span(),
                Kind::OutOfRange,
                key,
                format!("{what}key `{key}`: {e}"),
            );
            return None;
        }
        self.warn_clamped(value, key, what, &d);
        Some(d)
    }

    /// Notes where the engine's clamping moves more than 1% of an event value's draws
    /// (`EventField::clamped_note`), at the value's line: warned unless a `--params` row
    /// or a command's point replaces the value (`warn_clamped_event_values`).
    fn warn_clamped(&mut self, value: &super::raw::RawValue, key: &str, what: &str, d: &Dist) {
        let Some(field) = super::event_keys::EventField::from_key(key) else {
            return;
        };
        if let Some(note) = field.clamped_note(d) {
            let warning = Warning {
                origin: self.origin().to_string(),
                line: Some(self.line_of(value.span().start)),
                message: format!("{what}key `{key}`: {note}"),
            };
            let key = super::event_keys::EventKey {
                event: self.event_name.clone(),
                field,
            };
            self.event_clamps.push((key, d.clone(), warning));
        }
    }

    /// A tariff event's duty rate, the whole duty from its first day (every part): checked
    /// as each part of `tax.duty_*` is.
    fn event_duty_rate(&mut self, value: &super::raw::RawValue, what: &str) -> Option<Dist> {
        let d = self.event_value(value, "duty_rate", what)?;
        match check_value(P::DutyBaseRate, d) {
            Ok(c) => {
                self.warn_clamped(value, "duty_rate", what, c.dist());
                Some(c.dist().clone())
            }
            Err(e) => {
                self.problem(
                    value.span(),
                    Kind::OutOfRange,
                    "duty_rate",
                    format!("{what}key `duty_rate`: {e}"),
                );
                None
            }
        }
    }

    /// An event key's number or distribution; `None` (with the problem reported) when it
    /// is neither.
    fn event_value(&mut self, value: &super::raw::RawValue, key: &str, what: &str) -> Option<Dist> {
        match value_to_dist(value.get_ref()) {
            Ok(d) => Some(d),
            Err(e) => {
                self.problem(
                    value.span(),
                    Kind::WrongType,
                    key,
                    format!("{what}key `{key}`: {e}"),
                );
                None
            }
        }
    }

    /// A fixed share between 0 and 1.
    fn fraction(&mut self, value: &super::raw::RawValue, key: &str, what: &str) -> Option<f64> {
        self.number_up_to(value, key, what, 1.0, "a share, e.g. 0.8")
    }

    /// A plain number from 0 to `max` (not a distribution); `None` (with the problem
    /// reported) otherwise. `example` says what it is, e.g. "a share, e.g. 0.8".
    fn number_up_to(
        &mut self,
        value: &super::raw::RawValue,
        key: &str,
        what: &str,
        max: f64,
        example: &str,
    ) -> Option<f64> {
        let number = match value.get_ref() {
            toml::Value::Float(f) => Some(*f),
            toml::Value::Integer(i) => Some(*i as f64),
            _ => None,
        };
        match number {
            Some(x) if (0.0..=max).contains(&x) => Some(x),
            _ => {
                self.problem(
                    value.span(),
                    Kind::OutOfRange,
                    key,
                    format!(
                        "{what}key `{key}` must be a number from 0 to {max} ({example}); found {}",
                        describe(value.get_ref())
                    ),
                );
                None
            }
        }
    }

    /// The event's multipliers by [`EventFactor`] (1 where not given); `None` (with the
    /// problems reported) when any is invalid.
    fn multipliers(&mut self, ev: &RawEvent, what: &str) -> Option<[Dist; 5]> {
        let fields = [
            &ev.demand_multiplier,
            &ev.delay_multiplier,
            &ev.ad_cost_multiplier,
            &ev.supply_price_multiplier,
            &ev.lost_multiplier,
        ];
        let mut multipliers: [Dist; 5] = std::array::from_fn(|_| Dist::ONE);
        let mut ok = true;
        for (factor, field) in EventFactor::ALL.iter().zip(fields) {
            let Some(value) = field else { continue };
            match self.multiplier(value, *factor, what) {
                Some(d) => multipliers[*factor as usize] = d,
                None => ok = false,
            }
        }
        ok.then_some(multipliers)
    }

    /// The markets an event is limited to: a list of market names, or one name; `None`
    /// (with the problems reported) when any is not a market.
    fn markets(&mut self, value: &super::raw::RawValue, what: &str) -> Option<Vec<Market>> {
        let items: Vec<toml::Value> = match value.get_ref() {
            toml::Value::Array(items) => items.clone(),
            single @ toml::Value::String(_) => vec![single.clone()],
            other => {
                self.problem(
                    value.span(),
                    Kind::WrongType,
                    "markets",
                    format!("{what}key `markets` must be a list of markets such as [\"us\", \"uk\"]; found {}", describe(other)),
                );
                return None;
            }
        };
        if items.is_empty() {
            self.problem(
                value.span(),
                Kind::OutOfRange,
                "markets",
                format!("{what}key `markets` is an empty list, which would apply the event nowhere; leave the key out for every market, or list them, e.g. [\"us\"]"),
            );
            return None;
        }
        let mut markets = Vec::new();
        let mut ok = true;
        for item in items {
            let spanned = Spanned::new(value.span(), item);
            match self.choice::<Market>(Some(&spanned), "markets", what) {
                Some(m) => markets.push(m),
                None => ok = false,
            }
        }
        ok.then_some(markets)
    }

    /// A multiplier: ≥ 0 (the ad-cost one > 0: it divides), at most
    /// [`MAX_EVENT_MULTIPLIER`].
    fn multiplier(
        &mut self,
        value: &super::raw::RawValue,
        factor: EventFactor,
        what: &str,
    ) -> Option<Dist> {
        let key = factor.key();
        let d = self.event_value(value, key, what)?;
        match check_multiplier(&d, factor) {
            Err(e) => {
                self.problem(
                    value.span(),
                    Kind::OutOfRange,
                    key,
                    format!("{what}key `{key}`: {e}"),
                );
                None
            }
            Ok(()) => {
                self.warn_clamped(value, key, what, &d);
                Some(d)
            }
        }
    }
}

/// Why a value is not accepted for an input (a catalog parameter, or an event's number as
/// the scenario file's own key takes it); it reads as the message users see (the caller
/// adds where and which key).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ValueError {
    /// Outside a catalog parameter's valid range (an event's duty rate is checked as
    /// `tax.duty_rate`).
    #[error(transparent)]
    OutOfRange(#[from] RangeError),
    /// A campaign term outside 0 to 1.
    #[error("`{value}` must lie from 0 to 1 (a share: write 0.1 for 10%)")]
    NotAShare {
        /// The value as written.
        value: String,
    },
    /// A multiplier below 0, or at or below 0 for the ad-cost one (it divides).
    #[error("`{value}` must be {} (a multiplier; 1 = no change)", lowest_multiplier(.positive))]
    BadMultiplier {
        /// The value as written.
        value: String,
        /// Whether it must be above 0 (the ad-cost multiplier), not only at least 0.
        positive: bool,
    },
    /// A multiplier reaching above [`MAX_EVENT_MULTIPLIER`].
    #[error("`{value}` reaches {highest}; a multiplier above {max} is not accepted (1 = no change, 3 = three times the usual)", max = MAX_EVENT_MULTIPLIER)]
    TooLarge {
        /// The value as written.
        value: String,
        /// The highest value it reaches (its mean for an unbounded distribution).
        highest: f64,
    },
}

/// The lowest a multiplier may be, as [`ValueError::BadMultiplier`] says it.
fn lowest_multiplier(positive: &bool) -> &'static str {
    if *positive {
        "> 0 in every draw: the ad-cost multiplier divides the return on ads, so a draw near 0 makes ads almost free (a `normal`, or a `lo..hi` from 0 or below, can draw 0 or less; write `lo..hi` with both ends above 0, `lognormal(median, sigma)` or `pert(lo, mode, hi)` above 0)"
    } else {
        "≥ 0"
    }
}

/// Whether `d` is a share from 0 to 1 (a distribution by its support, an unbounded one by
/// its mean: its draws are clamped to [0, 1]).
pub(super) fn check_share(d: &Dist) -> Result<(), ValueError> {
    let (lo, hi) = d.support();
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo, hi)
    } else {
        (d.mean(), d.mean())
    };
    if lo < 0.0 || hi > 1.0 {
        return Err(ValueError::NotAShare {
            value: d.to_string(),
        });
    }
    Ok(())
}

/// Whether `d` is an event multiplier of `factor`: ≥ 0 (the ad-cost one > 0: it divides),
/// at most [`MAX_EVENT_MULTIPLIER`].
pub(super) fn check_multiplier(d: &Dist, factor: EventFactor) -> Result<(), ValueError> {
    let (lo, hi) = d.support();
    let positive = factor == EventFactor::AdCost;
    let lowest = if lo.is_finite() { lo } else { d.mean() };
    let highest = if hi.is_finite() { hi } else { d.mean() };
    // A log-normal's support starts at 0 but never reaches it.
    let reaches_lowest = !matches!(d.shape(), Shape::LogNormal { .. })
        && !matches!(d.interval_form(), IntervalForm::LogNormal { .. });
    // The ad-cost multiplier divides the return on ads: a draw of 0 or less is floored at
    // 1e-6, which makes ads a million times cheaper, so no draw may get there (a normal
    // always can).
    let reaches_zero = lo == f64::NEG_INFINITY || (lowest <= 0.0 && reaches_lowest);
    if lowest < 0.0 || (positive && reaches_zero) {
        Err(ValueError::BadMultiplier {
            value: d.to_string(),
            positive,
        })
    } else if highest > MAX_EVENT_MULTIPLIER {
        Err(ValueError::TooLarge {
            value: d.to_string(),
            highest,
        })
    } else {
        Ok(())
    }
}

/// The `[[events]]` table named `name`.
fn table_named<'a>(raw: &'a [Spanned<RawEvent>], name: &str) -> Option<&'a Spanned<RawEvent>> {
    raw.iter().find(|ev| {
        ev.get_ref()
            .name
            .as_ref()
            .is_some_and(|n| n.get_ref().as_str() == Some(name))
    })
}

/// A warning at the line of a `--params` row.
fn at_row(row: &super::event_keys::EventOverride, message: String) -> Warning {
    let (origin, line) = super::model_keys::location(&row.source);
    Warning {
        origin,
        line,
        message,
    }
}

/// The value an `[[events]]` table gives a field, if it gives one.
fn raw_field(ev: &RawEvent, field: super::event_keys::EventField) -> Option<&super::raw::RawValue> {
    use super::event_keys::EventField;
    match field {
        EventField::Factor(f) => [
            &ev.demand_multiplier,
            &ev.delay_multiplier,
            &ev.ad_cost_multiplier,
            &ev.supply_price_multiplier,
            &ev.lost_multiplier,
        ][f as usize]
            .as_ref(),
        EventField::DutyRate => ev.duty_rate.as_ref(),
        EventField::Campaign(t) => [
            &ev.campaign_price_cut,
            &ev.campaign_coupon_share,
            &ev.campaign_fee_rate,
        ][t as usize]
            .as_ref(),
    }
}
