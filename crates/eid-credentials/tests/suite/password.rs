//! Tables of accepted and refused passwords for both rule sets.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use eid_credentials::{Date, Error, PasswordPolicy, PasswordReason as R, PersonalInfo, RuleSet};
use proptest::prelude::*;

fn nobody() -> PersonalInfo {
    PersonalInfo::default()
}

fn holder() -> PersonalInfo {
    PersonalInfo {
        id_number: Some("001090012345".into()),
        phone: Some("+84 912 345 678".into()),
        full_name: Some("Trần Thị Ngọc Ánh".into()),
        date_of_birth: Some(Date::new(1990, 8, 15).unwrap()),
    }
}

fn special() -> R {
    R::NoSpecial {
        allowed: "!@#$^*_".into(),
    }
}

#[test]
fn vneid_accepts() {
    let p = PasswordPolicy::vneid();
    for pw in [
        "Ngọc@123456",          // the seeds' example, precomposed ọ
        "Ngo\u{323}c@123456",   // the same typed with a combining dot below
        "Abcdef1!",             // exactly 8
        "Abcdefghijklmnopqr1_", // exactly 20
        "ĐẶNG_van_9",           // Vietnamese upper and lower case
        "Пароль*2024",          // any script's letters count
        "a B 1 ^ c d",          // spaces are allowed
        "Xy9$%&%&",             // other symbols allowed beside a listed one
    ] {
        assert_eq!(p.reasons(pw, &nobody()), vec![], "{pw}");
        assert!(p.check(pw, &nobody()).is_ok());
    }
}

#[test]
fn vneid_refusals_list_every_reason() {
    let p = PasswordPolicy::vneid();
    let table: Vec<(&str, Vec<R>)> = vec![
        (
            "",
            vec![
                R::TooShort { min: 8 },
                R::NoDigit,
                R::NoUppercase,
                R::NoLowercase,
                special(),
            ],
        ),
        ("Abcde1!", vec![R::TooShort { min: 8 }]),
        ("Abcdefghijklmnopqrs1_", vec![R::TooLong { max: 20 }]),
        ("abcdefg1!", vec![R::NoUppercase]),
        ("ABCDEFG1!", vec![R::NoLowercase]),
        ("Abcdefgh!", vec![R::NoDigit]),
        ("Abcdefgh1", vec![special()]),
        ("Abcdefgh1%", vec![special()]), // % is not in the default set
        ("Abcdefgh1)", vec![special()]), // seed 003's brackets, not the set
        ("Abcdefgh1(", vec![special()]),
        ("Abcd\tfgh1!", vec![R::ControlCharacter]),
        // On the shipped blocklist too (its line 2 is "12345678").
        (
            "12345678",
            vec![R::NoUppercase, R::NoLowercase, special(), R::Common],
        ),
        // Composition rules alone let these through: the blocklist does not.
        ("P@ssw0rd", vec![R::Common]),
        ("Ngọc123456", vec![special()]),
        ("Abcd١٢٣٤!x", vec![R::NoDigit]), // Arabic-Indic digits are not ASCII digits
    ];
    for (pw, want) in table {
        assert_eq!(p.reasons(pw, &nobody()), want, "{pw:?}");
        if !want.is_empty() {
            assert_eq!(p.check(pw, &nobody()), Err(Error::PasswordRefused(want)));
        }
    }
}

#[test]
fn vneid_length_counts_characters_after_nfc() {
    let p = PasswordPolicy::vneid();
    // 8 characters, 7 of them with combining marks: NFC makes them 8 chars.
    let pw = "A\u{301}e\u{301}o\u{301}u\u{301}i\u{301}y\u{301}1!";
    assert_eq!(p.reasons(pw, &nobody()), vec![]);
    // 20 precomposed Vietnamese characters is within the limit, 21 is not.
    let twenty = format!("Ạ{}1!", "ố".repeat(17));
    assert_eq!(twenty.chars().count(), 20);
    assert_eq!(p.reasons(&twenty, &nobody()), vec![]);
    assert_eq!(
        p.reasons(&format!("{twenty}ư"), &nobody()),
        vec![R::TooLong { max: 20 }]
    );
}

#[test]
fn special_set_is_configurable() {
    let p = PasswordPolicy::vneid().with_specials("!@#$^*)_").unwrap(); // the seeds' spelling
    assert_eq!(
        p.reasons("Abcdefgh1(", &nobody()),
        vec![R::NoSpecial {
            allowed: "!@#$^*)_".into()
        }]
    );
    assert_eq!(p.reasons("Abcdefgh1)", &nobody()), vec![]);
    let p = PasswordPolicy::vneid().with_specials("%").unwrap();
    assert_eq!(p.reasons("Abcdefgh1%", &nobody()), vec![]);
    for bad in ["", "a", "1", " ", "!a"] {
        assert!(
            matches!(
                PasswordPolicy::vneid().with_specials(bad),
                Err(Error::InvalidConfig { .. })
            ),
            "{bad:?}"
        );
    }
}

