//! [`ReadSession`]: the whole read as a sans-IO state machine. The caller
//! moves the bytes: it takes [`ReadSession::next_command`], sends it over
//! whatever link it has (PC/SC, Android `IsoDep`, a CoreNFC completion
//! handler, an async task), gives the answer to
//! [`ReadSession::handle_response`], and polls [`ReadSession::poll_event`]
//! for the trace and progress; [`ReadSession::finish`] gives the
//! [`Document`]. No transport inside, no blocking, no threads, no clock.
//!
//! Every state is a type named for the answer it waits for (`open.rs`:
//! `ExpectCardAccess`, `ExpectPace`, `ExpectBacSelect`, `ExpectChallenge`,
//! `ExpectMutualAuthentication`, `ExpectAppSelected`; `file.rs`:
//! `ExpectFileSelected`, `ExpectFileData`; `auth.rs`:
//! `ExpectChipAuthentication`, `ExpectChipAuthenticated`,
//! `ExpectSignature`), each with one `on_answer` taking that answer, or
//! the failure of its exchange, and giving the next state and command.

use core::fmt;

use rand_core::TryCryptoRng;

use super::auth::{self, CamPending};
use super::channel::{Channel, Outgoing};
use super::event::ReadEvent;
use super::file;
use super::open;
use super::partial::{PartialRead, Slot};
use super::{AccessControl, AuthOutcome, Credential, Document, ReaderErrorKind, ReaderOptions};
use crate::Error;
use crate::lds::{DataGroup, File, FileKind};
use crate::transport::{LinkInfo, TransportError};

/// What a state gives after an answer: the next command and the state
/// that waits for its answer, or the end of the read.
pub(super) enum Step {
    Send(Phase, Outgoing),
    Finished,
}

/// A state's result: a step, or the error that ends the read.
pub(super) type Next = Result<Step, Error>;

/// The answer to the command sent, or why the exchange failed (the link,
/// or a command refused before it was sent).
pub(super) type Answer<'a> = Result<&'a [u8], Error>;

/// Send `out` and wait in `phase`.
pub(super) fn send(phase: Phase, out: Outgoing) -> Next {
    Ok(Step::Send(phase, out))
}

/// The state the session is in: which answer it waits for.
pub(super) enum Phase {
    CardAccess(open::ExpectCardAccess),
    Pace(Box<open::ExpectPace>),
    BacSelect(open::ExpectBacSelect),
    BacChallenge(open::ExpectChallenge),
    BacMutual(Box<open::ExpectMutualAuthentication>),
    AppSelected(open::ExpectAppSelected),
    FileSelected(file::ExpectFileSelected),
    FileData(file::ExpectFileData),
    ChipAuthentication(Box<auth::ExpectChipAuthentication>),
    ChipAuthenticated(auth::ExpectChipAuthenticated),
    #[cfg(feature = "pa")]
    Signature(auth::ExpectSignature),
}

impl Phase {
    fn on_answer<R: TryCryptoRng + ?Sized>(
        self,
        ctx: &mut Ctx,
        answer: Answer<'_>,
        rng: &mut R,
    ) -> Next {
        match self {
            Phase::CardAccess(s) => s.on_answer(ctx, answer),
            Phase::Pace(s) => s.on_answer(ctx, answer, rng),
            Phase::BacSelect(s) => s.on_answer(ctx, answer),
            Phase::BacChallenge(s) => s.on_answer(ctx, answer, rng),
            Phase::BacMutual(s) => s.on_answer(ctx, answer, rng),
            Phase::AppSelected(s) => s.on_answer(ctx, answer, rng),
            Phase::FileSelected(s) => s.on_answer(ctx, answer, rng),
            Phase::FileData(s) => s.on_answer(ctx, answer, rng),
            Phase::ChipAuthentication(s) => s.on_answer(ctx, answer, rng),
            Phase::ChipAuthenticated(s) => s.on_answer(ctx, answer, rng),
            #[cfg(feature = "pa")]
            Phase::Signature(s) => s.on_answer(ctx, answer),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Phase::CardAccess(_) => "ExpectCardAccess",
            Phase::Pace(_) => "ExpectPace",
            Phase::BacSelect(_) => "ExpectBacSelect",
            Phase::BacChallenge(_) => "ExpectChallenge",
            Phase::BacMutual(_) => "ExpectMutualAuthentication",
            Phase::AppSelected(_) => "ExpectAppSelected",
            Phase::FileSelected(_) => "ExpectFileSelected",
            Phase::FileData(_) => "ExpectFileData",
            Phase::ChipAuthentication(_) => "ExpectChipAuthentication",
            Phase::ChipAuthenticated(_) => "ExpectChipAuthenticated",
            #[cfg(feature = "pa")]
            Phase::Signature(_) => "ExpectSignature",
        }
    }
}

