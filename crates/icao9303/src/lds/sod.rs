//! EF.SOD (tag `77`): the Document Security Object, Doc 9303 Part 10 §4.6.2:
//! a CMS SignedData whose content is the LDSSecurityObject, the hash of every
//! data group. Decoding only: verifying the signature and the chain is
//! passive authentication, elsewhere.

#[allow(unused_imports)]
use crate::prelude::*;
use base16ct::lower::encode_string as hex_string;
use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};

use crate::Error;
use crate::lds::{DataGroup, asn1_err, lds_err, oid, outer, uint};
use crate::tlv::{Node, Tag, Tlv};

const FILE: &str = "EF.SOD";

use crate::oid::{self as oids, ID_LDS_SECURITY_OBJECT, ID_MESSAGE_DIGEST, ID_SIGNED_DATA};

/// The hash algorithms a SOD names, by OID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// SHA-1, 1.3.14.3.2.26.
    Sha1,
    /// SHA-224, 2.16.840.1.101.3.4.2.4.
    Sha224,
    /// SHA-256, 2.16.840.1.101.3.4.2.1.
    Sha256,
    /// SHA-384, 2.16.840.1.101.3.4.2.2.
    Sha384,
    /// SHA-512, 2.16.840.1.101.3.4.2.3.
    Sha512,
}

impl HashAlgorithm {
    /// The algorithm's OID.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            HashAlgorithm::Sha1 => oids::SHA1,
            HashAlgorithm::Sha224 => oids::SHA224,
            HashAlgorithm::Sha256 => oids::SHA256,
            HashAlgorithm::Sha384 => oids::SHA384,
            HashAlgorithm::Sha512 => oids::SHA512,
        }
    }

    /// The algorithm with this OID.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<HashAlgorithm> {
        const ALL: [HashAlgorithm; 5] = [
            HashAlgorithm::Sha1,
            HashAlgorithm::Sha224,
            HashAlgorithm::Sha256,
            HashAlgorithm::Sha384,
            HashAlgorithm::Sha512,
        ];
        ALL.into_iter().find(|h| h.oid() == *oid)
    }

    /// The digest length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            HashAlgorithm::Sha1 => 20,
            HashAlgorithm::Sha224 => 28,
            HashAlgorithm::Sha256 => 32,
            HashAlgorithm::Sha384 => 48,
            HashAlgorithm::Sha512 => 64,
        }
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        use sha2::Digest;
        match self {
            HashAlgorithm::Sha1 => sha1::Sha1::digest(data).to_vec(),
            HashAlgorithm::Sha224 => sha2::Sha224::digest(data).to_vec(),
            HashAlgorithm::Sha256 => sha2::Sha256::digest(data).to_vec(),
            HashAlgorithm::Sha384 => sha2::Sha384::digest(data).to_vec(),
            HashAlgorithm::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }
}

/// One signer of a SignedData.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Signer {
    /// The signer identifier: `issuer=<name>, serial=<hex>` or `ski=<hex>`.
    pub identifier: String,
    /// The digest algorithm OID.
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::display"))]
    pub digest_algorithm: ObjectIdentifier,
    /// The signature algorithm OID.
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::display"))]
    pub signature_algorithm: ObjectIdentifier,
    /// The signed attributes as a SET (what the signature covers), when
    /// present: the file's own bytes with the `[0]` tag turned into `31`,
    /// as CMS requires for the signature input (not re-encoded).
    #[cfg_attr(feature = "serde", serde(serialize_with = "opt_vec_hex"))]
    pub signed_attributes: Option<Vec<u8>>,
    /// The messageDigest attribute's value, when present.
    #[cfg_attr(feature = "serde", serde(serialize_with = "opt_vec_hex"))]
    pub message_digest: Option<Vec<u8>>,
    /// The signature value.
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::vec_hex"))]
    pub signature: Vec<u8>,
}

#[cfg(feature = "serde")]
fn opt_vec_hex<S: serde::Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
    crate::lds::ser::opt_hex(&v.as_deref(), s)
}

