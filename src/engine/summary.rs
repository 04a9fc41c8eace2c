//! A contact at a glance: the card shown on hover, the line at the top of a
//! contact note, the rows of `kith ledger`.

use super::date::{Birthday, Date, DateShape, Span, ago, relative, short_day};
use super::note::TaskStatus;
use super::rules::{ContactCtx, plain_words};
use super::vault::{NoteId, Vault};
use std::fmt::Write;
use std::ops::Range;

/// A gesture on record, shown by its date and words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moment {
    pub date: Date,
    pub words: String,
    pub path: String,
    pub range: Range<usize>,
}

/// An open follow-up task of a contact note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub words: String,
    pub due: Option<Date>,
    pub range: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct ContactSummary {
    pub id: NoteId,
    pub name: String,
    pub path: String,
    pub aliases: Vec<String>,
    pub org: Option<String>,
    pub role: Option<String>,
    pub last_touch: Option<Date>,
    pub cadence: Span,
    /// Whether the cadence is the vault's `default-cadence`.
    pub default_cadence: bool,
    /// Last touch plus cadence.
    pub next_due: Option<Date>,
    pub snoozed_until: Option<Date>,
    pub given: u32,
    pub received: u32,
    pub credit: u32,
    pub open_debts: Vec<Moment>,
    pub thanks_owed: Vec<Moment>,
    pub congrats_owed: Vec<Moment>,
    pub follow_ups: Vec<FollowUp>,
    pub birthday: Option<Birthday>,
    pub next_birthday: Option<Date>,
    pub entries: usize,
}

impl ContactSummary {
    pub fn new(vault: &Vault, id: NoteId, today: Date) -> Option<ContactSummary> {
        let ctx = ContactCtx::new(vault, id, today)?;
        let note = ctx.note;
        let moment = |i: usize| {
            let entry = &ctx.ledger.entries[i];
            Moment {
                date: entry.date,
                words: ctx.entry_words(entry),
                path: ctx.entry_note(entry).path.to_string(),
                range: ctx.entry_range(entry),
            }
        };
        let cadence = note.front.cadence.unwrap_or(vault.config.default_cadence);
        let follow_ups = note
            .items
            .iter()
            .filter(|i| i.task == Some(TaskStatus::Open) && !i.in_quote)
            .map(|i| FollowUp {
                words: plain_words(note.slice(i.words())),
                due: match i.date {
                    Some((DateShape::Real(d), _)) => Some(d),
                    _ => None,
                },
                range: i.first_line.range(),
            })
            .collect();
        Some(ContactSummary {
            id,
            name: note.display_name().to_string(),
            path: note.path.to_string(),
            aliases: note.front.aliases.iter().map(|a| a.value.to_string()).collect(),
            org: note.front.org.as_ref().map(|s| s.to_string()),
            role: note.front.role.as_ref().map(|s| s.to_string()),
            last_touch: ctx.ledger.last_touch,
            cadence,
            default_cadence: note.front.cadence.is_none(),
            next_due: ctx.ledger.last_touch.map(|d| cadence.after(d)),
            snoozed_until: note.front.snooze.filter(|s| *s >= today),
            given: ctx.ledger.given,
            received: ctx.ledger.received,
            credit: ctx.ledger.credit,
            open_debts: ctx.ledger.open_debts.iter().map(|&i| moment(i)).collect(),
            thanks_owed: ctx.ledger.thanks_owed.iter().map(|&i| moment(i)).collect(),
            congrats_owed: ctx.ledger.congrats_owed.iter().map(|&i| moment(i)).collect(),
            follow_ups,
            birthday: note.front.birthday,
            next_birthday: note.front.birthday.map(|b| b.next_on_or_after(today)),
            entries: ctx.ledger.entries.len(),
        })
    }

    /// Credit minus open debts.
    pub fn balance(&self) -> i64 {
        i64::from(self.credit) - self.open_debts.len() as i64
    }

