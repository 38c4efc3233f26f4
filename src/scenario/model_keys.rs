//! Warnings about keys set where their operating model is not
//! ([`crate::params::model_only`]): a fully managed term on a self-operated variant, or a
//! self-operated shop's cost on a fully managed one, would otherwise be accepted and change
//! nothing. A warning, not an error: a `[base]` or a `--params` file may be shared by
//! studies of either model. A key that at least one of the variants it reaches can use is
//! said nothing of: `[base]`, a `[[world]]` and a CSV row without `variant` apply to every
//! variant.

use super::overrides::Overrides;
use super::raw::Section;
use super::validator::Validator;
use crate::error::{printable, Warning};
use crate::params::model_only::{cannot_act, other, words};
use crate::params::{Dist, Layer, Model, P};
use crate::sim::VariantSpec;

/// Why `p` acts on none of `models` (the models of the variants a key reaches), if it
/// acts on none: the reason and the one model they all are. Nothing for no variant.
fn idle_on_all(p: P, models: &[Model]) -> Option<(&'static str, Model)> {
    let (&first, rest) = models.split_first()?;
    let why = cannot_act(p, first)?;
    rest.iter().all(|&m| m == first).then_some((why, first))
}

/// The value `p` has on variant `v` before any `--params` row sets it.
fn before_csv(v: &VariantSpec, p: P) -> &Dist {
    let history = v.params().history(p);
    // The catalog's default comes first: a layer below the CSV's is always found.
    let before = history.iter().rev().find(|e| e.layer < Layer::Csv);
    &before.unwrap_or(&history[0]).dist
}

