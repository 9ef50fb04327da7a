//! The CCCD QR payload parser on arbitrary bytes: never panics; what it
//! accepts writes back to a payload that parses to the same data, and
//! parses upper-cased too (as scanner apps give it); its UTF-8 and
//! field-count errors name the right field and offset; the access keys
//! derived from an accepted payload (expiry from the law) never fail.
#![no_main]

use cccd::Error;
use cccd::qr::{QrData, QrField, QrPayload};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match QrPayload::parse(data) {
        Ok(qr) => {
            let owned = qr.to_owned_data();
            let again = QrData::parse(owned.to_payload().as_bytes());
            assert_eq!(again.as_ref(), Ok(&owned));
            let upper = owned.to_payload().to_uppercase();
            let up = QrData::parse(upper.as_bytes()).expect("the upper-cased payload parses");
            assert_eq!(
                (up.id_number, up.date_of_birth, up.sex, up.issue_date),
                (
                    owned.id_number,
                    owned.date_of_birth,
                    owned.sex,
                    owned.issue_date
                )
            );
            let keys = cccd::access_key_from_qr(&qr).expect("keys from a parsed payload");
            assert!(keys.len() <= 3);
            assert_eq!(keys.candidates().count(), keys.len());
        }
        Err(Error::QrUtf8 { field, offset }) => {
            assert!(core::str::from_utf8(&data[..offset]).is_ok());
            assert!(core::str::from_utf8(data).is_err());
            let bars = data[..offset].iter().filter(|&&b| b == b'|').count();
            assert_eq!(field, QrField::from_index(bars));
        }
        Err(Error::QrFieldCount {
            found,
            missing,
            offset,
        }) => {
            let text = core::str::from_utf8(data).expect("UTF-8 checked first");
            let text = text.trim_end_matches(['\r', '\n']);
            assert_eq!(offset, text.len());
            assert_eq!(found, text.split('|').count());
            assert_eq!(missing, QrField::from_index(found));
        }
        Err(_) => {}
    }
});
