//! Warnings about keys set where they cannot act ([`crate::params::model_only`]): a fully
//! managed term on a self-operated variant, a self-operated shop's cost on a fully managed
//! one, or a self-operated key on a route or freight mode it does nothing on (an entry fee
//! per parcel on a route that imports in bulk) would otherwise be accepted and change
//! nothing. A warning, not an error: a `[base]` or a `--params` file may be shared by
//! studies of any setting. A key that at least one of the variants it reaches can use is
//! said nothing of: `[base]`, a `[[world]]` and a CSV row without `variant` apply to every
//! variant.

use super::overrides::Overrides;
use super::raw::Section;
use super::validator::Validator;
use crate::error::{printable, Warning};
use crate::params::model_only::{
    acts_on_words, cannot_act, cannot_act_on, gated, idle_reason, one_of, words, Blocker, Idle,
    IdleReason,
};
use crate::params::{Dist, Entry, Layer, Setting, P};
use crate::sim::VariantSpec;

/// The variants a key reaches that cannot use it, by reason (in the order first met), each
/// with what keeps it from acting on them: one model, or some routes, or some freight
/// modes (one reason is one declaration).
type IdleGroups = Vec<(&'static str, Vec<Blocker>)>;

/// Why `p` acts on none of `settings` (those of the variants a key reaches), if it acts
/// on none. Nothing for no variant.
fn idle_on_all(p: P, settings: &[Setting]) -> Option<IdleGroups> {
    if settings.is_empty() {
        return None;
    }
    let mut groups: IdleGroups = Vec::new();
    for s in settings {
        let Idle { blocker, why } = cannot_act_on(p, s)?;
        match groups.iter_mut().find(|(w, _)| *w == why) {
            Some((_, blockers)) if blockers.contains(&blocker) => {}
            Some((_, blockers)) => blockers.push(blocker),
            None => groups.push((why, vec![blocker])),
        }
    }
    Some(groups)
}

/// The names of `blockers` (one kind), "`a` or `b`".
fn names(blockers: &[Blocker]) -> String {
    let mut names: Vec<String> = blockers
        .iter()
        .map(|b| match b {
            Blocker::Model(m) => words(*m).to_string(),
            Blocker::Route(r) => format!("`{r}`"),
            Blocker::Freight(f) => format!("`{f}`"),
        })
        .collect();
    names.sort();
    one_of(names)
}

/// What the variants of a group are, after "every variant" or "it": "is fully managed",
/// "is on route `fbt`", "has freight `air`".
fn is(blockers: &[Blocker]) -> String {
    match blockers[0] {
        Blocker::Model(_) => format!("is {}", names(blockers)),
        Blocker::Route(_) => format!("is on route {}", names(blockers)),
        Blocker::Freight(_) => format!("has freight {}", names(blockers)),
    }
}

/// The variants of a group, after "the": "self-operated variants", "variants on route
/// `fbt`", "variants with freight `air`".
fn plural(blockers: &[Blocker]) -> String {
    match blockers[0] {
        Blocker::Model(_) => format!("{} variants", names(blockers)),
        Blocker::Route(_) => format!("variants on route {}", names(blockers)),
        Blocker::Freight(_) => format!("variants with freight {}", names(blockers)),
    }
}

/// What the variants are and why the key does nothing on them, after "every variant" or
/// "it": "is fully managed, and <why>", or for several reasons "is fully managed or is on
/// route `fbt`: <why>; <why>".
fn reason(groups: &IdleGroups) -> String {
    match &groups[..] {
        [(why, blockers)] => format!("{}, and {why}", is(blockers)),
        _ => format!(
            "{}: {}",
            groups
                .iter()
                .map(|(_, b)| is(b))
                .collect::<Vec<_>>()
                .join(" or "),
            groups
                .iter()
                .map(|(why, _)| *why)
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

/// Where `p` acts (it does not act everywhere: it was found idle).
fn instead(p: P) -> String {
    acts_on_words(p).unwrap_or_default()
}

/// The value `p` has on variant `v` before any `--params` row sets it.
fn before_csv(v: &VariantSpec, p: P) -> &Dist {
    let history = v.params().history(p);
    // The catalog's default comes first: a layer below the CSV's is always found.
    let before = history.iter().rev().find(|e| e.layer < Layer::Csv);
    &before.unwrap_or(&history[0]).dist
}

/// The entry that set `p` on variant `v`, when a file the user gave set it (the scenario's
/// `[base]`, a variant's table or a `[[world]]`, a `--params` row): a `--params` row that
/// sets the value the variant has anyway is not the place it was set, the file under it
/// is (an exported catalog passed back keeps the scenario's warnings).
pub(super) fn set_by_a_file(v: &VariantSpec, p: P) -> Option<&Entry> {
    let entry = v.params().get(p);
    let setter = if entry.layer == Layer::Csv && before_csv(v, p) == &entry.dist {
        let mut below = v.params().history(p).iter().rev();
        below.find(|e| e.layer < Layer::Csv).unwrap_or(entry)
    } else {
        entry
    };
    matches!(setter.layer, Layer::Base | Layer::Variant | Layer::Csv).then_some(setter)
}

impl Validator<'_> {
    /// Warns about each key of a variant's own table that cannot act on its `setting`;
    /// `route_known`: its route was resolved (otherwise only its model is judged). `what`
    /// names the variant ("variant `x`: ").
    pub(super) fn warn_model_keys(
        &mut self,
        sections: [(&'static str, &Section); 15],
        setting: &Setting,
        route_known: bool,
        what: &str,
    ) {
        for (section, table) in sections {
            for (key, value) in table {
                let full = format!("{section}.{key}");
                let Some(p) = P::from_key(&full) else {
                    continue;
                };
                let idle = if route_known {
                    cannot_act_on(p, setting)
                } else {
                    cannot_act(p, setting.model).map(|why| Idle {
                        blocker: Blocker::Model(setting.model),
                        why,
                    })
                };
                let Some(Idle { blocker, why }) = idle else {
                    continue;
                };
                self.warning(
                    Some(value.span().start),
                    format!(
                        "{what}key `{full}` has no effect on {}: {why}; remove it, or set it on {}",
                        blocker.words(),
                        instead(p)
                    ),
                );
            }
        }
    }

    /// Warns about each key of a table that applies to every variant (`[base]`, a
    /// `[[world]]`: `table` names it) that none of the study's variants (`settings`) can
    /// use.
    pub(super) fn warn_model_keys_of_all(
        &mut self,
        sections: [(&'static str, &Section); 15],
        settings: &[Setting],
        table_name: &str,
    ) {
        for (section, table) in sections {
            for (key, value) in table {
                let full = format!("{section}.{key}");
                let Some((p, groups)) =
                    P::from_key(&full).and_then(|p| Some((p, idle_on_all(p, settings)?)))
                else {
                    continue;
                };
                self.warning(
                    Some(value.span().start),
                    format!(
                        "{table_name}: key `{full}` has no effect on any variant of the study: every variant {}; remove it, or add {} it is for",
                        reason(&groups),
                        instead(p)
                    ),
                );
            }
        }
    }

    /// Warns about each `--params` row that cannot act: one naming a variant of this study
    /// of the wrong model, or one for every variant that none of them can use. A row that
    /// sets the value its variants have anyway asks for nothing and is said nothing of:
    /// a catalog exported by `shopsim params SCENARIO` (every key of every variant) passes
    /// back without a warning. The warning is the CSV's, at the row's line; `study` names
    /// the study (a CSV may serve several). `worlds`: the study has worlds, whose cells
    /// `option@world` a row naming the option reaches.
    pub(super) fn warn_model_keys_of_csv(
        &mut self,
        overrides: &Overrides,
        variants: &[VariantSpec],
        study: &str,
        worlds: bool,
    ) {
        let study = format!("study `{}` ({})", printable(study), self.origin());
        for row in overrides.rows.iter().filter(|r| r.layer == Layer::Csv) {
            let p = row.value.param();
            let reached: Vec<&VariantSpec> = variants
                .iter()
                .filter(|v| match &row.variant {
                    None => true,
                    Some(name) => {
                        v.name() == name
                            || worlds
                                && v.name()
                                    .strip_prefix(name.as_str())
                                    .is_some_and(|rest| rest.starts_with('@'))
                    }
                })
                .collect();
            let settings: Vec<Setting> = reached.iter().map(|v| v.setting()).collect();
            let Some(groups) = idle_on_all(p, &settings) else {
                continue;
            };
            if !reached.iter().any(|v| before_csv(v, p) != row.value.dist()) {
                continue;
            }
            let message = match &row.variant {
                Some(name) => format!(
                    "key `{}` has no effect on variant `{}` of {study}: it {}; remove the row, or name {} in its `variant` column",
                    p.key(),
                    printable(name),
                    reason(&groups),
                    instead(p)
                ),
                None => format!(
                    "key `{}` has no effect on any variant of {study}: every variant {}; a row without `variant` applies to every variant",
                    p.key(),
                    reason(&groups)
                ),
            };
            self.warnings.push(Warning {
                origin: overrides.origin().to_string(),
                line: Some(row.line as usize),
                message,
            });
        }
    }
}

/// Where a value was set, from its source: `file:line` (a `--params` row) or `file:line
/// (scenario …)` (a table of the scenario).
pub(super) fn location(source: &str) -> (String, Option<usize>) {
    let head = source
        .split_once(" (scenario ")
        .map_or(source, |(head, _)| head);
    match head.rsplit_once(':') {
        Some((file, line)) if line.parse::<usize>().is_ok() => {
            (file.to_string(), line.parse().ok())
        }
        _ => (head.to_string(), None),
    }
}

/// What keeps a key from acting on one variant it reaches.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Closed {
    /// Why, after "`variant`:".
    why: String,
    /// What would make it act, after the reasons ("set … too, or remove it").
    hint: Option<String>,
}

/// The variants with what keeps a key from acting on each, grouped by reason in the order
/// first met: "`a`, `b`: <why>; `c`: <why>".
fn named_reasons<'a>(reached: impl Iterator<Item = (&'a str, &'a Closed)>) -> String {
    crate::params::model_only::named_reasons(reached.map(|(name, c)| (name, c.why.as_str())))
}

/// The variants a key reaches from one place it is set (its source) and, for each, what
/// keeps it from acting there, if anything does.
type GatedPlace = ((String, P), Vec<(String, Option<Closed>)>);

impl Validator<'_> {
    /// Warns about each key a file sets where the final value of another key keeps it
    /// from acting ([`gated`]: a refusal rate where no order is paid on delivery, a stock
    /// policy where the variant holds no stock) or a platform rule it needs is not in force
    /// ([`no_rule`]). One warning per place the key is set (a variant's
    /// table, `[base]`, a `[[world]]`, a `--params` row), when it can act on none of the
    /// variants it reaches from there, naming each with its reason (its model or route
    /// among them); places where only the model or route keeps it idle are the model-level
    /// checks' to warn about. A `--params` row that sets the value its variants have
    /// anyway is not the place the key was set: the file under it is (an exported catalog
    /// passed back keeps the scenario's warnings).
    pub(super) fn warn_gated_keys(&mut self, variants: &[VariantSpec]) {
        let mut places: Vec<GatedPlace> = Vec::new();
        for v in variants {
            for p in gated().map(|g| g.param).chain([P::LateDispatchRate]) {
                let Some(setter) = set_by_a_file(v, p) else {
                    continue;
                };
                let closed = self.closed_on(p, v);
                let reached = (v.name().to_string(), closed);
                let place = (setter.source.clone(), p);
                match places.iter_mut().find(|(seen, _)| *seen == place) {
                    Some((_, all)) => all.push(reached),
                    None => places.push((place, vec![reached])),
                }
            }
        }
        for ((source, p), reached) in places {
            let Some(closed) = reached
                .iter()
                .map(|(_, closed)| closed.clone())
                .collect::<Option<Vec<Closed>>>()
            else {
                continue;
            };
            // Only a model or route keeps it idle: the model-level checks say so.
            if closed.iter().all(|c| c.hint.is_none()) {
                continue;
            }
            // One remedy where every variant has the same; otherwise none fits them all.
            let hint = match &closed[0].hint {
                Some(h) if closed.iter().all(|c| c.hint.as_ref() == Some(h)) => h.clone(),
                _ => "remove it, or set it where it can act".to_string(),
            };
            let reasons = named_reasons(reached.iter().map(|(name, _)| name.as_str()).zip(&closed));
            // The table it was set in, as the clamped-value warning names it: `[base]` or a
            // world (a variant's own table is the variant the message names).
            let table = Some(super::clamped::table_of(&source))
                .filter(|t| !t.starts_with("variant "))
                .unwrap_or_default();
            let message = match &reached[..] {
                [(name, _)] => format!(
                    "{table}key `{}` has no effect on variant `{}`: {}; {hint}",
                    p.key(),
                    printable(name),
                    closed[0].why
                ),
                _ => format!(
                    "{table}key `{}` has no effect on any variant it applies to: {reasons}; {hint}",
                    p.key()
                ),
            };
            let (origin, line) = location(&source);
            self.warnings.push(Warning {
                origin,
                line,
                message,
            });
        }
    }
}

impl Validator<'_> {
    /// What keeps `p` from acting on `v`, if anything: its model or route (no remedy here:
    /// the model-level checks say so), a closed gate ([`gated`]) or a missing rule
    /// ([`no_rule`]).
    pub(super) fn closed_on(&self, p: P, v: &VariantSpec) -> Option<Closed> {
        let setting = v.setting();
        let most = |gate| Some(v.params().dist(gate).support().1);
        Some(match idle_reason(p, &setting, most, self.as_of)? {
            IdleReason::Setting(idle) => Closed {
                why: format!("it {}, and {}", is(&[idle.blocker]), idle.why),
                hint: None,
            },
            IdleReason::Gate(g) => Closed {
                why: g.why.to_string(),
                hint: Some(format!("set {} too, or remove it", g.opens_with)),
            },
            IdleReason::NoRule => no_rule(&setting, self.as_of),
        })
    }

    /// For a correlation pair the model-level checks found nothing to say of: the message
    /// when one of its inputs can act on none of the variants `of` it applies to, a gate
    /// or a missing rule keeping it idle on at least one.
    fn gated_idle_pair(&self, a: P, b: P, of: &[&VariantSpec]) -> Option<String> {
        let idle_on_every = |p: P| -> Option<Vec<Closed>> {
            let closed = of
                .iter()
                .map(|v| self.closed_on(p, v))
                .collect::<Option<Vec<Closed>>>()?;
            closed.iter().any(|c| c.hint.is_some()).then_some(closed)
        };
        let (idle, partner, closed) = match (idle_on_every(a), idle_on_every(b)) {
            (Some(closed), _) => (a, b, closed),
            (None, Some(closed)) => (b, a, closed),
            (None, None) => return None,
        };
        let names = of.iter().map(|v| v.name());
        Some(format!(
            "`{}` has no effect on the variants it applies to: {}; correlating it only changes which trials get which values of `{}`; drop the pair",
            idle.key(),
            named_reasons(names.zip(&closed)),
            partner.key()
        ))
    }
}

/// Why the late-dispatch rate cannot act on a variant of `setting` on `as_of`, for want of
/// a platform rule in force: it counts and costs only where the market has a late-dispatch
/// rule (`data/penalties.toml`: the US). Names the market and the date.
fn no_rule(setting: &Setting, as_of: crate::params::rules::Date) -> Closed {
    Closed {
        why: format!(
            "no late-dispatch rule of the platform is in force in market `{}` on the study's date ({as_of}, key `as_of`; data/penalties.toml), so late dispatches are neither counted nor charged",
            setting.market
        ),
        hint: Some("remove it, or date the study when a rule is in force".to_string()),
    }
}

/// A correlation pair: its source (`file:line`) and its two inputs.
type CorrelationPair = (String, P, P);

impl Validator<'_> {
    /// Warns about each correlation pair with an input that none of the variants it
    /// reaches can use: correlating it changes nothing but which trials get which values
    /// of the other input (its re-pairing follows the idle one's ranks). The warning is at
    /// the pair's own line (the scenario's or the CSV's).
    pub(super) fn warn_model_keys_of_correlations(&mut self, variants: &[VariantSpec]) {
        // Each pair (by its source line and keys) with the settings of the variants it
        // reaches.
        let mut reached: Vec<(CorrelationPair, Vec<&VariantSpec>)> = Vec::new();
        for v in variants {
            for c in v.correlations() {
                let key = (c.source.clone(), c.a, c.b);
                match reached.iter_mut().find(|(seen, _)| *seen == key) {
                    Some((_, of)) => of.push(v),
                    None => reached.push((key, vec![v])),
                }
            }
        }
        for ((source, a, b), of) in reached {
            let settings: Vec<Setting> = of.iter().map(|v| v.setting()).collect();
            let pair = format!("correlation `{},{}`", a.key(), b.key());
            // "self-operated variants", and the reasons.
            let variants_of = |groups: &IdleGroups| {
                groups
                    .iter()
                    .map(|(_, b)| plural(b))
                    .collect::<Vec<_>>()
                    .join(" and the ")
            };
            let whys = |groups: &IdleGroups| {
                groups
                    .iter()
                    .map(|(why, _)| *why)
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let whom = |groups: &IdleGroups| {
                format!(
                    "the {} it applies to: {}",
                    variants_of(groups),
                    whys(groups)
                )
            };
            let message = match (idle_on_all(a, &settings), idle_on_all(b, &settings)) {
                (None, None) => match self.gated_idle_pair(a, b, &of) {
                    Some(message) => format!("{pair}: {message}"),
                    None => continue,
                },
                (Some(groups), None) | (None, Some(groups)) => {
                    let (idle, partner) = if idle_on_all(a, &settings).is_some() {
                        (a, b)
                    } else {
                        (b, a)
                    };
                    format!(
                        "{pair}: `{}` has no effect on {}; correlating it only changes which trials get which values of `{}`; drop the pair",
                        idle.key(),
                        whom(&groups),
                        partner.key()
                    )
                }
                (Some(groups_a), Some(groups_b)) => format!(
                    "{pair}: neither input has an effect on the {} it applies to (`{}`: {}; `{}`: {}); drop the pair",
                    variants_of(&groups_a),
                    a.key(),
                    whys(&groups_a),
                    b.key(),
                    whys(&groups_b)
                ),
            };
            let (origin, line) = match source.rsplit_once(':') {
                Some((file, line)) if line.parse::<usize>().is_ok() => {
                    (file.to_string(), line.parse().ok())
                }
                _ => (source.clone(), None),
            };
            self.warnings.push(Warning {
                origin,
                line,
                message,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_located_by_its_source() {
        assert_eq!(location("p.csv:4"), ("p.csv".to_string(), Some(4)));
        assert_eq!(
            location("dir:x/s.toml:12 (scenario variant `a (b)`)"),
            ("dir:x/s.toml".to_string(), Some(12))
        );
        assert_eq!(location("built-in"), ("built-in".to_string(), None));
    }

    #[test]
    fn a_key_idles_only_when_every_variant_it_reaches_cannot_use_it() {
        use crate::params::{Freight, Market, Model, Route};
        let at = |model, route, freight| {
            crate::params::model_only::tests::setting(Market::Us, model, route, freight)
        };
        let (so, fm) = (Model::SelfOperated, Model::FullyManaged);
        let so_mail = at(so, Route::DirectMail, Freight::Sea);
        let so_fbt = at(so, Route::Fbt, Freight::Sea);
        let so_3pl_air = at(so, Route::Overseas3pl, Freight::Air);
        let fm = at(fm, Route::Managed, Freight::Sea);
        assert!(idle_on_all(P::SupplyMarkup, &[so_mail, so_fbt]).is_some());
        assert!(idle_on_all(P::SupplyMarkup, &[so_mail, fm]).is_none());
        assert!(idle_on_all(P::SupplyMarkup, &[fm]).is_none());
        assert!(idle_on_all(P::AdSpendPerDay, &[fm, fm]).is_some());
        assert!(idle_on_all(P::UnitCost, &[fm, fm]).is_none());
        // No variant reached (a row for another study's variant): nothing to say.
        assert!(idle_on_all(P::SupplyMarkup, &[]).is_none());
        // Route level: a parcel route uses the entry fee; bulk routes and fully managed
        // do not, each for its own reason.
        assert!(idle_on_all(P::EntryFeePerParcel, &[so_fbt, so_mail]).is_none());
        let groups = idle_on_all(P::EntryFeePerParcel, &[so_fbt, so_3pl_air, fm]).unwrap();
        assert_eq!(groups.len(), 2);
        let text = reason(&groups);
        assert!(
            text.starts_with(
                "is on route `fbt` or `overseas_3pl` or is fully managed: the route imports"
            ),
            "{text}"
        );
        let groups = idle_on_all(P::HarborFeeRate, &[so_3pl_air]).unwrap();
        assert!(
            reason(&groups).starts_with("has freight `air`, and the harbour"),
            "{}",
            reason(&groups)
        );
        assert!(idle_on_all(P::HarborFeeRate, &[so_3pl_air, so_fbt]).is_none());
    }
}