#[test]
fn seeds_six_to_twenty_variant_is_configurable() {
    let p = PasswordPolicy::vneid().with_length(6, 20).unwrap();
    assert_eq!(p.reasons("Ab1!cd", &nobody()), vec![]);
    assert!(PasswordPolicy::vneid().with_length(0, 20).is_err());
    assert!(PasswordPolicy::vneid().with_length(21, 20).is_err());
}

#[test]
fn nist_rules() {
    let p = PasswordPolicy::nist();
    assert_eq!(p.rules(), RuleSet::Nist);
    assert_eq!(p.length(), (8, 64));
    for pw in [
        "correct horse battery staple",
        "aaaaaaaaaaaaaaaaax",
        "ngọc của tôi",
        "zq8vn3kd",
    ] {
        assert_eq!(p.reasons(pw, &nobody()), vec![], "{pw}");
    }
    let table: Vec<(&str, Vec<R>)> = vec![
        ("short", vec![R::TooShort { min: 8 }]),
        ("password", vec![R::Common]),
        ("PassWord", vec![R::Common]), // case-insensitive
        ("12345678", vec![R::Common]),
        ("qwertyuiop", vec![R::Common]),
        ("iloveyou", vec![R::Common]),
        ("1qaz2wsx", vec![R::Common]),
        ("trustno1", vec![R::Common]),
    ];
    for (pw, want) in table {
        assert_eq!(p.reasons(pw, &nobody()), want, "{pw:?}");
    }
    let long = "x".repeat(65);
    assert_eq!(p.reasons(&long, &nobody()), vec![R::TooLong { max: 64 }]);
    assert_eq!(p.reasons(&"x".repeat(64), &nobody()), vec![]);
    // No composition rules.
    assert_eq!(p.reasons("alllowercaseletters", &nobody()), vec![]);
    // Max must stay >= 64, min >= 8.
    assert!(PasswordPolicy::nist().with_length(8, 63).is_err());
    assert!(PasswordPolicy::nist().with_length(7, 64).is_err());
    let p15 = PasswordPolicy::nist().with_length(15, 128).unwrap();
    assert_eq!(
        p15.reasons("fourteen chars", &nobody()),
        vec![R::TooShort { min: 15 }]
    );
    // Extra words, e.g. the service's name.
    let p = PasswordPolicy::nist().with_extra_blocklist(["VNeID12345", "dinhdanh"]);
    assert_eq!(p.reasons("vneid12345", &nobody()), vec![R::Common]);
    assert_eq!(p.reasons("DINHDANH", &nobody()), vec![R::Common]);
    // The blocklist can be turned off (and on for VNeID).
    assert_eq!(
        PasswordPolicy::nist()
            .with_blocklist(false)
            .reasons("password", &nobody()),
        vec![]
    );
    assert_eq!(
        PasswordPolicy::vneid()
            .with_blocklist(true)
            .with_extra_blocklist(["Abcdefg1!"])
            .reasons("Abcdefg1!", &nobody()),
        vec![R::Common]
    );
}

#[test]
fn personal_data_is_refused() {
    let h = holder();
    // NIST by default, VNeID only when asked (the seeds' rule has no such
    // refusal).
    for rules in [
        PasswordPolicy::nist(),
        PasswordPolicy::vneid().with_personal_info_check(true),
    ] {
        let table: Vec<(&str, R)> = vec![
            ("Xx!001090012345", R::ContainsIdNumber),
            ("Xx!a012345b", R::ContainsIdNumber), // last six digits of the ID
            ("Xx!0912345678", R::ContainsPhone),
            ("Xx!912345zz", R::ContainsPhone),
            ("Ngoc@Zz9yyy", R::ContainsName), // without diacritics
            ("NGỌC@Zz9yyy", R::ContainsName),
            ("tranthi!Zz9", R::ContainsName),
            ("Xx!15081990q", R::ContainsDateOfBirth),
            ("Xx!19900815q", R::ContainsDateOfBirth),
            ("Xx!150890qq", R::ContainsDateOfBirth),
            ("Xx!15/08/1990", R::ContainsDateOfBirth),
        ];
        for (pw, reason) in table {
            let got = rules.reasons(pw, &h);
            assert!(got.contains(&reason), "{pw}: {got:?}");
            assert!(rules.reasons(pw, &nobody()).iter().all(|r| *r != reason));
        }
        // Short name parts (Thị is 3 letters, so it counts; "Ánh" too).
        assert!(
            rules
                .reasons("Xyz!anh12345678", &h)
                .contains(&R::ContainsName)
        );
        // Personal checks can be turned off.
        let off = rules.clone().with_personal_info_check(false);
        assert!(!off.reasons("Ngoc@Zz9yyy", &h).contains(&R::ContainsName));
    }
    // Several personal reasons at once.
    let got = PasswordPolicy::nist().reasons("ngoc15081990", &h);
    assert_eq!(got, vec![R::ContainsName, R::ContainsDateOfBirth]);
}

