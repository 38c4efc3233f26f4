//! What differs in the inputs of two runs, read from their `run.json` records: the run's
//! settings (seed, trials, horizon, date, currency…), the peak events, and each variant's
//! setting and final parameter values, with where each value came from. Pure: records in,
//! changes out.
//!
//! Values are compared as recorded (the text of a distribution, `20` or `18..22`); a
//! value whose source moved (a comment added above its line) without its value changing
//! is not a change. A field an older `run.json` does not record is not compared, and
//! said so, never taken for a change.

use std::collections::{BTreeMap, BTreeSet};

use crate::formats::record::{EventRecord, RunRecord, VariantRecord};

/// Whom a change concerns.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// A setting of the run as a whole (seed, trials, horizon, currency…).
    Run,
    /// A peak event: events belong to the study, not to a variant.
    Event(String),
    /// A variant's setting or parameter that differs the same way (values and sources) in
    /// every variant both runs have.
    AllVariants,
    /// One variant.
    Variant(String),
}

impl Scope {
    /// The `variant` column of `changes.csv`: the variant's name, `*` for every variant,
    /// empty for the run's settings and events (as in a `--params` CSV, where an event's
    /// row leaves it empty).
    pub fn column(&self) -> &str {
        match self {
            Scope::Run | Scope::Event(_) => "",
            Scope::AllVariants => "*",
            Scope::Variant(v) => v,
        }
    }

    /// How the group is headed for people.
    pub fn heading(&self) -> String {
        match self {
            Scope::Run => "run settings".to_string(),
            Scope::Event(e) => format!("event `{e}`"),
            Scope::AllVariants => "all variants".to_string(),
            Scope::Variant(v) => format!("variant `{v}`"),
        }
    }
}

/// One input that differs between run A and run B.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// What it belongs to.
    pub scope: Scope,
    /// The key: a parameter key (`price.retail`), a variant's setting (`route`), an event's
    /// field (`event.<name>.<field>`, as in a `--params` CSV), a run setting (`seed`), or
    /// `variant` / `event.<name>` for one present in one run only.
    pub key: String,
    /// Its value in run A; `None` when run A does not have it (a variant or event in run
    /// B only).
    pub value_a: Option<String>,
    /// Its value in run B; `None` when run B does not have it.
    pub value_b: Option<String>,
    /// Where run A's value came from (a parameter's layer and source, an event number's
    /// file); empty when the record does not say.
    pub source_a: String,
    /// Where run B's value came from.
    pub source_b: String,
}

impl Change {
    /// `20 → 24`, with `(none)` for a side that does not have it.
    pub fn values(&self) -> String {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".to_string());
        format!("{} → {}", show(&self.value_a), show(&self.value_b))
    }

    /// The change for people: `20 → 24`, or `only in after/s (days 10-14)` for a variant or
    /// event one run does not have.
    pub fn said(&self, label_a: &str, label_b: &str) -> String {
        match (&self.value_a, &self.value_b) {
            (Some(a), None) => format!("only in {label_a} ({a})"),
            (None, Some(b)) => format!("only in {label_b} ({b})"),
            _ => self.values(),
        }
    }

    /// Whether it is a whole variant or event present in one run only.
    pub fn one_sided(&self) -> bool {
        self.value_a.is_none() || self.value_b.is_none()
    }
}

/// What differs between two runs' inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Changes {
    /// Index of run A (the first run given).
    pub run_a: usize,
    /// Index of run B.
    pub run_b: usize,
    /// The changes, grouped: run settings, events, all variants, then each variant in
    /// the order of run A (then run B's own).
    pub changes: Vec<Change>,
    /// What could not be compared (a field one run's `run.json` does not record), one
    /// sentence each.
    pub not_compared: Vec<String>,
}

impl Changes {
    /// No input differs (and nothing was left uncompared).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The changes in groups of one scope, in order.
    pub fn groups(&self) -> Vec<(&Scope, Vec<&Change>)> {
        let mut groups: Vec<(&Scope, Vec<&Change>)> = Vec::new();
        for c in &self.changes {
            match groups.last_mut() {
                Some((scope, list)) if **scope == c.scope => list.push(c),
                _ => groups.push((&c.scope, vec![c])),
            }
        }
        groups
    }

