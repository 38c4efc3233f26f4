//! One trial: a possible history of the horizon, day by day (MODEL.md sections 2-7).
//!
//! A day is a fixed sequence of named steps, each in its own module so that a model change
//! touches one of them: `demand` (what buyers want), `stock` (what can be sold),
//! `delivery` (lost parcels, delays, returns, complaints), `money` (the day's money per
//! operating model), `cash` (payouts and payments), and `totals`. What is fixed for the
//! trial (event regimes, delay distributions, prices) is worked out once in `regimes` and
//! the steps' constructors.
//!
//! The work per day does not depend on the number of orders: every count is a Poisson,
//! gamma or binomial draw. Two exact ways of drawing a day's returns and complaints are
//! implemented ([`DrawMethod`]); `PerDay` is the default because it costs a fixed three
//! draws a day where `PerBin` costs about three per non-empty delay bin (see the `trials`
//! benchmark), and a test shows both give the same means.

mod buyers;
mod calendar;
mod cash;
mod delivery;
mod demand;
mod draws;
pub mod floor;
mod landed;
mod money;
mod penalty;
mod probation;
mod regimes;
mod shared;
mod stock;
mod totals;

pub use calendar::Calendar;
pub use demand::{expected_orders, DemandModel, MAX_DAILY_ORDERS};
pub use shared::SharedDraws;

/// The count samplers, for the `samplers` benchmark (not an API).
#[doc(hidden)]
pub mod samplers {
    pub use super::draws::{binomial, poisson, Chance};
}

use super::inputs::TrialInputs;
use super::outputs::Outputs;
use super::spec::VariantSpec;
use crate::params::P;
use buyers::Buyers;
use cash::CashFlow;
use delivery::Deliveries;
use demand::DemandDraws;
use landed::LandedStock;
use money::{DayActivity, MoneyModel};
use penalty::DispatchPenalty;
use probation::Probation;
use regimes::TrialRegimes;
use stock::Stock;
use totals::{Totals, TrialEnd};

/// How a day's returns, complaints and delays are drawn (MODEL.md "Implementation notes").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DrawMethod {
    /// Returns and complaints from the day's mean probabilities (three draws a day); the
    /// delay histogram is one multinomial draw per delay regime at the end of the trial.
    #[default]
    PerDay,
    /// Split each day's deliveries over the delay bins, then draw per bin: exact jointly.
    PerBin,
}

/// Where [`run`] writes a trial's paths: caller-owned slices (one value per day) and a
/// delivery-delay histogram the trial adds its parcels to (grown as needed).
pub struct DailyPaths<'a> {
    /// Cumulative profit at the end of each day.
    pub cumulative_profit: &'a mut [f32],
    /// Cash position at the end of each day.
    pub cash: &'a mut [f32],
    /// Parcels by delivery delay in days, summed over trials.
    pub delay_histogram: &'a mut Vec<u64>,
}

/// Runs one trial and returns its outputs; the daily paths go into `daily`.
pub fn run(
    variant: &VariantSpec,
    calendar: &Calendar,
    v: &TrialInputs,
    seed: u64,
    trial: u64,
    method: DrawMethod,
    daily: DailyPaths<'_>,
) -> Outputs {
    let mut shared = SharedDraws::new(seed, trial, calendar.horizon());
    run_shared(variant, calendar, v, &mut shared, method, daily)
}

