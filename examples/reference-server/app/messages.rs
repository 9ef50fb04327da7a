//! What a person reads, said the same way in every answer: each message in
//! Vietnamese and English (and in the client's language), each time as
//! RFC 3339 beside its Unix seconds.
//!
//! The conventions (stated in the OpenAPI document's description):
//! - a text for a person is `message_vi` and `message_en`, the library's
//!   words (`AccountError`, `DossierStatus`, `RejectionReason`, the
//!   passcode hint); beside them `message`, in the language
//!   `Accept-Language` prefers (Vietnamese unless English is preferred).
//!   Error bodies and notices keep `vi` and `en`, their names before;
//! - every field named `at` or ending in `_at` holds Unix seconds (UTC)
//!   and has a sibling `<name>_rfc3339` (`"2026-12-02T03:25:35Z"`).
//!
//! Handlers write `message_vi`/`message_en` and the seconds; [`localise`],
//! a layer over every JSON answer, adds `message` and the `_rfc3339`
//! siblings in one place, so no answer (the other files' included) can
//! forget them.

use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use eid_account::{Dossier, DossierStatus};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::error::ApiError;

/// The largest answer [`localise`] rewrites; a larger one (a report of
/// many accounts) passes as it is rather than be held in memory twice.
const MAX_REWRITE: u64 = 8 * 1024 * 1024;

/// The language of `message`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    /// Vietnamese: the service's own, and the default.
    Vi,
    /// English.
    En,
}

impl Lang {
    /// The language `Accept-Language` prefers among ours (RFC 9110
    /// §12.5.4: the highest `q`, the first listed on a tie; `q=0` is
    /// "not acceptable"); Vietnamese when it names neither.
    pub(crate) fn preferred(headers: &HeaderMap) -> Lang {
        let mut best: Option<(Lang, f32)> = None;
        let ranges = headers
            .get_all(header::ACCEPT_LANGUAGE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','));
        for range in ranges {
            let mut parts = range.split(';').map(str::trim);
            let tag = parts.next().unwrap_or("").to_ascii_lowercase();
            let q = parts
                .find_map(|p| p.strip_prefix("q=").or_else(|| p.strip_prefix("Q=")))
                .map_or(Some(1.0), |q| q.parse::<f32>().ok())
                .filter(|q| (0.0..=1.0).contains(q));
            let primary = tag.split('-').next().unwrap_or("");
            let lang = match primary {
                "vi" | "*" => Lang::Vi,
                "en" => Lang::En,
                _ => continue,
            };
            match q {
                Some(q) if q > 0.0 && best.is_none_or(|(_, b)| q > b) => best = Some((lang, q)),
                _ => {}
            }
        }
        best.map_or(Lang::Vi, |(l, _)| l)
    }

    /// The field `message` copies.
    fn field(self) -> &'static str {
        match self {
            Lang::Vi => "message_vi",
            Lang::En => "message_en",
        }
    }

    /// The `Content-Language` of an answer in it.
    fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// Unix seconds as RFC 3339 in UTC (`2026-12-02T03:25:35Z`); `None` past
/// what RFC 3339 can write (the year 9999).
pub(crate) fn rfc3339(secs: u64) -> Option<String> {
    let secs = i64::try_from(secs).ok()?;
    OffsetDateTime::from_unix_timestamp(secs)
        .ok()?
        .format(&Rfc3339)
        .ok()
}

/// Whether a field holds Unix seconds, by the convention of the module.
fn is_time(key: &str) -> bool {
    key == "at" || key.ends_with("_at")
}

/// Adds, everywhere in `value`, the `_rfc3339` sibling of every time and
/// `message` beside every `message_vi`/`message_en` pair (in `lang`).
/// Fields already there are kept.
pub(crate) fn decorate(value: &mut Value, lang: Lang) {
    match value {
        Value::Object(map) => decorate_object(map, lang),
        Value::Array(items) => items.iter_mut().for_each(|v| decorate(v, lang)),
        _ => {}
    }
}

fn decorate_object(map: &mut Map<String, Value>, lang: Lang) {
    map.values_mut().for_each(|v| decorate(v, lang));
    let stamps: Vec<(String, String)> = map
        .iter()
        .filter(|(k, _)| is_time(k))
        .filter_map(|(k, v)| Some((format!("{k}_rfc3339"), rfc3339(v.as_u64()?)?)))
        .collect();
    for (k, text) in stamps {
        map.entry(k).or_insert(Value::String(text));
    }
    let is_text = |k: &str| map.get(k).is_some_and(Value::is_string);
    if is_text("message_vi")
        && is_text("message_en")
        && let Some(text) = map.get(lang.field()).cloned()
    {
        map.entry("message").or_insert(text);
    }
}

/// The layer of the module documentation: rewrites a JSON answer with
/// [`decorate`] in the language of the request, and says which
/// (`Content-Language`, `Vary: Accept-Language`).
pub(crate) async fn localise(req: Request, next: Next) -> Response {
    let lang = Lang::preferred(req.headers());
    let response = next.run(req).await;
    if !super::http::is_json(response.headers()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    if body.size_hint().upper().is_none_or(|n| n > MAX_REWRITE) {
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return ApiError::internal().into_response();
    };
    let mut value: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(_) => return Response::from_parts(parts, Body::from(bytes)),
    };
    decorate(&mut value, lang);
    let Ok(text) = serde_json::to_vec(&value) else {
        return ApiError::internal().into_response();
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.tag()),
    );
    parts
        .headers
        .append(header::VARY, HeaderValue::from_static("accept-language"));
    Response::from_parts(parts, Body::from(text))
}

/// A dossier as answers show it: the library's fields, and in `status`
/// what the citizen reads (seed 003's "Đã gửi xử lý hồ sơ", "Hồ sơ được
/// phê duyệt", "Hồ sơ không đạt..."), with a rejection's reason on its own
/// too (`reason_message_vi`, `reason_message_en`). `null` for none.
pub(crate) fn dossier(d: Option<&Dossier>) -> Value {
    let Some(d) = d else {
        return Value::Null;
    };
    let Ok(mut v) = serde_json::to_value(d) else {
        return Value::Null;
    };
    if let Some(status) = v.get_mut("status").and_then(Value::as_object_mut) {
        status.insert("message_vi".into(), json!(d.status.message_vi()));
        status.insert("message_en".into(), json!(d.status.message_en()));
        if let DossierStatus::NotAccepted { reason } = &d.status {
            status.insert("reason_message_vi".into(), json!(reason.message_vi()));
            status.insert("reason_message_en".into(), json!(reason.message_en()));
        }
    }
    v
}
