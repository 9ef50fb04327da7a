//! The life of an electronic identity account (VNeID style) as a sans-IO,
//! event-sourced state machine.
//!
//! - [`decide`]`(state, command, context)` returns a [`Decision`]: the
//!   [`Event`]s to append, the [`Effect`]s to perform (send this SMS, notify
//!   officers) and the [`Notice`]s to show; or a [`Refusal`]: a typed
//!   [`AccountError`] (Vietnamese and English messages) and, when a limit is
//!   counting (wrong OTP, password, passcode), the events to append anyway.
//! - [`apply`]`(state, event)` folds an event; [`fold`] a whole log. Events
//!   are serde values carrying a schema version ([`EVENT_SCHEMA_VERSION`]) and
//!   their position, so a store appends them with (ID number, sequence)
//!   unique and rebuilds the state by folding.
//! - A [`Command`] carries the `expected_version` it was decided on: a stale
//!   one is refused ([`AccountError::VersionConflict`]), which with the
//!   store's unique key makes races such as a double activation impossible.
//! - **The store's side of the contract.** A refusal that counts (a wrong
//!   OTP, password, passcode or answer) carries events: append them before
//!   the refusal is shown, and when the append loses a race (another writer
//!   took the version), load the state again and decide the same command
//!   again; never drop the events and answer anyway, and never answer a
//!   conflict on a guess (a correct guess that lost a race would tell the
//!   guesser it was right). Then N parallel guesses cost N tries, as they
//!   must: `tests/concurrency.rs` drives 50 of each kind through a store
//!   that does this.
//! - Errors for callers who have not proved who they are go through
//!   [`AccountError::for_unauthenticated`], so that answers do not tell what
//!   an ID number holds.
//! - The [`Context`] carries the clock, the random source, the population
//!   registry's answer, the device index's answer, the [`Policies`] and the
//!   [`Keys`] (Argon2id hasher with pepper, OTP key). Secrets arrive as
//!   [`SecretString`](eid_credentials::SecretString)s and leave only as PHC
//!   hashes; one-time codes appear only in [`Effect::SendOtp`].
//! - [`table::transitions`] is the transition table; every decision is
//!   checked against it, and `docs/ACCOUNT-FLOWS.md` renders it.
//!
//! `serde` is a required dependency rather than a feature: the events are
//! the persistence format, and a build without it would be useless.
//!
//! A registration, a level-1 approval, an activation and a login:
//!
//! ```
//! use cccd::qr::QrData;
//! use eid_account::*;
//! use eid_credentials::{HashParams, Hasher, Pepper, SecretString};
//! use eid_otp::ServerKey;
//!
//! let keys = Keys {
//!     // Tiny Argon2 parameters for the example; use the defaults in production.
//!     hasher: Hasher::new(HashParams { m_cost_kib: 64, t_cost: 1, p_cost: 1 })?
//!         .with_pepper(Pepper::new(b"p1", &[7u8; 32])?),
//!     otp_key: ServerKey::new(&[9u8; 32])?,
//! };
//! let policies = Policies::default();
//! let mut account = Account::default();
//! let mut now = 1_700_000_000;
//! let mut run = |account: &mut Account, now: u64, action: Action| {
//!     let mut ctx = Context {
//!         now,
//!         rng: &mut getrandom::SysRng,
//!         registry: Some(RegistryAnswer::Match),
//!         device_use: Some(DeviceUse::Free),
//!         policies: &policies,
//!         keys: &keys,
//!     };
//!     let decision = decide(account, Command::new(account.version(), action), &mut ctx)?;
//!     for event in &decision.events {
//!         *account = apply(account.clone(), event); // a store would append here
//!     }
//!     Ok::<_, Refusal>(decision)
//! };
//! let otp = |d: &Decision| match d.effects.iter().find(|e| matches!(e, Effect::SendOtp { .. })) {
//!     Some(Effect::SendOtp { code, .. }) => code.clone(),
//!     _ => SecretString::from(""),
//! };
//! let secret = |s: &str| SecretString::from(s);
//!
//! // 1. Registration: ID number and phone, the QR code, the registry, OTP, password.
//! let qr = QrData::parse(
//!     "001089005555||Nguyễn An Minh|20101989|Nam|Phường Láng Hạ, Quận Đống Đa, Thành phố Hà Nội|01072021"
//!         .as_bytes(),
//! )?;
//! let id = qr.id_number;
//! let phone = Phone::parse("0987654321")?;
//! let d = run(&mut account, now, Action::Register {
//!     id_number: id,
//!     phone: phone.clone(),
//!     details: DetailsInput::Qr {
//!         qr: qr.clone(),
//!         street_address: Some("22 Láng Hạ".into()),
//!         permanent_residence: None,
//!     },
//!     terms_accepted: true,
//!     terms_version: "2023-05".into(),
//! })?;
//! run(&mut account, now + 30, Action::VerifyOtp { code: otp(&d) })?;
//! let d = run(&mut account, now + 60, Action::SetPassword {
//!     password: secret("Ngọc@123456"),
//!     confirmation: secret("Ngọc@123456"),
//! })?;
//! assert_eq!(d.notices, vec![Notice::PasswordSetUp]);
//! assert_eq!(account.level(), AccountLevel::AppAccount);
//!
//! // 2-3. Log in, submit a level-1 dossier; an officer approves it.
//! let device = DeviceId::new("iphone-13-abc")?;
//! now += 600;
//! let d = run(&mut account, now, Action::Login {
//!     login: LoginName::IdNumber(id),
//!     password: secret("Ngọc@123456"),
//!     device: device.clone(),
//! })?;
//! let session = d.session().expect("logged in");
//! run(&mut account, now, Action::SubmitLevel1Dossier {
//!     session,
//!     card: CardData::from_qr(&qr),
//!     portrait: PhotoRef("sha256:portrait".into()),
//!     email: None,
//! })?;
//! let d = run(&mut account, now + 3600, Action::ApproveDossier { officer: OfficerId("CA-01".into()) })?;
//! assert_eq!(d.effects, vec![Effect::SendSms {
//!     phone: phone.clone(),
//!     kind: SmsKind::Approval,
//!     text: "Cuc Canh sat QLHC ve TTXH thong bao: Ho so dang ky tai khoan dinh danh dien tu cua cong dan NGUYEN AN MINH da duoc phe duyet. De nghi truy cap ung dung VNeID hoac dia chi https://vneid.gov.vn de kich hoat tai khoan.".into(),
//! }]);
//!
//! // 5. Activation: level and device checks, OTP, passcode, two questions
//! // (no password step: the citizen had an app account before approval).
//! now += 7200;
//! let d = run(&mut account, now, Action::StartActivation { id_number: id, phone, device })?;
//! run(&mut account, now + 20, Action::VerifyOtp { code: otp(&d) })?;
//! run(&mut account, now + 40, Action::SetPasscode {
//!     passcode: secret("480613"),
//!     confirmation: secret("480613"),
//! })?;
//! let d = run(&mut account, now + 60, Action::SetSecurityQuestions {
//!     answers: vec![("first_pet".into(), secret("Mực")), ("favourite_food".into(), secret("Phở bò"))],
//! })?;
//! assert_eq!(d.notices[0].vi(), "Bạn đã kích hoạt tài khoản định danh điện tử thành công");
//! assert_eq!(account.level(), AccountLevel::Identified { level: Level::One, activated: true });
//!
//! // Activating again is refused with the seed's message.
//! let again = run(&mut account, now + 90, Action::StartActivation {
//!     id_number: id,
//!     phone: Phone::parse("0987654321")?,
//!     device: DeviceId::new("another-phone")?,
//! });
//! assert_eq!(again.unwrap_err().error.vi(), "Tài khoản của bạn đã thực hiện kích hoạt");
//!
//! // 6. Log in and confirm a service with the passcode.
//! let d = run(&mut account, now + 120, Action::Login {
//!     login: LoginName::Phone(Phone::parse("+84 987 654 321")?),
//!     password: secret("Ngọc@123456"),
//!     device: DeviceId::new("iphone-13-abc")?,
//! })?;
//! run(&mut account, now + 130, Action::ConfirmPasscode {
//!     session: d.session().expect("logged in"),
//!     service: Service::NationalPublicServices,
//!     passcode: secret("480613"),
//! })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

