//! Key agreement: the groups PACE and Chip Authentication share, and their
//! arithmetic.
//!
//! - [`DomainParameters`]: the standardized domain parameters of Doc 9303
//!   Part 11 §9.5.1 (IDs 0-2: the RFC 5114 MODP groups; 8-18: the NIST and
//!   Brainpool curves), with every operation both protocols need: key
//!   generation, public keys, point checks, the shared secret, and the
//!   two mappings of PACE (Generic: `s*G + H`; Integrated: the point
//!   encoding of §4.4.3.3.2).
//! - [`KeyAgreement`]: DH or ECDH.
//! - [`KeyKind`]: the cipher of the session a key agreement opens (3DES,
//!   AES-128/192/256), re-exported from [`crate::kdf`], whose key
//!   derivation it selects.
//!
//! Curve arithmetic is generic over RustCrypto's `CurveArithmetic` (in
//! `ec`), DH on crypto-bigint's constant-time Montgomery form (in `dh`).
//! Points are SEC1 uncompressed encodings (`04 || x || y`), DH values
//! big-endian octet strings as long as `p`. Errors are
//! [`PaceErrorKind`]s, PACE being the protocol that defined them.

use rand_core::TryCryptoRng;
use zeroize::Zeroizing;

use crate::Error;
pub use crate::kdf::KeyKind;
use crate::pace::PaceErrorKind;

mod dh;
mod ec;

use ec::{
    ec_cam_data, ec_check_point, ec_clamp_and_check, ec_map_h, ec_map_integrated, ec_mul,
    ec_prime_bits,
};

/// How many draws of the random number generator a private key may take.
const MAX_DRAWS: usize = 64;

/// The key agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum KeyAgreement {
    /// Diffie-Hellman over a prime field.
    Dh,
    /// Elliptic curve Diffie-Hellman.
    Ecdh,
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
    /// function's output `R` ([`crate::pace::prf`]): `R_p = R mod p`, then the point
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

    /// `SK_IC^-1 * SK_Map mod n`: the chip authentication data of PACE-CAM
    /// (Doc 9303 Part 11 §4.4.3.5.1), on the card's side.
    pub(crate) fn cam_chip_data(self, sk_ic: &[u8], sk_map: &[u8]) -> Result<Vec<u8>, Error> {
        on_curve!(self, ec_cam_data(sk_ic, sk_map), dh => Err(PaceErrorKind::ChipAuthentication.into()))
    }
}
