//! Verdicts: what was checked, what passed and what failed, and why. One
//! shape for every check of the crate: passive authentication's
//! (`pa::Verdict`, feature `pa`) and the chip's proofs, Chip
//! Authentication (PACE-CAM or DG14's key) and Active Authentication
//! ([`AuthOutcome`]).

use core::fmt;

#[cfg(feature = "chip")]
use crate::Error;

/// The outcome of one check.
///
/// Deliberately exhaustive (no `#[non_exhaustive]`): code that decides on a
/// check must handle every status, and a new one must break that code
/// rather than fall into a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Status {
    /// The check ran and the document passed it.
    Passed,
    /// The check ran and the document failed it.
    Failed,
    /// The check could not run (something it needs is missing or failed
    /// earlier); the reason says why.
    NotChecked,
    /// The check does not apply to this document (for example, signed
    /// attributes when the signature covers the content directly).
    NotApplicable,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::NotChecked => "not-checked",
            Status::NotApplicable => "not-applicable",
        })
    }
}

/// One check: its status, a stable machine-readable code and a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Check {
    /// Passed, failed, not checked or not applicable.
    pub status: Status,
    /// A stable code for the outcome, e.g. `"ok"`, `"bad-signature"`,
    /// `"unknown-csca"`, `"expired"`, `"revoked"`, `"hash-mismatch"`.
    pub code: String,
    /// What was checked and what was found, for a person.
    pub reason: String,
}

impl Check {
    /// A passed check.
    pub fn passed(reason: impl Into<String>) -> Check {
        Check::new(Status::Passed, "ok", reason)
    }

    /// A failed check with its code.
    pub fn failed(code: &str, reason: impl Into<String>) -> Check {
        Check::new(Status::Failed, code, reason)
    }

    /// A check that could not run, with its code.
    pub fn not_checked(code: &str, reason: impl Into<String>) -> Check {
        Check::new(Status::NotChecked, code, reason)
    }

    /// A check that does not apply, with its code.
    pub fn not_applicable(code: &str, reason: impl Into<String>) -> Check {
        Check::new(Status::NotApplicable, code, reason)
    }

    fn new(status: Status, code: &str, reason: impl Into<String>) -> Check {
        Check {
            status,
            code: code.to_owned(),
            reason: reason.into(),
        }
    }

    /// Whether the check passed.
    pub fn is_passed(&self) -> bool {
        self.status == Status::Passed
    }

    /// Whether the check failed.
    pub fn is_failed(&self) -> bool {
        self.status == Status::Failed
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.status, self.code, self.reason)
    }
}

#[cfg(feature = "chip")]
/// Which proof of a genuine chip ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum AuthProtocol {
    /// Chip Authentication Mapping, inside PACE (EF.CardSecurity's key).
    PaceCam,
    /// Chip Authentication version 1 (DG14's key).
    ChipAuthentication,
    /// Active Authentication (DG15's key).
    ActiveAuthentication,
}

#[cfg(feature = "chip")]
impl fmt::Display for AuthProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AuthProtocol::PaceCam => "PACE-CAM",
            AuthProtocol::ChipAuthentication => "Chip Authentication",
            AuthProtocol::ActiveAuthentication => "Active Authentication",
        })
    }
}

#[cfg(feature = "chip")]
/// The outcome of Chip or Active Authentication, shaped like passive
/// authentication's verdict: the chip's key (`key`: found and usable),
/// the chip's proof that it holds the private half (`proof`), each with a
/// status, a stable code and a reason; the error that ended it, typed; and
/// `passed`/`detail`, the summary the CLI's JSON has always carried.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[must_use = "a verdict unread checks nothing"]
pub struct AuthOutcome {
    /// Whether the chip proved it holds the private key.
    pub passed: bool,
    /// What was done, or why it failed, in one line.
    pub detail: String,
    /// The protocol that ran.
    pub protocol: AuthProtocol,
    /// The chip's public key: `ok`, `no-key` (none this crate can use),
    /// `bad-key` (not a point of its curve, not in its group).
    pub key: Check,
    /// The chip's proof: `ok`, `refused` (the chip answered an error),
    /// `bad-proof` (a signature or MAC that does not verify, data that do
    /// not decrypt), `link` (the exchange failed), or not checked when the
    /// key was not usable.
    pub proof: Check,
    /// The error that ended the protocol (`None` when it passed).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub error: Option<Error>,
}

#[cfg(feature = "chip")]
impl AuthOutcome {
    /// A proof that passed: `key` and `proof` say what was checked.
    pub fn passed(
        protocol: AuthProtocol,
        key: impl Into<String>,
        proof: impl Into<String>,
        detail: impl Into<String>,
    ) -> AuthOutcome {
        AuthOutcome {
            passed: true,
            detail: detail.into(),
            protocol,
            key: Check::passed(key),
            proof: Check::passed(proof),
            error: None,
        }
    }

