//! SMS challenge lifecycle: unit tests for every outcome, and property
//! tests that no sequence of calls accepts a code twice, after expiry,
//! after exhaustion, or a killed code.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::{FailingRng, TestRng};
use eid_otp::{
    Challenge, ChallengeConfig, ChallengeStatus, Code, Error, Purpose, SendLog, ServerKey,
};
use proptest::prelude::*;

const SUBJECT: &str = "001099001234";
const P: Purpose = Purpose::Activation;
const T: u64 = 1_700_000_000;

fn key() -> ServerKey {
    ServerKey::new(&[0x42; 32]).unwrap()
}

fn issue(rng_seed: u64) -> (Challenge, Code, SendLog) {
    let mut log = SendLog::new();
    let (c, code) = Challenge::issue(
        &key(),
        SUBJECT,
        P,
        &ChallengeConfig::default(),
        &mut log,
        T,
        &mut TestRng(rng_seed),
    )
    .unwrap();
    (c, code, log)
}

fn wrong_for(code: &Code) -> &'static str {
    if code.expose_secret() == "000000" {
        "000001"
    } else {
        "000000"
    }
}

#[test]
fn code_is_six_ascii_digits_and_varies() {
    let mut seen = std::collections::HashSet::new();
    for seed in 0..50 {
        let (_, code, _) = issue(seed);
        let s = code.expose_secret();
        assert_eq!(s.len(), 6);
        assert!(s.bytes().all(|b| b.is_ascii_digit()));
        seen.insert(s.to_owned());
    }
    assert!(seen.len() > 45);
}

#[test]
fn accepted_once() {
    let cfg = ChallengeConfig::default();
    let (mut c, code, _) = issue(1);
    assert_eq!(
        c.verify(&key(), SUBJECT, P, code.expose_secret(), &cfg, T + 1),
        Ok(())
    );
    assert_eq!(c.status(), ChallengeStatus::Used);
    assert_eq!(
        c.verify(&key(), SUBJECT, P, code.expose_secret(), &cfg, T + 2),
        Err(Error::AlreadyUsed)
    );
    assert_eq!(
        c.resend(&key(), &cfg, &mut SendLog::new(), T + 100, &mut TestRng(9))
            .err(),
        Some(Error::AlreadyUsed)
    );
}

#[test]
fn valid_for_180_seconds() {
    let cfg = ChallengeConfig::default();
    let (c0, code, _) = issue(2);
    assert_eq!(c0.expires_at(), T + 180);
    assert_eq!(c0.seconds_left(T + 30), 150);
    let mut c = c0.clone();
    assert_eq!(
        c.verify(&key(), SUBJECT, P, code.expose_secret(), &cfg, T + 179),
        Ok(())
    );
    let mut c = c0.clone();
    assert_eq!(
        c.verify(&key(), SUBJECT, P, code.expose_secret(), &cfg, T + 180),
        Err(Error::Expired)
    );
    assert_eq!(
        c.verify(&key(), SUBJECT, P, code.expose_secret(), &cfg, u64::MAX),
        Err(Error::Expired)
    );
    // Expiry does not cost a try.
    assert_eq!(c.wrong_tries(), 0);
}

#[test]
fn five_wrong_tries_then_dead() {
    let cfg = ChallengeConfig::default();
    let (mut c, code, mut log) = issue(3);
    let wrong = wrong_for(&code);
    for left in (0..5).rev() {
        assert_eq!(
            c.verify(&key(), SUBJECT, P, wrong, &cfg, T + 1),
            Err(Error::WrongCode { tries_left: left })
        );
    }
    assert_eq!(c.status(), ChallengeStatus::Dead);
    assert_eq!(
        c.verify(&key(), SUBJECT, P, code.expose_secret(), &cfg, T + 2),
        Err(Error::Exhausted)
    );
    assert_eq!(
        c.resend(&key(), &cfg, &mut log, T + 100, &mut TestRng(4))
            .err(),
        Some(Error::Exhausted)
    );
}

