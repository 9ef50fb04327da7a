//! The pieces shared by HOTP and TOTP: hash algorithm, number of digits,
//! secret, the code itself, and the RFC 4226 computation.

#[allow(unused_imports)]
use crate::prelude::*;
use core::fmt;

use hmac::{Hmac, KeyInit, Mac};
use rand_core::TryCryptoRng;
use sha1::Sha1;
use sha2::{Sha256, Sha512};
use subtle::{Choice, ConstantTimeEq};
use zeroize::Zeroizing;

use crate::Error;

/// The HMAC hash function of an OTP (RFC 6238 §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "UPPERCASE"))]
#[non_exhaustive]
pub enum Algorithm {
    /// HMAC-SHA-1, the default of RFC 4226 and of authenticator apps.
    #[default]
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

impl Algorithm {
    /// The name used in `otpauth://` URIs: `SHA1`, `SHA256` or `SHA512`.
    pub const fn uri_name(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }

    /// Parses a name as found in `otpauth://` URIs (case-insensitive;
    /// `SHA-1` style with a hyphen is accepted too).
    pub fn from_uri_name(name: &str) -> Option<Self> {
        let n: String = name
            .chars()
            .filter(|c| *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        match n.as_str() {
            "SHA1" => Some(Algorithm::Sha1),
            "SHA256" => Some(Algorithm::Sha256),
            "SHA512" => Some(Algorithm::Sha512),
            _ => None,
        }
    }
}

/// The number of digits of a code: 6, 7 or 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "u32", into = "u32"))]
pub struct Digits(u8);

impl Digits {
    /// Six digits, the usual choice.
    pub const SIX: Digits = Digits(6);
    /// Eight digits.
    pub const EIGHT: Digits = Digits(8);

    /// Checks that `n` is 6, 7 or 8.
    pub fn new(n: u32) -> Result<Self, Error> {
        match n {
            6..=8 => Ok(Digits(n as u8)),
            _ => Err(Error::InvalidDigits(n)),
        }
    }

    /// The number of digits.
    pub const fn get(self) -> u32 {
        self.0 as u32
    }

    /// 10 to the power of the number of digits.
    pub(crate) const fn modulus(self) -> u32 {
        match self.0 {
            6 => 1_000_000,
            7 => 10_000_000,
            _ => 100_000_000,
        }
    }

    /// Formats `value` (already reduced) zero-padded.
    pub(crate) fn format(self, value: u32) -> Code {
        Code(Zeroizing::new(format!(
            "{:0width$}",
            value % self.modulus(),
            width = self.0 as usize
        )))
    }

    /// Parses a code typed by a user: exactly this many ASCII digits.
    pub(crate) fn parse(self, code: &str) -> Option<u32> {
        if code.len() != usize::from(self.0) {
            return None;
        }
        code.bytes().try_fold(0u32, |acc, b| {
            if b.is_ascii_digit() {
                acc.checked_mul(10)?.checked_add(u32::from(b - b'0'))
            } else {
                None
            }
        })
    }
}

impl Default for Digits {
    fn default() -> Self {
        Digits::SIX
    }
}

impl TryFrom<u32> for Digits {
    type Error = Error;
    fn try_from(n: u32) -> Result<Self, Error> {
        Digits::new(n)
    }
}

impl From<Digits> for u32 {
    fn from(d: Digits) -> u32 {
        d.get()
    }
}

/// A shared OTP secret (the HMAC key K of RFC 4226). Zeroized on drop,
/// compared in constant time, never shown by `Debug`.
#[derive(Clone)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// The default minimum length: 16 bytes, 128 bits (RFC 4226 §4 R6).
    pub const MIN_LEN: usize = 16;
    /// The length [`Secret::generate`] uses by default: 20 bytes, 160 bits
    /// (RFC 4226's recommendation).
    pub const DEFAULT_LEN: usize = 20;

    /// A secret from raw bytes, at least [`Secret::MIN_LEN`] long.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        Self::from_bytes_min(bytes, Self::MIN_LEN)
    }

    /// A secret from raw bytes with an explicit minimum length (for
    /// interoperating with legacy tokens; lowering it weakens the OTP).
    pub fn from_bytes_min(bytes: &[u8], min: usize) -> Result<Self, Error> {
        if bytes.len() < min || bytes.is_empty() {
            return Err(Error::SecretTooShort {
                got: bytes.len(),
                min: min.max(1),
            });
        }
        Ok(Secret(Zeroizing::new(bytes.to_vec())))
    }

    /// A secret from base32 text as in `otpauth://` URIs: RFC 4648
    /// alphabet, case-insensitive, padding and spaces optional. At least
    /// [`Secret::MIN_LEN`] bytes.
    pub fn from_base32(text: &str) -> Result<Self, Error> {
        Self::from_base32_min(text, Self::MIN_LEN)
    }

    /// [`Secret::from_base32`] with an explicit minimum length in bytes.
    pub fn from_base32_min(text: &str, min: usize) -> Result<Self, Error> {
        let cleaned: Zeroizing<String> = Zeroizing::new(
            text.chars()
                .filter(|c| !c.is_ascii_whitespace() && *c != '-')
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        );
        let trimmed = cleaned.trim_end_matches('=');
        let bytes = Zeroizing::new(
            data_encoding::BASE32_NOPAD
                .decode(trimmed.as_bytes())
                .map_err(|_| Error::InvalidBase32)?,
        );
        Self::from_bytes_min(&bytes, min)
    }

