//! `shopsim params`: the parameter catalog (or a scenario's final values) as CSV, or one
//! parameter's layers with `--explain`.

use std::path::Path;

use anyhow::Result;

use super::common::{load_all, load_overrides, scenario_paths, warn};
use super::terminal;
use crate::cli::ParamsArgs;
use crate::error::{printable, InputError, Kind, Problem};
use crate::output::catalog::{catalog_csv, CatalogBlock};
use crate::params::in_force::{self, RowInForce};
use crate::params::{Model, Resolved, Route, Setting};
use crate::scenario::Overrides;

/// Writes to stdout; a closed pipe (`shopsim params | head`) is not an error.
/// Whether standard output was closed when the program started (`>&-`). The Rust
/// runtime then puts /dev/null, opened for reading and writing, in its place, so writes
/// succeed into nothing; a shell's `> /dev/null` opens it for writing only, which stays
/// allowed. Read from /proc (Linux); elsewhere `false`.
pub(crate) fn stdout_was_closed() -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        let null = |m: &std::fs::Metadata| m.file_type().is_char_device();
        let is_null = match (
            std::fs::metadata("/proc/self/fd/1"),
            std::fs::metadata("/dev/null"),
        ) {
            (Ok(out), Ok(dev_null)) => null(&out) && out.rdev() == dev_null.rdev(),
            _ => false,
        };
        // `flags:` in fdinfo is octal; the access mode is its low two bits (2: O_RDWR).
        is_null
            && std::fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| {
                info.lines()
                    .find_map(|l| l.strip_prefix("flags:"))
                    .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
                    .is_some_and(|flags| flags & 0o3 == 0o2)
            })
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// Runs `shopsim params`: the catalog (of a scenario's variants, or of one setting's
/// defaults) as CSV, or one parameter's layers with `--explain`.
pub(crate) fn params(args: ParamsArgs) -> Result<()> {
    // Its product is standard output: with none, say so rather than export into nothing.
    if stdout_was_closed() {
        return Err(InputError::one(Problem::general(
            Kind::Conflict,
            "standard output is closed (`>&-`): `params` writes the catalog there; redirect it to a file instead (`shopsim params > catalog.csv`)",
        ))
        .into());
    }
    let explain = args.explain.as_deref().map(explained_key).transpose()?;
    let overrides = load_overrides(args.params.as_deref())?;
    let text = match &args.scenario {
        Some(path) => of_scenario(path, overrides.as_ref(), explain, args.rows)?,
        None => of_setting(&args, explain)?,
    };
    // The CSV is the command's product: printed whatever the verbosity.
    terminal::product(&text)
}

/// What `--explain` explains: one catalog parameter, or the duty's three parts for
/// `tax.duty_rate` (the whole duty, which is their sum).
#[derive(Clone, Copy)]
enum Explained {
    One(crate::params::P),
    Duty,
}

/// The key of the whole duty, which `--explain` still takes: its parts add up to it.
const WHOLE_DUTY: &str = "tax.duty_rate";

/// The catalog parameter `--explain` names, or why there is none.
fn explained_key(key: &str) -> Result<Explained, InputError> {
    if key == WHOLE_DUTY {
        return Ok(Explained::Duty);
    }
    crate::params::P::from_key(key).map(Explained::One).ok_or_else(|| {
        let message = if key.starts_with(crate::scenario::event_keys::PREFIX) {
            format!(
                "--explain: `{}` is an event's number, not a catalog parameter: it is set in the scenario's [[events]] table or by a --params row, and `run.json` lists each event's values with `set_by`",
                printable(key)
            )
        } else {
            format!(
                "--explain: unknown parameter `{}`{}",
                printable(key),
                crate::suggest::hint(key, crate::params::catalog::keys())
            )
        };
        InputError::one(Problem::general(Kind::UnknownKey, message))
    })
}

