//! Criterion benches of the hot parsers of printed data: the CCCD QR payload
//! (borrowed view and owned form) and the MRZ.
//!
//! `cargo bench --bench parsers`

use std::hint::black_box;

use cccd::qr::{QrData, QrPayload};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use icao9303::mrz::Mrz;

/// A 7-field payload as 2021-2024 chip cards write it (synthetic person).
const QR_7: &str = "001099012345|123456789|Nguyễn Văn An|15031999|Nam|Số 1 Tràng Tiền, Phường Tràng Tiền, Quận Hoàn Kiếm, Hà Nội|01072021";
/// The 11-field payload of cards from 1 July 2024.
const QR_11: &str = "079303001234||Trần Thị Bích Ngọc|29022004|Nữ|Phường Bến Nghé, Quận 1, Hồ Chí Minh|10102024||||";

const TD1: &str = "IDVNM0990123459001099012345<<0\n9903159M2403155VNM<<<<<<<<<<<2\nNGUYEN<<VAN<A<<<<<<<<<<<<<<<<<";
const TD3: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

fn qr(c: &mut Criterion) {
    let mut g = c.benchmark_group("qr");
    for (name, payload) in [("7_fields", QR_7), ("11_fields", QR_11)] {
        g.throughput(Throughput::Bytes(payload.len() as u64));
        g.bench_function(format!("borrowed/{name}"), |b| {
            b.iter(|| QrPayload::parse(black_box(payload.as_bytes())))
        });
        g.bench_function(format!("owned/{name}"), |b| {
            b.iter(|| QrData::parse(black_box(payload.as_bytes())))
        });
    }
    // Decomposed (NFD) input takes the normalising path.
    let nfd: String = unicode_nfd(QR_7);
    g.bench_function("borrowed/7_fields_nfd", |b| {
        b.iter(|| QrPayload::parse(black_box(nfd.as_bytes())))
    });
    g.finish();
}

fn unicode_nfd(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd().collect()
}

fn mrz(c: &mut Criterion) {
    let mut g = c.benchmark_group("mrz");
    g.bench_function("td1_cccd", |b| b.iter(|| Mrz::parse(black_box(TD1))));
    g.bench_function("td3", |b| b.iter(|| Mrz::parse(black_box(TD3))));
    g.finish();
}

criterion_group!(benches, qr, mrz);
criterion_main!(benches);
