//! PACE v2, Password Authenticated Connection Establishment (Doc 9303
//! Part 11 §4.4): both sides.
//!
//! Implemented: Generic Mapping with ECDH on the standardized curves
//! of domain parameters 8 to 18 (NIST P-192, P-224, P-256, P-384, P-521 and
//! brainpoolP192r1, P224r1, P256r1, P320r1, P384r1, P512r1) and with DH on the
//! MODP groups of RFC 5114 (parameters 0, 1, 2), with 3DES or AES secure messaging,
//! and every password (MRZ, CAN, PIN, PUK); Integrated Mapping with every
//! cipher on the same groups (curves with `p = 3 mod 4`, so not P-224,
//! whose `p = 1 mod 4` the point encoding does not cover); Chip
//! Authentication Mapping (ECDH, AES) with the chip
//! authentication data decrypted into [`CamData`] for checking against the
//! chip's static key. Integrated Mapping on P-224 and the IDs Doc 9303
//! leaves reserved (3 to 7, 19 to 31) are refused with
//! [`PaceErrorKind::Unsupported`].
//!
//! Where each step lives:
//! - this file: the protocol names ([`PaceProtocol`], [`Mapping`]), the
//!   passwords ([`PacePassword`]) and the errors;
//! - `steps.rs`: every step as a public function, so vectors can check each
//!   intermediate value ([`password_key`], [`decrypt_nonce`], [`prf`],
//!   [`public_key_data`], [`auth_token`], [`mse_set_at_data`]), the `7C`
//!   templates of GENERAL AUTHENTICATE and [`CamData`];
//! - `reader.rs`: the reader's side, [`Pace`], and [`authenticate`] which
//!   drives it over a [`crate::transport::Transport`];
//! - `card.rs`: the chip's side, [`CardPace`] (the simulator's);
//! - [`crate::agreement`]: the groups and their arithmetic
//!   ([`DomainParameters::map_generic`], [`DomainParameters::map_integrated`]),
//!   shared with Chip Authentication.
//!
//! Both sides are sans-IO state machines with one state per answer they
//! wait for (`ExpectSetAt`, `ExpectNonce`, ... each with its `on_*`
//! method): [`Pace::start`] gives MSE:Set AT, then each [`Pace::next`]
//! takes the card's answer (and the caller's random number generator) and
//! gives the next GENERAL AUTHENTICATE, until it returns the
//! [`PaceOutcome`] with the secure messaging session.
//!
//! The other side's points are checked to be on the curve and not the
//! identity (DH values: in `2..p-1` and in the subgroup of order `q`), and
//! the two ephemeral public keys must differ. Secrets (nonce, private
//! keys, `K_pi`) are zeroized on drop.

use core::fmt;

use zeroize::Zeroizing;

use crate::Error;
use crate::apdu::StatusWord;
use crate::kdf::KeyKind;
use crate::mrz::MrzKey;
use crate::oid::ID_PACE;

mod card;
mod reader;
mod steps;

pub use crate::agreement::{DhGroup, DomainParameters, KeyAgreement};
pub use card::{CardPace, CardPaceStep};
pub use reader::{Pace, PaceOutcome, PaceStep, authenticate};
pub use steps::{
    CamData, auth_token, decrypt_nonce, mse_set_at_data, password_key, prf, public_key_data,
};

/// The length of the chip's nonce `s` for Generic Mapping and Chip
/// Authentication Mapping (and Integrated Mapping with 3DES and AES-128):
/// one AES block, two 3DES blocks.
pub const NONCE_LEN: usize = 16;

/// The lengths in bytes of the nonces of Integrated Mapping with `cipher`:
/// `(s, t)`. Doc 9303 Part 11 §4.4.3.3: `t` has the key size `k` of the
/// cipher (128 bits for 3DES), and `s` the smallest multiple `l` of the
/// block size with `l >= k`: 16 and 16 for 3DES and AES-128, 32 and 24 for
/// AES-192, 32 and 32 for AES-256.
pub fn integrated_nonce_lens(cipher: KeyKind) -> (usize, usize) {
    match cipher {
        KeyKind::Tdes | KeyKind::Aes128 => (16, 16),
        KeyKind::Aes192 => (32, 24),
        KeyKind::Aes256 => (32, 32),
    }
}

