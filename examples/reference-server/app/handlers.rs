//! The HTTP handlers: JSON in, one `eid-account` command (or two) each,
//! JSON out.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use cccd::IdNumber;
use cccd::qr::QrData;
use eid_account::{
    Account, AccountError, AccountLevel, Action, DetailsInput, DeviceId, LoginName, Notice,
    PersonalDetails, Phone, SessionId,
};
use eid_credentials::{SecretKind, SecretString};
use icao9303::date::Date;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::error::ApiError;
use super::limits::ip_key;
use super::prologue::{Limit, named, names_account};
use super::store::{Storage, StoredSession};
use super::{AppState, FlowKind, new_token, now, token_hash};

type Shared = State<Arc<AppState>>;
type Peer = ConnectInfo<SocketAddr>;

pub(crate) fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("JSON body: {e}")))
}

pub(crate) fn id_number(s: &str) -> Result<IdNumber, ApiError> {
    IdNumber::parse(s.trim()).map_err(|_| AccountError::InvalidField("id_number").into())
}

/// The notices of a decision: `code`, the texts as `message_vi` and
/// `message_en` (and `vi`, `en`, their earlier names).
pub(crate) fn notices(n: &[Notice]) -> Value {
    Value::Array(
        n.iter()
            .map(|n| {
                json!({ "code": n, "vi": n.vi(), "en": n.en(),
                    "message_vi": n.vi(), "message_en": n.en() })
            })
            .collect(),
    )
}

fn level_json(a: &Account) -> Value {
    match a.level() {
        AccountLevel::None => json!({ "level": "none" }),
        AccountLevel::AppAccount => json!({ "level": "app_account" }),
        AccountLevel::Identified { level, activated } => json!({
            "level": match level { eid_account::Level::One => "level1", eid_account::Level::Two => "level2" },
            "activated": activated,
        }),
    }
}

pub(crate) fn phase(a: &Account) -> String {
    format!("{:?}", a.phase())
}

