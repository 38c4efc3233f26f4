//! The full closed loop's volume tiers (`[[base.logistics.tiers]]`): a table per tier with
//! `min_monthly_orders` and `fee_per_order`, the first at 0, no two at the same volume.

use super::raw::RawValue;
use super::validate::{value_to_dist, Validator};
use crate::error::Kind;
use crate::params::Tier;

const KEY: &str = "logistics.tiers";

impl Validator<'_> {
    pub(super) fn tiers(&mut self, value: &RawValue) -> Option<Vec<Tier>> {
        let toml::Value::Array(items) = value.get_ref() else {
            self.problem(value.span(), Kind::OutOfRange, KEY, "key `logistics.tiers`: expected a list of tables like `[[base.logistics.tiers]]` with `min_monthly_orders` and `fee_per_order`".to_string(),
            );
            return None;
        };
        let mut tiers = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let n = i + 1;
            let Some(table) = item.as_table() else {
                self.problem(
                    value.span(),
                    Kind::OutOfRange,
                    KEY,
                    format!("key `logistics.tiers`: tier {n} is not a table"),
                );
                ok = false;
                continue;
            };
            for k in table.keys() {
                if k != "min_monthly_orders" && k != "fee_per_order" {
                    let hint = crate::suggest::hint(k, ["min_monthly_orders", "fee_per_order"]);
                    self.problem(
                        value.span(),
                        Kind::OutOfRange,
                        KEY,
                        format!("key `logistics.tiers`: tier {n}: unknown key `{k}`{hint}"),
                    );
                    ok = false;
                }
            }
            let min = match table.get("min_monthly_orders") {
                Some(toml::Value::Integer(m)) if *m >= 0 => *m as u64,
                other => {
                    self.problem(value.span(), Kind::OutOfRange, KEY, format!("key `logistics.tiers`: tier {n}: `min_monthly_orders` must be a whole number ≥ 0 (got {})",
                            other.map_or("nothing".to_string(), |v| v.to_string())),
                    );
                    ok = false;
                    continue;
                }
            };
            let fee = match table.get("fee_per_order").map(value_to_dist) {
                Some(Ok(d))
                    if d.support().0 >= 0.0 || (!d.support().0.is_finite() && d.mean() >= 0.0) =>
                {
                    d
                }
                Some(Ok(d)) => {
                    self.problem(value.span(), Kind::OutOfRange, KEY, format!("key `logistics.tiers`: tier {n}: `fee_per_order` = `{d}` cannot be negative"));
                    ok = false;
                    continue;
                }
                Some(Err(e)) => {
                    self.problem(
                        value.span(),
                        Kind::OutOfRange,
                        KEY,
                        format!("key `logistics.tiers`: tier {n}: `fee_per_order`: {e}"),
                    );
                    ok = false;
                    continue;
                }
                None => {
                    self.problem(
                        value.span(),
                        Kind::OutOfRange,
                        KEY,
                        format!("key `logistics.tiers`: tier {n}: `fee_per_order` is missing"),
                    );
                    ok = false;
                    continue;
                }
            };
            tiers.push(Tier {
                min_monthly_orders: min,
                fee_per_order: fee,
            });
        }
        if ok && tiers.is_empty() {
            self.problem(
                value.span(),
                Kind::OutOfRange,
                KEY,
                "key `logistics.tiers`: at least one tier is needed".to_string(),
            );
            return None;
        }
        tiers.sort_by_key(|t| t.min_monthly_orders);
        if tiers
            .windows(2)
            .any(|w| w[0].min_monthly_orders == w[1].min_monthly_orders)
        {
            self.problem(
                value.span(),
                Kind::OutOfRange,
                KEY,
                "key `logistics.tiers`: two tiers share a `min_monthly_orders`".to_string(),
            );
            return None;
        }
        if ok && tiers[0].min_monthly_orders != 0 {
            self.problem(value.span(), Kind::OutOfRange, KEY, "key `logistics.tiers`: the first tier must start at `min_monthly_orders = 0` (every seller starts with no history)".to_string(),
            );
            return None;
        }
        ok.then_some(tiers)
    }
}
