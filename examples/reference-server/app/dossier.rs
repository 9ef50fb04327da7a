//! The level-1 dossier: submission (`POST /v1/dossiers`) and status
//! (`GET /v1/dossiers/current`).

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use cccd::qr::QrData;
use eid_account::{AccountError, Action, CardData, PhotoRef};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::AppState;
use super::error::ApiError;
use super::handlers::{citizen, parse, phase};

type Shared = State<Arc<AppState>>;

#[derive(Deserialize)]
struct DossierBody {
    qr: String,
    /// The portrait JPEG, base64.
    portrait_jpeg: String,
    #[serde(default)]
    email: Option<String>,
}

/// `POST /v1/dossiers`: a level-1 dossier (logged in).
pub(crate) async fn submit(
    State(state): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (_, id, session) = citizen(&state, &headers).await?;
    let b: DossierBody = parse(&body)?;
    let qr = QrData::parse(b.qr.as_bytes())
        .map_err(|_| ApiError::from(AccountError::InvalidField("qr")))?;
    let jpeg = data_encoding::BASE64
        .decode(b.portrait_jpeg.trim().as_bytes())
        .map_err(|_| ApiError::from(AccountError::InvalidField("portrait_jpeg")))?;
    if !jpeg.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Err(AccountError::InvalidField("portrait_jpeg").into());
    }
    let portrait = PhotoRef(format!("sha256:{}", hex::encode(Sha256::digest(&jpeg))));
    let (account, _) = state
        .execute(
            &id,
            Action::SubmitLevel1Dossier {
                session,
                card: CardData::from_qr(&qr),
                portrait,
                email: b.email,
            },
            None,
            None,
        )
        .await?;
    tracing::info!(account = %id.as_str(), "level-1 dossier submitted");
    Ok((
        StatusCode::CREATED,
        Json(json!({ "phase": phase(&account), "dossier": account.dossier() })),
    )
        .into_response())
}

/// `GET /v1/dossiers/current`: the logged-in citizen's dossier and status.
pub(crate) async fn status(State(state): Shared, headers: HeaderMap) -> Result<Response, ApiError> {
    let (_, id, _) = citizen(&state, &headers).await?;
    let account = state.account(&id).await?;
    Ok(Json(json!({ "phase": phase(&account), "dossier": account.dossier() })).into_response())
}
