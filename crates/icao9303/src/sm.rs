//! ISO/IEC 7816-4 secure messaging as Doc 9303 Part 11 §9.8 uses it, for
//! two-key 3DES and AES-128/192/256.
//!
//! - 3DES: CBC with IV zero, MAC = ISO/IEC 9797-1 MAC algorithm 3 (the
//!   "retail MAC") with DES, padding method 2, send-sequence counter (SSC) of
//!   8 bytes.
//! - AES: CBC with IV = E(KSenc, SSC), MAC = AES-CMAC truncated to 8 bytes
//!   over the padded input, SSC of 16 bytes.
//!
//! Commands carry DO'87 (even INS) or DO'85 (odd INS) for the encrypted
//! data, DO'97 for `Le` and DO'8E for the MAC; responses carry DO'87/85,
//! DO'99 (the status word) and DO'8E. The MAC of a response is checked in
//! constant time before anything in it is decrypted.
//!
//! A session is strict: any bad MAC, missing or misplaced data object, wrong
//! padding or link failure closes it, and every later call is refused with
//! [`SmErrorKind::SessionClosed`]. Nothing of a refused response is
//! returned. The counter is incremented in one place, before each protected
//! command and before each protected response.
//!
//! [`SecureMessaging`] is the reader's side; [`CardSm`] is the card's (it
//! unwraps commands and wraps responses), for the virtual chip and tests.
//!
//! ```
//! use icao9303::apdu::CommandApdu;
//! use icao9303::kdf::KeyKind;
//! use icao9303::sm::{SecureMessaging, SessionKeys};
//!
//! // Doc 9303 Part 11 D.4: SELECT EF.COM under the BAC session keys.
//! let hex = |s: &str| -> Vec<u8> {
//!     (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
//! };
//! let keys = SessionKeys::new(
//!     KeyKind::Tdes,
//!     &hex("979EC13B1CBFE9DCD01AB0FED307EAE5"),
//!     &hex("F1CB1F1FB5ADF208806B89DC579DC1F8"),
//! )?;
//! let mut sm = SecureMessaging::new(keys, &hex("887022120C06C226"))?;
//! let protected = sm.wrap(&CommandApdu::select_file(0x011E))?;
//! assert_eq!(protected, hex("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800"));
//! let rsp = sm.unwrap(&hex("990290008E08FA855A5D4C50A8ED9000"))?;
//! assert!(rsp.is_success());
//! # Ok::<(), icao9303::Error>(())
//! ```

use core::fmt;

use aes::{Aes128, Aes192, Aes256};
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{Block, InnerIvInit};
use cbc::cipher::{
    BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt, KeyInit, KeyIvInit,
};
use cmac::digest::FixedOutputReset;
use cmac::{Cmac, Mac};
use des::{Des, TdesEde2};
use retail_mac::RetailMac;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use crate::Error;
use crate::apdu::{
    CLA_SM, CommandApdu, LengthEncoding, MAX_SHORT_DATA, MAX_SHORT_NE, ResponseApdu, StatusWord,
};
use crate::kdf::{self, KeyKind};
use crate::tlv::{self, Tag, Tlv};
use crate::transport::{self, Transport};

/// Length of the MAC in DO'8E.
pub const MAC_LEN: usize = 8;

const TAG_85: Tag = Tag::new(0x85);
const TAG_87: Tag = Tag::new(0x87);
const TAG_8E: Tag = Tag::new(0x8E);
const TAG_97: Tag = Tag::new(0x97);
const TAG_99: Tag = Tag::new(0x99);

