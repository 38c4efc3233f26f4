//! Validation of a parsed scenario: every value, name and cross-field rule, with every
//! problem of the file collected (a bad model does not hide a bad key) and located by
//! line and key.

use std::ops::Range;

use toml::Spanned;

use super::raw::{RawSettings, RawStudy, RawValue, RawVariant, Section};
use super::{Overrides, Scenario, MAX_HORIZON_DAYS};
use crate::error::{printable, InputError, Kind, LineIndex, Problem, Warning};
use crate::params::rules::{self, Date, DEFAULT_AS_OF};
use crate::params::{
    check_value, choices, Category, Dist, Layer, LoopType, Market, Model, Resolved, Route, Setting,
    P,
};
use crate::sim::{StudySpec, VariantSpec};

/// Validates a parsed scenario into a [`Scenario`], or every problem found.
pub(super) fn validate(
    text: &str,
    origin: &str,
    raw: RawStudy,
    overrides: Option<&Overrides>,
) -> Result<Scenario, InputError> {
    let mut v = Validator {
        origin,
        lines: LineIndex::new(text),
        problems: Vec::new(),
        warnings: Vec::new(),
        base_reported: false,
        unknown_keys: 0,
        as_of: DEFAULT_AS_OF,
    };
    let scenario = v.study(raw, overrides);
    match (InputError::from_problems(v.problems), scenario) {
        (Some(e), _) => Err(e),
        (None, Ok(scenario)) => Ok(Scenario {
            warnings: v.warnings,
            text: text.to_string(),
            ..scenario
        }),
        // Validation reports everything `StudySpec::new` checks; this is a backstop.
        (None, Err(e)) => Err(InputError::one(Problem::new(
            Kind::OutOfRange,
            origin,
            e.to_string(),
        ))),
    }
}

pub(super) struct Validator<'a> {
    origin: &'a str,
    lines: LineIndex,
    problems: Vec<Problem>,
    warnings: Vec<Warning>,
    /// `[base]` applies to every variant; its problems are reported for the first only.
    base_reported: bool,
    /// Unknown keys seen so far: past [`HINTED_UNKNOWN_KEYS`], no "did you mean" search
    /// (only the first problems are printed), so a huge file stays linear and fast.
    unknown_keys: usize,
    /// The date the study is about: which platform rules apply.
    as_of: Date,
}

const HINTED_UNKNOWN_KEYS: usize = 2 * crate::error::MAX_SHOWN;

/// How a value is described in a message: its type and the value.
pub(super) fn describe(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("the text \"{}\"", printable(s)),
        toml::Value::Integer(i) => format!("the number {i}"),
        toml::Value::Float(f) => format!("the number {f}"),
        toml::Value::Boolean(b) => format!("`{b}`"),
        toml::Value::Datetime(d) => format!("the date {d}"),
        toml::Value::Array(_) => "a list".to_string(),
        toml::Value::Table(_) => "a table".to_string(),
    }
}

