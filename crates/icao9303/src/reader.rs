//! The high-level reading flow: open the chip, authenticate, read every
//! file with as few APDUs as the chip allows, and return a [`Document`].
//!
//! 1. Probe EF.CardAccess (READ BINARY with its short file identifier in
//!    the master file, where the chip starts); `6D00`, `6982`, `6A82` (and
//!    the other refusals of chips without it) mean "no PACE".
//! 2. PACE when EF.CardAccess offers a variant this crate implements and a
//!    password is at hand, then SELECT the LDS1 application under secure
//!    messaging. With Chip Authentication Mapping, EF.CardSecurity is read
//!    first, still in the master file, and the chip's authentication data
//!    checked against its key ([`ReaderErrorKind::ChipAuthenticationMapping`]
//!    when it fails: no fallback to BAC); then every SecurityInfo of the
//!    unsigned EF.CardAccess, the PACEInfo used above all, must be among
//!    EF.CardSecurity's (DER encodings compared, in any order), or the
//!    read fails with [`ReaderErrorKind::CardAccessMismatch`] (a downgrade
//!    through a rewritten EF.CardAccess). Otherwise (or when PACE fails and
//!    the MRZ is known): SELECT the application and BAC.
//! 3. EF.COM, EF.SOD, then every data group either lists (DG3/DG4 refused
//!    with `6982` are skipped: they need Terminal Authentication).
//!
//! Each file is read with READ BINARY by short file identifier first (no
//! SELECT), the length is learnt from its first bytes, and the rest comes
//! in the largest chunks the link and the chip take: the chunk is the
//! most file bytes a protected answer of the link's maximum length
//! carries (extended length when the link has it); a `6700` or `6Cxx`
//! steps it down, an answer shorter than asked adopts its length, and the
//! chunk found holds for the rest of the session. Offsets past 32767 use
//! READ BINARY with odd INS (`B1`).
//!
//! A progress callback sees `(file, bytes read, total)` after every
//! chunk; [`ReadStats`] counts APDUs and bytes each way, per file.

use core::fmt;

use rand_core::CryptoRng;
use zeroize::Zeroizing;

use crate::Error;
use crate::apdu::{AID_LDS1, CommandApdu, ResponseApdu, StatusWord};
use crate::lds::{CardAccess, DataGroup, File, FileKind, SecurityInfo};
use crate::mrz::MrzKey;
use crate::pace::{self, DomainParameters, PacePassword, PaceProtocol, PasswordKind};
use crate::sm::{self, SecureMessaging};
use crate::transport::{self, LinkInfo, Transport, TransportError};

/// Why reading failed, beyond the errors of the protocols themselves.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReaderErrorKind {
    /// The chip refused the access key (`6300` on BAC's MUTUAL
    /// AUTHENTICATE or PACE's token): a wrong MRZ or CAN.
    #[error("the chip refused the {method} key (wrong MRZ or CAN?)")]
    AccessDenied {
        /// `"BAC"` or `"PACE"`.
        method: &'static str,
    },
    /// A CAN was given, but the chip offers no PACE this crate implements.
    #[error("a CAN needs PACE, and the chip offers no PACE variant this reader implements")]
    PaceUnavailable,
    /// The chip is not an eMRTD: SELECT of the LDS1 application failed.
    #[error("SELECT of the eMRTD application answered {sw}")]
    NoApplication {
        /// The status word.
        sw: StatusWord,
    },
    /// A file ended before the length its header gives.
    #[error("{file} ends at {got} bytes, its header says {expected}")]
    Truncated {
        /// The file.
        file: &'static str,
        /// The length the header gives.
        expected: usize,
        /// Bytes read.
        got: usize,
    },
    /// The chip refused every chunk size down to one byte.
    #[error("the chip refused READ BINARY of any length ({sw})")]
    NoChunkSize {
        /// The last status word.
        sw: StatusWord,
    },
    /// PACE with Chip Authentication Mapping ran, but the chip did not
    /// prove it holds the private key of EF.CardSecurity's
    /// ChipAuthenticationPublicKeyInfo (its authentication data does not
    /// decrypt or does not match, or EF.CardSecurity lacks a usable key):
    /// the chip may be a clone.
    #[error("PACE-CAM: {failure}")]
    ChipAuthenticationMapping {
        /// What failed.
        #[source]
        failure: CamFailure,
    },
    /// EF.CardAccess (read in the clear, unsigned) lists a SecurityInfo
    /// that EF.CardSecurity (signed by the Document Signer) does not
    /// repeat, though Doc 9303 Part 11 §9.2 has EF.CardSecurity hold every
    /// SecurityInfo of EF.CardAccess: EF.CardAccess was altered, e.g. to
    /// steer the reader to a weaker PACE variant. Checked after PACE with
    /// Chip Authentication Mapping, when EF.CardSecurity is read.
    #[error("EF.CardAccess does not match EF.CardSecurity: {mismatch}")]
    CardAccessMismatch {
        /// What does not match.
        #[source]
        mismatch: AccessMismatch,
    },
}

/// Why PACE with Chip Authentication Mapping did not prove the chip.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CamFailure {
    /// The chip's authentication data (DO'8A) is missing or does not
    /// decrypt.
    #[error("the chip authentication data (DO'8A) is missing or does not decrypt")]
    NoAuthenticationData,
    /// The chip has no EF.CardSecurity it lets the reader read.
    #[error("the chip has no readable EF.CardSecurity")]
    NoCardSecurity,
    /// EF.CardSecurity does not decode.
    #[error("EF.CardSecurity: {0}")]
    CardSecurity(#[source] Box<Error>),
    /// EF.CardSecurity has no Chip Authentication key on the PACE curve.
    #[error("EF.CardSecurity has no Chip Authentication key on {parameters:?}")]
    NoKey {
        /// The curve PACE ran on.
        parameters: DomainParameters,
    },
    /// `CA_IC * PK_IC` is not the chip's mapping key: the chip does not
    /// hold EF.CardSecurity's private key.
    #[error(
        "the chip's authentication data does not match EF.CardSecurity's key on {parameters:?} (a clone?)"
    )]
    KeyMismatch {
        /// The curve PACE ran on.
        parameters: DomainParameters,
    },
}

