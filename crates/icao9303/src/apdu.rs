//! Command and response APDUs (ISO/IEC 7816-3 §12.1, 7816-4 §5), status
//! words with names, and the commands an eMRTD reader sends.
//!
//! A [`CommandApdu`] holds the header, the command data and `Ne`, the
//! maximum number of response bytes expected. Encoding picks the short form
//! when it fits (`Lc` ≤ 255, `Ne` ≤ 256) and the extended form otherwise;
//! [`CommandApdu::to_bytes_with`] forces one. Parsing a response never
//! panics: anything of two bytes or more is data plus a status word.
//!
//! ```
//! use icao9303::apdu::{CommandApdu, ResponseApdu, StatusWord};
//!
//! // Doc 9303 Part 11 D.3: GET CHALLENGE and the card's answer.
//! assert_eq!(CommandApdu::get_challenge().to_bytes()?, [0x00, 0x84, 0x00, 0x00, 0x08]);
//! let rsp = ResponseApdu::parse(&[0x46, 0x08, 0xF9, 0x19, 0x88, 0x70, 0x22, 0x12, 0x90, 0x00])?;
//! assert_eq!(rsp.sw, StatusWord::SUCCESS);
//! assert_eq!(rsp.data.len(), 8);
//!
//! // Reading beyond offset 32767 takes the odd INS B1 with the offset in DO'54.
//! let cmd = CommandApdu::read_binary_odd(0x8000, 0xDF)?;
//! assert_eq!(cmd.to_bytes()?, [0x00, 0xB1, 0x00, 0x00, 0x04, 0x54, 0x02, 0x80, 0x00, 0xDF]);
//! # Ok::<(), icao9303::Error>(())
//! ```
//!
//! Past 800 lines only with its unit tests (the code is about 700 lines):
//! the encodings and their edge cases are kept next to each other.

use core::fmt;

use crate::Error;
use crate::tlv::{Tag, Tlv};

/// Largest `Nc` (command data length) of an extended APDU.
pub const MAX_EXTENDED_DATA: usize = 65_535;
/// Largest `Ne` of an extended APDU (`Le` = `0000`).
pub const MAX_EXTENDED_NE: u32 = 65_536;
/// Largest `Nc` of a short APDU.
pub const MAX_SHORT_DATA: usize = 255;
/// Largest `Ne` of a short APDU (`Le` = `00`).
pub const MAX_SHORT_NE: u32 = 256;

/// The application identifier of the eMRTD LDS1 application.
pub const AID_LDS1: [u8; 7] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];

/// What is wrong with an APDU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApduErrorKind {
    /// The command data is longer than an extended APDU can carry (65535).
    #[error("command data of {len} bytes is longer than 65535")]
    DataTooLong {
        /// The data length.
        len: usize,
    },
    /// `Ne` is 0 or above 65536 (use `None` for "no response data").
    #[error("Ne = {ne} is not in 1..=65536")]
    NeOutOfRange {
        /// The value given.
        ne: u32,
    },
    /// The short encoding was asked for a command that needs the extended one.
    #[error("the command does not fit a short APDU")]
    NotShort,
    /// A READ BINARY offset out of the range of its form.
    #[error("offset {offset} is out of range for this READ BINARY form (max {max})")]
    OffsetOutOfRange {
        /// The offset asked for.
        offset: u32,
        /// The largest offset the form can encode.
        max: u32,
    },
    /// A short file identifier outside 1..=30.
    #[error("short file identifier {sfi} is not in 1..=30")]
    InvalidSfi {
        /// The value given.
        sfi: u8,
    },
    /// A response shorter than its two status bytes.
    #[error("a response of {len} bytes has no status word")]
    ResponseTooShort {
        /// The number of bytes received.
        len: usize,
    },
    /// Bytes that are not a command APDU of any of the cases 1 to 4.
    #[error("{len} bytes are not a command APDU: {reason}")]
    MalformedCommand {
        /// The number of bytes.
        len: usize,
        /// What does not fit.
        reason: &'static str,
    },
    /// The encoded command is longer than the link can carry.
    #[error("a command of {len} bytes exceeds the link's maximum of {max}")]
    ExceedsLink {
        /// The encoded length.
        len: usize,
        /// What the link takes.
        max: usize,
    },
    /// An extended-length command on a link that carries short APDUs only.
    #[error("an extended-length command on a link without extended length")]
    ExtendedNotSupported,
    /// The answer to READ BINARY with odd INS is not a DO'53.
    #[error("READ BINARY (B1) answer is not a DO'53")]
    MissingDo53,
}

impl From<ApduErrorKind> for Error {
    fn from(kind: ApduErrorKind) -> Error {
        Error::Apdu(kind)
    }
}

/// The two length encodings of ISO/IEC 7816-3.
///
/// Exhaustive: ISO/IEC 7816-4 has short and extended lengths only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum LengthEncoding {
    /// One-byte `Lc` and `Le` (`Nc` ≤ 255, `Ne` ≤ 256).
    Short,
    /// Three-byte `Lc` (`00 XX XX`) and two- or three-byte `Le`.
    Extended,
}

/// A status word `SW1 SW2`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StatusWord(u16);

