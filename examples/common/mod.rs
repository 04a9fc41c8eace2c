//! What the profiling examples share. Not every example uses every helper.
#![allow(dead_code)]

use std::path::PathBuf;

/// `VAULT [YYYY-MM-DD]` from the command line; today by default.
pub fn vault_and_day(usage: &str) -> (PathBuf, chrono::NaiveDate) {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| panic!("usage: {usage}")));
    let today = std::env::args()
        .nth(2)
        .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    (root, today)
}

/// The floor's front matter split: the YAML between `---` lines, and the body.
pub fn split_front_matter(text: &str) -> (&str, &str) {
    let Some(rest) = text.strip_prefix("---\n") else { return ("", text) };
    match rest.find("\n---\n") {
        Some(end) => (&rest[..end + 1], &rest[end + 5..]),
        None => ("", text),
    }
}

/// The vault at `root`: its configuration, its root, and every note's
/// vault-relative path and text, read into memory.
pub fn read_notes(root: &std::path::Path) -> (kithkin::engine::config::Config, PathBuf, Vec<(String, String)>) {
    let found = kithkin::io::find_root(root).expect("vault");
    let config = kithkin::io::load_config(&found).expect("config");
    let walk = kithkin::io::walk::walk(&found.root, &config);
    let files = walk
        .notes
        .iter()
        .map(|f| (f.rel.clone(), String::from_utf8_lossy(&std::fs::read(&f.abs).unwrap_or_default()).into_owned()))
        .collect();
    (config, found.root, files)
}
