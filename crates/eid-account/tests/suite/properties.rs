//! Property tests over random command sequences.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;

use crate::common::*;
use eid_account::*;
use eid_otp::Purpose;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Register {
        registry: u8,
        terms: bool,
        qr: bool,
    },
    ResendOtp,
    VerifyOtp {
        right: bool,
    },
    SetPassword {
        good: bool,
    },
    Login {
        right: bool,
        by_phone: bool,
    },
    Logout,
    RequestPasswordReset,
    AnswerQuestions {
        right: bool,
    },
    SubmitLevel1,
    BookAppointment,
    CancelAppointment,
    RecordLevel2,
    Approve,
    Reject,
    StartActivation {
        device: u8,
        in_use: bool,
    },
    SetPasscode {
        good: bool,
    },
    SetQuestions {
        good: bool,
    },
    ConfirmPasscode {
        right: bool,
        level2: bool,
    },
    StartDeviceChange {
        device: u8,
        right: bool,
    },
    LockByHolder,
    UnlockByHolder {
        right: bool,
    },
    /// An unlock with a wrong password (counted as a failed login).
    UnlockWrongPassword,
    LockByOfficer {
        reason: u8,
    },
    UnlockByOfficer,
    Advance {
        secs: u64,
    },
}

fn happy_path() -> Vec<Op> {
    vec![
        Op::Register {
            registry: 0,
            terms: true,
            qr: true,
        },
        Op::VerifyOtp { right: true },
        Op::SetPassword { good: true },
        Op::Login {
            right: true,
            by_phone: false,
        },
        Op::SubmitLevel1,
        Op::Approve,
        Op::StartActivation {
            device: 0,
            in_use: false,
        },
        Op::VerifyOtp { right: true },
        Op::SetPasscode { good: true },
        Op::SetQuestions { good: true },
        Op::Login {
            right: true,
            by_phone: true,
        },
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (0u8..4, prop::bool::weighted(0.8), any::<bool>())
            .prop_map(|(registry, terms, qr)| Op::Register { registry, terms, qr }),
        2 => Just(Op::ResendOtp),
        5 => prop::bool::weighted(0.8).prop_map(|right| Op::VerifyOtp { right }),
        4 => prop::bool::weighted(0.8).prop_map(|good| Op::SetPassword { good }),
        4 => (prop::bool::weighted(0.7), any::<bool>())
            .prop_map(|(right, by_phone)| Op::Login { right, by_phone }),
        1 => Just(Op::Logout),
        2 => Just(Op::RequestPasswordReset),
        2 => any::<bool>().prop_map(|right| Op::AnswerQuestions { right }),
        3 => Just(Op::SubmitLevel1),
        1 => Just(Op::BookAppointment),
        1 => Just(Op::CancelAppointment),
        2 => Just(Op::RecordLevel2),
        3 => Just(Op::Approve),
        1 => Just(Op::Reject),
        4 => (0u8..3, any::<bool>())
            .prop_map(|(device, in_use)| Op::StartActivation { device, in_use }),
        4 => prop::bool::weighted(0.8).prop_map(|good| Op::SetPasscode { good }),
        4 => prop::bool::weighted(0.8).prop_map(|good| Op::SetQuestions { good }),
        3 => (any::<bool>(), any::<bool>())
            .prop_map(|(right, level2)| Op::ConfirmPasscode { right, level2 }),
        2 => (0u8..3, prop::bool::weighted(0.8))
            .prop_map(|(device, right)| Op::StartDeviceChange { device, right }),
        1 => Just(Op::LockByHolder),
        2 => any::<bool>().prop_map(|right| Op::UnlockByHolder { right }),
        1 => Just(Op::UnlockWrongPassword),
        1 => (0u8..3).prop_map(|reason| Op::LockByOfficer { reason }),
        1 => Just(Op::UnlockByOfficer),
        2 => (0u64..400).prop_map(|secs| Op::Advance { secs }),
    ]
}

