//! PACE v2, Password Authenticated Connection Establishment (Doc 9303
//! Part 11 §4.4), on the reader's side.
//!
//! Implemented so far: Generic Mapping with ECDH on the standardized curves
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
//! The protocol is a sans-IO state machine: [`Pace::start`] gives MSE:Set
//! AT, then each [`Pace::next`] takes the card's answer (and the caller's
//! random number generator) and gives the next GENERAL AUTHENTICATE, until
//! it returns the [`PaceOutcome`] with the secure messaging session. The
//! steps and their values are also public functions, so each intermediate
//! value can be checked ([`password_key`], [`decrypt_nonce`],
//! [`DomainParameters::map_generic`], [`public_key_data`], [`auth_token`]).
//! [`authenticate`] drives it over a [`Transport`].
//!
//! Points are SEC1 uncompressed encodings (`04 || x || y`), DH values
//! big-endian octet strings as long as `p`; the other side's points are
//! checked to be on the curve and not the identity (DH values: in `2..p-1`
//! and in the subgroup of order `q`), and the two ephemeral public keys
//! must differ. Secrets (nonce, private keys, `K_pi`)
//! are zeroized on drop.

use core::fmt;

use elliptic_curve::hazmat::FieldArithmetic;
use elliptic_curve::sec1::{FromSec1Point, ModulusSize, ToSec1Point};
use elliptic_curve::{
    AffinePoint, CurveArithmetic, CurveGroup, FieldBytes, FieldBytesSize, Group, PrimeField,
    ProjectivePoint,
};
use primeorder::PrimeCurveParams;
use rand_core::TryCryptoRng;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::Error;
use crate::apdu::{CLA_CHAINING, CommandApdu, ResponseApdu, StatusWord};
use crate::kdf::{self, KeyKind};
use crate::mrz::MrzKey;
use crate::sm::{self, CardSm, SecureMessaging, SessionKeys};
use crate::tlv::{self, Tag, Tlv};
use crate::transport::{self, Transport};

mod dh;

/// `id-PACE` (0.4.0.127.0.7.2.2.4), the DER content octets.
pub const ID_PACE: [u8; 8] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04];

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

/// How many draws of the random number generator a private key may take.
const MAX_DRAWS: usize = 64;

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
pub enum Mapping {
    /// Generic Mapping (GM).
    Generic,
    /// Integrated Mapping (IM).
    Integrated,
    /// Chip Authentication Mapping (CAM).
    ChipAuthentication,
}

/// The key agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum KeyAgreement {
    /// Diffie-Hellman over a prime field.
    Dh,
    /// Elliptic curve Diffie-Hellman.
    Ecdh,
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
        let (prefix, rest) = oid
            .split_first_chunk::<8>()
            .ok_or(PaceErrorKind::UnknownProtocol)?;
        if *prefix != ID_PACE {
            return Err(PaceErrorKind::UnknownProtocol.into());
        }
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
        let cipher = match cipher {
            1 => KeyKind::Tdes,
            2 => KeyKind::Aes128,
            3 => KeyKind::Aes192,
            4 => KeyKind::Aes256,
            _ => return Err(PaceErrorKind::UnknownProtocol.into()),
        };
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
        let c = match self.cipher {
            KeyKind::Tdes => 1,
            KeyKind::Aes128 => 2,
            KeyKind::Aes192 => 3,
            KeyKind::Aes256 => 4,
        };
        let [a, b, c0, d, e, f, g, h] = ID_PACE;
        [a, b, c0, d, e, f, g, h, m, c]
    }
}

/// The standardized domain parameters of Doc 9303 Part 11 §9.5.1 that are
/// implemented: the elliptic curves with a RustCrypto implementation and
/// the MODP groups of RFC 5114.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum DomainParameters {
    /// The 1024-bit MODP group with 160-bit prime-order subgroup of RFC 5114
    /// §2.1 (DH), parameter ID 0.
    Modp1024,
    /// The 2048-bit MODP group with 224-bit prime-order subgroup of RFC 5114
    /// §2.2 (DH), parameter ID 1.
    Modp2048q224,
    /// The 2048-bit MODP group with 256-bit prime-order subgroup of RFC 5114
    /// §2.3 (DH), parameter ID 2.
    Modp2048q256,
    /// NIST P-192 (secp192r1), parameter ID 8.
    Secp192r1,
    /// brainpoolP192r1 (RFC 5639), parameter ID 9.
    BrainpoolP192r1,
    /// NIST P-224 (secp224r1), parameter ID 10.
    Secp224r1,
    /// brainpoolP224r1 (RFC 5639), parameter ID 11.
    BrainpoolP224r1,
    /// NIST P-256 (secp256r1), parameter ID 12.
    Secp256r1,
    /// brainpoolP256r1 (RFC 5639), parameter ID 13.
    BrainpoolP256r1,
    /// brainpoolP320r1 (RFC 5639), parameter ID 14.
    BrainpoolP320r1,
    /// NIST P-384 (secp384r1), parameter ID 15.
    Secp384r1,
    /// brainpoolP384r1 (RFC 5639), parameter ID 16.
    BrainpoolP384r1,
    /// brainpoolP512r1 (RFC 5639), parameter ID 17.
    BrainpoolP512r1,
    /// NIST P-521 (secp521r1), parameter ID 18.
    Secp521r1,
}

/// A MODP group of PACE DH: modulus, generator and subgroup order,
/// big-endian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DhGroup {
    /// The prime modulus `p`.
    pub p: Vec<u8>,
    /// The generator `g`.
    pub g: Vec<u8>,
    /// The prime order `q` of the subgroup `g` generates.
    pub q: Vec<u8>,
}

/// Calls a generic curve function with the curve type of `$params`.
macro_rules! on_curve {
    ($params:expr, $f:ident ( $($arg:expr),* ), dh => $dh:expr) => {
        match $params {
            DomainParameters::Modp1024
            | DomainParameters::Modp2048q224
            | DomainParameters::Modp2048q256 => $dh,
            DomainParameters::Secp192r1 => $f::<p192::NistP192>($($arg),*),
            DomainParameters::BrainpoolP192r1 => $f::<brainpool_ext::BrainpoolP192r1>($($arg),*),
            DomainParameters::Secp224r1 => $f::<p224::NistP224>($($arg),*),
            DomainParameters::BrainpoolP224r1 => $f::<brainpool_ext::BrainpoolP224r1>($($arg),*),
            DomainParameters::Secp256r1 => $f::<p256::NistP256>($($arg),*),
            DomainParameters::BrainpoolP256r1 => $f::<bp256::BrainpoolP256r1>($($arg),*),
            DomainParameters::BrainpoolP320r1 => $f::<brainpool_ext::BrainpoolP320r1>($($arg),*),
            DomainParameters::Secp384r1 => $f::<p384::NistP384>($($arg),*),
            DomainParameters::BrainpoolP384r1 => $f::<bp384::BrainpoolP384r1>($($arg),*),
            DomainParameters::BrainpoolP512r1 => $f::<brainpool_ext::BrainpoolP512r1>($($arg),*),
            DomainParameters::Secp521r1 => $f::<p521::NistP521>($($arg),*),
        }
    };
}

