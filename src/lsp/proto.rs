//! The edge: LSP positions and URIs in, byte offsets and paths out, and back.
//!
//! Everything inside kith is a byte offset into a note's text; columns in
//! the client's unit (UTF-8 or UTF-16) exist only here. Out-of-range client
//! positions clamp (see [`LineIndex::offset`]).

use crate::engine::edit;
use crate::engine::finding::{Finding, Level};
use crate::engine::note::Note;
use crate::engine::text::{Encoding, LineCol, LineIndex};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::Value;
use std::path::{Component, Path, PathBuf};
use tower_lsp_server::UriExt;
use tower_lsp_server::jsonrpc::Request;
use tower_lsp_server::lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range, TextEdit,
    Uri,
};

/// Converts between byte offsets of one text and client positions.
#[derive(Clone, Copy)]
pub struct Conv<'a> {
    pub text: &'a str,
    pub lines: &'a LineIndex,
    pub enc: Encoding,
}

impl<'a> Conv<'a> {
    pub fn new(note: &'a Note, enc: Encoding) -> Conv<'a> {
        Conv { text: &note.text, lines: &note.lines, enc }
    }

    pub fn offset(&self, pos: Position) -> usize {
        self.lines.offset(self.text, LineCol { line: pos.line, col: pos.character }, self.enc)
    }

    pub fn position(&self, offset: usize) -> Position {
        let lc = self.lines.line_col(self.text, offset, self.enc);
        Position { line: lc.line, character: lc.col }
    }

    pub fn range(&self, range: std::ops::Range<usize>) -> Range {
        Range { start: self.position(range.start), end: self.position(range.end.max(range.start)) }
    }

    /// A client range as byte offsets, start first.
    pub fn offsets(&self, range: Range) -> std::ops::Range<usize> {
        let (a, b) = (self.offset(range.start), self.offset(range.end));
        a.min(b)..a.max(b)
    }

    pub fn edit(&self, edit: &edit::TextEdit) -> TextEdit {
        TextEdit { range: self.range(edit.range.clone()), new_text: edit.new_text.clone() }
    }
}

/// The file a `file:` URI names, however the client spells it: percent
/// escapes in either case, the host `localhost` or none, `.` and `..`
/// segments (removed as RFC 3986 says, without looking at the disk). `None`
/// for other schemes and other hosts.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().is_some_and(|s| s.as_str().eq_ignore_ascii_case("file")) {
        return None;
    }
    let host = uri.authority().map_or("", |a| a.host().as_str());
    if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    let decoded = uri.to_file_path()?;
    let mut path = PathBuf::new();
    for part in decoded.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                path.pop();
            }
            other => path.push(other),
        }
    }
    Some(path)
}

/// One spelling per file: the URI kith itself makes for the file a `file:`
/// URI names, so that a document is one document however the client
/// spells it. Other URIs stay as they are.
pub fn normal(uri: &Uri) -> Uri {
    file_path(uri).and_then(|p| file_uri(&p)).unwrap_or_else(|| uri.clone())
}

/// The `file:` URI of an absolute path.
pub fn file_uri(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

pub fn severity(level: Level) -> DiagnosticSeverity {
    match level {
        Level::Error => DiagnosticSeverity::ERROR,
        Level::Warning => DiagnosticSeverity::WARNING,
        Level::Info => DiagnosticSeverity::INFORMATION,
        Level::Hint => DiagnosticSeverity::HINT,
    }
}

/// A finding as the editor shows it. `about` is where the contact the finding
/// is about stands, when that is another note than the one it is placed in.
pub fn diagnostic(finding: &Finding, conv: &Conv, about: Option<Location>) -> Diagnostic {
    let related_information = about.zip(finding.contact.as_ref()).map(|(location, contact)| {
        vec![DiagnosticRelatedInformation { location, message: format!("about {}", contact.name) }]
    });
    Diagnostic {
        range: conv.range(finding.range.clone()),
        severity: Some(severity(finding.level)),
        code: Some(NumberOrString::String(finding.rule.name().to_string())),
        code_description: None,
        source: Some("kith".to_string()),
        message: finding.message.clone(),
        related_information,
        tags: None,
        data: None,
    }
}

/// Where a note says who it is: its `name:` value, else its first line.
pub fn name_range(note: &Note) -> std::ops::Range<usize> {
    match &note.front.name {
        Some(name) => name.range.clone(),
        None => {
            let first = note.first_line();
            first.start..first.start
        }
    }
}

/// What a URI may not hold unescaped: controls, space, non-ASCII (every
/// byte ≥ 0x80 is escaped by `percent-encoding` anyway) and the delimiters
/// RFC 3986 excludes. `%` stays: escapes already there are kept.
const NOT_IN_URI: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'\\').add(b'^').add(b'`').add(b'{').add(b'|').add(b'}');

