//! A small YAML tree with byte spans, built from saphyr-parser's events.
//!
//! serde-based YAML crates give values but not where they stand; kith must
//! underline the exact value that is wrong, so it walks the event stream
//! itself. Aliases are never expanded (no billion-laughs), nesting is capped,
//! and every error becomes a position instead of a lost note.

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::borrow::Cow;
use std::ops::Range;

/// Nesting deeper than this is reported instead of followed.
const MAX_DEPTH: usize = 64;
/// More nodes than this is reported instead of kept (front matter is tiny in practice).
const MAX_NODES: usize = 200_000;

/// A node; scalars borrow from the YAML text when they can (most do).
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    Scalar { text: Cow<'a, str>, plain: bool, range: Range<usize> },
    Seq { items: Vec<Node<'a>>, range: Range<usize> },
    Map { entries: Vec<(Node<'a>, Node<'a>)>, range: Range<usize> },
    Alias { range: Range<usize> },
}

/// A plain scalar's type under the YAML 1.2 core schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Null,
    Bool,
    Int,
    Float,
    Str,
}

impl Node<'_> {
    pub fn range(&self) -> Range<usize> {
        match self {
            Node::Scalar { range, .. } | Node::Seq { range, .. } | Node::Map { range, .. } | Node::Alias { range } => {
                range.clone()
            }
        }
    }

    /// The scalar's core-schema type; quoted and block scalars are strings.
    pub fn resolved(&self) -> Option<Resolved> {
        let Node::Scalar { text, plain, .. } = self else { return None };
        if !plain {
            return Some(Resolved::Str);
        }
        Some(resolve_plain(text))
    }

    pub fn is_null(&self) -> bool {
        self.resolved() == Some(Resolved::Null)
    }

    pub fn describe(&self) -> &'static str {
        match self {
            Node::Scalar { .. } => match self.resolved() {
                Some(Resolved::Null) => "empty",
                Some(Resolved::Bool) => "true/false",
                Some(Resolved::Int | Resolved::Float) => "a number",
                _ => "text",
            },
            Node::Seq { .. } => "a list",
            Node::Map { .. } => "a mapping",
            Node::Alias { .. } => "an alias",
        }
    }
}

fn resolve_plain(text: &str) -> Resolved {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => return Resolved::Bool,
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF" | ".nan" | ".NaN"
        | ".NAN" => return Resolved::Float,
        _ => {}
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return Resolved::Int;
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            return Resolved::Int;
        }
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Resolved::Int;
        }
    }
    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
                && !(int.is_empty() && frac.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    });
    if mantissa_ok && exponent_ok && (mantissa.contains('.') || exponent.is_some()) {
        Resolved::Float
    } else {
        Resolved::Str
    }
}

/// Why a YAML text did not become a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    /// Byte offset in the YAML text; `None` when the parser stopped at the end of input.
    pub offset: Option<usize>,
}

/// Parses one YAML document. `Ok(None)` for an empty document.
pub fn parse(yaml: &str) -> Result<Option<Node<'_>>, YamlError> {
    let offsets = CharOffsets::new(yaml);
    let mut builder = Builder { yaml, offsets: &offsets, nodes: 0 };
    let mut parser = Parser::new_from_str(yaml);
    let mut root = None;
    let mut documents = 0;
    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(pair)) => pair,
            Some(Err(err)) => {
                return Err(error(&offsets, &err));
            }
        };
        match event {
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(YamlError {
                        message: "front matter holds more than one YAML document".into(),
                        offset: Some(offsets.byte(span.start.index()).unwrap_or(0)),
                    });
                }
            }
            other => {
                root = Some(builder.node(other, span, &mut parser, 0)?);
            }
        }
    }
    Ok(root)
}

struct Builder<'a> {
    yaml: &'a str,
    offsets: &'a CharOffsets,
    nodes: usize,
}

impl Builder<'_> {
    fn range(&self, span: Span) -> Range<usize> {
        let start = self.offsets.byte(span.start.index()).unwrap_or(0);
        let end = self.offsets.byte(span.end.index()).unwrap_or(start).max(start);
        start..end
    }

    fn node<'i>(
        &mut self,
        event: Event<'i>,
        span: Span,
        parser: &mut Parser<'i, saphyr_parser::StrInput<'i>>,
        depth: usize,
    ) -> Result<Node<'i>, YamlError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES || depth > MAX_DEPTH {
            return Err(YamlError {
                message: if depth > MAX_DEPTH {
                    "front matter is nested too deeply"
                } else {
                    "front matter is too large"
                }
                .into(),
                offset: Some(self.range(span).start),
            });
        }
        let start = self.range(span);
        Ok(match event {
            Event::Scalar(text, style, _, _) => {
                let range = scalar_range(self.yaml, start, style);
                Node::Scalar { text, plain: style == ScalarStyle::Plain, range }
            }
            Event::Alias(_) => Node::Alias { range: start },
            Event::SequenceStart(..) => {
                let mut items = Vec::new();
                loop {
                    let (event, span) = self.next(parser)?;
                    match event {
                        Event::SequenceEnd => {
                            let end =
                                self.range(span).end.max(items.last().map_or(start.end, |n: &Node| n.range().end));
                            return Ok(Node::Seq { items, range: start.start..end });
                        }
                        other => items.push(self.node(other, span, parser, depth + 1)?),
                    }
                }
            }
            Event::MappingStart(..) => {
                let mut entries = Vec::new();
                loop {
                    let (event, span) = self.next(parser)?;
                    match event {
                        Event::MappingEnd => {
                            let end = self
                                .range(span)
                                .end
                                .max(entries.last().map_or(start.end, |(_, v): &(Node, Node)| v.range().end));
                            return Ok(Node::Map { entries, range: start.start..end });
                        }
                        other => {
                            let key = self.node(other, span, parser, depth + 1)?;
                            let (event, span) = self.next(parser)?;
                            let value = self.node(event, span, parser, depth + 1)?;
                            entries.push((key, value));
                        }
                    }
                }
            }
            _ => Node::Scalar { text: Cow::Borrowed(""), plain: true, range: start },
        })
    }

    fn next<'i>(&self, parser: &mut Parser<'i, saphyr_parser::StrInput<'i>>) -> Result<(Event<'i>, Span), YamlError> {
        match parser.next_event() {
            Some(Ok(pair)) => Ok(pair),
            Some(Err(err)) => Err(error(self.offsets, &err)),
            None => Err(YamlError { message: "unexpected end of front matter".into(), offset: None }),
        }
    }
}

