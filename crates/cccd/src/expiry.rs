//! The date of expiry of a CCCD, from the date of birth and the issue date
//! alone, as the law sets it: what the chip's access key needs when only the
//! QR code was scanned (the QR holds the ID, the date of birth and the issue
//! date, not the expiry).
//!
//! # The law
//!
//! Cards issued before 1 July 2024: Luật Căn cước công dân, số
//! 59/2014/QH13 (the Citizen Identification Law of 2014), Điều 21:
//!
//! > **Điều 21. Độ tuổi đổi thẻ Căn cước công dân**
//! > 1. Thẻ Căn cước công dân phải được đổi khi công dân đủ 25 tuổi, đủ 40
//! >    tuổi và đủ 60 tuổi.
//! > 2. Trường hợp thẻ Căn cước công dân được cấp, đổi, cấp lại trong thời
//! >    hạn 2 năm trước tuổi quy định tại khoản 1 Điều này thì vẫn có giá
//! >    trị sử dụng đến tuổi đổi thẻ tiếp theo.
//!
//! (Article 21, ages for exchanging the card. 1. The card must be exchanged
//! when the citizen reaches 25, 40 and 60 years of age. 2. A card issued,
//! exchanged or reissued within 2 years before an age of paragraph 1 stays
//! valid until the next exchange age.)
//!
//! Cards issued from 1 July 2024: Luật Căn cước, số 26/2023/QH15 (the
//! Identification Law of 2023, in force from that day), Điều 21:
//!
//! > **Điều 21. Độ tuổi cấp đổi thẻ căn cước**
//! > 1. Công dân Việt Nam đã được cấp thẻ căn cước phải thực hiện thủ tục
//! >    cấp đổi thẻ căn cước khi đủ 14 tuổi, 25 tuổi, 40 tuổi và 60 tuổi.
//! > 2. Thẻ căn cước được cấp, cấp đổi, cấp lại trong thời hạn 02 năm trước
//! >    độ tuổi cấp đổi thẻ căn cước quy định tại khoản 1 Điều này có giá
//! >    trị sử dụng đến tuổi cấp đổi thẻ căn cước tiếp theo.
//!
//! (1. A Vietnamese citizen issued an identity card must have it exchanged
//! on reaching 14, 25, 40 and 60 years of age. 2. A card issued, exchanged
//! or reissued within 02 years before an exchange age of paragraph 1 is
//! valid until the next exchange age.)
//!
//! and its Điều 46 khoản 1 keeps the older cards as they were: "Thẻ căn
//! cước công dân đã được cấp trước ngày Luật này có hiệu lực thi hành có
//! giá trị sử dụng đến hết thời hạn được in trên thẻ" (a citizen
//! identification card issued before this Law takes effect is valid until
//! the end of the term printed on it). So the issue date picks the law.
//!
//! The texts are quoted as public legal sites reproduce them, not from the
//! Official Gazette: for the 2014 law thuvienphapluat.vn, thuviennhadat.vn
//! and lawnet.vn agree word for word; for the 2023 law the press
//! (cafef.vn, giadinh.suckhoedoisong.vn, plo.vn) quotes paragraph 1 alike
//! and paragraph 2 with one word more in some copies ("Thẻ căn cước đã
//! được cấp..."), the same rule.
//!
//! # What follows, and what the law leaves open
//!
//! - The law names ages, the card a date: cards print (and their MRZ
//!   carries) the holder's birthday in the year of the exchange age. Public
//!   samples agree: born 05/01/1993, issued 24/07/2021, "có giá trị đến"
//!   05/01/2033 (MRZ `330105`); born 14/07/1992, issued 09/05/2021, valid
//!   to 14/07/2032 (`320714`). Not the day before.
//! - No age follows 60, so a card issued from the 58th birthday on (2 years
//!   before 60) or after 60 has no expiry: "Không thời hạn" on the card,
//!   `991231` in the MRZ (a sample born 01/01/1962, issued 09/05/2021, and
//!   a 2023-law card born 05/06/1965, issued 06/06/2025, both carry it).
//!   The law says "valid until the next age"; "no expiry" is its
//!   consequence, not its words.
//! - Under the 2014 law no card was issued before 14, so its first age is
//!   25; under the 2023 law a card issued before the 12th birthday runs to
//!   the 14th.
//!
//! Two boundary days are not settled by the text, and for them
//! [`CardExpiry::candidates`] gives more than one date, most likely first:
//!
//! 1. Born on 29 February, with the birthday of the exchange age in a
//!    common year: 28 February first (Bộ luật Dân sự 2015, Điều 148
//!    khoản 3 ends a term counted in months on the last day of the month
//!    when the month has no corresponding day; khoản 4, for years, says
//!    only "ngày, tháng tương ứng"; and common date libraries add years
//!    that way), then 1 March.
//! 2. Issued exactly 2 years before an exchange age (on the 23rd, 38th or
//!    58th birthday; the 12th under the 2023 law): "trong thời hạn 2 năm
//!    trước" read as including that day first, so valid to the next age
//!    (the Ministry of Public Security's answers, as the provincial press
//!    reprints them, say "được cấp, đổi, cấp lại khi công dân đủ 23 tuổi,
//!    38 tuổi, 58 tuổi thì vẫn có giá trị sử dụng đến tuổi đổi thẻ tiếp
//!    theo": issued at 23, 38, 58 full years), then as excluding it.
//!
//! A card issued on the birthday of an exchange age itself is the
//! exchanged card: the holder has reached that age ("đủ"), so it runs to
//! the next one. There is nothing to try there.
//!
//! ```
//! use cccd::expiry::{card_expiry, Law};
//! use icao9303::Date;
//!
//! let d = |y, m, d| Date::new(y, m, d).unwrap();
//! // Issued at 28: valid to the 40th birthday.
//! let e = card_expiry(d(1993, 1, 5), d(2021, 7, 24));
//! assert_eq!(e.law, Law::Cccd2014);
//! assert_eq!(e.date(), Some(d(2033, 1, 5)));
//! // Issued at 59: no expiry.
//! assert_eq!(card_expiry(d(1962, 1, 1), d(2021, 5, 9)).date(), None);
//! ```

