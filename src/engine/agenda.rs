//! The agenda: every gesture a relationship needs now, most urgent first.
//!
//! Built from the relationship findings of [`analysis::analyze`] — so
//! `[rules]` levels, `off`, `kith.ignore` and `kith-ignore` comments apply
//! exactly as in `kith lint` — plus two things the rules only report once
//! they are late: birthdays within `days` (instead of `birthday-notice`)
//! and open follow-ups due today or within `days`.
//!
//! Order: by what the gesture is, then by how long it has been due.
//! Thank-yous first (gratitude goes stale fastest), then congratulations,
//! follow-ups, overdue touches (most overdue first), favours to return,
//! birthdays (soonest first) and asks that need a `how:`. Within a kind,
//! the earliest due date comes first.
//!
//! `snooze:` silences `overdue-touch` only, as the spec says: a snoozed
//! contact still shows thank-yous, congratulations, follow-ups, favours,
//! birthdays and asks, because snoozing means "not now for small talk", not
//! "forget what I owe". Rules at level `hint` are editor nudges, not tasks,
//! and stay out of the agenda.

use super::analysis;
use super::date::{Birthday, Date, DateShape, Span, ago, relative, short_day};
use super::finding::{Finding, Level, identity};
use super::note::{Note, TaskStatus};
use super::rules::{ContactCtx, Rule, item_words, plain_words, quoted_or};
use super::text::Encoding;
use super::vault::Vault;
use rayon::prelude::*;
use serde::Serialize;
use std::ops::Range;

/// One thing to do for one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaItem {
    /// The contact's display name.
    pub contact: String,
    /// Vault-relative path of the contact's note.
    pub contact_path: String,
    /// Vault-relative path of the note the item points at (an entry may
    /// stand in a journal note).
    pub path: String,
    /// 1-based line in `path`.
    pub line: usize,
    /// 1-based column in Unicode characters.
    pub column: usize,
    /// The rule this item answers (`birthday-soon` and `follow-up-due` also
    /// name the upcoming birthdays and follow-ups the agenda adds).
    pub rule: String,
    pub level: String,
    /// The day the gesture fell or falls due, `YYYY-MM-DD`.
    pub due: String,
    /// The full sentence, as `kith lint` would say it.
    pub message: String,
    /// What to do, without the person's name: "say thanks for “the intro”".
    pub action: String,
    /// Why now: "received 6 days ago", "in 3 days".
    pub reason: String,
    /// Byte range in `path`'s text.
    #[serde(skip)]
    pub range: Range<usize>,
    /// What the item is about, stable across edits that only move it
    /// (the finding's identity): calendars key their UIDs on it.
    #[serde(skip)]
    pub identity: String,
    #[serde(skip)]
    pub due_date: Date,
    /// For birthdays: the birthday itself, so calendars can repeat it.
    #[serde(skip)]
    pub birthday: Option<Birthday>,
}

/// Everything that needs doing on `today`, most urgent first; birthdays
/// and follow-ups are looked ahead `days` days.
pub fn agenda(vault: &Vault, today: Date, days: u32) -> Vec<AgendaItem> {
    // On all cores: an overdue touch rebuilds its contact's ledger.
    let mut items: Vec<AgendaItem> =
        analysis::analyze(vault, today).par_iter().filter_map(|f| from_finding(vault, f, today)).collect();
    let horizon = Span::days(days).after(today);
    let contacts: Vec<&Note> = vault.contacts().map(|(_, note)| note).collect();
    items.par_extend(contacts.par_iter().flat_map_iter(|note| {
        birthday(vault, note, today, horizon).into_iter().chain(upcoming_follow_ups(vault, note, today, horizon))
    }));
    // Each item's key is computed once (names are compared case-folded).
    items.par_sort_by_cached_key(|i| {
        (tier(&i.rule), i.due_date, i.contact.to_lowercase(), i.contact_path.clone(), i.path.clone(), i.range.start)
    });
    items
}

