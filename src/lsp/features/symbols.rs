//! The outline of a note, contacts by name across the vault, and the
//! one-line summary above a contact note.

use super::Ctx;
use crate::engine::names::fold;
use crate::engine::note::{Item, Note, TaskStatus};
use crate::engine::rules::plain_words;
use crate::engine::summary::ContactSummary;
use crate::engine::vault::NoteId;
use crate::lsp::proto::{self, Conv};
use crate::lsp::state::{SpaceKey, World};
use std::collections::HashMap;
use std::ops::Range;
use tower_lsp_server::lsp_types::{CodeLens, Command, DocumentSymbol, OneOf, Position, SymbolKind, WorkspaceSymbol};

/// Workspace symbols returned at most.
const LIMIT: usize = 100;

fn symbol(
    conv: &Conv,
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: Range<usize>,
    selection: Range<usize>,
) -> DocumentSymbol {
    #[allow(deprecated)] // `deprecated` is a required field of the struct.
    DocumentSymbol {
        name: if name.trim().is_empty() { "(untitled)".into() } else { name },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: conv.range(range),
        selection_range: conv.range(selection),
        children: None,
    }
}

/// An entry as "2026-11-20 #news", a follow-up as "[ ] words".
fn item_symbol(note: &Note, conv: &Conv, item: &Item) -> Option<DocumentSymbol> {
    let words = plain_words(note.slice(item.words()));
    let date = item.date.as_ref().map(|(_, range)| note.slice(*range).to_string());
    let range = item.first_line.start()..item.full.end().max(item.first_line.end());
    if let Some(status) = item.task {
        if !note.is_contact {
            return None;
        }
        let mark = if status == TaskStatus::Open { "[ ]" } else { "[x]" };
        let name = match &date {
            Some(date) => format!("{mark} {date} {words}"),
            None => format!("{mark} {words}"),
        };
        return Some(symbol(conv, name, None, SymbolKind::BOOLEAN, range, item.first_line.range()));
    }
    if !item.has_kinds() {
        return None;
    }
    let tags: Vec<&str> = note.kinds(item).iter().map(|k| note.slice(k.range)).collect();
    let name = match &date {
        Some(date) => format!("{date} {}", tags.join(" ")),
        None => tags.join(" "),
    };
    let detail = (!words.is_empty()).then_some(words);
    Some(symbol(conv, name, detail, SymbolKind::EVENT, range, item.first_line.range()))
}

/// The note's outline: headings nesting what stands under them, entries and
/// follow-ups as leaves; a contact note is one symbol holding it all.
pub fn document_symbols(ctx: &Ctx) -> Vec<DocumentSymbol> {
    let note = ctx.note;
    let conv = &ctx.conv;
    enum Part {
        Heading(u8, Range<usize>, String),
        Item(DocumentSymbol),
    }
    let mut parts: Vec<(usize, Part)> = Vec::new();
    for h in &note.headings {
        parts.push((h.range.start(), Part::Heading(h.level, h.range.range(), h.title.to_string())));
    }
    for item in &note.items {
        if let Some(s) = item_symbol(note, conv, item) {
            parts.push((item.first_line.start(), Part::Item(s)));
        }
    }
    parts.sort_by_key(|(at, _)| *at);
    // Each open heading: its level, its symbol, and its children so far.
    let mut stack: Vec<(u8, DocumentSymbol, Vec<DocumentSymbol>)> = Vec::new();
    let mut top: Vec<DocumentSymbol> = Vec::new();
    let end = note.text.len();
    let close =
        |stack: &mut Vec<(u8, DocumentSymbol, Vec<DocumentSymbol>)>, top: &mut Vec<DocumentSymbol>, until: usize| {
            let (_, mut s, children) = stack.pop().expect("open heading");
            s.range.end = conv.position(until);
            s.children = (!children.is_empty()).then_some(children);
            match stack.last_mut() {
                Some(parent) => parent.2.push(s),
                None => top.push(s),
            }
        };
    for (at, part) in parts {
        match part {
            Part::Heading(level, range, title) => {
                while stack.last().is_some_and(|(l, _, _)| *l >= level) {
                    close(&mut stack, &mut top, at);
                }
                let line = note.lines.line_range(&note.text, note.lines.line_of(range.start)).unwrap_or(range.clone());
                stack.push((
                    level,
                    symbol(conv, title, None, SymbolKind::NAMESPACE, range.start..end, line),
                    Vec::new(),
                ));
            }
            Part::Item(s) => match stack.last_mut() {
                Some(parent) => parent.2.push(s),
                None => top.push(s),
            },
        }
    }
    while !stack.is_empty() {
        close(&mut stack, &mut top, end);
    }
    if !note.is_contact {
        return top;
    }
    let detail =
        [note.front.role.as_deref(), note.front.org.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" at ");
    let name_range = note.front.name.as_ref().map_or_else(|| note.first_line(), |n| n.range.clone());
    let mut contact = symbol(
        conv,
        note.display_name().to_string(),
        (!detail.is_empty()).then_some(detail),
        SymbolKind::OBJECT,
        0..end,
        name_range,
    );
    contact.children = Some(top);
    vec![contact]
}

