//! What the simulator needs to know about a study: validated values only, no files.

use super::correlate::InputCorrelation;
use super::inputs::Sampling;
use super::worlds::Worlds;
use crate::params::penalties::{self, LateDispatchPenalty, ProbationCaps};
use crate::params::rules::Date;
use crate::params::{Dist, ExchangeRate, Market, Resolved, Setting};

/// The multipliers a peak event applies for its days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum EventFactor {
    /// Scales expected orders.
    Demand,
    /// Scales transit times (carriers congest).
    Delay,
    /// Divides the ads' return (the same spend buys fewer views).
    AdCost,
    /// Scales the fully managed supply price (the platform's promotion cuts).
    SupplyPrice,
    /// Scales the lost-parcel rate.
    Lost,
}

impl EventFactor {
    /// The range the engine keeps a drawn multiplier in: none is negative, none is capped
    /// above (the scenario's checks and the clamped-value warning read it too).
    pub const DRAWN_RANGE: (f64, f64) = (0.0, f64::INFINITY);

    /// Every factor, in the order of a multipliers array.
    pub const ALL: [EventFactor; 5] = [
        EventFactor::Demand,
        EventFactor::Delay,
        EventFactor::AdCost,
        EventFactor::SupplyPrice,
        EventFactor::Lost,
    ];

    /// The key in a scenario file.
    pub fn key(self) -> &'static str {
        match self {
            EventFactor::Demand => "demand_multiplier",
            EventFactor::Delay => "delay_multiplier",
            EventFactor::AdCost => "ad_cost_multiplier",
            EventFactor::SupplyPrice => "supply_price_multiplier",
            EventFactor::Lost => "lost_multiplier",
        }
    }
}

/// A peak event over days `start_day..=end_day` (0-based here; files count from 1). Built
/// by [`EventSpec::new`], which refuses an event ending before it starts; its numbers are
/// set only once checked (`scenario::events` for the file, `scenario::event_keys` for a
/// `--params` row or a point), through the crate's `set_*` methods.
#[derive(Clone, Debug, PartialEq)]
pub struct EventSpec {
    name: String,
    start_day: usize,
    end_day: usize,
    multipliers: [Dist; 5],
    markets: Vec<Market>,
    min_on_time_rate: Option<f64>,
    min_shop_score: Option<f64>,
    duty_rate: Option<Dist>,
    campaign: [Dist; 3],
    sources: std::collections::BTreeMap<String, String>,
}

/// What a self-operated shop gives up to join a campaign (DOMAIN 2026 update, campaign
/// entry: a price at or below the recent low, co-funded coupons, a campaign fee).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum CampaignTerm {
    /// Share the price is cut by on the campaign's days.
    PriceCut,
    /// Seller-funded coupons, as a share of GMV.
    CouponShare,
    /// The campaign fee, as a share of GMV.
    FeeRate,
}

impl CampaignTerm {
    /// The range the engine keeps a drawn term in: every term is a share.
    pub const DRAWN_RANGE: (f64, f64) = (0.0, 1.0);

    /// Every term, in the order of a terms array.
    pub const ALL: [CampaignTerm; 3] = [
        CampaignTerm::PriceCut,
        CampaignTerm::CouponShare,
        CampaignTerm::FeeRate,
    ];

    /// The key in a scenario file.
    pub fn key(self) -> &'static str {
        match self {
            CampaignTerm::PriceCut => "campaign_price_cut",
            CampaignTerm::CouponShare => "campaign_coupon_share",
            CampaignTerm::FeeRate => "campaign_fee_rate",
        }
    }
}

impl EventSpec {
    /// The event `name` over days `start_day..=end_day` (0-based), in every market,
    /// changing nothing yet: its multipliers 1, no campaign terms or thresholds, no duty
    /// rate.
    pub fn new(name: String, start_day: usize, end_day: usize) -> Result<EventSpec, SpecError> {
        if start_day > end_day {
            return Err(SpecError::EventBackwards(name));
        }
        Ok(EventSpec {
            name,
            start_day,
            end_day,
            multipliers: std::array::from_fn(|_| Dist::ONE),
            markets: Vec::new(),
            min_on_time_rate: None,
            min_shop_score: None,
            duty_rate: None,
            campaign: std::array::from_fn(|_| Dist::fixed(0.0).expect("0 is a value")),
            sources: Default::default(),
        })
    }

    /// Sets one of its multipliers, which the caller has checked (≥ 0, the ad-cost one
    /// > 0, at most `scenario`'s maximum).
    pub(crate) fn set_multiplier(&mut self, factor: EventFactor, value: Dist) {
        self.multipliers[factor as usize] = value;
    }

