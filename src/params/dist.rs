//! Uncertain inputs: a parameter value is a fixed number or a distribution, written the
//! same way in TOML and CSV (`normal(10, 2)`, `5..12`, `0.3`). Parsing validates the
//! arguments, so a `Dist` that exists can always be sampled.

// `!(x >= y)` is deliberate: unlike `x < y` it is also true when either side is NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use std::fmt;

use rand::Rng;
use rand_distr::{Beta, Distribution, LogNormal, Normal, Pert, Triangular};

/// z such that P(Z ≤ z) = 0.95: a `lo..hi` interval holds 90% of the mass.
pub const Z_95: f64 = 1.644_853_626_951_472_2;

/// How a value is written: a fixed number or one of the distribution families, with its
/// arguments. Any `Shape` can be built; only [`Dist::new`] turns one into a value, after
/// checking its arguments.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape {
    /// A fixed number.
    Fixed(f64),
    /// `normal(mean, sd)`.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation (≥ 0).
        sd: f64,
    },
    /// `lognormal(median, sigma)`.
    LogNormal {
        /// Median (> 0).
        median: f64,
        /// Standard deviation of the logarithm (≥ 0).
        sigma: f64,
    },
    /// `uniform(lo, hi)`.
    Uniform {
        /// Lowest value.
        lo: f64,
        /// Highest value.
        hi: f64,
    },
    /// `triangular(lo, mode, hi)`.
    Triangular {
        /// Lowest value.
        lo: f64,
        /// Most likely value.
        mode: f64,
        /// Highest value.
        hi: f64,
    },
    /// `pert(lo, mode, hi)`: a scaled beta with weight 4 on the mode.
    Pert {
        /// Lowest value.
        lo: f64,
        /// Most likely value.
        mode: f64,
        /// Highest value.
        hi: f64,
    },
    /// `beta(a, b)` on [0, 1].
    Beta {
        /// First shape (> 0).
        a: f64,
        /// Second shape (> 0).
        b: f64,
    },
    /// `lo..hi`, a 90% interval; kept as written so that files round-trip.
    Interval {
        /// 5th percentile.
        lo: f64,
        /// 95th percentile.
        hi: f64,
    },
}

/// A parameter's value for the study, sampled once per trial: a checked [`Shape`] and the
/// sampler built from it once (the rand_distr pattern: a value that exists is valid and
/// can always be sampled).
#[derive(Clone, Debug)]
pub struct Dist {
    shape: Shape,
    sampler: Sampler,
}

/// The sampler of a checked shape.
#[derive(Clone, Copy, Debug)]
enum Sampler {
    Fixed(f64),
    Normal(Normal<f64>),
    LogNormal(LogNormal<f64>),
    /// `lo + width · u`.
    Uniform {
        lo: f64,
        width: f64,
    },
    Triangular(Triangular<f64>),
    Pert(Pert<f64>),
    Beta(Beta<f64>),
}

impl PartialEq for Dist {
    /// Two values are equal when written the same way (the sampler follows the shape).
    fn eq(&self, other: &Dist) -> bool {
        self.shape == other.shape
    }
}

/// Why a distribution text was rejected; the caller adds file, line and key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DistError {
    #[error("cannot read `{0}` as a number or a distribution (expected e.g. `0.3`, `normal(10, 2)`, `lognormal(5, 0.4)`, `uniform(1, 3)`, `triangular(1, 2, 4)`, `pert(1, 2, 4)`, `beta(2, 8)` or `5..12`)")]
    /// Neither a number nor a distribution (the text as a message shows it).
    Syntax(String),
    #[error("unknown distribution `{name}`{hint}; known: normal, lognormal, uniform, triangular, pert, beta")]
    /// A distribution name shopsim does not know.
    UnknownName {
        /// The name written.
        name: String,
        /// A "did you mean" suggestion, or empty.
        hint: String,
    },
    #[error("`{name}` takes {expected} arguments, got {got}")]
    /// The wrong number of arguments.
    Arity {
        /// The distribution.
        name: &'static str,
        /// Arguments it takes.
        expected: usize,
        /// Arguments given.
        got: usize,
    },
    #[error("`{0}` is not a finite number")]
    /// Not a finite number (NaN or infinite).
    NotFinite(String),
    #[error("expected a number or a distribution such as \"normal(10, 2)\"; found {0}")]
    /// A value of another type (a list, a table, a date…), as a message describes it.
    NotAValue(String),
    #[error("{}", beta_is_not_money(.0))]
    /// A beta where an amount of money belongs: it cannot be converted to another
    /// currency (the distribution as written).
    BetaMoney(String),
    #[error("impossible arguments in `{text}`: {why}")]
    /// Arguments the distribution cannot take.
    Arguments {
        /// The text (or the distribution) rejected.
        text: String,
        /// Why, in a few words.
        why: &'static str,
    },
}

