//! Passive authentication, Doc 9303 Part 11 §5.1 and Part 12: is the chip's
//! data what the issuing State signed?
//!
//! 1. EF.SOD's CMS signature verifies with the Document Signer (DS) key,
//!    and its signed attributes bind the LDSSecurityObject (content-type,
//!    message-digest).
//! 2. The DS certificate chains to a Country Signing CA (CSCA) of a
//!    [`TrustStore`] (certificates, directories of them, ICAO CSCA master
//!    lists), each certificate valid at the time given, none revoked by a
//!    CRL supplied.
//! 3. Each data group hashes (over its raw bytes) to the value the SOD
//!    lists.
//!
//! The result is a [`Verdict`]: every check with its status and reason.
//!
//! ```no_run
//! use icao9303::lds::DataGroup;
//! use icao9303::pa::{self, TrustStore, VerifyOptions};
//!
//! let mut store = TrustStore::new();
//! store.load_path(std::path::Path::new("csca/"), der::DateTime::new(2026, 1, 1, 0, 0, 0)?)?;
//! let sod = std::fs::read("EF.SOD")?;
//! let dg1 = std::fs::read("DG1")?;
//! let options = VerifyOptions::at(der::DateTime::new(2026, 1, 1, 0, 0, 0)?);
//! let verdict = pa::verify(&sod, &[(DataGroup::Dg1, &dg1)], &store, &options);
//! if !verdict.is_valid() {
//!     eprintln!("{}", verdict.summary());
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;

mod card_security;
mod cert;
mod chain;
mod cms;
mod crl;
mod curves;
mod error;
mod fixed_base;
mod master_list;
mod pss;
mod signature;
mod trust_store;
mod verdict;

pub use card_security::{CardSecurityReport, CardSecurityVerdict, verify_card_security};
pub use cert::Certificate;
pub use crl::Crl;
pub use error::{
    AlgorithmRole, CurveProblem, DecodeError, KeyProblem, KeyType, PaErrorKind, SignatureKind,
    SignatureProblem, Structure,
};
pub use master_list::{ID_CSCA_MASTER_LIST, MasterList, MasterListEntry};
pub use signature::{Curve, SignatureScheme};
pub use trust_store::{LoadReport, MasterListLoad, TrustStore};
pub use verdict::{CertificateInfo, Check, DataGroupCheck, Name, Status, Verdict, VerdictReport};

/// The time type of [`VerifyOptions::now`] (from the `der` crate),
/// re-exported so callers need no dependency of their own.
pub use der::DateTime;

use crate::lds::DataGroup;
use crate::lds::sod::LdsSecurityObject;
use crate::oid::ID_LDS_SECURITY_OBJECT;

pub(crate) use base16ct::lower::encode_string as hex;

/// How to verify: the time, and what the caller supplies besides the
/// document.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyOptions {
    /// The time certificates and CRLs are checked at.
    pub now: der::DateTime,
    /// Document Signer certificates to use when EF.SOD does not carry its
    /// own (some States leave it out).
    pub document_signers: Vec<Certificate>,
    /// Data groups the SOD may list without the caller supplying them (for
    /// example DG3/DG4, readable only after Terminal Authentication). Every
    /// other listed data group must be supplied.
    pub optional_data_groups: Vec<DataGroup>,
}

/// Builders: the struct is `#[non_exhaustive]` (a field may be added in a
/// minor release), so other crates start from [`VerifyOptions::at`] and set
/// what they need, e.g. `VerifyOptions::at(now).with_...(...)`; or assign the
/// public fields of a value they hold.
impl VerifyOptions {
    /// Sets [`VerifyOptions::document_signers`].
    #[must_use]
    pub fn with_document_signers(mut self, document_signers: Vec<Certificate>) -> VerifyOptions {
        self.document_signers = document_signers;
        self
    }

    /// Sets [`VerifyOptions::optional_data_groups`].
    #[must_use]
    pub fn with_optional_data_groups(
        mut self,
        optional_data_groups: Vec<DataGroup>,
    ) -> VerifyOptions {
        self.optional_data_groups = optional_data_groups;
        self
    }
}

impl VerifyOptions {
    /// Verification at `now`, every listed data group required, no extra
    /// Document Signer certificate.
    pub fn at(now: der::DateTime) -> VerifyOptions {
        VerifyOptions {
            now,
            document_signers: Vec::new(),
            optional_data_groups: Vec::new(),
        }
    }
}

