//! Passive authentication's errors are typed: a caller matches on the
//! structure, the algorithm, the key and the signature's problem, and
//! follows `source()` down to the decoder's error. The files are those of
//! `testdata/pa` (made with OpenSSL, see its README).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::error::Error as _;

use icao9303::Error;
use icao9303::lds::sod::HashAlgorithm;
use icao9303::pa::{
    Certificate, Crl, CurveProblem, DecodeError, KeyType, MasterList, PaErrorKind, SignatureKind,
    SignatureProblem, SignatureScheme, Structure,
};

use crate::common::{pa_cert as cert, pa_file as file};

fn pa_kind(e: Error) -> PaErrorKind {
    match e {
        Error::Pa(k) => k,
        other => panic!("not a PA error: {other:?}"),
    }
}

#[test]
fn a_truncated_certificate_names_the_structure_and_keeps_the_decoder_error() {
    let mut der = file("csca-rsa.der");
    der.truncate(der.len() / 2);
    let e = Certificate::from_der(&der).unwrap_err();
    let display = e.to_string();
    let kind = pa_kind(e.clone());
    let PaErrorKind::Decode { structure, source } = &kind else {
        panic!("{kind:?}");
    };
    assert_eq!(*structure, Structure::Certificate);
    // The TLV reader's error, with its offset, is the source, all the way
    // down from the crate's Error.
    let DecodeError::Tlv(inner) = source else {
        panic!("{source:?}")
    };
    assert!(matches!(**inner, Error::Tlv { .. }), "{inner:?}");
    let level1 = e.source().unwrap();
    assert_eq!(level1.to_string(), kind.to_string());
    let level2 = level1.source().unwrap();
    assert_eq!(level2.to_string(), inner.to_string());
    assert!(display.starts_with("passive authentication: malformed: certificate: TLV at byte"));
}

#[test]
fn a_wrong_key_type_is_a_key_mismatch_with_both_sides() {
    // csca-rsa is signed with sha256WithRSAEncryption; csca-ec's key is
    // brainpoolP512r1 with explicit parameters.
    let e = cert("csca-rsa.der")
        .verify_signed_by(&cert("csca-ec.der"))
        .unwrap_err();
    assert_eq!(
        pa_kind(e),
        PaErrorKind::KeyMismatch {
            key: KeyType::Ec {
                curve: icao9303::pa::Curve::BrainpoolP512r1,
                explicit: true,
            },
            scheme: SignatureScheme::RsaPkcs1v15 {
                hash: HashAlgorithm::Sha256
            },
        }
    );
}

#[test]
fn a_signature_by_another_key_is_a_mismatch_of_its_scheme() {
    // The link certificate carries the new key and is signed by the old
    // CSCA's: the new CSCA's key (the same as the link's) does not verify it.
    let e = cert("link-rsa.der")
        .verify_signed_by(&cert("csca-new.der"))
        .unwrap_err();
    assert_eq!(
        pa_kind(e),
        PaErrorKind::BadSignature {
            kind: SignatureKind::RsaPkcs1v15,
            problem: SignatureProblem::Mismatch,
        }
    );
    cert("link-rsa.der")
        .verify_signed_by(&cert("csca-rsa.der"))
        .unwrap();
}

#[test]
fn a_certificate_is_not_a_crl() {
    let e = Crl::from_der(&file("csca-rsa.der")).unwrap_err();
    let kind = pa_kind(e);
    assert!(
        matches!(
            kind,
            PaErrorKind::Decode {
                structure: Structure::Crl,
                source: DecodeError::Der(_)
            }
        ),
        "{kind:?}"
    );
    assert!(kind.source().is_some());
}

#[test]
fn an_sod_is_not_a_master_list_and_the_error_says_both_types() {
    // EF.SOD without its 77 wrapper is a ContentInfo whose eContent is an
    // LDSSecurityObject (2.23.136.1.1.1).
    let sod = file("sod-rsa.bin");
    let tlv = icao9303::tlv::Tlv::parse(&sod).unwrap();
    let e = MasterList::parse(tlv.value()).unwrap_err();
    assert_eq!(
        pa_kind(e),
        PaErrorKind::ContentType {
            structure: Structure::CscaMasterList,
            found: icao9303::oid::ID_LDS_SECURITY_OBJECT,
            expected: icao9303::oid::ID_CSCA_MASTER_LIST,
        }
    );
}

#[test]
fn an_unknown_explicit_curve_keeps_the_matcher_error_as_source() {
    // csca-ec.der verifies only with a brainpoolP512r1 key; a CSCA whose
    // explicit parameters equal no known curve cannot verify anything. Its
    // certificate is made here from csca-ec.der by changing a byte of the
    // prime inside the key's parameters.
    let mut der = file("csca-ec.der");
    let prime_start = find(&der, &brainpool_p512_prime_prefix()).unwrap();
    der[prime_start + 20] ^= 0x01;
    let odd = Certificate::from_der(&der).unwrap();
    let e = cert("csca-ec.der").verify_signed_by(&odd).unwrap_err();
    let kind = pa_kind(e);
    let PaErrorKind::UnknownCurve(CurveProblem::Explicit(inner)) = &kind else {
        panic!("{kind:?}");
    };
    assert_eq!(
        kind.source().unwrap().source().unwrap().to_string(),
        inner.to_string()
    );
    assert!(
        kind.to_string()
            .starts_with("unknown curve: explicit parameters")
    );
}

/// The first bytes of brainpoolP512r1's prime (RFC 5639 §3.7).
fn brainpool_p512_prime_prefix() -> Vec<u8> {
    vec![0xAA, 0xDD, 0x9D, 0xB8, 0xDB, 0xE9, 0xC4, 0x8B]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The DS certificate EF.SOD carries.
fn ds_of(sod: &str) -> Vec<u8> {
    let bytes = file(sod);
    let sod = icao9303::lds::Sod::parse(&bytes).unwrap();
    sod.signed.certificates[0].der.clone()
}

#[test]
fn a_csca_key_verifies_alike_before_and_after_its_table() {
    // The CSCA's key builds its fixed-base table on its second use: every
    // DS under the brainpoolP512r1 CSCA verifies the first time and after,
    // and a DS certificate with a changed byte fails after as before.
    let csca = cert("csca-ec.der");
    let sods = [
        "sod-p224.bin",
        "sod-p256.bin",
        "sod-p384.bin",
        "sod-p521.bin",
        "sod-bp224.bin",
        "sod-bp256.bin",
        "sod-bp320.bin",
        "sod-bp384.bin",
        "sod-bp512.bin",
    ];
    for round in 0..2 {
        for sod in sods {
            let der = ds_of(sod);
            Certificate::from_der(&der)
                .unwrap()
                .verify_signed_by(&csca)
                .unwrap_or_else(|e| panic!("round {round}, {sod}: {e}"));
            // A byte of the TBSCertificate (its serial number's last), then
            // the last byte of the signature (s's lowest).
            let serial_at = 15;
            for at in [serial_at, der.len() - 1] {
                let mut bad = der.clone();
                bad[at] ^= 0x01;
                let e = Certificate::from_der(&bad)
                    .unwrap()
                    .verify_signed_by(&csca)
                    .unwrap_err();
                assert!(
                    matches!(
                        pa_kind(e.clone()),
                        PaErrorKind::BadSignature {
                            kind: SignatureKind::Ecdsa(icao9303::pa::Curve::BrainpoolP512r1),
                            ..
                        }
                    ),
                    "round {round}, {sod}, byte {at}: {e}"
                );
            }
        }
    }
}