/// The final values of a scenario's variants (or of every scenario in a folder).
fn of_scenario(
    path: &Path,
    overrides: Option<&Overrides>,
    explain: Option<Explained>,
    rows: bool,
) -> Result<String> {
    let paths = scenario_paths(std::slice::from_ref(&path.to_path_buf()))?;
    let scenarios = load_all(&paths, overrides)?;
    warn(&scenarios);
    let variants = || scenarios.iter().flat_map(|s| s.spec().variants().iter());
    if rows {
        let listed: Vec<(Option<&str>, Vec<RowInForce>)> = scenarios
            .iter()
            .flat_map(|s| {
                s.spec()
                    .variants()
                    .iter()
                    .map(|v| (Some(v.name()), in_force::rows(&v.setting(), s.as_of())))
            })
            .collect();
        return rows_csv(&listed);
    }
    if let Some(p) = explain {
        let blocks: Vec<(String, &Resolved)> = variants()
            .map(|v| {
                let s = v.setting();
                let what = format!(
                    "variant `{}` ({}, {} (tariff line {} from {}), {}, {})",
                    v.name(),
                    s.market.name(),
                    s.category.name(),
                    s.tariff_line,
                    s.origin,
                    s.model.name(),
                    s.route.name()
                );
                (what, v.params())
            })
            .collect();
        return Ok(explanation(p, &blocks));
    }
    let blocks: Vec<CatalogBlock<'_>> = variants()
        .map(|v| CatalogBlock {
            variant: Some(v.name()),
            params: v.params(),
        })
        .collect();
    // One scenario's events, for the round trip; from a folder of several, whose events
    // may share names, none.
    let events = match scenarios.as_slice() {
        [one] => one.spec().events(),
        _ => &[],
    };
    Ok(String::from_utf8_lossy(&catalog_csv(&blocks, events)?).into_owned())
}

/// The defaults of the setting the flags name, on `--as-of`, with the warnings a
/// scenario of that setting would get.
fn of_setting(args: &ParamsArgs, explain: Option<Explained>) -> Result<String> {
    if !crate::params::choices::offered(args.model, args.market) {
        terminal::warning(format!(
            "{}; these are the defaults it would have",
            crate::params::choices::not_offered(args.model, args.market)
        ));
    }
    let route = crate::params::choices::resolve_route(args.model, args.route, args.loop_type)
        .map_err(|(key, why)| {
            InputError::new(crate::error::Kind::Conflict, format!("--{key}: {why}"))
        })?
        .unwrap_or(Route::Fbt);
    let setting = Setting {
        market: args.market,
        category: args.category,
        model: args.model,
        route,
        freight: args.freight.unwrap_or(crate::params::Freight::Sea),
        team: args.team.unwrap_or(crate::params::Team::China),
        origin: args.origin.unwrap_or(crate::params::Origin::China),
        tariff_line: args
            .tariff_line
            .unwrap_or_else(|| args.category.default_tariff_line()),
    };
    if let (Some(freight), false) = (args.freight, route.imports_stock()) {
        terminal::warning(crate::params::choices::freight_cannot_act(freight, route));
    }
    if let (Some(team), Model::FullyManaged) = (args.team, args.model) {
        terminal::warning(crate::params::choices::team_cannot_act(team));
    }
    let as_of = args.as_of.unwrap_or(crate::params::rules::DEFAULT_AS_OF);
    // No horizon: a listing is about one day.
    for message in crate::params::duties::warnings(&setting, as_of, 1, &[]) {
        terminal::warning(message);
    }
    for rule in crate::params::rules::applying(&setting, as_of) {
        terminal::warning(rule.warning());
    }
    if args.rows {
        return rows_csv(&[(None, in_force::rows(&setting, as_of))]);
    }
    let mut params = Resolved::defaults(setting, as_of);
    if let Some(rate) = &args.fx {
        params.convert_defaults(rate).map_err(|e| {
            InputError::one(Problem::general(Kind::OutOfRange, format!("--fx: {e}")))
        })?;
    }
    if let Some(Explained::One(p)) = explain {
        warn_idle_on_setting(p, &setting, &params, as_of);
    }
    if let Some(p) = explain {
        let currency = args.fx.as_ref().map_or(
            crate::params::fx::DEFAULTS_CURRENCY,
            crate::params::ExchangeRate::currency,
        );
        let what = format!(
            "defaults for {}, {} (tariff line {} from {}), {}, {} on {as_of}, in {currency}",
            setting.market.name(),
            setting.category.name(),
            setting.tariff_line,
            setting.origin,
            setting.model.name(),
            setting.route.name()
        );
        return Ok(explanation(p, &[(what, &params)]));
    }
    let block = CatalogBlock {
        variant: None,
        params: &params,
    };
    Ok(String::from_utf8_lossy(&catalog_csv(&[block], &[])?).into_owned())
}