/// How well `query` matches `name` as a case-insensitive subsequence:
/// `None` when it does not; lower is better (a prefix, then word starts).
fn fuzzy(query: &str, name: &str) -> Option<(u8, usize)> {
    if query.is_empty() {
        return Some((0, 0));
    }
    if name.starts_with(query) {
        return Some((0, 0));
    }
    if let Some(at) = name.find(query) {
        let word_start = at == 0 || name[..at].ends_with([' ', '-', '_', '.']);
        return Some((if word_start { 1 } else { 2 }, at));
    }
    let mut chars = name.char_indices();
    let mut gaps = 0;
    let mut last = None;
    for q in query.chars() {
        let (i, _) = chars.by_ref().find(|(_, c)| *c == q)?;
        if let Some(prev) = last {
            gaps += i - prev - 1;
        }
        last = Some(i);
    }
    Some((3, gaps))
}

/// Contacts whose name or alias matches the query, best first.
pub fn workspace_symbols(world: &World, query: &str) -> Vec<WorkspaceSymbol> {
    let space = &world.main;
    let query = fold(query);
    let mut best: HashMap<NoteId, ((u8, usize), usize)> = HashMap::new();
    for (i, name) in space.names.iter().enumerate() {
        if let Some(score) = fuzzy(&query, &name.folded) {
            let entry = best.entry(name.id).or_insert((score, i));
            if score < entry.0 {
                *entry = (score, i);
            }
        }
    }
    let mut ranked: Vec<((u8, usize), usize)> = best.into_values().collect();
    ranked.sort_by(|a, b| (a.0, &space.names[a.1].folded).cmp(&(b.0, &space.names[b.1].folded)));
    ranked
        .into_iter()
        .take(LIMIT)
        .filter_map(|(_, i)| {
            let name = &space.names[i];
            let note = space.vault.note(name.id)?;
            let uri = world.uri_of(&SpaceKey::Main, &note.path)?;
            let range = Conv::new(note, world.enc).range(proto::name_range(note));
            Some(WorkspaceSymbol {
                name: note.display_name().to_string(),
                kind: SymbolKind::OBJECT,
                tags: None,
                container_name: note.front.org.as_ref().map(|o| o.to_string()),
                location: OneOf::Left(tower_lsp_server::lsp_types::Location { uri, range }),
                data: None,
            })
        })
        .collect()
}

/// The contact's summary in one line, above the note.
pub fn code_lens(ctx: &Ctx) -> Vec<CodeLens> {
    if !ctx.note.is_contact {
        return Vec::new();
    }
    let today = ctx.world.today;
    let Some(summary) = ContactSummary::new(&ctx.space.vault, ctx.id, today) else { return Vec::new() };
    let at = Position::new(0, 0);
    vec![CodeLens {
        range: tower_lsp_server::lsp_types::Range { start: at, end: at },
        command: Some(Command { title: summary.one_line(today), command: String::new(), arguments: None }),
        data: None,
    }]
}

#[cfg(test)]
mod tests {
    use super::fuzzy;

    #[test]
    fn fuzzy_ranks_prefix_word_start_subsequence() {
        assert_eq!(fuzzy("jan", "jana müller"), Some((0, 0)));
        assert_eq!(fuzzy("mül", "jana müller"), Some((1, 5)));
        assert_eq!(fuzzy("jm", "jana müller").map(|s| s.0), Some(3));
        assert_eq!(fuzzy("xyz", "jana müller"), None);
    }
}
