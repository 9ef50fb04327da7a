//! `dinhdanh ekyc verify --dir DIR --qr PAYLOAD --csca PATH` on what
//! `chip read --sim --out DIR` wrote: exit 0 genuine and consistent, 1 not
//! (a flipped byte, a wrong QR code, another CSCA, a missing required
//! group), 2 usage (docs/DESIGN.md §4).

// A panic in a test is a failing test, not a crash on untrusted input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use crate::common::{run, shared_path};
use serde_json::Value;

const QR: &str = "001099012345||Nguyễn Văn An|15031999|Nam|Hà Nội|01072021";

/// A fresh copy of a simulated CCCD's files, read from its QR code.
fn card_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dinhdanh-ekyc-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = run(&[
        "chip",
        "read",
        "--sim",
        "--qr",
        QR,
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    dir
}

fn ekyc(dir: &Path, qr: &str, csca: &Path, extra: &[&str]) -> (Option<i32>, Value, String) {
    let mut args = vec![
        "ekyc",
        "verify",
        "--dir",
        dir.to_str().unwrap(),
        "--qr",
        qr,
        "--csca",
        csca.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let json = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
    (o.status.code(), json, stderr)
}

fn kinds(v: &Value) -> Vec<String> {
    v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn genuine_files_pass_and_each_fault_fails_with_its_reason() {
    let dir = card_dir("ok");
    let csca = dir.join("csca.der");
    let (code, v, err) = ekyc(&dir, QR, &csca, &[]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(v["ok"], true);
    assert_eq!(v["genuine"], true);
    assert_eq!(v["consistent"], true);
    assert_eq!(v["reasons"], serde_json::json!([]));
    assert_eq!(v["id_number"], "001099012345");
    assert_eq!(v["holder"]["full_name"], "Nguyễn Văn An");
    assert_eq!(v["face"]["format"], "jpeg");
    assert!(v["face"]["data_length"].as_u64().unwrap() > 100);
    assert_eq!(v["passive_authentication"]["valid"], true);
    // chip read --out writes DG14 and DG15 too: all supplied.
    assert_eq!(v["not_supplied"], serde_json::json!([]));
    assert!(v["files"].as_array().unwrap().contains(&"DG13".into()));

    // A wrong QR code: another name.
    let other = QR.replace("Văn An", "Văn Ân");
    let (code, v, err) = ekyc(&dir, &other, &csca, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(kinds(&v), ["mismatch"]);
    assert_eq!(v["reasons"][0]["field"], "full_name");
    let msg = v["reasons"][0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("Họ và tên không khớp") && msg.contains("Full name differs"),
        "{msg}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("not consistent"), "{err}");

    // Another CSCA: the Dutch one, which signed nothing here.
    if let Some(nl) = shared_path("testdata/gmrtd/master_list/NL_ROOT_CA.cer") {
        let (code, v, err) = ekyc(&dir, QR, &nl, &[]);
        assert_eq!(code, Some(1), "{err}");
        assert_eq!(v["genuine"], false);
        assert!(
            v["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["kind"] == "passive_authentication" && r["check"] == "chain"),
            "{v}"
        );
        assert!(err.contains("not genuine"), "{err}");
    }

    // A required group missing; the same group not required is fine.
    std::fs::remove_file(dir.join("DG2.bin")).unwrap();
    let (code, v, _) = ekyc(&dir, QR, &csca, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(kinds(&v), ["required_missing"]);
    assert_eq!(v["reasons"][0]["data_group"], 2);
    let (code, v, err) = ekyc(&dir, QR, &csca, &["--require", "1", "--require", "DG13"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(v["not_supplied"], serde_json::json!([2]));

    // A flipped byte in DG13.
    let path = dir.join("DG13.bin");
    let mut dg13 = std::fs::read(&path).unwrap();
    let last = dg13.len() - 1;
    dg13[last] ^= 1;
    std::fs::write(&path, dg13).unwrap();
    let (code, v, _) = ekyc(&dir, QR, &csca, &["--require", "1", "--require", "13"]);
    assert_eq!(code, Some(1));
    assert_eq!(kinds(&v), ["hash_mismatch"]);
    assert_eq!(v["reasons"][0]["data_group"], 13);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn usage_errors_exit_2() {
    let empty = std::env::temp_dir().join(format!("dinhdanh-ekyc-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let csca = empty.join("none.der");
    let (code, _, err) = ekyc(&empty, QR, &csca, &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no EF.SOD.bin"), "{err}");
    let dir = card_dir("usage");
    let (code, _, err) = ekyc(&dir, "not|a|qr", &dir.join("csca.der"), &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--qr: QR payload"), "{err}");
    let (code, _, _) = ekyc(&dir, QR, &dir.join("csca.der"), &["--require", "17"]);
    assert_eq!(code, Some(2));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&empty);
}
