#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! End to end: PACE with Chip Authentication Mapping between
//! `icao9303::reader` and the virtual chip: EF.CardSecurity read in the
//! master file, the chip's authentication data checked against its key,
//! and the clones (a copied EF.CardSecurity, a tampered DO'8A) refused.

use icao9303::apdu::{AID_LDS1, CommandApdu, StatusWord};
use icao9303::kdf::KeyKind;
use icao9303::lds::{CardAccess, CardSecurity, DataGroup, FileKind, SecurityInfo};
use icao9303::pace::{DomainParameters, Mapping, PaceProtocol, PasswordKind};
use icao9303::reader::{
    self, AccessControl, Credential, Document, ReaderErrorKind, ReaderOptions, max_chunk,
};
use icao9303::transport::exchange;
use icao9303_sim::pki::TestPki;
use icao9303_sim::{ChipConfig, ChipData, PaceOffer, Personalisation, SimRng, VirtualChip};

const CAN: &str = "123456";

fn pki() -> TestPki {
    TestPki::generate(&mut SimRng::from_seed_u64(100), "VN").unwrap()
}

fn cam_chip(seed: u64, offers: &[PaceOffer]) -> ChipData {
    let mut p = Personalisation::cccd("001099012345", "990315", "240315")
        .unwrap()
        .with_can(CAN);
    for offer in offers {
        p = p.with_pace(*offer);
    }
    p.build(&mut SimRng::from_seed_u64(seed), &pki()).unwrap()
}

fn options() -> ReaderOptions {
    // Chip Authentication asked for (the default): CAM must stand in for
    // it. Active Authentication off: these tests count CAM's APDUs
    // against Chip Authentication's.
    ReaderOptions::default().with_active_authentication(false)
}

fn read(chip: &mut VirtualChip, credential: &Credential) -> Result<Document, icao9303::Error> {
    reader::read_document(
        chip,
        credential,
        options(),
        &mut SimRng::from_seed_u64(7),
        &mut |_, _, _| {},
    )
}

/// The CAM key EF.CardSecurity lists on `parameters`, as the reader
/// takes it.
fn listed_key(card_security: &[u8], parameters: DomainParameters) -> Vec<u8> {
    let cs = CardSecurity::parse(card_security).unwrap();
    let keys: Vec<Vec<u8>> = cs
        .security_infos
        .infos
        .iter()
        .filter_map(|info| match info {
            SecurityInfo::ChipAuthenticationPublicKey {
                protocol,
                public_key,
                ..
            } => icao9303::ca::usable_key(protocol, public_key)
                .filter(|(p, _)| *p == parameters)
                .map(|(_, k)| k),
            _ => None,
        })
        .collect();
    assert_eq!(keys.len(), 1);
    keys[0].clone()
}

