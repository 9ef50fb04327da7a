//! The static files, built into the binary (no CDN, nothing read from the
//! disk at run time): the style sheet and the OTP countdown.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The files: name, type, contents.
const FILES: &[(&str, &str, &str)] = &[
    (
        "site.css",
        "text/css; charset=utf-8",
        include_str!("../../assets/site.css"),
    ),
    (
        "staff.css",
        "text/css; charset=utf-8",
        include_str!("../../assets/staff.css"),
    ),
    (
        "countdown.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/countdown.js"),
    ),
];

/// `GET /assets/{name}`.
pub(crate) async fn asset(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, kind, body)) => {
            let mut r = (*body).into_response();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            r
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
