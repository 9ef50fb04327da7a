//! Password, passcode and security-question policies of an electronic
//! identity account, and Argon2id hashing of those secrets.
//!
//! - [`PasswordPolicy`]: the VNeID rule set (8-20 characters, a digit, an
//!   upper-case and a lower-case letter in any script, a special character
//!   from a configurable set) or a NIST SP 800-63B rule set (length, a
//!   shipped blocklist, the holder's own data refused). Every reason is
//!   listed, in Vietnamese and English.
//! - [`PasscodePolicy`]: exactly six digits, none of: the date of birth in
//!   any common layout, part of the ID or phone number, repeats, runs,
//!   keypad patterns, the most common PINs.
//! - [`SecurityQuestions`]: two distinct questions of a [`Catalogue`],
//!   NFC-normalised answers, case-sensitive by default, stored hashed.
//! - [`Hasher`]: Argon2id PHC strings, OWASP's minimum costs by default, a
//!   [`Pepper`] for passcodes and answers, rehash-on-login.
//!
//! Randomness is a parameter ([`rand_core::TryCryptoRng`]); secrets are
//! zeroized, compared in constant time and hidden from `Debug`.
//!
//! ```
//! use eid_credentials::{
//!     Date, Error, HashParams, Hasher, PasscodePolicy, PasswordPolicy, PasswordReason,
//!     Pepper, PersonalInfo, SecretKind,
//! };
//!
//! let holder = PersonalInfo {
//!     id_number: Some("001090012345".into()),
//!     full_name: Some("Nguyễn Thị Ngọc".into()),
//!     date_of_birth: Some(Date::parse_iso("1990-08-15")?),
//!     ..PersonalInfo::default()
//! };
//! let policy = PasswordPolicy::vneid().with_personal_info_check(true);
//! assert!(policy.check_with_confirmation("Lan@Hà2024!", "Lan@Hà2024!", &holder).is_ok());
//! match policy.check("Ngoc15081990", &holder) {
//!     Err(Error::PasswordRefused(reasons)) => {
//!         assert!(reasons.contains(&PasswordReason::ContainsName));
//!         assert!(reasons.contains(&PasswordReason::ContainsDateOfBirth));
//!         println!("{}", reasons[0].message_vi());
//!     }
//!     other => panic!("{other:?}"),
//! }
//! assert!(PasscodePolicy::default().check("150890", &holder).is_err());
//!
//! let hasher = Hasher::new(HashParams { m_cost_kib: 64, t_cost: 1, p_cost: 1 })?
//!     .with_pepper(Pepper::new(b"2026", &[42u8; 32])?);
//! let phc = hasher.hash(SecretKind::Password, "Lan@Hà2024!", &mut getrandom::SysRng)?;
//! assert!(hasher.verify(SecretKind::Password, "Lan@Hà2024!", &phc)?.is_match());
//! # Ok::<(), eid_credentials::Error>(())
//! ```
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
