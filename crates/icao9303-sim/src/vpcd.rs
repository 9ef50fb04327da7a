//! The virtual chip as a PC/SC card, through the virtual reader driver of
//! vsmartcard (`vpcd`, Debian package `vsmartcard-vpcd`).
//!
//! pcscd loads vpcd as a reader driver; vpcd listens on TCP (port 35963 for
//! its first reader, "Virtual PCD 00 00") and a virtual card connects to it
//! as a client. Each message either way is a 2-byte big-endian length and
//! that many bytes. From vpcd, a 1-byte message is a control: `00` power
//! off, `01` power on, `02` reset, `04` "send your ATR"; anything longer is
//! a command APDU. The card answers the ATR request with its ATR and each
//! APDU with the response; the other controls get no answer.
//!
//! The framing is sans-IO ([`Decoder`], [`encode`]); [`VirtualCard`] turns
//! messages into answers; [`serve`] and [`serve_tcp`] are the thin loop
//! over a stream. Framing errors are [`std::io::Error`]s of kind
//! `InvalidData`: their only consumer is a socket loop.
//!
//! ```
//! use icao9303_sim::vpcd::{Decoder, Message, encode};
//!
//! let mut d = Decoder::new();
//! d.push(&[0x00, 0x01, 0x04, 0x00]); // "get ATR", then half a length
//! assert_eq!(d.next_message()?, Some(Message::GetAtr));
//! assert_eq!(d.next_message()?, None);
//! d.push(&[0x05, 0x00, 0x84, 0x00, 0x00, 0x08]);
//! assert_eq!(
//!     d.next_message()?,
//!     Some(Message::Apdu(vec![0x00, 0x84, 0x00, 0x00, 0x08]))
//! );
//! assert_eq!(encode(&[0x90, 0x00])?, [0x00, 0x02, 0x90, 0x00]);
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io::{self, Read, Write};
use std::net::TcpStream;

use icao9303::transport::Transport;

use crate::VirtualChip;

/// vpcd's port for its first virtual reader.
pub const DEFAULT_PORT: u16 = 35963;

/// The longest message the 2-byte length carries.
pub const MAX_MESSAGE: usize = 0xFFFF;

/// A message from vpcd.
///
/// Exhaustive: vsmartcard's vpcd protocol has these messages only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// `00`: the reader powers the card off.
    PowerOff,
    /// `01`: the reader powers the card on.
    PowerOn,
    /// `02`: the reader resets the card.
    Reset,
    /// `04`: the reader asks for the ATR.
    GetAtr,
    /// A command APDU.
    Apdu(Vec<u8>),
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// Splits the byte stream from vpcd into messages, whatever the reads'
/// boundaries.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
}

impl Decoder {
    /// An empty decoder.
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// Adds bytes read from the stream.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes held that do not yet make a whole message.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    /// The next whole message, `None` when more bytes are needed. A zero
    /// length or an unknown control byte is an error (the stream is out of
    /// step: drop the connection).
    pub fn next_message(&mut self) -> io::Result<Option<Message>> {
        let Some(&[hi, lo]) = self.buf.first_chunk::<2>() else {
            return Ok(None);
        };
        let len = usize::from(u16::from_be_bytes([hi, lo]));
        if len == 0 {
            return Err(invalid("vpcd: a message of length 0".into()));
        }
        let Some(body) = self.buf.get(2..2 + len) else {
            return Ok(None);
        };
        let message = match body {
            [0x00] => Message::PowerOff,
            [0x01] => Message::PowerOn,
            [0x02] => Message::Reset,
            [0x04] => Message::GetAtr,
            [other] => {
                return Err(invalid(format!("vpcd: unknown control byte {other:02X}")));
            }
            apdu => Message::Apdu(apdu.to_vec()),
        };
        self.buf.drain(..2 + len);
        Ok(Some(message))
    }

    /// At the end of the stream: an error when a message was cut short.
    pub fn finish(&self) -> io::Result<()> {
        if self.buf.is_empty() {
            Ok(())
        } else {
            Err(invalid(format!(
                "vpcd: the connection closed inside a message ({} bytes left)",
                self.buf.len()
            )))
        }
    }
}

/// `payload` with its 2-byte big-endian length; longer than
/// [`MAX_MESSAGE`] is an error.
pub fn encode(payload: &[u8]) -> io::Result<Vec<u8>> {
    let len = u16::try_from(payload.len()).map_err(|_| {
        invalid(format!(
            "vpcd: {} bytes do not fit a message",
            payload.len()
        ))
    })?;
    let mut out = Vec::with_capacity(payload.len() + 2);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(payload);
    Ok(out)
}

