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
#[cfg_attr(docsrs, doc(cfg(feature = "chip")))]
pub use rand_core;

// The external crates whose types our public API shows, re-exported so a
// caller names the very version we built with (issue 15 point 3).
// `scripts/check-external-types` fails on any other crate's type; the list
// is `[package.metadata.cargo_check_external_types]` in Cargo.toml. Each
// one's breaking release is ours too.

/// The brainpool curves: `brainpool_ext::Error` and `NamedCurve` in the
/// explicit-parameter problems of passive authentication.
#[cfg(feature = "pa")]
#[cfg_attr(docsrs, doc(cfg(feature = "pa")))]
pub use brainpool_ext;
/// CMS: EF.SOD's `SignedData`.
#[cfg(feature = "asn1")]
#[cfg_attr(docsrs, doc(cfg(feature = "asn1")))]
pub use cms;
/// DER: `DateTime` (the time of passive authentication), `der::Error` in
/// decoding errors, `der::oid::ObjectIdentifier` (const-oid's, which `der`
/// re-exports) in the ASN.1 files.
#[cfg(feature = "asn1")]
#[cfg_attr(docsrs, doc(cfg(feature = "asn1")))]
pub use der;
/// P-256: Active Authentication's ECDSA signing key (the card side).
#[cfg(all(feature = "chip", feature = "pa"))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "chip", feature = "pa"))))]
pub use p256;
/// RSA: `rsa::Error` in key problems; with `chip`, Active
/// Authentication's private key.
#[cfg(feature = "pa")]
#[cfg_attr(docsrs, doc(cfg(feature = "pa")))]
pub use rsa;
/// X.509: the certificates of EF.SOD and of the trust store.
#[cfg(feature = "asn1")]
#[cfg_attr(docsrs, doc(cfg(feature = "asn1")))]
pub use x509_cert;
/// `Zeroizing` wraps the secrets handed out (keys, the MRZ key's hashes).
pub use zeroize;

/// Fills `buf` from `rng`; a failing generator is [`Error::Rng`].
#[cfg(feature = "chip")]
pub(crate) fn fill_random<R: rand_core::TryCryptoRng + ?Sized>(
    rng: &mut R,
    buf: &mut [u8],
) -> Result<(), Error> {
    rng.try_fill_bytes(buf).map_err(|_| Error::Rng)
}
