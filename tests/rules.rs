//! Fixture tests for every rule and every edge of the spec.
//!
//! A fixture is a small vault in one string: `//- /path` starts a file, and
//! an annotation line `^^^ level: rule` marks a finding on the line above it,
//! starting at the first caret's column (in characters). One caret marks the
//! start only; several mark the exact range on that line. Annotation lines
//! are removed before kith reads the file. The findings must match the
//! annotations exactly: none missed, none extra.

use kithkin::engine::analysis::analyze;
use kithkin::engine::config::Config;
use kithkin::engine::text::Encoding;
use kithkin::engine::vault::{SourceFile, Vault};
use kithkin::engine::{Date, names};

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Mark {
    path: String,
    line: u32,
    col: u32,
    end_col: Option<u32>,
    level: String,
    rule: String,
}

fn parse_fixture(fixture: &str) -> (Vec<(String, String)>, Vec<Mark>) {
    let mut files: Vec<(String, String)> = Vec::new();
    let mut marks = Vec::new();
    let mut line_no: u32 = 0;
    for line in fixture.lines() {
        if let Some(path) = line.strip_prefix("//- /") {
            files.push((path.trim().to_string(), String::new()));
            line_no = 0;
            continue;
        }
        let Some((path, text)) = files.last_mut() else { continue };
        let trimmed = line.trim_start();
        if trimmed.starts_with('^') && trimmed.contains(": ") {
            let col = line.chars().take_while(|c| *c == ' ').count() as u32;
            let carets = trimmed.chars().take_while(|c| *c == '^').count() as u32;
            let (level, rule) = trimmed[carets as usize..].trim().split_once(": ").expect("level: rule");
            marks.push(Mark {
                path: path.clone(),
                line: line_no - 1,
                col,
                end_col: (carets > 1).then_some(col + carets),
                level: level.to_string(),
                rule: rule.trim().to_string(),
            });
            continue;
        }
        text.push_str(line);
        text.push('\n');
        line_no += 1;
    }
    (files, marks)
}

fn vault_of(files: Vec<(String, String)>) -> Vault {
    let config = files
        .iter()
        .find(|(p, _)| p == "kith.toml")
        .map(|(_, t)| Config::parse(t).expect("fixture kith.toml parses"))
        .unwrap_or_default();
    let mut notes = Vec::new();
    let mut others = Vec::new();
    for (path, text) in files {
        // As the walk does: excluded notes are not read, only kept as link targets.
        if names::is_markdown(&path) && !config.exclude.matches_file(&path) {
            notes.push(SourceFile { path, text, origin: Default::default() });
        } else {
            others.push(path);
        }
    }
    Vault::build(config, notes, others)
}

fn today(s: &str) -> Date {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[track_caller]
fn check(today_s: &str, fixture: &str) {
    let (files, mut expected) = parse_fixture(fixture);
    let vault = vault_of(files);
    let findings = analyze(&vault, today(today_s));
    let mut actual: Vec<Mark> = Vec::new();
    let mut messages = Vec::new();
    for f in &findings {
        let note = vault.by_path(&f.path).unwrap();
        let start = note.lines.line_col(&note.text, f.range.start, Encoding::Chars);
        let end = note.lines.line_col(&note.text, f.range.end, Encoding::Chars);
        let mark = Mark {
            path: f.path.to_string(),
            line: start.line,
            col: start.col,
            end_col: Some(if end.line == start.line { end.col } else { u32::MAX }),
            level: f.level.name().to_string(),
            rule: f.rule.name().to_string(),
        };
        messages.push(format!("{}:{}:{} {} {}", f.path, start.line + 1, start.col + 1, f.rule, f.message));
        actual.push(mark);
    }
    // Marks with one caret do not check the end.
    for a in &mut actual {
        if let Some(e) =
            expected.iter().find(|e| e.path == a.path && e.line == a.line && e.col == a.col && e.rule == a.rule)
        {
            if e.end_col.is_none() {
                a.end_col = None;
            }
        }
    }
    expected.sort();
    actual.sort();
    assert_eq!(actual, expected, "\nfindings:\n{}\n", messages.join("\n"));
}

/// Messages of all findings, for checks on wording.
fn messages(today_s: &str, fixture: &str) -> Vec<String> {
    let (files, _) = parse_fixture(fixture);
    let vault = vault_of(files);
    analyze(&vault, today(today_s)).into_iter().map(|f| format!("{}: {}", f.rule, f.message)).collect()
}

#[test]
fn missing_thanks_window_is_more_than_three_days() {
    check(
        "2026-11-30",
        r##"
//- /people/jana.md
---
type: contact
---
- 2026-11-27 #got Lent me a book
- 2026-11-26 #got Introduced me to [[Max]]
  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning: missing-thanks
//- /people/max.md
---
type: contact
---
"##,
    );
}

#[test]
fn thanks_close_the_oldest_and_are_not_saved_up() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
---
- 2026-10-01 #thanks Thanked before anything happened
- 2026-10-02 #got Intro to Max
- 2026-10-03 #got Reviewed my CV
  ^ warning: missing-thanks
- 2026-10-04 #thanks Card
- 2026-10-05 #gave Reviewed her talk
- 2026-10-05 #gave Shared a lead
"##,
    );
}

