//! `kith agenda`: what needs doing, by person, most urgent first — for the
//! terminal, as JSON, or as an iCalendar file to import into a calendar.

use super::{UsageError, parse_today, today_or_local};
use crate::engine::agenda::{AgendaItem, agenda};
use crate::engine::date::{Birthday, Date};
use crate::engine::text::digest;
use crate::engine::vault::Vault;
use crate::io::{self, VaultRoot};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use unicode_width::UnicodeWidthStr;

#[derive(clap::Args, Debug)]
pub struct AgendaArgs {
    /// The vault, a folder in it, or one note [default: the current folder].
    /// The whole vault is read; the agenda lists the people whose notes, or
    /// whose entries, are under PATH.
    pub path: Option<PathBuf>,
    /// The date to plan from (YYYY-MM-DD) [default: the local date].
    #[arg(long, env = "KITH_TODAY", value_parser = parse_today)]
    pub today: Option<Date>,
    /// How many days ahead to list birthdays and follow-ups
    /// [default: `birthday-notice` in kith.toml, else 7].
    #[arg(long, value_name = "N")]
    pub days: Option<u32>,
    /// How to print the agenda.
    #[arg(long, value_enum, default_value_t)]
    pub format: AgendaFormat,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AgendaFormat {
    /// Grouped by person, one line per thing to do.
    #[default]
    Human,
    /// A JSON array of items.
    Json,
    /// An iCalendar file: a to-do per item, birthdays as yearly events.
    Ics,
}

/// A vault opened for a command: its root, the index, and the files that
/// could not be read.
pub(super) struct Opened {
    pub root: VaultRoot,
    pub vault: Vault,
    pub errors: Vec<String>,
}

/// Finds the vault for a path, reads `kith.toml` (exit 2 when it is broken)
/// and every note.
pub(super) fn open_vault(path: &Path) -> Result<Opened, UsageError> {
    let root = io::find_root(path).map_err(|e| UsageError(format!("cannot read {}: {e}", path.display())))?;
    let config = io::load_config(&root).map_err(|e| UsageError(e.to_string()))?;
    for (key, _) in &config.unknown_keys {
        eprintln!("kith: warning: kith.toml: unknown key `{key}` is ignored");
    }
    let (vault, errors) = io::load_vault(&root.root, config);
    Ok(Opened { root, vault, errors })
}

/// The vault-relative folder or file a command was pointed at; empty for
/// the whole vault.
pub(super) fn scope_of(root: &VaultRoot, path: &Path) -> String {
    std::fs::canonicalize(path).ok().and_then(|p| io::walk::relative(&root.root, &p)).unwrap_or_default()
}

pub(super) fn in_scope(scope: &str, path: &str) -> bool {
    scope.is_empty() || path == scope || path.starts_with(&format!("{scope}/"))
}

/// Prints the output, then the files that could not be read (exit 2).
pub(super) fn finish(buffer: &[u8], errors: &[String]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`kith agenda | head`) is not an error worth a panic.
    let _ = stdout.write_all(buffer).and_then(|()| stdout.flush());
    for error in errors {
        eprintln!("kith: cannot read {error}");
    }
    if errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) }
}

pub fn run(args: AgendaArgs) -> Result<ExitCode, UsageError> {
    let path = super::path_or_cwd(args.path);
    let Opened { root, vault, errors } = open_vault(&path)?;
    let today = today_or_local(args.today);
    let days = args.days.unwrap_or_else(|| {
        let until = vault.config.birthday_notice.after(today);
        u32::try_from((until - today).num_days()).unwrap_or(u32::MAX)
    });
    let scope = scope_of(&root, &path);
    let items: Vec<AgendaItem> = agenda(&vault, today, days)
        .into_iter()
        .filter(|i| in_scope(&scope, &i.contact_path) || in_scope(&scope, &i.path))
        .collect();
    let mut buffer = Vec::new();
    match args.format {
        AgendaFormat::Human => buffer.extend(human(&items).into_bytes()),
        AgendaFormat::Json => {
            serde_json::to_writer_pretty(&mut buffer, &items).map_err(|e| UsageError(e.to_string()))?;
            buffer.push(b'\n');
        }
        AgendaFormat::Ics => buffer.extend(ics(&items, today).into_bytes()),
    }
    // The process ends here: the OS reclaims the vault at once.
    std::mem::forget(items);
    std::mem::forget(vault);
    Ok(finish(&buffer, &errors))
}

