//! Charts of a fit: the shop's own data against what the fit says it should look like,
//! so a seller sees where the model fits their shop and where it does not. Each chart is
//! a small data struct (built from the orders and the fit) and a drawing (pure: data in,
//! bytes out, through [`render`]); `fit_charts` builds and renders them all.
//!
//! - `daily_orders`: orders per day, the fitted level (with its ramp) and the band that
//!   holds 90% of days under the fitted gamma-Poisson.
//! - `transit_<n>`: per route (n = its place in [`ShopFit::routes`], from 1), the
//!   delivered parcels' transit days against the fitted log-normal.
//! - `returns`: the share returned per day late, with Jeffreys intervals, against the
//!   fitted `base + late_per_day · days late`.
//! - `return_reasons` (with `--returns`): returns per reason, coloured by who the reason
//!   puts the return on, with the at-fault share and its interval.

use std::collections::HashMap;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::estimate::delays::{Durations, LogNormalFit, MIN_OBSERVED};
use super::estimate::demand::{weekday, MIN_DAYS};
use super::estimate::fees::fit_at_fault;
use super::estimate::rates::{fault_of, Fault, ReturnFit, MIN_ORDERS};
use super::estimate::{share, Estimate};
use super::land::{short, thousands};
use super::read::cells::DayText;
use super::read::orders::Orders;
use super::read::returns::Returns;
use super::shop::{return_outcomes, transit_durations, RouteFit, Settings, ShopFit};
use crate::format::{fmt_percent, plural};
use crate::output::charts::{
    axis_font, caption_font, draw_legend, err, render, styled_mesh, tick_font, variant_colour,
    Chart, ChartFormat, DrawResult, Rendered,
};

/// The charts of a fit, and the ones not drawn.
pub struct FitCharts {
    /// The charts drawn, for [`crate::output::write_charts`].
    pub rendered: Vec<Rendered>,
    /// One line per chart not drawn: its file stem and why there is nothing to draw.
    pub skipped: Vec<String>,
}

/// Every chart of a fit, rendered in `format`. A chart without data or fit (too few days,
/// parcels or closed return windows for its estimate) is skipped with a one-line reason;
/// an `Err` is a drawing failure.
pub fn fit_charts(
    orders: &Orders,
    shop: &ShopFit,
    settings: &Settings,
    returns: Option<&Returns>,
    format: ChartFormat,
) -> Result<FitCharts, String> {
    let mut out = FitCharts {
        rendered: Vec::new(),
        skipped: Vec::new(),
    };
    match DailyChart::from_fit(shop) {
        Ok(chart) => out.rendered.push(render(&chart, format)?),
        Err(why) => out.skipped.push(format!("daily_orders: {why}")),
    }
    for (i, route) in shop.routes.iter().enumerate() {
        let stem = format!("transit_{}", i + 1);
        match TransitChart::from_fit(orders, shop, route) {
            Ok(chart) => {
                let mut rendered = render(&chart, format)?;
                rendered.stem = stem;
                out.rendered.push(rendered);
            }
            Err(why) => out
                .skipped
                .push(format!("{stem} (route `{}`): {why}", route.name)),
        }
    }
    match ReturnsChart::from_fit(orders, shop, settings) {
        Ok(chart) => out.rendered.push(render(&chart, format)?),
        Err(why) => out.skipped.push(format!("returns: {why}")),
    }
    if let Some(returns) = returns {
        match ReasonsChart::from_returns(returns) {
            Ok(chart) => out.rendered.push(render(&chart, format)?),
            Err(why) => out.skipped.push(format!("return_reasons: {why}")),
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Return reasons
// ---------------------------------------------------------------------------------------

/// Returns per reason, as the returns export writes them, by who the reason puts them on.
pub struct ReasonsChart {
    /// (reason, returns, fault), most returns first; at most [`MAX_REASONS`].
    pub reasons: Vec<(String, u64, Fault)>,
    /// Returns under the reasons not shown.
    pub others: u64,
    /// The at-fault share among classified returns.
    pub at_fault: Option<Estimate>,
}

/// Reasons shown; the rest are counted together.
pub const MAX_REASONS: usize = 12;

impl ReasonsChart {
    /// From the returns export; `Err` when it holds no return.
    pub fn from_returns(returns: &Returns) -> Result<ReasonsChart, String> {
        let mut counts: HashMap<String, u64> = HashMap::new();
        for r in &returns.returns {
            let reason = if r.reason.trim().is_empty() {
                "(no reason given)".to_string()
            } else {
                r.reason.trim().to_string()
            };
            *counts.entry(reason).or_default() += 1;
        }
        if counts.is_empty() {
            return Err("the returns export holds no return".into());
        }
        let mut reasons: Vec<(String, u64, Fault)> = counts
            .into_iter()
            .map(|(reason, n)| {
                let fault = fault_of(&reason);
                (reason, n, fault)
            })
            .collect();
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let others = reasons.iter().skip(MAX_REASONS).map(|r| r.1).sum();
        reasons.truncate(MAX_REASONS);
        let at_fault = fit_at_fault(returns.returns.iter().map(|r| r.reason.as_str())).at_fault;
        Ok(ReasonsChart {
            reasons,
            others,
            at_fault,
        })
    }
}

impl Chart for ReasonsChart {
    fn file_stem(&self) -> &'static str {
        "return_reasons"
    }

    fn title(&self) -> &'static str {
        "Return reasons"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let rows = self.reasons.len();
        let most = self.reasons.iter().map(|r| r.1).max().unwrap_or(1) as f64;
        let labels: Vec<String> = self.reasons.iter().map(|r| r.0.clone()).collect();
        let mut chart = ChartBuilder::on(area)
            .caption(self.title(), caption_font())
            .margin(20)
            .x_label_area_size(60)
            .y_label_area_size(260)
            // Room under the bars for the legend.
            .build_cartesian_2d(0.0..most * 1.2, -1.9..(rows as f64 - 0.4))
            .map_err(err)?;
        let x_desc = if self.others > 0 {
            format!(
                "returns ({} more under other reasons)",
                thousands(self.others)
            )
        } else {
            "returns".to_string()
        };
        styled_mesh(&mut chart)
            .x_desc(x_desc)
            .y_labels(rows + 3)
            .y_label_formatter(&|v| {
                whole(*v)
                    .and_then(|i| usize::try_from(rows as i64 - 1 - i).ok())
                    .and_then(|i| labels.get(i).cloned())
                    .unwrap_or_default()
            })
            .x_label_formatter(&|v| whole(*v).map_or(String::new(), |n| n.to_string()))
            .disable_y_mesh()
            .draw()
            .map_err(err)?;
        let colour = |fault: Fault| match fault {
            Fault::AtFault => fit_colour(),
            Fault::ChangeOfMind => data_colour(),
            Fault::Unknown => RGBColor(150, 150, 150),
        };
        // Most returns at the top.
        let y = |i: usize| (rows - 1 - i) as f64;
        chart
            .draw_series(self.reasons.iter().enumerate().map(|(i, (_, n, fault))| {
                Rectangle::new(
                    [(0.0, y(i) - 0.35), (*n as f64, y(i) + 0.35)],
                    colour(*fault).mix(0.7).filled(),
                )
            }))
            .map_err(err)?;
        chart
            .draw_series(self.reasons.iter().enumerate().map(|(i, (_, n, _))| {
                Text::new(
                    thousands(*n),
                    (*n as f64 + most * 0.01, y(i)),
                    tick_font().pos(Pos::new(HPos::Left, VPos::Center)),
                )
            }))
            .map_err(err)?;
        let at_fault = match &self.at_fault {
            Some(e) => format!(
                "at the seller's fault: damaged, wrong, not as described… ({} of classified returns, 95%: {}..{})",
                fmt_percent(e.value),
                fmt_percent(e.lo),
                fmt_percent(e.hi)
            ),
            None => "at the seller's fault: damaged, wrong, not as described…".to_string(),
        };
        for (label, fault) in [
            (at_fault, Fault::AtFault),
            (
                "change of mind: no longer needed, ordered by mistake…".to_string(),
                Fault::ChangeOfMind,
            ),
            ("the reason does not say".to_string(), Fault::Unknown),
        ] {
            let c = colour(fault);
            chart
                .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
                .map_err(err)?
                .label(label)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 18, y + 5)], c.mix(0.7).filled())
                });
        }
        draw_legend(&mut chart, SeriesLabelPosition::LowerRight, 3)
    }
}

