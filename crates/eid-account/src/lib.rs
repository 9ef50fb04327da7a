//! The account's life as a sans-IO, event-sourced state machine.
//!
//! **Not yet implemented.** This crate is a placeholder in the workspace
//! layout of `docs/DESIGN.md`; it exports nothing yet, and nothing in it
//! works.
#![forbid(unsafe_code)]
