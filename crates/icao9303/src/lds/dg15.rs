//! DG15 (tag `6F`): the Active Authentication public key, a
//! SubjectPublicKeyInfo (Doc 9303 Part 11 §6.1).
//!
//! The key is read with the TLV reader rather than a strict DER decoder:
//! some issued documents (the BSI 2008 specimen among them) encode the RSA
//! modulus without its `00` sign byte, which DER reads as a negative number.
//! The modulus and exponent are therefore taken as unsigned magnitudes.

#[allow(unused_imports)]
use crate::prelude::*;
use der::asn1::ObjectIdentifier;

use crate::Error;
use crate::lds::{lds_err, oid, outer, strip_leading_zeros};
use crate::tlv::{Tag, Tlv};

const FILE: &str = "DG15";

use crate::oid::{EC_PUBLIC_KEY, RSA_ENCRYPTION, STANDARDIZED_DOMAIN_PARAMETERS};

/// The key inside a SubjectPublicKeyInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PublicKey<'a> {
    /// An RSA key (PKCS #1 RSAPublicKey).
    Rsa {
        /// The modulus, big-endian unsigned, without leading zero bytes.
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::hex"))]
        modulus: &'a [u8],
        /// The public exponent, big-endian unsigned, without leading zeros.
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::hex"))]
        exponent: &'a [u8],
        /// The modulus size in bits.
        modulus_bits: usize,
    },
    /// An elliptic-curve key (id-ecPublicKey, or BSI standardized domain
    /// parameters).
    Ec {
        /// The named curve, when the parameters are an OID.
        #[cfg_attr(
            feature = "serde",
            serde(serialize_with = "crate::lds::ser::opt_display")
        )]
        named_curve: Option<ObjectIdentifier>,
        /// The parameters as encoded (an OID or explicit ECParameters).
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::hex"))]
        parameters: &'a [u8],
        /// The public point (the BIT STRING's bytes, `04 x y` uncompressed).
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::hex"))]
        point: &'a [u8],
    },
    /// Another algorithm: the BIT STRING's bytes.
    Other {
        /// The key bytes.
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::hex"))]
        key: &'a [u8],
    },
}

/// A SubjectPublicKeyInfo, read leniently (see the module notes).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SubjectPublicKey<'a> {
    /// The SubjectPublicKeyInfo's bytes, exactly as in the file.
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::hex"))]
    pub spki: &'a [u8],
    /// The algorithm OID.
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::display"))]
    pub algorithm: ObjectIdentifier,
    /// The key.
    pub key: PublicKey<'a>,
}

impl<'a> SubjectPublicKey<'a> {
    /// Reads a SubjectPublicKeyInfo TLV (`30 { 30 { oid, params }, 03 key }`).
    pub fn from_tlv(spki: &Tlv<'a>, file: &'static str) -> Result<SubjectPublicKey<'a>, Error> {
        spki.expect_tag(Tag::new(0x30))?;
        let mut r = spki.children();
        let alg = r.expect(Tag::new(0x30))?;
        let bits = r.expect(Tag::new(0x03))?;
        r.finish()?;
        SubjectPublicKey::from_parts(&alg, &bits, spki.raw(), file)
    }

    /// Reads the two parts of a SubjectPublicKeyInfo: the
    /// AlgorithmIdentifier `alg` and the BIT STRING `bits`; `spki` is kept
    /// as the key's encoding.
    pub fn from_parts(
        alg: &Tlv<'a>,
        bits: &Tlv<'a>,
        spki: &'a [u8],
        file: &'static str,
    ) -> Result<SubjectPublicKey<'a>, Error> {
        alg.expect_tag(Tag::new(0x30))?;
        bits.expect_tag(Tag::new(0x03))?;
        let mut a = alg.children();
        let algorithm = oid(&a.expect(Tag::new(0x06))?, file)?;
        let params = a.next().transpose()?;
        let key_bytes = match bits.value().split_first() {
            Some((0, rest)) => rest,
            _ => {
                return Err(lds_err(
                    file,
                    bits.value_offset(),
                    "a BIT STRING with no unused bits",
                ));
            }
        };
        let key_offset = bits.value_offset().saturating_add(1);
        let key = if algorithm == RSA_ENCRYPTION {
            let k = Tlv::parse_at(key_bytes, key_offset)?;
            k.expect_tag(Tag::new(0x30))?;
            let mut kr = k.children();
            let n = kr.expect(Tag::new(0x02))?;
            let e = kr.expect(Tag::new(0x02))?;
            kr.finish()?;
            let modulus = strip_leading_zeros(n.value());
            let exponent = strip_leading_zeros(e.value());
            if modulus.is_empty() || exponent.is_empty() {
                return Err(lds_err(
                    file,
                    n.offset(),
                    "a non-zero RSA modulus and exponent",
                ));
            }
            let top_bits = modulus
                .first()
                .map_or(0, |b| 8 - b.leading_zeros() as usize);
            let modulus_bits = modulus
                .len()
                .saturating_sub(1)
                .saturating_mul(8)
                .saturating_add(top_bits);
            PublicKey::Rsa {
                modulus,
                exponent,
                modulus_bits,
            }
        } else if algorithm == EC_PUBLIC_KEY || algorithm == STANDARDIZED_DOMAIN_PARAMETERS {
            let params =
                params.ok_or_else(|| lds_err(file, alg.value_offset(), "EC parameters"))?;
            let named_curve = if params.tag() == Tag::new(0x06) {
                Some(oid(&params, file)?)
            } else {
                None
            };
            PublicKey::Ec {
                named_curve,
                parameters: params.raw(),
                point: key_bytes,
            }
        } else {
            PublicKey::Other { key: key_bytes }
        };
        Ok(SubjectPublicKey {
            spki,
            algorithm,
            key,
        })
    }
}

/// A parsed DG15.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dg15<'a> {
    /// The file's bytes.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub raw: &'a [u8],
    /// The Active Authentication public key.
    pub public_key: SubjectPublicKey<'a>,
}

impl<'a> Dg15<'a> {
    /// Writes DG15 around a SubjectPublicKeyInfo's DER bytes: `6F { spki }`.
    pub fn encode(spki: &[u8]) -> Vec<u8> {
        crate::tlv::encode(Tag::new(0x6F), spki)
    }

    /// Parses DG15: `6F { SubjectPublicKeyInfo }`.
    pub fn parse(raw: &'a [u8]) -> Result<Dg15<'a>, Error> {
        let top = outer(raw, Tag::new(0x6F))?;
        let mut r = top.children();
        let spki = r.expect(Tag::new(0x30))?;
        r.finish()?;
        Ok(Dg15 {
            raw,
            public_key: SubjectPublicKey::from_tlv(&spki, FILE)?,
        })
    }
}
