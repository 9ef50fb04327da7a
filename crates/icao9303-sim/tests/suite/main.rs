//! The integration tests of `icao9303-sim`, one binary (`cargo test -p
//! icao9303-sim --test suite`; one module: `--test suite e2e_reader::`).
//! They read no file beside the repository: the chip, its PKI and its
//! documents are made here from fixed seeds.

/// What the end-to-end modules share: the test PKI, a CCCD with CA and AA.
mod common;

/// `Personalisation::cccd_named`: DG13 as given, the MRZ without diacritics.
mod cccd_named;
/// Chip and Active Authentication end to end, and a cloned chip caught.
mod e2e_ca_aa;
/// PACE with Chip Authentication Mapping end to end.
mod e2e_cam;
/// The reader's counts against what the wire carried.
mod e2e_counts;
/// The reader against the chip over a matrix of access controls, curves,
/// ciphers and chip limits.
mod e2e_reader;
/// A read whose link is lost resumes.
mod e2e_resume;
/// The sans-IO `ReadSession` driven by hand.
mod e2e_session;
/// The one randomness seam (`rand_core::TryCryptoRng`).
mod rng_seam;
/// The virtual chip on its own: personalisation, access control, BAC.
mod sim_basics;
