//! Code frames, as rustc and ruff print them: `level[rule]: message`, the
//! place, the offending line with a caret underline, a note or two, and a
//! closing summary.

use super::{Style, printable};
use crate::cli::report::{Located, Report};
use crate::engine::finding::Level;
use crate::engine::text::LineIndex;
use codespan_reporting::diagnostic::{Diagnostic, Label, Severity};
use codespan_reporting::files::{self, Files};
use codespan_reporting::term::termcolor::{Buffer, ColorSpec, WriteColor};
use codespan_reporting::term::{self, Chars, Config, Styles};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{self, Write};
use std::ops::Range;

/// Lines longer than this (in bytes) get no code frame.
const LONG_LINE: usize = 400;

pub fn write(report: &Report, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    let sources = Sources::new(report);
    // ASCII frames (`-->`, `|`, `=`) read the same in every terminal, CI log
    // and pasted issue; box drawing does not.
    let config = Config { chars: Chars::ascii(), ..Config::default() };
    let styles = Styles::default();
    // Like rustc's lint notes, the pointer to the docs comes once per rule:
    // on every finding it would bury the findings themselves.
    let mut explained = HashSet::new();
    let explain: Vec<bool> = report.findings.iter().map(|l| explained.insert(l.finding.rule)).collect();
    // Frames are drawn on all cores a batch at a time and written in order:
    // memory stays bounded however many findings there are.
    for (batch, explain) in report.findings.chunks(2048).zip(explain.chunks(2048)) {
        let frames: Vec<io::Result<Vec<u8>>> = batch
            .par_iter()
            .zip(explain)
            .map(|(located, &explain)| frame(located, explain, &sources, &config, &styles, style.color))
            .collect();
        for frame in frames {
            out.write_all(&frame?)?;
        }
    }
    let mut buffer = if style.color { Buffer::ansi() } else { Buffer::no_color() };
    write_summary(&mut buffer, &report.findings, style.color)?;
    out.write_all(buffer.as_slice())
}

/// One finding: its header, its place and code frame, and its notes.
fn frame(
    located: &Located,
    explain: bool,
    sources: &Sources,
    config: &Config,
    styles: &Styles,
    color: bool,
) -> io::Result<Vec<u8>> {
    let new_buffer = || if color { Buffer::ansi() } else { Buffer::no_color() };
    let mut buffer = new_buffer();
    let finding = located.finding;
    let report = sources.report;
    let severity = severity(finding.level);
    buffer.set_color(styles.header(severity))?;
    write!(buffer, "{}[{}]", finding.level, finding.rule)?;
    buffer.set_color(&styles.header_message)?;
    write!(buffer, ": {}", printable(&finding.message))?;
    buffer.reset()?;
    writeln!(buffer)?;

    let range = frame_range(report.source(&finding.path), &finding.range);
    let mut notes = Vec::new();
    if let Some(contact) = finding.contact.as_ref().filter(|c| c.path != finding.path) {
        notes.push(format!("note: about {}, whose note is {}", printable(&contact.name), printable(&contact.path)));
    }
    if explain {
        notes.push(format!("help: `kith rule {}` tells why it matters and how to fix it", finding.rule));
    }
    // The message stays empty so that the header codespan writes, which
    // names levels its own way ("note", "help"), is one line we can drop
    // for the one above in kith's words.
    // A frame repeats its whole source line: for a very long line (a
    // pasted export, thousands of tags) print only where it is.
    let line_len = report
        .vault
        .by_path(&finding.path)
        .and_then(|n| n.lines.line_range(&n.text, located.line - 1))
        .map_or(0, |r| r.len());
    if line_len > LONG_LINE {
        writeln!(buffer, "  --> {}:{}:{}", printable(&finding.path), located.line, located.column)?;
        for note in &notes {
            writeln!(buffer, "  = {note}")?;
        }
        writeln!(buffer)?;
        return Ok(buffer.into_inner());
    }
    let diagnostic = Diagnostic::new(severity).with_label(Label::primary(&*finding.path, range)).with_notes(notes);
    let mut frame = new_buffer();
    match term::emit_to_write_style(&mut frame, config, sources, &diagnostic) {
        Ok(()) => {
            let text = frame.as_slice();
            let body = text.iter().position(|&b| b == b'\n').map_or(text, |i| &text[i + 1..]);
            buffer.write_all(body)?;
        }
        // The frame is a courtesy: a note that changed under us still gets
        // its place printed, never a panic or a lost finding.
        Err(_) => writeln!(buffer, "  --> {}:{}:{}\n", printable(&finding.path), located.line, located.column)?,
    }
    Ok(buffer.into_inner())
}