/// `GET /healthz`.
pub(crate) async fn healthz(State(state): Shared) -> Response {
    match state.store.unsent_count().await {
        Ok(n) => {
            Json(json!({ "status": "ok", "backend": state.store.backend(), "outbox_unsent": n }))
                .into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[derive(Deserialize)]
struct DetailsBody {
    full_name: String,
    date_of_birth: String,
    sex: String,
    permanent_residence: String,
}

#[derive(Deserialize)]
struct RegisterBody {
    id_number: String,
    phone: String,
    #[serde(default)]
    qr: Option<String>,
    #[serde(default)]
    details: Option<DetailsBody>,
    #[serde(default)]
    street_address: Option<String>,
    /// Beside `qr`: the residence now registered with the police (003).
    #[serde(default)]
    permanent_residence: Option<String>,
    #[serde(default)]
    terms_accepted: bool,
    /// The version of the terms the client showed (the current one).
    #[serde(default)]
    terms_version: Option<String>,
}

names_account!(RegisterBody);

fn manual_details(d: DetailsBody, street: Option<String>) -> Result<PersonalDetails, ApiError> {
    let date_of_birth = Date::parse_iso(d.date_of_birth.trim())
        .ok_or(AccountError::InvalidField("date_of_birth"))?;
    // A typed "Nữ" may come decomposed; the library reads it either way
    // and composes the texts before the registry compares them.
    let sex = eid_account::parse_typed_sex(&d.sex).ok_or(AccountError::InvalidField("sex"))?;
    Ok(PersonalDetails {
        full_name: d.full_name,
        date_of_birth,
        sex,
        permanent_residence: d.permanent_residence,
        street_address: street,
        card_residence: None,
    }
    .nfc())
}

/// `POST /v1/registrations`: ID number, phone, the QR payload (or typed
/// details), terms; checked against the registry; sends the OTP.
pub(crate) async fn register(
    State(state): Shared,
    ConnectInfo(peer): Peer,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (b, id) = named::<RegisterBody>(&body)?;
    let phone = Phone::parse(&b.phone)?;
    let input = match (b.qr, b.details) {
        (Some(qr), _) => DetailsInput::Qr {
            qr: QrData::parse(qr.as_bytes())
                .map_err(|_| ApiError::from(AccountError::InvalidField("qr")))?,
            street_address: b.street_address,
            permanent_residence: b.permanent_residence,
        },
        (None, Some(d)) => DetailsInput::Manual(manual_details(d, b.street_address)?),
        (None, None) => return Err(ApiError::bad_request("either qr or details is required")),
    };
    // What the registry checks: a residence typed beside the QR replaces
    // the card's (the library keeps both).
    let (details, _) = input.details();
    let terms_version = super::settings::terms_version(b.terms_version.as_deref())?;
    state
        .limit_request(
            peer.ip(),
            &id,
            Limit::OtpSend {
                phone: Some(&phone),
            },
        )
        .await?;
    // One decision, one transaction: a registration the registry refuses
    // leaves nothing behind, and the answer to this unauthenticated caller
    // names no field (the registry is no oracle of a citizen's data).
    let answer = state.registry.check(id.as_str(), Some(&phone), &details);
    let (account, _) = state
        .execute_public(
            &id,
            Action::Register {
                id_number: id,
                phone,
                details: input,
                terms_accepted: b.terms_accepted,
                terms_version,
            },
            Some(answer),
            None,
        )
        .await?;
    tracing::info!(account = %state.log_id(&id), "registration: OTP sent");
    let expires_at = account.otp().map(|c| c.expires_at());
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id_number": id.as_str(), "phase": phase(&account), "otp_expires_at": expires_at })),
    )
        .into_response())
}

#[derive(Deserialize)]
struct IdBody {
    id_number: String,
}

names_account!(IdBody);

/// `POST /v1/otp/resend`: "Gửi lại mã".
pub(crate) async fn otp_resend(
    State(state): Shared,
    ConnectInfo(peer): Peer,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (_, id) = named::<IdBody>(&body)?;
    state
        .limit_request(peer.ip(), &id, Limit::OtpSend { phone: None })
        .await?;
    let (account, _) = state
        .execute_public(&id, Action::ResendOtp, None, None)
        .await?;
    let expires_at = account.otp().map(|c| c.expires_at());
    Ok(Json(json!({ "phase": phase(&account), "otp_expires_at": expires_at })).into_response())
}

#[derive(Deserialize)]
struct VerifyBody {
    /// The ID number, or
    #[serde(default)]
    id_number: Option<String>,
    /// the phone number or ID number the flow was started with (a password
    /// reset started with a phone number tells the caller no ID number).
    #[serde(default)]
    login: Option<String>,
    code: String,
}

/// `POST /v1/otp/verify`: on success, a flow token for the steps that
/// follow the OTP (password, passcode, security questions, answers), bound
/// to this account and this flow; a device change is done here.
pub(crate) async fn otp_verify(
    State(state): Shared,
    ConnectInfo(peer): Peer,
    body: Bytes,
) -> Result<Response, ApiError> {
    let b: VerifyBody = parse(&body)?;
    let id = match (b.id_number, b.login) {
        (Some(id), None) => id_number(&id)?,
        // A phone of no account answers as an ID with no flow pending does.
        (None, Some(login)) => {
            let missing = AccountError::StepOutOfOrder {
                phase: eid_account::Phase::Unregistered,
                command: eid_account::CommandKind::VerifyOtp,
            };
            super::flows::resolve(&state, &login, missing).await?.0
        }
        _ => {
            return Err(ApiError::bad_request(
                "either id_number or login is required",
            ));
        }
    };
    state.limit_request(peer.ip(), &id, Limit::OtpCheck).await?;
    let code = SecretString::from(b.code);
    let (account, decision) = state
        .execute_public(&id, Action::VerifyOtp { code }, None, None)
        .await?;
    let mut out = json!({ "verified": true, "phase": phase(&account), "notices": notices(&decision.notices) });
    if let (Some(o), Some((token, expires_at))) = (
        out.as_object_mut(),
        state.issue_flow_token(&id, &account).await?,
    ) {
        o.insert("flow_token".into(), json!(token));
        o.insert("flow_token_expires_at".into(), json!(expires_at));
        // A reset names the holder's two questions only here, after the
        // OTP proved the registered phone: the start of a reset answers
        // the same for every login (SECURITY-MODEL.md §4).
        if account.flow().and_then(FlowKind::of) == Some(FlowKind::Reset)
            && account.has_security_questions()
        {
            o.insert("questions".into(), reset_questions(&state, &account));
        }
    }
    Ok(Json(out).into_response())
}

/// The holder's questions, with the catalogue's texts, for a reset.
fn reset_questions(state: &AppState, account: &Account) -> Value {
    let catalogue = &state.policies.catalogue;
    Value::Array(
        account
            .security_question_ids()
            .iter()
            .map(|id| match catalogue.get(id) {
                Some(q) => json!({ "id": q.id, "vi": q.vi, "en": q.en }),
                None => json!({ "id": id }),
            })
            .collect(),
    )
}

#[derive(Deserialize)]
struct PasswordBody {
    #[serde(default)]
    id_number: Option<String>,
    password: String,
    confirmation: String,
}

/// `POST /v1/password`: the password step of a registration, an activation
/// (account without a password) or a password reset; needs the flow token
/// of the OTP verification (`Authorization: Bearer`).
pub(crate) async fn set_password(
    State(state): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let b: PasswordBody = parse(&body)?;
    let token = state
        .flow_token(
            &headers,
            b.id_number.as_deref(),
            &[
                FlowKind::Registration,
                FlowKind::Activation,
                FlowKind::Reset,
            ],
        )
        .await?;
    let (account, decision) = state
        .execute_flow(
            &token,
            Action::SetPassword {
                password: SecretString::from(b.password),
                confirmation: SecretString::from(b.confirmation),
            },
        )
        .await?;
    let mut out = json!({ "phase": phase(&account), "notices": notices(&decision.notices) });
    if let (Some(o), Value::Object(l)) = (out.as_object_mut(), level_json(&account)) {
        o.extend(l);
    }
    Ok(Json(out).into_response())
}

#[derive(Deserialize)]
struct LoginBody {
    /// The ID number, or
    #[serde(default)]
    id_number: Option<String>,
    /// the phone number ("Đăng nhập bằng số điện thoại").
    #[serde(default)]
    phone: Option<String>,
    password: String,
}

/// The device of a request: the app's `X-Device-Id`, or the browser's
/// cookie device that `device.rs` put there. A route missing from
/// [`super::device::DEVICE_ROUTES`] has none, and is refused rather than
/// have every browser share one device.
pub(crate) fn device_header(headers: &HeaderMap) -> Result<DeviceId, ApiError> {
    let Some(raw) = headers.get("x-device-id") else {
        tracing::error!("a device route missing from device::DEVICE_ROUTES");
        return Err(ApiError::internal());
    };
    let raw = raw.to_str().map_err(|_| AccountError::InvalidDevice)?;
    Ok(DeviceId::new(raw)?)
}

/// `POST /v1/login`: ID number (or phone number) and password; returns an
/// opaque token (only its SHA-256 is stored). Device from the `X-Device-Id`
/// header.
pub(crate) async fn login(
    State(state): Shared,
    ConnectInfo(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let b: LoginBody = parse(&body)?;
    let device = device_header(&headers)?;
    let l = state.limits;
    state
        .limit(format!("login_ip:{}", ip_key(peer.ip())), l.logins)
        .await?;
    let password = SecretString::from(b.password);
    let (id, login) = match (b.id_number, b.phone) {
        (Some(id), None) => {
            let id = id_number(&id)?;
            (id, LoginName::IdNumber(id))
        }
        (None, Some(phone)) => {
            let phone = Phone::parse(&phone)?;
            state
                .limit(format!("login_phone:{}", phone.as_str()), l.logins)
                .await?;
            match super::flows::resolve(&state, phone.as_str(), AccountError::WrongCredentials)
                .await
            {
                Ok(found) => found,
                // A phone of no account: the answer, and the Argon2 work, of
                // a wrong password.
                Err(e) => {
                    let _argon2 = state.hashing.acquire().await?;
                    let hasher = &state.keys.hasher;
                    tokio::task::block_in_place(|| {
                        hasher.dummy_verify(SecretKind::Password, password.expose_secret())
                    });
                    return Err(e);
                }
            }
        }
        _ => {
            return Err(ApiError::bad_request(
                "either id_number or phone is required",
            ));
        }
    };
    state
        .limit(format!("login_id:{}", id.as_str()), l.logins)
        .await?;
    state.limit_daily(&id).await?;
    let (account, decision) = state
        .execute(
            &id,
            Action::Login {
                login,
                password,
                device,
            },
            None,
            None,
        )
        .await
        .map_err(ApiError::for_unauthenticated)?;
    let session = decision.session().ok_or_else(ApiError::internal)?;
    let expires_at = account
        .sessions()
        .iter()
        .find(|s| s.id == session)
        .map(|s| s.expires_at)
        .unwrap_or_else(|| now().saturating_add(state.policies.session_secs));
    let token = new_token()?;
    state
        .store
        .put_session(
            &token_hash(&token),
            &StoredSession {
                kind: "citizen".into(),
                subject: id.as_str().to_owned(),
                session_id: session.0,
                expires_at,
            },
        )
        .await?;
    tracing::info!(account = %state.log_id(&id), "login");
    let mut out = json!({ "token": token, "expires_at": expires_at });
    if let (Some(o), Value::Object(l)) = (out.as_object_mut(), level_json(&account)) {
        o.extend(l);
    }
    Ok(Json(out).into_response())
}

/// The citizen session of the `Authorization: Bearer` token.
pub(crate) async fn citizen(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(String, IdNumber, SessionId), ApiError> {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(ApiError::unauthorized)?;
    let hash = token_hash(token.trim());
    let s = state
        .store
        .get_session(&hash)
        .await?
        .ok_or_else(ApiError::unauthorized)?;
    if s.kind != "citizen" || s.expires_at <= now() {
        return Err(ApiError::unauthorized());
    }
    let id = IdNumber::parse(&s.subject).map_err(|_| ApiError::unauthorized())?;
    let session = SessionId(s.session_id);
    // The account may have ended it meanwhile (password reset, lock).
    let t = now();
    let account = state.account(&id).await?;
    if !account
        .sessions()
        .iter()
        .any(|x| x.id == session && x.expires_at > t)
    {
        state.store.delete_session(&hash).await?;
        return Err(ApiError::unauthorized());
    }
    Ok((hash, id, session))
}

/// `POST /v1/logout`.
pub(crate) async fn logout(State(state): Shared, headers: HeaderMap) -> Result<Response, ApiError> {
    let (hash, id, session) = citizen(&state, &headers).await?;
    state.store.delete_session(&hash).await?;
    state
        .execute(&id, Action::Logout { session }, None, None)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /v1/account`: the logged-in citizen's account.
pub(crate) async fn account(
    State(state): Shared,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (_, id, _) = citizen(&state, &headers).await?;
    let a = state.account(&id).await?;
    let mut out = json!({
        "id_number": id.as_str(),
        "phase": phase(&a),
        "version": a.version(),
        "full_name": a.details().map(|d| d.full_name.clone()),
        "phone": a.phone().map(|p| p.as_str().to_owned()),
        // Why it is locked, to its holder only (errors do not say).
        "lock": a.lock(),
    });
    if let (Some(o), Value::Object(l)) = (out.as_object_mut(), level_json(&a)) {
        o.extend(l);
    }
    Ok(Json(out).into_response())
}