fn scenario() -> impl Strategy<Value = Vec<Op>> {
    (
        0usize..=happy_path().len(),
        // Some ops repeated (to reach the limits: lockouts, passcodes).
        prop::collection::vec(
            (op(), prop_oneof![4 => Just(1usize), 1 => 2usize..7]),
            0..40,
        ),
    )
        .prop_map(|(k, rest)| {
            let mut ops: Vec<Op> = happy_path().into_iter().take(k).collect();
            for (op, n) in rest {
                ops.extend(std::iter::repeat_n(op, n));
            }
            ops
        })
}

const DEVICES: [&str; 3] = ["phone-a", "phone-b", "phone-c"];

#[derive(Clone)]
struct Driver {
    w: World,
    session: Option<SessionId>,
    password: &'static str,
}

impl Driver {
    /// Runs an action through the world, remembering the session and the
    /// password in force.
    fn step(&mut self, op: &Op, action: Action) -> Result<Decision, Refusal> {
        let result = self.w.try_run(action);
        if let Ok(decision) = &result {
            if let Some(s) = decision.session() {
                self.session = Some(s);
            }
            if matches!(op, Op::SetPassword { good: true }) {
                self.password = "Lan@Hà2024!";
            }
        }
        result
    }

    fn action(&mut self, op: &Op) -> Option<Action> {
        let w = &mut self.w;
        let session = self.session.unwrap_or(SessionId(0));
        Some(match op {
            Op::Register {
                registry,
                terms,
                qr: from_qr,
            } => {
                w.registry = match registry {
                    0 => Some(RegistryAnswer::Match),
                    1 => Some(RegistryAnswer::Mismatch(vec![FieldMismatch {
                        field: DetailField::PermanentResidence,
                    }])),
                    2 => Some(RegistryAnswer::NotFound),
                    _ => None,
                };
                register_action(
                    if *from_qr {
                        DetailsInput::Qr {
                            qr: qr(),
                            street_address: None,
                            permanent_residence: None,
                        }
                    } else {
                        DetailsInput::Manual(manual_details())
                    },
                    *terms,
                )
            }
            Op::ResendOtp => Action::ResendOtp,
            Op::VerifyOtp { right } => Action::VerifyOtp {
                code: match (&w.last_code, right) {
                    (Some(c), true) => c.clone(),
                    (Some(_), false) => w.wrong_code(),
                    (None, _) => s("000000"),
                },
            },
            Op::SetPassword { good } => {
                let p = if *good { "Lan@Hà2024!" } else { "weak" };
                Action::SetPassword {
                    password: s(p),
                    confirmation: s(p),
                }
            }
            Op::Login { right, by_phone } => Action::Login {
                login: if *by_phone {
                    LoginName::Phone(phone())
                } else {
                    LoginName::IdNumber(id())
                },
                password: s(if *right { self.password } else { "Sai@12345" }),
                device: device("phone-a"),
            },
            Op::Logout => Action::Logout { session },
            Op::RequestPasswordReset => Action::RequestPasswordReset {
                login: LoginName::IdNumber(id()),
                phone: phone(),
            },
            Op::AnswerQuestions { right } => Action::AnswerSecurityQuestions {
                answers: if *right {
                    World::questions()
                } else {
                    vec![("first_pet".into(), s("Vàng"))]
                },
            },
            Op::SubmitLevel1 => Action::SubmitLevel1Dossier {
                session,
                card: CardData::from_qr(&qr()),
                portrait: PhotoRef("sha256:p".into()),
                email: None,
            },
            Op::BookAppointment => Action::BookAppointment {
                session,
                office: "Công an phường".into(),
                at: w.now + 3600,
            },
            Op::CancelAppointment => Action::CancelAppointment { session },
            Op::RecordLevel2 => Action::RecordLevel2Dossier {
                officer: officer(),
                office: office(),
                card: CardData::from_qr(&qr()),
                phone: phone(),
                documents: vec![],
            },
            Op::Approve => Action::ApproveDossier { officer: officer() },
            Op::Reject => Action::RejectDossier {
                officer: officer(),
                reason: RejectionReason::PhotoBelowStandard,
            },
            Op::StartActivation { device: d, in_use } => {
                w.device_use = Some(if *in_use {
                    DeviceUse::InUseByOtherAccounts
                } else {
                    DeviceUse::Free
                });
                Action::StartActivation {
                    id_number: id(),
                    phone: phone(),
                    device: device(DEVICES[*d as usize]),
                }
            }
            Op::SetPasscode { good } => {
                let p = if *good { PASSCODE } else { "123456" };
                Action::SetPasscode {
                    passcode: s(p),
                    confirmation: s(p),
                }
            }
            Op::SetQuestions { good } => Action::SetSecurityQuestions {
                answers: if *good {
                    World::questions()
                } else {
                    vec![("first_pet".into(), s("Mực"))]
                },
            },
            Op::ConfirmPasscode { right, level2 } => Action::ConfirmPasscode {
                session,
                service: if *level2 {
                    Service::CardData
                } else {
                    Service::BillPayment
                },
                passcode: s(if *right { PASSCODE } else { "918273" }),
            },
            Op::StartDeviceChange { device: d, right } => Action::StartDeviceChange {
                id_number: id(),
                password: s(if *right { self.password } else { "Sai@12345" }),
                device: device(DEVICES[*d as usize]),
            },
            Op::LockByHolder => Action::LockByHolder { session },
            Op::UnlockByHolder { right } => Action::UnlockByHolder {
                id_number: id(),
                password: s(self.password),
                answer: Some(("first_pet".into(), s(if *right { "Mực" } else { "Vàng" }))),
            },
            Op::UnlockWrongPassword => Action::UnlockByHolder {
                id_number: id(),
                password: s("Sai@Matkhau1"),
                answer: None,
            },
            Op::LockByOfficer { reason } => Action::LockByOfficer {
                officer: officer(),
                reason: match reason {
                    0 => LockReason::CardRevoked,
                    1 => LockReason::Death,
                    _ => LockReason::TermsViolation,
                },
            },
            Op::UnlockByOfficer => Action::UnlockByOfficer { officer: officer() },
            Op::Advance { secs } => {
                w.advance(*secs);
                return None;
            }
        })
    }
}

