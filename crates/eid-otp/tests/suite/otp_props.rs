//! HOTP/TOTP edge cases, replay refusal, secrets and `otpauth://` URIs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::{FailingRng, TestRng};
use eid_otp::{Algorithm, Digits, Error, Hotp, OtpAuthUri, OtpKind, ReplayGuard, Secret, Totp};
use proptest::prelude::*;

const K20: &[u8] = b"12345678901234567890";

fn totp(skew: u8) -> Totp {
    Totp::builder(Secret::from_bytes(K20).unwrap())
        .skew(skew)
        .build()
        .unwrap()
}

#[test]
fn skew_window_near_time_zero_does_not_underflow() {
    let t = totp(3);
    let mut g = ReplayGuard::new();
    // At time 0 the window is steps 0..=3, not wrapping below 0.
    let c0 = t.generate_step(0);
    assert_eq!(t.verify(c0.expose_secret(), 0, &mut g), Ok(0));
    let c3 = t.generate_step(3);
    assert_eq!(t.verify(c3.expose_secret(), 0, &mut g), Ok(3));
    // Step u64::MAX (what a wrapping subtraction would reach) is not accepted.
    let wrapped = t.generate_step(u64::MAX);
    if wrapped != c0 && wrapped != c3 {
        assert!(
            t.verify(wrapped.expose_secret(), 0, &mut ReplayGuard::new())
                .is_err()
        );
    }
}

#[test]
fn skew_window_far_in_the_future_does_not_overflow() {
    let t = Totp::builder(Secret::from_bytes(K20).unwrap())
        .step(1)
        .skew(5)
        .build()
        .unwrap();
    let now = u64::MAX;
    assert_eq!(t.step_at(now), Ok(u64::MAX));
    let mut g = ReplayGuard::new();
    let c = t.generate(now).unwrap();
    assert_eq!(t.verify(c.expose_secret(), now, &mut g), Ok(u64::MAX));
    // Nothing after u64::MAX: the guard is spent, every code is refused.
    assert_eq!(g.next_allowed(), None);
    assert!(t.verify(c.expose_secret(), now, &mut g).is_err());
    let earlier = t.generate_step(u64::MAX - 2);
    assert_eq!(
        t.verify(earlier.expose_secret(), now, &mut g),
        Err(Error::Replayed)
    );
}

#[test]
fn time_before_t0_is_an_error() {
    let t = Totp::builder(Secret::from_bytes(K20).unwrap())
        .t0(1000)
        .build()
        .unwrap();
    assert_eq!(
        t.generate(999).map(|_| ()),
        Err(Error::BeforeT0 { now: 999, t0: 1000 })
    );
    assert_eq!(
        t.verify("123456", 10, &mut ReplayGuard::new()),
        Err(Error::BeforeT0 { now: 10, t0: 1000 })
    );
    assert_eq!(t.step_at(1000), Ok(0));
    assert_eq!(t.step_at(1029), Ok(0));
    assert_eq!(t.step_at(1030), Ok(1));
}

#[test]
fn codes_outside_the_window_are_refused() {
    let t = totp(1);
    let now = 1_700_000_000;
    let step = t.step_at(now).unwrap();
    for s in [step - 2, step + 2, step + 100] {
        let c = t.generate_step(s);
        assert!(
            t.verify(c.expose_secret(), now, &mut ReplayGuard::new())
                .is_err()
        );
    }
    let t0 = totp(0);
    let c = t0.generate_step(step - 1);
    if c != t0.generate_step(step) {
        assert_eq!(
            t0.verify(c.expose_secret(), now, &mut ReplayGuard::new()),
            Err(Error::WrongCode { tries_left: 0 })
        );
    }
}

