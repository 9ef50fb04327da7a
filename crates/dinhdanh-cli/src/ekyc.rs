//! `dinhdanh ekyc verify --dir DIR [--qr PAYLOAD] --csca PATH...
//! [--require N]... [--at TIME]`: what an eKYC back end checks, on the
//! files `chip read --out DIR` writes (`EF.SOD.bin`, `DG1.bin`...,
//! `EF.CardSecurity.bin` after PACE-CAM): `cccd::ekyc::verify`'s verdict as
//! JSON. Exit 0 when genuine and consistent, 1 when not (one line on stderr
//! with the reasons), 2 on a usage or I/O error (no `EF.SOD.bin`, a trust
//! file that cannot be used, a QR payload that does not parse).

use std::path::{Path, PathBuf};

use cccd::ekyc::{ChipFiles, EkycOptions, verify};
use cccd::qr::QrPayload;
use clap::Subcommand;
use icao9303::lds::{DataGroup, FileKind};
use icao9303::pa::DateTime;

use crate::input::print_json;
use crate::{Failure, Outcome};

#[derive(Debug, Subcommand)]
pub(crate) enum Cmd {
    /// Check a CCCD's chip files as an eKYC back end would: passive
    /// authentication, DG13 against the QR code and DG1, the ID number,
    /// the face.
    Verify(VerifyArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    /// The directory `chip read --out` wrote: EF.SOD.bin, DG1.bin,
    /// DG2.bin, DG13.bin... (the data groups found are all checked).
    #[arg(long, value_name = "DIR")]
    dir: PathBuf,
    /// The card's QR payload, compared with DG13 and DG1.
    #[arg(long, value_name = "PAYLOAD")]
    qr: Option<String>,
    /// Trusted CSCAs: a DER or PEM certificate, a directory of them, or an
    /// ICAO CSCA master list. Repeatable.
    #[arg(long, value_name = "PATH", required = true, num_args = 1..)]
    csca: Vec<PathBuf>,
    /// A data group that must be there (default: 1, 2 and 13; every other
    /// group EF.SOD lists may be missing). Repeatable.
    #[arg(long = "require", value_name = "N", value_parser = crate::pa::parse_dg_number)]
    require: Vec<DataGroup>,
    /// Check validity at this time (`YYYY-MM-DD` or
    /// `YYYY-MM-DDTHH:MM:SSZ`, UTC) instead of now.
    #[arg(long, value_name = "TIME", value_parser = crate::pa::parse_time)]
    at: Option<DateTime>,
}

/// The file `name` in `dir`, when it is there.
fn read_if_there(dir: &Path, name: &str) -> Result<Option<Vec<u8>>, Failure> {
    let path = dir.join(name);
    match std::fs::read(&path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Failure(format!("cannot read {}: {e}", path.display()))),
    }
}

pub(crate) fn run(cmd: Cmd) -> Result<Outcome, Failure> {
    let Cmd::Verify(args) = cmd;
    let now = match args.at {
        Some(t) => t,
        None => crate::pa::now()?,
    };
    let sod = read_if_there(&args.dir, "EF.SOD.bin")?.ok_or_else(|| {
        Failure(format!(
            "{}: no EF.SOD.bin (the directory `chip read --out` writes)",
            args.dir.display()
        ))
    })?;
    let mut groups = Vec::new();
    for dg in (1..=16u8).filter_map(DataGroup::from_number) {
        if let Some(bytes) = read_if_there(&args.dir, &format!("{}.bin", FileKind::Dg(dg).name()))?
        {
            groups.push((dg, bytes));
        }
    }
    let card_security = read_if_there(&args.dir, "EF.CardSecurity.bin")?;
    let qr = match &args.qr {
        Some(p) => Some(QrPayload::parse(p.as_bytes()).map_err(|e| Failure(format!("--qr: {e}")))?),
        None => None,
    };
    let (store, _) = crate::pa::load_store(&args.csca, &[], now)?;
    let mut files = ChipFiles::new(&sod);
    for (dg, bytes) in &groups {
        files = files.with(*dg, bytes);
    }
    if let Some(cs) = &card_security {
        files = files.with_card_security(cs);
    }
    let mut options = EkycOptions::at(now);
    if !args.require.is_empty() {
        options.required = args.require.clone();
    }
    let verdict = verify(&files, qr.as_ref(), &store, &options);
    let mut json = serde_json::to_value(&verdict)?;
    // Each reason with its message (Vietnamese / English for mismatches).
    if let Some(reasons) = json.get_mut("reasons").and_then(|r| r.as_array_mut()) {
        for (value, reason) in reasons.iter_mut().zip(&verdict.reasons) {
            if let Some(obj) = value.as_object_mut() {
                obj.insert("message".to_owned(), reason.to_string().into());
            }
        }
    }
    if let Some(obj) = json.as_object_mut() {
        let mut read: Vec<String> = groups
            .iter()
            .map(|(dg, _)| FileKind::Dg(*dg).name().to_owned())
            .collect();
        read.push("EF.SOD".to_owned());
        if card_security.is_some() {
            read.push("EF.CardSecurity".to_owned());
        }
        obj.insert("files".to_owned(), read.into());
    }
    print_json(&json)?;
    if verdict.ok {
        Ok(Outcome::Ok)
    } else {
        let reasons: Vec<String> = verdict.reasons.iter().map(ToString::to_string).collect();
        Ok(Outcome::Refused(format!(
            "ekyc verify {}: {}: {}",
            args.dir.display(),
            match (verdict.genuine, verdict.consistent) {
                (false, false) => "not genuine, not consistent",
                (false, true) => "not genuine",
                _ => "not consistent",
            },
            reasons.join("; ")
        )))
    }
}
