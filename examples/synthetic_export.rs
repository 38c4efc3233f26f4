//! Writes the synthetic Seller Center exports shipped in `examples/synthetic-shop/` (the
//! README's "Calibrate from your shop's exports" walkthrough): an order export, a returns
//! export and a settlement statement of a made-up US beauty shop on Fulfilled by TikTok,
//! drawn by the test generator from known parameters. Synthetic: no real shop, no
//! personal data (the personal columns hold `CANARY-…` placeholders, which `fit` never
//! reads).
//!
//! `cargo run --example synthetic_export [FOLDER]` (default `examples/synthetic-shop`);
//! with `--orders-lines N` instead, writes one order export of about N lines to FOLDER
//! (the benchmark's input).

// Its own tests are not built here (their imports would be unused).
#[allow(unused_imports)]
#[path = "../tests/it/exports_gen.rs"]
mod exports_gen;

use exports_gen::{Quirks, Route, ShopTruth};

/// The walkthrough shop's truth: what `fit` should find.
fn walkthrough_shop() -> ShopTruth {
    ShopTruth {
        start: (2026, 3, 1),
        days: 92,
        level: 30.0,
        routes: vec![Route::new(
            exports_gen::FULFILLMENT_BY_TIKTOK,
            "Shipped via platform",
            "Standard shipping",
            "TikTok Shipping",
            1.0,
        )
        .with_transit(3.0, 0.3)],
        ..ShopTruth::default()
    }
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == "--orders-lines") {
        let lines: f64 = args
            .get(at + 1)
            .and_then(|n| n.parse().ok())
            .expect("--orders-lines N");
        let folder = args
            .iter()
            .find(|a| !a.starts_with("--") && a.parse::<f64>().is_err());
        let folder =
            std::path::PathBuf::from(folder.map_or("target/bench-exports", String::as_str));
        std::fs::create_dir_all(&folder)?;
        // About 1.3 lines an order (1 + Poisson(0.25) SKUs), over 90 days.
        let truth = ShopTruth {
            days: 90,
            level: lines / 1.25 / 90.0,
            ..walkthrough_shop()
        };
        let shop = exports_gen::simulate(&truth, 2026);
        let path = folder.join("orders.csv");
        std::fs::write(
            &path,
            exports_gen::render_orders_csv(&shop, &Quirks::default()),
        )?;
        println!(
            "{} ({} lines)",
            path.display(),
            exports_gen::realise(&shop).lines
        );
        return Ok(());
    }
    let folder = std::path::PathBuf::from(
        args.first()
            .map_or("examples/synthetic-shop", String::as_str),
    );
    std::fs::create_dir_all(&folder)?;
    let shop = exports_gen::simulate(&walkthrough_shop(), 20260301);
    let quirks = Quirks::default();
    std::fs::write(
        folder.join("orders.csv"),
        exports_gen::render_orders_csv(&shop, &quirks),
    )?;
    std::fs::write(
        folder.join("returns.csv"),
        exports_gen::render_returns_csv(&shop, &quirks),
    )?;
    std::fs::write(
        folder.join("statement.xlsx"),
        exports_gen::render_settlement_xlsx(&shop, &quirks),
    )?;
    println!("wrote {}", folder.display());
    Ok(())
}
