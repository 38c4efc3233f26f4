//! Random streams: one per (seed, trial, purpose[, day]), derived by SplitMix64 hashing so
//! that no stream depends on the variant (common random numbers) or on which thread runs
//! the trial (bit-identical results for any thread count).

use rand::SeedableRng;
use rand_xoshiro::SplitMix64;

use crate::params::P;

/// Trials per batch: the unit of parallel work, of input sampling (and of correlating
/// inputs) and of merging; a batch's streams do not depend on which thread runs it.
pub const BATCH_SIZE: u64 = 256;

/// The stream index of a catalog parameter: FNV-1a of its key.
pub fn param_stream(p: P) -> u64 {
    p.key().bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The generator every stream uses: SplitMix64 (Steele, Lea & Flood 2014; passes
/// BigCrush), fixed across `rand` versions. Most streams serve one day and draw a handful
/// of numbers, so what counts is the cost of starting one: a SplitMix64 stream starts
/// from the hash below as it is (Xoshiro256++, used before, spent four more mixing rounds
/// and a 32-byte state on every start, a tenth of a trial-day's time).
pub type StreamRng = SplitMix64;

/// What a stream is for. Separate streams keep, e.g., carrier luck identical across
/// variants even when they draw different numbers of demand variates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Sampling a trial's uncertain inputs.
    Parameters = 1,
    /// Demand: live streams, noise, orders.
    Demand = 2,
    /// Lost parcels and delays.
    Logistics = 3,
    /// Returns, complaints and resale.
    Returns = 4,
    /// Reorder lead times.
    Inventory = 5,
    /// Viral demand spikes (shared by every variant: the same days go viral).
    Viral = 6,
    /// Repeat orders of the buyer base.
    Repeat = 7,
    /// Late dispatch.
    Dispatch = 8,
}

/// SplitMix64 finaliser: a bijective mix with good avalanche.
#[inline]
pub fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A stream for `(seed, trial, purpose, index)`; `index` is a day or a parameter number.
#[inline]
pub fn stream(seed: u64, trial: u64, purpose: Purpose, index: u64) -> StreamRng {
    StreamKey::new(purpose, index).start(seed, trial)
}

/// The part of a stream's start that depends only on its purpose and index, the same for
/// every seed and trial: worked out once where every trial starts the same streams (a
/// trial's streams of every day), it leaves two of the three hashes of a start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamKey(u64);

impl StreamKey {
    /// The key of the streams `(·, ·, purpose, index)`.
    #[inline]
    pub fn new(purpose: Purpose, index: u64) -> StreamKey {
        StreamKey(splitmix64((purpose as u64) << 32 ^ index))
    }

    /// The stream `(seed, trial, purpose, index)`, as [`stream`] starts it.
    #[inline]
    pub fn start(self, seed: u64, trial: u64) -> StreamRng {
        let h = splitmix64(seed ^ splitmix64(trial ^ self.0));
        StreamRng::from_seed(h.to_le_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_differ_by_every_coordinate_and_repeat_exactly() {
        let draw = |s: u64, t: u64, p: Purpose, i: u64| stream(s, t, p, i).random::<u64>();
        let base = draw(1, 2, Purpose::Demand, 3);
        assert_eq!(base, draw(1, 2, Purpose::Demand, 3));
        assert_ne!(base, draw(2, 2, Purpose::Demand, 3));
        assert_ne!(base, draw(1, 3, Purpose::Demand, 3));
        assert_ne!(base, draw(1, 2, Purpose::Returns, 3));
        assert_ne!(base, draw(1, 2, Purpose::Demand, 4));
    }
}
