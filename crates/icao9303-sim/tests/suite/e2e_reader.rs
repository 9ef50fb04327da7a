#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! End to end: `icao9303::reader` against the virtual chip, over a matrix
//! of access controls, curves, ciphers and chip limits.

use icao9303::apdu::StatusWord;
use icao9303::kdf::KeyKind;
use icao9303::lds::{DataGroup, FileKind};
use icao9303::mrz::MrzKey;
use icao9303::pace::{DomainParameters, PasswordKind};
use icao9303::reader::{
    self, AccessControl, Credential, Document, ReaderErrorKind, ReaderOptions, max_chunk,
};
use icao9303::transport::LinkInfo;
use icao9303_sim::pki::TestPki;
use icao9303_sim::{
    ChipConfig, ChipData, Oversize, PaceOffer, Personalisation, SimRng, VirtualChip,
};

fn pki() -> TestPki {
    TestPki::generate(&mut SimRng::from_seed_u64(100), "VN").unwrap()
}

fn cccd(pace: Option<PaceOffer>) -> ChipData {
    let mut p = Personalisation::cccd("001099012345", "990315", "240315").unwrap();
    if let Some(offer) = pace {
        p = p.with_pace(offer).with_can("123456");
    }
    p.build(&mut SimRng::from_seed_u64(101), &pki()).unwrap()
}

fn key() -> MrzKey {
    cccd::mrz::access_key(
        &cccd::IdNumber::parse("001099012345").unwrap(),
        "990315",
        "240315",
    )
    .unwrap()
}

fn read(
    chip: &mut VirtualChip,
    credential: &Credential,
    options: ReaderOptions,
) -> Result<Document, icao9303::Error> {
    let mut calls = Vec::new();
    let r = reader::read_document(
        chip,
        credential,
        options,
        &mut SimRng::from_seed_u64(7),
        &mut |f, n, t| calls.push((f, n, t)),
    );
    if let Ok(doc) = &r {
        // Progress: for every file, increasing counts ending at its size.
        for (kind, bytes) in &doc.files {
            let mine: Vec<_> = calls.iter().filter(|c| c.0 == *kind).collect();
            assert!(!mine.is_empty());
            assert!(mine.windows(2).all(|w| w[0].1 < w[1].1));
            assert_eq!(*mine.last().unwrap(), &(*kind, bytes.len(), bytes.len()));
        }
    }
    r
}

