//! `kith ledger`: the social ledger of every contact — favours both ways,
//! last touch, cadence and next due — as a table or as JSON.

use super::agenda::{Opened, finish, in_scope, open_vault, scope_of};
use super::{UsageError, parse_today, today_or_local};
use crate::engine::date::{Birthday, Date, Span, Unit, ago, relative};
use crate::engine::names::fold;
use crate::engine::summary::{ContactSummary, Moment};
use crate::engine::vault::Vault;
use serde::Serialize;
use std::cmp::Ordering;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use unicode_width::UnicodeWidthStr;

#[derive(clap::Args, Debug)]
pub struct LedgerArgs {
    /// The vault, a folder in it, or one note [default: the current folder].
    /// The whole vault is read; contacts whose notes are under PATH are listed.
    pub path: Option<PathBuf>,
    /// The date to count up to (YYYY-MM-DD) [default: the local date].
    #[arg(long, env = "KITH_TODAY", value_parser = parse_today)]
    pub today: Option<Date>,
    /// Order of the rows.
    #[arg(long, value_enum, default_value_t)]
    pub sort: LedgerSort,
    /// How to print the ledger.
    #[arg(long, value_enum, default_value_t)]
    pub format: LedgerFormat,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LedgerSort {
    /// By name.
    #[default]
    Name,
    /// Whom you owe most first, then the most credit last.
    Balance,
    /// The most overdue touch first; snoozed contacts after their snooze,
    /// contacts without a touch last.
    Due,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LedgerFormat {
    /// An aligned table.
    #[default]
    Human,
    /// A JSON array, one object per contact.
    Json,
}

pub fn run(args: LedgerArgs) -> Result<ExitCode, UsageError> {
    let path = super::path_or_cwd(args.path);
    let Opened { root, vault, errors } = open_vault(&path)?;
    let today = today_or_local(args.today);
    let scope = scope_of(&root, &path);
    let mut rows: Vec<ContactSummary> = vault
        .contacts()
        .filter(|(_, note)| in_scope(&scope, &note.path))
        .filter_map(|(id, _)| ContactSummary::new(&vault, id, today))
        .collect();
    sort(&mut rows, args.sort);
    let text = match args.format {
        LedgerFormat::Human => table(&rows, today),
        LedgerFormat::Json => {
            let items: Vec<Row> = rows.iter().map(|s| row(&vault, s)).collect();
            serde_json::to_string_pretty(&items).map_err(|e| UsageError(e.to_string()))? + "\n"
        }
    };
    Ok(finish(text.as_bytes(), &errors))
}

fn by_name(a: &ContactSummary, b: &ContactSummary) -> Ordering {
    (fold(&a.name), &a.path).cmp(&(fold(&b.name), &b.path))
}

/// When the next touch is really due: not before a snooze ends.
fn effective_due(s: &ContactSummary) -> Option<Date> {
    match (s.next_due, s.snoozed_until) {
        (Some(due), Some(until)) => Some(due.max(until)),
        (due, _) => due,
    }
}

fn sort(rows: &mut [ContactSummary], how: LedgerSort) {
    match how {
        LedgerSort::Name => rows.sort_by(by_name),
        LedgerSort::Balance => rows.sort_by(|a, b| a.balance().cmp(&b.balance()).then_with(|| by_name(a, b))),
        LedgerSort::Due => rows.sort_by(|a, b| {
            let (da, db) = (effective_due(a), effective_due(b));
            // `None` (no touch yet) goes last.
            (da.is_none(), da).cmp(&(db.is_none(), db)).then_with(|| by_name(a, b))
        }),
    }
}

/// `2m`, `90d`: a span as `kith.toml` and front matter write it.
pub fn span_text(span: Span) -> String {
    let unit = match span.unit {
        Unit::Day => 'd',
        Unit::Week => 'w',
        Unit::Month => 'm',
        Unit::Year => 'y',
    };
    format!("{}{unit}", span.count)
}

fn balance_text(balance: i64) -> String {
    match balance {
        0 => "even".to_string(),
        b if b < 0 => format!("you owe {}", -b),
        b => format!("{b} in credit"),
    }
}

fn next_due_text(s: &ContactSummary, today: Date) -> String {
    if let Some(until) = s.snoozed_until {
        return format!("snoozed until {until}");
    }
    match s.next_due {
        Some(due) if due < today => format!("{due} (overdue, {})", ago(due, today)),
        Some(due) => format!("{due} ({})", relative(due, today)),
        None => "—".to_string(),
    }
}

/// The aligned table of `kith ledger`.
pub fn table(rows: &[ContactSummary], today: Date) -> String {
    if rows.is_empty() {
        return "No contacts here yet — `kith new NAME` starts one.\n".to_string();
    }
    let header = ["Contact", "Given", "Received", "Balance", "Last touch", "Cadence", "Next due"];
    // Numbers are right-aligned; everything else left.
    let right = [false, true, true, false, false, false, false];
    let mut cells: Vec<[String; 7]> = vec![header.map(str::to_string)];
    for s in rows {
        cells.push([
            s.name.clone(),
            s.given.to_string(),
            s.received.to_string(),
            balance_text(s.balance()),
            s.last_touch.map_or_else(|| "—".to_string(), |d| d.to_string()),
            if s.default_cadence { format!("{} (default)", span_text(s.cadence)) } else { span_text(s.cadence) },
            next_due_text(s, today),
        ]);
    }
    let mut widths = [0; 7];
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let mut out = String::new();
    for row in &cells {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i] - cell.width());
            if i > 0 {
                line.push_str("  ");
            }
            if right[i] {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let given: u32 = rows.iter().map(|s| s.given).sum();
    let received: u32 = rows.iter().map(|s| s.received).sum();
    let owed: i64 = rows.iter().map(|s| s.open_debts.len() as i64).sum();
    let _ = writeln!(
        out,
        "\n{} contact{} · {given} given · {received} received · {owed} favour{} to return",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        if owed == 1 { "" } else { "s" },
    );
    out
}

fn birthday_text(b: Birthday) -> String {
    match b.year {
        Some(y) => format!("{y:04}-{:02}-{:02}", b.month, b.day),
        None => format!("--{:02}-{:02}", b.month, b.day),
    }
}

/// A favour, thank-you or congratulation on record, for JSON.
#[derive(Serialize)]
struct MomentRow<'a> {
    date: String,
    words: &'a str,
    path: &'a str,
    line: usize,
}

#[derive(Serialize)]
struct FollowUpRow<'a> {
    words: &'a str,
    due: Option<String>,
    line: usize,
}

