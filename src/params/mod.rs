//! Parameters: the catalog of keys, distributions, and the layers that resolve a
//! variant's final values (global → market → category → model → route → scenario base →
//! variant → CSV override).

pub mod catalog;
pub mod choices;
pub mod data;
pub mod date;
pub mod dated;
pub mod dist;
pub mod duties;
pub mod fees;
pub mod fx;
pub mod in_force;
pub mod layers;
pub mod market_rules;
pub mod model_only;
pub mod penalties;
pub mod rules;

pub use catalog::{ParamSpec, COUNT, P, SPECS};
pub use choices::{
    Category, Dispatcher, DutyBasis, Freight, LoopType, Market, Model, Origin, Route, TariffLine,
    Team,
};
pub use dist::{Dist, Shape};
pub use fx::ExchangeRate;

/// Where a value came from, in resolution order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    /// The catalog default.
    Global,
    /// The market's layer, with the market's dated fees and taxes (`data/fees.toml`).
    Market,
    /// The team location's layer: the team's cost a day, in China or in the market.
    /// After the market's (it replaces the market's figure), before the model's (fully
    /// managed keeps its own smaller team).
    Team,
    /// The product category's layer.
    Category,
    /// The operating model's layer.
    Model,
    /// The delivery route's layer, with the route's dated fees (`data/fees.toml`: the FBT
    /// rate card).
    Route,
    /// The freight mode's layer (routes that import stock in bulk).
    Freight,
    /// A platform rule in force in the market on the scenario's date
    /// (`data/market_rules.toml`; self-operated variants).
    MarketRules,
    /// The import duty in force on the scenario's date (`data/duties.toml`).
    Duties,
    /// The scenario's `[base]`.
    Base,
    /// The scenario's variant.
    Variant,
    /// A `--params` CSV row.
    Csv,
    /// A point of a sweep, tornado or threshold search (`shopsim sweep` and friends).
    Point,
}

impl Layer {
    /// A built-in layer (the catalog, a default layer or a row of `data/*.toml`), whose
    /// money is in USD; the others are the scenario's and its overrides', in the study's
    /// currency.
    pub fn is_default(self) -> bool {
        self < Layer::Base
    }

    /// How the layer is named in reports.
    pub fn name(self) -> &'static str {
        match self {
            Layer::Global => "global",
            Layer::Market => "market",
            Layer::Team => "team location",
            Layer::Category => "category",
            Layer::Model => "model",
            Layer::Route => "route",
            Layer::Freight => "freight mode",
            Layer::MarketRules => "dated market rules",
            Layer::Duties => "dated duties",
            Layer::Base => "scenario base",
            Layer::Variant => "variant",
            Layer::Csv => "csv override",
            Layer::Point => "sweep point",
        }
    }
}

/// A parameter's resolved value and its provenance.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The value.
    pub dist: Dist,
    /// The layer that set it.
    pub layer: Layer,
    /// Where the figure comes from.
    pub source: String,
    /// The figure in the currency its source gives it, where a data row writes it in a
    /// market's own currency (a study in that currency takes it as written).
    pub native: Option<fx::Native>,
}

/// Who sells, where, and how it is delivered: picks the default layers.
/// Its fields are public on purpose: any combination is valid (one a market does not offer
/// is warned about, not refused), so there is no rule for a constructor to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setting {
    /// Where it sells.
    pub market: Market,
    /// What it sells.
    pub category: Category,
    /// Self-operated or fully managed.
    pub model: Model,
    /// How orders reach buyers; its loop type is [`Setting::loop_type`].
    pub route: Route,
    /// How imported stock travels to the market (only on routes that import stock:
    /// [`Route::imports_stock`]; sea unless the scenario says otherwise).
    pub freight: Freight,
    /// Where the team sits (China unless the scenario says otherwise: the studies are
    /// cross-border, goods from China).
    pub team: Team,
    /// Where the goods were made (China unless the scenario says otherwise): duties that
    /// apply to one origin only.
    pub origin: Origin,
    /// The product's tariff line (the category's default unless the scenario names it):
    /// the duty rows that apply.
    pub tariff_line: TariffLine,
}