/// Checks that the document is the chip's, file for file, and that the
/// reader used the fewest APDUs: one per chunk, no SELECT.
fn check_document(doc: &Document, data: &ChipData, open_apdus: u64, chunk: usize) {
    let expected: Vec<FileKind> = [FileKind::Com, FileKind::Sod]
        .into_iter()
        .chain(
            // The holder's data (DG1, DG13) before the face image.
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
    let kinds: Vec<FileKind> = doc.files.iter().map(|f| f.0).collect();
    assert_eq!(kinds, expected);
    for (kind, bytes) in &doc.files {
        assert_eq!(Some(bytes.as_slice()), data.file(*kind), "{kind}");
    }
    assert_eq!(doc.stats.chunk, chunk);
    assert_eq!(doc.stats.open.apdus, open_apdus);
    let mut total = open_apdus;
    for f in &doc.stats.files {
        let size = data
            .files
            .values()
            .find(|b| b.len() == f.size)
            .map(Vec::len)
            .unwrap();
        let min = size.div_ceil(chunk) as u64;
        assert_eq!(f.counts.apdus, min, "{}", f.file);
        total += min;
    }
    // Chip and Active Authentication, on by default, after the files.
    total += doc.stats.authentication.apdus;
    assert_eq!(doc.stats.total.apdus, total);
}

#[test]
fn bac_short_chip() {
    let data = cccd(None);
    let mut chip = VirtualChip::new(data.clone(), ChipConfig::SHORT, SimRng::from_seed_u64(1));
    let doc = read(&mut chip, &Credential::Mrz(key()), ReaderOptions::default()).unwrap();
    assert_eq!(doc.access_control, AccessControl::Bac);
    assert_eq!(doc.card_access, None);
    // Probe, SELECT, GET CHALLENGE, MUTUAL AUTHENTICATE.
    check_document(&doc, &data, 4, 231);
    assert_eq!(doc.stats.total.apdus, chip.stats().apdus);
    assert_eq!(doc.stats.total.bytes_sent, chip.stats().bytes_to_chip);
    assert_eq!(doc.stats.total.bytes_received, chip.stats().bytes_from_chip);
}

#[test]
fn bac_extended_chip() {
    let data = cccd(None);
    let config = ChipConfig::extended(65_538);
    let mut chip = VirtualChip::new(data.clone(), config, SimRng::from_seed_u64(1));
    let doc = read(&mut chip, &Credential::Mrz(key()), ReaderOptions::default()).unwrap();
    let chunk = max_chunk(&config.link(), Some(8));
    check_document(&doc, &data, 4, chunk);
    // DG2 (about 16 KB) in one READ BINARY.
    let dg2 = doc.stats.files.iter().find(|f| f.file == "DG2").unwrap();
    assert_eq!(dg2.counts.apdus, 1);
}

#[test]
fn extended_chip_with_small_buffer_steps_down() {
    // The chip claims 64 KB responses but takes 1 KB: 6700, then half,
    // until it fits; the chunk found holds for the rest of the session.
    let data = cccd(None);
    let mut config = ChipConfig::extended(1_024);
    config.advertised = Some(LinkInfo::extended(65_544, 65_538));
    let mut chip = VirtualChip::new(data.clone(), config, SimRng::from_seed_u64(1));
    let doc = read(&mut chip, &Credential::Mrz(key()), ReaderOptions::default()).unwrap();
    for (kind, bytes) in &doc.files {
        assert_eq!(Some(bytes.as_slice()), data.file(*kind));
    }
    assert!(protected_fits(doc.stats.chunk, 8, 1_024));
    // A truncating chip teaches its size in one answer.
    config.oversize = Oversize::Truncate;
    let mut chip = VirtualChip::new(data.clone(), config, SimRng::from_seed_u64(1));
    let doc = read(&mut chip, &Credential::Mrz(key()), ReaderOptions::default()).unwrap();
    for (kind, bytes) in &doc.files {
        assert_eq!(Some(bytes.as_slice()), data.file(*kind));
    }
    assert_eq!(
        doc.stats.chunk,
        max_chunk(&LinkInfo::extended(65_544, 1_024), Some(8))
    );
}

fn protected_fits(d: usize, block: usize, limit: usize) -> bool {
    reader::protected_response_len(d, block) <= limit
}

#[test]
fn fixed_chunks() {
    let data = cccd(None);
    for chunk in [160, 223] {
        let mut chip = VirtualChip::new(
            data.clone(),
            ChipConfig::extended(65_538),
            SimRng::from_seed_u64(1),
        );
        let options = ReaderOptions::default().with_fixed_chunk(Some(chunk));
        let doc = read(&mut chip, &Credential::Mrz(key()), options).unwrap();
        check_document(&doc, &data, 4, chunk);
    }
}

#[test]
fn without_short_file_ids() {
    let data = cccd(None);
    let mut config = ChipConfig::SHORT;
    config.sfi = false;
    let mut chip = VirtualChip::new(data.clone(), config, SimRng::from_seed_u64(1));
    let doc = read(&mut chip, &Credential::Mrz(key()), ReaderOptions::default()).unwrap();
    for (kind, bytes) in &doc.files {
        assert_eq!(Some(bytes.as_slice()), data.file(*kind));
    }
    // EF.COM: the refused SFI read, SELECT, READ; every other file SELECT + reads.
    let com = &doc.stats.files[0];
    assert_eq!(com.counts.apdus, 3);
    let dg1 = doc.stats.files.iter().find(|f| f.file == "DG1").unwrap();
    assert_eq!(dg1.counts.apdus, 2);
}

#[test]
fn wrong_key_is_a_clean_error() {
    let mut chip = VirtualChip::new(cccd(None), ChipConfig::SHORT, SimRng::from_seed_u64(1));
    let wrong = MrzKey::new("099012345", "990316", "240315").unwrap();
    let e = read(&mut chip, &Credential::Mrz(wrong), ReaderOptions::default()).unwrap_err();
    assert_eq!(
        e,
        icao9303::Error::Reader(ReaderErrorKind::AccessDenied { method: "BAC" })
    );
    // A CAN on a chip without PACE.
    let e = read(
        &mut chip,
        &Credential::can("123456"),
        ReaderOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e, icao9303::Error::Reader(ReaderErrorKind::PaceUnavailable));
}

#[test]
fn tampered_response_is_refused() {
    let data = cccd(None);
    // APDU 5 is the first READ BINARY (EF.COM); byte 3 is inside its DO'87.
    for (nth, index) in [(4u64, 3usize), (4, 20), (6, 40)] {
        let mut chip = VirtualChip::new(data.clone(), ChipConfig::SHORT, SimRng::from_seed_u64(1));
        chip.tamper_response(nth, index);
        let e = read(&mut chip, &Credential::Mrz(key()), ReaderOptions::default()).unwrap_err();
        assert_eq!(
            e,
            icao9303::Error::SecureMessaging(icao9303::sm::SmErrorKind::BadMac),
            "APDU {nth} byte {index}"
        );
    }
}

fn pace_case(
    parameters: DomainParameters,
    cipher: KeyKind,
    config: ChipConfig,
    credential: Credential,
) {
    pace_offer_case(PaceOffer::generic(parameters, cipher), config, credential);
}

fn pace_offer_case(offer: PaceOffer, config: ChipConfig, credential: Credential) {
    let (parameters, cipher) = (offer.parameters, offer.protocol.cipher);
    let data = cccd(Some(offer));
    let mut chip = VirtualChip::new(data.clone(), config, SimRng::from_seed_u64(1));
    let password = match credential {
        Credential::Mrz(_) => PasswordKind::Mrz,
        Credential::Can(_) => PasswordKind::Can,
        other => panic!("no PACE password for {other:?}"),
    };
    let doc = read(&mut chip, &credential, ReaderOptions::default())
        .unwrap_or_else(|e| panic!("{parameters:?} {cipher:?}: {e}"));
    assert_eq!(doc.card_access.as_deref(), data.card_access.as_deref());
    match doc.access_control {
        AccessControl::Pace {
            protocol,
            parameters: p,
            password: w,
        } => {
            assert_eq!(protocol, offer.protocol);
            assert_eq!(p, parameters);
            assert_eq!(w, password);
        }
        other => panic!("{other:?} instead of PACE: {parameters:?} {config:?}"),
    }
    // Probe, MSE:Set AT, four GENERAL AUTHENTICATEs, SELECT.
    let block = icao9303::sm::block_len(cipher);
    check_document(&doc, &data, 7, max_chunk(&config.link(), Some(block)));
}

#[test]
fn pace_gm_on_every_curve() {
    // The 192-bit curves (IDs 8, 9) are in the matrix too.
    assert!(DomainParameters::ALL.contains(&DomainParameters::Secp192r1));
    assert!(DomainParameters::ALL.contains(&DomainParameters::BrainpoolP192r1));
    for parameters in DomainParameters::ALL {
        // A 2048-bit DH public key does not fit a short command APDU.
        let configs: &[ChipConfig] = if matches!(parameters.id(), 1 | 2) {
            &[ChipConfig::extended(65_538)]
        } else {
            &[ChipConfig::SHORT, ChipConfig::extended(65_538)]
        };
        for &config in configs {
            pace_case(parameters, KeyKind::Aes128, config, Credential::Mrz(key()));
        }
    }
}

#[test]
fn pace_gm_every_cipher_and_can() {
    for cipher in [
        KeyKind::Tdes,
        KeyKind::Aes128,
        KeyKind::Aes192,
        KeyKind::Aes256,
    ] {
        pace_case(
            DomainParameters::Secp256r1,
            cipher,
            ChipConfig::SHORT,
            Credential::Mrz(key()),
        );
        pace_case(
            DomainParameters::BrainpoolP256r1,
            cipher,
            ChipConfig::extended(4_096),
            Credential::can("123456"),
        );
    }
}

/// The PACEInfo of EF.CardAccess names the offered protocol: the OID
/// `id-PACE-<DH|ECDH>-<GM|IM>-<cipher>` (Doc 9303 Part 11 §9.2.1), version
/// 2 and the parameter ID.
fn check_pace_info(data: &ChipData, offer: &PaceOffer) {
    let card_access = data.card_access.as_deref().unwrap();
    let parsed = icao9303::lds::CardAccess::parse(card_access).unwrap();
    let found = parsed.security_infos.infos.iter().any(|info| match info {
        icao9303::lds::SecurityInfo::Pace {
            protocol,
            version,
            parameter_id,
        } => {
            protocol.as_bytes() == offer.protocol.oid()
                && *version == 2
                && *parameter_id == Some(u64::from(offer.parameters.id()))
        }
        _ => false,
    });
    assert!(found, "{offer:?}: {card_access:02X?}");
}

#[test]
fn pace_im_on_every_curve() {
    for parameters in DomainParameters::ALL {
        if parameters == DomainParameters::Secp224r1 {
            // p = 1 mod 4: see pace_im_on_p224_is_refused.
            continue;
        }
        // A 2048-bit DH public key does not fit a short command APDU.
        let config = if matches!(parameters.id(), 1 | 2) {
            ChipConfig::extended(65_538)
        } else {
            ChipConfig::SHORT
        };
        for cipher in [
            KeyKind::Tdes,
            KeyKind::Aes128,
            KeyKind::Aes192,
            KeyKind::Aes256,
        ] {
            let offer = PaceOffer::integrated(parameters, cipher);
            // The OID's mapping arc: 3 for DH-IM, 4 for ECDH-IM.
            let arc = if parameters.id() <= 2 { 3 } else { 4 };
            assert_eq!(offer.protocol.oid()[8], arc);
            check_pace_info(&cccd(Some(offer)), &offer);
            pace_offer_case(offer, config, Credential::Mrz(key()));
        }
    }
    // CAN, extended length, another curve.
    pace_offer_case(
        PaceOffer::integrated(DomainParameters::Secp384r1, KeyKind::Aes128),
        ChipConfig::extended(4_096),
        Credential::can("123456"),
    );
}

#[test]
fn pace_im_on_p224_is_refused() {
    // Integrated Mapping's point encoding (Doc 9303 Part 11 Appendix B)
    // takes square roots as h^((p+1)/4), defined for p = 3 mod 4 only;
    // P-224 has p = 1 mod 4. With a CAN the reader reports the clear
    // Unsupported error; with the MRZ it falls back to BAC.
    let offer = PaceOffer::integrated(DomainParameters::Secp224r1, KeyKind::Aes128);
    let data = cccd(Some(offer));
    let mut chip = VirtualChip::new(data.clone(), ChipConfig::SHORT, SimRng::from_seed_u64(1));
    let e = read(
        &mut chip,
        &Credential::can("123456"),
        ReaderOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            icao9303::Error::Pace(icao9303::pace::PaceErrorKind::Unsupported { .. })
        ),
        "{e:?}"
    );
    let mut chip = VirtualChip::new(data, ChipConfig::SHORT, SimRng::from_seed_u64(1));
    let doc = read(&mut chip, &Credential::Mrz(key()), ReaderOptions::default()).unwrap();
    assert_eq!(doc.access_control, AccessControl::Bac);
}

