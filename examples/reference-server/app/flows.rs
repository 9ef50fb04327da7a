//! The account flows beyond registration and activation: password reset,
//! device change, passcode confirmation, level 2 (appointments, the
//! officer's record), holder and officer locks. Each handler maps HTTP to
//! one `eid-account` command; the rules are the crate's.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use cccd::IdNumber;
use cccd::qr::QrData;
use eid_account::{
    AccountError, Action, CardData, IntegratedDocument, LockReason, LoginName, Phone,
    RegistryAnswer, Service,
};
use eid_credentials::SecretString;
use icao9303::date::Date;
use serde::Deserialize;
use serde_json::{Value, json};

use super::dossier::{ChipBody, verify_chip};
use super::error::ApiError;
use super::handlers::{citizen, device_header, id_number, notices, parse, phase};
use super::level1::{QuestionsBody, officer};
use super::limits::ip_key;
use super::prologue::{Limit, named, names_account};
use super::store::Storage;
use super::{AppState, FlowKind};

type Shared = State<Arc<AppState>>;
type Peer = ConnectInfo<SocketAddr>;

/// The account a login name designates: an ID number (12 digits) is its
/// own; a phone number designates the one account with a password that
/// holds it (`account_index`). `missing` is the refusal when there is
/// none, or more than one.
pub(crate) async fn resolve(
    state: &AppState,
    login: &str,
    missing: AccountError,
) -> Result<(IdNumber, LoginName), ApiError> {
    let login = login.trim();
    if let Ok(id) = IdNumber::parse(login) {
        return Ok((id, LoginName::IdNumber(id)));
    }
    let phone = Phone::parse(login).map_err(|_| AccountError::InvalidField("login"))?;
    let holders = state.store.accounts_by_phone(phone.as_str()).await?;
    match holders.as_slice() {
        [one] => {
            let id = IdNumber::parse(one).map_err(|_| ApiError::internal())?;
            Ok((id, LoginName::Phone(phone)))
        }
        [] => Err(missing.into()),
        _ => {
            tracing::warn!(
                accounts = holders.len(),
                "a phone number shared by accounts"
            );
            Err(missing.into())
        }
    }
}

#[derive(Deserialize)]
struct ResetBody {
    /// ID number or phone number.
    login: String,
    /// The registered phone number.
    phone: String,
}

/// The answer to every reset start.
const RESET_VI: &str =
    "Nếu thông tin trùng khớp với một tài khoản, mã OTP đã được gửi đến số điện thoại đã đăng ký.";
const RESET_EN: &str = "if these details match an account, an OTP was sent to its registered phone";

/// `POST /v1/password-resets`: "Quên mật khẩu": the ID number or phone,
/// and the registered phone. The answer is the same `202` whatever the
/// account's existence and state, with no ID number and no hint whether
/// security questions are set; the OTP is sent only when the login names
/// one account whose phone is `phone`. The client learns nothing until the
/// OTP, whose verification (`/v1/otp/verify`) returns a `flow:reset` token
/// for `/v1/password-resets/answers` and `/v1/password`. The limits are
/// keyed by what the caller sent (address, phone, login), never by whether
/// it resolved, so a `429` says nothing either.
pub(crate) async fn start_reset(
    State(state): Shared,
    ConnectInfo(peer): Peer,
    body: Bytes,
) -> Result<Response, ApiError> {
    let b: ResetBody = parse(&body)?;
    let phone = Phone::parse(&b.phone)?;
    let l = state.limits;
    state
        .limit(format!("otp_send_ip:{}", ip_key(peer.ip())), l.otp_sends)
        .await?;
    state
        .limit(format!("otp_send_phone:{}", phone.as_str()), l.otp_sends)
        .await?;
    state
        .limit(format!("otp_send_login:{}", b.login.trim()), l.otp_sends)
        .await?;
    let outcome = match resolve(&state, &b.login, AccountError::IdOrPhoneMismatch).await {
        Ok((id, login)) => state
            .execute(
                &id,
                Action::RequestPasswordReset { login, phone },
                None,
                None,
            )
            .await
            .map(|_| id),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(id) => tracing::info!(account = %state.log_id(&id), "password reset: OTP sent"),
        // The storage failed: say so (it tells nothing of the account).
        Err(e) if e.status == StatusCode::INTERNAL_SERVER_ERROR => return Err(e),
        Err(e) => tracing::info!(refusal = e.code, "password reset: no OTP sent"),
    }
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({
            "status": "accepted",
            "vi": RESET_VI,
            "en": RESET_EN,
            "message_vi": RESET_VI,
            "message_en": RESET_EN,
        })),
    )
        .into_response())
}

