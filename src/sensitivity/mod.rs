//! What drives the result: rank correlations of every uncertain input with an output
//! (from the trials of one run), and one-at-a-time swings of every input on common random
//! numbers (a tornado: an input from its p10 to its p90, a fixed input by ±20%, with all
//! else as the scenario has it), with a spider of the top inputs at five positions.
//!
//! A target is a variant's output, or the paired difference of two variants' outputs
//! (A − B), which says which inputs decide the choice between them and not only the level.

pub mod analysis;
pub mod charts;
pub mod page;
pub mod paired;
pub mod record;
pub mod sobol;
pub mod tables;

use anyhow::Result;

use crate::params::{Dist, Layer, P};
use crate::points::key::InputKey;
use crate::points::point::{Point, PointValue};
use crate::points::{self, Base, PointResult, PreparedPoint};
use crate::scenario::event_keys::{EventField, EventKey};
use crate::scenario::Scenario;
use crate::sim::{inputs, DrawMethod, Metric, Outputs, Unit};
use crate::stats::rank::{spearman, RankCorrelation};
use crate::stats::{self, StudyAccumulator, StudyAnalysis};

/// Its result folder, `<study>-sensitivity`: `sensitivity.json` (written last) names the study.
pub const FOLDER: crate::output::FolderKind = crate::output::FolderKind::analysis(
    "sensitivity",
    "-sensitivity",
    "sensitivity.json",
    "a sensitivity",
    &[
        "sensitivity.csv",
        "spider.csv",
        "charts",
        "report.html",
        "sensitivity.json",
    ],
);

/// What an input's effect is measured on.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// One variant's output (index among the study's variants).
    Variant(usize),
    /// A − B, paired trial by trial.
    Difference {
        /// Variant A.
        a: usize,
        /// Variant B.
        b: usize,
    },
}

impl Target {
    /// How the target is named in tables and charts.
    pub fn name(&self, s: &Scenario) -> String {
        let v = |i: usize| s.spec().variants()[i].name().to_string();
        match *self {
            Target::Variant(i) => v(i),
            Target::Difference { a, b } => format!("{} - {}", v(a), v(b)),
        }
    }

    /// What a chart of the target plots, with its unit: `mean profit of v (USD)` for a variant,
    /// `difference in mean profit, a − b (USD)` for a difference (never the output's bare
    /// name: a difference is not a level).
    pub fn value_label(&self, s: &Scenario, metric: Metric) -> String {
        let unit = match metric.unit() {
            Unit::Currency => s.currency().to_string(),
            unit => unit.name().to_string(),
        };
        let v = |i: usize| s.spec().variants()[i].name().to_string();
        match *self {
            Target::Variant(i) => format!("mean {} of {} ({unit})", metric.name(), v(i)),
            Target::Difference { a, b } => format!(
                "difference in mean {}, {} − {} ({unit})",
                metric.name(),
                v(a),
                v(b)
            ),
        }
    }

    /// The variants the target reads.
    pub fn variants(&self) -> Vec<usize> {
        match *self {
            Target::Variant(i) => vec![i],
            Target::Difference { a, b } => vec![a, b],
        }
    }

    /// The target's mean in an analysis.
    pub fn mean(&self, analysis: &StudyAnalysis, metric: Metric) -> f64 {
        match *self {
            Target::Variant(i) => analysis.variants[i].mean(metric),
            Target::Difference { a, b } => analysis
                .pair(a, b)
                .and_then(|p| p.of(metric))
                .map_or(f64::NAN, |d| d.diff.point),
        }
    }

    /// The target's value in one trial.
    fn value(&self, trial: &[&Outputs], metric: Metric) -> f64 {
        match *self {
            Target::Variant(i) => trial[i][metric],
            Target::Difference { a, b } => trial[a][metric] - trial[b][metric],
        }
    }
}

/// How an input varies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// A distribution in some variant of the target: swung from p10 to p90.
    Uncertain,
    /// A fixed value: swung by ±20% (or `--swing`).
    Fixed,
}

