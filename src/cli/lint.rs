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
    /// The vault, a folder in it, or one note [default: the current folder].
    /// The whole vault is read; findings are reported for files under PATH.
    pub path: Option<PathBuf>,
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
}

impl FailOn {
    fn level(self) -> Level {
        match self {
            FailOn::Error => Level::Error,
            FailOn::Warning => Level::Warning,
            FailOn::Info => Level::Info,
        }
    }
}

pub fn run(args: LintArgs) -> Result<ExitCode, UsageError> {
    let path = super::path_or_cwd(args.path.clone());
    let root = io::find_root(&path).map_err(|e| UsageError(format!("cannot read {}: {e}", path.display())))?;
    let config = io::load_config(&root).map_err(|e| UsageError(e.to_string()))?;
    for (key, _) in &config.unknown_keys {
        eprintln!("kith: warning: kith.toml: unknown key `{key}` is ignored");
    }
    let fail_on = args.fail_on.map_or(config.fail_on, FailOn::level);
    let today = today_or_local(args.today);
    let (vault, errors) = io::load_vault(&root.root, config);
    let scope = std::fs::canonicalize(&path).ok().and_then(|p| io::walk::relative(&root.root, &p)).unwrap_or_default();
    let below = format!("{scope}/");
    let findings: Vec<Finding> = analysis::analyze(&vault, today)
        .into_iter()
        .filter(|f| args.hints || f.level >= Level::Info)
        .filter(|f| scope.is_empty() || *f.path == *scope || f.path.starts_with(&below))
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
    let failing = findings.iter().any(|f| f.level >= fail_on);
    // The process ends here: let the OS reclaim the vault at once instead of
    // freeing a million small allocations one by one.
    std::mem::forget(report);
    std::mem::forget(findings);
    std::mem::forget(vault);
    Ok(if failing && !args.exit_zero { ExitCode::from(1) } else { ExitCode::SUCCESS })
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
