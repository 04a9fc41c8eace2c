//! Completion: contacts after `[[`, kinds at an entry's tag, dates at the
//! start of a list item, keys and values in front matter.

use super::Ctx;
use crate::engine::date::{Date, Span, Unit};
use crate::engine::kinds::Kind;
use crate::engine::names::{self, fold};
use crate::engine::note::front_matter::{self, KNOWN_KEYS};
use crate::engine::vault::{NoteId, Target};
use chrono::{Datelike, Weekday};
use std::collections::{BTreeSet, HashSet};
use std::ops::Range;
use tower_lsp_server::lsp_types::{
    CompletionItem, CompletionItemKind, CompletionItemLabelDetails, CompletionList, CompletionResponse,
    CompletionTextEdit, Documentation, MarkupContent, MarkupKind, Position, TextEdit,
};

/// Contacts offered at most per request; the list is marked incomplete past it.
const LIMIT: usize = 50;

pub fn completion(ctx: &Ctx, pos: Position) -> Option<CompletionResponse> {
    let text = ctx.note.text.as_str();
    let offset = ctx.conv.offset(pos);
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = text[offset..].find(['\n', '\r']).map_or(text.len(), |i| offset + i);
    let line = Line { text, start: line_start, cursor: offset, end: line_end };
    if let Some((content, closed)) = front_matter_content(ctx) {
        let inside = offset < content.end || (!closed && offset == content.end);
        if inside && line_start >= content.start {
            return front_matter(ctx, &line, content);
        }
        if inside {
            return None;
        }
    }
    if let Some(open) = line.before().rfind("[[") {
        let typed = &line.before()[open + 2..];
        if !typed.contains("]]") && !typed.contains(['|', '#', '^']) {
            return Some(contacts(ctx, &line, line.start + open + 2));
        }
    }
    let rest = after_marker(line.before())?;
    let rest_start = line.cursor - rest.len();
    if let Some(tag) = kind_position(rest) {
        return Some(kinds(ctx, &line, rest_start + tag));
    }
    if rest.chars().all(|c| c.is_alphanumeric() || c == '-') {
        return Some(dates(ctx, &line, rest_start));
    }
    None
}

/// The line the cursor stands on, as offsets into the note's text.
struct Line<'a> {
    text: &'a str,
    start: usize,
    cursor: usize,
    end: usize,
}

impl Line<'_> {
    fn before(&self) -> &str {
        &self.text[self.start..self.cursor]
    }

    fn after(&self) -> &str {
        &self.text[self.cursor..self.end]
    }

    /// The end of the word the cursor stands in: the cursor plus the word's
    /// characters after it.
    fn word_end(&self, is_word: impl Fn(char) -> bool) -> usize {
        self.cursor + self.after().find(|c: char| !is_word(c)).unwrap_or(self.after().len())
    }
}

fn edit_item(
    ctx: &Ctx,
    label: String,
    range: Range<usize>,
    new_text: String,
    kind: CompletionItemKind,
) -> CompletionItem {
    CompletionItem {
        label,
        kind: Some(kind),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit { range: ctx.conv.range(range), new_text })),
        ..CompletionItem::default()
    }
}

fn list(items: Vec<CompletionItem>, incomplete: bool) -> CompletionResponse {
    CompletionResponse::List(CompletionList { is_incomplete: incomplete, items })
}

/// Contacts by name and alias for the link target starting at `start`.
fn contacts(ctx: &Ctx, line: &Line, start: usize) -> CompletionResponse {
    let typed = fold(&line.text[start..line.cursor]);
    let end = line.word_end(|c| !matches!(c, ']' | '|' | '#' | '^'));
    let rest = &line.text[end..line.end];
    let closed = rest.starts_with("]]") || rest.starts_with(['|', '#', '^']);
    let names = &ctx.space.names;
    // Names that start with what was typed first, then names containing it.
    let from = names.partition_point(|n| n.folded.as_str() < typed.as_str());
    let mut picked: Vec<usize> =
        (from..names.len()).take_while(|&i| names[i].folded.starts_with(&typed)).take(LIMIT + 1).collect();
    if picked.len() <= LIMIT && !typed.is_empty() {
        let taken: HashSet<usize> = picked.iter().copied().collect();
        let more = (0..names.len()).filter(|i| !taken.contains(i) && names[*i].folded.contains(&typed));
        picked.extend(more.take(LIMIT + 1 - picked.len()));
    }
    let incomplete = picked.len() > LIMIT;
    picked.truncate(LIMIT);
    let items = picked
        .into_iter()
        .enumerate()
        .filter_map(|(rank, i)| {
            let name = &names[i];
            let contact = ctx.note_of(name.id)?;
            let mut detail = Vec::new();
            if let Some(org) = &contact.front.org {
                detail.push(org.to_string());
            }
            detail.push(match last_touch(ctx, name.id) {
                Some(last) => format!("last touch {last}"),
                None => "no touch yet".into(),
            });
            let written = leading_to(ctx, name.id, &name.label, rest);
            let new_text = if closed { written } else { format!("{written}]]") };
            let mut item = edit_item(ctx, name.label.clone(), start..end, new_text, CompletionItemKind::REFERENCE);
            item.detail = Some(detail.join(" · "));
            if name.alias {
                let of = contact.display_name().to_string();
                if ctx.world.client.label_details {
                    item.label_details = Some(CompletionItemLabelDetails { detail: None, description: Some(of) });
                } else {
                    item.detail = Some(format!("alias of {of} · {}", detail.join(" · ")));
                }
            }
            item.filter_text = Some(name.label.clone());
            item.sort_text = Some(format!("{rank:03}"));
            Some(item)
        })
        .collect();
    list(items, incomplete)
}