impl Setting {
    /// Semi-closed (third-party logistics) or full closed (the platform's).
    pub fn loop_type(&self) -> LoopType {
        self.route.loop_type()
    }
}

/// Every parameter's final value for one variant, and the values each layer set before
/// it (for `shopsim params --explain`).
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    entries: Vec<Entry>,
    /// Per parameter, every value set, in order (the last is `entries`').
    history: Vec<Vec<Entry>>,
}

impl Resolved {
    /// The defaults for a setting on a date: the catalog, the default layers with the
    /// fees in force on `as_of` (`data/fees.toml`, each with the layer its row names), the
    /// market's platform rules and the import duty in force on `as_of`.
    pub fn defaults(setting: Setting, as_of: rules::Date) -> Resolved {
        let entries: Vec<Entry> = SPECS
            .iter()
            .map(|s| Entry {
                dist: parse_builtin(s.default, s.key),
                layer: Layer::Global,
                source: s.source.to_string(),
                native: None,
            })
            .collect();
        let history = entries.iter().map(|e: &Entry| vec![e.clone()]).collect();
        let mut out = Resolved { entries, history };
        let stack = [
            (Layer::Market, layers::market(setting.market)),
            (Layer::Team, layers::team(setting.team, setting.market)),
            (Layer::Category, layers::category(setting.category)),
            (Layer::Category, layers::category_size(setting.category)),
            (Layer::Model, layers::model(setting.model)),
            (Layer::Route, layers::route(setting.route)),
            (
                Layer::Route,
                layers::market_route(setting.market, setting.route),
            ),
            (
                Layer::Freight,
                if setting.route.imports_stock() {
                    layers::freight(setting.freight)
                } else {
                    &[]
                },
            ),
        ];
        let mut fees: Vec<_> = fees::in_force(&setting, as_of).collect();
        for (layer, overrides) in stack {
            for &(p, text, source) in overrides {
                // Built-in layers are checked by the layer tests.
                let value = check_value(p, parse_builtin(text, p.key()))
                    .unwrap_or_else(|e| panic!("built-in {} for {}: {e}", layer.name(), p.key()));
                out.set(value, layer, source.to_string());
            }
            // A layer's dated fees right after its undated figures, once.
            let (now, later) = fees.into_iter().partition(|&(l, _)| l == layer);
            fees = later;
            for (_, row) in now {
                out.set_row(&row.value, layer, &row.source);
            }
        }
        for rule in market_rules::in_force(&setting, as_of) {
            out.set_row(&rule.value, Layer::MarketRules, &rule.source);
        }
        for part in duties::Part::ALL {
            if let duties::Lookup::Found(row) = duties::lookup(&setting, part, as_of) {
                out.set(row.value.rate.clone(), Layer::Duties, row.source.clone());
            }
        }
        if let Some(row) = duties::entry_fee(&setting, as_of) {
            out.set(row.value.fee.clone(), Layer::Duties, row.source.clone());
        }
        out
    }

    /// A parameter's value and provenance.
    pub fn get(&self, p: P) -> &Entry {
        &self.entries[p as usize]
    }

    /// A parameter's value.
    pub fn dist(&self, p: P) -> &Dist {
        &self.entries[p as usize].dist
    }

    /// Replaces a parameter's value with one checked by [`check_value`].
    pub fn set(&mut self, value: CheckedValue, layer: Layer, source: String) {
        self.put(
            value.param,
            Entry {
                dist: value.dist,
                layer,
                source,
                native: None,
            },
        );
    }

    /// Replaces a parameter's value with a data row's, keeping the figure in the currency
    /// its source gives it (if not USD) for a study in that currency.
    fn set_row(&mut self, row: &dated::ParamValue, layer: Layer, source: &str) {
        let native = row.native.clone();
        let note = native
            .as_ref()
            .map(fx::Native::usd_note)
            .unwrap_or_default();
        self.put(
            row.checked.param,
            Entry {
                dist: row.checked.dist.clone(),
                layer,
                source: format!("{source}{note}"),
                native,
            },
        );
    }

