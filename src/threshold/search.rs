//! Finding where a probability crosses a target along a parameter, from a study run at
//! chosen values (pure: the caller runs the studies).
//!
//! The probability is P(A beats B) at each value, from paired trials on the same seeds, so
//! it changes smoothly with the value (common random numbers). The search scans the
//! interval, takes the first scan step where the probability passes the target, and
//! narrows it by evaluating three evenly spaced values inside per round (a fixed number,
//! so the values run, and the answer, do not depend on the thread count). The Monte Carlo
//! interval of the crossing is where the probability's 95% band crosses the target: from
//! the value where the band's far edge reaches it to where its near edge does.

use std::collections::BTreeMap;

/// The probability at one value: its estimate and 95% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// P(A beats B).
    pub p: f64,
    /// Lower end of its 95% interval.
    pub low: f64,
    /// Upper end of its 95% interval.
    pub high: f64,
}

/// What to search.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Search {
    /// The interval's ends.
    pub lo: f64,
    /// The interval's ends.
    pub hi: f64,
    /// Whether the parameter takes whole numbers only.
    pub integer: bool,
    /// The probability to cross.
    pub target: f64,
    /// Values in the first scan (ends included).
    pub scan_points: usize,
    /// Stop narrowing when the bracket is this share of `hi - lo` or less.
    pub tolerance: f64,
}

/// Which way the probability passes the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Below the target at lower values, above it at higher ones.
    Rising,
    /// Above the target at lower values, below it at higher ones.
    Falling,
}

impl Direction {
    /// Where a whole-number answer's target holds from it: "and up" when P rises (the
    /// first value meeting it), "and down" when it falls (the last).
    pub fn whole_side(self) -> &'static str {
        match self {
            Direction::Rising => "and up",
            Direction::Falling => "and down",
        }
    }

    /// Where the target holds, in words, around the answer written `at`, and the other
    /// side: "above at" or "below at" for a continuous parameter; "at at and up" or "at at
    /// and down" for a whole number, where "above 2" would read as 3 and more.
    pub fn sides(self, at: &str, integer: bool) -> (String, &'static str) {
        let other = match self {
            Direction::Rising => "below",
            Direction::Falling => "above",
        };
        if integer {
            return (format!("at {at} {}", self.whole_side()), other);
        }
        let side = match self {
            Direction::Rising => "above",
            Direction::Falling => "below",
        };
        (format!("{side} {at}"), other)
    }

    /// The direction a record names ("rising" or anything else: falling).
    pub fn named(name: Option<&str>) -> Direction {
        if name == Some("rising") {
            Direction::Rising
        } else {
            Direction::Falling
        }
    }
}

/// One end of the crossing's interval: a value, or beyond the searched interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum End {
    /// The band's edge crosses the target here.
    At(f64),
    /// The band's edge does not cross the target inside the interval on this side.
    Beyond,
}

/// The search's answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The probability crosses the target.
    Crosses {
        /// Where (the probability's own crossing).
        value: f64,
        /// Which way.
        direction: Direction,
        /// The interval's lower end (a lower value).
        low: End,
        /// The interval's upper end.
        high: End,
        /// How many scan steps pass the target (more than 1: the first is reported).
        crossings: usize,
    },
    /// It stays on one side of the target over the whole interval.
    Never,
}

/// Every value evaluated, with its estimate.
pub type Evaluated = BTreeMap<u64, (f64, Estimate)>;

/// Runs the studies at some values and gives their estimates, in order.
pub type Evaluate<'a, E> = dyn FnMut(&[f64]) -> Result<Vec<Estimate>, E> + 'a;

/// Runs the values not yet in the map and adds them.
type RunNew<'a, E> = dyn FnMut(&[f64], &mut Evaluated) -> Result<(), E> + 'a;

/// Which edge of the band.
type Edge = fn(&Estimate) -> f64;

