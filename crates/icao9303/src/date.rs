//! Calendar dates as identity documents write them.
//!
//! A small proleptic-Gregorian date: enough to validate and compare the dates
//! on a card, with no time zone and no clock.

#[allow(unused_imports)]
use crate::prelude::*;
use core::fmt;

/// A valid calendar date (proleptic Gregorian, years 1 to 9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, or `None` when it does not exist (30 February, month 13, year 0...).
    pub const fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if year == 0 || year > 9999 || month == 0 || month > 12 || day == 0 {
            return None;
        }
        if day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The year, 1 to 9999.
    pub const fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub const fn day(self) -> u8 {
        self.day
    }

    /// Parses `YYYY-MM-DD` (ISO 8601 calendar date, extended format).
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let year = parse_digits(b.get(0..4)?)?;
        let month = parse_digits(b.get(5..7)?)?;
        let day = parse_digits(b.get(8..10)?)?;
        Date::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// Whole years from `self` to `later` (an age when `self` is a birthday).
    /// Negative when `later` is earlier.
    pub fn years_until(self, later: Date) -> i32 {
        let mut years = i32::from(later.year) - i32::from(self.year);
        if (later.month, later.day) < (self.month, self.day) {
            years -= 1;
        }
        years
    }
}

/// Parses a run of ASCII digits into a number; `None` for an empty run, a
/// non-digit or more than nine digits.
pub fn parse_digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 {
        return None;
    }
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// Whether `year` is a leap year in the Gregorian calendar.
pub const fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// The number of days in `month` (1-12) of `year`; 0 for a month out of range.
pub const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = <alloc::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse_iso(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("{s:?} is not a YYYY-MM-DD date")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2023));
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
    }

    #[test]
    fn impossible_dates_are_none() {
        for (y, m, d) in [
            (0, 1, 1),
            (2020, 0, 1),
            (2020, 13, 1),
            (2020, 4, 31),
            (2020, 1, 0),
        ] {
            assert_eq!(Date::new(y, m, d), None, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn iso_text() {
        let d = Date::parse_iso("1999-03-15").unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (1999, 3, 15));
        assert_eq!(d.to_string(), "1999-03-15");
        for bad in [
            "1999-3-15",
            "1999/03/15",
            "19990315",
            "1999-02-30",
            "+999-03-15",
            "",
        ] {
            assert_eq!(Date::parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn ages() {
        let dob = Date::new(1999, 3, 15).unwrap();
        assert_eq!(dob.years_until(Date::new(2024, 3, 14).unwrap()), 24);
        assert_eq!(dob.years_until(Date::new(2024, 3, 15).unwrap()), 25);
        assert_eq!(dob.years_until(Date::new(1998, 1, 1).unwrap()), -2);
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(y in 1u16..=9999, m in 1u8..=12, d in 1u8..=31) {
            if let Some(date) = Date::new(y, m, d) {
                prop_assert_eq!(Date::parse_iso(&date.to_string()), Some(date));
            }
        }

        #[test]
        fn parse_iso_never_panics(s in ".{0,16}") {
            let _ = Date::parse_iso(&s);
        }
    }
}