/// Passive authentication of one document: EF.SOD's raw bytes (tag `77`),
/// the data groups read (raw bytes, tag included), a trust store. Never
/// fails: whatever is wrong, including an EF.SOD that does not decode, is
/// a check of the [`Verdict`].
///
/// This is the function a chip reader calls after reading the files.
pub fn verify(
    sod: &[u8],
    data_groups: &[(DataGroup, &[u8])],
    store: &TrustStore,
    options: &VerifyOptions,
) -> Verdict {
    let checked_at = cert::rfc3339(options.now);
    let skipped = |why: &str| Check::not_checked("sod-invalid", why.to_owned());
    let mut verdict = VerdictReport {
        valid: false,
        sod: Check::passed("EF.SOD decodes"),
        signature: skipped("EF.SOD did not decode"),
        signed_attributes: skipped("EF.SOD did not decode"),
        chain: skipped("EF.SOD did not decode"),
        validity: skipped("EF.SOD did not decode"),
        revocation: skipped("EF.SOD did not decode"),
        data_groups: Vec::new(),
        missing_data_groups: Vec::new(),
        unlisted_data_groups: Vec::new(),
        hash_algorithm: None,
        signature_algorithm: None,
        document_signer: None,
        chain_certificates: Vec::new(),
        checked_at,
    };
    // The SOD's structure, walked once: the exact bytes signed, and the
    // LDSSecurityObject decoded from them (not from a second decoding of
    // the whole file).
    let mut base = 0;
    let raw = crate::tlv::Tlv::parse(sod)
        .map_err(PaErrorKind::tlv(Structure::EfSod))
        .and_then(|t| {
            if t.tag() == crate::tlv::Tag::new(0x77) {
                base = t.value_offset();
                Ok(t.value())
            } else {
                Err(PaErrorKind::FileTag { found: t.tag() })
            }
        })
        .and_then(cms::parse_content_info);
    let raw = match raw {
        Ok(r) => r,
        Err(e) => {
            verdict.sod = Check::failed("malformed", e.to_string());
            return Verdict::from_checks(verdict);
        }
    };
    if raw.econtent_type != ID_LDS_SECURITY_OBJECT {
        verdict.sod = Check::failed(
            "wrong-content-type",
            format!(
                "eContentType is {}, not id-icao-mrtd-security-ldsSecurityObject ({})",
                raw.econtent_type, ID_LDS_SECURITY_OBJECT
            ),
        );
        return Verdict::from_checks(verdict);
    }
    let at = base.saturating_add(raw.econtent_offset);
    let lso = match LdsSecurityObject::parse_at(&raw.econtent, at) {
        Ok(p) => p,
        Err(e) => {
            verdict.sod = Check::failed("malformed", e.to_string());
            return Verdict::from_checks(verdict);
        }
    };
    verdict.sod = Check::passed(format!(
        "EF.SOD decodes: LDSSecurityObject v{}, {} data group hashes",
        lso.version,
        lso.data_group_hashes.len()
    ));
    verdict.hash_algorithm = Some(match lso.hash_algorithm {
        Some(h) => signature::hash_display(h),
        None => lso.hash_algorithm_oid.to_string(),
    });

    // 1. Signature and signed attributes; 2. chain, validity, revocation.
    let s = SignerChecks::run(&raw, store, options);
    verdict.signature = s.signature;
    verdict.signed_attributes = s.signed_attributes;
    verdict.signature_algorithm = s.signature_algorithm;
    verdict.document_signer = s.document_signer;
    verdict.chain = s.chain;
    verdict.validity = s.validity;
    verdict.revocation = s.revocation;
    verdict.chain_certificates = s.chain_certificates;

    // 3. Data groups.
    check_data_groups(&mut verdict, &lso, data_groups, options);
    Verdict::from_checks(verdict)
}

/// The checks of a SignedData that EF.SOD and EF.CardSecurity share: the
/// Document Signer's signature and signed attributes, then its chain to a
/// CSCA of the store, validity and revocation.
struct SignerChecks {
    signature: Check,
    signed_attributes: Check,
    signature_algorithm: Option<String>,
    document_signer: Option<CertificateInfo>,
    chain: Check,
    validity: Check,
    revocation: Check,
    chain_certificates: Vec<CertificateInfo>,
}

