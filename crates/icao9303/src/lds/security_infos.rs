//! SecurityInfos (Doc 9303 Part 11 §9.2, BSI TR-03110 Part 3 A.1.1): the
//! protocols a chip supports, in DG14 (tag `6E`), EF.CardAccess (a bare SET)
//! and EF.CardSecurity (a CMS SignedData whose content is a SET).
//!
//! Each `SecurityInfo ::= SEQUENCE { protocol OID, requiredData ANY,
//! optionalData ANY OPTIONAL }` is classified by its protocol OID; infos of
//! unknown protocols are kept with their bytes.

#[allow(unused_imports)]
use crate::prelude::*;
use der::asn1::ObjectIdentifier;

use crate::Error;
use crate::lds::dg15::SubjectPublicKey;
use crate::lds::sod::SignedContent;
use crate::lds::{lds_err, oid, uint};
use crate::tlv::{Tag, Tlv};

use crate::oid::{ID_AA, ID_CA, ID_PACE, ID_PK, ID_SECURITY_OBJECT, ID_TA};

/// One SecurityInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum SecurityInfo<'a> {
    /// PACEInfo: `{ protocol (id-PACE.x.y), version, parameterId OPTIONAL }`.
    Pace {
        /// The protocol OID (mapping and cipher).
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::display"))]
        protocol: ObjectIdentifier,
        /// The version (2 for PACE v2).
        version: u64,
        /// The standardized domain parameter id (Part 11 §9.5.1), if given.
        parameter_id: Option<u64>,
    },
    /// PACEDomainParameterInfo: `{ protocol, domainParameter, parameterId OPTIONAL }`.
    PaceDomainParameter {
        /// The protocol OID (id-PACE-DH-GM...).
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::display"))]
        protocol: ObjectIdentifier,
        /// The AlgorithmIdentifier of the domain parameters, as encoded.
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::hex"))]
        domain_parameter: &'a [u8],
        /// The parameter id, if given.
        parameter_id: Option<u64>,
    },
    /// ChipAuthenticationInfo: `{ protocol (id-CA.x.y), version, keyId OPTIONAL }`.
    ChipAuthentication {
        /// The protocol OID.
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::display"))]
        protocol: ObjectIdentifier,
        /// The version.
        version: u64,
        /// The key id, if given.
        key_id: Option<u64>,
    },
    /// ChipAuthenticationDomainParameterInfo: `{ protocol (id-CA-DH or
    /// id-CA-ECDH), domainParameter, keyId OPTIONAL }`.
    ChipAuthenticationDomainParameter {
        /// The protocol OID.
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::display"))]
        protocol: ObjectIdentifier,
        /// The AlgorithmIdentifier of the domain parameters, as encoded.
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::hex"))]
        domain_parameter: &'a [u8],
        /// The key id, if given.
        key_id: Option<u64>,
    },
    /// ChipAuthenticationPublicKeyInfo: `{ protocol (id-PK-DH or
    /// id-PK-ECDH), chipAuthenticationPublicKey, keyId OPTIONAL }`.
    ChipAuthenticationPublicKey {
        /// The protocol OID.
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::display"))]
        protocol: ObjectIdentifier,
        /// The public key.
        public_key: SubjectPublicKey<'a>,
        /// The key id, if given.
        key_id: Option<u64>,
    },
    /// ActiveAuthenticationInfo: `{ id-AA, version, signatureAlgorithm }`.
    ActiveAuthentication {
        /// The version.
        version: u64,
        /// The signature algorithm OID (ECDSA with a hash).
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::display"))]
        signature_algorithm: ObjectIdentifier,
    },
    /// TerminalAuthenticationInfo: `{ id-TA, version, efCVCA OPTIONAL }`.
    TerminalAuthentication {
        /// The version.
        version: u64,
        /// The file id of EF.CVCA, as encoded, if given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::opt_hex"))]
        ef_cvca: Option<&'a [u8]>,
    },
    /// A SecurityInfo of another protocol, kept as it is.
    Unknown {
        /// The protocol OID.
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::display"))]
        protocol: ObjectIdentifier,
        /// The whole SEQUENCE, as encoded.
        #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::hex"))]
        raw: &'a [u8],
    },
}

/// Whether `oid` is `parent` plus `extra` more arcs.
fn is_under(oid: &ObjectIdentifier, parent: &ObjectIdentifier, extra: usize) -> bool {
    oid.starts_with(*parent) && oid.arcs().count() == parent.arcs().count().saturating_add(extra)
}

