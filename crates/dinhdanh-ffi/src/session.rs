//! `ReadSession`: the sans-IO read for callback-style NFC stacks (iOS
//! CoreNFC's `sendCommand` completion handlers, an event loop): the
//! caller takes each command, sends it its own way, and hands back the
//! answer; nothing blocks and no transport object is needed.

use std::sync::{Arc, Mutex, MutexGuard};

use icao9303::reader;
use icao9303::transport::{TransportError, TransportErrorKind};

use crate::read::link_of;
use crate::{Credential, DinhdanhError, Document, ReadOptions};

/// What a session reports, oldest first: every APDU both ways (for a
/// support trace: the wire bytes and, under secure messaging, the plain
/// ones; no key, MRZ key or CAN is in any) and each file's progress.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ReadEvent {
    /// A command handed out.
    Command {
        /// As sent.
        wire: Vec<u8>,
        /// Under secure messaging, unprotected.
        plain: Option<Vec<u8>>,
    },
    /// Its response.
    Response {
        /// As received.
        wire: Vec<u8>,
        /// Under secure messaging, unprotected (none when it failed the
        /// checks).
        plain: Option<Vec<u8>>,
    },
    /// More of `file` (`DG2`...) was read: `done` of `total` bytes.
    Progress {
        /// The file.
        file: String,
        /// Bytes read.
        done: u64,
        /// Its length.
        total: u64,
    },
}

impl From<reader::ReadEvent> for ReadEvent {
    fn from(e: reader::ReadEvent) -> ReadEvent {
        match e {
            reader::ReadEvent::Command(a) => ReadEvent::Command {
                wire: a.wire,
                plain: a.plain,
            },
            reader::ReadEvent::Response(a) => ReadEvent::Response {
                wire: a.wire,
                plain: a.plain,
            },
            reader::ReadEvent::Progress { file, done, total } => ReadEvent::Progress {
                file: file.name().to_owned(),
                done: done as u64,
                total: total as u64,
            },
            // A kind of event this binding does not know yet: shown as
            // progress of nothing rather than dropped silently.
            _ => ReadEvent::Progress {
                file: String::new(),
                done: 0,
                total: 0,
            },
        }
    }
}

/// A chip read that the caller drives: `next_command()` gives the bytes
/// to send (none once finished), `handle_response(bytes)` takes the
/// card's answer, `finish()` gives the document. Randomness is the OS's
/// (`getrandom::SysRng`), drawn as answers are handled. Safe to share
/// between threads (one call at a time, behind a lock).
#[derive(uniffi::Object)]
pub struct ReadSession {
    /// `None` once `finish` took it.
    inner: Mutex<Option<reader::ReadSession>>,
}

impl std::fmt::Debug for ReadSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The inner Debug is redacted already; keep it so.
        f.write_str("ReadSession(<redacted>)")
    }
}

fn state(problem: &str) -> DinhdanhError {
    DinhdanhError::Protocol {
        message: format!("read session: {problem}"),
    }
}

impl ReadSession {
    fn lock(&self) -> Result<MutexGuard<'_, Option<reader::ReadSession>>, DinhdanhError> {
        self.inner.lock().map_err(|_| state("its lock is poisoned"))
    }

    /// Runs `f` on the session, unless `finish` took it.
    fn with<T>(
        &self,
        f: impl FnOnce(&mut reader::ReadSession) -> Result<T, DinhdanhError>,
    ) -> Result<T, DinhdanhError> {
        match self.lock()?.as_mut() {
            Some(session) => f(session),
            None => Err(state("already finished")),
        }
    }
}

/// What a session read before its tag was lost: files complete and in
/// part (with the offset reached) and the counts, for
/// `ReadSession.resume`. Opaque: it holds the holder's data, which no
/// `Debug` shows.
#[derive(uniffi::Object)]
pub struct PartialRead {
    inner: reader::PartialRead,
}

impl std::fmt::Debug for PartialRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartialRead")
            .field("complete_files", &self.complete_files())
            .field("bytes_read", &self.bytes_read())
            .finish_non_exhaustive()
    }
}

#[uniffi::export]
impl PartialRead {
    /// The files read whole, in reading order (`EF.COM`, `DG1`...).
    pub fn complete_files(&self) -> Vec<String> {
        let files = self.inner.files.iter().filter(|f| f.is_complete());
        files.map(|f| f.file.name().to_owned()).collect()
    }

    /// The file read in part, if any.
    pub fn unfinished_file(&self) -> Option<String> {
        self.inner.unfinished().map(|f| f.file.name().to_owned())
    }