/// One input's swing for one target: the values it takes at each position, per variant.
#[derive(Clone, Debug, PartialEq)]
pub struct Swing {
    /// The parameter, or an event's number (the same value for every variant).
    pub param: InputKey,
    /// Uncertain or fixed (in the target's variants).
    pub kind: InputKind,
    /// Per position (p10, p30, p50, p70, p90 or −20%…+20%), per variant of the study
    /// (`None`: the variant keeps its value).
    pub values: Vec<Vec<Option<f64>>>,
    /// Whether the range came from `--swing`.
    pub given: bool,
}

/// The positions of a spider, as fractions of the swing (0: low end, 1: high end).
pub const POSITIONS: [f64; 5] = [0.0, 0.25, 0.5, 0.75, 1.0];

/// The names of the positions for an uncertain input.
pub const UNCERTAIN_POSITIONS: [&str; 5] = ["p10", "p30", "p50", "p70", "p90"];

/// The names of the positions for a fixed input.
pub const FIXED_POSITIONS: [&str; 5] = ["-20%", "-10%", "base", "+10%", "+20%"];

/// The swing of `param` in `variant`: its value at a position in [0, 1], or `None` when
/// it cannot swing there (a fixed 0, an on/off switch).
fn swing_value(
    dist: &Dist,
    key: &InputKey,
    position: f64,
    given: Option<(f64, f64)>,
) -> Option<f64> {
    if key.is_switch() {
        return None;
    }
    let raw = if let Some((lo, hi)) = given {
        // A whole-number input swings over the whole numbers inside `--swing`'s interval.
        let (lo, hi) = key.ends(lo, hi);
        lo + position * (hi - lo)
    } else if dist.is_fixed() {
        let v = dist.mean();
        if v == 0.0 {
            return None;
        }
        // 12 digits: 20 × 1.2 is 24, not 24.000000000000004.
        crate::points::point::round_to_12_digits(v * (0.8 + 0.4 * position))
    } else {
        // p10 to p90 through p30, p50, p70.
        dist.quantile(0.1 + 0.8 * position)
    };
    let (min, max) = key.bounds();
    let v = raw.clamp(min, max);
    Some(if key.integer() { v.round() } else { v })
}

/// Every input of the target's variants that can swing, with its values at every
/// position. `given` holds `--swing` ranges.
pub fn swings(
    s: &Scenario,
    target_variants: &[usize],
    given: &[(InputKey, f64, f64)],
) -> Vec<Swing> {
    let variants = s.spec().variants();
    let mut out = Vec::new();
    for spec in crate::params::SPECS.iter() {
        let param = spec.id;
        let given_range = given
            .iter()
            .find(|g| g.0 == InputKey::Param(param))
            .map(|g| (g.1, g.2));
        let uncertain = target_variants
            .iter()
            .any(|&v| !variants[v].params().get(param).dist.is_fixed());
        let values: Vec<Vec<Option<f64>>> = POSITIONS
            .iter()
            .map(|&pos| {
                (0..variants.len())
                    .map(|v| {
                        if !target_variants.contains(&v) {
                            return None;
                        }
                        swing_value(
                            &variants[v].params().get(param).dist,
                            &InputKey::Param(param),
                            pos,
                            given_range,
                        )
                    })
                    .collect()
            })
            .collect();
        // Some variant takes another value at p90 than at p10 (all `None`: none swings).
        let moves = values[0] != values[4];
        if !moves {
            continue;
        }
        out.push(Swing {
            param: InputKey::Param(param),
            kind: if uncertain && given_range.is_none() {
                InputKind::Uncertain
            } else {
                InputKind::Fixed
            },
            values,
            given: given_range.is_some(),
        });
    }
    out.extend(event_swings(s, target_variants, given));
    out
}

