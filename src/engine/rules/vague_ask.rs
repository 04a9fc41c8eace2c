use super::{Check, ContactCtx, Rule, RuleInfo};
use crate::engine::finding::{Finding, Level};
use crate::engine::kinds::Kind;
use crate::engine::text::exact;

pub const RULE: RuleInfo = RuleInfo {
    name: "vague-ask",
    level: Level::Info,
    summary: "An `#ask` does not say exactly how the person can help (`how: …`).",
    relationship: true,
    check: Check::Contact(check),
    doc: r#"## What it does
Reports an `#ask` entry whose text has no `how:` (matched case-insensitively
anywhere in the entry's text).

## Why it matters
Help you want must be asked for plainly. "Can you help me get into Beta?"
leaves the work of figuring out how to the person you ask; "how: forward my
CV to Tom by Friday" makes yes easy.

## Example
```markdown
- 2026-11-20 #ask Intro to Beta's hiring manager
```

## Fix
Say exactly how: `- 2026-11-20 #ask Intro to Beta's hiring manager. how: forward my CV to Tom by Friday`.
The quick fix "Add how:" puts the cursor where it goes.
"#,
};

fn check(c: &ContactCtx, out: &mut Vec<Finding>) {
    for entry in &c.ledger.entries {
        if !entry.kinds.contains(&Kind::Ask) {
            continue;
        }
        let note = c.entry_note(entry);
        let Some(item) = note.items.get(entry.item) else { continue };
        if note.slice(item.text).to_lowercase().contains("how:") {
            continue;
        }
        let message = exact(format_args!(
            "Say exactly how {} can help: add `how: …` to this ask (like “how: forward my CV to Tom by Friday”)",
            c.name()
        ));
        out.push(c.at_entry(Rule::VagueAsk, entry, message, Some(entry.date)));
    }
}
