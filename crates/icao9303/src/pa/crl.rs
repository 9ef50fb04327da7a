//! Certificate revocation lists (RFC 5280 §5), kept with their exact bytes.

use std::fmt;

use der::{Decode, Encode};

use crate::Error;
use crate::pa::cert::{Certificate, rfc3339};
use crate::pa::error::Structure;
use crate::pa::signature::{Alg, SignatureScheme};
use crate::pa::{PaErrorKind, hex};
use crate::tlv::{Tag, Tlv};

/// A CRL: its DER, the decoded view.
#[derive(Clone)]
pub struct Crl {
    der: Vec<u8>,
    tbs_start: usize,
    tbs_end: usize,
    signature_algorithm: Alg,
    signature: Vec<u8>,
    parsed: x509_cert::crl::CertificateList,
}

impl fmt::Debug for Crl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Crl")
            .field("issuer", &self.issuer())
            .field("revoked", &self.revoked_count())
            .finish()
    }
}

impl PartialEq for Crl {
    fn eq(&self, other: &Crl) -> bool {
        self.der == other.der
    }
}

impl Eq for Crl {}

impl Crl {
    /// Decodes a DER CRL.
    pub fn from_der(der: &[u8]) -> Result<Crl, Error> {
        Crl::decode(der).map_err(Error::Pa)
    }

    fn decode(der: &[u8]) -> Result<Crl, PaErrorKind> {
        let tlv_err = PaErrorKind::tlv(Structure::Crl);
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
                return Err(PaErrorKind::malformed(
                    Structure::Crl,
                    "the signature BIT STRING has unused bits",
                ));
            }
        };
        let parsed = x509_cert::crl::CertificateList::from_der(der)
            .map_err(PaErrorKind::der(Structure::Crl))?;
        Ok(Crl {
            der: der.to_vec(),
            tbs_start: tbs.offset(),
            tbs_end: tbs.offset().saturating_add(tbs.raw().len()),
            signature_algorithm: alg,
            signature,
            parsed,
        })
    }

    /// The CRL's DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The issuer, RFC 4514 style.
    pub fn issuer(&self) -> String {
        self.parsed.tbs_cert_list.issuer.to_string()
    }

    pub(crate) fn issuer_der(&self) -> Vec<u8> {
        self.parsed
            .tbs_cert_list
            .issuer
            .to_der()
            .unwrap_or_default()
    }

    /// How many certificates it revokes.
    pub fn revoked_count(&self) -> usize {
        self.parsed
            .tbs_cert_list
            .revoked_certificates
            .as_ref()
            .map_or(0, Vec::len)
    }

    /// The serial numbers it revokes, hex.
    pub fn revoked_serials(&self) -> Vec<String> {
        self.parsed
            .tbs_cert_list
            .revoked_certificates
            .iter()
            .flatten()
            .map(|r| hex(r.serial_number.as_bytes()))
            .collect()
    }

    pub(crate) fn next_update_secs(&self) -> Option<u64> {
        self.parsed
            .tbs_cert_list
            .next_update
            .map(|t| t.to_unix_duration().as_secs())
    }

    /// The revocation date of `cert` when this CRL revokes it (the caller
    /// has matched the CRL's issuer to the certificate's).
    pub fn revocation_of(&self, cert: &Certificate) -> Option<String> {
        let serial = cert.x509().tbs_certificate().serial_number().as_bytes();
        self.parsed
            .tbs_cert_list
            .revoked_certificates
            .iter()
            .flatten()
            .find(|r| r.serial_number.as_bytes() == serial)
            .map(|r| rfc3339(r.revocation_date.to_date_time()))
    }

    /// Verifies the CRL's signature with `issuer`'s key.
    pub fn verify_signed_by(&self, issuer: &Certificate) -> Result<(), Error> {
        self.check_signed_by(issuer).map_err(Error::Pa)
    }

    pub(crate) fn check_signed_by(&self, issuer: &Certificate) -> Result<(), PaErrorKind> {
        let scheme = SignatureScheme::from_alg(&self.signature_algorithm, None)?;
        let tbs = self.der.get(self.tbs_start..self.tbs_end).unwrap_or(&[]);
        issuer.key()?.verify(&scheme, tbs, &self.signature)
    }
}
