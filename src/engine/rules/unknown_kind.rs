use super::{Check, NoteCtx, Rule, RuleInfo};
use crate::engine::finding::{Finding, Level};
use crate::engine::vault::Vault;

pub const RULE: RuleInfo = RuleInfo {
    name: "unknown-kind",
    level: Level::Warning,
    summary: "A tag right after an entry's date is a likely typo of a kind (`#thnaks`).",
    relationship: false,
    check: Check::Note(check),
    doc: r#"## What it does
Reports a tag right after an entry's date that is not a kind but a likely
typo of one: one edit away from a kind of up to four letters, two from a
longer one (a swap of neighbours is one edit; case does not matter, and
`[kinds]` keys count as kinds). The tags right after the date, before any
other word, are an item's kind tags; the item is still an entry when another
of them is a kind.

Where: a list item of a contact note that starts with a date, and an item of
an ordinary note that could be an entry — dated (by its leading date, the
note's `date`, or a date in its file name) and with a `[[link]]`. Not in
tasks, block quotes or code, and not on undated items.
Tags that are nowhere near a kind are your own and left alone.

## Why it matters
`#thnaks` does not close the thank-you you owe: kith would keep reminding you
of a gesture you already made, or miss a favour you received.

## Example
```markdown
- 2026-11-21 #thnaks Card for the intro
```

## Fix
Correct the tag (`#thanks`) — the quick fix does it — or add your word to
`[kinds]` in `kith.toml` (`danke = "thanks"`).
"#,
};

fn check(n: &NoteCtx, out: &mut Vec<Finding>) {
    let note = n.note;
    // In a contact note the parser kept only tags after an item's leading date.
    if note.is_contact {
        n.problems(Rule::UnknownKind, out);
        return;
    }
    // In an ordinary note an item's tags are kind tags only when it could be
    // an entry (§7): dated (its own date, else the note's) and linking, outside
    // embeds. Whether the link leads to a contact is left out on purpose: a
    // broken link is most likely a contact misspelt, and the note alone
    // decides, so a note outside the vault is judged the same.
    let note_dated = Vault::note_date(note).is_some();
    for problem in note.problems.iter().filter(|p| p.rule == Rule::UnknownKind) {
        // Items are in text order; a tag stands in the text of the last item starting before it.
        let at = note.items.partition_point(|i| i.text.start() <= problem.range.start);
        let Some(item) = at.checked_sub(1).and_then(|i| note.items.get(i)) else { continue };
        let dated = item.date.is_some() || note_dated;
        if dated && item.links().any(|l| note.links.get(l).is_some_and(|link| !link.embed)) {
            out.push(n.problem(problem));
        }
    }
}
