//! `path:line:col: level[rule] message`, one line per finding.

use super::printable;
use crate::cli::report::Report;
use std::io::Write;

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for l in &report.findings {
        let f = l.finding;
        let (path, message) = (printable(&f.path), printable(&f.message));
        writeln!(out, "{path}:{}:{}: {}[{}] {message}", l.line, l.column, f.level, f.rule)?;
    }
    Ok(())
}
