//! cccd's integration tests, one binary (issue 15: one link per crate, not
//! one per file). Each module is one area:
//! - `common`: the reader of the project's `../shared` (skips when absent);
//! - `data`: the vectors copied into `tests/data` match their originals;
//! - `dg13`: DG13 built from its structure, the cross-check with the QR
//!   code and the MRZ, property tests;
//! - `ekyc` (feature `ekyc`): `cccd::ekyc` on the simulator's chip files.

mod common;
mod data;
mod dg13;
#[cfg(feature = "ekyc")]
mod ekyc;
