//! Scenario files in, validated studies out. Parsing (serde, `raw.rs`) is separate from
//! validation (`validate.rs`, with `events.rs`), which checks every value and
//! cross-field rule and reports all problems of a file at once, each with its file, line
//! and key, in line order.

mod clamped;
mod correlations;
mod currency;
pub mod event_keys;
mod events;
mod model_keys;
pub mod name_rules;
mod names;
pub mod overrides;
pub(crate) mod raw;
mod validate;
mod validator;

use std::path::Path;

use crate::error::{line_of, InputError, Kind, Problem, Warning};
use crate::params::rules::Date;
use crate::params::ExchangeRate;
use crate::sim::inputs::Sampling;
use crate::sim::StudySpec;
pub use overrides::Overrides;
use raw::RawStudy;
pub(crate) use validate::in_reading_order;

/// The study that runs when no scenario is given: the four US beauty variants over
/// Black Friday, embedded in the binary.
pub const BUILT_IN: &str = include_str!("../../scenarios/us_beauty_2026_routes.toml");
/// How the built-in scenario is named in outputs.
pub const BUILT_IN_NAME: &str = "built-in us_beauty_2026_routes.toml";

/// How a scenario read from standard input (`run -`) is named in messages and records.
pub const STDIN_NAME: &str = "<stdin>";

/// The built-in study's line that says what it is, and what a template says instead.
const BUILT_IN_SAYS: &str = "# This is the study `shopsim run` runs when given no scenario.";
const TEMPLATE_SAYS: &str =
    "# Written by `shopsim init` from the study `shopsim run` runs when given no scenario:\n\
# edit it (scenarios/README.md explains every field), then `shopsim run` this file.";

/// The built-in study as a scenario to start from (`shopsim init NAME`): its text, comments
/// kept, with `name` set to `name`. `name` comes from the command line and is data, never a
/// path: it must be a study's name ([`name_rules::why_not_a_study_name`]).
pub fn template(name: &str) -> Result<String, InputError> {
    if let Some(why) = name_rules::why_not_a_study_name(name) {
        return Err(InputError::one(Problem::general(
            Kind::Name,
            format!(
                "`{}` cannot name a study: {why}",
                crate::error::printable(name)
            ),
        )));
    }
    let mut doc: toml_edit::DocumentMut = BUILT_IN
        .parse()
        .expect("the built-in scenario is valid TOML");
    doc["name"] = toml_edit::value(name);
    Ok(doc.to_string().replacen(BUILT_IN_SAYS, TEMPLATE_SAYS, 1))
}

/// Longest horizon accepted (ten years of days).
pub const MAX_HORIZON_DAYS: i64 = 3650;

/// Longest study or variant name, in characters: a study names a folder, and file systems
/// allow 255 bytes for a name (staging folders add a prefix and a suffix).
pub const MAX_NAME_CHARS: usize = 100;

/// A validated scenario, ready to simulate. Built only by reading a scenario file; the
/// run may change its trial count and seed ([`Scenario::override_run`]) and nothing else.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    spec: StudySpec,
    /// Where it was read from (a path, or the built-in name).
    origin: String,
    description: Option<String>,
    currency: String,
    /// What converted the defaults (in USD) to `currency`; `None` for a study in USD.
    exchange_rate: Option<ExchangeRate>,
    /// The date the study is about: which platform rules apply.
    as_of: Date,
    /// Problems that do not stop the run (e.g. a model not offered in a market).
    warnings: Vec<Warning>,
    /// Index of the variant the others are compared against, if the scenario names one.
    baseline: Option<usize>,
    /// The scenario file's text as read (a shard records it so that a merge can rebuild
    /// the same study).
    text: String,
}

impl Scenario {
    /// The study to simulate.
    pub fn spec(&self) -> &StudySpec {
        &self.spec
    }

    /// Where it was read from (a path, or the built-in name).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The scenario's question, if it has one.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// Currency of every money figure.
    pub fn currency(&self) -> &str {
        &self.currency
    }

    /// The exchange rate its money defaults were converted at (`fx.THB`); `None` for a
    /// study in USD, the defaults' currency.
    pub fn exchange_rate(&self) -> Option<&ExchangeRate> {
        self.exchange_rate.as_ref()
    }