/// One contact in `kith ledger --format json`.
#[derive(Serialize)]
struct Row<'a> {
    name: &'a str,
    path: &'a str,
    aliases: &'a [String],
    org: Option<&'a str>,
    role: Option<&'a str>,
    given: u32,
    received: u32,
    credit: u32,
    /// Credit minus open debts.
    balance: i64,
    open_debts: Vec<MomentRow<'a>>,
    thanks_owed: Vec<MomentRow<'a>>,
    congrats_owed: Vec<MomentRow<'a>>,
    last_touch: Option<String>,
    cadence: String,
    default_cadence: bool,
    next_due: Option<String>,
    snoozed_until: Option<String>,
    birthday: Option<String>,
    next_birthday: Option<String>,
    follow_ups: Vec<FollowUpRow<'a>>,
    entries: usize,
}

fn line_in(vault: &Vault, path: &str, offset: usize) -> usize {
    vault.by_path(path).map_or(1, |n| n.lines.line_of(offset) + 1)
}

fn moments<'a>(vault: &Vault, list: &'a [Moment]) -> Vec<MomentRow<'a>> {
    list.iter()
        .map(|m| MomentRow {
            date: m.date.to_string(),
            words: &m.words,
            path: &m.path,
            line: line_in(vault, &m.path, m.range.start),
        })
        .collect()
}

fn row<'a>(vault: &Vault, s: &'a ContactSummary) -> Row<'a> {
    let day = |d: Option<Date>| d.map(|d| d.to_string());
    Row {
        name: &s.name,
        path: &s.path,
        aliases: &s.aliases,
        org: s.org.as_deref(),
        role: s.role.as_deref(),
        given: s.given,
        received: s.received,
        credit: s.credit,
        balance: s.balance(),
        open_debts: moments(vault, &s.open_debts),
        thanks_owed: moments(vault, &s.thanks_owed),
        congrats_owed: moments(vault, &s.congrats_owed),
        last_touch: day(s.last_touch),
        cadence: span_text(s.cadence),
        default_cadence: s.default_cadence,
        next_due: day(s.next_due),
        snoozed_until: day(s.snoozed_until),
        birthday: s.birthday.map(birthday_text),
        next_birthday: day(s.next_birthday),
        follow_ups: s
            .follow_ups
            .iter()
            .map(|f| FollowUpRow { words: &f.words, due: day(f.due), line: line_in(vault, &s.path, f.range.start) })
            .collect(),
        entries: s.entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::config::Config;
    use crate::engine::note::Origin;
    use crate::engine::vault::SourceFile;

    fn d(s: &str) -> Date {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn summaries(files: &[(&str, &str)], today: Date) -> Vec<ContactSummary> {
        let files = files
            .iter()
            .map(|(p, t)| SourceFile { path: p.to_string(), text: t.to_string(), origin: Origin::default() })
            .collect();
        let vault = Vault::build(Config::default(), files, Vec::new());
        vault.contacts().filter_map(|(id, _)| ContactSummary::new(&vault, id, today)).collect()
    }

    #[test]
    fn table_aligns_wide_names_and_sorts() {
        let today = d("2026-12-01");
        let mut rows = summaries(
            &[
                (
                    "people/jana.md",
                    "---\ntype: contact\nname: Jana Müller\ncadence: 2m\n---\n- 2026-10-15 #got Intro\n- 2026-11-02 #met Coffee\n",
                ),
                (
                    "people/li.md",
                    "---\ntype: contact\nname: 李小龍\n---\n- 2026-01-02 #gave Review\n- 2026-01-03 #gave Talk\n",
                ),
                ("people/zoe.md", "---\ntype: contact\nsnooze: 2027-06-01\n---\n- 2025-01-01 #met Lunch\n"),
            ],
            today,
        );
        sort(&mut rows, LedgerSort::Balance);
        let names: Vec<&str> = rows.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Jana Müller", "zoe", "李小龍"]);
        sort(&mut rows, LedgerSort::Due);
        let names: Vec<&str> = rows.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["李小龍", "Jana Müller", "zoe"]);
        sort(&mut rows, LedgerSort::Name);
        let text = table(&rows, today);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Contact      Given  Received  Balance      Last touch  Cadence        Next due");
        assert_eq!(
            lines[1],
            "Jana Müller      0         1  you owe 1    2026-11-02  2m             2027-01-02 (in 4 weeks)"
        );
        assert_eq!(
            lines[2],
            "zoe              0         0  even         2025-01-01  90d (default)  snoozed until 2027-06-01"
        );
        assert_eq!(
            lines[3],
            "李小龍           2         0  2 in credit  2026-01-03  90d (default)  2026-04-03 (overdue, 8 months ago)"
        );
        assert_eq!(lines[5], "3 contacts · 2 given · 1 received · 1 favour to return");
    }
}
