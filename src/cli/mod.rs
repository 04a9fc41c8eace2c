//! The command-line shell: parse arguments, read the vault, call the core,
//! print, choose the exit code. Exit codes: 0 nothing at the fail level,
//! 1 something is, 2 usage, configuration or IO errors.

mod agenda;
pub mod format;
mod ledger;
mod lint;
mod log;
mod new;
pub mod report;
mod rule;

use crate::engine::date::Date;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "kith",
    version,
    about = "Keep professional relationships in good repair: a linter and language server for Markdown contact notes",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check a vault and report where a relationship needs a gesture.
    Lint(lint::LintArgs),
    /// Show a rule's documentation, or the table of all rules.
    Rule(rule::RuleArgs),
    /// Run the language server on stdin/stdout.
    Lsp(LspArgs),
    /// What needs doing, by person, most urgent first.
    ///
    /// Thank-yous owed, congratulations owed, follow-ups due, overdue touches,
    /// favours to return, birthdays coming up and asks that need a `how:`.
    /// `snooze:` hides only the overdue touch: what you owe stays listed.
    Agenda(agenda::AgendaArgs),
    /// Favours given and received, balance, last touch and next due per contact.
    Ledger(ledger::LedgerArgs),
    /// Add one entry to a contact's log.
    Log(log::LogArgs),
    /// Create a contact note from the template.
    New(new::NewArgs),
}

#[derive(clap::Args, Debug)]
pub struct LspArgs {
    /// Accepted for editor compatibility; kith always speaks over stdio.
    #[arg(long, hide = true)]
    pub stdio: bool,
}

/// `--color`: when to colour human output.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// Parses `--today` / `KITH_TODAY`.
pub fn parse_today(text: &str) -> Result<Date, String> {
    match crate::engine::date::date_shape(text.trim()) {
        Some(crate::engine::date::DateShape::Real(d)) => Ok(d),
        _ => Err(format!("`{text}` is not a date: use YYYY-MM-DD, like 2026-11-30")),
    }
}

/// Today: the given date, else the local date.
pub fn today_or_local(given: Option<Date>) -> Date {
    given.unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// A failure that ends the command with exit code 2 and one line on stderr.
#[derive(Debug)]
pub struct UsageError(pub String);

impl<E: std::fmt::Display> From<E> for UsageError {
    fn from(e: E) -> UsageError {
        UsageError(e.to_string())
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Lint(args) => lint::run(args),
        Command::Rule(args) => rule::run(args),
        Command::Lsp(_) => crate::lsp::run(),
        Command::Agenda(args) => agenda::run(args),
        Command::Ledger(args) => ledger::run(args),
        Command::Log(args) => log::run(args),
        Command::New(args) => new::run(args),
    };
    match result {
        Ok(code) => code,
        Err(UsageError(message)) => {
            eprintln!("kith: {message}");
            ExitCode::from(2)
        }
    }
}

/// The vault path a command was given, or the current folder.
pub fn path_or_cwd(path: Option<PathBuf>) -> PathBuf {
    path.unwrap_or_else(|| PathBuf::from("."))
}
