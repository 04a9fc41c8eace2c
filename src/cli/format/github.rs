//! GitHub Actions workflow commands: each finding becomes an annotation on
//! its line in the pull request.
//!
//! `::warning file=F,line=L,col=C,endLine=EL,endColumn=EC,title=T::MESSAGE`

use crate::cli::report::Report;
use crate::engine::finding::Level;
use std::io::{self, Write};

pub fn write(report: &Report, prefix: &str, out: &mut dyn Write) -> io::Result<()> {
    for l in &report.findings {
        let f = l.finding;
        // GitHub has three annotation levels; info and hint are both notices.
        let command = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info | Level::Hint => "notice",
        };
        let (end_line, end_column) = super::end_of(l);
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&format!("{prefix}{}", f.path)),
            l.line,
            l.column,
            end_line,
            end_column,
            property(&format!("kith ({})", f.rule)),
            data(&f.message),
        )?;
    }
    Ok(())
}

/// Escapes a command's message. The runner reads a workflow command up to the
/// line end, so a raw newline would cut the message short and a raw `%`
/// could be read as an escape.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value, where `,` separates properties and `:` ends them.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(data("100% sure\r\nnext"), "100%25 sure%0D%0Anext");
        assert_eq!(property("a,b: 5%"), "a%2Cb%3A 5%25");
    }
}