impl DomainParameters {
    /// Every implemented parameter set.
    pub const ALL: [DomainParameters; 14] = [
        DomainParameters::Modp1024,
        DomainParameters::Modp2048q224,
        DomainParameters::Modp2048q256,
        DomainParameters::Secp192r1,
        DomainParameters::BrainpoolP192r1,
        DomainParameters::Secp224r1,
        DomainParameters::BrainpoolP224r1,
        DomainParameters::Secp256r1,
        DomainParameters::BrainpoolP256r1,
        DomainParameters::BrainpoolP320r1,
        DomainParameters::Secp384r1,
        DomainParameters::BrainpoolP384r1,
        DomainParameters::BrainpoolP512r1,
        DomainParameters::Secp521r1,
    ];

    /// The parameters of a standardized domain parameter ID.
    pub fn from_id(id: u8) -> Result<DomainParameters, Error> {
        match id {
            0 => Ok(DomainParameters::Modp1024),
            1 => Ok(DomainParameters::Modp2048q224),
            2 => Ok(DomainParameters::Modp2048q256),
            8 => Ok(DomainParameters::Secp192r1),
            9 => Ok(DomainParameters::BrainpoolP192r1),
            10 => Ok(DomainParameters::Secp224r1),
            11 => Ok(DomainParameters::BrainpoolP224r1),
            12 => Ok(DomainParameters::Secp256r1),
            13 => Ok(DomainParameters::BrainpoolP256r1),
            14 => Ok(DomainParameters::BrainpoolP320r1),
            15 => Ok(DomainParameters::Secp384r1),
            16 => Ok(DomainParameters::BrainpoolP384r1),
            17 => Ok(DomainParameters::BrainpoolP512r1),
            18 => Ok(DomainParameters::Secp521r1),
            _ => Err(PaceErrorKind::Unsupported {
                what: "an unknown domain parameter ID",
            }
            .into()),
        }
    }

    /// The standardized domain parameter ID.
    pub fn id(self) -> u8 {
        match self {
            DomainParameters::Modp1024 => 0,
            DomainParameters::Modp2048q224 => 1,
            DomainParameters::Modp2048q256 => 2,
            DomainParameters::Secp192r1 => 8,
            DomainParameters::BrainpoolP192r1 => 9,
            DomainParameters::Secp224r1 => 10,
            DomainParameters::BrainpoolP224r1 => 11,
            DomainParameters::Secp256r1 => 12,
            DomainParameters::BrainpoolP256r1 => 13,
            DomainParameters::BrainpoolP320r1 => 14,
            DomainParameters::Secp384r1 => 15,
            DomainParameters::BrainpoolP384r1 => 16,
            DomainParameters::BrainpoolP512r1 => 17,
            DomainParameters::Secp521r1 => 18,
        }
    }

    /// The key agreement these parameters serve.
    pub fn agreement(self) -> KeyAgreement {
        match self {
            DomainParameters::Modp1024
            | DomainParameters::Modp2048q224
            | DomainParameters::Modp2048q256 => KeyAgreement::Dh,
            _ => KeyAgreement::Ecdh,
        }
    }

    fn modp(self) -> Result<dh::Modp, Error> {
        match self {
            DomainParameters::Modp1024 => dh::Modp::new(&dh::RFC5114_1024_160),
            DomainParameters::Modp2048q224 => dh::Modp::new(&dh::RFC5114_2048_224),
            DomainParameters::Modp2048q256 => dh::Modp::new(&dh::RFC5114_2048_256),
            _ => Err(PaceErrorKind::Unsupported {
                what: "DH on an elliptic curve",
            }
            .into()),
        }
    }

    /// The length of a field element in bytes (for DH, of `p`: the length
    /// of every public value).
    pub fn field_len(self) -> usize {
        match self {
            DomainParameters::Modp1024 => 128,
            DomainParameters::Modp2048q224 | DomainParameters::Modp2048q256 => 256,
            DomainParameters::Secp192r1 | DomainParameters::BrainpoolP192r1 => 24,
            DomainParameters::Secp224r1 | DomainParameters::BrainpoolP224r1 => 28,
            DomainParameters::Secp256r1 | DomainParameters::BrainpoolP256r1 => 32,
            DomainParameters::BrainpoolP320r1 => 40,
            DomainParameters::Secp384r1 | DomainParameters::BrainpoolP384r1 => 48,
            DomainParameters::BrainpoolP512r1 => 64,
            DomainParameters::Secp521r1 => 66,
        }
    }

    /// The public key of `sk` over `base` (the group's generator when `base`
    /// is `None`): `sk * base` as an uncompressed point, or `base^sk mod p`
    /// for DH. Also the shared secret's carrier: [`Self::x_coordinate`] of
    /// `public_key(sk, Some(peer))`.
    pub fn public_key(self, sk: &[u8], base: Option<&[u8]>) -> Result<Vec<u8>, Error> {
        on_curve!(self, ec_mul(sk, base), dh => self.modp()?.pow(base, sk))
    }

    /// Generic Mapping from our private mapping key and the peer's public
    /// one: `H = sk * peer` (DH: `peer^sk`) and the mapped generator
    /// `G~ = s * G + H` (DH: `g^s * H`); returns `(H, G~)`.
    pub fn map_generic(
        self,
        nonce: &[u8],
        sk: &[u8],
        peer: &[u8],
    ) -> Result<(Vec<u8>, Vec<u8>), Error> {
        self.check_point(peer)?;
        let h = self.public_key(sk, Some(peer))?;
        let g = self.generic_mapping(nonce, &h)?;
        Ok((h, g))
    }

    /// The mapped generator from the nonce and `H`: `s * G + H`, or
    /// `g^s * H mod p` for DH.
    pub fn generic_mapping(self, nonce: &[u8], h: &[u8]) -> Result<Vec<u8>, Error> {
        on_curve!(self, ec_map_h(nonce, h), dh => self.modp()?.map(nonce, h))
    }

    /// Checks a public key from the other side: an uncompressed point of
    /// the curve, not the identity; for DH a value in `2..p-1` of the
    /// subgroup of order `q`.
    pub fn check_point(self, point: &[u8]) -> Result<(), Error> {
        on_curve!(self, ec_check_point(point), dh => self.modp()?.check(point))
    }

    /// The shared secret carried by a key agreement result: the x
    /// coordinate of an uncompressed point, or the DH value itself.
    pub fn x_coordinate(self, point: &[u8]) -> Result<Vec<u8>, Error> {
        let n = self.field_len();
        if self.agreement() == KeyAgreement::Dh {
            return if point.len() == n {
                Ok(point.to_vec())
            } else {
                Err(PaceErrorKind::InvalidPoint.into())
            };
        }
        match point.split_first() {
            Some((0x04, xy)) if xy.len() == 2 * n => Ok(xy.get(..n).unwrap_or_default().to_vec()),
            _ => Err(PaceErrorKind::InvalidPoint.into()),
        }
    }

