//! The three curves against OpenSSL: signatures OpenSSL made with five
//! hashes verify (`testdata/signatures`, made by `testdata/make_testdata.sh`),
//! tampered ones and malformed inputs are refused, and the group law holds.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use brainpool_ext::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use brainpool_ext::elliptic_curve::group::{Group as _, GroupEncoding as _};
use brainpool_ext::elliptic_curve::sec1::{FromSec1Point, ToSec1Point};
use brainpool_ext::elliptic_curve::{Field as _, PrimeField as _};
use brainpool_ext::{
    BrainpoolCurve, Error, NamedCurve, ec_public_key_from_spki, p224r1, p320r1, p512r1,
};
use der::Encode;
use der::asn1::UintRef;
use proptest::prelude::*;
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

use crate::common::own;

const HASHES: [&str; 5] = ["sha1", "sha224", "sha256", "sha384", "sha512"];

fn digest(hash: &str, msg: &[u8]) -> Vec<u8> {
    match hash {
        "sha1" => Sha1::digest(msg).to_vec(),
        "sha224" => Sha224::digest(msg).to_vec(),
        "sha256" => Sha256::digest(msg).to_vec(),
        "sha384" => Sha384::digest(msg).to_vec(),
        "sha512" => Sha512::digest(msg).to_vec(),
        _ => unreachable!(),
    }
}

/// The SEC1 point of the OpenSSL key for `curve`.
fn openssl_point(curve: BrainpoolCurve) -> Vec<u8> {
    let spki = own(&format!("signatures/{}.spki.der", curve.name()));
    let key = ec_public_key_from_spki(&spki).unwrap();
    assert_eq!(key.curve, NamedCurve::from(curve));
    key.point.to_vec()
}

fn der_signature(r: &[u8], s: &[u8]) -> Vec<u8> {
    // SEQUENCE { INTEGER r, INTEGER s }
    let r = UintRef::new(r).unwrap().to_der().unwrap();
    let s = UintRef::new(s).unwrap().to_der().unwrap();
    let body = [r, s].concat();
    let mut out = vec![0x30];
    let len = u16::try_from(body.len()).unwrap();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        out.push(0x81);
        out.push(len as u8);
    }
    out.extend(body);
    out
}

#[test]
fn openssl_signatures_verify_with_every_hash() {
    let msg = own("signatures/message.txt");
    for curve in BrainpoolCurve::ALL {
        let point = openssl_point(curve);
        for hash in HASHES {
            let sig = own(&format!("signatures/{}.{hash}.sig", curve.name()));
            let d = digest(hash, &msg);
            curve
                .verify_prehash_der(&point, &d, &sig)
                .unwrap_or_else(|e| panic!("{curve} {hash}: {e}"));
            // the same signature checked against another hash fails
            for other in HASHES.iter().filter(|h| **h != hash) {
                assert!(
                    curve
                        .verify_prehash_der(&point, &digest(other, &msg), &sig)
                        .is_err(),
                    "{curve} {hash} signature accepted with {other}"
                );
            }
        }
    }
}

#[test]
fn explicit_parameter_spki_gives_the_same_key() {
    for curve in BrainpoolCurve::ALL {
        let spki = own(&format!("signatures/{}.explicit.spki.der", curve.name()));
        let key = ec_public_key_from_spki(&spki).unwrap();
        assert_eq!(key.curve, NamedCurve::from(curve));
        assert_eq!(key.point, openssl_point(curve).as_slice());
    }
}

#[test]
fn wrong_message_and_flipped_bits_are_refused() {
    let msg = own("signatures/message.txt");
    let mut wrong = msg.clone();
    wrong[0] ^= 0x20;
    for curve in BrainpoolCurve::ALL {
        let point = openssl_point(curve);
        let sig = own(&format!("signatures/{}.sha256.sig", curve.name()));
        let bad = Err(Error::BadSignature {
            curve: curve.name(),
        });
        assert_eq!(
            curve.verify_prehash_der(&point, &digest("sha256", &wrong), &sig),
            bad
        );
        let d = digest("sha256", &msg);
        // flip each bit of the last byte of s and one byte inside r
        for bit in 0..8 {
            let mut s = sig.clone();
            let last = s.len() - 1;
            s[last] ^= 1 << bit;
            assert!(curve.verify_prehash_der(&point, &d, &s).is_err());
        }
        let mut r = sig.clone();
        r[8] ^= 0x04;
        assert!(curve.verify_prehash_der(&point, &d, &r).is_err());
        // a flipped bit in the key: off the curve, or another key
        let mut p = point.clone();
        p[5] ^= 0x01;
        assert!(curve.verify_prehash_der(&p, &d, &sig).is_err());
        // the empty digest is refused before anything else
        assert_eq!(
            curve.verify_prehash_der(&point, &[], &sig),
            Err(Error::EmptyDigest)
        );
    }
}

