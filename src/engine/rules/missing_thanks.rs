use super::{Check, ContactCtx, Rule, RuleInfo, quoted_or};
use crate::engine::date::ago;
use crate::engine::finding::{Finding, Level};
use crate::engine::text::exact;

pub const RULE: RuleInfo = RuleInfo {
    name: "missing-thanks",
    level: Level::Warning,
    summary: "A favour you received has had no thank-you for more than `thanks-within` (3 days).",
    relationship: true,
    check: Check::Contact(check),
    doc: r#"## What it does
Reports a `#got` entry — someone did you a favour — that no `#thanks` has
answered for more than `thanks-within` (default 3 days). Each `#thanks`
closes the oldest thank-you still owed when it comes; a `#thanks` before any
`#got` closes nothing (thank-yous are not saved up).

## Why it matters
A prompt thank-you is the smallest gesture with the largest effect: it tells
people their help landed, and makes them glad to help again.

## Example
```markdown
- 2026-11-20 #got Introduced me to [[Max Mustermann]]
```
On 2026-11-24 this is reported: four days and no `#thanks`.

## Fix
Thank them, then log it — `- 2026-11-24 #thanks Card for the intro to Max` —
or use the quick fix "Log #thanks today". `kith log Jana thanks "Card for the intro"` does the same from a terminal.
"#,
};

fn check(c: &ContactCtx, out: &mut Vec<Finding>) {
    let window = c.vault.config.thanks_within;
    for &i in &c.ledger.thanks_owed {
        let entry = &c.ledger.entries[i];
        let due = window.after(entry.date);
        if c.today > due {
            let words = c.entry_words(entry);
            let message = exact(format_args!(
                "Thank {} for {} — received {}",
                c.name(),
                quoted_or(&words, "the favour"),
                ago(entry.date, c.today)
            ));
            out.push(c.at_entry(Rule::MissingThanks, entry, message, Some(due)));
        }
    }
}