/// What to write for a link to `id` picked by `label`: the label itself,
/// unless it leads elsewhere (an alias or name two contacts share); then the
/// contact's name, else its path, with the label kept as the link's text.
/// `rest` is what follows the target already (`]]`, `|label`, `#heading`).
fn leading_to(ctx: &Ctx, id: NoteId, label: &str, rest: &str) -> String {
    let vault = &ctx.space.vault;
    let leads_here = |target: &str| vault.resolve(target) == Some(Target::Note(id));
    if leads_here(label) {
        return label.to_string();
    }
    let Some(contact) = ctx.note_of(id) else { return label.to_string() };
    let path = names::without_extension(&contact.path);
    let target = [contact.display_name(), path, &contact.path].into_iter().find(|t| leads_here(t)).unwrap_or(path);
    if rest.starts_with(['|', '#', '^']) { target.to_string() } else { format!("{target}|{label}") }
}

/// The last touch of a contact up to today.
fn last_touch(ctx: &Ctx, id: NoteId) -> Option<Date> {
    let today = ctx.world.today;
    ctx.space.vault.entries(id).iter().filter(|e| e.is_touch() && e.date <= today).map(|e| e.date).max()
}

/// What follows a list marker (`- `, `* `, `+ `, `1. `, `1) `), if the line
/// is a list item that is not a task.
fn after_marker(before: &str) -> Option<&str> {
    let trimmed = before.trim_start();
    let rest = if let Some(rest) = trimmed.strip_prefix(['-', '*', '+']) {
        rest
    } else {
        let digits = trimmed.find(|c: char| !c.is_ascii_digit())?;
        if digits == 0 {
            return None;
        }
        trimmed[digits..].strip_prefix(['.', ')'])?
    };
    let text = rest.trim_start_matches([' ', '\t']);
    if text.len() == rest.len() || text.starts_with('[') {
        return None;
    }
    Some(text)
}

/// Where a kind tag starts in an item's text: after the date and any tags
/// before it, either at a `#` being typed or at the blank after them.
fn kind_position(rest: &str) -> Option<usize> {
    let mut pos = 0;
    let bytes = rest.as_bytes();
    if rest.len() >= 10 && crate::engine::date::date_shape_prefix(rest).is_some() {
        if rest.len() == 10 || !matches!(bytes[10], b' ' | b'\t') {
            return None;
        }
        pos = 10;
    }
    loop {
        let skipped = rest[pos..].len() - rest[pos..].trim_start_matches([' ', '\t']).len();
        if skipped == 0 && pos > 0 {
            return None;
        }
        pos += skipped;
        if pos == rest.len() {
            // A blank right after the date (or the tags): a tag goes here.
            return (pos > 0).then_some(pos);
        }
        let tag = rest[pos..].strip_prefix('#')?;
        let len = tag.find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '/'))).unwrap_or(tag.len());
        if pos + 1 + len == rest.len() {
            return Some(pos);
        }
        pos += 1 + len;
    }
}

