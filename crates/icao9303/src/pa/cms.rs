//! CMS SignedData (RFC 5652) walked over its exact bytes, and its signer
//! verified: the signed attributes are hashed as written (a decoder that
//! re-sorts the SET would break real signatures), the eContent is the
//! OCTET STRING's value.

use der::asn1::ObjectIdentifier;

use crate::lds::sod::HashAlgorithm;
use crate::pa::cert::{Certificate, names_match};
use crate::pa::error::{PaErrorKind, Structure};
use crate::pa::hex;
use crate::pa::signature::{Alg, SignatureScheme, digest_from_alg};
use crate::pa::verdict::Check;
use crate::tlv::{Tag, Tlv};

use crate::oid::{ID_CONTENT_TYPE, ID_MESSAGE_DIGEST, ID_SIGNED_DATA, ID_SIGNING_TIME};

/// How a SignerInfo names its certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sid {
    IssuerSerial { issuer: Vec<u8>, serial: Vec<u8> },
    Ski(Vec<u8>),
}

/// One SignerInfo.
#[derive(Debug, Clone)]
pub(crate) struct RawSigner<'a> {
    pub(crate) sid: Sid,
    pub(crate) digest: Alg,
    /// The `[0] IMPLICIT SET OF Attribute` TLV as written.
    pub(crate) signed_attrs: Option<Tlv<'a>>,
    pub(crate) signature_algorithm: Alg,
    pub(crate) signature: &'a [u8],
}

/// A SignedData's parts, borrowed from the input where possible.
#[derive(Debug, Clone)]
pub(crate) struct RawSignedData<'a> {
    pub(crate) econtent_type: ObjectIdentifier,
    pub(crate) econtent: Vec<u8>,
    /// Where the eContent's bytes start in the input (of its first part
    /// when BER splits it), for the offsets of errors in it.
    pub(crate) econtent_offset: usize,
    pub(crate) certificates: Vec<&'a [u8]>,
    pub(crate) signers: Vec<RawSigner<'a>>,
}

fn oid_of(t: &Tlv<'_>, structure: Structure) -> Result<ObjectIdentifier, PaErrorKind> {
    t.expect_tag(Tag::new(0x06))
        .map_err(PaErrorKind::tlv(structure))?;
    ObjectIdentifier::from_bytes(t.value()).map_err(PaErrorKind::oid(structure))
}

/// Reads `ContentInfo { id-signedData, [0] SignedData }`.
pub(crate) fn parse_content_info(bytes: &[u8]) -> Result<RawSignedData<'_>, PaErrorKind> {
    let tlv = PaErrorKind::tlv(Structure::ContentInfo);
    let ci = Tlv::parse(bytes).map_err(&tlv)?;
    ci.expect_tag(Tag::new(0x30)).map_err(&tlv)?;
    let mut r = ci.children();
    let ct = oid_of(
        &r.expect(Tag::new(0x06)).map_err(&tlv)?,
        Structure::ContentInfo,
    )?;
    if ct != ID_SIGNED_DATA {
        return Err(PaErrorKind::ContentType {
            structure: Structure::ContentInfo,
            found: ct,
            expected: ID_SIGNED_DATA,
        });
    }
    let explicit = r.expect(Tag::new(0xA0)).map_err(&tlv)?;
    r.finish().map_err(&tlv)?;
    let tlv = PaErrorKind::tlv(Structure::SignedData);
    let malformed = |problem| PaErrorKind::malformed(Structure::SignedData, problem);
    let sd = Tlv::parse_at(explicit.value(), explicit.value_offset()).map_err(&tlv)?;
    sd.expect_tag(Tag::new(0x30)).map_err(&tlv)?;
    let mut s = sd.children();
    s.expect(Tag::new(0x02)).map_err(&tlv)?;
    s.expect(Tag::new(0x31)).map_err(&tlv)?;
    let encap = s.expect(Tag::new(0x30)).map_err(&tlv)?;
    let mut e = encap.children();
    let econtent_type = oid_of(
        &e.expect(Tag::new(0x06)).map_err(&tlv)?,
        Structure::SignedData,
    )?;
    let wrapper = e
        .next()
        .transpose()
        .map_err(&tlv)?
        .ok_or_else(|| malformed("no eContent (detached content)"))?;
    wrapper.expect_tag(Tag::new(0xA0)).map_err(&tlv)?;
    e.finish().map_err(&tlv)?;
    let octets = Tlv::parse_at(wrapper.value(), wrapper.value_offset()).map_err(&tlv)?;
    let econtent_offset = if octets.tag().raw() == 0x24 {
        octets
            .children()
            .next()
            .and_then(Result::ok)
            .map_or(octets.value_offset(), |part| part.value_offset())
    } else {
        octets.value_offset()
    };
    let econtent = match octets.tag().raw() {
        0x04 => octets.value().to_vec(),
        // BER constructed OCTET STRING: the concatenation of its parts.
        0x24 => {
            let mut out = Vec::new();
            for part in octets.children() {
                let part = part.map_err(&tlv)?;
                part.expect_tag(Tag::new(0x04)).map_err(&tlv)?;
                out.extend_from_slice(part.value());
            }
            out
        }
        _ => return Err(malformed("an eContent that is not an OCTET STRING")),
    };
    let mut certificates = Vec::new();
    let mut next = s.next().transpose().map_err(&tlv)?;
    if let Some(t) = next.filter(|t| t.tag() == Tag::new(0xA0)) {
        for c in t.children() {
            let c = c.map_err(&tlv)?;
            if c.tag() == Tag::new(0x30) {
                certificates.push(c.raw());
            }
        }
        next = s.next().transpose().map_err(&tlv)?;
    }
    if next.is_some_and(|t| t.tag() == Tag::new(0xA1)) {
        next = s.next().transpose().map_err(&tlv)?;
    }
    let infos = next.ok_or_else(|| malformed("no signerInfos"))?;
    infos.expect_tag(Tag::new(0x31)).map_err(&tlv)?;
    s.finish().map_err(&tlv)?;
    let mut signers = Vec::new();
    for si in infos.children() {
        signers.push(parse_signer(&si.map_err(&tlv)?)?);
    }
    Ok(RawSignedData {
        econtent_type,
        econtent,
        econtent_offset,
        certificates,
        signers,
    })
}

