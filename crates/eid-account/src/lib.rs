#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
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
