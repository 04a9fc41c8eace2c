//! The smallest edits that act on a note: log an entry where the log's order
//! puts it, snooze a contact, fix a typo, mark a follow-up done, start a new
//! contact note. Pure: a note in, byte-range replacements out; the shells
//! apply them (atomically on disk, or as LSP text edits).

use super::config::Config;
use super::date::{Date, DateShape};
use super::note::{FrontMatter, Item, KeyEntry, Note, Origin, TaskStatus, front_matter};
use super::rules::Rule;
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
///
/// The edit is checked by parsing the result: the new line must read as an
/// entry (not code, not a comment, not part of a quote). Where the note ends
/// inside something that never closes (a code fence, an HTML comment, a
/// `<pre>`), a new `## Log` section goes at the top of the body instead;
/// `None` when no place works, and nothing is written.
pub fn log_entry(note: &Note, date: Date, tags: &[&str], words: &str) -> Option<TextEdit> {
    let body = entry_text(date, tags, words);
    let reads_back = |edit: &TextEdit| logged_entry_reads_back(note, edit, &body, date);
    let in_place = log_entry_in_place(note, date, &body);
    // Where a paragraph follows right below, a blank line keeps it from
    // joining the new entry as a lazy continuation.
    let separated = in_place.as_ref().map(|edit| blank_line_after(&note.text, edit));
    in_place.into_iter().chain(separated).chain(new_log_at_top(note, &body)).find(reads_back)
}

/// `edit` with a blank line after what it inserts.
fn blank_line_after(text: &str, edit: &TextEdit) -> TextEdit {
    let eol = line_ending(text);
    let mut new_text = edit.new_text.clone();
    if !new_text.ends_with(['\n', '\r']) {
        new_text.push_str(eol);
    }
    new_text.push_str(eol);
    TextEdit { range: edit.range.clone(), new_text }
}

/// [`log_entry`]'s place for the entry, not yet checked.
fn log_entry_in_place(note: &Note, date: Date, body: &str) -> Option<TextEdit> {
    let text = &note.text;
    let eol = line_ending(text);
    let entries = dated_entries(note);
    if let Some(order) = log_order(note) {
        let before = match order {
            LogOrder::NewestFirst => entries.iter().find(|(_, d)| *d < date),
            LogOrder::OldestFirst => entries.iter().find(|(_, d)| *d > date),
        };
        return Some(match before {
            // The item it goes above lends it its marker, and its number.
            Some((item, _)) => {
                let marker = Marker::of(text, item)?;
                TextEdit::insert(line_start(text, item.full.start()), format!("{}{body}{eol}", marker.written()))
            }
            None => {
                // Right after the last entry's last line, not after the blank
                // lines that end the list: the entry stays in the list, with
                // the last entry's marker and the next number.
                let (last, _) = entries[entries.len() - 1];
                let marker = Marker::of(text, last)?;
                let numbers: Vec<Option<u64>> =
                    entries.iter().filter_map(|(i, _)| Marker::of(text, i)).map(|m| m.number).collect();
                let marker = if numbers.iter().all(|n| *n == marker.number) { marker } else { marker.next() };
                let end = last.full.start() + text[last.full.range()].trim_end().len();
                insert_after(text, end, format!("{}{body}{eol}", marker.written()), eol)
            }
        });
    }
    // The note's own `Log` heading: not one quoted or inside a list item.
    let top = top_level_headings(text, note.body_start);
    let heading = note.headings.iter().find(|h| h.title.eq_ignore_ascii_case("log") && top.contains(&h.range.start()));
    if let Some(heading) = heading {
        // A list on the line right below the heading is joined, with its marker.
        let below = Some(heading.range.end()).filter(|&end| text.get(..end).is_some_and(|t| t.ends_with(['\n', '\r'])));
        let marker = below
            .and_then(|at| Marker::starting(&text[at..]))
            .filter(|m| m.indent.is_empty())
            .map_or_else(|| "- ".to_string(), |m| m.written());
        return Some(insert_after(text, heading.range.end(), format!("{marker}{body}{eol}"), eol));
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
    Some(TextEdit::insert(text.len(), new_text))
}

/// A list item's marker: its indentation and `-`, `*`, `+`, `1.` or `1)`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Marker {
    indent: String,
    /// The bullet, or the delimiter after the number.
    symbol: char,
    number: Option<u64>,
}

impl Marker {
    /// The marker of `item` as written; `None` when its line does not start
    /// with one (an item after another's marker on the same line takes a bullet).
    fn of(text: &str, item: &Item) -> Option<Marker> {
        let prefix = text.get(line_start(text, item.full.start())..item.text.start())?;
        Some(Marker::starting(prefix).unwrap_or(Marker { indent: String::new(), symbol: '-', number: None }))
    }

    /// The marker a line starts with, if it starts with one.
    fn starting(line: &str) -> Option<Marker> {
        let indent: String = line.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        let marker = &line[indent.len()..];
        let digits = marker.len() - marker.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let (number, symbol) = match marker[digits..].chars().next() {
            Some(c @ ('.' | ')')) if (1..=9).contains(&digits) => (marker[..digits].parse().ok(), c),
            Some(c @ ('-' | '*' | '+')) if digits == 0 => (None, c),
            _ => return None,
        };
        let after = &marker[digits + 1..];
        after.starts_with([' ', '\t']).then_some(Marker { indent, symbol, number })
    }

    /// The marker of the item after this one.
    fn next(self) -> Marker {
        let number = self.number.map(|n| if n < 999_999_999 { n + 1 } else { n });
        Marker { number, ..self }
    }

    fn written(&self) -> String {
        match self.number {
            Some(n) => format!("{}{n}{} ", self.indent, self.symbol),
            None => format!("{}{} ", self.indent, self.symbol),
        }
    }
}

