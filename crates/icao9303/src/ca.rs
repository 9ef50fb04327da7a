//! Chip Authentication version 1 (Doc 9303 Part 11 §6.2): the chip proves
//! it holds the private key of DG14's ChipAuthenticationPublicKeyInfo by
//! agreeing on new secure messaging keys with the reader's ephemeral key.
//! A cloned chip (whose DG14 can be copied, not its private key) fails:
//! the next protected response does not verify.
//!
//! - 3DES: MSE:Set KAT (`00 22 41 A6`, `91 PK.PCD [84 keyId]`).
//! - AES: MSE:Set AT (`00 22 41 A4`, `80 OID [84 keyId]`), then GENERAL
//!   AUTHENTICATE (`7C { 80 PK.PCD }`).
//!
//! Both are sent under the current secure messaging; then the session
//! keys become `KDF(K, 1|2)` with the send-sequence counter at zero, `K`
//! the x coordinate of `SK.PCD * PK.PICC` (ECDH) or `PK.PICC^SK.PCD mod p`
//! as an octet string of `p`'s length (DH). ECDH on the standardized
//! curves (the chip's key with a named curve or BSI standardized domain
//! parameters); DH on the MODP groups of RFC 5114 (parameter IDs 0 to 2),
//! the chip's key given with BSI standardized domain parameters or as an
//! RFC 3279 `dhpublicnumber` key whose explicit `p`, `g`, `q` are one of
//! those groups. The reader's ephemeral public key (tag 91 or 80) is the
//! plain public value: an uncompressed point, or `g^x mod p` as an octet
//! string of `p`'s length (Doc 9303 Part 11 §9.4.5).
//!
//! [`plan`] reads what DG14 offers; [`authenticate`] runs it over a
//! [`Transport`] with the caller's random numbers.

use der::asn1::ObjectIdentifier;
use rand_core::TryCryptoRng;
use zeroize::Zeroizing;

use crate::Error;
use crate::apdu::{CommandApdu, StatusWord};
use crate::kdf::KeyKind;
use crate::lds::dg15::{EC_PUBLIC_KEY, PublicKey, STANDARDIZED_DOMAIN_PARAMETERS};
use crate::lds::{Dg14, SecurityInfo};
use crate::pace::{DomainParameters, KeyAgreement};
use crate::sm::{self, SecureMessaging, SessionKeys};
use crate::tlv::{self, Tag, Tlv};
use crate::transport::Transport;

/// Why Chip Authentication failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum CaErrorKind {
    /// DG14 has no ChipAuthenticationPublicKeyInfo this crate can use.
    #[error("DG14 offers no usable Chip Authentication key ({what})")]
    NoKey {
        /// What is missing or unsupported.
        what: &'static str,
    },
    /// The chip refused the key agreement.
    #[error("{command}: the chip answered {sw}")]
    Refused {
        /// The command.
        command: &'static str,
        /// The status word.
        sw: StatusWord,
    },
}

impl From<CaErrorKind> for Error {
    fn from(kind: CaErrorKind) -> Error {
        Error::ChipAuthentication(kind)
    }
}

/// id-CA-DH, 0.4.0.127.0.7.2.2.3.1 (a cipher arc follows).
pub const ID_CA_DH: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.3.1");
/// id-CA-ECDH, 0.4.0.127.0.7.2.2.3.2 (a cipher arc follows).
pub const ID_CA_ECDH: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.3.2");
/// id-PK-DH, 0.4.0.127.0.7.2.2.1.1: a ChipAuthenticationPublicKeyInfo with
/// a DH key.
pub const ID_PK_DH: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.1.1");
/// dhpublicnumber, 1.2.840.10046.2.1 (RFC 3279 §2.3.3): parameters
/// `{ p, g, q, ... }`, the key a DER INTEGER `y`.
pub const DH_PUBLIC_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10046.2.1");

