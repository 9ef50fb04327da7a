//! ECDSA verification with fixed-base tables, for the keys that verify
//! again and again: a CSCA's key verifies every Document Signer
//! certificate under it. `u1*G + u2*Q` costs about a full scalar
//! multiplication with the curve crates' wNAF lincomb (the doublings are
//! shared, not saved); with a table of multiples of G and one of Q
//! (primeorder's `BasepointTable` layout: a `LookupTable` per two radix-16
//! digits, no doubling at verification) it costs two table walks. On
//! brainpoolP512r1, the Vietnamese CSCA's curve, which has no
//! precomputed tables in any crate, that is most of a P-256 document's
//! verification.
//!
//! The equation is ecdsa's `hazmat::verify_prehashed` (SEC 1 §4.1.4) with
//! only the multiplication changed; the tests check both agree. A key's
//! table is built on its second use (the first verifies as before), so a
//! Document Signer's key, read from each EF.SOD and used once, costs
//! nothing more.

use std::any::Any;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use elliptic_curve::ops::{Invert, Reduce};
use elliptic_curve::point::AffineCoordinates;
use elliptic_curve::scalar::IsHigh;
use elliptic_curve::{FieldBytes, FieldBytesSize, Group, Scalar};
use primeorder::array::typenum::Unsigned;
use primeorder::{
    LookupTable, PrimeCurveParams, ProjectivePoint, Radix16Decomposition, Radix16Digits,
};

/// Multiples of one point: `tables[i]` holds `[1..8] * 256^i * P`, as
/// primeorder's `BasepointTable` lays out the generator's.
pub(crate) struct PointTable<C: PrimeCurveParams> {
    tables: Vec<LookupTable<ProjectivePoint<C>>>,
}

impl<C: PrimeCurveParams> PointTable<C> {
    /// The table of `p`: one window more than the field's bytes, as the
    /// radix-16 decomposition has one digit more than two per byte.
    pub(crate) fn new(p: ProjectivePoint<C>) -> PointTable<C> {
        let windows = FieldBytesSize::<C>::USIZE.saturating_add(1);
        let mut base = p;
        let mut tables = Vec::with_capacity(windows);
        for _ in 0..windows {
            tables.push(LookupTable::new(base));
            for _ in 0..8 {
                base = base.double();
            }
        }
        PointTable { tables }
    }

    /// `k * P` in variable time (verification: every value is public).
    /// primeorder's `BasepointTable::mul_vartime`, for any point.
    pub(crate) fn mul_vartime(&self, k: &Scalar<C>) -> ProjectivePoint<C> {
        let digits = Radix16Decomposition::<Radix16Digits<C>>::new(k);
        let len = FieldBytesSize::<C>::USIZE;
        // The decomposition has 2 * len + 1 digits and the table len + 1
        // windows, by construction (not from any input).
        let digit = |i: usize| -> i8 {
            #[allow(clippy::indexing_slicing)]
            digits[i]
        };
        let window = |i: usize, d: i8| {
            self.tables
                .get(i)
                .map_or(ProjectivePoint::<C>::IDENTITY, |t| t.select_vartime(d))
        };
        let mut acc = window(len, digit(len.saturating_mul(2)));
        let mut acc2 = ProjectivePoint::<C>::IDENTITY;
        for i in (0..len).rev() {
            acc2 += &window(i, digit(i.saturating_mul(2).saturating_add(1)));
            acc += &window(i, digit(i.saturating_mul(2)));
        }
        // The odd digits' windows sit 16 apart from the even ones'.
        for _ in 0..4 {
            acc2 = acc2.double();
        }
        acc + acc2
    }
}

/// A key's table, built on its second use. Clones share it; it takes no
/// part in comparisons.
#[derive(Default)]
pub(crate) struct TableCache {
    uses: AtomicU32,
    table: OnceLock<Arc<dyn Any + Send + Sync>>,
}

impl TableCache {
    /// The table, built by `build` from the second call on; `None` on the
    /// first (and when a table of another type is there, which no caller
    /// makes: one cache belongs to one key of one curve).
    pub(crate) fn get_or_build<T: Any + Send + Sync>(
        &self,
        build: impl FnOnce() -> T,
    ) -> Option<&T> {
        if let Some(t) = self.table.get() {
            return t.downcast_ref();
        }
        if self.uses.fetch_add(1, Ordering::Relaxed) == 0 {
            return None;
        }
        self.table.get_or_init(|| Arc::new(build())).downcast_ref()
    }
}

impl Clone for TableCache {
    fn clone(&self) -> TableCache {
        let table = OnceLock::new();
        if let Some(t) = self.table.get() {
            let _ = table.set(Arc::clone(t));
        }
        TableCache {
            uses: AtomicU32::new(self.uses.load(Ordering::Relaxed)),
            table,
        }
    }
}

impl PartialEq for TableCache {
    fn eq(&self, _: &TableCache) -> bool {
        true
    }
}

impl Eq for TableCache {}

impl fmt::Debug for TableCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.table.get().is_some() {
            "TableCache(built)"
        } else {
            "TableCache(none)"
        })
    }
}

