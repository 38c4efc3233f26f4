//! Platform rules by market and date (`data/platform_rules.toml`, embedded): what a market
//! no longer allows, from when, with its source. Rules are data, not code, so a change of
//! the platform's rules is a new row. Rules stack: every rule in force about a setting
//! gives its own warning.

use super::dated::{DataError, DataFile, Embedded, Filter, Kind, Row, Slot, Stacking, Table};
use super::Setting;

pub use super::date::{Date, InForce, DEFAULT_AS_OF};

/// The rules file, embedded in the binary.
pub static FILE: Embedded<Table<Rule>> = Embedded::new(
    "data/platform_rules.toml",
    include_str!("../../data/platform_rules.toml"),
    read,
);

/// `[[rule]]`: about a market, narrowed by model, loop type and route; several rules may
/// be about one setting at once.
const RULE: Kind = Kind {
    name: "rule",
    required: &[Filter::Market],
    optional: &[Filter::Model, Filter::Loop, Filter::Route],
    // A rule whose source gives no start date (SEA cross-border routes) has no `from`.
    open_start: true,
    stacking: Stacking::Allowed,
};

/// What a rule of the platform says, as a clause ("cross-border sellers must ...").
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// The clause.
    pub says: String,
    /// Whether the rule restricts the setting to invited sellers (`invitation = true`)
    /// rather than forbidding it.
    pub invitation: bool,
}

impl Slot for Rule {}

fn read(file: &mut DataFile) -> Result<Table<Rule>, DataError> {
    file.rows(&RULE, |row| {
        let invitation = match row.get("invitation") {
            None => false,
            Some(v) => v
                .as_bool()
                .ok_or_else(|| row.key_error("invitation", "expected true or false".to_string()))?,
        };
        Ok(Rule {
            says: row.text("says")?.to_string(),
            invitation,
        })
    })
}

impl Row<Rule> {
    /// The warning a variant gets: the rule, its date and its source.
    pub fn warning(&self) -> String {
        let market = self.scope.market.map_or("any", |m| m.name());
        let what = if self.value.invitation {
            "by invitation only"
        } else {
            "not allowed any more"
        };
        let since = if self.in_force.from == Date::EARLIEST {
            "in force (its source gives no start date)".to_string()
        } else {
            format!("since {}", self.in_force.from)
        };
        format!(
            "{what}: {since} in market `{market}`, {} ({})",
            self.value.says, self.source
        )
    }
}

/// The rules about `setting` on `as_of`.
pub fn applying(setting: &Setting, as_of: Date) -> impl Iterator<Item = &'static Row<Rule>> {
    FILE.get().in_force(*setting, as_of)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{Category, Market, Model, Route};

    #[test]
    fn the_rules_file_reads_and_every_rule_names_a_source() {
        let rules = FILE.load().unwrap().rows();
        assert!(!rules.is_empty());
        assert!(rules.iter().all(|r| r.source.starts_with("DOMAIN")));
    }

    #[test]
    fn a_rule_applies_from_its_date_to_its_setting_only() {
        let setting = |model, route| Setting {
            market: Market::Us,
            category: Category::Beauty,
            model,
            route,
            freight: crate::params::Freight::Sea,
            team: crate::params::Team::China,
            origin: crate::params::Origin::China,
            tariff_line: Category::Beauty.default_tariff_line(),
        };
        let self_semi = setting(Model::SelfOperated, Route::DirectMail);
        let self_full = setting(Model::SelfOperated, Route::Fbt);
        let self_3pl = setting(Model::SelfOperated, Route::Overseas3pl);
        let self_labels = setting(Model::SelfOperated, Route::PlatformShipping);
        let day = |t: &str| t.parse::<Date>().unwrap();
        let says = |s: &Setting, d: &str| applying(s, day(d)).count();
        assert_eq!(says(&self_semi, "2025-12-14"), 0);
        assert_eq!(says(&self_semi, "2025-12-15"), 1);
        assert_eq!(says(&self_semi, "2026-11-01"), 1);
        assert_eq!(says(&self_full, "2026-11-01"), 0);
        // A 3PL warehouse shipping on platform labels is platform logistics: allowed.
        // Platform labels from China: by invitation only from 2026-02-01.
        assert_eq!(says(&self_3pl, "2026-11-01"), 0);
        assert_eq!(says(&self_labels, "2026-01-31"), 0);
        assert_eq!(says(&self_labels, "2026-02-01"), 1);
        let w = applying(&self_labels, day("2026-02-01"))
            .next()
            .unwrap()
            .warning();
        assert!(
            w.starts_with("by invitation only: since 2026-02-01 in market `us`, direct shipping")
                && w.contains("merchant tier T3"),
            "{w}"
        );
        let uk = Setting {
            market: Market::Uk,
            ..self_semi
        };
        assert_eq!(says(&uk, "2026-11-01"), 0);
        let w = applying(&self_semi, day("2026-11-01"))
            .next()
            .unwrap()
            .warning();
        assert!(
            w.starts_with("not allowed any more: since 2025-12-15 in market `us`, cross-border"),
            "{w}"
        );
        // Southeast Asia: third-party lines are not an option for cross-border sellers,
        // with no start date in the source; platform shipping is.
        for market in [Market::Th, Market::Vn, Market::My, Market::Ph, Market::Sg] {
            let sea = |route| Setting {
                market,
                ..setting(Model::SelfOperated, route)
            };
            let w: Vec<String> = applying(&sea(Route::DirectMail), day("2020-01-01"))
                .map(|r| r.warning())
                .collect();
            assert_eq!(w.len(), 1, "{market}");
            assert!(
                w[0].starts_with(&format!(
                    "not allowed any more: in force (its source gives no start date) in market `{market}`"
                )),
                "{}",
                w[0]
            );
            assert_eq!(says(&sea(Route::PlatformShipping), "2026-11-01"), 0);
        }
    }
}
