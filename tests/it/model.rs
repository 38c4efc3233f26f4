//! The model against closed forms and invariants (MODEL.md "Validation anchors").
//! Tolerances come from standard errors: a correct model fails a 4-sigma check about
//! once in 16,000 runs.

use shopsim::params::P;
use shopsim::scenario::{self, Scenario};
use shopsim::sim::delay;
use shopsim::sim::inputs;
use shopsim::sim::trial::{expected_orders, Calendar};
use shopsim::sim::{study, DrawMethod, Metric, StudyResults, VariantResults, METRIC_COUNT};
use shopsim::stats::mean_sd;

fn study_from(text: &str) -> Scenario {
    scenario::parse(text, "test.toml", None).unwrap_or_else(|e| panic!("{e}"))
}

fn run(s: &Scenario, method: DrawMethod) -> StudyResults {
    study::run(s.spec(), method, &|_| {})
}

fn column(r: &VariantResults, m: Metric) -> Vec<f64> {
    r.outputs.iter().map(|o| o[m]).collect()
}

/// Mean and standard error of the mean.
fn mean_se(values: &[f64]) -> (f64, f64) {
    let (m, sd) = mean_sd(values);
    (m, sd / (values.len() as f64).sqrt())
}

/// Fixed inputs (no distributions), no over-dispersion, stock off, no events.
const CLOSED_FORM: &str = r#"
name = "closed_form"
trials = 3000
horizon_days = 90
seed = 7
[base]
market = "us"
category = "beauty"
demand.daily_cv = 0
demand.viral_rate = 0
repeat.share = 0
demand.orders_per_account_day = 4
demand.orders_per_live = 15
demand.managed_orders_per_day = 20
demand.route_factor = 0.9
demand.freshness_half_life_days = 120
marketing.roas = 3
marketing.affiliate_commission = 0.18
logistics.transit_median_days = 6
logistics.transit_sigma = 0.5
logistics.lost_rate = 0.01
logistics.cost_per_order = 4
returns.base_rate = 0.08
returns.loop_factor = 1.2
returns.late_per_day = 0.02
returns.shipping_cost = 5
complaints.untracked_rate = 0.02
complaints.late_per_day = 0.03
inventory.enabled = false
inventory.lead_time_days = 20
inventory.inbound_cost_per_unit = 1
# Nothing dispatched late: no order caps in the closed forms.
logistics.late_dispatch_rate = 0
price.supply_markup = 2
price.supply_cut_every_days = 0
costs.unit_cost = 5
[[variant]]
name = "self_semi"
model = "self_operated"
loop = "semi_closed"
[[variant]]
name = "managed"
model = "fully_managed"
cash.settlement_days = 3
"#;

#[test]
fn mean_orders_and_returns_match_the_closed_forms() {
    let s = study_from(CLOSED_FORM);
    let results = run(&s, DrawMethod::PerDay);
    for (variant, res) in s.spec().variants().iter().zip(&results.variants) {
        let v = inputs::sample(variant, &[], s.spec().seed(), 0);
        let model = variant.setting().model;
        let live_p = v[P::LivesPerWeek] / 7.0;
        // E[λ_t] over the live-stream coin.
        let lambda: Vec<f64> = (0..s.spec().horizon_days())
            .map(|day| {
                let with = expected_orders(&v, model, day, 1.0, 1.0, true);
                let without = expected_orders(&v, model, day, 1.0, 1.0, false);
                match model {
                    shopsim::params::Model::SelfOperated => {
                        live_p * with + (1.0 - live_p) * without
                    }
                    shopsim::params::Model::FullyManaged => without,
                }
            })
            .collect();
        let expected_orders_total: f64 = lambda.iter().sum();

        // E[returns] = Σ_t λ_t (1 − lost) Σ_d pmf(d) r(d), with r written out here again.
        let pmf = delay::pmf(
            v[P::HandlingDays] as usize,
            v[P::TransitMedianDays],
            v[P::TransitSigma],
            v[P::MaxDelayDays] as usize,
        );
        let promise = v[P::PromiseDays];
        let r_bar: f64 = pmf
            .iter()
            .enumerate()
            .map(|(d, p)| {
                let late = (d as f64 - promise).max(0.0);
                p * (0.08 * 1.2 + 0.02 * late).min(1.0)
            })
            .sum();
        let expected_returns = expected_orders_total * (1.0 - 0.01) * r_bar;
        // E[complaints] = Σ_t λ_t ((1 − lost) Σ_d pmf(d) c(d) + lost): every lost parcel is a
        // complaint. c(d) = base 0.02 + untracked 0.02 (semi-closed) + 0.03 per late day.
        let c_bar: f64 = pmf
            .iter()
            .enumerate()
            .map(|(d, p)| {
                let late = (d as f64 - promise).max(0.0);
                p * (0.02 + 0.02 + 0.03 * late).min(1.0)
            })
            .sum();
        let expected_complaints = expected_orders_total * ((1.0 - 0.01) * c_bar + 0.01);

        let (orders, se_orders) = mean_se(&column(res, Metric::Orders));
        let (returns, se_returns) = mean_se(&column(res, Metric::Returns));
        assert!(
            (orders - expected_orders_total).abs() < 4.0 * se_orders,
            "{}: orders {orders} vs closed form {expected_orders_total} (se {se_orders})",
            variant.name()
        );
        assert!(
            (returns - expected_returns).abs() < 4.0 * se_returns,
            "{}: returns {returns} vs closed form {expected_returns} (se {se_returns})",
            variant.name()
        );
        let (complaints, se_complaints) = mean_se(&column(res, Metric::Complaints));
        assert!(
            (complaints - expected_complaints).abs() < 4.0 * se_complaints,
            "{}: complaints {complaints} vs closed form {expected_complaints} (se {se_complaints})",
            variant.name()
        );
        // Guard against a vacuous check: the tolerance is a small share of the value, and
        // smaller than the lost parcels' share of the complaints.
        assert!(4.0 * se_returns < 0.05 * expected_returns);
        assert!(4.0 * se_complaints < expected_orders_total * 0.01);
    }
}

#[test]
fn profit_is_the_sum_of_its_parts_in_every_trial() {
    let s = scenario::parse(scenario::BUILT_IN, "built-in", None).unwrap();
    let mut spec = s.spec().clone();
    spec = spec.clone().with_trials(600).unwrap();
    let results = study::run(&spec, DrawMethod::PerDay, &|_| {});
    for res in &results.variants {
        for o in &res.outputs {
            let parts = o[Metric::NetRevenue]
                - o[Metric::Cogs]
                - o[Metric::PlatformFees]
                - o[Metric::LogisticsCost]
                - o[Metric::MarketingCost]
                - o[Metric::FixedCost]
                - o[Metric::ReturnsCost]
                - o[Metric::DutiesAndTaxes]
                - o[Metric::StockWriteDown];
            let scale = o[Metric::Gmv].abs().max(1.0);
            assert!((o[Metric::Profit] - parts).abs() < 1e-9 * scale, "{o:?}");
        }
    }
}

#[test]
fn per_day_and_per_bin_draws_agree_on_the_means() {
    let s = study_from(CLOSED_FORM);
    let a = run(&s, DrawMethod::PerDay);
    let b = run(&s, DrawMethod::PerBin);
    for m in [
        Metric::Returns,
        Metric::Complaints,
        Metric::OnTimeRate,
        Metric::MeanDelayDays,
        Metric::Profit,
    ] {
        for (ra, rb) in a.variants.iter().zip(&b.variants) {
            let (ma, sa) = mean_se(&column(ra, m));
            let (mb, sb) = mean_se(&column(rb, m));
            let se = (sa * sa + sb * sb).sqrt();
            assert!(
                (ma - mb).abs() < 4.0 * se,
                "{}: per-day {ma} vs per-bin {mb} (se {se})",
                m.name()
            );
        }
    }
}

#[test]
fn on_time_rate_matches_the_delay_distribution() {
    let s = study_from(CLOSED_FORM);
    let results = run(&s, DrawMethod::PerDay);
    let v = inputs::sample(&s.spec().variants()[0], &[], s.spec().seed(), 0);
    let pmf = delay::pmf(
        v[P::HandlingDays] as usize,
        v[P::TransitMedianDays],
        v[P::TransitSigma],
        v[P::MaxDelayDays] as usize,
    );
    let expected: f64 = pmf[..=v[P::PromiseDays] as usize].iter().sum();
    let (on_time, se) = mean_se(&column(&results.variants[0], Metric::OnTimeRate));
    assert!(
        (on_time - expected).abs() < 4.0 * se.max(1e-4),
        "{on_time} vs {expected}"
    );
}

#[test]
fn common_random_numbers_make_paired_differences_far_tighter() {
    // Two similar variants: the same shop at two prices.
    let text = CLOSED_FORM.replace("demand.daily_cv = 0", "demand.daily_cv = 0.4").replace(
        "[[variant]]\nname = \"managed\"\nmodel = \"fully_managed\"",
        "[[variant]]\nname = \"self_semi_dearer\"\nmodel = \"self_operated\"\nloop = \"semi_closed\"\nprice.retail = 21\n[[variant]]\nname = \"managed\"\nmodel = \"fully_managed\"",
    );
    let s = study_from(&text);
    let paired = run(&s, DrawMethod::PerDay);
    let mut other_seed = s.clone();
    other_seed
        .override_run(None, Some(s.spec().seed() + 1))
        .unwrap();
    let independent = run(&other_seed, DrawMethod::PerDay);
    let a = column(&paired.variants[0], Metric::Profit);
    let b_paired = column(&paired.variants[1], Metric::Profit);
    let b_indep = column(&independent.variants[1], Metric::Profit);
    let diff = |x: &[f64], y: &[f64]| x.iter().zip(y).map(|(p, q)| p - q).collect::<Vec<_>>();
    let (_, sd_paired) = mean_sd(&diff(&a, &b_paired));
    let (_, sd_indep) = mean_sd(&diff(&a, &b_indep));
    assert!(
        sd_paired * 3.0 < sd_indep,
        "paired sd {sd_paired} should be far below independent sd {sd_indep}"
    );
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let s = scenario::parse(scenario::BUILT_IN, "built-in", None).unwrap();
    let mut spec = s.spec().clone();
    spec = spec.clone().with_trials(700).unwrap(); // several batches, the last one partial
    let with = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| study::run(&spec, DrawMethod::PerDay, &|_| {}))
    };
    let one = with(1);
    let two = with(2);
    for (a, b) in one.variants.iter().zip(&two.variants) {
        for (x, y) in a.outputs.iter().zip(&b.outputs) {
            for (p, q) in x.0.iter().zip(&y.0) {
                assert_eq!(p.to_bits(), q.to_bits());
            }
        }
        assert_eq!(a.cash, b.cash);
    }
}

#[test]
fn stock_caps_sales_and_unmet_demand_is_lost() {
    let text = CLOSED_FORM
        .replace("inventory.enabled = false\ninventory.lead_time_days", "inventory.enabled = true\ninventory.initial = 300\ninventory.reorder_point = 0\ninventory.order_up_to = 0\ninventory.lead_time_days");
    let s = study_from(&text);
    let r = run(&s, DrawMethod::PerDay);
    for res in &r.variants {
        for o in &res.outputs {
            // Without reorders, sales are bounded by the initial stock plus resold returns.
            assert!(o[Metric::Orders] <= 300.0 + o[Metric::Returns]);
            assert!(o[Metric::LostSales] > 0.0 && o[Metric::StockoutDays] > 0.0);
            assert!(o[Metric::FillRate] < 1.0);
        }
    }
}

