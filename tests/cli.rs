//! `kith` run as a process on temporary vaults: exit code, stdout and stderr
//! checked together, and every output format parsed the way its consumer
//! (GitHub, code scanning, GitLab, a JUnit viewer) would read it.

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

const TODAY: &str = "2026-12-01";

/// What one run of `kith` left behind.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `kith` in `dir` with a fixed today and no colour preferences from
/// the environment, so that runs agree on every machine.
fn kith_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kith"));
    command
        .args(args)
        .current_dir(dir)
        .env("KITH_TODAY", TODAY)
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_WORKSPACE")
        .env_remove("CI_PROJECT_DIR");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("kith runs");
    Run {
        code: output.status.code().expect("kith exits with a code"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

fn kith(dir: &Path, args: &[&str]) -> Run {
    kith_in(dir, args, &[])
}

/// A vault of the given files, with an empty `kith.toml` unless one is
/// given, so that the vault root never climbs out of the temporary folder.
fn vault(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    if !files.iter().any(|(path, _)| *path == "kith.toml") {
        std::fs::write(dir.path().join("kith.toml"), "").unwrap();
    }
    for (path, text) in files {
        write_file(&dir.path().join(path), text.as_bytes());
    }
    dir
}

fn write_file(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A copy of `tests/fixtures/cli/NAME`, so that tests can change it freely.
fn fixture(name: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli").join(name), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn has_ansi(text: &str) -> bool {
    text.contains('\u{1b}')
}

/// A note whose only finding is one warning: a `#got` with no thank-you.
const UNTHANKED: &str = "---\ntype: contact\n---\n- 2026-11-20 #got Lent me a book\n";

/// A note whose only finding is one error: a day that does not exist.
const BAD_DATE: &str = "---\ntype: contact\nbirthday: 1990-02-30\n---\n";

// Human output.

#[test]
fn human_output_of_a_small_vault() {
    let dir = fixture("small");
    let run = kith(dir.path(), &["lint"]);
    assert_eq!(run.code, 1, "an error is at the default fail level: {run:?}");
    assert!(!has_ansi(&run.stdout), "no colour when stdout is not a terminal");
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!("human", run.stdout);
}

#[test]
fn human_output_of_a_clean_vault_says_all_is_well() {
    let dir = vault(&[("people/ada.md", "---\ntype: contact\n---\n- 2026-11-30 #met Coffee\n")]);
    let run = kith(dir.path(), &["lint", "."]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "All good: nothing needs a gesture today.\n");
}

#[test]
fn human_output_counts_levels_and_notes() {
    let dir = vault(&[("a.md", UNTHANKED), ("b.md", UNTHANKED), ("c.md", BAD_DATE)]);
    let run = kith(dir.path(), &["lint"]);
    assert_eq!(run.stdout.lines().last(), Some("1 error, 2 warnings in 3 notes."));
}

#[test]
fn colour_only_when_asked_for_and_never_with_no_color() {
    let dir = vault(&[("a.md", UNTHANKED)]);
    assert!(!has_ansi(&kith(dir.path(), &["lint"]).stdout));
    assert!(has_ansi(&kith(dir.path(), &["lint", "--color", "always"]).stdout));
    let run = kith_in(dir.path(), &["lint", "--color", "always"], &[("NO_COLOR", "1")]);
    assert!(!has_ansi(&run.stdout), "NO_COLOR wins over --color always");
    assert!(run.stdout.contains("warning[missing-thanks]: Thank"));
}

#[test]
fn human_output_survives_odd_notes() {
    let dir = vault(&[
        ("kith.toml", "max-file-size = \"1KB\"\n"),
        // Skipped: an empty text and a zero-width range on line 1.
        ("big.md", &"a".repeat(3000)),
        // A finding at the very end of a file without a final newline.
        ("end.md", "intro\n- [[Nowhere]]"),
        // Line ends of every kind.
        ("crlf.md", "one\r\ntwo\r\n- [[Across CRLF]]\r\n"),
        ("cr.md", "one\rtwo\r- [[Lone CR]]\r"),
        // Unclosed front matter: the finding sits on line 1.
        ("open.md", "---\nname: x\n"),
        // A tab before the link, and an ESC that would reset the terminal.
        ("tab.md", "- x\t[[Tab\u{1b}c]]\n"),
    ]);
    write_file(&dir.path().join("latin1.md"), b"- caf\xe9 [[Somewhere]]\n");
    let run = kith(dir.path(), &["lint", "--hints"]);
    assert!(run.code == 0 || run.code == 1, "{run:?}");
    assert!(!has_ansi(&run.stdout), "an ESC in a note must not reach the terminal: {}", run.stdout);
    for expected in [
        "--> big.md:1:1",
        "--> end.md:2:3",
        "--> crlf.md:3:3",
        "--> cr.md:3:3",
        "--> open.md:1:1",
        "--> tab.md:1:5",
        "--> latin1.md:1:6",
        "3 | - [[Lone CR]]",
        "info[skipped-file]",
        "error[encoding]",
    ] {
        assert!(run.stdout.contains(expected), "missing {expected:?} in\n{}", run.stdout);
    }
    // Every place the human output names is the place the JSON output names.
    let findings = json(&kith(dir.path(), &["lint", "--hints", "--format", "json"]).stdout);
    for f in findings.as_array().unwrap() {
        let place = format!("--> {}:{}:{}", f["path"].as_str().unwrap(), f["line"], f["column"]);
        assert!(run.stdout.contains(&place), "missing {place:?} in\n{}", run.stdout);
    }
}

// Positions and order.

#[test]
fn columns_count_unicode_characters() {
    let dir = vault(&[("journal/2026-11-25.md", "- Müller 😀 meets [[Ghost]]\n")]);
    let run = kith(dir.path(), &["lint", "--format", "json"]);
    let findings = json(&run.stdout);
    let link = &findings[0];
    assert_eq!(link["rule"], "broken-link");
    // 17 characters precede the link: 21 bytes, 18 UTF-16 units.
    assert_eq!((link["line"].as_u64(), link["column"].as_u64()), (Some(1), Some(18)));
    assert_eq!(link["end_column"].as_u64(), Some(27));
    let concise = kith(dir.path(), &["lint", "--format", "concise"]).stdout;
    assert!(concise.starts_with("journal/2026-11-25.md:1:18: warning[broken-link]"), "{concise}");
    let github = kith(dir.path(), &["lint", "--format", "github"]).stdout;
    assert!(github.contains("line=1,col=18,endLine=1,endColumn=27,"), "{github}");
    let human = kith(dir.path(), &["lint"]).stdout;
    assert!(human.contains("--> journal/2026-11-25.md:1:18"), "{human}");
}

/// Paths are relative to the vault root in every format, wherever kith runs
/// from; inside a CI job, the formats CI reads are relative to its checkout,
/// or its annotations would point at files that do not exist.
#[test]
fn paths_are_vault_relative_except_where_ci_looks_files_up() {
    let repo = tempfile::tempdir().unwrap();
    let notes = repo.path().join("notes");
    write_file(&notes.join("kith.toml"), b"");
    write_file(&notes.join("journal/a.md"), b"- [[Ghost]]\n");
    let formats = ["concise", "json", "github", "sarif", "junit", "gitlab"];
    let workspace = repo.path().to_str().unwrap();
    for ci in [None, Some(("GITHUB_WORKSPACE", workspace)), Some(("CI_PROJECT_DIR", workspace))] {
        for format in formats {
            let env: Vec<(&str, &str)> = ci.into_iter().collect();
            let run = kith_in(repo.path(), &["lint", "notes", "--format", format], &env);
            assert_eq!(run.code, 0, "{}", run.stderr);
            let prefixed = ci.is_some() && !matches!(format, "concise" | "json");
            let want = if prefixed { "notes/journal/a.md" } else { "journal/a.md" };
            assert!(run.stdout.contains(want), "{format} {ci:?}: {}", run.stdout);
            if !prefixed {
                assert!(!run.stdout.contains("notes/journal"), "{format} {ci:?}: {}", run.stdout);
            }
        }
    }
}

#[test]
fn findings_are_sorted_by_path_line_and_column() {
    let dir = fixture("small");
    write_file(&dir.path().join("a/first.md"), b"- [[Zed]] and [[Abe]]\n- [[Cy]]\n");
    let findings = json(&kith(dir.path(), &["lint", "--format", "json"]).stdout);
    let keys: Vec<(String, u64, u64)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(keys[0], ("a/first.md".to_string(), 1, 3));
    assert_eq!(keys[1], ("a/first.md".to_string(), 1, 15));
    assert_eq!(keys[2], ("a/first.md".to_string(), 2, 3));
}

// GitHub annotations.

#[test]
fn github_annotations_are_workflow_commands() {
    let dir = fixture("small");
    let run = kith(dir.path(), &["lint", "--format", "github"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 8);
    for line in &lines {
        let (command, rest) = line.strip_prefix("::").unwrap().split_once(' ').unwrap();
        assert!(["error", "warning", "notice"].contains(&command), "{line}");
        let (properties, message) = rest.split_once("::").unwrap();
        assert!(!message.is_empty());
        let names: Vec<&str> = properties.split(',').map(|p| p.split_once('=').unwrap().0).collect();
        assert_eq!(names, ["file", "line", "col", "endLine", "endColumn", "title"], "{line}");
    }
    assert!(lines.contains(
        &"::error file=people/jana.md,line=13,col=3,endLine=13,endColumn=13,title=kith (invalid-date)::2026-02-30 is not a real day — check the month and the day"
    ));
    assert!(lines.iter().any(|l| l.starts_with("::notice file=people/Max Mustermann.md,line=4,")), "info is a notice");
}

#[test]
fn github_annotations_escape_properties_and_data() {
    let dir = vault(&[("notes/a,b: c.md", "- [[100% sure, really]]\n")]);
    let run = kith(dir.path(), &["lint", "--format", "github"]);
    assert_eq!(
        run.stdout,
        "::warning file=notes/a%2Cb%3A c.md,line=1,col=3,endLine=1,endColumn=24,title=kith (broken-link)::\
         No note is called “100%25 sure, really” — create the contact note or correct the link\n"
    );
}

/// Inside a CI job, the formats CI reads put the vault's folder in the
/// checkout before each path, in the field each system reads.
#[test]
fn ci_paths_start_at_the_checkout() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli/small"), &dir.path().join("notes/vault"));
    let ci = [("GITHUB_WORKSPACE", dir.path().to_str().unwrap())];
    let run = |format: &str| kith_in(dir.path(), &["lint", "notes/vault", "--format", format], &ci).stdout;
    let github = run("github");
    assert!(github.contains("file=notes/vault/people/jana.md,"), "{github}");
    let sarif = json(&run("sarif"));
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "notes/vault/journal/2026-11-25.md");
    let gitlab = json(&run("gitlab"));
    assert_eq!(gitlab[0]["location"]["path"], "notes/vault/journal/2026-11-25.md");
    // People read vault paths, as the spec says.
    assert!(run("concise").starts_with("journal/2026-11-25.md:"));
}

// SARIF.

#[test]
fn sarif_is_what_code_scanning_accepts() {
    let dir = fixture("small");
    let run = kith(dir.path(), &["lint", "--format", "sarif"]);
    assert_eq!(run.code, 1);
    let log = json(&run.stdout);
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().ends_with("sarif-schema-2.1.0.json"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "kith");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"].as_str().unwrap().starts_with("https://"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 17, "every rule, reported or not");
    for rule in rules {
        for field in ["id", "name"] {
            assert!(rule[field].as_str().is_some_and(|s| !s.is_empty()), "{field} of {rule}");
        }
        for field in ["shortDescription", "fullDescription"] {
            assert!(rule[field]["text"].as_str().is_some_and(|s| !s.is_empty()), "{field} of {rule}");
        }
        assert!(rule["help"]["text"].as_str().is_some_and(|s| s.contains("## Fix")), "{rule}");
        assert!(rule["help"]["markdown"].as_str().is_some_and(|s| s.contains("## Why it matters")), "{rule}");
        assert!(["error", "warning", "note"].contains(&rule["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 8);
    let mut fingerprints = HashSet::new();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "ruleIndex points at the rule");
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(result["message"]["text"].as_str().is_some_and(|s| !s.is_empty()));
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.is_ascii() && !uri.contains(' ') && !uri.starts_with('/'), "a relative URI: {uri}");
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &location["region"];
        let [start_line, start_column, end_line, end_column] =
            ["startLine", "startColumn", "endLine", "endColumn"].map(|k| region[k].as_u64().unwrap());
        assert!(start_line >= 1 && start_column >= 1);
        assert!(end_line > start_line || (end_line == start_line && end_column >= start_column), "{region}");
        assert!(fingerprints.insert(result["partialFingerprints"]["kith/v1"].as_str().unwrap().to_string()));
    }
    let uris: HashSet<&str> = results
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap())
        .collect();
    assert!(uris.contains("people/Max%20Mustermann.md"), "{uris:?}");
}

#[test]
fn sarif_of_a_small_vault() {
    let dir = fixture("small");
    let mut log = json(&kith(dir.path(), &["lint", "--format", "sarif"]).stdout);
    // The version changes with every release and the rule docs with every
    // edit of a rule; the test above checks them, the snapshot the rest.
    let driver = &mut log["runs"][0]["tool"]["driver"];
    driver["version"] = Value::from("[version]");
    for rule in driver["rules"].as_array_mut().unwrap() {
        for field in ["shortDescription", "fullDescription", "help"] {
            rule[field] = Value::from("[doc]");
        }
    }
    insta::assert_json_snapshot!("sarif", log);
}

#[test]
fn fingerprints_survive_edits_that_move_a_finding() {
    let dir = vault(&[("people/ada.md", UNTHANKED)]);
    let before = json(&kith(dir.path(), &["lint", "--format", "sarif"]).stdout);
    let again = json(&kith(dir.path(), &["lint", "--format", "sarif"]).stdout);
    let moved = UNTHANKED.replace("---\n- ", "---\n# Ada\n\nMet at a conference.\n\n- ");
    write_file(&dir.path().join("people/ada.md"), moved.as_bytes());
    let after = json(&kith(dir.path(), &["lint", "--format", "sarif"]).stdout);
    let result = |log: &Value| log["runs"][0]["results"][0].clone();
    assert_eq!(result(&before)["partialFingerprints"], result(&again)["partialFingerprints"]);
    assert_eq!(result(&before)["partialFingerprints"], result(&after)["partialFingerprints"]);
    assert_ne!(
        result(&before)["locations"][0]["physicalLocation"]["region"]["startLine"],
        result(&after)["locations"][0]["physicalLocation"]["region"]["startLine"]
    );
}

#[test]
fn sarif_without_findings_still_has_a_run() {
    let dir = vault(&[]);
    let log = json(&kith(dir.path(), &["lint", "--format", "sarif"]).stdout);
    assert_eq!(log["runs"][0]["results"], Value::Array(vec![]));
    assert_eq!(log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().len(), 17);
}

// JUnit.

/// The test cases of a JUnit report, parsed as a CI server would, with the
/// `tests` and `failures` counts of its one suite.
fn junit_cases(xml: &str) -> (Vec<String>, usize, usize) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut names = Vec::new();
    let (mut tests, mut failures, mut failure_elements) = (None, None, 0);
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("invalid XML ({e}):\n{xml}")) {
            Event::Start(e) | Event::Empty(e) => {
                let attribute = |name: &str| {
                    e.try_get_attribute(name)
                        .unwrap()
                        .map(|a| a.normalized_value(XmlVersion::Explicit1_0).unwrap().into_owned())
                };
                match e.name().as_ref() {
                    b"testsuite" => {
                        tests = attribute("tests").map(|n| n.parse::<usize>().unwrap());
                        failures = attribute("failures").map(|n| n.parse::<usize>().unwrap());
                    }
                    b"testcase" => {
                        assert!(attribute("classname").is_some());
                        names.push(attribute("name").unwrap());
                    }
                    b"failure" => {
                        assert!(attribute("message").is_some() && attribute("type").is_some());
                        failure_elements += 1;
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(tests, Some(names.len()), "tests counts the test cases");
    assert_eq!(failures, Some(failure_elements), "failures counts the failures");
    (names, tests.unwrap(), failures.unwrap())
}

#[test]
fn junit_has_one_unique_test_case_per_finding() {
    let dir = fixture("small");
    // Two findings of one rule on one line, markup in the quoted line, and a
    // control character that XML 1.0 forbids even escaped.
    write_file(&dir.path().join("twice.md"), "- [[Gh\u{1}ost]] & [[Gh\u{1}ost]] <3\n".as_bytes());
    let run = kith(dir.path(), &["lint", "--format", "junit"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(!run.stdout.contains('\u{1}'), "forbidden characters are replaced");
    let (names, tests, failures) = junit_cases(&run.stdout);
    assert_eq!((tests, failures), (10, 10));
    let unique: HashSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "{names:#?}");
    assert!(names.contains(&"invalid-date at people/jana.md:13:3".to_string()), "{names:#?}");
}

#[test]
fn junit_without_findings_shows_that_kith_ran() {
    let dir = vault(&[]);
    let run = kith(dir.path(), &["lint", "--format", "junit"]);
    assert_eq!(run.code, 0);
    let (names, tests, failures) = junit_cases(&run.stdout);
    assert_eq!((names, tests, failures), (vec!["kith lint".to_string()], 1, 0));
}

// GitLab Code Quality.

#[test]
fn gitlab_code_quality_report() {
    let dir = fixture("small");
    let run = kith(dir.path(), &["lint", "--format", "gitlab"]);
    assert_eq!(run.code, 1);
    let issues = json(&run.stdout);
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 8);
    let mut fingerprints = HashSet::new();
    for issue in issues {
        assert!(issue["description"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(issue["check_name"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&issue["severity"].as_str().unwrap()));
        assert!(issue["location"]["path"].as_str().is_some_and(|p| !p.starts_with('/')));
        assert!(issue["location"]["positions"]["begin"]["line"].as_u64().unwrap() >= 1);
        assert!(fingerprints.insert(issue["fingerprint"].as_str().unwrap().to_string()), "unique fingerprints");
    }
    let invalid = issues.iter().find(|i| i["check_name"] == "invalid-date").unwrap();
    assert_eq!(invalid["severity"], "critical");
    assert_eq!(invalid["location"]["path"], "people/jana.md");
    assert_eq!(invalid["location"]["positions"]["begin"]["line"], 13);
}

// Exit codes.

#[test]
fn exit_0_for_a_clean_vault() {
    let dir = vault(&[]);
    for format in ["human", "concise", "json", "github", "sarif", "junit", "gitlab"] {
        assert_eq!(kith(dir.path(), &["lint", "--format", format]).code, 0, "{format}");
    }
}

#[test]
fn exit_1_at_the_fail_level() {
    let warnings = vault(&[("a.md", UNTHANKED)]);
    assert_eq!(kith(warnings.path(), &["lint"]).code, 0, "warnings pass by default");
    assert_eq!(kith(warnings.path(), &["lint", "--fail-on", "warning"]).code, 1);
    assert_eq!(kith(warnings.path(), &["lint", "--fail-on", "warning", "--exit-zero"]).code, 0);
    let errors = vault(&[("a.md", BAD_DATE)]);
    assert_eq!(kith(errors.path(), &["lint"]).code, 1);
    assert_eq!(kith(errors.path(), &["lint", "--exit-zero"]).code, 0);
}

#[test]
fn exit_1_with_fail_on_in_kith_toml() {
    let dir = vault(&[("kith.toml", "fail-on = \"warning\"\n"), ("a.md", UNTHANKED)]);
    assert_eq!(kith(dir.path(), &["lint"]).code, 1);
    assert_eq!(kith(dir.path(), &["lint", "--fail-on", "error"]).code, 0, "the flag wins over the file");
}

/// Spec section 6: the vault root is the nearest folder at or above the
/// path that holds `kith.toml`, also when a repository lies in between.
#[test]
fn kith_toml_is_found_above_a_repository_inside_the_vault() {
    let dir = vault(&[("kith.toml", "fail-on = \"warning\"\n"), ("code/notes/a.md", UNTHANKED)]);
    std::fs::create_dir_all(dir.path().join("code/.git")).unwrap();
    let run = kith(dir.path(), &["lint", "code/notes", "--format", "json"]);
    assert_eq!(run.code, 1, "fail-on from the vault's kith.toml: {}", run.stderr);
    assert_eq!(json(&run.stdout)[0]["path"], "code/notes/a.md");
}

/// Several PATHs: one vault is read, and findings are reported for the
/// files under any of them (as linters take the files a hook passes).
#[test]
fn several_paths_in_one_vault_report_the_findings_under_any_of_them() {
    let files = [
        ("people/a.md", UNTHANKED),
        ("people/ab.md", UNTHANKED),
        ("journal/b.md", "[[Nobody]]\n"),
        ("c.md", "[[Ghost]]\n"),
    ];
    let dir = vault(&files);
    let run = kith(dir.path(), &["lint", "people/a.md", "journal", "--format", "json", "--today", "2026-12-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let paths: Vec<Value> = json(&run.stdout).as_array().unwrap().iter().map(|f| f["path"].clone()).collect();
    assert_eq!(paths, ["journal/b.md", "people/a.md"], "not people/ab.md, not c.md");
}

#[test]
fn paths_in_different_vaults_are_refused() {
    let dir = vault(&[("one/kith.toml", ""), ("one/a.md", UNTHANKED), ("two/kith.toml", ""), ("two/b.md", UNTHANKED)]);
    let run = kith(dir.path(), &["lint", "one/a.md", "two/b.md"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("different vaults"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

/// Without `kith.toml`, the vault of several paths is the folder holding
/// them all: a link from one to the other resolves.
#[test]
fn without_kith_toml_several_paths_share_the_folder_holding_them() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write_file(&dir.path().join("people/jana.md"), UNTHANKED.as_bytes());
    write_file(&dir.path().join("journal/day.md"), b"- #met [[jana]] and [[Ghost]]\n");
    let run = kith(dir.path(), &["lint", "people", "journal", "--format", "json", "--today", "2026-12-01"]);
    let found = json(&run.stdout);
    let links: Vec<&Value> = found.as_array().unwrap().iter().filter(|f| f["rule"] == "broken-link").collect();
    assert_eq!(links.len(), 1, "only [[Ghost]] is broken: {found}");
    assert_eq!(links[0]["path"], "journal/day.md");
}

#[test]
fn exit_2_for_a_missing_path() {
    let dir = vault(&[]);
    let run = kith(dir.path(), &["lint", "no/such/folder"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no/such/folder"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

#[test]
fn exit_2_for_a_broken_kith_toml_naming_file_line_and_problem() {
    let dir = vault(&[("kith.toml", "contacts = [\"people/**\"]\nthanks-within = \"3 days\"\n")]);
    let run = kith(dir.path(), &["lint"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("kith.toml:2:"), "file and line: {}", run.stderr);
    assert!(run.stderr.contains("thanks-within"), "the problem: {}", run.stderr);
    let dir = vault(&[("kith.toml", "contacts = [\n")]);
    let run = kith(dir.path(), &["lint"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("kith.toml:1:"), "{}", run.stderr);
}

#[test]
fn exit_2_for_an_invalid_today() {
    let dir = vault(&[]);
    let run = kith(dir.path(), &["lint", "--today", "2026-02-30"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("2026-02-30"), "{}", run.stderr);
    let run = kith_in(dir.path(), &["lint"], &[("KITH_TODAY", "tomorrow")]);
    assert_eq!(run.code, 2);
}

#[test]
fn today_comes_from_the_flag_or_kith_today() {
    let dir = vault(&[("a.md", UNTHANKED)]);
    // The #got of 2026-11-20 is due for thanks after 2026-11-23.
    let early = kith(dir.path(), &["lint", "--format", "concise", "--today", "2026-11-22"]);
    assert_eq!(early.stdout, "");
    let late = kith_in(dir.path(), &["lint", "--format", "concise"], &[("KITH_TODAY", "2026-11-30")]);
    assert!(late.stdout.contains("missing-thanks"), "{}", late.stdout);
}

// Options.

#[test]
fn output_file_holds_the_report() {
    let dir = fixture("small");
    let file: PathBuf = dir.path().join("out/report.sarif");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let run = kith(dir.path(), &["lint", "--format", "sarif", "--output-file", file.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    let log = json(&std::fs::read_to_string(&file).unwrap());
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 8);
    let human = dir.path().join("out/report.txt");
    let run = kith(dir.path(), &["lint", "-o", human.to_str().unwrap(), "--color", "auto"]);
    assert_eq!(run.code, 1);
    assert!(!has_ansi(&std::fs::read_to_string(&human).unwrap()), "a file gets no colour");
}

#[test]
fn an_unwritable_output_file_exits_2_with_the_reason() {
    let dir = fixture("small");
    let file = dir.path().join("no-such-folder/report.json");
    let run = kith(dir.path(), &["lint", "--format", "json", "--output-file", file.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot write") && run.stderr.contains("no-such-folder"), "{}", run.stderr);
}

/// More findings than one batch of the streamed JSON (8,192): still one
/// valid array, one finding per line, none lost at the seams.
#[test]
fn json_of_many_findings_is_one_array() {
    let links: String = (0..9000).map(|i| format!("[[nowhere {i}]]\n")).collect();
    let dir = vault(&[("notes/links.md", &links)]);
    let run = kith(dir.path(), &["lint", "--format", "json", "--exit-zero"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let findings = json(&run.stdout);
    assert_eq!(findings.as_array().unwrap().len(), 9000);
    assert_eq!(run.stdout.lines().count(), 9002, "one finding per line between the brackets");
}

/// `kith lint | head`: the reader going away is not an error worth a message.
#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    let links: String = (0..9000).map(|i| format!("[[nowhere {i}]]\n")).collect();
    let dir = vault(&[("notes/links.md", &links)]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_kith"))
        .args(["lint", "--format", "concise"])
        .current_dir(dir.path())
        .env("KITH_TODAY", TODAY)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let output = child.wait_with_output().unwrap();
    let whole = kith(dir.path(), &["lint", "--format", "concise"]);
    assert_eq!(output.status.code(), Some(whole.code), "the same exit code as when all is read");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = vault(&[("a.md", UNTHANKED), ("b.md", UNTHANKED), ("c.md", BAD_DATE)]);
    let run = kith(dir.path(), &["lint", "--statistics"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].trim_start().starts_with("2  missing-thanks"), "{}", run.stdout);
    assert!(lines[1].trim_start().starts_with("1  invalid-date"), "{}", run.stdout);
    assert!(lines.last().unwrap().trim_start().starts_with("3  in all"), "{}", run.stdout);
    let stats = json(&kith(dir.path(), &["lint", "--statistics", "--format", "json"]).stdout);
    assert_eq!(stats[0], serde_json::json!({"rule": "missing-thanks", "level": "warning", "count": 2}));
}

// `kith rule`.

#[test]
fn rule_table_lists_every_rule() {
    let dir = vault(&[]);
    let run = kith(dir.path(), &["rule"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.lines().any(|l| l.starts_with("missing-thanks") && l.contains("warning")));
    assert!(run.stdout.lines().any(|l| l.starts_with("front-matter") && l.contains("error")));
    assert!(run.stdout.lines().any(|l| l.starts_with("birthday-soon") && l.contains("info")));
    assert_eq!(run.stdout.lines().skip(1).take_while(|l| !l.is_empty()).count(), 17, "{}", run.stdout);
}

#[test]
fn rule_docs_have_the_four_headings() {
    let dir = vault(&[]);
    let run = kith(dir.path(), &["rule", "missing-thanks"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("# missing-thanks (default level: warning)"), "{}", run.stdout);
    for heading in ["## What it does", "## Why it matters", "## Example", "## Fix"] {
        assert!(run.stdout.contains(heading), "{heading}");
    }
}

#[test]
fn unknown_rule_exits_2_with_a_suggestion() {
    let dir = vault(&[]);
    let run = kith(dir.path(), &["rule", "missing-thank"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("did you mean `missing-thanks`?"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

#[test]
fn sarif_uris_percent_encode_non_ascii_names() {
    let dir = vault(&[("notizen/Grüße 😀.md", "- [[Nobody]]\n")]);
    let log = json(&kith(dir.path(), &["lint", "--format", "sarif"]).stdout);
    let location = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(location["uri"], "notizen/Gr%C3%BC%C3%9Fe%20%F0%9F%98%80.md");
}

/// A very long line gets no code frame: the output stays proportional to
/// the findings, not to the size of the line times the findings.
#[test]
fn human_output_skips_frames_of_very_long_lines() {
    let dir = tempfile::tempdir().unwrap();
    let tags = "#got ".repeat(400);
    std::fs::write(dir.path().join("jana.md"), format!("---\ntype: contact\n---\n- 2026-11-01 {tags}x\n")).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kith"))
        .args(["lint", "--today", "2026-12-01", "--color", "never"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("--> jana.md:4:3"), "{text}");
    assert!(!text.contains(&tags), "the long line is not repeated");
    assert!(text.len() < 400 * 400, "output is bounded: {} bytes", text.len());
}
