//! The MRZ parser on arbitrary text: never panics, and what it accepts
//! encodes back to a zone that parses to the same fields.
#![no_main]

use icao9303::mrz::Mrz;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let _ = Mrz::check_digit_errors(text);
    if let Ok(mrz) = Mrz::parse(text) {
        if let Ok(encoded) = mrz.encode() {
            assert_eq!(Mrz::parse(&encoded).as_ref(), Ok(&mrz));
        }
    }
});
