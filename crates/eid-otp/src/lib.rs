#![doc = include_str!("../README.md")]
#![cfg_attr(feature = "document-features", doc = document_features::document_features!())]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
// HMAC, SHA and base32 need only `alloc`: without `std` the crate is no_std.
#![cfg_attr(not(any(feature = "std", test)), no_std)]

extern crate alloc;

/// What `no_std` code takes from `alloc` (the std prelude has it all).
#[allow(unused_imports)]
mod prelude {
    pub(crate) use alloc::borrow::ToOwned;
    pub(crate) use alloc::boxed::Box;
    pub(crate) use alloc::string::{String, ToString};
    pub(crate) use alloc::vec::Vec;
    pub(crate) use alloc::{format, vec};
}

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
/// `Zeroizing` wraps the secrets handed out; re-exported so a caller names
/// the very version we built with.
pub use zeroize;