fn kinds(ctx: &Ctx, line: &Line, at: usize) -> CompletionResponse {
    let end = line.word_end(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/'));
    let mut items: Vec<CompletionItem> = Kind::ALL
        .iter()
        .map(|kind| {
            let label = format!("#{}", kind.name());
            let mut item = edit_item(ctx, label.clone(), at..end, label, CompletionItemKind::ENUM_MEMBER);
            item.detail = Some(kind.meaning().to_string());
            item
        })
        .collect();
    for (alias, kind) in &ctx.space.vault.config.kinds {
        let label = format!("#{alias}");
        let mut item = edit_item(ctx, label.clone(), at..end, label, CompletionItemKind::ENUM_MEMBER);
        item.detail = Some(format!("counts as #{}: {}", kind.name(), kind.meaning()));
        items.push(item);
    }
    for (rank, item) in items.iter_mut().enumerate() {
        item.sort_text = Some(format!("{rank:02}"));
    }
    list(items, false)
}

/// Today's date, yesterday and the last seven weekdays, as ISO dates.
fn dates(ctx: &Ctx, line: &Line, at: usize) -> CompletionResponse {
    let today = ctx.world.today;
    let end = line.word_end(|c| c.is_alphanumeric() || c == '-');
    let mut choices: Vec<(String, String, Date)> = vec![(today.to_string(), "today".into(), today)];
    if let Some(yesterday) = today.pred_opt() {
        choices.push(("yesterday".into(), yesterday.to_string(), yesterday));
    }
    let mut day = today;
    for _ in 0..7 {
        let Some(before) = day.pred_opt() else { break };
        day = before;
        choices.push((weekday_name(day.weekday()).into(), day.to_string(), day));
    }
    let items = choices
        .into_iter()
        .enumerate()
        .map(|(rank, (label, detail, date))| {
            let mut item = edit_item(ctx, label.clone(), at..end, format!("{date} "), CompletionItemKind::VALUE);
            item.filter_text = Some(format!("{label} {detail}"));
            item.detail = Some(detail);
            item.sort_text = Some(format!("{rank:02}"));
            item
        })
        .collect();
    list(items, false)
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

/// The YAML between the delimiters, and whether it is closed; while the
/// closing `---` is still missing, everything after the opening line.
fn front_matter_content(ctx: &Ctx) -> Option<(Range<usize>, bool)> {
    match front_matter::locate(&ctx.note.text, ctx.note.start) {
        Ok(Some(found)) => Some((found.content, true)),
        Ok(None) => None,
        Err(opening) => {
            let text = &ctx.note.text;
            let after = text[opening.end..].find('\n').map_or(text.len(), |i| opening.end + i + 1);
            Some((after..text.len(), false))
        }
    }
}

fn key_help(key: &str) -> &'static str {
    match key {
        "type" => "`contact` makes this a contact note",
        "name" => "the display name; default: the file name",
        "aliases" => "other names that [[links]] may use",
        "tags" => "tags; `contact`, `person` or `people` make a contact note",
        "org" => "organisation",
        "role" => "role or job title",
        "email" => "email address",
        "phone" => "phone number, in quotes",
        "cadence" => "keep-in-touch interval: 2w, 1m, quarterly, …",
        "birthday" => "YYYY-MM-DD, or --MM-DD without the year",
        "snooze" => "no overdue-touch warning until this date",
        "kith" => "kith settings for this note: ignore: [rule, …]",
        _ => "the date of an ordinary note",
    }
}

fn front_matter(ctx: &Ctx, line: &Line, content: Range<usize>) -> Option<CompletionResponse> {
    let before = line.before();
    let present: BTreeSet<String> = ctx.note.text[content.clone()]
        .lines()
        .filter_map(|l| l.split_once(':').map(|(k, _)| k))
        .filter(|k| !k.starts_with([' ', '\t', '-', '#']))
        .map(|k| k.trim().to_lowercase())
        .collect();
    // A key being typed at the start of the line.
    if before.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
        let end = line.word_end(|c| c.is_alphanumeric() || c == '_' || c == '-');
        if line.text[end..line.end].trim_start().starts_with(':') {
            return None;
        }
        let items = KNOWN_KEYS
            .iter()
            .filter(|k| !present.contains(**k) || before.eq_ignore_ascii_case(k))
            .enumerate()
            .map(|(rank, key)| {
                let mut item =
                    edit_item(ctx, key.to_string(), line.start..end, format!("{key}: "), CompletionItemKind::PROPERTY);
                item.detail = Some(key_help(key).to_string());
                item.sort_text = Some(format!("{rank:02}"));
                item
            })
            .collect();
        return Some(list(items, false));
    }
    // A value after `key:`, or an item of a block list under `tags:`.
    let (key, value_start) = match before.split_once(':') {
        Some((key, _)) if !key.starts_with([' ', '\t']) => {
            let after_colon = line.start + key.len() + 1;
            let blank =
                line.text[after_colon..line.cursor].len() - line.text[after_colon..line.cursor].trim_start().len();
            (key.trim().to_lowercase(), after_colon + blank)
        }
        _ => {
            let item = before.trim_start().strip_prefix('-')?;
            let key = parent_key(ctx, line.start, content.start)?;
            (key, line.cursor - item.trim_start().len())
        }
    };
    let today = ctx.world.today;
    let values: Vec<(String, String)> = match key.as_str() {
        "type" => vec![("contact".into(), "a contact note".into()), ("person".into(), "a contact note".into())],
        "cadence" => [
            ("2w", "every two weeks"),
            ("1m", "every month"),
            ("2m", "every two months"),
            ("quarterly", "every three months"),
            ("6m", "every six months"),
            ("yearly", "once a year"),
            ("weekly", "every week"),
            ("monthly", "every month"),
        ]
        .iter()
        .map(|(v, d)| (v.to_string(), d.to_string()))
        .collect(),
        "snooze" => {
            [(2, Unit::Week, "in two weeks"), (1, Unit::Month, "in a month"), (3, Unit::Month, "in three months")]
                .iter()
                .map(|&(count, unit, words)| (Span { count, unit }.after(today).to_string(), words.to_string()))
                .collect()
        }
        "tags" => return Some(tags(ctx, line, value_start)),
        _ => return None,
    };
    let end = line.end;
    let items = values
        .into_iter()
        .enumerate()
        .map(|(rank, (value, detail))| {
            let mut item = edit_item(ctx, value.clone(), value_start..end, value, CompletionItemKind::VALUE);
            item.detail = Some(detail);
            item.sort_text = Some(format!("{rank:02}"));
            item
        })
        .collect();
    Some(list(items, false))
}

