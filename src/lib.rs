// The workspace README is the facade's documentation (docs.rs shows it);
// its Rust examples run as doctests. The crates it re-exports follow.
#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

pub use cccd;
pub use eid_account;
pub use eid_credentials;
pub use eid_otp;
pub use icao9303;
/// The virtual chip (feature `sim`): for tests and demos, not a default.
#[cfg(feature = "sim")]
#[cfg_attr(docsrs, doc(cfg(feature = "sim")))]
pub use icao9303_sim;
