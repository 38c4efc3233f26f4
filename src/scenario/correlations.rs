//! A scenario's `[correlations]` table and a correlations CSV (`--params`): which
//! uncertain inputs move together, as rank correlations. Checked per variant once its
//! parameters are final: each pair names two different uncertain inputs, each value lies
//! in [−1, 1], and together they make a positive definite matrix.
//!
//! ```toml
//! [correlations]
//! "demand.managed_orders_per_day,price.supply_markup" = -0.5
//! ```
//!
//! Precedence, per unordered pair: the scenario's table, then CSV rows for every variant,
//! then CSV rows naming the variant.

use std::collections::BTreeMap;

use super::raw::RawValue;
use super::validator::Validator;
use super::Overrides;
use crate::error::{printable, Kind, Problem};
use crate::params::P;
use crate::sim::correlate::{is_positive_definite, InputCorrelation};

/// The most inputs a variant may correlate: Iman–Conover re-pairs a Latin hypercube block
/// of [`crate::sim::inputs::LHS_BLOCK`] trials, and needs more trials than inputs (with a
/// margin of one). The same limit holds with `--sampling mc`, so that a scenario valid
/// with one method is valid with the other.
pub const MAX_CORRELATED_INPUTS: usize = crate::sim::inputs::LHS_BLOCK as usize - 2;
use crate::sim::VariantSpec;

/// A pair as read, before the variants are known.
#[derive(Clone, Debug)]
pub(super) struct Pair {
    a: P,
    b: P,
    rho: f64,
    /// The variant it is for; `None`: every variant.
    variant: Option<String>,
    /// `file:line`, for messages and provenance.
    source: String,
}

impl Validator<'_> {
    /// The scenario's `[correlations]` table, checked (each problem reported at its line).
    pub(super) fn correlation_table(
        &mut self,
        raw: Option<&BTreeMap<String, RawValue>>,
    ) -> Vec<Pair> {
        let mut out: Vec<Pair> = Vec::new();
        for (key, value) in raw.into_iter().flatten() {
            let span = value.span();
            let line = self.line_of(span.start);
            let at = format!("[correlations] `{}`", printable(key));
            let Some((a, b)) = key.split_once(',') else {
                self.problem(
                    span,
                    Kind::Syntax,
                    key,
                    format!("{at}: name two inputs separated by a comma, e.g. \"demand.managed_orders_per_day,price.supply_markup\" = -0.5"),
                );
                continue;
            };
            let mut keys = Vec::new();
            for k in [a.trim(), b.trim()] {
                match P::from_key(k) {
                    Some(p) => keys.push(p),
                    None => self.problem(
                        span.clone(),
                        Kind::UnknownKey,
                        key,
                        format!(
                            "{at}: unknown parameter `{}`{}",
                            printable(k),
                            crate::suggest::hint(k, crate::params::catalog::keys())
                        ),
                    ),
                }
            }
            let rho = match value.get_ref() {
                toml::Value::Float(f) => Some(*f),
                toml::Value::Integer(i) => Some(*i as f64),
                _ => None,
            };
            let Some(rho) = rho.filter(|r| (-1.0..=1.0).contains(r)) else {
                self.problem(
                    span,
                    Kind::OutOfRange,
                    key,
                    format!(
                        "{at}: a rank correlation is a number from -1 to 1; found {}",
                        super::validator::describe(value.get_ref())
                    ),
                );
                continue;
            };
            let [a, b] = keys[..] else { continue };
            let pair = Pair {
                a,
                b,
                rho,
                variant: None,
                source: format!("{}:{line}", self.origin()),
            };
            if let Some(problem) = same_or_twice(&pair, &out) {
                self.problem(span, Kind::Conflict, key, format!("{at}: {problem}"));
                continue;
            }
            out.push(pair);
        }
        out
    }
}

