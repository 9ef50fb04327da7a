//! The organisation's report endpoints (behind [`crate::app::org::org_gate`]:
//! the organisation's token only, and only its own people):
//! `GET /v1/org/report` (Mẫu số 02 with the summary: JSON, `?format=csv`,
//! or `?format=xlsx` with Mẫu số 01 and the summary as more sheets),
//! `GET /v1/org/summary` (the counts alone, no personal data) and
//! `GET /v1/org/teams` (Mẫu số 01: JSON or `?format=csv`).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Extension, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use cccd::IdNumber;
use eid_account::{DossierStatus, Level};
use serde_json::json;

use super::forms::{self, MAU_02_COLUMNS, Mau02Row};
use super::standing::{self, Identity, Standing, Summary};
use crate::app::AppState;
use crate::app::error::ApiError;
use crate::app::org::OrgId;
use crate::app::store::{OrgPerson, Storage};

type Shared = State<Arc<AppState>>;
type Params = Query<HashMap<String, String>>;

/// What `?format=` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
    Xlsx,
}

fn format(q: &HashMap<String, String>, xlsx: bool) -> Result<Format, ApiError> {
    match q.get("format").map(String::as_str) {
        None | Some("json") => Ok(Format::Json),
        Some("csv") => Ok(Format::Csv),
        Some("xlsx") if xlsx => Ok(Format::Xlsx),
        Some(_) if xlsx => Err(ApiError::bad_request("format: json, csv or xlsx")),
        Some(_) => Err(ApiError::bad_request("format: json or csv")),
    }
}

/// A file to download, named for the form and the organisation (its id is
/// `A-Z a-z 0-9 . _ -` only: safe in the header as it is).
fn download(content_type: &'static str, name: String, body: Vec<u8>) -> Response {
    let mut response = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

fn internal(what: &str, e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "{what}");
    ApiError::internal()
}

/// The dossier status's code in the JSON rows.
fn status_code(s: &DossierStatus) -> &'static str {
    match s {
        DossierStatus::Submitted => "submitted",
        DossierStatus::Approved => "approved",
        DossierStatus::NotAccepted { .. } => "not_accepted",
        _ => "other",
    }
}

/// Mẫu số 02's row of `person`, with the account's standing when the
/// uploaded name is the account's.
fn row(stt: usize, person: &OrgPerson, standing: Option<&Standing>) -> Mau02Row {
    let identity: Option<&Identity> = standing.map(|s| &s.identity);
    Mau02Row {
        stt,
        full_name: standing.map_or_else(|| person.full_name.clone(), |s| s.full_name.clone()),
        date_of_birth: standing.map(|s| standing::date_iso(s.date_of_birth)),
        date_of_birth_vi: standing
            .map(|s| standing::date_vi(s.date_of_birth))
            .unwrap_or_default(),
        permanent_residence: standing.map(|s| s.residence.clone()).unwrap_or_default(),
        id_number: person.id_number.clone(),
        phone: standing.map(|s| s.phone.clone()).unwrap_or_default(),
        registration_vi: standing::registration_vi(identity),
        level: identity.and_then(|i| i.level).map(|l| match l {
            Level::One => 1,
            Level::Two => 2,
        }),
        activated: identity.is_some_and(|i| i.activated),
        dossier_status: identity
            .and_then(|i| i.dossier.as_ref())
            .map(|d| status_code(&d.1)),
    }
}

/// Mẫu số 02 of `org`'s people, each account's current state, and the
/// summary.
async fn mau02(state: &AppState, org: &OrgId) -> Result<(Vec<Mau02Row>, Summary), ApiError> {
    let people = state.store.org_people(&org.0).await?;
    let mut rows = Vec::with_capacity(people.len());
    let mut summary = Summary::default();
    for (i, person) in people.iter().enumerate() {
        // Uploads are checked: a number that no longer parses has no account.
        let standing = match IdNumber::parse(&person.id_number) {
            Ok(id) => standing::standing(&state.account(&id).await?, &state.registry)
                .filter(|s| standing::same_name(&person.full_name, &s.full_name)),
            Err(_) => None,
        };
        summary.count(standing.as_ref().map(|s| &s.identity));
        rows.push(row(i + 1, person, standing.as_ref()));
    }
    Ok((rows, summary.finish()))
}

/// `GET /v1/org/report[?format=json|csv|xlsx]`.
pub(crate) async fn report(
    State(state): Shared,
    Extension(org): Extension<OrgId>,
    Query(q): Params,
) -> Result<Response, ApiError> {
    let format = format(&q, true)?;
    let (rows, summary) = mau02(&state, &org).await?;
    // The organisation and the count only: the rows are personal data.
    tracing::info!(org = %org.0, people = rows.len(), ?format, "organisation report read");
    match format {
        Format::Json => Ok(Json(json!({
            "organisation": org.0,
            "form": "Mẫu số 02",
            "columns": MAU_02_COLUMNS,
            "generated_at": crate::app::now(),
            "summary": summary,
            "rows": rows,
        }))
        .into_response()),
        Format::Csv => {
            let body = forms::mau02_csv(&rows).map_err(|e| internal("report CSV", e))?;
            Ok(download(
                "text/csv; charset=utf-8",
                format!("mau-so-02-{}.csv", org.0),
                body,
            ))
        }
        Format::Xlsx => {
            let teams = forms::teams(state.store.org_teams(&org.0).await?);
            let body = forms::workbook(&org.0, &rows, &teams, &summary)
                .map_err(|e| internal("report workbook", e))?;
            Ok(download(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                format!("mau-so-02-{}.xlsx", org.0),
                body,
            ))
        }
    }
}

/// `GET /v1/org/summary`: the counts and rates, no personal data.
pub(crate) async fn summary(
    State(state): Shared,
    Extension(org): Extension<OrgId>,
) -> Result<Response, ApiError> {
    let (_, summary) = mau02(&state, &org).await?;
    Ok(Json(
        json!({ "organisation": org.0, "generated_at": crate::app::now(), "summary": summary }),
    )
    .into_response())
}

/// `GET /v1/org/teams[?format=json|csv]`: Mẫu số 01.
pub(crate) async fn teams(
    State(state): Shared,
    Extension(org): Extension<OrgId>,
    Query(q): Params,
) -> Result<Response, ApiError> {
    let format = format(&q, false)?;
    let teams = forms::teams(state.store.org_teams(&org.0).await?);
    if format == Format::Csv {
        let body = forms::mau01_csv(&teams).map_err(|e| internal("teams CSV", e))?;
        return Ok(download(
            "text/csv; charset=utf-8",
            format!("mau-so-01-{}.csv", org.0),
            body,
        ));
    }
    Ok(Json(json!({ "organisation": org.0, "form": "Mẫu số 01", "teams": teams })).into_response())
}
