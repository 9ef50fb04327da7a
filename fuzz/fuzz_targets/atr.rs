//! What a card says about itself before any authentication (its ATR and
//! EF.ATR/INFO), read by the PC/SC transport to choose short or extended
//! APDUs: never panics.
#![no_main]

use icao9303::transport::pcsc::{
    atr_extended_length, atr_historical_bytes, atr_info_extended_length, card_capabilities,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = atr_extended_length(data);
    if let Some(historical) = atr_historical_bytes(data) {
        let _ = card_capabilities(historical);
    }
    let _ = atr_info_extended_length(data);
});