#[test]
fn same_day_entries_count_in_file_order() {
    // A newest-first log that puts the #thanks above the #got of the same
    // day: the #thanks comes first and closes nothing.
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
---
- 2026-11-02 #gave Coffee on me
- 2026-11-01 #thanks Said thanks
- 2026-11-01 #got Intro to Max
  ^ warning: missing-thanks
"##,
    );
}

#[test]
fn credit_before_debt_and_reciprocation_window() {
    check(
        "2026-12-01",
        r##"
//- /kith.toml
reciprocate-within = "30d"
//- /people/jana.md
---
type: contact
---
- 2026-09-01 #gave Reviewed her talk
- 2026-09-02 #got Intro to Max
- 2026-09-03 #thanks Card
//- /people/tom.md
---
type: contact
---
- 2026-09-02 #got #thanks Intro to Beta
- 2026-10-31 #got #thanks Lent me a camera
  ^ warning: unreciprocated
- 2026-11-01 #got #thanks Helped me move: not yet more than 30 days
- 2026-11-01 #gave Returned the first favour
"##,
    );
}

#[test]
fn several_tags_act_in_order() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
---
- 2026-09-02 #got #thanks Intro to Max, thanked on the spot
- 2026-09-05 #news #congrats New job, congratulated right away
- 2026-09-06 #thanks #got Thanked first, then got a favour
  ^ warning: missing-thanks
"##,
    );
}

#[test]
fn congratulate_window_and_fifo() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
---
- 2026-11-20 #news Promoted to Head of Design
- 2026-11-23 #news Won an award
  ^ warning: congratulate
- 2026-11-24 #news Gave a keynote
- 2026-11-25 #congrats Sent a note
"##,
    );
}

#[test]
fn overdue_touch_cadence_snooze_and_placement() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
name: Jana Müller
type: contact
cadence: 2m
^^^^^^^^^^^ warning: overdue-touch
---
- 2026-09-30 #met Coffee
- 2026-11-24 #news Promoted
//- /people/kai.md
---
type: contact
cadence: 2m
---
- 2026-10-01 #met Exactly two months ago: not yet overdue
//- /people/lea.md
---
type: contact
name: Lea
^^^^^^^^^ warning: overdue-touch
---
- 2026-09-01 #msg Default cadence is 90 days
//- /people/mo.md
---
^^^ warning: overdue-touch
type: contact
---
- 2026-08-01 #like Liked a post
//- /people/snoozed.md
---
type: contact
snooze: 2026-12-01
---
- 2026-01-01 #met Long ago, snoozed through today
//- /people/never.md
---
type: contact
---
No touch at all: not reported.
"##,
    );
}

#[test]
fn calendar_months_clamp_to_month_end() {
    // 31 Aug + 1m = 30 Sep: reported on 1 Oct, not on 30 Sep.
    let fixture = r##"
//- /people/jana.md
---
type: contact
cadence: 1m
---
- 2026-08-31 #met Coffee
"##;
    check("2026-09-30", fixture);
    assert_eq!(messages("2026-10-01", fixture).len(), 1);
}

#[test]
fn birthday_soon_window_and_leap_day() {
    let fixture = r##"
//- /people/jana.md
---
type: contact
birthday: 1988-12-08
^^^^^^^^^^^^^^^^^^^^ info: birthday-soon
---
//- /people/leap.md
---
type: contact
birthday: --02-29
---
//- /people/far.md
---
type: contact
birthday: --12-09
---
"##;
    check("2026-12-01", fixture);
    let jana = &messages("2026-12-01", fixture)[0];
    assert!(
        jana.ends_with("birthday is in 7 days (Tue 8 Dec, turning 38) — a short message goes a long way"),
        "{jana}"
    );
    // A birth year still to come (a typo, most likely) tells no age.
    for year in ["2026", "2027"] {
        let fixture = format!("//- /people/kim.md\n---\ntype: contact\nbirthday: {year}-12-03\n---\n");
        let kim = &messages("2026-12-01", &fixture)[0];
        assert!(kim.ends_with("kim's birthday is in 2 days (Thu 3 Dec) — a short message goes a long way"), "{kim}");
    }
    let leap = r##"
//- /people/leap.md
---
type: contact
birthday: --02-29
^ info: birthday-soon
---
"##;
    check("2027-02-21", leap);
    check(
        "2027-02-20",
        r##"
//- /people/leap.md
---
type: contact
birthday: --02-29
---
"##,
    );
}

#[test]
fn follow_ups() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
---
- [ ] 2026-11-30 Send the design-systems article
  ^ warning: follow-up-due
- [ ] 2026-12-01 Due today: not yet
- [x] 2026-11-01 Done
- [-] 2026-11-01 Cancelled
- [>] 2026-11-02 Forwarded is still open
  ^ warning: follow-up-due
- [ ] Ask how the school start went
//- /journal/notes.md
- [ ] 2026-11-01 Tasks of ordinary notes are not follow-ups
"##,
    );
}

/// A task whose text starts with a date is due on it, whatever punctuation
/// follows the date; a date elsewhere in the text is not a due date (§3:
/// "A task whose text starts with a date").
#[test]
fn follow_up_dates_followed_by_punctuation() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
---
- [ ] 2026-11-30: Send Jana the deck
  ^ warning: follow-up-due