/// Makes the URIs in a message's parameters (every string under a key
/// ending in `uri`) valid before the message is read: a client may send
/// `file:///…/jürgen.md` unescaped, which lsp-types rejects, and with it the
/// whole message (an opened text would be lost). Valid URIs are left alone.
pub fn escape_uris(request: Request) -> Request {
    if !request.params().is_some_and(needs_escape) {
        return request;
    }
    let (method, id, params) = request.into_parts();
    let mut params = params.unwrap_or_default();
    escape_in(&mut params);
    let request = Request::build(method).params(params);
    match id {
        Some(id) => request.id(id).finish(),
        None => request.finish(),
    }
}

fn is_uri_key(key: &str) -> bool {
    key.len() >= 3 && key.get(key.len() - 3..).is_some_and(|end| end.eq_ignore_ascii_case("uri"))
}

fn escapable(text: &str) -> bool {
    text.parse::<Uri>().is_err() && utf8_percent_encode(text, NOT_IN_URI).to_string().parse::<Uri>().is_ok()
}

fn needs_escape(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            map.iter().any(|(k, v)| matches!(v, Value::String(s) if is_uri_key(k) && escapable(s)) || needs_escape(v))
        }
        Value::Array(items) => items.iter().any(needs_escape),
        _ => false,
    }
}

fn escape_in(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(s) if is_uri_key(key) && escapable(s) => {
                        *s = utf8_percent_encode(s, NOT_IN_URI).to_string();
                    }
                    _ => escape_in(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(escape_in),
        _ => {}
    }
}

/// A service that hands its inner service every request with its URIs
/// escaped ([`escape_uris`]).
#[derive(Debug)]
pub struct EscapeUris<S>(pub S);

impl<S: tower::Service<Request>> tower::Service<Request> for EscapeUris<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> S::Future {
        self.0.call(escape_uris(request))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> Uri {
        text.parse().unwrap()
    }

    #[test]
    fn one_path_however_the_uri_is_spelled() {
        let want = Some(PathBuf::from("/v/people/jürgen.md"));
        for spelled in [
            "file:///v/people/j%C3%BCrgen.md",
            "file:///v/people/j%c3%bcrgen.md",
            "file://localhost/v/people/j%C3%BCrgen.md",
            "FILE:///v/journal/../people/./j%c3%bcrgen.md",
        ] {
            assert_eq!(file_path(&uri(spelled)), want, "{spelled}");
            assert_eq!(normal(&uri(spelled)).as_str(), "file:///v/people/j%C3%BCrgen.md", "{spelled}");
        }
        assert_eq!(file_path(&uri("file://server/v/x.md")), None);
        assert_eq!(file_path(&uri("untitled:Untitled-1")), None);
        assert_eq!(normal(&uri("untitled:Untitled-1")).as_str(), "untitled:Untitled-1");
    }

    #[test]
    fn unescaped_uris_are_escaped_and_valid_ones_kept() {
        let params = serde_json::json!({
            "textDocument": { "uri": "file:///v/people/jürgen müller.md", "text": "ü" },
            "workspaceFolders": [{ "uri": "file:///v/ok%20folder", "name": "ü" }]
        });
        let request = escape_uris(Request::build("textDocument/didOpen").params(params).finish());
        let params = request.params().unwrap();
        assert_eq!(params["textDocument"]["uri"], "file:///v/people/j%C3%BCrgen%20m%C3%BCller.md");
        assert_eq!(params["textDocument"]["text"], "ü");
        assert_eq!(params["workspaceFolders"][0]["uri"], "file:///v/ok%20folder");
        assert_eq!(params["workspaceFolders"][0]["name"], "ü");
    }
}
