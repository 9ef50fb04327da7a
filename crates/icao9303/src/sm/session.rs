//! What both sides of a session share: the keyed cipher and MAC, the
//! send-sequence counter (incremented here and nowhere else), and whether
//! the session is still open.

use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use crate::Error;
use crate::kdf::KeyKind;
use crate::tlv::{self, Tag};

use super::cipher::*;
use super::objects::*;
use super::*;

/// What both sides share: the keyed cipher and MAC, the counter, and
/// whether the session is open.
pub(super) struct Core {
    pub(super) kind: KeyKind,
    pub(super) keyed: Box<Keyed>,
    /// The send-sequence counter in its first `block_len(kind)` bytes.
    pub(super) ssc: [u8; 16],
    pub(super) open: bool,
}

impl Core {
    pub(super) fn new(keys: SessionKeys, ssc: &[u8]) -> Result<Core, Error> {
        let block = block_len(keys.kind);
        let mut counter = [0u8; 16];
        match counter.get_mut(..block) {
            Some(c) if ssc.len() == block => c.copy_from_slice(ssc),
            _ => {
                return Err(SmErrorKind::SscLength {
                    len: ssc.len(),
                    block,
                }
                .into());
            }
        }
        Ok(Core {
            kind: keys.kind,
            keyed: Box::new(Keyed::new(&keys)?),
            ssc: counter,
            open: true,
        })
    }

    pub(super) fn kind(&self) -> KeyKind {
        self.kind
    }

    pub(super) fn block(&self) -> usize {
        block_len(self.kind)
    }

    /// The counter's bytes.
    pub(super) fn ssc(&self) -> &[u8] {
        self.ssc.get(..self.block()).unwrap_or_default()
    }

    /// Runs one protected step: refuses when closed, closes on any error.
    pub(super) fn guarded<T>(
        &mut self,
        step: impl FnOnce(&mut Core) -> Result<T, Error>,
    ) -> Result<T, Error> {
        if !self.open {
            return Err(SmErrorKind::SessionClosed.into());
        }
        let r = step(self);
        if r.is_err() {
            self.open = false;
        }
        r
    }

    /// The one place where the send-sequence counter moves: +1, big-endian.
    pub(super) fn increment_ssc(&mut self) -> Result<(), Error> {
        let block = self.block();
        for b in self.ssc.iter_mut().take(block).rev() {
            let (next, carry) = b.overflowing_add(1);
            *b = next;
            if !carry {
                return Ok(());
            }
        }
        Err(SmErrorKind::CounterExhausted.into())
    }

    /// Encrypts `buf` (whole blocks) in place with the message's IV.
    pub(super) fn encrypt_in_place(&self, buf: &mut [u8]) -> Result<(), Error> {
        let (kind, ssc) = (self.kind, self.ssc());
        with_keyed!(&*self.keyed, |enc, _mac| keyed_encrypt(enc, kind, ssc, buf))
    }

    /// Decrypts and unpads the cryptogram of DO'85 or DO'87 (`tag`) and
    /// appends the plain data to `out`. On any error `out` is left as it
    /// was (what had been decrypted into it is zeroized first).
    pub(super) fn decrypt_into(
        &self,
        tag: Tag,
        cryptogram: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        let block = self.block();
        if cryptogram.is_empty() || !cryptogram.len().is_multiple_of(block) {
            return Err(SmErrorKind::ObjectLength { tag }.into());
        }
        let start = out.len();
        out.extend_from_slice(cryptogram);
        let (kind, ssc) = (self.kind, self.ssc());
        let buf = out.get_mut(start..).unwrap_or_default();
        let plain_len = with_keyed!(&*self.keyed, |enc, _mac| keyed_decrypt(
            enc, kind, ssc, tag, buf
        ))
        .and_then(|()| unpad(buf, block).map(<[u8]>::len));
        match plain_len {
            Ok(len) => {
                out.truncate(start.saturating_add(len));
                Ok(())
            }
            Err(e) => {
                buf.zeroize();
                out.truncate(start);
                Err(e)
            }
        }
    }

    /// MAC over `pad(SSC || parts...)`.
    pub(super) fn mac(&mut self, parts: &[&[u8]]) -> Result<[u8; MAC_LEN], Error> {
        let block = block_len(self.kind);
        let ssc = self.ssc.get(..block).unwrap_or_default();
        with_keyed!(&mut *self.keyed, |_enc, mac| keyed_mac(
            mac, ssc, parts, block
        ))
    }

    pub(super) fn verify_mac(&mut self, parts: &[&[u8]], cc: &[u8]) -> Result<(), Error> {
        let expected = self.mac(parts)?;
        if bool::from(expected.as_slice().ct_eq(cc)) {
            Ok(())
        } else {
            Err(SmErrorKind::BadMac.into())
        }
    }

    /// Appends the cryptogram object for `data` to `out`: DO'85 for odd INS,
    /// DO'87 (with the padding-content indicator `01`) otherwise. The data
    /// is padded and encrypted in place in `out`.
    pub(super) fn cryptogram_object(
        &self,
        data: &[u8],
        odd: bool,
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        let block = self.block();
        let padded = (data.len() / block)
            .checked_add(1)
            .and_then(|n| n.checked_mul(block))
            .ok_or(SmErrorKind::TooLong)?;
        if odd {
            tlv::write_tag(out, TAG_85);
            tlv::write_length(out, padded);
        } else {
            tlv::write_tag(out, TAG_87);
            tlv::write_length(out, padded.saturating_add(1));
            out.push(0x01);
        }
        let start = out.len();
        out.reserve(padded);
        out.extend_from_slice(data);
        out.extend_from_slice(PADDING.get(..padded - data.len()).unwrap_or_default());
        let buf = out.get_mut(start..).ok_or(SmErrorKind::TooLong)?;
        self.encrypt_in_place(buf)
    }

    /// Decrypts the value of a DO'85 or DO'87 and appends the plain data
    /// to `out` (left unchanged on error).
    pub(super) fn open_cryptogram_into(
        &self,
        obj: &Object<'_>,
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        if obj.tag == TAG_87 {
            let (&indicator, c) = obj
                .value
                .split_first()
                .ok_or(SmErrorKind::ObjectLength { tag: TAG_87 })?;
            if indicator != 0x01 {
                return Err(SmErrorKind::PaddingIndicator { found: indicator }.into());
            }
            self.decrypt_into(TAG_87, c, out)
        } else {
            self.decrypt_into(TAG_85, obj.value, out)
        }
    }
}