    fn put(&mut self, p: P, entry: Entry) {
        if let Some(history) = self.history.get_mut(p as usize) {
            history.push(entry.clone());
        }
        self.entries[p as usize] = entry;
    }

    /// Every value a parameter was given, layer by layer, in order: the catalog default
    /// first, the final value last.
    /// After [`Resolved::forget_history`], only the final value.
    pub fn history(&self, p: P) -> &[Entry] {
        match self.history.get(p as usize) {
            Some(h) => h,
            None => std::slice::from_ref(&self.entries[p as usize]),
        }
    }

    /// Drops every value but the final ones: most of the memory of a set of parameters.
    /// For the many copies an analysis makes of a study (a sweep's points), which only
    /// simulate.
    pub fn forget_history(&mut self) {
        self.history = Vec::new();
    }

    /// Every parameter with its value, in catalog order.
    pub fn entries(&self) -> impl Iterator<Item = (P, &Entry)> {
        SPECS.iter().map(|s| s.id).zip(self.entries.iter())
    }
}

fn parse_builtin(text: &str, key: &str) -> Dist {
    // Built-in texts are checked by the catalog and layer tests.
    Dist::parse(text).unwrap_or_else(|e| panic!("built-in default for {key} is invalid: {e}"))
}

/// A value checked against its parameter's valid range: what [`Resolved::set`] takes, so
/// no unchecked value can reach a variant's parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedValue {
    param: P,
    dist: Dist,
}

impl CheckedValue {
    /// The parameter the value is for.
    pub fn param(&self) -> P {
        self.param
    }

    /// The value.
    pub fn dist(&self) -> &Dist {
        &self.dist
    }
}

/// A value outside its parameter's valid range; it reads as the message users see.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RangeError {
    /// A fixed value, or a bounded distribution reaching outside the range.
    #[error("{what} is outside the valid range {range}{why}")]
    Outside {
        /// `value 8` or `` `uniform(0.5, 1.2)` (draws from 0.5 to 1.2) ``.
        what: String,
        /// `[0, 1]`, `[0, ∞)`.
        range: String,
        /// A hint for the likely mistake (a percentage for a rate), or empty.
        why: &'static str,
    },
    /// A beta (on [0, 1] whatever the unit) for an amount of money: it would mean a
    /// different amount in every currency.
    #[error("{}", dist::beta_is_not_money(.0))]
    BetaMoney(String),
    /// An unbounded distribution whose mean lies outside the range.
    #[error("`{dist}` has mean {mean}, outside the valid range {range}{why}")]
    MeanOutside {
        /// The distribution as written.
        dist: String,
        /// Its mean.
        mean: f64,
        /// `[0, 1]`, `[0, ∞)`.
        range: String,
        /// A hint for the likely mistake, or empty.
        why: &'static str,
    },
    /// A fixed value with a fraction for a parameter that counts whole things (days,
    /// units, a 0/1 switch): the model would round it, silently.
    #[error("value {value} {says}")]
    NotWhole {
        /// The value, as written back.
        value: String,
        /// What is wrong and what to write instead.
        says: String,
    },
}

/// Checks a value against the parameter's valid range. Bounded distributions must lie
/// inside it; unbounded ones (normal, log-normal, intervals) must have their mean inside,
/// and their draws are clamped to the range (see docs/model.md).
pub fn check_value(p: P, dist: Dist) -> Result<CheckedValue, RangeError> {
    check_range(p, &dist)?;
    check_whole(p, &dist)?;
    Ok(CheckedValue { param: p, dist })
}

