//! Passive authentication, documents per second: `icao9303::pa::verify`
//! against OpenSSL's library (`dinhdanh_pa_bench::OpensslVerifier`) on the
//! same files in the same process, for an RSA-2048 chain, a P-256 DS and
//! a brainpoolP512r1 DS with explicit parameters (both under the
//! brainpoolP512r1 CSCA with explicit parameters).
//!
//! `cargo bench -p dinhdanh-pa-bench` runs criterion's groups (throughput
//! in documents per second: `elem/s`), then a table of the two sides
//! measured in alternation, round by round, and their ratio (icao9303's
//! documents per second over OpenSSL's: above 1 is faster).
//! `PA_RATIO_SECONDS` sets each side's time per round (default 0.5 s, six
//! rounds); 0 skips the table. In criterion's test mode (`cargo test
//! --bench`) each function runs once and there is no table.

// A bench whose files or verifiers are missing may stop.
#![allow(clippy::panic, missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group};
use dinhdanh_pa_bench::{AT_UNIX, CHAINS, Chain, Document, OpensslVerifier, icao9303_verify};
use icao9303::lds::DataGroup;
use icao9303::pa::{TrustStore, VerifyOptions};

fn fail<T>(chain: Chain, e: &dyn std::fmt::Display) -> T {
    panic!("{}: {e}", chain.name)
}

/// One chain, ready for both verifiers.
struct Setup {
    doc: Document,
    store: TrustStore,
    options: VerifyOptions,
    openssl: OpensslVerifier,
}

impl Setup {
    fn new(chain: Chain) -> Setup {
        let doc = Document::load(&chain).unwrap_or_else(|e| fail(chain, &e));
        let store = doc.trust_store().unwrap_or_else(|e| fail(chain, &e));
        let options = dinhdanh_pa_bench::options().unwrap_or_else(|e| fail(chain, &e));
        let openssl = OpensslVerifier::new(&doc.csca, AT_UNIX).unwrap_or_else(|e| fail(chain, &e));
        let s = Setup {
            doc,
            store,
            options,
            openssl,
        };
        // Both sides must accept the document, or the figures mean nothing.
        let v = s.ours(&s.doc.borrowed());
        assert!(v, "{}: icao9303 refuses it", chain.name);
        if let Err(e) = s.theirs(&s.doc.borrowed()) {
            fail::<()>(chain, &e);
        }
        s
    }

    fn ours(&self, dgs: &[(DataGroup, &[u8])]) -> bool {
        icao9303_verify(black_box(&self.doc.sod), dgs, &self.store, &self.options).valid
    }

    fn theirs(&self, dgs: &[(DataGroup, &[u8])]) -> Result<(), dinhdanh_pa_bench::Refusal> {
        self.openssl.verify(black_box(&self.doc.sod), dgs)
    }
}

fn pa_vs_openssl(c: &mut Criterion) {
    let mut g = c.benchmark_group("pa_vs_openssl");
    g.throughput(Throughput::Elements(1));
    for chain in CHAINS {
        let s = Setup::new(chain);
        let dgs = s.doc.borrowed();
        g.bench_function(format!("icao9303/{}", chain.name), |b| {
            b.iter(|| s.ours(black_box(&dgs)))
        });
        g.bench_function(format!("openssl/{}", chain.name), |b| {
            b.iter(|| s.theirs(black_box(&dgs)))
        });
        // OpenSSL's own path validation runs only where it accepts the
        // chain: OpenSSL 3.0 refuses explicit EC parameters.
        if s.openssl.verify_with_x509_chain(&s.doc.sod, &dgs).is_ok() {
            g.bench_function(format!("openssl_x509_verify_cert/{}", chain.name), |b| {
                b.iter(|| {
                    s.openssl
                        .verify_with_x509_chain(black_box(&s.doc.sod), &dgs)
                })
            });
        }
    }
    g.finish();
}

/// Documents per second of `f` over `time`.
fn rate(time: Duration, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut n: u64 = 0;
    while start.elapsed() < time {
        f();
        n = n.saturating_add(1);
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// The two sides in alternation, six rounds each, and the ratio.
fn ratio_table() {
    let secs: f64 = std::env::var("PA_RATIO_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.5);
    if secs <= 0.0 {
        return;
    }
    let time = Duration::from_secs_f64(secs);
    println!();
    println!("pa_vs_openssl: documents per second, 6 alternating rounds of {secs} s a side");
    println!(
        "{:<18} {:>12} {:>12} {:>14}",
        "chain", "icao9303", "openssl", "ratio"
    );
    for chain in CHAINS {
        let s = Setup::new(chain);
        let dgs = s.doc.borrowed();
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..6 {
            ours.push(rate(time, || {
                black_box(s.ours(&dgs));
            }));
            theirs.push(rate(time, || {
                let _ = black_box(s.theirs(&dgs));
            }));
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v.get(v.len() / 2).copied().unwrap_or(0.0)
        };
        let ratios: Vec<String> = ours
            .iter()
            .zip(&theirs)
            .map(|(a, b)| format!("{:.2}", a / b))
            .collect();
        let (o, t) = (median(&mut ours), median(&mut theirs));
        println!(
            "{:<18} {:>12.0} {:>12.0} {:>14.2}   (ratio per round: {})",
            chain.name,
            o,
            t,
            o / t,
            ratios.join(" ")
        );
    }
}

criterion_group!(benches, pa_vs_openssl);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if std::env::args().any(|a| a == "--bench") {
        ratio_table();
    }
}