/// A self-operated shop on `route`, with fixed inputs and every cost but the ones a test
/// looks at switched off; `extra` adds or overrides keys of `[base]`.
fn one_route(route: &str, extra: &str) -> String {
    format!(
        r#"
name = "route"
trials = 200
horizon_days = 60
seed = 11
[base]
market = "us"
category = "beauty"
demand.daily_cv = 0.3
demand.orders_per_account_day = 5
demand.ramp_days = 0
marketing.ad_spend_per_day = 0
costs.packaging = 0
costs.unit_cost = 5
inventory.storage_cost_per_unit_day = 0
returns.resellable_fraction = 0
demand.viral_rate = 0
repeat.share = 0
# The platform passes none of its duty back: fully managed is never delisted on day 1.
price.tariff_passback_share = 0
# Nothing dispatched late: no order caps unless a test asks for them.
logistics.late_dispatch_rate = 0
{extra}
[[variant]]
name = "x"
model = "self_operated"
route = "{route}"
[[variant]]
name = "managed"
model = "fully_managed"
"#
    )
}

#[test]
fn the_fbt_fee_is_the_same_per_order_at_any_volume() {
    // FBT's rate card has no volume discount (DOMAIN 2026 update, H): with no packaging,
    // storage or inbound cost, logistics per order is exactly the fee, small or large.
    for orders_per_day in [1, 300] {
        let text = one_route(
            "fbt",
            &format!(
                "demand.orders_per_account_day = {orders_per_day}\ninventory.inbound_cost_per_unit = 0\ninventory.freight_per_kg = 0\ninventory.placement_per_unit = 0\ninventory.storage_per_cuft_day = 0\ninventory.initial = 100000\ninventory.reorder_point = 0\ninventory.order_up_to = 100000"
            ),
        )
        .replace("demand.orders_per_account_day = 5\n", "");
        let r = run(&study_from(&text), DrawMethod::PerDay);
        for o in &r.variants[0].outputs {
            if o[Metric::Orders] > 0.0 {
                let per_order = o[Metric::LogisticsCost] / o[Metric::Orders];
                assert!(
                    (per_order - 3.58).abs() < 1e-9,
                    "{orders_per_day}/day: {per_order}"
                );
            }
        }
    }
}

#[test]
fn a_direct_parcel_pays_duty_on_the_price_paid_plus_the_entry_fee() {
    // Duty 15% of the $20 price plus a $2 entry fee, on every parcel sold (returned or
    // lost ones included: the duty was paid at import). Fully managed pays none. In a
    // campaign over the whole horizon (20% off, 3% coupons) customs values what the buyer
    // paid: 20 × 0.8 × 0.97.
    let text = one_route(
        "platform_shipping",
        "tax.duty_base_rate = 0.15\ntax.duty_origin_rate = 0\ntax.duty_surcharge_rate = 0\ntax.entry_fee_per_parcel = 2",
    );
    let campaign = format!(
        "{text}[[events]]\nname = \"bf\"\nstart_day = 1\nend_day = 60\ncampaign_price_cut = 0.2\ncampaign_coupon_share = 0.03\ncampaign_fee_rate = 0.01\n"
    );
    for (text, price) in [(text, 20.0), (campaign, 20.0 * 0.8 * 0.97)] {
        let r = run(&study_from(&text), DrawMethod::PerDay);
        for o in &r.variants[0].outputs {
            let expected = o[Metric::Orders] * (0.15 * price + 2.0);
            assert!((o[Metric::DutiesAndTaxes] - expected).abs() < 1e-6 * expected.max(1.0));
        }
        assert!(r.variants[0]
            .outputs
            .iter()
            .any(|o| o[Metric::Orders] > 0.0));
        for o in &r.variants[1].outputs {
            assert_eq!(o[Metric::DutiesAndTaxes], 0.0);
        }
    }
}

#[test]
fn fbt_pays_no_packaging_and_its_storage_by_volume() {
    // FBT's rows (data/fees.toml): no packaging on top of the fee, storage per cubic foot:
    // with 0.04 ft³ a unit at $0.05 a ft³ a day, each unit on hand costs $0.002 a day.
    let stock = "costs.unit_volume_cuft = 0.04\ninventory.storage_per_cuft_day = 0.05\ninventory.initial = 3000\ninventory.reorder_point = 0\ninventory.order_up_to = 0\ninventory.freight_per_kg = 0\ninventory.placement_per_unit = 0";
    let fbt = one_route("fbt", stock).replace("costs.packaging = 0\n", "");
    let r = run(&study_from(&fbt), DrawMethod::PerDay);
    for o in &r.variants[0].outputs {
        // Logistics: the $3.58 fee a parcel and the storage (no freight or placement here);
        // with packaging it would be $0.4 an order more.
        let storage = o[Metric::StorageCost];
        let unit_days = storage / 0.002;
        assert!((unit_days - unit_days.round()).abs() < 1e-6, "{unit_days}");
        assert!(unit_days >= 3000.0 - o[Metric::Orders] && unit_days <= 3000.0 * 60.0);
        let expected = 3.58 * o[Metric::Orders] + storage;
        assert!((o[Metric::LogisticsCost] - expected).abs() < 1e-9 * expected);
    }
}

#[test]
fn bulk_stock_carries_its_landed_cost_until_it_sells() {
    // One batch of 5,000 units (no reorder), imported by sea: goods $5, freight 0.5 kg at
    // $2/kg, $0.25 other inbound and $0.31 placement a unit; as one entry, 20% duty on the
    // $25,000 factory value, a $150 broker, the processing fee (0.3464% = $86.60, between
    // $30 and $600) and the harbour fee (0.125% = $31.25). The P&L carries the landed cost
    // of the units sold (none resold) at the batch's average; the rest is closing stock.
    let text = one_route(
        "overseas_3pl",
        "tax.duty_base_rate = 0.2\ntax.duty_origin_rate = 0\ntax.duty_surcharge_rate = 0\ntax.entry_fee_per_parcel = 2\ncosts.unit_weight_kg = 0.5\ninventory.freight_per_kg = 2\ninventory.inbound_cost_per_unit = 0.25\ninventory.placement_per_unit = 0.31\ntax.broker_fee_per_entry = 150\ntax.processing_fee_rate = 0.003464\ntax.processing_fee_min = 30\ntax.processing_fee_max = 600\ntax.harbor_fee_rate = 0.00125\ntax.customs_bond_per_year = 0\nlogistics.cost_per_order = 4\ninventory.initial = 5000\ninventory.reorder_point = 0\ninventory.order_up_to = 5000",
    );
    let r = run(&study_from(&text), DrawMethod::PerDay);
    let units = 5000.0;
    let customs = 0.2 * 25_000.0 + 150.0 + 86.6 + 31.25;
    let freight = units * (0.5 * 2.0 + 0.25 + 0.31);
    let per_unit = (25_000.0 + freight + customs) / units;
    let mut sold_some = false;
    for o in &r.variants[0].outputs {
        let sold = o[Metric::Orders];
        sold_some |= sold > 0.0;
        assert!(sold < units, "the batch must not sell out for this test");
        let close = |a: f64, b: f64| (a - b).abs() < 1e-6 * b.abs().max(1.0);
        assert!(close(o[Metric::DutiesAndTaxes], sold / units * customs));
        assert!(close(o[Metric::Cogs], sold * 5.0));
        // The 3PL's $4 an order, and the inbound freight of the units sold.
        assert!(close(
            o[Metric::LogisticsCost],
            sold * (4.0 + freight / units)
        ));
        assert!(close(
            o[Metric::ClosingStockValue],
            (units - sold) * per_unit
        ));
    }
    assert!(sold_some);
}

#[test]
fn a_harbour_fee_is_paid_by_sea_only_and_a_processing_fee_stays_within_its_bounds() {
    // The same batch by air: no harbour fee. A tiny batch pays the processing minimum, a huge
    // one its maximum.
    let base = "tax.duty_base_rate = 0\ntax.duty_origin_rate = 0\ntax.duty_surcharge_rate = 0\ncosts.unit_weight_kg = 0.5\ninventory.placement_per_unit = 0\ninventory.inbound_cost_per_unit = 0\ntax.broker_fee_per_entry = 0\ntax.processing_fee_rate = 0.003464\ntax.processing_fee_min = 30\ntax.processing_fee_max = 600\ntax.harbor_fee_rate = 0.00125\ninventory.reorder_point = 0\ndemand.orders_per_account_day = 0\ndemand.orders_per_live = 0";
    let closing = |freight: &str, units: u64| -> f64 {
        let text = one_route(
            "overseas_3pl",
            &format!("{base}\ninventory.initial = {units}\ninventory.order_up_to = {units}\ninventory.freight_per_kg = 2"),
        )
        .replace("demand.orders_per_account_day = 5\n", "")
        .replace("route = \"overseas_3pl\"", &format!("route = \"overseas_3pl\"\nfreight = \"{freight}\""));
        let r = run(&study_from(&text), DrawMethod::PerDay);
        r.variants[0].outputs[0][Metric::ClosingStockValue]
    };
    let goods_and_freight = |units: f64| units * (5.0 + 1.0);
    // 2,000 units: $10,000 entered, fee $34.64, harbour $12.50 by sea, none by air.
    assert!((closing("sea", 2000) - (goods_and_freight(2000.0) + 34.64 + 12.5)).abs() < 1e-6);
    assert!((closing("air", 2000) - (goods_and_freight(2000.0) + 34.64)).abs() < 1e-6);
    // 100 units: $500 entered, 0.3464% = $1.73 < $30: the minimum.
    assert!((closing("air", 100) - (goods_and_freight(100.0) + 30.0)).abs() < 1e-6);
    // 100,000 units: $500,000 entered, $1,732 > $600: the maximum.
    assert!((closing("air", 100_000) - (goods_and_freight(100_000.0) + 600.0)).abs() < 1e-4);
}

#[test]
fn every_market_charges_its_duty_on_the_price_paid_and_its_vat_on_what_buyers_keep() {
    // Each market's own VAT/GST row (data/fees.toml: DOMAIN 2026 update and December 2026
    // review) with a duty whose three parts are set (10% + 5% + 2% on the $20 price paid,
    // and a $1 entry fee a parcel), on a direct parcel: duty on every parcel sold (refused
    // and returned ones included: paid at import), VAT as rate / (1 + rate) of net revenue
    // (what buyers keep), exactly, trial by trial.
    let duty = "price.retail = 20\ntax.duty_base_rate = 0.10\ntax.duty_origin_rate = 0.05\ntax.duty_surcharge_rate = 0.02\ntax.entry_fee_per_parcel = 1";
    for (market, vat) in [
        ("us", 0.0),
        ("uk", 0.20),
        ("sa", 0.15),
        ("sg", 0.09),
        ("th", 0.07),
        ("vn", 0.10),
        ("my", 0.10),
        ("ph", 0.0),
    ] {
        let text = one_route("platform_shipping", duty).replacen(
            "market = \"us\"",
            &format!("market = \"{market}\""),
            1,
        );
        let r = run(&study_from(&text), DrawMethod::PerDay);
        let mut orders = 0.0;
        for o in &r.variants[0].outputs {
            orders += o[Metric::Orders];
            let expected =
                o[Metric::Orders] * (0.17 * 20.0 + 1.0) + o[Metric::NetRevenue] * vat / (1.0 + vat);
            assert!(
                (o[Metric::DutiesAndTaxes] - expected).abs() < 1e-9 * expected.max(1.0),
                "{market}: {} against {expected}",
                o[Metric::DutiesAndTaxes]
            );
        }
        assert!(orders > 1000.0, "{market}: {orders} orders");
    }
}

