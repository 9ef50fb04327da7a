//! Level 1 and activation: officer review, activation (device check, OTP,
//! passcode, security questions). The dossier submission and status are in
//! `dossier.rs`.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use eid_account::{
    Account, AccountError, Action, DeviceId, DeviceUse, DossierStatus, Flow, OfficerId, Phone,
    RejectionReason,
};
use eid_credentials::SecretString;
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::ApiError;
use super::handlers::{device_header, id_number, notices, parse, phase};
use super::messages::dossier;
use super::prologue::{Limit, named, names_account};
use super::store::Storage;
use super::{AppState, FlowKind};

type Shared = State<Arc<AppState>>;

/// The officer of the `Authorization: Bearer` token: `401` for no known
/// token, `403` for a token without the officer role (a reporter's).
pub(crate) fn officer(state: &AppState, headers: &HeaderMap) -> Result<OfficerId, ApiError> {
    let staff = state.staff(headers).ok_or_else(ApiError::unauthorized)?;
    if !staff.officer {
        return Err(ApiError::forbidden());
    }
    Ok(OfficerId(staff.id.clone()))
}

/// The reporter of the `Authorization: Bearer` token (the personal-data
/// report): `401` for no known token, `403` without the reporter role.
pub(crate) fn reporter(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    let staff = state.staff(headers).ok_or_else(ApiError::unauthorized)?;
    if !staff.reporter {
        return Err(ApiError::forbidden());
    }
    Ok(staff.id.clone())
}

/// `GET /v1/officer/dossiers`: dossiers waiting for review.
pub(crate) async fn list(State(state): Shared, headers: HeaderMap) -> Result<Response, ApiError> {
    officer(&state, &headers)?;
    let mut out = Vec::new();
    for id in state.store.accounts().await? {
        let Ok(id) = cccd::IdNumber::parse(&id) else {
            continue;
        };
        let account = state.account(&id).await?;
        if let Some(d) = account.dossier()
            && d.status == DossierStatus::Submitted
        {
            let verdict = super::dossier::verdict_json(&state, &id).await?;
            out.push(json!({ "id_number": id.as_str(), "dossier": dossier(Some(d)), "verdict": verdict }));
        }
    }
    Ok(Json(json!({ "dossiers": out })).into_response())
}

/// `POST /v1/officer/dossiers/{id}/approve`.
pub(crate) async fn approve(
    State(state): Shared,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let officer = officer(&state, &headers)?;
    let id = id_number(&id)?;
    let seen = super::dossier::check_approvable(&state, &id).await?;
    let (account, _) = state
        .execute_guarded(
            &id,
            Action::ApproveDossier { officer },
            None,
            None,
            |a, _| super::dossier::same_dossier(a, seen.as_ref()),
        )
        .await?;
    tracing::info!(account = %state.log_id(&id), "dossier approved");
    Ok(
        Json(json!({ "phase": phase(&account), "dossier": dossier(account.dossier()) }))
            .into_response(),
    )
}

#[derive(Deserialize)]
struct RejectBody {
    reason: RejectionReason,
}

/// `POST /v1/officer/dossiers/{id}/reject`.
pub(crate) async fn reject(
    State(state): Shared,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let officer = officer(&state, &headers)?;
    let id = id_number(&id)?;
    let b: RejectBody = parse(&body)?;
    let (account, _) = state
        .execute(
            &id,
            Action::RejectDossier {
                officer,
                reason: b.reason,
            },
            None,
            None,
        )
        .await?;
    Ok(
        Json(json!({ "phase": phase(&account), "dossier": dossier(account.dossier()) }))
            .into_response(),
    )
}

/// Whether `device` is bound to another active account (the
/// `account_index` table, kept with the events).
async fn device_use(state: &AppState, own: &str, device: &DeviceId) -> Result<DeviceUse, ApiError> {
    let holders = state.store.accounts_by_device(device.as_str()).await?;
    if holders.iter().any(|id| id != own) {
        Ok(DeviceUse::InUseByOtherAccounts)
    } else {
        Ok(DeviceUse::Free)
    }
}

