//! The rules: one file each, with its documentation and its check, and this
//! registry mapping name → default level → check. Adding a rule touches its
//! own file and this one.

mod ask_after_silence;
mod birthday_soon;
mod broken_link;
mod congratulate;
mod duplicate_contact;
mod encoding;
mod follow_up_due;
mod front_matter;
mod future_entry;
mod invalid_date;
mod key_typo;
mod missing_thanks;
mod overdue_touch;
mod skipped_file;
mod unknown_kind;
mod unreciprocated;
mod vague_ask;

use super::date::Date;
use super::finding::{ContactRef, Finding, Level, identity};
use super::ledger::Ledger;
use super::note::{Note, Problem};
use super::text::{SNIPPET_BYTES, digest, snippet};
use super::vault::{Entry, NoteId, Vault};
use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

/// Every rule, by its stable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    MissingThanks,
    Unreciprocated,
    OverdueTouch,
    Congratulate,
    BirthdaySoon,
    FollowUpDue,
    VagueAsk,
    AskAfterSilence,
    FrontMatter,
    KeyTypo,
    InvalidDate,
    FutureEntry,
    UnknownKind,
    BrokenLink,
    DuplicateContact,
    Encoding,
    SkippedFile,
}

/// How a rule is checked.
#[derive(Clone, Copy)]
pub enum Check {
    /// Once per contact, over its ledger; findings may land in any note.
    Contact(fn(&ContactCtx, &mut Vec<Finding>)),
    /// Once per note, placed in that note.
    Note(fn(&NoteCtx, &mut Vec<Finding>)),
    /// Once per name that two or more contacts claim (folded), with those
    /// contacts: a change re-checks only the names it touched.
    Name(fn(&Vault, &str, &[NoteId], &mut Vec<Finding>)),
}

pub struct RuleInfo {
    pub name: &'static str,
    pub level: Level,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// Markdown with the headings *What it does*, *Why it matters*, *Example*, *Fix*.
    pub doc: &'static str,
    pub check: Check,
    /// Relationship rules are about a person; vault rules are about the notes.
    pub relationship: bool,
}

impl Rule {
    pub const ALL: [Rule; 17] = [
        Rule::MissingThanks,
        Rule::Unreciprocated,
        Rule::OverdueTouch,
        Rule::Congratulate,
        Rule::BirthdaySoon,
        Rule::FollowUpDue,
        Rule::VagueAsk,
        Rule::AskAfterSilence,
        Rule::FrontMatter,
        Rule::KeyTypo,
        Rule::InvalidDate,
        Rule::FutureEntry,
        Rule::UnknownKind,
        Rule::BrokenLink,
        Rule::DuplicateContact,
        Rule::Encoding,
        Rule::SkippedFile,
    ];

    pub fn info(self) -> &'static RuleInfo {
        match self {
            Rule::MissingThanks => &missing_thanks::RULE,
            Rule::Unreciprocated => &unreciprocated::RULE,
            Rule::OverdueTouch => &overdue_touch::RULE,
            Rule::Congratulate => &congratulate::RULE,
            Rule::BirthdaySoon => &birthday_soon::RULE,
            Rule::FollowUpDue => &follow_up_due::RULE,
            Rule::VagueAsk => &vague_ask::RULE,
            Rule::AskAfterSilence => &ask_after_silence::RULE,
            Rule::FrontMatter => &front_matter::RULE,
            Rule::KeyTypo => &key_typo::RULE,
            Rule::InvalidDate => &invalid_date::RULE,
            Rule::FutureEntry => &future_entry::RULE,
            Rule::UnknownKind => &unknown_kind::RULE,
            Rule::BrokenLink => &broken_link::RULE,
            Rule::DuplicateContact => &duplicate_contact::RULE,
            Rule::Encoding => &encoding::RULE,
            Rule::SkippedFile => &skipped_file::RULE,
        }
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn default_level(self) -> Level {
        self.info().level
    }

    pub fn summary(self) -> &'static str {
        self.info().summary
    }

    pub fn doc(self) -> &'static str {
        self.info().doc
    }

    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.name() == name)
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a relationship rule sees: one contact and its ledger today.
pub struct ContactCtx<'a> {
    pub vault: &'a Vault,
    pub id: NoteId,
    pub note: &'a Note,
    pub ledger: Ledger,
    pub today: Date,
    /// Shared by every finding about this contact.
    contact: Arc<ContactRef>,
}

impl<'a> ContactCtx<'a> {
    pub fn new(vault: &'a Vault, id: NoteId, today: Date) -> Option<ContactCtx<'a>> {
        let note = vault.note(id).filter(|n| n.is_contact)?;
        let ledger = Ledger::new(vault.entries(id), today);
        let contact = Arc::new(ContactRef { name: note.display_name().to_string(), path: note.path.clone() });
        Some(ContactCtx { vault, id, note, ledger, today, contact })
    }

    pub fn name(&self) -> &str {
        self.note.display_name()
    }

    pub fn contact_ref(&self) -> Arc<ContactRef> {
        self.contact.clone()
    }

    /// The note an entry stands in.
    pub fn entry_note(&self, entry: &Entry) -> &'a Note {
        self.vault.note(entry.note).unwrap_or(self.note)
    }

