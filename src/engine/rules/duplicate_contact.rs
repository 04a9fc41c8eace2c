use super::{Check, Rule, RuleInfo};
use crate::engine::finding::{ContactRef, Finding, Level, identity};
use crate::engine::text::exact;
use crate::engine::vault::{NoteId, Vault};
use std::sync::Arc;

pub const RULE: RuleInfo = RuleInfo {
    name: "duplicate-contact",
    level: Level::Warning,
    summary: "Two contacts share a name or alias.",
    relationship: false,
    check: Check::Name(check),
    doc: r#"## What it does
Reports two or more contacts that share a name or an alias (compared after
Unicode normalisation, ignoring case) — in each note involved, on the
colliding `name:` value or `aliases:` item, or on line 1 when the colliding
name is the file name.

## Why it matters
With two Jana Müllers, `[[Jana Müller]]` goes to one of them, and the
other's favours, thank-yous and touches go missing from her ledger.

## Example
`people/jana.md` and `people/jana-mueller.md` both with `name: Jana Müller`.

## Fix
Merge the notes if they are one person; otherwise give each a distinct name
and keep the shared one out of `aliases`.
"#,
};

fn check(vault: &Vault, name: &str, ids: &[NoteId], out: &mut Vec<Finding>) {
    let mut paths: Vec<&str> = ids.iter().filter_map(|&id| vault.note(id).map(|n| &*n.path)).collect();
    paths.sort();
    let Some(&first) = paths.first() else { return };
    let winner = match vault.resolve(name) {
        Some(crate::engine::vault::Target::Note(id)) => vault.note(id).map_or(first, |n| &*n.path),
        _ => first,
    };
    for &id in ids {
        let Some(note) = vault.note(id) else { continue };
        // The name as the note gives it (its value, not its YAML source: no
        // quotes, padding or block-scalar indentation), and where it stands.
        let (range, given) = match &note.front.name {
            Some(n) if vault.is_named(id, name) => (n.range.clone(), n.value.as_str()),
            _ => match vault.alias_position(id, name).and_then(|i| note.front.aliases.get(i)) {
                Some(alias) => (alias.range.clone(), alias.value.as_str()),
                None => (note.first_line(), note.display_name()),
            },
        };
        // Name a few others, not all: a common alias may be shared by hundreds.
        // Only the first few are looked at, so that a large group costs
        // linear time, not quadratic.
        let count = paths.len() - 1;
        let shown: Vec<&str> = paths.iter().copied().filter(|p| **p != *note.path).take(3).collect();
        let others = match count {
            0..=3 => shown.join(", "),
            n => format!("{} and {} more", shown[..2].join(", "), n - 2),
        };
        let shown = given.split_whitespace().collect::<Vec<_>>().join(" ");
        let message = exact(format_args!(
            "“{shown}” also names {} — links to [[{shown}]] go to {}; give each person a distinct name, or merge the notes",
            others, winner
        ));
        out.push(Finding {
            rule: Rule::DuplicateContact,
            level: Rule::DuplicateContact.default_level(),
            path: note.path.clone(),
            range,
            message,
            contact: Some(Arc::new(ContactRef { name: note.display_name().to_string(), path: note.path.clone() })),
            due: None,
            identity: identity(&[&note.path, name]),
            suggestion: None,
        });
    }
}
