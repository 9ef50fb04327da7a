//! End to end through pcscd: `dinhdanh sim serve` puts the virtual chip in
//! vsmartcard's virtual reader, `dinhdanh chip read --reader` reads it over
//! PC/SC and verifies it.
//!
//! Needs pcscd running with the vpcd driver (`scripts/pcsc-env`) and
//! `DINHDANH_TEST_PCSC=1` (scripts/test sets it when pcscd came up);
//! skipped with a printed reason otherwise. The cases share vpcd's first
//! reader, so they run one after the other in one test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::shared_path;

const BIN: &str = env!("CARGO_BIN_EXE_dinhdanh");
/// vpcd's first reader listens on 35963.
const READER: &str = "Virtual PCD 00 00";
const ID: &str = "001099012345";
const KEY: &str = "001099012345,990315,301231";
/// A real CSCA that did not sign the simulator's documents (in ../shared).
const OTHER_CSCA: &str = "testdata/gmrtd/extracted/VN_CSCA_ePassport_506F1357.cer";

fn enabled() -> bool {
    if std::env::var("DINHDANH_TEST_PCSC").as_deref() == Ok("1") {
        return true;
    }
    eprintln!(
        "pcsc_e2e: skipped: DINHDANH_TEST_PCSC is not 1 (run scripts/pcsc-env, then set it; \
         scripts/test does both)"
    );
    false
}

