//! The link to a card: one APDU out, one response back.
//!
//! Everything above this trait is sans-IO; an implementation (PC/SC, an NFC
//! stack, the in-process simulator of `icao9303-sim`) only moves bytes.
//!
//! ```
//! use icao9303::apdu::{CommandApdu, StatusWord};
//! use icao9303::transport::{self, Transport, TransportError};
//!
//! /// A card that knows no instruction at all.
//! struct Mute;
//! impl Transport for Mute {
//!     fn transmit(&mut self, _apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
//!         Ok(vec![0x6D, 0x00])
//!     }
//! }
//!
//! let rsp = transport::exchange(&mut Mute, &CommandApdu::get_challenge())?;
//! assert_eq!(rsp.sw, StatusWord::INS_NOT_SUPPORTED);
//! # Ok::<(), icao9303::Error>(())
//! ```

use crate::Error;
use crate::apdu::{ApduErrorKind, CommandApdu, ResponseApdu};

mod chain;
#[cfg(feature = "pcsc")]
pub mod pcsc;

pub use chain::gather_response;

/// What kind of link failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No card is present (or it was removed).
    NoCard,
    /// The card was removed or reset during the session: the session is
    /// gone, nothing read in it is complete.
    CardRemoved,
    /// No such reader (or none at all).
    NoReader,
    /// Another application holds the card (a sharing violation).
    Busy,
    /// The card service (pcscd) is not running.
    NoService,
    /// The card did not answer in time.
    Timeout,
    /// The reader or the link refused or garbled the exchange.
    Link,
    /// Anything else.
    Other,
}

/// The link failed: what kind of failure, and the implementation's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?}: {message}")]
pub struct TransportError {
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// The implementation's description.
    pub message: String,
}

impl TransportError {
    /// A failure of `kind` described by `message`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> TransportError {
        TransportError {
            kind,
            message: message.into(),
        }
    }
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Error {
        Error::Transport(e)
    }
}

/// What the reader knows of the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LinkInfo {
    /// The longest command APDU the link carries, in bytes.
    pub max_command_len: usize,
    /// The longest response APDU (data and status word) the link carries.
    pub max_response_len: usize,
    /// Whether extended-length APDUs pass.
    pub extended_length: bool,
}

impl LinkInfo {
    /// A link of short APDUs only: 261-byte commands (4 + 1 + 255 + 1) and
    /// 258-byte responses (256 + 2).
    pub const SHORT: LinkInfo = LinkInfo {
        max_command_len: 261,
        max_response_len: 258,
        extended_length: false,
    };

    /// A link carrying extended APDUs of up to `max_command_len` and
    /// `max_response_len` bytes.
    pub const fn extended(max_command_len: usize, max_response_len: usize) -> LinkInfo {
        LinkInfo {
            max_command_len,
            max_response_len,
            extended_length: true,
        }
    }
}

impl Default for LinkInfo {
    fn default() -> LinkInfo {
        LinkInfo::SHORT
    }
}

/// A link to a card.
pub trait Transport {
    /// Sends one command APDU and returns the card's response (data and
    /// status word).
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError>;

    /// What the link carries. Defaults to short APDUs only.
    fn link_info(&self) -> LinkInfo {
        LinkInfo::SHORT
    }

    /// The exchanges the transport made on its own since the last call,
    /// as `(bytes sent, bytes received)` each: a read of EF.ATR/INFO when
    /// it connected, the GET RESPONSE of a `61xx` (counted as the 5 bytes
    /// sent and the 2 of the `61xx` answer, its data being in the
    /// response [`Transport::transmit`] returned). The reader counts them,
    /// so its counts are those of the wire. Defaults to none.
    fn take_extra_exchanges(&mut self) -> Vec<(usize, usize)> {
        Vec::new()
    }
}

impl<T: Transport + ?Sized> Transport for &mut T {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        (**self).transmit(apdu)
    }

    fn link_info(&self) -> LinkInfo {
        (**self).link_info()
    }
    fn take_extra_exchanges(&mut self) -> Vec<(usize, usize)> {
        (**self).take_extra_exchanges()
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        (**self).transmit(apdu)
    }

    fn link_info(&self) -> LinkInfo {
        (**self).link_info()
    }
    fn take_extra_exchanges(&mut self) -> Vec<(usize, usize)> {
        (**self).take_extra_exchanges()
    }
}