/// Checks every invariant on the log and the state.
fn check_invariants(w: &World) {
    let log = &w.log;
    // Active only through OTP, passcode and two questions, in that order,
    // after the activation started.
    for (i, e) in log.iter().enumerate() {
        if let EventKind::Activated { .. } = e.kind {
            let start = log[..i]
                .iter()
                .rposition(|e| matches!(e.kind, EventKind::ActivationStarted { .. }))
                .expect("an activation started");
            let between = &log[start..i];
            let otp = between.iter().position(|e| {
                matches!(&e.kind, EventKind::OtpVerified { challenge, .. } if challenge.purpose() == Purpose::Activation)
            });
            let passcode = between
                .iter()
                .position(|e| matches!(e.kind, EventKind::PasscodeSet { .. }));
            let questions = between.iter().position(|e| {
                matches!(&e.kind, EventKind::SecurityQuestionsSet { questions } if questions.answers().len() == 2)
            });
            match (otp, passcode, questions) {
                (Some(a), Some(b), Some(c)) => assert!(a < b && b < c, "order {a} {b} {c}"),
                other => panic!("activated without the steps: {other:?}"),
            }
        }
    }
    if w.state.is_active() {
        assert!(
            log.iter()
                .any(|e| matches!(e.kind, EventKind::Activated { .. }))
        );
        assert!(w.state.device().is_some(), "active without a device");
    }
    // The device index built from the events: never more than one device.
    let mut bound = BTreeSet::new();
    for e in log {
        match &e.kind {
            EventKind::DeviceBound { device } => {
                bound.insert(device.clone());
            }
            EventKind::DeviceUnbound { device } => {
                bound.remove(device);
            }
            _ => {}
        }
        assert!(bound.len() <= 1, "bound to two devices: {bound:?}");
    }
    assert_eq!(bound.iter().next(), w.state.device());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn random_sequences_keep_the_invariants(ops in scenario(), stale in any::<prop::sample::Index>()) {
        let mut d = Driver { w: World::new(), session: None, password: PASSWORD };
        for op in &ops {
            let Some(action) = d.action(op) else { continue };
            // A replay on a stale version is refused, with no event.
            let version = d.w.state.version();
            if version > 0 {
                let old = stale.index(version as usize) as u64;
                let before = d.w.state.clone();
                let r = d.w.try_run_at(old, action.clone()).unwrap_err();
                prop_assert_eq!(r.error, AccountError::VersionConflict { expected: old, actual: version });
                prop_assert!(r.events.is_empty());
                prop_assert_eq!(&d.w.state, &before);
            }
            // `try_run` checks the fold and that no decision falls outside the table.
            match d.step(op, action) {
                Ok(_) => {}
                Err(r) => {
                    let off_table = matches!(r.error, AccountError::TransitionNotInTable { .. });
                    prop_assert!(!off_table, "{:?}", r.error);
                    // Every refusal has both messages.
                    prop_assert!(!r.error.vi().is_empty() && !r.error.en().is_empty());
                }
            }
            check_invariants(&d.w);
        }
        if std::env::var_os("EID_ACCOUNT_PROP_STATS").is_some() {
            eprintln!("STATS phase={:?} events={}", d.w.state.phase(), d.w.log.len());
        }
        // The whole log survives JSON and folds to the same state.
        let json = serde_json::to_string(&d.w.log).unwrap();
        let back: Vec<Event> = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(fold(&back), d.w.state.clone());
    }
}

