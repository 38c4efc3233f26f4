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
    // The record names the export it is of, by content.
    use sha2::Digest;
    let bytes = fs::read(dir.path().join("orders.csv")).unwrap();
    let sha: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(json["inputs"][0]["sha256"], sha.as_str());
    assert_eq!(json["inputs"][0]["bytes"], bytes.len() as u64);
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
    let truth = settlement_and_returns::mixed_routes();
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

/// The settlement statement and the returns export, read and fitted against the same
/// synthetic shop as the order export.
mod settlement_and_returns {
    use super::*;
    use shopsim::error::Kind;
    use shopsim::fit::estimate::fees::{fit_at_fault, fit_fees, order_facts};
    use shopsim::fit::read::returns::read_returns;
    use shopsim::fit::read::settlement::read_settlement;

    /// Three seller-shipped orders to one on FBT, FBT faster.
    pub fn mixed_routes() -> ShopTruth {
        ShopTruth {
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
        }
    }

    #[test]
    fn fees_delay_and_fault_are_recovered_over_60_seeds() {
        let truth = mixed_routes();
        let dir = tempfile::tempdir().unwrap();
        let seeds = 60u64;
        let (mut fault_hits, mut delay_hits, mut referral_hits, mut affiliate_hits) =
            (0u32, 0u32, 0u32, 0u32);
        let mut referral_off = 0f64;
        let mut sampling_only_hits = 0u32;
        let mut widths = Vec::new();
        for seed in 0..seeds {
            let shop = gen::simulate(&truth, 3000 + seed);
            let realised = gen::realise(&shop);
            let orders_path = dir.path().join(format!("orders-{seed}.csv"));
            fs::write(
                &orders_path,
                gen::render_orders_csv(&shop, &Quirks::default()),
            )
            .unwrap();
            // Half the statements as the XLSX Seller Center gives, half as CSV.
            let settlement_path = if seed % 2 == 0 {
                let p = dir.path().join(format!("settlement-{seed}.xlsx"));
                let quirks = Quirks {
                    settlement_text_cells: seed % 4 == 0,
                    ..Quirks::default()
                };
                fs::write(&p, gen::render_settlement_xlsx(&shop, &quirks)).unwrap();
                p
            } else {
                let p = dir.path().join(format!("settlement-{seed}.csv"));
                fs::write(&p, gen::render_settlement_csv(&shop, &Quirks::default())).unwrap();
                p
            };
            let returns_path = dir.path().join(format!("returns-{seed}.csv"));
            fs::write(
                &returns_path,
                gen::render_returns_csv(&shop, &Quirks::default()),
            )
            .unwrap();

            let orders = read_orders(&orders_path, None).unwrap();
            let settlement = read_settlement(&settlement_path).unwrap();
            let returns = read_returns(&returns_path, Some(orders.date_order)).unwrap();
            assert_eq!(settlement.rows.len(), realised.settled);
            assert_eq!(returns.returns.len(), realised.returned);
            assert_eq!(returns.lines, realised.returned_lines);

            let fees = fit_fees(&settlement, &order_facts(&orders));
            assert_eq!(fees.orders as usize, realised.settled);
            assert_eq!(
                fees.unmatched, 0,
                "every settled order is in the order export"
            );

            // Fixed rates, rounded to the cent on each order: inside the interval in
            // every seed, and off by less than its half-width.
            let referral = fees.referral_rate.as_ref().unwrap();
            let affiliate = fees.affiliate_rate.as_ref().unwrap();
            for (e, rate) in [
                (referral, truth.referral_rate),
                (affiliate, truth.affiliate_rate),
            ] {
                assert!((e.value - rate).abs() <= (e.hi - e.lo) / 2.0, "{e:?}");
            }
            referral_hits += u32::from(referral.covers(truth.referral_rate));
            // The same interval without the allowance for the cents each fee is rounded to.
            let net: f64 = settlement
                .rows
                .iter()
                .map(|r| r.gross_sales - r.seller_discount)
                .sum();
            let allowance = 0.005 * settlement.rows.len() as f64 / net;
            sampling_only_hits += u32::from(
                referral.lo + allowance <= truth.referral_rate
                    && truth.referral_rate <= referral.hi - allowance,
            );
            affiliate_hits += u32::from(affiliate.covers(truth.affiliate_rate));
            referral_off = referral_off.max((referral.value - truth.referral_rate).abs());
            widths.push(referral.hi - referral.lo);
            assert_eq!(
                affiliate.n as usize,
                shop.orders
                    .iter()
                    .filter(|o| o.statement.is_some() && o.creator.is_some())
                    .count()
            );
            // Fixed fees per order: the interval is a point, the mean the fee.
            let fbt = fees.fbt_fee.as_ref().unwrap();
            assert!((fbt.value - truth.fbt_fee).abs() < 1e-6, "{fbt:?}");
            assert!(fbt.hi - fbt.lo < 1e-6, "{fbt:?}");
            assert_eq!(
                fbt.n as usize,
                shop.orders
                    .iter()
                    .filter(|o| o.statement.is_some() && truth.routes[o.route].is_fbt())
                    .count()
            );
            let label = fees.return_label_fee.as_ref().unwrap();
            assert!((label.value - truth.return_label).abs() < 1e-6, "{label:?}");
            assert!(label.hi - label.lo < 1e-6, "{label:?}");
            let transaction = fees.transaction_rate.as_ref().unwrap();
            assert!(transaction.value == 0.0 && transaction.covers(truth.transaction_rate));

            // Drawn quantities: coverage over the seeds.
            let (lo, hi) = truth.settle_days_range;
            let delay = fees.settlement_days.as_ref().unwrap();
            delay_hits += u32::from(delay.covers(f64::from(lo + hi) / 2.0));
            let fault = fit_at_fault(returns.returns.iter().map(|r| r.reason.as_str()));
            assert_eq!(fault.unknown, 0);
            fault_hits += u32::from(
                fault
                    .at_fault
                    .as_ref()
                    .unwrap()
                    .covers(truth.return_at_fault_share),
            );
        }
        let se = (0.95f64 * 0.05 / seeds as f64).sqrt();
        let rate = |h: u32| f64::from(h) / seeds as f64;
        widths.sort_by(f64::total_cmp);
        eprintln!(
            "coverage over {seeds} seeds: at-fault share {:.0}%, settlement delay {:.0}%, referral rate {:.0}% ({:.0}% without the rounding allowance), affiliate rate {:.0}%; referral rate off the truth by at most {referral_off:.2e}, its interval {:.2e} wide (median)",
            100.0 * rate(fault_hits),
            100.0 * rate(delay_hits),
            100.0 * rate(referral_hits),
            100.0 * rate(sampling_only_hits),
            100.0 * rate(affiliate_hits),
            widths[widths.len() / 2],
        );
        assert!((rate(fault_hits) - 0.95).abs() <= 3.0 * se, "at fault");
        assert!(rate(delay_hits) >= 0.95 - 3.0 * se, "delay");
        assert_eq!(
            referral_hits as u64, seeds,
            "a fixed rate is always covered"
        );
        assert_eq!(
            affiliate_hits as u64, seeds,
            "a fixed rate is always covered"
        );
    }