/// The swings of the events' numbers that touch the target's variants: an uncertain one
/// from p10 to p90, a fixed one the file set (a multiplier other than 1, a campaign term
/// other than 0, a tariff's duty rate) by ±20%, within the field's range. An event is the
/// study's, so its value is the same for every variant it touches.
fn event_swings(
    s: &Scenario,
    target_variants: &[usize],
    given: &[(InputKey, f64, f64)],
) -> Vec<Swing> {
    let variants = s.spec().variants();
    let mut out = Vec::new();
    for event in s.spec().events() {
        let touched: Vec<usize> = target_variants
            .iter()
            .copied()
            .filter(|&v| event.applies_to(variants[v].setting().market))
            .collect();
        if touched.is_empty() {
            continue;
        }
        for field in EventField::ALL {
            let Some(dist) = field.get(event) else {
                continue;
            };
            let neutral = match field {
                EventField::Factor(_) => Some(1.0),
                EventField::Campaign(_) => Some(0.0),
                EventField::DutyRate => None,
            };
            let key = InputKey::Event(EventKey {
                event: event.name().to_string(),
                field,
            });
            let given_range = given.iter().find(|g| g.0 == key).map(|g| (g.1, g.2));
            if dist.is_fixed() && neutral == Some(dist.mean()) && given_range.is_none() {
                continue;
            }
            let values: Vec<Vec<Option<f64>>> = POSITIONS
                .iter()
                .map(|&pos| {
                    let x = swing_value(dist, &key, pos, given_range);
                    (0..variants.len())
                        .map(|v| if touched.contains(&v) { x } else { None })
                        .collect()
                })
                .collect();
            if values[0] == values[4] {
                continue;
            }
            out.push(Swing {
                param: key,
                kind: if dist.is_fixed() || given_range.is_some() {
                    InputKind::Fixed
                } else {
                    InputKind::Uncertain
                },
                values,
                given: given_range.is_some(),
            });
        }
    }
    out
}

impl Swing {
    /// The input's ends for `target`, `16 → 24` (the first variant of the target that
    /// swings; for a difference whose variants swing over different ranges, both, A's
    /// first): empty when it does not swing on the target.
    pub fn range(&self, target: &Target) -> String {
        let range = |v: usize| match (self.values[0][v], self.values[4][v]) {
            (Some(lo), Some(hi)) => Some(format!(
                "{} → {}",
                crate::format::fmt_significant(lo),
                crate::format::fmt_significant(hi)
            )),
            _ => None,
        };
        let ranges: Vec<String> = match *target {
            Target::Variant(i) => range(i).into_iter().collect(),
            // A fixed input of one (±20%) against an uncertain one of the other (p10-p90).
            Target::Difference { a, b } => {
                let (ra, rb) = (range(a), range(b));
                if ra == rb {
                    ra.into_iter().collect()
                } else {
                    [ra.unwrap_or("—".to_string()), rb.unwrap_or("—".to_string())].to_vec()
                }
            }
        };
        ranges.join(" / ")
    }

    /// `price.retail 16 → 24`: the input and its ends for `target` (see [`Swing::range`]).
    pub fn label(&self, target: &Target) -> String {
        let range = self.range(target);
        if range.is_empty() {
            self.param.key().to_string()
        } else {
            format!("{} {range}", self.param.key())
        }
    }

    /// Whether `c` is this swing's input's rank correlation.
    pub fn is_input_of(&self, c: &Correlation) -> bool {
        match &self.param {
            InputKey::Param(p) => c.param == Some(*p),
            InputKey::Event(e) => c.param.is_none() && c.input == e.key(),
        }
    }
}

/// The point that sets `swing` at position `k`; `s` is the study the swing was made for
/// (its variants are the swing's).
pub fn swing_point(s: &Scenario, swing: &Swing, k: usize) -> Point {
    // Each value names its variant: a study of some of a file's variants must not set the
    // others (the file is validated whole).
    let variants = s.spec().variants();
    let source = format!("sensitivity swing of {}", swing.param.key());
    let mut values: Vec<PointValue> = swing.values[k]
        .iter()
        .enumerate()
        .filter_map(|(v, x)| x.map(|x| (v, x)))
        .map(|(v, x)| PointValue {
            param: swing.param.clone(),
            dist: Dist::fixed(x).expect("finite"),
            source: source.clone(),
            variant: Some(variants[v].name().to_string()),
        })
        .collect();
    // An event's number is the study's: set once, for every variant.
    if matches!(swing.param, InputKey::Event(_)) {
        values.truncate(1);
        for v in &mut values {
            v.variant = None;
        }
    }
    Point {
        name: format!("{} {}", swing.param.key(), k),
        values,
        variant: None,
        // A swing moves its input alone: a correlated input's pairs are left out.
        moves_alone: true,
    }
}

