//! cccd::ekyc::verify on arbitrary bytes: EF.SOD, DG1, DG13 and DG2 (each
//! after a 2-byte big-endian length) and the rest as a QR payload, against
//! the simulator's demonstration CSCA. Never panics; `ok` only with no
//! reason, genuine and consistent.
#![no_main]

use std::sync::OnceLock;

use cccd::ekyc::{ChipFiles, EkycOptions, verify};
use cccd::qr::QrPayload;
use icao9303::lds::DataGroup;
use icao9303::pa::{Certificate, DateTime, TrustStore};
use icao9303_sim::SimRng;
use icao9303_sim::pki::{DEMO_SEED, TestPki};
use libfuzzer_sys::fuzz_target;

fn fixture() -> &'static (TrustStore, EkycOptions) {
    static F: OnceLock<(TrustStore, EkycOptions)> = OnceLock::new();
    F.get_or_init(|| {
        let mut store = TrustStore::new();
        let pki = TestPki::generate(&mut SimRng::from_seed_u64(DEMO_SEED), "VN")
            .expect("the demonstration PKI");
        store.add_certificate(Certificate::from_der(pki.csca_certificate()).expect("its CSCA"));
        let now = DateTime::new(2026, 6, 1, 0, 0, 0).unwrap_or(DateTime::INFINITY);
        (store, EkycOptions::at(now))
    })
}

/// The next part: a 2-byte length, then that many bytes (or what is left).
fn part<'a>(data: &mut &'a [u8]) -> &'a [u8] {
    let n = match data {
        [a, b, ..] => usize::from(u16::from_be_bytes([*a, *b])),
        _ => 0,
    };
    let rest = data.get(2..).unwrap_or_default();
    let (p, r) = rest.split_at(n.min(rest.len()));
    *data = r;
    p
}

fuzz_target!(|data: &[u8]| {
    let (store, options) = fixture();
    let mut rest = data;
    let sod = part(&mut rest);
    let dg1 = part(&mut rest);
    let dg13 = part(&mut rest);
    let dg2 = part(&mut rest);
    let qr = QrPayload::parse(rest).ok();
    let files = ChipFiles::new(sod)
        .with(DataGroup::Dg1, dg1)
        .with(DataGroup::Dg2, dg2)
        .with(DataGroup::Dg13, dg13);
    let v = verify(&files, qr.as_ref(), store, options);
    assert_eq!(v.ok, v.reasons.is_empty() && v.genuine && v.consistent);
    for r in &v.reasons {
        let _ = r.to_string();
    }
});