    #[test]
    fn other_regions_names_read_as_the_us_ones() {
        let dir = tempfile::tempdir().unwrap();
        let shop = gen::simulate(&mixed_routes(), 31);
        let us = String::from_utf8(gen::render_settlement_csv(&shop, &Quirks::default())).unwrap();
        let (header, rows) = us.split_once('\n').unwrap();
        let renamed = header
            .replace("Statement date", "Order settled time(UTC)")
            .replace("Referral fee", "TikTok Shop commission fee")
            .replace("Affiliate Commission", "Affiliate commission ");
        fs::write(dir.path().join("us.csv"), &us).unwrap();
        fs::write(dir.path().join("br.csv"), format!("{renamed}\n{rows}")).unwrap();
        let us = read_settlement(&dir.path().join("us.csv")).unwrap();
        let br = read_settlement(&dir.path().join("br.csv")).unwrap();
        assert_eq!(us.rows, br.rows);
        assert!(br.missing.is_empty(), "{:?}", br.missing);
    }

    #[test]
    fn adjustment_rows_are_counted_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let shop = gen::simulate(&ShopTruth::default(), 33);
        let csv = String::from_utf8(gen::render_settlement_csv(&shop, &Quirks::default())).unwrap();
        let path = dir.path().join("s.csv");
        fs::write(&path, &csv).unwrap();
        let plain = read_settlement(&path).unwrap();
        let columns = gen::SETTLEMENT_COLUMNS.len();
        let mut adjustment = vec![String::new(); columns];
        adjustment[0] = "2026/04/02".into();
        adjustment[1] = "Logistics reimbursement".into();
        adjustment[2] = "7000000000000001".into();
        adjustment[4] = "12.00".into();
        adjustment[6] = "500.00".into();
        let with = format!("{csv}{}\r\n", adjustment.join(","));
        fs::write(&path, with).unwrap();
        let read = read_settlement(&path).unwrap();
        assert_eq!(read.rows, plain.rows);
        assert_eq!(
            read.other_rows,
            vec![("Logistics reimbursement".to_string(), 1)]
        );
        assert_eq!(read.lines, plain.lines + 1);
    }

    #[test]
    fn the_wrong_file_is_refused_naming_it_and_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let shop = gen::simulate(&ShopTruth::default(), 9);
        let quirks = Quirks::default();
        let write = |name: &str, bytes: Vec<u8>| {
            let path = dir.path().join(name);
            fs::write(&path, bytes).unwrap();
            path
        };
        let orders = write("orders.csv", gen::render_orders_csv(&shop, &quirks));
        let orders_xlsx = write("orders.xlsx", gen::render_orders_xlsx(&shop, &quirks));
        let settlement = write("settlement.csv", gen::render_settlement_csv(&shop, &quirks));
        let returns_text = String::from_utf8(gen::render_returns_csv(&shop, &quirks)).unwrap();
        let returns = write("returns.csv", returns_text.clone().into_bytes());
        let header = |text: &str| {
            format!(
                "{}\n",
                text.trim_start_matches('\u{feff}').lines().next().unwrap()
            )
        };
        let settlement_text = String::from_utf8(fs::read(&settlement).unwrap()).unwrap();
        let empty_settlement = write(
            "empty-settlement.csv",
            header(&settlement_text).into_bytes(),
        );
        let empty_returns = write("empty-returns.csv", header(&returns_text).into_bytes());
        let missing = dir.path().join("missing.csv");

        let cases: Vec<(&str, Result<(), shopsim::error::InputError>, &str, Kind)> = vec![
            (
                "orders.csv",
                read_settlement(&orders).map(drop),
                "give it as ORDERS",
                Kind::WrongType,
            ),
            (
                "orders.xlsx",
                read_settlement(&orders_xlsx).map(drop),
                "give it as ORDERS",
                Kind::WrongType,
            ),
            (
                "orders.csv",
                read_returns(&orders, None).map(drop),
                "give it as ORDERS",
                Kind::WrongType,
            ),
            (
                "settlement.csv",
                read_returns(&settlement, None).map(drop),
                "give it with --settlement",
                Kind::WrongType,
            ),
            (
                "returns.csv",
                read_settlement(&returns).map(drop),
                "give it with --returns",
                Kind::WrongType,
            ),
            (
                "empty-settlement.csv",
                read_settlement(&empty_settlement).map(drop),
                "the statement is empty",
                Kind::Missing,
            ),
            (
                "empty-returns.csv",
                read_returns(&empty_returns, None).map(drop),
                "no returns",
                Kind::Missing,
            ),
            (
                "missing.csv",
                read_settlement(&missing).map(drop),
                "cannot read",
                Kind::Unreadable,
            ),
        ];
        for (file, result, says, kind) in cases {
            let error = result.expect_err(file);
            let message = error.to_string();
            assert!(
                message.contains(file) && message.contains(says),
                "{file}: {message}"
            );
            assert_eq!(error.count(kind), 1, "{file}: {message}");
        }

        // An unreadable date names the file, the line and the column.
        let mut lines: Vec<String> = returns_text.lines().map(str::to_string).collect();
        let requested = lines[0]
            .split(',')
            .position(|c| c == "Time Requested")
            .unwrap();
        let mut cells: Vec<String> = lines[4].split(',').map(str::to_string).collect();
        cells[requested] = "last week".into();
        lines[4] = cells.join(",");
        let bad = write("bad-returns.csv", lines.join("\n").into_bytes());
        let message = read_returns(&bad, None).unwrap_err().to_string();
        assert!(
            message.contains("bad-returns.csv:5: column `Time Requested`: `last week`"),
            "{message}"
        );
    }
}

