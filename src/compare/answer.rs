//! The answer of a comparison in words, for the report and the terminal: what differs in
//! the inputs, the largest changes of the output with their intervals, and which changed
//! inputs can have caused each — said plainly when one input is the only candidate.

use super::changes::{Change, Changes, Scope};
use super::{Comparison, Diff, DiffMethod};
use crate::format::fmt_value;
use crate::metric::{Better, Metric, Unit};

/// Keys that say how a run was made but cannot move an expected result: its name and
/// files (their effect is in the values they set), its random numbers, its trial count.
const NOT_CAUSES: [&str; 8] = [
    "study",
    "scenario",
    "params_csv",
    "seed",
    "trials",
    "precision",
    // Both exact ways of drawing the same model: they move a result only by sampling noise.
    "sampling",
    "draw_method",
];

/// How many largest differences the answer describes.
const LARGEST: usize = 3;

/// How many changed inputs a sentence lists before "and N more".
const LISTED: usize = 6;

/// A comparison's answer: a headline and the sentences under it.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// The first sentence.
    pub headline: String,
    /// The sentences after it, one paragraph each.
    pub details: Vec<String>,
}

/// Whether a change can move the expected result (not only how the run was made).
pub fn may_cause(c: &Change) -> bool {
    !(c.scope == Scope::Run && NOT_CAUSES.contains(&c.key.as_str()))
}

/// `key (a → b)`, or `variant `v`…` for one present in one run only.
fn short(c: &Change, label_a: &str, label_b: &str) -> String {
    match &c.scope {
        Scope::Variant(v) if c.key == "variant" => {
            format!("variant `{v}` {}", c.said(label_a, label_b))
        }
        Scope::Event(e) if c.one_sided() => format!("event `{e}` {}", c.said(label_a, label_b)),
        _ => format!("`{}` ({})", c.key, c.said(label_a, label_b)),
    }
}

/// A list of changes in words, the first [`LISTED`] and how many more.
fn listed(changes: &[&Change], label_a: &str, label_b: &str) -> String {
    let mut words: Vec<String> = changes
        .iter()
        .take(LISTED)
        .map(|c| short(c, label_a, label_b))
        .collect();
    if changes.len() > LISTED {
        words.push(format!("and {} more", changes.len() - LISTED));
    }
    words.join(", ")
}

/// A signed figure of the output (`+1,234`, `-3.2%`).
fn signed(metric: Metric, v: f64) -> String {
    let text = fmt_value(metric, v);
    if v > 0.0 && v.is_finite() && text != "0" && text != "0.0%" {
        format!("+{text}")
    } else {
        text
    }
}

/// The unit after a figure: the currency for money, nothing for a share or a count.
fn unit_after(metric: Metric, currency: &str) -> String {
    match metric.unit() {
        Unit::Currency => format!(" {currency}"),
        Unit::Days => " days".to_string(),
        _ => String::new(),
    }
}

/// Whether the interval of a difference excludes zero.
fn visible(d: &Diff) -> bool {
    d.diff.ci_low > 0.0 || d.diff.ci_high < 0.0
}

/// The answer of `c`.
pub fn answer(c: &Comparison) -> Answer {
    let metric = Metric::from_name(&c.metric).unwrap_or(Metric::Profit);
    let mut details = Vec::new();
    let mut headline = Vec::new();
    for pair in &c.changes {
        let (la, lb) = (&c.runs[pair.run_a].label, &c.runs[pair.run_b].label);
        if pair.is_empty() {
            headline.push(format!(
                "Nothing differs in the inputs of {la} and {lb}{}.",
                if pair.not_compared.is_empty() {
                    ""
                } else {
                    " that both record"
                }
            ));
        } else {
            let all: Vec<&Change> = pair.changes.iter().collect();
            let n = pair.changes.len();
            headline.push(format!(
                "{n} {} between {la} and {lb}: {}.",
                if n == 1 {
                    "input differs"
                } else {
                    "inputs differ"
                },
                listed(&all, la, lb)
            ));
        }
        if !pair.not_compared.is_empty() {
            details.push(format!(
                "Not compared ({} and {} do not record the same fields): {}.",
                la,
                lb,
                pair.not_compared.join("; ")
            ));
        }
    }
    let mut diffs: Vec<&Diff> = c
        .diffs
        .iter()
        .filter(|d| d.diff.point.is_finite())
        .collect();
    diffs.sort_by(|x, y| y.diff.point.abs().total_cmp(&x.diff.point.abs()));
    if let Some(top) = diffs.first() {
        let currency = &c.runs[top.run_a].currency;
        if top.diff.point == 0.0 && top.diff.ci_low == 0.0 && top.diff.ci_high == 0.0 {
            headline.push(format!(
                "`{}` is the same in every variant, trial by trial.",
                c.metric
            ));
        } else if top.diff.point == 0.0 {
            // The largest difference is none: every variant's mean is the same in both
            // runs (compared without their trials, so not trial by trial).
            headline.push(format!(
                "`{}` has the same mean in every variant in both runs.",
                c.metric
            ));
        } else {
            headline.push(format!(
                "The largest change in `{}` is for `{}`: {}{} ({} − {}, 95% interval {} to {}).",
                c.metric,
                top.variant,
                signed(metric, top.diff.point),
                unit_after(metric, currency),
                c.runs[top.run_b].label,
                c.runs[top.run_a].label,
                fmt_value(metric, top.diff.ci_low),
                fmt_value(metric, top.diff.ci_high),
            ));
        }
    }
    for d in diffs.iter().take(LARGEST) {
        details.push(variant_sentence(c, metric, d));
    }
    if diffs.len() > LARGEST {
        let seen = diffs[LARGEST..].iter().filter(|d| visible(d)).count();
        details.push(format!(
            "The other {} differences are smaller ({} of them distinguishable from zero); all are in the table below.",
            diffs.len() - LARGEST,
            seen
        ));
    }
    for pair in &c.changes {
        if let Some(s) = noise_sentence(c, pair) {
            details.push(s);
        }
    }
    Answer {
        headline: headline.join(" "),
        details,
    }
}

