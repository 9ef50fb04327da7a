//! What the suite's modules share: the files of `../shared/testdata`
//! (skipped when absent, see [`shared`]) and the crate's own `testdata/pa`.

mod shared;

pub(crate) use shared::shared;

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

/// A file of the crate's `testdata/pa` (made by its `make.sh`; packaged
/// with the crate, so never absent).
#[cfg(feature = "pa")]
#[allow(clippy::panic)] // a test helper: the panic is the failing test
pub(crate) fn pa_file(name: &str) -> Vec<u8> {
    let path = format!("{}/testdata/pa/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The certificate in [`pa_file`] `name`.
#[cfg(feature = "pa")]
#[allow(clippy::unwrap_used)] // a test helper: the panic is the failing test
pub(crate) fn pa_cert(name: &str) -> icao9303::pa::Certificate {
    icao9303::pa::Certificate::from_der(&pa_file(name)).unwrap()
}
