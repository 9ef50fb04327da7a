//! The integration tests of `brainpool-ext`, one binary (`cargo test -p
//! brainpool-ext --test suite`; one module: `--test suite curves::`).
//! They check signatures, OIDs and explicit parameters: feature `ecdsa`
//! (Cargo.toml). Files of `../shared/testdata` are read through `common`
//! and skipped with a line on stderr when absent (a packaged crate has
//! none); the crate's own `testdata` travels with it.

/// The crate's `testdata` and the shared files (`testdata!`, `shared`).
mod common;

/// Real certificates with explicit Brainpool parameters and their
/// signatures (Vietnamese and German CSCAs, the BSI 2008 signer).
mod certificates;
/// The three curves against OpenSSL's signatures; the group law.
mod curves;
/// Explicit EC domain parameters matched to named curves.
mod explicit;
/// brainpoolP192r1's constants against OpenSSL's; the group law.
mod p192r1;