    /// The changes that can act on `variant`: the run's settings, the events, those of
    /// all variants and its own.
    pub fn touching<'a>(&'a self, variant: &'a str) -> impl Iterator<Item = &'a Change> + 'a {
        self.changes.iter().filter(move |c| match &c.scope {
            Scope::Variant(v) => v == variant,
            _ => true,
        })
    }
}

/// A run's record with the label it is called by in sentences.
pub struct Named<'a> {
    /// Its label (`before/study`).
    pub label: &'a str,
    /// Its `run.json`.
    pub record: &'a RunRecord,
}

/// What differs between run `a` (index `run_a`) and run `b`.
pub fn changes(run_a: usize, a: Named<'_>, run_b: usize, b: Named<'_>) -> Changes {
    let mut found = Finder {
        a: &a,
        b: &b,
        changes: Vec::new(),
        not_compared: Vec::new(),
    };
    found.settings();
    found.events();
    found.variants();
    Changes {
        run_a,
        run_b,
        changes: found.changes,
        not_compared: found.not_compared,
    }
}

/// The first format (`run.json` `format_version`) that records routes and the events' campaign terms, duty and thresholds.
const FORMAT_ROUTES: u32 = 3;
/// The first that records each variant's rank correlations.
const FORMAT_CORRELATIONS: u32 = 6;
/// The first that records where event numbers set from outside the file came from.
const FORMAT_EVENT_SOURCES: u32 = 7;

struct Finder<'r> {
    a: &'r Named<'r>,
    b: &'r Named<'r>,
    changes: Vec<Change>,
    not_compared: Vec<String>,
}