impl Validator<'_> {
    /// The line of a byte offset of the file.
    pub(super) fn line_of(&self, offset: usize) -> usize {
        self.lines.line(offset)
    }

    /// Records a warning about the text at `offset` (or the whole file).
    pub(super) fn warning(&mut self, offset: Option<usize>, message: String) {
        self.warnings.push(Warning {
            origin: self.origin.to_string(),
            line: offset.map(|o| self.lines.line(o)),
            message,
        });
    }

    /// The file (or built-in name) being validated.
    pub(super) fn origin(&self) -> &str {
        self.origin
    }

    /// Records a problem at the line of `span`.
    pub(super) fn problem(&mut self, span: Range<usize>, kind: Kind, key: &str, message: String) {
        let line = self.lines.line(span.start);
        let mut p = Problem::new(kind, self.origin, message).at_line(line);
        if !key.is_empty() {
            p = p.with_key(key);
        }
        self.problems.push(p);
    }

    /// A required key: reported as missing (at `table`'s line, if any) when absent.
    fn required<'v>(
        &mut self,
        value: Option<&'v RawValue>,
        key: &str,
        table: Option<(Range<usize>, &str)>,
        example: &str,
    ) -> Option<&'v RawValue> {
        if value.is_none() {
            let (message, line) = match &table {
                Some((span, what)) => (
                    format!("{what}: key `{key}` is missing (add e.g. `{example}`)"),
                    Some(self.lines.line(span.start)),
                ),
                None => (
                    format!("key `{key}` is missing (add e.g. `{example}` at the top of the file)"),
                    None,
                ),
            };
            let mut p = Problem::new(Kind::Missing, self.origin, message).with_key(key);
            p.line = line;
            self.problems.push(p);
        }
        value
    }

    /// Reports that `key` holds the wrong type of value: "{what}key `k` must be {expected};
    /// found {what was found}".
    fn wrong_type(&mut self, value: &RawValue, key: &str, what: &str, expected: &str) {
        let found = describe(value.get_ref());
        self.problem(
            value.span(),
            Kind::WrongType,
            key,
            format!("{what}key `{key}` must be {expected}; found {found}"),
        );
    }

    /// A whole number (an integer, or a float with no fraction such as `1e4`).
    pub(super) fn whole(&mut self, value: &RawValue, key: &str, what: &str) -> Option<i64> {
        match value.get_ref() {
            toml::Value::Integer(i) => Some(*i),
            toml::Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Some(*f as i64),
            _ => {
                self.wrong_type(value, key, what, "a whole number");
                None
            }
        }
    }

    /// A date `YYYY-MM-DD`, quoted or as a TOML date.
    pub(super) fn date(&mut self, value: &RawValue, key: &str) -> Option<Date> {
        let text = match value.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(d) => d.to_string(),
            _ => {
                self.wrong_type(value, key, "", "a date such as \"2026-11-01\"");
                return None;
            }
        };
        match text.parse::<Date>() {
            Ok(d) => Some(d),
            Err(e) => {
                self.problem(
                    value.span(),
                    Kind::OutOfRange,
                    key,
                    format!("key `{key}`: {e}"),
                );
                None
            }
        }
    }

    /// Text in quotes.
    pub(super) fn text(&mut self, value: &RawValue, key: &str, what: &str) -> Option<String> {
        match value.get_ref() {
            toml::Value::String(s) => Some(s.trim().to_string()),
            _ => {
                let expected = format!("text in quotes (e.g. {key} = \"...\")");
                self.wrong_type(value, key, what, &expected);
                None
            }
        }
    }

    /// One of a fixed set of words (market, category, model, loop).
    pub(super) fn choice<T: std::str::FromStr<Err = String>>(
        &mut self,
        value: Option<&RawValue>,
        key: &str,
        what: &str,
    ) -> Option<T> {
        let value = value?;
        let word = self.text(value, key, what)?;
        match word.parse::<T>() {
            Ok(v) => Some(v),
            Err(e) => {
                self.problem(
                    value.span(),
                    Kind::OutOfRange,
                    key,
                    format!("{what}key `{key}`: {e}"),
                );
                None
            }
        }
    }

    /// A study, variant or event name (see [`super::name_rules`]): a study's names its
    /// output folder, so only plain characters.
    pub(super) fn name(&mut self, value: &RawValue, what: &str, is_study: bool) -> Option<String> {
        let name = self.text(value, "name", what)?;
        let why = if is_study {
            super::name_rules::why_not_a_study_name(&name)
        } else {
            super::name_rules::why_not_a_name(&name)
        };
        match why {
            Some(why) => {
                self.problem(
                    value.span(),
                    Kind::Name,
                    "name",
                    format!(
                        "{what}key `name`: `{}` cannot be used: {why}",
                        printable(&name)
                    ),
                );
                None
            }
            None => Some(name),
        }
    }

    /// A required top-level whole number; `invalid` says what is wrong with a value, if
    /// anything. Returns the value when it is a whole number (valid or not).
    fn top_level_whole(
        &mut self,
        value: Option<&RawValue>,
        key: &str,
        example: &str,
        invalid: impl Fn(i64) -> Option<String>,
    ) -> Option<(RawValue, i64)> {
        let value = self.required(value, key, None, example)?;
        let n = self.whole(value, key, "")?;
        if let Some(why) = invalid(n) {
            self.problem(
                value.span(),
                Kind::OutOfRange,
                key,
                format!("key `{key}`: {why}"),
            );
        }
        Some((value.clone(), n))
    }

    /// The scenario, or why its study cannot be built (already reported as a problem when
    /// the file is to blame).
    fn study(
        &mut self,
        raw: RawStudy,
        overrides: Option<&Overrides>,
    ) -> Result<Scenario, crate::sim::SpecError> {
        let name = self
            .required(raw.name.as_ref(), "name", None, "name = \"my_study\"")
            .and_then(|v| self.name(v, "", true))
            .unwrap_or_default();
        let trials = self.top_level_whole(raw.trials.as_ref(), "trials", "trials = 4000", |t| {
            if t < 1 {
                Some(format!("{t} trials; at least 1 is needed"))
            } else {
                (t as u64 > crate::sim::MAX_TRIALS)
                    .then(|| format!("{t} trials; at most {} can run", crate::sim::MAX_TRIALS))
            }
        });
        let horizon = self.top_level_whole(
            raw.horizon_days.as_ref(),
            "horizon_days",
            "horizon_days = 120",
            |h| {
                (!(1..=MAX_HORIZON_DAYS).contains(&h))
                    .then(|| format!("{h} days; it must be from 1 to {MAX_HORIZON_DAYS}"))
            },
        );
        let seed = self.top_level_whole(raw.seed.as_ref(), "seed", "seed = 1", |s| {
            (s < 0).then(|| format!("{s} is negative; use 0 or more"))
        });
        if let Some(value) = &raw.as_of {
            if let Some(date) = self.date(value, "as_of") {
                self.as_of = date;
            }
        }
        let currency = raw
            .currency
            .as_ref()
            .and_then(|c| self.text(c, "currency", ""))
            .unwrap_or_else(|| "USD".to_string());
        let description = raw
            .description
            .as_ref()
            .and_then(|d| self.text(d, "description", ""));
        let valid_horizon = horizon
            .as_ref()
            .map(|(_, h)| *h)
            .filter(|h| (1..=MAX_HORIZON_DAYS).contains(h));
        let horizon = horizon.map_or(1, |(_, h)| h.clamp(1, MAX_HORIZON_DAYS)) as usize;

        // A horizon that is missing or out of range is reported once; events are then
        // checked against the longest horizon, not a made-up one ("days 1 to 1").
        let mut events = self.events(
            &raw.events,
            valid_horizon.unwrap_or(MAX_HORIZON_DAYS) as usize,
        );
        if let Some(o) = overrides {
            let unknown = super::event_keys::apply(&mut events, &o.events);
            self.problems.extend(
                unknown
                    .into_iter()
                    .map(|m| crate::error::Problem::general(Kind::UnknownKey, m)),
            );
        }
        let base = raw.base.unwrap_or_default();
        let base_market = self
            .choice::<Market>(base.market.as_ref(), "market", "")
            .unwrap_or(Market::Us);
        let base_category = self
            .choice::<Category>(base.category.as_ref(), "category", "")
            .unwrap_or(Category::Beauty);

        let mut variants =
            self.variants(&raw.variant, &base, base_market, base_category, overrides);
        let markets: Vec<Market> = variants.iter().map(|v| v.setting.market).collect();
        self.warn_idle_events(&raw.events, &events, &markets);
        let table = self.correlation_table(raw.correlations.as_ref());
        let (csv, csv_problems) = super::correlations::csv_pairs(overrides);
        self.problems.extend(csv_problems);
        let moved_alone = overrides.map_or(&[][..], |o| o.moved_alone.as_slice());
        let assigned = super::correlations::assign(&mut variants, &table, &csv, moved_alone);
        self.problems.extend(assigned);
        let baseline = raw
            .baseline
            .as_ref()
            .and_then(|b| self.baseline(b, &variants));
        Ok(Scenario {
            baseline,
            spec: StudySpec::new(
                name,
                seed.map_or(0, |(_, s)| s.max(0) as u64),
                trials.map_or(1, |(_, t)| t.max(1) as u64),
                horizon,
                events,
                variants,
            )?,
            origin: self.origin.to_string(),
            description,
            currency,
            as_of: self.as_of,
            warnings: Vec::new(),
            text: String::new(),
        })
    }

    /// The variants (at least two, names unique), each with its parameters resolved.
    fn variants(
        &mut self,
        raw: &[Spanned<RawVariant>],
        base: &RawSettings,
        base_market: Market,
        base_category: Category,
        overrides: Option<&Overrides>,
    ) -> Vec<VariantSpec> {
        if raw.len() < 2 {
            self.problems.push(
                Problem::new(
                    Kind::Missing,
                    self.origin,
                    format!(
                        "a study needs at least two [[variant]] tables to compare; found {}",
                        raw.len()
                    ),
                )
                .with_key("variant"),
            );
        }
        let mut variants: Vec<VariantSpec> = Vec::new();
        for variant in raw {
            let Some(v) = self.variant(variant, base, base_market, base_category, overrides) else {
                continue;
            };
            if variants.iter().any(|other| other.name == v.name) {
                let span = variant
                    .get_ref()
                    .name
                    .as_ref()
                    .map_or(variant.span(), |n| n.span());
                self.problem(
                    span,
                    Kind::Conflict,
                    "name",
                    format!(
                        "variant name `{}` is used twice; names must be unique",
                        printable(&v.name)
                    ),
                );
                continue;
            }
            variants.push(v);
        }
        variants
    }

    /// The index of the variant `baseline` names.
    fn baseline(&mut self, value: &RawValue, variants: &[VariantSpec]) -> Option<usize> {
        let wanted = self.text(value, "baseline", "")?;
        let found = variants.iter().position(|v| v.name == wanted);
        if found.is_none() {
            let names = variants.iter().map(|v| v.name.as_str());
            let hint = crate::suggest::hint(&wanted, names);
            self.problem(
                value.span(),
                Kind::Conflict,
                "baseline",
                format!(
                    "key `baseline`: no variant is named `{}`{hint}",
                    printable(&wanted)
                ),
            );
        }
        found
    }

    fn variant(
        &mut self,
        raw: &Spanned<RawVariant>,
        base: &RawSettings,
        base_market: Market,
        base_category: Category,
        overrides: Option<&Overrides>,
    ) -> Option<VariantSpec> {
        let table = raw.span();
        let raw = raw.get_ref();
        let name = self
            .required(
                raw.name.as_ref(),
                "name",
                Some((table.clone(), "[[variant]]")),
                "name = \"self_fbt\"",
            )
            .and_then(|v| self.name(v, "variant: ", false));
        let what = format!(
            "variant `{}`: ",
            name.as_deref().map(printable).unwrap_or_default()
        );
        let in_table = Some((table.clone(), what.trim_end_matches(": ")));
        let model_value = self.required(
            raw.model.as_ref(),
            "model",
            in_table.clone(),
            "model = \"self_operated\"",
        );
        let model = self.choice::<Model>(model_value, "model", &what);
        let route = model.and_then(|model| self.route(raw, model, table.clone(), &what));
        let market = self
            .choice::<Market>(raw.market.as_ref(), "market", &what)
            .unwrap_or(base_market);
        let category = self
            .choice::<Category>(raw.category.as_ref(), "category", &what)
            .unwrap_or(base_category);
        // Without a valid model or route the variant cannot be built, but its keys are
        // still checked (on the default model and route) so every problem shows at once.
        let setting = Setting {
            market,
            category,
            model: model.unwrap_or(Model::SelfOperated),
            route: route.unwrap_or(Route::DirectMail),
        };
        if let (Some(model), Some(m)) = (model, model_value) {
            if !choices::offered(model, market) {
                self.warning(
                    Some(m.span().start),
                    format!(
                        "{what}{}; simulating it anyway",
                        choices::not_offered(model, market)
                    ),
                );
            }
        }
        if model.is_some() && route.is_some() {
            for rule in rules::applying(&setting, self.as_of) {
                let message = format!(
                    "{what}{}; simulating it anyway (the study is dated {}: key `as_of`)",
                    rule.warning(),
                    self.as_of
                );
                self.warning(Some(table.start), message);
            }
        }
        let label = name.as_deref().map(printable).unwrap_or_default();
        let mut params = Resolved::defaults(setting, self.as_of);
        self.apply_layers(&mut params, base, raw, &label);
        if let Some(o) = overrides {
            o.apply_to(&mut params, name.as_deref().unwrap_or_default());
        }
        // A duty rate the scenario or a CSV sets needs no warning.
        let duty_set = matches!(
            params.get(P::DutyRate).layer,
            Layer::Base | Layer::Variant | Layer::Csv | Layer::Point
        );
        if model.is_some() && route.is_some() && !duty_set {
            self.warn_missing_duty(&setting, table.clone(), &what);
        }
        self.cross_checks(&params, table, &label);
        let (name, _, _) = (name?, model?, route?);
        Some(VariantSpec {
            name,
            setting,
            params,
            penalty: crate::params::penalties::late_dispatch(&setting, self.as_of),
            probation_caps: crate::params::penalties::probation_caps(&setting, self.as_of),
            correlations: Vec::new(),
        })
    }

    /// Warns when the duties file has no row in force for the variant's market and
    /// valuation basis on the scenario's date: the variant then pays no duty by default.
    fn warn_missing_duty(&mut self, setting: &Setting, table: Range<usize>, what: &str) {
        if let Some(message) = crate::params::duties::missing_duty(setting, self.as_of) {
            self.warning(Some(table.start), format!("{what}{message}"));
        }
    }

    /// The variant's delivery route from its `route` and `loop` keys: a route alone implies
    /// its loop type; a loop type alone gets its default route ([`Route::default_for`]);
    /// both must agree. Fully managed always ships through the platform (route `managed`,
    /// full closed loop): a semi-closed fully managed variant is rejected.
    fn route(
        &mut self,
        raw: &RawVariant,
        model: Model,
        table: Range<usize>,
        what: &str,
    ) -> Option<Route> {
        let loop_type = self.choice::<LoopType>(raw.loop_type.as_ref(), "loop", what);
        let route = self.choice::<Route>(raw.route.as_ref(), "route", what);
        if raw.loop_type.is_some() && loop_type.is_none() || raw.route.is_some() && route.is_none()
        {
            return None;
        }
        let at = |v: &Option<RawValue>| v.as_ref().map_or(table.clone(), |v| v.span());
        match choices::resolve_route(model, route, loop_type) {
            Ok(Some(r)) => Some(r),
            Ok(None) => {
                let table = Some((table.clone(), what.trim_end_matches(": ")));
                self.required(None, "route", table, "route = \"fbt\"");
                None
            }
            Err((key, why)) => {
                let span = if key == "loop" {
                    at(&raw.loop_type)
                } else {
                    at(&raw.route)
                };
                self.problem(span, Kind::Conflict, key, format!("{what}{why}"));
                None
            }
        }
    }

    /// Applies a settings table (base or variant) on top of `params`.
    fn apply(
        &mut self,
        params: &mut Resolved,
        sections: [(&'static str, &Section); 15],
        layer: Layer,
        source: &str,
    ) {
        for (section, table) in sections {
            for (key, value) in table {
                let full = format!("{section}.{key}");
                let Some(p) = P::from_key(&full) else {
                    self.unknown_keys += 1;
                    let hint = if let Some(why) = crate::params::catalog::removed(&full) {
                        format!(": {why}")
                    } else if self.unknown_keys <= HINTED_UNKNOWN_KEYS {
                        crate::suggest::hint(&full, crate::params::catalog::keys())
                    } else {
                        String::new()
                    };
                    self.problem(
                        value.span(),
                        Kind::UnknownKey,
                        &full,
                        format!("unknown parameter `{}`{hint}", printable(&full)),
                    );
                    continue;
                };
                let dist = match value_to_dist_for(p, value.get_ref()) {
                    Ok(d) => d,
                    Err(e) => {
                        self.problem(
                            value.span(),
                            Kind::WrongType,
                            &full,
                            format!("key `{full}`: {e}"),
                        );
                        continue;
                    }
                };
                match check_value(p, dist) {
                    Ok(checked) => {
                        // Where the value was set, to the line: `run.json`, the report and
                        // `params --explain` show it.
                        let line = self.lines.line(value.span().start);
                        params.set(checked, layer, format!("{}:{line} ({source})", self.origin));
                    }
                    Err(e) => self.problem(
                        value.span(),
                        Kind::OutOfRange,
                        &full,
                        format!("key `{full}`: {e}"),
                    ),
                }
            }
        }
    }

    /// Applies the scenario's `[base]` and then the variant's own keys. `[base]` applies to
    /// every variant: its problems are reported with the first variant only.
    fn apply_layers(
        &mut self,
        params: &mut Resolved,
        base: &RawSettings,
        variant: &RawVariant,
        label: &str,
    ) {
        let report_base = !std::mem::replace(&mut self.base_reported, true);
        let kept = self.problems.len();
        self.apply(params, base.sections(), Layer::Base, "scenario [base]");
        if !report_base {
            self.problems.truncate(kept);
        }
        self.apply(
            params,
            variant.sections(),
            Layer::Variant,
            &format!("scenario variant `{label}`"),
        );
    }

    /// Rules across parameters, checked on the final values.
    fn cross_checks(&mut self, params: &Resolved, at: Range<usize>, name: &str) {
        let mean = |p: P| params.dist(p).mean();
        if mean(P::ReorderPoint) > mean(P::OrderUpTo) {
            self.problem(
                at,
                Kind::Conflict,
                "inventory.reorder_point",
                format!(
                    "variant `{name}`: `inventory.reorder_point` ({}) exceeds `inventory.order_up_to` ({}); the policy orders up to S when stock falls to s, so s ≤ S",
                    params.dist(P::ReorderPoint),
                    params.dist(P::OrderUpTo)
                ),
            );
        }
    }
}

/// A TOML value as a number or distribution.
pub(super) fn value_to_dist(value: &toml::Value) -> Result<Dist, String> {
    match value {
        toml::Value::Integer(i) => Dist::fixed(*i as f64).map_err(|e| e.to_string()),
        toml::Value::Float(f) if f.is_finite() => Dist::fixed(*f).map_err(|e| e.to_string()),
        toml::Value::Float(f) => Err(format!("`{f}` is not a finite number")),
        toml::Value::String(s) => Dist::parse(s).map_err(|e| e.to_string()),
        other => Err(format!(
            "expected a number or a distribution such as \"normal(10, 2)\"; found {}",
            describe(other)
        )),
    }
}

/// As [`value_to_dist`], also taking `true`/`false` for on/off switches.
fn value_to_dist_for(p: P, value: &toml::Value) -> Result<Dist, String> {
    match value {
        toml::Value::Boolean(b) if p.spec().integer && p.spec().max == 1.0 => {
            Dist::fixed(if *b { 1.0 } else { 0.0 }).map_err(|e| e.to_string())
        }
        v => value_to_dist(v),
    }
}
