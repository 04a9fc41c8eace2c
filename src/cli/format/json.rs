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
    fingerprint: Hex,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact_path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'a str>,
}

/// A fingerprint as 16 hex digits, written without a string of its own.
struct Hex(u64);

impl Serialize for Hex {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("{:016x}", self.0))
    }
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
            fingerprint: Hex(l.fingerprint),
            contact: f.contact.as_ref().map(|c| c.name.as_str()),
            contact_path: f.contact.as_ref().map(|c| &*c.path),
            due: f.due.map(|d| d.to_string()),
            suggestion: f.suggestion.as_deref(),
        }
    }
}

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    if report.findings.is_empty() {
        return writeln!(out, "[]");
    }
    // One finding per line: readable and grep-able. Lines are serialised on
    // all cores a batch at a time and written in order, so memory stays
    // bounded however large the report.
    out.write_all(b"[\n")?;
    let mut first = true;
    for batch in report.findings.chunks(8192) {
        let pieces: Vec<Vec<u8>> = batch
            .par_chunks(256)
            .map(|chunk| {
                let mut buf = Vec::with_capacity(chunk.len() * 400);
                for l in chunk {
                    buf.extend_from_slice(b",\n  ");
                    serde_json::to_writer(&mut buf, &Item::of(l)).expect("serialising to memory cannot fail");
                }
                buf
            })
            .collect();
        for piece in &pieces {
            // Each line starts with ",\n"; the very first has no comma.
            out.write_all(if first { &piece[2..] } else { piece })?;
            first = false;
        }
    }
    out.write_all(b"\n]\n")
}