#[test]
fn pace_cam_reads_and_authenticates_the_chip() {
    for (parameters, cipher, config, credential) in [
        (
            DomainParameters::Secp256r1,
            KeyKind::Aes128,
            ChipConfig::SHORT,
            Credential::can(CAN),
        ),
        (
            DomainParameters::Secp256r1,
            KeyKind::Aes256,
            ChipConfig::default(),
            Credential::can(CAN),
        ),
        (
            DomainParameters::BrainpoolP256r1,
            KeyKind::Aes128,
            ChipConfig::SHORT,
            Credential::can(CAN),
        ),
        (
            DomainParameters::BrainpoolP256r1,
            KeyKind::Aes256,
            ChipConfig::default(),
            Credential::can(CAN),
        ),
        (
            DomainParameters::Secp384r1,
            KeyKind::Aes128,
            ChipConfig::default(),
            Credential::can(CAN),
        ),
        (
            DomainParameters::Secp384r1,
            KeyKind::Aes256,
            ChipConfig::SHORT,
            Credential::Mrz(cam_chip(5, &[]).access_key),
        ),
    ] {
        let case = format!("{parameters:?} {cipher:?} ext={}", config.extended_length);
        let data = cam_chip(
            5,
            &[PaceOffer::chip_authentication_mapping(parameters, cipher)],
        );
        let mut chip = VirtualChip::new(data.clone(), config, SimRng::from_seed_u64(1));
        let doc = read(&mut chip, &credential).unwrap();
        let password = match credential {
            Credential::Can(_) => PasswordKind::Can,
            Credential::Mrz(_) => PasswordKind::Mrz,
            other => panic!("no PACE password for {other:?}"),
        };
        assert_eq!(
            doc.access_control,
            AccessControl::Pace {
                protocol: PaceProtocol {
                    agreement: parameters.agreement(),
                    mapping: Mapping::ChipAuthentication,
                    cipher,
                },
                parameters,
                password,
            },
            "{case}"
        );
        let ca = doc.chip_authentication.clone().unwrap();
        assert!(ca.passed, "{case}: {}", ca.detail);
        assert_eq!(ca.protocol, icao9303::reader::AuthProtocol::PaceCam);
        assert!(ca.key.is_passed() && ca.proof.is_passed() && ca.error.is_none());
        assert!(
            ca.detail.starts_with("PACE-CAM on "),
            "{case}: {}",
            ca.detail
        );
        // CAM replaced Chip Authentication v1: the session keys are PACE's.
        assert!(!chip.chip_authenticated(), "{case}");

        // EF.CardSecurity read, kept raw, the chip's, listing its CAM key.
        let cs = doc.card_security.as_deref().unwrap();
        assert_eq!(Some(cs), data.card_security.as_deref(), "{case}");
        let cam_key = data
            .cam_keys
            .iter()
            .find(|k| k.parameters == parameters)
            .unwrap();
        assert_eq!(listed_key(cs, parameters), cam_key.public, "{case}");
        // On the CA key's curve (P-256), the CAM key is DG14's CA key.
        let ca_key = data.chip_auth.as_ref().unwrap();
        assert_eq!(
            cam_key.public == ca_key.public,
            parameters == ca_key.parameters,
            "{case}"
        );
        // EF.CardSecurity repeats EF.CardAccess's PACEInfo.
        let parsed = CardSecurity::parse(cs).unwrap();
        assert_eq!(parsed.security_infos.pace().count(), 1);

        // The LDS1 files are the chip's: EF.SOD's SFI 1D is not
        // EF.CardSecurity's once the application is selected.
        let kinds: Vec<FileKind> = doc.files.iter().map(|f| f.0).collect();
        let expected: Vec<FileKind> = [FileKind::Com, FileKind::Sod]
            .into_iter()
            .chain(
                [
                    DataGroup::Dg1,
                    DataGroup::Dg13,
                    DataGroup::Dg2,
                    DataGroup::Dg14,
                    DataGroup::Dg15,
                ]
                .map(FileKind::Dg),
            )
            .collect();
        assert_eq!(kinds, expected, "{case}");
        for (kind, bytes) in &doc.files {
            assert_eq!(Some(bytes.as_slice()), data.file(*kind), "{case} {kind}");
        }

        // APDUs: probe, MSE:Set AT, four GENERAL AUTHENTICATE, SELECT; then
        // one READ BINARY per chunk of each file, EF.CardSecurity first,
        // and nothing for Chip Authentication.
        let chunk = max_chunk(&config.link(), Some(16));
        assert_eq!(doc.stats.chunk, chunk, "{case}");
        assert_eq!(doc.stats.open.apdus, 7, "{case}");
        assert_eq!(doc.stats.files[0].file, "EF.CardSecurity");
        assert_eq!(doc.stats.files[0].size, cs.len());
        let mut total = 7;
        for (f, (_, bytes)) in doc.stats.files.iter().skip(1).zip(&doc.files) {
            assert_eq!(f.size, bytes.len(), "{case}");
        }
        for f in &doc.stats.files {
            let min = f.size.div_ceil(chunk) as u64;
            assert_eq!(f.counts.apdus, min, "{case} {}", f.file);
            total += min;
        }
        assert_eq!(doc.stats.authentication.apdus, 0, "{case}");
        assert_eq!(doc.stats.total.apdus, total, "{case}");
        assert_eq!(doc.stats.total.apdus, chip.stats().apdus, "{case}");
        assert_eq!(doc.stats.total.bytes_sent, chip.stats().bytes_to_chip);
        assert_eq!(doc.stats.total.bytes_received, chip.stats().bytes_from_chip);
    }
}

