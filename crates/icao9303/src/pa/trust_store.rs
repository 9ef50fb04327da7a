//! The trust store: the CSCA certificates (and CRLs) a verifier trusts,
//! from DER or PEM files, directories of them and ICAO CSCA master lists.

use std::path::Path;

use crate::Error;
use crate::pa::cert::Certificate;
use crate::pa::crl::Crl;
use crate::pa::master_list::MasterList;
use crate::pa::verdict::{Check, Status};

/// Trusted CSCA certificates and the CRLs supplied. Every certificate in
/// the store is a trust anchor; link certificates whose issuer is also in
/// the store are followed to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustStore {
    certificates: Vec<Certificate>,
    crls: Vec<Crl>,
}

/// What loading one master list did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MasterListLoad {
    /// Where it came from (a path, or the caller's label).
    pub origin: String,
    /// The signer's subject, when found.
    pub signer: Option<String>,
    /// The list's CMS signature with its embedded signer certificate.
    pub signature: Check,
    /// The signer's chain to a root already in the store (not checked when
    /// the store had none for it).
    pub signer_chain: Check,
    /// Certificates in the list.
    pub certificates: usize,
    /// Certificates added to the store (new ones).
    pub added: usize,
    /// Certificates of the list that did not decode.
    pub undecodable: usize,
}

/// What a load added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LoadReport {
    /// Certificates added (not counting those already present).
    pub certificates_added: usize,
    /// CRLs added.
    pub crls_added: usize,
    /// The master lists read.
    pub master_lists: Vec<MasterListLoad>,
    /// Files of a directory that are not certificates, CRLs or master
    /// lists, with the reason.
    pub skipped: Vec<String>,
}

impl LoadReport {
    fn merge(&mut self, other: LoadReport) {
        self.certificates_added = self
            .certificates_added
            .saturating_add(other.certificates_added);
        self.crls_added = self.crls_added.saturating_add(other.crls_added);
        self.master_lists.extend(other.master_lists);
        self.skipped.extend(other.skipped);
    }
}

fn store_err(origin: &str, problem: impl Into<String>) -> Error {
    Error::TrustStore {
        origin: origin.to_owned(),
        problem: problem.into(),
    }
}

/// What a file holds.
enum Kind {
    Certificate(Box<Certificate>),
    Crl(Box<Crl>),
    MasterList(Box<MasterList>),
}

fn classify_der(der: &[u8]) -> Result<Kind, String> {
    // A ContentInfo opens with an OID; a certificate or CRL with a SEQUENCE.
    let is_content_info = crate::tlv::Tlv::parse(der)
        .ok()
        .and_then(|t| t.children().next())
        .and_then(Result::ok)
        .is_some_and(|c| c.tag() == crate::tlv::Tag::new(0x06));
    if is_content_info {
        return MasterList::parse(der)
            .map(|m| Kind::MasterList(Box::new(m)))
            .map_err(|e| e.to_string());
    }
    match Certificate::from_der(der) {
        Ok(c) => Ok(Kind::Certificate(Box::new(c))),
        Err(ce) => match Crl::from_der(der) {
            Ok(c) => Ok(Kind::Crl(Box::new(c))),
            Err(_) => Err(format!("not a certificate, CRL or master list ({ce})")),
        },
    }
}

/// The DER of each PEM block, with its label.
fn pem_blocks(text: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let from = rest.get(start..).unwrap_or("");
        let label_end = from
            .get(11..)
            .and_then(|s| s.find("-----"))
            .ok_or("a PEM BEGIN line without its closing dashes")?;
        let label = from
            .get(11..label_end.saturating_add(11))
            .unwrap_or("")
            .to_owned();
        let end_marker = format!("-----END {label}-----");
        let end = from
            .find(&end_marker)
            .ok_or_else(|| format!("PEM block {label} without its END line"))?;
        let block_end = end.saturating_add(end_marker.len());
        let block = from.get(..block_end).unwrap_or("");
        let (_, der) = der::pem::decode_vec(block.as_bytes())
            .map_err(|e| format!("PEM block {label}: {e}"))?;
        out.push((label, der));
        rest = from.get(block_end..).unwrap_or("");
    }
    Ok(out)
}

impl TrustStore {
    /// An empty store.
    pub fn new() -> TrustStore {
        TrustStore::default()
    }

    /// The certificates, in the order added.
    pub fn certificates(&self) -> &[Certificate] {
        &self.certificates
    }

    /// The CRLs.
    pub fn crls(&self) -> &[Crl] {
        &self.crls
    }

    /// The number of certificates.
    pub fn len(&self) -> usize {
        self.certificates.len()
    }

    /// Whether the store holds no certificate.
    pub fn is_empty(&self) -> bool {
        self.certificates.is_empty()
    }

    /// Adds a certificate; false when it was already there.
    pub fn add_certificate(&mut self, cert: Certificate) -> bool {
        if self.certificates.contains(&cert) {
            return false;
        }
        self.certificates.push(cert);
        true
    }

