//! `kith lint`: the vault's findings for people and for CI.

use super::format::{self, Format, Style};
use super::report::Report;
use super::{ColorChoice, UsageError, parse_today, today_or_local};
use crate::engine::analysis;
use crate::engine::date::Date;
use crate::engine::finding::{Finding, Level};
use crate::engine::rules::Rule;
use crate::io;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct LintArgs {
    /// The vault, folders in it, or notes [default: the current folder].
    /// The whole vault is read; findings are reported for files under the
    /// PATHs, which must lie in one vault.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// The date to check against (YYYY-MM-DD) [default: the local date].
    #[arg(long, env = "KITH_TODAY", value_parser = parse_today)]
    pub today: Option<Date>,
    /// The lowest level that makes kith exit 1 [default: `fail-on` in kith.toml, else error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Exit 0 even when findings reach the fail level.
    #[arg(long)]
    pub exit_zero: bool,
    /// Print how many findings each rule has instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Write the report to a file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Also list hints (normally shown only in the editor).
    #[arg(long)]
    pub hints: bool,
    /// When to use colour in human output; NO_COLOR always turns it off.
    #[arg(long, value_enum, default_value_t)]
    pub color: ColorChoice,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Hint,
}

impl FailOn {
    fn level(self) -> Level {
        match self {
            FailOn::Error => Level::Error,
            FailOn::Warning => Level::Warning,
            FailOn::Info => Level::Info,
            FailOn::Hint => Level::Hint,
        }
    }
}

/// Whether a finding is listed: info and above, hints only with `--hints`
/// (spec §7, Output).
fn is_shown(level: Level, hints: bool) -> bool {
    hints || level >= Level::Info
}

/// Whether the listed findings make `kith lint` exit 1: only what is shown
/// can fail, so `--fail-on hint` without `--hints` fails on info and above.
fn fails(shown: impl IntoIterator<Item = Level>, fail_on: Level) -> bool {
    shown.into_iter().any(|level| level >= fail_on)
}

