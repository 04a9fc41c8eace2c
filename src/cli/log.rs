//! `kith log`: add one entry to a contact's log, where the log's order puts
//! it, changing nothing else in the file.

use super::agenda::{Opened, open_vault};
use super::{UsageError, parse_today, today_or_local};
use crate::engine::date::Date;
use crate::engine::edit::{TextEdit, entry_text, log_entry, slug};
use crate::engine::kinds::Kind;
use crate::engine::names::{self, fold};
use crate::engine::note::{Note, Origin, human_size};
use crate::engine::text::LineIndex;
use crate::engine::typo;
use crate::engine::vault::{NoteId, Vault};
use crate::io::write::{self, Original};
use std::path::PathBuf;
use std::process::ExitCode;

const BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(clap::Args, Debug)]
pub struct LogArgs {
    /// The vault, or a folder in it [default: the current folder].
    #[arg(long, value_name = "PATH")]
    pub vault: Option<PathBuf>,
    /// The entry's date (YYYY-MM-DD) [default: today].
    #[arg(long, value_parser = parse_today)]
    pub date: Option<Date>,
    /// Today (YYYY-MM-DD) [default: the local date]; entries after today are refused.
    #[arg(long, env = "KITH_TODAY", value_parser = parse_today)]
    pub today: Option<Date>,
    /// The contact: a name, an alias or a file name, any case; a unique start is enough.
    pub contact: String,
    /// The kind: gave, got, thanks, ask, news, congrats, met, call, msg, like,
    /// gift, or a `[kinds]` alias; several joined by commas (`met,gave`).
    pub kind: String,
    /// What happened, in your words (after `--` when it starts with `-`).
    pub text: Vec<String>,
}

