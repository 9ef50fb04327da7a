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
//! Where each step lives:
//! - `cipher.rs`: the cipher suites (3DES with the retail MAC, AES with
//!   CMAC): padding, CBC, MAC, [`SessionKeys`], and the session's keyed
//!   cipher and MAC;
//! - `session.rs`: what both sides share: the send-sequence counter (one
//!   place increments it), the MAC over the counter, the cryptogram;
//! - `objects.rs`: the data objects of a protected APDU (DO'85/87, DO'97,
//!   DO'99, DO'8E) and their order;
//! - `reader.rs`: [`SecureMessaging`], the reader's side (wraps commands,
//!   unwraps responses);
//! - `card.rs`: [`CardSm`], the card's side (unwraps commands, wraps
//!   responses), for the virtual chip and tests.
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
use crate::Error;
use crate::apdu::StatusWord;
use crate::kdf::KeyKind;
use crate::tlv::Tag;

// `cipher` first: its `with_keyed!` serves `session`.
#[macro_use]
mod cipher;
mod card;
mod objects;
mod reader;
mod session;
#[cfg(test)]
mod tests;

pub use card::CardSm;
pub use cipher::{SessionKeys, block_len, decrypt_cbc, encrypt_cbc, mac, pad, unpad};
pub use reader::SecureMessaging;

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