    /// File bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.inner.files.iter().map(|f| f.data.len() as u64).sum()
    }

    /// Command APDUs sent by every session so far.
    pub fn apdu_count(&self) -> u64 {
        self.inner.total().apdus
    }
}

#[uniffi::export]
impl ReadSession {
    /// A read with `credential` and `options` (default when omitted) over
    /// a link of `max_command_bytes` and `max_response_bytes` (261 and
    /// 258: short APDUs; past them the link is taken to carry extended
    /// length; iOS: 65544 and 65538 when the tag supports it).
    #[uniffi::constructor(default(
        options = None,
        max_command_bytes = 261,
        max_response_bytes = 258
    ))]
    pub fn new(
        credential: Arc<Credential>,
        options: Option<ReadOptions>,
        max_command_bytes: u32,
        max_response_bytes: u32,
    ) -> Result<Arc<ReadSession>, DinhdanhError> {
        let options = options.unwrap_or_default().to_reader()?;
        let session = reader::ReadSession::new(
            credential.inner.clone(),
            options,
            link_of(max_command_bytes, max_response_bytes),
        );
        Ok(Arc::new(ReadSession {
            inner: Mutex::new(Some(session)),
        }))
    }

    /// A read that goes on from `partial` (what a session whose tag was
    /// lost had read, from its `partial()`): it authenticates again, then
    /// reads only what is missing, each file from where it stopped.
    #[uniffi::constructor(default(
        options = None,
        max_command_bytes = 261,
        max_response_bytes = 258
    ))]
    pub fn resume(
        credential: Arc<Credential>,
        partial: Arc<PartialRead>,
        options: Option<ReadOptions>,
        max_command_bytes: u32,
        max_response_bytes: u32,
    ) -> Result<Arc<ReadSession>, DinhdanhError> {
        let options = options.unwrap_or_default().to_reader()?;
        let session = reader::ReadSession::resume(
            credential.inner.clone(),
            options,
            link_of(max_command_bytes, max_response_bytes),
            partial.inner.clone(),
        );
        Ok(Arc::new(ReadSession {
            inner: Mutex::new(Some(session)),
        }))
    }

    /// What was read so far, for `ReadSession.resume` after a lost tag
    /// (after `finish`: nothing).
    pub fn partial(&self) -> Arc<PartialRead> {
        let inner = self
            .lock()
            .ok()
            .and_then(|g| g.as_ref().map(reader::ReadSession::partial))
            .unwrap_or_default();
        Arc::new(PartialRead { inner })
    }

    /// The command APDU to send now; none when the session is finished
    /// (then call `finish`). The same bytes until the answer is handled.
    pub fn next_command(&self) -> Option<Vec<u8>> {
        let guard = self.lock().ok()?;
        guard.as_ref()?.next_command().map(<[u8]>::to_vec)
    }

    /// The card's answer (data and status word) to `next_command()`. A
    /// failure (a wrong key: `DinhdanhError.AccessDenied`) ends the
    /// session; `finish` raises it again.
    pub fn handle_response(&self, response: Vec<u8>) -> Result<(), DinhdanhError> {
        self.with(|s| Ok(s.handle_response(&response, &mut getrandom::SysRng)?))
    }

    /// The link failed to carry `next_command()` (the tag was lost):
    /// the session ends with `DinhdanhError.Transport` (kind
    /// `CARD_REMOVED`).
    pub fn link_lost(&self, message: String) -> Result<(), DinhdanhError> {
        let error = TransportError::new(TransportErrorKind::CardRemoved, message);
        self.with(|s| Ok(s.handle_link_error(error, &mut getrandom::SysRng)?))
    }

    /// The next event, oldest first; none when there is no new one. Events
    /// queue up until polled (a whole read's trace is about twice the
    /// document's size).
    pub fn poll_event(&self) -> Option<ReadEvent> {
        let mut guard = self.lock().ok()?;
        guard.as_mut()?.poll_event().map(ReadEvent::from)
    }

    /// Whether the session waits for no more answers.
    pub fn is_finished(&self) -> bool {
        self.next_command().is_none()
    }

    /// The document, once `next_command()` is none; the error that ended
    /// the session otherwise (and `DinhdanhError.Protocol`, the session
    /// left as it was, when called before the end). Once only.
    pub fn finish(&self) -> Result<Document, DinhdanhError> {
        let mut guard = self.lock()?;
        match guard.as_ref() {
            None => return Err(state("already finished")),
            // Not taken: the caller may still answer the pending command.
            Some(s) if !s.is_finished() => {
                return Err(state("the pending command awaits its answer"));
            }
            Some(_) => {}
        }
        let session = guard.take().ok_or_else(|| state("already finished"))?;
        Ok(session.finish()?.into())
    }
}
