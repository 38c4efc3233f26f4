//! Scenario files in, validated studies out. Parsing (serde, `raw.rs`) is separate from
//! validation (here), which checks every value and cross-field rule and reports all
//! problems of a file at once, each with its file, line and key.

pub mod overrides;
pub mod raw;

use std::path::Path;

use toml::Spanned;

use crate::error::{line_of, InputError};
use crate::params::{
    check_value, choices, Category, Dist, Layer, LoopType, Market, Model, Resolved, Setting, Tier,
    TierTable, P,
};
use crate::sim::{EventFactor, EventSpec, StudySpec, VariantSpec};
pub use overrides::Overrides;
use raw::{RawSettings, RawStudy, RawVariant, Section};

/// The study that runs when no scenario is given: the four US beauty variants over
/// Black Friday, embedded in the binary.
pub const BUILT_IN: &str = include_str!("../../scenarios/us_beauty_black_friday.toml");
pub const BUILT_IN_NAME: &str = "built-in us_beauty_black_friday.toml";

/// Longest horizon accepted (ten years of days).
pub const MAX_HORIZON_DAYS: i64 = 3650;

/// A validated scenario, ready to simulate.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub spec: StudySpec,
    /// Where it was read from (a path, or the built-in name).
    pub origin: String,
    pub description: Option<String>,
    pub currency: String,
    /// Problems that do not stop the run (e.g. a model not offered in a market).
    pub warnings: Vec<String>,
    /// Index of the variant the others are compared against, if the scenario names one.
    pub baseline: Option<usize>,
}

/// Reads and validates a scenario file.
pub fn load_file(path: &Path, overrides: Option<&Overrides>) -> Result<Scenario, InputError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::new(format!("cannot read scenario '{}': {e}", path.display())))?;
    parse(&text, &path.display().to_string(), overrides)
}

/// Validates scenario text; `origin` names it in messages.
pub fn parse(
    text: &str,
    origin: &str,
    overrides: Option<&Overrides>,
) -> Result<Scenario, InputError> {
    let raw: RawStudy = toml::from_str(text).map_err(|e| toml_error(text, origin, &e))?;
    let mut v = Validator {
        text,
        origin,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let scenario = v.study(raw, overrides);
    // `[base]` is applied to every variant: report each of its problems once.
    let mut seen = std::collections::HashSet::new();
    v.problems.retain(|p| seen.insert(p.clone()));
    match InputError::from_list(v.problems) {
        Some(e) => Err(e),
        None => Ok(Scenario {
            warnings: v.warnings,
            ..scenario
        }),
    }
}

/// A TOML syntax or type error in the same `file:line: key ...` form as the others.
fn toml_error(text: &str, origin: &str, e: &toml::de::Error) -> InputError {
    let message = with_hint(e.message().trim_end());
    let Some(span) = e.span() else {
        return InputError::new(format!("{origin}: {message}"));
    };
    let line = line_of(text, span.start);
    let source_line = text.lines().nth(line - 1).unwrap_or("");
    let key = source_line
        .split_once('=')
        .map(|(k, _)| k.trim())
        .filter(|k| !k.is_empty() && !k.starts_with('#'));
    match key {
        Some(k) => InputError::new(format!("{origin}:{line}: key `{k}`: {message}")),
        None => InputError::new(format!(
            "{origin}:{line}: {message} (in `{}`)",
            source_line.trim()
        )),
    }
}

/// Adds "did you mean" to serde's "unknown field `x`, expected one of `a`, `b`".
fn with_hint(message: &str) -> String {
    let Some(start) = message.find("unknown field `") else {
        return message.to_string();
    };
    let rest = &message[start + "unknown field `".len()..];
    let Some(end) = rest.find('`') else {
        return message.to_string();
    };
    let word = &rest[..end];
    let expected: Vec<&str> = rest[end + 1..].split('`').skip(1).step_by(2).collect();
    let hint = crate::suggest::hint(word, expected.iter().copied());
    if hint.is_empty() {
        message.to_string()
    } else {
        format!("{message}{hint}")
    }
}

struct Validator<'a> {
    text: &'a str,
    origin: &'a str,
    problems: Vec<String>,
    warnings: Vec<String>,
}