/// How EF.CardAccess differs from EF.CardSecurity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccessMismatch {
    /// PACE ran without EF.CardAccess.
    #[error("PACE ran without EF.CardAccess")]
    NoCardAccess,
    /// EF.CardAccess does not decode.
    #[error("EF.CardAccess: {0}")]
    CardAccess(#[source] Box<Error>),
    /// SecurityInfos of EF.CardAccess that EF.CardSecurity does not
    /// repeat, the PACEInfo used for PACE first.
    #[error(
        "{} not among EF.CardSecurity's signed SecurityInfos ({} of EF.CardAccess's {total}): EF.CardAccess was altered",
        MissingInfos(missing),
        missing.len()
    )]
    Missing {
        /// The SecurityInfos missing.
        missing: Vec<MissingSecurityInfo>,
        /// How many SecurityInfos EF.CardAccess holds.
        total: usize,
    },
}

/// A SecurityInfo of EF.CardAccess that EF.CardSecurity lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingSecurityInfo {
    /// Its place in EF.CardAccess, from 1.
    pub number: usize,
    /// Its protocol OID.
    pub protocol: der::asn1::ObjectIdentifier,
    /// A PACEInfo: `Some(parameterId)` (itself optional); otherwise `None`.
    pub pace: Option<Option<u64>>,
    /// Whether it is the PACEInfo PACE ran with.
    pub used: bool,
}

impl core::fmt::Display for MissingSecurityInfo {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let (number, protocol) = (self.number, &self.protocol);
        match self.pace {
            Some(parameter_id) => {
                let role = if self.used {
                    "the PACEInfo used for PACE"
                } else {
                    "PACEInfo"
                };
                write!(f, "{role} (#{number}: {protocol}")?;
                if let Some(p) = parameter_id {
                    write!(f, ", parameter {p}")?;
                }
                f.write_str(")")
            }
            None => write!(f, "SecurityInfo #{number} ({protocol})"),
        }
    }
}

/// The list of missing SecurityInfos, comma separated.
struct MissingInfos<'a>(&'a [MissingSecurityInfo]);

impl core::fmt::Display for MissingInfos<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for (i, m) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{m}")?;
        }
        Ok(())
    }
}

impl From<ReaderErrorKind> for Error {
    fn from(kind: ReaderErrorKind) -> Error {
        Error::Reader(kind)
    }
}

/// What opens the chip.
pub enum Credential {
    /// The MRZ information (BAC, or PACE with the MRZ password).
    Mrz(MrzKey),
    /// The Card Access Number printed on the document (PACE only).
    Can(Zeroizing<String>),
}

impl Credential {
    /// A CAN.
    pub fn can(can: &str) -> Credential {
        Credential::Can(Zeroizing::new(can.to_owned()))
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Mrz(_) => f.write_str("Credential::Mrz(<redacted>)"),
            Credential::Can(_) => f.write_str("Credential::Can(<redacted>)"),
        }
    }
}

/// How to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderOptions {
    /// Try PACE when EF.CardAccess offers it (else BAC only).
    pub pace: bool,
    /// Read with READ BINARY by short file identifier (no SELECT); when
    /// false, or when the chip refuses it, SELECT each file first.
    pub short_file_ids: bool,
    /// A fixed chunk of file bytes per READ BINARY (e.g. 160 or 223, as
    /// many readers use), instead of the largest the link allows.
    pub fixed_chunk: Option<usize>,
    /// Data groups to read; `None`: every one EF.COM or EF.SOD lists.
    pub data_groups: Option<Vec<DataGroup>>,
    /// After reading, run Chip Authentication with DG14's key (when DG14
    /// offers one) and switch to its session keys. Skipped after PACE with
    /// Chip Authentication Mapping, which authenticated the chip already.
    pub chip_authentication: bool,
    /// After reading, run Active Authentication with DG15's key (when
    /// DG15 was read). Needs feature `pa`; ignored without it.
    pub active_authentication: bool,
}

impl Default for ReaderOptions {
    fn default() -> ReaderOptions {
        ReaderOptions {
            pace: true,
            short_file_ids: true,
            fixed_chunk: None,
            data_groups: None,
            chip_authentication: false,
            active_authentication: false,
        }
    }
}

/// The access control that opened the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "method", rename_all = "snake_case"))]
pub enum AccessControl {
    /// Basic Access Control.
    Bac,
    /// PACE.
    Pace {
        /// Mapping and cipher.
        protocol: PaceProtocol,
        /// The curve.
        parameters: DomainParameters,
        /// The password used.
        password: PasswordKind,
    },
}

impl AccessControl {
    /// `"BAC"` or `"PACE"`.
    pub fn name(&self) -> &'static str {
        match self {
            AccessControl::Bac => "BAC",
            AccessControl::Pace { .. } => "PACE",
        }
    }
}

/// APDUs and bytes of one part of the session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LinkCounts {
    /// Command APDUs sent.
    pub apdus: u64,
    /// Bytes sent (commands, as on the wire).
    pub bytes_sent: u64,
    /// Bytes received (responses, as on the wire).
    pub bytes_received: u64,
}

impl LinkCounts {
    fn add(&mut self, sent: usize, received: usize) {
        self.apdus = self.apdus.saturating_add(1);
        self.bytes_sent = self.bytes_sent.saturating_add(sent as u64);
        self.bytes_received = self.bytes_received.saturating_add(received as u64);
    }

    fn merge(&mut self, other: &LinkCounts) {
        self.apdus = self.apdus.saturating_add(other.apdus);
        self.bytes_sent = self.bytes_sent.saturating_add(other.bytes_sent);
        self.bytes_received = self.bytes_received.saturating_add(other.bytes_received);
    }
}

/// The counts of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FileCounts {
    /// The file, e.g. `"DG2"`.
    pub file: &'static str,
    /// Its length in bytes (0 when it could not be read).
    pub size: usize,
    /// The APDUs and bytes spent on it.
    pub counts: LinkCounts,
}

/// APDUs and bytes each way: opening (select, EF.CardAccess probe,
/// authentication), each file, and the total.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ReadStats {
    /// Selecting the application, probing EF.CardAccess, authenticating.
    pub open: LinkCounts,
    /// Each file read, in order.
    pub files: Vec<FileCounts>,
    /// Chip and Active Authentication, when done.
    pub authentication: LinkCounts,
    /// Everything.
    pub total: LinkCounts,
    /// The chunk of file bytes per READ BINARY used in the end.
    pub chunk: usize,
    /// Every exchange in order: `(command bytes, response bytes)`, for a
    /// link model ([`crate::link_model`]).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub exchanges: Vec<(u32, u32)>,
}

