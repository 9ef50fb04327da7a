//! The project's shared files (`../shared`, beside the repository): master
//! lists, EF.SOD specimens, certificates. They are not copied into the
//! crate (some are LGPL, some large), so a packaged crate has none: a test
//! that needs one skips with a line on stderr instead of failing. Also
//! included by `src/mrz/tests.rs` (`#[path]`), whose unit tests read DG1
//! specimens.

use std::path::PathBuf;

/// The directory of the shared files: `DINHDANH_SHARED_DIR` when set
/// (`DINHDANH_SHARED_DIR=/nonexistent cargo test -p icao9303` shows the
/// skip path), else `../shared` beside the repository
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