    /// The date the study is about (`as_of`, default [`crate::params::rules::DEFAULT_AS_OF`]).
    pub fn as_of(&self) -> Date {
        self.as_of
    }

    /// Problems that do not stop the run.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Replaces the warnings (a command's own, with those of the study it runs).
    pub fn set_warnings(&mut self, warnings: Vec<Warning>) {
        self.warnings = warnings;
    }

    /// Index of the variant the others are compared against, if the scenario names one.
    pub fn baseline(&self) -> Option<usize> {
        self.baseline
    }

    /// The scenario file's text as read.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Drops the layers below each parameter's final value: for the copies an analysis
    /// runs (a sweep's points), which `params --explain` never reads.
    pub fn forget_history(&mut self) {
        self.spec.forget_history();
    }

    /// Keeps only the variants named in `names` (in the scenario's order); the baseline
    /// stays if kept. An unknown name is an error with a suggestion.
    pub fn keep_variants(&mut self, names: &[String]) -> Result<(), InputError> {
        if names.is_empty() {
            return Ok(());
        }
        // An option of a study with worlds stands for its cells in every world.
        let worlds = self.spec.worlds();
        let is_option = |n: &str| worlds.is_some_and(|w| w.options().iter().any(|o| o == n));
        if let Some(problem) = names
            .iter()
            .filter(|n| !is_option(n))
            .find_map(|n| self.unknown_variant("--variant", n))
        {
            return Err(InputError::one(problem));
        }
        let names: Vec<String> = names
            .iter()
            .flat_map(|n| match worlds.filter(|_| is_option(n)) {
                Some(w) => w
                    .variants_of_option(n)
                    .into_iter()
                    .map(|i| self.spec.variants()[i].name().to_string())
                    .collect(),
                None => vec![n.clone()],
            })
            .collect();
        let all: Vec<&str> = self.spec.variants().iter().map(|v| v.name()).collect();
        let keep: Vec<usize> = (0..all.len())
            .filter(|&i| names.iter().any(|n| n == all[i]))
            .collect();
        self.baseline = self
            .baseline
            .and_then(|b| keep.iter().position(|&i| i == b));
        self.spec = self.spec.clone().with_variants(&keep);
        Ok(())
    }

    /// The problem with `name` (given with `flag`) when the study has no such variant,
    /// with a suggestion.
    pub fn unknown_variant(&self, flag: &str, name: &str) -> Option<Problem> {
        let all = self.spec.variants().iter().map(|v| v.name());
        if all.clone().any(|v| v == name) {
            return None;
        }
        if let Some(w) = self.spec.worlds() {
            let cells = w.variants_of_option(name);
            if !cells.is_empty() {
                let names: Vec<String> = cells
                    .iter()
                    .map(|&i| format!("`{}`", self.spec.variants()[i].name()))
                    .collect();
                return Some(Problem::general(
                    Kind::UnknownKey,
                    format!(
                        "{flag}: `{}` is an option simulated in each state of the world; name one of its variants: {}",
                        crate::error::printable(name),
                        names.join(", ")
                    ),
                ));
            }
        }
        Some(Problem::general(
            Kind::UnknownKey,
            format!(
                "{flag}: the study has no variant `{}`{}",
                crate::error::printable(name),
                crate::suggest::hint(name, all)
            ),
        ))
    }

    /// Applies the run's `--trials` and `--seed` (the only changes a validated scenario
    /// takes).
    pub fn override_run(
        &mut self,
        trials: Option<u64>,
        seed: Option<u64>,
    ) -> Result<(), InputError> {
        let mut spec = self.spec.clone();
        if let Some(t) = trials {
            spec = spec.with_trials(t).map_err(|e| {
                InputError::one(Problem::general(Kind::OutOfRange, format!("--trials: {e}")))
            })?;
        }
        if let Some(seed) = seed {
            spec = spec.with_seed(seed);
        }
        self.spec = spec;
        Ok(())
    }

    /// Samples the study's inputs by `sampling` (`--sampling`), when given.
    pub fn override_sampling(&mut self, sampling: Option<Sampling>) -> Result<(), InputError> {
        if let Some(sampling) = sampling {
            self.spec = self.spec.clone().with_sampling(sampling).map_err(|e| {
                InputError::one(Problem::general(Kind::Conflict, format!("--sampling: {e}")))
            })?;
        }
        Ok(())
    }
}