/// Everything read from a chip: each file's raw bytes, in reading order,
/// and parsed views on demand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The access control used.
    pub access_control: AccessControl,
    /// EF.CardAccess, when the chip has one.
    pub card_access: Option<Vec<u8>>,
    /// EF.CardSecurity, raw, when PACE ran with Chip Authentication
    /// Mapping (read to check it).
    pub card_security: Option<Vec<u8>>,
    /// EF.COM, EF.SOD and the data groups, raw, in reading order.
    pub files: Vec<(FileKind, Vec<u8>)>,
    /// Data groups listed but refused by the chip (DG3/DG4 need Terminal
    /// Authentication).
    pub refused: Vec<DataGroup>,
    /// Chip Authentication's outcome: PACE-CAM's when PACE ran with Chip
    /// Authentication Mapping (always passed: a failure fails the read),
    /// else Chip Authentication with DG14's key, when asked for and DG14
    /// offers it.
    pub chip_authentication: Option<AuthOutcome>,
    /// Whether every SecurityInfo of EF.CardAccess (the PACEInfo used
    /// among them) was found in EF.CardSecurity's: checked after PACE
    /// with Chip Authentication Mapping, where a mismatch fails the read
    /// ([`ReaderErrorKind::CardAccessMismatch`]), so `true` then; `false`
    /// when not checked (BAC, PACE without CAM: no EF.CardSecurity read).
    /// EF.CardSecurity is authentic only once passive authentication of
    /// it passes (`pa::verify_card_security`, feature `pa`).
    pub card_access_verified: bool,
    /// Active Authentication's outcome, when asked for and DG15 was read.
    pub active_authentication: Option<AuthOutcome>,
    /// APDU and byte counts.
    pub stats: ReadStats,
}

pub use crate::verdict::{AuthOutcome, AuthProtocol};

impl Document {
    /// The raw bytes of a file.
    pub fn raw(&self, kind: FileKind) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, b)| b.as_slice())
    }

    /// A file parsed (views borrow from the document).
    pub fn parsed(&self, kind: FileKind) -> Option<Result<File<'_>, Error>> {
        self.raw(kind).map(File::parse)
    }

    /// The data groups read, with their bytes (for passive authentication).
    pub fn data_groups(&self) -> Vec<(DataGroup, &[u8])> {
        self.files
            .iter()
            .filter_map(|(k, b)| match k {
                FileKind::Dg(dg) => Some((*dg, b.as_slice())),
                _ => None,
            })
            .collect()
    }
}

/// The length of a protected response carrying `d` plain bytes (DO'87
/// with its padding indicator, DO'99, DO'8E and the status word) for a
/// cipher of block length `block`.
pub fn protected_response_len(d: usize, block: usize) -> usize {
    let mut total: usize = 4 + 10 + 2;
    if d > 0 && block > 0 {
        let c = (d / block).saturating_add(1).saturating_mul(block);
        total = total
            .saturating_add(2)
            .saturating_add(ber_len_len(c.saturating_add(1)))
            .saturating_add(c);
    }
    total
}

/// Tag and length bytes of a DO'53 of `n` bytes.
fn ber_header(n: usize) -> u32 {
    u32::try_from(ber_len_len(n)).unwrap_or(4).saturating_add(1)
}

fn ber_len_len(n: usize) -> usize {
    match n {
        0..=127 => 1,
        128..=255 => 2,
        256..=65_535 => 3,
        _ => 4,
    }
}

/// The most file bytes one READ BINARY answer carries over `link` under
/// secure messaging with blocks of `block` bytes (3DES 8, AES 16); `None`
/// for no secure messaging.
pub fn max_chunk(link: &LinkInfo, block: Option<usize>) -> usize {
    let (max_ne, max_rsp) = if link.extended_length {
        (65_536usize, link.max_response_len.min(65_538))
    } else {
        (256usize, link.max_response_len.min(258))
    };
    match block {
        None => max_ne.min(max_rsp.saturating_sub(2)),
        Some(b) => {
            // The protected response data is itself limited to Ne.
            let limit = max_rsp.min(max_ne.saturating_add(2));
            let mut hi = max_ne;
            // protected_response_len is monotonic: binary search.
            let mut lo = 0usize;
            while lo < hi {
                let mid = lo + (hi - lo).div_ceil(2);
                if protected_response_len(mid, b) <= limit {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            lo
        }
    }
}

/// A transport wrapper that counts APDUs and bytes into the current slot.
struct Counting<'t, T: ?Sized> {
    inner: &'t mut T,
    counts: LinkCounts,
    exchanges: Vec<(u32, u32)>,
}

impl<T: Transport + ?Sized> Transport for Counting<'_, T> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        let rsp = self.inner.transmit(apdu)?;
        self.counts.add(apdu.len(), rsp.len());
        let len32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.exchanges.push((len32(apdu.len()), len32(rsp.len())));
        Ok(rsp)
    }

    fn link_info(&self) -> LinkInfo {
        self.inner.link_info()
    }
}

impl<T: ?Sized> Counting<'_, T> {
    fn take(&mut self) -> LinkCounts {
        core::mem::take(&mut self.counts)
    }
}

/// The progress callback: `(file, bytes read so far, total length)`.
pub type Progress<'a> = dyn FnMut(FileKind, usize, usize) + 'a;

/// An open session: the secure messaging channel and the chunk size
/// learnt so far. Use [`Reader::open`], then [`Reader::read_document`]
/// (or [`Reader::read_file`] for single files).
pub struct Reader<'t, T: Transport + ?Sized> {
    link: Counting<'t, T>,
    sm: SecureMessaging,
    chunk: usize,
    options: ReaderOptions,
    access_control: AccessControl,
    card_access: Option<Vec<u8>>,
    sfi_ok: bool,
    current: Option<FileKind>,
    open_counts: LinkCounts,
    /// PACE-CAM: EF.CardSecurity, its read's counts, and the outcome.
    cam: Option<CamResult>,
}

/// What Chip Authentication Mapping left for the document.
struct CamResult {
    card_security: Vec<u8>,
    counts: FileCounts,
    outcome: AuthOutcome,
}

impl<T: Transport + ?Sized> fmt::Debug for Reader<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reader")
            .field("access_control", &self.access_control)
            .field("chunk", &self.chunk)
            .field("sm", &self.sm)
            .finish_non_exhaustive()
    }
}

