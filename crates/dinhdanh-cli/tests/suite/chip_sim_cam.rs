//! `dinhdanh chip read --sim ... --sim-cam`: the virtual chip offers PACE
//! with Chip Authentication Mapping, and the JSON report (docs/DESIGN.md
//! §4) shows PACE-CAM as the access control and the chip authentication.

// A panic in a test is a failing test, not a crash on untrusted input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::run;

use serde_json::Value;

#[test]
fn chip_read_sim_cam_reports_pace_cam() {
    let out_dir = std::env::temp_dir().join(format!("dinhdanh-cam-{}", std::process::id()));
    let out = out_dir.to_str().unwrap();
    let o = run(&[
        "chip",
        "read",
        "--sim",
        "--can",
        "123456",
        "--sim-pace",
        "brainpoolp256r1",
        "--sim-cipher",
        "aes256",
        "--sim-cam",
        "--json",
        "--quiet",
        "--out",
        out,
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["access_control"]["method"], "pace");
    assert_eq!(
        v["access_control"]["protocol"]["mapping"],
        "ChipAuthentication"
    );
    assert_eq!(v["access_control"]["protocol"]["cipher"], "Aes256");
    assert_eq!(v["access_control"]["parameters"], "BrainpoolP256r1");
    assert_eq!(v["chip_authentication"]["passed"], true);
    let detail = v["chip_authentication"]["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("PACE-CAM on BrainpoolP256r1"),
        "{detail}"
    );
    // EF.CardSecurity is the first file read, and written by --out.
    assert_eq!(v["files"][0]["file"], "EF.CardSecurity");
    let size = v["files"][0]["size"].as_u64().unwrap();
    let written = std::fs::read(out_dir.join("EF.CardSecurity.bin")).unwrap();
    assert_eq!(written.len() as u64, size);
    assert_eq!(written[0], 0x30);
    // The data groups still pass passive authentication, and so does
    // EF.CardSecurity.
    assert_eq!(v["passive_authentication"]["valid"], true);
    assert_eq!(v["card_security_authentication"]["valid"], true);
    assert_eq!(
        v["card_security_authentication"]["signature"]["status"],
        v["passive_authentication"]["signature"]["status"]
    );
    std::fs::remove_dir_all(&out_dir).unwrap();

    // Without CAM, the same chip is checked by Chip Authentication v1.
    let o = run(&[
        "chip",
        "read",
        "--sim",
        "--can",
        "123456",
        "--sim-pace",
        "brainpoolp256r1",
        "--json",
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["access_control"]["protocol"]["mapping"], "Generic");
    assert_eq!(v["files"][0]["file"], "EF.COM");
    assert!(v.get("card_security_authentication").is_none());
    let detail = v["chip_authentication"]["detail"].as_str().unwrap();
    assert!(!detail.contains("PACE-CAM"), "{detail}");
}

#[test]
fn sim_cam_needs_pace_with_ecdh_and_aes() {
    // BAC only: no PACE to map.
    let o = run(&[
        "chip",
        "read",
        "--sim",
        "--mrz",
        "X1234567,900101,300101",
        "--sim-cam",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("needs PACE"));
    // CAM with 3DES does not exist.
    let o = run(&[
        "chip",
        "read",
        "--sim",
        "--can",
        "123456",
        "--sim-cipher",
        "3des",
        "--sim-cam",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Chip Authentication Mapping"));
}
