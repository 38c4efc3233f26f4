//! `shopsim fit` on synthetic Seller Center exports written by `exports_gen` from known
//! parameters: recovery inside the stated intervals over many seeds, every quirk of the
//! real files, personal data never written, and refusals that write nothing.

use std::fs;
use std::path::Path;

use shopsim::fit::read::orders::read_orders;
use shopsim::fit::shop::{dispatch_deadline, fit_shop, Settings};

use crate::common::{shopsim_in, Printed};
use crate::exports_gen::{self as gen, DateStyle, Layout, MoneyStyle, Quirks, Route, ShopTruth};

fn settings(truth: &ShopTruth) -> Settings {
    Settings {
        promise_days: truth.promise_days,
        dispatch_business_days: 2,
        return_window_days: 12,
        seed: 1,
        peaks: Vec::new(),
    }
}

/// The late-dispatch share the truth implies for these paid times under the fit's rule
/// (2 business days): the mean over orders of P(H > deadline − paid), H log-normal.
fn expected_late_dispatch(shop: &gen::Shop) -> f64 {
    let t = &shop.truth;
    let paid: Vec<i64> = shop
        .orders
        .iter()
        .filter_map(|o| o.paid)
        .filter(|&p| dispatch_deadline(p, 2) <= shop.export_at)
        .collect();
    paid.iter()
        .map(|&p| {
            let hours = (dispatch_deadline(p, 2) - p) as f64 / 3600.0;
            1.0 - gen::normal_cdf((hours.ln() - t.handling_median_hours.ln()) / t.handling_sigma)
        })
        .sum::<f64>()
        / paid.len() as f64
}

#[test]
fn fit_recovers_each_parameter_inside_its_interval_in_about_95_percent_of_seeds() {
    let truth = ShopTruth {
        return_late_per_day: 0.0,
        ..ShopTruth::default()
    };
    let quirks = Quirks::default();
    let dir = tempfile::tempdir().unwrap();
    let seeds = 60u64;
    let names = [
        "level",
        "daily_cv",
        "transit median",
        "transit sigma",
        "return base",
        "lost",
        "buyer cancels",
        "late dispatch",
        "seller price",
    ];
    let mut hits = [0u32; 9];
    for seed in 0..seeds {
        let shop = gen::simulate(&truth, 1000 + seed);
        let path = dir.path().join(format!("orders-{seed}.csv"));
        fs::write(&path, gen::render_orders_csv(&shop, &quirks)).unwrap();
        let orders = read_orders(&path, None).unwrap();
        let fit = fit_shop(&orders, &settings(&truth));
        let demand = fit.demand.as_ref().unwrap();
        let route = &fit.routes[0];
        let transit = route.transit.as_ref().unwrap();
        let returns = fit.returns.as_ref().unwrap();
        // Orders that go ahead: the level is counted without cancellations before shipping.
        let kept_share = 1.0 - truth.cancel_buyer - truth.cancel_seller - truth.cancel_system;
        let mean_price = truth.skus.iter().map(|(_, p)| p).sum::<f64>() / truth.skus.len() as f64;
        let checks = [
            demand.level.covers(truth.level * kept_share),
            demand.daily_cv.covers(truth.daily_cv),
            transit.median.covers(truth.transit_median_days),
            transit.sigma.covers(truth.transit_sigma),
            returns.base.covers(truth.return_base),
            route.lost.as_ref().unwrap().covers(truth.lost_rate),
            fit.cancelled_by_buyer
                .as_ref()
                .unwrap()
                .covers(truth.cancel_buyer),
            route
                .late_dispatch
                .as_ref()
                .unwrap()
                .covers(expected_late_dispatch(&shop)),
            fit.seller_price
                .as_ref()
                .unwrap()
                .covers(mean_price * (1.0 - truth.seller_discount * truth.seller_discount_share)),
        ];
        for (hit, ok) in hits.iter_mut().zip(checks) {
            *hit += u32::from(ok);
        }
    }
    // Coverage is reported, and each must be 95% within 3 binomial standard errors
    // (±8.4 points at 60 seeds).
    let se = (0.95f64 * 0.05 / seeds as f64).sqrt();
    let report: Vec<String> = names
        .iter()
        .zip(hits)
        .map(|(n, h)| format!("{n} {:.0}%", 100.0 * f64::from(h) / seeds as f64))
        .collect();
    eprintln!("coverage over {seeds} seeds: {}", report.join(", "));
    for (name, h) in names.iter().zip(hits) {
        let rate = f64::from(h) / seeds as f64;
        assert!(
            (rate - 0.95).abs() <= 3.0 * se,
            "{name}: {rate} ({})",
            report.join(", ")
        );
    }
}

fn run_fit(dir: &Path, file: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    let mut cmd = shopsim_in(dir);
    cmd.args(["fit", file, "--name", "myshop"]).args(extra);
    cmd.assert()
}

