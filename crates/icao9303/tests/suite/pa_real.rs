//! Passive authentication on the real public files of `../shared/testdata`
//! (see its README for the source of each file and how its facts were
//! checked: `openssl cms -verify -noverify`, `sha256sum`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use icao9303::lds::DataGroup;
use icao9303::pa::{self, Certificate, Status, TrustStore, VerifyOptions};

use crate::common::testdata;

fn at(y: u16, m: u8, d: u8) -> der::DateTime {
    der::DateTime::new(y, m, d, 12, 0, 0).unwrap()
}

fn dg_numbers(v: &pa::Verdict, status: Status) -> Vec<u64> {
    v.data_groups
        .iter()
        .filter(|d| d.check.status == status)
        .map(|d| d.number)
        .collect()
}

/// jmrtd loes2006: SHA-256, sha256WithRSAEncryption, DG1, DG2, DG15 all
/// matching (README). The CSCA ("CSCA Test", Sdu) is not public: the chain
/// is not checked.
#[test]
fn loes2006_signature_and_hashes() {
    let sod = testdata!("jmrtd/lds/loes2006/ef011D.bin");
    let dg1 = testdata!("jmrtd/lds/loes2006/ef0101.bin");
    let dg2 = testdata!("jmrtd/lds/loes2006/ef0102.bin");
    let dg15 = testdata!("jmrtd/lds/loes2006/ef010F.bin");
    let dgs = [
        (DataGroup::Dg1, dg1.as_slice()),
        (DataGroup::Dg2, dg2.as_slice()),
        (DataGroup::Dg15, dg15.as_slice()),
    ];
    let v = pa::verify(
        &sod,
        &dgs,
        &TrustStore::new(),
        &VerifyOptions::at(at(2008, 1, 1)),
    );
    assert_eq!(v.sod.status, Status::Passed, "{}", v.sod);
    assert_eq!(v.signature.status, Status::Passed, "{}", v.signature);
    assert_eq!(
        v.signed_attributes.status,
        Status::Passed,
        "{}",
        v.signed_attributes
    );
    assert_eq!(
        v.signature_algorithm.as_deref(),
        Some("rsa-pkcs1-v1.5(sha-256)")
    );
    assert_eq!(v.hash_algorithm.as_deref(), Some("sha-256"));
    assert_eq!(dg_numbers(&v, Status::Passed), vec![1, 2, 15]);
    // The DG1 hash the README gives (sha256sum ef0101.bin).
    assert_eq!(
        v.data_groups[0].computed_hash.as_deref(),
        Some("9c2432bc26cf6b250839dedc658f2bf72fa3adad32ec9656395f53c8d7aa13ed")
    );
    let ds = v.document_signer.as_ref().unwrap();
    // RFC 4514 order (last RDN first); the file encodes CN first
    // (`openssl pkcs7 -print_certs` prints `CN = DS Test, ..., C = NL`).
    assert_eq!(
        ds.subject,
        "C=NL,O=Sdu Identification bv,OU=DS Test,CN=DS Test"
    );
    assert_eq!(ds.serial_number, "16");
    assert_eq!(ds.public_key, "rsa-2048");
    // No CSCA: not checked, and so not valid.
    assert_eq!(v.chain.status, Status::NotChecked);
    assert_eq!(v.chain.code, "unknown-csca");
    assert_eq!(v.validity.status, Status::Passed, "{}", v.validity);
    assert_eq!(v.revocation.status, Status::NotChecked);
    assert!(!v.is_valid());
    assert!(!v.valid);
    let failures: Vec<String> = v.failures().into_iter().map(|(n, _)| n).collect();
    assert_eq!(failures, vec!["chain"]);

    // The DS certificate is valid 2006-09-25 to 2011-10-04 (README).
    let late = pa::verify(
        &sod,
        &dgs,
        &TrustStore::new(),
        &VerifyOptions::at(at(2012, 1, 1)),
    );
    assert_eq!(late.validity.status, Status::Failed);
    assert_eq!(late.validity.code, "expired");
}