/// An uncertain input's values in every trial: catalog parameters by key, event
/// multipliers as `event.<name>.<factor>`.
pub struct InputSeries {
    /// How the input is named.
    pub name: String,
    /// The catalog parameter, when it is one.
    pub param: Option<P>,
    /// Its value in each trial, per variant of the target (the first that varies).
    pub values: Vec<f64>,
}

/// The uncertain inputs of the target's variants and their values in trials `0..n`, as
/// the run drew them (the same streams).
pub fn input_series(s: &Scenario, target_variants: &[usize], n: u64) -> Vec<InputSeries> {
    let spec = s.spec();
    let variants = spec.variants();
    let sampled: Vec<Vec<inputs::TrialInputs>> = target_variants
        .iter()
        .map(|&v| {
            let variant = &variants[v];
            inputs::sample_batch(variant, spec.events(), spec.seed(), 0..n, spec.sampling())
        })
        .collect();
    let mut out = Vec::new();
    for p in crate::params::SPECS.iter().map(|x| x.id) {
        let Some(k) = target_variants
            .iter()
            .position(|&v| !variants[v].params().get(p).dist.is_fixed())
        else {
            continue;
        };
        out.push(InputSeries {
            name: p.key().to_string(),
            param: Some(p),
            values: sampled[k].iter().map(|t| t[p]).collect(),
        });
    }
    for (e, event) in spec.events().iter().enumerate() {
        for (f, factor) in crate::sim::EventFactor::ALL.iter().enumerate() {
            if event.multipliers()[f].is_fixed() {
                continue;
            }
            out.push(InputSeries {
                name: format!("event.{}.{}", event.name(), factor.key()),
                param: None,
                values: sampled[0]
                    .iter()
                    .map(|t| t.event_multipliers[e][f])
                    .collect(),
            });
        }
    }
    out
}

/// The base run: every trial's target value, and the analysis.
pub struct BaseRun {
    /// Per target, its value in each trial (NaN where undefined).
    pub values: Vec<Vec<f64>>,
    /// Per variant, the metric in each trial (NaN where undefined).
    pub by_variant: Vec<Vec<f64>>,
    /// The run's analysis.
    pub analysis: StudyAnalysis,
}

/// Runs the study once, keeping each target's value per trial.
pub fn base_run(s: &Scenario, targets: &[Target], metric: Metric) -> Result<BaseRun> {
    let spec = s.spec();
    let pairs = stats::analysis::study_pairs(spec, s.baseline());
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); targets.len()];
    let mut by_variant: Vec<Vec<f64>> = vec![Vec::new(); spec.variants().len()];
    let mut keep = |_first: u64, batch: &[Vec<Outputs>]| -> Result<()> {
        let count = batch.first().map_or(0, Vec::len);
        for t in 0..count {
            let trial: Vec<&Outputs> = batch.iter().map(|v| &v[t]).collect();
            for (target, out) in targets.iter().zip(values.iter_mut()) {
                out.push(target.value(&trial, metric));
            }
            for (v, out) in trial.iter().zip(by_variant.iter_mut()) {
                out.push(v[metric]);
            }
        }
        Ok(())
    };
    let results = StudyAccumulator::run(
        spec,
        0,
        spec.trials(),
        DrawMethod::PerDay,
        &pairs,
        &|_| {},
        Some(&mut keep),
    )?;
    let analysis = stats::analyze(spec, &results, s.baseline());
    Ok(BaseRun {
        values,
        by_variant,
        analysis,
    })
}

/// A rank correlation of one input with one target.
pub struct Correlation {
    /// Index of the target.
    pub target: usize,
    /// The input's name.
    pub input: String,
    /// The catalog parameter, when it is one.
    pub param: Option<P>,
    /// ρ and its interval.
    pub rank: RankCorrelation,
}

/// Spearman's ρ of every uncertain input of each target with the target's values.
pub fn correlations(s: &Scenario, targets: &[Target], base: &BaseRun) -> Vec<Correlation> {
    let mut out = Vec::new();
    for (t, target) in targets.iter().enumerate() {
        let n = base.values[t].len() as u64;
        for series in input_series(s, &target.variants(), n) {
            out.push(Correlation {
                target: t,
                input: series.name,
                param: series.param,
                rank: spearman(&series.values, &base.values[t]),
            });
        }
    }
    out
}

