//! `dinhdanh chip read --trace FILE`: every command and response of the
//! read as JSON lines (hex, on the wire and under secure messaging
//! plain), and no secret in them: not the MRZ key, the CAN, the BAC keys
//! or PACE's password key, in text or in hex.

// A panic in a test is a failing test, not a crash on untrusted input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::run;
use icao9303::kdf::{self, KeyKind};
use icao9303::pace::PacePassword;
use serde_json::Value;

const ID: &str = "001099012345";
const DOB: &str = "990315";
const EXPIRY: &str = "301231";
const CAN: &str = "123456";

/// Reads the virtual chip with `key_args` and a trace; the report and the
/// trace's lines.
fn traced_read(name: &str, key_args: &[&str]) -> (Value, String, Vec<Value>) {
    let path = std::env::temp_dir().join(format!("dinhdanh-trace-{name}-{}", std::process::id()));
    let mut args = vec!["chip", "read", "--sim", "--json", "--quiet"];
    args.extend_from_slice(key_args);
    args.extend_from_slice(&["--trace", path.to_str().unwrap()]);
    let o = run(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the trace is personal data: {mode:o}");
    }
    std::fs::remove_file(&path).unwrap();
    let lines = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (report, text, lines)
}

/// The secrets of the read, each in text and in hex (both cases).
fn secrets(mrz_key: &icao9303::mrz::MrzKey, can: Option<&str>) -> Vec<String> {
    let mut raw: Vec<Vec<u8>> = vec![
        mrz_key.mrz_information().to_vec(),
        mrz_key.key_seed().to_vec(),
        mrz_key.sha1().to_vec(),
    ];
    let bac = icao9303::bac::document_keys(mrz_key);
    raw.push(bac.enc().to_vec());
    raw.push(bac.mac().to_vec());
    let mut passwords = vec![PacePassword::mrz(mrz_key)];
    if let Some(c) = can {
        raw.push(c.as_bytes().to_vec());
        passwords.push(PacePassword::can(c));
    }
    for p in &passwords {
        for cipher in [
            KeyKind::Tdes,
            KeyKind::Aes128,
            KeyKind::Aes192,
            KeyKind::Aes256,
        ] {
            raw.push(kdf::derive(p.key(), kdf::PACE, cipher).to_vec());
        }
    }
    let mut out = vec![String::from_utf8_lossy(mrz_key.mrz_information()).into_owned()];
    for r in raw {
        out.push(hex::encode_upper(&r));
        out.push(hex::encode(&r));
    }
    out
}

/// The trace's lines, well formed and one command and response per APDU.
fn check_lines(report: &Value, lines: &[Value]) {
    let commands: Vec<&Value> = lines.iter().filter(|l| l["event"] == "command").collect();
    let responses = lines.iter().filter(|l| l["event"] == "response").count();
    assert_eq!(
        commands.len() as u64,
        report["stats"]["total"]["apdus"].as_u64().unwrap()
    );
    assert_eq!(responses, commands.len());
    assert_eq!(commands[0]["apdu"], 1);
    assert_eq!(commands[0]["read"], 1);
    // The EF.CardAccess probe in the clear: READ BINARY of SFI 1C.
    assert!(
        commands[0]["wire"]
            .as_str()
            .unwrap()
            .starts_with("00B09C00")
    );
    assert_eq!(commands[0]["plain"], Value::Null);
    // Under secure messaging the plain command is there too.
    let last = commands.last().unwrap();
    assert!(last["wire"].as_str().unwrap().starts_with("0C"));
    assert!(last["plain"].as_str().unwrap().starts_with("00"));
    // The holder's data, decrypted: DG13's ID number in a plain answer.
    let id_hex = hex::encode_upper(ID);
    assert!(
        lines
            .iter()
            .any(|l| l["plain"].as_str().is_some_and(|p| p.contains(&id_hex)))
    );
}

/// No secret in the file: in hex anywhere, in text outside the hex fields
/// (where six digits may be hex by chance).
fn assert_no_secret(text: &str, lines: &[Value], secrets: &[String]) {
    for s in secrets {
        if s.len() >= 12 {
            assert!(!text.contains(s.as_str()), "the trace holds {s}");
        }
    }
    for l in lines {
        let mut l = l.clone();
        l["wire"] = Value::Null;
        l["plain"] = Value::Null;
        let outside = l.to_string();
        for s in secrets {
            assert!(!outside.contains(s.as_str()), "{outside} holds {s}");
        }
    }
}

#[test]
fn a_bac_read_is_traced_without_its_key() {
    let cccd = format!("{ID},{DOB},{EXPIRY}");
    let (report, text, lines) = traced_read("bac", &["--cccd", &cccd]);
    assert_eq!(report["access_control"]["method"], "bac");
    check_lines(&report, &lines);
    let key = cccd::mrz::access_key(&cccd::IdNumber::parse(ID).unwrap(), DOB, EXPIRY).unwrap();
    assert_no_secret(&text, &lines, &secrets(&key, None));
}

#[test]
fn a_pace_read_is_traced_without_its_password() {
    let cccd = format!("{ID},{DOB},{EXPIRY}");
    let (report, text, lines) =
        traced_read("pace", &["--cccd", &cccd, "--sim-pace", "brainpoolp256r1"]);
    assert_eq!(report["access_control"]["method"], "pace");
    check_lines(&report, &lines);
    let key = cccd::mrz::access_key(&cccd::IdNumber::parse(ID).unwrap(), DOB, EXPIRY).unwrap();
    assert_no_secret(&text, &lines, &secrets(&key, None));
    // With a CAN (a passport of the simulator).
    let (report, text, lines) = traced_read("can", &["--can", CAN]);
    assert_eq!(report["access_control"]["password"], "Can");
    let mrz = icao9303::mrz::MrzKey::new("SIM000001", "900101", "300101").unwrap();
    assert_no_secret(&text, &lines, &secrets(&mrz, Some(CAN)));
    assert_eq!(
        lines.iter().filter(|l| l["event"] == "command").count() as u64,
        report["stats"]["total"]["apdus"].as_u64().unwrap()
    );
}

#[test]
fn an_unwritable_trace_is_a_usage_error() {
    let cccd = format!("{ID},{DOB},{EXPIRY}");
    let o = run(&[
        "chip",
        "read",
        "--sim",
        "--cccd",
        &cccd,
        "--quiet",
        "--trace",
        "/nonexistent-dir/t.jsonl",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--trace"));
}
