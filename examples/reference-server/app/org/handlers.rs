//! The organisation's uploads: `PUT /v1/org/people` (its people: ID number
//! and name) and `PUT /v1/org/teams` (its propaganda teams, Mẫu số 01).
//! The body is JSON, `{"csv": "..."}`, like every body of this server (a
//! body not declared `application/json` is refused before any handler);
//! the CSV inside is parsed and checked by `upload.rs`. An upload replaces
//! the organisation's last one whole, or (any line refused) changes
//! nothing.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::OrgId;
use super::upload::{self, LineError};
use crate::app::AppState;
use crate::app::error::ApiError;
use crate::app::handlers::parse;
use crate::app::store::Storage;

type Shared = State<Arc<AppState>>;

/// The body of an upload.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UploadBody {
    /// The CSV text.
    csv: String,
}

/// `422 csv_refused` with every refused line.
fn refused(errors: Vec<LineError>) -> ApiError {
    let mut e = ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "csv_refused",
        "Danh sách có dòng không hợp lệ, chưa được lưu: vui lòng sửa các dòng được nêu và gửi lại.",
        "some lines are refused (errors: line, code, vi, en); nothing was stored",
    );
    e.extra = json!({ "errors": errors });
    e
}

/// `PUT /v1/org/people`: the organisation's people (columns `id_number` or
/// `Số CCCD`, `full_name` or `Họ tên`): `{people, duplicates}`, the
/// repeated lines dropped.
pub(crate) async fn put_people(
    State(state): Shared,
    Extension(org): Extension<OrgId>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let b: UploadBody = parse(&body)?;
    let accepted = upload::people(&b.csv).map_err(refused)?;
    state
        .store
        .put_org_people(&org.0, &accepted.people, crate::app::now())
        .await?;
    tracing::info!(org = %org.0, people = accepted.people.len(), "organisation people uploaded");
    Ok(Json(json!({
        "organisation": org.0,
        "people": accepted.people.len(),
        "duplicates": accepted.duplicates,
        "vi": "Đã lưu danh sách.",
        "en": "the list is stored",
    }))
    .into_response())
}

/// `PUT /v1/org/teams`: the organisation's propaganda teams (Mẫu số 01:
/// `team`/`Tên Tổ tuyên truyền`, `full_name`/`Họ tên`,
/// `position`/`Chức vụ`, `phone`/`Số điện thoại`, `note`/`Ghi chú`).
pub(crate) async fn put_teams(
    State(state): Shared,
    Extension(org): Extension<OrgId>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let b: UploadBody = parse(&body)?;
    let members = upload::teams(&b.csv).map_err(refused)?;
    state
        .store
        .put_org_teams(&org.0, &members, crate::app::now())
        .await?;
    tracing::info!(org = %org.0, members = members.len(), "organisation teams uploaded");
    Ok(Json(json!({
        "organisation": org.0,
        "members": members.len(),
        "vi": "Đã lưu danh sách.",
        "en": "the list is stored",
    }))
    .into_response())
}
