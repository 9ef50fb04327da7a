//! ECDSA verification on every supported curve, and explicit domain
//! parameters matched to the named curve they equal.

use std::sync::OnceLock;

use ecdsa::signature::hazmat::PrehashVerifier;
use primeorder::array::ArraySize;
use primeorder::{PrimeCurveParams, ProjectivePoint};

use crate::pa::fixed_base::{self, PointTable, TableCache};

use crate::pa::error::{CurveProblem, KeyProblem, PaErrorKind, SignatureKind, SignatureProblem};
use crate::pa::signature::Curve;

/// ECDSA on `C` with the SEC1 `point`: with the key's fixed-base table
/// from its second use (`cache`, see [`fixed_base`]), else ecdsa's own
/// verifier.
fn verify_on<C>(
    curve: Curve,
    point: &[u8],
    digest: &[u8],
    rs: &[u8],
    cache: Option<&TableCache>,
    generator: &OnceLock<PointTable<C>>,
) -> Result<(), PaErrorKind>
where
    C: PrimeCurveParams + ecdsa::EcdsaCurve,
    ecdsa::SignatureSize<C>: ArraySize,
{
    let bad = |problem| PaErrorKind::bad_signature(SignatureKind::Ecdsa(curve), problem);
    let key = ecdsa::VerifyingKey::<C>::from_sec1_bytes(point)
        .map_err(|_| PaErrorKind::BadPublicKey(KeyProblem::NotOnCurve { curve }))?;
    let sig =
        ecdsa::Signature::<C>::from_slice(rs).map_err(|_| bad(SignatureProblem::OutOfRange))?;
    let table = cache.and_then(|c| {
        c.get_or_build(|| PointTable::<C>::new(ProjectivePoint::<C>::from(*key.as_affine())))
    });
    let verified = match table {
        Some(q) => {
            let g = generator.get_or_init(|| PointTable::new(ProjectivePoint::<C>::GENERATOR));
            fixed_base::verify(g, q, digest, &sig)
        }
        None => key.verify_prehash(digest, &sig).is_ok(),
    };
    if verified {
        Ok(())
    } else {
        Err(bad(SignatureProblem::Mismatch))
    }
}

/// The generators' tables, one per curve, built on first use.
macro_rules! generator_table {
    ($curve:ty) => {{
        static TABLE: OnceLock<PointTable<$curve>> = OnceLock::new();
        &TABLE
    }};
}

/// Verifies the ECDSA signature `rs` (`r || s`, each the field length)
/// over `digest` with the SEC1 `point` on `curve`. The digest is used as
/// the signature algorithm gave it (truncated to the order's length as
/// ECDSA requires), whatever the curve's size. `cache` holds the key's
/// fixed-base table (not on P-521, whose order's 521 bits are not whole
/// bytes).
pub(crate) fn verify_ecdsa(
    curve: Curve,
    point: &[u8],
    digest: &[u8],
    rs: &[u8],
    cache: &TableCache,
) -> Result<(), PaErrorKind> {
    use brainpool_ext::{BrainpoolP224r1, BrainpoolP320r1, BrainpoolP512r1};
    let c = Some(cache);
    match curve {
        Curve::P224 => verify_on(
            curve,
            point,
            digest,
            rs,
            c,
            generator_table!(p224::NistP224),
        ),
        Curve::P256 => verify_on(
            curve,
            point,
            digest,
            rs,
            c,
            generator_table!(p256::NistP256),
        ),
        Curve::P384 => verify_on(
            curve,
            point,
            digest,
            rs,
            c,
            generator_table!(p384::NistP384),
        ),
        Curve::P521 => verify_on(
            curve,
            point,
            digest,
            rs,
            None,
            generator_table!(p521::NistP521),
        ),
        Curve::BrainpoolP256r1 => verify_on(
            curve,
            point,
            digest,
            rs,
            c,
            generator_table!(bp256::BrainpoolP256r1),
        ),
        Curve::BrainpoolP384r1 => verify_on(
            curve,
            point,
            digest,
            rs,
            c,
            generator_table!(bp384::BrainpoolP384r1),
        ),
        Curve::BrainpoolP224r1 => verify_on(
            curve,
            point,
            digest,
            rs,
            c,
            generator_table!(BrainpoolP224r1),
        ),
        Curve::BrainpoolP320r1 => verify_on(
            curve,
            point,
            digest,
            rs,
            c,
            generator_table!(BrainpoolP320r1),
        ),
        Curve::BrainpoolP512r1 => verify_on(
            curve,
            point,
            digest,
            rs,
            c,
            generator_table!(BrainpoolP512r1),
        ),
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
