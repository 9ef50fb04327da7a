//! Passive authentication on the documents `testdata/pa/make.sh` made with
//! OpenSSL: every positive case valid, every negative case invalid with
//! the check that must fail. All certificates are valid on 2026-06-01
//! (the dates are fixed in make.sh); the CRL lists the revoked DS only.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use icao9303::lds::DataGroup;
use icao9303::pa::{self, Crl, Status, TrustStore, Verdict, VerifyOptions};

use crate::common::{pa_cert as cert, pa_file as file};

fn now() -> der::DateTime {
    der::DateTime::new(2026, 6, 1, 0, 0, 0).unwrap()
}

/// The two Utopia CSCAs and the RSA CSCA's CRL.
fn store() -> TrustStore {
    let mut s = TrustStore::new();
    s.add_certificate(cert("csca-rsa.der"));
    s.add_certificate(cert("csca-ec.der"));
    s.add_crl(Crl::from_der(&file("crl-rsa.der")).unwrap());
    s
}

const DGS: [(DataGroup, &str); 6] = [
    (DataGroup::Dg1, "dg1.bin"),
    (DataGroup::Dg2, "dg2.bin"),
    (DataGroup::Dg11, "dg11.bin"),
    (DataGroup::Dg13, "dg13.bin"),
    (DataGroup::Dg14, "dg14.bin"),
    (DataGroup::Dg15, "dg15.bin"),
];

fn dgs() -> Vec<(DataGroup, Vec<u8>)> {
    DGS.iter().map(|(d, f)| (*d, file(f))).collect()
}

fn run_with(
    sod: &str,
    dgs: &[(DataGroup, Vec<u8>)],
    store: &TrustStore,
    o: &VerifyOptions,
) -> Verdict {
    let borrowed: Vec<(DataGroup, &[u8])> = dgs.iter().map(|(d, b)| (*d, b.as_slice())).collect();
    pa::verify(&file(sod), &borrowed, store, o)
}

fn run(sod: &str) -> Verdict {
    run_with(sod, &dgs(), &store(), &VerifyOptions::at(now()))
}

fn failures(v: &Verdict) -> Vec<(String, Status, String)> {
    v.failures()
        .into_iter()
        .map(|(n, c)| (n, c.status, c.code.clone()))
        .collect()
}

fn assert_valid(v: &Verdict) {
    assert!(v.is_valid(), "{}", v.summary());
    assert!(v.valid);
    assert_eq!(v.summary(), "valid");
    assert_eq!(v.data_groups.len(), 6);
}

// --- positive cases ----------------------------------------------------------

#[test]
fn every_signature_scheme_and_curve_verifies() {
    // (file, signature algorithm as verified, DS public key)
    let cases = [
        ("sod-rsa.bin", "rsa-pkcs1-v1.5(sha-256)", "rsa-2048"),
        (
            "sod-rsa-pss.bin",
            "rsassa-pss(sha-256, mgf1-sha-256, salt 32)",
            "rsa-2048",
        ),
        // Only the hash is written; MGF1-SHA-1 and salt 20 are the defaults.
        (
            "sod-rsa-pss-mgf1sha1.bin",
            "rsassa-pss(sha-384, mgf1-sha-1, salt 20)",
            "rsa-2048",
        ),
        ("sod-p224.bin", "ecdsa(sha-224)", "ec-P-224"),
        ("sod-p256.bin", "ecdsa(sha-256)", "ec-P-256"),
        ("sod-p384.bin", "ecdsa(sha-384)", "ec-P-384"),
        ("sod-p521.bin", "ecdsa(sha-512)", "ec-P-521"),
        ("sod-bp224.bin", "ecdsa(sha-1)", "ec-brainpoolP224r1"),
        ("sod-bp256.bin", "ecdsa(sha-256)", "ec-brainpoolP256r1"),
        ("sod-bp320.bin", "ecdsa(sha-384)", "ec-brainpoolP320r1"),
        ("sod-bp384.bin", "ecdsa(sha-512)", "ec-brainpoolP384r1"),
        (
            "sod-bp512.bin",
            "ecdsa(sha-512)",
            "ec-brainpoolP512r1 (explicit parameters)",
        ),
        ("sod-p256-sha512.bin", "ecdsa(sha-512)", "ec-P-256"),
    ];
    for (sod, scheme, key) in cases {
        let v = run(sod);
        assert_valid(&v);
        assert_eq!(v.signature_algorithm.as_deref(), Some(scheme), "{sod}");
        assert_eq!(v.document_signer.as_ref().unwrap().public_key, key, "{sod}");
        assert_eq!(v.signed_attributes.status, Status::Passed, "{sod}");
        assert_eq!(v.chain_certificates.len(), 1, "{sod}");
    }
}

