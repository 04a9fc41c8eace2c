//! The analysis worker: one thread that reads the vault, applies changes
//! from the editor and the disk, runs the rules, and writes diagnostics to
//! the client itself, a batch at a time, holding no lock while it writes
//! (progress and log messages go through the publisher task). It never runs
//! on the async runtime.
//!
//! Findings are cached per *source*: a note's own findings, a contact's
//! findings (which may land in other notes) and each shared name's
//! duplicate findings.
//! A change recomputes only the sources it can touch (see [`Space::upsert`]),
//! and only files whose diagnostics differ from what was last published are
//! published again.

use super::Output;
use super::proto::{self, Conv};
use super::state::{Dirty, Job, Place, Shared, Space, SpaceKey, World};
use crate::engine::analysis;
use crate::engine::config::{self, Config};
use crate::engine::finding::Finding;
use crate::engine::names;
use crate::engine::note::Note;
use crate::engine::text::LineIndex;
use crate::engine::vault::{NoteId, Vault};
use crate::io::walk::{self, ReadNote};
use crate::io::watch::{self, VaultWatcher};
use compact_str::CompactString;
use rayon::prelude::*;
use smallvec::SmallVec;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedSender;
use tower_lsp_server::lsp_types::{
    Diagnostic, DiagnosticSeverity, Location, MessageType, NumberOrString, PublishDiagnosticsParams, Uri,
};

/// How long changes on disk must pause before they are analysed.
const QUIET: Duration = Duration::from_millis(30);
/// The longest edits are held back while they keep coming.
const MAX_DELAY: Duration = Duration::from_millis(250);
/// How long file events must pause before they are read.
const WATCH_QUIET: Duration = Duration::from_millis(100);
/// Files whose diagnostics are converted and written at a time: the client
/// starts receiving at once, and a large vault's are never all in memory.
const BATCH: usize = 500;

/// What the worker asks the publisher task to tell the client (diagnostics
/// it writes itself: [`Worker::write`]).
#[derive(Debug)]
pub enum Outgoing {
    Begin {
        token: String,
        title: String,
        message: String,
    },
    Report {
        token: String,
        message: String,
        percentage: u32,
    },
    End {
        token: String,
        message: String,
    },
    Log(MessageType, String),
    /// Contact summaries may have changed: ask the client for code lenses again.
    RefreshLenses,
}

/// Where findings come from. Paths are the notes' own (shared, not copied).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Source {
    Note(Arc<str>),
    Contact(Arc<str>),
    /// The contacts that share a folded name.
    Name(CompactString),
}

/// The findings of one space by source, and what was published per path.
#[derive(Debug, Default)]
struct Cache {
    /// Each source's findings, sorted by path: a path's findings are found
    /// by binary search (a contact's source may have findings in thousands).
    by_source: HashMap<Source, Vec<Finding>>,
    /// Path → the sources with findings placed in it (almost always one or two).
    placed: HashMap<Arc<str>, SmallVec<[Source; 2]>>,
    /// Path → a hash of the diagnostics last published there (as the client
    /// received them): enough to tell a change, a fraction of the memory.
    published: HashMap<Arc<str>, u64>,
    /// Path → the URI its diagnostics were last published under, when the
    /// client spells an open document otherwise than kith spells the file.
    spelled: HashMap<Arc<str>, Uri>,
    /// Paths whose diagnostics a round could not publish because the world
    /// changed under it: the next round publishes them.
    pending: Vec<Arc<str>>,
}

impl Cache {
    /// Replaces a source's findings; the paths whose findings from this
    /// source changed (all of them with `every`) are added to `affected`.
    fn set(&mut self, source: Source, mut findings: Vec<Finding>, every: bool, affected: &mut BTreeSet<Arc<str>>) {
        findings.sort_by(|a, b| a.path.cmp(&b.path));
        let old = self.by_source.remove(&source).unwrap_or_default();
        if every || old != findings {
            // Both sorted by path: walk them side by side, a path at a time.
            let (mut i, mut j) = (0, 0);
            while i < old.len() || j < findings.len() {
                let path = match (old.get(i), findings.get(j)) {
                    (Some(a), Some(b)) => a.path.clone().min(b.path.clone()),
                    (Some(a), None) => a.path.clone(),
                    (None, Some(b)) => b.path.clone(),
                    (None, None) => break,
                };
                let before = run(&old[i..], &path);
                let after = run(&findings[j..], &path);
                i += before.len();
                j += after.len();
                if every || before != after {
                    affected.insert(path.clone());
                }
                if after.is_empty() {
                    if let Some(sources) = self.placed.get_mut(&path) {
                        sources.retain(|s| *s != source);
                        if sources.is_empty() {
                            self.placed.remove(&path);
                        }
                    }
                } else if before.is_empty() {
                    let sources = self.placed.entry(path).or_default();
                    if !sources.contains(&source) {
                        sources.push(source.clone());
                    }
                }
            }
        }
        if !findings.is_empty() {
            self.by_source.insert(source, findings);
        }
    }