/// Reads and validates a scenario file (in any encoding [`crate::input_text::decode`]
/// reads).
/// `-` reads standard input, named [`STDIN_NAME`].
pub fn load_file(path: &Path, overrides: Option<&Overrides>) -> Result<Scenario, InputError> {
    let text =
        crate::input_text::read_text(path, "scenario", crate::input_text::FileKind::Scenario)?;
    let origin = if path.as_os_str() == "-" {
        STDIN_NAME.to_string()
    } else {
        path.display().to_string()
    };
    parse(&text, &origin, overrides)
}

/// Validates scenario text; `origin` names it in messages.
pub fn parse(
    text: &str,
    origin: &str,
    overrides: Option<&Overrides>,
) -> Result<Scenario, InputError> {
    let found = names::check(text, origin);
    if found.problems.is_empty() {
        let raw: RawStudy = toml::from_str(text).map_err(|e| toml_error(text, origin, &e))?;
        return validate::validate(text, origin, raw, overrides);
    }
    // Unknown names were found: report them with every other problem of the file, from
    // the text with their lines blanked (line numbers unchanged).
    let mut problems = found.problems;
    if let Some(blanked) = found.blanked {
        let rest = match toml::from_str::<RawStudy>(&blanked) {
            Ok(raw) => validate::validate(&blanked, origin, raw, overrides).err(),
            Err(e) => Some(toml_error(&blanked, origin, &e)),
        };
        problems.extend(rest.map(InputError::into_problems).unwrap_or_default());
    }
    Err(InputError::from_problems(problems).expect("at least one problem"))
}

