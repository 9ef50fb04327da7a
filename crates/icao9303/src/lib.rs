//! ICAO Doc 9303 machine readable travel documents: the MRZ and the chip
//! protocol every ePassport and eID card speaks, both sides of it.
//!
//! Where each step lives:
//! - the printed zone: [`mrz`] (TD1/TD2/TD3, check digits, the access key),
//!   [`date`];
//! - bytes: [`tlv`] (BER-TLV), [`apdu`] (commands, responses, status words
//!   by name), [`oid`] (every object identifier), [`transport`] (the link;
//!   PC/SC with feature `pcsc`), [`link_model`] (modelled read times);
//! - the files: [`lds`] (EF.COM, one module per data group, EF.SOD,
//!   EF.CardAccess, EF.CardSecurity);
//! - access control and the session: [`kdf`], [`sm`] (secure messaging),
//!   [`bac`], [`pace`], with the groups they share in [`agreement`];
//! - proofs of a genuine chip: [`ca`] (Chip Authentication), `aa` (Active
//!   Authentication, feature `pa`), `pa` (passive authentication, feature
//!   `pa`), their results in [`verdict`];
//! - the whole read: [`reader`].
//!
//! Each protocol folder holds the reader's side (`reader.rs`) and the
//! chip's (`card.rs`) as sibling files; the simulator (`icao9303-sim`) runs
//! the chip's. Every step takes its randomness as a
//! [`rand_core::TryCryptoRng`] (re-exported here).
//!
//! The crate knows nothing of any one country; see the `cccd` crate for the
//! Vietnamese card.
//!
//! ```
//! use icao9303::mrz::{Mrz, MrzFormat};
//!
//! // Doc 9303 Part 4 Appendix B, the TD3 specimen.
//! let mrz = Mrz::parse(
//!     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
//!      L898902C36UTO7408122F1204159ZE184226B<<<<<10",
//! )?;
//! assert_eq!(mrz.format, MrzFormat::Td3);
//! assert_eq!(mrz.primary_identifier, "ERIKSSON");
//! assert_eq!(mrz.secondary_identifier, "ANNA MARIA");
//! assert_eq!(mrz.document_number, "L898902C3");
//! // The BAC/PACE key material: document number, birth and expiry with check digits.
//! assert_eq!(mrz.access_key().mrz_information(), "L898902C3674081221204159".as_bytes());
//! # Ok::<(), icao9303::Error>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// The data formats need only `alloc`: without `std` the crate is no_std.
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

/// Modules of the chip protocol (feature `chip`).
macro_rules! chip_modules {
    ($($(#[$attr:meta])* pub mod $name:ident;)*) => {
        $(
            $(#[$attr])*
            #[cfg(feature = "chip")]
            #[cfg_attr(docsrs, doc(cfg(feature = "chip")))]
            pub mod $name;
        )*
    };
}

#[cfg(all(feature = "chip", feature = "pa"))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "chip", feature = "pa"))))]
pub mod aa;
chip_modules! {
    pub mod agreement;
    pub mod apdu;
    pub mod bac;
    pub mod ca;
    pub mod kdf;
    pub mod link_model;
    pub mod pace;
    pub mod reader;
    pub mod sm;
    pub mod transport;
}
pub mod date;
mod error;
pub mod lds;
pub mod mrz;
#[cfg(feature = "asn1")]
#[cfg_attr(docsrs, doc(cfg(feature = "asn1")))]
pub mod oid;
#[cfg(feature = "pa")]
#[cfg_attr(docsrs, doc(cfg(feature = "pa")))]
pub mod pa;
pub mod tlv;
#[cfg(any(feature = "chip", feature = "pa"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "chip", feature = "pa"))))]
pub mod verdict;

pub use date::Date;
pub use error::Error;
/// The randomness seam: every protocol step takes a
/// [`rand_core::TryCryptoRng`], as the `eid-*` crates do, so
/// `getrandom::SysRng` and seeded generators both fit.
#[cfg(feature = "chip")]
pub use rand_core;

/// Fills `buf` from `rng`; a failing generator is [`Error::Rng`].
#[cfg(feature = "chip")]
pub(crate) fn fill_random<R: rand_core::TryCryptoRng + ?Sized>(
    rng: &mut R,
    buf: &mut [u8],
) -> Result<(), Error> {
    rng.try_fill_bytes(buf).map_err(|_| Error::Rng)
}
