use super::{Check, ContactCtx, Rule, RuleInfo, quoted_or};
use crate::engine::date::ago;
use crate::engine::finding::{Finding, Level};
use crate::engine::text::exact;

pub const RULE: RuleInfo = RuleInfo {
    name: "unreciprocated",
    level: Level::Warning,
    summary: "A favour you received is still not returned after `reciprocate-within` (180 days).",
    relationship: true,
    check: Check::Contact(check),
    doc: r#"## What it does
Follows favours both ways. A `#got` uses up credit from earlier `#gave`
entries, else it opens a debt; a `#gave` pays back the oldest open debt, else
becomes credit. Each debt still open today whose `#got` is more than
`reciprocate-within` (default 180 days) old is reported on that `#got`.

## Why it matters
Favours are a social currency: whoever only takes and never gives wears the
relationship out. Returning a favour — an intro, a review, your time — keeps
it a relationship of equals.

## Example
```markdown
- 2026-03-02 #got Reviewed my pitch deck
```
With no `#gave` since, this is reported from 2026-08-30 on.

## Fix
Look for a way to help them, then log it: `- 2026-11-30 #gave Introduced her to a speaker`.
A `#gave` logged earlier counts too: credit is used up before a debt opens.
"#,
};

fn check(c: &ContactCtx, out: &mut Vec<Finding>) {
    let window = c.vault.config.reciprocate_within;
    for &i in &c.ledger.open_debts {
        let entry = &c.ledger.entries[i];
        let due = window.after(entry.date);
        if c.today > due {
            let words = c.entry_words(entry);
            let message = exact(format_args!(
                "Return the favour to {}: {} was {} and nothing has gone back yet — offer help, an intro or your time",
                c.name(),
                quoted_or(&words, "their help"),
                ago(entry.date, c.today)
            ));
            out.push(c.at_entry(Rule::Unreciprocated, entry, message, Some(due)));
        }
    }
}