/// A certificate carried in the SignedData (the Document Signer's).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CertificateSummary {
    /// The subject name, RFC 4514 style.
    pub subject: String,
    /// The issuer name.
    pub issuer: String,
    /// The serial number, hex.
    pub serial_number: String,
    /// Start of validity.
    pub not_before: String,
    /// End of validity.
    pub not_after: String,
    /// The public key algorithm OID.
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::display"))]
    pub public_key_algorithm: ObjectIdentifier,
    /// The certificate, DER.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub der: Vec<u8>,
    /// The decoded certificate.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub certificate: x509_cert::Certificate,
}

/// A decoded CMS SignedData (of EF.SOD or EF.CardSecurity).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SignedContent {
    /// The eContentType.
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::display"))]
    pub content_type: ObjectIdentifier,
    /// The digest algorithms of the SignedData.
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::lds::ser::display_seq")
    )]
    pub digest_algorithms: Vec<ObjectIdentifier>,
    /// The signers.
    pub signers: Vec<Signer>,
    /// The certificates carried (the Document Signer's).
    pub certificates: Vec<CertificateSummary>,
    /// The whole SignedData as the `cms` crate decodes it.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub signed_data: cms::signed_data::SignedData,
}

impl SignedContent {
    /// Decodes a ContentInfo holding a SignedData; `base` is its offset in
    /// the file, for errors.
    pub fn decode(
        content_info: &[u8],
        base: usize,
        file: &'static str,
    ) -> Result<SignedContent, Error> {
        let ci = cms::content_info::ContentInfo::from_der(content_info)
            .map_err(|e| asn1_err(file, base, e))?;
        if ci.content_type != ID_SIGNED_DATA {
            return Err(lds_err(file, base, "a ContentInfo of type id-signedData"));
        }
        let sd: cms::signed_data::SignedData = ci
            .content
            .decode_as()
            .map_err(|e| asn1_err(file, base, e))?;
        let content_type = sd.encap_content_info.econtent_type;
        let digest_algorithms = sd.digest_algorithms.iter().map(|a| a.oid).collect();
        let raw_attrs = raw_signed_attributes(content_info);
        let mut signers = Vec::new();
        for (i, si) in sd.signer_infos.0.iter().enumerate() {
            let identifier = match &si.sid {
                cms::signed_data::SignerIdentifier::IssuerAndSerialNumber(ias) => {
                    format!(
                        "issuer={}, serial={}",
                        ias.issuer,
                        hex_string(ias.serial_number.as_bytes())
                    )
                }
                cms::signed_data::SignerIdentifier::SubjectKeyIdentifier(ski) => {
                    format!("ski={}", hex_string(ski.0.as_bytes()))
                }
            };
            let signed_attributes = match raw_attrs.get(i).cloned().flatten() {
                Some(raw) => Some(raw),
                None => si
                    .signed_attrs
                    .as_ref()
                    .map(|a| a.to_der())
                    .transpose()
                    .map_err(|e| asn1_err(file, base, e))?,
            };
            let message_digest = si.signed_attrs.as_ref().and_then(|attrs| {
                attrs
                    .iter()
                    .find(|a| a.oid == ID_MESSAGE_DIGEST)
                    .and_then(|a| a.values.get(0))
                    .and_then(|v| v.decode_as::<der::asn1::OctetString>().ok())
                    .map(|o| o.as_bytes().to_vec())
            });
            signers.push(Signer {
                identifier,
                digest_algorithm: si.digest_alg.oid,
                signature_algorithm: si.signature_algorithm.oid,
                signed_attributes,
                message_digest,
                signature: si.signature.as_bytes().to_vec(),
            });
        }
        let mut certificates = Vec::new();
        if let Some(set) = &sd.certificates {
            for choice in set.0.iter() {
                if let cms::cert::CertificateChoices::Certificate(cert) = choice {
                    let tbs = &cert.tbs_certificate();
                    certificates.push(CertificateSummary {
                        subject: tbs.subject().to_string(),
                        issuer: tbs.issuer().to_string(),
                        serial_number: hex_string(tbs.serial_number().as_bytes()),
                        not_before: tbs.validity().not_before.to_string(),
                        not_after: tbs.validity().not_after.to_string(),
                        public_key_algorithm: tbs.subject_public_key_info().algorithm.oid,
                        der: cert.to_der().map_err(|e| asn1_err(file, base, e))?,
                        certificate: cert.clone(),
                    });
                }
            }
        }
        Ok(SignedContent {
            content_type,
            digest_algorithms,
            signers,
            certificates,
            signed_data: sd,
        })
    }
}

