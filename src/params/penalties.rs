//! Performance penalties by market and date (`data/penalties.toml`, embedded): the order
//! caps a self-operated shop gets when it dispatches late too often. Rules, so data.

use std::sync::OnceLock;

use serde::Deserialize;

use super::rules::{Date, InForce};
use super::{Market, Model, Route, Setting};

/// The penalties file, embedded in the binary.
pub const PENALTIES_TOML: &str = include_str!("../../data/penalties.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPenalty {
    market: String,
    from: String,
    until: Option<String>,
    threshold: f64,
    window_days: usize,
    step_days: usize,
    caps: Vec<f64>,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPenalties {
    late_dispatch: Vec<RawPenalty>,
    #[serde(default)]
    probation: Vec<RawProbation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProbation {
    market: String,
    from: String,
    until: Option<String>,
    source: String,
    tiers: Vec<ProbationTier>,
}

/// One tier of a new shop's probation: from `from_day` (0-based days of selling) and
/// `from_orders` delivered orders on, at most `orders_per_day` a day.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbationTier {
    /// Orders a day the tier allows.
    pub orders_per_day: u64,
    /// First day (0-based) the tier can be reached.
    pub from_day: usize,
    /// Delivered orders needed to reach it.
    pub from_orders: u64,
}

/// A market's probation order caps from a date.
#[derive(Clone, Debug, PartialEq)]
pub struct ProbationCaps {
    /// The market.
    pub market: Market,
    /// When it applies.
    pub in_force: InForce,
    /// The tiers, lowest first; the highest reached applies.
    pub tiers: Vec<ProbationTier>,
    /// Where it comes from.
    pub source: String,
}

impl ProbationCaps {
    /// The most orders a shop in probation may take on `day` (0-based) having delivered
    /// `delivered` orders: the highest tier it has reached.
    pub fn cap(&self, day: usize, delivered: u64) -> u64 {
        self.tiers
            .iter()
            .rev()
            .find(|t| day >= t.from_day && delivered >= t.from_orders)
            .map_or(0, |t| t.orders_per_day)
    }
}

fn probation_rows(raw: Vec<RawProbation>) -> Result<Vec<ProbationCaps>, String> {
    raw.into_iter()
        .map(|p| {
            let starts = p
                .tiers
                .first()
                .is_some_and(|t| t.from_day == 0 && t.from_orders == 0);
            if !starts {
                return Err(format!(
                    "{}: the first tier must start on day 0 at 0 orders",
                    p.source
                ));
            }
            Ok(ProbationCaps {
                market: p.market.parse()?,
                in_force: InForce::parse(&p.from, p.until.as_deref())?,
                tiers: p.tiers,
                source: p.source,
            })
        })
        .collect()
}

/// The probation order caps of a self-operated shop's market on `as_of`, if any.
pub fn probation_caps(setting: &Setting, as_of: Date) -> Option<&'static ProbationCaps> {
    if setting.model != Model::SelfOperated {
        return None;
    }
    loaded()
        .probation
        .iter()
        .find(|p| p.market == setting.market && p.in_force.covers(as_of))
}

/// The late-dispatch penalty of a market from a date.
#[derive(Clone, Debug, PartialEq)]
pub struct LateDispatchPenalty {
    /// The market.
    pub market: Market,
    /// When it applies.
    pub in_force: InForce,
    /// Share of orders dispatched late (over the window) at which the caps start.
    pub threshold: f64,
    /// Days the late-dispatch share and the average daily orders are taken over.
    pub window_days: usize,
    /// Days over the threshold before the cap steps down to the next tier.
    pub step_days: usize,
    /// Daily orders allowed, as shares of the average, tier by tier.
    pub caps: Vec<f64>,
    /// Where it comes from.
    pub source: String,
}