/// What every state reads and writes: the options, the credential, the
/// link, what was read, and what was learnt of the chip.
pub(super) struct Ctx {
    pub(super) options: ReaderOptions,
    pub(super) credential: Credential,
    pub(super) chan: Channel,
    /// The files, the counts: what a resumed session starts from.
    pub(super) got: PartialRead,
    pub(super) slot: Slot,
    /// The data groups EF.COM and EF.SOD list, once both are read.
    pub(super) listed: Option<Vec<DataGroup>>,
    pub(super) access_control: Option<AccessControl>,
    pub(super) card_access: Option<Vec<u8>>,
    /// File bytes per READ BINARY, as learnt so far.
    pub(super) chunk: usize,
    /// The file selected on the chip (by SELECT, or by a READ BINARY with
    /// its short file identifier).
    pub(super) current: Option<FileKind>,
    /// PACE-CAM's data, until EF.CardSecurity is read to check it.
    pub(super) pending_cam: Option<CamPending>,
    /// PACE-CAM's outcome (a failure fails the read).
    pub(super) cam: Option<AuthOutcome>,
    pub(super) chip_authentication: Option<AuthOutcome>,
    pub(super) active_authentication: Option<AuthOutcome>,
}

impl Ctx {
    /// Counts one exchange where the session is.
    fn count(&mut self, sent: usize, received: usize) {
        self.got.count(self.slot, sent, received);
    }

    /// Whether READ BINARY by short file identifier reaches `offset`
    /// (P2 carries offsets up to 255).
    pub(super) fn sfi_reaches(&self, offset: usize) -> bool {
        self.options.short_file_ids && !self.got.sfi_refused && offset <= 0xFF
    }

    /// The next file to read, in the reading order: EF.COM, EF.SOD, then
    /// the data groups asked for (in the order given) or listed (DG1 and
    /// DG13 first, then by number); `None` when all are read.
    pub(super) fn next_file(&mut self) -> Option<FileKind> {
        if let Some(kind) = [FileKind::Com, FileKind::Sod]
            .into_iter()
            .find(|k| !self.got.is_done(*k))
        {
            return Some(kind);
        }
        let wanted = match &self.options.data_groups {
            Some(list) => list.clone(),
            None => self.listed().to_vec(),
        };
        wanted
            .into_iter()
            .map(FileKind::Dg)
            .find(|k| !self.got.is_done(*k))
    }

    /// The data groups EF.COM and EF.SOD list, in reading order.
    fn listed(&mut self) -> &[DataGroup] {
        let got = &self.got;
        self.listed.get_or_insert_with(|| {
            let mut listed: Vec<DataGroup> = Vec::new();
            for kind in [FileKind::Com, FileKind::Sod] {
                let Some(f) = got.file(kind).filter(|f| f.is_complete()) else {
                    continue;
                };
                match File::parse(&f.data) {
                    Ok(File::Com(com)) => listed.extend(com.data_groups.iter().copied()),
                    Ok(File::Sod(sod)) => listed.extend(
                        sod.lds_security_object
                            .data_group_hashes
                            .iter()
                            .filter_map(|h| h.data_group),
                    ),
                    _ => {}
                }
            }
            listed.sort();
            listed.dedup();
            // The holder's data first (DG1's MRZ, a CCCD's DG13: small
            // files), so a card pulled during the face image still leaves
            // the name and the number read.
            listed.sort_by_key(|dg| !HOLDER_FIRST.contains(dg));
            listed
        })
    }

    /// A complete file's bytes.
    pub(super) fn complete(&self, kind: FileKind) -> Option<&[u8]> {
        self.got
            .file(kind)
            .filter(|f| f.is_complete())
            .map(|f| f.data.as_slice())
    }

    /// A file, read or not, as the read goes on: progress (EF.CardSecurity,
    /// read to check PACE-CAM, is not reported, as it never was).
    pub(super) fn progress(&mut self, file: FileKind, done: usize, total: usize) {
        if file != FileKind::CardSecurity {
            self.chan
                .events
                .push_back(ReadEvent::Progress { file, done, total });
        }
    }

    /// What was read so far, as a value to resume from.
    fn partial(&self) -> PartialRead {
        let mut partial = self.got.clone();
        partial.stats.chunk = if self.access_control.is_some() {
            self.chunk
        } else {
            self.got.stats.chunk
        };
        partial.stats.total = partial.stats.sum();
        partial
    }