/// Whether the reader holds a card, from `dinhdanh readers --json`.
fn card_present() -> bool {
    let out = Command::new(BIN)
        .args(["readers", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "readers: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .any(|r| r["name"] == READER && r["card_present"] == true)
}

fn wait_for(present: bool) {
    let start = Instant::now();
    while card_present() != present {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the virtual reader did not {} a card",
            if present { "show" } else { "lose" }
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A running `dinhdanh sim serve`, stopped on drop.
struct Sim(Child);

impl Sim {
    fn start(extra: &[&str], csca: &Path) -> Sim {
        wait_for(false);
        let child = Command::new(BIN)
            .args(["sim", "serve", "--cccd", KEY, "--write-csca"])
            .arg(csca)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let sim = Sim(child);
        wait_for(true);
        sim
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn read(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(["chip", "read", "--reader", READER])
        .args(args)
        .output()
        .unwrap()
}

fn read_json(csca: &Path) -> (Value, String) {
    let out = read(&["--cccd", KEY, "--json", "--csca", csca.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "chip read failed: {stderr}");
    (serde_json::from_slice(&out.stdout).unwrap(), stderr)
}

/// What `command` writes to a pseudo-terminal, through `script`; `None`
/// (with the reason printed) when `script` is not there.
fn on_terminal(command: &str) -> Option<String> {
    let log = std::env::temp_dir().join(format!("dinhdanh-pcsc-tty-{}", std::process::id()));
    let status = Command::new("script")
        .arg("-qc")
        .arg(format!("stty cols 100; {command}"))
        .arg(&log)
        .stdout(Stdio::null())
        .status();
    match status {
        Ok(s) if s.success() => {}
        other => {
            eprintln!("pcsc_e2e: terminal case skipped: script: {other:?}");
            return None;
        }
    }
    let text = String::from_utf8_lossy(&std::fs::read(&log).unwrap()).into_owned();
    let _ = std::fs::remove_file(&log);
    Some(text)
}

fn check_document(report: &Value) {
    assert_eq!(report["source"], "pcsc");
    assert_eq!(report["reader"]["name"], READER);
    assert_eq!(report["reader"]["protocol"], "T=1");
    let files: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["size"].as_u64().unwrap() > 0)
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    for f in ["EF.COM", "EF.SOD", "DG1", "DG2", "DG13", "DG14", "DG15"] {
        assert!(files.contains(&f), "{f} not read: {files:?}");
    }
    assert_eq!(report["dg13"]["id_number"], ID);
    assert_eq!(report["trust"], "--csca");
    let pa = &report["passive_authentication"];
    assert_eq!(pa["valid"], true, "{pa:#}");
    assert_eq!(report["chip_authentication"]["passed"], true);
    assert_eq!(report["active_authentication"]["passed"], true);
}

#[test]
fn read_virtual_card_through_pcscd() {
    if !enabled() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("dinhdanh-pcsc-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csca: PathBuf = dir.join("csca.der");

    // BAC, extended length (announced in the ATR).
    {
        let _sim = Sim::start(&[], &csca);
        let (report, stderr) = read_json(&csca);
        check_document(&report);
        assert_eq!(report["access_control"]["method"], "bac");
        assert_eq!(report["reader"]["extended_length"], true);
        assert_eq!(report["reader"]["link_source"], "atr_historical_bytes");
        // Standard error is not a terminal here: one plain line per file.
        assert!(stderr.contains("read DG2: "), "{stderr}");
        assert!(!stderr.contains('\r'), "{stderr:?}");

        // On a terminal (a pseudo-terminal from util-linux's `script`):
        // a bar per file, redrawn in place.
        if let Some(tty) = on_terminal(&format!(
            "{BIN} chip read --reader '{READER}' --cccd {KEY} --json"
        )) {
            assert!(tty.contains("DG2 [========================]"), "{tty}");
            assert!(tty.contains("\x1b[2K"), "{tty:?}");
            assert!(!tty.contains("read DG2: "), "{tty}");
        }

        // The wrong key: 6300, exit 1, one clear line, nothing on stdout.
        let out = read(&["--cccd", "001099012345,990315,301230", "--json"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("wrong key") && err.contains("6300"), "{err}");

        // A CSCA that did not sign the document: read, but not valid.
        if let Some(other) = shared_path(OTHER_CSCA) {
            let out = read(&["--cccd", KEY, "--json", "--csca", other.to_str().unwrap()]);
            assert!(out.status.success());
            let report: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(report["passive_authentication"]["valid"], false);
        }

        // --out writes the raw files and the face image.
        let out_dir = dir.join("out");
        let out = read(&["--cccd", KEY, "--json", "--out", out_dir.to_str().unwrap()]);
        assert!(out.status.success());
        let sod = std::fs::read(out_dir.join("EF.SOD.bin")).unwrap();
        assert_eq!(sod[0], 0x77);
        let face = std::fs::read_dir(&out_dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .find(|e| e.file_name().to_string_lossy().starts_with("face."))
            .expect("face image written");
        let jpeg = std::fs::read(face.path()).unwrap();
        assert_eq!(jpeg[..2], [0xFF, 0xD8]);
    }

    // PACE on P-256 and brainpoolP256r1; short APDUs with small responses
    // on the second.
    for (curve, name, extra) in [
        ("p256", "Secp256r1", &[][..]),
        (
            "brainpoolp256r1",
            "BrainpoolP256r1",
            &["--short", "--max-response", "200"][..],
        ),
    ] {
        let mut args = vec!["--pace", curve];
        args.extend_from_slice(extra);
        let _sim = Sim::start(&args, &csca);
        let (report, _) = read_json(&csca);
        check_document(&report);
        assert_eq!(report["access_control"]["method"], "pace", "{curve}");
        assert_eq!(report["access_control"]["parameters"], name);
        assert_eq!(report["access_control"]["password"], "Mrz");
        if !extra.is_empty() {
            assert_eq!(report["reader"]["extended_length"], false);
            assert!(report["stats"]["chunk"].as_u64().unwrap() < 200);
        }
    }

    // The card leaves the reader after 30 APDUs, in the middle of the
    // files: the read fails (exit 1) and reports nothing.
    {
        let _sim = Sim::start(&["--short", "--vanish-after", "30"], &csca);
        let out = read(&["--cccd", KEY, "--json"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("lost during the read"), "{err}");
        // The file being read when the card left is not shown as read.
        assert!(err.contains(": stopped at "), "{err}");
        assert!(!err.contains("read DG2: "), "{err}");
    }

    // The card leaves: no card on the reader is a failed read (exit 1).
    wait_for(false);
    let out = read(&["--cccd", KEY, "--wait", "1"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no card"), "{err}");

    // An unknown reader is a usage error (exit 2) naming the readers.
    let out = Command::new(BIN)
        .args(["chip", "read", "--reader", "no such reader", "--cccd", KEY])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no reader matches"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