/// Runs every swing at the given positions (points side by side) and returns, per swing
/// and position, the study's result. `study` is the study the swings were made for (the
/// variants `base` keeps, in order): a swing's values are indexed by its variants.
pub fn run_swings(
    base: &Base<'_>,
    study: &Scenario,
    swings: &[Swing],
    positions: &[usize],
    threads: usize,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<Vec<PointResult>>> {
    let points: Vec<Point> = swings
        .iter()
        .flat_map(|sw| positions.iter().map(move |&k| swing_point(study, sw, k)))
        .collect();
    let prepared: Vec<PreparedPoint> = points::prepare(base, points)?;
    let mut results = points::run_points(&prepared, DrawMethod::PerDay, threads, done)?.into_iter();
    Ok(swings
        .iter()
        .map(|_| positions.iter().filter_map(|_| results.next()).collect())
        .collect())
}

/// One target's effect of one swing: the output's mean at each position run.
pub struct Effect {
    /// The mean at each position (NaN where not run).
    pub at: [f64; 5],
    /// The standard error of the bar's width (`at[4] − at[0]`), from the paired trials
    /// (0 when the input shifts every trial alike; NaN when unknown).
    pub width_se: f64,
    /// The standard errors of the low and high ends' paired differences from the base
    /// run's mean (NaN when unknown).
    pub ends_se: [f64; 2],
    /// Trials the swing ran (0: it moves none of the target's variants).
    pub trials: u64,
}

impl Effect {
    /// |high − low|: the bar's width.
    pub fn width(&self) -> f64 {
        (self.at[4] - self.at[0]).abs()
    }
}

/// The indices of the `n` widest non-zero swings, widest first (ties in catalog order).
pub fn widest(effects: &[Effect], n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..effects.len())
        .filter(|&i| effects[i].width() > 0.0)
        .collect();
    order.sort_by(|&a, &b| effects[b].width().total_cmp(&effects[a].width()));
    order.truncate(n);
    order
}

