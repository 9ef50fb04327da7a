//! The crate's one error type.

#[allow(unused_imports)]
use crate::prelude::*;
/// Everything that can go wrong in this crate, and every refusal of a code.
///
/// Refusals of a code ([`Error::WrongCode`], [`Error::Expired`],
/// [`Error::Exhausted`], [`Error::AlreadyUsed`], [`Error::Replayed`], ...)
/// are ordinary outcomes: match on them to tell the user what happened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The number of digits is outside 6..=8.
    #[error("an OTP has 6 to 8 digits, not {0}")]
    InvalidDigits(u32),
    /// A secret shorter than the minimum (128 bits unless lowered on purpose).
    #[error("the secret has {got} bytes, at least {min} are required")]
    SecretTooShort {
        /// Length given, in bytes.
        got: usize,
        /// Minimum length, in bytes.
        min: usize,
    },
    /// The secret is not valid base32 (RFC 4648, padding optional).
    #[error("the secret is not valid base32")]
    InvalidBase32,
    /// A TOTP time step of zero seconds.
    #[error("the TOTP time step must be at least one second")]
    InvalidTimeStep,
    /// The time given is before the TOTP's T0.
    #[error("the time {now} is before T0 = {t0}")]
    BeforeT0 {
        /// The time given (Unix seconds).
        now: u64,
        /// The configured T0 (Unix seconds).
        t0: u64,
    },
    /// An `otpauth://` URI could not be parsed; `reason` says why.
    #[error("invalid otpauth URI: {reason}")]
    InvalidUri {
        /// What was wrong.
        reason: &'static str,
    },
    /// The random source failed.
    #[error("the random number generator failed")]
    Rng,
    /// A challenge configuration value is out of range.
    #[error("invalid challenge configuration: {reason}")]
    InvalidConfig {
        /// What was wrong.
        reason: &'static str,
    },
    /// The server key for challenges is shorter than 32 bytes.
    #[error("the challenge server key must have at least 32 bytes, not {0}")]
    ServerKeyTooShort(usize),

    /// The code does not match. For a challenge, `tries_left` says how many
    /// wrong codes may still be entered (0: the challenge is now dead).
    #[error("wrong code ({tries_left} tries left)")]
    WrongCode {
        /// Wrong codes still allowed before the challenge dies. For HOTP and
        /// TOTP, which have no limit of their own, this is always 0.
        tries_left: u32,
    },
    /// The code matches a counter or time step that was already accepted:
    /// a replay (RFC 4226 §7.2, RFC 6238 §5.2).
    #[error("this code was already used")]
    Replayed,
    /// The challenge's code has expired.
    #[error("the code has expired")]
    Expired,
    /// Too many wrong codes were entered: the challenge is dead.
    #[error("too many wrong codes: ask for a new code")]
    Exhausted,
    /// The challenge was already answered correctly once.
    #[error("the code was already used")]
    AlreadyUsed,
    /// The challenge belongs to another subject or purpose.
    #[error("the code was issued for another subject or purpose")]
    WrongSubjectOrPurpose,
    /// A new code was asked for before the resend cooldown ended.
    #[error("wait {seconds_left} s before asking for a new code")]
    Cooldown {
        /// Seconds until a new code may be sent.
        seconds_left: u64,
    },
    /// The subject was sent the maximum number of codes in the last hour.
    #[error("too many codes sent: wait {seconds_left} s")]
    RateLimited {
        /// Seconds until one more code may be sent.
        seconds_left: u64,
    },
    /// The challenge has been resent the maximum number of times; issue a
    /// new challenge.
    #[error("this challenge has been resent too often: start again")]
    ResendLimit,
}