/// A value that can take only one value (a fixed one, or a distribution of no spread:
/// `uniform(0.4, 0.4)`, `normal(30.5, 0)`) of a whole-number parameter must be whole: a
/// distribution's draws are rounded (a range of days), but a single fraction is a slip,
/// or a switch read as a probability (0.4 would hold no stock at all).
fn check_whole(p: P, dist: &Dist) -> Result<(), RangeError> {
    let spec = p.spec();
    if !spec.integer {
        return Ok(());
    }
    let switch = spec.min == 0.0 && spec.max == 1.0;
    // The one value it can take, if only one.
    let single = dist
        .fixed_value()
        .or_else(|| (dist.quantile(0.01) == dist.quantile(0.99)).then(|| dist.quantile(0.5)));
    let always = |v: f64| {
        if dist.is_fixed() {
            dist.to_string()
        } else {
            format!("`{dist}` (always {})", dist::compact_number(v))
        }
    };
    if let Some(v) = single.filter(|v| v.fract() != 0.0) {
        let says = if switch {
            "is neither 0 nor 1: this parameter is an off/on switch, not a probability (to switch it on in some trials only, give a distribution with a spread: its draws are rounded)".to_string()
        } else {
            // The whole values on either side that are valid (the range was checked first).
            let sides: Vec<String> = [v.floor(), v.ceil()]
                .into_iter()
                .filter(|w| (spec.min..=spec.max).contains(w))
                .map(dist::compact_number)
                .collect();
            format!(
                "is not a whole number of {}: write {} (a distribution's draws are rounded; a single value must be whole)",
                spec.unit,
                sides.join(" or ")
            )
        };
        return Err(RangeError::NotWhole {
            value: always(v),
            says,
        });
    }
    // A switch with a spread whose draws all round to one setting (`uniform(0.2, 0.45)`
    // is always off) is a probability written where a switch is.
    let setting = |q: f64| dist.quantile(q).round();
    if switch && !dist.is_fixed() && setting(0.001) == setting(0.999) {
        return Err(RangeError::NotWhole {
            value: always(setting(0.5)),
            says: "rounds to one setting in every trial: this parameter is an off/on switch, not a probability (to switch it on in some trials only, give a distribution whose draws fall on both sides of 0.5)".to_string(),
        });
    }
    Ok(())
}

/// Checks a value against the parameter's valid range only (not that a single value of a
/// whole-number parameter is whole): what an end of an interval of values (`--between`,
/// `--swing`) must meet.
pub fn check_range(p: P, dist: &Dist) -> Result<(), RangeError> {
    let spec = p.spec();
    if spec.is_money() && matches!(dist.shape(), Shape::Beta { .. }) {
        return Err(RangeError::BetaMoney(dist.to_string()));
    }
    let (lo, hi) = dist.support();
    let range = format_range(spec);
    let bounded = lo.is_finite() && hi.is_finite();
    if bounded {
        if lo < spec.min || hi > spec.max {
            let what = if dist.is_fixed() {
                format!("value {dist}")
            } else {
                format!("`{dist}` (draws from {lo} to {hi})")
            };
            return Err(RangeError::Outside {
                what,
                range,
                why: why(spec, hi > spec.max),
            });
        }
    } else {
        let mean = dist.mean();
        if mean < spec.min || mean > spec.max {
            return Err(RangeError::MeanOutside {
                dist: dist.to_string(),
                mean,
                range,
                why: why(spec, mean > spec.max),
            });
        }
    }
    Ok(())
}

/// More than this share of a value's draws clamped to one end of its valid range is
/// warned about: the trials then hold a point mass at that end that the value as written
/// does not show (1 in 100 trials; a `lo..hi` interval with an end beyond the range puts
/// at least 5% there).
pub const CLAMPED_WARN_SHARE: f64 = 0.01;

/// What the engine's clamping does to a value of parameter `p`, when more than
/// [`CLAMPED_WARN_SHARE`] of its draws fall outside the key's valid range at one end
/// ([`clamped_note`]). A whole-number key's draws are rounded as well, so only draws that
/// would round outside the range count; an off/on switch's draws all become 0 or 1
/// whatever they were, so it has nothing to say. The caller adds the place and the key.
pub fn clamped_note_for(p: P, dist: &Dist) -> Option<String> {
    let spec = p.spec();
    if spec.integer && spec.min == 0.0 && spec.max == 1.0 {
        return None;
    }
    clamped_note(dist, spec.min, spec.max, spec.integer)
}

