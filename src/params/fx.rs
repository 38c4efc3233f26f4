//! The study's currency and the currency of the defaults. Every built-in amount of money —
//! the catalog's defaults, the default layers' figures and the rows of `data/*.toml`
//! (fees, duties' entry fees, platform rules, the late-dispatch fee) — is in USD
//! ([`DEFAULTS_CURRENCY`]). A study in another currency gives its exchange rate
//! (`fx.THB = 36.5`: units of its currency per USD), and its money defaults are converted
//! at that rate before the scenario's own values are applied: those are already in its
//! currency and are never converted. Rates, shares, days and counts have no currency.
//!
//! Without the conversion a study in THB would read a $20 price as 20 THB: a study in
//! another currency without a rate is refused, never relabelled.

use super::dist::{Dist, DistError};
use super::penalties::LateDispatchPenalty;
use super::{check_value, RangeError, Resolved, P};

/// The currency every built-in amount of money is in.
pub const DEFAULTS_CURRENCY: &str = "USD";

/// Why `code` is not a currency code, if it is not: three capital letters, as ISO 4217
/// writes them (`THB`, `VND`). Codes are not checked against the ISO list, which changes.
pub fn why_not_a_currency(code: &str) -> Option<String> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let upper = code.to_ascii_uppercase();
    let hint = if upper.len() == 3 && upper.bytes().all(|b| b.is_ascii_uppercase()) {
        format!(" (write `{upper}`)")
    } else {
        String::new()
    };
    Some(format!(
        "a currency is written as its three-letter ISO 4217 code in capitals, such as `USD`, `THB` or `VND`{hint}"
    ))
}

/// How many units of a study's currency one USD buys: what converts the defaults.
/// Built only by [`ExchangeRate::new`], so the currency is a code and the rate positive
/// and finite.
#[derive(Clone, Debug, PartialEq)]
pub struct ExchangeRate {
    currency: String,
    per_usd: f64,
}

/// Why an exchange rate, or a default converted at it, cannot be used.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum FxError {
    /// Not a currency code (the reason).
    #[error("{0}")]
    NotACurrency(String),
    /// The defaults' own currency needs no rate.
    #[error("the defaults are in {DEFAULTS_CURRENCY}: a study in {DEFAULTS_CURRENCY} needs no exchange rate")]
    DefaultsCurrency,
    /// Zero, negative, NaN or infinite.
    #[error(
        "an exchange rate is a positive number of {currency} per {DEFAULTS_CURRENCY}; found {rate}"
    )]
    NotPositive {
        /// The study's currency.
        currency: String,
        /// The rate given, as written back.
        rate: String,
    },
    /// A default that leaves its parameter's valid range once converted (a rate with
    /// extra zeros).
    #[error("at {rate} {currency} per {DEFAULTS_CURRENCY} the default of `{key}` ({usd} {DEFAULTS_CURRENCY}) converts out of its range: {why}")]
    OutOfRange {
        /// The study's currency.
        currency: String,
        /// The rate, as written back.
        rate: String,
        /// The parameter's key.
        key: &'static str,
        /// The default in USD, as written.
        usd: String,
        /// The range error of the converted value.
        why: String,
    },
}

impl ExchangeRate {
    /// `per_usd` units of `currency` per USD; an error for a currency that is not a
    /// three-letter code, for USD itself, or for a rate that is not positive and finite.
    pub fn new(currency: &str, per_usd: f64) -> Result<ExchangeRate, FxError> {
        if let Some(why) = why_not_a_currency(currency) {
            return Err(FxError::NotACurrency(why));
        }
        if currency == DEFAULTS_CURRENCY {
            return Err(FxError::DefaultsCurrency);
        }
        if !(per_usd > 0.0 && per_usd.is_finite()) {
            return Err(FxError::NotPositive {
                currency: currency.to_string(),
                rate: super::dist::compact_number(per_usd),
            });
        }
        Ok(ExchangeRate {
            currency: currency.to_string(),
            per_usd,
        })
    }

    /// The study's currency.
    pub fn currency(&self) -> &str {
        &self.currency
    }

    /// Units of the study's currency per USD.
    pub fn per_usd(&self) -> f64 {
        self.per_usd
    }

    /// What a converted default's provenance says after its source:
    /// ` (converted at 36.5 THB/USD)`.
    pub fn note(&self) -> String {
        format!(" (converted at {})", self.per_unit())
    }

    /// `36.5 THB/USD`.
    fn per_unit(&self) -> String {
        format!(
            "{} {}/{DEFAULTS_CURRENCY}",
            super::dist::compact_number(self.per_usd),
            self.currency
        )
    }

    /// An amount in USD in the study's currency.
    pub fn amount(&self, usd: f64) -> f64 {
        usd * self.per_usd
    }
}

