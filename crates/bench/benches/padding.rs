//! ISO/IEC 9797-1 padding method 2 (ISO/IEC 7816-4's `80 00..`): the
//! crate's own `sm::pad`/`sm::unpad` against `block-padding`'s `Iso7816`
//! (0.4.2, the version cbc and aes already pull) on the same inputs, in the same
//! run: issue 15 point 7 asks to take `block-padding` if it is no slower.
//!
//! `cargo bench --bench padding -- --warm-up-time 1 --measurement-time 2`
//!
//! Sizes are what secure messaging pads: 8 and 16 bytes (one 3DES or AES
//! block: PACE's and CA's tokens, a short command), 223 (an odd length
//! that pads to a partial block) and 1000 (a large READ BINARY's answer).

// A bench sets up fixed, valid inputs: a failure there is a bug in the bench.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::hint::black_box;

// block-padding as cbc re-exports it: the very version icao9303's ciphers
// pull (0.4.2, through cipher's inout), so no crate more.
use cbc::cipher::block_padding::{Iso7816, Padding};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use icao9303::sm;

const SIZES: [usize; 4] = [8, 16, 223, 1000];
/// 3DES and AES.
const BLOCKS: [usize; 2] = [8, 16];

/// `sm::pad` done with block-padding: the data, zeros to the next block
/// boundary past it, then `Iso7816::raw_pad` on the last block (the block
/// length is known at run time only, so the slice form, not the typed one).
fn bp_pad(data: &[u8], block: usize) -> Vec<u8> {
    let tail = data.len() / block * block;
    let padded = tail + block;
    let mut out = Vec::with_capacity(padded);
    out.extend_from_slice(data);
    out.resize(padded, 0);
    Iso7816::raw_pad(&mut out[tail..], data.len() - tail);
    out
}

/// `sm::unpad` done with block-padding: `Iso7816::raw_unpad` on the last
/// block of block-aligned data (what a decrypted cryptogram is).
fn bp_unpad(data: &[u8], block: usize) -> Option<&[u8]> {
    let tail = data.len().checked_sub(block)?;
    let kept = Iso7816::raw_unpad(&data[tail..]).ok()?.len();
    Some(&data[..tail + kept])
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
            assert_eq!(sm::pad(&data, block), bp_pad(&data, block));
            g.bench_with_input(BenchmarkId::new("ours", size), &data, |b, d| {
                b.iter(|| sm::pad(black_box(d), block))
            });
            g.bench_with_input(BenchmarkId::new("block-padding", size), &data, |b, d| {
                b.iter(|| bp_pad(black_box(d), block))
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
            assert_eq!(bp_unpad(&padded, block), Some(data.as_slice()));
            g.bench_with_input(BenchmarkId::new("ours", size), &padded, |b, p| {
                b.iter(|| sm::unpad(black_box(p), block).map(<[u8]>::len))
            });
            g.bench_with_input(BenchmarkId::new("block-padding", size), &padded, |b, p| {
                b.iter(|| bp_unpad(black_box(p), block).map(<[u8]>::len))
            });
        }
        g.finish();
    }
}

criterion_group!(benches, pad, unpad);
criterion_main!(benches);
