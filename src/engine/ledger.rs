//! The ledger of one contact: favours both ways, thank-yous and
//! congratulations owed, and touches (spec sections 3 and 7).

use super::date::Date;
use super::kinds::Kind;
use super::vault::Entry;
use std::collections::VecDeque;

/// The state of a relationship on a given day.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// The entries that count: real dates up to today, in ledger order.
    pub entries: Vec<Entry>,
    /// `#got` entries (indexes into `entries`) not yet paid back, oldest first.
    pub open_debts: VecDeque<usize>,
    /// Favours you did that nothing has used up yet.
    pub credit: u32,
    /// `#got` entries still waiting for a `#thanks`, oldest first.
    pub thanks_owed: VecDeque<usize>,
    /// `#news` entries still waiting for a `#congrats`, oldest first.
    pub congrats_owed: VecDeque<usize>,
    pub given: u32,
    pub received: u32,
    pub last_touch: Option<Date>,
}

impl Ledger {
    /// Runs a contact's entries (in ledger order, as [`super::vault::Vault::entries`]
    /// gives them) up to and including `today`.
    pub fn new(entries: Vec<Entry>, today: Date) -> Ledger {
        let mut ledger =
            Ledger { entries: entries.into_iter().filter(|e| e.date <= today).collect(), ..Ledger::default() };
        for i in 0..ledger.entries.len() {
            let entry = &ledger.entries[i];
            if entry.is_touch() {
                ledger.last_touch = Some(ledger.last_touch.map_or(entry.date, |d| d.max(entry.date)));
            }
            for kind in entry.kinds.clone() {
                match kind {
                    Kind::Got => {
                        ledger.received += 1;
                        if ledger.credit > 0 {
                            ledger.credit -= 1;
                        } else {
                            ledger.open_debts.push_back(i);
                        }
                        ledger.thanks_owed.push_back(i);
                    }
                    Kind::Gave => {
                        ledger.given += 1;
                        if ledger.open_debts.pop_front().is_none() {
                            ledger.credit += 1;
                        }
                    }
                    Kind::Thanks => {
                        ledger.thanks_owed.pop_front();
                    }
                    Kind::News => ledger.congrats_owed.push_back(i),
                    Kind::Congrats => {
                        ledger.congrats_owed.pop_front();
                    }
                    Kind::Ask | Kind::Met | Kind::Call | Kind::Msg | Kind::Like | Kind::Gift => {}
                }
            }
        }
        ledger
    }

    /// Favours given minus favours received that are still open: positive is
    /// credit, negative is debt.
    pub fn balance(&self) -> i64 {
        i64::from(self.credit) - self.open_debts.len() as i64
    }
}
