//! The body of a note: list items (entries and tasks), `[[links]]`,
//! headings and `kith-ignore` comments, read in one pass of pulldown-cmark.
//!
//! pulldown-cmark finds the structure (items, their first paragraph, block
//! quotes, code); links, dates and tags are then read from the raw text with
//! code masked out, so every span is exact.

use super::Problem;
use crate::engine::config::Config;
use crate::engine::date::{DateShape, date_shape_prefix};
use crate::engine::kinds::Kind;
use crate::engine::rules::Rule;
use crate::engine::span::Span;
use crate::engine::text::LineIndex;
use crate::engine::typo;
use compact_str::CompactString;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskStatus {
    Open,
    Closed,
}

/// A kind tag right after an item's date that names a kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindTag {
    pub kind: Kind,
    /// The tag as written, `#` included.
    pub range: Span,
}

/// A list item that may matter: an entry, a task, or an item with links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The whole item from its list marker on, nested content included.
    pub full: Span,
    /// The item's text: its first paragraph.
    pub text: Span,
    /// The first line of the text, without trailing white space.
    pub first_line: Span,
    pub in_quote: bool,
    pub task: Option<TaskStatus>,
    /// Length of a task's checkbox `[ ]`, which starts the text (read it
    /// with [`Item::checkbox`]).
    checkbox_len: u8,
    /// A leading `NNNN-NN-NN` (after the checkbox of a task).
    pub date: Option<(DateShape, Span)>,
    /// Kind tags that name kinds, in the order they stand: indexes into
    /// the note's kind tags (read them with [`Note::kinds`](super::Note::kinds)).
    pub kinds: Range<u32>,
    /// Where the free text after the date and tags starts.
    pub rest: u32,
    /// Indexes into the note's links.
    pub links: Range<u32>,
}

impl Item {
    /// Range of a task's checkbox `[ ]`.
    pub fn checkbox(&self) -> Option<Span> {
        self.task.map(|_| Span::new(self.text.start(), self.text.start() + usize::from(self.checkbox_len)))
    }

    /// Where the free text after the date and tags starts.
    pub fn rest(&self) -> usize {
        self.rest as usize
    }

    /// The free text of the first line, after the date and tags.
    pub fn words(&self) -> Range<usize> {
        self.rest()..self.first_line.end().max(self.rest())
    }

    /// Indexes into the note's links.
    pub fn links(&self) -> Range<usize> {
        self.links.start as usize..self.links.end as usize
    }

    /// An item with at least one kind tag that is neither a task nor quoted.
    pub fn has_kinds(&self) -> bool {
        self.task.is_none() && !self.in_quote && !self.kinds.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The whole `[[…]]`, with a leading `!` for embeds.
    pub range: Span,
    /// The target as written, trimmed: read it with [`Note::target`](super::Note::target).
    pub target_range: Span,
    pub label: Option<Span>,
    pub embed: bool,
    pub in_quote: bool,
    /// The item whose first paragraph holds the link.
    pub item: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub range: Span,
    /// Titles are short: stored inline, without an allocation of their own.
    pub title: CompactString,
}

/// `<!-- kith-ignore: a, b -->`: silences rules on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// 0-based line whose findings are silenced.
    pub line: usize,
    /// `None` silences every rule.
    pub rules: Option<Vec<String>>,
}

impl Suppression {
    pub fn covers(&self, rule: Rule) -> bool {
        match &self.rules {
            None => true,
            Some(names) => names.iter().any(|n| n == rule.name()),
        }
    }
}

pub struct Body {
    pub items: Vec<Item>,
    pub kind_tags: Vec<KindTag>,
    pub links: Vec<Link>,
    pub headings: Vec<Heading>,
    pub suppressions: Vec<Suppression>,
}

struct Frame {
    full: Range<usize>,
    text: Option<Range<usize>>,
    done: bool,
    in_quote: bool,
}