/// Why a pair cannot be added to `seen` (same key twice, or a pair already set), if so.
fn same_or_twice(pair: &Pair, seen: &[Pair]) -> Option<String> {
    if pair.a == pair.b {
        return Some(format!(
            "`{}` with itself: a correlation needs two inputs",
            pair.a.key()
        ));
    }
    seen.iter()
        .find(|s| same_pair(s, pair) && s.variant == pair.variant)
        .map(|s| format!("the pair is already set ({})", s.source))
}

fn same_pair(x: &Pair, y: &Pair) -> bool {
    (x.a == y.a && x.b == y.b) || (x.a == y.b && x.b == y.a)
}

/// The CSV's correlation rows as pairs, with a problem for each that is set twice.
pub(super) fn csv_pairs(overrides: Option<&Overrides>) -> (Vec<Pair>, Vec<Problem>) {
    let mut out: Vec<Pair> = Vec::new();
    let mut problems = Vec::new();
    for c in overrides
        .map(|o| o.correlations.as_slice())
        .unwrap_or_default()
    {
        let pair = Pair {
            a: c.a,
            b: c.b,
            rho: c.rho,
            variant: c.variant.clone(),
            source: c.source.clone(),
        };
        match same_or_twice(&pair, &out) {
            Some(problem) => problems.push(Problem::general(
                Kind::Conflict,
                format!(
                    "{}: correlation `{},{}`: {problem}",
                    pair.source,
                    pair.a.key(),
                    pair.b.key()
                ),
            )),
            None => out.push(pair),
        }
    }
    (out, problems)
}

