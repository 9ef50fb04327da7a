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
//! Where each step lives:
//! - this file: [`plan`] reads what DG14 offers ([`CaPlan`]), and
//!   [`usable_key`] the keys it can use (PACE-CAM reads EF.CardSecurity's
//!   with it);
//! - `reader.rs`: the reader's side, [`ChipAuthentication`], a sans-IO
//!   state machine like [`crate::pace::Pace`] (one state per answer it
//!   waits for), and [`authenticate`], which runs it over a
//!   [`crate::transport::Transport`] under the current secure messaging;
//! - `card.rs`: the chip's side, [`CardCa`] (the simulator's);
//! - [`crate::agreement`]: the groups and the shared secret.

use der::asn1::ObjectIdentifier;

use crate::Error;
use crate::agreement::{DomainParameters, KeyAgreement, KeyKind};
use crate::apdu::StatusWord;
use crate::lds::dg15::PublicKey;
use crate::lds::{Dg14, SecurityInfo};
use crate::oid::{
    self, DH_PUBLIC_NUMBER, EC_PUBLIC_KEY, ID_CA_DH, ID_CA_ECDH, ID_PK_DH,
    STANDARDIZED_DOMAIN_PARAMETERS,
};
use crate::tlv::{self, Tag, Tlv};

mod card;
mod reader;

pub use card::CardCa;
pub use reader::{CaStep, ChipAuthentication, authenticate, commands, session};

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
    /// Card side: the reader's command does not carry the data objects
    /// the step requires.
    #[error("{command}: not the data objects Chip Authentication requires")]
    Malformed {
        /// The command.
        command: &'static str,
    },
    /// Card side: MSE:Set AT names another protocol than the chip's
    /// ChipAuthenticationInfo, or the chip has no Chip Authentication key.
    #[error("not the chip's Chip Authentication protocol")]
    WrongProtocol,
    /// `next` called after the protocol ended or failed (card side: GENERAL
    /// AUTHENTICATE without MSE:Set AT).
    #[error("Chip Authentication is not waiting for this")]
    WrongState,
}

impl CaErrorKind {
    /// The status word a chip answers when it refuses a Chip
    /// Authentication command for this reason: `6984` for another
    /// protocol, `6985` out of order, `6A80` otherwise.
    pub fn card_status(self) -> StatusWord {
        match self {
            CaErrorKind::WrongProtocol | CaErrorKind::NoKey { .. } => {
                StatusWord::REFERENCE_DATA_NOT_USABLE
            }
            CaErrorKind::WrongState => StatusWord::CONDITIONS_NOT_SATISFIED,
            CaErrorKind::Refused { sw, .. } => sw,
            CaErrorKind::Malformed { .. } => StatusWord::WRONG_DATA,
        }
    }
}

impl From<CaErrorKind> for Error {
    fn from(kind: CaErrorKind) -> Error {
        Error::ChipAuthentication(kind)
    }
}

/// The ChipAuthenticationInfo protocol of a key agreement and cipher:
/// the DER content octets of id-CA-DH-* or id-CA-ECDH-*.
pub fn protocol_oid(agreement: KeyAgreement, cipher: KeyKind) -> Vec<u8> {
    oid::with_arc(&family(agreement), cipher.oid_arc())
}

/// id-CA-DH or id-CA-ECDH.
fn family(agreement: KeyAgreement) -> ObjectIdentifier {
    match agreement {
        KeyAgreement::Dh => ID_CA_DH,
        KeyAgreement::Ecdh => ID_CA_ECDH,
    }
}

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
fn named_curve(curve: &ObjectIdentifier) -> Option<DomainParameters> {
    let (_, id) = oid::NAMED_CURVES.iter().find(|(o, _)| o == curve)?;
    DomainParameters::from_id(*id).ok()
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
    let family = family(parameters.agreement());
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
            let cipher = bytes
                .last()
                .and_then(|arc| KeyKind::from_oid_arc(*arc))
                .ok_or(CaErrorKind::NoKey {
                    what: "a known Chip Authentication cipher",
                })?;
            (cipher, bytes)
        }
        None => (
            KeyKind::Tdes,
            oid::with_arc(&family, KeyKind::Tdes.oid_arc()),
        ),
    };
    Ok(CaPlan {
        parameters,
        chip_public_key,
        cipher,
        protocol,
        key_id,
    })
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
            plan_of(&[&std_info(&crate::oid::ID_PK_ECDH, 0, &int(&mag))]).unwrap_err(),
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
