#![doc = include_str!("../README.md")]
#![cfg_attr(feature = "document-features", doc = document_features::document_features!())]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "pa")]
#[cfg_attr(docsrs, doc(cfg(feature = "pa")))]
pub mod aa;
pub mod agreement;
pub mod apdu;
pub mod bac;
pub mod ca;
pub mod date;
mod error;
pub mod kdf;
pub mod lds;
pub mod link_model;
pub mod mrz;
pub mod oid;
#[cfg(feature = "pa")]
#[cfg_attr(docsrs, doc(cfg(feature = "pa")))]
pub mod pa;
pub mod pace;
pub mod reader;
pub mod sm;
pub mod tlv;
pub mod transport;
pub mod verdict;

pub use date::Date;
pub use error::Error;
/// The randomness seam: every protocol step takes a
/// [`rand_core::TryCryptoRng`], as the `eid-*` crates do, so
/// `getrandom::SysRng` and seeded generators both fit.
pub use rand_core;

/// Fills `buf` from `rng`; a failing generator is [`Error::Rng`].
pub(crate) fn fill_random<R: rand_core::TryCryptoRng + ?Sized>(
    rng: &mut R,
    buf: &mut [u8],
) -> Result<(), Error> {
    rng.try_fill_bytes(buf).map_err(|_| Error::Rng)
}
