//! Finding, walking and reading a vault.

use crate::engine::config::{self, Config};
use crate::engine::names;
use crate::engine::note::{Note, Origin};
use crate::engine::vault::Vault;
use rayon::prelude::*;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Where a vault lives and where its `kith.toml` is, if it has one.
#[derive(Debug, Clone)]
pub struct VaultRoot {
    pub root: PathBuf,
    pub config_file: Option<PathBuf>,
}

/// A `kith.toml` that cannot be used, with the line and column of the problem.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct ConfigFileError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub range: std::ops::Range<usize>,
}

/// The vault root for a path: the nearest folder at or above it holding
/// `kith.toml` (spec section 6), even past a repository root: a vault may
/// hold a repository of its own; without one, the path itself (its folder,
/// for a file).
pub fn find_root(path: &Path) -> std::io::Result<VaultRoot> {
    let meta = fs::metadata(path)?;
    let start = if meta.is_dir() { path.to_path_buf() } else { path.parent().unwrap_or(Path::new(".")).to_path_buf() };
    let start = if start.as_os_str().is_empty() { PathBuf::from(".") } else { start };
    let absolute = fs::canonicalize(&start).unwrap_or_else(|_| start.clone());
    let mut dir: Option<&Path> = Some(&absolute);
    while let Some(d) = dir {
        let candidate = d.join(config::FILE_NAME);
        if candidate.is_file() {
            return Ok(VaultRoot { root: d.to_path_buf(), config_file: Some(candidate) });
        }
        dir = d.parent();
    }
    Ok(VaultRoot { root: absolute, config_file: None })
}

/// Reads and parses `kith.toml`; defaults when there is none.
pub fn load_config(root: &VaultRoot) -> Result<Config, ConfigFileError> {
    let Some(file) = &root.config_file else { return Ok(Config::default()) };
    let shown = file.display().to_string();
    let text = fs::read(file).map_err(|e| ConfigFileError {
        path: shown.clone(),
        line: 1,
        column: 1,
        message: format!("cannot read it: {e}"),
        range: 0..0,
    })?;
    let text = String::from_utf8_lossy(&text);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Config::parse(text).map_err(|e| {
        let index = crate::engine::text::LineIndex::new(text);
        let lc = index.line_col(text, e.range.start, crate::engine::text::Encoding::Chars);
        ConfigFileError {
            path: shown,
            line: lc.line as usize + 1,
            column: lc.col as usize + 1,
            message: e.message,
            range: e.range,
        }
    })
}

/// A Markdown file found by the walk.
#[derive(Debug, Clone)]
pub struct Found {
    pub rel: String,
    pub abs: PathBuf,
}

/// What a walk found: the notes to read, and the other files links may target.
#[derive(Debug, Default)]
pub struct Walk {
    pub notes: Vec<Found>,
    pub others: Vec<String>,
    /// Files and folders that could not be listed, with the reason.
    pub errors: Vec<String>,
}

/// The vault-relative, `/`-separated path of a file under the root.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    Some(parts.join("/"))
}

/// Walks the vault: hidden entries and symbolic links are skipped, excluded
/// notes and non-Markdown files are kept only as link targets.
pub fn walk(root: &Path, config: &Config) -> Walk {
    let mut out = Walk::default();
    walk_each(root, config, |item| match item {
        Walked::Note(found) => out.notes.push(found),
        Walked::Other(rel) => out.others.push(rel),
        Walked::Error(e) => out.errors.push(e),
    });
    out
}

/// One thing a walk found, in walk order.
pub enum Walked {
    Note(Found),
    Other(String),
    Error(String),
}

/// Walks the vault as [`walk`] does, handing over each find at once.
pub fn walk_each(root: &Path, config: &Config, mut found: impl FnMut(Walked)) {
    let walker = walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name().into_iter().filter_entry(|e| {
        if e.depth() == 0 {
            return true;
        }
        let hidden = e.file_name().to_string_lossy().starts_with('.');
        !hidden && !e.path_is_symlink()
    });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                found(Walked::Error(e.to_string()));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(rel) = relative(root, entry.path()) else { continue };
        if names::is_markdown(&rel) && !config.exclude.matches_file(&rel) {
            found(Walked::Note(Found { rel, abs: entry.into_path() }));
        } else {
            found(Walked::Other(rel));
        }
    }
}

/// What reading one note gave.
#[derive(Debug)]
pub enum ReadNote {
    Text(String, Origin),
    TooLarge(u64),
}

/// Reads a note: a BOM is dropped, invalid UTF-8 is replaced and its first
/// offset remembered, a file over `max` bytes is not read.
pub fn read_note(path: &Path, max: u64) -> std::io::Result<ReadNote> {
    let file = fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > max {
        return Ok(ReadNote::TooLarge(size));
    }
    // Read at most max + 1 bytes: a file that grows while we read stays bounded.
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Ok(ReadNote::TooLarge(bytes.len() as u64));
    }
    Ok(decode(bytes))
}

/// Turns bytes into note text: BOM dropped, invalid UTF-8 replaced.
pub fn decode(mut bytes: Vec<u8>) -> ReadNote {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => ReadNote::Text(text, Origin::default()),
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            ReadNote::Text(text, Origin { invalid_utf8_at: Some(at), ..Origin::default() })
        }
    }
}

/// Walks, reads and parses a whole vault, each file read and parsed in one
/// task on all cores (the text is parsed while it is still in the cache).
///
/// The walk runs on a thread of its own and hands over each note as it finds
/// it, so reading and parsing start at once instead of after the walk (a
/// large folder takes a while to list). Notes keep the walk's order.
pub fn load_vault(root: &Path, config: Config) -> (Vault, Vec<String>) {
    let max = config.max_file_size;
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Found)>();
    let (mut others, mut errors) = (Vec::new(), Vec::new());
    let read: Vec<(usize, Result<Box<Note>, String>)> = std::thread::scope(|scope| {
        let walker = scope.spawn(|| {
            let (mut others, mut errors, mut index) = (Vec::new(), Vec::new(), 0);
            walk_each(root, &config, |item| match item {
                Walked::Note(found) => {
                    // The receiver lives until the walk is done.
                    let _ = tx.send((index, found));
                    index += 1;
                }
                Walked::Other(rel) => others.push(rel),
                Walked::Error(e) => errors.push(e),
            });
            drop(tx);
            (others, errors)
        });
        let read = rx
            .into_iter()
            .par_bridge()
            .map(|(index, found)| {
                let note = match read_note(&found.abs, max) {
                    Ok(ReadNote::Text(text, origin)) => Ok(Box::new(Note::parse(&found.rel, text, origin, &config))),
                    Ok(ReadNote::TooLarge(size)) => Ok(Box::new(Note::skipped(&found.rel, size, max))),
                    Err(e) => Err(format!("{}: {e}", found.rel)),
                };
                (index, note)
            })
            .collect();
        // A panicking walk is a bug, not a vault problem: let it surface.
        (others, errors) = walker.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        read
    });
    // Back into walk order: each note moved once, into its slot.
    let mut slots: Vec<Option<Result<Box<Note>, String>>> = std::iter::repeat_with(|| None).take(read.len()).collect();
    for (index, r) in read {
        slots[index] = Some(r);
    }
    let mut notes = Vec::with_capacity(slots.len());
    for r in slots.into_iter().flatten() {
        match r {
            Ok(note) => notes.push(note),
            Err(e) => errors.push(e),
        }
    }
    (Vault::from_notes(config, notes, others), errors)
}
