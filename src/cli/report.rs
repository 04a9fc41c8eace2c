//! Findings placed on lines and columns for printing: 1-based, columns in
//! Unicode characters, with a fingerprint that survives edits elsewhere.

use crate::engine::finding::Finding;
use crate::engine::text::Encoding;
use crate::engine::text::{fnv1a, fnv1a_more};
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
    pub fingerprint: u64,
}

/// Everything a format needs.
pub struct Report<'a> {
    pub findings: Vec<Located<'a>>,
    pub vault: &'a Vault,
}

impl<'a> Report<'a> {
    pub fn new(vault: &'a Vault, findings: &'a [Finding]) -> Report<'a> {
        use rayon::prelude::*;
        // Positions and hashes are independent per finding: compute them on
        // all cores, then make fingerprints unique in one ordered pass.
        let mut located: Vec<Located<'a>> = findings
            .par_iter()
            .map(|f| {
                let (start, end) = match vault.by_path(&f.path) {
                    Some(note) => (
                        note.lines.line_col(&note.text, f.range.start, Encoding::Chars),
                        note.lines.line_col(&note.text, f.range.end, Encoding::Chars),
                    ),
                    None => Default::default(),
                };
                Located {
                    finding: f,
                    line: start.line as usize + 1,
                    column: start.col as usize + 1,
                    end_line: end.line as usize + 1,
                    end_column: end.col as usize + 1,
                    // The base hash for now; made unique below.
                    fingerprint: fnv1a_more(fnv1a(&[f.rule.name(), &f.path]), &f.identity.to_le_bytes()),
                }
            })
            .collect();
        let mut seen: HashMap<u64, usize> = HashMap::with_capacity(located.len());
        for l in &mut located {
            let base = l.fingerprint;
            let n = seen.entry(base).or_default();
            *n += 1;
            if *n > 1 {
                l.fingerprint = fnv1a(&[&format!("{base:016x}"), &n.to_string()]);
            }
        }
        Report { findings: located, vault }
    }

    /// The source text of a finding's note.
    pub fn source(&self, path: &str) -> &str {
        self.vault.by_path(path).map_or("", |n| n.text.as_str())
    }
}