/// What DG14 offers: the chip's key, its group, the cipher and key id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaPlan {
    /// The curve (ECDH) or MODP group (DH) of the chip's key.
    pub parameters: DomainParameters,
    /// The chip's public key: an uncompressed SEC1 point (ECDH), or `y`
    /// big-endian, left-padded to the length of `p` (DH).
    pub chip_public_key: Vec<u8>,
    /// The cipher of the new session (3DES when DG14 has no
    /// ChipAuthenticationInfo, as Doc 9303 says).
    pub cipher: KeyKind,
    /// The ChipAuthenticationInfo protocol OID's DER content octets (for
    /// MSE:Set AT).
    pub protocol: Vec<u8>,
    /// The key id, when DG14 gives one.
    pub key_id: Option<u64>,
}

/// Standard curve OIDs (named curves) and their domain parameter.
fn named_curve(oid: &ObjectIdentifier) -> Option<DomainParameters> {
    let s = oid.to_string();
    let id = match s.as_str() {
        "1.2.840.10045.3.1.1" => 8,
        "1.3.36.3.3.2.8.1.1.3" => 9,
        "1.3.132.0.33" => 10,
        "1.3.36.3.3.2.8.1.1.5" => 11,
        "1.2.840.10045.3.1.7" => 12,
        "1.3.36.3.3.2.8.1.1.7" => 13,
        "1.3.36.3.3.2.8.1.1.9" => 14,
        "1.3.132.0.34" => 15,
        "1.3.36.3.3.2.8.1.1.11" => 16,
        "1.3.36.3.3.2.8.1.1.13" => 17,
        "1.3.132.0.35" => 18,
        _ => return None,
    };
    DomainParameters::from_id(id).ok()
}

/// The big-endian magnitude of a DER INTEGER's content (no sign byte, no
/// leading zeros); `None` for a negative number.
fn uint_value<'a>(t: &Tlv<'a>) -> Option<&'a [u8]> {
    if t.tag() != Tag::new(0x02) || t.value().first().is_some_and(|b| b & 0x80 != 0) {
        return None;
    }
    let v = t.value();
    let skip = v.iter().take_while(|b| **b == 0).count();
    v.get(skip..)
}

fn strip_zeros(v: &[u8]) -> &[u8] {
    let skip = v.iter().take_while(|b| **b == 0).count();
    v.get(skip..).unwrap_or(&[])
}

/// The parameters of the AlgorithmIdentifier of a SubjectPublicKeyInfo's
/// bytes (a whole `30 { 30 alg, 03 key }`, or the flattened `30 alg 03 key`
/// some files carry).
fn algorithm_parameters(spki: &[u8]) -> Option<Tlv<'_>> {
    let first = tlv::Reader::new(spki).next()?.ok()?;
    let mut children = first.children();
    let head = children.next()?.ok()?;
    let alg = if head.tag() == Tag::new(0x30) {
        head
    } else {
        first
    };
    let mut a = alg.children();
    a.next()?.ok()?;
    a.next()?.ok()
}

/// The RFC 5114 group whose `p`, `g` and `q` are those of an RFC 3279
/// `DomainParameters` SEQUENCE (`j` and `validationParms` ignored).
fn dh_group_of(params: &Tlv<'_>) -> Option<DomainParameters> {
    if params.tag() != Tag::new(0x30) {
        return None;
    }
    let items = params.children_vec().ok()?;
    let (p, g, q) = match items.as_slice() {
        [p, g, q, ..] => (uint_value(p)?, uint_value(g)?, uint_value(q)?),
        _ => return None,
    };
    DomainParameters::ALL.into_iter().find(|d| {
        d.dh_group().is_some_and(|group| {
            strip_zeros(&group.p) == p && strip_zeros(&group.g) == g && strip_zeros(&group.q) == q
        })
    })
}

/// The DH public value `y` of a key's bytes (a DER INTEGER), left-padded
/// to the length of `p`.
fn dh_public_value(parameters: DomainParameters, key: &[u8]) -> Option<Vec<u8>> {
    let y = uint_value(&Tlv::parse(key).ok()?)?;
    let len = parameters.field_len();
    let pad = len.checked_sub(y.len())?;
    let mut out = vec![0u8; pad];
    out.extend_from_slice(y);
    Some(out)
}