/// Runs the search: `evaluate` gets values to run (all at once, so they can run side by
/// side) and returns their estimates in the same order.
pub fn search<E>(s: &Search, evaluate: &mut Evaluate<'_, E>) -> Result<(Outcome, Evaluated), E> {
    let mut seen: Evaluated = BTreeMap::new();
    let mut run = |values: &[f64], seen: &mut Evaluated| -> Result<(), E> {
        let fresh: Vec<f64> = values
            .iter()
            .copied()
            .filter(|v| !seen.contains_key(&key(*v)))
            .collect();
        if fresh.is_empty() {
            return Ok(());
        }
        for (v, e) in fresh.iter().zip(evaluate(&fresh)?) {
            seen.insert(key(*v), (*v, e));
        }
        Ok(())
    };
    let scan = scan_values(s);
    run(&scan, &mut seen)?;
    let at = |seen: &Evaluated, v: f64| seen[&key(v)].1;
    let above = |p: f64| p >= s.target;
    // The scan steps where the probability passes the target.
    let steps: Vec<usize> = (0..scan.len() - 1)
        .filter(|&i| above(at(&seen, scan[i]).p) != above(at(&seen, scan[i + 1]).p))
        .collect();
    let Some(&first) = steps.first() else {
        return Ok((Outcome::Never, seen));
    };
    let direction = if above(at(&seen, scan[first + 1]).p) {
        Direction::Rising
    } else {
        Direction::Falling
    };
    let value = narrow(
        s,
        scan[first],
        scan[first + 1],
        |e| above(e.p),
        &mut seen,
        &mut run,
    )?;
    // The band: rising, its upper edge reaches the target first (lower values), its
    // lower edge last; falling, the other way round.
    let (first_edge, last_edge): (Edge, Edge) = match direction {
        Direction::Rising => (|e| e.high, |e| e.low),
        Direction::Falling => (|e| e.low, |e| e.high),
    };
    let mut ends = [End::Beyond, End::Beyond];
    for (slot, edge, towards_lower) in [(0, first_edge, true), (1, last_edge, false)] {
        // The scan step, nearest the crossing on its side, where this edge passes.
        let passes = |i: usize, seen: &Evaluated| {
            above(edge(&at(seen, scan[i]))) != above(edge(&at(seen, scan[i + 1])))
        };
        let candidates: Vec<usize> = if towards_lower {
            (0..=first).rev().collect()
        } else {
            (first..scan.len() - 1).collect()
        };
        if let Some(&i) = candidates.iter().find(|&&i| passes(i, &seen)) {
            let found = narrow(
                s,
                scan[i],
                scan[i + 1],
                |e| above(edge(e)),
                &mut seen,
                &mut run,
            )?;
            ends[slot] = End::At(found);
        }
    }
    Ok((
        Outcome::Crosses {
            value,
            direction,
            low: ends[0],
            high: ends[1],
            crossings: steps.len(),
        },
        seen,
    ))
}