- [ ] 2026-11-29, then the article
  ^ warning: follow-up-due
- [ ] 2026-11-28. Call about the talk
  ^ warning: follow-up-due
- [ ] 2026-11-27
  ^ warning: follow-up-due
- [ ] 2026-11-26) odd, but starts with a date
  ^ warning: follow-up-due
- [ ] 2026-02-30: not a real day
      ^ error: invalid-date
- [ ] Send Jana the deck by 2026-11-30.
- [ ] (2026-11-30) send the deck
- [ ] 📅 2026-11-30, send the deck
- [ ] 2026-11-301 is not a date
- 2026-11-02: #got the date is read, but `:` stands before the tag: no entry
"##,
    );
    let said =
        messages("2026-12-01", "//- /people/jana.md\n---\ntype: contact\n---\n- [ ] 2026-11-30: Send Jana the deck\n");
    assert_eq!(said, ["follow-up-due: Follow up with jana: “Send Jana the deck” was due 2026-11-30 (yesterday)"]);
}

#[test]
fn asks_must_say_how_and_not_come_out_of_silence() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
cadence: 1m
---
- 2026-08-01 #met Coffee
- 2026-08-20 #ask Intro to Beta. HOW: forward my CV to Tom
- 2026-11-20 #ask Feedback on my deck
  ^ info: vague-ask
  ^ info: ask-after-silence
- 2026-11-25 #msg Sent the deck
- 2026-11-26 #news New job
- 2026-11-28 #ask Another ask. how: a 15-minute call
//- /people/tom.md
---
type: contact
---
- 2026-11-01 #ask First ever contact is an ask. how: a call
  ^ info: ask-after-silence
"##,
    );
}

#[test]
fn ask_after_silence_ignores_same_day_and_other_asks() {
    check(
        "2026-12-01",
        r##"
//- /kith.toml
[rules]
vague-ask = "off"
//- /people/jana.md
---
type: contact
---
- 2026-11-01 #ask First
  ^ info: ask-after-silence
- 2026-11-10 #met Coffee the same day
- 2026-11-10 #ask Second: a touch of the same day does not count
  ^ info: ask-after-silence
- 2026-11-20 #ask Third, touched 10 days ago
"##,
    );
}

/// The message says what is on record: nothing, asks and news only, or a
/// touch of the same day.
#[test]
fn ask_after_silence_says_what_is_on_record() {
    let fixture = |log: &str| {
        format!("//- /kith.toml\n[rules]\nvague-ask = \"off\"\n//- /people/jana.md\n---\ntype: contact\n---\n{log}")
    };
    let said = |log: &str| -> Vec<String> {
        messages("2026-12-01", &fixture(log)).into_iter().filter(|m| m.starts_with("ask-after-silence")).collect()
    };
    assert_eq!(
        said("- 2026-11-06 #ask First\n"),
        [
            "ask-after-silence: This ask is the first touch with jana on record — relationships run on getting in touch when you need nothing, too"
        ]
    );
    assert_eq!(
        said("- 2026-11-06 #ask First\n- 2026-11-08 #news Moved\n- 2026-11-09 #ask Second\n")[1],
        "ask-after-silence: Before this ask, your log with jana holds only asks and news — relationships run on getting in touch when you need nothing, too"
    );
    assert_eq!(
        said("- 2026-11-12 #met Lunch\n- 2026-11-12 #ask At lunch\n"),
        [
            "ask-after-silence: Your only other touch with jana is from the day of this ask — relationships run on getting in touch when you need nothing, too"
        ]
    );
}

/// The silence is the spec's window: asks and news in it are no touch, and
/// neither is a touch of the ask's own day. The message says which.
#[test]
fn ask_after_silence_says_how_the_silence_was_kept() {
    let fixture = |log: &str| {
        format!("//- /kith.toml\n[rules]\nvague-ask = \"off\"\n//- /people/jana.md\n---\ntype: contact\n---\n{log}")
    };
    let said = |log: &str| -> Vec<String> {
        messages("2026-12-01", &fixture(log)).into_iter().filter(|m| m.starts_with("ask-after-silence")).collect()
    };
    let tail = " — keep in touch when you need nothing, too";
    assert_eq!(
        said("- 2026-03-01 #met Dinner\n- 2026-11-25 #ask Intro\n"),
        [format!(
            "ask-after-silence: You asked jana for help after 8 months without a word (last touch 2026-03-01){tail}"
        )]
    );
    assert_eq!(
        said("- 2026-03-01 #met Dinner\n- 2026-11-25 #ask Intro\n- 2026-11-27 #ask Feedback\n")[1],
        format!(
            "ask-after-silence: You asked jana for help after 9 months in which you only asked (last other touch 2026-03-01){tail}"
        )
    );
    // News is theirs, not a word from you: still "without a word".
    assert_eq!(
        said("- 2026-03-01 #met Dinner\n- 2026-11-20 #news New job\n- 2026-11-25 #ask Intro\n"),
        [format!(
            "ask-after-silence: You asked jana for help after 8 months without a word (last touch 2026-03-01){tail}"
        )]
    );
    assert_eq!(
        said("- 2026-03-01 #met Dinner\n- 2026-11-25 #met Lunch\n- 2026-11-25 #ask At lunch\n"),
        [format!(
            "ask-after-silence: You asked jana for help after 8 months without a word before that day (last touch 2026-03-01){tail}"
        )]
    );
    assert_eq!(
        said(
            "- 2026-03-01 #met Dinner\n- 2026-11-20 #ask Intro\n- 2026-11-25 #met Lunch\n- 2026-11-25 #ask At lunch\n"
        )[1],
        format!(
            "ask-after-silence: You asked jana for help after 8 months in which you only asked before that day (last other touch 2026-03-01){tail}"
        )
    );
    // A second ask of the same day has the first on record.
    assert_eq!(
        said("- 2026-11-06 #ask First\n- 2026-11-06 #ask Second\n")[1],
        "ask-after-silence: Before this ask, your log with jana holds only asks and news — relationships run on getting in touch when you need nothing, too"
    );
}

