use super::{Check, ContactCtx, Rule, RuleInfo, plain_words};
use crate::engine::date::{DateShape, ago};
use crate::engine::finding::{Finding, Level};
use crate::engine::note::TaskStatus;
use crate::engine::text::exact;

pub const RULE: RuleInfo = RuleInfo {
    name: "follow-up-due",
    level: Level::Warning,
    summary: "An open follow-up task in a contact note is past its date.",
    relationship: true,
    check: Check::Contact(check),
    doc: r#"## What it does
Follow-ups are the Markdown tasks of a contact note. A task whose text starts
with a date (`- [ ] 2026-12-05 Send the article`) is due that day; once
today is after it and the task is still open, it is reported. `[x]`, `[X]`
and `[-]` are closed, any other status is open. A task is never a log entry,
and a task in a block quote is no follow-up.

## Why it matters
Remembering what someone told you — and coming back to it — is what makes
people feel heard. A follow-up you promised and forgot does the opposite.

## Example
```markdown
- [ ] 2026-11-25 Send Jana the design-systems article
```
Reported from 2026-11-26 on.

## Fix
Do it and tick it: `- [x] …` (quick fix "Mark done"), and log the touch.
Or move the date if it is no longer the right day.
"#,
};

fn check(c: &ContactCtx, out: &mut Vec<Finding>) {
    for item in &c.note.items {
        if item.task != Some(TaskStatus::Open) || item.in_quote {
            continue;
        }
        let Some((DateShape::Real(due), _)) = item.date else { continue };
        if due >= c.today {
            continue;
        }
        let words = plain_words(c.note.slice(item.words()));
        let message = exact(format_args!(
            "Follow up with {}: “{}” was due {due} ({})",
            c.name(),
            if words.is_empty() { "this task" } else { &words },
            ago(due, c.today)
        ));
        out.push(c.in_own_note(Rule::FollowUpDue, item.first_line, message, Some(due)));
    }
}
