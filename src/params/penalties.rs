//! Performance penalties by market and date (`data/penalties.toml`, embedded): the order
//! caps a self-operated shop gets when it dispatches late too often, and a new shop's
//! probation caps. Rules, so data; who they apply to (the model, who dispatches) is in
//! each row's filters. One penalty and one probation scheme at a time for a setting: rows
//! do not stack.

use toml_edit::Value;

use super::dated::{count, number, DataError, DataFile, Embedded, Filter, Kind, RowReader, Slot};
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

/// One entry of a list of inline tables in a row, read field by field; errors name the
/// row's key and the entry.
struct Entry<'t> {
    table: &'t toml_edit::InlineTable,
    bad: &'t dyn Fn(String) -> DataError,
}

impl Entry<'_> {
    /// A number of at least 0.
    fn number(&self, key: &str) -> Result<f64, DataError> {
        self.table
            .get(key)
            .and_then(number)
            .filter(|x| *x >= 0.0)
            .ok_or_else(|| (self.bad)(format!("`{key}` must be a number of at least 0")))
    }

    /// A whole number of at least 0.
    fn count(&self, key: &str) -> Result<u64, DataError> {
        self.table
            .get(key)
            .and_then(count)
            .ok_or_else(|| (self.bad)(format!("`{key}` must be a whole number of at least 0")))
    }
}

/// The entries of the list of inline tables under `key`, each with only `keys`, read by
/// `entry`.
fn inline_list<T>(
    row: &mut RowReader,
    key: &'static str,
    keys: &[&str],
    entry: impl Fn(&Entry) -> Result<T, DataError>,
) -> Result<Vec<T>, DataError> {
    let list = row.get(key);
    let Some(list) = list.and_then(Value::as_array) else {
        return Err(row.key_error(
            key,
            format!("expected a list of {{ {} }} tables", keys.join(", ")),
        ));
    };
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let bad = |why: String| row.key_error(key, format!("entry {}: {why}", i + 1));
        let Some(table) = item.as_inline_table() else {
            return Err(bad(format!("expected a table of {}", keys.join(", "))));
        };
        if let Some((k, _)) = table.iter().find(|(k, _)| !keys.contains(k)) {
            return Err(bad(format!(
                "unknown key `{k}`; expected {}",
                keys.join(", ")
            )));
        }
        out.push(entry(&Entry { table, bad: &bad })?);
    }
    Ok(out)
}

