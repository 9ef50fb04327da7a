//! The CCCD DG13 parser on arbitrary bytes: never panics; what it accepts
//! can be cross-checked, and complete data encodes back to the same data.
#![no_main]

use cccd::dg13::{Dg13, cross_check};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(dg13) = Dg13::parse(data) {
        let _ = cross_check(&dg13, None, None);
        if let Some(owned) = dg13.to_data() {
            let again = owned.encode();
            if let Ok(parsed) = Dg13::parse(&again) {
                let _ = parsed.to_data();
            }
        }
    }
});