#[test]
fn vat_in_the_price_is_paid_on_what_buyers_keep() {
    // 7% VAT inside the price: the tax is 7/107 of net revenue, exactly.
    let text = one_route(
        "direct_mail",
        "tax.vat_rate = 0.07\ntax.duty_base_rate = 0\ntax.duty_origin_rate = 0\ntax.duty_surcharge_rate = 0\ntax.entry_fee_per_parcel = 0",
    );
    let r = run(&study_from(&text), DrawMethod::PerDay);
    for o in &r.variants[0].outputs {
        let expected = o[Metric::NetRevenue] * 0.07 / 1.07;
        assert!((o[Metric::DutiesAndTaxes] - expected).abs() < 1e-9 * expected.abs().max(1.0));
    }
}

#[test]
fn a_tariff_event_changes_the_duty_from_its_first_day() {
    // Duty 0 until day 31, then 25% of retail for the rest of the horizon. The same shop
    // without the event (paired trials, the same orders) pays nothing; with a 25% rate all
    // along it pays 0.25 × 20 per order. With the event, it pays that on the orders of days
    // 31-60 only: strictly between the two, and the same orders as both.
    // Flat demand: no inspection period, no lives, no freshness decay.
    let base = one_route(
        "platform_shipping",
        "tax.duty_base_rate = 0\ntax.duty_origin_rate = 0\ntax.duty_surcharge_rate = 0\ntax.entry_fee_per_parcel = 0\ndemand.inspection_days = 0\ndemand.lives_per_week = 0\ndemand.freshness_half_life_days = 0",
    );
    let tariff = format!(
        "{base}[[events]]\nname = \"tariff\"\nstart_day = 31\nend_day = 60\nduty_rate = 0.25\n"
    );
    let all_along = base.replace("tax.duty_base_rate = 0\n", "tax.duty_base_rate = 0.25\n");
    let with = run(&study_from(&tariff), DrawMethod::PerDay);
    let without = run(&study_from(&base), DrawMethod::PerDay);
    let full = run(&study_from(&all_along), DrawMethod::PerDay);
    let mut shares = Vec::new();
    for ((w, n), f) in with.variants[0]
        .outputs
        .iter()
        .zip(&without.variants[0].outputs)
        .zip(&full.variants[0].outputs)
    {
        assert_eq!(w[Metric::Orders], n[Metric::Orders]);
        assert_eq!(n[Metric::DutiesAndTaxes], 0.0);
        assert!(
            (f[Metric::DutiesAndTaxes] - 5.0 * f[Metric::Orders]).abs()
                < 1e-6 * f[Metric::Orders].max(1.0)
        );
        assert!(w[Metric::DutiesAndTaxes] <= f[Metric::DutiesAndTaxes] + 1e-9);
        // Whole orders at $5 each: the event's duty counts the orders of its days.
        let taxed_orders = w[Metric::DutiesAndTaxes] / 5.0;
        assert!((taxed_orders - taxed_orders.round()).abs() < 1e-6);
        shares.push(taxed_orders / w[Metric::Orders]);
    }
    // Demand is flat, so the tariff's 30 of the 60 days hold half the orders on average.
    let (share, se) = mean_se(&shares);
    assert!((share - 0.5).abs() < 4.0 * se, "{share} (se {se})");
    assert!(se < 0.01, "{se}");
}

#[test]
fn the_cash_path_ends_at_takings_less_everything_paid() {
    // Sales stop 60 days before the end (an event with no demand) and the shop is out of
    // probation (paid 7 days after delivery), so every payout lands inside the horizon: the last cash position is the takings net of platform fees less
    // goods, logistics, marketing, fixed costs, returns, and duties and taxes. Direct
    // parcels (goods bought as sold, none resold) pay duty, an entry fee and VAT.
    use shopsim::sim::trial::{self, DailyPaths};
    let text =
        format!(
        "{}[[events]]\nname = \"quiet\"\nstart_day = 61\nend_day = 120\ndemand_multiplier = 0\n",
        one_route(
            "platform_shipping",
            "tax.duty_base_rate = 0.12\ntax.duty_origin_rate = 0\ntax.duty_surcharge_rate = 0\ntax.entry_fee_per_parcel = 2\ntax.vat_rate = 0.05\ncash.probation_min_days = 0\ncash.probation_min_orders = 0",
        )
        .replace("horizon_days = 60", "horizon_days = 120")
        .replace("marketing.ad_spend_per_day = 0", "marketing.ad_spend_per_day = 20")
    );
    let s = study_from(&text);
    let variant = &s.spec().variants()[0];
    let cal = Calendar::new(s.spec().events(), 120, variant.setting().market);
    for trial_index in 0..20 {
        let v = inputs::sample(variant, s.spec().events(), 11, trial_index);
        let (mut profit, mut cash, mut histogram) = (vec![0f32; 120], vec![0f32; 120], Vec::new());
        let o = trial::run(
            variant,
            &cal,
            &v,
            11,
            trial_index,
            DrawMethod::PerDay,
            DailyPaths {
                cumulative_profit: &mut profit,
                cash: &mut cash,
                delay_histogram: &mut histogram,
            },
        );
        let expected = o[Metric::NetRevenue]
            - o[Metric::PlatformFees]
            - o[Metric::Cogs]
            - o[Metric::LogisticsCost]
            - o[Metric::MarketingCost]
            - o[Metric::FixedCost]
            - o[Metric::ReturnsCost]
            - o[Metric::DutiesAndTaxes]
            - o[Metric::StockWriteDown];
        // Without stock, cash at the end is the profit; the path is stored as f32.
        assert!((o[Metric::Profit] - expected).abs() < 1e-6 * expected.abs().max(1.0));
        assert!(o[Metric::DutiesAndTaxes] > 0.0);
        let last = cash[119] as f64;
        assert!(
            (last - expected).abs() < 1e-5 * expected.abs().max(1.0),
            "{last} vs {expected}"
        );
    }
}

#[test]
fn probation_delays_payouts_until_the_shop_graduates() {
    // A shop graduates on the first day at least `min_days` in whose previous days
    // delivered `min_orders`; until then it is paid 31 days after delivery, not 7.
    let study = |extra: &str| study_from(&one_route("fbt", extra));
    let days_only = run(
        &study("cash.probation_min_days = 20\ncash.probation_min_orders = 0"),
        DrawMethod::PerDay,
    );
    for o in &days_only.variants[0].outputs {
        assert_eq!(o[Metric::ProbationEndDay], 21.0);
    }
    // Fully managed has no probation: day 1.
    for o in &days_only.variants[1].outputs {
        assert_eq!(o[Metric::ProbationEndDay], 1.0);
    }
    let never = run(
        &study("cash.probation_min_days = 0\ncash.probation_min_orders = 1000000"),
        DrawMethod::PerDay,
    );
    let established = run(
        &study("cash.probation_min_days = 0\ncash.probation_min_orders = 0"),
        DrawMethod::PerDay,
    );
    let by_orders = run(
        &study("cash.probation_min_days = 10\ncash.probation_min_orders = 300"),
        DrawMethod::PerDay,
    );
    let mut deeper = 0;
    for (((n, e), b), trial) in never.variants[0]
        .outputs
        .iter()
        .zip(&established.variants[0].outputs)
        .zip(&by_orders.variants[0].outputs)
        .zip(0..)
    {
        assert!(n[Metric::ProbationEndDay].is_nan());
        assert_eq!(e[Metric::ProbationEndDay], 1.0);
        // The same trials, so the same sales and costs: later payouts only deepen the dip.
        assert_eq!(n[Metric::Profit], e[Metric::Profit]);
        assert!(n[Metric::WorkingCapitalNeeded] >= e[Metric::WorkingCapitalNeeded] - 1e-6);
        deeper +=
            usize::from(n[Metric::WorkingCapitalNeeded] > e[Metric::WorkingCapitalNeeded] + 1.0);
        // Not before day 11 (10 days of selling); a trial that never delivers 300 orders
        // stays in probation.
        let end = b[Metric::ProbationEndDay];
        let delivered = b[Metric::Orders] - b[Metric::LostParcels];
        if delivered < 300.0 {
            assert!(end.is_nan(), "trial {trial}");
        } else {
            assert!(end >= 11.0, "trial {trial}: {end}");
        }
    }
    assert!(deeper > 190, "{deeper}");
}

#[test]
fn a_joined_campaign_costs_its_price_cut_coupons_and_fee() {
    // A campaign over the whole horizon with no demand lift: the self-operated shop sells
    // at 80% of the $20 price and pays 3% coupons and a 1% fee on that GMV on top of the
    // 6% referral fee, charged on the price less the coupons (20% of which, on the
    // referral fee only, comes back on a return, with the coupon of a refunded order).
    // Turned away (an on-time threshold of 100% it cannot meet) it pays nothing; fully
    // managed is not touched either way.
    let campaign = |threshold: &str| {
        format!(
            "{}[[events]]\nname = \"bf\"\nstart_day = 1\nend_day = 60\ncampaign_price_cut = 0.2\ncampaign_coupon_share = 0.03\ncampaign_fee_rate = 0.01\n{threshold}",
            one_route("fbt", "")
        )
    };
    let joined = run(&study_from(&campaign("")), DrawMethod::PerDay);
    let missed = run(
        &study_from(&campaign("min_on_time_rate = 1\n")),
        DrawMethod::PerDay,
    );
    let plain = run(&study_from(&one_route("fbt", "")), DrawMethod::PerDay);
    for ((j, m), p) in joined.variants[0]
        .outputs
        .iter()
        .zip(&missed.variants[0].outputs)
        .zip(&plain.variants[0].outputs)
    {
        let price = 20.0 * 0.8;
        let gmv = j[Metric::Orders] * price;
        assert!((j[Metric::Gmv] - gmv).abs() < 1e-9 * gmv.max(1.0));
        let referral = 0.06 * price * (1.0 - 0.03);
        // A returned or lost order's coupon is its buyer's refund, not the shop's cost.
        let refunded = j[Metric::Returns] + j[Metric::LostParcels];
        let fees = referral * j[Metric::Orders] + 0.04 * gmv
            - 0.8 * referral * j[Metric::Returns]
            - 0.03 * price * refunded;
        assert!((j[Metric::PlatformFees] - fees).abs() < 1e-9 * gmv.max(1.0));
        assert_eq!(m[Metric::CampaignsMissed], 1.0);
        assert_eq!(m[Metric::Gmv], p[Metric::Gmv]);
        assert_eq!(m[Metric::PlatformFees], p[Metric::PlatformFees]);
    }
    for (j, p) in joined.variants[1]
        .outputs
        .iter()
        .zip(&plain.variants[1].outputs)
    {
        assert_eq!(j[Metric::Gmv], p[Metric::Gmv]);
        assert_eq!(j[Metric::Profit], p[Metric::Profit]);
    }
}