    /// The group of DH parameters: modulus `p`, generator `g` and the order
    /// `q` of the subgroup it generates (big-endian); `None` for a curve.
    pub fn dh_group(self) -> Option<DhGroup> {
        self.modp().ok().map(|m| m.group())
    }

    /// The bit length of the prime `p` of the field (of the group for DH).
    pub fn prime_bits(self) -> usize {
        match self {
            DomainParameters::Modp1024 => 1024,
            DomainParameters::Modp2048q224 | DomainParameters::Modp2048q256 => 2048,
            _ => on_curve!(self, ec_prime_bits(), dh => 0),
        }
    }

    /// Integrated Mapping: the generator mapped from the pseudo-random
    /// function's output `R` ([`prf`]): `R_p = R mod p`, then the point
    /// encoding of Doc 9303 Part 11 §4.4.3.3.2 (`p = 3 mod 4`), or
    /// `R_p^((p-1)/q) mod p` for DH.
    pub fn map_integrated(self, r: &[u8]) -> Result<Vec<u8>, Error> {
        on_curve!(self, ec_map_integrated(r), dh => self.modp()?.map_integrated(r))
    }

    /// A private key drawn from `rng`: a value in `1..n` (DH: `1..q`), by
    /// rejection (bits above the order's length are cleared first).
    pub fn random_private_key<R: TryCryptoRng + ?Sized>(
        self,
        rng: &mut R,
    ) -> Result<Zeroizing<Vec<u8>>, Error> {
        let modp = if self.agreement() == KeyAgreement::Dh {
            Some(self.modp()?)
        } else {
            None
        };
        let len = modp.as_ref().map_or(self.field_len(), dh::Modp::q_len);
        let mut sk = Zeroizing::new(vec![0u8; len]);
        for _ in 0..MAX_DRAWS {
            crate::fill_random(rng, &mut sk)?;
            let ok = match &modp {
                Some(m) => m.valid_private_key(&sk),
                None => on_curve!(self, ec_clamp_and_check(&mut sk), dh => false),
            };
            if ok {
                return Ok(sk);
            }
        }
        Err(PaceErrorKind::Randomness.into())
    }
}

// ---- generic elliptic curve helpers ---------------------------------------

fn ec_scalar<C>(bytes: &[u8], allow_zero: bool) -> Result<C::Scalar, Error>
where
    C: CurveArithmetic,
{
    let repr = FieldBytes::<C>::try_from(bytes).map_err(|_| PaceErrorKind::InvalidPrivateKey)?;
    let k: Option<C::Scalar> = C::Scalar::from_repr(repr).into();
    let k = k.ok_or(PaceErrorKind::InvalidPrivateKey)?;
    if !allow_zero && bool::from(elliptic_curve::Field::is_zero(&k)) {
        return Err(PaceErrorKind::InvalidPrivateKey.into());
    }
    Ok(k)
}

/// Clears the bits of `sk` above the order's length; whether it is then a
/// valid private key.
fn ec_clamp_and_check<C: CurveArithmetic>(sk: &mut [u8]) -> bool {
    let bits = usize::try_from(<C::Scalar as PrimeField>::NUM_BITS).unwrap_or(usize::MAX);
    let excess = sk.len().saturating_mul(8).saturating_sub(bits);
    if let Some(first) = sk.first_mut()
        && excess > 0
        && excess < 8
    {
        *first &= 0xFF >> excess;
    }
    ec_scalar::<C>(sk, false).is_ok()
}

fn ec_check_point<C>(bytes: &[u8]) -> Result<(), Error>
where
    C: CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    ec_point::<C>(bytes).map(|_| ())
}

fn ec_point<C>(bytes: &[u8]) -> Result<AffinePoint<C>, Error>
where
    C: CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    let n = FieldBytes::<C>::default().len();
    if bytes.first() != Some(&0x04) || bytes.len() != 1 + 2 * n {
        return Err(PaceErrorKind::InvalidPoint.into());
    }
    let p = AffinePoint::<C>::from_sec1_bytes(bytes).map_err(|_| PaceErrorKind::InvalidPoint)?;
    if bool::from(elliptic_curve::CurveAffine::is_identity(&p)) {
        return Err(PaceErrorKind::InvalidPoint.into());
    }
    Ok(p)
}

fn ec_encode<C>(p: &ProjectivePoint<C>) -> Result<Vec<u8>, Error>
where
    C: CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    if bool::from(p.is_identity()) {
        return Err(PaceErrorKind::InvalidPoint.into());
    }
    Ok(p.to_affine().to_sec1_point(false).as_bytes().to_vec())
}

fn ec_mul<C>(sk: &[u8], base: Option<&[u8]>) -> Result<Vec<u8>, Error>
where
    C: CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    let k = ec_scalar::<C>(sk, false)?;
    let product = match base {
        Some(b) => ProjectivePoint::<C>::from(ec_point::<C>(b)?) * k,
        // The curve crate's fixed-base path (a precomputed table for
        // P-256), constant time like the variable-base one.
        None => ProjectivePoint::<C>::mul_by_generator(&k),
    };
    ec_encode::<C>(&product)
}

fn ec_map_h<C>(nonce: &[u8], h: &[u8]) -> Result<Vec<u8>, Error>
where
    C: CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    let h = ProjectivePoint::<C>::from(ec_point::<C>(h)?);
    // The nonce as an integer, left-padded to the field length.
    let n = FieldBytes::<C>::default().len();
    let pad = n
        .checked_sub(nonce.len())
        .ok_or(PaceErrorKind::NonceLength { len: nonce.len() })?;
    let mut s_bytes = Zeroizing::new(vec![0u8; pad]);
    s_bytes.extend_from_slice(nonce);
    let s = ec_scalar::<C>(&s_bytes, true)?;
    ec_encode::<C>(&(ProjectivePoint::<C>::mul_by_generator(&s) + h))
}

/// `SK_IC^-1 * SK_Map mod n`, the chip authentication data of CAM.
fn ec_cam_data<C: CurveArithmetic>(sk_ic: &[u8], sk_map: &[u8]) -> Result<Vec<u8>, Error> {
    let k = ec_scalar::<C>(sk_ic, false)?;
    let inv: Option<C::Scalar> = elliptic_curve::Field::invert(&k).into();
    let inv = inv.ok_or(PaceErrorKind::InvalidPrivateKey)?;
    let ca = inv * ec_scalar::<C>(sk_map, false)?;
    Ok(ca.to_repr().to_vec())
}

fn ec_prime_bits<C: FieldArithmetic>() -> usize {
    usize::try_from(<C::FieldElement as PrimeField>::NUM_BITS).unwrap_or(0)
}

/// The field's prime `p`, big-endian: `(-1) + 1`.
fn ec_field_modulus<C: FieldArithmetic>() -> Vec<u8> {
    let minus_one = -<C::FieldElement as elliptic_curve::Field>::ONE;
    let mut p = minus_one.to_repr().to_vec();
    for b in p.iter_mut().rev() {
        let (v, carry) = b.overflowing_add(1);
        *b = v;
        if !carry {
            break;
        }
    }
    p
}

