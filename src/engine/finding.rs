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

/// A finding's identity from what it is about: a stable hash of the parts
/// ([`fnv1a`](super::text::fnv1a)).
pub fn identity(parts: &[&str]) -> u64 {
    super::text::fnv1a(parts)
}

/// A contact by display name and the path of its note.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContactRef {
    pub name: String,
    pub path: Arc<str>,
}