#[test]
fn chain_reports_its_anchor_and_the_crl() {
    let v = run("sod-rsa.bin");
    assert_valid(&v);
    assert_eq!(
        v.chain_certificates[0].subject,
        "CN=CSCA Utopia RSA,O=Utopia,C=UT"
    );
    assert_eq!(v.revocation.status, Status::Passed, "{}", v.revocation);
    assert_eq!(v.validity.status, Status::Passed);
    assert_eq!(v.checked_at, "2026-06-01T00:00:00Z");
    // The EC CSCA has no CRL: not checked, and still valid.
    let v = run("sod-bp512.bin");
    assert_eq!(v.revocation.status, Status::NotChecked);
    assert_eq!(v.revocation.code, "no-crl");
    assert_eq!(
        v.chain_certificates[0].public_key,
        "ec-brainpoolP512r1 (explicit parameters)"
    );
    assert_valid(&v);
}

#[test]
fn without_signed_attributes() {
    let v = run("sod-rsa-noattr.bin");
    assert_valid(&v);
    assert_eq!(v.signed_attributes.status, Status::NotApplicable);
    assert_eq!(v.signed_attributes.code, "absent");
}

#[test]
fn document_signer_supplied_apart() {
    let mut o = VerifyOptions::at(now());
    let v = run_with("sod-rsa-nocerts.bin", &dgs(), &store(), &o);
    assert_eq!(v.signature.status, Status::NotChecked);
    assert_eq!(v.signature.code, "no-signer-certificate");
    assert_eq!(v.chain.code, "no-signer-certificate");
    assert!(!v.is_valid());
    o.document_signers.push(cert("ds-rsa.der"));
    let v = run_with("sod-rsa-nocerts.bin", &dgs(), &store(), &o);
    assert_valid(&v);
}

#[test]
fn link_certificate_is_followed() {
    // The DS is signed by the new CSCA's key; the store holds the old CSCA
    // and the link certificate (new key, signed by the old one).
    let mut s = TrustStore::new();
    s.add_certificate(cert("csca-rsa.der"));
    s.add_certificate(cert("link-rsa.der"));
    let v = run_with("sod-rsa-link.bin", &dgs(), &s, &VerifyOptions::at(now()));
    assert_valid(&v);
    let path: Vec<&str> = v
        .chain_certificates
        .iter()
        .map(|c| c.subject.as_str())
        .collect();
    assert_eq!(
        path,
        vec![
            "CN=CSCA Utopia RSA 2,O=Utopia,C=UT",
            "CN=CSCA Utopia RSA,O=Utopia,C=UT"
        ]
    );
    // The new CSCA's self-signed certificate alone works too.
    let mut s = TrustStore::new();
    s.add_certificate(cert("csca-new.der"));
    let v = run_with("sod-rsa-link.bin", &dgs(), &s, &VerifyOptions::at(now()));
    assert_valid(&v);
    // The old CSCA alone is not the issuer.
    let mut s = TrustStore::new();
    s.add_certificate(cert("csca-rsa.der"));
    let v = run_with("sod-rsa-link.bin", &dgs(), &s, &VerifyOptions::at(now()));
    assert_eq!(v.chain.code, "unknown-csca");
}

