use super::{Check, NoteCtx, Rule, RuleInfo};
use crate::engine::finding::{Finding, Level, identity};
use crate::engine::names;
use crate::engine::text::exact;
use crate::engine::text::{clip, digest};

pub const RULE: RuleInfo = RuleInfo {
    name: "broken-link",
    level: Level::Warning,
    summary: "A `[[link]]` resolves to no note.",
    relationship: false,
    check: Check::Note(check),
    doc: r#"## What it does
Reports a `[[link]]` that resolves to no note. A target matches, case- and
Unicode-insensitively, a path without extension, a file name, a `name`, or an
alias; `[[photo.png]]` matches any file of that path or name. Links in code
are text, and headings (`[[X#heading]]`) are not checked.

## Why it matters
A link to nobody is an entry that belongs to nobody: the favour in your
journal never reaches the ledger of the person it was about.

## Example
```markdown
- #met [[Jana Mueller]] at the meetup
```
when the contact is called Jana Müller.

## Fix
Correct the link, add the spelling to the contact's `aliases`, or create the
contact note (quick fix "Create contact note", or `kith new "Jana Mueller"`).
A link to a missing file (`[[photo.png]]`) wants the file added, or the link
corrected.
"#,
};

fn check(n: &NoteCtx, out: &mut Vec<Finding>) {
    let resolved = n.vault.resolved_links(n.id);
    for (i, link) in n.note.links.iter().enumerate() {
        if matches!(resolved.get(i), Some(Some(_))) {
            continue;
        }
        let target = n.note.target(link);
        // `[[photo.png]]` wants a file of that path or name, not a note.
        let message = if names::has_file_extension(target) {
            exact(format_args!("No file is called “{}” — add the file or correct the link", clip(target, 80)))
        } else {
            exact(format_args!(
                "No note is called “{}” — create the contact note or correct the link",
                clip(target, 80)
            ))
        };
        let mut finding = n.finding(Rule::BrokenLink, link.range, message);
        finding.identity = identity(&[&n.note.path, &digest(n.note.target(link))]);
        out.push(finding);
    }
}
