//! The router: every endpoint and the officer gate in front of the staff's.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};

use super::state::AppState;
use super::{dossier, flows, handlers, http, level1, openapi, org, report, web};

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
    let api = http::layered(routes, &state);
    // The pages call the API in-process (`web/api.rs`), through its layers.
    api.clone().merge(web::router(state, api))
}
