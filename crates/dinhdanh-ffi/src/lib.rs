//! The one foreign-language binding of dinhdanh, on UniFFI: Python
//! (`import dinhdanh`, a wheel built by maturin), and from the same
//! scaffolding Kotlin and Swift.
//!
//! What other languages see, and rely on (docs/DESIGN.md §4):
//!
//! - [`parse_qr`] → [`QrData`] (the fields of `dinhdanh qr parse`'s JSON),
//!   [`parse_mrz`] → [`MrzData`];
//! - [`Credential`] (`mrz`, `cccd`, `can`): an opaque object, its secret
//!   never a field and its `Debug` (Python's `__repr__`) redacted;
//! - [`read_card`]: the chip read through a [`CardTransport`] the caller
//!   writes in its own language, with a [`ReadProgress`] callback, giving a
//!   [`Document`]; [`ReadSession`], the same read driven by the caller
//!   (`next_command`, `handle_response`, `finish`) for callback-style NFC
//!   stacks such as CoreNFC, with its [`ReadEvent`]s (the APDU trace,
//!   progress);
//! - [`verify_passive`] → [`Verdict`] (its `valid()` a method: nothing can
//!   set it); [`cross_check`] → [`Mismatch`]es;
//! - every failure a [`DinhdanhError`] with its data (field, offset,
//!   status word...), never a bare string, and no panic across the
//!   boundary (UniFFI turns one into an internal error).
//!
//! With feature `sim` (tests only), `SimulatedChip` is the in-process
//! virtual chip of `icao9303-sim` as a transport.
//!
//! The Rust API of the crate is the binding's; Rust callers use `cccd` and
//! `icao9303` directly.
//!
//! ```
//! let qr = dinhdanh_ffi::parse_qr(
//!     "001099012345||Nguyễn Văn A|15031999|Nam|Hà Nội|01072021".as_bytes().to_vec(),
//! )?;
//! assert_eq!(qr.date_of_birth, "1999-03-15");
//! assert_eq!(qr.id_info.province_name.as_deref(), Some("Hà Nội"));
//! # Ok::<(), dinhdanh_ffi::DinhdanhError>(())
//! ```

#![deny(unsafe_code)]

mod error;
mod parse;
mod read;
mod session;
#[cfg(feature = "sim")]
mod sim;
mod verify;

pub use error::{DinhdanhError, LinkFailure};
pub use parse::{Dg13Fields, IdInfo, Mismatch, MrzData, QrData, cross_check, parse_mrz, parse_qr};
pub use read::{
    AccessControlInfo, AuthOutcome, CardTransport, Credential, Document, ReadOptions, ReadProgress,
    read_card,
};
pub use session::{PartialRead, ReadEvent, ReadSession};
#[cfg(feature = "sim")]
pub use sim::SimulatedChip;
pub use verify::{CertificateInfo, Check, CheckStatus, DataGroupCheck, Verdict, verify_passive};

// The namespace is the Python module's name: `import dinhdanh`.
uniffi::setup_scaffolding!("dinhdanh");