/// Whether a status word answers "no such file here / not for you" to the
/// EF.CardAccess probe.
fn no_card_access(sw: StatusWord) -> bool {
    matches!(
        sw,
        StatusWord::INS_NOT_SUPPORTED
            | StatusWord::SECURITY_STATUS_NOT_SATISFIED
            | StatusWord::FILE_NOT_FOUND
            | StatusWord::INCORRECT_P1_P2
            | StatusWord::WRONG_P1_P2
            | StatusWord::FUNCTION_NOT_SUPPORTED
            | StatusWord::COMMAND_NOT_ALLOWED
            | StatusWord::CLA_NOT_SUPPORTED
            | StatusWord::WRONG_LENGTH
    )
}

/// The first PACE variant of EF.CardAccess this crate implements, and the
/// index of its PACEInfo in the file.
fn pace_offer(card_access: &[u8]) -> Option<(PaceProtocol, DomainParameters, usize)> {
    let ca = CardAccess::parse(card_access).ok()?;
    ca.security_infos
        .infos
        .iter()
        .enumerate()
        .find_map(|(index, info)| match info {
            SecurityInfo::Pace {
                protocol,
                parameter_id: Some(id),
                ..
            } => {
                let p = PaceProtocol::from_oid(protocol.as_bytes()).ok()?;
                let d = DomainParameters::from_id(u8::try_from(*id).ok()?).ok()?;
                // Only what the reader side implements.
                pace::Pace::new(p, d, &PacePassword::can("0")).ok()?;
                Some((p, d, index))
            }
            _ => None,
        })
}

/// Doc 9303 Part 11 §9.2: EF.CardSecurity holds the SecurityInfos of
/// EF.CardAccess. Checks that the encoding of each SecurityInfo of
/// `card_access` is among `signed` (the encodings of EF.CardSecurity's
/// SecurityInfos; in any order), the PACEInfo at index `used` (the one
/// PACE ran with) named first when it is not. The number of SecurityInfos
/// checked, or what is missing.
fn check_card_access(
    card_access: &[u8],
    used: usize,
    signed: &[&[u8]],
) -> Result<usize, AccessMismatch> {
    let unreadable = |e: Error| AccessMismatch::CardAccess(Box::new(e));
    let access = CardAccess::parse(card_access).map_err(unreadable)?;
    let encodings = access.security_info_encodings().map_err(unreadable)?;
    let mut missing: Vec<MissingSecurityInfo> = encodings
        .iter()
        .zip(&access.security_infos.infos)
        .enumerate()
        .filter(|(_, (encoding, _))| !signed.contains(encoding))
        .map(|(index, (_, info))| MissingSecurityInfo {
            number: index.saturating_add(1),
            protocol: info.protocol(),
            pace: match info {
                SecurityInfo::Pace { parameter_id, .. } => Some(*parameter_id),
                _ => None,
            },
            used: index == used && matches!(info, SecurityInfo::Pace { .. }),
        })
        .collect();
    // The PACEInfo used first (a stable sort keeps file order otherwise).
    missing.sort_by_key(|m| !m.used);
    if missing.is_empty() {
        Ok(encodings.len())
    } else {
        Err(AccessMismatch::Missing {
            missing,
            total: encodings.len(),
        })
    }
}

/// Reads the total length of a TLV file from its first bytes, when they
/// hold the whole header.
fn tlv_total_len(first: &[u8]) -> Option<usize> {
    let (_, tag_len) = crate::tlv::Tag::from_bytes(first)?;
    let len_bytes = first.get(tag_len..)?;
    let (&b0, more) = len_bytes.split_first()?;
    let (len, n) = if b0 < 0x80 {
        (usize::from(b0), 1)
    } else {
        let k = usize::from(b0 & 0x7F);
        if k == 0 || k > 4 {
            return None;
        }
        let bytes = more.get(..k)?;
        (
            bytes.iter().fold(0usize, |a, b| (a << 8) | usize::from(*b)),
            k.checked_add(1)?,
        )
    };
    tag_len.checked_add(n)?.checked_add(len)
}

