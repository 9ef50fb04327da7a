//! The reports. The staff's (`GET /v1/admin/report`, a reporter's token):
//! every account registered in a period. The organisations' (`org.rs`,
//! `/v1/org/...`): Mẫu số 02 and Mẫu số 01 of seed 003, the list an
//! enterprise files before 10:00 every Wednesday ("trước 10 giờ thứ 4 hàng
//! tuần") for its own people only, with the summary and activation rates
//! the provincial plans set targets for.
//!
//! Files: `standing.rs` (what an account says of a person; the counts),
//! `forms.rs` (the forms' texts; CSV and .xlsx), `org.rs` (the
//! organisation's endpoints).
//!
//! Every answer holds personal data (name, date of birth, ID number,
//! phone): none of it is logged, and the transport's layer marks every
//! response `Cache-Control: no-store`.

pub(crate) mod forms;
pub(crate) mod org;
pub(crate) mod standing;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use eid_account::Level;
use serde::Serialize;
use serde_json::json;

use super::AppState;
use super::error::ApiError;
use super::level1::reporter;
use super::store::Storage;

/// One row of the staff's report.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Row {
    id_number: String,
    full_name: String,
    date_of_birth: String,
    permanent_residence: String,
    phone: String,
    /// `level1` or `level2` (the level held), `app_account` (none held),
    /// or `recorded` (a level-2 dossier recorded at the office, no level
    /// held yet and no app account).
    level: &'static str,
    activated: bool,
    registered_at: u64,
}

/// The level column of the staff's report.
fn level_code(i: &standing::Identity) -> &'static str {
    match i.level {
        Some(Level::One) => "level1",
        Some(Level::Two) => "level2",
        None if i.app_account => "app_account",
        None => "recorded",
    }
}

/// `GET /v1/admin/report[?since=UNIX][&format=csv]` (a reporter's token:
/// officers reviewing dossiers do not get the whole list): the accounts
/// registered since `since` (default: the last 7 days), level-2 accounts
/// recorded at the office included (their name and date of birth from the
/// card, the residence from the registry).
pub(crate) async fn report(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let who = reporter(&state, &headers)?;
    tracing::info!(reporter = %who, "personal-data report read");
    let since = match q.get("since") {
        Some(s) => s
            .parse::<u64>()
            .map_err(|_| ApiError::bad_request("since: Unix seconds"))?,
        None => super::now().saturating_sub(7 * 86_400),
    };
    let mut rows = Vec::new();
    for id in state.store.accounts().await? {
        let events = state.store.load(&id).await?;
        let registered_at = events.first().map(|e| e.at).unwrap_or(0);
        if registered_at < since {
            continue;
        }
        let a = eid_account::fold(&events);
        let Some(s) = standing::standing(&a, &state.registry) else {
            continue;
        };
        rows.push(Row {
            id_number: id,
            full_name: s.full_name,
            date_of_birth: standing::date_iso(s.date_of_birth),
            permanent_residence: s.residence,
            phone: s.phone,
            level: level_code(&s.identity),
            activated: s.identity.activated,
            registered_at,
        });
    }
    if q.get("format").map(String::as_str) == Some("csv") {
        return Ok((
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            admin_csv(&rows)?,
        )
            .into_response());
    }
    Ok(Json(json!({ "since": since, "accounts": rows })).into_response())
}

/// The staff's report as CSV (for programs: no byte-order mark).
fn admin_csv(rows: &[Row]) -> Result<Vec<u8>, ApiError> {
    let fail = |e: csv::Error| {
        tracing::error!(error = %e, "report CSV");
        ApiError::internal()
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id_number",
        "full_name",
        "date_of_birth",
        "permanent_residence",
        "phone",
        "level",
        "activated",
        "registered_at",
    ])
    .map_err(fail)?;
    for r in rows {
        w.write_record([
            r.id_number.as_str(),
            &r.full_name,
            &r.date_of_birth,
            &r.permanent_residence,
            &r.phone,
            r.level,
            if r.activated { "true" } else { "false" },
            &r.registered_at.to_string(),
        ])
        .map_err(fail)?;
    }
    w.into_inner().map_err(|e| {
        tracing::error!(error = %e, "report CSV");
        ApiError::internal()
    })
}
