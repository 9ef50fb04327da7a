#![doc = include_str!("../README.md")]
#![cfg_attr(feature = "document-features", doc = document_features::document_features!())]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

mod challenge;
mod error;
mod hotp;
mod otp;
mod uri;

pub use challenge::{Challenge, ChallengeConfig, ChallengeStatus, Purpose, SendLog, ServerKey};
pub use error::Error;
pub use hotp::{Hotp, ReplayGuard, Totp, TotpBuilder};
pub use otp::{Algorithm, Code, Digits, Secret, hotp, hotp_truncated};
pub use rand_core;
pub use uri::{OtpAuthUri, OtpKind};