    /// The document, once every step is done.
    fn document(self) -> Result<Document, Error> {
        let access_control = self.access_control.ok_or(ReaderErrorKind::SessionState {
            expected: "finished",
        })?;
        let mut stats = self.got.stats;
        stats.total = stats.sum();
        let mut card_security = None;
        let mut files = Vec::new();
        for f in self.got.files {
            match f.file {
                FileKind::CardSecurity if self.cam.is_some() => card_security = Some(f.data),
                FileKind::Com | FileKind::Sod | FileKind::Dg(_) if f.is_complete() => {
                    files.push((f.file, f.data));
                }
                _ => {}
            }
        }
        let refused = self
            .got
            .absent
            .iter()
            .filter_map(|k| match k {
                FileKind::Dg(dg) => Some(*dg),
                _ => None,
            })
            .collect();
        Ok(Document {
            access_control,
            card_access: self.card_access,
            card_access_verified: self.cam.is_some(),
            card_security,
            files,
            refused,
            chip_authentication: self.cam.or(self.chip_authentication),
            active_authentication: self.active_authentication,
            stats,
        })
    }
}

/// The data groups read before the others, when listed.
const HOLDER_FIRST: [DataGroup; 2] = [DataGroup::Dg1, DataGroup::Dg13];

/// The command waiting for its answer.
struct Pending {
    wire: Vec<u8>,
    protected: bool,
}

/// A read of a whole document with no I/O: the caller sends each command
/// and hands back each answer.
///
/// ```
/// use icao9303::reader::{Credential, ReadSession, ReaderOptions};
/// use icao9303::transport::LinkInfo;
/// use icao9303::mrz::MrzKey;
///
/// let key = MrzKey::new("L898902C<", "690806", "940623")?;
/// let mut session = ReadSession::new(Credential::Mrz(key), ReaderOptions::default(), LinkInfo::SHORT);
/// // The first command: READ BINARY of EF.CardAccess (short file identifier 1C).
/// assert_eq!(session.next_command(), Some(&[0x00, 0xB0, 0x9C, 0x00, 0x00][..]));
/// // Send it, then `session.handle_response(&answer, &mut rng)`, and so on
/// // until `next_command()` is `None`; then `session.finish()`.
/// assert!(!session.is_finished());
/// # Ok::<(), icao9303::Error>(())
/// ```
pub struct ReadSession {
    ctx: Ctx,
    phase: Option<Phase>,
    pending: Option<Pending>,
    failed: Option<Error>,
    finished: bool,
}

impl fmt::Debug for ReadSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadSession")
            .field("state", &self.phase.as_ref().map(Phase::name))
            .field("access_control", &self.ctx.access_control)
            .field("chunk", &self.ctx.chunk)
            .field("failed", &self.failed)
            .field("finished", &self.finished)
            .field("secrets", &"<redacted>")
            .finish()
    }
}

/// The generator of a step that cannot need one (the first command of a
/// session is a probe or a SELECT, in the clear).
struct NoRandomness;

/// [`NoRandomness`] was asked for bytes.
#[derive(Debug)]
struct NoRandomnessError;

impl fmt::Display for NoRandomnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("no random numbers before the first answer")
    }
}

impl core::error::Error for NoRandomnessError {}

impl rand_core::TryRng for NoRandomness {
    type Error = NoRandomnessError;
    fn try_next_u32(&mut self) -> Result<u32, NoRandomnessError> {
        Err(NoRandomnessError)
    }
    fn try_next_u64(&mut self) -> Result<u64, NoRandomnessError> {
        Err(NoRandomnessError)
    }
    fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), NoRandomnessError> {
        Err(NoRandomnessError)
    }
}

impl TryCryptoRng for NoRandomness {}

impl ReadSession {
    /// A read with `credential` over a link carrying `link` (ask the
    /// link: Android's `IsoDep.maxTransceiveLength`, PC/SC's decision;
    /// [`LinkInfo::SHORT`] when unknown).
    pub fn new(credential: Credential, options: ReaderOptions, link: LinkInfo) -> ReadSession {
        ReadSession::resume(credential, options, link, PartialRead::default())
    }

    /// A read that goes on from `partial` (what an earlier session read
    /// before its link was lost): it authenticates again, then reads only
    /// what is missing, each file from the offset where it stopped, with
    /// the chunk learnt.
    pub fn resume(
        credential: Credential,
        options: ReaderOptions,
        link: LinkInfo,
        partial: PartialRead,
    ) -> ReadSession {
        let ctx = Ctx {
            options,
            credential,
            chan: Channel::new(link),
            chunk: partial.stats.chunk,
            got: partial,
            slot: Slot::Open,
            listed: None,
            access_control: None,
            card_access: None,
            current: None,
            pending_cam: None,
            cam: None,
            chip_authentication: None,
            active_authentication: None,
        };
        let mut session = ReadSession {
            ctx,
            phase: None,
            pending: None,
            failed: None,
            finished: false,
        };
        let first = open::start(&mut session.ctx);
        // A failure here (a CAN with PACE off, a link too short for the
        // first command) is the session's: `finish` returns it.
        let _ = session.settle(first, &mut NoRandomness);
        session
    }

