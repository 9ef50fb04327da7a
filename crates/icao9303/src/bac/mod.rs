//! Basic Access Control (Doc 9303 Part 11 §4.3 and Appendix D): the
//! document basic access keys from the MRZ, the mutual authentication of
//! reader and chip, and the 3DES secure messaging session it opens.
//!
//! The protocol is a sans-IO state machine: [`Bac`] builds GET CHALLENGE,
//! [`Bac::on_challenge`] takes the chip's answer and the reader's random
//! `RND.IFD` and `K.IFD` (randomness is a parameter) and builds the
//! MUTUAL AUTHENTICATE command, [`BacChallenged::on_response`] checks the
//! chip's answer (MAC first, then the echo of `RND.IFD`) and returns the
//! [`SecureMessaging`] session. [`authenticate`] drives it over a
//! [`Transport`]. Its two states are public types, each named for the
//! answer it waits for and with one method taking it, so vectors can feed
//! them fixed random values; the chip's side, [`CardBac`], is in
//! `card.rs`.
//!
//! ```
//! use icao9303::apdu::ResponseApdu;
//! use icao9303::bac::Bac;
//! use icao9303::mrz::MrzKey;
//!
//! // Doc 9303 Part 11 D.3.
//! let key = MrzKey::new("L898902C<", "690806", "940623")?;
//! let bac = Bac::new(&key);
//! assert_eq!(bac.get_challenge().to_bytes()?, [0x00, 0x84, 0x00, 0x00, 0x08]);
//! let challenge = ResponseApdu::parse(&[0x46, 0x08, 0xF9, 0x19, 0x88, 0x70, 0x22, 0x12, 0x90, 0x00])?;
//! let rnd_ifd = [0x78, 0x17, 0x23, 0x86, 0x0C, 0x06, 0xC2, 0x26];
//! let k_ifd = [
//!     0x0B, 0x79, 0x52, 0x40, 0xCB, 0x70, 0x49, 0xB0, 0x1C, 0x19, 0xB3, 0x3E, 0x32, 0x80, 0x4F, 0x0B,
//! ];
//! let (_waiting, command) = bac.on_challenge(&challenge, &rnd_ifd, &k_ifd)?;
//! assert_eq!(command.to_bytes()?.len(), 5 + 40 + 1);
//! # Ok::<(), icao9303::Error>(())
//! ```

use rand_core::TryCryptoRng;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::Error;
use crate::apdu::{CommandApdu, ResponseApdu, StatusWord};
use crate::kdf::KeyKind;
use crate::mrz::MrzKey;
use crate::sm::{self, SecureMessaging, SessionKeys};
use crate::transport::{self, Transport};

mod card;

pub use card::CardBac;

/// Length of `RND.IFD` and `RND.IC`.
pub const RND_LEN: usize = 8;
/// Length of the key material `K.IFD` and `K.IC`.
pub const K_LEN: usize = 16;
const CRYPTOGRAM_LEN: usize = 2 * RND_LEN + K_LEN;
const RESPONSE_LEN: usize = CRYPTOGRAM_LEN + sm::MAC_LEN;

/// Why BAC failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum BacErrorKind {
    /// GET CHALLENGE returned other than 8 bytes.
    #[error("the challenge is {len} bytes, not 8")]
    ChallengeLength {
        /// The length received.
        len: usize,
    },
    /// MUTUAL AUTHENTICATE returned other than 40 bytes.
    #[error("the chip's cryptogram is {len} bytes, not 40")]
    ResponseLength {
        /// The length received.
        len: usize,
    },
    /// The MAC over the chip's cryptogram is wrong (wrong MRZ key, or
    /// tampering).
    #[error("the chip's MAC is wrong")]
    BadMac,
    /// The chip's cryptogram does not echo `RND.IFD`.
    #[error("the chip did not echo RND.IFD")]
    WrongRndIfd,
    /// The chip's cryptogram does not carry the challenge `RND.IC` it gave
    /// (on the card's side: the reader's cryptogram does not carry it).
    #[error("the cryptogram does not carry the chip's challenge")]
    WrongRndIc,
    /// Card side: MUTUAL AUTHENTICATE without a fresh GET CHALLENGE.
    #[error("no challenge was issued")]
    NoChallenge,
    /// Card side: the reader's cryptogram is not 40 bytes.
    #[error("the reader's cryptogram is {len} bytes, not 40")]
    CommandLength {
        /// The length received.
        len: usize,
    },
}

