//! The floor a variant-day's cost cannot go under while its count draws stay exact and
//! this many: the draws alone, with nothing of the model around them (no money, cash,
//! totals, statistics or trial set-up). One self-operated variant-day that the merchant
//! dispatches (platform labels, a 3PL, direct mail) is eight count draws: orders, repeat
//! orders, late dispatches, lost parcels, returns, complaints, resold units, changes of
//! mind; Fulfilled by TikTok makes seven (no late dispatches: the platform dispatches),
//! fully managed five (no repeat orders, late dispatches or change-of-mind split). The
//! means are about the benchmark study's, and every day starts fresh streams, as the model
//! starts one per (trial, purpose, day).
//!
//! One loop, [`Floor::days`], timed by both the `samplers` benchmark (`cargo bench
//! --bench samplers -- variant_day`) and `shopsim bench` (which sets the end-to-end rate
//! against it), so the two measure the same code. Not part of the model: its results are
//! a checksum.

use rand::SeedableRng;
use rand_xoshiro::SplitMix64;

use super::draws::{poisson, Chance};
use crate::params::{Dispatcher, Model, Setting};

/// A variant-day's draw pattern: how many count draws it makes (5, 7 or 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pattern(u8);

impl Pattern {
    /// Eight draws: a self-operated shop that dispatches its own orders.
    pub const EIGHT: Pattern = Pattern(8);
    /// Seven draws: Fulfilled by TikTok (no late dispatches).
    pub const SEVEN_FBT: Pattern = Pattern(7);
    /// Five draws: fully managed.
    pub const FIVE_MANAGED: Pattern = Pattern(5);

    /// The pattern of a variant with `setting`.
    pub fn of(setting: &Setting) -> Pattern {
        match (setting.model, setting.route.dispatcher()) {
            (Model::FullyManaged, _) => Pattern::FIVE_MANAGED,
            (Model::SelfOperated, Dispatcher::Platform) => Pattern::SEVEN_FBT,
            (Model::SelfOperated, Dispatcher::Merchant) => Pattern::EIGHT,
        }
    }

    /// The count draws a day of this pattern makes.
    pub fn draws(self) -> u32 {
        u32::from(self.0)
    }
}

/// The probabilities of the floor's binomial draws, prepared once.
#[derive(Clone, Debug)]
pub struct Floor {
    late: Chance,
    lost: Chance,
    returned: Chance,
    complaint: Chance,
    resellable: Chance,
    changed_mind: Chance,
}

impl Default for Floor {
    fn default() -> Floor {
        Floor::new()
    }
}

impl Floor {
    /// The floor's draws at about the benchmark study's means.
    pub fn new() -> Floor {
        Floor {
            late: Chance::new(0.05),
            lost: Chance::new(0.01),
            returned: Chance::new(0.12),
            complaint: Chance::new(0.03),
            resellable: Chance::new(0.2),
            changed_mind: Chance::new(0.6),
        }
    }

    /// Days `first..first + count`, each making one variant-day of every pattern in
    /// `patterns` (`patterns.len() × count` variant-days); returns a checksum of the
    /// draws (so that none can be left out). Each variant-day starts two fresh streams
    /// from its own index, so no two are alike and no branch predictor learns them.
    #[inline(never)]
    pub fn days(&self, patterns: &[Pattern], first: u64, count: u64) -> u64 {
        let mut total = 0u64;
        let k = patterns.len() as u64;
        for day in first..first + count {
            for (i, &pattern) in (0u64..).zip(patterns) {
                total = total.wrapping_add(self.variant_day(pattern, day * k + i));
            }
        }
        total
    }

    /// One variant-day of `pattern`, from the streams of `index`.
    #[inline(always)]
    fn variant_day(&self, pattern: Pattern, index: u64) -> u64 {
        let draws = pattern.draws();
        let mut total = 0u64;
        // Fresh streams, as the model starts one per (trial, purpose, day).
        let mut demand = SplitMix64::seed_from_u64(index ^ 0x9E37_79B9);
        let mut rest = SplitMix64::seed_from_u64(index ^ 0xDEAD_BEEF);
        let orders = poisson(&mut demand, 20.0 + (index % 97) as f64 * 0.02);
        if draws >= 7 {
            total += poisson(&mut rest, 0.8 + (index % 13) as f64 * 0.01);
        }
        if draws == 8 {
            total += self.late.draw(&mut rest, orders);
        }
        let delivered = orders - self.lost.draw(&mut rest, orders);
        let returns = self.returned.draw(&mut rest, delivered);
        total += self.complaint.draw(&mut rest, delivered);
        total += self.resellable.draw(&mut rest, returns);
        if draws >= 7 {
            total += self.changed_mind.draw(&mut rest, returns);
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_patterns_follow_who_dispatches_and_the_model() {
        use crate::params::Route;
        let s = crate::scenario::parse(
            crate::scenario::BUILT_IN,
            crate::scenario::BUILT_IN_NAME,
            None,
        )
        .unwrap();
        for v in s.spec().variants() {
            let setting = v.setting();
            let expected = match setting.route {
                Route::Managed => 5,
                Route::Fbt => 7,
                _ => 8,
            };
            assert_eq!(Pattern::of(&setting).draws(), expected, "{}", v.name());
        }
    }

    #[test]
    fn the_days_repeat_and_add_up() {
        let floor = Floor::new();
        let all = [Pattern::EIGHT, Pattern::SEVEN_FBT, Pattern::FIVE_MANAGED];
        assert_eq!(floor.days(&all, 10, 50), floor.days(&all, 10, 50));
        let one = floor.days(&[Pattern::EIGHT], 0, 1) + floor.days(&[Pattern::EIGHT], 1, 1);
        assert_eq!(one, floor.days(&[Pattern::EIGHT], 0, 2));
        assert!(floor.days(&all, 0, 100) > 0);
    }
}
