//! Throughput of the simulator in trial-days per second (a trial-day is one variant's
//! one day of one trial), for both ways of drawing returns and delays.
//!
//! `cargo bench --bench trials`; criterion prints elements/s = trial-days per second.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use shopsim::scenario;
use shopsim::sim::{study, DrawMethod};

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
        group.bench_function(name, |b| b.iter(|| study::run(&spec, method, &|_| {})));
    }
    group.finish();
}

criterion_group!(benches, trials);
criterion_main!(benches);
