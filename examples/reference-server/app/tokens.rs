//! Flow tokens: issued by a successful OTP verification, bound to the
//! account and the flow, presented by the flow's later steps; and the
//! opaque tokens' helpers.

use std::sync::atomic::Ordering;

use axum::http::HeaderMap;
use cccd::IdNumber;
use eid_account::{Account, Action, Decision, EventKind, Flow};
use sha2::{Digest, Sha256};

use super::error::ApiError;
use super::state::AppState;
use super::store::{Storage, StoredSession};
use super::{handlers, now};

/// How long a flow token lives: the steps after an OTP take minutes.
pub(crate) const DEFAULT_FLOW_TOKEN_SECS: u64 = 600;

/// The flows whose steps after the OTP need a flow token: a successful
/// `POST /v1/otp/verify` returns one, bound to the account and the flow, and
/// each later step of that flow presents it as `Authorization: Bearer`.
/// Only its SHA-256 is stored (table `sessions`, kind `flow:...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlowKind {
    /// Registration: the password.
    Registration,
    /// Activation: the password (when none yet), passcode, questions.
    Activation,
    /// Password reset: the security answers, the new password.
    Reset,
}

impl FlowKind {
    /// The kind of `flow`; `None` for a device change (nothing follows its
    /// OTP).
    pub(crate) fn of(flow: &Flow) -> Option<FlowKind> {
        match flow {
            Flow::Registration { .. } => Some(FlowKind::Registration),
            Flow::Activation { .. } => Some(FlowKind::Activation),
            Flow::PasswordReset { .. } => Some(FlowKind::Reset),
            Flow::DeviceChange { .. } => None,
            _ => None,
        }
    }

    /// The `kind` column of its stored tokens.
    pub(crate) fn session_kind(self) -> &'static str {
        match self {
            FlowKind::Registration => "flow:registration",
            FlowKind::Activation => "flow:activation",
            FlowKind::Reset => "flow:reset",
        }
    }

    fn from_session_kind(kind: &str) -> Option<FlowKind> {
        [
            FlowKind::Registration,
            FlowKind::Activation,
            FlowKind::Reset,
        ]
        .into_iter()
        .find(|k| k.session_kind() == kind)
    }
}

/// A flow token that passed the checks that need no account state.
pub(crate) struct FlowToken {
    hash: String,
    /// The account it was issued for.
    pub(crate) id: IdNumber,
    kind: FlowKind,
    /// The account's version right after the OTP verification.
    issued_version: u64,
}

/// The `Authorization: Bearer` token, if any.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// Events after which a flow token issued earlier no longer applies: the
/// flow was started again, another OTP was verified, or the account was
/// locked or taken over by an officer's level-2 record.
fn supersedes(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::RegistrationStarted { .. }
            | EventKind::ActivationStarted { .. }
            | EventKind::PasswordResetStarted
            | EventKind::DeviceChangeStarted { .. }
            | EventKind::OtpIssued { .. }
            | EventKind::OtpVerified { .. }
            | EventKind::AccountLocked { .. }
            | EventKind::Level2DossierRecorded { .. }
    )
}

/// SHA-256 of a session token, hex: what the database holds.
pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new opaque token: 32 random bytes, hex.
pub(crate) fn new_token() -> Result<String, ApiError> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|_| ApiError::internal())?;
    Ok(hex::encode(b))
}

impl AppState {
    /// After a successful OTP verification: a new flow token for the flow
    /// the account is now in (none for a device change, which is done).
    pub(crate) async fn issue_flow_token(
        &self,
        id: &IdNumber,
        account: &Account,
    ) -> Result<Option<(String, u64)>, ApiError> {
        let Some(kind) = account.flow().and_then(FlowKind::of) else {
            return Ok(None);
        };
        let token = new_token()?;
        let expires_at = now().saturating_add(self.flow_token_secs.load(Ordering::Relaxed));
        self.store
            .put_session(
                &token_hash(&token),
                &StoredSession {
                    kind: kind.session_kind().to_owned(),
                    subject: id.as_str().to_owned(),
                    session_id: account.version(),
                    expires_at,
                },
            )
            .await?;
        Ok(Some((token, expires_at)))
    }

    /// The flow token of the request: present, known, not expired, issued
    /// for one of `allowed`, and for the account `named` in the body when
    /// the body names one.
    pub(crate) async fn flow_token(
        &self,
        headers: &HeaderMap,
        named: Option<&str>,
        allowed: &[FlowKind],
    ) -> Result<FlowToken, ApiError> {
        let token = bearer(headers).ok_or_else(ApiError::flow_token_missing)?;
        let hash = token_hash(token);
        let s = self
            .store
            .get_session(&hash)
            .await?
            .ok_or_else(ApiError::flow_token_invalid)?;
        let kind = FlowKind::from_session_kind(&s.kind).ok_or_else(ApiError::flow_token_invalid)?;
        if s.expires_at <= now() {
            self.store.delete_session(&hash).await?;
            return Err(ApiError::flow_token_expired());
        }
        if !allowed.contains(&kind) {
            return Err(ApiError::flow_token_wrong_flow());
        }
        let id = IdNumber::parse(&s.subject).map_err(|_| ApiError::flow_token_invalid())?;
        if let Some(named) = named
            && handlers::id_number(named)? != id
        {
            return Err(ApiError::flow_token_wrong_account());
        }
        Ok(FlowToken {
            hash,
            id,
            kind,
            issued_version: s.session_id,
        })
    }

    /// Runs a step that follows the OTP of `token`'s flow: refused unless
    /// the account is still in that flow and nothing started it over since
    /// the token was issued. The token is consumed when the flow ends.
    pub(crate) async fn execute_flow(
        &self,
        token: &FlowToken,
        action: Action,
    ) -> Result<(Account, Decision), ApiError> {
        let (kind, issued) = (token.kind, token.issued_version);
        let result = self
            .execute_checked(&token.id, action, None, None, |a, events, _| {
                if a.flow().and_then(FlowKind::of) != Some(kind) || a.version() < issued {
                    return Err(ApiError::flow_token_invalid());
                }
                if events
                    .iter()
                    .any(|e| e.sequence > issued && supersedes(&e.kind))
                {
                    return Err(ApiError::flow_token_invalid());
                }
                Ok(())
            })
            .await;
        match &result {
            Ok((after, _)) if after.flow().is_none() => {
                self.store.delete_session(&token.hash).await?;
            }
            Err(_) => {
                // A refusal may end the flow (a reset aborted after too
                // many wrong answers): the token goes with it.
                let a = self.account(&token.id).await?;
                if a.flow().and_then(FlowKind::of) != Some(kind) {
                    self.store.delete_session(&token.hash).await?;
                }
            }
            Ok(_) => {}
        }
        result
    }
}