impl Finder<'_> {
    fn push(&mut self, scope: Scope, key: &str, values: [Option<String>; 2], sources: [String; 2]) {
        let [value_a, value_b] = values;
        let [source_a, source_b] = sources;
        if value_a != value_b {
            self.changes.push(Change {
                scope,
                key: key.to_string(),
                value_a,
                value_b,
                source_a,
                source_b,
            });
        }
    }

    /// Whether both records are at least of `format`; if not, notes that `what` is not
    /// compared.
    fn both_record(&mut self, format: u32, what: &str) -> bool {
        let old = [self.a, self.b].map(|r| r.record.format_version < format);
        self.recorded(old, what)
    }

    /// Whether neither side `lacks` the field `what`; if one does, notes that it is not
    /// compared.
    fn recorded(&mut self, lacks: [bool; 2], what: &str) -> bool {
        let old: Vec<String> = [self.a, self.b]
            .iter()
            .zip(lacks)
            .filter(|(_, lacks)| *lacks)
            .map(|(r, _)| format!("{} (format {})", r.label, r.record.format_version))
            .collect();
        if old.is_empty() {
            return true;
        }
        let note = format!(
            "{what}: not compared, {} {} (written by an older shopsim; rerun {} to compare)",
            old.join(" and "),
            if old.len() > 1 {
                "do not record it"
            } else {
                "does not record it"
            },
            if old.len() > 1 { "them" } else { "it" },
        );
        if !self.not_compared.contains(&note) {
            self.not_compared.push(note);
        }
        false
    }

    fn settings(&mut self) {
        let (a, b) = (self.a.record, self.b.record);
        let plain = |a: String, b: String| [Some(a), Some(b)];
        let none = || [String::new(), String::new()];
        self.push(
            Scope::Run,
            "study",
            plain(a.study.clone(), b.study.clone()),
            none(),
        );
        self.push(
            Scope::Run,
            "scenario",
            plain(a.scenario.clone(), b.scenario.clone()),
            none(),
        );
        self.push(
            Scope::Run,
            "params_csv",
            plain(or_none(&a.params_csv), or_none(&b.params_csv)),
            none(),
        );
        self.push(
            Scope::Run,
            "currency",
            plain(a.currency.clone(), b.currency.clone()),
            none(),
        );
        let fx = |r: &RunRecord| {
            r.exchange_rate.as_ref().map_or("none".to_string(), |x| {
                format!("{} {}/USD", crate::format::num(x.per_usd), x.currency)
            })
        };
        self.push(Scope::Run, "exchange_rate", plain(fx(a), fx(b)), none());
        let number = |x: u64| x.to_string();
        self.push(
            Scope::Run,
            "seed",
            plain(number(a.seed), number(b.seed)),
            none(),
        );
        self.push(
            Scope::Run,
            "trials",
            plain(number(a.trials), number(b.trials)),
            none(),
        );
        self.push(
            Scope::Run,
            "horizon_days",
            plain(a.horizon_days.to_string(), b.horizon_days.to_string()),
            none(),
        );
        // `as_of` is empty in folders written before it was recorded.
        if self.recorded(
            [a.as_of.is_empty(), b.as_of.is_empty()],
            "the study date (`as_of`)",
        ) {
            self.push(
                Scope::Run,
                "as_of",
                plain(a.as_of.clone(), b.as_of.clone()),
                none(),
            );
        }
        self.push(
            Scope::Run,
            "draw_method",
            plain(a.draw_method.clone(), b.draw_method.clone()),
            none(),
        );
        self.push(
            Scope::Run,
            "sampling",
            plain(a.sampling.clone(), b.sampling.clone()),
            none(),
        );
        // The states of the world (`[[world]]`): their names and weights, and the options.
        let worlds = |r: &RunRecord| {
            r.worlds.as_ref().map_or("none".to_string(), |w| {
                let states: Vec<String> = w
                    .worlds
                    .iter()
                    .map(|x| match x.weight {
                        Some(weight) => format!("{} ({})", x.name, crate::format::num(weight)),
                        None => x.name.clone(),
                    })
                    .collect();
                format!("{} in {}", w.options.join(", "), states.join(", "))
            })
        };
        self.push(Scope::Run, "worlds", plain(worlds(a), worlds(b)), none());
        let precision = |r: &RunRecord| {
            r.precision.as_ref().map_or("none".to_string(), |p| {
                let mut parts = Vec::new();
                if let Some(x) = p.target_relative {
                    parts.push(format!("±{}% of the mean", 100.0 * x));
                }
                if let Some(x) = p.target_absolute {
                    parts.push(format!("±{x} absolute"));
                }
                parts.push(format!("P(beats) ±{}", p.target_probability));
                parts.push(format!("at most {} trials", p.max_trials));
                parts.join(", ")
            })
        };
        self.push(
            Scope::Run,
            "precision",
            plain(precision(a), precision(b)),
            none(),
        );
        self.push(
            Scope::Run,
            "shopsim_version",
            plain(a.version_and_build(), b.version_and_build()),
            none(),
        );
        // Two runs that both lack their build are of unknown builds, not of one: said so
        // (one that lacks it differs from the other's above).
        let unknown = |r: &RunRecord| r.build.as_deref().is_none_or(str::is_empty);
        if unknown(a) && unknown(b) {
            self.recorded([true, true], "the build");
        }
    }

    fn events(&mut self) {
        let (a, b) = (self.a.record, self.b.record);
        let by_name =
            |r: &'_ RunRecord| -> Vec<String> { r.events.iter().map(|e| e.name.clone()).collect() };
        let names = union_in_order(&by_name(a), &by_name(b));
        for name in names {
            let ea = a.events.iter().find(|e| e.name == name);
            let eb = b.events.iter().find(|e| e.name == name);
            match (ea, eb) {
                (Some(ea), Some(eb)) => self.event(ea, eb),
                (ea, eb) => {
                    let sources = [
                        self.a.record.scenario.clone(),
                        self.b.record.scenario.clone(),
                    ];
                    let [sa, sb] = sources;
                    self.push(
                        Scope::Event(name.clone()),
                        &format!("event.{name}"),
                        [ea.map(event_summary), eb.map(event_summary)],
                        [
                            if ea.is_some() { sa } else { String::new() },
                            if eb.is_some() { sb } else { String::new() },
                        ],
                    );
                }
            }
        }
    }

    fn event(&mut self, ea: &EventRecord, eb: &EventRecord) {
        let name = &ea.name;
        let scope = || Scope::Event(name.clone());
        let key = |field: &str| format!("event.{name}.{field}");
        let file = |r: &Named<'_>| r.record.scenario.clone();
        let (fa, fb) = (file(self.a), file(self.b));
        // Where a number set outside the scenario file came from, else the file (unknown
        // in a record older than `set_by`; sources are shown, never compared).
        let sourced = [self.a, self.b]
            .iter()
            .all(|r| r.record.format_version >= FORMAT_EVENT_SOURCES);
        let source = |e: &EventRecord, field: &str, file: &str| {
            if sourced {
                e.set_by
                    .get(field)
                    .cloned()
                    .unwrap_or_else(|| file.to_string())
            } else {
                String::new()
            }
        };
        let days = |e: &EventRecord| format!("{}-{}", e.start_day, e.end_day);
        self.push(
            scope(),
            &key("days"),
            [Some(days(ea)), Some(days(eb))],
            [fa.clone(), fb.clone()],
        );
        let markets = |e: &EventRecord| {
            if e.markets.is_empty() {
                "all".to_string()
            } else {
                e.markets.join(", ")
            }
        };
        self.push(
            scope(),
            &key("markets"),
            [Some(markets(ea)), Some(markets(eb))],
            [fa.clone(), fb.clone()],
        );
        self.maps(scope(), name, &ea.multipliers, &eb.multipliers, &|e, f| {
            source(if e { ea } else { eb }, f, if e { &fa } else { &fb })
        });
        if !self.both_record(
            FORMAT_ROUTES,
            &format!("event `{name}`'s campaign terms, duty rate and thresholds"),
        ) {
            return;
        }
        let opt = |x: Option<f64>| x.map_or("none".to_string(), crate::format::num);
        self.push(
            scope(),
            &key("min_on_time_rate"),
            [
                Some(opt(ea.min_on_time_rate)),
                Some(opt(eb.min_on_time_rate)),
            ],
            [fa.clone(), fb.clone()],
        );
        self.push(
            scope(),
            &key("min_shop_score"),
            [Some(opt(ea.min_shop_score)), Some(opt(eb.min_shop_score))],
            [fa.clone(), fb.clone()],
        );
        self.push(
            scope(),
            &key("duty_rate"),
            [Some(or_none(&ea.duty_rate)), Some(or_none(&eb.duty_rate))],
            [source(ea, "duty_rate", &fa), source(eb, "duty_rate", &fb)],
        );
        self.maps(scope(), name, &ea.campaign, &eb.campaign, &|e, f| {
            source(if e { ea } else { eb }, f, if e { &fa } else { &fb })
        });
    }

    /// An event's numbers by field, both sides; a field one side lacks (a newer shopsim's
    /// field) is not compared.
    fn maps(
        &mut self,
        scope: Scope,
        event: &str,
        a: &BTreeMap<String, String>,
        b: &BTreeMap<String, String>,
        source: &dyn Fn(bool, &str) -> String,
    ) {
        let fields: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for f in fields {
            match (a.get(f), b.get(f)) {
                (Some(x), Some(y)) => self.push(
                    scope.clone(),
                    &format!("event.{event}.{f}"),
                    [Some(x.clone()), Some(y.clone())],
                    [source(true, f), source(false, f)],
                ),
                (x, _) => {
                    let missing = if x.is_some() { self.b } else { self.a };
                    self.not_compared.push(format!(
                        "`event.{event}.{f}`: not compared, {} (shopsim {}) does not record it",
                        missing.label, missing.record.version
                    ));
                }
            }
        }
    }

    fn variants(&mut self) {
        let (a, b) = (self.a.record, self.b.record);
        let names =
            |r: &RunRecord| -> Vec<String> { r.variants.iter().map(|v| v.name.clone()).collect() };
        let all = union_in_order(&names(a), &names(b));
        let mut per_variant: Vec<Change> = Vec::new();
        let mut matched: Vec<String> = Vec::new();
        let first = self.changes.len();
        for name in &all {
            let va = a.variants.iter().find(|v| &v.name == name);
            let vb = b.variants.iter().find(|v| &v.name == name);
            match (va, vb) {
                (Some(va), Some(vb)) => {
                    matched.push(name.clone());
                    self.variant(va, vb);
                }
                (va, vb) => {
                    let summary = |v: &VariantRecord| {
                        format!("{} / {} / {}", v.model, route_or_loop(v), v.market)
                    };
                    self.push(
                        Scope::Variant(name.clone()),
                        "variant",
                        [va.map(summary), vb.map(summary)],
                        [String::new(), String::new()],
                    );
                }
            }
        }
        per_variant.extend(self.changes.drain(first..));
        let collapsed = collapse(per_variant, &matched, &all);
        self.changes.extend(collapsed);
    }

    fn variant(&mut self, va: &VariantRecord, vb: &VariantRecord) {
        let scope = || Scope::Variant(va.name.clone());
        let none = || [String::new(), String::new()];
        let fields: [(&str, &str, &str); 7] = [
            ("model", &va.model, &vb.model),
            ("loop", &va.loop_type, &vb.loop_type),
            ("route", &va.route, &vb.route),
            ("market", &va.market, &vb.market),
            ("category", &va.category, &vb.category),
            ("origin", &va.origin, &vb.origin),
            ("tariff_line", &va.tariff_line, &vb.tariff_line),
        ];
        for (key, x, y) in fields {
            // An empty field is one an older record does not hold (`route` before format
            // 3, `origin` and `tariff_line` before 9).
            if self.recorded(
                [x.is_empty(), y.is_empty()],
                &format!("the variants' `{key}`"),
            ) {
                self.push(
                    scope(),
                    key,
                    [Some(x.to_string()), Some(y.to_string())],
                    none(),
                );
            }
        }
        let keys: BTreeSet<&String> = va.parameters.keys().chain(vb.parameters.keys()).collect();
        let mut one_sided: [Vec<&str>; 2] = [Vec::new(), Vec::new()];
        for key in keys {
            match (va.parameters.get(key), vb.parameters.get(key)) {
                (Some(x), Some(y)) => self.push(
                    scope(),
                    key,
                    [Some(x.value.clone()), Some(y.value.clone())],
                    [
                        format!("[{}] {}", x.layer, x.source),
                        format!("[{}] {}", y.layer, y.source),
                    ],
                ),
                (Some(_), None) => one_sided[0].push(key),
                (None, _) => one_sided[1].push(key),
            }
        }
        for (side, keys) in one_sided.iter().enumerate() {
            if keys.is_empty() {
                continue;
            }
            let (has, lacks) = if side == 0 {
                (self.a, self.b)
            } else {
                (self.b, self.a)
            };
            let note = format!(
                "parameters {} are recorded in {} (shopsim {}) only, not in {} (shopsim {}): not compared",
                keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
                has.label,
                has.record.version,
                lacks.label,
                lacks.record.version
            );
            if !self.not_compared.contains(&note) {
                self.not_compared.push(note);
            }
        }
        if self.both_record(FORMAT_CORRELATIONS, "the variants' rank correlations") {
            let pairs = |v: &VariantRecord| -> BTreeMap<String, (String, String)> {
                v.correlations
                    .iter()
                    .map(|c| {
                        (
                            format!("correlation({}, {})", c.key_a, c.key_b),
                            (crate::format::num(c.rank_correlation), c.source.clone()),
                        )
                    })
                    .collect()
            };
            let (pa, pb) = (pairs(va), pairs(vb));
            let keys: BTreeSet<&String> = pa.keys().chain(pb.keys()).collect();
            for key in keys {
                let (x, y) = (pa.get(key), pb.get(key));
                let none = "none".to_string();
                self.push(
                    scope(),
                    key,
                    [
                        Some(x.map_or(none.clone(), |x| x.0.clone())),
                        Some(y.map_or(none, |y| y.0.clone())),
                    ],
                    [
                        x.map_or(String::new(), |x| x.1.clone()),
                        y.map_or(String::new(), |y| y.1.clone()),
                    ],
                );
            }
        }
    }
}

