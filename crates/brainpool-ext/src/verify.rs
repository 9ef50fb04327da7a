//! ECDSA verification over a digest the caller computed, on the three
//! curves of this crate, chosen at run time.

use der::asn1::ObjectIdentifier;
use ecdsa::signature::hazmat::PrehashVerifier;
use elliptic_curve::pkcs8::AssociatedOid;

use crate::{Error, p224r1, p320r1, p512r1};

/// One of the three curves this crate implements, chosen at run time
/// (e.g. from a certificate's curve OID or from
/// [`NamedCurve::brainpool_ext`](crate::NamedCurve::brainpool_ext)).
///
/// Verification takes the message digest, not the message: the hash
/// follows the signature algorithm (ecdsa-with-SHA1, -SHA224, ... -SHA512),
/// not the curve, so any hash works with any curve. The digest is turned
/// into an integer as FIPS 186-5 §6.4.2 and SEC1 §4.1.4 say: its leftmost
/// min(bitlen(n), bitlen(digest)) bits, then reduced mod n (done by the
/// `ecdsa` crate's `hazmat::verify_prehashed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum BrainpoolCurve {
    /// brainpoolP224r1, OID 1.3.36.3.3.2.8.1.1.5.
    P224r1,
    /// brainpoolP320r1, OID 1.3.36.3.3.2.8.1.1.9.
    P320r1,
    /// brainpoolP512r1, OID 1.3.36.3.3.2.8.1.1.13.
    P512r1,
}

/// Verify with one curve module's types: parse key and signature, then
/// `PrehashVerifier::verify_prehash`.
macro_rules! verify_with {
    ($m:ident, $curve:expr, $key:expr, $digest:expr, $signature:expr) => {{
        let name = $curve.name();
        let key = $m::VerifyingKey::from_sec1_bytes($key)
            .map_err(|_| Error::InvalidPoint { curve: name })?;
        let signature =
            $signature.map_err(|_: ecdsa::Error| Error::MalformedSignature { curve: name })?;
        key.verify_prehash($digest, &signature)
            .map_err(|_| Error::BadSignature { curve: name })
    }};
}

impl BrainpoolCurve {
    /// The three curves, smallest first.
    pub const ALL: [Self; 3] = [Self::P224r1, Self::P320r1, Self::P512r1];

    /// The curve's name as RFC 5639 writes it, e.g. `brainpoolP512r1`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::P224r1 => "brainpoolP224r1",
            Self::P320r1 => "brainpoolP320r1",
            Self::P512r1 => "brainpoolP512r1",
        }
    }

    /// The curve's object identifier (RFC 5639 §4.1).
    #[must_use]
    pub const fn oid(self) -> ObjectIdentifier {
        match self {
            Self::P224r1 => p224r1::BrainpoolP224r1::OID,
            Self::P320r1 => p320r1::BrainpoolP320r1::OID,
            Self::P512r1 => p512r1::BrainpoolP512r1::OID,
        }
    }

    /// The curve with this OID, if it is one of the three.
    #[must_use]
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.oid() == *oid)
    }

    /// Bytes in a field element or scalar: 28, 40 or 64.
    #[must_use]
    pub const fn field_size(self) -> usize {
        match self {
            Self::P224r1 => 28,
            Self::P320r1 => 40,
            Self::P512r1 => 64,
        }
    }

    /// Check that `public_key` is a SEC1 point on the curve (uncompressed
    /// `04 || x || y` or compressed `02/03 || x`), not the identity.
    ///
    /// # Errors
    /// [`Error::InvalidPoint`] otherwise.
    pub fn validate_public_key(self, public_key: &[u8]) -> Result<(), Error> {
        let ok = match self {
            Self::P224r1 => p224r1::PublicKey::from_sec1_bytes(public_key).is_ok(),
            Self::P320r1 => p320r1::PublicKey::from_sec1_bytes(public_key).is_ok(),
            Self::P512r1 => p512r1::PublicKey::from_sec1_bytes(public_key).is_ok(),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::InvalidPoint { curve: self.name() })
        }
    }

    /// Verify an ECDSA signature in DER (`Ecdsa-Sig-Value ::= SEQUENCE {
    /// r INTEGER, s INTEGER }`, as in X.509 and CMS) over `digest`, the
    /// hash of the signed data computed by the caller with the hash the
    /// signature algorithm names.
    ///
    /// # Errors
    /// [`Error::EmptyDigest`], [`Error::InvalidPoint`],
    /// [`Error::MalformedSignature`] (strict DER; r, s in [1, n-1]) or
    /// [`Error::BadSignature`].
    pub fn verify_prehash_der(
        self,
        public_key: &[u8],
        digest: &[u8],
        signature_der: &[u8],
    ) -> Result<(), Error> {
        if digest.is_empty() {
            return Err(Error::EmptyDigest);
        }
        match self {
            Self::P224r1 => verify_with!(
                p224r1,
                self,
                public_key,
                digest,
                p224r1::Signature::from_der(signature_der)
            ),
            Self::P320r1 => verify_with!(
                p320r1,
                self,
                public_key,
                digest,
                p320r1::Signature::from_der(signature_der)
            ),
            Self::P512r1 => verify_with!(
                p512r1,
                self,
                public_key,
                digest,
                p512r1::Signature::from_der(signature_der)
            ),
        }
    }

    /// Verify an ECDSA signature in the plain format `r || s`, each
    /// [`field_size`](Self::field_size) bytes big-endian (BSI TR-03111
    /// §5.2.1, IEEE P1363; used by card-verifiable certificates and Active
    /// Authentication), over `digest`.
    ///
    /// # Errors
    /// As [`verify_prehash_der`](Self::verify_prehash_der); a signature of
    /// the wrong length is [`Error::MalformedSignature`].
    pub fn verify_prehash_plain(
        self,
        public_key: &[u8],
        digest: &[u8],
        signature_rs: &[u8],
    ) -> Result<(), Error> {
        if digest.is_empty() {
            return Err(Error::EmptyDigest);
        }
        match self {
            Self::P224r1 => verify_with!(
                p224r1,
                self,
                public_key,
                digest,
                p224r1::Signature::from_slice(signature_rs)
            ),
            Self::P320r1 => verify_with!(
                p320r1,
                self,
                public_key,
                digest,
                p320r1::Signature::from_slice(signature_rs)
            ),
            Self::P512r1 => verify_with!(
                p512r1,
                self,
                public_key,
                digest,
                p512r1::Signature::from_slice(signature_rs)
            ),
        }
    }
}

impl core::fmt::Display for BrainpoolCurve {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}
