//! What the server knows: the open documents, and the vault they belong to.
//!
//! Two locks, always taken in this order: the [`World`] (an `RwLock`: the
//! vault index, read by requests and the analysis, written when notes
//! change) before the [`Documents`] (a `Mutex`: the editor's texts). The
//! `didOpen`/`didChange`/`didClose` handlers take only the documents lock and
//! never wait for the world, so edits are applied in the order they came, at
//! once. Their texts reach the vault on the next *flush*: by the analysis
//! worker, or by a request that needs the vault to match the editor.

use super::proto;
use crate::engine::config::{self, Config};
use crate::engine::date::Date;
use crate::engine::names;
use crate::engine::note::{Note, Origin};
use crate::engine::rules::Rule;
use crate::engine::text::{Encoding, LineCol, LineIndex};
use crate::engine::vault::{NoteId, Target, Vault};
use crate::io::walk;
use compact_str::CompactString;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard, mpsc};
use tower_lsp_server::lsp_types::{TextDocumentContentChangeEvent, Uri};

/// Work for the analysis worker.
#[derive(Debug)]
pub enum Job {
    /// Documents changed; flush and analyse.
    Edited,
    /// Read the vault for the first time. `watch`: run our own file watcher.
    Index {
        watch: bool,
    },
    /// The editor cannot watch files for us after all: run our own watcher.
    Watch,
    /// Files changed on disk.
    Files {
        paths: Vec<PathBuf>,
        rescan: bool,
    },
    /// A document was closed: the disk is the truth for it again.
    Closed {
        uri: Uri,
        place: Place,
    },
    Shutdown,
}

/// What a document is to kith.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Not placed yet (placed on the next flush).
    Unknown,
    /// A note of the vault, by its vault-relative path.
    Vault(String),
    /// A Markdown file outside the vault, analysed on its own, by its path in
    /// the vault it lies in (kith.toml above it, or a workspace folder
    /// holding it), else by its file name (see [`World::loose_config`]).
    Loose(String),
    /// The vault's `kith.toml`.
    Config,
    /// A file kith does not read (hidden, excluded, not Markdown).
    Ignored,
}

/// An open document: the editor's text, which wins over the disk.
#[derive(Debug)]
pub struct Doc {
    /// The URI as the client spelled it: what it is told about the document
    /// under (documents are keyed by [`proto::normal`]).
    pub uri: Uri,
    pub text: String,
    pub version: i32,
    pub lines: LineIndex,
    pub place: Place,
}

#[derive(Debug, Default)]
pub struct Documents {
    pub open: HashMap<Uri, Doc>,
    /// Documents whose text the vault has not seen yet.
    pub dirty: BTreeSet<Uri>,
    pub enc: Option<Encoding>,
}

impl Documents {
    fn encoding(&self) -> Encoding {
        self.enc.unwrap_or(Encoding::Utf16)
    }

    pub fn open(&mut self, uri: Uri, text: String, version: i32) {
        let lines = LineIndex::new(&text);
        let key = proto::normal(&uri);
        self.open.insert(key.clone(), Doc { uri, text, version, lines, place: Place::Unknown });
        self.dirty.insert(key);
    }

    /// Applies content changes in order. Positions clamp; a range given end
    /// first is taken start first.
    pub fn change(&mut self, uri: &Uri, version: i32, changes: Vec<TextDocumentContentChangeEvent>) {
        let enc = self.encoding();
        let uri = &proto::normal(uri);
        let Some(doc) = self.open.get_mut(uri) else { return };
        for change in changes {
            match change.range {
                None => doc.text = change.text,
                Some(range) => {
                    let at = |p: tower_lsp_server::lsp_types::Position| {
                        doc.lines.offset(&doc.text, LineCol { line: p.line, col: p.character }, enc)
                    };
                    let (a, b) = (at(range.start), at(range.end));
                    doc.text.replace_range(a.min(b)..a.max(b), &change.text);
                }
            }
            doc.lines = LineIndex::new(&doc.text);
        }
        doc.version = version;
        self.dirty.insert(uri.clone());
    }

    /// Forgets a document; its key and what it was, if it was open.
    pub fn close(&mut self, uri: &Uri) -> Option<(Uri, Place)> {
        let key = proto::normal(uri);
        self.dirty.remove(&key);
        let place = self.open.remove(&key)?.place;
        Some((key, place))
    }

