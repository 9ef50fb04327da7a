//! Criterion benches of one-time codes: TOTP verification (eid-otp and,
//! on the same inputs in the same run, totp-rs for comparison) and SMS
//! challenge verification.
//!
//! `cargo bench --bench otp -- --warm-up-time 1 --measurement-time 3`

// A bench sets up fixed, valid inputs: a failure there is a bug in the bench.
#![allow(clippy::expect_used, clippy::panic)]

use std::convert::Infallible;
use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use eid_otp::rand_core::{TryCryptoRng, TryRng};
use eid_otp::{
    Algorithm, Challenge, ChallengeConfig, Purpose, ReplayGuard, Secret, SendLog, ServerKey, Totp,
};

const NOW: u64 = 1_700_000_000;
const SEED20: &[u8; 20] = b"12345678901234567890";
const SEED64: &[u8; 64] = b"1234567890123456789012345678901234567890123456789012345678901234";

/// A deterministic generator for the bench's challenge (SplitMix64): the
/// bench measures verification, not randomness.
struct BenchRng(u64);

impl TryRng for BenchRng {
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
        for b in dst.iter_mut() {
            *b = self.try_next_u64()? as u8;
        }
        Ok(())
    }
}

impl TryCryptoRng for BenchRng {}

fn totp_verify(c: &mut Criterion) {
    let mut g = c.benchmark_group("totp_verify");
    for (name, alg, rs_alg, seed) in [
        (
            "sha1",
            Algorithm::Sha1,
            totp_rs::Algorithm::SHA1,
            &SEED20[..],
        ),
        (
            "sha512",
            Algorithm::Sha512,
            totp_rs::Algorithm::SHA512,
            &SEED64[..],
        ),
    ] {
        let ours = Totp::builder(Secret::from_bytes(seed).expect("seed"))
            .algorithm(alg)
            .skew(1)
            .build()
            .expect("totp");
        let theirs = totp_rs::Builder::new()
            .with_algorithm(rs_alg)
            .with_digits(6)
            .with_skew(1)
            .with_step_duration(30)
            .with_secret(totp_rs::Secret::new(seed.to_vec().into_boxed_slice()))
            .build()
            .expect("totp-rs");
        let current = ours.generate(NOW).expect("code");
        let current = current.expose_secret().to_owned();
        assert_eq!(theirs.generate(NOW).to_string(), current);
        let wrong = if current == "000000" {
            "000001"
        } else {
            "000000"
        }
        .to_owned();
        assert!(theirs.check(&wrong, NOW).is_none());

        g.bench_function(format!("eid-otp/{name}/current"), |b| {
            b.iter(|| {
                let mut guard = ReplayGuard::new();
                ours.verify(black_box(&current), black_box(NOW), &mut guard)
            })
        });
        g.bench_function(format!("totp-rs/{name}/current"), |b| {
            b.iter(|| theirs.check(black_box(&current), black_box(NOW)))
        });
        g.bench_function(format!("eid-otp/{name}/wrong"), |b| {
            b.iter(|| {
                let mut guard = ReplayGuard::new();
                ours.verify(black_box(&wrong), black_box(NOW), &mut guard)
            })
        });
        g.bench_function(format!("totp-rs/{name}/wrong"), |b| {
            b.iter(|| theirs.check(black_box(&wrong), black_box(NOW)))
        });
    }
    g.finish();
}

fn challenge_verify(c: &mut Criterion) {
    let mut g = c.benchmark_group("challenge_verify");
    let key = ServerKey::new(&[0x42; 32]).expect("key");
    let config = ChallengeConfig::default();
    let mut log = SendLog::new();
    let (challenge, code) = Challenge::issue(
        &key,
        "001099001234",
        Purpose::Activation,
        &config,
        &mut log,
        NOW,
        &mut BenchRng(7),
    )
    .expect("issue");
    let code = code.expose_secret().to_owned();
    let wrong = if code == "000000" { "000001" } else { "000000" }.to_owned();
    for (name, presented) in [("correct", &code), ("wrong", &wrong)] {
        g.bench_function(name, |b| {
            b.iter_batched_ref(
                || challenge.clone(),
                |ch| {
                    ch.verify(
                        &key,
                        "001099001234",
                        Purpose::Activation,
                        black_box(presented),
                        &config,
                        NOW + 10,
                    )
                },
                BatchSize::SmallInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, totp_verify, challenge_verify);
criterion_main!(benches);