#[test]
fn front_matter_types_and_positions() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
name: [Jana]
      ^^^^^^ error: front-matter
aliases: [Jana M., 42, {x: y}]
                   ^^ error: front-matter
                       ^^^^^^ error: front-matter
phone: +49 30 1234567
cadence: every two months
         ^^^^^^^^^^^^^^^^ error: front-matter
birthday: April
          ^^^^^ error: front-matter
snooze: 2026-02-30
        ^^^^^^^^^^ error: invalid-date
org: 12
email: true
       ^^^^ error: front-matter
kith:
  ignore: [unreciprocated, no-such-rule]
                           ^^^^^^^^^^^^ error: front-matter
cadence: 2m
^^^^^^^ error: front-matter
---
"##,
    );
}

#[test]
fn yaml_errors_are_placed_where_the_parser_stops() {
    check(
        "2026-12-01",
        r##"
//- /people/a.md
---
type: contact
name: Jana
  role: x
      ^ error: front-matter
---
//- /people/b.md
---
type: contact
name: "Jana
---
^^^ error: front-matter
//- /people/c.md
---
type: contact
- just a list
  ^ error: front-matter
---
//- /people/d.md
---
^^^ error: front-matter
type: contact
no closing delimiter
"##,
    );
}

#[test]
fn front_matter_must_be_a_mapping() {
    check(
        "2026-12-01",
        r##"
//- /notes/list.md
---
- a
^ error: front-matter
- b
---
//- /notes/empty.md
---
---
Empty front matter is fine.
"##,
    );
}

#[test]
fn key_typos_only_in_contact_notes() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
cadance: 2m
^^^^^^^ warning: key-typo
nmae: Jana
^^^^ warning: key-typo
Org: Acme
birthdya: --12-31
^ warning: key-typo
tag: [x]
^ warning: key-typo
mail: jana@example.org
^ warning: key-typo
favourite-food: Ramen
nm: two edits from a four-letter key is not a typo
---
//- /notes/plain.md
---
cadance: 2m
---
"##,
    );
}

#[test]
fn unknown_kinds_and_kind_aliases() {
    check(
        "2026-12-01",
        r##"
//- /kith.toml
[kinds]
coffee = "met"
danke = "thanks"
//- /people/jana.md
---
type: contact
---
- 2026-11-20 #got Intro to Max
- 2026-11-21 #Danke Card
- 2026-11-22 #COFFEE Catch-up
- 2026-11-23 #thnaks Typo
             ^^^^^^^ warning: unknown-kind
- 2026-11-24 #cofee Typo of an alias
             ^ warning: unknown-kind
- 2026-11-25 #work #met Not a kind, not near one: ignored, not an entry
- 2026-11-26 #mte #met One typo, one kind
             ^ warning: unknown-kind
- Some #thnaks in free text is nothing
"##,
    );
}

/// §7: kind tags follow an item's leading date in a contact note; in an
/// ordinary note they may stand without one, but the item must be dated (by
/// the note) and link somewhere (a broken link is most likely a contact
/// misspelt). Elsewhere a tag is the writer's own.
#[test]
fn unknown_kind_only_where_kind_tags_stand() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
---
- 2026-11-20 #thnaks Dated entry in a contact note
             ^^^^^^^ warning: unknown-kind
- #thnaks [[Max]] undated, in a contact note: no entry, no kind tags
- #thnaks undated, no link
- [ ] 2026-12-05 #thnaks a task is never an entry
Some text 2026-11-20 #thnaks not a list item
//- /people/max.md
---
type: contact
---
//- /journal/2026-11-20.md
- #thnaks [[Jana]] dated by the file name, links a contact
  ^^^^^^^ warning: unknown-kind
- 2026-11-19 #thnaks went hiking, links nobody: no entry for anyone
- #thnaks [[Ideas]] links a note: where a link leads is not asked
  ^^^^^^^ warning: unknown-kind
- #thnaks ![[Jana]] an embed is no link to a contact
//- /notes/ideas.md
- #thnaks [[Jana]] no date anywhere: not an entry
"##,
    );
}

/// §7: entries and tasks are not inside block quotes, so a quoted item is
/// neither: no `unknown-kind`, no `invalid-date`, no follow-up, no ledger.
#[test]
fn quoted_items_are_neither_entries_nor_tasks() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
---
- 2026-11-01 #met Coffee
> - 2026-11-20 #thnaks quoted typo
> - 2026-02-30 #met quoted impossible day
> - [ ] 2026-11-02 quoted task
> - [ ] 2026-02-30 quoted task, impossible day
> - 2026-11-03 #got quoted favour
- > 2026-11-21 #thnaks a quote as the item's first paragraph
- > 2026-02-31 #met likewise
- Meeting notes
  > - 2026-11-22 #thnaks nested in a quote in an item
  > - 2026-11-31 #met likewise
