//! ICAO CSCA master lists (Doc 9303 Part 12 §9): a CMS SignedData whose
//! content is `CscaMasterList ::= SEQUENCE { version INTEGER, certList SET
//! OF Certificate }`, signed by a master list signer whose certificate
//! chains to the issuing State's CSCA.

use std::collections::BTreeMap;

use crate::Error;
use crate::pa::cert::Certificate;
use crate::pa::error::Structure;
use crate::pa::trust_store::TrustStore;
use crate::pa::verdict::Check;
use crate::pa::{PaErrorKind, chain, cms};
use crate::tlv::{Tag, Tlv};

/// id-icao-cscaMasterList, 2.23.136.1.1.2.
pub use crate::oid::ID_CSCA_MASTER_LIST;

/// One certificate of the list: decoded, or the reason it did not decode
/// (kept so that counts stay true to the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MasterListEntry {
    /// Position in `certList`, from 0.
    pub index: usize,
    /// The certificate's DER.
    pub der: Vec<u8>,
    /// The decoded certificate.
    pub certificate: Option<Certificate>,
    /// Why it did not decode.
    pub error: Option<String>,
}

/// A decoded CSCA master list with its signature checked against the
/// signer certificate it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MasterList {
    /// `CscaMasterList.version`.
    pub version: u64,
    /// The certificates of `certList`, in file order.
    pub entries: Vec<MasterListEntry>,
    /// The list's CMS signature with the signer certificate it carries.
    pub signature: Check,
    /// The signed attributes (content-type, message-digest).
    pub signed_attributes: Check,
    /// The master list signer's certificate, when found.
    pub signer: Option<Certificate>,
    /// The certificates of the CMS `certificates` field (the signer, often
    /// its CSCA too).
    pub embedded_certificates: Vec<Certificate>,
    /// The signingTime signed attribute, when present.
    pub signing_time: Option<der::DateTime>,
}

fn tlv_err(e: Error) -> Error {
    Error::Pa(PaErrorKind::tlv(Structure::CscaMasterList)(e))
}

impl MasterList {
    /// Decodes a master list (a ContentInfo; a `77`-less file as the
    /// ICAO PKD and the States publish it) and verifies its CMS signature
    /// with the signer certificate it carries. The signer's own chain is
    /// checked by [`MasterList::verify_signer`].
    pub fn parse(bytes: &[u8]) -> Result<MasterList, Error> {
        let sd = cms::parse_content_info(bytes).map_err(Error::Pa)?;
        if sd.econtent_type != ID_CSCA_MASTER_LIST {
            return Err(Error::Pa(PaErrorKind::ContentType {
                structure: Structure::CscaMasterList,
                found: sd.econtent_type,
                expected: ID_CSCA_MASTER_LIST,
            }));
        }
        let top = Tlv::parse(&sd.econtent).map_err(tlv_err)?;
        top.expect_tag(Tag::new(0x30)).map_err(tlv_err)?;
        let mut r = top.children();
        let v = r.expect(Tag::new(0x02)).map_err(tlv_err)?;
        let version = match v.value() {
            [b] if *b < 0x80 => u64::from(*b),
            _ => {
                return Err(Error::Pa(PaErrorKind::malformed(
                    Structure::CscaMasterList,
                    "a version that is not a small INTEGER",
                )));
            }
        };
        let set = r.expect(Tag::new(0x31)).map_err(tlv_err)?;
        r.finish().map_err(tlv_err)?;
        let mut entries = Vec::new();
        for (index, c) in set.children().enumerate() {
            let c = c.map_err(tlv_err)?;
            let (certificate, error) = match Certificate::from_der(c.raw()) {
                Ok(cert) => (Some(cert), None),
                Err(e) => (None, Some(e.to_string())),
            };
            entries.push(MasterListEntry {
                index,
                der: c.raw().to_vec(),
                certificate,
                error,
            });
        }
        let embedded_certificates = sd
            .certificates
            .iter()
            .filter_map(|c| Certificate::from_der(c).ok())
            .collect();
        let outcome = cms::verify_signer(&sd, &[]);
        let signing_time = cms::signing_time(&sd);
        Ok(MasterList {
            signing_time,
            version,
            entries,
            signature: outcome.signature,
            signed_attributes: outcome.signed_attributes,
            signer: outcome.signer,
            embedded_certificates,
        })
    }

    /// Whether the CMS signature and signed attributes verified with the
    /// embedded signer certificate (not its chain).
    pub fn is_signature_valid(&self) -> bool {
        self.signature.is_passed()
            && matches!(
                self.signed_attributes.status,
                crate::pa::Status::Passed | crate::pa::Status::NotApplicable
            )
    }

    /// The decoded certificates, in file order.
    pub fn certificates(&self) -> impl Iterator<Item = &Certificate> {
        self.entries.iter().filter_map(|e| e.certificate.as_ref())
    }

    /// The number of certificates in `certList` (decoded or not).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether `certList` is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Certificates per subject country (upper-cased `C`); `"?"` for a
    /// certificate without one or that did not decode.
    pub fn count_by_country(&self) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for e in &self.entries {
            let c = e
                .certificate
                .as_ref()
                .and_then(Certificate::country)
                .unwrap_or_else(|| "?".to_owned());
            let n: &mut usize = m.entry(c).or_default();
            *n = n.saturating_add(1);
        }
        m
    }

    /// The certificates whose subject country is `country` (any case).
    pub fn by_country(&self, country: &str) -> Vec<&Certificate> {
        self.certificates()
            .filter(|c| c.country().is_some_and(|k| k.eq_ignore_ascii_case(country)))
            .collect()
    }

    /// Verifies that the signer certificate chains to one of `roots` and
    /// that the chain was valid when the list was signed (its signingTime;
    /// `now` when it has none); the list's signature must have verified
    /// too.
    pub fn verify_signer(&self, roots: &TrustStore, now: der::DateTime) -> Check {
        let now = self.signing_time.unwrap_or(now);
        if !self.is_signature_valid() {
            return Check::failed(
                "bad-signature",
                format!(
                    "the list's own signature failed: {}; {}",
                    self.signature, self.signed_attributes
                ),
            );
        }
        let Some(signer) = &self.signer else {
            return Check::not_checked("no-signer-certificate", "no signer certificate");
        };
        let outcome = chain::verify_against(signer, roots, now);
        if !outcome.chain.is_passed() {
            return outcome.chain;
        }
        if !outcome.validity.is_passed() {
            return outcome.validity;
        }
        Check::passed(format!(
            "{}; {}",
            outcome.chain.reason, outcome.validity.reason
        ))
    }
}
