//! The high-level reading flow: open the chip, authenticate, read every
//! file with as few APDUs as the chip allows, and return a [`Document`].
//!
//! Two layers:
//! - [`ReadSession`], the whole flow with no I/O: the caller takes each
//!   command ([`ReadSession::next_command`]), sends it over whatever link
//!   it has, hands back the answer ([`ReadSession::handle_response`]) and
//!   polls events ([`ReadEvent`]: every command and response, protected
//!   and plain, and each file's progress); no transport inside, no
//!   blocking, no threads, no clock, so an async or callback-style caller
//!   (CoreNFC's completion handlers) needs nothing more. Randomness comes
//!   with each answer as a [`rand_core::TryCryptoRng`]. A session whose
//!   link was lost gives its [`PartialRead`]; [`ReadSession::resume`]
//!   authenticates again and reads only what is missing.
//! - [`read_document`] (and [`read_resumable`], [`drive`]): a short loop
//!   over a session and a blocking [`Transport`](crate::transport::Transport).
//!
//! The flow:
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
//!
//! Files by what they hold: `options.rs` (credential, options),
//! `error.rs`, `document.rs` (the document, its counts), `chunk.rs`
//! (chunk arithmetic), `card_access.rs` (EF.CardAccess's offer and its
//! check against EF.CardSecurity), `session.rs` (the state machine),
//! `channel.rs` (commands and answers on the session's side, secure
//! messaging, the trace), `open.rs`, `file.rs` and `auth.rs` (the states:
//! opening, reading a file, proofs of a genuine chip), `partial.rs`
//! (resuming), `event.rs`, `blocking.rs` (the loop).

mod auth;
mod blocking;
mod card_access;
mod channel;
mod chunk;
mod document;
mod error;
mod event;
mod file;
mod open;
mod options;
mod partial;
mod session;

pub use blocking::{Interrupted, Progress, drive, read_document, read_resumable};
pub use chunk::{max_chunk, protected_response_len};
pub use document::{
    AccessControl, AuthOutcome, AuthProtocol, Document, FileCounts, LinkCounts, ReadStats,
};
pub use error::{AccessMismatch, CamFailure, MissingSecurityInfo, ReaderErrorKind};
pub use event::{ReadEvent, TracedApdu};
pub use options::{Credential, ReaderOptions};
pub use partial::{PartialFile, PartialRead};
pub use session::ReadSession;