impl BacErrorKind {
    /// The status word a chip answers when it refuses MUTUAL AUTHENTICATE
    /// for this reason: `6985` without a challenge, `6700` for a wrong
    /// length, `6300` when the cryptogram does not verify.
    pub fn card_status(self) -> StatusWord {
        match self {
            BacErrorKind::NoChallenge => StatusWord::CONDITIONS_NOT_SATISFIED,
            BacErrorKind::CommandLength { .. }
            | BacErrorKind::ChallengeLength { .. }
            | BacErrorKind::ResponseLength { .. } => StatusWord::WRONG_LENGTH,
            BacErrorKind::BadMac | BacErrorKind::WrongRndIfd | BacErrorKind::WrongRndIc => {
                StatusWord::VERIFICATION_FAILED
            }
        }
    }
}

impl From<BacErrorKind> for Error {
    fn from(kind: BacErrorKind) -> Error {
        Error::Bac(kind)
    }
}

/// The document basic access keys `Kenc` and `Kmac` (Doc 9303 Part 11
/// §9.7.2): `KDF(Kseed, 1)` and `KDF(Kseed, 2)` with `Kseed` the first 16
/// bytes of SHA-1 of the MRZ information.
pub fn document_keys(key: &MrzKey) -> SessionKeys {
    SessionKeys::derive(KeyKind::Tdes, key.key_seed().as_slice())
}

/// The session keys `KSenc`, `KSmac` from `K.IFD` and `K.IC`: the KDF of
/// `K.IFD xor K.IC`.
pub fn session_keys(k_ifd: &[u8; K_LEN], k_ic: &[u8; K_LEN]) -> SessionKeys {
    let mut seed = Zeroizing::new([0u8; K_LEN]);
    for ((s, a), b) in seed.iter_mut().zip(k_ifd).zip(k_ic) {
        *s = a ^ b;
    }
    SessionKeys::derive(KeyKind::Tdes, seed.as_slice())
}

/// The initial send-sequence counter: the last 4 bytes of `RND.IC`, then
/// the last 4 bytes of `RND.IFD`.
pub fn initial_ssc(rnd_ic: &[u8; RND_LEN], rnd_ifd: &[u8; RND_LEN]) -> [u8; RND_LEN] {
    let mut ssc = [0u8; RND_LEN];
    let (hi, lo) = ssc.split_at_mut(4);
    hi.copy_from_slice(rnd_ic.last_chunk::<4>().unwrap_or(&[0; 4]));
    lo.copy_from_slice(rnd_ifd.last_chunk::<4>().unwrap_or(&[0; 4]));
    ssc
}

/// BAC before the challenge: holds the document basic access keys.
#[derive(Debug)]
pub struct Bac {
    keys: SessionKeys,
}

impl Bac {
    /// BAC with the keys derived from the MRZ information.
    pub fn new(key: &MrzKey) -> Bac {
        Bac {
            keys: document_keys(key),
        }
    }

    /// BAC with given document basic access keys (3DES).
    pub fn with_keys(keys: SessionKeys) -> Result<Bac, Error> {
        if keys.kind() != KeyKind::Tdes {
            return Err(sm::SmErrorKind::KeyLength {
                kind: keys.kind(),
                len: keys.enc().len(),
            }
            .into());
        }
        Ok(Bac { keys })
    }

    /// The document basic access keys.
    pub fn keys(&self) -> &SessionKeys {
        &self.keys
    }

    /// The first command: GET CHALLENGE (`00 84 00 00 08`).
    pub fn get_challenge(&self) -> CommandApdu {
        CommandApdu::get_challenge()
    }

    /// Takes the chip's answer to GET CHALLENGE and the reader's random
    /// `RND.IFD` and `K.IFD`, and returns the MUTUAL AUTHENTICATE command
    /// (`E.IFD || M.IFD`, `Le` = 40) with the state that checks its answer.
    pub fn on_challenge(
        self,
        response: &ResponseApdu,
        rnd_ifd: &[u8; RND_LEN],
        k_ifd: &[u8; K_LEN],
    ) -> Result<(BacChallenged, CommandApdu), Error> {
        if !response.sw.is_success() {
            return Err(Error::StatusWord {
                command: "GET CHALLENGE",
                sw: response.sw,
            });
        }
        let rnd_ic: [u8; RND_LEN] =
            response
                .data
                .as_slice()
                .try_into()
                .map_err(|_| BacErrorKind::ChallengeLength {
                    len: response.data.len(),
                })?;
        // S = RND.IFD || RND.IC || K.IFD, E.IFD = 3DES(Kenc, S), M.IFD = MAC(Kmac, pad(E.IFD)).
        let mut s = Zeroizing::new(Vec::with_capacity(CRYPTOGRAM_LEN));
        s.extend_from_slice(rnd_ifd);
        s.extend_from_slice(&rnd_ic);
        s.extend_from_slice(k_ifd);
        sm::encrypt_cbc(KeyKind::Tdes, self.keys.enc(), &[0; 8], &mut s)?;
        let m = sm::mac(KeyKind::Tdes, self.keys.mac(), &sm::pad(&s, 8))?;
        let mut data = Vec::with_capacity(RESPONSE_LEN);
        data.extend_from_slice(&s);
        data.extend_from_slice(&m);
        let command = CommandApdu::mutual_authenticate(data, RESPONSE_LEN as u32);
        let next = BacChallenged {
            keys: self.keys,
            rnd_ic,
            rnd_ifd: Zeroizing::new(*rnd_ifd),
            k_ifd: Zeroizing::new(*k_ifd),
        };
        Ok((next, command))
    }
}