#[test]
fn compressed_public_key_verifies_too() {
    let msg = own("signatures/message.txt");
    for curve in BrainpoolCurve::ALL {
        let point = openssl_point(curve);
        let n = curve.field_size();
        let (x, y) = point[1..].split_at(n);
        let mut compressed = vec![0x02 | (y[n - 1] & 1)];
        compressed.extend_from_slice(x);
        let sig = own(&format!("signatures/{}.sha384.sig", curve.name()));
        curve
            .verify_prehash_der(&compressed, &digest("sha384", &msg), &sig)
            .unwrap();
        // the other y: a valid point, but not the signer's key
        compressed[0] ^= 0x01;
        assert_eq!(
            curve.verify_prehash_der(&compressed, &digest("sha384", &msg), &sig),
            Err(Error::BadSignature {
                curve: curve.name()
            })
        );
    }
}

#[test]
fn r_or_s_zero_or_not_below_n_is_malformed() {
    let msg = own("signatures/message.txt");
    for curve in BrainpoolCurve::ALL {
        let point = openssl_point(curve);
        let d = digest("sha512", &msg);
        let n = NamedCurve::from(curve).parameters().n.to_vec();
        let mut n_plus_1 = n.clone();
        *n_plus_1.last_mut().unwrap() += 1; // n is odd: no carry
        let one = [1u8];
        let malformed = Err(Error::MalformedSignature {
            curve: curve.name(),
        });
        for (r, s) in [
            (&[0u8][..], &one[..]),
            (&one[..], &[0u8][..]),
            (&n[..], &one[..]),
            (&one[..], &n[..]),
            (&n_plus_1[..], &one[..]),
            (&one[..], &n_plus_1[..]),
            (&[0xff; 80][..], &one[..]),
        ] {
            assert_eq!(
                curve.verify_prehash_der(&point, &d, &der_signature(r, s)),
                malformed
            );
        }
        // plain r || s of the wrong length or with r = 0
        let size = curve.field_size();
        assert_eq!(
            curve.verify_prehash_plain(&point, &d, &vec![1; 2 * size - 1]),
            malformed
        );
        let mut zero_r = vec![0; 2 * size];
        zero_r[2 * size - 1] = 1;
        assert_eq!(curve.verify_prehash_plain(&point, &d, &zero_r), malformed);
        // r = 1, s = 1 is well formed but wrong
        assert_eq!(
            curve.verify_prehash_der(&point, &d, &der_signature(&one, &one)),
            Err(Error::BadSignature {
                curve: curve.name()
            })
        );
        // not DER at all
        assert_eq!(curve.verify_prehash_der(&point, &d, b"\x30\x00"), malformed);
        assert_eq!(curve.verify_prehash_der(&point, &d, b""), malformed);
    }
}

#[test]
fn plain_signature_format_verifies() {
    let msg = own("signatures/message.txt");
    for curve in BrainpoolCurve::ALL {
        let point = openssl_point(curve);
        let sig = own(&format!("signatures/{}.sha224.sig", curve.name()));
        // DER -> r || s with the ecdsa crate's own types
        let rs = match curve {
            BrainpoolCurve::P224r1 => p224r1::Signature::from_der(&sig)
                .unwrap()
                .to_bytes()
                .to_vec(),
            BrainpoolCurve::P320r1 => p320r1::Signature::from_der(&sig)
                .unwrap()
                .to_bytes()
                .to_vec(),
            BrainpoolCurve::P512r1 => p512r1::Signature::from_der(&sig)
                .unwrap()
                .to_bytes()
                .to_vec(),
            other => panic!("no signature fixture for {other:?}"),
        };
        assert_eq!(rs.len(), 2 * curve.field_size());
        curve
            .verify_prehash_plain(&point, &digest("sha224", &msg), &rs)
            .unwrap();
    }
}

#[test]
fn points_off_the_curve_are_refused() {
    for curve in BrainpoolCurve::ALL {
        let point = openssl_point(curve);
        let invalid = Err(Error::InvalidPoint {
            curve: curve.name(),
        });
        // y + 1: off the curve
        let mut p = point.clone();
        let last = p.len() - 1;
        p[last] ^= 0x01;
        assert_eq!(curve.validate_public_key(&p), invalid);
        // x = p (not below the prime)
        let prime = NamedCurve::from(curve).parameters().p;
        let mut p = point.clone();
        p[1..=curve.field_size()].copy_from_slice(prime);
        assert_eq!(curve.validate_public_key(&p), invalid);
        // identity, empty, truncated, wrong tag
        assert_eq!(curve.validate_public_key(&[0x00]), invalid);
        assert_eq!(curve.validate_public_key(&[]), invalid);
        assert_eq!(
            curve.validate_public_key(&point[..point.len() - 1]),
            invalid
        );
        let mut p = point.clone();
        p[0] = 0x05;
        assert_eq!(curve.validate_public_key(&p), invalid);
        curve.validate_public_key(&point).unwrap();
    }
}

