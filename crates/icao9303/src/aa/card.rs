//! Active Authentication on the chip's side: the signature an eMRTD
//! answers INTERNAL AUTHENTICATE with (the virtual chip of `icao9303-sim`
//! uses it; the reader's [`super::verify`] checks it).
//!
//! - RSA: ISO/IEC 9796-2 digital signature scheme 1 with partial message
//!   recovery and SHA-1: `F = 6A || M1 || SHA-1(M1 || M2) || BC` with a
//!   random recoverable part `M1` filling the modulus, then `F^d`.
//! - ECDSA P-256 with SHA-256, the plain `r || s` form (BSI TR-03111).

use rand_core::TryCryptoRng;
use rsa::PrivateKey;
use rsa::traits::PublicKeyParts;
use sha1::Digest;

use super::{AaErrorKind, KeyProblem};
use crate::Error;

/// The chip's Active Authentication private key, DG15's other half.
/// Secrets never appear in `Debug`.
#[derive(Clone)]
#[non_exhaustive]
pub enum ActiveAuthKey {
    /// ECDSA on P-256 with SHA-256 (plain `r || s` signatures, BSI TR-03111).
    EcdsaP256(p256::ecdsa::SigningKey),
    /// RSA with ISO/IEC 9796-2 scheme 1 and SHA-1.
    Rsa(Box<rsa::PrivateKey>),
}

impl core::fmt::Debug for ActiveAuthKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ActiveAuthKey::EcdsaP256(_) => f.write_str("ActiveAuthKey::EcdsaP256(<redacted>)"),
            ActiveAuthKey::Rsa(_) => f.write_str("ActiveAuthKey::Rsa(<redacted>)"),
        }
    }
}

impl ActiveAuthKey {
    /// The chip's signature over the reader's `challenge` (the data of
    /// INTERNAL AUTHENTICATE). RSA draws `M1` and its blinding from `rng`.
    pub fn sign<R: TryCryptoRng + ?Sized>(
        &self,
        challenge: &[u8],
        rng: &mut R,
    ) -> Result<Vec<u8>, Error> {
        match self {
            ActiveAuthKey::EcdsaP256(k) => {
                use p256::ecdsa::signature::Signer;
                let sig: p256::ecdsa::Signature = k.sign(challenge);
                Ok(sig.to_bytes().to_vec())
            }
            ActiveAuthKey::Rsa(k) => sign_9796_2(k, challenge, rng),
        }
    }
}

/// Signs the challenge `m2` with ISO/IEC 9796-2 scheme 1 and SHA-1:
/// `F = 6A || M1 || SHA-1(M1 || M2) || BC` with a random recoverable part
/// `M1` filling the modulus, then `F^d`, left-padded to the modulus length.
pub fn sign_9796_2<R: TryCryptoRng + ?Sized>(
    key: &PrivateKey,
    m2: &[u8],
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    let k = key.size();
    let too_small = || -> Error {
        let bits = k.saturating_mul(8);
        AaErrorKind::Key(KeyProblem::RsaModulusSize { bits }).into()
    };
    let m1_len = k.checked_sub(22).ok_or_else(too_small)?;
    let mut m1 = vec![0u8; m1_len];
    crate::fill_random(rng, &mut m1)?;
    let mut h = sha1::Sha1::new();
    h.update(&m1);
    h.update(m2);
    let digest = h.finalize();
    let mut f = Vec::with_capacity(k);
    f.push(0x6A);
    f.extend_from_slice(&m1);
    f.extend_from_slice(&digest);
    f.push(0xBC);
    let m = rsa::BoxedUint::from_be_slice(&f, key.n_bits_precision()).map_err(|_| too_small())?;
    // 6A... is below the modulus only when its length is a whole number of
    // bytes (its top byte 80 or more): other keys are refused, and the
    // private-key operation then fails only on the blinding's randomness.
    if m >= *key.n().as_ref() {
        return Err(too_small());
    }
    let s = rsa::hazmat::rsa_decrypt_and_check(key, Some(rng), &m).map_err(|_| Error::Rng)?;
    let bytes = s.to_be_bytes();
    let mut out = vec![0u8; k.saturating_sub(bytes.len())];
    out.extend_from_slice(
        bytes
            .get(bytes.len().saturating_sub(k)..)
            .unwrap_or_default(),
    );
    Ok(out)
}