fn parse_signer<'a>(si: &Tlv<'a>) -> Result<RawSigner<'a>, PaErrorKind> {
    let tlv = PaErrorKind::tlv(Structure::SignerInfo);
    let malformed = |problem| PaErrorKind::malformed(Structure::SignerInfo, problem);
    si.expect_tag(Tag::new(0x30)).map_err(&tlv)?;
    let mut r = si.children();
    r.expect(Tag::new(0x02)).map_err(&tlv)?;
    let sid_t = r
        .next()
        .transpose()
        .map_err(&tlv)?
        .ok_or_else(|| malformed("no sid"))?;
    let sid = match sid_t.tag().raw() {
        0x30 => {
            let mut i = sid_t.children();
            let issuer = i.expect(Tag::new(0x30)).map_err(&tlv)?.raw().to_vec();
            let serial = i.expect(Tag::new(0x02)).map_err(&tlv)?.value().to_vec();
            i.finish().map_err(&tlv)?;
            Sid::IssuerSerial { issuer, serial }
        }
        0x80 => Sid::Ski(sid_t.value().to_vec()),
        _ => {
            return Err(malformed(
                "a sid neither issuerAndSerialNumber nor [0] subjectKeyIdentifier",
            ));
        }
    };
    let digest = Alg::from_tlv(&r.expect(Tag::new(0x30)).map_err(&tlv)?)?;
    let mut t = r
        .next()
        .transpose()
        .map_err(&tlv)?
        .ok_or_else(|| malformed("no signatureAlgorithm"))?;
    let mut signed_attrs = None;
    if t.tag() == Tag::new(0xA0) {
        signed_attrs = Some(t);
        t = r
            .next()
            .transpose()
            .map_err(&tlv)?
            .ok_or_else(|| malformed("no signatureAlgorithm"))?;
    }
    let signature_algorithm = Alg::from_tlv(&t)?;
    let signature = r.expect(Tag::new(0x04)).map_err(&tlv)?.value();
    if let Some(u) = r.next() {
        u.map_err(&tlv)?.expect_tag(Tag::new(0xA1)).map_err(&tlv)?;
    }
    r.finish().map_err(&tlv)?;
    Ok(RawSigner {
        sid,
        digest,
        signed_attrs,
        signature_algorithm,
        signature,
    })
}

/// What verifying a SignedData's signer found.
#[derive(Debug, Clone)]
pub(crate) struct SignerOutcome {
    pub(crate) signature: Check,
    pub(crate) signed_attributes: Check,
    pub(crate) signer: Option<Certificate>,
    pub(crate) scheme: Option<String>,
    pub(crate) digest: Option<HashAlgorithm>,
}