#[test]
fn malformed_codes_cost_a_try() {
    let cfg = ChallengeConfig::default();
    let (mut c, code, _) = issue(5);
    let long = format!("{}0", code.expose_secret());
    let full_width: String = code
        .expose_secret()
        .chars()
        .map(|d| char::from_u32(d as u32 - 0x30 + 0xFF10).unwrap())
        .collect();
    for (i, bad) in ["", "12345", long.as_str(), full_width.as_str()]
        .iter()
        .enumerate()
    {
        assert_eq!(
            c.verify(&key(), SUBJECT, P, bad, &cfg, T + 1),
            Err(Error::WrongCode {
                tries_left: 4 - i as u32
            })
        );
    }
    assert_eq!(
        c.verify(&key(), SUBJECT, P, code.expose_secret(), &cfg, T + 1),
        Ok(())
    );
}

#[test]
fn bound_to_subject_purpose_and_key() {
    let cfg = ChallengeConfig::default();
    let (mut c, code, _) = issue(6);
    assert_eq!(
        c.verify(&key(), "001099009999", P, code.expose_secret(), &cfg, T),
        Err(Error::WrongSubjectOrPurpose)
    );
    assert_eq!(
        c.verify(
            &key(),
            SUBJECT,
            Purpose::PasswordReset,
            code.expose_secret(),
            &cfg,
            T
        ),
        Err(Error::WrongSubjectOrPurpose)
    );
    let other = ServerKey::new(&[0x43; 32]).unwrap();
    assert_eq!(
        c.verify(&other, SUBJECT, P, code.expose_secret(), &cfg, T),
        Err(Error::WrongCode { tries_left: 4 })
    );
    assert_eq!(
        c.verify(&key(), SUBJECT, P, code.expose_secret(), &cfg, T),
        Ok(())
    );
}

#[test]
fn resend_kills_the_old_code_after_the_cooldown() {
    let cfg = ChallengeConfig::default();
    let (mut c, old, mut log) = issue(7);
    let mut rng = TestRng(70);
    assert_eq!(
        c.resend(&key(), &cfg, &mut log, T + 10, &mut rng).err(),
        Some(Error::Cooldown { seconds_left: 50 })
    );
    assert_eq!(
        c.resend(&key(), &cfg, &mut log, T + 59, &mut rng).err(),
        Some(Error::Cooldown { seconds_left: 1 })
    );
    let new = c.resend(&key(), &cfg, &mut log, T + 60, &mut rng).unwrap();
    assert_ne!(new, old);
    assert_eq!(c.sends(), 2);
    assert_eq!(c.expires_at(), T + 240);
    assert_eq!(
        c.verify(&key(), SUBJECT, P, old.expose_secret(), &cfg, T + 61),
        Err(Error::WrongCode { tries_left: 4 })
    );
    assert_eq!(
        c.verify(&key(), SUBJECT, P, new.expose_secret(), &cfg, T + 62),
        Ok(())
    );
}

#[test]
fn resend_after_expiry_is_allowed() {
    let cfg = ChallengeConfig::default();
    let (mut c, _, mut log) = issue(8);
    let new = c
        .resend(&key(), &cfg, &mut log, T + 500, &mut TestRng(80))
        .unwrap();
    assert_eq!(
        c.verify(&key(), SUBJECT, P, new.expose_secret(), &cfg, T + 600),
        Ok(())
    );
}

#[test]
fn at_most_n_sends_per_subject_per_hour() {
    let cfg = ChallengeConfig::default().with_max_sends_per_challenge(64);
    let mut log = SendLog::new();
    let mut rng = TestRng(9);
    let (mut c, _) = Challenge::issue(&key(), SUBJECT, P, &cfg, &mut log, T, &mut rng).unwrap();
    for i in 1..5 {
        c.resend(&key(), &cfg, &mut log, T + 60 * i, &mut rng)
            .unwrap();
    }
    assert_eq!(
        c.resend(&key(), &cfg, &mut log, T + 300, &mut rng).err(),
        Some(Error::RateLimited { seconds_left: 3300 })
    );
    // A new challenge for the same subject shares the log.
    assert_eq!(
        Challenge::issue(
            &key(),
            SUBJECT,
            Purpose::Registration,
            &cfg,
            &mut log,
            T + 400,
            &mut rng
        )
        .err(),
        Some(Error::RateLimited { seconds_left: 3200 })
    );
    // One hour after the first send, one more is allowed.
    assert!(c.resend(&key(), &cfg, &mut log, T + 3600, &mut rng).is_ok());
    assert_eq!(log.sends().len(), 5);
}

