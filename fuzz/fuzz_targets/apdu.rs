//! APDU parsers on arbitrary bytes (a card's answer, a reader's command):
//! never panic.
#![no_main]

use icao9303::apdu::{CommandApdu, ResponseApdu, read_binary_odd_data};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = CommandApdu::parse(data);
    if let Ok(response) = ResponseApdu::parse(data) {
        let _ = read_binary_odd_data(&response.data);
    }
});
