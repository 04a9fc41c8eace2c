//! Output formats of `kith lint`: one file each, all reading one [`Report`].
//!
//! Every format prints vault-relative paths, as the spec says. Inside a CI
//! job, the formats that CI systems read (`github`, `sarif`, `junit`,
//! `gitlab`) put [`Style::path_prefix`] before them, because those systems
//! look files up from the root of their checkout.

mod concise;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod sarif;

use super::report::{Located, Report};
use clap::ValueEnum;
use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// Code frames with the offending line and a caret underline.
    #[default]
    Human,
    /// One line per finding: `path:line:col: level[rule] message`.
    Concise,
    /// A JSON array of findings.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// JUnit XML, one test case per finding.
    Junit,
    /// GitLab Code Quality report.
    Gitlab,
}

/// Options that change how findings are printed.
#[derive(Debug, Clone, Default)]
pub struct Style {
    /// Colour human output; the caller decides (a terminal, no NO_COLOR).
    pub color: bool,
    /// The vault's folder relative to the CI checkout, with `/` and a
    /// trailing `/`, or empty. See [`path_prefix`].
    pub path_prefix: String,
}

pub fn write(format: Format, report: &Report, style: Style, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Human => human::write(report, &style, out),
        Format::Concise => concise::write(report, out),
        Format::Json => json::write(report, out),
        Format::Github => github::write(report, &style.path_prefix, out),
        Format::Sarif => sarif::write(report, &style.path_prefix, out),
        Format::Junit => junit::write(report, &style.path_prefix, out),
        Format::Gitlab => gitlab::write(report, &style.path_prefix, out),
    }
}

/// Where the vault lies in the CI checkout, as a `/`-separated prefix for
/// vault-relative paths ("notes/" for a vault in `notes/` of the repository),
/// or empty.
///
/// The spec wants paths relative to the vault root, and so they are, except
/// where a CI system must find the file: GitHub and GitLab attach an
/// annotation only to a path relative to the checkout they name in
/// `GITHUB_WORKSPACE` and `CI_PROJECT_DIR`, and a vault in a subfolder would
/// otherwise annotate files that do not exist. Outside CI, or with the vault
/// outside the checkout, there is no prefix.
pub fn path_prefix(vault_root: &Path) -> String {
    let checkout = ["GITHUB_WORKSPACE", "CI_PROJECT_DIR"]
        .iter()
        .filter_map(std::env::var_os)
        .find(|dir| !dir.is_empty())
        .and_then(|dir| std::fs::canonicalize(dir).ok());
    let Some(checkout) = checkout else { return String::new() };
    let root = std::fs::canonicalize(vault_root).unwrap_or_else(|_| vault_root.to_path_buf());
    let Ok(below) = root.strip_prefix(&checkout) else { return String::new() };
    let mut prefix = String::new();
    for part in below.components() {
        prefix.push_str(&part.as_os_str().to_string_lossy());
        prefix.push('/');
    }
    prefix
}

/// A finding's end line and column, never before its start: code scanning
/// rejects a whole upload for one region that ends before it begins.
fn end_of(l: &Located) -> (usize, usize) {
    (l.end_line, l.end_column).max((l.line, l.column))
}

/// Where [`write_pretty_streaming`] puts the array it streams.
const STREAMED: &str = "\u{0}kith:streamed\u{0}";

/// Writes `envelope` as `serde_json::to_writer_pretty` would, with the
/// string [`STREAMED`] in it replaced by the array of `items`, each
/// converted by `item`: converted and serialised on all cores a batch at a
/// time, so that memory stays bounded however many findings there are (a
/// 50,000-note vault's SARIF was a 2 GB value tree). The bytes are those of
/// the whole value printed at once.
fn write_pretty_streaming<T: Sync>(
    out: &mut dyn Write,
    envelope: &serde_json::Value,
    items: &[T],
    item: impl Fn(&T) -> serde_json::Value + Sync,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let doc = serde_json::to_string_pretty(envelope)?;
    let marker = serde_json::to_string(STREAMED)?;
    let Some(at) = doc.find(&marker) else { return out.write_all(doc.as_bytes()) };
    let (head, tail) = (&doc[..at], &doc[at + marker.len()..]);
    let line = &head[head.rfind('\n').map_or(0, |i| i + 1)..];
    let base = line.len() - line.trim_start_matches(' ').len();
    out.write_all(head.as_bytes())?;
    if items.is_empty() {
        out.write_all(b"[]")?;
    } else {
        out.write_all(b"[\n")?;
        let indent = " ".repeat(base + 2);
        let mut first = true;
        for batch in items.chunks(4096) {
            let pieces: Vec<Vec<u8>> = batch
                .par_chunks(256)
                .map(|chunk| {
                    let mut buf = Vec::new();
                    for x in chunk {
                        buf.extend_from_slice(b",\n");
                        // Strings are escaped: a line break in the text is one of the printer's.
                        let text = serde_json::to_string_pretty(&item(x)).unwrap_or_default();
                        for (i, line) in text.split('\n').enumerate() {
                            if i > 0 {
                                buf.push(b'\n');
                            }
                            buf.extend_from_slice(indent.as_bytes());
                            buf.extend_from_slice(line.as_bytes());
                        }
                    }
                    buf
                })
                .collect();
            for piece in &pieces {
                // Each item starts with ",\n"; the very first has no comma.
                out.write_all(if first { &piece[2..] } else { piece })?;
                first = false;
            }
        }
        write!(out, "\n{}]", " ".repeat(base))?;
    }
    out.write_all(tail.as_bytes())
}

/// Text made safe for a terminal: a control character in a note or a file
/// name (an ESC can restyle or clear the reader's screen) becomes a visible
/// stand-in of the same UTF-8 length, so byte offsets into it still hold.
fn printable(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| {
            if !unsafe_char(c) {
                c
            } else if c.len_utf8() == 1 {
                '?'
            } else {
                '·'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streamed document is byte for byte what the pretty printer makes
    /// of the whole value: at the top and nested, empty, short and longer
    /// than a batch, with line breaks and quotes inside strings.
    #[test]
    fn streaming_prints_what_the_pretty_printer_prints() {
        use serde_json::{Value, json};
        let item =
            |n: &usize| json!({"n": n, "text": format!("line\n\"{n}\""), "nested": {"list": [n, [n]], "empty": []}});
        for count in [0, 1, 3, 5000] {
            let items: Vec<usize> = (0..count).collect();
            let whole: Vec<Value> = items.iter().map(item).collect();
            for (envelope, filled) in [
                (Value::from(STREAMED), Value::from(whole.clone())),
                (
                    json!({"a": 1, "runs": [{"results": STREAMED, "z": {"k": "v"}}], "version": "2"}),
                    json!({"a": 1, "runs": [{"results": whole, "z": {"k": "v"}}], "version": "2"}),
                ),
            ] {
                let mut streamed = Vec::new();
                write_pretty_streaming(&mut streamed, &envelope, &items, item).unwrap();
                let printed = serde_json::to_vec_pretty(&filled).unwrap();
                assert_eq!(String::from_utf8(streamed).unwrap(), String::from_utf8(printed).unwrap(), "{count} items");
            }
        }
    }

    #[test]
    fn printable_keeps_byte_offsets() {
        let text = "a\u{1b}[2Jb\u{9b}c\td\r\n";
        let shown = printable(text);
        assert_eq!(shown, "a?[2Jb·c\td\r\n");
        assert_eq!(shown.len(), text.len());
    }
}