    fn replace_all(&mut self, all: Vec<(Source, Vec<Finding>)>, affected: &mut BTreeSet<Arc<str>>) {
        affected.extend(self.published.keys().cloned());
        affected.extend(self.placed.keys().cloned());
        self.by_source.clear();
        self.placed.clear();
        self.by_source.reserve(all.len());
        for (source, findings) in all {
            self.set(source, findings, false, affected);
        }
    }

    /// The findings placed in a path, in report order.
    fn findings_in(&self, path: &str) -> Vec<&Finding> {
        let mut out: Vec<&Finding> = self
            .placed
            .get(path)
            .into_iter()
            .flatten()
            .filter_map(|s| self.by_source.get(s))
            .flat_map(|found| run(&found[found.partition_point(|f| &*f.path < path)..], path))
            .collect();
        out.sort_unstable_by(|a, b| analysis::order(a, b));
        out
    }
}

/// The leading findings of a path-sorted list that are placed in `path`.
fn run<'a>(sorted: &'a [Finding], path: &str) -> &'a [Finding] {
    &sorted[..sorted.iter().take_while(|f| &*f.path == path).count()]
}

/// Every source of a vault, computed on all cores.
fn analyse_everything(vault: &Vault, today: crate::engine::Date) -> Vec<(Source, Vec<Finding>)> {
    let ids: Vec<NoteId> = vault.notes().map(|(id, _)| id).collect();
    // The duplicate check runs beside the notes', not after them.
    let (mut all, names) = rayon::join(
        || -> Vec<(Source, Vec<Finding>)> {
            ids.par_iter()
                .flat_map_iter(|&id| {
                    let mut out = Vec::with_capacity(2);
                    if let Some(note) = vault.note(id) {
                        out.push((Source::Note(note.path.clone()), analysis::note_findings(vault, id, today)));
                        if note.is_contact {
                            let found = analysis::contact_findings(vault, id, today);
                            out.push((Source::Contact(note.path.clone()), found));
                        }
                    }
                    out
                })
                .collect()
        },
        || analysis::name_groups(vault),
    );
    all.extend(names.into_iter().map(|(name, found)| (Source::Name(name.into()), found)));
    all
}

/// What to report on `kith.toml`, and where it is; `None` without a vault root.
type ConfigReport = Option<(Uri, Vec<Diagnostic>)>;

#[derive(Debug, Default)]
struct Round {
    index: bool,
    watch: bool,
    rescan: bool,
    files: BTreeSet<PathBuf>,
    closed: Vec<(Uri, Place)>,
    shutdown: bool,
    /// Whether anything but edits in the editor came.
    not_only_edits: bool,
}

impl Round {
    fn add(&mut self, job: Job) {
        self.not_only_edits |= !matches!(job, Job::Edited);
        match job {
            Job::Edited => {}
            Job::Index { watch } => {
                self.index = true;
                self.watch |= watch;
            }
            Job::Watch => self.watch = true,
            Job::Files { paths, rescan } => {
                self.files.extend(paths);
                self.rescan |= rescan;
            }
            Job::Closed { uri, place } => self.closed.push((uri, place)),
            Job::Shutdown => self.shutdown = true,
        }
    }
}

pub struct Worker {
    shared: Arc<Shared>,
    out: UnboundedSender<Outgoing>,
    /// Where diagnostics are written (the publisher is for everything else).
    output: Output,
    jobs: mpsc::Sender<Job>,
    caches: HashMap<SpaceKey, Cache>,
    config_published: ConfigReport,
    watch_disk: bool,
    watcher: Option<VaultWatcher>,
    progress: u32,
}

