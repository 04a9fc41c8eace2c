use super::{Check, NoteCtx, Rule, RuleInfo};
use crate::engine::finding::{Finding, Level};

pub const RULE: RuleInfo = RuleInfo {
    name: "key-typo",
    level: Level::Warning,
    summary: "An unknown front-matter key of a contact note is a likely typo of a known one.",
    relationship: false,
    check: Check::Note(check),
    doc: r#"## What it does
Your own keys are welcome, but an unknown key of a contact note that is one
edit away from a known key of up to four letters, or two edits from a longer
one (a swap of neighbours is one edit), is reported with the key it most
likely meant.

## Why it matters
`cadance: 2m` looks right and does nothing: the reminder you set up never
fires, and you only notice when the relationship has gone quiet.

## Example
```yaml
cadance: 2m
```

## Fix
Correct the key (`cadence: 2m`) — the quick fix does it for you.
"#,
};

fn check(n: &NoteCtx, out: &mut Vec<Finding>) {
    n.problems(Rule::KeyTypo, out);
}
