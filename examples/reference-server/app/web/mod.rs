//! The web pages people use (seed 003 §II.2: citizens register and
//! activate on the web), served by the same binary on the same storage:
//! server-side rendered HTML (askama templates, escaped by default,
//! compiled into the binary), plain forms that work without JavaScript, a
//! little progressive JS (the OTP countdown). No CDN: the CSS and JS are
//! served from `/assets/`.
//!
//! The pages are a client of the JSON API, in-process (`api.rs`): a page
//! turns its form into the API's JSON request, sends it through the API's
//! router and shows the answer. Every rule, rate limit and message is the
//! API's.
//!
//! The files: `mod.rs` (the router and the layers of every page),
//! `session.rs` (the cookies: tokens, the flow waiting for an OTP, the
//! language; the [`session::Visit`] of a request), `csrf.rs` (the forms'
//! tokens and [`csrf::CheckedForm`]), `api.rs` (the in-process call),
//! `render.rs` (the words of each language, the frame of every page),
//! `assets.rs` (the static files), the citizens' pages: `citizen.rs`
//! (home, registration, the OTP and password steps), `signin.rs` (login,
//! account, dossier, forgotten password), `activation.rs` (the web
//! activation).
//!
//! Every page gets (layers of [`router`], inside `http::transport`'s):
//! a strict `Content-Security-Policy` (no inline script or style: the JS
//! and CSS are files under `/assets/`), `X-Content-Type-Options: nosniff`,
//! `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY`,
//! `Cache-Control: no-store`, and its [`session::Visit`] (language, CSRF
//! seed, the cookies' tokens). Pages are never under `/v1/`, so the API's
//! `415` for a body that is not JSON does not meet their forms.
//!
//! # Making a page
//! 1. A template in `templates/` (`citizen/`, `officer/`, `org/`) that
//!    `{% extends "base.html" %}` and fills `{% block title %}` and
//!    `{% block content %}`; its words are fields of [`render::Words`]
//!    (a field in both tables, `VI` and `EN`), its texts from an answer
//!    the API's `message_vi`/`message_en` ([`api::ApiAnswer::messages`]).
//!    Every form is `method="post"` and carries
//!    `<input type="hidden" name="csrf" value="{{ c.csrf }}">`; every input
//!    has a `<label>`.
//! 2. Its struct: `#[derive(Template)] #[template(path = "...")]` with a
//!    field `c: render::Chrome` (`Chrome::of(&visit, &web)`) and what the
//!    template shows.
//! 3. Its handlers: a GET taking `State<Arc<WebState>>` and
//!    `Extension<Visit>`, returning `render::page(StatusCode::OK, &page)`;
//!    a POST taking also [`csrf::CheckedForm`] (last: it reads the body),
//!    which refuses a form without its browser's token with `403` before
//!    the handler runs. The POST calls [`api::call`] with the API's JSON
//!    body and the token from the visit (`visit.session`,
//!    `visit.flow_token`), passes the answer's `set_cookie` on
//!    ([`session::with_cookies`]), sets its own cookies with
//!    [`session::Cookies`] (never a token in a URL), and answers with
//!    `303 See Other` to the next page, or the form again with the
//!    answer's messages and the API's status.
//! 4. Its routes in a `fn routes() -> Router<Arc<WebState>>` merged in
//!    [`router`].

pub(crate) mod activation;
pub(crate) mod api;
pub(crate) mod assets;
pub(crate) mod citizen;
pub(crate) mod csrf;
pub(crate) mod officer;
pub(crate) mod officer_view;
pub(crate) mod org;
pub(crate) mod render;
pub(crate) mod session;
pub(crate) mod signin;
pub(crate) mod staff;
pub(crate) mod staff_words;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Extension, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;

use self::session::Visit;
use super::AppState;
use super::http;

/// What the pages share.
pub(crate) struct WebState {
    /// The server's state (for its settings; the pages change nothing in
    /// it but through the API).
    pub(crate) app: Arc<AppState>,
    /// The API's router, with its layers: the pages' way to the accounts.
    pub(crate) api: Router,
    /// The forms' tokens.
    pub(crate) csrf: csrf::Csrf,
    /// The cookies' names and attributes.
    pub(crate) cookies: session::Cookies,
}

/// The Content-Security-Policy of every page: nothing but this server's
/// own style sheet, scripts and images (the officer's dossier photos, no
/// `data:` URL), forms posted only to it, no framing.
pub(crate) const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; \
    img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The pages' router over `app`, calling `api` (the API's layered
/// router), and the router of a page path no route takes (the `404` page
/// in the site's layout, with every page's layers).
pub(crate) fn router(app: Arc<AppState>, api: Router) -> (Router, Router) {
    let web = Arc::new(WebState {
        csrf: csrf::Csrf::new(app.csrf_key.clone()),
        cookies: session::Cookies::new(app.http.behind_tls),
        api,
        app: app.clone(),
    });
    let pages = Router::new()
        .route("/assets/{name}", get(assets::asset))
        .merge(citizen::routes())
        .merge(officer::routes())
        .merge(org::routes())
        .method_not_allowed_fallback(method_not_allowed);
    let unknown = Router::new().fallback(not_found);
    (layered(pages, &web), layered(unknown, &web))
}

/// The layers of the module documentation over `pages`.
fn layered(pages: Router<Arc<WebState>>, web: &Arc<WebState>) -> Router {
    let routes = pages
        .layer(middleware::from_fn_with_state(web.clone(), session::visit))
        .layer(middleware::from_fn(page_headers))
        .with_state(web.clone());
    http::transport(routes, &web.app)
}

/// The page of a path no page has (`404`).
async fn not_found(
    State(web): State<Arc<WebState>>,
    Extension(visit): Extension<Visit>,
) -> Response {
    render::message_page(&visit, &web, StatusCode::NOT_FOUND, render::Says::NotFound)
}

/// The page of a page's path asked with another method (`405`).
async fn method_not_allowed(
    State(web): State<Arc<WebState>>,
    Extension(visit): Extension<Visit>,
) -> Response {
    render::message_page(
        &visit,
        &web,
        StatusCode::METHOD_NOT_ALLOWED,
        render::Says::MethodNotAllowed,
    )
}

/// The headers of the module documentation, on every page.
async fn page_headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A `303 See Other` to `to` (after a form: the browser GETs the next
/// page, and reloading it posts nothing again).
pub(crate) fn see_other(to: &str) -> Response {
    let mut r = Response::new(axum::body::Body::empty());
    *r.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}