/// "1 error, 3 warnings in 2 notes.", or the all-clear.
fn write_summary(buffer: &mut Buffer, findings: &[Located], color: bool) -> io::Result<()> {
    if color {
        buffer.set_color(ColorSpec::new().set_bold(true))?;
    }
    if findings.is_empty() {
        write!(buffer, "All good: nothing needs a gesture today.")?;
    } else {
        let mut parts = Vec::new();
        for (level, one, many) in [
            (Level::Error, "error", "errors"),
            (Level::Warning, "warning", "warnings"),
            (Level::Info, "info", "info"),
            (Level::Hint, "hint", "hints"),
        ] {
            let n = findings.iter().filter(|l| l.finding.level == level).count();
            if n > 0 {
                parts.push(count(n, one, many));
            }
        }
        let notes: BTreeSet<&str> = findings.iter().map(|l| &*l.finding.path).collect();
        write!(buffer, "{} in {}.", parts.join(", "), count(notes.len(), "note", "notes"))?;
    }
    buffer.reset()?;
    writeln!(buffer)
}

/// "1 note", "2 notes".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// codespan knows no "info" or "hint"; these are its levels of the same weight.
fn severity(level: Level) -> Severity {
    match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Info => Severity::Note,
        Level::Hint => Severity::Help,
    }
}

/// The finding's range made safe to draw: inside the text, on character
/// boundaries, and short of a line ending it may run into, which would
/// otherwise draw a one-line finding as a two-line frame.
fn frame_range(text: &str, range: &Range<usize>) -> Range<usize> {
    let floor = |offset: usize| {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    };
    let start = floor(range.start);
    let mut end = floor(range.end).max(start);
    while end > start && matches!(text.as_bytes()[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    start..end
}

/// The vault's notes as codespan sees files, with kith's own line index so
/// that the frame's lines (LF, CRLF or a lone CR) are the lines the other
/// formats count, and with control characters made printable.
struct Sources<'r> {
    report: &'r Report<'r>,
    /// Each reported note's name and text as printed, by vault path.
    shown: HashMap<&'r str, (Cow<'r, str>, Cow<'r, str>)>,
    /// The lines of a note the vault does not hold: an empty text.
    empty: LineIndex,
}

impl<'r> Sources<'r> {
    fn new(report: &'r Report<'r>) -> Sources<'r> {
        let shown = report
            .findings
            .iter()
            .map(|l| &*l.finding.path)
            // Once per note, not once per finding.
            .collect::<std::collections::BTreeSet<&str>>()
            .into_iter()
            .map(|path| (path, (printable(path), printable(report.source(path)))))
            .collect();
        Sources { report, shown, empty: LineIndex::new("") }
    }

    fn lines(&self, path: &str) -> &LineIndex {
        self.report.vault.by_path(path).map_or(&self.empty, |note| &note.lines)
    }

    fn text(&self, path: &str) -> &str {
        self.shown.get(path).map_or("", |(_, text)| text)
    }
}

impl<'a> Files<'a> for Sources<'_> {
    type FileId = &'a str;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, path: &'a str) -> Result<&'a str, files::Error> {
        Ok(self.shown.get(path).map_or(path, |(name, _)| name))
    }

    fn source(&'a self, path: &'a str) -> Result<&'a str, files::Error> {
        Ok(self.text(path))
    }

    fn line_index(&'a self, path: &'a str, byte_index: usize) -> Result<usize, files::Error> {
        Ok(self.lines(path).line_of(byte_index))
    }

    fn line_range(&'a self, path: &'a str, line_index: usize) -> Result<Range<usize>, files::Error> {
        let lines = self.lines(path);
        lines
            .line_range(self.text(path), line_index)
            .ok_or(files::Error::LineTooLarge { given: line_index, max: lines.line_count().saturating_sub(1) })
    }
}
