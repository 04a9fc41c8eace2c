//! The smallest edits that act on a note: log an entry where the log's order
//! puts it, snooze a contact, fix a typo, mark a follow-up done, start a new
//! contact note. Pure: a note in, byte-range replacements out; the shells
//! apply them (atomically on disk, or as LSP text edits).

use super::date::{Date, DateShape};
use super::note::{Item, Note, TaskStatus};
use std::ops::Range;

/// Replace `range` of the note's text with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub range: Range<usize>,
    pub new_text: String,
}

impl TextEdit {
    pub fn insert(at: usize, new_text: String) -> TextEdit {
        TextEdit { range: at..at, new_text }
    }

    /// Applies edits (non-overlapping, any order) to a text.
    pub fn apply(text: &str, edits: &[TextEdit]) -> String {
        let mut sorted: Vec<&TextEdit> = edits.iter().collect();
        sorted.sort_by_key(|e| (e.range.start, e.range.end));
        let mut out = String::with_capacity(text.len() + 64);
        let mut pos = 0;
        for e in sorted {
            let start = e.range.start.clamp(pos, text.len());
            out.push_str(&text[pos..start]);
            out.push_str(&e.new_text);
            pos = e.range.end.clamp(start, text.len());
        }
        out.push_str(&text[pos..]);
        out
    }
}

/// The line ending a text uses: that of its first line, else `\n`.
pub fn line_ending(text: &str) -> &'static str {
    match text.find(['\n', '\r']) {
        Some(i) if text[i..].starts_with("\r\n") => "\r\n",
        Some(i) if text[i..].starts_with('\r') => "\r",
        _ => "\n",
    }
}

/// How a note's log is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogOrder {
    NewestFirst,
    OldestFirst,
}

/// The note's own dated entries, in file order.
fn dated_entries(note: &Note) -> Vec<(&Item, Date)> {
    note.items
        .iter()
        .filter(|i| i.task.is_none() && !i.in_quote && !i.kinds.is_empty())
        .filter_map(|i| match i.date {
            Some((DateShape::Real(d), _)) => Some((i, d)),
            _ => None,
        })
        .collect()
}

/// The order of a note's log; a log of one entry or of one date reads
/// newest first, as the spec's example.
pub fn log_order(note: &Note) -> Option<LogOrder> {
    let entries = dated_entries(note);
    entries.first()?;
    // The majority of neighbouring pairs decides, so one misplaced or
    // mistyped date does not turn the log around.
    let (mut up, mut down) = (0, 0);
    for pair in entries.windows(2) {
        match pair[0].1.cmp(&pair[1].1) {
            std::cmp::Ordering::Less => up += 1,
            std::cmp::Ordering::Greater => down += 1,
            std::cmp::Ordering::Equal => {}
        }
    }
    Some(if up > down { LogOrder::OldestFirst } else { LogOrder::NewestFirst })
}

/// The text of one entry line, without the list marker.
pub fn entry_text(date: Date, tags: &[&str], words: &str) -> String {
    let mut line = date.to_string();
    for tag in tags {
        line.push_str(" #");
        line.push_str(tag.trim_start_matches('#'));
    }
    let words = words.trim();
    if !words.is_empty() {
        line.push(' ');
        line.push_str(words);
    }
    line
}

/// Inserts an entry where the note's log order puts it: newest first → above
/// the first older entry (below entries of the same day, so that the ledger,
/// which takes one day's entries in file order, sees it after them); oldest
/// first → below the last entry of that day or earlier; no log yet → under
/// a `Log` heading, else in a new `## Log` section at the end.
pub fn log_entry(note: &Note, date: Date, tags: &[&str], words: &str) -> TextEdit {
    let text = &note.text;
    let eol = line_ending(text);
    let entries = dated_entries(note);
    let body = entry_text(date, tags, words);
    if let Some(order) = log_order(note) {
        let (template, _) = entries[0];
        let prefix = &text[line_start(text, template.full.start())..template.text.start()];
        let line = format!("{}{body}{eol}", list_prefix(prefix));
        let before = match order {
            LogOrder::NewestFirst => entries.iter().find(|(_, d)| *d < date),
            LogOrder::OldestFirst => entries.iter().find(|(_, d)| *d > date),
        };
        return match before {
            Some((item, _)) => TextEdit::insert(line_start(text, item.full.start()), line),
            None => {
                let (last, _) = entries[entries.len() - 1];
                insert_after(text, last.full.end(), line, eol)
            }
        };
    }
    if let Some(heading) = note.headings.iter().find(|h| h.title.eq_ignore_ascii_case("log")) {
        return insert_after(text, heading.range.end, format!("- {body}{eol}"), eol);
    }
    // A new section at the end, separated by one blank line.
    let mut new_text = String::new();
    if !text.is_empty() && !text.ends_with(['\n', '\r']) {
        new_text.push_str(eol);
    }
    if !text[note.body_start..].trim().is_empty() && !text.ends_with(&format!("{eol}{eol}")) {
        new_text.push_str(eol);
    }
    new_text.push_str(&format!("## Log{eol}- {body}{eol}"));
    TextEdit::insert(text.len(), new_text)
}

