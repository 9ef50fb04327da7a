//! What the suite's modules share: the crate's own `testdata` and the
//! project's shared files (`../shared`, beside the repository), which are
//! not copied into the crate (some are LGPL), so a packaged crate has none:
//! a test that needs one skips with a line on stderr instead of failing.

use std::path::PathBuf;

/// A file of the crate's `testdata` (packaged with it, so never absent).
#[allow(clippy::panic)] // a test helper: the panic is the failing test
pub(crate) fn own(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/testdata/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("test file {path}: {e}"))
}

/// The directory of the shared files: `DINHDANH_SHARED_DIR` when set
/// (`DINHDANH_SHARED_DIR=/nonexistent cargo test -p brainpool-ext` shows
/// the skip path), else `../shared` beside the repository
/// (`CARGO_MANIFEST_DIR/../../../shared`).
fn shared_dir() -> PathBuf {
    std::env::var_os("DINHDANH_SHARED_DIR").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")),
        PathBuf::from,
    )
}

/// The bytes of `../shared/<rel_path>`, or `None` when the file is absent,
/// after one line on stderr saying so (so a skip is never silent). With
/// `DINHDANH_TEST_REQUIRE_SHARED=1` (scripts/test, CI) absence is a panic
/// with the same words: there the files must be present.
#[allow(clippy::panic)] // a test helper: the panic is the failing test
pub(crate) fn shared(rel_path: &str) -> Option<Vec<u8>> {
    let path = shared_dir().join(rel_path);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let line = format!(
                "skipped: ../shared/{rel_path} is absent (it sits beside the repository; a packaged crate has none)"
            );
            if std::env::var_os("DINHDANH_TEST_REQUIRE_SHARED").is_some_and(|v| v == "1") {
                panic!("{line}");
            }
            eprintln!("{line}");
            None
        }
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

/// The bytes of `../shared/testdata/<path>`; when the file is absent,
/// returns from the calling test (which then passes, after the line
/// [`shared`] prints).
macro_rules! testdata {
    ($path:expr) => {
        match $crate::common::shared(&format!("testdata/{}", $path)) {
            Some(bytes) => bytes,
            None => return,
        }
    };
}

pub(crate) use testdata;