fn late_dispatch_rows(raw: Vec<RawPenalty>) -> Result<Vec<LateDispatchPenalty>, String> {
    raw.into_iter()
        .map(|p| {
            let valid_caps = !p.caps.is_empty() && p.caps.iter().all(|c| (0.0..=1.0).contains(c));
            if !(0.0..=1.0).contains(&p.threshold) || !valid_caps {
                return Err(format!("{}: threshold and caps must be shares", p.source));
            }
            if p.window_days == 0 || p.step_days == 0 {
                return Err(format!(
                    "{}: window and step must be at least a day",
                    p.source
                ));
            }
            Ok(LateDispatchPenalty {
                market: p.market.parse()?,
                in_force: InForce::parse(&p.from, p.until.as_deref())?,
                threshold: p.threshold,
                window_days: p.window_days,
                step_days: p.step_days,
                caps: p.caps,
                source: p.source,
            })
        })
        .collect()
}

/// The penalties file, read.
#[derive(Debug, Default)]
pub struct Penalties {
    /// Late-dispatch order caps by market and date.
    pub late_dispatch: Vec<LateDispatchPenalty>,
    /// Probation order caps by market and date.
    pub probation: Vec<ProbationCaps>,
}

fn parse(text: &str) -> Result<Penalties, String> {
    let raw: RawPenalties = toml::from_str(text).map_err(|e| e.to_string())?;
    Ok(Penalties {
        late_dispatch: late_dispatch_rows(raw.late_dispatch)?,
        probation: probation_rows(raw.probation)?,
    })
}

/// The embedded file (checked by a test; a broken file yields no penalties).
pub fn loaded() -> &'static Penalties {
    static PENALTIES: OnceLock<Penalties> = OnceLock::new();
    PENALTIES.get_or_init(|| parse(PENALTIES_TOML).unwrap_or_default())
}

/// The late-dispatch penalty a variant is subject to on `as_of`: self-operated shops that
/// dispatch themselves (not through FBT), in a market with a row in force.
pub fn late_dispatch(setting: &Setting, as_of: Date) -> Option<&'static LateDispatchPenalty> {
    if setting.model != Model::SelfOperated || setting.route == Route::Fbt {
        return None;
    }
    loaded()
        .late_dispatch
        .iter()
        .find(|p| p.market == setting.market && p.in_force.covers(as_of))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Category;

    #[test]
    fn the_penalties_file_reads_and_applies_to_sellers_who_dispatch() {
        let file = parse(PENALTIES_TOML).unwrap();
        assert_eq!(loaded().late_dispatch.len(), file.late_dispatch.len());
        assert!(file
            .late_dispatch
            .iter()
            .all(|r| r.source.starts_with("DOMAIN")));
        assert!(file
            .probation
            .iter()
            .all(|r| r.source.starts_with("Seller Center")));
        let us = |model, route| Setting {
            market: Market::Us,
            category: Category::Beauty,
            model,
            route,
        };
        let day: Date = "2026-11-01".parse().unwrap();
        let p = late_dispatch(&us(Model::SelfOperated, Route::PlatformShipping), day).unwrap();
        assert_eq!(p.caps, vec![0.5, 0.3, 0.2, 0.1]);
        assert_eq!(p.threshold, 0.10);
        assert!(late_dispatch(&us(Model::SelfOperated, Route::Fbt), day).is_none());
        assert!(late_dispatch(&us(Model::FullyManaged, Route::Managed), day).is_none());
        let before: Date = "2024-01-01".parse().unwrap();
        assert!(late_dispatch(&us(Model::SelfOperated, Route::DirectMail), before).is_none());
        let caps = probation_caps(&us(Model::SelfOperated, Route::Fbt), day).unwrap();
        assert_eq!(file.probation.len(), 1);
        // Standard from the start, Premium from day 30 with 100 delivered orders.
        assert_eq!(caps.cap(0, 0), 100);
        assert_eq!(caps.cap(29, 500), 100);
        assert_eq!(caps.cap(30, 99), 100);
        assert_eq!(caps.cap(30, 100), 200);
        assert!(probation_caps(&us(Model::FullyManaged, Route::Managed), day).is_none());
        assert!(parse("[[late_dispatch]]\nmarket = \"us\"\nfrom = \"2024-06-01\"\nthreshold = 10\nwindow_days = 30\nstep_days = 7\ncaps = [0.5]\nsource = \"x\"\n").is_err());
    }
}