/// Each curve's generator and order agree with the table (which
/// `tests/explicit.rs` checks against OpenSSL), and (n - 1)·G = -G.
macro_rules! constants_test {
    ($name:ident, $m:ident, $named:expr) => {
        #[test]
        fn $name() {
            let params = $named.parameters();
            let g = $m::AffinePoint::GENERATOR.to_sec1_point(false);
            assert_eq!(g.as_bytes(), [&[4u8][..], params.gx, params.gy].concat());
            assert_eq!(
                $m::Scalar::MODULUS.trim_start_matches('0'),
                hex::encode(params.n).trim_start_matches('0')
            );
            assert_eq!(
                $m::FieldElement::MODULUS.trim_start_matches('0'),
                hex::encode(params.p).trim_start_matches('0')
            );
            let n_minus_1 = -$m::Scalar::ONE;
            let g = $m::ProjectivePoint::GENERATOR;
            assert_eq!(g * n_minus_1, -g);
            assert_eq!(g * n_minus_1 + g, $m::ProjectivePoint::IDENTITY);
        }
    };
}
constants_test!(p224r1_constants, p224r1, NamedCurve::BrainpoolP224r1);
constants_test!(p320r1_constants, p320r1, NamedCurve::BrainpoolP320r1);
constants_test!(p512r1_constants, p512r1, NamedCurve::BrainpoolP512r1);

/// Sign with the crate's own RFC 6979 signer, verify through both APIs,
/// and check ECDH agreement.
macro_rules! roundtrip_test {
    ($name:ident, $m:ident, $curve:expr, $size:expr) => {
        #[test]
        fn $name() {
            let sk = $m::SigningKey::from_slice(&[0x11; $size]).unwrap();
            let vk = sk.verifying_key();
            let digest = Sha1::digest(b"abc");
            let sig: $m::Signature = sk.sign_prehash(&digest).unwrap();
            vk.verify_prehash(&digest, &sig).unwrap();
            let point = vk.to_sec1_point(false);
            $curve
                .verify_prehash_der(point.as_bytes(), &digest, sig.to_der().as_bytes())
                .unwrap();
            $curve
                .verify_prehash_plain(point.as_bytes(), &digest, &sig.to_bytes())
                .unwrap();

            let a = $m::SecretKey::from_slice(&[0x21; $size]).unwrap();
            let b = $m::SecretKey::from_slice(&[0x32; $size]).unwrap();
            let ab = brainpool_ext::elliptic_curve::ecdh::diffie_hellman(
                a.to_nonzero_scalar(),
                b.public_key().as_affine(),
            );
            let ba = brainpool_ext::elliptic_curve::ecdh::diffie_hellman(
                b.to_nonzero_scalar(),
                a.public_key().as_affine(),
            );
            assert_eq!(ab.raw_secret_bytes(), ba.raw_secret_bytes());
            assert_eq!(ab.raw_secret_bytes().len(), $size);
        }
    };
}
roundtrip_test!(p224r1_sign_verify_ecdh, p224r1, BrainpoolCurve::P224r1, 28);
roundtrip_test!(p320r1_sign_verify_ecdh, p320r1, BrainpoolCurve::P320r1, 40);
roundtrip_test!(p512r1_sign_verify_ecdh, p512r1, BrainpoolCurve::P512r1, 64);