/// People in the order of their most urgent item, each with their items:
///
/// ```text
/// Jana Müller
///   people/jana.md:16  say thanks for “Introduced me to Max” (received 7 weeks ago)
/// ```
pub fn human(items: &[AgendaItem]) -> String {
    if items.is_empty() {
        return "Nothing to do: everyone is up to date.\n".to_string();
    }
    // People in the order they first come; found by path, not by a search
    // through everyone so far (an agenda may name tens of thousands).
    let mut people: Vec<(&str, Vec<&AgendaItem>)> = Vec::new();
    let mut place_of: HashMap<&str, usize> = HashMap::new();
    for item in items {
        let at = *place_of.entry(&item.contact_path).or_insert_with(|| {
            people.push((&item.contact_path, Vec::new()));
            people.len() - 1
        });
        people[at].1.push(item);
    }
    let place = |i: &AgendaItem| format!("{}:{}", i.path, i.line);
    let width = items.iter().map(|i| place(i).width()).max().unwrap_or(0);
    let mut out = String::new();
    for (n, (_, list)) in people.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", list[0].contact);
        for item in list {
            let at = place(item);
            let pad = " ".repeat(width - at.width());
            let why = if item.reason.is_empty() { String::new() } else { format!(" ({})", item.reason) };
            let _ = writeln!(out, "  {at}{pad}  {}{why}", item.action);
        }
    }
    let _ = writeln!(
        out,
        "\n{} {} to do for {} {}",
        items.len(),
        if items.len() == 1 { "thing" } else { "things" },
        people.len(),
        if people.len() == 1 { "person" } else { "people" }
    );
    out
}

/// An iCalendar (RFC 5545) file: a VTODO per item, due on its day; a yearly
/// all-day VEVENT per birthday. Reproducible: DTSTAMP is `today` at
/// midnight UTC, and UIDs hash what the item is about, not where it stands,
/// so importing again updates instead of duplicating.
pub fn ics(items: &[AgendaItem], today: Date) -> String {
    let stamp = format!("{}T000000Z", today.format("%Y%m%d"));
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        format!("PRODID:-//kith//kith {}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        "X-WR-CALNAME:kith agenda".into(),
    ];
    let mut seen: HashMap<String, usize> = HashMap::new();
    for item in items {
        let base = digest(&format!("{}\u{0}{}\u{0}{}", item.rule, item.contact_path, item.identity));
        let n = seen.entry(base.clone()).or_default();
        *n += 1;
        let uid = if *n == 1 { base } else { digest(&format!("{base}\u{0}{n}")) };
        let day = |d: Date| d.format("%Y%m%d").to_string();
        match item.birthday {
            Some(birthday) => {
                lines.push("BEGIN:VEVENT".into());
                lines.push(format!("UID:{uid}@kith"));
                lines.push(format!("DTSTAMP:{stamp}"));
                lines.push(format!("DTSTART;VALUE=DATE:{}", day(item.due_date)));
                lines.push(format!("DTEND;VALUE=DATE:{}", day(item.due_date.succ_opt().unwrap_or(item.due_date))));
                lines.push(yearly(birthday).into());
                lines.push(format!("SUMMARY:{}", escape(&format!("{}'s birthday", item.contact))));
                // The event repeats: words like "in 3 days" would go stale.
                let born = birthday.year.map(|y| format!(" (born {y})")).unwrap_or_default();
                let about = format!("{}'s birthday{born}\n{}:{}", item.contact, item.path, item.line);
                lines.push(format!("DESCRIPTION:{}", escape(&about)));
                lines.push(format!("CATEGORIES:kith,{}", escape(&item.rule)));
                lines.push("TRANSP:TRANSPARENT".into());
                lines.push("END:VEVENT".into());
            }
            None => {
                lines.push("BEGIN:VTODO".into());
                lines.push(format!("UID:{uid}@kith"));
                lines.push(format!("DTSTAMP:{stamp}"));
                lines.push(format!("DUE;VALUE=DATE:{}", day(item.due_date)));
                lines.push(format!("SUMMARY:{}", escape(&format!("{}: {}", item.contact, item.action))));
                let description = format!("{}\n{}:{}", item.message, item.path, item.line);
                lines.push(format!("DESCRIPTION:{}", escape(&description)));
                lines.push(format!("CATEGORIES:kith,{}", escape(&item.rule)));
                lines.push(format!("PRIORITY:{}", priority(&item.level)));
                lines.push("STATUS:NEEDS-ACTION".into());
                lines.push("END:VTODO".into());
            }
        }
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in lines {
        out.push_str(&fold(&line));
        out.push_str("\r\n");
    }
    out
}

/// 29 February repeats on the last day of February, so that it falls on
/// the 28th in other years as the spec says; other days on themselves.
fn yearly(birthday: Birthday) -> &'static str {
    if (birthday.month, birthday.day) == (2, 29) {
        "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"
    } else {
        "RRULE:FREQ=YEARLY"
    }
}

/// RFC 5545 priorities: 1–4 high, 5 medium, 6–9 low.
fn priority(level: &str) -> u8 {
    match level {
        "error" => 1,
        "warning" => 5,
        _ => 9,
    }
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            other => out.push(other),
        }
    }
    out
}

