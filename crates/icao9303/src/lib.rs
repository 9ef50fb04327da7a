#![doc = include_str!("../README.md")]
#![cfg_attr(feature = "document-features", doc = document_features::document_features!())]
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
