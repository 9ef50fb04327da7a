#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! End to end: Chip Authentication and Active Authentication between
//! `icao9303::reader` and the virtual chip, and a cloned chip caught.

use icao9303::kdf::KeyKind;
use icao9303::pace::DomainParameters;
use icao9303::reader::{self, Credential, Document, ReaderOptions};
use icao9303_sim::pki::TestPki;
use icao9303_sim::{ActiveAuthKind, ChipConfig, ChipData, Personalisation, SimRng, VirtualChip};

fn build(
    seed: u64,
    ca: Option<(DomainParameters, KeyKind)>,
    aa: Option<ActiveAuthKind>,
) -> ChipData {
    let pki = TestPki::generate(&mut SimRng::from_seed_u64(100), "VN").unwrap();
    Personalisation::cccd("001099012345", "990315", "240315")
        .unwrap()
        .with_chip_authentication(ca)
        .with_active_authentication(aa)
        .build(&mut SimRng::from_seed_u64(seed), &pki)
        .unwrap()
}

fn read(data: ChipData, ca: bool, aa: bool) -> (Document, VirtualChip) {
    let key = data.access_key.clone();
    let mut chip = VirtualChip::new(data, ChipConfig::SHORT, SimRng::from_seed_u64(1));
    let options = ReaderOptions {
        chip_authentication: ca,
        active_authentication: aa,
        ..ReaderOptions::default()
    };
    let doc = reader::read_document(
        &mut chip,
        &Credential::Mrz(key),
        options,
        &mut SimRng::from_seed_u64(2),
        &mut |_, _, _| {},
    )
    .unwrap();
    (doc, chip)
}

#[test]
fn chip_and_active_authentication_pass() {
    for (params, cipher) in [
        (DomainParameters::Secp256r1, KeyKind::Aes128),
        (DomainParameters::Secp256r1, KeyKind::Tdes),
        (DomainParameters::BrainpoolP256r1, KeyKind::Aes256),
        (DomainParameters::Secp384r1, KeyKind::Aes192),
    ] {
        let (doc, chip) = read(
            build(5, Some((params, cipher)), Some(ActiveAuthKind::EcdsaP256)),
            true,
            true,
        );
        let ca = doc.chip_authentication.unwrap();
        assert!(ca.passed, "{params:?} {cipher:?}: {}", ca.detail);
        assert!(chip.chip_authenticated());
        let aa = doc.active_authentication.unwrap();
        assert!(aa.passed, "{}", aa.detail);
        // 3DES: MSE:Set KAT; AES: MSE:Set AT + GENERAL AUTHENTICATE; then
        // the SELECT under the new keys and INTERNAL AUTHENTICATE.
        let expected = if cipher == KeyKind::Tdes { 3 } else { 4 };
        assert_eq!(doc.stats.authentication.apdus, expected);
        assert_eq!(doc.stats.total.apdus, chip.stats().apdus);
    }
}

#[test]
fn rsa_active_authentication() {
    let (doc, _) = read(build(6, None, Some(ActiveAuthKind::Rsa(1024))), true, true);
    // No CA key in DG14 (DG14 absent): no CA outcome.
    assert_eq!(doc.chip_authentication, None);
    let aa = doc.active_authentication.unwrap();
    assert!(aa.passed, "{}", aa.detail);
}

#[test]
fn a_clone_fails_both() {
    let genuine = build(
        7,
        Some((DomainParameters::Secp256r1, KeyKind::Aes128)),
        Some(ActiveAuthKind::EcdsaP256),
    );
    // Same files (DG14, DG15, a valid EF.SOD), other private keys.
    let mut clone = build(
        8,
        Some((DomainParameters::Secp256r1, KeyKind::Aes128)),
        Some(ActiveAuthKind::EcdsaP256),
    );
    clone.files = genuine.files.clone();
    let (doc, _) = read(clone.clone(), true, false);
    let ca = doc.chip_authentication.unwrap();
    assert!(!ca.passed);
    // The clone derives other keys: it cannot unwrap the next command and
    // answers 6988 in the clear.
    assert_eq!(
        ca.detail,
        "secure messaging: unprotected response 6988 (incorrect secure messaging data objects)"
    );
    let (doc, _) = read(clone, false, true);
    let aa = doc.active_authentication.unwrap();
    assert!(!aa.passed);
    assert_eq!(
        aa.detail,
        "active authentication: the signature does not verify: ECDSA"
    );
}
