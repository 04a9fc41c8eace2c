//! Watching a vault for changes made outside the editor.
//!
//! The language server uses this when the editor cannot watch files for it.
//! Events are not interpreted here: a quiet period's events become one
//! [`Batch`] of paths to look at again, and the consumer checks the disk for
//! what each path is now. That one rule covers creates, edits, deletes and
//! both halves of a rename, whatever the platform reports for them.
//!
//! Folders are watched one by one rather than recursively, so that hidden
//! folders (`.git`, `.obsidian`, `.trash`) and folders matched by `exclude`
//! cost no watches and send no events.

use crate::engine::config::Globs;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

/// The longest a batch is held back while events keep coming.
const MAX_DELAY: Duration = Duration::from_secs(3);

/// What changed on disk during one quiet period.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Absolute paths to look at again: files and folders, created, changed or gone.
    pub paths: BTreeSet<PathBuf>,
    /// The platform dropped events: the whole vault must be read again.
    pub rescan: bool,
}

/// A running watcher. Dropping it stops the watching and its thread.
pub struct VaultWatcher {
    _watcher: Arc<Mutex<RecommendedWatcher>>,
}

impl std::fmt::Debug for VaultWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultWatcher")
    }
}

/// Watches `root` and calls `on_batch` on a thread of its own once events
/// have been quiet for `quiet` (or have kept coming for a few seconds).
pub fn watch<F>(root: &Path, exclude: Globs, quiet: Duration, on_batch: F) -> notify::Result<VaultWatcher>
where
    F: FnMut(Batch) + Send + 'static,
{
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let watcher = notify::recommended_watcher(move |event| {
        // The receiver is gone only when the watcher is being dropped.
        let _ = tx.send(event);
    })?;
    let watcher = Arc::new(Mutex::new(watcher));
    let root = root.to_path_buf();
    add_folder(&watcher, &root, &root, &exclude, None)?;
    let weak = Arc::downgrade(&watcher);
    std::thread::Builder::new()
        .name("kith-watch".into())
        .spawn(move || debounce(rx, weak, root, exclude, quiet, on_batch))
        .map_err(notify::Error::io)?;
    Ok(VaultWatcher { _watcher: watcher })
}

/// Collects events until they have been quiet for `quiet`, then hands them on.
/// Ends when the watcher is dropped (its sender goes with it).
fn debounce<F>(
    rx: mpsc::Receiver<notify::Result<notify::Event>>,
    watcher: Weak<Mutex<RecommendedWatcher>>,
    root: PathBuf,
    exclude: Globs,
    quiet: Duration,
    mut on_batch: F,
) where
    F: FnMut(Batch),
{
    while let Ok(first) = rx.recv() {
        let mut batch = Batch::default();
        take(&mut batch, first, &root, &exclude);
        let start = Instant::now();
        let mut open = true;
        while open {
            let wait = quiet.min(MAX_DELAY.saturating_sub(start.elapsed()));
            if wait.is_zero() {
                break;
            }
            match rx.recv_timeout(wait) {
                Ok(event) => take(&mut batch, event, &root, &exclude),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => open = false,
            }
        }
        // A folder that appeared needs a watch of its own, and whatever was
        // written into it before the watch existed counts as changed.
        let folders: Vec<PathBuf> = batch.paths.iter().filter(|p| p.is_dir()).cloned().collect();
        if let Some(watcher) = watcher.upgrade() {
            for folder in folders {
                let _ = add_folder(&watcher, &root, &folder, &exclude, Some(&mut batch.paths));
            }
        }
        if !batch.paths.is_empty() || batch.rescan {
            on_batch(batch);
        }
        if !open {
            return;
        }
    }
}

fn take(batch: &mut Batch, event: notify::Result<notify::Event>, root: &Path, exclude: &Globs) {
    let event = match event {
        Ok(event) => event,
        Err(_) => {
            batch.rescan = true;
            return;
        }
    };
    if event.need_rescan() {
        batch.rescan = true;
    }
    if matches!(event.kind, EventKind::Access(_)) {
        return;
    }
    for path in event.paths {
        if wanted(root, &path, exclude) {
            batch.paths.insert(path);
        }
    }
}

/// Whether a path is in the vault and not hidden or in an excluded folder.
pub fn wanted(root: &Path, path: &Path, exclude: &Globs) -> bool {
    let Some(rel) = super::walk::relative(root, path) else { return false };
    if rel.is_empty() || hidden(&rel) {
        return false;
    }
    // Only the folders above the path: an excluded note is still a link target.
    match rel.rsplit_once('/') {
        Some((dir, _)) => !excluded_folder(exclude, dir),
        None => true,
    }
}