/// Seed 004's own example password ("Ví dụ: Ngọc@123456") is accepted in
/// the VNeID mode whoever holds the account, a Ngọc with that very date of
/// birth and ID digits included; the NIST mode still refuses the name.
#[test]
fn seed_example_is_accepted_for_every_holder() {
    let ngoc = PersonalInfo {
        id_number: Some("001123456789".into()),
        phone: Some("0912345678".into()),
        full_name: Some("Nguyễn Thị Ngọc".into()),
        date_of_birth: Some(eid_credentials::Date::parse_iso("1990-08-15").unwrap()),
    };
    let vneid = PasswordPolicy::vneid();
    for holder in [nobody(), holder(), ngoc.clone()] {
        assert_eq!(vneid.reasons("Ngọc@123456", &holder), vec![], "{holder:?}");
    }
    // Typed decomposed (NFD), it is the same password.
    let nfd = "Ngo\u{323}c@123456";
    assert_eq!(vneid.reasons(nfd, &ngoc), vec![]);
    assert!(
        PasswordPolicy::nist()
            .reasons("Ngọc@123456", &ngoc)
            .contains(&R::ContainsName)
    );
    // The blocklist stays in the VNeID mode.
    assert_eq!(vneid.reasons("P@ssw0rd", &nobody()), vec![R::Common]);
}

/// Seed 003's set is `!@#$^*` and `_`: its parentheses are the sentence's
/// brackets, so they do not count as the special character.
#[test]
fn special_set_is_the_seed_text() {
    let vneid = PasswordPolicy::vneid();
    for sp in ['!', '@', '#', '$', '^', '*', '_'] {
        let pw = format!("Abcdefg1{sp}");
        assert_eq!(vneid.reasons(&pw, &nobody()), vec![], "{pw}");
    }
    for sp in ['(', ')', '%', '&', '-'] {
        let pw = format!("Abcdefg1{sp}");
        assert_eq!(
            vneid.reasons(&pw, &nobody()),
            vec![R::NoSpecial {
                allowed: "!@#$^*_".into()
            }],
            "{pw}"
        );
    }
}

#[test]
fn confirmation_must_equal() {
    let p = PasswordPolicy::vneid();
    assert!(
        p.check_with_confirmation("Ngọc@123456", "Ngọc@123456", &nobody())
            .is_ok()
    );
    // NFC-equal spellings are equal.
    assert!(
        p.check_with_confirmation("Ngọc@123456", "Ngo\u{323}c@123456", &nobody())
            .is_ok()
    );
    assert_eq!(
        p.check_with_confirmation("Ngọc@123456", "Ngoc@123456", &nobody()),
        Err(Error::PasswordRefused(vec![R::ConfirmationMismatch]))
    );
    assert_eq!(
        p.check_with_confirmation("abc", "abd", &nobody()),
        Err(Error::PasswordRefused(vec![
            R::TooShort { min: 8 },
            R::NoDigit,
            R::NoUppercase,
            special(),
            R::ConfirmationMismatch
        ]))
    );
}

#[test]
fn every_reason_has_code_and_both_messages() {
    let all = [
        R::TooShort { min: 8 },
        R::TooLong { max: 20 },
        R::NoDigit,
        R::NoUppercase,
        R::NoLowercase,
        special(),
        R::ControlCharacter,
        R::Common,
        R::ContainsIdNumber,
        R::ContainsPhone,
        R::ContainsName,
        R::ContainsDateOfBirth,
        R::ConfirmationMismatch,
    ];
    let mut codes = std::collections::HashSet::new();
    for r in &all {
        assert!(codes.insert(r.code()), "duplicate code {}", r.code());
        assert!(r.message_vi().starts_with("Mật khẩu"), "{r:?}");
        assert!(r.message_en().starts_with("The "), "{r:?}");
    }
    assert!(R::TooShort { min: 8 }.message_vi().contains('8'));
    assert!(special().message_en().contains("!@#$^*_"));
}

proptest! {
    #[test]
    fn reasons_never_panic_and_check_agrees(pw in "\\PC{0,40}") {
        for p in [PasswordPolicy::vneid(), PasswordPolicy::nist()] {
            let reasons = p.reasons(&pw, &holder());
            prop_assert_eq!(reasons.is_empty(), p.check(&pw, &holder()).is_ok());
        }
    }

    /// A password built to satisfy every VNeID rule is accepted.
    #[test]
    fn vneid_composed_passwords_pass(
        lower in "[a-zàáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]{2,4}", upper in "[A-Z]{1,3}", digits in "[2-7]{1,3}", sp in "[!@#$^*_]", filler in "[k-z]{0,6}"
    ) {
        let pw = format!("{upper}{lower}{sp}{digits}{filler}");
        prop_assume!(pw.chars().count() >= 8 && pw.chars().count() <= 20);
        prop_assert_eq!(PasswordPolicy::vneid().reasons(&pw, &PersonalInfo::default()), vec![]);
    }
}
