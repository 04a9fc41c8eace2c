//! What the editor asks for, one module per feature. Each takes the note at
//! hand (as the vault holds it, with every edit applied) and byte offsets,
//! and answers in LSP terms through [`Conv`].

pub mod actions;
pub mod agenda;
pub mod completion;
pub mod hover;
pub mod navigation;
pub mod symbols;

use super::proto::Conv;
use super::state::{Space, SpaceKey, World};
use crate::engine::names::fold;
use crate::engine::note::{Heading, Link, Note};
use crate::engine::vault::{NoteId, Target};
use std::ops::Range;
use tower_lsp_server::lsp_types::{Location, Uri};

/// One note of one space, ready to answer a request about it.
pub struct Ctx<'a> {
    pub world: &'a World,
    pub key: SpaceKey,
    pub space: &'a Space,
    pub id: NoteId,
    pub note: &'a Note,
    pub conv: Conv<'a>,
}

impl<'a> Ctx<'a> {
    /// The context of a document; `None` for documents kith does not read.
    pub fn of(world: &'a World, uri: &Uri) -> Option<Ctx<'a>> {
        let (key, path) = world.locate(uri)?;
        let space = world.space(&key)?;
        let id = space.vault.id(&path)?;
        let note = space.vault.note(id)?;
        Some(Ctx { world, key, space, id, note, conv: Conv::new(note, world.enc) })
    }

    pub fn note_of(&self, id: NoteId) -> Option<&'a Note> {
        self.space.vault.note(id)
    }

    pub fn uri_of(&self, path: &str) -> Option<Uri> {
        self.world.uri_of(&self.key, path)
    }

    /// A byte range of another note of the space as a location.
    pub fn location(&self, note: &Note, range: Range<usize>) -> Option<Location> {
        Some(Location { uri: self.uri_of(&note.path)?, range: Conv::new(note, self.world.enc).range(range) })
    }

    /// The link whose `[[…]]` holds `offset` (its end included).
    pub fn link_at(&self, offset: usize) -> Option<(usize, &'a Link)> {
        self.note.links.iter().enumerate().find(|(_, l)| l.range.start() <= offset && offset <= l.range.end())
    }

    /// The note a link of this note resolves to.
    pub fn link_target(&self, link: usize) -> Option<NoteId> {
        match self.space.vault.resolved_links(self.id).get(link) {
            Some(Some(Target::Note(id))) => Some(*id),
            _ => None,
        }
    }

    /// The contact at `offset`, and the span that names it there: a link to
    /// the contact, or (in a contact note) its `name:` value or its title.
    pub fn contact_at(&self, offset: usize) -> Option<(NoteId, Range<usize>)> {
        if let Some((i, link)) = self.link_at(offset) {
            let target = self.link_target(i).filter(|&t| self.note_of(t).is_some_and(|n| n.is_contact))?;
            return Some((target, link.target_range.range()));
        }
        if !self.note.is_contact {
            return None;
        }
        if let Some(name) = self.note.front.name.as_ref().filter(|n| n.range.start <= offset && offset <= n.range.end) {
            return Some((self.id, name.range.clone()));
        }
        let title = title_range(self.note)?;
        (title.start <= offset && offset <= title.end).then_some((self.id, title))
    }
}

/// The text range of a contact note's level-1 title when it is the
/// contact's name.
pub fn title_range(note: &Note) -> Option<Range<usize>> {
    let name = fold(note.display_name());
    let heading = note.headings.iter().find(|h: &&Heading| h.level == 1 && fold(&h.title) == name)?;
    let text = note.slice(heading.range);
    let at = text.find(heading.title.as_str())?;
    let start = heading.range.start() + at;
    Some(start..start + heading.title.len())
}