/// The start of every heading of the note's own outline: not inside a
/// block quote, a list item or a footnote (`> ## Log` is quoted text,
/// `- ## Log` a list item).
fn top_level_headings(text: &str, body_start: usize) -> Vec<usize> {
    let mut depth = 0usize;
    let mut starts = Vec::new();
    for (open, label, at) in block_events(text, body_start) {
        match (open, label.as_str()) {
            (true, l) if l.starts_with("heading") && depth == 0 => starts.push(at),
            (true, "quote" | "item" | "footnote") => depth += 1,
            (false, "quote" | "item" | "footnote") => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    starts
}

/// The block structure of a note's body as pulldown-cmark reads it: each
/// block's start and end (whether it opens, what it is, where it starts).
fn block_events(text: &str, body_start: usize) -> Vec<(bool, String, usize)> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let Some(body) = text.get(body_start..) else { return Vec::new() };
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_FOOTNOTES);
    let mut open: Vec<Option<String>> = Vec::new();
    let mut events = Vec::new();
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let at = body_start + range.start;
        match event {
            Event::Start(tag) => {
                let label = match tag {
                    Tag::Paragraph => Some("paragraph".to_string()),
                    Tag::Heading { level, .. } => Some(format!("heading {level}")),
                    Tag::BlockQuote(_) => Some("quote".into()),
                    Tag::CodeBlock(_) => Some("code".into()),
                    Tag::HtmlBlock => Some("html".into()),
                    Tag::List(start) => Some(format!("list {start:?}")),
                    Tag::Item => Some("item".into()),
                    Tag::FootnoteDefinition(_) => Some("footnote".into()),
                    Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell => Some("table".into()),
                    _ => None,
                };
                if let Some(label) = &label {
                    events.push((true, label.clone(), at));
                }
                open.push(label);
            }
            Event::End(_) => {
                if let Some(Some(label)) = open.pop() {
                    events.push((false, label, at));
                }
            }
            Event::Rule => {
                events.push((true, "rule".into(), at));
                events.push((false, "rule".into(), at));
            }
            _ => {}
        }
    }
    events
}

/// Whether `new_text`, which is `text` with `inserted` written at
/// `inserted.start`, has the blocks `text` had and one list item more
/// (with, for a new log section, its heading and its list): no quote split
/// or joined, no list split in two or turned loose, nothing swallowed.
fn only_an_item_added(text: &str, new_text: &str, body_start: usize, inserted: Range<usize>) -> bool {
    let old = block_events(text, body_start);
    let mut new = block_events(new_text, body_start);
    let Some(first) = new.iter().position(|(open, l, at)| *open && l == "item" && inserted.contains(at)) else {
        return false;
    };
    // The new item, whole.
    let mut depth = 0usize;
    let Some(end) = new[first..].iter().position(|(open, _, _)| {
        depth = if *open { depth + 1 } else { depth - 1 };
        depth == 0
    }) else {
        return false;
    };
    new.drain(first..=first + end);
    // A list that held only the new item, unless it stands right beside
    // another list (a list split in two by a different marker).
    if first > 0
        && new.get(first - 1).is_some_and(|(open, l, _)| *open && l.starts_with("list"))
        && new.get(first).is_some_and(|(open, l, _)| !*open && l.starts_with("list"))
    {
        let beside = |e: Option<&(bool, String, usize)>| e.is_some_and(|(_, l, _)| l.starts_with("list"));
        if beside(first.checked_sub(2).and_then(|i| new.get(i))) || beside(new.get(first + 1)) {
            return false;
        }
        new.drain(first - 1..=first);
    }
    // The heading of a new section.
    new.retain(|(_, l, at)| !(l.starts_with("heading") && inserted.contains(at)));
    let labels = |events: &[(bool, String, usize)]| events.iter().map(|(o, l, _)| (*o, l.clone())).collect::<Vec<_>>();
    labels(&new) == labels(&old)
}

/// A new `## Log` section at the top of the body, where nothing can be left
/// open yet: below a first `# Title` line, else right after the front matter.
fn new_log_at_top(note: &Note, body: &str) -> Vec<TextEdit> {
    let text = &note.text;
    let eol = line_ending(text);
    let section = |at: usize| {
        let mut new_text = String::new();
        if at > 0 && !text[..at].ends_with(['\n', '\r']) {
            new_text.push_str(eol);
        }
        new_text.push_str(&format!("## Log{eol}- {body}{eol}{eol}"));
        TextEdit::insert(at, new_text)
    };
    let mut places = Vec::new();
    let first = note.body_start + (text[note.body_start..].len() - text[note.body_start..].trim_start().len());
    if let Some(title) = note.headings.first().filter(|h| h.level == 1 && h.range.start() == line_start(text, first)) {
        let end = title.range.end().min(text.len());
        let after = match text[end..].find(['\n', '\r']) {
            _ if text[..end].ends_with(['\n', '\r']) => end,
            Some(i) => end + i + if text[end + i..].starts_with("\r\n") { 2 } else { 1 },
            None => text.len(),
        };
        places.push(section(after));
    }
    places.push(section(note.body_start));
    places
}

