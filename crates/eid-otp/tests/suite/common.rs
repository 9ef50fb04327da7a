//! Helpers shared by the suite's modules: test RNGs and the reader of
//! the project's shared files.
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::convert::Infallible;
use std::path::{Path, PathBuf};

/// A deterministic test RNG (SplitMix64). Marked crypto only so that the
/// library accepts it: tests need reproducible codes, not secrecy.
#[derive(Debug, Clone)]
pub(crate) struct TestRng(pub(crate) u64);

impl eid_otp::rand_core::TryRng for TestRng {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.try_next_u64()? >> 32) as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Ok(z ^ (z >> 31))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let v = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        Ok(())
    }
}

impl eid_otp::rand_core::TryCryptoRng for TestRng {}

/// An RNG that always fails.
#[derive(Debug)]
pub(crate) struct FailingRng;

#[derive(Debug)]
pub(crate) struct RngDown;
impl core::fmt::Display for RngDown {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("rng down")
    }
}
impl core::error::Error for RngDown {}

impl eid_otp::rand_core::TryRng for FailingRng {
    type Error = RngDown;
    fn try_next_u32(&mut self) -> Result<u32, RngDown> {
        Err(RngDown)
    }
    fn try_next_u64(&mut self) -> Result<u64, RngDown> {
        Err(RngDown)
    }
    fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), RngDown> {
        Err(RngDown)
    }
}

impl eid_otp::rand_core::TryCryptoRng for FailingRng {}

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
/// cargo test -p eid-otp --test suite` runs the skip path as a
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
