//! One-time codes for electronic identity: RFC 4226 HOTP, RFC 6238 TOTP,
//! `otpauth://` URIs, and SMS [`Challenge`]s bound to a subject and a
//! purpose.
//!
//! The clock and the random source are always parameters: times are Unix
//! seconds passed in, random numbers come from a [`rand_core::TryCryptoRng`]
//! given by the caller. Secrets are zeroized on drop, compared in constant
//! time and hidden from `Debug`. Every refusal is a variant of [`Error`].
//!
//! ```
//! use eid_otp::{Algorithm, Error, ReplayGuard, Secret, Totp};
//!
//! // RFC 6238 Appendix B, HMAC-SHA-256 with its 32-byte seed.
//! let secret = Secret::from_bytes(b"12345678901234567890123456789012")?;
//! let totp = Totp::builder(secret).algorithm(Algorithm::Sha256).digits(8).build()?;
//! assert_eq!(totp.generate(1_111_111_109)?.expose_secret(), "68084774");
//!
//! // A code is accepted once per secret: keep the guard beside the secret.
//! let mut guard = ReplayGuard::new();
//! let now = 1_111_111_109;
//! assert!(totp.verify("68084774", now, &mut guard).is_ok());
//! assert_eq!(totp.verify("68084774", now, &mut guard), Err(Error::Replayed));
//! # Ok::<(), eid_otp::Error>(())
//! ```
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
