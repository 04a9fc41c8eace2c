use super::{Check, ContactCtx, Rule, RuleInfo};
use crate::engine::date::{relative, short_day};
use crate::engine::finding::{Finding, Level, identity};
use crate::engine::text::exact;

pub const RULE: RuleInfo = RuleInfo {
    name: "birthday-soon",
    level: Level::Info,
    summary: "A contact's birthday is within `birthday-notice` (7 days).",
    relationship: true,
    check: Check::Contact(check),
    doc: r#"## What it does
Reports a contact whose next birthday (today included) is at most
`birthday-notice` (default 7 days) away, on `birthday:`. `birthday:` is
`1988-04-12`, or `--04-12` when you don't know the year; 29 February falls on
28 February in other years.

## Why it matters
A birthday message is a touch that needs no reason — one of the small things
that decide whether people feel remembered.

## Example
```yaml
birthday: --12-04
```
From 2026-11-27 to 2026-12-04 this is reported.

## Fix
Send a message, then log it: `- 2026-12-04 #msg Birthday wishes`.
"#,
};

fn check(c: &ContactCtx, out: &mut Vec<Finding>) {
    let Some(birthday) = c.note.front.birthday else { return };
    let next = birthday.next_on_or_after(c.today);
    if next > c.vault.config.birthday_notice.after(c.today) {
        return;
    }
    let Some(range) = c.key_range("birthday") else { return };
    let message = exact(format_args!(
        "{}'s birthday is {} ({}{}) — a short message goes a long way",
        c.name(),
        relative(next, c.today),
        short_day(next),
        birthday.turning(next)
    ));
    let mut finding = c.in_own_note(Rule::BirthdaySoon, range, message, Some(next));
    finding.identity = identity(&[&c.note.path, "birthday", &next.to_string()]);
    out.push(finding);
}
