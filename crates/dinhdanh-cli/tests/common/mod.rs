//! What the CLI's test files share.

use std::process::{Command, Output};

/// Runs the `dinhdanh` binary with `args`, as a user would, and returns
/// what it printed and its exit status.
pub(crate) fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dinhdanh"))
        .args(args)
        .output()
        .unwrap()
}
