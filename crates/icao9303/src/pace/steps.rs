//! The steps of PACE as functions (Doc 9303 Part 11 §4.4.3-§4.4.4), shared
//! by the reader's side and the chip's, and public so that vectors can
//! check each intermediate value: `K_pi`, the nonce, Integrated Mapping's
//! pseudo-random function, the public key data object and the tokens, the
//! MSE:Set AT data, the `7C` templates of GENERAL AUTHENTICATE, and Chip
//! Authentication Mapping's data.

use crate::Error;
use crate::apdu::{CommandApdu, ResponseApdu, StatusWord};
use crate::kdf::{self, KeyKind};
use crate::sm;
use crate::tlv::{self, Tag, Tlv};
use zeroize::Zeroizing;

use super::{
    DomainParameters, KeyAgreement, Mapping, PaceErrorKind, PacePassword, PaceProtocol,
    PasswordKind, integrated_nonce_lens,
};

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
pub(super) fn general_authenticate(item: Option<(u32, &[u8])>, last: bool) -> CommandApdu {
    let mut inner = Vec::new();
    if let Some((tag, value)) = item {
        tlv::write(&mut inner, Tag::new(tag), value);
    }
    CommandApdu::general_authenticate(tlv::encode(Tag::new(0x7C), &inner), last)
}

/// Refuses the mappings and ciphers not implemented: Chip Authentication
/// Mapping with DH (and with 3DES, which does not exist).
pub(super) fn check_mapping(protocol: &PaceProtocol) -> Result<(), Error> {
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
pub(super) fn dynamic_answer(tag: u32, value: &[u8]) -> ResponseApdu {
    let mut inner = Vec::new();
    tlv::write(&mut inner, Tag::new(tag), value);
    ResponseApdu::new(tlv::encode(Tag::new(0x7C), &inner), StatusWord::SUCCESS)
}

/// The value of the single object `tag` in the `7C` template of a GENERAL
/// AUTHENTICATE command (card side), which must be chained unless `last`.
pub(super) fn command_item(command: &CommandApdu, tag: u32, last: bool) -> Result<Vec<u8>, Error> {
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
pub(super) fn dynamic_data(
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
pub(super) fn single(response: &ResponseApdu, step: u8, tag: u32) -> Result<Vec<u8>, Error> {
    let mut items = dynamic_data(response, step, "GENERAL AUTHENTICATE")?;
    match items.as_mut_slice() {
        [(t, v)] if *t == Tag::new(tag) => Ok(core::mem::take(v)),
        _ => Err(PaceErrorKind::Malformed { step }.into()),
    }
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
pub(super) fn cam_iv(cipher: KeyKind, ks_enc: &[u8]) -> Result<Vec<u8>, Error> {
    let block = sm::block_len(cipher);
    let mut iv = vec![0xFF; block];
    sm::encrypt_cbc(cipher, ks_enc, &vec![0; block], &mut iv)?;
    Ok(iv)
}