    /// A proof that failed with `error`: which check it fails is read from
    /// the error's kind.
    pub fn failed(protocol: AuthProtocol, error: Error) -> AuthOutcome {
        let detail = error.to_string();
        let key_failed = |code: &str| {
            (
                Check::failed(code, detail.clone()),
                Check::not_checked("no-key", "the chip's key is not usable"),
            )
        };
        let proof_failed = |code: &str| {
            (
                Check::passed("the chip's key is usable"),
                Check::failed(code, detail.clone()),
            )
        };
        let (key, proof) = match &error {
            Error::ChipAuthentication(crate::ca::CaErrorKind::NoKey { .. }) => key_failed("no-key"),
            Error::Pace(crate::pace::PaceErrorKind::InvalidPoint) => key_failed("bad-key"),
            #[cfg(feature = "pa")]
            Error::ActiveAuthentication(crate::aa::AaErrorKind::Key(_)) => key_failed("bad-key"),
            Error::ChipAuthentication(crate::ca::CaErrorKind::Refused { .. })
            | Error::StatusWord { .. } => proof_failed("refused"),
            #[cfg(feature = "pa")]
            Error::ActiveAuthentication(crate::aa::AaErrorKind::Refused { .. }) => {
                proof_failed("refused")
            }
            Error::Transport(_) => proof_failed("link"),
            _ => proof_failed("bad-proof"),
        };
        AuthOutcome {
            passed: false,
            detail,
            protocol,
            key,
            proof,
            error: Some(error),
        }
    }

    /// A proof the chip refused under the new keys with `sw` (Chip
    /// Authentication: the first command after the switch).
    pub fn refused_after(protocol: AuthProtocol, sw: crate::apdu::StatusWord) -> AuthOutcome {
        let detail = format!("the chip answered {sw} under the new keys");
        AuthOutcome {
            passed: false,
            detail: detail.clone(),
            protocol,
            key: Check::passed("the chip's key is usable"),
            proof: Check::failed("refused", detail),
            error: None,
        }
    }
}

#[cfg(all(test, feature = "chip"))]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::apdu::StatusWord;
    use crate::ca::CaErrorKind;
    use crate::pace::PaceErrorKind;

    #[test]
    fn a_failure_names_the_check_it_fails() {
        let ca = AuthProtocol::ChipAuthentication;
        let no_key = AuthOutcome::failed(ca, CaErrorKind::NoKey { what: "a key" }.into());
        assert!(!no_key.passed);
        assert!(no_key.key.is_failed());
        assert_eq!(no_key.key.code, "no-key");
        assert_eq!(no_key.proof.status, Status::NotChecked);

        let bad_key = AuthOutcome::failed(ca, PaceErrorKind::InvalidPoint.into());
        assert_eq!(bad_key.key.code, "bad-key");
        assert_eq!(
            bad_key.error,
            Some(Error::Pace(PaceErrorKind::InvalidPoint))
        );

        let refusal = CaErrorKind::Refused {
            command: "MSE:Set",
            sw: StatusWord::CONDITIONS_NOT_SATISFIED,
        };
        let refused = AuthOutcome::failed(ca, refusal.into());
        assert!(refused.key.is_passed());
        assert!(refused.proof.is_failed());
        assert_eq!(refused.proof.code, "refused");
        assert_eq!(refused.detail, refused.error.as_ref().unwrap().to_string());

        let after = AuthOutcome::refused_after(ca, StatusWord::SM_OBJECTS_INCORRECT);
        assert!(!after.passed && after.key.is_passed());
        assert_eq!(after.proof.code, "refused");
        assert!(after.detail.contains("6988"), "{}", after.detail);

        let ok = AuthOutcome::passed(ca, "key", "proof", "detail");
        assert!(ok.passed && ok.key.is_passed() && ok.proof.is_passed() && ok.error.is_none());
    }

    #[test]
    fn reader_errors_keep_their_cause_as_source() {
        use crate::reader::{AccessMismatch, CamFailure, ReaderErrorKind};
        use std::error::Error as _;
        let inner = Error::Lds {
            file: "EF.CardSecurity",
            offset: 0,
            expected: "a ContentInfo",
        };
        let cam = ReaderErrorKind::ChipAuthenticationMapping {
            failure: CamFailure::CardSecurity(Box::new(inner.clone())),
        };
        let failure = cam.source().unwrap();
        assert_eq!(failure.to_string(), format!("EF.CardSecurity: {inner}"));
        assert_eq!(failure.source().unwrap().to_string(), inner.to_string());
        let mismatch = ReaderErrorKind::CardAccessMismatch {
            mismatch: AccessMismatch::CardAccess(Box::new(inner.clone())),
        };
        assert!(mismatch.source().unwrap().source().is_some());
        assert_eq!(
            ReaderErrorKind::ChipAuthenticationMapping {
                failure: CamFailure::NoAuthenticationData
            }
            .to_string(),
            "PACE-CAM: the chip authentication data (DO'8A) is missing or does not decrypt"
        );
    }
}