fn ec_map_integrated<C>(r: &[u8]) -> Result<Vec<u8>, Error>
where
    C: PrimeCurveParams,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    use elliptic_curve::Field;
    let p = ec_field_modulus::<C>();
    // The encoding below takes square roots as h^((p+1)/4): p = 3 mod 4.
    if p.last().is_none_or(|b| b & 3 != 3) {
        return Err(PaceErrorKind::Unsupported {
            what: "Integrated Mapping on a curve with p = 1 mod 4",
        }
        .into());
    }
    let rp = Zeroizing::new(dh::reduce(r, &p)?);
    let repr = FieldBytes::<C>::try_from(rp.as_slice()).map_err(|_| PaceErrorKind::InvalidPoint)?;
    let t: Option<C::FieldElement> = C::FieldElement::from_repr(repr).into();
    let t = t.ok_or(PaceErrorKind::InvalidPoint)?;
    let (a, b) = (C::EQUATION_A, C::EQUATION_B);
    // 1. alpha = -t^2
    let alpha = -t.square();
    // 2. X2 = -b (1 + alpha + alpha^2) / (a (alpha + alpha^2))
    let alpha_sum = alpha + alpha.square();
    let inv: Option<C::FieldElement> = Field::invert(&(a * alpha_sum)).into();
    let inv = inv.ok_or(PaceErrorKind::InvalidPoint)?;
    let x2 = -b * (C::FieldElement::ONE + alpha_sum) * inv;
    // 3. X3 = alpha X2
    let x3 = alpha * x2;
    // 4. h2 = X2^3 + a X2 + b
    let h2 = x2.square() * x2 + a * x2 + b;
    // 6. U = t^3 h2
    let u = t.square() * t * h2;
    // 7. A = h2^(p - 1 - (p + 1) / 4)
    let big_a = h2.pow(dh::swu_exponent(&p)?);
    // 8./9. (X2, A h2) when A^2 h2 = 1, else (X3, A U); the cofactor is 1.
    let (x, y) = if bool::from((big_a.square() * h2).ct_eq(&C::FieldElement::ONE)) {
        (x2, big_a * h2)
    } else {
        (x3, big_a * u)
    };
    let mut point = vec![0x04];
    point.extend_from_slice(&x.to_repr());
    point.extend_from_slice(&y.to_repr());
    ec_check_point::<C>(&point)?;
    Ok(point)
}

// ---- passwords and the steps as functions ---------------------------------

/// Which password PACE uses (the reference in MSE:Set AT, tag 83).
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

/// `K_pi = KDF(K, 3)` for the cipher.
pub fn password_key(password: &PacePassword, cipher: KeyKind) -> Zeroizing<Vec<u8>> {
    kdf::derive(password.key(), kdf::PACE, cipher)
}

/// The nonce `s = D(K_pi, z)`: CBC decryption with a zero IV.
pub fn decrypt_nonce(
    cipher: KeyKind,
    k_pi: &[u8],
    encrypted: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let block = sm::block_len(cipher);
    if encrypted.is_empty() || !encrypted.len().is_multiple_of(block) {
        return Err(PaceErrorKind::NonceLength {
            len: encrypted.len(),
        }
        .into());
    }
    let mut s = Zeroizing::new(encrypted.to_vec());
    let iv = vec![0u8; block];
    sm::decrypt_cbc(cipher, k_pi, &iv, &mut s)?;
    Ok(s)
}

// The constants of the Integrated Mapping's pseudo-random function, from
// Doc 9303 Part 11 (8th ed., 2021) §4.4.3.3.2 "Pseudo-random Number
// Mapping" (below its Figure 2): for 3DES and AES-128 (l = 128) and for
// AES-192 and AES-256 (l = 256). JMRTD's PACEProtocol (C0_LENGTH_256,
// C1_LENGTH_256) carries the same values.

/// `c0` of the Integrated Mapping's pseudo-random function for 128-bit keys.
const PRF_C0_128: [u8; 16] = [
    0xA6, 0x68, 0x89, 0x2A, 0x7C, 0x41, 0xE3, 0xCA, 0x73, 0x9F, 0x40, 0xB0, 0x57, 0xD8, 0x59, 0x04,
];
/// `c1` of the Integrated Mapping's pseudo-random function for 128-bit keys.
const PRF_C1_128: [u8; 16] = [
    0xA4, 0xE1, 0x36, 0xAC, 0x72, 0x5F, 0x73, 0x8B, 0x01, 0xC1, 0xF6, 0x02, 0x17, 0xC1, 0x88, 0xAD,
];

/// `c0` of the Integrated Mapping's pseudo-random function for AES-192
/// and AES-256.
const PRF_C0_256: [u8; 32] = [
    0xD4, 0x63, 0xD6, 0x52, 0x34, 0x12, 0x4E, 0xF7, 0x89, 0x70, 0x54, 0x98, 0x6D, 0xCA, 0x0A, 0x17,
    0x4E, 0x28, 0xDF, 0x75, 0x8C, 0xBA, 0xA0, 0x3F, 0x24, 0x06, 0x16, 0x41, 0x4D, 0x5A, 0x16, 0x76,
];
/// `c1` of the Integrated Mapping's pseudo-random function for AES-192
/// and AES-256.
const PRF_C1_256: [u8; 32] = [
    0x54, 0xBD, 0x72, 0x55, 0xF0, 0xAA, 0xF8, 0x31, 0xBE, 0xC3, 0x42, 0x3F, 0xCF, 0x39, 0xD6, 0x9B,
    0x6C, 0xBF, 0x06, 0x66, 0x77, 0xD0, 0xFA, 0xAE, 0x5A, 0xAD, 0xD9, 0x9D, 0xF8, 0xE5, 0x35, 0x17,
];

/// The pseudo-random function `R(s, t)` of the Integrated Mapping (Doc 9303
/// Part 11 §4.4.3.3.2), with the cipher `E` in CBC mode and a zero IV:
/// `k_0 = E(t, s)`, then `x_i = E(k_i, c1)`, `k_(i+1) = E(k_i, c0)` for
/// `i` from 0 until the output `x_0 || x_1 || ...` has at least
/// `prime_bits + 64` bits. Each `k_i` is cut to the key size (only AES-192
/// needs it: octets 1 to 24). `s` and `t` have the lengths of
/// [`integrated_nonce_lens`]; `c0`, `c1` are 128 bits for 3DES and AES-128
/// and 256 bits for AES-192 and AES-256.
pub fn prf(
    cipher: KeyKind,
    s: &[u8],
    t: &[u8],
    prime_bits: usize,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let (s_len, t_len) = integrated_nonce_lens(cipher);
    if s.len() != s_len {
        return Err(PaceErrorKind::NonceLength { len: s.len() }.into());
    }
    if t.len() != t_len {
        return Err(PaceErrorKind::NonceLength { len: t.len() }.into());
    }
    let (c0, c1): (&[u8], &[u8]) = match cipher {
        KeyKind::Tdes | KeyKind::Aes128 => (&PRF_C0_128, &PRF_C1_128),
        KeyKind::Aes192 | KeyKind::Aes256 => (&PRF_C0_256, &PRF_C1_256),
    };
    let key_len = cipher.key_len();
    let iv = vec![0u8; sm::block_len(cipher)];
    let mut key = Zeroizing::new(s.to_vec());
    sm::encrypt_cbc(cipher, t, &iv, &mut key)?;
    key.truncate(key_len);
    let mut out = Zeroizing::new(Vec::new());
    let target = prime_bits.saturating_add(64);
    while out.len().saturating_mul(8) < target {
        let mut x = c1.to_vec();
        sm::encrypt_cbc(cipher, &key, &iv, &mut x)?;
        out.extend_from_slice(&x);
        let mut next = Zeroizing::new(c0.to_vec());
        sm::encrypt_cbc(cipher, &key, &iv, &mut next)?;
        next.truncate(key_len);
        key = next;
    }
    Ok(out)
}

