//! Secure messaging on arbitrary bytes: the reader's unwrap of a card's
//! answer and the card's unwrap of a command, for 3DES and AES sessions
//! with fixed keys. Never panics; a forged answer is never accepted (the
//! fuzzer does not know the MAC key).
#![no_main]

use icao9303::apdu::CommandApdu;
use icao9303::kdf::KeyKind;
use icao9303::sm::{CardSm, SecureMessaging, SessionKeys};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let (kind, block) = match which % 4 {
        0 => (KeyKind::Tdes, 8),
        1 => (KeyKind::Aes128, 16),
        2 => (KeyKind::Aes192, 16),
        _ => (KeyKind::Aes256, 16),
    };
    let key = vec![0x5A; kind.key_len()];
    let ssc = vec![0u8; block];
    let keys = || {
        SessionKeys::new(
            kind,
            &key,
            &key.iter().map(|b| b ^ 0xFF).collect::<Vec<_>>(),
        )
    };
    let (Ok(k1), Ok(k2)) = (keys(), keys()) else {
        return;
    };
    if let Ok(mut reader) = SecureMessaging::new(k1, &ssc) {
        if reader.wrap(&CommandApdu::select_file(0x011E)).is_ok() {
            assert!(
                reader.unwrap(bytes).is_err(),
                "a forged answer was accepted"
            );
        }
    }
    if let Ok(mut card) = CardSm::new(k2, &ssc) {
        assert!(
            card.unwrap_command(bytes).is_err(),
            "a forged command was accepted"
        );
    }
});
