//! An X.509 certificate kept with its exact bytes: signatures are checked
//! over the TBSCertificate as it was written, never over a re-encoding.

use std::fmt;
use std::sync::OnceLock;

use der::{Decode, Encode};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, SubjectKeyIdentifier,
};

use crate::Error;
use crate::pa::error::Structure;
use crate::pa::signature::{Alg, PublicKey, SignatureScheme};
use crate::pa::verdict::{CertificateInfo, Name};
use crate::pa::{PaErrorKind, hex};
use crate::tlv::{Tag, Tlv};

/// A certificate: its DER, the decoded view, and its public key.
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    tbs_start: usize,
    tbs_end: usize,
    spki_start: usize,
    spki_end: usize,
    signature_algorithm: Alg,
    signature: Vec<u8>,
    parsed: x509_cert::Certificate,
    /// Subject and issuer as DER, computed once (chain building compares
    /// them against every certificate of a store), and as text on first
    /// use only: turning a name into text scans attribute-name tables, a
    /// quarter of an RSA verification, and matching needs it only when the
    /// DER differs.
    subject_der: Vec<u8>,
    issuer_der: Vec<u8>,
    subject_text: OnceLock<String>,
    issuer_text: OnceLock<String>,
    /// The public key, decoded on first use (a master list holds hundreds
    /// of keys, few of which are ever used).
    key: OnceLock<Result<PublicKey, PaErrorKind>>,
    /// Whether the certificate's own key verifies its signature, computed
    /// on first use.
    self_signed: OnceLock<bool>,
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject())
            .field("issuer", &self.issuer())
            .field("serial_number", &self.serial_number())
            .finish()
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Certificate) -> bool {
        self.der == other.der
    }
}

impl Eq for Certificate {}

impl Certificate {
    /// Decodes a DER certificate. A key this crate cannot use (an unknown
    /// curve, say) does not make decoding fail: it is reported when the
    /// key is needed.
    pub fn from_der(der: &[u8]) -> Result<Certificate, Error> {
        Certificate::decode(der).map_err(crate::Error::Pa)
    }

    fn decode(der: &[u8]) -> Result<Certificate, PaErrorKind> {
        let tlv_err = PaErrorKind::tlv(Structure::Certificate);
        let malformed = |problem| PaErrorKind::malformed(Structure::Certificate, problem);
        let top = Tlv::parse(der).map_err(&tlv_err)?;
        top.expect_tag(Tag::new(0x30)).map_err(&tlv_err)?;
        let mut r = top.children();
        let tbs = r.expect(Tag::new(0x30)).map_err(&tlv_err)?;
        let alg = Alg::from_tlv(&r.expect(Tag::new(0x30)).map_err(&tlv_err)?)?;
        let sig = r.expect(Tag::new(0x03)).map_err(&tlv_err)?;
        r.finish().map_err(&tlv_err)?;
        let signature = match sig.value().split_first() {
            Some((0, rest)) => rest.to_vec(),
            _ => {
                return Err(malformed("the signature BIT STRING has unused bits"));
            }
        };
        // TBSCertificate: [0] version?, serial, signature, issuer, validity,
        // subject, subjectPublicKeyInfo, ...
        let mut t = tbs.children();
        let mut first = t.next().transpose().map_err(&tlv_err)?;
        if first.as_ref().is_some_and(|f| f.tag() == Tag::new(0xA0)) {
            first = t.next().transpose().map_err(&tlv_err)?;
        }
        if first.is_none() {
            return Err(malformed("an empty TBSCertificate"));
        }
        for _ in 0..4 {
            t.next()
                .transpose()
                .map_err(&tlv_err)?
                .ok_or_else(|| malformed("a TBSCertificate without its subjectPublicKeyInfo"))?;
        }
        let spki = t.expect(Tag::new(0x30)).map_err(&tlv_err)?;
        let parsed = x509_cert::Certificate::from_der(der)
            .map_err(PaErrorKind::der(Structure::Certificate))?;
        let tbs_cert = parsed.tbs_certificate();
        let subject_der = tbs_cert.subject().to_der().unwrap_or_default();
        let issuer_der = tbs_cert.issuer().to_der().unwrap_or_default();
        Ok(Certificate {
            subject_der,
            issuer_der,
            subject_text: OnceLock::new(),
            issuer_text: OnceLock::new(),
            der: der.to_vec(),
            tbs_start: tbs.offset(),
            tbs_end: tbs.offset().saturating_add(tbs.raw().len()),
            spki_start: spki.offset(),
            spki_end: spki.offset().saturating_add(spki.raw().len()),
            signature_algorithm: alg,
            signature,
            parsed,
            key: OnceLock::new(),
            self_signed: OnceLock::new(),
        })
    }

