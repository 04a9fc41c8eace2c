//! A GitLab Code Quality report: a JSON array of issues in the Code Climate
//! shape that merge requests show in their Code Quality widget.

use crate::cli::report::Report;
use crate::engine::finding::Level;
use serde_json::json;
use std::io::{self, Write};

pub fn write(report: &Report, prefix: &str, out: &mut dyn Write) -> io::Result<()> {
    let issues = serde_json::Value::from(super::STREAMED);
    super::write_pretty_streaming(out, &issues, &report.findings, |l| {
        let f = l.finding;
        let (end_line, end_column) = super::end_of(l);
        json!({
            "type": "issue",
            "description": f.message,
            "check_name": f.rule.name(),
            // GitLab tells new findings from fixed ones by fingerprint, so
            // it must not move with the line; the report's does not.
            "fingerprint": format!("{:016x}", l.fingerprint),
            "severity": severity(f.level),
            "location": {
                "path": format!("{prefix}{}", f.path),
                "positions": {
                    "begin": {"line": l.line, "column": l.column},
                    "end": {"line": end_line, "column": end_column},
                },
            },
        })
    })?;
    writeln!(out)
}

/// GitLab's scale is info, minor, major, critical, blocker. kith keeps
/// blocker free: nothing in a contact note blocks a merge the way a security
/// hole does, and an error is already the loudest thing kith says.
fn severity(level: Level) -> &'static str {
    match level {
        Level::Error => "critical",
        Level::Warning => "major",
        Level::Info => "minor",
        Level::Hint => "info",
    }
}
