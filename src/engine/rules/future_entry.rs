use super::{Check, NoteCtx, Rule, RuleInfo};
use crate::engine::date::DateShape;
use crate::engine::finding::{ContactRef, Finding, Level, identity};
use crate::engine::text::digest;
use crate::engine::text::exact;
use crate::engine::vault::Vault;
use std::sync::Arc;

pub const RULE: RuleInfo = RuleInfo {
    name: "future-entry",
    level: Level::Warning,
    summary: "A log entry is dated after today.",
    relationship: false,
    check: Check::Note(check),
    doc: r#"## What it does
Reports a log entry dated after today — in a contact note, or an entry for a
contact in an ordinary note (dated by its leading date, the note's `date`, or
a date in its file name). Until its day comes, it takes no part in any
relationship rule.

## Why it matters
Usually a typo (`2062` for `2026`): the gesture you logged would not count,
and kith would keep reminding you of it.

## Example
```markdown
- 2027-11-20 #thanks Card for the intro
```

## Fix
Correct the date. Planning something? Use a task instead: `- [ ] 2026-12-20 Send the card`.
"#,
};

fn check(n: &NoteCtx, out: &mut Vec<Finding>) {
    let note = n.note;
    for (i, item) in note.items.iter().enumerate() {
        if !item.has_kinds() {
            continue;
        }
        // The entry is about its contact: the note itself, or (in an
        // ordinary note) every contact it links. The finding names the
        // first; the `kith.ignore` of any of them silences it, as each
        // contact's silences the findings about it.
        let (date, contact) = if note.is_contact {
            match item.date {
                Some((DateShape::Real(d), _)) => (d, n.id),
                _ => continue,
            }
        } else {
            let mut linked =
                item.links().filter(|&l| !note.links[l].embed).filter_map(|l| n.vault.link_contact(n.id, l));
            match (Vault::item_date(note, item), linked.next()) {
                (Some(d), Some(first)) if d > n.today => {
                    let ignores = |id| n.vault.note(id).is_some_and(|c| c.front.ignore.contains(&Rule::FutureEntry));
                    if ignores(first) || linked.any(ignores) {
                        continue;
                    }
                    (d, first)
                }
                _ => continue,
            }
        };
        if date <= n.today {
            continue;
        }
        let days = (date - n.today).num_days();
        let message = exact(format_args!(
            "This entry is dated {date}, {} from now: it won't count until then — is the date a typo?",
            if days == 1 { "a day".to_string() } else { format!("{days} days") }
        ));
        let mut finding = n.finding(Rule::FutureEntry, item.first_line, message);
        finding.identity = identity(&[&note.path, &i.to_string(), &digest(note.slice(item.first_line).trim())]);
        finding.contact = n
            .vault
            .note(contact)
            .map(|c| Arc::new(ContactRef { name: c.display_name().to_string(), path: c.path.clone() }));
        out.push(finding);
    }
}