pub fn run(args: LogArgs) -> Result<ExitCode, UsageError> {
    let today = today_or_local(args.today);
    let date = args.date.unwrap_or(today);
    if date > today {
        return Err(UsageError(format!(
            "{date} is after today ({today}): log a gesture once it has happened — for a plan, add a follow-up task like `- [ ] {date} …`"
        )));
    }
    let words = args.text.join(" ");
    if words.contains(['\n', '\r']) {
        return Err(UsageError("the text must be one line: an entry is one list item".into()));
    }
    super::new::visible("text", &words, |c| c == '\t')?;
    if words.trim_start().starts_with('#') {
        return Err(UsageError(format!(
            "the text starts with a tag, which kith would read as a kind: give kinds as KIND, joined by commas (`met,gave`), and start the text with a word (`{}`)",
            words.trim()
        )));
    }
    let path = super::path_or_cwd(args.vault);
    let Opened { root, vault, errors } = open_vault(&path)?;
    for error in &errors {
        eprintln!("kith: warning: cannot read {error}");
    }
    let tags = kinds(&vault, &args.kind)?;
    let id = match find_contact(&vault, &args.contact) {
        Found::One(id) => id,
        Found::Many(ids) => {
            return Err(UsageError(format!(
                "“{}” could be more than one contact — give more of the name, or the note's path (`kith log {} …`):\n{}",
                args.contact,
                ids.first().and_then(|id| vault.note(*id)).map_or("people/name.md", |n| &*n.path),
                list(&vault, &ids)
            )));
        }
        Found::None(near) => {
            if let Some(big) = skipped_notes(&vault, &args.contact).first() {
                let size = big.origin.skipped_size.unwrap_or_default();
                return Err(UsageError(too_large(&big.path, size, vault.config.max_file_size)));
            }
            let hint = if near.is_empty() {
                " — `kith ledger` lists your contacts, `kith new NAME` adds one".to_string()
            } else {
                format!(" — did you mean:\n{}", list(&vault, &near))
            };
            let unread = vault.notes().filter(|(_, n)| n.origin.skipped_size.is_some()).count();
            let unread = match unread {
                0 => String::new(),
                n => format!(
                    "\nkith did not read {n} note{} larger than max-file-size ({}) — if the contact is in {}, raise max-file-size in kith.toml",
                    if n == 1 { "" } else { "s" },
                    human_size(vault.config.max_file_size),
                    if n == 1 { "it" } else { "one of them" }
                ),
            };
            return Err(UsageError(format!("no contact is called “{}”{hint}{unread}", args.contact)));
        }
    };
    let rel = vault.note(id).map(|n| n.path.clone()).unwrap_or_default();
    let file = root.root.join(&*rel);
    let original = Original::read(&file).map_err(|e| UsageError(e.to_string()))?;
    let max = vault.config.max_file_size;
    if original.bytes.len() as u64 > max {
        // It grew past the limit since the vault was read.
        return Err(UsageError(too_large(&rel, original.bytes.len() as u64, max)));
    }
    let bom = original.bytes.starts_with(BOM);
    let body = &original.bytes[if bom { BOM.len() } else { 0 }..];
    let text = std::str::from_utf8(body).map_err(|e| {
        UsageError(format!(
            "{rel} is not valid UTF-8 (the first bad byte is at offset {}); kith will not write to it — re-save it as UTF-8 first",
            e.valid_up_to() + if bom { BOM.len() } else { 0 }
        ))
    })?;
    // Parse what is on disk now, not what the vault read a moment ago.
    let note = Note::parse(&rel, text.to_string(), Origin::default(), &vault.config);
    if !note.is_contact {
        return Err(UsageError(format!("{rel} is no longer a contact note; nothing was written")));
    }
    let tag_refs: Vec<&str> = tags.iter().map(String::as_str).collect();
    let edit = log_entry(&note, date, &tag_refs, &words).ok_or_else(|| {
        UsageError(format!(
            "kith found no place in {rel} where the entry would count (the note may end inside an unclosed code fence or HTML comment); nothing was written — close it, or add a `## Log` section, and try again"
        ))
    })?;
    let new_text = TextEdit::apply(text, std::slice::from_ref(&edit));
    let mut bytes = Vec::with_capacity(original.bytes.len() + edit.new_text.len());
    if bom {
        bytes.extend_from_slice(BOM);
    }
    bytes.extend_from_slice(new_text.as_bytes());
    if bytes.len() as u64 > max {
        return Err(UsageError(format!(
            "adding the entry would make {rel} larger than max-file-size ({}), and kith would stop reading the note; nothing was written — raise max-file-size in kith.toml, or move older parts of the note into another file",
            human_size(max)
        )));
    }
    write::replace(&file, &original, &bytes).map_err(|e| UsageError(e.to_string()))?;
    let (line, shown) = logged_line(&new_text, &edit, &entry_text(date, &tag_refs, &words));
    println!("Logged for {} in {rel}:{line}: {shown}", note.display_name());
    Ok(ExitCode::SUCCESS)
}

/// Why kith will not log to a note over `max-file-size`, and what to do.
fn too_large(rel: &str, size: u64, max: u64) -> String {
    // Sizes that round alike are told in bytes: "1.0 KB, more than 1.0 KB" says nothing.
    let (size, max) = match (human_size(size), human_size(max)) {
        (a, b) if a == b => (format!("{size} bytes"), format!("{max} bytes")),
        pair => pair,
    };
    format!(
        "{rel} is {size}, more than max-file-size ({max}), so kith does not read it — and it will not write to a note it has not read; nothing was written. To log here, raise max-file-size in kith.toml, or move older parts of the note into another file"
    )
}

/// Notes kith did not read for their size whose path or file name the
/// query names (their `name` and aliases are unknown: they were not read).
fn skipped_notes<'v>(vault: &'v Vault, query: &str) -> Vec<&'v Note> {
    let q = fold(query.trim_start_matches("[[").trim_end_matches("]]"));
    if q.is_empty() {
        return Vec::new();
    }
    let slugged = slug(query);
    vault
        .notes()
        .map(|(_, n)| n)
        .filter(|n| n.origin.skipped_size.is_some())
        .filter(|n| {
            // As `find_contact` finds a contact by its file name and path,
            // and by the file name `kith new` would give the query.
            let stem = fold(names::file_stem(&n.path));
            path_matches(&n.path, &q, fold)
                || TIERS.into_iter().any(|tier| tier_matches(tier, &stem, &q))
                || slug(names::file_stem(&n.path)) == slugged
        })
        .collect()
}