fn read_probation(row: &mut RowReader) -> Result<ProbationCaps, DataError> {
    let tiers = inline_list(row, "tiers", &TIER_KEYS, |e| {
        Ok(ProbationTier {
            orders_per_day: e.count("orders_per_day")?,
            from_day: e.count("from_day")? as usize,
            from_orders: e.count("from_orders")?,
        })
    })?;
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

/// One band of the late-dispatch rule: from a late-dispatch rate of `from_rate` on, daily
/// orders are capped at `cap` times the shop's highest 28-day average.
#[derive(Clone, Debug, PartialEq)]
pub struct LateDispatchBand {
    /// The lowest late-dispatch rate of the band.
    pub from_rate: f64,
    /// Daily orders allowed, as a share of the highest 28-day average.
    pub cap: f64,
}

/// The late-dispatch penalty of a market (DOMAIN December 2026 review, correction): the
/// cap is set by the band the rate is in, and lifted once the rate is back under
/// `lift_below`.
#[derive(Clone, Debug, PartialEq)]
pub struct LateDispatchPenalty {
    /// Days the late-dispatch rate is taken over.
    pub rate_days: usize,
    /// Days the average daily orders are taken over, and the highest of them looked back on.
    pub average_days: usize,
    /// The bands, lowest rate first; the first band's rate is the threshold.
    pub bands: Vec<LateDispatchBand>,
    /// The rate under which the cap is lifted.
    pub lift_below: f64,
    /// While in a band: a fee per late order.
    pub fee_per_late_order: f64,
    /// While in a band: the days after delivery the day's sales settle (0: the standard).
    pub settlement_days: usize,
}

impl Slot for LateDispatchPenalty {}

impl LateDispatchPenalty {
    /// The cap (a share of the highest average) for a late-dispatch `rate`, or `None` under
    /// the lowest band.
    pub fn band_cap(&self, rate: f64) -> Option<f64> {
        self.bands
            .iter()
            .rev()
            .find(|b| rate >= b.from_rate)
            .map(|b| b.cap)
    }
}

const BAND_KEYS: [&str; 2] = ["from_rate", "cap"];

fn read_late_dispatch(row: &mut RowReader) -> Result<LateDispatchPenalty, DataError> {
    let share = |x: f64| (0.0..=1.0).contains(&x);
    let mut days = |key| match row.count(key)? {
        0 => Err(row.key_error(key, "must be at least a day".to_string())),
        n => Ok(n as usize),
    };
    let (rate_days, average_days) = (days("rate_days")?, days("average_days")?);
    let bands = inline_list(row, "bands", &BAND_KEYS, |e| {
        Ok(LateDispatchBand {
            from_rate: e.number("from_rate")?,
            cap: e.number("cap")?,
        })
    })?;
    let rising = bands.windows(2).all(|w| w[0].from_rate < w[1].from_rate);
    if bands.is_empty() || !rising || !bands.iter().all(|b| share(b.from_rate) && share(b.cap)) {
        return Err(row.key_error(
            "bands",
            "expected at least one band, rates rising, each rate and cap a share (0.5 for 50%)"
                .to_string(),
        ));
    }
    let lift_below = row.number("lift_below")?;
    if !share(lift_below) || lift_below > bands[0].from_rate {
        return Err(row.key_error(
            "lift_below",
            format!(
                "{lift_below} is not a share at most the first band's rate ({})",
                bands[0].from_rate
            ),
        ));
    }
    let fee_per_late_order = match row.get("fee_per_late_order") {
        None => 0.0,
        Some(_) => row.number("fee_per_late_order")?,
    };
    if !(fee_per_late_order >= 0.0 && fee_per_late_order.is_finite()) {
        return Err(row.key_error(
            "fee_per_late_order",
            format!("{fee_per_late_order} is not an amount of at least 0"),
        ));
    }
    let settlement_days = match row.get("settlement_days") {
        None => 0,
        Some(_) => row.count("settlement_days")? as usize,
    };
    Ok(LateDispatchPenalty {
        rate_days,
        average_days,
        bands,
        lift_below,
        fee_per_late_order,
        settlement_days,
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
            team: crate::params::Team::China,
            origin: crate::params::Origin::China,
            tariff_line: Category::Beauty.default_tariff_line(),
        };
        let day: Date = "2026-11-01".parse().unwrap();
        let p = late_dispatch(&us(Model::SelfOperated, Route::PlatformShipping), day).unwrap();
        let caps: Vec<f64> = p.bands.iter().map(|b| b.cap).collect();
        assert_eq!(caps, vec![0.5, 0.3, 0.2, 0.1]);
        // Each band edge: the rate at the edge is in the band, just under it is not.
        for (rate, cap) in [
            (0.0999, None),
            (0.10, Some(0.5)),
            (0.1999, Some(0.5)),
            (0.20, Some(0.3)),
            (0.3999, Some(0.3)),
            (0.40, Some(0.2)),
            (0.5999, Some(0.2)),
            (0.60, Some(0.1)),
            (1.0, Some(0.1)),
        ] {
            assert_eq!(p.band_cap(rate), cap, "rate {rate}");
        }
        assert_eq!((p.rate_days, p.average_days, p.lift_below), (7, 28, 0.04));
        // US from 2026-01-26: $5 a late order and 31-day settlement; before, neither.
        assert_eq!((p.fee_per_late_order, p.settlement_days), (5.0, 31));
        let p = late_dispatch(
            &us(Model::SelfOperated, Route::PlatformShipping),
            "2025-12-01".parse().unwrap(),
        )
        .unwrap();
        assert_eq!((p.fee_per_late_order, p.settlement_days), (0.0, 0));
        assert!(late_dispatch(&us(Model::SelfOperated, Route::DirectMail), day).is_some());
        assert!(late_dispatch(&us(Model::SelfOperated, Route::Overseas3pl), day).is_some());
        assert!(late_dispatch(&us(Model::SelfOperated, Route::Fbt), day).is_none());
        assert!(late_dispatch(&us(Model::FullyManaged, Route::Managed), day).is_none());
        // Thailand's new-shop tiers from the page's date (2026-01-30): 200 a day, then 300
        // from day 30 and 100 delivered orders; none before that date, none for the UK.
        let th = Setting {
            market: Market::Th,
            ..us(Model::SelfOperated, Route::PlatformShipping)
        };
        let caps = probation_caps(&th, day).unwrap();
        assert_eq!(
            (caps.cap(0, 0), caps.cap(29, 500), caps.cap(30, 99)),
            (200, 200, 200)
        );
        assert_eq!(caps.cap(30, 100), 300);
        assert!(probation_caps(&th, "2026-01-29".parse().unwrap()).is_none());
        let uk = Setting {
            market: Market::Uk,
            ..th
        };
        assert!(probation_caps(&uk, day).is_none());
        let before: Date = "2024-01-01".parse().unwrap();
        assert!(late_dispatch(&us(Model::SelfOperated, Route::DirectMail), before).is_none());
        let caps = probation_caps(&us(Model::SelfOperated, Route::Fbt), day).unwrap();
        assert_eq!(file.probation.rows().len(), 2);
        // Standard from the start, Premium from day 30 with 100 delivered orders.
        assert_eq!(caps.cap(0, 0), 100);
        assert_eq!(caps.cap(29, 500), 100);
        assert_eq!(caps.cap(30, 99), 100);
        assert_eq!(caps.cap(30, 100), 200);
        assert!(probation_caps(&us(Model::FullyManaged, Route::Managed), day).is_none());
    }
}