#[test]
fn pace_im_wrong_password() {
    for offer in [
        PaceOffer::integrated(DomainParameters::BrainpoolP256r1, KeyKind::Aes128),
        PaceOffer::integrated(DomainParameters::Secp256r1, KeyKind::Tdes),
        PaceOffer::integrated(DomainParameters::Modp1024, KeyKind::Aes128),
        PaceOffer::integrated(DomainParameters::BrainpoolP384r1, KeyKind::Aes192),
        PaceOffer::integrated(DomainParameters::Secp521r1, KeyKind::Aes256),
    ] {
        let data = cccd(Some(offer));
        let mut chip = VirtualChip::new(data.clone(), ChipConfig::SHORT, SimRng::from_seed_u64(1));
        let e = read(
            &mut chip,
            &Credential::can("654321"),
            ReaderOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            e,
            icao9303::Error::Reader(ReaderErrorKind::AccessDenied { method: "PACE" }),
            "{offer:?}"
        );
        // Nothing readable afterwards: the chip holds no session.
        assert_eq!(chip.access(), icao9303_sim::Access::None);
        // A wrong MRZ: PACE fails, then BAC too.
        let wrong = MrzKey::new("099012345", "990316", "240315").unwrap();
        let mut chip = VirtualChip::new(data, ChipConfig::SHORT, SimRng::from_seed_u64(1));
        let e = read(&mut chip, &Credential::Mrz(wrong), ReaderOptions::default()).unwrap_err();
        assert_eq!(
            e,
            icao9303::Error::Reader(ReaderErrorKind::AccessDenied { method: "BAC" })
        );
    }
}