/// One variant's change in the output and the inputs that can have caused it.
fn variant_sentence(c: &Comparison, metric: Metric, d: &Diff) -> String {
    let (la, lb) = (&c.runs[d.run_a].label, &c.runs[d.run_b].label);
    let currency = &c.runs[d.run_a].currency;
    let direction = if d.diff.point == 0.0 || !visible(d) {
        String::new()
    } else {
        let up = d.diff.point > 0.0;
        let better = up == (metric.better() == Better::Higher);
        format!(", {}", if better { "better" } else { "worse" })
    };
    let same_in_every_trial = d.diff.point == 0.0 && d.diff.ci_low == 0.0 && d.diff.ci_high == 0.0;
    // Runs compared without their trials (independent): means equal to the last bit are
    // the same result, whatever interval two independent samples would give.
    let unmoved = same_in_every_trial || d.mean_a == d.mean_b;
    let seen = if same_in_every_trial {
        "the same in every trial".to_string()
    } else if unmoved {
        "the same mean in both runs".to_string()
    } else if d.diff.ci_low.is_nan() {
        "no interval: too few trials".to_string()
    } else if visible(d) {
        "the trials tell it from zero".to_string()
    } else {
        "the trials cannot tell it from zero".to_string()
    };
    let unit = unit_after(metric, currency);
    let mut s = format!(
        "`{}`: {} goes from {}{unit} in {la} to {}{unit} in {lb}, {}{unit}{direction} (95% interval {} to {}, {}; {seen}).",
        d.variant,
        c.metric,
        fmt_value(metric, d.mean_a),
        fmt_value(metric, d.mean_b),
        signed(metric, d.diff.point),
        fmt_value(metric, d.diff.ci_low),
        fmt_value(metric, d.diff.ci_high),
        d.method.name(),
    );
    let Some(pair) = c.changes_between(d.run_a, d.run_b) else {
        return s;
    };
    let causes: Vec<&Change> = pair.touching(&d.variant).filter(|c| may_cause(c)).collect();
    s.push(' ');
    s.push_str(&match causes.len() {
        0 => "No input that can move its expected result changed for it".to_string()
            + if visible(d) && d.method == DiffMethod::Independent {
                ": the difference is chance (the runs do not share their random numbers)."
            } else {
                "."
            },
        // One change, but a result it did not move (or not beyond what the trials can
        // tell): it is not what "moved" it (a new build of the same model, say).
        1 => format!(
            "The only input that changed for it is {}{}",
            short(causes[0], la, lb),
            if visible(d) {
                ": that change is what moved it."
            } else if unmoved {
                "; it changed nothing here."
            } else {
                "; the trials cannot tell what it did from zero."
            }
        ),
        n if visible(d) => format!(
            "{n} inputs that can move it changed for it: {}. Two runs cannot separate their effects; `shopsim sensitivity` or a `shopsim sweep` of one of them can.",
            listed(&causes, la, lb)
        ),
        n => format!(
            "{n} inputs that can move it changed for it: {}; {}",
            listed(&causes, la, lb),
            if unmoved {
                "together they changed nothing here."
            } else {
                "the trials cannot tell what they did from zero."
            }
        ),
    });
    s
}

/// What the runs' random numbers do to the differences, when the seed or the trials differ.
fn noise_sentence(c: &Comparison, pair: &Changes) -> Option<String> {
    let (a, b) = (&c.runs[pair.run_a], &c.runs[pair.run_b]);
    let paired = c
        .diffs
        .iter()
        .any(|d| d.run_a == pair.run_a && d.run_b == pair.run_b && d.method == DiffMethod::Paired);
    if a.seed != b.seed {
        Some(format!(
            "{} and {} use different seeds ({} and {}): they do not share their random numbers, so each difference includes sampling noise, which its interval accounts for.",
            a.label, b.label, a.seed, b.seed
        ))
    } else if !paired && pair.is_empty() {
        Some(format!(
            "{} and {} share their seed but did not both keep their trials (`--write-trials`), so the differences are taken from each run's mean and standard error; run both with --write-trials to pair them trial by trial.",
            a.label, b.label
        ))
    } else {
        None
    }
}
