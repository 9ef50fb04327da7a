//! The admin report: the weekly list enterprises and schools are asked for
//! (003, 004): ID number, name, date of birth, residence, phone, level.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use eid_account::{AccountLevel, Level};
use serde::Serialize;
use serde_json::json;

use super::AppState;
use super::error::ApiError;
use super::level1::reporter;
use super::store::Storage;

/// One row of the report.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Row {
    id_number: String,
    full_name: String,
    date_of_birth: String,
    permanent_residence: String,
    phone: String,
    /// `app_account`, `level1` or `level2`.
    level: &'static str,
    activated: bool,
    registered_at: u64,
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// `GET /v1/admin/report[?since=UNIX][&format=csv]` (a reporter's token:
/// officers reviewing dossiers do not get the whole list): the accounts
/// registered since `since` (default: the last 7 days).
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
        let (level, activated) = match a.level() {
            AccountLevel::AppAccount => ("app_account", false),
            AccountLevel::Identified {
                level: Level::One,
                activated,
            } => ("level1", activated),
            AccountLevel::Identified {
                level: Level::Two,
                activated,
            } => ("level2", activated),
            _ => continue,
        };
        let Some(d) = a.details() else { continue };
        let dob = d.date_of_birth;
        rows.push(Row {
            id_number: id,
            full_name: d.full_name.clone(),
            date_of_birth: format!("{:04}-{:02}-{:02}", dob.year(), dob.month(), dob.day()),
            permanent_residence: d.permanent_residence.clone(),
            phone: a.phone().map(|p| p.as_str().to_owned()).unwrap_or_default(),
            level,
            activated,
            registered_at,
        });
    }
    if q.get("format").map(String::as_str) == Some("csv") {
        let mut out = String::from(
            "id_number,full_name,date_of_birth,permanent_residence,phone,level,activated,registered_at\n",
        );
        for r in &rows {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{}\n",
                r.id_number,
                csv_field(&r.full_name),
                r.date_of_birth,
                csv_field(&r.permanent_residence),
                r.phone,
                r.level,
                r.activated,
                r.registered_at
            ));
        }
        return Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], out).into_response());
    }
    Ok(Json(json!({ "since": since, "accounts": rows })).into_response())
}