/// The data's colour (the first of the palette: blue).
fn data_colour() -> RGBColor {
    variant_colour(0)
}

/// The fit's colour (the second: orange).
fn fit_colour() -> RGBColor {
    variant_colour(1)
}

/// `v` when it is whole, else nothing: axis labels only at whole days and counts.
fn whole(v: f64) -> Option<i64> {
    ((v - v.round()).abs() < 1e-6).then_some(v.round() as i64)
}

// ---------------------------------------------------------------------------------------
// Daily orders
// ---------------------------------------------------------------------------------------

/// Orders per day against the fitted demand.
pub struct DailyChart {
    /// Day count (since 1970) of `counts[0]`.
    pub first_day: i64,
    /// Orders created each day (not cancelled before shipping), as the fit counted them.
    pub counts: Vec<u64>,
    /// Days the level left out (drawn hollow).
    pub excluded: Vec<bool>,
    /// Orders a day at full ramp-up.
    pub level: f64,
    /// The day-to-day noise beyond Poisson (cv of the daily gamma factor).
    pub cv: f64,
    /// Days of the linear ramp from the first day (0: none).
    pub ramp_days: f64,
}

impl DailyChart {
    /// The chart of a fit; `Err` says why there is none.
    pub fn from_fit(shop: &ShopFit) -> Result<Self, String> {
        let Some(demand) = &shop.demand else {
            return Err(format!(
                "no demand fit: {} days of orders, at least {MIN_DAYS} needed",
                shop.daily.counts.len()
            ));
        };
        if shop.daily.counts.is_empty() {
            return Err("no orders".into());
        }
        Ok(DailyChart {
            first_day: shop.daily.first_day,
            counts: shop.daily.counts.clone(),
            excluded: shop.daily.excluded.clone(),
            level: demand.level.value,
            cv: demand.daily_cv.value,
            ramp_days: demand.ramp_days.value,
        })
    }

    /// The fitted mean of day `t` (0 = the first day): level · min(1, (t + 1) / ramp).
    pub fn mean(&self, t: usize) -> f64 {
        self.mean_at(t as f64)
    }

    /// The same at any point of the day axis (day `t` is centred on `t`).
    fn mean_at(&self, x: f64) -> f64 {
        if self.ramp_days > 0.0 {
            self.level * ((x + 1.0) / self.ramp_days).clamp(0.0, 1.0)
        } else {
            self.level
        }
    }

    /// Each day's 5% and 95% quantiles under the fitted model.
    pub fn band(&self) -> Vec<(u64, u64)> {
        let mut seen: HashMap<u64, (u64, u64)> = HashMap::new();
        (0..self.counts.len())
            .map(|t| {
                let mean = self.mean(t);
                *seen.entry(mean.to_bits()).or_insert_with(|| {
                    let q = nb_quantiles(mean, self.cv, &[0.05, 0.95]);
                    (q[0], q[1])
                })
            })
            .collect()
    }
}

/// Quantiles of the model's daily orders: gamma-Poisson (negative binomial) with mean
/// `mean` and variance mean + cv²·mean² (shape r = 1/cv²; cv = 0 is Poisson). For each
/// `p`, the smallest k with P(X ≤ k) ≥ p, computed exactly from the pmf: the pmf relative
/// to its mode m = ⌊mean·(1 − cv²)⌋ by the ratio P(k+1)/P(k) = mean/(k+1) · (k+r)/(r+mean),
/// walked down and up from the mode until a term falls below 1e-30 of the mode's (the pmf
/// falls at least geometrically there, so the mass cut off is negligible), then
/// normalised by the sum. No under- or overflow at any mean; the walk is a few dozen
/// standard deviations long (for cv > 1, as long as the heavy right tail).
pub fn nb_quantiles(mean: f64, cv: f64, probs: &[f64]) -> Vec<u64> {
    if !(mean.is_finite() && mean > 0.0) {
        return vec![0; probs.len()];
    }
    let cv2 = if cv.is_finite() {
        cv.max(0.0).powi(2)
    } else {
        0.0
    };
    // Below this the extra variance cv²·mean² is lost in the Poisson's mean: Poisson.
    let poisson = cv2 * mean < 1e-15;
    let r = 1.0 / cv2;
    let ratio = |k: u64| {
        let k = k as f64;
        let poisson_part = mean / (k + 1.0);
        if poisson {
            poisson_part
        } else {
            poisson_part * ((k + r) / (r + mean))
        }
    };
    const TINY: f64 = 1e-30;
    let mode = if poisson {
        mean.floor()
    } else {
        (mean * (1.0 - cv2)).floor().max(0.0)
    } as u64;
    // P(k)/P(mode) below the mode, lowest first (the pmf rises to the mode).
    let mut below = Vec::new();
    let mut w = 1.0;
    let mut k = mode;
    while k > 0 {
        w /= ratio(k - 1);
        if w < TINY {
            break;
        }
        below.push(w);
        k -= 1;
    }
    below.reverse();
    let low = mode - below.len() as u64;
    // From the mode up (falling): walked twice, for the total and then the quantiles,
    // rather than stored (the tail of a large mean with cv > 1 is millions of terms).
    let from_mode = |visit: &mut dyn FnMut(u64, f64) -> bool| {
        let (mut w, mut k) = (1.0, mode);
        while w >= TINY && visit(k, w) {
            w *= ratio(k);
            k += 1;
        }
    };
    let mut total: f64 = below.iter().sum();
    from_mode(&mut |_, w| {
        total += w;
        true
    });
    let mut order: Vec<usize> = (0..probs.len()).collect();
    order.sort_by(|&a, &b| probs[a].total_cmp(&probs[b]));
    let mut out = vec![0; probs.len()];
    let mut next = 0;
    let mut cumulative = 0.0;
    let mut last = mode;
    let mut visit = |k: u64, w: f64| {
        cumulative += w;
        last = k;
        while next < order.len() && cumulative >= probs[order[next]] * total {
            out[order[next]] = k;
            next += 1;
        }
        next < order.len()
    };
    let mut more = true;
    for (i, &w) in below.iter().enumerate() {
        more = visit(low + i as u64, w);
        if !more {
            break;
        }
    }
    if more {
        from_mode(&mut visit);
    }
    // Rounding can leave p ≈ 1 unreached: the last term walked.
    while next < order.len() {
        out[order[next]] = last;
        next += 1;
    }
    out
}

