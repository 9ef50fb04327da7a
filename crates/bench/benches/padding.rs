//! ISO/IEC 9797-1 padding method 2 (ISO/IEC 7816-4's `80 00..`): the
//! crate's `sm::pad`/`sm::unpad`, which since issue 15 point 7 call
//! `block-padding`'s `Iso7816` (0.4.2, the version cbc and aes already
//! pull) on the last block, against the hand-written loops they replaced
//! (kept here, as they were, to show the change cost nothing).
//!
//! `cargo bench --bench padding -- --warm-up-time 1 --measurement-time 2`
//!
//! Sizes are what secure messaging pads: 8 and 16 bytes (one 3DES or AES
//! block: PACE's and CA's tokens, a short command), 223 (an odd length
//! that pads to a partial block) and 1000 (a large READ BINARY's answer).

// A bench sets up fixed, valid inputs: a failure there is a bug in the bench.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use icao9303::sm;

const SIZES: [usize; 4] = [8, 16, 223, 1000];
/// 3DES and AES.
const BLOCKS: [usize; 2] = [8, 16];

/// The loop `sm::pad` was before block-padding.
fn loop_pad(data: &[u8], block: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len().saturating_add(block));
    out.extend_from_slice(data);
    out.push(0x80);
    while !out.len().is_multiple_of(block) {
        out.push(0);
    }
    out
}

/// The loop `sm::unpad` was before block-padding.
fn loop_unpad(data: &[u8], block: usize) -> Option<&[u8]> {
    let zeros = data.iter().rev().take_while(|b| **b == 0).count();
    let end = data.len().saturating_sub(zeros).checked_sub(1)?;
    if data.get(end) != Some(&0x80) || zeros >= block {
        return None;
    }
    data.get(..end)
}

fn input(size: usize) -> Vec<u8> {
    // Non-zero bytes ending in 0x80 0x00 would make unpadding ambiguous;
    // a counter that skips 0x00 and 0x80 keeps the input plain data.
    (0..size).map(|i| (i % 0x7F + 1) as u8).collect()
}

fn pad(c: &mut Criterion) {
    for block in BLOCKS {
        let mut g = c.benchmark_group(format!("pad_block{block}"));
        for size in SIZES {
            let data = input(size);
            assert_eq!(sm::pad(&data, block), loop_pad(&data, block));
            g.bench_with_input(BenchmarkId::new("block-padding", size), &data, |b, d| {
                b.iter(|| sm::pad(black_box(d), block))
            });
            g.bench_with_input(BenchmarkId::new("loops", size), &data, |b, d| {
                b.iter(|| loop_pad(black_box(d), block))
            });
        }
        g.finish();
    }
}

fn unpad(c: &mut Criterion) {
    for block in BLOCKS {
        let mut g = c.benchmark_group(format!("unpad_block{block}"));
        for size in SIZES {
            let data = input(size);
            let padded = sm::pad(&data, block);
            assert_eq!(sm::unpad(&padded, block).expect("ours"), data.as_slice());
            assert_eq!(loop_unpad(&padded, block), Some(data.as_slice()));
            g.bench_with_input(BenchmarkId::new("block-padding", size), &padded, |b, p| {
                b.iter(|| sm::unpad(black_box(p), block).map(<[u8]>::len))
            });
            g.bench_with_input(BenchmarkId::new("loops", size), &padded, |b, p| {
                b.iter(|| loop_unpad(black_box(p), block).map(<[u8]>::len))
            });
        }
        g.finish();
    }
}

criterion_group!(benches, pad, unpad);
criterion_main!(benches);