/// A money figure as its source gives it, in a market's own currency (the Thai growth
/// fee's cap of THB 199), with the rate its data row converts it at. A study in that
/// currency takes the figure as written, exactly; a study in USD takes it at the row's
/// rate; a study in a third currency takes the USD figure at its own rate, as it takes
/// every other default. Without this a Thai study in baht at `fx.THB = 33` would cap the
/// fee at 179.9 THB, not the 199 the platform charges.
#[derive(Clone, Debug, PartialEq)]
pub struct Native {
    rate: ExchangeRate,
    dist: Dist,
    /// `dist` at the row's rate.
    in_usd: Dist,
}

impl Native {
    /// `dist` in `currency`, converted to USD at `per_usd` units of it per USD: an error
    /// as [`ExchangeRate::new`]'s, or for a value that cannot be converted (a beta).
    pub fn new(currency: &str, per_usd: f64, dist: Dist) -> Result<Native, FxError> {
        let rate = ExchangeRate::new(currency, per_usd)?;
        let in_usd = dist
            .scaled(1.0 / per_usd)
            .map_err(|e| FxError::NotPositive {
                currency: currency.to_string(),
                rate: format!("{} ({e})", super::dist::compact_number(per_usd)),
            })?;
        Ok(Native { rate, dist, in_usd })
    }

    /// Its currency's code.
    pub fn currency(&self) -> &str {
        self.rate.currency()
    }

    /// The value in its currency, as written.
    pub fn dist(&self) -> &Dist {
        &self.dist
    }

    /// The value in USD, at the row's rate.
    pub fn in_usd(&self) -> &Dist {
        &self.in_usd
    }

    /// ` at 36.5 THB/USD`.
    pub fn rate_note(&self) -> String {
        format!(" at {}", self.rate.per_unit())
    }

    /// What the value's provenance says after its source in a study in USD (or in a third
    /// currency, before that study's own conversion note): ` (199 THB at 36.5 THB/USD)`.
    pub fn usd_note(&self) -> String {
        format!(" ({} {}{})", self.dist, self.currency(), self.rate_note())
    }

    /// What it says instead in a study in its own currency.
    pub fn own_note(&self) -> String {
        format!(" (in {} as its source gives it)", self.currency())
    }
}

impl Resolved {
    /// Converts every money default (each value a built-in layer set, see
    /// [`super::Layer::is_default`]) from USD to the study's currency, and says so in its
    /// source: call it on [`Resolved::defaults`], before the scenario's values, which are
    /// in the study's currency already and are left alone. Every value a layer set is
    /// converted, so `params --explain` shows each in the study's currency. A converted
    /// value is checked against its parameter's range like any other.
    pub fn convert_defaults(&mut self, rate: &ExchangeRate) -> Result<(), FxError> {
        let note = rate.note();
        let convert = |p: P, entry: &mut super::Entry| -> Result<(), FxError> {
            if !p.spec().is_money() || !entry.layer.is_default() {
                return Ok(());
            }
            if let Some(native) = entry
                .native
                .as_ref()
                .filter(|n| n.currency() == rate.currency)
            {
                // Exactly the figure the source gives, not a round trip through USD.
                let source = entry
                    .source
                    .strip_suffix(&native.usd_note())
                    .unwrap_or(&entry.source);
                entry.source = format!("{source}{}", native.own_note());
                entry.dist = native.dist.clone();
                return Ok(());
            }
            let out_of_range = |why: String| FxError::OutOfRange {
                currency: rate.currency.clone(),
                rate: super::dist::compact_number(rate.per_usd),
                key: p.key(),
                usd: entry.dist.to_string(),
                why,
            };
            let converted = entry
                .dist
                .scaled(rate.per_usd)
                .map_err(|e: DistError| out_of_range(e.to_string()))?;
            let checked =
                check_value(p, converted).map_err(|e: RangeError| out_of_range(e.to_string()))?;
            entry.dist = checked.dist;
            entry.source.push_str(&note);
            Ok(())
        };
        for (i, spec) in super::SPECS.iter().enumerate() {
            convert(spec.id, &mut self.entries[i])?;
            if let Some(history) = self.history.get_mut(i) {
                for entry in history {
                    convert(spec.id, entry)?;
                }
            }
        }
        Ok(())
    }
}