#[test]
fn overlapping_coupons_cost_at_most_the_price_and_are_warned_of() {
    // Two campaigns over the whole horizon whose coupons add to 1.3 of the price: the
    // shop is charged the whole price of each kept order in coupons and no more, and no
    // fee on the nothing its buyers pay (no referral fee, no creator commission).
    let text = format!(
        "{}[[events]]\nname = \"a\"\nstart_day = 1\nend_day = 60\ncampaign_coupon_share = 0.7\n[[events]]\nname = \"b\"\nstart_day = 1\nend_day = 60\ncampaign_coupon_share = 0.6\n",
        one_route("fbt", "")
    );
    let study = study_from(&text);
    assert!(
        study.warnings().iter().any(|w| w.message.contains(
            "events `a` and `b` overlap on day 1 and, at their 99th percentiles, their coupons add to 1.3 of the price"
        )),
        "{:?}",
        study.warnings()
    );
    // One event alone is never warned, whatever its distribution (its draws are clamped
    // to the price); nor are two whose shares stay under the price together.
    for lines in [
        "campaign_coupon_share = \"normal(0.5, 0.5)\"\n",
        "campaign_coupon_share = 0.5\n[[events]]\nname = \"b\"\nstart_day = 1\nend_day = 60\ncampaign_coupon_share = \"uniform(0.3, 0.5)\"\n",
    ] {
        let one = format!(
            "{}[[events]]\nname = \"a\"\nstart_day = 1\nend_day = 60\n{lines}",
            one_route("fbt", "")
        );
        let quiet = study_from(&one);
        assert!(
            !quiet
                .warnings()
                .iter()
                .any(|w| w.message.contains("overlap on day")),
            "{:?}",
            quiet.warnings()
        );
    }
    let results = run(&study, DrawMethod::PerDay);
    for t in &results.variants[0].outputs {
        let kept = t[Metric::Orders] - t[Metric::Returns] - t[Metric::LostParcels];
        assert!((t[Metric::PlatformFees] - 20.0 * kept).abs() < 1e-6 * kept.max(1.0));
        assert_eq!(t[Metric::AffiliateCost], 0.0);
    }
}

#[test]
fn repeat_orders_match_the_buyer_base_closed_form() {
    // First orders arrive at a steady Poisson(n) a day, every parcel is delivered on time
    // and kept: the base after t days is n(1 − (1 − μ)^t)/μ in expectation, and repeat
    // orders on day t are Poisson(λ · base_t). With λ = share/mean_days and
    // μ = (1 − share)/mean_days, E[repeat orders] = λ n Σ_t (1 − (1 − μ)^t)/μ.
    let text = one_route(
        "platform_shipping",
        "demand.inspection_days = 0\ndemand.lives_per_week = 0\ndemand.freshness_half_life_days = 0\ndemand.route_factor = 1\nlogistics.lost_rate = 0\nlogistics.promise_days = 60\nreturns.base_rate = 0\nreturns.late_per_day = 0\ncomplaints.base_rate = 0\ncomplaints.late_per_day = 0\nrepeat.mean_days = 40\ncash.probation_min_days = 0",
    )
    .replace("demand.daily_cv = 0.3\n", "demand.daily_cv = 0\n")
    .replace("repeat.share = 0\n", "repeat.share = 0.3\n");
    let s = study_from(&text);
    let r = run(&s, DrawMethod::PerDay);
    // Three accounts (the official one and two channel accounts) at 5 orders each.
    let n = 15.0;
    let (lambda, mu): (f64, f64) = (0.3 / 40.0, 0.7 / 40.0);
    let expected: f64 = (0..60)
        .map(|t| lambda * n * (1.0 - (1.0 - mu).powi(t)) / mu)
        .sum();
    let (mean, se) = mean_se(&column(&r.variants[0], Metric::RepeatOrders));
    assert!(
        (mean - expected).abs() < 4.0 * se,
        "{mean} vs {expected} (se {se})"
    );
    assert!(se < 0.05 * expected, "{se}");
    // Fully managed has no buyer base.
    assert!(r.variants[1]
        .outputs
        .iter()
        .all(|o| o[Metric::RepeatOrders] == 0.0));
    // Every parcel late and every late buyer put off: nobody comes back.
    let never = text
        .replace("logistics.promise_days = 60", "logistics.promise_days = 0")
        .replace(
            "repeat.share = 0.3",
            "repeat.share = 0.3\nrepeat.late_penalty = 1",
        );
    let r = run(&study_from(&never), DrawMethod::PerDay);
    assert!(r.variants[0]
        .outputs
        .iter()
        .all(|o| o[Metric::RepeatOrders] == 0.0));
}

#[test]
fn viral_days_raise_demand_by_their_expected_multiplier() {
    // A spike on a day with probability p multiplies its demand by a log-normal of median
    // m and log-sd σ: expected orders rise by the factor 1 + p(m·e^(σ²/2) − 1). The same
    // trials without spikes give the baseline (paired: the spike stream is separate).
    let base = one_route(
        "platform_shipping",
        "demand.inspection_days = 0\ndemand.lives_per_week = 0",
    );
    let viral = base.replace(
        "demand.viral_rate = 0\n",
        "demand.viral_rate = 0.05\ndemand.viral_median = 4\ndemand.viral_sigma = 0.5\n",
    );
    let without = run(&study_from(&base), DrawMethod::PerDay);
    let with = run(&study_from(&viral), DrawMethod::PerDay);
    let ratio: Vec<f64> = with.variants[0]
        .outputs
        .iter()
        .zip(&without.variants[0].outputs)
        .map(|(w, o)| w[Metric::Orders] / o[Metric::Orders])
        .collect();
    let expected = 1.0 + 0.05 * (4.0 * (0.125f64).exp() - 1.0);
    let (mean, se) = mean_se(&ratio);
    assert!(
        (mean - expected).abs() < 4.0 * se,
        "{mean} vs {expected} (se {se})"
    );
    assert!(se < 0.01, "{se}");
}

#[test]
fn late_dispatch_caps_orders_by_band_and_charges_each_late_order_from_2026_01_26() {
    // US rules (data/penalties.toml): the share of the last 7 days' orders dispatched late
    // sets the band; every order late is the 60% band, a cap of 10% of the highest 28-day
    // average. From 2026-01-26 each late order on a day in a band costs $5 (in the platform
    // fees); before, nothing.
    let text = |route: &str, rate: &str, as_of: &str| {
        // An established shop: no probation caps.
        one_route(route, "inventory.initial = 100000\ninventory.reorder_point = 0\ninventory.order_up_to = 100000\ncash.probation_min_days = 0\ncash.probation_min_orders = 0")
            .replace("logistics.late_dispatch_rate = 0\n", &format!("logistics.late_dispatch_rate = {rate}\n"))
            .replace("seed = 11\n", &format!("seed = 11\nas_of = \"{as_of}\"\n"))
            // Enough orders that a 10% cap is never 0 (a week without orders would count
            // as nothing late and lift it).
            .replace("demand.orders_per_account_day = 5", "demand.orders_per_account_day = 500")
    };
    let now = "2026-11-01";
    let none = run(
        &study_from(&text("platform_shipping", "0", now)),
        DrawMethod::PerDay,
    );
    let all_late = run(
        &study_from(&text("platform_shipping", "1", now)),
        DrawMethod::PerDay,
    );
    let before = run(
        &study_from(&text("platform_shipping", "1", "2025-12-01")),
        DrawMethod::PerDay,
    );
    let fbt = run(&study_from(&text("fbt", "1", now)), DrawMethod::PerDay);
    for (((n, a), b), f) in none.variants[0]
        .outputs
        .iter()
        .zip(&all_late.variants[0].outputs)
        .zip(&before.variants[0].outputs)
        .zip(&fbt.variants[0].outputs)
    {
        // Nothing late: never capped, no fee.
        assert_eq!(n[Metric::CappedDays], 0.0);
        assert_eq!(
            (n[Metric::LateDispatches], n[Metric::LateDispatchFees]),
            (0.0, 0.0)
        );
        // Every order late: every order counts, the caps turn buyers away (lost sales, not
        // stock-outs).
        assert_eq!(a[Metric::LateDispatches], a[Metric::Orders]);
        assert!(a[Metric::CappedDays] >= 1.0);
        assert!(a[Metric::LostSales] > 0.0 && a[Metric::StockoutDays] == 0.0);
        assert!(a[Metric::Orders] < n[Metric::Orders]);
        // $5 for each late order on a day in a band: not on the first 6 days (no full
        // week yet), a whole number of $5, inside the platform fees.
        let fee = a[Metric::LateDispatchFees];
        assert!(fee > 0.0 && fee <= 5.0 * a[Metric::LateDispatches]);
        assert_eq!((fee / 5.0).fract(), 0.0);
        assert!(a[Metric::PlatformFees] >= fee);
        // Before 2026-01-26: the caps but no fee.
        assert!(b[Metric::CappedDays] >= 1.0);
        assert_eq!(b[Metric::LateDispatchFees], 0.0);
        // FBT is exempt: the platform dispatches; nothing is drawn.
        assert_eq!(
            (f[Metric::CappedDays], f[Metric::LateDispatches]),
            (0.0, 0.0)
        );
    }
    // From day 8 on a capped day sells at most 10% of a 28-day average, itself at most the
    // trial's orders / 28: orders ≤ first week + 53 × 0.1 × orders / 28, so orders ≤ first
    // week / (1 − 53 × 0.1 / 28). The first week's orders are the uncapped shop's over a
    // 7-day horizon (the same draws).
    let first_week = run(
        &study_from(
            &text("platform_shipping", "1", now).replace("horizon_days = 60", "horizon_days = 7"),
        ),
        DrawMethod::PerDay,
    );
    let bound = 1.0 / (1.0 - 53.0 * 0.1 / 28.0);
    for (a, w) in all_late.variants[0]
        .outputs
        .iter()
        .zip(&first_week.variants[0].outputs)
    {
        assert!(
            a[Metric::Orders] <= w[Metric::Orders] * bound + 1e-9,
            "{} vs {}",
            a[Metric::Orders],
            w[Metric::Orders]
        );
    }
    let capped = mean_se(&column(&all_late.variants[0], Metric::Orders)).0;
    let free = mean_se(&column(&none.variants[0], Metric::Orders)).0;
    assert!(capped < 0.5 * free, "{capped} vs {free}");
}

/// Nothing late (a promise beyond the longest delay), 5% base returns, every return fit to
/// sell again, no stock (so cost of goods is (sold − resold) × $5 to the cent), with a
/// cash-on-delivery share and refusal rate.
fn cod_route(share: &str, refusals: &str) -> String {
    one_route(
        "platform_shipping",
        &format!(
            "logistics.promise_days = 60\nreturns.base_rate = 0.05\ninventory.enabled = false\n\
             returns.cod_share = {share}\nreturns.cod_refusal_rate = {refusals}"
        ),
    )
    .replace(
        "returns.resellable_fraction = 0\n",
        "returns.resellable_fraction = 1\n",
    )
}

