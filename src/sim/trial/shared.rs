//! What every variant of one trial draws alike, worked out once per trial.
//!
//! Common random numbers give every variant of a trial the same per-day streams (a stream
//! depends on seed, trial, purpose and day, never on the variant), and the first draws of
//! some of them do not depend on the variant either: the day's live-stream draw and
//! demand noise (given the noise's spread) and the viral multiplier (given the viral
//! parameters). Starting a stream costs three SplitMix64 hashes; a study of four variants
//! used to start each of these streams four times and draw the shared values four times.
//! Here each is done once per trial and handed to every variant, which gets exactly the
//! numbers it would have drawn itself: a variant whose parameters differ from the ones
//! the shared draws were made with draws its own (a key check), so nothing here can change
//! a result, only how often the same result is computed.

use crate::sim::delay::TransitCdfs;
use crate::sim::rng::{stream, Purpose, StreamKey, StreamRng};

/// The streams started once per trial and day, by their index in [`SharedDraws::starts`].
const DAY_PURPOSES: [Purpose; 6] = [
    Purpose::Demand,
    Purpose::Viral,
    Purpose::Logistics,
    Purpose::Returns,
    Purpose::Repeat,
    Purpose::Dispatch,
];

/// The index of `purpose` in [`DAY_PURPOSES`].
#[inline]
const fn slot(purpose: Purpose) -> usize {
    match purpose {
        Purpose::Demand => 0,
        Purpose::Viral => 1,
        Purpose::Logistics => 2,
        Purpose::Returns => 3,
        Purpose::Repeat => 4,
        Purpose::Dispatch => 5,
        Purpose::Parameters | Purpose::Inventory => usize::MAX,
    }
}

/// Every day's stream for `purpose`, from the days' `starts`.
fn day_streams(
    starts: &[[StreamRng; 6]],
    purpose: Purpose,
) -> impl Iterator<Item = StreamRng> + '_ {
    starts.iter().map(move |s| s[slot(purpose)].clone())
}

/// The bits of the parameters a shared draw depends on (unused places 0).
pub(super) type DrawKey = [u64; 3];

/// A day's draws that one variant made and others with the same key reuse.
struct Cached<T> {
    /// What the draws depend on besides the stream (parameters' bits); `None` until the
    /// first variant fills them.
    key: Option<DrawKey>,
    days: Vec<T>,
}

impl<T> Cached<T> {
    fn new() -> Cached<T> {
        Cached {
            key: None,
            days: Vec::new(),
        }
    }

    /// Fills the days with `draw` of each day's stream in `streams`, made for `key`, if no
    /// variant has yet; returns whether the days are those for `key`.
    fn share(
        &mut self,
        key: DrawKey,
        streams: impl Iterator<Item = StreamRng>,
        draw: impl Fn(StreamRng) -> T,
    ) -> bool {
        if self.key.is_none() {
            self.days.clear();
            self.days.extend(streams.map(draw));
            self.key = Some(key);
        }
        self.key == Some(key)
    }
}

/// The start of a day's demand stream, once the parts every variant draws alike are drawn.
#[derive(Clone)]
pub(super) struct DemandStart {
    /// The uniform draw that decides whether the day has a live stream.
    pub live_draw: f64,
    /// The over-dispersion noise (1 without it).
    pub noise: f64,
    /// The stream after those draws: the day's orders are drawn from here.
    pub rng: StreamRng,
}

/// One trial's shared streams and draws. Reused from trial to trial ([`SharedDraws::reset`])
/// so that a worker allocates it once.
pub struct SharedDraws {
    seed: u64,
    trial: u64,
    /// Per day, the start of each stream in [`DAY_PURPOSES`].
    starts: Vec<[StreamRng; 6]>,
    /// Per day, the keys of those streams: the same for every trial, so worked out once
    /// for the longest horizon yet.
    keys: Vec<[StreamKey; 6]>,
    demand: Cached<DemandStart>,
    viral: Cached<f64>,
    /// The trial's transit-time CDFs: variants whose routes share a transit distribution
    /// work it out once.
    pub(super) transit: TransitCdfs,
}

