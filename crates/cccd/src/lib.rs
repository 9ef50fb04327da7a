#![doc = include_str!("../README.md")]
#![cfg_attr(feature = "document-features", doc = document_features::document_features!())]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
// Nothing here needs more than `alloc`: without `std` the crate is no_std.
#![cfg_attr(not(any(feature = "std", test)), no_std)]

extern crate alloc;

/// What `no_std` code takes from `alloc` (the std prelude has it all).
#[allow(unused_imports)]
mod prelude {
    pub(crate) use alloc::borrow::{Cow, ToOwned};
    pub(crate) use alloc::boxed::Box;
    pub(crate) use alloc::string::{String, ToString};
    pub(crate) use alloc::vec::Vec;
    pub(crate) use alloc::{format, vec};
}

pub mod ascii_name;
pub mod dg13;
#[cfg(feature = "ekyc")]
pub mod ekyc;
mod error;
pub mod expiry;
pub mod id_number;
pub mod mrz;
pub mod qr;

use core::fmt;

pub use error::Error;
/// The crate our API is written in (`Date`, `Mrz`, `MrzKey`, `DataGroup`;
/// with `ekyc`, passive authentication's types and `der::DateTime` as
/// `icao9303::der`), re-exported so a caller names the very version we
/// built with (`scripts/check-external-types` checks the list).
pub use icao9303;
pub use id_number::IdNumber;
pub use mrz::{AccessKeys, KeyCandidate};

/// The chip's access keys from the QR code alone: the ID number and the
/// date of birth it holds, and the date of expiry the law gives a card of
/// that issue date (see [`expiry`]). [`AccessKeys::key`] is the one to use;
/// where the law leaves the day open, [`AccessKeys::candidates`] lists the
/// others, to be tried in order (the chip answers a wrong key with `6300`
/// and does not lock).
pub fn access_key_from_qr(qr: &qr::QrPayload<'_>) -> Result<AccessKeys, Error> {
    mrz::access_keys(&qr.id_number, qr.date_of_birth, qr.issue_date)
}

/// [`access_key_from_qr`] on the owned QR data.
pub fn access_key_from_qr_data(qr: &qr::QrData) -> Result<AccessKeys, Error> {
    mrz::access_keys(&qr.id_number, qr.date_of_birth, qr.issue_date)
}

/// Sex as the CCCD records it.
///
/// Exhaustive: the card prints Nam or Nữ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Sex {
    /// Nam.
    Male,
    /// Nữ.
    Female,
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Sex::Male => "male",
            Sex::Female => "female",
        })
    }
}