/// Why secure messaging failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum SmErrorKind {
    /// The session was closed by an earlier failure.
    #[error("the session is closed after an earlier failure")]
    SessionClosed,
    /// The send-sequence counter would wrap around.
    #[error("the send-sequence counter is exhausted")]
    CounterExhausted,
    /// A key of the wrong length for the cipher.
    #[error("a key of {len} bytes for {kind:?}")]
    KeyLength {
        /// The cipher.
        kind: KeyKind,
        /// The length given.
        len: usize,
    },
    /// A send-sequence counter that is not one block long.
    #[error("a send-sequence counter of {len} bytes (a block is {block})")]
    SscLength {
        /// The length given.
        len: usize,
        /// The cipher's block length.
        block: usize,
    },
    /// A response without secure messaging data objects: the card answered
    /// with a bare status word (often 6987 or 6988, after which it has left
    /// secure messaging).
    #[error("unprotected response {sw}")]
    UnprotectedResponse {
        /// The status word received.
        sw: StatusWord,
    },
    /// A command without the secure messaging bits in CLA or without data
    /// objects (card side).
    #[error("unprotected command")]
    UnprotectedCommand,
    /// Bytes that are not a response APDU (fewer than two) or not a command
    /// APDU.
    #[error("not an APDU")]
    NotAnApdu,
    /// The data objects do not parse as BER-TLV.
    #[error("the secure messaging data objects are not BER-TLV (byte {offset})")]
    Malformed {
        /// Offset in the data field.
        offset: usize,
    },
    /// A data object that has no place there (unknown tag, wrong order, or
    /// a second one).
    #[error("unexpected data object {tag} at byte {offset}")]
    UnexpectedObject {
        /// Its tag.
        tag: Tag,
        /// Offset in the data field.
        offset: usize,
    },
    /// A data object of the wrong length (DO'8E not 8 bytes, DO'99 not 2,
    /// DO'97 not 1 or 2, a cryptogram not whole blocks).
    #[error("data object {tag} has a wrong length")]
    ObjectLength {
        /// Its tag.
        tag: Tag,
    },
    /// DO'8E (the MAC) is missing.
    #[error("DO'8E (MAC) missing")]
    MissingMac,
    /// DO'99 (the protected status word) is missing from a response.
    #[error("DO'99 (status word) missing")]
    MissingStatus,
    /// The MAC does not verify.
    #[error("wrong MAC")]
    BadMac,
    /// The padding-content indicator of DO'87 is not `01`.
    #[error("padding-content indicator {found:#04x} is not 01")]
    PaddingIndicator {
        /// The byte found.
        found: u8,
    },
    /// The decrypted data does not end in ISO/IEC 9797-1 padding method 2.
    #[error("wrong padding in the decrypted data")]
    BadPadding,
    /// The status word after the data objects differs from the protected
    /// one in DO'99.
    #[error("status word {outer} differs from the protected {inner}")]
    StatusMismatch {
        /// The one in DO'99.
        inner: StatusWord,
        /// The trailing one.
        outer: StatusWord,
    },
    /// The command to protect is already protected (CLA has bits `0C`).
    #[error("the command already has secure messaging bits in CLA")]
    AlreadyProtected,
    /// A protected command or response exceeds what an APDU carries.
    #[error("the protected APDU is too long")]
    TooLong,
    /// The link failed between the protected command and its response;
    /// the counters of card and reader may differ.
    #[error("the link failed in the middle of a protected exchange")]
    LinkFailed,
}

impl SmErrorKind {
    /// The status word a card answers (in the clear) to a command it cannot
    /// unwrap: `6987` when objects are missing, `6988` otherwise.
    pub fn card_status(self) -> StatusWord {
        match self {
            SmErrorKind::MissingMac
            | SmErrorKind::MissingStatus
            | SmErrorKind::UnprotectedCommand => StatusWord::SM_OBJECTS_MISSING,
            _ => StatusWord::SM_OBJECTS_INCORRECT,
        }
    }
}

impl From<SmErrorKind> for Error {
    fn from(kind: SmErrorKind) -> Error {
        Error::SecureMessaging(kind)
    }
}

// ---- primitives ------------------------------------------------------------

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

fn pad_in_place(buf: &mut Vec<u8>, block: usize) {
    buf.push(0x80);
    if block == 0 {
        return;
    }
    while !buf.len().is_multiple_of(block) {
        buf.push(0);
    }
}

/// Removes padding method 2: the data must end in `80` followed by fewer
/// than `block` zero bytes, inside the last block.
pub fn unpad(data: &[u8], block: usize) -> Result<&[u8], Error> {
    let zeros = data.iter().rev().take_while(|b| **b == 0).count();
    let end = data
        .len()
        .saturating_sub(zeros)
        .checked_sub(1)
        .ok_or(SmErrorKind::BadPadding)?;
    if data.get(end) != Some(&0x80) || zeros >= block {
        return Err(SmErrorKind::BadPadding.into());
    }
    Ok(data.get(..end).unwrap_or_default())
}

fn key_error(kind: KeyKind, len: usize) -> Error {
    SmErrorKind::KeyLength { kind, len }.into()
}

fn cbc_encrypt_with<C: BlockCipherEncrypt + KeyInit>(
    key: &[u8],
    iv: &[u8],
    buf: &mut [u8],
) -> Result<(), ()> {
    let enc = cbc::Encryptor::<C>::new_from_slices(key, iv).map_err(|_| ())?;
    let len = buf.len();
    enc.encrypt_padded::<NoPadding>(buf, len).map_err(|_| ())?;
    Ok(())
}