impl Validator<'_> {
    fn at<T>(&self, spanned: &Spanned<T>) -> String {
        format!(
            "{}:{}",
            self.origin,
            line_of(self.text, spanned.span().start)
        )
    }

    fn problem<T>(&mut self, spanned: &Spanned<T>, message: String) {
        let at = self.at(spanned);
        self.problems.push(format!("{at}: {message}"));
    }

    fn study(&mut self, raw: RawStudy, overrides: Option<&Overrides>) -> Scenario {
        let name = raw.name.get_ref().trim().to_string();
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            self.problem(
                &raw.name,
                format!("key `name`: `{name}` cannot name an output folder (use letters, digits, `_` or `-`)"),
            );
        }
        let trials = *raw.trials.get_ref();
        if trials < 1 {
            self.problem(
                &raw.trials,
                format!("key `trials`: {trials} trials; at least 1 is needed"),
            );
        }
        let horizon = *raw.horizon_days.get_ref();
        if !(1..=MAX_HORIZON_DAYS).contains(&horizon) {
            self.problem(
                &raw.horizon_days,
                format!(
                    "key `horizon_days`: {horizon} days; it must be from 1 to {MAX_HORIZON_DAYS}"
                ),
            );
        }
        let seed = *raw.seed.get_ref();
        if seed < 0 {
            self.problem(
                &raw.seed,
                format!("key `seed`: {seed} is negative; use 0 or more"),
            );
        }
        let currency = raw
            .currency
            .as_ref()
            .map_or("USD".to_string(), |c| c.get_ref().trim().to_string());

        let events = self.events(&raw.events, horizon.max(1) as usize);
        let base = raw.base.unwrap_or_default();
        let base_market = self
            .choice::<Market>(base.market.as_ref(), "market")
            .unwrap_or(Market::Us);
        let base_category = self
            .choice::<Category>(base.category.as_ref(), "category")
            .unwrap_or(Category::Beauty);

        if raw.variant.len() < 2 {
            self.problems.push(format!(
                "{}: a study needs at least two [[variant]] tables to compare; found {}",
                self.origin,
                raw.variant.len()
            ));
        }
        let mut variants = Vec::new();
        for variant in &raw.variant {
            if variants
                .iter()
                .any(|v: &VariantSpec| v.name == *variant.name.get_ref())
            {
                self.problem(
                    &variant.name,
                    format!(
                        "variant name `{}` is used twice; names must be unique",
                        variant.name.get_ref()
                    ),
                );
                continue;
            }
            if let Some(v) = self.variant(variant, &base, base_market, base_category, overrides) {
                variants.push(v);
            }
        }
        let baseline = raw.baseline.as_ref().and_then(|b| {
            let found = variants.iter().position(|v| v.name == *b.get_ref());
            if found.is_none() {
                let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
                self.problem(
                    b,
                    format!(
                        "key `baseline`: no variant is named `{}`{}",
                        b.get_ref(),
                        crate::suggest::hint(b.get_ref(), names.iter().copied())
                    ),
                );
            }
            found
        });
        Scenario {
            baseline,
            spec: StudySpec {
                name,
                seed: seed.max(0) as u64,
                trials: trials.max(1) as u64,
                horizon_days: horizon.clamp(1, MAX_HORIZON_DAYS) as usize,
                events,
                variants,
            },
            origin: self.origin.to_string(),
            description: raw.description,
            currency,
            warnings: Vec::new(),
        }
    }

    fn choice<T: std::str::FromStr<Err = String>>(
        &mut self,
        value: Option<&Spanned<String>>,
        key: &str,
    ) -> Option<T> {
        let value = value?;
        match value.get_ref().parse::<T>() {
            Ok(v) => Some(v),
            Err(e) => {
                self.problem(value, format!("key `{key}`: {e}"));
                None
            }
        }
    }

    fn events(&mut self, raw: &[raw::RawEvent], horizon: usize) -> Vec<EventSpec> {
        let mut out = Vec::new();
        for ev in raw {
            let name = ev.name.get_ref().clone();
            let (start, end) = (*ev.start_day.get_ref(), *ev.end_day.get_ref());
            let mut ok = true;
            if start < 1 || start > horizon as i64 {
                self.problem(
                    &ev.start_day,
                    format!("event `{name}`: key `start_day` = {start} is outside the horizon (days 1 to {horizon})"),
                );
                ok = false;
            }
            if end < start || end > horizon as i64 {
                self.problem(
                    &ev.end_day,
                    format!("event `{name}`: key `end_day` = {end} must be from start_day ({start}) to the horizon ({horizon})"),
                );
                ok = false;
            }
            let fields = [
                &ev.demand_multiplier,
                &ev.delay_multiplier,
                &ev.ad_cost_multiplier,
                &ev.supply_price_multiplier,
                &ev.lost_multiplier,
            ];
            let mut multipliers: [Dist; 5] = std::array::from_fn(|_| Dist::Fixed(1.0));
            for (factor, field) in EventFactor::ALL.iter().zip(fields) {
                let Some(value) = field else { continue };
                let key = factor.key();
                match value_to_dist(value.get_ref()) {
                    Ok(d) => {
                        let (lo, _) = d.support();
                        let positive_needed = *factor == EventFactor::AdCost;
                        let lowest = if lo.is_finite() { lo } else { d.mean() };
                        // A log-normal's support starts at 0 but never reaches it.
                        let reaches_lowest = !matches!(d, Dist::LogNormal { .. })
                            && !matches!(
                                d.interval_form(),
                                crate::params::dist::IntervalForm::LogNormal { .. }
                            );
                        if lowest < 0.0 || (positive_needed && lowest <= 0.0 && reaches_lowest) {
                            self.problem(
                                value,
                                format!(
                                    "event `{name}`: key `{key}`: `{d}` must be {} (a multiplier; 1 = no change)",
                                    if positive_needed { "> 0" } else { "≥ 0" }
                                ),
                            );
                            ok = false;
                        } else {
                            multipliers[*factor as usize] = d;
                        }
                    }
                    Err(e) => {
                        self.problem(value, format!("event `{name}`: key `{key}`: {e}"));
                        ok = false;
                    }
                }
            }
            let mut markets = Vec::new();
            for m in &ev.markets {
                match self.choice::<Market>(Some(m), "markets") {
                    Some(market) => markets.push(market),
                    None => ok = false,
                }
            }
            if ok {
                out.push(EventSpec {
                    name,
                    start_day: (start - 1) as usize,
                    end_day: (end - 1) as usize,
                    multipliers,
                    markets,
                });
            }
        }
        out
    }

    fn variant(
        &mut self,
        raw: &RawVariant,
        base: &RawSettings,
        base_market: Market,
        base_category: Category,
        overrides: Option<&Overrides>,
    ) -> Option<VariantSpec> {
        let name = raw.name.get_ref().trim().to_string();
        if name.is_empty() {
            self.problem(&raw.name, "variant `name` is empty".to_string());
        }
        let model = self.choice::<Model>(Some(&raw.model), "model");
        let loop_type = self.choice::<LoopType>(Some(&raw.loop_type), "loop");
        let market = self
            .choice::<Market>(raw.market.as_ref(), "market")
            .unwrap_or(base_market);
        let category = self
            .choice::<Category>(raw.category.as_ref(), "category")
            .unwrap_or(base_category);
        let (model, loop_type) = (model?, loop_type?);
        if !choices::offered(model, market) {
            self.warnings.push(format!(
                "{}: variant `{name}`: {model} is not offered in market `{market}` (MODEL.md: self-operated in us, sg, th, vn, my, ph; fully managed in us, uk, sa); simulating it anyway",
                self.at(&raw.model)
            ));
        }
        let setting = Setting {
            market,
            category,
            model,
            loop_type,
        };
        let mut params = Resolved::defaults(setting);
        self.apply(&mut params, base, Layer::Base, "scenario [base]");
        self.apply(
            &mut params,
            raw,
            Layer::Variant,
            &format!("scenario variant `{name}`"),
        );
        if let Some(o) = overrides {
            for row in &o.rows {
                if row.variant.as_deref().is_none_or(|v| v == name) {
                    params.set(
                        row.param,
                        row.dist.clone(),
                        Layer::Csv,
                        format!("{}:{}", o.origin, row.line),
                    );
                }
            }
        }
        self.cross_checks(&params, &raw.name, &name);
        Some(VariantSpec {
            name,
            setting,
            params,
        })
    }

    /// Applies a settings table (base or variant) on top of `params`.
    fn apply<S: SettingsLike>(
        &mut self,
        params: &mut Resolved,
        settings: &S,
        layer: Layer,
        source: &str,
    ) {
        for (section, table) in settings.sections() {
            for (key, value) in table {
                let full = format!("{section}.{key}");
                if full == "logistics.tiers" {
                    if let Some(tiers) = self.tiers(value) {
                        params.tiers = TierTable {
                            tiers,
                            layer,
                            source: source.to_string(),
                        };
                    }
                    continue;
                }
                let Some(p) = P::from_key(&full) else {
                    let mut candidates: Vec<&str> = crate::params::catalog::keys().collect();
                    candidates.push("logistics.tiers");
                    let hint = crate::suggest::hint(&full, candidates);
                    self.problem(value, format!("unknown parameter `{full}`{hint}"));
                    continue;
                };
                let dist = match value_to_dist_for(p, value.get_ref()) {
                    Ok(d) => d,
                    Err(e) => {
                        self.problem(value, format!("key `{full}`: {e}"));
                        continue;
                    }
                };
                if let Err(e) = check_value(p, &dist) {
                    self.problem(value, format!("key `{full}`: {e}"));
                    continue;
                }
                params.set(p, dist, layer, source.to_string());
            }
        }
    }

    fn tiers(&mut self, value: &Spanned<toml::Value>) -> Option<Vec<Tier>> {
        let toml::Value::Array(items) = value.get_ref() else {
            self.problem(
                value,
                "key `logistics.tiers`: expected a list of tables like `[[base.logistics.tiers]]` with `min_monthly_orders` and `fee_per_order`".to_string(),
            );
            return None;
        };
        let mut tiers = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let n = i + 1;
            let Some(table) = item.as_table() else {
                self.problem(
                    value,
                    format!("key `logistics.tiers`: tier {n} is not a table"),
                );
                ok = false;
                continue;
            };
            for k in table.keys() {
                if k != "min_monthly_orders" && k != "fee_per_order" {
                    let hint = crate::suggest::hint(k, ["min_monthly_orders", "fee_per_order"]);
                    self.problem(
                        value,
                        format!("key `logistics.tiers`: tier {n}: unknown key `{k}`{hint}"),
                    );
                    ok = false;
                }
            }
            let min = match table.get("min_monthly_orders") {
                Some(toml::Value::Integer(m)) if *m >= 0 => *m as u64,
                other => {
                    self.problem(
                        value,
                        format!("key `logistics.tiers`: tier {n}: `min_monthly_orders` must be a whole number ≥ 0 (got {})",
                            other.map_or("nothing".to_string(), |v| v.to_string())),
                    );
                    ok = false;
                    continue;
                }
            };
            let fee = match table.get("fee_per_order").map(value_to_dist) {
                Some(Ok(d))
                    if d.support().0 >= 0.0 || (!d.support().0.is_finite() && d.mean() >= 0.0) =>
                {
                    d
                }
                Some(Ok(d)) => {
                    self.problem(value, format!("key `logistics.tiers`: tier {n}: `fee_per_order` = `{d}` cannot be negative"));
                    ok = false;
                    continue;
                }
                Some(Err(e)) => {
                    self.problem(
                        value,
                        format!("key `logistics.tiers`: tier {n}: `fee_per_order`: {e}"),
                    );
                    ok = false;
                    continue;
                }
                None => {
                    self.problem(
                        value,
                        format!("key `logistics.tiers`: tier {n}: `fee_per_order` is missing"),
                    );
                    ok = false;
                    continue;
                }
            };
            tiers.push(Tier {
                min_monthly_orders: min,
                fee_per_order: fee,
            });
        }
        if ok && tiers.is_empty() {
            self.problem(
                value,
                "key `logistics.tiers`: at least one tier is needed".to_string(),
            );
            return None;
        }
        tiers.sort_by_key(|t| t.min_monthly_orders);
        if tiers
            .windows(2)
            .any(|w| w[0].min_monthly_orders == w[1].min_monthly_orders)
        {
            self.problem(
                value,
                "key `logistics.tiers`: two tiers share a `min_monthly_orders`".to_string(),
            );
            return None;
        }
        if ok && tiers[0].min_monthly_orders != 0 {
            self.problem(
                value,
                "key `logistics.tiers`: the first tier must start at `min_monthly_orders = 0` (every seller starts with no history)".to_string(),
            );
            return None;
        }
        ok.then_some(tiers)
    }

    /// Rules across parameters, checked on the final values.
    fn cross_checks(&mut self, params: &Resolved, at: &Spanned<String>, name: &str) {
        let mean = |p: P| params.dist(p).mean();
        if mean(P::ReorderPoint) > mean(P::OrderUpTo) {
            self.problem(
                at,
                format!(
                    "variant `{name}`: `inventory.reorder_point` ({}) exceeds `inventory.order_up_to` ({}); the policy orders up to S when stock falls to s, so s ≤ S",
                    params.dist(P::ReorderPoint),
                    params.dist(P::OrderUpTo)
                ),
            );
        }
    }
}

