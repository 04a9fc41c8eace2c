//! Findings placed on lines and columns for printing: 1-based, columns in
//! Unicode characters, with a fingerprint that survives edits elsewhere.

use crate::engine::finding::Finding;
use crate::engine::text::Encoding;
use crate::engine::vault::Vault;
use std::collections::HashMap;

/// A finding with its printable position.
#[derive(Debug, Clone)]
pub struct Located<'a> {
    pub finding: &'a Finding,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Stable across runs and across edits that only move the finding:
    /// built from the rule, the path and what the finding is about, never
    /// its line. Unique within one report.
    pub fingerprint: String,
}

/// Everything a format needs.
pub struct Report<'a> {
    pub findings: Vec<Located<'a>>,
    pub vault: &'a Vault,
}

impl<'a> Report<'a> {
    pub fn new(vault: &'a Vault, findings: &'a [Finding]) -> Report<'a> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let located = findings
            .iter()
            .map(|f| {
                let (start, end) = match vault.by_path(&f.path) {
                    Some(note) => (
                        note.lines.line_col(&note.text, f.range.start, Encoding::Chars),
                        note.lines.line_col(&note.text, f.range.end, Encoding::Chars),
                    ),
                    None => Default::default(),
                };
                let base = fnv1a(&format!("{}\u{0}{}\u{0}{}", f.rule.name(), f.path, f.identity));
                let n = seen.entry(base.clone()).or_default();
                *n += 1;
                let fingerprint = if *n == 1 { base } else { fnv1a(&format!("{base}\u{0}{n}")) };
                Located {
                    finding: f,
                    line: start.line as usize + 1,
                    column: start.col as usize + 1,
                    end_line: end.line as usize + 1,
                    end_column: end.col as usize + 1,
                    fingerprint,
                }
            })
            .collect();
        Report { findings: located, vault }
    }

    /// The source text of a finding's note.
    pub fn source(&self, path: &str) -> &str {
        self.vault.by_path(path).map_or("", |n| n.text.as_str())
    }
}

/// A 64-bit FNV-1a hash as 16 hex digits: stable across platforms and
/// releases, unlike `std`'s hasher.
pub fn fnv1a(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}
