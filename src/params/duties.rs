//! Import duties by market, tariff line, origin, valuation basis and date
//! (`data/duties.toml`, embedded): the defaults of the duty's three parts
//! (`tax.duty_base_rate`, `tax.duty_origin_rate`, `tax.duty_surcharge_rate`) and of
//! `tax.entry_fee_per_parcel` for the scenario's date. Duties change by date and differ by
//! product and origin, so they are data with their source, not a layer in code. The parts
//! add up (a US Section 301 duty comes on top of the MFN rate and of any surcharge); of the
//! rows of one part that apply, the one about the longest tariff-line prefix wins.

use super::dated::{DataError, DataFile, Embedded, Filter, Kind, Row, Slot, Stacking, Table};
use super::rules::Date;
use super::{CheckedValue, Model, Setting, P};

/// The duties file, embedded in the binary.
pub static FILE: Embedded<Duties> = Embedded::new(
    "data/duties.toml",
    include_str!("../../data/duties.toml"),
    read,
);

/// `[[duty]]`: one part of a market's duty, for a valuation basis, tariff lines and an
/// origin (each optional).
const DUTY: Kind = Kind {
    name: "duty",
    required: &[Filter::Market],
    optional: &[Filter::Basis, Filter::Origin, Filter::TariffLine],
    // A duty whose source gives no start date (Singapore's, the Philippine de minimis)
    // has no `from`.
    open_start: true,
    stacking: Stacking::Forbidden,
};

/// `[[entry_fee]]`: the customs entry fee per direct parcel.
const ENTRY_FEE: Kind = Kind {
    name: "entry_fee",
    required: &[Filter::Market, Filter::Basis],
    optional: &[],
    open_start: false,
    stacking: Stacking::Forbidden,
};

/// A part of the duty: they add up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The market's general rate for the tariff line (US MFN).
    Base,
    /// A duty on goods of one origin only (US Section 301 on goods made in China).
    Origin,
    /// A temporary duty on imports of every origin (US Section 122).
    Surcharge,
}

impl Part {
    /// Every part, in the order they are listed.
    pub const ALL: [Part; 3] = [Part::Base, Part::Origin, Part::Surcharge];

    /// The name in the file.
    pub fn name(self) -> &'static str {
        match self {
            Part::Base => "base",
            Part::Origin => "origin",
            Part::Surcharge => "surcharge",
        }
    }

    /// The parameter it sets.
    pub fn param(self) -> P {
        match self {
            Part::Base => P::DutyBaseRate,
            Part::Origin => P::DutyOriginRate,
            Part::Surcharge => P::DutySurchargeRate,
        }
    }
}

impl std::str::FromStr for Part {
    type Err = String;

    fn from_str(text: &str) -> Result<Part, String> {
        Part::ALL
            .into_iter()
            .find(|p| p.name() == text)
            .ok_or_else(|| format!("unknown part `{text}`; expected base, origin or surcharge"))
    }
}

/// What a dated duty row charges.
#[derive(Clone, Debug, PartialEq)]
pub struct Duty {
    /// The part it sets.
    pub part: Part,
    /// The rate on the basis's value.
    pub rate: CheckedValue,
}

impl Slot for Duty {
    /// Rows of different parts add up: only rows of one part clash.
    fn same_slot(&self, other: &Self) -> bool {
        self.part == other.part
    }
}

/// What a dated entry-fee row charges per parcel.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryFee {
    /// `tax.entry_fee_per_parcel`.
    pub fee: CheckedValue,
}

impl Slot for EntryFee {}

/// The file's rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Duties {
    /// `[[duty]]` rows.
    pub duty: Table<Duty>,
    /// `[[entry_fee]]` rows.
    pub entry_fee: Table<EntryFee>,
}

fn read(file: &mut DataFile) -> Result<Duties, DataError> {
    let duty = file.rows(&DUTY, |row| {
        let part: Part = row.parsed("part")?;
        let rate = row.checked("rate", part.param())?;
        Ok(Duty { part, rate })
    })?;
    // An origin duty is about goods of one origin: a row that names none would charge
    // every origin, which is what a surcharge is.
    if let Some(row) = duty
        .rows()
        .iter()
        .find(|r| r.value.part == Part::Origin && r.scope.origin.is_none())
    {
        return Err(DataError::Key {
            file: FILE.file(),
            row: row.at,
            key: "origin".to_string(),
            message: "missing: a row of part `origin` names the origin it charges (e.g. origin = \"china\"); a duty on every origin is part `surcharge`".to_string(),
        });
    }
    let entry_fee = file.rows(&ENTRY_FEE, |row| {
        Ok(EntryFee {
            fee: row.checked("value", P::EntryFeePerParcel)?,
        })
    })?;
    Ok(Duties { duty, entry_fee })
}

