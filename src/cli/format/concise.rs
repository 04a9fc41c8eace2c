//! `path:line:col: level[rule] message`, one line per finding.

use crate::cli::report::Report;
use std::io::Write;

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for l in &report.findings {
        let f = l.finding;
        writeln!(out, "{}:{}:{}: {}[{}] {}", f.path, l.line, l.column, f.level, f.rule, f.message)?;
    }
    Ok(())
}