    /// Vault-relative paths of the open notes of the vault.
    pub fn open_in_vault(&self) -> BTreeSet<String> {
        self.open
            .values()
            .filter_map(|d| match &d.place {
                Place::Vault(rel) => Some(rel.clone()),
                _ => None,
            })
            .collect()
    }
}

/// What to analyse again.
#[derive(Debug, Default)]
pub struct Dirty {
    /// Notes whose own findings to recompute, by path.
    pub notes: BTreeSet<String>,
    /// Contacts whose findings to recompute, by path.
    pub contacts: BTreeSet<String>,
    /// Folded names whose duplicate check to redo: every name a changed
    /// contact (or a note whose names changed) answered to before or does now.
    pub names: BTreeSet<CompactString>,
    /// Everything: the vault was read again, or the date changed.
    pub full: bool,
}

impl Dirty {
    pub fn is_empty(&self) -> bool {
        !self.full && self.names.is_empty() && self.notes.is_empty() && self.contacts.is_empty()
    }

    /// Adds what `other` marks (a round that stopped gives its work back).
    pub fn merge(&mut self, other: Dirty) {
        self.full |= other.full;
        self.notes.extend(other.notes);
        self.contacts.extend(other.contacts);
        self.names.extend(other.names);
    }
}

/// A name a contact answers to, for completion and workspace symbols.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactName {
    pub folded: String,
    pub label: String,
    pub id: NoteId,
    pub alias: bool,
}

/// One vault and what is known about it.
#[derive(Debug, Default)]
pub struct Space {
    pub vault: Vault,
    /// Every contact name and alias, sorted by folded name.
    pub names: Vec<ContactName>,
    pub dirty: Dirty,
    /// The document version each open note of the vault was last read at.
    pub synced: HashMap<String, i32>,
    /// Notes removed since links were last resolved (their ids may be reused).
    removed: HashSet<NoteId>,
    /// Notes that became or stopped being contacts since links were last resolved.
    turned: HashSet<NoteId>,
    /// Notes whose entries in `names` may be out of date.
    renamed: HashSet<NoteId>,
}

/// More renamed notes than this: rebuild the list of names instead of patching it.
const RENAMES_PATCHED: usize = 512;

impl Space {
    pub fn new(config: Config) -> Space {
        Space::of(Vault::new(config))
    }

    pub fn of(vault: Vault) -> Space {
        Space { vault, ..Space::default() }
    }

    /// Contacts whose findings a note feeds: the contacts it links, and
    /// itself when it is one.
    fn touched(&self, path: &str) -> Vec<String> {
        let Some(id) = self.vault.id(path) else { return Vec::new() };
        let mut out: Vec<String> = self
            .vault
            .linked_contacts(id)
            .into_iter()
            .filter_map(|c| self.vault.note(c).map(|n| n.path.to_string()))
            .collect();
        if self.vault.note(id).is_some_and(|n| n.is_contact) {
            out.push(path.to_string());
        }
        out
    }

    /// Adds or replaces a note, marking it and the contacts it touched before
    /// and touches now. Link resolution waits for [`Space::settle`].
    pub fn upsert(&mut self, note: Note) {
        let path = note.path.clone();
        let before = self.touched(&path);
        let old = self.vault.id(&path).map(|id| (self.vault.name_keys(id), self.contact_names(id)));
        let old_head = self.vault.by_path(&path).map(|n| head(n).to_string());
        let was_contact = self.vault.by_path(&path).map(|n| n.is_contact);
        let old_ignore = self.vault.by_path(&path).map(|n| n.front.ignore.clone()).unwrap_or_default();
        let is_contact = note.is_contact;
        let id = self.vault.upsert_note(note);
        if was_contact.is_some_and(|was| was != is_contact) {
            self.turned.insert(id);
        }
        let (old_keys, old_names) = old.unwrap_or_default();
        let keys = self.vault.name_keys(id);
        if old_names != self.contact_names(id) {
            self.renamed.insert(id);
        }
        // A contact's duplicate findings stand in its head (front matter and
        // first line): an edit below it moves none of them.
        let same_head = self.vault.note(id).map(head) == old_head.as_deref();
        if old_keys != keys || was_contact != Some(is_contact) || (is_contact && !same_head) {
            self.dirty.names.extend(old_keys.into_iter().chain(keys));
        }
        let after = self.touched(&path);
        self.dirty.contacts.extend(before.into_iter().chain(after));
        self.dirty.notes.insert(path.to_string());
        // A contact's `kith.ignore` also silences findings placed in the
        // ordinary notes that link it (future-entry): those notes change too.
        if self.vault.note(id).is_some_and(|n| n.front.ignore != old_ignore) {
            let linking: Vec<String> =
                self.vault.incoming(id).filter_map(|n| self.vault.note(n).map(|n| n.path.to_string())).collect();
            self.dirty.notes.extend(linking);
        }
    }