/// Every file under `dir`, as text.
fn all_output(dir: &Path) -> String {
    let mut text = String::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            text += &all_output(&path);
        } else {
            text += &String::from_utf8_lossy(&fs::read(&path).unwrap());
        }
    }
    text
}

#[test]
fn a_us_export_with_every_quirk_lands_parameters_run_accepts_and_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let truth = ShopTruth::default();
    let shop = gen::simulate(&truth, 7);
    let quirks = Quirks {
        extra_unknown_columns: vec!["Some New Column 2027".into()],
        ..Quirks::default()
    };
    fs::write(
        dir.path().join("orders.csv"),
        gen::render_orders_csv(&shop, &quirks),
    )
    .unwrap();
    let out = run_fit(dir.path(), "orders.csv", &["--route", "platform_shipping"]).success();
    let printed = out.stdout_text();
    assert!(printed.contains("orders a day"), "{printed}");
    let folder = dir.path().join("output/myshop-fit");
    let params = fs::read_to_string(folder.join("params.csv")).unwrap();
    for key in [
        "demand.daily_cv",
        "logistics.transit_median_days",
        "logistics.transit_sigma",
        "logistics.late_dispatch_rate",
        "returns.base_rate",
        "price.retail",
    ] {
        assert!(params.contains(key), "{key} missing:\n{params}");
    }
    assert!(params.contains("fit: orders.csv, "), "{params}");
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(folder.join("fit.json")).unwrap()).unwrap();
    assert_eq!(json["kind"], "fit");
    assert_eq!(json["date_format"], "mm/dd/yyyy");
    assert_eq!(json["description_row_skipped"], true);
    // The parameter CSV is one `run --params` reads.
    shopsim_in(dir.path())
        .args(["check", "--params", "output/myshop-fit/params.csv"])
        .arg(crate::common::repo("scenarios/us_beauty_2026_routes.toml"))
        .assert()
        .success();
    // No personal value, in any output file.
    let written = all_output(&folder);
    let markers = gen::personal_markers(&shop);
    assert!(!markers.is_empty());
    for marker in markers.iter().chain(
        gen::canary_prefixes()
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .iter(),
    ) {
        assert!(!written.contains(marker.as_str()), "{marker} written");
    }
}

#[test]
fn an_xlsx_with_a_stale_size_reads_as_its_csv() {
    let dir = tempfile::tempdir().unwrap();
    let shop = gen::simulate(&ShopTruth::default(), 11);
    let quirks = Quirks {
        stale_dimension: true,
        xlsx_shared_strings: true,
        ..Quirks::default()
    };
    fs::write(
        dir.path().join("orders.xlsx"),
        gen::render_orders_xlsx(&shop, &quirks),
    )
    .unwrap();
    fs::write(
        dir.path().join("orders.csv"),
        gen::render_orders_csv(&shop, &quirks),
    )
    .unwrap();
    let from_xlsx = read_orders(&dir.path().join("orders.xlsx"), None).unwrap();
    let from_csv = read_orders(&dir.path().join("orders.csv"), None).unwrap();
    assert_eq!(from_xlsx.orders, from_csv.orders);
    assert_eq!(from_xlsx.lines, from_csv.lines);
    let realised = gen::realise(&shop);
    assert_eq!(from_xlsx.lines, realised.lines);
}

#[test]
fn a_vietnamese_export_with_day_first_dates_and_comma_decimals() {
    let dir = tempfile::tempdir().unwrap();
    let truth = ShopTruth {
        currency_symbol: "VND".into(),
        money_style: MoneyStyle::CommaDecimal,
        ..ShopTruth::default()
    };
    let shop = gen::simulate(&truth, 5);
    let quirks = Quirks {
        layout: Layout::Vietnam,
        date_style: DateStyle::DayFirst,
        cancellation_alias: true,
        ..Quirks::default()
    };
    fs::write(
        dir.path().join("vn.csv"),
        gen::render_orders_csv(&shop, &quirks),
    )
    .unwrap();
    let us = dir.path().join("us.csv");
    fs::write(&us, gen::render_orders_csv(&shop, &Quirks::default())).unwrap();
    let vn = read_orders(&dir.path().join("vn.csv"), None).unwrap();
    assert_eq!(vn.date_order.name(), "dd/mm/yyyy");
    assert_eq!(vn.currency.as_deref(), Some("VND"));
    let us = read_orders(&us, None).unwrap();
    // The same orders, whatever the region's way of writing them.
    assert_eq!(vn.orders.len(), us.orders.len());
    for (a, b) in vn.orders.iter().zip(&us.orders) {
        assert_eq!(
            (a.created, a.shipped, a.delivered, a.outcome),
            (b.created, b.shipped, b.delivered, b.outcome)
        );
        assert!((a.list_value - b.list_value).abs() < 1e-9);
    }
}

