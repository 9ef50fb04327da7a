//! Passive authentication on arbitrary bytes: EF.SOD parsed and verified
//! against a fixed trust store (the OpenSSL-made test CSCAs and CRL), the
//! same bytes as EF.CardSecurity, a data group, a certificate, a CRL, a
//! master list and a trust-store file. Never panics; never says valid for a document the
//! fixed store cannot have signed.
#![no_main]

use std::sync::OnceLock;

use icao9303::lds::DataGroup;
use icao9303::pa::{self, Certificate, Crl, DateTime, MasterList, TrustStore, VerifyOptions};
use libfuzzer_sys::fuzz_target;

const CSCA_RSA: &[u8] = include_bytes!("../../crates/icao9303/testdata/pa/csca-rsa.der");
const CSCA_EC: &[u8] = include_bytes!("../../crates/icao9303/testdata/pa/csca-ec.der");
const CRL: &[u8] = include_bytes!("../../crates/icao9303/testdata/pa/crl-rsa.der");
const DG1: &[u8] = include_bytes!("../../crates/icao9303/testdata/pa/dg1.bin");

fn fixture() -> &'static (TrustStore, VerifyOptions) {
    static F: OnceLock<(TrustStore, VerifyOptions)> = OnceLock::new();
    F.get_or_init(|| {
        let mut store = TrustStore::new();
        for der in [CSCA_RSA, CSCA_EC] {
            if let Ok(c) = Certificate::from_der(der) {
                store.add_certificate(c);
            }
        }
        if let Ok(c) = Crl::from_der(CRL) {
            store.add_crl(c);
        }
        let now = DateTime::new(2026, 6, 1, 0, 0, 0).unwrap_or(DateTime::INFINITY);
        (store, VerifyOptions::at(now))
    })
}

fuzz_target!(|data: &[u8]| {
    let (store, options) = fixture();
    let half = data.get(..data.len() / 2).unwrap_or_default();
    let verdict = pa::verify(
        data,
        &[(DataGroup::Dg1, DG1), (DataGroup::Dg2, half)],
        store,
        options,
    );
    assert_eq!(verdict.valid, verdict.is_valid());
    let _ = verdict.summary();
    if verdict.is_valid() {
        // Only a SOD signed under the test CSCAs can be valid.
        assert!(verdict.chain.is_passed());
    }
    let cs = pa::verify_card_security(data, store, options);
    assert_eq!(cs.valid, cs.is_valid());
    if cs.is_valid() {
        assert!(cs.chain.is_passed());
    }
    let _ = Certificate::from_der(data).map(|c| (c.info(), c.is_self_issued()));
    let _ = Crl::from_der(data).map(|c| c.revoked_serials());
    if let Ok(list) = MasterList::parse(data) {
        let _ = list.count_by_country();
        let _ = list.verify_signer(store, options.now);
    }
    let mut scratch = TrustStore::new();
    let _ = scratch.add_bytes(data, "fuzz", options.now);
});
