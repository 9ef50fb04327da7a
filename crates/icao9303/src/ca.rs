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
//! keys become `KDF(x(SK.PCD * PK.PICC), 1|2)` with the send-sequence
//! counter at zero. ECDH on the standardized curves (the chip's key with
//! a named curve or BSI standardized domain parameters).
//!
//! [`plan`] reads what DG14 offers; [`authenticate`] runs it over a
//! [`Transport`] with the caller's random numbers.

use der::asn1::ObjectIdentifier;
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use crate::Error;
use crate::apdu::{CommandApdu, StatusWord};
use crate::kdf::KeyKind;
use crate::lds::dg15::{EC_PUBLIC_KEY, PublicKey, STANDARDIZED_DOMAIN_PARAMETERS};
use crate::lds::security_infos::ID_CA;
use crate::lds::{Dg14, SecurityInfo};
use crate::pace::DomainParameters;
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

/// What DG14 offers: the chip's key, its curve, the cipher and key id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaPlan {
    /// The curve of the chip's key.
    pub parameters: DomainParameters,
    /// The chip's public point (SEC1).
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

/// Reads DG14: the first ECDH ChipAuthenticationPublicKeyInfo with a
/// known curve, and the ChipAuthenticationInfo of the same key id.
pub fn plan(dg14: &Dg14<'_>) -> Result<CaPlan, Error> {
    let infos = &dg14.security_infos.infos;
    let mut found = None;
    for info in infos {
        if let SecurityInfo::ChipAuthenticationPublicKey {
            public_key, key_id, ..
        } = info
            && let PublicKey::Ec {
                named_curve: curve,
                parameters,
                point,
            } = &public_key.key
        {
            let params = if public_key.algorithm == STANDARDIZED_DOMAIN_PARAMETERS {
                Tlv::parse(parameters)
                    .ok()
                    .filter(|t| t.tag() == Tag::new(0x02))
                    .and_then(|t| match t.value() {
                        [id] => DomainParameters::from_id(*id).ok(),
                        _ => None,
                    })
            } else if public_key.algorithm == EC_PUBLIC_KEY {
                curve.as_ref().and_then(named_curve)
            } else {
                None
            };
            if let Some(p) = params {
                found = Some((p, point.to_vec(), *key_id));
                break;
            }
        }
    }
    let (parameters, chip_public_key, key_id) = found.ok_or(CaErrorKind::NoKey {
        what: "an ECDH key on a standardized curve",
    })?;
    // ChipAuthenticationInfo: id-CA-ECDH-<cipher>, same key id (or none).
    let mut protocol = None;
    for info in infos {
        if let SecurityInfo::ChipAuthentication {
            protocol: oid,
            key_id: k,
            ..
        } = info
            && (k.is_none() || key_id.is_none() || *k == key_id)
            && oid.starts_with(ID_CA)
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
        None => (
            KeyKind::Tdes,
            vec![0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, 0x01],
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
/// private key and the chip's public key.
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
    R: CryptoRng + ?Sized,
{
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
