//! The result of passive authentication: one entry per check, each with its
//! status, a stable code and a reason a person can read ([`Check`] and
//! [`Status`] live in [`crate::verdict`], shared with the chip's proofs).

use std::fmt;
use std::sync::OnceLock;

pub use crate::verdict::{Check, Status};

/// The check of one data group's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DataGroupCheck {
    /// The data group number (1 to 16 for LDS 1; the SOD may list others).
    pub number: u64,
    /// Whether the SOD lists a hash for it.
    pub listed: bool,
    /// Whether the caller supplied its bytes.
    pub supplied: bool,
    /// The hash in the SOD, hex, when listed.
    pub expected_hash: Option<String>,
    /// The hash of the supplied bytes, hex, when supplied and the SOD's hash
    /// algorithm is known.
    pub computed_hash: Option<String>,
    /// The outcome: `ok`, `hash-mismatch`, `not-supplied`, `not-listed`,
    /// `optional-not-supplied`...
    pub check: Check,
}

/// An X.509 name (a certificate's subject or issuer) kept as its DER and
/// turned into RFC 4514 text on first use only: the text scans tables of
/// attribute names, a quarter of an RSA verification's time, which a back
/// end that prints no verdict need not pay. `Display`, [`Name::as_str`]
/// and the serialised form give the text; two names are equal when their
/// texts are.
#[derive(Clone, Default)]
pub struct Name {
    der: Vec<u8>,
    text: OnceLock<String>,
}

impl Name {
    /// A name from its DER (a `Name` SEQUENCE), rendered when asked;
    /// `text` when the caller has it already.
    pub(crate) fn from_der(der: Vec<u8>, text: Option<String>) -> Name {
        let cell = OnceLock::new();
        if let Some(t) = text {
            let _ = cell.set(t);
        }
        Name { der, text: cell }
    }

    /// A name known only as text (a verdict read back from JSON).
    pub fn from_text(text: impl Into<String>) -> Name {
        Name::from_der(Vec::new(), Some(text.into()))
    }

    /// The name's DER, when it was built from a certificate.
    pub fn der(&self) -> Option<&[u8]> {
        (!self.der.is_empty()).then_some(self.der.as_slice())
    }

    /// The name, RFC 4514 style (`CN=CSCA,O=...,C=UT`), rendered once.
    /// A DER that does not decode (it did when the certificate was read)
    /// gives an empty text.
    pub fn as_str(&self) -> &str {
        self.text.get_or_init(|| {
            use der::Decode;
            x509_cert::name::Name::from_der(&self.der)
                .map(|n| n.to_string())
                .unwrap_or_default()
        })
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Name {}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Name {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Name, D::Error> {
        String::deserialize(d).map(Name::from_text)
    }
}

/// A certificate as the verdict reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CertificateInfo {
    /// The subject name, RFC 4514 style when displayed or serialised.
    pub subject: Name,
    /// The issuer name.
    pub issuer: Name,
    /// The serial number, hex.
    pub serial_number: String,
    /// Start of validity, RFC 3339.
    pub not_before: String,
    /// End of validity, RFC 3339.
    pub not_after: String,
    /// The public key: `"rsa-2048"`, `"ec-brainpoolP512r1 (explicit)"`...
    pub public_key: String,
    /// The SHA-256 of the certificate's DER, hex.
    pub sha256: String,
}

/// What passive authentication of one document found, as plain data: the
/// fields of a [`Verdict`], which reads them through this type
/// (`verdict.chain.status`).
///
/// A report is **not proof of anything**. Anyone can build one (it
/// deserializes, `valid: true` included); only a [`Verdict`], which only
/// [`super::verify`] makes, says the document passed. A back end that
/// stores verdicts reads them back as reports: they say what its own
/// verification found then, and are as trustworthy as its store.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct VerdictReport {
    /// Whether every required check passed (in a [`Verdict`], the same as
    /// [`Verdict::is_valid`]; in a report read back, what it says).
    pub valid: bool,
    /// EF.SOD itself decodes: ContentInfo, SignedData, LDSSecurityObject.
    pub sod: Check,
    /// The SOD's signature verifies with the Document Signer's key.
    pub signature: Check,
    /// The signed attributes: content-type equals the eContentType and
    /// message-digest equals the hash of the LDSSecurityObject.
    pub signed_attributes: Check,
    /// The Document Signer certificate chains to a CSCA in the trust store
    /// (signatures, names and key identifiers, key usage, link
    /// certificates).
    pub chain: Check,
    /// Every certificate of the chain is valid at the time given.
    pub validity: Check,
    /// No certificate of the chain is revoked by a CRL supplied.
    pub revocation: Check,
    /// One entry per data group listed in the SOD or supplied, in number
    /// order.
    pub data_groups: Vec<DataGroupCheck>,
    /// The data groups the SOD lists but the caller did not supply.
    pub missing_data_groups: Vec<u64>,
    /// The data groups supplied but not listed in the SOD.
    pub unlisted_data_groups: Vec<u64>,
    /// The SOD's hash algorithm, when known.
    pub hash_algorithm: Option<String>,
    /// The signature algorithm, as verified (`"rsassa-pss(sha-256, mgf1-sha-256, salt 32)"`...).
    pub signature_algorithm: Option<String>,
    /// The Document Signer certificate, when found.
    pub document_signer: Option<CertificateInfo>,
    /// The certificates from the Document Signer's issuer up to the trust
    /// anchor, when the chain was built.
    pub chain_certificates: Vec<CertificateInfo>,
    /// The time the validity was checked at, RFC 3339.
    pub checked_at: String,
}

