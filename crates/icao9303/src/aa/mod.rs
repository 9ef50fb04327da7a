//! Active Authentication (Doc 9303 Part 11 §6.1): the chip signs the
//! reader's random challenge with the private key of DG15's public key,
//! so a chip whose data were copied to another cannot answer.
//!
//! - RSA: ISO/IEC 9796-2 digital signature scheme 1 (partial message
//!   recovery): `S^e mod n = 6A || M1 || H(M1 || challenge) || trailer`,
//!   trailer `BC` (SHA-1) or `xx CC` naming the hash.
//! - ECDSA: a plain `r || s` signature (BSI TR-03111) over the challenge
//!   with the hash DG14's ActiveAuthenticationInfo names (SHA-256 when
//!   DG14 names none), on P-224, P-256, P-384, P-521, brainpoolP256r1 and
//!   brainpoolP384r1 (named curves).
//!
//! Needs the signature primitives of feature `pa`. The reader's side
//! ([`authenticate`], [`verify`]) is here; the chip's ([`card`]: the
//! signatures an eMRTD makes) in `card.rs`.

use der::asn1::ObjectIdentifier;
use ecdsa::signature::hazmat::PrehashVerifier;
use rand_core::TryCryptoRng;
use subtle::ConstantTimeEq;

use crate::Error;
use crate::apdu::{CommandApdu, ResponseApdu, StatusWord};
use crate::lds::dg15::PublicKey;
use crate::lds::sod::HashAlgorithm;
use crate::lds::{Dg14, Dg15, SecurityInfo};
use crate::oid;
use crate::sm::SecureMessaging;
use crate::transport::Transport;

pub mod card;

/// Why Active Authentication failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AaErrorKind {
    /// DG15's key cannot be used.
    #[error("DG15: {0}")]
    Key(KeyProblem),
    /// The chip refused INTERNAL AUTHENTICATE.
    #[error("INTERNAL AUTHENTICATE: the chip answered {sw}")]
    Refused {
        /// The status word.
        sw: StatusWord,
    },
    /// The signature does not verify: the chip is not the one DG15 names.
    #[error("the signature does not verify: {0}")]
    BadSignature(SignatureProblem),
}

/// What makes DG15's public key unusable (typed, so a caller can tell an
/// unsupported but well-formed key from a broken one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyProblem {
    /// An EC key with explicit parameters or none: only named curves are
    /// supported for Active Authentication.
    #[error("EC key without a named curve")]
    NoNamedCurve,
    /// A curve this crate does not verify on.
    #[error("curve {0} is not supported")]
    UnsupportedCurve(ObjectIdentifier),
    /// The point does not decode, or is not on the curve.
    #[error("not a point on the curve")]
    NotOnCurve,
    /// Neither RSA nor EC.
    #[error("neither RSA nor EC")]
    NotRsaOrEc,
    /// The RSA modulus is outside 1024..=8192 bits (or the key too small
    /// to sign with ISO/IEC 9796-2).
    #[error("an RSA modulus of {bits} bits (1024 to 8192 are accepted)")]
    RsaModulusSize {
        /// The modulus's length in bits.
        bits: usize,
    },
    /// The RSA modulus is even, or not above the exponent.
    #[error("an RSA modulus that is even or not above the exponent")]
    RsaModulus,
    /// The RSA exponent is longer than 64 bits or refused by `rsa` (even,
    /// below 2 or above 2^33 - 1).
    #[error("an RSA public exponent that is not usable")]
    RsaExponent,
}

/// Why a signature from the chip does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureProblem {
    /// ECDSA: r or s is zero or not below the group order.
    #[error("r or s out of range")]
    ScalarOutOfRange,
    /// ECDSA: the signature is not the key's over the challenge.
    #[error("ECDSA")]
    Ecdsa,
    /// RSA: the signature is not as long as the modulus.
    #[error("a signature not as long as the modulus")]
    Length,
    /// RSA: the signature, as a number, is not below the modulus.
    #[error("a signature not below the modulus")]
    NotBelowModulus,
    /// ISO/IEC 9796-2: the recovered block does not start with 01 (header
    /// 6A or 4A).
    #[error("the recovered block does not start with 01 (header 6A/4A)")]
    Header,
    /// ISO/IEC 9796-2: a trailer of two bytes naming an unknown hash.
    #[error("an unknown hash identifier in the trailer")]
    UnknownHash,
    /// ISO/IEC 9796-2: neither trailer BC nor CC.
    #[error("no ISO/IEC 9796-2 trailer")]
    Trailer,
    /// ISO/IEC 9796-2: the recovered block is too short for the hash.
    #[error("a block too short for the hash")]
    TooShort,
    /// ISO/IEC 9796-2: the hash over M1 || challenge differs.
    #[error("the hash does not match the challenge")]
    HashMismatch,
}

