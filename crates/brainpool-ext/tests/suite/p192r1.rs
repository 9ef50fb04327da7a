//! brainpoolP192r1 against OpenSSL: the curve's constants equal those of
//! `openssl ecparam -name brainpoolP192r1 -param_enc explicit -outform DER`
//! (`testdata/ecparams/brainpoolP192r1.der`), and the group law holds.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use brainpool_ext::elliptic_curve::PrimeField as _;
use brainpool_ext::elliptic_curve::sec1::{FromSec1Point, ToSec1Point};
use brainpool_ext::p192r1;
use der::{Decode, asn1::AnyRef};
use proptest::prelude::*;

/// The values of the children of a DER SEQUENCE.
fn children(seq: &[u8]) -> Vec<Vec<u8>> {
    let any = AnyRef::from_der(seq).unwrap();
    let mut out = Vec::new();
    let mut rest = any.value();
    while !rest.is_empty() {
        let (item, tail) = AnyRef::from_der_partial(rest).unwrap();
        out.push(item.value().to_vec());
        let used = rest.len() - tail.len();
        rest = &rest[used..];
    }
    out
}

/// Re-encodes a child SEQUENCE's value so it can be walked again.
fn seq_bytes(value: &[u8]) -> Vec<u8> {
    let mut out = vec![0x30];
    let len = value.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        out.push(0x81);
        out.push(len as u8);
    }
    out.extend_from_slice(value);
    out
}

fn strip(v: &[u8]) -> &[u8] {
    let skip = v.iter().take_while(|b| **b == 0).count();
    &v[skip..]
}

#[test]
fn constants_match_openssl() {
    let der = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/ecparams/brainpoolP192r1.der"
    ))
    .unwrap();
    // ECParameters ::= SEQUENCE { version, fieldID, curve, base, order, cofactor }
    let top = children(&der);
    let field = children(&seq_bytes(&top[1]));
    let curve = children(&seq_bytes(&top[2]));
    let (p, a, b, base, n) = (&field[1], &curve[0], &curve[1], &top[3], &top[4]);
    assert_eq!(top[5], [1]);
    assert_eq!(
        p192r1::FieldElement::MODULUS.trim_start_matches('0'),
        hex::encode(strip(p))
    );
    assert_eq!(
        p192r1::Scalar::MODULUS.trim_start_matches('0'),
        hex::encode(strip(n))
    );
    let g = p192r1::AffinePoint::GENERATOR.to_sec1_point(false);
    assert_eq!(g.as_bytes(), base.as_slice());
    // a and b: the curve equation holds at G with OpenSSL's a and b.
    let fe = |bytes: &[u8]| {
        let mut arr = [0u8; 24];
        arr.copy_from_slice(bytes);
        p192r1::FieldElement::from_repr(arr.into()).unwrap()
    };
    let (a, b) = (fe(a), fe(b));
    let (x, y) = (fe(&base[1..25]), fe(&base[25..]));
    assert_eq!(y.square(), x.square() * x + a * x + b);
    // (n - 1)·G = -G
    let g = p192r1::ProjectivePoint::GENERATOR;
    assert_eq!(g * -p192r1::Scalar::ONE, -g);
    assert_eq!(
        g * -p192r1::Scalar::ONE + g,
        p192r1::ProjectivePoint::IDENTITY
    );
}

#[test]
fn ecdh_agrees() {
    let a = p192r1::SecretKey::from_slice(&[0x21; 24]).unwrap();
    let b = p192r1::SecretKey::from_slice(&[0x32; 24]).unwrap();
    let ab = brainpool_ext::elliptic_curve::ecdh::diffie_hellman(
        a.to_nonzero_scalar(),
        b.public_key().as_affine(),
    );
    let ba = brainpool_ext::elliptic_curve::ecdh::diffie_hellman(
        b.to_nonzero_scalar(),
        a.public_key().as_affine(),
    );
    assert_eq!(ab.raw_secret_bytes(), ba.raw_secret_bytes());
    // A point off the curve is refused.
    let mut off = b.public_key().to_sec1_point(false).as_bytes().to_vec();
    off[48] ^= 1;
    assert!(p192r1::PublicKey::from_sec1_bytes(&off).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn group_law(k in any::<u64>(), m in any::<u64>()) {
        let (k, m) = (p192r1::Scalar::from(k), p192r1::Scalar::from(m));
        let g = p192r1::ProjectivePoint::GENERATOR;
        prop_assert_eq!(g * k + g * m, g * (k + m));
        prop_assert_eq!((g * k) * m, g * (k * m));
        let p = (g * k).to_affine();
        if k != p192r1::Scalar::ZERO {
            let enc = p.to_sec1_point(false);
            prop_assert_eq!(p192r1::AffinePoint::from_sec1_point(&enc).unwrap(), p);
        }
    }
}