/// Whether the note with `edit` applied reads `body` as an entry dated `date`
/// where the edit wrote it, and nothing else: every byte the note had is
/// kept, and every item it had reads as before (a paragraph below the new
/// line must not join it, nor an item lose a line to it).
fn logged_entry_reads_back(note: &Note, edit: &TextEdit, body: &str, date: Date) -> bool {
    let Some(written) = edit.new_text.find(body) else { return false };
    if !edit.range.is_empty() || edit.range.end > note.text.len() || !note.text.is_char_boundary(edit.range.start) {
        return false;
    }
    let at = edit.range.start + written;
    let new_text = TextEdit::apply(&note.text, std::slice::from_ref(edit));
    // Which kinds the tags are does not matter here, only where the entry stands.
    let after = Note::parse(&note.path, new_text, Origin::default(), &Config::default());
    let Some(new) = after.items.iter().position(|i| i.text.start() == at) else { return false };
    let entry = &after.items[new];
    let reads_as_entry = entry.task.is_none()
        && !entry.in_quote
        && after.slice(entry.text).trim_end() == body
        && matches!(&entry.date, Some((DateShape::Real(d), r)) if *d == date && r.start() == at);
    let before = Note::parse(&note.path, note.text.clone(), Origin::default(), &Config::default());
    let others = after.items.iter().enumerate().filter(|(i, _)| *i != new).map(|(_, item)| after.slice(item.text));
    let inserted = edit.range.start..edit.range.start + edit.new_text.len();
    reads_as_entry
        && others.eq(before.items.iter().map(|item| before.slice(item.text)))
        && only_an_item_added(&note.text, &after.text, note.body_start, inserted)
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
/// the key (or new front matter at the top). `None` when the day has no
/// `YYYY-MM-DD` form (past 9999) or the front matter cannot be edited safely.
pub fn snooze(note: &Note, until: Date) -> Option<TextEdit> {
    use chrono::Datelike;
    if !(0..=9999).contains(&until.year()) {
        return None;
    }
    set_key(note, "snooze", &until.to_string())
}

/// Sets a front-matter key to a plain value (already YAML, as
/// [`yaml_scalar`] writes it). The edit is checked by reading the front
/// matter again: `None` (no edit) unless the key then reads as `value`, every
/// other key keeps its value, no new problem appears and the body is untouched.
/// Block mappings at any indentation, flow mappings (`{a: b}`), `? key`
/// explicit keys and empty values are handled; anything else is left alone.
pub fn set_key(note: &Note, key: &str, value: &str) -> Option<TextEdit> {
    set_key_places(note, key, value).into_iter().find(|edit| key_reads_back(note, edit, key, value))
}

/// Where [`set_key`] could write, best first; each is checked before use.
fn set_key_places(note: &Note, key: &str, value: &str) -> Vec<TextEdit> {
    let text = &note.text;
    let eol = line_ending(text);
    if let Some(entry) = note.front.key(key) {
        if !entry.value_range.is_empty() {
            return vec![TextEdit { range: entry.value_range.range(), new_text: value.to_string() }];
        }
        // An empty value: right after the colon on the key's line, else (`? key`)
        // a `: value` line below it.
        let key_end = entry.key_range.end().min(text.len());
        let line_end = text[key_end..].find(['\n', '\r']).map_or(text.len(), |i| key_end + i);
        return vec![match text[key_end..line_end].find(':') {
            Some(i) => TextEdit::insert(key_end + i + 1, format!(" {value}")),
            None => {
                let start = line_start(text, entry.key_range.start());
                TextEdit::insert(line_end, format!("{eol}{}: {value}", indentation(&text[start..])))
            }
        }];
    }
    let (Some(closing), Some(content)) = (&note.front.closing, &note.front.content) else {
        return vec![TextEdit::insert(note.start, format!("---{eol}{key}: {value}{eol}---{eol}"))];
    };
    let mut places = Vec::new();
    let yaml = &text[content.clone()];
    let trimmed = yaml.trim_end();
    if yaml.trim_start().starts_with('{') && trimmed.ends_with('}') {
        // A flow mapping: one more pair before its `}`.
        let close = content.start + trimmed.len() - 1;
        let empty = yaml.trim_start()[1..].trim_end().trim_end_matches('}').trim().is_empty();
        let sep = if empty { "" } else { ", " };
        places.push(TextEdit::insert(close, format!("{sep}{key}: {value}")));
    }
    // A new line at the keys' indentation: before the closing line, else
    // after the last key's line (when a stray line, such as a lone BOM, ends the block).
    let indent = note.front.keys.first().map_or("", |k| indentation(&text[line_start(text, k.key_range.start())..]));
    let line = format!("{indent}{key}: {value}{eol}");
    places.push(TextEdit::insert(closing.start, line.clone()));
    if let Some(last) = note.front.keys.iter().map(|k| k.value_range.end().max(k.key_range.end())).max() {
        let at = text[last..closing.start].find(['\n', '\r']).map(|i| {
            let i = last + i;
            i + if text[i..].starts_with("\r\n") { 2 } else { 1 }
        });
        if let Some(at) = at.filter(|&at| at < closing.start) {
            places.push(TextEdit::insert(at, line));
        }
    }
    places
}

/// The spaces and tabs a line starts with.
fn indentation(line: &str) -> &str {
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// Whether the note with `edit` applied reads `key` as `value`, written
/// where the edit put it, with everything else as it was.
fn key_reads_back(note: &Note, edit: &TextEdit, key: &str, value: &str) -> bool {
    let Some(written) = edit.new_text.rfind(value) else { return false };
    let value_at = edit.range.start + written..edit.range.start + written + value.len();
    front_after(note, edit, key).is_some_and(|front| {
        // The key's value is what was written (quotes may stand outside the value's range).
        front.key(key).is_some_and(|entry| {
            entry.value_range.start() >= value_at.start
                && entry.value_range.end() <= value_at.end
                && (value.is_empty() || !entry.value_range.is_empty())
        })
    })
}

/// The front matter of the note with `edit` applied, when every key but
/// `key` keeps its place and its value, no new problem appears and the body
/// is untouched; `None` otherwise.
fn front_after(note: &Note, edit: &TextEdit, key: &str) -> Option<FrontMatter> {
    let text = &note.text;
    if edit.range.start > edit.range.end
        || edit.range.end > text.len()
        || !text.is_char_boundary(edit.range.start)
        || !text.is_char_boundary(edit.range.end)
    {
        return None;
    }
    let new_text = TextEdit::apply(text, std::slice::from_ref(edit));
    let mut problems = Vec::new();
    let (front, body_start) = front_matter::parse(&new_text, note.start, false, &mut problems);
    // Every other key keeps its place and its value (keys are in file order).
    let shift =
        |offset: usize| if offset >= edit.range.end { offset - edit.range.len() + edit.new_text.len() } else { offset };
    let others = |keys: &'_ [KeyEntry]| keys.iter().filter(|k| !k.key.eq_ignore_ascii_case(key)).count();
    if others(&note.front.keys) != others(&front.keys) {
        return None;
    }
    let old_keys = note.front.keys.iter().filter(|k| !k.key.eq_ignore_ascii_case(key));
    let new_keys = front.keys.iter().filter(|k| !k.key.eq_ignore_ascii_case(key));
    for (old, new) in old_keys.zip(new_keys) {
        if old.key != new.key
            || new.key_range.start() != shift(old.key_range.start())
            || new_text.get(new.value_range.range()) != text.get(old.value_range.range())
        {
            return None;
        }
    }
    // No new problem, and the body as it was.
    let before = note.problems.iter().filter(|p| p.rule == Rule::FrontMatter).count();
    let unharmed = problems.iter().filter(|p| p.rule == Rule::FrontMatter).count() <= before
        && new_text.get(body_start..) == text.get(note.body_start..);
    unharmed.then_some(front)
}

/// Adds a rule to the note's `kith: {ignore: [...]}` (spec section 4:
/// silences it for the findings placed in the note and, in a contact note,
/// for every finding about that contact). The list, the `kith` mapping or
/// the front matter is added when missing; a flow list grows by one name, a
/// block list by one line. Checked like [`set_key`]: `None` unless the note
/// then ignores the rule and every rule it ignored, with every other key and
/// the body as they were.
pub fn ignore_rule(note: &Note, rule: Rule) -> Option<TextEdit> {
    if note.front.ignore.contains(&rule) || note.origin.skipped_size.is_some() {
        return None;
    }
    let reads_back = |edit: &TextEdit| {
        front_after(note, edit, "kith").is_some_and(|front| {
            front.ignore.contains(&rule) && note.front.ignore.iter().all(|old| front.ignore.contains(old))
        })
    };
    ignore_places(note, rule.name()).into_iter().find(reads_back)
}

/// Where [`ignore_rule`] could write, best first.
fn ignore_places(note: &Note, name: &str) -> Vec<TextEdit> {
    let text = &note.text;
    let eol = line_ending(text);
    let Some(kith) = note.front.key("kith").filter(|k| !k.value_range.is_empty()) else {
        return set_key_places(note, "kith", &format!("{{ignore: [{name}]}}"));
    };
    let value = kith.value_range.range();
    let Some(yaml) = text.get(value.clone()) else { return Vec::new() };
    let mut places = Vec::new();
    match find_key(yaml, "ignore") {
        Some(colon) => {
            let after = &yaml[colon + 1..];
            let skipped = after.len() - after.trim_start_matches([' ', '\t']).len();
            let at = value.start + colon + 1 + skipped;
            if after[skipped..].starts_with('[') {
                // A flow list: one more name before its `]`.
                if let Some(close) = text[at..value.end].find(']').map(|i| at + i) {
                    let empty = text[at + 1..close].trim().is_empty();
                    places.push(TextEdit::insert(close, format!("{}{name}", if empty { "" } else { ", " })));
                }
            } else if after[skipped..].starts_with(['\n', '\r']) || after[skipped..].is_empty() {
                // A block list below the key: one more item after its last.
                let mut end = at;
                let mut indent = None;
                let mut rest = &text[at..value.end];
                while let Some(line_at) = rest.find('\n').map(|i| i + 1) {
                    let line = &rest[line_at..];
                    let item = line.trim_start_matches([' ', '\t']);
                    if !item.starts_with("- ") && item != "-" {
                        break;
                    }
                    indent = Some(indentation(line).to_string());
                    let line_end = line.find(['\n', '\r']).map_or(line.len(), |i| i);
                    end = value.end - rest.len() + line_at + line_end;
                    rest = &line[line_end..];
                }
                match indent {
                    Some(indent) => places.push(TextEdit::insert(end, format!("{eol}{indent}- {name}"))),
                    None => places.push(TextEdit::insert(at, format!(" [{name}]"))),
                }
            }
        }
        None if yaml.trim_start().starts_with('{') => {
            // A flow mapping without `ignore`: one more pair before its `}`.
            if let Some(close) = yaml.rfind('}') {
                let empty = yaml[yaml.find('{').unwrap_or(0) + 1..close].trim().is_empty();
                let sep = if empty { "" } else { ", " };
                places.push(TextEdit::insert(value.start + close, format!("{sep}ignore: [{name}]")));
            }
        }
        None => {
            // A block mapping without `ignore`: a line of its own above its first key.
            let start = line_start(text, value.start);
            let indent = indentation(&text[start..]).to_string();
            places.push(TextEdit::insert(start, format!("{indent}ignore: [{name}]{eol}")));
        }
    }
    places
}

/// The offset of the colon after `key` where it stands as a key in `yaml`
/// (at a line's start or after `{` or `,`), if it does.
fn find_key(yaml: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = yaml[from..].find(key).map(|i| from + i) {
        from = i + key.len();
        let before = yaml[..i].trim_end_matches([' ', '\t']);
        let starts = before.is_empty() || before.ends_with(['\n', '\r', '{', ',']);
        let after = yaml[from..].trim_start_matches([' ', '\t']);
        if starts && after.starts_with(':') {
            return Some(yaml.len() - after.len());
        }
    }
    None
}

/// Sets a contact's `name` in the form the old value has: quoted in the same
/// quotes, a block scalar (`>-`, `|`) as one line of it, else plain when
/// YAML allows; `name:` is added when there is none. Checked like
/// [`set_key`], and the name must read back as `name`.
pub fn set_name(note: &Note, name: &str) -> Option<TextEdit> {
    let Some(old) = note.front.name.as_ref().filter(|n| !n.range.is_empty()) else {
        return set_key(note, "name", &yaml_scalar(name));
    };
    let edit = TextEdit { range: old.range.clone(), new_text: scalar_like(note, old.range.clone(), name) };
    let front = front_after(note, &edit, "name")?;
    (front.name.as_ref().map(|n| n.value.as_str()) == Some(name)).then_some(edit)
}

/// Sets the alias at `index` of `aliases` in the form the old one has, as
/// [`set_name`] does; every other alias must read as before.
pub fn set_alias(note: &Note, index: usize, alias: &str) -> Option<TextEdit> {
    let old = note.front.aliases.get(index).filter(|a| !a.range.is_empty())?;
    let edit = TextEdit { range: old.range.clone(), new_text: scalar_like(note, old.range.clone(), alias) };
    let front = front_after(note, &edit, "aliases")?;
    let want = note.front.aliases.iter().enumerate().map(|(i, a)| if i == index { alias } else { a.value.as_str() });
    front.aliases.iter().map(|a| a.value.as_str()).eq(want).then_some(edit)
}

/// `value` written as the YAML scalar at `range` is: in the same quotes, as
/// the text of a block scalar, else plain where YAML allows.
fn scalar_like(note: &Note, range: Range<usize>, value: &str) -> String {
    let old = note.slice(range.clone());
    if old.starts_with('\'') && !value.chars().any(needs_escape) {
        return format!("'{}'", value.replace('\'', "''"));
    }
    if old.starts_with(['"', '\'']) {
        return double_quoted(value);
    }
    // A block scalar's text stands on the lines below its `|` or `>` (and
    // its chomping and indentation marks, perhaps a comment).
    let before = note.text[..range.start].trim_end_matches([' ', '\t', '\n', '\r']);
    let line = before.rsplit(['\n', '\r']).next().unwrap_or("");
    let indicator = line.split_whitespace().take_while(|t| !t.starts_with('#')).last();
    if indicator.is_some_and(|t| t.starts_with(['|', '>'])) { value.to_string() } else { yaml_scalar(value) }
}

/// `- [ ]` → `- [x]`.
pub fn mark_done(item: &Item) -> Option<TextEdit> {
    if item.task != Some(TaskStatus::Open) {
        return None;
    }
    let checkbox = item.checkbox()?;
    Some(TextEdit { range: checkbox.start() + 1..checkbox.end() - 1, new_text: "x".into() })
}

/// Appends ` how: ` to an ask's first line, before the comments that end it:
/// a `kith-ignore` there silences its line only while it ends the line.
pub fn add_how(note: &Note, item: &Item) -> TextEdit {
    let line = note.slice(item.first_line);
    let mut words = line.trim_end();
    while let Some(open) = words.strip_suffix("-->").and_then(|w| w.rfind("<!--")) {
        words = words[..open].trim_end();
    }
    if words.len() == line.len() {
        return TextEdit::insert(item.first_line.end(), " how: ".into());
    }
    // The space before the comments becomes the one after `how:`.
    let spaced = line[words.len()..].starts_with([' ', '\t']);
    TextEdit::insert(item.first_line.start() + words.len(), if spaced { " how:" } else { " how: " }.into())
}

/// A `kith-ignore` for `rule` on the line holding `offset`: added to the
/// comment that already silences that line, at its end or alone on the line
/// above, else a new comment at the end of the line (a second comment there
/// would leave the first no longer ending the line, and so silencing nothing).
pub fn ignore_comment(note: &Note, offset: usize, rule: &str) -> TextEdit {
    let text = &note.text;
    let line = note.lines.line_of(offset);
    let range = note.lines.line_range(text, line).unwrap_or(offset..offset);
    let silenced = note.suppressions.iter().any(|s| s.line == line && s.rules.is_some());
    for at in [Some(line), line.checked_sub(1)].into_iter().flatten().filter(|_| silenced) {
        let Some(holder) = note.lines.line_range(text, at) else { continue };
        let written = text[holder.clone()].trim_end();
        let Some(open) = written.strip_suffix("-->").and_then(|w| w.rfind("<!--")) else { continue };
        if at != line && !written[..open].trim().is_empty() {
            continue;
        }
        let inner = &written[open + 4..written.len() - 3];
        let Some(list) = inner.trim_start().strip_prefix("kith-ignore").and_then(|r| r.trim_start().strip_prefix(':'))
        else {
            continue;
        };
        let end = holder.start + open + 4 + inner.trim_end().len();
        return TextEdit::insert(end, format!("{}{rule}", if list.trim().is_empty() { " " } else { ", " }));
    }
    TextEdit::insert(range.end, format!(" <!-- kith-ignore: {rule} -->"))
}

/// A file-name slug: "Jana Müller" → "jana-mueller". Latin letters are
/// spelled in ASCII; letters of scripts without an ASCII spelling are kept
/// (lower-cased, NFC): "Иван Петров" → "иван-петров", not an empty slug.
pub fn slug(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let mut spelled = String::new();
    for c in name.nfc() {
        match c {
            'ä' | 'Ä' => spelled.push_str("ae"),
            'ö' | 'Ö' => spelled.push_str("oe"),
            'ü' | 'Ü' => spelled.push_str("ue"),
            'ß' => spelled.push_str("ss"),
            'æ' | 'Æ' => spelled.push_str("ae"),
            'ø' | 'Ø' => spelled.push('o'),
            'ł' | 'Ł' => spelled.push('l'),
            'đ' | 'Đ' => spelled.push('d'),
            'ı' => spelled.push('i'),
            other => {
                let ascii: String = other.to_string().nfd().filter(char::is_ascii).collect();
                if ascii.is_empty() && (other.is_alphanumeric() || is_combining_mark(other)) {
                    spelled.push(other);
                } else {
                    spelled.push_str(&ascii);
                }
            }
        }
    }
    let mut slug = String::new();
    for c in spelled.to_lowercase().nfc() {
        let kept = c.is_ascii_alphanumeric()
            || (!c.is_ascii() && c.is_alphanumeric())
            || (is_combining_mark(c) && !slug.is_empty() && !slug.ends_with('-'));
        if kept {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    // File systems allow 255 bytes a name: a very long name is cut at a
    // character, leaving room for `.md` (and a `-contact` below).
    let mut end = slug.len().min(SLUG_MAX);
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    let slug = slug[..end].trim_end_matches('-');
    match slug {
        "" => "contact".to_string(),
        // Names Windows reserves for devices, whatever the extension: a
        // vault with `con.md` cannot be checked out there.
        s if is_device_name(s) => format!("{s}-contact"),
        s => s.to_string(),
    }
}

/// The longest slug, in bytes.
const SLUG_MAX: usize = 120;

fn is_device_name(slug: &str) -> bool {
    let numbered = |prefix: &str| {
        slug.strip_prefix(prefix).is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit() && n != "0")
    };
    matches!(slug, "con" | "prn" | "aux" | "nul") || numbered("com") || numbered("lpt")
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

/// A YAML scalar that reads back as the same string, in YAML 1.2 (kith) and
/// in YAML 1.1 (PyYAML, older tools) alike: plain where that is safe, else
/// double-quoted with every character that cannot stand plainly escaped.
pub fn yaml_scalar(value: &str) -> String {
    if plain_is_safe(value) { value.to_string() } else { double_quoted(value) }
}

/// Whether `value` reads as that string when written plainly, in block and
/// in flow context (a `[list]`), by any YAML version. Errs towards quotes:
/// anything that starts like a number, an indicator or a 1.1 boolean is quoted.
fn plain_is_safe(value: &str) -> bool {
    // YAML 1.1 booleans and nulls, compared case-insensitively (quoting `yEs` costs nothing).
    const WORDS: [&str; 12] = ["y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", "<<", "="];
    let Some(first) = value.chars().next() else { return false };
    !first.is_ascii_digit()
        && !"-?:,[]{}#&*!|>'\"%@`.+~=<".contains(first)
        && !value.starts_with(char::is_whitespace)
        && !value.ends_with(char::is_whitespace)
        && !value.ends_with(':')
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.contains([',', '[', ']', '{', '}'])
        && !value.chars().any(needs_escape)
        && !WORDS.iter().any(|w| w.eq_ignore_ascii_case(value))
        && super::note::yaml::parse(value).ok().flatten().and_then(|n| n.resolved())
            == Some(super::note::yaml::Resolved::Str)
}

/// Characters a YAML scalar must escape: those outside YAML's printable set
/// (controls, U+FFFE, U+FFFF), line breaks of any YAML version (NEL, U+2028,
/// U+2029), and the invisible ones that change how a line reads.
pub fn needs_escape(c: char) -> bool {
    invisible(c).is_some()
}

/// What an invisible character is, in words, for a message: controls, line
/// breaks, bidi controls (which reorder what follows them), zero-width
/// space, word joiners and the byte order mark. Zero-width joiners and
/// non-joiners are not on the list: emoji and several scripts need them.
pub fn invisible(c: char) -> Option<&'static str> {
    Some(match c {
        '\t' => "a tab",
        '\n' | '\r' | '\u{B}' | '\u{C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => "a line break",
        c if c.is_control() => "a control character",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}' => {
            "a bidirectional control"
        }
        '\u{200B}' => "a zero-width space",
        '\u{FEFF}' => "a byte order mark",
        '\u{2060}'..='\u{2064}' | '\u{FFF9}'..='\u{FFFB}' => "an invisible character",
        '\u{FFFE}' | '\u{FFFF}' => "a noncharacter",
        _ => return None,
    })
}

/// `value` as a YAML double-quoted scalar.
fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) && u32::from(c) <= 0xFF => out.push_str(&format!("\\x{:02X}", u32::from(c))),
            c if needs_escape(c) => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
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
        TextEdit::apply(text, &[log_entry(&n, d(date), &["thanks"], "Card").expect("a place for the entry")])
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

    /// A paragraph or a table right below the log must stay what it was,
    /// not become part of the new entry.
    #[test]
    fn what_follows_the_log_stays_apart_from_the_entry() {
        let log = "---\ntype: contact\n---\n## Log\n- 2026-10-01 #met a\n- 2026-11-01 #met b\n";
        for after in ["\nhow: this paragraph is not part of any entry\n", "\n| a | b |\n| - | - |\n| 1 | 2 |\n"] {
            let text = format!("{log}{after}");
            assert_eq!(logged(&text, "2026-12-01"), format!("{log}- 2026-12-01 #thanks Card\n{after}"));
        }
        // Newest first, an older entry goes last: the same.
        let text = "## Log\n- 2026-11-01 #met b\n- 2026-10-01 #met a\n\nA paragraph.\n";
        assert_eq!(
            logged(text, "2026-09-01"),
            "## Log\n- 2026-11-01 #met b\n- 2026-10-01 #met a\n- 2026-09-01 #thanks Card\n\nA paragraph.\n"
        );
        // A `Log` heading with a paragraph right below it: a blank line keeps them apart.
        assert_eq!(
            logged("# Jana\n## Log\nKept since 2020.\n", "2026-12-01"),
            "# Jana\n## Log\n- 2026-12-01 #thanks Card\n\nKept since 2020.\n"
        );
        // CRLF throughout.
        assert_eq!(
            logged("## Log\r\n- 2026-10-01 #met a\r\n- 2026-11-01 #met b\r\n\r\nText.\r\n", "2026-12-01"),
            "## Log\r\n- 2026-10-01 #met a\r\n- 2026-11-01 #met b\r\n- 2026-12-01 #thanks Card\r\n\r\nText.\r\n"
        );
    }

    /// A rule silenced on a line that already has a `kith-ignore` joins it:
    /// a second comment would leave the first no longer ending the line.
    #[test]
    fn ignore_comments_join_the_one_there() {
        let ignored = |text: &str, rule: &str| {
            let n = note(text);
            let at = text.find("#ask").unwrap();
            TextEdit::apply(text, &[ignore_comment(&n, at, rule)])
        };
        assert_eq!(
            ignored("- 2026-11-20 #ask Hilfe\n", "vague-ask"),
            "- 2026-11-20 #ask Hilfe <!-- kith-ignore: vague-ask -->\n"
        );
        assert_eq!(
            ignored("- 2026-11-20 #ask Hilfe 😀 <!-- kith-ignore: ask-after-silence -->\n", "vague-ask"),
            "- 2026-11-20 #ask Hilfe 😀 <!-- kith-ignore: ask-after-silence, vague-ask -->\n"
        );
        assert_eq!(
            ignored("<!-- kith-ignore: ask-after-silence -->\r\n- 2026-11-20 #ask Hilfe\r\n", "vague-ask"),
            "<!-- kith-ignore: ask-after-silence, vague-ask -->\r\n- 2026-11-20 #ask Hilfe\r\n"
        );
        // A comment that silences nothing here is left alone.
        assert_eq!(
            ignored("Text <!-- kith-ignore: x -->\n- 2026-11-20 #ask Hilfe <!-- a note -->\n", "vague-ask"),
            "Text <!-- kith-ignore: x -->\n- 2026-11-20 #ask Hilfe <!-- a note --> <!-- kith-ignore: vague-ask -->\n"
        );
    }

    #[test]
    fn how_goes_before_the_comments_that_end_the_line() {
        let with_how = |text: &str| {
            let n = note(text);
            TextEdit::apply(text, &[add_how(&n, &n.items[0])])
        };
        assert_eq!(with_how("- 2026-11-20 #ask Hilfe\n"), "- 2026-11-20 #ask Hilfe how: \n");
        assert_eq!(
            with_how("- 2026-11-20 #ask Hilfe 😀 <!-- a --> <!-- kith-ignore: x -->\n"),
            "- 2026-11-20 #ask Hilfe 😀 how: <!-- a --> <!-- kith-ignore: x -->\n"
        );
        assert_eq!(
            with_how("- 2026-11-20 #ask Hilfe<!-- kith-ignore: x -->"),
            "- 2026-11-20 #ask Hilfe how: <!-- kith-ignore: x -->"
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

    fn ignored(text: &str) -> Option<String> {
        ignore_rule(&note(text), Rule::Unreciprocated).map(|e| TextEdit::apply(text, &[e]))
    }

    #[test]
    fn ignore_rule_in_every_shape_of_kith() {
        let cases = [
            ("- 2026-11-20 #got A\n", "---\nkith: {ignore: [unreciprocated]}\n---\n- 2026-11-20 #got A\n"),
            ("---\ntype: contact\n---\n", "---\ntype: contact\nkith: {ignore: [unreciprocated]}\n---\n"),
            ("---\nkith: {ignore: [vague-ask]}\n---\n", "---\nkith: {ignore: [vague-ask, unreciprocated]}\n---\n"),
            ("---\nkith: {ignore: []}\n---\n", "---\nkith: {ignore: [unreciprocated]}\n---\n"),
            ("---\nkith:\n  ignore: [vague-ask]\n---\n", "---\nkith:\n  ignore: [vague-ask, unreciprocated]\n---\n"),
            (
                "---\nkith:\n  ignore:\n    - vague-ask\n    - congratulate\nname: X\n---\n",
                "---\nkith:\n  ignore:\n    - vague-ask\n    - congratulate\n    - unreciprocated\nname: X\n---\n",
            ),
            ("---\nkith:\n  ignore:\nname: X\n---\n", "---\nkith:\n  ignore: [unreciprocated]\nname: X\n---\n"),
            ("---\nkith:\nname: X\n---\n", "---\nkith: {ignore: [unreciprocated]}\nname: X\n---\n"),
            ("---\nkith: {}\n---\n", "---\nkith: {ignore: [unreciprocated]}\n---\n"),
            ("---\n{type: contact}\n---\n", "---\n{type: contact, kith: {ignore: [unreciprocated]}}\n---\n"),
            (
                "\u{feff}---\r\ntype: contact\r\nkith:\r\n  ignore:\r\n  - vague-ask\r\n---\r\n",
                "\u{feff}---\r\ntype: contact\r\nkith:\r\n  ignore:\r\n  - vague-ask\r\n  - unreciprocated\r\n---\r\n",
            ),
        ];
        for (before, after) in cases {
            assert_eq!(ignored(before).as_deref(), Some(after), "{before:?}");
        }
        // Already ignored, or front matter that cannot be edited safely: no edit.
        assert_eq!(ignored("---\nkith: {ignore: [unreciprocated]}\n---\n"), None);
        assert_eq!(ignored("---\nkith: [a\n---\n"), None);
        assert_eq!(ignored("---\nkith: 3\n---\n"), None);
    }

    #[test]
    fn snooze_sets_or_adds() {
        let text = "---\ntype: contact\nsnooze: 2026-01-01\n---\n";
        let n = note(text);
        assert_eq!(
            TextEdit::apply(text, &[snooze(&n, d("2027-01-15")).expect("an edit")]),
            "---\ntype: contact\nsnooze: 2027-01-15\n---\n"
        );
        let text = "---\ntype: contact\n---\n";
        let n = note(text);
        assert_eq!(
            TextEdit::apply(text, &[snooze(&n, d("2027-01-15")).expect("an edit")]),
            "---\ntype: contact\nsnooze: 2027-01-15\n---\n"
        );
    }

    fn snoozed(text: &str) -> Option<String> {
        snooze(&note(text), d("2027-01-15")).map(|e| TextEdit::apply(text, &[e]))
    }

    #[test]
    fn snooze_in_every_shape_of_front_matter() {
        let cases = [
            (
                "---\n{type: contact, name: Jana}\n---\nx\n",
                "---\n{type: contact, name: Jana, snooze: 2027-01-15}\n---\nx\n",
            ),
            ("---\n{}\n---\n", "---\n{snooze: 2027-01-15}\n---\n"),
            (
                "---\n  type: contact\n  name: Jana\n---\n",
                "---\n  type: contact\n  name: Jana\n  snooze: 2027-01-15\n---\n",
            ),
            ("---\ntype: contact\n? snooze\n---\n", "---\ntype: contact\n? snooze\n: 2027-01-15\n---\n"),
            ("---\nsnooze:\nname: Jana\n---\n", "---\nsnooze: 2027-01-15\nname: Jana\n---\n"),
            ("---\nsnooze: # later\n---\n", "---\nsnooze: 2027-01-15 # later\n---\n"),
            ("# Jana\n", "---\nsnooze: 2027-01-15\n---\n# Jana\n"),
        ];
        for (text, want) in cases {
            assert_eq!(snoozed(text).as_deref(), Some(want), "{text:?}");
        }
        // The key would not read back: no edit rather than a broken note.
        assert_eq!(snoozed("---\nname: [Jana\n---\n"), None);
    }

    #[test]
    fn no_snooze_past_year_9999() {
        let n = note("---\ntype: contact\n---\n");
        assert!(snooze(&n, d("9999-12-31")).is_some());
        let past = chrono::NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap();
        assert_eq!(snooze(&n, past), None);
    }

    #[test]
    fn log_entry_does_not_land_in_what_the_note_leaves_open() {
        assert_eq!(
            logged("---\ntype: contact\n---\n# Jana\n```\ncode\n", "2026-12-01"),
            "---\ntype: contact\n---\n# Jana\n## Log\n- 2026-12-01 #thanks Card\n\n```\ncode\n"
        );
        assert_eq!(
            logged("---\ntype: contact\n---\n<!-- draft\n", "2026-12-01"),
            "---\ntype: contact\n---\n## Log\n- 2026-12-01 #thanks Card\n\n<!-- draft\n"
        );
    }

    #[test]
    fn slugs_and_scalars() {
        assert_eq!(slug("Jana Müller"), "jana-mueller");
        assert_eq!(slug("Chloé Dubois"), "chloe-dubois");
        assert_eq!(slug("Søren 🎨 Hansen"), "soren-hansen");
        assert_eq!(slug("Jana Mu\u{308}ller"), "jana-mueller");
        assert_eq!(slug("Иван Петров"), "иван-петров");
        assert_eq!(slug("王伟"), "王伟");
        assert_eq!(slug("नमस्ते जी"), "नमस्ते-जी");
        assert_eq!(slug("?!"), "contact");
        assert_eq!(slug("Con"), "con-contact");
        assert_eq!(slug("LPT1"), "lpt1-contact");
        assert_eq!(slug("Com 9"), "com-9");
        assert_eq!(slug("Aux Ilia"), "aux-ilia");
        let long = slug(&"Ölçek ".repeat(60));
        assert!(long.len() <= 120 && long.starts_with("oelcek-oelcek") && !long.ends_with('-'), "{long}");
        assert!(slug(&"王".repeat(100)).len() <= 120);
        assert_eq!(yaml_scalar("Jana Müller"), "Jana Müller");
        assert_eq!(yaml_scalar("Acme: Labs"), "\"Acme: Labs\"");
        assert_eq!(yaml_scalar("123"), "\"123\"");
    }

    /// What cannot stand plainly is escaped, and reads back as it was.
    #[test]
    fn scalars_escape_what_cannot_stand_plainly() {
        let cases = [
            ("a\tb", "\"a\\tb\""),
            ("a\nb\r", "\"a\\nb\\r\""),
            ("bell\u{7}", "\"bell\\x07\""),
            ("nel\u{85}", "\"nel\\x85\""),
            ("Jana\u{202E}rellüM", "\"Jana\\u202ErellüM\""),
            ("zero\u{200B}width", "\"zero\\u200Bwidth\""),
            ("bom\u{FEFF}", "\"bom\\uFEFF\""),
            ("line\u{2028}sep", "\"line\\u2028sep\""),
            ("say \"hi\" \\ bye: now", "\"say \\\"hi\\\" \\\\ bye: now\""),
        ];
        for (value, written) in cases {
            assert_eq!(yaml_scalar(value), written, "{value:?}");
            let text = format!("---\nname: {written}\naliases: [{written}]\n---\n");
            let n = note(&text);
            assert_eq!(n.front.name.as_ref().map(|n| n.value.as_str()), Some(value), "{text}");
            assert_eq!(n.front.aliases.first().map(|a| a.value.as_str()), Some(value), "{text}");
        }
        // Joiners are part of emoji and of several scripts: plain.
        assert_eq!(yaml_scalar("👩\u{200D}💻 Mehr\u{200C}dad"), "👩\u{200D}💻 Mehr\u{200C}dad");
    }
}
