//! The crate's one error type.

use crate::{PasscodeReason, PasswordReason};

/// Everything that can go wrong in this crate, including policy refusals.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The password breaks the policy; every reason is listed.
    #[error("password refused: {}", join(.0.iter().map(PasswordReason::code)))]
    PasswordRefused(Vec<PasswordReason>),
    /// The passcode breaks the policy; every reason is listed.
    #[error("passcode refused: {}", join(.0.iter().map(PasscodeReason::code)))]
    PasscodeRefused(Vec<PasscodeReason>),
    /// A policy or hashing parameter is out of range.
    #[error("invalid configuration: {reason}")]
    InvalidConfig {
        /// What was wrong.
        reason: &'static str,
    },
    /// A date that does not exist or is not `YYYY-MM-DD`.
    #[error("invalid date: {0}")]
    InvalidDate(String),
    /// A question id not in the catalogue (or not among the stored answers).
    #[error("unknown security question {0:?}")]
    UnknownQuestion(String),
    /// Security questions: not exactly two were given.
    #[error("exactly two security questions are required, not {0}")]
    WrongNumberOfQuestions(usize),
    /// Security questions: the same question was chosen twice.
    #[error("the two security questions must differ")]
    SameQuestionTwice,
    /// Security questions: an answer is empty (after trimming).
    #[error("the answer to {0:?} is empty")]
    EmptyAnswer(String),
    /// A passcode or an answer was hashed without a pepper configured.
    #[error("a pepper is required to hash passcodes and answers")]
    PepperRequired,
    /// A stored hash names a pepper id that is not configured.
    #[error("the stored hash uses an unknown pepper")]
    UnknownPepper,
    /// A stored hash is not an Argon2 PHC string this crate accepts.
    #[error("invalid stored hash: {reason}")]
    InvalidHash {
        /// What was wrong.
        reason: &'static str,
    },
    /// The secret to hash is longer than [`crate::MAX_SECRET_BYTES`].
    #[error("the secret is too long to hash")]
    SecretTooLong,
    /// Argon2 failed (parameters out of range, out of memory).
    #[error("hashing failed: {0}")]
    Hashing(String),
    /// The random source failed.
    #[error("the random number generator failed")]
    Rng,
}

fn join<'a>(codes: impl Iterator<Item = &'a str>) -> String {
    codes.collect::<Vec<_>>().join(", ")
}
