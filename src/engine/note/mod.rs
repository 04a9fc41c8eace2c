//! One note, parsed once: front matter, list items, links, suppressions.
//!
//! Parsing never fails: whatever is wrong becomes a [`Problem`] with an
//! exact byte range, and the rest of the note is still read.

mod body;
pub mod front_matter;
pub mod yaml;

pub use body::{Heading, Item, KindTag, Link, Suppression, TaskStatus};
pub use front_matter::{FrontMatter, KeyEntry, Spanned};

use super::config::Config;
use super::rules::Rule;
use super::text::LineIndex;
use std::ops::Range;
use std::sync::Arc;

/// A problem found while reading a note, before any vault-wide analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub rule: Rule,
    pub range: Range<usize>,
    pub message: String,
    pub suggestion: Option<String>,
}

impl Problem {
    pub fn new(rule: Rule, range: Range<usize>, message: String) -> Problem {
        Problem { rule, range, message, suggestion: None }
    }
}

/// How a file came to kith, besides its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// Byte offset of the first invalid UTF-8 sequence, when the file was read lossily.
    pub invalid_utf8_at: Option<usize>,
    /// The file's size when it was too large to read.
    pub skipped_size: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Note {
    /// Vault-relative, `/`-separated; shared with the findings placed in it.
    pub path: Arc<str>,
    pub text: String,
    pub lines: LineIndex,
    /// Offset after a UTF-8 byte order mark, if any.
    pub start: usize,
    pub body_start: usize,
    pub front: FrontMatter,
    pub is_contact: bool,
    pub items: Vec<Item>,
    /// The kind tags of all items, item after item (see [`Note::kinds`]).
    pub kind_tags: Vec<KindTag>,
    pub links: Vec<Link>,
    pub headings: Vec<Heading>,
    pub suppressions: Vec<Suppression>,
    pub problems: Vec<Problem>,
    pub origin: Origin,
}

impl Note {
    /// Parses a note. `path` is vault-relative; the config supplies the
    /// `contacts` globs and `[kinds]`.
    pub fn parse(path: &str, text: String, origin: Origin, config: &Config) -> Note {
        let start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
        let lines = LineIndex::new(&text);
        let mut problems = Vec::new();
        let by_path = config.contacts.matches_file(path);
        let (front, body_start) = front_matter::parse(&text, start, by_path, &mut problems);
        let is_contact = by_path || front.says_contact();
        if !is_contact {
            problems.retain(|p| p.rule != Rule::KeyTypo);
        }
        let mut body = body::parse(&text, body_start, is_contact, config, &lines, &mut problems);
        // A vault holds these for every note: exactly their length, not the
        // doubling's spare room (about a tenth of the parsed notes' memory).
        body.items.shrink_to_fit();
        body.kind_tags.shrink_to_fit();
        body.links.shrink_to_fit();
        body.headings.shrink_to_fit();
        let mut front = front;
        front.keys.shrink_to_fit();
        let mut note = Note {
            path: path.into(),
            text,
            lines,
            start,
            body_start,
            front,
            is_contact,
            items: body.items,
            kind_tags: body.kind_tags,
            links: body.links,
            headings: body.headings,
            suppressions: body.suppressions,
            problems,
            origin,
        };
        if let Some(at) = note.origin.invalid_utf8_at {
            let end = note.text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            note.problems.push(Problem::new(
                Rule::Encoding,
                at..end,
                "This file is not valid UTF-8 (the first bad byte is here); kith read it with replacement characters — re-save it as UTF-8".into(),
            ));
        }
        note
    }

    /// A note kith did not read because it is too large.
    pub fn skipped(path: &str, size: u64, max: u64) -> Note {
        // Sizes that round alike are told in bytes: "1.0 KB, more than 1.0 KB" says nothing.
        let sizes = match (human_size(size), human_size(max)) {
            (a, b) if a == b => (format!("{size} bytes"), format!("{max} bytes")),
            pair => pair,
        };
        let mut note = Note::parse(
            path,
            String::new(),
            Origin { skipped_size: Some(size), ..Origin::default() },
            &Config::default(),
        );
        note.problems.push(Problem::new(
            Rule::SkippedFile,
            0..0,
            format!(
                "kith did not read this file: it is {}, more than max-file-size ({}) — raise max-file-size in kith.toml or split the note",
                sizes.0,
                sizes.1
            ),
        ));
        note
    }

    /// The contact's display name: `name`, else the file name.
    pub fn display_name(&self) -> &str {
        match &self.front.name {
            Some(name) if !name.value.trim().is_empty() => name.value.trim(),
            _ => super::names::file_stem(&self.path),
        }
    }

    /// The text of a byte range, or "" when it is out of range.
    pub fn slice(&self, range: impl Into<Range<usize>>) -> &str {
        self.text.get(range.into()).unwrap_or("")
    }

    /// An item's kind tags that name kinds, in the order they stand.
    pub fn kinds(&self, item: &Item) -> &[KindTag] {
        self.kind_tags.get(item.kinds.start as usize..item.kinds.end as usize).unwrap_or(&[])
    }

    /// A link's target as written, trimmed (`Jana` in `[[ Jana |J.]]`).
    pub fn target(&self, link: &Link) -> &str {
        self.slice(link.target_range)
    }

    /// The first line of the note after front matter and BOM, for placing
    /// findings that have no better place.
    pub fn first_line(&self) -> Range<usize> {
        self.lines.line_range(&self.text, self.lines.line_of(self.start)).unwrap_or(0..0)
    }

    /// Whether a rule is silenced for a finding that starts at `offset`.
    pub fn suppressed_at(&self, rule: Rule, offset: usize) -> bool {
        if self.front.ignore.contains(&rule) {
            return true;
        }
        if self.suppressions.is_empty() {
            return false;
        }
        let line = self.lines.line_of(offset);
        // Suppressions are in line order: look only at this line's.
        let from = self.suppressions.partition_point(|s| s.line < line);
        self.suppressions[from..].iter().take_while(|s| s.line == line).any(|s| s.covers(rule))
    }
}

pub fn human_size(bytes: u64) -> String {
    const MB: u64 = 1 << 20;
    const KB: u64 = 1 << 10;
    if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else if bytes >= KB {
        format!("{:.1} KB", bytes as f64 / KB as f64)
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests {
    use super::Note;

    #[test]
    fn a_skipped_file_tells_sizes_that_differ() {
        let said = |size, max| Note::skipped("big.md", size, max).problems[0].message.clone();
        assert!(said(3000, 1024).contains("it is 2.9 KB, more than max-file-size (1.0 KB)"), "{}", said(3000, 1024));
        assert!(
            said(1025, 1024).contains("it is 1025 bytes, more than max-file-size (1024 bytes)"),
            "{}",
            said(1025, 1024)
        );
    }
}