/// Folds a content line at 75 octets (not counting the line break), never
/// inside a UTF-8 character; continuation lines start with one space, which
/// counts towards their 75.
pub fn fold(line: &str) -> String {
    const LIMIT: usize = 75;
    let mut out = String::with_capacity(line.len() + line.len() / LIMIT * 3);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > LIMIT {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out
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

    #[test]
    fn folding_counts_octets_and_keeps_characters_whole() {
        let short = "SUMMARY:hello";
        assert_eq!(fold(short), short);
        let long = format!("DESCRIPTION:{}", "x".repeat(100));
        let folded = fold(&long);
        let parts: Vec<&str> = folded.split("\r\n").collect();
        assert_eq!(parts[0].len(), 75);
        assert!(parts[1].starts_with(' ') && parts[1].len() == 1 + 112 - 75);
        assert_eq!(folded.replace("\r\n ", ""), long);
        // "ü" is two octets: it moves to the next line rather than split.
        let umlauts = format!("SUMMARY:{}", "ü".repeat(60));
        let folded = fold(&umlauts);
        for part in folded.split("\r\n") {
            assert!(part.len() <= 75, "{part:?} is {} octets", part.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), umlauts);
        assert_eq!(folded.split("\r\n").next().unwrap().len(), 74);
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("a, b; c\\d\ne\r\nf"), "a\\, b\\; c\\\\d\\ne\\nf");
    }

    fn items(today: Date) -> Vec<AgendaItem> {
        let jana = "---\ntype: contact\nname: Jana Müller, Acme; Design\nbirthday: --02-29\n---\n\
            - 2027-02-15 #got Introduced me to Max, Tom; and a very long list of other people who all deserve thanks\n";
        let files = vec![SourceFile { path: "people/jana.md".into(), text: jana.into(), origin: Origin::default() }];
        let vault = Vault::build(Config::default(), files, Vec::new());
        agenda(&vault, today, 7)
    }

    #[test]
    fn calendar_is_reproducible_and_well_formed() {
        let first = ics(&items(d("2027-02-25")), d("2027-02-25"));
        let second = ics(&items(d("2027-02-25")), d("2027-02-25"));
        assert_eq!(first, second);
        assert!(first.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
        assert!(first.ends_with("END:VCALENDAR\r\n"));
        assert!(!first.replace("\r\n", "").contains('\n'), "bare LF in {first:?}");
        for line in first.split("\r\n") {
            assert!(line.len() <= 75, "{line:?}");
        }
        let unfolded = first.replace("\r\n ", "");
        assert!(unfolded.contains("DTSTAMP:20270225T000000Z\r\n"));
        assert!(
            unfolded.contains("SUMMARY:Jana Müller\\, Acme\\; Design: say thanks for “Introduced me to Max\\, Tom\\;")
        );
        assert!(unfolded.contains("DUE;VALUE=DATE:20270218\r\n"));
        assert!(unfolded.contains("BEGIN:VEVENT\r\n"));
        assert!(unfolded.contains("DTSTART;VALUE=DATE:20270228\r\nDTEND;VALUE=DATE:20270301\r\n"));
        assert!(unfolded.contains("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1\r\n"));
        let uids: Vec<&str> = unfolded.lines().filter(|l| l.starts_with("UID:")).collect();
        assert_eq!(uids.len(), 2);
        assert_ne!(uids[0], uids[1]);
        // Another day: the same items keep their UIDs.
        let later = ics(&items(d("2027-02-26")), d("2027-02-26")).replace("\r\n ", "");
        let later_uids: Vec<&str> = later.lines().filter(|l| l.starts_with("UID:")).collect();
        assert_eq!(uids, later_uids);
    }

    #[test]
    fn human_groups_by_person() {
        let text = human(&items(d("2027-02-25")));
        assert!(
            text.starts_with(
                "Jana Müller, Acme; Design\n  people/jana.md:6  say thanks for “Introduced me to Max, Tom;"
            ),
            "{text}"
        );
        assert!(text.contains("\n  people/jana.md:4  wish a happy birthday (Sun 28 Feb, in 3 days)\n"), "{text}");
        assert!(text.ends_with("\n2 things to do for 1 person\n"), "{text}");
        assert_eq!(human(&[]), "Nothing to do: everyone is up to date.\n");
        // Items of one person that stand apart in urgency order are still
        // listed together, people in the order of their most urgent item.
        let base = items(d("2027-02-25")).remove(0);
        let of = |who: &str, action: &str| AgendaItem {
            contact: who.to_string(),
            contact_path: format!("people/{who}.md"),
            action: action.to_string(),
            ..base.clone()
        };
        let text = human(&[of("a", "first"), of("b", "second"), of("a", "third")]);
        let order: Vec<&str> = text.lines().filter(|l| !l.starts_with(' ') && !l.is_empty()).collect();
        assert_eq!(order, ["a", "b", "3 things to do for 2 people"], "{text}");
        assert!(text.find("first").unwrap() < text.find("third").unwrap());
        assert!(text.find("third").unwrap() < text.find("\nb\n").unwrap(), "{text}");
    }
}
