//! Throughput of the simulator in trial-days per second (a trial-day is one variant's
//! one day of one trial), for both ways of drawing returns and delays.
//!
//! `cargo bench --bench trials`; criterion prints elements/s = trial-days per second.
//! The simulation alone: each worker only counts its trials (no statistics).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use shopsim::scenario;
use shopsim::sim::study::{self, BatchOutputs, Fold};
use shopsim::sim::DrawMethod;

fn trials(c: &mut Criterion) {
    let s = scenario::parse(scenario::BUILT_IN, scenario::BUILT_IN_NAME, None).unwrap();
    let mut spec = s.spec().clone();
    spec = spec.clone().with_trials(1024).unwrap();
    let trial_days = spec.trials() * spec.variants().len() as u64 * spec.horizon_days() as u64;
    let mut group = c.benchmark_group("built_in_study");
    group.throughput(Throughput::Elements(trial_days));
    group.sample_size(10);
    for (name, method) in [
        ("per_day", DrawMethod::PerDay),
        ("per_bin", DrawMethod::PerBin),
    ] {
        let new = || 0u64;
        let add = |n: &mut u64, batch: &BatchOutputs| *n += batch.variants[0].outputs.len() as u64;
        group.bench_function(name, |b| {
            b.iter(|| {
                let fold = Fold {
                    new: &new,
                    add: &add,
                };
                let run = study::run_batches::<u64, ()>;
                run(&spec, 0, spec.trials(), method, &|_| {}, fold, None)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, trials);
criterion_main!(benches);