/// Tick positions (day indices) of a date axis over `days` days: every day, two days, a
/// week, two weeks… (weeks start on Mondays), at most nine.
fn date_ticks(first_day: i64, days: usize) -> Vec<f64> {
    let step = [1usize, 2, 7, 14, 28, 56, 91, 182, 364, 728]
        .into_iter()
        .find(|s| days.div_ceil(*s) <= 9)
        .unwrap_or(days.max(1));
    let start = if step >= 7 {
        (0..7)
            .find(|&t| weekday(first_day + t as i64) == 0)
            .unwrap_or(0)
    } else {
        0
    };
    (start..days).step_by(step).map(|t| t as f64).collect()
}

/// The daily chart's x axis: day indices, with ticks at [`date_ticks`] (plotters' own
/// `f64` axis puts them at round numbers, not at days of the week).
struct DayAxis {
    days: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ranged for DayAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.days.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        self.ticks.clone()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.days.range()
    }
}

impl Chart for DailyChart {
    fn file_stem(&self) -> &'static str {
        "daily_orders"
    }

    fn title(&self) -> &'static str {
        "Daily orders: data and fit"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let n = self.counts.len().max(1);
        let band = self.band();
        let top = self
            .counts
            .iter()
            .map(|&c| c as f64)
            .chain(band.iter().map(|&(_, hi)| hi as f64))
            .chain(std::iter::once(self.level))
            .fold(1.0f64, f64::max)
            * 1.1;
        let x_range = DayAxis {
            days: (-0.5..(n as f64 - 0.5)).into(),
            ticks: date_ticks(self.first_day, self.counts.len()),
        };
        let mut chart = ChartBuilder::on(area)
            .caption(self.title(), caption_font())
            .margin(20)
            .x_label_area_size(60)
            .y_label_area_size(80)
            .build_cartesian_2d(x_range, 0.0..top)
            .map_err(err)?;
        let first_day = self.first_day;
        chart
            .configure_mesh()
            .axis_desc_style(axis_font())
            .label_style(tick_font())
            .x_desc("date")
            .y_desc("orders")
            .x_label_formatter(&|v| {
                whole(*v).map_or(String::new(), |t| DayText(first_day + t).to_string())
            })
            .y_label_formatter(&|v| whole(*v).map_or(format!("{v:.1}"), |c| c.to_string()))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;

        // The band: a step per day from its 5% to its 95% quantile.
        let fit = fit_colour();
        let mut outline: Vec<(f64, f64)> = Vec::with_capacity(4 * band.len());
        for (t, &(_, hi)) in band.iter().enumerate() {
            outline.push((t as f64 - 0.5, hi as f64));
            outline.push((t as f64 + 0.5, hi as f64));
        }
        for (t, &(lo, _)) in band.iter().enumerate().rev() {
            outline.push((t as f64 + 0.5, lo as f64));
            outline.push((t as f64 - 0.5, lo as f64));
        }
        chart
            .draw_series(std::iter::once(Polygon::new(outline, fit.mix(0.2))))
            .map_err(err)?
            .label("90% of days under the fit (5%-95% quantiles of the gamma-Poisson)")
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 7), (x + 24, y + 7)], fit.mix(0.3).filled())
            });

        // The fitted mean is linear up to the ramp's end and flat after: its corners.
        let end = n as f64 - 0.5;
        let mut corners = vec![-0.5, end];
        if self.ramp_days > 0.0 && self.ramp_days - 1.0 < end {
            corners.insert(1, (self.ramp_days - 1.0).max(-0.5));
        }
        let level: Vec<(f64, f64)> = corners.iter().map(|&x| (x, self.mean_at(x))).collect();
        let ramp = if self.ramp_days > 0.0 {
            format!(" after a {:.0}-day ramp", self.ramp_days)
        } else {
            String::new()
        };
        chart
            .draw_series(LineSeries::new(level, fit.stroke_width(3)))
            .map_err(err)?
            .label(format!(
                "fit: {} orders a day{ramp}, day-to-day cv {}",
                short(self.level),
                short(self.cv)
            ))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], fit.stroke_width(4)));

        let data = data_colour();
        let radius = (600 / n).clamp(2, 5) as i32;
        let is_excluded = |t: usize| self.excluded.get(t).copied().unwrap_or(false);
        chart
            .draw_series(
                self.counts
                    .iter()
                    .enumerate()
                    .filter(|(t, _)| !is_excluded(*t))
                    .map(|(t, &c)| Circle::new((t as f64, c as f64), radius, data.filled())),
            )
            .map_err(err)?
            .label(format!(
                "orders a day ({}, {}..{})",
                thousands(self.counts.len() as u64),
                DayText(self.first_day),
                DayText(self.first_day + self.counts.len() as i64 - 1)
            ))
            .legend(move |(x, y)| Circle::new((x + 12, y), 5, data.filled()));
        let excluded = (0..self.counts.len()).filter(|&t| is_excluded(t)).count();
        if excluded > 0 {
            chart
                .draw_series(
                    self.counts
                        .iter()
                        .enumerate()
                        .filter(|(t, _)| is_excluded(*t))
                        .map(|(t, &c)| {
                            Circle::new((t as f64, c as f64), radius, data.stroke_width(2))
                        }),
                )
                .map_err(err)?
                .label(format!(
                    "{} left out of the level",
                    plural(excluded as u64, "day")
                ))
                .legend(move |(x, y)| Circle::new((x + 12, y), 5, data.stroke_width(2)));
        }
        draw_legend(&mut chart, SeriesLabelPosition::LowerRight, 4)
    }
}

