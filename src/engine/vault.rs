//! The vault index: every note, who is a contact, what each `[[link]]`
//! points at, and which entries belong to which contact.
//!
//! The index is updated per file ([`Vault::upsert`], [`Vault::remove`]) so the
//! language server never rebuilds it for one edit. Link resolution is redone
//! vault-wide only when a change can move it: a note appears or disappears, or
//! a note's names change.

use super::config::Config;
use super::date::{Date, DateShape};
use super::kinds::Kind;
use super::names::{self, fold};
use super::note::{Note, Origin};
use compact_str::CompactString;
use rayon::prelude::*;
use smallvec::SmallVec;
use std::collections::HashMap;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;

pub type NoteId = u32;

/// What a `[[link]]` resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Note(NoteId),
    /// A file kith does not read (an attachment, an excluded or skipped note).
    File,
}

/// A file handed to the vault.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    pub origin: Origin,
}

/// One dated entry for one contact, wherever it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub note: NoteId,
    /// Index of the item in its note; for mentions, the item is `usize::MAX`.
    pub item: usize,
    /// For mentions: the link that is the touch.
    pub link: Option<usize>,
    pub date: Date,
    /// Inline: an entry has a kind or two, and a contact has many entries.
    pub kinds: SmallVec<[Kind; 16]>,
    /// Byte offset in its note, for file order.
    pub offset: usize,
}

impl Entry {
    pub fn is_touch(&self) -> bool {
        self.link.is_some() || self.kinds.iter().any(|k| k.is_touch())
    }
}

#[derive(Debug, Default, Clone)]
struct NameIndex {
    paths: HashMap<CompactString, Ids>,
    stems: HashMap<CompactString, Ids>,
    names: HashMap<CompactString, Ids>,
    aliases: HashMap<CompactString, Ids>,
}

/// The notes that answer to one name: almost always one or two, kept inline.
type Ids = SmallVec<[NoteId; 2]>;

/// The maps of the [`NameIndex`].
#[derive(Debug, Clone, Copy)]
enum Key {
    Path,
    Stem,
    Name,
    Alias,
}

impl Key {
    const ALL: [Key; 4] = [Key::Path, Key::Stem, Key::Name, Key::Alias];
}

impl NameIndex {
    fn map_mut(&mut self, key: Key) -> &mut HashMap<CompactString, Ids> {
        match key {
            Key::Path => &mut self.paths,
            Key::Stem => &mut self.stems,
            Key::Name => &mut self.names,
            Key::Alias => &mut self.aliases,
        }
    }
}

/// The names a note answers to, folded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct NoteNames {
    path: CompactString,
    stem: CompactString,
    name: Option<CompactString>,
    aliases: Vec<CompactString>,
    /// For each of `aliases`, its index among the front matter's aliases.
    alias_front: Box<[u32]>,
    /// Indexes into `aliases`, sorted by alias (then position): a name is
    /// found among thousands of aliases by binary search.
    alias_sorted: Box<[u32]>,
    contact: bool,
}

impl NoteNames {
    /// A contact's own name (`name`, else the file name).
    fn own(&self) -> &str {
        self.name.as_deref().unwrap_or(self.stem.as_str())
    }

    /// The names a contact claims: its own and its aliases, each once.
    fn claims(&self) -> Vec<&str> {
        let mut mine: Vec<&str> =
            std::iter::once(self.own()).chain(self.aliases.iter().map(CompactString::as_str)).collect();
        mine.sort_unstable();
        mine.dedup();
        mine
    }

    fn claims_name(&self, folded: &str) -> bool {
        self.own() == folded || self.aliases.iter().any(|a| a == folded)
    }

    /// What the note is indexed under in one map of the index.
    fn keys(&self, key: Key) -> &[CompactString] {
        match key {
            Key::Path => std::slice::from_ref(&self.path),
            Key::Stem => std::slice::from_ref(&self.stem),
            Key::Name => self.name.as_slice(),
            Key::Alias => &self.aliases,
        }
    }

    /// Every key the note is indexed under, in all maps.
    fn all_keys(&self) -> impl Iterator<Item = &CompactString> {
        Key::ALL.into_iter().flat_map(|key| self.keys(key))
    }