#[test]
fn loes2006_tampered_dg_and_missing_extra() {
    let sod = testdata!("jmrtd/lds/loes2006/ef011D.bin");
    let mut dg1 = testdata!("jmrtd/lds/loes2006/ef0101.bin");
    dg1[10] ^= 1;
    let dg14 = testdata!("jmrtd/lds/bsi2008/Datagroup14.bin");
    let dgs = [
        (DataGroup::Dg1, dg1.as_slice()),
        (DataGroup::Dg14, dg14.as_slice()),
    ];
    let v = pa::verify(
        &sod,
        &dgs,
        &TrustStore::new(),
        &VerifyOptions::at(at(2008, 1, 1)),
    );
    assert_eq!(v.signature.status, Status::Passed);
    let codes: Vec<(u64, &str)> = v
        .data_groups
        .iter()
        .map(|d| (d.number, d.check.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        vec![
            (1, "hash-mismatch"),
            (2, "not-supplied"),
            (14, "not-listed"),
            (15, "not-supplied")
        ]
    );
    assert_eq!(v.missing_data_groups, vec![2, 15]);
    assert_eq!(v.unlisted_data_groups, vec![14]);
    assert!(!v.is_valid());
}

/// pymrtd's copy of the BSI TR-03105 EF.SOD: RSASSA-PSS (SHA-256,
/// MGF1-SHA-256), hashes for DG1-4 and DG14, all matching (README); DG15
/// is not in it.
#[test]
fn bsi_tr03105_rsa_pss() {
    let sod = testdata!("pymrtd/ef/sod_test_bsi_tr03105_EF_SOD.bin");
    let dg1 = testdata!("pymrtd/ef/sod_test_bsi_tr03105_DG1.bin");
    let dg2 = testdata!("jmrtd/lds/bsi2008/Datagroup2.bin");
    let dg3 = testdata!("jmrtd/lds/bsi2008/Datagroup3.bin");
    let dg4 = testdata!("jmrtd/lds/bsi2008/Datagroup4.bin");
    let dg14 = testdata!("pymrtd/ef/sod_test_bsi_tr03105_DG14.bin");
    let dg15 = testdata!("pymrtd/ef/sod_test_bsi_tr03105_DG15.bin");
    let dsc =
        Certificate::from_der(&testdata!("pymrtd/pki/certs/dsc_de_0142fd5cf927.cer")).unwrap();
    let mut options = VerifyOptions::at(at(2014, 6, 1));
    options.document_signers.push(dsc);
    let mut dgs = vec![
        (DataGroup::Dg1, dg1.as_slice()),
        (DataGroup::Dg2, dg2.as_slice()),
        (DataGroup::Dg3, dg3.as_slice()),
        (DataGroup::Dg4, dg4.as_slice()),
        (DataGroup::Dg14, dg14.as_slice()),
    ];
    let v = pa::verify(&sod, &dgs, &TrustStore::new(), &options);
    assert_eq!(v.signature.status, Status::Passed, "{}", v.signature);
    assert_eq!(
        v.signature_algorithm.as_deref(),
        Some("rsassa-pss(sha-256, mgf1-sha-256, salt 32)")
    );
    assert_eq!(
        v.signed_attributes.status,
        Status::Passed,
        "{}",
        v.signed_attributes
    );
    assert_eq!(dg_numbers(&v, Status::Passed), vec![1, 2, 3, 4, 14]);
    let ds = v.document_signer.as_ref().unwrap();
    // Byte-identical to dsc_de_0142fd5cf927.cer (README: its SHA-256).
    assert_eq!(
        ds.sha256,
        "b87cd47d13b7c3af07f5f14fcb796ae5daa189cc0119d7baa1efe55a3e684035"
    );
    assert_eq!(
        ds.subject,
        "CN=HJP PB DS,OU=Document Signer,O=HJP Consulting,C=DE"
    );
    assert_eq!(v.validity.status, Status::Passed, "{}", v.validity);
    assert_eq!(v.chain.code, "unknown-csca");

    // DG15 is not in this SOD: supplied, it is reported as not listed.
    dgs.push((DataGroup::Dg15, dg15.as_slice()));
    let v = pa::verify(&sod, &dgs, &TrustStore::new(), &options);
    assert_eq!(v.unlisted_data_groups, vec![15]);
    assert_eq!(v.data_groups.last().unwrap().check.code, "not-listed");
}

/// The ETSI TR 103 200 EF.SOD: RSASSA-PSS, six hashes (DG1-4, DG14, DG15)
/// all matching (README). A complete PA case but for the CSCA.
#[test]
fn etsi_tr103200_complete_but_csca() {
    let sod = testdata!("pymrtd/ef/sod_test_etsi_tr103200_EF_SOD.bin");
    let dg1 = testdata!("pymrtd/ef/sod_test_etsi_tr103200_DG1.bin");
    let dg2 = testdata!("jmrtd/lds/bsi2008/Datagroup2.bin");
    let dg3 = testdata!("jmrtd/lds/bsi2008/Datagroup3.bin");
    let dg4 = testdata!("jmrtd/lds/bsi2008/Datagroup4.bin");
    let dg14 = testdata!("pymrtd/ef/sod_test_etsi_tr103200_DG14.bin");
    let dg15 = testdata!("pymrtd/ef/sod_test_etsi_tr103200_DG15.bin");
    let dgs = [
        (DataGroup::Dg1, dg1.as_slice()),
        (DataGroup::Dg2, dg2.as_slice()),
        (DataGroup::Dg3, dg3.as_slice()),
        (DataGroup::Dg4, dg4.as_slice()),
        (DataGroup::Dg14, dg14.as_slice()),
        (DataGroup::Dg15, dg15.as_slice()),
    ];
    let v = pa::verify(
        &sod,
        &dgs,
        &TrustStore::new(),
        &VerifyOptions::at(at(2012, 1, 1)),
    );
    assert_eq!(v.signature.status, Status::Passed, "{}", v.signature);
    assert_eq!(v.signed_attributes.status, Status::Passed);
    assert_eq!(dg_numbers(&v, Status::Passed), vec![1, 2, 3, 4, 14, 15]);
    assert_eq!(v.chain.status, Status::NotChecked);
    assert_eq!(v.chain.code, "unknown-csca");
    assert!(
        v.chain.reason.contains("no CSCA supplied"),
        "{}",
        v.chain.reason
    );
    assert_eq!(
        v.document_signer.as_ref().unwrap().sha256,
        "cc3d7e2287165062432e0e84e1b355f3580b29ec24c42cd1a2fdcc912165c0f7"
    );
    // Only the chain keeps it from being valid.
    let failures: Vec<String> = v.failures().into_iter().map(|(n, _)| n).collect();
    assert_eq!(failures, vec!["chain"]);
    assert!(!v.is_valid());

    // With a CSCA store that does not hold "ETSI CS": still unknown.
    let mut store = TrustStore::new();
    store
        .add_bytes(
            &testdata!("gmrtd/master_list/NL_ROOT_CA.cer"),
            "NL",
            at(2012, 1, 1),
        )
        .unwrap();
    let v = pa::verify(&sod, &dgs, &store, &VerifyOptions::at(at(2012, 1, 1)));
    assert_eq!(v.chain.code, "unknown-csca");
    assert!(
        v.chain.reason.contains("1 certificates"),
        "{}",
        v.chain.reason
    );
}

/// jmrtd bsi2008: ecdsa-with-SHA1, DS key with explicit parameters equal
/// to brainpoolP224r1; SHA-1 hashes of DG1, DG2, DG3, DG14 match (README).
#[test]
fn bsi2008_ecdsa_explicit_brainpool_p224() {
    let sod = testdata!("jmrtd/lds/bsi2008/EF_SOD.bin");
    let dg1 = testdata!("jmrtd/lds/bsi2008/Datagroup1.bin");
    let dg2 = testdata!("jmrtd/lds/bsi2008/Datagroup2.bin");
    let dg3 = testdata!("jmrtd/lds/bsi2008/Datagroup3.bin");
    let dg14 = testdata!("jmrtd/lds/bsi2008/Datagroup14.bin");
    let dgs = [
        (DataGroup::Dg1, dg1.as_slice()),
        (DataGroup::Dg2, dg2.as_slice()),
        (DataGroup::Dg3, dg3.as_slice()),
        (DataGroup::Dg14, dg14.as_slice()),
    ];
    let v = pa::verify(
        &sod,
        &dgs,
        &TrustStore::new(),
        &VerifyOptions::at(at(2008, 6, 1)),
    );
    assert_eq!(v.signature.status, Status::Passed, "{}", v.signature);
    assert_eq!(v.signature_algorithm.as_deref(), Some("ecdsa(sha-1)"));
    assert_eq!(v.hash_algorithm.as_deref(), Some("sha-1"));
    assert_eq!(
        v.document_signer.as_ref().unwrap().public_key,
        "ec-brainpoolP224r1 (explicit parameters)"
    );
    assert_eq!(v.document_signer.as_ref().unwrap().serial_number, "1267");
    assert_eq!(dg_numbers(&v, Status::Passed), vec![1, 2, 3, 14]);
    assert_eq!(v.validity.status, Status::Passed);
    assert_eq!(v.chain.code, "unknown-csca");
}
