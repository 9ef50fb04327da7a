//! Criterion benches of passive authentication: a whole CCCD-like document
//! (EF.SOD + 6 data groups, from `crates/icao9303/testdata/pa`) with an
//! RSA-2048, ECDSA P-256, brainpoolP256r1 or brainpoolP512r1 Document
//! Signer, with and without the chain to the CSCA; and the German CSCA
//! master list (588 certificates) parsed and indexed into a trust store.
//!
//! `cargo bench --bench pa`

// A bench that cannot read its files may stop.
#![allow(clippy::panic)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use icao9303::lds::DataGroup;
use icao9303::pa::{self, Certificate, DateTime, MasterList, TrustStore, VerifyOptions};

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn pa_file(name: &str) -> Vec<u8> {
    read(&format!(
        "{}/../icao9303/testdata/pa/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
}

fn now() -> DateTime {
    DateTime::new(2026, 6, 1, 0, 0, 0).unwrap_or_else(|e| panic!("{e}"))
}

fn cert(name: &str) -> Certificate {
    Certificate::from_der(&pa_file(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn document(c: &mut Criterion) {
    let dgs: Vec<(DataGroup, Vec<u8>)> = [
        (DataGroup::Dg1, "dg1.bin"),
        (DataGroup::Dg2, "dg2.bin"),
        (DataGroup::Dg11, "dg11.bin"),
        (DataGroup::Dg13, "dg13.bin"),
        (DataGroup::Dg14, "dg14.bin"),
        (DataGroup::Dg15, "dg15.bin"),
    ]
    .into_iter()
    .map(|(d, f)| (d, pa_file(f)))
    .collect();
    let borrowed: Vec<(DataGroup, &[u8])> = dgs.iter().map(|(d, b)| (*d, b.as_slice())).collect();
    let mut store = TrustStore::new();
    store.add_certificate(cert("csca-rsa.der"));
    store.add_certificate(cert("csca-ec.der"));
    let empty = TrustStore::new();
    let options = VerifyOptions::at(now());
    let mut g = c.benchmark_group("pa");
    // The DS certificate of the RSA document is under the RSA-2048 CSCA;
    // the others are under the brainpoolP512r1 (explicit parameters) CSCA.
    for (name, file) in [
        ("rsa2048", "sod-rsa.bin"),
        ("p256", "sod-p256.bin"),
        ("bp256r1", "sod-bp256.bin"),
        ("bp512r1", "sod-bp512.bin"),
    ] {
        let sod = pa_file(file);
        let v = pa::verify(&sod, &borrowed, &store, &options);
        assert!(v.is_valid(), "{name}: {}", v.summary());
        g.bench_function(format!("verify_document/{name}"), |b| {
            b.iter(|| pa::verify(black_box(&sod), black_box(&borrowed), &store, &options))
        });
        g.bench_function(format!("verify_sod_and_dgs_no_chain/{name}"), |b| {
            b.iter(|| pa::verify(black_box(&sod), black_box(&borrowed), &empty, &options))
        });
    }
    // A bank's store: the German master list (588 CSCAs) plus the test
    // CSCAs; chain building looks at every certificate.
    let ml = read(&format!(
        "{}/../../../shared/testdata/gmrtd/master_list/DE_ML_2026-05-28-08-28-45.ml",
        env!("CARGO_MANIFEST_DIR")
    ));
    let list = MasterList::parse(&ml).unwrap_or_else(|e| panic!("{e}"));
    let mut big = store.clone();
    big.add_master_list(&list, "DE", now())
        .unwrap_or_else(|e| panic!("{e}"));
    let sod = pa_file("sod-rsa.bin");
    g.bench_function("verify_document/rsa2048_store_590_cscas", |b| {
        b.iter(|| pa::verify(black_box(&sod), black_box(&borrowed), &big, &options))
    });
    g.finish();
}

fn master_list(c: &mut Criterion) {
    let ml = read(&format!(
        "{}/../../../shared/testdata/gmrtd/master_list/DE_ML_2026-05-28-08-28-45.ml",
        env!("CARGO_MANIFEST_DIR")
    ));
    let root = read(&format!(
        "{}/../../../shared/testdata/gmrtd/master_list/DE_ROOT_CA_CSCA07.cer",
        env!("CARGO_MANIFEST_DIR")
    ));
    let root = Certificate::from_der(&root).unwrap_or_else(|e| panic!("{e}"));
    let mut g = c.benchmark_group("pa");
    g.sample_size(10);
    g.bench_function("master_list_de/parse_and_verify_signature", |b| {
        b.iter(|| MasterList::parse(black_box(&ml)))
    });
    let list = MasterList::parse(&ml).unwrap_or_else(|e| panic!("{e}"));
    g.bench_function("master_list_de/index_into_store_with_root", |b| {
        b.iter(|| {
            let mut store = TrustStore::new();
            store.add_certificate(root.clone());
            let load = store
                .add_master_list(black_box(&list), "DE", now())
                .unwrap_or_else(|e| panic!("{e}"));
            black_box((store.len(), load))
        })
    });
    g.finish();
}

criterion_group!(benches, document, master_list);
criterion_main!(benches);
