use super::{Check, NoteCtx, Rule, RuleInfo};
use crate::engine::finding::{Finding, Level};

pub const RULE: RuleInfo = RuleInfo {
    name: "encoding",
    level: Level::Error,
    summary: "A file is not valid UTF-8; it is read with replacement characters.",
    relationship: false,
    check: Check::Note(check),
    doc: r#"## What it does
Reports a note that is not valid UTF-8, at the first invalid byte. kith still
reads it, with replacement characters (�) where the bytes were invalid.

## Why it matters
Names like Müller or Dubois get mangled, and links to them break, when a note
is saved in a legacy encoding.

## Example
A note saved as Latin-1: `J\xfcrgen` instead of `Jürgen`.

## Fix
Re-save the file as UTF-8 (most editors offer "Save with encoding").
"#,
};

fn check(n: &NoteCtx, out: &mut Vec<Finding>) {
    n.problems(Rule::Encoding, out);
}
