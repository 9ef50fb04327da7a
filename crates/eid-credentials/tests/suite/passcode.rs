//! Tables of accepted and refused passcodes, and properties.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use eid_credentials::{Date, Error, PasscodePolicy, PasscodeReason as R, PersonalInfo};
use proptest::prelude::*;

fn holder() -> PersonalInfo {
    PersonalInfo {
        id_number: Some("001090012345".into()),
        phone: Some("0912 345 678".into()),
        full_name: Some("Trần Thị Ngọc Ánh".into()),
        date_of_birth: Some(Date::parse_iso("1990-08-15").unwrap()),
    }
}

fn dob(layout: &str) -> R {
    R::DateOfBirth {
        layout: layout.into(),
    }
}

#[test]
fn accepted() {
    let p = PasscodePolicy::default();
    for code in ["480613", "027395", "730528", "904172", "561038"] {
        assert_eq!(p.reasons(code, &holder()), vec![], "{code}");
        assert!(p.check(code, &holder()).is_ok());
    }
}

#[test]
fn must_be_six_ascii_digits() {
    let p = PasscodePolicy::default();
    for code in [
        "",
        "12345",
        "1234567",
        "12345a",
        " 48061",
        "48061 ",
        "４８０６１３",
        "٤٨٠٦١٣",
        "+48061",
        "4806１3",
    ] {
        assert_eq!(
            p.reasons(code, &holder()),
            vec![R::NotSixDigits],
            "{code:?}"
        );
        assert_eq!(
            p.check(code, &holder()),
            Err(Error::PasscodeRefused(vec![R::NotSixDigits]))
        );
    }
}

#[test]
fn date_of_birth_in_every_layout() {
    let p = PasscodePolicy::default();
    // 1990-08-15
    let table = [
        ("150890", "DDMMYY"),
        ("081590", "MMDDYY"),
        ("900815", "YYMMDD"),
        ("901508", "YYDDMM"),
        ("150819", "DDMMYYYY cut to 6"),
        ("081519", "MMDDYYYY cut to 6"),
        ("199008", "YYYYMMDD cut to 6"),
        ("081990", "MMYYYY"),
        ("151990", "DDYYYY"),
        ("199015", "YYYYDD"),
    ];
    for (code, layout) in table {
        let got = p.reasons(code, &holder());
        assert!(got.contains(&dob(layout)), "{code}: {got:?}");
        // Without the date of birth, that reason is not given.
        assert!(
            !p.reasons(code, &PersonalInfo::default())
                .iter()
                .any(|r| matches!(r, R::DateOfBirth { .. }))
        );
    }
    // YYYYMM (the same digits as YYYYMMDD cut to 6) is refused too.
    let ym = PersonalInfo {
        date_of_birth: Some(Date::new(2003, 12, 1).unwrap()),
        ..PersonalInfo::default()
    };
    assert!(
        p.reasons("200312", &ym)
            .iter()
            .any(|r| matches!(r, R::DateOfBirth { .. }))
    );
    assert!(p.reasons("122003", &ym).contains(&dob("MMYYYY")));
    assert!(p.reasons("011203", &ym).contains(&dob("DDMMYY")));
    assert!(p.reasons("031201", &ym).contains(&dob("YYMMDD")));
}

#[test]
fn id_and_phone_parts() {
    let p = PasscodePolicy::default();
    for code in [
        "001090", "010900", "109001", "090012", "900123", "001234", "012345",
    ] {
        assert!(
            p.reasons(code, &holder()).contains(&R::IdNumberPart),
            "{code}"
        );
    }
    for code in ["091234", "912345", "345678"] {
        assert!(p.reasons(code, &holder()).contains(&R::PhonePart), "{code}");
    }
    let intl = PersonalInfo {
        phone: Some("+84912345678".into()),
        ..PersonalInfo::default()
    };
    assert!(p.reasons("091234", &intl).contains(&R::PhonePart));
}

#[test]
fn patterns() {
    let p = PasscodePolicy::default().with_blocklist(false);
    let none = PersonalInfo::default();
    let table: Vec<(&str, Vec<R>)> = vec![
        ("000000", vec![R::AllSame]),
        ("777777", vec![R::AllSame]),
        ("123456", vec![R::Ascending, R::KeypadPattern]),
        ("345678", vec![R::Ascending]),
        ("789012", vec![R::Ascending]),
        ("654321", vec![R::Descending, R::KeypadPattern]),
        ("210987", vec![R::Descending]),
        ("121212", vec![R::RepeatedPair, R::KeypadPattern]),
        ("909090", vec![R::RepeatedPair]),
        ("123123", vec![R::RepeatedTriple, R::KeypadPattern]),
        ("837837", vec![R::RepeatedTriple]),
        ("123321", vec![R::Mirrored, R::KeypadPattern]),
        ("846648", vec![R::Mirrored]),
        ("147258", vec![R::KeypadPattern]),
        ("159357", vec![R::KeypadPattern]),
        ("258369", vec![R::KeypadPattern]),
        ("741963", vec![R::KeypadPattern]),
        ("258085", vec![R::KeypadPattern]), // column 2-5-8 then 0-8-5
        ("125478", vec![R::KeypadPattern]), // walk between neighbours
        ("236987", vec![R::KeypadPattern]),
    ];
    for (code, want) in table {
        assert_eq!(p.reasons(code, &none), want, "{code}");
    }
}

