//! Front matter: where it is, what it says, and what is wrong with it
//! (spec sections 2 and 7).

use super::Problem;
use super::yaml::{self, Node, Resolved};
use crate::engine::date::{Birthday, Date, DateShape, Span, date_shape};
use crate::engine::rules::Rule;
use crate::engine::span::Span as ByteSpan;
use crate::engine::typo;
use compact_str::CompactString;
use std::ops::Range;

/// The keys kith knows, in the order they are suggested.
pub const KNOWN_KEYS: [&str; 13] = [
    "type", "name", "aliases", "tags", "org", "role", "email", "phone", "cadence", "birthday", "snooze", "kith", "date",
];

/// A value and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub range: Range<usize>,
}

/// One top-level key as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntry {
    /// Keys are short: stored inline, without an allocation of their own.
    pub key: CompactString,
    pub key_range: ByteSpan,
    /// The value's range; empty at the end of the key when the value is empty.
    pub value_range: ByteSpan,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    /// From the opening `---` to the end of the closing line; `None` without front matter.
    pub block: Option<Range<usize>>,
    /// The YAML between the delimiters.
    pub content: Option<Range<usize>>,
    /// The closing `---` or `...` line.
    pub closing: Option<Range<usize>>,
    pub keys: Vec<KeyEntry>,
    // Values are short: stored inline, without allocations of their own.
    pub type_: Option<CompactString>,
    pub name: Option<Spanned<CompactString>>,
    pub aliases: Vec<Spanned<CompactString>>,
    /// Tags without one leading `#` (spec §7: `#mentor` is the tag `mentor`).
    pub tags: Vec<CompactString>,
    pub org: Option<CompactString>,
    pub role: Option<CompactString>,
    pub email: Option<CompactString>,
    pub phone: Option<CompactString>,
    pub cadence: Option<Span>,
    pub birthday: Option<Birthday>,
    pub snooze: Option<Date>,
    pub date: Option<Date>,
    /// Rules switched off for this note by `kith: {ignore: [...]}`.
    pub ignore: Vec<Rule>,
}

impl FrontMatter {
    /// The entry of a known key (matched case-insensitively).
    pub fn key(&self, name: &str) -> Option<&KeyEntry> {
        self.keys.iter().find(|k| k.key.eq_ignore_ascii_case(name))
    }

    /// Whether type or tags make this a contact note (spec section 1).
    pub fn says_contact(&self) -> bool {
        let type_says = self.type_.as_deref().is_some_and(|t| {
            let t = t.trim().to_lowercase();
            t == "contact" || t == "person"
        });
        type_says
            || self.tags.iter().any(|tag| {
                let tag = tag.to_lowercase();
                matches!(tag.as_str(), "contact" | "person" | "people")
            })
    }
}

/// Where the front matter stands.
pub struct Located {
    /// From the opening `---` to the end of the closing line.
    pub block: Range<usize>,
    /// The YAML between the delimiters.
    pub content: Range<usize>,
    /// The closing line.
    pub closing: Range<usize>,
}

/// Where the front matter is, or `Err(opening line)` when an opening `---`
/// is never closed.
pub fn locate(text: &str, start: usize) -> Result<Option<Located>, Range<usize>> {
    let mut lines = LineIter { text, pos: start };
    let Some((first, _)) = lines.next() else { return Ok(None) };
    if text[first.clone()].trim_end_matches([' ', '\t']) != "---" {
        return Ok(None);
    }
    let content_start = lines.pos;
    for (line, next) in lines {
        let trimmed = text[line.clone()].trim_end_matches([' ', '\t']);
        if trimmed == "---" || trimmed == "..." {
            return Ok(Some(Located { block: first.start..next, content: content_start..line.start, closing: line }));
        }
    }
    Err(first)
}

/// Lines without their endings, with the offset after each line's ending.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl Iterator for LineIter<'_> {
    type Item = (Range<usize>, usize);
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.pos..];
        let (len, ending) = match rest.find(['\n', '\r']) {
            Some(i) if rest[i..].starts_with("\r\n") => (i, 2),
            Some(i) => (i, 1),
            None => (rest.len(), 0),
        };
        let line = self.pos..self.pos + len;
        self.pos += len + ending;
        Some((line, self.pos))
    }
}

