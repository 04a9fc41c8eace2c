//! `kith agenda`, `kith ledger`, `kith log` and `kith new` run as processes
//! on temporary copies of a vault they have never seen
//! (`tests/fixtures/commands/vault`): exit code, stdout, stderr and the
//! bytes on disk checked together.

use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

const TODAY: &str = "2026-12-01";

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn kith_at(cwd: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_kith"))
        .args(args)
        .current_dir(cwd)
        .env("KITH_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .output()
        .expect("kith runs");
    Run {
        code: output.status.code().expect("kith exits with a code"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fresh copy of the fixture vault.
fn vault() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/commands/vault"), dir.path());
    dir
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, bytes).unwrap();
    path
}

fn json(run: &Run) -> Vec<Value> {
    serde_json::from_str::<Value>(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
        .as_array()
        .unwrap()
        .clone()
}

/// `(contact, rule)` of every relationship finding `kith lint` reports.
fn lint_findings(dir: &Path) -> BTreeSet<(String, String)> {
    let run = kith_at(dir, &["lint", "--format", "json", "--exit-zero"]);
    assert_eq!(run.code, 0, "{run:?}");
    json(&run)
        .iter()
        .filter_map(|f| Some((f["contact"].as_str()?.to_string(), f["rule"].as_str()?.to_string())))
        .collect()
}

fn agenda_people(dir: &Path) -> Vec<String> {
    let run = kith_at(dir, &["agenda", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let mut people: Vec<String> = Vec::new();
    for item in json(&run) {
        let name = item["contact"].as_str().unwrap().to_string();
        if !people.contains(&name) {
            people.push(name);
        }
    }
    people
}

/// Lines with their endings, so that CRLF and a missing last newline count.
fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            out.push(&bytes[start..=i]);
            start = i + 1;
        }
    }
    if start < bytes.len() {
        out.push(&bytes[start..]);
    }
    out
}

/// Asserts that `after` is `before` with exactly one line inserted; returns
/// its 1-based number and text.
fn one_line_added(before: &[u8], after: &[u8]) -> (usize, String) {
    let (old, new) = (lines(before), lines(after));
    assert_eq!(new.len(), old.len() + 1, "not exactly one line more:\n{}", String::from_utf8_lossy(after));
    let at = old.iter().zip(&new).position(|(a, b)| a != b).unwrap_or(old.len());
    assert_eq!(&new[..at], &old[..at]);
    assert_eq!(&new[at + 1..], &old[at..], "something else changed:\n{}", String::from_utf8_lossy(after));
    (at + 1, String::from_utf8(new[at].to_vec()).unwrap())
}

fn leftovers(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.starts_with(".kith-") {
            names.push(name);
        }
    }
    names
}

#[test]
fn agenda_names_exactly_who_needs_a_gesture() {
    let v = vault();
    // Snoozed Tom, up-to-date Lea (touched in a journal note) and Omar
    // (whose note ignores missing-thanks) are left out.
    assert_eq!(agenda_people(v.path()), ["Jana Müller", "Priya Shah", "Max Weber", "Ines Ortega"]);
    let run = kith_at(v.path(), &["agenda", "--format", "json"]);
    let items = json(&run);
    let rules: Vec<(&str, &str, u64, &str)> = items
        .iter()
        .map(|i| {
            (
                i["contact"].as_str().unwrap(),
                i["rule"].as_str().unwrap(),
                i["line"].as_u64().unwrap(),
                i["due"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rules,
        [
            ("Jana Müller", "missing-thanks", 16, "2026-10-18"),
            ("Jana Müller", "congratulate", 14, "2026-11-27"),
            ("Jana Müller", "follow-up-due", 20, "2026-12-03"),
            ("Priya Shah", "overdue-touch", 4, "2026-09-14"),
            ("Max Weber", "unreciprocated", 9, "2026-08-29"),
            ("Ines Ortega", "birthday-soon", 4, "2026-12-04"),
            ("Priya Shah", "vague-ask", 10, "2026-08-14"),
        ]
    );
    for item in &items {
        for key in ["contact", "contact_path", "path", "line", "rule", "due", "message"] {
            assert!(!item[key].is_null(), "{key} missing in {item}");
        }
    }

    let human = kith_at(v.path(), &["agenda"]);
    assert_eq!(human.code, 0, "{human:?}");
    assert_eq!(
        human.stdout,
        "Jana Müller
  people/jana-mueller.md:16  say thanks for “Introduced me to Max Weber” (received 6 weeks ago)
  people/jana-mueller.md:14  congratulate on “Promoted to Head of Design” (news from 11 days ago)
  people/jana-mueller.md:20  follow up: “Send her the design-systems article” (due in 2 days)

Priya Shah
  people/priya-shah.md:4     get back in touch (last touch 3 months ago; you meant every month)
  people/priya-shah.md:10    say exactly how they can help with “Feedback on my talk” (add `how: …`)

Max Weber
  people/max-weber.md:9      return the favour for “Reviewed my pitch deck” (received 9 months ago, nothing given back since)

Ines Ortega
  people/ines-ortega.md:4    wish a happy birthday (Fri 4 Dec, in 3 days, turning 41)

7 things to do for 4 people
"
    );
}

#[test]
fn agenda_days_and_scope() {
    let v = vault();
    // One day ahead: no birthday on the 4th, no follow-up on the 3rd.
    let run = kith_at(v.path(), &["agenda", "--days", "1", "--format", "json"]);
    let rules: BTreeSet<String> = json(&run).iter().map(|i| i["rule"].as_str().unwrap().to_string()).collect();
    assert!(!rules.contains("birthday-soon") && !rules.contains("follow-up-due"), "{rules:?}");
    // Two weeks ahead: both.
    let run = kith_at(v.path(), &["agenda", "--days", "14", "--format", "json"]);
    let rules: BTreeSet<String> = json(&run).iter().map(|i| i["rule"].as_str().unwrap().to_string()).collect();
    assert!(rules.contains("birthday-soon") && rules.contains("follow-up-due"), "{rules:?}");
    // PATH narrows the agenda to the people under it.
    let run = kith_at(v.path(), &["agenda", "people/max-weber.md", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(json(&run).len(), 1);
    // Everyone up to date.
    let calm = tempfile::tempdir().unwrap();
    write(calm.path(), "kith.toml", b"");
    write(calm.path(), "people/a.md", b"---\ntype: contact\n---\n- 2026-11-30 #met Coffee\n");
    let run = kith_at(calm.path(), &["agenda"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "Nothing to do: everyone is up to date.\n"));
}

/// The agenda quotes an entry as its messages do: both people of an entry
/// that links two, and no punctuation left over from after the tags.
#[test]
fn agenda_names_both_people_and_skips_leading_punctuation() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "kith.toml", b"");
    write(dir.path(), "people/jana.md", b"---\ntype: contact\nname: Jana\n---\n- 2026-11-20 #news - New job\n");
    write(dir.path(), "people/max.md", b"---\ntype: contact\nname: Max\n---\n- 2026-11-20 #got: Lent me a book\n");
    write(dir.path(), "journal/2026-11-25.md", b"- #got [[Jana]]: introduced me to [[Max]]\n");
    let run = kith_at(dir.path(), &["agenda"]);
    assert_eq!(run.code, 0, "{run:?}");
    for expected in [
        "say thanks for \u{201c}introduced me to Max\u{201d}",
        "congratulate on \u{201c}New job\u{201d}",
        "say thanks for \u{201c}Lent me a book\u{201d}",
        "say thanks for \u{201c}Jana: introduced me to Max\u{201d}",
    ] {
        assert!(run.stdout.contains(expected), "{expected:?} not in:\n{}", run.stdout);
    }
}

#[test]
fn agenda_calendar_is_stable_and_well_formed() {
    let v = vault();
    let first = kith_at(v.path(), &["agenda", "--format", "ics"]);
    let second = kith_at(v.path(), &["agenda", "--format", "ics"]);
    assert_eq!(first.code, 0, "{first:?}");
    assert_eq!(first.stdout, second.stdout, "the same vault and day give the same file");
    let ics = &first.stdout;
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(!ics.replace("\r\n", "").contains(['\n', '\r']), "only CRLF line breaks");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
    }
    let unfolded = ics.replace("\r\n ", "");
    assert_eq!(unfolded.matches("BEGIN:VTODO\r\n").count(), 6);
    assert_eq!(unfolded.matches("BEGIN:VEVENT\r\n").count(), 1);
    assert!(unfolded.contains("DTSTART;VALUE=DATE:20261204\r\nDTEND;VALUE=DATE:20261205\r\nRRULE:FREQ=YEARLY\r\n"));
    assert!(unfolded.contains("SUMMARY:Ines Ortega's birthday\r\n"));
    assert_eq!(unfolded.matches("DTSTAMP:20261201T000000Z\r\n").count(), 7);
    let uids = |text: &str| -> Vec<String> {
        text.replace("\r\n ", "").lines().filter(|l| l.starts_with("UID:")).map(str::to_string).collect()
    };
    let before = uids(ics);
    assert_eq!(before.iter().collect::<BTreeSet<_>>().len(), 7, "unique UIDs");
    // Logging a thank-you moves Jana's other lines down; their UIDs stay.
    assert_eq!(kith_at(v.path(), &["log", "jana", "thanks", "Card"]).code, 0);
    let after = uids(&kith_at(v.path(), &["agenda", "--format", "ics"]).stdout);
    assert_eq!(after.len(), 6);
    assert!(after.iter().all(|uid| before.contains(uid)), "{before:?}\n{after:?}");
}

#[test]
fn each_logged_gesture_clears_its_finding() {
    let v = vault();
    let dir = v.path();
    let cases: [(&[&str], &str, &str, &str); 4] = [
        (&["jana", "thanks", "Card", "for", "the", "intro"], "Jana Müller", "missing-thanks", "people/jana-mueller.md"),
        (
            &["Jana Müller", "congrats", "Sent a note on the promotion"],
            "Jana Müller",
            "congratulate",
            "people/jana-mueller.md",
        ),
        (&["max w", "gave", "Introduced him to a speaker"], "Max Weber", "unreciprocated", "people/max-weber.md"),
        (&["priya", "coffee", "Coffee at the station"], "Priya Shah", "overdue-touch", "people/priya-shah.md"),
    ];
    for (args, contact, rule, rel) in cases {
        let key = (contact.to_string(), rule.to_string());
        assert!(lint_findings(dir).contains(&key), "{key:?} before logging");
        let before = fs::read(dir.join(rel)).unwrap();
        let mut argv = vec!["log"];
        argv.extend_from_slice(args);
        let run = kith_at(dir, &argv);
        assert_eq!(run.code, 0, "{run:?}");
        let after = fs::read(dir.join(rel)).unwrap();
        let (line, text) = one_line_added(&before, &after);
        assert_eq!(run.stdout, format!("Logged for {contact} in {rel}:{line}: {}\n", text.trim_end()));
        assert!(text.starts_with("- 2026-12-01 #"), "{text}");
        assert!(!lint_findings(dir).contains(&key), "{key:?} after logging");
        assert!(leftovers(&dir.join("people")).is_empty());
    }
    // Newest first: on top of Jana's log, right under its heading.
    let jana = fs::read_to_string(dir.join("people/jana-mueller.md")).unwrap();
    assert!(jana.contains(
        "## Log\n- 2026-12-01 #thanks Card for the intro\n- 2026-12-01 #congrats Sent a note on the promotion\n- 2026-11-20 #news"
    ));
    // Oldest first: at the end of Max's.
    let max = fs::read_to_string(dir.join("people/max-weber.md")).unwrap();
    assert!(max.ends_with(
        "- 2026-11-10 #call Caught up about his move to Hamburg\n- 2026-12-01 #gave Introduced him to a speaker\n"
    ));
    // The agenda has only what is left.
    assert_eq!(agenda_people(dir), ["Jana Müller", "Ines Ortega", "Priya Shah"]);
}

#[test]
fn log_keeps_bom_crlf_and_permissions() {
    let v = vault();
    let before =
        b"\xEF\xBB\xBF---\r\ntype: contact\r\nname: Bo\r\n---\r\n## Log\r\n- 2026-11-20 #got Help\r\n".to_vec();
    let path = write(v.path(), "people/bo.md", &before);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    }
    let run = kith_at(v.path(), &["log", "bo", "thanks", "Card"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "Logged for Bo in people/bo.md:6: - 2026-12-01 #thanks Card\n");
    assert_eq!(
        fs::read(&path).unwrap(),
        b"\xEF\xBB\xBF---\r\ntype: contact\r\nname: Bo\r\n---\r\n## Log\r\n- 2026-12-01 #thanks Card\r\n- 2026-11-20 #got Help\r\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
    }
    assert!(leftovers(&v.path().join("people")).is_empty());
}

#[test]
fn log_starts_a_log_section_and_takes_a_date() {
    let v = vault();
    let path =
        write(v.path(), "people/kim.md", b"---\ntype: contact\nname: Kim Park\n---\n# Kim Park\n\nMet at a meetup.\n");
    let run = kith_at(v.path(), &["log", "--date", "2026-11-30", "kim", "met,gave", "Lunch;", "paid", "for", "it"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "---\ntype: contact\nname: Kim Park\n---\n# Kim Park\n\nMet at a meetup.\n\n## Log\n- 2026-11-30 #met #gave Lunch; paid for it\n"
    );
    let run = kith_at(v.path(), &["log", "--date", "2026-12-02", "kim", "met", "Tomorrow"]);
    assert_eq!(run.code, 2, "a future entry is refused: {run:?}");
    assert!(run.stderr.contains("after today"), "{}", run.stderr);
}

#[test]
fn log_refuses_what_it_cannot_do_safely() {
    let v = vault();
    let dir = v.path();
    write(dir, "people/maria.md", b"---\ntype: contact\nname: Maria Rossi\n---\n");
    let snapshot = || -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(dir.join("people"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| (p.clone(), fs::read(&p).unwrap()))
            .collect();
        files.sort();
        files
    };
    let untouched = snapshot();

    let run = kith_at(dir, &["log", "ma", "thanks", "x"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("could be more than one contact"), "{}", run.stderr);
    assert!(
        run.stderr.contains("Max Weber (people/max-weber.md)") && run.stderr.contains("Maria Rossi (people/maria.md)"),
        "{}",
        run.stderr
    );

    let run = kith_at(dir, &["log", "jnaa", "thanks", "x"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("no contact is called “jnaa” — did you mean:\n  Jana Müller (people/jana-mueller.md)"),
        "{}",
        run.stderr
    );

    let run = kith_at(dir, &["log", "jana", "thnaks", "x"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("did you mean `thanks`?"), "{}", run.stderr);

    let run = kith_at(dir, &["log", "jana", "met", "#gave", "x"]);
    assert_eq!(run.code, 2, "a tag in the text would be a second kind: {run:?}");
    assert_eq!(snapshot(), untouched);

    let bad = b"---\ntype: contact\nname: Bad Bytes\n---\n- 2026-11-01 #met caf\xE9\n".to_vec();
    let path = write(dir, "people/bad.md", &bad);
    let run = kith_at(dir, &["log", "bad bytes", "met", "Hi"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("not valid UTF-8"), "{}", run.stderr);
    assert_eq!(fs::read(&path).unwrap(), bad);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = write(dir, "people/ro.md", b"---\ntype: contact\nname: Read Only\n---\n");
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o444)).unwrap();
        let run = kith_at(dir, &["log", "read only", "met", "Hi"]);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(run.stderr.contains("read-only"), "{}", run.stderr);
        assert_eq!(fs::read(&ro).unwrap(), b"---\ntype: contact\nname: Read Only\n---\n");
    }
    assert!(leftovers(&dir.join("people")).is_empty());
}

#[test]
fn new_creates_a_contact_and_never_clobbers() {
    let v = vault();
    let dir = v.path();
    let run = kith_at(dir, &["new", "Chloé Dubois", "--org", "Acme: Labs", "--cadence", "2m", "--alias", "Chloé"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "people/chloe-dubois.md\n");
    let path = dir.join("people/chloe-dubois.md");
    let created = fs::read_to_string(&path).unwrap();
    assert_eq!(
        created,
        "---\ntype: contact\nname: Chloé Dubois\naliases: [Chloé]\norg: \"Acme: Labs\"\ncadence: 2m\n---\n# Chloé Dubois\n\n## Log\n"
    );
    // A clean note: no findings, and nothing on the agenda.
    let run = kith_at(dir, &["lint", "people/chloe-dubois.md", "--format", "json"]);
    assert_eq!((run.code, json(&run).len()), (0, 0), "{run:?}");
    // The new note takes a log entry under its heading.
    let run = kith_at(dir, &["log", "chloé", "met", "Intro call"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(fs::read_to_string(&path).unwrap().ends_with("## Log\n- 2026-12-01 #met Intro call\n"));
    let logged = fs::read(&path).unwrap();

    // The same name, an alias another contact uses, or a file that exists: refused.
    for args in [
        vec!["new", "Chloé Dubois"],
        vec!["new", "CHLOE", "--alias", "chloé"],
        vec!["new", "Jana M", "--alias", "Jana"],
    ] {
        let run = kith_at(dir, &args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stderr.contains("is already a contact"), "{}", run.stderr);
    }
    let run = kith_at(dir, &["new", "Jana M", "--alias", "Jana"]);
    assert!(run.stderr.contains("people/jana-mueller.md"), "names the existing note: {}", run.stderr);
    write(dir, "people/sam-lee.md", b"# Someone else entirely\n");
    let run = kith_at(dir, &["new", "Sam Lee"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("people/sam-lee.md already exists"), "{}", run.stderr);
    assert_eq!(fs::read(dir.join("people/sam-lee.md")).unwrap(), b"# Someone else entirely\n");
    assert_eq!(fs::read(&path).unwrap(), logged);

    let run = kith_at(dir, &["new", "Noor", "--cadence", "fortnightly"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("not a duration"), "{}", run.stderr);
    assert!(!dir.join("people/noor.md").exists());
    assert!(leftovers(&dir.join("people")).is_empty());
}

/// Names a link cannot spell, and names no file system takes as they are.
#[test]
fn new_warns_of_names_a_link_cannot_reach_and_avoids_device_names() {
    let v = vault();
    let dir = v.path();
    let run = kith_at(dir, &["new", "C# Guru"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "people/c-guru.md\n"), "{run:?}");
    assert!(
        run.stderr.contains("“C# Guru” holds “#”") && run.stderr.contains("[[c-guru]]"),
        "says why and how to link it: {}",
        run.stderr
    );
    // Linked by its file name, as the warning says: no broken link.
    write(dir, "notes/meetup.md", b"- 2026-11-30 #met [[c-guru]] at the meetup\n");
    let run = kith_at(dir, &["lint", "notes/meetup.md", "--format", "json"]);
    assert!(!run.stdout.contains("broken-link"), "{run:?}");
    let run = kith_at(dir, &["new", "Ana Lima"]);
    assert!(run.stderr.is_empty(), "a plain name warns of nothing: {}", run.stderr);
    // `con.md` cannot be checked out on Windows.
    let run = kith_at(dir, &["new", "Con"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "people/con-contact.md\n"), "{run:?}");
    assert!(fs::read_to_string(dir.join("people/con-contact.md")).unwrap().contains("\nname: Con\n"));
}

#[test]
fn new_makes_the_folder_and_finds_the_vault() {
    let v = tempfile::tempdir().unwrap();
    write(v.path(), "kith.toml", b"new-contacts-in = \"crm/people\"\n");
    let elsewhere = tempfile::tempdir().unwrap();
    let vault = v.path().to_str().unwrap();
    let run = kith_at(elsewhere.path(), &["new", "--vault", vault, "Ayşe Yılmaz"]);
    assert_eq!(run.code, 0, "{run:?}");
    let created = fs::canonicalize(v.path()).unwrap().join("crm/people/ayse-yilmaz.md");
    assert_eq!(run.stdout, format!("{}\n", created.display()));
    assert!(created.is_file());
    let run = kith_at(elsewhere.path(), &["log", "--vault", vault, "ayşe", "msg", "Welcome"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "Logged for Ayşe Yılmaz in crm/people/ayse-yilmaz.md:8: - 2026-12-01 #msg Welcome\n");
}

#[test]
fn ledger_table_and_json() {
    let v = vault();
    let run = kith_at(v.path(), &["ledger"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        "\
Contact      Given  Received  Balance    Last touch  Cadence        Next due
Ines Ortega      0         0  even       2026-11-28  90d (default)  2027-02-26 (in 2 months)
Jana Müller      1         1  even       2026-11-02  2m             2027-01-02 (in 4 weeks)
Lea Roth         1         1  even       2026-11-25  90d (default)  2027-02-23 (in 2 months)
Max Weber        0         1  you owe 1  2026-11-10  90d (default)  2027-02-08 (in 2 months)
Omar Haddad      0         1  you owe 1  2026-11-20  90d (default)  2027-02-18 (in 2 months)
Priya Shah       0         0  even       2026-08-14  1m             2026-09-14 (overdue, 2 months ago)
Tom Berger       0         0  even       2026-01-10  90d (default)  snoozed until 2027-01-15

7 contacts · 2 given · 4 received · 2 favours to return
"
    );

    let run = kith_at(v.path(), &["ledger", "--format", "json", "--sort", "balance"]);
    assert_eq!(run.code, 0, "{run:?}");
    let rows = json(&run);
    let first = &rows[0];
    assert_eq!(first["name"], "Max Weber");
    assert_eq!(first["balance"], -1);
    assert_eq!(first["open_debts"][0]["words"], "Reviewed my pitch deck");
    assert_eq!(first["open_debts"][0]["line"], 9);
    let jana = rows.iter().find(|r| r["name"] == "Jana Müller").unwrap();
    assert_eq!(jana["thanks_owed"][0]["date"], "2026-10-15");
    assert_eq!(jana["cadence"], "2m");
    assert_eq!(jana["next_due"], "2027-01-02");
    assert_eq!(jana["follow_ups"][0]["due"], "2026-12-03");

    let run = kith_at(v.path(), &["ledger", "--sort", "due"]);
    let first_row = run.stdout.lines().nth(1).unwrap();
    assert!(first_row.starts_with("Priya Shah"), "most overdue first: {}", run.stdout);
}

/// A vault of one contact note, `people/p.md` (a contact by path), logged
/// to with `kith log p ARGS…`; returns the run and the note afterwards.
fn log_to(before: &[u8], args: &[&str]) -> (Run, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "kith.toml", b"contacts = [\"people/**\"]\n");
    let path = write(dir.path(), "people/p.md", before);
    let mut argv = vec!["log", "p"];
    argv.extend_from_slice(args);
    let run = kith_at(dir.path(), &argv);
    let after = fs::read(&path).unwrap();
    assert!(leftovers(&dir.path().join("people")).is_empty());
    (run, after)
}

/// The block structure of a Markdown text as pulldown-cmark reads it: one
/// line per block, indented by nesting.
fn outline(text: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_FOOTNOTES);
    let body = text.strip_prefix("---\n").and_then(|t| t.find("\n---\n").map(|i| &t[i + 5..])).unwrap_or(text);
    let mut depth = 0;
    let mut out = Vec::new();
    for event in Parser::new_ext(body, options) {
        match event {
            Event::Start(tag) => {
                let label = match &tag {
                    Tag::List(start) => Some(format!("list {start:?}")),
                    Tag::Item => Some("item".into()),
                    Tag::BlockQuote(_) => Some("quote".into()),
                    Tag::Heading { level, .. } => Some(format!("{level}")),
                    Tag::Paragraph => Some("para".into()),
                    Tag::CodeBlock(_) => Some("code".into()),
                    _ => None,
                };
                if let Some(label) = label {
                    out.push(format!("{}{label}", "  ".repeat(depth)));
                }
                depth += 1;
            }
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
    out
}

/// The entry goes where it stays an item of the log: never into a block
/// quote, never splitting one, and a `Log` heading inside a quote or a list
/// item is not the log's heading.
#[test]
fn log_never_splits_a_block_quote() {
    let cases: [(&str, &str); 6] = [
        // A `## Log` inside a quote is quoted text: a new section at the end.
        (
            "> ## Log\n> Kept since 2020\n> - old stuff\n",
            "> ## Log\n> Kept since 2020\n> - old stuff\n\n## Log\n- 2026-12-01 #met X\n",
        ),
        // `- ## Log` is a list item whose text is `## Log`, not a heading of the note.
        ("- ## Log\n\nText\n", "- ## Log\n\nText\n\n## Log\n- 2026-12-01 #met X\n"),
        // A quote right under the heading stays one quote, below the new entry.
        ("## Log\n> Kept since 2020\n> by hand\n", "## Log\n- 2026-12-01 #met X\n> Kept since 2020\n> by hand\n"),
        // Oldest first, the log ends in a quote inside the last entry: after it.
        (
            "## Log\n- 2026-10-01 #met a\n- 2026-11-01 #met b\n  > she said\n  > more\n",
            "## Log\n- 2026-10-01 #met a\n- 2026-11-01 #met b\n  > she said\n  > more\n- 2026-12-01 #met X\n",
        ),
        // Oldest first, a quote of its own follows the log: the entry stays above it.
        (
            "## Log\n- 2026-10-01 #met a\n- 2026-11-01 #met b\n> quote\nlazy\n",
            "## Log\n- 2026-10-01 #met a\n- 2026-11-01 #met b\n- 2026-12-01 #met X\n> quote\nlazy\n",
        ),
        // Entries inside a quote are not entries: the heading decides.
        ("## Log\n\n> - 2026-10-01 #met a\n", "## Log\n- 2026-12-01 #met X\n\n> - 2026-10-01 #met a\n"),
    ];
    for (before, want) in cases {
        let (run, after) = log_to(before.as_bytes(), &["met", "X"]);
        assert_eq!(run.code, 0, "{before:?}: {run:?}");
        let after = String::from_utf8(after).unwrap();
        assert_eq!(after, want, "{before:?}");
        // Every block quote is still there, whole.
        let quotes = |t: &str| outline(t).iter().filter(|l| l.trim() == "quote").count();
        assert_eq!(quotes(&after), quotes(before), "{before:?}\n{after}");
    }
}

/// A numbered log stays one list: the new item takes the marker style and
/// the numbering of its neighbours, so that the list is not split in two.
#[test]
fn log_continues_a_numbered_list() {
    let cases: [(&str, &str); 6] = [
        // Oldest first: the next number.
        (
            "## Log\n1. 2026-10-01 #met a\n2. 2026-11-01 #met b\n",
            "## Log\n1. 2026-10-01 #met a\n2. 2026-11-01 #met b\n3. 2026-12-01 #met X\n",
        ),
        // Newest first: on top, keeping the list's start.
        (
            "## Log\n7) 2026-11-03 #met b\n8) 2026-11-02 #met a\n",
            "## Log\n7) 2026-12-01 #met X\n7) 2026-11-03 #met b\n8) 2026-11-02 #met a\n",
        ),
        // Every item `1.`: so is the new one.
        (
            "## Log\n1. 2026-10-01 #met a\n1. 2026-11-01 #met b\n",
            "## Log\n1. 2026-10-01 #met a\n1. 2026-11-01 #met b\n1. 2026-12-01 #met X\n",
        ),
        // Two digits, CRLF.
        (
            "## Log\r\n9. 2026-10-01 #met a\r\n10. 2026-11-01 #met b\r\n",
            "## Log\r\n9. 2026-10-01 #met a\r\n10. 2026-11-01 #met b\r\n11. 2026-12-01 #met X\r\n",
        ),
        // Bullets: the marker of the list the entry joins, not of the first entry in the note.
        (
            "- 2026-09-01 #met old\n\n## Log\n* 2026-10-01 #met a\n* 2026-11-01 #met b\n",
            "- 2026-09-01 #met old\n\n## Log\n* 2026-10-01 #met a\n* 2026-11-01 #met b\n* 2026-12-01 #met X\n",
        ),
        // A heading with a list below it that has no entries yet: that list's marker.
        ("## Log\n+ met at a meetup\n", "## Log\n+ 2026-12-01 #met X\n+ met at a meetup\n"),
    ];
    for (before, want) in cases {
        let (run, after) = log_to(before.as_bytes(), &["met", "X"]);
        assert_eq!(run.code, 0, "{before:?}: {run:?}");
        let after = String::from_utf8(after).unwrap();
        assert_eq!(after, want, "{before:?}");
        let lists = |t: &str| outline(t).iter().filter(|l| l.trim().starts_with("list")).count();
        assert_eq!(lists(&after), lists(before), "one list still: {before:?}\n{after}");
    }
}

/// A note over `max-file-size` is one kith does not read (spec §6, §4
/// `skipped-file`): `kith log` says so, and why, and writes nothing — not
/// when the note is too large already, and not when the entry would make it so.
#[test]
fn log_refuses_a_note_over_max_file_size() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "kith.toml", b"max-file-size = \"1KB\"\n");
    let mut big = b"---\ntype: contact\nname: Big Bert\n---\n## Log\n- 2026-11-01 #met a\n".to_vec();
    while big.len() <= 1024 {
        big.extend_from_slice(b"A line of notes about Bert.\n");
    }
    let path = write(dir.path(), "people/big-bert.md", &big);
    for query in ["big-bert", "Big", "people/big-bert.md", "Big Bert"] {
        let run = kith_at(dir.path(), &["log", query, "met", "X"]);
        assert_eq!(run.code, 2, "{query}: {run:?}");
        assert!(
            run.stderr.contains("people/big-bert.md is 1.0 KB, more than max-file-size (1.0 KB)")
                || run.stderr.contains(&format!(
                    "people/big-bert.md is {} bytes, more than max-file-size (1024 bytes)",
                    big.len()
                )),
            "{query}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("raise max-file-size in kith.toml"), "{}", run.stderr);
        assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
        assert_eq!(fs::read(&path).unwrap(), big);
    }
    // A note just under the limit that the entry would push over it.
    let mut near = b"---\ntype: contact\nname: Near Nora\n---\n## Log\n- 2026-11-01 #met a\n".to_vec();
    near.resize(1020, b'x');
    near.push(b'\n');
    let path = write(dir.path(), "people/near-nora.md", &near);
    let run = kith_at(dir.path(), &["log", "nora", "met", "Coffee"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("would make people/near-nora.md larger than max-file-size"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(fs::read(&path).unwrap(), near);
    // A contact that is simply not there still hears about the unread notes.
    let run = kith_at(dir.path(), &["log", "zed", "met", "X"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("no contact is called “zed”"), "{}", run.stderr);
    assert!(run.stderr.contains("1 note larger than max-file-size"), "{}", run.stderr);
}

/// Front matter `kith new` wrote, as kith's own YAML reader reads it.
fn front_of(text: &str) -> kithkin::engine::note::FrontMatter {
    use kithkin::engine::config::Config;
    use kithkin::engine::note::{Note, Origin};
    Note::parse("people/x.md", text.to_string(), Origin::default(), &Config::default()).front
}

/// Names that YAML 1.1 or 1.2 would read as something else than a string
/// (a boolean, null, a number, a date, a merge key, an alias, a tag, a
/// block scalar, a comment, a mapping) are written so that they read back
/// as exactly the name — and quoted, so that YAML 1.1 readers (PyYAML,
/// older Obsidian plugins) read a string too.
#[test]
fn new_writes_any_name_so_that_it_reads_back() {
    let needs_quotes = [
        "yes",
        "No",
        "ON",
        "off",
        "y",
        "N",
        "True",
        "FALSE",
        "null",
        "Null",
        "~",
        "<<",
        "=",
        "1:20",
        "190:20:30",
        "1e3",
        "0x1F",
        "0o17",
        "0b101",
        "1_000",
        "+1",
        ".5",
        ".inf",
        "-.inf",
        ".NaN",
        "2026-01-02",
        "2001-12-14t21:59:43.10-05:00",
        "&anchor",
        "*alias",
        "!tag",
        "|block",
        ">folded",
        "%directive",
        "@at",
        "`tick",
        "- dash",
        "? question",
        ": colon",
        "Acme #1 fan",
        "Acme: Labs",
        "ends with colon:",
        "'single'",
        "\"double\"",
        "a, b",
        "[x]",
        "{y}",
        "#hash",
    ];
    let plain = [
        "Jana Müller",
        "Zoë",
        "O'Brien",
        "Ayşe Yılmaz",
        "王伟",
        "Иван Петров",
        "Søren 🎨 Hansen",
        "NaN",
        "Mr. Smith",
        "C# Guild",
        "AT&T",
        "back\\slash \"quoted\"",
    ];
    for name in needs_quotes.iter().chain(&plain) {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "kith.toml", b"");
        let alias = format!("{name} (alias)");
        let (org, first, second) = (format!("--org={name}"), format!("--alias={name}"), format!("--alias={alias}"));
        let run = kith_at(dir.path(), &["new", &org, &first, &second, "--", name]);
        assert_eq!(run.code, 0, "{name:?}: {run:?}");
        let file = dir.path().join(run.stdout.trim_end());
        let text = fs::read_to_string(&file).unwrap();
        let front = front_of(&text);
        assert_eq!(front.name.as_ref().map(|n| n.value.as_str()), Some(*name), "{text}");
        assert_eq!(front.org.as_deref(), Some(*name), "{text}");
        let aliases: Vec<&str> = front.aliases.iter().map(|a| a.value.as_str()).collect();
        assert_eq!(aliases, [*name, alias.as_str()], "{text}");
        let line = text.lines().find(|l| l.starts_with("name: ")).unwrap();
        if needs_quotes.contains(name) {
            assert!(line.starts_with("name: \"") || line.starts_with("name: '"), "{name:?} unquoted: {line}");
        } else {
            assert_eq!(line, format!("name: {name}"), "needlessly quoted");
        }
        // A clean note: the linter finds nothing wrong with it.
        let run = kith_at(dir.path(), &["lint", "--format", "json"]);
        assert_eq!((run.code, json(&run).len()), (0, 0), "{name:?}: {run:?}\n{text}");
    }
}

/// Invisible characters in a name make it look like another (a bidi
/// override turns `Jana` around, a zero-width space hides in `Jana`): `kith
/// new` refuses them, naming the character, and writes nothing. So does
/// `kith log` in an entry's text, where a tab is still just white space.
#[test]
fn new_and_log_refuse_invisible_characters() {
    let v = vault();
    let dir = v.path();
    let cases = [
        ("Jana\tMüller", "a tab (U+0009)"),
        ("Jana\nMüller", "a line break (U+000A)"),
        ("Jana\u{85}Müller", "a line break (U+0085)"),
        ("Jana\u{2028}Müller", "a line break (U+2028)"),
        ("Jana\u{1b}[31mMüller", "a control character (U+001B)"),
        ("Jana\u{9b}Müller", "a control character (U+009B)"),
        ("Jana \u{202E}rellüM", "a bidirectional control (U+202E)"),
        ("Jana \u{2067}Müller", "a bidirectional control (U+2067)"),
        ("Jana\u{200B}Müller", "a zero-width space (U+200B)"),
        ("\u{FEFF}Jana Müller", "a byte order mark (U+FEFF)"),
    ];
    for (name, what) in cases {
        for args in [
            vec!["new", "--", name],
            vec!["new", "Nina Novak", "--alias", name],
            vec!["new", "Nina Novak", "--org", name],
        ] {
            let run = kith_at(dir, &args);
            assert_eq!(run.code, 2, "{args:?}: {run:?}");
            assert!(run.stderr.contains(what), "{args:?}: {}", run.stderr);
            assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
        }
    }
    let run = kith_at(dir, &["new", "Jana \u{202E}rellüM"]);
    assert!(run.stderr.contains("“Jana \\u{202E}rellüM”"), "the character is shown: {}", run.stderr);
    assert!(leftovers(&dir.join("people")).is_empty());
    assert_eq!(fs::read_dir(dir.join("people")).unwrap().count(), 7, "no note was created");

    let jana = fs::read(dir.join("people/jana-mueller.md")).unwrap();
    for text in ["Card\u{202E}", "Card\u{1b}[2J", "Card\u{200B}"] {
        let run = kith_at(dir, &["log", "jana", "thanks", text]);
        assert_eq!(run.code, 2, "{text:?}: {run:?}");
        assert!(run.stderr.contains("the text"), "{}", run.stderr);
        assert_eq!(fs::read(dir.join("people/jana-mueller.md")).unwrap(), jana);
    }
    // Joiners belong to emoji and several scripts, and a tab is white space in a text.
    let run = kith_at(dir, &["log", "jana", "thanks", "Card\tfrom 👩\u{200D}💻 Mehr\u{200C}dad"]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = kith_at(dir, &["new", "Mehr\u{200C}dad 👩\u{200D}💻"]);
    assert_eq!(run.code, 0, "{run:?}");
}

/// Where `new-contacts-in` leads somewhere the vault does not read (spec §7:
/// symbolic links are not followed, hidden folders are not read), `kith new`
/// says so: a link out of the vault is refused, a link inside it is
/// resolved, a hidden folder gets a warning; an existing file is never
/// overwritten, and the message names it.
#[cfg(unix)]
#[test]
fn new_checks_where_new_contacts_in_leads() {
    // A link out of the vault.
    let v = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    write(v.path(), "kith.toml", b"");
    std::os::unix::fs::symlink(outside.path(), v.path().join("people")).unwrap();
    let run = kith_at(v.path(), &["new", "Ana Lima"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("people is a symbolic link to"), "{}", run.stderr);
    assert!(run.stderr.contains("outside the vault"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
    // The same for a link further up, with the folder below it still to make.
    write(v.path(), "kith.toml", b"new-contacts-in = \"people/new\"\n");
    let run = kith_at(v.path(), &["new", "Ana Lima"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("outside the vault"), "{}", run.stderr);
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0, "no folder made out there");

    // A link inside the vault: the note goes where the vault reads it.
    let v = tempfile::tempdir().unwrap();
    write(v.path(), "kith.toml", b"");
    fs::create_dir_all(v.path().join("crm/contacts")).unwrap();
    std::os::unix::fs::symlink(v.path().join("crm/contacts"), v.path().join("people")).unwrap();
    let run = kith_at(v.path(), &["new", "Ana Lima"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "crm/contacts/ana-lima.md\n");
    let run = kith_at(v.path(), &["log", "ana", "met", "Coffee"]);
    assert_eq!(run.code, 0, "the vault sees the note: {run:?}");

    // A hidden folder: written, with a warning that kith will not read it.
    for folder in [".people", "people/.archive"] {
        let v = tempfile::tempdir().unwrap();
        write(v.path(), "kith.toml", format!("new-contacts-in = \"{folder}\"\n").as_bytes());
        let run = kith_at(v.path(), &["new", "Ana Lima"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert!(v.path().join(folder).join("ana-lima.md").is_file());
        assert!(run.stderr.contains("hidden folder"), "{}", run.stderr);
        assert!(run.stderr.contains("kith will not read"), "{}", run.stderr);
    }

    // An existing file, even an empty one or a dangling link, is kept, and named.
    let v = tempfile::tempdir().unwrap();
    write(v.path(), "kith.toml", b"");
    write(v.path(), "people/ana-lima.md", b"");
    std::os::unix::fs::symlink("nowhere.md", v.path().join("people/bo-li.md")).unwrap();
    for (name, rel) in [("Ana Lima", "people/ana-lima.md"), ("Bo Li", "people/bo-li.md")] {
        let run = kith_at(v.path(), &["new", name]);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(run.stderr.contains(&format!("{rel} already exists")), "{}", run.stderr);
    }
    assert_eq!(fs::read(v.path().join("people/ana-lima.md")).unwrap(), b"");
    assert!(fs::symlink_metadata(v.path().join("people/bo-li.md")).unwrap().file_type().is_symlink());
}

/// A name in a script without an ASCII spelling keeps its letters in the
/// file name instead of every such contact becoming `contact.md`; a name
/// typed decomposed (NFD, as macOS may hand it over) spells like the composed one.
#[test]
fn new_file_names_keep_every_script() {
    let v = tempfile::tempdir().unwrap();
    write(v.path(), "kith.toml", b"");
    for (name, file) in [
        ("王伟", "people/王伟.md"),
        ("Иван Петров", "people/иван-петров.md"),
        ("Ελένη Παππά", "people/ελένη-παππά.md"),
        ("Jana Mu\u{308}ller", "people/jana-mueller.md"),
        ("Zoë 🎨 Ng", "people/zoe-ng.md"),
    ] {
        let run = kith_at(v.path(), &["new", name]);
        assert_eq!((run.code, run.stdout.trim_end()), (0, file), "{name:?}: {run:?}");
        let query = name.split_whitespace().next().unwrap();
        let run = kith_at(v.path(), &["log", query, "met", "Hello"]);
        assert_eq!(run.code, 0, "{name:?}: {run:?}");
    }
}

/// A query that is one contact's whole name and another's file name is
/// ambiguous; the message says how to pick either, by path — and the path works.
#[test]
fn log_says_how_to_pick_among_contacts_of_one_name() {
    let v = tempfile::tempdir().unwrap();
    write(v.path(), "kith.toml", b"contacts = [\"people/**\"]\n");
    write(v.path(), "people/jana.md", b"---\nname: Jana M\xC3\xBCller\n---\n");
    write(v.path(), "people/jana-2.md", b"---\nname: Jana\n---\n");
    let run = kith_at(v.path(), &["log", "jana", "met", "X"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("or the note's path (`kith log people/jana-2.md …`)"), "{}", run.stderr);
    let run = kith_at(v.path(), &["log", "people/jana-2.md", "met", "X"]);
    assert_eq!(run.stdout, "Logged for Jana in people/jana-2.md:5: - 2026-12-01 #met X\n", "{run:?}");
}