macro_rules! property_tests {
    ($modname:ident, $m:ident, $curve:expr) => {
        mod $modname {
            use super::*;

            fn scalar(seed: u64) -> $m::Scalar {
                $m::Scalar::from(seed) * $m::Scalar::from(0x9e37_79b9_7f4a_7c15u64).square()
                    + $m::Scalar::from(seed.rotate_left(17))
            }

            proptest! {
                #![proptest_config(ProptestConfig::with_cases(24))]

                #[test]
                fn scalar_multiplication_is_consistent(k in any::<u64>(), m in any::<u64>()) {
                    let (k, m) = (scalar(k), scalar(m));
                    let g = $m::ProjectivePoint::GENERATOR;
                    prop_assert_eq!(g * k + g * m, g * (k + m));
                    prop_assert_eq!((g * k) * m, g * (k * m));
                }

                #[test]
                fn point_encoding_round_trips(k in any::<u64>()) {
                    let p = ($m::ProjectivePoint::GENERATOR * scalar(k)).to_affine();
                    for compress in [false, true] {
                        let enc = p.to_sec1_point(compress);
                        let dec = $m::AffinePoint::from_sec1_point(&enc).unwrap();
                        prop_assert_eq!(dec, p);
                        prop_assert!($curve.validate_public_key(enc.as_bytes()).is_ok());
                    }
                    let bytes = p.to_bytes();
                    prop_assert_eq!($m::AffinePoint::from_bytes(&bytes).unwrap(), p);
                }

                #[test]
                fn decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 64)) {
                    let _ = $m::PublicKey::from_sec1_bytes(&bytes);
                    let _ = $curve.validate_public_key(&bytes);
                    let _ = $curve.verify_prehash_der(&bytes, &bytes, &bytes);
                    let _ = $curve.verify_prehash_plain(&bytes, &bytes, &bytes);
                    let mut tagged = bytes.clone();
                    for tag in [0x02u8, 0x03, 0x04] {
                        tagged[0] = tag;
                        let _ = $curve.validate_public_key(&tagged);
                    }
                }

                #[test]
                fn decoder_never_panics_any_length(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
                    let _ = $curve.validate_public_key(&bytes);
                    let _ = $curve.verify_prehash_der(&bytes, &bytes, &bytes);
                }
            }
        }
    };
}
property_tests!(p224r1_props, p224r1, BrainpoolCurve::P224r1);
property_tests!(p320r1_props, p320r1, BrainpoolCurve::P320r1);
property_tests!(p512r1_props, p512r1, BrainpoolCurve::P512r1);

#[test]
fn random_points_of_the_right_length_are_refused_or_on_the_curve() {
    // A deterministic sweep: x = 0..64 with both tags; whatever decodes
    // must satisfy the curve equation (checked by re-encoding).
    for curve in BrainpoolCurve::ALL {
        let size = curve.field_size();
        let mut ok = 0;
        for x in 0u8..64 {
            for tag in [0x02u8, 0x03] {
                let mut enc = vec![0u8; 1 + size];
                enc[0] = tag;
                enc[size] = x;
                if curve.validate_public_key(&enc).is_ok() {
                    ok += 1;
                }
            }
        }
        // about half of the x values are on the curve
        assert!((20..=108).contains(&ok), "{curve}: {ok} of 128");
    }
}

#[test]
fn field_sqrt_and_generators() {
    // sqrt of a square is ± the root, on the three fields
    let x = p512r1::FieldElement::from(123_456_789u64);
    let r = x.square().sqrt().unwrap();
    assert!(r == x || r == -x);
    let x = p320r1::FieldElement::from(987_654_321u64);
    let r = x.square().sqrt().unwrap();
    assert!(r == x || r == -x);
    let x = p224r1::FieldElement::from(5u64);
    let r = x.square().sqrt().unwrap();
    assert!(r == x || r == -x);
    assert!(!bool::from(
        p224r1::ProjectivePoint::GENERATOR.is_identity()
    ));
}

/// `Reduce` on the whole integer type (U256 for the 224-bit curve, U384 for
/// the 320-bit one) reduces modulo n: compare with the same value built from
/// field operations, 2^bits - 1 = (2^(bits/2))^2 - 1.
macro_rules! reduce_test {
    ($name:ident, $m:ident, $curve:expr, $uint:ident, $half:expr) => {
        #[test]
        fn $name() {
            use brainpool_ext::elliptic_curve::bigint::{Reduce, $uint};
            let reduced = <$m::Scalar as Reduce<$uint>>::reduce(&$uint::MAX);
            let half =
                brainpool_ext::elliptic_curve::Field::pow_vartime(&$m::Scalar::from(2u64), [$half]);
            assert_eq!(reduced, half.square() - $m::Scalar::ONE);
            // n + 5 reduces to 5
            let n = $uint::from_be_hex(&format!(
                "{:0>width$}",
                hex::encode(NamedCurve::from($curve).parameters().n),
                width = $uint::BITS as usize / 4
            ));
            let n_plus_5 = n.wrapping_add(&$uint::from(5u64));
            assert_eq!(
                <$m::Scalar as Reduce<$uint>>::reduce(&n_plus_5),
                $m::Scalar::from(5u64)
            );
        }
    };
}
reduce_test!(p224r1_reduce, p224r1, BrainpoolCurve::P224r1, U256, 128);
reduce_test!(p320r1_reduce, p320r1, BrainpoolCurve::P320r1, U384, 192);
reduce_test!(p512r1_reduce, p512r1, BrainpoolCurve::P512r1, U512, 256);
