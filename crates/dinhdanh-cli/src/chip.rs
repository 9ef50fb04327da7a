//! `dinhdanh chip read (--sim | --reader NAME) (--mrz DOC,YYMMDD,YYMMDD |
//! --cccd ID,YYMMDD,YYMMDD | --can N) [--csca PATH]... [--out DIR] [--json]`:
//! reads a chip and reports the access control used, every file read with
//! its size and APDU/byte counts, DG1, the DG13 fields of a CCCD and the
//! passive authentication verdict.
//!
//! With `--sim` the chip is the in-process virtual chip of `icao9303-sim`,
//! personalised from the key given (`--cccd`: a CCCD with that ID, a
//! synthetic name, DG13 and an EF.SOD signed under the simulator's test
//! CSCA; `--mrz`: a passport; `--can`: a passport whose chip offers PACE
//! with that CAN). Without `--csca`, a simulated chip's EF.SOD is checked
//! against the simulator's own test CSCA (written as `csca.der` by
//! `--out`). `--sim-pace CURVE` makes the virtual chip offer PACE.
//!
//! Exit 0 when read (whatever the verdict), 1 when the chip refused the key
//! or the read failed, 2 on a usage or I/O error.

use std::path::{Path, PathBuf};

use clap::{ArgGroup, Subcommand};
use icao9303::kdf::KeyKind;
use icao9303::lds::image::ImageFormat;
use icao9303::lds::{DataGroup, File, FileKind};
use icao9303::pa::{self, TrustStore, Verdict, VerifyOptions};
use icao9303::pace::DomainParameters;
use icao9303::reader::{
    self, AccessControl, AuthOutcome, Credential, Document, LinkCounts, ReaderOptions,
};
use icao9303_sim::pki::TestPki;
use icao9303_sim::{ChipConfig, PaceOffer, Personalisation, SimRng, VirtualChip};
use serde::Serialize;

use crate::input::print_json;
use crate::{Failure, Outcome};

/// The seed of the simulator's test PKI and personalisation: fixed, so the
/// test CSCA is the same from run to run (and the one the reference server
/// trusts by default).
const SIM_SEED: u64 = icao9303_sim::pki::DEMO_SEED;

#[derive(Debug, Subcommand)]
pub(crate) enum Cmd {
    /// Read a chip: authenticate, read every file, verify EF.SOD.
    Read(ReadArgs),
}

#[derive(Debug, clap::Args)]
#[command(group(ArgGroup::new("source").required(true).args(["sim", "reader"])))]
#[command(group(ArgGroup::new("key").required(true).args(["mrz", "cccd", "can"])))]
pub(crate) struct ReadArgs {
    /// Read the in-process virtual chip, personalised from the key given.
    #[arg(long)]
    sim: bool,
    /// Read the card in this PC/SC reader.
    #[arg(long, value_name = "NAME")]
    reader: Option<String>,
    /// The MRZ key: document number, date of birth, date of expiry.
    #[arg(long, value_name = "DOC,YYMMDD,YYMMDD")]
    mrz: Option<String>,
    /// A CCCD's key: the 12-digit ID number, date of birth, date of expiry
    /// (991231 for none).
    #[arg(long, value_name = "ID,YYMMDD,YYMMDD")]
    cccd: Option<String>,
    /// The Card Access Number (PACE only).
    #[arg(long, value_name = "N")]
    can: Option<String>,
    /// With `--sim --cccd`: the holder's full name on the virtual chip
    /// (DG13 as given, the MRZ without diacritics) instead of a synthetic
    /// one.
    #[arg(long, value_name = "NAME", requires = "cccd")]
    sim_name: Option<String>,
    /// Trusted CSCAs for passive authentication: a certificate, a
    /// directory of them, or a master list. Repeatable.
    #[arg(long, value_name = "PATH")]
    csca: Vec<PathBuf>,
    /// Write every file raw (EF.COM.bin, DG1.bin, ...) and the face image.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// The virtual chip offers PACE (ECDH Generic Mapping) on this curve:
    /// p224, p256, p384, p521, brainpoolp224r1, brainpoolp256r1,
    /// brainpoolp320r1, brainpoolp384r1, brainpoolp512r1, or an ID.
    #[arg(long, value_name = "CURVE", value_parser = parse_curve)]
    sim_pace: Option<DomainParameters>,
    /// The cipher of the virtual chip's PACE: 3des, aes128, aes192, aes256.
    #[arg(long, value_name = "CIPHER", value_parser = parse_cipher, default_value = "aes128")]
    sim_cipher: KeyKind,
    /// The virtual chip takes short APDUs only (else extended length).
    #[arg(long)]
    sim_short: bool,
    /// The longest response APDU of the virtual chip, in bytes.
    #[arg(long, value_name = "BYTES")]
    sim_max_response: Option<usize>,
}