/// Starts the worker thread. It ends on [`Job::Shutdown`].
pub fn spawn(shared: Arc<Shared>, out: UnboundedSender<Outgoing>, output: Output) -> std::io::Result<()> {
    let (jobs, rx) = mpsc::channel();
    shared.set_jobs(jobs.clone());
    let worker = Worker {
        shared,
        out,
        output,
        jobs,
        caches: HashMap::new(),
        config_published: None,
        watch_disk: false,
        watcher: None,
        progress: 0,
    };
    std::thread::Builder::new().name("kith-analysis".into()).spawn(move || worker.run(rx))?;
    Ok(())
}

impl Worker {
    fn run(mut self, rx: mpsc::Receiver<Job>) {
        loop {
            let local = self.shared.read_stale().local_today;
            // With the clock as "today", wake up for midnight.
            let first = if local {
                match rx.recv_timeout(until_midnight()) {
                    Ok(job) => Some(job),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            } else {
                match rx.recv() {
                    Ok(job) => Some(job),
                    Err(_) => return,
                }
            };
            let mut round = Round::default();
            if let Some(job) = first {
                round.add(job);
                let start = Instant::now();
                loop {
                    // Edits are analysed at once: a keystroke costs its note
                    // and the contacts it touches, and what is typed meanwhile
                    // joins the next round. Changes on disk come in bursts (a
                    // save, a checkout): they wait for a quiet moment.
                    let next = if round.not_only_edits {
                        let wait = QUIET.min(MAX_DELAY.saturating_sub(start.elapsed()));
                        if wait.is_zero() {
                            break;
                        }
                        rx.recv_timeout(wait).ok()
                    } else {
                        rx.try_recv().ok()
                    };
                    match next {
                        Some(job) => round.add(job),
                        None => break,
                    }
                }
            }
            if round.shutdown {
                return;
            }
            self.check_date();
            self.process(round);
        }
    }

    fn check_date(&mut self) {
        let mut world = self.shared.write();
        if !world.local_today {
            return;
        }
        let today = chrono::Local::now().date_naive();
        if today != world.today {
            world.today = today;
            world.main.dirty.full = true;
            for space in world.loose.values_mut() {
                space.dirty.full = true;
            }
        }
    }

    fn process(&mut self, mut round: Round) {
        if round.watch {
            self.watch_disk = true;
        }
        for (uri, place) in std::mem::take(&mut round.closed) {
            self.closed(uri, place, &mut round.files);
        }
        let (maybe_config, adopted) = {
            let mut world = self.shared.write();
            let mut docs = self.shared.docs();
            world.flush(&mut docs);
            (world.config_changed, std::mem::take(&mut world.adopted))
        };
        if adopted {
            // The vault of an opened file, without a workspace: read it, and
            // watch it ourselves, since a client watches only its workspace.
            round.index = true;
            self.watch_disk = true;
        }
        let config_changed = maybe_config && !round.index && self.config_differs();
        let indexed = self.shared.read_stale().indexed;
        if round.index || round.rescan || config_changed || (round.watch && indexed && self.watcher.is_none()) {
            self.rebuild();
        } else if !round.files.is_empty() {
            self.apply_files(round.files);
        }
        self.analyse_all();
    }

    fn closed(&mut self, uri: Uri, place: Place, files: &mut BTreeSet<PathBuf>) {
        let mut world = self.shared.write();
        let place = if place == Place::Unknown { world.place_of(&uri) } else { place };
        match place {
            Place::Loose(_) => {
                world.loose.remove(&uri);
                let uri = world.loose_uris.remove(&uri).unwrap_or(uri);
                drop(world);
                let key = SpaceKey::Loose(uri.clone());
                if let Some(cache) = self.caches.remove(&key) {
                    if !cache.published.is_empty() {
                        self.write(vec![PublishDiagnosticsParams { uri, diagnostics: Vec::new(), version: None }]);
                    }
                }
            }
            Place::Vault(rel) => {
                world.main.synced.remove(&rel);
                world.main_uris.remove(&rel);
                if let Some(root) = &world.root {
                    files.insert(root.join(&rel));
                }
            }
            Place::Config => world.config_changed = true,
            Place::Unknown | Place::Ignored => {}
        }
    }

    /// Writes diagnostics to the client (see [`write_diagnostics`]).
    fn write(&self, batch: Vec<PublishDiagnosticsParams>) {
        write_diagnostics(&self.output, batch);
    }

    fn send(&self, message: Outgoing) {
        // The publisher is gone only when the server is: nothing to tell.
        let _ = self.out.send(message);
    }

    /// Reads the whole vault: at start, when `kith.toml` changes, or when
    /// the platform lost file events.
    fn rebuild(&mut self) {
        let root = {
            // Under one lock: a root found from an opened file meanwhile
            // must not be taken as indexed.
            let mut world = self.shared.write();
            let Some(root) = world.root.clone() else {
                world.indexed = true;
                return;
            };
            root
        };
        self.progress += 1;
        let token = format!("kith/index/{}", self.progress);
        self.send(Outgoing::Begin { token: token.clone(), title: "kith".into(), message: "Reading the vault".into() });
        let (config, config_diagnostics, config_text) = self.load_config(&root);
        if self.watch_disk {
            self.start_watcher(&root, &config);
        }
        let (vault, errors) = crate::io::load_vault(&root, config);
        let count = vault.len();
        self.send(Outgoing::Report {
            token: token.clone(),
            message: format!("Analysing {count} notes"),
            percentage: 50,
        });
        {
            let mut world = self.shared.write();
            let mut docs = self.shared.docs();
            world.main = Space::of(vault);
            world.main_uris.clear();
            world.config_changed = false;
            world.config_text = config_text;
            // Open documents win over the disk.
            let mut overlaid = Vec::new();
            for (uri, doc) in docs.open.iter_mut() {
                if matches!(doc.place, Place::Loose(_)) {
                    continue;
                }
                doc.place = world.place_of(uri);
                if let Place::Vault(rel) = &doc.place {
                    world.main.upsert_text(rel, doc.text.clone());
                    world.main.synced.insert(rel.clone(), doc.version);
                    world.main_uris.insert(rel.clone(), doc.uri.clone());
                    overlaid.push(uri.clone());
                }
            }
            for uri in overlaid {
                docs.dirty.remove(&uri);
            }
            world.main.settle();
            world.main.index_names();
            world.main.dirty = Dirty { full: true, ..Dirty::default() };
            world.indexed = true;
        }
        self.publish_config(config_diagnostics);
        let found = self.analyse(&SpaceKey::Main);
        let contacts = self.shared.read_stale().main.vault.contacts().count();
        self.send(Outgoing::End { token, message: format!("{count} notes, {contacts} contacts, {found} findings") });
        for error in errors {
            self.send(Outgoing::Log(MessageType::WARNING, format!("kith: cannot read {error}")));
        }
    }

    fn start_watcher(&mut self, root: &Path, config: &Config) {
        self.watcher = None;
        let jobs = self.jobs.clone();
        let watcher = watch::watch(root, config.exclude.clone(), WATCH_QUIET, move |batch| {
            let _ = jobs.send(Job::Files { paths: batch.paths.into_iter().collect(), rescan: batch.rescan });
        });
        match watcher {
            Ok(w) => self.watcher = Some(w),
            Err(e) => {
                self.send(Outgoing::Log(MessageType::WARNING, format!("kith: cannot watch {}: {e}", root.display())))
            }
        }
    }

    /// Where `kith.toml` is and what it says: the editor's text wins over
    /// the disk; `None` when there is none. A BOM is dropped.
    fn config_source(&self, root: &Path) -> (Option<Uri>, Option<String>) {
        let file = root.join(config::FILE_NAME);
        let open = {
            let world = self.shared.read_stale();
            let docs = self.shared.docs();
            // However the editor spells its path.
            let is_config = |uri: &Uri| {
                proto::file_path(uri).and_then(|p| world.relative(&p)).as_deref() == Some(config::FILE_NAME)
            };
            docs.open.iter().find(|(uri, _)| is_config(uri)).map(|(_, d)| (d.uri.clone(), d.text.clone()))
        };
        let (uri, text) = match open {
            Some((uri, text)) => (Some(uri), Some(text)),
            None => {
                (proto::file_uri(&file), std::fs::read(&file).ok().map(|b| String::from_utf8_lossy(&b).into_owned()))
            }
        };
        let text = text.map(|t| t.strip_prefix('\u{feff}').map_or(t.clone(), str::to_string));
        (uri, text)
    }

    /// Whether `kith.toml` says something else than when it was last read.
    fn config_differs(&self) -> bool {
        let Some(root) = self.shared.read_stale().root.clone() else { return false };
        let (_, text) = self.config_source(&root);
        let mut world = self.shared.write();
        let differs = world.config_text != text;
        if !differs {
            world.config_changed = false;
        }
        differs
    }

    /// The configuration, what to report on `kith.toml`, and the text it was
    /// read from. A configuration that cannot be used is reported and
    /// replaced by the defaults.
    fn load_config(&self, root: &Path) -> (Config, ConfigReport, Option<String>) {
        let (uri, source) = self.config_source(root);
        let Some(uri) = uri else { return (Config::default(), None, source) };
        let Some(text) = source.as_deref() else { return (Config::default(), Some((uri, Vec::new())), source) };
        let enc = self.shared.read_stale().enc;
        let lines = LineIndex::new(text);
        let conv = Conv { text, lines: &lines, enc };
        let diagnostic = |range: std::ops::Range<usize>, severity, message: String| Diagnostic {
            range: conv.range(range),
            severity: Some(severity),
            code: Some(NumberOrString::String("config".into())),
            source: Some("kith".into()),
            message,
            ..Diagnostic::default()
        };
        match Config::parse(text) {
            Ok(config) => {
                let warnings = config
                    .unknown_keys
                    .iter()
                    .map(|(key, range)| {
                        diagnostic(
                            range.clone(),
                            DiagnosticSeverity::WARNING,
                            format!("kith does not know `{key}`: it is ignored"),
                        )
                    })
                    .collect();
                (config, Some((uri, warnings)), source)
            }
            Err(e) => {
                let message = format!("{} — kith carries on with the default settings until this is fixed", e.message);
                let report = vec![diagnostic(e.range, DiagnosticSeverity::ERROR, message)];
                (Config::default(), Some((uri, report)), source)
            }
        }
    }

    fn publish_config(&mut self, now: ConfigReport) {
        let mut batch = Vec::new();
        match (&self.config_published, &now) {
            (Some((old_uri, old)), Some((uri, new))) if old_uri == uri && old == new => return,
            (Some((old_uri, old)), _) if !old.is_empty() && now.as_ref().is_none_or(|(u, _)| u != old_uri) => {
                batch.push(PublishDiagnosticsParams { uri: old_uri.clone(), diagnostics: Vec::new(), version: None });
            }
            _ => {}
        }
        if let Some((uri, diagnostics)) = &now {
            let was =
                self.config_published.as_ref().filter(|(u, _)| u == uri).map(|(_, d)| d.as_slice()).unwrap_or(&[]);
            if was != diagnostics.as_slice() {
                batch.push(PublishDiagnosticsParams {
                    uri: uri.clone(),
                    diagnostics: diagnostics.clone(),
                    version: None,
                });
            }
        }
        self.config_published = now;
        if !batch.is_empty() {
            self.write(batch);
        }
    }

    /// Applies files changed on disk, one by one: upsert or remove, then
    /// one link refresh for the whole batch.
    fn apply_files(&mut self, paths: BTreeSet<PathBuf>) {
        // The editor may spell paths through a symbolic link, or not.
        let (root, config, paths) = {
            let world = self.shared.read_stale();
            let Some(root) = world.root.clone() else { return };
            let rels: Vec<String> = paths.iter().filter_map(|p| world.relative(p)).collect();
            (root, world.main.vault.config.clone(), rels)
        };
        let open = self.shared.docs().open_in_vault();
        let mut reads: Vec<(String, PathBuf)> = Vec::new();
        let mut removes: Vec<String> = Vec::new();
        let mut others: Vec<String> = Vec::new();
        let mut classify = |rel: String, abs: PathBuf, reads: &mut Vec<(String, PathBuf)>| {
            if open.contains(&rel) {
                return;
            }
            if names::is_markdown(&rel) && !config.exclude.matches_file(&rel) {
                reads.push((rel, abs));
            } else {
                others.push(rel);
            }
        };
        for rel in paths {
            let path = root.join(&rel);
            if rel.is_empty() || watch::hidden(&rel) {
                continue;
            }
            if rel == config::FILE_NAME {
                self.shared.write().config_changed = true;
                continue;
            }
            match std::fs::symlink_metadata(&path) {
                Ok(meta) if meta.is_file() => classify(rel, path, &mut reads),
                Ok(meta) if meta.is_dir() => {
                    for (rel, abs) in files_under(&root, &path) {
                        classify(rel, abs, &mut reads);
                    }
                }
                _ if open.contains(&rel) => {}
                _ => removes.push(rel),
            }
        }
        if self.shared.read_stale().config_changed && self.config_differs() {
            self.rebuild();
            return;
        }
        let max = config.max_file_size;
        let read: Vec<Result<Note, String>> = reads
            .into_par_iter()
            .map(|(rel, abs)| match walk::read_note(&abs, max) {
                Ok(ReadNote::Text(text, origin)) => Ok(Note::parse(&rel, text, origin, &config)),
                Ok(ReadNote::TooLarge(size)) => Ok(Note::skipped(&rel, size, max)),
                // Gone between the look and the read.
                Err(_) => Err(rel),
            })
            .collect();
        let mut world = self.shared.write();
        // A document opened while the disk was read wins over what was read.
        let open = self.shared.docs().open_in_vault();
        let space = &mut world.main;
        for rel in removes.iter().filter(|r| !open.contains(*r)) {
            space.remove(rel);
        }
        for rel in others.iter().filter(|r| !open.contains(*r)) {
            if space.vault.by_path(rel).is_some() {
                space.remove(rel);
            }
            space.vault.add_file(rel);
        }
        for note in read {
            match note {
                Ok(note) if !open.contains(&*note.path) => space.upsert(note),
                Err(rel) if !open.contains(&rel) => space.remove(&rel),
                _ => {}
            }
        }
        space.settle();
    }

    fn analyse_all(&mut self) {
        let keys: Vec<SpaceKey> = {
            let world = self.shared.read_stale();
            let mut keys: Vec<SpaceKey> = world.loose.keys().cloned().map(SpaceKey::Loose).collect();
            if world.indexed {
                keys.push(SpaceKey::Main);
            }
            keys
        };
        for key in keys {
            self.analyse(&key);
        }
    }

    /// Recomputes what is dirty in a space and publishes what changed.
    /// Returns the number of findings in the space.
    fn analyse(&mut self, key: &SpaceKey) -> usize {
        let dirty = {
            let mut world = self.shared.write();
            match world.space_mut(key) {
                Some(space) => std::mem::take(&mut space.dirty),
                None => return 0,
            }
        };
        let cache = self.caches.entry(key.clone()).or_default();
        if dirty.is_empty() && cache.pending.is_empty() {
            return cache.by_source.values().map(Vec::len).sum();
        }
        let world = self.shared.read_stale();
        let Some(space) = world.space(key) else { return 0 };
        let vault = &space.vault;
        let today = world.today;
        // The rules run under the world's read lock; what the cache makes of
        // their findings does not need it, so edits wait only for the rules.
        // An edit typed meanwhile stops the round between two sources: the
        // edit's flush waits for this lock, and the round it starts redoes
        // the work given back here. Typing never waits for more than one
        // source's rules.
        let shared = &self.shared;
        let edited = || !shared.docs().dirty.is_empty();
        let (everything, found) = if dirty.full {
            (Some(analyse_everything(vault, today)), Vec::new())
        } else {
            let notes: Vec<&String> = dirty.notes.iter().collect();
            let contacts: Vec<&String> = dirty.contacts.iter().collect();
            let of_notes = notes.par_iter().map(|path| {
                (!edited()).then(|| {
                    let found = vault.id(path).map(|id| analysis::note_findings(vault, id, today)).unwrap_or_default();
                    (Source::Note(Arc::from(path.as_str())), found, false)
                })
            });
            let of_contacts = contacts.par_iter().map(|path| {
                (!edited()).then(|| {
                    let contact = vault.id(path).filter(|&id| vault.note(id).is_some_and(|n| n.is_contact));
                    let found = contact.map(|id| analysis::contact_findings(vault, id, today)).unwrap_or_default();
                    // When the contact's own note changed, where it names
                    // itself may have moved: its findings elsewhere point there.
                    (Source::Contact(Arc::from(path.as_str())), found, dirty.notes.contains(*path))
                })
            });
            // Each name costs its group of contacts, not the vault.
            let of_names = dirty.names.par_iter().map(|name| {
                (!edited()).then(|| (Source::Name(name.clone()), analysis::name_findings(vault, name), false))
            });
            let found: Option<Vec<(Source, Vec<Finding>, bool)>> =
                of_notes.chain(of_contacts).chain(of_names).collect();
            let Some(found) = found else {
                drop(world);
                if let Some(space) = self.shared.write().space_mut(key) {
                    space.dirty.merge(dirty);
                }
                return cache.by_source.values().map(Vec::len).sum();
            };
            (None, found)
        };
        let lenses = world.client.code_lens_refresh && (dirty.full || !dirty.contacts.is_empty());
        let generation = world.generation;
        drop(world);
        let mut affected: BTreeSet<Arc<str>> = cache.pending.drain(..).collect();
        if let Some(everything) = everything {
            cache.replace_all(everything, &mut affected);
        } else {
            // Its text changed: equal findings may stand on other lines now.
            affected.extend(dirty.notes.iter().map(|p| Arc::from(p.as_str())));
            for (source, findings, every) in found {
                cache.set(source, findings, every, &mut affected);
            }
        }
        let total = cache.by_source.values().map(Vec::len).sum();
        // Converted, compared and sent a batch at a time: the client starts
        // receiving at once and memory stays bounded on a large vault.
        let affected: Vec<Arc<str>> = affected.into_iter().collect();
        // Fields, not methods, below: `cache` borrows `self.caches`.
        let mut batches = affected.chunks(BATCH);
        while let Some(batch) = batches.next() {
            let world = self.shared.read_stale();
            let edited = !self.shared.docs().dirty.is_empty();
            let Some(space) = world.space(key).filter(|_| world.generation == generation && !edited) else {
                // The world changed meanwhile, or an edit waits for it to:
                // the round that change starts publishes the rest, converted
                // against the new texts.
                cache.pending.extend(batch.iter().cloned());
                cache.pending.extend(batches.flatten().cloned());
                break;
            };
            let params = diagnostics(cache, &world, key, space, batch);
            drop(world);
            // Holding no lock: writing waits while the client does not read.
            write_diagnostics(&self.output, params);
        }
        if lenses {
            self.send(Outgoing::RefreshLenses);
        }
        total
    }
}

/// The diagnostics of the affected paths that differ from what was
/// published. Converting and hashing are done on all cores; deciding what
/// changed is not.
fn diagnostics(
    cache: &mut Cache,
    world: &World,
    key: &SpaceKey,
    space: &Space,
    affected: &[Arc<str>],
) -> Vec<PublishDiagnosticsParams> {
    let vault = &space.vault;
    let shared: &Cache = cache;
    let version_of = |path: &str| {
        let open = match key {
            SpaceKey::Main => world.main_uris.contains_key(path),
            SpaceKey::Loose(_) => true,
        };
        if open { space.synced.get(path).copied() } else { None }
    };
    let converted: Vec<(&Arc<str>, Vec<Diagnostic>, u64)> = affected
        .par_iter()
        .map(|path| {
            let Some(note) = vault.by_path(path) else { return (path, Vec::new(), 0) };
            let conv = Conv::new(note, world.enc);
            let diagnostics: Vec<Diagnostic> = shared
                .findings_in(path)
                .iter()
                .map(|f| {
                    let about = f
                        .contact
                        .as_ref()
                        .filter(|c| c.path != f.path)
                        .and_then(|c| Some((vault.by_path(&c.path)?, world.uri_of(key, &c.path)?)))
                        .map(|(contact, uri)| Location {
                            uri,
                            range: Conv::new(contact, world.enc).range(proto::name_range(contact)),
                        });
                    proto::diagnostic(f, &conv, about)
                })
                .collect();
            // An open note's diagnostics are sent again for each version of
            // it, though they did not change: clients may keep only those of
            // the version they show.
            let version = version_of(path).map_or(0, |v| u64::from(v as u32).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let hash = hash_of(&diagnostics) ^ version;
            (path, diagnostics, hash)
        })
        .collect();
    let mut out = Vec::new();
    for (path, diagnostics, hash) in converted {
        if *key == SpaceKey::Main {
            respell(cache, world, path, &mut out);
        }
        let unchanged = match cache.published.get(path) {
            Some(old) => *old == hash && !diagnostics.is_empty(),
            None => diagnostics.is_empty(),
        };
        if unchanged {
            continue;
        }
        let Some(uri) = world.uri_of(key, path) else { continue };
        let version = version_of(path);
        if diagnostics.is_empty() {
            cache.published.remove(path);
        } else {
            cache.published.insert(path.clone(), hash);
        }
        out.push(PublishDiagnosticsParams { uri, diagnostics, version });
    }
    out
}

/// Follows the client's spelling of a note of the vault: open, its
/// diagnostics go under the URI the client opened it by; closed, under the
/// one kith makes. When that changes, what was published under the other
/// spelling is withdrawn (to a client that tells them apart, two spellings
/// are two files) and the path counts as never published.
fn respell(cache: &mut Cache, world: &World, path: &Arc<str>, out: &mut Vec<PublishDiagnosticsParams>) {
    let open = world.main_uris.get(&**path);
    if open.is_none() && !cache.spelled.contains_key(path) {
        // Kith's own spelling, before and now: the common case, at no cost.
        return;
    }
    let own = world.root.as_ref().and_then(|root| proto::file_uri(&root.join(&**path)));
    let now = open.filter(|uri| Some(*uri) != own.as_ref()).cloned();
    let before = cache.spelled.get(path).cloned();
    if now == before {
        return;
    }
    match now {
        Some(uri) => cache.spelled.insert(path.clone(), uri),
        None => cache.spelled.remove(path),
    };
    if cache.published.remove(path).is_some() {
        if let Some(uri) = before.or(own) {
            out.push(PublishDiagnosticsParams { uri, diagnostics: Vec::new(), version: None });
        }
    }
}

/// Writes `textDocument/publishDiagnostics` notifications, serialised on all
/// cores and written a pipe's worth at a time, so that the transport's
/// answers to requests never wait long behind them. A client that has gone
/// cannot be told anything: errors are dropped (the transport notices them too).
fn write_diagnostics(output: &Output, batch: Vec<PublishDiagnosticsParams>) {
    const CHUNK: usize = 64 << 10;
    let messages: Vec<Vec<u8>> = batch.par_iter().map(message).collect();
    let mut chunk = Vec::with_capacity(CHUNK);
    for message in messages {
        chunk.extend_from_slice(&message);
        if chunk.len() >= CHUNK {
            if output.write_messages(&chunk).is_err() {
                return;
            }
            chunk.clear();
        }
    }
    if !chunk.is_empty() {
        let _ = output.write_messages(&chunk);
    }
}

/// One framed notification: `Content-Length` header and JSON-RPC body.
fn message(params: &PublishDiagnosticsParams) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Notification<'a> {
        jsonrpc: &'static str,
        method: &'static str,
        params: &'a PublishDiagnosticsParams,
    }
    let note = Notification { jsonrpc: "2.0", method: "textDocument/publishDiagnostics", params };
    // Protocol types always serialise: their maps have string keys.
    let body = serde_json::to_vec(&note).unwrap_or_default();
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(&body);
    framed
}

