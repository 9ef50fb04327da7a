//! Explicit EC domain parameters matched to named curves: OpenSSL's
//! explicit encodings of all nine curves (`testdata/ecparams`), the
//! Vietnamese and German CSCAs, the BSI 2008 document signer and its DG14
//! Chip Authentication key, and tampered parameters.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use brainpool_ext::{
    Error, NamedCurve, ec_public_key_from_spki, match_ec_parameters, match_explicit_parameters,
};
use der::asn1::{AnyRef, ObjectIdentifier};
use der::{Decode, Encode, Reader, SliceReader, Tagged};
use proptest::prelude::*;
use x509_cert::Certificate;

use crate::common::{own, testdata};

const OPENSSL_NAMES: [(&str, NamedCurve); 9] = [
    ("secp224r1", NamedCurve::NistP224),
    ("prime256v1", NamedCurve::NistP256),
    ("secp384r1", NamedCurve::NistP384),
    ("secp521r1", NamedCurve::NistP521),
    ("brainpoolP224r1", NamedCurve::BrainpoolP224r1),
    ("brainpoolP256r1", NamedCurve::BrainpoolP256r1),
    ("brainpoolP320r1", NamedCurve::BrainpoolP320r1),
    ("brainpoolP384r1", NamedCurve::BrainpoolP384r1),
    ("brainpoolP512r1", NamedCurve::BrainpoolP512r1),
];

#[test]
fn openssl_explicit_parameters_match_every_table_curve() {
    for (name, curve) in OPENSSL_NAMES {
        let der = own(&format!("ecparams/{name}.der"));
        assert_eq!(match_explicit_parameters(&der), Ok(curve), "{name}");
        assert_eq!(match_ec_parameters(&der), Ok(curve), "{name}");
        // and the named form of the same curve
        let oid = curve.oid().to_der().unwrap();
        assert_eq!(match_ec_parameters(&oid), Ok(curve));
        assert_eq!(NamedCurve::from_oid(&curve.oid()), Some(curve));
    }
}

#[test]
fn the_oids_are_the_registered_ones() {
    let expected = [
        "1.3.132.0.33",
        "1.2.840.10045.3.1.7",
        "1.3.132.0.34",
        "1.3.132.0.35",
        "1.3.36.3.3.2.8.1.1.5",
        "1.3.36.3.3.2.8.1.1.7",
        "1.3.36.3.3.2.8.1.1.9",
        "1.3.36.3.3.2.8.1.1.11",
        "1.3.36.3.3.2.8.1.1.13",
    ];
    for ((_, curve), oid) in OPENSSL_NAMES.iter().zip(expected) {
        assert_eq!(curve.oid().to_string(), oid);
    }
}

#[test]
fn compressed_base_point_matches() {
    for (name, curve) in [
        ("brainpoolP320r1", NamedCurve::BrainpoolP320r1),
        ("secp521r1", NamedCurve::NistP521),
    ] {
        let der = own(&format!("ecparams/{name}-compressed.der"));
        assert_eq!(match_explicit_parameters(&der), Ok(curve));
    }
}

/// The algorithm parameters of a certificate's public key, as DER.
fn cert_ec_parameters(cert_der: &[u8]) -> Vec<u8> {
    let cert = Certificate::from_der(cert_der).unwrap();
    cert.tbs_certificate()
        .subject_public_key_info()
        .algorithm
        .parameters
        .as_ref()
        .unwrap()
        .to_der()
        .unwrap()
}

#[test]
fn vietnam_and_german_cscas_are_brainpool_p512r1() {
    for path in [
        "gmrtd/extracted/VN_CSCA_ePassport_506F1357.cer",
        "gmrtd/master_list/DE_ROOT_CA_CSCA07.cer",
    ] {
        let params = cert_ec_parameters(&testdata!(path));
        assert_eq!(params[0], 0x30, "{path}: explicit, not a named OID");
        assert_eq!(
            match_explicit_parameters(&params),
            Ok(NamedCurve::BrainpoolP512r1)
        );
        assert_eq!(
            NamedCurve::BrainpoolP512r1.oid(),
            ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.13")
        );
    }
}

#[test]
fn bsi2008_document_signer_is_brainpool_p224r1() {
    let params = cert_ec_parameters(&own("bsi2008/ds.der"));
    assert_eq!(
        match_explicit_parameters(&params),
        Ok(NamedCurve::BrainpoolP224r1)
    );
}