/// `a`, `a and b`, `a, b and c`.
fn and_list<T: AsRef<str>>(items: &[T]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// Who imports for a setting: the merchant on its own route, or, fully managed, the
/// platform, in bulk (its duty reaches the merchant only through the supply price:
/// `price.tariff_passback_share`).
fn importer(setting: &Setting) -> Setting {
    match setting.model {
        Model::SelfOperated => *setting,
        Model::FullyManaged => Setting {
            model: Model::SelfOperated,
            route: super::Route::Fbt,
            ..*setting
        },
    }
}

/// What the file says about one part of a setting's duty on a date.
pub enum Lookup {
    /// The row in force.
    Found(&'static Row<Duty>),
    /// The file has rows of this part for the market, but none for this setting (its
    /// basis, origin or tariff line) in force on that date.
    NotThere,
    /// The file has no row of this part for the market.
    NoData,
}

/// The row of `part` for a setting's imports on `as_of`: of those that apply, the one
/// about the longest tariff-line prefix, then the one that names a basis, then an origin.
pub fn lookup(setting: &Setting, part: Part, as_of: Date) -> Lookup {
    let importer = importer(setting);
    let table = &FILE.get().duty;
    let in_market =
        |r: &&Row<Duty>| r.value.part == part && r.scope.market == Some(importer.market);
    if !table.rows().iter().any(|r| in_market(&r)) {
        return Lookup::NoData;
    }
    table
        .in_force(importer, as_of)
        .filter(|r| r.value.part == part)
        .max_by_key(|r| {
            (
                r.scope.hs.map_or(0, |h| h.digits()),
                r.scope.basis.is_some(),
                r.scope.origin.is_some(),
            )
        })
        .map_or(Lookup::NotThere, Lookup::Found)
}

/// Whether the file has origin-specific rows for `market` (on any date, for any line),
/// for `origin` if one is given.
fn charges_by_origin(market: super::Market, origin: Option<super::Origin>) -> bool {
    FILE.get().duty.rows().iter().any(|r| {
        r.value.part == Part::Origin
            && r.scope.market == Some(market)
            && origin.is_none_or(|o| r.scope.origin == Some(o))
    })
}

/// Why `origin` has no effect on a setting's duty, if it has none: the file has no
/// origin-specific row for the market the setting imports into (any date).
pub fn origin_cannot_act(setting: &Setting) -> Option<String> {
    let market = importer(setting).market;
    (!charges_by_origin(market, None)).then(|| {
        format!(
            "`origin = \"{}\"` has no effect in market `{market}`: {} has no duty row for one origin there (only the US charges one in the sources: Section 301 on goods made in China)",
            setting.origin,
            FILE.file()
        )
    })
}

/// The entry-fee row in force for a setting's imports on `as_of`, if any.
pub fn entry_fee(setting: &Setting, as_of: Date) -> Option<&'static Row<EntryFee>> {
    FILE.get()
        .entry_fee
        .in_force(importer(setting), as_of)
        .next()
}

/// Warnings about the duty defaults of a self-operated setting on `as_of` for a study of
/// `horizon_days` days, except for the parts in `set` (the scenario sets those itself): a
/// part the file has rows of for the market but none for this product, origin, basis or
/// date (it then defaults to 0), a row whose figure is an assumption, and a row that ends
/// before the study does (its rate is used throughout).
pub fn warnings(setting: &Setting, as_of: Date, horizon_days: u32, set: &[Part]) -> Vec<String> {
    if setting.model != Model::SelfOperated {
        return Vec::new();
    }
    let market = setting.market;
    let file = FILE.file();
    let parts: Vec<(Part, Lookup)> = Part::ALL
        .into_iter()
        .map(|part| (part, lookup(setting, part, as_of)))
        .collect();
    if parts.iter().all(|(_, l)| matches!(l, Lookup::NoData)) {
        return if set.is_empty() {
            vec![format!(
                "{file} has no import duty for market `{market}` (the sources give no rate for its imports), so the duty's parts (`tax.duty_base_rate`, `tax.duty_origin_rate`, `tax.duty_surcharge_rate`) default to 0 (set the rates you expect)"
            )]
        } else {
            Vec::new()
        };
    }
    let basis = setting.route.duty_basis().name();
    let what = format!(
        "tariff line {} from {}, {basis} imports, on {as_of} (the study's date, key `as_of`)",
        setting.tariff_line, setting.origin
    );
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for (part, found) in parts {
        if set.contains(&part) {
            continue;
        }
        let key = part.param().key();
        match found {
            // A part no row of the market is about is none, as the file says.
            Lookup::NoData => {}
            // Origin rows for another origin are not about this product: none, unless
            // the file has rows for its origin, just not for its line or date.
            Lookup::NotThere if part == Part::Origin => {
                if charges_by_origin(market, Some(setting.origin)) {
                    missing.push(part);
                }
            }
            Lookup::NotThere => missing.push(part),
            Lookup::Found(row) => {
                if row.source.starts_with("assumption") {
                    out.push(format!(
                        "`{key}` defaults to {}, an assumption of {file} {}: {} (set it to the rate you expect)",
                        row.value.rate.dist(),
                        row.at,
                        row.source.trim_start_matches("assumption: ")
                    ));
                }
                if let Some(until) = row.in_force.until {
                    let day = as_of.study_day(until);
                    if day <= i64::from(horizon_days) {
                        out.push(format!(
                            "the study runs past {until} (day {day}), the first day {file} {} no longer applies (`{key}` {}); its rate is used on every day of the study: to model the change, add an `[[events]]` table with `start_day = {day}` and the whole duty from then as `duty_rate`",
                            row.at,
                            row.value.rate.dist(),
                        ));
                    }
                }
            }
        }
    }
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|p| p.name()).collect();
        let keys: Vec<String> = missing
            .iter()
            .map(|p| format!("`{}`", p.param().key()))
            .collect();
        let (verb, them) = if missing.len() == 1 {
            ("defaults", "its rate and set it")
        } else {
            ("default", "their rates and set them")
        };
        out.insert(
            0,
            format!(
                "{file} has no {} duty of market `{market}` for {what}, so {} {verb} to 0 (look up {them})",
                and_list(&names),
                and_list(&keys)
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{Category, DutyBasis, Market, Route};

    fn day(t: &str) -> Date {
        t.parse().unwrap()
    }

    fn self_operated(market: Market, route: Route) -> Setting {
        Setting {
            market,
            category: Category::Beauty,
            model: Model::SelfOperated,
            route,
            freight: crate::params::Freight::Sea,
            team: crate::params::Team::China,
            origin: crate::params::Origin::China,
            tariff_line: Category::Beauty.default_tariff_line(),
        }
    }

    fn with(setting: Setting, category: Category, line: &str) -> Setting {
        Setting {
            category,
            tariff_line: line.parse().unwrap(),
            ..setting
        }
    }

    /// Each part's rate in force, as written; `None` for a part with no row.
    fn parts(setting: &Setting, on: &str) -> [Option<String>; 3] {
        Part::ALL.map(|part| match lookup(setting, part, day(on)) {
            Lookup::Found(row) => Some(row.value.rate.dist().to_string()),
            Lookup::NotThere | Lookup::NoData => None,
        })
    }

    fn some(parts: [&str; 3]) -> [Option<String>; 3] {
        parts.map(|p| Some(p.to_string()))
    }

    #[test]
    fn every_row_names_a_source_and_only_exact_figures_are_fixed() {
        let file = FILE.load().unwrap();
        for r in file.duty.rows() {
            assert!(
                ["DOMAIN", "CBP ruling", "assumption", "cited: "]
                    .iter()
                    .any(|s| r.source.starts_with(s)),
                "{}",
                r.source
            );
            // A fixed rate is a statutory figure for the line, never an assumption.
            if r.value.rate.dist().is_fixed() {
                assert!(!r.source.starts_with("assumption"), "{}", r.source);
            }
        }
        // US parcels carry an entry fee, a range.
        let fees = &file.entry_fee;
        assert_eq!(fees.rows().len(), 1);
        assert_eq!(fees.rows()[0].scope.basis, Some(DutyBasis::ParcelPricePaid));
        assert!(!fees.rows()[0].value.fee.dist().is_fixed());
    }

    #[test]
    fn us_beauty_from_china_pays_base_section_301_and_the_surcharge_of_its_date() {
        for route in [Route::DirectMail, Route::Fbt] {
            let beauty = self_operated(Market::Us, route);
            assert_eq!(
                parts(&beauty, "2026-03-01"),
                some(["0", "0.25", "0.1..0.15"])
            );
            assert_eq!(
                parts(&beauty, "2026-07-23"),
                some(["0", "0.25", "0.1..0.15"])
            );
            assert_eq!(
                parts(&beauty, "2026-07-24"),
                some(["0", "0.25", "uniform(0, 0.25)"])
            );
            // Before the rows start: nothing, and a warning for each part.
            assert_eq!(parts(&beauty, "2025-12-01"), [None, None, None]);
            let said = warnings(&beauty, day("2025-12-01"), 30, &[]);
            assert_eq!(said.len(), 1, "{said:?}");
            assert!(
                said[0].contains("no base, origin and surcharge duty"),
                "{}",
                said[0]
            );
            // Made elsewhere: no Section 301, and no warning about it.
            let elsewhere = Setting {
                origin: crate::params::Origin::Other,
                ..beauty
            };
            assert_eq!(parts(&elsewhere, "2026-03-01")[1], None);
            assert!(warnings(&elsewhere, day("2026-03-01"), 30, &[]).is_empty());
        }
        // The parcel's entry fee, from the same date; stock entered in bulk pays none.
        let fee = |route| entry_fee(&self_operated(Market::Us, route), day("2026-03-01"));
        assert!(fee(Route::PlatformShipping).is_some());
        assert!(fee(Route::Fbt).is_none());
    }

    #[test]
    fn the_longest_tariff_line_prefix_wins_and_other_lines_are_warned_about() {
        let us = self_operated(Market::Us, Route::Fbt);
        // A T-shirt (6109.10) is in chapter 61: its base range and list 4A's 7.5%.
        let shirt = with(us, Category::Apparel, "6109.10");
        assert_eq!(
            parts(&shirt, "2026-03-01"),
            some(["uniform(0.12, 0.32)", "0.075", "0.1..0.15"])
        );
        // A phone case (chapter 85 default for electronics): the sources give no base or
        // Section 301 rate for it; a warning names each missing part and the line.
        let electronics = with(us, Category::Electronics, "85");
        assert_eq!(parts(&electronics, "2026-03-01")[..2], [None, None]);
        let said = warnings(&electronics, day("2026-03-01"), 30, &[]);
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(
            said[0]
                .contains("no base and origin duty of market `us` for tariff line 85 from china")
                && said[0].contains("`tax.duty_base_rate` and `tax.duty_origin_rate` default to 0"),
            "{}",
            said[0]
        );
        let said = warnings(&electronics, day("2026-03-01"), 30, &[Part::Base]);
        assert!(
            said[0].contains("so `tax.duty_origin_rate` defaults to 0"),
            "{}",
            said[0]
        );
        // Parts the scenario sets itself are not warned about.
        assert!(warnings(
            &electronics,
            day("2026-03-01"),
            30,
            &[Part::Base, Part::Origin]
        )
        .is_empty());
        // Thailand: clothing (61, 62) and footwear (64) ~30%, bags 20%, the rest 10-20%.
        let th = self_operated(Market::Th, Route::PlatformShipping);
        for line in ["61", "6204.62", "64"] {
            assert_eq!(
                parts(&with(th, Category::Apparel, line), "2026-03-01")[0].as_deref(),
                Some("0.25..0.35"),
                "{line}"
            );
        }
        let bag = with(th, Category::Home, "4202.92");
        assert_eq!(parts(&bag, "2026-03-01")[0].as_deref(), Some("0.2"));
        assert_eq!(parts(&th, "2026-03-01")[0].as_deref(), Some("0.1..0.2"));
        assert_eq!(parts(&th, "2025-12-31")[0], None);
        // Thai bulk imports: the sources give no rate; a wide range marked as an
        // assumption, which a study is told about.
        let th_stock = self_operated(Market::Th, Route::Fbt);
        assert_eq!(
            parts(&th_stock, "2026-03-01"),
            [Some("uniform(0, 0.3)".to_string()), None, None]
        );
        let said = warnings(&th_stock, day("2026-03-01"), 30, &[]);
        assert_eq!(said.len(), 1);
        assert!(said[0].contains("an assumption"), "{}", said[0]);
        // Vietnam: cosmetics from 2025-02-18 (the low-value exemption ended), as a range
        // from the ASEAN-China rate to MFN; apparel's rate is not in the sources: an
        // assumption (warned); shoes (64) have no row at all (warned).
        let vn = self_operated(Market::Vn, Route::DirectMail);
        assert_eq!(
            parts(&vn, "2026-11-01")[0].as_deref(),
            Some("uniform(0, 0.22)")
        );
        assert_eq!(parts(&vn, "2025-02-17")[0], None);
        let said = warnings(
            &with(vn, Category::Apparel, "61"),
            day("2026-11-01"),
            30,
            &[],
        );
        assert_eq!(said.len(), 1);
        assert!(said[0].contains("an assumption"), "{}", said[0]);
        let said = warnings(&with(vn, Category::Shoes, "64"), day("2026-11-01"), 30, &[]);
        assert_eq!(said.len(), 1);
        assert!(
            said[0].contains("no base duty of market `vn` for tariff line 64"),
            "{said:?}"
        );
        // Low-value parcels pay none in the UK (to GBP 135), Saudi Arabia (SAR 1,000),
        // Malaysia (RM500) and the Philippines (PHP 10,000); Singapore charges none on
        // these goods at all.
        for market in [Market::Uk, Market::Sa, Market::My, Market::Ph, Market::Sg] {
            let parcel = self_operated(market, Route::PlatformShipping);
            assert_eq!(
                parts(&parcel, "2026-11-01")[0].as_deref(),
                Some("0"),
                "{market}"
            );
            assert!(
                warnings(&parcel, day("2026-11-01"), 30, &[]).is_empty(),
                "{market}"
            );
        }
        // Saudi bulk clothing 10-15% since 2020-06-10, other goods 5%.
        let sa = self_operated(Market::Sa, Route::Fbt);
        assert_eq!(parts(&sa, "2026-11-01")[0].as_deref(), Some("0.05"));
        let sa_shirt = with(sa, Category::Apparel, "6109");
        assert_eq!(
            parts(&sa_shirt, "2026-11-01")[0].as_deref(),
            Some("0.1..0.15")
        );
    }

    #[test]
    fn a_study_past_a_rows_end_and_a_row_that_is_an_assumption_are_warned_about() {
        let beauty = self_operated(Market::Us, Route::PlatformShipping);
        // 2026-06-01 is day 1: 2026-07-24 is day 54.
        let said = warnings(&beauty, day("2026-06-01"), 120, &[]);
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(
            said[0].contains("the study runs past 2026-07-24 (day 54)")
                && said[0].contains("`start_day = 54`"),
            "{}",
            said[0]
        );
        // A study that ends the day before does not reach it.
        assert!(warnings(&beauty, day("2026-06-01"), 53, &[]).is_empty());
        assert_eq!(warnings(&beauty, day("2026-06-01"), 54, &[]).len(), 1);
        // After it, the surcharge's default is an assumption: said, unless set.
        let said = warnings(&beauty, day("2026-11-01"), 120, &[]);
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(said[0]
            .contains("`tax.duty_surcharge_rate` defaults to uniform(0, 0.25), an assumption"));
        assert!(warnings(&beauty, day("2026-11-01"), 120, &[Part::Surcharge]).is_empty());
    }

    #[test]
    fn fully_managed_takes_the_platforms_bulk_duty_without_warnings() {
        let managed = Setting {
            model: Model::FullyManaged,
            route: Route::Managed,
            ..self_operated(Market::Us, Route::DirectMail)
        };
        // The platform imports in bulk: its duty is passed back through the supply price.
        assert_eq!(
            parts(&managed, "2026-03-01"),
            some(["0", "0.25", "0.1..0.15"])
        );
        assert!(entry_fee(&managed, day("2026-03-01")).is_none());
        assert!(warnings(&managed, day("2026-11-01"), 120, &[]).is_empty());
    }
}