#[test]
fn cash_on_delivery_refusals_come_back_as_returns_for_self_operated_shops() {
    // A share s = 0.75 of orders paid on delivery, f = 0.2 of them refused: q = s·f = 0.15
    // of the self-operated parcels are refused, and of the accepted ones b = 5% come back,
    // so the return rate of delivered parcels is q + (1 − q)·b = 0.1925 (no double count);
    // fully managed stays at b (the platform sells). Within 4 standard errors, both draw
    // methods.
    let (q, b) = (0.75 * 0.2, 0.05);
    let s = study_from(&cod_route("0.75", "0.2"));
    for method in [DrawMethod::PerDay, DrawMethod::PerBin] {
        let r = run(&s, method);
        for (variant, expected) in [(0, q + (1.0 - q) * b), (1, b)] {
            let rates: Vec<f64> = r.variants[variant]
                .outputs
                .iter()
                .map(|o| o[Metric::Returns] / (o[Metric::Orders] - o[Metric::LostParcels]))
                .collect();
            let (mean, se) = mean_se(&rates);
            assert!(
                (mean - expected).abs() < 4.0 * se,
                "{method:?} {variant}: {mean} vs {expected} (se {se})"
            );
        }
        // A refused unit is written off, every other return goes back on the shelf: with
        // no stock, resold = sold − cost of goods / $5 exactly, and the refusals are the
        // returns not resold. They are q of the delivered parcels, and the resold returns
        // b of the accepted ones.
        let self_operated = &r.variants[0].outputs;
        let (mut refused_rates, mut accepted_return_rates) = (Vec::new(), Vec::new());
        for o in self_operated {
            let resold = o[Metric::Orders] - o[Metric::Cogs] / 5.0;
            assert_eq!(resold, resold.round(), "{resold}");
            assert!(resold <= o[Metric::Returns]);
            let delivered = o[Metric::Orders] - o[Metric::LostParcels];
            let refused = o[Metric::Returns] - resold;
            refused_rates.push(refused / delivered);
            accepted_return_rates.push(resold / (delivered - refused));
        }
        for (what, rates, expected) in [
            ("refused", &refused_rates, q),
            ("returned of accepted", &accepted_return_rates, b),
        ] {
            let (mean, se) = mean_se(rates);
            assert!(
                (mean - expected).abs() < 4.0 * se,
                "{method:?} {what}: {mean} vs {expected} (se {se})"
            );
        }
    }
}

#[test]
fn without_cash_on_delivery_the_refusal_rate_changes_nothing() {
    // With no order paid on delivery the refusal rate has no effect, bit for bit (no draw
    // is added), and every return is resold (resellable fraction 1, no refusals); nor
    // does a COD share without refusals change anything.
    for method in [DrawMethod::PerDay, DrawMethod::PerBin] {
        let none = run(&study_from(&cod_route("0", "0")), method);
        for (share, refusals) in [("0", "0.25"), ("0.8", "0")] {
            let other = run(&study_from(&cod_route(share, refusals)), method);
            for (a, b) in none.variants.iter().zip(&other.variants) {
                // Bits, not values: an undefined output (NaN) is equal to itself here.
                let bits = crate::common::result_bits;
                assert_eq!(bits(a), bits(b), "{method:?} {share} {refusals}");
            }
        }
        for o in &none.variants[0].outputs {
            assert_eq!(
                o[Metric::Orders] - o[Metric::Cogs] / 5.0,
                o[Metric::Returns]
            );
        }
    }
}

#[test]
fn a_new_us_shop_in_probation_takes_at_most_its_tiers_orders() {
    // About 300 orders wanted a day, plenty of stock: in probation the US tiers allow 100
    // a day, then 200 from day 31 (30 days and 100 delivered orders), and the shop
    // graduates on day 61 (60 days, 300 delivered). So days 1-30 sell exactly 100, days
    // 31-60 exactly 200, and both caps bind every day (Poisson(300) stays above 200).
    let text = one_route(
        "fbt",
        "demand.inspection_days = 0\ndemand.lives_per_week = 0\ndemand.freshness_half_life_days = 0\ninventory.initial = 1000000\ninventory.reorder_point = 0\ninventory.order_up_to = 1000000",
    )
    .replace("demand.orders_per_account_day = 5", "demand.orders_per_account_day = 100")
    .replace("demand.daily_cv = 0.3", "demand.daily_cv = 0")
    .replace("horizon_days = 60", "horizon_days = 90");
    let capped = run(&study_from(&text), DrawMethod::PerDay);
    let established = run(
        &study_from(&text.replace(
            "[base]\n",
            "[base]\ncash.probation_min_days = 0\ncash.probation_min_orders = 0\n",
        )),
        DrawMethod::PerDay,
    );
    for (c, e) in capped.variants[0]
        .outputs
        .iter()
        .zip(&established.variants[0].outputs)
    {
        assert_eq!(c[Metric::ProbationEndDay], 61.0);
        assert_eq!(c[Metric::CappedDays], 60.0);
        assert_eq!(e[Metric::CappedDays], 0.0);
        // Same buyers on the same days: what the caps turned away is what the established
        // shop sold more.
        assert_eq!(c[Metric::LostSales], e[Metric::Orders] - c[Metric::Orders]);
        // Binding every day: 30 × 100 + 30 × 200 sold in probation, then what buyers want,
        // about 300 a day.
        let after = c[Metric::Orders] - 9000.0;
        assert!(after > 30.0 * 250.0 && after < 30.0 * 350.0, "{after}");
    }
}

#[test]
fn creators_are_paid_on_their_orders_only_and_not_on_refunded_ones() {
    // Content alone (no ads, no lives, no repeat buyers): creators sell 40% of the orders
    // and take 15% of the price of those kept (not returned, not lost). Ads alone: no
    // creator order, no commission.
    let content = one_route(
        "fbt",
        "marketing.affiliate_share = 0.4\nmarketing.affiliate_commission = 0.15\ndemand.lives_per_week = 0\nmarketing.samples_per_month = 0\nreturns.base_rate = 0.2",
    );
    let r = run(&study_from(&content), DrawMethod::PerDay);
    let mut returned = 0.0;
    for o in &r.variants[0].outputs {
        let kept = o[Metric::Orders] - o[Metric::Returns] - o[Metric::LostParcels];
        returned += o[Metric::Returns];
        let expected = 0.4 * 0.15 * 20.0 * kept;
        assert!(
            (o[Metric::AffiliateCost] - expected).abs() < 1e-6 * expected.max(1.0),
            "{} vs {expected}",
            o[Metric::AffiliateCost]
        );
    }
    assert!(returned > 0.0);
    let ads = one_route(
        "fbt",
        "marketing.affiliate_share = 0.4\ndemand.lives_per_week = 0\nmarketing.ad_spend_per_day = 100",
    )
    .replace("demand.orders_per_account_day = 5\n", "demand.orders_per_account_day = 0\n")
    .replace("marketing.ad_spend_per_day = 0\n", "");
    let r = run(&study_from(&ads), DrawMethod::PerDay);
    assert!(r.variants[0]
        .outputs
        .iter()
        .all(|o| o[Metric::AffiliateCost] == 0.0));
    assert!(r.variants[0]
        .outputs
        .iter()
        .any(|o| o[Metric::Orders] > 0.0));
}

#[test]
fn creator_samples_cost_unit_cost_plus_shipping_and_a_reserve_only_delays_cash() {
    // 30 samples a month at $5 unit cost, 0.5 kg of sea freight at $2/kg and FBT's $0.31
    // placement, plus FBT's $3.58 fee, over 60 days; a 10% reserve held 20 days changes
    // cash, not profit; neither touches fully managed.
    let stock = "costs.unit_weight_kg = 0.5\ninventory.freight_per_kg = 2";
    let base = one_route("fbt", &format!("{stock}\nmarketing.samples_per_month = 0"));
    let with = one_route(
        "fbt",
        &format!("{stock}\nmarketing.samples_per_month = 30\ncash.reserve_share = 0.1\ncash.reserve_days = 20"),
    );
    let plain = run(&study_from(&base), DrawMethod::PerDay);
    let extra = run(&study_from(&with), DrawMethod::PerDay);
    let samples = 60.0 * 30.0 * 12.0 / 365.0 * (5.0 + 1.0 + 0.31 + 3.58);
    let mut deeper = 0;
    for (p, e) in plain.variants[0]
        .outputs
        .iter()
        .zip(&extra.variants[0].outputs)
    {
        let added = e[Metric::MarketingCost] - p[Metric::MarketingCost];
        assert!(
            (added - samples).abs() < 1e-6 * samples,
            "{added} vs {samples}"
        );
        assert!((p[Metric::Profit] - e[Metric::Profit] - samples).abs() < 1e-6 * samples);
        assert!(e[Metric::WorkingCapitalNeeded] >= p[Metric::WorkingCapitalNeeded] - 1e-6);
        deeper += usize::from(e[Metric::WorkingCapitalNeeded] > p[Metric::WorkingCapitalNeeded]);
    }
    assert!(deeper > 190, "{deeper}");
    for (p, e) in plain.variants[1]
        .outputs
        .iter()
        .zip(&extra.variants[1].outputs)
    {
        assert_eq!(p[Metric::Profit], e[Metric::Profit]);
        assert_eq!(
            p[Metric::WorkingCapitalNeeded],
            e[Metric::WorkingCapitalNeeded]
        );
    }
    // The reserve alone: the same profit, a deeper or equal cash dip in every trial.
    let reserve_only = one_route(
        "fbt",
        &format!("{stock}\nmarketing.samples_per_month = 0\ncash.reserve_share = 0.1\ncash.reserve_days = 20"),
    );
    let reserved = run(&study_from(&reserve_only), DrawMethod::PerDay);
    let mut held = 0;
    for (p, r) in plain.variants[0]
        .outputs
        .iter()
        .zip(&reserved.variants[0].outputs)
    {
        assert_eq!(p[Metric::Profit], r[Metric::Profit]);
        assert!(r[Metric::WorkingCapitalNeeded] >= p[Metric::WorkingCapitalNeeded] - 1e-6);
        held +=
            usize::from(r[Metric::WorkingCapitalNeeded] > p[Metric::WorkingCapitalNeeded] + 1.0);
    }
    assert!(held > 150, "{held}");
}