#[test]
fn pace_cam_costs_only_ef_card_security_over_generic_mapping() {
    // Same chip content, GM vs CAM on P-256, extended length: CAM adds
    // the EF.CardSecurity read (one APDU) and saves Chip Authentication
    // v1 (MSE:Set AT, GENERAL AUTHENTICATE, SELECT).
    let params = DomainParameters::Secp256r1;
    let gm = cam_chip(5, &[PaceOffer::generic(params, KeyKind::Aes128)]);
    let cam = cam_chip(
        5,
        &[PaceOffer::chip_authentication_mapping(
            params,
            KeyKind::Aes128,
        )],
    );
    assert_eq!(gm.card_security, None);
    let mut gm_chip = VirtualChip::new(gm, ChipConfig::default(), SimRng::from_seed_u64(1));
    let gm_doc = read(&mut gm_chip, &Credential::can(CAN)).unwrap();
    assert!(gm_chip.chip_authenticated());
    assert_eq!(gm_doc.card_security, None);
    let mut cam_chip_ = VirtualChip::new(cam, ChipConfig::default(), SimRng::from_seed_u64(1));
    let cam_doc = read(&mut cam_chip_, &Credential::can(CAN)).unwrap();
    assert_eq!(gm_doc.stats.authentication.apdus, 3);
    assert_eq!(cam_doc.stats.total.apdus + 3, gm_doc.stats.total.apdus + 1);
}

#[test]
fn two_cam_curves_take_the_key_of_the_pace_curve() {
    // Two CAM offers: EF.CardSecurity lists two keys with key ids (the
    // parameter IDs); the reader runs the first offer and takes its key.
    let data = cam_chip(
        9,
        &[
            PaceOffer::chip_authentication_mapping(
                DomainParameters::BrainpoolP256r1,
                KeyKind::Aes128,
            ),
            PaceOffer::chip_authentication_mapping(DomainParameters::Secp384r1, KeyKind::Aes256),
        ],
    );
    assert_eq!(data.cam_keys.len(), 2);
    let cs = CardSecurity::parse(data.card_security.as_deref().unwrap()).unwrap();
    let ids: Vec<Option<u64>> = cs
        .security_infos
        .infos
        .iter()
        .filter_map(|i| match i {
            SecurityInfo::ChipAuthenticationPublicKey { key_id, .. } => Some(*key_id),
            _ => None,
        })
        .collect();
    assert_eq!(ids, vec![Some(13), Some(15)]);
    let mut chip = VirtualChip::new(data, ChipConfig::default(), SimRng::from_seed_u64(1));
    let doc = read(&mut chip, &Credential::can(CAN)).unwrap();
    let ca = doc.chip_authentication.unwrap();
    assert!(ca.passed);
    assert!(ca.detail.contains("BrainpoolP256r1"), "{}", ca.detail);
}

fn assert_cam_error(r: Result<Document, icao9303::Error>, needle: &str) {
    match r {
        Err(icao9303::Error::Reader(ReaderErrorKind::ChipAuthenticationMapping { failure })) => {
            let detail = failure.to_string();
            assert!(detail.contains(needle), "{detail}");
        }
        Err(e) => panic!("expected the CAM error, got {e:?}"),
        Ok(doc) => panic!(
            "expected the CAM error, the read passed: {:?}",
            doc.chip_authentication
        ),
    }
}

#[test]
fn a_copied_ef_card_security_is_a_clone() {
    // The clone carries a genuine, DS-signed EF.CardSecurity (another
    // chip's), but computes CA_IC with its own key.
    for params in [
        DomainParameters::Secp256r1,
        DomainParameters::BrainpoolP256r1,
    ] {
        let offer = PaceOffer::chip_authentication_mapping(params, KeyKind::Aes128);
        let genuine = cam_chip(5, &[offer]);
        let mut clone = cam_chip(6, &[offer]);
        assert_ne!(clone.card_security, genuine.card_security);
        clone.card_security = genuine.card_security.clone();
        let mut chip = VirtualChip::new(clone, ChipConfig::default(), SimRng::from_seed_u64(1));
        assert_cam_error(
            read(&mut chip, &Credential::can(CAN)),
            "does not match EF.CardSecurity's key",
        );
        // The same chip with its own EF.CardSecurity passes.
        let mut own = VirtualChip::new(
            cam_chip(6, &[offer]),
            ChipConfig::default(),
            SimRng::from_seed_u64(1),
        );
        assert!(read(&mut own, &Credential::can(CAN)).is_ok());
    }
}

