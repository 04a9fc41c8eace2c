use super::{Check, NoteCtx, Rule, RuleInfo};
use crate::engine::finding::{Finding, Level};

pub const RULE: RuleInfo = RuleInfo {
    name: "invalid-date",
    level: Level::Error,
    summary: "A date is not a real day (`2026-02-30`).",
    relationship: false,
    check: Check::Note(check),
    doc: r#"## What it does
Reports a date-shaped value (`NNNN-NN-NN`, `--NN-NN`) that is not a real day
— at the start of a list item (a log entry, a task), or in a date value of
the front matter (`birthday`, `snooze`, `date`). Dates in block quotes and
code are text. Such an entry takes no part in any relationship rule, and
such a `snooze` silences nothing.

## Why it matters
An entry with an impossible date silently drops out of the ledger: a thank-you
you logged would not count, a favour would be forgotten.

## Example
```markdown
- 2026-02-30 #thanks Flowers for the referral
```

## Fix
Correct the day (`2026-02-28`).
"#,
};

fn check(n: &NoteCtx, out: &mut Vec<Finding>) {
    n.problems(Rule::InvalidDate, out);
}