impl<'t, T: Transport + ?Sized> Reader<'t, T> {
    /// Opens the chip: EF.CardAccess probe, PACE or BAC (with PACE-CAM,
    /// EF.CardSecurity read and the chip checked against its key), the
    /// LDS1 application selected. Randomness from `rng`.
    pub fn open<R: CryptoRng + ?Sized>(
        transport: &'t mut T,
        credential: &Credential,
        options: ReaderOptions,
        rng: &mut R,
    ) -> Result<Reader<'t, T>, Error> {
        let mut link = Counting {
            inner: transport,
            counts: LinkCounts::default(),
            exchanges: Vec::new(),
        };
        let plain_chunk = max_chunk(&link.link_info(), None);
        // 1. EF.CardAccess, in the clear, by short file identifier.
        let card_access = if options.pace {
            probe_card_access(&mut link, plain_chunk)?
        } else {
            None
        };
        let offer = card_access.as_deref().and_then(pace_offer);
        // 2. PACE when offered.
        let mut pace_error = None;
        if let Some((protocol, parameters, used)) = offer {
            let password = match credential {
                Credential::Mrz(key) => PacePassword::mrz(key),
                Credential::Can(can) => PacePassword::can(can),
            };
            match pace::authenticate(&mut link, protocol, parameters, &password, rng) {
                Ok(outcome) => {
                    let access_control = AccessControl::Pace {
                        protocol,
                        parameters,
                        password: password.kind(),
                    };
                    let mut reader =
                        Reader::new(link, outcome.sm, options, access_control, card_access);
                    // CAM: EF.CardSecurity lives in the master file, where
                    // PACE left us: read it before selecting the application.
                    if let Some(cam) = &outcome.chip_authentication {
                        reader.chip_authentication_mapping(cam, parameters, used)?;
                    }
                    let rsp = reader.transmit(&CommandApdu::select_aid(&AID_LDS1))?;
                    if !rsp.sw.is_success() {
                        return Err(ReaderErrorKind::NoApplication { sw: rsp.sw }.into());
                    }
                    reader.current = None;
                    let select = reader.take_counts();
                    reader.open_counts.merge(&select);
                    return Ok(reader);
                }
                // A chip that fails CAM is refused, never read with BAC.
                Err(Error::Pace(crate::pace::PaceErrorKind::ChipAuthentication)) => {
                    return Err(ReaderErrorKind::ChipAuthenticationMapping {
                        failure: CamFailure::NoAuthenticationData,
                    }
                    .into());
                }
                Err(e) => pace_error = Some(e),
            }
        }
        // 3. BAC.
        let key = match credential {
            Credential::Mrz(key) => key,
            Credential::Can(_) => {
                return Err(match pace_error {
                    Some(e) => pace_refusal(e),
                    None => ReaderErrorKind::PaceUnavailable.into(),
                });
            }
        };
        let rsp = transport::exchange(&mut link, &CommandApdu::select_aid(&AID_LDS1))?;
        if !rsp.sw.is_success() {
            return Err(ReaderErrorKind::NoApplication { sw: rsp.sw }.into());
        }
        let sm = crate::bac::authenticate(&mut link, key, rng).map_err(|e| match e {
            Error::StatusWord { sw, .. } if sw == StatusWord::VERIFICATION_FAILED => {
                ReaderErrorKind::AccessDenied { method: "BAC" }.into()
            }
            other => other,
        })?;
        Ok(Reader::new(
            link,
            sm,
            options,
            AccessControl::Bac,
            card_access,
        ))
    }

    fn new(
        mut link: Counting<'t, T>,
        sm: SecureMessaging,
        options: ReaderOptions,
        access_control: AccessControl,
        card_access: Option<Vec<u8>>,
    ) -> Reader<'t, T> {
        let block = sm::block_len(sm.kind());
        let chunk = options
            .fixed_chunk
            .unwrap_or_else(|| max_chunk(&link.link_info(), Some(block)))
            .max(1);
        let open_counts = link.take();
        Reader {
            link,
            sm,
            chunk,
            sfi_ok: options.short_file_ids,
            options,
            access_control,
            card_access,
            current: None,
            open_counts,
            cam: None,
        }
    }

    /// PACE-CAM's check: reads EF.CardSecurity (in the master file),
    /// takes its ChipAuthenticationPublicKeyInfo on the PACE curve (the
    /// one whose key id is the curve's parameter ID when there are
    /// several) and checks `PK_Map,IC = CA_IC * PK_IC`; then checks that
    /// EF.CardAccess's SecurityInfos (`used`: the index of the PACEInfo
    /// PACE ran with) are all in EF.CardSecurity.
    fn chip_authentication_mapping(
        &mut self,
        cam: &pace::CamData,
        parameters: DomainParameters,
        used: usize,
    ) -> Result<(), Error> {
        let fail = |failure: CamFailure| -> Error {
            ReaderErrorKind::ChipAuthenticationMapping { failure }.into()
        };
        let bytes = self
            .read_file(FileKind::CardSecurity, &mut |_, _, _| {})?
            .ok_or_else(|| fail(CamFailure::NoCardSecurity))?;
        let counts = FileCounts {
            file: FileKind::CardSecurity.name(),
            size: bytes.len(),
            counts: self.take_counts(),
        };
        let card_security = crate::lds::CardSecurity::parse(&bytes)
            .map_err(|e| fail(CamFailure::CardSecurity(Box::new(e))))?;
        let keys: Vec<(Vec<u8>, Option<u64>)> = card_security
            .security_infos
            .infos
            .iter()
            .filter_map(|info| match info {
                SecurityInfo::ChipAuthenticationPublicKey {
                    protocol,
                    public_key,
                    key_id,
                } => crate::ca::usable_key(protocol, public_key)
                    .filter(|(p, _)| *p == parameters)
                    .map(|(_, key)| (key, *key_id)),
                _ => None,
            })
            .collect();
        let wanted = Some(u64::from(parameters.id()));
        let key = keys
            .iter()
            .find(|(_, id)| *id == wanted)
            .or_else(|| keys.first())
            .map(|(key, _)| key)
            .ok_or_else(|| fail(CamFailure::NoKey { parameters }))?;
        cam.verify(parameters, key)
            .map_err(|_| fail(CamFailure::KeyMismatch { parameters }))?;
        // EF.CardAccess came in the clear: EF.CardSecurity must repeat it.
        let card_access = self.card_access.as_deref().ok_or_else(|| {
            Error::from(ReaderErrorKind::CardAccessMismatch {
                mismatch: AccessMismatch::NoCardAccess,
            })
        })?;
        let signed = card_security
            .security_info_encodings()
            .map_err(|e| fail(CamFailure::CardSecurity(Box::new(e))))?;
        let checked = check_card_access(card_access, used, &signed)
            .map_err(|mismatch| Error::from(ReaderErrorKind::CardAccessMismatch { mismatch }))?;
        self.cam = Some(CamResult {
            card_security: bytes,
            counts,
            outcome: AuthOutcome::passed(
                AuthProtocol::PaceCam,
                format!("EF.CardSecurity's Chip Authentication key on {parameters:?}"),
                "PK_Map,IC = CA_IC * PK_IC",
                format!(
                    "PACE-CAM on {parameters:?}: the chip proved EF.CardSecurity's Chip Authentication key; EF.CardAccess's {checked} SecurityInfos are all in EF.CardSecurity"
                ),
            ),
        });
        Ok(())
    }

    /// The access control used.
    pub fn access_control(&self) -> AccessControl {
        self.access_control
    }

    /// The chunk of file bytes per READ BINARY, as learnt so far.
    pub fn chunk(&self) -> usize {
        self.chunk
    }

    /// The secure messaging session (for Chip and Active Authentication).
    pub fn secure_messaging(&mut self) -> &mut SecureMessaging {
        &mut self.sm
    }

    /// Replaces the secure messaging session (after Chip Authentication).
    pub fn replace_secure_messaging(&mut self, sm: SecureMessaging) {
        self.sm = sm;
        let block = sm::block_len(self.sm.kind());
        if self.options.fixed_chunk.is_none() {
            self.chunk = self
                .chunk
                .min(max_chunk(&self.link.link_info(), Some(block)));
        }
    }

    /// Sends one command under secure messaging; counted as
    /// authentication traffic by [`Reader::read_document`].
    pub fn transmit(&mut self, command: &CommandApdu) -> Result<ResponseApdu, Error> {
        self.sm.transmit(&mut self.link, command)
    }

    /// The counts since the last call (internal bookkeeping).
    fn take_counts(&mut self) -> LinkCounts {
        self.link.take()
    }

    fn read_command(&self, kind: FileKind, offset: usize, ne: usize) -> Result<CommandApdu, Error> {
        let ne32 = u32::try_from(ne).unwrap_or(u32::MAX);
        if offset == 0 && self.sfi_ok && self.current != Some(kind) {
            return CommandApdu::read_binary_sfi(kind.sfi(), 0, ne32);
        }
        match u16::try_from(offset) {
            Ok(o) if o <= 0x7FFF => CommandApdu::read_binary(o, ne32),
            _ => {
                let o = u32::try_from(offset).unwrap_or(u32::MAX);
                // DO'53 around the data: allow for its header.
                CommandApdu::read_binary_odd(o, ne32.saturating_add(ber_header(ne)))
            }
        }
    }

    /// Reads one file of the LDS1 application; `Ok(None)` when the chip
    /// has no such file (`6A82`) or refuses it (`6982`).
    pub fn read_file(
        &mut self,
        kind: FileKind,
        progress: &mut Progress<'_>,
    ) -> Result<Option<Vec<u8>>, Error> {
        let mut data: Vec<u8> = Vec::new();
        let mut total: Option<usize> = None;
        loop {
            let want = match total {
                Some(t) => t.saturating_sub(data.len()).min(self.chunk),
                None => self.chunk,
            };
            if want == 0 {
                break;
            }
            if self.current != Some(kind) && !(data.is_empty() && self.sfi_ok) {
                let rsp = self
                    .sm
                    .transmit(&mut self.link, &CommandApdu::select_file(kind.fid()))?;
                match rsp.sw {
                    StatusWord::SUCCESS => self.current = Some(kind),
                    StatusWord::FILE_NOT_FOUND | StatusWord::SECURITY_STATUS_NOT_SATISFIED => {
                        return Ok(None);
                    }
                    _ => {
                        return Err(Error::StatusWord {
                            command: "SELECT",
                            sw: rsp.sw,
                        });
                    }
                }
            }
            let offset = data.len();
            // Past 32767, odd INS: the answer wraps the bytes in a DO'53.
            let want = if offset > 0x7FFF {
                want.min(self.chunk.saturating_sub(4)).max(1)
            } else {
                want
            };
            let cmd = self.read_command(kind, offset, want)?;
            let odd = cmd.ins == 0xB1;
            let by_sfi = cmd.p1 & 0x80 != 0 && cmd.ins == 0xB0;
            // The plain data goes straight into the file's buffer (even
            // INS); past 32767 it comes inside a DO'53 (odd INS).
            let sw = if odd {
                let rsp = self.sm.transmit(&mut self.link, &cmd)?;
                if rsp.sw.is_read_data() {
                    data.extend_from_slice(crate::apdu::read_binary_odd_data(&rsp.data)?);
                }
                rsp.sw
            } else {
                self.sm.transmit_into(&mut self.link, &cmd, &mut data)?
            };
            if !sw.is_read_data() {
                // Whatever came with a refusal is not file content.
                data.truncate(offset);
            }
            match sw {
                StatusWord::SUCCESS | StatusWord::END_OF_FILE => {}
                StatusWord::FILE_NOT_FOUND | StatusWord::SECURITY_STATUS_NOT_SATISFIED
                    if offset == 0 =>
                {
                    return Ok(None);
                }
                StatusWord::WRONG_LENGTH => {
                    self.step_down(sw)?;
                    continue;
                }
                _ if sw.exact_length().is_some() => {
                    let n = sw.exact_length().unwrap_or(0) as usize;
                    if n == 0 || n >= self.chunk {
                        self.step_down(sw)?;
                    } else {
                        self.chunk = n;
                    }
                    continue;
                }
                StatusWord::INCORRECT_P1_P2
                | StatusWord::WRONG_P1_P2
                | StatusWord::INS_NOT_SUPPORTED
                | StatusWord::FUNCTION_NOT_SUPPORTED
                | StatusWord::COMMAND_NOT_ALLOWED
                    if by_sfi =>
                {
                    // No short file identifiers: SELECT from now on.
                    self.sfi_ok = false;
                    continue;
                }
                _ => {
                    return Err(Error::StatusWord {
                        command: "READ BINARY",
                        sw,
                    });
                }
            }
            if by_sfi {
                self.current = Some(kind);
            }
            let got = data.len().saturating_sub(offset);
            if total.is_none() {
                total = tlv_total_len(&data);
                if total.is_none() && got < 4 {
                    return Err(ReaderErrorKind::Truncated {
                        file: kind.name(),
                        expected: 4,
                        got: data.len(),
                    }
                    .into());
                }
            }
            let t = total.unwrap_or(data.len());
            if data.len() > t {
                data.truncate(t);
            }
            progress(kind, data.len().min(t), t);
            if data.len() >= t {
                break;
            }
            if got < want {
                if sw == StatusWord::END_OF_FILE || got == 0 {
                    return Err(ReaderErrorKind::Truncated {
                        file: kind.name(),
                        expected: t,
                        got: data.len(),
                    }
                    .into());
                }
                // The chip sends less than asked: that is its chunk.
                if self.options.fixed_chunk.is_none() {
                    self.chunk = got;
                }
            }
        }
        Ok(Some(data))
    }

    fn step_down(&mut self, sw: StatusWord) -> Result<(), Error> {
        if self.chunk <= 1 {
            return Err(ReaderErrorKind::NoChunkSize { sw }.into());
        }
        let short = max_chunk(&LinkInfo::SHORT, Some(sm::block_len(self.sm.kind())));
        self.chunk = if self.chunk > short {
            (self.chunk / 2).max(short)
        } else {
            self.chunk.saturating_mul(3) / 4
        }
        .max(1);
        Ok(())
    }

    /// Reads EF.COM, EF.SOD and the data groups they list (or those of
    /// [`ReaderOptions::data_groups`]), reporting progress.
    pub fn read_document<R: CryptoRng + ?Sized>(
        mut self,
        rng: &mut R,
        progress: &mut Progress<'_>,
    ) -> Result<Document, Error> {
        let mut stats = ReadStats {
            open: self.open_counts,
            ..ReadStats::default()
        };
        let mut files: Vec<(FileKind, Vec<u8>)> = Vec::new();
        let mut refused = Vec::new();
        let mut listed: Vec<DataGroup> = Vec::new();
        let cam = self.cam.take();
        if let Some(cam) = &cam {
            stats.files.push(cam.counts.clone());
        }
        for kind in [FileKind::Com, FileKind::Sod] {
            let bytes = self.read_file(kind, progress)?;
            stats.files.push(FileCounts {
                file: kind.name(),
                size: bytes.as_ref().map_or(0, Vec::len),
                counts: self.take_counts(),
            });
            if let Some(b) = bytes {
                match File::parse(&b) {
                    Ok(File::Com(com)) => listed.extend(com.data_groups.iter().copied()),
                    Ok(File::Sod(sod)) => listed.extend(
                        sod.lds_security_object
                            .data_group_hashes
                            .iter()
                            .filter_map(|h| h.data_group),
                    ),
                    _ => {}
                }
                files.push((kind, b));
            }
        }
        listed.sort();
        listed.dedup();
        let wanted = match &self.options.data_groups {
            Some(list) => list.clone(),
            None => listed,
        };
        for dg in wanted {
            let kind = FileKind::Dg(dg);
            let bytes = self.read_file(kind, progress)?;
            stats.files.push(FileCounts {
                file: kind.name(),
                size: bytes.as_ref().map_or(0, Vec::len),
                counts: self.take_counts(),
            });
            match bytes {
                Some(b) => files.push((kind, b)),
                None => refused.push(dg),
            }
        }
        // PACE-CAM checked EF.CardAccess against EF.CardSecurity.
        let card_access_verified = cam.is_some();
        let (card_security, chip_authentication) = match cam {
            // PACE-CAM authenticated the chip: no Chip Authentication v1.
            Some(cam) => (Some(cam.card_security), Some(cam.outcome)),
            None if self.options.chip_authentication => {
                (None, self.run_chip_authentication(&files, rng))
            }
            None => (None, None),
        };
        let active_authentication = if self.options.active_authentication {
            self.run_active_authentication(&files, rng)
        } else {
            None
        };
        stats.authentication = self.take_counts();
        stats.total = stats.open;
        for f in &stats.files {
            stats.total.merge(&f.counts);
        }
        stats.total.merge(&stats.authentication);
        stats.chunk = self.chunk;
        stats.exchanges = core::mem::take(&mut self.link.exchanges);
        Ok(Document {
            access_control: self.access_control,
            card_access: self.card_access,
            card_security,
            files,
            refused,
            chip_authentication,
            card_access_verified,
            active_authentication,
            stats,
        })
    }

    fn run_chip_authentication<R: CryptoRng + ?Sized>(
        &mut self,
        files: &[(FileKind, Vec<u8>)],
        rng: &mut R,
    ) -> Option<AuthOutcome> {
        let (_, dg14) = files
            .iter()
            .find(|(k, _)| *k == FileKind::Dg(DataGroup::Dg14))?;
        let dg14 = crate::lds::Dg14::parse(dg14).ok()?;
        let plan = crate::ca::plan(&dg14).ok()?;
        Some(
            match crate::ca::authenticate(&mut self.link, &mut self.sm, &plan, rng) {
                Ok(sm) => {
                    self.replace_secure_messaging(sm);
                    // The chip proves its key when it answers under the new keys.
                    match self
                        .sm
                        .transmit(&mut self.link, &CommandApdu::select_aid(&AID_LDS1))
                    {
                        Ok(r) if r.sw.is_success() => AuthOutcome::passed(
                            AuthProtocol::ChipAuthentication,
                            format!("DG14's key on {:?}", plan.parameters),
                            "the chip answered under the new session keys",
                            format!(
                                "{} on {:?}, session switched to {:?}",
                                if plan.parameters.agreement() == crate::pace::KeyAgreement::Dh {
                                    "DH"
                                } else {
                                    "ECDH"
                                },
                                plan.parameters,
                                plan.cipher
                            ),
                        ),
                        Ok(r) => AuthOutcome::refused_after(AuthProtocol::ChipAuthentication, r.sw),
                        Err(e) => AuthOutcome::failed(AuthProtocol::ChipAuthentication, e),
                    }
                }
                Err(e) => AuthOutcome::failed(AuthProtocol::ChipAuthentication, e),
            },
        )
    }

    #[cfg(feature = "pa")]
    fn run_active_authentication<R: CryptoRng + ?Sized>(
        &mut self,
        files: &[(FileKind, Vec<u8>)],
        rng: &mut R,
    ) -> Option<AuthOutcome> {
        let find = |dg| {
            files
                .iter()
                .find(|(k, _)| *k == FileKind::Dg(dg))
                .map(|(_, b)| b.as_slice())
        };
        let dg15 = crate::lds::Dg15::parse(find(DataGroup::Dg15)?).ok()?;
        let dg14 = find(DataGroup::Dg14).and_then(|b| crate::lds::Dg14::parse(b).ok());
        Some(
            match crate::aa::authenticate(&mut self.link, &mut self.sm, &dg15, dg14.as_ref(), rng) {
                Ok(()) => AuthOutcome::passed(
                    AuthProtocol::ActiveAuthentication,
                    "DG15's key",
                    "the signature of the reader's challenge verifies",
                    "the chip signed the challenge with DG15's key",
                ),
                Err(e) => AuthOutcome::failed(AuthProtocol::ActiveAuthentication, e),
            },
        )
    }

    #[cfg(not(feature = "pa"))]
    fn run_active_authentication<R: CryptoRng + ?Sized>(
        &mut self,
        _files: &[(FileKind, Vec<u8>)],
        _rng: &mut R,
    ) -> Option<AuthOutcome> {
        None
    }
}

