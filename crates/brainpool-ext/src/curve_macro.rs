//! The one macro that writes a Brainpool curve module: field and scalar
//! types on `primefield` (crypto-bigint Montgomery arithmetic, the same
//! pattern `bp256`/`bp384` 0.14 follow with their `bigint` back end), the
//! curve marker type, its `primeorder` parameters and the `ecdsa` and
//! `ecdh` aliases.

/// Writes one curve module. See `src/lib.rs` for the three invocations and
/// where each constant comes from.
macro_rules! brainpool_curve {
    (
        curve: $curve:ident,
        name: $name:literal,
        oid: $oid:literal,
        uint: $uint:ident,
        field_bytes: $field_bytes:ident,
        // full-width hex of p and n (as wide as `$uint`)
        p_hex: $p_hex:literal,
        n_hex: $n_hex:literal,
        // `multiplicative_generator` of the field of p and of n: the
        // smallest primitive root where p - 1 (n - 1) could be factored
        // (sympy), else the smallest quadratic non-residue. What
        // crypto-bigint and ff use it for (the 2^S-th root of unity of the
        // square root) needs only non-residuosity, which the
        // `primefield::test_primefield!` unit tests below check.
        p_generator: $p_generator:literal,
        n_generator: $n_generator:literal,
        // field-sized hex (2 * field bytes) of a, b, G.x, G.y
        a: $a:literal,
        b: $b:literal,
        gx: $gx:literal,
        gy: $gy:literal,
        // the hash RFC 6979 signing uses by default (`ecdsa::DigestAlgorithm`)
        digest: $digest:ty $(,)?
    ) => {
        use elliptic_curve::bigint::{$uint, Odd};
        use elliptic_curve::consts::$field_bytes;
        use elliptic_curve::{CurveArithmetic, PrimeCurveArithmetic, hazmat::FieldArithmetic};
        use primeorder::{PrimeCurveParams, mul_backend, point_arithmetic};

        pub use self::field::FieldElement;
        pub use self::scalar::Scalar;

        /// Big-endian hex of the field prime `p`, as wide as the curve's
        /// integer type.
        const P_HEX: &str = $p_hex;
        /// Big-endian hex of the group order `n`, as wide as the curve's
        /// integer type.
        const N_HEX: &str = $n_hex;

        #[doc = concat!("The ", $name, " elliptic curve (RFC 5639), a prime-order group (cofactor 1).")]
        #[derive(Copy, Clone, Debug, Default, Eq, PartialEq, PartialOrd, Ord)]
        pub struct $curve;

        impl elliptic_curve::Curve for $curve {
            type FieldBytesSize = $field_bytes;
            type Uint = $uint;
            const ORDER: Odd<$uint> = Odd::<$uint>::from_be_hex(N_HEX);
        }

        impl elliptic_curve::PrimeCurve for $curve {}

        impl elliptic_curve::point::PointCompression for $curve {
            const COMPRESS_POINTS: bool = false;
        }

        #[cfg(feature = "ecdsa")]
        impl elliptic_curve::pkcs8::AssociatedOid for $curve {
            const OID: elliptic_curve::pkcs8::ObjectIdentifier =
                elliptic_curve::pkcs8::ObjectIdentifier::new_unwrap($oid);
        }

        impl CurveArithmetic for $curve {
            type AffinePoint = AffinePoint;
            type ProjectivePoint = ProjectivePoint;
            type Scalar = Scalar;
        }

        impl FieldArithmetic for $curve {
            type FieldElement = FieldElement;
        }

        impl PrimeCurveArithmetic for $curve {
            type CurveGroup = ProjectivePoint;
        }

        impl PrimeCurveParams for $curve {
            type PointArithmetic = point_arithmetic::EquationAIsGeneric;
            type Backend = mul_backend::VariableOnly;

            const EQUATION_A: FieldElement = FieldElement::from_hex_vartime($a);
            const EQUATION_B: FieldElement = FieldElement::from_hex_vartime($b);
            const GENERATOR: (FieldElement, FieldElement) = (
                FieldElement::from_hex_vartime($gx),
                FieldElement::from_hex_vartime($gy),
            );
        }

        #[cfg(feature = "ecdsa")]
        impl ecdsa::EcdsaCurve for $curve {
            const NORMALIZE_S: bool = false;
        }

        #[cfg(feature = "ecdsa")]
        impl ecdsa::DigestAlgorithm for $curve {
            type Digest = $digest;
        }

        #[doc = concat!("A ", $name, " point in affine coordinates.")]
        pub type AffinePoint = primeorder::AffinePoint<$curve>;
        #[doc = concat!("A ", $name, " point in projective coordinates.")]
        pub type ProjectivePoint = primeorder::ProjectivePoint<$curve>;
        #[doc = concat!("A non-zero ", $name, " scalar.")]
        pub type NonZeroScalar = elliptic_curve::NonZeroScalar<$curve>;
        #[doc = concat!("A ", $name, " field element or scalar as big-endian bytes.")]
        pub type FieldBytes = elliptic_curve::FieldBytes<$curve>;
        #[doc = concat!("A SEC1-encoded ", $name, " point.")]
        pub type Sec1Point = elliptic_curve::sec1::Sec1Point<$curve>;
        #[doc = concat!("A ", $name, " public key (a point other than the identity).")]
        pub type PublicKey = elliptic_curve::PublicKey<$curve>;
        #[doc = concat!("A ", $name, " secret key.")]
        pub type SecretKey = elliptic_curve::SecretKey<$curve>;
        #[cfg(feature = "ecdsa")]
        #[doc = concat!("An ECDSA/", $name, " signature (r, s), fixed size.")]
        pub type Signature = ecdsa::Signature<$curve>;
        #[cfg(feature = "ecdsa")]
        #[doc = concat!("An ECDSA/", $name, " signature as an ASN.1 DER `Ecdsa-Sig-Value`.")]
        pub type DerSignature = ecdsa::der::Signature<$curve>;
        #[cfg(feature = "ecdsa")]
        #[doc = concat!("An ECDSA/", $name, " verifying key; verify with `signature::hazmat::PrehashVerifier`.")]
        pub type VerifyingKey = ecdsa::VerifyingKey<$curve>;
        #[cfg(feature = "ecdsa")]
        #[doc = concat!("An ECDSA/", $name, " signing key (used by the tests; deterministic RFC 6979 nonces).")]
        pub type SigningKey = ecdsa::SigningKey<$curve>;
        #[doc = concat!("An ephemeral ", $name, " ECDH secret.")]
        pub type EphemeralSecret = elliptic_curve::ecdh::EphemeralSecret<$curve>;
        #[doc = concat!("A ", $name, " ECDH shared secret (the x-coordinate of the shared point).")]
        pub type SharedSecret = elliptic_curve::ecdh::SharedSecret<$curve>;

        #[allow(deprecated)] // primefield 0.14 macros call `Uint::bits`, deprecated in crypto-bigint 0.7.11
        mod field {
            use super::$uint;
            use elliptic_curve::{
                ff::PrimeField,
                ops::BatchInvert,
                subtle::{Choice, ConstantTimeEq, CtOption},
            };

            primefield::monty_field_params! {
                name: FieldParams,
                modulus: super::P_HEX,
                uint: $uint,
                byte_order: primefield::ByteOrder::BigEndian,
                multiplicative_generator: $p_generator,
                doc: concat!("Montgomery parameters for the ", $name, " field prime p")
            }

            primefield::monty_field_element! {
                name: FieldElement,
                params: FieldParams,
                uint: $uint,
                doc: concat!("An element of the ", $name, " base field, modulo p")
            }

            primefield::monty_field_arithmetic! {
                name: FieldElement,
                params: FieldParams,
                uint: $uint
            }

            impl BatchInvert for FieldElement {}

            #[cfg(test)]
            mod tests {
                use super::{FieldElement, $uint};
                primefield::test_primefield!(FieldElement, $uint);
            }
        }

        #[allow(deprecated)] // as above
        mod scalar {
            use super::{$curve, $uint, FieldBytes};
            use elliptic_curve::{
                Curve as _,
                bigint::Reduce,
                ff::PrimeField,
                field,
                scalar::{FromUintUnchecked, IsHigh},
                subtle::{Choice, ConstantTimeEq, ConstantTimeGreater, CtOption},
            };
            use primeorder::wnaf;

            primefield::monty_field_params! {
                name: ScalarParams,
                modulus: super::N_HEX,
                uint: $uint,
                byte_order: primefield::ByteOrder::BigEndian,
                multiplicative_generator: $n_generator,
                doc: concat!("Montgomery parameters for the ", $name, " group order n")
            }

            primefield::monty_field_element! {
                name: Scalar,
                params: ScalarParams,
                uint: $uint,
                doc: concat!("An element of the ", $name, " scalar field, modulo n")
            }

            primefield::monty_field_arithmetic! {
                name: Scalar,
                params: ScalarParams,
                uint: $uint
            }

            // Written out rather than with `primefield::monty_field_reduce!`,
            // which needs the integer type to be exactly as wide as the
            // field bytes (not so for brainpoolP224r1 on `U256`).
            impl Reduce<$uint> for Scalar {
                fn reduce(w: &$uint) -> Self {
                    // Montgomery conversion reduces any input modulo n.
                    Self(primefield::MontyFieldElement::<
                        ScalarParams,
                        { <ScalarParams>::LIMBS },
                    >::from_uint_reduced(w))
                }
            }

            impl Reduce<FieldBytes> for Scalar {
                fn reduce(bytes: &FieldBytes) -> Self {
                    <Self as Reduce<$uint>>::reduce(&field::bytes_to_uint::<$curve>(bytes))
                }
            }

            elliptic_curve::scalar_impls!($curve, Scalar);

            wnaf::impl_wnaf_size_for_scalar!(Scalar);

            impl AsRef<Scalar> for Scalar {
                fn as_ref(&self) -> &Scalar {
                    self
                }
            }

            impl FromUintUnchecked for Scalar {
                type Uint = $uint;

                fn from_uint_unchecked(uint: Self::Uint) -> Self {
                    Self::from_uint_unchecked(uint)
                }
            }

            impl IsHigh for Scalar {
                fn is_high(&self) -> Choice {
                    const MODULUS_SHR1: $uint = $curve::ORDER.as_ref().shr_vartime(1);
                    self.to_canonical().ct_gt(&MODULUS_SHR1)
                }
            }

            #[cfg(test)]
            mod tests {
                use super::{Scalar, $uint};
                primefield::test_primefield!(Scalar, $uint);
            }
        }
    };
}

pub(crate) use brainpool_curve;