fn parse_curve(s: &str) -> Result<DomainParameters, String> {
    let id = match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
        "modp1024" => 0,
        "p224" | "secp224r1" => 10,
        "brainpoolp224r1" => 11,
        "p256" | "secp256r1" | "prime256v1" => 12,
        "brainpoolp256r1" => 13,
        "brainpoolp320r1" => 14,
        "p384" | "secp384r1" => 15,
        "brainpoolp384r1" => 16,
        "brainpoolp512r1" => 17,
        "p521" | "secp521r1" => 18,
        other => other
            .parse::<u8>()
            .map_err(|_| format!("{s:?} is not a curve name or domain parameter ID"))?,
    };
    DomainParameters::from_id(id).map_err(|e| format!("{s:?}: {e}"))
}

fn parse_cipher(s: &str) -> Result<KeyKind, String> {
    match s.to_ascii_lowercase().as_str() {
        "3des" | "tdes" => Ok(KeyKind::Tdes),
        "aes128" | "aes" => Ok(KeyKind::Aes128),
        "aes192" => Ok(KeyKind::Aes192),
        "aes256" => Ok(KeyKind::Aes256),
        _ => Err(format!("{s:?} is not 3des, aes128, aes192 or aes256")),
    }
}

/// Splits `A,B,C` into three trimmed parts.
fn three<'a>(s: &'a str, what: &str) -> Result<[&'a str; 3], Failure> {
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    match parts.as_slice() {
        [a, b, c] => Ok([a, b, c]),
        _ => Err(Failure(format!(
            "{what}: expected three comma-separated values, got {s:?}"
        ))),
    }
}

#[derive(Serialize)]
struct FileJson {
    file: &'static str,
    size: usize,
    apdus: u64,
    bytes_sent: u64,
    bytes_received: u64,
}

/// The counts besides the files'.
#[derive(Serialize)]
struct StatsJson {
    open: LinkCounts,
    authentication: LinkCounts,
    total: LinkCounts,
    /// File bytes per READ BINARY.
    chunk: usize,
}

#[derive(Serialize)]
struct ReportJson {
    source: &'static str,
    access_control: AccessControl,
    files: Vec<FileJson>,
    refused_data_groups: Vec<String>,
    stats: StatsJson,
    chip_authentication: Option<AuthOutcome>,
    active_authentication: Option<AuthOutcome>,
    dg1: Option<serde_json::Value>,
    dg13: Option<serde_json::Value>,
    passive_authentication: Option<Verdict>,
    trust: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    out: Option<String>,
}

