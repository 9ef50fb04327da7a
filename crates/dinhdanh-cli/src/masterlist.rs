//! `dinhdanh masterlist inspect FILE [--root CERT]...`: an ICAO CSCA master
//! list's signer, its signature, and its certificates per country, as JSON.
//! Exit 0 when the list's signature verifies (and its signer chains to a
//! root given), 1 when not or when the file is not a master list, 2 on a
//! usage or I/O error.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Subcommand;
use icao9303::pa::{CertificateInfo, Check, DateTime, MasterList, Status};
use serde::Serialize;

use crate::input::print_json;
use crate::pa::{load_store, now, parse_time};
use crate::{Failure, Outcome};

#[derive(Debug, Subcommand)]
pub(crate) enum Cmd {
    /// Print the list's signer, signature check and certificates per
    /// country.
    Inspect {
        /// The master list (a CMS SignedData, `.ml`).
        file: PathBuf,
        /// The root certificate(s) its signer should chain to (DER, PEM or
        /// a directory). Without one, the signer's chain is not checked.
        #[arg(long, value_name = "PATH")]
        root: Vec<PathBuf>,
        /// Check validity at this time (`YYYY-MM-DD` or
        /// `YYYY-MM-DDTHH:MM:SSZ`) instead of now.
        #[arg(long, value_name = "TIME", value_parser = parse_time)]
        at: Option<DateTime>,
        /// Also list every certificate (subject, serial, validity, key).
        #[arg(long)]
        certificates: bool,
    },
}

#[derive(Serialize)]
struct InspectJson {
    file: String,
    version: u64,
    /// Certificates in the list.
    certificates: usize,
    /// Certificates that did not decode (counted above).
    undecodable: usize,
    /// Distinct subject countries (upper-cased).
    countries: usize,
    /// Certificates per subject country (`?` when none).
    per_country: BTreeMap<String, usize>,
    signer: Option<CertificateInfo>,
    signature: Check,
    signed_attributes: Check,
    /// The signer's chain to a `--root` (not checked without one).
    signer_chain: Check,
    /// The certificates of the CMS `certificates` field.
    embedded_certificates: Vec<CertificateInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    certificate_list: Option<Vec<CertificateInfo>>,
}

pub(crate) fn run(cmd: Cmd) -> Result<Outcome, Failure> {
    let Cmd::Inspect {
        file,
        root,
        at,
        certificates,
    } = cmd;
    let now = match at {
        Some(t) => t,
        None => now()?,
    };
    let bytes = std::fs::read(&file)
        .map_err(|e| Failure(format!("cannot read {}: {e}", file.display())))?;
    let list = match MasterList::parse(&bytes) {
        Ok(l) => l,
        Err(e) => return Ok(Outcome::Refused(format!("{}: {e}", file.display()))),
    };
    let signer_chain = if root.is_empty() {
        Check::not_checked(
            "no-root",
            "no --root given: the signer's chain was not checked",
        )
    } else {
        let (roots, _) = load_store(&root, &[], now)?;
        list.verify_signer(&roots, now)
    };
    let per_country = list.count_by_country();
    let json = InspectJson {
        file: file.display().to_string(),
        version: list.version,
        certificates: list.len(),
        undecodable: list
            .entries
            .iter()
            .filter(|e| e.certificate.is_none())
            .count(),
        countries: per_country.keys().filter(|k| *k != "?").count(),
        per_country,
        signer: list.signer.as_ref().map(|c| c.info()),
        signature: list.signature.clone(),
        signed_attributes: list.signed_attributes.clone(),
        signer_chain: signer_chain.clone(),
        embedded_certificates: list
            .embedded_certificates
            .iter()
            .map(|c| c.info())
            .collect(),
        certificate_list: certificates.then(|| list.certificates().map(|c| c.info()).collect()),
    };
    print_json(&json)?;
    if !list.is_signature_valid() {
        return Ok(Outcome::Refused(format!(
            "{}: the list's signature does not verify: {}; {}",
            file.display(),
            list.signature,
            list.signed_attributes
        )));
    }
    if signer_chain.status != Status::Passed && !root.is_empty() {
        return Ok(Outcome::Refused(format!(
            "{}: the signer does not chain to the root given: {signer_chain}",
            file.display()
        )));
    }
    Ok(Outcome::Ok)
}
