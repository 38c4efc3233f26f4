//! Performance penalties by market and date (`data/penalties.toml`, embedded): the order
//! caps a self-operated shop gets when it dispatches late too often, and a new shop's
//! probation caps. Rules, so data; who they apply to (the model, who dispatches) is in
//! each row's filters. One penalty and one probation scheme at a time for a setting: rows
//! do not stack.

use toml_edit::Value;

use super::dated::{count, DataError, DataFile, Embedded, Filter, Kind, RowReader, Slot};
use super::dated::{Stacking, Table};
use super::rules::Date;
use super::Setting;

/// The penalties file, embedded in the binary.
pub static FILE: Embedded<Penalties> = Embedded::new(
    "data/penalties.toml",
    include_str!("../../data/penalties.toml"),
    read,
);

/// `[[late_dispatch]]`: a market's penalty, for the model and dispatcher it names.
const LATE_DISPATCH: Kind = Kind {
    name: "late_dispatch",
    required: &[Filter::Market],
    optional: &[Filter::Model, Filter::Dispatch],
    open_start: false,
    stacking: Stacking::Forbidden,
};

/// `[[probation]]`: a market's probation tiers, for the model it names.
const PROBATION: Kind = Kind {
    name: "probation",
    required: &[Filter::Market],
    optional: &[Filter::Model],
    open_start: false,
    stacking: Stacking::Forbidden,
};

/// The penalties file, read.
#[derive(Debug)]
pub struct Penalties {
    /// Late-dispatch order caps by market and date.
    pub late_dispatch: Table<LateDispatchPenalty>,
    /// Probation order caps by market and date.
    pub probation: Table<ProbationCaps>,
}

fn read(file: &mut DataFile) -> Result<Penalties, DataError> {
    Ok(Penalties {
        late_dispatch: file.rows(&LATE_DISPATCH, read_late_dispatch)?,
        probation: file.rows(&PROBATION, read_probation)?,
    })
}

/// One tier of a new shop's probation: from `from_day` (0-based days of selling) and
/// `from_orders` delivered orders on, at most `orders_per_day` a day.
#[derive(Clone, Debug, PartialEq)]
pub struct ProbationTier {
    /// Orders a day the tier allows.
    pub orders_per_day: u64,
    /// First day (0-based) the tier can be reached.
    pub from_day: usize,
    /// Delivered orders needed to reach it.
    pub from_orders: u64,
}

/// A market's probation order caps.
#[derive(Clone, Debug, PartialEq)]
pub struct ProbationCaps {
    /// The tiers, lowest first; the highest reached applies.
    pub tiers: Vec<ProbationTier>,
}

impl Slot for ProbationCaps {}

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

const TIER_KEYS: [&str; 3] = ["orders_per_day", "from_day", "from_orders"];

fn read_probation(row: &mut RowReader) -> Result<ProbationCaps, DataError> {
    let list = row.get("tiers");
    let Some(list) = list.and_then(Value::as_array) else {
        return Err(row.key_error(
            "tiers",
            "expected a list of { orders_per_day, from_day, from_orders } tables".to_string(),
        ));
    };
    let mut tiers = Vec::new();
    for (i, tier) in list.iter().enumerate() {
        let bad = |why: String| row.key_error("tiers", format!("tier {}: {why}", i + 1));
        let Some(t) = tier.as_inline_table() else {
            return Err(bad(format!("expected a table of {}", TIER_KEYS.join(", "))));
        };
        if let Some((key, _)) = t.iter().find(|(k, _)| !TIER_KEYS.contains(k)) {
            return Err(bad(format!(
                "unknown key `{key}`; expected {}",
                TIER_KEYS.join(", ")
            )));
        }
        let field = |key: &str| {
            t.get(key)
                .and_then(count)
                .ok_or_else(|| bad(format!("`{key}` must be a whole number of at least 0")))
        };
        tiers.push(ProbationTier {
            orders_per_day: field("orders_per_day")?,
            from_day: field("from_day")? as usize,
            from_orders: field("from_orders")?,
        });
    }
    if !tiers
        .first()
        .is_some_and(|t| t.from_day == 0 && t.from_orders == 0)
    {
        return Err(row.key_error(
            "tiers",
            "the first tier must start on day 0 at 0 orders".to_string(),
        ));
    }
    Ok(ProbationCaps { tiers })
}

