//! A virtual ICAO Doc 9303 eMRTD chip and a test PKI.
//!
//! **Not yet implemented.** This crate is a placeholder in the workspace
//! layout of `docs/DESIGN.md`; it exports nothing yet, and nothing in it
//! works.
#![forbid(unsafe_code)]
