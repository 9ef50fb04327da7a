//! The key derivation function of Doc 9303 Part 11 §9.7.1, shared by BAC,
//! PACE and Chip Authentication.
//!
//! `KDF(K, c) = H(K || c)` with `c` a 32-bit big-endian counter; SHA-1 for
//! 3DES and AES-128 keys, SHA-256 for AES-192 and AES-256, truncated to the
//! key length. 3DES keys get their DES parity bits set.

use sha1::Sha1;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// Counter for the encryption key.
pub const ENC: u32 = 1;
/// Counter for the MAC key.
pub const MAC: u32 = 2;
/// Counter for the PACE password key `K_pi`.
pub const PACE: u32 = 3;

/// The block ciphers of secure messaging, as far as key derivation cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum KeyKind {
    /// Two-key 3DES (16 bytes, parity adjusted).
    Tdes,
    /// AES-128.
    Aes128,
    /// AES-192.
    Aes192,
    /// AES-256.
    Aes256,
}

impl KeyKind {
    /// The key length in bytes.
    pub const fn key_len(self) -> usize {
        match self {
            KeyKind::Tdes | KeyKind::Aes128 => 16,
            KeyKind::Aes192 => 24,
            KeyKind::Aes256 => 32,
        }
    }

    /// The cipher arc of the id-PACE and id-CA protocol OIDs (Doc 9303
    /// Part 11 §9.2): 1 3DES, 2 AES-128, 3 AES-192, 4 AES-256.
    pub const fn oid_arc(self) -> u8 {
        match self {
            KeyKind::Tdes => 1,
            KeyKind::Aes128 => 2,
            KeyKind::Aes192 => 3,
            KeyKind::Aes256 => 4,
        }
    }

    /// The cipher of an OID's last arc.
    pub const fn from_oid_arc(arc: u8) -> Option<KeyKind> {
        match arc {
            1 => Some(KeyKind::Tdes),
            2 => Some(KeyKind::Aes128),
            3 => Some(KeyKind::Aes192),
            4 => Some(KeyKind::Aes256),
            _ => None,
        }
    }
}

/// `KDF(shared_secret, counter)` for a key of `kind`.
pub fn derive(shared_secret: &[u8], counter: u32, kind: KeyKind) -> Zeroizing<Vec<u8>> {
    let c = counter.to_be_bytes();
    let mut key = Zeroizing::new(match kind {
        KeyKind::Tdes | KeyKind::Aes128 => {
            let mut h = Sha1::new();
            h.update(shared_secret);
            h.update(c);
            h.finalize().to_vec()
        }
        KeyKind::Aes192 | KeyKind::Aes256 => {
            let mut h = Sha256::new();
            h.update(shared_secret);
            h.update(c);
            h.finalize().to_vec()
        }
    });
    key.truncate(kind.key_len());
    if kind == KeyKind::Tdes {
        set_des_parity(&mut key);
    }
    key
}

/// Sets the least significant bit of each byte so that the byte has odd
/// parity, as DES keys require.
pub fn set_des_parity(key: &mut [u8]) {
    for b in key {
        let high = *b & 0xFE;
        *b = high | u8::from(high.count_ones() % 2 == 0);
    }
}
