//! Generic elliptic curve helpers over RustCrypto's curve arithmetic: the
//! operations of [`super::DomainParameters`] on one curve type.

use elliptic_curve::hazmat::FieldArithmetic;
use elliptic_curve::sec1::{FromSec1Point, ModulusSize, ToSec1Point};
use elliptic_curve::{
    AffinePoint, CurveArithmetic, CurveGroup, FieldBytes, FieldBytesSize, Group, PrimeField,
    ProjectivePoint,
};
use primeorder::PrimeCurveParams;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::dh;
use crate::Error;
use crate::pace::PaceErrorKind;

/// Fixed-base multiplication `k * G`, the hot path of PACE (the mapping's
/// `s * G`, every public key) and Chip Authentication: the curve crate's
/// own (a precomputed table for P-256, its feature `precomputed-tables`),
/// or, for brainpoolP256r1, whose crate has no table, one built here the
/// same way (primeorder's `BasepointTable`, lazily on first use).
pub(super) trait MulByGenerator: CurveArithmetic {
    /// `k * G` in constant time.
    fn mul_by_generator(k: &Self::Scalar) -> ProjectivePoint<Self> {
        ProjectivePoint::<Self>::mul_by_generator(k)
    }
}

impl MulByGenerator for p192::NistP192 {}
impl MulByGenerator for p224::NistP224 {}
impl MulByGenerator for p256::NistP256 {}
impl MulByGenerator for p384::NistP384 {}
impl MulByGenerator for p521::NistP521 {}
impl MulByGenerator for bp384::BrainpoolP384r1 {}
impl MulByGenerator for brainpool_ext::BrainpoolP192r1 {}
impl MulByGenerator for brainpool_ext::BrainpoolP224r1 {}
impl MulByGenerator for brainpool_ext::BrainpoolP320r1 {}
impl MulByGenerator for brainpool_ext::BrainpoolP512r1 {}

/// Multiples of brainpoolP256r1's generator: 33 windows (1 + the 32-byte
/// scalar), as p256 sizes its table.
static BP256_TABLE: primeorder::BasepointTable<bp256::r1::ProjectivePoint, 33> =
    primeorder::BasepointTable::new();

impl MulByGenerator for bp256::BrainpoolP256r1 {
    fn mul_by_generator(k: &bp256::Scalar) -> bp256::r1::ProjectivePoint {
        BP256_TABLE.mul(k)
    }
}

pub(super) fn ec_scalar<C>(bytes: &[u8], allow_zero: bool) -> Result<C::Scalar, Error>
where
    C: CurveArithmetic,
{
    let repr = FieldBytes::<C>::try_from(bytes).map_err(|_| PaceErrorKind::InvalidPrivateKey)?;
    let k: Option<C::Scalar> = C::Scalar::from_repr(repr).into();
    let k = k.ok_or(PaceErrorKind::InvalidPrivateKey)?;
    if !allow_zero && bool::from(elliptic_curve::Field::is_zero(&k)) {
        return Err(PaceErrorKind::InvalidPrivateKey.into());
    }
    Ok(k)
}

/// Clears the bits of `sk` above the order's length; whether it is then a
/// valid private key.
pub(super) fn ec_clamp_and_check<C: CurveArithmetic>(sk: &mut [u8]) -> bool {
    let bits = usize::try_from(<C::Scalar as PrimeField>::NUM_BITS).unwrap_or(usize::MAX);
    let excess = sk.len().saturating_mul(8).saturating_sub(bits);
    if let Some(first) = sk.first_mut()
        && excess > 0
        && excess < 8
    {
        *first &= 0xFF >> excess;
    }
    ec_scalar::<C>(sk, false).is_ok()
}

pub(super) fn ec_check_point<C>(bytes: &[u8]) -> Result<(), Error>
where
    C: CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    ec_point::<C>(bytes).map(|_| ())
}

pub(super) fn ec_point<C>(bytes: &[u8]) -> Result<AffinePoint<C>, Error>
where
    C: CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    let n = FieldBytes::<C>::default().len();
    if bytes.first() != Some(&0x04) || bytes.len() != 1 + 2 * n {
        return Err(PaceErrorKind::InvalidPoint.into());
    }
    let p = AffinePoint::<C>::from_sec1_bytes(bytes).map_err(|_| PaceErrorKind::InvalidPoint)?;
    if bool::from(elliptic_curve::CurveAffine::is_identity(&p)) {
        return Err(PaceErrorKind::InvalidPoint.into());
    }
    Ok(p)
}

pub(super) fn ec_encode<C>(p: &ProjectivePoint<C>) -> Result<Vec<u8>, Error>
where
    C: CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    if bool::from(p.is_identity()) {
        return Err(PaceErrorKind::InvalidPoint.into());
    }
    Ok(p.to_affine().to_sec1_point(false).as_bytes().to_vec())
}

pub(super) fn ec_mul<C>(sk: &[u8], base: Option<&[u8]>) -> Result<Vec<u8>, Error>
where
    C: MulByGenerator,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    let k = ec_scalar::<C>(sk, false)?;
    let product = match base {
        Some(b) => ProjectivePoint::<C>::from(ec_point::<C>(b)?) * k,
        // The fixed-base path (a precomputed table for P-256 and
        // brainpoolP256r1), constant time like the variable-base one.
        None => C::mul_by_generator(&k),
    };
    ec_encode::<C>(&product)
}