#[test]
fn the_fully_managed_supply_price_is_full_cost_plus_and_cuts_only_lower_it() {
    // No returns and no promotions: GMV is the supply price times the units sold. Without
    // revisions it is exactly full cost ($5 goods, no packaging or inbound) × markup per
    // unit; with a 10% cut every 20 days, the same trials sell the same units (the
    // platform's demand does not depend on the supply price) for less, but never below the
    // full cost (1.3 × 0.9² = 1.053 on days 41-60: still listed).
    let text = |every: u32| {
        one_route("fbt", &format!(
            "returns.base_rate = 0\nreturns.late_per_day = 0\nprice.supply_markup = 1.3\nprice.supply_cut = 0.1\nprice.supply_cut_every_days = {every}\ninventory.inbound_cost_per_unit = 0"
        ))
    };
    let fixed = run(&study_from(&text(0)), DrawMethod::PerDay);
    let cut = run(&study_from(&text(20)), DrawMethod::PerDay);
    let mut lower = 0;
    for (f, c) in fixed.variants[1]
        .outputs
        .iter()
        .zip(&cut.variants[1].outputs)
    {
        let units = f[Metric::Orders];
        assert_eq!(units, c[Metric::Orders]);
        assert!((f[Metric::Gmv] - units * 5.0 * 1.3).abs() < 1e-9 * units.max(1.0));
        assert!(c[Metric::Gmv] <= f[Metric::Gmv] + 1e-9);
        assert!(c[Metric::Gmv] >= units * 5.0 - 1e-9);
        lower += usize::from(c[Metric::Gmv] < f[Metric::Gmv] - 1e-9);
    }
    // Days 21-60 are cut (once, then twice): every trial with orders then is lower.
    assert!(lower > 190, "{lower}");
}

#[test]
fn each_fully_managed_listing_is_refreshed_at_its_own_cost() {
    // 60 days, a refresh every 20 (days 20 and 40) at 150: each listing pays 300, in
    // every trial; a self-operated shop's one product pays 300 whatever
    // `demand.managed_listings` says (it is fully managed only).
    let text = |listings: u32| {
        one_route("fbt", &format!(
            "demand.refresh_every_days = 20\nmarketing.refresh_cost = 150\ndemand.managed_listings = {listings}"
        ))
    };
    for listings in [1u32, 3] {
        let r = run(&study_from(&text(listings)), DrawMethod::PerDay);
        for o in &r.variants[1].outputs {
            assert_eq!(o[Metric::MarketingCost], 300.0 * f64::from(listings));
        }
        // The self-operated variant's marketing holds its lives and samples too: its
        // refreshes are the same 300 at any listings, so its marketing does not move.
        let one = run(&study_from(&text(1)), DrawMethod::PerDay);
        for (a, b) in r.variants[0].outputs.iter().zip(&one.variants[0].outputs) {
            assert_eq!(a[Metric::MarketingCost], b[Metric::MarketingCost]);
        }
    }
    // A product delisted on day 2 (a 90% cut every day takes the price under full cost)
    // is off the catalogue: none of its refreshes (days 20 and 40) is charged.
    let delisted = format!(
        "{}\nprice.supply_cut = 0.9\nprice.supply_cut_every_days = 1",
        "demand.refresh_every_days = 20\nmarketing.refresh_cost = 150\ndemand.managed_listings = 3"
    );
    let r = run(
        &study_from(&one_route("fbt", &delisted)),
        DrawMethod::PerDay,
    );
    for o in &r.variants[1].outputs {
        assert_eq!(o[Metric::DelistedDay], 2.0);
        assert_eq!(o[Metric::MarketingCost], 0.0);
    }
}

#[test]
fn peak_events_raise_demand_on_their_days_only() {
    let text = format!(
        "{CLOSED_FORM}\n[[events]]\nname = \"peak\"\nstart_day = 60\nend_day = 63\ndemand_multiplier = 3\n"
    )
    .replace("[[variant]]\nname = \"self_semi\"", "[[events]]\nname = \"calm\"\nstart_day = 1\nend_day = 1\n[[variant]]\nname = \"self_semi\"");
    let s = study_from(&text);
    let cal = Calendar::new(
        s.spec().events(),
        s.spec().horizon_days(),
        shopsim::params::Market::Us,
    );
    let elsewhere = Calendar::new(
        s.spec().events(),
        s.spec().horizon_days(),
        shopsim::params::Market::Uk,
    );
    assert_ne!(elsewhere.day_regime[59], elsewhere.day_regime[58]);
    assert_ne!(cal.day_regime[59], cal.day_regime[58]);
    assert_eq!(cal.day_regime[58], cal.day_regime[64]);
    let base = run(&study_from(CLOSED_FORM), DrawMethod::PerDay);
    let peak = run(&s, DrawMethod::PerDay);
    // Managed orders, trial by trial: days outside the peak draw the same Poisson counts in
    // both studies (common random numbers), so the difference is the four peak days, whose
    // expected orders triple: E[peak − base] = 2 · Σ λ_t over days 60-63 (0-based 59-62).
    let managed = &s.spec().variants()[1];
    let diffs: Vec<f64> = column(&peak.variants[1], Metric::Orders)
        .iter()
        .zip(column(&base.variants[1], Metric::Orders))
        .map(|(p, b)| p - b)
        .collect();
    let expected: f64 = (0..s.spec().trials())
        .map(|t| {
            let v = inputs::sample(managed, &[], s.spec().seed(), t);
            (59..=62)
                .map(|day| {
                    let m = managed.setting();
                    2.0 * expected_orders(&v, m.model, day, 1.0, 1.0, false)
                })
                .sum::<f64>()
        })
        .sum::<f64>()
        / s.spec().trials() as f64;
    let (mean, sd) = mean_sd(&diffs);
    let se = sd / (diffs.len() as f64).sqrt();
    assert!(expected > 100.0, "{expected}");
    assert!(
        (mean - expected).abs() < 4.0 * se,
        "peak adds {mean} orders (se {se}); closed form {expected}"
    );
    // Pairing removes the other days' noise: the difference is known better than either level.
    let (_, sb) = mean_se(&column(&base.variants[1], Metric::Orders));
    assert!(
        se < sb,
        "paired se {se} should be below the level's se {sb}"
    );
}

mod invariants {
    use super::*;
    use proptest::prelude::*;
    use shopsim::sim::trial::{self, DailyPaths};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Whatever the setting, a trial's books balance and its counts make sense.
        #[test]
        fn every_trial_balances_its_books(
            route in 0usize..5,
            stock in any::<bool>(),
            cv in 0.0f64..1.5,
            price in 5.0f64..60.0,
            demand in 0.0f64..30.0,
            peak in 0.0f64..4.0,
            per_bin in any::<bool>(),
            seed in 0u64..1000,
        ) {
            let text = format!(
                "name = \"p\"\ntrials = 1\nhorizon_days = 60\nseed = {seed}\n[base]\n\
                 demand.daily_cv = {cv}\nprice.retail = {price}\ndemand.orders_per_account_day = {demand}\n\
                 demand.managed_orders_per_day = {demand}\ninventory.enabled = {stock}\ninventory.initial = 200\n\
                 inventory.reorder_point = 100\ninventory.order_up_to = 300\n\
                 [[events]]\nname = \"e\"\nstart_day = 20\nend_day = 25\ndemand_multiplier = {peak}\ndelay_multiplier = 1.5\n\
                 [[variant]]\nname = \"x\"\nmodel = \"{}\"\n{}\n\
                 [[variant]]\nname = \"y\"\nmodel = \"self_operated\"\nloop = \"semi_closed\"\n",
                if route == 4 { "fully_managed" } else { "self_operated" },
                ["route = \"direct_mail\"", "route = \"overseas_3pl\"", "route = \"platform_shipping\"", "route = \"fbt\"", ""][route],
            );
            let s = study_from(&text);
            let variant = &s.spec().variants()[0];
            let cal = Calendar::new(s.spec().events(), 60, variant.setting().market);
            let v = inputs::sample(variant, s.spec().events(), seed, 0);
            let (mut profit_path, mut cash_path, mut histogram) = (vec![0f32; 60], vec![0f32; 60], Vec::new());
            let method = if per_bin { DrawMethod::PerBin } else { DrawMethod::PerDay };
            let o = trial::run(variant, &cal, &v, seed, 0, method, DailyPaths {
                cumulative_profit: &mut profit_path,
                cash: &mut cash_path,
                delay_histogram: &mut histogram,
            });
            let delivered = o[Metric::Orders] - o[Metric::LostParcels];
            prop_assert_eq!(histogram.iter().sum::<u64>() as f64, delivered);
            prop_assert!((o[Metric::Gmv] - o[Metric::NetRevenue] - o[Metric::Refunds]).abs() < 1e-6 * o[Metric::Gmv].abs().max(1.0));
            prop_assert!(o[Metric::AffiliateCost] <= o[Metric::MarketingCost] + 1e-9);
            prop_assert!(o[Metric::StorageCost] <= o[Metric::LogisticsCost] + 1e-9);
            let parts = o[Metric::NetRevenue] - o[Metric::Cogs] - o[Metric::PlatformFees]
                - o[Metric::LogisticsCost] - o[Metric::MarketingCost] - o[Metric::FixedCost]
                - o[Metric::ReturnsCost] - o[Metric::DutiesAndTaxes] - o[Metric::StockWriteDown];
            prop_assert!((o[Metric::Profit] - parts).abs() < 1e-6 * o[Metric::Gmv].abs().max(1.0));
            prop_assert!((profit_path[59] as f64 - o[Metric::Profit]).abs() < 1e-3 * o[Metric::Profit].abs().max(1.0));
            prop_assert!(o[Metric::Returns] + o[Metric::LostParcels] <= o[Metric::Orders]);
            prop_assert!(o[Metric::WorkingCapitalNeeded] >= 0.0);
            // The path is stored as f32: allow its rounding.
            let deepest = -(cash_path.iter().fold(0f32, |a, &b| a.min(b)) as f64);
            prop_assert!((o[Metric::WorkingCapitalNeeded] - deepest).abs() <= 1e-5 * deepest.abs().max(1.0));
            for m in [Metric::FillRate, Metric::OnTimeRate, Metric::ReturnRate, Metric::ComplaintRate] {
                let x = o[m];
                prop_assert!(x.is_nan() || (0.0..=1.0).contains(&x), "{} = {x}", m.name());
            }
            if !stock {
                // Without stock only an order cap (probation, late dispatch) turns buyers away.
                prop_assert_eq!(o[Metric::LostSales] > 0.0, o[Metric::CappedDays] > 0.0);
                prop_assert_eq!(o[Metric::StockoutDays], 0.0);
                prop_assert_eq!(o[Metric::ClosingStockValue], 0.0);
            }
            prop_assert!(o[Metric::ClosingStockValue] >= 0.0);
            prop_assert!(o[Metric::DutiesAndTaxes] >= 0.0);
            // Profit is the contribution less what it leaves out: ads, lives, refreshes
            // (marketing other than affiliate commission), fixed costs and the write-down of
            // a delisted product's stock.
            let from_contribution = o[Metric::Contribution]
                - (o[Metric::MarketingCost] - o[Metric::AffiliateCost])
                - o[Metric::FixedCost]
                - o[Metric::StockWriteDown];
            prop_assert!((o[Metric::Profit] - from_contribution).abs() < 1e-6 * o[Metric::Gmv].abs().max(1.0));
            if o[Metric::Orders] > 0.0 {
                prop_assert!((o[Metric::ProfitPerOrder] * o[Metric::Orders] - o[Metric::Profit]).abs() < 1e-6 * o[Metric::Profit].abs().max(1.0));
                let retail = v[P::RetailPrice] * o[Metric::Orders];
                prop_assert!((o[Metric::ContributionMargin] * retail - o[Metric::Contribution]).abs() < 1e-6 * retail.max(1.0));
            } else {
                prop_assert!(o[Metric::ProfitPerOrder].is_nan() && o[Metric::ContributionMargin].is_nan());
            }
        }
    }
}

