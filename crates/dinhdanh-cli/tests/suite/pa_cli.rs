//! The CLI's `pa verify` and `masterlist inspect` contract (docs/DESIGN.md
//! §4), run as a user would, on the OpenSSL-made files of
//! `crates/icao9303/testdata/pa` and the master lists of `../shared`.

// A panic in a test is a failing test, not a crash on untrusted input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;
use std::process::Output;

use crate::common::{icao9303_pa_dir, run, shared_path};

use serde_json::Value;

/// The OpenSSL-made files of `crates/icao9303/testdata/pa`.
struct Pa(PathBuf);

impl Pa {
    /// The directory, or `None` (after a line on stderr) when the crate is
    /// not in its repository.
    fn files() -> Option<Pa> {
        icao9303_pa_dir().map(Pa)
    }

    fn f(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_owned()
    }

    fn dg_args(&self, dg1: &str) -> Vec<String> {
        let mut v = Vec::new();
        for (n, f) in [
            (1, dg1),
            (2, "dg2.bin"),
            (11, "dg11.bin"),
            (13, "dg13.bin"),
            (14, "dg14.bin"),
            (15, "dg15.bin"),
        ] {
            v.push("--dg".to_owned());
            v.push(format!("{n}={}", self.f(f)));
        }
        v
    }

    fn verify(&self, sod: &str, dg1: &str, extra: &[&str]) -> Output {
        let mut args = vec![
            "pa".to_owned(),
            "verify".to_owned(),
            "--sod".to_owned(),
            self.f(sod),
        ];
        args.extend(self.dg_args(dg1));
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&refs)
    }
}

/// A file of `../shared/testdata`, or `None` when absent.
fn shared(name: &str) -> Option<String> {
    shared_path(&format!("testdata/{name}")).map(|p| p.to_str().unwrap().to_owned())
}

#[test]
fn valid_document_exit_0() {
    let Some(pa) = Pa::files() else {
        return;
    };
    let out = pa.verify(
        "sod-bp256.bin",
        "dg1.bin",
        &[
            "--csca",
            &pa.f("csca-utopia.pem"),
            "--crl",
            &pa.f("crl-rsa.der"),
            "--at",
            "2026-06-01",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], true);
    assert_eq!(v["signature"]["status"], "passed");
    assert_eq!(v["chain"]["status"], "passed");
    assert_eq!(v["signature_algorithm"], "ecdsa(sha-256)");
    assert_eq!(v["checked_at"], "2026-06-01T00:00:00Z");
    assert_eq!(v["data_groups"].as_array().unwrap().len(), 6);
    assert_eq!(v["trust_store"]["certificates"], 2);
    assert_eq!(v["trust_store"]["crls"], 1);
    assert!(out.stderr.is_empty());
}

#[test]
fn invalid_document_exit_1_with_verdict() {
    let Some(pa) = Pa::files() else {
        return;
    };
    let out = pa.verify(
        "sod-rsa.bin",
        "dg1-tampered.bin",
        &["--csca", &pa.f("csca-rsa.der"), "--at", "2026-06-01"],
    );
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["data_groups"][0]["check"]["code"], "hash-mismatch");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("invalid: dg1 failed (hash-mismatch)"), "{err}");
}

#[test]
fn usage_and_io_errors_exit_2() {
    let Some(pa) = Pa::files() else {
        return;
    };
    // No --csca.
    let out = run(&["pa", "verify", "--sod", &pa.f("sod-rsa.bin")]);
    assert_eq!(out.status.code(), Some(2));
    // A file that is not there.
    let out = pa.verify(
        "sod-missing.bin",
        "dg1.bin",
        &["--csca", &pa.f("csca-rsa.der")],
    );
    assert_eq!(out.status.code(), Some(2));
    // A trust file that is no certificate.
    let out = pa.verify("sod-rsa.bin", "dg1.bin", &["--csca", &pa.f("dg2.bin")]);
    assert_eq!(out.status.code(), Some(2));
    // A bad --dg.
    let out = run(&[
        "pa",
        "verify",
        "--sod",
        &pa.f("sod-rsa.bin"),
        "--dg",
        "17=x",
        "--csca",
        ".",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn master_list_as_csca_with_its_root() {
    let (Some(sod), Some(dg1), Some(ml), Some(root)) = (
        shared("jmrtd/lds/loes2006/ef011D.bin"),
        shared("jmrtd/lds/loes2006/ef0101.bin"),
        shared("gmrtd/master_list/DE_ML_2026-05-28-08-28-45.ml"),
        shared("gmrtd/master_list/DE_ROOT_CA_CSCA07.cer"),
    ) else {
        return;
    };
    // The root first or after: master lists are loaded last.
    let out = run(&[
        "pa",
        "verify",
        "--sod",
        &sod,
        "--dg",
        &format!("1={dg1}"),
        "--csca",
        &ml,
        &root,
        "--at",
        "2008-01-01",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["trust_store"]["certificates"], 588);
    assert_eq!(
        v["trust_store"]["master_lists"][0]["signer_chain"]["status"],
        "passed"
    );
    assert_eq!(v["signature"]["status"], "passed");
    // The Sdu test CSCA is in no master list.
    assert_eq!(v["chain"]["code"], "unknown-csca");
}

#[test]
fn masterlist_inspect() {
    let (Some(pa), Some(nl_ml), Some(nl_root), Some(de_root)) = (
        Pa::files(),
        shared("gmrtd/master_list/NL_ML_2026-07-22.ml"),
        shared("gmrtd/master_list/NL_ROOT_CA.cer"),
        shared("gmrtd/master_list/DE_ROOT_CA_CSCA07.cer"),
    ) else {
        return;
    };
    let out = run(&[
        "masterlist",
        "inspect",
        &nl_ml,
        "--root",
        &nl_root,
        "--at",
        "2026-08-01",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["certificates"], 411);
    assert_eq!(v["countries"], 129);
    assert_eq!(v["per_country"]["VN"], 1);
    assert_eq!(v["signature"]["status"], "passed");
    assert_eq!(v["signer_chain"]["status"], "passed");
    assert_eq!(v["signer"]["serial_number"], "69005e1c");
    // The wrong root: exit 1, the JSON still printed.
    let out = run(&["masterlist", "inspect", &nl_ml, "--root", &de_root]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["signer_chain"]["code"], "unknown-csca");
    // Not a master list: exit 1, one line.
    let out = run(&["masterlist", "inspect", &pa.f("csca-rsa.der")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}