pub(super) fn ec_map_h<C>(nonce: &[u8], h: &[u8]) -> Result<Vec<u8>, Error>
where
    C: MulByGenerator,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    let h = ProjectivePoint::<C>::from(ec_point::<C>(h)?);
    // The nonce as an integer, left-padded to the field length.
    let n = FieldBytes::<C>::default().len();
    let pad = n
        .checked_sub(nonce.len())
        .ok_or(PaceErrorKind::NonceLength { len: nonce.len() })?;
    let mut s_bytes = Zeroizing::new(vec![0u8; pad]);
    s_bytes.extend_from_slice(nonce);
    let s = ec_scalar::<C>(&s_bytes, true)?;
    ec_encode::<C>(&(C::mul_by_generator(&s) + h))
}

/// `SK_IC^-1 * SK_Map mod n`, the chip authentication data of CAM.
pub(super) fn ec_cam_data<C: CurveArithmetic>(
    sk_ic: &[u8],
    sk_map: &[u8],
) -> Result<Vec<u8>, Error> {
    let k = ec_scalar::<C>(sk_ic, false)?;
    let inv: Option<C::Scalar> = elliptic_curve::Field::invert(&k).into();
    let inv = inv.ok_or(PaceErrorKind::InvalidPrivateKey)?;
    let ca = inv * ec_scalar::<C>(sk_map, false)?;
    Ok(ca.to_repr().to_vec())
}

pub(super) fn ec_prime_bits<C: FieldArithmetic>() -> usize {
    usize::try_from(<C::FieldElement as PrimeField>::NUM_BITS).unwrap_or(0)
}

/// The field's prime `p`, big-endian: `(-1) + 1`.
pub(super) fn ec_field_modulus<C: FieldArithmetic>() -> Vec<u8> {
    let minus_one = -<C::FieldElement as elliptic_curve::Field>::ONE;
    let mut p = minus_one.to_repr().to_vec();
    for b in p.iter_mut().rev() {
        let (v, carry) = b.overflowing_add(1);
        *b = v;
        if !carry {
            break;
        }
    }
    p
}

pub(super) fn ec_map_integrated<C>(r: &[u8]) -> Result<Vec<u8>, Error>
where
    C: PrimeCurveParams,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    use elliptic_curve::Field;
    let p = ec_field_modulus::<C>();
    // The encoding below takes square roots as h^((p+1)/4): p = 3 mod 4.
    if p.last().is_none_or(|b| b & 3 != 3) {
        return Err(PaceErrorKind::Unsupported {
            what: "Integrated Mapping on a curve with p = 1 mod 4",
        }
        .into());
    }
    let rp = Zeroizing::new(dh::reduce(r, &p)?);
    let repr = FieldBytes::<C>::try_from(rp.as_slice()).map_err(|_| PaceErrorKind::InvalidPoint)?;
    let t: Option<C::FieldElement> = C::FieldElement::from_repr(repr).into();
    let t = t.ok_or(PaceErrorKind::InvalidPoint)?;
    let (a, b) = (C::EQUATION_A, C::EQUATION_B);
    // 1. alpha = -t^2
    let alpha = -t.square();
    // 2. X2 = -b (1 + alpha + alpha^2) / (a (alpha + alpha^2))
    let alpha_sum = alpha + alpha.square();
    let inv: Option<C::FieldElement> = Field::invert(&(a * alpha_sum)).into();
    let inv = inv.ok_or(PaceErrorKind::InvalidPoint)?;
    let x2 = -b * (C::FieldElement::ONE + alpha_sum) * inv;
    // 3. X3 = alpha X2
    let x3 = alpha * x2;
    // 4. h2 = X2^3 + a X2 + b
    let h2 = x2.square() * x2 + a * x2 + b;
    // 6. U = t^3 h2
    let u = t.square() * t * h2;
    // 7. A = h2^(p - 1 - (p + 1) / 4)
    let big_a = h2.pow(dh::swu_exponent(&p)?);
    // 8./9. (X2, A h2) when A^2 h2 = 1, else (X3, A U); the cofactor is 1.
    let (x, y) = if bool::from((big_a.square() * h2).ct_eq(&C::FieldElement::ONE)) {
        (x2, big_a * h2)
    } else {
        (x3, big_a * u)
    };
    let mut point = vec![0x04];
    point.extend_from_slice(&x.to_repr());
    point.extend_from_slice(&y.to_repr());
    ec_check_point::<C>(&point)?;
    Ok(point)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The brainpoolP256r1 table gives what the variable-base
        /// multiplication of the generator gives.
        #[test]
        fn the_bp256_table_multiplies_the_generator(k in proptest::array::uniform32(any::<u8>())) {
            if let Ok(s) = ec_scalar::<bp256::BrainpoolP256r1>(&k, false) {
                let table = <bp256::BrainpoolP256r1 as MulByGenerator>::mul_by_generator(&s);
                let plain = bp256::r1::ProjectivePoint::GENERATOR * s;
                prop_assert_eq!(table.to_affine(), plain.to_affine());
            }
        }
    }
}