impl SignerOutcome {
    fn stop(signature: Check) -> SignerOutcome {
        SignerOutcome {
            signature,
            signed_attributes: Check::not_checked("no-signer", "no usable signer"),
            signer: None,
            scheme: None,
            digest: None,
        }
    }
}

/// Whether `cert` is the one `sid` names.
fn sid_matches(sid: &Sid, cert: &Certificate) -> bool {
    match sid {
        Sid::IssuerSerial { issuer, serial } => {
            names_match(
                issuer,
                || x509_cert::name::Name::from_der_lenient(issuer),
                cert.issuer_der(),
                || cert.issuer_text().to_owned(),
            ) && strip(serial) == strip(cert.x509().tbs_certificate().serial_number().as_bytes())
        }
        Sid::Ski(ski) => cert.subject_key_identifier().as_deref() == Some(ski.as_slice()),
    }
}

trait LenientName {
    fn from_der_lenient(der: &[u8]) -> String;
}

impl LenientName for x509_cert::name::Name {
    fn from_der_lenient(der: &[u8]) -> String {
        use der::Decode;
        x509_cert::name::Name::from_der(der)
            .map(|n| n.to_string())
            .unwrap_or_default()
    }
}

fn strip(mut v: &[u8]) -> &[u8] {
    while let [0, rest @ ..] = v {
        if rest.is_empty() {
            break;
        }
        v = rest;
    }
    v
}

/// Verifies the first signer of `sd` with a certificate carried in it or
/// one of `extra` (Document Signer certificates supplied by the caller).
pub(crate) fn verify_signer(sd: &RawSignedData<'_>, extra: &[Certificate]) -> SignerOutcome {
    let Some(si) = sd.signers.first() else {
        return SignerOutcome::stop(Check::failed(
            "no-signer",
            "the SignedData has no SignerInfo",
        ));
    };
    let mut candidates: Vec<Certificate> = Vec::new();
    let mut unparsable = 0usize;
    for c in &sd.certificates {
        match Certificate::from_der(c) {
            Ok(c) => candidates.push(c),
            Err(_) => unparsable = unparsable.saturating_add(1),
        }
    }
    candidates.extend(extra.iter().cloned());
    let signer = candidates.into_iter().find(|c| sid_matches(&si.sid, c));
    let digest = match digest_from_alg(&si.digest) {
        Ok(d) => d,
        Err(e) => {
            return SignerOutcome::stop(Check::failed("unsupported-algorithm", e.to_string()));
        }
    };
    let scheme = match SignatureScheme::from_alg(&si.signature_algorithm, Some(digest)) {
        Ok(s) => s,
        Err(e) => {
            let mut o = SignerOutcome::stop(Check::failed("unsupported-algorithm", e.to_string()));
            o.signer = signer;
            o.digest = Some(digest);
            return o;
        }
    };
    let signed_attributes = match &si.signed_attrs {
        None => Check::not_applicable(
            "absent",
            "no signed attributes: the signature covers the eContent directly",
        ),
        Some(attrs) => check_attributes(attrs, &sd.econtent_type, &digest.digest(&sd.econtent)),
    };
    let message: Vec<u8> = match &si.signed_attrs {
        None => sd.econtent.clone(),
        Some(attrs) => {
            // The signature covers the attributes with their EXPLICIT SET tag.
            let mut m = attrs.raw().to_vec();
            if let Some(first) = m.first_mut() {
                *first = 0x31;
            }
            m
        }
    };
    let signature = match &signer {
        None => Check::not_checked(
            "no-signer-certificate",
            format!(
                "no certificate matches the signer {}{}",
                describe_sid(&si.sid),
                if unparsable > 0 {
                    format!(" ({unparsable} embedded certificate(s) did not decode)")
                } else {
                    String::new()
                }
            ),
        ),
        Some(cert) => match cert
            .key()
            .and_then(|k| k.verify(&scheme, &message, si.signature))
        {
            // The signer by serial number: its name is text only when
            // the verdict is printed (`document_signer`).
            Ok(()) => Check::passed(format!(
                "{scheme} signature verifies with the key of the signer certificate (serial {})",
                cert.serial_number()
            )),
            Err(e @ PaErrorKind::BadSignature { .. }) => Check::failed(
                e.signature_code(),
                format!("{e} with the key of {}", cert.subject()),
            ),
            Err(e) => Check::failed(e.signature_code(), e.to_string()),
        },
    };
    SignerOutcome {
        signature,
        signed_attributes,
        signer,
        scheme: Some(scheme.to_string()),
        digest: Some(digest),
    }
}

