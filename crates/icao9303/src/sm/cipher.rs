//! The cipher suites of secure messaging: 3DES (CBC, ISO/IEC 9797-1 MAC
//! algorithm 3) and AES-128/192/256 (CBC, CMAC), the primitives PACE and
//! BAC use too, the session keys, and the session's keyed cipher and MAC.

use core::fmt;

use aes::{Aes128, Aes192, Aes256};
use cbc::cipher::block_padding::{Iso7816, NoPadding, Padding};
use cbc::cipher::{Block, InnerIvInit};
use cbc::cipher::{
    BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt, KeyInit, KeyIvInit,
};
use cmac::digest::FixedOutputReset;
use cmac::{Cmac, Mac};
use des::{Des, TdesEde2};
use retail_mac::RetailMac;
use zeroize::{Zeroize, Zeroizing};

use crate::Error;
use crate::kdf::{self, KeyKind};
use crate::tlv::Tag;

use super::*;

/// The cipher's block length: 8 for 3DES, 16 for AES.
pub const fn block_len(kind: KeyKind) -> usize {
    match kind {
        KeyKind::Tdes => 8,
        KeyKind::Aes128 | KeyKind::Aes192 | KeyKind::Aes256 => 16,
    }
}

/// ISO/IEC 9797-1 padding method 2: `80` then `00`s up to a multiple of
/// `block` (a full block when `data` is already aligned).
pub fn pad(data: &[u8], block: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len().saturating_add(block));
    out.extend_from_slice(data);
    pad_in_place(&mut out, block);
    out
}

// The padding itself is block-padding's `Iso7816` (the crate cbc already
// pulls), on the last block as a slice: the block length is known at run
// time only. Measured against the loops it replaced (`cargo bench --bench
// padding`, crates/bench/benches/padding.rs): no slower.
pub(super) fn pad_in_place(buf: &mut Vec<u8>, block: usize) {
    let Some(tail) = buf.len().checked_div(block).map(|n| n.saturating_mul(block)) else {
        // A zero block length pads with the 80 alone, as the loops did.
        buf.push(0x80);
        return;
    };
    let used = buf.len().saturating_sub(tail);
    buf.resize(tail.saturating_add(block), 0);
    // `used < block` always (a remainder), which is raw_pad's one
    // precondition: checked anyway, so a mistake here cannot panic.
    if let Some(last) = buf.get_mut(tail..).filter(|b| used < b.len()) {
        Iso7816::raw_pad(last, used);
    }
}

/// Removes padding method 2: the data, at least one block long, must end
/// in `80` followed by fewer than `block` zero bytes, inside the last
/// block.
pub fn unpad(data: &[u8], block: usize) -> Result<&[u8], Error> {
    let tail = data
        .len()
        .checked_sub(block)
        .filter(|_| block > 0)
        .ok_or(SmErrorKind::BadPadding)?;
    let last = data.get(tail..).unwrap_or_default();
    let kept = Iso7816::raw_unpad(last)
        .map_err(|_| SmErrorKind::BadPadding)?
        .len();
    Ok(data.get(..tail.saturating_add(kept)).unwrap_or_default())
}

pub(super) fn key_error(kind: KeyKind, len: usize) -> Error {
    SmErrorKind::KeyLength { kind, len }.into()
}

pub(super) fn cbc_encrypt_with<C: BlockCipherEncrypt + KeyInit>(
    key: &[u8],
    iv: &[u8],
    buf: &mut [u8],
) -> Result<(), ()> {
    let enc = cbc::Encryptor::<C>::new_from_slices(key, iv).map_err(|_| ())?;
    let len = buf.len();
    enc.encrypt_padded::<NoPadding>(buf, len).map_err(|_| ())?;
    Ok(())
}

pub(super) fn cbc_decrypt_with<C: BlockCipherDecrypt + KeyInit>(
    key: &[u8],
    iv: &[u8],
    buf: &mut [u8],
) -> Result<(), ()> {
    let dec = cbc::Decryptor::<C>::new_from_slices(key, iv).map_err(|_| ())?;
    dec.decrypt_padded::<NoPadding>(buf).map_err(|_| ())?;
    Ok(())
}