#[test]
fn ef_card_security_without_the_pace_curve_is_refused() {
    // EF.CardSecurity of a chip whose CAM key is on another curve: no key
    // to check CA_IC against.
    let mut data = cam_chip(
        5,
        &[PaceOffer::chip_authentication_mapping(
            DomainParameters::Secp256r1,
            KeyKind::Aes128,
        )],
    );
    let other = cam_chip(
        5,
        &[PaceOffer::chip_authentication_mapping(
            DomainParameters::Secp384r1,
            KeyKind::Aes128,
        )],
    );
    data.card_security = other.card_security;
    let mut chip = VirtualChip::new(
        data.clone(),
        ChipConfig::default(),
        SimRng::from_seed_u64(1),
    );
    assert_cam_error(
        read(&mut chip, &Credential::can(CAN)),
        "no Chip Authentication key on Secp256r1",
    );
    // Garbage in EF.CardSecurity.
    data.card_security = Some(vec![0x30, 0x03, 0x02, 0x01, 0x00]);
    let mut chip = VirtualChip::new(
        data.clone(),
        ChipConfig::default(),
        SimRng::from_seed_u64(1),
    );
    assert_cam_error(read(&mut chip, &Credential::can(CAN)), "EF.CardSecurity:");
    // No EF.CardSecurity at all.
    data.card_security = None;
    let mut chip = VirtualChip::new(data, ChipConfig::default(), SimRng::from_seed_u64(1));
    assert_cam_error(
        read(&mut chip, &Credential::can(CAN)),
        "no readable EF.CardSecurity",
    );
}

#[test]
fn a_flipped_bit_in_do_8a_is_refused() {
    // The last GENERAL AUTHENTICATE answers 7C L 86 08 <token> 8A 30
    // <A_IC: 48 bytes for P-256> 90 00; it is the sixth APDU (after the
    // probe, MSE:Set AT and three GENERAL AUTHENTICATE).
    let data = cam_chip(
        5,
        &[PaceOffer::chip_authentication_mapping(
            DomainParameters::Secp256r1,
            KeyKind::Aes128,
        )],
    );
    let key = data.access_key.clone();
    for (index, needle) in [
        // First cryptogram byte: CA_IC decrypts, but wrong.
        (14, "does not match EF.CardSecurity's key"),
        // Last cryptogram byte: the padding breaks.
        (14 + 47, "does not decrypt"),
    ] {
        for credential in [Credential::can(CAN), Credential::Mrz(key.clone())] {
            let mut chip = VirtualChip::new(
                data.clone(),
                ChipConfig::default(),
                SimRng::from_seed_u64(1),
            );
            chip.tamper_response(5, index);
            // With the MRZ, BAC would be possible: CAM's failure must not
            // fall back to it.
            assert_cam_error(read(&mut chip, &credential), needle);
            assert!(chip.tampered());
        }
    }
    // The same chip untouched passes.
    let mut chip = VirtualChip::new(data, ChipConfig::default(), SimRng::from_seed_u64(1));
    assert!(read(&mut chip, &Credential::can(CAN)).is_ok());
}

