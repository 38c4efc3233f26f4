//! The full closed loop's volume tiers (`[[base.logistics.tiers]]`): a table per tier with
//! `min_monthly_orders` and `fee_per_order`, the first at 0, no two at the same volume.

use serde::Deserialize;

use super::raw::RawValue;
use super::validate::{value_to_dist, Validator};
use crate::error::Kind;
use crate::params::Tier;

const KEY: &str = "logistics.tiers";

/// One tier as written; serde rejects any other key.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTier {
    min_monthly_orders: u64,
    fee_per_order: toml::Value,
}

impl TryFrom<RawTier> for Tier {
    type Error = String;

    fn try_from(raw: RawTier) -> Result<Tier, String> {
        let fee = value_to_dist(&raw.fee_per_order).map_err(|e| format!("`fee_per_order`: {e}"))?;
        let (lowest, _) = fee.support();
        // A fee that can be drawn negative (or an unbounded one with a negative mean).
        if lowest < 0.0 && (lowest.is_finite() || fee.mean() < 0.0) {
            return Err(format!("`fee_per_order` = `{fee}` cannot be negative"));
        }
        Ok(Tier {
            min_monthly_orders: raw.min_monthly_orders,
            fee_per_order: fee,
        })
    }
}

/// serde's message for a tier, with a "did you mean" for a misspelt key.
fn tier_message(e: &toml::de::Error) -> String {
    let message = e.message().to_string();
    let hint = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
        .map(|key| crate::suggest::hint(key, ["min_monthly_orders", "fee_per_order"]))
        .unwrap_or_default();
    format!("{message}{hint}")
}

impl Validator<'_> {
    /// The tiers of a `logistics.tiers` list, or `None` (with every problem reported).
    pub(super) fn tiers(&mut self, value: &RawValue) -> Option<Vec<Tier>> {
        let fail = |v: &mut Self, why: String| {
            v.problem(
                value.span(),
                Kind::OutOfRange,
                KEY,
                format!("key `{KEY}`: {why}"),
            );
        };
        let toml::Value::Array(items) = value.get_ref() else {
            fail(self, "expected a list of tables like `[[base.logistics.tiers]]` with `min_monthly_orders` and `fee_per_order`".to_string());
            return None;
        };
        let mut tiers = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let tier = RawTier::deserialize(item.clone())
                .map_err(|e| tier_message(&e))
                .and_then(Tier::try_from);
            match tier {
                Ok(t) => tiers.push(t),
                Err(why) => {
                    fail(self, format!("tier {}: {why}", i + 1));
                    ok = false;
                }
            }
        }
        if !ok {
            return None;
        }
        tiers.sort_by_key(|t| t.min_monthly_orders);
        let why = if tiers.is_empty() {
            Some("at least one tier is needed")
        } else if tiers
            .windows(2)
            .any(|w| w[0].min_monthly_orders == w[1].min_monthly_orders)
        {
            Some("two tiers share a `min_monthly_orders`")
        } else if tiers[0].min_monthly_orders != 0 {
            Some("the first tier must start at `min_monthly_orders = 0` (every seller starts with no history)")
        } else {
            None
        };
        match why {
            Some(why) => {
                fail(self, why.to_string());
                None
            }
            None => Some(tiers),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::parse;

    fn with_tiers(tiers: &str) -> String {
        format!(
            "name = \"t\"\ntrials = 10\nhorizon_days = 30\nseed = 1\n[base]\nmarket = \"us\"\ncategory = \"beauty\"\n{tiers}\n[[variant]]\nname = \"a\"\nmodel = \"self_operated\"\nloop = \"full_closed\"\n[[variant]]\nname = \"b\"\nmodel = \"fully_managed\"\nloop = \"full_closed\"\n"
        )
    }

    fn error(tiers: &str) -> String {
        parse(&with_tiers(tiers), "t.toml", None)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn tiers_are_read_and_every_mistake_named() {
        let ok = "[[base.logistics.tiers]]\nmin_monthly_orders = 0\nfee_per_order = 4\n[[base.logistics.tiers]]\nmin_monthly_orders = 900\nfee_per_order = \"3..3.5\"";
        let s = parse(&with_tiers(ok), "t.toml", None).unwrap();
        let tiers = &s.spec().variants()[0].params.tiers.tiers;
        assert_eq!(
            tiers
                .iter()
                .map(|t| t.min_monthly_orders)
                .collect::<Vec<_>>(),
            [0, 900]
        );

        let e = error("[[base.logistics.tiers]]\nmin_monthly_orders = 0\nfee_per_ordr = 4");
        assert!(
            e.contains("tier 1: unknown field `fee_per_ordr`")
                && e.contains("did you mean `fee_per_order`"),
            "{e}"
        );
        let e = error("[[base.logistics.tiers]]\nmin_monthly_orders = -5\nfee_per_order = 4");
        assert!(e.contains("tier 1:") && e.contains("-5"), "{e}");
        let e = error("[[base.logistics.tiers]]\nmin_monthly_orders = 0\nfee_per_order = -1");
        assert!(
            e.contains("tier 1: `fee_per_order` = `-1` cannot be negative"),
            "{e}"
        );
        let e = error("[[base.logistics.tiers]]\nmin_monthly_orders = 0");
        assert!(e.contains("tier 1: missing field `fee_per_order`"), "{e}");
        let e = error("[[base.logistics.tiers]]\nmin_monthly_orders = 10\nfee_per_order = 4");
        assert!(
            e.contains("the first tier must start at `min_monthly_orders = 0`"),
            "{e}"
        );
        let e = error("[[base.logistics.tiers]]\nmin_monthly_orders = 0\nfee_per_order = 4\n[[base.logistics.tiers]]\nmin_monthly_orders = 0\nfee_per_order = 3");
        assert!(e.contains("two tiers share"), "{e}");
    }
}
