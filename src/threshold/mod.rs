//! Break-even thresholds: the value of a parameter at which variant A starts to beat
//! variant B with a given probability. Every value runs the study's A and B on the same
//! seeds, so P(A beats B) moves smoothly with the value; [`search`] finds where it crosses
//! the target and the interval its Monte Carlo error leaves.

pub mod page;
pub mod record;
pub mod search;

use anyhow::Result;

use crate::error::{printable, InputError, Kind, Problem};
use crate::params::Dist;
use crate::points::key::InputKey;
use crate::points::point::{Point, PointValue};
use crate::points::{self, Base, PointResult};
use crate::scenario::Scenario;
use crate::sim::{DrawMethod, Metric, StudySpec};
use search::Estimate;

/// Its result folder, `<study>-threshold`: `threshold.json` (written last) names the study.
pub const FOLDER: crate::output::FolderKind = crate::output::FolderKind::analysis(
    "threshold",
    "-threshold",
    "threshold.json",
    "a threshold",
    &["threshold.csv", "charts", "report.html", "threshold.json"],
);

/// A threshold question, checked.
pub struct Question<'a> {
    /// The study, the CSV, the two variants kept, trials and seed.
    pub base: Base<'a>,
    /// The parameter (or event number) moved.
    pub param: InputKey,
    /// The variant it moves on (`None`: every variant).
    pub on: Option<String>,
    /// Index of A and B among the kept variants.
    pub a: usize,
    /// Index of B.
    pub b: usize,
    /// The output compared.
    pub metric: Metric,
}

/// One value run: the value and its study's result.
pub struct Run {
    /// The parameter's value.
    pub value: f64,
    /// The study of A and B at that value.
    pub result: PointResult,
}

/// The numeric catalog parameter or event number `key` a threshold can move, or why not.
pub fn threshold_param(key: &str) -> Result<InputKey, InputError> {
    let p = InputKey::parse(key).map_err(|message| {
        InputError::one(Problem::general(
            Kind::UnknownKey,
            format!("--param: {message}"),
        ))
    })?;
    if p.is_switch() {
        return Err(InputError::one(Problem::general(
            Kind::WrongType,
            format!(
                "--param: `{key}` is an on/off switch, not a number a threshold can lie on: compare its two settings as variants (`shopsim run`) instead"
            ),
        )));
    }
    Ok(p)
}

/// The variants a threshold compares, checked against the study, every problem at once:
/// an unknown `--a`, `--b` or `--on`, A and B the same, `--on` with an event's number
/// (every variant shares it) or on a variant not compared. Returns A and B in the study's
/// order.
pub fn compared_variants(
    scenario: &Scenario,
    (a, b): (&str, &str),
    on: Option<&str>,
    param: &InputKey,
) -> Result<Vec<String>, InputError> {
    let mut problems: Vec<Problem> = [("--a", Some(a)), ("--b", Some(b)), ("--on", on)]
        .into_iter()
        .filter_map(|(flag, name)| name.map(|n| (flag, n)))
        .flat_map(|(flag, name)| scenario.unknown_variant(flag, name))
        .collect();
    if a == b {
        problems.push(Problem::general(
            Kind::Conflict,
            "--a and --b name the same variant: a threshold compares two".to_string(),
        ));
    }
    if let (Some(on), InputKey::Event(e)) = (on, param) {
        problems.push(Problem::general(
            Kind::Conflict,
            format!(
                "--on `{}`: `{e}` is an event's number, which every variant shares: drop --on",
                printable(on)
            ),
        ));
    }
    if let Some(on) = on.filter(|on| *on != a && *on != b) {
        problems.push(Problem::general(
            Kind::Conflict,
            format!(
                "--on `{}`: the parameter can move on --a or --b only (the others do not run)",
                printable(on)
            ),
        ));
    }
    if let Some(e) = InputError::from_problems(problems) {
        return Err(e);
    }
    Ok(scenario
        .spec()
        .variant_names()
        .into_iter()
        .filter(|n| n == a || n == b)
        .collect())
}

/// A value run whose study produced a non-finite output, as an error naming the value,
/// variant, output and trial.
pub fn check_finite(runs: &[Run], param: &InputKey, spec: &StudySpec) -> Result<(), InputError> {
    match runs.iter().find_map(|r| Some((r.value, r.result.non_finite.as_ref()?))) {
        Some((value, bad)) => Err(InputError::new(crate::error::Kind::OutOfRange, format!(
            "{}={value}: variant `{}`: `{}` is not finite in trial {}; the inputs are too extreme for the model",
            param.key(),
            spec.variants()[bad.variant].name(),
            bad.output().name(),
            bad.trial + 1
        ))),
        None => Ok(()),
    }
}

