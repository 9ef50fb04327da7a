//! The crate's one error type.

/// Everything that can go wrong in this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The public key is not a SEC1-encoded point on the curve (bad length
    /// or tag, a coordinate not below p, a point off the curve, or the point
    /// at infinity).
    #[error("{curve}: the public key is not a valid point on the curve")]
    InvalidPoint {
        /// The curve's name, e.g. `brainpoolP512r1`.
        curve: &'static str,
    },
    /// The signature is not a well-formed ECDSA signature for the curve:
    /// not a DER `Ecdsa-Sig-Value` (or not `r || s` of twice the field
    /// size), or r or s is zero or not below the group order n.
    #[error("{curve}: malformed ECDSA signature (bad encoding, or r or s is 0 or >= n)")]
    MalformedSignature {
        /// The curve's name.
        curve: &'static str,
    },
    /// The digest passed for verification is empty.
    #[error("the message digest is empty")]
    EmptyDigest,
    /// The signature is well formed but does not verify: wrong key, wrong
    /// message or a tampered signature.
    #[error("{curve}: the ECDSA signature does not verify")]
    BadSignature {
        /// The curve's name.
        curve: &'static str,
    },
    /// The EC domain parameters are not valid DER of the expected ASN.1
    /// structure.
    #[error("EC domain parameters: ASN.1 error: {0}")]
    Asn1(String),
    /// The `SpecifiedECDomain` version is not 1, 2 or 3.
    #[error("EC domain parameters: unsupported version {0} (expected 1, 2 or 3)")]
    UnsupportedVersion(u8),
    /// The field is not a prime field (e.g. characteristic two).
    #[error(
        "EC domain parameters: unsupported field type {0} (only prime-field 1.2.840.10045.1.1)"
    )]
    UnsupportedFieldType(String),
    /// `implicitlyCA` (NULL) parameters: the curve is not in the structure.
    #[error("EC domain parameters: implicitlyCA parameters name no curve")]
    ImplicitlyCa,
    /// A named-curve OID that is not one of the curves this crate knows.
    #[error("EC domain parameters: unknown named curve {0}")]
    UnknownNamedCurve(String),
    /// Explicit parameters that match none of the known named curves. The
    /// field says which parameter first differed from the curve with the
    /// same prime, or that no known curve has this prime.
    #[error("EC domain parameters: explicit curve matches no known named curve ({0})")]
    UnknownExplicitCurve(String),
}

#[cfg(feature = "ecdsa")]
impl From<der::Error> for Error {
    fn from(e: der::Error) -> Self {
        Self::Asn1(e.to_string())
    }
}