pub(crate) fn run(cmd: Cmd) -> Result<Outcome, Failure> {
    let Cmd::Read(args) = cmd;
    if let Some(name) = &args.reader {
        return Err(Failure(format!(
            "--reader {name:?}: PC/SC support is not built into this binary; use --sim"
        )));
    }
    // The credential, and the profile a simulated chip gets.
    let (credential, profile) = if let Some(s) = &args.cccd {
        let [id, dob, exp] = three(s, "--cccd")?;
        let id_number =
            cccd::IdNumber::parse(id).map_err(|e| Failure(format!("--cccd ID: {e}")))?;
        let key = cccd::mrz::access_key(&id_number, dob, exp)
            .map_err(|e| Failure(format!("--cccd: {e}")))?;
        let profile = match &args.sim_name {
            Some(name) => Personalisation::cccd_named(id, name, dob, exp),
            None => Personalisation::cccd(id, dob, exp),
        }
        .map_err(|e| Failure(format!("--cccd: {e}")))?;
        (Credential::Mrz(key), profile)
    } else if let Some(s) = &args.mrz {
        let [doc, dob, exp] = three(s, "--mrz")?;
        let key = icao9303::mrz::MrzKey::new(doc, dob, exp)
            .map_err(|e| Failure(format!("--mrz: {e}")))?;
        let mrz = icao9303_sim::personalise::passport_mrz(doc, dob, exp)
            .map_err(|e| Failure(format!("--mrz: {e}")))?;
        (Credential::Mrz(key), Personalisation::passport(mrz))
    } else if let Some(can) = &args.can {
        if can.is_empty() || !can.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Failure(format!("--can {can:?}: expected digits")));
        }
        let mrz = icao9303_sim::personalise::passport_mrz("SIM000001", "900101", "300101")
            .map_err(|e| Failure(e.to_string()))?;
        (
            Credential::can(can),
            Personalisation::passport(mrz).with_can(can),
        )
    } else {
        return Err(Failure("one of --mrz, --cccd, --can is required".into()));
    };
    let mut profile = profile;
    let pace = match (args.sim_pace, &credential) {
        (Some(p), _) => Some(p),
        (None, Credential::Can(_)) => Some(DomainParameters::Secp256r1),
        (None, Credential::Mrz(_)) => None,
    };
    if let Some(p) = pace {
        profile = profile.with_pace(PaceOffer::generic(p, args.sim_cipher));
    }
    let mut seed_rng = SimRng::from_seed_u64(SIM_SEED);
    let pki = TestPki::generate(&mut seed_rng, "VN").map_err(|e| Failure(e.to_string()))?;
    let data = profile
        .build(&mut seed_rng, &pki)
        .map_err(|e| Failure(e.to_string()))?;
    let mut config = if args.sim_short {
        ChipConfig::SHORT
    } else {
        ChipConfig::default()
    };
    if let Some(n) = args.sim_max_response {
        config.max_response_len = if args.sim_short { n.min(258) } else { n };
    }
    let mut chip = VirtualChip::new(data, config, random_rng()?);
    let options = ReaderOptions {
        chip_authentication: true,
        active_authentication: true,
        ..ReaderOptions::default()
    };
    let doc = match reader::read_document(
        &mut chip,
        &credential,
        options,
        &mut random_rng()?,
        &mut |_, _, _| {},
    ) {
        Ok(d) => d,
        Err(e) => return Ok(Outcome::Refused(format!("chip read: {e}"))),
    };
    // Passive authentication.
    let now = crate::pa::now()?;
    let (store, trust) = if args.csca.is_empty() {
        let mut store = TrustStore::new();
        let cert = pa::Certificate::from_der(pki.csca_certificate())
            .map_err(|e| Failure(format!("the simulator's CSCA: {e}")))?;
        store.add_certificate(cert);
        (store, "simulator test CSCA")
    } else {
        (crate::pa::load_store(&args.csca, &[], now)?.0, "--csca")
    };
    let verdict = doc.raw(FileKind::Sod).map(|sod| {
        let mut options = VerifyOptions::at(now);
        options.optional_data_groups = doc.refused.clone();
        pa::verify(sod, &doc.data_groups(), &store, &options)
    });
    let out = match &args.out {
        Some(dir) => Some(write_out(dir, &doc, Some(pki.csca_certificate()))?),
        None => None,
    };
    let report = ReportJson {
        source: "simulator",
        access_control: doc.access_control,
        files: doc
            .stats
            .files
            .iter()
            .map(|f| FileJson {
                file: f.file,
                size: f.size,
                apdus: f.counts.apdus,
                bytes_sent: f.counts.bytes_sent,
                bytes_received: f.counts.bytes_received,
            })
            .collect(),
        refused_data_groups: doc.refused.iter().map(ToString::to_string).collect(),
        stats: StatsJson {
            open: doc.stats.open,
            authentication: doc.stats.authentication,
            total: doc.stats.total,
            chunk: doc.stats.chunk,
        },
        chip_authentication: doc.chip_authentication.clone(),
        active_authentication: doc.active_authentication.clone(),
        dg1: parsed_json(&doc, DataGroup::Dg1)?,
        dg13: dg13_json(&doc)?,
        passive_authentication: verdict,
        trust,
        out,
    };
    if args.json {
        print_json(&report)?;
    } else {
        print_summary(&report);
    }
    Ok(Outcome::Ok)
}