#[test]
fn pace_wrong_password() {
    let data = cccd(Some(PaceOffer::generic(
        DomainParameters::Secp256r1,
        KeyKind::Aes128,
    )));
    let mut chip = VirtualChip::new(data.clone(), ChipConfig::SHORT, SimRng::from_seed_u64(1));
    let e = read(
        &mut chip,
        &Credential::can("654321"),
        ReaderOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        e,
        icao9303::Error::Reader(ReaderErrorKind::AccessDenied { method: "PACE" })
    );
    // With a wrong MRZ, PACE fails and BAC too.
    let wrong = MrzKey::new("099012345", "990316", "240315").unwrap();
    let mut chip = VirtualChip::new(data.clone(), ChipConfig::SHORT, SimRng::from_seed_u64(1));
    let e = read(&mut chip, &Credential::Mrz(wrong), ReaderOptions::default()).unwrap_err();
    assert_eq!(
        e,
        icao9303::Error::Reader(ReaderErrorKind::AccessDenied { method: "BAC" })
    );
    // PACE switched off: BAC on a PACE chip.
    let mut chip = VirtualChip::new(data, ChipConfig::SHORT, SimRng::from_seed_u64(1));
    let options = ReaderOptions::default().with_pace(false);
    let doc = read(&mut chip, &Credential::Mrz(key()), options).unwrap();
    assert_eq!(doc.access_control, AccessControl::Bac);
    let _ = StatusWord::SUCCESS;
}

