use super::{Check, ContactCtx, Rule, RuleInfo};
use crate::engine::date::ago;
use crate::engine::finding::{Finding, Level, identity};
use crate::engine::text::exact;

pub const RULE: RuleInfo = RuleInfo {
    name: "overdue-touch",
    level: Level::Warning,
    summary: "You have not been in touch within the contact's `cadence` (else `default-cadence`, 90 days).",
    relationship: true,
    check: Check::Contact(check),
    doc: r#"## What it does
Reports a contact when today is past the last touch plus their `cadence`
(else `default-cadence`, 90 days; months are calendar months) and no
`snooze:` date lies ahead: a snooze silences it up to and including its day.
Every entry but `#news` is a touch, an `#ask` too. A contact with no touch at
all is not reported. The finding sits on `cadence:` (else `name:`, else
line 1).

## Why it matters
Relationships are kept up by small, regular gestures — getting in touch when
you need nothing. The cadence is your own promise of how often.

## Example
```markdown
---
type: contact
name: Jana Müller
cadence: 2m
---
- 2026-08-01 #met Coffee at Acme
```
On 2026-10-02 this is reported: two months and a day since the last touch.

## Fix
Get in touch — a message, a like, a coffee — and log it (`#msg`, `#like`,
`#met`, `#call`). Not the right time? Snooze: `snooze: 2027-01-15`, or the
quick fix "Snooze for a month".
"#,
};

fn check(c: &ContactCtx, out: &mut Vec<Finding>) {
    let Some(last) = c.ledger.last_touch else { return };
    if c.note.front.snooze.is_some_and(|s| c.today <= s) {
        return;
    }
    let cadence = c.note.front.cadence.unwrap_or(c.vault.config.default_cadence);
    let due = cadence.after(last);
    if c.today <= due {
        return;
    }
    let range = c.key_range("cadence").or_else(|| c.key_range("name")).unwrap_or_else(|| c.note.first_line());
    let message = exact(format_args!(
        "Get back in touch with {}: the last touch was {} ({last}) and you meant to be in touch {} — a short hello needs no reason",
        c.name(),
        ago(last, c.today),
        cadence.every(),
    ));
    let mut finding = c.in_own_note(Rule::OverdueTouch, range, message, Some(due));
    finding.identity = identity(&[&c.note.path, "overdue"]);
    out.push(finding);
}
