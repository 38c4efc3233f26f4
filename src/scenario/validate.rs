//! Validation of a parsed scenario: every value, name and cross-field rule, with every
//! problem of the file collected (a bad model does not hide a bad key) and located by
//! line and key.

use std::ops::Range;

use toml::Spanned;

use super::raw::{RawSettings, RawStudy, RawValue, RawVariant, RawWorld, Section};
use super::validator::{value_to_dist, Validator, HINTED_UNKNOWN_KEYS};
use super::{Overrides, Scenario, MAX_HORIZON_DAYS};
use crate::error::{printable, InputError, Kind, Problem};
use crate::params::dist::DistError;
use crate::params::duties::Part;
use crate::params::rules::{self};
use crate::params::{
    check_value, choices, Category, Dist, Freight, Layer, LoopType, Market, Model, Origin,
    Resolved, Route, Setting, TariffLine, Team, P,
};
use crate::sim::inputs::Sampling;
use crate::sim::{worlds::cell_name, StudySpec, VariantSpec, World, Worlds};

/// Validates a parsed scenario into a [`Scenario`], or every problem found.
pub(super) fn validate(
    text: &str,
    origin: &str,
    raw: RawStudy,
    overrides: Option<&Overrides>,
) -> Result<Scenario, InputError> {
    let mut v = Validator::new(text, origin);
    let scenario = v.study(raw, overrides);
    match (InputError::from_problems(v.problems), scenario) {
        (Some(e), _) => Err(e),
        (None, Ok(scenario)) => Ok(Scenario {
            warnings: in_reading_order(v.warnings, origin),
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

/// The warnings in the order a reader meets their lines: the scenario's first, then each
/// other file (a `--params` CSV) in the order first warned about; in each, those about the
/// whole file, then by line (the checks run by kind, an event's before a variant's). A
/// variant's warnings come once per world it is simulated in: each is said once.
pub(crate) fn in_reading_order(
    warnings: Vec<crate::error::Warning>,
    scenario: &str,
) -> Vec<crate::error::Warning> {
    let mut seen = std::collections::HashSet::new();
    let mut warnings: Vec<_> = warnings
        .into_iter()
        .filter(|w| seen.insert((w.origin.clone(), w.line, w.message.clone())))
        .collect();
    let mut origins: Vec<String> = vec![scenario.to_string()];
    for w in &warnings {
        if !origins.contains(&w.origin) {
            origins.push(w.origin.clone());
        }
    }
    // A stable sort: warnings at one line keep the order they were found in.
    warnings.sort_by_key(|w| (origins.iter().position(|o| *o == w.origin), w.line));
    warnings
}

impl Validator<'_> {
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
        let sampling = self
            .choice::<Sampling>(raw.sampling.as_ref(), "sampling", "")
            .unwrap_or_default();
        if let Some(value) = &raw.as_of {
            if let Some(date) = self.date(value, "as_of") {
                self.as_of = date;
            }
        }
        let currency = self.currency(raw.currency.as_ref(), raw.fx.as_ref());
        let description = raw
            .description
            .as_ref()
            .and_then(|d| self.text(d, "description", ""));
        let valid_horizon = horizon
            .as_ref()
            .map(|(_, h)| *h)
            .filter(|h| (1..=MAX_HORIZON_DAYS).contains(h));
        let horizon = horizon.map_or(1, |(_, h)| h.clamp(1, MAX_HORIZON_DAYS)) as usize;
        self.horizon_days = horizon as u32;

        // A horizon that is missing or out of range is reported once; events are then
        // checked against the longest horizon, not a made-up one ("days 1 to 1").
        let mut events = self.events(
            &raw.events,
            valid_horizon.unwrap_or(MAX_HORIZON_DAYS) as usize,
        );
        let scenario_events = events.clone();
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

        let worlds = self.worlds(&raw.world);
        let mut variants = self.variants(
            &raw.variant,
            &base,
            (base_market, base_category),
            overrides,
            &worlds,
        );
        let markets: Vec<Market> = variants.iter().map(|v| v.setting().market).collect();
        // Keys that reach every variant and that none of them can use.
        let settings: Vec<Setting> = variants.iter().map(|v| v.setting()).collect();
        self.warn_model_keys_of_all(base.sections(), &settings, "[base]");
        for (world, table) in &worlds {
            let table_name = format!("world `{}`", printable(&world.name));
            self.warn_model_keys_of_all(table.sections(), &settings, &table_name);
        }
        if let Some(o) = overrides {
            self.warn_model_keys_of_csv(o, &variants, &name, !worlds.is_empty());
        }
        self.warn_gated_keys(&variants);
        self.warn_clamped_values(&variants);
        self.warn_clamped_event_values(overrides, (&scenario_events, &events), &settings);
        self.warn_idle_events(&raw.events, &events, &markets);
        let event_rows = overrides.map_or(&[][..], |o| o.events.as_slice());
        self.warn_coupons_over_the_price(&raw.events, event_rows, &events, &settings);
        self.warn_idle_event_fields(
            &raw.events,
            event_rows,
            (&scenario_events, &events),
            &settings,
        );
        let table = self.correlation_table(raw.correlations.as_ref());
        let (csv, csv_problems) = super::correlations::csv_pairs(overrides);
        self.problems.extend(csv_problems);
        let moved_alone = overrides.map_or(&[][..], |o| o.moved_alone.as_slice());
        let assigned = super::correlations::assign(&mut variants, &table, &csv, moved_alone);
        self.problems.extend(assigned);
        self.warn_model_keys_of_correlations(&variants);
        let baseline = raw.baseline.as_ref().and_then(|b| {
            // In a study with worlds, an option names its cell in the first world.
            let first_world = worlds.first().map(|(w, _)| w.name.as_str());
            self.baseline(b, &variants, first_world)
        });
        let options: Vec<String> = raw
            .variant
            .iter()
            .filter_map(|v| v.get_ref().name.as_ref())
            .filter_map(|n| n.get_ref().as_str().map(str::to_string))
            .collect();
        let mut spec = StudySpec::new(
            name,
            seed.map_or(0, |(_, s)| s.max(0) as u64),
            trials.map_or(1, |(_, t)| t.max(1) as u64),
            horizon,
            events,
            variants,
        )?
        .with_sampling(sampling)?;
        if !worlds.is_empty() && spec.variants().len() == options.len() * worlds.len() {
            let worlds = worlds.into_iter().map(|(w, _)| w).collect();
            spec = spec.with_worlds(Worlds::every_cell(options, worlds));
        }
        Ok(Scenario {
            baseline,
            spec,
            origin: self.origin.to_string(),
            description,
            currency,
            exchange_rate: self.exchange.as_ref().map(|(rate, _)| rate.clone()),
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
        base_choices: (Market, Category),
        overrides: Option<&Overrides>,
        worlds: &[(World, &RawWorld)],
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
        for (index, variant) in raw.iter().enumerate() {
            let cells = self.variant(variant, base, base_choices, overrides, (worlds, index == 0));
            let Some(v) = cells.first() else {
                continue;
            };
            if variants.iter().any(|other| other.name() == v.name()) {
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
                        printable(v.name())
                    ),
                );
                continue;
            }
            variants.extend(cells);
        }
        variants
    }

    /// The `[[world]]` tables (none, or at least two with unique names), each as its
    /// [`World`] and its table.
    fn worlds<'r>(&mut self, raw: &'r [Spanned<RawWorld>]) -> Vec<(World, &'r RawWorld)> {
        if raw.len() == 1 {
            self.problem(
                raw[0].span(),
                Kind::Missing,
                "world",
                "a study with states of the world needs at least two [[world]] tables (one world is no choice of worlds: put its keys in [base])".to_string(),
            );
        }
        let mut worlds: Vec<(World, &RawWorld)> = Vec::new();
        let mut weights_given = Vec::new();
        for table in raw {
            let at = Some((table.span(), "[[world]]"));
            let table = table.get_ref();
            let name = self
                .required(table.name.as_ref(), "name", at, "name = \"duty_25\"")
                .and_then(|v| self.name(v, "world: ", false));
            let weight = table.weight.as_ref().and_then(|w| self.world_weight(w));
            weights_given.push((table.weight.as_ref().map(|w| w.span()), weight));
            let description = table
                .description
                .as_ref()
                .and_then(|d| self.text(d, "description", "world: "));
            let Some(name) = name else { continue };
            if name.contains('@') {
                let span = table.name.as_ref().map_or(0..0, |n| n.span());
                self.problem(span, Kind::Name, "name", format!("world: key `name`: `{}` cannot be used: `@` joins an option's name and a world's (`fbt@{}`)", printable(&name), printable(&name)));
                continue;
            }
            if worlds.iter().any(|(w, _)| w.name == name) {
                let span = table.name.as_ref().map_or(0..0, |n| n.span());
                self.problem(
                    span,
                    Kind::Conflict,
                    "name",
                    format!(
                        "world name `{}` is used twice; names must be unique",
                        printable(&name)
                    ),
                );
                continue;
            }
            worlds.push((
                World {
                    name,
                    weight,
                    description,
                },
                table,
            ));
        }
        let given = weights_given
            .iter()
            .filter(|(span, _)| span.is_some())
            .count();
        if given > 0 && given < weights_given.len() {
            let span = weights_given
                .iter()
                .find_map(|(span, _)| span.clone())
                .unwrap_or(0..0);
            self.problem(span, Kind::Missing, "weight", format!("{given} of the {} worlds have a `weight`: give every world one (how likely it is, relative to the others) or none", weights_given.len()));
        } else if given > 0 && weights_given.iter().all(|(_, w)| *w == Some(0.0)) {
            let span = weights_given[0].0.clone().unwrap_or(0..0);
            self.problem(
                span,
                Kind::OutOfRange,
                "weight",
                "every world's `weight` is 0: at least one must be above 0".to_string(),
            );
        }
        worlds
    }

    /// A world's weight: a finite number, 0 or more.
    fn world_weight(&mut self, value: &RawValue) -> Option<f64> {
        let number = match value.get_ref() {
            toml::Value::Float(x) => Some(*x),
            toml::Value::Integer(i) => Some(*i as f64),
            _ => None,
        };
        match number {
            Some(x) if x.is_finite() && x >= 0.0 => Some(x),
            _ => {
                self.problem(value.span(), Kind::OutOfRange, "weight", format!("world: key `weight`: {} is not a weight: give a number, 0 or more (how likely the world is, relative to the others)", value.get_ref()));
                None
            }
        }
    }

    /// The index of the variant `baseline` names.
    fn baseline(
        &mut self,
        value: &RawValue,
        variants: &[VariantSpec],
        first_world: Option<&str>,
    ) -> Option<usize> {
        let wanted = self.text(value, "baseline", "")?;
        let as_cell = first_world.map(|w| cell_name(&wanted, w));
        let found = variants
            .iter()
            .position(|v| v.name() == wanted || Some(v.name()) == as_cell.as_deref());
        if found.is_none() {
            let names = variants.iter().map(|v| v.name());
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

    /// The variant, or its cells when the study has worlds (one per world, in order;
    /// `first` says whether this is the first variant, which reports the worlds' keys).
    fn variant(
        &mut self,
        raw: &Spanned<RawVariant>,
        base: &RawSettings,
        (base_market, base_category): (Market, Category),
        overrides: Option<&Overrides>,
        (worlds, first): (&[(World, &RawWorld)], bool),
    ) -> Vec<VariantSpec> {
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
        let freight_value = raw.freight.as_ref().or(base.freight.as_ref());
        let freight = self.choice::<Freight>(freight_value, "freight", &what);
        let team_value = raw.team.as_ref().or(base.team.as_ref());
        let team = self.choice::<Team>(team_value, "team", &what);
        let origin_value = raw.origin.as_ref().or(base.origin.as_ref());
        let origin = self.choice::<Origin>(origin_value, "origin", &what);
        let line_value = raw.tariff_line.as_ref().or(base.tariff_line.as_ref());
        let tariff_line = self.choice::<TariffLine>(line_value, "tariff_line", &what);
        let setting = Setting {
            market,
            category,
            model: model.unwrap_or(Model::SelfOperated),
            route: route.unwrap_or(Route::DirectMail),
            freight: freight.unwrap_or(Freight::Sea),
            team: team.unwrap_or(Team::China),
            origin: origin.unwrap_or(Origin::China),
            tariff_line: tariff_line.unwrap_or_else(|| category.default_tariff_line()),
        };
        // An origin the scenario names must act: only some markets charge by origin.
        if let (Some(value), Some(_)) = (origin_value, origin) {
            if let Some(why) = crate::params::duties::origin_cannot_act(&setting) {
                if raw.origin.is_some() || !self.base_reported {
                    self.warning(Some(value.span().start), format!("{what}{why}"));
                }
            }
        }
        // A base's mode is for the variants that import stock; a variant's own must act.
        if let (Some(freight), Some(route), Some(value)) = (freight, route, raw.freight.as_ref()) {
            if !route.imports_stock() {
                self.warning(
                    Some(value.span().start),
                    format!("{what}{}", choices::freight_cannot_act(freight, route)),
                );
            }
        }
        // Likewise a variant's own team must act: fully managed has its own small team.
        if let (Some(team), Some(Model::FullyManaged), Some(value)) =
            (team, model, raw.team.as_ref())
        {
            self.warning(
                Some(value.span().start),
                format!("{what}{}", choices::team_cannot_act(team)),
            );
        }
        // A variant's own key must act on its model, route and freight mode.
        if model.is_some() {
            self.warn_model_keys(raw.sections(), &setting, route.is_some(), &what);
        }
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
        // The defaults are in USD: in the study's currency before its own values land.
        self.convert_defaults(&mut params);
        self.apply_layers(&mut params, base, raw, &label);
        if name.as_deref().is_some_and(|n| n.contains('@')) && !worlds.is_empty() {
            let span = raw.name.as_ref().map_or(table.clone(), |n| n.span());
            self.problem(span, Kind::Name, "name", format!("{what}key `name`: `@` joins an option's name and a world's in a study with [[world]] tables: use another character"));
        }
        // Without worlds, one cell: the variant itself.
        let cells: Vec<(String, Resolved)> = if worlds.is_empty() {
            vec![(name.clone().unwrap_or_default(), params)]
        } else {
            worlds
                .iter()
                .map(|(world, world_table)| {
                    let mut cell = params.clone();
                    self.apply_world(&mut cell, raw, world, world_table, &label, first);
                    (
                        cell_name(name.as_deref().unwrap_or_default(), &world.name),
                        cell,
                    )
                })
                .collect()
        };
        let mut specs = Vec::new();
        for (cell_label, mut params) in cells {
            // An option's name and a world's, each a valid name, may still be too long
            // together: the cell names files (a sensitivity chart) as any variant does.
            if !worlds.is_empty() && name.is_some() {
                if let Some(why) = super::name_rules::why_not_a_name(&cell_label) {
                    let span = raw.name.as_ref().map_or(table.clone(), |n| n.span());
                    self.problem(
                        span,
                        Kind::Name,
                        "name",
                        format!(
                            "{what}its variant `{}` cannot be named so: {why}; shorten the option's or the world's name",
                            printable(&cell_label)
                        ),
                    );
                    continue;
                }
            }
            if let Some(o) = overrides {
                o.apply_to_any(
                    &mut params,
                    &[name.as_deref().unwrap_or_default(), &cell_label],
                );
            }
            if model.is_some() && route.is_some() {
                self.warn_duty_defaults(&setting, &params, table.clone(), &what);
            }
            self.cross_checks(&params, table.clone(), &printable(&cell_label));
            if name.is_some() && model.is_some() && route.is_some() {
                let exchange = self.exchange.as_ref().map(|(rate, _)| rate);
                specs.push(VariantSpec::new(
                    cell_label, setting, params, self.as_of, exchange,
                ));
            }
        }
        specs
    }

    /// Applies `world`'s keys to a variant's parameters (after its own: a key is set by the
    /// variant or by the world, never both). The world's own problems are reported with
    /// the first variant only.
    fn apply_world(
        &mut self,
        params: &mut Resolved,
        variant: &RawVariant,
        world: &World,
        table: &RawWorld,
        label: &str,
        first: bool,
    ) {
        for ((section, mine), (_, theirs)) in variant.sections().iter().zip(table.sections()) {
            for (key, value) in theirs {
                if mine.contains_key(key) {
                    self.problem(
                        value.span(),
                        Kind::Conflict,
                        &format!("{section}.{key}"),
                        format!(
                            "world `{}` sets `{section}.{key}`, which variant `{label}` sets too: a key is the seller's choice (set on the [[variant]]) or the state of the world (set on the [[world]]), not both",
                            printable(&world.name)
                        ),
                    );
                }
            }
        }
        let kept = self.problems.len();
        self.apply(
            params,
            table.sections(),
            Layer::Variant,
            &format!("scenario world `{}`", printable(&world.name)),
        );
        if !first {
            self.problems.truncate(kept);
        }
    }

    /// Warns about the duty parts the variant takes from the duties file, not from the
    /// scenario or a CSV ([`crate::params::duties::warnings`]): a part with no row for its
    /// product and date, a row that is an assumption, a row that ends before the study.
    fn warn_duty_defaults(
        &mut self,
        setting: &Setting,
        params: &Resolved,
        table: Range<usize>,
        what: &str,
    ) {
        // A `--params` row that sets the value the layer below gives anyway (an exported
        // catalog passed back) changes nothing: the part is the user's where that layer
        // is (the scenario's `[base]` or variant), the duty file's assumption otherwise.
        let by_user = |layer| matches!(layer, Layer::Base | Layer::Variant | Layer::Point);
        let set: Vec<Part> = Part::ALL
            .into_iter()
            .filter(|part| {
                let p = part.param();
                let entry = params.get(p);
                let below_csv = params
                    .history(p)
                    .iter()
                    .rev()
                    .find(|e| e.layer < Layer::Csv);
                match (entry.layer, below_csv) {
                    (Layer::Csv, Some(b)) if b.dist == entry.dist => by_user(b.layer),
                    (Layer::Csv, _) => true,
                    (layer, _) => by_user(layer),
                }
            })
            .collect();
        for message in crate::params::duties::warnings(setting, self.as_of, self.horizon_days, &set)
        {
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
        // Without stock the policy cannot act (its keys are warned about if set): its
        // levels need not agree.
        let holds_stock = params.dist(P::InventoryEnabled).support().1 >= 0.5;
        if holds_stock && mean(P::ReorderPoint) > mean(P::OrderUpTo) {
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

/// As [`value_to_dist`], also taking `true`/`false` for on/off switches.
fn value_to_dist_for(p: P, value: &toml::Value) -> Result<Dist, DistError> {
    match value {
        toml::Value::Boolean(b) if p.spec().integer && p.spec().max == 1.0 => {
            Dist::fixed(if *b { 1.0 } else { 0.0 })
        }
        v => value_to_dist(v),
    }
}

#[cfg(test)]
mod tests {
    use super::in_reading_order;
    use crate::error::Warning;

    fn warning(origin: &str, line: Option<usize>, message: &str) -> Warning {
        Warning {
            origin: origin.to_string(),
            line,
            message: message.to_string(),
        }
    }

    #[test]
    fn warnings_come_in_the_order_their_lines_are_read() {
        let found = vec![
            warning("p.csv", Some(4), "event row"),
            warning("s.toml", Some(14), "event"),
            warning("s.toml", Some(9), "base"),
            warning("s.toml", Some(9), "base, second check"),
            warning("s.toml", None, "the whole file"),
            warning("p.csv", Some(2), "catalog row"),
            // Once per world: said once.
            warning("s.toml", Some(14), "event"),
            // The same line and words in another file are another warning.
            warning("p.csv", Some(14), "event"),
        ];
        let said: Vec<String> = in_reading_order(found, "s.toml")
            .iter()
            .map(|w| format!("{}:{:?} {}", w.origin, w.line, w.message))
            .collect();
        assert_eq!(
            said,
            [
                "s.toml:None the whole file",
                "s.toml:Some(9) base",
                "s.toml:Some(9) base, second check",
                "s.toml:Some(14) event",
                "p.csv:Some(2) catalog row",
                "p.csv:Some(4) event row",
                "p.csv:Some(14) event",
            ]
        );
    }
}