>> - 2026-11-23 #thnaks quote in a quote
//- /journal/2026-11-20.md
> - #thnaks [[Jana]] quoted in an ordinary note
> - 2026-02-30 #met [[Jana]] likewise
"##,
    );
}

#[test]
fn invalid_and_future_dates() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
---
- 2026-02-30 #thanks Never counts
  ^^^^^^^^^^ error: invalid-date
- 2026-12-02 #met Tomorrow
  ^ warning: future-entry
- 2026-12-01 #met Today is fine
- [ ] 2026-13-01 A task with an impossible date
      ^ error: invalid-date
- 2026-11-31 plain dated line
  ^ error: invalid-date
"##,
    );
}

/// An entry in an ordinary note that links two contacts is about both:
/// `kith.ignore: [future-entry]` in either contact's note silences its
/// `future-entry`, as each contact's `kith.ignore` silences the findings about it.
#[test]
fn future_entry_linking_two_contacts_is_silenced_by_either() {
    check(
        "2026-12-01",
        r##"
//- /people/ada.md
---
type: contact
---
//- /people/ben.md
---
type: contact
kith:
  ignore: [future-entry]
---
//- /people/cleo.md
---
type: contact
---
//- /journal/2026-11-20.md
- 2026-12-05 #met [[Ada]] and [[Ben]]
- 2026-12-06 #met [[Ben]] and [[Ada]]
- 2026-12-07 #met [[Ada]] and [[Cleo]]
  ^ warning: future-entry
- 2026-12-08 #met [[Ada]] and ![[Ben]]
  ^ warning: future-entry
"##,
    );
}

#[test]
fn future_entries_take_no_part_in_the_ledger() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
---
- 2026-11-01 #got Intro
  ^ warning: missing-thanks
- 2027-11-02 #thanks Typo in the year
  ^ warning: future-entry
"##,
    );
}

#[test]
fn links_resolve_by_path_file_name_name_and_alias() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
name: Jana Müller
aliases: [J. M.]
---
//- /photos/face.png
//- /templates/person.md
//- /kith.toml
exclude = ["templates/**"]
//- /notes/links.md
[[people/jana]] [[jana]] [[JANA MÜLLER]] [[Jana Müller]] [[j. m.]] [[Jana Müller|her]] [[Jana Müller#Log]]
[[face.png]] [[photos/face.png]] [[person]] [[jana.md]] ![[face.png]] [[#Local heading]]
[[Nobody]] and [[photo.jpg]]
^^^^^^^^^^ warning: broken-link
               ^^^^^^^^^^^^^ warning: broken-link
\[[Escaped]] shows its brackets; \\[[Not escaped]] is a link.
                                   ^^^^^^^^^^^^^^^ warning: broken-link
`[[In code]]` is text.
```
[[In a fence]]
```
    [[Indented code]]
"##,
    );
}

#[test]
fn excluded_files_and_attachments_are_targets_in_the_path_and_file_name_steps() {
    // Spec §7, Links: path, then file name, then `name`, then alias; within
    // one step the first by path wins; excluded files are still targets by
    // path and file name. So an excluded `templates/Jana.md` takes `[[Jana]]`
    // at the file-name step, before the contact whose `name` is Jana, and an
    // excluded `archive/ben.md` comes before `people/ben.md` by path.
    check(
        "2026-12-01",
        r##"
//- /kith.toml
exclude = ["templates/**", "archive/**"]
//- /templates/Jana.md
//- /archive/ben.md
//- /people/jm.md
---
type: contact
name: Jana
---
- 2026-11-01 #met Coffee
//- /people/ben.md
---
type: contact
---
- 2026-11-01 #met Lunch
//- /people/zoe.md
---
type: contact
name: Zoë
---
- 2026-11-01 #met Walk
//- /attachments/zoe.png
//- /journal/2026-11-20.md
- #got [[Jana]] an intro: the excluded template's file name, not the contact
- #got [[ben]] a book: archive/ben.md is first by path
- #got [[Zoë]] a lift: no file is called Zoë
  ^ warning: missing-thanks
- #got [[zoe.png]] not a note at all
"##,
    );
}

#[test]
fn entries_in_ordinary_notes_are_reported_there() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
---
- 2026-11-01 #met Coffee
//- /journal/2026-11-20.md
- #got [[Jana]] introduced me to Max
- 2026-11-21 #thanks [[Jana]] card for the intro
- 2026-11-22 #got [[Jana]] reviewed my deck
  ^ warning: missing-thanks
- #met [[Nobody Known]]
       ^ warning: broken-link
//- /notes/undated.md
- #got [[Jana]] no date anywhere: not an entry
//- /notes/dated.md
---
date: 2026-11-10
---
- #ask [[Jana]] for an intro
  ^ info: vague-ask
"##,
    );
}

#[test]
fn links_in_contact_notes_never_create_entries() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
---
- 2026-11-01 #got Intro to [[Max]]
  ^ warning: missing-thanks
