//! Parses a machine readable zone and prints what the chip's access key is
//! made of: `cargo run -p icao9303 --example mrz -- 'LINE1' 'LINE2' ...`
//! (the lines of the zone), or with no argument the TD3 specimen of
//! Doc 9303 Part 4 Appendix B.

use icao9303::mrz::Mrz;

/// Doc 9303 Part 4 Appendix B, the TD3 specimen.
const SPECIMEN: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                        L898902C36UTO7408122F1204159ZE184226B<<<<<10";

/// What the example prints for a zone: the holder, the document and the
/// MRZ information BAC and PACE derive their keys from.
fn describe(zone: &str) -> Result<String, icao9303::Error> {
    let mrz = Mrz::parse(zone)?;
    let key = mrz.access_key();
    Ok(format!(
        "{:?} {} {}, document {} of {}\nMRZ information: {}",
        mrz.format,
        mrz.secondary_identifier,
        mrz.primary_identifier,
        mrz.document_number,
        mrz.issuing_state,
        String::from_utf8_lossy(key.mrz_information()),
    ))
}

fn main() -> std::process::ExitCode {
    let lines: Vec<String> = std::env::args().skip(1).collect();
    let zone = if lines.is_empty() {
        SPECIMEN.to_owned()
    } else {
        lines.join("\n")
    };
    match describe(&zone) {
        Ok(text) => {
            println!("{text}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("MRZ: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[test]
fn the_specimen_gives_the_key_of_appendix_b() {
    // Part 4 Appendix B: document number L898902C3 (check digit 6), born
    // 740812 (2), expires 120415 (9).
    let text = describe(SPECIMEN).unwrap();
    assert!(text.starts_with("Td3 ANNA MARIA ERIKSSON, document L898902C3 of UTO"));
    assert!(text.ends_with("MRZ information: L898902C3674081221204159"));
}