/// `POST /v1/password-resets/answers`: the answers to both security
/// questions (accounts that have them), with the reset's flow token; a
/// guess, limited per client address and per ID number (and the ID's
/// daily cap).
pub(crate) async fn reset_answers(
    State(state): Shared,
    ConnectInfo(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let b: QuestionsBody = parse(&body)?;
    let token = state
        .flow_token(&headers, b.id_number(), &[FlowKind::Reset])
        .await?;
    state
        .limit_request(peer.ip(), &token.id, Limit::Answers)
        .await?;
    let answers = b.secrets();
    let (account, _) = state
        .execute_flow(&token, Action::AnswerSecurityQuestions { answers })
        .await?;
    Ok(Json(json!({ "phase": phase(&account), "next": "password" })).into_response())
}

#[derive(Deserialize)]
struct DeviceChangeBody {
    id_number: String,
    password: String,
}

names_account!(DeviceChangeBody);

/// `POST /v1/device-changes`: move an active identity to the device of
/// `X-Device-Id`: ID number and password; sends an OTP whose verification
/// (`/v1/otp/verify`) completes the move.
pub(crate) async fn start_device_change(
    State(state): Shared,
    ConnectInfo(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (b, id) = named::<DeviceChangeBody>(&body)?;
    let device = device_header(&headers)?;
    state
        .limit_request(peer.ip(), &id, Limit::PasswordThenOtp)
        .await?;
    let (account, _) = state
        .execute_public(
            &id,
            Action::StartDeviceChange {
                id_number: id,
                password: SecretString::from(b.password),
                device,
            },
            None,
            None,
        )
        .await?;
    tracing::info!(account = %state.log_id(&id), "device change: OTP sent");
    let expires_at = account.otp().map(|c| c.expires_at());
    Ok((
        StatusCode::CREATED,
        Json(json!({ "phase": phase(&account), "otp_expires_at": expires_at })),
    )
        .into_response())
}

#[derive(Deserialize)]
struct ConfirmBody {
    service: Service,
    passcode: String,
}

/// `POST /v1/passcode/confirm`: confirm the use of a service with the
/// passcode (logged in, active identity); a guess, limited per client
/// address and per ID number (and the ID's daily cap).
pub(crate) async fn confirm_passcode(
    State(state): Shared,
    ConnectInfo(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (_, id, session) = citizen(&state, &headers).await?;
    let b: ConfirmBody = parse(&body)?;
    state.limit_request(peer.ip(), &id, Limit::Passcode).await?;
    let service = b.service;
    state
        .execute(
            &id,
            Action::ConfirmPasscode {
                session,
                service,
                passcode: SecretString::from(b.passcode),
            },
            None,
            None,
        )
        .await?;
    Ok(Json(json!({ "confirmed": true, "service": service, "vi": service.vi() })).into_response())
}

#[derive(Deserialize)]
struct AppointmentBody {
    office: String,
    /// Unix seconds.
    at: u64,
}

/// `POST /v1/appointments`: book a level-2 appointment at a police office
/// (logged in).
pub(crate) async fn book_appointment(
    State(state): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (_, id, session) = citizen(&state, &headers).await?;
    let b: AppointmentBody = parse(&body)?;
    let (account, _) = state
        .execute(
            &id,
            Action::BookAppointment {
                session,
                office: b.office,
                at: b.at,
            },
            None,
            None,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "phase": phase(&account), "appointment": account.appointment() })),
    )
        .into_response())
}