// ---------------------------------------------------------------------------------------
// Transit
// ---------------------------------------------------------------------------------------

/// One route's transit days against its log-normal fit.
pub struct TransitChart {
    /// The route, as the export names it.
    pub route: String,
    /// Its parcels' transit days: delivered (the histogram) and still travelling.
    pub durations: Durations,
    /// The censored log-normal fitted to them.
    pub fit: LogNormalFit,
}

/// A histogram: bins of `width` from `start`, their counts, and the values beyond them.
#[derive(Clone, Debug, PartialEq)]
pub struct Bins {
    /// Left edge of the first bin.
    pub start: f64,
    /// Bin width, in days.
    pub width: f64,
    /// Values per bin.
    pub counts: Vec<u64>,
    /// Values past the last bin (not drawn).
    pub beyond: u64,
}

impl TransitChart {
    /// The chart of one route of a fit; `Err` says why there is none.
    pub fn from_fit(orders: &Orders, shop: &ShopFit, route: &RouteFit) -> Result<Self, String> {
        let index = orders
            .routes
            .iter()
            .position(|name| *name == route.name)
            .ok_or("the route is not in the export")?;
        let durations = transit_durations(
            orders.orders.iter().filter(|o| o.route == index),
            shop.exported_at,
        );
        let Some(fit) = &route.transit else {
            return Err(format!(
                "no transit fit: {} delivered parcels, at least {MIN_OBSERVED} needed",
                durations.observed.len()
            ));
        };
        Ok(TransitChart {
            route: route.name.clone(),
            durations,
            fit: fit.clone(),
        })
    }

    /// The fitted log-normal density at `x` days.
    pub fn density(&self, x: f64) -> f64 {
        let sigma = self.fit.sigma.value;
        if x <= 0.0 || sigma <= 0.0 {
            return 0.0;
        }
        let z = (x.ln() - self.fit.mu) / sigma;
        (-0.5 * z * z).exp() / (x * sigma * (2.0 * std::f64::consts::PI).sqrt())
    }

    /// The histogram of the delivered parcels: up to the larger of their 99th percentile
    /// and the fit's 99.5% quantile, in about 40 bins of a round width (whole days, centred
    /// on the days, when every duration is a whole number of days).
    pub fn bins(&self) -> Bins {
        let mut sorted: Vec<f64> = self
            .durations
            .observed
            .iter()
            .copied()
            .filter(|x| x.is_finite())
            .collect();
        sorted.sort_by(f64::total_cmp);
        let p99 = sorted
            .get(((sorted.len() as f64 - 1.0) * 0.99).round().max(0.0) as usize)
            .copied()
            .unwrap_or(1.0);
        let q995 = (self.fit.mu + 2.575_829_303_549 * self.fit.sigma.value).exp();
        let hi = p99.max(q995).max(1e-3);
        let whole_days = sorted.iter().all(|x| (x - x.round()).abs() < 1e-3);
        let nice = [
            0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0,
        ]
        .into_iter()
        .find(|w| hi / w <= 40.0)
        .unwrap_or(hi / 40.0);
        let (start, width) = if whole_days {
            (-0.5, nice.max(1.0))
        } else {
            (0.0, nice)
        };
        let bins = ((hi - start) / width).ceil().max(1.0) as usize;
        let mut counts = vec![0u64; bins];
        let mut beyond = 0;
        for &x in &sorted {
            let i = ((x - start) / width).floor().max(0.0) as usize;
            match counts.get_mut(i) {
                Some(c) => *c += 1,
                None => beyond += 1,
            }
        }
        Bins {
            start,
            width,
            counts,
            beyond,
        }
    }
}

impl Chart for TransitChart {
    fn file_stem(&self) -> &'static str {
        "transit"
    }

    fn title(&self) -> &'static str {
        "Transit days: data and fit"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let bins = self.bins();
        let end = bins.start + bins.width * bins.counts.len() as f64;
        // Expected parcels per bin: the density × all delivered parcels × the bin width.
        let scale = self.durations.observed.len() as f64 * bins.width;
        let curve: Vec<(f64, f64)> = (1..=400)
            .map(|i| {
                let x = end * i as f64 / 400.0;
                (x, scale * self.density(x))
            })
            .collect();
        let top = bins
            .counts
            .iter()
            .map(|&c| c as f64)
            .chain(curve.iter().map(|&(_, y)| y))
            .fold(1.0f64, f64::max)
            * 1.15;
        let mut chart = ChartBuilder::on(area)
            .caption(
                format!("{}, route {}", self.title(), self.route),
                caption_font(),
            )
            .margin(20)
            .x_label_area_size(60)
            .y_label_area_size(80)
            .build_cartesian_2d(bins.start.min(0.0)..end, 0.0..top)
            .map_err(err)?;
        styled_mesh(&mut chart)
            .x_desc("transit days (shipped → delivered)")
            .y_desc("parcels")
            .y_label_formatter(&|v| whole(*v).map_or(format!("{v:.1}"), |c| c.to_string()))
            .x_label_formatter(&|v| short(*v))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;

        let data = data_colour();
        chart
            .draw_series(bins.counts.iter().enumerate().map(|(i, &c)| {
                let x0 = bins.start + bins.width * i as f64;
                Rectangle::new(
                    [(x0, 0.0), (x0 + bins.width, c as f64)],
                    data.mix(0.5).filled(),
                )
            }))
            .map_err(err)?
            .label(format!(
                "delivered parcels: {} (bins of {} days)",
                thousands(self.durations.observed.len() as u64),
                short(bins.width)
            ))
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 7), (x + 24, y + 7)], data.mix(0.5).filled())
            });

        let fit = fit_colour();
        let median = &self.fit.median;
        chart
            .draw_series(LineSeries::new(curve, fit.stroke_width(3)))
            .map_err(err)?
            .label(format!(
                "fit: log-normal, median {} days (95%: {}-{}), sigma {}",
                short(median.value),
                short(median.lo),
                short(median.hi),
                short(self.fit.sigma.value)
            ))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], fit.stroke_width(4)));
        chart
            .draw_series(DashedLineSeries::new(
                [(median.value, 0.0), (median.value, top)],
                8,
                6,
                fit.stroke_width(2),
            ))
            .map_err(err)?;

        // The parcels the histogram does not show, as a legend line without a mark.
        let mut note = format!(
            "{} still in transit at the export (censored: in the fit, not in the histogram)",
            thousands(self.durations.censored.len() as u64)
        );
        if bins.beyond > 0 {
            note += &format!(
                "; {} delivered after more than {} days, not shown",
                thousands(bins.beyond),
                short(end)
            );
        }
        chart
            .draw_series(std::iter::once(EmptyElement::at((0.0, 0.0))))
            .map_err(err)?
            .label(note)
            .legend(|(x, y)| EmptyElement::at((x, y)));
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight, 3)
    }
}