/// What CBC in both directions needs: a key of the cipher's length, one
/// block of IV, whole blocks of data.
fn check_cbc(kind: KeyKind, key: &[u8], iv: &[u8], buf: &[u8]) -> Result<(), Error> {
    if key.len() != kind.key_len() {
        return Err(key_error(kind, key.len()));
    }
    let block = block_len(kind);
    if iv.len() != block || !buf.len().is_multiple_of(block) {
        return Err(SmErrorKind::ObjectLength { tag: TAG_87 }.into());
    }
    Ok(())
}

/// Encrypts `buf` in place with the cipher in CBC mode. `buf` must be whole
/// blocks (pad it first) and `iv` one block; 3DES keys are 16 bytes (K1 K2).
pub fn encrypt_cbc(kind: KeyKind, key: &[u8], iv: &[u8], buf: &mut [u8]) -> Result<(), Error> {
    check_cbc(kind, key, iv, buf)?;
    let r = match kind {
        KeyKind::Tdes => cbc_encrypt_with::<TdesEde2>(key, iv, buf),
        KeyKind::Aes128 => cbc_encrypt_with::<Aes128>(key, iv, buf),
        KeyKind::Aes192 => cbc_encrypt_with::<Aes192>(key, iv, buf),
        KeyKind::Aes256 => cbc_encrypt_with::<Aes256>(key, iv, buf),
    };
    r.map_err(|()| key_error(kind, key.len()))
}

/// Decrypts `buf` in place with the cipher in CBC mode (whole blocks, `iv`
/// one block).
pub fn decrypt_cbc(kind: KeyKind, key: &[u8], iv: &[u8], buf: &mut [u8]) -> Result<(), Error> {
    check_cbc(kind, key, iv, buf)?;
    let r = match kind {
        KeyKind::Tdes => cbc_decrypt_with::<TdesEde2>(key, iv, buf),
        KeyKind::Aes128 => cbc_decrypt_with::<Aes128>(key, iv, buf),
        KeyKind::Aes192 => cbc_decrypt_with::<Aes192>(key, iv, buf),
        KeyKind::Aes256 => cbc_decrypt_with::<Aes256>(key, iv, buf),
    };
    r.map_err(|()| key_error(kind, key.len()))
}

pub(super) fn mac_with<M: Mac + KeyInit>(key: &[u8], data: &[u8]) -> Result<[u8; MAC_LEN], ()> {
    let mut m = <M as KeyInit>::new_from_slice(key).map_err(|_| ())?;
    m.update(data);
    let full = m.finalize().into_bytes();
    let mut out = [0u8; MAC_LEN];
    out.copy_from_slice(full.get(..MAC_LEN).ok_or(())?);
    Ok(out)
}

/// The 8-byte MAC of secure messaging and of the authentication protocols:
/// for 3DES, ISO/IEC 9797-1 MAC algorithm 3 with DES over `data`, which
/// must already be padded (method 2) to whole blocks; for AES, AES-CMAC of
/// `data` (padded or not, as the protocol says) truncated to 8 bytes.
pub fn mac(kind: KeyKind, key: &[u8], data: &[u8]) -> Result<[u8; MAC_LEN], Error> {
    if key.len() != kind.key_len() {
        return Err(key_error(kind, key.len()));
    }
    if kind == KeyKind::Tdes && (data.is_empty() || !data.len().is_multiple_of(8)) {
        return Err(SmErrorKind::BadPadding.into());
    }
    let r = match kind {
        KeyKind::Tdes => mac_with::<RetailMac<Des>>(key, data),
        KeyKind::Aes128 => mac_with::<Cmac<Aes128>>(key, data),
        KeyKind::Aes192 => mac_with::<Cmac<Aes192>>(key, data),
        KeyKind::Aes256 => mac_with::<Cmac<Aes256>>(key, data),
    };
    r.map_err(|()| key_error(kind, key.len()))
}

