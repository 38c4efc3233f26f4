//! The rows of the study folder's CSV files, defined once as serde types: the writers in
//! [`crate::output::tables`] serialise them and `compare` reads them back with the same types, so
//! a column cannot be renamed on one side only. Bump [`super::record::FORMAT_VERSION`]
//! when a column changes.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::metric::Metric;

/// A number in a CSV cell: written as the shortest text that reads back to the same `f64`,
/// an undefined value (NaN) as an empty cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Num(pub f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_nan() {
            s.serialize_str("")
        } else {
            s.collect_str(&self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        let text = String::deserialize(d)?;
        if text.is_empty() {
            return Ok(Num(f64::NAN));
        }
        text.parse::<f64>()
            .map(Num)
            .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a number")))
    }
}

/// A row of `summary.csv`: one output of one variant (or its `p_loss` / `cvar5` row).
/// `n` counts the trials where the output is defined.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SummaryRow {
    /// Variant name.
    pub variant: String,
    /// Operating model.
    pub model: String,
    #[serde(rename = "loop")]
    /// Loop type.
    pub loop_type: String,
    /// Delivery route (format 3; empty when read from an older folder).
    #[serde(default)]
    pub route: String,
    /// Output name, or `p_loss` / `cvar5` for the extra profit rows.
    pub metric: String,
    /// Mean (for `p_loss` the probability, for `cvar5` the CVaR).
    pub mean: Num,
    /// Sample standard deviation.
    pub sd: Num,
    /// Standard error of the mean.
    pub se: Num,
    /// Lower end of the 95% interval.
    pub ci_low: Num,
    /// Upper end of the 95% interval.
    pub ci_high: Num,
    /// 5th percentile.
    pub p5: Num,
    /// 25th percentile (lower quartile).
    pub p25: Num,
    /// Median.
    pub p50: Num,
    /// 75th percentile (upper quartile).
    pub p75: Num,
    /// 95th percentile.
    pub p95: Num,
    /// Smallest value.
    pub min: Num,
    /// Largest value.
    pub max: Num,
    /// Trials where the output is defined.
    pub n: usize,
}

/// A row of a study's `comparison.csv`: variant A against B on one output, paired trials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComparisonRow {
    /// Variant A.
    pub variant_a: String,
    /// Variant B.
    pub variant_b: String,
    /// Output name.
    pub metric: String,
    /// Mean of A − B over paired trials.
    pub mean_diff: Num,
    /// Lower end of the 95% interval.
    pub ci_low: Num,
    /// Upper end of the 95% interval.
    pub ci_high: Num,
    /// Share of trials where A is strictly better.
    pub p_a_better: Num,
    /// Trials where both values are defined.
    pub n: usize,
}

/// A row of `daily.csv`: the band of one daily path of one variant on one day (from 1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DailyRow {
    /// Variant name.
    pub variant: String,
    /// Day, counted from 1.
    pub day: usize,
    /// `cumulative_profit` or `cash`.
    pub metric: String,
    /// 5th percentile.
    pub p5: Num,
    /// Median.
    pub p50: Num,
    /// 95th percentile.
    pub p95: Num,
}

/// A row of `trials.csv`: one trial of one variant, then every output in [`Metric::ALL`]
/// order. The outputs are a sequence, so the header is [`trials_header`] and rows are read
/// by position after checking it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrialRow {
    /// Variant name.
    pub variant: String,
    /// Trial number, from 0.
    pub trial: u64,
    /// Every output, in `Metric::ALL` order.
    pub outputs: Vec<Num>,
}

/// The header of `trials.csv`.
pub fn trials_header() -> Vec<&'static str> {
    let mut header = vec!["variant", "trial"];
    header.extend(Metric::ALL.iter().map(|m| m.name()));
    header
}

/// A row of a comparison folder's `comparison.csv`: a variant in run B against run A.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunDiffRow {
    /// Variant name.
    pub variant: String,
    /// Output compared.
    pub metric: String,
    /// Label of run A (the earlier).
    pub run_a: String,
    /// Label of run B.
    pub run_b: String,
    /// Mean in run A.
    pub mean_a: Num,
    /// Mean in run B.
    pub mean_b: Num,
    /// B − A.
    pub mean_diff: Num,
    /// Lower end of the 95% interval.
    pub ci_low: Num,
    /// Upper end of the 95% interval.
    pub ci_high: Num,
    /// `paired trials` or `independent runs`.
    pub method: String,
}

/// A row of a comparison folder's `changes.csv`: an input that differs between run A and
/// run B. `variant` is the variant's name, `*` for a change the same in every variant both
/// runs have, empty for a run setting or an event. An empty value is one the run does not
/// have (a variant or event in the other run only).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeRow {
    /// Label of run A.
    pub run_a: String,
    /// Label of run B.
    pub run_b: String,
    /// The variant, `*` or empty.
    pub variant: String,
    /// The parameter key, variant setting, `event.<name>.<field>` or run setting.
    pub key: String,
    /// Its value in run A.
    pub value_a: String,
    /// Its value in run B.
    pub value_b: String,
    /// Where run A's value came from (layer and source), when recorded.
    pub source_a: String,
    /// Where run B's value came from.
    pub source_b: String,
}
