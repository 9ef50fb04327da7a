//! Signature algorithms and public keys: RSA PKCS#1 v1.5, RSASSA-PSS (its
//! parameters parsed), ECDSA (X9.62 DER and BSI plain signatures) on the
//! NIST and Brainpool curves, keys with named or explicit curve parameters.

use std::fmt;

use der::asn1::ObjectIdentifier;

use crate::lds::sod::HashAlgorithm;
use crate::pa::error::{
    AlgorithmRole, CurveProblem, KeyProblem, KeyType, PaErrorKind, SignatureKind, SignatureProblem,
    Structure,
};
use crate::pa::fixed_base::TableCache;
use crate::tlv::{Tag, Tlv};

use crate::oid::{self as oids, EC_PUBLIC_KEY, MGF1, RSA_ENCRYPTION, RSASSA_PSS};

/// The signature algorithms that name their hash: PKCS #1 v1.5, X9.62
/// ECDSA (DER `r, s`) and BSI TR-03111 plain ECDSA (`r || s`).
const RSA_PKCS1_SCHEMES: [(ObjectIdentifier, HashAlgorithm); 6] = [
    (oids::SHA1_WITH_RSA, HashAlgorithm::Sha1),
    (oids::SHA1_WITH_RSA_OIW, HashAlgorithm::Sha1),
    (oids::SHA224_WITH_RSA, HashAlgorithm::Sha224),
    (oids::SHA256_WITH_RSA, HashAlgorithm::Sha256),
    (oids::SHA384_WITH_RSA, HashAlgorithm::Sha384),
    (oids::SHA512_WITH_RSA, HashAlgorithm::Sha512),
];
const ECDSA_SCHEMES: [(ObjectIdentifier, HashAlgorithm); 5] = [
    (oids::ECDSA_WITH_SHA1, HashAlgorithm::Sha1),
    (oids::ECDSA_WITH_SHA224, HashAlgorithm::Sha224),
    (oids::ECDSA_WITH_SHA256, HashAlgorithm::Sha256),
    (oids::ECDSA_WITH_SHA384, HashAlgorithm::Sha384),
    (oids::ECDSA_WITH_SHA512, HashAlgorithm::Sha512),
];
const ECDSA_PLAIN_SCHEMES: [(ObjectIdentifier, HashAlgorithm); 5] = [
    (oids::ECDSA_PLAIN_SHA1, HashAlgorithm::Sha1),
    (oids::ECDSA_PLAIN_SHA224, HashAlgorithm::Sha224),
    (oids::ECDSA_PLAIN_SHA256, HashAlgorithm::Sha256),
    (oids::ECDSA_PLAIN_SHA384, HashAlgorithm::Sha384),
    (oids::ECDSA_PLAIN_SHA512, HashAlgorithm::Sha512),
];

/// The hash `table` gives `oid`.
fn lookup(
    table: &[(ObjectIdentifier, HashAlgorithm)],
    oid: &ObjectIdentifier,
) -> Option<HashAlgorithm> {
    table.iter().find(|(o, _)| o == oid).map(|(_, h)| *h)
}

/// An AlgorithmIdentifier: the OID and the parameters' raw DER, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Alg {
    pub(crate) oid: ObjectIdentifier,
    /// The whole parameters TLV (absent, or e.g. `05 00`).
    pub(crate) params: Option<Vec<u8>>,
}

impl Alg {
    /// Reads `SEQUENCE { OID, params ANY OPTIONAL }`.
    pub(crate) fn from_tlv(t: &Tlv<'_>) -> Result<Alg, PaErrorKind> {
        let tlv = PaErrorKind::tlv(Structure::AlgorithmIdentifier);
        t.expect_tag(Tag::new(0x30)).map_err(&tlv)?;
        let mut r = t.children();
        let o = r.expect(Tag::new(0x06)).map_err(&tlv)?;
        let oid = ObjectIdentifier::from_bytes(o.value())
            .map_err(PaErrorKind::oid(Structure::AlgorithmIdentifier))?;
        let params = match r.next() {
            None => None,
            Some(p) => Some(p.map_err(&tlv)?.raw().to_vec()),
        };
        r.finish().map_err(&tlv)?;
        Ok(Alg { oid, params })
    }
}