/// The public key data object `7F49` over which the authentication tokens
/// are computed: the protocol OID (tag 06) and the ephemeral public key
/// (tag 86 for ECDH, 84 for DH).
pub fn public_key_data(protocol: &PaceProtocol, public_key: &[u8]) -> Vec<u8> {
    let mut inner = Vec::with_capacity(public_key.len().saturating_add(16));
    tlv::write(&mut inner, Tag::new(0x06), &protocol.oid());
    let tag = match protocol.agreement {
        KeyAgreement::Ecdh => 0x86,
        KeyAgreement::Dh => 0x84,
    };
    tlv::write(&mut inner, Tag::new(tag), public_key);
    tlv::encode(Tag::new(0x7F49), &inner)
}

/// An authentication token: the 8-byte MAC of the public key data object
/// (AES-CMAC; for 3DES the retail MAC over the padded object).
pub fn auth_token(cipher: KeyKind, ks_mac: &[u8], data: &[u8]) -> Result<[u8; sm::MAC_LEN], Error> {
    if cipher == KeyKind::Tdes {
        sm::mac(cipher, ks_mac, &sm::pad(data, 8))
    } else {
        sm::mac(cipher, ks_mac, data)
    }
}

/// The data of MSE:Set AT for PACE: the protocol OID (tag 80), the password
/// reference (83) and the domain parameter ID (84).
pub fn mse_set_at_data(
    protocol: &PaceProtocol,
    password: PasswordKind,
    parameters: DomainParameters,
) -> Vec<u8> {
    let mut data = Vec::with_capacity(20);
    tlv::write(&mut data, Tag::new(0x80), &protocol.oid());
    tlv::write(&mut data, Tag::new(0x83), &[password.reference()]);
    tlv::write(&mut data, Tag::new(0x84), &[parameters.id()]);
    data
}

/// A GENERAL AUTHENTICATE command carrying `7C { tag value }` (or `7C 00`
/// without a value).
fn general_authenticate(item: Option<(u32, &[u8])>, last: bool) -> CommandApdu {
    let mut inner = Vec::new();
    if let Some((tag, value)) = item {
        tlv::write(&mut inner, Tag::new(tag), value);
    }
    CommandApdu::general_authenticate(tlv::encode(Tag::new(0x7C), &inner), last)
}

/// Refuses the mappings and ciphers not implemented: Chip Authentication
/// Mapping with DH (and with 3DES, which does not exist).
fn check_mapping(protocol: &PaceProtocol) -> Result<(), Error> {
    match protocol.mapping {
        Mapping::Generic | Mapping::Integrated => Ok(()),
        Mapping::ChipAuthentication if protocol.agreement == KeyAgreement::Dh => {
            Err(PaceErrorKind::Unsupported {
                what: "Chip Authentication Mapping with DH",
            }
            .into())
        }
        Mapping::ChipAuthentication if protocol.cipher != KeyKind::Tdes => Ok(()),
        Mapping::ChipAuthentication => Err(PaceErrorKind::Unsupported {
            what: "Chip Authentication Mapping with 3DES",
        }
        .into()),
    }
}

/// A `7C { tag value }` answer with status 9000.
fn dynamic_answer(tag: u32, value: &[u8]) -> ResponseApdu {
    let mut inner = Vec::new();
    tlv::write(&mut inner, Tag::new(tag), value);
    ResponseApdu::new(tlv::encode(Tag::new(0x7C), &inner), StatusWord::SUCCESS)
}

/// The value of the single object `tag` in the `7C` template of a GENERAL
/// AUTHENTICATE command (card side), which must be chained unless `last`.
fn command_item(command: &CommandApdu, tag: u32, last: bool) -> Result<Vec<u8>, Error> {
    let malformed = || Error::Pace(PaceErrorKind::Malformed { step: 0 });
    if command.ins != 0x86 || command.p1 != 0 || command.p2 != 0 {
        return Err(PaceErrorKind::WrongState.into());
    }
    if command.is_chained() == last {
        return Err(malformed());
    }
    let outer = Tlv::parse(&command.data).map_err(|_| malformed())?;
    if outer.tag() != Tag::new(0x7C) {
        return Err(malformed());
    }
    let items = outer.children_vec().map_err(|_| malformed())?;
    match items.as_slice() {
        [] if tag == 0 => Ok(Vec::new()),
        [item] if item.tag() == Tag::new(tag) => Ok(item.value().to_vec()),
        _ => Err(malformed()),
    }
}

/// The objects inside the `7C` template of a GENERAL AUTHENTICATE answer.
fn dynamic_data(
    response: &ResponseApdu,
    step: u8,
    command: &'static str,
) -> Result<Vec<(Tag, Vec<u8>)>, Error> {
    if !response.sw.is_success() {
        return Err(Error::StatusWord {
            command,
            sw: response.sw,
        });
    }
    let malformed = || Error::Pace(PaceErrorKind::Malformed { step });
    let outer = Tlv::parse(&response.data).map_err(|_| malformed())?;
    if outer.tag() != Tag::new(0x7C) {
        return Err(malformed());
    }
    outer
        .children()
        .map(|c| {
            c.map(|c| (c.tag(), c.value().to_vec()))
                .map_err(|_| malformed())
        })
        .collect()
}

/// The value of the single object `tag` in the answer of `step`.
fn single(response: &ResponseApdu, step: u8, tag: u32) -> Result<Vec<u8>, Error> {
    let mut items = dynamic_data(response, step, "GENERAL AUTHENTICATE")?;
    match items.as_mut_slice() {
        [(t, v)] if *t == Tag::new(tag) => Ok(core::mem::take(v)),
        _ => Err(PaceErrorKind::Malformed { step }.into()),
    }
}

// ---- the state machine ------------------------------------------------------

enum State {
    Start,
    AwaitSetAt,
    AwaitNonce,
    AwaitMapping {
        nonce: Zeroizing<Vec<u8>>,
        sk: Zeroizing<Vec<u8>>,
    },
    AwaitIntegrated {
        generator: Vec<u8>,
    },
    AwaitKey {
        sk: Zeroizing<Vec<u8>>,
        pk: Vec<u8>,
        /// CAM: the chip's mapping public key.
        cam: Option<Vec<u8>>,
    },
    AwaitToken {
        keys: SessionKeys,
        pk_pcd: Vec<u8>,
        pk_picc: Vec<u8>,
        cam: Option<Vec<u8>>,
    },
    Over,
}

