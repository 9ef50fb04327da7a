//! What goes wrong in passive authentication where an error (rather than a
//! failed check of a verdict) is the answer, with the data each case is
//! about: the structure that did not decode and the decoder's error (kept
//! as `source()`), the algorithm OID not supported, the curve, the key's
//! or the signature's problem with the lengths involved.

use std::fmt;

use der::asn1::ObjectIdentifier;

use crate::pa::signature::{Curve, SignatureScheme};
use crate::tlv::Tag;

/// The ASN.1 structure an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Structure {
    /// EF.SOD's outer `77` wrapper.
    EfSod,
    /// A CMS ContentInfo.
    ContentInfo,
    /// A CMS SignedData (its EncapsulatedContentInfo included).
    SignedData,
    /// A CMS SignerInfo.
    SignerInfo,
    /// A SignerInfo's signed attributes.
    SignedAttributes,
    /// An AlgorithmIdentifier (signature, digest or key algorithm).
    AlgorithmIdentifier,
    /// RSASSA-PSS-params (RFC 8017 Appendix A.2.3).
    PssParameters,
    /// A SubjectPublicKeyInfo.
    SubjectPublicKeyInfo,
    /// An RSAPublicKey (RFC 8017 Appendix A.1.1).
    RsaPublicKey,
    /// EC domain parameters (RFC 3279 ECParameters).
    EcParameters,
    /// An X.509 certificate.
    Certificate,
    /// A certificate's key usage extension.
    KeyUsage,
    /// A certificate's basic constraints extension.
    BasicConstraints,
    /// A CRL.
    Crl,
    /// A CSCA master list's content (`CscaMasterList`).
    CscaMasterList,
}

impl fmt::Display for Structure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Structure::EfSod => "EF.SOD",
            Structure::ContentInfo => "ContentInfo",
            Structure::SignedData => "SignedData",
            Structure::SignerInfo => "SignerInfo",
            Structure::SignedAttributes => "signed attributes",
            Structure::AlgorithmIdentifier => "AlgorithmIdentifier",
            Structure::PssParameters => "RSASSA-PSS parameters",
            Structure::SubjectPublicKeyInfo => "SubjectPublicKeyInfo",
            Structure::RsaPublicKey => "RSAPublicKey",
            Structure::EcParameters => "EC parameters",
            Structure::Certificate => "certificate",
            Structure::KeyUsage => "key usage",
            Structure::BasicConstraints => "basic constraints",
            Structure::Crl => "CRL",
            Structure::CscaMasterList => "master list",
        })
    }
}

/// The decoder's error under [`PaErrorKind::Decode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// This crate's BER-TLV reader: the offset and what it expected.
    #[error(transparent)]
    Tlv(Box<crate::Error>),
    /// The `der` crate (X.509 structures).
    #[error(transparent)]
    Der(der::Error),
    /// An OBJECT IDENTIFIER's content octets.
    #[error(transparent)]
    Oid(der::oid::Error),
}

/// What an algorithm OID was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AlgorithmRole {
    /// A signature algorithm.
    Signature,
    /// A digest (hash) algorithm.
    Digest,
    /// A public key algorithm.
    PublicKey,
    /// RSASSA-PSS's mask generation function.
    MaskGeneration,
}

impl fmt::Display for AlgorithmRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AlgorithmRole::Signature => "signature algorithm",
            AlgorithmRole::Digest => "hash algorithm",
            AlgorithmRole::PublicKey => "public key algorithm",
            AlgorithmRole::MaskGeneration => "RSASSA-PSS mask generation function",
        })
    }
}

/// A public key's type, as the verdict words it (`rsa-2048`,
/// `ec-brainpoolP512r1 (explicit parameters)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyType {
    /// RSA with a modulus of `bits` bits.
    Rsa {
        /// The modulus length.
        bits: usize,
    },
    /// ECDSA on `curve`.
    Ec {
        /// The curve.
        curve: Curve,
        /// Whether the key carried explicit domain parameters.
        explicit: bool,
    },
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyType::Rsa { bits } => write!(f, "rsa-{bits}"),
            KeyType::Ec { curve, explicit } => write!(
                f,
                "ec-{curve}{}",
                if *explicit {
                    " (explicit parameters)"
                } else {
                    ""
                }
            ),
        }
    }
}