#[test]
fn ef_card_security_is_refused_before_pace() {
    let data = cam_chip(
        5,
        &[PaceOffer::chip_authentication_mapping(
            DomainParameters::Secp256r1,
            KeyKind::Aes128,
        )],
    );
    let key = data.access_key.clone();
    let mut chip = VirtualChip::new(data, ChipConfig::default(), SimRng::from_seed_u64(1));
    // By short file identifier in the master file.
    let r = exchange(
        &mut chip,
        &CommandApdu::read_binary_sfi(0x1D, 0, 256).unwrap(),
    )
    .unwrap();
    assert_eq!(r.sw, StatusWord::SECURITY_STATUS_NOT_SATISFIED);
    assert!(r.data.is_empty());
    // Selected by file identifier, then read.
    let r = exchange(&mut chip, &CommandApdu::select_file(0x011D)).unwrap();
    assert_eq!(r.sw, StatusWord::SUCCESS);
    let r = exchange(&mut chip, &CommandApdu::read_binary(0, 256).unwrap()).unwrap();
    assert_eq!(r.sw, StatusWord::SECURITY_STATUS_NOT_SATISFIED);
    // EF.CardAccess stays readable (shorter than asked: 6282).
    let r = exchange(
        &mut chip,
        &CommandApdu::read_binary_sfi(0x1C, 0, 256).unwrap(),
    )
    .unwrap();
    assert_eq!(r.sw, StatusWord::END_OF_FILE);
    assert_eq!(Some(r.data.as_slice()), chip.data().card_access.as_deref());
    // BAC is not PACE: still refused under BAC's secure messaging.
    let mut sm =
        icao9303::bac::authenticate(&mut chip, &key, &mut SimRng::from_seed_u64(3)).unwrap();
    let r = sm
        .transmit(
            &mut chip,
            &CommandApdu::read_binary_sfi(0x1D, 0, 200).unwrap(),
        )
        .unwrap();
    assert_eq!(r.sw, StatusWord::SECURITY_STATUS_NOT_SATISFIED);
    // In the LDS1 application, 011D is EF.SOD.
    let r = sm
        .transmit(&mut chip, &CommandApdu::select_aid(&AID_LDS1))
        .unwrap();
    assert_eq!(r.sw, StatusWord::SUCCESS);
    let r = sm
        .transmit(
            &mut chip,
            &CommandApdu::read_binary_sfi(0x1D, 0, 4).unwrap(),
        )
        .unwrap();
    assert_eq!(r.sw, StatusWord::SUCCESS);
    assert_eq!(r.data[0], 0x77);
}

#[test]
fn cam_with_dh_or_3des_is_refused_at_build() {
    for offer in [
        PaceOffer::chip_authentication_mapping(DomainParameters::Modp2048q256, KeyKind::Aes128),
        PaceOffer::chip_authentication_mapping(DomainParameters::Secp256r1, KeyKind::Tdes),
    ] {
        let r = Personalisation::cccd("001099012345", "990315", "240315")
            .unwrap()
            .with_pace(offer)
            .build(&mut SimRng::from_seed_u64(5), &pki());
        match r {
            Err(icao9303_sim::Error::Profile(msg)) => {
                assert!(msg.contains("Chip Authentication Mapping"), "{msg}")
            }
            other => panic!("{offer:?}: expected a refusal, got {other:?}"),
        }
    }
}

#[test]
fn ef_card_security_passes_passive_authentication() {
    use icao9303::pa::{self, Certificate, TrustStore, VerifyOptions};
    let pki = pki();
    let mut store = TrustStore::new();
    store.add_certificate(Certificate::from_der(pki.csca_certificate()).unwrap());
    let options = VerifyOptions::at(pa::DateTime::new(2026, 1, 1, 0, 0, 0).unwrap());
    let data = cam_chip(
        5,
        &[PaceOffer::chip_authentication_mapping(
            DomainParameters::Secp384r1,
            KeyKind::Aes256,
        )],
    );
    let cs = data.card_security.clone().unwrap();
    let v = pa::verify_card_security(&cs, &store, &options);
    assert!(v.valid, "{v:?}");
    assert!(v.is_valid());
    assert!(
        v.card_security.reason.contains("3 SecurityInfos"),
        "{}",
        v.card_security.reason
    );
    assert!(v.document_signer.is_some());
    assert_eq!(v.chain_certificates.len(), 1);

    // A byte of the CAM public key changed: the message digest breaks.
    let key = &data.cam_keys[0].public;
    let at = cs
        .windows(key.len())
        .position(|w| w == key.as_slice())
        .unwrap();
    let mut forged = cs.clone();
    forged[at + 10] ^= 0x01;
    let v = pa::verify_card_security(&forged, &store, &options);
    assert!(!v.valid);
    assert!(v.signed_attributes.is_failed(), "{v:?}");

    // Another State's CSCA: no chain.
    let other = TestPki::generate(&mut SimRng::from_seed_u64(999), "UT").unwrap();
    let mut wrong = TrustStore::new();
    wrong.add_certificate(Certificate::from_der(other.csca_certificate()).unwrap());
    let v = pa::verify_card_security(&cs, &wrong, &options);
    assert!(!v.valid);
    assert!(v.signature.is_passed());
    assert!(!v.chain.is_passed(), "{v:?}");

    // EF.SOD's SignedData is not EF.CardSecurity's content type.
    let sod = data.file(FileKind::Sod).unwrap();
    let inner = icao9303::tlv::Tlv::parse(sod).unwrap().value().to_vec();
    let v = pa::verify_card_security(&inner, &store, &options);
    assert!(!v.valid);
    assert_eq!(v.card_security.code, "wrong-content-type");
    // Garbage.
    let v = pa::verify_card_security(&[0x30, 0x00], &store, &options);
    assert!(!v.valid);
    assert_eq!(v.card_security.code, "malformed");
}