/// The group and public key of a ChipAuthenticationPublicKeyInfo this crate
/// can use (also the reader's key for PACE-CAM, from EF.CardSecurity).
pub fn usable_key(
    protocol: &ObjectIdentifier,
    public_key: &crate::lds::dg15::SubjectPublicKey<'_>,
) -> Option<(DomainParameters, Vec<u8>)> {
    let standardized = |parameters: &[u8]| {
        Tlv::parse(parameters)
            .ok()
            .filter(|t| t.tag() == Tag::new(0x02))
            .and_then(|t| match t.value() {
                [id] => DomainParameters::from_id(*id).ok(),
                _ => None,
            })
    };
    match &public_key.key {
        PublicKey::Ec {
            named_curve: curve,
            parameters,
            point,
        } => {
            let params = if public_key.algorithm == STANDARDIZED_DOMAIN_PARAMETERS {
                standardized(parameters)?
            } else if public_key.algorithm == EC_PUBLIC_KEY {
                curve.as_ref().and_then(named_curve)?
            } else {
                return None;
            };
            // Standardized parameters name a DH group too (IDs 0 to 2):
            // then the key is a DER INTEGER, not a point.
            match params.agreement() {
                KeyAgreement::Ecdh if *protocol != ID_PK_DH => Some((params, point.to_vec())),
                KeyAgreement::Dh if *protocol == ID_PK_DH => {
                    Some((params, dh_public_value(params, point)?))
                }
                _ => None,
            }
        }
        PublicKey::Other { key } if public_key.algorithm == DH_PUBLIC_NUMBER => {
            let params = dh_group_of(&algorithm_parameters(public_key.spki)?)?;
            Some((params, dh_public_value(params, key)?))
        }
        _ => None,
    }
}

/// Reads DG14: the first ChipAuthenticationPublicKeyInfo with a known
/// curve (ECDH) or RFC 5114 group (DH), and the ChipAuthenticationInfo of
/// the same key id and key agreement.
pub fn plan(dg14: &Dg14<'_>) -> Result<CaPlan, Error> {
    let infos = &dg14.security_infos.infos;
    let mut found = None;
    for info in infos {
        if let SecurityInfo::ChipAuthenticationPublicKey {
            protocol,
            public_key,
            key_id,
        } = info
            && let Some((p, key)) = usable_key(protocol, public_key)
        {
            found = Some((p, key, *key_id));
            break;
        }
    }
    let (parameters, chip_public_key, key_id) = found.ok_or(CaErrorKind::NoKey {
        what: "an ECDH key on a standardized curve or a DH key of an RFC 5114 group",
    })?;
    let family = match parameters.agreement() {
        KeyAgreement::Dh => ID_CA_DH,
        KeyAgreement::Ecdh => ID_CA_ECDH,
    };
    // ChipAuthenticationInfo: id-CA-<DH|ECDH>-<cipher>, same key id (or none).
    let mut protocol = None;
    for info in infos {
        if let SecurityInfo::ChipAuthentication {
            protocol: oid,
            key_id: k,
            ..
        } = info
            && (k.is_none() || key_id.is_none() || *k == key_id)
            && oid.parent() == Some(family)
        {
            protocol = Some(*oid);
            break;
        }
    }
    let (cipher, protocol) = match protocol {
        Some(oid) => {
            let bytes = oid.as_bytes().to_vec();
            let cipher = match bytes.last() {
                Some(1) => KeyKind::Tdes,
                Some(2) => KeyKind::Aes128,
                Some(3) => KeyKind::Aes192,
                Some(4) => KeyKind::Aes256,
                _ => {
                    return Err(CaErrorKind::NoKey {
                        what: "a known Chip Authentication cipher",
                    }
                    .into());
                }
            };
            (cipher, bytes)
        }
        None => {
            let mut oid = family.as_bytes().to_vec();
            oid.push(0x01);
            (KeyKind::Tdes, oid)
        }
    };
    Ok(CaPlan {
        parameters,
        chip_public_key,
        cipher,
        protocol,
        key_id,
    })
}