//- /people/max.md
---
type: contact
---
"##,
    );
}

#[test]
fn future_entries_in_ordinary_notes() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
---
//- /journal/2026-12-24.md
- #gift [[Jana]] Christmas present
  ^ warning: future-entry
- #gift [[Not a contact]] nothing
        ^ warning: broken-link
"##,
    );
}

#[test]
fn suppressions() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
---
- 2026-11-01 #got Intro <!-- kith-ignore: missing-thanks, no-such-rule -->
<!-- kith-ignore: missing-thanks -->
- 2026-11-02 #got Another
- 2026-11-03 #got A third
  ^ warning: missing-thanks
```
<!-- kith-ignore: broken-link -->
```
- 2026-11-04 #ask No how <!-- kith-ignore: missing-thanks -->
  ^ info: vague-ask
//- /people/tom.md
---
type: contact
kith:
  ignore: [missing-thanks, vague-ask]
---
- 2026-11-01 #got Intro
//- /journal/2026-11-05.md
- #got [[Tom]] lent me his camera
- #ask [[Tom]] intro to Beta
"##,
    );
}

/// A `kith-ignore` comment over several lines: alone, it silences the line
/// after the one with its closing `-->`; ending a line it began on after
/// text, that line; with text after its `-->`, nothing.
#[test]
fn suppressions_spanning_lines() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
---
<!-- kith-ignore:
     missing-thanks -->
- 2026-11-01 #got Intro
<!--
kith-ignore: missing-thanks
-->
- 2026-11-02 #got Another
<!-- kith-ignore:
     missing-thanks -->

- 2026-11-03 #got Not the next line
  ^ warning: missing-thanks
<!-- kith-ignore:
     missing-thanks --> text after it
- 2026-11-04 #got Text after the comment
  ^ warning: missing-thanks
- 2026-11-05 #got Trailing <!-- kith-ignore:
  missing-thanks -->
- 2026-11-06 #got Last
  ^ warning: missing-thanks
"##,
    );
}

#[test]
fn ignore_in_an_ordinary_note_covers_findings_placed_in_it() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
---
- 2026-11-01 #got Intro
  ^ warning: missing-thanks
//- /journal/2026-11-05.md
---
kith:
  ignore: [missing-thanks, broken-link]
---
- #got [[Jana]] lent me her camera
[[Nobody]]
"##,
    );
}

#[test]
fn rules_levels_and_off() {
    check(
        "2026-12-01",
        r##"
//- /kith.toml
[rules]
missing-thanks = "error"
vague-ask = "hint"
ask-after-silence = "off"
//- /people/jana.md
---
type: contact
---
- 2026-11-01 #got Intro
  ^ error: missing-thanks
- 2026-11-02 #ask Something
  ^ hint: vague-ask
"##,
    );
}

#[test]
fn duplicate_contacts_on_name_alias_and_file_name() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
name: Jana Müller
      ^^^^^^^^^^^ warning: duplicate-contact
aliases: [Jana]
          ^^^^ warning: duplicate-contact
---
//- /work/jana-m.md
---
type: contact
name: "JANA MU\u0308LLER"
      ^ warning: duplicate-contact
---
//- /people/Jana.md
---
^^^ warning: duplicate-contact
type: contact
---
//- /notes/Jana Müller.md
An ordinary note with the same name is no duplicate contact.
"##,
    );
}

#[test]
fn contact_detection() {
    check(
        "2026-12-01",
        r##"
//- /kith.toml
contacts = ["people/**"]
//- /people/by-glob.md
- 2026-11-01 #got Intro
  ^ warning: missing-thanks
//- /notes/by-type.md
---
type: Person
---
- 2026-11-01 #got Intro
  ^ warning: missing-thanks
//- /notes/by-tag.md
---
tags: ["#People", other]
---
- 2026-11-01 #got Intro
  ^ warning: missing-thanks
//- /notes/nested-tag.md
---
tags: [people/work]
---
- 2026-11-01 #got Not a contact note, and no link: nothing
//- /notes/by-tag-string.md
---
tags: contact
---
- 2026-11-01 #got Intro
  ^ warning: missing-thanks
"##,
    );
}

#[test]
fn tags_drop_one_leading_hash() {
    // Spec §7: "a leading `#` on a tag is dropped": one, so `##contact` is
    // the tag `#contact`, not `contact`; and `#mentor` is the tag `mentor`.
    let fixture = r###"
//- /notes/one-hash.md
---
tags: ["#contact", "#mentor", design, "#"]
---
- 2026-11-01 #got Intro
  ^ warning: missing-thanks
//- /notes/two-hashes.md
---
tags: ["##contact", "##mentor"]
---
- 2026-11-01 #got Not a contact note: nothing
"###;
    check("2026-12-01", fixture);
    let (files, _) = parse_fixture(fixture);
    let vault = vault_of(files);
    let tags =
        |path: &str| -> Vec<String> { vault.by_path(path).unwrap().front.tags.iter().map(|t| t.to_string()).collect() };
    assert_eq!(tags("notes/one-hash.md"), ["contact", "mentor", "design"]);
    assert_eq!(tags("notes/two-hashes.md"), ["#contact", "#mentor"]);
}