/// The rules whose findings are gestures to make, most urgent first.
const ORDER: [Rule; 7] = [
    Rule::MissingThanks,
    Rule::Congratulate,
    Rule::FollowUpDue,
    Rule::OverdueTouch,
    Rule::Unreciprocated,
    Rule::BirthdaySoon,
    Rule::VagueAsk,
];

fn tier(rule: &str) -> usize {
    ORDER.iter().position(|r| r.name() == rule).unwrap_or(ORDER.len())
}

/// The level a rule's items are listed at: `None` when the rule is off or
/// only a hint.
fn listed(vault: &Vault, rule: Rule) -> Option<Level> {
    vault.config.level(rule).filter(|level| *level >= Level::Info)
}

fn from_finding(vault: &Vault, f: &Finding, today: Date) -> Option<AgendaItem> {
    let contact = f.contact.as_ref()?;
    // Birthdays are looked ahead with the agenda's own window below.
    if f.rule == Rule::BirthdaySoon || !ORDER.contains(&f.rule) || f.level < Level::Info {
        return None;
    }
    let note = vault.by_path(&f.path)?;
    // Items are in text order: find the one at the finding by binary search.
    let at = note.items.partition_point(|i| i.first_line.start() < f.range.start);
    let item = note.items[at..]
        .iter()
        .take_while(|i| i.first_line.start() == f.range.start)
        .find(|i| i.first_line.range() == f.range);
    let (note_id, contact_id) = (vault.id(&f.path)?, vault.id(&contact.path)?);
    let words = item.map(|i| item_words(vault, note_id, i, contact_id)).unwrap_or_default();
    let entry_date = item.and_then(|i| Vault::item_date(note, i));
    let when = |verb: &str| entry_date.map_or_else(String::new, |d| format!("{verb} {}", ago(d, today)));
    let due = f.due.unwrap_or(today);
    let (action, reason) = match f.rule {
        Rule::MissingThanks => (format!("say thanks for {}", quoted_or(&words, "the favour")), when("received")),
        Rule::Congratulate => (format!("congratulate on {}", quoted_or(&words, "their news")), when("news from")),
        Rule::FollowUpDue => {
            (format!("follow up: {}", quoted_or(&words, "the open task")), format!("was due {}", ago(due, today)))
        }
        Rule::Unreciprocated => (
            format!("return the favour for {}", quoted_or(&words, "their help")),
            format!("{}, nothing given back since", when("received")),
        ),
        Rule::VagueAsk => (
            format!("say exactly how they can help with {}", quoted_or(&words, "your ask")),
            "add `how: …`".to_string(),
        ),
        Rule::OverdueTouch => {
            let id = vault.id(&contact.path)?;
            let ctx = ContactCtx::new(vault, id, today)?;
            let cadence = ctx.note.front.cadence.unwrap_or(vault.config.default_cadence);
            let last = ctx.ledger.last_touch.map_or_else(String::new, |d| format!("last touch {}; ", ago(d, today)));
            ("get back in touch".to_string(), format!("{last}you meant {}", cadence.every()))
        }
        _ => return None,
    };
    let (line, column) = position(note, f.range.start);
    Some(AgendaItem {
        contact: contact.name.clone(),
        contact_path: contact.path.to_string(),
        path: note.path.to_string(),
        line,
        column,
        rule: f.rule.name().to_string(),
        level: f.level.name().to_string(),
        due: due.to_string(),
        message: f.message.clone(),
        action,
        reason,
        range: f.range.clone(),
        identity: format!("{:016x}", f.identity),
        due_date: due,
        birthday: None,
    })
}

/// 1-based line and column (in characters) of an offset.
fn position(note: &Note, offset: usize) -> (usize, usize) {
    let at = note.lines.line_col(&note.text, offset, Encoding::Chars);
    (at.line as usize + 1, at.col as usize + 1)
}