#[test]
fn a_statement_without_the_sellers_discounts_is_warned_of() {
    // The fees are charged after the seller's discounts; a statement without their column
    // gives rates over gross sales, before them: the user is told, with the export's share.
    let dir = tempfile::tempdir().unwrap();
    let shop = gen::simulate(&ShopTruth::default(), 31);
    let quirks = Quirks::default();
    fs::write(
        dir.path().join("orders.csv"),
        gen::render_orders_csv(&shop, &quirks),
    )
    .unwrap();
    let statement = String::from_utf8(gen::render_settlement_csv(&shop, &quirks)).unwrap();
    fs::write(dir.path().join("with.csv"), &statement).unwrap();
    fs::write(
        dir.path().join("without.csv"),
        statement.replacen("Seller discount(+refund)", "Something else", 1),
    )
    .unwrap();
    let said = |file: &str, name: &str| {
        let done = run_fit(
            dir.path(),
            "orders.csv",
            &["--settlement", file, "--out", name],
        )
        .success();
        (done.stdout_text(), done.stderr_text())
    };
    let (rates, with) = said("with.csv", "with");
    assert!(!with.contains("Seller discount(+refund)"), "{with}");
    assert!(rates.contains("referral fee over net sales"), "{rates}");
    let (rates, without) = said("without.csv", "without");
    // The rates are labelled as what they are over.
    assert!(rates.contains("referral fee over gross sales"), "{rates}");
    assert!(
        without.contains("without.csv: the statement has no `Seller discount(+refund)` column")
            && without.contains("of list value, so the rates may be understated"),
        "{without}"
    );
}