#[test]
fn entries_only_outside_quotes_and_code_at_any_depth() {
    check(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
---
* 2026-11-01 #got Star marker
  ^ warning: missing-thanks
1. 2026-11-02 #got Ordered marker
   ^ warning: missing-thanks
- Meetings
  - 2026-11-03 #got Nested
    ^ warning: missing-thanks
> - 2026-11-04 #got Quoted: not an entry
- > 2026-11-07 #got A quote in an item: not an entry
```
- 2026-11-05 #got Fenced: not an entry
```
- `2026-11-06` #got Date in code: not an entry
"##,
    );
}

#[test]
fn mentions_are_touches_when_enabled() {
    let fixture = |flag: &str| {
        format!(
            r##"
//- /kith.toml
mentions-are-touches = {flag}
//- /people/jana.md
---
type: contact
cadence: 1m
---
- 2026-09-01 #met Coffee
//- /journal/2026-11-20.md
Saw [[Jana]] at the meetup.
//- /people/tom.md
---
type: contact
cadence: 1m
---
- 2026-09-01 #met Coffee
//- /journal/2026-11-21.md
- [ ] call [[Tom]]
> [[Tom]] quoted
![[Tom]]
"##
        )
    };
    let off = messages("2026-12-01", &fixture("false"));
    assert_eq!(off.iter().filter(|m| m.starts_with("overdue-touch")).count(), 2, "{off:?}");
    let on = messages("2026-12-01", &fixture("true"));
    let overdue: Vec<_> = on.iter().filter(|m| m.starts_with("overdue-touch")).collect();
    assert_eq!(overdue.len(), 1, "{on:?}");
    assert!(overdue[0].contains("tom"), "{on:?}");
}

#[test]
fn positions_count_characters_after_umlauts_and_emoji() {
    check(
        "2026-12-01",
        r##"
//- /people/jörg.md
---
type: contact
name: Jörg 😀 Weiß
---
Jörg 😀 sagt: [[Nobödy 🎨]] und [[Jörg 😀 Weiß]]
             ^^^^^^^^^^^^ warning: broken-link
"##,
    );
}

#[test]
fn crlf_lone_cr_and_bom() {
    let text = "\u{feff}---\r\ntype: contact\r\n---\r\n- 2026-11-01 #got Intro\r- 2026-11-02 #thnaks x\r\n";
    let vault = Vault::build(
        Config::default(),
        vec![SourceFile { path: "people/j.md".into(), text: text.into(), origin: Default::default() }],
        vec![],
    );
    let findings = analyze(&vault, today("2026-12-01"));
    let note = vault.by_path("people/j.md").unwrap();
    let at: Vec<(String, u32, u32)> = findings
        .iter()
        .map(|f| {
            let lc = note.lines.line_col(&note.text, f.range.start, Encoding::Chars);
            (f.rule.name().to_string(), lc.line, lc.col)
        })
        .collect();
    assert_eq!(at, vec![("missing-thanks".to_string(), 3, 2), ("unknown-kind".to_string(), 4, 13)], "{findings:#?}");
}

#[test]
fn front_matter_type_errors_name_the_form_with_the_spec_example() {
    let all = messages(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
cadence: [2m]
phone: [1]
tags: [contact, 5]
aliases: [Jana, {a: b}]
kith:
  ignore: [unreciprocated, 3]
---
"##,
    );
    let about = |key: &str| -> String {
        let found: Vec<&String> = all.iter().filter(|m| m.starts_with(&format!("front-matter: `{key}`"))).collect();
        assert_eq!(found.len(), 1, "one message about `{key}`: {all:#?}");
        found[0].clone()
    };
    let cadence = about("cadence");
    assert!(cadence.contains("`cadence: 2m`") && !cadence.contains("phone"), "{cadence}");
    let phone = about("phone");
    assert!(phone.contains("text or a number") && phone.contains("`phone: \"+49 30 1234567\"`"), "{phone}");
    let tags = about("tags");
    assert!(tags.contains("`tags: [mentor, design]`"), "{tags}");
    let aliases = about("aliases");
    assert!(aliases.contains("`aliases: [Jana, J. Müller]`"), "{aliases}");
    let ignore = about("kith.ignore");
    assert!(ignore.contains("rule names") && ignore.contains("`ignore: [unreciprocated]`"), "{ignore}");
}

#[test]
fn yaml_aliases_are_named_as_written() {
    let all = messages(
        "2026-12-01",
        r##"
//- /people/al.md
---
type: contact
base: &who Jana
name: *who
tags: [contact, *who]
---
"##,
    );
    assert_eq!(all.len(), 2, "{all:#?}");
    for message in &all {
        assert!(message.contains("the alias `*who`"), "{message}");
    }
}

#[test]
fn duplicate_names_are_shown_without_padding() {
    let all = messages(
        "2026-12-01",
        r##"
//- /people/a.md
---
type: contact
name: "  Jana  "
---
//- /people/b.md
---
type: contact
name: >
  Jana
---
//- /people/c.md
---
type: contact
aliases: [" jana ", Other]
---
"##,
    );
    assert_eq!(all.len(), 3, "{all:#?}");
    for message in &all {
        let shown = message.strip_prefix("duplicate-contact: “").and_then(|m| m.split_once('”')).map(|(s, _)| s);
        assert!(matches!(shown, Some("Jana" | "jana")), "{message}");
        assert!(message.contains("[[Jana]]") || message.contains("[[jana]]"), "{message}");
    }
}