/// Reads the front matter starting at `start` (after any BOM). Problems go
/// to `problems` with absolute byte ranges; the body starts at the returned offset.
pub fn parse(text: &str, start: usize, is_contact_path: bool, problems: &mut Vec<Problem>) -> (FrontMatter, usize) {
    let mut fm = FrontMatter::default();
    let Located { block, content, closing } = match locate(text, start) {
        Ok(Some(found)) => found,
        Ok(None) => return (fm, start),
        Err(opening) => {
            problems.push(Problem::new(
                Rule::FrontMatter,
                opening,
                "This `---` opens front matter that is never closed: add a line `---` after the last key, or the whole note is read as text".into(),
            ));
            return (fm, start);
        }
    };
    fm.block = Some(block.clone());
    fm.content = Some(content.clone());
    fm.closing = Some(closing.clone());
    let yaml_text = &text[content.clone()];
    let base = content.start;
    let root = match yaml::parse(yaml_text) {
        Ok(root) => root,
        Err(err) => {
            let range = match err.offset {
                Some(off) => {
                    let at = base + off;
                    let line_end = text[at..].find(['\n', '\r']).map_or(text.len(), |e| at + e);
                    at..line_end.max(at)
                }
                None => closing.clone(),
            };
            problems.push(Problem::new(
                Rule::FrontMatter,
                range,
                format!("The front matter is not valid YAML: {} — kith reads this note without it", err.message),
            ));
            return (fm, block.end);
        }
    };
    let entries = match root {
        None => return (fm, block.end),
        Some(Node::Map { entries, .. }) => entries,
        Some(other) => {
            if !other.is_null() {
                problems.push(Problem::new(
                    Rule::FrontMatter,
                    shift(other.range(), base),
                    format!(
                        "Front matter should be keys and values like `name: Jana Müller`, not {}",
                        describe(&other, yaml_text)
                    ),
                ));
            }
            return (fm, block.end);
        }
    };
    let mut reader = Reader { text, base, fm: &mut fm, problems, seen: Default::default() };
    for (key, value) in &entries {
        reader.entry(key, value, is_contact_path);
        reader.nested_repeats(value);
    }
    (fm, block.end)
}

fn shift(range: Range<usize>, base: usize) -> Range<usize> {
    range.start + base..range.end + base
}

struct Reader<'a> {
    text: &'a str,
    base: usize,
    fm: &'a mut FrontMatter,
    problems: &'a mut Vec<Problem>,
    seen: std::collections::HashSet<String>,
}

