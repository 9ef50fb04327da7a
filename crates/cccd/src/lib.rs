//! Vietnam's chip citizen identity card (CCCD, Căn cước công dân gắn chip):
//! what is printed on it and what is Vietnamese in its chip.
//!
//! - [`qr`]: the QR payload on the front;
//! - [`id_number`]: the 12-digit personal identification number;
//! - [`mrz`]: the TD1 MRZ on the back and the chip's access key;
//! - [`expiry`]: the card's date of expiry as the law sets it from the date
//!   of birth and the issue date, so that the QR code alone gives the key
//!   ([`access_key_from_qr`]);
//! - [`ascii_name`]: names without diacritics, as SMS messages write them;
//! - [`dg13`]: the chip's Vietnamese data group and its cross-check against
//!   the QR code and the MRZ;
//! - `ekyc` (feature `ekyc`): one call for an eKYC back end: passive
//!   authentication of the uploaded chip files, DG13 vs QR vs DG1, the ID
//!   number's warnings, the face image, in one verdict.
//!
//! The chip itself is an ICAO Doc 9303 eMRTD: see the `icao9303` crate.
//!
//! ```
//! use cccd::qr::QrPayload;
//! use cccd::Sex;
//!
//! let qr = QrPayload::parse(
//!     "001099012345||Nguyễn Văn An|15031999|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|01072021".as_bytes(),
//! )?;
//! assert_eq!(qr.id_number.province().map(|p| p.name), Some("Hà Nội"));
//! assert_eq!(qr.sex, Sex::Male);
//! assert!(qr.id_number.check_against(qr.date_of_birth, qr.sex).is_empty());
//! assert_eq!(cccd::ascii_name::ascii_name(&qr.full_name), "NGUYEN VAN AN");
//!
//! // The chip's BAC key from the ID number, date of birth and expiry.
//! let key = cccd::mrz::access_key(&qr.id_number, "990315", "240315")?;
//! assert_eq!(key.mrz_information(), b"099012345999031592403155");
//!
//! // Or from the QR code alone: issued at 22, the card runs to the 25th
//! // birthday (Luật Căn cước công dân 2014, Điều 21).
//! let keys = cccd::access_key_from_qr(&qr)?;
//! assert_eq!(keys.key().mrz_information(), b"099012345999031592403155");
//! assert_eq!(keys.len(), 1);
//! # Ok::<(), cccd::Error>(())
//! ```
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

// The README's examples run as doctests, so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