// EF.CardAccess against the signed EF.CardSecurity (Doc 9303 Part 11
// §9.2: EF.CardSecurity holds the SecurityInfos of EF.CardAccess).

/// A CCCD chip with `offers`, serving `card_access` as EF.CardAccess
/// (the attack hook) when given.
fn chip_with_card_access(
    seed: u64,
    offers: &[PaceOffer],
    card_access: Option<Vec<u8>>,
) -> ChipData {
    let mut p = Personalisation::cccd("001099012345", "990315", "240315")
        .unwrap()
        .with_can(CAN);
    for offer in offers {
        p = p.with_pace(*offer);
    }
    if let Some(bytes) = card_access {
        p = p.with_card_access_override(bytes);
    }
    p.build(&mut SimRng::from_seed_u64(seed), &pki()).unwrap()
}

/// EF.CardAccess: a SET of these SecurityInfo encodings.
fn card_access_of(infos: &[&[u8]]) -> Vec<u8> {
    icao9303::tlv::encode(icao9303::tlv::Tag::new(0x31), &infos.concat())
}

fn assert_mismatch(r: Result<Document, icao9303::Error>, needle: &str) -> String {
    match r {
        Err(icao9303::Error::Reader(ReaderErrorKind::CardAccessMismatch { mismatch })) => {
            // Typed: the SecurityInfos missing, the used PACEInfo first.
            if let icao9303::reader::AccessMismatch::Missing { missing, total } = &mismatch {
                assert!(
                    !missing.is_empty() && missing.len() <= *total,
                    "{mismatch:?}"
                );
                let used = missing.iter().filter(|m| m.used).count();
                assert!(used <= 1 && (used == 0 || missing[0].used), "{mismatch:?}");
            }
            let detail = mismatch.to_string();
            assert!(detail.contains(needle), "{detail}");
            assert!(detail.ends_with("EF.CardAccess was altered"), "{detail}");
            detail
        }
        Err(e) => panic!("expected CardAccessMismatch, got {e:?}"),
        Ok(doc) => panic!(
            "expected CardAccessMismatch, the read passed: {:?}",
            doc.chip_authentication
        ),
    }
}

fn cam_p256() -> PaceOffer {
    PaceOffer::chip_authentication_mapping(DomainParameters::Secp256r1, KeyKind::Aes128)
}

#[test]
fn a_genuine_ef_card_access_is_found_in_ef_card_security() {
    let bp_gm = PaceOffer::generic(DomainParameters::BrainpoolP256r1, KeyKind::Aes128);
    let p384_cam =
        PaceOffer::chip_authentication_mapping(DomainParameters::Secp384r1, KeyKind::Aes256);
    for offers in [
        vec![cam_p256()],
        vec![cam_p256(), bp_gm],
        vec![cam_p256(), p384_cam, bp_gm],
    ] {
        let data = cam_chip(5, &offers);
        let ca = CardAccess::parse(data.card_access.as_deref().unwrap()).unwrap();
        // Every PACEInfo of EF.CardAccess is also in EF.CardSecurity.
        let cs = CardSecurity::parse(data.card_security.as_deref().unwrap()).unwrap();
        let signed = cs.security_info_encodings().unwrap();
        let access = ca.security_info_encodings().unwrap();
        assert_eq!(access.len(), offers.len());
        assert!(access.iter().all(|e| signed.contains(e)));
        for credential in [
            Credential::can(CAN),
            Credential::Mrz(data.access_key.clone()),
        ] {
            let mut chip = VirtualChip::new(
                data.clone(),
                ChipConfig::default(),
                SimRng::from_seed_u64(1),
            );
            let doc = read(&mut chip, &credential).unwrap();
            assert!(doc.card_access_verified, "{offers:?}");
            assert_eq!(doc.card_access, data.card_access);
            let outcome = doc.chip_authentication.unwrap();
            assert!(outcome.passed);
            assert!(
                outcome.detail.ends_with(&format!(
                    "; EF.CardAccess's {} SecurityInfos are all in EF.CardSecurity",
                    offers.len()
                )),
                "{}",
                outcome.detail
            );
        }
    }
}