#[test]
fn optional_data_group_may_be_missing() {
    let mut o = VerifyOptions::at(now());
    o.optional_data_groups.push(DataGroup::Dg15);
    let five: Vec<_> = dgs()
        .into_iter()
        .filter(|(d, _)| *d != DataGroup::Dg15)
        .collect();
    let v = run_with("sod-rsa.bin", &five, &store(), &o);
    assert!(v.is_valid(), "{}", v.summary());
    assert_eq!(v.missing_data_groups, vec![15]);
    assert_eq!(
        v.data_groups.last().unwrap().check.code,
        "optional-not-supplied"
    );
}

#[test]
fn trust_store_from_pem_bundle_and_directory() {
    let mut s = TrustStore::new();
    let r = s.add_bytes(&file("csca-utopia.pem"), "pem", now()).unwrap();
    assert_eq!(r.certificates_added, 2);
    assert_eq!(s.len(), 2);
    assert_valid(&run_with(
        "sod-bp256.bin",
        &dgs(),
        &s,
        &VerifyOptions::at(now()),
    ));
    // The directory: 5 certificates (4 CSCAs, the link, the DS; the PEM
    // bundle repeats two), one CRL, the data files skipped.
    let mut d = TrustStore::new();
    let dir = format!("{}/testdata/pa", env!("CARGO_MANIFEST_DIR"));
    let r = d.load_path(std::path::Path::new(&dir), now()).unwrap();
    assert_eq!(r.certificates_added, 6);
    assert_eq!(r.crls_added, 1);
    assert!(r.master_lists.is_empty());
    assert!(!r.skipped.is_empty());
}

// --- negative cases ----------------------------------------------------------

#[test]
fn tampered_data_group() {
    let mut d = dgs();
    d[0].1 = file("dg1-tampered.bin");
    let v = run_with("sod-rsa.bin", &d, &store(), &VerifyOptions::at(now()));
    assert_eq!(
        failures(&v),
        vec![("dg1".into(), Status::Failed, "hash-mismatch".into())]
    );
    assert!(!v.is_valid());
}

#[test]
fn flipped_signature_byte() {
    let v = run("sod-bad-signature.bin");
    assert_eq!(
        failures(&v),
        vec![("signature".into(), Status::Failed, "bad-signature".into())]
    );
}

#[test]
fn wrong_message_digest() {
    // The LDSSecurityObject was swapped for one holding the tampered DG1's
    // hash: DG1 then matches it, but the signed message-digest does not.
    let mut d = dgs();
    d[0].1 = file("dg1-tampered.bin");
    let v = run_with(
        "sod-wrong-digest.bin",
        &d,
        &store(),
        &VerifyOptions::at(now()),
    );
    assert_eq!(
        failures(&v),
        vec![(
            "signed_attributes".into(),
            Status::Failed,
            "message-digest-mismatch".into()
        )]
    );
    assert_eq!(v.signature.status, Status::Passed);
}

#[test]
fn unknown_csca() {
    let mut s = TrustStore::new();
    s.add_certificate(cert("csca-other.der"));
    let v = run_with("sod-rsa.bin", &dgs(), &s, &VerifyOptions::at(now()));
    assert_eq!(
        failures(&v),
        vec![("chain".into(), Status::NotChecked, "unknown-csca".into())]
    );
    assert!(!v.is_valid());
}

#[test]
fn forged_ds_under_a_csca_of_the_same_name() {
    let v = run("sod-forged-ds.bin");
    assert_eq!(
        failures(&v),
        vec![(
            "chain".into(),
            Status::Failed,
            "bad-certificate-signature".into()
        )]
    );
}

#[test]
fn expired_ds() {
    let v = run("sod-expired-ds.bin");
    assert_eq!(
        failures(&v),
        vec![("validity".into(), Status::Failed, "expired".into())]
    );
    assert!(
        v.validity
            .reason
            .contains("expired at 2021-01-01T00:00:00Z"),
        "{}",
        v.validity
    );
}