/// The top-level key above a block-list item.
fn parent_key(ctx: &Ctx, line_start: usize, content_start: usize) -> Option<String> {
    let above = &ctx.note.text[content_start..line_start];
    let key_line = above.lines().rev().find(|l| !l.starts_with([' ', '\t', '-']) && !l.trim().is_empty())?;
    let (key, value) = key_line.split_once(':')?;
    value.trim().is_empty().then(|| key.trim().to_lowercase())
}

/// Tags already used in the vault, for a tag being typed.
fn tags(ctx: &Ctx, line: &Line, value_start: usize) -> CompletionResponse {
    let before = &line.text[value_start..line.cursor];
    let word_start = value_start + before.rfind(['[', ',', ' ']).map_or(0, |i| i + 1);
    let word_start =
        word_start + line.text[word_start..line.cursor].len() - line.text[word_start..line.cursor].trim_start().len();
    let end = line.word_end(|c| !matches!(c, ',' | ']' | ' '));
    // Tags already given: as the YAML says, and as the line says while it is being typed.
    let mut here: HashSet<String> = ctx.note.front.tags.iter().map(|t| t.to_lowercase().to_string()).collect();
    let typed = line.text[value_start..word_start].split([',', '[', ']', ' ']).filter(|t| !t.is_empty());
    here.extend(typed.map(str::to_lowercase));
    let mut used: BTreeSet<&str> = BTreeSet::new();
    for (_, note) in ctx.space.vault.notes() {
        used.extend(note.front.tags.iter().map(|t| t.as_str()));
    }
    let items = used
        .into_iter()
        .filter(|t| !here.contains(&t.to_lowercase()))
        .map(|tag| {
            let mut item = edit_item(ctx, tag.to_string(), word_start..end, tag.to_string(), CompletionItemKind::VALUE);
            item.documentation = Some(Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: "a tag used in this vault".into(),
            }));
            item
        })
        .collect();
    list(items, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items_and_tag_positions() {
        assert_eq!(after_marker("- "), Some(""));
        assert_eq!(after_marker("  * 2026"), Some("2026"));
        assert_eq!(after_marker("12. x"), Some("x"));
        assert_eq!(after_marker("- [ ] x"), None);
        assert_eq!(after_marker("-"), None);
        assert_eq!(after_marker("text"), None);
        assert_eq!(kind_position("2026-11-30 #"), Some(11));
        assert_eq!(kind_position("2026-11-30 #me"), Some(11));
        assert_eq!(kind_position("2026-11-30 #met #g"), Some(16));
        assert_eq!(kind_position("2026-11-30 "), Some(11));
        assert_eq!(kind_position("#"), Some(0));
        assert_eq!(kind_position("2026-11-30 #met words"), None);
        assert_eq!(kind_position("2026-11-30"), None);
        assert_eq!(kind_position(""), None);
    }
}