impl From<AaErrorKind> for Error {
    fn from(kind: AaErrorKind) -> Error {
        Error::ActiveAuthentication(kind)
    }
}

/// The hash of an ECDSA signature algorithm OID (ecdsa-with-SHA*).
fn ecdsa_hash(algorithm: &ObjectIdentifier) -> Option<HashAlgorithm> {
    const TABLE: [(ObjectIdentifier, HashAlgorithm); 5] = [
        (oid::ECDSA_WITH_SHA1, HashAlgorithm::Sha1),
        (oid::ECDSA_WITH_SHA224, HashAlgorithm::Sha224),
        (oid::ECDSA_WITH_SHA256, HashAlgorithm::Sha256),
        (oid::ECDSA_WITH_SHA384, HashAlgorithm::Sha384),
        (oid::ECDSA_WITH_SHA512, HashAlgorithm::Sha512),
    ];
    TABLE.iter().find(|(o, _)| o == algorithm).map(|(_, h)| *h)
}

/// The hash DG14's ActiveAuthenticationInfo names for ECDSA, if any.
pub fn ecdsa_hash_of(dg14: Option<&Dg14<'_>>) -> Option<HashAlgorithm> {
    dg14?.security_infos.infos.iter().find_map(|i| match i {
        SecurityInfo::ActiveAuthentication {
            signature_algorithm,
            ..
        } => ecdsa_hash(signature_algorithm),
        _ => None,
    })
}

/// Verifies the chip's `signature` over `challenge` with DG15's key; for
/// ECDSA `hash` is the hash of DG14's ActiveAuthenticationInfo (SHA-256
/// when `None`).
pub fn verify(
    dg15: &Dg15<'_>,
    challenge: &[u8],
    signature: &[u8],
    hash: Option<HashAlgorithm>,
) -> Result<(), Error> {
    match &dg15.public_key.key {
        PublicKey::Ec {
            named_curve, point, ..
        } => {
            let digest = hash.unwrap_or(HashAlgorithm::Sha256).digest(challenge);
            let curve = named_curve.ok_or(AaErrorKind::Key(KeyProblem::NoNamedCurve))?;
            verify_ecdsa(&curve, point, &digest, signature)
        }
        PublicKey::Rsa {
            modulus, exponent, ..
        } => {
            let key = rsa_key(modulus, exponent)?;
            verify_9796_2(&key, challenge, signature)
        }
        PublicKey::Other { .. } => Err(AaErrorKind::Key(KeyProblem::NotRsaOrEc).into()),
    }
}

macro_rules! verify_on {
    ($curve:ty, $point:expr, $digest:expr, $rs:expr) => {{
        let key = ecdsa::VerifyingKey::<$curve>::from_sec1_bytes($point)
            .map_err(|_| AaErrorKind::Key(KeyProblem::NotOnCurve))?;
        let sig = ecdsa::Signature::<$curve>::from_slice($rs)
            .map_err(|_| AaErrorKind::BadSignature(SignatureProblem::ScalarOutOfRange))?;
        key.verify_prehash($digest, &sig)
            .map_err(|_| AaErrorKind::BadSignature(SignatureProblem::Ecdsa).into())
    }};
}

fn verify_ecdsa(
    curve: &ObjectIdentifier,
    point: &[u8],
    digest: &[u8],
    rs: &[u8],
) -> Result<(), Error> {
    match *curve {
        c if c == oid::SECP224R1 => verify_on!(p224::NistP224, point, digest, rs),
        c if c == oid::SECP256R1 => verify_on!(p256::NistP256, point, digest, rs),
        c if c == oid::SECP384R1 => verify_on!(p384::NistP384, point, digest, rs),
        c if c == oid::SECP521R1 => verify_on!(p521::NistP521, point, digest, rs),
        c if c == oid::BRAINPOOL_P256R1 => verify_on!(bp256::BrainpoolP256r1, point, digest, rs),
        c if c == oid::BRAINPOOL_P384R1 => verify_on!(bp384::BrainpoolP384r1, point, digest, rs),
        other => Err(AaErrorKind::Key(KeyProblem::UnsupportedCurve(other)).into()),
    }
}

