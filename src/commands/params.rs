//! `shopsim params`: the parameter catalog (or a scenario's final values) as CSV, or one
//! parameter's layers with `--explain`.

use std::path::Path;

use anyhow::Result;

use super::common::{load_all, load_overrides, scenario_paths, warn, write_out};
use crate::cli::ParamsArgs;
use crate::error::{printable, InputError, Kind, Problem};
use crate::output::catalog::{catalog_csv, CatalogBlock};
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
        Some(path) => of_scenario(path, overrides.as_ref(), explain)?,
        None => of_setting(&args, explain)?,
    };
    write_out(&mut std::io::stdout().lock(), &text)
}

/// The catalog parameter `--explain` names, or why there is none.
fn explained_key(key: &str) -> Result<crate::params::P, InputError> {
    crate::params::P::from_key(key).ok_or_else(|| {
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
    explain: Option<crate::params::P>,
) -> Result<String> {
    let paths = scenario_paths(std::slice::from_ref(&path.to_path_buf()))?;
    let scenarios = load_all(&paths, overrides)?;
    warn(&scenarios);
    let variants = || scenarios.iter().flat_map(|s| s.spec().variants().iter());
    if let Some(p) = explain {
        let blocks: Vec<(String, &Resolved)> = variants()
            .map(|v| {
                let s = v.setting();
                let what = format!(
                    "variant `{}` ({}, {}, {}, {})",
                    v.name(),
                    s.market.name(),
                    s.category.name(),
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
fn of_setting(args: &ParamsArgs, explain: Option<crate::params::P>) -> Result<String> {
    if !crate::params::choices::offered(args.model, args.market) {
        eprintln!(
            "warning: {}; these are the defaults it would have",
            crate::params::choices::not_offered(args.model, args.market)
        );
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
    };
    if let (Some(freight), false) = (args.freight, route.imports_stock()) {
        eprintln!(
            "warning: {}",
            crate::params::choices::freight_cannot_act(freight, route)
        );
    }
    if let (Some(team), Model::FullyManaged) = (args.team, args.model) {
        eprintln!("warning: {}", crate::params::choices::team_cannot_act(team));
    }
    let as_of = args.as_of.unwrap_or(crate::params::rules::DEFAULT_AS_OF);
    if let Some(message) = crate::params::duties::missing_duty(&setting, as_of) {
        eprintln!("warning: {message}");
    }
    for rule in crate::params::rules::applying(&setting, as_of) {
        eprintln!("warning: {}", rule.warning());
    }
    let mut params = Resolved::defaults(setting, as_of);
    if let Some(rate) = &args.fx {
        params.convert_defaults(rate).map_err(|e| {
            InputError::one(Problem::general(Kind::OutOfRange, format!("--fx: {e}")))
        })?;
    }
    if let Some(p) = explain {
        let currency = args.fx.as_ref().map_or(
            crate::params::fx::DEFAULTS_CURRENCY,
            crate::params::ExchangeRate::currency,
        );
        let what = format!(
            "defaults for {}, {}, {}, {} on {as_of}, in {currency}",
            setting.market.name(),
            setting.category.name(),
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

/// `params --explain`: every layer that set `p`, per block of parameters, in order.
pub(crate) fn explanation(p: crate::params::P, blocks: &[(String, &Resolved)]) -> String {
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
