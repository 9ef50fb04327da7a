//! `dinhdanh pa verify --sod FILE [--dg N=FILE]... --csca PATH...`: passive
//! authentication of a document's files, the verdict as JSON. Exit 0 when
//! valid, 1 when not (one line on stderr says which checks failed), 2 on a
//! usage or I/O error (a trust file that cannot be read or used included).

use std::path::{Path, PathBuf};

use clap::Subcommand;
use icao9303::lds::DataGroup;
use icao9303::pa::{
    self, Certificate, DateTime, LoadReport, MasterList, TrustStore, VerifyOptions,
};
use serde::Serialize;

use crate::input::print_json;
use crate::{Failure, Outcome};

#[derive(Debug, Subcommand)]
pub(crate) enum Cmd {
    /// Verify EF.SOD's signature, its Document Signer's chain to a CSCA,
    /// and each data group's hash.
    Verify(VerifyArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    /// EF.SOD as read from the chip (tag 77).
    #[arg(long, value_name = "FILE")]
    sod: PathBuf,
    /// A data group as read from the chip: its number and file, e.g.
    /// `--dg 1=DG1.bin`. Repeat for each.
    #[arg(long = "dg", value_name = "N=FILE", value_parser = parse_dg)]
    dgs: Vec<(DataGroup, PathBuf)>,
    /// Trusted CSCAs: a DER or PEM certificate, a directory of them, or an
    /// ICAO CSCA master list (its signer is checked against the
    /// certificates given before it; lists are loaded last). Repeatable.
    #[arg(long, value_name = "PATH", required = true, num_args = 1..)]
    csca: Vec<PathBuf>,
    /// A CRL (DER or PEM) to check the chain against. Repeatable.
    #[arg(long, value_name = "FILE")]
    crl: Vec<PathBuf>,
    /// A Document Signer certificate to use when EF.SOD carries none.
    #[arg(long, value_name = "FILE")]
    ds: Vec<PathBuf>,
    /// A data group the SOD may list without it being supplied (e.g. 3 and
    /// 4, behind Terminal Authentication). Repeatable.
    #[arg(long = "optional-dg", value_name = "N", value_parser = parse_dg_number)]
    optional_dgs: Vec<DataGroup>,
    /// Check validity at this time (`YYYY-MM-DD` or
    /// `YYYY-MM-DDTHH:MM:SSZ`, UTC) instead of now.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    at: Option<DateTime>,
}

/// A data group number, `13` or `DG13`.
pub(crate) fn parse_dg_number(s: &str) -> Result<DataGroup, String> {
    let t = s.trim();
    let t = t
        .strip_prefix("DG")
        .or_else(|| t.strip_prefix("dg"))
        .unwrap_or(t);
    t.parse::<u8>()
        .ok()
        .and_then(DataGroup::from_number)
        .ok_or_else(|| format!("{s:?} is not a data group number 1 to 16"))
}

fn parse_dg(s: &str) -> Result<(DataGroup, PathBuf), String> {
    let (n, f) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?}: expected N=FILE, e.g. 1=DG1.bin"))?;
    if f.is_empty() {
        return Err(format!("{s:?}: no file after '='"));
    }
    Ok((parse_dg_number(n)?, PathBuf::from(f)))
}

/// `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn parse_time(s: &str) -> Result<DateTime, String> {
    let bad = || format!("{s:?}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
    let (date, time) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t.strip_suffix('Z').ok_or_else(bad)?)),
        None => (s, None),
    };
    let d: Vec<&str> = date.split('-').collect();
    let [y, m, day] = d.as_slice() else {
        return Err(bad());
    };
    let (hh, mm, ss) = match time {
        None => (0, 0, 0),
        Some(t) => {
            let p: Vec<&str> = t.split(':').collect();
            let [h, mi, se] = p.as_slice() else {
                return Err(bad());
            };
            (
                h.parse().map_err(|_| bad())?,
                mi.parse().map_err(|_| bad())?,
                se.parse().map_err(|_| bad())?,
            )
        }
    };
    DateTime::new(
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        day.parse().map_err(|_| bad())?,
        hh,
        mm,
        ss,
    )
    .map_err(|e| format!("{}: {e}", bad()))
}

