//! The scenario file as written: serde structs that mirror the TOML, with spans so that
//! every later complaint can name its line.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// The parameters of one catalog section (`demand.daily_cv = 0.3` → key `daily_cv`).
pub type Section = BTreeMap<String, Spanned<toml::Value>>;

/// A scalar as written: its type is checked by the validator, so a wrong type is one more
/// problem in the list (with a plain-language message) instead of the end of parsing.
pub type RawValue = Spanned<toml::Value>;

/// The top level. Every field is optional here: a missing required one is reported by the
/// validator together with every other problem of the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStudy {
    #[serde(default)]
    pub name: Option<RawValue>,
    #[serde(default)]
    pub description: Option<RawValue>,
    #[serde(default)]
    pub currency: Option<RawValue>,
    /// Exchange rates by currency code (`fx.THB = 36.5`: THB per USD): what converts the
    /// defaults, which are in USD, to a study in another currency.
    #[serde(default)]
    pub fx: Option<BTreeMap<String, RawValue>>,
    #[serde(default)]
    pub trials: Option<RawValue>,
    #[serde(default)]
    pub horizon_days: Option<RawValue>,
    #[serde(default)]
    pub seed: Option<RawValue>,
    /// How the uncertain inputs are sampled: `"lhs"` or `"mc"`.
    #[serde(default)]
    pub sampling: Option<RawValue>,
    /// The date the study is about (`YYYY-MM-DD`): which platform rules apply.
    #[serde(default)]
    pub as_of: Option<RawValue>,
    /// Variant the others are compared against in the head-to-head chart.
    #[serde(default)]
    pub baseline: Option<RawValue>,
    #[serde(default)]
    pub base: Option<RawSettings>,
    #[serde(default)]
    pub events: Vec<Spanned<RawEvent>>,
    #[serde(default)]
    pub variant: Vec<Spanned<RawVariant>>,
    /// States of the world: every variant is simulated in each.
    #[serde(default)]
    pub world: Vec<Spanned<RawWorld>>,
    /// `"key_a,key_b" = rank correlation`: uncertain inputs that move together.
    #[serde(default)]
    pub correlations: Option<BTreeMap<String, RawValue>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    #[serde(default)]
    pub name: Option<RawValue>,
    #[serde(default)]
    pub start_day: Option<RawValue>,
    #[serde(default)]
    pub end_day: Option<RawValue>,
    /// Markets the event happens in (default: all).
    #[serde(default)]
    pub markets: Option<RawValue>,
    #[serde(default)]
    pub demand_multiplier: Option<RawValue>,
    #[serde(default)]
    pub delay_multiplier: Option<RawValue>,
    #[serde(default)]
    pub ad_cost_multiplier: Option<RawValue>,
    #[serde(default)]
    pub supply_price_multiplier: Option<RawValue>,
    #[serde(default)]
    pub lost_multiplier: Option<RawValue>,
    /// A campaign: the shop's on-time rate it requires to join (self-operated only).
    #[serde(default)]
    pub min_on_time_rate: Option<RawValue>,
    /// A campaign: the shop performance score it requires to join (self-operated only).
    #[serde(default)]
    pub min_shop_score: Option<RawValue>,
    /// A tariff change: the import duty rate on the event's days.
    #[serde(default)]
    pub duty_rate: Option<RawValue>,
    /// What joining the campaign costs a self-operated shop.
    #[serde(default)]
    pub campaign_price_cut: Option<RawValue>,
    #[serde(default)]
    pub campaign_coupon_share: Option<RawValue>,
    #[serde(default)]
    pub campaign_fee_rate: Option<RawValue>,
}

/// Declares a table of settings: its own keys and one optional table per catalog section
/// (`[base]`, each `[[variant]]` and each `[[world]]`).
macro_rules! settings {
    ($(#[$doc:meta])* $name:ident { $($extra:tt)* }) => {
        $(#[$doc])*
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($extra)*
            #[serde(default)] pub price: Section,
            #[serde(default)] pub costs: Section,
            #[serde(default)] pub fees: Section,
            #[serde(default)] pub tax: Section,
            #[serde(default)] pub demand: Section,
            #[serde(default)] pub repeat: Section,
            #[serde(default)] pub marketing: Section,
            #[serde(default)] pub staff: Section,
            #[serde(default)] pub tools: Section,
            #[serde(default)] pub logistics: Section,
            #[serde(default)] pub returns: Section,
            #[serde(default)] pub complaints: Section,
            #[serde(default)] pub inventory: Section,
            #[serde(default)] pub cash: Section,
            #[serde(default)] pub shop: Section,
        }

        impl $name {
            /// The sections with their names, in catalog order.
            pub fn sections(&self) -> [(&'static str, &Section); 15] {
                [
                    ("price", &self.price), ("costs", &self.costs), ("fees", &self.fees),
                    ("tax", &self.tax),
                    ("demand", &self.demand), ("repeat", &self.repeat),
                    ("marketing", &self.marketing), ("shop", &self.shop),
                    ("staff", &self.staff), ("tools", &self.tools),
                    ("logistics", &self.logistics), ("returns", &self.returns),
                    ("complaints", &self.complaints), ("inventory", &self.inventory),
                    ("cash", &self.cash),
                ]
            }
        }
    };
}

settings!(
    /// `[base]`: the market, category and parameters every variant starts from.
    #[derive(Default)]
    RawSettings {
        #[serde(default)]
        pub market: Option<RawValue>,
        #[serde(default)]
        pub category: Option<RawValue>,
        #[serde(default)]
        pub freight: Option<RawValue>,
        #[serde(default)]
        pub team: Option<RawValue>,
        #[serde(default)]
        pub origin: Option<RawValue>,
        #[serde(default)]
        pub tariff_line: Option<RawValue>,
    }
);

settings!(
    /// One `[[variant]]`: an option to compare.
    RawVariant {
        #[serde(default)]
        pub name: Option<RawValue>,
        #[serde(default)]
        pub model: Option<RawValue>,
        #[serde(default, rename = "loop")]
        pub loop_type: Option<RawValue>,
        #[serde(default)]
        pub route: Option<RawValue>,
        #[serde(default)]
        pub market: Option<RawValue>,
        #[serde(default)]
        pub category: Option<RawValue>,
        #[serde(default)]
        pub freight: Option<RawValue>,
        #[serde(default)]
        pub team: Option<RawValue>,
        #[serde(default)]
        pub origin: Option<RawValue>,
        #[serde(default)]
        pub tariff_line: Option<RawValue>,
    }
);

settings!(
    /// One `[[world]]`: a state of the world every option is simulated in (what the seller
    /// does not choose: a duty rate, a demand level). It sets parameters only: market,
    /// model and route are the options' choices.
    RawWorld {
        #[serde(default)]
        pub name: Option<RawValue>,
        /// How likely the state is, relative to the other worlds (all or none weighted).
        #[serde(default)]
        pub weight: Option<RawValue>,
        #[serde(default)]
        pub description: Option<RawValue>,
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_match_the_catalog() {
        let names: Vec<_> = RawSettings::default()
            .sections()
            .iter()
            .map(|s| s.0)
            .collect();
        assert_eq!(names, crate::params::catalog::sections());
    }
}
