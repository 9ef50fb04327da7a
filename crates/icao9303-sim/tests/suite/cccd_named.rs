#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `Personalisation::cccd_named`: a CCCD for a named holder (DG13 as
//! given, the MRZ without diacritics) that passes passive authentication
//! under the demonstration PKI, and names the MRZ cannot write refused.

use icao9303::lds::{DataGroup, Dg1, FileKind};
use icao9303::pa::{self, TrustStore, VerifyOptions};
use icao9303_sim::pki::{DEMO_SEED, TestPki};
use icao9303_sim::{Personalisation, SimRng};

#[test]
fn named_holder_in_dg13_and_the_mrz() {
    let mut rng = SimRng::from_seed_u64(DEMO_SEED);
    let pki = TestPki::generate(&mut rng, "VN").unwrap();
    let data = Personalisation::cccd_named("038174739054", "Trần Ngọc Ngọc", "740307", "340307")
        .unwrap()
        .build(&mut rng, &pki)
        .unwrap();
    let dg1_raw = data.file(FileKind::Dg(DataGroup::Dg1)).unwrap();
    let dg13_raw = data.file(FileKind::Dg(DataGroup::Dg13)).unwrap();

    let dg13 = cccd::dg13::Dg13::parse(dg13_raw)
        .unwrap()
        .to_data()
        .unwrap();
    assert_eq!(dg13.full_name, "Trần Ngọc Ngọc");
    assert_eq!(dg13.id_number, "038174739054");
    assert_eq!(dg13.sex, cccd::Sex::Female);

    // The TD1 MRZ's third line: surname, '<<', given names joined by '<'
    // (ICAO Doc 9303 Part 5 §4.2.2), padded to 30 characters.
    let dg1 = Dg1::parse(dg1_raw).unwrap();
    assert!(
        dg1.mrz_text.ends_with("TRAN<<NGOC<NGOC<<<<<<<<<<<<<<<"),
        "{}",
        dg1.mrz_text
    );
    let mrz = cccd::mrz::CccdMrz::from_mrz(dg1.mrz.clone()).unwrap();
    assert_eq!(mrz.id_number.as_str(), "038174739054");
    let dg13_parsed = cccd::dg13::Dg13::parse(dg13_raw).unwrap();
    assert!(cccd::dg13::cross_check(&dg13_parsed, None, Some(&dg1.mrz)).is_empty());

    // EF.SOD verifies under the demonstration CSCA
    let mut store = TrustStore::new();
    store.add_certificate(pa::Certificate::from_der(pki.csca_certificate()).unwrap());
    let sod = data.file(FileKind::Sod).unwrap();
    let at = pa::DateTime::new(2026, 1, 1, 0, 0, 0).unwrap();
    let mut options = VerifyOptions::at(at);
    options.optional_data_groups = vec![DataGroup::Dg2, DataGroup::Dg14, DataGroup::Dg15];
    let verdict = pa::verify(
        sod,
        &[(DataGroup::Dg1, dg1_raw), (DataGroup::Dg13, dg13_raw)],
        &store,
        &options,
    );
    assert!(verdict.is_valid(), "{}", verdict.summary());
}

#[test]
fn names_the_mrz_cannot_write_are_refused() {
    for name in ["", "   ", "李小龍", "Trần 3"] {
        assert!(
            Personalisation::cccd_named("038174739054", name, "740307", "340307").is_err(),
            "{name:?}"
        );
    }
    // the synthetic holder stays the default
    let mut rng = SimRng::from_seed_u64(1);
    let pki = TestPki::generate(&mut rng, "VN").unwrap();
    let data = Personalisation::cccd("038174739054", "740307", "340307")
        .unwrap()
        .build(&mut rng, &pki)
        .unwrap();
    let dg13 = data.file(FileKind::Dg(DataGroup::Dg13)).unwrap();
    let dg13 = cccd::dg13::Dg13::parse(dg13).unwrap().to_data().unwrap();
    assert_eq!(dg13.full_name, "Trần Thị Bình");
}