#[allow(unused_imports)]
use crate::prelude::*;
use core::fmt;

use icao9303::Date;

/// The law a card's validity follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Law {
    /// Luật Căn cước công dân 59/2014/QH13: cards issued before
    /// 1 July 2024; exchange at 25, 40, 60.
    Cccd2014,
    /// Luật Căn cước 26/2023/QH15: cards issued from 1 July 2024; exchange
    /// at 14, 25, 40, 60.
    CanCuoc2023,
}

impl Law {
    /// The law a card issued on `issue_date` follows: the 2023 law from
    /// 1 July 2024, the day it took effect (its Điều 45).
    pub fn for_issue_date(issue_date: Date) -> Law {
        if (issue_date.year(), issue_date.month(), issue_date.day()) < (2024, 7, 1) {
            Law::Cccd2014
        } else {
            Law::CanCuoc2023
        }
    }

    /// The exchange ages of its Điều 21 khoản 1, youngest first.
    pub fn exchange_ages(self) -> &'static [u16] {
        match self {
            Law::Cccd2014 => &[25, 40, 60],
            Law::CanCuoc2023 => &[14, 25, 40, 60],
        }
    }

    /// The law's number, as cited.
    pub fn number(self) -> &'static str {
        match self {
            Law::Cccd2014 => "59/2014/QH13",
            Law::CanCuoc2023 => "26/2023/QH15",
        }
    }
}

impl fmt::Display for Law {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Law::Cccd2014 => write!(f, "Luật Căn cước công dân {}", self.number()),
            Law::CanCuoc2023 => write!(f, "Luật Căn cước {}", self.number()),
        }
    }
}

/// What the law says one card's date of expiry is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CardExpiry {
    /// The law followed, from the issue date.
    pub law: Law,
    /// The possible dates of expiry, most likely first, never empty and
    /// without repeats; `None` is a card without expiry (`991231` in the
    /// MRZ). More than one only on the boundary days the module docs list.
    pub candidates: Vec<Option<Date>>,
}

impl CardExpiry {
    /// The most likely date of expiry; `None` for a card without expiry.
    pub fn date(&self) -> Option<Date> {
        self.candidates.first().copied().flatten()
    }

    /// Whether the law leaves the day open (more than one candidate).
    pub fn is_ambiguous(&self) -> bool {
        self.candidates.len() > 1
    }
}

/// How a boundary day is read; every combination is tried, in this order.
#[derive(Debug, Clone, Copy)]
struct Reading {
    /// A 29 February birthday in a common year falls on 1 March (else on
    /// 28 February).
    leap_day_on_march_1: bool,
    /// The day exactly 2 years before an exchange age is inside the window.
    window_includes_first_day: bool,
}

const READINGS: [Reading; 4] = [
    Reading {
        leap_day_on_march_1: false,
        window_includes_first_day: true,
    },
    Reading {
        leap_day_on_march_1: false,
        window_includes_first_day: false,
    },
    Reading {
        leap_day_on_march_1: true,
        window_includes_first_day: true,
    },
    Reading {
        leap_day_on_march_1: true,
        window_includes_first_day: false,
    },
];

/// The birthday on which someone born on `dob` reaches `age`; `None` past
/// year 9999.
fn birthday(dob: Date, age: u16, reading: Reading) -> Option<Date> {
    let year = dob.year().checked_add(age)?;
    Date::new(year, dob.month(), dob.day()).or_else(|| {
        // Only 29 February has no corresponding day.
        if reading.leap_day_on_march_1 {
            Date::new(year, 3, 1)
        } else {
            Date::new(year, 2, 28)
        }
    })
}

/// The expiry under one reading: the birthday of the first exchange age
/// not yet reached on the issue date, skipped to the next when the card
/// was issued within 2 years before it.
fn expiry_under(dob: Date, issue: Date, ages: &[u16], reading: Reading) -> Option<Date> {
    let mut due = ages
        .iter()
        .position(|&age| birthday(dob, age, reading).is_none_or(|b| issue < b))?;
    let &age = ages.get(due)?;
    let window_start = birthday(dob, age.saturating_sub(2), reading)?;
    let in_window = if reading.window_includes_first_day {
        issue >= window_start
    } else {
        issue > window_start
    };
    if in_window {
        due = due.saturating_add(1);
    }
    birthday(dob, *ages.get(due)?, reading)
}

/// The date of expiry the law gives a card of someone born on
/// `date_of_birth`, issued (or exchanged, or reissued) on `issue_date`.
pub fn card_expiry(date_of_birth: Date, issue_date: Date) -> CardExpiry {
    let law = Law::for_issue_date(issue_date);
    let mut candidates: Vec<Option<Date>> = Vec::with_capacity(2);
    for reading in READINGS {
        let e = expiry_under(date_of_birth, issue_date, law.exchange_ages(), reading);
        if !candidates.contains(&e) {
            candidates.push(e);
        }
    }
    CardExpiry { law, candidates }
}

#[cfg(test)]
mod tests;