/// A verdict: a report that this crate's verification made and nobody
/// changed since. Its field is private and it derefs (read-only, no
/// `DerefMut`) to its report, so callers read every field as before and
/// can set none; it has no `Deserialize` and no conversion from a report.
/// `Deref` on a non-pointer is deliberate here: the verdict *is* its
/// report, frozen, and the alternative (an accessor per field) adds
/// nothing a reader can do.
macro_rules! vouched {
    ($verdict:ident, $report:ident) => {
        impl core::ops::Deref for $verdict {
            type Target = $report;
            fn deref(&self) -> &$report {
                &self.report
            }
        }

        impl $verdict {
            /// The verdict of `report`'s checks: `valid` set from them, so
            /// the two always agree.
            pub(super) fn from_checks(report: $report) -> $verdict {
                let mut v = $verdict { report };
                v.report.valid = v.is_valid();
                v
            }

            /// The checks as plain data.
            pub fn report(&self) -> &$report {
                &self.report
            }

            /// The checks as plain data, owned (to store or change them:
            /// a report proves nothing).
            pub fn into_report(self) -> $report {
                self.report
            }
        }

        impl From<$verdict> for $report {
            fn from(v: $verdict) -> $report {
                v.report
            }
        }
    };
}
pub(super) use vouched;

/// The verdict of passive authentication of one document, made only by
/// [`super::verify`].
///
/// Every check is reported; [`Verdict::is_valid`] is true only when every
/// required one passed. Never reduce it to a bare bool before logging it:
/// the reasons are what an operator needs.
///
/// Read-only: its checks are read through [`VerdictReport`]
/// (`verdict.chain`, `verdict.valid`), serialised as one (feature `serde`),
/// and cannot be set. It cannot be forged: not assigned to,
///
/// ```compile_fail,E0594
/// fn forge(v: &mut icao9303::pa::Verdict) {
///     v.valid = true;
/// }
/// ```
///
/// not built from a report,
///
/// ```compile_fail,E0451
/// fn forge(report: icao9303::pa::VerdictReport) -> icao9303::pa::Verdict {
///     icao9303::pa::Verdict { report }
/// }
/// ```
///
/// ```compile_fail,E0277
/// fn forge(report: icao9303::pa::VerdictReport) -> icao9303::pa::Verdict {
///     report.into()
/// }
/// ```
///
/// and not deserialized (a JSON verdict saying `"valid": true` becomes a
/// [`VerdictReport`] at most):
///
/// ```compile_fail,E0277
/// let v: icao9303::pa::Verdict = serde_json::from_str(r#"{"valid": true}"#).unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(transparent))]
#[must_use = "a verdict unread checks nothing"]
pub struct Verdict {
    report: VerdictReport,
}

vouched!(Verdict, VerdictReport);