impl StatusWord {
    /// `9000`: normal processing.
    pub const SUCCESS: StatusWord = StatusWord(0x9000);
    /// `6282`: end of file reached before `Ne` bytes were read.
    pub const END_OF_FILE: StatusWord = StatusWord(0x6282);
    /// `6300`: verification (authentication) failed.
    pub const VERIFICATION_FAILED: StatusWord = StatusWord(0x6300);
    /// `6581`: memory failure.
    pub const MEMORY_FAILURE: StatusWord = StatusWord(0x6581);
    /// `6700`: wrong length.
    pub const WRONG_LENGTH: StatusWord = StatusWord(0x6700);
    /// `6882`: secure messaging not supported.
    pub const SM_NOT_SUPPORTED: StatusWord = StatusWord(0x6882);
    /// `6982`: security status not satisfied.
    pub const SECURITY_STATUS_NOT_SATISFIED: StatusWord = StatusWord(0x6982);
    /// `6983`: authentication method blocked.
    pub const AUTHENTICATION_BLOCKED: StatusWord = StatusWord(0x6983);
    /// `6984`: reference data not usable.
    pub const REFERENCE_DATA_NOT_USABLE: StatusWord = StatusWord(0x6984);
    /// `6985`: conditions of use not satisfied.
    pub const CONDITIONS_NOT_SATISFIED: StatusWord = StatusWord(0x6985);
    /// `6986`: command not allowed (no current EF).
    pub const COMMAND_NOT_ALLOWED: StatusWord = StatusWord(0x6986);
    /// `6987`: expected secure messaging data objects missing.
    pub const SM_OBJECTS_MISSING: StatusWord = StatusWord(0x6987);
    /// `6988`: incorrect secure messaging data objects.
    pub const SM_OBJECTS_INCORRECT: StatusWord = StatusWord(0x6988);
    /// `6A80`: incorrect parameters in the command data field.
    pub const WRONG_DATA: StatusWord = StatusWord(0x6A80);
    /// `6A81`: function not supported.
    pub const FUNCTION_NOT_SUPPORTED: StatusWord = StatusWord(0x6A81);
    /// `6A82`: file or application not found.
    pub const FILE_NOT_FOUND: StatusWord = StatusWord(0x6A82);
    /// `6A86`: incorrect parameters P1-P2.
    pub const INCORRECT_P1_P2: StatusWord = StatusWord(0x6A86);
    /// `6A88`: referenced data not found.
    pub const REFERENCED_DATA_NOT_FOUND: StatusWord = StatusWord(0x6A88);
    /// `6B00`: wrong parameters P1-P2 (offset outside the EF).
    pub const WRONG_P1_P2: StatusWord = StatusWord(0x6B00);
    /// `6D00`: instruction not supported.
    pub const INS_NOT_SUPPORTED: StatusWord = StatusWord(0x6D00);
    /// `6E00`: class not supported.
    pub const CLA_NOT_SUPPORTED: StatusWord = StatusWord(0x6E00);
    /// `6F00`: no precise diagnosis.
    pub const NO_PRECISE_DIAGNOSIS: StatusWord = StatusWord(0x6F00);

    /// The status word `sw1 sw2` as one number.
    pub const fn new(sw: u16) -> StatusWord {
        StatusWord(sw)
    }

    /// The status word from its two bytes.
    pub const fn from_bytes(sw1: u8, sw2: u8) -> StatusWord {
        StatusWord(((sw1 as u16) << 8) | sw2 as u16)
    }

    /// The status word as one number, e.g. `0x9000`.
    pub const fn to_u16(self) -> u16 {
        self.0
    }

    /// The two bytes, `[SW1, SW2]`.
    pub const fn to_bytes(self) -> [u8; 2] {
        self.0.to_be_bytes()
    }

    /// `SW1`.
    pub const fn sw1(self) -> u8 {
        (self.0 >> 8) as u8
    }

    /// `SW2`.
    pub const fn sw2(self) -> u8 {
        (self.0 & 0xFF) as u8
    }

    /// Whether this is `9000`.
    pub const fn is_success(self) -> bool {
        self.0 == 0x9000
    }

    /// `9000` or `6282` (end of file before `Ne` bytes): a READ BINARY
    /// answer whose data is file content.
    pub const fn is_read_data(self) -> bool {
        matches!(self, StatusWord::SUCCESS | StatusWord::END_OF_FILE)
    }

    /// `61xx`: the number of response bytes still available (GET RESPONSE);
    /// `6100` means 256 or more.
    pub const fn bytes_remaining(self) -> Option<u32> {
        if self.sw1() == 0x61 {
            Some(ne_from_byte(self.sw2()))
        } else {
            None
        }
    }

    /// `6Cxx`: wrong `Le`, the exact length the card has (`6C00`: 256).
    pub const fn exact_length(self) -> Option<u32> {
        if self.sw1() == 0x6C {
            Some(ne_from_byte(self.sw2()))
        } else {
            None
        }
    }

    /// `63Cx`: verification failed, `x` tries left.
    pub const fn retries_left(self) -> Option<u8> {
        if self.sw1() == 0x63 && self.sw2() & 0xF0 == 0xC0 {
            Some(self.sw2() & 0x0F)
        } else {
            None
        }
    }