    /// An open document's text, read as `kith lint` would read the file: one
    /// larger than `max-file-size` is skipped, as on disk.
    pub fn upsert_text(&mut self, path: &str, text: String) {
        let max = self.vault.config.max_file_size;
        let note = match text.len() as u64 {
            size if size > max => Note::skipped(path, size, max),
            _ => Note::parse(path, text, Origin::default(), &self.vault.config),
        };
        self.upsert(note);
    }

    /// Removes a note, or the notes below a folder that is gone.
    pub fn remove(&mut self, path: &str) {
        if self.remove_note(path) {
            return;
        }
        self.vault.remove_file(path);
        if names::is_markdown(path) {
            return;
        }
        // Perhaps a folder: what was below it is gone too.
        let prefix = format!("{path}/");
        let gone: Vec<String> =
            self.vault.notes().filter(|(_, n)| n.path.starts_with(&prefix)).map(|(_, n)| n.path.to_string()).collect();
        for path in gone {
            self.remove_note(&path);
        }
    }

    /// Removes one note and marks what it touched; whether it was there.
    fn remove_note(&mut self, path: &str) -> bool {
        let Some(id) = self.vault.id(path) else { return false };
        let before = self.touched(path);
        let keys = self.vault.name_keys(id);
        self.vault.remove(path);
        self.removed.insert(id);
        self.renamed.insert(id);
        self.dirty.names.extend(keys);
        self.dirty.contacts.extend(before);
        self.dirty.notes.insert(path.to_string());
        true
    }

    /// Resolves links again when a change can have moved them (a note came
    /// or went, names changed), and marks what the move touched: every note
    /// whose links now resolve differently, and the contacts those links
    /// pointed at before and point at now. Patches `names` first.
    pub fn settle(&mut self) {
        self.update_names();
        if !self.vault.needs_refresh() {
            return;
        }
        // Only the notes whose links were looked up again can have moved.
        let before = self.vault.refresh_tracked();
        let removed = std::mem::take(&mut self.removed);
        let turned = std::mem::take(&mut self.turned);
        // A link to a note that went (its id perhaps reused) or changed its
        // contact status counts as moved even when its id is the same.
        let shaken =
            |t: &Option<Target>| matches!(t, Some(Target::Note(id)) if removed.contains(id) || turned.contains(id));
        for (id, old) in before {
            let new = self.vault.resolved_links(id);
            if old.as_slice() == new && !old.iter().any(shaken) {
                continue;
            }
            let Some(note) = self.vault.note(id) else { continue };
            self.dirty.notes.insert(note.path.to_string());
            for target in old.iter().chain(new).flatten() {
                let Target::Note(t) = target else { continue };
                if let Some(linked) = self.vault.note(*t).filter(|n| n.is_contact || turned.contains(t)) {
                    self.dirty.contacts.insert(linked.path.to_string());
                }
            }
        }
    }

    /// The entries of `names` for one note: its aliases and its own name,
    /// when it is a contact.
    fn contact_names(&self, id: NoteId) -> Vec<ContactName> {
        let Some(note) = self.vault.note(id).filter(|n| n.is_contact) else { return Vec::new() };
        // Folded once, when the note was indexed.
        let (folded_name, folded_aliases) = self.vault.folded_names(id);
        let written = note.front.aliases.iter().filter(|a| !a.value.trim().is_empty());
        let mut out: Vec<ContactName> = written
            .zip(folded_aliases)
            .filter(|(_, folded)| *folded != folded_name)
            .map(|(alias, folded)| ContactName {
                folded: folded.to_string(),
                label: alias.value.trim().to_string(),
                id,
                alias: true,
            })
            .collect();
        out.push(ContactName {
            folded: folded_name.to_string(),
            label: note.display_name().to_string(),
            id,
            alias: false,
        });
        out
    }

    /// Rebuilds the sorted list of contact names.
    pub fn index_names(&mut self) {
        self.renamed.clear();
        let ids: Vec<NoteId> = self.vault.contacts().map(|(id, _)| id).collect();
        let mut names: Vec<ContactName> = ids.iter().flat_map(|&id| self.contact_names(id)).collect();
        names.par_sort_unstable_by(|a, b| a.order().cmp(&b.order()));
        self.names = names;
    }