/// A scalar's range as written, no more: saphyr's span of a quoted scalar
/// runs on over a comment after it, and that of a block scalar over the
/// line breaks after it. An edit of the value must not take those along.
fn scalar_range(yaml: &str, range: Range<usize>, style: ScalarStyle) -> Range<usize> {
    let written = yaml.get(range.clone()).unwrap_or("");
    let len = match style {
        ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted => {
            let quote = if style == ScalarStyle::DoubleQuoted { b'"' } else { b'\'' };
            let bytes = written.as_bytes();
            let mut i = 1;
            let mut end = None;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' if quote == b'"' => i += 1,
                    // `''` is a quote inside single quotes.
                    b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
                    b if b == quote => {
                        end = Some(i + 1);
                        break;
                    }
                    _ => {}
                }
                i += 1;
            }
            end.unwrap_or(written.len())
        }
        _ => written.trim_end().len(),
    };
    range.start..range.start + len
}

/// Places a scan error; errors found at the end of input have no offset.
fn error(offsets: &CharOffsets, err: &saphyr_parser::ScanError) -> YamlError {
    let at_end = err.info().contains("end of stream");
    YamlError {
        message: err.info().to_string(),
        offset: offsets.byte(err.marker().index()).filter(|&b| b < offsets.trimmed_len && !at_end),
    }
}

/// saphyr reports positions in characters; kith works in bytes.
struct CharOffsets {
    /// Byte offset of each character, plus the end; empty for ASCII text.
    bytes: Vec<usize>,
    len: usize,
    trimmed_len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> CharOffsets {
        let bytes = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect()
        };
        CharOffsets { bytes, len: text.len(), trimmed_len: text.trim_end().len() }
    }

    fn byte(&self, char_index: usize) -> Option<usize> {
        if self.bytes.is_empty() {
            (char_index <= self.len).then_some(char_index)
        } else {
            self.bytes.get(char_index).copied()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_bytes() {
        let yaml = "name: Jörg Weiß\nbirthday: 1988-04-12\ntags: [a, \"b\"]\n";
        let Some(Node::Map { entries, .. }) = parse(yaml).unwrap() else { panic!() };
        let (_, name) = &entries[0];
        assert_eq!(&yaml[name.range()], "Jörg Weiß");
        let (_, birthday) = &entries[1];
        assert_eq!(&yaml[birthday.range()], "1988-04-12");
        assert_eq!(birthday.resolved(), Some(Resolved::Str), "YAML 1.2: dates are strings");
    }

    #[test]
    fn scalar_ranges_end_where_the_value_does() {
        let yaml = "a: \"x \\\" y\"  # note\nb: 'it''s'  # note\nc: >-\n  one\n  two\n\nd: plain  # note\ne: \"open";
        let Err(_) = parse(yaml) else { panic!("an open quote is an error") };
        let yaml = &yaml[..yaml.rfind("e:").unwrap()];
        let Some(Node::Map { entries, .. }) = parse(yaml).unwrap() else { panic!() };
        let values: Vec<&str> = entries.iter().map(|(_, v)| &yaml[v.range()]).collect();
        assert_eq!(values, ["\"x \\\" y\"", "'it''s'", "one\n  two", "plain"]);
    }

    #[test]
    fn core_schema() {
        assert_eq!(resolve_plain("12"), Resolved::Int);
        assert_eq!(resolve_plain("1.5"), Resolved::Float);
        assert_eq!(resolve_plain("1e3"), Resolved::Float);
        assert_eq!(resolve_plain("yes"), Resolved::Str, "YAML 1.2 has no yes/no booleans");
        assert_eq!(resolve_plain("~"), Resolved::Null);
        assert_eq!(resolve_plain("+49 30 1234567"), Resolved::Str);
        assert_eq!(resolve_plain("."), Resolved::Str);
    }

    #[test]
    fn errors_and_bombs_never_panic() {
        assert!(parse("name: \"open").unwrap_err().offset.is_none());
        let err = parse("a: b\n  c: d\ne: f").unwrap_err();
        assert!(err.offset.is_some());
        let deep = "a: ".to_string() + &"[".repeat(10_000);
        assert!(parse(&deep).is_err());
        let bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c, *c]\n";
        assert!(parse(bomb).is_ok());
        assert_eq!(parse("").unwrap(), None);
    }
}