/// Says so when the key `--explain` asks about has no effect on the setting the flags
/// name with its defaults `params` on `as_of` (a fully managed key under the default
/// self-operated setting, a stock policy on a route that holds no stock, the growth fee's
/// cap where there is no growth fee): its defaults there are listed all the same, and
/// would otherwise read as if they counted. The scenario's warnings read idleness the same
/// way ([`crate::params::model_only::idle_reason`]).
fn warn_idle_on_setting(
    p: crate::params::P,
    setting: &Setting,
    params: &Resolved,
    as_of: crate::params::rules::Date,
) {
    use crate::params::model_only::{acts_on_words, idle_reason, words, Blocker, IdleReason};
    let most = |gate| Some(params.dist(gate).support().1);
    let Some(reason) = idle_reason(p, setting, most, as_of) else {
        return;
    };
    let (on, why, remedy) = match reason {
        IdleReason::Setting(idle) => (
            match idle.blocker {
                Blocker::Freight(f) => format!(" with freight `{f}`"),
                _ => String::new(),
            },
            idle.why.to_string(),
            acts_on_words(p).map(|w| {
                format!("it acts on {w}: name one with `--model`, `--route` or `--freight`")
            }),
        ),
        IdleReason::Gate(g) => (
            " with its defaults".to_string(),
            g.why.to_string(),
            Some(format!("it acts where a scenario sets {}", g.opens_with)),
        ),
        IdleReason::NoRule => (
            format!(" in market `{}` on {as_of}", setting.market),
            "no late-dispatch rule of the platform is in force there (data/penalties.toml), so late dispatches are neither counted nor charged".to_string(),
            Some("it acts where and when a rule is in force: name them with `--market` and `--as-of`".to_string()),
        ),
    };
    let remedy = remedy.map_or(String::new(), |r| format!(" ({r})"));
    terminal::warning(format!(
        "`{}` has no effect on a {} variant on route `{}`{on}: {why}; its defaults there are listed below all the same{remedy}",
        p.key(),
        words(setting.model),
        setting.route.name(),
    ));
}

/// `params --rows`: the dated rows in force, per variant (none without a scenario).
fn rows_csv(listed: &[(Option<&str>, Vec<RowInForce>)]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "variant", "file", "row", "line", "from", "until", "sets", "value", "source",
    ])?;
    for (variant, rows) in listed {
        for r in rows {
            w.write_record([
                variant.unwrap_or_default().to_string(),
                r.file.to_string(),
                format!("[[{}]] #{}", r.at.kind, r.at.index),
                r.at.line.to_string(),
                if r.in_force.from == crate::params::rules::Date::EARLIEST {
                    String::new()
                } else {
                    r.in_force.from.to_string()
                },
                r.in_force.until.map(|d| d.to_string()).unwrap_or_default(),
                r.sets.clone(),
                r.value.clone(),
                r.source.clone(),
            ])?;
        }
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// `params --explain`: every layer that set the key, per block of parameters, in order;
/// for the whole duty, each of its parts, then their sum.
fn explanation(explained: Explained, blocks: &[(String, &Resolved)]) -> String {
    match explained {
        Explained::One(p) => layers(p, blocks),
        Explained::Duty => {
            use crate::params::duties::Part;
            let mut out = format!(
                "{WHOLE_DUTY}: the import duty is the sum of three parts, each below: the base rate of the tariff line, duties on the goods' origin, and surcharges on every origin (data/duties.toml)\n\n"
            );
            for part in Part::ALL {
                out.push_str(&layers(part.param(), blocks));
                out.push('\n');
            }
            out.push_str("whole duty (the mean of each part, added):\n");
            for (what, params) in blocks {
                let mean: f64 = Part::ALL
                    .iter()
                    .map(|part| params.dist(part.param()).mean())
                    .sum();
                out.push_str(&format!("  {what}: {}\n", crate::format::fmt_percent(mean)));
            }
            out
        }
    }
}

/// Every layer that set `p`, per block of parameters, in order.
pub(crate) fn layers(p: crate::params::P, blocks: &[(String, &Resolved)]) -> String {
    let spec = p.spec();
    let mut out = format!(
        "{} ({}; valid {} to {}): {}\n",
        spec.key, spec.unit, spec.min, spec.max, spec.description
    );
    for (what, params) in blocks {
        out.push_str(&format!("{what}:\n"));
        let history = params.history(p);
        let width = history
            .iter()
            .map(|e| e.dist.to_string().chars().count())
            .max()
            .unwrap_or(1);
        for (i, e) in history.iter().enumerate() {
            let mark = if i + 1 == history.len() { "=" } else { " " };
            out.push_str(&format!(
                "  {mark} {:<20} {:<width$}  {}\n",
                format!("[{}]", e.layer.name()),
                e.dist.to_string(),
                e.source
            ));
        }
    }
    out.push_str("(`=` marks the final value: each layer replaces the one above it)\n");
    out
}
