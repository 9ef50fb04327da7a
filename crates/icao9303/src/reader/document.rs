//! What a read gives: the document, its access control and its counts.

use crate::Error;
use crate::lds::{DataGroup, File, FileKind};
use crate::pace::{DomainParameters, PaceProtocol, PasswordKind};
pub use crate::verdict::{AuthOutcome, AuthProtocol};

/// The access control that opened the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "method", rename_all = "snake_case"))]
#[non_exhaustive]
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
    pub(crate) fn add(&mut self, sent: usize, received: usize) {
        self.apdus = self.apdus.saturating_add(1);
        self.bytes_sent = self.bytes_sent.saturating_add(sent as u64);
        self.bytes_received = self.bytes_received.saturating_add(received as u64);
    }

    pub(crate) fn merge(&mut self, other: &LinkCounts) {
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
    /// Selecting the application, probing EF.CardAccess, authenticating
    /// (after a resume, each session's, and the SELECT that puts a file
    /// read in part back under the reader).
    pub open: LinkCounts,
    /// Each file read, in order.
    pub files: Vec<FileCounts>,
    /// Chip and Active Authentication, when done.
    pub authentication: LinkCounts,
    /// Everything.
    pub total: LinkCounts,
    /// The chunk of file bytes per READ BINARY the files were read with
    /// (the last one learnt).
    pub chunk: usize,
    /// Every exchange in order: `(command bytes, response bytes)`, for a
    /// link model ([`crate::link_model`]).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub exchanges: Vec<(u32, u32)>,
}

impl ReadStats {
    /// The counts of opening, every file and authentication together.
    pub fn sum(&self) -> LinkCounts {
        let mut total = self.open;
        for f in &self.files {
            total.merge(&f.counts);
        }
        total.merge(&self.authentication);
        total
    }
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
    /// ([`ReaderErrorKind::CardAccessMismatch`](super::ReaderErrorKind::CardAccessMismatch)), so `true` then; `false`
    /// when not checked (BAC, PACE without CAM: no EF.CardSecurity read).
    /// EF.CardSecurity is authentic only once passive authentication of
    /// it passes (`pa::verify_card_security`, feature `pa`).
    pub card_access_verified: bool,
    /// Active Authentication's outcome, when asked for and DG15 was read.
    pub active_authentication: Option<AuthOutcome>,
    /// APDU and byte counts.
    pub stats: ReadStats,
}

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