/// `DELETE /v1/appointments`: cancel the booked appointment (logged in).
pub(crate) async fn cancel_appointment(
    State(state): Shared,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (_, id, session) = citizen(&state, &headers).await?;
    state
        .execute(&id, Action::CancelAppointment { session }, None, None)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The card's data as an officer types them: a card being issued or
/// renewed (002 §2.2), no QR code to scan yet.
#[derive(Deserialize)]
struct TypedCard {
    id_number: String,
    full_name: String,
    /// YYYY-MM-DD.
    date_of_birth: String,
    /// `Nam`/`Nữ` or `male`/`female`.
    sex: String,
    /// The permanent residence, when the officer types it (checked).
    #[serde(default)]
    permanent_residence: Option<String>,
}

#[derive(Deserialize)]
struct Level2Body {
    /// The card's QR payload, read at the office; or
    #[serde(default)]
    qr: Option<String>,
    /// the card's data typed by the officer; or
    #[serde(default)]
    card: Option<TypedCard>,
    /// the chip's files (`dg1`, `dg2`, `dg13`, `sod`, base64).
    #[serde(flatten)]
    chip: ChipBody,
    /// The phone number the citizen gives ("SĐT khi làm CCCD").
    phone: String,
    /// The police office recording it.
    office: String,
    #[serde(default)]
    documents: Vec<IntegratedDocument>,
}

/// The card's data of a level-2 record, from its one source, and what the
/// chip's check found (`null` for a QR or typed card). The chip's files go
/// through level 1's check ([`verify_chip`]: passive authentication
/// against the trust store, DG1 and DG13 agreeing, DG13 against the MRZ).
fn level2_card(state: &AppState, b: &Level2Body) -> Result<(CardData, Value), ApiError> {
    match (&b.qr, &b.card, b.chip.any()) {
        (Some(qr), None, false) => {
            let qr = QrData::parse(qr.as_bytes())
                .map_err(|_| ApiError::from(AccountError::InvalidField("qr")))?;
            Ok((CardData::from_qr(&qr), Value::Null))
        }
        (None, Some(t), false) => {
            let id = id_number(&t.id_number)?;
            let date_of_birth = Date::parse_iso(t.date_of_birth.trim())
                .ok_or(AccountError::InvalidField("date_of_birth"))?;
            let sex =
                eid_account::parse_typed_sex(&t.sex).ok_or(AccountError::InvalidField("sex"))?;
            let card = CardData::typed(
                id,
                &t.full_name,
                date_of_birth,
                sex,
                t.permanent_residence.as_deref(),
            );
            Ok((card, Value::Null))
        }
        (None, None, true) => {
            let v = tokio::task::block_in_place(|| verify_chip(state, &b.chip, None))?;
            let verdict = json!({
                "source": "nfc",
                "checks": v.checks,
                "mismatches": v.mismatches,
                "passive_authentication": v.passive_authentication,
                "trust": state.trust.source,
            });
            if !v.mrz_ok() {
                return Err(ApiError {
                    extra: json!({ "mismatches": v.mismatches }),
                    ..ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "chip_data_inconsistent",
                        "Dữ liệu trong chip (DG13) không khớp với vùng MRZ (DG1).",
                        "the chip's DG13 disagrees with its MRZ (DG1)",
                    )
                });
            }
            Ok((v.card, verdict))
        }
        _ => Err(ApiError::bad_request(
            "exactly one of qr, card, or the chip's files (dg1, dg2, dg13, sod)",
        )),
    }
}