/// The current time, UTC.
pub(crate) fn now() -> Result<DateTime, Failure> {
    DateTime::from_system_time(std::time::SystemTime::now())
        .map_err(|e| Failure(format!("the system clock: {e}")))
}

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))
}

/// What the trust store was built from, as the JSON reports it.
#[derive(Serialize)]
struct TrustJson {
    certificates: usize,
    crls: usize,
    master_lists: Vec<pa::MasterListLoad>,
    skipped: Vec<String>,
}

/// Loads `--csca` paths (master-list files last, so roots given as
/// certificates check their signers) and `--crl` files.
pub(crate) fn load_store(
    cscas: &[PathBuf],
    crls: &[PathBuf],
    now: DateTime,
) -> Result<(TrustStore, LoadReport), Failure> {
    let mut store = TrustStore::new();
    let mut report = LoadReport::default();
    let mut lists = Vec::new();
    for path in cscas {
        if path.is_file() {
            let bytes = read(path)?;
            if let Ok(list) = MasterList::parse(&bytes) {
                lists.push((path, list));
                continue;
            }
        }
        let r = store
            .load_path(path, now)
            .map_err(|e| Failure(e.to_string()))?;
        merge(&mut report, r);
    }
    for (path, list) in lists {
        let load = store
            .add_master_list(&list, &path.display().to_string(), now)
            .map_err(|e| Failure(e.to_string()))?;
        report.certificates_added = report.certificates_added.saturating_add(load.added);
        report.master_lists.push(load);
    }
    for path in crls {
        let bytes = read(path)?;
        let r = store
            .add_bytes(&bytes, &path.display().to_string(), now)
            .map_err(|e| Failure(e.to_string()))?;
        if r.crls_added == 0 && r.certificates_added == 0 {
            return Err(Failure(format!("{}: no CRL in it", path.display())));
        }
        merge(&mut report, r);
    }
    Ok((store, report))
}

fn merge(into: &mut LoadReport, r: LoadReport) {
    into.certificates_added = into.certificates_added.saturating_add(r.certificates_added);
    into.crls_added = into.crls_added.saturating_add(r.crls_added);
    into.master_lists.extend(r.master_lists);
    into.skipped.extend(r.skipped);
}

pub(crate) fn run(cmd: Cmd) -> Result<Outcome, Failure> {
    let Cmd::Verify(args) = cmd;
    let now = match args.at {
        Some(t) => t,
        None => now()?,
    };
    let sod = read(&args.sod)?;
    let mut files = Vec::new();
    for (dg, path) in &args.dgs {
        files.push((*dg, read(path)?));
    }
    let (store, report) = load_store(&args.csca, &args.crl, now)?;
    let mut options = VerifyOptions::at(now);
    for path in &args.ds {
        let bytes = read(path)?;
        let der = der_or_pem_certificate(&bytes)
            .ok_or_else(|| Failure(format!("{}: not a certificate", path.display())))?;
        let cert =
            Certificate::from_der(&der).map_err(|e| Failure(format!("{}: {e}", path.display())))?;
        options.document_signers.push(cert);
    }
    options.optional_data_groups = args.optional_dgs.clone();
    let borrowed: Vec<(DataGroup, &[u8])> = files.iter().map(|(d, b)| (*d, b.as_slice())).collect();
    let verdict = pa::verify(&sod, &borrowed, &store, &options);
    let mut json = serde_json::to_value(&verdict)?;
    if let Some(obj) = json.as_object_mut() {
        obj.insert(
            "trust_store".to_owned(),
            serde_json::to_value(TrustJson {
                certificates: store.len(),
                crls: store.crls().len(),
                master_lists: report.master_lists,
                skipped: report.skipped,
            })?,
        );
    }
    print_json(&json)?;
    if verdict.is_valid() {
        Ok(Outcome::Ok)
    } else {
        Ok(Outcome::Refused(format!(
            "{}: {}",
            args.sod.display(),
            verdict.summary()
        )))
    }
}

/// A certificate's DER from DER or PEM bytes.
fn der_or_pem_certificate(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut s = TrustStore::new();
    let epoch = DateTime::new(2000, 1, 1, 0, 0, 0).ok()?;
    s.add_bytes(bytes, "ds", epoch).ok()?;
    s.certificates().first().map(|c| c.der().to_vec())
}