#[test]
fn an_extra_pace_info_absent_from_ef_card_security_is_refused() {
    let cam = cam_p256();
    let extra = PaceOffer::generic(DomainParameters::Secp384r1, KeyKind::Aes256);
    let genuine = cam_chip(5, &[cam]);
    // The extra PACEInfo after the one the reader takes: PACE-CAM runs and
    // passes, then EF.CardSecurity does not list it.
    let forged = card_access_of(&[&cam.pace_info(), &extra.pace_info()]);
    let data = chip_with_card_access(5, &[cam], Some(forged.clone()));
    assert_eq!(data.card_access.as_deref(), Some(forged.as_slice()));
    // Only EF.CardAccess differs from the genuine chip's.
    assert_eq!(data.card_security, genuine.card_security);
    assert_eq!(data.files, genuine.files);
    for credential in [
        Credential::can(CAN),
        Credential::Mrz(data.access_key.clone()),
    ] {
        let mut chip = VirtualChip::new(
            data.clone(),
            ChipConfig::default(),
            SimRng::from_seed_u64(1),
        );
        let detail = assert_mismatch(
            read(&mut chip, &credential),
            "PACEInfo (#2: 0.4.0.127.0.7.2.2.4.2.4, parameter 15) not among \
             EF.CardSecurity's signed SecurityInfos (1 of EF.CardAccess's 2)",
        );
        assert!(!detail.contains("used for PACE"), "{detail}");
        // PACE-CAM ran (the mismatch is found after it, in the master file).
        assert_eq!(chip.access(), icao9303_sim::Access::Pace);
    }
    // Another kind of SecurityInfo added (TerminalAuthenticationInfo
    // `{ id-TA, 2 }`) is refused the same way.
    let ta: [u8; 15] = [
        0x30, 0x0D, 0x06, 0x08, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x02, 0x02, 0x01, 0x02,
    ];
    let data = chip_with_card_access(5, &[cam], Some(card_access_of(&[&cam.pace_info(), &ta])));
    let mut chip = VirtualChip::new(data, ChipConfig::default(), SimRng::from_seed_u64(1));
    assert_mismatch(
        read(&mut chip, &Credential::can(CAN)),
        "SecurityInfo #2 (0.4.0.127.0.7.2.2.2) not among",
    );
    // The genuine chip passes.
    let mut chip = VirtualChip::new(genuine, ChipConfig::default(), SimRng::from_seed_u64(1));
    assert!(
        read(&mut chip, &Credential::can(CAN))
            .unwrap()
            .card_access_verified
    );
}