#[test]
fn ambiguous_dates_are_refused_unless_the_format_is_given() {
    let dir = tempfile::tempdir().unwrap();
    // Three days from the 1st, exported at the end of the third: no day above 12 in
    // either position.
    let truth = ShopTruth {
        days: 3,
        start: (2026, 3, 1),
        ..ShopTruth::default()
    };
    let shop = gen::simulate(&truth, 3);
    fs::write(
        dir.path().join("o.csv"),
        gen::render_orders_csv(
            &shop,
            &Quirks {
                date_style: DateStyle::DayFirst,
                ..Quirks::default()
            },
        ),
    )
    .unwrap();
    let refused = run_fit(dir.path(), "o.csv", &[]).code(2);
    let message = refused.stderr_text();
    assert!(
        message.contains("o.csv") && message.contains("--date-format"),
        "{message}"
    );
    assert!(
        !dir.path().join("output").exists(),
        "a refusal wrote output"
    );
    run_fit(dir.path(), "o.csv", &["--date-format", "dd/mm/yyyy"]).success();
}

#[test]
fn bad_inputs_exit_2_name_the_file_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let shop = gen::simulate(&ShopTruth::default(), 9);
    let quirks = Quirks::default();
    fs::write(
        dir.path().join("settlement.csv"),
        gen::render_settlement_csv(&shop, &quirks),
    )
    .unwrap();
    fs::write(
        dir.path().join("returns.csv"),
        gen::render_returns_csv(&shop, &quirks),
    )
    .unwrap();
    let orders = String::from_utf8(gen::render_orders_csv(&shop, &quirks)).unwrap();
    let header_only: String = orders.lines().take(2).map(|l| format!("{l}\n")).collect();
    fs::write(dir.path().join("empty.csv"), header_only).unwrap();
    fs::write(dir.path().join("notes.csv"), "name,notes\nx,y\n").unwrap();
    // A date no calendar has, on a known line and column.
    let mut lines: Vec<String> = orders.lines().map(str::to_string).collect();
    let created = lines[0]
        .split(',')
        .position(|c| c == "Created Time")
        .unwrap();
    let mut cells: Vec<String> = lines[5].split(',').map(str::to_string).collect();
    cells[created] = "yesterday".into();
    lines[5] = cells.join(",");
    fs::write(dir.path().join("baddate.csv"), lines.join("\n")).unwrap();
    for (file, says) in [
        ("settlement.csv", "--settlement"),
        ("returns.csv", "--returns"),
        ("empty.csv", "no orders"),
        ("notes.csv", "`Order ID`"),
        ("baddate.csv", "Created Time"),
        ("missing.csv", "cannot read"),
    ] {
        let message = run_fit(dir.path(), file, &[]).code(2).stderr_text();
        assert!(
            message.contains(file) && message.contains(says),
            "{file}: {message}"
        );
        assert!(!message.contains("panicked"), "{message}");
    }
    let message = run_fit(dir.path(), "baddate.csv", &[])
        .code(2)
        .stderr_text();
    assert!(
        message.contains("baddate.csv:6: column `Created Time`"),
        "{message}"
    );
    assert!(
        !dir.path().join("output").exists(),
        "a refusal wrote output"
    );
}

#[test]
fn a_name_cannot_leave_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let shop = gen::simulate(&ShopTruth::default(), 9);
    fs::write(
        dir.path().join("o.csv"),
        gen::render_orders_csv(&shop, &Quirks::default()),
    )
    .unwrap();
    let mut cmd = shopsim_in(dir.path());
    cmd.args(["fit", "o.csv", "--name", "../escape"]);
    cmd.assert().code(2);
    assert!(!dir.path().join("output").exists());
    assert!(!dir.path().parent().unwrap().join("escape-fit").exists());
}

#[test]
fn mixed_routes_are_fitted_each_and_the_csv_says_which() {
    let dir = tempfile::tempdir().unwrap();
    let truth = ShopTruth {
        routes: vec![
            Route::new(
                gen::FULFILLMENT_BY_SELLER,
                "Shipped by seller",
                "Standard shipping",
                "USPS",
                3.0,
            ),
            Route::new(
                gen::FULFILLMENT_BY_TIKTOK,
                "Shipped via platform",
                "Standard shipping",
                "TikTok Shipping",
                1.0,
            )
            .with_transit(2.5, 0.25),
        ],
        ..ShopTruth::default()
    };
    let shop = gen::simulate(&truth, 21);
    fs::write(
        dir.path().join("o.csv"),
        gen::render_orders_csv(&shop, &Quirks::default()),
    )
    .unwrap();
    let orders = read_orders(&dir.path().join("o.csv"), None).unwrap();
    let fit = fit_shop(&orders, &settings(&truth));
    assert_eq!(fit.routes.len(), 2);
    let fbt = fit.routes.iter().find(|r| r.platform_fulfilled).unwrap();
    assert!(
        fbt.transit.as_ref().unwrap().median.covers(2.5),
        "{:?}",
        fbt.transit
    );
    assert!(
        fbt.late_dispatch.is_none(),
        "the platform dispatches FBT orders"
    );
    let out = run_fit(dir.path(), "o.csv", &[]).success();
    assert!(
        out.stderr_text().contains("2 delivery routes"),
        "{}",
        out.stderr_text()
    );
}