/// What clamping a value's draws to `[min, max]` does, when more than
/// [`CLAMPED_WARN_SHARE`] of them fall outside at one end (only unbounded distributions
/// can: a bounded one is refused unless it lies inside): "`normal(0.05, 0.04)` puts 10.6%
/// of its draws below 0, …". `whole`: the draws are then rounded, so a draw within half a
/// unit of a bound is not moved by the clamp. The caller adds the place and the key.
pub fn clamped_note(dist: &Dist, min: f64, max: f64, whole: bool) -> Option<String> {
    let margin = if whole { 0.5 } else { 0.0 };
    let (below, above) = dist.shares_outside(min - margin, max + margin);
    // One decimal, or two where one would print a share above the threshold as "1.0%".
    let percent = |share: f64| {
        let one = format!("{:.1}", 100.0 * share);
        if one
            .parse::<f64>()
            .is_ok_and(|v| v <= 100.0 * CLAMPED_WARN_SHARE)
        {
            format!("{:.2}%", 100.0 * share)
        } else {
            format!("{one}%")
        }
    };
    let n = dist::compact_number;
    let (lo, hi) = (n(min), n(max));
    let (low, high) = (below > CLAMPED_WARN_SHARE, above > CLAMPED_WARN_SHARE);
    let rounded = if whole { " once rounded" } else { "" };
    let what = match (low, high) {
        (false, false) => return None,
        (true, false) => format!(
            "{} of its draws below {lo}{rounded}, the least this key can be, and each is taken as {lo}: a point mass at {lo}",
            percent(below)
        ),
        (false, true) => format!(
            "{} of its draws above {hi}{rounded}, the most this key can be, and each is taken as {hi}: a point mass at {hi}",
            percent(above)
        ),
        (true, true) => format!(
            "{} of its draws below {lo} and {} above {hi}{rounded}, outside this key's range, and each is taken as the nearer end: point masses at both",
            percent(below),
            percent(above)
        ),
    };
    let range = if max.is_infinite() {
        format!("[{lo}, ∞)")
    } else {
        format!("[{lo}, {hi}]")
    };
    // Below 0 on a quantity with no natural top (an amount, a count, a multiplier: its
    // bound only catches typing mistakes) a log-normal is the remedy; a share bounded by 1
    // needs a bounded distribution.
    let instead = if min == 0.0 && !high && (max.is_infinite() || max >= 100.0) {
        "a distribution that cannot go below 0: `lo..hi` with both ends above 0 (a log-normal), `lognormal(median, sigma)` or `pert(lo, mode, hi)`"
    } else {
        "a bounded distribution: `pert(lo, mode, hi)`, `triangular(lo, mode, hi)` or `uniform(lo, hi)`"
    };
    Some(format!(
        "`{dist}` puts {what} that the value as written does not show; to keep every draw inside {range}, write {instead}"
    ))
}

fn why(spec: &ParamSpec, too_high: bool) -> &'static str {
    if spec.max == 1.0 && spec.min == 0.0 && !spec.integer {
        " (rates are fractions: write 0.08, not 8)"
    } else if !too_high && spec.min == 0.0 {
        " (it cannot be negative)"
    } else if too_high && spec.max > 100.0 {
        " (the upper bound only catches typing mistakes such as an extra zero or 1e308; docs/model.md lists the bounds)"
    } else {
        ""
    }
}

