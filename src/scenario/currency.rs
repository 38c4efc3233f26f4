//! A scenario's `currency` and its exchange rate. The defaults are in USD
//! ([`crate::params::fx`]); a study in another currency gives the rate that converts them,
//! as units of its currency per USD, at the top of the file:
//!
//! ```toml
//! currency = "THB"
//! fx.THB = 36.5      # or a table [fx] with THB = 36.5
//! ```
//!
//! The rate is required, not defaulted: no dated reference rate ships with the program, and
//! reading a $20 default as 20 THB would be silently wrong. Only the study's own currency
//! may have a rate (a USD study none), so a misspelt code is an error rather than a rate
//! that is never used.

use std::collections::BTreeMap;

use super::raw::RawValue;
use super::validator::Validator;
use crate::error::{printable, Kind};
use crate::params::fx::{why_not_a_currency, DEFAULTS_CURRENCY};
use crate::params::{ExchangeRate, Resolved};

impl Validator<'_> {
    /// The study's currency (USD when not given), with its exchange rate from the `fx`
    /// table kept for the variants ([`Validator::convert_defaults`]); every problem
    /// reported at its line.
    pub(super) fn currency(
        &mut self,
        currency: Option<&RawValue>,
        fx: Option<&BTreeMap<String, RawValue>>,
    ) -> String {
        let Some(value) = currency else {
            self.rates(DEFAULTS_CURRENCY, fx);
            return DEFAULTS_CURRENCY.to_string();
        };
        let Some(code) = self.text(value, "currency", "") else {
            return DEFAULTS_CURRENCY.to_string();
        };
        if let Some(why) = why_not_a_currency(&code) {
            // Which rate belongs to the study cannot be told: the rates wait for the code.
            self.problem(
                value.span(),
                Kind::OutOfRange,
                "currency",
                format!(
                    "key `currency`: `{}` is not a currency code: {why}",
                    printable(&code)
                ),
            );
            return code;
        }
        let found = self.rates(&code, fx);
        if code != DEFAULTS_CURRENCY && !found {
            self.problem(
                value.span(),
                Kind::Missing,
                "currency",
                format!(
                    "key `currency`: `{code}` needs an exchange rate: add `fx.{code} = <{code} per {usd}>` (e.g. `fx.{code} = 36.5`) at the top of the file, before the first [table], or a table `[fx]` with `{code} = ...`. The defaults (the catalog, its layers and data/*.toml) are in {usd} and are converted at that rate; the values the scenario, a --params CSV or a sweep set are taken as {code}",
                    usd = DEFAULTS_CURRENCY
                ),
            );
        }
        code
    }

    /// Reads the `fx` table of a study in `code`: its rate (kept in `self.exchange`) and
    /// a problem for every other key. Whether the file names a rate for `code`, valid or
    /// not (a bad one is reported here, not as missing).
    fn rates(&mut self, code: &str, fx: Option<&BTreeMap<String, RawValue>>) -> bool {
        let mut found = false;
        for (key, value) in fx.into_iter().flatten() {
            let full = format!("fx.{}", printable(key));
            if key != code {
                let why = if code == DEFAULTS_CURRENCY {
                    format!("the study is in {DEFAULTS_CURRENCY}, the defaults' own currency, and needs no rate (a study in {0} says `currency = \"{0}\"`)", printable(key))
                } else {
                    format!("the study's currency is `{code}`: only `fx.{code}` ({code} per {DEFAULTS_CURRENCY}) is read")
                };
                self.problem(
                    value.span(),
                    Kind::UnknownKey,
                    &full,
                    format!("key `{full}`: {why}"),
                );
                continue;
            }
            found = true;
            let rate = match value.get_ref() {
                toml::Value::Float(f) => *f,
                toml::Value::Integer(i) => *i as f64,
                _ => {
                    let expected =
                        format!("a number of {code} per {DEFAULTS_CURRENCY}, e.g. `{full} = 36.5`");
                    self.wrong_type(value, &full, "", &expected);
                    continue;
                }
            };
            match ExchangeRate::new(code, rate) {
                Ok(rate) => self.exchange = Some((rate, value.span())),
                Err(e) => self.problem(
                    value.span(),
                    Kind::OutOfRange,
                    &full,
                    format!("key `{full}`: {e}"),
                ),
            }
        }
        found
    }

    /// Converts a variant's defaults to the study's currency, if it has a rate. A rate
    /// that takes a default out of its range is reported once, at the rate's line.
    pub(super) fn convert_defaults(&mut self, params: &mut Resolved) {
        let Some((rate, span)) = self.exchange.clone() else {
            return;
        };
        if let Err(e) = params.convert_defaults(&rate) {
            if !std::mem::replace(&mut self.exchange_reported, true) {
                let key = format!("fx.{}", rate.currency());
                self.problem(span, Kind::OutOfRange, &key, format!("key `{key}`: {e}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::params::{Dist, Layer, P};
    use crate::scenario::parse;

    /// A US study with a value of its own (`price.retail` in the base); `{top}` goes under
    /// `seed`, at the top of the file.
    fn study(top: &str) -> String {
        format!(
            r#"name = "t"
trials = 10
horizon_days = 30
seed = 1
{top}
[base]
market = "us"
category = "beauty"
price.retail = 700
[[variant]]
name = "a"
model = "self_operated"
route = "overseas_3pl"
[[variant]]
name = "b"
model = "fully_managed"
"#
        )
    }

    fn error_of(top: &str) -> String {
        parse(&study(top), "t.toml", None).unwrap_err().to_string()
    }

    #[test]
    fn a_study_in_thb_converts_its_defaults_and_keeps_its_own_values() {
        let usd = parse(&study(""), "t.toml", None).unwrap();
        for top in [
            "currency = \"THB\"\nfx.THB = 36.5",
            "currency = \"THB\"\n[fx]\nTHB = 36.5",
        ] {
            let thb = parse(&study(top), "t.toml", None).unwrap();
            assert_eq!(thb.currency(), "THB");
            assert_eq!(thb.exchange_rate().map(|r| r.per_usd()), Some(36.5));
            let (u, t) = (&usd.spec().variants()[0], &thb.spec().variants()[0]);
            // A default: the rate times the USD figure, and the source says so.
            let (a, b) = (
                t.params().dist(P::UnitCost).mean(),
                36.5 * u.params().dist(P::UnitCost).mean(),
            );
            assert!((a - b).abs() <= 1e-12 * b, "{a} vs {b}");
            assert!(
                t.params()
                    .get(P::UnitCost)
                    .source
                    .ends_with(" (converted at 36.5 THB/USD)"),
                "{}",
                t.params().get(P::UnitCost).source
            );
            // The scenario's own value is THB as written.
            assert_eq!(
                t.params().dist(P::RetailPrice),
                &Dist::fixed(700.0).unwrap()
            );
            assert_eq!(t.params().get(P::RetailPrice).layer, Layer::Base);
            assert!(!t.params().get(P::RetailPrice).source.contains("converted"));
            // Rates and days are not money.
            for p in [P::CommissionRate, P::SettlementDays, P::DailyCv] {
                assert_eq!(t.params().get(p), u.params().get(p), "{}", p.key());
            }
            // The late-dispatch fee too ($5 a late order from 2026-01-26).
            let fee = |v: &crate::sim::VariantSpec| v.penalty().map(|p| p.fee_per_late_order);
            assert_eq!(fee(u), Some(5.0));
            assert_eq!(fee(t), Some(5.0 * 36.5));
        }
        assert!(usd.exchange_rate().is_none());
    }

    #[test]
    fn a_study_in_another_currency_without_a_rate_is_refused() {
        let e = error_of("currency = \"THB\"");
        assert!(
            e.starts_with("t.toml:5: key `currency`: `THB` needs an exchange rate: add `fx.THB = <THB per USD>`"),
            "{e}"
        );
        assert!(e.contains("are in USD"), "{e}");
        // A rate of another currency is no rate for this one, and is refused itself.
        let e = error_of("currency = \"THB\"\nfx.THX = 36.5");
        assert!(
            e.contains("t.toml:6: key `fx.THX`: the study's currency is `THB`: only `fx.THB`"),
            "{e}"
        );
        assert!(e.contains("t.toml:5: key `currency`: `THB` needs"), "{e}");
    }

    #[test]
    fn bad_codes_and_rates_are_refused_at_their_line() {
        let e = error_of("currency = \"thb\"\nfx.THB = 36.5");
        assert!(
            e.contains("t.toml:5: key `currency`: `thb` is not a currency code: a currency is written as its three-letter ISO 4217 code in capitals, such as `USD`, `THB` or `VND` (write `THB`)"),
            "{e}"
        );
        for (rate, says) in [
            ("0", "an exchange rate is a positive number of THB per USD; found 0"),
            ("-36.5", "found -36.5"),
            ("nan", "found NaN"),
            ("inf", "found inf"),
            ("\"36.5\"", "key `fx.THB` must be a number of THB per USD, e.g. `fx.THB = 36.5`; found the text \"36.5\""),
        ] {
            let e = error_of(&format!("currency = \"THB\"\nfx.THB = {rate}"));
            assert!(e.contains("t.toml:6: ") && e.contains(says), "{rate}: {e}");
            assert!(!e.contains("needs an exchange rate"), "{rate}: {e}");
        }
        let e = error_of("fx.THB = 36.5");
        assert!(
            e.contains("t.toml:5: key `fx.THB`: the study is in USD, the defaults' own currency, and needs no rate (a study in THB says `currency = \"THB\"`)"),
            "{e}"
        );
        // A rate that takes a default past its bound of sanity: once, at the rate.
        let e = error_of("currency = \"XXX\"\nfx.XXX = 1e200");
        assert!(
            e.starts_with("t.toml:6: key `fx.XXX`: at 1e200 XXX per USD the default of"),
            "{e}"
        );
        assert_eq!(e.matches("fx.XXX").count(), 1, "{e}");
    }
}