/// A variant's route, or its loop in a record that has no route.
fn route_or_loop(v: &VariantRecord) -> &str {
    if v.route.is_empty() {
        &v.loop_type
    } else {
        &v.route
    }
}

/// An event in one run only, in a word: its days.
fn event_summary(e: &EventRecord) -> String {
    format!("days {}-{}", e.start_day, e.end_day)
}

fn or_none(x: &Option<String>) -> String {
    x.clone().unwrap_or_else(|| "none".to_string())
}

/// `a`'s names in order, then `b`'s that `a` does not have.
fn union_in_order(a: &[String], b: &[String]) -> Vec<String> {
    let mut all = a.to_vec();
    all.extend(b.iter().filter(|n| !a.contains(n)).cloned());
    all
}

/// Says once, under "all variants", a change that is the same (values and sources) in
/// every variant both runs have (when there are two or more); the rest stays per variant,
/// in the order of `order`.
fn collapse(changes: Vec<Change>, matched: &[String], order: &[String]) -> Vec<Change> {
    let same = |c: &Change, d: &Change| {
        c.key == d.key
            && c.value_a == d.value_a
            && c.value_b == d.value_b
            && c.source_a == d.source_a
            && c.source_b == d.source_b
    };
    let in_matched = |c: &Change| matches!(&c.scope, Scope::Variant(v) if matched.contains(v));
    let mut everywhere: Vec<Change> = Vec::new();
    if matched.len() >= 2 {
        for c in changes.iter().filter(|c| in_matched(c)) {
            let count = changes
                .iter()
                .filter(|d| in_matched(d) && same(c, d))
                .count();
            if count == matched.len() && !everywhere.iter().any(|e| same(e, c)) {
                everywhere.push(Change {
                    scope: Scope::AllVariants,
                    ..c.clone()
                });
            }
        }
    }
    let mut out = everywhere.clone();
    for name in order {
        out.extend(
            changes
                .iter()
                .filter(|c| matches!(&c.scope, Scope::Variant(v) if v == name))
                .filter(|c| !(in_matched(c) && everywhere.iter().any(|e| same(e, c))))
                .cloned(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::record::{EventRecord, ParamRecord, RunRecord, VariantRecord};

    fn param(value: &str, source: &str) -> ParamRecord {
        ParamRecord {
            value: value.to_string(),
            mean: 0.0,
            layer: "global".to_string(),
            source: source.to_string(),
        }
    }

    fn variant(name: &str, price: &str) -> VariantRecord {
        VariantRecord {
            name: name.to_string(),
            model: "self_operated".to_string(),
            loop_type: "semi_closed".to_string(),
            route: "fbt".to_string(),
            market: "us".to_string(),
            category: "beauty".to_string(),
            origin: "china".to_string(),
            tariff_line: "cosmetics".to_string(),
            parameters: BTreeMap::from([
                ("price.retail".to_string(), param(price, "s.toml:5")),
                ("demand.daily_cv".to_string(), param("0.3", "assumption")),
            ]),
            correlations: Vec::new(),
        }
    }

    fn record(seed: u64, prices: &[(&str, &str)]) -> RunRecord {
        RunRecord {
            build: Some("0123456789ab".to_string()),
            program: "shopsim".to_string(),
            format_version: crate::formats::record::FORMAT_VERSION,
            version: "0.1.0".to_string(),
            study: "s".to_string(),
            scenario: "s.toml".to_string(),
            description: None,
            currency: "USD".to_string(),
            exchange_rate: None,
            seed,
            as_of: "2026-11-01".to_string(),
            trials: 100,
            horizon_days: 30,
            threads: 2,
            elapsed_seconds: 1.0,
            draw_method: "per-day".to_string(),
            sampling: "mc".to_string(),
            params_csv: None,
            warnings: Vec::new(),
            events: vec![EventRecord {
                name: "peak".to_string(),
                start_day: 10,
                end_day: 12,
                multipliers: BTreeMap::from([("demand_multiplier".to_string(), "2".to_string())]),
                markets: Vec::new(),
                min_on_time_rate: None,
                min_shop_score: None,
                duty_rate: None,
                campaign: BTreeMap::new(),
                set_by: BTreeMap::new(),
            }],
            variants: prices.iter().map(|(n, p)| variant(n, p)).collect(),
            precision: None,
            merged_parts: None,
            worlds: None,
        }
    }

    fn diff(a: &RunRecord, b: &RunRecord) -> Changes {
        changes(
            0,
            Named {
                label: "a/s",
                record: a,
            },
            1,
            Named {
                label: "b/s",
                record: b,
            },
        )
    }

    #[test]
    fn identical_records_have_no_changes() {
        let a = record(1, &[("x", "20"), ("y", "20")]);
        let mut b = a.clone();
        // Neither threads nor the time it took are inputs.
        b.threads = 8;
        b.elapsed_seconds = 9.0;
        let c = diff(&a, &b);
        assert!(c.is_empty() && c.not_compared.is_empty(), "{c:?}");
        // Without their builds they are of unknown builds: the same inputs, but that
        // is not compared.
        let (mut a, mut b) = (a, b);
        a.build = None;
        b.build = Some(String::new());
        let c = diff(&a, &b);
        assert!(c.is_empty(), "{c:?}");
        assert_eq!(c.not_compared.len(), 1, "{c:?}");
        assert!(
            c.not_compared[0].starts_with("the build: not compared"),
            "{c:?}"
        );
    }

    #[test]
    fn a_change_in_every_variant_is_said_once_and_one_in_some_per_variant() {
        let a = record(1, &[("x", "20"), ("y", "20")]);
        let b = record(2, &[("x", "24"), ("y", "24")]);
        let c = diff(&a, &b);
        let keys: Vec<(&str, &str)> = c
            .changes
            .iter()
            .map(|c| (c.scope.column(), c.key.as_str()))
            .collect();
        assert_eq!(keys, [("", "seed"), ("*", "price.retail")]);
        let b = record(1, &[("x", "24"), ("y", "20"), ("z", "20")]);
        let c = diff(&a, &b);
        let keys: Vec<(&str, &str, Option<&str>)> = c
            .changes
            .iter()
            .map(|c| (c.scope.column(), c.key.as_str(), c.value_b.as_deref()))
            .collect();
        assert_eq!(
            keys,
            [
                ("x", "price.retail", Some("24")),
                ("z", "variant", Some("self_operated / fbt / us"))
            ]
        );
    }

    #[test]
    fn fields_an_older_record_lacks_are_not_compared_and_said() {
        let a = record(1, &[("x", "20"), ("y", "20")]);
        let mut b = a.clone();
        b.format_version = 2;
        b.as_of = String::new();
        for v in &mut b.variants {
            v.origin = String::new();
            v.tariff_line = String::new();
            v.parameters.remove("demand.daily_cv");
        }
        let c = diff(&a, &b);
        assert!(c.is_empty(), "{c:?}");
        let notes = c.not_compared.join("\n");
        for said in [
            "`as_of`",
            "`origin`",
            "`tariff_line`",
            "`demand.daily_cv`",
            "b/s (format 2)",
        ] {
            assert!(notes.contains(said), "{said} in {notes}");
        }
    }

    #[test]
    fn event_numbers_say_where_they_were_set() {
        let a = record(1, &[("x", "20")]);
        let mut b = a.clone();
        b.events[0]
            .multipliers
            .insert("demand_multiplier".to_string(), "3".to_string());
        b.events[0]
            .set_by
            .insert("demand_multiplier".to_string(), "p.csv:3".to_string());
        b.events[0].end_day = 14;
        let c = diff(&a, &b);
        let rows: Vec<(String, String, String, String)> = c
            .changes
            .iter()
            .map(|c| {
                (
                    c.key.clone(),
                    c.values(),
                    c.source_a.clone(),
                    c.source_b.clone(),
                )
            })
            .collect();
        let s = |x: &str| x.to_string();
        assert_eq!(
            rows,
            [
                (
                    s("event.peak.days"),
                    s("10-12 → 10-14"),
                    s("s.toml"),
                    s("s.toml")
                ),
                (
                    s("event.peak.demand_multiplier"),
                    s("2 → 3"),
                    s("s.toml"),
                    s("p.csv:3")
                ),
            ]
        );
        assert!(c
            .changes
            .iter()
            .all(|c| c.scope == Scope::Event("peak".to_string())));
    }
}