/// The ATR of a contactless card as a PC/SC reader builds it (PC/SC part
/// 3: `3B 8n 80 01`, the historical bytes, TCK), with historical bytes of
/// category `80` holding card capabilities (`73 84 21 xx`) whose third
/// byte says whether extended Lc and Le fields are supported (`40`).
pub fn atr(extended_length: bool) -> Vec<u8> {
    let historical = [
        0x80,
        0x73,
        0x84,
        0x21,
        if extended_length { 0x40 } else { 0x00 },
    ];
    let mut atr = vec![0x3B, 0x80 | historical.len() as u8, 0x80, 0x01];
    atr.extend_from_slice(&historical);
    let tck = atr.iter().skip(1).fold(0u8, |a, b| a ^ b);
    atr.push(tck);
    atr
}

/// The virtual chip seen through vpcd: answers the reader's messages.
#[derive(Debug)]
pub struct VirtualCard {
    chip: VirtualChip,
    atr: Vec<u8>,
}

impl VirtualCard {
    /// A card around `chip`, with an ATR telling whether the chip takes
    /// extended-length APDUs.
    pub fn new(chip: VirtualChip) -> VirtualCard {
        let atr = atr(chip.config().extended_length);
        VirtualCard { chip, atr }
    }

    /// The ATR sent to the reader.
    pub fn atr(&self) -> &[u8] {
        &self.atr
    }

    /// The chip.
    pub fn chip(&self) -> &VirtualChip {
        &self.chip
    }

    /// What to send back for `message`, if anything. Power off, power on
    /// and reset end any session (the chip is reset). A response that does
    /// not fit a message is answered `6700` (wrong length).
    pub fn handle(&mut self, message: Message) -> Option<Vec<u8>> {
        match message {
            Message::PowerOff | Message::PowerOn | Message::Reset => {
                self.chip.reset();
                None
            }
            Message::GetAtr => Some(self.atr.clone()),
            Message::Apdu(apdu) => {
                let rsp = self
                    .chip
                    .transmit(&apdu)
                    .unwrap_or_else(|_| vec![0x6F, 0x00]);
                if rsp.len() > MAX_MESSAGE {
                    Some(vec![0x67, 0x00])
                } else {
                    Some(rsp)
                }
            }
        }
    }
}