#[test]
fn per_challenge_resend_limit() {
    let cfg = ChallengeConfig::default()
        .with_max_sends_per_challenge(2)
        .with_max_sends_per_hour(100);
    let mut log = SendLog::new();
    let mut rng = TestRng(10);
    let (mut c, _) = Challenge::issue(&key(), SUBJECT, P, &cfg, &mut log, T, &mut rng).unwrap();
    c.resend(&key(), &cfg, &mut log, T + 60, &mut rng).unwrap();
    assert_eq!(
        c.resend(&key(), &cfg, &mut log, T + 120, &mut rng).err(),
        Some(Error::ResendLimit)
    );
}

#[test]
fn wrong_tries_survive_a_resend() {
    let cfg = ChallengeConfig::default();
    let (mut c, code, mut log) = issue(11);
    for _ in 0..4 {
        let _ = c.verify(&key(), SUBJECT, P, wrong_for(&code), &cfg, T + 1);
    }
    let new = c
        .resend(&key(), &cfg, &mut log, T + 60, &mut TestRng(110))
        .unwrap();
    assert_eq!(
        c.verify(&key(), SUBJECT, P, wrong_for(&new), &cfg, T + 61),
        Err(Error::WrongCode { tries_left: 0 })
    );
    assert_eq!(
        c.verify(&key(), SUBJECT, P, new.expose_secret(), &cfg, T + 62),
        Err(Error::Exhausted)
    );
}

#[test]
fn configuration_and_key_checks() {
    let mut log = SendLog::new();
    let mut rng = TestRng(12);
    for bad in [
        ChallengeConfig::default().with_validity_secs(0),
        ChallengeConfig::default().with_max_wrong_tries(0),
        ChallengeConfig::default().with_max_sends_per_hour(0),
        ChallengeConfig::default().with_max_sends_per_challenge(0),
        ChallengeConfig::default().with_max_sends_per_challenge(65),
    ] {
        assert!(matches!(
            Challenge::issue(&key(), SUBJECT, P, &bad, &mut log, T, &mut rng),
            Err(Error::InvalidConfig { .. })
        ));
    }
    assert!(log.sends().is_empty());
    assert_eq!(
        ServerKey::new(&[1; 31]).err(),
        Some(Error::ServerKeyTooShort(31))
    );
    assert_eq!(
        Challenge::issue(
            &key(),
            SUBJECT,
            P,
            &ChallengeConfig::default(),
            &mut log,
            T,
            &mut FailingRng
        )
        .err(),
        Some(Error::Rng)
    );
    assert!(log.sends().is_empty());
    assert_eq!(ServerKey::generate(&mut FailingRng).err(), Some(Error::Rng));
}

#[test]
fn debug_shows_no_secret() {
    let (c, code, _) = issue(13);
    let k = key();
    let text = format!("{c:?} {code:?} {k:?}");
    assert!(!text.contains(code.expose_secret()));
    assert!(!text.contains("66, 66"));
    assert!(!text.contains("mac"));
}

#[cfg(feature = "serde")]
#[test]
fn state_is_a_serde_value() {
    let cfg = ChallengeConfig::default();
    let (mut c, code, log) = issue(14);
    let _ = c.verify(&key(), SUBJECT, P, wrong_for(&code), &cfg, T + 1);
    let json = serde_json::to_string(&c).unwrap();
    assert!(!json.contains(code.expose_secret()));
    let mut back: Challenge = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
    assert_eq!(
        back.verify(&key(), SUBJECT, P, code.expose_secret(), &cfg, T + 2),
        Ok(())
    );
    let log2: SendLog = serde_json::from_str(&serde_json::to_string(&log).unwrap()).unwrap();
    assert_eq!(log2, log);
}