/// How a signature is computed: the scheme and its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureScheme {
    /// RSASSA-PKCS1-v1_5 with a DigestInfo of `hash`.
    RsaPkcs1v15 {
        /// The message's hash.
        hash: HashAlgorithm,
    },
    /// RSASSA-PSS, RFC 8017 §8.1, parameters as written.
    RsaPss {
        /// The message's hash.
        hash: HashAlgorithm,
        /// MGF1's hash.
        mgf_hash: HashAlgorithm,
        /// The salt length in bytes.
        salt_len: usize,
    },
    /// ECDSA; `plain` for BSI TR-03111 plain `r || s` signatures, else an
    /// X9.62 `SEQUENCE { r, s }`.
    Ecdsa {
        /// The message's hash.
        hash: HashAlgorithm,
        /// Whether the signature is `r || s` rather than DER.
        plain: bool,
    },
}

fn hash_name(h: HashAlgorithm) -> &'static str {
    match h {
        HashAlgorithm::Sha1 => "sha-1",
        HashAlgorithm::Sha224 => "sha-224",
        HashAlgorithm::Sha256 => "sha-256",
        HashAlgorithm::Sha384 => "sha-384",
        HashAlgorithm::Sha512 => "sha-512",
    }
}

pub(crate) fn hash_display(h: HashAlgorithm) -> String {
    hash_name(h).to_owned()
}

impl fmt::Display for SignatureScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureScheme::RsaPkcs1v15 { hash } => {
                write!(f, "rsa-pkcs1-v1.5({})", hash_name(*hash))
            }
            SignatureScheme::RsaPss {
                hash,
                mgf_hash,
                salt_len,
            } => write!(
                f,
                "rsassa-pss({}, mgf1-{}, salt {salt_len})",
                hash_name(*hash),
                hash_name(*mgf_hash)
            ),
            SignatureScheme::Ecdsa { hash, plain } => {
                write!(
                    f,
                    "ecdsa{}({})",
                    if *plain { "-plain" } else { "" },
                    hash_name(*hash)
                )
            }
        }
    }
}

impl SignatureScheme {
    /// The scheme a signature AlgorithmIdentifier names. `digest` is the
    /// separate digest algorithm where there is one (CMS SignerInfo): it
    /// gives the hash when the signature algorithm names none
    /// (`rsaEncryption`, `id-ecPublicKey`, as some passports write it).
    pub(crate) fn from_alg(
        alg: &Alg,
        digest: Option<HashAlgorithm>,
    ) -> Result<SignatureScheme, PaErrorKind> {
        let oid = &alg.oid;
        let need_digest = || {
            digest.ok_or(PaErrorKind::NoDigestAlgorithm {
                signature_algorithm: *oid,
            })
        };
        let pkcs1 = |hash| Ok(SignatureScheme::RsaPkcs1v15 { hash });
        let ecdsa = |hash| Ok(SignatureScheme::Ecdsa { hash, plain: false });
        let plain = |hash| Ok(SignatureScheme::Ecdsa { hash, plain: true });
        if *oid == RSA_ENCRYPTION {
            pkcs1(need_digest()?)
        } else if *oid == RSASSA_PSS {
            pss_params(alg)
        } else if *oid == EC_PUBLIC_KEY {
            ecdsa(need_digest()?)
        } else if let Some(hash) = lookup(&RSA_PKCS1_SCHEMES, oid) {
            pkcs1(hash)
        } else if let Some(hash) = lookup(&ECDSA_SCHEMES, oid) {
            ecdsa(hash)
        } else if let Some(hash) = lookup(&ECDSA_PLAIN_SCHEMES, oid) {
            plain(hash)
        } else {
            Err(PaErrorKind::UnsupportedAlgorithm {
                role: AlgorithmRole::Signature,
                oid: *oid,
            })
        }
    }