#[test]
fn broken_links_to_attachments_are_called_files() {
    let all = messages(
        "2026-12-01",
        r##"
//- /notes/links.md
[[photo.png]] [[Nobody]] [[v1.2]] [[J. Müller]] [[scans/cv.PDF]]
"##,
    );
    assert_eq!(
        all,
        [
            "broken-link: No file is called “photo.png” — add the file or correct the link",
            "broken-link: No note is called “Nobody” — create the contact note or correct the link",
            "broken-link: No note is called “v1.2” — create the contact note or correct the link",
            "broken-link: No note is called “J. Müller” — create the contact note or correct the link",
            "broken-link: No file is called “scans/cv.PDF” — add the file or correct the link",
        ],
    );
}

#[test]
fn messages_are_warm_and_concrete() {
    let all = messages(
        "2026-11-20",
        r##"
//- /people/jana.md
---
type: contact
name: Jana Müller
---
- 2026-11-15 #got Introduced me to [[Max Mustermann]]
- 2026-11-10 #news Promoted to Head of Design
//- /people/max.md
---
type: contact
name: Max Mustermann
---
"##,
    );
    assert!(
        all.contains(
            &"missing-thanks: Thank Jana Müller for “Introduced me to Max Mustermann” — received 5 days ago"
                .to_string()
        ),
        "{all:#?}"
    );
    assert!(
        all.iter().any(|m| m.starts_with("congratulate: Congratulate Jana Müller on “Promoted to Head of Design”"))
    );
}

/// An entry that links two people names both in the findings about either
/// one (the leading link is left out only when it is the person the finding
/// is about), and punctuation between the tags and the words is not quoted.
#[test]
fn messages_name_both_people_and_skip_leading_punctuation() {
    let all = messages(
        "2026-12-01",
        r##"
//- /people/jana.md
---
type: contact
name: Jana Müller
---
- 2026-11-25 #got: Lent me a book
- 2026-11-20 #news — Promoted to Head of Design
- [ ] 2026-11-28 - Send her the design-systems article
//- /people/max.md
---
type: contact
name: Max Mustermann
---
//- /journal/2026-11-15.md
- #got [[Jana Müller]]: introduced me to [[Max Mustermann]]
- #got [[Max Mustermann|Max]] via [[Jana Müller]]
"##,
    );
    for expected in [
        "missing-thanks: Thank Jana Müller for “Lent me a book” —",
        "congratulate: Congratulate Jana Müller on “Promoted to Head of Design” —",
        "follow-up-due: Follow up with Jana Müller: “Send her the design-systems article” was due",
        "missing-thanks: Thank Jana Müller for “introduced me to Max Mustermann” —",
        "missing-thanks: Thank Max Mustermann for “Jana Müller: introduced me to Max Mustermann” —",
        "missing-thanks: Thank Jana Müller for “Max via Jana Müller” —",
        "missing-thanks: Thank Max Mustermann for “via Jana Müller” —",
    ] {
        assert!(all.iter().any(|m| m.starts_with(expected)), "no message starts with {expected:?}:\n{all:#?}");
    }
}

/// Every rule's *Example* is true: the code in it, put in a contact note,
/// is reported on the day its text names and not the day before (or, when
/// it names no day after the code, on 2026-12-01). Examples told in prose
/// (a file's encoding or size, two notes) are covered by their own tests.
#[test]
fn rule_doc_examples_are_true() {
    use kithkin::engine::Rule;
    let day = |s: &str| {
        let shaped = s.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
        if shaped { chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok() } else { None }
    };
    for rule in Rule::ALL {
        let doc = rule.doc();
        let example = &doc[doc.find("## Example").expect("an example")..doc.find("## Fix").expect("a fix")];
        let Some(open) = example.find("```") else { continue };
        let lang_end = open + example[open..].find('\n').unwrap();
        let lang = &example[open + 3..lang_end];
        let close = lang_end + example[lang_end..].find("\n```").expect("a closed code block");
        let code = &example[lang_end + 1..close + 1];
        let note = match lang {
            "yaml" if code.starts_with("---") => code.to_string(),
            "yaml" => format!("---\ntype: contact\n{code}---\n"),
            "markdown" if code.starts_with("---") => code.to_string(),
            "markdown" => format!("---\ntype: contact\n---\n{code}"),
            other => panic!("{rule}: an example in {other:?}"),
        };
        let after = &example[close..];
        let named =
            (0..after.len()).filter(|&i| after.is_char_boundary(i)).find_map(|i| after.get(i..i + 10).and_then(day));
        let vault = Vault::build(
            Config::default(),
            vec![SourceFile { path: "people/jana.md".into(), text: note.clone(), origin: Default::default() }],
            vec![],
        );
        let fires = |on: Date| analyze(&vault, on).iter().any(|f| f.rule == rule);
        match named {
            Some(on) => {
                assert!(fires(on), "{rule}: the example is not reported on {on}:\n{note}");
                let before = on.pred_opt().unwrap();
                assert!(!fires(before), "{rule}: the example is reported already on {before}:\n{note}");
            }
            None => assert!(fires(today("2026-12-01")), "{rule}: the example is not reported:\n{note}"),
        }
    }
}