fn describe_sid(sid: &Sid) -> String {
    match sid {
        Sid::IssuerSerial { issuer, serial } => format!(
            "issuer {}, serial {}",
            x509_cert::name::Name::from_der_lenient(issuer),
            hex(serial)
        ),
        Sid::Ski(s) => format!("subject key identifier {}", hex(s)),
    }
}

/// content-type must equal the eContentType, message-digest the hash of
/// the eContent; each present exactly once with one value.
fn check_attributes(attrs: &Tlv<'_>, econtent_type: &ObjectIdentifier, digest: &[u8]) -> Check {
    let tlv = PaErrorKind::tlv(Structure::SignedAttributes);
    let mut content_type: Vec<Vec<u8>> = Vec::new();
    let mut message_digest: Vec<Vec<u8>> = Vec::new();
    for a in attrs.children() {
        let parsed = a.map_err(&tlv).and_then(|a| {
            a.expect_tag(Tag::new(0x30)).map_err(&tlv)?;
            let mut r = a.children();
            let oid = oid_of(
                &r.expect(Tag::new(0x06)).map_err(&tlv)?,
                Structure::SignedAttributes,
            )?;
            let values = r.expect(Tag::new(0x31)).map_err(&tlv)?;
            r.finish().map_err(&tlv)?;
            let vals: Vec<Tlv<'_>> = values.children_vec().map_err(&tlv)?;
            Ok((oid, vals))
        });
        let (oid, vals) = match parsed {
            Ok(p) => p,
            Err(e) => return Check::failed("malformed", format!("signed attributes: {e}")),
        };
        let target = if oid == ID_CONTENT_TYPE {
            &mut content_type
        } else if oid == ID_MESSAGE_DIGEST {
            &mut message_digest
        } else {
            continue;
        };
        if vals.len() != 1 {
            return Check::failed(
                "malformed",
                format!("signed attribute {oid} has {} values, not 1", vals.len()),
            );
        }
        target.extend(vals.iter().map(|v| v.raw().to_vec()));
    }
    let [ct] = content_type.as_slice() else {
        return Check::failed(
            "missing-content-type",
            format!(
                "{} content-type attributes, exactly one required",
                content_type.len()
            ),
        );
    };
    let [md] = message_digest.as_slice() else {
        return Check::failed(
            "missing-message-digest",
            format!(
                "{} message-digest attributes, exactly one required",
                message_digest.len()
            ),
        );
    };
    let ct_oid = Tlv::parse(ct)
        .map_err(&tlv)
        .and_then(|t| oid_of(&t, Structure::SignedAttributes));
    match ct_oid {
        Ok(o) if &o == econtent_type => {}
        Ok(o) => {
            return Check::failed(
                "content-type-mismatch",
                format!("content-type attribute {o} differs from the eContentType {econtent_type}"),
            );
        }
        Err(e) => return Check::failed("malformed", format!("content-type attribute: {e}")),
    }
    let md_value = match Tlv::parse(md) {
        Ok(t) if t.tag() == Tag::new(0x04) => t.value(),
        _ => {
            return Check::failed(
                "malformed",
                "message-digest attribute is not an OCTET STRING",
            );
        }
    };
    if md_value == digest {
        Check::passed(format!(
            "content-type is {econtent_type}; message-digest {} equals the hash of the eContent",
            hex(digest)
        ))
    } else {
        Check::failed(
            "message-digest-mismatch",
            format!(
                "message-digest attribute {} differs from the hash of the eContent {}",
                hex(md_value),
                hex(digest)
            ),
        )
    }
}

/// The signingTime attribute (1.2.840.113549.1.9.5) of the first signer,
/// when present and well formed.
pub(crate) fn signing_time(sd: &RawSignedData<'_>) -> Option<der::DateTime> {
    use der::Decode;
    let attrs = sd.signers.first()?.signed_attrs?;
    for a in attrs.children() {
        let a = a.ok()?;
        let mut r = a.children();
        let oid = oid_of(&r.next()?.ok()?, Structure::SignedAttributes).ok()?;
        if oid != ID_SIGNING_TIME {
            continue;
        }
        let values = r.next()?.ok()?;
        let v = values.children().next()?.ok()?;
        return match v.tag().raw() {
            0x17 => der::asn1::UtcTime::from_der(v.raw())
                .ok()
                .map(|t| t.to_date_time()),
            0x18 => der::asn1::GeneralizedTime::from_der(v.raw())
                .ok()
                .map(|t| t.to_date_time()),
            _ => None,
        };
    }
    None
}