/// `POST /v1/officer/level2-dossiers`: an officer records a level-2
/// dossier at the office (officer token): the card's QR code, its data
/// typed (a card being issued or renewed), or its chip's files; the phone
/// the citizen gives; the office. The card's data and the phone must
/// match the population registry (`registry_mismatch` names the fields:
/// the caller is an officer). The phone becomes the account's, for the
/// approval SMS and the activation. Approved like any dossier
/// (`/v1/officer/dossiers/{id}/approve`).
pub(crate) async fn record_level2(
    State(state): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let officer = officer(&state, &headers)?;
    let b: Level2Body = parse(&body)?;
    let phone = Phone::parse(&b.phone)?;
    let (card, verdict) = level2_card(&state, &b)?;
    let id = card.id_number;
    match state.registry.check_card(&card, &phone) {
        RegistryAnswer::Match => {}
        RegistryAnswer::NotFound => return Err(AccountError::NotInRegistry.into()),
        RegistryAnswer::Mismatch(fields) => {
            return Err(AccountError::RegistryMismatch(fields).into());
        }
        _ => return Err(AccountError::NotInRegistry.into()),
    }
    let source = card.source;
    let (account, _) = state
        .execute(
            &id,
            Action::RecordLevel2Dossier {
                officer,
                office: b.office,
                card,
                phone,
                documents: b.documents,
            },
            None,
            None,
        )
        .await?;
    tracing::info!(account = %state.log_id(&id), ?source, "level-2 dossier recorded");
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "id_number": id.as_str(),
            "phase": phase(&account),
            "dossier": super::messages::dossier(account.dossier()),
            "verdict": verdict,
        })),
    )
        .into_response())
}

/// `POST /v1/lock`: the holder locks the account (logged in); every
/// session ends.
pub(crate) async fn lock(State(state): Shared, headers: HeaderMap) -> Result<Response, ApiError> {
    let (hash, id, session) = citizen(&state, &headers).await?;
    let (account, _) = state
        .execute(&id, Action::LockByHolder { session }, None, None)
        .await?;
    state.store.delete_session(&hash).await?;
    tracing::info!(account = %state.log_id(&id), "locked by the holder");
    Ok(Json(json!({ "phase": phase(&account), "lock": account.lock() })).into_response())
}

#[derive(Deserialize)]
struct UnlockBody {
    id_number: String,
    password: String,
    /// Required once the account has security questions.
    #[serde(default)]
    question: Option<String>,
    #[serde(default)]
    answer: Option<String>,
}

names_account!(UnlockBody);

/// `POST /v1/unlock`: the holder lifts their own lock: ID number, password
/// and, once set, the answer to one security question.
pub(crate) async fn unlock(
    State(state): Shared,
    ConnectInfo(peer): Peer,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (b, id) = named::<UnlockBody>(&body)?;
    state.limit_request(peer.ip(), &id, Limit::Password).await?;
    let answer = match (b.question, b.answer) {
        (Some(q), Some(a)) => Some((q, SecretString::from(a))),
        _ => None,
    };
    let (account, _) = state
        .execute_public(
            &id,
            Action::UnlockByHolder {
                id_number: id,
                password: SecretString::from(b.password),
                answer,
            },
            None,
            None,
        )
        .await?;
    tracing::info!(account = %state.log_id(&id), "unlocked by the holder");
    Ok(Json(json!({ "phase": phase(&account) })).into_response())
}

#[derive(Deserialize)]
struct OfficerLockBody {
    reason: LockReason,
}

/// `POST /v1/officer/accounts/{id}/lock`: an officer locks an account.
pub(crate) async fn officer_lock(
    State(state): Shared,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let officer = officer(&state, &headers)?;
    let id = id_number(&id)?;
    let b: OfficerLockBody = parse(&body)?;
    let (account, _) = state
        .execute(
            &id,
            Action::LockByOfficer {
                officer,
                reason: b.reason,
            },
            None,
            None,
        )
        .await?;
    tracing::info!(account = %state.log_id(&id), "locked by an officer");
    Ok(Json(json!({ "phase": phase(&account), "lock": account.lock() })).into_response())
}

/// `POST /v1/officer/accounts/{id}/unlock`: an officer lifts the lock.
pub(crate) async fn officer_unlock(
    State(state): Shared,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let officer = officer(&state, &headers)?;
    let id = id_number(&id)?;
    let (account, decision) = state
        .execute(&id, Action::UnlockByOfficer { officer }, None, None)
        .await?;
    tracing::info!(account = %state.log_id(&id), "unlocked by an officer");
    Ok(
        Json(json!({ "phase": phase(&account), "notices": notices(&decision.notices) }))
            .into_response(),
    )
}
