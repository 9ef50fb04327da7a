use super::*;
use proptest::prelude::*;

fn d(s: &str) -> Date {
    Date::parse_iso(s).unwrap()
}

/// `(birth, issue, candidates)`, `None` = no expiry. Each row worked by hand
/// from Điều 21 of the two laws (quoted in the module docs).
#[rustfmt::skip]
const TABLE: &[(&str, &str, &[Option<&str>], &str)] = &[
    // Public samples (names and numbers left out): the birthday of the age.
    ("1993-01-05", "2021-07-24", &[Some("2033-01-05")], "issued at 28: to 40"),
    ("1992-07-14", "2021-05-09", &[Some("2032-07-14")], "issued at 28: to 40"),
    ("1962-01-01", "2021-05-09", &[None], "issued at 59, within 2 years of 60: no expiry"),
    ("1965-06-05", "2025-06-06", &[None], "2023 law, issued at 60: no expiry"),
    // shared/vectors/cccd-mrz.toml: DOB 1999-03-15, DOE 2024-03-15.
    ("1999-03-15", "2021-07-01", &[Some("2024-03-15")], "issued at 22: to 25"),
    ("2002-10-20", "2016-10-20", &[Some("2027-10-20")], "first card at 14: to 25"),
    // Around the 2-year window before 25: its first day is the 23rd birthday.
    ("2000-05-10", "2023-05-09", &[Some("2025-05-10")], "the day before the window: to 25"),
    ("2000-05-10", "2023-05-10", &[Some("2040-05-10"), Some("2025-05-10")], "the window's first day: ambiguous"),
    ("2000-05-10", "2023-05-11", &[Some("2040-05-10")], "inside the window: to 40"),
    ("2000-05-10", "2025-05-09", &[Some("2040-05-10")], "the day before 25: to 40"),
    ("2000-05-10", "2025-05-10", &[Some("2040-05-10")], "on the 25th birthday: exchanged, to 40"),
    // Before 40.
    ("1983-12-31", "2021-12-30", &[Some("2023-12-31")], "the day before the 38th birthday: to 40"),
    ("1983-12-31", "2022-01-01", &[Some("2043-12-31")], "2014 law at 38: to 60"),
    // From 58 on.
    ("1964-09-01", "2022-08-31", &[Some("2024-09-01")], "the day before 58: to 60"),
    ("1964-09-01", "2022-09-01", &[None, Some("2024-09-01")], "the 58th birthday: ambiguous"),
    ("1964-09-01", "2022-09-02", &[None], "after 58: no expiry"),
    ("1950-03-03", "2021-04-01", &[None], "issued at 71: no expiry"),
    // Born on 29 February: the birthday of 25 is in a common year.
    ("2000-02-29", "2021-07-01", &[Some("2025-02-28"), Some("2025-03-01")], "leap-day birth, to 25"),
    ("1984-02-29", "2021-07-01", &[Some("2024-02-29")], "leap-day birth, 40th birthday in a leap year"),
    ("1964-02-29", "2021-07-01", &[Some("2024-02-29")], "leap-day birth, issued at 57: to 60 (2024 is leap)"),
    ("2000-02-29", "2023-02-28", &[Some("2040-02-29"), Some("2025-02-28"), Some("2025-03-01")],
        "leap-day birth on the window's first day under one reading only"),
    ("2000-02-29", "2025-02-28", &[Some("2040-02-29")], "reached 25 or within 2 years of it: to 40 either way"),
    // The switch to the 2023 law on 1 July 2024 (ages 14, 25, 40, 60).
    ("2013-03-01", "2024-06-30", &[Some("2038-03-01")], "2014 law: first age 25"),
    ("2013-03-01", "2024-07-01", &[Some("2027-03-01")], "2023 law at 11: to 14"),
    ("2012-03-01", "2024-07-01", &[Some("2037-03-01")], "2023 law at 12, within 2 years of 14: to 25"),
    ("2012-03-01", "2024-02-29", &[Some("2037-03-01")], "2014 law at 11: to 25"),
    ("2020-06-15", "2024-07-02", &[Some("2034-06-15")], "2023 law, a child of 4: to 14"),
    ("2011-07-01", "2023-07-01", &[Some("2036-07-01")], "2014 law, 12th birthday: to 25, no window at 14"),
    ("2012-07-01", "2024-07-01", &[Some("2037-07-01"), Some("2026-07-01")], "2023 law, 12th birthday: ambiguous"),
    ("1999-08-08", "2024-07-01", &[Some("2039-08-08")], "2023 law at 24: to 40 as before"),
];

#[test]
fn the_table_worked_by_hand_from_the_law() {
    for (birth, issue, want, why) in TABLE {
        let e = card_expiry(d(birth), d(issue));
        let want: Vec<Option<Date>> = want.iter().map(|w| w.map(d)).collect();
        assert_eq!(e.candidates, want, "{birth} issued {issue}: {why}");
        assert_eq!(e.date(), want[0], "{why}");
        assert_eq!(e.is_ambiguous(), want.len() > 1, "{why}");
    }
}

#[test]
fn the_issue_date_picks_the_law() {
    assert_eq!(Law::for_issue_date(d("2024-06-30")), Law::Cccd2014);
    assert_eq!(Law::for_issue_date(d("2024-07-01")), Law::CanCuoc2023);
    assert_eq!(Law::Cccd2014.exchange_ages(), &[25, 40, 60]);
    assert_eq!(Law::CanCuoc2023.exchange_ages(), &[14, 25, 40, 60]);
    assert_eq!(Law::CanCuoc2023.to_string(), "Luật Căn cước 26/2023/QH15");
}

fn any_date() -> impl Strategy<Value = Date> {
    (1900u16..2100, 1u8..=12, 1u8..=31)
        .prop_filter_map("a real date", |(y, m, d)| Date::new(y, m, d))
}

proptest! {
    /// Whatever the dates, every candidate is a birthday of an exchange age
    /// after the issue date, or no expiry only from 58 on.
    #[test]
    fn every_candidate_is_a_later_birthday_of_an_exchange_age(
        birth in any_date(),
        years in 0u16..90,
        days in 0u16..366,
    ) {
        let issue = Date::new(birth.year() + years, 1, 1).unwrap();
        let issue = (0..days).fold(issue, |d, _| next_day(d));
        prop_assume!(issue >= birth);
        let e = card_expiry(birth, issue);
        prop_assert!(!e.candidates.is_empty() && e.candidates.len() <= 3);
        let age_at_issue = birth.years_until(issue);
        for c in &e.candidates {
            match c {
                Some(x) => {
                    prop_assert!(*x > issue, "{x} not after {issue}");
                    let age = x.year() - birth.year();
                    prop_assert!(e.law.exchange_ages().contains(&age), "age {age}");
                    let same_day = (x.month(), x.day()) == (birth.month(), birth.day());
                    let leap = (birth.month(), birth.day()) == (2, 29)
                        && matches!((x.month(), x.day()), (2, 28) | (3, 1));
                    prop_assert!(same_day || leap);
                    // Never more than 2 years short of the next age, nor
                    // more than the gap to the age after it.
                    prop_assert!(age_at_issue < i32::from(age));
                }
                None => prop_assert!(age_at_issue >= 57, "no expiry at {age_at_issue}"),
            }
        }
    }
}

fn next_day(d: Date) -> Date {
    Date::new(d.year(), d.month(), d.day() + 1)
        .or_else(|| Date::new(d.year(), d.month() + 1, 1))
        .or_else(|| Date::new(d.year() + 1, 1, 1))
        .unwrap()
}