fn cbc_decrypt_with<C: BlockCipherDecrypt + KeyInit>(
    key: &[u8],
    iv: &[u8],
    buf: &mut [u8],
) -> Result<(), ()> {
    let dec = cbc::Decryptor::<C>::new_from_slices(key, iv).map_err(|_| ())?;
    dec.decrypt_padded::<NoPadding>(buf).map_err(|_| ())?;
    Ok(())
}

/// Encrypts `buf` in place with the cipher in CBC mode. `buf` must be whole
/// blocks (pad it first) and `iv` one block; 3DES keys are 16 bytes (K1 K2).
pub fn encrypt_cbc(kind: KeyKind, key: &[u8], iv: &[u8], buf: &mut [u8]) -> Result<(), Error> {
    if key.len() != kind.key_len() {
        return Err(key_error(kind, key.len()));
    }
    let block = block_len(kind);
    if iv.len() != block || !buf.len().is_multiple_of(block) {
        return Err(SmErrorKind::ObjectLength { tag: TAG_87 }.into());
    }
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
    if key.len() != kind.key_len() {
        return Err(key_error(kind, key.len()));
    }
    let block = block_len(kind);
    if iv.len() != block || !buf.len().is_multiple_of(block) {
        return Err(SmErrorKind::ObjectLength { tag: TAG_87 }.into());
    }
    let r = match kind {
        KeyKind::Tdes => cbc_decrypt_with::<TdesEde2>(key, iv, buf),
        KeyKind::Aes128 => cbc_decrypt_with::<Aes128>(key, iv, buf),
        KeyKind::Aes192 => cbc_decrypt_with::<Aes192>(key, iv, buf),
        KeyKind::Aes256 => cbc_decrypt_with::<Aes256>(key, iv, buf),
    };
    r.map_err(|()| key_error(kind, key.len()))
}

