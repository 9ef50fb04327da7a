//! Security questions: set-up rules, normalisation, comparison.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use eid_credentials::{
    AnswerRules, Catalogue, Error, HashParams, Hasher, Pepper, Question, SecurityQuestions,
};

fn hasher() -> Hasher {
    Hasher::new(HashParams::new(32, 1, 1))
        .unwrap()
        .with_pepper(Pepper::new(b"q", &[5u8; 32]).unwrap())
}

fn set_up(rules: AnswerRules, choices: &[(&str, &str)]) -> Result<SecurityQuestions, Error> {
    SecurityQuestions::set_up(
        &Catalogue::default(),
        rules,
        choices,
        &hasher(),
        &mut getrandom::SysRng,
    )
}

#[test]
fn catalogue_has_vietnamese_and_english_texts() {
    let c = Catalogue::default();
    assert!(c.questions().len() >= 6);
    for q in c.questions() {
        assert!(q.vi.ends_with('?') && q.en.ends_with('?'), "{q:?}");
        assert!(!q.vi.is_ascii(), "{q:?}");
    }
    assert!(c.get("first_pet").is_some());
    assert!(c.get("nope").is_none());
}

#[test]
fn exactly_two_distinct_known_questions_with_answers() {
    let r = AnswerRules::default();
    assert_eq!(
        set_up(r, &[("first_pet", "Mực")]).err(),
        Some(Error::WrongNumberOfQuestions(1))
    );
    assert_eq!(set_up(r, &[]).err(), Some(Error::WrongNumberOfQuestions(0)));
    assert_eq!(
        set_up(
            r,
            &[
                ("first_pet", "a"),
                ("first_job", "b"),
                ("first_school", "c")
            ]
        )
        .err(),
        Some(Error::WrongNumberOfQuestions(3))
    );
    assert_eq!(
        set_up(r, &[("first_pet", "a"), ("first_pet", "b")]).err(),
        Some(Error::SameQuestionTwice)
    );
    assert_eq!(
        set_up(r, &[("first_pet", "a"), ("nope", "b")]).err(),
        Some(Error::UnknownQuestion("nope".into()))
    );
    for empty in ["", "   ", "\t\n", "\u{3000}"] {
        assert_eq!(
            set_up(r, &[("first_pet", "a"), ("first_job", empty)]).err(),
            Some(Error::EmptyAnswer("first_job".into())),
            "{empty:?}"
        );
    }
    let s = set_up(r, &[("first_pet", "Mực"), ("first_job", "Hà Nội")]).unwrap();
    assert_eq!(
        s.question_ids().collect::<Vec<_>>(),
        ["first_pet", "first_job"]
    );
    for a in s.answers() {
        assert!(a.hash.starts_with("$argon2id$") && a.hash.contains("keyid="));
        assert!(!a.hash.contains("Mực"));
    }
}

#[test]
fn case_sensitive_by_default_and_nfc() {
    let s = set_up(
        AnswerRules::default(),
        &[("first_pet", "Mực"), ("first_job", "Hà Nội")],
    )
    .unwrap();
    let h = hasher();
    assert!(s.verify(&h, "first_pet", "Mực").unwrap().is_match());
    // u + dot below + horn: NFC reorders the marks and composes ự.
    assert!(
        s.verify(&h, "first_pet", "Mu\u{323}\u{31b}c")
            .unwrap()
            .is_match()
    );
    assert!(s.verify(&h, "first_pet", "Mư\u{323}c").unwrap().is_match()); // decomposed ự, NFC-equal
    assert!(!s.verify(&h, "first_pet", "mực").unwrap().is_match());
    assert!(!s.verify(&h, "first_pet", "MỰC").unwrap().is_match());
    assert!(!s.verify(&h, "first_pet", "Muc").unwrap().is_match());
    assert!(!s.verify(&h, "first_pet", "").unwrap().is_match());
    assert!(s.verify(&h, "first_job", " Hà   Nội ").unwrap().is_match());
    assert!(!s.verify(&h, "first_job", "Mực").unwrap().is_match()); // the other question's answer
    assert_eq!(
        s.verify(&h, "first_school", "x").err(),
        Some(Error::UnknownQuestion("first_school".into()))
    );
}

#[test]
fn case_insensitive_when_configured_and_rules_are_kept() {
    let rules = AnswerRules::default().with_case_sensitive(false);
    let s = set_up(rules, &[("first_pet", "Mực"), ("first_job", "Hà Nội")]).unwrap();
    let h = hasher();
    assert!(s.verify(&h, "first_pet", "MỰC").unwrap().is_match());
    assert!(s.verify(&h, "first_job", "hà nội").unwrap().is_match());
    assert!(!s.verify(&h, "first_job", "ha noi").unwrap().is_match());
    assert_eq!(s.rules(), rules);
}

#[test]
fn answers_need_a_pepper() {
    let no_pepper = Hasher::new(HashParams::new(32, 1, 1)).unwrap();
    assert_eq!(
        SecurityQuestions::set_up(
            &Catalogue::default(),
            AnswerRules::default(),
            &[("first_pet", "a"), ("first_job", "b")],
            &no_pepper,
            &mut getrandom::SysRng
        )
        .err(),
        Some(Error::PepperRequired)
    );
}

#[test]
fn custom_catalogue() {
    let q = |id: &str| Question {
        id: id.into(),
        vi: "Câu hỏi?".into(),
        en: "Question?".into(),
    };
    assert!(Catalogue::new(vec![q("a"), q("b")]).is_ok());
    assert!(Catalogue::new(vec![q("a")]).is_err());
    assert!(Catalogue::new(vec![q("a"), q("a")]).is_err());
    assert!(Catalogue::new(vec![q(""), q("a")]).is_err());
    let c = Catalogue::new(vec![q("a"), q("b")]).unwrap();
    let s = SecurityQuestions::set_up(
        &c,
        AnswerRules::default(),
        &[("a", "x"), ("b", "y")],
        &hasher(),
        &mut getrandom::SysRng,
    );
    assert!(s.is_ok());
}

#[cfg(feature = "serde")]
#[test]
fn stored_answers_are_serde_values() {
    let s = set_up(
        AnswerRules::default(),
        &[("first_pet", "Mực"), ("first_job", "Hà Nội")],
    )
    .unwrap();
    let json = serde_json::to_string(&s).unwrap();
    assert!(!json.contains("Mực"));
    let back: SecurityQuestions = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    assert!(
        back.verify(&hasher(), "first_pet", "Mực")
            .unwrap()
            .is_match()
    );
}