/// The commands of Chip Authentication for an ephemeral public key
/// `pk_pcd`: MSE:Set KAT (3DES), or MSE:Set AT and GENERAL AUTHENTICATE
/// (AES).
pub fn commands(plan: &CaPlan, pk_pcd: &[u8]) -> Vec<CommandApdu> {
    let key_ref = |out: &mut Vec<u8>| {
        if let Some(id) = plan.key_id {
            let bytes = id.to_be_bytes();
            let start = bytes.iter().position(|b| *b != 0).unwrap_or(7);
            tlv::write(out, Tag::new(0x84), bytes.get(start..).unwrap_or(&[0]));
        }
    };
    if plan.cipher == KeyKind::Tdes {
        let mut data = Vec::new();
        tlv::write(&mut data, Tag::new(0x91), pk_pcd);
        key_ref(&mut data);
        vec![CommandApdu::new(0x00, 0x22, 0x41, 0xA6).with_data(data)]
    } else {
        let mut data = Vec::new();
        tlv::write(&mut data, Tag::new(0x80), &plan.protocol);
        key_ref(&mut data);
        let inner = tlv::encode(Tag::new(0x80), pk_pcd);
        vec![
            CommandApdu::new(0x00, 0x22, 0x41, 0xA4).with_data(data),
            CommandApdu::general_authenticate(tlv::encode(Tag::new(0x7C), &inner), true),
        ]
    }
}

/// The session after Chip Authentication, from the reader's ephemeral
/// private key and the chip's public key (checked first: on the curve, or
/// in the subgroup of order `q`).
pub fn session(plan: &CaPlan, sk_pcd: &[u8]) -> Result<SecureMessaging, Error> {
    plan.parameters.check_point(&plan.chip_public_key)?;
    let shared = Zeroizing::new(
        plan.parameters
            .public_key(sk_pcd, Some(&plan.chip_public_key))?,
    );
    let secret = Zeroizing::new(plan.parameters.x_coordinate(&shared)?);
    let keys = SessionKeys::derive(plan.cipher, &secret);
    SecureMessaging::new(keys, &vec![0u8; sm::block_len(plan.cipher)])
}