    /// The hash the signature is computed over.
    pub(crate) fn hash(&self) -> HashAlgorithm {
        match self {
            SignatureScheme::RsaPkcs1v15 { hash }
            | SignatureScheme::RsaPss { hash, .. }
            | SignatureScheme::Ecdsa { hash, .. } => *hash,
        }
    }
}

fn hash_from_alg(alg: &Alg) -> Result<HashAlgorithm, PaErrorKind> {
    HashAlgorithm::from_oid(&alg.oid).ok_or(PaErrorKind::UnsupportedAlgorithm {
        role: AlgorithmRole::Digest,
        oid: alg.oid,
    })
}

/// RSASSA-PSS-params, RFC 8017 Appendix A.2.3: every field has a default
/// (SHA-1, MGF1 with SHA-1, salt 20, trailer 1).
fn pss_params(alg: &Alg) -> Result<SignatureScheme, PaErrorKind> {
    let mut hash = HashAlgorithm::Sha1;
    let mut mgf_hash = HashAlgorithm::Sha1;
    let mut salt_len: usize = 20;
    if let Some(p) = &alg.params
        && p.as_slice() != [0x05, 0x00]
    {
        let tlv = PaErrorKind::tlv(Structure::PssParameters);
        let malformed = |problem| PaErrorKind::malformed(Structure::PssParameters, problem);
        let seq = Tlv::parse(p).map_err(&tlv)?;
        seq.expect_tag(Tag::new(0x30)).map_err(&tlv)?;
        for field in seq.children() {
            let field = field.map_err(&tlv)?;
            let inner = Tlv::parse(field.value()).map_err(&tlv)?;
            match field.tag().raw() {
                0xA0 => hash = hash_from_alg(&Alg::from_tlv(&inner)?)?,
                0xA1 => {
                    let mgf = Alg::from_tlv(&inner)?;
                    if mgf.oid != MGF1 {
                        return Err(PaErrorKind::UnsupportedAlgorithm {
                            role: AlgorithmRole::MaskGeneration,
                            oid: mgf.oid,
                        });
                    }
                    let inner_alg = mgf
                        .params
                        .as_deref()
                        .ok_or_else(|| malformed("MGF1 without its hash algorithm"))?;
                    let t = Tlv::parse(inner_alg).map_err(&tlv)?;
                    mgf_hash = hash_from_alg(&Alg::from_tlv(&t)?)?;
                }
                0xA2 => {
                    inner.expect_tag(Tag::new(0x02)).map_err(&tlv)?;
                    salt_len = small_uint(inner.value())
                        .ok_or_else(|| malformed("a salt length that is not a small INTEGER"))?;
                }
                0xA3 => {
                    inner.expect_tag(Tag::new(0x02)).map_err(&tlv)?;
                    let trailer = small_uint(inner.value());
                    if trailer != Some(1) {
                        return Err(PaErrorKind::PssTrailer { trailer });
                    }
                }
                _ => {
                    return Err(malformed("a field other than [0] to [3]"));
                }
            }
        }
    }
    Ok(SignatureScheme::RsaPss {
        hash,
        mgf_hash,
        salt_len,
    })
}

fn small_uint(v: &[u8]) -> Option<usize> {
    if v.is_empty() || v.len() > 4 || v.first().is_some_and(|b| b & 0x80 != 0) {
        return None;
    }
    Some(v.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b)))
}

/// The elliptic curves passive authentication supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Curve {
    /// NIST P-224 (secp224r1).
    P224,
    /// NIST P-256 (secp256r1).
    P256,
    /// NIST P-384 (secp384r1).
    P384,
    /// NIST P-521 (secp521r1).
    P521,
    /// brainpoolP224r1, RFC 5639.
    BrainpoolP224r1,
    /// brainpoolP256r1.
    BrainpoolP256r1,
    /// brainpoolP320r1.
    BrainpoolP320r1,
    /// brainpoolP384r1.
    BrainpoolP384r1,
    /// brainpoolP512r1.
    BrainpoolP512r1,
}