/// Sends a command in the clear and splits the answer: encodes `command`
/// (short when it fits), refuses one the link cannot carry, transmits it
/// and parses the response. The status word is not judged here.
pub fn exchange<T: Transport + ?Sized>(
    transport: &mut T,
    command: &CommandApdu,
) -> Result<ResponseApdu, Error> {
    let bytes = command.to_bytes()?;
    send_bytes(transport, &bytes)
}

/// Transmits already encoded command bytes after checking them against the
/// link's limits, and parses the response.
pub fn send_bytes<T: Transport + ?Sized>(
    transport: &mut T,
    bytes: &[u8],
) -> Result<ResponseApdu, Error> {
    check_link(&transport.link_info(), bytes)?;
    let response = transport.transmit(bytes)?;
    ResponseApdu::parse(&response)
}

/// Whether the link carries the encoded command `bytes`: not longer than
/// its maximum, and not in the extended form unless it takes that.
pub fn check_link(link: &LinkInfo, bytes: &[u8]) -> Result<(), Error> {
    if bytes.len() > link.max_command_len {
        return Err(ApduErrorKind::ExceedsLink {
            len: bytes.len(),
            max: link.max_command_len,
        }
        .into());
    }
    // A short APDU longer than 5 bytes has a non-zero Lc in byte 5.
    if !link.extended_length && bytes.len() > 5 && bytes.get(4) == Some(&0) {
        return Err(ApduErrorKind::ExtendedNotSupported.into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apdu::StatusWord;

    struct Echo {
        sent: Vec<Vec<u8>>,
        answer: Vec<u8>,
        link: LinkInfo,
    }

    impl Transport for Echo {
        fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
            self.sent.push(apdu.to_vec());
            if self.answer.is_empty() {
                return Err(TransportError::new(
                    TransportErrorKind::NoCard,
                    "card removed",
                ));
            }
            Ok(self.answer.clone())
        }
        fn link_info(&self) -> LinkInfo {
            self.link
        }
    }

    #[test]
    fn exchange_sends_and_parses() {
        let mut t = Echo {
            sent: vec![],
            answer: vec![0xAA, 0x90, 0x00],
            link: LinkInfo::default(),
        };
        let r = exchange(&mut t, &CommandApdu::get_challenge()).unwrap();
        assert_eq!(r.data, [0xAA]);
        assert_eq!(r.sw, StatusWord::SUCCESS);
        assert_eq!(t.sent, [vec![0x00, 0x84, 0x00, 0x00, 0x08]]);
        // Through &mut and Box.
        let mut boxed: Box<dyn Transport> = Box::new(t);
        assert!(exchange(&mut boxed, &CommandApdu::get_challenge()).is_ok());
        assert_eq!(boxed.link_info(), LinkInfo::SHORT);
    }

    #[test]
    fn exchange_errors() {
        // Extended command on a short link.
        let mut t = Echo {
            sent: vec![],
            answer: vec![0x90, 0x00],
            link: LinkInfo::SHORT,
        };
        let cmd = CommandApdu::read_binary(0, 1000).unwrap();
        assert_eq!(
            exchange(&mut t, &cmd),
            Err(Error::Apdu(ApduErrorKind::ExtendedNotSupported))
        );
        let long = CommandApdu::new(0, 0xD6, 0, 0).with_data(vec![0; 300]);
        assert_eq!(
            exchange(&mut t, &long),
            Err(Error::Apdu(ApduErrorKind::ExceedsLink {
                len: 307,
                max: 261
            }))
        );
        assert!(t.sent.is_empty());
        t.link = LinkInfo::extended(65_544, 65_538);
        assert!(exchange(&mut t, &cmd).is_ok());
        // Too short an answer.
        t.answer = vec![0x90];
        assert_eq!(
            exchange(&mut t, &CommandApdu::get_challenge()),
            Err(Error::Apdu(ApduErrorKind::ResponseTooShort { len: 1 }))
        );
        // The link fails.
        t.answer = vec![];
        assert_eq!(
            exchange(&mut t, &CommandApdu::get_challenge()),
            Err(Error::Transport(TransportError::new(
                TransportErrorKind::NoCard,
                "card removed"
            )))
        );
    }
}
