//! One-time codes: RFC 4226 HOTP, RFC 6238 TOTP and SMS challenges.
//!
//! **Not yet implemented.** This crate is a placeholder in the workspace
//! layout of `docs/DESIGN.md`; it exports nothing yet, and nothing in it
//! works.
#![forbid(unsafe_code)]