impl Curve {
    /// The curve a namedCurve OID names.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Curve> {
        const TABLE: [(ObjectIdentifier, Curve); 9] = [
            (oids::SECP224R1, Curve::P224),
            (oids::SECP256R1, Curve::P256),
            (oids::SECP384R1, Curve::P384),
            (oids::SECP521R1, Curve::P521),
            (oids::BRAINPOOL_P224R1, Curve::BrainpoolP224r1),
            (oids::BRAINPOOL_P256R1, Curve::BrainpoolP256r1),
            (oids::BRAINPOOL_P320R1, Curve::BrainpoolP320r1),
            (oids::BRAINPOOL_P384R1, Curve::BrainpoolP384r1),
            (oids::BRAINPOOL_P512R1, Curve::BrainpoolP512r1),
        ];
        TABLE.iter().find(|(o, _)| o == oid).map(|(_, c)| *c)
    }

    /// The curve's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Curve::P224 => "P-224",
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
            Curve::BrainpoolP224r1 => "brainpoolP224r1",
            Curve::BrainpoolP256r1 => "brainpoolP256r1",
            Curve::BrainpoolP320r1 => "brainpoolP320r1",
            Curve::BrainpoolP384r1 => "brainpoolP384r1",
            Curve::BrainpoolP512r1 => "brainpoolP512r1",
        }
    }

    /// The length of a field element (and of `r`, `s`) in bytes.
    pub fn field_len(self) -> usize {
        match self {
            Curve::P224 | Curve::BrainpoolP224r1 => 28,
            Curve::P256 | Curve::BrainpoolP256r1 => 32,
            Curve::BrainpoolP320r1 => 40,
            Curve::P384 | Curve::BrainpoolP384r1 => 48,
            Curve::BrainpoolP512r1 => 64,
            Curve::P521 => 66,
        }
    }
}

impl fmt::Display for Curve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A public key that can verify signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PublicKey {
    Rsa {
        key: rsa::PublicKey,
        bits: usize,
    },
    Ec {
        curve: Curve,
        /// Whether the SPKI carried explicit domain parameters.
        explicit: bool,
        /// The SEC1 point.
        point: Vec<u8>,
        /// Its fixed-base table, from its second verification on (a
        /// CSCA's key in a trust store).
        table: TableCache,
    },
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.key_type().fmt(f)
    }
}

impl PublicKey {
    /// The key's type and size.
    pub(crate) fn key_type(&self) -> KeyType {
        match self {
            PublicKey::Rsa { bits, .. } => KeyType::Rsa { bits: *bits },
            PublicKey::Ec {
                curve, explicit, ..
            } => KeyType::Ec {
                curve: *curve,
                explicit: *explicit,
            },
        }
    }

    /// Decodes a SubjectPublicKeyInfo (raw DER).
    pub(crate) fn from_spki(spki: &[u8]) -> Result<PublicKey, PaErrorKind> {
        let tlv = PaErrorKind::tlv(Structure::SubjectPublicKeyInfo);
        let top = Tlv::parse(spki).map_err(&tlv)?;
        top.expect_tag(Tag::new(0x30)).map_err(&tlv)?;
        let mut r = top.children();
        let alg = Alg::from_tlv(&r.expect(Tag::new(0x30)).map_err(&tlv)?)?;
        let bits = r.expect(Tag::new(0x03)).map_err(&tlv)?;
        r.finish().map_err(&tlv)?;
        let key_bytes = match bits.value().split_first() {
            Some((0, rest)) => rest,
            _ => return Err(PaErrorKind::BadPublicKey(KeyProblem::UnusedBits)),
        };
        match alg.oid {
            o if o == RSA_ENCRYPTION || o == RSASSA_PSS => rsa_key(key_bytes),
            o if o == EC_PUBLIC_KEY => {
                let params = alg
                    .params
                    .as_deref()
                    .ok_or(PaErrorKind::BadPublicKey(KeyProblem::NoDomainParameters))?;
                let (curve, explicit) = ec_curve(params)?;
                ec_point(curve, key_bytes)?;
                Ok(PublicKey::Ec {
                    curve,
                    explicit,
                    point: key_bytes.to_vec(),
                    table: TableCache::default(),
                })
            }
            oid => Err(PaErrorKind::UnsupportedAlgorithm {
                role: AlgorithmRole::PublicKey,
                oid,
            }),
        }
    }