/// Lets `apply` treat `[base]` and `[[variant]]` alike.
trait SettingsLike {
    fn sections(&self) -> [(&'static str, &Section); 12];
}

impl SettingsLike for RawSettings {
    fn sections(&self) -> [(&'static str, &Section); 12] {
        RawSettings::sections(self)
    }
}

impl SettingsLike for RawVariant {
    fn sections(&self) -> [(&'static str, &Section); 12] {
        RawVariant::sections(self)
    }
}

/// A TOML value as a number or distribution.
fn value_to_dist(value: &toml::Value) -> Result<Dist, String> {
    match value {
        toml::Value::Integer(i) => Ok(Dist::Fixed(*i as f64)),
        toml::Value::Float(f) if f.is_finite() => Ok(Dist::Fixed(*f)),
        toml::Value::Float(f) => Err(format!("`{f}` is not a finite number")),
        toml::Value::String(s) => Dist::parse(s).map_err(|e| e.to_string()),
        other => Err(format!(
            "expected a number or a distribution such as \"normal(10, 2)\", got {} `{other}`",
            other.type_str()
        )),
    }
}

/// As [`value_to_dist`], also taking `true`/`false` for on/off switches.
fn value_to_dist_for(p: P, value: &toml::Value) -> Result<Dist, String> {
    match value {
        toml::Value::Boolean(b) if p.spec().integer && p.spec().max == 1.0 => {
            Ok(Dist::Fixed(if *b { 1.0 } else { 0.0 }))
        }
        v => value_to_dist(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"
name = "t"
trials = 10
horizon_days = 30
seed = 1
[base]
market = "us"
category = "beauty"
demand.daily_cv = 0.2
[[events]]
name = "peak"
start_day = 10
end_day = 12
demand_multiplier = "2..3"
[[variant]]
name = "a"
model = "self_operated"
loop = "semi_closed"
[[variant]]
name = "b"
model = "self_operated"
loop = "full_closed"
price.retail = 22
[[variant.logistics.tiers]]
min_monthly_orders = 0
fee_per_order = 5
[[variant.logistics.tiers]]
min_monthly_orders = 100
fee_per_order = "3..4"
"#;

    #[test]
    fn a_valid_file_resolves_every_layer() {
        let s = parse(OK, "t.toml", None).unwrap();
        assert_eq!(s.spec.variants.len(), 2);
        let b = &s.spec.variants[1];
        assert_eq!(b.params.dist(P::RetailPrice), &Dist::Fixed(22.0));
        assert_eq!(b.params.get(P::RetailPrice).layer, Layer::Variant);
        assert_eq!(b.params.get(P::DailyCv).layer, Layer::Base);
        assert_eq!(b.params.tiers.tiers.len(), 2);
        assert_eq!(s.spec.events[0].start_day, 9);
        assert!(s.warnings.is_empty());
    }

    fn error_of(text: &str) -> String {
        parse(text, "t.toml", None).unwrap_err().to_string()
    }

    #[test]
    fn unknown_keys_get_a_line_and_a_suggestion() {
        let e = error_of(&OK.replace("demand.daily_cv", "demand.dayly_cv"));
        assert!(
            e.contains(
                "t.toml:9: unknown parameter `demand.dayly_cv` (did you mean `demand.daily_cv`?)"
            ),
            "{e}"
        );
        let e = error_of(&OK.replace("demand.daily_cv", "demnd.daily_cv"));
        assert!(
            e.contains("unknown field `demnd`") && e.contains("did you mean `demand`"),
            "{e}"
        );
        assert!(
            e.starts_with("t.toml:9: key `demnd.daily_cv`: unknown field"),
            "{e}"
        );
    }

    #[test]
    fn bad_values_are_all_reported() {
        let text = OK
            .replace(
                "demand.daily_cv = 0.2",
                "demand.daily_cv = -0.2\nfees.commission_rate = 6",
            )
            .replace("price.retail = 22", "price.retail = nan");
        let e = error_of(&text);
        assert!(e.contains("t.toml:9: key `demand.daily_cv`"), "{e}");
        assert!(
            e.contains("t.toml:10: key `fees.commission_rate`") && e.contains("fractions"),
            "{e}"
        );
        assert!(
            e.contains("key `price.retail`") && e.contains("not a finite number"),
            "{e}"
        );
    }

    #[test]
    fn structural_problems_are_errors() {
        assert!(error_of(&OK.replace("name = \"b\"", "name = \"a\"")).contains("used twice"));
        assert!(error_of(&OK.replace("trials = 10", "trials = 0")).contains("at least 1"));
        assert!(
            error_of(&OK.replace("horizon_days = 30", "horizon_days = 0")).contains("horizon_days")
        );
        assert!(
            error_of(&OK.replace("demand_multiplier = \"2..3\"", "demand_multiplier = -1"))
                .contains("demand_multiplier")
        );
        assert!(
            error_of(&OK.replace("loop = \"full_closed\"", "loop = \"full\""))
                .contains("loop type")
        );
        assert!(
            error_of(&OK.replace("min_monthly_orders = 0", "min_monthly_orders = 5"))
                .contains("first tier")
        );
        let one_variant = OK
            .split("[[variant]]")
            .take(2)
            .collect::<Vec<_>>()
            .join("[[variant]]");
        assert!(error_of(&one_variant).contains("at least two"));
        assert!(error_of("name = ").starts_with("t.toml:1: key `name`:"));
    }

    #[test]
    fn an_event_past_the_horizon_names_the_key() {
        let e = error_of(&OK.replace("end_day = 12", "end_day = 31"));
        assert!(
            e.contains("t.toml:13: event `peak`: key `end_day` = 31"),
            "{e}"
        );
    }

    #[test]
    fn a_model_not_offered_in_the_market_is_a_warning() {
        let s = parse(
            &OK.replace("market = \"us\"", "market = \"uk\""),
            "t.toml",
            None,
        )
        .unwrap();
        assert_eq!(s.warnings.len(), 2);
        assert!(s.warnings[0].contains("not offered"));
    }

    #[test]
    fn csv_overrides_come_last_and_can_target_one_variant() {
        let o = Overrides::parse(
            "variant,key,value\nb,price.retail,30\n,demand.daily_cv,0\n",
            "o.csv",
        )
        .unwrap();
        let s = parse(OK, "t.toml", Some(&o)).unwrap();
        assert_eq!(
            s.spec.variants[0].params.dist(P::RetailPrice),
            &Dist::Fixed(20.0)
        );
        assert_eq!(
            s.spec.variants[1].params.dist(P::RetailPrice),
            &Dist::Fixed(30.0)
        );
        assert_eq!(
            s.spec.variants[1].params.get(P::RetailPrice).source,
            "o.csv:2"
        );
        assert_eq!(
            s.spec.variants[0].params.dist(P::DailyCv),
            &Dist::Fixed(0.0)
        );
    }

    #[test]
    fn the_built_in_study_is_valid() {
        let s = parse(BUILT_IN, BUILT_IN_NAME, None).unwrap();
        assert_eq!(s.spec.variants.len(), 4);
    }
}