/// The happy path, then every suffix: reaches Active (sanity check that the
/// generator's prefix is meaningful).
#[test]
fn the_happy_path_prefix_reaches_an_active_account() {
    let mut d = Driver {
        w: World::new(),
        session: None,
        password: PASSWORD,
    };
    for op in happy_path() {
        let action = d.action(&op).unwrap();
        d.step(&op, action).unwrap();
    }
    assert!(d.w.state.is_active());
    check_invariants(&d.w);
}

/// A coarse signature of everything that decides what a command can do.
fn signature(d: &Driver) -> String {
    let w = &d.w;
    let st = &w.state;
    let live_session = st
        .sessions()
        .iter()
        .any(|s| Some(s.id) == d.session && s.expires_at > w.now);
    let otp = st.otp().map(|c| {
        (
            c.status(),
            c.seconds_left(w.now) > 0,
            w.now >= c.sent_at() + 60,
        )
    });
    let dossier = st.dossier().map(|x| (x.level, x.status.clone()));
    format!(
        "{}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{}|{}|{}|{:?}|{:?}|{}|{}|{}",
        st.id_number().is_some(),
        st.phase(),
        st.flow(),
        st.level(),
        dossier,
        st.lock().map(|l| l.reason.clone()),
        st.appointment().is_some(),
        st.has_password(),
        st.has_passcode(),
        live_session,
        otp,
        st.device(),
        d.password,
        w.now > st.locked_out_until(),
        // The steps after a flow's OTP stay open for `flow_secs`.
        w.now < st.otp_verified_at() + w.policies.flow_secs,
    )
}

