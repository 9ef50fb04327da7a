//! cccd::ekyc on the simulator's chip files: genuine files with their QR
//! code pass; a flipped byte in DG13, a wrong QR code, another CSCA, a
//! missing required group, an altered EF.CardSecurity and a passport's DG1
//! each fail with the right reason. Built with `--features ekyc` (main.rs).
// A panic in a test is a failing test, not a crash on untrusted input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cccd::dg13::{Field, Source};
use cccd::ekyc::{ChipFiles, EkycOptions, Reason, verify};
use cccd::qr::QrPayload;
use icao9303::kdf::KeyKind;
use icao9303::lds::image::ImageFormat;
use icao9303::lds::{DataGroup, FileKind};
use icao9303::pa::{Certificate, DateTime, TrustStore};
use icao9303::pace::DomainParameters;
use icao9303_sim::pki::TestPki;
use icao9303_sim::{ChipData, PaceOffer, Personalisation, SimRng};

/// The simulator's CCCD is issued 2021-07-01; this is its QR code.
const QR: &str = "001099012345||Nguyễn Văn An|15031999|Nam|Số 1 Tràng Tiền, Hà Nội|01072021";

fn now() -> DateTime {
    DateTime::new(2026, 6, 1, 0, 0, 0).unwrap()
}

fn pki(seed: u64) -> TestPki {
    TestPki::generate(&mut SimRng::from_seed_u64(seed), "VN").unwrap()
}

fn store(pki: &TestPki) -> TrustStore {
    let mut s = TrustStore::new();
    s.add_certificate(Certificate::from_der(pki.csca_certificate()).unwrap());
    s
}

fn card(pki: &TestPki, profile: Personalisation) -> ChipData {
    profile.build(&mut SimRng::from_seed_u64(7), pki).unwrap()
}

fn cccd_profile() -> Personalisation {
    Personalisation::cccd_named("001099012345", "Nguyễn Văn An", "990315", "240315").unwrap()
}

fn file(data: &ChipData, kind: FileKind) -> Vec<u8> {
    data.file(kind).unwrap().to_vec()
}

/// The files an app uploads: DG1, DG2, DG13 and EF.SOD.
struct Upload {
    sod: Vec<u8>,
    dg1: Vec<u8>,
    dg2: Vec<u8>,
    dg13: Vec<u8>,
}

impl Upload {
    fn of(data: &ChipData) -> Upload {
        Upload {
            sod: file(data, FileKind::Sod),
            dg1: file(data, FileKind::Dg(DataGroup::Dg1)),
            dg2: file(data, FileKind::Dg(DataGroup::Dg2)),
            dg13: file(data, FileKind::Dg(DataGroup::Dg13)),
        }
    }

    fn files(&self) -> ChipFiles<'_> {
        ChipFiles::new(&self.sod)
            .with(DataGroup::Dg1, &self.dg1)
            .with(DataGroup::Dg2, &self.dg2)
            .with(DataGroup::Dg13, &self.dg13)
    }
}

#[test]
fn genuine_files_and_their_qr_code_pass() {
    let pki = pki(1);
    let data = card(&pki, cccd_profile());
    let up = Upload::of(&data);
    let qr = QrPayload::parse(QR.as_bytes()).unwrap();
    let v = verify(
        &up.files(),
        Some(&qr),
        &store(&pki),
        &EkycOptions::at(now()),
    );
    assert_eq!(v.reasons, []);
    assert!(v.ok && v.genuine && v.consistent);
    assert!(v.passive_authentication.is_valid());
    // DG14 and DG15 are listed in EF.SOD but not uploaded: reported only.
    assert_eq!(v.not_supplied, [14, 15]);
    assert_eq!(v.required, [1, 2, 13]);
    assert_eq!(v.id_number.unwrap().as_str(), "001099012345");
    assert_eq!(v.id_warnings, []);
    assert_eq!(v.holder.as_ref().unwrap().full_name, "Nguyễn Văn An");
    assert_eq!(v.mrz.as_ref().unwrap().mrz.document_number, "099012345");
    let face = v.face.unwrap();
    assert_eq!(face.format, ImageFormat::Jpeg);
    assert!(face.data.starts_with(&[0xFF, 0xD8]));
    assert!(v.qr_compared);

    // Uploading DG14 and DG15 too: nothing left out.
    let dg14 = file(&data, FileKind::Dg(DataGroup::Dg14));
    let dg15 = file(&data, FileKind::Dg(DataGroup::Dg15));
    let files = up
        .files()
        .with(DataGroup::Dg14, &dg14)
        .with(DataGroup::Dg15, &dg15);
    let v = verify(&files, Some(&qr), &store(&pki), &EkycOptions::at(now()));
    assert!(v.ok, "{:?}", v.reasons);
    assert_eq!(v.not_supplied, Vec::<u64>::new());

    // Without a QR code: the chip's files against each other.
    let v = verify(&up.files(), None, &store(&pki), &EkycOptions::at(now()));
    assert!(v.ok && !v.qr_compared, "{:?}", v.reasons);
}