/// The digest as ECDSA's `z` on a curve whose order has as many bits as
/// its field bytes hold (every curve this module serves): its leftmost
/// bytes, as many as the order's, zero-padded on the left, mod n
/// (ecdsa's `bytes2scalar`).
fn digest_scalar<C: PrimeCurveParams>(digest: &[u8]) -> Scalar<C> {
    let mut bytes = FieldBytes::<C>::default();
    let take = digest.len().min(bytes.len());
    let at = bytes.len().saturating_sub(take);
    if let (Some(dst), Some(src)) = (bytes.get_mut(at..), digest.get(..take)) {
        dst.copy_from_slice(src);
    }
    <Scalar<C> as Reduce<FieldBytes<C>>>::reduce(&bytes)
}

/// Whether `(r, s)` verifies over `digest` with the key whose table is
/// `q` (`g`: the generator's): `x(u1*G + u2*Q) mod n == r`.
pub(crate) fn verify<C>(
    g: &PointTable<C>,
    q: &PointTable<C>,
    digest: &[u8],
    signature: &ecdsa::Signature<C>,
) -> bool
where
    C: PrimeCurveParams + ecdsa::EcdsaCurve,
    ecdsa::SignatureSize<C>: primeorder::array::ArraySize,
{
    let (r, s) = signature.split_scalars();
    if C::NORMALIZE_S && bool::from(s.is_high()) {
        return false;
    }
    let z = digest_scalar::<C>(digest);
    let s_inv = *s.invert_vartime();
    let u1 = z * s_inv;
    let u2 = *r * s_inv;
    let x = (g.mul_vartime(&u1) + q.mul_vartime(&u2)).to_affine().x();
    *r == <Scalar<C> as Reduce<FieldBytes<C>>>::reduce(&x)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use brainpool_ext::BrainpoolP512r1;
    use ecdsa::signature::hazmat::PrehashVerifier;
    use proptest::prelude::*;

    type Point = ProjectivePoint<BrainpoolP512r1>;

    fn scalar(bytes: &[u8]) -> Scalar<BrainpoolP512r1> {
        let mut fb = FieldBytes::<BrainpoolP512r1>::default();
        fb.copy_from_slice(bytes);
        <Scalar<BrainpoolP512r1> as Reduce<FieldBytes<BrainpoolP512r1>>>::reduce(&fb)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn a_table_multiplies_as_the_curve_does(
            k in proptest::collection::vec(any::<u8>(), 64),
            p in proptest::collection::vec(any::<u8>(), 64),
        ) {
            let g = PointTable::<BrainpoolP512r1>::new(Point::GENERATOR);
            let k = scalar(&k);
            prop_assert_eq!(g.mul_vartime(&k), Point::GENERATOR * k);
            let point = Point::GENERATOR * scalar(&p);
            let t = PointTable::<BrainpoolP512r1>::new(point);
            prop_assert_eq!(t.mul_vartime(&k), point * k);
        }

        #[test]
        fn verification_agrees_with_ecdsa(
            d in proptest::collection::vec(any::<u8>(), 64),
            k in proptest::collection::vec(any::<u8>(), 64),
            digest in proptest::collection::vec(any::<u8>(), 20..=64),
            flip in any::<(u8, u8)>(),
        ) {
            // A signature made with ecdsa's own hazmat signer, then the
            // same with one bit of the digest flipped: both verifiers
            // agree on both.
            let d = ecdsa::elliptic_curve::NonZeroScalar::<BrainpoolP512r1>::new(scalar(&d)).unwrap();
            let k = ecdsa::elliptic_curve::NonZeroScalar::<BrainpoolP512r1>::new(scalar(&k)).unwrap();
            let (sig, _) = ecdsa::hazmat::sign_prehashed::<BrainpoolP512r1>(&d, &k, &digest).unwrap();
            let public = Point::GENERATOR * *d;
            let key = ecdsa::VerifyingKey::<BrainpoolP512r1>::from_affine(public.to_affine()).unwrap();
            let g = PointTable::new(Point::GENERATOR);
            let q = PointTable::new(public);
            let mut other = digest.clone();
            let at = usize::from(flip.0) % other.len();
            other[at] ^= 1 << (flip.1 % 8);
            for z in [&digest, &other] {
                prop_assert_eq!(verify(&g, &q, z, &sig), key.verify_prehash(z, &sig).is_ok());
            }
            prop_assert!(verify(&g, &q, &digest, &sig));
            prop_assert!(!verify(&g, &q, &other, &sig));
        }
    }

    #[test]
    fn the_table_comes_on_the_second_use_and_clones_share_it() {
        let cache = TableCache::default();
        assert!(cache.get_or_build(|| 7u32).is_none());
        let copy = cache.clone();
        assert_eq!(cache.get_or_build(|| 7u32), Some(&7));
        assert_eq!(cache.get_or_build(|| 8u32), Some(&7));
        assert_eq!(cache.clone().get_or_build(|| 9u32), Some(&7));
        // A clone made before the table was built counts its own uses.
        assert_eq!(copy.get_or_build(|| 5u32), Some(&5));
        assert_eq!(cache, copy);
    }
}
