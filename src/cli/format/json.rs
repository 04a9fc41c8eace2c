//! A JSON array of findings, sorted by path, line and column.

use crate::cli::report::Report;
use serde_json::json;
use std::io::Write;

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let items: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|l| {
            let f = l.finding;
            let mut item = json!({
                "path": f.path,
                "line": l.line,
                "column": l.column,
                "end_line": l.end_line,
                "end_column": l.end_column,
                "rule": f.rule.name(),
                "level": f.level.name(),
                "message": f.message,
                "fingerprint": l.fingerprint,
            });
            if let Some(contact) = &f.contact {
                item["contact"] = json!(contact.name);
                item["contact_path"] = json!(contact.path);
            }
            if let Some(due) = f.due {
                item["due"] = json!(due.to_string());
            }
            if let Some(suggestion) = &f.suggestion {
                item["suggestion"] = json!(suggestion);
            }
            item
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)
}
