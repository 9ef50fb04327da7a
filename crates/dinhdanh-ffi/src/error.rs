//! The crate's one error type, as the foreign languages see it: one
//! exception class with a subclass per variant, each with its data.

use icao9303::reader::ReaderErrorKind;
use icao9303::transport::{TransportError, TransportErrorKind};

/// What kind of link failure a transport reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LinkFailure {
    /// No card (or tag) is present.
    NoCard,
    /// The card left the field or was reset mid-session (a phone's
    /// `TagLostException`).
    CardRemoved,
    /// The card did not answer in time.
    Timeout,
    /// The reader or the link refused or garbled the exchange.
    Link,
    /// Anything else, including an exception of the transport's own.
    Other,
}

/// Every failure of the binding, with the data a caller acts on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
#[non_exhaustive]
pub enum DinhdanhError {
    /// The QR payload: which field (`id_number`, `full_name`... or
    /// `payload` for the whole), the byte offset, the problem.
    #[error("QR payload: {field} at byte {offset}: {problem}")]
    Qr {
        /// The field.
        field: String,
        /// Byte offset in the payload.
        offset: u64,
        /// What is wrong.
        problem: String,
    },
    /// An MRZ (or the parts of an access key): the field, the line and
    /// position (from 1; 0 when the text was given in parts).
    #[error("MRZ: {field} (line {line}, position {position}): {problem}")]
    Mrz {
        /// The field, e.g. `document number`, or `shape`.
        field: String,
        /// Line from 1.
        line: u32,
        /// Position in the line from 1.
        position: u32,
        /// What is wrong.
        problem: String,
    },
    /// A file (a data group, EF.SOD...) does not hold what it should.
    #[error("{file} at byte {offset}: {problem}")]
    Parse {
        /// The file, e.g. `DG13`, `EF.SOD`.
        file: String,
        /// Byte offset in the file.
        offset: u64,
        /// What is wrong.
        problem: String,
    },
    /// The chip refused the access key (status word 6300): a wrong MRZ,
    /// ID number, dates or CAN.
    #[error("the chip refused the {method} key (wrong MRZ or CAN?)")]
    AccessDenied {
        /// `BAC` or `PACE`.
        method: String,
    },
    /// The card answered a command with a status word the protocol does
    /// not allow there.
    #[error("{command}: the card answered {sw:04X}")]
    StatusWord {
        /// The command, e.g. `GET CHALLENGE`.
        command: String,
        /// The status word, e.g. 0x6A82.
        sw: u16,
    },
    /// The transport failed (raised by the caller's `transmit`, or its
    /// own exception).
    #[error("transport: {kind:?}: {message}")]
    Transport {
        /// What kind of failure.
        kind: LinkFailure,
        /// The transport's description.
        message: String,
    },
    /// The chip protocol failed otherwise (secure messaging, PACE, BAC,
    /// Chip Authentication, a downgraded EF.CardAccess...).
    #[error("{message}")]
    Protocol {
        /// What failed, as the protocol layer says it.
        message: String,
    },
    /// A trust anchor (certificate, master list) could not be used.
    #[error("trust anchor {index}: {problem}")]
    TrustAnchor {
        /// Its index in the list given, from 0.
        index: u32,
        /// What is wrong with it.
        problem: String,
    },
    /// An argument is out of its domain.
    #[error("{argument}: {problem}")]
    InvalidArgument {
        /// The argument's name.
        argument: String,
        /// What is wrong.
        problem: String,
    },
}

/// Callers' exceptions that are not a `DinhdanhError` (a Python
/// `OSError` in `transmit`...) become a transport failure, so the read ends
/// with a typed error and not a panic.
impl From<uniffi::UnexpectedUniFFICallbackError> for DinhdanhError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> DinhdanhError {
        DinhdanhError::Transport {
            kind: LinkFailure::Other,
            message: e.reason,
        }
    }
}

impl DinhdanhError {
    /// An [`DinhdanhError::InvalidArgument`].
    pub(crate) fn argument(argument: &str, problem: impl Into<String>) -> DinhdanhError {
        DinhdanhError::InvalidArgument {
            argument: argument.to_owned(),
            problem: problem.into(),
        }
    }