    /// The meaning of the status word (ISO/IEC 7816-4 §5.6), in English.
    pub fn name(self) -> &'static str {
        match self.0 {
            0x9000 => "normal processing",
            0x6281 => "part of returned data may be corrupted",
            0x6282 => "end of file reached before Ne bytes",
            0x6283 => "selected file deactivated",
            0x6300 => "verification failed",
            0x6581 => "memory failure",
            0x6700 => "wrong length",
            0x6881 => "logical channel not supported",
            0x6882 => "secure messaging not supported",
            0x6883 => "last command of the chain expected",
            0x6884 => "command chaining not supported",
            0x6981 => "command incompatible with file structure",
            0x6982 => "security status not satisfied",
            0x6983 => "authentication method blocked",
            0x6984 => "reference data not usable",
            0x6985 => "conditions of use not satisfied",
            0x6986 => "command not allowed (no current EF)",
            0x6987 => "expected secure messaging data objects missing",
            0x6988 => "incorrect secure messaging data objects",
            0x6A80 => "incorrect parameters in the command data field",
            0x6A81 => "function not supported",
            0x6A82 => "file or application not found",
            0x6A83 => "record not found",
            0x6A84 => "not enough memory space in the file",
            0x6A86 => "incorrect parameters P1-P2",
            0x6A87 => "Nc inconsistent with parameters P1-P2",
            0x6A88 => "referenced data or reference data not found",
            0x6B00 => "wrong parameters P1-P2",
            0x6D00 => "instruction code not supported or invalid",
            0x6E00 => "class not supported",
            0x6F00 => "no precise diagnosis",
            _ => match self.sw1() {
                0x61 => "response bytes still available",
                0x62 => "warning: state of non-volatile memory unchanged",
                0x63 if self.sw2() & 0xF0 == 0xC0 => "verification failed, counter in SW2",
                0x63 => "warning: state of non-volatile memory changed",
                0x64 => "execution error: state of non-volatile memory unchanged",
                0x65 => "execution error: state of non-volatile memory changed",
                0x66 => "security-related issue",
                0x67 => "wrong length",
                0x68 => "functions in CLA not supported",
                0x69 => "command not allowed",
                0x6A => "wrong parameters P1-P2",
                0x6C => "wrong Le field, exact length in SW2",
                0x90 => "normal processing",
                _ => "unknown status word",
            },
        }
    }
}

const fn ne_from_byte(b: u8) -> u32 {
    if b == 0 { 256 } else { b as u32 }
}

impl fmt::Display for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04X} ({})", self.0, self.name())
    }
}

impl fmt::Debug for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StatusWord({:04X} {})", self.0, self.name())
    }
}

impl From<u16> for StatusWord {
    fn from(sw: u16) -> StatusWord {
        StatusWord(sw)
    }
}

/// A command APDU: header, command data and `Ne`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CommandApdu {
    /// Class byte.
    pub cla: u8,
    /// Instruction byte.
    pub ins: u8,
    /// Parameter 1.
    pub p1: u8,
    /// Parameter 2.
    pub p2: u8,
    /// Command data (`Nc` = its length; empty for cases 1 and 2).
    pub data: Vec<u8>,
    /// `Ne`, the maximum number of response data bytes expected, 1..=65536;
    /// `None` for cases 1 and 3 (no `Le` field). 256 encodes as short
    /// `Le = 00`, 65536 as extended `Le = 0000`.
    pub ne: Option<u32>,
}

/// CLA bit of command chaining (ISO/IEC 7816-4 §5.4.1).
pub const CLA_CHAINING: u8 = 0x10;
/// CLA bits of secure messaging with an authenticated header.
pub const CLA_SM: u8 = 0x0C;

impl CommandApdu {
    /// A case 1 command (header only).
    pub const fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> CommandApdu {
        CommandApdu {
            cla,
            ins,
            p1,
            p2,
            data: Vec::new(),
            ne: None,
        }
    }

    /// The same command with `data` as command data.
    #[must_use]
    pub fn with_data(mut self, data: impl Into<Vec<u8>>) -> CommandApdu {
        self.data = data.into();
        self
    }

    /// The same command with `Ne` set (`None`: no `Le` field).
    #[must_use]
    pub fn with_ne(mut self, ne: Option<u32>) -> CommandApdu {
        self.ne = ne;
        self
    }

    /// The four header bytes.
    pub const fn header(&self) -> [u8; 4] {
        [self.cla, self.ins, self.p1, self.p2]
    }

    /// Whether INS is odd (its data field is BER-TLV encoded; secure
    /// messaging carries it in DO'85 instead of DO'87).
    pub const fn has_odd_ins(&self) -> bool {
        self.ins & 1 == 1
    }

    /// Whether CLA announces that more commands of a chain follow.
    pub const fn is_chained(&self) -> bool {
        self.cla & CLA_CHAINING != 0
    }

    /// Checks `Nc` and `Ne` and says which encoding [`to_bytes`](Self::to_bytes) uses.
    pub fn encoding(&self) -> Result<LengthEncoding, Error> {
        if self.data.len() > MAX_EXTENDED_DATA {
            return Err(ApduErrorKind::DataTooLong {
                len: self.data.len(),
            }
            .into());
        }
        if let Some(ne) = self.ne
            && (ne == 0 || ne > MAX_EXTENDED_NE)
        {
            return Err(ApduErrorKind::NeOutOfRange { ne }.into());
        }
        let short =
            self.data.len() <= MAX_SHORT_DATA && self.ne.is_none_or(|ne| ne <= MAX_SHORT_NE);
        Ok(if short {
            LengthEncoding::Short
        } else {
            LengthEncoding::Extended
        })
    }