impl Reader<'_> {
    fn bad(&mut self, range: Range<usize>, message: String) {
        self.problems.push(Problem::new(Rule::FrontMatter, shift(range, self.base), message));
    }

    fn invalid_date(&mut self, range: Range<usize>, text: &str) {
        self.problems.push(Problem::new(
            Rule::InvalidDate,
            shift(range, self.base),
            format!("{text} is not a real day — check the month and the day"),
        ));
    }

    fn entry(&mut self, key: &Node, value: &Node, is_contact_path: bool) {
        let Node::Scalar { text: key_text, .. } = key else { return };
        let key_range = key.range();
        let value_range =
            if value.is_null() && value.range().is_empty() { key_range.end..key_range.end } else { value.range() };
        // Empty values keep their place at the key, so fixes can fill them.
        let value_range = if value_range.start < key_range.end { key_range.end..key_range.end } else { value_range };
        let lower = key_text.to_lowercase();
        let canonical = KNOWN_KEYS.iter().find(|k| **k == lower).copied();
        let identity = canonical.map_or_else(|| key_text.to_string(), str::to_string);
        if self.seen.contains(&identity) {
            self.bad(
                key_range,
                format!(
                    "`{}` is set twice in this front matter; kith uses the first — remove one",
                    crate::engine::text::clip(key_text, 40)
                ),
            );
            return;
        }
        self.seen.insert(identity);
        self.fm.keys.push(KeyEntry {
            key: key_text.as_ref().into(),
            key_range: shift(key_range.clone(), self.base).into(),
            value_range: shift(value_range, self.base).into(),
        });
        let Some(known) = canonical else {
            let _ = is_contact_path;
            self.possible_typo(key_text, key_range);
            return;
        };
        if value.is_null() {
            return;
        }
        match known {
            "type" => self.fm.type_ = self.string(known, value).map(|s| s.value),
            "name" => self.fm.name = self.string(known, value),
            "org" => self.fm.org = self.string(known, value).map(|s| s.value),
            "role" => self.fm.role = self.string(known, value).map(|s| s.value),
            "email" => self.fm.email = self.string(known, value).map(|s| s.value),
            "phone" => self.fm.phone = self.string(known, value).map(|s| s.value),
            "aliases" => self.fm.aliases = self.strings(known, value, false),
            "tags" => {
                let tags = self.strings(known, value, false).into_iter().filter_map(|s| tag(&s.value));
                self.fm.tags = tags.collect();
            }
            "cadence" => {
                if let Some(text) = self.string(known, value) {
                    match Span::parse(text.value.trim()) {
                        Some(span) => self.fm.cadence = Some(span),
                        None => self.bad(
                            value.range(),
                            format!(
                                "`cadence: {}` is not a duration: use a number and d, w, m or y (`90d`, `6w`, `2m`, `1y`), or weekly, monthly, quarterly, yearly",
                                text.value
                            ),
                        ),
                    }
                }
            }
            "birthday" => {
                if let Some(text) = self.scalar_text(value) {
                    let t = text.trim();
                    if let Some(shape) = date_shape(t) {
                        match shape {
                            DateShape::Real(d) => {
                                use chrono::Datelike;
                                self.fm.birthday =
                                    Some(Birthday { year: Some(d.year()), month: d.month(), day: d.day() })
                            }
                            DateShape::Unreal => self.invalid_date(value.range(), t),
                        }
                        return;
                    }
                    match Birthday::parse_month_day(t) {
                        Some(Ok(b)) => self.fm.birthday = Some(b),
                        Some(Err(())) => self.invalid_date(value.range(), t),
                        None => self.bad(
                            value.range(),
                            format!("`birthday: {t}` is not a date: write 1988-04-12, or --04-12 when you don't know the year"),
                        ),
                    }
                } else {
                    self.bad(
                        value.range(),
                        format!(
                            "`birthday` should be a date, like `birthday: 1988-04-12` or `--04-12` when the year is unknown, not {}",
                            self.describe(value)
                        ),
                    );
                }
            }
            "snooze" | "date" => {
                let parsed = match self.scalar_text(value) {
                    Some(text) => match date_shape(text.trim()) {
                        Some(DateShape::Real(d)) => Some(d),
                        Some(DateShape::Unreal) => {
                            self.invalid_date(value.range(), text.trim());
                            None
                        }
                        None if matches!(Birthday::parse_month_day(text.trim()), Some(Err(()))) => {
                            self.invalid_date(value.range(), text.trim());
                            None
                        }
                        None => {
                            self.bad(
                                value.range(),
                                format!(
                                    "`{known}: {}` is not a date: write it as YYYY-MM-DD, like `{}`",
                                    text.trim(),
                                    example(known)
                                ),
                            );
                            None
                        }
                    },
                    None => {
                        self.bad(
                            value.range(),
                            format!(
                                "`{known}` should be a date, like `{}`, not {}",
                                example(known),
                                self.describe(value)
                            ),
                        );
                        None
                    }
                };
                if known == "snooze" {
                    self.fm.snooze = parsed;
                } else {
                    self.fm.date = parsed;
                }
            }
            "kith" => self.kith(value),
            _ => {}
        }
    }

    /// YAML 1.2 keys are unique in every mapping, not only at the top:
    /// a repeated nested key is reported at its second occurrence.
    fn nested_repeats(&mut self, value: &Node) {
        let mut stack = vec![value];
        while let Some(node) = stack.pop() {
            match node {
                Node::Map { entries, .. } => {
                    let mut seen: std::collections::HashSet<&str> = Default::default();
                    for (key, value) in entries {
                        if let Node::Scalar { text, .. } = key {
                            if seen.contains(&text.as_ref()) {
                                self.bad(
                                    key.range(),
                                    format!(
                                        "`{}` is set twice here; kith uses the first — remove one",
                                        crate::engine::text::clip(text, 40)
                                    ),
                                );
                            } else {
                                seen.insert(text);
                            }
                        }
                        stack.push(value);
                    }
                }
                Node::Seq { items, .. } => stack.extend(items),
                _ => {}
            }
        }
    }

    fn possible_typo(&mut self, key: &str, range: Range<usize>) {
        if let Some(best) = typo::nearest(key, KNOWN_KEYS) {
            let mut problem = Problem::new(
                Rule::KeyTypo,
                shift(range, self.base),
                format!(
                    "Unknown key `{}` — did you mean `{best}`? kith ignores it as written",
                    crate::engine::text::clip(key, 40)
                ),
            );
            problem.suggestion = Some(best.to_string());
            self.problems.push(problem);
        }
    }

    /// Text of a scalar that is a string or a number (read as its text).
    fn scalar_text<'n>(&self, value: &'n Node) -> Option<&'n str> {
        match value {
            Node::Scalar { text, .. } => match value.resolved() {
                Some(Resolved::Str | Resolved::Int | Resolved::Float) => Some(text),
                _ => None,
            },
            _ => None,
        }
    }

    fn string(&mut self, key: &str, value: &Node) -> Option<Spanned<CompactString>> {
        match self.scalar_text(value) {
            Some(text) => Some(Spanned { value: text.into(), range: shift(value.range(), self.base) }),
            None => {
                let form = match key {
                    "phone" => "text or a number",
                    "cadence" => "a duration",
                    _ => "text",
                };
                let message =
                    format!("`{key}` should be {form}, like `{}`, not {}", example(key), self.describe(value));
                self.bad(value.range(), message);
                None
            }
        }
    }

    /// A string or a list of strings (`aliases`, `tags`); with `list_only`,
    /// a list only (`kith.ignore`). Numbers are not names here: the spec
    /// reads numbers as text only for `type`, `name`, `org`, `role`, `email`
    /// and `phone`.
    fn strings(&mut self, key: &str, value: &Node, list_only: bool) -> Vec<Spanned<CompactString>> {
        let items: Vec<&Node> = match value {
            Node::Seq { items, .. } => items.iter().collect(),
            _ if list_only => {
                self.bad(
                    value.range(),
                    format!(
                        "`{key}` should be a list of rule names, like `{}`, not {}",
                        example(key),
                        self.describe(value)
                    ),
                );
                return Vec::new();
            }
            _ => vec![value],
        };
        let mut out = Vec::new();
        for item in items {
            if item.is_null() {
                continue;
            }
            match (item, item.resolved()) {
                (Node::Scalar { text, .. }, Some(Resolved::Str)) => {
                    out.push(Spanned { value: text.as_ref().into(), range: shift(item.range(), self.base) })
                }
                _ => {
                    let form = match key {
                        _ if list_only => "a list of rule names",
                        "tags" => "a tag or a list of tags",
                        _ => "a name or a list of names",
                    };
                    let message =
                        format!("`{key}` should be {form}, like `{}`, not {}", example(key), self.describe(item));
                    self.bad(item.range(), message);
                }
            }
        }
        out
    }

    fn kith(&mut self, value: &Node) {
        let Node::Map { entries, .. } = value else {
            self.bad(
                value.range(),
                format!("`kith` should be a mapping, like `{}`, not {}", example("kith"), self.describe(value)),
            );
            return;
        };
        for (key, value) in entries {
            let Node::Scalar { text, .. } = key else { continue };
            if text != "ignore" || value.is_null() {
                continue;
            }
            for name in self.strings("kith.ignore", value, true) {
                match Rule::from_name(name.value.trim()) {
                    Some(rule) => self.fm.ignore.push(rule),
                    None => {
                        let hint = typo::nearest(name.value.trim(), Rule::ALL.iter().map(|r| r.name()))
                            .map(|b| format!(" — did you mean `{b}`?"))
                            .unwrap_or_else(|| " — `kith rule` lists the rules".into());
                        self.problems.push(Problem::new(
                            Rule::FrontMatter,
                            name.range,
                            format!("`{}` is not a kith rule{hint}", name.value),
                        ));
                    }
                }
            }
        }
    }

    /// What a value is, for a message: a YAML alias by its name as written
    /// (kith never expands aliases).
    fn describe(&self, value: &Node) -> String {
        describe(value, self.text.get(self.base..).unwrap_or(""))
    }
}

