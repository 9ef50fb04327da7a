//! eid-account's integration tests, one binary (issue 15: one link per
//! crate, not one per file). Each module is one area:
//! - `common`: the harness (`World`: one account, a deterministic RNG,
//!   cheap Argon2, the log folded back after every command), the reader of
//!   the project's `../shared`;
//! - `concurrency`: the store's side of the contract (versions, races);
//! - `diagram`: docs/ACCOUNT-FLOWS.md's diagram is the transition table
//!   (`EID_ACCOUNT_BLESS=1 cargo test -p eid-account --test suite diagram`
//!   rewrites it);
//! - `levels_activation`: flows 3, 4 and 5 (level 1, level 2, activation);
//! - `properties`: property tests over random command sequences;
//! - `registration_login`: flows 1 and 2 (registration, login, lockout,
//!   password reset);
//! - `security`: the rules that keep people out of others' accounts;
//! - `use_lock`: flow 6 (passcode, device change, lock and unlock).

mod common;
mod concurrency;
mod diagram;
mod levels_activation;
mod properties;
mod registration_login;
mod security;
mod use_lock;