    /// Brings `names` up to date for the notes renamed since: their old
    /// entries out, their new ones in at their places.
    fn update_names(&mut self) {
        if self.renamed.len() > RENAMES_PATCHED {
            self.index_names();
            return;
        }
        if self.renamed.is_empty() {
            return;
        }
        // A few ids, sorted: compared faster than hashed, for every name.
        let mut renamed: Vec<NoteId> = std::mem::take(&mut self.renamed).into_iter().collect();
        renamed.sort_unstable();
        self.names.retain(|n| renamed.binary_search(&n.id).is_err());
        for name in renamed.iter().flat_map(|&id| self.contact_names(id)).collect::<Vec<_>>() {
            let at = self.names.partition_point(|n| n.order() < name.order());
            self.names.insert(at, name);
        }
    }
}

impl ContactName {
    /// The order of [`Space::names`]: by folded name, own names first.
    fn order(&self) -> (&str, bool, NoteId) {
        (self.folded.as_str(), self.alias, self.id)
    }
}

/// A note's front matter and first line: where its duplicate-name findings
/// stand, and all their text depends on in the note.
fn head(note: &Note) -> &str {
    let end = note.body_start.max(note.first_line().end);
    note.text.get(..end).unwrap_or(&note.text)
}

/// Which space a document or path belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SpaceKey {
    Main,
    Loose(Uri),
}

/// What the client can do, as far as kith cares.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientFlags {
    pub create_files: bool,
    pub document_changes: bool,
    pub watch_files: bool,
    pub progress: bool,
    pub code_lens_refresh: bool,
    pub label_details: bool,
    /// The client fills in a code action's edit with `codeAction/resolve`.
    pub resolve_edits: bool,
}

#[derive(Debug)]
pub struct World {
    /// The vault root as the client spells it, which may be through a
    /// symbolic link: URIs going out are built on it, so that they name the
    /// files the editor knows. Without a workspace, the vault of the first
    /// file opened in one (see `World::adopt_root`); until then `None`,
    /// and every file is loose.
    pub root: Option<PathBuf>,
    /// The same folder with symbolic links resolved, for paths spelled that way.
    pub real_root: Option<PathBuf>,
    /// The workspace folders besides the vault's: their notes are loose
    /// (see [`World::loose_config`]).
    pub folders: Vec<PathBuf>,
    /// A vault root was found from an opened file: the vault must be read.
    pub adopted: bool,
    pub main: Space,
    /// Loose documents by their [`proto::normal`] URI.
    pub loose: HashMap<Uri, Space>,
    /// The client's URI of each loose document, by its normal URI.
    pub loose_uris: HashMap<Uri, Uri>,
    /// The client's URI of each open note of the main vault.
    pub main_uris: HashMap<String, Uri>,
    pub today: Date,
    /// Whether `today` follows the clock (else it was given).
    pub local_today: bool,
    pub enc: Encoding,
    pub client: ClientFlags,
    /// Whether the vault has been read: until then its findings are not published.
    pub indexed: bool,
    /// `kith.toml` may have changed: the vault must be read again if it did.
    pub config_changed: bool,
    /// The text of `kith.toml` the configuration was read from.
    pub config_text: Option<String>,
    /// Counts write locks taken: a reader that let go of the world can tell
    /// whether it changed meanwhile.
    pub generation: u64,
}

impl World {
    pub fn new(today: Date) -> World {
        World {
            root: None,
            real_root: None,
            folders: Vec::new(),
            adopted: false,
            main: Space::default(),
            loose: HashMap::new(),
            loose_uris: HashMap::new(),
            main_uris: HashMap::new(),
            today,
            local_today: true,
            enc: Encoding::Utf16,
            client: ClientFlags::default(),
            indexed: false,
            config_changed: false,
            config_text: None,
            generation: 0,
        }
    }