    /// Adds a CRL; false when it was already there.
    pub fn add_crl(&mut self, crl: Crl) -> bool {
        if self.crls.contains(&crl) {
            return false;
        }
        self.crls.push(crl);
        true
    }

    /// Adds the certificates of a master list whose signature verified.
    /// Its signer is checked against the certificates already in the
    /// store, at the list's signing time (`now` when it has none): a list whose signer chains to a matching root with a bad
    /// signature is refused; a list whose root the store does not hold is
    /// added, and the report says its signer was not checked.
    pub fn add_master_list(
        &mut self,
        list: &MasterList,
        origin: &str,
        now: der::DateTime,
    ) -> Result<MasterListLoad, Error> {
        if !list.is_signature_valid() {
            return Err(store_err(
                origin,
                format!(
                    "the master list's signature does not verify: {}; {}",
                    list.signature, list.signed_attributes
                ),
            ));
        }
        let signer_chain = if self.is_empty() {
            Check::not_checked(
                "no-root",
                "no root certificate given before the list: its signer was not checked",
            )
        } else {
            list.verify_signer(self, now)
        };
        if signer_chain.status == Status::Failed {
            return Err(store_err(
                origin,
                format!("the master list signer does not chain to its root: {signer_chain}"),
            ));
        }
        let mut added = 0usize;
        for c in list.certificates() {
            if self.add_certificate(c.clone()) {
                added = added.saturating_add(1);
            }
        }
        Ok(MasterListLoad {
            origin: origin.to_owned(),
            signer: list.signer.as_ref().map(Certificate::subject),
            signature: list.signature.clone(),
            signer_chain,
            certificates: list.len(),
            added,
            undecodable: list
                .entries
                .iter()
                .filter(|e| e.certificate.is_none())
                .count(),
        })
    }

    /// Adds what `bytes` hold: DER or PEM certificates, CRLs, or a master
    /// list (whose signer is checked against the store as it is).
    pub fn add_bytes(
        &mut self,
        bytes: &[u8],
        origin: &str,
        now: der::DateTime,
    ) -> Result<LoadReport, Error> {
        let mut report = LoadReport::default();
        let ders: Vec<Vec<u8>> = match std::str::from_utf8(bytes) {
            Ok(text) if text.contains("-----BEGIN ") => pem_blocks(text)
                .map_err(|e| store_err(origin, e))?
                .into_iter()
                .map(|(_, d)| d)
                .collect(),
            _ => vec![bytes.to_vec()],
        };
        if ders.is_empty() {
            return Err(store_err(origin, "no PEM block"));
        }
        for der in ders {
            match classify_der(&der).map_err(|e| store_err(origin, e))? {
                Kind::Certificate(c) => {
                    if self.add_certificate(*c) {
                        report.certificates_added = report.certificates_added.saturating_add(1);
                    }
                }
                Kind::Crl(c) => {
                    if self.add_crl(*c) {
                        report.crls_added = report.crls_added.saturating_add(1);
                    }
                }
                Kind::MasterList(m) => {
                    let load = self.add_master_list(&m, origin, now)?;
                    report.certificates_added =
                        report.certificates_added.saturating_add(load.added);
                    report.master_lists.push(load);
                }
            }
        }
        Ok(report)
    }

    /// Loads a file (DER or PEM certificate, CRL, master list) or every
    /// such file of a directory (not its subdirectories). In a directory,
    /// certificates are added before master lists, so a list's root in the
    /// same directory verifies its signer. Files of a directory that are
    /// none of these are skipped and reported; a file named directly must
    /// be one.
    pub fn load_path(&mut self, path: &Path, now: der::DateTime) -> Result<LoadReport, Error> {
        let origin = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| store_err(&origin, e.to_string()))?;
        if !meta.is_dir() {
            let bytes = std::fs::read(path).map_err(|e| store_err(&origin, e.to_string()))?;
            return self.add_bytes(&bytes, &origin, now);
        }
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(path)
            .map_err(|e| store_err(&origin, e.to_string()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        let mut lists = Vec::new();
        let mut report = LoadReport::default();
        for f in files {
            let name = f.display().to_string();
            let bytes = std::fs::read(&f).map_err(|e| store_err(&name, e.to_string()))?;
            let is_pem = std::str::from_utf8(&bytes).is_ok_and(|t| t.contains("-----BEGIN "));
            if !is_pem && let Ok(Kind::MasterList(m)) = classify_der(&bytes) {
                lists.push((name, m));
                continue;
            }
            match self.add_bytes(&bytes, &name, now) {
                Ok(r) => report.merge(r),
                Err(e) => report.skipped.push(e.to_string()),
            }
        }
        for (name, m) in lists {
            let load = self.add_master_list(&m, &name, now)?;
            report.certificates_added = report.certificates_added.saturating_add(load.added);
            report.master_lists.push(load);
        }
        Ok(report)
    }
}