    /// A fresh random secret of `len` bytes (at least [`Secret::MIN_LEN`]).
    pub fn generate<R: TryCryptoRng + ?Sized>(rng: &mut R, len: usize) -> Result<Self, Error> {
        if len < Self::MIN_LEN {
            return Err(Error::SecretTooShort {
                got: len,
                min: Self::MIN_LEN,
            });
        }
        let mut bytes = Zeroizing::new(vec![0u8; len]);
        rng.try_fill_bytes(&mut bytes).map_err(|_| Error::Rng)?;
        Ok(Secret(bytes))
    }

    /// The secret in unpadded upper-case base32, as `otpauth://` URIs carry it.
    pub fn to_base32(&self) -> Zeroizing<String> {
        Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&self.0))
    }

    /// The raw bytes. Handle with care.
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: a secret is never empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret([redacted; {} bytes])", self.0.len())
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        bool::from(self.0.as_slice().ct_eq(other.0.as_slice()))
    }
}

impl Eq for Secret {}

/// A one-time code as digits. Zeroized on drop; `Debug` hides it; compare
/// with `==` (constant time).
#[derive(Clone)]
pub struct Code(Zeroizing<String>);

impl Code {
    /// The digits, to send to the user or to show.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Code([redacted])")
    }
}

impl PartialEq for Code {
    fn eq(&self, other: &Self) -> bool {
        bool::from(self.0.as_bytes().ct_eq(other.0.as_bytes()))
    }
}

impl Eq for Code {}

/// An HMAC keyed once with the secret; cloned for each counter, so the key
/// schedule is not redone for every step of a window.
#[derive(Clone)]
pub(crate) enum Keyed {
    Sha1(Hmac<Sha1>),
    Sha256(Hmac<Sha256>),
    Sha512(Hmac<Sha512>),
}

impl fmt::Debug for Keyed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Keyed([redacted])")
    }
}

impl Keyed {
    pub(crate) fn new(algorithm: Algorithm, key: &Secret) -> Result<Self, Error> {
        let bad = |_| Error::SecretTooShort {
            got: key.len(),
            min: 1,
        };
        Ok(match algorithm {
            Algorithm::Sha1 => Keyed::Sha1(Hmac::new_from_slice(key.expose_secret()).map_err(bad)?),
            Algorithm::Sha256 => {
                Keyed::Sha256(Hmac::new_from_slice(key.expose_secret()).map_err(bad)?)
            }
            Algorithm::Sha512 => {
                Keyed::Sha512(Hmac::new_from_slice(key.expose_secret()).map_err(bad)?)
            }
        })
    }

    /// RFC 4226 §5.3: HMAC over the 8-byte big-endian counter, then dynamic
    /// truncation to 31 bits.
    pub(crate) fn truncated(&self, counter: u64) -> u32 {
        let msg = counter.to_be_bytes();
        match self {
            Keyed::Sha1(m) => truncate(&m.clone().chain_update(msg).finalize().into_bytes()),
            Keyed::Sha256(m) => truncate(&m.clone().chain_update(msg).finalize().into_bytes()),
            Keyed::Sha512(m) => truncate(&m.clone().chain_update(msg).finalize().into_bytes()),
        }
    }
}

/// Dynamic truncation (RFC 4226 §5.3): the low nibble of the last byte is
/// an offset; the 31 bits at that offset are the value.
fn truncate(mac: &[u8]) -> u32 {
    let offset = mac.last().map_or(0, |b| usize::from(b & 0x0f));
    mac.iter()
        .skip(offset)
        .take(4)
        .fold(0u32, |acc, b| (acc << 8) | u32::from(*b))
        & 0x7fff_ffff
}

/// HOTP value of one counter, in constant time compared to `given`.
pub(crate) fn matches(keyed: &Keyed, digits: Digits, counter: u64, given: u32) -> Choice {
    let value = keyed.truncated(counter) % digits.modulus();
    value.ct_eq(&given)
}

/// RFC 4226 HOTP in one call: the code of `counter` under `secret`.
///
/// ```
/// use eid_otp::{hotp, Algorithm, Digits, Secret};
/// let secret = Secret::from_bytes(b"12345678901234567890")?;
/// let code = hotp(&secret, Algorithm::Sha1, Digits::SIX, 0)?;
/// assert_eq!(code.expose_secret(), "755224"); // RFC 4226 Appendix D
/// # Ok::<(), eid_otp::Error>(())
/// ```
pub fn hotp(
    secret: &Secret,
    algorithm: Algorithm,
    digits: Digits,
    counter: u64,
) -> Result<Code, Error> {
    let keyed = Keyed::new(algorithm, secret)?;
    Ok(digits.format(keyed.truncated(counter)))
}

/// The raw 31-bit dynamic-truncation value (RFC 4226 Appendix D's
/// "Truncated" column), before reduction to digits.
pub fn hotp_truncated(secret: &Secret, algorithm: Algorithm, counter: u64) -> Result<u32, Error> {
    Ok(Keyed::new(algorithm, secret)?.truncated(counter))
}
