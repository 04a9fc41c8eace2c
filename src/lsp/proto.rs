//! The edge: LSP positions and URIs in, byte offsets and paths out, and back.
//!
//! Everything inside kith is a byte offset into a note's text; columns in
//! the client's unit (UTF-8 or UTF-16) exist only here. Out-of-range client
//! positions clamp (see [`LineIndex::offset`]).

use crate::engine::edit;
use crate::engine::finding::{Finding, Level};
use crate::engine::note::Note;
use crate::engine::text::{Encoding, LineCol, LineIndex};
use std::path::{Path, PathBuf};
use tower_lsp_server::UriExt;
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

/// The file a `file:` URI names; `None` for other schemes.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.as_str().starts_with("file:") {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
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
