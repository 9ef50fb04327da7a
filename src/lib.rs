//! `dinhdanh` ("định danh", identification): electronic identification for
//! Vietnam's chip citizen ID card (CCCD) and the VNeID-style identity
//! account, on top of ICAO Doc 9303.
//!
//! This facade re-exports the workspace's crates:
//!
//! | crate | what it holds |
//! |---|---|
//! | [`icao9303`] | MRZ and the eMRTD chip protocol, for any passport or ID card |
//! | `icao9303_sim` | a virtual chip (feature `sim`) |
//! | [`cccd`] | the Vietnamese card: QR payload, ID number, TD1 MRZ, names |
//! | [`eid_otp`] | one-time codes |
//! | [`eid_credentials`] | password, passcode and security-question rules |
//! | [`eid_account`] | the account's life |
//!
//! Features: `chip` (default: `icao9303`'s chip protocol and reader),
//! `pa`, `pcsc`, `serde`, `ekyc`, `sim` (see the crates' own).
//!
//! ```
//! let qr = dinhdanh::cccd::qr::QrPayload::parse(
//!     "001099012345||Nguyễn Văn An|15031999|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|01072021".as_bytes(),
//! )?;
//! assert_eq!(dinhdanh::cccd::ascii_name::ascii_name(&qr.full_name), "NGUYEN VAN AN");
//! # Ok::<(), dinhdanh::cccd::Error>(())
//! ```
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
