//! Trial set-up: the values of each event regime and the delivery-delay distribution of
//! each distinct delay multiplier, worked out once per trial so no day recomputes them.

use rand::Rng;

use super::calendar::Calendar;
use super::draws::{binomial, Chance};
use crate::params::{Model, Setting, P};
use crate::sim::delay::{self, late_days, TransitCdfs};
use crate::sim::inputs::TrialInputs;
use crate::sim::spec::{CampaignTerm, EventFactor};

/// Everything about delivery that depends on a delay multiplier.
pub(super) struct DelayRegime {
    delay_multiplier: f64,
    /// P(delay = d days).
    pub pmf: Vec<f64>,
    /// First and last bins with mass.
    pub first: usize,
    pub last: usize,
    /// Share of parcels delivered after the promise date.
    pub late_share: f64,
    /// Return and complaint probabilities averaged over the delays, prepared for the
    /// day's draws.
    pub return_chance: Chance,
    pub complaint_chance: Chance,
    /// Probability that a return is a cash-on-delivery refusal: the refusal rate over the
    /// mean return rate (refusals do not depend on the delay).
    pub refusal_chance: Chance,
    /// Probability that a return other than a refusal is a change of mind: the
    /// change-of-mind rate over the mean rate of such returns.
    pub change_of_mind_chance: Chance,
}

/// The per-trial values of one event regime (a set of events active together).
pub(super) struct Regime {
    /// Multiplier of expected orders.
    pub demand: f64,
    /// Divisor of the ads' return.
    pub ad_cost: f64,
    /// Multiplier of the fully managed supply price.
    pub supply_price: f64,
    /// Lost-parcel probability (capped at 1), prepared for the day's draws.
    pub lost: Chance,
    /// Import duty rate: that of the last-listed active tariff event, else the sum of the
    /// duty's parts (`tax.duty_base_rate`, `tax.duty_origin_rate`, `tax.duty_surcharge_rate`).
    pub duty_rate: f64,
    /// Self-operated shops in active campaigns they joined: the factor on the price
    /// (product of 1 − price cut) and the campaign fees as a share of GMV.
    pub campaign_price_factor: f64,
    pub campaign_fee_rate: f64,
    /// The coupons the shop funds, as a share of the (campaign) price, at most 1: a
    /// discount to the buyer, so off the price paid (what customs values and the
    /// platform's fees are charged on).
    pub campaign_coupon_share: f64,
    /// Index into [`TrialRegimes::delays`].
    pub delay: usize,
}

/// A trial's regimes and the behaviour of buyers by delivery delay.
pub(super) struct TrialRegimes {
    pub regimes: Vec<Regime>,
    /// Campaigns in the horizon the shop could not join (its on-time rate too low).
    pub campaigns_missed: usize,
    pub delays: Vec<DelayRegime>,
    /// Return probability of a parcel delivered after `d` days, refusals included:
    /// `refusal + (1 − refusal) · ordinary_return_by_delay[d]`.
    pub return_by_delay: Vec<f64>,
    /// Return probability after `d` days of a parcel the buyer accepted (no refusal).
    pub ordinary_return_by_delay: Vec<f64>,
    pub complaint_by_delay: Vec<f64>,
    /// Probability that a self-operated parcel is refused at the door: the share of
    /// orders paid cash on delivery × the share of those refused (0 when fully managed).
    pub refusal: f64,
    /// Probability that an accepted parcel comes back for a change of mind (the return
    /// rate of an on-time parcel): the part of every `ordinary_return_by_delay` that is
    /// not the seller's fault.
    pub change_of_mind: f64,
}