impl LateDispatchPenalty {
    /// The same penalty with its fee per late order in the study's currency (the
    /// penalties file is in USD; bands and days have no currency).
    pub fn in_currency(&self, rate: &ExchangeRate) -> LateDispatchPenalty {
        LateDispatchPenalty {
            fee_per_late_order: rate.amount(self.fee_per_late_order),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{
        rules, Category, Dist, Freight, Layer, Market, Model, Route, Setting, Shape, Team, SPECS,
    };

    fn thb() -> ExchangeRate {
        ExchangeRate::new("THB", 36.5).unwrap()
    }

    #[test]
    fn currency_codes_and_rates_are_checked() {
        assert!(why_not_a_currency("THB").is_none());
        assert!(why_not_a_currency("thb").unwrap().contains("(write `THB`)"));
        for bad in ["TH", "THBB", "T1B", "฿", ""] {
            assert!(why_not_a_currency(bad).is_some(), "{bad}");
        }
        assert_eq!(
            ExchangeRate::new("USD", 1.0),
            Err(FxError::DefaultsCurrency)
        );
        for rate in [0.0, -36.5, f64::NAN, f64::INFINITY] {
            assert!(
                matches!(
                    ExchangeRate::new("THB", rate),
                    Err(FxError::NotPositive { .. })
                ),
                "{rate}"
            );
        }
        assert_eq!(thb().note(), " (converted at 36.5 THB/USD)");
    }

    #[test]
    fn money_units_are_the_currency_s_and_nothing_else() {
        let money: Vec<&str> = SPECS
            .iter()
            .filter(|s| s.is_money())
            .map(|s| s.key)
            .collect();
        for key in [
            "price.retail",
            "costs.unit_cost",
            "fees.per_order",
            "tax.entry_fee_per_parcel",
            "tax.processing_fee_max",
            "tax.customs_bond_per_year",
            "marketing.ad_spend_per_day",
            "returns.refund_without_return_max_price",
            "inventory.freight_per_kg",
            "cash.available_capital",
        ] {
            assert!(money.contains(&key), "{key}");
        }
        for key in [
            "marketing.roas",
            "fees.commission_rate",
            "tax.duty_rate",
            "price.supply_markup",
            "cash.settlement_days",
            "costs.unit_weight_kg",
        ] {
            assert!(!money.contains(&key), "{key}");
        }
        // Every unit that names the currency is money, or a ratio of it (ROAS).
        for s in SPECS {
            if s.unit.contains("currency") && !s.is_money() {
                assert_eq!(s.key, "marketing.roas");
            }
        }
    }

    /// The setting of a self-operated or managed shop from China (the one place that
    /// lists `Setting`'s fields).
    fn setting(
        market: Market,
        category: Category,
        model: Model,
        route: Route,
        team: Team,
    ) -> Setting {
        Setting {
            market,
            category,
            model,
            route,
            freight: Freight::Sea,
            team,
            origin: crate::params::Origin::China,
            tariff_line: category.default_tariff_line(),
        }
    }

    /// Every market, category, model, route and team location, on the review date and
    /// before and after the dated duty rows.
    fn every_setting() -> Vec<(Setting, rules::Date)> {
        let mut out = Vec::new();
        for &market in Market::ALL {
            for &category in Category::ALL {
                for &model in Model::ALL {
                    for &route in Route::ALL.iter().filter(|r| r.fits(model)) {
                        for &team in Team::ALL {
                            for date in ["2026-11-01", "2026-03-01", "2025-06-01"] {
                                let s = setting(market, category, model, route, team);
                                out.push((s, date.parse().unwrap()));
                            }
                        }
                    }
                }
            }
        }
        out
    }

    #[test]
    fn every_money_default_of_every_setting_converts_and_nothing_else_moves() {
        // No built-in money figure is a beta (it could not be converted), every one
        // converts to the rate times its mean and names the rate, and everything else is
        // left as it was.
        let rate = thb();
        for (setting, as_of) in every_setting() {
            let usd = Resolved::defaults(setting, as_of);
            let mut thb = usd.clone();
            thb.convert_defaults(&rate).unwrap();
            for ((p, before), (_, after)) in usd.entries().zip(thb.entries()) {
                if let Some(native) = before.native.as_ref().filter(|n| n.currency() == "THB") {
                    // Written in baht: taken as written, its USD note replaced.
                    assert_eq!(&after.dist, native.dist(), "{}", p.key());
                    let source = before.source.strip_suffix(&native.usd_note()).unwrap();
                    assert_eq!(after.source, format!("{source}{}", native.own_note()));
                } else if p.spec().is_money() {
                    assert!(!matches!(before.dist.shape(), Shape::Beta { .. }));
                    let (a, b) = (after.dist.mean(), 36.5 * before.dist.mean());
                    assert!((a - b).abs() <= 1e-12 * b.abs(), "{}: {a} vs {b}", p.key());
                    assert_eq!(after.source, format!("{}{}", before.source, rate.note()));
                    assert_eq!(after.layer, before.layer);
                    assert_eq!(thb.history(p).len(), usd.history(p).len());
                } else {
                    assert_eq!(after, before, "{}", p.key());
                    assert_eq!(thb.history(p), usd.history(p), "{}", p.key());
                }
            }
        }
    }

    #[test]
    fn a_figure_written_in_a_market_s_currency_is_exact_in_a_study_in_it() {
        let th = setting(
            Market::Th,
            Category::Apparel,
            Model::SelfOperated,
            Route::PlatformShipping,
            Team::China,
        );
        let on: rules::Date = "2026-11-01".parse().unwrap();
        let cap = |rate: Option<ExchangeRate>| {
            let mut r = Resolved::defaults(th, on);
            if let Some(rate) = rate {
                r.convert_defaults(&rate).unwrap();
            }
            let e = r.get(P::GrowthFeeCap).clone();
            (e.dist.fixed_value().unwrap(), e.source)
        };
        // In USD at the row's rate, saying where the figure comes from.
        let (usd, source) = cap(None);
        assert_eq!(usd, 5.45205479452055);
        assert!(source.ends_with(" (199 THB at 36.5 THB/USD)"), "{source}");
        // In baht at any rate, the platform's 199: not 199 × 33 / 36.5 = 179.9.
        for per_usd in [33.0, 36.5, 40.0] {
            let (thb, source) = cap(Some(ExchangeRate::new("THB", per_usd).unwrap()));
            assert_eq!(thb, 199.0, "at {per_usd}");
            assert!(
                source.ends_with("(in THB as its source gives it)"),
                "{source}"
            );
            assert!(!source.contains("converted"), "{source}");
        }
        // In a third currency, the USD figure at the study's rate, as every default.
        let (eur, source) = cap(Some(ExchangeRate::new("EUR", 0.9).unwrap()));
        assert!((eur - 199.0 / 36.5 * 0.9).abs() < 1e-12, "{eur}");
        assert!(
            source.ends_with(" (199 THB at 36.5 THB/USD) (converted at 0.9 EUR/USD)"),
            "{source}"
        );
        // Vietnam's per-order fee in dong, exactly.
        let vn = setting(
            Market::Vn,
            Category::Beauty,
            Model::SelfOperated,
            Route::PlatformShipping,
            Team::China,
        );
        let mut r = Resolved::defaults(vn, on);
        assert_eq!(r.dist(P::FeePerOrder).fixed_value(), Some(0.12));
        r.convert_defaults(&ExchangeRate::new("VND", 26_000.0).unwrap())
            .unwrap();
        assert_eq!(r.dist(P::FeePerOrder).fixed_value(), Some(3000.0));
    }

    #[test]
    fn values_set_after_the_defaults_are_not_converted() {
        let setting = setting(
            Market::Th,
            Category::Apparel,
            Model::SelfOperated,
            Route::PlatformShipping,
            Team::China,
        );
        let mut r = Resolved::defaults(setting, rules::DEFAULT_AS_OF);
        let own = check_value(P::UnitCost, Dist::fixed(120.0).unwrap()).unwrap();
        r.set(own, Layer::Base, "t.toml:9 (scenario [base])".to_string());
        r.convert_defaults(&thb()).unwrap();
        assert_eq!(r.dist(P::UnitCost), &Dist::fixed(120.0).unwrap());
        assert_eq!(r.get(P::UnitCost).source, "t.toml:9 (scenario [base])");
        // The default below it in the history is converted.
        let history = r.history(P::UnitCost);
        assert_eq!(history[0].dist, Dist::fixed(5.0 * 36.5).unwrap());
    }

    #[test]
    fn a_rate_that_pushes_a_default_past_its_bound_is_refused_naming_the_key() {
        let setting = setting(
            Market::Us,
            Category::Beauty,
            Model::SelfOperated,
            Route::Fbt,
            Team::China,
        );
        let mut r = Resolved::defaults(setting, rules::DEFAULT_AS_OF);
        let e = r
            .convert_defaults(&ExchangeRate::new("XXX", 1e200).unwrap())
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("at 1e200 XXX per USD the default of `price.retail` (20 USD) converts out of its range: value 2e201 is outside the valid range [0.01, 1000000000]"),
            "{e}"
        );
    }

    #[test]
    fn the_late_dispatch_fee_is_converted_and_nothing_else_of_the_penalty() {
        let setting = setting(
            Market::Us,
            Category::Beauty,
            Model::SelfOperated,
            Route::PlatformShipping,
            Team::China,
        );
        let usd = crate::params::penalties::late_dispatch(&setting, rules::DEFAULT_AS_OF)
            .expect("the US rule of 2026-01-26");
        let thb = usd.in_currency(&thb());
        assert_eq!(thb.fee_per_late_order, 5.0 * 36.5);
        assert_eq!(
            LateDispatchPenalty {
                fee_per_late_order: usd.fee_per_late_order,
                ..thb
            },
            *usd
        );
    }
}
