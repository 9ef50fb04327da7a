#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! End to end: Chip Authentication and Active Authentication between
//! `icao9303::reader` and the virtual chip, and a cloned chip caught.

use icao9303::apdu::{AID_LDS1, CommandApdu};
use icao9303::ca;
use icao9303::kdf::KeyKind;
use icao9303::lds::{DataGroup, Dg14, FileKind};
use icao9303::pace::{DomainParameters, PaceErrorKind};
use icao9303::reader::AuthProtocol;
use icao9303::reader::{self, Credential, Document, ReaderOptions};
use icao9303::sm::SecureMessaging;
use icao9303::transport::exchange;
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
    read_on(data, ChipConfig::SHORT, ca, aa)
}

fn read_on(data: ChipData, config: ChipConfig, ca: bool, aa: bool) -> (Document, VirtualChip) {
    let key = data.access_key.clone();
    let mut chip = VirtualChip::new(data, config, SimRng::from_seed_u64(1));
    let options = ReaderOptions::default()
        .with_chip_authentication(ca)
        .with_active_authentication(aa);
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
        (DomainParameters::Secp192r1, KeyKind::Aes128),
        (DomainParameters::BrainpoolP192r1, KeyKind::Tdes),
    ] {
        let (doc, chip) = read(
            build(5, Some((params, cipher)), Some(ActiveAuthKind::EcdsaP256)),
            true,
            true,
        );
        let ca = doc.chip_authentication.unwrap();
        assert!(ca.passed, "{params:?} {cipher:?}: {}", ca.detail);
        assert_eq!(ca.protocol, AuthProtocol::ChipAuthentication);
        assert!(ca.key.is_passed() && ca.proof.is_passed() && ca.error.is_none());
        assert!(chip.chip_authenticated());
        let aa = doc.active_authentication.unwrap();
        assert!(aa.passed, "{}", aa.detail);
        assert_eq!(aa.protocol, AuthProtocol::ActiveAuthentication);
        assert!(aa.key.is_passed() && aa.proof.is_passed() && aa.error.is_none());
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
    // Structured: the key was usable, the proof failed, the error kept.
    assert!(ca.key.is_passed());
    assert!(ca.proof.is_failed());
    assert_eq!(ca.proof.code, "bad-proof");
    assert!(
        matches!(ca.error, Some(icao9303::Error::SecureMessaging(_))),
        "{:?}",
        ca.error
    );
    let (doc, _) = read(clone, false, true);
    let aa = doc.active_authentication.unwrap();
    assert!(!aa.passed);
    assert_eq!(
        aa.detail,
        "active authentication: the signature does not verify: ECDSA"
    );
    assert!(aa.key.is_passed());
    assert_eq!(aa.proof.code, "bad-proof");
    assert!(
        matches!(
            aa.error,
            Some(icao9303::Error::ActiveAuthentication(
                icao9303::aa::AaErrorKind::BadSignature(_)
            ))
        ),
        "{:?}",
        aa.error
    );
}

#[test]
fn chip_authentication_with_dh() {
    for (params, cipher, config) in [
        (DomainParameters::Modp1024, KeyKind::Tdes, ChipConfig::SHORT),
        (
            DomainParameters::Modp1024,
            KeyKind::Aes128,
            ChipConfig::SHORT,
        ),
        // A 2048-bit public value needs extended-length commands.
        (
            DomainParameters::Modp2048q224,
            KeyKind::Aes192,
            ChipConfig::extended(65_538),
        ),
        (
            DomainParameters::Modp2048q256,
            KeyKind::Tdes,
            ChipConfig::extended(65_538),
        ),
        (
            DomainParameters::Modp2048q256,
            KeyKind::Aes256,
            ChipConfig::extended(65_538),
        ),
    ] {
        let data = build(9, Some((params, cipher)), None);
        // DG14 holds an id-PK-DH key the reader's plan reads back.
        let dg14 = Dg14::parse(data.file(FileKind::Dg(DataGroup::Dg14)).unwrap()).unwrap();
        let plan = ca::plan(&dg14).unwrap();
        assert_eq!(plan.parameters, params);
        assert_eq!(plan.cipher, cipher);
        assert_eq!(plan.protocol[..9], [4, 0, 0x7F, 0, 7, 2, 2, 3, 1]);
        assert_eq!(
            plan.chip_public_key,
            data.chip_auth.as_ref().unwrap().public
        );
        let (doc, chip) = read_on(data, config, true, false);
        let outcome = doc.chip_authentication.unwrap();
        assert!(outcome.passed, "{params:?} {cipher:?}: {}", outcome.detail);
        assert_eq!(
            outcome.detail,
            format!("DH on {params:?}, session switched to {cipher:?}")
        );
        assert!(chip.chip_authenticated());
        let expected = if cipher == KeyKind::Tdes { 2 } else { 3 };
        assert_eq!(doc.stats.authentication.apdus, expected);
        assert_eq!(doc.stats.total.apdus, chip.stats().apdus);
    }
}

/// BAC on the chip, then DG14's plan.
fn bac_session(data: &ChipData) -> (VirtualChip, SecureMessaging, ca::CaPlan) {
    let key = data.access_key.clone();
    let dg14 = Dg14::parse(data.file(FileKind::Dg(DataGroup::Dg14)).unwrap()).unwrap();
    let plan = ca::plan(&dg14).unwrap();
    let mut chip = VirtualChip::new(data.clone(), ChipConfig::SHORT, SimRng::from_seed_u64(1));
    exchange(&mut chip, &CommandApdu::select_aid(&AID_LDS1)).unwrap();
    let sm = icao9303::bac::authenticate(&mut chip, &key, &mut SimRng::from_seed_u64(3)).unwrap();
    (chip, sm, plan)
}