/// Why PACE failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum PaceErrorKind {
    /// The OID is not a PACE protocol.
    #[error("not a PACE protocol OID")]
    UnknownProtocol,
    /// A protocol, mapping or domain parameter this implementation does not
    /// support (yet).
    #[error("unsupported PACE variant: {what}")]
    Unsupported {
        /// What is missing.
        what: &'static str,
    },
    /// The card's dynamic authentication data is not the `7C` template the
    /// step requires.
    #[error("step {step}: the card's answer is not the expected 7C template")]
    Malformed {
        /// The step, from 1 (encrypted nonce) to 4 (token).
        step: u8,
    },
    /// The encrypted nonce is not whole cipher blocks.
    #[error("the encrypted nonce is {len} bytes")]
    NonceLength {
        /// Its length.
        len: usize,
    },
    /// A point that is not an uncompressed point of the curve, or the
    /// identity.
    #[error("invalid elliptic curve point")]
    InvalidPoint,
    /// A private key outside `1..n`.
    #[error("invalid private key")]
    InvalidPrivateKey,
    /// The chip's ephemeral public key equals the reader's.
    #[error("the chip's ephemeral public key equals the reader's")]
    IdenticalKeys,
    /// The chip's authentication token is wrong (wrong password, or
    /// tampering).
    #[error("the chip's authentication token is wrong")]
    BadToken,
    /// The random number generator gave no valid private key.
    #[error("no valid private key from the random number generator")]
    Randomness,
    /// Chip Authentication Mapping: the chip's authentication data is
    /// missing, does not decrypt, or does not match its static public key.
    #[error("Chip Authentication Mapping failed")]
    ChipAuthentication,
    /// `next` called after the protocol ended or failed, or before `start`
    /// (card side: a command out of order).
    #[error("PACE is not waiting for this")]
    WrongState,
    /// Domain parameters of the other key agreement than the protocol's
    /// (DH parameters for ECDH or the reverse); card side: MSE:Set AT names
    /// another protocol, password or domain parameters than the chip's.
    #[error("PACE parameters that do not match")]
    WrongParameters,
}

impl PaceErrorKind {
    /// The status word a chip answers when it refuses a PACE command for
    /// this reason: `6300` for a wrong token, `6985` out of order, `6A80`
    /// otherwise.
    pub fn card_status(self) -> StatusWord {
        match self {
            PaceErrorKind::BadToken => StatusWord::VERIFICATION_FAILED,
            PaceErrorKind::WrongState => StatusWord::CONDITIONS_NOT_SATISFIED,
            _ => StatusWord::WRONG_DATA,
        }
    }
}

impl From<PaceErrorKind> for Error {
    fn from(kind: PaceErrorKind) -> Error {
        Error::Pace(kind)
    }
}

/// The mapping of the nonce to ephemeral domain parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Mapping {
    /// Generic Mapping (GM).
    Generic,
    /// Integrated Mapping (IM).
    Integrated,
    /// Chip Authentication Mapping (CAM).
    ChipAuthentication,
}

/// A PACE protocol: key agreement, mapping and the cipher of secure
/// messaging, as the OID `id-PACE-*` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PaceProtocol {
    /// DH or ECDH.
    pub agreement: KeyAgreement,
    /// GM, IM or CAM.
    pub mapping: Mapping,
    /// The cipher of the session (and of the nonce and the tokens).
    pub cipher: KeyKind,
}