pub fn parse(
    text: &str,
    body_start: usize,
    is_contact: bool,
    config: &Config,
    lines: &LineIndex,
    problems: &mut Vec<Problem>,
) -> Body {
    let body = &text[body_start..];
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_FOOTNOTES);
    let mut code: Vec<Range<usize>> = Vec::new();
    let mut quotes: Vec<Range<usize>> = Vec::new();
    let mut headings = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    let mut raw_items: Vec<(Range<usize>, Range<usize>, bool)> = Vec::new();
    let mut quote_depth = 0usize;
    let mut in_code_block = false;
    let mut heading: Option<(u8, usize)> = None;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let range = range.start + body_start..range.end + body_start;
        let close_text = |frames: &mut Vec<Frame>| {
            if let Some(f) = frames.last_mut() {
                if f.text.is_some() {
                    f.done = true;
                }
            }
        };
        match event {
            Event::Start(Tag::Item) => {
                frames.push(Frame { full: range.clone(), text: None, done: false, in_quote: quote_depth > 0 })
            }
            Event::End(TagEnd::Item) => {
                if let Some(frame) = frames.pop() {
                    if let Some(t) = frame.text {
                        raw_items.push((frame.full, t, frame.in_quote));
                    }
                }
            }
            Event::Start(Tag::BlockQuote(_)) => {
                quote_depth += 1;
                quotes.push(range);
                // `- > 2026-11-24 #ask …`: the item's first paragraph is quoted.
                if let Some(f) = frames.last_mut().filter(|f| f.text.is_none()) {
                    f.in_quote = true;
                }
                close_text(&mut frames);
            }
            Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_)) => {
                code.push(range);
                in_code_block = true;
                close_text(&mut frames);
            }
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level as u8, range.start));
                close_text(&mut frames);
                let _ = range;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start)) = heading.take() {
                    let line = &text[start..range.end];
                    let title = line.trim().trim_start_matches('#').trim().trim_end_matches('#').trim().into();
                    headings.push(Heading { level, range: Span::new(start, range.end), title });
                }
            }
            Event::End(TagEnd::Paragraph) => close_text(&mut frames),
            Event::Start(Tag::List(_) | Tag::Table(_) | Tag::HtmlBlock | Tag::FootnoteDefinition(_)) | Event::Rule => {
                close_text(&mut frames)
            }
            Event::Start(Tag::Paragraph) | Event::End(_) => {}
            Event::Code(_) => {
                code.push(range.clone());
                inline(&mut frames, range, in_code_block || heading.is_some());
            }
            Event::Html(_) | Event::DisplayMath(_) => {}
            _ => inline(&mut frames, range, in_code_block || heading.is_some()),
        }
    }
    code.sort_by_key(|r| r.start);
    let in_code = |offset: usize| -> bool {
        let i = code.partition_point(|r| r.start <= offset);
        i > 0 && code[i - 1].end > offset
    };
    // Quotes nest inside quotes: the outermost ones decide, found by binary search.
    let mut outer_quotes: Vec<Range<usize>> = Vec::new();
    for q in quotes {
        if outer_quotes.last().is_none_or(|last| q.start >= last.end) {
            outer_quotes.push(q);
        }
    }
    let in_quote = |offset: usize| {
        let i = outer_quotes.partition_point(|r| r.start <= offset);
        i > 0 && outer_quotes[i - 1].end > offset
    };

    let (comments, suppressions) = scan_comments(text, body_start, &in_code, lines);
    let in_comment = |offset: usize| {
        let i = comments.partition_point(|r| r.start <= offset);
        i > 0 && comments[i - 1].end > offset
    };
    let mut links = scan_links(text, body_start, &|o| in_code(o) || in_comment(o), &in_quote);

    raw_items.sort_by_key(|(_, t, _)| t.start);
    let mut items = Vec::with_capacity(raw_items.len());
    let mut kind_tags = Vec::new();
    for (full, range, quoted) in raw_items {
        let first = links.partition_point(|l| l.range.start() < range.start);
        let last = links.partition_point(|l| l.range.start() < range.end);
        let read =
            read_item(text, full, range, quoted, first..last, is_contact, config, &in_code, &mut kind_tags, problems);
        if let Some(item) = read {
            let index = u32::try_from(items.len()).ok();
            for link in &mut links[first..last] {
                link.item = index;
            }
            items.push(item);
        }
    }
    Body { items, kind_tags, links, headings, suppressions }
}

fn inline(frames: &mut [Frame], range: Range<usize>, skip: bool) {
    if skip {
        return;
    }
    if let Some(f) = frames.last_mut() {
        if !f.done {
            f.text = Some(match &f.text {
                Some(t) => t.start.min(range.start)..t.end.max(range.end),
                None => range,
            });
        }
    }
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '/')
}

