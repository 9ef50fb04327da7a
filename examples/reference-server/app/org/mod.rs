//! Organisations: the enterprises and schools that file the weekly report
//! (003: "Mẫu số 01", "Mẫu số 02"; 004: schools). Each has an id and a
//! bearer token (`--org ORG-ID:TOKEN`, as `--officer` is configured), uploads
//! its people (ID numbers and names) and its propaganda teams, and reads
//! the report of those people only.
//!
//! An organisation's token is no staff token: it opens the `/v1/org/...`
//! endpoints and nothing else, and no staff token opens them. Failed
//! tokens are counted against the client's address in the same bucket as
//! the officer gate's (`officer_ip:`), so guesses at either kind of token
//! add up.
//!
//! Files: this one (the table, the gate), `upload.rs` (the CSV uploads,
//! parsed and checked), `handlers.rs` (the upload endpoints),
//! `openapi.rs` (the `/v1/org/...` entries of the OpenAPI document; the
//! report endpoints themselves are `report/org.rs`).

pub(crate) mod handlers;
pub(crate) mod openapi;
pub(crate) mod upload;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::ApiError;
use super::limits::ip_key;
use super::tokens::{bearer, token_hash};

/// The organisation a request's token belongs to (put in the request's
/// extensions by [`org_gate`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrgId(pub(crate) String);

/// Organisations by the SHA-256 of their token (the tokens themselves are
/// not kept).
#[derive(Debug, Clone, Default)]
pub(crate) struct Orgs(HashMap<String, OrgId>);

impl Orgs {
    /// The table of `(org id, token)` pairs. A token given to two
    /// organisations, or one that is also a staff token, is refused: a
    /// token must name one holder and one role.
    pub(crate) fn new(
        pairs: &[(String, String)],
        staff: &HashMap<String, super::staff::Staff>,
    ) -> Result<Orgs, String> {
        let mut table = HashMap::new();
        for (id, token) in pairs {
            let hash = token_hash(token);
            if staff.contains_key(&hash) {
                return Err(format!("--org {id}: this token is also a staff token"));
            }
            if table.insert(hash, OrgId(id.clone())).is_some() {
                return Err(format!("--org {id}: this token is another organisation's"));
            }
        }
        Ok(Orgs(table))
    }

    /// The organisation of the request's `Authorization: Bearer` token.
    pub(crate) fn of(&self, headers: &HeaderMap) -> Option<&OrgId> {
        self.0.get(&token_hash(bearer(headers)?))
    }

    /// How many organisations.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

/// `ORG-ID:TOKEN` (the `--org` flag and `DINHDANH_ORGS`): the token as an
/// officer's (16 characters or more, no colon), the id 1 to 64 of
/// `A-Z a-z 0-9 . _ -` (it names the downloaded files and the log lines).
pub(crate) fn parse_org(s: &str) -> Result<(String, String), String> {
    let (id, token) = super::staff::id_token("--org", s)?;
    let ok = id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if !ok {
        return Err(format!(
            "--org {id:?}: the id is 1 to 64 of A-Z, a-z, 0-9, '.', '_', '-'"
        ));
    }
    Ok((id, token))
}

/// The gate of the organisation endpoints: a request with an
/// organisation's token passes, with its [`OrgId`]; a staff token is `403`
/// (known, but not an organisation's); anything else `401`, counted
/// against the client's address like the officer gate's failures
/// (`officer_ip:`, [`super::Limits::officer_failures`] a window, then
/// `429`).
pub(crate) async fn org_gate(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut req: Request,
    next: Next,
) -> Response {
    if let Some(org) = state.orgs.of(req.headers()).cloned() {
        req.extensions_mut().insert(org);
        return next.run(req).await;
    }
    if state.staff(req.headers()).is_some() {
        return ApiError::forbidden().into_response();
    }
    let key = format!("officer_ip:{}", ip_key(peer.ip()));
    match state.limit(key, state.limits.officer_failures).await {
        Ok(()) => ApiError::unauthorized().into_response(),
        Err(e) => e.into_response(),
    }
}