/// `- `, `* `, `  1. ` … of a template item, as a bullet for a new item.
fn list_prefix(prefix: &str) -> String {
    let indent: String = prefix.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let marker = prefix.trim_start();
    let bullet = match marker.chars().next() {
        Some(c @ ('-' | '*' | '+')) => c.to_string(),
        _ => "-".to_string(),
    };
    format!("{indent}{bullet} ")
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// Inserts whole lines after the line holding `offset - 1` (the end of a block).
fn insert_after(text: &str, end: usize, line: String, eol: &str) -> TextEdit {
    let end = end.min(text.len());
    // Block ranges end after their line ending, or at the end of the text.
    if end > 0 && text[..end].ends_with(['\n', '\r']) {
        // Keep CRLF together.
        let at = if text[..end].ends_with('\r') && text[end..].starts_with('\n') { end + 1 } else { end };
        return TextEdit::insert(at, line);
    }
    match text[end..].find(['\n', '\r']) {
        Some(i) => {
            let at = end + i + if text[end + i..].starts_with("\r\n") { 2 } else { 1 };
            TextEdit::insert(at, line)
        }
        None => TextEdit::insert(text.len(), format!("{eol}{}", line.trim_end_matches(['\n', '\r']))),
    }
}

/// Sets `snooze:` in the front matter, replacing an existing value or adding
/// the key before the closing delimiter (or new front matter at the top).
pub fn snooze(note: &Note, until: Date) -> TextEdit {
    set_key(note, "snooze", &until.to_string())
}

/// Sets a front-matter key to a plain value.
pub fn set_key(note: &Note, key: &str, value: &str) -> TextEdit {
    let text = &note.text;
    let eol = line_ending(text);
    if let Some(entry) = note.front.key(key) {
        if entry.value_range.is_empty() {
            return TextEdit::insert(entry.key_range.end + 1, format!(" {value}"))
                .clamp_to_line(text, entry.key_range.end);
        }
        return TextEdit { range: entry.value_range.clone(), new_text: value.to_string() };
    }
    match &note.front.closing {
        Some(closing) => TextEdit::insert(closing.start, format!("{key}: {value}{eol}")),
        None => TextEdit::insert(note.start, format!("---{eol}{key}: {value}{eol}---{eol}")),
    }
}

impl TextEdit {
    /// For `key:` with an empty value: insert right after the colon.
    fn clamp_to_line(mut self, text: &str, key_end: usize) -> TextEdit {
        let colon = text[key_end..].find(':').map_or(key_end, |i| key_end + i + 1);
        self.range = colon..colon;
        self
    }
}

/// `- [ ]` → `- [x]`.
pub fn mark_done(item: &Item) -> Option<TextEdit> {
    if item.task != Some(TaskStatus::Open) {
        return None;
    }
    let checkbox = item.checkbox?;
    Some(TextEdit { range: checkbox.start() + 1..checkbox.end() - 1, new_text: "x".into() })
}

/// Appends ` how: ` to an ask's first line.
pub fn add_how(item: &Item) -> TextEdit {
    TextEdit::insert(item.first_line.end(), " how: ".into())
}

/// A `kith-ignore` comment at the end of the line holding `offset`.
pub fn ignore_comment(note: &Note, offset: usize, rule: &str) -> TextEdit {
    let line = note.lines.line_of(offset);
    let range = note.lines.line_range(&note.text, line).unwrap_or(offset..offset);
    TextEdit::insert(range.end, format!(" <!-- kith-ignore: {rule} -->"))
}

/// An ASCII file-name slug: "Jana Müller" → "jana-mueller".
pub fn slug(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut ascii = String::new();
    for c in name.chars() {
        match c {
            'ä' | 'Ä' => ascii.push_str("ae"),
            'ö' | 'Ö' => ascii.push_str("oe"),
            'ü' | 'Ü' => ascii.push_str("ue"),
            'ß' => ascii.push_str("ss"),
            'æ' | 'Æ' => ascii.push_str("ae"),
            'ø' | 'Ø' => ascii.push('o'),
            'ł' | 'Ł' => ascii.push('l'),
            'đ' | 'Đ' => ascii.push('d'),
            'ı' => ascii.push('i'),
            other => ascii.extend(other.to_string().nfd().filter(char::is_ascii)),
        }
    }
    let mut slug = String::new();
    for c in ascii.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() { "contact".to_string() } else { slug }
}

/// A new contact note from a clean template.
pub fn new_contact(name: &str, org: Option<&str>, cadence: Option<&str>, aliases: &[String]) -> String {
    let mut text = String::from("---\ntype: contact\n");
    text.push_str(&format!("name: {}\n", yaml_scalar(name)));
    if !aliases.is_empty() {
        let list: Vec<String> = aliases.iter().map(|a| yaml_scalar(a)).collect();
        text.push_str(&format!("aliases: [{}]\n", list.join(", ")));
    }
    if let Some(org) = org {
        text.push_str(&format!("org: {}\n", yaml_scalar(org)));
    }
    if let Some(cadence) = cadence {
        text.push_str(&format!("cadence: {cadence}\n"));
    }
    text.push_str(&format!("---\n# {name}\n\n## Log\n"));
    text
}

/// A YAML scalar that reads back as the same string.
pub fn yaml_scalar(value: &str) -> String {
    let plain_ok = !value.is_empty()
        && !value.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ',
        ])
        && !value.ends_with(' ')
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.contains([',', '[', ']', '{', '}', '\n', '\r', '\t'])
        && super::note::yaml::parse(value).ok().flatten().and_then(|n| n.resolved())
            == Some(super::note::yaml::Resolved::Str);
    if plain_ok { value.to_string() } else { format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\"")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::config::Config;
    use crate::engine::note::Origin;

    fn note(text: &str) -> Note {
        Note::parse("people/jana.md", text.to_string(), Origin::default(), &Config::default())
    }

    fn d(s: &str) -> Date {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn logged(text: &str, date: &str) -> String {
        let n = note(text);
        TextEdit::apply(text, &[log_entry(&n, d(date), &["thanks"], "Card")])
    }

    #[test]
    fn newest_first_goes_on_top_below_same_day() {
        let text = "---\ntype: contact\n---\n## Log\n- 2026-11-20 #news A\n- 2026-10-15 #got B\n";
        assert_eq!(
            logged(text, "2026-12-01"),
            "---\ntype: contact\n---\n## Log\n- 2026-12-01 #thanks Card\n- 2026-11-20 #news A\n- 2026-10-15 #got B\n"
        );
        assert_eq!(
            logged(text, "2026-11-20"),
            "---\ntype: contact\n---\n## Log\n- 2026-11-20 #news A\n- 2026-11-20 #thanks Card\n- 2026-10-15 #got B\n"
        );
    }

    #[test]
    fn oldest_first_goes_at_the_end_keeping_crlf() {
        let text = "## Log\r\n* 2026-10-15 #got B\r\n* 2026-11-20 #news A";
        assert_eq!(
            logged(text, "2026-12-01"),
            "## Log\r\n* 2026-10-15 #got B\r\n* 2026-11-20 #news A\r\n* 2026-12-01 #thanks Card"
        );
    }

    #[test]
    fn new_log_section() {
        assert_eq!(
            logged("---\ntype: contact\n---\n# Jana\n", "2026-12-01"),
            "---\ntype: contact\n---\n# Jana\n\n## Log\n- 2026-12-01 #thanks Card\n"
        );
        assert_eq!(logged("# Jana\n\n## Log\n", "2026-12-01"), "# Jana\n\n## Log\n- 2026-12-01 #thanks Card\n");
    }

    #[test]
    fn snooze_sets_or_adds() {
        let text = "---\ntype: contact\nsnooze: 2026-01-01\n---\n";
        let n = note(text);
        assert_eq!(
            TextEdit::apply(text, &[snooze(&n, d("2027-01-15"))]),
            "---\ntype: contact\nsnooze: 2027-01-15\n---\n"
        );
        let text = "---\ntype: contact\n---\n";
        let n = note(text);
        assert_eq!(
            TextEdit::apply(text, &[snooze(&n, d("2027-01-15"))]),
            "---\ntype: contact\nsnooze: 2027-01-15\n---\n"
        );
    }

    #[test]
    fn slugs_and_scalars() {
        assert_eq!(slug("Jana Müller"), "jana-mueller");
        assert_eq!(slug("Chloé Dubois"), "chloe-dubois");
        assert_eq!(slug("Søren 🎨 Hansen"), "soren-hansen");
        assert_eq!(yaml_scalar("Jana Müller"), "Jana Müller");
        assert_eq!(yaml_scalar("Acme: Labs"), "\"Acme: Labs\"");
        assert_eq!(yaml_scalar("123"), "\"123\"");
    }
}