#[test]
fn chip_authentication_with_dh_refuses_a_wrong_key() {
    let genuine = build(
        10,
        Some((DomainParameters::Modp1024, KeyKind::Aes128)),
        None,
    );
    let read_com = CommandApdu::read_binary_sfi(0x1E, 0, 4).unwrap();

    // The genuine chip: the new session reads.
    let (mut chip, mut sm, plan) = bac_session(&genuine);
    let mut next =
        ca::authenticate(&mut chip, &mut sm, &plan, &mut SimRng::from_seed_u64(4)).unwrap();
    let com = next.transmit(&mut chip, &read_com).unwrap();
    assert_eq!(com.data[0], 0x60);

    // A tampered public key in the plan (one bit of y flipped): refused
    // before anything is sent (not in the subgroup of order q).
    for bit in [0usize, 7, 500, 1023] {
        let (mut chip, mut sm, mut plan) = bac_session(&genuine);
        plan.chip_public_key[bit / 8] ^= 1 << (bit % 8);
        let before = chip.stats().apdus;
        let e =
            ca::authenticate(&mut chip, &mut sm, &plan, &mut SimRng::from_seed_u64(4)).unwrap_err();
        assert_eq!(
            e,
            icao9303::Error::Pace(PaceErrorKind::InvalidPoint),
            "bit {bit}"
        );
        assert_eq!(chip.stats().apdus, before);
        assert!(!chip.chip_authenticated());
    }
    // y = 1 and y = p - 1 are refused too.
    let (mut chip, mut sm, mut plan) = bac_session(&genuine);
    plan.chip_public_key = vec![0; 128];
    plan.chip_public_key[127] = 1;
    assert_eq!(
        ca::authenticate(&mut chip, &mut sm, &plan, &mut SimRng::from_seed_u64(4)).unwrap_err(),
        icao9303::Error::Pace(PaceErrorKind::InvalidPoint)
    );

    // A clone (same files, another private key): the key agreement "works"
    // but the first answer under the new keys is refused, no data returned.
    let mut clone = build(
        11,
        Some((DomainParameters::Modp1024, KeyKind::Aes128)),
        None,
    );
    clone.files = genuine.files.clone();
    let (mut chip, mut sm, plan) = bac_session(&clone);
    let mut next =
        ca::authenticate(&mut chip, &mut sm, &plan, &mut SimRng::from_seed_u64(4)).unwrap();
    let e = next.transmit(&mut chip, &read_com).unwrap_err();
    assert!(matches!(e, icao9303::Error::SecureMessaging(_)), "{e:?}");
    // Through the reader: the outcome fails, the chip is not authenticated.
    let (doc, chip) = read(clone, true, false);
    let outcome = doc.chip_authentication.unwrap();
    assert!(!outcome.passed);
    assert!(outcome.detail.contains("6988"), "{}", outcome.detail);
    assert!(!chip.chip_authenticated());
}

#[test]
fn dh_keys_of_other_groups_are_not_used() {
    let data = build(
        12,
        Some((DomainParameters::Modp1024, KeyKind::Aes128)),
        None,
    );
    let dg14 = data.file(FileKind::Dg(DataGroup::Dg14)).unwrap();
    // The last byte of p in the dhpublicnumber parameters: p is now another
    // number, no RFC 5114 group.
    let p = DomainParameters::Modp1024.dh_group().unwrap().p;
    let at = dg14
        .windows(p.len())
        .position(|w| w == p.as_slice())
        .unwrap()
        + p.len()
        - 1;
    let mut bad = dg14.to_vec();
    bad[at] ^= 2;
    let parsed = Dg14::parse(&bad).unwrap();
    assert_eq!(
        ca::plan(&parsed).unwrap_err(),
        icao9303::Error::ChipAuthentication(ca::CaErrorKind::NoKey {
            what: "an ECDH key on a standardized curve or a DH key of an RFC 5114 group"
        })
    );
}

#[test]
fn chip_and_active_authentication_are_on_by_default_and_can_be_opted_out_of() {
    let data = build(
        9,
        Some((DomainParameters::Secp256r1, KeyKind::Aes128)),
        Some(ActiveAuthKind::EcdsaP256),
    );
    let read_with = |options: ReaderOptions| {
        let mut chip = VirtualChip::new(data.clone(), ChipConfig::SHORT, SimRng::from_seed_u64(1));
        let doc = reader::read_document(
            &mut chip,
            &Credential::Mrz(data.access_key.clone()),
            options,
            &mut SimRng::from_seed_u64(2),
            &mut |_, _, _| {},
        )
        .unwrap();
        (doc, chip.chip_authenticated())
    };
    let (doc, switched) = read_with(ReaderOptions::default());
    assert!(doc.chip_authentication.unwrap().passed);
    assert!(doc.active_authentication.unwrap().passed);
    assert!(switched);
    assert_eq!(doc.stats.authentication.apdus, 4);
    let (doc, switched) = read_with(
        ReaderOptions::default()
            .with_chip_authentication(false)
            .with_active_authentication(false),
    );
    assert_eq!(doc.chip_authentication, None);
    assert_eq!(doc.active_authentication, None);
    assert!(!switched);
    assert_eq!(doc.stats.authentication.apdus, 0);
}