    /// The command's bytes, in the short form when it fits and the extended
    /// form otherwise.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        let enc = self.encoding()?;
        self.to_bytes_with(enc)
    }

    /// The command's bytes in the given form. Asking for the short form of a
    /// command that needs the extended one is an error.
    pub fn to_bytes_with(&self, encoding: LengthEncoding) -> Result<Vec<u8>, Error> {
        let needed = self.encoding()?;
        if encoding == LengthEncoding::Short && needed == LengthEncoding::Extended {
            return Err(ApduErrorKind::NotShort.into());
        }
        let nc = self.data.len();
        let mut out = Vec::with_capacity(nc.saturating_add(9));
        out.extend_from_slice(&self.header());
        match encoding {
            LengthEncoding::Short => {
                if nc > 0 {
                    out.push(nc as u8);
                    out.extend_from_slice(&self.data);
                }
                if let Some(ne) = self.ne {
                    // 256 becomes 00; ne <= 256 was checked.
                    out.push((ne & 0xFF) as u8);
                }
            }
            LengthEncoding::Extended => {
                if nc > 0 {
                    out.push(0);
                    out.extend_from_slice(&(nc as u16).to_be_bytes());
                    out.extend_from_slice(&self.data);
                }
                if let Some(ne) = self.ne {
                    if nc == 0 {
                        out.push(0);
                    }
                    // 65536 becomes 0000; ne <= 65536 was checked.
                    out.extend_from_slice(&((ne & 0xFFFF) as u16).to_be_bytes());
                }
            }
        }
        Ok(out)
    }

    /// Decodes a command APDU of any case, short or extended (ISO/IEC
    /// 7816-3 §12.1.3). Used by the card side.
    pub fn parse(bytes: &[u8]) -> Result<CommandApdu, Error> {
        let len = bytes.len();
        let bad = |reason| Error::Apdu(ApduErrorKind::MalformedCommand { len, reason });
        let (header, body) = bytes
            .split_first_chunk::<4>()
            .ok_or_else(|| bad("shorter than a header"))?;
        let [cla, ins, p1, p2] = *header;
        let mut cmd = CommandApdu::new(cla, ins, p1, p2);
        let Some((&b1, rest)) = body.split_first() else {
            return Ok(cmd); // case 1
        };
        if rest.is_empty() {
            cmd.ne = Some(ne_from_byte(b1)); // case 2S
            return Ok(cmd);
        }
        if b1 != 0 {
            // Case 3S or 4S: Lc = b1.
            let nc = usize::from(b1);
            let data = rest
                .get(..nc)
                .ok_or_else(|| bad("Lc longer than the data"))?;
            let tail = rest.get(nc..).unwrap_or_default();
            cmd.data = data.to_vec();
            match tail {
                [] => {}
                [le] => cmd.ne = Some(ne_from_byte(*le)),
                _ => return Err(bad("bytes after Le")),
            }
            return Ok(cmd);
        }
        // Extended: b1 = 00.
        match rest {
            [hi, lo] => {
                cmd.ne = Some(ne_from_ext(*hi, *lo)); // case 2E
                Ok(cmd)
            }
            [hi, lo, tail @ ..] => {
                let nc = usize::from(u16::from_be_bytes([*hi, *lo]));
                if nc == 0 {
                    return Err(bad("extended Lc of 0"));
                }
                let data = tail
                    .get(..nc)
                    .ok_or_else(|| bad("Lc longer than the data"))?;
                cmd.data = data.to_vec();
                match tail.get(nc..).unwrap_or_default() {
                    [] => {}
                    [a, b] => cmd.ne = Some(ne_from_ext(*a, *b)),
                    _ => return Err(bad("extended Le is not two bytes")),
                }
                Ok(cmd)
            }
            _ => Err(bad("truncated extended length")),
        }
    }

    // ---- the commands of an eMRTD reader ----------------------------------

    /// SELECT by application identifier, no response data
    /// (`00 A4 04 0C Lc AID`).
    pub fn select_aid(aid: &[u8]) -> CommandApdu {
        CommandApdu::new(0x00, 0xA4, 0x04, 0x0C).with_data(aid)
    }

    /// SELECT an elementary file by its identifier under the current DF, no
    /// response data (`00 A4 02 0C 02 FID`).
    pub fn select_file(fid: u16) -> CommandApdu {
        CommandApdu::new(0x00, 0xA4, 0x02, 0x0C).with_data(fid.to_be_bytes())
    }

    /// SELECT the master file (`00 A4 00 0C 02 3F00`), where EF.CardAccess lives.
    pub fn select_master_file() -> CommandApdu {
        CommandApdu::new(0x00, 0xA4, 0x00, 0x0C).with_data([0x3F, 0x00])
    }

    /// READ BINARY of the current EF (`00 B0 offset Le`), offset ≤ 32767.
    pub fn read_binary(offset: u16, ne: u32) -> Result<CommandApdu, Error> {
        if offset > 0x7FFF {
            return Err(ApduErrorKind::OffsetOutOfRange {
                offset: u32::from(offset),
                max: 0x7FFF,
            }
            .into());
        }
        let [p1, p2] = offset.to_be_bytes();
        let cmd = CommandApdu::new(0x00, 0xB0, p1, p2).with_ne(Some(ne));
        cmd.encoding()?;
        Ok(cmd)
    }

    /// READ BINARY with a short file identifier (`00 B0 80|SFI offset Le`),
    /// which selects the EF as it reads; offset ≤ 255.
    pub fn read_binary_sfi(sfi: u8, offset: u8, ne: u32) -> Result<CommandApdu, Error> {
        if !(1..=30).contains(&sfi) {
            return Err(ApduErrorKind::InvalidSfi { sfi }.into());
        }
        let cmd = CommandApdu::new(0x00, 0xB0, 0x80 | sfi, offset).with_ne(Some(ne));
        cmd.encoding()?;
        Ok(cmd)
    }

    /// READ BINARY with odd INS (`00 B1 00 00 Lc 54 L offset Le`), for
    /// offsets beyond 32767. The answer is a DO'53: see
    /// [`read_binary_odd_data`].
    pub fn read_binary_odd(offset: u32, ne: u32) -> Result<CommandApdu, Error> {
        if offset > 0xFF_FFFF {
            return Err(ApduErrorKind::OffsetOutOfRange {
                offset,
                max: 0xFF_FFFF,
            }
            .into());
        }
        let be = offset.to_be_bytes();
        // Minimal big-endian encoding, at least one byte.
        let skip = be.iter().take(3).take_while(|b| **b == 0).count();
        let value = be.get(skip..).unwrap_or(&[0]);
        let mut data = vec![0x54, value.len() as u8];
        data.extend_from_slice(value);
        let cmd = CommandApdu::new(0x00, 0xB1, 0x00, 0x00)
            .with_data(data)
            .with_ne(Some(ne));
        cmd.encoding()?;
        Ok(cmd)
    }

    /// GET CHALLENGE of 8 bytes (`00 84 00 00 08`).
    pub fn get_challenge() -> CommandApdu {
        CommandApdu::new(0x00, 0x84, 0x00, 0x00).with_ne(Some(8))
    }

    /// EXTERNAL AUTHENTICATE (`00 82 00 00 Lc data`), no response data
    /// (Terminal Authentication).
    pub fn external_authenticate(data: impl Into<Vec<u8>>) -> CommandApdu {
        CommandApdu::new(0x00, 0x82, 0x00, 0x00).with_data(data)
    }

    /// MUTUAL AUTHENTICATE, the same INS 82 with response data expected
    /// (`00 82 00 00 Lc data Le`), as BAC uses it.
    pub fn mutual_authenticate(data: impl Into<Vec<u8>>, ne: u32) -> CommandApdu {
        CommandApdu::new(0x00, 0x82, 0x00, 0x00)
            .with_data(data)
            .with_ne(Some(ne))
    }

    /// MANAGE SECURITY ENVIRONMENT: Set Authentication Template
    /// (`00 22 P1 A4 Lc data`); `p1` is `C1` for PACE, `41` for Chip
    /// Authentication, `81` for Terminal Authentication.
    pub fn mse_set_at(p1: u8, data: impl Into<Vec<u8>>) -> CommandApdu {
        CommandApdu::new(0x00, 0x22, p1, 0xA4).with_data(data)
    }

    /// GENERAL AUTHENTICATE (`CLA 86 00 00 Lc data Le`) with the dynamic
    /// authentication data `data` (a `7C` template). All steps of a
    /// protocol but the last set the chaining bit (CLA `10`); `last` clears
    /// it. `Ne` is 256, or 65536 when the data needs the extended form.
    pub fn general_authenticate(data: impl Into<Vec<u8>>, last: bool) -> CommandApdu {
        let data = data.into();
        let ne = if data.len() > MAX_SHORT_DATA {
            MAX_EXTENDED_NE
        } else {
            MAX_SHORT_NE
        };
        let cla = if last { 0x00 } else { CLA_CHAINING };
        CommandApdu::new(cla, 0x86, 0x00, 0x00)
            .with_data(data)
            .with_ne(Some(ne))
    }
}