impl Verdict {
    /// True only when the SOD decoded, its signature and signed attributes
    /// verified, the chain to a trusted CSCA was built and verified, every
    /// certificate was valid at the time given, no CRL revoked one, every
    /// data group listed was supplied (unless declared optional) and hashes
    /// to the SOD's value, and no data group was supplied that the SOD does
    /// not list.
    pub fn is_valid(&self) -> bool {
        self.sod.is_passed()
            && super::SignerChecks::pass(
                &self.signature,
                &self.signed_attributes,
                &self.chain,
                &self.validity,
                &self.revocation,
            )
            && !self.data_groups.is_empty()
            && self.data_groups.iter().all(|d| {
                d.check.is_passed() || (d.check.status == Status::NotApplicable && !d.supplied)
            })
    }

    /// The checks that did not pass and are required, with their names
    /// (`"sod"`, `"signature"`, `"signed_attributes"`, `"chain"`,
    /// `"validity"`, `"revocation"`, `"dg3"`...), in report order.
    pub fn failures(&self) -> Vec<(String, &Check)> {
        let mut out = Vec::new();
        if !self.sod.is_passed() {
            out.push(("sod".to_owned(), &self.sod));
        }
        if !self.signature.is_passed() {
            out.push(("signature".to_owned(), &self.signature));
        }
        if !matches!(
            self.signed_attributes.status,
            Status::Passed | Status::NotApplicable
        ) {
            out.push(("signed_attributes".to_owned(), &self.signed_attributes));
        }
        if !self.chain.is_passed() {
            out.push(("chain".to_owned(), &self.chain));
        }
        if !self.validity.is_passed() {
            out.push(("validity".to_owned(), &self.validity));
        }
        if self.revocation.is_failed() {
            out.push(("revocation".to_owned(), &self.revocation));
        }
        for d in &self.data_groups {
            if !(d.check.is_passed() || (d.check.status == Status::NotApplicable && !d.supplied)) {
                out.push((format!("dg{}", d.number), &d.check));
            }
        }
        out
    }

    /// One line: `valid` or `invalid: chain (unknown-csca): ...; dg2 ...`.
    pub fn summary(&self) -> String {
        if self.is_valid() {
            return "valid".to_owned();
        }
        let parts: Vec<String> = self
            .failures()
            .iter()
            .map(|(name, c)| format!("{name} {} ({}): {}", c.status, c.code, c.reason))
            .collect();
        if parts.is_empty() {
            "invalid: no data group was checked".to_owned()
        } else {
            format!("invalid: {}", parts.join("; "))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A report whose checks all pass: one data group listed, supplied,
    /// hashing to the SOD's value.
    fn passing() -> VerdictReport {
        let ok = || Check::passed("ok");
        VerdictReport {
            valid: false,
            sod: ok(),
            signature: ok(),
            signed_attributes: ok(),
            chain: ok(),
            validity: ok(),
            revocation: ok(),
            data_groups: vec![DataGroupCheck {
                number: 1,
                listed: true,
                supplied: true,
                expected_hash: None,
                computed_hash: None,
                check: ok(),
            }],
            missing_data_groups: Vec::new(),
            unlisted_data_groups: Vec::new(),
            hash_algorithm: None,
            signature_algorithm: None,
            document_signer: None,
            chain_certificates: Vec::new(),
            checked_at: String::new(),
        }
    }

    #[test]
    fn valid_is_computed_from_the_checks() {
        let v = Verdict::from_checks(passing());
        assert!(v.is_valid());
        assert!(v.valid);
    }

    /// A report claiming `valid: true` over a failed chain (what a forged
    /// JSON verdict says) does not make a valid verdict: the flag is
    /// recomputed, never taken.
    #[test]
    fn a_report_saying_valid_over_a_failed_check_is_not_valid() {
        let mut report = passing();
        report.valid = true;
        report.chain = Check::failed("unknown-csca", "no CSCA in the trust store");
        let v = Verdict::from_checks(report);
        assert!(!v.is_valid());
        assert!(!v.valid);
        assert_eq!(
            v.summary(),
            "invalid: chain failed (unknown-csca): no CSCA in the trust store"
        );
    }

    /// The verdict serialises as its report, and what is read back is a
    /// report (the only type that deserializes), equal to the one verified.
    #[cfg(feature = "serde")]
    #[test]
    fn a_verdict_serialises_as_its_report_and_reads_back_as_one() {
        let v = Verdict::from_checks(passing());
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["valid"], serde_json::Value::Bool(true));
        assert_eq!(json, serde_json::to_value(v.report()).unwrap());
        let back: VerdictReport = serde_json::from_value(json).unwrap();
        assert_eq!(&back, v.report());
    }
}