/// DG14 = `[APPLICATION 14] SET OF SecurityInfo`; the
/// ChipAuthenticationPublicKeyInfo is `SEQUENCE { protocol OID,
/// chipAuthenticationPublicKey SubjectPublicKeyInfo, keyId INTEGER OPTIONAL }`.
fn dg14_ca_public_key_spki(dg14: &[u8]) -> Vec<u8> {
    let outer = AnyRef::from_der(dg14).unwrap();
    let set = AnyRef::from_der(outer.value()).unwrap();
    assert_eq!(set.tag(), der::Tag::Set);
    let mut items = SliceReader::new(set.value()).unwrap();
    let id_pk_ecdh = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.1.2");
    while !items.is_finished() {
        let info: AnyRef<'_> = items.decode().unwrap();
        let mut r = SliceReader::new(info.value()).unwrap();
        let oid: ObjectIdentifier = r.decode().unwrap();
        if oid == id_pk_ecdh {
            return r.tlv_bytes().unwrap().to_vec();
        }
    }
    panic!("no ChipAuthenticationPublicKeyInfo in DG14");
}

#[test]
fn bsi2008_dg14_chip_authentication_key_is_brainpool_p224r1() {
    let spki = dg14_ca_public_key_spki(&testdata!("jmrtd/lds/bsi2008/Datagroup14.bin"));
    let key = ec_public_key_from_spki(&spki).unwrap();
    assert_eq!(key.curve, NamedCurve::BrainpoolP224r1);
    assert_eq!(key.point.len(), 57);
    key.curve
        .brainpool_ext()
        .unwrap()
        .validate_public_key(key.point)
        .unwrap();
}

/// Offsets of the fields of OpenSSL's brainpoolP224r1 explicit encoding,
/// found by walking the DER (as `openssl asn1parse` shows them).
struct Layout {
    der: Vec<u8>,
}

impl Layout {
    fn new() -> Self {
        Self {
            der: own("ecparams/brainpoolP224r1.der"),
        }
    }
    /// Byte offset of the value of the `index`-th occurrence of a TLV with
    /// this tag and length in the DER.
    fn value_offset(&self, tag: u8, len: u8, index: usize) -> usize {
        self.der
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0] == tag && w[1] == len)
            .nth(index)
            .map(|(i, _)| i + 2)
            .unwrap()
    }
}

#[test]
fn a_single_flipped_bit_in_any_parameter_is_refused() {
    let l = Layout::new();
    // 02 1D p (with a 00 sign byte), 04 1C a, 04 1C b, 04 39 G, 02 1D n
    let cases = [
        ("p", l.value_offset(0x02, 0x1d, 0) + 28),
        ("a", l.value_offset(0x04, 0x1c, 0) + 5),
        ("b", l.value_offset(0x04, 0x1c, 1) + 27),
        ("the base point G", l.value_offset(0x04, 0x39, 0) + 40),
        ("the order n", l.value_offset(0x02, 0x1d, 1) + 28),
    ];
    for (what, offset) in cases {
        let mut der = l.der.clone();
        der[offset] ^= 0x01;
        let err = match_explicit_parameters(&der).unwrap_err();
        match (&err, what) {
            (Error::UnknownExplicitCurve(msg), "p") => {
                assert!(msg.contains("no known curve has this prime"), "{msg}")
            }
            (Error::UnknownExplicitCurve(msg), _) => assert_eq!(
                msg,
                &format!("same prime p as brainpoolP224r1, but {what} differs")
            ),
            _ => panic!("{what}: {err:?}"),
        }
    }
    // the unmodified bytes still match (the offsets were right)
    assert_eq!(
        match_explicit_parameters(&l.der),
        Ok(NamedCurve::BrainpoolP224r1)
    );
}

#[test]
fn tampered_b_in_a_real_certificate_is_refused() {
    let mut params =
        cert_ec_parameters(&testdata!("gmrtd/extracted/VN_CSCA_ePassport_506F1357.cer"));
    // b is the second 64-byte OCTET STRING (04 40)
    let b = params
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w == &[0x04, 0x40])
        .nth(1)
        .map(|(i, _)| i + 2)
        .unwrap();
    params[b + 63] ^= 0x01;
    assert_eq!(
        match_explicit_parameters(&params),
        Err(Error::UnknownExplicitCurve(
            "same prime p as brainpoolP512r1, but b differs".into()
        ))
    );
}

#[test]
fn cofactor_other_than_one_is_refused() {
    let mut der = own("ecparams/brainpoolP256r1.der");
    // the last three bytes are the cofactor 02 01 01
    let n = der.len();
    assert_eq!(&der[n - 3..], &[0x02, 0x01, 0x01]);
    der[n - 1] = 0x04;
    assert_eq!(
        match_explicit_parameters(&der),
        Err(Error::UnknownExplicitCurve(
            "same prime p as brainpoolP256r1, but the cofactor h differs".into()
        ))
    );
}