#[test]
fn the_settlement_and_returns_exports_land_fees_and_timing() {
    let dir = tempfile::tempdir().unwrap();
    let truth = ShopTruth {
        routes: vec![Route::new(
            gen::FULFILLMENT_BY_TIKTOK,
            "Shipped via platform",
            "Standard shipping",
            "TikTok Shipping",
            1.0,
        )],
        ..ShopTruth::default()
    };
    let shop = gen::simulate(&truth, 31);
    let quirks = Quirks::default();
    fs::write(
        dir.path().join("orders.csv"),
        gen::render_orders_csv(&shop, &quirks),
    )
    .unwrap();
    fs::write(
        dir.path().join("returns.csv"),
        gen::render_returns_csv(&shop, &quirks),
    )
    .unwrap();
    fs::write(
        dir.path().join("statement.xlsx"),
        gen::render_settlement_xlsx(&shop, &quirks),
    )
    .unwrap();
    let us = run_fit(
        dir.path(),
        "orders.csv",
        &["--returns", "returns.csv", "--settlement", "statement.xlsx"],
    )
    .success();
    assert!(
        !us.stderr_text().contains("Thailand's growth fee"),
        "{}",
        us.stderr_text()
    );
    // In Thailand the fitted referral fee may already hold the growth fee the model
    // charges apart: the statement's columns cannot say, so the user is told.
    let mut thai = shopsim_in(dir.path());
    thai.args(["fit", "orders.csv", "--settlement", "statement.xlsx"])
        .args(["--market", "th", "--name", "thaishop"]);
    let said = thai.assert().success().stderr_text();
    assert!(
        said.contains("the study pays Thailand's growth fee apart too")
            && said.contains("set `fees.growth_fee_rate` to 0"),
        "{said}"
    );
    let folder = dir.path().join("output/myshop-fit");
    let params = fs::read_to_string(folder.join("params.csv")).unwrap();
    for key in [
        "fees.commission_rate",
        "marketing.affiliate_commission",
        "logistics.cost_per_order",
        "cash.settlement_days",
        "logistics.transit_median_days",
    ] {
        assert!(params.contains(key), "{key} missing:\n{params}");
    }
    assert!(params.contains("fit: statement.xlsx, "), "{params}");
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(folder.join("fit.json")).unwrap()).unwrap();
    assert_eq!(json["data_route"], "fbt");
    let referral = &json["fees"]["referral_rate"];
    assert!(
        referral["lo"].as_f64().unwrap() <= truth.referral_rate
            && truth.referral_rate <= referral["hi"].as_f64().unwrap(),
        "{referral}"
    );
    let fault = &json["returns_export"]["at_fault"];
    assert!(
        fault["lo"].as_f64().unwrap() <= truth.return_at_fault_share
            && truth.return_at_fault_share <= fault["hi"].as_f64().unwrap(),
        "{fault}"
    );
    // The files given as each other's are refused before anything is written.
    let mut swapped = shopsim_in(dir.path());
    swapped.args([
        "fit",
        "orders.csv",
        "--settlement",
        "returns.csv",
        "--out",
        "other",
    ]);
    let message = swapped.assert().code(2).stderr_text();
    assert!(
        message.contains("returns.csv") && message.contains("--returns"),
        "{message}"
    );
    assert!(!dir.path().join("other").exists());
}
