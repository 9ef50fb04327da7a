#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

pub mod chip;
pub mod personalise;
pub mod pki;
pub mod vpcd;

pub use chip::{Access, ChipConfig, ChipStats, Oversize, VirtualChip};
/// The crate the simulator speaks (`Mrz`, `DomainParameters`, the
/// `Transport` trait, `ActiveAuthKey`...; `icao9303::rand_core` and
/// `icao9303::p256` for the generator and the AA key), re-exported so a
/// caller names the very version we built with.
pub use icao9303;
pub use personalise::{ActiveAuthKey, ActiveAuthKind, ChipData, PaceOffer, Personalisation};
/// The seeded generator's traits (`TryRng`, `TryCryptoRng`).
pub use rand_core;

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
