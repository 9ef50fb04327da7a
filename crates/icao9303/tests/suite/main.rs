//! The integration tests of `icao9303`, one binary (`cargo test -p
//! icao9303 --test suite`; one module: `--test suite bac_vectors::`).
//! Each module needs the features of what it tests; the suite needs
//! `asn1` at least (Cargo.toml). Files of `../shared/testdata` are read
//! through `common` and skipped with a line on stderr when absent (a
//! packaged crate has none); the vectors are copies in `tests/data`.

/// The shared-file helpers (`testdata!`, `shared`) and the crate's own
/// `testdata/pa` files.
mod common;
/// The vector copies of `tests/data` and the check that they match
/// `../shared/vectors`.
mod data;

/// BAC: Doc 9303 Part 11 D.1 and D.3, on into the D.4 session.
#[cfg(feature = "chip")]
mod bac_vectors;
/// PACE: Appendices G.1, G.2, H.1, H.2, every cipher and curve, both sides.
#[cfg(feature = "chip")]
mod pace_vectors;
/// Secure messaging: D.4, the AES-256 and 3DES traces, MAC algorithm 3.
#[cfg(feature = "chip")]
mod sm_vectors;

/// The LDS parsers against the public specimens of `../shared/testdata`.
mod lds_specimens;
/// The LDS parsers on files built with the TLV writer; never-panic
/// properties.
mod lds_synthetic;

/// Passive authentication's typed errors (`testdata/pa`).
#[cfg(feature = "pa")]
mod pa_errors;
/// The German and Dutch CSCA master lists (`../shared/testdata/gmrtd`).
#[cfg(feature = "pa")]
mod pa_master_list;
/// Passive authentication on the OpenSSL-made documents of `testdata/pa`.
#[cfg(feature = "pa")]
mod pa_openssl;
/// Passive authentication on the real public files of `../shared/testdata`.
#[cfg(feature = "pa")]
mod pa_real;
