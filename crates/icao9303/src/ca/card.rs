//! Chip Authentication on the chip's side: [`CardCa`], the mirror of the
//! reader's [`super::ChipAuthentication`] (the virtual chip of
//! `icao9303-sim` runs it). The new session is the caller's to install
//! once the answer to the key agreement has been protected with the old
//! one (Doc 9303 Part 11 §6.2.4).

use zeroize::Zeroizing;

use super::{CaErrorKind, protocol_oid};
use crate::Error;
use crate::agreement::{DomainParameters, KeyKind};
use crate::apdu::{CommandApdu, ResponseApdu, StatusWord};
use crate::sm::{self, CardSm, SessionKeys};
use crate::tlv::{self, Tag, Tlv};

/// The chip's Chip Authentication: its static key pair's private half on
/// a curve or MODP group, and the cipher of the session it switches to.
pub struct CardCa {
    parameters: DomainParameters,
    cipher: KeyKind,
    private: Zeroizing<Vec<u8>>,
    /// AES: MSE:Set AT named the chip's protocol; GENERAL AUTHENTICATE is
    /// next.
    set_at: bool,
}

impl core::fmt::Debug for CardCa {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CardCa")
            .field("parameters", &self.parameters)
            .field("cipher", &self.cipher)
            .field("private", &"<redacted>")
            .finish()
    }
}

impl CardCa {
    /// The chip's side with its private key `private` on `parameters`.
    pub fn new(parameters: DomainParameters, cipher: KeyKind, private: &[u8]) -> CardCa {
        CardCa {
            parameters,
            cipher,
            private: Zeroizing::new(private.to_vec()),
            set_at: false,
        }
    }

    /// 3DES: MSE:Set KAT (`91 PK.PCD [84 keyId]`): the key agreement.
    /// Returns the new session.
    pub fn on_set_kat(&mut self, command: &CommandApdu) -> Result<CardSm, Error> {
        let malformed = CaErrorKind::Malformed {
            command: "MSE:Set KAT",
        };
        let mut pk = None;
        for item in tlv::Reader::new(&command.data) {
            match item {
                Ok(t) if t.tag() == Tag::new(0x91) => pk = Some(t.value().to_vec()),
                Ok(_) => {}
                Err(_) => return Err(malformed.into()),
            }
        }
        self.agree(&pk.ok_or(malformed)?)
    }

    /// AES: MSE:Set AT (`80 OID [84 keyId]`), which must name the chip's
    /// protocol (id-CA-DH-* or id-CA-ECDH-* with its cipher).
    pub fn on_set_at(&mut self, command: &CommandApdu) -> Result<(), Error> {
        let oid = tlv::Reader::new(&command.data)
            .filter_map(Result::ok)
            .find(|t| t.tag() == Tag::new(0x80))
            .map(|t| t.value().to_vec());
        let expected = protocol_oid(self.parameters.agreement(), self.cipher);
        if oid.as_deref() != Some(expected.as_slice()) {
            return Err(CaErrorKind::WrongProtocol.into());
        }
        self.set_at = true;
        Ok(())
    }

    /// AES: GENERAL AUTHENTICATE (`7C { 80 PK.PCD }`) after MSE:Set AT:
    /// the key agreement. Returns the answer (`7C 00`) and the new session.
    pub fn on_general_authenticate(
        &mut self,
        command: &CommandApdu,
    ) -> Result<(ResponseApdu, CardSm), Error> {
        if !core::mem::take(&mut self.set_at) {
            return Err(CaErrorKind::WrongState.into());
        }
        let pk = Tlv::parse(&command.data)
            .ok()
            .filter(|t| t.tag() == Tag::new(0x7C))
            .and_then(|t| t.find(Tag::new(0x80)).ok().flatten())
            .map(|t| t.value().to_vec())
            .ok_or(CaErrorKind::Malformed {
                command: "GENERAL AUTHENTICATE",
            })?;
        let next = self.agree(&pk)?;
        Ok((
            ResponseApdu::new(vec![0x7C, 0x00], StatusWord::SUCCESS),
            next,
        ))
    }

    /// The session keys from the x coordinate of `SK_IC * PK.PCD` (checked
    /// first) and the counter at zero.
    fn agree(&self, pk_pcd: &[u8]) -> Result<CardSm, Error> {
        self.parameters.check_point(pk_pcd)?;
        let point = Zeroizing::new(self.parameters.public_key(&self.private, Some(pk_pcd))?);
        let secret = Zeroizing::new(self.parameters.x_coordinate(&point)?);
        let keys = SessionKeys::derive(self.cipher, &secret);
        CardSm::new(keys, &vec![0u8; sm::block_len(self.cipher)])
    }
}
