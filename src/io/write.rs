//! Atomic writes of notes.
//!
//! A note is never written in place. The new contents go to a hidden
//! temporary file in the same folder (`.kith-*.tmp`: the walker skips hidden
//! files, and the same folder means the same file system, so the rename is
//! atomic), which is flushed and synced, given the original's permissions,
//! and only then renamed over the original; the folder is synced last.
//! A crash at any step leaves either the old note or the new one, never a
//! mix. A crash before the rename may leave the hidden temporary file
//! behind; an error or a panic removes it (tempfile cleans up on drop).
//!
//! Just before the rename the original is compared with what was read
//! (length, modification time and bytes): if an editor saved it in the
//! meantime, nothing is written. A save that lands between that check and
//! the rename is still lost — the window is a few microseconds, and closing
//! it would need locks that editors do not take.
//!
//! A rename gives the note a new inode: hard links to it are not updated
//! and the owner becomes the writing user. Symbolic links and read-only
//! notes are refused rather than replaced.

use std::fs::{self, Permissions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// A note as read before an edit: what a write must find unchanged.
#[derive(Debug, Clone)]
pub struct Original {
    pub bytes: Vec<u8>,
    len: u64,
    modified: Option<SystemTime>,
    permissions: Permissions,
}

impl Original {
    /// Reads a note for editing. Refuses symbolic links and anything that is
    /// not a regular file.
    pub fn read(path: &Path) -> Result<Original, WriteError> {
        let io_err = |source| WriteError::Io { path: path.to_path_buf(), source };
        let meta = fs::symlink_metadata(path).map_err(io_err)?;
        if meta.file_type().is_symlink() {
            return Err(WriteError::Refused(
                path.to_path_buf(),
                "is a symbolic link; kith does not write through links",
            ));
        }
        if !meta.is_file() {
            return Err(WriteError::Refused(path.to_path_buf(), "is not a regular file"));
        }
        let bytes = fs::read(path).map_err(io_err)?;
        Ok(Original { len: meta.len(), modified: meta.modified().ok(), permissions: meta.permissions(), bytes })
    }

    /// Whether the file on disk is still the one that was read.
    fn unchanged(&self, path: &Path) -> io::Result<bool> {
        let meta = fs::symlink_metadata(path)?;
        if !meta.is_file() || meta.len() != self.len || meta.modified().ok() != self.modified {
            return Ok(false);
        }
        Ok(fs::read(path)? == self.bytes)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{} changed since kith read it; nothing was written — run the command again", .0.display())]
    Changed(PathBuf),
    #[error("{} already exists; kith never overwrites a note", .0.display())]
    Exists(PathBuf),
    #[error("{} {}", .0.display(), .1)]
    Refused(PathBuf, &'static str),
    #[error("cannot write {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

/// Replaces a note's contents atomically, if it is still as read.
pub fn replace(path: &Path, original: &Original, contents: &[u8]) -> Result<(), WriteError> {
    replace_with(path, original, contents, |_| Ok(()))
}

/// [`replace`], calling `before_rename` with the temporary file's path once
/// it is complete and synced, just before the check and the rename: the seam
/// where tests simulate a crash or a concurrent save.
pub fn replace_with(
    path: &Path,
    original: &Original,
    contents: &[u8],
    before_rename: impl FnOnce(&Path) -> io::Result<()>,
) -> Result<(), WriteError> {
    let io_err = |source| WriteError::Io { path: path.to_path_buf(), source };
    if original.permissions.readonly() {
        return Err(WriteError::Refused(path.to_path_buf(), "is read-only; make it writable to let kith edit it"));
    }
    let dir = folder_of(path);
    let mut temp = temp_in(dir, None).map_err(io_err)?;
    temp.write_all(contents).map_err(io_err)?;
    temp.flush().map_err(io_err)?;
    temp.as_file().set_permissions(original.permissions.clone()).map_err(io_err)?;
    temp.as_file().sync_all().map_err(io_err)?;
    before_rename(temp.path()).map_err(io_err)?;
    if !original.unchanged(path).map_err(io_err)? {
        return Err(WriteError::Changed(path.to_path_buf()));
    }
    temp.persist(path).map_err(|e| io_err(e.error))?;
    sync_folder(dir);
    Ok(())
}

/// Creates a new file atomically; fails with [`WriteError::Exists`] when the
/// path is taken, even by a file created a moment ago.
pub fn create_new(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    create_new_with(path, contents, |_| Ok(()))
}

/// [`create_new`] with the same seam as [`replace_with`].
pub fn create_new_with(
    path: &Path,
    contents: &[u8],
    before_rename: impl FnOnce(&Path) -> io::Result<()>,
) -> Result<(), WriteError> {
    let io_err = |source| WriteError::Io { path: path.to_path_buf(), source };
    if fs::symlink_metadata(path).is_ok() {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    let dir = folder_of(path);
    let mut temp = temp_in(dir, new_file_permissions()).map_err(io_err)?;
    temp.write_all(contents).map_err(io_err)?;
    temp.flush().map_err(io_err)?;
    temp.as_file().sync_all().map_err(io_err)?;
    before_rename(temp.path()).map_err(io_err)?;
    match temp.persist_noclobber(path) {
        Ok(_) => {}
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => return Err(WriteError::Exists(path.to_path_buf())),
        Err(e) => return Err(io_err(e.error)),
    }
    sync_folder(dir);
    Ok(())
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn temp_in(dir: &Path, permissions: Option<Permissions>) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".kith-").suffix(".tmp");
    if let Some(p) = permissions {
        builder.permissions(p);
    }
    builder.tempfile_in(dir)
}

/// What a new note gets: read-write for all, narrowed by the umask, as an
/// editor would create it (tempfile's default is owner-only). Elsewhere
/// tempfile's default is already an ordinary file.
fn new_file_permissions() -> Option<Permissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(Permissions::from_mode(0o666))
    }
    #[cfg(not(unix))]
    None
}

/// Makes the rename itself durable. Best effort: not every platform lets a
/// folder be opened and synced, and the data is already safe either way.
fn sync_folder(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".kith-"))
            .collect();
        names.sort();
        names
    }

    fn note(dir: &Path, bytes: &[u8]) -> PathBuf {
        let path = dir.join("jana.md");
        fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn replaces_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = note(dir.path(), b"\xEF\xBB\xBFold\r\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, Permissions::from_mode(0o640)).unwrap();
        }
        let original = Original::read(&path).unwrap();
        replace(&path, &original, b"\xEF\xBB\xBFnew\r\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"\xEF\xBB\xBFnew\r\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
        }
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_crash_before_the_rename_leaves_the_original() {
        let dir = tempfile::tempdir().unwrap();
        let path = note(dir.path(), b"- 2026-10-15 #got Intro\n");
        let original = Original::read(&path).unwrap();
        let mut seen = None;
        let result = replace_with(&path, &original, b"new contents", |temp| {
            // The temporary file is complete and beside the note.
            assert_eq!(fs::read(temp).unwrap(), b"new contents");
            seen = Some(temp.to_path_buf());
            Err(io::Error::other("simulated crash"))
        });
        assert!(matches!(result, Err(WriteError::Io { .. })), "{result:?}");
        assert_eq!(fs::read(&path).unwrap(), b"- 2026-10-15 #got Intro\n");
        assert!(!seen.unwrap().exists());
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_panic_before_the_rename_leaves_the_original() {
        let dir = tempfile::tempdir().unwrap();
        let path = note(dir.path(), b"original\n");
        let original = Original::read(&path).unwrap();
        let unwound = std::panic::catch_unwind(|| {
            let _ = replace_with(&path, &original, b"new", |_| panic!("killed between steps"));
        });
        assert!(unwound.is_err());
        assert_eq!(fs::read(&path).unwrap(), b"original\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_save_in_between_wins() {
        let dir = tempfile::tempdir().unwrap();
        let path = note(dir.path(), b"original\n");
        let original = Original::read(&path).unwrap();
        // Same length, so only the bytes (or the time) can tell.
        let result = replace_with(&path, &original, b"kith's\n", |_| fs::write(&path, b"editor!\n"));
        assert!(matches!(result, Err(WriteError::Changed(_))), "{result:?}");
        assert_eq!(fs::read(&path).unwrap(), b"editor!\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn refuses_links_and_read_only_notes() {
        let dir = tempfile::tempdir().unwrap();
        let path = note(dir.path(), b"x\n");
        let mut p = fs::metadata(&path).unwrap().permissions();
        p.set_readonly(true);
        fs::set_permissions(&path, p).unwrap();
        let original = Original::read(&path).unwrap();
        assert!(matches!(replace(&path, &original, b"y\n"), Err(WriteError::Refused(..))));
        assert_eq!(fs::read(&path).unwrap(), b"x\n");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.md");
            std::os::unix::fs::symlink(&path, &link).unwrap();
            assert!(matches!(Original::read(&link), Err(WriteError::Refused(..))));
        }
    }

    #[test]
    fn create_new_never_clobbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("max.md");
        create_new(&path, b"first\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"first\n");
        assert!(matches!(create_new(&path, b"second\n"), Err(WriteError::Exists(_))));
        // A file that appears between the check and the rename is kept too.
        let late = dir.path().join("late.md");
        let result = create_new_with(&late, b"kith\n", |_| fs::write(&late, b"someone else\n"));
        assert!(matches!(result, Err(WriteError::Exists(_))), "{result:?}");
        assert_eq!(fs::read(&late).unwrap(), b"someone else\n");
        assert_eq!(fs::read(&path).unwrap(), b"first\n");
        assert!(leftovers(dir.path()).is_empty());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Not tempfile's owner-only 0600: what the umask allows, like any new file.
            let plain = dir.path().join("plain.md");
            fs::write(&plain, b"").unwrap();
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), mode(&plain));
        }
    }
}