/// Why a beta cannot be an amount of money (`dist` as written).
pub fn beta_is_not_money(dist: &str) -> String {
    format!("`{dist}` lies on [0, 1] whatever the currency: a beta cannot be an amount of money (write it as `pert(lo, mode, hi)`, `uniform(lo, hi)` or `lo..hi`)")
}

impl Dist {
    /// Parses `0.3`, `1e-3`, `normal(10, 2)`, `10..20`, and so on.
    pub fn parse(text: &str) -> Result<Dist, DistError> {
        let t = text.trim();
        if let Some(value) = parse_number(t)? {
            return Dist::fixed(value);
        }
        if let Some((lo, hi)) = t.split_once("..") {
            let (lo, hi) = (number_arg(lo)?, number_arg(hi)?);
            return Dist::interval(lo, hi, t);
        }
        let open = t
            .find('(')
            .ok_or_else(|| DistError::Syntax(crate::error::printable(t)))?;
        let close = t
            .strip_suffix(')')
            .ok_or_else(|| DistError::Syntax(crate::error::printable(t)))?;
        let name = t[..open].trim().to_ascii_lowercase();
        let args: Vec<f64> = close[open + 1..]
            .split(',')
            .map(number_arg)
            .collect::<Result<_, _>>()?;
        let shape = shape_of(&name, &args)?;
        Dist::new(shape).map_err(|why| match why {
            DistError::Arguments { why, .. } => DistError::Arguments {
                text: t.to_string(),
                why,
            },
            other => other,
        })
    }

    fn interval(lo: f64, hi: f64, text: &str) -> Result<Dist, DistError> {
        Dist::new(Shape::Interval { lo, hi }).map_err(|e| match e {
            DistError::Arguments { why, .. } => DistError::Arguments {
                text: text.to_string(),
                why,
            },
            other => other,
        })
    }

    /// A fixed value; an error when it is not a finite number.
    pub fn fixed(value: f64) -> Result<Dist, DistError> {
        Dist::new(Shape::Fixed(value))
    }

    /// The fixed value 1 (a neutral multiplier).
    pub const ONE: Dist = Dist {
        shape: Shape::Fixed(1.0),
        sampler: Sampler::Fixed(1.0),
    };

