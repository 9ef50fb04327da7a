//! Errors as JSON: `{"error": {"code", "message_vi", "message_en",
//! "message", "vi", "en", ...}}` with a stable snake_case code and the HTTP
//! status that fits (`message` is the language `Accept-Language` prefers,
//! added by `messages.rs`; `vi` and `en` are the earlier names of the
//! two).
//!
//! The messages name no internal state: a refused step does not say which
//! phase the account is in (`VerifyOtp in AppAccount`), a lock does not
//! say why ("the holder died"): any caller may see an error, only the
//! authenticated holder (`GET /v1/account`: `phase`, `lock`) and officers
//! may see the account. A `429` or `503` with a wait carries `Retry-After`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use eid_account::AccountError;
use eid_credentials::{PASSCODE_HINT_EN, PASSCODE_HINT_VI};
use serde_json::{Value, json};

use super::store::StoreError;

/// An API error.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    /// The HTTP status.
    pub(crate) status: StatusCode,
    /// The stable code.
    pub(crate) code: &'static str,
    /// Vietnamese message.
    pub(crate) vi: String,
    /// English message.
    pub(crate) en: String,
    /// Extra fields (tries_left, seconds_left, fields...).
    pub(crate) extra: Value,
    /// The account's refusal it was made from, if any (not sent).
    pub(crate) refusal: Option<Box<AccountError>>,
}

impl ApiError {
    /// An error of the server itself.
    pub(crate) fn new(status: StatusCode, code: &'static str, vi: &str, en: &str) -> ApiError {
        ApiError {
            status,
            code,
            vi: vi.to_owned(),
            en: en.to_owned(),
            extra: Value::Null,
            refusal: None,
        }
    }

    /// What a caller who has not proved who they are may be told
    /// ([`AccountError::for_unauthenticated`]): nothing an ID number holds.
    pub(crate) fn for_unauthenticated(self) -> ApiError {
        match &self.refusal {
            Some(e) => ApiError::from(e.for_unauthenticated()),
            None => self,
        }
    }

    /// Malformed request body or field.
    pub(crate) fn bad_request(en: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "bad_request",
            vi: "Yêu cầu không hợp lệ.".to_owned(),
            en: en.into(),
            extra: Value::Null,
            refusal: None,
        }
    }

    /// No or an unknown session token.
    pub(crate) fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Vui lòng đăng nhập để tiếp tục.",
            "log in first",
        )
    }

    /// A rate limit was hit.
    pub(crate) fn rate_limited(seconds_left: u64) -> ApiError {
        ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "rate_limited",
            vi: format!("Bạn đã thao tác quá nhiều lần, vui lòng thử lại sau {seconds_left} giây."),
            en: format!("too many requests: try again in {seconds_left} seconds"),
            extra: json!({ "seconds_left": seconds_left }),
            refusal: None,
        }
    }

    /// A known token without the role the endpoint needs (an officer's on
    /// the report, a reporter's on a dossier).
    pub(crate) fn forbidden() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Bạn không có quyền thực hiện chức năng này.",
            "this token does not have the role this endpoint needs",
        )
    }

    /// A request body that is not declared JSON.
    pub(crate) fn unsupported_media_type() -> ApiError {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Yêu cầu không hợp lệ.",
            "the body must be sent with Content-Type: application/json",
        )
    }

    /// A step after an OTP without its flow token (`Authorization: Bearer`).
    pub(crate) fn flow_token_missing() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "flow_token_missing",
            "Vui lòng xác thực bằng mã OTP trước khi thực hiện bước này.",
            "this step needs the flow token returned by the OTP verification (Authorization: Bearer)",
        )
    }

    /// A flow token the server does not know, already used, or replaced
    /// since (the flow was started again, completed or abandoned).
    pub(crate) fn flow_token_invalid() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "flow_token_invalid",
            "Phiên xác thực không hợp lệ hoặc đã được sử dụng, vui lòng thực hiện lại từ đầu.",
            "unknown, used or superseded flow token: start the flow again",
        )
    }

    /// A flow token past its expiry.
    pub(crate) fn flow_token_expired() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "flow_token_expired",
            "Phiên xác thực đã hết hạn, vui lòng thực hiện lại từ đầu.",
            "the flow token has expired: start the flow again",
        )
    }

    /// A flow token issued for another flow (e.g. an activation token on a
    /// password-reset step).
    pub(crate) fn flow_token_wrong_flow() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "flow_token_wrong_flow",
            "Phiên xác thực không dành cho chức năng này.",
            "the flow token was issued for another flow",
        )
    }

    /// A flow token issued for another account than the one named.
    pub(crate) fn flow_token_wrong_account() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "flow_token_wrong_account",
            "Phiên xác thực không dành cho tài khoản này.",
            "the flow token was issued for another account",
        )
    }

    /// No endpoint at the path (`404`, the router's fallback).
    pub(crate) fn not_found() -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Không tìm thấy chức năng được yêu cầu.",
            "no endpoint at this path (see /openapi.json)",
        )
    }

    /// An endpoint that does not take the request's method (`405`; the
    /// router adds `Allow`).
    pub(crate) fn method_not_allowed() -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "Chức năng này không hỗ trợ phương thức được yêu cầu.",
            "this endpoint does not take this method (see the Allow header)",
        )
    }

    /// A storage failure (details logged, not sent).
    pub(crate) fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Lỗi hệ thống.",
            "internal error",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::Conflict => ApiError::from(AccountError::VersionConflict {
                expected: 0,
                actual: 0,
            }),
            other => {
                tracing::error!(error = %other, "storage failure");
                ApiError::internal()
            }
        }
    }
}