    /// Where findings about an entry go: the first line of its item, from its
    /// text (the date) on.
    pub fn entry_range(&self, entry: &Entry) -> Range<usize> {
        let note = self.entry_note(entry);
        match note.items.get(entry.item) {
            Some(item) => item.first_line.range(),
            None => entry.link.and_then(|l| note.links.get(l)).map_or(0..0, |l| l.range.range()),
        }
    }

    /// The entry's own words, links shown as their text: "Introduced me to Max Mustermann".
    pub fn entry_words(&self, entry: &Entry) -> String {
        let note = self.entry_note(entry);
        match note.items.get(entry.item) {
            Some(item) => item_words(self.vault, entry.note, item, self.id),
            None => String::new(),
        }
    }

    /// A finding about this contact at an entry.
    pub fn at_entry(&self, rule: Rule, entry: &Entry, message: String, due: Option<Date>) -> Finding {
        let note = self.entry_note(entry);
        let range = self.entry_range(entry);
        Finding {
            rule,
            level: rule.default_level(),
            path: note.path.clone(),
            identity: identity(&[&self.note.path, &entry.date.to_string(), &line_digest(note.slice(range.clone()))]),
            range,
            message,
            contact: Some(self.contact_ref()),
            due,
            suggestion: None,
        }
    }

    /// A finding about this contact placed in its own note.
    pub fn in_own_note(
        &self,
        rule: Rule,
        range: impl Into<Range<usize>>,
        message: String,
        due: Option<Date>,
    ) -> Finding {
        let range = range.into();
        Finding {
            rule,
            level: rule.default_level(),
            path: self.note.path.clone(),
            identity: identity(&[&self.note.path, &line_digest(self.note.slice(range.clone()))]),
            range,
            message,
            contact: Some(self.contact_ref()),
            due,
            suggestion: None,
        }
    }

    /// A front-matter key's line from the key to the end of its value, if set.
    pub fn key_range(&self, key: &str) -> Option<Range<usize>> {
        let entry = self.note.front.key(key)?;
        Some(entry.key_range.start()..entry.value_range.end().max(entry.key_range.end()))
    }
}

/// What a note rule sees.
pub struct NoteCtx<'a> {
    pub vault: &'a Vault,
    pub id: NoteId,
    pub note: &'a Note,
    pub today: Date,
}

impl NoteCtx<'_> {
    pub fn finding(&self, rule: Rule, range: impl Into<Range<usize>>, message: String) -> Finding {
        let range = range.into();
        Finding {
            rule,
            level: rule.default_level(),
            path: self.note.path.clone(),
            identity: identity(&[&self.note.path, &line_digest(self.note.slice(range.clone()))]),
            range,
            message,
            contact: None,
            due: None,
            suggestion: None,
        }
    }

    /// Turns the parser's problems of one rule into findings.
    pub fn problems(&self, rule: Rule, out: &mut Vec<Finding>) {
        out.extend(self.note.problems.iter().filter(|p| p.rule == rule).map(|p| self.problem(p)));
    }

    /// One of the parser's problems as a finding.
    pub fn problem(&self, problem: &Problem) -> Finding {
        let Problem { rule, range, message, suggestion } = problem;
        let mut finding = self.finding(*rule, range.clone(), message.clone());
        finding.suggestion = suggestion.clone();
        finding
    }
}

/// The digest in a finding's identity: of the trimmed text, or of its first
/// [`SNIPPET_BYTES`] when longer (the same digest as before for every line
/// of ordinary length).
pub fn line_digest(text: &str) -> String {
    digest(snippet(text.trim(), SNIPPET_BYTES))
}

/// The words of an item after its date and tags. In a note other than the
/// contact's own (`- #got [[Jana]] introduced me to Max`), a leading link to
/// the contact is the person the words are about, not part of what happened,
/// and is left out; a leading link to anyone else stays, so that an entry
/// linking two people names both whichever of them a finding is about.
pub fn item_words(vault: &Vault, id: NoteId, item: &super::note::Item, contact: NoteId) -> String {
    let Some(note) = vault.note(id) else { return String::new() };
    let end = item.first_line.end().max(item.rest());
    let mut start = item.rest();
    if id != contact {
        if let Some(l) = item.links().next() {
            let link = &note.links[l];
            if link.range.start() == item.rest() && vault.link_contact(id, l) == Some(contact) {
                start = link.range.end().min(end);
            }
        }
    }
    plain_words(note.slice(start..end))
}