    fn of(note: &Note) -> NoteNames {
        let (aliases, alias_front): (Vec<CompactString>, Vec<u32>) = note
            .front
            .aliases
            .iter()
            .enumerate()
            .map(|(i, a)| (fold(&a.value), i))
            .filter(|(a, _)| !a.is_empty())
            .map(|(a, i)| (CompactString::from(a), u32::try_from(i).unwrap_or(u32::MAX)))
            .unzip();
        let mut alias_sorted: Vec<u32> = (0..u32::try_from(aliases.len()).unwrap_or(u32::MAX)).collect();
        alias_sorted.sort_by(|&a, &b| aliases[a as usize].cmp(&aliases[b as usize]).then(a.cmp(&b)));
        NoteNames {
            path: fold(names::without_extension(&note.path)).into(),
            stem: fold(names::file_stem(&note.path)).into(),
            name: note.front.name.as_ref().map(|n| fold(&n.value).into()).filter(|n: &CompactString| !n.is_empty()),
            aliases,
            alias_front: alias_front.into(),
            alias_sorted: alias_sorted.into(),
            contact: note.is_contact,
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct Vault {
    pub config: Config,
    /// Boxed: the arrays of notes moved around while loading stay small.
    notes: Vec<Option<Box<Note>>>,
    names_of: Vec<NoteNames>,
    /// Per note, per link: what it resolves to.
    resolved: Vec<Vec<Option<Target>>>,
    /// Per note, per link: hashes of the keys it was looked up by (folded,
    /// and without `.md`), so that a name change re-resolves only the links
    /// that can match it.
    link_keys: Vec<Vec<[u32; 2]>>,
    /// Shares each note's path.
    by_path: HashMap<Arc<str>, NoteId>,
    index: NameIndex,
    /// Files that are targets but not notes (attachments, excluded notes):
    /// folded path → the path as written.
    files: BTreeMap<String, String>,
    /// Those files by the keys they answer to at the path step (folded path,
    /// and for a Markdown file without its extension) and at the file-name
    /// step (folded file name, and for a Markdown file without its
    /// extension), each with the paths as written: they take their place in
    /// the spec's order beside the notes, first by path within a step.
    file_paths: HashMap<String, BTreeSet<String>>,
    file_names: HashMap<String, BTreeSet<String>>,
    /// Contact → ordinary notes with entries or mentions for it.
    incoming: HashMap<NoteId, BTreeSet<NoteId>>,
    free: Vec<NoteId>,
    stale_links: bool,
    /// Since links were last resolved: hashes of every name, path or file
    /// key that appeared or went, and the notes whose own links changed.
    changed_keys: HashSet<u32>,
    changed_notes: Vec<NoteId>,
}

/// What a note's links resolve to, and the hashes of the keys they were looked up by.
type ResolvedLinks = (Vec<Option<Target>>, Vec<[u32; 2]>);

/// More changes than this since the last resolution: resolve every link.
const INCREMENTAL_LIMIT: usize = 512;

/// A 32-bit hash of a lookup key (collisions only cost a needless re-resolution).
fn key_hash(key: &str) -> u32 {
    super::text::fnv1a(&[key]) as u32
}

impl Vault {
    pub fn new(config: Config) -> Vault {
        Vault { config, ..Vault::default() }
    }

    /// Builds a vault from files, parsing them on all cores.
    pub fn build(config: Config, files: Vec<SourceFile>, other_files: Vec<String>) -> Vault {
        let notes: Vec<Box<Note>> =
            files.into_par_iter().map(|f| Box::new(Note::parse(&f.path, f.text, f.origin, &config))).collect();
        Vault::from_notes(config, notes, other_files)
    }

    /// Builds a vault from notes parsed (with the same config) elsewhere.
    pub fn from_notes(config: Config, notes: Vec<Box<Note>>, other_files: Vec<String>) -> Vault {
        let mut vault = Vault::new(config);
        for path in other_files {
            vault.add_file(&path);
        }
        // `Option<Box<Note>>` is as large as `Box<Note>`: this reuses the allocation.
        vault.notes = notes.into_iter().map(Some).collect();
        let count = vault.notes.len();
        vault.resolved = vec![Vec::new(); count];
        vault.link_keys = vec![Vec::new(); count];
        // Names are folded on all cores, then each map of the index is built
        // on a core of its own, in note order (as `index_names_as` would).
        let names: Vec<NoteNames> =
            vault.notes.par_iter().map(|n| n.as_deref().map(NoteNames::of).unwrap_or_default()).collect();
        let notes = &vault.notes;
        let map = |key: Key| {
            // Sized up front: growing by doubling would touch about twice the memory.
            let mut map: HashMap<CompactString, Ids> =
                HashMap::with_capacity(names.iter().map(|n| n.keys(key).len()).sum());
            for (id, n) in names.iter().enumerate().filter(|(id, _)| notes[*id].is_some()) {
                for k in n.keys(key) {
                    // Ids come in order: a note repeating a key is the last one there.
                    let ids = map.entry(k.clone()).or_default();
                    if ids.last() != Some(&(id as NoteId)) {
                        ids.push(id as NoteId);
                    }
                }
            }
            map
        };
        let ((paths, stems), ((names_map, aliases), by_path)) = rayon::join(
            || rayon::join(|| map(Key::Path), || map(Key::Stem)),
            || {
                rayon::join(
                    || rayon::join(|| map(Key::Name), || map(Key::Alias)),
                    || {
                        let paths = notes.iter().enumerate().filter_map(|(id, n)| Some((n.as_ref()?.path.clone(), id)));
                        let mut by_path = HashMap::with_capacity(notes.len());
                        by_path.extend(paths.map(|(path, id)| (path, id as NoteId)));
                        by_path
                    },
                )
            },
        );
        vault.index = NameIndex { paths, stems, names: names_map, aliases };
        vault.by_path = by_path;
        vault.names_of = names;
        vault.resolve_all();
        vault
    }

    pub fn note(&self, id: NoteId) -> Option<&Note> {
        self.notes.get(id as usize).and_then(|n| n.as_deref())
    }

    pub fn id(&self, path: &str) -> Option<NoteId> {
        self.by_path.get(path).copied()
    }

    pub fn by_path(&self, path: &str) -> Option<&Note> {
        self.id(path).and_then(|id| self.note(id))
    }

    /// Every note, in no particular order.
    pub fn notes(&self) -> impl Iterator<Item = (NoteId, &Note)> {
        self.notes.iter().enumerate().filter_map(|(i, n)| n.as_deref().map(|n| (i as NoteId, n)))
    }

    /// Every contact note.
    pub fn contacts(&self) -> impl Iterator<Item = (NoteId, &Note)> {
        self.notes().filter(|(_, n)| n.is_contact)
    }

    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// A file that links may target but kith does not read.
    pub fn add_file(&mut self, path: &str) {
        let folded = fold(path);
        if self.files.insert(folded.clone(), path.to_string()).is_none() {
            let (paths, names) = file_keys(&folded);
            for (map, keys) in [(&mut self.file_paths, paths), (&mut self.file_names, names)] {
                for key in keys {
                    self.changed_keys.insert(key_hash(&key));
                    map.entry(key).or_default().insert(path.to_string());
                }
            }
            self.stale_links = true;
        }
    }

    pub fn remove_file(&mut self, path: &str) {
        let folded = fold(path);
        if let Some(written) = self.files.remove(&folded) {
            let (paths, names) = file_keys(&folded);
            for (map, keys) in [(&mut self.file_paths, paths), (&mut self.file_names, names)] {
                for key in keys {
                    self.changed_keys.insert(key_hash(&key));
                    if let Some(set) = map.get_mut(&key) {
                        set.remove(&written);
                        if set.is_empty() {
                            map.remove(&key);
                        }
                    }
                }
            }
            self.stale_links = true;
        }
    }

    /// Adds or replaces a note from its text. Returns its id.
    pub fn upsert(&mut self, path: &str, text: String, origin: Origin) -> NoteId {
        let note = Note::parse(path, text, origin, &self.config);
        self.upsert_note(note)
    }

    /// Adds or replaces a parsed note.
    pub fn upsert_note(&mut self, note: Note) -> NoteId {
        match self.id(&note.path) {
            Some(id) => {
                // Most edits leave a note's links as they were: then what
                // they resolve to stands (a name change that moves them is
                // found through their keys, like any other link's).
                let same_links = self.note(id).is_some_and(|old| {
                    old.is_contact == note.is_contact
                        && old.links.len() == note.links.len()
                        && old.links.iter().zip(&note.links).all(|(a, b)| old.target(a) == note.target(b))
                });
                let new_names = NoteNames::of(&note);
                if new_names != self.names_of[id as usize] {
                    self.unindex(id);
                    self.notes[id as usize] = Some(Box::new(note));
                    self.index_names(id);
                    self.stale_links = true;
                } else {
                    self.notes[id as usize] = Some(Box::new(note));
                }
                if same_links {
                    // Resolved as before.
                } else if self.stale_links {
                    self.changed_notes.push(id);
                } else {
                    self.resolve_note(id);
                }
                id
            }
            None => {
                let id = self.insert(note);
                self.stale_links = true;
                self.changed_notes.push(id);
                id
            }
        }
    }

    /// Removes a note; returns whether it was there.
    pub fn remove(&mut self, path: &str) -> bool {
        let Some(id) = self.by_path.remove(path) else { return false };
        self.unindex(id);
        self.unlink(id);
        self.notes[id as usize] = None;
        self.resolved[id as usize].clear();
        self.link_keys[id as usize].clear();
        self.names_of[id as usize] = NoteNames::default();
        self.free.push(id);
        self.stale_links = true;
        true
    }

    /// Re-resolves links after changes that can move them. Cheap when nothing did.
    ///
    /// Only links that can match a name, path or file key that changed are
    /// looked up again (and the links of notes that changed), unless so much
    /// changed that resolving everything is simpler.
    pub fn refresh(&mut self) {
        self.refresh_as(false);
    }

    /// [`Vault::refresh`], returning the notes whose links were resolved
    /// again with what those links resolved to before: every note's when
    /// everything was resolved again. Links of other notes did not move.
    pub fn refresh_tracked(&mut self) -> Vec<(NoteId, Vec<Option<Target>>)> {
        self.refresh_as(true)
    }

    fn refresh_as(&mut self, track: bool) -> Vec<(NoteId, Vec<Option<Target>>)> {
        if !self.stale_links {
            return Vec::new();
        }
        if self.changed_keys.len() + self.changed_notes.len() > INCREMENTAL_LIMIT {
            let before = if track {
                self.notes().map(|(id, _)| (id, self.resolved[id as usize].clone())).collect()
            } else {
                Vec::new()
            };
            self.resolve_all();
            return before;
        }
        // A handful of keys, sorted: compared faster than hashed, for every
        // link of the vault.
        let mut keys: Vec<u32> = std::mem::take(&mut self.changed_keys).into_iter().collect();
        keys.sort_unstable();
        let changed = |k: &u32| if keys.len() <= 16 { keys.contains(k) } else { keys.binary_search(k).is_ok() };
        let mut again: Vec<NoteId> = self
            .link_keys
            .par_iter()
            .enumerate()
            .filter(|(_, links)| links.iter().flatten().any(changed))
            .map(|(id, _)| id as NoteId)
            .collect();
        again.append(&mut self.changed_notes);
        again.sort_unstable();
        again.dedup();
        let mut before = Vec::new();
        for id in again {
            if track {
                before.push((id, self.resolved[id as usize].clone()));
            }
            self.resolve_note(id);
        }
        self.stale_links = false;
        before
    }

    /// Whether [`Vault::refresh`] has work to do.
    pub fn needs_refresh(&self) -> bool {
        self.stale_links
    }

    fn insert(&mut self, note: Note) -> NoteId {
        let path = note.path.clone();
        let id = match self.free.pop() {
            Some(id) => {
                self.notes[id as usize] = Some(Box::new(note));
                id
            }
            None => {
                self.notes.push(Some(Box::new(note)));
                self.names_of.push(NoteNames::default());
                self.resolved.push(Vec::new());
                self.link_keys.push(Vec::new());
                (self.notes.len() - 1) as NoteId
            }
        };
        self.by_path.insert(path, id);
        self.index_names(id);
        id
    }

    /// Indexes a note's names after a change (recorded for [`Vault::refresh`]).
    fn index_names(&mut self, id: NoteId) {
        let Some(note) = self.note(id) else { return };
        let names = NoteNames::of(note);
        self.note_keys_changed(&names);
        self.index_names_as(id, names);
    }

    fn index_names_as(&mut self, id: NoteId, names: NoteNames) {
        for key in Key::ALL {
            let map = self.index.map_mut(key);
            for k in names.keys(key) {
                let ids = map.entry(k.clone()).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        self.names_of[id as usize] = names;
    }

    fn unindex(&mut self, id: NoteId) {
        let names = std::mem::take(&mut self.names_of[id as usize]);
        self.note_keys_changed(&names);
        for key in Key::ALL {
            let map = self.index.map_mut(key);
            for k in names.keys(key) {
                if let Some(ids) = map.get_mut(k) {
                    ids.retain(|i| *i != id);
                    if ids.is_empty() {
                        map.remove(k);
                    }
                }
            }
        }
    }

    /// A note's own name (its `name`, else its file name) and its aliases,
    /// folded as links are compared; aliases that fold to nothing are left out.
    pub fn folded_names(&self, id: NoteId) -> (&str, &[CompactString]) {
        match self.names_of.get(id as usize) {
            Some(names) => (names.own(), &names.aliases),
            None => ("", &[]),
        }
    }

    /// Records a note's names as changed (see [`Vault::refresh`]).
    fn note_keys_changed(&mut self, names: &NoteNames) {
        for key in names.all_keys() {
            self.changed_keys.insert(key_hash(key));
        }
    }

    fn first_by_path(&self, ids: Option<&Ids>) -> Option<NoteId> {
        ids?.iter().copied().min_by(|a, b| {
            let pa = self.note(*a).map(|n| &*n.path);
            let pb = self.note(*b).map(|n| &*n.path);
            pa.cmp(&pb)
        })
    }

    /// Resolves a link target (spec section 7, Links).
    pub fn resolve(&self, target: &str) -> Option<Target> {
        self.resolve_keyed(target).0
    }

    /// Resolves a link target, with the hashes of the keys it was looked up by.
    fn resolve_keyed(&self, target: &str) -> (Option<Target>, [u32; 2]) {
        let target = target.trim().trim_start_matches('/');
        let folded = fold(target);
        let lower_ext = folded.rsplit_once('.').map(|(_, e)| e);
        let stripped = match lower_ext {
            Some("md" | "markdown") => fold(names::without_extension(target)),
            _ => folded.clone(),
        };
        let keys = [key_hash(&folded), key_hash(&stripped)];
        (self.lookup(&folded, &stripped), keys)
    }

    /// The spec's order: path, file name, `name`, alias. Files kith does not
    /// read (excluded notes, attachments) answer at the first two steps, and
    /// within a step the first by path wins, note or file.
    fn lookup(&self, folded: &str, stripped: &str) -> Option<Target> {
        let index = &self.index;
        self.first_of_step(index.paths.get(stripped), first_file(&self.file_paths, folded, stripped))
            .or_else(|| {
                if stripped.contains('/') {
                    return None;
                }
                self.first_of_step(index.stems.get(stripped), first_file(&self.file_names, folded, stripped))
            })
            .or_else(|| self.first_by_path(index.names.get(folded)).map(Target::Note))
            .or_else(|| self.first_by_path(index.aliases.get(folded)).map(Target::Note))
    }

    /// The first by path of the notes and the first file that answer at one step.
    fn first_of_step(&self, notes: Option<&Ids>, file: Option<&str>) -> Option<Target> {
        let note = self.first_by_path(notes).and_then(|id| Some((id, &*self.note(id)?.path)));
        match (note, file) {
            (Some((_, path)), Some(file)) if file < path => Some(Target::File),
            (Some((id, _)), _) => Some(Target::Note(id)),
            (None, Some(_)) => Some(Target::File),
            (None, None) => None,
        }
    }

    /// What each link of a note resolves to, in link order.
    pub fn resolved_links(&self, id: NoteId) -> &[Option<Target>] {
        self.resolved.get(id as usize).map_or(&[], Vec::as_slice)
    }

    /// The contact a link points at, if it points at a contact.
    pub fn link_contact(&self, id: NoteId, link: usize) -> Option<NoteId> {
        match self.resolved_links(id).get(link) {
            Some(Some(Target::Note(target))) if self.note(*target).is_some_and(|n| n.is_contact) => Some(*target),
            _ => None,
        }
    }

    fn resolve_all(&mut self) {
        self.stale_links = false;
        self.changed_keys.clear();
        self.changed_notes.clear();
        let ids: Vec<NoteId> = self.notes().map(|(id, _)| id).collect();
        let resolved: Vec<(NoteId, ResolvedLinks)> = ids.par_iter().map(|&id| (id, self.resolve_links(id))).collect();
        self.incoming.clear();
        for (id, (links, keys)) in resolved {
            self.resolved[id as usize] = links;
            self.link_keys[id as usize] = keys;
            self.link(id);
        }
    }

    fn resolve_note(&mut self, id: NoteId) {
        self.unlink(id);
        let (links, keys) = self.resolve_links(id);
        self.resolved[id as usize] = links;
        self.link_keys[id as usize] = keys;
        self.link(id);
    }

    /// What each link of a note resolves to, and the keys it was looked up by.
    fn resolve_links(&self, id: NoteId) -> ResolvedLinks {
        let Some(note) = self.note(id) else { return (Vec::new(), Vec::new()) };
        note.links.iter().map(|l| self.resolve_keyed(note.target(l))).unzip()
    }

    /// Records which contacts an ordinary note has entries or mentions for.
    fn link(&mut self, id: NoteId) {
        let Some(note) = self.note(id) else { return };
        if note.is_contact {
            return;
        }
        let contacts: BTreeSet<NoteId> = (0..note.links.len()).filter_map(|i| self.link_contact(id, i)).collect();
        for contact in contacts {
            self.incoming.entry(contact).or_default().insert(id);
        }
    }

    /// Forgets what [`Vault::link`] recorded for a note: under every note its
    /// links resolved to, whether or not that note is still a contact.
    fn unlink(&mut self, id: NoteId) {
        let targets: Vec<NoteId> = self
            .resolved_links(id)
            .iter()
            .filter_map(|t| match t {
                Some(Target::Note(t)) => Some(*t),
                _ => None,
            })
            .collect();
        for target in targets {
            if let Some(set) = self.incoming.get_mut(&target) {
                set.remove(&id);
                if set.is_empty() {
                    self.incoming.remove(&target);
                }
            }
        }
    }

    /// Ordinary notes that link a contact.
    pub fn incoming(&self, contact: NoteId) -> impl Iterator<Item = NoteId> + '_ {
        self.incoming.get(&contact).into_iter().flatten().copied()
    }

    /// Contacts that an ordinary note links.
    pub fn linked_contacts(&self, id: NoteId) -> BTreeSet<NoteId> {
        let n = self.resolved_links(id).len();
        (0..n).filter_map(|i| self.link_contact(id, i)).collect()
    }

    /// The date of an ordinary note: front matter `date`, else the first real
    /// `YYYY-MM-DD` in the file name.
    pub fn note_date(note: &Note) -> Option<Date> {
        if let Some(date) = note.front.date {
            return Some(date);
        }
        let name = note.path.rsplit('/').next().unwrap_or(&note.path);
        (0..name.len()).filter(|&i| name.is_char_boundary(i)).find_map(|i| {
            match super::date::date_shape_prefix(&name[i..]) {
                Some(DateShape::Real(d)) => Some(d),
                _ => None,
            }
        })
    }

    /// The date of an item as an entry: a real leading date, else (outside
    /// contact notes) the note's date. `None` when it has no real date.
    pub fn item_date(note: &Note, item: &super::note::Item) -> Option<Date> {
        match item.date {
            Some((DateShape::Real(d), _)) => Some(d),
            Some((DateShape::Unreal, _)) => None,
            None if note.is_contact => None,
            None => Vault::note_date(note),
        }
    }

    /// Every entry of a contact with a real date, in ledger order: by date;
    /// within a date, the contact's own note first in file order, then other
    /// notes by path and file order. Future entries are included; callers
    /// that must ignore them filter on the date.
    pub fn entries(&self, contact: NoteId) -> Vec<Entry> {
        let mut out = Vec::new();
        let Some(own) = self.note(contact) else { return out };
        for (i, item) in own.items.iter().enumerate() {
            if !item.has_kinds() {
                continue;
            }
            let Some((DateShape::Real(date), _)) = item.date else { continue };
            out.push(Entry {
                note: contact,
                item: i,
                link: None,
                date,
                kinds: own.kinds(item).iter().map(|k| k.kind).collect(),
                offset: item.text.start(),
            });
        }
        let mentions = self.config.mentions_are_touches;
        let mut others: Vec<(&str, NoteId)> =
            self.incoming(contact).filter_map(|id| self.note(id).map(|n| (&*n.path, id))).collect();
        others.sort();
        for (_, id) in others {
            let note = self.note(id).expect("indexed");
            let resolved = self.resolved_links(id);
            let note_date = Vault::note_date(note);
            for (i, item) in note.items.iter().enumerate() {
                if !item.has_kinds() {
                    continue;
                }
                let links_contact = item.links().any(|l| {
                    !note.links[l].embed && matches!(resolved.get(l), Some(Some(Target::Note(t))) if *t == contact)
                });
                if !links_contact {
                    continue;
                }
                let Some(date) = Vault::item_date(note, item) else { continue };
                out.push(Entry {
                    note: id,
                    item: i,
                    link: None,
                    date,
                    kinds: note.kinds(item).iter().map(|k| k.kind).collect(),
                    offset: item.text.start(),
                });
            }
            if mentions {
                let Some(date) = note_date else { continue };
                for (l, link) in note.links.iter().enumerate() {
                    if link.embed
                        || link.in_quote
                        || !matches!(resolved.get(l), Some(Some(Target::Note(t))) if *t == contact)
                    {
                        continue;
                    }
                    if let Some(item) = link.item.and_then(|i| note.items.get(i as usize)) {
                        let open_task = item.task == Some(super::note::TaskStatus::Open);
                        if item.has_kinds() || open_task || item.in_quote {
                            continue;
                        }
                    }
                    out.push(Entry {
                        note: id,
                        item: usize::MAX,
                        link: Some(l),
                        date,
                        kinds: SmallVec::new(),
                        offset: link.range.start(),
                    });
                }
            }
        }
        // Stable: own note first (pushed first), others by path, file order kept.
        out.sort_by_key(|e| e.date);
        out
    }

    /// Contacts sharing a folded name or alias: name → the notes that claim it.
    pub fn duplicate_names(&self) -> BTreeMap<String, Vec<NoteId>> {
        let mut claims: HashMap<&str, Vec<NoteId>> = HashMap::default();
        for (id, names) in self.names_of.iter().enumerate() {
            if !names.contact || self.notes[id].is_none() {
                continue;
            }
            for name in names.claims() {
                claims.entry(name).or_default().push(id as NoteId);
            }
        }
        claims.into_iter().filter(|(_, ids)| ids.len() > 1).map(|(k, v)| (k.to_string(), v)).collect()
    }

    /// The contacts that claim a folded name as their own or as an alias,
    /// in id order: what [`Vault::duplicate_names`] holds for that name,
    /// found through the index instead of the whole vault.
    pub fn claimants(&self, folded: &str) -> Vec<NoteId> {
        let index = &self.index;
        let mut out: Vec<NoteId> = [&index.names, &index.stems, &index.aliases]
            .into_iter()
            .flat_map(|map| map.get(folded).into_iter().flatten().copied())
            .filter(|&id| {
                let names = &self.names_of[id as usize];
                names.contact && self.note(id).is_some() && names.claims_name(folded)
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Which of a note's `aliases:` items (its index) is the first to fold
    /// to `folded`; found by binary search, however many aliases it has.
    pub fn alias_position(&self, id: NoteId, folded: &str) -> Option<usize> {
        let names = self.names_of.get(id as usize)?;
        let sorted = &names.alias_sorted;
        let at = sorted.partition_point(|&i| names.aliases[i as usize].as_str() < folded);
        let &i = sorted.get(at).filter(|&&i| names.aliases[i as usize] == folded)?;
        names.alias_front.get(i as usize).map(|&front| front as usize)
    }

    /// Whether a note's `name:` folds to `folded`.
    pub fn is_named(&self, id: NoteId, folded: &str) -> bool {
        self.names_of.get(id as usize).and_then(|n| n.name.as_deref()) == Some(folded)
    }

    /// Every folded key a note answers to (path, file name, name, aliases):
    /// the names whose [`Vault::claimants`] a change of the note can change.
    pub fn name_keys(&self, id: NoteId) -> Vec<CompactString> {
        let Some(names) = self.names_of.get(id as usize) else { return Vec::new() };
        let mut keys: Vec<CompactString> = names.all_keys().cloned().collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// Contacts whose name or alias is `name` (folded).
    pub fn contacts_named(&self, folded: &str) -> Vec<NoteId> {
        let mut out: Vec<NoteId> = Vec::new();
        for map in [&self.index.names, &self.index.aliases, &self.index.stems] {
            for &id in map.get(folded).into_iter().flatten() {
                if self.note(id).is_some_and(|n| n.is_contact) && !out.contains(&id) {
                    out.push(id);
                }
            }
        }
        out
    }
}

/// The first by path of the files answering to either key.
fn first_file<'a>(map: &'a HashMap<String, BTreeSet<String>>, folded: &str, stripped: &str) -> Option<&'a str> {
    [folded, stripped].into_iter().filter_map(|k| map.get(k)?.first()).min().map(String::as_str)
}

/// The keys a non-note file answers to: at the path step its path (and for a
/// Markdown file its path without extension), at the file-name step its file
/// name (and for a Markdown file its file name without extension).
fn file_keys(folded_path: &str) -> (Vec<String>, Vec<String>) {
    let name = folded_path.rsplit('/').next().unwrap_or(folded_path);
    let mut paths = vec![folded_path.to_string()];
    let mut names = vec![name.to_string()];
    if names::is_markdown(folded_path) {
        paths.push(names::without_extension(folded_path).to_string());
        names.push(names::file_stem(folded_path).to_string());
    }
    (paths, names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap as Map;

    /// What a vault says about links, by path (ids differ between vaults).
    fn links_by_path(vault: &Vault) -> Map<String, (Vec<Option<String>>, Vec<String>)> {
        let path_of = |t: &Option<Target>| match t {
            Some(Target::Note(id)) => Some(vault.note(*id).map_or("?".to_string(), |n| n.path.to_string())),
            Some(Target::File) => Some("<file>".to_string()),
            None => None,
        };
        vault
            .notes()
            .map(|(id, note)| {
                let links = vault.resolved_links(id).iter().map(path_of).collect();
                let mut incoming: Vec<String> =
                    vault.incoming(id).filter_map(|i| vault.note(i)).map(|n| n.path.to_string()).collect();
                incoming.sort();
                (note.path.to_string(), (links, incoming))
            })
            .collect()
    }

    /// A tiny deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    const NAMES: [&str; 6] = ["Jana", "Max Müller", "Zoë", "Lena", "Ana", "Bo"];
    const TARGETS: [&str; 10] =
        ["Jana", "max müller", "Zoë", "people/lena", "lena.md", "Ana", "Bo", "Nobody", "cv.pdf", "people/bo.md"];
    const PATHS: [&str; 6] = ["people/jana.md", "people/max.md", "people/lena.md", "people/bo.md", "j/a.md", "j/b.md"];

    fn note_text(rng: &mut Rng) -> String {
        let mut text = String::new();
        if rng.below(3) > 0 {
            text.push_str("---\n");
            if rng.below(2) == 0 {
                text.push_str("type: contact\n");
            }
            if rng.below(3) > 0 {
                text.push_str(&format!("name: {}\n", NAMES[rng.below(NAMES.len())]));
            }
            if rng.below(3) == 0 {
                text.push_str(&format!("aliases: [{}]\n", NAMES[rng.below(NAMES.len())]));
            }
            text.push_str("---\n");
        }
        for _ in 0..rng.below(4) {
            text.push_str(&format!("- 2026-11-0{} #met [[{}]]\n", 1 + rng.below(9), TARGETS[rng.below(TARGETS.len())]));
        }
        text
    }

    #[test]
    fn incremental_resolution_matches_a_fresh_index() {
        for seed in 1..120u64 {
            let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let mut files: Map<String, String> = Map::new();
            let mut others: BTreeSet<String> = BTreeSet::new();
            let mut vault = Vault::new(Config::default());
            for step in 0..60 {
                match rng.below(12) {
                    // The same links under another name (or contact status).
                    10 | 11 if !files.is_empty() => {
                        let path = files.keys().nth(rng.below(files.len())).cloned().unwrap_or_default();
                        let body = files[&path].rsplit("---\n").next().unwrap_or("").to_string();
                        let kind = if rng.below(2) == 0 { "type: contact\n" } else { "" };
                        let text = format!("---\n{kind}name: {}\n---\n{body}", NAMES[rng.below(NAMES.len())]);
                        vault.upsert(&path, text.clone(), Origin::default());
                        files.insert(path, text);
                    }
                    0..=5 => {
                        let path = PATHS[rng.below(PATHS.len())].to_string();
                        let text = note_text(&mut rng);
                        vault.upsert(&path, text.clone(), Origin::default());
                        files.insert(path, text);
                    }
                    6 | 7 => {
                        let path = PATHS[rng.below(PATHS.len())];
                        vault.remove(path);
                        files.remove(path);
                    }
                    8 | 10 | 11 => {
                        vault.add_file("cv.pdf");
                        others.insert("cv.pdf".into());
                    }
                    _ => {
                        vault.remove_file("cv.pdf");
                        others.remove("cv.pdf");
                    }
                }
                // Sometimes several changes come before links are resolved.
                if rng.below(3) > 0 {
                    // What refresh says it re-resolved is all that moved.
                    let before: Map<NoteId, Vec<Option<Target>>> =
                        vault.notes().map(|(id, _)| (id, vault.resolved_links(id).to_vec())).collect();
                    let moved: Map<NoteId, Vec<Option<Target>>> = vault.refresh_tracked().into_iter().collect();
                    for (id, old) in &before {
                        match moved.get(id) {
                            Some(said) => assert_eq!(said, old, "seed {seed}, step {step}"),
                            None => assert_eq!(vault.resolved_links(*id), old, "seed {seed}, step {step}"),
                        }
                    }
                    let fresh = Vault::build(
                        Config::default(),
                        files
                            .iter()
                            .map(|(p, t)| SourceFile { path: p.clone(), text: t.clone(), origin: Origin::default() })
                            .collect(),
                        others.iter().cloned().collect(),
                    );
                    assert_eq!(links_by_path(&vault), links_by_path(&fresh), "seed {seed}, step {step}");
                    // Each name's group, found through the index, is what the
                    // whole-vault scan finds for it.
                    let paths = |v: &Vault, ids: &[NoteId]| -> Vec<String> {
                        let mut p: Vec<String> =
                            ids.iter().filter_map(|&i| v.note(i)).map(|n| n.path.to_string()).collect();
                        p.sort();
                        p
                    };
                    let whole: Map<String, Vec<String>> =
                        fresh.duplicate_names().into_iter().map(|(k, ids)| (k, paths(&fresh, &ids))).collect();
                    let keys = NAMES.iter().chain(&TARGETS).chain(&PATHS).map(|k| fold(names::file_stem(k)));
                    for key in keys.chain(whole.keys().cloned()) {
                        let group = paths(&vault, &vault.claimants(&key));
                        let want = whole.get(&key).cloned().unwrap_or_default();
                        assert_eq!(group.len() > 1, !want.is_empty(), "seed {seed}, step {step}, {key}");
                        if group.len() > 1 {
                            assert_eq!(group, want, "seed {seed}, step {step}, {key}");
                        }
                    }
                }
            }
        }
    }
}
