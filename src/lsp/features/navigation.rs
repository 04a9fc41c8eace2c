//! Go to a link's note, find every link to a contact, rename a contact.

use super::{Ctx, title_range};
use crate::engine::edit::{self, TextEdit as CoreEdit};
use crate::engine::names::{self, fold};
use crate::engine::note::Note;
use crate::engine::vault::{NoteId, Target};
use crate::lsp::proto::{self, Conv};
use std::collections::HashMap;
use std::ops::Range;
use tower_lsp_server::jsonrpc;
use tower_lsp_server::lsp_types::{Location, Position, PrepareRenameResponse, TextEdit, Uri, WorkspaceEdit};

/// The note a link points at: its name line, else its first line.
pub fn definition(ctx: &Ctx, pos: Position) -> Option<Location> {
    let offset = ctx.conv.offset(pos);
    let (i, _) = ctx.link_at(offset)?;
    let target = ctx.note_of(ctx.link_target(i)?)?;
    ctx.location(target, proto::name_range(target))
}

/// Every link that resolves to `target`, in path order, as (note, link range).
fn links_to<'a>(ctx: &Ctx<'a>, target: NoteId) -> Vec<(&'a Note, usize)> {
    let vault = &ctx.space.vault;
    let mut out: Vec<(&'a Note, usize)> = Vec::new();
    for (id, note) in vault.notes() {
        for (i, resolved) in vault.resolved_links(id).iter().enumerate() {
            if *resolved == Some(Target::Note(target)) {
                out.push((note, i));
            }
        }
    }
    out.sort_by(|a, b| (&*a.0.path, a.1).cmp(&(&*b.0.path, b.1)));
    out
}

/// Every link to the contact at the cursor, and its name if asked.
pub fn references(ctx: &Ctx, pos: Position, declaration: bool) -> Option<Vec<Location>> {
    let offset = ctx.conv.offset(pos);
    let (target, _) = ctx.contact_at(offset)?;
    let contact = ctx.note_of(target)?;
    let mut out = Vec::new();
    if declaration {
        out.extend(ctx.location(contact, proto::name_range(contact)));
    }
    for (note, link) in links_to(ctx, target) {
        out.extend(ctx.location(note, note.links[link].target_range.range()));
    }
    Some(out)
}

/// What a rename renames: a contact, or one of its aliases.
#[derive(Clone, Copy)]
enum Renamed {
    Contact(NoteId),
    /// The contact and the index of the alias in its `aliases`.
    Alias(NoteId, usize),
}

/// What a rename at `offset` renames, and the span that names it there. On
/// a link written with one of the contact's aliases, or on the alias in its
/// `aliases:`, that alias; elsewhere the contact (its `name:`, its title, a
/// link by name or path).
fn renamed_at(ctx: &Ctx, offset: usize) -> Option<(Renamed, Range<usize>)> {
    if ctx.note.is_contact {
        let alias = ctx.note.front.aliases.iter().position(|a| a.range.start <= offset && offset <= a.range.end);
        if let Some(index) = alias {
            return Some((Renamed::Alias(ctx.id, index), ctx.note.front.aliases[index].range.clone()));
        }
    }
    let (target, range) = ctx.contact_at(offset)?;
    let contact = ctx.note_of(target)?;
    let on_alias = ctx.link_at(offset).and_then(|(_, link)| alias_written(contact, ctx.note.target(link)));
    Some((on_alias.map_or(Renamed::Contact(target), |index| Renamed::Alias(target, index)), range))
}

/// The index of the alias a link target is written with, when it is not
/// also the contact's name or file name (which a contact's rename renames).
fn alias_written(contact: &Note, written: &str) -> Option<usize> {
    let written = fold(written);
    if written == fold(contact.display_name()) || written == fold(names::file_stem(&contact.path)) {
        return None;
    }
    contact.front.aliases.iter().position(|a| fold(&a.value) == written)
}

pub fn prepare_rename(ctx: &Ctx, pos: Position) -> Option<PrepareRenameResponse> {
    let offset = ctx.conv.offset(pos);
    let (renamed, range) = renamed_at(ctx, offset)?;
    let placeholder = match renamed {
        Renamed::Contact(id) => ctx.note_of(id)?.display_name().to_string(),
        Renamed::Alias(id, index) => ctx.note_of(id)?.front.aliases.get(index)?.value.to_string(),
    };
    Some(PrepareRenameResponse::RangeWithPlaceholder { range: ctx.conv.range(range), placeholder })
}

/// LSP's `RequestFailed`: the request was valid, but the server could not carry it out.
const REQUEST_FAILED: i64 = -32803;

fn failed(message: String) -> jsonrpc::Error {
    jsonrpc::Error { code: jsonrpc::ErrorCode::ServerError(REQUEST_FAILED), message: message.into(), data: None }
}

/// Renames a contact: its `name` (added when the name came from the file
/// name), its title when that is its name, and the target of every link to
/// it, keeping `|labels` and `#headings`. Links written with one of its
/// aliases still resolve and are left as they are. On an alias (a link
/// written with it, or the alias in `aliases:`), renames that alias and the
/// links written with it instead.
///
/// A name another note already answers to is refused: links to that note
/// would silently move to this contact, or the other way round.
pub fn rename(ctx: &Ctx, pos: Position, new_name: &str) -> jsonrpc::Result<Option<WorkspaceEdit>> {
    let new_name = new_name.trim();
    if new_name.is_empty() || new_name.contains(['[', ']', '|', '#', '^', '\n', '\r']) {
        return Err(jsonrpc::Error::invalid_params(
            "a contact's name cannot be empty or hold [ ] | # ^ or a line break",
        ));
    }
    let offset = ctx.conv.offset(pos);
    let Some((renamed, _)) = renamed_at(ctx, offset) else { return Ok(None) };
    let (Renamed::Contact(target) | Renamed::Alias(target, _)) = renamed;
    let Some(contact) = ctx.note_of(target) else { return Ok(None) };
    let vault = &ctx.space.vault;
    let folded = fold(new_name);
    let describe = |id: NoteId| vault.note(id).map(|n| format!("{} ({})", n.display_name(), n.path));
    let taken = match vault.resolve(new_name) {
        Some(Target::Note(id)) if id != target => describe(id),
        Some(Target::File) => Some("a file of the vault".to_string()),
        _ => None,
    }
    .or_else(|| vault.contacts_named(&folded).into_iter().find(|&id| id != target).and_then(describe));
    if let Some(other) = taken {
        return Err(failed(format!(
            "“{new_name}” already leads to {other}: links to either would point at the wrong one — choose another name"
        )));
    }
    let mut edits: HashMap<String, Vec<CoreEdit>> = HashMap::new();
    let own = edits.entry(contact.path.to_string()).or_default();
    // Which links follow: those written with the old name (or file name), or with the alias.
    let follows: Box<dyn Fn(&str) -> bool> = match renamed {
        Renamed::Contact(_) => {
            let Some(edit) = edit::set_name(contact, new_name) else {
                // Links renamed to a name the contact does not have would all break.
                return Err(failed(format!(
                    "kith cannot change `name:` in the front matter of {} safely — change it by hand, then rename",
                    contact.path
                )));
            };
            own.push(edit);
            if let Some(title) = title_range(contact) {
                own.push(CoreEdit { range: title, new_text: new_name.to_string() });
            }
            Box::new(|written| alias_written(contact, written).is_none())
        }
        Renamed::Alias(_, index) => {
            let Some(edit) = edit::set_alias(contact, index, new_name) else {
                return Err(failed(format!(
                    "kith cannot change `aliases:` in the front matter of {} safely — change it by hand, then rename",
                    contact.path
                )));
            };
            own.push(edit);
            Box::new(move |written| alias_written(contact, written) == Some(index))
        }
    };
    for (note, link) in links_to(ctx, target) {
        let link = &note.links[link];
        if follows(note.target(link)) {
            edits
                .entry(note.path.to_string())
                .or_default()
                .push(CoreEdit { range: link.target_range.range(), new_text: new_name.to_string() });
        }
    }
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (path, list) in edits {
        let (Some(note), Some(uri)) = (ctx.space.vault.by_path(&path), ctx.uri_of(&path)) else { continue };
        let conv = Conv::new(note, ctx.world.enc);
        changes.entry(uri).or_default().extend(list.iter().map(|e| conv.edit(e)));
    }
    Ok(Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }))
}