#[test]
fn ds_without_digital_signature_usage() {
    let v = run("sod-wrong-key-usage.bin");
    assert_eq!(
        failures(&v),
        vec![("chain".into(), Status::Failed, "key-usage".into())]
    );
}

#[test]
fn missing_data_group() {
    let five: Vec<_> = dgs()
        .into_iter()
        .filter(|(d, _)| *d != DataGroup::Dg15)
        .collect();
    let v = run_with("sod-rsa.bin", &five, &store(), &VerifyOptions::at(now()));
    assert_eq!(
        failures(&v),
        vec![("dg15".into(), Status::NotChecked, "not-supplied".into())]
    );
    assert_eq!(v.missing_data_groups, vec![15]);
    assert!(v.unlisted_data_groups.is_empty());
}

#[test]
fn extra_data_group() {
    let mut d = dgs();
    d.push((DataGroup::Dg3, file("dg3.bin")));
    let v = run_with("sod-rsa.bin", &d, &store(), &VerifyOptions::at(now()));
    assert_eq!(
        failures(&v),
        vec![("dg3".into(), Status::Failed, "not-listed".into())]
    );
    assert_eq!(v.unlisted_data_groups, vec![3]);
    assert!(v.missing_data_groups.is_empty());
}

/// An EF.SOD-level failure: `sod` fails, everything after it is not
/// checked (`sod-invalid`), no data group is checked.
fn assert_sod_failed(v: &Verdict, code: &str) {
    let f = failures(v);
    assert_eq!(
        f[0],
        ("sod".into(), Status::Failed, code.into()),
        "{}",
        v.summary()
    );
    for (name, status, c) in &f[1..] {
        assert_eq!(
            (*status, c.as_str()),
            (Status::NotChecked, "sod-invalid"),
            "{name}"
        );
    }
    assert!(v.data_groups.is_empty());
    assert!(!v.is_valid());
}

#[test]
fn wrong_econtent_type() {
    let v = run("sod-wrong-content-type.bin");
    assert_sod_failed(&v, "wrong-content-type");
    assert!(v.sod.reason.contains("1.2.840.113549.1.7.1"), "{}", v.sod);
}

#[test]
fn truncated_sod() {
    let v = run("sod-truncated.bin");
    assert_sod_failed(&v, "malformed");
}

#[test]
fn revoked_ds() {
    let v = run("sod-revoked-ds.bin");
    assert_eq!(
        failures(&v),
        vec![("revocation".into(), Status::Failed, "revoked".into())]
    );
    assert!(
        v.revocation.reason.contains("revoked on"),
        "{}",
        v.revocation
    );
    // Without the CRL it would pass: revocation is only as good as the CRLs.
    let mut s = TrustStore::new();
    s.add_certificate(cert("csca-rsa.der"));
    let v = run_with("sod-revoked-ds.bin", &dgs(), &s, &VerifyOptions::at(now()));
    assert!(v.is_valid(), "{}", v.summary());
}

#[test]
fn garbage_never_panics() {
    let sod = file("sod-rsa.bin");
    let s = store();
    let o = VerifyOptions::at(now());
    for cut in 0..sod.len() {
        let v = pa::verify(&sod[..cut], &[], &s, &o);
        assert!(!v.is_valid());
    }
    for i in (0..sod.len()).step_by(7) {
        let mut b = sod.clone();
        b[i] ^= 0x5A;
        let borrowed: Vec<(DataGroup, Vec<u8>)> = dgs();
        let v = run_with_bytes(&b, &borrowed, &s, &o);
        // Bytes 27..45 are the SignedData's version and digestAlgorithms
        // (`openssl asn1parse -inform DER -in sod-rsa.bin -i`): not signed,
        // not used; any other change must make the document invalid.
        assert!(
            !v.is_valid() || (27..45).contains(&i),
            "byte {i}: {}",
            v.summary()
        );
    }
}