#[test]
fn large_file_past_32767_uses_odd_ins() {
    // A DG16 of 40,000 bytes: offsets past 32767 need READ BINARY B1.
    let big = icao9303::tlv::encode(icao9303::tlv::Tag::new(0x70), &vec![0xA5; 40_000]);
    for config in [
        ChipConfig::SHORT,
        ChipConfig::extended(65_538),
        ChipConfig::extended(4_096),
    ] {
        let data = Personalisation::cccd("001099012345", "990315", "240315")
            .unwrap()
            .with_data_group(DataGroup::Dg16, big.clone())
            .build(&mut SimRng::from_seed_u64(101), &pki())
            .unwrap();
        let mut chip = VirtualChip::new(data, config, SimRng::from_seed_u64(1));
        let doc = read(&mut chip, &Credential::Mrz(key()), ReaderOptions::default()).unwrap();
        assert_eq!(doc.raw(FileKind::Dg(DataGroup::Dg16)), Some(big.as_slice()));
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Any single bit flipped in any protected response is refused
        /// by secure messaging, never accepted and never a panic.
        #[test]
        fn any_bit_flip_in_a_protected_response_is_refused(apdu in 4u64..12, byte in 0usize..240, bit in 0u8..8) {
            let data = cccd(None);
            let mut chip = VirtualChip::new(data, ChipConfig::SHORT, SimRng::from_seed_u64(1));
            chip.tamper_response_bit(apdu, byte, bit);
            let r = read(&mut chip, &Credential::Mrz(key()), ReaderOptions::default());
            match r {
                Err(icao9303::Error::SecureMessaging(_)) => {}
                // The flip fell past the end of a short response.
                Ok(_) => prop_assert!(!chip.tampered()),
                Err(e) => prop_assert!(false, "{e}"),
            }
        }
    }
}