    /// Checks a shape's arguments and builds its sampler.
    pub fn new(shape: Shape) -> Result<Dist, DistError> {
        let bad = |why: &'static str| {
            Err(DistError::Arguments {
                text: shape.to_string(),
                why,
            })
        };
        let args: &[f64] = match &shape {
            Shape::Fixed(v) => &[*v],
            Shape::Normal { mean, sd } => &[*mean, *sd],
            Shape::LogNormal { median, sigma } => &[*median, *sigma],
            Shape::Uniform { lo, hi } | Shape::Interval { lo, hi } => &[*lo, *hi],
            Shape::Triangular { lo, mode, hi } | Shape::Pert { lo, mode, hi } => &[*lo, *mode, *hi],
            Shape::Beta { a, b } => &[*a, *b],
        };
        if let Some(v) = args.iter().find(|v| !v.is_finite()) {
            return Err(DistError::NotFinite(v.to_string()));
        }
        let sampler = match shape {
            Shape::Fixed(v) => Sampler::Fixed(v),
            Shape::Normal { mean, sd } => {
                if !(sd >= 0.0) {
                    return bad("the standard deviation must be ≥ 0");
                }
                normal_sampler(mean, sd)
            }
            Shape::LogNormal { median, sigma } => {
                if !(median > 0.0) {
                    return bad("the median must be > 0");
                }
                if !(sigma >= 0.0) {
                    return bad("sigma must be ≥ 0");
                }
                lognormal_sampler(median, sigma)
            }
            Shape::Uniform { lo, hi } => {
                if !(hi >= lo) {
                    return bad("needs lo ≤ hi");
                }
                Sampler::Uniform { lo, width: hi - lo }
            }
            Shape::Triangular { lo, mode, hi } | Shape::Pert { lo, mode, hi } => {
                if !(lo <= mode && mode <= hi) {
                    return bad("needs lo ≤ mode ≤ hi");
                }
                // rand_distr's PERT needs lo < hi; a zero-width range is its point.
                let point = || Sampler::Fixed(lo);
                match shape {
                    _ if hi == lo => point(),
                    Shape::Pert { .. } => Pert::new(lo, hi)
                        .with_mode(mode)
                        .map_or_else(|_| point(), Sampler::Pert),
                    _ => {
                        Triangular::new(lo, hi, mode).map_or_else(|_| point(), Sampler::Triangular)
                    }
                }
            }
            Shape::Beta { a, b } => {
                if !(a > 0.0 && b > 0.0) {
                    return bad("both shape parameters must be > 0");
                }
                Sampler::Beta(beta(a, b)?)
            }
            Shape::Interval { lo, hi } => {
                if !(hi >= lo) {
                    return bad("a `lo..hi` interval needs lo ≤ hi");
                }
                match interval_form(lo, hi) {
                    IntervalForm::LogNormal { median, sigma } => lognormal_sampler(median, sigma),
                    IntervalForm::Normal { mean, sd } => normal_sampler(mean, sd),
                    IntervalForm::Point => Sampler::Fixed(0.5 * (lo + hi)),
                }
            }
        };
        Ok(Dist { shape, sampler })
    }

    /// The same value in units `factor` times smaller (an amount in USD as THB at 36.5
    /// THB per USD): every draw, the mean and every quantile times `factor`, for the same
    /// random numbers. A log-normal's median scales and its sigma does not (the spread of
    /// a logarithm has no unit); a `lo..hi` interval scales both ends, which scales its
    /// median (or mean and sd) and keeps its sigma. A beta lies on [0, 1] whatever the
    /// unit and is refused, as is a factor that is not positive and finite or a result
    /// that overflows. Each product is rounded to 15 significant digits, so that $0.4 at
    /// 36.5 reads 14.6 rather than 14.600000000000001 wherever values are shown: a change
    /// of under 1e-15 of the value, far below the precision of any exchange rate.
    pub fn scaled(&self, factor: f64) -> Result<Dist, DistError> {
        if !(factor > 0.0 && factor.is_finite()) {
            return Err(DistError::Arguments {
                text: format!("{self} × {factor}"),
                why: "a scale factor must be a positive finite number",
            });
        }
        let k = |x: f64| {
            let product = x * factor;
            // Shortest decimal of 15 significant digits, read back (`inf` stays `inf`,
            // which `Dist::new` refuses).
            format!("{product:.14e}").parse::<f64>().unwrap_or(product)
        };
        let shape = match self.shape {
            Shape::Fixed(v) => Shape::Fixed(k(v)),
            Shape::Normal { mean, sd } => Shape::Normal {
                mean: k(mean),
                sd: k(sd),
            },
            Shape::LogNormal { median, sigma } => Shape::LogNormal {
                median: k(median),
                sigma,
            },
            Shape::Uniform { lo, hi } => Shape::Uniform {
                lo: k(lo),
                hi: k(hi),
            },
            Shape::Triangular { lo, mode, hi } => Shape::Triangular {
                lo: k(lo),
                mode: k(mode),
                hi: k(hi),
            },
            Shape::Pert { lo, mode, hi } => Shape::Pert {
                lo: k(lo),
                mode: k(mode),
                hi: k(hi),
            },
            Shape::Interval { lo, hi } => Shape::Interval {
                lo: k(lo),
                hi: k(hi),
            },
            Shape::Beta { .. } => return Err(DistError::BetaMoney(self.to_string())),
        };
        Dist::new(shape)
    }

    /// How the value is written.
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    /// True when the value does not vary between trials.
    pub fn is_fixed(&self) -> bool {
        matches!(self.shape, Shape::Fixed(_))
    }

    /// The value when it is fixed.
    pub fn fixed_value(&self) -> Option<f64> {
        match self.shape {
            Shape::Fixed(v) => Some(v),
            _ => None,
        }
    }

    /// Draws one value. A fixed value consumes no randomness.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self.sampler {
            Sampler::Fixed(v) => v,
            Sampler::Normal(d) => d.sample(rng),
            Sampler::LogNormal(d) => d.sample(rng),
            Sampler::Uniform { lo, width } => lo + width * rng.random::<f64>(),
            Sampler::Triangular(d) => d.sample(rng),
            Sampler::Pert(d) => d.sample(rng),
            Sampler::Beta(d) => d.sample(rng),
        }
    }

    /// The distribution's mean (closed form), used by tests and the manifest.
    pub fn mean(&self) -> f64 {
        let lognormal_mean = |median: f64, sigma: f64| median * (0.5 * sigma * sigma).exp();
        match self.shape {
            Shape::Fixed(v) => v,
            Shape::Normal { mean, .. } => mean,
            Shape::LogNormal { median, sigma } => lognormal_mean(median, sigma),
            Shape::Uniform { lo, hi } => 0.5 * (lo + hi),
            Shape::Triangular { lo, mode, hi } => (lo + mode + hi) / 3.0,
            Shape::Pert { lo, mode, hi } => (lo + 4.0 * mode + hi) / 6.0,
            Shape::Beta { a, b } => a / (a + b),
            Shape::Interval { lo, hi } => match interval_form(lo, hi) {
                IntervalForm::LogNormal { median, sigma } => lognormal_mean(median, sigma),
                IntervalForm::Normal { mean, .. } => mean,
                IntervalForm::Point => 0.5 * (lo + hi),
            },
        }
    }

    /// The value below which a share `q` (in (0, 1)) of draws fall: the inverse CDF, from
    /// statrs (the one-at-a-time swings of `shopsim sensitivity` go from p10 to p90).
    pub fn quantile(&self, q: f64) -> f64 {
        use statrs::distribution::{Beta, ContinuousCDF, LogNormal, Normal};
        let normal = |mean: f64, sd: f64| {
            if sd > 0.0 {
                Normal::new(mean, sd).map_or(mean, |d| d.inverse_cdf(q))
            } else {
                mean
            }
        };
        let lognormal = |median: f64, sigma: f64| {
            if sigma > 0.0 {
                LogNormal::new(median.ln(), sigma).map_or(median, |d| d.inverse_cdf(q))
            } else {
                median
            }
        };
        let beta = |a: f64, b: f64| Beta::new(a, b).map_or(f64::NAN, |d| d.inverse_cdf(q));
        match self.shape {
            Shape::Fixed(v) => v,
            Shape::Normal { mean, sd } => normal(mean, sd),
            Shape::LogNormal { median, sigma } => lognormal(median, sigma),
            Shape::Uniform { lo, hi } => lo + q * (hi - lo),
            Shape::Triangular { lo, mode, hi } => {
                // Closed form: the CDF is quadratic on each side of the mode.
                let width = hi - lo;
                if width <= 0.0 {
                    return lo;
                }
                let split = (mode - lo) / width;
                if q < split {
                    lo + (q * width * (mode - lo)).sqrt()
                } else {
                    hi - ((1.0 - q) * width * (hi - mode)).sqrt()
                }
            }
            Shape::Pert { lo, mode, hi } => {
                let width = hi - lo;
                if width <= 0.0 {
                    return lo;
                }
                let a = 1.0 + 4.0 * (mode - lo) / width;
                let b = 1.0 + 4.0 * (hi - mode) / width;
                lo + width * beta(a, b)
            }
            Shape::Beta { a, b } => beta(a, b),
            Shape::Interval { lo, hi } => match interval_form(lo, hi) {
                IntervalForm::LogNormal { median, sigma } => lognormal(median, sigma),
                IntervalForm::Normal { mean, sd } => normal(mean, sd),
                IntervalForm::Point => lo,
            },
        }
    }

    /// The smallest and largest values a draw can take (infinite for unbounded tails).
    pub fn support(&self) -> (f64, f64) {
        match self.shape {
            Shape::Fixed(v) => (v, v),
            Shape::Normal { mean, sd: 0.0 } => (mean, mean),
            Shape::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Shape::LogNormal { median, sigma: 0.0 } => (median, median),
            Shape::LogNormal { .. } => (0.0, f64::INFINITY),
            Shape::Uniform { lo, hi }
            | Shape::Triangular { lo, hi, .. }
            | Shape::Pert { lo, hi, .. } => (lo, hi),
            Shape::Beta { .. } => (0.0, 1.0),
            Shape::Interval { lo, hi } => match interval_form(lo, hi) {
                IntervalForm::LogNormal { .. } => (0.0, f64::INFINITY),
                IntervalForm::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
                IntervalForm::Point => (lo, hi),
            },
        }
    }

    /// The shares of draws below `lo` and above `hi` (closed forms from statrs): what
    /// clamping a draw to a parameter's valid range turns into point masses at its ends.
    /// A bounded distribution is checked to lie inside the range before it is used, so
    /// only the unbounded ones (normal, log-normal, a `lo..hi` interval) have any.
    pub fn shares_outside(&self, lo: f64, hi: f64) -> (f64, f64) {
        use statrs::distribution::{ContinuousCDF, LogNormal, Normal};
        let normal = |mean: f64, sd: f64| Normal::new(mean, sd).ok().map(|d| (d.cdf(lo), d.sf(hi)));
        let lognormal = |median: f64, sigma: f64| {
            LogNormal::new(median.ln(), sigma)
                .ok()
                .map(|d| (d.cdf(lo), d.sf(hi)))
        };
        let shares = match self.shape {
            Shape::Normal { mean, sd } if sd > 0.0 => normal(mean, sd),
            Shape::LogNormal { median, sigma } if sigma > 0.0 => lognormal(median, sigma),
            Shape::Interval { lo: a, hi: b } => match interval_form(a, b) {
                IntervalForm::LogNormal { median, sigma } => lognormal(median, sigma),
                IntervalForm::Normal { mean, sd } => normal(mean, sd),
                IntervalForm::Point => None,
            },
            _ => None,
        };
        shares.unwrap_or_else(|| {
            // Bounded or a single value: by its support.
            let (low, high) = self.support();
            (
                if high < lo { 1.0 } else { 0.0 },
                if low > hi { 1.0 } else { 0.0 },
            )
        })
    }

    /// How a `lo..hi` interval is read: log-normal when both ends are positive (so the
    /// geometric midpoint is the median), normal otherwise.
    pub fn interval_form(&self) -> IntervalForm {
        match self.shape {
            Shape::Interval { lo, hi } => interval_form(lo, hi),
            _ => IntervalForm::Point,
        }
    }
}