/// The map key of a value (its bits; values are never NaN).
fn key(v: f64) -> u64 {
    // Order-preserving for the finite values used here: flip negatives.
    let bits = v.to_bits();
    if v.is_sign_negative() {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// The first scan: `scan_points` evenly spaced values from `lo` to `hi` (whole numbers
/// for an integer parameter, without repeats).
pub fn scan_values(s: &Search) -> Vec<f64> {
    let n = s.scan_points.max(2);
    let mut v: Vec<f64> = (0..n)
        .map(|i| {
            let x = if i + 1 == n {
                s.hi
            } else {
                s.lo + (s.hi - s.lo) * i as f64 / (n - 1) as f64
            };
            if s.integer {
                x.round()
            } else {
                x
            }
        })
        .collect();
    v.dedup();
    v
}

/// Narrows `[a, b]` (where `side` differs at the ends) to the value where `side` changes,
/// evaluating three values inside per round; returns the bracket's midpoint (for an
/// integer parameter, the whole value at its end where `side` holds: the first that meets
/// the target when it rises, the last when it falls).
fn narrow<E>(
    s: &Search,
    mut a: f64,
    mut b: f64,
    side: impl Fn(&Estimate) -> bool,
    seen: &mut Evaluated,
    run: &mut RunNew<'_, E>,
) -> Result<f64, E> {
    let tolerance = s.tolerance * (s.hi - s.lo);
    let side_a = side(&seen[&key(a)].1);
    loop {
        let width = b - a;
        let answer = |a: f64, b: f64| {
            if !s.integer {
                0.5 * (a + b)
            } else if side_a {
                a
            } else {
                b
            }
        };
        if (s.integer && width <= 1.0) || (!s.integer && width <= tolerance) {
            return Ok(answer(a, b));
        }
        let mut inside: Vec<f64> = (1..=3)
            .map(|k| {
                let x = a + width * k as f64 / 4.0;
                if s.integer {
                    x.round()
                } else {
                    x
                }
            })
            .filter(|&x| x > a && x < b)
            .collect();
        inside.dedup();
        if inside.is_empty() {
            return Ok(answer(a, b));
        }
        run(&inside, seen)?;
        // The last value on `a`'s side and the first past it.
        let mut next_a = a;
        let mut next_b = b;
        for &x in &inside {
            if side(&seen[&key(x)].1) == side_a {
                next_a = x;
            } else {
                next_b = x;
                break;
            }
        }
        a = next_a;
        b = next_b;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A probability that rises linearly from 0 at `lo` to 1 at `hi`, with a band of
    /// ±`half`.
    fn linear(lo: f64, hi: f64, half: f64) -> impl FnMut(&[f64]) -> Result<Vec<Estimate>, ()> {
        move |xs: &[f64]| {
            Ok(xs
                .iter()
                .map(|&x| {
                    let p = ((x - lo) / (hi - lo)).clamp(0.0, 1.0);
                    Estimate {
                        p,
                        low: (p - half).max(0.0),
                        high: (p + half).min(1.0),
                    }
                })
                .collect())
        }
    }

    /// A crossing's value, direction and interval ends.
    fn crossing(outcome: Outcome) -> (f64, Direction, End, End) {
        let Outcome::Crosses {
            value,
            direction,
            low,
            high,
            ..
        } = outcome
        else {
            panic!("{outcome:?}");
        };
        (value, direction, low, high)
    }

    fn plan(lo: f64, hi: f64, target: f64) -> Search {
        Search {
            lo,
            hi,
            integer: false,
            target,
            scan_points: 9,
            tolerance: 1e-3,
        }
    }

    #[test]
    fn finds_a_linear_crossing_and_the_band_around_it() {
        let (outcome, seen) =
            search(&plan(0.0, 100.0, 0.3), &mut linear(0.0, 100.0, 0.05)).unwrap();
        let Outcome::Crosses {
            value,
            direction,
            low,
            high,
            crossings,
        } = outcome
        else {
            panic!("no crossing: {outcome:?}");
        };
        assert_eq!(direction, Direction::Rising);
        assert_eq!(crossings, 1);
        // The bracket narrows to a thousandth of the interval: 0.1 here.
        assert!((value - 30.0).abs() <= 0.05, "{value}");
        // The band p ± 0.05 reaches 0.3 at 25 (its upper edge) and 35 (its lower edge).
        let End::At(low) = low else { panic!() };
        let End::At(high) = high else { panic!() };
        assert!((low - 25.0).abs() <= 0.05, "{low}");
        assert!((high - 35.0).abs() <= 0.05, "{high}");
        // Each narrowing costs four rounds of three values (12.5 / 4^4 < 0.1), not a
        // fine grid: 9 + 3 × 12 at most.
        assert!(seen.len() <= 45, "{} values run", seen.len());
    }

    #[test]
    fn a_falling_probability_and_an_open_band_end() {
        let mut falling = |xs: &[f64]| -> Result<Vec<Estimate>, ()> {
            Ok(xs
                .iter()
                .map(|&x| {
                    let p = 1.0 - x / 10.0;
                    Estimate {
                        p,
                        low: p - 0.3,
                        high: p + 0.3,
                    }
                })
                .collect())
        };
        let (outcome, _) = search(&plan(0.0, 10.0, 0.8), &mut falling).unwrap();
        let (value, direction, low, high) = crossing(outcome);
        assert_eq!(direction, Direction::Falling);
        assert!((value - 2.0).abs() <= 0.005, "{value}");
        // The upper edge 1.3 - x/10 crosses 0.8 at 5; the lower edge 0.7 - x/10 would at
        // -1, outside [0, 10].
        assert_eq!(low, End::Beyond);
        let End::At(high) = high else { panic!() };
        assert!((high - 5.0).abs() <= 0.005, "{high}");
    }

    #[test]
    fn no_crossing_is_said_so() {
        let (outcome, seen) =
            search(&plan(0.0, 100.0, 0.3), &mut linear(200.0, 300.0, 0.0)).unwrap();
        assert_eq!(outcome, Outcome::Never);
        assert_eq!(seen.len(), 9);
    }

    #[test]
    fn whole_number_parameters_give_the_first_whole_value_past_the_target() {
        let s = Search {
            integer: true,
            ..plan(0.0, 40.0, 0.5)
        };
        // P rises in steps: 0 below 17, 1 from 17.
        let mut step = |xs: &[f64]| -> Result<Vec<Estimate>, ()> {
            Ok(xs
                .iter()
                .map(|&x| {
                    assert_eq!(x, x.round(), "a whole-number parameter got {x}");
                    let p = if x >= 17.0 { 1.0 } else { 0.0 };
                    Estimate { p, low: p, high: p }
                })
                .collect())
        };
        let (outcome, _) = search(&s, &mut step).unwrap();
        let Outcome::Crosses { value, .. } = outcome else {
            panic!()
        };
        assert_eq!(value, 17.0);
        // Falling: P is 1 up to 16 and 0 from 17, so the target holds at 16 and down.
        let mut falling = |xs: &[f64]| -> Result<Vec<Estimate>, ()> {
            Ok(step(xs)?
                .into_iter()
                .map(|e| Estimate {
                    p: 1.0 - e.p,
                    low: 1.0 - e.high,
                    high: 1.0 - e.low,
                })
                .collect())
        };
        let (outcome, _) = search(&s, &mut falling).unwrap();
        let (value, direction, low, high) = crossing(outcome);
        assert_eq!(direction, Direction::Falling);
        assert_eq!((value, low, high), (16.0, End::At(16.0), End::At(16.0)));
    }

    #[test]
    fn several_crossings_are_counted_and_the_first_reported() {
        let mut wave = |xs: &[f64]| -> Result<Vec<Estimate>, ()> {
            Ok(xs
                .iter()
                .map(|&x| {
                    let p = 0.5 + 0.4 * (x * std::f64::consts::PI / 25.0).sin();
                    Estimate { p, low: p, high: p }
                })
                .collect())
        };
        // sin crosses 0 (p = 0.5) at 25, 50, 75 inside (0.1, 100): falling first.
        let (outcome, _) = search(&plan(0.1, 99.0, 0.5), &mut wave).unwrap();
        let Outcome::Crosses {
            value,
            crossings,
            direction,
            ..
        } = outcome
        else {
            panic!()
        };
        assert_eq!(direction, Direction::Falling);
        assert!(crossings >= 3, "{crossings}");
        assert!((value - 25.0).abs() <= 0.05, "{value}");
    }

    #[test]
    fn values_keep_their_order_as_keys() {
        let mut v = [-3.5, -0.0, 0.0, 1e-9, 2.0, -1e9];
        v.sort_by(f64::total_cmp);
        let keys: Vec<u64> = v.iter().map(|&x| key(x)).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    }
}