/// The session keys KSenc and KSmac of a secure messaging session (or the
/// basic access keys Kenc/Kmac of BAC). Zeroized on drop; `Debug` shows
/// only the cipher.
pub struct SessionKeys {
    pub(super) kind: KeyKind,
    pub(super) enc: Zeroizing<Vec<u8>>,
    pub(super) mac: Zeroizing<Vec<u8>>,
}

impl SessionKeys {
    /// Keys of `kind` from their bytes (16 bytes for 3DES and AES-128, 24
    /// for AES-192, 32 for AES-256).
    pub fn new(kind: KeyKind, enc: &[u8], mac: &[u8]) -> Result<SessionKeys, Error> {
        for k in [enc, mac] {
            if k.len() != kind.key_len() {
                return Err(key_error(kind, k.len()));
            }
        }
        Ok(SessionKeys {
            kind,
            enc: Zeroizing::new(enc.to_vec()),
            mac: Zeroizing::new(mac.to_vec()),
        })
    }

    /// `KDF(secret, 1)` and `KDF(secret, 2)` (Doc 9303 Part 11 §9.7.1).
    pub fn derive(kind: KeyKind, shared_secret: &[u8]) -> SessionKeys {
        SessionKeys {
            kind,
            enc: kdf::derive(shared_secret, kdf::ENC, kind),
            mac: kdf::derive(shared_secret, kdf::MAC, kind),
        }
    }

    /// The cipher.
    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    /// The encryption key.
    pub fn enc(&self) -> &[u8] {
        &self.enc
    }

    /// The MAC key.
    pub fn mac(&self) -> &[u8] {
        &self.mac
    }
}

impl fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionKeys")
            .field("kind", &self.kind)
            .field("keys", &"<redacted>")
            .finish()
    }
}

/// The session's cipher and MAC, keyed once when the session starts (key
/// schedules and MAC subkeys are not rebuilt for every APDU). The RustCrypto
/// types zeroize their key material on drop (their `zeroize` feature).
pub(super) enum Keyed {
    Tdes { enc: TdesEde2, mac: RetailMac<Des> },
    Aes128 { enc: Aes128, mac: Cmac<Aes128> },
    Aes192 { enc: Aes192, mac: Cmac<Aes192> },
    Aes256 { enc: Aes256, mac: Cmac<Aes256> },
}

/// Runs `$body` with `$enc` and `$mac` bound to the keyed instances of
/// whichever cipher the session uses.
macro_rules! with_keyed {
    ($keyed:expr, |$enc:ident, $mac:ident| $body:expr) => {
        match $keyed {
            Keyed::Tdes {
                enc: $enc,
                mac: $mac,
            } => $body,
            Keyed::Aes128 {
                enc: $enc,
                mac: $mac,
            } => $body,
            Keyed::Aes192 {
                enc: $enc,
                mac: $mac,
            } => $body,
            Keyed::Aes256 {
                enc: $enc,
                mac: $mac,
            } => $body,
        }
    };
}

pub(super) fn keyed_with<C: KeyInit, M: KeyInit>(keys: &SessionKeys) -> Result<(C, M), ()> {
    let enc = C::new_from_slice(keys.enc()).map_err(|_| ())?;
    let mac = <M as KeyInit>::new_from_slice(keys.mac()).map_err(|_| ())?;
    Ok((enc, mac))
}

impl Keyed {
    pub(super) fn new(keys: &SessionKeys) -> Result<Keyed, Error> {
        let kind = keys.kind;
        let r = match kind {
            KeyKind::Tdes => keyed_with(keys).map(|(enc, mac)| Keyed::Tdes { enc, mac }),
            KeyKind::Aes128 => keyed_with(keys).map(|(enc, mac)| Keyed::Aes128 { enc, mac }),
            KeyKind::Aes192 => keyed_with(keys).map(|(enc, mac)| Keyed::Aes192 { enc, mac }),
            KeyKind::Aes256 => keyed_with(keys).map(|(enc, mac)| Keyed::Aes256 { enc, mac }),
        };
        r.map_err(|()| key_error(kind, keys.enc().len()))
    }
}