/// PACE's refusal of the password as the reader reports it.
fn pace_refusal(e: Error) -> Error {
    match e {
        Error::StatusWord { sw, .. } if sw == StatusWord::VERIFICATION_FAILED => {
            ReaderErrorKind::AccessDenied { method: "PACE" }.into()
        }
        Error::Pace(crate::pace::PaceErrorKind::BadToken) => {
            ReaderErrorKind::AccessDenied { method: "PACE" }.into()
        }
        other => other,
    }
}

/// Reads EF.CardAccess in the clear; `None` when the chip has none.
fn probe_card_access<T: Transport + ?Sized>(
    link: &mut T,
    chunk: usize,
) -> Result<Option<Vec<u8>>, Error> {
    let ne = |n: usize| u32::try_from(n).unwrap_or(256);
    let first = transport::exchange(
        link,
        &CommandApdu::read_binary_sfi(FileKind::CardAccess.sfi(), 0, ne(chunk))?,
    )?;
    if no_card_access(first.sw) {
        return Ok(None);
    }
    if !first.sw.is_read_data() {
        return Ok(None);
    }
    let mut data = first.data;
    let total = tlv_total_len(&data).unwrap_or(data.len());
    while data.len() < total {
        let offset = u16::try_from(data.len()).unwrap_or(u16::MAX);
        let want = total.saturating_sub(data.len()).min(chunk);
        let rsp = transport::exchange(link, &CommandApdu::read_binary(offset, ne(want))?)?;
        if !rsp.sw.is_read_data() || rsp.data.is_empty() {
            break;
        }
        data.extend_from_slice(&rsp.data);
    }
    data.truncate(total);
    Ok(Some(data))
}

