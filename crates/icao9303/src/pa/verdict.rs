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

/// The verdict of passive authentication of one document.
///
/// Every check is reported; [`Verdict::is_valid`] is true only when every
/// required one passed. Never reduce it to a bare bool before logging it:
/// the reasons are what an operator needs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[must_use = "a verdict unread checks nothing"]
pub struct Verdict {
    /// Whether every required check passed (the same as
    /// [`Verdict::is_valid`], kept in the serialised form).
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