#[test]
fn a_pace_info_one_byte_off_is_refused() {
    let cam = cam_p256();
    let gm = PaceOffer::generic(DomainParameters::BrainpoolP256r1, KeyKind::Aes128);
    let genuine = cam_chip(5, &[cam, gm]);
    let cam_info = cam.pace_info();
    let gm_info = gm.pace_info();
    // The PACEInfo ends `02 01 02` (version 2) `02 01 <parameter id>`,
    // after its OID whose last arc is the cipher.
    let last = gm_info.len() - 1;
    assert_eq!(gm_info[last], DomainParameters::BrainpoolP256r1.id());
    let cipher_at = last - 6;
    assert_eq!(gm_info[cipher_at], 2);
    let version_at = last - 3;
    assert_eq!(cam_info[version_at], 2);
    let one_byte_off = |info: &[u8], at: usize, value: u8| {
        let mut v = info.to_vec();
        v[at] = value;
        v
    };
    for (access, needle) in [
        // The second PACEInfo's parameter id: brainpoolP256r1 (13) to P-256 (12).
        (
            card_access_of(&[&cam_info, &one_byte_off(&gm_info, last, 12)]),
            "PACEInfo (#2: 0.4.0.127.0.7.2.2.4.2.2, parameter 12) not among",
        ),
        // Its cipher OID: AES-128 to AES-256.
        (
            card_access_of(&[&cam_info, &one_byte_off(&gm_info, cipher_at, 4)]),
            "PACEInfo (#2: 0.4.0.127.0.7.2.2.4.2.4, parameter 13) not among",
        ),
        // The PACEInfo PACE ran with: its version (the chip and the reader
        // ignore it, so PACE-CAM passes).
        (
            card_access_of(&[&one_byte_off(&cam_info, version_at, 1), &gm_info]),
            "the PACEInfo used for PACE (#1: 0.4.0.127.0.7.2.2.4.6.2, parameter 12) not among",
        ),
    ] {
        let data = chip_with_card_access(5, &[cam, gm], Some(access));
        assert_eq!(data.card_security, genuine.card_security);
        let mut chip = VirtualChip::new(data, ChipConfig::default(), SimRng::from_seed_u64(1));
        assert_mismatch(read(&mut chip, &Credential::can(CAN)), needle);
    }
    // The PACEInfo PACE would run with, changed to a variant the chip does
    // not have (P-256 to brainpoolP256r1): the chip refuses MSE:Set AT, so
    // PACE fails before EF.CardSecurity; never a successful read.
    let data = chip_with_card_access(
        5,
        &[cam, gm],
        Some(card_access_of(&[
            &one_byte_off(&cam_info, last, 13),
            &gm_info,
        ])),
    );
    let mut chip = VirtualChip::new(data, ChipConfig::default(), SimRng::from_seed_u64(1));
    let r = read(&mut chip, &Credential::can(CAN));
    assert!(r.is_err(), "{:?}", r.map(|d| d.access_control));
    assert_ne!(chip.access(), icao9303_sim::Access::Pace);
    // The genuine chip passes, both PACEInfos found.
    let mut chip = VirtualChip::new(genuine, ChipConfig::default(), SimRng::from_seed_u64(1));
    let doc = read(&mut chip, &Credential::can(CAN)).unwrap();
    assert!(doc.card_access_verified);
    assert!(
        doc.chip_authentication
            .unwrap()
            .detail
            .ends_with("EF.CardAccess's 2 SecurityInfos are all in EF.CardSecurity")
    );
}

#[test]
fn reads_without_cam_do_not_check_ef_card_access() {
    // GM and IM have no EF.CardSecurity to check against: the read and its
    // APDUs are as before, and the document says nothing was checked (an
    // extra PACEInfo after the one taken goes unnoticed there).
    for offer in [
        PaceOffer::generic(DomainParameters::Secp256r1, KeyKind::Aes128),
        PaceOffer::integrated(DomainParameters::BrainpoolP256r1, KeyKind::Aes128),
    ] {
        let genuine = cam_chip(5, &[offer]);
        assert_eq!(genuine.card_security, None);
        let mut chip = VirtualChip::new(
            genuine.clone(),
            ChipConfig::default(),
            SimRng::from_seed_u64(1),
        );
        let doc = read(&mut chip, &Credential::can(CAN)).unwrap();
        assert!(!doc.card_access_verified, "{offer:?}");
        assert_eq!(doc.card_security, None);
        assert_eq!(doc.stats.total.apdus, chip.stats().apdus);
        // Probe, MSE:Set AT, four GENERAL AUTHENTICATE, SELECT.
        assert_eq!(doc.stats.open.apdus, 7, "{offer:?}");

        let extra = PaceOffer::generic(DomainParameters::Secp384r1, KeyKind::Aes256);
        let forged = chip_with_card_access(
            5,
            &[offer],
            Some(card_access_of(&[&offer.pace_info(), &extra.pace_info()])),
        );
        let mut chip = VirtualChip::new(forged, ChipConfig::default(), SimRng::from_seed_u64(1));
        let forged_doc = read(&mut chip, &Credential::can(CAN)).unwrap();
        assert!(!forged_doc.card_access_verified);
        assert_eq!(forged_doc.files, doc.files);
        assert_eq!(
            forged_doc.stats.total.apdus, doc.stats.total.apdus,
            "{offer:?}"
        );
    }
    // BAC: nothing checked either.
    let bac = cam_chip(5, &[]);
    assert_eq!(bac.card_access, None);
    let key = bac.access_key.clone();
    let mut chip = VirtualChip::new(bac, ChipConfig::default(), SimRng::from_seed_u64(1));
    let doc = read(&mut chip, &Credential::Mrz(key)).unwrap();
    assert_eq!(doc.access_control, AccessControl::Bac);
    assert!(!doc.card_access_verified);
}