impl Validator<'_> {
    /// Warns about each key of a variant's own table that cannot act on its `model`;
    /// `what` names the variant ("variant `x`: ").
    pub(super) fn warn_model_keys(
        &mut self,
        sections: [(&'static str, &Section); 15],
        model: Model,
        what: &str,
    ) {
        for (section, table) in sections {
            for (key, value) in table {
                let full = format!("{section}.{key}");
                let Some(why) = P::from_key(&full).and_then(|p| cannot_act(p, model)) else {
                    continue;
                };
                self.warning(
                    Some(value.span().start),
                    format!(
                        "{what}key `{full}` has no effect on a {} variant: {why}; remove it, or set it on a {} variant",
                        words(model),
                        words(other(model))
                    ),
                );
            }
        }
    }

    /// Warns about each key of a table that applies to every variant (`[base]`, a
    /// `[[world]]`: `table` names it) that none of the study's variants can use.
    pub(super) fn warn_model_keys_of_all(
        &mut self,
        sections: [(&'static str, &Section); 15],
        models: &[Model],
        table_name: &str,
    ) {
        for (section, table) in sections {
            for (key, value) in table {
                let full = format!("{section}.{key}");
                let Some((why, model)) = P::from_key(&full).and_then(|p| idle_on_all(p, models))
                else {
                    continue;
                };
                self.warning(
                    Some(value.span().start),
                    format!(
                        "{table_name}: key `{full}` has no effect on any variant of the study: every variant is {}, and {why}; remove it, or add a {} variant it is for",
                        words(model),
                        words(other(model))
                    ),
                );
            }
        }
    }

    /// Warns about each `--params` row that cannot act: one naming a variant of this study
    /// of the wrong model, or one for every variant that none of them can use. A row that
    /// sets the value its variants have anyway asks for nothing and is said nothing of:
    /// a catalog exported by `shopsim params SCENARIO` (every key of every variant) passes
    /// back without a warning. The warning is the CSV's, at the row's line; `study` names
    /// the study (a CSV may serve several). `worlds`: the study has worlds, whose cells
    /// `option@world` a row naming the option reaches.
    pub(super) fn warn_model_keys_of_csv(
        &mut self,
        overrides: &Overrides,
        variants: &[VariantSpec],
        study: &str,
        worlds: bool,
    ) {
        let study = format!("study `{}` ({})", printable(study), self.origin());
        for row in overrides.rows.iter().filter(|r| r.layer == Layer::Csv) {
            let p = row.value.param();
            let reached: Vec<&VariantSpec> = variants
                .iter()
                .filter(|v| match &row.variant {
                    None => true,
                    Some(name) => {
                        v.name() == name
                            || worlds
                                && v.name()
                                    .strip_prefix(name.as_str())
                                    .is_some_and(|rest| rest.starts_with('@'))
                    }
                })
                .collect();
            let models: Vec<Model> = reached.iter().map(|v| v.setting().model).collect();
            let Some((why, model)) = idle_on_all(p, &models) else {
                continue;
            };
            if !reached.iter().any(|v| before_csv(v, p) != row.value.dist()) {
                continue;
            }
            let message = match &row.variant {
                Some(name) => format!(
                    "key `{}` has no effect on variant `{}` of {study}: it is {}, and {why}; remove the row, or name a {} variant in its `variant` column",
                    p.key(),
                    printable(name),
                    words(model),
                    words(other(model))
                ),
                None => format!(
                    "key `{}` has no effect on any variant of {study}: every variant is {}, and {why}; a row without `variant` applies to every variant",
                    p.key(),
                    words(model)
                ),
            };
            self.warnings.push(Warning {
                origin: overrides.origin().to_string(),
                line: Some(row.line as usize),
                message,
            });
        }
    }
}

/// A correlation pair: its source (`file:line`) and its two inputs.
type CorrelationPair = (String, P, P);

impl Validator<'_> {
    /// Warns about each correlation pair with an input that none of the variants it
    /// reaches can use: correlating it changes nothing but which trials get which values
    /// of the other input (its re-pairing follows the idle one's ranks). The warning is at
    /// the pair's own line (the scenario's or the CSV's).
    pub(super) fn warn_model_keys_of_correlations(&mut self, variants: &[VariantSpec]) {
        // Each pair (by its source line and keys) with the models of the variants it reaches.
        let mut reached: Vec<(CorrelationPair, Vec<Model>)> = Vec::new();
        for v in variants {
            for c in v.correlations() {
                let key = (c.source.clone(), c.a, c.b);
                match reached.iter_mut().find(|(seen, _)| *seen == key) {
                    Some((_, models)) => models.push(v.setting().model),
                    None => reached.push((key, vec![v.setting().model])),
                }
            }
        }
        for ((source, a, b), models) in reached {
            let pair = format!("correlation `{},{}`", a.key(), b.key());
            let message = match (idle_on_all(a, &models), idle_on_all(b, &models)) {
                (None, None) => continue,
                (Some((why, model)), None) | (None, Some((why, model))) => {
                    let (idle, partner) = if idle_on_all(a, &models).is_some() {
                        (a, b)
                    } else {
                        (b, a)
                    };
                    format!(
                        "{pair}: `{}` has no effect on the {} variants it applies to: {why}; correlating it only changes which trials get which values of `{}`; drop the pair",
                        idle.key(),
                        words(model),
                        partner.key()
                    )
                }
                (Some((why_a, model)), Some((why_b, _))) => format!(
                    "{pair}: neither input has an effect on the {} variants it applies to (`{}`: {why_a}; `{}`: {why_b}); drop the pair",
                    words(model),
                    a.key(),
                    b.key()
                ),
            };
            let (origin, line) = match source.rsplit_once(':') {
                Some((file, line)) if line.parse::<usize>().is_ok() => {
                    (file.to_string(), line.parse().ok())
                }
                _ => (source.clone(), None),
            };
            self.warnings.push(Warning {
                origin,
                line,
                message,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_idles_only_when_every_variant_it_reaches_cannot_use_it() {
        let (so, fm) = (Model::SelfOperated, Model::FullyManaged);
        assert!(idle_on_all(P::SupplyMarkup, &[so, so]).is_some());
        assert!(idle_on_all(P::SupplyMarkup, &[so, fm]).is_none());
        assert!(idle_on_all(P::SupplyMarkup, &[fm]).is_none());
        assert!(idle_on_all(P::AdSpendPerDay, &[fm, fm]).is_some());
        assert!(idle_on_all(P::UnitCost, &[fm, fm]).is_none());
        // No variant reached (a row for another study's variant): nothing to say.
        assert!(idle_on_all(P::SupplyMarkup, &[]).is_none());
    }
}