fn random_rng() -> Result<SimRng, Failure> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| Failure(format!("random numbers: {e}")))?;
    Ok(SimRng::from_seed(seed))
}

fn parsed_json(doc: &Document, dg: DataGroup) -> Result<Option<serde_json::Value>, Failure> {
    match doc.parsed(FileKind::Dg(dg)) {
        Some(Ok(File::Dg1(d))) => Ok(Some(serde_json::to_value(d)?)),
        Some(Ok(other)) => Ok(Some(serde_json::to_value(other)?)),
        Some(Err(e)) => Ok(Some(serde_json::json!({ "error": e.to_string() }))),
        None => Ok(None),
    }
}

fn dg13_json(doc: &Document) -> Result<Option<serde_json::Value>, Failure> {
    let Some(raw) = doc.raw(FileKind::Dg(DataGroup::Dg13)) else {
        return Ok(None);
    };
    match cccd::dg13::Dg13::parse(raw) {
        Ok(d) => match d.to_data() {
            Some(data) => Ok(Some(serde_json::to_value(data)?)),
            None => Ok(Some(serde_json::to_value(d)?)),
        },
        Err(e) => Ok(Some(serde_json::json!({ "error": e.to_string() }))),
    }
}

/// Writes every file raw, the face image, and the simulator's CSCA.
fn write_out(dir: &Path, doc: &Document, csca: Option<&[u8]>) -> Result<String, Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure(format!("cannot create {}: {e}", dir.display())))?;
    let write = |name: &str, bytes: &[u8]| -> Result<(), Failure> {
        let path = dir.join(name);
        std::fs::write(&path, bytes)
            .map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))
    };
    if let Some(ca) = &doc.card_access {
        write("EF.CardAccess.bin", ca)?;
    }
    for (kind, bytes) in &doc.files {
        write(&format!("{}.bin", kind.name()), bytes)?;
    }
    if let Some(Ok(File::Dg2(dg2))) = doc.parsed(FileKind::Dg(DataGroup::Dg2))
        && let Some(face) = dg2.face_image()
    {
        let format = ImageFormat::detect(face.data);
        write(&format!("face.{}", format.extension()), face.data)?;
    }
    if let Some(c) = csca {
        write("csca.der", c)?;
    }
    Ok(dir.display().to_string())
}

fn print_summary(r: &ReportJson) {
    let ac = match r.access_control {
        AccessControl::Bac => "BAC".to_owned(),
        AccessControl::Pace {
            protocol,
            parameters,
            password,
        } => format!(
            "PACE ({:?} {:?}, {parameters:?}, {password:?})",
            protocol.mapping, protocol.cipher
        ),
    };
    println!("source:          {}", r.source);
    println!("access control:  {ac}");
    println!("chunk:           {} bytes per READ BINARY", r.stats.chunk);
    println!(
        "opening:         {} APDUs, {} bytes sent, {} received",
        r.stats.open.apdus, r.stats.open.bytes_sent, r.stats.open.bytes_received
    );
    for f in &r.files {
        println!(
            "{:<16} {:>6} bytes  {:>3} APDUs  {:>5} sent  {:>6} received",
            f.file, f.size, f.apdus, f.bytes_sent, f.bytes_received
        );
    }
    println!(
        "total:           {} APDUs, {} bytes sent, {} received",
        r.stats.total.apdus, r.stats.total.bytes_sent, r.stats.total.bytes_received
    );
    for (name, o) in [
        ("chip auth.:", &r.chip_authentication),
        ("active auth.:", &r.active_authentication),
    ] {
        if let Some(o) = o {
            let verdict = if o.passed { "passed" } else { "FAILED" };
            println!("{name:<16} {verdict} ({})", o.detail);
        }
    }
    if let Some(v) = &r.passive_authentication {
        println!(
            "passive auth.:   {} (trust: {})",
            if v.is_valid() { "valid" } else { "NOT valid" },
            r.trust
        );
        if !v.is_valid() {
            println!("{}", v.summary());
        }
    }
    if let Some(out) = &r.out {
        println!("files written to {out}");
    }
}
