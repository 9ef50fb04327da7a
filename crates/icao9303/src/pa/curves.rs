//! ECDSA verification on every supported curve, and explicit domain
//! parameters matched to the named curve they equal.

use ecdsa::signature::hazmat::PrehashVerifier;

use crate::pa::error::{CurveProblem, KeyProblem, PaErrorKind, SignatureKind, SignatureProblem};
use crate::pa::signature::Curve;

macro_rules! verify_on {
    ($curve:ty, $point:expr, $digest:expr, $rs:expr, $name:expr) => {{
        let bad = |problem| PaErrorKind::bad_signature(SignatureKind::Ecdsa($name), problem);
        let key = ecdsa::VerifyingKey::<$curve>::from_sec1_bytes($point)
            .map_err(|_| PaErrorKind::BadPublicKey(KeyProblem::NotOnCurve { curve: $name }))?;
        let sig = ecdsa::Signature::<$curve>::from_slice($rs)
            .map_err(|_| bad(SignatureProblem::OutOfRange))?;
        key.verify_prehash($digest, &sig)
            .map_err(|_| bad(SignatureProblem::Mismatch))
    }};
}

/// Verifies the ECDSA signature `rs` (`r || s`, each the field length)
/// over `digest` with the SEC1 `point` on `curve`. The digest is used as
/// the signature algorithm gave it (truncated to the order's length as
/// ECDSA requires), whatever the curve's size.
pub(crate) fn verify_ecdsa(
    curve: Curve,
    point: &[u8],
    digest: &[u8],
    rs: &[u8],
) -> Result<(), PaErrorKind> {
    match curve {
        Curve::P224 => verify_on!(p224::NistP224, point, digest, rs, curve),
        Curve::P256 => verify_on!(p256::NistP256, point, digest, rs, curve),
        Curve::P384 => verify_on!(p384::NistP384, point, digest, rs, curve),
        Curve::P521 => verify_on!(p521::NistP521, point, digest, rs, curve),
        Curve::BrainpoolP256r1 => verify_on!(bp256::BrainpoolP256r1, point, digest, rs, curve),
        Curve::BrainpoolP384r1 => verify_on!(bp384::BrainpoolP384r1, point, digest, rs, curve),
        Curve::BrainpoolP224r1 => {
            verify_on!(brainpool_ext::BrainpoolP224r1, point, digest, rs, curve)
        }
        Curve::BrainpoolP320r1 => {
            verify_on!(brainpool_ext::BrainpoolP320r1, point, digest, rs, curve)
        }
        Curve::BrainpoolP512r1 => {
            verify_on!(brainpool_ext::BrainpoolP512r1, point, digest, rs, curve)
        }
    }
}

/// The named curve that explicit ECParameters (raw DER, `SEQUENCE {
/// version, fieldID, curve, base, order, cofactor }`) equal, comparing
/// every parameter; an error naming the problem for any other curve.
pub(crate) fn match_explicit(params: &[u8]) -> Result<Curve, PaErrorKind> {
    use brainpool_ext::NamedCurve as N;
    let named = brainpool_ext::match_explicit_parameters(params)
        .map_err(|e| PaErrorKind::UnknownCurve(CurveProblem::Explicit(e)))?;
    match named {
        N::NistP224 => Ok(Curve::P224),
        N::NistP256 => Ok(Curve::P256),
        N::NistP384 => Ok(Curve::P384),
        N::NistP521 => Ok(Curve::P521),
        N::BrainpoolP224r1 => Ok(Curve::BrainpoolP224r1),
        N::BrainpoolP256r1 => Ok(Curve::BrainpoolP256r1),
        N::BrainpoolP320r1 => Ok(Curve::BrainpoolP320r1),
        N::BrainpoolP384r1 => Ok(Curve::BrainpoolP384r1),
        N::BrainpoolP512r1 => Ok(Curve::BrainpoolP512r1),
        other => Err(PaErrorKind::UnknownCurve(CurveProblem::Unsupported(other))),
    }
}
