use super::{Check, ContactCtx, Rule, RuleInfo};
use crate::engine::date::{Date, span_words};
use crate::engine::finding::{Finding, Level};
use crate::engine::kinds::Kind;
use crate::engine::text::exact;
use crate::engine::vault::Entry;

pub const RULE: RuleInfo = RuleInfo {
    name: "ask-after-silence",
    level: Level::Info,
    summary: "You asked for help with no other touch within the cadence before.",
    relationship: true,
    check: Check::Contact(check),
    doc: r#"## What it does
Reports an `#ask` that had no other touch within the contact's cadence (else
`default-cadence`) before its date: no entry dated `d` with
`ask − cadence ≤ d < ask`, where `#ask` entries and `#news` don't count and
touches of the ask's own date don't count either. A first-ever `#ask` is
reported. The message says how the silence was kept: without a word, with
asks only, or broken only on the day of the ask. An `#ask` still counts as a
touch for `overdue-touch`: you did speak.

## Why it matters
If you only call when you need something, people notice. Relationships are
kept up by getting in touch when you need nothing.

## Example
```markdown
- 2026-11-20 #ask Intro to Beta. how: forward my CV to Tom
- 2026-03-01 #met Coffee
```
With a 90-day cadence, the ask came after more than eight months of silence.

## Fix
Nothing to undo — but next time, keep in touch before you need help. kith's
`overdue-touch` tells you when.
"#,
};

fn check(c: &ContactCtx, out: &mut Vec<Finding>) {
    let cadence = c.note.front.cadence.unwrap_or(c.vault.config.default_cadence);
    // `#ask` entries and `#news` are not touches here: asking is what we check.
    let counts = |e: &Entry| e.is_touch() && !e.kinds.contains(&Kind::Ask);
    let asks = |e: &Entry| e.kinds.contains(&Kind::Ask);
    // One pass in date order: the latest touch before each day, so that a
    // log of thousands of asks costs linear time.
    let entries = &c.ledger.entries;
    let mut last_before: Option<Date> = None;
    // Where the entries after that touch's day start.
    let mut since = 0;
    let mut i = 0;
    while i < entries.len() {
        let day = entries[i].date;
        let same_day = entries[i..].iter().take_while(|e| e.date == day).count();
        let today_entries = &entries[i..i + same_day];
        for (j, entry) in today_entries.iter().enumerate() {
            if !asks(entry) {
                continue;
            }
            let from = cadence.before(entry.date);
            if last_before.is_some_and(|d| d >= from) {
                continue;
            }
            // What is on record in the silence, said as it is: asks before
            // this one, and a touch of the same day (which doesn't count).
            let asked_before = entries[since..i + j].iter().any(asks);
            let touched_that_day = today_entries.iter().any(|e| !std::ptr::eq(e, entry) && counts(e));
            let message = match last_before {
                Some(last) => exact(format_args!(
                    "You asked {} for help after {} {}{} (last {}touch {last}) — keep in touch when you need nothing, too",
                    c.name(),
                    span_words((entry.date - last).num_days()),
                    if asked_before { "in which you only asked" } else { "without a word" },
                    if touched_that_day { " before that day" } else { "" },
                    if asked_before { "other " } else { "" },
                )),
                None if touched_that_day => exact(format_args!(
                    "Your only other touch with {} is from the day of this ask — relationships run on getting in touch when you need nothing, too",
                    c.name()
                )),
                None if i + j > 0 => exact(format_args!(
                    "Before this ask, your log with {} holds only asks and news — relationships run on getting in touch when you need nothing, too",
                    c.name()
                )),
                None => exact(format_args!(
                    "This ask is the first touch with {} on record — relationships run on getting in touch when you need nothing, too",
                    c.name()
                )),
            };
            out.push(c.at_entry(Rule::AskAfterSilence, entry, message, Some(entry.date)));
        }
        if today_entries.iter().any(&counts) {
            last_before = Some(day);
            since = i + same_day;
        }
        i += same_day;
    }
}