impl TrialRegimes {
    /// The regimes of a trial with inputs `v`; `cdfs` holds the trial's transit-time CDFs
    /// (shared by its variants).
    pub fn new(
        calendar: &Calendar,
        v: &TrialInputs,
        setting: Setting,
        cdfs: &mut TransitCdfs,
    ) -> TrialRegimes {
        let max_delay = v[P::MaxDelayDays] as usize;
        let (ordinary_return_by_delay, complaint_by_delay) = behaviour_by_delay(v, max_delay);
        // The delay pmf at normal transit times, when the campaign check worked it out: the
        // regime of delay multiplier 1 has the same one (median × 1 is the median).
        let (missed, mut normal_pmf) = missed_campaigns(calendar, v, setting.model, cdfs);
        let self_operated = setting.model == Model::SelfOperated;
        // Cash-on-delivery refusals (self-operated only: the platform sells fully managed
        // goods), late or not. A refused parcel never reaches the buyer, so it cannot also
        // be an ordinary return: P(return at d) = q + (1 − q) · r(d). With q = 0 this is
        // r(d) to the bit.
        let refusal = if self_operated {
            v[P::CodShare] * v[P::CodRefusalRate]
        } else {
            0.0
        };
        let return_by_delay: Vec<f64> = ordinary_return_by_delay
            .iter()
            .map(|&r| refusal + (1.0 - refusal) * r)
            .collect();
        let change_of_mind = (v[P::ReturnBaseRate] * v[P::ReturnLoopFactor]).min(1.0);
        let mut delays: Vec<DelayRegime> = Vec::new();
        let mut lost_chances: Vec<(f64, Chance)> = Vec::new();
        let regimes = calendar
            .regimes
            .iter()
            .map(|active| {
                let f = combined_multipliers(v, active, &missed);
                let delay_multiplier = f[EventFactor::Delay as usize];
                let delay = delays
                    .iter()
                    .position(|d| d.delay_multiplier == delay_multiplier)
                    .unwrap_or_else(|| {
                        let pmf = match normal_pmf.take() {
                            Some(pmf) if delay_multiplier == 1.0 => pmf,
                            kept => {
                                normal_pmf = kept;
                                delay_pmf(v, delay_multiplier, cdfs)
                            }
                        };
                        delays.push(DelayRegime::from_pmf(
                            v,
                            delay_multiplier,
                            pmf,
                            &ordinary_return_by_delay,
                            &complaint_by_delay,
                            refusal,
                            change_of_mind,
                        ));
                        delays.len() - 1
                    });
                let lost_rate = (v[P::LostRate] * f[EventFactor::Lost as usize]).min(1.0);
                // Regimes that differ in other ways lose parcels alike: prepare each
                // probability once (the same values, bit for bit).
                let lost = match lost_chances
                    .iter()
                    .find(|(p, _)| p.to_bits() == lost_rate.to_bits())
                {
                    Some((_, chance)) => chance.clone(),
                    None => {
                        let chance = Chance::new(lost_rate);
                        lost_chances.push((lost_rate, chance.clone()));
                        chance
                    }
                };
                Regime {
                    demand: f[EventFactor::Demand as usize],
                    ad_cost: f[EventFactor::AdCost as usize],
                    supply_price: f[EventFactor::SupplyPrice as usize],
                    lost,
                    duty_rate: active
                        .iter()
                        .rev()
                        .find_map(|&e| v.event_duty_rates[e])
                        .unwrap_or(
                            v[P::DutyBaseRate] + v[P::DutyOriginRate] + v[P::DutySurchargeRate],
                        ),
                    campaign_price_factor: joined(active, &missed, self_operated)
                        .map(|e| 1.0 - v.event_campaign[e][CampaignTerm::PriceCut as usize])
                        .product(),
                    campaign_fee_rate: joined(active, &missed, self_operated)
                        .map(|e| v.event_campaign[e][CampaignTerm::FeeRate as usize])
                        .sum(),
                    // Overlapping campaigns add their coupons, at most the whole price
                    // (the scenario's checks warn where they can pass it).
                    campaign_coupon_share: joined(active, &missed, self_operated)
                        .map(|e| v.event_campaign[e][CampaignTerm::CouponShare as usize])
                        .sum::<f64>()
                        .min(1.0),
                    delay,
                }
            })
            .collect();
        // Count each missed campaign once, if it happens in this market within the horizon.
        let campaigns_missed = (0..missed.len())
            .filter(|&e| missed[e] && calendar.regimes.iter().any(|r| r.contains(&e)))
            .count();
        TrialRegimes {
            regimes,
            campaigns_missed,
            delays,
            return_by_delay,
            ordinary_return_by_delay,
            complaint_by_delay,
            refusal,
            change_of_mind,
        }
    }
}

/// The active events a self-operated shop takes part in (every active event it did not
/// miss; a fully managed shop joins none: the platform sells and funds its promotions).
fn joined<'a>(
    active: &'a [usize],
    missed: &'a [bool],
    self_operated: bool,
) -> impl Iterator<Item = usize> + 'a {
    active
        .iter()
        .copied()
        .filter(move |&e| self_operated && !missed[e])
}

/// The product of the active events' multipliers, indexed by [`EventFactor`]. A campaign
/// the shop missed brings no demand lift; its other effects (congested carriers, dearer
/// ads) hit every seller in the market.
fn combined_multipliers(v: &TrialInputs, active: &[usize], missed: &[bool]) -> [f64; 5] {
    let mut f = [1.0; 5];
    for &e in active {
        for (k, m) in v.event_multipliers[e].iter().enumerate() {
            if !(missed[e] && k == EventFactor::Demand as usize) {
                f[k] *= m;
            }
        }
    }
    f
}

/// Per event: whether a self-operated shop misses the campaign because its on-time rate —
/// the share of parcels delivered by the promise date at normal transit times, worked out
/// from this trial's delay distribution — or its shop performance score is below the
/// campaign's threshold. Fully managed goods are sold by the platform and are never
/// turned away.
fn missed_campaigns(
    calendar: &Calendar,
    v: &TrialInputs,
    model: Model,
    cdfs: &mut TransitCdfs,
) -> (Vec<bool>, Option<Vec<f64>>) {
    let thresholds = &calendar.min_on_time_rate;
    let scores = &calendar.min_shop_score;
    if model != Model::SelfOperated
        || (thresholds.iter().all(Option::is_none) && scores.iter().all(Option::is_none))
    {
        return (vec![false; thresholds.len()], None);
    }
    let score = v[P::ShopPerformanceScore];
    let pmf = delay::pmf_with(
        v[P::HandlingDays] as usize,
        v[P::TransitMedianDays],
        v[P::TransitSigma],
        v[P::MaxDelayDays] as usize,
        cdfs,
    );
    let on_time: f64 = pmf.iter().take(v[P::PromiseDays] as usize + 1).sum();
    let missed = thresholds
        .iter()
        .zip(scores)
        .map(|(t, s)| t.is_some_and(|min| on_time < min) || s.is_some_and(|min| score < min))
        .collect();
    (missed, Some(pmf))
}

