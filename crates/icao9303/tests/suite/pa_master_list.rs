//! The German and Dutch CSCA master lists of `../shared/testdata/gmrtd`
//! (counts and facts from its README), their signers' chains to the roots,
//! and the Vietnamese CSCA they carry.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use icao9303::pa::{Certificate, MasterList, Status, TrustStore};

use crate::common::testdata;

fn at(y: u16, m: u8, d: u8) -> der::DateTime {
    der::DateTime::new(y, m, d, 12, 0, 0).unwrap()
}

fn store_of(der: &[u8]) -> TrustStore {
    let mut s = TrustStore::new();
    assert!(s.add_certificate(Certificate::from_der(der).unwrap()));
    s
}

/// README: VN CSCA SHA-256, serial, subject.
const VN_SHA256: &str = "6b5fa6fe45cc4e855a73760413e08b7a9ac50a27722c702f3909a90facc991bd";

fn check_vietnam(list: &MasterList) {
    let vn = list.by_country("VN");
    assert_eq!(vn.len(), 1);
    let vn = vn[0];
    let info = vn.info();
    assert_eq!(info.sha256, VN_SHA256);
    assert_eq!(info.serial_number, "506f1357a3a196c24dc32cf464140cae");
    assert_eq!(
        info.subject,
        "CN=CSCA ePassport Vietnam,O=Vietnam Government Information Security Commission,C=VN"
    );
    assert_eq!(info.public_key, "ec-brainpoolP512r1 (explicit parameters)");
    assert_eq!(info.not_before, "2022-06-29T01:37:07Z");
    assert_eq!(info.not_after, "2037-10-01T01:37:06Z");
    assert!(vn.is_self_issued());
    vn.verify_signed_by(vn).unwrap();
    assert_eq!(vn.signature_scheme(), "ecdsa(sha-512)");
    // Same bytes as the extracted copy.
    assert_eq!(
        vn.der(),
        testdata!("gmrtd/extracted/VN_CSCA_ePassport_506F1357.cer").as_slice()
    );
}

#[test]
fn german_master_list() {
    let bytes = testdata!("gmrtd/master_list/DE_ML_2026-05-28-08-28-45.ml");
    let list = MasterList::parse(&bytes).unwrap();
    assert_eq!(list.version, 0);
    assert_eq!(list.len(), 588);
    let undecodable: Vec<_> = list
        .entries
        .iter()
        .filter_map(|e| e.error.clone())
        .collect();
    assert_eq!(undecodable, Vec::<String>::new());
    // README: 509 with subject = issuer (names compared as text), 79 not.
    let same_text = list
        .certificates()
        .filter(|c| c.subject() == c.issuer())
        .count();
    assert_eq!(same_text, 509);
    assert_eq!(list.len() - same_text, 79);
    // Name matching for chains ignores ASCII case (RFC 5280 caseIgnoreMatch
    // on PrintableString): two more CSCAs are self-issued, whose issuer
    // writes the country in lower case (`CN=CSCA Romania,O=DGP,C=ro`,
    // `...CN=CSCA-Slovenia...,C=si`).
    let self_issued = list.certificates().filter(|c| c.is_self_issued()).count();
    assert_eq!(self_issued, 511);
    let counts = list.count_by_country();
    assert_eq!(counts.len(), 112);
    assert_eq!(counts.get("VN"), Some(&1));
    assert_eq!(counts.values().sum::<usize>(), 588);
    check_vietnam(&list);

    // The list's own signature: SHA-256, ecdsa-with-SHA256, signer with
    // explicit parameters = brainpoolP256r1 (README).
    assert_eq!(list.signature.status, Status::Passed, "{}", list.signature);
    assert_eq!(list.signed_attributes.status, Status::Passed);
    let signer = list.signer.as_ref().unwrap();
    assert_eq!(
        signer.subject(),
        "CN=CSCA Master List Signer,SERIALNUMBER=0039,OU=bsi,O=bund,C=DE"
    );
    assert_eq!(signer.serial_number(), "04d5");
    assert_eq!(
        signer.public_key_description(),
        "ec-brainpoolP256r1 (explicit parameters)"
    );
    assert_eq!(list.embedded_certificates.len(), 2);

    // Its signer chains to the German root (explicit brainpoolP512r1,
    // ecdsa-with-SHA512), valid 2024-10-01 to 2039-01-01.
    let root = testdata!("gmrtd/master_list/DE_ROOT_CA_CSCA07.cer");
    let roots = store_of(&root);
    let root_cert = &roots.certificates()[0];
    assert_eq!(
        root_cert.public_key_description(),
        "ec-brainpoolP512r1 (explicit parameters)"
    );
    root_cert.verify_signed_by(root_cert).unwrap();
    let check = list.verify_signer(&roots, at(2026, 6, 1));
    assert_eq!(check.status, Status::Passed, "{check}");
    // The signer (valid 2024-10-17 to 2028-10-17) is checked at the list's
    // signingTime, 2026-05-28 06:28:45 UTC (README), whatever `now` is.
    assert_eq!(
        list.signing_time,
        Some(der::DateTime::new(2026, 5, 28, 6, 28, 45).unwrap())
    );
    let late = list.verify_signer(&roots, at(2029, 1, 1));
    assert_eq!(late.status, Status::Passed, "{late}");
    assert!(
        late.reason.contains("valid at 2026-05-28T06:28:45Z"),
        "{late}"
    );
    // The Dutch root is not its issuer.
    let nl = store_of(&testdata!("gmrtd/master_list/NL_ROOT_CA.cer"));
    let other = list.verify_signer(&nl, at(2026, 6, 1));
    assert_eq!(other.status, Status::NotChecked);
    assert_eq!(other.code, "unknown-csca");

    // Into a trust store, after its root: the signer is checked.
    let mut store = store_of(&root);
    let load = store.add_master_list(&list, "DE", at(2026, 6, 1)).unwrap();
    assert_eq!(load.signer_chain.status, Status::Passed);
    assert_eq!(load.certificates, 588);
    // The root is also in the list: 587 new.
    assert_eq!(load.added, 587);
    assert_eq!(store.len(), 588);
    // Without a root: loaded, the signer reported as not checked.
    let mut bare = TrustStore::new();
    let load = bare.add_bytes(&bytes, "DE", at(2026, 6, 1)).unwrap();
    assert_eq!(load.master_lists[0].signer_chain.status, Status::NotChecked);
    assert_eq!(load.master_lists[0].signer_chain.code, "no-root");
    assert_eq!(load.certificates_added, 588);
}