/// Serves `card` on `stream` until the other side closes it: Ok at a
/// clean end, an error when the stream fails or breaks the framing.
pub fn serve<S: Read + Write>(stream: &mut S, card: &mut VirtualCard) -> io::Result<()> {
    let mut decoder = Decoder::new();
    let mut buf = vec![0u8; 4096];
    loop {
        let n = match stream.read(&mut buf) {
            Ok(0) => return decoder.finish(),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        decoder.push(buf.get(..n).unwrap_or_default());
        while let Some(message) = decoder.next_message()? {
            if let Some(answer) = card.handle(message) {
                stream.write_all(&encode(&answer)?)?;
                stream.flush()?;
            }
        }
    }
}

/// Connects to vpcd at `host:port` and serves `card` until vpcd closes the
/// connection (pcscd stopped): the caller reconnects if it wants.
pub fn serve_tcp(host: &str, port: u16, card: &mut VirtualCard) -> io::Result<()> {
    let mut stream = TcpStream::connect((host, port))?;
    stream.set_nodelay(true)?;
    serve(&mut stream, card)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::pki::TestPki;
    use crate::{ChipConfig, Personalisation, SimRng};
    use icao9303::apdu::{AID_LDS1, CommandApdu};

    fn card(config: ChipConfig) -> VirtualCard {
        let mut rng = SimRng::from_seed_u64(7);
        let pki = TestPki::generate(&mut rng, "VN").unwrap();
        let data = Personalisation::cccd("001099012345", "990315", "240315")
            .unwrap()
            .build(&mut rng, &pki)
            .unwrap();
        VirtualCard::new(VirtualChip::new(data, config, SimRng::from_seed_u64(8)))
    }

    #[test]
    fn split_reads_give_the_same_messages() {
        let stream = [
            0x00, 0x01, 0x01, // power on
            0x00, 0x01, 0x04, // get ATR
            0x00, 0x05, 0x00, 0x84, 0x00, 0x00, 0x08, // GET CHALLENGE
            0x00, 0x01, 0x02, // reset
            0x00, 0x01, 0x00, // power off
        ];
        let expected = vec![
            Message::PowerOn,
            Message::GetAtr,
            Message::Apdu(vec![0x00, 0x84, 0x00, 0x00, 0x08]),
            Message::Reset,
            Message::PowerOff,
        ];
        for split in 1..=stream.len() {
            let mut d = Decoder::new();
            let mut got = Vec::new();
            for chunk in stream.chunks(split) {
                d.push(chunk);
                while let Some(m) = d.next_message().unwrap() {
                    got.push(m);
                }
            }
            assert_eq!(got, expected, "reads of {split} bytes");
            assert_eq!(d.pending(), 0);
            d.finish().unwrap();
        }
    }

    #[test]
    fn malformed_streams_are_refused() {
        let mut d = Decoder::new();
        d.push(&[0x00, 0x00, 0x01]);
        assert_eq!(
            d.next_message().unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
        let mut d = Decoder::new();
        d.push(&[0x00, 0x01, 0x03]);
        assert!(d.next_message().is_err());
        // A length announcing more than comes, then the end of the stream.
        let mut d = Decoder::new();
        d.push(&[0x01, 0x00, 0x00, 0xA4]);
        assert_eq!(d.next_message().unwrap(), None);
        assert_eq!(d.finish().unwrap_err().kind(), io::ErrorKind::InvalidData);
        // Half a length.
        let mut d = Decoder::new();
        d.push(&[0x00]);
        assert_eq!(d.next_message().unwrap(), None);
        assert!(d.finish().is_err());
        // Too long to send.
        assert!(encode(&vec![0; MAX_MESSAGE + 1]).is_err());
        assert_eq!(encode(&vec![0; MAX_MESSAGE]).unwrap()[..2], [0xFF, 0xFF]);
    }

    #[test]
    fn atr_matches_a_real_passport() {
        // pcsc-tools' smartcard_list.txt: "3B 85 80 01 80 73 84 21 40 12
        // Dutch Biometric Passport" (extended length in its capabilities).
        assert_eq!(
            atr(true),
            [0x3B, 0x85, 0x80, 0x01, 0x80, 0x73, 0x84, 0x21, 0x40, 0x12]
        );
        // Without the bit, TCK changes with it.
        assert_eq!(atr(false)[8], 0x00);
        assert_eq!(atr(false)[9], 0x12 ^ 0x40);
    }

    /// A stream that reads from a script and records what is written.
    struct Duplex {
        input: io::Cursor<Vec<u8>>,
        output: Vec<u8>,
    }
    impl Read for Duplex {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            // Three bytes at a time: messages straddle the reads.
            let n = buf.len().min(3);
            self.input.read(&mut buf[..n])
        }
    }
    impl Write for Duplex {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.output.write(buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn script(messages: &[&[u8]]) -> Duplex {
        let mut input = Vec::new();
        for m in messages {
            input.extend(encode(m).unwrap());
        }
        Duplex {
            input: io::Cursor::new(input),
            output: Vec::new(),
        }
    }

    fn answers(out: &[u8]) -> Vec<Vec<u8>> {
        let mut d = Decoder::new();
        d.push(out);
        let mut v = Vec::new();
        // Answers have the same framing; a 1-byte answer would read as a
        // control, which no answer here is.
        while let Some(Message::Apdu(a)) = d.next_message().unwrap() {
            v.push(a);
        }
        v
    }

    #[test]
    fn serves_a_session() {
        let mut c = card(ChipConfig::SHORT);
        let select = CommandApdu::select_aid(&AID_LDS1).to_bytes().unwrap();
        let read = CommandApdu::read_binary_sfi(0x1E, 0, 4)
            .unwrap()
            .to_bytes()
            .unwrap();
        let mut s = script(&[&[0x01], &[0x04], &select, &read, &[0x02], &[0x00]]);
        serve(&mut s, &mut c).unwrap();
        let a = answers(&s.output);
        assert_eq!(a.len(), 3, "{a:02X?}");
        assert_eq!(a[0], atr(false));
        assert_eq!(a[1], [0x90, 0x00]);
        // Nothing is readable before access control.
        assert_eq!(a[2], [0x69, 0x82]);
        // A stream cut inside a message is an error.
        let mut s = script(&[&[0x04]]);
        s.input.get_mut().extend([0x00, 0x05, 0x00]);
        assert_eq!(
            serve(&mut s, &mut c).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
    }

    #[test]
    fn reset_ends_the_session() {
        let mut c = card(ChipConfig::default());
        assert_eq!(c.atr(), atr(true));
        let key = c.chip().data().access_key.clone();
        let mut rng = SimRng::from_seed_u64(9);
        let select = CommandApdu::select_aid(&AID_LDS1);
        // BAC through the card's message handler.
        struct Via<'a>(&'a mut VirtualCard);
        impl Transport for Via<'_> {
            fn transmit(
                &mut self,
                apdu: &[u8],
            ) -> Result<Vec<u8>, icao9303::transport::TransportError> {
                Ok(self.0.handle(Message::Apdu(apdu.to_vec())).unwrap())
            }
        }
        icao9303::transport::exchange(&mut Via(&mut c), &select).unwrap();
        let mut sm = icao9303::bac::authenticate(&mut Via(&mut c), &key, &mut rng).unwrap();
        let read = CommandApdu::read_binary_sfi(0x1E, 0, 4).unwrap();
        let r = sm.transmit(&mut Via(&mut c), &read).unwrap();
        assert!(r.sw.is_success());
        assert_eq!(c.handle(Message::Reset), None);
        // After the reset the session is gone.
        assert!(sm.transmit(&mut Via(&mut c), &read).is_err());
    }
}
