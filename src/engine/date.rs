//! Dates, durations and the words kith uses for "how long ago".

use chrono::{Datelike, Months, NaiveDate};
use std::fmt;

pub type Date = NaiveDate;

/// A keep-in-touch interval or a rule window: `10d`, `6w`, `2m`, `1y`, or a
/// word. Months and years are calendar months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub count: u32,
    pub unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Day,
    Week,
    Month,
    Year,
}

impl Span {
    pub const fn days(count: u32) -> Span {
        Span { count, unit: Unit::Day }
    }

    /// Parses a duration as the spec defines it; `None` when it is not one.
    pub fn parse(text: &str) -> Option<Span> {
        let word = match text {
            "weekly" => Some(Span { count: 1, unit: Unit::Week }),
            "monthly" => Some(Span { count: 1, unit: Unit::Month }),
            "quarterly" => Some(Span { count: 3, unit: Unit::Month }),
            "yearly" => Some(Span { count: 1, unit: Unit::Year }),
            _ => None,
        };
        if word.is_some() {
            return word;
        }
        // The unit is the last character, which may be any character at all.
        let (last, _) = text.char_indices().last()?;
        let (digits, unit) = text.split_at(last);
        let unit = match unit {
            "d" => Unit::Day,
            "w" => Unit::Week,
            "m" => Unit::Month,
            "y" => Unit::Year,
            _ => return None,
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0') {
            return None;
        }
        // The spec sets no upper bound: a huge count saturates, and adding
        // it saturates at the end of the calendar.
        let count: u32 = digits.parse().unwrap_or(u32::MAX);
        Some(Span { count, unit })
    }

    /// `date + self`, adding calendar months clamped to the month's last day.
    /// Saturates at the end of the calendar instead of overflowing.
    pub fn after(self, date: Date) -> Date {
        let added = match self.unit {
            Unit::Day => date.checked_add_days(chrono::Days::new(u64::from(self.count))),
            Unit::Week => date.checked_add_days(chrono::Days::new(7 * u64::from(self.count))),
            Unit::Month => date.checked_add_months(Months::new(self.count)),
            Unit::Year => self.count.checked_mul(12).and_then(|m| date.checked_add_months(Months::new(m))),
        };
        added.unwrap_or(NaiveDate::MAX)
    }

    /// `date - self`, the mirror of [`Span::after`].
    pub fn before(self, date: Date) -> Date {
        let sub = match self.unit {
            Unit::Day => date.checked_sub_days(chrono::Days::new(u64::from(self.count))),
            Unit::Week => date.checked_sub_days(chrono::Days::new(7 * u64::from(self.count))),
            Unit::Month => date.checked_sub_months(Months::new(self.count)),
            Unit::Year => self.count.checked_mul(12).and_then(|m| date.checked_sub_months(Months::new(m))),
        };
        sub.unwrap_or(NaiveDate::MIN)
    }
}

impl Span {
    /// "every month", "every 2 weeks".
    pub fn every(self) -> String {
        let unit = match self.unit {
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
        };
        if self.count == 1 { format!("every {unit}") } else { format!("every {} {unit}s", self.count) }
    }
}

impl fmt::Display for Span {
    /// Human words: "3 days", "2 months", "a year".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (one, many) = match self.unit {
            Unit::Day => ("a day", "days"),
            Unit::Week => ("a week", "weeks"),
            Unit::Month => ("a month", "months"),
            Unit::Year => ("a year", "years"),
        };
        if self.count == 1 { f.write_str(one) } else { write!(f, "{} {many}", self.count) }
    }
}

/// The shape of a date, before asking whether it is a real day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateShape {
    /// `NNNN-NN-NN` that is a real day.
    Real(Date),
    /// `NNNN-NN-NN` that is not a real day (`2026-02-30`).
    Unreal,
}