#[test]
fn a_flipped_byte_in_dg13_is_a_hash_mismatch() {
    let pki = pki(1);
    let mut up = Upload::of(&card(&pki, cccd_profile()));
    // The last byte is record 16's number: DG13 still parses, as record 17.
    let last = up.dg13.len() - 1;
    assert_eq!(up.dg13[last], 16);
    up.dg13[last] ^= 0x01;
    let qr = QrPayload::parse(QR.as_bytes()).unwrap();
    let v = verify(
        &up.files(),
        Some(&qr),
        &store(&pki),
        &EkycOptions::at(now()),
    );
    assert_eq!(v.reasons, [Reason::HashMismatch { data_group: 13 }]);
    assert!(!v.ok && !v.genuine && v.consistent);
    assert_eq!(
        v.reasons[0].to_string(),
        "DG13 differs from what EF.SOD signs: it was altered"
    );
}

#[test]
fn a_wrong_qr_code_is_a_mismatch() {
    let pki = pki(1);
    let up = Upload::of(&card(&pki, cccd_profile()));
    // Another name (the MRZ cannot tell: both are NGUYEN VAN AN there).
    let other = QR.replace("Nguyễn Văn An", "Nguyễn Văn Ân");
    let qr = QrPayload::parse(other.as_bytes()).unwrap();
    let v = verify(
        &up.files(),
        Some(&qr),
        &store(&pki),
        &EkycOptions::at(now()),
    );
    assert!(v.genuine && !v.consistent && !v.ok);
    let [Reason::Mismatch(m)] = v.reasons.as_slice() else {
        panic!("{:?}", v.reasons)
    };
    assert_eq!(
        (m.field, m.left.0, m.right.0),
        (Field::FullName, Source::Dg13, Source::Qr)
    );
    assert!(m.to_string().starts_with("Họ và tên không khớp"), "{m}");

    // Another person's QR code: every source is compared with every other.
    let other = "079303001234||Trần Thị Bình|29022004|Nữ|Quận 1|10102022";
    let qr = QrPayload::parse(other.as_bytes()).unwrap();
    let v = verify(
        &up.files(),
        Some(&qr),
        &store(&pki),
        &EkycOptions::at(now()),
    );
    let fields: Vec<(Field, Source, Source)> = v
        .reasons
        .iter()
        .filter_map(|r| match r {
            Reason::Mismatch(m) => Some((m.field, m.left.0, m.right.0)),
            _ => None,
        })
        .collect();
    assert_eq!(fields.len(), 8, "{fields:?}");
    assert!(fields.contains(&(Field::IdNumber, Source::Qr, Source::Mrz)));
    assert!(
        v.reasons
            .iter()
            .any(|r| matches!(r, Reason::IssueDate { .. }))
    );

    // The same person's QR code of another card: the issue date tells.
    let older = QR.replace("01072021", "01072019");
    let qr = QrPayload::parse(older.as_bytes()).unwrap();
    let v = verify(
        &up.files(),
        Some(&qr),
        &store(&pki),
        &EkycOptions::at(now()),
    );
    let date = |s: &str| icao9303::Date::parse_iso(s).unwrap();
    assert_eq!(
        v.reasons,
        [Reason::IssueDate {
            dg13: date("2021-07-01"),
            qr: date("2019-07-01"),
        }]
    );
    assert!(v.reasons[0].to_string().contains("Issue date differs"));
}

#[test]
fn another_csca_is_an_unknown_chain() {
    let up = Upload::of(&card(&pki(1), cccd_profile()));
    let qr = QrPayload::parse(QR.as_bytes()).unwrap();
    let v = verify(
        &up.files(),
        Some(&qr),
        &store(&pki(2)),
        &EkycOptions::at(now()),
    );
    assert!(!v.genuine && v.consistent && !v.ok);
    assert!(
        v.reasons.iter().any(|r| matches!(
            r,
            Reason::PassiveAuthentication { check, code, .. } if check == "chain" && code == "unknown-csca"
        )),
        "{:?}",
        v.reasons
    );
    assert!(v.reasons.iter().all(Reason::is_about_authenticity));
}