/// Gives each variant its correlations (the scenario's, then the CSV's for every variant,
/// then those naming it) and checks them against its final parameters. A pair with an
/// input in `moved_alone` for the variant (a sensitivity swing's) is left out.
pub(super) fn assign(
    variants: &mut [VariantSpec],
    scenario: &[Pair],
    csv: &[Pair],
    moved_alone: &[(P, Option<String>)],
) -> Vec<Problem> {
    let mut findings = ByVariant::default();
    for v in variants.iter_mut() {
        let mut chosen: Vec<&Pair> = Vec::new();
        let layers = [
            scenario.iter().collect::<Vec<_>>(),
            csv.iter().filter(|p| p.variant.is_none()).collect(),
            csv.iter()
                .filter(|p| p.variant.as_deref() == Some(v.name()))
                .collect(),
        ];
        for layer in layers {
            for pair in layer {
                chosen.retain(|c| !same_pair(c, pair));
                chosen.push(pair);
            }
        }
        let alone = |p: P| {
            moved_alone
                .iter()
                .any(|(q, on)| *q == p && on.as_deref().is_none_or(|n| n == v.name()))
        };
        chosen.retain(|pair| !alone(pair.a) && !alone(pair.b));
        let mut ok = true;
        for pair in &chosen {
            for k in [pair.a, pair.b] {
                let dist = &v.params().get(k).dist;
                if dist.is_fixed() {
                    ok = false;
                    findings.add(
                        format!(
                            "{}: correlation `{},{}`: `{}` is fixed in",
                            pair.source,
                            pair.a.key(),
                            pair.b.key(),
                            k.key()
                        ),
                        v.name(),
                        format!("(value {dist}): only uncertain inputs can be correlated; give it a distribution or drop the pair"),
                    );
                }
            }
        }
        let correlations: Vec<InputCorrelation> = chosen
            .iter()
            .map(|p| InputCorrelation {
                a: p.a,
                b: p.b,
                rho: p.rho,
                source: p.source.clone(),
            })
            .collect();
        let inputs = crate::sim::correlate::correlated_keys(&correlations).len();
        if inputs > MAX_CORRELATED_INPUTS {
            ok = false;
            findings.add(
                String::new(),
                v.name(),
                format!(
                    ": {inputs} inputs are correlated ({}); at most {MAX_CORRELATED_INPUTS} can be, with either sampling method: a Latin hypercube block of {} trials re-pairs them (Iman–Conover needs more trials than inputs); correlate fewer",
                    correlations
                        .iter()
                        .map(|c| format!("`{},{}` ({})", c.a.key(), c.b.key(), c.source))
                        .collect::<Vec<_>>()
                        .join(", "),
                    crate::sim::inputs::LHS_BLOCK
                ),
            );
        }
        if ok && !is_positive_definite(&correlations) {
            findings.add(
                String::new(),
                v.name(),
                format!(
                    ": these rank correlations cannot hold together (their matrix is not positive definite): {}; weaken some of them",
                    correlations
                        .iter()
                        .map(|c| format!("`{},{}` = {} ({})", c.a.key(), c.b.key(), c.rho, c.source))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        v.set_correlations(correlations);
    }
    findings.problems()
}

/// Problems that several variants share, said once with every variant named ("is fixed
/// in variants `a`, `b` and `c`") instead of once per variant, in the order first found.
#[derive(Default)]
struct ByVariant {
    /// The text before and after the variants, and the variants.
    findings: Vec<(String, String, Vec<String>)>,
}

impl ByVariant {
    fn add(&mut self, before: String, variant: &str, after: String) {
        let variant = format!("`{}`", printable(variant));
        match self
            .findings
            .iter_mut()
            .find(|(b, a, _)| *b == before && *a == after)
        {
            Some((_, _, variants)) => variants.push(variant),
            None => self.findings.push((before, after, vec![variant])),
        }
    }

    fn problems(self) -> Vec<Problem> {
        self.findings
            .into_iter()
            .map(|(before, after, variants)| {
                let named = match variants.as_slice() {
                    [one] => format!("variant {one}"),
                    [rest @ .., last] => format!("variants {} and {last}", rest.join(", ")),
                    [] => unreachable!("a finding has a variant"),
                };
                let lead = if before.is_empty() {
                    named
                } else {
                    format!("{before} {named}")
                };
                let gap = if after.starts_with(':') { "" } else { " " };
                Problem::general(Kind::Conflict, format!("{lead}{gap}{after}"))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::params::P;
    use crate::scenario;
    use crate::sim::inputs::sample_batch;
    const MC: crate::sim::inputs::Sampling = crate::sim::inputs::Sampling::MonteCarlo;
    use crate::stats::rank::spearman;

    const STUDY: &str = r#"name = "corr"
trials = 100
horizon_days = 20
seed = 5
[base]
market = "us"
category = "beauty"
demand.daily_cv = "uniform(0.1, 0.5)"
price.retail = "lognormal(20, 0.2)"
costs.unit_cost = "triangular(3, 5, 9)"
[correlations]
"price.retail,costs.unit_cost" = 0.6
[[variant]]
name = "self"
model = "self_operated"
route = "fbt"
[[variant]]
name = "managed"
model = "fully_managed"
"#;

    fn parse(text: &str) -> Result<scenario::Scenario, String> {
        scenario::parse(text, "c.toml", None).map_err(|e| e.to_string())
    }

    #[test]
    fn induced_correlations_reach_the_target_and_keep_each_marginal() {
        use statrs::distribution::{ContinuousCDF, LogNormal};
        let s = parse(STUDY).unwrap();
        let v = &s.spec().variants()[0];
        assert_eq!(v.correlations().len(), 1);
        let n = 256 * 24;
        let inputs = sample_batch(v, s.spec().events(), 5, 0..n, MC);
        let price: Vec<f64> = inputs.iter().map(|t| t[P::RetailPrice]).collect();
        let cost: Vec<f64> = inputs.iter().map(|t| t[P::UnitCost]).collect();
        let cv: Vec<f64> = inputs.iter().map(|t| t[P::DailyCv]).collect();
        let rho = spearman(&price, &cost);
        assert!(rho.low <= 0.6 && 0.6 <= rho.high, "{rho:?}");
        // An input outside every pair stays independent.
        let other = spearman(&price, &cv);
        assert!(other.low <= 0.0 && 0.0 <= other.high, "{other:?}");
        // Kolmogorov-Smirnov: the price still follows lognormal(20, 0.2) (D below the 1%
        // critical value 1.63/√n).
        let dist = LogNormal::new(20f64.ln(), 0.2).unwrap();
        let mut sorted = price.clone();
        sorted.sort_by(f64::total_cmp);
        let d = sorted
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let f = dist.cdf(x);
                (f - i as f64 / n as f64)
                    .abs()
                    .max(((i + 1) as f64 / n as f64 - f).abs())
            })
            .fold(0.0, f64::max);
        assert!(d < 1.63 / (n as f64).sqrt(), "KS D = {d}");
        // Per batch, the values are exactly the independent draws, re-paired.
        let mut plain = v.clone();
        plain.set_correlations(Vec::new());
        let independent = sample_batch(&plain, s.spec().events(), 5, 0..256, MC);
        let mut a: Vec<f64> = independent.iter().map(|t| t[P::UnitCost]).collect();
        let mut b: Vec<f64> = cost[..256].to_vec();
        a.sort_by(f64::total_cmp);
        b.sort_by(f64::total_cmp);
        assert_eq!(a, b);
        // A trial's inputs do not depend on which trials are asked for.
        let tail = sample_batch(v, s.spec().events(), 5, 300..310, MC);
        assert_eq!(tail[..], inputs[300..310]);
    }

    #[test]
    fn bad_correlations_name_the_pair_and_the_line() {
        let with = |line: &str| STUDY.replace("\"price.retail,costs.unit_cost\" = 0.6", line);
        let e = parse(&with("\"price.retail,costs.unit_cost\" = 1.5")).unwrap_err();
        assert!(
            e.contains("c.toml:12:") && e.contains("from -1 to 1"),
            "{e}"
        );
        let e = parse(&with("\"price.retial,costs.unit_cost\" = 0.5")).unwrap_err();
        assert!(e.contains("did you mean `price.retail`"), "{e}");
        let e = parse(&with("\"price.retail,price.retail\" = 0.5")).unwrap_err();
        assert!(e.contains("with itself"), "{e}");
        let e = parse(&with("\"price.retail,tools.cost_per_day\" = 0.5")).unwrap_err();
        assert!(
            e.contains("c.toml:12: correlation `price.retail,tools.cost_per_day`: `tools.cost_per_day` is fixed in variant `self` (value 5)"),
            "{e}"
        );
        // A fixed value shared by both variants is said once, naming both.
        let e = parse(&with("\"price.retail,price.reference\" = 0.5")).unwrap_err();
        assert!(
            e.contains("`price.reference` is fixed in variants `self` and `managed` (value "),
            "{e}"
        );
        assert_eq!(e.matches("is fixed in").count(), 1, "{e}");
        let e = parse(&with(
            "\"price.retail,costs.unit_cost\" = -0.9\n\"price.retail,demand.daily_cv\" = -0.9\n\"costs.unit_cost,demand.daily_cv\" = -0.9",
        ))
        .unwrap_err();
        assert!(e.contains("not positive definite"), "{e}");
        assert!(
            e.starts_with("variants `self` and `managed`: these rank correlations"),
            "{e}"
        );
        assert_eq!(e.matches("not positive definite").count(), 1, "{e}");
    }

    #[test]
    fn a_csv_row_for_a_variant_wins_over_the_scenario() {
        let csv =
            "key_a,key_b,rank_correlation,variant\ncosts.unit_cost,price.retail,-0.3,managed\n";
        let o = crate::scenario::Overrides::parse(csv, "c.csv").unwrap();
        let s = scenario::parse(STUDY, "c.toml", Some(&o)).unwrap();
        let rho = |v: usize| s.spec().variants()[v].correlations()[0].rho;
        assert_eq!(rho(0), 0.6);
        assert_eq!(rho(1), -0.3);
        assert_eq!(s.spec().variants()[1].correlations()[0].source, "c.csv:2");
        let bad = "key_a,key_b,rank_correlation\nprice.retail,costs.unit_cost,2\n";
        let e = crate::scenario::Overrides::parse(bad, "c.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("c.csv:2:") && e.contains("from -1 to 1"), "{e}");
    }
}
