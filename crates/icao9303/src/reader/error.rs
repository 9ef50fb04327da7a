//! Why reading failed, beyond the errors of the protocols themselves.

use crate::Error;
use crate::apdu::StatusWord;
use crate::pace::DomainParameters;

/// Why reading failed, beyond the errors of the protocols themselves.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReaderErrorKind {
    /// The chip refused the access key (`6300` on BAC's MUTUAL
    /// AUTHENTICATE or PACE's token): a wrong MRZ or CAN.
    #[error("the chip refused the {method} key (wrong MRZ or CAN?)")]
    AccessDenied {
        /// `"BAC"` or `"PACE"`.
        method: &'static str,
    },
    /// A CAN was given, but the chip offers no PACE this crate implements.
    #[error("a CAN needs PACE, and the chip offers no PACE variant this reader implements")]
    PaceUnavailable,
    /// The chip is not an eMRTD: SELECT of the LDS1 application failed.
    #[error("SELECT of the eMRTD application answered {sw}")]
    NoApplication {
        /// The status word.
        sw: StatusWord,
    },
    /// A file ended before the length its header gives.
    #[error("{file} ends at {got} bytes, its header says {expected}")]
    Truncated {
        /// The file.
        file: &'static str,
        /// The length the header gives.
        expected: usize,
        /// Bytes read.
        got: usize,
    },
    /// The chip refused every chunk size down to one byte.
    #[error("the chip refused READ BINARY of any length ({sw})")]
    NoChunkSize {
        /// The last status word.
        sw: StatusWord,
    },
    /// PACE with Chip Authentication Mapping ran, but the chip did not
    /// prove it holds the private key of EF.CardSecurity's
    /// ChipAuthenticationPublicKeyInfo (its authentication data does not
    /// decrypt or does not match, or EF.CardSecurity lacks a usable key):
    /// the chip may be a clone.
    #[error("PACE-CAM: {failure}")]
    ChipAuthenticationMapping {
        /// What failed.
        #[source]
        failure: CamFailure,
    },
    /// EF.CardAccess (read in the clear, unsigned) lists a SecurityInfo
    /// that EF.CardSecurity (signed by the Document Signer) does not
    /// repeat, though Doc 9303 Part 11 §9.2 has EF.CardSecurity hold every
    /// SecurityInfo of EF.CardAccess: EF.CardAccess was altered, e.g. to
    /// steer the reader to a weaker PACE variant. Checked after PACE with
    /// Chip Authentication Mapping, when EF.CardSecurity is read.
    #[error("EF.CardAccess does not match EF.CardSecurity: {mismatch}")]
    CardAccessMismatch {
        /// What does not match.
        #[source]
        mismatch: AccessMismatch,
    },
    /// A [`ReadSession`](super::ReadSession) was used out of turn: an
    /// answer with no command pending, or `finish` before the end.
    #[error("the read session expected {expected}")]
    SessionState {
        /// What it expected.
        expected: &'static str,
    },
}

/// Why PACE with Chip Authentication Mapping did not prove the chip.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CamFailure {
    /// The chip's authentication data (DO'8A) is missing or does not
    /// decrypt.
    #[error("the chip authentication data (DO'8A) is missing or does not decrypt")]
    NoAuthenticationData,
    /// The chip has no EF.CardSecurity it lets the reader read.
    #[error("the chip has no readable EF.CardSecurity")]
    NoCardSecurity,
    /// EF.CardSecurity does not decode.
    #[error("EF.CardSecurity: {0}")]
    CardSecurity(#[source] Box<Error>),
    /// EF.CardSecurity has no Chip Authentication key on the PACE curve.
    #[error("EF.CardSecurity has no Chip Authentication key on {parameters:?}")]
    NoKey {
        /// The curve PACE ran on.
        parameters: DomainParameters,
    },
    /// `CA_IC * PK_IC` is not the chip's mapping key: the chip does not
    /// hold EF.CardSecurity's private key.
    #[error(
        "the chip's authentication data does not match EF.CardSecurity's key on {parameters:?} (a clone?)"
    )]
    KeyMismatch {
        /// The curve PACE ran on.
        parameters: DomainParameters,
    },
}

/// How EF.CardAccess differs from EF.CardSecurity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccessMismatch {
    /// PACE ran without EF.CardAccess.
    #[error("PACE ran without EF.CardAccess")]
    NoCardAccess,
    /// EF.CardAccess does not decode.
    #[error("EF.CardAccess: {0}")]
    CardAccess(#[source] Box<Error>),
    /// SecurityInfos of EF.CardAccess that EF.CardSecurity does not
    /// repeat, the PACEInfo used for PACE first.
    #[error(
        "{} not among EF.CardSecurity's signed SecurityInfos ({} of EF.CardAccess's {total}): EF.CardAccess was altered",
        MissingInfos(missing),
        missing.len()
    )]
    Missing {
        /// The SecurityInfos missing.
        missing: Vec<MissingSecurityInfo>,
        /// How many SecurityInfos EF.CardAccess holds.
        total: usize,
    },
}

/// A SecurityInfo of EF.CardAccess that EF.CardSecurity lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingSecurityInfo {
    /// Its place in EF.CardAccess, from 1.
    pub number: usize,
    /// Its protocol OID.
    pub protocol: der::asn1::ObjectIdentifier,
    /// A PACEInfo: `Some(parameterId)` (itself optional); otherwise `None`.
    pub pace: Option<Option<u64>>,
    /// Whether it is the PACEInfo PACE ran with.
    pub used: bool,
}

impl core::fmt::Display for MissingSecurityInfo {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let (number, protocol) = (self.number, &self.protocol);
        match self.pace {
            Some(parameter_id) => {
                let role = if self.used {
                    "the PACEInfo used for PACE"
                } else {
                    "PACEInfo"
                };
                write!(f, "{role} (#{number}: {protocol}")?;
                if let Some(p) = parameter_id {
                    write!(f, ", parameter {p}")?;
                }
                f.write_str(")")
            }
            None => write!(f, "SecurityInfo #{number} ({protocol})"),
        }
    }
}

/// The list of missing SecurityInfos, comma separated.
struct MissingInfos<'a>(&'a [MissingSecurityInfo]);

impl core::fmt::Display for MissingInfos<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for (i, m) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{m}")?;
        }
        Ok(())
    }
}

impl From<ReaderErrorKind> for Error {
    fn from(kind: ReaderErrorKind) -> Error {
        Error::Reader(kind)
    }
}
