//! What the CLI's test modules share: running the binary, and the files
//! from outside the crate (the project's `../shared`, icao9303's
//! passive-authentication files), which a packaged crate does not have.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

// A panic is the failing test `DINHDANH_TEST_REQUIRE_SHARED=1` asks for.
#[allow(clippy::panic)]
mod shared;

pub(crate) use shared::{present_or_skip, shared, shared_path};

/// Runs the `dinhdanh` binary with `args`, as a user would, and returns
/// what it printed and its exit status.
pub(crate) fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dinhdanh"))
        .args(args)
        .output()
        .unwrap()
}

/// `crates/icao9303/testdata/pa` (OpenSSL-made certificates, SODs and data
/// groups, see its README), or `None` as [`shared_path`] when the crate is
/// not in its repository (packaged: the directory is icao9303's).
pub(crate) fn icao9303_pa_dir() -> Option<PathBuf> {
    present_or_skip(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../icao9303/testdata/pa"),
        "crates/icao9303/testdata/pa",
        "it is icao9303's",
    )
}
