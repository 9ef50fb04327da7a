//! The store's side of the contract (crate docs): a refusal's events are
//! appended before it is shown, and an append that loses a race decides
//! the command again on the new state. Here a store that keeps it (an
//! in-memory log with optimistic appends) takes 50 parallel wrong guesses
//! of each kind: exactly the limit is evaluated and counted, the rest are
//! refused as exhausted or locked without being judged, and a right guess
//! that loses a race is decided again, never answered with a conflict.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::{Barrier, Mutex};

use crate::common::*;
use eid_account::*;

const GUESSES: usize = 50;

/// One account's log behind a lock; appends only at the version decided on.
struct MemoryStore {
    log: Mutex<Vec<Event>>,
}

impl MemoryStore {
    fn load(&self) -> Vec<Event> {
        self.log.lock().unwrap().clone()
    }

    /// Appends `events` if the log is still at `version`.
    fn append(&self, version: u64, events: &[Event]) -> bool {
        let mut log = self.log.lock().unwrap();
        if log.len() as u64 != version {
            return false;
        }
        log.extend_from_slice(events);
        true
    }
}

/// What the caller is told, after the store kept the contract.
fn execute(
    store: &MemoryStore,
    w: &World,
    seed: u64,
    action: &Action,
) -> Result<Decision, AccountError> {
    let mut rng = TestRng(seed);
    loop {
        let state = fold(&store.load());
        let mut ctx = Context {
            now: w.now,
            rng: &mut rng,
            registry: w.registry.clone(),
            device_use: w.device_use,
            policies: &w.policies,
            keys: &w.keys,
        };
        let outcome = decide(
            &state,
            Command::new(state.version(), action.clone()),
            &mut ctx,
        );
        let events = match &outcome {
            Ok(d) => d.events.clone(),
            Err(r) => r.events.clone(),
        };
        // Nothing to record: the answer stands as decided.
        if events.is_empty() || store.append(state.version(), &events) {
            return outcome.map_err(|r| r.error);
        }
        // Lost the race: decide again on the new state.
    }
}

/// Sends `action` `GUESSES` times at once; returns the answers and the log.
fn race(w: &World, action: Action) -> (Vec<Result<Decision, AccountError>>, Vec<Event>) {
    let store = MemoryStore {
        log: Mutex::new(w.log.clone()),
    };
    let barrier = Barrier::new(GUESSES);
    let answers = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..GUESSES as u64)
            .map(|i| {
                let (store, barrier, action) = (&store, &barrier, &action);
                scope.spawn(move || {
                    barrier.wait();
                    execute(store, w, 1000 + i, action)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect::<Vec<_>>()
    });
    (answers, store.log.into_inner().unwrap())
}

fn count(answers: &[Result<Decision, AccountError>], f: impl Fn(&AccountError) -> bool) -> usize {
    answers
        .iter()
        .filter(|a| matches!(a, Err(e) if f(e)))
        .count()
}

fn no_conflict(answers: &[Result<Decision, AccountError>]) {
    assert_eq!(
        count(answers, |e| matches!(
            e,
            AccountError::VersionConflict { .. }
        )),
        0
    );
}

#[test]
fn parallel_wrong_otps_cost_one_try_each() {
    let mut w = World::new();
    w.start_registration();
    let wrong = w.wrong_code();
    let (answers, log) = race(&w, Action::VerifyOtp { code: wrong });
    no_conflict(&answers);
    // Five judged (ChallengeConfig's max_wrong_tries), the rest refused unjudged.
    assert_eq!(
        count(&answers, |e| matches!(e, AccountError::WrongOtp { .. })),
        5
    );
    assert_eq!(
        count(&answers, |e| *e == AccountError::OtpExhausted),
        GUESSES - 5
    );
    let st = fold(&log);
    assert_eq!(st.otp().unwrap().wrong_tries(), 5);
    // The right code is now refused too.
    let mut after = w.clone();
    after.log = log;
    after.state = st;
    let r = after.refuse(Action::VerifyOtp { code: w.code() });
    assert_eq!(r.error, AccountError::OtpExhausted);
}

#[test]
fn parallel_wrong_passwords_lock_logins_out_at_the_limit() {
    let mut w = World::new();
    w.registered();
    let (answers, log) = race(
        &w,
        Action::Login {
            login: LoginName::IdNumber(id()),
            password: s("Sai@Matkhau1"),
            device: device("attacker"),
        },
    );
    no_conflict(&answers);
    let failed: Vec<u32> = log
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::LoginFailed { failures, .. } => Some(failures),
            _ => None,
        })
        .collect();
    assert_eq!(failed, vec![1, 2, 3, 4, 5]);
    assert_eq!(count(&answers, |e| *e == AccountError::WrongCredentials), 4);
    // The fifth locks out; the other 45 are refused without a check.
    assert_eq!(
        count(&answers, |e| matches!(
            e,
            AccountError::LoginLockedOut { .. }
        )),
        GUESSES - 4
    );
    assert!(fold(&log).locked_out_until() > w.now);
}