/// A birthday on or before `horizon`, unless `birthday-soon` is off or
/// silenced there.
fn birthday(vault: &Vault, note: &Note, today: Date, horizon: Date) -> Option<AgendaItem> {
    let rule = Rule::BirthdaySoon;
    let level = listed(vault, rule)?;
    let birthday = note.front.birthday?;
    let key = note.front.key("birthday")?;
    let range = key.key_range.start()..key.value_range.end().max(key.key_range.end());
    if note.suppressed_at(rule, range.start) {
        return None;
    }
    let next = birthday.next_on_or_after(today);
    if next > horizon {
        return None;
    }
    let name = note.display_name();
    let turning = birthday.turning(next);
    let message = format!(
        "{name}'s birthday is {} ({}{turning}) — a short message goes a long way",
        relative(next, today),
        short_day(next)
    );
    let reason = format!("{}, {}{turning}", short_day(next), relative(next, today));
    let (line, column) = position(note, range.start);
    Some(AgendaItem {
        contact: name.to_string(),
        contact_path: note.path.to_string(),
        path: note.path.to_string(),
        line,
        column,
        rule: rule.name().to_string(),
        level: level.name().to_string(),
        due: next.to_string(),
        message,
        action: "wish a happy birthday".into(),
        reason,
        range,
        // The identity leaves out the year: a calendar repeats the same event.
        identity: format!("{}|birthday", note.path),
        due_date: next,
        birthday: Some(birthday),
    })
}

