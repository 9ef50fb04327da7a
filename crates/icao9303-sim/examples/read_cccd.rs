//! A whole read of a virtual CCCD, as an app without a card would test
//! itself: personalise the chip under the test PKI, read it with
//! `icao9303`'s reader (BAC from the ID number, date of birth and expiry,
//! then Chip and Active Authentication), parse DG13 with `cccd`, and check
//! EF.SOD with passive authentication against the test CSCA.
//! `cargo run -p icao9303-sim --example read_cccd`.

use icao9303::lds::{DataGroup, FileKind};
use icao9303::pa::{self, TrustStore, VerifyOptions};
use icao9303::reader::{self, Credential, ReaderOptions};
use icao9303_sim::{ChipConfig, Personalisation, SimRng, VirtualChip, pki::TestPki};

type Failure = Box<dyn std::error::Error>;

/// Reads the chip of a card for ID 001099012345, born 1999-03-15, valid to
/// 2024-03-15, and says what was read and whether it is genuine.
fn read_virtual_card() -> Result<Vec<String>, Failure> {
    let mut rng = SimRng::from_seed_u64(1);
    let pki = TestPki::generate(&mut rng, "VN")?;
    let data = Personalisation::cccd("001099012345", "990315", "240315")?.build(&mut rng, &pki)?;
    let key = data.access_key.clone();
    let mut chip = VirtualChip::new(data, ChipConfig::default(), SimRng::from_seed_u64(2));

    let doc = reader::read_document(
        &mut chip,
        &Credential::Mrz(key),
        ReaderOptions::default(),
        &mut SimRng::from_seed_u64(3),
        &mut |_, _, _| {},
    )?;
    let dg13 = doc.raw(FileKind::Dg(DataGroup::Dg13)).ok_or("no DG13")?;
    let holder = cccd::dg13::Dg13::parse(dg13)?
        .to_data()
        .ok_or("DG13 lacks a field")?;

    let mut store = TrustStore::new();
    store.add_certificate(pa::Certificate::from_der(pki.csca_certificate())?);
    let sod = doc.raw(FileKind::Sod).ok_or("no EF.SOD")?;
    let options = VerifyOptions::at(pa::DateTime::new(2026, 1, 1, 0, 0, 0)?);
    let verdict = pa::verify(sod, &doc.data_groups(), &store, &options);

    let outcome = |o: &Option<icao9303::verdict::AuthOutcome>| match o {
        Some(o) if o.passed => "passed",
        Some(_) => "failed",
        None => "not run",
    };
    Ok(vec![
        format!("access control: {:?}", doc.access_control),
        format!(
            "holder: {}, ID {}, born {}",
            holder.full_name, holder.id_number, holder.date_of_birth
        ),
        format!(
            "files read: {}, in {} APDUs",
            doc.files.len(),
            doc.stats.total.apdus
        ),
        format!("chip authentication: {}", outcome(&doc.chip_authentication)),
        format!(
            "active authentication: {}",
            outcome(&doc.active_authentication)
        ),
        format!("passive authentication: {}", verdict.summary()),
    ])
}

fn main() -> Result<(), Failure> {
    for line in read_virtual_card()? {
        println!("{line}");
    }
    Ok(())
}

#[test]
fn the_virtual_card_reads_and_is_genuine() {
    let lines = read_virtual_card().unwrap();
    assert_eq!(lines[0], "access control: Bac");
    // The simulator's CCCD profile holds the sample citizen of cccd's
    // README; the date is the one personalised above.
    assert!(
        lines[1].ends_with("ID 001099012345, born 1999-03-15"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[3], "chip authentication: passed");
    assert_eq!(lines[4], "active authentication: passed");
    assert_eq!(lines[5], "passive authentication: valid");
}