#[test]
fn parallel_wrong_passcodes_lock_the_account_at_the_limit() {
    let mut w = World::new();
    w.active_level1();
    let session = w.login_on("phone-a");
    let (answers, log) = race(
        &w,
        Action::ConfirmPasscode {
            session,
            service: Service::NationalPublicServices,
            passcode: s("111111"),
        },
    );
    no_conflict(&answers);
    assert_eq!(
        count(&answers, |e| matches!(
            e,
            AccountError::WrongPasscode { .. }
        )),
        5
    );
    assert_eq!(
        count(&answers, |e| *e
            == AccountError::Locked(LockReason::TooManyWrongPasscodes)),
        GUESSES - 5
    );
    assert_eq!(
        fold(&log).lock().map(|l| l.reason.clone()),
        Some(LockReason::TooManyWrongPasscodes)
    );
}

#[test]
fn parallel_wrong_answers_end_the_reset_at_the_limit() {
    let mut w = World::new();
    w.active_level1();
    w.advance(600);
    w.run(Action::RequestPasswordReset {
        login: LoginName::IdNumber(id()),
        phone: phone(),
    });
    w.run(Action::VerifyOtp { code: w.code() });
    let (answers, log) = race(
        &w,
        Action::AnswerSecurityQuestions {
            answers: vec![
                ("first_pet".into(), s("Mèo")),
                ("favourite_food".into(), s("Phở bò")),
            ],
        },
    );
    no_conflict(&answers);
    // Policies::max_answer_failures = 3.
    assert_eq!(
        count(&answers, |e| matches!(e, AccountError::WrongAnswers { .. })),
        3
    );
    assert_eq!(
        count(&answers, |e| matches!(
            e,
            AccountError::StepOutOfOrder { .. }
        )),
        GUESSES - 3
    );
    assert_eq!(fold(&log).flow(), None);
}

#[test]
fn a_right_guess_that_loses_a_race_is_decided_again_not_refused() {
    let mut w = World::new();
    w.start_registration();
    let store = MemoryStore {
        log: Mutex::new(w.log.clone()),
    };
    // A wrong guess is appended between the right guess's load and append:
    // its append fails, it is decided again on the new state, and succeeds.
    let before = fold(&store.load());
    let mut rng = TestRng(7);
    let mut ctx = Context {
        now: w.now,
        rng: &mut rng,
        registry: None,
        device_use: None,
        policies: &w.policies,
        keys: &w.keys,
    };
    let right = decide(
        &before,
        Command::new(before.version(), Action::VerifyOtp { code: w.code() }),
        &mut ctx,
    )
    .unwrap();
    execute(
        &store,
        &w,
        8,
        &Action::VerifyOtp {
            code: w.wrong_code(),
        },
    )
    .unwrap_err();
    assert!(!store.append(before.version(), &right.events));
    let answer = execute(&store, &w, 9, &Action::VerifyOtp { code: w.code() }).unwrap();
    assert!(matches!(
        answer.events[0].kind,
        EventKind::OtpVerified { .. }
    ));
}
