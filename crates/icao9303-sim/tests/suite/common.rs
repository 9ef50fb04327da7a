#![allow(clippy::unwrap_used)]
//! What the reader's end-to-end test files share.

use icao9303::kdf::KeyKind;
use icao9303::pace::DomainParameters;
use icao9303_sim::pki::TestPki;
use icao9303_sim::{ActiveAuthKind, ChipData, PaceOffer, Personalisation, SimRng};

/// The test PKI (fixed seed).
pub(crate) fn pki() -> TestPki {
    TestPki::generate(&mut SimRng::from_seed_u64(100), "VN").unwrap()
}

/// A CCCD with Chip Authentication (P-256, AES-128) and Active
/// Authentication (ECDSA P-256) keys, PACE with `pace` (CAN 123456) when
/// given.
pub(crate) fn cccd_with_ca_aa(pace: Option<PaceOffer>) -> ChipData {
    let mut p = Personalisation::cccd("001099012345", "990315", "240315")
        .unwrap()
        .with_chip_authentication(Some((DomainParameters::Secp256r1, KeyKind::Aes128)))
        .with_active_authentication(Some(ActiveAuthKind::EcdsaP256));
    if let Some(offer) = pace {
        p = p.with_pace(offer).with_can("123456");
    }
    p.build(&mut SimRng::from_seed_u64(101), &pki()).unwrap()
}
