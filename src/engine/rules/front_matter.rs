use super::{Check, NoteCtx, Rule, RuleInfo};
use crate::engine::finding::{Finding, Level};

pub const RULE: RuleInfo = RuleInfo {
    name: "front-matter",
    level: Level::Error,
    summary: "The front matter is not valid YAML, or a known key has a value of the wrong type.",
    relationship: false,
    check: Check::Note(check),
    doc: r#"## What it does
Reports front matter that does not parse (at the place the YAML parser
stopped; at the closing `---` when it ran out of input), front matter that is
not a mapping, a key set twice (at the second), an opening `---` that is never
closed (line 1), and a known key whose value has the wrong type — exactly on
the value: `name`, `org`, `role`, `email`, `type` are text; `phone` text or a
number; `aliases` and `tags` a name or a list; `cadence` a duration;
`birthday` `YYYY-MM-DD` or `--MM-DD`; `snooze` and `date` `YYYY-MM-DD`;
`kith.ignore` a list of rule names.

## Why it matters
kith can only keep the promises your notes make if it can read them: a
cadence it cannot parse is a reminder that never comes.

## Example
```yaml
---
name: Jana Müller
cadence: every two months
---
```

## Fix
Write the value in the form the message names: `cadence: 2m`.
"#,
};

fn check(n: &NoteCtx, out: &mut Vec<Finding>) {
    n.problems(Rule::FrontMatter, out);
}
