//! Diffie-Hellman over the MODP groups of PACE, on crypto-bigint's
//! constant-time Montgomery arithmetic. Values travel as big-endian octet
//! strings of the length of `p`.

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Odd};
use zeroize::Zeroizing;

use super::PaceErrorKind;
use crate::Error;

/// A MODP group with a prime-order subgroup: modulus `p`, generator `g` of
/// order `q`.
pub(super) struct Group {
    pub(super) p: &'static str,
    pub(super) g: &'static str,
    pub(super) q: &'static str,
}

/// RFC 5114 §2.1: 1024-bit MODP group with 160-bit prime-order subgroup
/// (Doc 9303 standardized domain parameter 0).
pub(super) const RFC5114_1024_160: Group = Group {
    p: "B10B8F96A080E01DDE92DE5EAE5D54EC52C99FBCFB06A3C69A6A9DCA52D23B616073E28675A23D189838EF1E2EE652C013ECB4AEA906112324975C3CD49B83BFACCBDD7D90C4BD7098488E9C219A73724EFFD6FAE5644738FAA31A4FF55BCCC0A151AF5F0DC8B4BD45BF37DF365C1A65E68CFDA76D4DA708DF1FB2BC2E4A4371",
    g: "A4D1CBD5C3FD34126765A442EFB99905F8104DD258AC507FD6406CFF14266D31266FEA1E5C41564B777E690F5504F213160217B4B01B886A5E91547F9E2749F4D7FBD7D3B9A92EE1909D0D2263F80A76A6A24C087A091F531DBF0A0169B6A28AD662A4D18E73AFA32D779D5918D08BC8858F4DCEF97C2A24855E6EEB22B3B2E5",
    q: "F518AA8781A8DF278ABA4E7D64B7CB9D49462353",
};

fn unhex(s: &str) -> Vec<u8> {
    s.as_bytes()
        .chunks(2)
        .map(|pair| {
            let digit = |c: u8| match c {
                b'0'..=b'9' => c - b'0',
                b'A'..=b'F' => c - b'A' + 10,
                b'a'..=b'f' => c - b'a' + 10,
                _ => 0,
            };
            match pair {
                [hi, lo] => (digit(*hi) << 4) | digit(*lo),
                _ => 0,
            }
        })
        .collect()
}

fn precision(len: usize) -> u32 {
    // Whole 64-bit limbs.
    u32::try_from(len.div_ceil(8).saturating_mul(64)).unwrap_or(u32::MAX)
}

/// A group ready for arithmetic.
pub(super) struct Modp {
    p: Vec<u8>,
    g: Vec<u8>,
    q: Vec<u8>,
    params: BoxedMontyParams,
}

impl Modp {
    pub(super) fn new(group: &Group) -> Result<Modp, Error> {
        let p = unhex(group.p);
        let modulus = BoxedUint::from_be_slice(&p, precision(p.len()))
            .map_err(|_| PaceErrorKind::InvalidPoint)?;
        let odd: Option<Odd<BoxedUint>> = Odd::new(modulus).into_option();
        let params = BoxedMontyParams::new(odd.ok_or(PaceErrorKind::InvalidPoint)?);
        Ok(Modp {
            g: unhex(group.g),
            q: unhex(group.q),
            p,
            params,
        })
    }

    /// The length of `p` in bytes: the length of every value.
    pub(super) fn len(&self) -> usize {
        self.p.len()
    }

    /// The length of `q` in bytes: the length of a fresh private key.
    pub(super) fn q_len(&self) -> usize {
        self.q.len()
    }

    /// `value` as a Montgomery form, `value < p` required.
    fn form(&self, value: &[u8]) -> Result<BoxedMontyForm, Error> {
        if value.len() > self.len() || !less_than(value, &self.p) {
            return Err(PaceErrorKind::InvalidPoint.into());
        }
        let x = BoxedUint::from_be_slice(value, self.params.bits_precision())
            .map_err(|_| PaceErrorKind::InvalidPoint)?;
        Ok(BoxedMontyForm::new(x, &self.params))
    }

    fn exponent(exp: &[u8]) -> Result<BoxedUint, Error> {
        BoxedUint::from_be_slice(exp, precision(exp.len().max(1)))
            .map_err(|_| PaceErrorKind::InvalidPrivateKey.into())
    }

    fn encode(&self, x: &BoxedMontyForm) -> Vec<u8> {
        let bytes = x.retrieve().to_be_bytes();
        // The precision is whole limbs; keep the last len(p) bytes.
        let skip = bytes.len().saturating_sub(self.len());
        bytes.get(skip..).unwrap_or_default().to_vec()
    }

    /// `base^exp mod p` (`g` when `base` is `None`).
    pub(super) fn pow(&self, base: Option<&[u8]>, exp: &[u8]) -> Result<Vec<u8>, Error> {
        let b = self.form(base.unwrap_or(&self.g))?;
        let e = Zeroizing::new(Modp::exponent(exp)?);
        Ok(self.encode(&b.pow(&e)))
    }