    /// The vault-relative path of a file of the vault, however it is
    /// spelled: through the root as the client named it, through the real
    /// folder, or through some other symbolic link to a folder in the vault.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let root = self.root.as_ref()?;
        let real = self.real_root.as_ref().unwrap_or(root);
        walk::relative(root, path).or_else(|| relative_through_links(real, path))
    }

    /// Without a workspace, the vault of the first file opened in one
    /// becomes the vault (spec section 6: the nearest folder at or above it
    /// holding `kith.toml`), and is read as a workspace's would be. A file in
    /// no vault leaves the choice to the next one: indexing the folder of
    /// some stray file (a home folder, say) would be reading far too much.
    fn adopt_root(&mut self, path: &Path) {
        let Some(dir) = path.parent() else { return };
        let Some(found) = crate::io::find_root(dir).ok().filter(|r| r.config_file.is_some()) else { return };
        self.root = Some(spelled_root(dir, &found.root));
        self.real_root = Some(found.root);
        self.indexed = false;
        self.adopted = true;
    }

    /// The root of the vault a file outside the main vault lies in: the
    /// nearest folder above it holding `kith.toml`, else the workspace
    /// folder holding it; `None` for a file in no vault.
    fn guest_root(&self, path: &Path) -> Option<PathBuf> {
        let found = path.parent().and_then(|dir| crate::io::find_root(dir).ok());
        let found = found.filter(|r| r.config_file.is_some()).map(|r| r.root);
        found.or_else(|| self.folders.iter().find(|f| path.starts_with(f)).cloned())
    }

    /// The configuration a loose document is read with.
    ///
    /// A note of a vault kith does not index (another workspace folder, or
    /// a vault of its own found above it) is read with that vault's
    /// `kith.toml`, so its kinds and rule levels hold, but without the
    /// rules that need the rest of its vault: kith knows neither the notes
    /// its links name nor the ledgers of its contacts, so `broken-link` and
    /// the relationship rules would report what is not so. A Markdown file
    /// in no vault at all is a vault of its own, with every rule.
    pub fn loose_config(&self, uri: &Uri) -> Config {
        let Some(root) = proto::file_path(uri).and_then(|p| self.guest_root(&p)) else { return Config::default() };
        let file = root.join(config::FILE_NAME);
        let found = walk::VaultRoot { config_file: file.is_file().then_some(file), root };
        // A `kith.toml` that cannot be used is reported when its vault is opened, not here.
        let mut config = walk::load_config(&found).unwrap_or_default();
        for rule in Rule::ALL.into_iter().filter(|r| *r == Rule::BrokenLink || r.info().relationship) {
            config.rules.insert(rule, None);
        }
        config
    }

    /// What a URI is to kith.
    pub fn place_of(&self, uri: &Uri) -> Place {
        let Some(path) = proto::file_path(uri) else {
            return Place::Loose(loose_name(uri));
        };
        if let Some(rel) = self.relative(&path).filter(|r| !r.is_empty()) {
            if rel == config::FILE_NAME {
                return Place::Config;
            }
            let config = &self.main.vault.config;
            if crate::io::watch::hidden(&rel) || !names::is_markdown(&rel) || config.exclude.matches_file(&rel) {
                return Place::Ignored;
            }
            return Place::Vault(rel);
        }
        if !names::is_markdown(&path.to_string_lossy()) {
            return Place::Ignored;
        }
        // Its path in its own vault, so that that vault's `contacts` globs hold.
        let in_vault = self.guest_root(&path).and_then(|root| relative_through_links(&root, &path));
        Place::Loose(in_vault.filter(|r| !r.is_empty()).unwrap_or_else(|| loose_name(uri)))
    }

    pub fn space(&self, key: &SpaceKey) -> Option<&Space> {
        match key {
            SpaceKey::Main => Some(&self.main),
            SpaceKey::Loose(uri) => self.loose.get(uri),
        }
    }

    pub fn space_mut(&mut self, key: &SpaceKey) -> Option<&mut Space> {
        match key {
            SpaceKey::Main => Some(&mut self.main),
            SpaceKey::Loose(uri) => self.loose.get_mut(uri),
        }
    }

    /// The space and path of a document, whether it is open or not.
    pub fn locate(&self, uri: &Uri) -> Option<(SpaceKey, String)> {
        let uri = &proto::normal(uri);
        if let Some(space) = self.loose.get(uri) {
            let (_, note) = space.vault.notes().next()?;
            return Some((SpaceKey::Loose(uri.clone()), note.path.to_string()));
        }
        match self.place_of(uri) {
            Place::Vault(rel) => Some((SpaceKey::Main, rel)),
            _ => None,
        }
    }

    /// The URI of a note of a space: the client's own for open documents.
    pub fn uri_of(&self, key: &SpaceKey, path: &str) -> Option<Uri> {
        match key {
            SpaceKey::Loose(uri) => Some(self.loose_uris.get(uri).unwrap_or(uri).clone()),
            SpaceKey::Main => match self.main_uris.get(path) {
                Some(uri) => Some(uri.clone()),
                None => proto::file_uri(&self.root.as_ref()?.join(path)),
            },
        }
    }

    /// Brings the vault up to date with the editor's texts.
    pub fn flush(&mut self, docs: &mut Documents) {
        if docs.dirty.is_empty() {
            return;
        }
        for uri in std::mem::take(&mut docs.dirty) {
            let place = match docs.open.get(&uri) {
                Some(doc) if doc.place == Place::Unknown => {
                    if let Some(path) = proto::file_path(&uri).filter(|_| self.root.is_none()) {
                        self.adopt_root(&path);
                    }
                    self.place_of(&uri)
                }
                Some(doc) => doc.place.clone(),
                None => continue,
            };
            let Some(doc) = docs.open.get_mut(&uri) else { continue };
            doc.place = place.clone();
            match place {
                Place::Vault(rel) => {
                    self.main.upsert_text(&rel, doc.text.clone());
                    self.main.synced.insert(rel.clone(), doc.version);
                    self.main_uris.insert(rel, doc.uri.clone());
                }
                Place::Loose(name) => {
                    if !self.loose.contains_key(&uri) {
                        let space = Space::new(self.loose_config(&uri));
                        self.loose.insert(uri.clone(), space);
                    }
                    self.loose_uris.insert(uri.clone(), doc.uri.clone());
                    let Some(space) = self.loose.get_mut(&uri) else { continue };
                    space.upsert_text(&name, doc.text.clone());
                    space.synced.insert(name, doc.version);
                }
                Place::Config => self.config_changed = true,
                Place::Unknown | Place::Ignored => {}
            }
        }
        self.main.settle();
        for space in self.loose.values_mut() {
            space.settle();
        }
    }
}

