//! JUnit XML, which nearly every CI system shows as a test report: one suite
//! "kith", one failing test case per finding, or one passing case when there
//! is nothing to report, so that the report still shows kith ran.

use crate::cli::report::Report;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::collections::HashMap;
use std::io::{self, Write};

pub fn write(report: &Report, prefix: &str, out: &mut dyn Write) -> io::Result<()> {
    let failures = report.findings.len();
    let tests = failures.max(1).to_string();
    let failures = failures.to_string();
    let mut xml = Writer::new_with_indent(&mut *out, b' ', 2);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    xml.create_element("testsuites")
        .with_attributes([
            ("name", "kith"),
            ("tests", tests.as_str()),
            ("failures", failures.as_str()),
            ("errors", "0"),
        ])
        .write_inner_content(|xml| {
            xml.create_element("testsuite")
                .with_attributes([
                    ("name", "kith"),
                    ("tests", tests.as_str()),
                    ("failures", failures.as_str()),
                    ("errors", "0"),
                    ("skipped", "0"),
                ])
                .write_inner_content(|xml| {
                    if report.findings.is_empty() {
                        xml.create_element("testcase")
                            .with_attributes([("name", "kith lint"), ("classname", "kith")])
                            .write_empty()?;
                    }
                    let mut names: HashMap<String, usize> = HashMap::new();
                    for l in &report.findings {
                        let f = l.finding;
                        let path = format!("{prefix}{}", f.path);
                        let place = format!("{path}:{}:{}", l.line, l.column);
                        // Reports key test cases by name; two findings of one
                        // rule at one place must not merge into one.
                        let mut name = format!("{} at {place}", f.rule);
                        let seen = names.entry(name.clone()).or_default();
                        *seen += 1;
                        if *seen > 1 {
                            name = format!("{name} #{seen}");
                        }
                        let line = l.line.to_string();
                        let quoted = report
                            .vault
                            .by_path(&f.path)
                            .and_then(|note| Some((note, note.lines.line_range(&note.text, l.line - 1)?)))
                            .filter(|(_, range)| !range.is_empty())
                            .map(|(note, range)| {
                                format!("\n{:>5} | {}", l.line, crate::engine::text::clip(&note.text[range], 200))
                            })
                            .unwrap_or_default();
                        let body = format!(
                            "{place}: {}[{}] {}{quoted}\n\n`kith rule {}` tells why it matters and how to fix it.",
                            f.level, f.rule, f.message, f.rule
                        );
                        xml.create_element("testcase")
                            .with_attributes([
                                ("name", attribute(&name).as_str()),
                                ("classname", attribute(&path).as_str()),
                                ("file", attribute(&path).as_str()),
                                ("line", line.as_str()),
                            ])
                            .write_inner_content(|xml| {
                                xml.create_element("failure")
                                    .with_attributes([
                                        ("message", attribute(&f.message).as_str()),
                                        ("type", f.rule.name()),
                                    ])
                                    .write_text_content(BytesText::new(&text(&body)))?;
                                Ok(())
                            })?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    writeln!(out)
}

/// Text as XML 1.0 allows it: most control characters, U+FFFE and U+FFFF
/// may not appear even escaped, and a broken or binary-looking note can
/// hold them. They become U+FFFD, which says "something was here".
fn text(raw: &str) -> String {
    raw.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            _ => c,
        })
        .collect()
}

/// An attribute value: parsers turn its tabs and line ends into spaces
/// anyway, so it is done here, where it is predictable.
fn attribute(raw: &str) -> String {
    text(raw).replace(['\t', '\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_what_xml_forbids() {
        assert_eq!(text("a\u{1}b\tc\nd\u{ffff}"), "a\u{fffd}b\tc\nd\u{fffd}");
        assert_eq!(attribute("a\tb\r\nc"), "a b  c");
    }
}