/// The shape a distribution's name and arguments describe (arguments not yet checked).
fn shape_of(name: &str, args: &[f64]) -> Result<Shape, DistError> {
    let want = |n: usize, name: &'static str| {
        if args.len() == n {
            Ok(())
        } else {
            Err(DistError::Arity {
                name,
                expected: n,
                got: args.len(),
            })
        }
    };
    Ok(match name {
        "normal" => {
            want(2, "normal")?;
            Shape::Normal {
                mean: args[0],
                sd: args[1],
            }
        }
        "lognormal" => {
            want(2, "lognormal")?;
            Shape::LogNormal {
                median: args[0],
                sigma: args[1],
            }
        }
        "uniform" => {
            want(2, "uniform")?;
            Shape::Uniform {
                lo: args[0],
                hi: args[1],
            }
        }
        "triangular" | "pert" => {
            want(3, if name == "pert" { "pert" } else { "triangular" })?;
            let (lo, mode, hi) = (args[0], args[1], args[2]);
            if name == "pert" {
                Shape::Pert { lo, mode, hi }
            } else {
                Shape::Triangular { lo, mode, hi }
            }
        }
        "beta" => {
            want(2, "beta")?;
            Shape::Beta {
                a: args[0],
                b: args[1],
            }
        }
        _ => {
            return Err(DistError::UnknownName {
                hint: crate::suggest::did_you_mean(
                    name,
                    [
                        "normal",
                        "lognormal",
                        "uniform",
                        "triangular",
                        "pert",
                        "beta",
                    ],
                )
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default(),
                name: crate::error::printable(name),
            })
        }
    })
}

