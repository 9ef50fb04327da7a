//! The CCCD QR payload parser on arbitrary bytes: never panics, and what it
//! accepts writes back to a payload that parses to the same data.
#![no_main]

use cccd::qr::{QrData, QrPayload};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(qr) = QrPayload::parse(data) {
        let owned = qr.to_owned_data();
        let again = QrData::parse(owned.to_payload().as_bytes());
        assert_eq!(again.as_ref(), Ok(&owned));
    }
});