    /// Verifies `signature` over `message` with `scheme`.
    pub(crate) fn verify(
        &self,
        scheme: &SignatureScheme,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), PaErrorKind> {
        let digest = scheme.hash().digest(message);
        self.verify_prehash(scheme, &digest, signature)
    }

    /// Verifies `signature` over a message whose hash is `digest`.
    pub(crate) fn verify_prehash(
        &self,
        scheme: &SignatureScheme,
        digest: &[u8],
        signature: &[u8],
    ) -> Result<(), PaErrorKind> {
        match (self, scheme) {
            (PublicKey::Rsa { key, .. }, SignatureScheme::RsaPkcs1v15 { hash }) => {
                let padding = match hash {
                    HashAlgorithm::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
                    HashAlgorithm::Sha224 => rsa::Pkcs1v15Sign::new::<sha2::Sha224>(),
                    HashAlgorithm::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                    HashAlgorithm::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                    HashAlgorithm::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
                };
                key.verify(padding, digest, signature).map_err(|_| {
                    PaErrorKind::bad_signature(
                        SignatureKind::RsaPkcs1v15,
                        SignatureProblem::Mismatch,
                    )
                })
            }
            (
                PublicKey::Rsa { key, .. },
                SignatureScheme::RsaPss {
                    mgf_hash, salt_len, ..
                },
            ) => crate::pa::pss::verify(key, digest, signature, *mgf_hash, *salt_len),
            (
                PublicKey::Ec {
                    curve,
                    point,
                    table,
                    ..
                },
                SignatureScheme::Ecdsa { plain, .. },
            ) => {
                let rs = ecdsa_rs(signature, *plain, *curve)?;
                crate::pa::curves::verify_ecdsa(*curve, point, digest, &rs, table)
            }
            (key, scheme) => Err(PaErrorKind::KeyMismatch {
                key: key.key_type(),
                scheme: *scheme,
            }),
        }
    }
}

/// The curve of an EC key's parameters (raw DER): a named curve, or
/// explicit parameters equal to one.
fn ec_curve(params: &[u8]) -> Result<(Curve, bool), PaErrorKind> {
    let p = Tlv::parse(params).map_err(PaErrorKind::tlv(Structure::EcParameters))?;
    match p.tag().raw() {
        0x06 => {
            let o = ObjectIdentifier::from_bytes(p.value())
                .map_err(PaErrorKind::oid(Structure::EcParameters))?;
            let c = Curve::from_oid(&o).ok_or(PaErrorKind::UnknownCurve(CurveProblem::Named(o)))?;
            Ok((c, false))
        }
        0x30 => Ok((crate::pa::curves::match_explicit(params)?, true)),
        0x05 => Err(PaErrorKind::UnknownCurve(CurveProblem::ImplicitlyCa)),
        _ => Err(PaErrorKind::BadPublicKey(KeyProblem::DomainParameters {
            tag: p.tag(),
        })),
    }
}

/// Checks that `bytes` has the length of a SEC1 point on `curve` (whether
/// it is on the curve is the signature crate's check).
fn ec_point(curve: Curve, bytes: &[u8]) -> Result<(), PaErrorKind> {
    let field = curve.field_len();
    let expected = match bytes.first() {
        Some(0x04) => field.saturating_mul(2).saturating_add(1),
        Some(0x02 | 0x03) => field.saturating_add(1),
        _ => 0,
    };
    if expected == 0 || bytes.len() != expected {
        return Err(PaErrorKind::BadPublicKey(KeyProblem::PointEncoding {
            curve,
            expected,
            actual: bytes.len(),
        }));
    }
    Ok(())
}