impl Question<'_> {
    /// The point that sets the parameter to `value` (on `--on`'s variant, or all).
    pub fn point_at(&self, value: f64) -> Point {
        Point {
            name: format!("{}={value}", self.param.key()),
            values: vec![PointValue {
                param: self.param.clone(),
                dist: Dist::fixed(value).expect("values are finite"),
                source: format!("--param {}", self.param.key()),
                variant: None,
            }],
            variant: self.on.clone(),
            moves_alone: false,
        }
    }

    /// Runs A and B at every value (side by side) and returns each value's P(A beats B)
    /// with its 95% interval; the runs are appended to `runs`.
    pub fn evaluate(
        &self,
        values: &[f64],
        threads: usize,
        runs: &mut Vec<Run>,
        done: &(dyn Fn() + Sync),
    ) -> Result<Vec<Estimate>> {
        let points: Vec<Point> = values.iter().map(|&v| self.point_at(v)).collect();
        let prepared = points::prepare(&self.base, points)?;
        let results = points::run_points(&prepared, DrawMethod::PerDay, threads, done)?;
        let mut estimates = Vec::with_capacity(values.len());
        for (&value, result) in values.iter().zip(results) {
            let (p, low, high) = points::beats(&result, self.a, self.b, self.metric);
            estimates.push(Estimate { p, low, high });
            runs.push(Run { value, result });
        }
        Ok(estimates)
    }
}

#[cfg(test)]
mod tests {
    use super::search::{search, End, Outcome, Search};
    use super::*;
    use crate::params::P;
    use crate::scenario;

    /// Two self-operated variants alike in everything but the ERP cost: A's is the
    /// threshold parameter, B's is drawn per trial from uniform(10, 30). On common random
    /// numbers A's profit minus B's is (B's cost − A's) × 60 days exactly, so
    /// P(A beats B) = P(U > x) = (30 − x) / 20: it crosses p at x = 30 − 20p.
    const STUDY: &str = r#"name = "erp"
trials = 2000
horizon_days = 60
seed = 11
[base]
market = "us"
category = "beauty"
[[variant]]
name = "a"
model = "self_operated"
route = "fbt"
[[variant]]
name = "b"
model = "self_operated"
route = "fbt"
tools.erp_cost_per_day = "uniform(10, 30)"
"#;

    fn find(prob: f64, lo: f64, hi: f64) -> Outcome {
        let s = scenario::parse(STUDY, "erp.toml", None).unwrap();
        let q = Question {
            base: Base {
                scenario: &s,
                csv: None,
                variants: &[],
                trials: None,
                seed: None,
            },
            param: InputKey::Param(P::ErpCostPerDay),
            on: Some("a".to_string()),
            a: 0,
            b: 1,
            metric: Metric::Profit,
        };
        let plan = Search {
            lo,
            hi,
            integer: false,
            target: prob,
            scan_points: 9,
            tolerance: 1e-3,
        };
        let mut runs = Vec::new();
        let mut evaluate = |xs: &[f64]| q.evaluate(xs, 2, &mut runs, &|| {});
        search(&plan, &mut evaluate).unwrap().0
    }

    #[test]
    fn the_crossing_of_an_analytic_case_lies_in_its_interval() {
        for prob in [0.5, 0.8, 0.25] {
            let truth = 30.0 - 20.0 * prob;
            let Outcome::Crosses {
                value, low, high, ..
            } = find(prob, 0.0, 40.0)
            else {
                panic!("no crossing at {prob}");
            };
            let (End::At(low), End::At(high)) = (low, high) else {
                panic!("open interval at {prob}");
            };
            assert!(
                low <= truth && truth <= high,
                "{prob}: {truth} not in [{low}, {high}]"
            );
            assert!(low <= value && value <= high);
            // The interval is about what 2,000 trials resolve: P's standard error
            // sqrt(p(1-p)/2000) ≈ 0.011 at 0.5, times 20 per unit of P, times ±1.96.
            let se = (prob * (1.0 - prob) / 2000.0f64).sqrt() * 20.0;
            assert!(
                high - low < 2.0 * 1.96 * se * 1.6,
                "{prob}: [{low}, {high}] too wide"
            );
            assert!(
                high - low > 2.0 * 1.96 * se * 0.6,
                "{prob}: [{low}, {high}] too narrow"
            );
        }
    }

    #[test]
    fn no_crossing_inside_the_interval_is_reported() {
        assert_eq!(find(0.5, 31.0, 40.0), Outcome::Never);
    }

    #[test]
    fn switches_and_bad_intervals_are_refused() {
        assert!(threshold_param("price.retial")
            .unwrap_err()
            .to_string()
            .contains("did you mean `price.retail`"));
        assert!(threshold_param("inventory.enabled")
            .unwrap_err()
            .to_string()
            .contains("on/off switch"));
        assert!(InputKey::Param(P::RetailPrice)
            .check_between(30.0, 10.0)
            .is_err());
        assert!(InputKey::Param(P::RetailPrice)
            .check_between(-5.0, 10.0)
            .is_err());
        assert!(InputKey::Param(P::RetailPrice)
            .check_between(5.0, 10.0)
            .is_ok());
    }
}
