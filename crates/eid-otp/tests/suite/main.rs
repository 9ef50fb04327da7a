//! eid-otp's integration tests, one binary (issue 15: one link per crate,
//! not one per file). Each module is one area:
//! - `common`: test RNGs, the reader of the project's `../shared`;
//! - `data`: the vectors copied into `tests/data` match their originals;
//! - `challenge`: the SMS challenge's lifecycle, every outcome, properties;
//! - `otp_props`: HOTP/TOTP edge cases, replay refusal, secrets, URIs;
//! - `rfc_vectors`: RFC 4226 Appendix D and RFC 6238 Appendix B, oathtool.

mod challenge;
mod common;
mod data;
mod otp_props;
mod rfc_vectors;