    /// The command to send now, `None` when the session waits for nothing
    /// (finished or failed). The same bytes until its answer is handled.
    pub fn next_command(&self) -> Option<&[u8]> {
        self.pending.as_ref().map(|p| p.wire.as_slice())
    }

    /// Takes the answer to [`ReadSession::next_command`] (data and status
    /// word, as the link gave it) and prepares the next command. Random
    /// numbers (PACE and BAC's, Chip and Active Authentication's) come
    /// from `rng`. An error ends the session (and is also what
    /// [`ReadSession::finish`] returns).
    pub fn handle_response<R: TryCryptoRng + ?Sized>(
        &mut self,
        response: &[u8],
        rng: &mut R,
    ) -> Result<(), Error> {
        let (pending, phase) = self.take_pending()?;
        self.ctx.count(pending.wire.len(), response.len());
        let next = phase.on_answer(&mut self.ctx, Ok(response), rng);
        self.settle(next, rng)
    }

    /// The link failed to carry [`ReadSession::next_command`] (the card
    /// left the field): the session ends with the error; keep
    /// [`ReadSession::partial`] to resume.
    pub fn handle_link_error<R: TryCryptoRng + ?Sized>(
        &mut self,
        error: TransportError,
        rng: &mut R,
    ) -> Result<(), Error> {
        let (pending, phase) = self.take_pending()?;
        if pending.protected {
            // The counters are out of step: nothing more can be protected.
            self.ctx.chan.sm = None;
        }
        let next = phase.on_answer(&mut self.ctx, Err(error.into()), rng);
        self.settle(next, rng)
    }

    /// Counts an exchange the caller's link made on its own (a GET
    /// RESPONSE for a `61xx`, a read of EF.ATR/INFO when it connected), so
    /// the counts are those of the wire. Counted with what the session is
    /// doing (before the first command: opening).
    pub fn count_link_exchange(&mut self, sent: usize, received: usize) {
        self.ctx.count(sent, received);
    }

    /// The next event (a command, a response, progress), oldest first.
    pub fn poll_event(&mut self) -> Option<ReadEvent> {
        self.ctx.chan.events.pop_front()
    }

    /// Whether the session waits for nothing more: finished, or failed.
    pub fn is_finished(&self) -> bool {
        self.pending.is_none()
    }

    /// The error that ended the session, if one did.
    pub fn error(&self) -> Option<&Error> {
        self.failed.as_ref()
    }

    /// The access control that opened the chip, once one did.
    pub fn access_control(&self) -> Option<AccessControl> {
        self.ctx.access_control
    }

    /// What was read so far (files complete and in part, counts), to
    /// resume in a new session after a lost link.
    pub fn partial(&self) -> PartialRead {
        self.ctx.partial()
    }

    /// The document, once the session finished; the error that ended it,
    /// or [`ReaderErrorKind::SessionState`] while it still waits for an
    /// answer.
    pub fn finish(self) -> Result<Document, Error> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        if !self.finished {
            return Err(ReaderErrorKind::SessionState {
                expected: "the answer to the pending command",
            }
            .into());
        }
        self.ctx.document()
    }

    fn take_pending(&mut self) -> Result<(Pending, Phase), Error> {
        match (self.pending.take(), self.phase.take()) {
            (Some(p), Some(phase)) => Ok((p, phase)),
            _ => Err(ReaderErrorKind::SessionState {
                expected: "a command to answer",
            }
            .into()),
        }
    }

    /// Takes a state's step: encodes its command (a refusal to encode is
    /// the state's failed exchange), or ends the session.
    fn settle<R: TryCryptoRng + ?Sized>(
        &mut self,
        mut next: Next,
        rng: &mut R,
    ) -> Result<(), Error> {
        loop {
            match next {
                Err(e) => {
                    self.failed = Some(e.clone());
                    return Err(e);
                }
                Ok(Step::Finished) => {
                    self.finished = true;
                    return Ok(());
                }
                Ok(Step::Send(phase, out)) => match self.ctx.chan.encode(&out) {
                    Ok(wire) => {
                        self.pending = Some(Pending {
                            wire,
                            protected: out.is_protected(),
                        });
                        self.phase = Some(phase);
                        return Ok(());
                    }
                    Err(e) => next = phase.on_answer(&mut self.ctx, Err(e), rng),
                },
            }
        }
    }
}