#[test]
fn a_missing_required_group_fails_an_optional_one_does_not() {
    let pki = pki(1);
    let up = Upload::of(&card(&pki, cccd_profile()));
    let qr = QrPayload::parse(QR.as_bytes()).unwrap();
    // DG2 left out while required.
    let files = ChipFiles::new(&up.sod)
        .with(DataGroup::Dg1, &up.dg1)
        .with(DataGroup::Dg13, &up.dg13);
    let v = verify(&files, Some(&qr), &store(&pki), &EkycOptions::at(now()));
    assert_eq!(v.reasons, [Reason::RequiredMissing { data_group: 2 }]);
    assert!(!v.genuine && v.face.is_none());
    // DG2 not required: left out, reported, fine.
    let mut options = EkycOptions::at(now());
    options.required = vec![DataGroup::Dg1, DataGroup::Dg13];
    let v = verify(&files, Some(&qr), &store(&pki), &options);
    assert!(v.ok, "{:?}", v.reasons);
    assert_eq!(v.not_supplied, [2, 14, 15]);
    // DG15 required (listed, not uploaded), and DG11 (not even listed).
    let mut options = EkycOptions::at(now());
    options.required.extend([DataGroup::Dg15, DataGroup::Dg11]);
    let v = verify(&up.files(), Some(&qr), &store(&pki), &options);
    let mut missing: Vec<u8> = v
        .reasons
        .iter()
        .filter_map(|r| match r {
            Reason::RequiredMissing { data_group } => Some(*data_group),
            _ => None,
        })
        .collect();
    missing.sort_unstable();
    assert_eq!(missing, [11, 15]);
    assert_eq!(v.reasons.len(), 2, "{:?}", v.reasons);
    assert!(!v.genuine);
}

#[test]
fn card_security_is_checked_when_supplied() {
    let pki = pki(1);
    let profile = cccd_profile().with_pace(PaceOffer::chip_authentication_mapping(
        DomainParameters::Secp256r1,
        KeyKind::Aes128,
    ));
    let data = card(&pki, profile);
    let up = Upload::of(&data);
    let mut cs = data.card_security.clone().unwrap();
    let qr = QrPayload::parse(QR.as_bytes()).unwrap();
    let v = verify(
        &up.files().with_card_security(&cs),
        Some(&qr),
        &store(&pki),
        &EkycOptions::at(now()),
    );
    assert!(v.ok, "{:?}", v.reasons);
    assert!(v.card_security.as_ref().unwrap().is_valid());
    // One byte of its signature changed.
    let at = cs.len() - 3;
    cs[at] ^= 0x40;
    let v = verify(
        &up.files().with_card_security(&cs),
        Some(&qr),
        &store(&pki),
        &EkycOptions::at(now()),
    );
    assert!(!v.genuine);
    assert!(
        matches!(v.reasons.as_slice(), [Reason::CardSecurity { .. }]),
        "{:?}",
        v.reasons
    );
}

#[test]
fn a_passport_is_not_a_cccd() {
    let pki = pki(1);
    let mrz = icao9303_sim::personalise::passport_mrz("L898902C3", "740812", "300415").unwrap();
    let data = card(&pki, Personalisation::passport(mrz));
    let sod = file(&data, FileKind::Sod);
    let dg1 = file(&data, FileKind::Dg(DataGroup::Dg1));
    let dg2 = file(&data, FileKind::Dg(DataGroup::Dg2));
    let files = ChipFiles::new(&sod)
        .with(DataGroup::Dg1, &dg1)
        .with(DataGroup::Dg2, &dg2);
    let v = verify(&files, None, &store(&pki), &EkycOptions::at(now()));
    assert!(!v.ok && !v.genuine && !v.consistent);
    assert!(
        v.reasons
            .contains(&Reason::RequiredMissing { data_group: 13 })
    );
    assert!(
        v.reasons
            .iter()
            .any(|r| matches!(r, Reason::Malformed { file: "DG1", .. })),
        "{:?}",
        v.reasons
    );
    assert!(v.mrz.is_none() && v.holder.is_none());
}

#[test]
fn garbage_never_panics_and_fails() {
    let pki = pki(1);
    for sod in [&b""[..], b"\x77\x00", b"\x30\x03\x02\x01\x00", &[0xFF; 40]] {
        let files = ChipFiles::new(sod)
            .with(DataGroup::Dg1, b"\x61\x00")
            .with(DataGroup::Dg2, b"")
            .with(DataGroup::Dg13, b"\x6D\x01");
        let v = verify(&files, None, &store(&pki), &EkycOptions::at(now()));
        assert!(!v.ok && !v.genuine && !v.consistent);
        assert!(!v.reasons.is_empty());
    }
}