/// BAC after MUTUAL AUTHENTICATE was built: waits for the chip's answer.
pub struct BacChallenged {
    keys: SessionKeys,
    rnd_ic: [u8; RND_LEN],
    rnd_ifd: Zeroizing<[u8; RND_LEN]>,
    k_ifd: Zeroizing<[u8; K_LEN]>,
}

impl core::fmt::Debug for BacChallenged {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("BacChallenged")
            .field("secrets", &"<redacted>")
            .finish()
    }
}

impl BacChallenged {
    /// Checks the chip's answer to MUTUAL AUTHENTICATE: status 9000, 40
    /// bytes, the MAC `M.IC` (in constant time, before decrypting), then
    /// the echo of `RND.IFD` and the chip's own `RND.IC`; derives the session
    /// keys from `K.IFD xor K.IC` and the counter from the two challenges.
    pub fn on_response(self, response: &ResponseApdu) -> Result<SecureMessaging, Error> {
        if !response.sw.is_success() {
            return Err(Error::StatusWord {
                command: "MUTUAL AUTHENTICATE",
                sw: response.sw,
            });
        }
        let data: &[u8; RESPONSE_LEN] =
            response
                .data
                .as_slice()
                .try_into()
                .map_err(|_| BacErrorKind::ResponseLength {
                    len: response.data.len(),
                })?;
        let (e_ic, m_ic) = data.split_at(CRYPTOGRAM_LEN);
        let expected = sm::mac(KeyKind::Tdes, self.keys.mac(), &sm::pad(e_ic, 8))?;
        if !bool::from(expected.as_slice().ct_eq(m_ic)) {
            return Err(BacErrorKind::BadMac.into());
        }
        // R = RND.IC || RND.IFD || K.IC.
        let mut r = Zeroizing::new([0u8; CRYPTOGRAM_LEN]);
        r.copy_from_slice(e_ic);
        sm::decrypt_cbc(KeyKind::Tdes, self.keys.enc(), &[0; 8], r.as_mut_slice())?;
        let (rnd_ic, rest) = r.split_at(RND_LEN);
        let (rnd_ifd, k_ic) = rest.split_at(RND_LEN);
        if !bool::from(rnd_ifd.ct_eq(self.rnd_ifd.as_slice())) {
            return Err(BacErrorKind::WrongRndIfd.into());
        }
        if !bool::from(rnd_ic.ct_eq(&self.rnd_ic)) {
            return Err(BacErrorKind::WrongRndIc.into());
        }
        let mut k = Zeroizing::new([0u8; K_LEN]);
        k.copy_from_slice(k_ic);
        let keys = session_keys(&self.k_ifd, &k);
        SecureMessaging::new(keys, &initial_ssc(&self.rnd_ic, &self.rnd_ifd))
    }
}

/// Runs BAC over `transport`: GET CHALLENGE, MUTUAL AUTHENTICATE with
/// `RND.IFD` and `K.IFD` drawn from `rng`, and returns the secure messaging
/// session.
pub fn authenticate<T, R>(
    transport: &mut T,
    key: &MrzKey,
    rng: &mut R,
) -> Result<SecureMessaging, Error>
where
    T: Transport + ?Sized,
    R: TryCryptoRng + ?Sized,
{
    let bac = Bac::new(key);
    let challenge = transport::exchange(transport, &bac.get_challenge())?;
    let mut rnd_ifd = Zeroizing::new([0u8; RND_LEN]);
    let mut k_ifd = Zeroizing::new([0u8; K_LEN]);
    crate::fill_random(rng, rnd_ifd.as_mut_slice())?;
    crate::fill_random(rng, k_ifd.as_mut_slice())?;
    let (waiting, command) = bac.on_challenge(&challenge, &rnd_ifd, &k_ifd)?;
    let answer = transport::exchange(transport, &command)?;
    waiting.on_response(&answer)
}