/// The `[0] IMPLICIT SignedAttributes` of each SignerInfo, in file order,
/// re-tagged as a SET (`31`) with the file's bytes.
fn raw_signed_attributes(content_info: &[u8]) -> Vec<Option<Vec<u8>>> {
    let walk = || -> Option<Vec<Option<Vec<u8>>>> {
        let ci = Tlv::parse(content_info).ok()?;
        let explicit = ci.children().nth(1)?.ok()?;
        let sd = explicit.children().next()?.ok()?;
        let signer_infos = sd.children().filter_map(Result::ok).last()?;
        if signer_infos.tag() != Tag::new(0x31) {
            return None;
        }
        let mut out = Vec::new();
        for si in signer_infos.children() {
            let si = si.ok()?;
            let attrs = si
                .children()
                .filter_map(Result::ok)
                .find(|c| c.tag() == Tag::new(0xA0));
            out.push(attrs.map(|a| {
                let mut v = a.raw().to_vec();
                if let Some(first) = v.first_mut() {
                    *first = 0x31;
                }
                v
            }));
        }
        Some(out)
    };
    walk().unwrap_or_default()
}

/// The eContent octets of a ContentInfo { SignedData }, borrowed from the
/// file, with their offset.
pub(crate) fn econtent<'a>(ci: &Tlv<'a>, file: &'static str) -> Result<(&'a [u8], usize), Error> {
    ci.expect_tag(Tag::new(0x30))?;
    let mut r = ci.children();
    r.expect(Tag::new(0x06))?;
    let explicit = r.expect(Tag::new(0xA0))?;
    let mut e = explicit.children();
    let sd = e.expect(Tag::new(0x30))?;
    let mut s = sd.children();
    s.expect(Tag::new(0x02))?;
    s.expect(Tag::new(0x31))?;
    let encap = s.expect(Tag::new(0x30))?;
    let mut c = encap.children();
    c.expect(Tag::new(0x06))?;
    let wrapper = c.expect(Tag::new(0xA0))?;
    let mut w = wrapper.children();
    let octets = w
        .next()
        .transpose()?
        .ok_or_else(|| lds_err(file, wrapper.value_offset(), "the eContent"))?;
    if octets.tag() != Tag::new(0x04) {
        return Err(lds_err(
            file,
            octets.offset(),
            "the eContent as a primitive OCTET STRING",
        ));
    }
    Ok((octets.value(), octets.value_offset()))
}

/// The hash of one data group.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DataGroupHash<'a> {
    /// The data group number as written (1 to 16 for LDS 1).
    pub number: u64,
    /// The data group, when the number is 1 to 16.
    pub data_group: Option<DataGroup>,
    /// The hash value, borrowed from the file.
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::hex"))]
    pub hash: &'a [u8],
}

/// The LDSSecurityObject.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LdsSecurityObject<'a> {
    /// 0 (V0) or 1 (V1, with the LDS version info).
    pub version: u64,
    /// The hash algorithm OID.
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::display"))]
    pub hash_algorithm_oid: ObjectIdentifier,
    /// The hash algorithm, when known.
    pub hash_algorithm: Option<HashAlgorithm>,
    /// The data group hashes, in file order.
    pub data_group_hashes: Vec<DataGroupHash<'a>>,
    /// V1: the LDS version (`"0108"`).
    pub lds_version: Option<String>,
    /// V1: the Unicode version.
    pub unicode_version: Option<String>,
}