/// A hash of what a client sees of diagnostics: enough to tell a change
/// without keeping a copy of what was published.
fn hash_of(diagnostics: &[Diagnostic]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    diagnostics.len().hash(&mut h);
    for d in diagnostics {
        d.range.hash(&mut h);
        let severity = [DiagnosticSeverity::ERROR, DiagnosticSeverity::WARNING, DiagnosticSeverity::INFORMATION]
            .iter()
            .position(|s| Some(*s) == d.severity);
        severity.hash(&mut h);
        d.code.hash(&mut h);
        d.code_description.as_ref().map(|c| c.href.as_str()).hash(&mut h);
        d.source.hash(&mut h);
        d.message.hash(&mut h);
        for related in d.related_information.iter().flatten() {
            related.location.hash(&mut h);
            related.message.hash(&mut h);
        }
        d.tags.as_ref().map(Vec::len).hash(&mut h);
        d.data.as_ref().map(|v| v.to_string()).hash(&mut h);
    }
    h.finish()
}

/// The files below a folder that a walk of the vault would see.
fn files_under(root: &Path, dir: &Path) -> Vec<(String, PathBuf)> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.path() == dir || !(e.file_name().to_string_lossy().starts_with('.') || e.path_is_symlink()))
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| Some((walk::relative(root, e.path())?, e.into_path())))
        .collect()
}

/// Time until just after the next local midnight, at most an hour (clocks
/// change; a laptop sleeps).
fn until_midnight() -> Duration {
    let now = chrono::Local::now();
    let tomorrow = now.date_naive().succ_opt().and_then(|d| d.and_hms_opt(0, 0, 1));
    let wait = tomorrow.map_or(3600, |t| (t - now.naive_local()).num_seconds().max(1));
    Duration::from_secs(wait.clamp(1, 3600) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wakes_for_midnight_within_the_hour() {
        let wait = until_midnight();
        assert!(wait >= Duration::from_secs(1) && wait <= Duration::from_secs(3600), "{wait:?}");
    }
}