/// Each refusal's stable code and HTTP status: one row a variant (a
/// variant the library adds later is `refused`, 422, until it has one).
fn code_and_status(e: &AccountError) -> (&'static str, StatusCode) {
    use AccountError as E;
    use StatusCode as S;
    match e {
        E::VersionConflict { .. } => ("version_conflict", S::CONFLICT),
        E::StepOutOfOrder { .. } => ("step_out_of_order", S::CONFLICT),
        E::TransitionNotInTable { .. } | E::Rng | E::Internal(_) => {
            ("internal", S::INTERNAL_SERVER_ERROR)
        }
        E::NoAccount => ("no_account", S::NOT_FOUND),
        E::AlreadyRegistered => ("already_registered", S::CONFLICT),
        E::IdOrPhoneMismatch => ("id_or_phone_mismatch", S::UNPROCESSABLE_ENTITY),
        E::InvalidPhone => ("invalid_phone", S::UNPROCESSABLE_ENTITY),
        E::InvalidDevice => ("invalid_device", S::UNPROCESSABLE_ENTITY),
        E::TermsNotAccepted => ("terms_not_accepted", S::UNPROCESSABLE_ENTITY),
        E::CardMismatch => ("card_mismatch", S::UNPROCESSABLE_ENTITY),
        E::RegistryMismatch(_) => ("registry_mismatch", S::UNPROCESSABLE_ENTITY),
        E::NotInRegistry => ("not_in_registry", S::UNPROCESSABLE_ENTITY),
        E::RegistryUnavailable => ("registry_unavailable", S::SERVICE_UNAVAILABLE),
        E::DeviceCheckUnavailable => ("device_check_unavailable", S::SERVICE_UNAVAILABLE),
        E::WrongOtp { .. } => ("wrong_otp", S::UNAUTHORIZED),
        E::OtpExpired => ("otp_expired", S::GONE),
        E::OtpExhausted => ("otp_exhausted", S::TOO_MANY_REQUESTS),
        E::OtpCooldown { .. } => ("otp_cooldown", S::TOO_MANY_REQUESTS),
        E::OtpRateLimited { .. } => ("otp_rate_limited", S::TOO_MANY_REQUESTS),
        E::OtpResendLimit => ("otp_resend_limit", S::TOO_MANY_REQUESTS),
        E::PasswordRefused(_) => ("password_refused", S::UNPROCESSABLE_ENTITY),
        E::PasscodeRefused(_) => ("passcode_refused", S::UNPROCESSABLE_ENTITY),
        E::PasscodeConfirmationMismatch => {
            ("passcode_confirmation_mismatch", S::UNPROCESSABLE_ENTITY)
        }
        E::QuestionsRefused(_) => ("questions_refused", S::UNPROCESSABLE_ENTITY),
        E::WrongCredentials => ("wrong_credentials", S::UNAUTHORIZED),
        E::LoginLockedOut { .. } => ("login_locked_out", S::TOO_MANY_REQUESTS),
        E::NoPassword => ("no_password", S::CONFLICT),
        E::NotLoggedIn => ("not_logged_in", S::UNAUTHORIZED),
        E::NotIdentified => ("not_identified", S::CONFLICT),
        E::AlreadyActivated => ("already_activated", S::CONFLICT),
        E::NotActivated => ("not_activated", S::CONFLICT),
        E::DossierPending => ("dossier_pending", S::CONFLICT),
        E::LevelAlreadyHeld => ("level_already_held", S::CONFLICT),
        E::NoDossierPending => ("no_dossier_pending", S::CONFLICT),
        E::NoAppointment => ("no_appointment", S::CONFLICT),
        E::AppointmentInPast => ("appointment_in_past", S::UNPROCESSABLE_ENTITY),
        E::Locked(_) | E::LockedWithoutReason => ("locked", S::LOCKED),
        E::NotLocked => ("not_locked", S::CONFLICT),
        E::UnlockNeedsOfficer => ("unlock_needs_officer", S::FORBIDDEN),
        E::WrongPasscode { .. } => ("wrong_passcode", S::UNAUTHORIZED),
        E::WrongAnswers { .. } => ("wrong_answers", S::UNAUTHORIZED),
        E::ServiceNeedsLevel2 => ("service_needs_level2", S::FORBIDDEN),
        E::SameDevice => ("same_device", S::CONFLICT),
        E::NotBoundDevice => ("not_bound_device", S::FORBIDDEN),
        E::FlowInProgress { .. } => ("flow_in_progress", S::CONFLICT),
        E::InvalidField(_) => ("invalid_field", S::UNPROCESSABLE_ENTITY),
        _ => ("refused", S::UNPROCESSABLE_ENTITY),
    }
}

