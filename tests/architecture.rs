//! Invariants of the code base that a compiler does not check.

use std::fs;
use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The core never does IO, reads the clock, talks LSP or prints.
#[test]
fn engine_is_pure() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/engine"), &mut files);
    assert!(!files.is_empty());
    let forbidden = [
        "std::fs",
        "fs::",
        "std::env",
        "std::net",
        "std::process",
        "SystemTime",
        "Instant::now",
        "Local::now",
        "Utc::now",
        "lsp_types",
        "tower_lsp",
        "println!",
        "eprintln!",
        "crate::io",
        "crate::cli",
        "crate::lsp",
    ];
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for word in forbidden {
            assert!(!text.contains(word), "{} uses `{word}`: the engine must stay pure", file.display());
        }
    }
}

/// The README's rules table is the registry's.
#[test]
fn readme_rules_table_matches_the_registry() {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find("<!-- rules-table:start -->").expect("table start marker");
    let end = readme.find("<!-- rules-table:end -->").expect("table end marker");
    let table = readme[start..end].lines().skip(1).collect::<Vec<_>>().join("\n");
    let mut expected = String::from("| rule | default level | what it reports |\n| --- | --- | --- |");
    for rule in kithkin::engine::Rule::ALL {
        expected.push_str(&format!("\n| `{}` | {} | {} |", rule.name(), rule.default_level(), rule.summary()));
    }
    assert_eq!(table.trim(), expected, "regenerate the README table from `kith rule`");
}

/// The spec the README links is the one kith implements.
#[test]
fn docs_carry_the_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = fs::read_to_string(root.join("docs/vault-format.md")).unwrap();
    assert!(spec.starts_with("# The kith vault format (v1)"));
}
