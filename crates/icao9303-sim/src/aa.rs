//! The chip's side of RSA Active Authentication: ISO/IEC 9796-2 digital
//! signature scheme 1 with partial message recovery and SHA-1.

use rsa::PrivateKey;
use rsa::traits::PublicKeyParts;
use sha1::Digest;

/// Signs the challenge `m2`: `F = 6A || M1 || SHA-1(M1 || M2) || BC`
/// with a random recoverable part `M1` filling the modulus, then `F^d`.
pub(crate) fn rsa_sign_9796_2<R: rand_core::TryCryptoRng + ?Sized>(
    key: &PrivateKey,
    m2: &[u8],
    rng: &mut R,
) -> Result<Vec<u8>, rsa::Error> {
    let k = key.size();
    let m1_len = k.checked_sub(22).ok_or(rsa::Error::InvalidModulus)?;
    let mut m1 = vec![0u8; m1_len];
    rng.try_fill_bytes(&mut m1).map_err(|_| rsa::Error::Rng)?;
    let mut h = sha1::Sha1::new();
    h.update(&m1);
    h.update(m2);
    let digest = h.finalize();
    let mut f = Vec::with_capacity(k);
    f.push(0x6A);
    f.extend_from_slice(&m1);
    f.extend_from_slice(&digest);
    f.push(0xBC);
    let m = rsa::BoxedUint::from_be_slice(&f, key.n_bits_precision())
        .map_err(|_| rsa::Error::InvalidModulus)?;
    let s = rsa::hazmat::rsa_decrypt_and_check(key, Some(rng), &m)?;
    let bytes = s.to_be_bytes();
    // Left-pad to the modulus length.
    let mut out = vec![0u8; k.saturating_sub(bytes.len())];
    out.extend_from_slice(
        bytes
            .get(bytes.len().saturating_sub(k)..)
            .unwrap_or_default(),
    );
    Ok(out)
}