/// The fields a refusal adds to its body: the counts and waits it carries,
/// the registry's fields, and each reason a password or passcode was
/// refused for (`code`, `message_vi`, `message_en`), the passcode's with
/// seed 003's hint (`hint_vi`, `hint_en`).
fn extra(e: &AccountError) -> Value {
    use AccountError as E;
    match e {
        E::WrongOtp { tries_left }
        | E::WrongPasscode { tries_left }
        | E::WrongAnswers { tries_left } => json!({ "tries_left": tries_left }),
        E::OtpCooldown { seconds_left }
        | E::OtpRateLimited { seconds_left }
        | E::LoginLockedOut { seconds_left }
        | E::FlowInProgress { seconds_left } => json!({ "seconds_left": seconds_left }),
        E::RegistryMismatch(fields) => {
            json!({ "fields": fields.iter().map(|f| f.field).collect::<Vec<_>>() })
        }
        E::InvalidField(field) => json!({ "field": field }),
        E::PasswordRefused(r) => {
            json!({ "reasons": reasons(r, |r| (r.code(), r.message_vi(), r.message_en())) })
        }
        E::PasscodeRefused(r) => json!({
            "reasons": reasons(r, |r| (r.code(), r.message_vi(), r.message_en())),
            "hint_vi": PASSCODE_HINT_VI,
            "hint_en": PASSCODE_HINT_EN,
        }),
        _ => Value::Null,
    }
}

fn reasons<R>(r: &[R], each: impl Fn(&R) -> (&'static str, String, String)) -> Vec<Value> {
    r.iter()
        .map(|r| {
            let (code, vi, en) = each(r);
            json!({ "code": code, "message_vi": vi, "message_en": en })
        })
        .collect()
}

/// The messages of a refusal, without what a caller may not learn: the
/// account's phase (a step out of order), the lock's reason, the
/// transitions an internal error names (it is logged).
fn public_messages(e: &AccountError) -> (String, String) {
    use AccountError as E;
    match e {
        E::StepOutOfOrder { .. } => (e.message_vi(), "this step cannot be taken now".to_owned()),
        E::TransitionNotInTable { .. } | E::Internal(_) => {
            ("Lỗi hệ thống.".to_owned(), "internal error".to_owned())
        }
        E::Locked(_) => (
            "Tài khoản đã bị khóa.".to_owned(),
            "the account is locked".to_owned(),
        ),
        _ => (e.message_vi(), e.message_en()),
    }
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> ApiError {
        let (code, status) = code_and_status(&e);
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %e, "internal refusal");
        }
        let (vi, en) = public_messages(&e);
        ApiError {
            status,
            code,
            vi,
            en,
            extra: extra(&e),
            refusal: Some(Box::new(e)),
        }
    }
}

/// The code of an error response, in its extensions: what the
/// authentication-failure log names (`http.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ErrorCode(pub(crate) &'static str);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // A wait the client should honour, as HTTP says it (RFC 9110 §10.2.3).
        let retry_after = match self.status {
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
                self.extra.get("seconds_left").and_then(Value::as_u64)
            }
            _ => None,
        };
        // `vi` and `en` are the names clients had before `message_vi` and
        // `message_en` (messages.rs); `message` is added by its layer.
        let mut body = json!({ "code": self.code, "vi": self.vi, "en": self.en,
            "message_vi": self.vi, "message_en": self.en });
        if let (Some(obj), Value::Object(extra)) = (body.as_object_mut(), self.extra) {
            obj.extend(extra);
        }
        let mut response = (self.status, Json(json!({ "error": body }))).into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response.extensions_mut().insert(ErrorCode(self.code));
        response
    }
}
