//! Errors as JSON: `{"error": {"code", "vi", "en", ...}}` with a stable
//! snake_case code and the HTTP status that fits.
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

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> ApiError {
        use AccountError as E;
        let (status, code, extra) = match &e {
            E::VersionConflict { .. } => (StatusCode::CONFLICT, "version_conflict", Value::Null),
            E::StepOutOfOrder { .. } => (StatusCode::CONFLICT, "step_out_of_order", Value::Null),
            E::TransitionNotInTable { .. } => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", Value::Null)
            }
            E::NoAccount => (StatusCode::NOT_FOUND, "no_account", Value::Null),
            E::AlreadyRegistered => (StatusCode::CONFLICT, "already_registered", Value::Null),
            E::IdOrPhoneMismatch => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "id_or_phone_mismatch",
                Value::Null,
            ),
            E::InvalidPhone => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_phone",
                Value::Null,
            ),
            E::InvalidDevice => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_device",
                Value::Null,
            ),
            E::TermsNotAccepted => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "terms_not_accepted",
                Value::Null,
            ),
            E::CardMismatch => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "card_mismatch",
                Value::Null,
            ),
            E::RegistryMismatch(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "registry_mismatch",
                json!({ "fields": fields.iter().map(|f| f.field).collect::<Vec<_>>() }),
            ),
            E::NotInRegistry => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "not_in_registry",
                Value::Null,
            ),
            E::RegistryUnavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "registry_unavailable",
                Value::Null,
            ),
            E::DeviceCheckUnavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "device_check_unavailable",
                Value::Null,
            ),
            E::WrongOtp { tries_left } => (
                StatusCode::UNAUTHORIZED,
                "wrong_otp",
                json!({ "tries_left": tries_left }),
            ),
            E::OtpExpired => (StatusCode::GONE, "otp_expired", Value::Null),
            E::OtpExhausted => (StatusCode::TOO_MANY_REQUESTS, "otp_exhausted", Value::Null),
            E::OtpCooldown { seconds_left } => (
                StatusCode::TOO_MANY_REQUESTS,
                "otp_cooldown",
                json!({ "seconds_left": seconds_left }),
            ),
            E::OtpRateLimited { seconds_left } => (
                StatusCode::TOO_MANY_REQUESTS,
                "otp_rate_limited",
                json!({ "seconds_left": seconds_left }),
            ),
            E::OtpResendLimit => (
                StatusCode::TOO_MANY_REQUESTS,
                "otp_resend_limit",
                Value::Null,
            ),
            E::PasswordRefused(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "password_refused",
                Value::Null,
            ),
            E::PasscodeRefused(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "passcode_refused",
                Value::Null,
            ),
            E::PasscodeConfirmationMismatch => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "passcode_confirmation_mismatch",
                Value::Null,
            ),
            E::QuestionsRefused(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "questions_refused",
                Value::Null,
            ),
            E::WrongCredentials => (StatusCode::UNAUTHORIZED, "wrong_credentials", Value::Null),
            E::LoginLockedOut { seconds_left } => (
                StatusCode::TOO_MANY_REQUESTS,
                "login_locked_out",
                json!({ "seconds_left": seconds_left }),
            ),
            E::NoPassword => (StatusCode::CONFLICT, "no_password", Value::Null),
            E::NotLoggedIn => (StatusCode::UNAUTHORIZED, "not_logged_in", Value::Null),
            E::NotIdentified => (StatusCode::CONFLICT, "not_identified", Value::Null),
            E::AlreadyActivated => (StatusCode::CONFLICT, "already_activated", Value::Null),
            E::NotActivated => (StatusCode::CONFLICT, "not_activated", Value::Null),
            E::DossierPending => (StatusCode::CONFLICT, "dossier_pending", Value::Null),
            E::LevelAlreadyHeld => (StatusCode::CONFLICT, "level_already_held", Value::Null),
            E::NoDossierPending => (StatusCode::CONFLICT, "no_dossier_pending", Value::Null),
            E::NoAppointment => (StatusCode::CONFLICT, "no_appointment", Value::Null),
            E::AppointmentInPast => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "appointment_in_past",
                Value::Null,
            ),
            E::Locked(_) => (StatusCode::LOCKED, "locked", Value::Null),
            E::NotLocked => (StatusCode::CONFLICT, "not_locked", Value::Null),
            E::UnlockNeedsOfficer => (StatusCode::FORBIDDEN, "unlock_needs_officer", Value::Null),
            E::WrongPasscode { tries_left } => (
                StatusCode::UNAUTHORIZED,
                "wrong_passcode",
                json!({ "tries_left": tries_left }),
            ),
            E::WrongAnswers { tries_left } => (
                StatusCode::UNAUTHORIZED,
                "wrong_answers",
                json!({ "tries_left": tries_left }),
            ),
            E::ServiceNeedsLevel2 => (StatusCode::FORBIDDEN, "service_needs_level2", Value::Null),
            E::SameDevice => (StatusCode::CONFLICT, "same_device", Value::Null),
            E::NotBoundDevice => (StatusCode::FORBIDDEN, "not_bound_device", Value::Null),
            E::FlowInProgress { seconds_left } => (
                StatusCode::CONFLICT,
                "flow_in_progress",
                json!({ "seconds_left": seconds_left }),
            ),
            E::LockedWithoutReason => (StatusCode::LOCKED, "locked", Value::Null),
            E::InvalidField(field) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_field",
                json!({ "field": field }),
            ),
            E::Rng | E::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", Value::Null),
            _ => (StatusCode::UNPROCESSABLE_ENTITY, "refused", Value::Null),
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %e, "internal refusal");
        }
        // The account's phase and lock reason stay out of the message, and
        // so do the transitions an internal error names (it is logged).
        let (vi, en) = match &e {
            E::StepOutOfOrder { .. } => (e.vi(), "this step cannot be taken now".to_owned()),
            E::TransitionNotInTable { .. } | E::Internal(_) => {
                ("Lỗi hệ thống.".to_owned(), "internal error".to_owned())
            }
            E::Locked(_) => (
                "Tài khoản đã bị khóa.".to_owned(),
                "the account is locked".to_owned(),
            ),
            _ => (e.vi(), e.en()),
        };
        ApiError {
            status,
            code,
            vi,
            en,
            extra,
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
        let mut body = json!({ "code": self.code, "vi": self.vi, "en": self.en });
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