/// The delay pmf of a trial's parcels with transit times multiplied by `delay_multiplier`.
fn delay_pmf(v: &TrialInputs, delay_multiplier: f64, cdfs: &mut TransitCdfs) -> Vec<f64> {
    delay::pmf_with(
        v[P::HandlingDays] as usize,
        v[P::TransitMedianDays] * delay_multiplier,
        v[P::TransitSigma],
        v[P::MaxDelayDays] as usize,
        cdfs,
    )
}

impl DelayRegime {
    /// The regime of `delay_multiplier` (a trial builds its regimes with
    /// [`DelayRegime::from_pmf`], reusing a pmf it already has).
    #[cfg(test)]
    pub(super) fn new(
        v: &TrialInputs,
        delay_multiplier: f64,
        ordinary_return_by_delay: &[f64],
        complaint_by_delay: &[f64],
        refusal: f64,
        change_of_mind: f64,
    ) -> DelayRegime {
        DelayRegime::from_pmf(
            v,
            delay_multiplier,
            delay_pmf(v, delay_multiplier, &mut TransitCdfs::default()),
            ordinary_return_by_delay,
            complaint_by_delay,
            refusal,
            change_of_mind,
        )
    }

    /// [`DelayRegime::new`] with its delay `pmf` already worked out.
    fn from_pmf(
        v: &TrialInputs,
        delay_multiplier: f64,
        pmf: Vec<f64>,
        ordinary_return_by_delay: &[f64],
        complaint_by_delay: &[f64],
        refusal: f64,
        change_of_mind: f64,
    ) -> DelayRegime {
        let on_time: f64 = pmf.iter().take(v[P::PromiseDays] as usize + 1).sum();
        // Refusals do not depend on the delay: the mean return rate is q + (1 − q) · r̄,
        // with r̄ the mean ordinary return rate (exactly r̄ when q = 0).
        let mean_ordinary = delay::expect(&pmf, |d| ordinary_return_by_delay[d]);
        let mean_return = refusal + (1.0 - refusal) * mean_ordinary;
        let mean_complaint = delay::expect(&pmf, |d| complaint_by_delay[d]);
        DelayRegime {
            delay_multiplier,
            late_share: (1.0 - on_time).max(0.0),
            return_chance: Chance::new(mean_return),
            complaint_chance: Chance::new(mean_complaint),
            refusal_chance: Chance::new(share(refusal, mean_return)),
            change_of_mind_chance: Chance::new(share(change_of_mind, mean_ordinary)),
            first: pmf.iter().position(|&p| p > 0.0).unwrap_or(0),
            last: pmf.iter().rposition(|&p| p > 0.0).unwrap_or(0),
            pmf,
        }
    }

    /// Splits `parcels` over the delay bins: a multinomial draw as a chain of conditional
    /// binomials, calling `each(bin, count)` for every bin that gets parcels.
    pub fn split_over_bins<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        parcels: u64,
        mut each: impl FnMut(usize, u64),
    ) {
        let (mut left, mut mass_left) = (parcels, 1.0f64);
        for (bin, &p) in self
            .pmf
            .iter()
            .enumerate()
            .take(self.last + 1)
            .skip(self.first)
        {
            if left == 0 {
                break;
            }
            let n = if bin == self.last {
                left
            } else {
                binomial(rng, left, (p / mass_left).min(1.0))
            };
            mass_left -= p;
            left -= n;
            if n > 0 {
                each(bin, n);
            }
        }
    }
}

/// Return probabilities of an accepted parcel (refusals apart: [`TrialRegimes::new`]) and
/// complaint probabilities, by delay (MODEL.md section 5).
fn behaviour_by_delay(v: &TrialInputs, max_days: usize) -> (Vec<f64>, Vec<f64>) {
    let promise = v[P::PromiseDays] as usize;
    let loop_return = v[P::ReturnBaseRate] * v[P::ReturnLoopFactor];
    // The untracked rate is zero on the routes with platform tracking (their layers).
    let complaint = v[P::ComplaintBaseRate] + v[P::UntrackedComplaintRate];
    (0..=max_days)
        .map(|d| {
            let late = late_days(d, promise);
            (
                (loop_return + v[P::ReturnLatePerDay] * late).min(1.0),
                (complaint + v[P::ComplaintLatePerDay] * late).min(1.0),
            )
        })
        .unzip()
}

/// `part / whole` as a probability (0 when nothing returns).
pub(super) fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        (part / whole).min(1.0)
    } else {
        0.0
    }
}