fn interval_form(lo: f64, hi: f64) -> IntervalForm {
    if lo == hi {
        IntervalForm::Point
    } else if lo > 0.0 {
        IntervalForm::LogNormal {
            median: (lo * hi).sqrt(),
            sigma: (hi / lo).ln() / (2.0 * Z_95),
        }
    } else {
        IntervalForm::Normal {
            mean: 0.5 * (lo + hi),
            sd: (hi - lo) / (2.0 * Z_95),
        }
    }
}

/// The reading of a `lo..hi` interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum IntervalForm {
    /// Both ends positive: the log-normal with these ends as 5th and 95th percentiles.
    LogNormal {
        /// The geometric midpoint of the ends.
        median: f64,
        /// Standard deviation of the logarithm.
        sigma: f64,
    },
    /// Otherwise: the normal with these ends as 5th and 95th percentiles.
    Normal {
        /// The midpoint of the ends.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// A zero-width interval: its one value.
    Point,
}

// The arguments are checked before these are called (finite, sd and sigma ≥ 0, median > 0,
// shapes > 0), which is everything rand_distr's constructors check: they cannot fail here,
// and the fallbacks only keep the code free of panics.
fn normal_sampler(mean: f64, sd: f64) -> Sampler {
    Normal::new(mean, sd).map_or(Sampler::Fixed(mean), Sampler::Normal)
}

fn lognormal_sampler(median: f64, sigma: f64) -> Sampler {
    LogNormal::new(median.ln(), sigma).map_or(Sampler::Fixed(median), Sampler::LogNormal)
}

fn beta(a: f64, b: f64) -> Result<Beta<f64>, DistError> {
    Beta::new(a, b).map_err(|_| DistError::Arguments {
        text: format!("beta({a}, {b})"),
        why: "the beta shapes are out of range",
    })
}

fn parse_number(t: &str) -> Result<Option<f64>, DistError> {
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        Ok(_) => Err(DistError::NotFinite(t.to_string())),
        Err(_) => {
            let lower = t.to_ascii_lowercase();
            if ["nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity"].contains(&lower.as_str())
            {
                Err(DistError::NotFinite(t.to_string()))
            } else {
                Ok(None)
            }
        }
    }
}