    /// Limits it to `markets` (empty: every market).
    pub(crate) fn set_markets(&mut self, markets: Vec<Market>) {
        self.markets = markets;
    }

    /// Sets the on-time rate (a share) and the shop score (0 to 5) a self-operated shop
    /// needs to join it as a campaign, which the caller has checked; `None`: not needed.
    pub(crate) fn set_thresholds(
        &mut self,
        min_on_time_rate: Option<f64>,
        min_shop_score: Option<f64>,
    ) {
        self.min_on_time_rate = min_on_time_rate;
        self.min_shop_score = min_shop_score;
    }

    /// Makes it a tariff change to `value`, which the caller has checked as
    /// `tax.duty_rate` is.
    pub(crate) fn set_duty_rate(&mut self, value: Dist) {
        self.duty_rate = Some(value);
    }

    /// Sets one of its campaign terms, which the caller has checked (a share from 0 to 1).
    pub(crate) fn set_campaign_term(&mut self, term: CampaignTerm, value: Dist) {
        self.campaign[term as usize] = value;
    }

    /// Records that its field `key` (as the scenario file writes it) was set from
    /// `source` (a `--params` row, a sweep point).
    pub(crate) fn set_source(&mut self, key: &str, source: String) {
        self.sources.insert(key.to_string(), source);
    }

    /// Its name (unique in the study).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// First day (0-based).
    pub fn start_day(&self) -> usize {
        self.start_day
    }

    /// Last day (0-based, inclusive).
    pub fn end_day(&self) -> usize {
        self.end_day
    }

    /// Its multipliers, indexed by [`EventFactor`].
    pub fn multipliers(&self) -> &[Dist; 5] {
        &self.multipliers
    }

    /// Markets the event happens in; empty means every market.
    pub fn markets(&self) -> &[Market] {
        &self.markets
    }

    /// For a campaign: the on-time rate a self-operated shop needs to join it; below it,
    /// the shop does not get the event's demand lift. `None`: everyone gets it.
    pub fn min_on_time_rate(&self) -> Option<f64> {
        self.min_on_time_rate
    }

    /// For a campaign: the shop performance score (0-5) a self-operated shop needs to join
    /// it (`shop.performance_score`); below it, no demand lift. `None`: not checked.
    pub fn min_shop_score(&self) -> Option<f64> {
        self.min_shop_score
    }

    /// A tariff change: the import duty rate on the event's days (replacing
    /// `tax.duty_rate`). `None`: the duty rate does not change.
    pub fn duty_rate(&self) -> Option<&Dist> {
        self.duty_rate.as_ref()
    }

    /// What joining the campaign costs a self-operated shop, indexed by [`CampaignTerm`]
    /// (`Dist::fixed(0)` where not given).
    pub fn campaign(&self) -> &[Dist; 3] {
        &self.campaign
    }

    /// Fields set from outside the scenario file (a `--params` row, a sweep point), by
    /// their key in the file, with where the value came from.
    pub fn sources(&self) -> &std::collections::BTreeMap<String, String> {
        &self.sources
    }

    /// Whether `day` (0-based) falls in the event.
    pub fn covers(&self, day: usize) -> bool {
        (self.start_day..=self.end_day).contains(&day)
    }

    /// Whether the event touches a variant selling in `market`.
    pub fn applies_to(&self, market: Market) -> bool {
        self.markets.is_empty() || self.markets.contains(&market)
    }
}

/// One option to compare: a model, a loop type and its resolved parameters. Built by
/// [`VariantSpec::new`], which derives its penalty and probation caps from its setting and
/// date; its correlations are set only once checked (`scenario::correlations`).
#[derive(Clone, Debug, PartialEq)]
pub struct VariantSpec {
    name: String,
    setting: Setting,
    params: Resolved,
    /// In the study's currency (its fee converted from the file's USD).
    penalty: Option<LateDispatchPenalty>,
    probation_caps: Option<&'static ProbationCaps>,
    correlations: Vec<InputCorrelation>,
}

impl VariantSpec {
    /// The variant `name` of `setting` with its final `params`, subject to the penalty and
    /// probation caps in force in its market on `as_of` (`data/penalties.toml`), with no
    /// correlations. `exchange`: the study's rate when it is not in USD, which converts the
    /// penalty's fee (as it converted `params`' defaults).
    pub fn new(
        name: String,
        setting: Setting,
        params: Resolved,
        as_of: Date,
        exchange: Option<&ExchangeRate>,
    ) -> VariantSpec {
        let penalty = penalties::late_dispatch(&setting, as_of);
        VariantSpec {
            name,
            setting,
            params,
            penalty: match exchange {
                Some(rate) => penalty.map(|p| p.in_currency(rate)),
                None => penalty.cloned(),
            },
            probation_caps: penalties::probation_caps(&setting, as_of),
            correlations: Vec::new(),
        }
    }