#[test]
fn malformed_codes_are_refused() {
    let t = totp(1);
    let now = 59;
    let good = t.generate(now).unwrap();
    let g = good.expose_secret();
    let mut guard = ReplayGuard::new();
    for bad in [
        "",
        "12345",
        "1234567",
        " 287082",
        "287082 ",
        "28708a",
        "+87082",
        "-87082",
        "２８７０８２", // full-width digits
        "٢٨٧٠٨٢",       // Arabic-Indic digits
    ] {
        assert_eq!(
            t.verify(bad, now, &mut guard),
            Err(Error::WrongCode { tries_left: 0 }),
            "{bad:?}"
        );
    }
    assert_eq!(guard, ReplayGuard::new());
    assert_eq!(t.verify(g, now, &mut guard), Ok(1));
}

#[test]
fn earlier_steps_are_refused_after_a_later_one_is_accepted() {
    let t = totp(1);
    let now = 1_000_000;
    let step = t.step_at(now).unwrap();
    let mut g = ReplayGuard::new();
    let later = t.generate_step(step + 1);
    assert_eq!(t.verify(later.expose_secret(), now, &mut g), Ok(step + 1));
    let current = t.generate_step(step);
    if current != later {
        assert_eq!(
            t.verify(current.expose_secret(), now, &mut g),
            Err(Error::Replayed)
        );
    }
}

#[test]
fn hotp_look_ahead_and_replay() {
    let h = Hotp::new(Secret::from_bytes(K20).unwrap(), Algorithm::Sha1, 6)
        .unwrap()
        .with_look_ahead(2);
    let mut g = ReplayGuard::new();
    // counter 3 is beyond 0 + 2.
    assert_eq!(
        h.verify("969429", &mut g),
        Err(Error::WrongCode { tries_left: 0 })
    );
    assert_eq!(h.verify("359152", &mut g), Ok(2));
    assert_eq!(h.verify("969429", &mut g), Ok(3));
    assert_eq!(h.verify("359152", &mut g), Err(Error::Replayed));
    assert_eq!(h.verify("969429", &mut g), Err(Error::Replayed));
    assert_eq!(g.last_accepted(), Some(3));
    assert_eq!(ReplayGuard::starting_at(0), ReplayGuard::new());
}

#[test]
fn parameter_checks() {
    assert_eq!(Digits::new(5), Err(Error::InvalidDigits(5)));
    assert_eq!(Digits::new(9), Err(Error::InvalidDigits(9)));
    assert!(Digits::new(7).is_ok());
    let s = Secret::from_bytes(K20).unwrap();
    assert_eq!(
        Totp::builder(s.clone()).digits(10).build().err(),
        Some(Error::InvalidDigits(10))
    );
    assert_eq!(
        Totp::builder(s.clone()).step(0).build().err(),
        Some(Error::InvalidTimeStep)
    );
    assert_eq!(
        Hotp::new(s, Algorithm::Sha1, 4).err(),
        Some(Error::InvalidDigits(4))
    );
}

#[test]
fn secrets_are_at_least_128_bits_by_default() {
    assert_eq!(
        Secret::from_bytes(&[7u8; 15]).err(),
        Some(Error::SecretTooShort { got: 15, min: 16 })
    );
    assert!(Secret::from_bytes(&[7u8; 16]).is_ok());
    assert!(Secret::from_bytes_min(&[7u8; 10], 10).is_ok());
    assert!(Secret::from_bytes_min(&[], 0).is_err());
    // 80-bit secret (Google's example) refused by default, accepted explicitly.
    assert!(matches!(
        Secret::from_base32("JBSWY3DPEHPK3PXP"),
        Err(Error::SecretTooShort { got: 10, .. })
    ));
    assert!(Secret::from_base32_min("JBSWY3DPEHPK3PXP", 10).is_ok());
    let mut rng = TestRng(1);
    assert!(Secret::generate(&mut rng, 15).is_err());
    let g = Secret::generate(&mut rng, Secret::DEFAULT_LEN).unwrap();
    assert_eq!(g.len(), 20);
    assert_eq!(
        Secret::generate(&mut FailingRng, 20).err(),
        Some(Error::Rng)
    );
}

