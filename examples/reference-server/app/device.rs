//! A browser's device id (003 §II.2, activation on the web): the app sends
//! `X-Device-Id` (a random per-install id); a browser cannot, so the server
//! gives each browser its own, in a cookie.
//!
//! On the endpoints that take a device ([`DEVICE_ROUTES`]), a request
//! without `X-Device-Id` is given the device `web-` + 32 hex digits, 128
//! random bits drawn from the OS for that browser. The cookie holds those
//! bits and an HMAC-SHA-256 tag over them (truncated to 128 bits) under a
//! key derived from the server secret, so:
//! - a cookie is believed only when it is well-formed and its tag is the
//!   server's (checked in constant time); any other (absent, malformed,
//!   forged, from another server key) is replaced by a new device, never
//!   refused: a browser that lost its cookie is a new device, as a phone
//!   reinstalling the app is;
//! - two browsers are two devices, and the events hold only the device id:
//!   a copy of the database does not give the cookie that claims it;
//! - an explicit `X-Device-Id` in that namespace (`web-...`) is refused
//!   (`invalid_device`): a web device is claimed with its cookie only.
//!
//! The cookie: `HttpOnly` (no script reads it), `SameSite=Strict` (no other
//! site's page sends it), `Path=/`, `Max-Age` 400 days (the longest
//! browsers keep, RFC 6265bis §5.6.1); behind TLS (`--behind-tls`) also
//! `Secure` and named with the `__Host-` prefix, which browsers accept
//! only from a secure origin, for the host alone: a sibling subdomain
//! cannot plant its own.

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use data_encoding::BASE64URL_NOPAD;
use eid_account::AccountError;
use hmac::{KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::AppState;
use super::error::ApiError;

/// The endpoints whose command takes a device (`handlers::device_header`).
/// A route added there must be added here: without a device header,
/// `device_header` refuses (`500`) rather than share one device.
pub(crate) const DEVICE_ROUTES: &[&str] = &["/v1/login", "/v1/activations", "/v1/device-changes"];

/// The device ids given to browsers start with it.
pub(crate) const WEB_PREFIX: &str = "web-";

/// The cookie's name over plain HTTP.
pub(crate) const COOKIE: &str = "dinhdanh_device";

/// The cookie's name behind TLS.
pub(crate) const SECURE_COOKIE: &str = "__Host-dinhdanh_device";

/// 400 days, in seconds.
const MAX_AGE: u64 = 400 * 86_400;

/// Random bits of a device, and the tag's length kept.
const ID_BYTES: usize = 16;
const TAG_BYTES: usize = 16;

type HmacSha256 = hmac::Hmac<Sha256>;

/// The cookies of one server key.
pub(crate) struct DeviceCookies {
    key: Zeroizing<[u8; 32]>,
    secure: bool,
}

impl DeviceCookies {
    /// Cookies under `key` (derived from the server secret: servers sharing
    /// a database and key file believe each other's), `Secure` when
    /// `behind_tls`.
    pub(crate) fn new(key: Zeroizing<[u8; 32]>, behind_tls: bool) -> DeviceCookies {
        DeviceCookies {
            key,
            secure: behind_tls,
        }
    }

    fn name(&self) -> &'static str {
        if self.secure { SECURE_COOKIE } else { COOKIE }
    }

    /// The MAC over a device's bits (`None` never happens: HMAC takes a
    /// key of any length).
    fn mac(&self, id: &[u8]) -> Option<HmacSha256> {
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(self.key.as_slice()).ok()?;
        mac.update(b"dinhdanh web device v1");
        mac.update(id);
        Some(mac)
    }

    /// A new device: its id and the cookie's value.
    pub(crate) fn issue(&self) -> Result<(String, String), ApiError> {
        let mut id = [0u8; ID_BYTES];
        getrandom::fill(&mut id).map_err(|_| ApiError::internal())?;
        let tag = self
            .mac(&id)
            .ok_or_else(ApiError::internal)?
            .finalize()
            .into_bytes();
        let mut value = id.to_vec();
        value.extend_from_slice(tag.get(..TAG_BYTES).unwrap_or_default());
        Ok((device_id(&id), BASE64URL_NOPAD.encode(&value)))
    }

    /// The device id of a cookie value this server issued; `None` for any
    /// other (wrong length or alphabet, wrong tag).
    pub(crate) fn verify(&self, value: &str) -> Option<String> {
        let bytes = BASE64URL_NOPAD.decode(value.as_bytes()).ok()?;
        if bytes.len() != ID_BYTES + TAG_BYTES {
            return None;
        }
        let (id, tag) = bytes.split_at(ID_BYTES);
        self.mac(id)?.verify_truncated_left(tag).ok()?;
        Some(device_id(id))
    }

    /// The device id of the request's cookie, if one is the server's (the
    /// first that is, should a browser send the name twice).
    pub(crate) fn device_of(&self, headers: &HeaderMap) -> Option<String> {
        let name = self.name();
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .filter(|(n, _)| *n == name)
            .find_map(|(_, value)| self.verify(value.trim()))
    }

    /// The `Set-Cookie` of a new device (see the module documentation).
    pub(crate) fn set_cookie(&self, value: &str) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        format!(
            "{}={value}; Path=/; Max-Age={MAX_AGE}; HttpOnly; SameSite=Strict{secure}",
            self.name()
        )
    }
}

fn device_id(id: &[u8]) -> String {
    format!("{WEB_PREFIX}{}", hex::encode(id))
}

/// The layer of the module documentation, on [`DEVICE_ROUTES`]: an
/// explicit `X-Device-Id` passes (but one in the web namespace, refused);
/// otherwise the cookie's device, or a new one with its `Set-Cookie`, is
/// put in the request as its `X-Device-Id`.
pub(crate) async fn web_device(
    State(state): State<Arc<AppState>>,
    mut req: Request,
    next: Next,
) -> Response {
    let takes_device = req
        .extensions()
        .get::<MatchedPath>()
        .is_some_and(|p| DEVICE_ROUTES.contains(&p.as_str()));
    if !takes_device {
        return next.run(req).await;
    }
    if let Some(sent) = req.headers().get("x-device-id") {
        if sent.as_bytes().starts_with(WEB_PREFIX.as_bytes()) {
            return ApiError::from(AccountError::InvalidDevice).into_response();
        }
        return next.run(req).await;
    }
    let cookies = &state.device_cookies;
    let (device, new_cookie) = match cookies.device_of(req.headers()) {
        Some(device) => (device, None),
        None => match cookies.issue() {
            Ok((device, value)) => (device, Some(value)),
            Err(e) => return e.into_response(),
        },
    };
    let Ok(value) = HeaderValue::from_str(&device) else {
        return ApiError::internal().into_response();
    };
    req.headers_mut().insert("x-device-id", value);
    let mut response = next.run(req).await;
    if let Some(cookie) = new_cookie.map(|v| cookies.set_cookie(&v))
        && let Ok(v) = HeaderValue::from_str(&cookie)
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}
