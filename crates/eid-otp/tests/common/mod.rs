//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub, clippy::indexing_slicing)]

use core::convert::Infallible;

/// A deterministic test RNG (SplitMix64). Marked crypto only so that the
/// library accepts it: tests need reproducible codes, not secrecy.
#[derive(Debug, Clone)]
pub struct TestRng(pub u64);

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
pub struct FailingRng;

#[derive(Debug)]
pub struct RngDown;
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