#[derive(Debug, Clone)]
enum Op {
    Wait(u64),
    Current,
    Killed(usize),
    Wrong(u32),
    Malformed,
    Resend,
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    Reload,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u64..120).prop_map(Op::Wait),
        Just(Op::Current),
        (0usize..8).prop_map(Op::Killed),
        (0u32..1_000_000).prop_map(Op::Wrong),
        Just(Op::Malformed),
        Just(Op::Resend),
        Just(Op::Reload),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever the calls, the challenge accepts at most one code; only the
    /// current (not killed) code, before its expiry, before exhaustion.
    #[test]
    fn lifecycle_properties(seed in any::<u64>(), ops in proptest::collection::vec(op(), 1..40)) {
        let cfg = ChallengeConfig::default().with_max_sends_per_hour(6);
        let k = key();
        let mut rng = TestRng(seed);
        let mut log = SendLog::new();
        let mut now = T;
        let (mut c, first) = Challenge::issue(&k, SUBJECT, P, &cfg, &mut log, now, &mut rng).unwrap();
        let mut current = first.expose_secret().to_owned();
        let mut killed: Vec<String> = Vec::new();
        let mut expires = now + cfg.validity_secs;
        let mut wrong = 0u32;
        let mut accepted = 0u32;
        for op in ops {
            let presented = match op {
                Op::Wait(d) => { now += d; continue; }
                Op::Resend => {
                    match c.resend(&k, &cfg, &mut log, now, &mut rng) {
                        Ok(code) => {
                            prop_assert!(accepted == 0 && wrong < cfg.max_wrong_tries);
                            let code = code.expose_secret().to_owned();
                            prop_assert!(code != current && !killed.contains(&code));
                            killed.push(std::mem::replace(&mut current, code));
                            expires = now + cfg.validity_secs;
                        }
                        Err(e) => prop_assert!(matches!(
                            e,
                            Error::Cooldown { .. } | Error::RateLimited { .. } | Error::ResendLimit
                                | Error::AlreadyUsed | Error::Exhausted
                        ), "{e:?}"),
                    }
                    continue;
                }
                Op::Reload => {
                    #[cfg(feature = "serde")]
                    {
                        c = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
                        log = serde_json::from_str(&serde_json::to_string(&log).unwrap()).unwrap();
                    }
                    continue;
                }
                Op::Current => current.clone(),
                Op::Killed(i) => match killed.get(i) { Some(k) => k.clone(), None => continue },
                Op::Wrong(n) => format!("{n:06}"),
                Op::Malformed => "12a456".to_owned(),
            };
            let result = c.verify(&k, SUBJECT, P, &presented, &cfg, now);
            match result {
                Ok(()) => {
                    accepted += 1;
                    prop_assert_eq!(accepted, 1, "accepted twice");
                    prop_assert_eq!(&presented, &current);
                    prop_assert!(!killed.contains(&presented), "killed code accepted");
                    prop_assert!(now < expires, "accepted after expiry");
                    prop_assert!(wrong < cfg.max_wrong_tries, "accepted after exhaustion");
                }
                Err(Error::WrongCode { tries_left }) => {
                    wrong += 1;
                    prop_assert_eq!(tries_left, cfg.max_wrong_tries - wrong);
                    prop_assert!(presented != current || now >= expires);
                }
                Err(Error::Expired) => prop_assert!(now >= expires),
                Err(Error::AlreadyUsed) => prop_assert_eq!(accepted, 1),
                Err(Error::Exhausted) => prop_assert!(wrong >= cfg.max_wrong_tries),
                Err(e) => prop_assert!(false, "unexpected {e:?}"),
            }
        }
    }
}
