//! Spec conformance: every folder under `tests/conformance/` holds a `vault/`
//! written from `vault-format.md` alone, and an `expected.json` with the
//! findings the spec demands (see each folder's `NOTES.md` for the reasoning
//! and the ambiguities). This test runs the real `kith lint` on each vault and
//! compares (path, line, column, rule, level) exactly, as a multiset. An
//! expected finding may also carry a `message` (a finding with that key must
//! say exactly that) or a `message_contains` (must say at least that): the
//! spec asks for messages that name what is on record; a few cases pin them.
//!
//! Expectations are the spec's, not kith's: where kith disagrees with the spec
//! this test fails until kith is fixed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const TODAY: &str = "2026-12-01";

type Key = (String, u64, u64, String, String);

fn key_of(v: &Value, what: &str) -> Key {
    let s = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{what}: finding without string `{k}`: {v}"))
            .to_owned()
    };
    let n = |k: &str| {
        v.get(k).and_then(Value::as_u64).unwrap_or_else(|| panic!("{what}: finding without number `{k}`: {v}"))
    };
    (s("path"), n("line"), n("column"), s("rule"), s("level"))
}

fn multiset(keys: impl IntoIterator<Item = Key>) -> BTreeMap<Key, usize> {
    let mut m = BTreeMap::new();
    for k in keys {
        *m.entry(k).or_insert(0) += 1;
    }
    m
}

fn fmt(k: &Key) -> String {
    format!("{}:{}:{}: {}[{}]", k.0, k.1, k.2, k.4, k.3)
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no conformance cases under {}", root.display());
    dirs
}

/// Returns a description of every difference, empty when the case conforms.
fn check(case: &Path) -> Vec<String> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let vault = case.join("vault");
    let expected_path = case.join("expected.json");
    let expected_text = std::fs::read_to_string(&expected_path)
        .unwrap_or_else(|e| panic!("{name}: cannot read {}: {e}", expected_path.display()));
    let expected: Vec<Value> = serde_json::from_str(&expected_text)
        .unwrap_or_else(|e| panic!("{name}: expected.json is not a JSON array: {e}"));

    let out = Command::new(env!("CARGO_BIN_EXE_kith"))
        .arg("lint")
        .arg(&vault)
        .args(["--format", "json", "--today", TODAY, "--hints", "--color", "never"])
        .env_remove("KITH_TODAY")
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("{name}: cannot run kith: {e}"));
    let code = out.status.code();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !matches!(code, Some(0) | Some(1)) {
        return vec![format!(
            "{name}: `kith lint` exited with {code:?} (expected 0 or 1)\nstdout:\n{stdout}\nstderr:\n{stderr}"
        )];
    }
    let actual: Vec<Value> = match serde_json::from_str(&stdout) {
        Ok(v) => v,
        Err(e) => {
            return vec![format!("{name}: output is not a JSON array ({e})\nstdout:\n{stdout}\nstderr:\n{stderr}")];
        }
    };

    let want = multiset(expected.iter().map(|v| key_of(v, &format!("{name}/expected.json"))));
    let got = multiset(actual.iter().map(|v| key_of(v, &format!("{name}: kith output"))));

    let mut problems = Vec::new();
    for (k, &n) in &want {
        let have = got.get(k).copied().unwrap_or(0);
        if have < n {
            problems.push(format!("{name}: missing    {} (expected {n}, got {have})", fmt(k)));
        }
    }
    for (k, &n) in &got {
        let exp = want.get(k).copied().unwrap_or(0);
        if n > exp {
            let message = actual
                .iter()
                .find(|v| &key_of(v, "") == k)
                .and_then(|v| v.get("message"))
                .and_then(Value::as_str)
                .unwrap_or("");
            problems.push(format!("{name}: unexpected {} (expected {exp}, got {n}) — {message}", fmt(k)));
        }
    }
    // An expectation may pin its message exactly (`message`) or a part of it
    // (`message_contains`); a finding with that key must then say so.
    for v in &expected {
        let exact = v.get("message").and_then(Value::as_str);
        let part = v.get("message_contains").and_then(Value::as_str);
        if exact.is_none() && part.is_none() {
            continue;
        }
        let k = key_of(v, &format!("{name}/expected.json"));
        let said: Vec<&str> = actual
            .iter()
            .filter(|a| key_of(a, "") == k)
            .filter_map(|a| a.get("message").and_then(Value::as_str))
            .collect();
        if let Some(message) = exact {
            if !said.contains(&message) {
                problems.push(format!("{name}: message at {}\n  expected {message:?}\n  got {said:?}", fmt(&k)));
            }
        }
        if let Some(part) = part {
            if !said.iter().any(|m| m.contains(part)) {
                problems.push(format!("{name}: message at {} lacks “{part}”: {said:?}", fmt(&k)));
            }
        }
    }
    problems
}

#[test]
fn vaults_conform_to_the_spec() {
    let mut problems = Vec::new();
    let mut summary = Vec::new();
    for case in cases() {
        let p = check(&case);
        summary.push(format!(
            "{}: {}",
            case.file_name().unwrap().to_string_lossy(),
            if p.is_empty() { "ok".to_owned() } else { format!("{} difference(s)", p.len()) }
        ));
        problems.extend(p);
    }
    eprintln!("conformance cases:\n  {}", summary.join("\n  "));
    assert!(
        problems.is_empty(),
        "kith differs from the spec (see tests/conformance/*/NOTES.md):\n{}",
        problems.join("\n")
    );
}

/// Keeps the fixtures honest: expected.json must be sorted by
/// (path, line, column, rule) and name only files that exist in the vault.
#[test]
fn expectations_are_well_formed() {
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        assert!(case.join("vault/kith.toml").is_file(), "{name}: vault/kith.toml is missing");
        assert!(case.join("NOTES.md").is_file(), "{name}: NOTES.md is missing");
        let text = std::fs::read_to_string(case.join("expected.json")).unwrap();
        let expected: Vec<Value> = serde_json::from_str(&text).unwrap();
        let keys: Vec<Key> = expected.iter().map(|v| key_of(v, &name)).collect();
        for k in &keys {
            assert!(case.join("vault").join(&k.0).is_file(), "{name}: no file {}", k.0);
            assert!(matches!(k.4.as_str(), "error" | "warning" | "info" | "hint"), "{name}: bad level in {}", fmt(k));
        }
        let order = |k: &Key| (k.0.clone(), k.1, k.2, k.3.clone());
        assert!(
            keys.windows(2).all(|w| order(&w[0]) <= order(&w[1])),
            "{name}: expected.json is not sorted by path, line, column, rule"
        );
    }
}