#[test]
fn unsold_stock_is_valued_at_landed_cost_at_the_end_and_costs_no_profit() {
    // No demand, stock above the reorder point: the opening stock is all that is held at
    // the end, worth exactly initial × landed cost ($5 goods, 0.5 kg at $2/kg, $1 other
    // inbound, $0.25 placement), and none of it is a cost in the P&L.
    let text = CLOSED_FORM
        .replace("inventory.enabled = false", "inventory.enabled = true\ninventory.initial = 900\ninventory.reorder_point = 100\ninventory.order_up_to = 1000\ninventory.freight_per_kg = 2\ncosts.unit_weight_kg = 0.5\ninventory.placement_per_unit = 0.25")
        .replace("demand.orders_per_account_day = 4", "demand.orders_per_account_day = 0\nmarketing.ad_spend_per_day = 0")
        .replace("demand.orders_per_live = 15", "demand.orders_per_live = 0")
        .replace("demand.managed_orders_per_day = 20", "demand.managed_orders_per_day = 0");
    let mut s = study_from(&text);
    s.override_run(Some(20), None).unwrap();
    let r = run(&s, DrawMethod::PerDay);
    for variant in &r.variants {
        for o in &variant.outputs {
            assert_eq!(o[Metric::Orders], 0.0);
            assert!((o[Metric::ClosingStockValue] - 900.0 * 7.25).abs() < 1e-9);
            assert_eq!(o[Metric::Cogs], 0.0);
            assert_eq!(o[Metric::DutiesAndTaxes], 0.0);
            assert_eq!(o[Metric::LogisticsCost], o[Metric::StorageCost]);
        }
    }
}

#[test]
fn demand_shocks_are_shared_across_operating_models() {
    // With noisy demand, a self-operated and a fully managed variant of the same trial
    // see the same day-to-day shocks: their order counts move together across trials.
    let text = CLOSED_FORM
        .replace("demand.daily_cv = 0", "demand.daily_cv = 0.8")
        .replace(
            "demand.orders_per_live = 15",
            "demand.orders_per_live = 15\ndemand.lives_per_week = 0",
        );
    let s = study_from(&text);
    let r = run(&s, DrawMethod::PerDay);
    let a = column(&r.variants[0], Metric::Orders);
    let b = column(&r.variants[1], Metric::Orders);
    let (ma, sa) = mean_sd(&a);
    let (mb, sb) = mean_sd(&b);
    let cov = a
        .iter()
        .zip(&b)
        .map(|(x, y)| (x - ma) * (y - mb))
        .sum::<f64>()
        / (a.len() - 1) as f64;
    let correlation = cov / (sa * sb);
    assert!(correlation > 0.5, "correlation {correlation}");
}

#[test]
fn a_shop_below_a_campaigns_on_time_threshold_gets_no_lift() {
    // The CLOSED_FORM shops deliver on time less than always: a threshold of 1 turns the
    // self-operated shop away, a threshold of 0 lets it in; the fully managed variant gets
    // the lift either way (the platform sells its goods).
    let with_event = |threshold: &str| {
        let text = format!(
            "{CLOSED_FORM}\n[[events]]\nname = \"campaign\"\nstart_day = 30\nend_day = 36\ndemand_multiplier = 3\nmin_on_time_rate = {threshold}\n"
        );
        let mut s = study_from(&text);
        s.override_run(Some(200), None).unwrap();
        run(&s, DrawMethod::PerDay)
    };
    let mut base = study_from(CLOSED_FORM);
    base.override_run(Some(200), None).unwrap();
    let base = run(&base, DrawMethod::PerDay);
    let (turned_away, let_in) = (with_event("1.0"), with_event("0"));
    let orders = |r: &StudyResults, v: usize| column(&r.variants[v], Metric::Orders);
    let missed = |r: &StudyResults, v: usize| column(&r.variants[v], Metric::CampaignsMissed);
    // Self-operated, turned away: trial by trial the same orders as with no event at all.
    assert_eq!(orders(&turned_away, 0), orders(&base, 0));
    assert!(missed(&turned_away, 0).iter().all(|&m| m == 1.0));
    // Let in, or fully managed: the lift arrives and nothing is missed.
    let more = |r: &StudyResults, v: usize| {
        orders(r, v).iter().sum::<f64>() > 1.1 * orders(&base, v).iter().sum::<f64>()
    };
    assert!(more(&let_in, 0) && more(&turned_away, 1) && more(&let_in, 1));
    assert!(missed(&let_in, 0).iter().all(|&m| m == 0.0));
    assert!(missed(&turned_away, 1).iter().all(|&m| m == 0.0));
}

/// A US self-operated shop on FBT with nothing lost, no complaints and return labels at
/// $4; `extra` sets the rest.
/// A US FBT study with returns at $4 a label, by a shop scoring 3.9: under the subsidy
/// line of 4, so it pays the 50% split (unless `extra` sets the score).
fn us_returns(extra: &str) -> String {
    let score = if extra.contains("shop.performance_score") {
        ""
    } else {
        "shop.performance_score = 3.9\n"
    };
    one_route(
        "fbt",
        &format!(
            "{score}logistics.lost_rate = 0\ncomplaints.base_rate = 0\ncomplaints.late_per_day = 0\nreturns.shipping_cost = 4\ninventory.initial = 100000\ninventory.reorder_point = 0\ninventory.order_up_to = 100000\n{extra}"
        ),
    )
}

#[test]
fn a_us_change_of_mind_return_costs_half_a_label_and_a_late_one_a_whole_label() {
    // The US rule (data/market_rules.toml): the seller pays 50% of a change-of-mind
    // return label and all of an at-fault one. Nothing late → every return is a change
    // of mind → exactly $2 a return; no change-of-mind returns and everything late →
    // exactly $4 a return. A shop scoring 4 or more pays 20% of a change-of-mind label
    // (the subsidy): exactly $0.8 a return, and still all of an at-fault one.
    for (extra, per_return) in [
        (
            "logistics.promise_days = 60\nreturns.base_rate = 0.1\nreturns.late_per_day = 0",
            2.0,
        ),
        (
            "shop.performance_score = 4\nlogistics.promise_days = 60\nreturns.base_rate = 0.1\nreturns.late_per_day = 0",
            0.8,
        ),
        (
            "shop.performance_score = 4.5\nlogistics.promise_days = 0\nreturns.base_rate = 0\nreturns.late_per_day = 0.02",
            4.0,
        ),
        (
            "logistics.promise_days = 0\nreturns.base_rate = 0\nreturns.late_per_day = 0.02",
            4.0,
        ),
    ] {
        for method in [DrawMethod::PerDay, DrawMethod::PerBin] {
            let r = run(&study_from(&us_returns(extra)), method);
            let mut returns = 0.0;
            for o in &r.variants[0].outputs {
                returns += o[Metric::Returns];
                assert!(
                    (o[Metric::ReturnsCost] - per_return * o[Metric::Returns]).abs() < 1e-6,
                    "{extra}, {method:?}: {} for {} returns",
                    o[Metric::ReturnsCost],
                    o[Metric::Returns]
                );
            }
            assert!(returns > 100.0, "{extra}: {returns} returns");
        }
    }
}

#[test]
fn a_mixed_day_splits_its_returns_by_cause_in_expectation() {
    // Change of mind 10% of delivered parcels at any delay, late returns on top: the
    // labels saved against paying every label are $4 × 50% × the change-of-mind returns,
    // whose expected number is 10% of delivered parcels. Per trial X = saved / ($2 ×
    // delivered) has mean 0.1, within 4 standard errors, by either draw method.
    let text = us_returns(
        "logistics.promise_days = 8\nreturns.base_rate = 0.1\nreturns.late_per_day = 0.03",
    );
    for method in [DrawMethod::PerDay, DrawMethod::PerBin] {
        let r = run(&study_from(&text), method);
        let x: Vec<f64> = r.variants[0]
            .outputs
            .iter()
            .map(|o| {
                (4.0 * o[Metric::Returns] - o[Metric::ReturnsCost]) / (2.0 * o[Metric::Orders])
            })
            .collect();
        let (mean, se) = mean_se(&x);
        assert!(
            (mean - 0.1).abs() < 4.0 * se,
            "{method:?}: {mean} (se {se})"
        );
        // Some returns were late: the at-fault ones cost a whole label.
        let late: f64 = r.variants[0]
            .outputs
            .iter()
            .map(|o| o[Metric::ReturnsCost] - 2.0 * o[Metric::Returns])
            .sum();
        assert!(late > 0.0, "{method:?}: {late}");
    }
}

#[test]
fn a_us_item_at_ten_dollars_is_refunded_without_its_return() {
    // At $10 a return is refunded where it is (US rule): no label, nothing back on the
    // shelf though every returned unit would be resellable, and the platform pays half a
    // change-of-mind refund: with every return a change of mind, refunds are exactly half
    // the returned value. At $10.01 the item comes back: labels are paid, units resold.
    let text = |price: &str| {
        us_returns(&format!(
            "logistics.promise_days = 60\nreturns.base_rate = 0.1\nreturns.late_per_day = 0\nprice.retail = {price}\nprice.reference = {price}"
        ))
        .replace("returns.resellable_fraction = 0", "returns.resellable_fraction = 1")
    };
    let r = run(&study_from(&text("10")), DrawMethod::PerDay);
    for o in &r.variants[0].outputs {
        assert_eq!(o[Metric::ReturnsCost], 0.0);
        assert!((o[Metric::Refunds] - 0.5 * 10.0 * o[Metric::Returns]).abs() < 1e-6);
        assert!((o[Metric::Cogs] - 5.0 * o[Metric::Orders]).abs() < 1e-6);
    }
    let r = run(&study_from(&text("10.01")), DrawMethod::PerDay);
    let (mut labels, mut resold_value) = (0.0, 0.0);
    for o in &r.variants[0].outputs {
        assert!((o[Metric::Refunds] - 10.01 * o[Metric::Returns]).abs() < 1e-6);
        labels += o[Metric::ReturnsCost];
        resold_value += 5.0 * o[Metric::Orders] - o[Metric::Cogs];
    }
    assert!(
        labels > 0.0 && resold_value > 0.0,
        "{labels} {resold_value}"
    );
}

#[test]
fn return_rules_do_not_apply_outside_their_market() {
    // Thailand has no rule in data/market_rules.toml: every return costs a whole label.
    let text = us_returns(
        "logistics.promise_days = 60\nreturns.base_rate = 0.1\nreturns.late_per_day = 0",
    )
    .replace("market = \"us\"", "market = \"th\"")
    .replace("route = \"fbt\"", "route = \"platform_shipping\"");
    let r = run(&study_from(&text), DrawMethod::PerDay);
    for o in &r.variants[0].outputs {
        assert!((o[Metric::ReturnsCost] - 4.0 * o[Metric::Returns]).abs() < 1e-6);
    }
}