fn ne_from_ext(hi: u8, lo: u8) -> u32 {
    match u16::from_be_bytes([hi, lo]) {
        0 => MAX_EXTENDED_NE,
        n => u32::from(n),
    }
}

/// The file data in the answer to READ BINARY with odd INS: the value of
/// the DO'53 that the card returns.
pub fn read_binary_odd_data(response_data: &[u8]) -> Result<&[u8], Error> {
    let tlv = Tlv::parse(response_data).map_err(|_| Error::Apdu(ApduErrorKind::MissingDo53))?;
    if tlv.tag() != Tag::new(0x53) {
        return Err(ApduErrorKind::MissingDo53.into());
    }
    Ok(tlv.value())
}

/// A response APDU: data and status word.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ResponseApdu {
    /// The response data (possibly empty).
    pub data: Vec<u8>,
    /// The trailing status word.
    pub sw: StatusWord,
}

impl ResponseApdu {
    /// A response of `data` and `sw`.
    pub fn new(data: impl Into<Vec<u8>>, sw: StatusWord) -> ResponseApdu {
        ResponseApdu {
            data: data.into(),
            sw,
        }
    }

    /// Splits bytes from the card into data and status word. Anything of two
    /// bytes or more is a response; fewer is an error.
    pub fn parse(bytes: &[u8]) -> Result<ResponseApdu, Error> {
        match bytes.split_last_chunk::<2>() {
            Some((data, [sw1, sw2])) => Ok(ResponseApdu {
                data: data.to_vec(),
                sw: StatusWord::from_bytes(*sw1, *sw2),
            }),
            None => Err(ApduErrorKind::ResponseTooShort { len: bytes.len() }.into()),
        }
    }