    /// Replaces its correlations with `correlations`, which the caller has checked:
    /// each names two uncertain inputs of this variant, and together they make a positive
    /// definite matrix (`scenario::correlations`).
    pub(crate) fn set_correlations(&mut self, correlations: Vec<InputCorrelation>) {
        self.correlations = correlations;
    }

    /// Its name (unique in the study).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Market, category, model and loop type.
    pub fn setting(&self) -> Setting {
        self.setting
    }

    /// Every parameter's final value.
    pub fn params(&self) -> &Resolved {
        &self.params
    }

    /// The late-dispatch order caps the variant is subject to, if any.
    pub fn penalty(&self) -> Option<&LateDispatchPenalty> {
        self.penalty.as_ref()
    }

    /// The probation order caps of a new self-operated shop, if its market has them.
    pub fn probation_caps(&self) -> Option<&'static ProbationCaps> {
        self.probation_caps
    }

    /// Rank correlations to induce between its uncertain inputs (checked: each names two
    /// uncertain inputs, and together they make a positive definite matrix).
    pub fn correlations(&self) -> &[InputCorrelation] {
        &self.correlations
    }
}

/// A study: the variants simulated on common random numbers. Built by [`StudySpec::new`],
/// which checks what the simulator relies on; the trial count and seed may be changed at
/// run time only through [`StudySpec::with_trials`] and [`StudySpec::with_seed`].
#[derive(Clone, Debug, PartialEq)]
pub struct StudySpec {
    name: String,
    seed: u64,
    trials: u64,
    horizon_days: usize,
    events: Vec<EventSpec>,
    variants: Vec<VariantSpec>,
    /// The options and states of the world its variants are, when the scenario names
    /// worlds.
    worlds: Option<Worlds>,
    /// How the uncertain inputs are sampled.
    sampling: Sampling,
}

/// Why a study cannot be simulated as given.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    #[error("a study needs at least one trial")]
    /// Zero trials.
    NoTrials,
    #[error("{0} trials is more than the {max} a study can run", max = super::MAX_TRIALS)]
    /// More trials than [`super::MAX_TRIALS`].
    TooManyTrials(u64),
    #[error("a study needs a horizon of at least one day")]
    /// A horizon of zero days.
    NoDays,
    #[error("a study needs at least one variant")]
    /// No variant.
    NoVariants,
    #[error("event `{0}` ends after the horizon")]
    /// An event ending after the horizon (its name).
    EventOutside(String),
    #[error("event `{0}` ends before it starts")]
    /// An event whose last day is before its first (its name).
    EventBackwards(String),
}

impl StudySpec {
    /// A study of `variants` over `horizon_days` days (events counted from day 0).
    pub fn new(
        name: String,
        seed: u64,
        trials: u64,
        horizon_days: usize,
        events: Vec<EventSpec>,
        variants: Vec<VariantSpec>,
    ) -> Result<StudySpec, SpecError> {
        if horizon_days == 0 {
            return Err(SpecError::NoDays);
        }
        if variants.is_empty() {
            return Err(SpecError::NoVariants);
        }
        if let Some(e) = events.iter().find(|e| e.end_day >= horizon_days) {
            return Err(SpecError::EventOutside(e.name.clone()));
        }
        StudySpec {
            name,
            seed,
            trials: 1,
            horizon_days,
            events,
            variants,
            worlds: None,
            sampling: Sampling::default(),
        }
        .with_trials(trials)
    }

    /// The same study whose variants are the cells of `worlds` (one per variant, in order).
    pub fn with_worlds(mut self, worlds: Worlds) -> StudySpec {
        assert_eq!(
            worlds.cells().len(),
            self.variants.len(),
            "one cell per variant"
        );
        self.worlds = Some(worlds);
        self
    }

    /// The options and states of the world, when the scenario names worlds.
    pub fn worlds(&self) -> Option<&Worlds> {
        self.worlds.as_ref()
    }

    /// Per variant, the group P(best) compares it within: its world (all variants one
    /// group when the study has no worlds).
    pub fn best_groups(&self) -> Vec<usize> {
        self.worlds
            .as_ref()
            .map_or_else(|| vec![0; self.variants.len()], Worlds::world_of)
    }