/// [`run`] for the trial of `shared`, whose draws the trial's variants share: running
/// every variant of a trial on one [`SharedDraws`] gives the results of [`run`], with
/// the shared work done once.
pub fn run_shared(
    variant: &VariantSpec,
    calendar: &Calendar,
    v: &TrialInputs,
    shared: &mut SharedDraws,
    method: DrawMethod,
    daily: DailyPaths<'_>,
) -> Outputs {
    let (seed, trial) = (shared.seed(), shared.trial());
    let horizon = calendar.horizon();
    let setting = variant.setting();
    let regimes = TrialRegimes::new(calendar, v, setting, &mut shared.transit);
    let mut demand = DemandDraws::new(v, setting.model);
    demand.share(shared, horizon);
    let shared = &*shared;
    let money = MoneyModel::new(variant, v);
    let mut stock = Stock::new(v, setting.model, seed, trial);
    let mut held = LandedStock::default();
    let mut deliveries = Deliveries::new(
        method,
        &regimes,
        v,
        setting.model == crate::params::Model::SelfOperated,
    );
    let mut cash = CashFlow::new(v, setting.model, horizon);
    let mut probation = Probation::new(v, setting.model, variant.probation_caps());
    let mut totals = Totals::new();
    let mut buyers = Buyers::new(v, setting.model);
    let mut penalty = DispatchPenalty::new(v, variant.penalty());
    // The first day (0-based) a fully managed supplier declined the platform's price.
    let mut delisted: Option<usize> = None;

    for day in 0..horizon {
        let regime = &regimes.regimes[calendar.day_regime[day] as usize];
        let mut wanted = demand.day(shared, day, regime);
        wanted.repeat = buyers.repeat_orders(shared, day);
        wanted.wanted += wanted.repeat;
        if delisted.is_none() && money.supplier_declines(day, regime.duty_rate) {
            delisted = Some(day);
            stock.stop_buying();
        }
        // A delisted product is off the catalogue: nobody can order it (the day's draws are
        // still made, so the other variants' stay aligned).
        if delisted.is_some() {
            wanted.wanted = 0;
            wanted.repeat = 0;
        }
        // Caps (late dispatch, probation) turn away the orders above them: lost sales,
        // as a stock-out's.
        let in_probation = probation.start_day(day);
        let probation_cap = if in_probation {
            probation.order_cap(day)
        } else {
            u64::MAX
        };
        let allowed = wanted.wanted.min(penalty.cap()).min(probation_cap);
        wanted.capped = wanted.wanted - allowed;
        let sold = stock.sell(day, allowed);
        let dispatch = penalty.record(shared, day, sold);
        let delivery = deliveries.day(shared, day, sold, regime, &regimes);
        let delays = &regimes.delays[regime.delay];
        buyers.update(wanted.repeat, &delivery, delays.late_share);
        stock.put_back(delivery.resold);
        stock.reorder(day);
        let day_money = money.day(
            &DayActivity {
                day,
                live: wanted.live,
                supply_price_multiplier: regime.supply_price,
                duty_rate: regime.duty_rate,
                campaign_price_factor: regime.campaign_price_factor,
                campaign_fee_rate: regime.campaign_fee_rate,
                campaign_coupon_share: regime.campaign_coupon_share,
                creator_order_share: wanted.creator_order_share(),
                sold,
                delisted_on: delisted,
                late_dispatch_fee: dispatch.fee,
                delivery: &delivery,
                stock: &stock,
            },
            &mut held,
        );
        // A new shop in probation and a shop over the late-dispatch threshold are paid later:
        // the later of the holds applies.
        let probation_hold = in_probation.then(|| probation.settlement_days());
        let held_to = probation_hold.max(dispatch.settlement_days);
        let cash_now = cash.day(day, &day_money, delays, held_to);
        probation.record(delivery.delivered);
        let profit_now = totals.add(day, &wanted, sold, &delivery, &dispatch, &day_money);
        // A day beyond the counts' bounds marks its cumulative profit undefined: the
        // study's check of non-finite values then refuses the run, naming the day.
        daily.cumulative_profit[day] = if wanted.beyond_bounds {
            f32::NAN
        } else {
            profit_now as f32
        };
        daily.cash[day] = cash_now as f32;
    }

    let histogram = deliveries.histogram(seed, trial, horizon, &regimes);
    add_histogram(daily.delay_histogram, &histogram);
    totals.finish(TrialEnd {
        histogram: &histogram,
        promise_days: v[P::PromiseDays] as usize,
        lowest_cash: cash.lowest(),
        available_capital: v[P::AvailableCapital],
        retail_price: v[P::RetailPrice],
        campaigns_missed: regimes.campaigns_missed,
        probation_end_day: probation.end_day(),
        delisted_day: delisted.map_or(f64::NAN, |d| (d + 1) as f64),
        closing_stock_value: held.value(),
    })
}

/// Adds a trial's parcels by delay to the study's histogram (grown as needed).
fn add_histogram(total: &mut Vec<u64>, trial: &[u64]) {
    if total.len() < trial.len() {
        total.resize(trial.len(), 0);
    }
    for (t, n) in total.iter_mut().zip(trial) {
        *t += n;
    }
}
