use super::{Check, NoteCtx, Rule, RuleInfo};
use crate::engine::finding::{Finding, Level};

pub const RULE: RuleInfo = RuleInfo {
    name: "skipped-file",
    level: Level::Info,
    summary: "A file larger than `max-file-size` (4 MB) was not read.",
    relationship: false,
    check: Check::Note(check),
    doc: r#"## What it does
Reports a Markdown file larger than `max-file-size` (default 4 MB) on line 1;
kith does not read it. Links to it by path or file name still resolve (its
`name` and `aliases` are unread).

## Why it matters
A huge file is almost never a contact note — often an export or a pasted
log — and reading it would slow every check down. Saying so beats silently
ignoring it.

## Example
`exports/crm-dump.md`, 12 MB.

## Fix
Move the file out of the vault, add it to `exclude` in `kith.toml`, or raise
`max-file-size`.
"#,
};

fn check(n: &NoteCtx, out: &mut Vec<Finding>) {
    n.problems(Rule::SkippedFile, out);
}
