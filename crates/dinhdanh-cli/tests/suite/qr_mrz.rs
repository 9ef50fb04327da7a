//! The CLI's `qr parse` and `mrz parse` contract (docs/DESIGN.md §4), run as
//! a user would: the binary, its arguments or standard input, its exit code.

// A panic in a test is a failing test, not a crash on untrusted input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dinhdanh"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn json_of(out: &Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A refusal: exit 1, nothing on stdout, exactly one line on stderr.
fn refusal(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    err
}

const SEVEN: &str =
    "001099012345||Nguyễn Văn An|15031999|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|01072021";

#[test]
fn qr_parse_seven_fields() {
    let v = json_of(&run(&["qr", "parse", SEVEN], None));
    assert_eq!(
        v,
        json!({
            "id_number": "001099012345",
            "old_id_number": null,
            "full_name": "Nguyễn Văn An",
            "date_of_birth": "1999-03-15",
            "sex": "male",
            "address": "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội",
            "issue_date": "2021-07-01",
            "expiry_date": "2024-03-15",
            "expiry_date_candidates": ["2024-03-15"],
            "expiry_law": "59/2014/QH13",
            "extra_fields": [],
            "id_info": {
                "province_code": "001",
                "province_name": "Hà Nội",
                "birth_century": 1900,
                "birth_year_2": "99"
            },
            "warnings": []
        })
    );
}

#[test]
fn qr_parse_from_stdin_normalises_nfd_and_keeps_eleven_fields() {
    use unicode_normalization::UnicodeNormalization;
    let payload = "079304001234|123456789|Trần Thị Bích Ngọc|29022004|Nữ|Quận 1, Hồ Chí Minh|10102024||||\r\n";
    let nfd: String = payload.nfd().collect();
    assert_ne!(nfd, payload);
    for args in [&["qr", "parse", "-"][..], &["qr", "parse"][..]] {
        let v = json_of(&run(args, Some(nfd.as_bytes())));
        assert_eq!(v["full_name"], "Trần Thị Bích Ngọc");
        assert_eq!(v["address"], "Quận 1, Hồ Chí Minh");
        assert_eq!(v["sex"], "female");
        assert_eq!(v["old_id_number"], "123456789");
        assert_eq!(v["extra_fields"], json!(["", "", "", ""]));
        assert_eq!(v["id_info"]["province_name"], "Hồ Chí Minh");
        assert_eq!(v["id_info"]["birth_century"], 2000);
        assert_eq!(v["warnings"], json!([]));
    }
}

#[test]
fn qr_parse_warns_when_the_id_disagrees() {
    // Digit 4 = 1: a woman born in the 1900s; the payload says a man born in 2004.
    let v = json_of(&run(
        &[
            "qr",
            "parse",
            &SEVEN
                .replace("15031999", "15032004")
                .replace("001099", "001104"),
        ],
        None,
    ));
    assert_eq!(v["warnings"].as_array().unwrap().len(), 2);
}

#[test]
fn qr_parse_refuses_each_bad_field_naming_it() {
    for (from, to, field) in [
        ("001099012345", "0010990123", "id_number"),
        ("||Nguyễn", "|12345|Nguyễn", "old_id_number"),
        ("Nguyễn Văn An", "", "full_name"),
        ("15031999", "31021999", "date_of_birth"),
        ("|Nam|", "|M|", "sex"),
        ("01072021", "2021-07-01", "issue_date"),
    ] {
        let err = refusal(&run(&["qr", "parse", &SEVEN.replace(from, to)], None));
        assert!(err.contains(field), "{field}: {err}");
    }
    let err = refusal(&run(&["qr", "parse", "001099012345|only|three"], None));
    assert_eq!(
        err.trim_end(),
        "QR payload: 3 fields separated by '|', expected at least 7: date_of_birth missing at byte 23 (the end)"
    );
    let err = refusal(&run(&["qr", "parse", "001099012345"], None));
    assert!(err.contains(": 1 field separated"), "{err}");
    let err = refusal(&run(&["qr", "parse"], Some(b"\xff\xfe")));
    assert_eq!(
        err.trim_end(),
        "QR payload: id_number at byte 0: not valid UTF-8"
    );
    let mut bytes = SEVEN.as_bytes().to_vec();
    bytes[16] = 0xC0;
    let err = refusal(&run(&["qr", "parse", "-"], Some(&bytes)));
    assert_eq!(
        err.trim_end(),
        "QR payload: full_name at byte 16: not valid UTF-8"
    );
}

#[test]
fn qr_parse_takes_an_upper_cased_payload() {
    // As some scanner apps give it.
    let upper = SEVEN.replace("|Nam|", "|Nữ|").to_uppercase();
    let v = json_of(&run(&["qr", "parse", &upper], None));
    assert_eq!(v["sex"], "female");
    assert_eq!(v["full_name"], "NGUYỄN VĂN AN");
    assert_eq!(v["date_of_birth"], "1999-03-15");
    let v = json_of(&run(&["qr", "parse", &SEVEN.to_uppercase()], None));
    assert_eq!(v["sex"], "male");
}

#[test]
fn mrz_parse_a_cccd() {
    let text = "IDVNM0990123459001099012345<<0\n9903159M2403155VNM<<<<<<<<<<<2\nNGUYEN<<VAN<A<<<<<<<<<<<<<<<<<\n";
    let v = json_of(&run(&["mrz", "parse", "-"], Some(text.as_bytes())));
    assert_eq!(v["format"], "TD1");
    assert_eq!(v["document_code"], "ID");
    assert_eq!(v["document_number"], "099012345");
    assert_eq!(v["primary_identifier"], "NGUYEN");
    assert_eq!(v["secondary_identifier"], "VAN A");
    assert_eq!(v["sex"], "male");
    assert_eq!(v["dates"]["date_of_birth"], "1999-03-15");
    assert_eq!(v["dates"]["date_of_expiry"], "2024-03-15");
    assert_eq!(v["cccd_id_number"], "001099012345");
    assert_eq!(v["check_digits"], "verified");
}

#[test]
fn mrz_parse_refuses_a_wrong_check_digit() {
    let text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<11";
    let err = refusal(&run(&["mrz", "parse", text], None));
    assert!(
        err.contains("composite") && err.contains("position 44"),
        "{err}"
    );
    let ok = json_of(&run(
        &["mrz", "parse", &text.replace("<<<<<11", "<<<<<10")],
        None,
    ));
    assert_eq!(ok["cccd_id_number"], Value::Null);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["qr", "frobnicate"], None).status.code(), Some(2));
}