impl<'a> SecurityInfo<'a> {
    /// The protocol OID.
    pub fn protocol(&self) -> ObjectIdentifier {
        match self {
            SecurityInfo::Pace { protocol, .. }
            | SecurityInfo::PaceDomainParameter { protocol, .. }
            | SecurityInfo::ChipAuthentication { protocol, .. }
            | SecurityInfo::ChipAuthenticationDomainParameter { protocol, .. }
            | SecurityInfo::ChipAuthenticationPublicKey { protocol, .. }
            | SecurityInfo::Unknown { protocol, .. } => *protocol,
            SecurityInfo::ActiveAuthentication { .. } => ID_AA,
            SecurityInfo::TerminalAuthentication { .. } => ID_TA,
        }
    }

    /// Reads one SecurityInfo SEQUENCE.
    pub fn from_tlv(seq: &Tlv<'a>, file: &'static str) -> Result<SecurityInfo<'a>, Error> {
        seq.expect_tag(Tag::new(0x30))?;
        let mut r = seq.children();
        let protocol = oid(&r.expect(Tag::new(0x06))?, file)?;
        let required = r
            .next()
            .transpose()?
            .ok_or_else(|| lds_err(file, r.offset(), "the requiredData of a SecurityInfo"))?;
        let optional = r.next().transpose()?;
        // Further elements are tolerated only for unknown protocols.
        let extra = r.next().transpose()?;
        let opt_uint = |t: &Option<Tlv<'a>>| t.as_ref().map(|t| uint(t, file)).transpose();
        let known = |info: SecurityInfo<'a>| -> Result<SecurityInfo<'a>, Error> {
            match &extra {
                Some(x) => Err(lds_err(
                    file,
                    x.offset(),
                    "at most three elements in a SecurityInfo",
                )),
                None => Ok(info),
            }
        };
        if is_under(&protocol, &ID_PACE, 2) {
            known(SecurityInfo::Pace {
                protocol,
                version: uint(&required, file)?,
                parameter_id: opt_uint(&optional)?,
            })
        } else if is_under(&protocol, &ID_PACE, 1) {
            required.expect_tag(Tag::new(0x30))?;
            known(SecurityInfo::PaceDomainParameter {
                protocol,
                domain_parameter: required.raw(),
                parameter_id: opt_uint(&optional)?,
            })
        } else if is_under(&protocol, &ID_CA, 2) {
            known(SecurityInfo::ChipAuthentication {
                protocol,
                version: uint(&required, file)?,
                key_id: opt_uint(&optional)?,
            })
        } else if is_under(&protocol, &ID_CA, 1) {
            required.expect_tag(Tag::new(0x30))?;
            known(SecurityInfo::ChipAuthenticationDomainParameter {
                protocol,
                domain_parameter: required.raw(),
                key_id: opt_uint(&optional)?,
            })
        } else if is_under(&protocol, &ID_PK, 1) {
            let first_is_oid = required
                .children()
                .next()
                .and_then(Result::ok)
                .map(|t| t.tag())
                == Some(Tag::new(0x06));
            match (&optional, first_is_oid) {
                // Flattened: `{ protocol, AlgorithmIdentifier, BIT STRING, keyId? }`
                // (seen in the JMRTD EF.CardSecurity sample).
                (Some(bits), true) if bits.tag() == Tag::new(0x03) => {
                    let start = required.offset().saturating_sub(seq.offset());
                    let end = bits
                        .offset()
                        .saturating_add(bits.raw().len())
                        .saturating_sub(seq.offset());
                    let span = seq.raw().get(start..end).unwrap_or(&[]);
                    let extra_after = r.next().transpose()?;
                    if let Some(x) = extra_after {
                        return Err(lds_err(
                            file,
                            x.offset(),
                            "at most four elements in a ChipAuthenticationPublicKeyInfo",
                        ));
                    }
                    Ok(SecurityInfo::ChipAuthenticationPublicKey {
                        protocol,
                        public_key: SubjectPublicKey::from_parts(&required, bits, span, file)?,
                        key_id: opt_uint(&extra)?,
                    })
                }
                _ => known(SecurityInfo::ChipAuthenticationPublicKey {
                    protocol,
                    public_key: SubjectPublicKey::from_tlv(&required, file)?,
                    key_id: opt_uint(&optional)?,
                }),
            }
        } else if protocol == ID_AA {
            let alg = optional.as_ref().ok_or_else(|| {
                lds_err(
                    file,
                    r.offset(),
                    "the signatureAlgorithm of ActiveAuthenticationInfo",
                )
            })?;
            known(SecurityInfo::ActiveAuthentication {
                version: uint(&required, file)?,
                signature_algorithm: oid(alg, file)?,
            })
        } else if protocol == ID_TA {
            known(SecurityInfo::TerminalAuthentication {
                version: uint(&required, file)?,
                ef_cvca: optional.map(|t| t.raw()),
            })
        } else {
            Ok(SecurityInfo::Unknown {
                protocol,
                raw: seq.raw(),
            })
        }
    }
}

