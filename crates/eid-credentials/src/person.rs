//! What the policies know about the holder: ID number, phone, name, date
//! of birth.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::Error;

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A date, checked to exist (years 1 to 9999).
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, Error> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 0,
        };
        if year == 0 || year > 9999 || day == 0 || day > days {
            return Err(Error::InvalidDate(format!("{year:04}-{month:02}-{day:02}")));
        }
        Ok(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Result<Self, Error> {
        let bad = || Error::InvalidDate(s.chars().take(32).collect());
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return Err(bad());
        }
        let num = |r: core::ops::Range<usize>| -> Result<u16, Error> {
            let part = s.get(r).ok_or_else(bad)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            part.parse::<u16>().map_err(|_| bad())
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        Date::new(
            y,
            u8::try_from(m).map_err(|_| bad())?,
            u8::try_from(d).map_err(|_| bad())?,
        )
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// The date written in common digit layouts, each with its name:
    /// six-digit layouts and eight-digit ones.
    pub(crate) fn layouts(&self) -> Vec<(&'static str, String)> {
        let dd = format!("{:02}", self.day);
        let mm = format!("{:02}", self.month);
        let yyyy = format!("{:04}", self.year);
        let yy = format!("{:02}", self.year % 100);
        let cc = format!("{:02}", self.year / 100);
        vec![
            ("DDMMYY", format!("{dd}{mm}{yy}")),
            ("MMDDYY", format!("{mm}{dd}{yy}")),
            ("YYMMDD", format!("{yy}{mm}{dd}")),
            ("YYDDMM", format!("{yy}{dd}{mm}")),
            ("DDMMYYYY cut to 6", format!("{dd}{mm}{cc}")),
            ("MMDDYYYY cut to 6", format!("{mm}{dd}{cc}")),
            ("YYYYMMDD cut to 6", format!("{yyyy}{mm}")),
            ("MMYYYY", format!("{mm}{yyyy}")),
            ("YYYYMM", format!("{yyyy}{mm}")),
            ("DDYYYY", format!("{dd}{yyyy}")),
            ("YYYYDD", format!("{yyyy}{dd}")),
            ("DDMMYYYY", format!("{dd}{mm}{yyyy}")),
            ("YYYYMMDD", format!("{yyyy}{mm}{dd}")),
            ("MMDDYYYY", format!("{mm}{dd}{yyyy}")),
        ]
    }
}

/// `YYYY-MM-DD`, as [`Date::parse_iso`]: `"1990-08-15".parse::<Date>()`.
impl core::str::FromStr for Date {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Date::parse_iso(s)
    }
}

/// What is known of the holder, to refuse secrets built from it. Every
/// field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonalInfo {
    /// The 12-digit personal identification number (CCCD number).
    pub id_number: Option<String>,
    /// The phone number (any format; digits are extracted, +84 becomes 0).
    pub phone: Option<String>,
    /// The full name, with or without diacritics.
    pub full_name: Option<String>,
    /// The date of birth.
    pub date_of_birth: Option<Date>,
}

/// The ASCII digits of `s`, in order.
pub(crate) fn digits_of(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

impl PersonalInfo {
    pub(crate) fn id_digits(&self) -> Option<String> {
        self.id_number
            .as_deref()
            .map(digits_of)
            .filter(|d| d.len() >= 6)
    }

    pub(crate) fn phone_digits(&self) -> Option<String> {
        let d = self.phone.as_deref().map(digits_of)?;
        let d = match d.strip_prefix("84") {
            Some(rest) if d.len() == 11 => format!("0{rest}"),
            _ => d,
        };
        Some(d).filter(|d| d.len() >= 6)
    }
}

/// Every window of `n` characters of the ASCII string `s`.
pub(crate) fn windows(s: &str, n: usize) -> impl Iterator<Item = &str> {
    (0..=s.len().saturating_sub(n)).filter_map(move |i| s.get(i..i.checked_add(n)?))
}

/// Folds text for name comparison: NFD, combining marks dropped, đ to d,
/// lower case.
pub(crate) fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}