/// The 1-based line of the new entry and the line as written.
fn logged_line(new_text: &str, edit: &TextEdit, body: &str) -> (usize, String) {
    let at = edit.range.start + edit.new_text.find(body).unwrap_or(0);
    let index = LineIndex::new(new_text);
    let line = index.line_of(at);
    let shown = index.line_range(new_text, line).and_then(|r| new_text.get(r)).unwrap_or(body);
    (line + 1, shown.to_string())
}

/// The tags to write for KIND: each a built-in kind or a `[kinds]` alias,
/// lower-cased, as the user named it.
fn kinds(vault: &Vault, given: &str) -> Result<Vec<String>, UsageError> {
    let mut tags = Vec::new();
    for part in given.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let name = part.trim_start_matches('#').to_lowercase();
        if Kind::parse_builtin(&name).is_some() || vault.config.kinds.contains_key(&name) {
            tags.push(name);
            continue;
        }
        let candidates = Kind::ALL.iter().map(|k| k.name()).chain(vault.config.kinds.keys().map(String::as_str));
        let hint = match typo::nearest(&name, candidates) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "use one of {}{}",
                Kind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(", "),
                if vault.config.kinds.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", or an alias from kith.toml: {}",
                        vault.config.kinds.keys().cloned().collect::<Vec<_>>().join(", ")
                    )
                }
            ),
        };
        return Err(UsageError(format!("`{part}` is not a kind — {hint}")));
    }
    if tags.is_empty() {
        return Err(UsageError("give a kind, like thanks, met or gave".into()));
    }
    Ok(tags)
}

/// What a contact query found.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    One(NoteId),
    /// Several contacts match equally well.
    Many(Vec<NoteId>),
    /// None matches; these are close.
    None(Vec<NoteId>),
}

/// The names a contact answers to, folded: display name, aliases, file name.
fn keys(vault: &Vault, id: NoteId, fold: fn(&str) -> String) -> Vec<String> {
    let Some(note) = vault.note(id) else { return Vec::new() };
    let mut keys = vec![fold(note.display_name()), fold(names::file_stem(&note.path))];
    keys.extend(note.front.aliases.iter().map(|a| fold(&a.value)));
    keys.retain(|k| !k.is_empty());
    keys
}

/// Finds a contact by name, alias, file name or vault-relative path, case-
/// insensitively. The first of these that matches decides: the whole name;
/// the start of a name; the start of a word in a name (`müller`).
fn find_contact(vault: &Vault, query: &str) -> Found {
    let query = query.trim_start_matches("[[").trim_end_matches("]]");
    let mut contacts: Vec<(NoteId, &str)> = vault.contacts().map(|(id, n)| (id, &*n.path)).collect();
    contacts.sort_by_key(|(_, path)| *path);
    // Exact folding first; then without accents, for "zoe" → Zoë.
    for fold in [fold as fn(&str) -> String, names::fold_loose] {
        let q = fold(query);
        if q.is_empty() {
            return Found::None(Vec::new());
        }
        for tier in TIERS {
            let found: Vec<NoteId> = contacts
                .iter()
                .filter(|(id, path)| {
                    (tier == 0 && path_matches(path, &q, fold))
                        || keys(vault, *id, fold).iter().any(|k| tier_matches(tier, k, &q))
                })
                .map(|(id, _)| *id)
                .collect();
            match found.len() {
                0 => continue,
                1 => return Found::One(found[0]),
                _ => return Found::Many(found),
            }
        }
    }
    let q = fold(query);
    let near: Vec<NoteId> = contacts
        .iter()
        .filter(|(id, _)| {
            let keys = keys(vault, *id, fold);
            typo::nearest(&q, keys.iter().map(String::as_str)).is_some()
        })
        .map(|(id, _)| *id)
        .collect();
    Found::None(near)
}

/// How closely a key must match, best first: the whole name; the start of
/// a name; the start of a word in a name (`müller`).
const TIERS: std::ops::Range<usize> = 0..3;

/// Whether a folded key answers to the folded query at `tier`.
fn tier_matches(tier: usize, key: &str, q: &str) -> bool {
    match tier {
        0 => key == q,
        1 => key.starts_with(q),
        _ => key.split(|c: char| c.is_whitespace() || c == '-' || c == '_').any(|w| w.starts_with(q)),
    }
}