    /// The transport error the reader sees when the caller's `transmit`
    /// raised this.
    pub(crate) fn into_transport(self) -> TransportError {
        match self {
            DinhdanhError::Transport { kind, message } => {
                let kind = match kind {
                    LinkFailure::NoCard => TransportErrorKind::NoCard,
                    LinkFailure::CardRemoved => TransportErrorKind::CardRemoved,
                    LinkFailure::Timeout => TransportErrorKind::Timeout,
                    LinkFailure::Link => TransportErrorKind::Link,
                    LinkFailure::Other => TransportErrorKind::Other,
                };
                TransportError::new(kind, message)
            }
            other => TransportError::new(TransportErrorKind::Other, other.to_string()),
        }
    }
}

fn link_failure(kind: TransportErrorKind) -> LinkFailure {
    match kind {
        TransportErrorKind::NoCard => LinkFailure::NoCard,
        TransportErrorKind::CardRemoved => LinkFailure::CardRemoved,
        TransportErrorKind::Timeout => LinkFailure::Timeout,
        TransportErrorKind::Link => LinkFailure::Link,
        _ => LinkFailure::Other,
    }
}

fn mrz(field: impl ToString, line: u8, position: u8, problem: String) -> DinhdanhError {
    DinhdanhError::Mrz {
        field: field.to_string(),
        line: line.into(),
        position: position.into(),
        problem,
    }
}

fn parse(file: &str, offset: usize, problem: String) -> DinhdanhError {
    DinhdanhError::Parse {
        file: file.to_owned(),
        offset: offset as u64,
        problem,
    }
}

impl From<icao9303::Error> for DinhdanhError {
    fn from(e: icao9303::Error) -> DinhdanhError {
        use icao9303::Error as E;
        let message = e.to_string();
        match e {
            E::MrzShape { .. } => mrz("shape", 0, 0, message),
            E::MrzCharacter { line, position, .. } => mrz("character", line, position, message),
            E::MrzField {
                field,
                line,
                position,
                ..
            }
            | E::MrzCheckDigit {
                field,
                line,
                position,
                ..
            } => mrz(field, line, position, message),
            E::MrzEncode { field, .. } => mrz(field, 0, 0, message),
            E::Tlv { offset, kind } => parse("TLV", offset, kind.to_string()),
            E::Lds { file, offset, .. } | E::Asn1 { file, offset, .. } => {
                parse(file, offset, message)
            }
            E::StatusWord { command, sw } => DinhdanhError::StatusWord {
                command: command.to_owned(),
                sw: sw.to_u16(),
            },
            E::Transport(t) => DinhdanhError::Transport {
                kind: link_failure(t.kind),
                message: t.message,
            },
            E::Reader(ReaderErrorKind::AccessDenied { method }) => DinhdanhError::AccessDenied {
                method: method.to_owned(),
            },
            E::Reader(ReaderErrorKind::NoApplication { sw }) => DinhdanhError::StatusWord {
                command: "SELECT eMRTD application".to_owned(),
                sw: sw.to_u16(),
            },
            _ => DinhdanhError::Protocol { message },
        }
    }
}

impl From<cccd::Error> for DinhdanhError {
    fn from(e: cccd::Error) -> DinhdanhError {
        use cccd::Error as E;
        let message = e.to_string();
        let qr = |field: &str, offset: usize, problem: String| DinhdanhError::Qr {
            field: field.to_owned(),
            offset: offset as u64,
            problem,
        };
        match e {
            E::QrUtf8 { field, offset } => {
                qr(&field.to_string(), offset, "not valid UTF-8".to_owned())
            }
            E::QrFieldCount {
                missing, offset, ..
            } => qr(&missing.to_string(), offset, message),
            E::QrField {
                field,
                offset,
                problem,
            } => qr(&field.to_string(), offset, problem.to_owned()),
            E::Dg13 { offset, expected } => parse("DG13", offset, format!("expected {expected}")),
            E::Icao(inner) => inner.into(),
            _ => DinhdanhError::InvalidArgument {
                argument: "input".to_owned(),
                problem: message,
            },
        }
    }
}