    /// The certificate's DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The decoded certificate.
    pub fn x509(&self) -> &x509_cert::Certificate {
        &self.parsed
    }

    fn tbs(&self) -> &[u8] {
        self.der.get(self.tbs_start..self.tbs_end).unwrap_or(&[])
    }

    /// The SubjectPublicKeyInfo's DER as written.
    pub fn spki_der(&self) -> &[u8] {
        self.der.get(self.spki_start..self.spki_end).unwrap_or(&[])
    }

    pub(crate) fn key(&self) -> Result<&PublicKey, PaErrorKind> {
        self.key
            .get_or_init(|| PublicKey::from_spki(self.spki_der()))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Whether the certificate's own key verifies its signature (a root's
    /// self-signature); computed once.
    pub(crate) fn is_self_signed(&self) -> bool {
        *self
            .self_signed
            .get_or_init(|| self.check_signed_by(self).is_ok())
    }

    /// The public key in words (`"rsa-2048"`, `"ec-brainpoolP512r1
    /// (explicit parameters)"`), or why it cannot be used.
    pub fn public_key_description(&self) -> String {
        match self.key() {
            Ok(k) => k.to_string(),
            Err(e) => format!("unusable: {e}"),
        }
    }

    /// The subject, RFC 4514 style.
    pub fn subject(&self) -> String {
        self.subject_text().to_owned()
    }

    /// The issuer, RFC 4514 style.
    pub fn issuer(&self) -> String {
        self.issuer_text().to_owned()
    }

    /// The serial number, hex.
    pub fn serial_number(&self) -> String {
        hex(self.parsed.tbs_certificate().serial_number().as_bytes())
    }

    /// The subject's country (the `C` attribute), upper-cased, when present.
    pub fn country(&self) -> Option<String> {
        self.parsed
            .tbs_certificate()
            .subject()
            .country()
            .ok()
            .flatten()
            .map(|c| c.as_str().to_ascii_uppercase())
    }

    pub(crate) fn subject_der(&self) -> &[u8] {
        &self.subject_der
    }

    pub(crate) fn issuer_der(&self) -> &[u8] {
        &self.issuer_der
    }

    pub(crate) fn subject_text(&self) -> &str {
        self.subject_text
            .get_or_init(|| self.parsed.tbs_certificate().subject().to_string())
    }

    pub(crate) fn issuer_text(&self) -> &str {
        self.issuer_text
            .get_or_init(|| self.parsed.tbs_certificate().issuer().to_string())
    }

    /// Whether the subject and issuer names are the same (compared as DER,
    /// then case-insensitively as text).
    pub fn is_self_issued(&self) -> bool {
        names_match(
            self.issuer_der(),
            || self.issuer_text().to_owned(),
            self.subject_der(),
            || self.subject_text().to_owned(),
        )
    }

    /// The subject key identifier, when the extension is present.
    pub fn subject_key_identifier(&self) -> Option<Vec<u8>> {
        self.parsed
            .tbs_certificate()
            .get_extension::<SubjectKeyIdentifier>()
            .ok()
            .flatten()
            .map(|(_, s)| s.0.as_bytes().to_vec())
    }

    /// The authority key identifier's keyIdentifier, when present.
    pub fn authority_key_identifier(&self) -> Option<Vec<u8>> {
        self.parsed
            .tbs_certificate()
            .get_extension::<AuthorityKeyIdentifier>()
            .ok()
            .flatten()
            .and_then(|(_, a)| a.key_identifier.map(|k| k.as_bytes().to_vec()))
    }

    /// The OID of the first extension marked critical that this verifier
    /// does not process, if any: RFC 5280 §4.2 says such a certificate must
    /// be refused.
    pub(crate) fn unprocessed_critical_extension(&self) -> Option<String> {
        /// Processed here (basic constraints, key usage, key identifiers),
        /// or informational without a constraint to enforce (names,
        /// policies, private key usage period, CRL distribution points,
        /// extended key usage, ICAO's document type list and name change).
        use crate::oid::*;
        const PROCESSED: [ObjectIdentifier; 12] = [
            SUBJECT_KEY_IDENTIFIER,
            KEY_USAGE,
            PRIVATE_KEY_USAGE_PERIOD,
            SUBJECT_ALT_NAME,
            ISSUER_ALT_NAME,
            BASIC_CONSTRAINTS,
            CRL_DISTRIBUTION_POINTS,
            CERTIFICATE_POLICIES,
            AUTHORITY_KEY_IDENTIFIER,
            EXT_KEY_USAGE,
            ICAO_NAME_CHANGE,
            ICAO_DOCUMENT_TYPE_LIST,
        ];
        self.parsed
            .tbs_certificate()
            .extensions()
            .into_iter()
            .flatten()
            .filter(|e| e.critical)
            .find(|e| !PROCESSED.contains(&e.extn_id))
            .map(|e| e.extn_id.to_string())
    }

    /// The key usage extension: `Ok(None)` when absent.
    pub(crate) fn key_usage(&self) -> Result<Option<KeyUsage>, PaErrorKind> {
        self.parsed
            .tbs_certificate()
            .get_extension::<KeyUsage>()
            .map(|o| o.map(|(_, k)| k))
            .map_err(PaErrorKind::der(Structure::KeyUsage))
    }

    /// The basic constraints extension: `Ok(None)` when absent.
    pub(crate) fn basic_constraints(&self) -> Result<Option<BasicConstraints>, PaErrorKind> {
        self.parsed
            .tbs_certificate()
            .get_extension::<BasicConstraints>()
            .map(|o| o.map(|(_, k)| k))
            .map_err(PaErrorKind::der(Structure::BasicConstraints))
    }

    /// Start and end of validity as seconds since the Unix epoch.
    pub(crate) fn validity_secs(&self) -> (u64, u64) {
        let v = self.parsed.tbs_certificate().validity();
        (
            v.not_before.to_unix_duration().as_secs(),
            v.not_after.to_unix_duration().as_secs(),
        )
    }

    /// Whether the certificate is valid at `now`.
    pub fn is_valid_at(&self, now: der::DateTime) -> bool {
        let t = now.unix_duration().as_secs();
        let (a, b) = self.validity_secs();
        a <= t && t <= b
    }

    /// Verifies this certificate's signature with `issuer`'s key.
    pub fn verify_signed_by(&self, issuer: &Certificate) -> Result<(), Error> {
        self.check_signed_by(issuer).map_err(Error::Pa)
    }

    pub(crate) fn check_signed_by(&self, issuer: &Certificate) -> Result<(), PaErrorKind> {
        let key = issuer.key()?;
        self.check_signed_by_key(key)
    }

    pub(crate) fn check_signed_by_key(&self, key: &PublicKey) -> Result<(), PaErrorKind> {
        let scheme = SignatureScheme::from_alg(&self.signature_algorithm, None)?;
        key.verify(&scheme, self.tbs(), &self.signature)
    }

    /// The signature algorithm in words.
    pub fn signature_scheme(&self) -> String {
        match SignatureScheme::from_alg(&self.signature_algorithm, None) {
            Ok(s) => s.to_string(),
            Err(_) => self.signature_algorithm.oid.to_string(),
        }
    }

    /// Start and end of validity, RFC 3339.
    pub(crate) fn validity_text(&self) -> (String, String) {
        let v = self.parsed.tbs_certificate().validity();
        (
            rfc3339(v.not_before.to_date_time()),
            rfc3339(v.not_after.to_date_time()),
        )
    }

    /// The summary the verdict reports.
    pub fn info(&self) -> CertificateInfo {
        let (not_before, not_after) = self.validity_text();
        // The names as DER, their text only when printed (or already
        // rendered for this certificate, a CSCA of the store say).
        CertificateInfo {
            subject: Name::from_der(self.subject_der.clone(), self.subject_text.get().cloned()),
            issuer: Name::from_der(self.issuer_der.clone(), self.issuer_text.get().cloned()),
            serial_number: self.serial_number(),
            not_before,
            not_after,
            public_key: self.public_key_description(),
            sha256: hex(&crate::lds::sod::HashAlgorithm::Sha256.digest(&self.der)),
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn rfc3339(t: der::DateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minutes(),
        t.seconds()
    )
}

/// Name comparison: DER-equal, or equal as text ignoring ASCII case (real
/// CSCAs write `C=al` where their Document Signers write `C=AL`).
pub(crate) fn names_match<A, B>(a_der: &[u8], a_text: A, b_der: &[u8], b_text: B) -> bool
where
    A: FnOnce() -> String,
    B: FnOnce() -> String,
{
    // The texts only when the encodings differ (the rare case: the same
    // name in another string type).
    a_der == b_der || a_text().eq_ignore_ascii_case(&b_text())
}
