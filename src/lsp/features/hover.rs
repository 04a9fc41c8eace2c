//! Hover: a contact's card on a link to them or on their own name, and a
//! kind's meaning on its tag.

use super::Ctx;
use crate::engine::kinds::Kind;
use crate::engine::summary::ContactSummary;
use crate::engine::vault::NoteId;
use std::ops::Range;
use tower_lsp_server::lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

pub fn hover(ctx: &Ctx, pos: Position) -> Option<Hover> {
    let offset = ctx.conv.offset(pos);
    if let Some(item) = ctx.note.items.iter().find(|i| i.first_line.start() <= offset && offset <= i.first_line.end()) {
        if let Some(tag) = ctx.note.kinds(item).iter().find(|k| k.range.contains(offset)) {
            return Some(markdown(ctx, kind_text(ctx, ctx.note.slice(tag.range), tag.kind), tag.range.range()));
        }
    }
    if let Some((i, link)) = ctx.link_at(offset).filter(|(_, l)| offset < l.range.end()) {
        let target = ctx.link_target(i).and_then(|t| Some((t, ctx.note_of(t)?)));
        let text = match target {
            Some((id, note)) if note.is_contact => card(ctx, id)?,
            Some((_, note)) => format!("`{}`", note.path),
            None => return None,
        };
        return Some(markdown(ctx, text, link.range.range()));
    }
    let (id, range) = ctx.contact_at(offset).filter(|(id, _)| *id == ctx.id)?;
    Some(markdown(ctx, card(ctx, id)?, range))
}

fn card(ctx: &Ctx, id: NoteId) -> Option<String> {
    let today = ctx.world.today;
    Some(ContactSummary::new(&ctx.space.vault, id, today)?.card(today))
}

fn kind_text(ctx: &Ctx, written: &str, kind: Kind) -> String {
    let name = written.trim_start_matches('#');
    if ctx.space.vault.config.kinds.contains_key(&name.to_lowercase()) {
        format!("**#{name}** counts as **#{}**: {}", kind.name(), kind.meaning())
    } else {
        format!("**#{}** — {}", kind.name(), kind.meaning())
    }
}

fn markdown(ctx: &Ctx, value: String, range: Range<usize>) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }),
        range: Some(ctx.conv.range(range)),
    }
}
