//! SARIF 2.1.0, the format GitHub code scanning and most static-analysis
//! dashboards read: one run, every rule with its documentation, one result
//! per finding.

use crate::cli::report::Report;
use crate::engine::finding::Level;
use crate::engine::rules::Rule;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::json;
use std::io::{self, Write};

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// What a relative URI reference may not hold as is (RFC 3986): controls,
/// space and the delimiters, plus `%` itself and `:`, which in a first
/// segment would read as a scheme (`a:b.md`). Non-ASCII is always encoded.
const URI_PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b':')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

pub fn write(report: &Report, prefix: &str, out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<serde_json::Value> = Rule::ALL.iter().map(|&rule| describe(rule)).collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "kith",
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                },
            },
            // Report columns count Unicode characters; saying so keeps a
            // consumer from reading them as UTF-16 units and drifting after
            // every emoji.
            "columnKind": "unicodeCodePoints",
            "results": super::STREAMED,
        }],
    });
    super::write_pretty_streaming(out, &log, &report.findings, |l| {
        let f = l.finding;
        let (end_line, end_column) = super::end_of(l);
        json!({
            "ruleId": f.rule.name(),
            "ruleIndex": Rule::ALL.iter().position(|&r| r == f.rule),
            "level": level(f.level),
            "message": {"text": f.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": uri(&format!("{prefix}{}", f.path)),
                        "uriBaseId": "%SRCROOT%",
                    },
                    "region": {
                        "startLine": l.line,
                        "startColumn": l.column,
                        "endLine": end_line,
                        "endColumn": end_column,
                    },
                },
            }],
            // Code scanning matches alerts across commits by this, so it
            // is built from what the finding is about, not where it is.
            "partialFingerprints": {"kith/v1": format!("{:016x}", l.fingerprint)},
        })
    })?;
    writeln!(out)
}

/// A `reportingDescriptor`: the rule's identity and its documentation, so
/// that code scanning can show why a finding matters and how to fix it.
fn describe(rule: Rule) -> serde_json::Value {
    let info = rule.info();
    json!({
        "id": rule.name(),
        "name": pascal_case(rule.name()),
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": what_it_does(rule.doc()).unwrap_or_else(|| rule.summary().to_string())},
        "help": {"text": rule.doc(), "markdown": rule.doc()},
        "defaultConfiguration": {"level": level(rule.default_level())},
        "properties": {"tags": [if info.relationship { "relationship" } else { "vault" }]},
    })
}

/// SARIF has no hint; a note is its quietest level.
fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info | Level::Hint => "note",
    }
}

/// SARIF recommends a rule name that reads as one word: `MissingThanks`.
fn pascal_case(name: &str) -> String {
    name.split('-')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars.next().map(|c| c.to_ascii_uppercase()).into_iter().chain(chars)
        })
        .collect()
}

/// The "What it does" section of a rule's doc, unwrapped into one paragraph
/// because viewers show plain-text descriptions as they are.
fn what_it_does(doc: &str) -> Option<String> {
    let rest = doc.split_once("## What it does")?.1;
    let section = rest.split("\n## ").next()?;
    let words: Vec<&str> = section.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// A vault path as a relative URI reference: spaces, umlauts and emoji in
/// file names are common in notes and must be percent-encoded (as UTF-8).
fn uri(path: &str) -> String {
    utf8_percent_encode(path, URI_PATH).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_paths_as_uri_references() {
        assert_eq!(uri("people/Jana Müller.md"), "people/Jana%20M%C3%BCller.md");
        assert_eq!(uri("a:b/100%#1.md"), "a%3Ab/100%25%231.md");
    }

    #[test]
    fn names_rules_in_pascal_case() {
        assert_eq!(pascal_case("missing-thanks"), "MissingThanks");
        assert_eq!(pascal_case("vague-ask"), "VagueAsk");
    }

    #[test]
    fn every_rule_says_what_it_does() {
        for rule in Rule::ALL {
            assert!(what_it_does(rule.doc()).is_some(), "{rule}");
        }
    }
}