pub fn run(args: LintArgs) -> Result<ExitCode, UsageError> {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let root = vault_of(&paths)?;
    let config = io::load_config(&root).map_err(|e| UsageError(e.to_string()))?;
    for (key, _) in &config.unknown_keys {
        eprintln!("kith: warning: kith.toml: unknown key `{key}` is ignored");
    }
    let fail_on = args.fail_on.map_or(config.fail_on, FailOn::level);
    let today = today_or_local(args.today);
    let (vault, errors) = io::load_vault(&root.root, config);
    // Vault-relative; "" is the whole vault.
    let scopes: Vec<String> = paths
        .iter()
        .map(|path| {
            std::fs::canonicalize(path).ok().and_then(|p| io::walk::relative(&root.root, &p)).unwrap_or_default()
        })
        .collect();
    let in_scope = |path: &str| {
        scopes.iter().any(|scope| {
            scope.is_empty()
                || path.strip_prefix(scope.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    };
    let findings: Vec<Finding> = analysis::analyze(&vault, today)
        .into_iter()
        .filter(|f| is_shown(f.level, args.hints))
        .filter(|f| in_scope(&f.path))
        .collect();
    let report = Report::new(&vault, &findings);
    let color = match args.color {
        _ if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => false,
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => args.output_file.is_none() && std::io::stdout().is_terminal(),
    };
    // Stream the report: a large vault's output is never held in memory.
    let style = Style { color, path_prefix: format::path_prefix(&root.root) };
    match &args.output_file {
        Some(file) => {
            let cannot = |e: std::io::Error| UsageError(format!("cannot write {}: {e}", file.display()));
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(file).map_err(cannot)?);
            emit(&args, &findings, &report, style, &mut out).and_then(|()| out.flush()).map_err(cannot)?;
        }
        None => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            let written = emit(&args, &findings, &report, style, &mut out).and_then(|()| out.flush());
            // A closed pipe (`kith lint | head`) is not an error worth a message.
            match written {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    return Err(UsageError(format!("cannot write the report: {e}")));
                }
                _ => {}
            }
        }
    }
    if !errors.is_empty() {
        for error in &errors {
            eprintln!("kith: cannot read {error}");
        }
        return Ok(ExitCode::from(2));
    }
    let failing = fails(findings.iter().map(|f| f.level), fail_on);
    // The process ends here: let the OS reclaim the vault at once instead of
    // freeing a million small allocations one by one.
    std::mem::forget(report);
    std::mem::forget(findings);
    std::mem::forget(vault);
    Ok(if failing && !args.exit_zero { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The one vault the paths lie in: the nearest `kith.toml` at or above
/// them (spec section 6), the same for all; without one, the folder that
/// holds them all (the path itself when there is one).
fn vault_of(paths: &[PathBuf]) -> Result<io::walk::VaultRoot, UsageError> {
    let mut found: Option<(io::walk::VaultRoot, &PathBuf)> = None;
    for path in paths {
        let root = io::find_root(path).map_err(|e| UsageError(format!("cannot read {}: {e}", path.display())))?;
        let Some((first, first_path)) = &mut found else {
            found = Some((root, path));
            continue;
        };
        if root.config_file.is_some() || first.config_file.is_some() {
            if root.config_file != first.config_file {
                return Err(UsageError(format!(
                    "{} and {} are in different vaults ({} and {}): lint each on its own",
                    first_path.display(),
                    path.display(),
                    first.root.display(),
                    root.root.display()
                )));
            }
        } else {
            while !root.root.starts_with(&first.root) {
                match first.root.parent() {
                    Some(parent) => first.root = parent.to_path_buf(),
                    None => break,
                }
            }
        }
    }
    Ok(found.map(|(root, _)| root).expect("at least one path"))
}

fn emit(
    args: &LintArgs,
    findings: &[Finding],
    report: &Report,
    style: Style,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if args.statistics {
        write_statistics(findings, args.format, out)
    } else {
        format::write(args.format, report, style, out)
    }
}

fn write_statistics(findings: &[Finding], format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    let mut counts: BTreeMap<Rule, (usize, Level)> = BTreeMap::new();
    for f in findings {
        let entry = counts.entry(f.rule).or_insert((0, f.level));
        entry.0 += 1;
    }
    let mut rows: Vec<(Rule, usize, Level)> = counts.into_iter().map(|(r, (n, l))| (r, n, l)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if format == Format::Json {
        let items: Vec<serde_json::Value> = rows
            .iter()
            .map(|(rule, count, level)| serde_json::json!({"rule": rule.name(), "level": level.name(), "count": count}))
            .collect();
        serde_json::to_writer_pretty(&mut *out, &items)?;
        return writeln!(out);
    }
    for (rule, count, level) in &rows {
        writeln!(out, "{count:>5}  {:<18} {:<8} {}", rule.name(), level.name(), rule.summary())?;
    }
    if rows.is_empty() {
        return writeln!(out, "No findings: nothing needs a gesture today.");
    }
    let total: usize = rows.iter().map(|r| r.1).sum();
    writeln!(out, "{total:>5}  in all")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn fail_on(args: &[&str]) -> Option<FailOn> {
        match super::super::Cli::try_parse_from(args).expect("parses").command {
            super::super::Command::Lint(lint) => lint.fail_on,
            other => panic!("not lint: {other:?}"),
        }
    }

    #[test]
    fn fail_on_takes_every_level() {
        for (name, level) in
            [("error", Level::Error), ("warning", Level::Warning), ("info", Level::Info), ("hint", Level::Hint)]
        {
            assert_eq!(fail_on(&["kith", "lint", "--fail-on", name]).map(FailOn::level), Some(level), "{name}");
        }
    }

    #[test]
    fn hints_fail_only_when_shown() {
        let listed = |levels: &[Level], hints: bool| -> Vec<Level> {
            levels.iter().copied().filter(|&l| is_shown(l, hints)).collect()
        };
        // Only a hint: it fails with `--hints`, and is not listed (so cannot fail) without.
        assert!(fails(listed(&[Level::Hint], true), Level::Hint));
        assert!(!fails(listed(&[Level::Hint], false), Level::Hint));
        // An info finding fails `--fail-on hint` either way.
        assert!(fails(listed(&[Level::Hint, Level::Info], false), Level::Hint));
        assert!(!fails(listed(&[Level::Hint, Level::Info], true), Level::Warning));
    }
}