    /// "you owe 1 favour · last touch 43 days ago · next due in 17 days"
    pub fn one_line(&self, today: Date) -> String {
        let mut parts = Vec::new();
        match self.balance() {
            0 => {}
            b if b < 0 => parts.push(format!("you owe {} favour{}", -b, if b == -1 { "" } else { "s" })),
            b => parts.push(format!("{b} favour{} in credit", if b == 1 { "" } else { "s" })),
        }
        if !self.thanks_owed.is_empty() {
            parts.push(format!("{} thank-you{} owed", self.thanks_owed.len(), plural(self.thanks_owed.len())));
        }
        if !self.congrats_owed.is_empty() {
            parts.push(format!("{} congratulation{} owed", self.congrats_owed.len(), plural(self.congrats_owed.len())));
        }
        match self.last_touch {
            Some(last) => parts.push(format!("last touch {}", ago(last, today))),
            None => parts.push("no touch yet".to_string()),
        }
        if let Some(until) = self.snoozed_until {
            parts.push(format!("snoozed until {until}"));
        } else if let Some(due) = self.next_due {
            if due < today {
                parts.push(format!("touch overdue since {}", ago(due, today)));
            } else {
                parts.push(format!("next due {}", relative(due, today)));
            }
        }
        if let Some(next) = self.next_birthday {
            if (next - today).num_days() <= 30 {
                parts.push(format!("birthday {}", relative(next, today)));
            }
        }
        parts.join(" · ")
    }

    /// The hover card, in Markdown.
    pub fn card(&self, today: Date) -> String {
        let mut md = String::new();
        let _ = write!(md, "### {}", self.name);
        let job: Vec<&str> = [self.role.as_deref(), self.org.as_deref()].into_iter().flatten().collect();
        if !job.is_empty() {
            let _ = write!(md, "\n{}", job.join(" at "));
        }
        md.push_str("\n\n");
        match self.last_touch {
            Some(last) => {
                let _ = writeln!(md, "- **Last touch:** {last} ({})", ago(last, today));
            }
            None => md.push_str("- **Last touch:** none on record\n"),
        }
        let cadence =
            if self.default_cadence { format!("{} (default)", self.cadence.every()) } else { self.cadence.every() };
        let _ = write!(md, "- **Cadence:** {cadence}");
        if let Some(until) = self.snoozed_until {
            let _ = write!(md, " — snoozed until {until}");
        } else if let Some(due) = self.next_due {
            let _ = write!(md, " — next touch due {due} ({})", relative(due, today));
        }
        md.push('\n');
        let _ = writeln!(
            md,
            "- **Favours:** {} given, {} received{}",
            self.given,
            self.received,
            match self.balance() {
                0 => " — even".to_string(),
                b if b < 0 => format!(" — you owe {}", -b),
                b => format!(" — {b} in credit"),
            }
        );
        section(&mut md, "Favours to return", &self.open_debts, today);
        section(&mut md, "Thank-yous owed", &self.thanks_owed, today);
        section(&mut md, "Congratulations owed", &self.congrats_owed, today);
        if !self.follow_ups.is_empty() {
            md.push_str("\n**Next time, ask about:**\n");
            for f in &self.follow_ups {
                match f.due {
                    Some(due) => {
                        let _ = writeln!(md, "- {} (due {due}, {})", f.words, relative(due, today));
                    }
                    None => {
                        let _ = writeln!(md, "- {}", f.words);
                    }
                }
            }
        }
        if let (Some(b), Some(next)) = (self.birthday, self.next_birthday) {
            let year = b.year.map(|y| format!(" (born {y})")).unwrap_or_default();
            let _ = writeln!(md, "\n🎂 Birthday {} — {}{year}", short_day(next), relative(next, today));
        }
        md
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn section(md: &mut String, title: &str, moments: &[Moment], today: Date) {
    if moments.is_empty() {
        return;
    }
    let _ = writeln!(md, "\n**{title}:**");
    for m in moments {
        let words = if m.words.is_empty() { "(no details)" } else { m.words.as_str() };
        let _ = writeln!(md, "- {} — {words} ({})", m.date, ago(m.date, today));
    }
}
