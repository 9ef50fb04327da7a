//! What a read session reports as it goes: every APDU both ways, so a
//! support engineer can keep a trace of a card that misbehaves, and the
//! progress of each file.
//!
//! A trace holds what crossed the link and, under secure messaging, what
//! it carried: the holder's data groups among it (personal data, to keep
//! as such), never a key, the MRZ key, the CAN or a PACE secret, which no
//! APDU carries in the clear.

use crate::lds::FileKind;

/// One APDU as it crossed the link, and under secure messaging its plain
/// form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracedApdu {
    /// The bytes on the wire (protected under secure messaging).
    pub wire: Vec<u8>,
    /// Under secure messaging, the plain command or response (its data and
    /// status word); `None` in the clear, and for a response that failed
    /// secure messaging's checks (nothing of it is trusted).
    pub plain: Option<Vec<u8>>,
}

/// An event of a read session, in the order it happened
/// ([`ReadSession::poll_event`](super::ReadSession::poll_event)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReadEvent {
    /// A command APDU the session handed out.
    Command(TracedApdu),
    /// The response to it.
    Response(TracedApdu),
    /// More of a file was read: `done` of its `total` bytes.
    Progress {
        /// The file.
        file: FileKind,
        /// Bytes read so far.
        done: usize,
        /// Its length.
        total: usize,
    },
}