/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }.
/// A modulus written without its sign byte (seen on real chips) is read
/// as unsigned.
fn rsa_key(bytes: &[u8]) -> Result<PublicKey, PaErrorKind> {
    let tlv = PaErrorKind::tlv(Structure::RsaPublicKey);
    let top = Tlv::parse(bytes).map_err(&tlv)?;
    top.expect_tag(Tag::new(0x30)).map_err(&tlv)?;
    let mut r = top.children();
    let n = strip_zeros(r.expect(Tag::new(0x02)).map_err(&tlv)?.value());
    let e = strip_zeros(r.expect(Tag::new(0x02)).map_err(&tlv)?.value());
    r.finish().map_err(&tlv)?;
    let too_large = |part, bytes: &[u8]| {
        PaErrorKind::BadPublicKey(KeyProblem::RsaTooLarge {
            part,
            bytes: bytes.len(),
        })
    };
    let n_bits_len = n.len().saturating_mul(8);
    let precision = u32::try_from(n_bits_len.div_ceil(64).saturating_mul(64))
        .map_err(|_| too_large("modulus", n))?;
    let n_uint =
        rsa::BoxedUint::from_be_slice(n, precision).map_err(|_| too_large("modulus", n))?;
    let e_uint =
        rsa::BoxedUint::from_be_slice(e, 64).map_err(|_| too_large("public exponent", e))?;
    let key = rsa::PublicKey::new_with_size_limits(n_uint, e_uint, 1024..=8192)
        .map_err(|e| PaErrorKind::BadPublicKey(KeyProblem::Rsa(e)))?;
    let lead = n.first().copied().unwrap_or(0);
    let bits = n
        .len()
        .saturating_sub(1)
        .saturating_mul(8)
        .saturating_add(8usize.saturating_sub(lead.leading_zeros() as usize));
    Ok(PublicKey::Rsa { key, bits })
}

fn strip_zeros(mut v: &[u8]) -> &[u8] {
    while let Some((0, rest)) = v.split_first() {
        v = rest;
    }
    v
}

/// `r || s`, each left-padded to the field length of `curve`.
fn ecdsa_rs(signature: &[u8], plain: bool, curve: Curve) -> Result<Vec<u8>, PaErrorKind> {
    let len = curve.field_len();
    let bad = |problem| PaErrorKind::bad_signature(SignatureKind::Ecdsa(curve), problem);
    let malformed = || bad(SignatureProblem::Encoding);
    let (r, s) = if plain {
        let expected = len.saturating_mul(2);
        if signature.len() != expected {
            return Err(bad(SignatureProblem::Length {
                expected,
                actual: signature.len(),
            }));
        }
        signature.split_at(len)
    } else {
        let seq = Tlv::parse(signature).map_err(|_| malformed())?;
        if seq.tag() != Tag::new(0x30) {
            return Err(malformed());
        }
        let mut rd = seq.children();
        let r = rd.expect(Tag::new(0x02)).map_err(|_| malformed())?.value();
        let s = rd.expect(Tag::new(0x02)).map_err(|_| malformed())?.value();
        rd.finish().map_err(|_| malformed())?;
        if r.first().is_some_and(|b| b & 0x80 != 0) || s.first().is_some_and(|b| b & 0x80 != 0) {
            return Err(bad(SignatureProblem::OutOfRange));
        }
        (strip_zeros(r), strip_zeros(s))
    };
    let (r, s) = (strip_zeros(r), strip_zeros(s));
    if r.len() > len || s.len() > len {
        return Err(bad(SignatureProblem::OutOfRange));
    }
    let mut out = vec![0u8; len.saturating_mul(2)];
    let r_at = len.saturating_sub(r.len());
    let s_at = len.saturating_mul(2).saturating_sub(s.len());
    out.get_mut(r_at..len)
        .ok_or_else(malformed)?
        .copy_from_slice(r);
    out.get_mut(s_at..)
        .ok_or_else(malformed)?
        .copy_from_slice(s);
    Ok(out)
}

/// The hash a digest AlgorithmIdentifier names.
pub(crate) fn digest_from_alg(alg: &Alg) -> Result<HashAlgorithm, PaErrorKind> {
    hash_from_alg(alg)
}