    /// `g^s * h mod p`, the Generic Mapping.
    pub(super) fn map(&self, nonce: &[u8], h: &[u8]) -> Result<Vec<u8>, Error> {
        let g = self.form(&self.g)?;
        let s = Zeroizing::new(Modp::exponent(nonce)?);
        let h = self.form(h)?;
        Ok(self.encode(&(g.pow(&s) * h)))
    }

    /// Checks a public value: `1 < y < p - 1` and `y^q = 1` (it lies in the
    /// subgroup of order `q`).
    pub(super) fn check(&self, y: &[u8]) -> Result<(), Error> {
        if y.len() != self.len() {
            return Err(PaceErrorKind::InvalidPoint.into());
        }
        let mut p_minus_1 = self.p.clone();
        if let Some(last) = p_minus_1.last_mut() {
            // p is odd: p - 1 only clears its lowest bit.
            *last &= 0xFE;
        }
        let mut one = vec![0u8; self.len()];
        if let Some(last) = one.last_mut() {
            *last = 1;
        }
        if !less_than(&one, y) || !less_than(y, &p_minus_1) {
            return Err(PaceErrorKind::InvalidPoint.into());
        }
        if self.pow(Some(y), &self.q)? != one {
            return Err(PaceErrorKind::InvalidPoint.into());
        }
        Ok(())
    }

    /// Integrated Mapping: the generator `R_p^((p-1)/q) mod p` from the
    /// pseudo-random function's output `R` (`R_p = R mod p`).
    pub(super) fn map_integrated(&self, r: &[u8]) -> Result<Vec<u8>, Error> {
        let rp = reduce(r, &self.p)?;
        let p = BoxedUint::from_be_slice(&self.p, self.params.bits_precision())
            .map_err(|_| PaceErrorKind::InvalidPoint)?;
        let q = BoxedUint::from_be_slice(&self.q, self.params.bits_precision())
            .map_err(|_| PaceErrorKind::InvalidPoint)?;
        let q: Option<crypto_bigint::NonZero<BoxedUint>> =
            crypto_bigint::NonZero::new(q).into_option();
        let q = q.ok_or(PaceErrorKind::InvalidPoint)?;
        let (e, _) = p
            .wrapping_sub(BoxedUint::one_with_precision(self.params.bits_precision()))
            .div_rem(&q);
        let g = self.pow(Some(&rp), &e.to_be_bytes())?;
        let mut one = vec![0u8; self.len()];
        if let Some(last) = one.last_mut() {
            *last = 1;
        }
        if g == one || g.iter().all(|b| *b == 0) {
            return Err(PaceErrorKind::InvalidPoint.into());
        }
        Ok(g)
    }

    /// Whether `sk` is a private key in `1..q` once cut to `q`'s length.
    pub(super) fn valid_private_key(&self, sk: &[u8]) -> bool {
        sk.iter().any(|b| *b != 0) && less_than(sk, &self.q)
    }
}

/// `value mod modulus`, as many bytes as the modulus.
pub(super) fn reduce(value: &[u8], modulus: &[u8]) -> Result<Vec<u8>, Error> {
    let prec = precision(value.len().max(modulus.len()));
    let v = BoxedUint::from_be_slice(value, prec).map_err(|_| PaceErrorKind::InvalidPoint)?;
    let m = BoxedUint::from_be_slice(modulus, prec).map_err(|_| PaceErrorKind::InvalidPoint)?;
    let m: Option<crypto_bigint::NonZero<BoxedUint>> = crypto_bigint::NonZero::new(m).into_option();
    let r = v.rem(&m.ok_or(PaceErrorKind::InvalidPoint)?);
    let bytes = r.to_be_bytes();
    let skip = bytes.len().saturating_sub(modulus.len());
    Ok(bytes.get(skip..).unwrap_or_default().to_vec())
}

/// `(p - 1 - (p + 1) / 4)` for an odd prime `p` given big-endian, as
/// little-endian 64-bit limbs (the exponent of the point encoding).
pub(super) fn swu_exponent(p: &[u8]) -> Result<Vec<u64>, Error> {
    let prec = precision(p.len().saturating_add(1));
    let p = BoxedUint::from_be_slice(p, prec).map_err(|_| PaceErrorKind::InvalidPoint)?;
    let one = BoxedUint::one_with_precision(prec);
    let quarter = p.wrapping_add(&one).shr(2);
    let e = p.wrapping_sub(&one).wrapping_sub(&quarter);
    Ok(e.as_words().to_vec())
}

/// `a < b` for big-endian values (of any lengths). Used on public values only.
fn less_than(a: &[u8], b: &[u8]) -> bool {
    let strip = |x: &[u8]| -> Vec<u8> { x.iter().copied().skip_while(|v| *v == 0).collect() };
    let (a, b) = (strip(a), strip(b));
    match a.len().cmp(&b.len()) {
        core::cmp::Ordering::Less => true,
        core::cmp::Ordering::Greater => false,
        core::cmp::Ordering::Equal => a < b,
    }
}