/// Whether `exclude` leaves out a whole folder: the folder itself matches
/// (`templates/`), or any name in it would (`templates/**`).
fn excluded_folder(exclude: &Globs, rel: &str) -> bool {
    !exclude.is_empty() && (exclude.matches_dir(rel) || exclude.matches_file(&format!("{rel}/kith-probe")))
}

/// Whether any part of a vault-relative path starts with a dot.
pub fn hidden(rel: &str) -> bool {
    rel.split('/').any(|part| part.starts_with('.'))
}

/// Watches `folder` and every folder below it that kith reads; files found
/// below go to `found`.
fn add_folder(
    watcher: &Mutex<RecommendedWatcher>,
    root: &Path,
    folder: &Path,
    exclude: &Globs,
    mut found: Option<&mut BTreeSet<PathBuf>>,
) -> notify::Result<()> {
    let mut guard = watcher.lock().unwrap_or_else(PoisonError::into_inner);
    let walker = walkdir::WalkDir::new(folder).follow_links(false).into_iter().filter_entry(|e| {
        if e.path() == root {
            return true;
        }
        if e.path_is_symlink() {
            return false;
        }
        let Some(rel) = super::walk::relative(root, e.path()) else { return false };
        if hidden(&rel) {
            return false;
        }
        !(e.file_type().is_dir() && excluded_folder(exclude, &rel))
    });
    let mut first_error = None;
    for entry in walker.flatten() {
        // The root may be spelled through a symbolic link (walkdir then
        // reports it as one): it is the vault's folder all the same.
        if entry.file_type().is_dir() || entry.path() == root {
            if let Err(e) = guard.watch(entry.path(), RecursiveMode::NonRecursive) {
                first_error.get_or_insert(e);
            }
        } else if let Some(found) = found.as_deref_mut().filter(|_| entry.file_type().is_file()) {
            found.insert(entry.into_path());
        }
    }
    match first_error {
        // Only the root is essential: a folder that vanished meanwhile is not.
        Some(e) if folder == root => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn wait_for(rx: &mpsc::Receiver<Batch>, want: impl Fn(&BTreeSet<PathBuf>) -> bool) -> BTreeSet<PathBuf> {
        let mut seen = BTreeSet::new();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(batch) = rx.recv_timeout(Duration::from_millis(100)) {
                seen.extend(batch.paths);
                if want(&seen) {
                    return seen;
                }
            }
        }
        panic!("no batch with the expected paths; saw {seen:?}");
    }

    #[test]
    fn reports_files_in_new_folders_and_skips_hidden_and_excluded() {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::create_dir_all(root.join("templates")).unwrap();
        let (tx, rx) = mpsc::channel();
        let exclude = Globs::new(vec!["templates/**".into()]).unwrap();
        let _watcher = watch(&root, exclude, Duration::from_millis(50), move |b| {
            let _ = tx.send(b);
        })
        .unwrap();
        fs::write(root.join(".git/HEAD"), "x").unwrap();
        fs::write(root.join("templates/t.md"), "x").unwrap();
        fs::create_dir_all(root.join("people/team")).unwrap();
        fs::write(root.join("people/team/jana.md"), "# Jana").unwrap();
        fs::write(root.join("note.md"), "x").unwrap();
        let seen =
            wait_for(&rx, |s| s.contains(&root.join("people/team/jana.md")) && s.contains(&root.join("note.md")));
        assert!(
            seen.iter().all(|p| !p.starts_with(root.join(".git")) && !p.starts_with(root.join("templates"))),
            "{seen:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn watches_a_root_spelled_through_a_symbolic_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(dir.path()).unwrap().join("vault");
        fs::create_dir_all(real.join("people")).unwrap();
        let link = fs::canonicalize(dir.path()).unwrap().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let (tx, rx) = mpsc::channel();
        let _watcher = watch(&link, Globs::default(), Duration::from_millis(50), move |b| {
            let _ = tx.send(b);
        })
        .unwrap();
        fs::write(real.join("top.md"), "x").unwrap();
        fs::write(real.join("people/jana.md"), "x").unwrap();
        // Paths come as the watcher was asked: through the link.
        wait_for(&rx, |s| s.contains(&link.join("top.md")) && s.contains(&link.join("people/jana.md")));
    }
}
