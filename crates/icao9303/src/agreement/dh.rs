//! Diffie-Hellman over the MODP groups of PACE, on crypto-bigint's
//! constant-time Montgomery arithmetic. Values travel as big-endian octet
//! strings of the length of `p`.

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, CtLt, Odd};
use zeroize::Zeroizing;

use crate::Error;
use crate::pace::PaceErrorKind;

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

/// RFC 5114 §2.2: 2048-bit MODP group with 224-bit prime-order subgroup
/// (Doc 9303 standardized domain parameter 1).
pub(super) const RFC5114_2048_224: Group = Group {
    p: concat!(
        "AD107E1E9123A9D0D660FAA79559C51FA20D64E5683B9FD1B54B1597B61D0A75E6FA141DF95A56DB",
        "AF9A3C407BA1DF15EB3D688A309C180E1DE6B85A1274A0A66D3F8152AD6AC2129037C9EDEFDA4DF8",
        "D91E8FEF55B7394B7AD5B7D0B6C12207C9F98D11ED34DBF6C6BA0B2C8BBC27BE6A00E0A0B9C49708",
        "B3BF8A317091883681286130BC8985DB1602E714415D9330278273C7DE31EFDC7310F7121FD5A074",
        "15987D9ADC0A486DCDF93ACC44328387315D75E198C641A480CD86A1B9E587E8BE60E69CC928B2B9",
        "C52172E413042E9B23F10B0E16E79763C9B53DCF4BA80A29E3FB73C16B8E75B97EF363E2FFA31F71",
        "CF9DE5384E71B81C0AC4DFFE0C10E64F",
    ),
    g: concat!(
        "AC4032EF4F2D9AE39DF30B5C8FFDAC506CDEBE7B89998CAF74866A08CFE4FFE3A6824A4E10B9A6F0",
        "DD921F01A70C4AFAAB739D7700C29F52C57DB17C620A8652BE5E9001A8D66AD7C17669101999024A",
        "F4D027275AC1348BB8A762D0521BC98AE247150422EA1ED409939D54DA7460CDB5F6C6B250717CBE",
        "F180EB34118E98D119529A45D6F834566E3025E316A330EFBB77A86F0C1AB15B051AE3D428C8F8AC",
        "B70A8137150B8EEB10E183EDD19963DDD9E263E4770589EF6AA21E7F5F2FF381B539CCE3409D13CD",
        "566AFBB48D6C019181E1BCFE94B30269EDFE72FE9B6AA4BD7B5A0F1C71CFFF4C19C418E1F6EC0179",
        "81BC087F2A7065B384B890D3191F2BFA",
    ),
    q: "801C0D34C58D93FE997177101F80535A4738CEBCBF389A99B36371EB",
};

/// RFC 5114 §2.3: 2048-bit MODP group with 256-bit prime-order subgroup
/// (Doc 9303 standardized domain parameter 2).
pub(super) const RFC5114_2048_256: Group = Group {
    p: concat!(
        "87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00E00DF8F1D61957D4",
        "FAF7DF4561B2AA3016C3D91134096FAA3BF4296D830E9A7C209E0C6497517ABD5A8A9D306BCF67ED",
        "91F9E6725B4758C022E0B1EF4275BF7B6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C",
        "4FDB70C581B23F76B63ACAE1CAA6B7902D52526735488A0EF13C6D9A51BFA4AB3AD8347796524D8E",
        "F6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026C0B857F689962856",
        "DED4010ABD0BE621C3A3960A54E710C375F26375D7014103A4B54330C198AF126116D2276E11715F",
        "693877FAD7EF09CADB094AE91E1A1597",
    ),
    g: concat!(
        "3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA12510DBC15077BE463F",
        "FF4FED4AAC0BB555BE3A6C1B0C6B47B1BC3773BF7E8C6F62901228F8C28CBB18A55AE31341000A65",
        "0196F931C77A57F2DDF463E5E9EC144B777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC83",
        "1D14348F6F2F9193B5045AF2767164E1DFC967C1FB3F2E55A4BD1BFFE83B9C80D052B985D182EA0A",
        "DB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915B3353BBB64E0EC37",
        "7FD028370DF92B52C7891428CDC67EB6184B523D1DB246C32F63078490F00EF8D647D148D4795451",
        "5E2327CFEF98C582664B4C0F6CC41659",
    ),
    q: "8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3",
};

/// The group constants above, upper-case hex known to decode (a test
/// decodes every group), as bytes.
fn unhex(s: &str) -> Vec<u8> {
    base16ct::upper::decode_vec(s).unwrap_or_default()
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

    /// The group's values.
    pub(super) fn group(&self) -> super::DhGroup {
        super::DhGroup {
            p: self.p.clone(),
            g: self.g.clone(),
            q: self.q.clone(),
        }
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
    /// Compared in constant time: `sk` is secret.
    pub(super) fn valid_private_key(&self, sk: &[u8]) -> bool {
        let prec = precision(self.q.len().max(sk.len()));
        let (Ok(k), Ok(q)) = (
            BoxedUint::from_be_slice(sk, prec),
            BoxedUint::from_be_slice(&self.q, prec),
        ) else {
            return false;
        };
        let k = Zeroizing::new(k);
        (CtLt::ct_lt(&*k, &q) & !k.is_zero()).to_bool()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_constant_decodes_to_its_rfc_5114_size() {
        // RFC 5114 §2.1-2.3: p of 1024, 2048, 2048 bits; q of 160, 224, 256
        // bits; g below p, so as long as p.
        for (group, p_bits, q_bits) in [
            (&RFC5114_1024_160, 1024, 160),
            (&RFC5114_2048_224, 2048, 224),
            (&RFC5114_2048_256, 2048, 256),
        ] {
            assert_eq!(unhex(group.p).len() * 8, p_bits);
            assert_eq!(unhex(group.g).len() * 8, p_bits);
            assert_eq!(unhex(group.q).len() * 8, q_bits);
        }
    }
}