/// Whether a parameter was set by the scenario or a CSV (for the table's `set_by`).
pub fn set_by(s: &Scenario, variant: usize, p: P) -> Layer {
    s.spec().variants()[variant].params().get(p).layer
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::scenario;

    #[test]
    fn a_count_swings_over_the_whole_numbers_inside_its_given_interval() {
        let ramp = Dist::fixed(30.0).unwrap();
        let key = InputKey::Param(P::RampDays);
        let value = |pos| swing_value(&ramp, &key, pos, Some((10.4, 40.6)));
        assert_eq!(
            [0.0, 0.5, 1.0].map(value),
            [Some(11.0), Some(26.0), Some(40.0)]
        );
        // The check agrees: an interval holding no whole number is refused; one whose
        // ends lie outside the range is refused naming the end typed.
        let accounts = InputKey::Param(P::ChannelAccounts);
        assert!(accounts.check_between(1.2, 1.8).is_err());
        let e = accounts.check_between(10.5, 10.9).unwrap_err().to_string();
        assert!(
            e.contains("value 10.5 is outside the valid range [0, 4]"),
            "{e}"
        );
        assert!(key.check_between(10.4, 40.6).is_ok());
    }

    #[test]
    fn a_fixed_value_at_an_end_of_its_valid_range_swings_one_way_only() {
        // demand.route_factor is valid from 0 to 1: at 1, +20% is capped at 1.
        let at_max = Dist::fixed(1.0).unwrap();
        let value = |pos| swing_value(&at_max, &InputKey::Param(P::RouteFactor), pos, None);
        assert_eq!(value(0.0), Some(0.8));
        assert_eq!(value(0.5), Some(1.0));
        assert_eq!(value(1.0), Some(1.0));
        // Inside the range both ways: 0.5 swings 0.4 → 0.6.
        let inside = Dist::fixed(0.5).unwrap();
        assert_eq!(
            swing_value(&inside, &InputKey::Param(P::RouteFactor), 0.0, None),
            Some(0.4)
        );
        assert_eq!(
            swing_value(&inside, &InputKey::Param(P::RouteFactor), 1.0, None),
            Some(0.6)
        );
    }

    /// A self-operated variant and a managed one, both with an uncertain ERP cost, which
    /// enters only self-operated profit (−ERP × 60 days, exactly): for the managed shop it
    /// is an input that does not enter the model.
    pub(crate) const STUDY: &str = r#"name = "sens"
trials = 1500
horizon_days = 60
seed = 21
[base]
market = "us"
category = "beauty"
demand.daily_cv = "uniform(0.1, 0.5)"
tools.erp_cost_per_day = "uniform(0, 40)"
[[variant]]
name = "self"
model = "self_operated"
route = "fbt"
[[variant]]
name = "managed"
model = "fully_managed"
"#;

    fn scenario() -> Scenario {
        scenario::parse(STUDY, "sens.toml", None).unwrap()
    }

    #[test]
    fn an_events_numbers_swing_for_every_variant_and_unset_ones_do_not() {
        let text = STUDY.replace(
            "[[variant]]\nname = \"self\"",
            "[[events]]\nname = \"peak\"\nstart_day = 20\nend_day = 25\ndemand_multiplier = \"uniform(2, 3)\"\nlost_multiplier = 1.4\n[[variant]]\nname = \"self\"",
        );
        let s = scenario::parse(&text, "sens.toml", None).unwrap();
        let all = swings(&s, &[0, 1], &[]);
        let find = |key: &str| all.iter().find(|w| w.param.key() == key);
        let demand = find("event.peak.demand_multiplier").expect("an uncertain multiplier swings");
        assert_eq!(demand.kind, InputKind::Uncertain);
        // p10 and p90 of uniform(2, 3), the same for both variants.
        for (k, expected) in [(0, 2.1), (4, 2.9)] {
            for v in [0, 1] {
                let x = demand.values[k][v].unwrap();
                assert!((x - expected).abs() < 1e-9, "{x}");
            }
        }
        let lost = find("event.peak.lost_multiplier").expect("a multiplier the file set swings");
        assert_eq!(lost.kind, InputKind::Fixed);
        assert!((lost.values[0][0].unwrap() - 1.12).abs() < 1e-9);
        assert!((lost.values[4][1].unwrap() - 1.68).abs() < 1e-9);
        // Unset: a multiplier of 1, a campaign term of 0.
        assert!(find("event.peak.delay_multiplier").is_none());
        assert!(find("event.peak.campaign_price_cut").is_none());
        // `--swing` gives an unset one a range.
        let delay = InputKey::parse("event.peak.delay_multiplier").unwrap();
        let given = swings(&s, &[0, 1], &[(delay.clone(), 1.0, 2.0)]);
        let swung = given.iter().find(|w| w.param == delay).unwrap();
        assert!(swung.given);
        assert_eq!(
            (swung.values[0][0], swung.values[4][1]),
            (Some(1.0), Some(2.0))
        );
        // One value for the study, not one per variant.
        let point = swing_point(&s, demand, 4);
        assert_eq!(point.values.len(), 1);
        assert_eq!(point.values[0].variant, None);
        // A swing point is the study with that value: more peak demand, more orders.
        let base = Base {
            scenario: &s,
            csv: None,
            variants: &[],
            trials: Some(200),
            seed: None,
        };
        let prepared = points::prepare(
            &base,
            vec![swing_point(&s, demand, 0), swing_point(&s, demand, 4)],
        )
        .unwrap();
        let results = points::run_points(&prepared, DrawMethod::PerDay, 1, &|| {}).unwrap();
        let orders = |r: &PointResult| {
            r.analysis.variants[1]
                .summary(Metric::Orders)
                .map(|x| x.mean.point)
                .unwrap()
        };
        assert!(orders(&results[0]) < orders(&results[1]));
    }

    #[test]
    fn a_difference_is_labelled_as_one_with_its_unit() {
        let s = scenario();
        let currency = s.currency().to_string();
        let level = Target::Variant(0).value_label(&s, Metric::Profit);
        assert_eq!(level, format!("mean profit of self ({currency})"));
        let diff = Target::Difference { a: 0, b: 1 }.value_label(&s, Metric::Profit);
        assert!(diff.starts_with("difference in mean profit"), "{diff}");
        assert!(diff.contains("self − managed"), "{diff}");
        assert!(diff.ends_with(&format!("({currency})")), "{diff}");
        let rate = Target::Variant(1).value_label(&s, Metric::ReturnRate);
        assert!(!rate.contains(&currency), "{rate}");
    }

    #[test]
    fn an_input_that_does_not_enter_gets_no_correlation_and_no_swing() {
        let s = scenario();
        let targets = [Target::Variant(0), Target::Variant(1)];
        let base = base_run(&s, &targets, Metric::Profit).unwrap();
        let rho = |t: usize, key: &str| {
            correlations(&s, &targets, &base)
                .into_iter()
                .find(|c| c.target == t && c.input == key)
                .map(|c| c.rank)
                .unwrap()
        };
        // The ERP cost is paid by the self-operated shop only: negative there (other
        // inputs share the variance), 0 within its interval for the managed one.
        let erp_self = rho(0, "tools.erp_cost_per_day");
        assert!(erp_self.high < 0.0, "{erp_self:?}");
        let erp_managed = rho(1, "tools.erp_cost_per_day");
        assert!(
            erp_managed.low <= 0.0 && 0.0 <= erp_managed.high,
            "{erp_managed:?}"
        );
        assert!(erp_managed.rho.abs() < 0.08, "{erp_managed:?}");

        // Swings on common random numbers: the ERP cost moves self-operated profit by
        // exactly (p90 − p10) × 60 = (36 − 4) × 60 and managed profit by nothing.
        let all = swings(&s, &[0, 1], &[]);
        let erp = all
            .iter()
            .find(|w| w.param == InputKey::Param(P::ErpCostPerDay))
            .unwrap()
            .clone();
        let b = Base {
            scenario: &s,
            csv: None,
            variants: &[],
            trials: Some(300),
            seed: None,
        };
        let r = run_swings(&b, &s, &[erp], &[0, 4], 2, &|| {}).unwrap();
        let at = |k: usize, v: usize| Target::Variant(v).mean(&r[0][k].analysis, Metric::Profit);
        let width_self = at(0, 0) - at(1, 0);
        assert!((width_self - 32.0 * 60.0).abs() < 1e-6, "{width_self}");
        assert_eq!(at(0, 1), at(1, 1));
    }

    #[test]
    fn fixed_inputs_swing_by_a_fifth_and_zeros_and_switches_do_not() {
        let s = scenario();
        let all = swings(&s, &[0], &[]);
        let staff = all
            .iter()
            .find(|w| w.param == InputKey::Param(P::StaffCostPerDay));
        if let Some(staff) = staff {
            if staff.kind == InputKind::Fixed {
                let base = s.spec().variants()[0]
                    .params()
                    .get(P::StaffCostPerDay)
                    .dist
                    .mean();
                assert_eq!(staff.values[0][0], Some(base * 0.8));
                assert_eq!(staff.values[4][0], Some(base * 1.2));
            }
        }
        assert!(all
            .iter()
            .all(|w| w.param != InputKey::Param(P::InventoryEnabled)));
        // The managed variant is not a target: it keeps its values.
        assert!(all
            .iter()
            .all(|w| w.values.iter().all(|pos| pos[1].is_none())));
        let given = swings(&s, &[0], &[(InputKey::Param(P::RetailPrice), 10.0, 30.0)]);
        let price = given
            .iter()
            .find(|w| w.param == InputKey::Param(P::RetailPrice))
            .unwrap();
        assert_eq!(price.values[0][0], Some(10.0));
        assert_eq!(price.values[2][0], Some(20.0));
        assert!(price.given);
    }

    #[test]
    fn swings_of_some_variants_reach_the_variants_they_were_made_for() {
        // The file has three variants; the study keeps the last two, whose indices there
        // are 0 and 1. A swing made for them must set them, not the file's first two.
        let text = STUDY.replace(
            "[[variant]]\nname = \"self\"",
            "[[variant]]\nname = \"first\"\nmodel = \"self_operated\"\nroute = \"platform_shipping\"\n[[variant]]\nname = \"self\"",
        );
        let full = scenario::parse(&text, "sens.toml", None).unwrap();
        let kept = vec!["self".to_string(), "managed".to_string()];
        let mut study = full.clone();
        study.keep_variants(&kept).unwrap();
        let staff = swings(
            &study,
            &[0, 1],
            &[(InputKey::Param(P::StaffCostPerDay), 10.0, 50.0)],
        )
        .into_iter()
        .find(|w| w.param == InputKey::Param(P::StaffCostPerDay))
        .unwrap();
        let b = Base {
            scenario: &full,
            csv: None,
            variants: &kept,
            trials: Some(200),
            seed: None,
        };
        let swung = run_swings(&b, &study, &[staff], &[0], 2, &|| {}).unwrap();
        let by_hand = points::prepare(
            &b,
            vec![Point {
                name: "staff 10".to_string(),
                values: vec![PointValue {
                    param: crate::points::key::InputKey::Param(P::StaffCostPerDay),
                    dist: Dist::fixed(10.0).unwrap(),
                    source: String::new(),
                    variant: None,
                }],
                variant: None,
                moves_alone: false,
            }],
        )
        .unwrap();
        let reference = points::run_points(&by_hand, DrawMethod::PerDay, 2, &|| {}).unwrap();
        // Debug text, not `==`: undefined outputs are NaN, which is never equal to itself.
        assert_eq!(
            format!("{:?}", swung[0][0].analysis),
            format!("{:?}", reference[0].analysis)
        );
    }

    #[test]
    fn a_correlated_input_swings_alone_and_a_sweep_cannot_fix_it() {
        // The ERP cost moves with demand's day-to-day spread: a rank correlation of 0.6.
        let text = STUDY.replace(
            "[[variant]]\nname = \"self\"",
            "[correlations]\n\"demand.daily_cv,tools.erp_cost_per_day\" = 0.6\n[[variant]]\nname = \"self\"",
        );
        let s = scenario::parse(&text, "sens.toml", None).unwrap();
        assert_eq!(s.spec().variants()[0].correlations().len(), 1);
        let all = swings(&s, &[0, 1], &[]);
        let find = |p: P| {
            all.iter()
                .find(|w| w.param == InputKey::Param(p))
                .cloned()
                .unwrap_or_else(|| panic!("{} swings", p.key()))
        };
        let erp = find(P::ErpCostPerDay);
        let spread = find(P::DailyCv);
        let b = Base {
            scenario: &s,
            csv: None,
            variants: &[],
            trials: Some(300),
            seed: None,
        };
        // At a swing's end the pair is left out and the other input keeps its distribution.
        let ends = points::prepare(&b, vec![swing_point(&s, &erp, 0)]).unwrap();
        let at_end = &ends[0].scenario.spec().variants()[0];
        assert!(at_end.correlations().is_empty());
        assert!(!at_end.params().get(P::DailyCv).dist.is_fixed());
        assert_eq!(at_end.params().get(P::ErpCostPerDay).dist.mean(), 4.0);
        // Moving alone on common random numbers, the ERP cost moves self-operated profit
        // by exactly (p90 − p10) × 60, as without the correlation.
        let r = run_swings(&b, &s, &[erp, spread], &[0, 4], 2, &|| {}).unwrap();
        let at = |i: usize, k: usize| Target::Variant(0).mean(&r[i][k].analysis, Metric::Profit);
        let width = at(0, 0) - at(0, 1);
        assert!((width - 32.0 * 60.0).abs() < 1e-6, "{width}");
        assert!(at(1, 0).is_finite() && at(1, 1).is_finite());
        // A sweep point fixing it is refused, naming the pair: a sweep asks for the study
        // at that value, which a correlated input cannot take alone unannounced.
        let mut fixed = swing_point(&s, &find(P::ErpCostPerDay), 0);
        fixed.moves_alone = false;
        let refused = points::prepare(&b, vec![fixed]).unwrap_err().to_string();
        assert!(
            refused.contains("demand.daily_cv,tools.erp_cost_per_day"),
            "{refused}"
        );
    }
}
