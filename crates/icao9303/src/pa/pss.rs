//! RSASSA-PSS verification, RFC 8017 §8.1.2 and §9.1.2, with the mask
//! generation hash and the salt length taken from the parameters (the `rsa`
//! crate ties MGF1's hash to the message hash).

use rsa::traits::PublicKeyParts;

use crate::lds::sod::HashAlgorithm;
use crate::pa::error::{PaErrorKind, SignatureKind, SignatureProblem};

fn error(problem: SignatureProblem) -> PaErrorKind {
    PaErrorKind::bad_signature(SignatureKind::RsaPss, problem)
}

/// An encoded message that is not what EMSA-PSS writes: the step failed.
fn bad(step: &'static str) -> PaErrorKind {
    error(SignatureProblem::Inconsistent(step))
}

/// Verifies an RSASSA-PSS `signature` over a message whose hash is `m_hash`.
pub(crate) fn verify(
    key: &rsa::PublicKey,
    m_hash: &[u8],
    signature: &[u8],
    mgf_hash: HashAlgorithm,
    salt_len: usize,
) -> Result<(), PaErrorKind> {
    // RSAVP1 (§8.1.2 step 2).
    if signature.len() != key.size() {
        return Err(error(SignatureProblem::Length {
            expected: key.size(),
            actual: signature.len(),
        }));
    }
    let s = rsa::BoxedUint::from_be_slice(signature, key.n_bits_precision())
        .map_err(|_| error(SignatureProblem::OutOfRange))?;
    if s >= *key.n().as_ref() {
        return Err(error(SignatureProblem::OutOfRange));
    }
    let m = rsa::hazmat::rsa_encrypt(key, &s).map_err(|_| bad("RSAVP1"))?;
    let mod_bits = key.n().bit_width_vartime() as usize;
    let em_bits = mod_bits.saturating_sub(1);
    let em_len = em_bits.div_ceil(8);
    let full = m.to_be_bytes();
    let cut = full.len().saturating_sub(em_len);
    let (lead, em) = full.split_at(cut);
    if lead.iter().any(|b| *b != 0) || em.len() != em_len {
        return Err(bad("encoded message too long"));
    }
    emsa_pss_verify(m_hash, em, em_bits, mgf_hash, salt_len)
}

/// EMSA-PSS-VERIFY, §9.1.2. `m_hash` is Hash(M); its length is hLen.
fn emsa_pss_verify(
    m_hash: &[u8],
    em: &[u8],
    em_bits: usize,
    mgf_hash: HashAlgorithm,
    salt_len: usize,
) -> Result<(), PaErrorKind> {
    let h_len = m_hash.len();
    let hash = match h_len {
        20 => HashAlgorithm::Sha1,
        28 => HashAlgorithm::Sha224,
        32 => HashAlgorithm::Sha256,
        48 => HashAlgorithm::Sha384,
        64 => HashAlgorithm::Sha512,
        _ => return Err(bad("unexpected hash length")),
    };
    let em_len = em.len();
    // Step 3.
    let needed = h_len
        .checked_add(salt_len)
        .and_then(|n| n.checked_add(2))
        .ok_or_else(|| bad("salt length"))?;
    if em_len < needed {
        return Err(bad("encoded message too short"));
    }
    // Step 4.
    let (body, trailer) = em.split_at(em_len.saturating_sub(1));
    if trailer != [0xBC] {
        return Err(bad("no 0xBC trailer"));
    }
    // Step 5.
    let db_len = em_len.saturating_sub(h_len).saturating_sub(1);
    let (masked_db, h) = body.split_at(db_len);
    // Step 6.
    let zero_bits = em_len.saturating_mul(8).saturating_sub(em_bits);
    let top_mask: u8 = if zero_bits >= 8 {
        0xFF
    } else {
        !(0xFFu8 >> zero_bits)
    };
    if masked_db.first().is_some_and(|b| b & top_mask != 0) {
        return Err(bad("leftmost bits set"));
    }
    // Steps 7-9.
    let db_mask = mgf1(mgf_hash, h, db_len);
    let mut db: Vec<u8> = masked_db
        .iter()
        .zip(db_mask.iter())
        .map(|(a, b)| a ^ b)
        .collect();
    if let Some(first) = db.first_mut() {
        *first &= !top_mask;
    }
    // Step 10.
    let ps_len = em_len
        .saturating_sub(h_len)
        .saturating_sub(salt_len)
        .saturating_sub(2);
    let (ps, rest) = db.split_at(ps_len.min(db.len()));
    if ps.iter().any(|b| *b != 0) || rest.first() != Some(&0x01) {
        return Err(bad("padding"));
    }
    // Step 11.
    let salt = rest.get(1..).unwrap_or(&[]);
    if salt.len() != salt_len {
        return Err(bad("salt length"));
    }
    // Steps 12-14.
    let mut m_prime = Vec::with_capacity(8usize.saturating_add(h_len).saturating_add(salt_len));
    m_prime.extend_from_slice(&[0u8; 8]);
    m_prime.extend_from_slice(m_hash);
    m_prime.extend_from_slice(salt);
    let h_prime = hash.digest(&m_prime);
    if bool::from(subtle::ConstantTimeEq::ct_eq(h_prime.as_slice(), h)) {
        Ok(())
    } else {
        Err(error(SignatureProblem::Mismatch))
    }
}

/// MGF1, RFC 8017 Appendix B.2.1.
fn mgf1(hash: HashAlgorithm, seed: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len.saturating_add(64));
    let mut counter: u32 = 0;
    while out.len() < len {
        let mut input = Vec::with_capacity(seed.len().saturating_add(4));
        input.extend_from_slice(seed);
        input.extend_from_slice(&counter.to_be_bytes());
        out.extend_from_slice(&hash.digest(&input));
        counter = counter.wrapping_add(1);
    }
    out.truncate(len);
    out
}