#[allow(clippy::too_many_arguments)]
fn read_item(
    text: &str,
    full: Range<usize>,
    range: Range<usize>,
    in_quote: bool,
    links: Range<usize>,
    is_contact: bool,
    config: &Config,
    in_code: &dyn Fn(usize) -> bool,
    kind_tags: &mut Vec<KindTag>,
    problems: &mut Vec<Problem>,
) -> Option<Item> {
    let item_text = &text[range.clone()];
    let line_len = item_text.find(['\n', '\r']).unwrap_or(item_text.len());
    let first_line = range.start..range.start + item_text[..line_len].trim_end().len();
    let mut pos = range.start;
    let mut task = None;
    let mut checkbox_len = 0;
    // `[c] ` at the start: a task with status `c`.
    let mut chars = item_text.char_indices();
    if let (Some((_, '[')), Some((_, status)), Some((close, ']'))) = (chars.next(), chars.next(), chars.next()) {
        let after = &item_text[close + 1..];
        if after.is_empty() || after.starts_with([' ', '\t', '\n', '\r']) {
            task = Some(if matches!(status, 'x' | 'X' | '-') { TaskStatus::Closed } else { TaskStatus::Open });
            checkbox_len = u8::try_from(close + 1).unwrap_or(u8::MAX);
            pos = range.start + close + 1;
            pos += text[pos..range.end].len() - text[pos..range.end].trim_start_matches([' ', '\t']).len();
        }
    }
    let mut date = None;
    if !in_code(pos) {
        if let Some(shape) = date_shape_prefix(&text[pos..range.end]) {
            let after = &text[pos + 10..range.end];
            // A quoted item is neither an entry nor a task (§7): its date is text.
            if shape == DateShape::Unreal && !in_quote && !after.starts_with(|c: char| c.is_ascii_digit()) {
                problems.push(Problem::new(
                    Rule::InvalidDate,
                    pos..pos + 10,
                    format!("{} is not a real day — check the month and the day", &text[pos..pos + 10]),
                ));
            }
            // The item starts with a date whatever follows it but another
            // digit (`2026-11-30: send the deck`), as for `invalid-date` above;
            // kind tags must still follow it before any other word.
            if !after.starts_with(|c: char| c.is_ascii_digit()) {
                date = Some((shape, Span::new(pos, pos + 10)));
                pos += 10;
            }
        }
    }
    let first_kind = kind_tags.len();
    let mut typos = Vec::new();
    if task.is_none() {
        loop {
            let rest = &text[pos..range.end];
            let trimmed = rest.trim_start_matches([' ', '\t']);
            let at = pos + (rest.len() - trimmed.len());
            let Some(tag_body) = trimmed.strip_prefix('#') else { break };
            let len = tag_body.find(|c: char| !is_tag_char(c)).unwrap_or(tag_body.len());
            if len == 0 || in_code(at) {
                break;
            }
            let name = &tag_body[..len];
            let tag_range = at..at + 1 + len;
            let lower = name.to_lowercase();
            if let Some(kind) = Kind::parse_builtin(&lower).or_else(|| config.kinds.get(&lower).copied()) {
                kind_tags.push(KindTag { kind, range: tag_range.clone().into() });
            } else {
                let candidates = Kind::ALL.iter().map(|k| k.name()).chain(config.kinds.keys().map(String::as_str));
                if let Some(best) = typo::nearest(name, candidates) {
                    typos.push((tag_range.clone(), name.to_string(), best.to_string()));
                }
            }
            pos = tag_range.end;
        }
    }
    // Kind tags follow an item's leading date; in an ordinary note they may
    // also open an undated item that links somewhere. Whether such an item
    // could be an entry (dated by its note, not only linking by embeds)
    // `unknown-kind` decides. Quoted items are neither entries nor tasks.
    if !in_quote && (date.is_some() || (!is_contact && !links.is_empty())) {
        for (range, name, best) in typos {
            let mut problem = Problem::new(
                Rule::UnknownKind,
                range,
                format!(
                    "#{} is not a kind kith knows — did you mean #{best}? As written, it doesn't count",
                    crate::engine::text::clip(&name, 40)
                ),
            );
            problem.suggestion = Some(format!("#{best}"));
            problems.push(problem);
        }
    }
    let rest = pos + (text[pos..range.end].len() - text[pos..range.end].trim_start().len());
    let kinds = Span::new(first_kind, kind_tags.len()).range32();
    if task.is_none() && date.is_none() && kinds.is_empty() && links.is_empty() {
        return None;
    }
    Some(Item {
        full: full.into(),
        text: range.into(),
        first_line: first_line.into(),
        in_quote,
        task,
        checkbox_len,
        date,
        kinds,
        rest: Span::new(rest, rest).start,
        links: Span::new(links.start, links.end).range32(),
    })
}

