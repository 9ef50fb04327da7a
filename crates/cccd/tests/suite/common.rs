//! What the suite's modules share: the reader of the project's shared files.
#![allow(clippy::panic)]

use std::path::{Path, PathBuf};

/// The path of `rel_path` in the project's shared files (`../shared`
/// beside the repository: master lists, chip samples, seeds, vectors;
/// some are LGPL, so a packaged crate carries none of them), or `None`
/// after one line on stderr saying it is absent, so that the test returns
/// early and passes. With `DINHDANH_TEST_REQUIRE_SHARED=1` (scripts/test,
/// CI) absence is a panic with the same words, so a broken checkout is
/// not a green run.
///
/// The directory is `CARGO_MANIFEST_DIR/../../../shared` unless
/// `DINHDANH_SHARED_DIR` names another: `DINHDANH_SHARED_DIR=/nonexistent
/// cargo test -p cccd --test suite` runs the skip path as a
/// packaged crate would.
pub(crate) fn shared_path(rel_path: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("DINHDANH_SHARED_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    present_or_skip(
        dir.join(rel_path),
        &format!("../shared/{rel_path}"),
        "it sits beside the repository",
    )
}

/// `path` when it exists; else the skip line (a panic under
/// `DINHDANH_TEST_REQUIRE_SHARED=1`) naming `shown` and `why`, and `None`.
fn present_or_skip(path: PathBuf, shown: &str, why: &str) -> Option<PathBuf> {
    if path.exists() {
        return Some(path);
    }
    let line = format!("skipped: {shown} is absent ({why}; a packaged crate has none)");
    if std::env::var_os("DINHDANH_TEST_REQUIRE_SHARED").is_some_and(|v| v == "1") {
        panic!("{line}");
    }
    eprintln!("{line}");
    None
}

/// The bytes of `rel_path` in the shared files, or `None` when absent
/// (see [`shared_path`]).
pub(crate) fn shared(rel_path: &str) -> Option<Vec<u8>> {
    let path = shared_path(rel_path)?;
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display())))
}