/// Whether the folded query is the note's vault-relative path, with or without `.md`.
fn path_matches(path: &str, q: &str, fold: fn(&str) -> String) -> bool {
    fold(path) == q || fold(names::without_extension(path)) == q
}

fn list(vault: &Vault, ids: &[NoteId]) -> String {
    ids.iter()
        .filter_map(|id| vault.note(*id))
        .map(|n| format!("  {} ({})", n.display_name(), n.path))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::config::Config;
    use crate::engine::vault::SourceFile;

    fn vault() -> Vault {
        let files = [
            ("people/jana.md", "---\ntype: contact\nname: Jana Müller\naliases: [J. Müller]\n---\n"),
            ("people/jakob.md", "---\ntype: contact\nname: Jakob Meier\n---\n"),
            ("people/Max Mustermann.md", "---\ntype: contact\n---\n"),
            ("notes/janet.md", "# Janet is not a contact\n"),
        ];
        let files = files
            .iter()
            .map(|(p, t)| SourceFile { path: p.to_string(), text: t.to_string(), origin: Origin::default() })
            .collect();
        Vault::build(Config::parse("[kinds]\ncoffee = \"met\"\n").unwrap(), files, Vec::new())
    }

    fn name(v: &Vault, found: Found) -> String {
        match found {
            Found::One(id) => v.note(id).unwrap().display_name().to_string(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn contacts_by_name_alias_file_and_prefix() {
        let v = vault();
        assert_eq!(name(&v, find_contact(&v, "jana müller")), "Jana Müller");
        assert_eq!(name(&v, find_contact(&v, "JANA MU\u{308}LLER")), "Jana Müller", "NFC and case");
        assert_eq!(name(&v, find_contact(&v, "j. müller")), "Jana Müller");
        assert_eq!(name(&v, find_contact(&v, "jana")), "Jana Müller", "the file name");
        assert_eq!(name(&v, find_contact(&v, "jan")), "Jana Müller", "a unique start");
        assert_eq!(name(&v, find_contact(&v, "max")), "Max Mustermann");
        assert_eq!(name(&v, find_contact(&v, "meier")), "Jakob Meier", "the start of a word");
        assert_eq!(name(&v, find_contact(&v, "people/jakob.md")), "Jakob Meier");
        assert_eq!(name(&v, find_contact(&v, "[[Max Mustermann]]")), "Max Mustermann");
        assert!(matches!(find_contact(&v, "ja"), Found::Many(ids) if ids.len() == 2));
        assert!(matches!(find_contact(&v, "janet"), Found::None(near) if near.is_empty()), "not a contact");
        assert!(matches!(find_contact(&v, "jnaa"), Found::None(near) if near.len() == 1), "a typo");
        assert!(matches!(find_contact(&v, "zed"), Found::None(near) if near.is_empty()));
    }

    #[test]
    fn kinds_and_aliases() {
        let v = vault();
        assert_eq!(kinds(&v, "Thanks").unwrap(), ["thanks"]);
        assert_eq!(kinds(&v, "#coffee").unwrap(), ["coffee"]);
        assert_eq!(kinds(&v, "met,gave").unwrap(), ["met", "gave"]);
        let err = kinds(&v, "thnaks").unwrap_err().0;
        assert!(err.contains("did you mean `thanks`?"), "{err}");
        let err = kinds(&v, "banana").unwrap_err().0;
        assert!(err.contains("gave, got, thanks") && err.contains("coffee"), "{err}");
    }

    #[test]
    fn the_logged_line_is_found() {
        let text = "a\r\n## Log\r\n- 2026-11-01 #met X\r\n";
        let note = Note::parse("p.md", text.to_string(), Origin::default(), &Config::default());
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let edit = log_entry(&note, date, &["thanks"], "Card").expect("a place for the entry");
        let new_text = TextEdit::apply(text, std::slice::from_ref(&edit));
        assert_eq!(
            logged_line(&new_text, &edit, &entry_text(date, &["thanks"], "Card")),
            (3, "- 2026-12-01 #thanks Card".to_string())
        );
    }
}
