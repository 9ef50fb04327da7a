//! The blocking layer: a short loop that drives a [`ReadSession`] over a
//! [`Transport`], for callers with a link that blocks (PC/SC, the
//! simulator, a foreign transport behind FFI).

use rand_core::TryCryptoRng;

use super::event::ReadEvent;
use super::partial::PartialRead;
use super::session::ReadSession;
use super::{Credential, Document, ReaderOptions};
use crate::Error;
use crate::lds::FileKind;
use crate::transport::Transport;

/// The progress callback: `(file, bytes read so far, total length)`.
pub type Progress<'a> = dyn FnMut(FileKind, usize, usize) + 'a;

/// Drives `session` over `transport` until it waits for nothing more,
/// handing every event to `on_event`; the error that ended it, if one
/// did. Exchanges the transport made on its own
/// ([`Transport::take_extra_exchanges`]) are counted with the session's.
pub fn drive<T, R>(
    session: &mut ReadSession,
    transport: &mut T,
    rng: &mut R,
    on_event: &mut dyn FnMut(ReadEvent),
) -> Result<(), Error>
where
    T: Transport + ?Sized,
    R: TryCryptoRng + ?Sized,
{
    count_extra(session, transport);
    loop {
        while let Some(event) = session.poll_event() {
            on_event(event);
        }
        let Some(command) = session.next_command() else {
            break;
        };
        let result = transport.transmit(command);
        // What the transport sent on its own for this exchange counts
        // with it, before the session moves on.
        count_extra(session, transport);
        // An error here is also the session's: the loop ends below.
        let _ = match result {
            Ok(response) => session.handle_response(&response, rng),
            Err(e) => session.handle_link_error(e, rng),
        };
    }
    match session.error() {
        Some(e) => Err(e.clone()),
        None => Ok(()),
    }
}

fn count_extra<T: Transport + ?Sized>(session: &mut ReadSession, transport: &mut T) {
    for (sent, received) in transport.take_extra_exchanges() {
        session.count_link_exchange(sent, received);
    }
}

/// A read that ended early: why, and what it read (to resume).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct Interrupted {
    /// Why it ended.
    pub error: Error,
    /// What was read, for [`read_resumable`] or [`ReadSession::resume`]
    /// (boxed: it holds whole files).
    pub partial: Box<PartialRead>,
}

/// Opens the chip and reads the whole document through `transport`:
/// EF.CardAccess, PACE or BAC, EF.COM, EF.SOD, the data groups, Chip and
/// Active Authentication as `options` ask, `progress` told after every
/// chunk.
pub fn read_document<T, R>(
    transport: &mut T,
    credential: &Credential,
    options: ReaderOptions,
    rng: &mut R,
    progress: &mut Progress<'_>,
) -> Result<Document, Error>
where
    T: Transport + ?Sized,
    R: TryCryptoRng + ?Sized,
{
    read_resumable(transport, credential, options, None, rng, progress).map_err(|i| i.error)
}

/// As [`read_document`], going on from `partial` when given (what an
/// earlier read gave in its [`Interrupted`]): after authenticating again
/// only what is missing is read. A failure gives back what was read.
pub fn read_resumable<T, R>(
    transport: &mut T,
    credential: &Credential,
    options: ReaderOptions,
    partial: Option<PartialRead>,
    rng: &mut R,
    progress: &mut Progress<'_>,
) -> Result<Document, Interrupted>
where
    T: Transport + ?Sized,
    R: TryCryptoRng + ?Sized,
{
    let link = transport.link_info();
    let credential = credential.clone();
    let mut session = match partial {
        Some(p) => ReadSession::resume(credential, options, link, p),
        None => ReadSession::new(credential, options, link),
    };
    let mut on_event = |event: ReadEvent| {
        if let ReadEvent::Progress { file, done, total } = event {
            progress(file, done, total);
        }
    };
    match drive(&mut session, transport, rng, &mut on_event) {
        Ok(()) => session.finish().map_err(|error| Interrupted {
            error,
            partial: Box::default(),
        }),
        Err(error) => Err(Interrupted {
            error,
            partial: Box::new(session.partial()),
        }),
    }
}
