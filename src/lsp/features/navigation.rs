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

pub fn prepare_rename(ctx: &Ctx, pos: Position) -> Option<PrepareRenameResponse> {
    let offset = ctx.conv.offset(pos);
    let (target, range) = ctx.contact_at(offset)?;
    let contact = ctx.note_of(target)?;
    Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: ctx.conv.range(range),
        placeholder: contact.display_name().to_string(),
    })
}

/// LSP's `RequestFailed`: the request was valid, but the server could not carry it out.
const REQUEST_FAILED: i64 = -32803;

/// Renames a contact: its `name` (added when the name came from the file
/// name), its title when that is its name, and the target of every link to
/// it, keeping `|labels` and `#headings`. Links written with one of its
/// aliases still resolve and are left as they are.
pub fn rename(ctx: &Ctx, pos: Position, new_name: &str) -> jsonrpc::Result<Option<WorkspaceEdit>> {
    let new_name = new_name.trim();
    if new_name.is_empty() || new_name.contains(['[', ']', '|', '#', '^', '\n', '\r']) {
        return Err(jsonrpc::Error::invalid_params(
            "a contact's name cannot be empty or hold [ ] | # ^ or a line break",
        ));
    }
    let offset = ctx.conv.offset(pos);
    let Some((target, _)) = ctx.contact_at(offset) else { return Ok(None) };
    let Some(contact) = ctx.note_of(target) else { return Ok(None) };
    let mut edits: HashMap<String, Vec<CoreEdit>> = HashMap::new();
    let own = edits.entry(contact.path.to_string()).or_default();
    match &contact.front.name {
        Some(name) => own
            .push(CoreEdit { range: name.range.clone(), new_text: name_value(contact, name.range.clone(), new_name) }),
        None => match edit::set_key(contact, "name", &edit::yaml_scalar(new_name)) {
            Some(edit) => own.push(edit),
            // Links renamed to a name the contact does not have would all break.
            None => {
                return Err(jsonrpc::Error {
                    code: jsonrpc::ErrorCode::ServerError(REQUEST_FAILED),
                    message: format!(
                        "kith cannot add `name:` to the front matter of {} safely — add it by hand, then rename",
                        contact.path
                    )
                    .into(),
                    data: None,
                });
            }
        },
    }
    if let Some(title) = title_range(contact) {
        own.push(CoreEdit { range: title, new_text: new_name.to_string() });
    }
    let aliases: Vec<String> = contact.front.aliases.iter().map(|a| fold(&a.value)).collect();
    let by_name = [fold(contact.display_name()), fold(names::file_stem(&contact.path))];
    for (note, link) in links_to(ctx, target) {
        let link = &note.links[link];
        let written = fold(note.target(link));
        if aliases.contains(&written) && !by_name.contains(&written) {
            continue;
        }
        edits
            .entry(note.path.to_string())
            .or_default()
            .push(CoreEdit { range: link.target_range.range(), new_text: new_name.to_string() });
    }
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (path, list) in edits {
        let (Some(note), Some(uri)) = (ctx.space.vault.by_path(&path), ctx.uri_of(&path)) else { continue };
        let conv = Conv::new(note, ctx.world.enc);
        changes.entry(uri).or_default().extend(list.iter().map(|e| conv.edit(e)));
    }
    Ok(Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }))
}

/// The new `name:` value, quoted as the old one was when it was quoted.
fn name_value(note: &Note, range: Range<usize>, new_name: &str) -> String {
    let old = note.slice(range.clone());
    let inside_quotes = !old.starts_with(['"', '\'']) && note.text[..range.start].ends_with(['"', '\'']);
    if inside_quotes {
        if note.text[..range.start].ends_with('\'') {
            new_name.replace('\'', "''")
        } else {
            new_name.replace('\\', "\\\\").replace('"', "\\\"")
        }
    } else {
        edit::yaml_scalar(new_name)
    }
}