/// What to do next.
#[derive(Debug)]
pub enum PaceStep {
    /// Send this command and pass the answer to [`Pace::next`].
    Send(CommandApdu),
    /// PACE succeeded.
    Done(Box<PaceOutcome>),
}

/// The result of PACE.
#[derive(Debug)]
pub struct PaceOutcome {
    /// The secure messaging session (send-sequence counter zero).
    pub sm: SecureMessaging,
    /// The chip's ephemeral public key (its compressed form is `ID_PICC`
    /// for Terminal Authentication).
    pub chip_ephemeral_public_key: Vec<u8>,
    /// The certification authority reference the chip named (tag 87), if any.
    pub car: Option<Vec<u8>>,
    /// The previous certification authority reference (tag 88), if any.
    pub car_previous: Option<Vec<u8>>,
    /// With Chip Authentication Mapping: what proves the chip genuine once
    /// its static public key is known (EF.CardSecurity).
    pub chip_authentication: Option<CamData>,
}

/// The result of Chip Authentication Mapping, to be checked against the
/// chip's static public key from EF.CardSecurity (itself checked by
/// passive authentication).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CamData {
    /// The decrypted chip authentication data `CA_IC`.
    pub ca_ic: Vec<u8>,
    /// The chip's mapping public key `PK_Map,IC` of the Generic Mapping.
    pub mapping_public_key: Vec<u8>,
}

impl CamData {
    /// Checks `PK_Map,IC = CA_IC * PK_IC` with the chip's static public key
    /// `PK_IC` (an uncompressed point of the same curve).
    pub fn verify(
        &self,
        parameters: DomainParameters,
        chip_public_key: &[u8],
    ) -> Result<(), Error> {
        parameters.check_point(chip_public_key)?;
        let expected = parameters
            .public_key(&self.ca_ic, Some(chip_public_key))
            .map_err(|_| PaceErrorKind::ChipAuthentication)?;
        if expected == self.mapping_public_key {
            Ok(())
        } else {
            Err(PaceErrorKind::ChipAuthentication.into())
        }
    }
}

/// The IV of the chip authentication data: `E(KSenc, -1)`, the encryption
/// of the all-ones block.
fn cam_iv(cipher: KeyKind, ks_enc: &[u8]) -> Result<Vec<u8>, Error> {
    let block = sm::block_len(cipher);
    let mut iv = vec![0xFF; block];
    sm::encrypt_cbc(cipher, ks_enc, &vec![0; block], &mut iv)?;
    Ok(iv)
}

/// PACE on the reader's side, as a sans-IO state machine.
pub struct Pace {
    protocol: PaceProtocol,
    parameters: DomainParameters,
    password: PasswordKind,
    k_pi: Zeroizing<Vec<u8>>,
    state: State,
}

impl fmt::Debug for Pace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pace")
            .field("protocol", &self.protocol)
            .field("parameters", &self.parameters)
            .field("password", &self.password)
            .field("secrets", &"<redacted>")
            .finish()
    }
}

impl Pace {
    /// PACE with `protocol` (from EF.CardAccess), `parameters` and
    /// `password`. Refuses what is not implemented yet.
    pub fn new(
        protocol: PaceProtocol,
        parameters: DomainParameters,
        password: &PacePassword,
    ) -> Result<Pace, Error> {
        check_mapping(&protocol)?;
        if protocol.agreement != parameters.agreement() {
            return Err(PaceErrorKind::WrongParameters.into());
        }
        Ok(Pace {
            protocol,
            parameters,
            password: password.kind(),
            k_pi: password_key(password, protocol.cipher),
            state: State::Start,
        })
    }

    /// The first command: MSE:Set AT (`00 22 C1 A4`).
    pub fn start(&mut self) -> Result<CommandApdu, Error> {
        if !matches!(self.state, State::Start) {
            return Err(PaceErrorKind::WrongState.into());
        }
        self.state = State::AwaitSetAt;
        Ok(CommandApdu::mse_set_at(
            0xC1,
            mse_set_at_data(&self.protocol, self.password, self.parameters),
        ))
    }

    /// Takes the card's answer to the last command and gives the next step.
    /// Private keys are drawn from `rng`. Any error ends the protocol.
    pub fn next<R: TryCryptoRng + ?Sized>(
        &mut self,
        response: &ResponseApdu,
        rng: &mut R,
    ) -> Result<PaceStep, Error> {
        if matches!(self.state, State::Start) {
            return Err(PaceErrorKind::WrongState.into());
        }
        let state = core::mem::replace(&mut self.state, State::Over);
        let (next, step) = self.advance(state, response, rng)?;
        self.state = next;
        Ok(step)
    }