/// Why an elliptic curve is not one this crate can verify on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CurveProblem {
    /// A namedCurve OID this crate does not know.
    #[error("named curve {0}")]
    Named(ObjectIdentifier),
    /// implicitlyCA parameters: the curve is not in the key.
    #[error("implicitlyCA parameters (the curve is not in the key)")]
    ImplicitlyCa,
    /// Explicit parameters that do not decode or equal no known curve.
    #[error("explicit parameters: {0}")]
    Explicit(#[source] brainpool_ext::Error),
    /// Explicit parameters equal to a curve this crate does not verify on.
    #[error("explicit parameters equal to {0}, which this crate cannot verify on")]
    Unsupported(brainpool_ext::NamedCurve),
}

/// Why a public key cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyProblem {
    /// The key's BIT STRING has unused bits.
    #[error("the key BIT STRING has unused bits")]
    UnusedBits,
    /// An EC key without domain parameters.
    #[error("an EC key without domain parameters")]
    NoDomainParameters,
    /// EC parameters that are neither a namedCurve OID nor explicit.
    #[error("EC parameters of tag {tag}, neither a named curve nor explicit")]
    DomainParameters {
        /// The tag found.
        tag: Tag,
    },
    /// A SEC1 point whose length or first byte does not fit its curve.
    #[error("not a SEC1 point on {curve}: {actual} bytes, {expected} expected")]
    PointEncoding {
        /// The curve.
        curve: Curve,
        /// The length its first byte calls for (0 when that byte is not
        /// 02, 03 or 04).
        expected: usize,
        /// The length found.
        actual: usize,
    },
    /// Coordinates that are not a point of the curve.
    #[error("not a point on {curve}")]
    NotOnCurve {
        /// The curve.
        curve: Curve,
    },
    /// An RSA modulus or exponent longer than this verifier takes.
    #[error("RSA {part} too large ({bytes} bytes)")]
    RsaTooLarge {
        /// `"modulus"` or `"public exponent"`.
        part: &'static str,
        /// Its length.
        bytes: usize,
    },
    /// An RSA key the `rsa` crate refuses (size limits 1024 to 8192 bits,
    /// an even modulus, a bad exponent).
    #[error("RSA: {0}")]
    Rsa(#[source] rsa::Error),
}

/// Which signature scheme a [`SignatureProblem`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureKind {
    /// RSASSA-PKCS1-v1_5.
    RsaPkcs1v15,
    /// RSASSA-PSS.
    RsaPss,
    /// ECDSA on the curve.
    Ecdsa(Curve),
}

impl fmt::Display for SignatureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureKind::RsaPkcs1v15 => f.write_str("RSA PKCS#1 v1.5"),
            SignatureKind::RsaPss => f.write_str("RSASSA-PSS"),
            SignatureKind::Ecdsa(c) => write!(f, "ECDSA on {c}"),
        }
    }
}

/// Why a signature does not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureProblem {
    /// Well formed, but not made by this key over this message.
    #[error("wrong key or tampered data")]
    Mismatch,
    /// Not the encoding the scheme requires (ECDSA: a DER `SEQUENCE { r,
    /// s }`, or `r || s` of twice the field length).
    #[error("malformed signature")]
    Encoding,
    /// A value out of its range (ECDSA: r or s not in [1, n-1]; RSA: the
    /// signature representative not below the modulus).
    #[error("a value out of range")]
    OutOfRange,
    /// A signature whose length is not the one required.
    #[error("{actual} bytes, {expected} required")]
    Length {
        /// The length required (RSA: the modulus length).
        expected: usize,
        /// The length found.
        actual: usize,
    },
    /// The encoded message is not what the scheme writes (RSASSA-PSS,
    /// RFC 8017 §9.1.2): the step that failed.
    #[error("inconsistent ({0})")]
    Inconsistent(&'static str),
}

