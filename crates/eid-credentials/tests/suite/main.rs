//! eid-credentials' integration tests, one binary (issue 15: one link per
//! crate, not one per file). Each module is one area:
//! - `hashing`: Argon2id defaults, pepper, rehash, tampered hashes;
//! - `passcode`: accepted and refused passcodes, properties;
//! - `password`: accepted and refused passwords for both rule sets;
//! - `questions`: security questions' set-up, normalisation, comparison.

mod hashing;
mod passcode;
mod password;
mod questions;
