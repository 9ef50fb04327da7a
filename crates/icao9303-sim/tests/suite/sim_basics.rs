#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The virtual chip on its own: personalisation, access control, BAC,
//! status words, and the SOD under passive authentication.

use icao9303::apdu::{AID_LDS1, CommandApdu, StatusWord};
use icao9303::lds::{DataGroup, FileKind};
use icao9303::mrz::MrzKey;
use icao9303::transport::exchange;
use icao9303_sim::pki::TestPki;
use icao9303_sim::{ChipConfig, Personalisation, SimRng, VirtualChip};

fn cccd_chip(config: ChipConfig) -> (VirtualChip, TestPki) {
    let mut rng = SimRng::from_seed_u64(1);
    let pki = TestPki::generate(&mut rng, "VN").unwrap();
    let data = Personalisation::cccd("001099012345", "990315", "240315")
        .unwrap()
        .build(&mut rng, &pki)
        .unwrap();
    (
        VirtualChip::new(data, config, SimRng::from_seed_u64(2)),
        pki,
    )
}

#[test]
fn cccd_files_are_consistent() {
    let (chip, pki) = cccd_chip(ChipConfig::SHORT);
    let data = chip.data();
    let com = data.file(FileKind::Com).unwrap();
    let icao9303::lds::File::Com(com) = icao9303::lds::File::parse(com).unwrap() else {
        panic!("not EF.COM")
    };
    assert_eq!(
        com.data_groups,
        [
            DataGroup::Dg1,
            DataGroup::Dg2,
            DataGroup::Dg13,
            DataGroup::Dg14,
            DataGroup::Dg15
        ]
    );
    let dg1 = data.file(FileKind::Dg(DataGroup::Dg1)).unwrap();
    let icao9303::lds::File::Dg1(dg1) = icao9303::lds::File::parse(dg1).unwrap() else {
        panic!("not DG1")
    };
    assert_eq!(dg1.mrz.document_number, "099012345");
    assert_eq!(dg1.mrz.optional_data, "001099012345<<0");
    assert_eq!(dg1.mrz.primary_identifier, "NGUYEN");
    let dg2 = data.file(FileKind::Dg(DataGroup::Dg2)).unwrap();
    let icao9303::lds::File::Dg2(dg2) = icao9303::lds::File::parse(dg2).unwrap() else {
        panic!("not DG2")
    };
    assert_eq!(
        dg2.face_image().unwrap().data,
        icao9303_sim::personalise::FACE_JPEG
    );
    let dg13 = cccd::dg13::Dg13::parse(data.file(FileKind::Dg(DataGroup::Dg13)).unwrap()).unwrap();
    let d = dg13.to_data().unwrap();
    assert_eq!(d.id_number, "001099012345");
    assert_eq!(d.full_name, "Nguyễn Văn An");
    // The SOD verifies under the test CSCA.
    let mut store = icao9303::pa::TrustStore::new();
    let csca = icao9303::pa::Certificate::from_der(pki.csca_certificate()).unwrap();
    assert!(store.add_certificate(csca));
    let dgs: Vec<(DataGroup, &[u8])> = [
        DataGroup::Dg1,
        DataGroup::Dg2,
        DataGroup::Dg13,
        DataGroup::Dg14,
        DataGroup::Dg15,
    ]
    .iter()
    .map(|dg| (*dg, data.file(FileKind::Dg(*dg)).unwrap()))
    .collect();
    let now = icao9303::pa::DateTime::new(2026, 1, 1, 0, 0, 0).unwrap();
    let verdict = icao9303::pa::verify(
        data.file(FileKind::Sod).unwrap(),
        &dgs,
        &store,
        &icao9303::pa::VerifyOptions::at(now),
    );
    assert!(verdict.is_valid(), "{}", verdict.summary());
}

#[test]
fn access_control_and_bac_status_words() {
    let (mut chip, _) = cccd_chip(ChipConfig::SHORT);
    let sel = exchange(&mut chip, &CommandApdu::select_aid(&AID_LDS1)).unwrap();
    assert_eq!(sel.sw, StatusWord::SUCCESS);
    let r = exchange(
        &mut chip,
        &CommandApdu::read_binary_sfi(0x1E, 0, 4).unwrap(),
    )
    .unwrap();
    assert_eq!(r.sw, StatusWord::SECURITY_STATUS_NOT_SATISFIED);
    // No EF.CardAccess on a BAC-only chip.
    let r = exchange(
        &mut chip,
        &CommandApdu::read_binary_sfi(0x1C, 0, 4).unwrap(),
    )
    .unwrap();
    assert_eq!(r.sw, StatusWord::FILE_NOT_FOUND);
    // A wrong MRZ key: 6300.
    let wrong = MrzKey::new("099012346", "990315", "240315").unwrap();
    let e =
        icao9303::bac::authenticate(&mut chip, &wrong, &mut SimRng::from_seed_u64(3)).unwrap_err();
    assert_eq!(
        e,
        icao9303::Error::StatusWord {
            command: "MUTUAL AUTHENTICATE",
            sw: StatusWord::VERIFICATION_FAILED
        }
    );
    // MUTUAL AUTHENTICATE without a challenge: 6985.
    let r = exchange(
        &mut chip,
        &CommandApdu::mutual_authenticate(vec![0; 40], 40),
    )
    .unwrap();
    assert_eq!(r.sw, StatusWord::CONDITIONS_NOT_SATISFIED);
    // The right key.
    let key = chip.data().access_key.clone();
    let mut sm =
        icao9303::bac::authenticate(&mut chip, &key, &mut SimRng::from_seed_u64(4)).unwrap();
    let r = sm
        .transmit(
            &mut chip,
            &CommandApdu::read_binary_sfi(0x1E, 0, 4).unwrap(),
        )
        .unwrap();
    assert_eq!(r.sw, StatusWord::SUCCESS);
    assert_eq!(r.data[0], 0x60);
    // Unknown instruction.
    let r = sm
        .transmit(&mut chip, &CommandApdu::new(0, 0xCA, 0, 0).with_ne(Some(1)))
        .unwrap();
    assert_eq!(r.sw, StatusWord::INS_NOT_SUPPORTED);
    // A plain command ends the session: reading is refused again.
    let r = exchange(
        &mut chip,
        &CommandApdu::read_binary_sfi(0x1E, 0, 4).unwrap(),
    )
    .unwrap();
    assert_eq!(r.sw, StatusWord::SECURITY_STATUS_NOT_SATISFIED);
}

#[test]
fn short_chip_refuses_extended_and_oversize() {
    let (mut chip, _) = cccd_chip(ChipConfig::SHORT);
    exchange(&mut chip, &CommandApdu::select_aid(&AID_LDS1)).unwrap();
    let key = chip.data().access_key.clone();
    let mut sm =
        icao9303::bac::authenticate(&mut chip, &key, &mut SimRng::from_seed_u64(4)).unwrap();
    // 231 bytes fit a short protected answer with 3DES, 232 do not.
    let r = sm
        .transmit(
            &mut chip,
            &CommandApdu::read_binary_sfi(0x02, 0, 231).unwrap(),
        )
        .unwrap();
    assert_eq!((r.sw, r.data.len()), (StatusWord::SUCCESS, 231));
    let r = sm
        .transmit(&mut chip, &CommandApdu::read_binary(231, 232).unwrap())
        .unwrap();
    assert_eq!((r.sw, r.data.len()), (StatusWord::WRONG_LENGTH, 0));
}
