//! The scenario file as written: serde structs that mirror the TOML, with spans so that
//! every later complaint can name its line.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// The parameters of one catalog section (`demand.daily_cv = 0.3` → key `daily_cv`).
pub type Section = BTreeMap<String, Spanned<toml::Value>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStudy {
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub currency: Option<Spanned<String>>,
    pub trials: Spanned<i64>,
    pub horizon_days: Spanned<i64>,
    pub seed: Spanned<i64>,
    /// Variant the others are compared against in the head-to-head chart.
    #[serde(default)]
    pub baseline: Option<Spanned<String>>,
    #[serde(default)]
    pub base: Option<RawSettings>,
    #[serde(default)]
    pub events: Vec<RawEvent>,
    #[serde(default)]
    pub variant: Vec<RawVariant>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub name: Spanned<String>,
    pub start_day: Spanned<i64>,
    pub end_day: Spanned<i64>,
    /// Markets the event happens in (default: all).
    #[serde(default)]
    pub markets: Vec<Spanned<String>>,
    #[serde(default)]
    pub demand_multiplier: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub delay_multiplier: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub ad_cost_multiplier: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub supply_price_multiplier: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub lost_multiplier: Option<Spanned<toml::Value>>,
}

/// Declares the settings shared by `[base]` and each `[[variant]]`: market, category and
/// one optional table per catalog section.
macro_rules! settings {
    ($(#[$doc:meta])* $name:ident { $($extra:tt)* }) => {
        $(#[$doc])*
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($extra)*
            #[serde(default)]
            pub market: Option<Spanned<String>>,
            #[serde(default)]
            pub category: Option<Spanned<String>>,
            #[serde(default)] pub price: Section,
            #[serde(default)] pub costs: Section,
            #[serde(default)] pub fees: Section,
            #[serde(default)] pub demand: Section,
            #[serde(default)] pub marketing: Section,
            #[serde(default)] pub staff: Section,
            #[serde(default)] pub tools: Section,
            #[serde(default)] pub logistics: Section,
            #[serde(default)] pub returns: Section,
            #[serde(default)] pub complaints: Section,
            #[serde(default)] pub inventory: Section,
            #[serde(default)] pub cash: Section,
        }

        impl $name {
            /// The sections with their names, in catalog order.
            pub fn sections(&self) -> [(&'static str, &Section); 12] {
                [
                    ("price", &self.price), ("costs", &self.costs), ("fees", &self.fees),
                    ("demand", &self.demand), ("marketing", &self.marketing),
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
    RawSettings {}
);

settings!(
    /// One `[[variant]]`: an option to compare.
    RawVariant {
        pub name: Spanned<String>,
        pub model: Spanned<String>,
        #[serde(rename = "loop")]
        pub loop_type: Spanned<String>,
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
