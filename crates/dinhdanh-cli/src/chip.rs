//! `dinhdanh chip read (--sim | --reader NAME) (--mrz DOC,YYMMDD,YYMMDD |
//! --cccd ID,YYMMDD,YYMMDD | --qr PAYLOAD | --can N) [--csca PATH]...
//! [--out DIR] [--json] [--trace FILE]`:
//! reads a chip and reports the access control used, every file read with
//! its size and APDU/byte counts, DG1, the DG13 fields of a CCCD and the
//! passive authentication verdict. `dinhdanh chip readers` (also
//! `dinhdanh readers`) lists the PC/SC readers.
//!
//! With `--reader` the card is read through PC/SC (feature `pcsc`, on by
//! default): the reader is chosen by name (exact, or a unique part of it),
//! the card waited for (`--wait`), and passive authentication runs when
//! `--csca` is given. While reading, standard error shows a progress bar
//! per file on a terminal and one plain line per file otherwise
//! (`--quiet`: nothing).
//!
//! With `--sim` the chip is the in-process virtual chip of `icao9303-sim`,
//! personalised from the key given (`--cccd`: a CCCD with that ID, a
//! synthetic name, DG13 and an EF.SOD signed under the simulator's test
//! CSCA; `--mrz`: a passport; `--can`: a passport whose chip offers PACE
//! with that CAN). Without `--csca`, a simulated chip's EF.SOD is checked
//! against the simulator's own test CSCA (written as `csca.der` by
//! `--out`). `--sim-pace CURVE` makes the virtual chip offer PACE,
//! `--sim-cam` with Chip Authentication Mapping (EF.CardSecurity is then
//! read, listed among the files, written by `--out`, and the chip
//! authentication outcome is PACE-CAM's).
//!
//! `--qr` reads a CCCD with the key its QR code gives: the ID number and
//! date of birth it holds, the date of expiry the law gives its issue date
//! (`cccd::access_key_from_qr`). Where the law leaves the day open, the
//! candidates are tried in order, one `read_document` each: a chip answers
//! a wrong BAC key with 6300 and does not lock. With `--sim` the virtual
//! chip is that card (`--sim-expiry` gives it another expiry, to exercise
//! the candidates).
//!
//! `--trace FILE` writes every command and response of the read as JSON
//! lines (`trace.rs`: hex on the wire and, under secure messaging, plain;
//! no key, MRZ key or CAN). A real card's random numbers come from the OS
//! (`getrandom::SysRng`); only `--sim` reads use the simulator's
//! generator (seeded from the OS).
//!
//! Exit 0 when read (whatever the verdict), 1 when the chip refused the key
//! or the read failed (a lost card included), 2 on a usage or I/O error (no
//! reader, pcscd not running).

use std::path::{Path, PathBuf};

use clap::{ArgGroup, Subcommand};
use icao9303::kdf::KeyKind;
use icao9303::lds::image::ImageFormat;
use icao9303::lds::{DataGroup, File, FileKind};
use icao9303::pa::{self, TrustStore, Verdict, VerifyOptions};
use icao9303::pace::DomainParameters;
use icao9303::rand_core::TryCryptoRng;
use icao9303::reader::{
    self, AccessControl, AuthOutcome, Credential, Document, LinkCounts, ReadEvent, ReadSession,
    ReaderOptions,
};
use icao9303_sim::pki::TestPki;
use icao9303_sim::{ChipConfig, PaceOffer, Personalisation, SimRng, VirtualChip};
use serde::Serialize;

use crate::input::{print_json, print_line};
use crate::progress::Progress;
use crate::trace::Trace;
use crate::{Failure, Outcome};

/// The seed of the simulator's test PKI and personalisation: fixed, so the
/// test CSCA is the same from run to run (and the one the reference server
/// trusts by default).
const SIM_SEED: u64 = icao9303_sim::pki::DEMO_SEED;