/// The ops tried from every state of the exploration; some repeated to
/// reach the limits.
fn exploration_ops() -> Vec<Vec<Op>> {
    let one = |op: Op| vec![op];
    let times = |op: Op, n: usize| vec![op; n];
    vec![
        one(Op::Register {
            registry: 0,
            terms: true,
            qr: true,
        }),
        one(Op::Register {
            registry: 1,
            terms: true,
            qr: false,
        }),
        one(Op::ResendOtp),
        one(Op::VerifyOtp { right: true }),
        one(Op::VerifyOtp { right: false }),
        times(Op::VerifyOtp { right: false }, 2),
        one(Op::SetPassword { good: true }),
        one(Op::SetPassword { good: false }),
        one(Op::Login {
            right: true,
            by_phone: false,
        }),
        one(Op::Login {
            right: false,
            by_phone: true,
        }),
        times(
            Op::Login {
                right: false,
                by_phone: false,
            },
            2,
        ),
        one(Op::Logout),
        one(Op::RequestPasswordReset),
        one(Op::AnswerQuestions { right: true }),
        times(Op::AnswerQuestions { right: false }, 2),
        one(Op::SubmitLevel1),
        one(Op::BookAppointment),
        one(Op::CancelAppointment),
        one(Op::RecordLevel2),
        one(Op::Approve),
        one(Op::Reject),
        one(Op::StartActivation {
            device: 0,
            in_use: false,
        }),
        one(Op::StartActivation {
            device: 1,
            in_use: true,
        }),
        one(Op::SetPasscode { good: true }),
        one(Op::SetQuestions { good: true }),
        one(Op::ConfirmPasscode {
            right: true,
            level2: false,
        }),
        one(Op::ConfirmPasscode {
            right: true,
            level2: true,
        }),
        times(
            Op::ConfirmPasscode {
                right: false,
                level2: false,
            },
            2,
        ),
        one(Op::StartDeviceChange {
            device: 1,
            right: true,
        }),
        one(Op::StartDeviceChange {
            device: 2,
            right: false,
        }),
        one(Op::LockByHolder),
        one(Op::UnlockByHolder { right: true }),
        one(Op::UnlockByHolder { right: false }),
        one(Op::UnlockWrongPassword),
        one(Op::LockByOfficer { reason: 0 }),
        one(Op::UnlockByOfficer),
        one(Op::Advance { secs: 61 }),
        one(Op::Advance { secs: 601 }),
        one(Op::Advance { secs: 2000 }),
    ]
}

/// Every entry of the transition table is produced by some command
/// sequence (a breadth-first exploration of the reachable states, up to a
/// coarse signature): the table, and so the diagram, lists nothing that
/// `decide` cannot do. With the check inside `decide`, the table is exactly
/// what `decide` does.
#[test]
fn every_transition_of_the_table_is_reachable() {
    use std::collections::{HashSet, VecDeque};

    let mut seen = BTreeSet::new();
    let mut visited = HashSet::new();
    // Low limits, so that two tries reach them.
    let policies = Policies::default()
        .with_max_passcode_failures(2)
        .with_max_answer_failures(2)
        .with_lockout(LockoutPolicy::default().with_max_failures(2))
        .with_otp(eid_otp::ChallengeConfig::default().with_max_wrong_tries(2));
    let mut start = Driver {
        w: World::with_policies(policies),
        session: None,
        password: PASSWORD,
    };
    start.w.check_fold = false;
    visited.insert(signature(&start));
    // A log written before `Action::Register` existed may stop after its
    // first event, in RegistrationDetails: explored from there too.
    let mut legacy = start.clone();
    let started = Event {
        schema: EVENT_SCHEMA_VERSION,
        sequence: 1,
        at: legacy.w.now,
        kind: EventKind::RegistrationStarted {
            id_number: id(),
            phone: phone(),
            terms_version: None,
        },
    };
    legacy.w.state = apply(legacy.w.state.clone(), &started);
    legacy.w.log.push(started);
    visited.insert(signature(&legacy));
    let mut queue = VecDeque::from([start, legacy]);
    let ops = exploration_ops();
    while let Some(state) = queue.pop_front() {
        for seq in &ops {
            let mut d = state.clone();
            for op in seq {
                let Some(action) = d.action(op) else { continue };
                let kind = action.kind();
                let from = d.w.state.phase();
                let before = d.w.state.version();
                let _ = d.step(op, action);
                if d.w.state.version() != before {
                    seen.insert((from, kind, d.w.state.phase()));
                }
            }
            if visited.insert(signature(&d)) {
                check_invariants(&d.w);
                assert_eq!(fold(&d.w.log), d.w.state);
                queue.push_back(d);
            }
        }
        assert!(visited.len() < 20_000, "exploration too large");
    }
    let missing: Vec<_> = table::transitions()
        .into_iter()
        .filter(|t| !seen.contains(&(t.from, t.command, t.to)))
        .collect();
    assert!(
        missing.is_empty(),
        "never produced ({} states explored): {missing:#?}",
        visited.len()
    );
}
