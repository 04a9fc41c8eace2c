//! The sample vault shows every rule: its findings at a fixed day are a
//! snapshot, and every rule must fire at least once.

use std::process::Command;

fn lint(args: &[&str]) -> (String, i32) {
    let output = Command::new(env!("CARGO_BIN_EXE_kith"))
        .arg("lint")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/sample-vault"))
        .args(args)
        .env_remove("KITH_TODAY")
        .env("NO_COLOR", "1")
        .output()
        .expect("kith runs");
    (String::from_utf8(output.stdout).expect("UTF-8 output"), output.status.code().unwrap_or(-1))
}

#[test]
fn sample_vault_findings() {
    let (out, code) = lint(&["--today", "2026-12-01", "--format", "concise", "--hints"]);
    assert_eq!(code, 1, "the sample vault has errors, so lint fails");
    insta::assert_snapshot!(out);
}

#[test]
fn every_rule_fires_in_the_sample_vault() {
    let (out, _) = lint(&["--today", "2026-12-01", "--format", "json", "--hints"]);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&out).expect("JSON");
    for rule in kithkin::engine::Rule::ALL {
        assert!(findings.iter().any(|f| f["rule"] == rule.name()), "{} never fires in sample-vault", rule.name());
    }
}

#[test]
fn good_relationships_stay_quiet() {
    let (out, _) = lint(&["--today", "2026-12-01", "--format", "json", "--hints"]);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&out).expect("JSON");
    for quiet in ["people/max-mustermann.md", "people/amelie-laurent.md", "people/Zoë Becker.md"] {
        assert!(!findings.iter().any(|f| f["path"] == quiet), "{quiet} should be in good order");
    }
}
