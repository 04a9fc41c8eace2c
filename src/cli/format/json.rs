//! A JSON array of findings, sorted by path, line and column.

use crate::cli::report::{Located, Report};
use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;

/// One finding as JSON; borrowed, so a large report is not copied.
#[derive(Serialize)]
struct Item<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    rule: &'static str,
    level: &'static str,
    message: &'a str,
    fingerprint: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact_path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'a str>,
}

impl<'a> Item<'a> {
    fn of(l: &'a Located<'a>) -> Item<'a> {
        let f = l.finding;
        Item {
            path: &f.path,
            line: l.line,
            column: l.column,
            end_line: l.end_line,
            end_column: l.end_column,
            rule: f.rule.name(),
            level: f.level.name(),
            message: &f.message,
            fingerprint: &l.fingerprint,
            contact: f.contact.as_ref().map(|c| c.name.as_str()),
            contact_path: f.contact.as_ref().map(|c| c.path.as_str()),
            due: f.due.map(|d| d.to_string()),
            suggestion: f.suggestion.as_deref(),
        }
    }
}

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    if report.findings.is_empty() {
        return writeln!(out, "[]");
    }
    // One finding per line: readable, grep-able, and each line is serialised
    // on its own (on all cores), the pieces joined in order.
    let pieces: Vec<Vec<u8>> = report
        .findings
        .par_chunks(256)
        .map(|chunk| {
            let mut buf = Vec::with_capacity(chunk.len() * 512);
            for l in chunk {
                buf.extend_from_slice(b"  ");
                serde_json::to_writer(&mut buf, &Item::of(l)).expect("serialising to memory cannot fail");
                buf.extend_from_slice(b",\n");
            }
            buf
        })
        .collect();
    out.write_all(b"[\n")?;
    let last = pieces.len() - 1;
    for (i, piece) in pieces.iter().enumerate() {
        if i == last {
            // Drop the final ",\n" of the last item.
            out.write_all(&piece[..piece.len() - 2])?;
            out.write_all(b"\n")?;
        } else {
            out.write_all(piece)?;
        }
    }
    out.write_all(b"]\n")
}