    fn advance<R: TryCryptoRng + ?Sized>(
        &self,
        state: State,
        response: &ResponseApdu,
        rng: &mut R,
    ) -> Result<(State, PaceStep), Error> {
        let params = self.parameters;
        match state {
            State::AwaitSetAt => {
                if !response.sw.is_success() {
                    return Err(Error::StatusWord {
                        command: "MSE:Set AT",
                        sw: response.sw,
                    });
                }
                Ok((
                    State::AwaitNonce,
                    PaceStep::Send(general_authenticate(None, false)),
                ))
            }
            State::AwaitNonce => {
                let z = single(response, 1, 0x80)?;
                let nonce = decrypt_nonce(self.protocol.cipher, &self.k_pi, &z)?;
                if self.protocol.mapping == Mapping::Integrated {
                    // The reader's nonce t goes to the chip in the clear.
                    let (_, t_len) = integrated_nonce_lens(self.protocol.cipher);
                    let mut t = Zeroizing::new(vec![0u8; t_len]);
                    crate::fill_random(rng, &mut t)?;
                    let r = prf(self.protocol.cipher, &nonce, &t, params.prime_bits())?;
                    let generator = params.map_integrated(&r)?;
                    let cmd = general_authenticate(Some((0x81, &t)), false);
                    return Ok((State::AwaitIntegrated { generator }, PaceStep::Send(cmd)));
                }
                let sk = params.random_private_key(rng)?;
                let pk = params.public_key(&sk, None)?;
                let cmd = general_authenticate(Some((0x81, &pk)), false);
                Ok((State::AwaitMapping { nonce, sk }, PaceStep::Send(cmd)))
            }
            State::AwaitIntegrated { generator } => {
                // The chip answers with no mapping data (or an empty 82).
                let items = dynamic_data(response, 2, "GENERAL AUTHENTICATE")?;
                match items.as_slice() {
                    [] => {}
                    [(tag, value)] if *tag == Tag::new(0x82) && value.is_empty() => {}
                    _ => return Err(PaceErrorKind::Malformed { step: 2 }.into()),
                }
                let sk = params.random_private_key(rng)?;
                let pk = params.public_key(&sk, Some(&generator))?;
                let cmd = general_authenticate(Some((0x83, &pk)), false);
                Ok((State::AwaitKey { sk, pk, cam: None }, PaceStep::Send(cmd)))
            }
            State::AwaitMapping { nonce, sk } => {
                let picc = single(response, 2, 0x82)?;
                let (_, generator) = params.map_generic(&nonce, &sk, &picc)?;
                let sk = params.random_private_key(rng)?;
                let pk = params.public_key(&sk, Some(&generator))?;
                let cmd = general_authenticate(Some((0x83, &pk)), false);
                let cam = (self.protocol.mapping == Mapping::ChipAuthentication).then_some(picc);
                Ok((State::AwaitKey { sk, pk, cam }, PaceStep::Send(cmd)))
            }
            State::AwaitKey { sk, pk, cam } => {
                let picc = single(response, 3, 0x84)?;
                params.check_point(&picc)?;
                if bool::from(picc.as_slice().ct_eq(&pk)) {
                    return Err(PaceErrorKind::IdenticalKeys.into());
                }
                let shared_point = Zeroizing::new(params.public_key(&sk, Some(&picc))?);
                let secret = Zeroizing::new(params.x_coordinate(&shared_point)?);
                let keys = SessionKeys::derive(self.protocol.cipher, &secret);
                let t_pcd = auth_token(
                    self.protocol.cipher,
                    keys.mac(),
                    &public_key_data(&self.protocol, &picc),
                )?;
                let cmd = general_authenticate(Some((0x85, &t_pcd)), true);
                Ok((
                    State::AwaitToken {
                        keys,
                        pk_pcd: pk,
                        pk_picc: picc,
                        cam,
                    },
                    PaceStep::Send(cmd),
                ))
            }
            State::AwaitToken {
                keys,
                pk_pcd,
                pk_picc,
                cam,
            } => {
                let items = dynamic_data(response, 4, "GENERAL AUTHENTICATE")?;
                let mut token = None;
                let mut car = None;
                let mut car_previous = None;
                let mut cam_data = None;
                for (tag, value) in items {
                    match tag.raw() {
                        0x86 if token.is_none() => token = Some(value),
                        0x87 if car.is_none() => car = Some(value),
                        0x88 if car_previous.is_none() => car_previous = Some(value),
                        0x8A if cam_data.is_none() && cam.is_some() => cam_data = Some(value),
                        _ => return Err(PaceErrorKind::Malformed { step: 4 }.into()),
                    }
                }
                let token = token.ok_or(PaceErrorKind::Malformed { step: 4 })?;
                let expected = auth_token(
                    self.protocol.cipher,
                    keys.mac(),
                    &public_key_data(&self.protocol, &pk_pcd),
                )?;
                if !bool::from(expected.as_slice().ct_eq(&token)) {
                    return Err(PaceErrorKind::BadToken.into());
                }
                // CAM: A_IC decrypts (IV = E(KSenc, -1)) to CA_IC, checked
                // later against the chip's static key.
                let chip_authentication = match cam {
                    Some(mapping_public_key) => {
                        let a_ic = cam_data.ok_or(PaceErrorKind::ChipAuthentication)?;
                        let block = sm::block_len(self.protocol.cipher);
                        if a_ic.is_empty() || !a_ic.len().is_multiple_of(block) {
                            return Err(PaceErrorKind::ChipAuthentication.into());
                        }
                        let iv = cam_iv(self.protocol.cipher, keys.enc())?;
                        let mut buf = a_ic;
                        sm::decrypt_cbc(self.protocol.cipher, keys.enc(), &iv, &mut buf)?;
                        let ca_ic = sm::unpad(&buf, block)
                            .map_err(|_| PaceErrorKind::ChipAuthentication)?
                            .to_vec();
                        Some(CamData {
                            ca_ic,
                            mapping_public_key,
                        })
                    }
                    None => None,
                };
                let ssc = vec![0u8; sm::block_len(self.protocol.cipher)];
                let sm = SecureMessaging::new(keys, &ssc)?;
                let outcome = PaceOutcome {
                    sm,
                    chip_ephemeral_public_key: pk_picc,
                    car,
                    car_previous,
                    chip_authentication,
                };
                Ok((State::Over, PaceStep::Done(Box::new(outcome))))
            }
            State::Start | State::Over => Err(PaceErrorKind::WrongState.into()),
        }
    }
}

/// Runs PACE over `transport` with private keys drawn from `rng`.
pub fn authenticate<T, R>(
    transport: &mut T,
    protocol: PaceProtocol,
    parameters: DomainParameters,
    password: &PacePassword,
    rng: &mut R,
) -> Result<PaceOutcome, Error>
where
    T: Transport + ?Sized,
    R: TryCryptoRng + ?Sized,
{
    let mut pace = Pace::new(protocol, parameters, password)?;
    let mut command = pace.start()?;
    loop {
        let response = transport::exchange(transport, &command)?;
        match pace.next(&response, rng)? {
            PaceStep::Send(next) => command = next,
            PaceStep::Done(outcome) => return Ok(*outcome),
        }
    }
}

// ---- the chip's side ------------------------------------------------------------

enum CardState {
    AwaitSetAt,
    AwaitNonceRequest,
    AwaitMapping {
        nonce: Zeroizing<Vec<u8>>,
    },
    AwaitKey {
        generator: Vec<u8>,
        /// CAM: the chip's mapping private key.
        sk_map: Option<Zeroizing<Vec<u8>>>,
    },
    AwaitToken {
        keys: SessionKeys,
        pk_pcd: Vec<u8>,
        pk_picc: Vec<u8>,
        sk_map: Option<Zeroizing<Vec<u8>>>,
    },
    Over,
}

/// What the chip answers.
#[derive(Debug)]
pub enum CardPaceStep {
    /// Answer this and wait for the next command.
    Respond(ResponseApdu),
    /// Answer this: PACE succeeded, and secure messaging starts with this
    /// session.
    Done(ResponseApdu, Box<CardSm>),
}

/// The chip's side of PACE (every mapping; CAM needs
/// [`CardPace::with_chip_key`]), for the virtual chip
/// and tests. Its random values (nonce, private keys) come from the
/// caller's generator. Any error ends the protocol;
/// [`PaceErrorKind::card_status`] says what to answer.
pub struct CardPace {
    protocol: PaceProtocol,
    parameters: DomainParameters,
    password: PasswordKind,
    k_pi: Zeroizing<Vec<u8>>,
    /// CAM: the chip's static private key `SK_IC`.
    chip_key: Option<Zeroizing<Vec<u8>>>,
    state: CardState,
}

impl fmt::Debug for CardPace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardPace")
            .field("protocol", &self.protocol)
            .field("parameters", &self.parameters)
            .field("password", &self.password)
            .field("secrets", &"<redacted>")
            .finish()
    }
}