/// Open follow-ups due from today to `horizon`; `follow-up-due` reports
/// the ones already past.
fn upcoming_follow_ups(vault: &Vault, note: &Note, today: Date, horizon: Date) -> Vec<AgendaItem> {
    let rule = Rule::FollowUpDue;
    let Some(level) = listed(vault, rule) else { return Vec::new() };
    let name = note.display_name();
    note.items
        .iter()
        .filter(|i| i.task == Some(TaskStatus::Open) && !i.in_quote)
        .filter_map(|i| {
            let Some((DateShape::Real(due), _)) = i.date else { return None };
            if due < today || due > horizon || note.suppressed_at(rule, i.first_line.start()) {
                return None;
            }
            let words = plain_words(note.slice(i.words()));
            let shown = quoted_or(&words, "the open task");
            let (line, column) = position(note, i.first_line.start());
            Some(AgendaItem {
                contact: name.to_string(),
                contact_path: note.path.to_string(),
                path: note.path.to_string(),
                line,
                column,
                rule: rule.name().to_string(),
                level: level.name().to_string(),
                due: due.to_string(),
                message: format!("Follow up with {name}: {shown} is due {due} ({})", relative(due, today)),
                action: format!("follow up: {shown}"),
                reason: format!("due {}", relative(due, today)),
                range: i.first_line.range(),
                // The same identity as the `follow-up-due` finding it becomes.
                identity: format!(
                    "{:016x}",
                    identity(&[&note.path, &crate::engine::rules::line_digest(note.slice(i.first_line))])
                ),
                due_date: due,
                birthday: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::config::Config;
    use crate::engine::note::Origin;
    use crate::engine::vault::SourceFile;

    fn d(s: &str) -> Date {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn vault(config: &str, files: &[(&str, &str)]) -> Vault {
        let files = files
            .iter()
            .map(|(path, text)| SourceFile {
                path: path.to_string(),
                text: text.to_string(),
                origin: Origin::default(),
            })
            .collect();
        Vault::build(Config::parse(config).unwrap(), files, Vec::new())
    }

    fn rows(items: &[AgendaItem]) -> Vec<String> {
        items.iter().map(|i| format!("{} {} {}:{} {}", i.contact, i.rule, i.path, i.line, i.due)).collect()
    }

    const JANA: &str = "---\ntype: contact\nname: Jana Müller\ncadence: 2m\nbirthday: --12-04\n---\n## Log\n\
        - 2026-11-20 #news Promoted to Head of Design\n\
        - 2026-11-02 #gave Reviewed her talk\n\
        - 2026-10-15 #got Introduced me to [[Max]]\n\
        - [ ] 2026-12-03 Send the article\n\
        - [ ] 2026-11-25 Ask about the school start\n\
        - [ ] 2027-03-01 Far away\n";

    #[test]
    fn most_urgent_first_and_only_who_needs_a_gesture() {
        let v = vault(
            "",
            &[
                ("people/jana.md", JANA),
                (
                    "people/max.md",
                    "---\ntype: contact\nname: Max\n---\n- 2026-05-01 #ask A favour\n- 2026-11-28 #got Lent me his camera\n",
                ),
                ("people/snoozed.md", "---\ntype: contact\nsnooze: 2027-01-01\n---\n- 2025-01-01 #met Lunch\n"),
                ("people/fine.md", "---\ntype: contact\n---\n- 2026-11-30 #met Coffee\n"),
                ("people/late.md", "---\ntype: contact\n---\n- 2026-01-01 #met Coffee\n"),
            ],
        );
        let items = agenda(&v, d("2026-12-01"), 7);
        assert_eq!(
            rows(&items),
            [
                "Jana Müller missing-thanks people/jana.md:10 2026-10-18",
                "Jana Müller congratulate people/jana.md:8 2026-11-27",
                "Jana Müller follow-up-due people/jana.md:12 2026-11-25",
                "Jana Müller follow-up-due people/jana.md:11 2026-12-03",
                "late overdue-touch people/late.md:1 2026-04-01",
                "Jana Müller birthday-soon people/jana.md:5 2026-12-04",
                "Max vague-ask people/max.md:5 2026-05-01",
            ]
        );
        assert_eq!(items[0].action, "say thanks for “Introduced me to Max”");
        assert_eq!(items[0].reason, "received 6 weeks ago");
        assert_eq!(items[3].reason, "due in 2 days");
        assert_eq!(items[5].reason, "Fri 4 Dec, in 3 days");
    }

    #[test]
    fn days_widens_birthdays_and_follow_ups() {
        let v = vault("", &[("people/jana.md", JANA)]);
        let near = agenda(&v, d("2026-11-20"), 1);
        assert!(near.iter().all(|i| i.rule != "birthday-soon"), "{:?}", rows(&near));
        let wide = agenda(&v, d("2026-11-20"), 14);
        assert!(wide.iter().any(|i| i.rule == "birthday-soon"));
        assert_eq!(wide.iter().filter(|i| i.rule == "follow-up-due").count(), 2);
    }

    #[test]
    fn rules_levels_and_suppressions_apply() {
        let text = "---\ntype: contact\nbirthday: --12-02\nkith:\n  ignore: [vague-ask, birthday-soon]\n---\n\
            - 2026-11-20 #got Help <!-- kith-ignore: missing-thanks -->\n- 2026-11-21 #ask Thing\n- 2026-11-22 #news Baby\n";
        let v = vault("[rules]\ncongratulate = \"hint\"\n", &[("people/a.md", text)]);
        assert!(agenda(&v, d("2026-12-01"), 7).is_empty(), "{:?}", rows(&agenda(&v, d("2026-12-01"), 7)));
        let v = vault(
            "[rules]\nbirthday-soon = \"off\"\n",
            &[(
                "people/b.md",
                "---\ntype: contact\nbirthday: --12-02\n---\n- [ ] 2026-12-02 Call <!-- kith-ignore: follow-up-due -->\n",
            )],
        );
        assert!(agenda(&v, d("2026-12-01"), 7).is_empty());
    }

    #[test]
    fn snooze_hides_only_the_overdue_touch() {
        let v = vault(
            "",
            &[(
                "people/s.md",
                "---\ntype: contact\nsnooze: 2027-01-01\n---\n- 2025-01-01 #met Lunch\n- 2026-11-01 #news Award\n",
            )],
        );
        let items = agenda(&v, d("2026-12-01"), 7);
        assert_eq!(rows(&items), ["s congratulate people/s.md:6 2026-11-08"]);
    }

    #[test]
    fn entries_in_journal_notes_point_there() {
        let v = vault(
            "",
            &[
                ("people/max.md", "---\ntype: contact\nname: Max\n---\n"),
                ("journal/2026-11-20.md", "- #got [[Max]] sent me slides\n"),
            ],
        );
        let items = agenda(&v, d("2026-12-01"), 7);
        assert_eq!(rows(&items), ["Max missing-thanks journal/2026-11-20.md:1 2026-11-23"]);
        assert_eq!(items[0].contact_path, "people/max.md");
        assert_eq!(items[0].action, "say thanks for “sent me slides”");
    }
}