/// Restarting an activation sends a new code: while the last one is
/// younger than the resend cooldown, refuse as "Gửi lại mã" would
/// (`eid-account` restarts the flow without that check, so 50 simultaneous
/// requests could otherwise succeed one after another).
fn activation_cooldown(a: &Account, now: u64, cooldown: u64) -> Result<(), ApiError> {
    if let (Some(Flow::Activation { .. }), Some(otp)) = (a.flow(), a.otp()) {
        let ready = otp.sent_at().saturating_add(cooldown);
        if now < ready {
            return Err(AccountError::OtpCooldown {
                seconds_left: ready - now,
            }
            .into());
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct ActivationBody {
    id_number: String,
    phone: String,
}

names_account!(ActivationBody);

/// `POST /v1/activations`: ID number and phone, device from `X-Device-Id`;
/// sends the activation OTP.
pub(crate) async fn activate(
    State(state): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (b, id) = named::<ActivationBody>(&body)?;
    let phone = Phone::parse(&b.phone)?;
    let device = device_header(&headers)?;
    state
        .limit_request(peer.ip(), &id, Limit::Activation)
        .await?;
    let used = device_use(&state, id.as_str(), &device).await?;
    let cooldown = state.policies.otp.resend_cooldown_secs;
    let (account, decision) = state
        .execute_guarded(
            &id,
            Action::StartActivation {
                id_number: id,
                phone,
                device,
            },
            None,
            Some(used),
            |a, now| activation_cooldown(a, now, cooldown),
        )
        .await
        .map_err(ApiError::for_unauthenticated)?;
    let expires_at = account.otp().map(|c| c.expires_at());
    Ok(Json(json!({ "phase": phase(&account), "otp_expires_at": expires_at, "notices": notices(&decision.notices) }))
        .into_response())
}

#[derive(Deserialize)]
struct PasscodeBody {
    #[serde(default)]
    id_number: Option<String>,
    passcode: String,
    confirmation: String,
}

/// `POST /v1/passcode`: the activation's passcode step (the activation's
/// flow token as `Authorization: Bearer`).
pub(crate) async fn set_passcode(
    State(state): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let b: PasscodeBody = parse(&body)?;
    let token = state
        .flow_token(&headers, b.id_number.as_deref(), &[FlowKind::Activation])
        .await?;
    let action = Action::SetPasscode {
        passcode: SecretString::from(b.passcode),
        confirmation: SecretString::from(b.confirmation),
    };
    let (account, _) = state.execute_flow(&token, action).await?;
    Ok(Json(json!({ "phase": phase(&account) })).into_response())
}

#[derive(Deserialize)]
pub(crate) struct Answer {
    question: String,
    answer: String,
}

#[derive(Deserialize)]
pub(crate) struct QuestionsBody {
    #[serde(default)]
    id_number: Option<String>,
    answers: Vec<Answer>,
}

impl QuestionsBody {
    /// The ID number the body names, if any.
    pub(crate) fn id_number(&self) -> Option<&str> {
        self.id_number.as_deref()
    }

    /// The answers, secrets.
    pub(crate) fn secrets(self) -> Vec<(String, SecretString)> {
        self.answers
            .into_iter()
            .map(|a| (a.question, SecretString::from(a.answer)))
            .collect()
    }
}

/// `GET /v1/security-questions/catalogue`: the questions a client offers
/// for the activation's two (001), from the account rules' catalogue.
pub(crate) async fn catalogue(State(state): Shared) -> Response {
    let questions: Vec<Value> = state
        .policies
        .catalogue
        .questions()
        .iter()
        .map(|q| json!({ "id": q.id, "vi": q.vi, "en": q.en }))
        .collect();
    Json(json!({ "questions": questions })).into_response()
}

/// `POST /v1/security-questions`: the activation's last step (the
/// activation's flow token as `Authorization: Bearer`; consumed).
pub(crate) async fn set_questions(
    State(state): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let b: QuestionsBody = parse(&body)?;
    let token = state
        .flow_token(&headers, b.id_number.as_deref(), &[FlowKind::Activation])
        .await?;
    let answers = b.secrets();
    let (account, decision) = state
        .execute_flow(&token, Action::SetSecurityQuestions { answers })
        .await?;
    Ok(
        Json(json!({ "phase": phase(&account), "notices": notices(&decision.notices) }))
            .into_response(),
    )
}