impl<'a> LdsSecurityObject<'a> {
    /// Reads an LDSSecurityObject; `base` is its offset in the file.
    pub fn parse_at(bytes: &'a [u8], base: usize) -> Result<LdsSecurityObject<'a>, Error> {
        let top = Tlv::parse_at(bytes, base)?;
        top.expect_tag(Tag::new(0x30))?;
        let mut r = top.children();
        let version = uint(&r.expect(Tag::new(0x02))?, FILE)?;
        let alg = r.expect(Tag::new(0x30))?;
        let hash_algorithm_oid = oid(&alg.children().expect(Tag::new(0x06))?, FILE)?;
        let hashes = r.expect(Tag::new(0x30))?;
        let mut data_group_hashes = Vec::new();
        for dgh in hashes.children() {
            let dgh = dgh?;
            dgh.expect_tag(Tag::new(0x30))?;
            let mut h = dgh.children();
            let number = uint(&h.expect(Tag::new(0x02))?, FILE)?;
            let value = h.expect(Tag::new(0x04))?;
            h.finish()?;
            let data_group = u8::try_from(number).ok().and_then(DataGroup::from_number);
            data_group_hashes.push(DataGroupHash {
                number,
                data_group,
                hash: value.value(),
            });
        }
        let (mut lds_version, mut unicode_version) = (None, None);
        if let Some(info) = r.next().transpose()? {
            info.expect_tag(Tag::new(0x30))?;
            let mut i = info.children();
            let a = i.expect(Tag::new(0x13))?;
            let b = i.expect(Tag::new(0x13))?;
            lds_version = Some(String::from_utf8_lossy(a.value()).into_owned());
            unicode_version = Some(String::from_utf8_lossy(b.value()).into_owned());
        }
        r.finish()?;
        Ok(LdsSecurityObject {
            version,
            hash_algorithm: HashAlgorithm::from_oid(&hash_algorithm_oid),
            hash_algorithm_oid,
            data_group_hashes,
            lds_version,
            unicode_version,
        })
    }

    /// Writes an LDSSecurityObject V0 (the eContent a Document Signer
    /// signs): `alg` (parameters absent) and the hash of each data group's
    /// bytes, in the order given.
    pub fn encode(alg: HashAlgorithm, files: &[(DataGroup, &[u8])]) -> Vec<u8> {
        let hashes = files
            .iter()
            .map(|(dg, bytes)| {
                Node::constructed(
                    Tag::new(0x30),
                    vec![
                        Node::primitive(Tag::new(0x02), vec![dg.number()]),
                        Node::primitive(Tag::new(0x04), alg.digest(bytes)),
                    ],
                )
            })
            .collect();
        Node::constructed(
            Tag::new(0x30),
            vec![
                Node::primitive(Tag::new(0x02), vec![0]),
                Node::constructed(
                    Tag::new(0x30),
                    vec![Node::primitive(
                        Tag::new(0x06),
                        alg.oid().as_bytes().to_vec(),
                    )],
                ),
                Node::constructed(Tag::new(0x30), hashes),
            ],
        )
        .encode()
    }

    /// The hash the SOD holds for data group `dg`.
    pub fn hash_of(&self, dg: DataGroup) -> Option<&'a [u8]> {
        self.data_group_hashes
            .iter()
            .find(|h| h.data_group == Some(dg))
            .map(|h| h.hash)
    }
}

/// A parsed EF.SOD.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Sod<'a> {
    /// The file's bytes.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub raw: &'a [u8],
    /// The encapsulated LDSSecurityObject bytes (what the messageDigest covers).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub econtent: &'a [u8],
    /// The LDSSecurityObject.
    pub lds_security_object: LdsSecurityObject<'a>,
    /// The SignedData: signer, certificates.
    pub signed: SignedContent,
}

impl<'a> Sod<'a> {
    /// Parses EF.SOD: `77 { ContentInfo }`.
    pub fn parse(raw: &'a [u8]) -> Result<Sod<'a>, Error> {
        let top = outer(raw, Tag::new(0x77))?;
        let mut r = top.children();
        let ci = r.expect(Tag::new(0x30))?;
        r.finish()?;
        let signed = SignedContent::decode(ci.raw(), ci.offset(), FILE)?;
        if signed.content_type != ID_LDS_SECURITY_OBJECT {
            return Err(lds_err(
                FILE,
                ci.offset(),
                "eContentType id-icao-mrtd-security-ldsSecurityObject",
            ));
        }
        let (econtent, at) = econtent(&ci, FILE)?;
        let lds_security_object = LdsSecurityObject::parse_at(econtent, at)?;
        Ok(Sod {
            raw,
            econtent,
            lds_security_object,
            signed,
        })
    }
}