#[test]
fn a_shop_below_a_campaigns_score_threshold_gets_no_lift() {
    // A campaign asking for a score of 3.5: a shop scoring 3 is turned away in every
    // trial (the same orders as with no event), one scoring 4 (the default) never, and a
    // score drawn uniformly from 3 to 4 misses it in half the trials (within 4 standard
    // errors of a Bernoulli(0.5) mean over 400 trials).
    let with = |score: &str, trials: u64| {
        let text = format!(
            "{CLOSED_FORM}\n[[events]]\nname = \"campaign\"\nstart_day = 30\nend_day = 36\ndemand_multiplier = 3\nmin_shop_score = 3.5\n"
        )
        .replace("[base]\n", &format!("[base]\nshop.performance_score = {score}\n"));
        let mut s = study_from(&text);
        s.override_run(Some(trials), None).unwrap();
        run(&s, DrawMethod::PerDay)
    };
    let mut base = study_from(CLOSED_FORM);
    base.override_run(Some(200), None).unwrap();
    let base = run(&base, DrawMethod::PerDay);
    let missed = |r: &StudyResults| column(&r.variants[0], Metric::CampaignsMissed);
    let low = with("3", 200);
    assert_eq!(
        column(&low.variants[0], Metric::Orders),
        column(&base.variants[0], Metric::Orders)
    );
    assert!(missed(&low).iter().all(|&m| m == 1.0));
    assert!(missed(&with("4", 200)).iter().all(|&m| m == 0.0));
    let (mean, _) = mean_se(&missed(&with("\"uniform(3, 4)\"", 400)));
    let se = (0.25_f64 / 400.0).sqrt();
    assert!((mean - 0.5).abs() < 4.0 * se, "{mean}");
}

/// A study runs every variant of a trial on one set of shared draws (each day's stream
/// starts, the live draws and demand noise, the viral multipliers): each variant must get
/// exactly what it gets alone. The variants here differ in the parameters the shared draws
/// depend on (demand noise, viral spikes), so a variant that wrongly took another's shared
/// draws would give other numbers.
#[test]
fn variants_run_together_give_what_each_gives_alone() {
    let text = scenario::BUILT_IN
        .replace("trials = 4000", "trials = 40")
        .replace(
            "name = \"self_3pl\"\nmodel = \"self_operated\"",
            "name = \"self_3pl\"\nmodel = \"self_operated\"\ndemand.daily_cv = 0.6\ndemand.viral_rate = 0.2",
        )
        .replace(
            "name = \"managed\"\nmodel = \"fully_managed\"",
            "name = \"managed\"\nmodel = \"fully_managed\"\ndemand.daily_cv = 0\ndemand.viral_median = 5",
        );
    assert!(text.contains("demand.viral_median = 5") && text.contains("daily_cv = 0.6"));
    let s = study_from(&text);
    let spec = s.spec();
    let together = study::run(spec, DrawMethod::PerDay, &|_| {});
    let horizon = spec.horizon_days();
    for (k, variant) in spec.variants().iter().enumerate() {
        let cal = Calendar::new(spec.events(), horizon, variant.setting().market);
        for trial_index in 0..spec.trials() {
            // The study's sampling (a Latin hypercube by default): the trial's inputs
            // alone are those it draws in its block.
            let range = trial_index..trial_index + 1;
            let v =
                inputs::sample_batch(variant, spec.events(), spec.seed(), range, spec.sampling())
                    .remove(0);
            let (mut profit, mut cash, mut histogram) =
                (vec![0f32; horizon], vec![0f32; horizon], Vec::new());
            let alone = shopsim::sim::trial::run(
                variant,
                &cal,
                &v,
                spec.seed(),
                trial_index,
                DrawMethod::PerDay,
                shopsim::sim::trial::DailyPaths {
                    cumulative_profit: &mut profit,
                    cash: &mut cash,
                    delay_histogram: &mut histogram,
                },
            );
            let t = trial_index as usize;
            // Bits, not values: an undefined output (NaN) must match too.
            let bits = |o: &shopsim::sim::Outputs| o.0.map(f64::to_bits);
            assert_eq!(
                bits(&together.variants[k].outputs[t]),
                bits(&alone),
                "variant {k}, trial {t}"
            );
            let rows = t * horizon..(t + 1) * horizon;
            assert_eq!(
                together.variants[k].cumulative_profit[rows.clone()],
                profit[..]
            );
            assert_eq!(together.variants[k].cash[rows], cash[..]);
        }
    }
}

#[test]
fn a_supplier_declines_a_cut_below_full_cost_and_its_product_is_delisted_that_day() {
    // Full cost $5 + $0.4 packaging + $0.2 inbound = $5.60; quoted at 1.2×, cut 10% every
    // 30 days: 1.08× on day 31, 0.972× on day 61, below cost: declined, delisted on day
    // 61 (1-based), and nothing sells from then on. Self-operated is never delisted.
    let managed = |horizon: u64| {
        let text = one_route(
            "fbt",
            "price.supply_markup = 1.2\nprice.supply_cut = 0.1\nprice.supply_cut_every_days = 30\ncosts.packaging = 0.4\ninventory.inbound_cost_per_unit = 0.2",
        )
        .replace("costs.packaging = 0\n", "")
        .replace("horizon_days = 60", &format!("horizon_days = {horizon}"));
        run(&study_from(&text), DrawMethod::PerDay)
    };
    let long = managed(90);
    let short = managed(60);
    for (l, s) in long.variants[1]
        .outputs
        .iter()
        .zip(&short.variants[1].outputs)
    {
        assert_eq!(l[Metric::DelistedDay], 61.0);
        assert!(s[Metric::DelistedDay].is_nan());
        assert_eq!(l[Metric::Orders], s[Metric::Orders]);
    }
    assert!(long.variants[1]
        .outputs
        .iter()
        .any(|o| o[Metric::Orders] > 0.0));
    assert!(long.variants[0]
        .outputs
        .iter()
        .all(|o| o[Metric::DelistedDay].is_nan()));
}

#[test]
fn a_managed_supplier_with_more_listings_sells_in_proportion_and_stocks_each() {
    // Five listings: the platform's traffic comes to each (five times the expected
    // orders, within 4 standard errors of the ratio) and each is stocked by the policy
    // (the opening stock is five times as large: the fill rate stays as high). The
    // self-operated shop does not change at all.
    let text = |listings: u32| {
        one_route(
            "fbt",
            &format!("demand.managed_listings = {listings}\ndemand.managed_orders_per_day = 20"),
        )
    };
    let one = run(&study_from(&text(1)), DrawMethod::PerDay);
    let five = run(&study_from(&text(5)), DrawMethod::PerDay);
    let ratio: Vec<f64> = five.variants[1]
        .outputs
        .iter()
        .zip(&one.variants[1].outputs)
        .map(|(f, o)| f[Metric::Orders] / o[Metric::Orders])
        .collect();
    let (mean, se) = mean_se(&ratio);
    // (The mean of the ratios sits above 5 by about 5/1,200 (Jensen), well inside 4 se.)
    assert!((mean - 5.0).abs() < 4.0 * se, "{mean} (se {se})");
    let fill = |r: &StudyResults| mean_se(&column(&r.variants[1], Metric::FillRate)).0;
    assert!(
        fill(&five) > 0.95 && fill(&one) > 0.95,
        "{} {}",
        fill(&five),
        fill(&one)
    );
    for (f, o) in five.variants[0]
        .outputs
        .iter()
        .zip(&one.variants[0].outputs)
    {
        assert_eq!(f[Metric::Profit], o[Metric::Profit]);
    }
}

#[test]
fn a_delisted_products_stock_is_written_down_to_its_recovery_that_day_and_moves_no_cash() {
    // The schedule of the test above: delisted on day 61 of 90. Recovery 1 keeps the
    // stock at its landed cost (nothing written down); recovery 0.25 writes three quarters
    // of it off that day. Nothing sells after the delisting, so the stock left at the end
    // is the stock held then, at a quarter of the cost, and profit falls by exactly what
    // the stock lost:
    // cash, sales and every count stay as they were.
    let managed = |horizon: u64, extra: &str| {
        let text = one_route(
            "fbt",
            &format!("price.supply_markup = 1.2\nprice.supply_cut = 0.1\nprice.supply_cut_every_days = 30\ncosts.packaging = 0.4\ninventory.inbound_cost_per_unit = 0.2\n{extra}"),
        )
        .replace("costs.packaging = 0\n", "")
        .replace("returns.resellable_fraction = 0\n", "")
        .replace("inventory.storage_cost_per_unit_day = 0\n", "")
        .replace("horizon_days = 60", &format!("horizon_days = {horizon}"));
        run(&study_from(&text), DrawMethod::PerDay)
    };
    for resellable in ["0", "0.5"] {
        let at = |recovery: &str| {
            managed(
                90,
                &format!(
                    "returns.resellable_fraction = {resellable}\ninventory.delisted_recovery = {recovery}"
                ),
            )
            .variants[1]
                .clone()
        };
        let (kept, written) = (at("1"), at("0.25"));
        for (k, w) in kept.outputs.iter().zip(&written.outputs) {
            assert_eq!(w[Metric::DelistedDay], 61.0);
            assert_eq!(k[Metric::StockWriteDown], 0.0);
            let held = k[Metric::ClosingStockValue];
            assert!(held > 0.0);
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * held;
            assert!(
                close(w[Metric::ClosingStockValue], 0.25 * held),
                "{resellable}"
            );
            assert!(close(k[Metric::Profit] - w[Metric::Profit], 0.75 * held));
            // Returns are booked on the day of the sale: none come back after the
            // delisting, resold or not.
            assert!(close(w[Metric::StockWriteDown], 0.75 * held));
            for m in [
                Metric::Orders,
                Metric::Gmv,
                Metric::NetRevenue,
                Metric::WorkingCapitalNeeded,
            ] {
                assert_eq!(k[m], w[m], "{}", m.name());
            }
        }
        assert_eq!(kept.cash, written.cash);
        assert!(written
            .outputs
            .iter()
            .any(|o| o[Metric::StockWriteDown] > 0.0));
    }
    // The supplier has the stock back from the delisting day: storage (here set on the
    // managed variant too) stops then, so a year of 90 days pays what 60 days do.
    let storage = "inventory.storage_cost_per_unit_day = 0.01\nreturns.resellable_fraction = 0";
    let stored = |horizon: u64| {
        managed(horizon, storage).variants[1]
            .outputs
            .iter()
            .map(|o| o[Metric::StorageCost])
            .collect::<Vec<f64>>()
    };
    let (long, short) = (stored(90), stored(60));
    assert!(short.iter().all(|&s| s > 0.0));
    assert_eq!(long, short);
    // Listed to the end, or without stock: nothing to write down, and the recovery changes
    // no number.
    for (horizon, extra) in [(60, ""), (90, "inventory.enabled = 0\n")] {
        let at = |recovery: &str| {
            managed(
                horizon,
                &format!("{extra}returns.resellable_fraction = 0\ninventory.delisted_recovery = {recovery}"),
            )
        };
        let (kept, written) = (at("1"), at("0.25"));
        assert!(written.variants[1]
            .outputs
            .iter()
            .all(|o| o[Metric::StockWriteDown] == 0.0));
        // As bits: an undefined output (the delisting day) is NaN, never equal to itself.
        let bits = |r: &StudyResults| -> Vec<[u64; METRIC_COUNT]> {
            r.variants[1]
                .outputs
                .iter()
                .map(|o| o.0.map(f64::to_bits))
                .collect()
        };
        assert_eq!(bits(&kept), bits(&written), "{horizon} {extra}");
    }
}
