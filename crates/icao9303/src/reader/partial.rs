//! What a session read before its link was lost, to resume in a new one
//! ([`ReadSession::resume`](super::ReadSession::resume)).

use super::document::{LinkCounts, ReadStats};
use crate::lds::FileKind;

/// A file read in whole or in part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialFile {
    /// The file.
    pub file: FileKind,
    /// Its bytes from offset 0, as far as they were read.
    pub data: Vec<u8>,
    /// Its length, once its header was read.
    pub length: Option<usize>,
}

impl PartialFile {
    /// Whether every byte of it was read.
    pub fn is_complete(&self) -> bool {
        self.length == Some(self.data.len())
    }

    /// Where reading goes on: the number of bytes read.
    pub fn offset(&self) -> usize {
        self.data.len()
    }
}

/// What one or more sessions read of a document: the files complete and
/// in part (with the offset reached), the files the chip does not have or
/// refused, and the counts so far. A new session given it
/// ([`ReadSession::resume`](super::ReadSession::resume)) authenticates
/// again and reads only what is missing, each file from where it stopped.
///
/// Resuming trusts that the card is the same one: the same credential
/// opens it, and passive authentication binds every file to EF.SOD. Chip
/// and Active Authentication are not carried over: the session that
/// finishes runs them, on the chip it talks to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartialRead {
    /// The files read, in reading order (EF.CardSecurity after PACE-CAM,
    /// EF.COM, EF.SOD, the data groups), complete or not.
    pub files: Vec<PartialFile>,
    /// Files the chip does not have (`6A82`) or refused (`6982`).
    pub absent: Vec<FileKind>,
    /// The counts of every session so far (`stats.chunk`: the chunk
    /// learnt, 0 before any).
    pub stats: ReadStats,
    /// The chip refused READ BINARY by short file identifier: files are
    /// SELECTed.
    pub sfi_refused: bool,
}

impl PartialRead {
    /// A file of it, complete or not.
    pub fn file(&self, kind: FileKind) -> Option<&PartialFile> {
        self.files.iter().find(|f| f.file == kind)
    }

    /// The file read in part, if any (at most one: files are read one
    /// after the other).
    pub fn unfinished(&self) -> Option<&PartialFile> {
        self.files.iter().find(|f| !f.is_complete())
    }

    /// Every APDU of every session so far.
    pub fn total(&self) -> LinkCounts {
        self.stats.sum()
    }
}

/// Where the counts of the next exchange go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    /// Probe, access control, SELECTs of the application.
    Open,
    /// The file at this index of `stats.files`.
    File(usize),
    /// Chip and Active Authentication.
    Authentication,
}

/// The session's bookkeeping, on the value it hands out to resume.
impl PartialRead {
    pub(super) fn file_mut(&mut self, kind: FileKind) -> Option<&mut PartialFile> {
        self.files.iter_mut().find(|f| f.file == kind)
    }

    /// Whether `kind` needs no more reading: complete, or not on the chip.
    pub(super) fn is_done(&self, kind: FileKind) -> bool {
        self.absent.contains(&kind) || self.file(kind).is_some_and(PartialFile::is_complete)
    }

    /// Starts (or goes on with) reading `kind`: its entry among the files
    /// and the counts; the slot its exchanges count in.
    pub(super) fn begin(&mut self, kind: FileKind) -> Slot {
        if self.file(kind).is_none() {
            self.files.push(PartialFile {
                file: kind,
                data: Vec::new(),
                length: None,
            });
        }
        let name = kind.name();
        let index = match self.stats.files.iter().position(|f| f.file == name) {
            Some(i) => i,
            None => {
                self.stats.files.push(super::FileCounts {
                    file: name,
                    size: 0,
                    counts: LinkCounts::default(),
                });
                self.stats.files.len().saturating_sub(1)
            }
        };
        Slot::File(index)
    }

    /// Counts one exchange (or one the link made on its own) in `slot`.
    pub(super) fn count(&mut self, slot: Slot, sent: usize, received: usize) {
        let counts = match slot {
            Slot::Open => &mut self.stats.open,
            Slot::Authentication => &mut self.stats.authentication,
            Slot::File(i) => match self.stats.files.get_mut(i) {
                Some(f) => &mut f.counts,
                None => &mut self.stats.open,
            },
        };
        counts.add(sent, received);
        let len32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.stats.exchanges.push((len32(sent), len32(received)));
    }

    /// `kind` was read whole: its size in the counts.
    pub(super) fn set_complete(&mut self, kind: FileKind) {
        let size = self.file(kind).map_or(0, |f| f.data.len());
        if let Some(f) = self.file_mut(kind) {
            f.length = Some(size);
        }
        if let Some(c) = self.stats.files.iter_mut().find(|c| c.file == kind.name()) {
            c.size = size;
        }
    }

    /// The chip does not have `kind`, or refused it.
    pub(super) fn set_absent(&mut self, kind: FileKind) {
        self.files.retain(|f| f.file != kind);
        if !self.absent.contains(&kind) {
            self.absent.push(kind);
        }
    }
}