#[derive(Debug, Subcommand)]
pub(crate) enum Cmd {
    /// Read a chip: authenticate, read every file, verify EF.SOD.
    Read(Box<ReadArgs>),
    /// List the PC/SC readers and whether a card is in each.
    Readers(ReadersArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct ReadersArgs {
    /// Print the list as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
#[command(group(ArgGroup::new("source").required(true).args(["sim", "reader"])))]
#[command(group(ArgGroup::new("key").required(true).args(["mrz", "cccd", "qr", "can"])))]
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
    /// A CCCD's QR payload: the key from its ID number, its date of birth
    /// and the date of expiry the law gives its issue date (each candidate
    /// in turn where the law leaves the day open).
    #[arg(long, value_name = "PAYLOAD")]
    qr: Option<String>,
    /// With `--sim --qr`: the virtual chip's date of expiry (YYMMDD,
    /// 991231 for none) instead of the law's first candidate.
    #[arg(long, value_name = "YYMMDD", requires = "qr")]
    sim_expiry: Option<String>,
    /// The Card Access Number (PACE only).
    #[arg(long, value_name = "N")]
    can: Option<String>,
    /// With `--sim --cccd` (or `--qr`): the holder's full name on the
    /// virtual chip (DG13 as given, the MRZ without diacritics) instead of
    /// a synthetic one (the QR's name with `--qr`).
    #[arg(long, value_name = "NAME")]
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
    /// Write every command and response of the read (hex, as on the wire
    /// and under secure messaging plain) to FILE as JSON lines.
    #[arg(long, value_name = "FILE")]
    trace: Option<PathBuf>,
    /// No progress on standard error.
    #[arg(long, short)]
    quiet: bool,
    /// With --reader: seconds to wait for a card on the reader.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    wait: u64,
    /// With --reader: short APDUs only, whatever the card and reader say.
    #[arg(long, conflicts_with = "extended")]
    short: bool,
    /// With --reader: extended-length APDUs, whatever the card and reader
    /// say (when sure both take them).
    #[arg(long)]
    extended: bool,
    /// The virtual chip offers PACE (ECDH Generic Mapping) on this curve:
    /// p224, p256, p384, p521, brainpoolp224r1, brainpoolp256r1,
    /// brainpoolp320r1, brainpoolp384r1, brainpoolp512r1, or an ID.
    #[arg(long, value_name = "CURVE", value_parser = parse_curve)]
    sim_pace: Option<DomainParameters>,
    /// The cipher of the virtual chip's PACE: 3des, aes128, aes192, aes256.
    #[arg(long, value_name = "CIPHER", value_parser = parse_cipher, default_value = "aes128")]
    sim_cipher: KeyKind,
    /// The virtual chip's PACE (on `--sim-pace`'s curve, P-256 for
    /// `--can`) is Chip Authentication Mapping, with EF.CardSecurity: the
    /// reader checks the chip with it instead of Chip Authentication (ECDH
    /// and AES only).
    #[arg(long)]
    sim_cam: bool,
    /// The virtual chip takes short APDUs only (else extended length).
    #[arg(long)]
    sim_short: bool,
    /// The longest response APDU of the virtual chip, in bytes.
    #[arg(long, value_name = "BYTES")]
    sim_max_response: Option<usize>,
}

pub(crate) fn parse_curve(s: &str) -> Result<DomainParameters, String> {
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

pub(crate) fn parse_cipher(s: &str) -> Result<KeyKind, String> {
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

/// The PC/SC reader and link of a `--reader` read.
#[derive(Serialize)]
struct ReaderJson {
    name: String,
    /// The ATR, upper-case hex.
    atr: String,
    /// `T=0`, `T=1` (contactless cards show as T=1).
    protocol: &'static str,
    extended_length: bool,
    max_command_len: usize,
    max_response_len: usize,
    /// Where the extended-length decision came from.
    #[cfg(feature = "pcsc")]
    link_source: icao9303::transport::pcsc::LinkSource,
}

#[derive(Serialize)]
struct ReportJson {
    source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reader: Option<ReaderJson>,
    access_control: AccessControl,
    files: Vec<FileJson>,
    refused_data_groups: Vec<String>,
    stats: StatsJson,
    chip_authentication: Option<AuthOutcome>,
    active_authentication: Option<AuthOutcome>,
    dg1: Option<serde_json::Value>,
    dg13: Option<serde_json::Value>,
    passive_authentication: Option<Verdict>,
    /// After PACE-CAM: EF.CardSecurity's passive authentication.
    #[serde(skip_serializing_if = "Option::is_none")]
    card_security_authentication: Option<pa::CardSecurityVerdict>,
    trust: &'static str,
    /// With `--qr`: the keys the QR code gave and the one the chip took.
    #[serde(skip_serializing_if = "Option::is_none")]
    qr_key: Option<QrKeyJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    out: Option<String>,
}

/// What `--qr` tried.
#[derive(Serialize, Clone)]
struct QrKeyJson {
    /// How many keys the law allows (more than one on boundary days).
    candidates: usize,
    /// Which one the chip accepted, from 1.
    accepted: usize,
    /// Its date of expiry, null for none.
    date_of_expiry: Option<String>,
    /// The law the expiry follows.
    law: &'static str,
}

/// The keys to try, in order, each with the date of expiry it stands for.
pub(crate) struct Keys {
    list: Vec<(Credential, Option<String>)>,
    /// Set with `--qr`: the law of the expiry.
    law: Option<&'static str>,
}

impl Keys {
    fn one(credential: Credential) -> Keys {
        Keys {
            list: vec![(credential, None)],
            law: None,
        }
    }

    fn first(&self) -> Option<&Credential> {
        self.list.first().map(|(c, _)| c)
    }

    /// Why the read failed; with `--qr`, a refused key means every
    /// candidate was refused.
    fn failure(&self, e: &icao9303::Error) -> String {
        match (e, self.law) {
            (
                icao9303::Error::Reader(reader::ReaderErrorKind::AccessDenied { method }),
                Some(law),
            ) => {
                format!(
                    "chip read: wrong key: the chip answered 6300 to {method} with each of the {} \
                     key(s) the QR code gives (dates of expiry by {law}); check the payload, or \
                     read with --cccd ID,YYMMDD,YYMMDD from the card's back",
                    self.list.len()
                )
            }
            _ => read_failure(e),
        }
    }
}

pub(crate) fn run(cmd: Cmd) -> Result<Outcome, Failure> {
    match cmd {
        Cmd::Read(args) => read(&args),
        Cmd::Readers(args) => readers(&args),
    }
}

/// The key given, as a credential, and the profile a simulated chip gets.
pub(crate) fn key_and_profile(
    mrz: Option<&str>,
    cccd: Option<&str>,
    can: Option<&str>,
    cccd_name: Option<&str>,
) -> Result<(Credential, Personalisation), Failure> {
    if let Some(s) = cccd {
        let [id, dob, exp] = three(s, "--cccd")?;
        let id_number =
            cccd::IdNumber::parse(id).map_err(|e| Failure(format!("--cccd ID: {e}")))?;
        let key = cccd::mrz::access_key(&id_number, dob, exp)
            .map_err(|e| Failure(format!("--cccd: {e}")))?;
        let profile = match cccd_name {
            Some(name) => Personalisation::cccd_named(id, name, dob, exp),
            None => Personalisation::cccd(id, dob, exp),
        }
        .map_err(|e| Failure(format!("--cccd: {e}")))?;
        Ok((Credential::Mrz(key), profile))
    } else if let Some(s) = mrz {
        let [doc, dob, exp] = three(s, "--mrz")?;
        let key = icao9303::mrz::MrzKey::new(doc, dob, exp)
            .map_err(|e| Failure(format!("--mrz: {e}")))?;
        let mrz = icao9303_sim::personalise::passport_mrz(doc, dob, exp)
            .map_err(|e| Failure(format!("--mrz: {e}")))?;
        Ok((Credential::Mrz(key), Personalisation::passport(mrz)))
    } else if let Some(can) = can {
        if can.is_empty() || !can.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Failure(format!("--can {can:?}: expected digits")));
        }
        let mrz = icao9303_sim::personalise::passport_mrz("SIM000001", "900101", "300101")
            .map_err(|e| Failure(e.to_string()))?;
        Ok((
            Credential::can(can),
            Personalisation::passport(mrz).with_can(can),
        ))
    } else {
        Err(Failure("one of --mrz, --cccd, --can is required".into()))
    }
}

/// The keys of `--qr PAYLOAD` and the virtual chip of that card: named as
/// the QR (or `--sim-name`) says, expiring on the law's first candidate
/// (or `--sim-expiry`).
fn qr_keys_and_profile(
    payload: &str,
    sim_name: Option<&str>,
    sim_expiry: Option<&str>,
) -> Result<(Keys, Personalisation), Failure> {
    let qr = cccd::qr::QrPayload::parse(payload.as_bytes())
        .map_err(|e| Failure(format!("--qr: {e}")))?;
    let keys = cccd::access_key_from_qr(&qr).map_err(|e| Failure(format!("--qr: {e}")))?;
    let yymmdd = |d: Option<icao9303::Date>| -> String {
        let m = d.map_or(cccd::mrz::NO_EXPIRY, icao9303::mrz::MrzDate::from_date);
        String::from_utf8_lossy(&m.to_yymmdd()).into_owned()
    };
    let dob = yymmdd(Some(qr.date_of_birth));
    let expiry = match sim_expiry {
        Some(e) => e.trim().to_owned(),
        None => yymmdd(keys.expiry().date()),
    };
    let name = sim_name.unwrap_or(&qr.full_name);
    let profile = Personalisation::cccd_named(qr.id_number.as_str(), name, &dob, &expiry)
        .map_err(|e| Failure(format!("--qr: the virtual chip: {e}")))?;
    let list = keys
        .candidates()
        .map(|c| {
            (
                Credential::Mrz(c.key.clone()),
                Some(
                    c.date_of_expiry
                        .map_or_else(|| "none".to_owned(), |d| d.to_string()),
                ),
            )
        })
        .collect();
    Ok((
        Keys {
            list,
            law: Some(keys.expiry().law.number()),
        },
        profile,
    ))
}

/// Reads the chip with each key in turn until one is accepted: a refused
/// key (6300, `AccessDenied`) moves on to the next, any other failure ends
/// the read. Returns the document and which key (from 0) opened it. Every
/// APDU goes to `trace` when given.
fn read_with_keys<T, R>(
    transport: &mut T,
    keys: &Keys,
    options: ReaderOptions,
    reading: &mut Reading<'_, R>,
) -> Result<Result<(Document, usize), icao9303::Error>, Failure>
where
    T: icao9303::transport::Transport + ?Sized,
    R: TryCryptoRng + ?Sized,
{
    let mut last = None;
    for (i, (credential, _)) in keys.list.iter().enumerate() {
        if i > 0 {
            reading.progress.say(&format!(
                "the chip refused key {i} of {}: trying the next date of expiry",
                keys.list.len()
            ));
        }
        let result = read_once(transport, credential, options.clone(), reading)?;
        match result {
            Ok(doc) => return Ok(Ok((doc, i))),
            Err(e @ icao9303::Error::Reader(reader::ReaderErrorKind::AccessDenied { .. })) => {
                last = Some(e);
            }
            Err(e) => return Ok(Err(e)),
        }
    }
    // `keys` is never empty; were it, the chip was given no key it took.
    Ok(Err(last.unwrap_or(icao9303::Error::Reader(
        reader::ReaderErrorKind::AccessDenied { method: "BAC" },
    ))))
}

/// What a read draws on besides the link and the key: the generator (the
/// OS's for a card; the simulator's seeded one only with `--sim`), the
/// progress display, the trace.
struct Reading<'a, R: ?Sized> {
    rng: &'a mut R,
    progress: &'a mut Progress,
    trace: Option<&'a mut Trace>,
}

/// One read with one key: the session driven over `transport`, each event
/// to the progress display and the trace.
fn read_once<T, R>(
    transport: &mut T,
    credential: &Credential,
    options: ReaderOptions,
    reading: &mut Reading<'_, R>,
) -> Result<Result<Document, icao9303::Error>, Failure>
where
    T: icao9303::transport::Transport + ?Sized,
    R: TryCryptoRng + ?Sized,
{
    let mut session = ReadSession::new(credential.clone(), options, transport.link_info());
    if let Some(t) = reading.trace.as_deref_mut() {
        t.begin_read();
    }
    let progress = &mut *reading.progress;
    let trace = &mut reading.trace;
    let driven = reader::drive(&mut session, transport, reading.rng, &mut |event| {
        if let ReadEvent::Progress { file, done, total } = &event {
            progress.update(*file, *done, *total);
        }
        if let Some(t) = trace.as_deref_mut() {
            t.record(&event);
        }
    });
    progress.finish();
    if let Some(t) = reading.trace.as_deref_mut() {
        t.end_read()?;
    }
    Ok(driven.and_then(|()| session.finish()))
}

/// What the report says of the keys of `--qr`.
fn qr_key_json(keys: &Keys, accepted: usize) -> Option<QrKeyJson> {
    Some(QrKeyJson {
        candidates: keys.list.len(),
        accepted: accepted.saturating_add(1),
        date_of_expiry: keys.list.get(accepted)?.1.clone().filter(|d| d != "none"),
        law: keys.law?,
    })
}

/// How the virtual chip is built.
pub(crate) struct SimChip {
    /// PACE on this curve (else BAC only).
    pub(crate) pace: Option<DomainParameters>,
    /// PACE's cipher.
    pub(crate) cipher: KeyKind,
    /// PACE with Chip Authentication Mapping instead of Generic Mapping.
    pub(crate) cam: bool,
    /// Short APDUs only.
    pub(crate) short: bool,
    /// The longest response.
    pub(crate) max_response: Option<usize>,
}

/// The virtual chip personalised with `profile`, and the test PKI that
/// signed it (the same from run to run: a fixed seed).
pub(crate) fn build_sim(
    profile: Personalisation,
    sim: &SimChip,
) -> Result<(VirtualChip, TestPki), Failure> {
    let mut profile = profile;
    match sim.pace {
        Some(p) if sim.cam => {
            profile = profile.with_pace(PaceOffer::chip_authentication_mapping(p, sim.cipher));
        }
        Some(p) => profile = profile.with_pace(PaceOffer::generic(p, sim.cipher)),
        None if sim.cam => {
            return Err(Failure(
                "Chip Authentication Mapping needs PACE: --sim-pace CURVE or --can".into(),
            ));
        }
        None => {}
    }
    let mut seed_rng = SimRng::from_seed_u64(SIM_SEED);
    let pki = TestPki::generate(&mut seed_rng, "VN").map_err(|e| Failure(e.to_string()))?;
    let data = profile
        .build(&mut seed_rng, &pki)
        .map_err(|e| Failure(e.to_string()))?;
    let mut config = if sim.short {
        ChipConfig::SHORT
    } else {
        ChipConfig::default()
    };
    if let Some(n) = sim.max_response {
        config.max_response_len = if sim.short { n.min(258) } else { n };
    }
    Ok((VirtualChip::new(data, config, random_rng()?), pki))
}

fn read(args: &ReadArgs) -> Result<Outcome, Failure> {
    let (keys, profile) = match &args.qr {
        Some(qr) => qr_keys_and_profile(qr, args.sim_name.as_deref(), args.sim_expiry.as_deref())?,
        None => {
            if args.sim_name.is_some() && args.cccd.is_none() {
                return Err(Failure("--sim-name needs --cccd or --qr".into()));
            }
            let (credential, profile) = key_and_profile(
                args.mrz.as_deref(),
                args.cccd.as_deref(),
                args.can.as_deref(),
                args.sim_name.as_deref(),
            )?;
            (Keys::one(credential), profile)
        }
    };
    // Chip and Active Authentication are on by default.
    let options = ReaderOptions::default();
    let mut progress = Progress::new(args.quiet);
    let mut trace = args.trace.as_deref().map(Trace::create).transpose()?;
    if let Some(name) = &args.reader {
        return read_pcsc(name, &keys, options, args, &mut progress, trace.as_mut());
    }
    let pace = match (args.sim_pace, keys.first()) {
        (Some(p), _) => Some(p),
        (None, Some(Credential::Can(_))) => Some(DomainParameters::Secp256r1),
        (None, _) => None,
    };
    let sim = SimChip {
        pace,
        cipher: args.sim_cipher,
        cam: args.sim_cam,
        short: args.sim_short,
        max_response: args.sim_max_response,
    };
    let (mut chip, pki) = build_sim(profile, &sim)?;
    // The simulator's seeded generator, seeded from the OS: only for the
    // virtual chip.
    let mut reading = Reading {
        rng: &mut random_rng()?,
        progress: &mut progress,
        trace: trace.as_mut(),
    };
    let (doc, accepted) = match read_with_keys(&mut chip, &keys, options, &mut reading)? {
        Ok(d) => d,
        Err(e) => return Ok(Outcome::Refused(keys.failure(&e))),
    };
    let (store, trust) = if args.csca.is_empty() {
        let mut store = TrustStore::new();
        let cert = pa::Certificate::from_der(pki.csca_certificate())
            .map_err(|e| Failure(format!("the simulator's CSCA: {e}")))?;
        store.add_certificate(cert);
        (Some(store), "simulator test CSCA")
    } else {
        let now = crate::pa::now()?;
        (
            Some(crate::pa::load_store(&args.csca, &[], now)?.0),
            "--csca",
        )
    };
    report(
        args,
        &doc,
        Source {
            name: "simulator",
            reader: None,
            qr_key: qr_key_json(&keys, accepted),
        },
        store.as_ref(),
        trust,
        Some(pki.csca_certificate()),
    )
}

/// Where the document came from, for the report.
struct Source {
    /// `simulator` or `pcsc`.
    name: &'static str,
    reader: Option<ReaderJson>,
    qr_key: Option<QrKeyJson>,
}

#[cfg(feature = "pcsc")]
fn read_pcsc(
    name: &str,
    keys: &Keys,
    options: ReaderOptions,
    args: &ReadArgs,
    progress: &mut Progress,
    trace: Option<&mut Trace>,
) -> Result<Outcome, Failure> {
    use icao9303::transport::pcsc::{ExtendedLength, PcscOptions, PcscTransport};
    let pcsc_options = PcscOptions::default()
        .with_wait(std::time::Duration::from_secs(args.wait))
        .with_extended_length(if args.short {
            ExtendedLength::Off
        } else if args.extended {
            ExtendedLength::On
        } else {
            ExtendedLength::Auto
        });
    let wanted = (!name.is_empty()).then_some(name);
    progress.say(&format!(
        "waiting up to {} s for a card on the reader...",
        args.wait
    ));
    let mut transport = match PcscTransport::connect(wanted, &pcsc_options) {
        Ok(t) => t,
        Err(e) => return connect_failure(&e),
    };
    let decision = transport.link_decision();
    let reader_json = ReaderJson {
        name: transport.reader_name().to_owned(),
        atr: hex::encode_upper(transport.atr()),
        protocol: transport.protocol_name(),
        extended_length: decision.link.extended_length,
        max_command_len: decision.link.max_command_len,
        max_response_len: decision.link.max_response_len,
        link_source: decision.source,
    };
    progress.say(&format!(
        "card in {:?} ({}, ATR {}, {} APDUs); reading...",
        reader_json.name,
        reader_json.protocol,
        reader_json.atr,
        if reader_json.extended_length {
            "extended"
        } else {
            "short"
        }
    ));
    // A real card: the OS's generator for every random number.
    let mut reading = Reading {
        rng: &mut getrandom::SysRng,
        progress,
        trace,
    };
    let (doc, accepted) = match read_with_keys(&mut transport, keys, options, &mut reading)? {
        Ok(d) => d,
        Err(e) => return Ok(Outcome::Refused(keys.failure(&e))),
    };
    let store = if args.csca.is_empty() {
        None
    } else {
        let now = crate::pa::now()?;
        Some(crate::pa::load_store(&args.csca, &[], now)?.0)
    };
    let trust = if store.is_some() { "--csca" } else { "none" };
    report(
        args,
        &doc,
        Source {
            name: "pcsc",
            reader: Some(reader_json),
            qr_key: qr_key_json(keys, accepted),
        },
        store.as_ref(),
        trust,
        None,
    )
}

#[cfg(not(feature = "pcsc"))]
fn read_pcsc(
    name: &str,
    _keys: &Keys,
    _options: ReaderOptions,
    _args: &ReadArgs,
    _progress: &mut Progress,
    _trace: Option<&mut Trace>,
) -> Result<Outcome, Failure> {
    Err(Failure(format!(
        "--reader {name:?}: PC/SC support is not built into this binary (feature `pcsc`); use --sim"
    )))
}

/// A connection that failed: no reader, no service, a busy card are
/// usage or environment errors (exit 2); no card on the reader is a
/// failed read (exit 1).
#[cfg(feature = "pcsc")]
fn connect_failure(e: &icao9303::Error) -> Result<Outcome, Failure> {
    use icao9303::transport::TransportErrorKind as K;
    match e {
        icao9303::Error::Transport(t) if matches!(t.kind, K::NoCard | K::CardRemoved) => Ok(
            Outcome::Refused(format!("chip read: no card: {}", t.message)),
        ),
        icao9303::Error::Transport(t) => Err(Failure(format!("PC/SC: {}", t.message))),
        other => Ok(Outcome::Refused(read_failure(other))),
    }
}

/// One line saying why a read failed, in words a person can act on.
fn read_failure(e: &icao9303::Error) -> String {
    use icao9303::reader::ReaderErrorKind;
    use icao9303::transport::TransportErrorKind as K;
    match e {
        icao9303::Error::Reader(ReaderErrorKind::AccessDenied { method }) => format!(
            "chip read: wrong key: the chip answered 6300 to {method} (check the document \
             or ID number, the date of birth and the date of expiry, or the CAN)"
        ),
        icao9303::Error::Transport(t) if matches!(t.kind, K::CardRemoved | K::NoCard) => {
            format!(
                "chip read: the card was lost during the read (moved off the reader?); \
                 nothing is reported: hold it still and read again ({})",
                t.message
            )
        }
        icao9303::Error::StatusWord { command, sw } => {
            format!("chip read: the card refused {command} (it answered {sw})")
        }
        icao9303::Error::Reader(ReaderErrorKind::NoApplication { sw }) => {
            format!("chip read: not an eMRTD: the card refused the eMRTD application ({sw})")
        }
        other => format!("chip read: {other}"),
    }
}

/// The common end of a read: passive authentication, `--out`, the report.
fn report(
    args: &ReadArgs,
    doc: &Document,
    source: Source,
    store: Option<&TrustStore>,
    trust: &'static str,
    csca_out: Option<&[u8]>,
) -> Result<Outcome, Failure> {
    let now = crate::pa::now()?;
    let verdict = match (store, doc.raw(FileKind::Sod)) {
        (Some(store), Some(sod)) => {
            let mut options = VerifyOptions::at(now);
            options.optional_data_groups = doc.refused.clone();
            Some(pa::verify(sod, &doc.data_groups(), store, &options))
        }
        _ => None,
    };
    // After PACE-CAM: EF.CardSecurity (which holds the key CAM checked)
    // passes passive authentication too.
    let card_security_verdict = match (store, &doc.card_security) {
        (Some(store), Some(cs)) => {
            Some(pa::verify_card_security(cs, store, &VerifyOptions::at(now)))
        }
        _ => None,
    };
    let out = match &args.out {
        Some(dir) => Some(write_out(dir, doc, csca_out)?),
        None => None,
    };
    let report = ReportJson {
        source: source.name,
        reader: source.reader,
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
        dg1: parsed_json(doc, DataGroup::Dg1)?,
        dg13: dg13_json(doc)?,
        passive_authentication: verdict,
        card_security_authentication: card_security_verdict,
        trust,
        qr_key: source.qr_key,
        out,
    };
    if args.json {
        print_json(&report)?;
    } else {
        print_summary(&report)?;
    }
    Ok(Outcome::Ok)
}

/// `dinhdanh readers` / `dinhdanh chip readers`.
#[cfg(feature = "pcsc")]
pub(crate) fn readers(args: &ReadersArgs) -> Result<Outcome, Failure> {
    let list =
        icao9303::transport::pcsc::list_readers().map_err(|e| Failure(format!("PC/SC: {e}")))?;
    if args.json {
        let rows: Vec<serde_json::Value> = list
            .iter()
            .map(|r| {
                serde_json::json!({
                    "name": r.name,
                    "card_present": r.card_present,
                    "in_use_exclusively": r.in_use_exclusively,
                    "atr": r.atr.as_ref().map(hex::encode_upper),
                })
            })
            .collect();
        return print_json(&rows).map(|()| Outcome::Ok);
    }
    if list.is_empty() {
        crate::input::print_line("no PC/SC reader (is the reader plugged in and pcscd running?)")?;
    }
    for r in &list {
        let card = match (&r.atr, r.in_use_exclusively) {
            (Some(atr), false) => format!("card, ATR {}", hex::encode_upper(atr)),
            (Some(atr), true) => format!(
                "card in use by another application, ATR {}",
                hex::encode_upper(atr)
            ),
            (None, _) => "no card".to_owned(),
        };
        crate::input::print_line(&format!("{}\t{card}", r.name))?;
    }
    Ok(Outcome::Ok)
}

/// `dinhdanh readers` without PC/SC support.
#[cfg(not(feature = "pcsc"))]
pub(crate) fn readers(_args: &ReadersArgs) -> Result<Outcome, Failure> {
    Err(Failure(
        "PC/SC support is not built into this binary (feature `pcsc`)".into(),
    ))
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
    if let Some(cs) = &doc.card_security {
        write("EF.CardSecurity.bin", cs)?;
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

/// A string field of a JSON value, by path.
fn field<'a>(v: &'a Option<serde_json::Value>, path: &str) -> Option<&'a str> {
    v.as_ref()?.pointer(path)?.as_str()
}

fn print_summary(r: &ReportJson) -> Result<(), Failure> {
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
        other => format!("{other:?}"),
    };
    let mut lines = Vec::new();
    lines.push(format!("source:          {}", r.source));
    if let Some(rd) = &r.reader {
        lines.push(format!("reader:          {} ({})", rd.name, rd.protocol));
        lines.push(format!("ATR:             {}", rd.atr));
        lines.push(format!(
            "APDUs:           {} (commands up to {}, responses up to {} bytes)",
            if rd.extended_length {
                "extended length"
            } else {
                "short"
            },
            rd.max_command_len,
            rd.max_response_len
        ));
    }
    lines.push(format!("access control:  {ac}"));
    if let Some(q) = &r.qr_key {
        lines.push(format!(
            "key:             from the QR code: {} of {} (expiry {}, {})",
            q.accepted,
            q.candidates,
            q.date_of_expiry.as_deref().unwrap_or("none"),
            q.law
        ));
    }
    // Who the document is for: DG13 (a CCCD) in full, else DG1's MRZ.
    if let Some(name) = field(&r.dg13, "/full_name") {
        lines.push(format!("name:            {name}"));
        for (label, path) in [
            ("ID number:", "/id_number"),
            ("date of birth:", "/date_of_birth"),
            ("date of expiry:", "/date_of_expiry"),
            ("residence:", "/place_of_residence"),
        ] {
            if let Some(v) = field(&r.dg13, path) {
                lines.push(format!("{label:<16} {v}"));
            }
        }
    } else if let Some(doc) = field(&r.dg1, "/mrz/document_number") {
        let primary = field(&r.dg1, "/mrz/primary_identifier").unwrap_or_default();
        let secondary = field(&r.dg1, "/mrz/secondary_identifier").unwrap_or_default();
        lines.push(format!("name:            {primary}, {secondary}"));
        lines.push(format!("document:        {doc}"));
    }
    lines.push(format!(
        "chunk:           {} bytes per READ BINARY",
        r.stats.chunk
    ));
    lines.push(format!(
        "opening:         {} APDUs, {} bytes sent, {} received",
        r.stats.open.apdus, r.stats.open.bytes_sent, r.stats.open.bytes_received
    ));
    for f in &r.files {
        lines.push(format!(
            "{:<16} {:>6} bytes  {:>3} APDUs  {:>5} sent  {:>6} received",
            f.file, f.size, f.apdus, f.bytes_sent, f.bytes_received
        ));
    }
    if !r.refused_data_groups.is_empty() {
        lines.push(format!(
            "not readable:    {} (need Terminal Authentication)",
            r.refused_data_groups.join(", ")
        ));
    }
    lines.push(format!(
        "total:           {} APDUs, {} bytes sent, {} received",
        r.stats.total.apdus, r.stats.total.bytes_sent, r.stats.total.bytes_received
    ));
    for (name, o) in [
        ("chip auth.:", &r.chip_authentication),
        ("active auth.:", &r.active_authentication),
    ] {
        if let Some(o) = o {
            let verdict = if o.passed { "passed" } else { "FAILED" };
            lines.push(format!("{name:<16} {verdict} ({})", o.detail));
        }
    }
    match &r.passive_authentication {
        Some(v) => {
            lines.push(format!(
                "passive auth.:   {} (trust: {})",
                if v.is_valid() { "valid" } else { "NOT valid" },
                r.trust
            ));
            if !v.is_valid() {
                lines.push(v.summary());
            }
        }
        None => lines.push("passive auth.:   not run (give --csca)".to_owned()),
    }
    if let Some(v) = &r.card_security_authentication {
        let failed: Vec<String> = [
            ("EF.CardSecurity", &v.card_security),
            ("signature", &v.signature),
            ("chain", &v.chain),
            ("validity", &v.validity),
        ]
        .iter()
        .filter(|(_, c)| !c.is_passed())
        .map(|(name, c)| format!("{name}: {}", c.reason))
        .collect();
        lines.push(format!(
            "EF.CardSecurity: {}",
            if v.is_valid() {
                "valid".to_owned()
            } else {
                format!("NOT valid ({})", failed.join("; "))
            }
        ));
    }
    if let Some(out) = &r.out {
        lines.push(format!("files written to {out}"));
    }
    print_line(&lines.join("\n"))
}