fn run_with_bytes(
    sod: &[u8],
    dgs: &[(DataGroup, Vec<u8>)],
    store: &TrustStore,
    o: &VerifyOptions,
) -> Verdict {
    let borrowed: Vec<(DataGroup, &[u8])> = dgs.iter().map(|(d, b)| (*d, b.as_slice())).collect();
    pa::verify(sod, &borrowed, store, o)
}

#[cfg(feature = "serde")]
#[test]
fn verdict_serialises() {
    let v = run("sod-expired-ds.bin");
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["valid"], false);
    assert_eq!(json["validity"]["status"], "failed");
    assert_eq!(json["validity"]["code"], "expired");
    assert_eq!(json["data_groups"][0]["check"]["status"], "passed");
}

#[test]
fn unknown_explicit_curve_is_refused() {
    let v = run("sod-k1-explicit.bin");
    assert_eq!(
        failures(&v),
        vec![(
            "signature".into(),
            Status::Failed,
            "unsupported-algorithm".into()
        )]
    );
    assert!(
        v.signature
            .reason
            .contains("unknown curve: explicit parameters"),
        "{}",
        v.signature
    );
    let ds = v.document_signer.as_ref().unwrap();
    assert!(
        ds.public_key.starts_with("unusable: unknown curve"),
        "{}",
        ds.public_key
    );
}

#[test]
fn crl_with_a_bad_signature_fails_revocation() {
    let mut crl = file("crl-rsa.der");
    let last = crl.len() - 1;
    crl[last] ^= 0x01;
    let mut s = TrustStore::new();
    s.add_certificate(cert("csca-rsa.der"));
    s.add_crl(Crl::from_der(&crl).unwrap());
    let v = run_with("sod-rsa.bin", &dgs(), &s, &VerifyOptions::at(now()));
    assert_eq!(
        failures(&v),
        vec![(
            "revocation".into(),
            Status::Failed,
            "crl-bad-signature".into()
        )]
    );
}

#[test]
fn ds_with_an_unknown_critical_extension() {
    // RFC 5280 §4.2: a certificate with a critical extension the verifier
    // does not process must be refused.
    let v = run("sod-unknown-critical-extension.bin");
    assert_eq!(
        failures(&v),
        vec![(
            "chain".into(),
            Status::Failed,
            "unknown-critical-extension".into()
        )]
    );
    assert!(
        v.chain.reason.contains("1.3.6.1.4.1.55555.1"),
        "{}",
        v.chain.reason
    );
}

#[test]
#[cfg(feature = "serde")]
fn certificate_names_are_text_when_printed_and_read_back() {
    // The verdict keeps each name's DER and renders it when printed: the
    // JSON has the text, and the report read back from it (a server's
    // stored dossier; a verdict itself does not deserialize) equals the
    // one verified.
    let v = run("sod-rsa.bin");
    let ds = v.document_signer.as_ref().unwrap();
    assert!(ds.subject.der().is_some());
    assert_eq!(ds.issuer, "CN=CSCA Utopia RSA,O=Utopia,C=UT");
    assert_eq!(ds.issuer.to_string(), ds.issuer.as_str());
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(
        json["chain_certificates"][0]["subject"],
        "CN=CSCA Utopia RSA,O=Utopia,C=UT"
    );
    assert_eq!(json["document_signer"]["subject"], ds.subject.as_str());
    let back: pa::VerdictReport = serde_json::from_value(json).unwrap();
    assert_eq!(&back, v.report());
    assert!(back.valid);
    assert!(back.document_signer.unwrap().subject.der().is_none());
    // The passed checks name certificates by serial number (no text).
    let serial = &v.chain_certificates[0].serial_number;
    assert!(v.chain.reason.contains(serial.as_str()), "{}", v.chain);
    assert!(
        v.signature.reason.contains(&ds.serial_number),
        "{}",
        v.signature
    );
}