impl CardPace {
    /// The chip's PACE with its protocol, domain parameters and password.
    pub fn new(
        protocol: PaceProtocol,
        parameters: DomainParameters,
        password: &PacePassword,
    ) -> Result<CardPace, Error> {
        check_mapping(&protocol)?;
        if protocol.agreement != parameters.agreement() {
            return Err(PaceErrorKind::WrongParameters.into());
        }
        Ok(CardPace {
            protocol,
            parameters,
            password: password.kind(),
            k_pi: password_key(password, protocol.cipher),
            chip_key: None,
            state: CardState::AwaitSetAt,
        })
    }

    /// The chip's static Chip Authentication private key `SK_IC`, which
    /// Chip Authentication Mapping needs (and the other mappings ignore).
    #[must_use]
    pub fn with_chip_key(mut self, sk_ic: &[u8]) -> CardPace {
        self.chip_key = Some(Zeroizing::new(sk_ic.to_vec()));
        self
    }

    /// Handles one command of the protocol (MSE:Set AT, then the four
    /// GENERAL AUTHENTICATE).
    pub fn process<R: TryCryptoRng + ?Sized>(
        &mut self,
        command: &CommandApdu,
        rng: &mut R,
    ) -> Result<CardPaceStep, Error> {
        let state = core::mem::replace(&mut self.state, CardState::Over);
        let (next, step) = self.advance(state, command, rng)?;
        self.state = next;
        Ok(step)
    }

    fn advance<R: TryCryptoRng + ?Sized>(
        &self,
        state: CardState,
        command: &CommandApdu,
        rng: &mut R,
    ) -> Result<(CardState, CardPaceStep), Error> {
        let params = self.parameters;
        let cipher = self.protocol.cipher;
        match state {
            CardState::AwaitSetAt => {
                if command.ins != 0x22
                    || command.p1 != 0xC1
                    || command.p2 != 0xA4
                    || command.cla & CLA_CHAINING != 0
                {
                    return Err(PaceErrorKind::WrongState.into());
                }
                let expected = mse_set_at_data(&self.protocol, self.password, params);
                if command.data != expected {
                    return Err(PaceErrorKind::WrongParameters.into());
                }
                let ok = ResponseApdu::new(Vec::new(), StatusWord::SUCCESS);
                Ok((CardState::AwaitNonceRequest, CardPaceStep::Respond(ok)))
            }
            CardState::AwaitNonceRequest => {
                command_item(command, 0, false)?;
                // 16 bytes: one AES block, two 3DES blocks; for Integrated
                // Mapping the length its pseudo-random function expects.
                let len = if self.protocol.mapping == Mapping::Integrated {
                    integrated_nonce_lens(cipher).0
                } else {
                    NONCE_LEN
                };
                let mut nonce = Zeroizing::new(vec![0u8; len]);
                crate::fill_random(rng, &mut nonce)?;
                let mut z = nonce.to_vec();
                let iv = vec![0u8; sm::block_len(cipher)];
                sm::encrypt_cbc(cipher, &self.k_pi, &iv, &mut z)?;
                Ok((
                    CardState::AwaitMapping { nonce },
                    CardPaceStep::Respond(dynamic_answer(0x80, &z)),
                ))
            }
            CardState::AwaitMapping { nonce } if self.protocol.mapping == Mapping::Integrated => {
                let t = Zeroizing::new(command_item(command, 0x81, false)?);
                let r = prf(cipher, &nonce, &t, params.prime_bits())?;
                let generator = params.map_integrated(&r)?;
                let empty =
                    ResponseApdu::new(tlv::encode(Tag::new(0x7C), &[]), StatusWord::SUCCESS);
                Ok((
                    CardState::AwaitKey {
                        generator,
                        sk_map: None,
                    },
                    CardPaceStep::Respond(empty),
                ))
            }
            CardState::AwaitMapping { nonce } => {
                let pcd = command_item(command, 0x81, false)?;
                let sk = params.random_private_key(rng)?;
                let pk = params.public_key(&sk, None)?;
                let (_, generator) = params.map_generic(&nonce, &sk, &pcd)?;
                let sk_map = (self.protocol.mapping == Mapping::ChipAuthentication).then_some(sk);
                Ok((
                    CardState::AwaitKey { generator, sk_map },
                    CardPaceStep::Respond(dynamic_answer(0x82, &pk)),
                ))
            }
            CardState::AwaitKey { generator, sk_map } => {
                let pk_pcd = command_item(command, 0x83, false)?;
                params.check_point(&pk_pcd)?;
                let sk = params.random_private_key(rng)?;
                let pk_picc = params.public_key(&sk, Some(&generator))?;
                if bool::from(pk_picc.as_slice().ct_eq(&pk_pcd)) {
                    return Err(PaceErrorKind::IdenticalKeys.into());
                }
                let shared_point = Zeroizing::new(params.public_key(&sk, Some(&pk_pcd))?);
                let secret = Zeroizing::new(params.x_coordinate(&shared_point)?);
                let keys = SessionKeys::derive(cipher, &secret);
                let answer = dynamic_answer(0x84, &pk_picc);
                Ok((
                    CardState::AwaitToken {
                        keys,
                        pk_pcd,
                        pk_picc,
                        sk_map,
                    },
                    CardPaceStep::Respond(answer),
                ))
            }
            CardState::AwaitToken {
                keys,
                pk_pcd,
                pk_picc,
                sk_map,
            } => {
                let token = command_item(command, 0x85, true)?;
                let expected = auth_token(
                    cipher,
                    keys.mac(),
                    &public_key_data(&self.protocol, &pk_picc),
                )?;
                if !bool::from(expected.as_slice().ct_eq(&token)) {
                    return Err(PaceErrorKind::BadToken.into());
                }
                let t_picc = auth_token(
                    cipher,
                    keys.mac(),
                    &public_key_data(&self.protocol, &pk_pcd),
                )?;
                let mut inner = Vec::new();
                tlv::write(&mut inner, Tag::new(0x86), &t_picc);
                if let Some(sk_map) = sk_map {
                    // CA_IC = SK_IC^-1 * SK_Map,IC mod n, sent as
                    // A_IC = E(KSenc, CA_IC) with IV = E(KSenc, -1).
                    let sk_ic = self
                        .chip_key
                        .as_ref()
                        .ok_or(PaceErrorKind::ChipAuthentication)?;
                    let ca_ic = Zeroizing::new(
                        on_curve!(params, ec_cam_data(sk_ic, &sk_map), dh => Err(PaceErrorKind::ChipAuthentication.into()))?,
                    );
                    let mut a_ic = sm::pad(&ca_ic, sm::block_len(cipher));
                    let iv = cam_iv(cipher, keys.enc())?;
                    sm::encrypt_cbc(cipher, keys.enc(), &iv, &mut a_ic)?;
                    tlv::write(&mut inner, Tag::new(0x8A), &a_ic);
                }
                let answer =
                    ResponseApdu::new(tlv::encode(Tag::new(0x7C), &inner), StatusWord::SUCCESS);
                let ssc = vec![0u8; sm::block_len(cipher)];
                let card = CardSm::new(keys, &ssc)?;
                Ok((CardState::Over, CardPaceStep::Done(answer, Box::new(card))))
            }
            CardState::Over => Err(PaceErrorKind::WrongState.into()),
        }
    }
}
