//! `dinhdanh chip read --sim --qr PAYLOAD`: the chip read with the key the
//! QR code alone gives (the expiry from the law, cccd::expiry), each
//! candidate in turn where the law leaves the day open; and `qr parse`'s
//! `expiry_date`.

// A panic in a test is a failing test, not a crash on untrusted input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::run;

use serde_json::{Value, json};

/// Born 15/03/1999, issued 01/07/2021 at 22: valid to the 25th birthday.
const QR: &str =
    "001099012345||Nguyễn Văn An|15031999|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|01072021";

/// Born 01/09/1964, issued on the 58th birthday: no expiry first, then the
/// 60th birthday.
const QR_58: &str = "001064012345||Trần Văn Bình|01091964|Nam|Hà Nội|01092022";

fn json_ok(args: &[&str]) -> Value {
    let o = run(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn qr_parse_gives_the_expiry_the_law_gives() {
    let v = json_ok(&["qr", "parse", QR]);
    assert_eq!(v["expiry_date"], "2024-03-15");
    assert_eq!(v["expiry_date_candidates"], json!(["2024-03-15"]));
    assert_eq!(v["expiry_law"], "59/2014/QH13");
    let v = json_ok(&["qr", "parse", QR_58]);
    assert_eq!(v["expiry_date"], Value::Null);
    assert_eq!(v["expiry_date_candidates"], json!([null, "2024-09-01"]));
    // Issued from 1 July 2024: the 2023 law (a child of 11: to 14).
    let child = "001213012345||Lê Thị Cúc|01032013|Nữ|Hà Nội|01072024||||";
    let v = json_ok(&["qr", "parse", child]);
    assert_eq!(v["expiry_date"], "2027-03-01");
    assert_eq!(v["expiry_law"], "26/2023/QH15");
}

#[test]
fn chip_read_from_the_qr_code_alone() {
    let v = json_ok(&["chip", "read", "--sim", "--qr", QR, "--json", "--quiet"]);
    assert_eq!(v["access_control"]["method"], "bac");
    assert_eq!(
        v["qr_key"],
        json!({"candidates": 1, "accepted": 1, "date_of_expiry": "2024-03-15", "law": "59/2014/QH13"})
    );
    assert_eq!(v["dg1"]["mrz"]["document_number"], "099012345");
    assert_eq!(v["dg13"]["full_name"], "Nguyễn Văn An");
    assert_eq!(v["dg13"]["date_of_expiry"], "2024-03-15");
    assert_eq!(v["passive_authentication"]["valid"], true);
}

#[test]
fn chip_read_tries_the_next_candidate_after_a_6300() {
    // The card was made with the second reading (expiry on the 60th
    // birthday): the first key is refused with 6300, the second opens it.
    let o = run(&[
        "chip",
        "read",
        "--sim",
        "--qr",
        QR_58,
        "--sim-expiry",
        "240901",
        "--json",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("the chip refused key 1 of 2: trying the next date of expiry"),
        "{err}"
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["qr_key"]["candidates"], 2);
    assert_eq!(v["qr_key"]["accepted"], 2);
    assert_eq!(v["qr_key"]["date_of_expiry"], "2024-09-01");
    assert_eq!(v["dg13"]["date_of_expiry"], "2024-09-01");
    // The law's first reading: no expiry.
    let v = json_ok(&["chip", "read", "--sim", "--qr", QR_58, "--json", "--quiet"]);
    assert_eq!(v["qr_key"]["accepted"], 1);
    assert_eq!(v["qr_key"]["date_of_expiry"], Value::Null);
    assert_eq!(v["dg1"]["mrz"]["date_of_expiry"], "991231");
}

#[test]
fn chip_read_refuses_when_no_candidate_opens_the_chip() {
    // A card expiring on a date the law does not give it.
    let o = run(&[
        "chip",
        "read",
        "--sim",
        "--qr",
        QR_58,
        "--sim-expiry",
        "300101",
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("wrong key") && err.contains("each of the 2 key(s) the QR code gives"),
        "{err}"
    );
    // A payload that does not parse is a usage error, naming the field.
    let o = run(&["chip", "read", "--sim", "--qr", "001099012345|x", "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--qr: QR payload"));
}