#[test]
fn dutch_master_list() {
    let bytes = testdata!("gmrtd/master_list/NL_ML_2026-07-22.ml");
    let list = MasterList::parse(&bytes).unwrap();
    assert_eq!(list.len(), 411);
    assert_eq!(list.certificates().count(), 411);
    assert_eq!(
        list.certificates().filter(|c| c.is_self_issued()).count(),
        411
    );
    let counts = list.count_by_country();
    assert_eq!(counts.len(), 129);
    assert_eq!(counts.get("VN"), Some(&1));
    check_vietnam(&list);
    assert_eq!(list.signature.status, Status::Passed, "{}", list.signature);
    let signer = list.signer.as_ref().unwrap();
    assert_eq!(signer.serial_number(), "69005e1c");
    assert_eq!(signer.public_key_description(), "rsa-4096");
    assert_eq!(list.embedded_certificates.len(), 1);
    // README: signingTime 2026-07-23 09:35:43 UTC.
    assert_eq!(
        list.signing_time,
        Some(der::DateTime::new(2026, 7, 23, 9, 35, 43).unwrap())
    );
    let roots = store_of(&testdata!("gmrtd/master_list/NL_ROOT_CA.cer"));
    let check = list.verify_signer(&roots, at(2026, 8, 1));
    assert_eq!(check.status, Status::Passed, "{check}");
}

#[test]
fn tampered_master_list_is_refused() {
    let mut bytes = testdata!("gmrtd/master_list/NL_ML_2026-07-22.ml");
    // A byte in the middle of certList (inside the signed content).
    let i = bytes.len() / 2;
    bytes[i] ^= 0x01;
    match MasterList::parse(&bytes) {
        Ok(list) => {
            assert!(!list.is_signature_valid());
            assert_eq!(list.signed_attributes.code, "message-digest-mismatch");
            let mut store = TrustStore::new();
            let e = store
                .add_master_list(&list, "NL", at(2026, 8, 1))
                .unwrap_err();
            assert!(e.to_string().contains("signature does not verify"), "{e}");
            assert!(store.is_empty());
        }
        // The flipped byte may also break a certificate's DER.
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}