    /// The response's bytes: data then `SW1 SW2`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.data.len().saturating_add(2));
        out.extend_from_slice(&self.data);
        out.extend_from_slice(&self.sw.to_bytes());
        out
    }

    /// Whether the status word is `9000`.
    pub fn is_success(&self) -> bool {
        self.sw.is_success()
    }

    /// The data when the status word is `9000`, else
    /// [`Error::StatusWord`] naming `command`.
    pub fn into_success(self, command: &'static str) -> Result<Vec<u8>, Error> {
        if self.sw.is_success() {
            Ok(self.data)
        } else {
            Err(Error::StatusWord {
                command,
                sw: self.sw,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    #[test]
    fn short_cases() {
        // Case 1.
        assert_eq!(
            CommandApdu::new(0x00, 0xA4, 0x02, 0x0C).to_bytes().unwrap(),
            h("00A4020C")
        );
        // Case 3: Doc 9303 D.4 SELECT EF.COM.
        assert_eq!(
            CommandApdu::select_file(0x011E).to_bytes().unwrap(),
            h("00A4020C02011E")
        );
        // Case 2: D.4 READ BINARY.
        assert_eq!(
            CommandApdu::read_binary(0, 4).unwrap().to_bytes().unwrap(),
            h("00B0000004")
        );
        assert_eq!(
            CommandApdu::read_binary(4, 0x12)
                .unwrap()
                .to_bytes()
                .unwrap(),
            h("00B0000412")
        );
        assert_eq!(
            CommandApdu::read_binary(0x7FFF, 256)
                .unwrap()
                .to_bytes()
                .unwrap(),
            h("00B07FFF00")
        );
        // Case 2: D.3 GET CHALLENGE.
        assert_eq!(
            CommandApdu::get_challenge().to_bytes().unwrap(),
            h("0084000008")
        );
        // Case 4: D.3 EXTERNAL (mutual) AUTHENTICATE.
        let data =
            h("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7");
        assert_eq!(
            CommandApdu::mutual_authenticate(data, 0x28)
                .to_bytes()
                .unwrap(),
            h(
                "008200002872C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A728"
            )
        );
        assert_eq!(
            CommandApdu::select_aid(&AID_LDS1).to_bytes().unwrap(),
            h("00A4040C07A0000002471001")
        );
        assert_eq!(
            CommandApdu::select_master_file().to_bytes().unwrap(),
            h("00A4000C023F00")
        );
        assert_eq!(
            CommandApdu::external_authenticate([1, 2])
                .to_bytes()
                .unwrap(),
            h("00820000020102")
        );
    }

    #[test]
    fn extended_cases() {
        // Case 2E.
        let c = CommandApdu::read_binary(0, 65_536).unwrap();
        assert_eq!(c.encoding().unwrap(), LengthEncoding::Extended);
        assert_eq!(c.to_bytes().unwrap(), h("00B00000000000"));
        assert_eq!(
            CommandApdu::read_binary(0, 257)
                .unwrap()
                .to_bytes()
                .unwrap(),
            h("00B00000000101")
        );
        // A short command forced into the extended form.
        assert_eq!(
            CommandApdu::read_binary(0, 4)
                .unwrap()
                .to_bytes_with(LengthEncoding::Extended)
                .unwrap(),
            h("00B00000000004")
        );
        assert_eq!(
            CommandApdu::select_file(0x011E)
                .to_bytes_with(LengthEncoding::Extended)
                .unwrap(),
            h("00A4020C000002011E")
        );
        // Case 3E and 4E.
        let data = vec![0xAB; 256];
        let c3 = CommandApdu::new(0, 0x2A, 0, 0xBE).with_data(data.clone());
        let b3 = c3.to_bytes().unwrap();
        assert_eq!(b3.get(..7).unwrap(), h("002A00BE000100"));
        assert_eq!(b3.len(), 7 + 256);
        let c4 = c3.clone().with_ne(Some(256));
        let b4 = c4.to_bytes().unwrap();
        assert_eq!(b4.len(), 7 + 256 + 2);
        assert_eq!(b4.get(7 + 256..).unwrap(), [0x01, 0x00]);
        let c4 = c3.with_ne(Some(65_536));
        assert_eq!(c4.to_bytes().unwrap().get(7 + 256..).unwrap(), [0x00, 0x00]);
        // GENERAL AUTHENTICATE with a long data field switches to extended.
        let ga = CommandApdu::general_authenticate(vec![0; 300], true);
        assert_eq!(ga.ne, Some(65_536));
        assert_eq!(ga.encoding().unwrap(), LengthEncoding::Extended);
    }

    #[test]
    fn encoding_errors() {
        let too_long = CommandApdu::new(0, 0xD6, 0, 0).with_data(vec![0; 65_536]);
        assert_eq!(
            too_long.to_bytes(),
            Err(Error::Apdu(ApduErrorKind::DataTooLong { len: 65_536 }))
        );
        let ne0 = CommandApdu::new(0, 0xB0, 0, 0).with_ne(Some(0));
        assert_eq!(
            ne0.to_bytes(),
            Err(Error::Apdu(ApduErrorKind::NeOutOfRange { ne: 0 }))
        );
        let ne_big = CommandApdu::new(0, 0xB0, 0, 0).with_ne(Some(65_537));
        assert_eq!(
            ne_big.to_bytes(),
            Err(Error::Apdu(ApduErrorKind::NeOutOfRange { ne: 65_537 }))
        );
        assert_eq!(
            CommandApdu::read_binary(0, 0),
            Err(Error::Apdu(ApduErrorKind::NeOutOfRange { ne: 0 }))
        );
        let ext = CommandApdu::read_binary(0, 300).unwrap();
        assert_eq!(
            ext.to_bytes_with(LengthEncoding::Short),
            Err(Error::Apdu(ApduErrorKind::NotShort))
        );
        assert_eq!(
            CommandApdu::read_binary(0x8000, 1),
            Err(Error::Apdu(ApduErrorKind::OffsetOutOfRange {
                offset: 0x8000,
                max: 0x7FFF
            }))
        );
        assert_eq!(
            CommandApdu::read_binary_odd(0x0100_0000, 1),
            Err(Error::Apdu(ApduErrorKind::OffsetOutOfRange {
                offset: 0x0100_0000,
                max: 0xFF_FFFF
            }))
        );
        assert_eq!(
            CommandApdu::read_binary_sfi(0, 0, 1),
            Err(Error::Apdu(ApduErrorKind::InvalidSfi { sfi: 0 }))
        );
        assert_eq!(
            CommandApdu::read_binary_sfi(31, 0, 1),
            Err(Error::Apdu(ApduErrorKind::InvalidSfi { sfi: 31 }))
        );
    }

    #[test]
    fn read_binary_forms() {
        // SFI 1E is EF.COM.
        assert_eq!(
            CommandApdu::read_binary_sfi(0x1E, 0, 0xDF)
                .unwrap()
                .to_bytes()
                .unwrap(),
            h("00B09E00DF")
        );
        assert_eq!(
            CommandApdu::read_binary_odd(0, 0x10)
                .unwrap()
                .to_bytes()
                .unwrap(),
            h("00B1000003540100 10".replace(' ', "").as_str())
        );
        assert_eq!(
            CommandApdu::read_binary_odd(0x8000, 0xDF)
                .unwrap()
                .to_bytes()
                .unwrap(),
            h("00B100000454028000DF")
        );
        assert_eq!(
            CommandApdu::read_binary_odd(0x01_0203, 256)
                .unwrap()
                .to_bytes()
                .unwrap(),
            h("00B10000055403010203 00".replace(' ', "").as_str())
        );
        assert!(CommandApdu::read_binary_odd(0, 1).unwrap().has_odd_ins());
        assert_eq!(read_binary_odd_data(&h("5303010203")).unwrap(), [1, 2, 3]);
        assert_eq!(
            read_binary_odd_data(&h("5403010203")),
            Err(Error::Apdu(ApduErrorKind::MissingDo53))
        );
        assert_eq!(
            read_binary_odd_data(&h("530401")),
            Err(Error::Apdu(ApduErrorKind::MissingDo53))
        );
        assert_eq!(
            read_binary_odd_data(&[]),
            Err(Error::Apdu(ApduErrorKind::MissingDo53))
        );
    }

    #[test]
    fn chaining_and_mse() {
        // Doc 9303 G.1 (gmrtd trace): MSE:Set AT, first and last GENERAL AUTHENTICATE.
        assert_eq!(
            CommandApdu::mse_set_at(0xC1, h("800A04007F0007020204020283010184010D"))
                .to_bytes()
                .unwrap(),
            h("0022C1A412800A04007F0007020204020283010184010D")
        );
        let first = CommandApdu::general_authenticate(h("7C00"), false);
        assert!(first.is_chained());
        assert_eq!(first.to_bytes().unwrap(), h("10860000027C0000"));
        let last = CommandApdu::general_authenticate(h("7C0A8508C2B0BD78D94BA866"), true);
        assert!(!last.is_chained());
        assert_eq!(
            last.to_bytes().unwrap(),
            h("008600000C7C0A8508C2B0BD78D94BA86600")
        );
    }

    #[test]
    fn parse_commands() {
        let p = |s: &str| CommandApdu::parse(&h(s));
        assert_eq!(p("00A4020C").unwrap(), CommandApdu::new(0, 0xA4, 2, 0x0C));
        assert_eq!(p("00B0000000").unwrap().ne, Some(256));
        assert_eq!(p("00B00000000000").unwrap().ne, Some(65_536));
        assert_eq!(
            p("00A4020C02011E").unwrap(),
            CommandApdu::select_file(0x011E)
        );
        assert_eq!(p("00A4020C02011E00").unwrap().ne, Some(256));
        assert_eq!(
            p("00A4020C000002011E").unwrap(),
            CommandApdu::select_file(0x011E)
        );
        assert_eq!(p("00A4020C000002011E0000").unwrap().ne, Some(65_536));
        for bad in [
            "",
            "00",
            "00A402",
            "00A4020C03011E",
            "00A4020C02011E0000",
            "00A4020C0000",
            "00A4020C00000001",
            "00A4020C000002011E00",
        ] {
            assert!(
                matches!(
                    p(bad),
                    Err(Error::Apdu(ApduErrorKind::MalformedCommand { .. }))
                ),
                "{bad} parsed"
            );
        }
    }

    #[test]
    fn responses() {
        let r = ResponseApdu::parse(&h("4608F919887022129000")).unwrap();
        assert_eq!(r.data, h("4608F91988702212"));
        assert_eq!(r.sw, StatusWord::SUCCESS);
        assert!(r.is_success());
        assert_eq!(r.to_bytes(), h("4608F919887022129000"));
        let e = ResponseApdu::parse(&h("6982")).unwrap();
        assert_eq!(e.data, Vec::<u8>::new());
        assert_eq!(
            e.clone().into_success("READ BINARY"),
            Err(Error::StatusWord {
                command: "READ BINARY",
                sw: StatusWord::SECURITY_STATUS_NOT_SATISFIED
            })
        );
        assert_eq!(
            ResponseApdu::parse(&[0x90]),
            Err(Error::Apdu(ApduErrorKind::ResponseTooShort { len: 1 }))
        );
        assert_eq!(
            ResponseApdu::parse(&[]),
            Err(Error::Apdu(ApduErrorKind::ResponseTooShort { len: 0 }))
        );
    }

    #[test]
    fn status_words() {
        let named = [
            (0x9000, "normal processing"),
            (0x6300, "verification failed"),
            (0x6700, "wrong length"),
            (0x6982, "security status not satisfied"),
            (0x6985, "conditions of use not satisfied"),
            (0x6988, "incorrect secure messaging data objects"),
            (0x6A82, "file or application not found"),
            (0x6A86, "incorrect parameters P1-P2"),
            (0x6B00, "wrong parameters P1-P2"),
            (0x6D00, "instruction code not supported or invalid"),
            (0x6C10, "wrong Le field, exact length in SW2"),
            (0x6110, "response bytes still available"),
            (0x63C2, "verification failed, counter in SW2"),
            (0x1234, "unknown status word"),
        ];
        for (sw, name) in named {
            assert_eq!(StatusWord::new(sw).name(), name);
        }
        assert_eq!(StatusWord::new(0x6C10).exact_length(), Some(0x10));
        assert_eq!(StatusWord::new(0x6C00).exact_length(), Some(256));
        assert_eq!(StatusWord::new(0x6110).bytes_remaining(), Some(0x10));
        assert_eq!(StatusWord::new(0x9000).exact_length(), None);
        assert_eq!(StatusWord::new(0x63C2).retries_left(), Some(2));
        assert_eq!(StatusWord::new(0x6300).retries_left(), None);
        assert_eq!(
            StatusWord::from_bytes(0x6A, 0x82),
            StatusWord::FILE_NOT_FOUND
        );
        assert_eq!(
            StatusWord::FILE_NOT_FOUND.to_string(),
            "6A82 (file or application not found)"
        );
        assert_eq!(StatusWord::FILE_NOT_FOUND.to_bytes(), [0x6A, 0x82]);
        assert_eq!(
            (
                StatusWord::FILE_NOT_FOUND.sw1(),
                StatusWord::FILE_NOT_FOUND.sw2()
            ),
            (0x6A, 0x82)
        );
    }

    fn any_command() -> impl Strategy<Value = CommandApdu> {
        (
            any::<[u8; 4]>(),
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..300),
                proptest::collection::vec(any::<u8>(), 0..4)
            ],
            proptest::option::of(prop_oneof![1u32..=300, 1u32..=65_536]),
        )
            .prop_map(|([cla, ins, p1, p2], data, ne)| {
                CommandApdu::new(cla, ins, p1, p2)
                    .with_data(data)
                    .with_ne(ne)
            })
    }

    proptest! {
        #[test]
        fn command_round_trip(cmd in any_command(), extended in any::<bool>()) {
            let bytes = if extended {
                cmd.to_bytes_with(LengthEncoding::Extended).unwrap()
            } else {
                cmd.to_bytes().unwrap()
            };
            prop_assert_eq!(CommandApdu::parse(&bytes).unwrap(), cmd);
        }

        #[test]
        fn command_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            if let Ok(cmd) = CommandApdu::parse(&bytes) {
                // What parses encodes again (perhaps in the other form).
                let _ = cmd.to_bytes().unwrap();
            }
        }

        #[test]
        fn response_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            match ResponseApdu::parse(&bytes) {
                Ok(r) => prop_assert_eq!(r.to_bytes(), bytes),
                Err(_) => prop_assert!(bytes.len() < 2),
            }
        }
    }
}