#[test]
fn base32_is_lenient_on_case_padding_and_spaces_but_strict_on_alphabet() {
    let a = Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
    assert_eq!(a.expose_secret(), K20);
    assert_eq!(
        Secret::from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").unwrap(),
        a
    );
    assert_eq!(a.to_base32().as_str(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    let b = Secret::from_bytes(&[0xAB; 17]).unwrap();
    let padded = format!("{}====", b.to_base32().as_str());
    assert_eq!(Secret::from_base32(&padded).unwrap(), b);
    for bad in [
        "GEZDGNBVGY3TQOJ1GEZDGNBVGY3TQOJQ",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ!",
        "Ạ",
    ] {
        assert_eq!(
            Secret::from_base32(bad).err(),
            Some(Error::InvalidBase32),
            "{bad}"
        );
    }
}

#[test]
fn debug_shows_no_secret() {
    let s = Secret::from_bytes(K20).unwrap();
    let t = Totp::builder(s.clone()).build().unwrap();
    let code = t.generate(59).unwrap();
    for text in [format!("{s:?}"), format!("{t:?}"), format!("{code:?}")] {
        assert!(!text.contains("GEZDGNBV"), "{text}");
        assert!(!text.contains("49, 50, 51"), "{text}");
        assert!(!text.contains("1234567890"), "{text}");
        assert!(!text.contains(code.expose_secret()), "{text}");
    }
    let uri =
        OtpAuthUri::parse("otpauth://totp/X:y?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
    assert!(!format!("{uri:?}").contains("GEZDGNBV"));
    let parsed: OtpAuthUri = "otpauth://totp/X:y?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        .parse()
        .unwrap();
    assert_eq!(parsed, uri, "FromStr is parse");
}

#[test]
fn uri_parse_google_style() {
    let u = OtpAuthUri::parse_with_min_secret(
        "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
        10,
    )
    .unwrap();
    assert_eq!(u.issuer.as_deref(), Some("Example"));
    assert_eq!(u.account, "alice@google.com");
    assert_eq!(u.kind, OtpKind::Totp { period: 30 });
    assert_eq!(u.algorithm, Algorithm::Sha1);
    assert_eq!(u.digits, Digits::SIX);

    let u = OtpAuthUri::parse(
        "OTPAUTH://HOTP/ACME%20Co%3Ajohn.doe%40email.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=5&algorithm=sha512&digits=8&image=x",
    )
    .unwrap();
    assert_eq!(u.issuer.as_deref(), Some("ACME Co"));
    assert_eq!(u.account, "john.doe@email.com");
    assert_eq!(u.kind, OtpKind::Hotp { counter: 5 });
    assert_eq!(u.algorithm, Algorithm::Sha512);
    assert_eq!(u.digits, Digits::EIGHT);
    assert!(u.hotp().is_ok());
    assert!(u.totp().is_err());

    let u = OtpAuthUri::parse(
        "otpauth://totp/Ng%E1%BB%8Dc?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&period=60&algorithm=SHA256",
    )
    .unwrap();
    assert_eq!(u.issuer, None);
    assert_eq!(u.account, "Ngọc");
    let t = u.totp().unwrap();
    assert_eq!(t.step(), 60);
    assert_eq!(t.algorithm(), Algorithm::Sha256);
    let formatted = u.to_uri();
    assert_eq!(
        formatted.as_str(),
        "otpauth://totp/Ng%E1%BB%8Dc?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA256&digits=6&period=60"
    );
}

#[test]
fn uri_parse_errors() {
    const S: &str = "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let cases = [
        format!("http://totp/a?{S}"),
        format!("otpauth:/totp/a?{S}"),
        "otpauth://totp/a?issuer=x".to_owned(),
        format!("otpauth://hotp/a?{S}"),
        format!("otpauth://motp/a?{S}"),
        format!("otpauth://totp/?{S}"),
        format!("otpauth://totp/X:?{S}"),
        format!("otpauth://totp/:a?{S}"),
        format!("otpauth://totp/a?{S}&algorithm=MD5"),
        format!("otpauth://totp/a?{S}&digits=9"),
        format!("otpauth://totp/a?{S}&digits=99999999999999999999999"),
        format!("otpauth://totp/a?{S}&digits=-6"),
        format!("otpauth://totp/a?{S}&period=0"),
        format!("otpauth://totp/a?{S}&period=abc"),
        format!("otpauth://hotp/a?{S}&counter=1&counter=2"),
        format!("otpauth://totp/a?{S}&{S}"),
        format!("otpauth://totp/A:a?{S}&issuer=B"),
        format!("otpauth://totp/a%2?{S}"),
        format!("otpauth://totp/a%ZZ?{S}"),
        format!("otpauth://totp/a%FF?{S}"),
        "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP".to_owned(),
        "otpauth://totp/a?secret=0000".to_owned(),
        "otp".to_owned(),
        "otpauth://".to_owned(),
        "otpauth://totp".to_owned(),
    ];
    for c in &cases {
        assert!(OtpAuthUri::parse(c).is_err(), "{c}");
    }
}

fn arb_text() -> impl Strategy<Value = String> {
    // No ':' (the issuer separator); any other Unicode, including '%', '&', '?'.
    "[^:\\x00]{1,20}".prop_map(|s| s)
}

proptest! {
    #[test]
    fn uri_roundtrip(
        issuer in proptest::option::of(arb_text()),
        account in arb_text(),
        bytes in proptest::collection::vec(any::<u8>(), 16..64),
        alg in prop_oneof![Just(Algorithm::Sha1), Just(Algorithm::Sha256), Just(Algorithm::Sha512)],
        digits in 6u32..=8,
        hotp in any::<bool>(),
        n in 1u64..u64::MAX,
    ) {
        let account = account.trim_start().to_owned();
        prop_assume!(!account.is_empty());
        let issuer = issuer.map(|i| i.trim().to_owned()).filter(|i| !i.is_empty());
        let uri = OtpAuthUri {
            kind: if hotp { OtpKind::Hotp { counter: n } } else { OtpKind::Totp { period: n } },
            issuer,
            account,
            secret: Secret::from_bytes(&bytes).unwrap(),
            algorithm: alg,
            digits: Digits::new(digits).unwrap(),
        };
        let text = uri.to_uri();
        prop_assert_eq!(OtpAuthUri::parse(&text).unwrap(), uri);
    }

    #[test]
    fn uri_parse_never_panics(s in "otpauth://(t|h)otp/[ -~]{0,60}") {
        let _ = OtpAuthUri::parse(&s);
    }

    /// Whatever the sequence of (time, code) presented, no step is accepted
    /// twice, accepted steps strictly increase, and each accepted code is the
    /// code of its step within the window.
    #[test]
    fn totp_never_accepts_a_step_twice(
        ops in proptest::collection::vec((0u64..400, -3i64..=3, any::<bool>()), 1..40),
        skew in 0u8..3,
    ) {
        let t = totp(skew);
        let mut guard = ReplayGuard::new();
        let mut accepted: Vec<u64> = Vec::new();
        let mut now = 1_000_000u64;
        for (dt, rel, garbage) in ops {
            now += dt;
            let step = t.step_at(now).unwrap();
            let target = step.saturating_add_signed(rel);
            let code = if garbage { "000000".to_owned() } else { t.generate_step(target).expose_secret().to_owned() };
            if let Ok(s) = t.verify(&code, now, &mut guard) {
                prop_assert!(accepted.last().is_none_or(|l| s > *l));
                prop_assert!(s + u64::from(skew) >= step && s <= step + u64::from(skew));
                let regenerated = t.generate_step(s);
                prop_assert_eq!(regenerated.expose_secret(), code.as_str());
                prop_assert!(!accepted.contains(&s));
                accepted.push(s);
            }
        }
    }

    #[test]
    fn hotp_codes_verify_once(counter in 0u64..1_000_000, look in 0u8..5) {
        let h = Hotp::new(Secret::from_bytes(K20).unwrap(), Algorithm::Sha256, 8).unwrap().with_look_ahead(look);
        let mut g = ReplayGuard::starting_at(counter);
        let target = counter + u64::from(look);
        let code = h.generate(target);
        prop_assert_eq!(h.verify(code.expose_secret(), &mut g), Ok(target));
        prop_assert!(h.verify(code.expose_secret(), &mut g).is_err());
    }
}