fn rsa_key(n: &[u8], e: &[u8]) -> Result<rsa::PublicKey, Error> {
    let bad = |problem: KeyProblem| -> Error { AaErrorKind::Key(problem).into() };
    // Checked here rather than left to `rsa`, so the error can say how
    // long the modulus is.
    let bits = bit_length(n);
    let size = bad(KeyProblem::RsaModulusSize { bits });
    if !(1024..=8192).contains(&bits) {
        return Err(size);
    }
    // The precision from the bytes as given: a leading zero byte (DER's,
    // for a modulus with its top bit set) must fit too.
    let precision = u32::try_from(n.len().saturating_mul(8).div_ceil(64).saturating_mul(64))
        .map_err(|_| size.clone())?;
    let n = rsa::BoxedUint::from_be_slice(n, precision).map_err(|_| size.clone())?;
    let e = rsa::BoxedUint::from_be_slice(e, 64).map_err(|_| bad(KeyProblem::RsaExponent))?;
    rsa::PublicKey::new_with_size_limits(n, e, 1024..=8192).map_err(|e| match e {
        rsa::Error::ModulusTooSmall | rsa::Error::ModulusTooLarge => size,
        rsa::Error::InvalidExponent
        | rsa::Error::PublicExponentTooSmall
        | rsa::Error::PublicExponentTooLarge => bad(KeyProblem::RsaExponent),
        _ => bad(KeyProblem::RsaModulus),
    })
}

/// The length in bits of the big-endian unsigned number `n`.
fn bit_length(n: &[u8]) -> usize {
    let n = n
        .get(n.iter().take_while(|b| **b == 0).count()..)
        .unwrap_or_default();
    let first = n.first().map_or(0, |b| 8 - b.leading_zeros() as usize);
    n.len()
        .saturating_sub(1)
        .saturating_mul(8)
        .saturating_add(first)
}

/// ISO/IEC 9796-2 scheme 1 verification with message recovery.
fn verify_9796_2(key: &rsa::PublicKey, m2: &[u8], signature: &[u8]) -> Result<(), Error> {
    use rsa::traits::PublicKeyParts;
    let bad = |problem: SignatureProblem| -> Error { AaErrorKind::BadSignature(problem).into() };
    let k = key.size();
    if signature.len() != k {
        return Err(bad(SignatureProblem::Length));
    }
    let s = rsa::BoxedUint::from_be_slice(signature, key.n_bits_precision())
        .map_err(|_| bad(SignatureProblem::NotBelowModulus))?;
    if s >= *key.n().as_ref() {
        return Err(bad(SignatureProblem::NotBelowModulus));
    }
    let f =
        rsa::hazmat::rsa_encrypt(key, &s).map_err(|_| bad(SignatureProblem::NotBelowModulus))?;
    let f = f.to_be_bytes();
    // Left-align to the modulus length.
    let f: Vec<u8> = {
        let mut v = vec![0u8; k.saturating_sub(f.len())];
        v.extend_from_slice(f.get(f.len().saturating_sub(k)..).unwrap_or_default());
        v
    };
    let (&first, rest) = f
        .split_first()
        .ok_or_else(|| bad(SignatureProblem::Length))?;
    if first & 0xC0 != 0x40 {
        return Err(bad(SignatureProblem::Header));
    }
    let (hash, trailer_len) = match f.last() {
        Some(0xBC) => (HashAlgorithm::Sha1, 1usize),
        Some(0xCC) => {
            let id = f.get(k.saturating_sub(2)).copied().unwrap_or(0);
            let h = match id {
                0x33 => HashAlgorithm::Sha1,
                0x34 => HashAlgorithm::Sha256,
                0x35 => HashAlgorithm::Sha512,
                0x36 => HashAlgorithm::Sha384,
                0x38 => HashAlgorithm::Sha224,
                _ => return Err(bad(SignatureProblem::UnknownHash)),
            };
            (h, 2)
        }
        _ => return Err(bad(SignatureProblem::Trailer)),
    };
    let t = hash.output_len();
    let body_len = rest
        .len()
        .checked_sub(trailer_len)
        .and_then(|n| n.checked_sub(t))
        .ok_or_else(|| bad(SignatureProblem::TooShort))?;
    let m1 = rest.get(..body_len).unwrap_or_default();
    let d = rest
        .get(body_len..body_len.saturating_add(t))
        .unwrap_or_default();
    let mut m = Vec::with_capacity(m1.len().saturating_add(m2.len()));
    m.extend_from_slice(m1);
    m.extend_from_slice(m2);
    let expected = hash.digest(&m);
    if bool::from(expected.as_slice().ct_eq(d)) {
        Ok(())
    } else {
        Err(bad(SignatureProblem::HashMismatch))
    }
}