// ---------------------------------------------------------------------------------------
// Returns
// ---------------------------------------------------------------------------------------

/// Days late drawn at most (later orders are counted in a note).
pub const MAX_DAYS_LATE: usize = 30;

/// The share returned per day late against the fitted line.
pub struct ReturnsChart {
    /// (returned, orders) per days late 0, 1, 2…: delivered orders whose return window
    /// closed before the export, as the return fit counts them.
    pub by_days_late: Vec<(u64, u64)>,
    /// The fit.
    pub fit: ReturnFit,
}

/// (returned, orders) per days late 0, 1, 2… of `(days late, returned)` pairs.
pub fn tabulate(outcomes: &[(u32, bool)]) -> Vec<(u64, u64)> {
    let mut table: Vec<(u64, u64)> = Vec::new();
    for &(late, returned) in outcomes {
        let d = late as usize;
        if table.len() <= d {
            table.resize(d + 1, (0, 0));
        }
        table[d].0 += u64::from(returned);
        table[d].1 += 1;
    }
    table
}

impl ReturnsChart {
    /// The chart of a fit; `Err` says why there is none.
    pub fn from_fit(orders: &Orders, shop: &ShopFit, settings: &Settings) -> Result<Self, String> {
        let by_days_late = tabulate(&return_outcomes(&orders.orders, shop.exported_at, settings));
        let Some(fit) = &shop.returns else {
            return Err(format!(
                "no return fit: {} on-time orders delivered more than {} days before the export, at least {MIN_ORDERS} needed",
                thousands(by_days_late.first().map_or(0, |&(_, n)| n)),
                settings.return_window_days
            ));
        };
        Ok(ReturnsChart {
            by_days_late,
            fit: fit.clone(),
        })
    }

    /// The fitted return probability at `days` late.
    pub fn fitted(&self, days: f64) -> f64 {
        let slope = self.fit.late_per_day.as_ref().map_or(0.0, |e| e.value);
        self.fit.base.value + slope * days
    }
}

