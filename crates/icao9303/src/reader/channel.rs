//! The session's side of the link, with no I/O: commands encoded (and
//! protected under secure messaging) for the caller to send, the caller's
//! responses parsed (and checked), each one traced as an event.

use std::collections::VecDeque;

use super::event::{ReadEvent, TracedApdu};
use crate::Error;
use crate::apdu::{CommandApdu, ResponseApdu, StatusWord};
use crate::sm::{SecureMessaging, SmErrorKind};
use crate::transport::{self, LinkInfo};

/// A command and how it goes on the wire.
pub(super) enum Outgoing {
    /// In the clear (before access control).
    Clear(CommandApdu),
    /// Under the session's secure messaging.
    Protected(CommandApdu),
}

impl Outgoing {
    pub(super) fn is_protected(&self) -> bool {
        matches!(self, Outgoing::Protected(_))
    }
}

/// The link as the session knows it: its limits, the secure messaging
/// session once access control opened one, and the events so far.
pub(super) struct Channel {
    pub(super) link: LinkInfo,
    /// `None` before access control, and after a failure that left the
    /// send-sequence counters out of step (a command refused before
    /// sending, a lost link): nothing more can be protected.
    pub(super) sm: Option<SecureMessaging>,
    pub(super) events: VecDeque<ReadEvent>,
}

/// Status word and data as one plain response.
fn plain_bytes(data: &[u8], sw: StatusWord) -> Vec<u8> {
    let mut v = Vec::with_capacity(data.len().saturating_add(2));
    v.extend_from_slice(data);
    v.extend_from_slice(&sw.to_bytes());
    v
}

impl Channel {
    pub(super) fn new(link: LinkInfo) -> Channel {
        Channel {
            link,
            sm: None,
            events: VecDeque::new(),
        }
    }

    /// The cipher block of the secure messaging session (3DES 8, AES 16).
    pub(super) fn block(&self) -> Option<usize> {
        self.sm.as_ref().map(|sm| crate::sm::block_len(sm.kind()))
    }

    fn sm(&mut self) -> Result<&mut SecureMessaging, Error> {
        self.sm.as_mut().ok_or(SmErrorKind::SessionClosed.into())
    }

    /// The bytes to send for `out`; a command the link cannot carry is
    /// refused before it is sent. Under secure messaging such a refusal
    /// closes the session, as the counter has moved (as
    /// [`SecureMessaging::transmit`] does).
    pub(super) fn encode(&mut self, out: &Outgoing) -> Result<Vec<u8>, Error> {
        let (wire, plain) = match out {
            Outgoing::Clear(cmd) => {
                let wire = cmd.to_bytes()?;
                transport::check_link(&self.link, &wire)?;
                (wire, None)
            }
            Outgoing::Protected(cmd) => {
                let wire = self.sm()?.wrap(cmd)?;
                if let Err(e) = transport::check_link(&self.link, &wire) {
                    self.sm = None;
                    return Err(e);
                }
                (wire, cmd.to_bytes().ok())
            }
        };
        self.events.push_back(ReadEvent::Command(TracedApdu {
            wire: wire.clone(),
            plain,
        }));
        Ok(wire)
    }

    fn trace_response(&mut self, wire: &[u8], plain: Option<Vec<u8>>) {
        self.events.push_back(ReadEvent::Response(TracedApdu {
            wire: wire.to_vec(),
            plain,
        }));
    }

    /// A response in the clear.
    pub(super) fn clear(&mut self, wire: &[u8]) -> Result<ResponseApdu, Error> {
        self.trace_response(wire, None);
        ResponseApdu::parse(wire)
    }

    /// A protected response, checked and unwrapped.
    pub(super) fn protected(&mut self, wire: &[u8]) -> Result<ResponseApdu, Error> {
        let rsp = self.sm().and_then(|sm| sm.unwrap(wire));
        let plain = rsp.as_ref().ok().map(|r| plain_bytes(&r.data, r.sw));
        self.trace_response(wire, plain);
        rsp
    }

    /// A protected response whose plain data goes straight into `out` (a
    /// file's buffer; left as it was on error); its status word.
    pub(super) fn protected_into(
        &mut self,
        wire: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<StatusWord, Error> {
        let start = out.len();
        let sw = self.sm().and_then(|sm| sm.unwrap_into(wire, out));
        let plain = sw
            .as_ref()
            .ok()
            .map(|sw| plain_bytes(out.get(start..).unwrap_or_default(), *sw));
        self.trace_response(wire, plain);
        sw
    }
}