/// Runs Chip Authentication with DG14's key over `transport`, under the
/// current session `sm`; returns the new session.
pub fn authenticate<T, R>(
    transport: &mut T,
    sm: &mut SecureMessaging,
    plan: &CaPlan,
    rng: &mut R,
) -> Result<SecureMessaging, Error>
where
    T: Transport + ?Sized,
    R: TryCryptoRng + ?Sized,
{
    // The chip's key is checked before anything is sent.
    plan.parameters.check_point(&plan.chip_public_key)?;
    let sk = plan.parameters.random_private_key(rng)?;
    let pk = plan.parameters.public_key(&sk, None)?;
    for cmd in commands(plan, &pk) {
        let rsp = sm.transmit(transport, &cmd)?;
        if !rsp.sw.is_success() {
            let command = if cmd.ins == 0x86 {
                "GENERAL AUTHENTICATE"
            } else {
                "MSE:Set"
            };
            return Err(CaErrorKind::Refused {
                command,
                sw: rsp.sw,
            }
            .into());
        }
    }
    session(plan, &sk)
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;

    fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
        tlv::encode(Tag::new(0x30), &parts.concat())
    }

    fn int(v: &[u8]) -> Vec<u8> {
        tlv::encode(Tag::new(0x02), v)
    }

    fn oid(v: &ObjectIdentifier) -> Vec<u8> {
        tlv::encode(Tag::new(0x06), v.as_bytes())
    }

    /// `{ protocol, { { id-ecc std params, INTEGER id }, BIT STRING key } }`
    fn std_info(protocol: &ObjectIdentifier, id: u8, key: &[u8]) -> Vec<u8> {
        let mut bits = vec![0u8];
        bits.extend_from_slice(key);
        seq(&[
            oid(protocol),
            seq(&[
                seq(&[oid(&STANDARDIZED_DOMAIN_PARAMETERS), int(&[id])]),
                tlv::encode(Tag::new(0x03), &bits),
            ]),
        ])
    }

    fn plan_of(infos: &[&[u8]]) -> Result<CaPlan, Error> {
        let dg14 = Dg14::encode(infos);
        plan(&Dg14::parse(&dg14).unwrap())
    }

    #[test]
    fn dh_key_with_standardized_domain_parameters() {
        let params = DomainParameters::Modp1024;
        let sk = [0x11u8; 20];
        let y = params.public_key(&sk, None).unwrap();
        // The DER INTEGER of y: a 00 sign byte when the top bit is set.
        let mut mag = vec![0u8];
        mag.extend_from_slice(&y);
        let info = std_info(&ID_PK_DH, 0, &int(&mag));
        let mut ca_oid = ID_CA_DH.as_bytes().to_vec();
        ca_oid.push(4);
        let ca_info = seq(&[tlv::encode(Tag::new(0x06), &ca_oid), int(&[1])]);
        let p = plan_of(&[&info, &ca_info]).unwrap();
        assert_eq!(p.parameters, params);
        assert_eq!(p.chip_public_key, y);
        assert_eq!(p.cipher, KeyKind::Aes256);
        assert_eq!(p.protocol, ca_oid);
        // Without ChipAuthenticationInfo: 3DES and id-CA-DH-3DES-CBC-CBC.
        let p = plan_of(&[&info]).unwrap();
        assert_eq!(p.cipher, KeyKind::Tdes);
        assert_eq!(p.protocol, [4, 0, 0x7F, 0, 7, 2, 2, 3, 1, 1]);
        // An id-CA-ECDH info does not describe a DH key.
        let mut ecdh_oid = ID_CA_ECDH.as_bytes().to_vec();
        ecdh_oid.push(2);
        let ecdh_info = seq(&[tlv::encode(Tag::new(0x06), &ecdh_oid), int(&[1])]);
        assert_eq!(plan_of(&[&info, &ecdh_info]).unwrap().cipher, KeyKind::Tdes);
    }

    #[test]
    fn unusable_dh_keys_are_skipped() {
        let y = DomainParameters::Modp1024
            .public_key(&[0x22u8; 20], None)
            .unwrap();
        let no_key = Error::ChipAuthentication(CaErrorKind::NoKey {
            what: "an ECDH key on a standardized curve or a DH key of an RFC 5114 group",
        });
        // A negative INTEGER.
        let mut neg = y.clone();
        neg[0] |= 0x80;
        assert_eq!(
            plan_of(&[&std_info(&ID_PK_DH, 0, &int(&neg))]).unwrap_err(),
            no_key
        );
        // Longer than p.
        let mut long = vec![1u8];
        long.extend_from_slice(&y);
        assert_eq!(
            plan_of(&[&std_info(&ID_PK_DH, 0, &int(&long))]).unwrap_err(),
            no_key
        );
        // The key not an INTEGER (raw bytes).
        assert_eq!(plan_of(&[&std_info(&ID_PK_DH, 0, &y)]).unwrap_err(), no_key);
        // id-PK-ECDH naming a DH group, id-PK-DH naming a curve.
        let mut mag = vec![0u8];
        mag.extend_from_slice(&y);
        assert_eq!(
            plan_of(&[&std_info(
                &ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.1.2"),
                0,
                &int(&mag)
            )])
            .unwrap_err(),
            no_key
        );
        let point = DomainParameters::Secp256r1
            .public_key(&[0x33u8; 32], None)
            .unwrap();
        assert_eq!(
            plan_of(&[&std_info(&ID_PK_DH, 12, &point)]).unwrap_err(),
            no_key
        );
    }
}
