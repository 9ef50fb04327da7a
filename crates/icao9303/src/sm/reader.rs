//! The reader's side of secure messaging: [`SecureMessaging`].

use core::fmt;

use crate::Error;
use crate::apdu::{
    CLA_SM, CommandApdu, LengthEncoding, MAX_SHORT_DATA, MAX_SHORT_NE, ResponseApdu, StatusWord,
};
use crate::kdf::KeyKind;
use crate::tlv::{self};
use crate::transport::{self, Transport};

use super::cipher::*;
use super::objects::*;
use super::session::*;
use super::*;

/// The reader's side of a secure messaging session: protects commands and
/// checks responses. Keys are zeroized on drop and never shown by `Debug`.
pub struct SecureMessaging {
    core: Core,
}

impl SecureMessaging {
    /// A session with `keys` whose send-sequence counter starts at `ssc`
    /// (one block: 8 bytes for 3DES, 16 for AES).
    pub fn new(keys: SessionKeys, ssc: &[u8]) -> Result<SecureMessaging, Error> {
        Ok(SecureMessaging {
            core: Core::new(keys, ssc)?,
        })
    }

    /// The cipher.
    pub fn kind(&self) -> KeyKind {
        self.core.kind()
    }

    /// The current send-sequence counter (the one of the last protected
    /// command or response).
    pub fn send_sequence_counter(&self) -> &[u8] {
        self.core.ssc()
    }

    /// Whether the session still works (no failure so far).
    pub fn is_open(&self) -> bool {
        self.core.open
    }

    /// Protects `command` and returns the bytes to send: CLA gets bits `0C`
    /// (the chaining bit is kept), the data goes encrypted into DO'87 (DO'85
    /// for odd INS), `Ne` into DO'97, the MAC into DO'8E, and `Le` becomes
    /// `00` (`0000` when the command or its protected form needs extended
    /// length).
    ///
    /// A command that cannot be encoded at all is refused without touching
    /// the session; any later failure closes it.
    pub fn wrap(&mut self, command: &CommandApdu) -> Result<Vec<u8>, Error> {
        if !self.core.open {
            return Err(SmErrorKind::SessionClosed.into());
        }
        let plain_encoding = command.encoding()?;
        if command.cla & CLA_SM != 0 {
            return Err(SmErrorKind::AlreadyProtected.into());
        }
        self.core.guarded(|core| {
            core.increment_ssc()?;
            let block = core.block();
            let cla = command.cla | CLA_SM;
            let header = [cla, command.ins, command.p1, command.p2];
            let mut dos = Vec::with_capacity(command.data.len().saturating_add(40));
            if !command.data.is_empty() {
                core.cryptogram_object(&command.data, command.has_odd_ins(), &mut dos)?;
            }
            if let Some(ne) = command.ne {
                let le = ((ne & 0xFFFF) as u16).to_be_bytes();
                let le = if ne <= MAX_SHORT_NE {
                    le.get(1..)
                } else {
                    le.get(..)
                };
                tlv::write(&mut dos, TAG_97, le.unwrap_or_default());
            }
            let header_padding = PADDING.get(..block.saturating_sub(header.len()));
            let cc = core.mac(&[&header, header_padding.unwrap_or_default(), &dos])?;
            tlv::write(&mut dos, TAG_8E, &cc);
            let extended = plain_encoding == LengthEncoding::Extended || dos.len() > MAX_SHORT_DATA;
            let ne = if extended { 65_536 } else { MAX_SHORT_NE };
            let protected = CommandApdu {
                cla,
                ins: command.ins,
                p1: command.p1,
                p2: command.p2,
                data: dos,
                ne: Some(ne),
            };
            protected
                .to_bytes()
                .map_err(|_| SmErrorKind::TooLong.into())
        })
    }

    /// Checks a protected response and returns the plain one: the MAC over
    /// `SSC || DO'87/85 || DO'99` is verified in constant time first, then
    /// the data is decrypted and unpadded; the status word is the one of
    /// DO'99 (and must equal the trailing one).
    pub fn unwrap(&mut self, response: &[u8]) -> Result<ResponseApdu, Error> {
        let mut data = Vec::new();
        let sw = self.unwrap_into(response, &mut data)?;
        Ok(ResponseApdu { data, sw })
    }

    /// As [`SecureMessaging::unwrap`], appending the plain data to `out`
    /// instead of allocating (a reader filling a file buffer, chunk after
    /// chunk) and returning the status word. On error `out` is left as it
    /// was: no partial data.
    pub fn unwrap_into(&mut self, response: &[u8], out: &mut Vec<u8>) -> Result<StatusWord, Error> {
        self.core.guarded(|core| {
            let (data, outer) = match response.split_last_chunk::<2>() {
                Some((data, [sw1, sw2])) => (data, StatusWord::from_bytes(*sw1, *sw2)),
                None => return Err(SmErrorKind::NotAnApdu.into()),
            };
            core.increment_ssc()?;
            if data.is_empty() {
                return Err(SmErrorKind::UnprotectedResponse { sw: outer }.into());
            }
            let objs = split_objects(data, TAG_99)?;
            let status = objs.le_or_status.ok_or(SmErrorKind::MissingStatus)?;
            core.verify_mac(&[objs.covered], objs.cc)?;
            let sw = match status.value {
                [sw1, sw2] => StatusWord::from_bytes(*sw1, *sw2),
                _ => return Err(SmErrorKind::ObjectLength { tag: TAG_99 }.into()),
            };
            if sw != outer {
                return Err(SmErrorKind::StatusMismatch { inner: sw, outer }.into());
            }
            if let Some(obj) = &objs.cryptogram {
                core.open_cryptogram_into(obj, out)?;
            }
            Ok(sw)
        })
    }

    /// Protects `command`, sends it over `transport` and checks the answer.
    /// A link failure closes the session (the counters may now differ).
    pub fn transmit<T: Transport + ?Sized>(
        &mut self,
        transport: &mut T,
        command: &CommandApdu,
    ) -> Result<ResponseApdu, Error> {
        let raw = self.exchange(transport, command)?;
        self.unwrap(&raw)
    }

    /// As [`SecureMessaging::transmit`], appending the answer's plain data
    /// to `out` (left unchanged on error) and returning its status word.
    pub fn transmit_into<T: Transport + ?Sized>(
        &mut self,
        transport: &mut T,
        command: &CommandApdu,
        out: &mut Vec<u8>,
    ) -> Result<StatusWord, Error> {
        let raw = self.exchange(transport, command)?;
        self.unwrap_into(&raw, out)
    }

    /// Protects `command` and sends it; returns the protected answer.
    fn exchange<T: Transport + ?Sized>(
        &mut self,
        transport: &mut T,
        command: &CommandApdu,
    ) -> Result<Vec<u8>, Error> {
        let bytes = self.wrap(command)?;
        if let Err(e) = transport::check_link(&transport.link_info(), &bytes) {
            // Refused without sending, but the counter has moved: the
            // session cannot go on.
            self.core.open = false;
            return Err(e);
        }
        transport.transmit(&bytes).map_err(|e| {
            self.core.open = false;
            e.into()
        })
    }
}

impl fmt::Debug for SecureMessaging {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecureMessaging")
            .field("kind", &self.core.kind())
            .field("open", &self.core.open)
            .field("keys", &"<redacted>")
            .finish()
    }
}
