//! Passive authentication: EF.SOD's signature, its chain to a trust
//! anchor, and each data group's hash, as a structured verdict.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use icao9303::lds::DataGroup;
use icao9303::pa::{self, Status, TrustStore, VerifyOptions};

use crate::DinhdanhError;

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CheckStatus {
    /// It ran and the document passed.
    Passed,
    /// It ran and the document failed.
    Failed,
    /// It could not run; the reason says why.
    NotChecked,
    /// It does not apply to this document.
    NotApplicable,
}

/// One check: its status, a stable code (`ok`, `bad-signature`,
/// `unknown-csca`, `hash-mismatch`...) and a reason for a person.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Check {
    /// Passed, failed, not checked, not applicable.
    pub status: CheckStatus,
    /// The stable code, as `pa verify`'s JSON gives it.
    pub code: String,
    /// What was checked and found.
    pub reason: String,
}

/// One data group's hash check.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DataGroupCheck {
    /// The data group number.
    pub number: u64,
    /// Whether EF.SOD lists a hash for it.
    pub listed: bool,
    /// Whether its bytes were given.
    pub supplied: bool,
    /// EF.SOD's hash, hex.
    pub expected_hash: Option<String>,
    /// The hash of the bytes given, hex.
    pub computed_hash: Option<String>,
    /// The outcome.
    pub check: Check,
}

/// A certificate as the verdict reports it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CertificateInfo {
    /// Subject, RFC 4514 style.
    pub subject: String,
    /// Issuer.
    pub issuer: String,
    /// Serial number, hex.
    pub serial_number: String,
    /// Start of validity, RFC 3339.
    pub not_before: String,
    /// End of validity, RFC 3339.
    pub not_after: String,
    /// The key, e.g. `ec-brainpoolP512r1 (explicit)`.
    pub public_key: String,
    /// SHA-256 of the DER, hex.
    pub sha256: String,
}

/// The verdict of passive authentication, structured like `dinhdanh pa
/// verify`'s JSON. An object, not a record: `valid()` is computed by the
/// library and nothing in the caller's language can set it.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug)]
pub struct Verdict {
    inner: pa::Verdict,
}

fn check(c: &pa::Check) -> Check {
    Check {
        status: match c.status {
            Status::Passed => CheckStatus::Passed,
            Status::Failed => CheckStatus::Failed,
            Status::NotChecked => CheckStatus::NotChecked,
            Status::NotApplicable => CheckStatus::NotApplicable,
        },
        code: c.code.clone(),
        reason: c.reason.clone(),
    }
}

fn certificate(c: &pa::CertificateInfo) -> CertificateInfo {
    CertificateInfo {
        subject: c.subject.to_string(),
        issuer: c.issuer.to_string(),
        serial_number: c.serial_number.clone(),
        not_before: c.not_before.clone(),
        not_after: c.not_after.clone(),
        public_key: c.public_key.clone(),
        sha256: c.sha256.clone(),
    }
}

#[uniffi::export]
impl Verdict {
    /// True only when every required check passed.
    pub fn valid(&self) -> bool {
        self.inner.is_valid()
    }

    /// One line: `valid`, or `invalid: ` and the failed checks.
    pub fn summary(&self) -> String {
        self.inner.summary()
    }

    /// EF.SOD decodes.
    pub fn sod(&self) -> Check {
        check(&self.inner.sod)
    }

    /// The SOD's signature verifies with the Document Signer's key.
    pub fn signature(&self) -> Check {
        check(&self.inner.signature)
    }

    /// The signed attributes match the content.
    pub fn signed_attributes(&self) -> Check {
        check(&self.inner.signed_attributes)
    }

    /// The Document Signer chains to a trust anchor.
    pub fn chain(&self) -> Check {
        check(&self.inner.chain)
    }

    /// Every certificate of the chain is valid at the time given.
    pub fn validity(&self) -> Check {
        check(&self.inner.validity)
    }

    /// No certificate of the chain is revoked by a CRL given.
    pub fn revocation(&self) -> Check {
        check(&self.inner.revocation)
    }

    /// One entry per data group listed or given, by number.
    pub fn data_groups(&self) -> Vec<DataGroupCheck> {
        self.inner
            .data_groups
            .iter()
            .map(|d| DataGroupCheck {
                number: d.number,
                listed: d.listed,
                supplied: d.supplied,
                expected_hash: d.expected_hash.clone(),
                computed_hash: d.computed_hash.clone(),
                check: check(&d.check),
            })
            .collect()
    }

    /// Data groups EF.SOD lists that were not given.
    pub fn missing_data_groups(&self) -> Vec<u64> {
        self.inner.missing_data_groups.clone()
    }

    /// Data groups given that EF.SOD does not list.
    pub fn unlisted_data_groups(&self) -> Vec<u64> {
        self.inner.unlisted_data_groups.clone()
    }

    /// The SOD's hash algorithm.
    pub fn hash_algorithm(&self) -> Option<String> {
        self.inner.hash_algorithm.clone()
    }

    /// The signature algorithm as verified.
    pub fn signature_algorithm(&self) -> Option<String> {
        self.inner.signature_algorithm.clone()
    }

    /// The Document Signer certificate, when found.
    pub fn document_signer(&self) -> Option<CertificateInfo> {
        self.inner.document_signer.as_ref().map(certificate)
    }

    /// The certificates from the signer's issuer up to the trust anchor.
    pub fn chain_certificates(&self) -> Vec<CertificateInfo> {
        self.inner
            .chain_certificates
            .iter()
            .map(certificate)
            .collect()
    }

    /// The time the validity was checked at, RFC 3339.
    pub fn checked_at(&self) -> String {
        self.inner.checked_at.clone()
    }
}

/// Passive authentication of EF.SOD and the data groups given (raw bytes
/// by number) against `trust_anchors` (each DER or PEM certificates, or a
/// CSCA master list), at `at_unix_seconds`. A document that fails is a
/// verdict, not an error; errors are for unusable arguments.
#[uniffi::export]
pub fn verify_passive(
    sod: Vec<u8>,
    data_groups: HashMap<u8, Vec<u8>>,
    trust_anchors: Vec<Vec<u8>>,
    at_unix_seconds: i64,
) -> Result<Arc<Verdict>, DinhdanhError> {
    let bad_time = |p: &str| DinhdanhError::argument("at_unix_seconds", p);
    let secs = u64::try_from(at_unix_seconds).map_err(|_| bad_time("before 1970"))?;
    let now = pa::DateTime::from_unix_duration(Duration::from_secs(secs))
        .map_err(|_| bad_time("past 9999"))?;
    let mut store = TrustStore::new();
    for (i, anchor) in trust_anchors.iter().enumerate() {
        let index = u32::try_from(i).unwrap_or(u32::MAX);
        store
            .add_bytes(anchor, &format!("trust anchor {i}"), now)
            .map_err(|e| DinhdanhError::TrustAnchor {
                index,
                problem: e.to_string(),
            })?;
    }
    let mut groups: Vec<(DataGroup, &[u8])> = Vec::with_capacity(data_groups.len());
    for (n, bytes) in &data_groups {
        let dg = DataGroup::from_number(*n)
            .ok_or_else(|| DinhdanhError::argument("data_groups", format!("{n} is not 1 to 16")))?;
        groups.push((dg, bytes));
    }
    groups.sort_by_key(|(dg, _)| *dg);
    let verdict = pa::verify(&sod, &groups, &store, &VerifyOptions::at(now));
    Ok(Arc::new(Verdict { inner: verdict }))
}
