use super::{Check, NoteCtx, Rule, RuleInfo};
use crate::engine::finding::{Finding, Level};

pub const RULE: RuleInfo = RuleInfo {
    name: "unknown-kind",
    level: Level::Warning,
    summary: "A tag right after an entry's date is a likely typo of a kind (`#thnaks`).",
    relationship: false,
    check: Check::Note(check),
    doc: r#"## What it does
Reports a tag right after an entry's date that is not a kind but is close to
one (one edit for kinds of up to four letters, two for longer ones; `[kinds]`
aliases count as kinds). Tags that are nowhere near a kind are your own and
left alone.

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
    n.problems(Rule::UnknownKind, out);
}
