//! A virtual ICAO Doc 9303 eMRTD chip and a test PKI, for tests, benches,
//! examples and anyone testing an app without a card.
//!
//! - [`pki::TestPki`]: a CSCA and a Document Signer made in code (ECDSA
//!   P-256), which sign EF.SOD.
//! - [`Personalisation`]: a whole consistent document (passport or CCCD):
//!   EF.COM, DG1, DG2 with a real JPEG, DG13 for a CCCD, DG14 (Chip
//!   Authentication key, PACE), DG15 (Active Authentication key), EF.SOD,
//!   EF.CardAccess when PACE is offered, EF.CardSecurity when PACE is
//!   offered with Chip Authentication Mapping.
//! - [`VirtualChip`]: BAC, PACE (Generic and Integrated Mapping, ECDH and
//!   DH, and Chip Authentication Mapping, as [`PaceOffer`] says), secure
//!   messaging,
//!   Chip Authentication, Active Authentication, access control (`6982`
//!   before authentication), the status words of real chips, a configurable
//!   response size and extended-length support. It implements
//!   [`icao9303::transport::Transport`] and counts APDUs and bytes.
//!
//! ```
//! use icao9303::apdu::{CommandApdu, StatusWord};
//! use icao9303::transport::exchange;
//! use icao9303_sim::{ChipConfig, Personalisation, SimRng, VirtualChip, pki::TestPki};
//!
//! let mut rng = SimRng::from_seed_u64(1);
//! let pki = TestPki::generate(&mut rng, "VN")?;
//! let data = Personalisation::cccd("001099012345", "990315", "240315")?.build(&mut rng, &pki)?;
//! let key = data.access_key.clone();
//! let mut chip = VirtualChip::new(data, ChipConfig::SHORT, SimRng::from_seed_u64(2));
//!
//! exchange(&mut chip, &CommandApdu::select_aid(&icao9303::apdu::AID_LDS1))?;
//! // Nothing is readable before authentication.
//! let r = exchange(&mut chip, &CommandApdu::read_binary_sfi(0x1E, 0, 4)?)?;
//! assert_eq!(r.sw, StatusWord::SECURITY_STATUS_NOT_SATISFIED);
//! let mut sm = icao9303::bac::authenticate(&mut chip, &key, &mut SimRng::from_seed_u64(3))?;
//! let com = sm.transmit(&mut chip, &CommandApdu::read_binary_sfi(0x1E, 0, 4)?)?;
//! assert_eq!(com.data[0], 0x60);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

pub mod chip;
pub mod personalise;
pub mod pki;
pub mod vpcd;

pub use chip::{Access, ChipConfig, ChipStats, Oversize, VirtualChip};
pub use personalise::{ActiveAuthKey, ActiveAuthKind, ChipData, PaceOffer, Personalisation};

use rand_core::{SeedableRng, TryCryptoRng, TryRng};

/// Why personalisation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input of the profile is not usable (a date, an ID number...).
    #[error("profile: {0}")]
    Profile(String),
    /// The protocol library refused something.
    #[error(transparent)]
    Icao(#[from] icao9303::Error),
}

/// The simulator's random number generator: ChaCha20, seeded, so runs
/// repeat exactly.
#[derive(Debug)]
pub struct SimRng(chacha20::ChaCha20Rng);

impl SimRng {
    /// A generator from a 32-byte seed.
    pub fn from_seed(seed: [u8; 32]) -> SimRng {
        SimRng(chacha20::ChaCha20Rng::from_seed(seed))
    }

    /// A generator from a number (for tests and benches).
    pub fn from_seed_u64(seed: u64) -> SimRng {
        SimRng(chacha20::ChaCha20Rng::seed_from_u64(seed))
    }
}

impl TryRng for SimRng {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        self.0.try_next_u32()
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        self.0.try_next_u64()
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        self.0.try_fill_bytes(dst)
    }
}

impl TryCryptoRng for SimRng {}