/// Opens the chip and reads the whole document: [`Reader::open`] then
/// [`Reader::read_document`].
pub fn read_document<T, R>(
    transport: &mut T,
    credential: &Credential,
    options: ReaderOptions,
    rng: &mut R,
    progress: &mut Progress<'_>,
) -> Result<Document, Error>
where
    T: Transport + ?Sized,
    R: CryptoRng + ?Sized,
{
    Reader::open(transport, credential, options, rng)?.read_document(rng, progress)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_sizes() {
        // Short APDUs: 231 bytes with 3DES, 223 with AES (the 223 of
        // popular readers), 256 in the clear.
        assert_eq!(max_chunk(&LinkInfo::SHORT, Some(8)), 231);
        assert_eq!(max_chunk(&LinkInfo::SHORT, Some(16)), 223);
        assert_eq!(max_chunk(&LinkInfo::SHORT, None), 256);
        // 87 81 E9 01 <232> 99 02 SW 8E 08 <MAC> SW: 4 + 232 + 4 + 10 + 2.
        assert_eq!(protected_response_len(231, 8), 252);
        // 232 bytes pad to 240: 4 + 240 + 16 = 260 > 258.
        assert_eq!(protected_response_len(232, 8), 260);
        assert_eq!(protected_response_len(223, 16), 244);
        assert_eq!(protected_response_len(224, 16), 260);
        assert_eq!(protected_response_len(0, 8), 16);
        // Extended: 65536 bytes of response data at most.
        let ext = LinkInfo::extended(65_544, 65_538);
        let c = max_chunk(&ext, Some(8));
        assert!(protected_response_len(c, 8) <= 65_538);
        assert!(protected_response_len(c + 1, 8) > 65_538);
    }

    /// A PACEInfo `{ id-PACE.<mapping>.<cipher>, 2, parameter }`.
    fn pace_info(mapping: u8, cipher: u8, parameter: u8) -> Vec<u8> {
        let mut v = vec![
            0x30, 0x12, 0x06, 0x0A, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04,
        ];
        v.extend_from_slice(&[mapping, cipher, 0x02, 0x01, 0x02, 0x02, 0x01, parameter]);
        v
    }

    /// ChipAuthenticationInfo `{ id-CA-ECDH-AES-CBC-CMAC-128, 1 }`.
    const CA_INFO: [u8; 17] = [
        0x30, 0x0F, 0x06, 0x0A, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, 0x02, 0x02,
        0x01, 0x01,
    ];

    fn set(infos: &[&[u8]]) -> Vec<u8> {
        crate::tlv::encode(crate::tlv::Tag::new(0x31), &infos.concat())
    }

    #[test]
    fn card_access_checked_against_card_security() {
        let ca_info = CA_INFO.to_vec();
        let cam = pace_info(6, 2, 12);
        let gm = pace_info(2, 2, 13);
        let access = set(&[&cam, &gm]);
        // The PACEInfo used is found and the offer reports its index.
        assert_eq!(
            pace_offer(&access).map(|(_, d, i)| (d, i)),
            Some((DomainParameters::Secp256r1, 0))
        );
        // In any order, among other SecurityInfos: both found.
        assert_eq!(check_card_access(&access, 0, &[&ca_info, &gm, &cam]), Ok(2));
        // EF.CardAccess with only part of EF.CardSecurity's PACEInfos.
        assert_eq!(check_card_access(&set(&[&cam]), 0, &[&gm, &cam]), Ok(1));

        // An extra PACEInfo not in EF.CardSecurity.
        let e = check_card_access(&access, 0, &[&cam, &ca_info])
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "PACEInfo (#2: 0.4.0.127.0.7.2.2.4.2.2, parameter 13) not among EF.CardSecurity's \
             signed SecurityInfos (1 of EF.CardAccess's 2): EF.CardAccess was altered"
        );
        // The PACEInfo used, one byte off (the parameter id): named as such.
        let e = check_card_access(&access, 0, &[&pace_info(6, 2, 13), &gm])
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(
                "the PACEInfo used for PACE (#1: 0.4.0.127.0.7.2.2.4.6.2, parameter 12) not among"
            ),
            "{e}"
        );
        // The cipher arc changed (AES-256 signed, AES-128 in EF.CardAccess).
        let e = check_card_access(&access, 0, &[&pace_info(6, 4, 12), &gm])
            .unwrap_err()
            .to_string();
        assert!(e.contains("used for PACE (#1"), "{e}");
        // Both missing, the one used (here the second) first.
        let e = check_card_access(&access, 1, &[&ca_info])
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(
                "the PACEInfo used for PACE (#2: 0.4.0.127.0.7.2.2.4.2.2, parameter 13), \
                 PACEInfo (#1: 0.4.0.127.0.7.2.2.4.6.2, parameter 12) not among"
            ),
            "{e}"
        );
        assert!(e.contains("(2 of EF.CardAccess's 2)"), "{e}");
        // Another kind of SecurityInfo in EF.CardAccess is checked too.
        let with_ca = set(&[&cam, &ca_info]);
        assert_eq!(check_card_access(&with_ca, 0, &[&cam, &ca_info]), Ok(2));
        let e = check_card_access(&with_ca, 0, &[&cam])
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("SecurityInfo #2 (0.4.0.127.0.7.2.2.3.2.2) not among"),
            "{e}"
        );
        // Nothing signed: all missing. Garbage in EF.CardAccess: refused.
        assert!(check_card_access(&access, 0, &[]).is_err());
        let e = check_card_access(&[0x31, 0x03, 0x02, 0x01], 0, &[&cam])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("EF.CardAccess: "), "{e}");
    }

    #[test]
    fn tlv_lengths() {
        assert_eq!(tlv_total_len(&[0x60, 0x16, 0x5F]), Some(0x18));
        assert_eq!(
            tlv_total_len(&[0x75, 0x82, 0x3E, 0x80, 0x7F]),
            Some(4 + 0x3E80)
        );
        assert_eq!(tlv_total_len(&[0x75, 0x82, 0x3E]), None);
        assert_eq!(tlv_total_len(&[0x5F, 0x1F, 0x81, 0x90]), Some(4 + 0x90));
        assert_eq!(tlv_total_len(&[]), None);
    }
}
