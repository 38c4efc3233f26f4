//! Each file of a study folder is written and read back with the same row type, and what
//! comes back is exactly what the analysis holds: a column renamed or reordered on one side
//! only, or a number that does not round-trip, fails here.

use serde::de::DeserializeOwned;
use shopsim::formats::record::{RunRecord, FORMAT_VERSION};
use shopsim::formats::rows::{trials_header, ComparisonRow, DailyRow, SummaryRow, TrialRow};
use shopsim::output::manifest::{manifest_json, run_record, RunFacts};
use shopsim::output::tables;
use shopsim::scenario::{parse, Scenario, BUILT_IN, BUILT_IN_NAME};
use shopsim::sim::{self, DrawMethod, Metric, StudyResults};
use shopsim::stats::{self, StudyAnalysis};

fn study() -> (Scenario, StudyResults, StudyAnalysis) {
    let mut scenario = parse(BUILT_IN, BUILT_IN_NAME, None).unwrap();
    scenario.override_run(Some(40), None).unwrap();
    let results = sim::study::run(scenario.spec(), DrawMethod::PerDay, &|_| {});
    let pairs = stats::analysis::table_pairs(scenario.spec().variants().len(), scenario.baseline());
    let acc =
        stats::StudyAccumulator::run_all(scenario.spec(), DrawMethod::PerDay, &pairs, &|_| {});
    let analysis = stats::analyze(scenario.spec(), &acc, scenario.baseline());
    (scenario, results, analysis)
}

fn read<R: DeserializeOwned>(bytes: &[u8]) -> Vec<R> {
    csv::Reader::from_reader(bytes)
        .deserialize()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Equal as numbers, NaN included (an undefined value must come back undefined).
fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

#[test]
fn summary_rows_round_trip() {
    let (scenario, _, analysis) = study();
    let rows: Vec<SummaryRow> = read(&tables::summary_csv(&scenario, &analysis).unwrap());
    let per_variant = Metric::ALL.len() + 2;
    assert_eq!(rows.len(), per_variant * analysis.variants.len());
    for (v, a) in analysis.variants.iter().enumerate() {
        let block = &rows[v * per_variant..(v + 1) * per_variant];
        for (&m, row) in Metric::ALL.iter().zip(block) {
            assert_eq!(
                (row.variant.as_str(), row.metric.as_str()),
                (a.name.as_str(), m.name())
            );
            match a.summary(m) {
                Some(s) => {
                    assert!(same(row.mean.0, s.mean.point) && same(row.ci_low.0, s.mean.ci_low));
                    assert!(same(row.p95.0, s.p95) && same(row.sd.0, s.sd));
                    assert_eq!(row.n, s.mean.n);
                }
                // Undefined in every trial (e.g. no trial breaks even): empty cells, n = 0.
                None => assert!(row.mean.0.is_nan() && row.p50.0.is_nan() && row.n == 0),
            }
        }
        let p_loss = &block[Metric::ALL.len()];
        assert_eq!(p_loss.metric, "p_loss");
        assert!(same(p_loss.mean.0, a.p_loss.p) && p_loss.sd.0.is_nan());
        let cvar = &block[Metric::ALL.len() + 1];
        assert!(cvar.metric == "cvar5" && same(cvar.mean.0, a.cvar5));
    }
}

#[test]
fn comparison_and_daily_rows_round_trip() {
    let (scenario, _, analysis) = study();
    let rows: Vec<ComparisonRow> = read(&tables::comparison_csv(&scenario, &analysis).unwrap());
    assert_eq!(rows.len(), analysis.pairs.len() * Metric::ALL.len());
    for (pair, block) in analysis.pairs.iter().zip(rows.chunks(Metric::ALL.len())) {
        for (&m, row) in Metric::ALL.iter().zip(block) {
            assert_eq!(row.variant_a, analysis.variants[pair.a].name);
            assert_eq!(row.variant_b, analysis.variants[pair.b].name);
            match pair.of(m) {
                Some(p) => {
                    assert!(same(row.mean_diff.0, p.diff.point));
                    assert!(same(row.ci_high.0, p.diff.ci_high));
                    assert!(same(row.p_a_better.0, p.p_a_better) && row.n == p.diff.n);
                }
                None => assert!(row.mean_diff.0.is_nan() && row.n == 0),
            }
        }
    }
    let daily: Vec<DailyRow> = read(&tables::daily_csv(&scenario, &analysis).unwrap());
    let horizon = scenario.spec().horizon_days();
    assert_eq!(daily.len(), analysis.variants.len() * 2 * horizon);
    let first_cash = &daily[horizon];
    assert_eq!((first_cash.metric.as_str(), first_cash.day), ("cash", 1));
    assert!(same(
        first_cash.p50.0,
        analysis.variants[0].daily_cash[0].p50
    ));
}

#[test]
fn trial_rows_round_trip_every_output_bit_for_bit() {
    let (scenario, results, _) = study();
    // Written in two batches, as a run streams them.
    let mut csv = tables::TrialsCsv::new(&scenario, Vec::new(), "trials.csv").unwrap();
    let part = |range: std::ops::Range<usize>| -> Vec<Vec<sim::Outputs>> {
        results
            .variants
            .iter()
            .map(|v| v.outputs[range.clone()].to_vec())
            .collect()
    };
    csv.write_batch(0, &part(0..25)).unwrap();
    csv.write_batch(25, &part(25..40)).unwrap();
    let bytes = csv.finish().unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    let mut records = reader.records().map(Result::unwrap);
    let header = records.next().unwrap();
    assert!(header.iter().eq(trials_header()));
    let rows: Vec<TrialRow> = records.map(|r| r.deserialize(None).unwrap()).collect();
    // Trial-major: each trial's variants in the study's order.
    let names: Vec<&str> = scenario
        .spec()
        .variants()
        .iter()
        .map(|v| v.name())
        .collect();
    let outputs: Vec<_> = (0..40)
        .flat_map(|t| results.variants.iter().map(move |v| &v.outputs[t]))
        .collect();
    assert_eq!(rows.len(), outputs.len());
    for (i, (row, out)) in rows.iter().zip(outputs).enumerate() {
        assert_eq!(
            (row.trial, row.variant.as_str()),
            ((i / names.len()) as u64, names[i % names.len()])
        );
        assert!(
            row.outputs.iter().zip(out.0).all(|(a, b)| same(a.0, b)),
            "{row:?}"
        );
    }
}

#[test]
fn run_record_round_trips_and_a_missing_seed_is_an_error() {
    let (scenario, _, _) = study();
    let facts = RunFacts {
        threads: 2,
        elapsed_seconds: 0.25,
        draw_method: "per-day",
        params_csv: None,
        precision: None,
        merged_parts: None,
    };
    let bytes = manifest_json(&scenario, &facts).unwrap();
    let back: RunRecord = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(back, run_record(&scenario, &facts));
    assert_eq!(back.format_version, FORMAT_VERSION);
    assert_eq!(back.variants.len(), scenario.spec().variants().len());
    let text = String::from_utf8(bytes).unwrap();
    let without_seed = text.replace(&format!("\"seed\": {},", scenario.spec().seed()), "");
    assert_ne!(without_seed, text);
    let e = serde_json::from_str::<RunRecord>(&without_seed).unwrap_err();
    assert!(e.to_string().contains("missing field `seed`"), "{e}");
}