/// The vault-relative path of a file spelled through a symbolic link to a
/// folder of the vault (`root` with its links resolved).
fn relative_through_links(root: &Path, path: &Path) -> Option<String> {
    walk::relative(root, path).or_else(|| {
        let dir = std::fs::canonicalize(path.parent()?).ok()?;
        walk::relative(root, &dir.join(path.file_name()?))
    })
}

/// The vault root as the client spells it: the folder it opened (or the
/// folder of the file it opened), or the one above it that holds
/// `kith.toml`, through the same symbolic links. The editor knows the files
/// by those paths, not by the real ones (`/tmp` is `/private/tmp` on macOS).
pub fn spelled_root(folder: &Path, real: &Path) -> PathBuf {
    let spelled = folder.ancestors().find(|a| std::fs::canonicalize(a).is_ok_and(|c| c == real));
    spelled.unwrap_or(real).to_path_buf()
}

/// The file name of a URI, as the path of a one-note vault.
fn loose_name(uri: &Uri) -> String {
    let path = uri.path().as_str();
    let name = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or("untitled.md");
    let name = percent_encoding::percent_decode_str(name).decode_utf8_lossy().into_owned();
    if names::is_markdown(&name) { name } else { format!("{name}.md") }
}

/// The state shared by the handlers and the worker.
#[derive(Debug)]
pub struct Shared {
    docs: Mutex<Documents>,
    world: RwLock<World>,
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
}

impl Shared {
    pub fn new(today: Date) -> Shared {
        Shared { docs: Mutex::default(), world: RwLock::new(World::new(today)), jobs: Mutex::new(None) }
    }

    pub fn docs(&self) -> MutexGuard<'_, Documents> {
        self.docs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, World> {
        let mut world = self.world.write().unwrap_or_else(PoisonError::into_inner);
        world.generation = world.generation.wrapping_add(1);
        world
    }

    /// The world as it is, without flushing the editor's texts.
    pub fn read_stale(&self) -> RwLockReadGuard<'_, World> {
        self.world.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The world with every edit so far applied: what requests answer from.
    pub fn read(&self) -> RwLockReadGuard<'_, World> {
        if !self.docs().dirty.is_empty() {
            let mut world = self.write();
            let mut docs = self.docs();
            world.flush(&mut docs);
            drop(docs);
            drop(world);
            self.send(Job::Edited);
        }
        self.read_stale()
    }

    pub fn set_jobs(&self, jobs: mpsc::Sender<Job>) {
        *self.jobs.lock().unwrap_or_else(PoisonError::into_inner) = Some(jobs);
    }

    pub fn send(&self, job: Job) {
        if let Some(jobs) = self.jobs.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
            // The worker is gone only after shutdown: nothing is left to do.
            let _ = jobs.send(job);
        }
    }
}