    /// The same study with another trial count (`--trials`).
    pub fn with_trials(mut self, trials: u64) -> Result<StudySpec, SpecError> {
        if trials == 0 {
            return Err(SpecError::NoTrials);
        }
        if trials > super::MAX_TRIALS {
            return Err(SpecError::TooManyTrials(trials));
        }
        self.trials = trials;
        Ok(self)
    }

    /// The same study with only the variants at `keep` (in that order; at least one).
    /// Each variant's trials are what they were: a variant's random numbers do not
    /// depend on the others.
    pub fn with_variants(mut self, keep: &[usize]) -> StudySpec {
        assert!(!keep.is_empty(), "a study keeps at least one variant");
        self.variants = keep.iter().map(|&i| self.variants[i].clone()).collect();
        self.worlds = self.worlds.map(|w| w.keep(keep));
        self
    }

    /// Drops the layers below each parameter's final value (see
    /// [`Resolved::forget_history`]).
    pub fn forget_history(&mut self) {
        for v in &mut self.variants {
            v.params.forget_history();
        }
    }

    /// The same study sampling its inputs by `sampling` (`--sampling`). A Latin hypercube
    /// block re-pairs correlated inputs within its own trials, which needs more trials than
    /// inputs: a scenario correlates at most 62 inputs a variant (checked where it is read,
    /// for either method); a study built otherwise with more keeps them independent in a
    /// block (as Iman–Conover does with too few trials).
    pub fn with_sampling(mut self, sampling: Sampling) -> Result<StudySpec, SpecError> {
        self.sampling = sampling;
        Ok(self)
    }

    /// How the study samples its uncertain inputs.
    pub fn sampling(&self) -> Sampling {
        self.sampling
    }

    /// The same study with another seed (`--seed`).
    pub fn with_seed(mut self, seed: u64) -> StudySpec {
        self.seed = seed;
        self
    }

    /// The study's name (its output folder).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The seed every random stream derives from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Trials per variant.
    pub fn trials(&self) -> u64 {
        self.trials
    }

    /// Days simulated.
    pub fn horizon_days(&self) -> usize {
        self.horizon_days
    }

    /// The peak events.
    pub fn events(&self) -> &[EventSpec] {
        &self.events
    }

    /// The options compared.
    pub fn variants(&self) -> &[VariantSpec] {
        &self.variants
    }

    /// The variants' names, in the study's order.
    pub fn variant_names(&self) -> Vec<String> {
        self.variants.iter().map(|v| v.name.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{Category, Model, Route};

    fn variant() -> VariantSpec {
        let setting = Setting {
            market: Market::Us,
            category: Category::Beauty,
            model: Model::SelfOperated,
            route: Route::DirectMail,
            freight: crate::params::Freight::Sea,
            team: crate::params::Team::China,
            origin: crate::params::Origin::China,
            tariff_line: Category::Beauty.default_tariff_line(),
        };
        let as_of = crate::params::rules::DEFAULT_AS_OF;
        VariantSpec::new(
            "v".to_string(),
            setting,
            Resolved::defaults(setting, as_of),
            as_of,
            None,
        )
    }

    fn event(start_day: usize, end_day: usize) -> EventSpec {
        EventSpec::new("peak".to_string(), start_day, end_day).unwrap()
    }

    #[test]
    fn a_study_that_cannot_be_simulated_cannot_be_built() {
        let build = |trials, horizon, events, variants| {
            StudySpec::new("s".to_string(), 1, trials, horizon, events, variants)
        };
        assert!(build(10, 30, vec![event(5, 29)], vec![variant()]).is_ok());
        assert_eq!(
            build(0, 30, vec![], vec![variant()]),
            Err(SpecError::NoTrials)
        );
        assert_eq!(
            build(10, 0, vec![], vec![variant()]),
            Err(SpecError::NoDays)
        );
        assert_eq!(build(10, 30, vec![], vec![]), Err(SpecError::NoVariants));
        let outside = build(10, 30, vec![event(5, 30)], vec![variant()]);
        assert_eq!(outside, Err(SpecError::EventOutside("peak".to_string())));
        assert_eq!(
            EventSpec::new("peak".to_string(), 6, 5),
            Err(SpecError::EventBackwards("peak".to_string()))
        );
        let ok = build(10, 30, vec![], vec![variant()]).unwrap();
        assert_eq!(ok.clone().with_trials(0), Err(SpecError::NoTrials));
        assert_eq!(ok.with_trials(7).map(|s| s.trials()), Ok(7));
    }
}
