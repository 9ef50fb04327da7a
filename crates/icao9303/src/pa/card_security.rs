//! Passive authentication of EF.CardSecurity (Doc 9303 Part 11 §9.2): the
//! same CMS SignedData checks as EF.SOD's (signature, signed attributes,
//! Document Signer chain, validity, revocation) over its SET OF
//! SecurityInfo, content type id-SecurityObject. It authenticates the chip's
//! Chip Authentication public key that PACE-CAM is checked against.

use super::verdict::{CertificateInfo, Check, vouched};
use super::{SignerChecks, TrustStore, VerifyOptions, cert, cms};
use crate::lds::CardSecurity;
use crate::oid::ID_SECURITY_OBJECT;

const FILE: &str = "EF.CardSecurity";

/// What passive authentication of EF.CardSecurity found, as plain data:
/// the fields of a [`CardSecurityVerdict`], which reads them through this
/// type. Like [`super::VerdictReport`], **not proof of anything**: it
/// deserializes; only a [`CardSecurityVerdict`] says the file passed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CardSecurityReport {
    /// Whether every required check passed (in a verdict, the same as
    /// [`CardSecurityVerdict::is_valid`]).
    pub valid: bool,
    /// The file decodes: ContentInfo, SignedData of content type
    /// id-SecurityObject, a SET OF SecurityInfo.
    pub card_security: Check,
    /// The signature verifies with the Document Signer's key.
    pub signature: Check,
    /// The signed attributes: content-type equals the eContentType and
    /// message-digest equals the hash of the SecurityInfos.
    pub signed_attributes: Check,
    /// The Document Signer certificate chains to a CSCA in the trust store.
    pub chain: Check,
    /// Every certificate of the chain is valid at the time given.
    pub validity: Check,
    /// No certificate of the chain is revoked by a CRL supplied.
    pub revocation: Check,
    /// The signature algorithm, as verified.
    pub signature_algorithm: Option<String>,
    /// The Document Signer certificate, when found.
    pub document_signer: Option<CertificateInfo>,
    /// The certificates from the Document Signer's issuer up to the trust
    /// anchor, when the chain was built.
    pub chain_certificates: Vec<CertificateInfo>,
    /// The time the validity was checked at, RFC 3339.
    pub checked_at: String,
}

/// The verdict of passive authentication of EF.CardSecurity, made only by
/// [`verify_card_security`]: read-only, as [`super::Verdict`] is (its
/// checks read through [`CardSecurityReport`]; not assignable, not built
/// nor deserialized outside this crate).
///
/// ```compile_fail,E0594
/// fn forge(v: &mut icao9303::pa::CardSecurityVerdict) {
///     v.valid = true;
/// }
/// ```
///
/// ```compile_fail,E0277
/// let v: icao9303::pa::CardSecurityVerdict = serde_json::from_str("{}").unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(transparent))]
#[must_use = "a verdict unread checks nothing"]
pub struct CardSecurityVerdict {
    report: CardSecurityReport,
}

vouched!(CardSecurityVerdict, CardSecurityReport);

impl CardSecurityVerdict {
    /// True only when the file decoded, its signature and signed
    /// attributes verified, the chain to a trusted CSCA was built and
    /// verified, every certificate was valid at the time given and no CRL
    /// revoked one.
    pub fn is_valid(&self) -> bool {
        self.card_security.is_passed()
            && SignerChecks::pass(
                &self.signature,
                &self.signed_attributes,
                &self.chain,
                &self.validity,
                &self.revocation,
            )
    }
}

/// Passive authentication of EF.CardSecurity's raw bytes (a bare
/// ContentInfo) against `store`. Never fails: whatever is wrong is a check
/// of the [`CardSecurityVerdict`].
pub fn verify_card_security(
    card_security: &[u8],
    store: &TrustStore,
    options: &VerifyOptions,
) -> CardSecurityVerdict {
    CardSecurityVerdict::from_checks(checks(card_security, store, options))
}

/// The checks of [`verify_card_security`], `valid` left false.
fn checks(card_security: &[u8], store: &TrustStore, options: &VerifyOptions) -> CardSecurityReport {
    let skipped = || Check::not_checked("card-security-invalid", "EF.CardSecurity did not decode");
    let mut v = CardSecurityReport {
        valid: false,
        card_security: Check::passed("EF.CardSecurity decodes"),
        signature: skipped(),
        signed_attributes: skipped(),
        chain: skipped(),
        validity: skipped(),
        revocation: skipped(),
        signature_algorithm: None,
        document_signer: None,
        chain_certificates: Vec::new(),
        checked_at: cert::rfc3339(options.now),
    };
    let raw = match cms::parse_content_info(card_security) {
        Ok(r) => r,
        Err(e) => {
            v.card_security = Check::failed("malformed", e.to_string());
            return v;
        }
    };
    if raw.econtent_type != ID_SECURITY_OBJECT {
        v.card_security = Check::failed(
            "wrong-content-type",
            format!(
                "eContentType is {}, not id-SecurityObject ({ID_SECURITY_OBJECT})",
                raw.econtent_type
            ),
        );
        return v;
    }
    // The SecurityInfos a reader takes (the LDS decoder's walk) must be
    // the bytes signed.
    let decoded = crate::tlv::Tlv::parse(card_security)
        .and_then(|ci| crate::lds::sod::econtent(&ci, FILE).map(|(content, _)| content));
    match (decoded, CardSecurity::parse(card_security)) {
        (Ok(content), Ok(parsed)) if content == raw.econtent.as_slice() => {
            v.card_security = Check::passed(format!(
                "EF.CardSecurity decodes: {} SecurityInfos",
                parsed.security_infos.infos.len()
            ));
        }
        (Ok(_), Ok(_)) => {
            v.card_security = Check::failed(
                "malformed",
                "the SecurityInfos decoded are not the eContent signed",
            );
            return v;
        }
        (Err(e), _) | (_, Err(e)) => {
            v.card_security = Check::failed("malformed", e.to_string());
            return v;
        }
    }
    let s = SignerChecks::run(&raw, store, options);
    v.signature = s.signature;
    v.signed_attributes = s.signed_attributes;
    v.signature_algorithm = s.signature_algorithm;
    v.document_signer = s.document_signer;
    v.chain = s.chain;
    v.validity = s.validity;
    v.revocation = s.revocation;
    v.chain_certificates = s.chain_certificates;
    v
}
