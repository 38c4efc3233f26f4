//! The data files embedded in the binary (`data/*.toml`), checked together: the
//! accessors of each file stop with the file, the row and the key if it does not load, and
//! this module's test loads every file, so a broken file fails `cargo test` instead of
//! shipping. docs/data.md describes the files.

use super::dated::DataError;
use super::{duties, fees, market_rules, penalties, rules};

/// Loads every embedded data file: the first error, naming its file, row and key.
pub fn check() -> Result<(), DataError> {
    duties::FILE.load()?;
    fees::FILE.load()?;
    market_rules::FILE.load()?;
    penalties::FILE.load()?;
    rules::FILE.load()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_data_file_loads() {
        if let Err(e) = check() {
            panic!("{e}");
        }
    }

    /// Reads a duties file of a valid first row (lines 3 to 10) and `rows` (from line 12).
    fn load_duties(rows: &str) -> Result<usize, DataError> {
        let text = format!(
            "# header\n\n[[duty]]\nmarket = \"us\"\npart = \"surcharge\"\nbasis = \"bulk\"\nfrom = \"2026-02-24\"\nuntil = \"2026-07-24\"\nrate = \"0.1..0.15\"\nsource = \"DOMAIN\"\n\n{rows}"
        );
        duties::FILE.read_text(&text).map(|t| t.duty.rows().len())
    }

    fn duties_error(rows: &str) -> String {
        load_duties(rows).unwrap_err().to_string()
    }

    /// A second duty row (line 12 on) with `change` replacing or adding keys.
    fn second_row(change: &[(&str, &str)]) -> String {
        let mut keys = vec![
            ("market", "\"us\""),
            ("part", "\"surcharge\""),
            ("basis", "\"parcel\""),
            ("from", "\"2026-07-24\""),
            ("rate", "\"0..0.25\""),
            ("source", "\"assumption\""),
        ];
        for &(k, v) in change {
            match keys.iter_mut().find(|(key, _)| *key == k) {
                Some(slot) => slot.1 = v,
                None => keys.push((k, v)),
            }
        }
        let body: Vec<String> = keys
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        format!("[[duty]]\n{}\n", body.join("\n"))
    }

    #[test]
    fn a_valid_second_row_loads() {
        assert_eq!(load_duties(&second_row(&[])), Ok(2));
        // A bare TOML date reads as its text.
        assert_eq!(load_duties(&second_row(&[("from", "2026-07-24")])), Ok(2));
    }

    #[test]
    fn a_broken_row_names_the_file_the_row_its_line_and_the_key() {
        // The second row starts on line 12: `market` on 13, `part` 14, `basis` 15, `from`
        // 16, `rate` 17, `source` 18; a key it adds, 19.
        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[("from", "\"2026-13-01\"")],
                "data/duties.toml: [[duty]] #2 (line 16): key `from`: `2026-13-01` is not a date",
            ),
            (
                &[("market", "\"usa\"")],
                "data/duties.toml: [[duty]] #2 (line 13): key `market`: unknown market `usa`",
            ),
            (
                &[("source", "")],
                "data/duties.toml: [[duty]] #2 (line 12): key `source`: missing",
            ),
            (
                &[("source", "\" \"")],
                "data/duties.toml: [[duty]] #2 (line 18): key `source`: empty",
            ),
            (
                &[("until", "\"2026-07-24\"")],
                "data/duties.toml: [[duty]] #2 (line 19): key `until`: 2026-07-24 is not after `from` (2026-07-24)",
            ),
            (
                &[("rate", "\"80\"")],
                "data/duties.toml: [[duty]] #2 (line 17): key `rate`: value 80 is outside the valid range [0, 10]",
            ),
            (
                &[("rate", "0.1")],
                "data/duties.toml: [[duty]] #2 (line 17): key `rate`: expected a string, found float",
            ),
            (
                &[("rates", "\"0.1\"")],
                "data/duties.toml: [[duty]] #2 (line 19): key `rates`: unknown key (did you mean `rate`?)",
            ),
            (
                &[("basis", "\"parcels\"")],
                "data/duties.toml: [[duty]] #2 (line 15): key `basis`: unknown basis `parcels`",
            ),
            (
                &[("part", "\"bas\"")],
                "data/duties.toml: [[duty]] #2 (line 14): key `part`: unknown part `bas`; expected base, origin or surcharge",
            ),
            (
                &[("part", "\"origin\"")],
                "data/duties.toml: [[duty]] #2 (line 12): key `origin`: missing: a row of part `origin` names the origin it charges",
            ),
            (
                &[("hs", "\"330\"")],
                "data/duties.toml: [[duty]] #2 (line 19): key `hs`: `330` is not a tariff line",
            ),
            (
                &[("origin", "\"cn\"")],
                "data/duties.toml: [[duty]] #2 (line 19): key `origin`: unknown origin `cn`",
            ),
        ];
        for (change, expected) in cases {
            let e = load_duties(&second_row(change)).map_err(|e| e.to_string());
            let e = e.expect_err(&format!("{change:?}"));
            assert!(
                e.starts_with(expected),
                "{change:?}:\n{e}\nexpected:\n{expected}"
            );
        }
    }

    #[test]
    fn overlapping_rows_of_one_part_are_refused_naming_both_and_other_parts_add_up() {
        // Same market, part and basis as the first row, starting before it ends.
        let overlapping = [("basis", "\"bulk\""), ("from", "\"2026-07-01\"")];
        let e = duties_error(&second_row(&overlapping));
        assert!(
            e.starts_with("data/duties.toml: [[duty]] #2 (line 12): in force on 2026-07-01 together with [[duty]] #1 (line 3), for the same setting (market = \"us\", basis = \"bulk\")"),
            "{e}"
        );
        // Another part on the same days adds to it; a narrower tariff line is another
        // setting (the longest match wins at lookup).
        let base = [overlapping[0], overlapping[1], ("part", "\"base\"")];
        assert_eq!(load_duties(&second_row(&base)), Ok(2));
        let line = [overlapping[0], overlapping[1], ("hs", "\"3304\"")];
        assert_eq!(load_duties(&second_row(&line)), Ok(2));
    }

    #[test]
    fn syntax_errors_and_unknown_kinds_name_the_line() {
        let e = duties_error("[[duty]\n");
        assert!(e.starts_with("data/duties.toml: line 12: "), "{e}");
        let e = duties_error("[[dutty]]\nmarket = \"us\"\n");
        assert!(
            e.starts_with("data/duties.toml: line 12: `dutty` is not a kind of row of this file (did you mean `duty`?)"),
            "{e}"
        );
    }

    /// The message a broken text gets from a file's reader.
    fn refused<T>(read: Result<T, DataError>) -> String {
        read.map(|_| ()).unwrap_err().to_string()
    }

    #[test]
    fn the_other_kinds_name_their_row_and_key_too() {
        let fee =
            "[[fee]]\nkey = \"fees.commission_rate\"\nvalue = \"0.05\"\nsource = \"assumption\"\n";
        let misspelt = "[[fee]]\nmarket = \"uk\"\nkey = \"fees.comission_rate\"\nvalue = \"0.05\"\nsource = \"assumption\"\n";
        let probation = "[[probation]]\nmarket = \"us\"\nfrom = \"2024-12-01\"\nsource = \"x\"\ntiers = [{ orders_per_day = 100, from_day = 1, from_orders = 0 }]\n";
        let late = "[[late_dispatch]]\nmarket = \"us\"\nfrom = \"2024-06-01\"\nrate_days = 7\naverage_days = 28\nbands = [{ from_rate = 10, cap = 0.5 }]\nlift_below = 0.04\nsource = \"x\"\n";
        let rule = "[[rule]]\nmarket = \"us\"\nroute = \"fbt\"\nsource = \"x\"\n";
        for (said, expected) in [
            (
                refused(fees::FILE.read_text(fee)),
                "data/fees.toml: [[fee]] #1 (line 1): key `market`: missing: a fee is about a market or a route",
            ),
            (
                refused(fees::FILE.read_text(misspelt)),
                "data/fees.toml: [[fee]] #1 (line 3): key `key`: unknown parameter `fees.comission_rate` (did you mean `fees.commission_rate`?)",
            ),
            (
                refused(penalties::FILE.read_text(probation)),
                "data/penalties.toml: [[probation]] #1 (line 5): key `tiers`: the first tier must start on day 0",
            ),
            (
                refused(penalties::FILE.read_text(late)),
                "data/penalties.toml: [[late_dispatch]] #1 (line 6): key `bands`: expected at least one band, rates rising, each rate and cap a share",
            ),
            (
                refused(rules::FILE.read_text(rule)),
                "data/platform_rules.toml: [[rule]] #1 (line 1): key `says`: missing",
            ),
        ] {
            assert!(said.starts_with(expected), "{said}");
        }
    }

    #[test]
    fn a_figure_in_a_market_s_currency_needs_money_a_code_and_its_rate() {
        let row = |key: &str, extra: &str| {
            format!("[[fee]]\nmarket = \"th\"\nkey = \"{key}\"\nvalue = \"199\"\n{extra}source = \"x\"\n")
        };
        let read = |text: String| fees::FILE.read_text(&text).map(|_| ());
        assert_eq!(
            read(row(
                "fees.growth_fee_cap",
                "currency = \"THB\"\nper_usd = 36.5\n"
            )),
            Ok(())
        );
        for (extra, key, expected) in [
            (
                "currency = \"THB\"\n",
                "fees.growth_fee_cap",
                "data/fees.toml: [[fee]] #1 (line 1): key `per_usd`: missing",
            ),
            (
                "per_usd = 36.5\n",
                "fees.growth_fee_cap",
                "data/fees.toml: [[fee]] #1 (line 5): key `per_usd`: a rate without `currency`",
            ),
            (
                "currency = \"THB\"\nper_usd = 36.5\n",
                "fees.growth_fee_rate",
                "data/fees.toml: [[fee]] #1 (line 5): key `currency`: `fees.growth_fee_rate` is not an amount of money",
            ),
            (
                "currency = \"thb\"\nper_usd = 36.5\n",
                "fees.growth_fee_cap",
                "data/fees.toml: [[fee]] #1 (line 5): key `currency`: a currency is written as its three-letter ISO 4217 code in capitals, such as `USD`, `THB` or `VND` (write `THB`)",
            ),
            (
                "currency = \"USD\"\nper_usd = 1\n",
                "fees.growth_fee_cap",
                "data/fees.toml: [[fee]] #1 (line 5): key `currency`: the defaults are in USD",
            ),
            (
                "currency = \"THB\"\nper_usd = 0\n",
                "fees.growth_fee_cap",
                "data/fees.toml: [[fee]] #1 (line 5): key `currency`: an exchange rate is a positive number of THB per USD; found 0",
            ),
        ] {
            let said = refused(read(row(key, extra)));
            assert!(said.starts_with(expected), "{said}");
        }
    }
}