fn format_range(spec: &ParamSpec) -> String {
    if spec.max.is_infinite() {
        format!("[{}, ∞)", spec.min)
    } else {
        format!("[{}, {}]", spec.min, spec.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_value_of_a_whole_number_parameter_must_be_whole() {
        let check = |p: P, text: &str| check_value(p, Dist::parse(text).unwrap());
        let says = |p: P, text: &str| check(p, text).unwrap_err().to_string();
        // Fixed, or a distribution that can take one value only.
        for text in ["0.4", "uniform(0.4, 0.4)", "normal(0.4, 0)", "0.4..0.4"] {
            let e = says(P::InventoryEnabled, text);
            assert!(
                e.contains(
                    "is neither 0 nor 1: this parameter is an off/on switch, not a probability"
                ),
                "{text}: {e}"
            );
        }
        for text in [
            "30.5",
            "normal(30.5, 0)",
            "lognormal(30.5, 0)",
            "triangular(30.5, 30.5, 30.5)",
        ] {
            let e = says(P::RampDays, text);
            assert!(
                e.contains("is not a whole number of days: write 30 or 31"),
                "{text}: {e}"
            );
        }
        assert!(says(P::RampDays, "normal(30.5, 0)")
            .starts_with("value `normal(30.5, 0)` (always 30.5)"));
        // A distribution with a spread is taken: its draws are rounded.
        for text in [
            "uniform(20.5, 40.5)",
            "uniform(30.2, 30.4)",
            "normal(30, 5)",
            "30",
            "0..60",
        ] {
            assert!(check(P::RampDays, text).is_ok(), "{text}");
        }
        assert!(check(P::InventoryEnabled, "1").is_ok());
        // A switch with a spread that never reaches the other setting is a probability.
        for text in ["uniform(0.2, 0.45)", "normal(0.4, 0.01)", "0.3..0.4"] {
            let e = says(P::InventoryEnabled, text);
            assert!(
                e.contains("rounds to one setting in every trial"),
                "{text}: {e}"
            );
        }
        assert!(check(P::InventoryEnabled, "uniform(0, 1)").is_ok());
        // Out of range is said first, so only valid whole values are ever suggested.
        assert!(says(P::ChannelAccounts, "4.5").contains("outside the valid range [0, 4]"));
        assert!(says(P::ManagedListings, "0.5").contains("outside the valid range"));
        assert!(says(P::RampDays, "-0.5").contains("outside the valid range"));
        assert!(says(P::ChannelAccounts, "3.5").contains("write 3 or 4"));
        // A rate or an amount of money is not a count.
        assert!(check(P::CommissionRate, "0.065").is_ok());
    }

    fn setting() -> Setting {
        Setting {
            market: Market::Uk,
            category: Category::Apparel,
            model: Model::FullyManaged,
            route: Route::Managed,
            freight: crate::params::Freight::Sea,
            team: crate::params::Team::China,
            origin: crate::params::Origin::China,
            tariff_line: Category::Apparel.default_tariff_line(),
        }
    }

    #[test]
    fn layers_apply_in_order_and_record_provenance() {
        let r = Resolved::defaults(setting(), rules::DEFAULT_AS_OF);
        assert_eq!(r.dist(P::CommissionRate), &Dist::fixed(0.09).unwrap());
        assert_eq!(r.get(P::CommissionRate).layer, Layer::Market);
        assert_eq!(r.get(P::ReturnBaseRate).layer, Layer::Category);
        assert_eq!(r.get(P::StaffCostPerDay).layer, Layer::Model);
        // Both the model and the route layer set it; the route layer comes later.
        assert_eq!(r.get(P::InventoryEnabled).layer, Layer::Route);
        assert_eq!(r.get(P::DailyCv).layer, Layer::Global);
    }

    #[test]
    fn the_team_location_replaces_the_market_staff_cost_and_the_model_replaces_it() {
        let us = |model, route, team| Setting {
            market: Market::Us,
            category: Category::Beauty,
            model,
            route,
            freight: Freight::Sea,
            team,
            origin: crate::params::Origin::China,
            tariff_line: Category::Beauty.default_tariff_line(),
        };
        let staff = |s: Setting| {
            let r = Resolved::defaults(s, rules::DEFAULT_AS_OF);
            let e = r.get(P::StaffCostPerDay).clone();
            let layers: Vec<Layer> = r
                .history(P::StaffCostPerDay)
                .iter()
                .map(|e| e.layer)
                .collect();
            (e.dist.to_string(), e.layer, layers)
        };
        let (china, layer, layers) = staff(us(Model::SelfOperated, Route::Fbt, Team::China));
        assert_eq!((china.as_str(), layer), ("40..150", Layer::Team));
        assert_eq!(layers, [Layer::Global, Layer::Team]);
        let (market, layer, _) = staff(us(Model::SelfOperated, Route::Fbt, Team::Market));
        assert_eq!((market.as_str(), layer), ("120..250", Layer::Team));
        for team in Team::ALL {
            let (managed, layer, layers) = staff(us(Model::FullyManaged, Route::Managed, *team));
            assert_eq!((managed.as_str(), layer), ("20", Layer::Model));
            assert_eq!(layers, [Layer::Global, Layer::Team, Layer::Model]);
        }
    }

    /// Whether a provenance names where a figure comes from.
    fn names_a_source(source: &str) -> bool {
        ["DOMAIN", "MODEL.md", "cited: ", "assumption", "CBP ruling"]
            .iter()
            .any(|p| source.starts_with(p))
    }

    #[test]
    fn every_default_of_every_setting_names_its_source_and_fits_its_range() {
        // Every market, category, model, route and team location on the review date and
        // before and after the dated duty rows: every value names a source, and any range
        // (a distribution that is not a point) has room between its ends.
        let dates = ["2026-11-01", "2026-03-01", "2025-06-01"];
        for &market in Market::ALL {
            for &category in Category::ALL {
                for &model in Model::ALL {
                    for &route in Route::ALL.iter().filter(|r| r.fits(model)) {
                        for (date, &team) in dates
                            .iter()
                            .flat_map(|d| Team::ALL.iter().map(move |t| (d, t)))
                        {
                            let setting = Setting {
                                market,
                                category,
                                model,
                                route,
                                freight: crate::params::Freight::Sea,
                                team,
                                origin: crate::params::Origin::China,
                                tariff_line: category.default_tariff_line(),
                            };
                            let r = Resolved::defaults(setting, date.parse().unwrap());
                            for (p, e) in r.entries() {
                                assert!(
                                    names_a_source(&e.source),
                                    "{setting:?} {}: `{}`",
                                    p.key(),
                                    e.source
                                );
                                let (lo, hi) = e.dist.support();
                                assert!(e.dist.is_fixed() || lo < hi, "{}: {}", p.key(), e.dist);
                                assert!(check_value(p, e.dist.clone()).is_ok(), "{}", p.key());
                                // Nor is any default clamped into a point mass at a bound.
                                let note = clamped_note_for(p, &e.dist);
                                assert!(note.is_none(), "{setting:?} {}: {note:?}", p.key());
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_value_whose_draws_leave_the_range_often_is_noted_with_the_share_at_each_end() {
        use statrs::distribution::{ContinuousCDF, Normal};
        let phi = |z: f64| Normal::new(0.0, 1.0).unwrap().cdf(z);
        let note = |text: &str, min: f64, max: f64| {
            clamped_note(&Dist::parse(text).unwrap(), min, max, false)
        };
        // normal(0.05, 0.04) on [0, 1]: Φ(-1.25) = 10.6% below 0, none above.
        let d = Dist::parse("normal(0.05, 0.04)").unwrap();
        let (below, above) = d.shares_outside(0.0, 1.0);
        assert!(
            (below - phi(-1.25)).abs() < 1e-12 && above < 1e-12,
            "{below} {above}"
        );
        let said = note("normal(0.05, 0.04)", 0.0, 1.0).unwrap();
        assert!(
            said.starts_with("`normal(0.05, 0.04)` puts 10.6% of its draws below 0, the least this key can be, and each is taken as 0: a point mass at 0 that the value as written does not show"),
            "{said}"
        );
        assert!(
            said.ends_with("inside [0, 1], write a bounded distribution: `pert(lo, mode, hi)`, `triangular(lo, mode, hi)` or `uniform(lo, hi)`"),
            "{said}"
        );
        // A `lo..hi` interval with both ends positive is a log-normal with those ends as
        // its 5th and 95th percentiles: above its upper end lie 5% exactly.
        let (_, above) = Dist::parse("0.3..1").unwrap().shares_outside(0.0, 1.0);
        assert!((above - 0.05).abs() < 1e-9, "{above}");
        let (below, _) = Dist::parse("0..0.5").unwrap().shares_outside(0.0, 1.0);
        assert!((below - 0.05).abs() < 1e-9, "{below}");
        // 0.2..1.3: median √0.26, sigma ln(6.5)/2z; above 1: 1 − Φ(ln(1/median)/sigma).
        let (median, sigma) = (0.26f64.sqrt(), 6.5f64.ln() / (2.0 * dist::Z_95));
        let (_, above) = Dist::parse("0.2..1.3").unwrap().shares_outside(0.0, 1.0);
        assert!((above - (1.0 - phi((1.0 / median).ln() / sigma))).abs() < 1e-12);
        assert!(note("0.2..1.3", 0.0, 1.0).unwrap().contains(
            "puts 11.8% of its draws above 1, the most this key can be, and each is taken as 1"
        ));
        // Both ends.
        let both = note("normal(0.5, 0.3)", 0.0, 1.0).unwrap();
        assert!(
            both.contains("4.8% of its draws below 0 and 4.8% above 1, outside this key's range, and each is taken as the nearer end"),
            "{both}"
        );
        // Below 0 on an amount (its top only catches typing mistakes) or a multiplier
        // (none): a log-normal is the remedy.
        for max in [f64::INFINITY, 1e9] {
            let money = note("normal(10, 6)", 0.0, max).unwrap();
            assert!(
                money.contains("4.8% of its draws below 0")
                    && money.contains("write a distribution that cannot go below 0: `lo..hi` with both ends above 0 (a log-normal)"),
                "{money}"
            );
        }
        // Just above the threshold, two decimals: 1.02% is not printed as "1.0%".
        assert!(note("normal(0.0232, 0.01)", 0.0, 1.0)
            .unwrap()
            .contains("puts 1.02% of its draws"));
        // At 1% or less, or bounded, or a log-normal on [0, ∞): nothing to say.
        for (text, max) in [
            ("normal(0.5, 0.1)", 1.0),
            ("normal(0.0233, 0.01)", 1.0), // 0.99% below 0
            ("pert(0, 0.5, 1)", 1.0),
            ("uniform(0.3, 1)", 1.0),
            ("0.5", 1.0),
            ("0.01..100", f64::INFINITY),
            ("lognormal(3, 2)", f64::INFINITY),
        ] {
            assert_eq!(note(text, 0.0, max), None, "{text}");
        }
        // A whole-number key's draws are rounded: only those that would round outside
        // the range are moved. normal(3, 2) for days from 1: below 0.5, Φ(-1.25) = 10.6%
        // (not below 1, 15.9%).
        let days = clamped_note_for(P::MaxDelayDays, &Dist::parse("normal(3, 2)").unwrap());
        let spec = P::MaxDelayDays.spec();
        assert_eq!(spec.min, 1.0, "the test assumes days from 1");
        let days = days.unwrap();
        assert!(
            days.contains("10.6% of its draws below 1 once rounded"),
            "{days}"
        );
        // An off/on switch's draws all become 0 or 1 whatever they were: nothing to say.
        assert_eq!(
            clamped_note_for(
                P::InventoryEnabled,
                &Dist::parse("normal(0.7, 0.5)").unwrap()
            ),
            None
        );
    }

    #[test]
    fn values_outside_the_range_are_rejected_with_a_reason() {
        let e = check_value(P::CommissionRate, Dist::fixed(8.0).unwrap()).unwrap_err();
        assert!(
            matches!(&e, RangeError::Outside { range, .. } if range == "[0, 1]"),
            "{e:?}"
        );
        let said = e.to_string();
        assert!(
            said.contains("[0, 1]") && said.contains("fractions"),
            "{said}"
        );
        // An unbounded distribution is judged by its mean (and warned about where its
        // draws fall outside: `clamped_note`).
        let mean = check_value(P::ReturnBaseRate, Dist::parse("normal(2, 0.1)").unwrap());
        assert!(
            matches!(mean, Err(RangeError::MeanOutside { mean, .. }) if mean == 2.0),
            "{mean:?}"
        );
        assert!(check_value(P::RetailPrice, Dist::fixed(-1.0).unwrap()).is_err());
        assert!(check_value(P::ReturnBaseRate, Dist::parse("uniform(0.5, 1.2)").unwrap()).is_err());
        assert!(check_value(P::ReturnBaseRate, Dist::parse("0.05..0.12").unwrap()).is_ok());
        assert!(check_value(P::ChannelAccounts, Dist::fixed(5.0).unwrap()).is_err());
    }
}