/// Reads `NNNN-NN-NN` at the start of `text`. `None` when the text does not
/// start with that shape.
pub fn date_shape_prefix(text: &str) -> Option<DateShape> {
    let b = text.as_bytes();
    if b.len() < 10 {
        return None;
    }
    let digit = |i: usize| b[i].is_ascii_digit();
    if !((0..4).all(digit) && b[4] == b'-' && digit(5) && digit(6) && b[7] == b'-' && digit(8) && digit(9)) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> u32 { b[r].iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')) };
    Some(match NaiveDate::from_ymd_opt(num(0..4) as i32, num(5..7), num(8..10)) {
        Some(d) => DateShape::Real(d),
        None => DateShape::Unreal,
    })
}

/// Reads a whole `NNNN-NN-NN`.
pub fn date_shape(text: &str) -> Option<DateShape> {
    if text.len() == 10 { date_shape_prefix(text) } else { None }
}

/// A birthday: a full date, or month and day when the year is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Birthday {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

impl Birthday {
    /// Reads `--MM-DD`: `Some(Ok)` for a real day (29 February included),
    /// `Some(Err(()))` for the shape without a real day, `None` otherwise.
    pub fn parse_month_day(text: &str) -> Option<Result<Birthday, ()>> {
        let b = text.as_bytes();
        if !(b.len() == 7 && b[0] == b'-' && b[1] == b'-' && b[4] == b'-') {
            return None;
        }
        if ![2, 3, 5, 6].iter().all(|&i| b[i].is_ascii_digit()) {
            return None;
        }
        let month = u32::from(b[2] - b'0') * 10 + u32::from(b[3] - b'0');
        let day = u32::from(b[5] - b'0') * 10 + u32::from(b[6] - b'0');
        // 2000 is a leap year, so 29 February is a real birthday.
        Some(match NaiveDate::from_ymd_opt(2000, month, day) {
            Some(_) => Ok(Birthday { year: None, month, day }),
            None => Err(()),
        })
    }

    /// The next occurrence on or after `today`; 29 February falls on 28
    /// February in other years.
    pub fn next_on_or_after(&self, today: Date) -> Date {
        let in_year = |year: i32| {
            NaiveDate::from_ymd_opt(year, self.month, self.day)
                .or_else(|| NaiveDate::from_ymd_opt(year, self.month, 28))
                .unwrap_or(today)
        };
        let this_year = in_year(today.year());
        if this_year >= today { this_year } else { in_year(today.year() + 1) }
    }

    /// ", turning 40" for the birthday on `day`, when the birth year is known
    /// and before that day's year (a birth year still to come says nothing).
    pub fn turning(&self, day: Date) -> String {
        match self.year.map(|y| day.year() - y) {
            Some(age) if age > 0 => format!(", turning {age}"),
            _ => String::new(),
        }
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    (to - from).num_days()
}

/// "today", "yesterday", "5 days ago", "3 weeks ago", "4 months ago", "2 years ago".
pub fn ago(date: Date, today: Date) -> String {
    let days = days_between(date, today);
    match days {
        i64::MIN..=-2 => format!("in {}", span_words(-days)),
        -1 => "tomorrow".to_string(),
        0 => "today".to_string(),
        1 => "yesterday".to_string(),
        _ => format!("{} ago", span_words(days)),
    }
}

/// "in 3 days", "tomorrow", "today", or "3 days ago".
pub fn relative(date: Date, today: Date) -> String {
    ago(date, today)
}

/// Rough human length of a number of days: "5 days", "3 weeks", "4 months".
pub fn span_words(days: i64) -> String {
    let plural = |n: i64, unit: &str| if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") };
    match days {
        0..=13 => plural(days, "day"),
        14..=59 => plural(days / 7, "week"),
        60..=729 => plural(days / 30, "month"),
        _ => plural(days / 365, "year"),
    }
}

/// "Fri 4 Dec".
pub fn short_day(date: Date) -> String {
    date.format("%a %-d %b").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn durations() {
        assert_eq!(Span::parse("10d"), Some(Span { count: 10, unit: Unit::Day }));
        assert_eq!(Span::parse("quarterly"), Some(Span { count: 3, unit: Unit::Month }));
        assert_eq!(Span::parse("99999999999d"), Some(Span { count: u32::MAX, unit: Unit::Day }));
        for bad in ["", "d", "0d", "01d", "-1d", "+1d", "1 d", "1D", "1x", "Monthly", "1.5m", "1é", "é"] {
            assert_eq!(Span::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn calendar_months_clamp() {
        assert_eq!(Span::parse("1m").unwrap().after(d("2026-01-31")), d("2026-02-28"));
        assert_eq!(Span::parse("1m").unwrap().after(d("2028-01-31")), d("2028-02-29"));
        assert_eq!(Span::parse("1y").unwrap().after(d("2028-02-29")), d("2029-02-28"));
        assert_eq!(Span::parse("2w").unwrap().after(d("2026-12-25")), d("2027-01-08"));
        assert_eq!(Span::parse("1m").unwrap().before(d("2026-03-31")), d("2026-02-28"));
    }

    #[test]
    fn date_shapes() {
        assert_eq!(date_shape("2026-02-30"), Some(DateShape::Unreal));
        assert_eq!(date_shape("2026-02-28"), Some(DateShape::Real(d("2026-02-28"))));
        assert_eq!(date_shape("2026-2-28"), None);
        assert_eq!(date_shape_prefix("2026-10-15 #got"), Some(DateShape::Real(d("2026-10-15"))));
    }

    #[test]
    fn birthdays() {
        let leap = Birthday::parse_month_day("--02-29").unwrap().unwrap();
        assert_eq!(leap.next_on_or_after(d("2026-02-01")), d("2026-02-28"));
        assert_eq!(leap.next_on_or_after(d("2028-02-01")), d("2028-02-29"));
        assert!(Birthday::parse_month_day("--02-30").unwrap().is_err());
        let dec = Birthday { year: Some(1988), month: 12, day: 1 };
        assert_eq!(dec.next_on_or_after(d("2026-12-01")), d("2026-12-01"));
        assert_eq!(dec.next_on_or_after(d("2026-12-02")), d("2027-12-01"));
    }
}
