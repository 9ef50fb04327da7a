//! The router: every endpoint and the officer gate in front of the staff's.

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::routing::{get, post, put};
use tower::ServiceExt;

use super::error::ApiError;
use super::state::AppState;
use super::{dossier, flows, handlers, http, level1, messages, openapi, org, report, web};

/// The largest body of an organisation's upload.
const ORG_UPLOAD_BYTES: usize = 16 * 1024 * 1024;

/// The router over a shared state, with the layers of `http.rs`, and the
/// web pages (`web/`) beside the API. The
/// officer and report endpoints sit behind [`http::officer_gate`], the
/// organisations' behind [`org::org_gate`].
pub(crate) fn router(state: Arc<AppState>) -> Router {
    let staff = Router::new()
        .route("/v1/officer/dossiers", get(level1::list))
        .route("/v1/officer/dossiers/{id}/approve", post(level1::approve))
        .route("/v1/officer/dossiers/{id}/reject", post(level1::reject))
        .route(
            "/v1/officer/dossiers/{id}/photos/{kind}",
            get(dossier::photo),
        )
        .route("/v1/admin/report", get(report::report))
        .route("/v1/officer/level2-dossiers", post(flows::record_level2))
        .route("/v1/officer/accounts/{id}/lock", post(flows::officer_lock))
        .route(
            "/v1/officer/accounts/{id}/unlock",
            post(flows::officer_unlock),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::officer_gate,
        ));
    // The organisations' endpoints, behind their own gate; an upload may
    // be larger than axum's 2 MiB default (100 000 rows, `org/upload.rs`).
    let orgs = Router::new()
        .route(
            "/v1/org/people",
            put(org::handlers::put_people).layer(DefaultBodyLimit::max(ORG_UPLOAD_BYTES)),
        )
        .route(
            "/v1/org/teams",
            put(org::handlers::put_teams)
                .get(report::org::teams)
                .layer(DefaultBodyLimit::max(ORG_UPLOAD_BYTES)),
        )
        .route("/v1/org/report", get(report::org::report))
        .route("/v1/org/summary", get(report::org::summary))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            org::org_gate,
        ));
    let routes = Router::new()
        .route("/healthz", get(handlers::healthz))
        .route("/openapi.json", get(openapi::document))
        .route("/v1/registrations", post(handlers::register))
        .route("/v1/otp/resend", post(handlers::otp_resend))
        .route("/v1/otp/verify", post(handlers::otp_verify))
        .route("/v1/password", post(handlers::set_password))
        .route("/v1/login", post(handlers::login))
        .route("/v1/logout", post(handlers::logout))
        .route("/v1/account", get(handlers::account))
        .route("/v1/dossiers", post(dossier::submit))
        .route("/v1/dossiers/current", get(dossier::status))
        .route("/v1/activations", post(level1::activate))
        .route("/v1/passcode", post(level1::set_passcode))
        .route("/v1/security-questions", post(level1::set_questions))
        .route("/v1/security-questions/catalogue", get(level1::catalogue))
        .route("/v1/password-resets", post(flows::start_reset))
        .route("/v1/password-resets/answers", post(flows::reset_answers))
        .route("/v1/device-changes", post(flows::start_device_change))
        .route("/v1/passcode/confirm", post(flows::confirm_passcode))
        .route(
            "/v1/appointments",
            post(flows::book_appointment).delete(flows::cancel_appointment),
        )
        .route("/v1/lock", post(flows::lock))
        .route("/v1/unlock", post(flows::unlock))
        .merge(staff)
        .merge(orgs)
        .with_state(state.clone());
    let api = http::layered(
        routes.method_not_allowed_fallback(method_not_allowed),
        &state,
    );
    // What no route takes: the API's JSON 404 (localised as its other
    // errors) under `/v1`, the pages' 404 page elsewhere.
    let api_unknown = http::transport(
        Router::new()
            .fallback(not_found)
            .layer(axum::middleware::from_fn(messages::localise)),
        &state,
    );
    // The pages call the API in-process (`web/api.rs`), through its layers.
    let (pages, page_unknown) = web::router(state, api.clone());
    api.merge(pages)
        .fallback_service(tower::service_fn(move |req: Request| {
            let to = if is_api_path(req.uri().path()) {
                api_unknown.clone()
            } else {
                page_unknown.clone()
            };
            to.oneshot(req)
        }))
}

/// Whether `path` is the API's (`/v1` and below).
fn is_api_path(path: &str) -> bool {
    path == "/v1" || path.starts_with("/v1/")
}

/// The API's `404`.
async fn not_found() -> ApiError {
    ApiError::not_found()
}

/// The API's `405` (an endpoint's path, another method).
async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}