/// Shows a log line's words as a person reads them: `[[Max|M.]]` → "M.",
/// emphasis kept as is, at most 80 characters. Only the first
/// [`SNIPPET_BYTES`] of the text are read: far more than 80 characters of
/// words, and a bounded cost for each of the thousand findings a long line may have.
pub fn plain_words(text: &str) -> String {
    let rest = snippet(text, SNIPPET_BYTES);
    // Most entries link nothing: their text is read as it is.
    let linked: Cow<str> = if rest.contains("[[") { Cow::Owned(link_labels(rest)) } else { Cow::Borrowed(rest) };
    // White space collapsed to single spaces, in one pass.
    let mut words = String::with_capacity(linked.len());
    for word in linked.split_whitespace() {
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(word);
    }
    if let Some(i) = words.find("<!--") {
        let kept = words[..i].trim_end().len();
        words.truncate(kept);
    }
    // What stands between the tags and the words (`#got: Lent me a book`,
    // `#news - New job`, `[[Jana]]: introduced me`) is not what happened.
    let lead = leading_separator(&words);
    if lead > 0 {
        words.drain(..lead);
    }
    // Bytes first: a text of at most 80 bytes has at most 80 characters.
    if words.len() > 80 && words.chars().count() > 80 {
        let cut: String = words.chars().take(79).collect();
        format!("{}…", cut.trim_end())
    } else {
        words
    }
}

/// The length of the punctuation (and the space after it) that opens
/// `words` as a separator: `: `, `- `, `— `, `. `, `) `, `:`, `;`, `,`. A
/// dash or dot glued to a word (`-5 °C`, `—ish`, `.NET`) is part of the
/// words and stays.
fn leading_separator(words: &str) -> usize {
    let run = words.len() - words.trim_start_matches([':', ';', ',', '.', ')', '-', '–', '—']).len();
    if run == 0 {
        return 0;
    }
    let after = &words[run..];
    let only_stops = words[..run].chars().all(|c| matches!(c, ':' | ';' | ','));
    if after.is_empty() || after.starts_with(' ') {
        run + after.len() - after.trim_start().len()
    } else if only_stops {
        run
    } else {
        0
    }
}

/// `[[Max|M.]]` → "M.", `[[Max#Work]]` → "Max", `![[pic.png]]` → "pic.png".
fn link_labels(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("[[") {
        out.push_str(rest[..open].trim_end_matches('!'));
        let after = &rest[open + 2..];
        match after.find("]]") {
            Some(close) => {
                let inner = &after[..close];
                let shown = match inner.split_once('|') {
                    Some((_, label)) => label,
                    None => inner.split(['#', '^']).next().unwrap_or(inner),
                };
                out.push_str(shown.trim());
                rest = &after[close + 2..];
            }
            None => {
                out.push_str("[[");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `“words”` when there are words, else the fallback.
pub fn quoted_or(words: &str, fallback: &str) -> String {
    if words.is_empty() { fallback.to_string() } else { format!("“{words}”") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_unique_name_and_full_docs() {
        let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Rule::ALL.len());
        for rule in Rule::ALL {
            assert_eq!(Rule::from_name(rule.name()), Some(rule));
            for heading in ["## What it does", "## Why it matters", "## Example", "## Fix"] {
                assert!(rule.doc().contains(heading), "{rule} lacks {heading}");
            }
        }
    }

    #[test]
    fn words_read_like_text() {
        assert_eq!(plain_words("Introduced me to [[Max Mustermann]]"), "Introduced me to Max Mustermann");
        assert_eq!(plain_words("Lunch with [[Max Mustermann|Max]] and ![[pic.png]]"), "Lunch with Max and pic.png");
        assert_eq!(plain_words("Thanks <!-- kith-ignore: vague-ask -->"), "Thanks");
        assert_eq!(plain_words("  two\t spaces \n  and a [[broken link "), "two spaces and a [[broken link");
        assert_eq!(plain_words("[[A#Work]] and [[B^block]]"), "A and B");
        // 80 characters stay; 81 are cut to 79 and an ellipsis, by characters.
        let eighty = "ü".repeat(80);
        assert_eq!(plain_words(&eighty), eighty);
        assert_eq!(plain_words(&"ü".repeat(81)), format!("{}…", "ü".repeat(79)));
        assert_eq!(plain_words(""), "");
        // Separators after the tags are not words; a dash glued to a word is.
        assert_eq!(plain_words(": Lent me a book"), "Lent me a book");
        assert_eq!(plain_words("- New job"), "New job");
        assert_eq!(plain_words("— Promoted"), "Promoted");
        assert_eq!(plain_words(" -- Two dashes"), "Two dashes");
        assert_eq!(plain_words(":Lunch"), "Lunch");
        assert_eq!(plain_words("-5 °C and sunny"), "-5 °C and sunny");
        assert_eq!(plain_words("–"), "");
        assert_eq!(plain_words("Lunch - then coffee"), "Lunch - then coffee");
        // After a task's date: `2026-11-28. Call`, `2026-11-26) Call`.
        assert_eq!(plain_words(". Call about the talk"), "Call about the talk");
        assert_eq!(plain_words(") Call"), "Call");
        assert_eq!(plain_words(".NET meetup"), ".NET meetup");
    }
}
