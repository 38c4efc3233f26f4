//! `shopsim fit` on a 100,000-line order export (the target: a few seconds): the
//! export is drawn once by the test generator into `target/`, then reading it (CSV, every
//! quirk) and fitting the shop are timed together, as the command runs them.
//!
//! `cargo bench --bench fit`; criterion prints the time per fit. The command itself, with
//! its peak memory: `cargo run --release --example synthetic_export -- --orders-lines
//! 100000 target/bench-exports && /usr/bin/time -v target/release/shopsim fit
//! target/bench-exports/orders.csv --route fbt --out target/bench-out --force`.

// Its own tests are not built here (their imports would be unused).
#[allow(unused_imports)]
#[path = "../tests/it/exports_gen.rs"]
mod exports_gen;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use shopsim::fit::read::orders::read_orders;
use shopsim::fit::shop::{fit_shop, Settings};

const LINES: f64 = 100_000.0;

fn fit(c: &mut Criterion) {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-exports");
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("orders-100k.csv");
    let truth = exports_gen::ShopTruth {
        days: 90,
        // About 1.25 lines an order (1 + Poisson(0.25) SKUs).
        level: LINES / 1.25 / 90.0,
        ..exports_gen::ShopTruth::default()
    };
    let shop = exports_gen::simulate(&truth, 2026);
    let lines = exports_gen::realise(&shop).lines;
    std::fs::write(
        &path,
        exports_gen::render_orders_csv(&shop, &exports_gen::Quirks::default()),
    )
    .unwrap();
    let settings = Settings {
        promise_days: 8,
        dispatch_business_days: 2,
        return_window_days: 30,
        seed: 1,
        peaks: Vec::new(),
    };
    let mut group = c.benchmark_group("fit");
    group.sample_size(10);
    group.throughput(Throughput::Elements(lines as u64));
    group.bench_function(format!("read_and_fit_{lines}_lines"), |b| {
        b.iter(|| {
            let orders = read_orders(&path, None).unwrap();
            fit_shop(&orders, &settings)
        })
    });
    group.finish();
}

criterion_group!(benches, fit);
criterion_main!(benches);
