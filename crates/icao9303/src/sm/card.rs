//! The card's side of secure messaging: [`CardSm`].

use core::fmt;

use crate::Error;
use crate::apdu::{CLA_SM, CommandApdu, MAX_SHORT_NE, ResponseApdu};
use crate::tlv::{self};

use super::cipher::*;
use super::objects::*;
use super::session::*;
use super::*;

/// The card's side of a secure messaging session: checks protected commands
/// and protects responses (for the virtual chip and for tests).
pub struct CardSm {
    core: Core,
    last_odd_ins: bool,
}

impl CardSm {
    /// A session with `keys` whose counter starts at `ssc`.
    pub fn new(keys: SessionKeys, ssc: &[u8]) -> Result<CardSm, Error> {
        Ok(CardSm {
            core: Core::new(keys, ssc)?,
            last_odd_ins: false,
        })
    }

    /// Whether the session still works.
    pub fn is_open(&self) -> bool {
        self.core.open
    }

    /// The current send-sequence counter.
    pub fn send_sequence_counter(&self) -> &[u8] {
        self.core.ssc()
    }

    /// Checks a protected command and returns the plain one (CLA without
    /// bits `0C`, data decrypted, `Ne` from DO'97). On error the session is
    /// closed; [`SmErrorKind::card_status`] says what to answer.
    pub fn unwrap_command(&mut self, bytes: &[u8]) -> Result<CommandApdu, Error> {
        let odd = &mut self.last_odd_ins;
        self.core.guarded(|core| {
            let cmd = CommandApdu::parse(bytes).map_err(|_| SmErrorKind::NotAnApdu)?;
            core.increment_ssc()?;
            if cmd.cla & CLA_SM != CLA_SM || cmd.data.is_empty() {
                return Err(SmErrorKind::UnprotectedCommand.into());
            }
            *odd = cmd.has_odd_ins();
            let objs = split_objects(&cmd.data, TAG_97)?;
            let header = cmd.header();
            let header_padding = PADDING.get(..core.block().saturating_sub(header.len()));
            core.verify_mac(
                &[&header, header_padding.unwrap_or_default(), objs.covered],
                objs.cc,
            )?;
            let ne = match objs.le_or_status.map(|o| o.value) {
                None => None,
                Some([0]) => Some(MAX_SHORT_NE),
                Some([b]) => Some(u32::from(*b)),
                Some([0, 0]) => Some(65_536),
                Some([hi, lo]) => Some(u32::from(u16::from_be_bytes([*hi, *lo]))),
                Some(_) => return Err(SmErrorKind::ObjectLength { tag: TAG_97 }.into()),
            };
            let mut data = Vec::new();
            if let Some(obj) = &objs.cryptogram {
                core.open_cryptogram_into(obj, &mut data)?;
            }
            Ok(CommandApdu {
                cla: cmd.cla & !CLA_SM,
                ins: cmd.ins,
                p1: cmd.p1,
                p2: cmd.p2,
                data,
                ne,
            })
        })
    }

    /// Protects a response: DO'87 (DO'85 when the last command had odd INS)
    /// with the encrypted data, DO'99 with the status word, DO'8E with the
    /// MAC, then the status word again.
    pub fn wrap_response(&mut self, response: &ResponseApdu) -> Result<Vec<u8>, Error> {
        let odd = self.last_odd_ins;
        self.core.guarded(|core| {
            core.increment_ssc()?;
            let mut dos = Vec::with_capacity(response.data.len().saturating_add(40));
            if !response.data.is_empty() {
                core.cryptogram_object(&response.data, odd, &mut dos)?;
            }
            tlv::write(&mut dos, TAG_99, &response.sw.to_bytes());
            let cc = core.mac(&[&dos])?;
            tlv::write(&mut dos, TAG_8E, &cc);
            dos.extend_from_slice(&response.sw.to_bytes());
            Ok(dos)
        })
    }
}

impl fmt::Debug for CardSm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardSm")
            .field("kind", &self.core.kind())
            .field("open", &self.core.open)
            .field("keys", &"<redacted>")
            .finish()
    }
}
