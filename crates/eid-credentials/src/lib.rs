#![doc = include_str!("../README.md")]
#![cfg_attr(feature = "document-features", doc = document_features::document_features!())]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

mod error;
mod hashing;
mod passcode;
mod password;
mod person;
mod questions;
mod secret;

pub use error::Error;
pub use hashing::{HashParams, Hasher, MAX_SECRET_BYTES, Pepper, SecretKind, Verification};
pub use passcode::{PASSCODE_HINT_EN, PASSCODE_HINT_VI, PasscodePolicy, PasscodeReason};
pub use password::{PasswordPolicy, PasswordReason, RuleSet, VNEID_SPECIALS};
pub use person::{Date, PersonalInfo};
pub use questions::{AnswerRules, Catalogue, Question, SecurityQuestions, StoredAnswer};
pub use rand_core;
pub use secret::SecretString;
