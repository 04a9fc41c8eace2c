use super::{Check, ContactCtx, Rule, RuleInfo, quoted_or};
use crate::engine::date::ago;
use crate::engine::finding::{Finding, Level};
use crate::engine::text::exact;

pub const RULE: RuleInfo = RuleInfo {
    name: "congratulate",
    level: Level::Warning,
    summary: "News in someone's life has had no congratulations for more than `congratulate-within` (7 days).",
    relationship: true,
    check: Check::Contact(check),
    doc: r#"## What it does
Reports a `#news` entry — a new job, a promotion, a baby, an award — that no
`#congrats` has answered for more than `congratulate-within` (default 7
days). Each `#congrats` closes the oldest congratulation still owed when it
comes; a `#congrats` before any `#news` closes nothing.

## Why it matters
Noticing what happens in someone's life, and saying so, is what turns a
contact into a relationship. It costs a minute and is remembered for years.

## Example
```markdown
- 2026-11-20 #news Promoted to Head of Design
```
From 2026-11-28 on, this is reported until a `#congrats` follows.

## Fix
Congratulate them, then log it: `- 2026-11-28 #congrats Sent a note on the promotion`,
or use the quick fix "Log #congrats today".
"#,
};

fn check(c: &ContactCtx, out: &mut Vec<Finding>) {
    let window = c.vault.config.congratulate_within;
    for &i in &c.ledger.congrats_owed {
        let entry = &c.ledger.entries[i];
        let due = window.after(entry.date);
        if c.today > due {
            let words = c.entry_words(entry);
            let message = exact(format_args!(
                "Congratulate {} on {} — news from {}",
                c.name(),
                quoted_or(&words, "their news"),
                ago(entry.date, c.today)
            ));
            out.push(c.at_entry(Rule::Congratulate, entry, message, Some(due)));
        }
    }
}