/// The probation order caps of a setting's market on `as_of`, if any.
pub fn probation_caps(setting: &Setting, as_of: Date) -> Option<&'static ProbationCaps> {
    let row = FILE.get().probation.in_force(*setting, as_of).next()?;
    Some(&row.value)
}

/// The late-dispatch penalty of a market.
#[derive(Clone, Debug, PartialEq)]
pub struct LateDispatchPenalty {
    /// Share of orders dispatched late (over the window) at which the caps start.
    pub threshold: f64,
    /// Days the late-dispatch share and the average daily orders are taken over.
    pub window_days: usize,
    /// Days over the threshold before the cap steps down to the next tier.
    pub step_days: usize,
    /// Daily orders allowed, as shares of the average, tier by tier.
    pub caps: Vec<f64>,
}

impl Slot for LateDispatchPenalty {}

fn read_late_dispatch(row: &mut RowReader) -> Result<LateDispatchPenalty, DataError> {
    let share = |x: f64| (0.0..=1.0).contains(&x);
    let threshold = row.number("threshold")?;
    if !share(threshold) {
        return Err(row.key_error(
            "threshold",
            format!("{threshold} is not a share (write 0.10 for 10%)"),
        ));
    }
    let mut days = |key| match row.count(key)? {
        0 => Err(row.key_error(key, "must be at least a day".to_string())),
        n => Ok(n as usize),
    };
    let (window_days, step_days) = (days("window_days")?, days("step_days")?);
    let caps = row.numbers("caps")?;
    if caps.is_empty() || !caps.iter().all(|&c| share(c)) {
        return Err(row.key_error(
            "caps",
            "expected at least one share of the average daily orders (0.5 for 50%)".to_string(),
        ));
    }
    Ok(LateDispatchPenalty {
        threshold,
        window_days,
        step_days,
        caps,
    })
}

/// The late-dispatch penalty a variant is subject to on `as_of`: the row in force for its
/// market, model and dispatcher (the file's rows are about self-operated shops that
/// dispatch themselves; Fulfilled by TikTok is exempt).
pub fn late_dispatch(setting: &Setting, as_of: Date) -> Option<&'static LateDispatchPenalty> {
    let row = FILE.get().late_dispatch.in_force(*setting, as_of).next()?;
    Some(&row.value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{Category, Market, Model, Route};

    #[test]
    fn penalties_apply_to_sellers_who_dispatch() {
        let file = FILE.load().unwrap();
        assert!(file
            .late_dispatch
            .rows()
            .iter()
            .all(|r| r.source.starts_with("DOMAIN")));
        assert!(file
            .probation
            .rows()
            .iter()
            .all(|r| r.source.starts_with("Seller Center")));
        let us = |model, route| Setting {
            market: Market::Us,
            category: Category::Beauty,
            model,
            route,
            freight: crate::params::Freight::Sea,
        };
        let day: Date = "2026-11-01".parse().unwrap();
        let p = late_dispatch(&us(Model::SelfOperated, Route::PlatformShipping), day).unwrap();
        assert_eq!(p.caps, vec![0.5, 0.3, 0.2, 0.1]);
        assert_eq!(p.threshold, 0.10);
        assert!(late_dispatch(&us(Model::SelfOperated, Route::DirectMail), day).is_some());
        assert!(late_dispatch(&us(Model::SelfOperated, Route::Overseas3pl), day).is_some());
        assert!(late_dispatch(&us(Model::SelfOperated, Route::Fbt), day).is_none());
        assert!(late_dispatch(&us(Model::FullyManaged, Route::Managed), day).is_none());
        let before: Date = "2024-01-01".parse().unwrap();
        assert!(late_dispatch(&us(Model::SelfOperated, Route::DirectMail), before).is_none());
        let caps = probation_caps(&us(Model::SelfOperated, Route::Fbt), day).unwrap();
        assert_eq!(file.probation.rows().len(), 1);
        // Standard from the start, Premium from day 30 with 100 delivered orders.
        assert_eq!(caps.cap(0, 0), 100);
        assert_eq!(caps.cap(29, 500), 100);
        assert_eq!(caps.cap(30, 99), 100);
        assert_eq!(caps.cap(30, 100), 200);
        assert!(probation_caps(&us(Model::FullyManaged, Route::Managed), day).is_none());
    }
}
