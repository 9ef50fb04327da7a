//! The EF.SOD parser (CMS SignedData and LDSSecurityObject) on arbitrary
//! bytes, and EF.CardSecurity's: never panic.
#![no_main]

use icao9303::lds::{CardSecurity, Sod};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(sod) = Sod::parse(data) {
        assert_eq!(sod.raw, data);
        for h in &sod.lds_security_object.data_group_hashes {
            assert!(h.hash.len() <= data.len());
        }
    }
    let _ = CardSecurity::parse(data);
});