impl SharedDraws {
    /// The shared draws of trial `trial` of a study with `seed` over `horizon` days.
    pub fn new(seed: u64, trial: u64, horizon: usize) -> SharedDraws {
        let mut shared = SharedDraws {
            seed,
            trial,
            starts: Vec::new(),
            keys: Vec::new(),
            demand: Cached::new(),
            viral: Cached::new(),
            transit: TransitCdfs::default(),
        };
        shared.reset(seed, trial, horizon);
        shared
    }

    /// Makes this the shared draws of another trial.
    pub fn reset(&mut self, seed: u64, trial: u64, horizon: usize) {
        self.seed = seed;
        self.trial = trial;
        for day in self.keys.len() as u64..horizon as u64 {
            self.keys
                .push(DAY_PURPOSES.map(|purpose| StreamKey::new(purpose, day)));
        }
        self.starts.clear();
        self.starts.extend(
            self.keys[..horizon]
                .iter()
                .map(|keys| keys.map(|key| key.start(seed, trial))),
        );
        self.demand.key = None;
        self.viral.key = None;
        self.transit.clear();
    }

    /// The study's seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The trial's index.
    pub fn trial(&self) -> u64 {
        self.trial
    }

    /// The stream `(seed, trial, purpose, day)`, as [`stream`] starts it.
    #[inline]
    pub(super) fn stream(&self, purpose: Purpose, day: usize) -> StreamRng {
        match self.starts.get(day) {
            Some(starts) if slot(purpose) < DAY_PURPOSES.len() => starts[slot(purpose)].clone(),
            _ => stream(self.seed, self.trial, purpose, day as u64),
        }
    }

    /// Makes the days' demand starts those drawn by `start` for `key`, if no variant has
    /// drawn them yet; returns whether the cached starts are those for `key` and cover a
    /// `horizon` of days.
    pub(super) fn share_demand(
        &mut self,
        horizon: usize,
        key: DrawKey,
        start: impl Fn(StreamRng) -> DemandStart,
    ) -> bool {
        let streams = day_streams(&self.starts, Purpose::Demand);
        horizon <= self.starts.len() && self.demand.share(key, streams, start)
    }

    /// The day's shared demand start (after [`SharedDraws::share_demand`] said it is
    /// this variant's).
    #[inline]
    pub(super) fn demand(&self, day: usize) -> &DemandStart {
        &self.demand.days[day]
    }

    /// As [`SharedDraws::share_demand`], for the viral multipliers.
    pub(super) fn share_viral(
        &mut self,
        horizon: usize,
        key: DrawKey,
        multiplier: impl Fn(StreamRng) -> f64,
    ) -> bool {
        let streams = day_streams(&self.starts, Purpose::Viral);
        horizon <= self.starts.len() && self.viral.share(key, streams, multiplier)
    }

    /// The day's shared viral multiplier.
    #[inline]
    pub(super) fn viral(&self, day: usize) -> f64 {
        self.viral.days[day]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn shared_streams_are_the_streams_and_other_keys_are_refused() {
        let mut shared = SharedDraws::new(7, 11, 30);
        for purpose in DAY_PURPOSES.into_iter().chain([Purpose::Inventory]) {
            for day in [0, 5, 29, 30, 400] {
                assert_eq!(
                    shared.stream(purpose, day).random::<u64>(),
                    stream(7, 11, purpose, day as u64).random::<u64>()
                );
            }
        }
        let start = |mut rng: StreamRng| DemandStart {
            live_draw: rng.random(),
            noise: 1.0,
            rng,
        };
        assert!(shared.share_demand(30, [3, 0, 0], start));
        assert!(shared.share_demand(20, [3, 0, 0], start));
        assert!(!shared.share_demand(30, [4, 0, 0], start));
        // A longer horizon than the shared one is not covered.
        assert!(!shared.share_demand(31, [3, 0, 0], start));
        let mut expected = stream(7, 11, Purpose::Demand, 12);
        assert_eq!(shared.demand(12).live_draw, expected.random::<f64>());
        assert!(shared.share_viral(30, [1, 2, 3], |_| 2.0));
        assert!(!shared.share_viral(30, [1, 2, 4], |_| 3.0));
        assert_eq!(shared.viral(29), 2.0);
        // Another trial starts afresh.
        shared.reset(7, 12, 30);
        assert!(shared.share_demand(30, [4, 0, 0], start));
        assert_eq!(
            shared.stream(Purpose::Returns, 3).random::<u64>(),
            stream(7, 12, Purpose::Returns, 3).random::<u64>()
        );
    }
}