mod command;
mod decide;
mod error;
mod event;
mod state;
pub mod table;
mod types;

// The crates whose types events and commands hold (`IdNumber`, `Date`,
// `Challenge`, `SecretString`...) and the randomness seam, re-exported so
// a caller names the very versions we built with
// (`scripts/check-external-types` checks the list in Cargo.toml).
pub use cccd;
pub use eid_credentials;
pub use eid_otp;
pub use icao9303;
pub use rand_core;

pub use command::{Action, Command, LoginName};
pub use decide::{Context, Decision, Keys, LockoutPolicy, Policies, Refusal, decide};
pub use error::{
    AccountError, MSG_ALREADY_ACTIVATED, MSG_NOT_IDENTIFIED, MSG_REGISTRY_UPDATE, QuestionsProblem,
};
pub use event::{
    EVENT_SCHEMA_VERSION, Effect, Event, EventKind, MSG_ACTIVATED, MSG_PASSWORD_SET_UP, Notice,
    OfficerNotice, PhcHash, SmsKind, approval_sms,
};
pub use state::{
    Account, ActivationStep, Flow, KNOWN_DEVICES, LoginThrottle, RegistrationStep, ResetStep,
    Session, apply, fold,
};
pub use table::{CommandKind, Phase, Transition};
pub use types::{
    AccountLevel, Actor, Appointment, CardData, ChipSource, DetailField, DetailsInput,
    DetailsSource, DeviceId, DeviceUse, Dossier, DossierStatus, FieldMismatch, IntegratedDocument,
    Level, Lock, LockReason, OfficerId, PersonalDetails, Phone, PhotoRef, RegistryAnswer,
    RejectionReason, Service, SessionId, parse_typed_sex,
};