#[test]
fn common_pins_blocklist() {
    let p = PasscodePolicy::default();
    let none = PersonalInfo::default();
    for code in ["696969", "112233", "102030", "314159", "007007", "131313"] {
        assert!(p.reasons(code, &none).contains(&R::Common), "{code}");
        assert!(
            !PasscodePolicy::default()
                .with_blocklist(false)
                .reasons(code, &none)
                .contains(&R::Common)
        );
    }
    // The shipped file: 605 six-digit lines, led by the most common PIN.
    let list = include_str!("../../data/common-pins-6.txt");
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 605);
    assert_eq!(lines[0], "123456");
    assert!(
        lines
            .iter()
            .all(|l| l.len() == 6 && l.bytes().all(|b| b.is_ascii_digit()))
    );
    for l in &lines {
        assert!(p.reasons(l, &none).contains(&R::Common));
    }
}

#[test]
fn every_reason_has_code_and_both_messages() {
    let all = [
        R::NotSixDigits,
        dob("DDMMYY"),
        R::IdNumberPart,
        R::PhonePart,
        R::AllSame,
        R::Ascending,
        R::Descending,
        R::RepeatedPair,
        R::RepeatedTriple,
        R::Mirrored,
        R::KeypadPattern,
        R::Common,
    ];
    let mut codes = std::collections::HashSet::new();
    for r in &all {
        assert!(codes.insert(r.code()));
        assert!(r.message_vi().starts_with("Passcode"), "{r:?}");
        assert!(r.message_en().starts_with("The passcode"), "{r:?}");
    }
    assert!(dob("DDMMYY").message_en().contains("DDMMYY"));
}

proptest! {
    #[test]
    fn never_panics(code in "\\PC{0,10}") {
        let _ = PasscodePolicy::default().reasons(&code, &holder());
    }

    /// Every date of birth is refused in every six-digit layout.
    #[test]
    fn any_date_of_birth_is_refused(y in 1900u16..2100, m in 1u8..=12, d in 1u8..=28) {
        let who = PersonalInfo { date_of_birth: Some(Date::new(y, m, d).unwrap()), ..PersonalInfo::default() };
        let (dd, mm, yyyy) = (format!("{d:02}"), format!("{m:02}"), format!("{y:04}"));
        let yy = &yyyy[2..];
        for code in [
            format!("{dd}{mm}{yy}"), format!("{mm}{dd}{yy}"), format!("{yy}{mm}{dd}"), format!("{yy}{dd}{mm}"),
            format!("{dd}{mm}{yyyy}")[..6].to_owned(), format!("{yyyy}{mm}{dd}")[..6].to_owned(),
            format!("{mm}{yyyy}"), format!("{yyyy}{mm}"),
        ] {
            let reasons = PasscodePolicy::default().reasons(&code, &who);
            prop_assert!(reasons.iter().any(|r| matches!(r, R::DateOfBirth { .. })), "{} {:?}", code, reasons);
        }
    }

    /// Random six-digit codes are never refused as malformed.
    #[test]
    fn most_random_codes_pass(n in 0u32..1_000_000) {
        let code = format!("{n:06}");
        let reasons = PasscodePolicy::default().reasons(&code, &PersonalInfo::default());
        // Refusals, when any, are well-formed reasons, never NotSixDigits.
        prop_assert!(!reasons.contains(&R::NotSixDigits));
    }
}

#[test]
fn refusal_rate_is_small() {
    let p = PasscodePolicy::default();
    let none = PersonalInfo::default();
    let refused = (0..1_000_000u32)
        .step_by(7)
        .filter(|n| !p.reasons(&format!("{n:06}"), &none).is_empty())
        .count();
    let total = (0..1_000_000u32).step_by(7).count();
    assert!(refused * 50 < total, "{refused} of {total} refused");
    assert!(refused > 0);
}

/// Seed 004's example passcode ("Ví dụ: 121212") stays refused, and the
/// hint is seed 003's sentence (lines 491-492) word for word.
#[test]
fn seed_example_passcode_is_refused_with_the_seed_hint() {
    let reasons = PasscodePolicy::default().reasons("121212", &PersonalInfo::default());
    assert!(reasons.contains(&R::RepeatedPair), "{reasons:?}");
    let seed = "Vui lòng tránh các chữ số liên quan tới ngày sinh\nnhật, các chữ số quá dễ đoán";
    assert_eq!(
        eid_credentials::PASSCODE_HINT_VI.trim_end_matches('.'),
        seed.replace('\n', " ")
    );
}