impl Chart for ReturnsChart {
    fn file_stem(&self) -> &'static str {
        "returns"
    }

    fn title(&self) -> &'static str {
        "Returns vs days late: data and fit"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let last = self
            .by_days_late
            .iter()
            .rposition(|&(_, n)| n > 0)
            .unwrap_or(0);
        let shown = last.min(MAX_DAYS_LATE);
        let hidden: u64 = self
            .by_days_late
            .iter()
            .skip(shown + 1)
            .map(|&(_, n)| n)
            .sum();
        // (days late, orders, share with its Jeffreys interval) of each day with orders.
        let bars: Vec<(usize, u64, Estimate)> = self
            .by_days_late
            .iter()
            .take(shown + 1)
            .enumerate()
            .filter_map(|(d, &(k, n))| share(k, n).map(|e| (d, n, e)))
            .collect();
        // The scale follows the fitted line and the days with at least `SCALE_ORDERS`
        // orders: a day with a handful, whose interval spans most of [0, 1], would flatten
        // the rest. What passes `cut` is cut there: an interval without its top cap, a bar
        // with its share written by it. Above `cut`, a sixth of the height for the legend.
        const SCALE_ORDERS: u64 = 10;
        let line_top = self.fitted(0.0).max(self.fitted(shown as f64));
        let cut = bars
            .iter()
            .filter(|(_, n, _)| *n >= SCALE_ORDERS)
            .map(|(_, _, e)| e.hi)
            .chain([line_top, self.fit.base.hi])
            .fold(0.01f64, f64::max)
            .min(1.0)
            * 1.05;
        let top = cut * 1.2;
        let mut chart = ChartBuilder::on(area)
            .caption(self.title(), caption_font())
            .margin(20)
            .x_label_area_size(60)
            .y_label_area_size(80)
            .build_cartesian_2d(-0.6..(shown as f64 + 0.6), 0.0..top)
            .map_err(err)?;
        let x_desc = if hidden > 0 {
            format!(
                "days late (delivery day − payment day − promise); {} orders more than {MAX_DAYS_LATE} days late not shown",
                thousands(hidden)
            )
        } else {
            "days late (delivery day − payment day − promise)".to_string()
        };
        styled_mesh(&mut chart)
            .x_desc(x_desc)
            .y_desc("share returned")
            .x_labels((shown + 1).min(16))
            .x_label_formatter(&|v| whole(*v).map_or(String::new(), |d| d.to_string()))
            .y_label_formatter(&|v| fmt_percent(*v))
            .disable_x_mesh()
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;

        let data = data_colour();
        let delivered: u64 = self.by_days_late.iter().map(|&(_, n)| n).sum();
        chart
            .draw_series(bars.iter().map(|(d, _, e)| {
                let x = *d as f64;
                Rectangle::new(
                    [(x - 0.35, 0.0), (x + 0.35, e.value.min(cut))],
                    data.mix(0.5).filled(),
                )
            }))
            .map_err(err)?
            .label(format!(
                "share returned, with its Jeffreys 95% interval ({} delivered orders with a closed return window)",
                thousands(delivered)
            ))
            .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], data.mix(0.5).filled()));
        for (d, _, e) in &bars {
            let x = *d as f64;
            let hi = e.hi.min(cut);
            let mut marks = vec![
                PathElement::new(vec![(x, e.lo), (x, hi)], BLACK.stroke_width(2)),
                PathElement::new(
                    vec![(x - 0.12, e.lo), (x + 0.12, e.lo)],
                    BLACK.stroke_width(2),
                ),
            ];
            if e.hi <= cut {
                marks.push(PathElement::new(
                    vec![(x - 0.12, hi), (x + 0.12, hi)],
                    BLACK.stroke_width(2),
                ));
            }
            chart.draw_series(marks).map_err(err)?;
        }
        if shown <= 20 {
            let small = || TextStyle::from((crate::output::charts::FONT, 13).into_font());
            chart
                .draw_series(bars.iter().map(|(d, n, e)| {
                    let x = *d as f64;
                    if e.hi <= cut {
                        Text::new(
                            format!("n={}", thousands(*n)),
                            (x, e.hi + top * 0.01),
                            small().pos(Pos::new(HPos::Center, VPos::Bottom)),
                        )
                    } else {
                        // Cut: beside the interval's top, with the share if the bar is cut.
                        let cut_share = if e.value > cut {
                            format!(", {}", fmt_percent(e.value))
                        } else {
                            String::new()
                        };
                        // Left of the last day's interval, so it stays on the chart.
                        let (dx, side) = if *d == shown {
                            (-0.05, HPos::Right)
                        } else {
                            (0.05, HPos::Left)
                        };
                        Text::new(
                            format!("n={}{cut_share}", thousands(*n)),
                            (x + dx, cut),
                            small().pos(Pos::new(side, VPos::Top)),
                        )
                    }
                }))
                .map_err(err)?;
        }

        let fit = fit_colour();
        let base = &self.fit.base;
        let label = match &self.fit.late_per_day {
            Some(slope) => format!(
                "fit: {} + {} per day late (95%: {} to {})",
                fmt_percent(base.value),
                fmt_percent(slope.value),
                fmt_percent(slope.lo),
                fmt_percent(slope.hi)
            ),
            None => format!(
                "fit: {} on time (too few late orders to fit a slope per day)",
                fmt_percent(base.value)
            ),
        };
        let end = if self.fit.late_per_day.is_some() {
            shown as f64
        } else {
            0.4
        };
        let line: Vec<(f64, f64)> = [0.0, end]
            .iter()
            .map(|&d| (d, self.fitted(d).clamp(0.0, cut)))
            .collect();
        chart
            .draw_series(LineSeries::new(line, fit.stroke_width(3)))
            .map_err(err)?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], fit.stroke_width(4)));
        draw_legend(&mut chart, SeriesLabelPosition::UpperLeft, 2)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn return_reasons_are_counted_ordered_and_drawn() {
        use crate::fit::read::cells::DateOrder;
        use crate::fit::read::returns::{Return, Returns};
        let reason_list = [
            ("Damaged product", 30),
            ("Changed my mind", 50),
            ("Other", 5),
            ("Wrong item", 20),
        ];
        let mut returns = Vec::new();
        for (reason, n) in reason_list {
            for i in 0..n {
                returns.push(Return {
                    id: format!("{reason}-{i}"),
                    order_id: format!("o-{reason}-{i}"),
                    reason: reason.to_string(),
                    requested: None,
                    kind: String::new(),
                    status: String::new(),
                    units: 1,
                    lines: 1,
                });
            }
        }
        let read = Returns {
            origin: "r.csv".into(),
            returns,
            lines: 105,
            date_order: DateOrder::MonthFirst,
            missing: Vec::new(),
            skipped_description: false,
        };
        let chart = ReasonsChart::from_returns(&read).unwrap();
        let counts: Vec<(&str, u64)> = chart
            .reasons
            .iter()
            .map(|(r, n, _)| (r.as_str(), *n))
            .collect();
        assert_eq!(
            counts,
            [
                ("Changed my mind", 50),
                ("Damaged product", 30),
                ("Wrong item", 20),
                ("Other", 5)
            ]
        );
        assert_eq!(chart.reasons[3].2, Fault::Unknown);
        // 50 at fault of 100 classified (the 5 "Other" left out).
        let at_fault = chart.at_fault.as_ref().unwrap();
        assert!(
            (at_fault.value - 0.5).abs() < 1e-12 && at_fault.n == 100,
            "{at_fault:?}"
        );
        let rendered = render(&chart, ChartFormat::Both).unwrap();
        assert!(rendered.png.as_ref().unwrap().starts_with(PNG_SIGNATURE));
        assert!(rendered.svg.as_ref().unwrap().contains("Return reasons"));
    }

    use super::*;
    use crate::fit::estimate::delays::fit_lognormal;
    use crate::fit::read::cells::{days_from_civil, DateOrder, Stamp};
    use crate::fit::read::orders::{CancelBy, Order, Outcome};
    use crate::fit::shop::fit_shop;
    use crate::output::charts::{render_png, render_svg, SIZE};
    use rand::{Rng, SeedableRng};
    use rand_distr::{Distribution, LogNormal, Poisson as PoissonDraw};
    use statrs::distribution::{DiscreteCDF, NegativeBinomial, Poisson};

    const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

    fn settings() -> Settings {
        Settings {
            promise_days: 8,
            dispatch_business_days: 2,
            return_window_days: 30,
            seed: 1,
            peaks: Vec::new(),
        }
    }

    /// A made-up export: `days` days of about `per_day` orders on two routes (70/30),
    /// transit log-normal (median 4 days, sigma 0.5) after 1-2 days of handling, 3%
    /// cancelled before shipping, returns 5% + 2% per day late.
    fn made_up_orders(days: i64, per_day: f64, seed: u64) -> Orders {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        let first = days_from_civil(2026, 1, 5);
        let end: Stamp = (first + days) * 86_400;
        let transit = LogNormal::new(4f64.ln(), 0.5).unwrap();
        let mut orders = Vec::new();
        for day in first..first + days {
            let n = PoissonDraw::new(per_day).unwrap().sample(&mut rng) as u64;
            for _ in 0..n {
                let created = day * 86_400 + rng.random_range(0..86_400);
                let paid = created + 60;
                let route = usize::from(rng.random::<f64>() < 0.3);
                let id = format!("{}", orders.len() + 1);
                let mut order = Order {
                    id,
                    created,
                    paid,
                    shipped: None,
                    delivered: None,
                    cancelled: None,
                    outcome: Outcome::Kept,
                    lost: false,
                    route,
                    units: 1,
                    lines: 1,
                    list_value: 20.0,
                    seller_discount: 0.0,
                    platform_discount: 0.0,
                    creator: false,
                };
                if rng.random::<f64>() < 0.03 {
                    order.cancelled = Some(paid + 3600);
                    order.outcome = Outcome::Cancelled(CancelBy::Buyer);
                } else {
                    let shipped = paid + rng.random_range(86_400..2 * 86_400);
                    if shipped < end {
                        order.shipped = Some(shipped);
                        let t: f64 = transit.sample(&mut rng);
                        let delivered = shipped + (t * 86_400.0) as Stamp;
                        if delivered < end {
                            order.delivered = Some(delivered);
                            let late = (delivered.div_euclid(86_400) - paid.div_euclid(86_400) - 8)
                                .max(0) as f64;
                            if rng.random::<f64>() < 0.05 + 0.02 * late {
                                order.outcome = Outcome::Returned;
                            }
                        }
                    }
                }
                orders.push(order);
            }
        }
        let lines = orders.len();
        Orders {
            origin: "made-up.csv".into(),
            orders,
            lines,
            routes: vec![
                "Shipped by Seller · Standard · USPS".into(),
                "Shipped by Seller · Economy · UniUni".into(),
            ],
            date_order: DateOrder::MonthFirst,
            currency: None,
            country: None,
            missing: Vec::new(),
            skipped_description: false,
            unpaid_lines: 0,
        }
    }

    /// The quantile as statrs computes it (by bisection on its CDF, from the regularised
    /// incomplete beta or gamma function: another method than the pmf walk).
    fn statrs_quantile(mean: f64, cv: f64, p: f64) -> u64 {
        if cv == 0.0 {
            Poisson::new(mean).unwrap().inverse_cdf(p)
        } else {
            let r = 1.0 / (cv * cv);
            NegativeBinomial::new(r, r / (r + mean))
                .unwrap()
                .inverse_cdf(p)
        }
    }

    fn statrs_cdf(mean: f64, cv: f64, k: u64) -> f64 {
        if cv == 0.0 {
            Poisson::new(mean).unwrap().cdf(k)
        } else {
            let r = 1.0 / (cv * cv);
            NegativeBinomial::new(r, r / (r + mean)).unwrap().cdf(k)
        }
    }

    #[test]
    fn poisson_quantiles_of_40_are_30_and_51() {
        assert_eq!(nb_quantiles(40.0, 0.0, &[0.05, 0.95]), vec![30, 51]);
        // The definition, against statrs' CDF: P(X ≤ 29) < 5% ≤ P(X ≤ 30), and so on.
        let cdf = |k| statrs_cdf(40.0, 0.0, k);
        assert!(cdf(29) < 0.05 && cdf(30) >= 0.05);
        assert!(cdf(50) < 0.95 && cdf(51) >= 0.95);
        assert_eq!(statrs_quantile(40.0, 0.0, 0.05), 30);
        assert_eq!(statrs_quantile(40.0, 0.0, 0.95), 51);
    }

    #[test]
    fn gamma_poisson_quantiles_match_statrs() {
        let probs = [0.001, 0.05, 0.5, 0.95, 0.999];
        for mean in [0.3, 3.0, 40.0, 250.0, 5_000.0, 200_000.0] {
            for cv in [0.0, 0.05, 0.3, 1.0, 2.0] {
                let ours = nb_quantiles(mean, cv, &probs);
                for (&p, &q) in probs.iter().zip(&ours) {
                    // Smallest k with P(X ≤ k) ≥ p.
                    let cdf = |k| statrs_cdf(mean, cv, k);
                    assert!(
                        cdf(q) >= p - 1e-12 && (q == 0 || cdf(q - 1) < p + 1e-12),
                        "mean {mean}, cv {cv}, p {p}: {q} (cdf {} / {})",
                        cdf(q),
                        if q > 0 { cdf(q - 1) } else { 0.0 }
                    );
                    // statrs' search fails (unwraps a None) when the answer is 0.
                    if q > 0 {
                        let theirs = statrs_quantile(mean, cv, p);
                        assert_eq!(q, theirs, "mean {mean}, cv {cv}, p {p}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_band_holds_at_least_90_percent_and_not_much_more() {
        for (mean, cv) in [(40.0, 0.0), (40.0, 0.3), (900.0, 0.15), (2.5, 0.5)] {
            let q = nb_quantiles(mean, cv, &[0.05, 0.95]);
            let below = if q[0] == 0 {
                0.0
            } else {
                statrs_cdf(mean, cv, q[0] - 1)
            };
            let inside = statrs_cdf(mean, cv, q[1]) - below;
            assert!(
                (0.9..0.96).contains(&inside) || mean < 5.0,
                "{mean} {cv}: {inside}"
            );
            assert!(inside >= 0.9, "{mean} {cv}: {inside}");
        }
    }

    #[test]
    fn degenerate_means_have_zero_quantiles() {
        assert_eq!(nb_quantiles(0.0, 0.3, &[0.05, 0.95]), vec![0, 0]);
        assert_eq!(nb_quantiles(f64::NAN, 0.3, &[0.5]), vec![0]);
        // A tiny cv is the Poisson.
        assert_eq!(nb_quantiles(40.0, 1e-12, &[0.05, 0.95]), vec![30, 51]);
    }

    fn made_up_daily(ramp_days: f64) -> DailyChart {
        DailyChart {
            first_day: days_from_civil(2026, 3, 2),
            counts: (0..45u64).map(|t| 20 + (t * 7) % 13).collect(),
            excluded: (0..45).map(|t| t == 10).collect(),
            level: 26.0,
            cv: 0.2,
            ramp_days,
        }
    }

    #[test]
    fn the_fitted_level_ramps_up() {
        let chart = made_up_daily(10.0);
        assert!((chart.mean(0) - 2.6).abs() < 1e-12);
        assert!((chart.mean(4) - 13.0).abs() < 1e-12);
        assert_eq!(chart.mean(9), 26.0);
        assert_eq!(chart.mean(30), 26.0);
        let band = chart.band();
        assert_eq!(band.len(), 45);
        assert!(band[0].1 < band[30].0, "{:?}", &band[..2]);
        assert_eq!(band[30], {
            let q = nb_quantiles(26.0, 0.2, &[0.05, 0.95]);
            (q[0], q[1])
        });
        assert_eq!(made_up_daily(0.0).mean(0), 26.0);
    }

    #[test]
    fn date_ticks_are_whole_days_and_mondays_for_weeks() {
        let monday = days_from_civil(2026, 3, 2);
        assert_eq!(date_ticks(monday, 5), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        let ticks = date_ticks(monday + 3, 60);
        assert!(ticks.len() <= 9 && ticks.len() >= 4, "{ticks:?}");
        for t in ticks {
            assert_eq!(weekday(monday + 3 + t as i64), 0);
        }
    }

    fn assert_rendered(chart: &impl Chart, texts: &[&str]) {
        let png = render_png(chart, SIZE).unwrap();
        assert!(
            png.len() > 10_000,
            "{}: {} bytes",
            chart.file_stem(),
            png.len()
        );
        assert!(png.starts_with(PNG_SIGNATURE));
        let svg = render_svg(chart, SIZE).unwrap();
        for text in texts {
            assert!(
                svg.contains(text),
                "{}: no `{text}` in the SVG",
                chart.file_stem()
            );
        }
    }

    #[test]
    fn the_daily_chart_renders() {
        for ramp in [0.0, 12.0] {
            assert_rendered(
                &made_up_daily(ramp),
                &["Daily orders: data and fit", "2026-03-02", "orders"],
            );
        }
    }

    #[test]
    fn the_transit_chart_renders() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(5);
        let dist = LogNormal::new(3f64.ln(), 0.4).unwrap();
        let durations = Durations {
            observed: (0..200).map(|_| dist.sample(&mut rng)).collect(),
            censored: vec![2.0, 3.0, 4.5],
        };
        let chart = TransitChart {
            route: "Shipped by Seller · USPS".into(),
            fit: fit_lognormal(&durations).unwrap(),
            durations,
        };
        let bins = chart.bins();
        assert_eq!(
            bins.counts.iter().sum::<u64>() + bins.beyond,
            200,
            "{bins:?}"
        );
        assert_rendered(
            &chart,
            &[
                "Transit days: data and fit, route Shipped by Seller · USPS",
                "3 still in transit at the export",
            ],
        );
    }

    #[test]
    fn whole_day_transits_get_bins_centred_on_the_days() {
        let durations = Durations {
            observed: (0..100).map(|i| f64::from(2 + i % 5)).collect(),
            censored: vec![],
        };
        let chart = TransitChart {
            route: "r".into(),
            fit: fit_lognormal(&durations).unwrap(),
            durations,
        };
        let bins = chart.bins();
        assert_eq!((bins.start, bins.width), (-0.5, 1.0));
        assert_eq!(&bins.counts[2..7], &[20, 20, 20, 20, 20]);
        assert_eq!(bins.beyond, 0);
    }

    #[test]
    fn the_fitted_density_integrates_to_one() {
        let durations = Durations {
            observed: (1..=60).map(|i| 1.0 + f64::from(i) / 10.0).collect(),
            censored: vec![],
        };
        let chart = TransitChart {
            route: "r".into(),
            fit: fit_lognormal(&durations).unwrap(),
            durations,
        };
        let h = 1e-3;
        let total: f64 = (1..200_000).map(|i| chart.density(i as f64 * h) * h).sum();
        assert!((total - 1.0).abs() < 1e-3, "{total}");
    }

    #[test]
    fn the_returns_chart_renders_with_and_without_a_slope() {
        let by_days_late = vec![(30, 600), (6, 60), (5, 35), (0, 0), (3, 4)];
        let mut fit = crate::fit::estimate::rates::fit_returns(
            &by_days_late
                .iter()
                .enumerate()
                .flat_map(|(d, &(k, n))| (0..n).map(move |i| (d as u32, i < k)))
                .collect::<Vec<_>>(),
        )
        .unwrap();
        assert!(fit.late_per_day.is_some());
        let chart = ReturnsChart {
            by_days_late: by_days_late.clone(),
            fit: fit.clone(),
        };
        assert_rendered(&chart, &["Returns vs days late: data and fit", "n=600"]);
        fit.late_per_day = None;
        let chart = ReturnsChart { by_days_late, fit };
        assert_rendered(&chart, &["too few late orders"]);
    }

    #[test]
    fn tabulation_counts_every_order_once() {
        let table = tabulate(&[(0, true), (0, false), (2, true), (0, false)]);
        assert_eq!(table, vec![(1, 3), (0, 0), (1, 1)]);
    }

    #[test]
    fn a_fitted_shop_gets_every_chart_from_its_own_data() {
        let orders = made_up_orders(60, 25.0, 11);
        let shop = fit_shop(&orders, &settings());
        assert!(shop.demand.is_some() && shop.returns.is_some());
        assert_eq!(shop.routes.len(), 2);
        assert!(shop.routes.iter().all(|r| r.transit.is_some()));

        // The charts show the very data each estimate was made from.
        for route in &shop.routes {
            let chart = TransitChart::from_fit(&orders, &shop, route).unwrap();
            let fit = route.transit.as_ref().unwrap();
            assert_eq!(
                (chart.durations.observed.len() + chart.durations.censored.len()) as u64,
                fit.median.n
            );
            assert_eq!(chart.durations.censored.len() as u64, fit.censored);
        }
        let returns = ReturnsChart::from_fit(&orders, &shop, &settings()).unwrap();
        let (k, n) = returns.by_days_late[0];
        assert_eq!(n, returns.fit.base.n);
        assert_eq!(k as f64 / n as f64, returns.fit.base.value);
        assert_eq!(
            returns.by_days_late[1..]
                .iter()
                .map(|&(_, n)| n)
                .sum::<u64>(),
            returns.fit.late_per_day.as_ref().unwrap().n
        );

        let charts = fit_charts(&orders, &shop, &settings(), None, ChartFormat::Both).unwrap();
        assert!(charts.skipped.is_empty(), "{:?}", charts.skipped);
        let stems: Vec<&str> = charts.rendered.iter().map(|r| r.stem.as_str()).collect();
        assert_eq!(stems, ["daily_orders", "transit_1", "transit_2", "returns"]);
        for r in &charts.rendered {
            assert!(
                r.png.as_ref().unwrap().starts_with(PNG_SIGNATURE),
                "{}",
                r.stem
            );
            assert!(r.svg.as_ref().unwrap().contains(r.title), "{}", r.stem);
        }
        // The busier route is transit_1, and its caption names it.
        assert!(charts.rendered[1]
            .svg
            .as_ref()
            .unwrap()
            .contains(&shop.routes[0].name));

        let png_only = fit_charts(&orders, &shop, &settings(), None, ChartFormat::Png).unwrap();
        assert!(png_only
            .rendered
            .iter()
            .all(|r| r.png.is_some() && r.svg.is_none()));
    }

    #[test]
    fn a_shop_with_too_little_data_gets_reasons_not_charts() {
        let orders = made_up_orders(5, 6.0, 3);
        let shop = fit_shop(&orders, &settings());
        let charts = fit_charts(&orders, &shop, &settings(), None, ChartFormat::Png).unwrap();
        assert!(charts.rendered.is_empty());
        assert_eq!(
            charts.skipped.len(),
            2 + shop.routes.len(),
            "{:?}",
            charts.skipped
        );
        assert!(charts.skipped[0].starts_with("daily_orders: no demand fit: 5 days"));
        assert!(charts.skipped[1].starts_with("transit_1 (route `"));
        assert!(charts
            .skipped
            .last()
            .unwrap()
            .starts_with("returns: no return fit"));
    }
}