/// A TOML syntax or structure error in the same `file:line: key ...` form as the others.
fn toml_error(text: &str, origin: &str, e: &toml::de::Error) -> InputError {
    // The parser's message may run over several lines ("invalid array\nexpected `]`").
    let one_line = e
        .message()
        .trim_end()
        .lines()
        .collect::<Vec<_>>()
        .join("; ");
    let message = plain_words(&with_hint(&one_line));
    let kind = if message.contains("unknown field") {
        Kind::UnknownKey
    } else if message.contains("invalid type") {
        Kind::WrongType
    } else if message.contains("missing field") {
        Kind::Missing
    } else {
        Kind::Syntax
    };
    let Some(span) = e.span() else {
        return InputError::one(Problem::new(kind, origin, message));
    };
    let line = line_of(text, span.start);
    let source_line = text.lines().nth(line - 1).unwrap_or("");
    let key = source_line
        .split_once('=')
        .map(|(k, _)| k.trim())
        .filter(|k| !k.is_empty() && !k.starts_with('#'));
    let problem = match key {
        Some(k) => Problem::new(kind, origin, format!("key `{k}`: {message}")).with_key(k),
        None => Problem::new(
            kind,
            origin,
            format!(
                "{message} (in `{}`)",
                crate::error::printable(source_line.trim())
            ),
        ),
    };
    InputError::one(problem.at_line(line))
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

/// Replaces the parser's type names with words a spreadsheet user knows.
fn plain_words(message: &str) -> String {
    [
        (
            "expected a map",
            "expected a table (a [section] or key.sub = value lines)",
        ),
        ("expected struct", "expected a table"),
        ("expected a sequence", "expected a list [ ... ]"),
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a string", "expected text in quotes"),
        ("invalid type: map", "invalid type: a table"),
        ("invalid type: sequence", "invalid type: a list"),
    ]
    .iter()
    .fold(message.to_string(), |m, (from, to)| m.replace(from, to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{Dist, Layer, P};

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
logistics.cost_per_order = "3..4"
"#;

    #[test]
    fn a_valid_file_resolves_every_layer() {
        let s = parse(OK, "t.toml", None).unwrap();
        assert_eq!(s.spec().variants().len(), 2);
        let b = &s.spec().variants()[1];
        assert_eq!(b.params().dist(P::RetailPrice), &Dist::fixed(22.0).unwrap());
        assert_eq!(b.params().get(P::RetailPrice).layer, Layer::Variant);
        assert_eq!(b.params().get(P::DailyCv).layer, Layer::Base);
        assert_eq!(b.setting().route, crate::params::Route::Fbt);
        assert_eq!(b.params().get(P::CostPerOrder).layer, Layer::Variant);
        assert_eq!(s.spec().events()[0].start_day(), 9);
        // Dated by default on the rules' review day: variant `a` (US, self-operated,
        // semi-closed) is no longer allowed since 2025-12-15; `b` is.
        assert_eq!(s.as_of().to_string(), "2026-11-01");
        // Each variant is also told that its duty surcharge after 2026-07-24 is an
        // assumption (the scenario does not set it).
        assert_eq!(s.warnings().len(), 3, "{:?}", s.warnings());
        let assumed = |w: &&crate::error::Warning| {
            w.message
                .contains("`tax.duty_surcharge_rate` defaults to uniform(0, 0.25), an assumption")
        };
        assert_eq!(s.warnings().iter().filter(assumed).count(), 2);
        let w = s.warnings().iter().find(|w| !assumed(w)).unwrap();
        assert!(
            w.message
                .starts_with("variant `a`: not allowed any more: since 2025-12-15 in market `us`"),
            "{w}"
        );
        assert!(
            w.message.contains("kid 6907594552067854") && w.line == Some(15),
            "{w}"
        );
    }

    #[test]
    fn a_study_dated_before_a_rule_gets_no_warning_and_a_bad_date_is_an_error() {
        let before = OK.replace("seed = 1\n", "seed = 1\nas_of = 2025-12-14\n");
        let s = parse(&before, "t.toml", None).unwrap();
        assert!(
            s.warnings()
                .iter()
                .all(|w| !w.message.contains("not allowed")),
            "{:?}",
            s.warnings()
        );
        // Before the first dated US duty row: each variant is told it pays no duty.
        assert_eq!(s.warnings().len(), 2, "{:?}", s.warnings());
        assert!(s.warnings()[0]
            .message
            .contains("data/duties.toml has no base, origin and surcharge duty of market `us` for tariff line 3304 from china"));
        let quoted = OK.replace("seed = 1\n", "seed = 1\nas_of = \"2026-03-01\"\n");
        assert_eq!(parse(&quoted, "t.toml", None).unwrap().warnings().len(), 1);
        let bad = OK.replace("seed = 1\n", "seed = 1\nas_of = \"2025-02-30\"\n");
        let e = parse(&bad, "t.toml", None).unwrap_err().to_string();
        assert!(
            e.contains("t.toml:6: key `as_of`: `2025-02-30` is not a date"),
            "{e}"
        );
    }

    fn error_of(text: &str) -> String {
        parse(text, "t.toml", None).unwrap_err().to_string()
    }

    /// `OK` with two worlds that set the retail price of `a` and the daily noise.
    fn with_worlds(extra: &str) -> String {
        format!(
            "{OK}[[world]]\nname = \"calm\"\ndemand.orders_per_account_day = 10\n{extra}\n[[world]]\nname = \"busy\"\ndemand.orders_per_account_day = 30\n"
        )
    }

    #[test]
    fn worlds_make_a_variant_of_each_option_in_each_world() {
        let s = parse(&with_worlds(""), "t.toml", None).unwrap();
        let names = s.spec().variant_names();
        assert_eq!(names, ["a@calm", "a@busy", "b@calm", "b@busy"]);
        let w = s.spec().worlds().unwrap();
        assert_eq!(w.options(), ["a", "b"]);
        assert_eq!(s.spec().best_groups(), [0, 1, 0, 1]);
        let b_busy = &s.spec().variants()[3];
        // The option's keys and the world's both land; the base's stay below.
        assert_eq!(
            b_busy.params().dist(P::RetailPrice),
            &Dist::fixed(22.0).unwrap()
        );
        assert_eq!(
            b_busy.params().dist(P::OrdersPerAccountDay),
            &Dist::fixed(30.0).unwrap()
        );
        assert!(b_busy
            .params()
            .get(P::OrdersPerAccountDay)
            .source
            .contains("world `busy`"));
        assert_eq!(b_busy.params().get(P::DailyCv).layer, Layer::Base);
        // A variant's warnings are said once, not once per world.
        let plain = parse(OK, "t.toml", None).unwrap();
        assert_eq!(
            s.warnings().len(),
            plain.warnings().len(),
            "{:?}",
            s.warnings()
        );
        // `--variant` may name an option (its every world) or one cell.
        let mut kept = s.clone();
        kept.keep_variants(&["b".to_string()]).unwrap();
        assert_eq!(kept.spec().variant_names(), ["b@calm", "b@busy"]);
        assert_eq!(kept.spec().best_groups(), [0, 1]);
        let e = s.unknown_variant("--a", "b").unwrap().to_string();
        assert!(e.contains("`b@calm`, `b@busy`"), "{e}");
        assert!(s.unknown_variant("--a", "b@busy").is_none());
    }

    #[test]
    fn bad_worlds_are_refused_with_their_reasons() {
        // A key set by an option and a world.
        let e = error_of(&with_worlds("price.retail = 30"));
        assert!(
            e.contains("world `calm` sets `price.retail`, which variant `b` sets too"),
            "{e}"
        );
        // A choice in a world.
        let e = error_of(&with_worlds("route = \"fbt\""));
        assert!(
            e.contains("`route` in [[world]]") && e.contains("option's choice"),
            "{e}"
        );
        // Weights on some worlds only, and a negative one.
        let e = error_of(&with_worlds("weight = 2"));
        assert!(e.contains("1 of the 2 worlds have a `weight`"), "{e}");
        let e = error_of(&with_worlds("weight = -1"));
        assert!(e.contains("not a weight"), "{e}");
        // One world, a world's name twice, `@` in a name, an unknown parameter once.
        let one = format!("{OK}[[world]]\nname = \"calm\"\n");
        assert!(error_of(&one).contains("at least two [[world]] tables"));
        let twice = with_worlds("").replace("\"busy\"", "\"calm\"");
        assert!(error_of(&twice).contains("world name `calm` is used twice"));
        let at = with_worlds("").replace("\"busy\"", "\"x@y\"");
        assert!(error_of(&at).contains("`@` joins"), "{}", error_of(&at));
        // Two valid names too long together for a variant's (it names files).
        let long = with_worlds("")
            .replace("\"busy\"", &format!("\"{}\"", "w".repeat(100)))
            .replace("name = \"b\"", &format!("name = \"{}\"", "b".repeat(100)));
        let e = error_of(&long);
        assert!(
            e.contains("cannot be named so") && e.contains("shorten"),
            "{e}"
        );
        let e = error_of(&with_worlds("demand.dayly_cv = 1"));
        assert_eq!(e.matches("demand.dayly_cv").count(), 1, "{e}");
        // A study without worlds has none.
        assert!(parse(OK, "t.toml", None).unwrap().spec().worlds().is_none());
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
            e.contains("key `price.retail`: `NaN` is not a finite number"),
            "{e}"
        );
        // A value of another type is described, with an example of what fits.
        let e = error_of(&OK.replace("price.retail = 22", "price.retail = [1, 2]"));
        assert!(
            e.contains(
                "key `price.retail`: expected a number or a distribution such as \"normal(10, 2)\"; found a list"
            ),
            "{e}"
        );
    }

    #[test]
    fn structural_problems_are_errors() {
        assert!(error_of(&OK.replace("name = \"b\"", "name = \"a\"")).contains("used twice"));
        assert!(error_of(&OK.replace("trials = 10", "trials = 0")).contains("at least 1"));
        // A bad horizon is said once: the events are not blamed for a horizon of 1 day.
        let no_horizon = error_of(&OK.replace("horizon_days = 30", "horizon_days = 0"));
        assert!(no_horizon.contains("horizon_days"), "{no_horizon}");
        assert!(!no_horizon.contains("start_day"), "{no_horizon}");
        assert!(!no_horizon.contains("end_day"), "{no_horizon}");
        assert!(
            error_of(&OK.replace("demand_multiplier = \"2..3\"", "demand_multiplier = -1"))
                .contains("demand_multiplier")
        );
        assert!(
            error_of(&OK.replace("loop = \"full_closed\"", "loop = \"full\""))
                .contains("loop type")
        );
        let b_managed_semi = OK.replace(
            "model = \"self_operated\"\nloop = \"full_closed\"",
            "model = \"fully_managed\"\nloop = \"semi_closed\"",
        );
        let e = error_of(&b_managed_semi);
        assert!(
            e.contains(
                "t.toml:22: variant `b`: a fully managed shop cannot use a semi-closed loop"
            ),
            "{e}"
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
    fn routes_tariffs_campaigns_and_removed_keys_are_checked() {
        let bad_route = OK.replace("loop = \"full_closed\"", "route = \"managed\"");
        let e = error_of(&bad_route);
        assert!(
            e.contains("variant `b`: route `managed` is the fully managed model's"),
            "{e}"
        );
        let conflict = OK.replace(
            "loop = \"full_closed\"",
            "loop = \"semi_closed\"\nroute = \"fbt\"",
        );
        let e = error_of(&conflict);
        assert!(
            e.contains("route `fbt` belongs to the full_closed loop, not `semi_closed`"),
            "{e}"
        );
        let event = OK.replace(
            "demand_multiplier = \"2..3\"",
            "duty_rate = -0.1\ncampaign_coupon_share = 1.5\ncampaign_fee_rate = \"lots\"\nmin_shop_score = 6",
        );
        let e = error_of(&event);
        for part in [
            "event `peak`: key `duty_rate`: value -0.1 is outside the valid range",
            "event `peak`: key `min_shop_score` must be a number from 0 to 5 (a score, e.g. 3.5); found the number 6",
            "event `peak`: key `campaign_coupon_share`: `1.5` must lie from 0 to 1",
            "event `peak`: key `campaign_fee_rate`:",
        ] {
            assert!(e.contains(part), "{part}\n{e}");
        }
        for (key, why) in [
            ("logistics.tiers", "FBT's rate card has no volume discount"),
            (
                "logistics.programme_fee_per_day",
                "FBT has no programme fee",
            ),
            (
                "price.supply",
                "the fully managed supply price is now cost-plus",
            ),
            ("demand.semi_closed_factor", "renamed `demand.route_factor`"),
        ] {
            let e = error_of(&OK.replace("price.retail = 22", &format!("{key} = 1")));
            assert!(
                e.contains(&format!("unknown parameter `{key}`: {why}")),
                "{e}"
            );
        }
        // A valid tariff and campaign reach the spec.
        let good = OK.replace(
            "demand_multiplier = \"2..3\"",
            "duty_rate = 0.25\ncampaign_price_cut = \"uniform(0, 0.1)\"\nmin_shop_score = 3.5",
        );
        let s = parse(&good, "t.toml", None).unwrap();
        let ev = &s.spec().events()[0];
        assert_eq!(ev.min_shop_score(), Some(3.5));
        assert_eq!(ev.duty_rate(), Some(&Dist::fixed(0.25).unwrap()));
        assert_eq!(ev.campaign()[0].to_string(), "uniform(0, 0.1)");
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
    fn an_origin_where_no_duty_depends_on_it_is_a_warning_and_a_bad_line_an_error() {
        let with = |market: &str, extra: &str| {
            OK.replace(
                "market = \"us\"",
                &format!("market = \"{market}\"\n{extra}"),
            )
        };
        let origin_warnings = |text: &str| {
            parse(text, "t.toml", None)
                .unwrap()
                .warnings()
                .iter()
                .filter(|w| w.message.contains("has no effect in market"))
                .count()
        };
        // Thailand charges no duty by origin: said once, at the base's line.
        assert_eq!(origin_warnings(&with("th", "origin = \"other\"")), 1);
        // The US does (Section 301): no warning, and the duty's origin part is gone.
        let us = parse(&with("us", "origin = \"other\""), "t.toml", None).unwrap();
        assert_eq!(origin_warnings(&with("us", "origin = \"other\"")), 0);
        let b = &us.spec().variants()[1];
        assert_eq!(
            b.params().dist(P::DutyOriginRate),
            &Dist::fixed(0.0).unwrap()
        );
        // A tariff line names its row; a malformed one is an error at its line.
        let line = parse(&with("us", "tariff_line = \"6109.10\""), "t.toml", None).unwrap();
        let b = &line.spec().variants()[1];
        assert_eq!(
            b.params().dist(P::DutyOriginRate),
            &Dist::fixed(0.075).unwrap()
        );
        let e = parse(&with("us", "tariff_line = \"61a9\""), "t.toml", None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("t.toml:8: variant `a`: key `tariff_line`: `61a9` is not a tariff line"),
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
        let said = |part: &str| {
            s.warnings()
                .iter()
                .filter(|w| w.message.contains(part))
                .count()
        };
        // Each variant: the model is not offered; the UK's duty rows cover beauty (parcels
        // to GBP 135 pay none, bulk 3304 is free).
        assert_eq!(s.warnings().len(), 2, "{:?}", s.warnings());
        assert_eq!(said("not offered"), 2);
        // Electronics (line 85) imported in bulk: no UK row for the line, a warning; a
        // rate the scenario sets silences it.
        let uk = |extra: &str| {
            OK.replace(
                "market = \"us\"\ncategory = \"beauty\"",
                &format!("market = \"uk\"\ncategory = \"electronics\"{extra}"),
            )
        };
        let s = parse(&uk(""), "t.toml", None).unwrap();
        let duty: Vec<_> = s
            .warnings()
            .iter()
            .filter(|w| {
                w.message
                    .contains("no base duty of market `uk` for tariff line 85")
            })
            .collect();
        assert_eq!(duty.len(), 1, "{:?}", s.warnings());
        assert!(duty[0].message.starts_with("variant `b`"), "{}", duty[0]);
        let s = parse(&uk("\ntax.duty_base_rate = 0.04"), "t.toml", None).unwrap();
        assert_eq!(s.warnings().len(), 2);
        assert!(s
            .warnings()
            .iter()
            .all(|w| w.message.contains("not offered")));
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
            s.spec().variants()[0].params().dist(P::RetailPrice),
            &Dist::fixed(20.0).unwrap()
        );
        assert_eq!(
            s.spec().variants()[1].params().dist(P::RetailPrice),
            &Dist::fixed(30.0).unwrap()
        );
        assert_eq!(
            s.spec().variants()[1].params().get(P::RetailPrice).source,
            "o.csv:2"
        );
        assert_eq!(
            s.spec().variants()[0].params().dist(P::DailyCv),
            &Dist::fixed(0.0).unwrap()
        );
    }

    #[test]
    fn the_built_in_study_is_valid() {
        let s = parse(BUILT_IN, BUILT_IN_NAME, None).unwrap();
        assert_eq!(s.spec().variants().len(), 4);
    }

    #[test]
    fn a_template_is_the_built_in_study_under_its_new_name() {
        // The line a template replaces is in the built-in file (else the template would
        // still claim to be the built-in study).
        assert!(BUILT_IN.contains(BUILT_IN_SAYS));
        let text = template("uk-shop.2").unwrap();
        assert!(!text.contains(BUILT_IN_SAYS));
        assert!(text.contains("Written by `shopsim init`"));
        let t = parse(&text, "t.toml", None).unwrap();
        let b = parse(BUILT_IN, BUILT_IN_NAME, None).unwrap();
        assert_eq!(t.spec().name(), "uk-shop.2");
        // Everything else is the built-in study's: the same variants, trials and seed.
        assert_eq!(t.spec().trials(), b.spec().trials());
        assert_eq!(t.spec().seed(), b.spec().seed());
        let names = |s: &Scenario| -> Vec<String> {
            s.spec()
                .variants()
                .iter()
                .map(|v| v.name().to_string())
                .collect()
        };
        assert_eq!(names(&t), names(&b));
        // The comments stay (the closing one explains the result).
        assert_eq!(
            text.lines()
                .filter(|l| l.trim_start().starts_with('#'))
                .count(),
            BUILT_IN
                .lines()
                .filter(|l| l.trim_start().starts_with('#'))
                .count()
                + 1
        );
    }

    #[test]
    fn a_template_name_is_never_a_path() {
        for bad in [
            "../x",
            "a/b",
            "a\\b",
            ".hidden",
            "con",
            "",
            "x y",
            "a\u{1b}[31m",
        ] {
            let e = template(bad).unwrap_err();
            assert!(e.to_string().contains("cannot name a study"), "{bad}: {e}");
        }
    }
}