fn number_arg(s: &str) -> Result<f64, DistError> {
    let s = s.trim();
    parse_number(s)?.ok_or_else(|| DistError::Syntax(crate::error::printable(s)))
}

/// A number as written back: shortest round-trip text, in exponent form when huge (so
/// `1e308` does not print as 309 digits).
struct Num(f64);

/// A number as values are shown and written (see [`Num`]): plain, or with an exponent
/// when very large or very small.
pub fn compact_number(v: f64) -> String {
    Num(v).to_string()
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Exponent form where the plain one runs to hundreds of digits (1e-300 would
        // print 300 zeros); both read back exactly.
        if self.0.abs() >= 1e16 || (self.0 != 0.0 && self.0.abs() < 1e-6) {
            write!(f, "{:e}", self.0)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

impl fmt::Display for Dist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.shape.fmt(f)
    }
}

impl fmt::Display for Shape {
    /// As written in a scenario file, so that a value round-trips.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = Num;
        match *self {
            Shape::Fixed(v) => write!(f, "{}", n(v)),
            Shape::Normal { mean, sd } => write!(f, "normal({}, {})", n(mean), n(sd)),
            Shape::LogNormal { median, sigma } => {
                write!(f, "lognormal({}, {})", n(median), n(sigma))
            }
            Shape::Uniform { lo, hi } => write!(f, "uniform({}, {})", n(lo), n(hi)),
            Shape::Triangular { lo, mode, hi } => {
                write!(f, "triangular({}, {}, {})", n(lo), n(mode), n(hi))
            }
            Shape::Pert { lo, mode, hi } => write!(f, "pert({}, {}, {})", n(lo), n(mode), n(hi)),
            Shape::Beta { a, b } => write!(f, "beta({}, {})", n(a), n(b)),
            Shape::Interval { lo, hi } => write!(f, "{}..{}", n(lo), n(hi)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_split_the_draws_as_they_say() {
        // The share of 40,000 draws at or below the q-quantile is q within 4.5 binomial
        // standard errors, for every shape and both tails.
        use rand::SeedableRng;
        let n = 40_000;
        for text in [
            "normal(10, 2)",
            "lognormal(5, 0.4)",
            "uniform(1, 3)",
            "triangular(0, 1, 4)",
            "triangular(0, 0, 4)",
            "pert(2, 3, 10)",
            "beta(2, 5)",
            "2..8",
            "-2..8",
        ] {
            let d = Dist::parse(text).unwrap();
            let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
            let draws: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
            for q in [0.1, 0.5, 0.9] {
                let x = d.quantile(q);
                let share = draws.iter().filter(|&&v| v <= x).count() as f64 / n as f64;
                let se = (q * (1.0 - q) / n as f64).sqrt();
                assert!(
                    (share - q).abs() < 4.5 * se,
                    "{text} q={q}: x={x}, share {share}"
                );
            }
        }
        assert_eq!(Dist::parse("7").unwrap().quantile(0.1), 7.0);
    }

    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;
    use statrs::distribution::{
        Beta as SBeta, ContinuousCDF, LogNormal as SLogNormal, Normal as SNormal,
        Triangular as STriangular, Uniform as SUniform,
    };

    /// Beta shapes of the PERT distribution with the usual weight 4 on the mode, worked
    /// out here independently of rand_distr's sampler under test.
    fn pert_shapes(lo: f64, mode: f64, hi: f64) -> (f64, f64) {
        let range = hi - lo;
        (
            1.0 + 4.0 * (mode - lo) / range,
            1.0 + 4.0 * (hi - mode) / range,
        )
    }

    const N: usize = 40_000;

    fn draws(d: &Dist, seed: u64) -> Vec<f64> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut v: Vec<f64> = (0..N).map(|_| d.sample(&mut rng)).collect();
        v.sort_by(|a, b| a.total_cmp(b));
        v
    }

    /// Kolmogorov–Smirnov statistic of sorted draws against a CDF.
    fn ks(sorted: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
        let n = sorted.len() as f64;
        sorted
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let f = cdf(x);
                (f - i as f64 / n).abs().max((f - (i + 1) as f64 / n).abs())
            })
            .fold(0.0, f64::max)
    }

    /// Critical value at α = 0.001 (1.95/√n): a correct sampler fails one run in a thousand.
    fn ks_critical() -> f64 {
        1.95 / (N as f64).sqrt()
    }

    fn check(d: &Dist, cdf: impl Fn(f64) -> f64, sd: f64, seed: u64) {
        let v = draws(d, seed);
        let mean = v.iter().sum::<f64>() / N as f64;
        let se = sd / (N as f64).sqrt();
        assert!(
            (mean - d.mean()).abs() < 4.0 * se,
            "{d}: sample mean {mean} vs closed form {} (se {se})",
            d.mean()
        );
        let stat = ks(&v, cdf);
        assert!(stat < ks_critical(), "{d}: KS statistic {stat}");
    }

    #[test]
    fn normal_matches_its_cdf() {
        let d = Dist::parse("normal(10, 2)").unwrap();
        let c = SNormal::new(10.0, 2.0).unwrap();
        check(&d, |x| c.cdf(x), 2.0, 1);
    }

    #[test]
    fn lognormal_matches_its_cdf() {
        let d = Dist::parse("lognormal(5, 0.4)").unwrap();
        let c = SLogNormal::new(5f64.ln(), 0.4).unwrap();
        let sd = 5.0 * ((0.16f64).exp() * ((0.16f64).exp() - 1.0)).sqrt();
        check(&d, |x| c.cdf(x), sd, 2);
    }

    #[test]
    fn uniform_matches_its_cdf() {
        let d = Dist::parse("uniform(1, 3)").unwrap();
        let c = SUniform::new(1.0, 3.0).unwrap();
        check(&d, |x| c.cdf(x), 2.0 / 12f64.sqrt(), 3);
    }

    #[test]
    fn triangular_matches_its_cdf() {
        let d = Dist::parse("triangular(1, 2, 6)").unwrap();
        let c = STriangular::new(1.0, 6.0, 2.0).unwrap();
        let var = (1.0 + 4.0 + 36.0 - 2.0 - 6.0 - 12.0) / 18.0;
        check(&d, |x| c.cdf(x), f64::sqrt(var), 4);
    }

    #[test]
    fn pert_matches_its_scaled_beta_cdf() {
        let d = Dist::parse("pert(2, 3, 10)").unwrap();
        let (a, b) = pert_shapes(2.0, 3.0, 10.0);
        let c = SBeta::new(a, b).unwrap();
        let var = a * b / ((a + b).powi(2) * (a + b + 1.0)) * 64.0;
        check(&d, |x| c.cdf((x - 2.0) / 8.0), var.sqrt(), 5);
    }

    #[test]
    fn beta_matches_its_cdf() {
        let d = Dist::parse("beta(2, 8)").unwrap();
        let c = SBeta::new(2.0, 8.0).unwrap();
        let var = 16.0 / (100.0 * 11.0);
        check(&d, |x| c.cdf(x), f64::sqrt(var), 6);
    }

    #[test]
    fn positive_interval_is_a_lognormal_with_90_percent_inside() {
        let d = Dist::parse("5..20").unwrap();
        let IntervalForm::LogNormal { median, sigma } = d.interval_form() else {
            panic!("expected log-normal");
        };
        assert!((median - 10.0).abs() < 1e-12);
        let c = SLogNormal::new(median.ln(), sigma).unwrap();
        assert!((c.cdf(5.0) - 0.05).abs() < 1e-9 && (c.cdf(20.0) - 0.95).abs() < 1e-9);
        let sd = median * ((sigma * sigma).exp() * ((sigma * sigma).exp() - 1.0)).sqrt();
        check(&d, |x| c.cdf(x), sd, 7);
    }

    #[test]
    fn interval_through_zero_is_a_normal() {
        let d = Dist::parse("-2..4").unwrap();
        let IntervalForm::Normal { mean, sd } = d.interval_form() else {
            panic!("expected normal");
        };
        let c = SNormal::new(mean, sd).unwrap();
        assert!((c.cdf(-2.0) - 0.05).abs() < 1e-9);
        check(&d, |x| c.cdf(x), sd, 8);
    }

    #[test]
    fn texts_round_trip_through_display() {
        for t in [
            "0.3",
            "normal(10, 2)",
            "lognormal(5, 0.4)",
            "uniform(1, 3)",
            "triangular(1, 2, 6)",
            "pert(2, 3, 10)",
            "beta(2, 8)",
            "5..20",
            "1e308",
            "normal(2.5e17, 1e16)",
        ] {
            let d = Dist::parse(t).unwrap();
            assert_eq!(Dist::parse(&d.to_string()).unwrap(), d, "{t}");
        }
        assert_eq!(Dist::fixed(1e308).unwrap().to_string(), "1e308");
        assert_eq!(Dist::fixed(1234.5).unwrap().to_string(), "1234.5");
    }

    #[test]
    fn a_scaled_value_has_its_mean_quantiles_and_draws_times_the_factor() {
        // Closed forms: each shape's mean and quantiles are linear in its location and
        // scale arguments, so in other units they are the factor times the old ones; the
        // draws (same random numbers) too. The tolerance is relative to the value's scale
        // (its 5th and 95th percentiles), not to each number: a normal's draw near 0 is a
        // difference of two large numbers, exact only to their rounding.
        for text in [
            "7",
            "normal(10, 2)",
            "lognormal(5, 0.4)",
            "uniform(1, 3)",
            "triangular(1, 2, 6)",
            "pert(2, 3, 10)",
            "5..20",
            "-2..4",
            "3..3",
        ] {
            let d = Dist::parse(text).unwrap();
            for k in [36.5, 0.79, 25_400.0] {
                let scale = k * (d.quantile(0.05).abs() + d.quantile(0.95).abs());
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * scale;
                let s = d.scaled(k).unwrap();
                assert!(
                    close(s.mean(), k * d.mean()),
                    "{text} ×{k}: mean {}",
                    s.mean()
                );
                for q in [0.05, 0.1, 0.5, 0.9, 0.95] {
                    let (a, b) = (s.quantile(q), k * d.quantile(q));
                    assert!(close(a, b), "{text} ×{k}: quantile {q}: {a} vs {b}");
                }
                let (lo, hi) = d.support();
                let (slo, shi) = s.support();
                for (a, b) in [(slo, k * lo), (shi, k * hi)] {
                    assert!(a == b || close(a, b), "{text} ×{k}: support {a} vs {b}");
                }
                let mut r1 = Xoshiro256PlusPlus::seed_from_u64(11);
                let mut r2 = Xoshiro256PlusPlus::seed_from_u64(11);
                for _ in 0..1000 {
                    let (a, b) = (s.sample(&mut r1), k * d.sample(&mut r2));
                    assert!(close(a, b), "{text} ×{k}: draw {a} vs {b}");
                }
            }
        }
        // The spread of a log-normal's logarithm has no unit: sigma stays, the median moves.
        // Products are shown as a person would write them.
        let packaging = Dist::parse("0.4").unwrap().scaled(36.5).unwrap();
        assert_eq!(packaging.to_string(), "14.6");
        let ln = Dist::parse("lognormal(5, 0.4)")
            .unwrap()
            .scaled(36.5)
            .unwrap();
        assert_eq!(
            ln.shape(),
            &Shape::LogNormal {
                median: 182.5,
                sigma: 0.4
            }
        );
        let IntervalForm::LogNormal { sigma, .. } = Dist::parse("5..20")
            .unwrap()
            .scaled(36.5)
            .unwrap()
            .interval_form()
        else {
            panic!("a positive interval stays log-normal");
        };
        assert!((sigma - 4f64.ln() / (2.0 * Z_95)).abs() < 1e-12);
    }

    #[test]
    fn a_beta_or_a_bad_factor_cannot_be_scaled() {
        let e = Dist::parse("beta(2, 8)").unwrap().scaled(36.5).unwrap_err();
        assert!(
            matches!(&e, DistError::BetaMoney(d) if d == "beta(2, 8)"),
            "{e:?}"
        );
        assert!(
            e.to_string().contains("cannot be an amount of money"),
            "{e}"
        );
        let d = Dist::parse("normal(10, 2)").unwrap();
        for k in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(d.scaled(k).is_err(), "×{k}");
        }
        // A product past the largest float is refused, not made infinite.
        assert!(Dist::fixed(1e300).unwrap().scaled(1e10).is_err());
    }

    #[test]
    fn impossible_arguments_are_rejected() {
        for t in [
            "normal(1, -1)",
            "lognormal(-1, 0.3)",
            "uniform(3, 1)",
            "triangular(1, 5, 3)",
            "pert(1, 0, 3)",
            "beta(0, 1)",
            "5..1",
            "nan",
            "inf",
            "normal(nan, 1)",
            "normal(1)",
            "gauss(1, 2)",
            "abc",
        ] {
            assert!(Dist::parse(t).is_err(), "{t} should be rejected");
        }
        let e = Dist::parse("normall(1, 2)").unwrap_err().to_string();
        assert!(e.contains("did you mean `normal`"), "{e}");
        // Built directly, not parsed: the same checks.
        assert!(Dist::fixed(f64::NAN).is_err() && Dist::fixed(f64::INFINITY).is_err());
        assert!(Dist::new(Shape::Normal {
            mean: f64::NAN,
            sd: 1.0
        })
        .is_err());
        assert!(Dist::new(Shape::Normal {
            mean: 1.0,
            sd: -1.0
        })
        .is_err());
        assert!(Dist::new(Shape::Pert {
            lo: 2.0,
            mode: 1.0,
            hi: 3.0
        })
        .is_err());
        let e = Dist::new(Shape::Beta { a: 0.0, b: 1.0 })
            .unwrap_err()
            .to_string();
        assert!(e.contains("beta(0, 1)") && e.contains("must be > 0"), "{e}");
    }
}