/// INTERNAL AUTHENTICATE (`00 88 00 00`) with the reader's `challenge`,
/// to send under secure messaging.
pub fn internal_authenticate(challenge: &[u8; 8]) -> CommandApdu {
    CommandApdu::new(0x00, 0x88, 0x00, 0x00)
        .with_data(challenge.to_vec())
        .with_ne(Some(256))
}

/// Checks the chip's (unprotected) answer to INTERNAL AUTHENTICATE over
/// `challenge`: status 9000, then the signature with DG15's key.
pub fn check_answer(
    dg15: &Dg15<'_>,
    dg14: Option<&Dg14<'_>>,
    challenge: &[u8; 8],
    response: &ResponseApdu,
) -> Result<(), Error> {
    if !response.sw.is_success() {
        return Err(AaErrorKind::Refused { sw: response.sw }.into());
    }
    verify(dg15, challenge, &response.data, ecdsa_hash_of(dg14))
}

/// Sends INTERNAL AUTHENTICATE with a challenge of 8 bytes drawn from
/// `rng` under `sm`, and verifies the answer with DG15's key.
pub fn authenticate<T, R>(
    transport: &mut T,
    sm: &mut SecureMessaging,
    dg15: &Dg15<'_>,
    dg14: Option<&Dg14<'_>>,
    rng: &mut R,
) -> Result<(), Error>
where
    T: Transport + ?Sized,
    R: TryCryptoRng + ?Sized,
{
    let mut challenge = [0u8; 8];
    crate::fill_random(rng, &mut challenge)?;
    let rsp = sm.transmit(transport, &internal_authenticate(&challenge))?;
    check_answer(dg15, dg14, &challenge, &rsp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_problem(n: &[u8], e: &[u8]) -> Option<KeyProblem> {
        match rsa_key(n, e) {
            Err(Error::ActiveAuthentication(AaErrorKind::Key(p))) => Some(p),
            _ => None,
        }
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[0, 0]), 0);
        assert_eq!(bit_length(&[0x01]), 1);
        assert_eq!(bit_length(&[0, 0x80, 0]), 16);
        assert_eq!(bit_length(&[0x01, 0, 0]), 17);
    }

    #[test]
    fn rsa_keys_refused_with_their_reason() {
        let odd = |len: usize| {
            let mut n = vec![0xFF; len];
            n.insert(0, 0);
            n
        };
        // 512 bits, with a leading zero byte that does not count.
        let small = key_problem(&odd(64), &[1, 0, 1]);
        assert_eq!(small, Some(KeyProblem::RsaModulusSize { bits: 512 }));
        let large = key_problem(&odd(1025), &[1, 0, 1]);
        assert_eq!(large, Some(KeyProblem::RsaModulusSize { bits: 8200 }));
        assert_eq!(key_problem(&odd(128), &[2]), Some(KeyProblem::RsaExponent));
        assert_eq!(key_problem(&odd(128), &[1]), Some(KeyProblem::RsaExponent));
        assert_eq!(
            key_problem(&odd(128), &[0xFF; 9]),
            Some(KeyProblem::RsaExponent)
        );
        let mut even = odd(128);
        if let Some(last) = even.last_mut() {
            *last = 0xFE;
        }
        assert_eq!(key_problem(&even, &[1, 0, 1]), Some(KeyProblem::RsaModulus));
        assert!(rsa_key(&odd(128), &[1, 0, 1]).is_ok());
    }
}