/// A tag as written, trimmed and without one leading `#`; `None` when
/// nothing is left.
fn tag(written: &str) -> Option<CompactString> {
    let trimmed = written.trim();
    let tag = trimmed.strip_prefix('#').unwrap_or(trimmed);
    (!tag.is_empty()).then(|| tag.into())
}

/// What a node is, for a message; `yaml` is the text its range is in.
fn describe(value: &Node, yaml: &str) -> String {
    match value {
        Node::Alias { range } => {
            let written = yaml.get(range.clone()).unwrap_or("").trim();
            format!("the alias `{}` (kith does not expand YAML aliases)", crate::engine::text::clip(written, 40))
        }
        other => other.describe().to_string(),
    }
}

/// A known key's value as the spec's example writes it.
fn example(key: &str) -> &'static str {
    match key {
        "type" => "type: contact",
        "name" => "name: Jana Müller",
        "aliases" => "aliases: [Jana, J. Müller]",
        "tags" => "tags: [mentor, design]",
        "org" => "org: Acme GmbH",
        "role" => "role: Head of Design",
        "email" => "email: jana@example.org",
        "phone" => "phone: \"+49 30 1234567\"",
        "cadence" => "cadence: 2m",
        "birthday" => "birthday: 1988-04-12",
        "snooze" => "snooze: 2027-01-15",
        "date" => "date: 2026-11-30",
        "kith" => "kith: {ignore: [unreciprocated]}",
        _ => "ignore: [unreciprocated]",
    }
}
