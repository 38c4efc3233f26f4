//! How numbers are written: in CSV files (exact, round-trip), and for people (charts, the
//! report, the terminal). One place, so a figure reads the same everywhere.

use crate::metric::{Metric, Unit};

/// A number for CSV: shortest round-trip text; empty when undefined.
pub fn num(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        format!("{v}")
    }
}

/// `12,345` / `-1,234.5` / `0.12`: readable money and counts on axes and legends.
pub fn fmt_number(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    if v.abs() < 5e-3 {
        return "0".to_string();
    }
    let abs = v.abs();
    if abs >= 1000.0 {
        let sign = if v < 0.0 { "-" } else { "" };
        grouped(&format!("{sign}{}", abs.round() as u64))
    } else if abs >= 10.0 {
        format!("{v:.0}")
    } else if abs >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// A count for people: `4,000`, `1,000,000`.
pub fn fmt_count(n: u64) -> String {
    grouped(&n.to_string())
}

/// `text` (a number as Rust writes it: an optional `-`, digits, an optional fraction) with
/// a comma between each three digits of its whole part: `-34101.5` → `-34,101.5`.
fn grouped(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (whole, fraction) = match rest.find('.') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let mut out = String::with_capacity(text.len() + whole.len() / 3);
    out.push_str(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(fraction);
    out
}

/// `n` and a noun, plural unless `n` is 1 ("1 trial", "2 threads", "4,000 trials").
pub fn plural(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{} {what}s", fmt_count(n))
    }
}

/// A parameter value found by a search, to 4 significant digits (`0.2183`, `17.25`,
/// `12,345`): more than an axis label needs, as many as a Monte Carlo answer can carry.
pub fn fmt_significant(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    if v.abs() >= 1000.0 || v == 0.0 {
        return fmt_number(v);
    }
    let decimals = (3 - v.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let text = format!("{v:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// `42.5%` from a fraction.
pub fn fmt_percent(v: f64) -> String {
    if v.is_finite() {
        // `+ 0.0` turns -0.0 into 0.0, so an axis never reads "-0.0%".
        format!("{:.1}%", (100.0 * v * 10.0).round() / 10.0 + 0.0)
    } else {
        "n/a".to_string()
    }
}

/// A value of `metric` for people: fractions as percentages, the rest as numbers.
pub fn fmt_value(metric: Metric, v: f64) -> String {
    if metric.unit() == Unit::Fraction {
        fmt_percent(v)
    } else {
        fmt_number(v)
    }
}

/// A whole number for the terminal tables (`-34,101`), or "n/a" when undefined (one
/// trial has no interval).
pub fn whole_or_na(v: f64) -> String {
    fixed_or_na(v, 0)
}

/// A number with `decimals` decimals and thousands separators for the terminal tables
/// (`-1,845.55`), or "n/a" when undefined (where a CSV leaves its cell empty: an interval
/// of one trial, a metric no trial defines). Files keep [`num`]'s exact numbers.
pub fn fixed_or_na(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        // A value that rounds to zero reads 0, never -0.
        let text = format!("{v:.decimals$}");
        if text
            .trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            grouped(text.trim_start_matches('-'))
        } else {
            grouped(&text)
        }
    } else {
        "n/a".to_string()
    }
}

/// A signed correlation (`+0.42`), or "n/a" when undefined (fewer than 3 trials, or a
/// constant series).
pub fn signed_or_na(v: f64) -> String {
    if v.is_finite() {
        format!("{v:+.2}")
    } else {
        "n/a".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_numbers_read_n_a_in_the_terminal() {
        assert_eq!(fixed_or_na(f64::NAN, 2), "n/a");
        assert_eq!(fixed_or_na(f64::INFINITY, 0), "n/a");
        assert_eq!(fixed_or_na(-1845.554, 2), "-1,845.55");
        assert_eq!(fixed_or_na(-0.001, 2), "0.00");
        assert_eq!(fixed_or_na(999.4, 0), "999");
        assert_eq!(whole_or_na(-34_101.2), "-34,101");
        assert_eq!(whole_or_na(1_234_567.0), "1,234,567");
        assert_eq!(signed_or_na(f64::NAN), "n/a");
        assert_eq!(signed_or_na(0.4249), "+0.42");
        assert_eq!(whole_or_na(12.6), "13");
    }

    #[test]
    fn significant_digits_for_found_values() {
        assert_eq!(fmt_significant(0.218_345), "0.2183");
        assert_eq!(fmt_significant(17.25), "17.25");
        assert_eq!(fmt_significant(17.0), "17");
        assert_eq!(fmt_significant(-4.567_89), "-4.568");
        assert_eq!(fmt_significant(12_345.6), "12,346");
        assert_eq!(fmt_significant(0.000_123_456), "0.0001235");
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(fmt_count(0), "0");
        assert_eq!(fmt_count(999), "999");
        assert_eq!(fmt_count(4000), "4,000");
        assert_eq!(fmt_count(1_000_000), "1,000,000");
        assert_eq!(fmt_count(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(fmt_number(-12345.4), "-12,345");
        assert_eq!(fmt_number(1000.0), "1,000");
        assert_eq!(fmt_number(999.0), "999");
        assert_eq!(fmt_number(0.123), "0.12");
        assert_eq!(fmt_percent(0.929), "92.9%");
        assert_eq!(fmt_percent(-0.0001), "0.0%");
        assert_eq!(fmt_number(0.0), "0");
    }

    #[test]
    fn csv_numbers_round_trip_and_undefined_is_empty() {
        assert_eq!(num(0.1 + 0.2).parse::<f64>().unwrap(), 0.1 + 0.2);
        assert_eq!(num(f64::NAN), "");
        assert_eq!(num(3.0), "3");
    }

    #[test]
    fn fractions_read_as_percentages() {
        assert_eq!(fmt_value(Metric::ReturnRate, 0.125), "12.5%");
        assert_eq!(fmt_value(Metric::Profit, 1234.0), "1,234");
        assert_eq!(whole_or_na(f64::NAN), "n/a");
    }
}
