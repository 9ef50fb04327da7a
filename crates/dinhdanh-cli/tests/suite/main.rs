//! The CLI's integration tests, one binary (issue 15: one link per crate,
//! not one per file), each running `dinhdanh` as a user would. Modules:
//! - `common`: running the binary; the files from outside the crate
//!   (`../shared`, icao9303's test PKI), skipped when absent;
//! - `data`: the vectors copied into `tests/data` match their originals;
//! - `chip_qr`, `chip_sim_cam`, `chip_trace`: `chip read --sim` with the
//!   QR code's key, PACE-CAM, the APDU trace;
//! - `ekyc_cli`: `ekyc verify` on what `chip read --out` wrote;
//! - `lost_card`: a card lost mid-session;
//! - `pa_cli`: `pa verify` and `masterlist inspect`;
//! - `pcsc_e2e`: end to end through pcscd and vpcd (`DINHDANH_TEST_PCSC=1`);
//! - `policy_otp`: `otp` and `policy`;
//! - `qr_mrz`: `qr parse` and `mrz parse`.

mod chip_qr;
mod chip_sim_cam;
mod chip_trace;
mod common;
mod data;
mod ekyc_cli;
mod lost_card;
mod pa_cli;
mod pcsc_e2e;
mod policy_otp;
mod qr_mrz;