fn mac_with<M: Mac + KeyInit>(key: &[u8], data: &[u8]) -> Result<[u8; MAC_LEN], ()> {
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

// ---- keys and counter ------------------------------------------------------

/// The session keys KSenc and KSmac of a secure messaging session (or the
/// basic access keys Kenc/Kmac of BAC). Zeroized on drop; `Debug` shows
/// only the cipher.
pub struct SessionKeys {
    kind: KeyKind,
    enc: Zeroizing<Vec<u8>>,
    mac: Zeroizing<Vec<u8>>,
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
enum Keyed {
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

fn keyed_with<C: KeyInit, M: KeyInit>(keys: &SessionKeys) -> Result<(C, M), ()> {
    let enc = C::new_from_slice(keys.enc()).map_err(|_| ())?;
    let mac = <M as KeyInit>::new_from_slice(keys.mac()).map_err(|_| ())?;
    Ok((enc, mac))
}

impl Keyed {
    fn new(keys: &SessionKeys) -> Result<Keyed, Error> {
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
const PADDING: [u8; 16] = [0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// The MAC of `pad(ssc || parts...)` with a keyed instance, reset for the
/// next use.
fn keyed_mac<M: Mac + FixedOutputReset>(
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
fn keyed_iv<C: BlockCipherEncrypt>(
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

fn keyed_encrypt<C: BlockCipherEncrypt>(
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

fn keyed_decrypt<C: BlockCipherEncrypt + BlockCipherDecrypt>(
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

/// What both sides share: the keyed cipher and MAC, the counter, and
/// whether the session is open.
struct Core {
    kind: KeyKind,
    keyed: Box<Keyed>,
    /// The send-sequence counter in its first `block_len(kind)` bytes.
    ssc: [u8; 16],
    open: bool,
}

impl Core {
    fn new(keys: SessionKeys, ssc: &[u8]) -> Result<Core, Error> {
        let block = block_len(keys.kind);
        let mut counter = [0u8; 16];
        match counter.get_mut(..block) {
            Some(c) if ssc.len() == block => c.copy_from_slice(ssc),
            _ => {
                return Err(SmErrorKind::SscLength {
                    len: ssc.len(),
                    block,
                }
                .into());
            }
        }
        Ok(Core {
            kind: keys.kind,
            keyed: Box::new(Keyed::new(&keys)?),
            ssc: counter,
            open: true,
        })
    }

    fn kind(&self) -> KeyKind {
        self.kind
    }

    fn block(&self) -> usize {
        block_len(self.kind)
    }

    /// The counter's bytes.
    fn ssc(&self) -> &[u8] {
        self.ssc.get(..self.block()).unwrap_or_default()
    }

    /// Runs one protected step: refuses when closed, closes on any error.
    fn guarded<T>(&mut self, step: impl FnOnce(&mut Core) -> Result<T, Error>) -> Result<T, Error> {
        if !self.open {
            return Err(SmErrorKind::SessionClosed.into());
        }
        let r = step(self);
        if r.is_err() {
            self.open = false;
        }
        r
    }

    /// The one place where the send-sequence counter moves: +1, big-endian.
    fn increment_ssc(&mut self) -> Result<(), Error> {
        let block = self.block();
        for b in self.ssc.iter_mut().take(block).rev() {
            let (next, carry) = b.overflowing_add(1);
            *b = next;
            if !carry {
                return Ok(());
            }
        }
        Err(SmErrorKind::CounterExhausted.into())
    }

    /// Encrypts `buf` (whole blocks) in place with the message's IV.
    fn encrypt_in_place(&self, buf: &mut [u8]) -> Result<(), Error> {
        let (kind, ssc) = (self.kind, self.ssc());
        with_keyed!(&*self.keyed, |enc, _mac| keyed_encrypt(enc, kind, ssc, buf))
    }

    /// Decrypts and unpads the cryptogram of DO'85 or DO'87 (`tag`) and
    /// appends the plain data to `out`. On any error `out` is left as it
    /// was (what had been decrypted into it is zeroized first).
    fn decrypt_into(&self, tag: Tag, cryptogram: &[u8], out: &mut Vec<u8>) -> Result<(), Error> {
        let block = self.block();
        if cryptogram.is_empty() || !cryptogram.len().is_multiple_of(block) {
            return Err(SmErrorKind::ObjectLength { tag }.into());
        }
        let start = out.len();
        out.extend_from_slice(cryptogram);
        let (kind, ssc) = (self.kind, self.ssc());
        let buf = out.get_mut(start..).unwrap_or_default();
        let plain_len = with_keyed!(&*self.keyed, |enc, _mac| keyed_decrypt(
            enc, kind, ssc, tag, buf
        ))
        .and_then(|()| unpad(buf, block).map(<[u8]>::len));
        match plain_len {
            Ok(len) => {
                out.truncate(start.saturating_add(len));
                Ok(())
            }
            Err(e) => {
                buf.zeroize();
                out.truncate(start);
                Err(e)
            }
        }
    }

    /// MAC over `pad(SSC || parts...)`.
    fn mac(&mut self, parts: &[&[u8]]) -> Result<[u8; MAC_LEN], Error> {
        let block = block_len(self.kind);
        let ssc = self.ssc.get(..block).unwrap_or_default();
        with_keyed!(&mut *self.keyed, |_enc, mac| keyed_mac(
            mac, ssc, parts, block
        ))
    }

    fn verify_mac(&mut self, parts: &[&[u8]], cc: &[u8]) -> Result<(), Error> {
        let expected = self.mac(parts)?;
        if bool::from(expected.as_slice().ct_eq(cc)) {
            Ok(())
        } else {
            Err(SmErrorKind::BadMac.into())
        }
    }

    /// Appends the cryptogram object for `data` to `out`: DO'85 for odd INS,
    /// DO'87 (with the padding-content indicator `01`) otherwise. The data
    /// is padded and encrypted in place in `out`.
    fn cryptogram_object(&self, data: &[u8], odd: bool, out: &mut Vec<u8>) -> Result<(), Error> {
        let block = self.block();
        let padded = (data.len() / block)
            .checked_add(1)
            .and_then(|n| n.checked_mul(block))
            .ok_or(SmErrorKind::TooLong)?;
        if odd {
            tlv::write_tag(out, TAG_85);
            tlv::write_length(out, padded);
        } else {
            tlv::write_tag(out, TAG_87);
            tlv::write_length(out, padded.saturating_add(1));
            out.push(0x01);
        }
        let start = out.len();
        out.reserve(padded);
        out.extend_from_slice(data);
        out.extend_from_slice(PADDING.get(..padded - data.len()).unwrap_or_default());
        let buf = out.get_mut(start..).ok_or(SmErrorKind::TooLong)?;
        self.encrypt_in_place(buf)
    }

    /// Decrypts the value of a DO'85 or DO'87 and appends the plain data
    /// to `out` (left unchanged on error).
    fn open_cryptogram_into(&self, obj: &Object<'_>, out: &mut Vec<u8>) -> Result<(), Error> {
        if obj.tag == TAG_87 {
            let (&indicator, c) = obj
                .value
                .split_first()
                .ok_or(SmErrorKind::ObjectLength { tag: TAG_87 })?;
            if indicator != 0x01 {
                return Err(SmErrorKind::PaddingIndicator { found: indicator }.into());
            }
            self.decrypt_into(TAG_87, c, out)
        } else {
            self.decrypt_into(TAG_85, obj.value, out)
        }
    }
}

/// One data object of a protected APDU.
struct Object<'a> {
    tag: Tag,
    /// Where it starts in the APDU's data field.
    offset: usize,
    value: &'a [u8],
}

/// Reads the data object at `pos` of `data`; returns it and where the next
/// one starts. Secure messaging objects have one-byte tags and lengths of
/// at most three bytes: those are read here directly (this runs for every
/// APDU of a session); anything else goes through [`Tlv::parse_prefix_at`]
/// so that malformed input gets the general reader's errors.
#[inline]
fn read_object(data: &[u8], pos: usize) -> Result<(Object<'_>, usize), Error> {
    let rest = data.get(pos..).unwrap_or_default();
    let fast = match rest {
        [t, l, tail @ ..] if t & 0x1F != 0x1F && *l < 0x80 => Some((*t, 2, usize::from(*l), tail)),
        [t, 0x81, l, tail @ ..] if t & 0x1F != 0x1F => Some((*t, 3, usize::from(*l), tail)),
        [t, 0x82, h, l, tail @ ..] if t & 0x1F != 0x1F => {
            Some((*t, 4, usize::from(u16::from_be_bytes([*h, *l])), tail))
        }
        _ => None,
    };
    if let Some((tag, header, len, tail)) = fast
        && let Some(value) = tail.get(..len)
    {
        let next = pos.saturating_add(header).saturating_add(len);
        let tag = Tag::new(u32::from(tag));
        return Ok((
            Object {
                tag,
                offset: pos,
                value,
            },
            next,
        ));
    }
    read_object_general(data, pos)
}

/// [`read_object`] for what its fast path does not take.
#[cold]
#[inline(never)]
fn read_object_general(data: &[u8], pos: usize) -> Result<(Object<'_>, usize), Error> {
    let rest = data.get(pos..).unwrap_or_default();
    let (tlv, after) = Tlv::parse_prefix_at(rest, pos).map_err(|e| match e {
        Error::Tlv { offset, .. } => Error::SecureMessaging(SmErrorKind::Malformed { offset }),
        other => other,
    })?;
    let next = data.len().saturating_sub(after.len());
    Ok((
        Object {
            tag: tlv.tag(),
            offset: pos,
            value: tlv.value(),
        },
        next,
    ))
}

/// The data objects of a protected APDU, split and checked for order.
struct Objects<'a> {
    cryptogram: Option<Object<'a>>,
    /// DO'97 in a command, DO'99 in a response.
    le_or_status: Option<Object<'a>>,
    /// Everything the MAC covers (the bytes before DO'8E).
    covered: &'a [u8],
    cc: &'a [u8],
}

/// Splits `data` into `[85|87] [97|99] 8E`, strictly in that order, with
/// DO'8E last. `middle` is DO'97 for commands and DO'99 for responses.
fn split_objects(data: &[u8], middle: Tag) -> Result<Objects<'_>, Error> {
    let mut objs = Objects {
        cryptogram: None,
        le_or_status: None,
        covered: &[],
        cc: &[],
    };
    let mut rank = 0u8;
    let mut pos = 0;
    while pos < data.len() {
        let (obj, next) = read_object(data, pos)?;
        let unexpected = || {
            Error::SecureMessaging(SmErrorKind::UnexpectedObject {
                tag: obj.tag,
                offset: obj.offset,
            })
        };
        let this_rank = match obj.tag {
            t if t == TAG_85 || t == TAG_87 => 1,
            t if t == middle => 2,
            t if t == TAG_8E => 3,
            _ => return Err(unexpected()),
        };
        if this_rank <= rank {
            return Err(unexpected());
        }
        rank = this_rank;
        match this_rank {
            1 => objs.cryptogram = Some(obj),
            2 => objs.le_or_status = Some(obj),
            _ => {
                if obj.value.len() != MAC_LEN {
                    return Err(SmErrorKind::ObjectLength { tag: TAG_8E }.into());
                }
                objs.covered = data.get(..obj.offset).unwrap_or_default();
                objs.cc = obj.value;
                if next < data.len() {
                    // Nothing may follow DO'8E.
                    let (after, _) = read_object(data, next)?;
                    return Err(SmErrorKind::UnexpectedObject {
                        tag: after.tag,
                        offset: after.offset,
                    }
                    .into());
                }
                return Ok(objs);
            }
        }
        pos = next;
    }
    Err(SmErrorKind::MissingMac.into())
}

// ---- the reader's side -----------------------------------------------------

/// The reader's side of a secure messaging session: protects commands and
/// checks responses. Keys are zeroized on drop and never shown by `Debug`.
pub struct SecureMessaging {
    core: Core,
}

impl SecureMessaging {
    /// A session with `keys` whose send-sequence counter starts at `ssc`
    /// (one block: 8 bytes for 3DES, 16 for AES).
    pub fn new(keys: SessionKeys, ssc: &[u8]) -> Result<SecureMessaging, Error> {
        Ok(SecureMessaging {
            core: Core::new(keys, ssc)?,
        })
    }

    /// The cipher.
    pub fn kind(&self) -> KeyKind {
        self.core.kind()
    }

    /// The current send-sequence counter (the one of the last protected
    /// command or response).
    pub fn send_sequence_counter(&self) -> &[u8] {
        self.core.ssc()
    }

    /// Whether the session still works (no failure so far).
    pub fn is_open(&self) -> bool {
        self.core.open
    }

    /// Protects `command` and returns the bytes to send: CLA gets bits `0C`
    /// (the chaining bit is kept), the data goes encrypted into DO'87 (DO'85
    /// for odd INS), `Ne` into DO'97, the MAC into DO'8E, and `Le` becomes
    /// `00` (`0000` when the command or its protected form needs extended
    /// length).
    ///
    /// A command that cannot be encoded at all is refused without touching
    /// the session; any later failure closes it.
    pub fn wrap(&mut self, command: &CommandApdu) -> Result<Vec<u8>, Error> {
        if !self.core.open {
            return Err(SmErrorKind::SessionClosed.into());
        }
        let plain_encoding = command.encoding()?;
        if command.cla & CLA_SM != 0 {
            return Err(SmErrorKind::AlreadyProtected.into());
        }
        self.core.guarded(|core| {
            core.increment_ssc()?;
            let block = core.block();
            let cla = command.cla | CLA_SM;
            let header = [cla, command.ins, command.p1, command.p2];
            let mut dos = Vec::with_capacity(command.data.len().saturating_add(40));
            if !command.data.is_empty() {
                core.cryptogram_object(&command.data, command.has_odd_ins(), &mut dos)?;
            }
            if let Some(ne) = command.ne {
                let le = ((ne & 0xFFFF) as u16).to_be_bytes();
                let le = if ne <= MAX_SHORT_NE {
                    le.get(1..)
                } else {
                    le.get(..)
                };
                tlv::write(&mut dos, TAG_97, le.unwrap_or_default());
            }
            let header_padding = PADDING.get(..block.saturating_sub(header.len()));
            let cc = core.mac(&[&header, header_padding.unwrap_or_default(), &dos])?;
            tlv::write(&mut dos, TAG_8E, &cc);
            let extended = plain_encoding == LengthEncoding::Extended || dos.len() > MAX_SHORT_DATA;
            let ne = if extended { 65_536 } else { MAX_SHORT_NE };
            let protected = CommandApdu {
                cla,
                ins: command.ins,
                p1: command.p1,
                p2: command.p2,
                data: dos,
                ne: Some(ne),
            };
            protected
                .to_bytes()
                .map_err(|_| SmErrorKind::TooLong.into())
        })
    }

    /// Checks a protected response and returns the plain one: the MAC over
    /// `SSC || DO'87/85 || DO'99` is verified in constant time first, then
    /// the data is decrypted and unpadded; the status word is the one of
    /// DO'99 (and must equal the trailing one).
    pub fn unwrap(&mut self, response: &[u8]) -> Result<ResponseApdu, Error> {
        let mut data = Vec::new();
        let sw = self.unwrap_into(response, &mut data)?;
        Ok(ResponseApdu { data, sw })
    }

    /// As [`SecureMessaging::unwrap`], appending the plain data to `out`
    /// instead of allocating (a reader filling a file buffer, chunk after
    /// chunk) and returning the status word. On error `out` is left as it
    /// was: no partial data.
    pub fn unwrap_into(&mut self, response: &[u8], out: &mut Vec<u8>) -> Result<StatusWord, Error> {
        self.core.guarded(|core| {
            let (data, outer) = match response.split_last_chunk::<2>() {
                Some((data, [sw1, sw2])) => (data, StatusWord::from_bytes(*sw1, *sw2)),
                None => return Err(SmErrorKind::NotAnApdu.into()),
            };
            core.increment_ssc()?;
            if data.is_empty() {
                return Err(SmErrorKind::UnprotectedResponse { sw: outer }.into());
            }
            let objs = split_objects(data, TAG_99)?;
            let status = objs.le_or_status.ok_or(SmErrorKind::MissingStatus)?;
            core.verify_mac(&[objs.covered], objs.cc)?;
            let sw = match status.value {
                [sw1, sw2] => StatusWord::from_bytes(*sw1, *sw2),
                _ => return Err(SmErrorKind::ObjectLength { tag: TAG_99 }.into()),
            };
            if sw != outer {
                return Err(SmErrorKind::StatusMismatch { inner: sw, outer }.into());
            }
            if let Some(obj) = &objs.cryptogram {
                core.open_cryptogram_into(obj, out)?;
            }
            Ok(sw)
        })
    }

    /// Protects `command`, sends it over `transport` and checks the answer.
    /// A link failure closes the session (the counters may now differ).
    pub fn transmit<T: Transport + ?Sized>(
        &mut self,
        transport: &mut T,
        command: &CommandApdu,
    ) -> Result<ResponseApdu, Error> {
        let raw = self.exchange(transport, command)?;
        self.unwrap(&raw)
    }

    /// As [`SecureMessaging::transmit`], appending the answer's plain data
    /// to `out` (left unchanged on error) and returning its status word.
    pub fn transmit_into<T: Transport + ?Sized>(
        &mut self,
        transport: &mut T,
        command: &CommandApdu,
        out: &mut Vec<u8>,
    ) -> Result<StatusWord, Error> {
        let raw = self.exchange(transport, command)?;
        self.unwrap_into(&raw, out)
    }

    /// Protects `command` and sends it; returns the protected answer.
    fn exchange<T: Transport + ?Sized>(
        &mut self,
        transport: &mut T,
        command: &CommandApdu,
    ) -> Result<Vec<u8>, Error> {
        let bytes = self.wrap(command)?;
        if let Err(e) = transport::check_link(&transport.link_info(), &bytes) {
            // Refused without sending, but the counter has moved: the
            // session cannot go on.
            self.core.open = false;
            return Err(e);
        }
        transport.transmit(&bytes).map_err(|e| {
            self.core.open = false;
            e.into()
        })
    }
}

impl fmt::Debug for SecureMessaging {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecureMessaging")
            .field("kind", &self.core.kind())
            .field("open", &self.core.open)
            .field("keys", &"<redacted>")
            .finish()
    }
}

// ---- the card's side -------------------------------------------------------

/// The card's side of a secure messaging session: checks protected commands
/// and protects responses (for the virtual chip and for tests).
pub struct CardSm {
    core: Core,
    last_odd_ins: bool,
}

impl CardSm {
    /// A session with `keys` whose counter starts at `ssc`.
    pub fn new(keys: SessionKeys, ssc: &[u8]) -> Result<CardSm, Error> {
        Ok(CardSm {
            core: Core::new(keys, ssc)?,
            last_odd_ins: false,
        })
    }

    /// Whether the session still works.
    pub fn is_open(&self) -> bool {
        self.core.open
    }

    /// The current send-sequence counter.
    pub fn send_sequence_counter(&self) -> &[u8] {
        self.core.ssc()
    }

    /// Checks a protected command and returns the plain one (CLA without
    /// bits `0C`, data decrypted, `Ne` from DO'97). On error the session is
    /// closed; [`SmErrorKind::card_status`] says what to answer.
    pub fn unwrap_command(&mut self, bytes: &[u8]) -> Result<CommandApdu, Error> {
        let odd = &mut self.last_odd_ins;
        self.core.guarded(|core| {
            let cmd = CommandApdu::parse(bytes).map_err(|_| SmErrorKind::NotAnApdu)?;
            core.increment_ssc()?;
            if cmd.cla & CLA_SM != CLA_SM || cmd.data.is_empty() {
                return Err(SmErrorKind::UnprotectedCommand.into());
            }
            *odd = cmd.has_odd_ins();
            let objs = split_objects(&cmd.data, TAG_97)?;
            let header = cmd.header();
            let header_padding = PADDING.get(..core.block().saturating_sub(header.len()));
            core.verify_mac(
                &[&header, header_padding.unwrap_or_default(), objs.covered],
                objs.cc,
            )?;
            let ne = match objs.le_or_status.map(|o| o.value) {
                None => None,
                Some([0]) => Some(MAX_SHORT_NE),
                Some([b]) => Some(u32::from(*b)),
                Some([0, 0]) => Some(65_536),
                Some([hi, lo]) => Some(u32::from(u16::from_be_bytes([*hi, *lo]))),
                Some(_) => return Err(SmErrorKind::ObjectLength { tag: TAG_97 }.into()),
            };
            let mut data = Vec::new();
            if let Some(obj) = &objs.cryptogram {
                core.open_cryptogram_into(obj, &mut data)?;
            }
            Ok(CommandApdu {
                cla: cmd.cla & !CLA_SM,
                ins: cmd.ins,
                p1: cmd.p1,
                p2: cmd.p2,
                data,
                ne,
            })
        })
    }

    /// Protects a response: DO'87 (DO'85 when the last command had odd INS)
    /// with the encrypted data, DO'99 with the status word, DO'8E with the
    /// MAC, then the status word again.
    pub fn wrap_response(&mut self, response: &ResponseApdu) -> Result<Vec<u8>, Error> {
        let odd = self.last_odd_ins;
        self.core.guarded(|core| {
            core.increment_ssc()?;
            let mut dos = Vec::with_capacity(response.data.len().saturating_add(40));
            if !response.data.is_empty() {
                core.cryptogram_object(&response.data, odd, &mut dos)?;
            }
            tlv::write(&mut dos, TAG_99, &response.sw.to_bytes());
            let cc = core.mac(&[&dos])?;
            tlv::write(&mut dos, TAG_8E, &cc);
            dos.extend_from_slice(&response.sw.to_bytes());
            Ok(dos)
        })
    }
}

impl fmt::Debug for CardSm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardSm")
            .field("kind", &self.core.kind())
            .field("open", &self.core.open)
            .field("keys", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding() {
        assert_eq!(pad(&[1, 2, 3], 8), [1, 2, 3, 0x80, 0, 0, 0, 0]);
        assert_eq!(pad(&[0; 8], 8).len(), 16);
        assert_eq!(pad(&[], 16), [&[0x80u8][..], &[0u8; 15][..]].concat());
        assert_eq!(unpad(&[1, 2, 3, 0x80, 0, 0, 0, 0], 8).unwrap(), [1, 2, 3]);
        assert_eq!(unpad(&[0x80, 0, 0, 0, 0, 0, 0, 0], 8).unwrap(), [0u8; 0]);
        for bad in [
            &[1, 2, 3, 0x81, 0, 0, 0, 0][..],
            &[0; 8],
            &[],
            &[1, 0x80, 0, 0, 0, 0, 0, 0, 0, 0][..],
        ] {
            assert_eq!(
                unpad(bad, 8),
                Err(Error::SecureMessaging(SmErrorKind::BadPadding)),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn counter_wraps_into_an_error() {
        let keys = SessionKeys::new(KeyKind::Tdes, &[1; 16], &[2; 16]).unwrap();
        let mut sm = SecureMessaging::new(keys, &[0xFF; 8]).unwrap();
        assert_eq!(
            sm.wrap(&CommandApdu::get_challenge()),
            Err(Error::SecureMessaging(SmErrorKind::CounterExhausted))
        );
        assert!(!sm.is_open());
        assert_eq!(
            sm.wrap(&CommandApdu::get_challenge()),
            Err(Error::SecureMessaging(SmErrorKind::SessionClosed))
        );
    }

    #[test]
    fn construction_errors() {
        assert_eq!(
            SessionKeys::new(KeyKind::Aes256, &[0; 16], &[0; 32]).unwrap_err(),
            Error::SecureMessaging(SmErrorKind::KeyLength {
                kind: KeyKind::Aes256,
                len: 16
            })
        );
        let keys = SessionKeys::new(KeyKind::Aes128, &[0; 16], &[0; 16]).unwrap();
        assert_eq!(
            SecureMessaging::new(keys, &[0; 8]).unwrap_err(),
            Error::SecureMessaging(SmErrorKind::SscLength { len: 8, block: 16 })
        );
    }

    #[test]
    fn debug_is_redacted() {
        let keys = SessionKeys::new(KeyKind::Aes128, &[0xAB; 16], &[0xCD; 16]).unwrap();
        let s = format!("{keys:?}");
        assert!(
            !s.contains("171") && !s.contains("AB") && !s.contains("ab"),
            "{s}"
        );
        let sm = SecureMessaging::new(keys, &[0; 16]).unwrap();
        let s = format!("{sm:?}");
        assert!(
            s.contains("redacted") && !s.contains("171") && !s.contains("205"),
            "{s}"
        );
        let card = CardSm::new(
            SessionKeys::new(KeyKind::Tdes, &[0xAB; 16], &[0xCD; 16]).unwrap(),
            &[0; 8],
        )
        .unwrap();
        assert!(format!("{card:?}").contains("redacted"));
    }
}