/// A SET OF SecurityInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct SecurityInfos<'a> {
    /// The infos in file order.
    pub infos: Vec<SecurityInfo<'a>>,
}

impl<'a> SecurityInfos<'a> {
    /// Reads the SET (tag `31`).
    pub fn from_tlv(set: &Tlv<'a>, file: &'static str) -> Result<SecurityInfos<'a>, Error> {
        set.expect_tag(Tag::new(0x31))?;
        let infos = set
            .children()
            .map(|c| c.and_then(|c| SecurityInfo::from_tlv(&c, file)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SecurityInfos { infos })
    }

    /// The PACEInfos.
    pub fn pace(&self) -> impl Iterator<Item = &SecurityInfo<'a>> {
        self.infos
            .iter()
            .filter(|i| matches!(i, SecurityInfo::Pace { .. }))
    }
}

/// The encoding of each SecurityInfo SEQUENCE of `set`, as in the file.
fn info_encodings<'a>(set: &Tlv<'a>) -> Result<Vec<&'a [u8]>, Error> {
    set.children().map(|c| c.map(|c| c.raw())).collect()
}

/// A parsed EF.CardAccess: a bare SET OF SecurityInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CardAccess<'a> {
    /// The file's bytes.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub raw: &'a [u8],
    /// The SecurityInfos.
    pub security_infos: SecurityInfos<'a>,
}

impl<'a> CardAccess<'a> {
    /// Parses EF.CardAccess. Padding after the SET is refused.
    pub fn parse(raw: &'a [u8]) -> Result<CardAccess<'a>, Error> {
        let set = Tlv::parse(raw)?;
        Ok(CardAccess {
            raw,
            security_infos: SecurityInfos::from_tlv(&set, "EF.CardAccess")?,
        })
    }

    /// The encoding of each SecurityInfo SEQUENCE, in file order (the
    /// order of [`CardAccess::security_infos`]), borrowed from the file:
    /// what EF.CardSecurity must repeat (Doc 9303 Part 11 §9.2).
    pub fn security_info_encodings(&self) -> Result<Vec<&'a [u8]>, Error> {
        info_encodings(&Tlv::parse(self.raw)?)
    }
}

/// A parsed EF.CardSecurity: a CMS SignedData (content type
/// id-SecurityObject) whose content is a SET OF SecurityInfo.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CardSecurity<'a> {
    /// The file's bytes.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub raw: &'a [u8],
    /// The signed structure (signer, certificates, content).
    pub signed: SignedContent,
    /// The SecurityInfos of the content, borrowed from the file.
    pub security_infos: SecurityInfos<'a>,
}

impl<'a> CardSecurity<'a> {
    /// Parses EF.CardSecurity.
    pub fn parse(raw: &'a [u8]) -> Result<CardSecurity<'a>, Error> {
        const FILE: &str = "EF.CardSecurity";
        let ci = Tlv::parse(raw)?;
        let signed = SignedContent::decode(ci.raw(), ci.offset(), FILE)?;
        if signed.content_type != ID_SECURITY_OBJECT {
            return Err(lds_err(
                FILE,
                0,
                "eContentType id-SecurityObject (0.4.0.127.0.7.3.2.1)",
            ));
        }
        let (content, at) = crate::lds::sod::econtent(&ci, FILE)?;
        let set = Tlv::parse_at(content, at)?;
        Ok(CardSecurity {
            raw,
            signed,
            security_infos: SecurityInfos::from_tlv(&set, FILE)?,
        })
    }

    /// The encoding of each SecurityInfo SEQUENCE of the signed content,
    /// in file order (the order of [`CardSecurity::security_infos`]),
    /// borrowed from the file.
    pub fn security_info_encodings(&self) -> Result<Vec<&'a [u8]>, Error> {
        let ci = Tlv::parse(self.raw)?;
        let (content, at) = crate::lds::sod::econtent(&ci, "EF.CardSecurity")?;
        info_encodings(&Tlv::parse_at(content, at)?)
    }
}