/// `haystack.find(needle)` for a needle that starts with an ASCII byte
/// rare in prose: looking for that byte first (memchr) is several times
/// faster than a general substring search, which is what parsing spends
/// here on long notes.
fn find_pair(haystack: &str, needle: &str) -> Option<usize> {
    let first = needle.chars().next()?;
    let mut from = 0;
    while let Some(at) = haystack[from..].find(first) {
        let at = from + at;
        if haystack[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + first.len_utf8();
    }
    None
}

fn scan_links(
    text: &str,
    body_start: usize,
    masked: &dyn Fn(usize) -> bool,
    in_quote: &dyn Fn(usize) -> bool,
) -> Vec<Link> {
    let mut links = Vec::new();
    let bytes = text.as_bytes();
    let mut search = body_start;
    while let Some(found) = find_pair(&text[search..], "[[") {
        let open = search + found;
        search = open + 2;
        // `\[[X]]` is written to show the brackets, as Markdown escapes go
        // (an odd number of backslashes escapes; `\\[[X]]` is a link).
        let backslashes = bytes[body_start..open].iter().rev().take_while(|&&b| b == b'\\').count();
        if masked(open) || backslashes % 2 == 1 {
            continue;
        }
        let inner_start = open + 2;
        let rest = &text[inner_start..];
        // The target cannot hold brackets or line ends: stop at the first one,
        // so that every byte is looked at a bounded number of times.
        let stop = rest.find(['\n', '\r', '[', ']']).unwrap_or(rest.len());
        if !rest[stop..].starts_with("]]") {
            search = inner_start + stop;
            continue;
        }
        let close = stop;
        let inner = &rest[..close];
        if inner.trim().is_empty() {
            continue;
        }
        let embed = open > body_start && bytes[open - 1] == b'!';
        let end = inner_start + close + 2;
        // `Target#heading|label`: the target ends at `#`, `^` or `|`.
        let target_len = inner.find(['#', '|', '^']).unwrap_or(inner.len());
        let raw_target = &inner[..target_len];
        let target_trimmed_start = raw_target.len() - raw_target.trim_start().len();
        let target = raw_target.trim().trim_end_matches('\\').trim();
        let target_range = inner_start + target_trimmed_start..inner_start + target_trimmed_start + target.len();
        let label = inner.find('|').map(|bar| inner_start + bar + 1..inner_start + close);
        search = end;
        if target.is_empty() {
            continue;
        }
        links.push(Link {
            range: if embed { Span::new(open - 1, end) } else { Span::new(open, end) },
            target_range: target_range.into(),
            label: label.map(Span::from),
            embed,
            in_quote: in_quote(open),
            item: None,
        });
    }
    links
}

fn scan_comments(
    text: &str,
    body_start: usize,
    in_code: &dyn Fn(usize) -> bool,
    lines: &LineIndex,
) -> (Vec<Range<usize>>, Vec<Suppression>) {
    let mut comments = Vec::new();
    let mut suppressions = Vec::new();
    let mut search = body_start;
    while let Some(found) = find_pair(&text[search..], "<!--") {
        let open = search + found;
        let Some(close) = text[open + 4..].find("-->") else { break };
        let end = open + 4 + close + 3;
        search = end;
        if in_code(open) {
            continue;
        }
        comments.push(open..end);
        let inner = text[open + 4..end - 3].trim();
        let Some(rest) = inner.strip_prefix("kith-ignore") else { continue };
        let rest = rest.trim_start();
        let rules = if rest.is_empty() {
            None
        } else if let Some(list) = rest.strip_prefix(':') {
            Some(list.split(',').map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect())
        } else {
            continue;
        };
        // A comment may span lines: what stands before it is on the line of
        // its `<!--`, what follows it on the line of its `-->`.
        let line = lines.line_of(open);
        let close_line = lines.line_of(end - 1);
        let (Some(open_range), Some(close_range)) = (lines.line_range(text, line), lines.line_range(text, close_line))
        else {
            continue;
        };
        let before = &text[open_range.start..open];
        let after = text.get(end..close_range.end.max(end)).unwrap_or("");
        // The spec: at the end of a line it silences that line (the one it
        // starts on, where the text it follows is); alone on its lines, the
        // line after its `-->`. A comment with text after it silences nothing.
        if !after.trim().is_empty() {
            continue;
        }
        let alone = before.trim().is_empty();
        suppressions.push(Suppression { line: if alone { close_line + 1 } else { line }, rules });
    }
    // `suppressed_at` relies on line order (a comment alone on its line
    // points at the next, so the pushes are not always sorted).
    suppressions.sort_by_key(|s| s.line);
    (comments, suppressions)
}

#[cfg(test)]
mod tests {
    use super::find_pair;

    #[test]
    fn find_pair_is_find() {
        for (hay, needle) in
            [("a [b [[c]]", "[["), ("[[", "[["), ("[", "[["), ("ä[ü[[", "[["), ("<! <!- <!--x", "<!--"), ("", "[[")]
        {
            assert_eq!(find_pair(hay, needle), hay.find(needle), "{hay:?}");
        }
    }
}