/// ISO/IEC 9797-1 padding method 2 for every length: `80` and up to one
/// block of zeros.
pub(super) const PADDING: [u8; 16] = [0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// The MAC of `pad(ssc || parts...)` with a keyed instance, reset for the
/// next use.
pub(super) fn keyed_mac<M: Mac + FixedOutputReset>(
    m: &mut M,
    ssc: &[u8],
    parts: &[&[u8]],
    block: usize,
) -> Result<[u8; MAC_LEN], Error> {
    Mac::update(m, ssc);
    let mut len = ssc.len();
    for p in parts {
        Mac::update(m, p);
        len = len.wrapping_add(p.len());
    }
    let pad_len = block.saturating_sub(len % block.max(1));
    Mac::update(m, PADDING.get(..pad_len).ok_or(SmErrorKind::BadPadding)?);
    let full = m.finalize_reset().into_bytes();
    let mut out = [0u8; MAC_LEN];
    out.copy_from_slice(full.get(..MAC_LEN).ok_or(SmErrorKind::BadPadding)?);
    Ok(out)
}

/// The CBC IV of a message: zero for 3DES, `E(KSenc, SSC)` for AES (written
/// into `iv`, one block).
pub(super) fn keyed_iv<C: BlockCipherEncrypt>(
    enc: &C,
    kind: KeyKind,
    ssc: &[u8],
    iv: &mut [u8],
) -> Result<(), Error> {
    if kind != KeyKind::Tdes {
        iv.copy_from_slice(ssc);
        let block: &mut Block<C> = iv.try_into().map_err(|_| SmErrorKind::SscLength {
            len: ssc.len(),
            block: block_len(kind),
        })?;
        enc.encrypt_block(block);
    }
    Ok(())
}

pub(super) fn keyed_encrypt<C: BlockCipherEncrypt>(
    enc: &C,
    kind: KeyKind,
    ssc: &[u8],
    buf: &mut [u8],
) -> Result<(), Error> {
    let block = block_len(kind);
    let mut iv = [0u8; 16];
    let iv = iv
        .get_mut(..block)
        .ok_or(SmErrorKind::ObjectLength { tag: TAG_87 })?;
    keyed_iv(enc, kind, ssc, iv)?;
    if !buf.len().is_multiple_of(block) {
        return Err(SmErrorKind::ObjectLength { tag: TAG_87 }.into());
    }
    let len = buf.len();
    let r = cbc::Encryptor::<&C>::inner_iv_slice_init(enc, iv)
        .map_err(|_| ())
        .and_then(|e| {
            e.encrypt_padded::<NoPadding>(buf, len)
                .map(|_| ())
                .map_err(|_| ())
        });
    iv.zeroize();
    r.map_err(|()| SmErrorKind::ObjectLength { tag: TAG_87 }.into())
}

pub(super) fn keyed_decrypt<C: BlockCipherEncrypt + BlockCipherDecrypt>(
    enc: &C,
    kind: KeyKind,
    ssc: &[u8],
    tag: Tag,
    buf: &mut [u8],
) -> Result<(), Error> {
    let block = block_len(kind);
    let mut iv = [0u8; 16];
    let iv = iv
        .get_mut(..block)
        .ok_or(SmErrorKind::ObjectLength { tag })?;
    keyed_iv(enc, kind, ssc, iv)?;
    if !buf.len().is_multiple_of(block) {
        return Err(SmErrorKind::ObjectLength { tag }.into());
    }
    let r = cbc::Decryptor::<&C>::inner_iv_slice_init(enc, iv)
        .map_err(|_| ())
        .and_then(|d| {
            d.decrypt_padded::<NoPadding>(buf)
                .map(|_| ())
                .map_err(|_| ())
        });
    iv.zeroize();
    r.map_err(|()| SmErrorKind::ObjectLength { tag }.into())
}