#[test]
fn missing_cofactor_is_accepted() {
    let der = own("ecparams/brainpoolP512r1.der");
    // drop `02 01 01` and shorten the outer SEQUENCE's length
    let mut cut = der[..der.len() - 3].to_vec();
    // outer header is 30 81 LL or 30 82 LL LL
    match cut[1] {
        0x81 => cut[2] -= 3,
        0x82 => {
            let len = u16::from_be_bytes([cut[2], cut[3]]) - 3;
            cut[2..4].copy_from_slice(&len.to_be_bytes());
        }
        _ => unreachable!(),
    }
    assert_eq!(
        match_explicit_parameters(&cut),
        Ok(NamedCurve::BrainpoolP512r1)
    );
}

#[test]
fn wrong_parity_compressed_base_point_is_refused() {
    let mut der = own("ecparams/brainpoolP320r1-compressed.der");
    // the compressed base point is an OCTET STRING of 41 bytes: 04 29 (02|03) x
    let at = der
        .windows(3)
        .position(|w| w[0] == 0x04 && w[1] == 0x29 && (w[2] == 0x02 || w[2] == 0x03))
        .unwrap();
    der[at + 2] ^= 0x01;
    assert_eq!(
        match_explicit_parameters(&der),
        Err(Error::UnknownExplicitCurve(
            "same prime p as brainpoolP320r1, but the base point G differs".into()
        ))
    );
}

#[test]
fn other_refusals() {
    // unknown named curve (secp256k1)
    let oid = ObjectIdentifier::new_unwrap("1.3.132.0.10")
        .to_der()
        .unwrap();
    assert_eq!(
        match_ec_parameters(&oid),
        Err(Error::UnknownNamedCurve("1.3.132.0.10".into()))
    );
    // implicitlyCA
    assert_eq!(match_ec_parameters(&[0x05, 0x00]), Err(Error::ImplicitlyCa));
    // version 0 and 4
    let der = own("ecparams/brainpoolP224r1.der");
    let version = der
        .windows(3)
        .position(|w| w == [0x02, 0x01, 0x01])
        .unwrap()
        + 2;
    for v in [0u8, 4] {
        let mut bad = der.clone();
        bad[version] = v;
        assert_eq!(
            match_explicit_parameters(&bad),
            Err(Error::UnsupportedVersion(v))
        );
    }
    // characteristic-two field: 1.2.840.10045.1.2 (last OID byte 01 -> 02)
    let mut bad = der.clone();
    let field = der
        .windows(9)
        .position(|w| w == [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x01, 0x01])
        .unwrap();
    bad[field + 8] = 0x02;
    assert_eq!(
        match_explicit_parameters(&bad),
        Err(Error::UnsupportedFieldType("1.2.840.10045.1.2".into()))
    );
    // trailing garbage, truncation, wrong outer type
    let mut bad = der.clone();
    bad.push(0);
    assert!(matches!(
        match_explicit_parameters(&bad),
        Err(Error::Asn1(_))
    ));
    assert!(matches!(
        match_explicit_parameters(&der[..der.len() - 1]),
        Err(Error::Asn1(_))
    ));
    assert!(matches!(
        match_ec_parameters(&[0x02, 0x01, 0x01]),
        Err(Error::Asn1(_))
    ));
    // an RSA key is not an EC key
    let rsa_spki = {
        let cert = Certificate::from_der(&testdata!("gmrtd/master_list/NL_ROOT_CA.cer")).unwrap();
        cert.tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .unwrap()
    };
    assert!(matches!(
        ec_public_key_from_spki(&rsa_spki),
        Err(Error::Asn1(m)) if m.contains("not id-ecPublicKey")
    ));
}

#[test]
fn table_values_are_field_sized() {
    for curve in NamedCurve::ALL {
        let p = curve.parameters();
        let size = p.field_size();
        for v in [p.a, p.b, p.gx, p.gy] {
            assert_eq!(v.len(), size, "{curve}");
        }
        assert_eq!(p.h, 1);
        assert_eq!(p.curve, curve);
    }
}

proptest! {
    #[test]
    fn matcher_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = match_ec_parameters(&bytes);
        let _ = match_explicit_parameters(&bytes);
        let _ = ec_public_key_from_spki(&bytes);
    }

    #[test]
    fn matcher_never_panics_on_mutated_parameters(
        index in 0usize..400, value in any::<u8>(), which in 0usize..9
    ) {
        let (name, _) = OPENSSL_NAMES[which];
        let mut der = own(&format!("ecparams/{name}.der"));
        let i = index % der.len();
        der[i] = value;
        let _ = match_explicit_parameters(&der);
    }
}