/// What went wrong in passive authentication, where an error (rather than
/// a failed check in a [`crate::pa::Verdict`]) is the answer: loading a
/// trust store, decoding a certificate, a master list or a CRL, a key or
/// signature that cannot be used. Inside a verdict, these become a
/// check's code and reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaErrorKind {
    /// `structure` does not decode; the decoder's error is the source.
    #[error("malformed: {structure}: {source}")]
    Decode {
        /// The structure.
        structure: Structure,
        /// The decoder's error.
        source: DecodeError,
    },
    /// `structure` decodes but breaks a rule of its specification.
    #[error("malformed: {structure}: {problem}")]
    Malformed {
        /// The structure.
        structure: Structure,
        /// The rule broken.
        problem: &'static str,
    },
    /// A file or content of another type than the one required: a
    /// ContentInfo that is not id-signedData, a master list's eContentType.
    #[error("malformed: {structure}: content type {found}, not {expected}")]
    ContentType {
        /// The structure.
        structure: Structure,
        /// The type found.
        found: ObjectIdentifier,
        /// The type required.
        expected: ObjectIdentifier,
    },
    /// EF.SOD does not start with its tag `77`.
    #[error("malformed: EF.SOD starts with tag {found}, not 77")]
    FileTag {
        /// The tag found.
        found: Tag,
    },
    /// An algorithm (signature, hash, key type, mask generation) this
    /// crate does not support.
    #[error("unsupported algorithm: {role} {oid}")]
    UnsupportedAlgorithm {
        /// What the algorithm was for.
        role: AlgorithmRole,
        /// Its OID.
        oid: ObjectIdentifier,
    },
    /// A signature algorithm that names no hash (`rsaEncryption`,
    /// `id-ecPublicKey`) where no digest algorithm gives one (a
    /// certificate's or a CRL's signature).
    #[error(
        "unsupported algorithm: {signature_algorithm} names no hash and no digest algorithm is given"
    )]
    NoDigestAlgorithm {
        /// The signature algorithm's OID.
        signature_algorithm: ObjectIdentifier,
    },
    /// RSASSA-PSS parameters this crate does not support: a trailer field
    /// other than 1.
    #[error("unsupported algorithm: RSASSA-PSS trailer field {trailer:?}, not 1")]
    PssTrailer {
        /// The trailer field, when it is a small integer.
        trailer: Option<usize>,
    },
    /// A key that cannot verify the signature's scheme (an EC key for an
    /// RSA signature...).
    #[error("unsupported algorithm: a {key} key cannot verify a {scheme} signature")]
    KeyMismatch {
        /// The key.
        key: KeyType,
        /// The signature's scheme.
        scheme: SignatureScheme,
    },
    /// An elliptic curve this crate does not know, named or explicit.
    #[error("unknown curve: {0}")]
    UnknownCurve(#[source] CurveProblem),
    /// A public key that cannot be used.
    #[error("bad public key: {0}")]
    BadPublicKey(#[source] KeyProblem),
    /// A signature that does not verify.
    #[error("signature does not verify: {kind}: {problem}")]
    BadSignature {
        /// The scheme (and, for ECDSA, the curve).
        kind: SignatureKind,
        /// Why.
        problem: SignatureProblem,
    },
}

impl PaErrorKind {
    /// A [`PaErrorKind::Decode`] of this crate's TLV reader's error.
    pub(crate) fn tlv(structure: Structure) -> impl Fn(crate::Error) -> PaErrorKind {
        move |e| PaErrorKind::Decode {
            structure,
            source: DecodeError::Tlv(Box::new(e)),
        }
    }

    /// A [`PaErrorKind::Decode`] of the `der` crate's error.
    pub(crate) fn der(structure: Structure) -> impl Fn(der::Error) -> PaErrorKind {
        move |e| PaErrorKind::Decode {
            structure,
            source: DecodeError::Der(e),
        }
    }

    /// A [`PaErrorKind::Decode`] of an OBJECT IDENTIFIER's error.
    pub(crate) fn oid(structure: Structure) -> impl Fn(der::oid::Error) -> PaErrorKind {
        move |e| PaErrorKind::Decode {
            structure,
            source: DecodeError::Oid(e),
        }
    }

    /// A [`PaErrorKind::Malformed`].
    pub(crate) fn malformed(structure: Structure, problem: &'static str) -> PaErrorKind {
        PaErrorKind::Malformed { structure, problem }
    }

    /// A [`PaErrorKind::BadSignature`].
    pub(crate) fn bad_signature(kind: SignatureKind, problem: SignatureProblem) -> PaErrorKind {
        PaErrorKind::BadSignature { kind, problem }
    }

    /// The verdict's code for a signature check that ends with this error:
    /// `bad-signature`, `unsupported-algorithm` or `bad-key`.
    pub(crate) fn signature_code(&self) -> &'static str {
        match self {
            PaErrorKind::BadSignature { .. } => "bad-signature",
            PaErrorKind::UnknownCurve(_)
            | PaErrorKind::UnsupportedAlgorithm { .. }
            | PaErrorKind::NoDigestAlgorithm { .. }
            | PaErrorKind::PssTrailer { .. }
            | PaErrorKind::KeyMismatch { .. } => "unsupported-algorithm",
            _ => "bad-key",
        }
    }
}