impl SignerChecks {
    fn run(raw: &cms::RawSignedData<'_>, store: &TrustStore, options: &VerifyOptions) -> Self {
        let outcome = cms::verify_signer(raw, &options.document_signers);
        let (chain, validity, revocation, chain_certificates) = match &outcome.signer {
            Some(ds) => {
                let c = chain::verify(ds, chain::Role::DocumentSigner, store, options.now);
                let path = c.path.iter().map(Certificate::info).collect();
                (c.chain, c.validity, c.revocation, path)
            }
            None => {
                let none = || {
                    Check::not_checked("no-signer-certificate", "no Document Signer certificate")
                };
                (none(), none(), none(), Vec::new())
            }
        };
        SignerChecks {
            signature: outcome.signature,
            signed_attributes: outcome.signed_attributes,
            signature_algorithm: outcome.scheme,
            document_signer: outcome.signer.as_ref().map(Certificate::info),
            chain,
            validity,
            revocation,
            chain_certificates,
        }
    }

    /// Whether these checks let a verdict be valid: signature verified,
    /// signed attributes verified (or absent), chain built, every
    /// certificate valid, none revoked by a CRL supplied.
    fn pass(
        signature: &Check,
        signed_attributes: &Check,
        chain: &Check,
        validity: &Check,
        revocation: &Check,
    ) -> bool {
        signature.is_passed()
            && matches!(
                signed_attributes.status,
                Status::Passed | Status::NotApplicable
            )
            && chain.is_passed()
            && validity.is_passed()
            && matches!(revocation.status, Status::Passed | Status::NotChecked)
    }
}

fn check_data_groups(
    verdict: &mut VerdictReport,
    lso: &LdsSecurityObject<'_>,
    supplied: &[(DataGroup, &[u8])],
    options: &VerifyOptions,
) {
    let mut listed: BTreeMap<u64, Vec<&[u8]>> = BTreeMap::new();
    for h in &lso.data_group_hashes {
        listed.entry(h.number).or_default().push(h.hash);
    }
    let mut given: BTreeMap<u64, Vec<&[u8]>> = BTreeMap::new();
    for (dg, bytes) in supplied {
        given.entry(u64::from(dg.number())).or_default().push(bytes);
    }
    let mut numbers: Vec<u64> = listed.keys().chain(given.keys()).copied().collect();
    numbers.sort_unstable();
    numbers.dedup();
    for n in numbers {
        let l = listed.get(&n).map(Vec::as_slice).unwrap_or(&[]);
        let g = given.get(&n).map(Vec::as_slice).unwrap_or(&[]);
        let expected = l.first().map(|h| hex(h));
        let computed = match (lso.hash_algorithm, g.first()) {
            (Some(alg), Some(bytes)) => Some(alg.digest(bytes)),
            _ => None,
        };
        let check = match (l, g) {
            ([_, _, ..], _) => Check::failed(
                "listed-twice",
                format!("the SOD lists DG{n} {} times", l.len()),
            ),
            (_, [_, _, ..]) => Check::failed(
                "supplied-twice",
                format!("DG{n} supplied {} times", g.len()),
            ),
            ([], [_]) => {
                verdict.unlisted_data_groups.push(n);
                Check::failed(
                    "not-listed",
                    format!(
                        "DG{n} was supplied but the SOD has no hash for it: it is not authenticated"
                    ),
                )
            }
            ([_], []) => {
                verdict.missing_data_groups.push(n);
                let optional = u8::try_from(n)
                    .ok()
                    .and_then(DataGroup::from_number)
                    .is_some_and(|d| options.optional_data_groups.contains(&d));
                if optional {
                    Check::not_applicable(
                        "optional-not-supplied",
                        format!("DG{n} is listed in the SOD, not supplied, declared optional"),
                    )
                } else {
                    Check::not_checked(
                        "not-supplied",
                        format!("DG{n} is listed in the SOD but was not supplied"),
                    )
                }
            }
            ([want], [_]) => match &computed {
                None => Check::not_checked(
                    "unsupported-hash",
                    format!("hash algorithm {} not supported", lso.hash_algorithm_oid),
                ),
                Some(c) if c.as_slice() == *want => Check::passed(format!(
                    "{} of the {} bytes supplied equals the SOD's value",
                    verdict.hash_algorithm.as_deref().unwrap_or("hash"),
                    g.first().map_or(0, |b| b.len())
                )),
                Some(c) => Check::failed(
                    "hash-mismatch",
                    format!("DG{n} hashes to {}, the SOD lists {}", hex(c), hex(want)),
                ),
            },
            ([], []) => continue,
        };
        verdict.data_groups.push(DataGroupCheck {
            number: n,
            listed: !l.is_empty(),
            supplied: !g.is_empty(),
            expected_hash: expected,
            computed_hash: computed.map(|c| hex(&c)),
            check,
        });
    }
}
