//! What the rules report.

use super::date::Date;
use super::rules::Rule;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// How loudly a finding speaks. Ordered from quietest to loudest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Hint,
    Info,
    Warning,
    Error,
}

impl Level {
    pub const NAMES: [&'static str; 4] = ["error", "warning", "info", "hint"];

    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
            Level::Hint => "hint",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            "info" => Some(Level::Info),
            "hint" => Some(Level::Hint),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One thing kith tells the user, placed on a byte range of one note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub level: Level,
    /// Vault-relative, `/`-separated path of the note the finding is placed in.
    pub path: Arc<str>,
    /// Byte range in that note's text.
    pub range: Range<usize>,
    pub message: String,
    /// The contact the finding is about, if any (shared by its findings).
    pub contact: Option<Arc<ContactRef>>,
    /// The day the gesture fell or falls due (agenda ordering, calendars).
    pub due: Option<Date>,
    /// What identifies this finding across edits that move it: a hash of the
    /// entry or key it is about, never its line ([`identity`]). Fingerprints
    /// are built from it.
    pub identity: u64,
    /// A replacement the user most likely meant (typos).
    pub suggestion: Option<String>,
}

/// A finding's identity from what it is about: a 64-bit FNV-1a hash of the
/// parts with a NUL byte between them, stable across platforms and releases
/// (unlike `std`'s hasher).
pub fn identity(parts: &[&str]) -> u64 {
    let mut hash = FNV_OFFSET;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            // A NUL byte between parts: xor with 0 leaves the hash as it is.
            hash = hash.wrapping_mul(FNV_PRIME);
        }
        hash = fnv1a_bytes(hash, part.as_bytes());
    }
    hash
}

/// Continues an FNV-1a hash with a NUL byte and then `bytes`.
pub fn fnv1a_more(hash: u64, bytes: &[u8]) -> u64 {
    fnv1a_bytes(hash.wrapping_mul(FNV_PRIME), bytes)
}

fn fnv1a_bytes(mut hash: u64, bytes: &[u8]) -> u64 {
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// A contact by display name and the path of its note.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContactRef {
    pub name: String,
    pub path: Arc<str>,
}
