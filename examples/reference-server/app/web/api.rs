//! The pages' one way to the accounts: the JSON API, called in-process.
//!
//! A page turns its form into the API's JSON request and sends it through
//! the API's own router (its layers included: limits, the device cookie,
//! the messages' language), with the browser's client address, language
//! and device cookie carried over; it then shows the JSON answer, whose
//! texts (`message_vi`, `message_en`) are the API's. So every rule, rate
//! limit and message is the API's, and no page decides anything itself.

use std::net::SocketAddr;

use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::IntoResponse;
use serde_json::Value;
use tower::ServiceExt;

use super::WebState;
use super::session::{Visit, lang_code};
use crate::app::error::ApiError;
use crate::app::messages::Lang;

/// The largest answer a page reads (a dossier's status with its check).
const MAX_ANSWER: usize = 8 * 1024 * 1024;

/// The API's answer to a page (no `Debug`: it may hold a token).
pub(crate) struct ApiAnswer {
    /// Its status.
    pub(crate) status: StatusCode,
    /// Its JSON body (`null` for none).
    pub(crate) body: Value,
    /// The cookies it set (the device cookie), for the browser.
    pub(crate) set_cookie: Vec<String>,
}

impl ApiAnswer {
    /// Whether the API did what was asked (`2xx`).
    pub(crate) fn ok(&self) -> bool {
        self.status.is_success()
    }

    /// The error's body (`{"error": {...}}`), if it is one.
    pub(crate) fn error(&self) -> Option<&Value> {
        self.body.get("error")
    }

    /// The error's code (`wrong_otp`...), "" for none.
    pub(crate) fn code(&self) -> &str {
        self.error()
            .and_then(|e| e.get("code"))
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// A string field of the body.
    pub(crate) fn str(&self, name: &str) -> Option<&str> {
        self.body.get(name).and_then(Value::as_str)
    }

    /// A number field of the body.
    pub(crate) fn u64(&self, name: &str) -> Option<u64> {
        self.body.get(name).and_then(Value::as_u64)
    }

    /// What a person reads of the answer, in `lang`: the error's message
    /// and its reasons (a password's broken rules), or the notices'
    /// messages, or the body's own `message`.
    pub(crate) fn messages(&self, lang: Lang) -> Vec<String> {
        let field = match lang {
            Lang::Vi => "message_vi",
            Lang::En => "message_en",
        };
        let text = |v: &Value| v.get(field).and_then(Value::as_str).map(str::to_owned);
        if let Some(e) = self.error() {
            let mut out: Vec<String> = text(e).into_iter().collect();
            if let Some(reasons) = e.get("reasons").and_then(Value::as_array) {
                out.extend(reasons.iter().filter_map(text));
            }
            return out;
        }
        if let Some(notices) = self.body.get("notices").and_then(Value::as_array) {
            return notices.iter().filter_map(text).collect();
        }
        text(&self.body).into_iter().collect()
    }
}

/// Sends `method path` with `json` (none for a GET) to the API, as the
/// browser of `visit` would, with `bearer` as its `Authorization`.
pub(crate) async fn call(
    web: &WebState,
    visit: &Visit,
    method: Method,
    path: &str,
    json: Option<Value>,
    bearer: Option<&str>,
) -> ApiAnswer {
    let raw = exchange(web, visit, method, path, json, bearer).await;
    ApiAnswer::of(raw.unwrap_or_else(RawAnswer::failed))
}

/// The API's refusal `e` as a page reads an answer: its JSON body as the
/// API's router would send it (`message_vi`, `message_en`), without a
/// request (a form's field the API would refuse before looking anything up).
pub(crate) async fn refused(e: ApiError) -> ApiAnswer {
    let response = e.into_response();
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_ANSWER)
        .await
        .unwrap_or_default();
    ApiAnswer::of(RawAnswer {
        status: parts.status,
        headers: parts.headers,
        bytes,
    })
}

/// The API's answer as it came, for a file (a report's download, a
/// dossier's photo): its headers (type, file name) and bytes. No `Debug`,
/// as [`ApiAnswer`].
pub(crate) struct RawAnswer {
    /// Its status.
    pub(crate) status: StatusCode,
    /// Its headers.
    pub(crate) headers: HeaderMap,
    /// Its body.
    pub(crate) bytes: Bytes,
}

impl RawAnswer {
    /// What a page shows when the API could not be asked (`500`).
    fn failed() -> RawAnswer {
        RawAnswer {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            headers: HeaderMap::new(),
            bytes: Bytes::new(),
        }
    }
}

impl ApiAnswer {
    /// `raw` read as JSON (`null` for an empty or unreadable body), with
    /// the cookies it sets.
    fn of(raw: RawAnswer) -> ApiAnswer {
        let set_cookie = raw
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        let body = if raw.bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&raw.bytes).unwrap_or(Value::Null)
        };
        ApiAnswer {
            status: raw.status,
            body,
            set_cookie,
        }
    }
}

/// A `GET` of `path` as [`call`] sends it, the answer kept as bytes.
pub(crate) async fn call_raw(
    web: &WebState,
    visit: &Visit,
    path: &str,
    bearer: Option<&str>,
) -> RawAnswer {
    exchange(web, visit, Method::GET, path, None, bearer)
        .await
        .unwrap_or_else(RawAnswer::failed)
}

async fn exchange(
    web: &WebState,
    visit: &Visit,
    method: Method,
    path: &str,
    json: Option<Value>,
    bearer: Option<&str>,
) -> Option<RawAnswer> {
    let body = match &json {
        Some(v) => Body::from(serde_json::to_vec(v).ok()?),
        None => Body::empty(),
    };
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::ACCEPT_LANGUAGE, lang_code(visit.lang));
    if json.is_some() {
        req = req.header(header::CONTENT_TYPE, "application/json");
    }
    if let Some(cookie) = &visit.device_cookie {
        req = req.header(header::COOKIE, HeaderValue::from_str(cookie).ok()?);
    }
    if let Some(token) = bearer {
        let value = HeaderValue::from_str(&format!("Bearer {token}")).ok()?;
        req = req.header(header::AUTHORIZATION, value);
    }
    let mut req = req.body(body).ok()?;
    // The API's limits count the browser's client, not this server.
    let client = visit
        .client
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
    req.extensions_mut().insert(ConnectInfo(client));
    let response = web.api.clone().oneshot(req).await.ok()?;
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_ANSWER).await.ok()?;
    Some(RawAnswer {
        status: parts.status,
        headers: parts.headers,
        bytes,
    })
}