impl PaceProtocol {
    /// The protocol of an OID given by its DER content octets (without the
    /// `06 L` header), e.g. `04 00 7F 00 07 02 02 04 02 02` for
    /// id-PACE-ECDH-GM-AES-CBC-CMAC-128.
    pub fn from_oid(oid: &[u8]) -> Result<PaceProtocol, Error> {
        let rest = oid
            .strip_prefix(ID_PACE.as_bytes())
            .ok_or(PaceErrorKind::UnknownProtocol)?;
        let (mapping, cipher) = match rest {
            [m, c] => (*m, *c),
            _ => return Err(PaceErrorKind::UnknownProtocol.into()),
        };
        let (agreement, mapping) = match mapping {
            1 => (KeyAgreement::Dh, Mapping::Generic),
            2 => (KeyAgreement::Ecdh, Mapping::Generic),
            3 => (KeyAgreement::Dh, Mapping::Integrated),
            4 => (KeyAgreement::Ecdh, Mapping::Integrated),
            6 => (KeyAgreement::Ecdh, Mapping::ChipAuthentication),
            _ => return Err(PaceErrorKind::UnknownProtocol.into()),
        };
        let cipher = KeyKind::from_oid_arc(cipher).ok_or(PaceErrorKind::UnknownProtocol)?;
        if cipher == KeyKind::Tdes && mapping == Mapping::ChipAuthentication {
            return Err(PaceErrorKind::UnknownProtocol.into());
        }
        Ok(PaceProtocol {
            agreement,
            mapping,
            cipher,
        })
    }

    /// The OID's DER content octets.
    pub fn oid(&self) -> [u8; 10] {
        let m = match (self.agreement, self.mapping) {
            (KeyAgreement::Dh, Mapping::Generic) => 1,
            (KeyAgreement::Ecdh, Mapping::Generic) => 2,
            (KeyAgreement::Dh, Mapping::Integrated) => 3,
            (KeyAgreement::Ecdh, Mapping::Integrated) => 4,
            // CAM exists for ECDH only; DH-CAM is not a protocol.
            (_, Mapping::ChipAuthentication) => 6,
        };
        let c = self.cipher.oid_arc();
        // id-PACE is 8 content octets; the two arcs follow.
        let mut out = [0u8; 10];
        for (o, b) in out.iter_mut().zip(ID_PACE.as_bytes().iter().chain(&[m, c])) {
            *o = *b;
        }
        out
    }
}

/// Which password PACE uses (the reference in MSE:Set AT, tag 83).
///
/// Exhaustive: Doc 9303 Part 11 defines these four password references only (MSE:Set AT, tag 83).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum PasswordKind {
    /// The MRZ (reference 1).
    Mrz,
    /// The card access number (reference 2).
    Can,
    /// The PIN (reference 3).
    Pin,
    /// The PUK (reference 4).
    Puk,
}

impl PasswordKind {
    /// The password reference of MSE:Set AT.
    pub fn reference(self) -> u8 {
        match self {
            PasswordKind::Mrz => 1,
            PasswordKind::Can => 2,
            PasswordKind::Pin => 3,
            PasswordKind::Puk => 4,
        }
    }
}

/// A PACE password and its key `K`: SHA-1 of the MRZ information for the
/// MRZ, the characters themselves for CAN, PIN and PUK. Zeroized on drop,
/// redacted in `Debug`.
pub struct PacePassword {
    kind: PasswordKind,
    key: Zeroizing<Vec<u8>>,
}

impl PacePassword {
    /// The MRZ password.
    pub fn mrz(key: &MrzKey) -> PacePassword {
        PacePassword {
            kind: PasswordKind::Mrz,
            key: Zeroizing::new(key.sha1().to_vec()),
        }
    }

    /// The card access number.
    pub fn can(can: &str) -> PacePassword {
        PacePassword {
            kind: PasswordKind::Can,
            key: Zeroizing::new(can.as_bytes().to_vec()),
        }
    }

    /// The PIN.
    pub fn pin(pin: &str) -> PacePassword {
        PacePassword {
            kind: PasswordKind::Pin,
            key: Zeroizing::new(pin.as_bytes().to_vec()),
        }
    }

    /// The PUK.
    pub fn puk(puk: &str) -> PacePassword {
        PacePassword {
            kind: PasswordKind::Puk,
            key: Zeroizing::new(puk.as_bytes().to_vec()),
        }
    }

    /// Which password.
    pub fn kind(&self) -> PasswordKind {
        self.kind
    }

    /// The key `K` derived from the password (input of `K_pi`).
    pub fn key(&self) -> &[u8] {
        &self.key
    }
}

impl fmt::Debug for PacePassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PacePassword")
            .field("kind", &self.kind)
            .field("key", &"<redacted>")
            .finish()
    }
}
