//! From the QR code on a CCCD to the chip's access key: the payload parsed,
//! the card's expiry derived from the law, one key per date the law
//! allows. `cargo run -p cccd --example qr_key -- 'PAYLOAD'` (with no
//! argument, a sample payload). The keys themselves are secrets: only
//! what they are made of is printed, never the key.

use cccd::qr::QrPayload;

/// A card issued on 1 July 2021 to a citizen born on 15 March 1999.
const SAMPLE: &str = "001099012345||Nguyễn Văn An|15031999|Nam|Hà Nội|01072021";

/// What the example prints for a payload.
fn describe(payload: &str) -> Result<String, cccd::Error> {
    let qr = QrPayload::parse(payload.as_bytes())?;
    let keys = cccd::access_key_from_qr(&qr)?;
    let mut out = format!(
        "{} ({}), born {}, card issued {} under {}\n",
        qr.full_name,
        cccd::ascii_name::ascii_name(&qr.full_name),
        qr.date_of_birth,
        qr.issue_date,
        keys.expiry().law,
    );
    for (n, candidate) in keys.candidates().enumerate() {
        let expiry = candidate
            .date_of_expiry
            .map_or_else(|| "none (991231)".to_owned(), |d| d.to_string());
        out.push_str(&format!(
            "key {} of {}: document number {}, expiry {expiry}\n",
            n + 1,
            keys.len(),
            qr.id_number.document_number(),
        ));
    }
    Ok(out)
}

fn main() -> std::process::ExitCode {
    let payload = std::env::args().nth(1).unwrap_or_else(|| SAMPLE.to_owned());
    match describe(&payload) {
        Ok(text) => {
            print!("{text}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("QR payload: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[test]
fn the_sample_card_runs_to_the_25th_birthday() {
    // Luật Căn cước công dân 59/2014/QH13 Điều 21: a card issued at 22
    // is exchanged at 25, on that birthday; the MRZ's document number is
    // the ID's last nine digits (cccd's TD1 layout).
    let text = describe(SAMPLE).unwrap();
    assert!(text.contains("NGUYEN VAN AN"), "{text}");
    assert!(text.contains("59/2014/QH13"), "{text}");
    assert!(
        text.ends_with("key 1 of 1: document number 099012345, expiry 2024-03-15\n"),
        "{text}"
    );
}
