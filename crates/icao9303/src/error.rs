//! The crate's one error type.

#[allow(unused_imports)]
use crate::prelude::*;
use thiserror::Error as ThisError;

/// Everything that can go wrong in this crate.
///
/// Each variant carries what a caller needs to report the problem or act on
/// it: for parsers, where in the input it happened and what was expected.
/// The chip protocol's variants come with feature `chip`, passive
/// authentication's with `pa`.
#[derive(Debug, Clone, PartialEq, Eq, ThisError)]
#[non_exhaustive]
pub enum Error {
    /// The MRZ text does not have the shape of a TD1 (3x30), TD2 (2x36) or
    /// TD3 (2x44) zone.
    #[error("MRZ: {found} is not a TD1 (3x30), TD2 (2x36) or TD3 (2x44) zone")]
    MrzShape {
        /// The line lengths found, e.g. `"2 lines of 44 and 43 characters"`.
        found: String,
    },
    /// A character outside `A-Z`, `0-9` and `<`.
    #[error("MRZ line {line}, position {position}: {found:?} is not A-Z, 0-9 or '<'")]
    MrzCharacter {
        /// Line number, from 1.
        line: u8,
        /// Position in the line, from 1 (as Doc 9303 counts).
        position: u8,
        /// The offending character.
        found: char,
    },
    /// A field does not hold what its position requires.
    #[error("MRZ line {line}, position {position}: {field}: expected {expected}, found {found:?}")]
    MrzField {
        /// Which field.
        field: crate::mrz::MrzField,
        /// Line number, from 1.
        line: u8,
        /// Position of the field's first character in the line, from 1.
        position: u8,
        /// What the field should hold.
        expected: &'static str,
        /// What it holds.
        found: String,
    },
    /// A check digit does not match its field.
    #[error(
        "MRZ line {line}, position {position}: check digit of {field} is {found:?}, expected {expected:?}"
    )]
    MrzCheckDigit {
        /// The field (or the composite) the digit protects.
        field: crate::mrz::MrzField,
        /// Line number, from 1.
        line: u8,
        /// Position of the check digit in the line, from 1.
        position: u8,
        /// The digit computed from the field.
        expected: char,
        /// The character found.
        found: char,
    },
    /// A value cannot be written into an MRZ field.
    #[error("MRZ: cannot write {field}: {problem}")]
    MrzEncode {
        /// Which field.
        field: crate::mrz::MrzField,
        /// Why not.
        problem: &'static str,
    },
    /// A BER-TLV structure is malformed or not the one required.
    #[error("TLV at byte {offset}: {kind}")]
    Tlv {
        /// Absolute offset in the input where the problem was found.
        offset: usize,
        /// What went wrong.
        kind: crate::tlv::TlvErrorKind,
    },
    /// An LDS file (EF.COM, a data group, EF.SOD...) does not hold what
    /// Doc 9303 requires.
    #[error("{file} at byte {offset}: expected {expected}")]
    Lds {
        /// The file, e.g. `"DG2"`, `"EF.SOD"`.
        file: &'static str,
        /// Absolute offset in the file.
        offset: usize,
        /// What the file should hold there.
        expected: &'static str,
    },
    /// An ASN.1 DER structure inside an LDS file (CMS, certificate, public
    /// key) did not decode.
    #[error("{file}: ASN.1 at byte {offset}: {message}")]
    Asn1 {
        /// The file, e.g. `"EF.SOD"`.
        file: &'static str,
        /// Absolute offset in the file (best known position).
        offset: usize,
        /// The decoder's message.
        message: String,
    },
    /// A command APDU cannot be encoded, or bytes are not an APDU.
    #[cfg(feature = "chip")]
    #[error("APDU: {0}")]
    Apdu(crate::apdu::ApduErrorKind),
    /// The card answered a command with a status word other than the one
    /// the protocol requires (usually 9000).
    #[cfg(feature = "chip")]
    #[error("{command}: the card answered {sw}")]
    StatusWord {
        /// The command, e.g. `"GET CHALLENGE"`.
        command: &'static str,
        /// The status word received.
        sw: crate::apdu::StatusWord,
    },
    /// The link to the card failed.
    #[cfg(feature = "chip")]
    #[error("transport: {0}")]
    Transport(crate::transport::TransportError),
    /// Secure messaging failed. The session that raised it is closed: every
    /// later call on it is refused.
    #[cfg(feature = "chip")]
    #[error("secure messaging: {0}")]
    SecureMessaging(crate::sm::SmErrorKind),
    /// Basic Access Control failed.
    #[cfg(feature = "chip")]
    #[error("BAC: {0}")]
    Bac(crate::bac::BacErrorKind),
    /// Passive authentication: a certificate, key, master list or CRL that
    /// cannot be used. (A document that fails passive authentication is not
    /// an error: it is a [`crate::pa::Verdict`] with failed checks.)
    #[cfg(feature = "pa")]
    #[error("passive authentication: {0}")]
    Pa(#[source] crate::pa::PaErrorKind),
    /// A trust store source (a CSCA file, directory or master list) could
    /// not be loaded.
    #[cfg(feature = "pa")]
    #[error("trust store: {origin}: {problem}")]
    TrustStore {
        /// The path or label of the source.
        origin: String,
        /// What is wrong with it.
        problem: String,
    },
    /// PACE failed.
    #[cfg(feature = "chip")]
    #[error("PACE: {0}")]
    Pace(crate::pace::PaceErrorKind),
    /// The reading flow failed (wrong access key, no application, a
    /// truncated file...).
    #[cfg(feature = "chip")]
    #[error("reader: {0}")]
    Reader(crate::reader::ReaderErrorKind),
    /// Chip Authentication failed.
    #[cfg(feature = "chip")]
    #[error("chip authentication: {0}")]
    ChipAuthentication(crate::ca::CaErrorKind),
    /// The caller's random number generator failed: nothing was sent with
    /// the bytes it did not give.
    #[cfg(feature = "chip")]
    #[error("the random number generator failed")]
    Rng,
    /// Active Authentication failed.
    #[cfg(all(feature = "chip", feature = "pa"))]
    #[error("active authentication: {0}")]
    ActiveAuthentication(crate::aa::AaErrorKind),
}
